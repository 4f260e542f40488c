"""A case's end ends every mode still serving the person on it, in the closing step's transaction (save_step).

Which mode's own record ends with it:
- party pairings (mode 4) and neighbour pairings (mode 6): ended, with the same date and reason, so no visit or
  service can be recorded after it (the pairing's period says so);
- red-vest team plans (mode 5): the plan is the household's file (一户一档) and has no ended state; its row here ends;
- department and charity referrals (modes 3, 7): the unit's or organisation's own report still comes and is recorded;
  their rows here end;
- placements (mode 2) are kept, record and row: living in the institution is itself why home services stop, and the
  institution keeps caring for the person after the case closes; the departure ends it (`…/departure`). On death the
  row ends like the others (the institution no longer serves the person); the departure record is left to the
  township, which records the real date the institution reports.

The date is the last day served: the decision's day for a refusal, withdrawal or no provider; for a stop or a death,
whose closure carries the first day without service (`effective_on`), the day before it. Never before a mode's start.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.case_tables import Closure
from models.modes.neighbour import PAIRINGS as NEIGHBOUR_PAIRINGS
from models.modes.party import PARTY_PAIRINGS
from models.modes.tables import CASE_MODES
from models.payloads.jobs import Transition
from models.tables import table_of
from vocabulary.case import Outcome
from vocabulary.china import china_day
from vocabulary.modes import ServiceMode

_PAIRINGS: tuple[Table, ...] = (PARTY_PAIRINGS, NEIGHBOUR_PAIRINGS)


async def end_modes(session: AsyncSession, t: Transition) -> None:
    """Called for every step; does nothing unless the step closes the case."""
    if t.after.outcome is None:
        return
    c = table_of(Closure).c
    closure = (await session.execute(select(c.outcome, c.effective_on).where(c.case_id == t.case_id))).first()
    outcome = Outcome(closure.outcome if closure is not None else t.after.outcome)
    last: date = (closure.effective_on - timedelta(days=1) if closure is not None and closure.effective_on
                  else china_day(t.at))
    reason = outcome.zh
    for table in _PAIRINGS:
        p = table.c
        await session.execute(update(table).where(p.case_id == t.case_id, p.ended_on.is_(None)).values(
            ended_on=func.greatest(p.started_on, last), end_reason=reason))
    m = CASE_MODES.c
    running: Any = [m.case_id == t.case_id, m.ended_on.is_(None)]
    if outcome is not Outcome.DECEASED:
        running.append(m.mode != ServiceMode.INSTITUTION.value)
    await session.execute(update(CASE_MODES).where(*running).values(
        ended_on=func.greatest(m.started_on, last), end_reason=reason))

"""Recording a status event of a recipient (动态管理), entered by hand (api/routes/dynamic/cases.py) or by a mode
that changes the person's status (a placement in an institution, api/routes/placements.py); after the commit
`api.workflow_calls.signal_status_event` hands it to the case. A foreign case answers like an absent one (404)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from api.access import load_case
from models.dynamic.tables import STATUS_EVENTS, StatusEvent
from models.payloads.dynamic import EventForm, EventRef
from models.tables import PERSONS, Case
from vocabulary.dynamic import EventSource, StatusChange
from vocabulary.people import Category

_e = STATUS_EVENTS.c


async def visible_case(session: Any, actor: Any, case_id: UUID) -> Case:
    """The case, or 404 whether it is absent or outside the asker's jurisdiction (load_case answers the two
    alike); a township the case moved away from still reads it."""
    return await load_case(session, actor, case_id, former_ok=True)


async def enter_event(session: Any, case: Case, body: EventForm, actor: Any, business_key: str) -> Any:
    """Records a status event entered by hand (once per business key) in the caller's transaction; the caller
    commits, then hands it to the case (`api.workflow_calls.signal_status_event`). Also used by the modes that
    change a status (a placement in an institution, api/routes/placements.py)."""
    now = datetime.now(UTC)
    await session.execute(insert(StatusEvent).values(
        business_key=business_key, person_id=case.person_id, case_id=case.id, change=body.change.value,
        source=EventSource.MANUAL.value, effective_on=body.effective_on, evidence=body.evidence,
        category=body.category, to_village=body.to_village, village_code=case.village_code,
        recorded_by=actor.user_id, recorded_at=now,
    ).on_conflict_do_nothing(index_elements=["business_key"]))
    category = body.category or (Category.NONE.value if body.change is StatusChange.CATEGORY_LOST else None)
    if category is not None:  # the monthly review re-checks eligibility against what the person is now
        await session.execute(update(PERSONS).where(PERSONS.c.id == case.person_id).values(
            category=category, updated_at=now))
    return (await session.execute(select(STATUS_EVENTS).where(_e.business_key == business_key))).one()


def event_ref(row: Any, actor: Any) -> EventRef:
    return EventRef(event_id=row.id, change=StatusChange(row.change), effective_on=row.effective_on, actor=actor,
                    to_village=row.to_village)

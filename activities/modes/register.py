"""The case's list of modes serving the person (`case_modes`). Every mode calls `serve` when it starts serving
and `end` when it stops, inside its own transaction, so the list never disagrees with the mode's records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.modes.tables import CASE_MODES
from models.tables import CASES
from vocabulary.modes import PartyKind, ServiceMode


@dataclass(frozen=True)
class Serving:
    case_id: UUID
    mode: ServiceMode
    source_id: UUID  # the mode's own record: serving it again changes nothing
    party_kind: PartyKind
    party_name: str
    summary: str
    started_on: date
    party_id: UUID | None = None


async def serve(session: AsyncSession, s: Serving) -> None:
    """Lists the mode on the case (idempotent on the mode's record). The caller has checked jurisdiction."""
    c = CASES.c
    case = (await session.execute(select(c.person_id, c.county_code, c.township_code).where(
        c.id == s.case_id))).one()
    await session.execute(insert(CASE_MODES).values(
        id=uuid4(), case_id=s.case_id, person_id=case.person_id, county_code=case.county_code,
        township_code=case.township_code, mode=s.mode.value, source_id=s.source_id, party_kind=s.party_kind.value,
        party_id=s.party_id, party_name=s.party_name, summary=s.summary, started_on=s.started_on,
        recorded_at=datetime.now(UTC),
    ).on_conflict_do_nothing(constraint="uq_case_modes_source"))


async def end(session: AsyncSession, mode: ServiceMode, source_id: UUID, ended_on: date, reason: str) -> None:
    """Marks the mode's delivery ended; ending it again keeps the first end."""
    m = CASE_MODES.c
    await session.execute(update(CASE_MODES).where(
        m.mode == mode.value, m.source_id == source_id, m.ended_on.is_(None)).values(ended_on=ended_on,
                                                                                     end_reason=reason))

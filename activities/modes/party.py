""""党建+救助" (001 三(六)4): a party member or branch paired (结对) with a recipient, and the visits and help given
— 走访慰问, 物资上救济, 生活上关心, 思想上解惑. Writes in the caller's transaction; the pairing is one `case_modes`
row, ended when the pairing ends. The overview's counts are read here too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.register import Serving, end, serve
from models.modes.party import PARTY_PAIRINGS, PARTY_VISITS
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.modes_linkage import PartnerKind, PartyHelp

_p, _v = PARTY_PAIRINGS.c, PARTY_VISITS.c


async def pair(session: AsyncSession, *, pairing_id: UUID, case: Any, kind: PartnerKind, partner: str,
               branch: str | None, started_on: date, actor_id: UUID, at: datetime) -> None:
    await session.execute(PARTY_PAIRINGS.insert().values(
        id=pairing_id, case_id=case.id, county_code=case.county_code, township_code=case.township_code,
        village_code=case.village_code, partner_kind=kind.value, partner_name=partner, branch_name=branch,
        started_on=started_on, created_by=actor_id, created_at=at))
    name = f"{partner}（{branch}）" if branch else partner
    await serve(session, Serving(case_id=case.id, mode=ServiceMode.PARTY, source_id=pairing_id,
                                 party_kind=PartyKind.PARTY_MEMBER, party_name=name,
                                 summary=f"{kind.zh}结对帮扶：走访慰问、物资救济、生活关心", started_on=started_on))


async def visit(session: AsyncSession, *, visit_id: UUID, pairing: Any, visited_on: date, help: PartyHelp,
                content: str, actor_id: UUID, at: datetime) -> None:
    await session.execute(PARTY_VISITS.insert().values(
        id=visit_id, pairing_id=pairing.id, county_code=pairing.county_code, visited_on=visited_on,
        help=help.value, content=content, recorded_by=actor_id, recorded_at=at))


async def unpair(session: AsyncSession, pairing: Any, ended_on: date, reason: str) -> None:
    await session.execute(update(PARTY_PAIRINGS).where(_p.id == pairing.id).values(ended_on=ended_on,
                                                                                  end_reason=reason))
    await end(session, ServiceMode.PARTY, pairing.id, ended_on, reason)


async def party_overview(session: AsyncSession, county: str, year: int) -> dict[str, Any]:
    """The county's "党建+救助" in the year: pairings running at some time in it, started in it, the people
    paired, and the visits and help given by kind (for the year-end report beside the oversight overview)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    running = and_(_p.county_code == county, _p.started_on <= last, or_(_p.ended_on.is_(None), _p.ended_on >= first))
    pairings = (await session.execute(select(
        func.count(), func.count().filter(_p.started_on >= first), func.count(func.distinct(_p.case_id)),
    ).where(running))).one()
    visits: dict[str, int] = dict((await session.execute(select(_v.help, func.count()).where(
        _v.county_code == county, _v.visited_on.between(first, last)).group_by(_v.help))).tuples().all())
    return {"pairings": pairings[0], "pairings_started": pairings[1], "persons_paired": pairings[2],
            "visits": sum(visits.values()),
            "visits_by_help": {h.zh: int(visits.get(h.value, 0)) for h in PartyHelp}}

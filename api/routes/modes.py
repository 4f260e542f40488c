"""The modes serving a person, on their case (池州方案 三(六)): the purchase referral (the case's provider) and
every other mode's delivery, current and ended. Read through the case: whoever may see the case sees its modes."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import select

from api.access import load_case
from api.deps import ActorDep, SessionDep
from models.modes.schemas import CaseModePublic, CaseModes
from models.modes.tables import CASE_MODES
from models.tables import PROVIDERS
from vocabulary.case import Outcome, Step
from vocabulary.china import CHINA
from vocabulary.modes import PartyKind, ServiceMode

# The provider serves once it accepted the referral: from the service plan on, until the case closes.
_SERVED = frozenset({Step.SERVICE, Step.ARCHIVING, Step.DYNAMIC_MANAGEMENT})
router = APIRouter(prefix="/cases/{case_id}/modes", tags=["服务方式"])


@router.get("", summary="服务对象正在接受和已结束的各种服务方式")
async def case_modes(case_id: UUID, actor: ActorDep, session: SessionDep) -> CaseModes:
    case = await load_case(session, actor, case_id)
    modes: list[CaseModePublic] = []
    if case.provider_id is not None and case.step in _SERVED:
        name = (await session.execute(select(PROVIDERS.c.name).where(
            PROVIDERS.c.id == case.provider_id))).scalar_one()
        ended_on = case.closed_at.astimezone(CHINA).date() if case.status != "open" and case.closed_at else None
        reason = Outcome.label(case.outcome) if ended_on and case.outcome else None
        modes.append(CaseModePublic(
            mode=ServiceMode.PURCHASE, mode_name=ServiceMode.PURCHASE.zh, source_id=None,
            party_kind=PartyKind.PROVIDER, party_kind_name=PartyKind.PROVIDER.zh, party_id=case.provider_id,
            party_name=name, summary="转介承接，按服务协议提供服务、按月结算", started_on=None,
            ended_on=ended_on, end_reason=reason,
            paid_by_settlement=True))
    m = CASE_MODES.c
    rows = (await session.execute(select(CASE_MODES).where(m.case_id == case_id).order_by(
        m.ended_on.is_not(None), m.started_on, m.id))).all()
    for r in rows:
        mode = ServiceMode(r.mode)
        modes.append(CaseModePublic(
            mode=mode, mode_name=mode.zh, source_id=r.source_id, party_kind=r.party_kind,
            party_kind_name=PartyKind.label(r.party_kind), party_id=r.party_id, party_name=r.party_name,
            summary=r.summary, started_on=r.started_on, ended_on=r.ended_on, end_reason=r.end_reason,
            paid_by_settlement=mode.paid_by_settlement))
    return CaseModes(case_id=case_id, modes=modes)

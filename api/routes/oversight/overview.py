"""The county's oversight overview for the year-end report, and the county's oversight settings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy.dialects.postgresql import insert

from activities.modes.party import party_overview
from activities.oversight.overview import overview
from activities.oversight.settings import county_settings
from api.deps import ActorDep, SessionDep
from api.errors import ApiError
from api.oversight_access import audit, county_officer
from models.oversight.complaint_schemas import SettingsIn
from models.oversight.complaint_tables import OVERSIGHT_SETTINGS
from models.oversight.report_schemas import OverviewOut, SettingsOut
from policy.oversight import DEFAULT_SETTINGS, DEFAULT_WEIGHTS
from vocabulary.case import Role

router = APIRouter(prefix="/oversight", tags=["监督管理"])


def _county(actor: Any) -> str:
    if actor.role not in (Role.COUNTY_OFFICER, Role.AUDITOR) or len(actor.jurisdiction) != 6:
        raise ApiError(403, "wrong_role", "监督管理总览供县级民政部门和审计查阅")
    return str(actor.jurisdiction)


@router.get("/overview", summary="本县年度监督管理总览（试点年度总结所需数据）")
async def get_overview(actor: ActorDep, session: SessionDep,
                       year: Annotated[int, Query(ge=2000, le=2100)]) -> OverviewOut:
    county = _county(actor)
    found = await overview(session, county, year, await county_settings(session, county), datetime.now(UTC))
    party = await party_overview(session, county, year)  # "党建+救助" (mode 4)
    return OverviewOut.model_validate({**found, "party_building": party})


@router.get("/settings", summary="本县监督管理设置（抽查比例、回访比例、评价权重等）")
async def get_settings(actor: ActorDep, session: SessionDep) -> SettingsOut:
    return SettingsOut.model_validate(await county_settings(session, _county(actor)))


@router.put("/settings", summary="调整本县监督管理设置（抽查比例不低于30%）")
async def put_settings(body: SettingsIn, actor: ActorDep, session: SessionDep) -> SettingsOut:
    county = county_officer(actor)
    changes = body.model_dump(exclude_none=True)
    if unknown := set(changes.get("weights", {})) - set(DEFAULT_WEIGHTS):
        raise ApiError(422, "unknown_metric", f"没有这些评价指标：{'、'.join(sorted(unknown))}")
    current = await county_settings(session, county)
    merged = {**{k: current[k] for k in DEFAULT_SETTINGS}, **changes,
              "weights": {**current["weights"], **changes.get("weights", {})}}
    now = datetime.now(UTC)
    await session.execute(insert(OVERSIGHT_SETTINGS).values(
        county_code=county, settings=merged, updated_by=actor.user_id, updated_at=now).on_conflict_do_update(
        index_elements=["county_code"], set_={"settings": merged, "updated_by": actor.user_id, "updated_at": now}))
    await audit(session, actor, "oversight_settings", {"county": county, "changes": changes})
    await session.commit()
    return SettingsOut.model_validate(await county_settings(session, county))

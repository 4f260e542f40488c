"""The county's service list and its providers, for choosing items at review and providers at referral."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from assistflow.api.deps import ActorDep, SessionDep
from assistflow.models.schemas import ProviderOut, ServiceItemOut
from assistflow.models.tables import PROVIDERS, SERVICE_ITEMS, Provider, ServiceItem

router = APIRouter(tags=["服务清单"])
_i, _p = SERVICE_ITEMS.c, PROVIDERS.c


@router.get("/service-items", summary="本县服务类社会救助清单")
async def service_items(actor: ActorDep, session: SessionDep) -> list[ServiceItemOut]:
    rows = (await session.execute(
        select(ServiceItem).where(_i.county_code == actor.jurisdiction[:6]).order_by(_i.category, _i.code)
    )).scalars()
    return [ServiceItemOut.model_validate(r, from_attributes=True) for r in rows]


@router.get("/providers", summary="本县服务供给主体")
async def providers(actor: ActorDep, session: SessionDep) -> list[ProviderOut]:
    rows = (await session.execute(
        select(Provider).where(_p.county_code == actor.jurisdiction[:6], _p.active.is_(True)).order_by(_p.code)
    )).scalars()
    return [ProviderOut.model_validate(r, from_attributes=True) for r in rows]

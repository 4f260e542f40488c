"""The county's service list and its providers, for choosing items at review and providers at referral; and
what a county officer configures for settlement: items, fee standards, providers' accounts, the pooled funds."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import ActorDep, SessionDep
from api.errors import ApiError
from api.settlement_access import READERS, audit, county_of, require_county_officer
from models.payloads.actor import Actor
from models.schemas import ProviderOut, ServiceItemOut
from models.settlement.schemas import (
    CountyFundsIn,
    CountyFundsOut,
    FeeIn,
    FeeOut,
    ProviderAccountIn,
    ProviderAccountOut,
    ServiceItemDetail,
    ServiceItemIn,
    ServiceItemPatch,
)
from models.settlement.tables import (
    COUNTY_FUNDS,
    FEE_STANDARDS,
    PROVIDER_ACCOUNTS,
    STATEMENTS,
    CountyFunds,
    FeeStandard,
    ProviderAccount,
)
from models.tables import PROVIDERS, SERVICE_ITEMS, Provider, ServiceItem
from policy.settlement import WORK_FUNDS_CAP, FeeConflict, FeeRange, money, plan_fee_change
from vocabulary.case import Role
from vocabulary.settlement import LOCKED, FundingSource, ServiceUnit
from workflows import periods

router = APIRouter(tags=["服务清单"])
_i, _p, _f = SERVICE_ITEMS.c, PROVIDERS.c, FEE_STANDARDS.c


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


def _fee(row: Any) -> FeeOut:
    return FeeOut(item_code=row.item_code, valid_from=row.valid_from, valid_to=row.valid_to, price=row.price,
                  funding_source=row.funding_source,
                  funding_source_zh=FundingSource.label(row.funding_source))


async def _detail(session: AsyncSession, county: str, code: str) -> ServiceItemDetail:
    item = (await session.execute(select(SERVICE_ITEMS).where(_i.county_code == county, _i.code == code))).first()
    if item is None:
        raise ApiError(404, "unknown_item", "服务事项不在本县服务类社会救助清单中")
    fees = (await session.execute(select(FEE_STANDARDS).where(_f.county_code == county, _f.item_code == code)
                                  .order_by(_f.valid_from))).all()
    return ServiceItemDetail(code=item.code, category=item.category, name=item.name, unit=item.unit,
                             unit_zh=ServiceUnit.label(item.unit), government_funded=item.government_funded,
                             overlaps_benefits=item.overlaps_benefits, fees=[_fee(f) for f in fees])


@router.get("/service-items/{code}", summary="服务事项及其收费标准（按生效日期）")
async def service_item(code: str, actor: ActorDep, session: SessionDep) -> ServiceItemDetail:
    return await _detail(session, county_of(actor), code)


@router.post("/service-items", status_code=201, summary="县级民政部门：新增服务事项")
async def add_item(body: ServiceItemIn, actor: ActorDep, session: SessionDep) -> ServiceItemDetail:
    county = require_county_officer(actor)
    values = {**body.model_dump(mode="json"), "county_code": county}
    added = (await session.execute(insert(ServiceItem).values(**values).on_conflict_do_nothing()
                                   .returning(_i.code))).first()
    if added is None:
        raise ApiError(409, "item_exists", "本县服务清单中已有该服务事项代码")
    await audit(session, actor, "service_item_add", values)
    await session.commit()
    return await _detail(session, county, body.code)


@router.patch("/service-items/{code}", summary="县级民政部门：修改服务事项（名称、单位、类别、政府或社会力量承担）")
async def edit_item(code: str, body: ServiceItemPatch, actor: ActorDep, session: SessionDep) -> ServiceItemDetail:
    county = require_county_officer(actor)
    changes = body.model_dump(mode="json", exclude_unset=True)
    if changes:
        done = (await session.execute(update(SERVICE_ITEMS).where(_i.county_code == county, _i.code == code)
                                      .values(**changes).returning(_i.code))).first()
        if done is None:
            raise ApiError(404, "unknown_item", "服务事项不在本县服务类社会救助清单中")
        await audit(session, actor, "service_item_edit", {"county_code": county, "code": code, **changes})
        await session.commit()
    return await _detail(session, county, code)


@router.post("/service-items/{code}/fees", status_code=201,
             summary="县级民政部门：调整收费标准（自生效日起执行，原标准截至前一日）")
async def add_fee(code: str, body: FeeIn, actor: ActorDep, session: SessionDep) -> ServiceItemDetail:
    county = require_county_officer(actor)
    item = (await session.execute(select(_i.code).where(_i.county_code == county, _i.code == code)
                                  .with_for_update())).first()  # serialises fee changes of one item
    if item is None:
        raise ApiError(404, "unknown_item", "服务事项不在本县服务类社会救助清单中")
    locked = (await session.execute(select(func.max(STATEMENTS.c.period)).where(
        STATEMENTS.c.county_code == county, STATEMENTS.c.status.in_([s.value for s in LOCKED])))).scalar_one()
    if locked is not None and periods.of_date(body.valid_from) <= locked:
        raise ApiError(409, "fee_period_locked", f"{locked}及以前的结算单已审批锁定，收费标准只能自其后的月份起调整")
    existing = (await session.execute(select(_f.valid_from, _f.valid_to).where(
        _f.county_code == county, _f.item_code == code))).all()
    try:
        plan = plan_fee_change([FeeRange(r.valid_from, r.valid_to) for r in existing],
                               FeeRange(body.valid_from, body.valid_to))
    except FeeConflict as err:
        raise ApiError(409, "fee_overlap", str(err)) from None
    if plan.cut is not None:
        await session.execute(update(FEE_STANDARDS).where(
            _f.county_code == county, _f.item_code == code, _f.valid_from == plan.cut.valid_from,
        ).values(valid_to=plan.cut_to))
    session.add(FeeStandard(county_code=county, item_code=code, valid_from=body.valid_from, valid_to=body.valid_to,
                            price=body.price, funding_source=body.funding_source.value, created_by=actor.user_id,
                            created_at=datetime.now(UTC)))
    await audit(session, actor, "fee_standard_add", {"county_code": county, **body.model_dump(mode="json"),
                                                     "item_code": code})
    await session.commit()
    return await _detail(session, county, code)


async def _provider_in_county(session: AsyncSession, actor: Actor, provider_id: UUID) -> Any:
    """A provider of the actor's county; a provider sees only itself (a competitor's account is not its business).
    One not visible answers exactly like one that does not exist."""
    if actor.role not in READERS:
        raise ApiError(403, "wrong_role", "您的角色无权查看服务供给主体的收款账户")
    row = (await session.execute(select(PROVIDERS).where(_p.id == provider_id))).first()
    if actor.role is Role.PROVIDER:
        visible = row is not None and actor.provider_id == provider_id
    else:
        visible = row is not None and row.county_code.startswith(county_of(actor))
    if not visible:
        raise ApiError(404, "unknown_provider", "服务供给主体不存在")
    return row


@router.get("/providers/{provider_id}/account", summary="服务供给主体收款账户")
async def provider_account(provider_id: UUID, actor: ActorDep, session: SessionDep) -> ProviderAccountOut:
    await _provider_in_county(session, actor, provider_id)
    row = (await session.execute(select(PROVIDER_ACCOUNTS).where(
        PROVIDER_ACCOUNTS.c.provider_id == provider_id))).first()
    if row is None:
        raise ApiError(404, "no_payee_account", "服务供给主体未登记收款账户")
    return ProviderAccountOut.model_validate(row)


@router.put("/providers/{provider_id}/account", summary="县级民政部门：登记服务供给主体收款账户")
async def set_provider_account(provider_id: UUID, body: ProviderAccountIn, actor: ActorDep,
                               session: SessionDep) -> ProviderAccountOut:
    require_county_officer(actor)
    await _provider_in_county(session, actor, provider_id)
    values = {**body.model_dump(), "updated_by": actor.user_id, "updated_at": datetime.now(UTC)}
    stmt = insert(ProviderAccount).values(provider_id=provider_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["provider_id"], set_=values))
    await audit(session, actor, "provider_account_set", {"provider_id": str(provider_id), **body.model_dump()})
    await session.commit()
    return await provider_account(provider_id, actor, session)


def _funds(row: Any) -> CountyFundsOut:
    return CountyFundsOut(county_code=row.county_code, year=row.year,
                          pooled_assistance_funds=row.pooled_assistance_funds,
                          work_funds_cap=money(row.pooled_assistance_funds * WORK_FUNDS_CAP), updated_at=row.updated_at)


@router.get("/settlement/funds/{year}", summary="本年度统筹安排的社会救助资金总额（1%上限的基数）")
async def county_funds(year: int, actor: ActorDep, session: SessionDep) -> CountyFundsOut:
    row = (await session.execute(select(COUNTY_FUNDS).where(
        COUNTY_FUNDS.c.county_code == county_of(actor), COUNTY_FUNDS.c.year == year))).first()
    if row is None:
        raise ApiError(404, "funds_unconfigured", f"{year}年度统筹社会救助资金总额未登记")
    return _funds(row)


@router.put("/settlement/funds/{year}", summary="县级民政部门：登记本年度统筹安排的社会救助资金总额")
async def set_county_funds(year: int, body: CountyFundsIn, actor: ActorDep, session: SessionDep) -> CountyFundsOut:
    county = require_county_officer(actor)
    if not 2000 <= year <= 2100:
        raise ApiError(422, "invalid_input", "年度不正确")
    values: dict[str, Any] = {
        "pooled_assistance_funds": body.pooled_assistance_funds, "updated_by": actor.user_id,
        "updated_at": datetime.now(UTC)}
    stmt = insert(CountyFunds).values(county_code=county, year=year, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["county_code", "year"], set_=values))
    await audit(session, actor, "county_funds_set", {"county_code": county, "year": year,
                                                     "pooled_assistance_funds": str(body.pooled_assistance_funds)})
    await session.commit()
    return await county_funds(year, actor, session)

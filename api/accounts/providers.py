"""Providers (服务供给主体) of a county: registered by a county officer with their unified social credit code
(check character validated) and payee account, listed, and deactivated (no new referrals; cases already
referred go on to their end, and the provider's users keep working on them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from api.settlement_access import audit
from models.accounts import ProviderDetail, ProviderIn
from models.payloads.actor import Actor
from models.settlement.tables import PROVIDER_ACCOUNTS, ProviderAccount
from models.tables import PROVIDERS, Provider
from policy.accounts import normalize_credit_code
from vocabulary.case import Role

_p, _a = PROVIDERS.c, PROVIDER_ACCOUNTS.c


def county_officer(actor: Actor) -> str:
    if actor.role is not Role.COUNTY_OFFICER or len(actor.jurisdiction) != 6:
        raise ApiError(403, "wrong_role", "服务供给主体由县级民政部门登记和管理")
    return actor.jurisdiction


def _detail_select(where: ColumnElement[bool]) -> Any:
    return (select(PROVIDERS, _a.account_no, _a.bank_name)
            .outerjoin(PROVIDER_ACCOUNTS, _a.provider_id == _p.id).where(where))


async def provider_detail(session: AsyncSession, county: str, provider_id: UUID) -> ProviderDetail:
    row = (await session.execute(_detail_select((_p.id == provider_id) & (_p.county_code == county)))).first()
    if row is None:
        raise ApiError(404, "provider_not_found", "服务供给主体不存在")
    return ProviderDetail.model_validate(row)


async def list_providers(session: AsyncSession, county: str, include_inactive: bool) -> list[ProviderDetail]:
    where = _p.county_code == county
    if not include_inactive:
        where &= _p.active.is_(True)
    rows = (await session.execute(_detail_select(where).order_by(_p.active.desc(), _p.code))).all()
    return [ProviderDetail.model_validate(r) for r in rows]


async def register_provider(session: AsyncSession, actor: Actor, body: ProviderIn) -> tuple[ProviderDetail, bool]:
    """Register, or find the same organisation already registered in this county: (provider, created)."""
    county = county_officer(actor)
    credit = normalize_credit_code(body.credit_code)
    code = body.code or credit[8:17]
    existing = (await session.execute(select(_p.id, _p.county_code, _p.name).where(_p.credit_code == credit))).first()
    if existing is not None:
        if existing.county_code != county:
            raise ApiError(409, "credit_code_taken", "该统一社会信用代码已在其他县登记")
        return await provider_detail(session, county, existing.id), False
    added = (await session.execute(insert(Provider).values(
        id=uuid4(), code=code, name=body.name, kind=body.kind.value, credit_code=credit, county_code=county,
        last_service_no=0, active=True,
    ).on_conflict_do_nothing().returning(_p.id))).scalar_one_or_none()
    if added is None:  # the service-number prefix (or, concurrently, the credit code) is someone else's
        await session.rollback()
        raise ApiError(409, "provider_code_taken", f"服务号前缀“{code}”已被其他机构使用，请另行指定")
    if body.account is not None:
        await session.execute(insert(ProviderAccount).values(
            provider_id=added, **body.account.model_dump(), updated_by=actor.user_id, updated_at=datetime.now(UTC)))
    await audit(session, actor, "provider_registered", {"provider_id": str(added), "name": body.name,
                                                        "kind": body.kind.value, "credit_code": credit})
    await session.commit()
    return await provider_detail(session, county, added), True


async def set_provider_active(session: AsyncSession, actor: Actor, provider_id: UUID, active: bool,
                              reason: str) -> ProviderDetail:
    county = county_officer(actor)
    current = await provider_detail(session, county, provider_id)
    if current.active != active:
        await session.execute(update(PROVIDERS).where(_p.id == provider_id).values(active=active))
        await audit(session, actor, "provider_deactivated" if not active else "provider_reactivated",
                    {"provider_id": str(provider_id), "reason": reason})
        await session.commit()
    return await provider_detail(session, county, provider_id)

"""Demo settlement configuration for the demo county: fee standards, funding sources, the pooled funds of the
year, the providers' bank accounts, and purchase agreements in 实施. Idempotent, like seed_demo.

Prices and funding sources are demo values a county replaces with its own (the plan leaves both to the county:
001 三(五)1 细化服务事项清单和收费标准). The accounts are fictitious.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import Sessions
from models.settlement.payloads import AgreementStatus, FundingSource
from models.settlement.tables import (
    AgreementItem,
    CountyFunds,
    FeeStandard,
    ProviderAccount,
    PurchaseAgreement,
)

SYSTEM_USER = uuid.uuid5(uuid.NAMESPACE_URL, "assistflow:user:system-seed")
FEES_FROM = date(2026, 1, 1)
_F = FundingSource

# item code -> (price per unit in yuan, funding source)
DEFAULT_FEES: dict[str, tuple[Decimal, FundingSource]] = {
    "visit": (Decimal("30.00"), _F.WORK_FUNDS),
    "nursing_care": (Decimal("25.00"), _F.TEKUN_CARE),
    "rehabilitation": (Decimal("60.00"), _F.DISABILITY_REHABILITATION),
    "medical_escort": (Decimal("80.00"), _F.TEMPORARY_ASSISTANCE),
    "health_monitoring": (Decimal("20.00"), _F.OTHER_SERVICE_ASSISTANCE),
    "meal_aid": (Decimal("12.00"), _F.HOME_ELDERLY_CARE),
    "bath_aid": (Decimal("50.00"), _F.HOME_ELDERLY_CARE),
    "mobility_aid": (Decimal("25.00"), _F.HOME_ELDERLY_CARE),
    "cleaning_aid": (Decimal("30.00"), _F.HOME_ELDERLY_CARE),
    "errands": (Decimal("20.00"), _F.OTHER_SERVICE_ASSISTANCE),
    "counselling": (Decimal("100.00"), _F.WORK_FUNDS),
    "resource_linking": (Decimal("50.00"), _F.CHARITY),
    "capacity_building": (Decimal("80.00"), _F.CHARITY),
    "social_integration": (Decimal("50.00"), _F.CHARITY),
}


@dataclass(frozen=True)
class AgreementSeed:
    agreement_no: str
    purchaser_code: str
    provider_id: UUID
    title: str
    starts_on: date = date(2026, 1, 1)
    ends_on: date = date(2026, 12, 31)
    status: AgreementStatus = AgreementStatus.IMPLEMENTING
    # item code -> agreed price (None: at the fee standard); all priced items when None.
    items: dict[str, Decimal | None] | None = None

    @property
    def id(self) -> UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:agreement:{self.agreement_no}")


async def _put(session: AsyncSession, model: type, rows: list[dict[str, Any]], keys: list[str]) -> None:
    if rows:
        await session.execute(insert(model).values(rows).on_conflict_do_nothing(index_elements=keys))


async def configure_county(
    session: AsyncSession, county_code: str, *, pooled: Decimal | None, year: int = 2026,
    accounts: dict[UUID, tuple[str, str, str]] | None = None, agreements: tuple[AgreementSeed, ...] = (),
    fees: dict[str, tuple[Decimal, FundingSource]] = DEFAULT_FEES, fees_from: date = FEES_FROM,
) -> None:
    """Fee standards from `fees_from`, the year's pooled funds, accounts (name, number, bank), agreements."""
    now = datetime.now(UTC)
    await _put(session, FeeStandard, [dict(
        county_code=county_code, item_code=code, valid_from=fees_from, valid_to=None, price=price,
        funding_source=source.value, created_by=SYSTEM_USER, created_at=now,
    ) for code, (price, source) in fees.items()], ["county_code", "item_code", "valid_from"])
    if pooled is not None:
        await _put(session, CountyFunds, [dict(county_code=county_code, year=year, pooled_assistance_funds=pooled,
                                                updated_by=SYSTEM_USER, updated_at=now)], ["county_code", "year"])
    await _put(session, ProviderAccount, [dict(
        provider_id=pid, account_name=name, account_no=no, bank_name=bank, updated_by=SYSTEM_USER, updated_at=now,
    ) for pid, (name, no, bank) in (accounts or {}).items()], ["provider_id"])
    for a in agreements:
        await _put(session, PurchaseAgreement, [dict(
            id=a.id, agreement_no=a.agreement_no, county_code=county_code, purchaser_code=a.purchaser_code,
            provider_id=a.provider_id, title=a.title, starts_on=a.starts_on, ends_on=a.ends_on,
            status=a.status.value, created_by=SYSTEM_USER, created_at=now, updated_at=now,
        )], ["id"])
        items = a.items if a.items is not None else dict.fromkeys(fees)
        await _put(session, AgreementItem, [dict(agreement_id=a.id, item_code=code, price=price)
                                            for code, price in items.items()], ["agreement_id", "item_code"])


async def seed_settlement_demo(sessions: Sessions) -> None:
    from devstack.seed import COUNTY, OTHER_TOWNSHIP, PROVIDERS, TOWNSHIP

    (social_work, *_), (elderly_care, *_) = PROVIDERS
    async with sessions.begin() as session:
        await configure_county(
            session, COUNTY, pooled=Decimal("120000000.00"),
            accounts={social_work: ("贵池区阳光社会工作服务中心", "6217000000000000101", "中国建设银行池州分行(演示)"),
                      elderly_care: ("贵池区康乐养老服务中心", "6217000000000000102", "中国工商银行池州分行(演示)")},
            agreements=(
                AgreementSeed("GC2026-001", TOWNSHIP, social_work, "池阳街道2026年服务类社会救助购买服务"),
                AgreementSeed("GC2026-002", OTHER_TOWNSHIP, social_work, "秋浦街道2026年服务类社会救助购买服务"),
                AgreementSeed("GC2026-003", COUNTY, elderly_care, "贵池区2026年居家照护类社会救助购买服务"),
            ),
        )

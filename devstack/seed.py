"""Demo data for one county under 池州市: divisions, providers, the default service list, a user per role, and
this year's settlement configuration (fee standards, funding sources, pooled funds, fictitious bank accounts,
purchase agreements in 实施 — demo values a county replaces: 001 三(五)1 细化服务事项清单和收费标准).

Divisions: the county's real 统计用区划代码 down to the townships, from the table the admin CLI ships
(`assistflow divisions load 341702`); the demo townships 341702001 and 341702002 are the real 池阳街道 and
秋浦街道. The villages below them are made up (no public village list is shipped) and stored with source
"demo", so a county loading its real village file replaces them by code. The providers' credit codes are
synthetic (valid check character). Idempotent: running it again changes nothing.
`python -m devstack.seed` prints the logins.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.accounts.divisions import DivisionRow, import_rows, shipped_rows
from infra.db import Sessions, make_engine, make_sessions
from infra.security import hash_password, seal_id_number
from models.service_list import DEFAULT_ITEMS
from models.settings import Settings, get_settings
from models.settlement.tables import AgreementItem, CountyFunds, FeeStandard, ProviderAccount, PurchaseAgreement
from models.tables import Person, Provider, ServiceItem, User
from policy import idnumber
from vocabulary.china import CHINA
from vocabulary.settlement import AgreementStatus, FundingSource

DEMO_PASSWORD = "assistflow-demo"
COUNTY = "341702"
TOWNSHIP = "341702001"
OTHER_TOWNSHIP = "341702002"
VILLAGE = "341702001001"
OTHER_VILLAGE = "341702002001"

# Made-up villages under the real townships (marked 演示 and stored with source "demo").
DEMO_VILLAGES = (
    DivisionRow(VILLAGE, "杏花村社区(演示)"),
    DivisionRow("341702001002", "清溪社区(演示)"),
    DivisionRow(OTHER_VILLAGE, "平天湖社区(演示)"),
)

PROVIDERS = (
    (UUID("00000000-0000-4000-8000-000000000101"), "GCSG", "贵池区阳光社会工作服务中心", "社会工作服务机构",
     "52341702MJA0001011"),
    (UUID("00000000-0000-4000-8000-000000000102"), "GCHL", "贵池区康乐养老服务中心", "社会福利机构",
     "52341702MJA0001024"),
)

DEMO_PERSON_ID = UUID("00000000-0000-4000-8000-000000000201")


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    jurisdiction: str
    provider: UUID | None = None
    person: UUID | None = None
    lead: bool = False


USERS = (
    DemoUser("zhangsan", "张三", "applicant", VILLAGE, person=DEMO_PERSON_ID),
    DemoUser("xieliyuan", "李协理", "village_assistant", VILLAGE),
    DemoUser("xieliyuan2", "周协理", "village_assistant", OTHER_VILLAGE),
    DemoUser("jiedao", "王办事", "township_worker", TOWNSHIP),
    DemoUser("jiedao2", "赵办事", "township_worker", OTHER_TOWNSHIP),
    DemoUser("jiedaolead", "周分管", "township_worker", TOWNSHIP, lead=True),
    DemoUser("minzheng", "陈民政", "county_officer", COUNTY),
    DemoUser("fuwu", "孙社工", "provider", COUNTY, provider=PROVIDERS[0][0]),
    DemoUser("fuwu2", "钱护理", "provider", COUNTY, provider=PROVIDERS[1][0]),
    DemoUser("shenji", "沈审计", "auditor", COUNTY),
)


def demo_id_number(region: str = COUNTY, born: str = "19480312", serial: str = "123") -> str:
    """A synthetic ID number with a correct check digit (not a real person's)."""
    first17 = f"{region}{born}{serial}"
    return first17 + idnumber.check_digit(first17)


def user_id(username: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"assistflow:user:{username}")


async def _upsert(session: AsyncSession, model: type, rows: list[dict[str, object]], keys: list[str]) -> None:
    if rows:
        await session.execute(insert(model).values(rows).on_conflict_do_nothing(index_elements=keys))


async def seed_demo(sessions: Sessions, settings: Settings) -> None:
    now = datetime.now(UTC)
    number = demo_id_number()
    facts = idnumber.parse(number)
    password = hash_password(DEMO_PASSWORD)
    async with sessions.begin() as s:
        await import_rows(s, COUNTY, shipped_rows(COUNTY), source="stats")
        await import_rows(s, COUNTY, list(DEMO_VILLAGES), source="demo")
        await _upsert(s, Provider, [dict(id=i, code=c, name=n, kind=k, county_code=COUNTY, last_service_no=0,
                                         active=True, credit_code=cc) for i, c, n, k, cc in PROVIDERS], ["id"])
        await _upsert(s, ServiceItem, [
            dict(county_code=COUNTY, code=i.code, category=i.category, name=i.name, unit=i.unit,
                 government_funded=i.government_funded, overlaps_benefits=list(i.overlaps_benefits))
            for i in DEFAULT_ITEMS
        ], ["county_code", "code"])
        await _upsert(s, Person, [dict(
            id=DEMO_PERSON_ID, id_hash=idnumber.lookup_hash(number, settings.id_hash_key),
            id_cipher=seal_id_number(number, settings.id_cipher_key), name="张三", gender=facts.gender,
            birth_date=facts.birth_date, village_code=VILLAGE, category="tekun", conditions=["incapacitated"],
            created_at=now, updated_at=now,
        )], ["id"])
        await _upsert(s, User, [dict(
            id=user_id(u.username), username=u.username, full_name=u.full_name, role=u.role,
            jurisdiction=u.jurisdiction, provider_id=u.provider, person_id=u.person, password_hash=password,
            is_lead=u.lead, active=True,
        ) for u in USERS], ["username"])
    await _seed_settlement(sessions, datetime.now(CHINA).year)  # agreements for the year the demo runs in


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


async def configure_county(
    session: AsyncSession, county_code: str, *, pooled: Decimal | None, year: int = 2026,
    accounts: dict[UUID, tuple[str, str, str]] | None = None, agreements: tuple[AgreementSeed, ...] = (),
    fees: dict[str, tuple[Decimal, FundingSource]] = DEFAULT_FEES, fees_from: date = FEES_FROM,
) -> None:
    """Fee standards from `fees_from`, the year's pooled funds, accounts (name, number, bank), agreements."""
    now = datetime.now(UTC)
    await _upsert(session, FeeStandard, [dict(
        county_code=county_code, item_code=code, valid_from=fees_from, valid_to=None, price=price,
        funding_source=source.value, created_by=SYSTEM_USER, created_at=now,
    ) for code, (price, source) in fees.items()], ["county_code", "item_code", "valid_from"])
    if pooled is not None:
        await _upsert(session, CountyFunds, [dict(county_code=county_code, year=year, pooled_assistance_funds=pooled,
                                                updated_by=SYSTEM_USER, updated_at=now)], ["county_code", "year"])
    await _upsert(session, ProviderAccount, [dict(
        provider_id=pid, account_name=name, account_no=no, bank_name=bank, updated_by=SYSTEM_USER, updated_at=now,
    ) for pid, (name, no, bank) in (accounts or {}).items()], ["provider_id"])
    for a in agreements:
        await _upsert(session, PurchaseAgreement, [dict(
            id=a.id, agreement_no=a.agreement_no, county_code=county_code, purchaser_code=a.purchaser_code,
            provider_id=a.provider_id, title=a.title, starts_on=a.starts_on, ends_on=a.ends_on,
            status=a.status.value, created_by=SYSTEM_USER, created_at=now, updated_at=now,
        )], ["id"])
        items = a.items if a.items is not None else dict.fromkeys(fees)
        await _upsert(session, AgreementItem, [dict(agreement_id=a.id, item_code=code, price=price)
                                            for code, price in items.items()], ["agreement_id", "item_code"])


async def _seed_settlement(sessions: Sessions, year: int) -> None:
    """This year's demo settlement: fee standards, pooled funds, accounts, agreements in 实施."""
    (social_work, *_), (elderly_care, *_) = PROVIDERS
    first, last = date(year, 1, 1), date(year, 12, 31)
    async with sessions.begin() as session:
        await configure_county(
            session, COUNTY, pooled=Decimal("120000000.00"), year=year,
            accounts={social_work: ("贵池区阳光社会工作服务中心", "6217000000000000101", "中国建设银行池州分行(演示)"),
                      elderly_care: ("贵池区康乐养老服务中心", "6217000000000000102", "中国工商银行池州分行(演示)")},
            agreements=(
                AgreementSeed(f"GC{year}-001", TOWNSHIP, social_work, f"池阳街道{year}年服务类社会救助购买服务",
                              first, last),
                AgreementSeed(f"GC{year}-002", OTHER_TOWNSHIP, social_work, f"秋浦街道{year}年服务类社会救助购买服务",
                              first, last),
                AgreementSeed(f"GC{year}-003", COUNTY, elderly_care, f"贵池区{year}年居家照护类社会救助购买服务",
                              first, last),
            ),
        )


async def _main() -> None:
    settings = get_settings()
    engine = make_engine(settings.database_url, pool_size=1)
    await seed_demo(make_sessions(engine), settings)
    await engine.dispose()
    print(f"demo users (password {DEMO_PASSWORD}): " + ", ".join(f"{u.username}={u.role}" for u in USERS))


if __name__ == "__main__":
    asyncio.run(_main())

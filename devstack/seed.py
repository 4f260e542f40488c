"""Demo data for one county under 池州市: divisions, providers, the default service list, a user per role.

Divisions: the county's real 统计用区划代码 down to the townships, from the table the admin CLI ships
(`assistflow divisions load 341702`); the demo townships 341702001 and 341702002 are the real 池阳街道 and
秋浦街道. The villages below them are made up (no public village list is shipped) and stored with source
"demo", so a county loading its real village file replaces them by code. The providers' credit codes are
synthetic (valid check character). Idempotent: running it again changes nothing.
`python -m devstack.seed` prints the logins.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.accounts.divisions import DivisionRow, import_rows, shipped_rows
from devstack.seed_settlement import seed_settlement_demo
from infra.db import Sessions, make_engine, make_sessions
from infra.security import hash_password, seal_id_number
from models.service_list import DEFAULT_ITEMS
from models.settings import Settings, get_settings
from models.tables import Person, Provider, ServiceItem, User
from policy import idnumber

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
    await seed_settlement_demo(sessions)


async def _main() -> None:
    settings = get_settings()
    engine = make_engine(settings.database_url, pool_size=1)
    await seed_demo(make_sessions(engine), settings)
    await engine.dispose()
    print(f"demo users (password {DEMO_PASSWORD}): " + ", ".join(f"{u.username}={u.role}" for u in USERS))


if __name__ == "__main__":
    asyncio.run(_main())

"""A county of its own for each settlement test (and the bench): divisions, two providers, the default service
list with fee standards, accounts, the pooled funds and agreements; in-service cases and service records
written set-based in SQL, as the API and the case workflow would have left them.

Each test's county is fresh, so periods and cutoffs of one test never meet another's.
"""

from __future__ import annotations

import itertools
import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from devstack.seed import AgreementSeed, configure_county
from infra.db import Sessions
from models.payloads.actor import Actor
from models.service_list import DEFAULT_ITEMS
from vocabulary.case import Role
from vocabulary.china import CHINA
from vocabulary.settlement import AgreementStatus

_numbers = itertools.count(random.randrange(0, 1500))
PLAN = {"cleaning_aid": 8, "visit": 4}


@dataclass(frozen=True)
class World:
    county: str
    provider_a: UUID  # township agreements with both townships
    provider_b: UUID  # a county agreement
    code_a: str
    code_b: str

    @property
    def township(self) -> str:
        return f"{self.county}001"

    @property
    def other_township(self) -> str:
        return f"{self.county}002"

    @property
    def village(self) -> str:
        return f"{self.township}001"

    @property
    def other_village(self) -> str:
        return f"{self.other_township}001"

    @property
    def officer(self) -> Actor:
        """The county officer (县级民政部门)."""
        return self.actor(Role.COUNTY_OFFICER)

    @property
    def township_worker(self) -> Actor:
        return self.actor(Role.TOWNSHIP_WORKER)

    def actor(self, role: Role, jurisdiction: str | None = None, provider: UUID | None = None) -> Actor:
        where = jurisdiction or {Role.TOWNSHIP_WORKER: self.township, Role.VILLAGE_ASSISTANT: self.village}.get(
            role, self.county)
        tag = f"{role.value}:{where}:{provider}"
        return Actor(user_id=uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:test-user:{tag}"), role=role,
                     jurisdiction=where, provider_id=provider)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA)


async def make_world(sessions: Sessions, *, pooled: Decimal | None = Decimal("10000000.00"), agreements: bool = True,
                     agreement_status: AgreementStatus = AgreementStatus.IMPLEMENTING) -> World:
    n = next(_numbers)
    county = f"34{8000 + n:04d}"
    ids = [uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:test-provider:{county}:{k}") for k in "AB"]
    codes = [f"T{county}{k}" for k in "AB"]
    world = World(county, ids[0], ids[1], codes[0], codes[1])
    async with sessions.begin() as s:
        divisions = [(county, f"测试县{n}", "county", county[:4]),
                     (world.township, "一号街道", "township", county),
                     (world.other_township, "二号街道", "township", county),
                     (world.village, "一号社区", "village", world.township),
                     (world.other_village, "二号社区", "village", world.other_township)]
        for code, name, level, parent in divisions:
            await s.execute(text("INSERT INTO divisions (code, name, level, parent_code) VALUES (:c, :n, :l, :p) "
                                 "ON CONFLICT DO NOTHING"), {"c": code, "n": name, "l": level, "p": parent})
        for pid, code, name in zip(ids, codes, ("测试社工中心", "测试护理中心"), strict=True):
            await s.execute(text("INSERT INTO providers (id, code, name, kind, county_code, last_service_no, active) "
                                 "VALUES (:i, :c, :n, '社会工作服务机构', :county, 0, true)"),
                            {"i": pid, "c": code, "n": f"{name}{n}", "county": county})
        for item in DEFAULT_ITEMS:
            await s.execute(text("""
                INSERT INTO service_items (county_code, code, category, name, unit, government_funded,
                                           overlaps_benefits)
                VALUES (:county, :code, :category, :name, :unit, :gov, CAST(:overlaps AS jsonb))"""),
                {"county": county, "code": item.code, "category": item.category, "name": item.name, "unit": item.unit,
                 "gov": item.government_funded, "overlaps": json.dumps(list(item.overlaps_benefits))})
        seeds = (
            AgreementSeed(f"A{county}-1", world.township, ids[0], "一号街道购买服务", status=agreement_status),
            AgreementSeed(f"A{county}-2", world.other_township, ids[0], "二号街道购买服务", status=agreement_status),
            AgreementSeed(f"A{county}-3", county, ids[1], "全县购买服务", status=agreement_status),
        ) if agreements else ()
        await configure_county(
            s, county, pooled=pooled, agreements=seeds,
            accounts={ids[0]: ("测试社工中心", "62170000000000001", "测试银行"),
                      ids[1]: ("测试护理中心", "62170000000000002", "测试银行")},
        )
    return world


_NEW_CASES = """
DROP TABLE IF EXISTS new_cases;
CREATE TEMP TABLE new_cases ON COMMIT DROP AS
SELECT g, gen_random_uuid() AS person_id, gen_random_uuid() AS case_id FROM generate_series(1, :n) AS g;
INSERT INTO persons (id, id_hash, id_cipher, name, gender, birth_date, village_code, category, conditions,
                     created_at, updated_at)
SELECT person_id, encode(sha256(convert_to(person_id::text, 'UTF8')), 'hex'), '\\x00'::bytea, '服务对象' || g,
       'female', DATE '1945-03-01', :village, 'tekun', '[]'::jsonb, now(), now()
FROM new_cases;
INSERT INTO cases (id, person_id, channel, step, status, holder_role, provider_id, awaiting_applicant, county_code,
                   township_code, village_code, need_category, service_no, seq, opened_at, updated_at)
SELECT case_id, person_id, 'window', 'dynamic_management', 'open', 'township_worker', :provider, false, :county,
       :township, :village, 'living', :tag || lpad(g::text, 6, '0'), 7, now(), now()
FROM new_cases;
INSERT INTO approved_items (case_id, item_code, quantity_per_month)
SELECT case_id, key, value::int FROM new_cases, jsonb_each_text(CAST(:plan AS jsonb));
INSERT INTO service_plans (case_id, provider_id, starts_on, summary, items, filed_by, filed_at)
SELECT case_id, :provider, :starts_on, '测试服务方案', CAST(:items AS jsonb), :provider, now() FROM new_cases;
"""


async def add_cases(session: AsyncSession, world: World, n: int, *, village: str | None = None,
                    provider: UUID | None = None, plan: dict[str, int] | None = None,
                    starts_on: date = date(2026, 1, 1)) -> list[UUID]:
    """`n` in-service cases (step 动态管理) with a filed plan; in the caller's transaction."""
    village = village or world.village
    provider = provider or world.provider_a
    plan = plan or PLAN
    items = [{"item_code": k, "quantity_per_month": v} for k, v in plan.items()]
    params: dict[str, Any] = {
        "n": n, "village": village, "township": village[:9], "county": world.county, "provider": provider,
        "tag": f"S{uuid.uuid4().hex[:6]}-", "plan": json.dumps(plan), "items": json.dumps(items),
        "starts_on": starts_on,
    }
    for statement in _NEW_CASES.strip().rstrip(";").split(";\n"):
        await session.execute(text(statement), params)
    return list((await session.execute(text("SELECT case_id FROM new_cases ORDER BY g"))).scalars())


async def add_record(session: AsyncSession, case_id: UUID, provider: UUID, item: str, started_at: datetime, *,
                     minutes: int = 60, quantity: int = 1, confirmed_at: datetime | None = None,
                     confirmed: bool = True) -> UUID:
    """A service record as the API writes it; confirmed the next day unless told otherwise."""
    rid = uuid.uuid4()
    confirmed_when = (confirmed_at or started_at + timedelta(days=1)) if confirmed else None
    await session.execute(text("""
        INSERT INTO service_records (id, case_id, provider_id, item_code, started_at, minutes, quantity, worker_name,
                                     content, confirmed_by, confirmed_at, recorded_by, recorded_at)
        VALUES (:id, :case, :provider, :item, :started, :minutes, :quantity, '测试社工', '上门服务',
                CASE WHEN :confirmed THEN 'recipient' END, :confirmed_at, :provider, :started)
    """), {"id": rid, "case": case_id, "provider": provider, "item": item, "started": started_at,
           "minutes": minutes, "quantity": quantity, "confirmed": confirmed, "confirmed_at": confirmed_when})
    return rid


async def confirm(session: AsyncSession, record_id: UUID, when: datetime | None = None) -> None:
    await session.execute(text("UPDATE service_records SET confirmed_by = 'recipient', confirmed_at = :at "
                               "WHERE id = :id"), {"id": record_id, "at": when or datetime.now(UTC)})

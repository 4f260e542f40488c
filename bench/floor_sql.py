"""Each step's own SQL, sent bare: the other half of a step's honest floor (bench.bare's local-activity update).

One transaction per step through asyncpg (its statement cache prepares each statement once per connection),
holding only what the step must write for its guarantees: the audit row that makes it idempotent (unique on
(case_id, seq)), the step's record, and the case projection with its deadline columns. No reads, no ORM, no
deadline computation, no Python between the statements. The open also registers the person, as the API does.
Values are the shapes of tests/flow.py's bodies, so the rows are the sizes a walked case writes.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

from devstack.seed import PROVIDERS, user_id
from tests.flow import APPROVE, ARCHIVE, PLAN, SURVEY

WORKER, ASSISTANT, PROVIDER_USER = user_id("jiedao"), user_id("xieliyuan"), user_id("fuwu")
PROVIDER = PROVIDERS[0][0]
VILLAGE = "341702001001"

AUDIT = """INSERT INTO audit_log (case_id, seq, action, actor_id, actor_role, before, after, at)
VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8) ON CONFLICT (case_id, seq) DO NOTHING RETURNING id"""
PROJECT = """UPDATE cases SET step = $2, holder_role = $3, assignee_id = $4, provider_id = $5, seq = $6,
updated_at = $7, due_on = $8, deadline_seq = $6, step_started_on = $9, step_workdays = 10, due_provisional = false
WHERE id = $1"""
PERSON = """INSERT INTO persons (id, id_hash, id_cipher, name, gender, birth_date, village_code, category, conditions,
created_at, updated_at) VALUES ($1, $2, $3, '王秀英', 'female', $4, $5, 'tekun', '["incapacitated"]', $6, $6)
ON CONFLICT (id_hash) DO UPDATE SET updated_at = excluded.updated_at RETURNING id"""
CASE = """INSERT INTO cases (id, person_id, channel, step, status, holder_role, county_code, township_code,
village_code, seq, opened_at, updated_at, awaiting_applicant, due_provisional, extended, due_on, deadline_seq,
step_started_on, step_workdays, intake_started_on, intake_workdays)
VALUES ($1, $2, 'window', 'registration', 'open', 'township_worker', $3, $4, $5, 1, $6, $6, false, false, false,
$7, 1, $8, 10, $8, 20)"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class Case:
    """One case walked by bare SQL: its ids and the clock its rows carry."""

    def __init__(self) -> None:
        self.id, self.person = uuid.uuid4(), uuid.uuid4()
        self.seq, self.today = 1, date.today()

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)


async def _audit(conn: asyncpg.Connection, case: Case, action: str, role: str, actor: uuid.UUID,
                 form: Any) -> None:
    position = {"step": "x", "holder_role": role}
    await conn.fetchval(AUDIT, case.id, case.seq, action, actor, role, _json({"position": position}),
                        _json({"position": position, "form": form}), case.now)


async def _project(conn: asyncpg.Connection, case: Case, step: str, holder: str, assignee: uuid.UUID | None,
                   provider: uuid.UUID | None = None) -> None:
    await conn.execute(PROJECT, case.id, step, holder, assignee, provider, case.seq, case.now,
                       case.today + timedelta(days=14), case.today)


async def open_case(conn: asyncpg.Connection, case: Case) -> None:
    now = case.now
    await conn.fetchval(PERSON, case.person, os.urandom(32).hex(), os.urandom(120), date(1948, 3, 12), VILLAGE, now)
    await conn.execute(CASE, case.id, case.person, VILLAGE[:6], VILLAGE[:9], VILLAGE, now,
                       case.today + timedelta(days=14), case.today)
    await conn.execute("""INSERT INTO applications (case_id, channel, need_description, submitted_by, submitted_at)
        VALUES ($1, 'window', '独居老人，行动不便，需要上门助洁与探访', $2, $3)""", case.id, WORKER, now)
    await _audit(conn, case, "open", "township_worker", WORKER, {"channel": "window"})


async def register(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "register", "township_worker", WORKER, {"need_category": "living"})
    await conn.execute("""INSERT INTO registrations (case_id, need_category, registered_by, registered_at)
        VALUES ($1, 'living', $2, $3)""", case.id, WORKER, case.now)
    await _project(conn, case, "survey", "village_assistant", WORKER)


async def survey(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "survey", "village_assistant", ASSISTANT, SURVEY)
    await conn.execute("""INSERT INTO surveys (case_id, visited_on, surveyors, identity_checked, signed_by_both,
        assessments, own_requests, existing_benefits, recorded_by, recorded_at)
        VALUES ($1, $2, $3::jsonb, true, true, $4::jsonb, $5, '[]', $6, $7)""", case.id, date(2026, 11, 2),
        _json(SURVEY["surveyors"]), _json(SURVEY["assessments"]), SURVEY["own_requests"], ASSISTANT, case.now)
    await _project(conn, case, "review", "township_worker", WORKER)


async def review(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "review", "township_worker", WORKER, APPROVE)
    await conn.execute("""INSERT INTO reviews (case_id, decision, reasons, eligibility_basis, difficulty_type,
        difficulty_degree, decided_by, decided_at) VALUES ($1, 'approve', $2, '特困人员', $3, 'severe', $4, $5)""",
        case.id, APPROVE["reasons"], APPROVE["difficulty_type"], WORKER, case.now)
    await conn.execute("""INSERT INTO approved_items (case_id, item_code, quantity_per_month)
        SELECT $1, code, qty FROM unnest($2::text[], $3::int[]) AS i(code, qty)""", case.id,
        [i["item_code"] for i in APPROVE["items"]], [i["quantity_per_month"] for i in APPROVE["items"]])
    await _project(conn, case, "referral", "township_worker", WORKER)


async def refer(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "refer", "township_worker", WORKER, {"provider_id": str(PROVIDER)})
    await conn.execute("""INSERT INTO referrals (case_id, seq, provider_id, referred_by, referred_at)
        VALUES ($1, $2, $3, $4, $5)""", case.id, case.seq, PROVIDER, WORKER, case.now)
    await _project(conn, case, "referral", "provider", WORKER, PROVIDER)


async def respond(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "respond_referral", "provider", PROVIDER_USER, {"accept": True})
    await conn.execute("""UPDATE referrals SET accepted = true, responded_at = $2 WHERE case_id = $1
        AND seq = $3""", case.id, case.now, case.seq - 1)
    await _project(conn, case, "service", "provider", WORKER, PROVIDER)


async def plan(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "file_plan", "provider", PROVIDER_USER, PLAN)
    await conn.execute("""INSERT INTO service_plans (case_id, provider_id, starts_on, summary, items, filed_by,
        filed_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)""", case.id, PROVIDER, date(2026, 11, 1),
        PLAN["summary"], _json(PLAN["items"]), PROVIDER_USER, case.now)
    await _project(conn, case, "archiving", "provider", WORKER, PROVIDER)


async def archive(conn: asyncpg.Connection, case: Case) -> None:
    await _audit(conn, case, "build_archive", "provider", PROVIDER_USER, ARCHIVE)
    docs = ARCHIVE["documents"]
    await conn.execute("""INSERT INTO archive_documents (case_id, kind, missing_reason, updated_at)
        SELECT $1, kind, reason, $4 FROM unnest($2::text[], $3::text[]) AS d(kind, reason)""", case.id,
        [d["kind"] for d in docs], [d["missing_reason"] for d in docs], case.now)
    row = await conn.fetchrow("""UPDATE providers SET last_service_no = last_service_no + 1 WHERE id = $1
        RETURNING code, last_service_no""", PROVIDER)
    await conn.execute("""INSERT INTO archives (case_id, provider_id, service_no, created_by, created_at)
        VALUES ($1, $2, $3, $4, $5)""", case.id, PROVIDER, f"{row['code']}-{row['last_service_no']:06d}",
        PROVIDER_USER, case.now)
    await conn.execute("""UPDATE cases SET step = 'dynamic_management', holder_role = 'township_worker',
        assignee_id = NULL, seq = $2, updated_at = $3, service_no = $4, due_on = NULL, deadline_seq = NULL
        WHERE id = $1""", case.id, case.seq, case.now, f"{row['code']}-{row['last_service_no']:06d}")


# (label as bench.walk's STEPS, the step's statements): the seven advances after the open.
Step = Callable[[asyncpg.Connection, Case], Awaitable[None]]
STEPS: tuple[tuple[str, Step], ...] = (
    ("registration", register), ("survey", survey), ("review", review), ("referral", refer),
    ("provider acceptance", respond), ("service plan", plan), ("archive", archive),
)


async def run_step(pool: asyncpg.Pool, case: Case, statements: Step) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await statements(conn, case)
    case.seq += 1


def asyncpg_dsn(url: str) -> str:
    """An SQLAlchemy URL (postgresql+asyncpg://...) as asyncpg takes it."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)

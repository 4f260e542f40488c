"""Settlement of services that went the whole way through the system: a case opened and walked into service over
HTTP by its own people (so the case workflow wrote its rows), the provider's services recorded through the API,
then the county's monthly run. The statement's lines are those services, paid once; a re-run changes nothing.
(The other settlement tests build their people, cases and records in SQL.)"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from infra.db import Sessions
from tests.api.conftest import Http
from tests.flow import APPROVE, SURVEY, new_person
from tests.world import World
from vocabulary.case import Role

PLAN = {"starts_on": "2026-10-01", "summary": "每周助洁，每月探访", "items": APPROVE["items"]}
SERVICES = [  # what the provider's worker did in October 2026, entered after each visit
    {"item_code": "cleaning_aid", "started_at": "2026-10-06T09:00:00+08:00", "minutes": 60, "worker_name": "孙社工",
     "content": "清洁厨房与卫生间"},
    {"item_code": "cleaning_aid", "started_at": "2026-10-13T09:00:00+08:00", "minutes": 60, "worker_name": "孙社工",
     "content": "清洁卧室，清洗床单"},
    {"item_code": "visit", "started_at": "2026-10-20T15:00:00+08:00", "minutes": 30, "worker_name": "孙社工",
     "content": "探访，了解身体状况"},
]


async def count(sessions: Sessions, sql: str, **params: Any) -> int:
    async with sessions() as s:
        return int((await s.execute(text(sql), params)).scalar_one())


async def walked_into_service(http: Http, world: World) -> str:
    worker, assistant = world.township_worker, world.actor(Role.VILLAGE_ASSISTANT)
    provider = world.actor(Role.PROVIDER, provider=world.provider_a)
    case = (await http.ok("POST", "/cases", worker, {
        "channel": "window", "need_description": "独居老人，需要上门助洁与探访",
        "person": new_person(village=world.village, name="吴桂兰")}))["id"]
    await http.ok("POST", f"/cases/{case}/registration", worker, {"need_category": "living"})
    await http.ok("POST", f"/cases/{case}/survey", assistant, SURVEY)
    await http.ok("POST", f"/cases/{case}/review", worker, APPROVE)
    await http.ok("POST", f"/cases/{case}/referral", worker, {"provider_id": str(world.provider_a)})
    await http.ok("POST", f"/cases/{case}/referral/response", provider, {"accept": True})
    planned = await http.ok("POST", f"/cases/{case}/plan", provider, PLAN)
    assert planned["step"] == "archiving"  # in service: the provider records what it does
    return str(case)


async def test_services_recorded_through_the_api_are_settled_and_paid_once(
        http: Http, world: World, sessions: Sessions) -> None:
    case = await walked_into_service(http, world)
    provider, worker = world.actor(Role.PROVIDER, provider=world.provider_a), world.township_worker
    recorded = [await http.ok("POST", f"/cases/{case}/service-records", provider, s) for s in SERVICES]
    again = await http.ok("POST", f"/cases/{case}/service-records", provider, SERVICES[0])  # sent twice: one record
    assert again["id"] == recorded[0]["id"]
    for r in recorded:  # the recipient signs each on the provider's tablet: only confirmed services are paid
        confirmed = await http.ok("POST", f"/cases/{case}/service-records/{r['id']}/confirmation", provider,
                                  {"by": "recipient"})
        assert confirmed["confirmed_by"] == "recipient"

    ids = [uuid.UUID(r["id"]) for r in recorded]
    summary = await http.run(world, "2026-10")
    assert summary.statements == 1
    (statement,) = (await http.ok("GET", "/statements", worker, period="2026-10"))["items"]
    assert (statement["purchaser_code"], statement["provider_id"], statement["status"], statement["total_amount"]) == (
        world.township, str(world.provider_a), "draft", "90.00")
    sid = statement["id"]
    lines = await http.ok("GET", f"/statements/{sid}/lines", worker)
    assert [(ln["case_id"], ln["person_name"], ln["item_code"], ln["service_month"], ln["kind"], ln["quantity"],
             ln["record_count"], ln["unit_price"], ln["amount"]) for ln in lines] == [
        (case, "吴桂兰", "cleaning_aid", "2026-10", "regular", 2, 2, "30.00", "60.00"),
        (case, "吴桂兰", "visit", "2026-10", "regular", 1, 1, "30.00", "30.00")]
    settled = await count(sessions, "SELECT count(*) FROM statement_records WHERE statement_id = :s "
                                    "AND record_id = ANY(:r)", s=sid, r=ids)
    assert settled == 3

    approval = {"version": statement["version"]}
    approved = (await http.post(f"/statements/{sid}/approval", worker, approval, key="approve-1")).json()
    assert approved["status"] == "approved"
    retried = await http.post(f"/statements/{sid}/approval", worker, approval, key="approve-1")
    assert (retried.status_code, retried.json()) == (200, approved)  # the original answer
    reused = await http.post(f"/statements/{sid}/return", worker, {**approval, "reason": "核对"}, key="approve-1")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    payment = {"voucher_no": "PZ-2026-1106", "paid_on": "2026-11-06"}
    paid = await http.ok("POST", f"/statements/{sid}/payment", worker, payment)
    assert (paid["status"], paid["paid_on"], paid["voucher_no"]) == ("paid", "2026-11-06", "PZ-2026-1106")
    assert (await http.ok("POST", f"/statements/{sid}/payment", worker, payment))["status"] == "paid"
    assert await count(sessions, "SELECT count(*) FROM audit_log WHERE action = 'statement_paid' "
                                 "AND after->>'statement_id' = :s", s=sid) == 1

    await http.run(world, "2026-10")  # the re-run: identical, nothing paid twice
    after = await http.ok("GET", f"/statements/{sid}", worker)
    assert (after["status"], after["total_amount"], after["content_sha256"], after["version"]) == (
        "paid", "90.00", paid["content_sha256"], paid["version"])
    assert await http.ok("GET", f"/statements/{sid}/lines", worker) == lines
    assert (await http.ok("GET", "/statements", worker, period="2026-10"))["total"] == 1
    assert await count(sessions, "SELECT count(*) FROM statement_records WHERE record_id = ANY(:r)", r=ids) == 3
    covered = await http.ok("GET", f"/cases/{case}/statements", world.actor(Role.VILLAGE_ASSISTANT))
    assert [(c["statement_id"], c["status_zh"], c["amount"], c["items"]) for c in covered] == [
        (sid, "已支付", "90.00", ["cleaning_aid", "visit"])]

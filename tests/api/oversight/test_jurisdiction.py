"""Every oversight endpoint keeps to the asker's jurisdiction: a record of another county (or township, or
provider) answers exactly as one that does not exist — 404 with the same code — and lists never show it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from devstack.seed import AgreementSeed
from infra.db import Sessions
from models.payloads.actor import Actor
from tests.api.conftest import Http
from tests.world import World, add_cases, add_record, at, make_world
from vocabulary.case import Role


async def records(sessions: Sessions, world: World) -> dict[str, Any]:
    """One of each oversight record in `world`, made through the API by its own people."""
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
        for day in (3, 4, 5):
            await add_record(s, case, world.provider_a, "visit", at(date(2025, 3, day)))
    officer = world.officer
    http: Http = records.http  # type: ignore[attr-defined]
    (pub,) = await http.ok("POST", "/notices/publications", officer, {"village_code": world.village})
    objection = await http.ok("POST", f"/notices/publications/{pub['id']}/objections",
                              world.actor(Role.VILLAGE_ASSISTANT), {"content": "此人已外出务工", "line_no": 1})
    await http.ok("POST", "/checks/inspectors", officer, {"name": "县检查员"})
    await http.ok("POST", "/checks/draws", officer, {"year": 2025, "percent": 100})
    check = (await http.ok("GET", "/checks", officer, year=2025))[0]
    done = await http.ok("POST", f"/checks/{check['record_id']}/result", officer,
                         {"method": "home_visit", "result": "quality_issue"})
    complaint = await http.ok("POST", "/complaints", officer, {
        "channel": "letter", "category": "other", "content": "来信反映", "township_code": world.township})
    await http.ok("POST", "/visits/draws", officer, {"period": "2026-11"})
    visit = (await http.ok("GET", "/visits", officer, period="2026-11"))[0]
    agreement = str(AgreementSeed(f"A{world.county}-1", world.township, world.provider_a, "").id)
    await http.ok("POST", "/evaluations", world.township_worker, {"agreement_id": agreement})
    return {"publication": pub["id"], "objection": objection["id"], "record": check["record_id"],
            "rectification": done["rectification_id"], "complaint": complaint["id"], "visit": visit["id"],
            "agreement": agreement}


ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "/notices/publications/{publication}", None),
    ("GET", "/notices/publications/{publication}/file", None),
    ("POST", "/notices/publications/{publication}/objections", {"content": "异议"}),
    ("GET", "/objections/{objection}", None),
    ("POST", "/objections/{objection}/decision", {"result": "rejected", "reasons": "经核实不成立"}),
    ("GET", "/checks/{record}", None),
    ("POST", "/checks/{record}/result", {"method": "phone", "result": "confirmed"}),
    ("GET", "/rectifications/{rectification}", None),
    ("POST", "/rectifications/{rectification}/report", {"report": "已整改"}),
    ("POST", "/rectifications/{rectification}/verification", {"accepted": True}),
    ("GET", "/complaints/{complaint}", None),
    ("POST", "/complaints/{complaint}/acceptance", None),
    ("POST", "/complaints/{complaint}/extension", {"working_days": 2, "reason": "调查"}),
    ("POST", "/complaints/{complaint}/reply", {"reply": "已答复", "upheld": False}),
    ("POST", "/complaints/{complaint}/return-visit", {"satisfied": True}),
    ("POST", "/visits/{visit}", {"reached": False}),
    ("GET", "/evaluations/{agreement}", None),
    ("GET", "/evaluations/{agreement}/xlsx", None),
]


async def call(http: Http, method: str, path: str, actor: Actor, body: Any) -> Any:
    return await http.http.request(method, path, json=body, headers=http.headers(actor))


async def test_foreign_and_absent_answer_alike(ohttp: Http, sessions: Sessions, world: World) -> None:
    records.http = ohttp  # type: ignore[attr-defined]
    ids = await records(sessions, world)
    elsewhere = await make_world(sessions)
    strangers = [elsewhere.officer, elsewhere.township_worker, elsewhere.actor(Role.VILLAGE_ASSISTANT),
                 elsewhere.actor(Role.PROVIDER, provider=elsewhere.provider_a), elsewhere.actor(Role.AUDITOR)]
    owners = {"publication": world.officer, "objection": world.township_worker, "record": world.officer,
              "rectification": world.actor(Role.PROVIDER, provider=world.provider_a), "complaint": world.officer,
              "visit": world.actor(Role.VILLAGE_ASSISTANT), "agreement": world.officer}
    for method, template, body in ENDPOINTS:
        key = template.split("{")[1].split("}")[0]
        absent = await call(ohttp, method, template.format(**{key: uuid.uuid4()}), owners[key], body)
        assert absent.status_code == 404, (template, absent.text)
        for stranger in strangers:
            foreign = await call(ohttp, method, template.format(**ids), stranger, body)
            assert (foreign.status_code, foreign.json()["code"]) == (404, absent.json()["code"]), (
                template, stranger.role, foreign.text)
    # A township of the same county does not see the other township's records either.
    neighbour = world.actor(Role.TOWNSHIP_WORKER, world.other_township)
    for template in ("/objections/{objection}", "/rectifications/{rectification}", "/complaints/{complaint}",
                     "/notices/publications/{publication}"):
        assert (await ohttp.get(template.format(**ids), neighbour)).status_code == 404, template

    for path, params in (("/notices/current", {"village_code": world.village}), ("/ledger", {"division_code":
                         world.village}), ("/ledger/export", {"division_code": world.county})):
        assert (await ohttp.get(path, elsewhere.officer, **params)).status_code == 404, path
    publish = await ohttp.post("/notices/publications", elsewhere.officer, {"village_code": world.village})
    assert publish.status_code == 404
    evaluate = await ohttp.post("/evaluations", elsewhere.officer, {"agreement_id": ids["agreement"]})
    assert evaluate.status_code == 404
    for stranger in strangers:
        for path, params in (("/notices/publications", {}), ("/objections", {}), ("/rectifications", {}),
                             ("/complaints", {}), ("/visits", {}), ("/evaluations", {}),
                             ("/checks", {"year": 2025})):
            listed = await ohttp.get(path, stranger, **params)
            assert listed.status_code in (200, 403), (path, listed.text)
            assert listed.status_code == 403 or not [x for x in listed.json() if str(x).find(world.county) >= 0
                                                     or any(v in str(x) for v in ids.values())], (path, stranger.role)
        tasks = await ohttp.ok("GET", "/inbox/other-tasks", stranger)
        assert not [t for t in tasks["items"] if t["county_code"] == world.county]

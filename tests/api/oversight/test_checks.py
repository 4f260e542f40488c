"""Spot checks: a reproducible stratified draw (the same seed over the same records gives the same sample, which
anyone can recompute), coverage of the county's target with its gap and the top-up, inspectors who never check
their own township or provider, and what a finding leads to."""

from __future__ import annotations

import io
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any

from PIL import Image
from sqlalchemy import text

from activities.oversight.sampling import draw
from infra.db import Sessions
from policy.oversight import DEFAULT_SETTINGS, quotas, seed_number
from tests import oracle
from tests.api.conftest import Http
from tests.world import World, add_cases, add_record, at
from vocabulary.case import Role
from vocabulary.oversight import DrawKind

YEAR = 2025  # a year wholly past on any day the tests run: every record of it is in the population


async def county_year(sessions: Sessions, world: World) -> dict[tuple[str, str], list[Any]]:
    """Three strata: township 1 x provider A (6 cases), township 2 x A (4), township 1 x B (5); ten records
    per case spread over the year."""
    out: dict[tuple[str, str], list[Any]] = {}
    async with sessions.begin() as s:
        for village, provider, n in ((world.village, world.provider_a, 6), (world.other_village, world.provider_a, 4),
                                     (world.village, world.provider_b, 5)):
            for case in await add_cases(s, world, n, village=village, provider=provider, starts_on=date(YEAR, 1, 1)):
                for k in range(10):
                    rid = await add_record(s, case, provider, "visit", at(date(YEAR, 1 + k, 3 + k)))
                    out.setdefault((village[:9], str(provider)), []).append(rid)
    return out


async def register(http: Http, world: World) -> dict[str, str]:
    """An inspector from each township, one from each provider, and one of the county's own staff."""
    people = {"T1": {"township_code": world.township}, "T2": {"township_code": world.other_township},
              "PA": {"provider_id": str(world.provider_a)}, "PB": {"provider_id": str(world.provider_b)}, "C": {}}
    ids = {}
    for name, where in people.items():
        added = await http.ok("POST", "/checks/inspectors", world.officer, {"name": f"检查员{name}", **where})
        ids[name] = added["id"]
    return ids


async def samples(sessions: Sessions, county: str) -> dict[tuple[str, str], list[str]]:
    async with sessions() as s:
        rows = (await s.execute(text("SELECT township_code, provider_id, record_ids FROM check_samples "
                                     "WHERE county_code = :c"), {"c": county})).all()
    return {(r.township_code, str(r.provider_id)): [str(i) for i in r.record_ids] for r in rows}


async def test_the_draw_is_stratified_reproducible_and_covers_the_target(
    ohttp: Http, sessions: Sessions, world: World,
) -> None:
    strata = await county_year(sessions, world)
    await register(ohttp, world)
    as_of = datetime.now(UTC)

    async def dry_run(seed: str) -> dict[tuple[str, str], list[str]]:
        async with sessions() as s, s.begin():
            await draw(s, uuid.uuid4(), world.county, YEAR, DrawKind.REGULAR, 20, seed, as_of, dict(DEFAULT_SETTINGS))
            rows = (await s.execute(text("SELECT township_code, provider_id, record_ids FROM check_samples "
                                         "WHERE county_code = :c"), {"c": world.county})).all()
            await s.rollback()
        return {(r.township_code, str(r.provider_id)): [str(i) for i in r.record_ids] for r in rows}

    first, again, other = await dry_run("seed-0001"), await dry_run("seed-0001"), await dry_run("seed-0002")
    assert first == again and first != other
    # The quotas: 20% of 150 records shared in proportion to the strata's sizes (60, 40, 50).
    assert {k: len(v) for k, v in first.items()} == quotas({k: len(v) for k, v in strata.items()}, 30)
    assert {k: len(v) for k, v in first.items()} == {k: n // 5 for k, n in
                                                      {k: len(v) for k, v in strata.items()}.items()}
    # Anyone can recompute it: in each stratum, the records with the smallest keys for the seed.
    async with sessions() as s:
        for (township, provider), drawn in first.items():
            expected = (await s.execute(text(
                "SELECT r.id::text FROM service_records r JOIN cases c ON c.id = r.case_id WHERE c.township_code = :t "
                "AND r.provider_id = :p ORDER BY uuid_hash_extended(r.id, :seed), r.id LIMIT :n"),
                {"t": township, "p": provider, "seed": seed_number("seed-0001"), "n": len(drawn)})).scalars().all()
            assert drawn == list(expected)

    made = await ohttp.ok("POST", "/checks/draws", world.officer, {"year": YEAR, "percent": 20, "seed": "seed-0001"})
    assert (made["population"], made["sampled"], made["seq"], made["seed"]) == (150, 30, 1, "seed-0001")
    assert await samples(sessions, world.county) == first  # the recorded draw is the dry run's sample
    coverage = await ohttp.ok("GET", "/checks/coverage", world.officer, year=YEAR)
    assert (coverage["total"], coverage["sampled"], coverage["target"], coverage["gap"]) == (150, 30, 45, 15)

    topped = await ohttp.ok("POST", "/checks/draws", world.officer, {"year": YEAR, "kind": "top_up"})
    assert (topped["kind"], topped["population"], topped["sampled"]) == ("top_up", 120, 15)
    coverage = await ohttp.ok("GET", "/checks/coverage", world.officer, year=YEAR)
    assert (coverage["sampled"], coverage["gap"], coverage["percent"]) == (45, 0, 30.0)
    async with sessions() as s:
        everything = (await s.execute(text("SELECT unnest(record_ids) FROM check_samples WHERE county_code = :c"),
                                      {"c": world.county})).scalars().all()
    assert len(everything) == len(set(everything)) == 45  # a record is drawn at most once
    again_topped = await ohttp.ok("POST", "/checks/draws", world.officer, {"year": YEAR, "kind": "top_up"})
    assert again_topped["sampled"] == 0
    assert [d["seq"] for d in await ohttp.ok("GET", "/checks/draws", world.officer, year=YEAR)] == [1, 2, 3]


async def test_no_inspector_checks_their_own_township_or_provider(
    ohttp: Http, sessions: Sessions, world: World,
) -> None:
    strata = await county_year(sessions, world)
    ids = await register(ohttp, world)
    await ohttp.ok("POST", "/checks/draws", world.officer, {"year": YEAR, "percent": 40})
    checks = await ohttp.ok("GET", "/checks", world.officer, year=YEAR, limit=500)
    assert len(checks) == 60
    own = {ids["T1"]: ("township", world.township), ids["T2"]: ("township", world.other_township),
           ids["PA"]: ("provider", str(world.provider_a)), ids["PB"]: ("provider", str(world.provider_b))}
    for check in checks:
        kind, where = own.get(check["inspector_id"], ("county", None))
        assert not (kind == "township" and check["township_code"] == where), check
        assert not (kind == "provider" and check["provider_id"] == where), check
    per_stratum = Counter((c["township_code"], c["provider_id"], c["inspector_id"]) for c in checks)
    for township, provider in strata:  # each stratum's records alternate between the two inspectors drawn for it
        loads = [n for (t, p, _), n in per_stratum.items() if (t, p) == (township, provider)]
        assert len(loads) == 2 and abs(loads[0] - loads[1]) <= 1

    # With only inspectors who would check their own (township 1's, and provider A's), township 1 x A cannot
    # be drawn: the draw is refused and nothing is written.
    for name in ("T2", "PB", "C"):
        await ohttp.ok("POST", f"/checks/inspectors/{ids[name]}/active", world.officer, None, active="false")
    refused = await ohttp.post("/checks/draws", world.officer, {"year": YEAR, "percent": 10})
    assert (refused.status_code, refused.json()["code"]) == (422, "no_eligible_inspector")
    assert len(await ohttp.ok("GET", "/checks/draws", world.officer, year=YEAR)) == 1


async def test_findings_lead_to_rectification_and_the_provider_is_told(
    ohttp: Http, sessions: Sessions, world: World,
) -> None:
    await county_year(sessions, world)
    await register(ohttp, world)
    await ohttp.ok("POST", "/checks/draws", world.officer, {"year": YEAR, "percent": 10})
    pending = await ohttp.ok("GET", "/checks", world.officer, year=YEAR, pending=True)
    by_a = next(c for c in pending if c["provider_id"] == str(world.provider_a))
    async with sessions() as s:  # whom the checker visits: the recipient's name and village, no ID number
        person = (await s.execute(text("SELECT p.name, p.village_code FROM cases c JOIN persons p ON p.id = "
                                       "c.person_id WHERE c.id = :c"), {"c": by_a["case_id"]})).one()
    assert (by_a["recipient_name"], by_a["village_code"]) == (person.name, person.village_code)
    assert by_a["recipient_name"].startswith("服务对象") and by_a["village_name"]
    assert "id_number" not in by_a and "id_cipher" not in by_a
    path = f"/checks/{by_a['record_id']}/result"
    body = {"method": "phone", "result": "quality_issue", "notes": "服务时间不足"}
    foreign_worker = world.actor(Role.TOWNSHIP_WORKER, world.other_township)
    if by_a["township_code"] != world.other_township:
        assert (await ohttp.post(path, foreign_worker, body)).status_code == 404
    checked = await ohttp.ok("POST", path, world.officer, body)
    assert (checked["result"], checked["method"]) == ("quality_issue", "phone")
    assert (await ohttp.ok("POST", path, world.officer, body))["rectification_id"] == checked["rectification_id"]
    clash = await ohttp.post(path, world.officer, {**body, "result": "confirmed"})
    assert (clash.status_code, clash.json()["code"]) == (409, "check_recorded")
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(photo, format="PNG")
    uploaded = await ohttp.http.post(f"/checks/{by_a['record_id']}/evidence", headers=ohttp.headers(world.officer),
                                     files={"file": ("入户照片.png", photo.getvalue(), "image/png")})
    assert uploaded.status_code == 201, uploaded.text
    (evidence,) = uploaded.json()["evidence"]
    kept = await ohttp.get(f"/documents/{evidence['document_id']}/content", world.officer)
    assert kept.status_code == 200 and kept.content.startswith(b"\x89PNG")

    provider = world.actor(Role.PROVIDER, provider=world.provider_a)
    (rect,) = await ohttp.ok("GET", "/rectifications", provider)
    assert (rect["id"], rect["status"], rect["source"]) == (checked["rectification_id"], "open", "spot_check")
    assert await ohttp.ok("GET", "/rectifications", world.actor(Role.PROVIDER, provider=world.provider_b)) == []
    todo = await ohttp.ok("GET", "/inbox/other-tasks", provider)
    assert [t["kind"] for t in todo["items"]] == ["rectification"]
    opened = datetime.fromisoformat(todo["items"][0]["opened_at"]).astimezone(oracle.CHINA).date()
    assert todo["items"][0]["due_on"] == oracle.add(opened, 10)[0].isoformat()  # the default: 10 working days

    reported = await ohttp.ok("POST", f"/rectifications/{rect['id']}/report", provider, {"report": "已增加服务时长"})
    assert (reported["status"], reported["on_time"]) == ("submitted", True)
    assert (await ohttp.ok("GET", "/inbox/other-tasks", provider))["items"] == []
    county_todo = await ohttp.ok("GET", "/inbox/other-tasks", world.officer)
    assert [t["kind"] for t in county_todo["items"]] == ["rectification_review"]
    back = await ohttp.ok("POST", f"/rectifications/{rect['id']}/verification", world.officer,
                          {"accepted": False, "note": "请补充服务记录"})
    assert (back["status"], back["rounds"]) == ("open", 2)
    await ohttp.ok("POST", f"/rectifications/{rect['id']}/report", provider, {"report": "已补充"})
    done = await ohttp.ok("POST", f"/rectifications/{rect['id']}/verification", world.officer, {"accepted": True})
    assert done["status"] == "verified"

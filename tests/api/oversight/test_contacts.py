"""PIPL: a complainant's or objector's telephone shows masked in lists and details; read in full only through
its own route with a purpose, each read recorded in the audit trail first. A provider never reads it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from infra.db import Sessions
from models.tables import AUDIT
from tests.api.conftest import Http
from tests.world import World, add_cases
from vocabulary.case import Role

PHONE = "13812345678"


async def reads(sessions: Sessions, since: datetime) -> list[Any]:
    async with sessions() as s:
        rows = (await s.execute(select(AUDIT.c.after).where(AUDIT.c.action == "read_sensitive", AUDIT.c.at >= since)
                                .order_by(AUDIT.c.at))).scalars().all()
    return list(rows)


async def test_a_complainants_phone_is_masked_and_its_reads_recorded(ohttp: Http, world: World,
                                                                     sessions: Sessions) -> None:
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
    officer, provider = world.officer, world.actor(Role.PROVIDER, provider=world.provider_a)
    made = await ohttp.ok("POST", "/complaints", officer, {
        "channel": "window", "category": "service_quality", "content": "助洁人员未按约定上门",
        "complainant_name": "刘某", "complainant_contact": PHONE, "case_id": str(case), "handler": "provider"})
    assert made["complainant_contact"] == "138****5678"
    path = f"/complaints/{made['id']}"
    assert PHONE not in str(await ohttp.ok("GET", "/complaints", officer))
    assert (await ohttp.ok("GET", path, officer))["complainant_contact"] == "138****5678"
    since = datetime.now(UTC)
    assert (await ohttp.get(f"{path}/contact", officer)).status_code == 422  # no purpose
    refused = await ohttp.get(f"{path}/contact", provider, purpose="联系投诉人")
    assert (refused.status_code, refused.json()["code"]) == (403, "wrong_role")
    other = world.actor(Role.COUNTY_OFFICER, jurisdiction="349999")
    assert (await ohttp.get(f"{path}/contact", other, purpose="联系投诉人")).status_code == 404
    assert await reads(sessions, since) == []

    full = await ohttp.ok("GET", f"{path}/contact", officer, purpose="回访投诉人")
    assert (full["name"], full["contact"], full["purpose"]) == ("刘某", PHONE, "回访投诉人")
    assert await reads(sessions, since) == [
        {"complaint_id": made["id"], "field": "complainant_contact", "purpose": "回访投诉人"}]


async def test_an_objectors_phone_is_masked_and_its_reads_recorded(ohttp: Http, world: World,
                                                                   sessions: Sessions) -> None:
    async with sessions.begin() as s:
        await add_cases(s, world, 1)
    worker = world.township_worker
    (pub,) = await ohttp.ok("POST", "/notices/publications", worker, {"village_code": world.village})
    filed = await ohttp.ok("POST", f"/notices/publications/{pub['id']}/objections", worker, {
        "content": "此人已外出务工", "objector_name": "赵某", "objector_contact": "0566-1234567"})
    assert filed["objector_contact"] == "056****4567"
    assert "1234567" not in str(await ohttp.ok("GET", "/objections", worker))
    since = datetime.now(UTC)
    full = await ohttp.ok("GET", f"/objections/{filed['id']}/contact", worker, purpose="核实异议")
    assert (full["name"], full["contact"]) == ("赵某", "0566-1234567")
    assert await reads(sessions, since) == [
        {"objection_id": filed["id"], "field": "objector_contact", "purpose": "核实异议"}]

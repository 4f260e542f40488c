"""PIPL: a person's health conditions, like the ID number, are read only on their own request with a purpose,
and each read is in the audit trail before it is answered; the roster's error rows (which carry the ID numbers
the platform sent) are recorded the same way. A refused read (another township, no purpose) records nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from devstack.seed import VILLAGE
from infra.db import Sessions
from models.tables import AUDIT
from tests.api.test_dynamic import csv_of, finished, upload
from tests.flow import Api, new_person


async def reads(sessions: Sessions, since: datetime) -> list[tuple[Any, ...]]:
    async with sessions() as s:
        rows = (await s.execute(select(AUDIT).where(AUDIT.c.action == "read_sensitive", AUDIT.c.at >= since)
                                .order_by(AUDIT.c.at))).all()
    return [(r.actor_role, r.after) for r in rows]


async def test_health_conditions_are_read_with_a_purpose_and_recorded(api: Api, sessions: Sessions) -> None:
    person = new_person(conditions=("incapacitated", "seriously_ill"))
    case = await api.open(person=person)
    person_id = (await api.get(f"/cases/{case}", "jiedao")).json()["person_id"]
    since = datetime.now(UTC)
    profile = (await api.get(f"/persons/{person_id}", "jiedao")).json()
    assert "conditions" not in profile and "incapacitated" not in str(profile)
    no_purpose = await api.get(f"/persons/{person_id}/conditions", "jiedao")
    assert no_purpose.status_code == 422
    for who in ("jiedao2", "fuwu"):  # another township; a provider the case is not referred to
        assert (await api.get(f"/persons/{person_id}/conditions", who, purpose="核对")).status_code == 404
    assert await reads(sessions, since) == []

    read = await api.get(f"/persons/{person_id}/conditions", "xieliyuan", purpose="入户调查前了解情况")
    assert read.status_code == 200
    assert (read.json()["conditions"], read.json()["conditions_zh"]) == (
        ["incapacitated", "seriously_ill"], ["失能或半失能", "重病患者"])
    assert await reads(sessions, since) == [("village_assistant", {
        "person_id": person_id, "field": "conditions", "purpose": "入户调查前了解情况"})]


async def test_downloading_the_rosters_error_rows_is_recorded(api: Api, sessions: Sessions) -> None:
    wrong = new_person()["id_number"][:17] + "Y"  # not a valid ID number: the row is not imported
    job = await upload(api, csv_of([("周错误", wrong, VILLAGE, "特困人员", "新增", "2026-10-12")]))
    assert job.status_code == 202, job.text
    done = await finished(api, job.json()["id"])
    since = datetime.now(UTC)
    assert (await api.get(f"/dynamic/roster-imports/{done['id']}/errors", "jiedao")).status_code == 404
    assert await reads(sessions, since) == []
    workbook = await api.get(f"/dynamic/roster-imports/{done['id']}/errors", "minzheng")
    assert workbook.status_code == 200
    assert await reads(sessions, since) == [("county_officer", {
        "import_id": done["id"], "field": "roster_error_rows", "purpose": "更正名单错误行"})]

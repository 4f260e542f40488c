"""Another township's case, another provider's account: foreign answers exactly like absent, a refusal reveals
nothing and changes nothing (issue #11, defects 1, 7 and 8)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from devstack.seed import OTHER_VILLAGE, PROVIDERS
from infra.db import Sessions
from models.tables import CASES, PERSONS
from tests.flow import APPROVE, SURVEY, Api, new_person

ABSENT = "00000000-0000-4000-8000-00000000dead"


async def test_foreign_case_answers_like_an_absent_one(api: Api) -> None:
    case = await api.open()  # township 341702001
    for path in ("", "/archive", "/service-records", "/statements"):
        foreign = await api.get(f"/cases/{case}{path}", "jiedao2")
        absent = await api.get(f"/cases/{ABSENT}{path}", "jiedao2")
        assert foreign.status_code == absent.status_code == 404, (path, foreign.text)
        assert foreign.json() == absent.json()
    foreign = await api.post(f"/cases/{case}/registration", "jiedao2", {"need_category": "care"})
    absent = await api.post(f"/cases/{ABSENT}/registration", "jiedao2", {"need_category": "care"})
    assert (foreign.status_code, foreign.json()) == (absent.status_code, absent.json())
    assert foreign.status_code == 404


async def test_opening_for_a_person_of_another_township_changes_nothing_and_reveals_nothing(
    api: Api, sessions: Sessions
) -> None:
    person = new_person(village=OTHER_VILLAGE, category="tekun", conditions=("incapacitated",))
    theirs = await api.open("jiedao2", person)
    who = select(PERSONS).join(CASES, CASES.c.person_id == PERSONS.c.id).where(CASES.c.id == uuid.UUID(theirs))
    async with sessions() as s:
        before = (await s.execute(who)).one()
    moved = {**person, "village_code": "341702001001", "category": "dibao_edge", "conditions": []}
    r = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "需要助洁", "person": moved})
    assert (r.status_code, r.json()["code"]) == (409, "duplicate_open_case")
    assert theirs not in r.text
    assert not (r.json().get("details") or {}).get("case_id")
    async with sessions() as s:
        after = (await s.execute(who)).one()
    assert after == before  # village, category and conditions as township B registered them
    detail = (await api.get(f"/cases/{theirs}", "jiedao2")).json()
    assert (detail["village_code"], detail["step"]) == (OTHER_VILLAGE, "registration")


async def test_own_duplicate_still_names_the_open_case(api: Api) -> None:
    person = new_person()
    mine = await api.open("jiedao", person)
    body = {"channel": "discovery", "need_description": "主动发现", "person": person}
    r = await api.post("/cases", "xieliyuan", body)
    assert (r.status_code, r.json()["code"]) == (409, "duplicate_open_case")
    assert r.json()["details"]["case_id"] == mine


async def test_a_provider_reads_only_its_own_account(api: Api) -> None:
    own, other = str(PROVIDERS[0][0]), str(PROVIDERS[1][0])
    assert (await api.get(f"/providers/{own}/account", "fuwu")).status_code == 200
    foreign = await api.get(f"/providers/{other}/account", "fuwu")
    absent = await api.get(f"/providers/{uuid.uuid4()}/account", "fuwu")
    assert foreign.status_code == absent.status_code == 404, foreign.text
    assert foreign.json() == absent.json()
    assert "62" not in foreign.text  # no account number


async def test_provider_isolation_on_a_referred_case(api: Api) -> None:
    case = await api.walk(until="referral")
    await api.ok(f"/cases/{case}/referral", "jiedao", {"provider_id": str(PROVIDERS[0][0])})
    for path in ("", "/archive", "/service-records", "/statements"):
        r = await api.get(f"/cases/{case}{path}", "fuwu2")
        assert r.status_code == 404, (path, r.text)
    refused = await api.post(f"/cases/{case}/referral/response", "fuwu2", {"accept": True})
    assert refused.status_code == 404


async def test_a_stranger_learns_nothing_from_the_workflows_refusals(api: Api) -> None:
    """The API asks the case workflow first (no read of our records before an update), and the workflow would say
    "wrong step" or "closed" before it looks at jurisdiction: every refusal is checked against our records, so a
    stranger gets the absent case's 404 whatever the case's step or state."""
    case = await api.open()  # township 341702001, at registration
    for path, body in (("/survey", SURVEY), ("/review", APPROVE)):
        foreign = await api.post(f"/cases/{case}{path}", "jiedao2", body)  # the wrong step, and not theirs
        absent = await api.post(f"/cases/{ABSENT}{path}", "jiedao2", body)
        assert (foreign.status_code, foreign.json()) == (absent.status_code, absent.json())
        assert foreign.status_code == 404
    own = await api.post(f"/cases/{case}/review", "jiedao", APPROVE)  # the owner hears the real reason
    assert (own.status_code, own.json()["code"]) == (409, "wrong_step")
    closed = await api.post(f"/cases/{case}/withdrawal", "jiedao", {"reason": "申请人撤回"})
    assert closed.status_code == 200, closed.text
    foreign = await api.post(f"/cases/{case}/registration", "jiedao2", {"need_category": "care"})
    absent = await api.post(f"/cases/{ABSENT}/registration", "jiedao2", {"need_category": "care"})
    assert (foreign.status_code, foreign.json()) == (absent.status_code, absent.json())
    assert foreign.status_code == 404
    again = await api.post(f"/cases/{case}/registration", "jiedao", {"need_category": "care"})
    assert again.status_code == 409 and again.json()["code"] == "case_closed"  # the owner is told it is closed

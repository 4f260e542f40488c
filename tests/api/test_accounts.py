"""Users and providers through the API: who manages whom, what deactivation does to tokens and open cases, and
foreign users and providers answering like absent ones."""

from __future__ import annotations

import uuid
from typing import Any

from devstack.seed import user_id
from tests.flow import Api, new_person

PASSWORD = "account-test-2026"


def name(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


async def new_user(api: Api, by: str, role: str, jurisdiction: str, **extra: Any) -> dict[str, Any]:
    body = {"username": name("u"), "full_name": "测试用户", "role": role, "jurisdiction": jurisdiction,
            "password": PASSWORD, **extra}
    return await api.ok("/users", by, body)


async def login(api: Api, username: str) -> dict[str, str]:
    r = await api.http.post("/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def test_deactivating_a_worker_revokes_tokens_and_hands_open_cases_to_the_township_queue(api: Api) -> None:
    worker = await new_user(api, "minzheng", "township_worker", "341702001")
    token = await login(api, worker["username"])
    opened = await api.http.post("/cases", headers=token, json={
        "channel": "window", "need_description": "需要助餐", "person": new_person()})
    case = opened.json()["id"]
    assert (await api.http.post(f"/cases/{case}/registration", headers=token,
                                json={"need_category": "living"})).status_code == 200
    await api.to_review(case)  # the survey leaves the case in review, assigned to the worker who registered it
    assert (await api.get(f"/cases/{case}", "jiedao")).json()["assignee_id"] == worker["id"]

    out = await api.ok(f"/users/{worker['id']}/deactivation", "jiedaolead", {"reason": "调离岗位"})
    assert out["user"]["active"] is False and out["pending"] == 0
    assert [(r["case_id"], r["ok"]) for r in out["released"]] == [(case, True)]
    refused = await api.http.get("/inbox/tasks", headers=token)
    assert (refused.status_code, refused.json()["code"]) == (401, "token_revoked")
    again = await api.http.post("/auth/token", data={"username": worker["username"], "password": PASSWORD})
    assert again.status_code == 401

    moved = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert (moved["step"], moved["assignee_id"]) == ("review", None)
    assert moved["history"][-1]["action"] == "reassign"  # through the workflow, in the audit log
    stuck = (await api.get("/supervision/stuck", "jiedaolead", reason="unassigned")).json()
    assert case in {c["id"] for c in stuck["items"]}
    queue = (await api.get("/inbox/tasks", "jiedao", limit=200)).json()
    assert case in {c["id"] for c in queue["items"]}  # any township worker of the township may take it
    repeat = await api.ok(f"/users/{worker['id']}/deactivation", "jiedaolead", {"reason": "调离岗位"})
    assert repeat["released"] == [] and repeat["pending"] == 0  # idempotent
    await api.ok("/supervision/reassign", "jiedaolead", {"case_ids": [case], "assignee_id": str(api_user("jiedao")),
                                                         "reason": "重新分派"})
    assert (await api.get(f"/cases/{case}", "jiedao")).json()["assignee_id"] == str(api_user("jiedao"))


def api_user(username: str) -> uuid.UUID:
    return user_id(username)


async def test_reset_password_revokes_earlier_tokens_and_the_new_one_works(api: Api) -> None:
    assistant = await new_user(api, "minzheng", "village_assistant", "341702001001")
    old = await login(api, assistant["username"])
    assert (await api.http.get("/auth/me", headers=old)).status_code == 200
    await api.ok(f"/users/{assistant['id']}/password-reset", "jiedaolead", {"password": "new-password-2026"})
    assert (await api.http.get("/auth/me", headers=old)).status_code == 401
    r = await api.http.post("/auth/token", data={"username": assistant["username"], "password": "new-password-2026"})
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert (await api.http.get("/auth/me", headers=fresh)).status_code == 200


async def test_a_township_lead_manages_its_township_within_limits(api: Api) -> None:
    mine = await new_user(api, "jiedaolead", "village_assistant", "341702001002")
    assert mine["role_zh"] == "村(社区)社会救助协理员"
    for body, code in (
        ({"role": "county_officer", "jurisdiction": "341702"}, "role_not_allowed"),
        ({"role": "village_assistant", "jurisdiction": "341702002001"}, "out_of_jurisdiction"),
        ({"role": "township_worker", "jurisdiction": "341702001", "lead": True}, "lead_not_allowed"),
    ):
        r = await api.post("/users", "jiedaolead", {"username": name("x"), "full_name": "越权", "password": PASSWORD,
                                                    **body})
        assert (r.status_code, r.json()["code"]) == (403, code)
    changed = await api.http.patch(f"/users/{mine['id']}", headers=api.headers("jiedaolead"),
                                   json={"role": "township_worker", "jurisdiction": "341702001"})
    assert changed.status_code == 200 and changed.json()["role"] == "township_worker"
    plain = await api.post("/users", "jiedao", {"username": name("x"), "full_name": "普通", "role": "village_assistant",
                                                "jurisdiction": "341702001001", "password": PASSWORD})
    assert (plain.status_code, plain.json()["code"]) == (403, "wrong_role")
    # Leave the shared demo county's roster as the other tests know it (no extra active township worker).
    await api.ok(f"/users/{mine['id']}/deactivation", "jiedaolead", {"reason": "测试结束"})


async def test_foreign_and_absent_users_and_providers_answer_alike(api: Api) -> None:
    other = await new_user(api, "minzheng", "village_assistant", "341702002001")
    for path in (f"/users/{other['id']}", f"/users/{uuid.uuid4()}"):
        r = await api.get(path, "jiedaolead")  # township 341702001's lead: the user is in 341702002
        assert (r.status_code, r.json()["code"]) == (404, "user_not_found")
    r = await api.post(f"/users/{other['id']}/deactivation", "jiedaolead", {"reason": "越权停用"})
    assert r.status_code == 404
    assert (await api.get(f"/users/{other['id']}", "minzheng")).json()["active"] is True
    listed = await api.get("/users", "jiedaolead", limit=500)
    assert {u["jurisdiction"][:9] for u in listed.json()} == {"341702001"}
    assert (await api.get(f"/providers/{uuid.uuid4()}", "minzheng")).status_code == 404
    self_off = await api.post(f"/users/{api_user('minzheng')}/deactivation", "minzheng", {"reason": "自己"})
    assert (self_off.status_code, self_off.json()["code"]) == (403, "not_self")


async def test_a_deactivated_provider_gets_no_new_referrals(api: Api) -> None:
    provider = await api.ok("/providers", "minzheng", {"name": "测试助老服务中心", "kind": "社会组织",
                                                       "credit_code": "91350100M000100Y43"})
    again = await api.post("/providers", "minzheng", {"name": "测试助老服务中心", "kind": "社会组织",
                                                      "credit_code": "91350100m000100y43"})
    assert again.status_code == 200 and again.json()["id"] == provider["id"]  # idempotent on the credit code
    bad = await api.post("/providers", "minzheng", {"name": "错号机构", "kind": "社会组织",
                                                    "credit_code": "91350100M000100Y44"})
    assert (bad.status_code, bad.json()["code"]) == (422, "bad_credit_code")
    case = await api.walk(until="referral")
    await api.ok(f"/providers/{provider['id']}/deactivation", "minzheng", {"reason": "协议到期"})
    refused = await api.post(f"/cases/{case}/referral", "jiedao", {"provider_id": provider["id"]})
    assert (refused.status_code, refused.json()["code"]) == (422, "unknown_provider")
    listed = (await api.get("/providers/registry", "minzheng")).json()
    assert {p["id"]: p["active"] for p in listed}[provider["id"]] is False
    assert provider["id"] not in {p["id"] for p in (await api.get("/providers", "jiedao")).json()}
    assert (await api.get("/providers/registry", "jiedao")).status_code == 403

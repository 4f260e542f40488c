"""The other ways through a case: provider decline and re-referral, withdrawal, materials returned, no provider."""

from __future__ import annotations

from tests.flow import PROVIDER_A, PROVIDER_B, Api, new_person


async def test_decline_sends_the_case_back_to_referral(api: Api) -> None:
    case = await api.walk(until="referral")
    await api.ok(f"/cases/{case}/referral", "jiedao", {"provider_id": PROVIDER_A})
    refer_again = await api.post(f"/cases/{case}/referral", "jiedao", {"provider_id": PROVIDER_B})
    assert (refer_again.status_code, refer_again.json()["code"]) == (409, "awaiting_provider")
    no_reason = await api.post(f"/cases/{case}/referral/response", "fuwu", {"accept": False})
    assert no_reason.status_code == 422
    declined = await api.ok(f"/cases/{case}/referral/response", "fuwu", {"accept": False, "reason": "本月人手已满"})
    assert (declined["step"], declined["holder_role"], declined["provider_id"]) == ("referral", "township_worker", None)
    assert (await api.get(f"/cases/{case}", "fuwu")).status_code == 404  # no longer its case: as if absent
    same = await api.post(f"/cases/{case}/referral", "jiedao", {"provider_id": PROVIDER_A})
    assert (same.status_code, same.json()["code"]) == (409, "provider_declined")
    await api.ok(f"/cases/{case}/referral", "jiedao", {"provider_id": PROVIDER_B})
    other = await api.post(f"/cases/{case}/referral/response", "fuwu", {"accept": True})
    assert other.status_code == 404
    accepted = await api.ok(f"/cases/{case}/referral/response", "fuwu2", {"accept": True})
    assert (accepted["step"], accepted["provider_id"]) == ("service", PROVIDER_B)


async def test_close_when_no_provider_takes_the_case(api: Api) -> None:
    case = await api.walk(until="referral")
    closed = await api.ok(f"/cases/{case}/closure", "jiedao", {"reason": "本县服务供给主体均无法承接"})
    assert (closed["status"], closed["outcome"]) == ("closed", "no_provider")


async def test_withdraw_before_review_but_not_after(api: Api) -> None:
    early = await api.walk(until="review")
    w = await api.ok(f"/cases/{early}/withdrawal", "jiedao", {"reason": "申请人本人要求撤回"})
    assert (w["status"], w["outcome"]) == ("closed", "withdrawn")
    late = await api.walk(until="referral")
    r = await api.post(f"/cases/{late}/withdrawal", "jiedao", {"reason": "撤回"})
    assert (r.status_code, r.json()["code"]) == (409, "wrong_step")


async def test_applicant_applies_online_sees_own_case_and_resubmits_materials(api: Api) -> None:
    # The township registers the person once (window); the person later applies online for themselves.
    first = await api.open(person=new_person(name="刘桂兰"))
    person_id = (await api.get(f"/cases/{first}", "jiedao")).json()["person_id"]
    await api.ok(f"/cases/{first}/withdrawal", "jiedao", {"reason": "改为本人线上申请"})
    me = api.applicant(person_id)

    opened = await api.http.post("/cases", headers=me, json={"channel": "online", "need_description": "需要助餐"})
    assert opened.status_code == 201, opened.text
    case = opened.json()["id"]
    mine = (await api.http.get("/cases", headers=me)).json()
    assert {c["id"] for c in mine["items"]} == {first, case}
    assert (await api.http.get(f"/cases/{case}", headers=me)).status_code == 200

    back = await api.ok(f"/cases/{case}/materials-request", "jiedao", {"missing": ["户口本复印件", "残疾证"]})
    assert (back["holder_role"], back["awaiting_applicant"]) == ("applicant", True)
    told = (await api.http.get(f"/cases/{case}", headers=me)).json()
    assert told["materials_missing"] == ["户口本复印件", "残疾证"]
    blocked = await api.post(f"/cases/{case}/registration", "jiedao", {"need_category": "living"})
    assert (blocked.status_code, blocked.json()["code"]) == (409, "awaiting_applicant")
    resub = await api.http.post(f"/cases/{case}/resubmission", headers=me, json={"note": "已补交"})
    assert resub.status_code == 200 and resub.json()["holder_role"] == "township_worker"
    await api.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "living"})

    stranger = await api.http.post("/cases", headers=me, json={
        "channel": "online", "need_description": "替别人申请", "person": new_person()})
    assert stranger.status_code == 422


async def test_discovery_is_reported_by_the_village_assistant(api: Api) -> None:
    case = await api.open(user="xieliyuan", channel="discovery")
    detail = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert (detail["channel"], detail["step"]) == ("discovery", "registration")
    assert detail["history"][0]["actor_role"] == "village_assistant"
    by_worker = await api.post("/cases", "jiedao", {"channel": "discovery", "need_description": "x",
                                                    "person": new_person()})
    assert by_worker.status_code == 403

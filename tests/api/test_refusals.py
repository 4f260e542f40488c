"""Each way a step can be refused: wrong order, wrong role, out of jurisdiction, missing field, bad ID number,
duplicate open case, refusal at review. A refused step writes nothing."""

from __future__ import annotations

import asyncio

from tests.flow import APPROVE, SURVEY, Api, new_person


async def _history(api: Api, case: str) -> list[str]:
    return [h["action"] for h in (await api.get(f"/cases/{case}", "jiedao")).json()["history"]]


async def test_step_out_of_order_is_refused_and_nothing_written(api: Api) -> None:
    case = await api.walk(until="survey")
    r = await api.post(f"/cases/{case}/review", "jiedao", APPROVE)
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "wrong_step"
    assert "入户调查" in body["message"]
    assert await _history(api, case) == ["open", "register"]


async def test_wrong_role_is_refused(api: Api) -> None:
    case = await api.open()
    r = await api.post(f"/cases/{case}/registration", "xieliyuan", {"need_category": "care"})
    assert r.status_code == 403
    assert r.json()["code"] == "wrong_role"
    assert "乡镇(街道)社会救助工作人员" in r.json()["message"]
    provider = await api.post(f"/cases/{case}/registration", "fuwu", {"need_category": "care"})
    assert provider.status_code == 404  # a provider does not even see a case not referred to it


async def test_other_township_cannot_see_or_act(api: Api) -> None:
    case = await api.open()
    r = await api.post(f"/cases/{case}/registration", "jiedao2", {"need_category": "care"})
    assert (r.status_code, r.json()["code"]) == (404, "case_not_found")  # foreign answers like absent
    assert (await api.get(f"/cases/{case}", "jiedao2")).status_code == 404
    listed = (await api.get("/cases", "jiedao2", limit=200)).json()
    assert case not in {c["id"] for c in listed["items"]}
    assert await _history(api, case) == ["open"]


async def test_worker_cannot_open_a_case_outside_jurisdiction(api: Api) -> None:
    r = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "需要助餐",
                                            "person": new_person(village="341702002001")})
    assert (r.status_code, r.json()["code"]) == (403, "out_of_jurisdiction")


async def test_missing_field_is_refused_at_the_edge(api: Api) -> None:
    case = await api.walk(until="survey")
    incomplete = {k: v for k, v in SURVEY.items() if k != "assessments"}
    r = await api.post(f"/cases/{case}/survey", "xieliyuan", incomplete)
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_input"
    assert "assessments" in r.json()["message"]
    one_surveyor = {**SURVEY, "surveyors": SURVEY["surveyors"][:1]}
    assert (await api.post(f"/cases/{case}/survey", "xieliyuan", one_surveyor)).status_code == 422
    assert await _history(api, case) == ["open", "register"]


async def test_bad_id_number_is_refused_without_echoing_it(api: Api) -> None:
    person = new_person()
    last = person["id_number"][-1]
    person["id_number"] = person["id_number"][:-1] + ("0" if last != "0" else "1")
    r = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "需要助洁", "person": person})
    assert r.status_code == 422
    assert "校验位" in r.text
    assert person["id_number"] not in r.text


async def test_duplicate_open_case_for_one_person(api: Api) -> None:
    person = new_person()
    first = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "需要助洁", "person": person})
    assert first.status_code == 201
    again = await api.post("/cases", "xieliyuan", {"channel": "discovery", "need_description": "主动发现",
                                                   "person": person})
    assert (again.status_code, again.json()["code"]) == (409, "duplicate_open_case")


async def test_simultaneous_applications_open_one_case(api: Api) -> None:
    person = new_person()
    body = {"channel": "window", "need_description": "需要助洁", "person": person}
    results = await asyncio.gather(*(api.post("/cases", "jiedao", body) for _ in range(4)))
    codes = sorted(r.status_code for r in results)
    assert codes.count(201) == 1 and codes.count(409) == 3, [r.text for r in results]


async def test_same_idempotency_key_opens_one_case_and_registers_once(api: Api) -> None:
    person = new_person()
    body = {"channel": "window", "need_description": "需要助洁", "person": person}
    a = await api.ok("/cases", "jiedao", body, key="form-7f3a")
    b = await api.post("/cases", "jiedao", body, key="form-7f3a")
    assert (b.status_code, b.json()["id"]) == (200, a["id"])  # the same form again: the same case back
    r1 = await api.ok(f"/cases/{a['id']}/registration", "jiedao", {"need_category": "care"}, key="reg-1")
    r2 = await api.ok(f"/cases/{a['id']}/registration", "jiedao", {"need_category": "care"}, key="reg-1")
    assert r1["seq"] == r2["seq"] == 2
    assert await _history(api, a["id"]) == ["open", "register"]


async def test_refusal_in_writing_ends_the_case(api: Api) -> None:
    case = await api.walk(until="review")
    no_reason = await api.post(f"/cases/{case}/review", "jiedao", {"decision": "refuse", "reasons": ""})
    assert no_reason.status_code == 422
    refused = await api.ok(f"/cases/{case}/review", "jiedao",
                           {"decision": "refuse", "reasons": "经入户调查，申请人已由子女照料，无服务需求"})
    assert (refused["status"], refused["outcome"]) == ("closed", "refused")
    detail = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert detail["status"] == "closed" and detail["closed_at"] is not None
    assert detail["closure"]["reason"] == "经入户调查，申请人已由子女照料，无服务需求"
    assert detail["history"][-1]["action_zh"] == "审核确认"
    late = await api.post(f"/cases/{case}/referral", "jiedao", {"provider_id": "00000000-0000-4000-8000-000000000101"})
    assert (late.status_code, late.json()["code"]) == (409, "case_closed")


async def test_approval_of_an_ineligible_person_is_refused(api: Api) -> None:
    case = await api.open(person=new_person(category="dibao_edge", conditions=()))
    await api.to_survey(case)
    await api.to_review(case)
    r = await api.post(f"/cases/{case}/review", "jiedao", APPROVE)
    assert (r.status_code, r.json()["code"]) == (422, "not_eligible")
    assert "失能半失能老年人" in r.json()["message"]
    assert await _history(api, case) == ["open", "register", "survey"]


async def test_item_met_by_existing_benefit_is_not_approved_again(api: Api) -> None:
    case = await api.walk(until="survey")
    await api.ok(f"/cases/{case}/survey", "xieliyuan", {**SURVEY, "existing_benefits": ["long_term_care_insurance"]})
    approve = {**APPROVE, "items": [{"item_code": "nursing_care", "quantity_per_month": 20}]}
    r = await api.post(f"/cases/{case}/review", "jiedao", approve)
    assert (r.status_code, r.json()["code"]) == (422, "duplicate_service")
    assert "长期护理保险" in r.json()["message"]
    unknown = {**APPROVE, "items": [{"item_code": "gardening", "quantity_per_month": 1}]}
    assert (await api.post(f"/cases/{case}/review", "jiedao", unknown)).json()["code"] == "unknown_item"


async def test_unauthenticated_and_bad_token(api: Api) -> None:
    assert (await api.http.get("/cases")).status_code == 401
    r = await api.http.get("/cases", headers={"Authorization": "Bearer forged.token"})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_token")


async def test_same_id_number_under_another_name_is_refused(api: Api) -> None:
    person = new_person(name="张桂芳")
    await api.open(person=person)
    other = {**person, "name": "李桂芳"}
    r = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "需要助洁", "person": other})
    assert (r.status_code, r.json()["code"]) == (409, "person_mismatch")

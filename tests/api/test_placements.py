"""Mode 2, 机构照料服务 (池州方案 三(六)2): a recipient in service enters a 敬老院 with consent; the placement is
listed on the case, its status event reaches the case as dynamic management's task, and the township stops home
services at the person's own request without a hearing: the case shows the institution serving and the
purchase ended. Placements the seed does not allow are refused in Chinese; a foreign case reads as absent."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from tests.flow import Api, new_person


def placement(api: Api, **changes: Any) -> dict[str, Any]:
    day = api.today.isoformat()
    return {"institution_name": "贵池区城关敬老院", "institution_kind": "nursing_home",
            "consent": {"by": "self", "consented_on": day}, "entered_on": day, **changes}


async def taken_in(api: Api, case: str) -> dict[str, Any]:
    for _ in range(100):
        events = (await api.get(f"/cases/{case}/status-events", "jiedao")).json()
        if events and events[0]["taken_in"]:
            return dict(events[0])
        await asyncio.sleep(0.1)
    raise AssertionError("the placement's event never reached the case")


async def test_placement_in_an_institution_ends_home_services(api: Api) -> None:
    case = await api.walk("dynamic_management")
    placed = await api.post(f"/cases/{case}/placements", "jiedao", placement(api), key="place-1")
    assert placed.status_code == 201, placed.text
    again = await api.post(f"/cases/{case}/placements", "jiedao", placement(api), key="place-1")
    assert (again.status_code, again.json()) == (200, placed.json())  # once
    reused = await api.post(f"/cases/{case}/placements", "jiedao", placement(api, institution_name="别处"),
                            key="place-1")
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    second = await api.post(f"/cases/{case}/placements", "jiedao", placement(api, institution_name="另一敬老院"))
    assert second.status_code == 409 and second.json()["code"] == "already_placed"

    event = await taken_in(api, case)
    assert (event["change_zh"], event["id"]) == ("入住机构集中供养", placed.json()["event_id"])
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["mode_name"], m["ended_on"]) for m in modes] == [("政府购买服务", None), ("机构照料服务", None)]
    assert modes[1]["party_name"] == "贵池区城关敬老院"

    day = api.today.isoformat()
    stopped = await api.ok(f"/cases/{case}/stop", "jiedao", {  # the person's own request: no hearing
        "reason": "本人自愿入住敬老院集中供养，申请停止居家服务", "requested_on": day, "signed_request": True,
        "effective_on": day})
    assert (stopped["status"], stopped["outcome"]) == ("closed", "stopped")
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["mode_name"], m["ended_on"] is None) for m in modes] == [
        ("政府购买服务", False), ("机构照料服务", True)]
    assert modes[0]["end_reason"] == "动态管理停止服务"

    left = await api.ok(f"/cases/{case}/placements/{placed.json()['id']}/departure", "jiedao",
                        {"left_on": day, "reason": "回原籍由亲属照料"})
    assert left["left_on"] == day
    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert all(m["ended_on"] == day for m in modes)


async def test_placements_the_seed_does_not_allow_are_refused(api: Api) -> None:
    dibao = await api.open(person=new_person(category="dibao"))
    refused = await api.post(f"/cases/{dibao}/placements", "jiedao", placement(api))
    assert refused.status_code == 422 and refused.json()["code"] == "not_eligible"
    assert "特困人员、孤儿、事实无人抚养儿童" in refused.json()["message"]

    case = await api.walk("referral")
    no_consent = await api.post(f"/cases/{case}/placements", "jiedao", placement(api, consent=None))
    assert no_consent.status_code == 422 and "自愿同意" in no_consent.json()["message"]
    unknown_form = {"by": "guardian", "consented_on": api.today.isoformat(), "document_id": str(uuid.uuid4())}
    no_file = await api.post(f"/cases/{case}/placements", "jiedao", placement(api, consent=unknown_form))
    assert no_file.status_code == 422 and no_file.json()["code"] == "unknown_file"
    medical = placement(api, institution_name="池州市第二人民医院", institution_kind="medical", consent=None,
                        unsuitable="mental_illness")
    by_township = await api.post(f"/cases/{case}/placements", "jiedao", medical)
    assert by_township.status_code == 403 and by_township.json()["code"] == "county_places"
    by_county = await api.post(f"/cases/{case}/placements", "minzheng", medical)
    assert by_county.status_code == 201, by_county.text
    listed = (await api.get(f"/cases/{case}/placements", "jiedao")).json()
    assert [p["institution_kind_name"] for p in listed] == ["专门的医疗机构(治疗和托管)"]

    foreign = await api.post(f"/cases/{case}/placements", "jiedao2", placement(api))
    absent = await api.post(f"/cases/{uuid.uuid4()}/placements", "jiedao2", placement(api))
    assert foreign.status_code == absent.status_code == 404 and foreign.json() == absent.json()

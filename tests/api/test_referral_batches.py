"""Mode 1, the batch referral (池州方案 四(五)): the township sends one provider its list of recipients and items
in one act; each case is referred through its own workflow and the batch says, per case, which were referred and
which were refused with the Chinese reason (a case of another township reads exactly like an absent one); the
provider answers per case, some yes, some no, and a declined case goes back to the township. The approved items
say which mode delivers each: a provider is referred and plans only the purchased ones."""

from __future__ import annotations

import uuid
from typing import Any

from devstack.seed import OTHER_VILLAGE
from tests.flow import APPROVE, PLAN, PROVIDER_A, PROVIDER_B, Api, new_person

PARTY_VISITS = {**APPROVE, "items": [{"item_code": "cleaning_aid", "quantity_per_month": 8},
                                     {"item_code": "visit", "quantity_per_month": 4, "mode": "party"}]}
ONLY_PARTY = {**APPROVE, "items": [{"item_code": "visit", "quantity_per_month": 4, "mode": "party"}]}


async def reviewed(api: Api, review: dict[str, Any] = APPROVE) -> str:
    case = await api.open()
    await api.to_survey(case)
    await api.to_review(case)
    await api.ok(f"/cases/{case}/review", "jiedao", review)
    return case


async def test_batch_with_mixed_answers(api: Api) -> None:
    first, second, third = await reviewed(api), await reviewed(api), await reviewed(api, PARTY_VISITS)
    nothing_to_buy = await reviewed(api, ONLY_PARTY)
    theirs = await api.open("jiedao2", new_person(village=OTHER_VILLAGE))
    absent = str(uuid.uuid4())
    body = {"provider_id": PROVIDER_A, "case_ids": [first, second, third, nothing_to_buy, theirs, absent]}

    sent = await api.post("/referral-batches", "jiedao", body, key="batch-1")
    assert sent.status_code == 201, sent.text
    batch = sent.json()
    assert (batch["referred"], batch["refused"]) == (3, 3)
    by_case = {c["case_id"]: c for c in batch["cases"]}
    assert [by_case[c]["referred"] for c in (first, second, third)] == [True, True, True]
    assert (by_case[nothing_to_buy]["refusal_code"], by_case[nothing_to_buy]["refusal_message"]) == (
        "no_purchase_items", "审核确认的服务事项均不由政府购买服务提供，无需转介服务供给主体")
    # another township's case is refused exactly like one that does not exist
    assert {k: v for k, v in by_case[theirs].items() if k != "case_id"} == \
        {k: v for k, v in by_case[absent].items() if k != "case_id"}
    assert by_case[absent]["refusal_message"] == "案件不存在" and by_case[absent]["person_name"] is None
    # the provider is sent only the purchased items
    assert [i["item_code"] for i in by_case[third]["items"]] == ["cleaning_aid"]

    again = await api.post("/referral-batches", "jiedao", body, key="batch-1")  # once
    assert (again.status_code, again.json()["id"], again.json()["referred"]) == (200, batch["id"], 3)
    other = await api.post("/referral-batches", "jiedao", {**body, "case_ids": [first]}, key="batch-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert (await api.post("/referral-batches", "fuwu", body)).status_code == 403

    seen = (await api.get(f"/referral-batches/{batch['id']}", "fuwu")).json()
    assert [c["case_id"] for c in seen["cases"]] == [first, second, third]  # only what it was sent
    assert {c["answer_name"] for c in seen["cases"]} == {"待答复"}
    for user in ("fuwu2", "jiedao2", "xieliyuan"):  # the village reads its cases' referral on the case
        assert (await api.get(f"/referral-batches/{batch['id']}", user)).status_code == 404
    assert (await api.get("/referral-batches", "xieliyuan")).json() == []
    audited = await api.get(f"/referral-batches/{batch['id']}", "shenji")  # the county's auditor reads it
    assert audited.status_code == 200 and audited.json()["cases"] == batch["cases"]
    assert batch["id"] in [b["id"] for b in (await api.get("/referral-batches", "shenji")).json()]
    assert (await api.post("/referral-batches", "shenji", body)).status_code == 403

    await api.ok(f"/cases/{first}/referral/response", "fuwu", {"accept": True})
    await api.ok(f"/cases/{third}/referral/response", "fuwu", {"accept": True})
    await api.ok(f"/cases/{second}/referral/response", "fuwu", {"accept": False, "reason": "本月护理员已满"})

    answered = (await api.get(f"/referral-batches/{batch['id']}", "jiedao")).json()
    assert (answered["accepted"], answered["declined"]) == (2, 1)
    declined = next(c for c in answered["cases"] if c["case_id"] == second)
    assert (declined["answer_name"], declined["answer_reason"]) == ("已拒绝", "本月护理员已满")
    listed = (await api.get("/referral-batches", "fuwu")).json()
    assert [(b["id"], b["cases"], b["pending"]) for b in listed] == [(batch["id"], 3, 0)]

    # the declined case is back with the township, which refers it elsewhere
    assert (await api.get(f"/cases/{second}", "jiedao")).json()["holder_role"] == "township_worker"
    await api.ok(f"/cases/{second}/referral", "jiedao", {"provider_id": PROVIDER_B})

    # the review's items say who delivers them: the party's visits are not the provider's to plan
    records = (await api.get(f"/cases/{third}/records", "jiedao")).json()
    assert [(i["item_code"], i["mode_name"]) for i in records["review"]["items"]] == [
        ("cleaning_aid", "政府购买服务"), ("visit", "“党建+救助”服务")]
    planned = await api.post(f"/cases/{third}/plan", "fuwu", PLAN)
    assert planned.status_code == 422 and planned.json()["code"] == "item_not_purchased"
    assert "不列入服务供给主体的服务方案" in planned.json()["message"]
    await api.ok(f"/cases/{third}/plan", "fuwu", {**PLAN, "items": PLAN["items"][:1]})

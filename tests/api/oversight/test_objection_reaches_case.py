"""An upheld objection to the public notice reaches the recipient's case as a status event (长期公示异议核实), taken
in by the case workflow as the township's dynamic-management task; the change then follows the hearing path.
Walked over HTTP on real PostgreSQL and Temporal: the case, the notice, the objection and the proposal."""

from __future__ import annotations

import asyncio
from typing import Any

from devstack.seed import VILLAGE
from tests.flow import Api, new_person


async def events_taken(api: Api, case: str) -> list[dict[str, Any]]:
    for _ in range(100):
        events: list[dict[str, Any]] = (await api.get(f"/cases/{case}/status-events", "jiedao")).json()
        if events and all(e["taken_in"] for e in events):
            return events
        await asyncio.sleep(0.1)
    raise AssertionError("the case never took the event in")


async def test_an_upheld_objection_opens_the_cases_dynamic_management(api: Api) -> None:
    person = new_person(name="郑异议")
    case = await api.open(person=person)
    for move in (api.to_survey, api.to_review, api.to_referral, api.to_service, api.to_archiving,
                 api.to_dynamic_management):
        await move(case)
    (pub,) = await api.ok("/notices/publications", "jiedao", {"village_code": VILLAGE})
    lines = (await api.get(f"/notices/publications/{pub['id']}", "jiedao")).json()["lines"]
    line_no = next(line["line_no"] for line in lines if line["name"] == "郑异议")
    filed = await api.ok(f"/notices/publications/{pub['id']}/objections", "xieliyuan",
                         {"content": "该户已举家外出务工，长期不在本村居住", "line_no": line_no, "anonymous": True})
    assert filed["case_id"] == case

    decision = {"result": "upheld", "reasons": "经入户核实，该户已长期外出"}
    upheld = await api.ok(f"/objections/{filed['id']}/decision", "jiedao", decision)
    assert upheld["result"] == "upheld" and upheld["follow_up_task_id"] is None  # the case carries it
    await api.ok(f"/objections/{filed['id']}/decision", "jiedao", decision)  # sent again: one event
    events = await events_taken(api, case)
    assert [(e["change_zh"], e["source_zh"]) for e in events] == [("长期公示异议核实成立", "长期公示异议核实")]
    assert "该户已长期外出" in events[0]["evidence"]
    detail = (await api.get(f"/cases/{case}", "jiedao")).json()
    assert detail["holder_role"] == "township_worker" and detail["due_on"] is not None  # the township's task

    proposal = await api.ok(f"/cases/{case}/dynamic/proposal", "jiedao", {
        "kind": "stop", "reasons": "公示异议核实成立，长期不在本村居住", "facts": "经入户核实，该户已长期外出。",
        "effective_on": api.today.isoformat()})
    assert proposal["holder_role"] == "applicant"  # told first, and heard (陈述申辩)

"""`GET /process` is the table the workflow runs; a case's available actions are that table read for the asker,
and each one offered can really be taken."""

from __future__ import annotations

from api.case_actions import PATHS
from api.main import create_app
from tests.flow import SURVEY, Api
from workflows import process


async def test_the_process_is_served_from_the_table(api: Api) -> None:
    r = await api.get("/process", "xieliyuan")
    assert r.status_code == 200
    body = r.json()
    assert [s["step"] for s in body["steps"]] == [s.step.value for s in process.STEPS]
    assert body["steps"][1] == {"step": "registration", "number": 2, "name_zh": "受理登记",
                                "actors": ["township_worker"], "holds_cases": True, "deadline_rule": "registration"}
    review = next(a for a in body["actions"] if a["action"] == "review")
    assert review["from_steps"] == ["review"] and review["roles"] == ["township_worker"]
    assert [(lead["step"], lead["outcome"]) for lead in review["leads_to"]] == [(None, "refused"), ("referral", None)]
    assert body["mermaid"].startswith("flowchart LR")
    assert (await api.http.get("/process")).status_code == 401


def test_every_action_has_a_route_taking_its_form() -> None:
    schema = create_app().openapi()
    for act in process.ACTIONS:
        if act.opens:
            assert "post" in schema["paths"]["/cases"]
            continue
        post = schema["paths"][f"/cases/{{case_id}}{PATHS[act.action]}"]["post"]
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith(f"/{act.form.__name__}"), (act.action, ref)


async def test_a_case_offers_what_the_table_allows_the_asker_now(api: Api) -> None:
    case = await api.open()

    async def offered(user: str) -> set[str]:
        return {a["action"] for a in (await api.get(f"/cases/{case}", user)).json()["available_actions"]}

    assert await offered("jiedao") == {"register", "return_incomplete", "withdraw", "suspend_deadline",
                                       "mark_urgent"}
    assert await offered("xieliyuan") == {"mark_urgent"}  # 先行救助: the assistant may ask for it
    assert await offered("minzheng") == {"extend_deadline", "reassign"}
    assert "reassign" in await offered("jiedaolead")  # a lead reassigns; a plain worker is not offered it
    assert (await api.get(f"/cases/{case}", "fuwu")).status_code in (403, 404)  # not referred: not theirs
    await api.to_survey(case)
    actions = (await api.get(f"/cases/{case}", "xieliyuan")).json()["available_actions"]
    assert [a["action"] for a in actions] == ["survey", "mark_urgent"]
    taken = await api.ok(actions[0]["path"], "xieliyuan", SURVEY)  # the offered path works as offered
    assert taken["step"] == "review"

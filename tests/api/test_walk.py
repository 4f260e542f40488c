"""The whole intake, application to service, through HTTP on real PostgreSQL and a real Temporal server."""

from __future__ import annotations

from tests.document_samples import pdf_bytes
from tests.flow import APPROVE, ARCHIVE, PLAN, PROVIDER_A, SURVEY, Api, new_person


async def test_application_to_service_end_to_end(api: Api) -> None:
    person = new_person(name="王秀英")
    r = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "独居，需要助洁",
                                            "person": person})
    assert r.status_code == 201, r.text
    case = r.json()
    cid = case["id"]
    assert (case["step"], case["step_zh"], case["holder_role"]) == ("registration", "受理登记", "township_worker")
    assert person["id_number"] not in r.text

    moves = [
        ("registration", "jiedao", {"need_category": "living"}, "survey"),
        ("survey", "xieliyuan", SURVEY, "review"),
        ("review", "jiedao", APPROVE, "referral"),
        ("referral", "jiedao", {"provider_id": PROVIDER_A}, "referral"),
        ("referral/response", "fuwu", {"accept": True}, "service"),
        ("plan", "fuwu", PLAN, "archiving"),
    ]
    for path, user, body, step in moves:
        out = await api.ok(f"/cases/{cid}/{path}", user, body)
        assert out["step"] == step, (path, out)

    # Services are recorded while the archive is being built.
    rec = await api.ok(f"/cases/{cid}/service-records", "fuwu", {
        "item_code": "cleaning_aid", "started_at": "2026-11-03T09:00:00+08:00", "minutes": 90,
        "worker_name": "孙社工", "content": "打扫卧室与厨房"})
    confirmed = await api.ok(f"/cases/{cid}/service-records/{rec['id']}/confirmation", "fuwu", {"by": "recipient"})
    assert confirmed["confirmed_by"] == "recipient"

    upload = await api.http.post(
        f"/cases/{cid}/archive/files", headers=api.headers("fuwu"),
        data={"kind": "id_card"}, files={"file": ("id.pdf", pdf_bytes(), "application/pdf")})
    assert upload.status_code == 201, upload.text
    docs = [d if d["kind"] != "id_card" else {"kind": "id_card", "file_id": upload.json()["id"]}
            for d in ARCHIVE["documents"]]
    done = await api.ok(f"/cases/{cid}/archive", "fuwu", {"documents": docs})
    assert done["step"] == "dynamic_management"
    assert done["service_no"].startswith("GCSG-")

    archive = (await api.get(f"/cases/{cid}/archive", "fuwu")).json()
    assert archive["service_no"] == done["service_no"]
    assert archive["documents"][0]["kind"] == "id_card"
    assert archive["documents"][0]["file_id"] == upload.json()["id"]

    detail = (await api.get(f"/cases/{cid}", "jiedao")).json()
    assert detail["step"] == "dynamic_management" and detail["status"] == "open"
    assert detail["service_no"] == done["service_no"]
    assert [h["action"] for h in detail["history"]] == [
        "open", "register", "survey", "review", "refer", "respond_referral", "file_plan", "build_archive"]
    assert detail["history"][1]["actor_name"] == "王办事"

    own_request = {"reason": "本人申请入住敬老院集中供养，申请停止居家服务", "requested_on": "2026-11-20",
                   "signed_request": True, "effective_on": "2026-11-30"}
    stopped = await api.ok(f"/cases/{cid}/stop", "jiedao", own_request)
    assert (stopped["status"], stopped["outcome"]) == ("closed", "stopped")
    after = await api.post(f"/cases/{cid}/stop", "jiedao", own_request)
    assert after.status_code == 409 and after.json()["code"] == "case_closed"

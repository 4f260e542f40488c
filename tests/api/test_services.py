"""Service records against the plan and provider; the one-person file and its service numbers; lists."""

from __future__ import annotations

from tests.document_samples import png_bytes
from tests.flow import ARCHIVE, Api

RECORD = {"item_code": "cleaning_aid", "started_at": "2026-11-05T14:00:00+08:00", "minutes": 60,
          "worker_name": "孙社工", "content": "清洁厨房"}


async def test_service_records_follow_the_plan(api: Api) -> None:
    case = await api.walk(until="service")
    early = await api.post(f"/cases/{case}/service-records", "fuwu", RECORD)
    assert (early.status_code, early.json()["code"]) == (409, "not_in_service")
    await api.to_archiving(case)

    first = await api.post(f"/cases/{case}/service-records", "fuwu", RECORD)
    assert first.status_code == 201
    again = await api.post(f"/cases/{case}/service-records", "fuwu", RECORD)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]

    off_plan = await api.post(f"/cases/{case}/service-records", "fuwu", {**RECORD, "item_code": "meal_aid"})
    assert (off_plan.status_code, off_plan.json()["code"]) == (422, "item_not_in_plan")
    later = {**RECORD, "started_at": "2099-01-01T09:00:00+08:00"}
    future = await api.post(f"/cases/{case}/service-records", "fuwu", later)
    assert future.json()["code"] == "future_service"
    earlier = {**RECORD, "started_at": "2026-10-30T09:00:00+08:00"}
    before = await api.post(f"/cases/{case}/service-records", "fuwu", earlier)
    assert before.json()["code"] == "before_plan"
    other_provider = await api.post(f"/cases/{case}/service-records", "fuwu2", RECORD)
    assert other_provider.status_code == 404  # not its case: as if there were none
    assert (await api.post(f"/cases/{case}/service-records", "jiedao", RECORD)).status_code == 403

    rec = first.json()["id"]
    by_assistant = await api.ok(f"/cases/{case}/service-records/{rec}/confirmation", "xieliyuan",
                                {"by": "village_assistant"})
    assert by_assistant["confirmed_by"] == "village_assistant"
    listed = (await api.get(f"/cases/{case}/service-records", "jiedao")).json()
    assert [r["id"] for r in listed] == [rec]


async def test_service_numbers_are_sequential_per_provider(api: Api) -> None:
    a = await api.walk(until="archiving")
    b = await api.walk(until="archiving")
    na = (await api.ok(f"/cases/{a}/archive", "fuwu", ARCHIVE))["service_no"]
    nb = (await api.ok(f"/cases/{b}/archive", "fuwu", ARCHIVE))["service_no"]
    assert na.startswith("GCSG-") and nb.startswith("GCSG-")
    assert int(nb.split("-")[1]) == int(na.split("-")[1]) + 1
    incomplete = await api.post(f"/cases/{a}/archive", "fuwu", {"documents": ARCHIVE["documents"][:3]})
    assert incomplete.status_code in (409, 422)


async def test_archive_refuses_a_file_of_another_case(api: Api) -> None:
    a = await api.walk(until="archiving")
    b = await api.walk(until="archiving")
    up = await api.http.post(f"/cases/{a}/archive/files", headers=api.headers("fuwu"), data={"kind": "id_card"},
                             files={"file": ("id.png", png_bytes(), "image/png")})
    assert up.status_code == 201
    docs = [{"kind": "id_card", "file_id": up.json()["id"]}, *ARCHIVE["documents"][1:]]
    r = await api.post(f"/cases/{b}/archive", "fuwu", {"documents": docs})
    assert (r.status_code, r.json()["code"]) == (422, "unknown_file")
    bad_type = await api.http.post(f"/cases/{a}/archive/files", headers=api.headers("fuwu"), data={"kind": "id_card"},
                                   files={"file": ("a.exe", b"MZ", "application/octet-stream")})
    assert bad_type.json()["code"] == "bad_file_type"


async def test_list_filters_and_pages_within_jurisdiction(api: Api) -> None:
    cases = [await api.walk(until="survey") for _ in range(3)]
    page = (await api.get("/cases", "jiedao", step="survey", township_code="341702001", limit=2)).json()
    assert page["limit"] == 2 and len(page["items"]) == 2 and page["total"] >= 3
    assert all(c["step"] == "survey" for c in page["items"])
    rest = (await api.get("/cases", "jiedao", step="survey", limit=200)).json()
    assert set(cases) <= {c["id"] for c in rest["items"]}
    by_assignee = (await api.get("/cases", "jiedao", assignee_id=page["items"][0]["assignee_id"], limit=200)).json()
    assert set(cases) <= {c["id"] for c in by_assignee["items"]}
    county = (await api.get("/cases", "minzheng", step="survey", limit=200)).json()
    assert county["total"] == rest["total"]
    assert (await api.get("/cases", "jiedao2", step="survey")).json()["total"] == 0
    bad = await api.get("/cases", "jiedao", township_code="34")
    assert bad.status_code == 422


async def test_login_with_password(api: Api) -> None:
    ok = await api.http.post("/auth/token", data={"username": "jiedao", "password": "assistflow-demo"})
    assert ok.status_code == 200
    me = await api.http.get("/auth/me", headers={"Authorization": f"Bearer {ok.json()['access_token']}"})
    assert me.json()["role"] == "township_worker" and me.json()["jurisdiction"] == "341702001"
    bad = await api.http.post("/auth/token", data={"username": "jiedao", "password": "wrong"})
    assert (bad.status_code, bad.json()["code"]) == (401, "bad_credentials")
    nobody = await api.http.post("/auth/token", data={"username": "nobody", "password": "wrong"})
    assert nobody.status_code == 401

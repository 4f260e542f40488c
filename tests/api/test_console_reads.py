"""The small reads the console needs: a case's step records, the county's divisions, the assignees a supervisor
may choose and the case list as a spreadsheet; each inside the caller's jurisdiction."""

from __future__ import annotations

import csv
import io

from tests.document_samples import pdf_bytes
from tests.flow import PROVIDER_A, Api


async def test_a_cases_records_show_each_step_to_those_who_see_the_case(api: Api) -> None:
    case = await api.walk("archiving")
    upload = await api.http.post(f"/cases/{case}/archive/files", headers=api.headers("fuwu"), data={"kind": "id_card"},
                                 files={"file": ("id.pdf", pdf_bytes(), "application/pdf")})
    assert upload.status_code == 201, upload.text
    r = await api.get(f"/cases/{case}/records", "fuwu")
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["application"]["channel"] == "window" and rec["registration"]["need_category"] == "living"
    assert len(rec["survey"]["assessments"]) == 7
    assert rec["review"]["decision"] == "approve"
    assert [(i["item_code"], i["name"], i["quantity_per_month"]) for i in rec["review"]["items"]] == [
        ("cleaning_aid", "助洁", 8), ("visit", "访视", 4)]
    assert [(x["provider_id"], x["accepted"]) for x in rec["referrals"]] == [(PROVIDER_A, True)]
    assert rec["plan"]["items"][0]["name"] == "助洁"

    for outsider in ("fuwu2", "jiedao2", "xieliyuan2"):  # another provider, township, village
        refused = await api.get(f"/cases/{case}/records", outsider)
        assert refused.status_code in (403, 404) and refused.json()["code"] in ("out_of_jurisdiction", "case_not_found")
    early = await api.walk("registration")
    fresh = (await api.get(f"/cases/{early}/records", "jiedao")).json()
    assert fresh["survey"] is None and fresh["review"] is None and fresh["plan"] is None


async def test_divisions_are_the_users_county(api: Api) -> None:
    names = {d["code"]: d["name"] for d in (await api.get("/divisions", "fuwu")).json()}
    # The townships are the real 统计用区划代码 (shipped table); the villages are the seed's demo ones.
    assert names["341702001"] == "池阳街道" and names["341702001001"] == "杏花村社区(演示)"
    assert "341702" not in names and all(code.startswith("341702") for code in names)


async def test_assignees_are_township_workers_inside_the_supervisors_jurisdiction(api: Api) -> None:
    county = {a["full_name"] for a in (await api.get("/assignees", "minzheng")).json()}
    assert county == {"王办事", "赵办事", "周分管"}
    township = (await api.get("/assignees", "jiedao")).json()
    assert {a["full_name"]: a["lead"] for a in township} == {"王办事": False, "周分管": True}
    refused = await api.get("/assignees", "fuwu")
    assert refused.status_code == 403 and refused.json()["code"] == "wrong_role"


async def test_the_case_list_exports_exactly_its_filtered_rows(api: Api) -> None:
    case = await api.walk("survey")
    r = await api.get("/exports/cases", "jiedao", format="csv", step="survey", status="open")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["案件编号", "服务对象", "乡镇(街道)", "村(社区)", "所处环节"]
    assert case in [row[0] for row in rows[1:]] and {row[4] for row in rows[1:]} == {"入户调查"}
    listed = (await api.get("/cases", "jiedao", step="survey", status="open", limit=200)).json()
    assert len(rows) - 1 == listed["total"]
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    xlsx = await api.get("/exports/cases", "minzheng")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    other = await api.get("/exports/cases", "jiedao2", format="csv")
    assert case not in other.text  # another township's export leaves this case out
    assert (await api.get("/exports/cases", "zhangsan")).status_code == 403

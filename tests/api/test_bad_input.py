"""Bad input answers 4xx with a code and a Chinese message, never a 500 (issue #11, defects 6 and 7)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from devstack.seed import demo_id_number
from tests.flow import Api, new_person

# Anything a person reads carries Chinese; an English pydantic message has none.
_CJK = re.compile(r"[\u4e00-\u9fff]")


async def test_non_ascii_bearer_token_is_401_not_500(api: Api) -> None:
    r = await api.http.get("/cases", headers={"Authorization": "Bearer 王秀英.签名".encode()})
    assert (r.status_code, r.json()["code"]) == (401, "invalid_token")
    latin = await api.http.get("/cases", headers={"Authorization": "Bearer caf\u00e9.x".encode("latin-1")})
    assert latin.status_code == 401


async def test_integers_past_the_column_range_are_refused(api: Api) -> None:
    funds = await api.get("/settlement/funds/2147483648", "minzheng")
    assert funds.status_code in (404, 422), funds.text
    assert funds.json()["code"] in ("invalid_input", "funds_unconfigured")
    for path in ("/cases", "/inbox/tasks", "/inbox/notifications", "/statements"):
        r = await api.get(path, "jiedao", offset=9223372036854775808)
        assert (r.status_code, r.json()["code"]) == (422, "invalid_input"), (path, r.text)
        huge = await api.get(path, "jiedao", offset=2**62)
        assert huge.status_code in (200, 422), (path, huge.text)


async def test_null_for_a_required_field_is_refused_and_the_list_still_reads(api: Api) -> None:
    for field in ("name", "category", "unit", "government_funded", "overlaps_benefits"):
        r = await api.http.patch("/service-items/cleaning_aid", json={field: None}, headers=api.headers("minzheng"))
        assert (r.status_code, r.json()["code"]) == (422, "invalid_input"), (field, r.text)
    assert (await api.get("/service-items", "jiedao")).status_code == 200


async def test_field_errors_and_malformed_json_read_in_chinese(api: Api) -> None:
    r = await api.post("/cases", "jiedao", {"channel": "window"})
    assert r.status_code == 422
    body = r.json()
    assert _CJK.search(body["message"])
    for detail in body["details"]:
        assert _CJK.search(detail["reason"]), detail
    bad = await api.http.post("/cases", content=b'{"channel": "window", "need_description": ',
                              headers={**api.headers("jiedao"), "Content-Type": "application/json"})
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_input")
    assert all(not d["field"].isdigit() for d in bad.json()["details"]), bad.text
    assert "JSON" in bad.json()["message"] and _CJK.search(bad.json()["message"])


async def test_birth_date_in_the_future_is_refused(api: Api) -> None:
    born = date.today() + timedelta(days=400)
    person = {**new_person(), "id_number": demo_id_number(born=born.strftime("%Y%m%d"), serial="123")}
    r = await api.post("/cases", "jiedao", {"channel": "window", "need_description": "需要助洁", "person": person})
    assert (r.status_code, r.json()["code"]) == (422, "invalid_input"), r.text
    assert "出生日期" in r.text

"""The long-term public notice shows name, village, service items and start date of the recipients in service —
and nothing else, and nobody under 18 or in the orphan category — in every format it is given out in."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from uuid import UUID

import pypdf
from openpyxl import load_workbook
from sqlalchemy import text

from devstack.seed import demo_id_number
from infra.db import Sessions
from infra.security import seal_id_number
from policy import idnumber
from tests.api.conftest import Http
from tests.api.oversight.conftest import TODAY
from tests.conftest import SETTINGS
from tests.world import World, add_cases
from vocabulary.case import Role

ADULT = ("王秀英", date(1940, 5, 1), "tekun", ["incapacitated", "seriously_ill"])
PEOPLE = [
    ADULT,
    ("钱成年", date(TODAY.year - 18, TODAY.month, TODAY.day), "dibao", ["severely_disabled"]),  # 18 today: shown
    ("李小明", date(TODAY.year - 18, TODAY.month, TODAY.day + 1), "dibao", []),  # 18 tomorrow: a minor today
    ("赵孤儿", date(2000, 3, 3), "orphan", []),  # the orphan category is never shown, whatever the age
    ("孙转介", date(1950, 1, 1), "tekun", []),  # not in service yet
    ("周结案", date(1950, 1, 2), "tekun", []),  # services stopped
]
FORBIDDEN_WORDS = ["失能", "重病", "残疾", "特困", "低保", "孤儿", "身份证", "female", "女", "62170000000000001",
                   "男"]


async def recipients(sessions: Sessions, world: World) -> dict[str, tuple[UUID, str]]:
    """The people above as in-service cases of the world's village, each with a real sealed ID number."""
    out = {}
    async with sessions.begin() as s:
        cases = await add_cases(s, world, len(PEOPLE))
        for case_id, (name, born, category, conditions) in zip(cases, PEOPLE, strict=True):
            number = demo_id_number(region=world.county, born=born.strftime("%Y%m%d"), serial=f"{len(out) + 11:03d}")
            await s.execute(text("""
                UPDATE persons SET name = :n, birth_date = :b, category = :c, conditions = CAST(:cond AS jsonb),
                       id_hash = :h, id_cipher = :cipher, gender = 'female'
                WHERE id = (SELECT person_id FROM cases WHERE id = :case)"""),
                {"n": name, "b": born, "c": category, "cond": str(conditions).replace("'", '"'), "case": case_id,
                 "h": idnumber.lookup_hash(number, SETTINGS.id_hash_key),
                 "cipher": seal_id_number(number, SETTINGS.id_cipher_key)})
            out[name] = (case_id, number)
        await s.execute(text("UPDATE cases SET step = 'referral' WHERE id = :c"), {"c": out["孙转介"][0]})
        await s.execute(text("UPDATE cases SET status = 'closed', outcome = 'stopped' WHERE id = :c"),
                        {"c": out["周结案"][0]})
    return out


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def xlsx_rows(data: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [tuple(c for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]


def assert_private(shown: str, people: dict[str, tuple[UUID, str]]) -> None:
    for name in ("王秀英", "钱成年"):
        assert name in shown
    for name in ("李小明", "赵孤儿", "孙转介", "周结案"):
        assert name not in shown, name
    for _, number in people.values():  # never an ID number, nor any masked form of one
        for piece in (number, number[:6] + "*", number[-4:], number[6:14], number[10:14] + number[14:]):
            assert piece not in shown, piece
    for word in FORBIDDEN_WORDS:
        assert word not in shown, word
    assert "1940-05-01" not in shown and "19400501" not in shown


async def test_every_format_shows_only_what_may_be_published(ohttp: Http, sessions: Sessions, world: World) -> None:
    people = await recipients(sessions, world)
    worker = world.township_worker
    preview = await ohttp.ok("GET", "/notices/current", worker, village_code=world.village)
    assert [line["name"] for line in preview] == ["王秀英", "钱成年"]
    assert all(set(line) == {"line_no", "name", "village", "items", "starts_on"} for line in preview)
    assert preview[0] == {"line_no": 1, "name": "王秀英", "village": "一号社区", "items": ["助洁", "访视"],
                          "starts_on": "2026-01-01"}

    (pub,) = await ohttp.ok("POST", "/notices/publications", worker, {"village_code": world.village})
    assert (pub["seq"], pub["count"], pub["published_on"]) == (1, 2, TODAY.isoformat())
    assert [a["name"] for a in pub["added"]] == ["王秀英", "钱成年"] and pub["removed"] == []
    detail = await ohttp.ok("GET", f"/notices/publications/{pub['id']}", world.actor(Role.VILLAGE_ASSISTANT))
    assert detail["lines"] == preview
    pdf = await ohttp.get(f"/notices/publications/{pub['id']}/file", worker, format="pdf")
    xlsx = await ohttp.get(f"/notices/publications/{pub['id']}/file", worker, format="xlsx")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    rows = xlsx_rows(xlsx.content)
    assert rows[1] == ("序号", "姓名", "村(社区)", "服务项目", "服务开始日期")
    assert rows[2] == ("1", "王秀英", "一号社区", "助洁、访视", "2026-01-01")
    text_of_pdf = pdf_text(pdf.content)
    assert "王秀英" in text_of_pdf and "助洁、访视" in text_of_pdf and "2026-01-01" in text_of_pdf
    listed = await ohttp.ok("GET", "/notices/publications", worker, village_code=world.village)
    kept = []  # the files as published, from the document store
    for fmt, document in pub["documents"].items():
        stored = await ohttp.get(f"/documents/{document}/content", worker)
        assert stored.status_code == 200, stored.text
        kept.append(pdf_text(stored.content) if fmt == "pdf" else str(xlsx_rows(stored.content)))
    assert sorted(pub["documents"]) == ["pdf", "xlsx"] and "王秀英" in kept[0] and "王秀英" in kept[1]
    for shown in (str(preview), str(detail), str(listed), str(pub), text_of_pdf, str(rows), *kept):
        assert_private(shown, people)


async def test_a_publication_records_who_came_and_who_left(ohttp: Http, sessions: Sessions, world: World) -> None:
    people = await recipients(sessions, world)
    officer = world.officer
    first = await ohttp.ok("POST", "/notices/publications", officer, {"township_code": world.township})
    assert [p["village_code"] for p in first] == [world.village]
    async with sessions.begin() as s:
        (newcomer,) = await add_cases(s, world, 1)
        await s.execute(text("UPDATE persons SET name = '吴新增' WHERE id = (SELECT person_id FROM cases "
                             "WHERE id = :c)"), {"c": newcomer})
        await s.execute(text("UPDATE cases SET status = 'closed', outcome = 'stopped' WHERE id = :c"),
                        {"c": people["王秀英"][0]})
    (second,) = await ohttp.ok("POST", "/notices/publications", world.township_worker,
                               {"village_code": world.village})
    assert second["seq"] == 2 and second["content_sha256"] != first[0]["content_sha256"]
    assert [a["name"] for a in second["added"]] == ["吴新增"]
    assert [r["name"] for r in second["removed"]] == ["王秀英"]
    assert set(second["removed"][0]) == {"name", "village", "items", "starts_on"}
    async with sessions() as s:
        audit = (await s.execute(text("SELECT count(*) FROM audit_log WHERE action = 'notice_published' "
                                      "AND after::text LIKE :v"), {"v": f"%{world.village}%"})).scalar_one()
    assert audit == 2


async def test_an_objection_is_verified_by_the_township_and_an_upheld_one_leads_to_a_change(
    ohttp: Http, sessions: Sessions, world: World,
) -> None:
    people = await recipients(sessions, world)
    worker, assistant = world.township_worker, world.actor(Role.VILLAGE_ASSISTANT)
    (pub,) = await ohttp.ok("POST", "/notices/publications", worker, {"village_code": world.village})
    filed = await ohttp.ok("POST", f"/notices/publications/{pub['id']}/objections", assistant,
                           {"content": "王秀英已随子女迁往外地居住", "line_no": 1, "anonymous": True})
    assert (filed["anonymous"], filed["objector_name"], filed["channel"]) == (True, None, "village_assistant")
    assert filed["case_id"] == str(people["王秀英"][0]) and filed["due_on"]
    todo = await ohttp.ok("GET", "/inbox/other-tasks", worker)
    assert [t["kind"] for t in todo["items"]] == ["objection_verification"]
    assert "王秀英" not in str(todo)  # the task names the notice, not the person
    bad = await ohttp.post(f"/notices/publications/{pub['id']}/objections", assistant, {"content": "x", "line_no": 9})
    assert (bad.status_code, bad.json()["code"]) == (422, "unknown_line")
    assert (await ohttp.post(f"/objections/{filed['id']}/decision", assistant,
                             {"result": "upheld", "reasons": "核实属实"})).status_code == 404  # township's only
    # Services stopped meanwhile: the case no longer takes status events, so a follow-up task stays with the
    # township (an open case takes the event itself: test_objection_reaches_case.py).
    async with sessions.begin() as s:
        await s.execute(text("UPDATE cases SET status = 'closed', outcome = 'stopped' WHERE id = :c"),
                        {"c": people["王秀英"][0]})
    upheld = await ohttp.ok("POST", f"/objections/{filed['id']}/decision", worker,
                            {"result": "upheld", "reasons": "经入户核实，本人已长期外出"})
    assert upheld["result"] == "upheld" and upheld["follow_up_task_id"]
    assert [t["kind"] for t in (await ohttp.ok("GET", "/inbox/other-tasks", worker))["items"]] == ["objection_change"]
    clash = await ohttp.post(f"/objections/{filed['id']}/decision", worker, {"result": "rejected", "reasons": "改判"})
    assert (clash.status_code, clash.json()["code"]) == (409, "objection_decided")
    await ohttp.ok("POST", f"/objections/{filed['id']}/change-done", worker,
                   {"result": "upheld", "reasons": "已依程序停止服务"})
    assert (await ohttp.ok("GET", "/inbox/other-tasks", worker))["items"] == []

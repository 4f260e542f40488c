"""The document store on the embedded filesystem backend: encryption at rest, idempotent generated documents,
key rotation, the verify command and the orphan sweeper.

The session's database also holds rows whose objects live in other stores (the S3 tests, the killed API's
folder), so verify reports here are read for this test's own documents."""

from __future__ import annotations

import base64
import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from activities.documents.rewrap import left_to_rewrap, rewrap
from activities.documents.store import DocumentStore, sha256_hex
from activities.documents.sweep import sweep
from activities.documents.verify import verify
from infra.db import Sessions
from infra.envelope import Keyring, Undecryptable
from infra.storage.filesystem import FileSystemStore
from models.documents.tables import DOCUMENTS
from models.settings import DEV_DOCUMENT_KEY, DEV_DOCUMENT_KEY_ID
from vocabulary.documents import DocumentCategory, GeneratedKind

SECRET = "不予救助服务告知书：王秀英，身份证号码341702194001010023，患有慢性病。".encode() * 50
COUNTY = "341702"


def root_of(store: DocumentStore) -> Path:
    assert isinstance(store.objects, FileSystemStore)
    return store.objects.root


async def save(store: DocumentStore, data: bytes = SECRET, key: str | None = None) -> uuid.UUID:
    async with store.sessions.begin() as session:
        ref = await store.save_generated(
            session, case_id=None, kind=GeneratedKind.REFUSAL_LETTER, filename="告知书.pdf",
            content_type="application/pdf", data=data, actor_id=None,
            business_key=key or f"test:{uuid.uuid4()}", division_code=COUNTY)
    return ref.id


async def row_of(sessions: Sessions, document_id: uuid.UUID) -> object:
    async with sessions() as s:
        return (await s.execute(select(DOCUMENTS).where(DOCUMENTS.c.id == document_id))).one()


@pytest.fixture
async def restored(documents: DocumentStore) -> AsyncIterator[list[tuple[Path, bytes]]]:
    """Objects a test damages, put back afterwards so later tests' verify runs see a clean store."""
    saved: list[tuple[Path, bytes]] = []
    yield saved
    for path, blob in saved:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)


async def test_objects_are_encrypted_at_rest_and_bound_to_their_row(documents: DocumentStore,
                                                                    restored: list[tuple[Path, bytes]]) -> None:
    a, b = await save(documents), await save(documents, SECRET + b"!")
    row_a, row_b = await row_of(documents.sessions, a), await row_of(documents.sessions, b)
    blob_a = (root_of(documents) / row_a.object_key).read_bytes()  # type: ignore[attr-defined]
    assert SECRET[:30] not in blob_a and "王秀英".encode() not in blob_a and len(blob_a) >= len(SECRET)
    assert row_a.sha256 == sha256_hex(SECRET)  # type: ignore[attr-defined]
    assert await documents.read(row_a) == SECRET
    # The same plaintext twice is two different ciphertexts (a data key and nonce of its own).
    again = await row_of(documents.sessions, await save(documents))
    assert (root_of(documents) / again.object_key).read_bytes() != blob_a  # type: ignore[attr-defined]

    # Swapping two objects on disk is detected, not served as the other document.
    path_a, path_b = (root_of(documents) / r.object_key for r in (row_a, row_b))  # type: ignore[attr-defined]
    restored += [(path_a, blob_a), (path_b, path_b.read_bytes())]
    path_b.write_bytes(blob_a)
    with pytest.raises(Undecryptable):
        await documents.read(row_b)
    report = await verify(documents)
    assert b in report.corrupt and not {a, b} & set(report.missing) and a not in report.corrupt


async def test_a_generated_document_is_stored_once_per_business_key(documents: DocumentStore) -> None:
    key = f"test-once:{uuid.uuid4()}"
    first = await save(documents, key=key)
    assert await save(documents, b"other bytes", key=key) == first
    async with documents.sessions() as s:
        n = (await s.execute(text("SELECT count(*) FROM documents WHERE business_key = :k"), {"k": key})).scalar()
    assert n == 1


async def test_verify_finds_missing_and_corrupt_objects_and_strays(documents: DocumentStore,
                                                                   restored: list[tuple[Path, bytes]]) -> None:
    gone, flipped = await save(documents), await save(documents)
    for doc in (gone, flipped):
        path = root_of(documents) / (await row_of(documents.sessions, doc)).object_key  # type: ignore[attr-defined]
        restored.append((path, path.read_bytes()))
    restored[0][0].unlink()
    damaged = bytearray(restored[1][1])
    damaged[-1] ^= 1
    restored[1][0].write_bytes(bytes(damaged))
    stray = root_of(documents) / "documents" / "zz" / "not-a-document"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left by hand")
    try:
        report = await verify(documents, unreferenced=True)
    finally:
        stray.unlink()
    assert gone in report.missing and flipped in report.corrupt and not report.ok
    assert flipped not in report.missing and gone not in report.corrupt
    assert "documents/zz/not-a-document" in report.unreferenced
    assert f"  missing: {gone}" in report.summary() and f"  corrupt: {flipped}" in report.summary()


async def test_keys_rotate_and_old_documents_stay_readable(documents: DocumentStore) -> None:
    old = await save(documents)
    keys = {DEV_DOCUMENT_KEY_ID: base64.urlsafe_b64decode(DEV_DOCUMENT_KEY), "k2026": os.urandom(32)}

    def store(current: str, *ids: str) -> DocumentStore:
        return DocumentStore(documents.objects, Keyring({i: keys[i] for i in ids}, current), documents.sessions,
                             documents.grace_seconds)

    rotated = store("k2026", DEV_DOCUMENT_KEY_ID, "k2026")
    new = await save(rotated)
    assert (await row_of(rotated.sessions, new)).key_id == "k2026"  # type: ignore[attr-defined]
    assert await rotated.read(await row_of(rotated.sessions, old)) == SECRET  # the old key still opens the old
    try:
        assert await rewrap(rotated, batch=7) >= 2 and await left_to_rewrap(rotated) == 0
        only_new = store("k2026", "k2026")
        assert await only_new.read(await row_of(only_new.sessions, old)) == SECRET
        report = await verify(only_new)  # every document opens without the retired key
        assert not report.unknown_key and not {old, new} & set(report.missing + report.corrupt)
        assert {old, new} <= set((await verify(documents)).unknown_key)  # a deployment without the new key says so
    finally:  # back under the development key, for the rest of the session
        await rewrap(store(DEV_DOCUMENT_KEY_ID, DEV_DOCUMENT_KEY_ID, "k2026"))
    report = await verify(documents)
    assert not report.unknown_key and not {old, new} & set(report.missing + report.corrupt)


async def test_the_sweeper_removes_what_a_dead_upload_left(documents: DocumentStore) -> None:
    async with documents.sessions() as session:  # an upload whose process died before the commit
        ref = await documents.add(
            session, case_id=None, division_code=COUNTY, category=DocumentCategory.GENERATED, kind="other",
            filename="x.pdf", content_type="application/pdf", data=b"half", actor_id=None)
        assert ref is not None
        await session.rollback()
    key = f"documents/{ref.id.hex[:2]}/{ref.id}"
    part = root_of(documents) / "documents" / ".part-abandoned"
    part.write_bytes(b"half a write")
    os.utime(part, (time.time() - 7200, time.time() - 7200))
    assert await documents.objects.exists(key)
    within_grace = await sweep(documents, older_than_seconds=3600)  # the object is fresh, the part file is not
    assert (within_grace.objects_removed, within_grace.partials_removed) == (0, 1)
    assert (await sweep(documents, older_than_seconds=0)).objects_removed >= 1
    assert not await documents.objects.exists(key) and not part.exists()
    assert key not in (await verify(documents, unreferenced=True)).unreferenced

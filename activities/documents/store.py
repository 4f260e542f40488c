"""The document store: every document of assistflow goes in and out through here.

Other capabilities use one call, in their own activity's transaction, for the documents they generate
(refusal letters, hearing notices and decisions, public notices, payment files)::

    ref = await documents.save_generated(
        session, case_id=case_id, kind=GeneratedKind.HEARING_NOTICE, filename="陈述申辩告知书.pdf",
        content_type="application/pdf", data=pdf_bytes, actor_id=actor.user_id,
        business_key=f"hearing-notice:{case_id}:{seq}",
    )

`documents` is the `DocumentStore` the worker builds once (`DocumentStore.from_settings`) and injects into the
activity class, like `Sessions`. The call is idempotent on `business_key`: a retried activity gets the
document already stored (the first bytes win; generate deterministically). For a document of no case, pass
`case_id=None` and `division_code` (the township or county it belongs to: who may read it, and whose
auditor sees its access record). Nothing is visible until the caller's transaction commits; if it rolls back,
the object written meanwhile is removed by the sweeper. Read it back with `read(row)`; serve it to a person
with `api.documents.respond`, which records the access.

How nothing is half-written: `add` first commits the object's key in `document_pending` (its own short
transaction), then writes the encrypted object, then — in the caller's transaction — deletes that pending key
and inserts the row. A process killed before the commit leaves a pending key, never a row without an object;
`sweep` deletes objects whose pending key is older than the grace period, so no object outlives its row's
absence. An upload slower than the grace period loses its pending key to the sweeper and fails (503), never
commits a row whose object was swept.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import Sessions, make_engine, make_sessions
from infra.envelope import Keyring
from infra.storage import ObjectStore, StoreUnavailable, store_from_settings
from models.documents.tables import DOCUMENT_PENDING, DOCUMENTS, Document, DocumentPending
from models.settings import Settings
from models.tables import CASES
from policy.documents import GENERATED_MAX_BYTES
from vocabulary.documents import DocumentCategory, GeneratedKind

_d = DOCUMENTS.c


@dataclass(frozen=True)
class DocumentRef:
    id: UUID
    case_id: UUID | None
    category: DocumentCategory
    kind: str
    version: int
    filename: str
    content_type: str
    size: int
    sha256: str


def ref_of(row: Any) -> DocumentRef:
    return DocumentRef(id=row.id, case_id=row.case_id, category=DocumentCategory(row.category), kind=row.kind,
                       version=row.version, filename=row.filename, content_type=row.content_type, size=row.size,
                       sha256=row.sha256)


def object_key_for(document_id: UUID) -> str:
    # Two hex characters of fan-out keep a folder backend's directories small.
    return f"documents/{document_id.hex[:2]}/{document_id}"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentStore:
    def __init__(self, objects: ObjectStore, keyring: Keyring, sessions: Sessions, grace_seconds: float) -> None:
        self.objects, self.keyring, self.sessions, self.grace_seconds = objects, keyring, sessions, grace_seconds

    @classmethod
    def from_settings(cls, settings: Settings, sessions: Sessions) -> DocumentStore:
        return cls(store_from_settings(settings), Keyring.from_settings(settings), sessions,
                   settings.document_orphan_grace_seconds)

    async def add(
        self, session: AsyncSession, *, case_id: UUID | None, division_code: str, category: DocumentCategory,
        kind: str, filename: str, content_type: str, data: bytes, actor_id: UUID | None,
        business_key: str | None = None, document_id: UUID | None = None,
    ) -> DocumentRef | None:
        """Store `data` and insert its row into `session`'s transaction (the caller commits). Versions count
        per case, category and kind. None when `business_key` is already taken (by a concurrent caller)."""
        document_id = document_id or uuid4()
        key = object_key_for(document_id)
        async with self.sessions.begin() as own:
            await own.execute(insert(DocumentPending).values(object_key=key, started_at=datetime.now(UTC)))
        # Hashing and encrypting a document is CPU work (about 1 ms a MB): off the event loop.
        sealed, digest = await asyncio.to_thread(lambda: (self.keyring.seal(key, data), sha256_hex(data)))
        await self.objects.put(key, sealed.blob)
        version = 1
        if case_id is not None:
            # One writer per case and kind at a time, so versions are 1, 2, 3 … without gaps or collisions.
            await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                                  {"k": f"documents:{case_id}:{category.value}:{kind}"})
            version = 1 + (await session.execute(select(func.coalesce(func.max(_d.version), 0)).where(
                _d.case_id == case_id, _d.category == category.value, _d.kind == kind))).scalar_one()
        row = (await session.execute(insert(Document).values(
            id=document_id, case_id=case_id, division_code=division_code, category=category.value, kind=kind,
            version=version, filename=filename, content_type=content_type, size=len(data),
            sha256=digest, object_key=key, key_id=sealed.key_id, wrapped_key=sealed.wrapped_key,
            business_key=business_key, uploaded_by=actor_id, uploaded_at=datetime.now(UTC),
        ).on_conflict_do_nothing(index_elements=["business_key"]).returning(*DOCUMENTS.c))).one_or_none()
        if row is None:
            return None  # the pending key stays: the sweeper removes the object nobody will reference
        claimed = (await session.execute(delete(DocumentPending).where(DOCUMENT_PENDING.c.object_key == key)
                                         .returning(DOCUMENT_PENDING.c.object_key))).first()
        if claimed is None:
            raise StoreUnavailable("the upload outlived the orphan grace period; its object was swept")
        return ref_of(row)

    async def save_generated(
        self, session: AsyncSession, *, case_id: UUID | None, kind: GeneratedKind, filename: str,
        content_type: str, data: bytes, actor_id: UUID | None, business_key: str, division_code: str | None = None,
    ) -> DocumentRef:
        """A document the system wrote, stored once per `business_key` (see the module docstring)."""
        if len(data) > GENERATED_MAX_BYTES:
            raise ValueError(f"generated document over {GENERATED_MAX_BYTES} bytes")
        existing = await self.by_business_key(session, business_key)
        if existing is not None:
            return existing
        if case_id is not None:
            division_code = (await session.execute(
                select(CASES.c.village_code).where(CASES.c.id == case_id))).scalar_one()
        if division_code is None:
            raise ValueError("a document of no case needs the division_code it belongs to")
        ref = await self.add(session, case_id=case_id, division_code=division_code,
                             category=DocumentCategory.GENERATED, kind=kind.value, filename=filename,
                             content_type=content_type, data=data, actor_id=actor_id, business_key=business_key)
        if ref is None:  # a concurrent call with the same key committed first
            ref = await self.by_business_key(session, business_key)
            assert ref is not None
        return ref

    async def by_business_key(self, session: AsyncSession, business_key: str) -> DocumentRef | None:
        row = (await session.execute(select(DOCUMENTS).where(_d.business_key == business_key))).one_or_none()
        return None if row is None else ref_of(row)

    async def read(self, row: Any) -> bytes:
        """The plaintext of a document row (any row of `documents`); raises ObjectMissing, Undecryptable,
        UnknownKey or StoreUnavailable."""
        blob = await self.objects.get(row.object_key)
        return await asyncio.to_thread(self.keyring.open, row.object_key, blob, row.key_id, row.wrapped_key)

    async def close(self) -> None:
        await self.objects.close()


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[DocumentStore]:
    """A store with its own small engine, for commands run outside the API and the worker."""
    engine = make_engine(settings.database_url, pool_size=4)
    store = DocumentStore.from_settings(settings, make_sessions(engine))
    try:
        yield store
    finally:
        await store.close()
        await engine.dispose()

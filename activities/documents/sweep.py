"""Removes what uploads that died left behind: objects whose pending key is older than the grace period (the
process was killed, or its transaction rolled back, between writing the object and committing its row), and
a folder backend's half-written part files. The API runs it every few minutes; it is safe to run anywhere,
concurrently: each pending key is taken under a row lock that skips keys another sweeper or a committing
upload holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from activities.documents.store import DocumentStore
from models.documents.tables import DOCUMENT_PENDING

_p = DOCUMENT_PENDING.c


@dataclass(frozen=True)
class SweepResult:
    objects_removed: int
    partials_removed: int


async def sweep(store: DocumentStore, older_than_seconds: float | None = None, batch: int = 200) -> SweepResult:
    grace = store.grace_seconds if older_than_seconds is None else older_than_seconds
    cutoff = datetime.now(UTC) - timedelta(seconds=grace)
    removed = 0
    while True:
        async with store.sessions.begin() as session:
            keys = (await session.execute(
                select(_p.object_key).where(_p.started_at <= cutoff).order_by(_p.started_at)
                .limit(batch).with_for_update(skip_locked=True)
            )).scalars().all()
            for key in keys:
                # The object first: if this fails the pending key stays and the next sweep tries again.
                await store.objects.delete(key)
            if keys:
                await session.execute(delete(DOCUMENT_PENDING).where(_p.object_key.in_(keys)))
        removed += len(keys)
        if len(keys) < batch:
            break
    partials = await store.objects.clean_partials(grace)
    return SweepResult(removed, partials)

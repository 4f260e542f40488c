"""Key rotation: re-wraps every data key that is not under the current key-encryption key.

To rotate: add the new key to DOCUMENT_KEYS beside the old one and point DOCUMENT_KEY_ID at it (new documents
use it at once; old ones keep opening with the old key), restart, then run

    python -m activities.documents.rewrap

Only the rows' wrapped data keys change (the objects are untouched), in batches, each batch one transaction
under row locks, so it can run while the service is up and can be interrupted and run again. When it reports
0 left, the old key can be removed from DOCUMENT_KEYS.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import func, select, update

from activities.documents.store import DocumentStore, opened
from models.documents.tables import DOCUMENTS
from models.settings import Settings, get_settings

_d = DOCUMENTS.c


async def rewrap(store: DocumentStore, batch: int = 500) -> int:
    """Re-wraps every row not under the current key; the number re-wrapped."""
    current, done = store.keyring.current, 0
    while True:
        async with store.sessions.begin() as session:
            rows = (await session.execute(
                select(_d.id, _d.object_key, _d.key_id, _d.wrapped_key).where(_d.key_id != current)
                .order_by(_d.id).limit(batch).with_for_update(skip_locked=True)
            )).all()
            for row in rows:
                key_id, wrapped = store.keyring.rewrap(row.object_key, row.key_id, row.wrapped_key)
                await session.execute(update(DOCUMENTS).where(_d.id == row.id).values(key_id=key_id,
                                                                                      wrapped_key=wrapped))
        done += len(rows)
        if len(rows) < batch:
            return done


async def left_to_rewrap(store: DocumentStore) -> int:
    async with store.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(DOCUMENTS).where(
            _d.key_id != store.keyring.current)))
                   .scalar_one())


def rewrap_documents(settings: Settings | None = None) -> tuple[int, int]:
    """Plain entry point for the admin CLI: (re-wrapped now, still under another key)."""

    async def run() -> tuple[int, int]:
        async with opened(settings or get_settings()) as store:
            return await rewrap(store), await left_to_rewrap(store)

    return asyncio.run(run())


def main() -> int:
    done, left = rewrap_documents()
    print(f"re-wrapped {done} data keys under the current key; {left} left under other keys")
    return 0 if left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

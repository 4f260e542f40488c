"""Checks every stored document against its row: the object is there, opens with its data key (so it is
neither corrupted nor swapped) and its plaintext has the recorded SHA-256. Optionally lists objects that no
row or pending upload names.

    python -m activities.documents.verify [--unreferenced]

exits 1 when anything is missing or corrupt. `verify_documents(settings)` is the plain function the admin
CLI calls; `verify(store)` the coroutine for code that already holds a store.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy import select

from activities.documents.store import DocumentStore, opened, sha256_hex
from infra.envelope import Undecryptable, UnknownKey
from infra.storage import ObjectMissing
from models.documents.tables import DOCUMENT_PENDING, DOCUMENTS
from models.settings import Settings, get_settings

_d = DOCUMENTS.c


@dataclass
class VerifyReport:
    checked: int = 0
    missing: list[UUID] = field(default_factory=list)
    corrupt: list[UUID] = field(default_factory=list)  # does not open, or the hash differs
    unknown_key: list[UUID] = field(default_factory=list)  # its key-encryption key is not configured
    unreferenced: list[str] = field(default_factory=list)  # objects no row or pending upload names

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupt or self.unknown_key)

    def summary(self) -> str:
        lines = [f"checked {self.checked} documents: {len(self.missing)} missing, {len(self.corrupt)} corrupt, "
                 f"{len(self.unknown_key)} with an unknown key id, {len(self.unreferenced)} unreferenced objects"]
        for label, ids in (("missing", self.missing), ("corrupt", self.corrupt), ("unknown key", self.unknown_key)):
            lines += [f"  {label}: {i}" for i in ids]
        lines += [f"  unreferenced object: {k}" for k in self.unreferenced]
        return "\n".join(lines)


async def _check(store: DocumentStore, row: object, report: VerifyReport) -> None:
    doc_id: UUID = row.id  # type: ignore[attr-defined]
    try:
        plaintext = await store.read(row)
    except ObjectMissing:
        report.missing.append(doc_id)
        return
    except UnknownKey:
        report.unknown_key.append(doc_id)
        return
    except Undecryptable:
        report.corrupt.append(doc_id)
        return
    if sha256_hex(plaintext) != row.sha256:  # type: ignore[attr-defined]
        report.corrupt.append(doc_id)


async def verify(store: DocumentStore, *, unreferenced: bool = False, batch: int = 200,
                 concurrency: int = 8) -> VerifyReport:
    report = VerifyReport()
    after: UUID | None = None
    gate = asyncio.Semaphore(concurrency)

    async def one(row: object) -> None:
        async with gate:
            await _check(store, row, report)

    while True:  # keyset pages: a constant cost per page however large the archive grows
        async with store.sessions() as session:
            query = select(_d.id, _d.object_key, _d.key_id, _d.wrapped_key, _d.sha256).order_by(_d.id).limit(batch)
            rows = (await session.execute(query if after is None else query.where(_d.id > after))).all()
        await asyncio.gather(*(one(r) for r in rows))
        report.checked += len(rows)
        if len(rows) < batch:
            break
        after = rows[-1].id
    if unreferenced:
        async with store.sessions() as session:
            known = set((await session.execute(select(_d.object_key))).scalars())
            known |= set((await session.execute(select(DOCUMENT_PENDING.c.object_key))).scalars())
        report.unreferenced = [k async for k in store.objects.list_keys("documents/") if k not in known]
    report.missing.sort()
    report.corrupt.sort()
    return report


def verify_documents(settings: Settings | None = None, *, unreferenced: bool = False) -> VerifyReport:
    """Plain entry point for the admin CLI (Typer): runs its own event loop."""

    async def run() -> VerifyReport:
        async with opened(settings or get_settings()) as store:
            return await verify(store, unreferenced=unreferenced)

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check every stored document against its recorded SHA-256.")
    parser.add_argument("--unreferenced", action="store_true", help="also list objects that no row names")
    report = verify_documents(unreferenced=parser.parse_args(argv).unreferenced)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())

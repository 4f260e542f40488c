"""Verifying the audit log's hash chain (tamper evidence).

Each row's `row_hash` covers its content and the previous row's hash (the database computes it on insert:
migration 0009_hardening). Verification recomputes every hash from the rows as they are now: a changed row, a
row taken out (a gap in `chain_seq`) or a row put in out of order shows as the first broken link. The head hash
printed at the end is what to record elsewhere (a signed report, a printout): with it, even rewriting the whole
chain from some row onwards shows.

    python -m infra.audit_chain            # verify the database at DATABASE_URL
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import make_engine, make_sessions

_RECOMPUTE = text("""
SELECT (s.r).chain_seq AS chain_seq, (s.r).row_hash AS row_hash, s.prev_seq,
       audit_row_hash(s.prev_hash, s.r) AS expected
FROM (SELECT a AS r, lag(a.chain_seq) OVER w AS prev_seq, lag(a.row_hash) OVER w AS prev_hash
      FROM audit_log a WHERE a.chain_seq IS NOT NULL WINDOW w AS (ORDER BY a.chain_seq)) AS s
ORDER BY 1
""")


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_seq: int | None
    head_hash: str | None
    broken_at: int | None  # the first chain_seq whose hash or position does not hold
    unchained: int  # rows without a place in the chain (written around the trigger)

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.unchained == 0


async def verify(session: AsyncSession) -> ChainReport:
    rows = (await session.execute(_RECOMPUTE)).all()
    unchained = (await session.execute(text("SELECT count(*) FROM audit_log WHERE chain_seq IS NULL"))).scalar_one()
    broken = None
    for i, r in enumerate(rows):
        expected_prev = r.chain_seq - 1 if i else None
        if r.row_hash != r.expected or (i and r.prev_seq != expected_prev) or (not i and r.chain_seq != 1):
            broken = int(r.chain_seq)
            break
    last = rows[-1] if rows else None
    return ChainReport(rows=len(rows), head_seq=last.chain_seq if last else None,
                       head_hash=last.row_hash if last else None, broken_at=broken, unchained=int(unchained))


async def _main(url: str) -> int:
    engine = make_engine(url, pool_size=1)
    try:
        async with make_sessions(engine)() as session:
            report = await verify(session)
    finally:
        await engine.dispose()
    print(f"rows {report.rows}, head {report.head_seq} {report.head_hash}")
    if not report.ok:
        print(f"BROKEN at chain_seq {report.broken_at}; rows outside the chain: {report.unchained}")
        return 1
    print("chain intact")
    return 0


def main() -> None:
    from models.settings import get_settings

    sys.exit(asyncio.run(_main(get_settings().database_url)))


if __name__ == "__main__":
    main()

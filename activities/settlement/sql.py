"""The monthly computation of one county x period: set-based SQL in one transaction, never a case workflow.

1. Lock the county (advisory lock: one computation of a county at a time, whatever the period) and the
   period's statements (row locks). Draft and returned statements are cleared and rebuilt; approved and paid
   ones are never touched.
2. The candidates, the terms, the plans and what is already paid are staged in temporary tables
   (queries.py, where the rules are written).
3. One statement (ledger.SETTLE) classifies every candidate record (billable, flagged as duplicate or over
   the plan, or an exception for the next run) and, from that one pass, writes a draft statement for every
   purchaser x provider with billable records or clawbacks (its id derived from that key), the ledger (one row
   per record: its one and only settlement), the lines per case x item x service month x price and the
   exceptions.
4. The clawbacks of paid records since disallowed (negative lines; activities/settlement/disallow.py), totals
   per funding source and government / social, a content hash (a re-run that changes nothing keeps the
   version), and the county's 1% check.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.settlement import ledger
from activities.settlement import queries as q
from activities.urgent import settlement as urgent
from models.settlement.payloads import CountyComputed, CountyInput, StatementRef
from policy.settlement import work_funds_check
from vocabulary.settlement import FundCheckStatus, FundingSource, StatementStatus
from workflows import periods

_OPEN = ("draft", "returned")


def lock_key(county_code: str) -> int:
    """The advisory-lock key of a county's settlement (a signed 64-bit integer)."""
    digest = hashlib.sha256(f"assistflow:settlement:{county_code}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def statement_id(period: str, purchaser_code: str, provider_id: Any) -> uuid.UUID:
    """Derived from its business key, so every run and retry names the same statement."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:statement:{period}:{purchaser_code}:{provider_id}")


async def _rows(session: AsyncSession, sql: str, **params: Any) -> list[Any]:
    return list((await session.execute(text(sql), params)).all())


async def compute_county(session: AsyncSession, job: CountyInput, now: datetime) -> CountyComputed:
    """Everything for one county x period, in the caller's transaction."""
    county, period = job.county_code, job.period
    start, end = periods.bounds(period)
    # Sorts and hashes of a county's month stay in memory; JIT compiles for longer than these queries run; every
    # join here is set against set, and a nested loop chosen on a misestimate costs minutes (seen).
    await session.execute(text("SET LOCAL work_mem = '256MB'"))
    await session.execute(text("SET LOCAL jit = off"))
    await session.execute(text("SET LOCAL enable_nestloop = off"))
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(county)})
    before = await _rows(session, "SELECT id, status FROM statements WHERE county_code = :c AND period = :p "
                                  "ORDER BY id FOR UPDATE", c=county, p=period)
    open_ids = [r.id for r in before if r.status in _OPEN]
    for table in ("statement_records", "statement_lines", "statement_fund_totals", "clawbacks"):
        await session.execute(text(f"DELETE FROM {table} WHERE statement_id = ANY(:ids)"), {"ids": open_ids})
    await session.execute(text("DELETE FROM settlement_exceptions WHERE county_code = :c AND period = :p"),
                          {"c": county, "p": period})

    await session.execute(q.CANDIDATES, {"county": county, "cutoff": job.cutoff, "period_end": end})
    await session.execute(text("ANALYZE cand"))
    first_month = (await session.execute(text("SELECT min(service_month) FROM cand"))).scalar_one()
    await session.execute(q.TERMS, {"county": county})
    await session.execute(q.PLANS)
    await session.execute(urgent.REGULAR_PLAN_FROM_ITS_START)  # 先行救助: its care is planned too
    await session.execute(urgent.URGENT_PLANS)
    await session.execute(q.PRIOR, {"county": county, "first_period": periods.of_date(first_month or start.date())})
    for table in ("terms", "plan", "prior"):
        await session.execute(text(f"ANALYZE {table}"))
    await session.execute(q.CLAWS, {"county": county, "period": period})
    pairs = (await session.execute(ledger.PAIRS)).all()
    ids = [statement_id(period, p.purchaser_code, p.provider_id) for p in pairs]
    exceptions = cast(CursorResult[Any], await session.execute(ledger.SETTLE, {
        "county": county, "period": period, "month": start.date(), "now": now, "ids": ids,
        "purchasers": [p.purchaser_code for p in pairs], "providers": [p.provider_id for p in pairs],
        "numbers": [f"JS{period.replace('-', '')}-{p.purchaser_code}-{p.code}" for p in pairs]}))
    # The open statements now: those open before (their row locks held since) and the drafts just created.
    open_ids = list((await session.execute(text(
        "SELECT id FROM statements WHERE county_code = :c AND period = :p AND status IN ('draft', 'returned') "
        "ORDER BY id"), {"c": county, "p": period})).scalars())
    await session.execute(q.CLAWBACKS, {"period": period})
    await session.execute(q.CLAWBACK_LINES, {"open": open_ids})
    await session.execute(q.FUND_TOTALS, {"open": open_ids})
    await session.execute(q.TOTALS, {"open": open_ids, "now": now})
    fund_status = await _fund_check(session, county, period, now)
    refs = await _rows(session, "SELECT id, purchaser_code, status, version FROM statements "
                                "WHERE county_code = :c AND period = :p ORDER BY id", c=county, p=period)
    return CountyComputed(
        county_code=county, exceptions=exceptions.rowcount, fund_check=fund_status,
        statements=[StatementRef(statement_id=r.id, period=period, county_code=county,
                                 purchaser_code=r.purchaser_code, status=StatementStatus(r.status),
                                 version=r.version) for r in refs],
    )


async def _fund_check(session: AsyncSession, county: str, period: str, now: datetime) -> FundCheckStatus:
    async def used_through(last: str) -> Decimal:
        return Decimal((await session.execute(q.WORK_FUNDS_USED, {
            "county": county, "period": last, "year_start": periods.year_start(period),
            "work_funds": FundingSource.WORK_FUNDS.value,
        })).scalar_one())

    # The budget year to date: earlier periods of the year (January has none) plus this one.
    used, before = await used_through(period), await used_through(periods.shift(period, -1))
    pooled = (await session.execute(text(
        "SELECT pooled_assistance_funds FROM county_funds WHERE county_code = :c AND year = :y"),
        {"c": county, "y": periods.parse(period)[0]})).scalar_one_or_none()
    check = work_funds_check(pooled, used)
    await session.execute(text("""
        INSERT INTO fund_checks (county_code, period, status, pooled, cap, used_before, used_this_period,
                                 used_total, share_percent, computed_at)
        VALUES (:c, :p, :status, :pooled, :cap, :before, :this, :total, :share, :now)
        ON CONFLICT (county_code, period) DO UPDATE SET
            status = EXCLUDED.status, pooled = EXCLUDED.pooled, cap = EXCLUDED.cap,
            used_before = EXCLUDED.used_before, used_this_period = EXCLUDED.used_this_period,
            used_total = EXCLUDED.used_total, share_percent = EXCLUDED.share_percent,
            computed_at = EXCLUDED.computed_at
    """), {"c": county, "p": period, "status": check.status.value, "pooled": check.pooled, "cap": check.cap,
           "before": before, "this": used - before, "total": check.used, "share": check.share_percent,
           "now": now})
    return check.status

"""The yearly settlement of neighbour help (补贴由乡镇审核按年发放): one statement per township and year.

A run takes every approved record of the township up to the year's end that no statement has settled yet —
records of earlier years approved late come in as adjustment lines (补结往年) — and prices them by the county's
standard (policy/neighbour.py). A draft or returned statement is recomputed; its version changes only when its
content does (the same records at the same amounts give the same SHA-256, so a re-run is identical). An approved
or paid statement is never touched: records approved after it wait for the next year's run. One transaction per
township, under an advisory lock on it, so two runs never take the same record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import delete, func, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.deadlines.plan import county_rules, work_calendar
from models.modes.neighbour import RATES, RECORDS, YEAR_LEDGER, YEAR_LINES, YEAR_STATEMENTS
from policy import neighbour as policy
from vocabulary.deadlines import DeadlineRule
from vocabulary.neighbour import LOCKED, LineKind, RateBasis, RecordStatus, YearStatus

_r, _s, _k = RECORDS.c, YEAR_STATEMENTS.c, YEAR_LEDGER.c


@dataclass(frozen=True)
class TownshipRun:
    statement_id: UUID | None  # None: nothing to settle and no statement yet
    locked: bool
    unrated: int


async def rates_of(session: AsyncSession, county: str) -> list[policy.Rate]:
    rows = (await session.execute(select(RATES).where(RATES.c.county_code == county))).all()
    return [policy.Rate(r.valid_from, r.valid_to, RateBasis(r.basis), r.amount) for r in rows]


async def run_township(session: AsyncSession, township: str, year: int, today: date) -> TownshipRun:
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"neighbour:{township}"})
    statement_id = uuid4()
    await session.execute(pg_insert(YEAR_STATEMENTS).values(
        id=statement_id, statement_no=f"LLHZ-{year}-{township}", year=year, county_code=township[:6],
        township_code=township, status=YearStatus.DRAFT.value, version=0, helper_count=0, record_count=0,
        total_amount=0, adjustment_amount=0, computed_at=datetime.now(UTC),
    ).on_conflict_do_nothing(constraint="uq_neighbour_statement"))
    row = (await session.execute(select(YEAR_STATEMENTS).where(
        _s.year == year, _s.township_code == township).with_for_update())).one()
    if YearStatus(row.status) in LOCKED:
        return TownshipRun(row.id, locked=True, unrated=0)
    services = (await session.execute(
        select(_r.id, _r.helper_id, _r.served_on, _r.count.label("n")).outerjoin(YEAR_LEDGER, _k.record_id == _r.id)
        .where(_r.township_code == township, _r.status == RecordStatus.APPROVED.value,
               _r.served_on <= date(year, 12, 31), or_(_k.record_id.is_(None), _k.statement_id == row.id))
    )).all()
    months_paid = frozenset((m.helper_id, m.served_on.replace(day=1)) for m in (await session.execute(
        select(_k.helper_id, _k.served_on).join(RECORDS, _r.id == _k.record_id).where(
            _r.township_code == township, _k.statement_id != row.id, _k.basis == RateBasis.PER_MONTH.value,
            _k.quantity > 0))).all())
    settled = policy.settle([policy.Service(s.id, s.helper_id, s.served_on, s.n) for s in services],
                            await rates_of(session, township[:6]), months_paid)
    digest = policy.content_hash(year, township, settled.paid)
    if not settled.paid and row.version == 0:  # nothing to settle: no empty statement is kept
        await session.execute(delete(YEAR_STATEMENTS).where(_s.id == row.id))
        return TownshipRun(None, locked=False, unrated=len(settled.unrated))
    if digest == row.content_sha256 and row.status == YearStatus.DRAFT.value:
        return TownshipRun(row.id, locked=False, unrated=len(settled.unrated))  # identical: nothing rewritten
    await _write(session, row, year, settled.paid, digest, today)
    return TownshipRun(row.id, locked=False, unrated=len(settled.unrated))


async def _write(session: AsyncSession, row: object, year: int, paid: tuple[policy.Paid, ...], digest: str,
                 today: date) -> None:
    sid: UUID = row.id  # type: ignore[attr-defined]
    await session.execute(delete(YEAR_LEDGER).where(_k.statement_id == sid))
    await session.execute(delete(YEAR_LINES).where(YEAR_LINES.c.statement_id == sid))
    if paid:
        served = dict((await session.execute(select(_r.id, _r.served_on).where(
            _r.id.in_([p.record_id for p in paid])))).tuples().all())
        await session.execute(insert(YEAR_LEDGER), [dict(
            record_id=p.record_id, statement_id=sid, helper_id=p.helper_id, served_on=served[p.record_id],
            basis=p.basis.value, quantity=p.quantity, amount=p.amount) for p in paid])
    lines = policy.lines(paid, year)
    if lines:
        await session.execute(insert(YEAR_LINES), [dict(
            statement_id=sid, helper_id=line.helper_id, service_year=line.service_year, kind=line.kind.value,
            basis=line.basis.value, unit_amount=line.unit_amount, quantity=line.quantity,
            record_count=line.record_count, amount=line.amount) for line in lines])
    changed = digest != row.content_sha256  # type: ignore[attr-defined]
    county: str = row.county_code  # type: ignore[attr-defined]
    due = (await work_calendar(session)).add(today, (await county_rules(session, county))[
        DeadlineRule.SETTLEMENT_APPROVAL])
    await session.execute(update(YEAR_STATEMENTS).where(_s.id == sid).values(
        status=YearStatus.DRAFT.value, version=_s.version + (1 if changed else 0), content_sha256=digest,
        helper_count=len({p.helper_id for p in paid}), record_count=len(paid),
        total_amount=sum((line.amount for line in lines), Decimal("0.00")),
        adjustment_amount=sum((line.amount for line in lines if line.kind is LineKind.ADJUSTMENT), Decimal("0.00")),
        computed_at=datetime.now(UTC), due_on=due.on, returned_by=None, returned_at=None, return_reason=None))


async def townships_with_records(session: AsyncSession, scope: str, year: int) -> list[str]:
    """The townships under `scope` with approved records up to the year's end, or with a statement that year."""
    found = (await session.execute(select(func.distinct(_r.township_code)).where(
        _r.township_code.startswith(scope, autoescape=True), _r.status == RecordStatus.APPROVED.value,
        _r.served_on <= date(year, 12, 31)))).scalars().all()
    held = (await session.execute(select(_s.township_code).where(
        _s.township_code.startswith(scope, autoescape=True), _s.year == year))).scalars().all()
    return sorted(set(found) | set(held))

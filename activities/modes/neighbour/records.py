"""The village's service records of a pairing and the township's review of them (服务次数、服务内容，乡镇审核).
A record is written once per pairing, day and content; a reviewed record keeps its review (reviewing it again
the same way changes nothing, the other way is refused); a record settled by a yearly statement is final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.modes.neighbour import RECORDS, YEAR_LEDGER
from vocabulary.neighbour import RecordStatus
from vocabulary.refusal import refuse

_r = RECORDS.c


@dataclass(frozen=True)
class NewRecord:
    pairing_id: UUID
    helper_id: UUID
    case_id: UUID
    township_code: str
    village_code: str
    served_on: date
    content: str
    count: int
    minutes: int | None


async def record(session: AsyncSession, r: NewRecord, actor_id: UUID) -> UUID:
    await session.execute(insert(RECORDS).values(
        id=uuid4(), pairing_id=r.pairing_id, helper_id=r.helper_id, case_id=r.case_id,
        township_code=r.township_code, village_code=r.village_code, served_on=r.served_on, content=r.content,
        count=r.count, minutes=r.minutes, status=RecordStatus.PENDING.value, recorded_by=actor_id,
        recorded_at=datetime.now(UTC),
    ).on_conflict_do_nothing(index_elements=["pairing_id", "served_on", "content"],
                             # A literal, as in the index: a bound parameter stops matching it once the
                             # driver's prepared statement turns generic.
                             index_where=text("status <> 'rejected'")))
    found = (await session.execute(select(_r.id, _r.count.label("n"), _r.minutes).where(
        _r.pairing_id == r.pairing_id, _r.served_on == r.served_on, _r.content == r.content,
        _r.status != RecordStatus.REJECTED.value))).one()
    if (found.n, found.minutes) != (r.count, r.minutes):
        raise refuse("record_exists",
                     f"{r.served_on:%Y年%m月%d日}该项服务已登记（{found.n}次），同日多次服务请合并登记次数")
    return UUID(str(found.id))


async def review(session: AsyncSession, record_id: UUID, approve: bool, reason: str | None, actor_id: UUID) -> bool:
    """True when this call changed the record."""
    row = (await session.execute(select(_r.status).where(_r.id == record_id).with_for_update())).one()
    wanted = RecordStatus.APPROVED if approve else RecordStatus.REJECTED
    if row.status == wanted.value:
        return False  # reviewed already (a double click): nothing more to write
    if row.status != RecordStatus.PENDING.value:
        settled = (await session.execute(select(YEAR_LEDGER.c.record_id).where(
            YEAR_LEDGER.c.record_id == record_id))).first()
        if settled is not None:
            raise refuse("record_settled", "该服务记录已纳入年度结算，不能改变审核结果")
        raise refuse("record_reviewed", f"该服务记录已{RecordStatus.label(row.status)}，不能改变审核结果")
    await session.execute(update(RECORDS).where(_r.id == record_id).values(
        status=wanted.value, reject_reason=None if approve else reason, reviewed_by=actor_id,
        reviewed_at=datetime.now(UTC)))
    return True

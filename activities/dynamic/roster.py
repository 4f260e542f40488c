"""Importing the month's roster (低收入人口动态监测信息平台; new, changed, exited and dead recipients).

Every row is validated (policy/dynamic.py: GB 11643, a known village in the importer's jurisdiction, a known
category and change type); a bad row is reported with its Chinese reasons in a downloadable XLSX and the rest
is imported, set-based in chunks of CHUNK rows (activities/dynamic/roster_sql.py), each chunk one transaction
that also commits the progress. ID numbers are read once, turned into the keyed hash and the cipher, and never
leave this module otherwise; the uploaded file and the error workbook are kept encrypted.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio import activity

from activities.deadlines.plan import county_rules, work_calendar
from activities.dynamic import roster_sql as q
from infra.db import Sessions
from models.dynamic.tables import ROSTER_IMPORTS
from models.payloads.dynamic import CaseEvent, EventRef, RosterDone, RosterEvents, RosterPage, RosterStart
from models.settings import Settings, get_settings
from policy import idnumber
from policy.dynamic import ROSTER_COLUMNS, RosterRow, check_row
from vocabulary.china import china_day
from vocabulary.deadlines import DeadlineRule
from vocabulary.dynamic import ImportStatus, StatusChange
from workflows.dynamic_activities import DynamicActivities

CHUNK = 10_000
ERROR_HEADER = ("行号", *ROSTER_COLUMNS, "错误原因")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def seal(data: bytes, key: str) -> bytes:
    return Fernet(key.encode()).encrypt(data)


def unseal(data: bytes, key: str) -> bytes:
    return Fernet(key.encode()).decrypt(data)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_rows(filename: str, data: bytes) -> Iterator[tuple[str, ...]]:
    """The data rows of a CSV (UTF-8, with or without BOM; GB18030 as exported by older tools) or an XLSX,
    after the header row."""
    if data[:2] == b"PK":
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        cells = sheet.iter_rows(values_only=True)
        next(cells, None)
        for values in cells:
            if any(c not in (None, "") for c in values):
                yield tuple(_cell(c) for c in values)
        return
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("gb18030")
    reader = csv.reader(io.StringIO(content))
    next(reader, None)
    for line in reader:
        if any(c.strip() for c in line):
            yield tuple(line)


def error_workbook(bad: list[tuple[int, tuple[str, ...], list[str]]]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误行")
    ws.append(ERROR_HEADER)
    for row_no, cells, reasons in bad:
        ws.append((row_no, *(cells + ("",) * len(ROSTER_COLUMNS))[:len(ROSTER_COLUMNS)], "；".join(reasons)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_workbook() -> bytes:
    """The roster template a county officer downloads: the columns, one example row, the accepted values."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "动态监测名单"
    ws.append(ROSTER_COLUMNS)
    ws.append(("王秀英", "34170219480312123X", "341702001001", "特困人员", "新增", "2026-11-01"))
    for column in "ABCDEF":
        ws.column_dimensions[column].width = 22
    notes = wb.create_sheet("填写说明")
    notes.append(("变动类型", "新增、变更、退出、死亡"))
    notes.append(("救助类别", "低保对象、特困人员、孤儿和事实无人抚养儿童、低保边缘家庭成员、防止返贫监测对象、"
                           "支出型困难家庭成员"))
    notes.append(("身份证号码", "18位，请设置为文本格式，以免末位或前导零丢失"))
    notes.append(("变动日期", "如 2026-11-01"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class Tally:
    done: int = 0
    good: int = 0
    bad: list[tuple[int, tuple[str, ...], list[str]]] = field(default_factory=list)
    new_people: int = 0
    events: int = 0
    screenings: int = 0


def _record(row_no: int, r: RosterRow, settings: Settings, fernet: Fernet) -> tuple[Any, ...]:
    id_hash = idnumber.lookup_hash(r.id_number, settings.id_hash_key)
    key = hashlib.sha256(f"{id_hash}|{r.change.value}|{r.effective_on}|{r.category.value}|{r.village_code}".encode())
    return (row_no, id_hash, fernet.encrypt(r.id_number.encode()), r.name, r.gender, r.birth_date,
            r.village_code, r.category.value, r.change.value, r.effective_on, f"roster:{key.hexdigest()}")


async def _chunk(session: AsyncSession, records: list[tuple[Any, ...]], params: dict[str, Any], tally: Tally,
                 cells: dict[int, tuple[str, ...]]) -> None:
    await session.execute(text(q.ROSTER_IN))
    raw = await (await session.connection()).get_raw_connection()
    await raw.driver_connection.copy_records_to_table("roster_in", records=records, columns=q.COLUMNS)  # type: ignore[union-attr]
    await session.execute(text("ANALYZE roster_in"))  # the planner would otherwise guess a handful of rows
    for row_no in (await session.execute(q.NAME_CLASH)).scalars():
        tally.bad.append((row_no, cells[row_no], ["该身份证号码已登记为其他姓名，请核对"]))
    await session.execute(q.BEFORE)
    tally.new_people += sum(1 for inserted in (await session.execute(q.PERSONS, params)).scalars() if inserted)
    tally.events += (await session.execute(q.EVENTS, params)).rowcount  # type: ignore[attr-defined]
    tally.screenings += (await session.execute(q.SCREENINGS, params)).rowcount  # type: ignore[attr-defined]


async def run_import(sessions: Sessions, settings: Settings, import_id: UUID, beat: Any = None) -> Tally:
    """Validate and write the whole file; idempotent (a retry starts over and changes nothing twice)."""
    async with sessions.begin() as session:
        job = (await session.execute(select(ROSTER_IMPORTS).where(ROSTER_IMPORTS.c.id == import_id))).one()
        await session.execute(ROSTER_IMPORTS.update().where(ROSTER_IMPORTS.c.id == import_id).values(
            status=ImportStatus.RUNNING.value, done_rows=0, good_rows=0, bad_rows=0, new_people=0, events=0,
            screenings=0, error=None))
        villages = frozenset((await session.execute(text(
            "SELECT code FROM divisions WHERE level = 'village' AND starts_with(code, :j)"),
            {"j": job.jurisdiction})).scalars())
        days = (await county_rules(session, job.county_code))[DeadlineRule.SCREENING]
        now = datetime.now(UTC)
        due_on = (await work_calendar(session)).add(china_day(now), days).on
    rows = list(read_rows(job.filename, unseal(job.content, settings.id_cipher_key)))
    await _set(sessions, import_id, total_rows=len(rows))
    fernet, tally, seen = Fernet(settings.id_cipher_key.encode()), Tally(), set[str]()
    params = {"now": now, "import_id": import_id, "actor": job.imported_by, "due_on": due_on,
              "period": china_day(job.created_at).strftime("%Y年%m月")}

    def prepare(start: int) -> tuple[list[tuple[Any, ...]], dict[int, tuple[str, ...]]]:
        """Validate, hash and encrypt one chunk (CPU work, in a thread while the last chunk is written)."""
        records, cells = [], {}
        for row_no, raw_cells in enumerate(rows[start:start + CHUNK], start=start + 2):  # row 1 is the header
            checked = check_row(raw_cells, job.jurisdiction, villages)
            if isinstance(checked, list):
                tally.bad.append((row_no, raw_cells, checked))
                continue
            record = _record(row_no, checked, settings, fernet)
            if record[-1] in seen:
                continue  # the same row twice in one file: once
            seen.add(record[-1])
            records.append(record)
            cells[row_no] = raw_cells
        return records, cells

    starts = list(range(0, len(rows), CHUNK))
    ahead = asyncio.create_task(asyncio.to_thread(prepare, 0)) if starts else None
    for n, start in enumerate(starts):
        assert ahead is not None
        records, cells = await ahead
        ahead = asyncio.create_task(asyncio.to_thread(prepare, starts[n + 1])) if n + 1 < len(starts) else None
        async with sessions.begin() as session:
            await _chunk(session, records, params, tally, cells)
            tally.done = min(len(rows), start + CHUNK)
            await session.execute(ROSTER_IMPORTS.update().where(ROSTER_IMPORTS.c.id == import_id).values(
                done_rows=tally.done, bad_rows=len(tally.bad), new_people=tally.new_people,
                events=tally.events, screenings=tally.screenings))
        if beat is not None:
            beat(tally.done)
    tally.good = len(rows) - len(tally.bad)
    await _set(sessions, import_id, good_rows=tally.good)
    errors = seal(error_workbook(sorted(tally.bad)), settings.id_cipher_key) if tally.bad else None
    await _set(sessions, import_id, status=ImportStatus.DONE.value, errors_xlsx=errors, finished_at=datetime.now(UTC))
    return tally


async def _set(sessions: Sessions, import_id: UUID, **values: Any) -> None:
    async with sessions.begin() as session:
        await session.execute(ROSTER_IMPORTS.update().where(ROSTER_IMPORTS.c.id == import_id).values(**values))


class RosterActivities(DynamicActivities):
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    @activity.defn
    async def roster_import(self, start: RosterStart) -> RosterDone:
        try:
            tally = await run_import(self._sessions, get_settings(), start.import_id, activity.heartbeat)
        except Exception:
            await _set(self._sessions, start.import_id, status=ImportStatus.FAILED.value,
                       error="导入失败，系统将自动重试；如持续失败请联系管理员")
            raise
        return RosterDone(good_rows=tally.good, bad_rows=len(tally.bad), events=tally.events)

    @activity.defn
    async def roster_pending(self, page: RosterPage) -> RosterEvents:
        async with self._sessions() as session:
            rows = (await session.execute(q.PENDING, {"import_id": page.import_id, "after": page.after,
                                                      "limit": page.limit})).all()
        return RosterEvents(items=[CaseEvent(case_id=r.case_id, event=EventRef(
            event_id=r.id, change=StatusChange(r.change), effective_on=r.effective_on, actor=page.actor,
            to_village=r.to_village)) for r in rows])


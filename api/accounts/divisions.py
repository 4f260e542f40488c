"""The 统计用区划代码 hierarchy a county works in: the shipped table of the demo county, a county's own import
(CSV or XLSX: code, name), and the check every user's jurisdiction and every case's village goes through, so a
typo cannot create a phantom township.

Codes are stored at their level's length (county 6, township 9, village 12 digits); a file may give the
published 12-digit form (341702001000), which is shortened. Every row's parent must be known (in the file or
already stored) and every row must lie inside the county being imported: one county's file never touches another.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from models.accounts import ImportResult
from models.tables import DIVISIONS, Division
from policy.accounts import LEVEL_OF_LENGTH, LEVEL_ZH, Level, Refusal, division_parent, short_code

SHIPPED = Path(__file__).with_name("data")
_d = DIVISIONS.c


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name: str

    @property
    def level(self) -> Level:
        return LEVEL_OF_LENGTH[len(self.code)]


def _row(code: str, name: str, line: int) -> DivisionRow:
    code, name = code.strip(), name.strip()
    if not code.isdigit() or len(code) not in (*LEVEL_OF_LENGTH, 12):
        raise Refusal("bad_division_code", f"第{line}行：区划代码“{code}”应为数字（县6位、乡镇9位、村12位）")
    if not name or len(name) > 100:
        raise Refusal("bad_division_name", f"第{line}行：名称不能为空且不超过100字")
    return DivisionRow(short_code(code) if len(code) == 12 else code, name)


def parse_rows(data: bytes, filename: str) -> list[DivisionRow]:
    """Rows of a CSV (UTF-8, with or without BOM; `#` lines are comments) or an XLSX (first sheet)."""
    raw: Iterable[tuple[int, list[str]]]
    if filename.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        raw = ((i, ["" if v is None else str(v) for v in row[:2]])
               for i, row in enumerate(sheet.iter_rows(values_only=True), start=1))
    else:
        text = data.decode("utf-8-sig")
        raw = ((i, row) for i, row in enumerate(csv.reader(io.StringIO(text)), start=1)
               if row and not row[0].startswith("#"))
    rows = []
    for line, cells in raw:
        if len(cells) < 2 or not cells[0].strip() or cells[0].strip() in ("code", "区划代码"):
            continue  # a header or an empty line
        rows.append(_row(cells[0], cells[1], line))
    return rows


def shipped_rows(county: str) -> list[DivisionRow]:
    path = SHIPPED / f"{county}.csv"
    if not path.exists():
        raise Refusal("no_shipped_divisions", f"没有内置{county}的区划代码，请用 divisions import 导入本县文件")
    return parse_rows(path.read_bytes(), path.name)


async def import_rows(session: AsyncSession, county: str, rows: list[DivisionRow], source: str) -> ImportResult:
    """Upsert the rows of one county (and the province and city above it). Caller commits."""
    outside = [r.code for r in rows if not (r.code.startswith(county) or county.startswith(r.code))]
    if outside:
        raise Refusal("out_of_county", f"文件中的区划代码不属于{county}：{'、'.join(outside[:5])}")
    known = {r.code for r in rows}
    stored = dict((await session.execute(
        select(_d.code, _d.name).where(_d.code.in_({p for r in rows if (p := division_parent(r.code))} | known))
    )).all())
    for r in rows:
        parent = division_parent(r.code)
        if parent is not None and parent not in known and parent not in stored:
            raise Refusal("unknown_parent", f"“{r.name}”({r.code})的上级区划{parent}未登记，请一并导入")
    added = updated = 0
    for r in sorted(rows, key=lambda r: len(r.code)):
        if r.code not in stored:
            added += 1
        elif stored[r.code] != r.name:
            updated += 1
        stmt = insert(Division).values(code=r.code, name=r.name, level=r.level.value,
                                       parent_code=division_parent(r.code), source=source)
        await session.execute(stmt.on_conflict_do_update(
            index_elements=["code"], set_={"name": r.name, "level": r.level.value, "source": source}))
    return ImportResult(added=added, updated=updated, unchanged=len(rows) - added - updated)


async def require_division(session: AsyncSession, code: str, what: str = "区划代码") -> str:
    """The division's name; 422 when the code is not in the stored hierarchy."""
    name = (await session.execute(select(_d.name).where(_d.code == code))).scalar_one_or_none()
    if name is None:
        level = LEVEL_OF_LENGTH.get(len(code))
        label = LEVEL_ZH[level] if level else what
        raise ApiError(422, "unknown_division", f"{label}代码“{code}”不在已登记的统计用区划代码中，请核对")
    return str(name)

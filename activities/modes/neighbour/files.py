"""The payment files of an approved yearly statement: an XLSX the township signs and a CSV for the bank's batch
payment. No I/O here. Unlike the monthly files, the payees are people (the helpers), so the files carry their
names and accounts: they are kept encrypted in the document store and read only within the township's
jurisdiction, like every other personal document. The CSV follows the monthly one (UTF-8 with BOM, CRLF, two
decimals, no thousands separators): one payment per helper."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

CSV_HEADER = ("序号", "结算单号", "付款单位", "收款户名", "收款账号", "收款开户行", "金额(元)", "用途")
LINE_HEADER = ("序号", "邻里互助员", "村(社区)", "服务年度", "结算类型", "补贴标准", "标准(元)", "数量", "服务记录数",
               "金额(元)")
_MONEY = "0.00"


@dataclass(frozen=True)
class Payee:
    helper: str
    account_name: str
    account_no: str
    bank_name: str
    amount: Decimal


@dataclass(frozen=True)
class Line:
    helper: str
    village: str
    service_year: int
    kind_zh: str
    basis_zh: str
    unit_amount: Decimal
    quantity: int
    record_count: int
    amount: Decimal


@dataclass(frozen=True)
class YearDoc:
    statement_no: str
    year: int
    version: int
    township: str
    approved_by: str
    approved_at: datetime
    total: Decimal
    adjustment: Decimal
    payees: tuple[Payee, ...]
    lines: tuple[Line, ...]

    @property
    def purpose(self) -> str:
        return f"{self.year}年度邻里互助帮扶补贴"


def csv_bytes(doc: YearDoc) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for n, p in enumerate((p for p in doc.payees if p.amount > 0), start=1):
        writer.writerow((n, doc.statement_no, doc.township, p.account_name, p.account_no, p.bank_name,
                         f"{p.amount:.2f}", doc.purpose))
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(doc: YearDoc) -> bytes:
    wb = Workbook()
    wb.properties.creator = "assistflow"
    wb.properties.created = wb.properties.modified = doc.approved_at.replace(tzinfo=None)
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "年度结算单"
    ws.append(("邻里互助帮扶补贴年度结算单",))
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in (("结算单号", doc.statement_no), ("结算年度", doc.year), ("版本", doc.version),
                         ("发放单位", doc.township), ("审批人", doc.approved_by),
                         ("审批时间", doc.approved_at.strftime("%Y-%m-%d %H:%M")), ("补贴合计(元)", doc.total),
                         ("其中：补结往年(元)", doc.adjustment)):
        ws.append((label, value))
        if isinstance(value, Decimal):
            ws.cell(ws.max_row, 2).number_format = _MONEY
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 40
    detail = wb.create_sheet("补贴明细")
    detail.append(LINE_HEADER)
    for n, line in enumerate(doc.lines, start=1):
        detail.append((n, line.helper, line.village, line.service_year, line.kind_zh, line.basis_zh,
                       line.unit_amount, line.quantity, line.record_count, line.amount))
    detail.append(("合计", "", "", "", "", "", None, sum(x.quantity for x in doc.lines),
                   sum(x.record_count for x in doc.lines), doc.total))
    pay = wb.create_sheet("发放清单")
    pay.append(CSV_HEADER)
    for n, p in enumerate((p for p in doc.payees if p.amount > 0), start=1):
        pay.append((n, doc.statement_no, doc.township, p.account_name, p.account_no, p.bank_name, p.amount,
                    doc.purpose))
    for sheet, columns in ((detail, (7, 10)), (pay, (7,))):
        for column in columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = _MONEY
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

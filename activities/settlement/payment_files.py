"""The payment files of an approved statement: an XLSX for people and a CSV for the bank. No I/O here.

The CSV is what a bank's batch-payment import reads: UTF-8 with a byte-order mark (so spreadsheet programs
and bank clients in China detect the encoding), CRLF line ends, one header row, plain numbers with two
decimals and no thousands separators, one payment per funding source (each is paid from its own budget
line). It names the payee organisation only: no person appears in a bank file. The XLSX is the statement as
the township signs it: the summary with the totals and the 1% check, every line per case and item, and the
same payments as the CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

CSV_HEADER = ("序号", "结算单号", "付款单位", "收款户名", "收款账号", "收款开户行", "金额(元)", "资金来源", "用途")
LINE_HEADER = ("序号", "服务号", "服务对象", "村(社区)", "服务事项", "服务月份", "结算类型", "计量单位", "单价(元)",
               "结算数量", "超计划或重复未结数量", "金额(元)", "资金来源", "经费类别")
FUND_HEADER = ("资金来源", "经费类别", "金额(元)")
TOTAL = "合计"
_MONEY_FORMAT = "0.00"


@dataclass(frozen=True)
class DocLine:
    service_no: str
    person_name: str
    village_name: str
    item_name: str
    service_month: str
    kind_zh: str
    unit_zh: str
    unit_price: Decimal
    quantity: int
    flagged_quantity: int
    amount: Decimal
    funding_zh: str
    funded_by_zh: str  # 政府承担 / 社会力量


@dataclass(frozen=True)
class FundLine:
    funding_zh: str
    funded_by_zh: str
    amount: Decimal


@dataclass(frozen=True)
class StatementDoc:
    statement_no: str
    period: str
    version: int
    purchaser_name: str
    provider_name: str
    account_name: str
    account_no: str
    bank_name: str
    approved_by: str
    approved_at: datetime
    total: Decimal
    government: Decimal
    social: Decimal
    adjustment: Decimal
    fund_check: str
    funds: tuple[FundLine, ...]
    lines: tuple[DocLine, ...]
    clawback: Decimal = Decimal(0)  # zero or negative: paid records taken back (追回)

    def payments(self) -> list[tuple[str, Decimal]]:
        """One payment per funding source with money on it (a source netted below zero by clawbacks pays nothing:
        `recoveries` lists what the provider owes back on it)."""
        by_source: dict[str, Decimal] = {}
        for fund in self.funds:
            by_source[fund.funding_zh] = by_source.get(fund.funding_zh, Decimal(0)) + fund.amount
        return [(source, amount) for source, amount in sorted(by_source.items()) if amount > 0]

    def recoveries(self) -> list[tuple[str, Decimal]]:
        by_source: dict[str, Decimal] = {}
        for fund in self.funds:
            by_source[fund.funding_zh] = by_source.get(fund.funding_zh, Decimal(0)) + fund.amount
        return [(source, -amount) for source, amount in sorted(by_source.items()) if amount < 0]

    @property
    def purpose(self) -> str:
        return f"{self.period}服务类社会救助服务费"


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def csv_bytes(doc: StatementDoc) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for n, (source, amount) in enumerate(doc.payments(), start=1):
        writer.writerow((n, doc.statement_no, doc.purchaser_name, doc.account_name, doc.account_no, doc.bank_name,
                         _amount(amount), source, doc.purpose))
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(doc: StatementDoc) -> bytes:
    wb = Workbook()
    wb.properties.creator = "assistflow"
    wb.properties.created = wb.properties.modified = doc.approved_at.replace(tzinfo=None)
    summary = wb.active
    assert isinstance(summary, Worksheet)
    _summary(summary, doc)
    _lines(wb.create_sheet("结算明细"), doc)
    pay = wb.create_sheet("支付清单")
    pay.append(CSV_HEADER)
    for n, (source, amount) in enumerate(doc.payments(), start=1):
        pay.append((n, doc.statement_no, doc.purchaser_name, doc.account_name, doc.account_no, doc.bank_name,
                    amount, source, doc.purpose))
    _money_columns(pay, 7)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _summary(ws: Worksheet, doc: StatementDoc) -> None:
    ws.title = "结算单"
    ws.append(("服务类社会救助服务费月度结算单",))
    ws["A1"].font = Font(bold=True, size=14)
    rows: list[tuple[str, str | int | Decimal]] = [
        ("结算单号", doc.statement_no), ("结算期间", doc.period), ("版本", doc.version),
        ("购买主体", doc.purchaser_name), ("服务供给主体", doc.provider_name),
        ("收款户名", doc.account_name), ("收款账号", doc.account_no), ("收款开户行", doc.bank_name),
        ("审批人", doc.approved_by), ("审批时间", doc.approved_at.strftime("%Y-%m-%d %H:%M")),
        ("结算金额合计(元)", doc.total), ("其中：政府承担(元)", doc.government),
        ("其中：社会力量承担(元)", doc.social), ("其中：补结金额(元)", doc.adjustment),
        ("其中：追回金额(元)", doc.clawback),
        *((f"应退回({source})(元)", amount) for source, amount in doc.recoveries()),
        ("1%上限核对", doc.fund_check),
    ]
    for row in rows:
        ws.append(row)
        if isinstance(row[1], Decimal):
            ws.cell(ws.max_row, 2).number_format = _MONEY_FORMAT
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.append(())
    ws.append(FUND_HEADER)
    for fund in doc.funds:
        ws.append((fund.funding_zh, fund.funded_by_zh, fund.amount))
        ws.cell(ws.max_row, 3).number_format = _MONEY_FORMAT
    ws.append((TOTAL, "", doc.total))
    ws.cell(ws.max_row, 3).number_format = _MONEY_FORMAT
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60


def _lines(ws: Worksheet, doc: StatementDoc) -> None:
    ws.append(LINE_HEADER)
    for n, line in enumerate(doc.lines, start=1):
        ws.append((n, line.service_no, line.person_name, line.village_name, line.item_name, line.service_month,
                   line.kind_zh, line.unit_zh, line.unit_price, line.quantity, line.flagged_quantity, line.amount,
                   line.funding_zh, line.funded_by_zh))
    quantity = sum(line.quantity for line in doc.lines)
    flagged = sum(line.flagged_quantity for line in doc.lines)
    ws.append((TOTAL, "", "", "", "", "", "", "", None, quantity, flagged, doc.total, "", ""))
    _money_columns(ws, 9, 12)
    ws.freeze_panes = "A2"


def _money_columns(ws: Worksheet, *columns: int) -> None:
    for column in columns:
        for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = _MONEY_FORMAT

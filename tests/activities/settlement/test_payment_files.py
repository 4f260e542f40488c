"""The payment files a county's bank and finance office read: the bank CSV and the XLSX statement."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from activities.settlement.payment_files import (
    DocLine,
    FundLine,
    StatementDoc,
    csv_bytes,
    xlsx_bytes,
)
from vocabulary.china import CHINA

# The payment files' headers as the bank and the township's finance office read them, written out (not taken
# from the code under test).
CSV_HEADER = ("序号", "结算单号", "付款单位", "收款户名", "收款账号", "收款开户行", "金额(元)", "资金来源", "用途")
LINE_HEADER = ("序号", "服务号", "服务对象", "村(社区)", "服务事项", "服务月份", "结算类型", "计量单位", "单价(元)",
               "结算数量", "超计划或重复未结数量", "金额(元)", "资金来源", "经费类别")


def _doc() -> StatementDoc:
    line = DocLine("GCSG-000001", "王秀英", "杏花村社区", "助洁", "2026-10", "本月", "小时", Decimal("30.00"), 8, 1,
                   Decimal("240.00"), "居家养老服务经费", "政府承担")
    late = DocLine("GCSG-000001", "王秀英", "杏花村社区", "访视", "2026-09", "补结", "次", Decimal("30.00"), 1, 0,
                   Decimal("30.00"), "社会救助工作经费或社会救助专项经费", "政府承担")
    return StatementDoc(
        statement_no="JS202610-341702001-GCSG", period="2026-10", version=2, purchaser_name="池阳街道",
        provider_name="阳光社工", account_name="阳光社工", account_no="6217000000000000101", bank_name="建设银行",
        approved_by="王办事", approved_at=datetime(2026, 11, 6, 10, tzinfo=CHINA), total=Decimal("270.00"),
        government=Decimal("270.00"), social=Decimal("0.00"), adjustment=Decimal("30.00"), fund_check="未超过1%",
        funds=(FundLine("居家养老服务经费", "政府承担", Decimal("240.00")),
               FundLine("社会救助工作经费或社会救助专项经费", "政府承担", Decimal("30.00"))),
        lines=(line, late),
    )


def test_the_bank_csv_is_utf8_with_bom_one_payment_per_funding_source() -> None:
    data = csv_bytes(_doc())
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_HEADER and rows[0][6] == "金额(元)"
    assert sum(Decimal(r[6]) for r in rows[1:]) == Decimal("270.00")
    assert {r[7] for r in rows[1:]} == {"居家养老服务经费", "社会救助工作经费或社会救助专项经费"}
    assert all(r[4] == "6217000000000000101" for r in rows[1:])
    assert "王秀英" not in data.decode("utf-8-sig")  # no person in a bank file


def test_the_xlsx_opens_with_chinese_headers_and_totals() -> None:
    wb = load_workbook(io.BytesIO(xlsx_bytes(_doc())))
    assert wb.sheetnames == ["结算单", "结算明细", "支付清单"]
    detail = list(wb["结算明细"].iter_rows(values_only=True))
    assert detail[0] == LINE_HEADER
    assert detail[-1][0] == "合计" and Decimal(str(detail[-1][11])) == Decimal("270.00")
    assert [r[6] for r in detail[1:-1]] == ["本月", "补结"]
    summary = {r[0]: r[1] for r in wb["结算单"].iter_rows(values_only=True) if r and r[0]}
    assert Decimal(str(summary["结算金额合计(元)"])) == Decimal("270.00")
    assert summary["1%上限核对"] == "未超过1%" and summary["结算单号"] == "JS202610-341702001-GCSG"

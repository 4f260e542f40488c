"""Settlement rules without a server: periods, the 1% cap, fee ranges, agreement status, approvers, files."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest
from openpyxl import load_workbook

from activities.settlement.payment_files import (
    CSV_HEADER,
    LINE_HEADER,
    DocLine,
    FundLine,
    StatementDoc,
    csv_bytes,
    xlsx_bytes,
)
from activities.settlement.schedule import nominal_run_at, spec_for
from models.payloads import Actor
from models.settings import Settings
from models.settlement.payloads import AgreementStatus, FundCheckStatus
from policy.settlement import FeeConflict, FeeRange, can_move, plan_fee_change, work_funds_check
from workflows import periods
from workflows.settlement import ApplicationError, approver_role, check_approver
from workflows.steps import Role
from workflows.timing import CHINA


def test_periods_are_china_months() -> None:
    assert periods.settled_by_run_at(datetime(2026, 11, 5, 2, tzinfo=CHINA)) == "2026-10"
    # 16:30 UTC on 31 January is 00:30 on 1 February in China: the run fired in February settles January.
    assert periods.settled_by_run_at(datetime(2026, 1, 31, 16, 30, tzinfo=UTC)) == "2026-01"
    assert periods.settled_by_run_at(datetime(2026, 1, 3, tzinfo=CHINA)) == "2025-12"
    start, end = periods.bounds("2026-12")
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")
    assert periods.between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert periods.between("2026-03", "2026-02") == []
    assert periods.year_start("2026-07") == "2026-01"
    with pytest.raises(ValueError):
        periods.parse("2026-13")


def test_schedule_spec_follows_the_settings() -> None:
    settings = Settings(settlement_day=7, settlement_hour=3, settlement_minute=30)
    spec = spec_for(settings)
    calendar = spec.calendars[0]
    assert spec.time_zone_name == "Asia/Shanghai"
    assert [r.start for r in calendar.day_of_month] == [7]
    assert [r.start for r in calendar.hour] == [3] and [r.start for r in calendar.minute] == [30]
    assert nominal_run_at(settings, "2026-12") == datetime(2027, 1, 7, 3, 30, tzinfo=CHINA)


def test_work_funds_cap_is_one_percent_of_the_pooled_funds() -> None:
    within = work_funds_check(Decimal("1000000"), Decimal("10000"))
    assert (within.status, within.cap, within.share_percent) == (FundCheckStatus.WITHIN, Decimal("10000.00"),
                                                                  Decimal("1.00"))
    over = work_funds_check(Decimal("1000000"), Decimal("10000.01"))
    assert over.status is FundCheckStatus.OVER
    assert "已超过1%上限（10000.00元）" in over.describe() and "10000.01元" in over.describe()
    unconfigured = work_funds_check(None, Decimal("5"))
    assert unconfigured.status is FundCheckStatus.UNCONFIGURED and "未登记" in unconfigured.describe()
    assert work_funds_check(Decimal(0), Decimal(0)).status is FundCheckStatus.UNCONFIGURED


def test_a_price_change_cuts_the_standard_in_force() -> None:
    current = FeeRange(date(2026, 1, 1), None)
    plan = plan_fee_change([current], FeeRange(date(2026, 10, 16), None))
    assert plan.cut == current and plan.cut_to == date(2026, 10, 15)
    assert plan_fee_change([], FeeRange(date(2026, 1, 1), None)).cut is None
    with pytest.raises(FeeConflict):  # the same start date twice
        plan_fee_change([current], FeeRange(date(2026, 1, 1), None))
    closed = [FeeRange(date(2026, 1, 1), date(2026, 6, 30)), FeeRange(date(2026, 7, 1), None)]
    with pytest.raises(FeeConflict):  # would reach into a later standard
        plan_fee_change([FeeRange(date(2026, 7, 1), None)], FeeRange(date(2026, 3, 1), None))
    assert plan_fee_change(closed, FeeRange(date(2026, 3, 1), date(2026, 3, 31))).cut_to == date(2026, 2, 28)
    with pytest.raises(FeeConflict):
        plan_fee_change([], FeeRange(date(2026, 3, 1), date(2026, 2, 1)))


def test_agreements_move_forward_only() -> None:
    i, m, a = AgreementStatus.INITIATED, AgreementStatus.IMPLEMENTING, AgreementStatus.ACCEPTED
    assert can_move(i, m) and can_move(m, a)
    assert not can_move(i, a) and not can_move(a, m) and not can_move(m, i)


def test_the_purchaser_decides_its_statements() -> None:
    assert approver_role("341702") is Role.COUNTY_OFFICER
    assert approver_role("341702001") is Role.TOWNSHIP_WORKER
    worker = Actor(user_id=uuid4(), role=Role.TOWNSHIP_WORKER, jurisdiction="341702001")
    check_approver(worker, "341702001")
    for purchaser in ("341702002", "341702"):
        with pytest.raises(ApplicationError):
            check_approver(worker, purchaser)


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

"""Settlement rules that need no database: the 1% cap on work funds, fee-standard date ranges, agreement status.

- 001 三(四)3: social-assistance work funds (社会救助工作经费或专项经费) used for services may not exceed 1% of
  the locally pooled assistance funds. The pooled figure is county configuration per budget (calendar) year;
  the check counts the year to date. No figure configured is its own, visible state, never a silent pass.
- A fee standard (收费标准) is in force over a date range. A price change is a new standard from a date: the
  standard in force that day is cut off the day before. Ranges never overlap, so each service date has at most
  one price.
- A purchase agreement (政府购买服务) moves 立项 → 实施 → 验收, forward only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from vocabulary.settlement import AgreementStatus, FundCheckStatus

WORK_FUNDS_CAP = Decimal("0.01")
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FundCheck:
    status: FundCheckStatus
    pooled: Decimal | None
    cap: Decimal | None
    used: Decimal
    # used / pooled in percent (two decimals), None without a pooled figure.
    share_percent: Decimal | None

    def describe(self) -> str:
        """The figure shown on statements and in the payment file, in the words a case worker reads."""
        if self.status is FundCheckStatus.UNCONFIGURED or self.pooled is None or self.cap is None:
            return f"社会救助工作经费用于服务累计{self.used}元；本年度统筹社会救助资金总额未登记，无法核对1%上限"
        verdict = "未超过" if self.status is FundCheckStatus.WITHIN else "已超过"
        return (f"社会救助工作经费用于服务累计{self.used}元，占本年度统筹社会救助资金{self.pooled}元的"
                f"{self.share_percent}%，{verdict}1%上限（{self.cap}元）")


def work_funds_check(pooled: Decimal | None, used: Decimal) -> FundCheck:
    used = money(used)
    if pooled is None or pooled <= 0:
        return FundCheck(FundCheckStatus.UNCONFIGURED, None, None, used, None)
    cap = money(pooled * WORK_FUNDS_CAP)
    share = (used * 100 / pooled).quantize(CENT, rounding=ROUND_HALF_UP)
    status = FundCheckStatus.WITHIN if used <= cap else FundCheckStatus.OVER
    return FundCheck(status, money(pooled), cap, used, share)


# ---- fee standards ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeRange:
    valid_from: date
    valid_to: date | None  # None: until further notice

    def contains(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: FeeRange) -> bool:
        self_end = self.valid_to or date.max
        other_end = other.valid_to or date.max
        return self.valid_from <= other_end and other.valid_from <= self_end


class FeeConflict(ValueError):
    """The new standard cannot be placed; the message is for the county officer."""


@dataclass(frozen=True)
class FeePlan:
    # The standard in force on the new start date, cut off the day before (None when there is none).
    cut: FeeRange | None
    cut_to: date | None


def plan_fee_change(existing: list[FeeRange], new: FeeRange) -> FeePlan:
    if new.valid_to is not None and new.valid_to < new.valid_from:
        raise FeeConflict("收费标准的截止日期不能早于起始日期")
    cut: FeeRange | None = None
    for current in existing:
        if current.valid_from == new.valid_from:
            raise FeeConflict(f"{new.valid_from}起已有收费标准，请选择其他起始日期")
        if current.valid_from < new.valid_from and current.contains(new.valid_from):
            cut = current
    for current in existing:
        if current is cut:
            continue
        if current.overlaps(new):
            raise FeeConflict(f"与{current.valid_from}起的收费标准日期重叠")
    if cut is None:
        return FeePlan(None, None)
    return FeePlan(cut, new.valid_from - timedelta(days=1))


# ---- purchase agreements ---------------------------------------------------------------------------------

_NEXT = {AgreementStatus.INITIATED: AgreementStatus.IMPLEMENTING,
         AgreementStatus.IMPLEMENTING: AgreementStatus.ACCEPTED}


def can_move(current: AgreementStatus, target: AgreementStatus) -> bool:
    return _NEXT.get(current) is target


# Services under an agreement are billable once it is being carried out, and still after its acceptance (the
# last months are often settled after 验收); never while it is only 立项.
BILLABLE_AGREEMENT: frozenset[AgreementStatus] = frozenset({AgreementStatus.IMPLEMENTING, AgreementStatus.ACCEPTED})

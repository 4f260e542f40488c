"""Settlement rules without a database: the 1% cap, fee-standard ranges, agreement status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from policy.settlement import FeeConflict, FeeRange, can_move, plan_fee_change, work_funds_check
from vocabulary.settlement import AgreementStatus, FundCheckStatus


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

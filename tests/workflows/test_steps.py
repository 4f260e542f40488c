from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from workflows import steps
from workflows.steps import STEPS, Step
from workflows.timing import CHINA, next_review_at, period_of


def test_ten_steps_declared_once_in_order() -> None:
    assert [s.number for s in STEPS] == list(range(1, 11))
    assert [s.step for s in STEPS] == list(Step)
    assert [s.zh for s in STEPS][:5] == ["个人申请或主动发现", "受理登记", "入户调查", "审核确认", "转介服务"]


def test_intake_runs_forward_one_step_at_a_time() -> None:
    intake = list(Step)[:7]
    for here, there in itertools.pairwise(intake):
        assert steps.can_advance(here, there)
        assert not steps.can_advance(there, here)
    assert steps.can_advance(Step.ARCHIVING, Step.DYNAMIC_MANAGEMENT)
    # Settlement and oversight act on many cases at once: no case waits in them.
    assert not any(Step.SETTLEMENT in s.next_steps or Step.OVERSIGHT in s.next_steps for s in STEPS)


def test_monthly_reviews_spread_over_office_hours_of_the_first_three_days() -> None:
    after = datetime(2026, 11, 23, 10, tzinfo=UTC)
    instants = [next_review_at(uuid4(), after).astimezone(CHINA) for _ in range(500)]
    assert all(i.year == 2026 and i.month == 12 and 1 <= i.day <= 3 and 9 <= i.hour < 17 for i in instants)
    assert len({(i.day, i.hour) for i in instants}) == 24  # spread, not bunched
    case = uuid4()
    assert next_review_at(case, after) == next_review_at(case, after + timedelta(days=3))  # deterministic


def test_december_rolls_into_january_in_china_time() -> None:
    late = datetime(2026, 12, 31, 17, tzinfo=UTC)  # already 1 January 01:00 in China
    assert period_of(late) == "2027-01"
    assert next_review_at(uuid4(), late).astimezone(CHINA).month == 2

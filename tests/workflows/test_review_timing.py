"""When a case in service wakes for its monthly review: spread over office hours, in China time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from vocabulary.china import CHINA
from workflows.review_timing import next_review_at, period_of


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

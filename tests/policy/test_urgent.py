"""The urgent care's days (policy/urgent.py): the cap counted from the first day, and the earliest end wins."""

from __future__ import annotations

from datetime import date

from policy.urgent import DEFAULT_URGENT_CARE_DAYS, care_end, last_day


def test_the_cap_counts_the_first_day() -> None:
    assert last_day(date(2026, 6, 8), DEFAULT_URGENT_CARE_DAYS) == date(2026, 7, 7)
    assert last_day(date(2026, 6, 8), 1) == date(2026, 6, 8)


def test_the_earliest_end_wins() -> None:
    cap = date(2026, 7, 7)
    assert care_end(cap, None, None) == cap
    assert care_end(cap, date(2026, 6, 13), None) == date(2026, 6, 13)  # refused at review
    assert care_end(cap, None, date(2026, 6, 20)) == date(2026, 6, 19)  # the plan takes over
    assert care_end(cap, None, date(2026, 9, 1)) == cap  # a plan starting after the cap

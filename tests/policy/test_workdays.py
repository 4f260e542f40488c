"""Working days against the real 2025 and 2026 State Council schedules, and the fail-closed path."""

from __future__ import annotations

from datetime import date

from policy.workdays import Dated, YearSchedule, calendar

CAL = calendar()


def test_spring_festival_2026() -> None:
    # Feb 15-23 off; Sat Feb 14 and Sat Feb 28 worked.
    assert CAL.is_workday(date(2026, 2, 14)) == (True, False)
    assert all(not CAL.is_workday(date(2026, 2, d))[0] for d in range(15, 24))
    assert CAL.is_workday(date(2026, 2, 28)) == (True, False)
    # From Fri Feb 13: the 1st working day is Sat Feb 14, the 2nd Tue Feb 24 (the holiday is skipped).
    assert CAL.add(date(2026, 2, 13), 1) == Dated(date(2026, 2, 14), False)
    assert CAL.add(date(2026, 2, 13), 2) == Dated(date(2026, 2, 24), False)


def test_national_day_2026() -> None:
    # Oct 1-7 off; Sun Sep 20 and Sat Oct 10 worked.
    assert CAL.is_workday(date(2026, 9, 20))[0] and CAL.is_workday(date(2026, 10, 10))[0]
    assert CAL.add(date(2026, 9, 30), 1) == Dated(date(2026, 10, 8), False)
    assert CAL.add(date(2026, 10, 9), 1) == Dated(date(2026, 10, 10), False)


def test_start_day_not_counted_and_deadline_never_on_a_rest_day() -> None:
    # Mon 2025-09-29 + 3 working days: Sep 30, (Oct 1-8 National Day + Mid-Autumn 2025), Oct 9, Oct 10.
    assert CAL.add(date(2025, 9, 29), 3) == Dated(date(2025, 10, 10), False)
    # 2025-09-28 (Sunday) was a make-up working day.
    assert CAL.is_workday(date(2025, 9, 28)) == (True, False)
    # Twenty working days from an application on 2026-11-23 (no holiday in between): 2026-12-21.
    assert CAL.add(date(2026, 11, 23), 20) == Dated(date(2026, 12, 21), False)


def test_the_pinned_package_publishes_2004_to_2026() -> None:
    # chinese-calendar is pinned (pyproject.toml): moving the pin changes which years are published, and the
    # provisional examples below must then move to the first year it does not ship.
    assert [y for y in range(2000, 2040) if CAL.published(y)] == list(range(2004, 2027))


def test_unpublished_year_counts_weekdays_and_says_so() -> None:
    # From 2026-12-21 twenty working days reach into 2027, which has no published calendar yet.
    due = CAL.add(date(2026, 12, 21), 20)
    assert due.provisional
    assert due.on == date(2027, 1, 18)  # weekdays only: New Year's Day is not known to be a holiday
    # Once the 2027 schedule is loaded (1 January off), the same deadline moves and is final.
    loaded = calendar([YearSchedule(2027, frozenset({date(2027, 1, 1)}), frozenset())])
    assert loaded.add(date(2026, 12, 21), 20) == Dated(date(2027, 1, 19), False)


def test_loaded_year_takes_precedence_over_the_shipped_one() -> None:
    corrected = calendar([YearSchedule(2026, frozenset({date(2026, 12, 24)}), frozenset())])
    assert not corrected.is_workday(date(2026, 12, 24))[0]
    assert corrected.is_workday(date(2026, 10, 1))[0]  # the whole year is replaced, as loaded


def test_counting_back_and_between() -> None:
    assert CAL.subtract(date(2026, 2, 24), 1) == Dated(date(2026, 2, 14), False)
    assert CAL.between(date(2026, 2, 13), date(2026, 2, 24)).days == 2
    assert CAL.between(date(2026, 2, 24), date(2026, 2, 13)).days == 0

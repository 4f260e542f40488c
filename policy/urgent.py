"""The urgent path's rules that need no database.

The cap: a county sets how many days short-term care may run before the review (oversight settings,
`urgent_care_days`). The seeds set no figure; 003 二(六) compresses the 低保/特困 procedure to 20 working days, about
four calendar weeks, so the default of 30 days covers a survey and review on time with a few days to spare.

The care's end is the earliest of: the cap's last day, the day the case ended (a refusal at review: the
decision's date; a withdrawal), and the day before the regular service plan starts (the referred provider then
serves under the plan). Services of days up to and including the end are recorded and paid, never after.
"""

from __future__ import annotations

from datetime import date, timedelta

DEFAULT_URGENT_CARE_DAYS = 30


def last_day(started_on: date, cap_days: int) -> date:
    return started_on + timedelta(days=cap_days - 1)


def care_end(last: date, ended_on: date | None, plan_starts_on: date | None) -> date:
    """The last day of urgent care (inclusive)."""
    candidates = [last]
    if ended_on is not None:
        candidates.append(ended_on)
    if plan_starts_on is not None:
        candidates.append(plan_starts_on - timedelta(days=1))
    return min(candidates)

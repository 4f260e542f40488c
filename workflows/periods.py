"""Settlement periods (结算期间): calendar months in China time. Pure standard library: runs inside the sandbox.

A period is written "YYYY-MM". Its services are those that started from 00:00 on the 1st (China time) until
00:00 on the 1st of the next month; the run that settles it fires in the following month.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from vocabulary.china import CHINA

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse(period: str) -> tuple[int, int]:
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"not a period (YYYY-MM): {period!r}")
    return int(match.group(1)), int(match.group(2))


def of_date(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(period: str) -> date:
    year, month = parse(period)
    return date(year, month, 1)


def shift(period: str, months: int) -> str:
    year, month = parse(period)
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of the period as aware instants."""
    start, after = first_day(period), first_day(shift(period, 1))
    return (datetime(start.year, start.month, 1, tzinfo=CHINA), datetime(after.year, after.month, 1, tzinfo=CHINA))


def settled_by_run_at(at: datetime) -> str:
    """The period a monthly run firing at `at` settles: the month before `at`'s month, in China time."""
    return shift(of_date(at.astimezone(CHINA).date()), -1)


def has_ended(period: str, now: datetime) -> bool:
    return now >= bounds(period)[1]


def between(first: str, last: str) -> list[str]:
    """Every period from `first` to `last`, both included (empty when `last` is before `first`)."""
    out: list[str] = []
    current = first
    while current <= last:  # "YYYY-MM" strings order like the months they name
        out.append(current)
        current = shift(current, 1)
    return out


def year_start(period: str) -> str:
    """January of the period's year: the 1% check counts the budget year to date."""
    return f"{parse(period)[0]:04d}-01"

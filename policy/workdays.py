"""Working days (工作日) on the official Chinese calendar, make-up workdays (调休) included.

A year is *published* when the State Council schedule for it is known: loaded by a county officer (which
takes precedence) or shipped by `chinese-calendar` (2004-2026 today). In a year that is not published the
calendar fails closed: it counts Monday-Friday and says so, marking every result that touched such a year
provisional, so the caller shows it and recomputes once the year is loaded. Never a silent guess.

"N working days from a start": the start day is not counted; the result is the N-th working day after it,
so a deadline never falls on a rest day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar.constants as published

_MAX_SPAN_DAYS = 3 * 366  # a deadline rule is weeks, not years: guards against a runaway loop


@dataclass(frozen=True)
class YearSchedule:
    """A year's rest days that fall on weekdays-or-weekends (holidays) and weekend days that are worked."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass(frozen=True)
class Dated:
    on: date
    provisional: bool


@dataclass(frozen=True)
class Counted:
    days: int
    provisional: bool


@dataclass(frozen=True)
class WorkCalendar:
    years: Mapping[int, YearSchedule] = field(default_factory=dict)

    def published(self, year: int) -> bool:
        return year in self.years

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is it a working day, is that answer provisional)."""
        schedule = self.years.get(day.year)
        if schedule is None:
            return day.weekday() < 5, True
        if day in schedule.workdays:
            return True, False
        if day in schedule.holidays:
            return False, False
        return day.weekday() < 5, False

    def add(self, start: date, n: int) -> Dated:
        """The n-th working day after `start` (n >= 0; n == 0 gives the first working day from start on)."""
        if n < 0:
            return self.subtract(start, -n)
        day, provisional = start, False
        if n == 0:
            work, prov = self.is_workday(day)
            provisional |= prov
            while not work:
                day += timedelta(days=1)
                work, prov = self.is_workday(day)
                provisional |= prov
            return Dated(day, provisional)
        counted = 0
        for _ in range(_MAX_SPAN_DAYS):
            day += timedelta(days=1)
            work, prov = self.is_workday(day)
            provisional |= prov
            if work:
                counted += 1
                if counted == n:
                    return Dated(day, provisional)
        raise ValueError(f"no {n} working days within {_MAX_SPAN_DAYS} days")

    def subtract(self, start: date, n: int) -> Dated:
        """The n-th working day before `start`."""
        day, provisional, counted = start, False, 0
        for _ in range(_MAX_SPAN_DAYS):
            if counted == n:
                return Dated(day, provisional)
            day -= timedelta(days=1)
            work, prov = self.is_workday(day)
            provisional |= prov
            if work:
                counted += 1
        raise ValueError(f"no {n} working days within {_MAX_SPAN_DAYS} days")

    def between(self, start: date, end: date) -> Counted:
        """Working days in (start, end]: how far `end` is past `start`, in working days (0 if not after)."""
        day, provisional, counted = start, False, 0
        while day < end:
            day += timedelta(days=1)
            work, prov = self.is_workday(day)
            provisional |= prov
            counted += work
        return Counted(counted, provisional)


@lru_cache(maxsize=1)
def _shipped() -> dict[int, YearSchedule]:
    years: dict[int, tuple[set[date], set[date]]] = {}
    for day in published.holidays:
        years.setdefault(day.year, (set(), set()))[0].add(day)
    for day in published.workdays:
        years.setdefault(day.year, (set(), set()))[1].add(day)
    return {y: YearSchedule(y, frozenset(h), frozenset(w)) for y, (h, w) in years.items()}


def calendar(loaded: Iterable[YearSchedule] = ()) -> WorkCalendar:
    """The shipped schedules, with every year a county officer loaded taking precedence."""
    years = dict(_shipped())
    for schedule in loaded:
        years[schedule.year] = schedule
    return WorkCalendar(years)

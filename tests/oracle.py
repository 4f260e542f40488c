"""An independent oracle for working days: the State Council's 2025 and 2026 holiday schedules written out from
the notices (国办发明电〔2024〕12号, 国办发明电〔2025〕7号), and a counter that shares no code with
`policy.workdays`. A year not written out here counts Monday to Friday and is provisional, as the design says
an unpublished year must.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

CHINA = timezone(timedelta(hours=8))

# (first, last) rest periods, and the weekend days worked instead (调休上班).
_REST = {
    2025: [((1, 1), (1, 1)), ((1, 28), (2, 4)), ((4, 4), (4, 6)), ((5, 1), (5, 5)), ((5, 31), (6, 2)),
           ((10, 1), (10, 8))],
    2026: [((1, 1), (1, 3)), ((2, 15), (2, 23)), ((4, 4), (4, 6)), ((5, 1), (5, 5)), ((6, 19), (6, 21)),
           ((9, 25), (9, 27)), ((10, 1), (10, 7))],
}
_WORKED = {
    2025: [(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)],
    2026: [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)],
}


def _rest_days(year: int) -> set[date]:
    out: set[date] = set()
    for (m1, d1), (m2, d2) in _REST.get(year, []):
        day = date(year, m1, d1)
        while day <= date(year, m2, d2):
            out.add(day)
            day += timedelta(days=1)
    return out


REST = _rest_days(2025) | _rest_days(2026)
WORKED = {date(y, m, d) for y, days in _WORKED.items() for m, d in days}
PUBLISHED = frozenset(_REST)


def works(day: date) -> bool:
    if day in WORKED:
        return True
    return day.weekday() < 5 and day not in REST


def add(start: date, n: int) -> tuple[date, bool]:
    """The n-th working day after `start` (not counted), and whether an unpublished year was crossed."""
    day, counted, provisional = start, 0, False
    while counted < n:
        day += timedelta(days=1)
        provisional |= day.year not in PUBLISHED
        counted += works(day)
    return day, provisional


def subtract(end: date, n: int) -> date:
    day, counted = end, 0
    while counted < n:
        day -= timedelta(days=1)
        counted += works(day)
    return day


def between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    return sum(works(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

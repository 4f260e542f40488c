"""China time and the working hours the deadline rungs fire at.

A fixed UTC+8 offset rather than ZoneInfo("Asia/Shanghai"): China has no daylight saving time, and ZoneInfo is
not usable inside the workflow sandbox.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

CHINA = timezone(timedelta(hours=8))
TIME_ZONE_NAME = "Asia/Shanghai"  # for Temporal schedules, which take a zone name
OFFICE_OPENS = time(9, 0)


def china_day(at: datetime) -> date:
    """The calendar day in China at an instant."""
    return at.astimezone(CHINA).date()

"""Loading (and afterwards removing) a year's calendar in the shared test database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from uuid import uuid4

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from activities.deadlines.plan import forget_calendar
from infra.db import Sessions
from models.deadline_tables import CALENDAR_DAYS, CALENDAR_YEARS


@asynccontextmanager
async def loaded_calendar(sessions: Sessions, holidays: Iterable[date], workdays: Iterable[date] = ()
                          ) -> AsyncIterator[None]:
    days = [(d, "holiday") for d in holidays] + [(d, "workday") for d in workdays]
    years = sorted({d.year for d, _ in days})
    async with sessions.begin() as s:
        for year in years:
            await s.execute(insert(CALENDAR_YEARS).values(year=year, notice="测试安排", loaded_by=uuid4(),
                                                          loaded_at=datetime.now(UTC)))
        await s.execute(insert(CALENDAR_DAYS).values([{"day": d, "year": d.year, "kind": k} for d, k in days]))
    forget_calendar()
    try:
        yield
    finally:
        async with sessions.begin() as s:
            await s.execute(delete(CALENDAR_DAYS).where(CALENDAR_DAYS.c.year.in_(years)))
            await s.execute(delete(CALENDAR_YEARS).where(CALENDAR_YEARS.c.year.in_(years)))
        forget_calendar()

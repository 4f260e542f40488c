"""Settlement reads shared by the settlement routes: the 1% check of a county's period, as a person reads it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.settlement.schemas import FundCheckOut
from models.settlement.tables import FUND_CHECKS
from policy.settlement import work_funds_check


def fund_check_out(row: Any) -> FundCheckOut | None:
    if row is None:
        return None
    return FundCheckOut(status=row.status, pooled=row.pooled, cap=row.cap, used_before=row.used_before,
                        used_this_period=row.used_this_period, used_total=row.used_total,
                        share_percent=row.share_percent, text=work_funds_check(row.pooled, row.used_total).describe())


async def fund_check_of(session: AsyncSession, county: str, period: str) -> FundCheckOut | None:
    row = (await session.execute(select(FUND_CHECKS).where(
        FUND_CHECKS.c.county_code == county, FUND_CHECKS.c.period == period))).first()
    return fund_check_out(row)

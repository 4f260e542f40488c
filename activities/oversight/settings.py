"""A county's oversight settings: the stored values over policy/oversight.py's documented defaults."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.oversight.complaint_tables import OVERSIGHT_SETTINGS
from policy.oversight import merged_settings


async def county_settings(session: AsyncSession, county: str) -> dict[str, Any]:
    stored = (await session.execute(select(OVERSIGHT_SETTINGS.c.settings).where(
        OVERSIGHT_SETTINGS.c.county_code == county))).scalar_one_or_none()
    return merged_settings(stored)

"""Where a spot check meets settlement: a record found not delivered (未提供) must not be paid — flagged if not
yet paid, clawed back once on the next statement if it was. Settlement owns that mechanism
(`activities/settlement/disallow.py: disallow`); this is its one call site in oversight."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from activities.settlement.disallow import disallow

SOURCE_KIND = "spot_check"
REASON = "县级抽查核实：服务未提供"


async def not_delivered(session: AsyncSession, record_id: UUID, at: datetime) -> bool:
    """Pass the finding to settlement in the caller's transaction (the spot check is keyed by its record)."""
    await disallow(session, [record_id], REASON, SOURCE_KIND, str(record_id), at)
    return True

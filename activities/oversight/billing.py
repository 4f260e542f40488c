"""Where a spot check meets settlement: a record found not delivered (未提供) must not be paid — unbillable if not
yet paid, a negative adjustment in the next statement if it was. Settlement owns that mechanism
(`activities/settlement/disallow.py: disallow(session, record_ids, reason, source_kind, source_id, at)`, from the
dynamic-management work); this is its one call site in oversight.

Until that module is installed the finding is kept with `spot_checks.disallowed = false`, so the records still
to pass on are a query away (`pending_disallowed`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

Disallow = Callable[[AsyncSession, list[UUID], str, str, UUID, datetime], Awaitable[None]]

try:
    from activities.settlement.disallow import disallow as _installed  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # not on this branch yet
    _installed = None

SOURCE_KIND = "spot_check"
REASON = "县级抽查核实：服务未提供"


def installed() -> Disallow | None:
    found: Any = _installed
    return found if callable(found) else None


async def not_delivered(session: AsyncSession, record_id: UUID, at: datetime) -> bool:
    """Pass the finding to settlement in the caller's transaction; False when settlement cannot take it yet."""
    disallow = installed()
    if disallow is None:
        return False
    await disallow(session, [record_id], REASON, SOURCE_KIND, record_id, at)
    return True

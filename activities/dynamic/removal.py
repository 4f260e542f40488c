"""Which service records a decision removes: from the effective date on, every record of an item no longer in
the plan, and of a reduced item the records beyond the new monthly quantity (counted from the month's start, as
settlement counts them). They are disallowed, so settlement flags them unpaid or takes them back if paid."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.settlement.disallow import disallow

_REMOVED = text("""
WITH r AS (
    SELECT id, item_code, started_at, quantity, (started_at AT TIME ZONE 'Asia/Shanghai')::date AS served_on,
           date_trunc('month', started_at AT TIME ZONE 'Asia/Shanghai')::date AS month
    FROM service_records
    WHERE case_id = :case AND started_at >= (date_trunc('month', CAST(:effective AS date)) AT TIME ZONE 'Asia/Shanghai')
), q AS (
    SELECT r.*, n.quantity_per_month AS allowed,
           sum(r.quantity) OVER (PARTITION BY r.item_code, r.month ORDER BY r.started_at, r.id) AS used
    FROM r LEFT JOIN jsonb_to_recordset(CAST(:items AS jsonb)) AS n(item_code text, quantity_per_month int)
      ON n.item_code = r.item_code
)
SELECT id FROM q WHERE served_on >= :effective AND (allowed IS NULL OR used > allowed) ORDER BY id
""")


async def remove_records(session: AsyncSession, case_id: UUID, effective_on: date, items: list[dict[str, Any]],
                         reason: str, source_id: str, at: datetime) -> list[UUID]:
    ids = list((await session.execute(_REMOVED, {"case": case_id, "effective": effective_on,
                                                 "items": json.dumps(items)})).scalars())
    await disallow(session, ids, reason, "decision", source_id, at)
    return ids

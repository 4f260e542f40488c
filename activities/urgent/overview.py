"""The urgent cases (先行救助) in the county's oversight overview: marked in the year, still awaiting review,
reviewed, refused at review, and the care still running."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_URGENT = text("""
SELECT count(*) AS total,
       count(*) FILTER (WHERE u.started_on IS NULL AND u.ended_on IS NULL) AS requested,
       count(*) FILTER (WHERE r.case_id IS NULL AND c.status = 'open') AS open,
       count(r.case_id) AS reviewed,
       count(*) FILTER (WHERE r.decision = 'refuse') AS refused,
       count(*) FILTER (WHERE u.started_on IS NOT NULL AND u.ended_on IS NULL AND u.last_day >= :today
                        AND NOT EXISTS (SELECT 1 FROM service_plans sp
                                        WHERE sp.case_id = u.case_id AND sp.starts_on <= :today)) AS in_care
FROM urgent_cares u JOIN cases c ON c.id = u.case_id
LEFT JOIN reviews r ON r.case_id = u.case_id
WHERE u.county_code = :county AND u.requested_at >= :start AND u.requested_at < :end
""")


async def urgent_counts(session: AsyncSession, county: str, start: datetime, end: datetime,
                        today: date) -> dict[str, Any]:
    row = (await session.execute(_URGENT, {"county": county, "start": start, "end": end, "today": today})).one()
    return dict(row._mapping)

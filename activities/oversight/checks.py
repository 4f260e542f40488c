"""Spot checks after the draw: who was drawn to check which record, and recording a check — the method, the
result and notes. Not delivered (未提供) goes to settlement (billing.py); a quality problem or a dissatisfied
recipient opens a rectification for the provider (rectifications.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.oversight import billing
from activities.oversight.rectifications import open_rectification
from models.oversight.tables import SPOT_CHECKS
from vocabulary.china import CHINA
from vocabulary.oversight import CheckResult, RectificationSource

# The drawn records of a county-year with their inspector (record i of a stratum goes to inspector i mod k),
# the service they record, and the check if made. Filters are appended by the caller.
ASSIGNMENTS = """
SELECT u.id AS record_id, cs.draw_id, cs.township_code, cs.provider_id, cs.county_code, cs.year,
       cs.inspectors[1 + ((u.i - 1) % cardinality(cs.inspectors))] AS inspector_id,
       r.case_id, r.item_code, r.started_at, i.name AS inspector_name, i.user_id AS inspector_user,
       sc.method, sc.result, sc.notes, sc.evidence, sc.checked_at, rc.id AS rectification_id,
       pe.name AS recipient_name, ca.village_code, COALESCE(dv.name, ca.village_code) AS village_name
FROM check_samples cs
CROSS JOIN unnest(cs.record_ids) WITH ORDINALITY AS u(id, i)
JOIN service_records r ON r.id = u.id
JOIN cases ca ON ca.id = r.case_id
JOIN persons pe ON pe.id = ca.person_id
LEFT JOIN divisions dv ON dv.code = ca.village_code
LEFT JOIN inspectors i ON i.id = cs.inspectors[1 + ((u.i - 1) % cardinality(cs.inspectors))]
LEFT JOIN spot_checks sc ON sc.record_id = u.id
LEFT JOIN rectifications rc ON rc.source = 'spot_check' AND rc.source_id = u.id
WHERE cs.county_code = :county AND cs.year = :year
"""
REQUIRES_RECTIFICATION = frozenset({CheckResult.QUALITY_ISSUE, CheckResult.DISSATISFIED})


async def assignment(session: AsyncSession, record_id: UUID) -> Any:
    """The drawn record with its inspector and check, or None if it was never drawn."""
    where = (await session.execute(text("""
        SELECT c.county_code, extract(year FROM r.started_at AT TIME ZONE 'Asia/Shanghai')::int AS year
        FROM service_records r JOIN cases c ON c.id = r.case_id WHERE r.id = :r"""), {"r": record_id})).first()
    if where is None:
        return None
    return (await session.execute(text(ASSIGNMENTS + " AND u.id = :record"),
                                  {"county": where.county_code, "year": where.year, "record": record_id})).first()


@dataclass(frozen=True)
class Recorded:
    new: bool
    rectification_task: UUID | None


async def record_check(session: AsyncSession, row: Any, actor_id: UUID, method: str, result: CheckResult,
                       notes: str | None, requirement: str | None, at: datetime) -> Recorded:
    """The check of one drawn record, once (a record's check is keyed by the record)."""
    done = (await session.execute(select(SPOT_CHECKS.c.result).where(SPOT_CHECKS.c.record_id == row.record_id)
                                  .with_for_update())).first()
    if done is not None:
        return Recorded(False, None)
    passed = await billing.not_delivered(session, row.record_id, at) if result is CheckResult.NOT_DELIVERED else False
    await session.execute(SPOT_CHECKS.insert().values(
        record_id=row.record_id, draw_id=row.draw_id, case_id=row.case_id, provider_id=row.provider_id,
        township_code=row.township_code, county_code=row.county_code, year=row.year, inspector_id=row.inspector_id,
        method=method, result=result.value, notes=notes, disallowed=passed, checked_by=actor_id, checked_at=at))
    task = None
    if result in REQUIRES_RECTIFICATION:
        served = row.started_at.astimezone(CHINA)
        _, task = await open_rectification(
            session, source=RectificationSource.SPOT_CHECK, source_id=row.record_id, provider_id=row.provider_id,
            county=row.county_code, township=row.township_code, case_id=row.case_id,
            requirement=requirement or f"{served:%Y年%m月%d日}的服务经抽查为“{result.zh}”，请整改并报告整改情况。",
            actor_id=actor_id, at=at)
    return Recorded(True, task)


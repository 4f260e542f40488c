"""Rectifications (整改): a provider's work after a finding (a spot check's quality problem or dissatisfied
recipient, a dissatisfied return visit, a complaint found true), under a working-day deadline with the
escalation ladder; the provider reports, the county verifies (or sends it back for another round)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.tasks.store import TaskSpec, close_task, on_time, open_of, open_task
from models.oversight.tables import RECTIFICATIONS
from vocabulary.case import Role
from vocabulary.oversight import RectificationSource, RectificationStatus
from vocabulary.tasks import TaskKind

_r = RECTIFICATIONS.c


def _task(kind: TaskKind, rect_id: UUID, county: str, township: str | None, provider: UUID, case: UUID | None,
          source: RectificationSource) -> TaskSpec:
    short = str(rect_id)[:8]
    if kind is TaskKind.RECTIFICATION:
        return TaskSpec(kind=kind, subject_id=rect_id, county_code=county, township_code=township,
                        holder_role=Role.PROVIDER, scope_code=county, provider_id=provider, case_id=case,
                        title=f"服务整改（{source.zh}，整改编号{short}）")
    return TaskSpec(kind=kind, subject_id=rect_id, county_code=county, township_code=township,
                    holder_role=Role.COUNTY_OFFICER, scope_code=county, case_id=case,
                    title=f"核验服务供给主体整改情况（整改编号{short}）")


async def open_rectification(session: AsyncSession, *, source: RectificationSource, source_id: UUID,
                             provider_id: UUID, county: str, township: str | None, case_id: UUID | None,
                             requirement: str, actor_id: UUID, at: datetime) -> tuple[UUID, UUID | None]:
    """One rectification per finding (its source): (its id, the task opened, None if it existed already)."""
    existing = (await session.execute(select(_r.id).where(
        _r.source == source.value, _r.source_id == source_id))).scalar_one_or_none()
    if existing is not None:  # the same finding again: the first rectification stands
        return existing, None
    rect_id = uuid.uuid4()
    task = await open_task(session, _task(TaskKind.RECTIFICATION, rect_id, county, township, provider_id, case_id,
                                          source), at)
    # The unique (source, source_id) stops a concurrent twin: its transaction fails and is retried by its caller.
    await session.execute(insert(RECTIFICATIONS).values(
        id=rect_id, county_code=county, township_code=township, provider_id=provider_id, case_id=case_id,
        source=source.value, source_id=source_id, requirement=requirement, status=RectificationStatus.OPEN.value,
        due_on=task.due_on, rounds=1, opened_by=actor_id, opened_at=at))
    return rect_id, task.id


async def submit_report(session: AsyncSession, rect: Any, report: str, at: datetime) -> tuple[list[UUID], list[UUID]]:
    """The provider's report: the rectification waits for the county's verification. (closed, opened) tasks."""
    await session.execute(update(RECTIFICATIONS).where(_r.id == rect.id).values(
        status=RectificationStatus.SUBMITTED.value, report=report, submitted_at=at, on_time=on_time(at, rect.due_on)))
    closed = []
    running = await open_of(session, rect.id, TaskKind.RECTIFICATION)
    if running is not None and await close_task(session, running, at):
        closed.append(running)
    review = await open_task(session, _task(TaskKind.RECTIFICATION_REVIEW, rect.id, rect.county_code,
                                            rect.township_code, rect.provider_id, rect.case_id,
                                            RectificationSource(rect.source)), at)
    return closed, [review.id]


async def verify(session: AsyncSession, rect: Any, accepted: bool, actor_id: UUID,
                 at: datetime) -> tuple[list[UUID], list[UUID]]:
    """The county's verification: done, or back to the provider for another round under a new deadline."""
    closed: list[UUID] = []
    review = await open_of(session, rect.id, TaskKind.RECTIFICATION_REVIEW)
    if review is not None and await close_task(session, review, at):
        closed.append(review)
    if accepted:
        await session.execute(update(RECTIFICATIONS).where(_r.id == rect.id).values(
            status=RectificationStatus.VERIFIED.value, verified_by=actor_id, verified_at=at))
        return closed, []
    task = await open_task(session, _task(TaskKind.RECTIFICATION, rect.id, rect.county_code, rect.township_code,
                                          rect.provider_id, rect.case_id, RectificationSource(rect.source)), at)
    await session.execute(update(RECTIFICATIONS).where(_r.id == rect.id).values(
        status=RectificationStatus.OPEN.value, due_on=task.due_on, rounds=rect.rounds + 1))
    return closed, [task.id]

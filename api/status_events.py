"""Recording a status event of a recipient (动态管理) and handing it to the case workflow: entered by hand
(api/routes/dynamic/cases.py) or by a mode that changes the person's status (a placement in an institution,
api/routes/placements.py). A foreign case answers like an absent one (404)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from api.access import load_case
from api.errors import ApiError
from models.dynamic.tables import STATUS_EVENTS, StatusEvent
from models.payloads.dynamic import EventForm, EventRef
from models.tables import PERSONS, Case
from vocabulary.dynamic import EventSource, StatusChange
from vocabulary.people import Category
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id

_e = STATUS_EVENTS.c


async def visible_case(session: Any, actor: Any, case_id: UUID) -> Case:
    """The case, or 404 whether it is absent or outside the asker's jurisdiction (the two answer alike)."""
    try:
        return await load_case(session, actor, case_id, former_ok=True)
    except ApiError as err:
        raise ApiError(404, "case_not_found", "案件不存在") from err


async def signal_event(resources: Any, case_id: UUID, event: EventRef) -> None:
    handle = resources.temporal.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(case_id))
    try:
        async with asyncio.timeout(resources.settings.update_timeout_seconds):
            await handle.signal(CaseWorkflow.status_event, event)
    except Exception as err:  # the event is kept; sending it again (same Idempotency-Key) delivers it
        raise ApiError(503, "case_unavailable", "身份变动已登记，案件处理服务暂时不可用，请稍后重试") from err


async def enter_event(session: Any, case: Case, body: EventForm, actor: Any, business_key: str) -> Any:
    """Records a status event entered by hand (once per business key) in the caller's transaction; the caller
    commits, then hands it to the case (`signal_event`). Also used by the modes that change a status (a
    placement in an institution, api/routes/placements.py)."""
    now = datetime.now(UTC)
    await session.execute(insert(StatusEvent).values(
        business_key=business_key, person_id=case.person_id, case_id=case.id, change=body.change.value,
        source=EventSource.MANUAL.value, effective_on=body.effective_on, evidence=body.evidence,
        category=body.category, to_village=body.to_village, village_code=case.village_code,
        recorded_by=actor.user_id, recorded_at=now,
    ).on_conflict_do_nothing(index_elements=["business_key"]))
    category = body.category or (Category.NONE.value if body.change is StatusChange.CATEGORY_LOST else None)
    if category is not None:  # the monthly review re-checks eligibility against what the person is now
        await session.execute(update(PERSONS).where(PERSONS.c.id == case.person_id).values(
            category=category, updated_at=now))
    return (await session.execute(select(STATUS_EVENTS).where(_e.business_key == business_key))).one()


def event_ref(row: Any, actor: Any) -> EventRef:
    return EventRef(event_id=row.id, change=StatusChange(row.change), effective_on=row.effective_on, actor=actor,
                    to_village=row.to_village)

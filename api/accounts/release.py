"""A deactivated worker's open cases go back to the township's queue, through the case workflow's own
`reassign` update with no assignee (so the workflow, the projection and the audit log agree), never by writing
the projection behind the workflow's back.

Each case is its own update with an id derived from (user, case, deactivation instant): a repeated request
re-sends the same update, which the workflow answers once. A case the workflow cannot take now (Temporal down)
stays listed in the stuck view as unassigned (its assignee is inactive) and is picked up by the next request.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from api import workflow_calls
from api.deps import Resources
from api.errors import ApiError
from api.idempotency import request_key
from models.accounts import ReleasedCase
from models.payloads.actor import Actor
from models.payloads.forms import ReassignForm
from models.tables import CASES, USERS
from workflows import process

RELEASE_REASON = "经办人账号已停用，案件退回乡镇(街道)待办队列"
# Already released, or closed meanwhile: nothing left to do for that case.
_DONE = frozenset({"not_assigned", "case_closed", "already_applied"})


async def open_cases_of(resources: Resources, user_id: UUID) -> list[UUID]:
    async with resources.sessions() as session:
        ids = (await session.execute(select(CASES.c.id).where(
            CASES.c.assignee_id == user_id, CASES.c.status == "open").order_by(CASES.c.id))).scalars().all()
    return list(ids)


async def release_cases(resources: Resources, actor: Actor, user_id: UUID) -> list[ReleasedCase]:
    async with resources.sessions() as session:
        revoked: datetime | None = (await session.execute(
            select(USERS.c.tokens_valid_after).where(USERS.c.id == user_id))).scalar_one_or_none()
    stamp = revoked.isoformat() if revoked else "never"
    form = ReassignForm(assignee_id=None, reason=RELEASE_REASON)
    gate = asyncio.Semaphore(8)

    async def one(case_id: UUID) -> ReleasedCase:
        async with gate:
            try:
                # The key makes a repeated release of the same revocation one reassignment (bound durably
                # with the step; a second attempt is refused as already applied).
                request = request_key(f"release:{user_id}:{case_id}:{stamp}", f"reassign {case_id}",
                                      resources.settings.id_hash_key, form)
                await workflow_calls.take(resources, case_id, process.REASSIGN, actor, form, request)
            except ApiError as err:
                if err.code in _DONE:
                    return ReleasedCase(case_id=case_id, ok=True)
                return ReleasedCase(case_id=case_id, ok=False, code=err.code, message=err.message)
            return ReleasedCase(case_id=case_id, ok=True)

    return list(await asyncio.gather(*(one(c) for c in await open_cases_of(resources, user_id))))

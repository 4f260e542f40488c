"""What every step's activity does besides its own record: the audit row and the case projection.

Both go into the caller's transaction. The audit row's unique (case_id, seq) is the business key: a
retried or replayed activity finds its row already there and writes nothing again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import ApplicationError

from activities.deadlines.plan import current_plan, next_deadline
from infra.db import Sessions
from models.payloads import Action, CaseStatus, DeadlinePlan, Payload, StepWritten, Transition
from models.tables import AUDIT, CASES, AuditEntry, Case

# A step's own writes; may return extra projection columns (e.g. the need category).
Writes = Callable[[AsyncSession], Awaitable[dict[str, Any] | None]]


def refuse(code: str, message: str) -> ApplicationError:
    """A business refusal: not retried, passed by the workflow to the API as code + Chinese message."""
    return ApplicationError(message, type=code, non_retryable=True)


def dump(model: Payload | None) -> dict[str, Any] | None:
    return None if model is None else model.model_dump(mode="json", exclude={"actor"})


async def claim(session: AsyncSession, t: Transition, body: Payload | None = None) -> bool:
    """Insert the audit row for this transition; False when an earlier attempt already wrote it."""
    after = {"holding": t.after.model_dump(mode="json"), "body": dump(body)}
    stmt = (
        insert(AuditEntry)
        .values(
            case_id=t.case_id, seq=t.seq, action=t.action.value, actor_id=t.actor.user_id,
            actor_role=t.actor.role.value, at=t.at, after=after,
            before=None if t.before is None else {"holding": t.before.model_dump(mode="json")},
        )
        .on_conflict_do_nothing(index_elements=["case_id", "seq"])
        .returning(AUDIT.c.id)
    )
    return (await session.execute(stmt)).first() is not None


async def project(
    session: AsyncSession, t: Transition, body: Payload | None = None, **extra: Any
) -> DeadlinePlan | None:
    """Move the projection row to where the transition leaves the case, with the deadline that now runs."""
    h = t.after
    closed = h.status is CaseStatus.CLOSED
    deadline, plan = await next_deadline(session, t, body)
    values: dict[str, Any] = {
        "step": h.step.value, "status": h.status.value, "outcome": h.outcome, "seq": t.seq,
        "holder_role": h.holder_role, "assignee_id": h.assignee_id, "provider_id": h.provider_id,
        "awaiting_applicant": h.awaiting_applicant, "updated_at": t.at,
        "closed_at": t.at if closed else None, **deadline, **extra,
    }
    if t.action is Action.RETRY or closed:
        values |= {"blocked_reason": None, "blocked_at": None}
    await session.execute(update(Case).where(CASES.c.id == t.case_id).values(**values))
    return plan


class StepActivities:
    """Base of the per-step activity classes: one transaction, idempotent on (case_id, seq)."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def _apply(self, t: Transition, body: Payload, writes: Writes) -> StepWritten:
        async with self._sessions.begin() as session:
            if await claim(session, t, body):
                extra = await writes(session) or {}
                plan = await project(session, t, body, **extra)
            else:  # written by an earlier attempt: answer with the deadline as it stands
                _, plan = await current_plan(session, t.case_id, t.at)
        return StepWritten(at=t.at, deadline=plan)

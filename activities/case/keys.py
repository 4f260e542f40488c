"""A client's Idempotency-Key, bound in the step's own transaction (issue #11: a key means "once").

Temporal's update-id de-duplication lives in one run, and a bounded list of recent ids carried across
continue-as-new forgets; so the key is a row of its own, unique on (user, key), written with the audit row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.payloads.jobs import StepRecord
from models.security_tables import IDEMPOTENCY_KEYS
from vocabulary.refusal import refuse

ALREADY_APPLIED = "already_applied"
_k = IDEMPOTENCY_KEYS.c


async def bind_key(session: AsyncSession, record: StepRecord[Any]) -> None:
    request, t = record.request, record.transition
    if request is None:
        return
    bound = (await session.execute(insert(IDEMPOTENCY_KEYS).values(
        user_id=t.actor.user_id, key=request.key, operation=request.operation, fingerprint=request.fingerprint,
        case_id=t.case_id, seq=t.seq, created_at=datetime.now(UTC),
    ).on_conflict_do_nothing().returning(_k.key))).first()
    if bound is None:
        held = (await session.execute(select(_k.case_id, _k.seq).where(
            _k.user_id == t.actor.user_id, _k.key == request.key))).one()
        if (held.case_id, held.seq) != (t.case_id, t.seq):
            # Raised inside the transaction: the audit row and everything else of this attempt roll back.
            raise refuse(ALREADY_APPLIED, "该请求已办理过，请勿重复提交")

"""Idempotency-Key for writes that are one database transaction (a complaint, an objection, an upload, a
publication...): the key is bound, with the answer, in the write's own transaction, so a retry answers the
original result and a reuse with another request is refused (422), as for the case steps (api/idempotency.py).

    request = request_key(key, "complaint", resources.settings.id_hash_key, body)  # api/idempotency.py
    if (again := await replayed(session, actor, request)) is not None:
        return again                                # the original answer (as a dict for the response model)
    ... write, without committing ...
    if (again := await bind(session, actor, request, out)) is not None:
        return again                                # a concurrent attempt of the same request won: ours rolled back
    await session.commit()
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.idempotency import REUSED
from models.payloads.actor import Actor, RequestKey
from models.security_tables import IDEMPOTENCY_KEYS

_k = IDEMPOTENCY_KEYS.c
_ANY: TypeAdapter[Any] = TypeAdapter(Any)


async def replayed(session: AsyncSession, actor: Actor, request: RequestKey | None,
                   response: Response | None = None) -> Any:
    """The original answer when this key was used for this very request (answered 200); 422 when it was used
    for another; None when it was never used."""
    if request is None:
        return None
    held = (await session.execute(select(_k.operation, _k.fingerprint, _k.answer).where(
        _k.user_id == actor.user_id, _k.key == request.key))).first()
    if held is None:
        return None
    if (held.operation, held.fingerprint) != (request.operation, request.fingerprint) or held.answer is None:
        raise REUSED
    if response is not None:
        response.status_code = 200
    return held.answer["body"]


async def bind(session: AsyncSession, actor: Actor, request: RequestKey | None, answer: Any,
               response: Response | None = None) -> Any:
    """Binds the key to `answer` in the caller's transaction (the caller then commits). None when bound (or no
    key); otherwise a concurrent attempt with the same key committed first: this attempt is rolled back and the
    first one's answer returned (or 422 when that was another request)."""
    if request is None:
        return None
    body = answer.model_dump(mode="json") if isinstance(answer, BaseModel) else _ANY.dump_python(answer, mode="json")
    bound = (await session.execute(insert(IDEMPOTENCY_KEYS).values(
        user_id=actor.user_id, key=request.key, operation=request.operation, fingerprint=request.fingerprint,
        answer={"body": body}, created_at=datetime.now(UTC),
    ).on_conflict_do_nothing().returning(_k.key))).first()
    if bound is not None:
        return None
    await session.rollback()
    return await replayed(session, actor, request, response)

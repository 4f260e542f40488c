"""Idempotency-Key, as the IETF httpapi draft describes it: a key is bound to the user, the operation and a
fingerprint of the request. The same request again gets the original answer; the same key with another request
is refused (422); a transient fault records nothing against the key, so the client's retry works.

The binding is durable: the step's activity writes it with the audit row (activities/case/keys.py), so "once"
holds across continue-as-new and across workflow runs, not only within Temporal's per-run update-id memory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from infra.db import Sessions
from models.payloads.actor import Actor, RequestKey
from models.security_tables import IDEMPOTENCY_KEYS

_k = IDEMPOTENCY_KEYS.c
REUSED = ApiError(422, "idempotency_key_reused",
                  "该 Idempotency-Key 已用于另一项不同的请求；新的请求请使用新的 Idempotency-Key")


def fingerprint(secret: str, body: BaseModel | dict[str, Any]) -> str:
    """A keyed hash of the canonical request body: the body may carry an ID number, so a plain hash (which
    could be reversed by trying numbers) is not kept."""
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def request_key(key: str | None, operation: str, secret: str, body: BaseModel | dict[str, Any]) -> RequestKey | None:
    if not key:
        return None
    return RequestKey(key=key, operation=operation, fingerprint=fingerprint(secret, body))


async def _held(session: AsyncSession, actor: Actor, request: RequestKey) -> Any:
    return (await session.execute(select(_k.operation, _k.fingerprint, _k.answer, _k.case_id).where(
        _k.user_id == actor.user_id, _k.key == request.key))).first()


async def replay(session: AsyncSession, actor: Actor, request: RequestKey | None) -> dict[str, Any] | None:
    """The original answer when this key was used for this very request; 422 when it was used for another;
    None when it was never used (or only by requests that were refused or failed: those record nothing)."""
    if request is None:
        return None
    held = await _held(session, actor, request)
    if held is None:
        return None
    if (held.operation, held.fingerprint) != (request.operation, request.fingerprint):
        raise REUSED
    answer: dict[str, Any] = held.answer or {"case_id": str(held.case_id)}
    return answer


async def replay_after(sessions: Sessions, actor: Actor, request: RequestKey | None,
                       refusal: ApiError) -> dict[str, Any]:
    """After the workflow refused or failed an attempt: had this key been applied meanwhile (a concurrent or
    earlier attempt of the same request), its original answer; otherwise the refusal stands."""
    if request is None or refusal.status == 503:
        raise refusal
    async with sessions() as session:
        answer = await replay(session, actor, request)
    if answer is None:
        if refusal.code == "already_applied":  # applied, but its row is not visible yet: the client retries
            raise ApiError(503, "system_unavailable", "系统暂时不可用，请稍后重试")
        raise refusal
    return answer


def case_of(answer: dict[str, Any]) -> UUID:
    return UUID(str(answer["case_id"]))

"""What the service-mode routes share: a create made once per Idempotency-Key (the record id is derived from the
key, and the key is bound to the request in the same transaction as the record), and who reads which county."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from api.idempotency import replay, request_key
from models.payloads.actor import Actor
from models.security_tables import IDEMPOTENCY_KEYS
from models.settings import Settings
from vocabulary.case import Role

STAFF = (Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
SUPERVISORS = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)


async def claim(session: AsyncSession, actor: Actor, settings: Settings, key: str | None, operation: str,
                body: BaseModel) -> tuple[UUID, bool]:
    """(the id of the record this request creates, whether to create it). Without a key every request creates;
    with one, the same request again names the record the first created, and the key with another request is
    refused (422). Nothing is bound when the caller's transaction does not commit (a refusal, a fault)."""
    if not key:
        return uuid.uuid4(), True
    request = request_key(key, operation, settings.id_hash_key, body)
    assert request is not None
    answer = await replay(session, actor, request)
    if answer is not None:
        return UUID(str(answer["id"])), False
    record = uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:modes:{operation}:{actor.user_id}:{key}")
    bound = (await session.execute(insert(IDEMPOTENCY_KEYS).values(
        user_id=actor.user_id, key=key, operation=operation, fingerprint=request.fingerprint,
        answer={"id": str(record)}, created_at=datetime.now(UTC)).on_conflict_do_nothing().returning(
        IDEMPOTENCY_KEYS.c.key))).first()
    if bound is None:  # a concurrent twin committed first: answer with its record
        again = await replay(session, actor, request)
        if again is None:
            raise ApiError(409, "request_in_progress", "同一请求正在办理，请稍后刷新查看")
        return UUID(str(again["id"])), False
    return record, True


def county_of(actor: Actor, roles: tuple[Role, ...] = STAFF) -> str:
    """The county whose lists (units, organisations) the actor reads: staff of any level within it."""
    if actor.role not in roles or len(actor.jurisdiction) < 6:
        raise ApiError(403, "wrong_role", "您的角色无权查阅此内容")
    return actor.jurisdiction[:6]


def county_officer(actor: Actor) -> str:
    if actor.role is not Role.COUNTY_OFFICER or len(actor.jurisdiction) != 6:
        raise ApiError(403, "wrong_role", "此操作由县级民政部门办理")
    return actor.jurisdiction


def within(actor: Actor, code: str, roles: tuple[Role, ...] = STAFF) -> bool:
    return actor.role in roles and code.startswith(actor.jurisdiction)


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what}不存在")


def case_open(case: Any) -> None:
    if case.status != "open":
        raise ApiError(409, "case_closed", "该案件已办结，不能再安排服务")

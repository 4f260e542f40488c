"""Reads of personal information that PIPL (个人信息保护法) asks to account for: an ID number, a person's health
conditions, a complainant's or objector's telephone. Such a field is never in a list or a record's ordinary
answer (a contact shows masked there); it is read on its own request with the purpose stated, and the audit row
(who, when, which record, which field, why) is committed before the value is answered, so no read goes
unrecorded."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncSession

from models.payloads.actor import Actor
from models.tables import AuditEntry

Purpose = Annotated[str, Query(min_length=2, max_length=100, description="查阅用途，如：核对身份、回访投诉人")]
_DIGITS = re.compile(r"\d")


async def record_read(session: AsyncSession, actor: Actor, field: str, purpose: str, **subject: str) -> None:
    """The audit row of one read (`subject`: the record read, e.g. person_id=...), committed before the answer."""
    session.add(AuditEntry(action="read_sensitive", actor_id=actor.user_id, actor_role=actor.role,
                           at=datetime.now(UTC), after={**subject, "field": field, "purpose": purpose}))
    await session.commit()


def masked(contact: str | None) -> str | None:
    """A contact as lists and details show it: enough to tell two apart (a phone's first 3 and last 4 digits),
    not enough to call. The full value is read through the audited route."""
    if contact is None:
        return None
    digits = "".join(_DIGITS.findall(contact))
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****"

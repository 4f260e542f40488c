"""Who asks, and an update's input: the actor (from the bearer token, never from a request body) and a form."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar
from uuid import UUID

from pydantic import StringConstraints

from models.payloads.base import Payload
from vocabulary.case import Role


class Actor(Payload):
    user_id: UUID
    role: Role
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^\d{2,12}$")]
    provider_id: UUID | None = None
    person_id: UUID | None = None
    # A township lead (分管领导): may reassign cases and receives due-date notices.
    lead: bool = False


FormT = TypeVar("FormT", bound=Payload)


class RequestKey(Payload):
    """A client's Idempotency-Key bound to the operation and a keyed fingerprint of the request. The step's
    activity keeps it with the answer, in the same transaction as the audit row: the key then means "once"."""

    key: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    operation: Annotated[str, StringConstraints(max_length=200)]
    fingerprint: Annotated[str, StringConstraints(max_length=64)]


class Command(Payload, Generic[FormT]):
    """An update's input: who asks and their form (one form type per action, workflows/process.py)."""

    actor: Actor
    form: FormT
    request: RequestKey | None = None

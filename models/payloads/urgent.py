"""The urgent path's forms (突发情况 / 先行救助): the API's request bodies and the case workflow's update inputs."""

from __future__ import annotations

from uuid import UUID

from pydantic import Field, model_validator

from models.payloads.base import Payload, Text
from models.payloads.forms import ItemQuantity
from vocabulary.urgent import UrgentReason


class UrgentForm(Payload):
    """Marks a case urgent: why, which provider (under a purchase agreement) starts short-term care at once, and
    the items of that care. From a village assistant it is a request the township confirms."""

    reason: UrgentReason
    details: Text  # what happened, in a line (never a diagnosis)
    provider_id: UUID
    items: list[ItemQuantity] = Field(min_length=1, max_length=14)

    @model_validator(mode="after")
    def _items_once(self) -> UrgentForm:
        if len({i.item_code for i in self.items}) != len(self.items):
            raise ValueError("each service item appears once")
        return self


class ConfirmUrgentForm(Payload):
    """The township confirms the assistant's request; care may start from this day."""

    note: Text | None = None

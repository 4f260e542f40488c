"""What the case page reads about a case's urgent care (先行救助)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from models.payloads.forms import ItemQuantity
from models.schemas import Out


class UrgentCareOut(Out):
    case_id: UUID
    state: str  # UrgentState
    state_zh: str
    reason: str  # UrgentReason
    reason_zh: str
    details: str
    provider_id: UUID
    provider_name: str
    items: list[ItemQuantity]
    requested_at: datetime
    confirmed_at: datetime | None
    started_on: date | None
    last_day: date | None  # the county's cap
    ends_on: date | None  # the care's end as it stands: the cap, the refusal's date, the regular plan's start
    end_reason: str | None  # UrgentEnd, when it ended before or at the cap
    end_reason_zh: str | None


class UrgentCareRow(Out):
    """A case in urgent care today: what the provider's service entry lists beside the cases in service."""

    case_id: UUID
    person_name: str
    village_code: str
    items: list[ItemQuantity]
    started_on: date
    ends_on: date

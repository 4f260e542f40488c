"""What the case page reads about the modes serving a person."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from models.schemas import Out


class CaseModePublic(Out):
    mode: str
    mode_name: str
    source_id: UUID | None  # None for the purchase referral (the case itself)
    party_kind: str
    party_kind_name: str
    party_id: UUID | None
    party_name: str
    summary: str
    started_on: date | None
    ended_on: date | None
    end_reason: str | None
    paid_by_settlement: bool


class CaseModes(Out):
    case_id: UUID
    modes: list[CaseModePublic]

""""党建+救助": what the township sends and reads (models/modes/party.py)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from models.modes.linkage_schemas import Line, Name, Text
from models.schemas import Out, Schema
from vocabulary.modes_linkage import PartnerKind, PartyHelp


class PartyPairingIn(Schema):
    case_id: UUID
    partner_kind: PartnerKind
    partner_name: Name
    branch_name: Name | None = None
    started_on: date


class PartyVisitIn(Schema):
    visited_on: date
    help: PartyHelp
    content: Text


class PartyPairingEndIn(Schema):
    ended_on: date
    reason: Line


class PartyVisitOut(Out):
    id: UUID
    visited_on: date
    help: str
    help_zh: str
    content: str


class PartyPairingOut(Out):
    id: UUID
    case_id: UUID
    village_code: str
    partner_kind: str
    partner_kind_zh: str
    partner_name: str
    branch_name: str | None
    started_on: date
    ended_on: date | None
    end_reason: str | None
    visit_count: int
    last_visit_on: date | None
    visits: list[PartyVisitOut] | None = None  # on the detail only

"""Every mode serving a person, on their case: one row per delivery relation (a placement, a department
referral, a pairing, a team plan, a neighbour helper, a charity referral). Each mode keeps its own detail in its
own tables and writes this row in the same transaction, so the case page lists all modes with one indexed read.
The purchase referral is not stored here: the case row's provider says it (api/routes/modes.py)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


class CaseMode(SQLModel, table=True):
    __tablename__ = "case_modes"
    __table_args__ = (
        # `source_id` is the mode's own record (a placement, a pairing ...): writing it twice changes nothing.
        UniqueConstraint("mode", "source_id", name="uq_case_modes_source"),
        Index("ix_case_modes_case", "case_id"),
        Index("ix_case_modes_county_mode", "county_code", "mode"),
    )
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(foreign_key="cases.id")
    person_id: UUID = Field(foreign_key="persons.id")
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    mode: str  # ServiceMode
    source_id: UUID
    party_kind: str  # PartyKind
    party_id: UUID | None = None  # a provider, when the party is one of ours
    party_name: str  # the institution, unit, member, team, helper or organisation, as case workers read it
    summary: str  # what it delivers, in a line (never an illness or other sensitive detail)
    started_on: date
    ended_on: date | None = None
    end_reason: str | None = None
    recorded_at: datetime = tz_column()


CASE_MODES = table_of(CaseMode)

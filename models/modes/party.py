""""党建+救助" (001 三(六)4): a party member or branch paired (结对) with a recipient, recorded by the township, and
the visits and help given (走访慰问, 物资, 关心, 解惑). A pairing is one `case_modes` row; ending it ends the mode."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


class PartyPairing(SQLModel, table=True):
    __tablename__ = "party_pairings"
    __table_args__ = (
        Index("ix_party_pairings_case", "case_id"),
        Index("ix_party_pairings_county", "county_code", "started_on"),
        # One running pairing of a partner with a recipient: pairing again is the same pairing.
        Index("uq_party_pairings_running", "case_id", "partner_name", unique=True,
              postgresql_where=text("ended_on IS NULL")),
    )
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(foreign_key="cases.id")
    county_code: str = Field(max_length=6)
    township_code: str = Field(max_length=9)
    village_code: str = Field(max_length=12)
    partner_kind: str  # PartnerKind
    partner_name: str = Field(max_length=80)  # the member, or the branch
    branch_name: str | None = Field(default=None, max_length=80)  # a member's branch
    started_on: date
    ended_on: date | None = None
    end_reason: str | None = None
    created_by: UUID
    created_at: datetime = tz_column()


class PartyVisit(SQLModel, table=True):
    __tablename__ = "party_visits"
    __table_args__ = (Index("ix_party_visits_pairing", "pairing_id", "visited_on"),)
    id: UUID = Field(primary_key=True)
    pairing_id: UUID = Field(foreign_key="party_pairings.id")
    county_code: str = Field(max_length=6)
    visited_on: date
    help: str  # PartyHelp
    content: str
    recorded_by: UUID
    recorded_at: datetime = tz_column()


PARTY_PAIRINGS = table_of(PartyPairing)
PARTY_VISITS = table_of(PartyVisit)

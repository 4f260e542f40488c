"""机构照料服务 (池州方案 三(六)2): a person placed in a 敬老院 or 福利院 (集中供养), or by the county with a medical
institution, with the consent, the institution and the dates. The placement is listed on the case
(`case_modes`, mode institution) and its status event (entered an institution) ends home services through
dynamic management."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field as PydanticField
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.payloads.base import Payload, Text
from models.schemas import Out
from models.tables import table_of, tz_column
from vocabulary.placement import ConsentBy, InstitutionKind, Unsuitable


class Placement(SQLModel, table=True):
    __tablename__ = "placements"
    __table_args__ = (Index("ix_placements_case", "case_id"),)
    id: UUID = Field(primary_key=True)
    case_id: UUID = Field(foreign_key="cases.id")
    institution_name: str
    institution_kind: str  # InstitutionKind
    unsuitable: str | None = None  # Unsuitable: why not 集中供养 (a medical institution); never in case_modes
    consent_by: str | None = None  # ConsentBy
    consented_on: date | None = None
    consent_document_id: UUID | None = None  # the signed consent, a file uploaded to the case
    entered_on: date
    left_on: date | None = None
    leave_reason: str | None = None
    event_id: UUID | None = None  # the status event (entered an institution) handed to the case
    recorded_by: UUID
    recorded_at: datetime = tz_column()


PLACEMENTS = table_of(Placement)


class Consent(Payload):
    by: ConsentBy
    consented_on: date
    document_id: UUID | None = None  # the signed consent form, uploaded as a file (POST /files)


class PlacementForm(Payload):
    institution_name: Text = PydanticField(max_length=100)
    institution_kind: InstitutionKind
    consent: Consent | None = None
    entered_on: date
    unsuitable: Unsuitable | None = None  # required for a medical institution


class DepartureForm(Payload):
    left_on: date
    reason: Text


class PlacementOut(Out):
    id: UUID
    case_id: UUID
    institution_name: str
    institution_kind: str
    institution_kind_name: str
    consent_by: str | None
    consented_on: date | None
    consent_document_id: UUID | None
    entered_on: date
    left_on: date | None
    leave_reason: str | None
    event_id: UUID | None

    @classmethod
    def of(cls, row: Any) -> PlacementOut:
        return cls(id=row.id, case_id=row.case_id, institution_name=row.institution_name,
                   institution_kind=row.institution_kind,
                   institution_kind_name=InstitutionKind.label(row.institution_kind), consent_by=row.consent_by,
                   consented_on=row.consented_on, consent_document_id=row.consent_document_id,
                   entered_on=row.entered_on, left_on=row.left_on, leave_reason=row.leave_reason,
                   event_id=row.event_id)

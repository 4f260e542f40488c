"""API schemas of dynamic management (动态管理)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from vocabulary.dynamic import ChangeKind, DecisionResult, EventSource, StatusChange


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class EventOut(Out):
    id: UUID
    case_id: UUID | None
    change: str
    change_zh: str
    source: str
    source_zh: str
    effective_on: date
    evidence: str
    to_village: str | None
    recorded_at: datetime
    taken_in: bool  # the case workflow has taken it in (its task is open, or the case ended)

    @classmethod
    def of(cls, row: Any) -> EventOut:
        return cls(id=row.id, case_id=row.case_id, change=row.change, change_zh=StatusChange.label(row.change),
                   source=row.source, source_zh=EventSource.label(row.source), effective_on=row.effective_on,
                   evidence=row.evidence, to_village=row.to_village, recorded_at=row.recorded_at,
                   taken_in=row.case_seq is not None)


class HearingOut(Out):
    seq: int
    kind: str
    kind_zh: str
    reasons: str
    facts: str
    items: list[dict[str, Any]]
    effective_on: date
    hearing_days: int | None
    hearing_ends_on: date | None
    statement: str | None
    statement_waived: bool
    stated_at: datetime | None
    lapsed_at: datetime | None
    decision_seq: int | None


class DecisionOut(Out):
    seq: int
    result: str
    result_zh: str
    basis: str
    reasons: str
    statement_considered: str | None
    effective_on: date
    review_by: date | None
    litigation_by: date | None
    decided_at: datetime


class PlanChangeOut(Out):
    seq: int
    effective_on: date
    items: list[dict[str, Any]]
    reason: str
    acknowledged_at: datetime | None


class CaseDynamicOut(Out):
    hearings: list[HearingOut]
    decisions: list[DecisionOut]
    plan_changes: list[PlanChangeOut]

    @classmethod
    def of(cls, hearings: Any, decisions: Any, changes: Any) -> CaseDynamicOut:
        return cls(
            hearings=[HearingOut(**{**r._mapping, "kind_zh": ChangeKind.label(r.kind)}) for r in hearings],
            decisions=[DecisionOut(**{**r._mapping, "result_zh": DecisionResult.label(r.result)}) for r in decisions],
            plan_changes=[PlanChangeOut.model_validate(r) for r in changes])

"""API schemas of dynamic management (动态管理)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, StringConstraints

from vocabulary.dynamic import ChangeKind, DecisionResult, EventSource, ImportStatus, ScreeningStatus, StatusChange
from vocabulary.people import Category


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


class ImportOut(Out):
    id: UUID
    filename: str
    sha256: str
    status: str
    status_zh: str
    total_rows: int
    done_rows: int
    progress_percent: int
    good_rows: int
    bad_rows: int
    new_people: int
    events: int
    screenings: int
    error: str | None
    has_errors_file: bool
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> ImportOut:
        percent = 100 if row.status == "done" else (row.done_rows * 100 // row.total_rows if row.total_rows else 0)
        return cls(**{k: getattr(row, k) for k in (
            "id", "filename", "sha256", "status", "total_rows", "done_rows", "good_rows", "bad_rows", "new_people",
            "events", "screenings", "error", "created_at", "finished_at")},
            status_zh=ImportStatus.label(row.status), progress_percent=percent,
            has_errors_file=row.errors_xlsx is not None)


class ScreeningOut(Out):
    id: UUID
    person_id: UUID
    person_name: str
    category: str
    category_zh: str
    village_code: str
    village_name: str | None
    listed_for: date
    period: str
    due_on: date
    overdue: bool  # derived from the due date and today, never stored
    status: str
    status_zh: str
    reason: str | None
    case_id: UUID | None
    screened_at: datetime | None

    @classmethod
    def of(cls, row: Any, today: date) -> ScreeningOut:
        return cls(id=row.id, person_id=row.person_id, person_name=row.person_name, category=row.category,
                   category_zh=Category.label(row.category), village_code=row.village_code,
                   village_name=row.village_name, listed_for=row.listed_for, period=row.period, due_on=row.due_on,
                   overdue=row.status == ScreeningStatus.PENDING.value and row.due_on < today, status=row.status,
                   status_zh=ScreeningStatus.label(row.status), reason=row.reason, case_id=row.case_id,
                   screened_at=row.screened_at)


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    need_description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class NoNeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]


class ReportRow(Out):
    code: str
    name: str | None
    new_recipients: int  # 新纳入
    screened: int  # 已摸排
    pending: int  # 待摸排
    overdue: int  # 逾期未摸排
    cases_opened: int  # 转入主动发现(新建案件)
    exited: int  # 退出(退出救助、死亡、迁出)
    exited_stopped: int  # 其中已停止服务
    exited_in_hearing: int  # 其中正在陈述申辩


class ImportRow(Out):
    """One roster import in the list: counts and status only — never the file's name (an officer may have named
    it after a person) and never a row of it."""

    id: UUID
    status: str
    status_zh: str
    progress_percent: int
    total_rows: int
    good_rows: int
    bad_rows: int
    new_people: int
    events: int
    screenings: int
    has_errors_file: bool
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> ImportRow:
        """`row` has `has_errors_file` selected in place of the workbook itself (the list never loads files)."""
        percent = 100 if row.status == "done" else (row.done_rows * 100 // row.total_rows if row.total_rows else 0)
        return cls(**{k: getattr(row, k) for k in (
            "id", "status", "total_rows", "good_rows", "bad_rows", "new_people", "events", "screenings",
            "has_errors_file", "created_at", "finished_at")},
            status_zh=ImportStatus.label(row.status), progress_percent=percent)


class ImportPage(Out):
    items: list[ImportRow]
    total: int
    limit: int
    offset: int


class EventRow(EventOut):
    """A status event in the county-wide list: whose (the name, never the ID number) and where."""

    person_name: str
    village_code: str
    village_name: str | None
    import_id: UUID | None

    @classmethod
    def row(cls, row: Any) -> EventRow:
        return cls(**EventOut.of(row).model_dump(), person_name=row.person_name, village_code=row.village_code,
                   village_name=row.village_name, import_id=row.import_id)


class EventPage(Out):
    items: list[EventRow]
    total: int
    limit: int
    offset: int

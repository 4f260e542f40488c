"""The answers of the county's oversight overview (年度监督管理总览), its oversight settings and the needs ledger
(需求台账), as models so that the OpenAPI document — and the console's generated client — say what they hold.
Rates are decimal strings (as the activities compute them), None where there is nothing to divide by."""

from __future__ import annotations

from pydantic import BaseModel


class RecipientCount(BaseModel):
    category: str
    category_zh: str
    in_service: int
    served_this_year: int


class ServiceCounts(BaseModel):
    records: int
    quantity: int
    confirmed: int  # records the recipient confirmed


class PaidLine(BaseModel):
    funding_source: str
    funding_source_zh: str
    government_funded: bool
    amount: str  # yuan, decimal string


class SpotCheckCounts(BaseModel):
    total: int
    sampled: int
    checked: int
    target: int
    gap: int
    percent: str
    results: dict[str, int]  # CheckResult -> count
    pass_rate: str | None


class SatisfactionCounts(BaseModel):
    results: dict[str, int]  # Satisfaction (or the visit's status when nobody was reached) -> count
    reached: int
    satisfaction_rate: str | None


class ComplaintCounts(BaseModel):
    total: int
    closed: int
    accepted: int
    accepted_on_time: int
    resolved: int
    resolved_on_time: int
    upheld: int
    redone: int
    caller_satisfied: int
    accepted_on_time_rate: str | None
    resolved_on_time_rate: str | None


class RectificationCounts(BaseModel):
    opened: int
    verified: int
    on_time: int
    reported: int
    on_time_rate: str | None


class NoticeCounts(BaseModel):
    publications: int
    villages: int


class ObjectionCounts(BaseModel):
    total: int
    upheld: int
    rejected: int
    pending: int


class UrgentCounts(BaseModel):
    """先行救助 in the year: marked, awaiting the start of care, not yet reviewed, reviewed, refused, in care."""

    total: int
    requested: int
    open: int
    reviewed: int
    refused: int
    in_care: int


class PartyCounts(BaseModel):
    """党建+救助 (mode 4) in the year."""

    pairings: int
    pairings_started: int
    persons_paired: int
    visits: int
    visits_by_help: dict[str, int]  # the kind of help, in Chinese -> visits


class OverviewOut(BaseModel):
    county_code: str
    year: int
    recipients: list[RecipientCount]
    services: ServiceCounts
    paid: list[PaidLine]
    spot_checks: SpotCheckCounts
    satisfaction: SatisfactionCounts
    complaints: ComplaintCounts
    rectifications: RectificationCounts
    notices: NoticeCounts
    objections: ObjectionCounts
    urgent: UrgentCounts
    party_building: PartyCounts


class SettingsOut(BaseModel):
    """A county's oversight settings: the stored values over the documented defaults (policy/oversight.py)."""

    spot_check_target_percent: int
    satisfaction_share_percent: int
    inspectors_per_stratum: int
    complaints_per_100_zero: int
    urgent_care_days: int
    weights: dict[str, int]  # evaluation metric -> weight


class LedgerSummary(BaseModel):
    village_code: str
    village: str
    surveyed: int
    own_requests: int
    approved: int
    unmet: int
    needs: dict[str, int]  # dimension -> people with a need in it


class LedgerLine(BaseModel):
    case_id: str
    village_code: str
    village: str
    name: str
    scores: dict[str, int | None]  # dimension -> assessment score
    own_requests: str | None
    decision: str | None
    difficulty_type: str | None
    approved: list[str]
    planned: list[str]
    unmet: str  # empty when what was approved is being served


class LedgerOut(BaseModel):
    division_code: str
    summary: list[LedgerSummary]
    total: int
    lines: list[LedgerLine]

"""Deadline rules and escalation instants: pure functions over a county's rules and the working calendar.

Defaults (working days; a county officer may change each one for the county):
- the whole intake, application to review decision: 20 (seed 003: 办理时限压缩到20个工作日内)
- 受理登记 registration 3, 入户调查 survey 10, 审核确认 review 5 (each also capped by the intake limit)
- 转介服务 referral 5 for the township, and 3 for the provider to accept or decline
- 开展服务 service plan 5, 建立档案 archiving 10
- 资金结算 a monthly statement's approval by the purchaser 5, from the day it was computed
- the reminder goes out 2 working days before the due date
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from policy.workdays import WorkCalendar
from workflows.steps import SPEC, Role, Step

CHINA = timezone(timedelta(hours=8))
OFFICE_OPENS = time(9, 0)

INTAKE = "intake"
REMINDER_BEFORE = "reminder_before"
REFERRAL_RESPONSE = "referral_response"
DEFAULT_RULES: dict[str, int] = {
    INTAKE: 20,
    "registration": 3,
    "survey": 10,
    "review": 5,
    "referral": 5,
    REFERRAL_RESPONSE: 3,
    "service_plan": 5,
    "archiving": 10,
    "settlement_approval": 5,
    REMINDER_BEFORE: 2,
}
RULE_ZH = {
    INTAKE: "申请至审核确认总时限",
    "registration": "受理登记",
    "survey": "入户调查",
    "review": "审核确认",
    "referral": "转介服务(乡镇转介)",
    REFERRAL_RESPONSE: "转介服务(服务供给主体答复)",
    "service_plan": "开展服务(制定服务方案)",
    "archiving": "建立档案",
    "settlement_approval": "资金结算(结算单审核)",
    REMINDER_BEFORE: "到期前提醒提前天数",
}
# The steps the whole-intake limit covers.
INTAKE_STEPS = frozenset({Step.REGISTRATION, Step.SURVEY, Step.REVIEW})
MAX_EXTENSION = 20


def rule_key(step: Step, holder: Role | None) -> str | None:
    """Which rule times a case waiting in `step` for `holder`; None where nobody is waited on."""
    if step is Step.REFERRAL and holder is Role.PROVIDER:
        return REFERRAL_RESPONSE
    return SPEC[step].deadline_rule


def merged(rules: Mapping[str, int] | None) -> dict[str, int]:
    return {**DEFAULT_RULES, **(rules or {})}


@dataclass(frozen=True)
class Due:
    on: date
    provisional: bool


def due_date(
    cal: WorkCalendar, step: Step, step_start: date, step_days: int, intake_start: date | None,
    intake_days: int | None,
) -> Due:
    """The step's due date: its own limit, and for intake steps no later than the intake limit."""
    own = cal.add(step_start, step_days)
    if step in INTAKE_STEPS and intake_start is not None and intake_days is not None:
        intake = cal.add(intake_start, intake_days)
        if intake.on < own.on:
            return Due(intake.on, intake.provisional or own.provisional)
    return Due(own.on, own.provisional)


def at_office_hours(day: date) -> datetime:
    return datetime.combine(day, OFFICE_OPENS, tzinfo=CHINA)


def rung_instants(cal: WorkCalendar, due: date, reminder_before: int, since: datetime) -> dict[str, datetime]:
    """reminder: opening hour `reminder_before` working days ahead (skipped if that is already behind us when
    the deadline starts); due: opening hour of the due date; overdue: opening hour of the next working day."""
    rungs: dict[str, datetime] = {}
    reminder = at_office_hours(cal.subtract(due, reminder_before).on)
    if reminder > since:
        rungs["reminder"] = reminder
    rungs["due"] = at_office_hours(due)
    rungs["overdue"] = at_office_hours(cal.add(due, 1).on)
    return rungs

"""Deadline rules and escalation instants: pure functions over a county's rules and the working calendar.

Defaults (working days; a county officer may change each one for the county):
- the whole intake, application to review decision: 20 (seed 003: 办理时限压缩到20个工作日内)
- 受理登记 registration 3, 入户调查 survey 10, 审核确认 review 5 (each also capped by the intake limit)
- 转介服务 referral 5 for the township, and 3 for the provider to accept or decline
- 开展服务 service plan 5, 建立档案 archiving 10
- 资金结算 a monthly statement's approval by the purchaser 5, from the day it was computed
- 动态管理 a status change (an event, or the monthly review finding a case no longer eligible) is looked into
  within 10; after a notice of an intended reduction or stop the recipient may state and defend (陈述申辩) for 5
  (the hearing period, a durable timer, not a deadline of the township's); the written decision is due 5 after
  the statement or after the period lapsed
- 需求摸排 a new recipient on the monthly roster is screened by the village assistant within 10
- 部门联动 a member unit acknowledges a referred need, acts and reports the outcome within 10 (the seeds set no
  limit; a county sets its own)
- the reminder goes out 2 working days before the due date

Tasks outside a case (監督管理, oversight; defaults a county changes like any rule):
- a public-notice objection verified by the township: 10; when upheld, the township starts the change: 10
- a provider's rectification (整改): 10; the county verifies it: 5
- a complaint or 12345 work order: accepted within 1, resolved and answered within 5 (the 12345 practice of
  签收 within one working day and 一般诉求 within five), one extension of at most 5 on request; the caller's
  return visit within 3 of the reply; a 发回重办 starts the resolution limit again
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from policy.workdays import WorkCalendar
from vocabulary.case import Action, Role, Step
from vocabulary.china import CHINA, OFFICE_OPENS
from vocabulary.deadlines import DeadlineRule
from vocabulary.tasks import TaskKind

R = DeadlineRule
INTAKE, REMINDER_BEFORE, REFERRAL_RESPONSE = R.INTAKE, R.REMINDER_BEFORE, R.REFERRAL_RESPONSE
DEFAULT_RULES: dict[str, int] = {
    R.INTAKE: 20,
    R.REGISTRATION: 3,
    R.SURVEY: 10,
    R.REVIEW: 5,
    R.REFERRAL: 5,
    R.REFERRAL_RESPONSE: 3,
    R.SERVICE_PLAN: 5,
    R.ARCHIVING: 10,
    R.SETTLEMENT_APPROVAL: 5,
    R.OBJECTION_VERIFICATION: 10,
    R.OBJECTION_CHANGE: 10,
    R.RECTIFICATION: 10,
    R.RECTIFICATION_REVIEW: 5,
    R.COMPLAINT_ACCEPTANCE: 1,
    R.COMPLAINT_RESOLUTION: 5,
    R.COMPLAINT_RETURN_VISIT: 3,
    R.COMPLAINT_EXTENSION_MAX: 5,
    R.DYNAMIC_TASK: 10,
    R.HEARING_PERIOD: 5,
    R.DYNAMIC_DECISION: 5,
    R.SCREENING: 10,
    R.DEPARTMENT_REFERRAL: 10,
    R.REMINDER_BEFORE: 2,
}
# Which rule times each kind of task.
TASK_RULE: dict[TaskKind, DeadlineRule] = {
    TaskKind.OBJECTION_VERIFICATION: R.OBJECTION_VERIFICATION,
    TaskKind.OBJECTION_CHANGE: R.OBJECTION_CHANGE,
    TaskKind.RECTIFICATION: R.RECTIFICATION,
    TaskKind.RECTIFICATION_REVIEW: R.RECTIFICATION_REVIEW,
    TaskKind.COMPLAINT_ACCEPTANCE: R.COMPLAINT_ACCEPTANCE,
    TaskKind.COMPLAINT_RESOLUTION: R.COMPLAINT_RESOLUTION,
    TaskKind.COMPLAINT_RETURN_VISIT: R.COMPLAINT_RETURN_VISIT,
    TaskKind.DEPARTMENT_REFERRAL: R.DEPARTMENT_REFERRAL,
}
# Which rule times a case waiting in each step (for the township; the provider's answer has its own).
STEP_RULE: dict[Step, DeadlineRule] = {
    Step.REGISTRATION: R.REGISTRATION,
    Step.SURVEY: R.SURVEY,
    Step.REVIEW: R.REVIEW,
    Step.REFERRAL: R.REFERRAL,
    Step.SERVICE: R.SERVICE_PLAN,
    Step.ARCHIVING: R.ARCHIVING,
}
# The steps the whole-intake limit covers.
INTAKE_STEPS = frozenset({Step.REGISTRATION, Step.SURVEY, Step.REVIEW})
MAX_EXTENSION = 20


# In 动态管理 the township's deadline after these actions is the decision's, not the task's.
DECISION_AFTER = frozenset({Action.PROPOSE, Action.RECORD_STATEMENT, Action.HEARING_LAPSED})


def rule_key(step: Step, holder: Role | None, action: Action | None = None) -> DeadlineRule | None:
    """Which rule times a case waiting in `step` for `holder`; None where nobody is waited on. A case in
    动态管理 waits on nobody until a status change opens a task for the township (and on nobody while the
    recipient is being heard: the hearing period is the case's own timer)."""
    if step is Step.REFERRAL and holder is Role.PROVIDER:
        return REFERRAL_RESPONSE
    if step is Step.DYNAMIC_MANAGEMENT:
        if holder is not Role.TOWNSHIP_WORKER:
            return None
        return R.DYNAMIC_DECISION if action in DECISION_AFTER else R.DYNAMIC_TASK
    return STEP_RULE.get(step)


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

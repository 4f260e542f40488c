"""The process of a service-assistance case (池州方案 四、服务流程), declared once. Read this file to know it.

`STEPS` are the ten steps and who must act while a case waits in each. `ACTIONS` are everything a person can do
to a case: from which steps, by whom, what must hold first (`requires`, over the case) and of the form
(`checks`), where it leads (the first `leads` whose `when` holds), and which activity writes it. The case
workflow (workflows/case.py) executes this table and nothing else — an action or a move not declared here
cannot happen — the API derives "what may this user do now" from it and serves it at `GET /process`, and the
README's diagram is drawn from it (`mermaid()`).

Steps 1-5 run once, in order. From step 6 the case is in service: it waits in 建立档案 until the provider has
built the one-person file, then in 动态管理 (a monthly review, workflows/case.py) until services stop.
资金结算 and 监督管理 hold no case: they act on many cases at once (a monthly run per provider; notices and
spot checks). The workflow's own work — escalation rungs, the monthly review, recomputing a deadline — is not a
person's action and is not in this table.
"""

from __future__ import annotations

from typing import Any

from models.payloads.dynamic import (
    AcknowledgeForm,
    DecideForm,
    DismissForm,
    ProposeForm,
    StatementForm,
    StopForm,
    TransferForm,
)
from models.payloads.forms import (
    ArchiveForm,
    CloseForm,
    ExtendForm,
    OpenForm,
    PlanForm,
    ReassignForm,
    ReferForm,
    RegisterForm,
    RespondForm,
    ResubmitForm,
    ResumeForm,
    RetryForm,
    ReturnForm,
    ReviewForm,
    SurveyForm,
    SuspendForm,
    WithdrawForm,
)
from models.payloads.urgent import ConfirmUrgentForm, UrgentForm
from vocabulary.case import Action, Outcome, ReviewDecision, Role, Step
from vocabulary.dynamic import DecisionResult
from workflows import effects as do
from workflows import guards as must
from workflows.case_activities import CaseActivities as writes
from workflows.transitions import Act, StepSpec, end, go, stay, wait_for_applicant

A, V, T, C, P = Role.APPLICANT, Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.PROVIDER
S = Step

STEPS: tuple[StepSpec, ...] = (
    StepSpec(S.APPLICATION, frozenset({A, V, T})),
    StepSpec(S.REGISTRATION, frozenset({T})),
    StepSpec(S.SURVEY, frozenset({T, V})),  # the two-person team: village staff and the assistant
    StepSpec(S.REVIEW, frozenset({T})),
    StepSpec(S.REFERRAL, frozenset({T, P})),
    StepSpec(S.SERVICE, frozenset({P})),
    StepSpec(S.ARCHIVING, frozenset({P})),
    StepSpec(S.SETTLEMENT, frozenset({T, C}), holds_cases=False),
    StepSpec(S.DYNAMIC_MANAGEMENT, frozenset({T})),
    StepSpec(S.OVERSIGHT, frozenset({C, V}), holds_cases=False),
)

NEW: frozenset[Step] = frozenset()  # the opening action needs no case yet
BEFORE_DECISION = frozenset({S.REGISTRATION, S.SURVEY, S.REVIEW})  # still withdrawable; the intake clock runs
IN_SERVICE = frozenset({S.ARCHIVING, S.DYNAMIC_MANAGEMENT})  # services delivered and recorded
ANY_OPEN = frozenset(spec.step for spec in STEPS if spec.holds_cases)
TIMED = frozenset({S.REGISTRATION, S.SURVEY, S.REVIEW, S.REFERRAL, S.SERVICE, S.ARCHIVING, S.DYNAMIC_MANAGEMENT})


def _refused(form: ReviewForm) -> bool:
    return form.decision is ReviewDecision.REFUSE


def _accepted(form: RespondForm) -> bool:
    return form.accept


def _heard_first(form: ProposeForm) -> bool:
    return form.kind.needs_hearing


def _stops(form: DecideForm) -> bool:
    return form.result is DecisionResult.STOP


def at(*steps: Step) -> frozenset[Step]:
    return frozenset(steps)


def by(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


# Act(action, its form, taken at steps, by roles, (leads: the first whose `when` holds), the activity writing it,
#     requires=what must hold of the case, checks=what must hold of the form)
OPEN = Act(Action.OPEN, OpenForm, NEW, by(A, V, T), (go(S.REGISTRATION, T),), writes.open_case)
REGISTER = Act(Action.REGISTER, RegisterForm, at(S.REGISTRATION), by(T),
               (go(S.SURVEY, V, do.assign_to_asker),), writes.register)
RETURN_INCOMPLETE = Act(Action.RETURN_INCOMPLETE, ReturnForm, at(S.REGISTRATION), by(T),
                        (wait_for_applicant(S.REGISTRATION),), writes.return_incomplete)
RESUBMIT = Act(Action.RESUBMIT, ResubmitForm, at(S.REGISTRATION), by(T, V, A),
               (go(S.REGISTRATION, T),), writes.resubmit,
               requires=(must.materials_were_returned,), while_awaiting_applicant=True)
SURVEY = Act(Action.SURVEY, SurveyForm, at(S.SURVEY), by(T, V), (go(S.REVIEW, T),), writes.record_survey)
REVIEW = Act(Action.REVIEW, ReviewForm, at(S.REVIEW), by(T),
             (end(Outcome.REFUSED, when=_refused, label="不予确认"),
              go(S.REFERRAL, T, do.assign_to_asker, do.keep_approved_items, label="确认")), writes.review)
REFER = Act(Action.REFER, ReferForm, at(S.REFERRAL), by(T), (go(S.REFERRAL, P, do.hand_to_provider),),
            writes.refer, requires=(must.not_with_provider,), checks=(must.provider_has_not_declined,))
RESPOND = Act(Action.RESPOND, RespondForm, at(S.REFERRAL), by(P),
              (go(S.SERVICE, P, when=_accepted, label="承接"),
               go(S.REFERRAL, T, do.remember_decline, label="拒绝")),
              writes.respond_referral, requires=(must.with_provider,))
FILE_PLAN = Act(Action.FILE_PLAN, PlanForm, at(S.SERVICE), by(P), (go(S.ARCHIVING, P),), writes.file_plan,
                checks=(must.plan_within_approval,))
BUILD_ARCHIVE = Act(Action.BUILD_ARCHIVE, ArchiveForm, at(S.ARCHIVING), by(P),
                    (go(S.DYNAMIC_MANAGEMENT, T, do.unassign, do.schedule_monthly_review, do.quiet_unless_task),),
                    writes.build_archive)
WITHDRAW = Act(Action.WITHDRAW, WithdrawForm, BEFORE_DECISION, by(T, A), (end(Outcome.WITHDRAWN),),
               writes.withdraw, while_awaiting_applicant=True)
CLOSE = Act(Action.CLOSE, CloseForm, at(S.REFERRAL), by(T), (end(Outcome.NO_PROVIDER),), writes.close_case,
            requires=(must.not_with_provider,))
# 先行救助 (001 三(六)1, 003 二(三)): before the review a case may be marked urgent; a provider under an agreement
# starts short-term care at once while survey and review go on under their own deadlines (the case stays where
# it is). A village assistant's mark is a request; the township confirms it. The care's records, its cap and its
# end at a refusal live in activities/urgent/.
BEFORE_REVIEW = frozenset({S.REGISTRATION, S.SURVEY})
MARK_URGENT = Act(Action.MARK_URGENT, UrgentForm, BEFORE_REVIEW, by(T, V), (stay(do.mark_urgent),),
                  writes.mark_urgent, requires=(must.not_urgent,), while_awaiting_applicant=True)
CONFIRM_URGENT = Act(Action.CONFIRM_URGENT, ConfirmUrgentForm, BEFORE_REVIEW | at(S.REVIEW), by(T),
                     (stay(do.confirm_urgent),), writes.confirm_urgent, requires=(must.urgent_requested,),
                     while_awaiting_applicant=True)
# 动态管理 (step 9). A status change (an event, or the monthly review) opens a task for the township: the case's
# own deadline (workflows/case.py takes events in; that is the workflow's work, not a row). The township finds
# no change needed, or proposes one: a reduction or stop is first told to the recipient, who holds the case
# while heard (陈述申辩, a durable timer); the decision comes after the statement or after the period lapsed.
DM = S.DYNAMIC_MANAGEMENT
STOP = Act(Action.STOP, StopForm, at(S.SERVICE) | IN_SERVICE, by(T), (end(Outcome.STOPPED),),
           writes.stop_services)
DISMISS_TASK = Act(Action.DISMISS_TASK, DismissForm, at(DM), by(T), (go(DM, None, do.close_task),),
                   writes.dismiss_task, requires=(must.task_open, must.no_proposal))
PROPOSE = Act(Action.PROPOSE, ProposeForm, at(DM), by(T),
              (go(DM, A, do.start_proposal, when=_heard_first, label="告知，听取陈述申辩"),
               go(DM, T, do.start_proposal, label="增加服务事项")),
              writes.propose_change, requires=(must.no_proposal,), checks=(must.change_fits_kind,))
RECORD_STATEMENT = Act(Action.RECORD_STATEMENT, StatementForm, at(DM), by(A, V, T),
                       (go(DM, T, do.statement_recorded),), writes.record_statement, requires=(must.hearing_open,))
DECIDE = Act(Action.DECIDE, DecideForm, at(DM), by(T),
             (end(Outcome.STOPPED, when=_stops, label="终止"), go(DM, None, do.apply_decision, label="变更或维持")),
             writes.decide_change, requires=(must.proposal_pending, must.heard),
             checks=(must.decision_matches_proposal,))
ACKNOWLEDGE = Act(Action.ACKNOWLEDGE, AcknowledgeForm, at(DM), by(P), (stay(do.acknowledged),),
                  writes.acknowledge_change, requires=(must.change_unacknowledged,))
TRANSFER = Act(Action.TRANSFER, TransferForm, at(DM), by(T), (go(DM, T, do.move_village),), writes.transfer,
               requires=(must.no_proposal,), checks=(must.transfer_within_county,))
# A supervisor's moves on a running deadline or a blocked case: the case stays where it is.
SUSPEND = Act(Action.SUSPEND, SuspendForm, BEFORE_DECISION, by(T), (stay(),), writes.suspend_deadline,
              requires=(must.deadline_not_suspended,))
RESUME = Act(Action.RESUME, ResumeForm, BEFORE_DECISION, by(T), (stay(),), writes.resume_deadline,
             requires=(must.deadline_suspended_by_worker,))
EXTEND = Act(Action.EXTEND, ExtendForm, TIMED, by(C), (stay(),), writes.extend_deadline,
             requires=(must.deadline_not_extended,), while_awaiting_applicant=True)
REASSIGN = Act(Action.REASSIGN, ReassignForm, ANY_OPEN, by(T, C), (stay(do.assign_to_named),), writes.reassign,
               requires=(must.lead_or_county, must.township_worker_to_change), checks=(must.reassignment_fits,))
RETRY = Act(Action.RETRY, RetryForm, ANY_OPEN, by(T, C), (stay(do.clear_blocked),), writes.retry_blocked,
            requires=(must.automatic_work_blocked,), while_awaiting_applicant=True)

ACTIONS: tuple[Act[Any], ...] = (
    OPEN, REGISTER, RETURN_INCOMPLETE, RESUBMIT, SURVEY, REVIEW, REFER, RESPOND, FILE_PLAN, BUILD_ARCHIVE,
    WITHDRAW, CLOSE, STOP, DISMISS_TASK, PROPOSE, RECORD_STATEMENT, DECIDE, ACKNOWLEDGE, TRANSFER,
    SUSPEND, RESUME, EXTEND, REASSIGN, RETRY, MARK_URGENT, CONFIRM_URGENT,
)
BY_NAME: dict[str, Act[Any]] = {a.action.value: a for a in ACTIONS}
STEP_OF: dict[Step, StepSpec] = {spec.step: spec for spec in STEPS}

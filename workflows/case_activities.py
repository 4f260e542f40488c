"""What the case workflow asks of the activities layer: one method per side effect, called by reference
(`workflow.execute_local_activity_method(CaseActivities.register, ...)`), so no activity is named by a string.

The bodies live in `activities/case/` and `activities/deadlines/`, in classes that subclass this one and override
each method with the same name (the worker registers them from one list; a test checks every method here has
exactly one implementation). Each step's activity writes its record, the audit row, the case projection and the
next deadline in one transaction, idempotent on (case_id, seq).
"""

from __future__ import annotations

from temporalio import activity

from models.payloads.case import DeadlinePlan
from models.payloads.dynamic import (
    AcknowledgeForm,
    DecideForm,
    DismissForm,
    EventRef,
    Proposal,
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
from models.payloads.jobs import (
    BlockedInput,
    CaseIds,
    CasePageQuery,
    EscalateInput,
    RecomputeInput,
    ReviewDue,
    ReviewOutcome,
    StepRecord,
    StepSaved,
)
from models.payloads.urgent import ConfirmUrgentForm, UrgentForm

_NOT_HERE = "implemented in activities/"


class CaseActivities:
    # ---- a person's steps (local activities inside the update) -----------------------------------------

    @activity.defn
    async def open_case(self, record: StepRecord[OpenForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def register(self, record: StepRecord[RegisterForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def return_incomplete(self, record: StepRecord[ReturnForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def resubmit(self, record: StepRecord[ResubmitForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def record_survey(self, record: StepRecord[SurveyForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def review(self, record: StepRecord[ReviewForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def refer(self, record: StepRecord[ReferForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def respond_referral(self, record: StepRecord[RespondForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def file_plan(self, record: StepRecord[PlanForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def build_archive(self, record: StepRecord[ArchiveForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def withdraw(self, record: StepRecord[WithdrawForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def close_case(self, record: StepRecord[CloseForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def stop_services(self, record: StepRecord[StopForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def dismiss_task(self, record: StepRecord[DismissForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def propose_change(self, record: StepRecord[ProposeForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def record_statement(self, record: StepRecord[StatementForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def decide_change(self, record: StepRecord[DecideForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def acknowledge_change(self, record: StepRecord[AcknowledgeForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def transfer(self, record: StepRecord[TransferForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def suspend_deadline(self, record: StepRecord[SuspendForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def resume_deadline(self, record: StepRecord[ResumeForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def extend_deadline(self, record: StepRecord[ExtendForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def reassign(self, record: StepRecord[ReassignForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def retry_blocked(self, record: StepRecord[RetryForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def mark_urgent(self, record: StepRecord[UrgentForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def confirm_urgent(self, record: StepRecord[ConfirmUrgentForm]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    # ---- the workflow's own transitions in 动态管理 (local activities, like a person's step) ------------------

    @activity.defn
    async def take_status_event(self, record: StepRecord[EventRef]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def hearing_lapsed(self, record: StepRecord[Proposal]) -> StepSaved:
        raise NotImplementedError(_NOT_HERE)

    # ---- the workflow's own work (activities with retries; blocked after BACKGROUND_ATTEMPTS) ---------------

    @activity.defn
    async def monthly_review(self, due: ReviewDue) -> ReviewOutcome:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def escalate(self, job: EscalateInput) -> None:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def recompute_deadline(self, job: RecomputeInput) -> DeadlinePlan | None:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def mark_blocked(self, job: BlockedInput) -> None:
        raise NotImplementedError(_NOT_HERE)

    @activity.defn
    async def provisional_cases(self, query: CasePageQuery) -> CaseIds:
        raise NotImplementedError(_NOT_HERE)

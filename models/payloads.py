"""Workflow payloads: what the API sends to a case workflow and what the workflow hands its activities.

Pure pydantic over the standard library and `workflows.steps`, so workflow modules can import it inside
the sandbox. Payloads carry ids and codes, never an ID number; free text a worker types (notes, reasons)
travels encrypted by the payload codec.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from workflows.steps import Role, Step

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
DivisionCode = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
ItemCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{2,32}$")]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Outcome(StrEnum):
    REFUSED = "refused"  # 审核不予确认
    WITHDRAWN = "withdrawn"  # 申请人撤回
    NO_PROVIDER = "no_provider"  # 无服务供给主体承接
    STOPPED = "stopped"  # 动态管理停止服务


class Action(StrEnum):
    """Each human action on a case, and the activity that writes it, share this name."""

    OPEN = "open"
    REGISTER = "register"
    RETURN_INCOMPLETE = "return_incomplete"
    RESUBMIT = "resubmit"
    SURVEY = "survey"
    REVIEW = "review"
    REFER = "refer"
    RESPOND = "respond_referral"
    FILE_PLAN = "file_plan"
    BUILD_ARCHIVE = "build_archive"
    WITHDRAW = "withdraw"
    CLOSE = "close"
    STOP = "stop_services"
    SUSPEND = "suspend_deadline"
    RESUME = "resume_deadline"
    EXTEND = "extend_deadline"
    REASSIGN = "reassign"
    RETRY = "retry_blocked"
    # Automatic, not a person's action:
    MONTHLY_REVIEW = "monthly_review"
    ESCALATE = "escalate"
    RECOMPUTE = "recompute_deadline"
    MARK_BLOCKED = "mark_blocked"
    PROVISIONAL_CASES = "provisional_cases"
    STATEMENT_DEADLINE = "statement_deadline"
    STATEMENT_ESCALATE = "statement_escalate"


ACTION_ZH: dict[str, str] = {
    Action.OPEN: "提出申请",
    Action.REGISTER: "受理登记",
    Action.RETURN_INCOMPLETE: "退回补充材料",
    Action.RESUBMIT: "补齐材料重新提交",
    Action.SURVEY: "录入入户调查",
    Action.REVIEW: "审核确认",
    Action.REFER: "转介服务供给主体",
    Action.RESPOND: "服务供给主体答复转介",
    Action.FILE_PLAN: "制定服务方案",
    Action.BUILD_ARCHIVE: "建立服务档案",
    Action.WITHDRAW: "撤回申请",
    Action.CLOSE: "无承接主体结案",
    Action.STOP: "停止服务",
    Action.SUSPEND: "办理时限暂停(等待申请人)",
    Action.RESUME: "办理时限恢复计算",
    Action.EXTEND: "办理时限延长",
    Action.REASSIGN: "改派经办人",
    Action.RETRY: "重试自动处理",
    Action.MONTHLY_REVIEW: "月度动态复核",
    Action.ESCALATE: "时限提醒",
    Action.RECOMPUTE: "重算办理时限",
    Action.MARK_BLOCKED: "自动处理受阻",
    Action.PROVISIONAL_CASES: "查找暂按工作日计算的案件",
    Action.STATEMENT_DEADLINE: "结算单审核时限",
    Action.STATEMENT_ESCALATE: "结算单审核时限提醒",
}


class Channel(StrEnum):
    WINDOW = "window"  # 乡镇(街道)窗口申请
    ONLINE = "online"  # 线上申请(微信公众号 / 皖事通)
    DISCOVERY = "discovery"  # 协理员主动发现


class NeedCategory(StrEnum):
    CARE = "care"  # 照护服务类
    LIVING = "living"  # 生活服务类
    WELLBEING = "wellbeing"  # 关爱服务类


class Dimension(StrEnum):
    """The seven needs-assessment dimensions of 000 二(一)."""

    ECONOMY = "economy"  # 经济
    HEALTH = "health"  # 健康
    EDUCATION = "education"  # 教育
    HOUSING = "housing"  # 居住
    EMPLOYMENT = "employment"  # 就业
    GUARDIANSHIP = "guardianship"  # 监护
    SOCIAL_INTEGRATION = "social_integration"  # 社会融入


class Benefit(StrEnum):
    """Existing benefits that already meet a need (000 二(六)): such a need is not served again."""

    MATERIAL_ASSISTANCE = "material_assistance"  # 物质救助
    LONG_TERM_CARE_INSURANCE = "long_term_care_insurance"  # 长期护理保险
    DISABILITY_CARE_SUBSIDY = "disability_care_subsidy"  # 重度残疾人护理补贴


class SurveyorRole(StrEnum):
    VILLAGE_STAFF = "village_staff"  # 村(社区)工作人员
    ASSISTANT = "assistant"  # 社会救助协理员


class DocumentKind(StrEnum):
    """The one-person file checklist of 001 四(七)."""

    ID_CARD = "id_card"  # 身份证复印件
    HOUSEHOLD_REGISTER = "household_register"  # 户口本复印件
    ILLNESS_CERTIFICATE = "illness_certificate"  # 疾病证明
    DISABILITY_CERTIFICATE = "disability_certificate"  # 残疾证
    ASSISTANCE_CERTIFICATE = "assistance_certificate"  # 社会救助对象相关证明
    NEEDS_FORM = "needs_form"  # 需求认定表
    SERVICE_RECORD_FORM = "service_record_form"  # 接受救助服务情况表


class Actor(Payload):
    """Who asks: taken from the bearer token by the API, never from the request body."""

    user_id: UUID
    role: Role
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^\d{2,12}$")]
    provider_id: UUID | None = None
    person_id: UUID | None = None
    # A township lead (分管领导): may reassign cases and receives due-date notices.
    lead: bool = False


class Holding(Payload):
    """Where a case stands: the part of the state the projection shows."""

    step: Step
    status: CaseStatus = CaseStatus.OPEN
    holder_role: Role | None
    assignee_id: UUID | None = None
    provider_id: UUID | None = None
    outcome: Outcome | None = None
    awaiting_applicant: bool = False


# ---- step forms (one per human action; also the API's request bodies) ------------------------------


class OpenForm(Payload):
    person_id: UUID
    village_code: DivisionCode
    channel: Channel
    need_description: Text


class RegisterForm(Payload):
    need_category: NeedCategory
    note: Text | None = None


class ReturnForm(Payload):
    missing: list[Text] = Field(min_length=1, max_length=20)


class ResubmitForm(Payload):
    note: Text | None = None


class Surveyor(Payload):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
    role: SurveyorRole


class Assessment(Payload):
    dimension: Dimension
    # 0 = no difficulty … 4 = severe difficulty.
    score: int = Field(ge=0, le=4)
    note: Text | None = None


class SurveyForm(Payload):
    visited_on: date
    surveyors: list[Surveyor] = Field(min_length=2, max_length=2)
    identity_checked: bool
    signed_by_both: bool
    assessments: list[Assessment] = Field(min_length=7, max_length=7)
    own_requests: Text
    existing_benefits: list[Benefit] = Field(default_factory=list, max_length=3)

    @model_validator(mode="after")
    def _complete(self) -> SurveyForm:
        if {a.dimension for a in self.assessments} != set(Dimension):
            raise ValueError("needs assessment must cover each of the seven dimensions exactly once")
        if {s.role for s in self.surveyors} != set(SurveyorRole):
            raise ValueError("the survey team is one village staff member and one assistant")
        if not (self.identity_checked and self.signed_by_both):
            raise ValueError("a survey is recorded only after the identity check, signed by both surveyors")
        if self.surveyors[0].name == self.surveyors[1].name:
            raise ValueError("the two surveyors must be different people")
        return self


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


class DifficultyDegree(StrEnum):
    MILD = "mild"  # 一般困难
    MODERATE = "moderate"  # 比较困难
    SEVERE = "severe"  # 特别困难


class ItemQuantity(Payload):
    item_code: ItemCode
    quantity_per_month: int = Field(ge=1, le=400)


class ReviewForm(Payload):
    decision: ReviewDecision
    reasons: Text
    difficulty_type: Text | None = None
    difficulty_degree: DifficultyDegree | None = None
    items: list[ItemQuantity] = Field(default_factory=list, max_length=14)

    @model_validator(mode="after")
    def _approval_complete(self) -> ReviewForm:
        if self.decision is ReviewDecision.APPROVE:
            if not self.items or self.difficulty_type is None or self.difficulty_degree is None:
                raise ValueError("an approval names the difficulty type, degree and at least one item")
            if len({i.item_code for i in self.items}) != len(self.items):
                raise ValueError("each service item appears once")
        elif self.items:
            raise ValueError("a refusal approves no service items")
        return self


class ReferForm(Payload):
    provider_id: UUID


class RespondForm(Payload):
    accept: bool
    reason: Text | None = None

    @model_validator(mode="after")
    def _reason_for_decline(self) -> RespondForm:
        if not self.accept and self.reason is None:
            raise ValueError("a provider that declines says why")
        return self


class PlanForm(Payload):
    starts_on: date
    summary: Text
    items: list[ItemQuantity] = Field(min_length=1, max_length=14)


class ArchiveDocument(Payload):
    kind: DocumentKind
    file_id: UUID | None = None
    missing_reason: Text | None = None

    @model_validator(mode="after")
    def _file_or_reason(self) -> ArchiveDocument:
        if (self.file_id is None) == (self.missing_reason is None):
            raise ValueError("each document is either an uploaded file or marked missing with a reason")
        return self


class ArchiveForm(Payload):
    documents: list[ArchiveDocument] = Field(min_length=len(DocumentKind), max_length=len(DocumentKind))

    @model_validator(mode="after")
    def _checklist(self) -> ArchiveForm:
        if {d.kind for d in self.documents} != set(DocumentKind):
            raise ValueError("the checklist covers every document kind exactly once")
        return self


class WithdrawForm(Payload):
    reason: Text


class CloseForm(Payload):
    reason: Text


class StopForm(Payload):
    """Stopping services needs the recipient heard first (陈述申辩) and a written decision."""

    reason: Text
    hearing_record: Text
    effective_on: date


FormT = TypeVar("FormT", bound=Payload)


class Command(Payload, Generic[FormT]):
    """An update's input: who asks (from the bearer token, never the request body) and their form."""

    actor: Actor
    form: FormT


class SuspendForm(Payload):
    """The case waits on the applicant (e.g. 补充材料): the deadline clock stops where it is."""

    reason: Text


class ResumeForm(Payload):
    note: Text | None = None


class ExtendForm(Payload):
    """Once per deadline, by a county officer, with a reason."""

    working_days: int = Field(ge=1, le=20)
    reason: Text


class ReassignForm(Payload):
    # None hands the case back to the township's queue (its worker was deactivated): any township worker of the
    # township may take it, and the supervisor's stuck view lists it as unassigned.
    assignee_id: UUID | None
    reason: Text | None = None


class RetryForm(Payload):
    note: Text | None = None


class Rung(StrEnum):
    REMINDER = "reminder"  # to whoever holds the case, before the due date
    DUE = "due"  # to the township lead, on the due date
    OVERDUE = "overdue"  # to the county, after it


class RungAt(Payload):
    rung: Rung
    at: datetime


class DeadlinePlan(Payload):
    """The current step's deadline as the workflow arms it. `seq` names the deadline (the transition that
    started it): each rung fires once per (case, seq), however often the plan is recomputed."""

    seq: int
    step: Step
    due_on: date
    provisional: bool
    suspended: bool = False
    extended: bool = False
    rungs: list[RungAt] = Field(default_factory=list)


class StepResult(Payload):
    case_id: UUID
    seq: int
    holding: Holding
    at: datetime
    service_no: str | None = None
    due_on: date | None = None
    due_provisional: bool = False


# ---- workflow state and activity inputs ---------------------------------------------------------


class CaseState(Payload):
    """Everything a run carries into the next one at continue-as-new; kept small on purpose."""

    case_id: UUID
    person_id: UUID
    village_code: DivisionCode
    holding: Holding
    seq: int = 0
    approved: list[ItemQuantity] = Field(default_factory=list)
    declined_by: list[UUID] = Field(default_factory=list)
    # The server de-duplicates update ids only within a run: carry the recent ones across runs.
    recent_update_ids: list[str] = Field(default_factory=list)
    last_review_period: str | None = None
    next_review: datetime | None = None
    deadline: DeadlinePlan | None = None
    fired: list[Rung] = Field(default_factory=list)
    blocked: str | None = None


class Transition(Payload):
    """One step of a case, as the activity writes it: the business key is (case_id, seq)."""

    case_id: UUID
    seq: int
    action: Action
    actor: Actor
    before: Holding | None
    after: Holding
    at: datetime


class Record(Payload, Generic[FormT]):
    """A transition plus the body of the update that caused it: what a step's activity writes."""

    transition: Transition
    body: FormT


class StepWritten(Payload):
    at: datetime
    service_no: str | None = None
    deadline: DeadlinePlan | None = None


class EscalateInput(Payload):
    case_id: UUID
    deadline: DeadlinePlan
    rung: Rung
    at: datetime


class StatementDeadlineInput(Payload):
    statement_id: UUID
    at: datetime


class StatementEscalateInput(Payload):
    statement_id: UUID
    deadline: DeadlinePlan
    rung: Rung
    at: datetime


class BlockedInput(Payload):
    case_id: UUID
    action: Action
    reason: Annotated[str, StringConstraints(max_length=500)]
    at: datetime


class RecomputeInput(Payload):
    case_id: UUID
    at: datetime


class ReloadInput(Payload):
    """A year's calendar was loaded: every open case with a provisional deadline is recomputed."""

    year: int
    after: UUID | None = None  # where a continued run resumes
    signalled: int = 0


class CasePageQuery(Payload):
    after: UUID | None
    limit: int = Field(ge=1, le=1000)


class CaseIds(Payload):
    ids: list[UUID]


class ReviewDue(Payload):
    case_id: UUID
    at: datetime
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]


class ReviewOutcome(Payload):
    still_eligible: bool


class CaseStart(Payload):
    """Workflow input: a new case (state None, filled by the open update) or a continued one."""

    case_id: UUID
    state: CaseState | None = None

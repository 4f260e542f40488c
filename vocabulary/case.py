"""The words of a case: who acts, the ten steps, every action, and the values a case's forms take. Each member
carries its Chinese label (seed 001 四、服务流程 and 000 二); nothing else spells these as free strings."""

from __future__ import annotations

from vocabulary.labels import Labelled


class Role(Labelled):
    APPLICANT = "applicant", "申请人"
    VILLAGE_ASSISTANT = "village_assistant", "村(社区)社会救助协理员"
    TOWNSHIP_WORKER = "township_worker", "乡镇(街道)社会救助工作人员"
    COUNTY_OFFICER = "county_officer", "县级民政部门"
    PROVIDER = "provider", "服务供给主体"
    AUDITOR = "auditor", "审计/纪检"


class Step(Labelled):
    """The ten steps of 池州方案 四、服务流程, in order."""

    APPLICATION = "application", "个人申请或主动发现"
    REGISTRATION = "registration", "受理登记"
    SURVEY = "survey", "入户调查"
    REVIEW = "review", "审核确认"
    REFERRAL = "referral", "转介服务"
    SERVICE = "service", "开展服务"
    ARCHIVING = "archiving", "建立档案"
    SETTLEMENT = "settlement", "资金结算"
    DYNAMIC_MANAGEMENT = "dynamic_management", "动态管理"
    OVERSIGHT = "oversight", "监督管理"

    @property
    def number(self) -> int:
        return list(Step).index(self) + 1


class CaseStatus(Labelled):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


class Outcome(Labelled):
    """How a case ended."""

    REFUSED = "refused", "审核不予确认"
    WITHDRAWN = "withdrawn", "申请人撤回"
    NO_PROVIDER = "no_provider", "无服务供给主体承接"
    STOPPED = "stopped", "动态管理停止服务"
    DECEASED = "deceased", "服务对象死亡，终止服务"


class Action(Labelled):
    """Each action on a case. A person's action is a Workflow Update of this name (workflows/process.py says
    where and by whom it may be taken); the automatic ones are the workflow's own work."""

    OPEN = "open", "提出申请"
    REGISTER = "register", "受理登记"
    RETURN_INCOMPLETE = "return_incomplete", "退回补充材料"
    RESUBMIT = "resubmit", "补齐材料重新提交"
    SURVEY = "survey", "录入入户调查"
    REVIEW = "review", "审核确认"
    REFER = "refer", "转介服务供给主体"
    RESPOND = "respond_referral", "服务供给主体答复转介"
    FILE_PLAN = "file_plan", "制定服务方案"
    BUILD_ARCHIVE = "build_archive", "建立服务档案"
    WITHDRAW = "withdraw", "撤回申请"
    CLOSE = "close", "无承接主体结案"
    STOP = "stop_services", "依本人书面申请停止服务"
    DISMISS_TASK = "dismiss_task", "核实身份变动：无需变更服务"
    PROPOSE = "propose_change", "拟变更或拟终止服务(告知)"
    RECORD_STATEMENT = "record_statement", "记录陈述申辩"
    DECIDE = "decide_change", "作出变更或终止服务决定"
    ACKNOWLEDGE = "acknowledge_change", "服务供给主体确认服务变更"
    TRANSFER = "transfer", "县内迁移：转至新乡镇(街道)"
    SUSPEND = "suspend_deadline", "办理时限暂停(等待申请人)"
    RESUME = "resume_deadline", "办理时限恢复计算"
    EXTEND = "extend_deadline", "办理时限延长"
    REASSIGN = "reassign", "改派经办人"
    RETRY = "retry_blocked", "重试自动处理"
    MARK_URGENT = "mark_urgent", "突发情况：先行救助"
    CONFIRM_URGENT = "confirm_urgent", "确认先行救助"
    # Automatic: the workflow's own work, never a person's update.
    MONTHLY_REVIEW = "monthly_review", "月度动态复核"
    ESCALATE = "escalate", "时限提醒"
    RECOMPUTE = "recompute_deadline", "重算办理时限"
    MARK_BLOCKED = "mark_blocked", "自动处理受阻"
    OPEN_TASK = "status_event", "身份变动：动态管理任务"
    HEARING_LAPSED = "hearing_lapsed", "陈述申辩期限届满"


class Channel(Labelled):
    WINDOW = "window", "乡镇(街道)窗口申请"
    ONLINE = "online", "线上申请"
    DISCOVERY = "discovery", "协理员主动发现"
    MONITORING = "monitoring", "动态监测新纳入对象需求摸排"


class NeedCategory(Labelled):
    """The three classes of the service list (000 二(二)): a registered need, and a service item's class."""

    CARE = "care", "照护服务类"
    LIVING = "living", "生活服务类"
    WELLBEING = "wellbeing", "关爱服务类"


class Dimension(Labelled):
    """The seven needs-assessment dimensions of 000 二(一)."""

    ECONOMY = "economy", "经济"
    HEALTH = "health", "健康"
    EDUCATION = "education", "教育"
    HOUSING = "housing", "居住"
    EMPLOYMENT = "employment", "就业"
    GUARDIANSHIP = "guardianship", "监护"
    SOCIAL_INTEGRATION = "social_integration", "社会融入"


class Benefit(Labelled):
    """Existing benefits that already meet a need (000 二(六)): such a need is not served again."""

    MATERIAL_ASSISTANCE = "material_assistance", "物质救助"
    LONG_TERM_CARE_INSURANCE = "long_term_care_insurance", "长期护理保险"
    DISABILITY_CARE_SUBSIDY = "disability_care_subsidy", "重度残疾人护理补贴"


class SurveyorRole(Labelled):
    VILLAGE_STAFF = "village_staff", "村(社区)工作人员"
    ASSISTANT = "assistant", "社会救助协理员"


class DocumentKind(Labelled):
    """The one-person file checklist of 001 四(七)."""

    ID_CARD = "id_card", "身份证复印件"
    HOUSEHOLD_REGISTER = "household_register", "户口本复印件"
    ILLNESS_CERTIFICATE = "illness_certificate", "疾病证明"
    DISABILITY_CERTIFICATE = "disability_certificate", "残疾证"
    ASSISTANCE_CERTIFICATE = "assistance_certificate", "社会救助对象相关证明"
    NEEDS_FORM = "needs_form", "需求认定表"
    SERVICE_RECORD_FORM = "service_record_form", "接受救助服务情况表"


class ReviewDecision(Labelled):
    APPROVE = "approve", "确认"
    REFUSE = "refuse", "不予确认"


class DifficultyDegree(Labelled):
    MILD = "mild", "一般困难"
    MODERATE = "moderate", "比较困难"
    SEVERE = "severe", "特别困难"


class Rung(Labelled):
    """The escalation ladder of a deadline."""

    REMINDER = "reminder", "即将到期"  # to whoever holds the case, before the due date
    DUE = "due", "今日到期"  # to the township lead, on the due date
    OVERDUE = "overdue", "已逾期"  # to the county, after it

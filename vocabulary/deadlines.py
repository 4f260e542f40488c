"""The county's deadline rules (working days; policy/deadlines.py holds the defaults) and why the supervisor's
view shows a case."""

from __future__ import annotations

from vocabulary.labels import Labelled


class DeadlineRule(Labelled):
    INTAKE = "intake", "申请至审核确认总时限"
    REGISTRATION = "registration", "受理登记"
    SURVEY = "survey", "入户调查"
    REVIEW = "review", "审核确认"
    REFERRAL = "referral", "转介服务(乡镇转介)"
    REFERRAL_RESPONSE = "referral_response", "转介服务(服务供给主体答复)"
    SERVICE_PLAN = "service_plan", "开展服务(制定服务方案)"
    ARCHIVING = "archiving", "建立档案"
    SETTLEMENT_APPROVAL = "settlement_approval", "资金结算(结算单审核)"
    OBJECTION_VERIFICATION = "objection_verification", "监督管理(公示异议核实)"
    OBJECTION_CHANGE = "objection_change", "监督管理(异议成立后启动变更)"
    RECTIFICATION = "rectification", "监督管理(服务供给主体整改)"
    RECTIFICATION_REVIEW = "rectification_review", "监督管理(县级核验整改)"
    COMPLAINT_ACCEPTANCE = "complaint_acceptance", "投诉受理"
    COMPLAINT_RESOLUTION = "complaint_resolution", "投诉办理答复"
    COMPLAINT_RETURN_VISIT = "complaint_return_visit", "投诉回访"
    COMPLAINT_EXTENSION_MAX = "complaint_extension_max", "投诉办理延期上限"
    DYNAMIC_TASK = "dynamic_task", "动态管理(核实身份变动)"
    HEARING_PERIOD = "hearing_period", "陈述申辩期限"
    DYNAMIC_DECISION = "dynamic_decision", "动态管理(作出书面决定)"
    SCREENING = "screening", "新纳入对象需求摸排"
    REMINDER_BEFORE = "reminder_before", "到期前提醒提前天数"


class StuckReason(Labelled):
    OVERDUE = "overdue", "已逾期"
    DUE_SOON = "due_soon", "即将到期"
    IDLE = "idle", "长时间未办理"
    BLOCKED = "blocked", "自动处理受阻"
    UNASSIGNED = "unassigned", "待重新分派"  # its worker was deactivated: back in the township's queue
    URGENT_UNREVIEWED = "urgent_unreviewed", "先行救助待审核"  # care started before the review (vocabulary/urgent.py)

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
    REMINDER_BEFORE = "reminder_before", "到期前提醒提前天数"


class StuckReason(Labelled):
    OVERDUE = "overdue", "已逾期"
    DUE_SOON = "due_soon", "即将到期"
    IDLE = "idle", "长时间未办理"
    BLOCKED = "blocked", "自动处理受阻"
    UNASSIGNED = "unassigned", "待重新分派"  # its worker was deactivated: back in the township's queue

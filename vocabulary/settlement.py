"""The words of monthly settlement (资金结算): funding sources (001 三(四)), purchase agreements (000 二(六)),
statements, the 1% check, payment files, and why a service record was not paid."""

from __future__ import annotations

from vocabulary.labels import Labelled


class FundingSource(Labelled):
    TEKUN_CARE = "tekun_care", "特困人员照料护理经费"
    TEMPORARY_ASSISTANCE = "temporary_assistance", "临时救助经费"
    # Capped: at most 1% of the locally pooled assistance funds (001 三(四)3).
    WORK_FUNDS = "assistance_work_funds", "社会救助工作经费或社会救助专项经费"
    HOME_ELDERLY_CARE = "home_elderly_care", "居家养老服务经费"
    DISABILITY_REHABILITATION = "disability_rehabilitation", "残疾人康复服务经费"
    MINOR_PROTECTION = "minor_protection", "未成年人保护经费"
    OTHER_SERVICE_ASSISTANCE = "other_service_assistance", "其他服务类救助经费"
    CHARITY = "charity", "慈善救助资金"


class ServiceUnit(Labelled):
    VISIT = "visit", "次"
    HOUR = "hour", "小时"
    MEAL = "meal", "餐"
    MONTH = "month", "月"


class AgreementStatus(Labelled):
    """A government purchase of services goes 立项 → 实施 → 验收, forward only."""

    INITIATED = "initiated", "立项"
    IMPLEMENTING = "implementing", "实施"
    ACCEPTED = "accepted", "验收"


class StatementStatus(Labelled):
    DRAFT = "draft", "待审批"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审批"
    PAID = "paid", "已支付"


LOCKED: frozenset[StatementStatus] = frozenset({StatementStatus.APPROVED, StatementStatus.PAID})


class FundCheckStatus(Labelled):
    WITHIN = "within", "未超过1%"
    OVER = "over", "超过1%"
    UNCONFIGURED = "unconfigured", "未登记本年度统筹救助资金总额"


class FileKind(Labelled):
    XLSX = "xlsx", "结算明细表(XLSX)"
    CSV = "csv", "银行代发文件(CSV)"


class UnpaidReason(Labelled):
    """Why a confirmed service record was set aside instead of paid (a settlement exception)."""

    NOT_IN_PLAN = "not_in_plan", "不在本案件服务方案内"
    NO_AGREEMENT = "no_agreement", "服务日期无有效的政府购买服务协议"
    NO_FEE_STANDARD = "no_fee_standard", "服务日期无适用的收费标准"
    STATEMENT_LOCKED = "statement_locked", "当期结算单已审批锁定，转入下期结算"


class LineKind(Labelled):
    REGULAR = "regular", "本月"
    ADJUSTMENT = "adjustment", "补结"
    CLAWBACK = "clawback", "追回"  # a paid record a later decision or a spot check disallowed (negative)


class RecordOutcome(Labelled):
    """How the ledger settled one service record."""

    PAID = "paid", "已结算"
    OVER_PLAN = "over_plan", "超出服务方案数量，不予结算"
    PARTLY_OVER_PLAN = "partly_over_plan", "部分超出服务方案数量"
    DUPLICATE = "duplicate", "重复记录，不予结算"
    NOT_ALLOWED = "not_allowed", "服务变更或停止决定生效后的服务，不予结算"
    DISALLOWED = "disallowed", "经核查不予结算"

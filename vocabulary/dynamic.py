"""The words of dynamic management (动态管理, step 9, seed 001 四(九)): status changes of a recipient, where they
come from, the changes a township proposes, the hearing (陈述申辩) and the written decisions, the monthly roster
of the low-income monitoring platform (低收入人口动态监测信息平台) and the screening of new recipients (需求摸排)."""

from __future__ import annotations

from vocabulary.labels import Labelled


class StatusChange(Labelled):
    """A recipient's status change, as recorded (by hand, from the roster, or by the monthly review)."""

    CATEGORY_GAINED = "category_gained", "新纳入社会救助对象"
    CATEGORY_CHANGED = "category_changed", "救助类别变更"
    CATEGORY_LOST = "category_lost", "退出社会救助对象(如退出低保)"
    DEATH = "death", "死亡"
    MOVED_WITHIN_COUNTY = "moved_within_county", "县内迁移"
    MOVED_OUT = "moved_out", "迁出本县"
    INSTITUTION = "institution", "入住机构集中供养"
    OWN_REQUEST = "own_request", "本人申请停止服务"
    REVIEW_INELIGIBLE = "review_ineligible", "月度复核不再符合服务对象条件"
    OBJECTION_UPHELD = "objection_upheld", "长期公示异议核实成立"


class EventSource(Labelled):
    MANUAL = "manual", "工作人员录入"
    ROSTER = "roster", "动态监测信息平台导入"
    REVIEW = "review", "月度动态复核"
    OBJECTION = "objection", "长期公示异议核实"


class ChangeKind(Labelled):
    """What a township proposes for a case in service."""

    ADD_ITEMS = "add_items", "增加服务事项"
    REDUCE = "reduce", "减少服务数量"
    REMOVE_ITEMS = "remove_items", "取消部分服务事项"
    STOP = "stop", "停止服务"

    @property
    def needs_hearing(self) -> bool:
        """Anything that reduces or stops is decided only after the recipient is heard."""
        return self is not ChangeKind.ADD_ITEMS


class DecisionResult(Labelled):
    CHANGE = "change", "变更服务"
    STOP = "stop", "终止服务"
    KEEP = "keep", "维持原服务(不予变更)"


class StatementBy(Labelled):
    """Who brought the recipient's statement (陈述、申辩) in."""

    RECIPIENT = "recipient", "服务对象本人"
    GUARDIAN = "guardian", "监护人或代理人"


class CaseDocKind(Labelled):
    """The written documents of a case the system produces (printable A4 PDF, Chinese)."""

    CHANGE_NOTICE = "change_notice", "拟变更救助服务告知书"
    STOP_NOTICE = "stop_notice", "拟终止救助服务告知书"
    CHANGE_DECISION = "change_decision", "变更救助服务决定书"
    STOP_DECISION = "stop_decision", "终止救助服务决定书"
    REFUSAL = "refusal", "不予救助决定书"


class RosterChange(Labelled):
    """The change type of a roster row, as the monitoring platform's export spells it (the label)."""

    NEW = "new", "新增"
    CHANGED = "changed", "变更"
    EXITED = "exited", "退出"
    DEATH = "death", "死亡"


class ScreeningStatus(Labelled):
    PENDING = "pending", "待摸排"
    NEED = "need", "有服务需求(已转入主动发现)"
    NO_NEED = "no_need", "暂无服务需求"


class ImportStatus(Labelled):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "导入失败"

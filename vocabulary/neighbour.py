"""Neighbour help (邻里互助服务, 池州方案 三(六)6): the words of its records and of its yearly settlement."""

from __future__ import annotations

from vocabulary.labels import Labelled


class RecordStatus(Labelled):
    """A service record the village wrote, as the township reviewed it: only approved records are paid."""

    PENDING = "pending", "待乡镇审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "审核不通过"


class RateBasis(Labelled):
    """How the county's subsidy standard counts: each service, or each month with at least one service."""

    PER_SERVICE = "per_service", "按次"
    PER_MONTH = "per_month", "按月"


class YearStatus(Labelled):
    """A yearly statement (邻里互助补贴年度结算单) of one township."""

    DRAFT = "draft", "待县级审批"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审批"
    PAID = "paid", "已发放"


class LineKind(Labelled):
    REGULAR = "regular", "本年度"
    ADJUSTMENT = "adjustment", "补结往年"


LOCKED = frozenset({YearStatus.APPROVED, YearStatus.PAID})

"""The words of the urgent path (突发情况 / 先行救助, 001 三(六)1 and 003 二(三)): why a case is urgent and where
its short-term care stands."""

from __future__ import annotations

from vocabulary.labels import Labelled


class UrgentReason(Labelled):
    """The 突发情况 kinds: 003 二(三) names accident, grave illness, a public-health emergency and "other special
    reasons"; 001 三(六)1 the person who suddenly has nobody to care for them for a short time."""

    ACCIDENT = "accident", "遭遇意外伤害"
    ILLNESS = "illness", "突发重大疾病"
    PUBLIC_HEALTH = "public_health", "受传染病、疫情等突发公共卫生事件影响"
    CAREGIVER_LOST = "caregiver_lost", "照料人突发变故，短时间生活无人照料"
    DISASTER = "disaster", "遭遇自然灾害等突发事件"
    OTHER = "other", "其他特殊原因"


class UrgentState(Labelled):
    """A village assistant's mark is a request the township confirms; a township worker's mark is confirmed."""

    REQUESTED = "requested", "协理员申请先行救助，待乡镇(街道)确认"
    CONFIRMED = "confirmed", "先行救助"


class UrgentEnd(Labelled):
    """Why the short-term care ended."""

    REFUSED = "refused", "审核不予确认，先行救助于决定之日结束"
    CAP = "cap", "先行救助期满"
    CLOSED = "closed", "案件办结，先行救助结束"
    PLAN = "plan", "转入正式服务方案"


URGENT_SUMMARY = "先行救助短期照料"  # the line the case's 服务方式 list shows

"""The words of oversight (监督管理, step 10 of seed 001; 000 二(六); 001 三(五)1): the long-term public notice and
its objections, spot checks, rectifications, satisfaction return visits, complaints and 12345 work orders, and
the provider evaluation."""

from __future__ import annotations

from vocabulary.labels import Labelled


class NoticeChange(Labelled):
    ADDED = "added", "新增"
    REMOVED = "removed", "退出"


class ObjectionChannel(Labelled):
    VILLAGE_ASSISTANT = "village_assistant", "协理员代为登记"
    ONLINE = "online", "网上提出"
    WINDOW = "window", "窗口提出"


class ObjectionResult(Labelled):
    UPHELD = "upheld", "异议成立"
    REJECTED = "rejected", "异议不成立"


class DrawKind(Labelled):
    REGULAR = "regular", "常规抽查"
    TOP_UP = "top_up", "年末补充抽查"


class CheckMethod(Labelled):
    HOME_VISIT = "home_visit", "入户"
    PHONE = "phone", "电话"
    VIDEO = "video", "视频"


class CheckResult(Labelled):
    CONFIRMED = "confirmed", "属实"
    NOT_DELIVERED = "not_delivered", "未提供"
    QUALITY_ISSUE = "quality_issue", "质量问题"
    DISSATISFIED = "dissatisfied", "对象不满意"


class RectificationSource(Labelled):
    SPOT_CHECK = "spot_check", "抽查发现"
    SATISFACTION_VISIT = "satisfaction_visit", "满意度回访"
    COMPLAINT = "complaint", "投诉查实"


class RectificationStatus(Labelled):
    OPEN = "open", "整改中"
    SUBMITTED = "submitted", "待县级核验"
    VERIFIED = "verified", "整改到位"


class Satisfaction(Labelled):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class VisitStatus(Labelled):
    PENDING = "pending", "待回访"
    NOT_REACHED = "not_reached", "未联系上"
    DONE = "done", "已回访"


class FollowUp(Labelled):
    RECTIFICATION = "rectification", "转整改"
    COMPLAINT = "complaint", "转投诉"


class ComplaintChannel(Labelled):
    HOTLINE = "hotline", "12345热线工单"
    WINDOW = "window", "窗口"
    ONLINE = "online", "网上"
    LETTER = "letter", "信件"
    RETURN_VISIT = "return_visit", "满意度回访中反映"


class ComplaintCategory(Labelled):
    SERVICE_NOT_DELIVERED = "service_not_delivered", "服务未提供"
    SERVICE_QUALITY = "service_quality", "服务质量"
    STAFF_CONDUCT = "staff_conduct", "工作人员作风"
    ELIGIBILITY = "eligibility", "救助对象认定"
    FEES = "fees", "收费问题"
    OTHER = "other", "其他"


class Handler(Labelled):
    """Who a complaint is assigned to."""

    TOWNSHIP = "township", "乡镇(街道)"
    PROVIDER = "provider", "服务供给主体"
    COUNTY = "county", "县级民政部门"


class ComplaintStatus(Labelled):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "办理中"
    REPLIED = "replied", "已答复待回访"
    CLOSED = "closed", "已办结"


class EvaluationMetric(Labelled):
    """What a provider's evaluation is computed from, each a rate in [0, 1] (higher is better)."""

    REFERRAL_ANSWERS = "referral_answers", "转介按时答复率"
    PLANS_ON_TIME = "plans_on_time", "服务方案按时制定率"
    ARCHIVES_ON_TIME = "archives_on_time", "服务档案按时建立率"
    DELIVERY = "delivery", "服务计划完成率"
    SPOT_CHECKS = "spot_checks", "抽查合格率"
    SATISFACTION = "satisfaction", "满意率"
    COMPLAINTS = "complaints", "每百名服务对象有效投诉(折算得分)"
    RECTIFICATIONS = "rectifications", "整改按时完成率"

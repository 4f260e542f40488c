"""The words of a task: work with a working-day deadline and the escalation ladder that is not a step of a case
(an objection to verify, a rectification, a complaint to accept or resolve). Each capability that raises tasks
adds its kinds here; the ladder, the inbox and the supervisor's view treat every kind alike."""

from __future__ import annotations

from vocabulary.case import Step
from vocabulary.labels import Labelled


class TaskKind(Labelled):
    OBJECTION_VERIFICATION = "objection_verification", "公示异议核实"
    OBJECTION_CHANGE = "objection_change", "异议成立后变更服务"
    RECTIFICATION = "rectification", "服务整改"
    RECTIFICATION_REVIEW = "rectification_review", "整改核验"
    COMPLAINT_ACCEPTANCE = "complaint_acceptance", "投诉受理"
    COMPLAINT_RESOLUTION = "complaint_resolution", "投诉办理答复"
    COMPLAINT_RETURN_VISIT = "complaint_return_visit", "投诉回访"
    DEPARTMENT_REFERRAL = "department_referral", "部门联动服务办理反馈"


class TaskStatus(Labelled):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


# The step each kind belongs to (a notification names the step it is about): oversight's, except the service
# modes' (a department referral is service delivered, 开展服务).
STEP_OF_KIND: dict[TaskKind, Step] = {kind: Step.OVERSIGHT for kind in TaskKind} | {
    TaskKind.DEPARTMENT_REFERRAL: Step.SERVICE}

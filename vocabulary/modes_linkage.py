"""The words of four service modes of 池州方案 三(六): 部门联动 (3), "党建+救助" (4), 社工志愿 (5) and 慈善救济 (7).
None of them is paid through a statement; each is recorded all the same, on the case and in the overview."""

from __future__ import annotations

from vocabulary.labels import Labelled


class UnitAction(Labelled):
    """What a member unit of the assistance coordination mechanism does (001 三(六)3, in its words)."""

    CONSULTATION = "consultation", "信息咨询"
    CAPABILITY = "capability", "能力提升"
    TRAINING = "training", "技能培训"
    HEALTH_LECTURE = "health_lecture", "健康讲座"
    FREE_CLINIC = "free_clinic", "社区义诊"
    HEALTH_MANAGEMENT = "health_management", "健康管理"
    OTHER = "other", "其他服务"


class ReferralStatus(Labelled):
    """A department referral: sent, acknowledged by the unit, its outcome reported."""

    REFERRED = "referred", "已转介"
    ACKNOWLEDGED = "acknowledged", "成员单位已签收"
    REPORTED = "reported", "已反馈办理结果"


class PartnerKind(Labelled):
    """Who is paired (结对) with a recipient under "党建+救助": a party member or a whole branch."""

    MEMBER = "member", "党员"
    BRANCH = "branch", "党支部"


class PartyHelp(Labelled):
    """001 三(六)4: 物资上救济、生活上关心、思想上解惑, through 走访慰问 and 送温暖."""

    VISIT = "visit", "走访慰问"
    GOODS = "goods", "物资救济"
    CARE = "care", "生活关心"
    COUNSEL = "counsel", "思想解惑"


class TeamRole(Labelled):
    """The village's "社会救助协理员 + 社会工作者 + 志愿者" team (红马夹), 001 三(六)5."""

    ASSISTANT = "assistant", "社会救助协理员"
    SOCIAL_WORKER = "social_worker", "社会工作者"
    VOLUNTEER = "volunteer", "志愿者"


class TeamService(Labelled):
    """The professional services the team gives (001 三(六)5)."""

    INTEGRATION = "integration", "社会融入"
    CAPABILITY = "capability", "能力提升"
    COUNSELLING = "counselling", "心理疏导"
    OTHER = "other", "其他帮扶"


class PlanStatus(Labelled):
    """一户一档一个帮扶方案: one current plan per household; a new version supersedes it."""

    CURRENT = "current", "现行"
    SUPERSEDED = "superseded", "已被新版替代"


class CharityKind(Labelled):
    """What a charity organisation delivers (001 三(六)7)."""

    VISIT = "visit", "慈善走访慰问"
    GOODS = "goods", "捐赠衣物物资配发"
    VOLUNTEER = "volunteer", "慈善义工志愿服务"


class CharityStatus(Labelled):
    REFERRED = "referred", "已转介"
    REPORTED = "reported", "慈善组织已反馈"

"""The seven ways a service reaches a recipient (池州方案 三(六) 服务方式), and who delivers each."""

from __future__ import annotations

from vocabulary.labels import Labelled


class ServiceMode(Labelled):
    """Seed 001 三(六) 1-7, in its order. A county runs them side by side, often for the same person."""

    PURCHASE = "purchase", "政府购买服务"
    INSTITUTION = "institution", "机构照料服务"
    DEPARTMENT = "department", "部门联动服务"
    PARTY = "party", "“党建+救助”服务"
    SOCIAL_WORK = "social_work", "社工志愿服务"
    NEIGHBOUR = "neighbour", "邻里互助服务"
    CHARITY = "charity", "慈善救济服务"

    @property
    def paid_by_settlement(self) -> bool:
        """Public money through a statement: the monthly one (purchase) or the yearly one (neighbour help).
        Department linkage, party pairing, social-work teams and charity are recorded, never paid here."""
        return self in (ServiceMode.PURCHASE, ServiceMode.NEIGHBOUR)


class PartyKind(Labelled):
    """Who delivers a mode to the person."""

    PROVIDER = "provider", "服务机构"
    INSTITUTION = "institution", "供养机构或医疗机构"
    UNIT = "unit", "救助联席会议成员单位"
    PARTY_MEMBER = "party_member", "党员或党支部"
    TEAM = "team", "社工志愿服务队"
    HELPER = "helper", "邻里互助员"
    CHARITY = "charity", "慈善组织"

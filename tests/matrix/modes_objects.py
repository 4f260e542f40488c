"""The service modes' objects of a jurisdiction (modes 3, 4, 5, 7), made through the API by its own people: a member
unit and a department referral of its case, a party pairing, a red-vest team plan, a charity organisation and a
charity referral of the case. The unit and the organisation are the county's (not foreign to its townships)."""

from __future__ import annotations

from tests.matrix.oversight_objects import Caller, People

# The kinds a township's set carries: the county-level unit and organisation are not foreign to its townships.
TOWNSHIP_KINDS = ("department_referral", "party_pairing", "team_plan", "charity_referral")


async def mode_objects(maker: Caller, who: People, tag: str) -> dict[str, str]:
    unit = (await maker.ok("POST", "/linkage-units", who.officer, {"name": f"县卫健委{tag}"}))["id"]
    referral = (await maker.ok("POST", "/department-referrals", who.officer, {
        "case_id": who.case, "unit_id": unit, "action": "consultation", "need": "政策咨询"}))["id"]
    pairing = (await maker.ok("POST", "/party-pairings", who.worker, {
        "case_id": who.case, "partner_kind": "member", "partner_name": f"党员{tag}", "started_on": "2026-01-05"}))["id"]
    plan = (await maker.ok("POST", "/team-plans", who.assistant, {
        "case_id": who.case, "team_name": f"红马夹{tag}", "members": [{"role": "assistant", "name": "协理员"}],
        "assessment": "独居", "plan": "每周探访"}))["id"]
    organisation = (await maker.ok("POST", "/charity-organisations", who.officer, {"name": f"慈善会{tag}"}))["id"]
    charity = (await maker.ok("POST", "/charity-referrals", who.officer, {
        "organisation_id": organisation, "case_ids": [who.case]}))["id"]
    return {"linkage_unit": unit, "department_referral": referral, "party_pairing": pairing, "team_plan": plan,
            "charity_organisation": organisation, "charity_referral": charity}

"""Who may be placed in an institution (机构照料服务, 池州方案 三(六)2): the refusals a worker reads."""

from __future__ import annotations

from datetime import date

from policy.modes import placement_refusal
from vocabulary.people import Category, Condition
from vocabulary.placement import InstitutionKind, Unsuitable

DAY = date(2026, 11, 2)
HOME, WELFARE, MEDICAL = InstitutionKind.NURSING_HOME, InstitutionKind.WELFARE_HOME, InstitutionKind.MEDICAL
UNABLE = [Condition.INCAPACITATED]


def test_tekun_and_orphans_who_cannot_care_for_themselves_enter_with_consent() -> None:
    assert placement_refusal(Category.TEKUN, UNABLE, HOME, DAY, None, DAY) is None
    assert placement_refusal(Category.TEKUN, UNABLE, WELFARE, DAY, None, DAY) is None
    assert placement_refusal(Category.ORPHAN, UNABLE, WELFARE, DAY, None, DAY) is None


def test_other_categories_and_able_persons_are_refused() -> None:
    dibao = placement_refusal(Category.DIBAO, UNABLE, HOME, DAY, None, DAY)
    assert dibao is not None and dibao.code == "not_eligible" and "特困人员、孤儿、事实无人抚养儿童" in dibao.message
    able = placement_refusal(Category.TEKUN, [], HOME, DAY, None, DAY)
    assert able is not None and able.code == "not_eligible" and "生活自理能力" in able.message


def test_consent_comes_first() -> None:
    none = placement_refusal(Category.TEKUN, UNABLE, HOME, None, None, DAY)
    assert none is not None and none.code == "consent_required" and "自愿同意" in none.message
    late = placement_refusal(Category.TEKUN, UNABLE, HOME, date(2026, 11, 3), None, DAY)
    assert late is not None and late.code == "consent_after_entry"


def test_children_go_to_a_welfare_home() -> None:
    refusal = placement_refusal(Category.ORPHAN, UNABLE, HOME, DAY, None, DAY)
    assert refusal is not None and refusal.code == "wrong_institution"


def test_who_cannot_live_in_an_institution_goes_to_a_medical_one() -> None:
    ill = placement_refusal(Category.TEKUN, UNABLE, HOME, DAY, Unsuitable.MENTAL_ILLNESS, DAY)
    assert ill is not None and ill.code == "unsuitable" and "医疗机构" in ill.message
    assert placement_refusal(Category.TEKUN, [], MEDICAL, None, Unsuitable.INFECTIOUS_DISEASE, DAY) is None
    why = placement_refusal(Category.TEKUN, [], MEDICAL, None, None, DAY)
    assert why is not None and why.code == "unsuitable_reason_required"
    orphan = placement_refusal(Category.ORPHAN, UNABLE, MEDICAL, None, Unsuitable.MENTAL_ILLNESS, DAY)
    assert orphan is not None and orphan.code == "not_eligible"

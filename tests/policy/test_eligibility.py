from __future__ import annotations

from datetime import date

import pytest

from policy.eligibility import age_on, assess
from vocabulary.people import Category, Condition

ON = date(2026, 11, 23)
OLD, YOUNG = date(1950, 1, 1), date(1990, 1, 1)


@pytest.mark.parametrize("category", [Category.DIBAO, Category.TEKUN, Category.ORPHAN])
def test_core_recipients_are_eligible_without_conditions(category: Category) -> None:
    assert assess(category, [], YOUNG, ON).eligible


@pytest.mark.parametrize("category", [Category.DIBAO_EDGE, Category.MONITORED, Category.EXPENDITURE])
def test_edge_families_need_a_qualifying_condition(category: Category) -> None:
    assert not assess(category, [], OLD, ON).eligible
    assert assess(category, [Condition.SERIOUSLY_ILL], YOUNG, ON).eligible
    assert assess(category, [Condition.SEVERELY_DISABLED], YOUNG, ON).eligible
    # 失能半失能 counts only for the elderly.
    assert assess(category, [Condition.INCAPACITATED], OLD, ON).eligible
    assert not assess(category, [Condition.INCAPACITATED], YOUNG, ON).eligible


def test_others_are_not_eligible_and_told_why() -> None:
    result = assess(Category.NONE, [Condition.SERIOUSLY_ILL], OLD, ON)
    assert not result.eligible and "低保" in result.basis


def test_age_turns_on_the_birthday() -> None:
    assert age_on(date(1966, 11, 23), ON) == 60
    assert age_on(date(1966, 11, 24), ON) == 59

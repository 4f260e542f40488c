"""Who is a service-assistance recipient (服务对象, 池州方案 三(一)): a pure rule, checked at review and
re-checked by dynamic management."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from vocabulary.people import Category, Condition

ELDERLY_AGE = 60


_ALWAYS = frozenset({Category.DIBAO, Category.TEKUN, Category.ORPHAN})
_WITH_CONDITION = frozenset({Category.DIBAO_EDGE, Category.MONITORED, Category.EXPENDITURE})


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    basis: str  # Chinese, quoted in the review record and in a refusal


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def assess(category: Category, conditions: Iterable[Condition], birth: date, on: date) -> Eligibility:
    conds = set(conditions)
    name = category.zh
    if category in _ALWAYS:
        return Eligibility(True, f"{name}，属于服务类社会救助对象")
    if category in _WITH_CONDITION:
        if Condition.SEVERELY_DISABLED in conds:
            return Eligibility(True, f"{name}中的重度残疾人")
        if Condition.SERIOUSLY_ILL in conds:
            return Eligibility(True, f"{name}中的重病患者")
        if Condition.INCAPACITATED in conds and age_on(birth, on) >= ELDERLY_AGE:
            return Eligibility(True, f"{name}中的失能半失能老年人")
        return Eligibility(
            False, f"{name}中仅失能半失能老年人、重病患者、重度残疾人属于服务类社会救助对象"
        )
    return Eligibility(False, "申请人不属于低保、特困、孤儿等服务类社会救助对象范围")

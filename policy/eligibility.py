"""Who is a service-assistance recipient (服务对象, 池州方案 三(一)): a pure rule, checked at review and
re-checked by dynamic management."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

ELDERLY_AGE = 60


class Category(StrEnum):
    DIBAO = "dibao"  # 低保对象
    TEKUN = "tekun"  # 特困人员
    ORPHAN = "orphan"  # 孤儿和事实无人抚养儿童
    DIBAO_EDGE = "dibao_edge"  # 低保边缘家庭
    MONITORED = "monitored"  # 防止返贫监测对象
    EXPENDITURE = "expenditure"  # 支出型困难家庭
    NONE = "none"  # 不属于以上类别


class Condition(StrEnum):
    INCAPACITATED = "incapacitated"  # 失能或半失能
    SERIOUSLY_ILL = "seriously_ill"  # 重病患者
    SEVERELY_DISABLED = "severely_disabled"  # 重度残疾人


CATEGORY_ZH = {
    Category.DIBAO: "低保对象",
    Category.TEKUN: "特困人员",
    Category.ORPHAN: "孤儿和事实无人抚养儿童",
    Category.DIBAO_EDGE: "低保边缘家庭成员",
    Category.MONITORED: "防止返贫监测对象",
    Category.EXPENDITURE: "支出型困难家庭成员",
    Category.NONE: "非社会救助对象",
}

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
    name = CATEGORY_ZH[category]
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

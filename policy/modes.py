"""Who may be placed in an institution (机构照料服务, 池州方案 三(六)2): a pure rule, with the refusal in Chinese.

完全（部分）丧失生活自理能力的特困人员、孤儿、事实无人抚养儿童 enter a 敬老院 or 福利院 of their own will (自愿);
特困人员 who cannot live there (精神病、传染病等疾病) are placed by the county with a medical institution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from vocabulary.people import Category, Condition
from vocabulary.placement import InstitutionKind, Unsuitable

_CONCENTRATED = frozenset({Category.TEKUN, Category.ORPHAN})


@dataclass(frozen=True)
class PlacementRefusal:
    code: str
    message: str


def placement_refusal(category: Category, conditions: Iterable[Condition], kind: InstitutionKind,
                      consented_on: date | None, unsuitable: Unsuitable | None,
                      entered_on: date) -> PlacementRefusal | None:
    """None when the placement may be recorded; otherwise why not."""
    conds = set(conditions)
    if kind is InstitutionKind.MEDICAL:
        if category is not Category.TEKUN:
            return PlacementRefusal("not_eligible", f"{category.zh}不属于由县级民政部门送往专门医疗机构托管的特困人员")
        if unsuitable is None:
            return PlacementRefusal("unsuitable_reason_required", "送往专门的医疗机构须说明不宜集中供养的原因")
    else:
        if category not in _CONCENTRATED:
            return PlacementRefusal("not_eligible",
                                    f"{category.zh}不属于集中供养对象：机构照料服务限于特困人员、孤儿、事实无人抚养儿童")
        if Condition.INCAPACITATED not in conds:
            return PlacementRefusal("not_eligible", "未完全或部分丧失生活自理能力，不纳入敬老院、福利院集中供养")
        if category is Category.ORPHAN and kind is InstitutionKind.NURSING_HOME:
            return PlacementRefusal("wrong_institution", "孤儿、事实无人抚养儿童应由福利院集中供养，不入住敬老院")
        if unsuitable is not None:
            return PlacementRefusal("unsuitable",
                                    f"{unsuitable.zh}，不宜集中供养：请由县级民政部门协调送往专门的医疗机构")
        if consented_on is None:
            return PlacementRefusal("consent_required",
                                    "纳入敬老院、福利院集中供养须本人（或监护人）自愿同意，请先取得同意")
    if consented_on is not None and consented_on > entered_on:
        return PlacementRefusal("consent_after_entry", "同意日期晚于入住日期：须先取得同意再入住")
    return None

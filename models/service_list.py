"""The default service list (服务类社会救助清单, 000 二(二)) a county starts from and then edits.

Government-funded vs socially funded follows 000 二(二)'s requirement to tell them apart; which item falls on
which side, and which existing benefit already meets an item, are defaults for the county to correct.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultItem:
    code: str
    category: str  # care 照护 / living 生活 / wellbeing 关爱
    name: str
    unit: str  # visit 次 / hour 小时 / meal 餐 / month 月
    government_funded: bool
    overlaps_benefits: tuple[str, ...] = ()


_LTC = "long_term_care_insurance"
_DCS = "disability_care_subsidy"

DEFAULT_ITEMS: tuple[DefaultItem, ...] = (
    DefaultItem("visit", "care", "访视", "visit", True),
    DefaultItem("nursing_care", "care", "看护照料", "hour", True, (_LTC, _DCS)),
    DefaultItem("rehabilitation", "care", "康复训练", "visit", True, (_LTC,)),
    DefaultItem("medical_escort", "care", "就医陪护", "visit", True),
    DefaultItem("health_monitoring", "care", "健康监测", "visit", True),
    DefaultItem("meal_aid", "living", "助餐", "meal", True),
    DefaultItem("bath_aid", "living", "助浴", "visit", True, (_LTC,)),
    DefaultItem("mobility_aid", "living", "助行", "hour", True),
    DefaultItem("cleaning_aid", "living", "助洁", "hour", True),
    DefaultItem("errands", "living", "代购代步", "visit", True),
    DefaultItem("counselling", "wellbeing", "心理疏导", "hour", True),
    DefaultItem("resource_linking", "wellbeing", "资源链接", "visit", False),
    DefaultItem("capacity_building", "wellbeing", "能力提升", "hour", False),
    DefaultItem("social_integration", "wellbeing", "社会融入", "visit", False),
)

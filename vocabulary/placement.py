"""The words of 机构照料服务 (池州方案 三(六)2): where a person is placed for 集中供养, who consented, and why a
person cannot live in a 敬老院 or 福利院 (then the county places them with a medical institution)."""

from __future__ import annotations

from vocabulary.labels import Labelled


class InstitutionKind(Labelled):
    NURSING_HOME = "nursing_home", "敬老院"
    WELFARE_HOME = "welfare_home", "福利院"
    MEDICAL = "medical", "专门的医疗机构(治疗和托管)"

    @property
    def placed_by_county(self) -> bool:
        """The county's civil-affairs bureau arranges a medical institution with the health department; the
        township places a person in a 敬老院 or 福利院."""
        return self is InstitutionKind.MEDICAL


class ConsentBy(Labelled):
    SELF = "self", "本人"
    GUARDIAN = "guardian", "监护人"


class Unsuitable(Labelled):
    """Why a person is not suited to 集中供养 (the seed names mental illness and infectious disease)."""

    MENTAL_ILLNESS = "mental_illness", "患有精神病"
    INFECTIOUS_DISEASE = "infectious_disease", "患有传染病"
    OTHER_ILLNESS = "other_illness", "患有其他不宜集中供养的疾病"

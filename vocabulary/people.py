"""Who a person is to social assistance (池州方案 三(一)): the assistance category and the conditions that make
members of the marginal categories eligible for services."""

from __future__ import annotations

from vocabulary.labels import Labelled


class Category(Labelled):
    DIBAO = "dibao", "低保对象"
    TEKUN = "tekun", "特困人员"
    ORPHAN = "orphan", "孤儿和事实无人抚养儿童"
    DIBAO_EDGE = "dibao_edge", "低保边缘家庭成员"
    MONITORED = "monitored", "防止返贫监测对象"
    EXPENDITURE = "expenditure", "支出型困难家庭成员"
    NONE = "none", "非社会救助对象"


class Condition(Labelled):
    INCAPACITATED = "incapacitated", "失能或半失能"
    SERIOUSLY_ILL = "seriously_ill", "重病患者"
    SEVERELY_DISABLED = "severely_disabled", "重度残疾人"

"""Pure rules of dynamic management: the remedies a written decision states, and the validation of one row of
the monitoring platform's monthly roster.

Remedies (a decision says where and by when): 《中华人民共和国行政复议法》(2023年修订)第二十条 — sixty days from
knowing of the act; 《中华人民共和国行政诉讼法》第四十六条 — six months. Both run from receipt; the decision
states the last day counted from its own date (delivered the day it is made), in calendar days as those laws
count them.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from policy import idnumber
from vocabulary.dynamic import RosterChange
from vocabulary.people import Category

REVIEW_DAYS = 60
LITIGATION_MONTHS = 6
REVIEW_LAW = "《中华人民共和国行政复议法》第二十条"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》第四十六条"


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Remedies:
    review_by: date
    litigation_by: date


def remedies(decided_on: date) -> Remedies:
    return Remedies(decided_on + timedelta(days=REVIEW_DAYS), add_months(decided_on, LITIGATION_MONTHS))


# ---- the monthly roster ----------------------------------------------------------------------------------

ROSTER_COLUMNS = ("姓名", "身份证号码", "村(社区)代码", "救助类别", "变动类型", "变动日期")
_CATEGORY_BY_LABEL: Mapping[str, Category] = {c.zh: c for c in Category} | {c.value: c for c in Category} | {
    "低保": Category.DIBAO, "特困": Category.TEKUN, "孤儿": Category.ORPHAN, "事实无人抚养儿童": Category.ORPHAN,
    "低保边缘": Category.DIBAO_EDGE, "防止返贫监测对象": Category.MONITORED, "支出型困难家庭": Category.EXPENDITURE,
}
_CHANGE_BY_LABEL: Mapping[str, RosterChange] = {c.zh: c for c in RosterChange} | {c.value: c for c in RosterChange}
_ID_PROBLEM = {"format": "身份证号码格式不正确(应为18位)", "check_digit": "身份证号码校验位错误",
               "birth_date": "身份证号码中的出生日期无效"}


@dataclass(frozen=True)
class RosterRow:
    name: str
    id_number: str
    village_code: str
    category: Category
    change: RosterChange
    effective_on: date
    gender: str
    birth_date: date


def _date(raw: str) -> date | None:
    text = raw.strip().replace("/", "-").replace(".", "-").split(" ")[0]
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_row(cells: tuple[str, ...], jurisdiction: str, villages: frozenset[str]) -> RosterRow | list[str]:
    """The row, or every reason (in Chinese) why it cannot be imported. `villages`: the known village codes."""
    cells = tuple(c.strip() for c in cells) + ("",) * (len(ROSTER_COLUMNS) - len(cells))
    name, number, village, category_raw, change_raw, day_raw = cells[:6]
    problems: list[str] = []
    if not 2 <= len(name) <= 40:
        problems.append("姓名应为2至40个字")
    facts = None
    try:
        facts = idnumber.parse(number)
    except idnumber.InvalidIdNumber as exc:
        problems.append(_ID_PROBLEM[str(exc)])
    if len(village) != 12 or not village.isdigit():
        problems.append("村(社区)代码应为12位数字")
    elif not village.startswith(jurisdiction):
        problems.append("村(社区)不在导入人的管辖范围内")
    elif village not in villages:
        problems.append("村(社区)代码未登记")
    category = _CATEGORY_BY_LABEL.get(category_raw)
    if category is None:
        problems.append(f"救助类别“{category_raw}”无法识别")
    change = _CHANGE_BY_LABEL.get(change_raw)
    if change is None:
        problems.append(f"变动类型“{change_raw}”无法识别(应为新增、变更、退出或死亡)")
    effective = _date(day_raw)
    if effective is None:
        problems.append("变动日期无效(应为如2026-11-01的日期)")
    if problems or category is None or change is None or effective is None or facts is None:
        return problems
    return RosterRow(name, idnumber.normalize(number), village, category, change, effective, facts.gender,
                     facts.birth_date)

"""Pure rules of the service modes recorded beside the purchase referral (001 三(六) 3, 4, 5, 7)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from vocabulary.modes_linkage import TeamRole

MAX_HOURS_A_DAY = Decimal(24)


def plan_refusal(current: UUID | None, current_version: int | None, supersedes: UUID | None) -> str | None:
    """一户一档一个帮扶方案: a household has one current plan. A first plan needs none current; a new version
    names the current one it supersedes. The refusal a case worker reads, or None."""
    if current is None:
        return "所修订的帮扶方案已不是现行版本，请刷新后重试" if supersedes is not None else None
    if supersedes is None:
        return f"该户已有现行帮扶方案（第{current_version}版），请在其基础上修订"
    if supersedes != current:
        return "所修订的帮扶方案已不是现行版本，请刷新后重试"
    return None


def hours_refusal(hours: Decimal) -> str | None:
    """Volunteer hours are counted in half hours, more than none and at most a day."""
    if hours <= 0 or hours > MAX_HOURS_A_DAY:
        return "服务时长应大于0且不超过24小时"
    if (hours * 2) != (hours * 2).to_integral_value():
        return "服务时长按半小时计（如1.5）"
    return None


def missing_roles(roles: Iterable[str]) -> list[TeamRole]:
    """The roles of the "社会救助协理员 + 社会工作者 + 志愿者" team a plan's team lacks (shown, not refused: a
    village may not have a social worker yet)."""
    present = set(roles)
    return [r for r in TeamRole if r.value not in present]

"""The pure rules of the recorded service modes: one current assistance plan per household (a new version names
the one it supersedes), volunteer hours in half hours within a day, and the team's missing roles."""

from __future__ import annotations

import uuid
from decimal import Decimal

from policy.modes_linkage import hours_refusal, missing_roles, plan_refusal
from vocabulary.modes_linkage import TeamRole


def test_one_current_plan_per_household() -> None:
    current, stale = uuid.uuid4(), uuid.uuid4()
    assert plan_refusal(None, None, None) is None  # the first plan
    assert plan_refusal(current, 2, current) is None  # a new version of the current one
    assert plan_refusal(current, 2, None) == "该户已有现行帮扶方案（第2版），请在其基础上修订"
    stale_refusal = "所修订的帮扶方案已不是现行版本，请刷新后重试"
    assert plan_refusal(current, 2, stale) == plan_refusal(None, None, stale) == stale_refusal


def test_hours_are_half_hours_within_a_day() -> None:
    assert [hours_refusal(Decimal(h)) for h in ("0.5", "2", "24")] == [None, None, None]
    assert hours_refusal(Decimal("0")) == hours_refusal(Decimal("24.5")) == "服务时长应大于0且不超过24小时"
    assert hours_refusal(Decimal("1.2")) == "服务时长按半小时计（如1.5）"


def test_missing_roles_of_the_red_vest_team() -> None:
    assert missing_roles(["assistant", "volunteer", "volunteer"]) == [TeamRole.SOCIAL_WORKER]
    assert missing_roles([r.value for r in TeamRole]) == []

"""The worker registers every activity the workflows call by reference, each exactly once, under its name."""

from __future__ import annotations

from typing import Any

from temporalio import activity

from worker import ACTIVITY_CLASSES, WORKFLOWS, activities, own_activities
from workflows.case_activities import CaseActivities
from workflows.dynamic_activities import DynamicActivities
from workflows.settlement_activities import SettlementActivities
from workflows.task_activities import TaskActivities


def stub_names(interface: type) -> set[str]:
    return {name for name, fn in vars(interface).items() if hasattr(fn, "__temporal_activity_definition")}


STUBS = (stub_names(CaseActivities) | stub_names(SettlementActivities) | stub_names(TaskActivities)
         | stub_names(DynamicActivities))


def test_every_stub_has_exactly_one_implementation() -> None:
    implemented: list[str] = []
    for cls in ACTIVITY_CLASSES:
        instance: Any = cls(None)  # type: ignore[arg-type]  # the sessions are not touched here
        names = [method.__name__ for method in own_activities(instance)]
        assert names, f"{cls.__name__} implements nothing"
        assert isinstance(instance, CaseActivities | SettlementActivities | TaskActivities | DynamicActivities)
        implemented += names
    assert sorted(implemented) == sorted(STUBS)


def test_registered_names_are_the_stubs_names() -> None:
    registered = {activity._Definition.must_from_callable(fn).name for fn in activities(None)}  # type: ignore[arg-type]
    assert registered == STUBS
    assert len(WORKFLOWS) == len({w.__name__ for w in WORKFLOWS})

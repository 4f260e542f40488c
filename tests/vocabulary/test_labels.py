"""Every word of the vocabulary carries its Chinese label where it is declared."""

from __future__ import annotations

import pkgutil
from importlib import import_module

import vocabulary
from vocabulary.case import Action, Step
from vocabulary.labels import Labelled


def labelled_enums() -> list[type[Labelled]]:
    found: list[type[Labelled]] = []
    for info in pkgutil.iter_modules(vocabulary.__path__):
        module = import_module(f"vocabulary.{info.name}")
        found += [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Labelled)
                  and v is not Labelled and v.__module__ == module.__name__]
    return found


def test_every_member_has_a_chinese_label_unique_in_its_enum() -> None:
    enums = labelled_enums()
    assert len(enums) >= 15
    for enum in enums:
        labels = [m.zh for m in enum]
        assert all(label and any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels), enum
        assert len(set(labels)) == len(labels), enum


def test_a_member_is_its_value_and_a_stored_value_reads_as_its_label() -> None:
    assert Step.REVIEW == "review" and Step("review") is Step.REVIEW and Step.REVIEW.zh == "审核确认"
    assert Action.label("respond_referral") == "服务供给主体答复转介"
    assert Action.label("something_older") == "something_older"  # an unknown stored value shows as it is

"""Labelled string enums: every member carries its Chinese label where it is declared.

    class Step(Labelled):
        REVIEW = "review", "审核确认"

`Step.REVIEW == "review"`, `Step("review") is Step.REVIEW` and `Step.REVIEW.zh == "审核确认"`: the code speaks the
value, case workers read the label, and the two can never drift apart in separate dictionaries.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Labelled(StrEnum):
    zh: str

    # `zh` defaults only so type checkers accept `Step("review")` (a lookup, which never calls __new__).
    def __new__(cls, value: str, zh: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.zh = zh
        return member

    @classmethod
    def label(cls, value: str) -> str:
        """The label of a stored value; the value itself if it is not (or no longer) a member."""
        try:
            return cls(value).zh
        except ValueError:
            return value

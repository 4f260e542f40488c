"""Resident ID numbers (GB 11643-1999): validation, and what may be derived from one.

The number itself is never logged or returned; callers keep only the keyed hash and the cipher text.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


class InvalidIdNumber(ValueError):
    """Raised with a reason code; the message never contains the number."""


@dataclass(frozen=True)
class IdFacts:
    region_code: str
    birth_date: date
    gender: str  # "male" / "female"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize(raw: str) -> str:
    return raw.strip().upper()


def parse(raw: str, today: date | None = None) -> IdFacts:
    """The facts an ID number carries; `today` (when given) refuses a birth date after it."""
    number = normalize(raw)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("format")
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("check_digit")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("birth_date") from exc
    if born.year < 1900 or (today is not None and born > today):
        raise InvalidIdNumber("birth_date")
    return IdFacts(number[:6], born, "male" if int(number[16]) % 2 else "female")


def lookup_hash(raw: str, key: str) -> str:
    """Keyed hash used to find the same person again (duplicate cases) without storing the number."""
    return hmac.new(key.encode(), normalize(raw).encode(), hashlib.sha256).hexdigest()

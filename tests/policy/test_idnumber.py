from __future__ import annotations

from datetime import date

import pytest

from policy import idnumber

# The GB 11643 worked example: 11010519491231002X.
EXAMPLE = "11010519491231002X"


def test_check_digit_of_the_standard_example() -> None:
    assert idnumber.check_digit(EXAMPLE[:17]) == "X"
    facts = idnumber.parse(EXAMPLE.lower())
    assert facts == idnumber.IdFacts("110105", date(1949, 12, 31), "female")


@pytest.mark.parametrize(("number", "reason"), [
    ("110105194912310021", "check_digit"),
    ("11010519491231002", "format"),
    ("1101051949123100XX", "format"),
    ("110105194902300027", "birth_date"),  # 30 February
])
def test_invalid_numbers_say_why_without_the_number(number: str, reason: str) -> None:
    first17 = number[:17]
    if reason == "birth_date" and first17.isdigit():
        number = first17 + idnumber.check_digit(first17)
    with pytest.raises(idnumber.InvalidIdNumber) as err:
        idnumber.parse(number)
    assert str(err.value) == reason
    assert number not in str(err.value)


def test_lookup_hash_is_keyed_and_case_insensitive() -> None:
    a = idnumber.lookup_hash(EXAMPLE, "k1")
    assert a == idnumber.lookup_hash(EXAMPLE.lower() + " ", "k1")
    assert a != idnumber.lookup_hash(EXAMPLE, "k2")
    assert EXAMPLE not in a


def test_a_birth_date_after_today_is_refused() -> None:
    first17 = "34170220300101123"
    number = first17 + idnumber.check_digit(first17)
    assert idnumber.parse(number).birth_date == date(2030, 1, 1)  # no `today`: only the calendar is checked
    with pytest.raises(idnumber.InvalidIdNumber, match="birth_date"):
        idnumber.parse(number, today=date(2029, 12, 31))
    assert idnumber.parse(number, today=date(2030, 1, 1)).birth_date == date(2030, 1, 1)

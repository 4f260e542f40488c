"""The account rules without a server: the credit code's check character, division codes, who manages whom."""

from __future__ import annotations

import pytest

from policy.accounts import (
    Manager,
    Refusal,
    check_assignment,
    check_password,
    check_target,
    credit_check_char,
    division_parent,
    normalize_credit_code,
    short_code,
)
from vocabulary.case import Role

# Published examples of valid codes (the first is the standard's own illustration in many registries).
VALID = ("91350100M000100Y43", "52341702MJA0001011")


@pytest.mark.parametrize("code", VALID)
def test_valid_credit_codes_pass_and_are_normalised(code: str) -> None:
    assert normalize_credit_code(f" {code.lower()} ") == code


def test_check_character_is_the_weighted_sum_mod_31() -> None:
    # An independent oracle: weights are 3^i mod 31 (i = 0..16), characters exclude I, O, Z, S, V.
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "91350100M000100Y4"
    total = sum(chars.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    assert credit_check_char(first17) == chars[(31 - total % 31) % 31] == "3"


@pytest.mark.parametrize("code, why", [
    ("91350100M000100Y44", "校验位"), ("91350100M000100Y4", "18位"), ("9135010OM000100Y43", "不允许的字符"),
    ("91AB0100M000100Y43", "行政区划码"),
])
def test_a_wrong_credit_code_says_what_is_wrong(code: str, why: str) -> None:
    with pytest.raises(Refusal) as err:
        normalize_credit_code(code)
    assert err.value.code == "bad_credit_code" and why in err.value.message


def test_every_single_character_typo_is_caught() -> None:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    code = VALID[1]
    for i in range(17):
        for c in chars:
            if c != code[i] and (i not in range(2, 8) or c.isdigit()):
                typo = code[:i] + c + code[i + 1:]
                with pytest.raises(Refusal):
                    normalize_credit_code(typo)


def test_division_codes_shorten_and_climb_the_hierarchy() -> None:
    assert [short_code(c) for c in ("340000000000", "341700000000", "341702000000", "341702001000",
                                    "341702001001")] == ["34", "3417", "341702", "341702001", "341702001001"]
    assert [division_parent(c) for c in ("341702001001", "341702001", "341702", "3417", "34")] == [
        "341702001", "341702", "3417", "34", None]


OFFICER = Manager(Role.COUNTY_OFFICER, "341702", lead=False)
LEAD = Manager(Role.TOWNSHIP_WORKER, "341702001", lead=True)
WORKER = Manager(Role.TOWNSHIP_WORKER, "341702001", lead=False)


def refusal(call: object, *args: object) -> str | None:
    try:
        call(*args)  # type: ignore[operator]
    except Refusal as err:
        return err.code
    return None


def test_a_county_officer_assigns_any_role_at_its_level_inside_the_county() -> None:
    assert refusal(check_assignment, OFFICER, Role.TOWNSHIP_WORKER, "341702002", True) is None
    assert refusal(check_assignment, OFFICER, Role.VILLAGE_ASSISTANT, "341702001001", False) is None
    assert refusal(check_assignment, OFFICER, Role.PROVIDER, "341702", False) is None
    assert refusal(check_assignment, OFFICER, Role.TOWNSHIP_WORKER, "341721001", False) == "out_of_jurisdiction"
    assert refusal(check_assignment, OFFICER, Role.TOWNSHIP_WORKER, "341702", False) == "wrong_level"
    assert refusal(check_assignment, OFFICER, Role.APPLICANT, "341702001001", False) == "role_not_allowed"
    assert refusal(check_assignment, OFFICER, Role.AUDITOR, "341702", True) == "lead_not_allowed"


def test_a_township_lead_manages_its_workers_and_assistants_only() -> None:
    assert refusal(check_assignment, LEAD, Role.VILLAGE_ASSISTANT, "341702001002", False) is None
    assert refusal(check_assignment, LEAD, Role.TOWNSHIP_WORKER, "341702001", False) is None
    assert refusal(check_assignment, LEAD, Role.TOWNSHIP_WORKER, "341702001", True) == "lead_not_allowed"
    assert refusal(check_assignment, LEAD, Role.COUNTY_OFFICER, "341702", False) == "role_not_allowed"
    assert refusal(check_assignment, LEAD, Role.VILLAGE_ASSISTANT, "341702002001", False) == "out_of_jurisdiction"
    assert refusal(check_assignment, WORKER, Role.VILLAGE_ASSISTANT, "341702001001", False) == "wrong_role"


def test_nobody_manages_themselves_or_out_of_reach_users() -> None:
    assert refusal(check_target, OFFICER, "me", "me", Role.TOWNSHIP_WORKER, "341702001", False) == "not_self"
    assert refusal(check_target, LEAD, "me", "other", Role.TOWNSHIP_WORKER, "341702002", False) == "user_not_found"
    assert refusal(check_target, LEAD, "me", "other", Role.TOWNSHIP_WORKER, "341702001", True) == "role_not_allowed"
    assert refusal(check_target, LEAD, "me", "other", Role.VILLAGE_ASSISTANT, "341702001001", False) is None


def test_passwords_are_long_and_mixed() -> None:
    assert refusal(check_password, "short1") == "weak_password"
    assert refusal(check_password, "onlyletterslong") == "weak_password"
    assert refusal(check_password, "letters-and-1234") is None

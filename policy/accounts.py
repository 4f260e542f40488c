"""Pure rules for users and organisations: the unified social credit code (GB 32100-2015), the shape of a
division code at each level, and who may manage which user (a county officer its county, a township lead its
township). Each refusal is a (code, Chinese message) the API and the CLI pass on as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vocabulary.case import Role

# GB 32100-2015: 31 characters, without I, O, Z, S, V (they read like 1, 0, 2, 5, U).
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class Refusal(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015 §5 / annex: weights 3^i mod 31)."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """The code in canonical form, or Refusal("bad_credit_code", ...) saying what is wrong with it."""
    code = raw.strip().upper()
    if len(code) != 18:
        raise Refusal("bad_credit_code", "统一社会信用代码应为18位")
    if any(c not in _CREDIT_CHARS for c in code):
        raise Refusal("bad_credit_code", "统一社会信用代码含有不允许的字符（不使用I、O、Z、S、V）")
    if not code[2:8].isdigit():
        raise Refusal("bad_credit_code", "统一社会信用代码第3至8位应为登记管理机关行政区划码")
    if credit_check_char(code[:17]) != code[17]:
        raise Refusal("bad_credit_code", "统一社会信用代码校验位错误，请核对")
    return code


class Level(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


LEVEL_OF_LENGTH = {2: Level.PROVINCE, 4: Level.CITY, 6: Level.COUNTY, 9: Level.TOWNSHIP, 12: Level.VILLAGE}
LENGTH_OF_LEVEL = {v: k for k, v in LEVEL_OF_LENGTH.items()}
LEVEL_ZH = {Level.PROVINCE: "省", Level.CITY: "市", Level.COUNTY: "县(区)", Level.TOWNSHIP: "乡镇(街道)",
            Level.VILLAGE: "村(社区)"}


def division_parent(code: str) -> str | None:
    """The code one level up (the 统计用区划代码 hierarchy: 2 + 2 + 2 + 3 + 3 digits)."""
    shorter = [n for n in LENGTH_OF_LEVEL.values() if n < len(code)]
    return code[: max(shorter)] if shorter else None


def short_code(code: str) -> str:
    """A 12-digit published code (341702001000) in this system's length for its level (341702001)."""
    if len(code) != 12 or not code.isdigit():
        raise Refusal("bad_division_code", f"区划代码“{code}”应为12位数字")
    for length in (2, 4, 6, 9):
        if set(code[length:]) == {"0"}:
            return code[:length]
    return code


# The jurisdiction each role works at: one level, no other.
ROLE_LEVEL: dict[Role, Level] = {
    Role.VILLAGE_ASSISTANT: Level.VILLAGE,
    Role.TOWNSHIP_WORKER: Level.TOWNSHIP,
    Role.COUNTY_OFFICER: Level.COUNTY,
    Role.PROVIDER: Level.COUNTY,
    Role.AUDITOR: Level.COUNTY,
}
MANAGED_ROLES = frozenset(ROLE_LEVEL)


@dataclass(frozen=True)
class Manager:
    role: Role
    jurisdiction: str
    lead: bool


def manages(manager: Manager) -> frozenset[Role]:
    """The roles a manager may create, change and deactivate (within its own jurisdiction)."""
    if manager.role is Role.COUNTY_OFFICER and len(manager.jurisdiction) == 6:
        return MANAGED_ROLES
    if manager.role is Role.TOWNSHIP_WORKER and manager.lead and len(manager.jurisdiction) == 9:
        return frozenset({Role.TOWNSHIP_WORKER, Role.VILLAGE_ASSISTANT})
    return frozenset()


def check_manager(manager: Manager) -> None:
    if not manages(manager):
        raise Refusal("wrong_role", "用户管理由县级民政部门或乡镇(街道)分管领导办理")


def check_assignment(manager: Manager, role: Role, jurisdiction: str, lead: bool) -> None:
    """May `manager` give a user this role, jurisdiction and lead flag?"""
    check_manager(manager)
    if role not in manages(manager):
        raise Refusal("role_not_allowed", "您无权设置该角色" if role in MANAGED_ROLES else "该角色不能在此设置")
    if len(jurisdiction) != LENGTH_OF_LEVEL[ROLE_LEVEL[role]]:
        raise Refusal("wrong_level", f"该角色的管辖范围应为{LEVEL_ZH[ROLE_LEVEL[role]]}区划代码")
    if not jurisdiction.startswith(manager.jurisdiction):
        raise Refusal("out_of_jurisdiction", "管辖范围不在您的辖区内")
    if lead and role is not Role.TOWNSHIP_WORKER:
        raise Refusal("lead_not_allowed", "分管领导只能是乡镇(街道)社会救助工作人员")
    if lead and manager.role is not Role.COUNTY_OFFICER:
        raise Refusal("lead_not_allowed", "乡镇(街道)分管领导由县级民政部门设置")


def check_target(manager: Manager, manager_id: object, target_id: object, role: Role, jurisdiction: str,
                 lead: bool) -> None:
    """May `manager` change or deactivate an existing user? Nobody locks themselves out."""
    if manager_id == target_id:
        raise Refusal("not_self", "不能停用或修改本人账号，请由上级或其他管理员办理")
    check_manager(manager)
    if role not in manages(manager) or not jurisdiction.startswith(manager.jurisdiction):
        raise Refusal("user_not_found", "用户不存在")  # foreign and absent answer alike
    if lead and manager.role is not Role.COUNTY_OFFICER:
        raise Refusal("role_not_allowed", "乡镇(街道)分管领导的账号由县级民政部门管理")


def check_password(password: str) -> None:
    if len(password) < 10:
        raise Refusal("weak_password", "密码至少10位")
    if password.isdigit() or password.isalpha():
        raise Refusal("weak_password", "密码应同时包含字母和数字")

"""API schemas for users, providers and divisions: what a county officer or township lead sends and reads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from models.schemas import Out, Schema
from models.settlement.schemas import ProviderAccountIn
from vocabulary.case import Role

Username = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_.-]{1,63}$")]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=40)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=128)]
DivisionCode = Annotated[str, StringConstraints(pattern=r"^(\d{6}|\d{9}|\d{12})$")]
OrgName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ProviderKind(StrEnum):
    """The three kinds of service providers of the 池州 plan (服务供给主体)."""

    WELFARE_INSTITUTION = "社会福利机构"
    SOCIAL_WORK_AGENCY = "社会工作服务机构"
    SOCIAL_ORGANISATION = "社会组织"


class UserIn(Schema):
    username: Username = Field(description="登录名：小写字母开头，2至64位字母、数字、._-")
    full_name: FullName
    role: Role
    jurisdiction: DivisionCode = Field(description="县6位 / 乡镇(街道)9位 / 村(社区)12位区划代码")
    lead: bool = Field(default=False, description="乡镇(街道)分管领导（仅县级民政部门可设置）")
    provider_id: UUID | None = Field(default=None, description="服务供给主体的账号须指明所属机构")
    password: Password = Field(description="初始密码，至少10位，含字母和数字；首次登录后请本人修改")


class UserPatch(Schema):
    full_name: FullName | None = None
    role: Role | None = None
    jurisdiction: DivisionCode | None = None
    lead: bool | None = None


class PasswordReset(Schema):
    password: Password


class Deactivation(Schema):
    reason: Reason


class UserOut(Out):
    id: UUID
    username: str
    full_name: str
    role: Role
    role_zh: str
    jurisdiction: str
    jurisdiction_name: str | None = None
    lead: bool
    provider_id: UUID | None
    active: bool


class ReleasedCase(Out):
    case_id: UUID
    ok: bool
    code: str | None = None
    message: str | None = None


class DeactivationOut(Out):
    user: UserOut
    # Each open case the user held, handed back to the township's queue; `pending` > 0 means some could not be
    # reached now: they show in the stuck view (reason "unassigned") and repeating the request finishes them.
    released: list[ReleasedCase]
    pending: int


class ProviderIn(Schema):
    name: OrgName
    kind: ProviderKind
    credit_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=18, max_length=18)] = Field(
        description="统一社会信用代码（18位，校验位按GB 32100-2015核对）")
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,16}$")] | None = Field(
        default=None, description="服务号前缀（2至16位大写字母或数字），不填则取统一社会信用代码第9至17位")
    account: ProviderAccountIn | None = Field(default=None, description="收款账户")


class ProviderDetail(Out):
    id: UUID
    code: str
    name: str
    kind: str
    credit_code: str | None
    county_code: str
    active: bool
    account_no: str | None = None
    bank_name: str | None = None


class ImportResult(Out):
    added: int
    updated: int
    unchanged: int
    stamp: datetime | None = None

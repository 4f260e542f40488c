"""A person's record, read through the cases the reader may see. The ID number and the health conditions
(失能、重病、重度残疾) are shown only on their own request, with the purpose stated, and every such read is written
to the audit trail (PIPL 个人信息保护法: who read which person's sensitive information, when and why,
api/sensitive.py); they never appear in lists, logs or URLs."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.access import case_scope
from api.deps import ActorDep, ResourcesDep, SessionDep, require
from api.errors import ApiError
from api.sensitive import Purpose, record_read
from infra.security import open_id_number
from models.payloads.actor import Actor
from models.schemas import Out
from models.tables import CASES, PERSONS
from vocabulary.case import Role
from vocabulary.people import Category, Condition

router = APIRouter(prefix="/persons", tags=["服务对象"])
_p = PERSONS.c
# Who may see a person's ID number at all (a provider files the copy of the ID card in the archive itself).
_ID_READERS = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.VILLAGE_ASSISTANT, Role.AUDITOR, Role.APPLICANT)


class PersonOut(Out):
    id: UUID
    name: str
    gender: str
    birth_date: date
    village_code: str
    category: str
    category_zh: str


class ConditionsOut(Out):
    person_id: UUID
    conditions: list[str]
    conditions_zh: list[str]
    purpose: str


class IdNumberOut(Out):
    person_id: UUID
    id_number: str
    purpose: str


async def load_person(session: AsyncSession, actor: Actor, person_id: UUID) -> Any:
    """The person when one of their cases is visible to the reader (or it is the applicant themself); 404 the
    same either way otherwise."""
    visible = exists().where(CASES.c.person_id == _p.id, case_scope(actor))
    if actor.role is Role.APPLICANT:
        visible = _p.id == actor.person_id  # type: ignore[assignment]
    row = (await session.execute(select(PERSONS).where(_p.id == person_id, visible))).first()
    if row is None:
        raise ApiError(404, "person_not_found", "服务对象不存在")
    return row


@router.get("/{person_id}", summary="服务对象基本信息（不含身份证号码和健康状况）")
async def get_person(person_id: UUID, actor: ActorDep, session: SessionDep) -> PersonOut:
    row = await load_person(session, actor, person_id)
    data = dict(row._mapping)
    return PersonOut.model_validate({**data, "category_zh": Category.label(data["category"])})


@router.get("/{person_id}/id-number", summary="查阅身份证号码（须说明用途，每次查阅均记入审计日志）")
async def read_id_number(
    person_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep, purpose: Purpose,
) -> IdNumberOut:
    require(actor, *_ID_READERS)
    row = await load_person(session, actor, person_id)
    await record_read(session, actor, "id_number", purpose, person_id=str(person_id))  # before it is shown
    number = open_id_number(row.id_cipher, resources.settings.id_cipher_key)
    return IdNumberOut(person_id=person_id, id_number=number, purpose=purpose)


@router.get("/{person_id}/conditions", summary="查阅健康状况（须说明用途，每次查阅均记入审计日志）")
async def read_conditions(person_id: UUID, actor: ActorDep, session: SessionDep, purpose: Purpose) -> ConditionsOut:
    row = await load_person(session, actor, person_id)
    await record_read(session, actor, "conditions", purpose, person_id=str(person_id))  # before it is shown
    return ConditionsOut(person_id=person_id, conditions=list(row.conditions),
                         conditions_zh=[Condition.label(c) for c in row.conditions], purpose=purpose)

"""Who may see and do what in neighbour help. Helpers, pairings and records belong to a township (and a village);
yearly statements to a township. A row outside the asker's jurisdiction answers exactly like one that does not
exist (404). Refusals of the writing functions (`refuse`) become Chinese answers with their status here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.exceptions import ApplicationError

from api.errors import ApiError
from models.modes.neighbour import HELPERS, PAIRINGS
from models.payloads.actor import Actor
from models.tables import CASES, PERSONS
from vocabulary.case import Role

SUPERVISORS = (Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER, Role.AUDITOR)
_STATUS = {"invalid_input": 422, "statement_changed": 409, "statement_returned": 409, "statement_locked": 409,
           "statement_not_approved": 409, "record_settled": 409, "record_reviewed": 409, "record_exists": 409}


def township_worker(actor: Actor) -> str:
    if actor.role is not Role.TOWNSHIP_WORKER or len(actor.jurisdiction) != 9:
        raise ApiError(403, "wrong_role", "此操作由乡镇(街道)社会救助工作人员办理")
    return actor.jurisdiction


def county_officer(actor: Actor) -> str:
    if actor.role is not Role.COUNTY_OFFICER or len(actor.jurisdiction) != 6:
        raise ApiError(403, "wrong_role", "此操作由县级民政部门办理")
    return actor.jurisdiction


def sees_township(actor: Actor, township: str) -> bool:
    """Township workers, county officers and auditors see their jurisdiction's townships."""
    return actor.role in SUPERVISORS and township.startswith(actor.jurisdiction)


def sees_village(actor: Actor, township: str, village: str) -> bool:
    """…and a village assistant its own village's pairings and records."""
    if actor.role is Role.VILLAGE_ASSISTANT:
        return village.startswith(actor.jurisdiction)
    return sees_township(actor, township)


@asynccontextmanager
async def refusals() -> AsyncIterator[None]:
    try:
        yield
    except ApplicationError as err:
        raise ApiError(_STATUS.get(err.type or "", 409), err.type or "refused", err.message) from None


def pairings_query() -> Any:
    return (select(PAIRINGS, HELPERS.c.name.label("helper_name"), PERSONS.c.name.label("person_name"))
            .join(HELPERS, HELPERS.c.id == PAIRINGS.c.helper_id).join(CASES, CASES.c.id == PAIRINGS.c.case_id)
            .join(PERSONS, PERSONS.c.id == CASES.c.person_id))


async def load_pairing(session: AsyncSession, actor: Actor, pairing_id: UUID) -> Any:
    row = (await session.execute(pairings_query().where(PAIRINGS.c.id == pairing_id))).first()
    if row is None or not sees_village(actor, row.township_code, row.village_code):
        raise ApiError(404, "pairing_not_found", "邻里互助结对不存在")
    return row

"""A case as the API shows it: the projection row with the person's name and its Chinese step name."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.tables import CASES, PERSONS
from vocabulary.case import Step

_c = CASES.c
CASE_COLUMNS = (CASES, PERSONS.c.name.label("person_name"))


def public(row: Any) -> dict[str, Any]:
    data = dict(row._mapping)
    data["step_zh"] = Step(data["step"]).zh
    data["deadline_suspended"] = data["suspended_on"] is not None
    data["deadline_extended"] = data["extended"]
    return data


async def read_case(session: AsyncSession, case_id: UUID) -> Any:
    return (await session.execute(
        select(*CASE_COLUMNS).join(PERSONS, PERSONS.c.id == _c.person_id).where(_c.id == case_id)
    )).one()

"""The person registry. Written by the API itself, because an ID number may never enter Temporal:
only its keyed hash (for lookup) and its cipher text are stored, and only the person's id travels on."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from infra.security import seal_id_number
from models.schemas import PersonIn
from models.settings import Settings
from models.tables import PERSONS, Person
from policy import idnumber

_p = PERSONS.c


async def register_person(session: AsyncSession, settings: Settings, person: PersonIn) -> UUID:
    """The person's id, registering them on first sight. A person already registered is not changed here: their
    record is shared by every case they ever had, so it changes only once a case of the asker's own has opened
    (`refresh_person`). A refused request changes nothing (issue #11, defect 1)."""
    return (await registration(session, settings, person))[0]


async def registration(session: AsyncSession, settings: Settings, person: PersonIn) -> tuple[UUID, bool]:
    """`register_person`, and whether this very request registered them: their record then already holds what
    the request says, and `refresh_person` has nothing to write."""
    facts = idnumber.parse(person.id_number)
    id_hash = idnumber.lookup_hash(person.id_number, settings.id_hash_key)
    now = datetime.now(UTC)
    inserted = (await session.execute(insert(Person).values(
        id=uuid4(), id_hash=id_hash, id_cipher=seal_id_number(person.id_number, settings.id_cipher_key),
        name=person.name, gender=facts.gender, birth_date=facts.birth_date, village_code=person.village_code,
        category=person.category.value, conditions=[c.value for c in person.conditions],
        created_at=now, updated_at=now,
    ).on_conflict_do_nothing(index_elements=["id_hash"]).returning(_p.id))).scalar_one_or_none()
    if inserted is not None:
        await session.commit()
        return UUID(str(inserted)), True
    row = (await session.execute(select(_p.id, _p.name).where(_p.id_hash == id_hash))).one()
    if row.name != person.name:
        await session.rollback()
        raise ApiError(409, "person_mismatch", "该身份证号码已登记为其他姓名，请核对姓名与身份证号码")
    await session.commit()
    return UUID(str(row.id)), False


async def refresh_person(session: AsyncSession, person_id: UUID, person: PersonIn) -> None:
    """After the asker's own case has opened for this person (the one open case a person may have, inside the
    asker's jurisdiction): the village, category and conditions as this case registered them."""
    await session.execute(update(PERSONS).where(_p.id == person_id).values(
        village_code=person.village_code, category=person.category.value,
        conditions=[c.value for c in person.conditions], updated_at=datetime.now(UTC)))
    await session.commit()


async def village_of(session: AsyncSession, person_id: UUID) -> str:
    code = (await session.execute(select(_p.village_code).where(_p.id == person_id))).scalar_one_or_none()
    if code is None:
        raise ApiError(422, "unknown_person", "未找到申请人的登记信息")
    return str(code)

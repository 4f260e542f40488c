"""infra/db.driver: the few fixed statements a step sends on asyncpg directly must stay inside the step's
transaction — written with it, and gone with it when it rolls back — even when they come first."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from infra.db import Sessions, driver


class _Abort(Exception):
    pass


async def _table(sessions: Sessions) -> str:
    name = f"driver_{uuid.uuid4().hex[:12]}"
    async with sessions.begin() as session:
        await session.execute(text(f"CREATE TABLE {name} (n int PRIMARY KEY)"))
    return name


async def _rows(sessions: Sessions, name: str) -> list[int]:
    async with sessions() as session:
        return list((await session.execute(text(f"SELECT n FROM {name} ORDER BY n"))).scalars())


async def test_a_first_raw_statement_rolls_back_with_the_session(sessions: Sessions) -> None:
    name = await _table(sessions)
    with pytest.raises(_Abort):
        async with sessions.begin() as session:
            await (await driver(session)).execute(f"INSERT INTO {name} VALUES ($1)", 1)  # before any ORM statement
            await session.execute(text(f"INSERT INTO {name} VALUES (2)"))
            raise _Abort
    assert await _rows(sessions, name) == []


async def test_raw_and_orm_statements_commit_together(sessions: Sessions) -> None:
    name = await _table(sessions)
    async with sessions.begin() as session:
        await session.execute(text(f"INSERT INTO {name} VALUES (1)"))
        raw = await driver(session)
        await raw.execute(f"INSERT INTO {name} VALUES ($1)", 2)
        assert await raw.fetchval(f"SELECT count(*) FROM {name}") == 2  # the ORM's row, seen: one transaction
    assert await _rows(sessions, name) == [1, 2]

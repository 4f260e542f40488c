"""infra/db.send: the few fixed statements a step sends as SQL text must stay inside the step's transaction —
written with it, and gone with it when it rolls back — even when they come first."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from infra.db import Sessions, send


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


async def test_a_first_text_statement_rolls_back_with_the_session(sessions: Sessions) -> None:
    name = await _table(sessions)
    with pytest.raises(_Abort):
        async with sessions.begin() as session:
            await send(session, f"INSERT INTO {name} VALUES ($1)", 1)  # before any other statement
            await session.execute(text(f"INSERT INTO {name} VALUES (2)"))
            raise _Abort
    assert await _rows(sessions, name) == []


async def test_text_and_core_statements_commit_together(sessions: Sessions) -> None:
    name = await _table(sessions)
    async with sessions.begin() as session:
        await session.execute(text(f"INSERT INTO {name} VALUES (1)"))
        await send(session, f"INSERT INTO {name} VALUES ($1)", 2)
        assert (await send(session, f"SELECT count(*) FROM {name}")).scalar() == 2  # both rows: one transaction
    assert await _rows(sessions, name) == [1, 2]

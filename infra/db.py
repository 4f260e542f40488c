"""Engine and session factory. Built once per process (API lifespan, worker main) and injected."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg
from sqlalchemy import CursorResult
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Sessions = async_sessionmaker[AsyncSession]


def make_engine(url: str, pool_size: int = 10) -> AsyncEngine:
    # No pre-ping: it costs a round trip on every checkout (a third of a short read). A connection broken by a
    # database restart fails its one request, which is retried by the caller, and the pool drops it; connections
    # are also recycled hourly so none outlives a failover for long.
    # hide_parameters: a failed statement's message (logged, or in a traceback) never carries the values it was
    # given, which may be a person's name or free text.
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_recycle=3600,
                               hide_parameters=True)


def make_sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, expire_on_commit=False)


def sync_url(url: str) -> str:
    """The same database for Alembic's synchronous run (psycopg2)."""
    return url.replace("+asyncpg", "+psycopg2")


async def send(session: AsyncSession, sql: str, *params: Any) -> CursorResult[Any]:
    """Fixed SQL text (`$1` parameters) on the session's connection, in its transaction: for the few statements
    every step sends. Built with Core, each cost ~0.28 ms of CPU more (the construct's cache key, compiling,
    parameter processing); sent this way SQLAlchemy still begins the transaction, and a lost connection still
    invalidates the pool (a database restart), which asyncpg called directly would not tell it."""
    return await (await session.connection()).exec_driver_sql(sql, params)


@asynccontextmanager
async def driver_connection(sessions: Sessions) -> AsyncIterator[Any]:
    """A pooled connection's asyncpg connection itself, for a hot read of a statement or two (`Prepared`): no
    session, no transaction (each statement commits alone and sees its own snapshot, as each statement does
    under READ COMMITTED, so a BEGIN and a ROLLBACK are saved). A failure below SQL (a broken connection, a
    statement cancelled midway) invalidates the connection instead of pooling it again; an SQL error leaves it
    usable."""
    engine: AsyncEngine = sessions.kw["bind"]
    async with engine.connect() as conn:
        driver: Any = (await conn.get_raw_connection()).driver_connection
        try:
            yield driver
        except asyncpg.PostgresError:
            # An SQL error leaves the connection usable, unless the server ended it (a FATAL such as the
            # admin_shutdown of a restart arrives as a PostgresError too).
            if driver.is_closed():
                await conn.invalidate()
            raise
        except BaseException:
            await conn.invalidate()
            raise


class Prepared:
    """A Core statement compiled once, run on `driver_connection` with each call's values by name: asyncpg
    prepares it once per connection, and the statement's construction, compilation and SQLAlchemy's execution
    and result processing are not redone per call. Rows come back as asyncpg records, values as the driver
    decodes them (the types used here have no SQLAlchemy result processing to skip).

    Only named parameters (`bindparam("name")`) take a new value per call; any other keeps the value it was
    compiled with, so it must be a constant. `constants` lists the values those may hold: a statement comparing
    anything else anonymously (a value of the request, `column == actor.jurisdiction`) is refused when compiled,
    never run for the next caller with the first caller's value.
    """

    def __init__(self, statement: ClauseElement, constants: Collection[object] = ()) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT, compile_kwargs={"render_postcompile": True}))
        if getattr(compiled, "_bind_processors", None):  # values go to the driver as they are
            raise ValueError("a parameter's type needs SQLAlchemy's bind processing")
        named = {b.key for b in compiled.binds.values() if not b.unique}
        fixed = compiled.params
        for name in compiled.positiontup or ():
            if name not in named and fixed[name] not in constants:
                raise ValueError(f"parameter {name} is neither named nor a listed constant")
        self.sql = compiled.string
        self._slots = [(name in named, name, fixed.get(name)) for name in compiled.positiontup or ()]

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        return [values[name] if by_name else fixed for by_name, name, fixed in self._slots]


_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]

"""Engine and session factory. Built once per process (API lifespan, worker main) and injected."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

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


async def driver(session: AsyncSession) -> Any:
    """The asyncpg connection under `session`, inside the session's transaction: for the few statements every step
    sends, written as fixed SQL text so that asyncpg prepares each once per connection. Through SQLAlchemy each
    of them cost ~0.25 ms of CPU more (compiling the cached construct, executing, building the result), and a
    step sends them on every one of the ~10 requests of a case."""
    fairy = await (await session.connection()).get_raw_connection()
    raw: Any = fairy.driver_connection
    adapter: Any = fairy.dbapi_connection
    if not raw.is_in_transaction():
        # SQLAlchemy's asyncpg adapter sends BEGIN lazily, with its first statement; start it the same way so the
        # session's commit or rollback ends what these statements wrote.
        await adapter._start_transaction()
    if not raw.is_in_transaction():  # never write outside the step's transaction (an adapter that changed)
        raise RuntimeError("the session's connection is not in a transaction")
    return raw

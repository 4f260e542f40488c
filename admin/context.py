"""What every admin command shares: the settings, one database engine and (when needed) one Temporal client for
the command's run, the CLI's own actor, and how an answer is printed (Chinese first, then English).

The CLI acts as a county officer of the county it is given, under a fixed user id that the audit log shows as
the admin CLI. It goes through the same functions as the API, so the same rules and audit rows apply.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.errors import ApiError
from infra.db import Sessions, make_engine, make_sessions
from infra.temporal import connect
from models.payloads.actor import Actor
from models.settings import Settings
from policy.accounts import Refusal
from vocabulary.case import Role

ADMIN_CLI_USER: UUID = uuid5(NAMESPACE_URL, "assistflow:user:admin-cli")
T = TypeVar("T")


def admin_actor(county: str) -> Actor:
    return Actor(user_id=ADMIN_CLI_USER, role=Role.COUNTY_OFFICER, jurisdiction=county)


@dataclass
class Admin:
    settings: Settings
    engine: AsyncEngine
    sessions: Sessions
    _client: Client | None = field(default=None)

    async def temporal(self) -> Client:
        if self._client is None:
            s = self.settings
            self._client = await connect(s.temporal_address, s.temporal_namespace, s.payload_key)
        return self._client

    async def resources(self) -> Resources:
        return Resources(settings=self.settings, sessions=self.sessions, temporal=await self.temporal(),
                         documents=DocumentStore.from_settings(self.settings, self.sessions))


@asynccontextmanager
async def admin(settings: Settings | None = None) -> AsyncIterator[Admin]:
    settings = settings or Settings()  # read afresh: one process may run commands for several databases
    engine = make_engine(settings.database_url, pool_size=2)
    try:
        yield Admin(settings, engine, make_sessions(engine))
    finally:
        await engine.dispose()


def done(zh: str, en: str) -> None:
    typer.echo(f"{zh} / {en}")


def fail(zh: str, en: str, code: str = "error") -> NoReturn:
    typer.echo(f"失败 / failed [{code}]: {zh} / {en}", err=True)
    raise typer.Exit(1)


def run(work: Callable[[Admin], Awaitable[T]]) -> T:
    """Run one command against the database (and Temporal); a refusal is printed and exits with status 1."""

    async def main() -> T:
        async with admin() as a:
            return await work(a)

    try:
        return asyncio.run(main())
    except ApiError as err:
        fail(err.message, _english(err.code), err.code)
    except Refusal as err:
        fail(err.message, _english(err.code), err.code)


M = TypeVar("M", bound=BaseModel)


def form(model: type[M], **values: Any) -> M:
    """A request body built from options; what is wrong with it printed field by field."""
    try:
        return model.model_validate(values)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in err.errors())
        fail("填写内容有误", problems, "invalid_input")


def _english(code: str) -> str:
    return code.replace("_", " ")


def dump(value: Any) -> str:
    return value.model_dump_json(indent=2) if hasattr(value, "model_dump_json") else str(value)

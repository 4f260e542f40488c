"""The SpiffWorkflow peer behind FastAPI: each request loads, advances and saves the case in one transaction.

    uvicorn --factory bench.peer.app:app      # DATABASE_URL (postgresql+asyncpg://...), TOKEN_SECRET, ...

The same paths, bearer tokens (infra.security) and bodies (tests/flow.py) as assistflow's API, so bench.compare
drives both with one client. Its own small tables (`peer_*`, created at start-up): the person registry (the ID
number kept as assistflow keeps it: a keyed hash and Fernet cipher text), one row per case holding SpiffWorkflow's
serialization beside the columns a supervisor's list needs, and each provider's last service number.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bench.peer.engine import BY_PATH, Engine, Refused, check_opener
from devstack.seed import PROVIDERS
from infra.security import BadToken, read_token, seal_id_number
from models.payloads.actor import Actor
from models.schemas import CaseCreate
from models.settings import Settings
from policy import idnumber

SCHEMA = """
CREATE TABLE IF NOT EXISTS peer_persons (
    id uuid PRIMARY KEY, id_hash text NOT NULL UNIQUE, id_cipher bytea NOT NULL, name text NOT NULL,
    gender text NOT NULL, birth_date date NOT NULL, village_code text NOT NULL, category text NOT NULL,
    conditions jsonb NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS peer_cases (
    id uuid PRIMARY KEY, person_id uuid NOT NULL REFERENCES peer_persons, village_code text NOT NULL,
    step text NOT NULL, status text NOT NULL, provider_id uuid, seq int NOT NULL, service_no text,
    instance text NOT NULL,
    opened_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS peer_cases_open_person ON peer_cases (person_id) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS peer_cases_village_step ON peer_cases (village_code, step);
CREATE TABLE IF NOT EXISTS peer_providers (id uuid PRIMARY KEY, code text NOT NULL, last_service_no int NOT NULL);
"""

UPSERT_PERSON = text("""
INSERT INTO peer_persons VALUES (:id, :id_hash, :id_cipher, :name, :gender, :birth_date, :village_code, :category,
    CAST(:conditions AS jsonb), :now, :now)
ON CONFLICT (id_hash) DO UPDATE SET category = excluded.category, conditions = excluded.conditions,
    village_code = excluded.village_code, updated_at = excluded.updated_at
WHERE peer_persons.name = excluded.name RETURNING id""")
INSERT_CASE = text("""INSERT INTO peer_cases VALUES (:id, :person_id, :village_code, :step, 'open', NULL, 1,
    NULL, :instance, :now, :now)""")
LOAD_CASE = text("SELECT instance FROM peer_cases WHERE id = :id FOR UPDATE")
SAVE_CASE = text("""UPDATE peer_cases SET instance = :instance, step = :step, status = :status,
    provider_id = :provider_id, seq = :seq, service_no = coalesce(:service_no, service_no), updated_at = :now
    WHERE id = :id""")
NEXT_SERVICE_NO = text("""UPDATE peer_providers SET last_service_no = last_service_no + 1 WHERE id = :id
    RETURNING code, last_service_no""")


def refusal(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


async def actor(request: Request) -> Actor:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer":
            raise BadToken("scheme")
        return read_token(token, request.app.state.settings.token_secret)
    except BadToken:
        raise Refused(401, "invalid_token", "登录已失效，请重新登录") from None


ActorDep = Annotated[Actor, Depends(actor)]


def create_app(settings: Settings) -> FastAPI:
    engine = Engine()
    db: dict[str, AsyncEngine] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db["engine"] = create_async_engine(settings.database_url, pool_size=10, max_overflow=10)
        async with db["engine"].begin() as conn:
            for statement in filter(str.strip, SCHEMA.split(";")):
                await conn.execute(text(statement))
            await conn.execute(text("INSERT INTO peer_providers VALUES (:id, :code, 0) ON CONFLICT DO NOTHING"),
                               [{"id": p[0], "code": p[1]} for p in PROVIDERS])
        try:
            yield
        finally:
            await db["engine"].dispose()

    app = FastAPI(title="SpiffWorkflow peer (bench only)", lifespan=lifespan)
    app.state.settings = settings

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        return refusal(exc.status, exc.code, exc.message)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/cases", status_code=201)
    async def open_case(body: CaseCreate, who: ActorDep) -> dict[str, Any]:
        if body.person is None:
            raise Refused(422, "person_required", "请填写服务对象的姓名、身份证号码、所在村(社区)和救助类别")
        person = body.person
        check_opener(who, person.village_code)
        facts = idnumber.parse(person.id_number)
        now, case_id = datetime.now(UTC), uuid.uuid4()
        try:
            async with db["engine"].begin() as conn:
                person_id = (await conn.execute(UPSERT_PERSON, {
                    "id": uuid.uuid4(), "id_hash": idnumber.lookup_hash(person.id_number, settings.id_hash_key),
                    "id_cipher": seal_id_number(person.id_number, settings.id_cipher_key), "name": person.name,
                    "gender": facts.gender, "birth_date": facts.birth_date, "village_code": person.village_code,
                    "category": person.category.value, "conditions": json.dumps([c.value for c in person.conditions]),
                    "now": now})).scalar_one_or_none()
                if person_id is None:
                    raise Refused(409, "person_mismatch", "该身份证号码已登记为其他姓名，请核对姓名与身份证号码")
                instance, step = engine.open({
                    "case_id": str(case_id), "person_id": str(person_id), "village_code": person.village_code,
                    "channel": body.channel.value, "need_description": body.need_description,
                    "opened_by": str(who.user_id)})
                await conn.execute(INSERT_CASE, {"id": case_id, "person_id": person_id, "step": step.value,
                                                 "village_code": person.village_code, "instance": instance,
                                                 "now": now})
        except IntegrityError as err:
            if "peer_cases_open_person" in str(err.orig):
                raise Refused(409, "duplicate_open_case", "该服务对象已有正在办理的案件，不能重复申请") from None
            raise
        return {"id": str(case_id), "step": step.value, "status": "open", "seq": 1}

    @app.post("/cases/{case_id}/{path:path}")
    async def take(case_id: UUID, path: str, request: Request, who: ActorDep) -> dict[str, Any]:
        act = BY_PATH.get(path)
        if act is None:
            raise Refused(404, "not_found", "不支持的办理操作")
        try:
            form = act.form.model_validate_json(await request.body())
        except ValidationError:
            raise Refused(422, "invalid_input", "办理请求的内容有误") from None
        async with db["engine"].begin() as conn:
            return await advance(conn, case_id, act, who, form)

    async def advance(conn: AsyncConnection, case_id: UUID, act: Any, who: Actor, form: Any) -> dict[str, Any]:
        instance = (await conn.execute(LOAD_CASE, {"id": case_id})).scalar_one_or_none()
        if instance is None:
            raise Refused(404, "case_not_found", "案件不存在")
        instance, step, facts = engine.advance(instance, act, who, form)
        status = "open" if facts["outcome"] is None else "closed"
        out = {"id": str(case_id), "step": step.value, "status": status, "seq": facts["seq"]}
        if act.path == "archive":  # the provider's number, late: its row lock is held only until the commit
            row = (await conn.execute(NEXT_SERVICE_NO, {"id": who.provider_id})).one()
            out["service_no"] = f"{row.code}-{row.last_service_no:06d}"
        await conn.execute(SAVE_CASE, {"id": case_id, "instance": instance, "step": step.value, "status": status,
                                       "provider_id": facts["provider_id"], "seq": facts["seq"],
                                       "service_no": out.get("service_no"), "now": datetime.now(UTC)})
        return out

    return app


def app() -> FastAPI:
    """uvicorn factory: `uvicorn --factory bench.peer.app:app`."""
    return create_app(Settings())

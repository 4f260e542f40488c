"""The HTTP API. The lifespan owns the Temporal client and the database engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from api import errors, openapi_doc
from api.deps import Resources, ResourcesDep
from api.routes import archives, audit, auth, calendar, cases, inbox, persons, process, services, steps, supervision
from api.routes.settlement import agreements, catalog, statements
from api.routes.settlement import runs as settlement
from infra.db import make_engine, make_sessions
from infra.temporal import connect
from models.settings import Settings, get_settings


def create_app(settings: Settings | None = None, resources: Resources | None = None) -> FastAPI:
    """`resources` lets tests hand in an engine and client they already own; otherwise the lifespan builds them."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if resources is not None:
            app.state.resources = resources
            yield
            return
        engine = make_engine(settings.database_url)
        client = await connect(settings.temporal_address, settings.temporal_namespace, settings.payload_key)
        app.state.resources = Resources(settings=settings, sessions=make_sessions(engine), temporal=client)
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(title="assistflow 服务类社会救助", version="0.1.0", lifespan=lifespan)
    errors.install(app)
    openapi_doc.install(app)
    for module in (auth, process, cases, steps, services, archives, catalog, inbox, supervision, calendar,
                   agreements, settlement, statements, audit, persons):
        app.include_router(module.router)

    @app.get("/health", tags=["运维"], summary="健康检查")
    async def health(res: ResourcesDep) -> dict[str, str]:
        async with res.sessions() as session:
            await session.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


def app() -> FastAPI:
    """uvicorn factory: `uvicorn --factory api.main:app`."""
    return create_app()

"""The HTTP API. The lifespan owns the Temporal client and the database engine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from sqlalchemy import text

from activities.documents.store import DocumentStore
from activities.documents.sweep import sweep
from api import errors, openapi_doc
from api.deps import Resources, ResourcesDep
from api.routes import (
    archive_bundles,
    archives,
    audit,
    auth,
    calendar,
    case_export,
    case_records,
    cases,
    console,
    directory,
    document_access,
    documents,
    inbox,
    persons,
    process,
    services,
    steps,
    supervision,
)
from api.routes.settlement import agreements, catalog, statements
from api.routes.settlement import runs as settlement
from api.upload_limit import UploadLimit
from infra.db import make_engine, make_sessions
from infra.temporal import connect
from models.settings import Settings, get_settings

log = logging.getLogger(__name__)
SWEEP_EVERY_SECONDS = 600


async def sweep_forever(store: DocumentStore) -> None:
    """Removes the objects of uploads that died before committing (see activities.documents.store)."""
    while True:
        try:
            result = await sweep(store)
            if result.objects_removed or result.partials_removed:
                log.info("document sweep removed %d orphan objects, %d part files", result.objects_removed,
                         result.partials_removed)
        except Exception as exc:  # a database or store outage: try again next time
            log.warning("document sweep failed: %s", type(exc).__name__)
        await asyncio.sleep(SWEEP_EVERY_SECONDS)


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
        sessions = make_sessions(engine)
        store = DocumentStore.from_settings(settings, sessions)
        await store.objects.prepare()
        app.state.resources = Resources(settings=settings, sessions=sessions, temporal=client, documents=store)
        sweeper = asyncio.create_task(sweep_forever(store))
        try:
            yield
        finally:
            sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await sweeper
            await store.close()
            await engine.dispose()

    app = FastAPI(title="assistflow 服务类社会救助", version="0.1.0", lifespan=lifespan)
    errors.install(app)
    openapi_doc.install(app)
    app.add_middleware(UploadLimit)
    for module in (auth, process, cases, steps, services, archives, documents, archive_bundles, document_access,
                   catalog, inbox, supervision, calendar, agreements, settlement, statements, case_records, case_export,
                   directory, audit, persons):
        app.include_router(module.router)

    @app.get("/health", tags=["运维"], summary="健康检查")
    async def health(res: ResourcesDep) -> dict[str, str]:
        async with res.sessions() as session:
            await session.execute(text("SELECT 1"))
        return {"status": "ok"}

    console.mount(app)  # last: `/` and `/console/...` only, after every JSON path
    return app


def app() -> FastAPI:
    """uvicorn factory: `uvicorn --factory api.main:app`."""
    return create_app()

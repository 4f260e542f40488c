"""The HTTP API. The lifespan owns the Temporal client and the database engine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.responses import Response

from activities.documents.store import DocumentStore
from activities.documents.sweep import sweep
from api import errors, metrics, openapi_doc
from api.deps import Resources, ResourcesDep, TodayDep
from api.health import readiness
from api.observe import ObserveMiddleware
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
    modes,
    neighbour,
    neighbour_records,
    neighbour_settlements,
    persons,
    placements,
    process,
    referral_batches,
    services,
    steps,
    supervision,
    urgent,
)
from api.routes.accounts import providers, users
from api.routes.dynamic import cases as dynamic_cases
from api.routes.dynamic import events as dynamic_events
from api.routes.dynamic import roster, screenings
from api.routes.oversight import (
    checks,
    complaints,
    evaluations,
    ledger,
    notices,
    objections,
    overview,
    rectifications,
    visits,
)
from api.routes.service_modes import ROUTERS as SERVICE_MODES
from api.routes.settlement import agreements, catalog, statements
from api.routes.settlement import runs as settlement
from api.upload_limit import UploadLimit
from infra import logs, tracing
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
        client = await connect(settings.temporal_address, settings.temporal_namespace, settings.payload_key,
                               interceptors=tracing.interceptors(tracing.configure("assistflow-api")))
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
    app.add_middleware(ObserveMiddleware)
    for module in (auth, process, cases, steps, services, archives, documents, archive_bundles, document_access,
                   catalog, inbox, supervision, calendar, agreements, settlement, statements, case_records, case_export,
                   directory, users, providers, dynamic_cases, dynamic_events, roster, screenings, notices,
                   objections, checks, rectifications, complaints, visits, evaluations, ledger, overview, audit,
                   persons, modes, urgent, referral_batches, placements):
        app.include_router(module.router)
    for module in (neighbour, neighbour_records, neighbour_settlements):  # 邻里互助服务 (issue 15)
        app.include_router(module.router)
    for mode_router in SERVICE_MODES:
        app.include_router(mode_router)

    @app.get("/health", tags=["运维"], summary="健康检查（数据库可用）")
    async def health(res: ResourcesDep) -> dict[str, str]:
        async with res.sessions() as session:
            await session.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/health/live", tags=["运维"], summary="存活检查（进程在运行）")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    ready_body = {"application/json": {"schema": {
        "type": "object", "required": ["status", "checks"],
        "properties": {"status": {"type": "string"}, "checks": {"type": "object"}}}}}

    @app.get("/health/ready", tags=["运维"], summary="就绪检查：数据库、Temporal、工作进程均可用",
             response_class=JSONResponse, responses={200: {"description": "均可用", "content": ready_body},
                                                     503: {"description": "有依赖不可用", "content": ready_body}})
    async def ready(res: ResourcesDep) -> JSONResponse:
        found = await readiness(res.sessions, res.temporal, res.settings.task_queue, res.settings.worker_poll_seconds)
        return JSONResponse({"status": "ok" if found.ok else "unavailable", "checks": found.checks},
                            status_code=200 if found.ok else 503)

    @app.get("/metrics", tags=["运维"], summary="Prometheus 指标", include_in_schema=False)
    async def prometheus(res: ResourcesDep, today: TodayDep) -> Response:
        await metrics.PROJECTION.refresh(res.sessions, res.settings.metrics_cache_seconds, today)
        return metrics.render()

    console.mount(app)  # last: `/` and `/console/...` only, after every JSON path
    return app


def app() -> FastAPI:
    """uvicorn factory: `uvicorn --factory api.main:app`. Logs as JSON lines; traces when OTLP is configured."""
    settings = get_settings()
    logs.configure("assistflow-api", settings.log_level)
    application = create_app(settings)
    provider = tracing.configure("assistflow-api")
    if provider is not None:
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(application, tracer_provider=provider, excluded_urls="health,metrics")
    return application

"""The middleware every request passes: a request id (taken from X-Request-ID when it looks like one, else
new; echoed back), the case id when the path names one, the request counted and timed per route template, and
one JSON log line per request — method, route template, status, duration — never the query string or body."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics import LATENCY, REQUESTS
from infra.logs import CASE_ID, REQUEST_ID

log = logging.getLogger("assistflow.request")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_CASE_PATH = re.compile(r"^/cases/([0-9a-fA-F-]{36})(?:/|$)")


class ObserveMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SAFE_ID.match(given) else uuid.uuid4().hex
        case = _CASE_PATH.match(scope.get("path", ""))
        tokens = (REQUEST_ID.set(request_id), CASE_ID.set(case.group(1).lower() if case else None))
        status = {"code": 500}
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _template(scope)
            method = scope.get("method", "")
            REQUESTS.labels(route, method, str(status["code"])).inc()
            LATENCY.labels(route, method).observe(elapsed)
            if route != "/metrics" and not route.startswith("/health"):
                log.info("request", extra={"method": method, "route": route, "status": status["code"],
                                           "duration_ms": round(elapsed * 1000, 1)})
            REQUEST_ID.reset(tokens[0])
            CASE_ID.reset(tokens[1])


def _template(scope: Scope) -> str:
    """The matched route's template (/cases/{case_id}), so ids never become label values; unmatched: "other"."""
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "other"

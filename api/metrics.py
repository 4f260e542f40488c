"""`GET /metrics` in Prometheus text format: requests and latencies per route template and status, step
advances per action and outcome, refusals per code, and gauges read from the case projection (open cases per
county and step, overdue, blocked, unassigned) with one cheap grouped query, cached for
`metrics_cache_seconds`.

Several uvicorn workers: set PROMETHEUS_MULTIPROC_DIR (an empty directory shared by the workers) and every
worker's counters are summed on each scrape; the projection gauges are the same from whichever worker answers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import text
from starlette.responses import Response

from infra.db import Sessions

REQUESTS = Counter("assistflow_http_requests_total", "HTTP requests by route template, method and status",
                   ["route", "method", "status"])
LATENCY = Histogram("assistflow_http_request_duration_seconds", "HTTP request duration by route template",
                    ["route", "method"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
STEP_ADVANCES = Counter("assistflow_step_advances_total",
                        "Case workflow updates sent by the API, by action and outcome (advanced / refused / "
                        "unavailable) and the step the case is in afterwards", ["action", "outcome", "step"])
REFUSALS = Counter("assistflow_refusals_total", "Requests refused with a machine code (4xx/503)", ["code", "status"])

_PROJECTION = text("""
SELECT county_code, step, count(*) AS open_cases,
       count(*) FILTER (WHERE due_on < :today AND suspended_on IS NULL) AS overdue,
       count(*) FILTER (WHERE blocked_at IS NOT NULL) AS blocked,
       count(*) FILTER (WHERE assignee_id IS NULL AND step IN
                        ('survey', 'review', 'referral', 'service', 'archiving')) AS unassigned
FROM cases WHERE status = 'open' GROUP BY county_code, step
""")


class ProjectionGauges(Collector):
    """The projection's counts as of the last refresh (the scrape handler refreshes, then collects)."""

    def __init__(self) -> None:
        self.rows: list[Any] = []
        self.at = 0.0

    async def refresh(self, sessions: Sessions, max_age: float, today: Any) -> None:
        if self.at and time.monotonic() - self.at < max_age:
            return
        async with sessions() as session:
            self.rows = list((await session.execute(_PROJECTION, {"today": today})).all())
        self.at = time.monotonic()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families = {
            "open_cases": GaugeMetricFamily("assistflow_open_cases", "Open cases by county and step",
                                            labels=["county", "step"]),
            "overdue": GaugeMetricFamily("assistflow_overdue_cases", "Open cases past their due date",
                                         labels=["county", "step"]),
            "blocked": GaugeMetricFamily("assistflow_blocked_cases", "Open cases whose automatic work is blocked",
                                         labels=["county", "step"]),
            "unassigned": GaugeMetricFamily("assistflow_unassigned_cases", "Open cases back in the township's queue",
                                            labels=["county", "step"]),
        }
        for row in self.rows:
            for name, family in families.items():
                family.add_metric([row.county_code, row.step], float(getattr(row, name)))
        yield from families.values()


PROJECTION = ProjectionGauges()
_MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
if not _MULTIPROCESS:
    REGISTRY.register(PROJECTION)


def render() -> Response:
    registry = REGISTRY
    if _MULTIPROCESS:
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(PROJECTION)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

"""OpenTelemetry traces across an API request, the Temporal update it sends and the activity that writes it.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard variable; OTEL_SERVICE_NAME and the other OTEL_*
variables are read by the SDK as usual): then spans are batched to that OTLP/HTTP endpoint. The same
interceptor on the Temporal client carries the trace context in the update's headers to the worker, whose
workflow and activity spans join the request's trace.
"""

from __future__ import annotations

import os

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from temporalio.contrib.opentelemetry import TracingInterceptor

_provider: TracerProvider | None = None


def enabled() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configure(service: str) -> TracerProvider | None:
    """Install the global tracer provider exporting over OTLP, once per process; None when tracing is off."""
    global _provider
    if _provider is not None or not enabled():
        return _provider
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    name = os.environ.get("OTEL_SERVICE_NAME") or service
    _provider = TracerProvider(resource=Resource.create({"service.name": name}))
    _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(_provider)
    return _provider


def interceptors(provider: trace.TracerProvider | None) -> list[TracingInterceptor]:
    """The Temporal client's interceptors: the tracing one when a provider is installed, none otherwise."""
    if provider is None:
        return []
    return [TracingInterceptor(provider.get_tracer("assistflow.temporal"))]

"""The Temporal client every process uses: pydantic payloads, encrypted at rest in the server.

Payloads carry notes, reasons and assessments a worker typed; the codec keeps them out of the Temporal
database and UI in plain text. Search attributes are never encoded, so they carry codes only.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import logging
import os
import time
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.client import Client, Interceptor
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    PrometheusConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)

_ENCODING = b"binary/encrypted"


class EncryptionCodec(PayloadCodec):
    def __init__(self, key_b64: str) -> None:
        self._aead = AESGCM(base64.urlsafe_b64decode(key_b64))

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        out = []
        for p in payloads:
            nonce = os.urandom(12)
            sealed = self._aead.encrypt(nonce, p.SerializeToString(), None)
            out.append(Payload(metadata={"encoding": _ENCODING}, data=nonce + sealed))
        return out

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        out = []
        for p in payloads:
            if p.metadata.get("encoding") != _ENCODING:
                out.append(p)
                continue
            plain = self._aead.decrypt(p.data[:12], p.data[12:], None)
            decoded = Payload()
            decoded.ParseFromString(plain)
            out.append(decoded)
        return out


def data_converter(payload_key: str) -> DataConverter:
    return dataclasses.replace(pydantic_data_converter, payload_codec=EncryptionCodec(payload_key))


async def connect(address: str, namespace: str, payload_key: str, *, interceptors: Sequence[Interceptor] = (),
                  runtime: Runtime | None = None, wait_seconds: float = 0.0) -> Client:
    """`interceptors`: tracing (infra/tracing.py), also used by workers built on this client. `runtime`: the
    worker's, exporting the SDK's metrics to Prometheus. With `wait_seconds`, a server not reachable yet
    (restarting, starting with us) is waited for instead of failing the process at once."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return await Client.connect(address, namespace=namespace, data_converter=data_converter(payload_key),
                                        interceptors=interceptors, runtime=runtime)
        except RuntimeError:
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(1.0)


def worker_runtime(metrics_address: str | None) -> Runtime:
    """The worker's Temporal runtime: the SDK core's own log lines (warnings and up) forwarded to Python logging,
    so they come out as the same JSON lines as everything else, and, when an address is given, the SDK's metrics
    (task latencies, slots, sticky cache, polls) served at http://<metrics_address>/metrics for Prometheus."""
    forwarded = LoggingConfig(filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
                              forwarding=LogForwardingConfig(logger=logging.getLogger("temporalio.core")))
    metrics = PrometheusConfig(bind_address=metrics_address) if metrics_address else None
    return Runtime(telemetry=TelemetryConfig(logging=forwarded, metrics=metrics))

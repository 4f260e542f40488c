"""The Temporal client every process uses: pydantic payloads, encrypted at rest in the server.

Payloads carry notes, reasons and assessments a worker typed; the codec keeps them out of the Temporal
database and UI in plain text. Search attributes are never encoded, so they carry codes only.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import os
import time
from collections.abc import Sequence

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec

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


async def connect(address: str, namespace: str, payload_key: str, wait_seconds: float = 0.0) -> Client:
    """The client; with `wait_seconds`, a server not reachable yet (restarting, starting with us) is waited for
    instead of failing the process at once."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return await Client.connect(address, namespace=namespace, data_converter=data_converter(payload_key))
        except RuntimeError:
            if time.monotonic() >= deadline:
                raise
            await asyncio.sleep(1.0)

"""Envelope encryption of stored documents (AES-256-GCM).

Each object gets its own random data key. The object holds `MAGIC + nonce + AES-GCM(data key, plaintext)`,
with the object's key as associated data, so an object moved under another name does not open. The data key
is wrapped (AES-GCM) by a key-encryption key (KEK) from settings and kept in the document's row with the KEK's
id; the wrapping binds the id and the object key too. Rotating the KEK re-wraps 60-byte data keys in the rows
(`rewrap`), never the objects: a terabyte archive rotates in minutes, and until it has, old ids still open.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from models.settings import Settings

MAGIC = b"AFD1"  # assistflow document, format 1
_NONCE = 12


class UnknownKey(Exception):
    """The row names a key-encryption key that is not configured (removed before its objects were re-wrapped)."""


class Undecryptable(Exception):
    """The object or its wrapped key does not authenticate: corrupted, truncated or swapped."""


@dataclass(frozen=True)
class Sealed:
    blob: bytes  # what goes to the object store
    key_id: str
    wrapped_key: bytes  # what goes into the row


def _wrap_aad(key_id: str, object_key: str) -> bytes:
    return f"assistflow-data-key|{key_id}|{object_key}".encode()


class Keyring:
    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        if current not in keys:
            raise UnknownKey(current)
        self._keks = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self.current = current

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        keys = {k: base64.urlsafe_b64decode(v) for k, v in settings.document_keys.items()}
        return cls(keys, settings.document_key_id)

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keks)

    def _kek(self, key_id: str) -> AESGCM:
        try:
            return self._keks[key_id]
        except KeyError:
            raise UnknownKey(key_id) from None

    def _wrap(self, key_id: str, object_key: str, data_key: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._kek(key_id).encrypt(nonce, data_key, _wrap_aad(key_id, object_key))

    def _unwrap(self, key_id: str, object_key: str, wrapped: bytes) -> bytes:
        try:
            return self._kek(key_id).decrypt(wrapped[:_NONCE], wrapped[_NONCE:], _wrap_aad(key_id, object_key))
        except InvalidTag:
            raise Undecryptable("data key") from None

    def seal(self, object_key: str, plaintext: bytes) -> Sealed:
        data_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(_NONCE)
        blob = MAGIC + nonce + AESGCM(data_key).encrypt(nonce, plaintext, object_key.encode())
        return Sealed(blob, self.current, self._wrap(self.current, object_key, data_key))

    def open(self, object_key: str, blob: bytes, key_id: str, wrapped_key: bytes) -> bytes:
        data_key = self._unwrap(key_id, object_key, wrapped_key)
        if blob[: len(MAGIC)] != MAGIC:
            raise Undecryptable("not an assistflow document object")
        nonce, body = blob[len(MAGIC): len(MAGIC) + _NONCE], blob[len(MAGIC) + _NONCE:]
        try:
            return AESGCM(data_key).decrypt(nonce, body, object_key.encode())
        except InvalidTag:
            raise Undecryptable("object") from None

    def rewrap(self, object_key: str, key_id: str, wrapped_key: bytes) -> tuple[str, bytes]:
        """The same data key under the current KEK: the object itself is untouched."""
        data_key = self._unwrap(key_id, object_key, wrapped_key)
        return self.current, self._wrap(self.current, object_key, data_key)

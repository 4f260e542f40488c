"""Passwords (argon2), bearer tokens (HMAC-signed claims), ID numbers at rest (Fernet)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet

from models.payloads.actor import Actor

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("assistflow-no-such-user")


class BadToken(Exception):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(actor: Actor, secret: str, ttl_seconds: int) -> str:
    # "iat" to the millisecond: a token is refused when issued before its user's last revocation.
    now = time.time()
    claims = {"a": actor.model_dump(mode="json"), "exp": int(now) + ttl_seconds, "iat": round(now, 3)}
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    sig = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}"


def read_token(token: str, secret: str) -> Actor:
    return read_token_claims(token, secret)[0]


def read_token_claims(token: str, secret: str) -> tuple[Actor, float]:
    """The actor and when the token was issued (0 for a token from before "iat" was written)."""
    body, _, sig = token.partition(".")
    expected = _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())
    if not sig or not hmac.compare_digest(sig, expected):
        raise BadToken("signature")
    try:
        claims = json.loads(_unb64(body))
        actor = Actor.model_validate(claims["a"])
        expires = int(claims["exp"])
        issued = float(claims.get("iat", 0))
    except (ValueError, KeyError, TypeError) as exc:
        raise BadToken("claims") from exc
    if expires < time.time():
        raise BadToken("expired")
    return actor, issued


def seal_id_number(number: str, key: str) -> bytes:
    return Fernet(key.encode()).encrypt(number.encode())


def open_id_number(sealed: bytes, key: str) -> str:
    return Fernet(key.encode()).decrypt(sealed).decode()



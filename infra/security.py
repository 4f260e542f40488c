"""Passwords (argon2), bearer tokens (JWT via PyJWT: short-lived access tokens with "exp", "iat", "jti"; opaque
refresh tokens kept only as hashes), ID numbers at rest (Fernet)."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet

from models.payloads.actor import Actor

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("assistflow-no-such-user")
_ALGORITHM = "HS256"
_LEEWAY_SECONDS = 5  # clocks of several API processes may differ a little


class BadToken(Exception):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Claims:
    actor: Actor
    jti: str
    issued_at: float  # epoch seconds
    expires_at: float


def issue_token(actor: Actor, secret: str, ttl_seconds: int) -> str:
    """A signed JWT (HS256, PyJWT) carrying the actor, with "exp", "iat" and a unique "jti" (for revocation)."""
    return issue_access_token(actor, secret, ttl_seconds)[0]


def issue_access_token(actor: Actor, secret: str, ttl_seconds: int) -> tuple[str, Claims]:
    now = time.time()
    claims = Claims(actor=actor, jti=uuid.uuid4().hex, issued_at=round(now, 3), expires_at=int(now) + ttl_seconds)
    token = jwt.encode({
        "sub": str(actor.user_id), "act": actor.model_dump(mode="json"), "typ": "access",
        "iat": claims.issued_at, "exp": claims.expires_at, "jti": claims.jti,
    }, secret, algorithm=_ALGORITHM)
    return token, claims


def read_claims(token: str, secret: str) -> Claims:
    """The token's claims when its signature, type and lifetime hold; BadToken otherwise (any malformed input,
    non-ASCII included, is a bad token, never an error)."""
    try:
        data = jwt.decode(token, secret, algorithms=[_ALGORITHM], leeway=_LEEWAY_SECONDS,
                          options={"require": ["exp", "iat", "jti", "sub"]})
        if data.get("typ") != "access":
            raise BadToken("type")
        actor = Actor.model_validate(data["act"])
        if str(actor.user_id) != data["sub"]:
            raise BadToken("subject")
        return Claims(actor=actor, jti=str(data["jti"]), issued_at=float(data["iat"]),
                      expires_at=float(data["exp"]))
    except (jwt.PyJWTError, ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise BadToken(type(exc).__name__) from None


def read_token(token: str, secret: str) -> Actor:
    return read_claims(token, secret).actor


def read_token_claims(token: str, secret: str) -> tuple[Actor, float]:
    """The actor and when the token was issued (for a check against the user's last revocation)."""
    claims = read_claims(token, secret)
    return claims.actor, claims.issued_at


def new_refresh_token() -> tuple[str, str]:
    """An opaque refresh token and the hash kept of it (the token itself is never stored)."""
    token = secrets.token_urlsafe(32)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def seal_id_number(number: str, key: str) -> bytes:
    return Fernet(key.encode()).encrypt(number.encode())


def open_id_number(sealed: bytes, key: str) -> str:
    return Fernet(key.encode()).decrypt(sealed).decode()



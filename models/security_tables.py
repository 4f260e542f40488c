"""Tables that make requests safe to repeat and logins safe to offer: client idempotency keys, refresh tokens,
revoked access tokens and login failures. All in PostgreSQL, so several API processes agree."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.tables import json_column, table_of, tz_column


class IdempotencyKey(SQLModel, table=True):
    """A client's Idempotency-Key, bound to its user, the operation and a fingerprint of the request, holding
    the original answer. Written in the same transaction as the step's audit row (activities/case/saving.py),
    so a key means "once" for as long as it is kept, across continue-as-new and across workflow runs."""

    __tablename__ = "idempotency_keys"
    user_id: UUID = Field(primary_key=True)
    key: str = Field(primary_key=True, max_length=128)
    operation: str = Field(max_length=200)  # "POST /cases/{case_id}/review" with the case id filled in
    fingerprint: str = Field(max_length=64)  # sha256 of the canonical request body
    case_id: UUID | None = None
    seq: int | None = None
    answer: dict[str, Any] | None = json_column(nullable=True)
    created_at: datetime = tz_column()


class RefreshToken(SQLModel, table=True):
    """A refresh token (only its hash is kept). Each use rotates it; a used one presented again revokes its
    whole family (a stolen token used twice)."""

    __tablename__ = "refresh_tokens"
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    user_id: UUID = Field(index=True)
    family_id: UUID = Field(index=True)
    token_hash: str = Field(unique=True, max_length=64)
    issued_at: datetime = tz_column()
    expires_at: datetime = tz_column()
    used_at: datetime | None = tz_column(nullable=True)
    revoked_at: datetime | None = tz_column(nullable=True)


class RevokedToken(SQLModel, table=True):
    """An access token revoked before its expiry (logout); kept until it would have expired anyway."""

    __tablename__ = "revoked_tokens"
    jti: str = Field(primary_key=True, max_length=64)
    user_id: UUID
    expires_at: datetime = tz_column()


class LoginFailure(SQLModel, table=True):
    """Failed logins per username and per client address in the current window, and the lock they earned."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_locked", "locked_until"),)
    scope: str = Field(primary_key=True, max_length=16)  # "user" / "address"
    subject: str = Field(primary_key=True, max_length=128)
    failures: int = 0
    window_started_at: datetime = tz_column()
    locked_until: datetime | None = tz_column(nullable=True)


IDEMPOTENCY_KEYS = table_of(IdempotencyKey)
REFRESH_TOKENS = table_of(RefreshToken)
REVOKED_TOKENS = table_of(RevokedToken)
LOGIN_FAILURES = table_of(LoginFailure)

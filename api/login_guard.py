"""Login throttling and lockout: repeated failures lock a username, and a client address, for a while.

Counted in PostgreSQL (one row per username and per address), so every API process sees the same counts. The
username is counted whether or not it exists, so a lock says nothing about which usernames are real.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError
from models.security_tables import LOGIN_FAILURES
from models.settings import Settings

_f = LOGIN_FAILURES.c


@dataclass(frozen=True)
class Subjects:
    username: str
    address: str

    def pairs(self) -> list[tuple[str, str]]:
        return [("user", self.username.strip().lower()[:128]), ("address", self.address[:128])]


def _limit(settings: Settings, scope: str) -> int:
    return settings.login_failures_per_user if scope == "user" else settings.login_failures_per_address


async def check_not_locked(session: AsyncSession, who: Subjects) -> None:
    now = datetime.now(UTC)
    rows = (await session.execute(select(_f.locked_until).where(
        _f.locked_until > now, or_(*[and_(_f.scope == s, _f.subject == k) for s, k in who.pairs()]),
    ))).all()
    if rows:
        until = max(r.locked_until for r in rows)
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        raise ApiError(429, "login_locked", f"登录失败次数过多，已暂时锁定，请{minutes}分钟后再试",
                       {"retry_after_seconds": int((until - now).total_seconds()) + 1})


async def record_failure(session: AsyncSession, settings: Settings, who: Subjects) -> None:
    now = datetime.now(UTC)
    window = timedelta(minutes=settings.login_window_minutes)
    for scope, subject in who.pairs():
        stmt = insert(LOGIN_FAILURES).values(scope=scope, subject=subject, failures=1, window_started_at=now)
        # A failure after the window has passed starts a new window; inside it, the count goes up.
        fresh = _f.window_started_at < now - window
        row = (await session.execute(stmt.on_conflict_do_update(
            index_elements=["scope", "subject"],
            set_={"failures": case((fresh, 1), else_=_f.failures + 1),
                  "window_started_at": case((fresh, now), else_=_f.window_started_at)},
        ).returning(_f.failures))).one()
        if row.failures >= _limit(settings, scope):
            await session.execute(LOGIN_FAILURES.update().where(_f.scope == scope, _f.subject == subject).values(
                locked_until=now + timedelta(minutes=settings.login_lockout_minutes), failures=0,
                window_started_at=now))
    await session.commit()


async def record_success(session: AsyncSession, who: Subjects) -> None:
    """A successful login clears the username's count (the address keeps its own)."""
    scope, subject = who.pairs()[0]
    await session.execute(delete(LOGIN_FAILURES).where(_f.scope == scope, _f.subject == subject))
    await session.commit()


"""Is a token's user still allowed in? Checked on every request in `get_actor`, whatever issues the token.

A user deactivated, or whose password was reset, gets `tokens_valid_after` set: every token issued before it is
refused. The row is read with a short per-process cache (a few seconds), so a request costs no extra round trip
while a revocation reaches every API process within `revocation_cache_seconds`; the process that revokes
forgets its entry at once.

A token naming a user with no row is accepted: users are deactivated, never deleted, so such a token can only be
minted with the signing secret itself (as tests and benchmarks do).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from infra.db import Sessions
from models.tables import USERS


@dataclass(frozen=True)
class Standing:
    active: bool
    valid_after: float  # epoch seconds; 0 when never revoked


_UNKNOWN = Standing(active=True, valid_after=0.0)
_cache: dict[UUID, tuple[float, Standing]] = {}
_CACHE_LIMIT = 50_000


def forget(user_id: UUID) -> None:
    _cache.pop(user_id, None)


async def standing(sessions: Sessions, user_id: UUID, ttl: float) -> Standing:
    now = time.monotonic()
    hit = _cache.get(user_id)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    async with sessions() as session:
        row = (await session.execute(
            select(USERS.c.active, USERS.c.tokens_valid_after).where(USERS.c.id == user_id))).first()
    found = _UNKNOWN if row is None else Standing(bool(row.active), _epoch(row.tokens_valid_after))
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[user_id] = (now, found)
    return found


def _epoch(at: datetime | None) -> float:
    # Truncated to the millisecond, like a token's "iat": a token issued in the same millisecond as the
    # revocation is refused rather than let through.
    return 0.0 if at is None else int(at.timestamp() * 1000) / 1000


def allows(found: Standing, issued_at: float) -> bool:
    return found.active and issued_at >= found.valid_after

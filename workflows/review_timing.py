"""When a case in service wakes for its monthly review. Pure standard library: runs inside the sandbox.

Every in-service case reviews in the first days of each month. Waking thousands of cases at one instant
drains slowly (~70 timers/s on a dev server), so each case gets its own instant, spread deterministically
by a hash of its id over the first three days' office hours (09:00-17:00 China time).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from uuid import UUID

from vocabulary.china import CHINA

_SPREAD_DAYS = 3
_OFFICE_SECONDS = 8 * 3600


def period_of(at: datetime) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m")


def next_review_at(case_id: UUID, after: datetime) -> datetime:
    """The first review instant of this case strictly after `after`, in the month after `after`'s month."""
    local = after.astimezone(CHINA)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    offset = int.from_bytes(hashlib.sha256(case_id.bytes).digest()[:8], "big") % (_SPREAD_DAYS * _OFFICE_SECONDS)
    day, seconds = divmod(offset, _OFFICE_SECONDS)
    return datetime(year, month, 1 + day, 9, tzinfo=CHINA) + timedelta(seconds=seconds)

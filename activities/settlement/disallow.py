"""Service records settlement must not pay, whoever finds them: a back-dated decision that removed their days
(动态管理), or a spot check that found a service not delivered (监督管理).

`disallow` only records the finding; the monthly computation (activities/settlement/sql.py) acts on it:

- a disallowed record not yet on any statement is put on the next one as flagged and not paid (outcome
  `disallowed`), final: it is not considered again;
- a disallowed record already paid (on an approved or paid statement) becomes a clawback (追回): a negative line
  of kind `clawback` on the next statement of the same purchaser x provider, created if needed; the clawbacks
  table is keyed by the record, so it is taken back once, never twice, however often a period is re-run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from models.dynamic.tables import DisallowedRecord


async def disallow(session: AsyncSession, record_ids: Iterable[UUID], reason: str, source_kind: str,
                   source_id: str, at: datetime) -> None:
    """Record that `record_ids` must not be paid, in the caller's transaction (it commits them).

    The contract, stable for every caller (the oversight engineer's spot checks call it for "not delivered"):
    `disallow(session, record_ids, reason, source_kind, source_id, at) -> None`. `reason` is Chinese, shown on
    the statement; `source_kind` names the finder (e.g. "decision", "spot_check"), `source_id` the finding
    (e.g. "{case_id}:{seq}"). Idempotent: a record already disallowed keeps its first reason and source.
    """
    rows = [{"record_id": r, "reason": reason, "source_kind": source_kind, "source_id": source_id,
             "disallowed_at": at} for r in dict.fromkeys(record_ids)]
    if rows:
        await session.execute(insert(DisallowedRecord).values(rows).on_conflict_do_nothing(
            index_elements=["record_id"]))

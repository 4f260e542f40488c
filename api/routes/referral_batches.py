"""Mode 1's batch referral (池州方案 四(五) 转介服务): the township gives one provider the list of recipients and
their service items in one act. Each case is referred through its own workflow (the REFER action, by the same
path as a single referral: its checks, idempotency and jurisdiction hold per case); the batch reports which were
referred and which were refused, with the Chinese reason. A case the worker may not see is refused exactly like
an absent one. The provider sees the batch and answers each case with the RESPOND action
(POST /cases/{id}/referral/response); a declined case goes back to the township, which refers it elsewhere."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Response
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from api.batch_reads import batch_out, batch_row, summaries
from api.case_actions import CaseStep
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, require
from api.errors import NOT_FOUND, ApiError
from api.idempotency import REUSED, fingerprint
from models.modes.batches import (
    REFERRAL_BATCH_CASES,
    REFERRAL_BATCHES,
    BatchForm,
    BatchOut,
    BatchSummary,
    ReferralBatch,
)
from models.payloads.forms import ReferForm
from models.tables import PROVIDERS
from vocabulary.case import Role
from workflows import process as p

router = APIRouter(prefix="/referral-batches", tags=["转介服务"])
_b, _bc = REFERRAL_BATCHES.c, REFERRAL_BATCH_CASES.c


@router.post("", status_code=201, summary="转介服务（批量）：将服务对象名单和服务事项清单一次转介给服务供给主体")
async def send_batch(body: BatchForm, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                     response: Response, key: IdempotencyKey = None) -> BatchOut:
    """The same request again (same Idempotency-Key) is the same batch: cases a fault left untried are referred
    now, the others answer from their own records."""
    require(actor, Role.TOWNSHIP_WORKER)
    print_ = fingerprint(resources.settings.id_hash_key, body)
    batch = await _held(session, actor.user_id, key, print_)
    if batch is None:
        provider = (await session.execute(select(PROVIDERS.c.id).where(
            PROVIDERS.c.id == body.provider_id, PROVIDERS.c.active,
            PROVIDERS.c.county_code == actor.jurisdiction[:6]))).first()
        if provider is None:
            raise ApiError(422, "unknown_provider", "该服务供给主体不存在或不在本县服务")
        bid = uuid4()
        made = (await session.execute(insert(ReferralBatch).values(
            id=bid, county_code=actor.jurisdiction[:6], township_code=actor.jurisdiction[:9],
            provider_id=body.provider_id, created_by=actor.user_id, request_key=key, fingerprint=print_,
            created_at=datetime.now(UTC),
        ).on_conflict_do_nothing(constraint="uq_referral_batches_request").returning(_b.id))).first()
        if made is None:  # a concurrent request with the same key made it
            await session.rollback()
            batch = await _held(session, actor.user_id, key, print_)
            assert batch is not None
        else:
            await session.execute(insert(REFERRAL_BATCH_CASES).values(
                [{"batch_id": bid, "position": i, "case_id": c} for i, c in enumerate(body.case_ids)]))
            await session.commit()
            batch = await batch_row(session, bid)
    else:
        response.status_code = 200
    await _refer_untried(session, resources, actor, batch)
    return await batch_out(session, actor, batch.id)


async def _held(session: Any, user_id: UUID, key: str | None, print_: str) -> Any:
    if key is None:
        return None
    held = (await session.execute(select(REFERRAL_BATCHES).where(
        _b.created_by == user_id, _b.request_key == key))).first()
    if held is not None and held.fingerprint != print_:
        raise REUSED
    return held


async def _refer_untried(session: Any, resources: Any, actor: Any, batch: Any) -> None:
    untried = (await session.execute(select(_bc.position, _bc.case_id).where(
        _bc.batch_id == batch.id, _bc.referred.is_(None)).order_by(_bc.position))).all()
    await session.close()  # no connection held while the workflows work
    for row in untried:
        answer = await _refer_one(resources, actor, batch, row.case_id)
        async with resources.sessions.begin() as s:
            await s.execute(update(REFERRAL_BATCH_CASES).where(
                _bc.batch_id == batch.id, _bc.position == row.position).values(**answer))
    async with resources.sessions.begin() as s:
        await s.execute(update(REFERRAL_BATCHES).where(_b.id == batch.id, _b.done_at.is_(None)).values(
            done_at=datetime.now(UTC)))


async def _refer_one(resources: Any, actor: Any, batch: Any, case_id: UUID) -> dict[str, Any]:
    """One case's REFER, keyed by the batch: a retried batch refers each case once."""
    async with resources.sessions() as s:
        step = CaseStep(case_id, actor, s, resources, f"batch:{batch.id}:{case_id}")
        try:
            out = await step(p.REFER, ReferForm(provider_id=batch.provider_id))
        except ApiError as err:
            if err.status >= 500:
                raise  # nothing decided: the same request again tries this case and the rest
            code, message = (NOT_FOUND if err.status == 404 else (err.code, err.message))
            return {"referred": False, "refusal_code": code, "refusal_message": message}
    return {"referred": True, "referral_seq": out.seq}


@router.get("", summary="批量转介清单：乡镇(街道)发出的、或转介给本服务供给主体的")
async def list_batches(actor: ActorDep, session: SessionDep) -> list[BatchSummary]:
    return await summaries(session, actor)


@router.get("/{batch_id}", summary="批量转介的每个案件：是否已转介（或不予转介的原因）及服务供给主体的答复")
async def get_batch(batch_id: UUID, actor: ActorDep, session: SessionDep) -> BatchOut:
    return await batch_out(session, actor, batch_id)

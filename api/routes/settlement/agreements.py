"""Purchase agreements (政府购买服务): purchaser (county or township), provider, items and agreed prices,
period, and the status 立项 → 实施 → 验收. Services are billable only under an agreement in 实施 or 验收."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep
from api.errors import ApiError
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.settlement_access import audit, check_purchaser, county_of
from models.oversight.complaint_tables import EVALUATIONS
from models.payloads.actor import Actor
from models.settlement.schemas import (
    AgreementIn,
    AgreementItemIn,
    AgreementItemOut,
    AgreementOut,
    AgreementStatusIn,
)
from models.settlement.tables import AGREEMENT_ITEMS, AGREEMENTS, AgreementItem, PurchaseAgreement
from models.tables import PROVIDERS, SERVICE_ITEMS
from policy.settlement import can_move
from vocabulary.case import Role
from vocabulary.settlement import AgreementStatus

router = APIRouter(prefix="/agreements", tags=["政府购买服务协议"])
_a, _ai = AGREEMENTS.c, AGREEMENT_ITEMS.c


def _scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.PROVIDER:
        return _a.provider_id == actor.provider_id
    if actor.role is Role.TOWNSHIP_WORKER:  # its own agreements and the county's, which cover it too
        return or_(_a.purchaser_code == actor.jurisdiction, _a.purchaser_code == county_of(actor))
    if actor.role in (Role.COUNTY_OFFICER, Role.AUDITOR):
        return _a.county_code == county_of(actor)
    raise ApiError(403, "wrong_role", "您的角色无权查看购买服务协议")


async def _out(session: AsyncSession, row: Any) -> AgreementOut:
    items = (await session.execute(select(_ai.item_code, _ai.price).where(_ai.agreement_id == row.id)
                                   .order_by(_ai.item_code))).all()
    return AgreementOut(
        id=row.id, agreement_no=row.agreement_no, county_code=row.county_code, purchaser_code=row.purchaser_code,
        provider_id=row.provider_id, title=row.title, starts_on=row.starts_on, ends_on=row.ends_on,
        status=row.status, status_zh=AgreementStatus.label(row.status),
        items=[AgreementItemOut(item_code=i.item_code, price=i.price) for i in items],
    )


async def _load(session: AsyncSession, actor: Actor, agreement_id: UUID, lock: bool = False) -> Any:
    query = select(AGREEMENTS).where(_a.id == agreement_id)
    # One query with the scope: an agreement the actor may not see answers exactly like one that does not exist.
    row = (await session.execute((query.with_for_update() if lock else query).where(_scope(actor)))).first()
    if row is None:
        raise ApiError(404, "agreement_not_found", "购买服务协议不存在")
    return row


async def _check_items(session: AsyncSession, county: str, items: list[AgreementItemIn]) -> None:
    codes = {i.item_code for i in items}
    listed = set((await session.execute(select(SERVICE_ITEMS.c.code).where(
        SERVICE_ITEMS.c.county_code == county, SERVICE_ITEMS.c.code.in_(codes)))).scalars())
    if missing := sorted(codes - listed):
        raise ApiError(422, "unknown_item", f"服务事项“{'、'.join(missing)}”不在本县服务类社会救助清单中")


@router.get("", summary="购买服务协议列表")
async def list_agreements(actor: ActorDep, session: SessionDep, status: AgreementStatus | None = None,
                          provider_id: UUID | None = None) -> list[AgreementOut]:
    where = [_scope(actor)]
    if status is not None:
        where.append(_a.status == status.value)
    if provider_id is not None:
        where.append(_a.provider_id == provider_id)
    rows = (await session.execute(select(AGREEMENTS).where(*where).order_by(_a.starts_on.desc(), _a.agreement_no)
                                  .limit(500))).all()
    return [await _out(session, r) for r in rows]


@router.get("/{agreement_id}", summary="购买服务协议详情")
async def get_agreement(agreement_id: UUID, actor: ActorDep, session: SessionDep) -> AgreementOut:
    return await _out(session, await _load(session, actor, agreement_id))


@router.post("", status_code=201, summary="立项：新建购买服务协议（县级民政部门或乡镇(街道)）")
async def create_agreement(body: AgreementIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                           response: Response, key: IdempotencyKey = None) -> AgreementOut:
    check_purchaser(actor, body.purchaser_code)
    request = request_key(key, "agreement", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return AgreementOut.model_validate(again)  # a retry: the agreement it made, not 409 agreement_exists
    county = body.purchaser_code[:6]
    provider = (await session.execute(select(PROVIDERS.c.county_code, PROVIDERS.c.active).where(
        PROVIDERS.c.id == body.provider_id))).first()
    if provider is None or provider.county_code != county or not provider.active:
        raise ApiError(422, "unknown_provider", "服务供给主体不存在或不在本县")
    await _check_items(session, county, body.items)
    taken = (await session.execute(select(_a.id).where(_a.agreement_no == body.agreement_no))).first()
    if taken is not None:
        raise ApiError(409, "agreement_exists", "协议编号已被使用")
    now = datetime.now(UTC)
    agreement = PurchaseAgreement(
        id=uuid.uuid4(), agreement_no=body.agreement_no, county_code=county, purchaser_code=body.purchaser_code,
        provider_id=body.provider_id, title=body.title, starts_on=body.starts_on, ends_on=body.ends_on,
        status=AgreementStatus.INITIATED.value, created_by=actor.user_id, created_at=now, updated_at=now,
    )
    session.add(agreement)
    await session.flush()
    session.add_all([AgreementItem(agreement_id=agreement.id, item_code=i.item_code, price=i.price)
                     for i in body.items])
    await audit(session, actor, "agreement_create", {"agreement_id": str(agreement.id),
                                                     **body.model_dump(mode="json")})
    out = await get_agreement(agreement.id, actor, session)
    if (again := await bind(session, actor, request, out, response)) is not None:
        return AgreementOut.model_validate(again)
    await session.commit()
    return out


@router.put("/{agreement_id}/items", summary="修改协议服务事项和约定价格（仅限立项阶段）")
async def set_items(agreement_id: UUID, items: list[AgreementItemIn], actor: ActorDep,
                    session: SessionDep) -> AgreementOut:
    row = await _load(session, actor, agreement_id, lock=True)
    check_purchaser(actor, row.purchaser_code)
    if row.status != AgreementStatus.INITIATED:
        raise ApiError(409, "agreement_in_force", "协议已进入实施阶段，服务事项和价格不能再修改，请另行签订协议")
    if not items or len({i.item_code for i in items}) != len(items):
        raise ApiError(422, "invalid_input", "请填写服务事项，每个服务事项只能出现一次")
    await _check_items(session, row.county_code, items)
    await session.execute(delete(AGREEMENT_ITEMS).where(_ai.agreement_id == agreement_id))
    session.add_all([AgreementItem(agreement_id=agreement_id, item_code=i.item_code, price=i.price) for i in items])
    await audit(session, actor, "agreement_items", {"agreement_id": str(agreement_id),
                                                    "items": [i.model_dump(mode="json") for i in items]})
    await session.commit()
    return await get_agreement(agreement_id, actor, session)


@router.post("/{agreement_id}/status", summary="协议状态：立项 → 实施 → 验收")
async def move(agreement_id: UUID, body: AgreementStatusIn, actor: ActorDep, session: SessionDep) -> AgreementOut:
    row = await _load(session, actor, agreement_id, lock=True)
    check_purchaser(actor, row.purchaser_code)
    current = AgreementStatus(row.status)
    if current is body.status:  # the same request again
        return await _out(session, row)
    if not can_move(current, body.status):
        raise ApiError(409, "agreement_status",
                       f"协议当前为“{AgreementStatus.label(current)}”，不能改为“{AgreementStatus.label(body.status)}”")
    if body.status is AgreementStatus.ACCEPTED and (await session.execute(select(EVALUATIONS.c.agreement_id).where(
            EVALUATIONS.c.agreement_id == agreement_id))).first() is None:  # 验收评估 (000 二(六))
        raise ApiError(409, "evaluation_missing", "协议验收前须完成服务供给主体绩效评价（POST /evaluations）")
    await session.execute(update(AGREEMENTS).where(_a.id == agreement_id).values(
        status=body.status.value, updated_at=datetime.now(UTC)))
    await audit(session, actor, "agreement_status", {"agreement_id": str(agreement_id), "from": current.value,
                                                     "to": body.status.value})
    await session.commit()
    return await get_agreement(agreement_id, actor, session)

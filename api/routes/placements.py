"""机构照料服务 (池州方案 三(六)2) on a case: a township worker places a 特困人员, 孤儿 or 事实无人抚养儿童 who (partly)
cannot care for themselves in a 敬老院 or 福利院 with their consent; the county officer places a 特困人员 who cannot
live there with a medical institution. The placement is listed on the case (mode institution) and, in the same
transaction, records the status event "entered an institution", which reaches the case as dynamic management's
task: the township stops home services at the person's own request, without a hearing (POST /cases/{id}/stop).
Leaving the institution ends the mode. A foreign case answers like an absent one (404)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Response
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from activities.modes.register import Serving, end, serve
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, require
from api.errors import ApiError
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.oversight_access import audit
from api.status_events import enter_event, event_ref, visible_case
from api.workflow_calls import signal_status_event
from models.documents.tables import DOCUMENTS
from models.dynamic.tables import STATUS_EVENTS
from models.modes.placements import PLACEMENTS, DepartureForm, Placement, PlacementForm, PlacementOut
from models.payloads.dynamic import EventForm
from models.tables import PERSONS
from policy.modes import placement_refusal
from vocabulary.case import Role
from vocabulary.dynamic import StatusChange
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.people import Category, Condition
from vocabulary.placement import InstitutionKind

router = APIRouter(prefix="/cases/{case_id}/placements", tags=["服务方式"])
_p = PLACEMENTS.c


def _may_place(actor: Any, kind: InstitutionKind) -> None:
    require(actor, Role.TOWNSHIP_WORKER, Role.COUNTY_OFFICER)
    if kind.placed_by_county and actor.role is not Role.COUNTY_OFFICER:
        raise ApiError(403, "county_places", "送往专门的医疗机构治疗和托管由县级民政部门协调办理")
    if not kind.placed_by_county and actor.role is not Role.TOWNSHIP_WORKER:
        raise ApiError(403, "township_places", "纳入敬老院、福利院集中供养由乡镇(街道)工作人员办理")


async def _writable(session: Any, actor: Any, case_id: UUID) -> Any:
    """The case, if the asker's jurisdiction holds it now (a former township reads it, and no more)."""
    case = await visible_case(session, actor, case_id)
    if not str(case.village_code).startswith(actor.jurisdiction):
        raise ApiError(404, "case_not_found", "案件不存在")
    return case


def _summary(body: PlacementForm) -> str:
    if body.institution_kind is InstitutionKind.MEDICAL:
        return "县级民政部门协调卫生健康部门送往专门的医疗机构治疗和托管"
    return f"自愿入住{body.institution_kind.zh}集中供养"


@router.post("", status_code=201, summary="机构照料服务：纳入敬老院、福利院集中供养，或送往专门的医疗机构")
async def place(case_id: UUID, body: PlacementForm, actor: ActorDep, session: SessionDep,
                resources: ResourcesDep, response: Response, key: IdempotencyKey = None) -> PlacementOut:
    """The same request again (same Idempotency-Key) answers the same placement and hands its event on again
    (the case service may have been down the first time; the case takes each event once)."""
    _may_place(actor, body.institution_kind)
    case = await _writable(session, actor, case_id)
    request = request_key(key, f"placement {case_id}", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return await _hand_on(session, resources, case_id, PlacementOut.model_validate(again), actor)
    if case.status != "open":
        raise ApiError(409, "case_closed", "案件已办结，不能再登记机构照料服务")
    if (await session.execute(select(_p.id).where(_p.case_id == case_id, _p.left_on.is_(None)))).first():
        raise ApiError(409, "already_placed", "服务对象已在机构集中供养或托管，请先登记离开机构")
    person = (await session.execute(select(PERSONS.c.category, PERSONS.c.conditions).where(
        PERSONS.c.id == case.person_id))).one()
    refusal = placement_refusal(
        Category(person.category), [Condition(c) for c in person.conditions], body.institution_kind,
        body.consent.consented_on if body.consent else None, body.unsuitable, body.entered_on)
    if refusal is not None:
        raise ApiError(422, refusal.code, refusal.message)
    if body.consent and body.consent.document_id and (await session.execute(select(DOCUMENTS.c.id).where(
            DOCUMENTS.c.id == body.consent.document_id, DOCUMENTS.c.case_id == case_id))).first() is None:
        raise ApiError(422, "unknown_file", "同意书文件不存在，或不属于本案件")
    pid = uuid4()
    await session.execute(insert(Placement).values(
        id=pid, case_id=case_id, institution_name=body.institution_name,
        institution_kind=body.institution_kind.value, unsuitable=body.unsuitable.value if body.unsuitable else None,
        consent_by=body.consent.by.value if body.consent else None,
        consented_on=body.consent.consented_on if body.consent else None,
        consent_document_id=body.consent.document_id if body.consent else None, entered_on=body.entered_on,
        recorded_by=actor.user_id, recorded_at=datetime.now(UTC)))
    await serve(session, Serving(case_id, ServiceMode.INSTITUTION, pid, PartyKind.INSTITUTION,
                                 body.institution_name, _summary(body), body.entered_on))
    consent = f"，{body.consent.by.zh}于{body.consent.consented_on.isoformat()}自愿同意" if body.consent else ""
    event = await enter_event(session, case, EventForm(
        change=StatusChange.INSTITUTION, effective_on=body.entered_on,
        evidence=f"入住{body.institution_name}（{body.institution_kind.zh}）{consent}"), actor, f"placement:{pid}")
    await session.execute(update(PLACEMENTS).where(_p.id == pid).values(event_id=event.id))
    out = PlacementOut.of((await session.execute(select(PLACEMENTS).where(_p.id == pid))).one())
    await audit(session, actor, "placement", {"case_id": str(case_id), "placement_id": str(pid),
                                              "institution_kind": body.institution_kind.value})
    if (again := await bind(session, actor, request, out, response)) is not None:
        return await _hand_on(session, resources, case_id, PlacementOut.model_validate(again), actor)
    await session.commit()
    await signal_status_event(resources, case_id, event_ref(event, actor))
    return out


async def _hand_on(session: Any, resources: Any, case_id: UUID, placed: PlacementOut, actor: Any) -> PlacementOut:
    """A placement recorded earlier: its event is handed on again."""
    if placed.event_id is not None:
        event = (await session.execute(select(STATUS_EVENTS).where(STATUS_EVENTS.c.id == placed.event_id))).one()
        await session.close()
        await signal_status_event(resources, case_id, event_ref(event, actor))
    return placed


@router.get("", summary="服务对象的机构照料服务记录（入住、同意、离开）")
async def placements_of(case_id: UUID, actor: ActorDep, session: SessionDep) -> list[PlacementOut]:
    await visible_case(session, actor, case_id)
    rows = (await session.execute(select(PLACEMENTS).where(_p.case_id == case_id).order_by(
        _p.entered_on, _p.recorded_at))).all()
    return [PlacementOut.of(r) for r in rows]


@router.post("/{placement_id}/departure", summary="机构照料服务：服务对象离开机构，结束该服务方式")
async def leave(case_id: UUID, placement_id: UUID, body: DepartureForm, actor: ActorDep,
                session: SessionDep) -> PlacementOut:
    """Recorded once: the first departure stands, so sending it again changes nothing (the case may have been
    closed meanwhile: the person's services stopped when they entered)."""
    await _writable(session, actor, case_id)
    row = (await session.execute(select(PLACEMENTS).where(_p.id == placement_id, _p.case_id == case_id))).first()
    if row is None:
        raise ApiError(404, "placement_not_found", "机构照料服务记录不存在")
    _may_place(actor, InstitutionKind(row.institution_kind))
    if row.left_on is None:
        if body.left_on < row.entered_on:
            raise ApiError(422, "left_before_entry", "离开日期早于入住日期")
        await session.execute(update(PLACEMENTS).where(_p.id == placement_id, _p.left_on.is_(None)).values(
            left_on=body.left_on, leave_reason=body.reason))
        await end(session, ServiceMode.INSTITUTION, placement_id, body.left_on, f"离开机构：{body.reason}")
        await audit(session, actor, "placement_departure", {"case_id": str(case_id),
                                                            "placement_id": str(placement_id)})
        await session.commit()
        row = (await session.execute(select(PLACEMENTS).where(_p.id == placement_id))).one()
    return PlacementOut.of(row)

"""Cases: open one (application or discovery), list them, read one with its full step history."""

from __future__ import annotations

import uuid
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api import workflow_calls
from api.access import case_scope, check_village, in_scope, load_case
from api.accounts.divisions import require_division
from api.case_actions import available_actions, live_state
from api.case_rows import CASE_COLUMNS, public, read_case
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep, require
from api.errors import ApiError
from api.idempotency import case_of, replay, replay_after, request_key
from api.people import refresh_person, registration, village_of
from models.case_tables import MATERIALS_REQUESTS, Closure
from models.payloads.actor import Actor
from models.payloads.forms import OpenForm
from models.schemas import CaseCreate, CaseDetail, CasePage, CasePublic, ClosureOut, HistoryEntry
from models.tables import AUDIT, CASES, PERSONS, USERS
from vocabulary.case import Action, CaseStatus, Channel, Role, Step

router = APIRouter(prefix="/cases", tags=["案件"])
_c, _a = CASES.c, AUDIT.c
@router.post("", status_code=201, summary="个人申请或主动发现：新建案件")
async def create_case(
    body: CaseCreate, actor: ActorDep, session: SessionDep, resources: ResourcesDep, response: Response,
    key: IdempotencyKey = None,
) -> CasePublic:
    require(actor, Role.APPLICANT, Role.VILLAGE_ASSISTANT, Role.TOWNSHIP_WORKER)
    if body.channel is Channel.MONITORING:
        raise ApiError(422, "monitoring_via_screening", "动态监测新纳入对象的服务需求请在需求摸排清单中登记")
    request = request_key(key, "open", resources.settings.id_hash_key, body)
    await replay(session, actor, request)  # the same key with another request: 422 before anything else
    case_id = uuid.uuid5(uuid.NAMESPACE_URL, f"assistflow:case:{actor.user_id}:{key}") if key else uuid.uuid4()
    if actor.role is Role.APPLICANT:
        if body.person is not None or actor.person_id is None or body.channel is Channel.DISCOVERY:
            raise ApiError(422, "applicant_self_only", "申请人只能以本人身份通过窗口或线上提出申请")
        person_id, registered_now = actor.person_id, False
        village = await village_of(session, person_id)
    else:
        if body.person is None:
            raise ApiError(422, "person_required", "请填写服务对象的姓名、身份证号码、所在村(社区)和救助类别")
        if body.channel is Channel.DISCOVERY and actor.role is not Role.VILLAGE_ASSISTANT:
            raise ApiError(403, "wrong_role", "主动发现应由村(社区)社会救助协理员上报")
        check_village(actor, body.person.village_code)
        await require_division(session, body.person.village_code)  # no case in a phantom village
        person_id, registered_now = await registration(session, resources.settings, body.person)
        village = body.person.village_code
    await _refuse_a_second_open_case(session, actor, person_id, case_id)
    await session.close()  # do not hold a connection while the workflow works
    form = OpenForm(person_id=person_id, village_code=village, channel=body.channel,
                    need_description=body.need_description)
    # Always through the workflow, even for a retried key: the answer reflects the workflow (a case row whose
    # open was lost is opened now), never a row alone.
    try:
        await workflow_calls.open_case(resources, case_id, actor, form, request)
        created = True
    except ApiError as err:
        replayed = await replay_after(resources.sessions, actor, request, err)
        case_id, created = case_of(replayed), False
    if created and body.person is not None and not registered_now:
        await refresh_person(session, person_id, body.person)
    if not created:
        response.status_code = 200  # the same request again: the same case back
    return CasePublic.model_validate(public(await read_case(session, case_id)))


async def _refuse_a_second_open_case(session: AsyncSession, actor: Actor, person_id: UUID, case_id: UUID) -> None:
    """One open case per person. The open case is named only to someone who may see it: a refusal never reveals
    another township's case."""
    existing = (await session.execute(
        select(CASES).where(_c.person_id == person_id, _c.status == CaseStatus.OPEN.value)
    )).first()
    if existing is None or existing.id == case_id:
        return
    details = {"case_id": str(existing.id)} if in_scope(actor, existing) else None
    raise ApiError(409, "duplicate_open_case", "该服务对象已有正在办理的案件，不能重复申请", details)


@router.get("", summary="案件列表（按环节、乡镇、村、经办人筛选，分页）")
async def list_cases(
    actor: ActorDep,
    session: SessionDep,
    step: Step | None = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
    township_code: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    village_code: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    assignee_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CasePage:
    where = [case_scope(actor)]
    if step is not None:
        where.append(_c.step == step.value)
    if status is not None:
        where.append(_c.status == status)
    if township_code is not None:
        where.append(_c.township_code == township_code)
    if village_code is not None:
        where.append(_c.village_code == village_code)
    if assignee_id is not None:
        where.append(_c.assignee_id == assignee_id)
    total = (await session.execute(select(func.count()).select_from(CASES).where(*where))).scalar_one()
    rows = (await session.execute(
        select(*CASE_COLUMNS).join(PERSONS, PERSONS.c.id == _c.person_id)
        .where(*where).order_by(_c.updated_at.desc(), _c.id).limit(limit).offset(offset)
    )).all()
    return CasePage(items=[CasePublic.model_validate(public(r)) for r in rows], total=total,
                    limit=limit, offset=offset)


@router.get("/{case_id}", summary="案件详情：当前环节、经办人、全部办理记录")
async def get_case(case_id: UUID, actor: ActorDep, session: SessionDep, resources: ResourcesDep) -> CaseDetail:
    await load_case(session, actor, case_id, former_ok=True)
    row = await read_case(session, case_id)
    audit = (await session.execute(
        select(_a.seq, _a.action, _a.before, _a.after, _a.actor_id, _a.actor_role, _a.at,
               USERS.c.full_name)
        .outerjoin(USERS, USERS.c.id == _a.actor_id)
        .where(_a.case_id == case_id, _a.seq.is_not(None)).order_by(_a.seq)
    )).all()
    history = [
        HistoryEntry(
            seq=a.seq, action=a.action, action_zh=Action.label(a.action), actor_id=a.actor_id,
            actor_name=a.full_name, actor_role=a.actor_role,
            at=a.at, step_before=Step(a.before["position"]["step"]) if a.before else None,
            step_after=Step(a.after["position"]["step"]),
        )
        for a in audit
    ]
    missing: list[str] = []
    if row.awaiting_applicant:
        missing = (await session.execute(
            select(MATERIALS_REQUESTS.c.missing).where(MATERIALS_REQUESTS.c.case_id == case_id)
            .order_by(MATERIALS_REQUESTS.c.seq.desc()).limit(1)
        )).scalar_one()
    closure = await session.get(Closure, case_id)
    earlier = (await session.execute(select(_c.id).where(
        _c.person_id == row.person_id, _c.id != case_id, _c.opened_at < row.opened_at, case_scope(actor),
    ).order_by(_c.opened_at.desc()))).scalars().all()
    return CaseDetail.model_validate({
        **public(row), "history": history, "materials_missing": missing,
        "closure": ClosureOut.model_validate(closure) if closure else None,
        "available_actions": available_actions(await live_state(resources, row), actor), "earlier_cases": list(earlier),
    })

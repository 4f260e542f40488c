"""County spot checks (抽查, 001 三(五)1): the inspectors' register, reproducible draws of the year's service records
(stratified by township and provider, inspectors drawn with recusal), coverage against the county's target with
the gap and a final top-up draw, each drawn record's check, and its consequences."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, File, Query, Response, UploadFile
from sqlalchemy import func, select, text, update

from activities.oversight.checks import ASSIGNMENTS, assignment, record_check
from activities.oversight.sampling import NoInspector, draw, sampled, year_total
from activities.oversight.settings import county_settings
from api import task_calls
from api.deps import ActorDep, IdempotencyKey, ResourcesDep, SessionDep
from api.documents import clean_upload, store_call
from api.errors import ApiError
from api.idempotency import request_key
from api.idempotent_writes import bind, replayed
from api.oversight_access import audit, county_officer, not_found, within
from models.oversight.schemas import CheckOut, CheckResultIn, CoverageOut, DrawIn, DrawOut, InspectorIn, InspectorOut
from models.oversight.tables import CHECK_DRAWS, INSPECTORS, SPOT_CHECKS
from models.payloads.actor import Actor
from models.tables import CASES, PROVIDERS, USERS
from policy.documents import ANY_TYPE, MB, UploadRule
from policy.oversight import coverage
from vocabulary.case import Role
from vocabulary.documents import DocumentCategory

router = APIRouter(prefix="/checks", tags=["抽查"])
_i = INSPECTORS.c
_READERS = (Role.COUNTY_OFFICER, Role.AUDITOR)


def _county_reader(actor: Actor) -> str:
    if actor.role not in _READERS or len(actor.jurisdiction) != 6:
        raise ApiError(403, "wrong_role", "抽查由县级民政部门组织，审计可查阅")
    return actor.jurisdiction


@router.post("/inspectors", status_code=201, summary="检查人员名录：登记检查人员（所在乡镇、所属服务供给主体用于回避）")
async def add_inspector(body: InspectorIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                        response: Response, key: IdempotencyKey = None) -> InspectorOut:
    county = county_officer(actor)
    request = request_key(key, "inspector", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return InspectorOut.model_validate(again)
    if body.township_code and not body.township_code.startswith(county):
        raise ApiError(422, "bad_township", "所在乡镇(街道)不在本县")
    if body.provider_id and (await session.execute(select(PROVIDERS.c.id).where(
            PROVIDERS.c.id == body.provider_id, PROVIDERS.c.county_code == county))).first() is None:
        raise ApiError(422, "unknown_provider", "服务供给主体不存在或不在本县")
    if body.user_id and (await session.execute(select(USERS.c.id).where(
            USERS.c.id == body.user_id, USERS.c.jurisdiction.startswith(county)))).first() is None:
        raise ApiError(422, "unknown_user", "用户不存在或不在本县")
    row = dict(id=uuid.uuid4(), county_code=county, active=True, created_at=datetime.now(UTC), **body.model_dump())
    await session.execute(INSPECTORS.insert().values(**row))
    await audit(session, actor, "inspector_added", {"inspector_id": str(row["id"])})
    out = InspectorOut.model_validate(row)
    if (again := await bind(session, actor, request, out, response)) is not None:
        return InspectorOut.model_validate(again)
    await session.commit()
    return out


@router.get("/inspectors", summary="检查人员名录")
async def list_inspectors(actor: ActorDep, session: SessionDep) -> list[InspectorOut]:
    county = _county_reader(actor)
    rows = (await session.execute(select(INSPECTORS).where(_i.county_code == county).order_by(_i.name))).all()
    return [InspectorOut.model_validate(r) for r in rows]


@router.post("/inspectors/{inspector_id}/active", summary="检查人员在册或退出名录")
async def set_active(inspector_id: UUID, actor: ActorDep, session: SessionDep,
                     active: Annotated[bool, Query()]) -> InspectorOut:
    county = county_officer(actor)
    row = (await session.execute(update(INSPECTORS).where(_i.id == inspector_id, _i.county_code == county)
                                 .values(active=active).returning(*INSPECTORS.c))).first()
    if row is None:
        raise not_found("检查人员")
    await session.commit()
    return InspectorOut.model_validate(row)


@router.post("/draws", status_code=201, summary="抽取本年度服务记录（分层、可复现；年末补充抽查补足差额）")
async def make_draw(body: DrawIn, actor: ActorDep, session: SessionDep, resources: ResourcesDep,
                    response: Response, key: IdempotencyKey = None) -> DrawOut:
    county = county_officer(actor)
    request = request_key(key, "spot_check_draw", resources.settings.id_hash_key, body)
    if (again := await replayed(session, actor, request, response)) is not None:
        return DrawOut.model_validate(again)  # a retried draw: the records drawn the first time, not more
    settings = await county_settings(session, county)
    try:
        drawn = await draw(session, actor.user_id, county, body.year, body.kind, body.percent, body.seed,
                           datetime.now(UTC), settings)
    except NoInspector as err:
        strata = "、".join(f"{t}/{p}" for t, p in err.strata[:5])
        raise ApiError(422, "no_eligible_inspector",
                       f"以下乡镇/服务供给主体没有可回避的检查人员，请先补充检查人员名录：{strata}") from None
    await audit(session, actor, "spot_check_draw", {"draw_id": str(drawn.id), "year": body.year,
                                                    "kind": body.kind.value, "sampled": drawn.sampled})
    out = DrawOut.model_validate((await session.execute(select(CHECK_DRAWS).where(CHECK_DRAWS.c.id == drawn.id))).one())
    if (again := await bind(session, actor, request, out, response)) is not None:
        return DrawOut.model_validate(again)
    await session.commit()
    return out


@router.get("/draws", summary="本县历次抽查抽样（种子、总体、样本量）")
async def list_draws(actor: ActorDep, session: SessionDep, year: Annotated[int, Query(ge=2000, le=2100)]
                     ) -> list[DrawOut]:
    county = _county_reader(actor)
    rows = (await session.execute(select(CHECK_DRAWS).where(CHECK_DRAWS.c.county_code == county,
                                                           CHECK_DRAWS.c.year == year).order_by(CHECK_DRAWS.c.seq)))
    return [DrawOut.model_validate(r) for r in rows.all()]


@router.get("/coverage", summary="本年度抽查覆盖率：服务总数、已抽取、已检查、目标（不少于30%）与差额")
async def get_coverage(actor: ActorDep, session: SessionDep,
                       year: Annotated[int, Query(ge=2000, le=2100)]) -> CoverageOut:
    county = _county_reader(actor)
    settings = await county_settings(session, county)
    now = datetime.now(UTC)
    total, drawn = await year_total(session, county, year, now), await sampled(session, county, year)
    checked = (await session.execute(text("SELECT count(*) FROM spot_checks WHERE county_code = :c AND year = :y"),
                                     {"c": county, "y": year})).scalar_one()
    by_township = (await session.execute(text("""
        SELECT cs.township_code, sum(cardinality(cs.record_ids)) AS sampled,
               (SELECT count(*) FROM spot_checks s WHERE s.county_code = :c AND s.year = :y
                  AND s.township_code = cs.township_code) AS checked
        FROM check_samples cs WHERE cs.county_code = :c AND cs.year = :y GROUP BY cs.township_code
        ORDER BY cs.township_code"""), {"c": county, "y": year})).all()
    cov = coverage(total, drawn, checked, settings["spot_check_target_percent"])
    return CoverageOut(county_code=county, year=year, total=cov.total, sampled=cov.sampled, checked=cov.checked,
                       target_percent=settings["spot_check_target_percent"], target=cov.target, gap=cov.gap,
                       percent=float(cov.percent),
                       by_township=[{"township_code": r.township_code, "sampled": int(r.sampled),
                                     "checked": int(r.checked)} for r in by_township])


def _visible(actor: Actor, row: Any) -> bool:
    """The county (and its auditors), the township the record was served in, and the inspector drawn for it."""
    return within(actor, row.township_code, (Role.COUNTY_OFFICER, Role.AUDITOR, Role.TOWNSHIP_WORKER)) or (
        row.inspector_user is not None and row.inspector_user == actor.user_id)


@router.get("", summary="抽查记录：已抽取的服务记录、检查人员与检查结果（可只看我的、未检查的）")
async def list_checks(
    actor: ActorDep, session: SessionDep, year: Annotated[int, Query(ge=2000, le=2100)], mine: bool = False,
    pending: bool = False, township_code: Annotated[str | None, Query(pattern=r"^\d{9}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
) -> list[CheckOut]:
    sql, params = ASSIGNMENTS, {"county": actor.jurisdiction[:6], "year": year}
    if mine:
        sql += " AND i.user_id = :me"
        params["me"] = actor.user_id
    elif actor.role is Role.TOWNSHIP_WORKER or township_code:
        if actor.role not in (Role.TOWNSHIP_WORKER, *_READERS):
            raise not_found("抽查记录")
        scope = township_code or actor.jurisdiction
        if not scope.startswith(actor.jurisdiction):
            return []
        sql += " AND cs.township_code = :township"
        params["township"] = scope
    elif actor.role not in _READERS:
        return []
    if pending:
        sql += " AND sc.record_id IS NULL"
    sql += " ORDER BY cs.township_code, cs.provider_id, u.i LIMIT :limit OFFSET :offset"
    rows = (await session.execute(text(sql), params | {"limit": limit, "offset": offset})).all()
    return [CheckOut.model_validate(r) for r in rows]


async def _load(session: Any, actor: Actor, record_id: UUID) -> Any:
    row = await assignment(session, record_id)
    if row is None or not _visible(actor, row):
        raise not_found("抽查记录")
    return row


@router.get("/{record_id}", summary="一条抽查记录")
async def get_check(record_id: UUID, actor: ActorDep, session: SessionDep) -> CheckOut:
    return CheckOut.model_validate(await _load(session, actor, record_id))


@router.post("/{record_id}/result", summary="登记检查结果：方式与结果（属实/未提供/质量问题/对象不满意）")
async def record_result(record_id: UUID, body: CheckResultIn, actor: ActorDep, session: SessionDep,
                        resources: ResourcesDep) -> CheckOut:
    row = await _load(session, actor, record_id)
    county = actor.role is Role.COUNTY_OFFICER and row.county_code == actor.jurisdiction
    if actor.user_id != row.inspector_user and not county:
        raise ApiError(403, "not_drawn_inspector", "检查结果由抽中的检查人员或县级民政部门登记")
    if row.result is not None:
        if row.result == body.result.value:
            return CheckOut.model_validate(row)
        raise ApiError(409, "check_recorded", "该服务记录已登记检查结果")
    done = await record_check(session, row, actor.user_id, body.method.value, body.result, body.notes,
                              body.requirement, datetime.now(UTC))
    await session.commit()
    if done.rectification_task is not None:
        await task_calls.started(resources, [done.rectification_task])
    return CheckOut.model_validate(await assignment(session, record_id))


_EVIDENCE = UploadRule("抽查佐证材料", ANY_TYPE, 20 * MB)


@router.post("/{record_id}/evidence", status_code=201, summary="上传抽查佐证材料（照片、录音、视频截图、签字表）")
async def add_evidence(record_id: UUID, file: Annotated[UploadFile, File()], actor: ActorDep, session: SessionDep,
                       resources: ResourcesDep, response: Response, key: IdempotencyKey = None) -> CheckOut:
    row = await _load(session, actor, record_id)
    county = actor.role is Role.COUNTY_OFFICER and row.county_code == actor.jurisdiction
    if actor.user_id != row.inspector_user and not county:
        raise ApiError(403, "not_drawn_inspector", "佐证材料由抽中的检查人员或县级民政部门上传")
    if row.result is None:
        raise ApiError(409, "check_not_recorded", "请先登记检查结果，再上传佐证材料")
    clean = await clean_upload(file, _EVIDENCE, _EVIDENCE.label)
    request = request_key(key, f"evidence {record_id}", resources.settings.id_hash_key,
                          {"sha256": hashlib.sha256(clean.data).hexdigest()})
    if (again := await replayed(session, actor, request, response)) is not None:
        return CheckOut.model_validate(again)  # the same file again: kept once
    village = (await session.execute(select(CASES.c.village_code).where(CASES.c.id == row.case_id))).scalar_one()
    ref = await store_call(resources.documents.add(
        session, case_id=row.case_id, division_code=village, category=DocumentCategory.OVERSIGHT,
        kind="spot_check_evidence", filename=clean.filename, content_type=clean.file_type.value, data=clean.data,
        actor_id=actor.user_id))
    assert ref is not None
    await session.execute(update(SPOT_CHECKS).where(SPOT_CHECKS.c.record_id == record_id).values(
        evidence=func.coalesce(SPOT_CHECKS.c.evidence, text("'[]'::jsonb")).op("||")(
            func.jsonb_build_array(func.jsonb_build_object("document_id", str(ref.id), "sha256", ref.sha256)))))
    await audit(session, actor, "spot_check_evidence", {"record_id": str(record_id), "document_id": str(ref.id)})
    out = CheckOut.model_validate(await assignment(session, record_id))
    if (again := await bind(session, actor, request, out, response)) is not None:
        return CheckOut.model_validate(again)
    await session.commit()
    return out

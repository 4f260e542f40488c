"""Provider registry for a county officer: register (with the unified social credit code and payee account),
list (with the inactive ones), read, deactivate (no new referrals) and reactivate."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from api.accounts import providers as registry
from api.deps import ActorDep, SessionDep
from models.accounts import Deactivation, ProviderDetail, ProviderIn

router = APIRouter(prefix="/providers", tags=["服务供给主体管理"])


@router.post("", status_code=201, summary="县级民政部门：登记服务供给主体（同一信用代码重复提交时返回已登记的机构）")
async def register(body: ProviderIn, actor: ActorDep, session: SessionDep, response: Response) -> ProviderDetail:
    provider, created = await registry.register_provider(session, actor, body)
    if not created:
        response.status_code = 200
    return provider


@router.get("/registry", summary="县级民政部门：本县全部服务供给主体（含已停用）")
async def registry_list(actor: ActorDep, session: SessionDep) -> list[ProviderDetail]:
    return await registry.list_providers(session, registry.county_officer(actor), include_inactive=True)


@router.get("/{provider_id}", summary="县级民政部门：服务供给主体登记信息")
async def detail(provider_id: UUID, actor: ActorDep, session: SessionDep) -> ProviderDetail:
    return await registry.provider_detail(session, registry.county_officer(actor), provider_id)


@router.post("/{provider_id}/deactivation", summary="县级民政部门：停用服务供给主体（不再接受新的转介）")
async def deactivate(provider_id: UUID, body: Deactivation, actor: ActorDep, session: SessionDep) -> ProviderDetail:
    return await registry.set_provider_active(session, actor, provider_id, False, body.reason)


@router.post("/{provider_id}/reactivation", summary="县级民政部门：重新启用服务供给主体")
async def reactivate(provider_id: UUID, body: Deactivation, actor: ActorDep, session: SessionDep) -> ProviderDetail:
    return await registry.set_provider_active(session, actor, provider_id, True, body.reason)

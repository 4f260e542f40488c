"""The 统计用区划代码 hierarchy inside the caller's jurisdiction: for choosing a township or village."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.deps import ActorDep, SessionDep
from models.accounts import DivisionOut
from models.tables import DIVISIONS

router = APIRouter(prefix="/divisions", tags=["区划代码"])


@router.get("", summary="本辖区的区划代码（可按上级代码筛选）")
async def divisions(
    actor: ActorDep, session: SessionDep, parent: Annotated[str | None, Query(pattern=r"^\d{2,12}$")] = None,
) -> list[DivisionOut]:
    d = DIVISIONS.c
    stmt = select(DIVISIONS).where(d.code.startswith(actor.jurisdiction, autoescape=True))
    if parent is not None:
        stmt = stmt.where(d.parent_code == parent)
    rows = (await session.execute(stmt.order_by(d.code).limit(5000))).all()
    return [DivisionOut.model_validate(r) for r in rows]

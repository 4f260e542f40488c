"""Neighbour helpers and their pairings with recipients (邻里互助服务): each write one transaction of the caller,
idempotent on its business key. A pairing lists the mode on the case (`case_modes`) in the same transaction, and
ending it ends the mode there. The caller (the API) has checked role and jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from activities.modes.register import Serving, end, serve
from infra.security import seal_id_number
from models.modes.neighbour import HELPERS, PAIRINGS
from vocabulary.modes import PartyKind, ServiceMode
from vocabulary.refusal import refuse


@dataclass(frozen=True)
class NewHelper:
    township_code: str
    village_code: str
    name: str
    trained_on: date
    certificate_no: str
    account_name: str
    account_no: str
    bank_name: str


async def register_helper(session: AsyncSession, helper: NewHelper, key: str, actor_id: UUID) -> tuple[UUID, bool]:
    """The account number is sealed with the ID-number key; only its last four digits stay readable. The same
    training certificate again (a double click) answers with the helper already registered (and False)."""
    new_id = uuid4()
    await session.execute(insert(HELPERS).values(
        id=new_id, county_code=helper.township_code[:6], township_code=helper.township_code,
        village_code=helper.village_code, name=helper.name, trained_on=helper.trained_on,
        certificate_no=helper.certificate_no, account_name=helper.account_name,
        account_cipher=seal_id_number(helper.account_no, key), account_tail=helper.account_no[-4:],
        bank_name=helper.bank_name, created_by=actor_id, created_at=datetime.now(UTC),
    ).on_conflict_do_nothing(constraint="uq_neighbour_helper_certificate"))
    h = HELPERS.c
    found = UUID(str((await session.execute(select(h.id).where(
        h.township_code == helper.township_code, h.certificate_no == helper.certificate_no))).scalar_one()))
    return found, found == new_id


async def pair(session: AsyncSession, helper_id: UUID, helper_name: str, case_id: UUID, township_code: str,
               village_code: str, content: str, started_on: date, actor_id: UUID) -> tuple[UUID, bool]:
    """Pairs the helper with the case (a second request finds the running pairing, and answers False)."""
    p = PAIRINGS.c
    pairing_id = uuid4()
    await session.execute(insert(PAIRINGS).values(
        id=pairing_id, helper_id=helper_id, case_id=case_id, township_code=township_code, village_code=village_code,
        content=content, started_on=started_on, created_by=actor_id, created_at=datetime.now(UTC),
    ).on_conflict_do_nothing(index_elements=["helper_id", "case_id"], index_where=p.ended_on.is_(None)))
    running = (await session.execute(select(p.id).where(
        p.helper_id == helper_id, p.case_id == case_id, p.ended_on.is_(None)))).scalar_one()
    await serve(session, Serving(case_id, ServiceMode.NEIGHBOUR, running, PartyKind.HELPER, helper_name,
                                 f"邻里互助：{content}", started_on))
    return UUID(str(running)), UUID(str(running)) == pairing_id


async def end_pairing(session: AsyncSession, pairing_id: UUID, ended_on: date, reason: str) -> bool:
    """Ends the pairing and the mode on the case; ending it again keeps the first end (and answers False)."""
    p = PAIRINGS.c
    row = (await session.execute(select(p.started_on, p.ended_on).where(p.id == pairing_id)
                                 .with_for_update())).one()
    if row.ended_on is not None:
        return False
    if ended_on < row.started_on:
        raise refuse("invalid_input", "结束日期不能早于结对开始日期")
    await session.execute(update(PAIRINGS).where(p.id == pairing_id).values(ended_on=ended_on, end_reason=reason))
    await end(session, ServiceMode.NEIGHBOUR, pairing_id, ended_on, reason)
    return True

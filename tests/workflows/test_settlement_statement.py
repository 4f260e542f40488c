"""A monthly statement's approval has a deadline in working days from its computation; each escalation rung
fires once, to the purchaser, its lead and the county, unless the statement is decided first."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select, text
from temporalio.exceptions import ApplicationError

from activities.settlement.sql import compute_county
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.payloads.actor import Actor
from models.settlement.payloads import CountyInput, StatementStart
from tests import oracle
from tests.conftest import time_skipping
from tests.world import World, add_cases, add_record, at
from vocabulary.case import Role
from worker import build_worker
from workflows.settlement import StatementWorkflow, statement_workflow_id
from workflows.settlement_statement import approver_role, check_approver

APPROVAL_DAYS = 5  # the documented default of policy/deadlines.py


async def test_each_approval_rung_fires_once(sessions: Sessions, world: World, task_queue: str) -> None:
    # Computed on the Monday before National Day: five working days reach the make-up Saturday, 10 October.
    computed = datetime(2026, 9, 28, 10, tzinfo=oracle.CHINA)
    due = oracle.add(computed.date(), APPROVAL_DAYS)[0]
    assert due == date(2026, 10, 10)
    expected = [("reminder", oracle.subtract(due, 2)), ("due", due), ("overdue", oracle.add(due, 1)[0])]
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
        await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 8, 5)))
        await compute_county(s, CountyInput(period="2026-08", county_code=world.county,
                                            cutoff=datetime(2026, 9, 5, 2, tzinfo=UTC)), computed)
    async with sessions() as s:
        st = (await s.execute(text("SELECT id, computed_at FROM statements WHERE county_code = :c "
                                   "AND purchaser_code = :p"), {"c": world.county, "p": world.township})).one()
    overdue = datetime.combine(expected[-1][1], time(9), tzinfo=oracle.CHINA)

    async with time_skipping(computed) as env, build_worker(env.client, sessions, task_queue):
        start = StatementStart(statement_id=st.id, period="2026-08", county_code=world.county,
                               purchaser_code=world.township)
        handle = await env.client.start_workflow(StatementWorkflow.run, start, id=statement_workflow_id(st.id),
                                                 task_queue=task_queue)
        await env.sleep(overdue + timedelta(days=4) - await env.get_current_time())
        async with sessions() as s:
            sent = (await s.execute(select(NOTIFICATIONS.c.rung, NOTIFICATIONS.c.recipient_role,
                                           NOTIFICATIONS.c.lead_only, NOTIFICATIONS.c.message,
                                           NOTIFICATIONS.c.created_at)
                                    .where(NOTIFICATIONS.c.statement_id == st.id)
                                    .order_by(NOTIFICATIONS.c.created_at))).all()
            stored_due = (await s.execute(text("SELECT due_on FROM statements WHERE id = :i"), {"i": st.id})).scalar()
        await handle.terminate("test over")

    assert stored_due == due
    assert [(r.rung, r.recipient_role, r.lead_only) for r in sent] == [
        ("reminder", "township_worker", False), ("due", "township_worker", True), ("overdue", "county_officer", False)]
    for row, (_, day) in zip(sent, expected, strict=True):
        want = datetime.combine(day, time(9), tzinfo=oracle.CHINA)
        assert abs(row.created_at - want) < timedelta(minutes=1), (row.rung, row.created_at)
    assert "2026-08月度结算单" in sent[-1].message and "2026年10月10日" in sent[-1].message


def test_the_purchaser_decides_its_statements() -> None:
    assert approver_role("341702") is Role.COUNTY_OFFICER
    assert approver_role("341702001") is Role.TOWNSHIP_WORKER
    worker = Actor(user_id=uuid4(), role=Role.TOWNSHIP_WORKER, jurisdiction="341702001")
    check_approver(worker, "341702001")
    for purchaser in ("341702002", "341702"):
        with pytest.raises(ApplicationError):
            check_approver(worker, purchaser)

"""A monthly statement's approval has a deadline in working days from its computation; each escalation rung
fires once, to the purchaser, its lead and the county, unless the statement is decided first."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text
from temporalio.testing import WorkflowEnvironment

from activities.settlement.sql import compute_county
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.settlement.payloads import CountyInput, StatementStart
from policy.deadlines import CHINA
from policy.workdays import calendar
from tests.settlement.world import World, add_cases, add_record, at
from worker import build_worker
from workflows.settlement import StatementWorkflow, statement_workflow_id


async def test_each_approval_rung_fires_once(
    fresh_ts_env: WorkflowEnvironment, sessions: Sessions, world: World, task_queue: str
) -> None:
    env = fresh_ts_env
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
        await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, 5)))
        await compute_county(s, CountyInput(period="2026-10", county_code=world.county,
                                            cutoff=datetime(2026, 11, 5, 2, tzinfo=UTC)), datetime.now(UTC))
    async with sessions() as s:
        st = (await s.execute(text("SELECT id, computed_at FROM statements WHERE county_code = :c "
                                   "AND purchaser_code = :p"), {"c": world.county, "p": world.township})).one()
    due = calendar().add(st.computed_at.astimezone(CHINA).date(), 5).on
    overdue = datetime.combine(calendar().add(due, 1).on, datetime.min.time(), tzinfo=CHINA)

    async with build_worker(env.client, sessions, task_queue):
        start = StatementStart(statement_id=st.id, period="2026-10", county_code=world.county,
                               purchaser_code=world.township)
        handle = await env.client.start_workflow(StatementWorkflow.run, start, id=statement_workflow_id(st.id),
                                                 task_queue=task_queue)
        await env.sleep(overdue + timedelta(days=4) - await env.get_current_time())
        async with sessions() as s:
            sent = (await s.execute(select(NOTIFICATIONS.c.rung, NOTIFICATIONS.c.recipient_role,
                                           NOTIFICATIONS.c.lead_only, NOTIFICATIONS.c.message)
                                    .where(NOTIFICATIONS.c.statement_id == st.id)
                                    .order_by(NOTIFICATIONS.c.created_at))).all()
            stored_due = (await s.execute(text("SELECT due_on FROM statements WHERE id = :i"), {"i": st.id})).scalar()
        await handle.terminate("test over")

    assert stored_due == due
    rungs = [(r.rung, r.recipient_role, r.lead_only) for r in sent]
    assert rungs[-2:] == [("due", "township_worker", True), ("overdue", "county_officer", False)]
    assert [r for r, _, _ in rungs] in (["reminder", "due", "overdue"], ["due", "overdue"])  # reminder if not past
    assert "2026-10月度结算单" in sent[-1].message and f"{due:%Y年%m月%d日}" in sent[-1].message

"""动态管理 in the running case, on the time-skipping server started at a chosen Monday (2026-03-09, China time):
status events open the township's task (its deadline from the oracle), a notice starts the hearing period on the
working-day calendar, the decision is refused until the recipient was heard or the period lapsed; a death ends
the case; an own-request stop needs no hearing; a transfer moves the case to the new township; the monthly
review that finds a case no longer eligible opens the task."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from devstack.seed import OTHER_VILLAGE
from infra.db import Sessions
from models.deadline_tables import NOTIFICATIONS
from models.dynamic.tables import CASE_TRANSFERS, PLAN_CHANGES, STATUS_EVENTS, StatusEvent
from models.payloads.case import CaseState
from models.payloads.dynamic import (
    AcknowledgeForm,
    DecideForm,
    DismissForm,
    EventRef,
    ProposeForm,
    StatementForm,
    StopForm,
    TransferForm,
)
from models.tables import CASES, PERSONS
from tests import oracle
from tests.conftest import time_skipping
from tests.workflows.driver import actor, case_id_of, start_case, step, walk_into_service
from worker import build_worker
from workflows import process
from workflows.case import CaseWorkflow

CHINA = oracle.CHINA
MONDAY = date(2026, 3, 9)
START = datetime.combine(MONDAY, time(10), tzinfo=CHINA)
TASK_DAYS, HEARING_DAYS, DECISION_DAYS = 10, 5, 5  # the documented defaults (policy/deadlines.py)


async def state_of(handle: WorkflowHandle[Any, Any]) -> CaseState:
    state = await handle.query(CaseWorkflow.state)
    assert state is not None
    return state


async def until(handle: WorkflowHandle[Any, Any], ok: Callable[[CaseState], bool]) -> CaseState:
    for _ in range(200):
        state = await state_of(handle)
        if ok(state):
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"case never reached the expected state: {await state_of(handle)}")


async def send_event(sessions: Sessions, handle: WorkflowHandle[Any, Any], change: str, on: date,
                     to_village: str | None = None, by: str = "jiedao") -> uuid.UUID:
    case_id = case_id_of(handle)
    async with sessions.begin() as s:
        case = (await s.execute(select(CASES.c.person_id, CASES.c.village_code).where(CASES.c.id == case_id))).one()
        event_id = uuid.uuid4()
        await s.execute(StatusEvent.__table__.insert().values(  # type: ignore[attr-defined]
            id=event_id, business_key=f"test:{event_id}", person_id=case.person_id, case_id=case_id, change=change,
            source="manual", effective_on=on, evidence="测试：村委会证明", village_code=case.village_code,
            to_village=to_village, recorded_by=actor(by).user_id, recorded_at=datetime.now(CHINA)))
    await handle.signal(CaseWorkflow.status_event, EventRef(event_id=event_id, change=change, effective_on=on,
                                                           actor=actor(by), to_village=to_village))
    return event_id


async def refused(coro: Any) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await coro
    return str(getattr(err.value.cause, "type", ""))


async def rows(sessions: Sessions, sql: str, **params: Any) -> list[Any]:
    async with sessions() as s:
        return list((await s.execute(text(sql), params)).all())


STOP = ProposeForm(kind="stop", reasons="已迁出本县，不再由本县提供服务。", facts="服务对象户籍已迁往外县。",
                   effective_on=date(2026, 4, 1))
REDUCE = ProposeForm(kind="reduce", reasons="低保已退出，仅保留每周探访。", facts="2026年3月1日退出低保。",
                     effective_on=date(2026, 4, 1),
                     items=[{"item_code": "cleaning_aid", "quantity_per_month": 4},
                            {"item_code": "visit", "quantity_per_month": 4}])


async def test_hearings_a_lapse_and_a_statement(sessions: Sessions, task_queue: str) -> None:
    async with time_skipping(START) as env, build_worker(env.client, sessions, task_queue):
        lapsing = await start_case(env.client, sessions, task_queue)
        heard = await start_case(env.client, sessions, task_queue)
        for handle in (lapsing, heard):
            await walk_into_service(handle)
            quiet = await state_of(handle)
            assert (quiet.position.holder_role, quiet.deadline) == (None, None)  # in service, nobody is waited on
        await send_event(sessions, lapsing, "moved_out", MONDAY)  # a move out of the county leads to a stop
        await send_event(sessions, heard, "category_lost", MONDAY)
        for handle in (lapsing, heard):
            task = await until(handle, lambda s: bool(s.task_events) and s.deadline is not None)
            assert task.position.holder_role == "township_worker"
            assert task.deadline is not None and task.deadline.due_on == oracle.add(MONDAY, TASK_DAYS)[0]

        await step(lapsing, process.PROPOSE, "jiedao", STOP)
        await step(heard, process.PROPOSE, "jiedao", REDUCE)
        ends_on = oracle.add(MONDAY, HEARING_DAYS)[0]
        for handle in (lapsing, heard):
            s = await state_of(handle)
            assert s.proposal is not None and s.position.holder_role == "applicant" and s.deadline is None
            assert s.proposal.hearing_until == datetime.combine(ends_on + timedelta(days=1), time(0), tzinfo=CHINA)
        decide_stop = DecideForm(result="stop", reasons="已迁出本县。", statement_considered="期满未提出意见。",
                                 effective_on=date(2026, 4, 1))
        assert await refused(step(lapsing, process.DECIDE, "jiedao", decide_stop)) == "hearing_not_over"
        # The statement arrives within the period: the decision may follow at once.
        assert await refused(step(heard, process.DECIDE, "jiedao", DecideForm(
            result="stop", reasons="x", statement_considered="x", effective_on=date(2026, 4, 1)))) in (
            "hearing_not_over", "decision_mismatch")
        await step(heard, process.RECORD_STATEMENT, "xieliyuan", StatementForm(by="recipient",
                                                                               statement="希望保留助洁。"))
        stated = await state_of(heard)
        assert stated.deadline is not None and stated.deadline.due_on == oracle.add(MONDAY, DECISION_DAYS)[0]
        await step(heard, process.DECIDE, "jiedao", DecideForm(
            result="change", reasons="退出低保，减少助洁次数。", statement_considered="部分采纳：保留每月4次助洁。",
            effective_on=date(2026, 4, 1)))
        changed = await state_of(heard)
        assert changed.position.holder_role is None and changed.proposal is None and changed.unacknowledged
        assert {i.item_code: i.quantity_per_month for i in changed.approved} == {"cleaning_aid": 4, "visit": 4}
        await step(heard, process.ACKNOWLEDGE, "fuwu", AcknowledgeForm())
        assert (await state_of(heard)).unacknowledged is None

        # Nothing stated: the period lapses at midnight after its last day; the decision follows.
        after_period = datetime.combine(ends_on + timedelta(days=1), time(1), tzinfo=CHINA)
        await env.sleep(after_period - await env.get_current_time())
        lapsed = await until(lapsing, lambda s: s.proposal is not None and s.proposal.lapsed)
        assert lapsed.position.holder_role == "township_worker"
        assert lapsed.deadline is not None
        assert lapsed.deadline.due_on == oracle.add(ends_on + timedelta(days=1), DECISION_DAYS)[0]
        done = await step(lapsing, process.DECIDE, "jiedao", decide_stop)
        assert done.position.outcome == "stopped"

    kinds = await rows(sessions, "SELECT case_id, filename FROM documents WHERE case_id IN (:a, :b) "
                                 "AND category = 'generated'", a=case_id_of(lapsing), b=case_id_of(heard))
    titles = {c: sorted(name.split("-")[0] for cc, name in kinds if cc == c) for c, _ in kinds}
    assert titles[case_id_of(lapsing)] == ["拟终止救助服务告知书", "终止救助服务决定书"]
    assert titles[case_id_of(heard)] == ["变更救助服务决定书", "拟变更救助服务告知书"]
    plans = await rows(sessions, "SELECT case_id, effective_on, items, acknowledged_at FROM plan_changes "
                                 "WHERE case_id IN (:a, :b)", a=case_id_of(lapsing), b=case_id_of(heard))
    by_case = {p.case_id: p for p in plans}
    answered = await rows(sessions, "SELECT events FROM hearings WHERE case_id = :c", c=case_id_of(heard))
    assert len(answered[0].events) == 1  # the proposal names the status event it answers
    assert by_case[case_id_of(lapsing)].items == [] and by_case[case_id_of(heard)].acknowledged_at is not None


async def test_death_own_request_transfer_and_the_review_flag(sessions: Sessions, task_queue: str) -> None:
    async with time_skipping(START) as env, build_worker(env.client, sessions, task_queue):
        died, asked, moved, reviewed = [await start_case(env.client, sessions, task_queue) for _ in range(4)]
        for handle in (died, asked, moved, reviewed):
            await walk_into_service(handle)

        # A death ends the case from the date of death, without a hearing; the provider is told.
        await send_event(sessions, died, "death", date(2026, 3, 8))
        ended = await until(died, lambda s: s.position.outcome is not None)
        assert ended.position.outcome == "deceased"

        # The person's own signed request: a written decision at once, no hearing.
        out = await step(asked, process.STOP, "jiedao", StopForm(
            reason="本人已由子女接回家中照料，申请停止服务。", requested_on=MONDAY, signed_request=True,
            effective_on=date(2026, 3, 16)))
        assert out.position.outcome == "stopped"

        # A move within the county: the old township transfers the case; the new one holds the task.
        await send_event(sessions, moved, "moved_within_county", MONDAY, to_village=OTHER_VILLAGE)
        await until(moved, lambda s: bool(s.task_events))
        before = (await state_of(moved)).deadline
        await step(moved, process.TRANSFER, "jiedao", TransferForm(to_village=OTHER_VILLAGE, reason="随子女迁居"))
        after = await state_of(moved)
        assert after.village_code == OTHER_VILLAGE and after.position.holder_role == "township_worker"
        assert after.deadline is not None and before is not None and after.deadline.seq > before.seq  # restarted
        assert await refused(step(moved, process.DISMISS_TASK, "jiedao", DismissForm(reason="x"))) == (
            "out_of_jurisdiction")
        await step(moved, process.DISMISS_TASK, "jiedao2", DismissForm(reason="迁入后服务照常，已核实"))
        assert (await state_of(moved)).position.holder_role is None

        # The monthly review finds the person no longer a recipient: the township's task opens.
        async with sessions.begin() as s:
            person = select(CASES.c.person_id).where(CASES.c.id == case_id_of(reviewed)).scalar_subquery()
            await s.execute(update(PERSONS).where(PERSONS.c.id == person).values(category="none"))
        review_at = (await state_of(reviewed)).next_review
        assert review_at is not None
        await env.sleep(review_at + timedelta(minutes=5) - await env.get_current_time())
        flagged = await until(reviewed, lambda s: bool(s.task_events) and s.deadline is not None)
        assert flagged.position.holder_role == "township_worker"
        review_day = review_at.astimezone(CHINA).date()
        assert flagged.deadline is not None and flagged.deadline.due_on == oracle.add(review_day, TASK_DAYS)[0]

    async with sessions() as s:
        closure = (await s.execute(text("SELECT outcome, effective_on FROM closures WHERE case_id = :c"),
                                   {"c": case_id_of(died)})).one()
        told = (await s.execute(select(NOTIFICATIONS.c.recipient_role, NOTIFICATIONS.c.message).where(
            NOTIFICATIONS.c.case_id == case_id_of(died)))).all()
        docs = (await s.execute(text("SELECT kind FROM documents WHERE case_id IN (:a, :b)"),
                                {"a": case_id_of(died), "b": case_id_of(asked)})).scalars().all()
        transfer = (await s.execute(select(CASE_TRANSFERS).where(CASE_TRANSFERS.c.case_id == case_id_of(moved)))).one()
        projection = (await s.execute(select(CASES.c.township_code).where(CASES.c.id == case_id_of(moved)))).scalar()
        events = (await s.execute(select(STATUS_EVENTS.c.change, STATUS_EVENTS.c.source).where(
            STATUS_EVENTS.c.case_id == case_id_of(reviewed)))).all()
        stops = (await s.execute(select(PLAN_CHANGES.c.effective_on).where(
            PLAN_CHANGES.c.case_id == case_id_of(died)))).scalars().all()
    assert (closure.outcome, closure.effective_on) == ("deceased", date(2026, 3, 9))  # paid through the day of death
    assert stops == [date(2026, 3, 9)]
    assert [r.recipient_role for r in told] == ["provider"] and "死亡" in told[0].message
    assert docs == ["service_decision"]  # the own-request stop is written; a death needs no decision
    assert (transfer.from_village[:9], transfer.to_village, projection) == ("341702001", OTHER_VILLAGE, "341702002")
    assert [(e.change, e.source) for e in events] == [("review_ineligible", "review")]

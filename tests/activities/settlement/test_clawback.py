"""A back-dated stop in settlement, on a real PostgreSQL: October is paid; in November a decision stops the
services from 16 October. The records it removed that were paid come back as a negative clawback on November's
statement of the same township x provider (created for it); the ones not yet paid are flagged, never paid; a
re-run changes nothing and nothing is taken back (or paid) twice."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from activities.documents.store import DocumentStore
from activities.dynamic.hearings import HearingActivities
from activities.settlement.disallow import disallow
from infra.db import Sessions
from models.payloads.case import Position
from models.payloads.dynamic import StopForm
from models.payloads.jobs import StepRecord, Transition
from tests.activities.settlement.test_sql import NOV_CUTOFF, OCT_CUTOFF, compute, rows, statements
from tests.world import World, add_cases, add_record, at
from vocabulary.case import Action, Outcome, Role, Step

DEC_CUTOFF = datetime(2027, 1, 5, 2, tzinfo=UTC)


async def approve(sessions: Sessions, statement_id: Any) -> None:
    async with sessions.begin() as s:
        await s.execute(text("UPDATE statements SET status = 'approved', approved_at = now() WHERE id = :s"),
                        {"s": statement_id})


async def stop_back_dated(sessions: Sessions, documents: DocumentStore, world: World, case: uuid.UUID) -> None:
    """The township's written stop, decided on 20 November, effective from 16 October."""
    worker = world.township_worker
    before = Position(step=Step.DYNAMIC_MANAGEMENT, holder_role=Role.TOWNSHIP_WORKER, provider_id=world.provider_a)
    t = Transition(case_id=case, seq=8, action=Action.STOP, actor=worker, before=before,
                   after=before.model_copy(update={"outcome": Outcome.STOPPED, "holder_role": None}),
                   at=at(date(2026, 11, 20), 10))
    form = StopForm(reason="本人已于10月16日入住敬老院，申请自当日起停止居家服务。", requested_on=date(2026, 11, 18),
                    signed_request=True, effective_on=date(2026, 10, 16))
    activities = HearingActivities(sessions, documents)
    for _ in range(2):  # a retried activity writes nothing twice
        await activities.stop_services(StepRecord[StopForm](transition=t, form=form))


async def test_a_back_dated_stop_claws_back_once(world: World, sessions: Sessions, documents: DocumentStore) -> None:
    async with sessions.begin() as s:
        case, other = await add_cases(s, world, 2)
        paid_after = [await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, d)))
                      for d in (20, 27)]
        paid_after.append(await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, 21), 15)))
        for day in (6, 13):  # before the effective date: stays paid
            await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, day)))
        late = await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, 30)),
                                confirmed_at=at(date(2026, 11, 10)))  # after October's cutoff: not paid yet
        await add_record(s, other, world.provider_a, "visit", at(date(2026, 11, 3)))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    october = (await statements(sessions, world, "2026-10"))[world.township]
    assert october.total_amount == Decimal("150.00")  # 4 x 30 + 30
    await approve(sessions, october.id)

    await stop_back_dated(sessions, documents, world, case)
    async with sessions.begin() as s:  # entered after the decision, for a day it removed
        after_stop = await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, 28), 15),
                                      confirmed_at=at(date(2026, 11, 21)))
    await compute(sessions, world, "2026-11", NOV_CUTOFF)
    november = (await statements(sessions, world, "2026-11"))[world.township]
    lines = await rows(sessions, "SELECT kind, item_code, quantity, flagged_quantity, amount FROM statement_lines "
                                 "WHERE statement_id = :s ORDER BY kind, item_code", s=november.id)
    assert [(r.kind, r.item_code, r.quantity, r.flagged_quantity, r.amount) for r in lines] == [
        ("adjustment", "cleaning_aid", 0, 1, Decimal("0.00")), ("adjustment", "visit", 0, 1, Decimal("0.00")),
        ("clawback", "cleaning_aid", -2, 0, Decimal("-60.00")), ("clawback", "visit", -1, 0, Decimal("-30.00")),
        ("regular", "visit", 1, 0, Decimal("30.00"))]
    assert (november.clawback_amount, november.total_amount) == (Decimal("-90.00"), Decimal("-60.00"))
    outcomes = dict((r.record_id, r.outcome) for r in await rows(
        sessions, "SELECT record_id, outcome FROM statement_records WHERE record_id IN (:a, :b)",
        a=late, b=after_stop))
    assert outcomes == {late: "disallowed", after_stop: "not_allowed"}  # flagged, paid nothing

    again = await compute(sessions, world, "2026-11", NOV_CUTOFF)  # a re-run: identical
    rerun = (await statements(sessions, world, "2026-11"))[world.township]
    assert (rerun.version, rerun.content_sha256, rerun.total_amount) == (
        november.version, november.content_sha256, november.total_amount)
    assert again.statements
    await approve(sessions, november.id)
    async with sessions.begin() as s:  # found again later (e.g. a spot check): nothing is taken back twice
        await disallow(s, paid_after, "抽查发现未提供服务", "spot_check", "test", datetime.now(UTC))
    await compute(sessions, world, "2026-12", DEC_CUTOFF)
    taken = await rows(sessions, "SELECT record_id, statement_id FROM clawbacks WHERE record_id = ANY(:r)",
                       r=paid_after)
    assert sorted(r.record_id for r in taken) == sorted(paid_after) and {r.statement_id for r in taken} == {
        november.id}
    december = (await statements(sessions, world, "2026-12")).get(world.township)
    assert december is None or december.clawback_amount == 0
    paid_total = await rows(sessions, """
        SELECT sum(sr.amount) AS paid FROM statement_records sr JOIN service_records r ON r.id = sr.record_id
        WHERE r.case_id = :c""", c=case)
    assert paid_total[0].paid - Decimal("90.00") == Decimal("60.00")  # net: the two October records before the 16th

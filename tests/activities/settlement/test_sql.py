"""The set-based computation of a county x period on a real PostgreSQL (no Temporal): prices by date, late
records, plan quantities, duplicates, exceptions, re-runs and locked statements, the 1% check."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from temporalio.exceptions import ApplicationError

from activities.documents.store import DocumentStore
from activities.settlement.sql import compute_county
from activities.settlement.statements import StatementActivities
from devstack.seed import AgreementSeed, configure_county
from infra.db import Sessions
from models.settlement.payloads import ApproveForm, CountyComputed, CountyInput, StatementAct
from tests.world import World, add_cases, add_record, at
from vocabulary.case import Role
from vocabulary.settlement import FundCheckStatus

OCT_CUTOFF = datetime(2026, 11, 5, 2, tzinfo=UTC)
NOV_CUTOFF = datetime(2026, 12, 5, 2, tzinfo=UTC)


async def compute(sessions: Sessions, world: World, period: str, cutoff: datetime) -> CountyComputed:
    async with sessions.begin() as s:
        return await compute_county(s, CountyInput(period=period, county_code=world.county, cutoff=cutoff),
                                    datetime.now(UTC))


async def rows(sessions: Sessions, sql: str, **params: Any) -> list[Any]:
    async with sessions() as s:
        return list((await s.execute(text(sql), params)).all())


async def statements(sessions: Sessions, world: World, period: str) -> dict[str, Any]:
    """purchaser code -> statement row"""
    found = await rows(sessions, "SELECT * FROM statements WHERE county_code = :c AND period = :p",
                       c=world.county, p=period)
    return {r.purchaser_code: r for r in found}


async def outcomes(sessions: Sessions, statement_id: UUID) -> dict[UUID, tuple[str, int]]:
    found = await rows(sessions, "SELECT record_id, outcome, paid_quantity FROM statement_records "
                                 "WHERE statement_id = :s", s=statement_id)
    return {r.record_id: (r.outcome, r.paid_quantity) for r in found}


async def one_case(sessions: Sessions, world: World, **kwargs: Any) -> UUID:
    async with sessions.begin() as s:
        return (await add_cases(s, world, 1, **kwargs))[0]


async def test_a_price_change_mid_month_settles_each_record_at_its_date(world: World, sessions: Sessions) -> None:
    case = await one_case(sessions, world)
    async with sessions.begin() as s:
        await s.execute(text("UPDATE fee_standards SET valid_to = '2026-10-15' WHERE county_code = :c "
                             "AND item_code = 'cleaning_aid'"), {"c": world.county})
        await s.execute(text("""
            INSERT INTO fee_standards (county_code, item_code, valid_from, price, funding_source, created_by,
                                       created_at)
            VALUES (:c, 'cleaning_aid', '2026-10-16', 36, 'home_elderly_care', :u, now())"""),
            {"c": world.county, "u": uuid4()})
        for day, hour, minute in ((5, 9, 0), (12, 9, 0), (15, 23, 30), (16, 0, 30), (19, 9, 0), (26, 9, 0)):
            await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, day), hour, minute))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)

    st = (await statements(sessions, world, "2026-10"))[world.township]
    lines = await rows(sessions, "SELECT unit_price, quantity, amount FROM statement_lines WHERE statement_id = :s "
                                 "ORDER BY unit_price", s=st.id)
    # 23:30 on the 15th (China time) is still the old price; 00:30 on the 16th, ending as it starts, the new.
    assert [(r.unit_price, r.quantity, r.amount) for r in lines] == [
        (Decimal("30.00"), 3, Decimal("90.00")), (Decimal("36.00"), 3, Decimal("108.00"))]
    assert st.total_amount == Decimal("198.00") and st.government_amount == Decimal("198.00")
    assert st.flagged_quantity == 0 and st.status == "draft" and st.version == 1


async def test_over_plan_and_duplicate_records_are_flagged_not_paid(world: World, sessions: Sessions) -> None:
    case = await one_case(sessions, world)  # plan: cleaning 8 a month, visits 4 a month
    ids: dict[str, UUID] = {}
    async with sessions.begin() as s:
        for label, day, minute, quantity in (("c2", 2, 0, 1), ("c5", 5, 0, 1), ("c5dup", 5, 30, 1), ("c8", 8, 0, 1),
                                             ("c12", 12, 0, 1), ("c15", 15, 0, 1), ("c19", 19, 0, 4),
                                             ("c22", 22, 0, 1)):
            ids[label] = await add_record(s, case, world.provider_a, "cleaning_aid",
                                          at(date(2026, 10, day), 9, minute), quantity=quantity)
        for day in (3, 10, 17, 24, 31):
            ids[f"v{day}"] = await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, day), 15))
        # Not billable at all: another provider's record, and an item outside the plan.
        ids["other"] = await add_record(s, case, world.provider_b, "cleaning_aid", at(date(2026, 10, 6)))
        ids["meal"] = await add_record(s, case, world.provider_a, "meal_aid", at(date(2026, 10, 6), 12))
        unconfirmed = await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, 1), 8),
                                       confirmed=False)
    done = await compute(sessions, world, "2026-10", OCT_CUTOFF)
    assert done.exceptions == 2

    st = (await statements(sessions, world, "2026-10"))[world.township]
    got = await outcomes(sessions, st.id)
    assert got[ids["c5dup"]] == ("duplicate", 0)
    assert got[ids["c19"]] == ("partly_over_plan", 3)  # 5 already, plan 8: 3 of the 4 are paid
    assert got[ids["c22"]] == ("over_plan", 0)
    assert got[ids["v31"]] == ("over_plan", 0) and got[ids["v24"]] == ("paid", 1)
    assert unconfirmed not in got and ids["other"] not in got and ids["meal"] not in got
    assert st.total_amount == Decimal("360.00")  # 8 x 30 cleaning + 4 x 30 visits
    assert (st.paid_quantity, st.flagged_quantity, st.record_count) == (12, 4, 13)
    exceptions = await rows(sessions, "SELECT record_id, reason FROM settlement_exceptions "
                                      "WHERE county_code = :c AND period = '2026-10'", c=world.county)
    assert {(r.record_id, r.reason) for r in exceptions} == {(ids["other"], "not_in_plan"),
                                                             (ids["meal"], "not_in_plan")}


async def test_late_records_go_into_the_next_statement_as_adjustments(world: World, sessions: Sessions) -> None:
    case = await one_case(sessions, world)
    async with sessions.begin() as s:
        for day in (3, 10, 17, 24):
            await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, day), 15))
        late = await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 10, 30)),
                                confirmed_at=datetime(2026, 11, 10, tzinfo=UTC))
        late_over = await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, 31), 15),
                                     confirmed_at=datetime(2026, 11, 10, tzinfo=UTC))
        await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 11, 2)))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    october = (await statements(sessions, world, "2026-10"))[world.township]
    assert october.total_amount == Decimal("120.00") and october.adjustment_amount == 0

    await compute(sessions, world, "2026-11", NOV_CUTOFF)
    november = (await statements(sessions, world, "2026-11"))[world.township]
    lines = await rows(sessions, "SELECT item_code, service_month, kind, quantity, flagged_quantity, amount "
                                 "FROM statement_lines WHERE statement_id = :s ORDER BY service_month, item_code",
                       s=november.id)
    assert [(r.item_code, r.service_month, r.kind, r.quantity, r.flagged_quantity) for r in lines] == [
        ("cleaning_aid", date(2026, 10, 1), "adjustment", 1, 0),
        ("visit", date(2026, 10, 1), "adjustment", 0, 1),  # October's four visits were paid already
        ("cleaning_aid", date(2026, 11, 1), "regular", 1, 0),
    ]
    assert november.adjustment_amount == Decimal("30.00") and november.total_amount == Decimal("60.00")
    assert (await outcomes(sessions, november.id))[late_over] == ("over_plan", 0)

    # A re-run of October keeps its cutoff: the late record stays where it went, nothing moves or doubles.
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    again = (await statements(sessions, world, "2026-10"))[world.township]
    assert (again.version, again.content_sha256, again.total_amount) == (
        october.version, october.content_sha256, october.total_amount)
    owners = await rows(sessions, "SELECT statement_id FROM statement_records WHERE record_id = :r", r=late)
    assert [o.statement_id for o in owners] == [november.id]


async def test_unbillable_records_wait_for_an_agreement_and_are_never_lost(world: World, sessions: Sessions) -> None:
    township_case = await one_case(sessions, world)
    county_case = await one_case(sessions, world, village=world.other_village, provider=world.provider_b)
    async with sessions.begin() as s:
        await s.execute(text("UPDATE purchase_agreements SET status = 'initiated' WHERE agreement_no = :n"),
                        {"n": f"A{world.county}-1"})
        waiting = await add_record(s, township_case, world.provider_a, "visit", at(date(2026, 10, 8)))
        await add_record(s, county_case, world.provider_b, "visit", at(date(2026, 10, 8)))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    october = await statements(sessions, world, "2026-10")
    assert set(october) == {world.county}  # provider B's county agreement; township 1's is only 立项
    reasons = await rows(sessions, "SELECT record_id, reason FROM settlement_exceptions WHERE county_code = :c",
                         c=world.county)
    assert [(r.record_id, r.reason) for r in reasons] == [(waiting, "no_agreement")]

    async with sessions.begin() as s:
        await s.execute(text("UPDATE purchase_agreements SET status = 'implementing' WHERE agreement_no = :n"),
                        {"n": f"A{world.county}-1"})
    await compute(sessions, world, "2026-11", NOV_CUTOFF)
    november = (await statements(sessions, world, "2026-11"))[world.township]
    assert november.adjustment_amount == Decimal("30.00")
    assert (await outcomes(sessions, november.id))[waiting] == ("paid", 1)


async def test_reruns_are_identical_and_locked_statements_never_change(world: World, sessions: Sessions) -> None:
    case = await one_case(sessions, world)
    async with sessions.begin() as s:
        for day in (3, 10):
            await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, day), 15))
    first = await compute(sessions, world, "2026-10", OCT_CUTOFF)
    before = (await statements(sessions, world, "2026-10"))[world.township]
    second = await compute(sessions, world, "2026-10", OCT_CUTOFF)
    after = (await statements(sessions, world, "2026-10"))[world.township]
    assert first.statements == second.statements
    assert (after.id, after.version, after.content_sha256, after.total_amount) == (
        before.id, before.version, before.content_sha256, before.total_amount)

    async with sessions.begin() as s:
        await s.execute(text("UPDATE statements SET status = 'approved', approved_at = now() WHERE id = :s"),
                        {"s": before.id})
        # A record confirmed before the cutoff but written after the run (a sync from the field app).
        straggler = await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, 17), 15))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    locked = (await statements(sessions, world, "2026-10"))[world.township]
    assert (locked.status, locked.content_sha256, locked.total_amount) == ("approved", before.content_sha256,
                                                                          Decimal("60.00"))
    reasons = await rows(sessions, "SELECT reason FROM settlement_exceptions WHERE record_id = :r", r=straggler)
    assert [r.reason for r in reasons] == ["statement_locked"]
    await compute(sessions, world, "2026-11", NOV_CUTOFF)
    november = (await statements(sessions, world, "2026-11"))[world.township]
    assert (await outcomes(sessions, november.id))[straggler] == ("paid", 1)

    for sql in ("DELETE FROM statement_lines WHERE statement_id = :s",
                "UPDATE statement_records SET paid_quantity = 2 WHERE statement_id = :s",
                "UPDATE statements SET total_amount = 1 WHERE id = :s",
                "UPDATE statements SET status = 'draft' WHERE id = :s"):
        with pytest.raises(DBAPIError, match="locked"):
            async with sessions.begin() as s:
                await s.execute(text(sql), {"s": before.id})


async def test_work_funds_stay_within_one_percent_of_the_pooled_funds(world: World, sessions: Sessions,
                                                                    documents: DocumentStore) -> None:
    case = await one_case(sessions, world)
    async with sessions.begin() as s:
        await s.execute(text("UPDATE county_funds SET pooled_assistance_funds = 5000 WHERE county_code = :c"),
                        {"c": world.county})
        await add_record(s, case, world.provider_a, "visit", at(date(2026, 9, 9), 15))  # work funds, 30
        for day in (3, 10):
            await add_record(s, case, world.provider_a, "visit", at(date(2026, 10, day), 15))
    await compute(sessions, world, "2026-09", datetime(2026, 10, 5, tzinfo=UTC))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    check = (await rows(sessions, "SELECT * FROM fund_checks WHERE county_code = :c AND period = '2026-10'",
                        c=world.county))[0]
    # Cap 50.00 (1% of 5,000); the year to date is September's 30 plus October's 60.
    assert (check.status, check.cap, check.used_before, check.used_this_period, check.used_total,
            check.share_percent) == ("over", Decimal("50.00"), Decimal("30.00"), Decimal("60.00"), Decimal("90.00"),
                                     Decimal("1.80"))
    st = (await statements(sessions, world, "2026-10"))[world.township]
    act = StatementAct[ApproveForm](statement_id=st.id, actor=world.actor(Role.TOWNSHIP_WORKER),
                                    form=ApproveForm(version=st.version), at=datetime.now(UTC), update_id="u1")
    with pytest.raises(ApplicationError) as refused:
        await StatementActivities(sessions, documents).statement_approve(act)
    assert refused.value.type == "work_funds_over_cap" and "1.80%" in refused.value.message

    async with sessions.begin() as s:
        await s.execute(text("DELETE FROM county_funds WHERE county_code = :c"), {"c": world.county})
    done = await compute(sessions, world, "2026-10", OCT_CUTOFF)
    assert done.fund_check is FundCheckStatus.UNCONFIGURED
    with pytest.raises(ApplicationError, match="未登记"):
        await StatementActivities(sessions, documents).statement_approve(act)

    async with sessions.begin() as s:
        await s.execute(text("INSERT INTO county_funds VALUES (:c, 2026, 1000000, :u, now())"),
                        {"c": world.county, "u": uuid4()})
    assert (await compute(sessions, world, "2026-10", OCT_CUTOFF)).fund_check is FundCheckStatus.WITHIN
    approved = await StatementActivities(sessions, documents).statement_approve(act)
    assert approved.status.value == "approved"
    again = await StatementActivities(sessions, documents).statement_approve(act)  # a retry writes nothing
    assert again.status.value == "approved"
    audits = await rows(sessions, "SELECT count(*) AS n FROM audit_log WHERE action = 'statement_approve' "
                                  "AND after->>'statement_id' = :s", s=str(st.id))
    assert audits[0].n == 1


async def test_the_most_specific_agreement_prices_never_above_the_standard(world: World, sessions: Sessions) -> None:
    near = await one_case(sessions, world, provider=world.provider_b)
    far = await one_case(sessions, world, village=world.other_village, provider=world.provider_b)
    async with sessions.begin() as s:
        county_agreement = f"A{world.county}-3"
        for item, price in (("visit", 25), ("cleaning_aid", 40)):  # 40 is above the 30.00 standard
            await s.execute(text("UPDATE agreement_items SET price = :p WHERE item_code = :i AND agreement_id = "
                                 "(SELECT id FROM purchase_agreements WHERE agreement_no = :n)"),
                            {"p": price, "i": item, "n": county_agreement})
        await configure_county(s, world.county, pooled=None, agreements=(AgreementSeed(
            f"A{world.county}-4", world.township, world.provider_b, "一号街道访视", items={"visit": Decimal(28)}),))
        for case in (near, far):
            await add_record(s, case, world.provider_b, "visit", at(date(2026, 10, 7), 15))
            await add_record(s, case, world.provider_b, "cleaning_aid", at(date(2026, 10, 8)))
    await compute(sessions, world, "2026-10", OCT_CUTOFF)
    found = await rows(sessions, """
        SELECT st.purchaser_code, l.case_id, l.item_code, l.unit_price FROM statement_lines l
        JOIN statements st ON st.id = l.statement_id WHERE st.county_code = :c""", c=world.county)
    assert {(r.purchaser_code, r.case_id, r.item_code, r.unit_price) for r in found} == {
        (world.township, near, "visit", Decimal("28.00")),  # the township's own agreement first
        (world.county, near, "cleaning_aid", Decimal("30.00")),  # the county's, capped at the standard
        (world.county, far, "visit", Decimal("25.00")),
        (world.county, far, "cleaning_aid", Decimal("30.00")),
    }

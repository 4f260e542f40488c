"""A record a spot check finds not delivered (未提供) is never paid: unbillable if not yet settled, a negative
adjustment in the next statement if already paid — nothing paid twice, nothing paid for a service not given.

Settlement's side is `activities/settlement/disallow.py: disallow(session, record_ids, reason, source_kind,
source_id, at)`, from the dynamic-management work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import text

from activities.settlement.sql import compute_county
from infra.db import Sessions
from models.settlement.payloads import CountyInput
from tests.api.conftest import Http
from tests.world import World, add_cases, add_record, at


async def paid_for(sessions: Sessions, case: object, month: date) -> Decimal:
    async with sessions() as s:
        return Decimal((await s.execute(text(
            "SELECT COALESCE(sum(amount), 0) FROM statement_lines WHERE case_id = :c AND service_month = :m"),
            {"c": case, "m": month})).scalar_one())


async def test_not_delivered_before_and_after_payment(ohttp: Http, sessions: Sessions, world: World) -> None:
    async with sessions.begin() as s:
        (case,) = await add_cases(s, world, 1)
        august = [await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 8, d))) for d in (3, 10)]
        september = [await add_record(s, case, world.provider_a, "cleaning_aid", at(date(2026, 9, d)))
                     for d in (7, 14)]
        await compute_county(s, CountyInput(period="2026-08", county_code=world.county,
                                            cutoff=datetime(2026, 9, 5, 2, tzinfo=UTC)),
                             datetime(2026, 9, 5, tzinfo=UTC))
        await s.execute(text("UPDATE statements SET status = 'paid' WHERE county_code = :c AND period = '2026-08'"),
                        {"c": world.county})
    price = await paid_for(sessions, case, date(2026, 8, 1)) / 2
    await ohttp.ok("POST", "/checks/inspectors", world.officer, {"name": "县检查员"})
    await ohttp.ok("POST", "/checks/draws", world.officer, {"year": 2026, "percent": 100})
    for record in (august[0], september[0]):  # one already paid, one not yet settled
        await ohttp.ok("POST", f"/checks/{record}/result", world.officer,
                       {"method": "home_visit", "result": "not_delivered", "notes": "服务对象称当日无人上门"})
    async with sessions.begin() as s:
        await compute_county(s, CountyInput(period="2026-09", county_code=world.county,
                                            cutoff=datetime(2026, 10, 5, 2, tzinfo=UTC)),
                             datetime(2026, 10, 5, tzinfo=UTC))
        pending = (await s.execute(text("SELECT count(*) FROM spot_checks WHERE record_id = ANY(:r) AND NOT "
                                        "disallowed"), {"r": [august[0], september[0]]})).scalar_one()
    assert pending == 0
    assert await paid_for(sessions, case, date(2026, 8, 1)) == price  # the paid one came back
    assert await paid_for(sessions, case, date(2026, 9, 1)) == price  # the unsettled one was never billed

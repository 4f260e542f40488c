"""The provider evaluation from known inputs: every metric counted on the working calendar with the county's
rules, and the weighted score computed by hand."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from activities.oversight.evaluation import evaluate
from devstack.seed import AgreementSeed
from infra.db import Sessions
from models.settlement.tables import AGREEMENTS
from policy.oversight import merged_settings
from tests.world import World, add_cases, add_record, at

NOW = datetime(2026, 4, 1, 10, tzinfo=at(date(2026, 4, 1)).tzinfo)
# Per case: answered, plan filed, archived (None: not yet). Referred Monday 5 January 2026.
STEPS = [(date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 8)),     # all on time
         (date(2026, 1, 7), date(2026, 1, 20), date(2026, 1, 21)),    # plan 9 working days after: late
         (date(2026, 1, 8), date(2026, 1, 9), date(2026, 3, 1)),      # archive late
         (date(2026, 1, 12), date(2026, 1, 13), None)]                # answer late (5 wd); archive overdue


async def known_inputs(sessions: Sessions, world: World) -> list[Any]:
    async with sessions.begin() as s:
        cases = await add_cases(s, world, 4, plan={"visit": 4}, starts_on=date(2026, 1, 1))
        for case, (answered, filed, archived) in zip(cases, STEPS, strict=True):
            await s.execute(text("INSERT INTO referrals (case_id, seq, provider_id, referred_by, referred_at, "
                                 "accepted, responded_at) VALUES (:c, 5, :p, :p, :r, true, :a)"),
                            {"c": case, "p": world.provider_a, "r": at(date(2026, 1, 5)), "a": at(answered, 15)})
            await s.execute(text("UPDATE service_plans SET filed_at = :f WHERE case_id = :c"),
                            {"c": case, "f": at(filed, 16)})
            if archived:
                await s.execute(text("INSERT INTO archives (case_id, provider_id, service_no, created_by, created_at) "
                                     "VALUES (:c, :p, :n, :p, :a)"),
                                {"c": case, "p": world.provider_a, "n": f"E{uuid.uuid4().hex[:10]}",
                                 "a": at(archived, 11)})
        # Delivery: case 1 four visits in each of January-March, case 2 six in January (four count), others none.
        records = [await add_record(s, cases[0], world.provider_a, "visit", at(date(2026, m, d)))
                   for m in (1, 2, 3) for d in (6, 13, 20, 27)]
        records += [await add_record(s, cases[1], world.provider_a, "visit", at(date(2026, 1, d)))
                    for d in range(5, 11)]
        draw = uuid.uuid4()
        await s.execute(text("INSERT INTO check_draws (id, county_code, year, seq, kind, seed, as_of, population, "
                             "population_digest, sampled, strata, drawn_by, drawn_at) VALUES (:d, :c, 2026, 1, "
                             "'regular', 'x', now(), 0, '0', 0, '[]', :u, now())"),
                        {"d": draw, "c": world.county, "u": world.provider_a})
        for record, result in zip(records, ("confirmed", "confirmed", "confirmed", "quality_issue"), strict=False):
            await s.execute(text("INSERT INTO spot_checks (record_id, draw_id, case_id, provider_id, township_code, "
                                 "county_code, year, inspector_id, method, result, disallowed, checked_by, checked_at) "
                                 "VALUES (:r, :d, :c, :p, :t, :county, 2026, :u, 'phone', :res, false, :u, now())"),
                            {"r": record, "d": draw, "c": cases[0], "p": world.provider_a, "t": world.township,
                             "county": world.county, "u": uuid.uuid4(), "res": result})
        for n, (status, result) in enumerate([("done", "satisfied")] * 3 + [("done", "basically_satisfied"),
                                             ("done", "dissatisfied"), ("not_reached", None)]):
            await s.execute(text("INSERT INTO satisfaction_visits (id, draw_id, period, case_id, provider_id, "
                                 "county_code, township_code, village_code, status, attempts, result) VALUES "
                                 "(:i, :d, :period, :c, :p, :county, :t, :v, :s, 1, :r)"),
                            {"i": uuid.uuid4(), "d": draw, "c": cases[n % 4], "p": world.provider_a,
                             "period": f"2026-0{2 + n // 4}",
                             "county": world.county, "t": world.township, "v": world.village, "s": status, "r": result})
        await s.execute(text("INSERT INTO complaints (id, complaint_no, county_code, township_code, channel, category, "
                             "content, anonymous, confidential, provider_id, handler, handler_code, status, extended, "
                             "upheld, redone, received_by, received_at) VALUES (:i, :n, :c, :t, 'hotline', "
                             "'service_quality', '迟到', true, false, :p, 'provider', :c, 'closed', false, true, "
                             "false, :p, :at)"),
                        {"i": uuid.uuid4(), "n": f"TS{uuid.uuid4().hex[:8]}", "c": world.county, "t": world.township,
                         "p": world.provider_a, "at": at(date(2026, 2, 3))})
        for on_time in (True, False):
            await s.execute(text("INSERT INTO rectifications (id, county_code, township_code, provider_id, source, "
                                 "source_id, requirement, status, due_on, on_time, rounds, opened_by, opened_at) "
                                 "VALUES (:i, :c, :t, :p, 'spot_check', :s, '整改', 'verified', '2026-02-20', :o, 1, "
                                 ":p, :at)"), {"i": uuid.uuid4(), "c": world.county, "t": world.township,
                                               "p": world.provider_a, "s": uuid.uuid4(), "o": on_time,
                                               "at": at(date(2026, 2, 6))})
    return cases


async def test_the_score_from_known_inputs(sessions: Sessions, world: World) -> None:
    await known_inputs(sessions, world)
    agreement_id = AgreementSeed(f"A{world.county}-1", world.township, world.provider_a, "").id
    async with sessions() as s:
        agreement = (await s.execute(select(AGREEMENTS).where(AGREEMENTS.c.id == agreement_id))).one()
        result = await evaluate(s, agreement, merged_settings(None), NOW)
    rates = {k: (m["numerator"], m["denominator"], m["rate"]) for k, m in result["metrics"].items()}
    assert rates == {
        "referral_answers": (3, 4, "0.7500"), "plans_on_time": (3, 4, "0.7500"), "archives_on_time": (2, 4, "0.5000"),
        "delivery": (16, 64, "0.2500"),  # 4 cases x visit 4/month x January-April
        "spot_checks": (3, 4, "0.7500"), "satisfaction": (4, 5, "0.8000"),
        "complaints": (1, 2, "0.0000"),  # 1 upheld per 2 recipients = 50 per 100, past the zero point of 10
        "rectifications": (1, 2, "0.5000"),
    }
    # (10x.75 + 10x.75 + 10x.5 + 20x.25 + 15x.75 + 20x.8 + 10x0 + 5x.5) / 100
    assert result["score"] == Decimal("54.75")
    assert (result["period_start"], result["period_end"]) == (date(2026, 1, 1), date(2026, 4, 1))

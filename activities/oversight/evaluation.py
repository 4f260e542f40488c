"""A provider's evaluation (绩效评价) under one purchase agreement, computed from the data of the agreement's period
and purchaser (its township's cases, or the whole county's): each metric a count over a count, scored with the
county's weights (policy/oversight.py). Required before the agreement is accepted (验收, 000 二(六): 立项、实施、
验收评估; 重点围绕救助对象满意度).

On time is measured on the working calendar with the county's rules: the provider's answer to a referral
(referral_response), its plan after accepting (service_plan), its archive after the plan (archiving), a
rectification's report by its due date. Something not done and already past its limit counts as late; not yet
due, it is left out.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.deadlines.plan import county_rules, work_calendar
from policy import oversight as policy
from policy.workdays import WorkCalendar
from vocabulary.china import CHINA, china_day
from vocabulary.deadlines import DeadlineRule
from vocabulary.oversight import EvaluationMetric as M

_SCOPE = "c.county_code = :county AND starts_with(c.township_code, :purchaser)"
_STEPS = text(f"""
SELECT f.referred_at, f.responded_at, f.accepted, p.filed_at, a.created_at AS archived_at
FROM referrals f
JOIN cases c ON c.id = f.case_id
LEFT JOIN service_plans p ON p.case_id = f.case_id AND p.provider_id = f.provider_id AND f.accepted
LEFT JOIN archives a ON a.case_id = f.case_id AND a.provider_id = f.provider_id AND f.accepted
WHERE {_SCOPE} AND f.provider_id = :provider
  AND (f.referred_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN :start AND :end
""")
_DELIVERY = text(f"""
WITH months AS (
    SELECT p.case_id, i.item_code, i.quantity_per_month AS planned, m::date AS month
    FROM service_plans p
    JOIN cases c ON c.id = p.case_id
    CROSS JOIN LATERAL jsonb_to_recordset(p.items) AS i(item_code text, quantity_per_month int)
    CROSS JOIN LATERAL generate_series(date_trunc('month', GREATEST(p.starts_on, CAST(:start AS date))),
                                       date_trunc('month', CAST(:last AS date)), interval '1 month') AS m
    WHERE {_SCOPE} AND p.provider_id = :provider AND p.starts_on <= :last
), done AS (
    SELECT r.case_id, r.item_code, date_trunc('month', r.started_at AT TIME ZONE 'Asia/Shanghai')::date AS month,
           sum(r.quantity) AS quantity
    FROM service_records r
    WHERE r.provider_id = :provider AND r.confirmed_at IS NOT NULL
      AND r.started_at >= :start_at AND r.started_at < :end_at
    GROUP BY 1, 2, 3
)
SELECT COALESCE(sum(LEAST(COALESCE(d.quantity, 0), m.planned)), 0) AS delivered, COALESCE(sum(m.planned), 0) AS planned
FROM months m LEFT JOIN done d USING (case_id, item_code, month)
""")
_COUNTS = text(f"""
SELECT
  (SELECT count(*) FILTER (WHERE s.result = 'confirmed') FROM spot_checks s JOIN service_records r ON r.id = s.record_id
     JOIN cases c ON c.id = r.case_id
     WHERE {_SCOPE} AND s.provider_id = :provider AND r.started_at >= :start_at AND r.started_at < :end_at)
     AS checks_passed,
  (SELECT count(*) FROM spot_checks s JOIN service_records r ON r.id = s.record_id JOIN cases c ON c.id = r.case_id
     WHERE {_SCOPE} AND s.provider_id = :provider AND r.started_at >= :start_at AND r.started_at < :end_at)
     AS checks,
  (SELECT count(*) FILTER (WHERE v.result IN ('satisfied', 'basically_satisfied')) FROM satisfaction_visits v
     JOIN cases c ON c.id = v.case_id WHERE {_SCOPE} AND v.provider_id = :provider AND v.status = 'done'
     AND v.period BETWEEN :start_period AND :end_period) AS satisfied,
  (SELECT count(*) FROM satisfaction_visits v JOIN cases c ON c.id = v.case_id WHERE {_SCOPE}
     AND v.provider_id = :provider AND v.status = 'done' AND v.period BETWEEN :start_period AND :end_period)
     AS visited,
  (SELECT count(*) FROM complaints k WHERE k.county_code = :county AND starts_with(COALESCE(k.township_code,
     :purchaser), :purchaser) AND k.provider_id = :provider AND k.upheld
     AND (k.received_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN :start AND :end) AS upheld,
  (SELECT count(DISTINCT r.case_id) FROM service_records r JOIN cases c ON c.id = r.case_id
     WHERE {_SCOPE} AND r.provider_id = :provider AND r.confirmed_at IS NOT NULL
     AND r.started_at >= :start_at AND r.started_at < :end_at) AS recipients
""")
_RECTIFICATIONS = text("""
SELECT x.due_on, x.on_time, x.status FROM rectifications x
WHERE x.county_code = :county AND starts_with(COALESCE(x.township_code, :purchaser), :purchaser)
  AND x.provider_id = :provider AND (x.opened_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN :start AND :end
""")


def _count(pairs: list[bool | None]) -> tuple[int, int]:
    """(on time, measured): None is not measured (not yet due)."""
    measured = [p for p in pairs if p is not None]
    return sum(measured), len(measured)


def _within(cal: WorkCalendar, start: datetime | None, done: datetime | None, days: int, today: date) -> bool | None:
    if start is None:
        return None
    begun = china_day(start)
    if done is not None:
        return cal.between(begun, china_day(done)).days <= days
    return False if cal.add(begun, days).on < today else None


def _metric(numerator: int, denominator: int, rate: Decimal | None = None) -> dict[str, Any]:
    value = rate if rate is not None or denominator == 0 else policy.rate(numerator, denominator)
    return {"numerator": numerator, "denominator": denominator, "rate": None if value is None else str(value)}


async def evaluate(session: AsyncSession, agreement: Any, settings: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Metrics, weights and score of the agreement's provider over the agreement's period (to date)."""
    today = china_day(now)
    end = min(agreement.ends_on, today)
    cal, rules = await work_calendar(session), await county_rules(session, agreement.county_code)
    p: dict[str, Any] = {
        "county": agreement.county_code, "purchaser": agreement.purchaser_code, "provider": agreement.provider_id,
        "start": agreement.starts_on, "end": end, "last": end,
        "start_at": datetime.combine(agreement.starts_on, datetime.min.time(), tzinfo=CHINA),
        "end_at": datetime.combine(end, datetime.max.time(), tzinfo=CHINA),
        "start_period": f"{agreement.starts_on:%Y-%m}", "end_period": f"{end:%Y-%m}"}
    steps = (await session.execute(_STEPS, p)).all()
    answers = _count([_within(cal, s.referred_at, s.responded_at, rules[DeadlineRule.REFERRAL_RESPONSE], today)
                      for s in steps])
    plans = _count([_within(cal, s.responded_at, s.filed_at, rules[DeadlineRule.SERVICE_PLAN], today)
                    for s in steps if s.accepted])
    archives = _count([_within(cal, s.filed_at, s.archived_at, rules[DeadlineRule.ARCHIVING], today)
                       for s in steps if s.filed_at is not None])
    delivery = (await session.execute(_DELIVERY, p)).one()
    n = (await session.execute(_COUNTS, p)).one()
    rects = _count([r.on_time if r.on_time is not None else (False if r.due_on < today else None)
                    for r in (await session.execute(_RECTIFICATIONS, p)).all()])
    complaints = policy.complaints_metric(n.upheld, n.recipients, settings["complaints_per_100_zero"])
    metrics = {
        M.REFERRAL_ANSWERS.value: _metric(*answers), M.PLANS_ON_TIME.value: _metric(*plans),
        M.ARCHIVES_ON_TIME.value: _metric(*archives),
        M.DELIVERY.value: _metric(int(delivery.delivered), int(delivery.planned)),
        M.SPOT_CHECKS.value: _metric(n.checks_passed, n.checks), M.SATISFACTION.value: _metric(n.satisfied, n.visited),
        M.COMPLAINTS.value: _metric(n.upheld, n.recipients, complaints), M.RECTIFICATIONS.value: _metric(*rects),
    }
    weights = {k: int(v) for k, v in settings["weights"].items()}
    rates = {k: None if m["rate"] is None else Decimal(m["rate"]) for k, m in metrics.items()}
    return {"metrics": metrics, "weights": weights, "score": policy.evaluation_score(rates, weights),
            "period_start": agreement.starts_on, "period_end": end}


def report_rows(metrics: dict[str, Any], weights: dict[str, int]) -> list[tuple[Any, ...]]:
    """The report's lines in the metrics' own order (stored JSON keeps none)."""
    shown = [(k, metrics[k.value]) for k in M if k.value in metrics]
    return [(k.zh, m["numerator"], m["denominator"], m["rate"] if m["rate"] is not None else "无数据",
             weights.get(k.value, 0)) for k, m in shown]

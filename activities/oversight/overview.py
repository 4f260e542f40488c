"""A county's year in figures, for the pilot's year-end report (000 四(三): 试点总体情况、主要做法和成效): recipients
by category, services delivered and paid per funding source, spot-check coverage, satisfaction, complaints on
time, rectifications, notices and objections. Each figure is one aggregate over the county's rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from activities.oversight.notices import IN_SERVICE
from activities.oversight.sampling import sampled, year_bounds, year_total
from activities.urgent.overview import urgent_counts
from policy.oversight import coverage, rate
from vocabulary.china import china_day
from vocabulary.oversight import CheckResult, Satisfaction
from vocabulary.people import Category
from vocabulary.settlement import FundingSource

_RECIPIENTS = text("""
SELECT p.category, count(*) FILTER (WHERE c.status = 'open' AND c.step = ANY(:steps)) AS in_service,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM service_records r WHERE r.case_id = c.id
                                      AND r.started_at >= :start AND r.started_at < :end)) AS served
FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.county_code = :county GROUP BY p.category
""")
_SERVICES = text("""
SELECT count(*) AS records, COALESCE(sum(r.quantity), 0) AS quantity, count(r.confirmed_at) AS confirmed
FROM service_records r JOIN cases c ON c.id = r.case_id
WHERE c.county_code = :county AND r.started_at >= :start AND r.started_at < :end
""")
_PAID = text("""
SELECT t.funding_source, t.government_funded, sum(t.amount) AS amount
FROM statement_fund_totals t JOIN statements s ON s.id = t.statement_id
WHERE s.county_code = :county AND s.period LIKE :year_like AND s.status IN ('approved', 'paid')
GROUP BY t.funding_source, t.government_funded ORDER BY t.funding_source, t.government_funded
""")
_COUNTS = text("""
SELECT
  (SELECT jsonb_object_agg(result, n) FROM (SELECT result, count(*) n FROM spot_checks
     WHERE county_code = :county AND year = :year GROUP BY result) x) AS checks,
  (SELECT jsonb_object_agg(k, n) FROM (SELECT COALESCE(result, status) k, count(*) n FROM satisfaction_visits
     WHERE county_code = :county AND period LIKE :year_like GROUP BY 1) x) AS visits,
  (SELECT jsonb_build_object('total', count(*), 'closed', count(*) FILTER (WHERE status = 'closed'),
     'accepted', count(accepted_on_time), 'accepted_on_time', count(*) FILTER (WHERE accepted_on_time),
     'resolved', count(resolved_on_time), 'resolved_on_time', count(*) FILTER (WHERE resolved_on_time),
     'upheld', count(*) FILTER (WHERE upheld), 'redone', count(*) FILTER (WHERE redone),
     'caller_satisfied', count(*) FILTER (WHERE caller_satisfied))
   FROM complaints WHERE county_code = :county AND received_at >= :start AND received_at < :end) AS complaints,
  (SELECT jsonb_build_object('opened', count(*), 'verified', count(*) FILTER (WHERE status = 'verified'),
     'on_time', count(*) FILTER (WHERE on_time), 'reported', count(on_time))
   FROM rectifications WHERE county_code = :county AND opened_at >= :start AND opened_at < :end) AS rectifications,
  (SELECT jsonb_build_object('publications', count(*), 'villages', count(DISTINCT village_code))
   FROM notice_publications WHERE county_code = :county AND published_at >= :start AND published_at < :end)
   AS notices,
  (SELECT jsonb_build_object('total', count(*), 'upheld', count(*) FILTER (WHERE result = 'upheld'),
     'rejected', count(*) FILTER (WHERE result = 'rejected'), 'pending', count(*) FILTER (WHERE result IS NULL))
   FROM objections WHERE county_code = :county AND received_at >= :start AND received_at < :end) AS objections
""")


def _ratio(numerator: int, denominator: int) -> str | None:
    value = rate(numerator, denominator)
    return None if value is None else str(value)


async def overview(session: AsyncSession, county: str, year: int, settings: dict[str, Any],
                   now: datetime) -> dict[str, Any]:
    start, end = year_bounds(year)
    p = {"county": county, "year": year, "start": start, "end": end, "year_like": f"{year}-%",
         "steps": list(IN_SERVICE)}
    recipients = (await session.execute(_RECIPIENTS, p)).all()
    services = (await session.execute(_SERVICES, p)).one()
    paid = (await session.execute(_PAID, p)).all()
    n = (await session.execute(_COUNTS, p)).one()
    checks, visits = n.checks or {}, n.visits or {}
    cov = coverage(await year_total(session, county, year, now), await sampled(session, county, year),
                   sum(checks.values()), settings["spot_check_target_percent"])
    reached = sum(visits.get(s.value, 0) for s in Satisfaction)
    content = visits.get(Satisfaction.SATISFIED.value, 0) + visits.get(Satisfaction.BASICALLY.value, 0)
    k = n.complaints
    return {
        "county_code": county, "year": year,
        "recipients": [{"category": r.category, "category_zh": Category.label(r.category),
                        "in_service": r.in_service, "served_this_year": r.served} for r in recipients],
        "services": {"records": services.records, "quantity": int(services.quantity),
                     "confirmed": services.confirmed},
        "paid": [{"funding_source": r.funding_source, "funding_source_zh": FundingSource.label(r.funding_source),
                  "government_funded": r.government_funded, "amount": str(r.amount)} for r in paid],
        "spot_checks": {"total": cov.total, "sampled": cov.sampled, "checked": cov.checked, "target": cov.target,
                        "gap": cov.gap, "percent": str(cov.percent),
                        "results": {c.value: checks.get(c.value, 0) for c in CheckResult},
                        "pass_rate": _ratio(checks.get(CheckResult.CONFIRMED.value, 0), sum(checks.values()))},
        "satisfaction": {"results": visits, "reached": reached, "satisfaction_rate": _ratio(content, reached)},
        "complaints": k | {"accepted_on_time_rate": _ratio(k["accepted_on_time"], k["accepted"]),
                           "resolved_on_time_rate": _ratio(k["resolved_on_time"], k["resolved"])},
        "rectifications": n.rectifications | {"on_time_rate": _ratio(n.rectifications["on_time"],
                                                                     n.rectifications["reported"])},
        "notices": n.notices, "objections": n.objections,
        "urgent": await urgent_counts(session, county, start, end, china_day(now)),
    }

"""The SQL of one county x period's computation (see sql.py for the order it runs in): the staging tables, the
clawbacks and the totals. The rules below are applied by ledger.SETTLE, the one pass that classifies every
candidate record and writes the ledger, the lines and the exceptions from that classification.

- Candidates: confirmed records of the county's cases, started before the period's end, confirmed by the
  period's cutoff, on no statement yet. Earlier months among them are adjustments (补结).
- Terms are resolved once per (township, provider, item, service day), not per record: the most specific
  agreement in force (the township's before the county's; 实施 or 验收), the fee standard in force that day,
  and the agreed price capped at the standard. A few hundred keys instead of a join per record.
- Exceptions (left unsettled, considered again next run): not in the case's plan (item and provider), no
  agreement, no fee standard, or the period's statement for it is already approved.
- Duplicates: a record overlapping an earlier billable record of the same case and item, or a record already
  paid for the same case, item and service month. Plan quantities: per case x item x service month, counting
  what earlier statements paid for that month; what is beyond the plan is flagged and not paid (partly, when
  a record straddles the limit).
- The plan is the one in force on the record's day: the filed service plan, then each decision's change from
  its effective date (动态管理, plan_changes). A record of a day after a stop, or of an item a change removed, is
  flagged `not_allowed`; a record disallowed (activities/settlement/disallow.py) is flagged `disallowed`. Both
  are final and paid nothing.
- Clawbacks: a disallowed record already paid on an approved or paid statement is taken back on this period's
  statement of the same purchaser x provider (a negative `clawback` line), once per record (the clawbacks
  table is keyed by the record; a re-run rebuilds only its own draft's clawbacks).
"""

from __future__ import annotations

from sqlalchemy import text

# Each stage is a temporary table, analysed before the next: the planner then sees 800,000 candidates as
# 800,000 rows (a CTE is estimated at a handful, and nested loops follow). The candidates are stored in the
# order of ledger.SETTLE's windows (case, item, then start: the service month follows from the start), sorted
# here in parallel on narrow rows; the windows' sort then finds its input in order and only checks it.
CANDIDATES = text("""
CREATE TEMP TABLE cand ON COMMIT DROP AS
SELECT r.id, r.case_id, r.provider_id, r.item_code, r.started_at, r.recorded_at, r.quantity,
       r.started_at + make_interval(mins => r.minutes) AS ends_at,
       (r.started_at AT TIME ZONE 'Asia/Shanghai')::date AS served_on,
       date_trunc('month', r.started_at AT TIME ZONE 'Asia/Shanghai')::date AS service_month, c.township_code
FROM service_records r
JOIN cases c ON c.id = r.case_id
WHERE c.county_code = :county AND r.confirmed_at <= :cutoff AND r.started_at < :period_end
  AND NOT EXISTS (SELECT 1 FROM statement_records s WHERE s.record_id = r.id)
ORDER BY r.case_id, r.item_code, r.started_at, r.recorded_at, r.id
""")

TERMS = text("""
CREATE TEMP TABLE terms ON COMMIT DROP AS
SELECT DISTINCT ON (k.township_code, k.provider_id, k.item_code, k.served_on)
       k.township_code, k.provider_id, k.item_code, k.served_on, a.id AS agreement_id, a.purchaser_code,
       LEAST(COALESCE(a.agreed_price, f.price), f.price) AS unit_price, f.funding_source, i.government_funded
FROM (SELECT DISTINCT township_code, provider_id, item_code, served_on FROM cand) k
LEFT JOIN (SELECT a.id, a.provider_id, a.purchaser_code, a.agreement_no, a.starts_on, a.ends_on, ai.item_code,
                  ai.price AS agreed_price
           FROM purchase_agreements a JOIN agreement_items ai ON ai.agreement_id = a.id
           WHERE a.county_code = :county AND a.status IN ('implementing', 'accepted')) a
  ON a.provider_id = k.provider_id AND a.item_code = k.item_code
 AND k.served_on BETWEEN a.starts_on AND a.ends_on AND starts_with(k.township_code, a.purchaser_code)
LEFT JOIN fee_standards f
  ON f.county_code = :county AND f.item_code = k.item_code
 AND f.valid_from <= k.served_on AND (f.valid_to IS NULL OR k.served_on <= f.valid_to)
LEFT JOIN service_items i ON i.county_code = :county AND i.code = k.item_code
ORDER BY k.township_code, k.provider_id, k.item_code, k.served_on, length(a.purchaser_code) DESC NULLS LAST,
         a.agreement_no
""")

# What is already paid for the candidates' service months, read from the county's statements of those
# periods and later (a record is settled in its own month or after, never before): nothing to read on a
# month's first run, so the check costs nothing then.
PRIOR = text("""
CREATE TEMP TABLE prior ON COMMIT DROP AS
SELECT r.id, r.case_id, r.item_code, r.started_at, r.started_at + make_interval(mins => r.minutes) AS ends_at,
       sr.paid_quantity - COALESCE(cb.quantity, 0) AS paid_quantity,
       date_trunc('month', r.started_at AT TIME ZONE 'Asia/Shanghai')::date AS service_month
FROM statements st
JOIN statement_records sr ON sr.statement_id = st.id
JOIN service_records r ON r.id = sr.record_id
LEFT JOIN clawbacks cb ON cb.record_id = sr.record_id
WHERE st.county_code = :county AND st.period >= :first_period AND sr.paid_quantity - COALESCE(cb.quantity, 0) > 0
""")

# The plan quantities of the cases with candidates, per item and provider, each over the days it was in force:
# the filed service plan from the start, then each change from its effective date (the later of two changes
# on one day wins; a stop is a change with no items).
PLANS = text("""
CREATE TEMP TABLE plan ON COMMIT DROP AS
WITH versions AS (
    SELECT p.case_id, p.provider_id, DATE '-infinity' AS valid_from, 0 AS seq, p.items
    FROM service_plans p WHERE p.case_id IN (SELECT DISTINCT case_id FROM cand)
    UNION ALL
    SELECT c.case_id, c.provider_id, c.effective_on, c.seq, c.items
    FROM plan_changes c WHERE c.case_id IN (SELECT DISTINCT case_id FROM cand)
), ranged AS (
    SELECT v.*, lead(v.valid_from) OVER (PARTITION BY v.case_id ORDER BY v.valid_from, v.seq) AS valid_until
    FROM versions v
)
SELECT r.case_id, r.provider_id, i.item_code, i.quantity_per_month AS plan_quantity, r.valid_from,
       COALESCE(r.valid_until, DATE 'infinity') AS valid_until
FROM ranged r CROSS JOIN LATERAL jsonb_to_recordset(r.items) AS i(item_code text, quantity_per_month int)
WHERE r.valid_until IS NULL OR r.valid_until > r.valid_from
""")

# Paid records found disallowed since, not taken back yet, with the terms they were paid at (from their line).
CLAWS = text("""
CREATE TEMP TABLE claw ON COMMIT DROP AS
SELECT d.record_id, r.case_id, r.item_code, l.service_month, st.purchaser_code, st.provider_id, l.agreement_id,
       l.unit_price, l.funding_source, l.government_funded, sr.paid_quantity AS quantity, sr.amount, d.reason
FROM disallowed_records d
JOIN statement_records sr ON sr.record_id = d.record_id AND sr.paid_quantity > 0
JOIN statements st ON st.id = sr.statement_id AND st.status IN ('approved', 'paid') AND st.county_code = :county
JOIN service_records r ON r.id = d.record_id
JOIN LATERAL (
    SELECT l.service_month, l.agreement_id, l.unit_price, l.funding_source, l.government_funded
    FROM statement_lines l
    WHERE l.statement_id = st.id AND l.case_id = r.case_id AND l.item_code = r.item_code AND l.kind <> 'clawback'
      AND l.service_month = date_trunc('month', r.started_at AT TIME ZONE 'Asia/Shanghai')::date
      AND l.unit_price * sr.paid_quantity = sr.amount
    ORDER BY l.agreement_id LIMIT 1) l ON true
WHERE NOT EXISTS (SELECT 1 FROM clawbacks c WHERE c.record_id = d.record_id)
  AND NOT EXISTS (SELECT 1 FROM statements cur WHERE cur.period = :period AND cur.purchaser_code = st.purchaser_code
                  AND cur.provider_id = st.provider_id AND cur.status IN ('approved', 'paid'))
""")

CLAWBACKS = text("""
INSERT INTO clawbacks (record_id, statement_id, case_id, item_code, service_month, agreement_id, unit_price,
                       funding_source, government_funded, quantity, amount, reason)
SELECT c.record_id, st.id, c.case_id, c.item_code, c.service_month, c.agreement_id, c.unit_price, c.funding_source,
       c.government_funded, c.quantity, c.amount, c.reason
FROM claw c
JOIN statements st ON st.period = :period AND st.purchaser_code = c.purchaser_code AND st.provider_id = c.provider_id
""")

CLAWBACK_LINES = text("""
INSERT INTO statement_lines (statement_id, case_id, item_code, service_month, kind, agreement_id, unit_price,
                             funding_source, government_funded, quantity, flagged_quantity, record_count, amount)
SELECT statement_id, case_id, item_code, service_month, 'clawback', agreement_id, unit_price, funding_source,
       government_funded, -sum(quantity), 0, count(*), -sum(amount)
FROM clawbacks WHERE statement_id = ANY(:open)
GROUP BY statement_id, case_id, item_code, service_month, agreement_id, unit_price, funding_source, government_funded
""")

FUND_TOTALS = text("""
INSERT INTO statement_fund_totals (statement_id, funding_source, government_funded, amount)
SELECT statement_id, funding_source, government_funded, sum(amount)
FROM statement_lines WHERE statement_id = ANY(:open)
GROUP BY statement_id, funding_source, government_funded
""")

# Totals and the content hash; the version moves only when the content does.
TOTALS = text("""
UPDATE statements st SET
    status = 'draft', computed_at = :now,
    version = CASE WHEN st.version > 0 AND st.content_sha256 = t.sha THEN st.version ELSE st.version + 1 END,
    content_sha256 = t.sha, record_count = t.records, line_count = t.lines, paid_quantity = t.quantity,
    flagged_quantity = t.flagged, total_amount = t.total, government_amount = t.government,
    social_amount = t.social, adjustment_amount = t.adjustment, clawback_amount = t.clawback
FROM (
    SELECT s.id, COALESCE(l.records, 0) AS records, COALESCE(l.lines, 0) AS lines,
           COALESCE(l.quantity, 0) AS quantity, COALESCE(l.flagged, 0) AS flagged,
           COALESCE(l.total, 0) AS total, COALESCE(l.government, 0) AS government,
           COALESCE(l.social, 0) AS social, COALESCE(l.adjustment, 0) AS adjustment,
           COALESCE(l.clawback, 0) AS clawback,
           encode(sha256(convert_to(COALESCE(l.content, ''), 'UTF8')), 'hex') AS sha
    FROM unnest(CAST(:open AS uuid[])) AS s(id)
    LEFT JOIN (
        SELECT statement_id, sum(record_count) AS records, count(*) AS lines, sum(quantity) AS quantity,
               sum(flagged_quantity) AS flagged, sum(amount) AS total,
               sum(amount) FILTER (WHERE government_funded) AS government,
               sum(amount) FILTER (WHERE NOT government_funded) AS social,
               sum(amount) FILTER (WHERE kind = 'adjustment') AS adjustment,
               sum(amount) FILTER (WHERE kind = 'clawback') AS clawback,
               string_agg(concat_ws('|', case_id, item_code, service_month, kind, agreement_id, unit_price,
                                    funding_source, government_funded, quantity, flagged_quantity, record_count,
                                    amount),
                          E'\\n' ORDER BY case_id, item_code, service_month, agreement_id, unit_price,
                          funding_source, government_funded) AS content
        FROM statement_lines WHERE statement_id = ANY(:open) GROUP BY statement_id
    ) l ON l.statement_id = s.id
) t
WHERE st.id = t.id
""")

WORK_FUNDS_USED = text("""
SELECT COALESCE(sum(t.amount), 0)
FROM statement_fund_totals t JOIN statements st ON st.id = t.statement_id
WHERE st.county_code = :county AND st.period BETWEEN :year_start AND :period AND st.status <> 'returned'
  AND t.funding_source = :work_funds
""")

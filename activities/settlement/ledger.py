"""The one statement that classifies a county x period's candidates and writes what follows from them.

The rules are queries.py's (its docstring); this is where they run. One pass over the candidates (the temporary
tables of queries.py) classifies every record, and data-modifying CTEs write, from that one classified set held
in memory (work_mem, sql.py): the draft statements still missing, the ledger (one row per record: its one and
only settlement), the lines per case x item x service month x price, and the exceptions (the statement's own
row count). Everything runs with one snapshot in the caller's transaction, as before.

Why one statement: the classification used to be a temporary table that three more statements re-read, each
joining the statements and sorting all 800,000 rows again. Here the candidates come in the windows' order
(queries.CANDIDATES), are joined once, and each write reads the classified rows from memory.

Statement ids: a draft statement is needed for every purchaser x provider with billable records or clawbacks.
The id and number of every pair the terms or the clawbacks can produce (a few dozen) are derived in Python
(sql.statement_id) and passed in as arrays; the pair's existing statement is used when there is one, else the
derived one is created when the pair has something to bill. The statement is joined to the terms rows, so a
billable record always has one; were it missing, the ledger's NOT NULL would fail the run rather than drop the
record.
"""

from __future__ import annotations

from sqlalchemy import text

# Every pair a statement can be for: the terms' purchaser x provider and the clawbacks' (a few dozen rows).
PAIRS = text("""
SELECT DISTINCT s.purchaser_code, s.provider_id, p.code
FROM (SELECT purchaser_code, provider_id FROM terms WHERE purchaser_code IS NOT NULL
      UNION SELECT purchaser_code, provider_id FROM claw) s
JOIN providers p ON p.id = s.provider_id
""")

# Exceptions stay in the windows' partitions but count for nothing in them (no end time for the overlap test,
# no quantity for the plan): the duplicates and quantities of the billable records are those of a pass over the
# billable records alone, and the rows are sorted once for both windows and for all three writes.
SETTLE = text("""
WITH locked AS (
    SELECT purchaser_code, provider_id FROM statements
    WHERE period = :period AND county_code = :county AND status IN ('approved', 'paid')
),
pairs AS (
    SELECT p.purchaser_code, p.provider_id, p.statement_no, st.id IS NULL AS missing,
           COALESCE(st.id, p.id) AS statement_id
    FROM unnest(CAST(:ids AS uuid[]), CAST(:purchasers AS varchar[]), CAST(:providers AS uuid[]),
                CAST(:numbers AS varchar[])) AS p(id, purchaser_code, provider_id, statement_no)
    LEFT JOIN statements st
      ON st.period = :period AND st.purchaser_code = p.purchaser_code AND st.provider_id = p.provider_id
),
-- The statement and the lock of each terms row (a few dozen rows): joined to the terms before the candidates
-- meet them, so the candidates are joined once for all three.
priced AS (
    SELECT t.township_code, t.provider_id, t.item_code, t.served_on, t.agreement_id, t.purchaser_code, t.unit_price,
           t.funding_source, t.government_funded, p.statement_id, locked.provider_id IS NOT NULL AS locked
    FROM terms t
    LEFT JOIN pairs p ON p.purchaser_code = t.purchaser_code AND p.provider_id = t.provider_id
    LEFT JOIN locked ON locked.purchaser_code = t.purchaser_code AND locked.provider_id = t.provider_id
),
ever_planned AS (SELECT DISTINCT case_id, provider_id, item_code FROM plan),
classified AS (
    SELECT cand.id, cand.case_id, cand.provider_id, cand.item_code, cand.service_month, cand.started_at,
           cand.ends_at, cand.recorded_at, cand.quantity, plan.plan_quantity, t.agreement_id, t.purchaser_code,
           t.unit_price, t.funding_source, t.government_funded, t.statement_id,
           CASE WHEN ever.case_id IS NULL THEN 'not_in_plan'
                WHEN t.agreement_id IS NULL THEN 'no_agreement'
                WHEN t.unit_price IS NULL THEN 'no_fee_standard'
                WHEN t.locked THEN 'statement_locked' END AS exception,
           CASE WHEN d.record_id IS NOT NULL THEN 'disallowed'
                WHEN plan.plan_quantity IS NULL THEN 'not_allowed' END AS blocked
    FROM cand
    JOIN priced t ON t.township_code = cand.township_code AND t.provider_id = cand.provider_id
                AND t.item_code = cand.item_code AND t.served_on = cand.served_on
    LEFT JOIN plan ON plan.case_id = cand.case_id AND plan.provider_id = cand.provider_id
                  AND plan.item_code = cand.item_code
                  AND cand.served_on >= plan.valid_from AND cand.served_on < plan.valid_until
    LEFT JOIN ever_planned ever ON ever.case_id = cand.case_id AND ever.provider_id = cand.provider_id
                               AND ever.item_code = cand.item_code
    LEFT JOIN disallowed_records d ON d.record_id = cand.id
),
paid_overlap AS (
    SELECT DISTINCT c.id
    FROM cand c
    JOIN prior p ON p.case_id = c.case_id AND p.item_code = c.item_code AND p.service_month = c.service_month
                AND p.started_at < c.ends_at AND c.started_at < p.ends_at
),
prior_quantity AS (
    SELECT case_id, item_code, service_month, sum(paid_quantity) AS quantity
    FROM prior GROUP BY case_id, item_code, service_month
),
checked AS (
    SELECT b.*, b.exception IS NULL AND b.blocked IS NULL AND (po.id IS NOT NULL OR COALESCE(b.started_at < max(
               CASE WHEN b.exception IS NULL AND b.blocked IS NULL THEN b.ends_at END) OVER (
               PARTITION BY b.case_id, b.item_code ORDER BY b.service_month, b.started_at, b.recorded_at, b.id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)) AS duplicate
    FROM classified b
    LEFT JOIN paid_overlap po ON po.id = b.id
),
quota AS (
    SELECT c.*, COALESCE(pq.quantity, 0) + sum(CASE WHEN c.exception IS NOT NULL OR c.duplicate
                                                         OR c.blocked IS NOT NULL THEN 0 ELSE c.quantity END) OVER (
               PARTITION BY c.case_id, c.item_code, c.service_month ORDER BY c.started_at, c.recorded_at, c.id
               ROWS UNBOUNDED PRECEDING) AS used_through
    FROM checked c
    LEFT JOIN prior_quantity pq
      ON pq.case_id = c.case_id AND pq.item_code = c.item_code AND pq.service_month = c.service_month
),
paid AS (
    SELECT q.*, CASE WHEN q.exception IS NOT NULL OR q.duplicate OR q.blocked IS NOT NULL THEN 0
                     ELSE GREATEST(0, LEAST(q.quantity, q.plan_quantity - (q.used_through - q.quantity)))
                END AS paid_quantity
    FROM quota q
),
settled AS MATERIALIZED (
    SELECT s.id AS record_id, s.case_id, s.provider_id, s.item_code, s.service_month, s.exception,
           s.statement_id, s.agreement_id, s.unit_price, s.funding_source, s.government_funded,
           s.quantity, s.paid_quantity,
           CASE WHEN s.blocked IS NOT NULL THEN s.blocked WHEN s.duplicate THEN 'duplicate'
                WHEN s.paid_quantity = s.quantity THEN 'paid'
                WHEN s.paid_quantity = 0 THEN 'over_plan' ELSE 'partly_over_plan' END AS outcome
    FROM paid s
),
new_statements AS (
    INSERT INTO statements (id, statement_no, period, county_code, purchaser_code, provider_id, status, version,
                            record_count, line_count, paid_quantity, flagged_quantity, total_amount,
                            government_amount, social_amount, adjustment_amount, clawback_amount, computed_at)
    SELECT p.statement_id, p.statement_no, :period, :county, p.purchaser_code, p.provider_id, 'draft', 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0, :now
    FROM pairs p
    WHERE p.missing AND (
        p.statement_id IN (SELECT statement_id FROM settled WHERE exception IS NULL)
        OR (p.purchaser_code, p.provider_id) IN (SELECT purchaser_code, provider_id FROM claw))
),
-- Sorted by record id: the ledger's primary key is then filled in order, about twice as fast.
ledger AS (
    INSERT INTO statement_records (record_id, statement_id, outcome, paid_quantity, flagged_quantity, amount)
    SELECT record_id, statement_id, outcome, paid_quantity, quantity - paid_quantity, paid_quantity * unit_price
    FROM settled WHERE exception IS NULL
    ORDER BY record_id
),
-- Grouped from the rows in the windows' order (case, item, service month first): the sort below only checks it.
lines AS (
    INSERT INTO statement_lines (statement_id, case_id, item_code, service_month, kind, agreement_id, unit_price,
                                 funding_source, government_funded, quantity, flagged_quantity, record_count, amount)
    SELECT statement_id, case_id, item_code, service_month,
           CASE WHEN service_month = :month THEN 'regular' ELSE 'adjustment' END,
           agreement_id, unit_price, funding_source, government_funded,
           sum(paid_quantity), sum(quantity - paid_quantity), count(*), sum(paid_quantity * unit_price)
    FROM (SELECT case_id, item_code, service_month, statement_id, agreement_id, unit_price, funding_source,
                 government_funded, paid_quantity, quantity
          FROM settled WHERE exception IS NULL
          ORDER BY case_id, item_code, service_month, statement_id, agreement_id, unit_price, funding_source,
                   government_funded) s
    GROUP BY case_id, item_code, service_month, statement_id, agreement_id, unit_price, funding_source,
             government_funded
)
INSERT INTO settlement_exceptions (period, county_code, record_id, case_id, provider_id, item_code, service_month,
                                   reason)
SELECT CAST(:period AS varchar), CAST(:county AS varchar), record_id, case_id, provider_id, item_code,
       service_month, exception
FROM settled WHERE exception IS NOT NULL
""")

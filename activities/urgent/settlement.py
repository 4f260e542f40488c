"""The urgent care in the monthly settlement (activities/settlement/sql.py runs these right after the plan table is
built): its items are the plan of the days from its start to its end (policy/urgent.py care_end), so its records
are paid like any planned record — once, and never for a day after the end. A case that later gets its regular
service plan has that plan from the plan's start date on (not from the beginning of time), so no day is planned
twice."""

from __future__ import annotations

from sqlalchemy import text

REGULAR_PLAN_FROM_ITS_START = text("""
UPDATE plan SET valid_from = sp.starts_on
FROM service_plans sp, urgent_cares u
WHERE plan.case_id = sp.case_id AND u.case_id = sp.case_id AND u.started_on IS NOT NULL
  AND plan.valid_from = DATE '-infinity'
""")

URGENT_PLANS = text("""
INSERT INTO plan (case_id, provider_id, item_code, plan_quantity, valid_from, valid_until)
SELECT w.case_id, w.provider_id, i.item_code, i.quantity_per_month, w.started_on, w.last_paid + 1
FROM (SELECT u.case_id, u.provider_id, u.items, u.started_on,
             LEAST(u.last_day, COALESCE(u.ended_on, u.last_day),
                   COALESCE(sp.starts_on - 1, u.last_day)) AS last_paid
      FROM urgent_cares u LEFT JOIN service_plans sp ON sp.case_id = u.case_id
      WHERE u.started_on IS NOT NULL AND u.case_id IN (SELECT DISTINCT case_id FROM cand)) w
CROSS JOIN LATERAL jsonb_to_recordset(w.items) AS i(item_code text, quantity_per_month int)
WHERE w.last_paid >= w.started_on
""")

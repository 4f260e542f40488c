"""The set-based SQL of one chunk of a roster import (activities/dynamic/roster.py), over the temp table
`roster_in` the chunk's good rows were copied into. Every statement is idempotent: the same row again (in this
file, a retry, or another file) changes nothing."""

from __future__ import annotations

from sqlalchemy import text

ROSTER_IN = """
CREATE TEMP TABLE IF NOT EXISTS roster_in (
    row_no int, id_hash text, id_cipher bytea, name text, gender text, birth_date date, village_code text,
    category text, change text, effective_on date, event_key text
) ON COMMIT DELETE ROWS
"""
COLUMNS = ("row_no", "id_hash", "id_cipher", "name", "gender", "birth_date", "village_code", "category", "change",
           "effective_on", "event_key")

# Rows naming a registered ID number under another name are refused, not merged.
NAME_CLASH = text("""
DELETE FROM roster_in r USING persons p
WHERE p.id_hash = r.id_hash AND p.name <> r.name
RETURNING r.row_no
""")

# The people as they were before this chunk (the village a "changed" row moves them from) and their open case.
BEFORE = text("""
CREATE TEMP TABLE roster_before ON COMMIT DROP AS
SELECT r.row_no, p.id AS person_id, p.village_code AS old_village, c.id AS case_id
FROM roster_in r
JOIN persons p ON p.id_hash = r.id_hash
LEFT JOIN cases c ON c.person_id = p.id AND c.status = 'open'
""")

# New people are registered; known people take the roster's category (none once exited) and village.
PERSONS = text("""
INSERT INTO persons (id, id_hash, id_cipher, name, gender, birth_date, village_code, category, conditions,
                     created_at, updated_at)
SELECT DISTINCT ON (r.id_hash) gen_random_uuid(), r.id_hash, r.id_cipher, r.name, r.gender, r.birth_date,
       r.village_code, CASE WHEN r.change = 'exited' THEN 'none' ELSE r.category END, '[]'::jsonb, :now, :now
FROM roster_in r
ORDER BY r.id_hash, r.effective_on DESC, r.row_no DESC
ON CONFLICT (id_hash) DO UPDATE SET
    category = CASE WHEN EXCLUDED.category IS DISTINCT FROM persons.category
                    THEN EXCLUDED.category ELSE persons.category END,
    village_code = EXCLUDED.village_code, updated_at = EXCLUDED.updated_at
WHERE (persons.category, persons.village_code) IS DISTINCT FROM (EXCLUDED.category, EXCLUDED.village_code)
RETURNING (xmax = 0) AS inserted
""")

# Changed, exited and dead: status events (handed to the open case, if any, by the import's workflow).
EVENTS = text("""
INSERT INTO status_events (id, business_key, person_id, case_id, change, source, effective_on, evidence, category,
                           to_village, village_code, import_id, recorded_by, recorded_at)
SELECT gen_random_uuid(), r.event_key, p.id, b.case_id,
       CASE WHEN r.change = 'exited' THEN 'category_lost' WHEN r.change = 'death' THEN 'death'
            WHEN b.old_village IS DISTINCT FROM r.village_code THEN 'moved_within_county'
            ELSE 'category_changed' END,
       'roster', r.effective_on, '低收入人口动态监测信息平台' || :period || '名单第' || r.row_no || '行',
       r.category, CASE WHEN b.old_village IS DISTINCT FROM r.village_code AND r.change = 'changed'
                        THEN r.village_code END,
       COALESCE(b.old_village, r.village_code), :import_id, :actor, :now
FROM roster_in r
JOIN persons p ON p.id_hash = r.id_hash
LEFT JOIN roster_before b ON b.row_no = r.row_no
WHERE r.change <> 'new'
ON CONFLICT (business_key) DO NOTHING
""")

# New recipients without an open case: their village assistant's screening list (需求摸排), with a due date.
SCREENINGS = text("""
INSERT INTO screenings (id, person_id, village_code, listed_for, period, import_id, due_on, status, created_at)
SELECT gen_random_uuid(), p.id, r.village_code, r.effective_on, to_char(r.effective_on, 'YYYY-MM'), :import_id,
       :due_on, 'pending', :now
FROM roster_in r
JOIN persons p ON p.id_hash = r.id_hash
WHERE r.change = 'new'
  AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.status = 'open')
ON CONFLICT (person_id, listed_for) DO NOTHING
""")

PROGRESS = text("""
UPDATE roster_imports SET done_rows = :done, good_rows = good_rows + :good, bad_rows = bad_rows + :bad,
                          new_people = new_people + :new_people, events = events + :events,
                          screenings = screenings + :screenings
WHERE id = :id
""")

# The events of an import still to hand to open cases, a page at a time.
PENDING = text("""
SELECT id, case_id, change, effective_on, to_village FROM status_events
WHERE import_id = :import_id AND case_id IS NOT NULL AND case_seq IS NULL
  AND (CAST(:after AS uuid) IS NULL OR id > :after)
ORDER BY id LIMIT :limit
""")

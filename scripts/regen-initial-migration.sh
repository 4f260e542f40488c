#!/usr/bin/env bash
# Regenerates migrations/versions/0001 from the tables. Only while nothing is deployed; afterwards add
# revisions with `alembic revision --autogenerate`.
set -euo pipefail
cd "$(dirname "$0")/.."
db="assistflow_regen_$$"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $db"
trap 'psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db"' EXIT
rm -f migrations/versions/0001_initial_schema.py
.venv/bin/python - "$db" <<'PY'
import sys
from alembic import command
from alembic.config import Config
cfg = Config("alembic.ini")
cfg.set_main_option("sqlalchemy.url", f"postgresql+psycopg2://postgres@127.0.0.1:5432/{sys.argv[1]}")
command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
PY
.venv/bin/ruff format -q migrations/versions/0001_initial_schema.py

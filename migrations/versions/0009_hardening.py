"""hardening: idempotency keys, refresh and revoked tokens, login failures, the audit log's hash chain

Revision ID: 0009_hardening
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_hardening"
down_revision = "0004"
branch_labels = None
depends_on = None

# The hash of a row: its content and the previous row's hash. Written once here and used by the trigger and by
# the verification (infra/audit_chain.py reads it back through audit_row_hash), so the two cannot drift apart.
ROW_HASH_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_row_hash(prev text, r audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(concat_ws('|',
      coalesce(prev, ''), r.chain_seq::text, r.id::text, coalesce(r.case_id::text, ''), coalesce(r.seq::text, ''),
      r.action, r.actor_id::text, r.actor_role, coalesce(r.before::text, ''), coalesce(r.after::text, ''),
      to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8')), 'hex')
$$;
"""

# Every insert takes the chain's lock (held to commit), so rows join the chain in commit order, one at a time.
CHAIN_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('assistflow.audit_chain'));
  SELECT chain_seq, row_hash INTO last_seq, last_hash FROM audit_log
   WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
  NEW.chain_seq := coalesce(last_seq, 0) + 1;
  NEW.row_hash := audit_row_hash(last_hash, NEW);
  RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_chain();
"""

# Rows written before this revision join the chain in id order.
BACKFILL = """
DO $$
DECLARE
  r audit_log;
  n bigint := 0;
  h text := NULL;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    n := n + 1;
    r.chain_seq := n;
    h := audit_row_hash(h, r);
    UPDATE audit_log SET chain_seq = n, row_hash = h WHERE id = r.id;
  END LOOP;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("answer", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "key"),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index(op.f("ix_refresh_tokens_user_id"), "refresh_tokens", ["user_id"], unique=False)
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"], unique=False)
    op.create_table(
        "revoked_tokens",
        sa.Column("jti", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("jti"),
    )
    op.create_table(
        "login_failures",
        sa.Column("scope", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", "subject"),
    )
    op.create_index("ix_login_failures_locked", "login_failures", ["locked_until"], unique=False)
    op.add_column("audit_log", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit_log", sa.Column("row_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_unique_constraint("audit_log_chain_seq_key", "audit_log", ["chain_seq"])
    op.execute(ROW_HASH_FUNCTION)
    op.execute(BACKFILL)
    op.execute(CHAIN_TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_chain ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_chain()")
    op.execute("DROP FUNCTION IF EXISTS audit_row_hash(text, audit_log)")
    op.drop_constraint("audit_log_chain_seq_key", "audit_log", type_="unique")
    op.drop_column("audit_log", "row_hash")
    op.drop_column("audit_log", "chain_seq")
    op.drop_index("ix_login_failures_locked", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_table("revoked_tokens")
    op.drop_index(op.f("ix_refresh_tokens_family_id"), table_name="refresh_tokens")
    op.drop_index(op.f("ix_refresh_tokens_user_id"), table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    op.drop_table("idempotency_keys")

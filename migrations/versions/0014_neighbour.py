"""neighbour help: helpers, pairings, service records, the county's subsidy standard, yearly statements

Revision ID: 0014_neighbour
Revises: 0010_modes
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_neighbour"
down_revision = "0010_modes"
branch_labels = None
depends_on = ("0005_documents",)  # the payment files are documents (a branch of its own off 0004)

_LOCKED_CHILDREN = ("neighbour_statement_lines", "neighbour_statement_records")
_LOCK_FUNCTIONS = """
CREATE FUNCTION neighbour_refuse_locked_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT statement_id FROM changed_rows) c
               JOIN neighbour_statements s ON s.id = c.statement_id WHERE s.status IN ('approved', 'paid')) THEN
        RAISE EXCEPTION 'neighbour: yearly statement is approved or paid and locked (%)', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION neighbour_refuse_locked_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status IN ('approved', 'paid') THEN
        IF TG_OP = 'DELETE'
           OR NEW.status NOT IN ('approved', 'paid') OR (OLD.status = 'paid' AND NEW.status <> 'paid')
           OR (NEW.version, NEW.content_sha256, NEW.total_amount, NEW.adjustment_amount, NEW.record_count,
               NEW.helper_count, NEW.township_code, NEW.year)
              IS DISTINCT FROM
              (OLD.version, OLD.content_sha256, OLD.total_amount, OLD.adjustment_amount, OLD.record_count,
               OLD.helper_count, OLD.township_code, OLD.year) THEN
            RAISE EXCEPTION 'neighbour: yearly statement % is approved or paid and locked', OLD.statement_no
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
"""


def _money(name: str, precision: int = 14) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Numeric(precision, 2), nullable=False)


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "neighbour_helpers",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("trained_on", sa.Date(), nullable=False),
        sa.Column("certificate_no", sa.String(), nullable=False),
        sa.Column("account_name", sa.String(), nullable=False),
        sa.Column("account_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("account_tail", sa.String(4), nullable=False),
        sa.Column("bank_name", sa.String(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("township_code", "certificate_no", name="uq_neighbour_helper_certificate"),
    )
    op.create_table(
        "neighbour_pairings",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("helper_id", sa.Uuid(), sa.ForeignKey("neighbour_helpers.id"), nullable=False),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        _at("created_at"),
    )
    op.create_index("uq_neighbour_pairing_open", "neighbour_pairings", ["helper_id", "case_id"], unique=True,
                    postgresql_where=sa.text("ended_on IS NULL"))
    op.create_index("ix_neighbour_pairings_village", "neighbour_pairings", ["village_code"])
    op.create_table(
        "neighbour_records",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("pairing_id", sa.Uuid(), sa.ForeignKey("neighbour_pairings.id"), nullable=False),
        sa.Column("helper_id", sa.Uuid(), sa.ForeignKey("neighbour_helpers.id"), nullable=False),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reject_reason", sa.String(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        _at("recorded_at"),
        sa.Column("reviewed_by", sa.Uuid(), nullable=True),
        _at("reviewed_at", nullable=True),
        sa.CheckConstraint("count >= 1 AND (minutes IS NULL OR minutes > 0)", name="ck_neighbour_record_count"),
    )
    op.create_index("uq_neighbour_record", "neighbour_records", ["pairing_id", "served_on", "content"], unique=True,
                    postgresql_where=sa.text("status <> 'rejected'"))
    op.create_index("ix_neighbour_records_township", "neighbour_records", ["township_code", "status", "served_on"])
    op.create_table(
        "neighbour_rates",
        sa.Column("county_code", sa.String(6), primary_key=True),
        sa.Column("valid_from", sa.Date(), primary_key=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("basis", sa.String(), nullable=False),
        _money("amount", 12),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("amount >= 0 AND (valid_to IS NULL OR valid_to >= valid_from)",
                           name="ck_neighbour_rate_range"),
    )
    op.create_table(
        "neighbour_statements",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("statement_no", sa.String(48), nullable=False, unique=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_sha256", sa.String(), nullable=True),
        sa.Column("helper_count", sa.Integer(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        _money("total_amount"),
        _money("adjustment_amount"),
        _at("computed_at"),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("approved_by", sa.Uuid(), nullable=True),
        _at("approved_at", nullable=True),
        sa.Column("returned_by", sa.Uuid(), nullable=True),
        _at("returned_at", nullable=True),
        sa.Column("return_reason", sa.String(), nullable=True),
        sa.Column("paid_by", sa.Uuid(), nullable=True),
        _at("paid_at", nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("voucher_no", sa.String(), nullable=True),
        sa.UniqueConstraint("year", "township_code", name="uq_neighbour_statement"),
        sa.CheckConstraint("status IN ('draft', 'returned', 'approved', 'paid')", name="ck_neighbour_statement"),
    )
    op.create_index("ix_neighbour_statements_county_code", "neighbour_statements", ["county_code"])
    op.create_table(
        "neighbour_statement_lines",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.Uuid(), nullable=False),
        sa.Column("helper_id", sa.Uuid(), nullable=False),
        sa.Column("service_year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        _money("unit_amount", 12),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        _money("amount"),
    )
    op.create_index("ix_neighbour_statement_lines_statement_id", "neighbour_statement_lines", ["statement_id"])
    op.create_table(
        "neighbour_statement_records",
        sa.Column("record_id", sa.Uuid(), primary_key=True),
        sa.Column("statement_id", sa.Uuid(), nullable=False),
        sa.Column("helper_id", sa.Uuid(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        _money("amount", 12),
    )
    op.create_index("ix_neighbour_statement_records_statement_id", "neighbour_statement_records", ["statement_id"])
    op.create_table(
        "neighbour_statement_files",
        sa.Column("statement_id", sa.Uuid(), sa.ForeignKey("neighbour_statements.id"), primary_key=True),
        sa.Column("kind", sa.String(), primary_key=True),
        sa.Column("document_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=False, unique=True),
        _at("created_at"),
    )
    op.execute(_LOCK_FUNCTIONS)
    for table in _LOCKED_CHILDREN:
        for event, rows in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(f"""
                CREATE TRIGGER {table}_locked_{event.lower()} AFTER {event} ON {table}
                REFERENCING {rows} TABLE AS changed_rows
                FOR EACH STATEMENT EXECUTE FUNCTION neighbour_refuse_locked_rows()""")
    op.execute("""
        CREATE TRIGGER neighbour_statements_locked BEFORE UPDATE OR DELETE ON neighbour_statements
        FOR EACH ROW EXECUTE FUNCTION neighbour_refuse_locked_statement()""")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS neighbour_statements_locked ON neighbour_statements")
    for table in _LOCKED_CHILDREN:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_locked_{event} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS neighbour_refuse_locked_rows()")
    op.execute("DROP FUNCTION IF EXISTS neighbour_refuse_locked_statement()")
    for table in ("neighbour_statement_files", "neighbour_statement_records", "neighbour_statement_lines",
                  "neighbour_statements", "neighbour_rates", "neighbour_records", "neighbour_pairings",
                  "neighbour_helpers"):
        op.drop_table(table)

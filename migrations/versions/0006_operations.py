"""operations: token revocation, providers' credit codes, division sources, the unassigned-case index

Revision ID: 0006_operations
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_operations"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True))
    op.add_column("providers", sa.Column("credit_code", sa.String(length=18), nullable=True))
    op.create_unique_constraint(op.f("providers_credit_code_key"), "providers", ["credit_code"])
    # Rows already there came from the demo seed or a test; anything inserted without a source is an import.
    op.add_column("divisions", sa.Column("source", sa.String(length=8), nullable=False, server_default="import"))
    op.create_index("ix_cases_open_unassigned", "cases", ["county_code", "updated_at", "id"], unique=False,
                    postgresql_where=sa.text("status = 'open' AND assignee_id IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_cases_open_unassigned", table_name="cases",
                  postgresql_where=sa.text("status = 'open' AND assignee_id IS NULL"))
    op.drop_column("divisions", "source")
    op.drop_constraint(op.f("providers_credit_code_key"), "providers", type_="unique")
    op.drop_column("providers", "credit_code")
    op.drop_column("users", "tokens_valid_after")

"""urgent path (先行救助): urgent_cares, and the case projection's urgent mark

Revision ID: 0015_urgent
Revises: 0010_modes
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0015_urgent"
down_revision = "0010_modes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("urgent", sa.String(), nullable=True))
    op.create_index("ix_cases_open_urgent", "cases", ["county_code", "updated_at", "id"],
                    postgresql_where=sa.text("status = 'open' AND urgent IS NOT NULL"))
    op.create_table(
        "urgent_cares",
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("details", sa.String(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), sa.ForeignKey("providers.id"), nullable=False),
        sa.Column("items", JSONB(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.Uuid(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
    )
    op.create_index("ix_urgent_cares_county", "urgent_cares", ["county_code", "provider_id"])


def downgrade() -> None:
    op.drop_table("urgent_cares")
    op.drop_index("ix_cases_open_urgent", table_name="cases")
    op.drop_column("cases", "urgent")

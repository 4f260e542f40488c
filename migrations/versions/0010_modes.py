"""service modes: the list of modes serving a person, on their case

Revision ID: 0010_modes
Revises: 0009_hardening
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_modes"
down_revision = "0009_hardening"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_modes",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("person_id", sa.Uuid(), sa.ForeignKey("persons.id"), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("mode", sa.String(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("party_kind", sa.String(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("party_name", sa.String(), nullable=False),
        sa.Column("summary", sa.String(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("mode", "source_id", name="uq_case_modes_source"),
    )
    op.create_index("ix_case_modes_case", "case_modes", ["case_id"])
    op.create_index("ix_case_modes_county_mode", "case_modes", ["county_code", "mode"])


def downgrade() -> None:
    op.drop_table("case_modes")

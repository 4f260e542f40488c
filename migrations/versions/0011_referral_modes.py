"""referral modes: the mode of each approved item, batch referrals (mode 1), placements in institutions (mode 2)

Revision ID: 0011_referral_modes
Revises: 0010_modes
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_referral_modes"
down_revision = "0010_modes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Items approved before modes existed were all delivered by a provider under an agreement.
    op.add_column("approved_items", sa.Column("mode", sa.String(), nullable=False, server_default="purchase"))
    op.create_table(
        "referral_batches",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("provider_id", sa.Uuid(), sa.ForeignKey("providers.id"), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("request_key", sa.String(), nullable=True),
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("created_by", "request_key", name="uq_referral_batches_request"),
    )
    op.create_table(
        "referral_batch_cases",
        sa.Column("batch_id", sa.Uuid(), sa.ForeignKey("referral_batches.id"), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("referred", sa.Boolean(), nullable=True),
        sa.Column("referral_seq", sa.Integer(), nullable=True),
        sa.Column("refusal_code", sa.String(), nullable=True),
        sa.Column("refusal_message", sa.String(), nullable=True),
    )
    op.create_table(
        "placements",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("institution_name", sa.String(), nullable=False),
        sa.Column("institution_kind", sa.String(), nullable=False),
        sa.Column("unsuitable", sa.String(), nullable=True),
        sa.Column("consent_by", sa.String(), nullable=True),
        sa.Column("consented_on", sa.Date(), nullable=True),
        sa.Column("consent_document_id", sa.Uuid(), nullable=True),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("leave_reason", sa.String(), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_placements_case", "placements", ["case_id"])


def downgrade() -> None:
    op.drop_table("placements")
    op.drop_table("referral_batch_cases")
    op.drop_table("referral_batches")
    op.drop_column("approved_items", "mode")

"""service modes 3, 4, 5, 7: department linkage, party pairing, social-work team plans, charity referrals

Revision ID: 0013_linkage_modes
Revises: 0010_modes
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0013_linkage_modes"
down_revision = "0010_modes"
branch_labels = None
depends_on = None

_TZ = sa.DateTime(timezone=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _case() -> sa.Column:
    return sa.Column("case_id", sa.Uuid(), sa.ForeignKey("cases.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "linkage_units", _id(),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("services", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.UniqueConstraint("county_code", "name", name="uq_linkage_units_name"),
    )
    op.create_table(
        "department_referrals", _id(), _case(),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("linkage_units.id"), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("need", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("referred_by", sa.Uuid(), nullable=False),
        sa.Column("referred_at", _TZ, nullable=False),
        sa.Column("acknowledged_at", _TZ, nullable=True),
        sa.Column("acknowledgement", sa.String(), nullable=True),
        sa.Column("acted_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("reported_at", _TZ, nullable=True),
        sa.Column("reported_on_time", sa.Boolean(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
    )
    op.create_index("ix_department_referrals_county", "department_referrals", ["county_code", "status"])
    op.create_index("ix_department_referrals_case", "department_referrals", ["case_id"])

    op.create_table(
        "party_pairings", _id(), _case(),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("partner_kind", sa.String(), nullable=False),
        sa.Column("partner_name", sa.String(80), nullable=False),
        sa.Column("branch_name", sa.String(80), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
    )
    op.create_index("ix_party_pairings_case", "party_pairings", ["case_id"])
    op.create_index("ix_party_pairings_county", "party_pairings", ["county_code", "started_on"])
    op.create_index("uq_party_pairings_running", "party_pairings", ["case_id", "partner_name"], unique=True,
                    postgresql_where=sa.text("ended_on IS NULL"))
    op.create_table(
        "party_visits", _id(),
        sa.Column("pairing_id", sa.Uuid(), sa.ForeignKey("party_pairings.id"), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("help", sa.String(), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
    )
    op.create_index("ix_party_visits_pairing", "party_visits", ["pairing_id", "visited_on"])

    op.create_table(
        "team_plans", _id(), _case(),
        sa.Column("first_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("team_name", sa.String(80), nullable=False),
        sa.Column("members", JSONB(), nullable=False),
        sa.Column("assessment", sa.String(), nullable=False),
        sa.Column("plan", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.Column("superseded_at", _TZ, nullable=True),
    )
    op.create_index("uq_team_plans_current", "team_plans", ["case_id"], unique=True,
                    postgresql_where=sa.text("status = 'current'"))
    op.create_index("ix_team_plans_village", "team_plans", ["village_code"])
    op.create_table(
        "team_services", _id(), _case(),
        sa.Column("plan_id", sa.Uuid(), sa.ForeignKey("team_plans.id"), nullable=False),
        sa.Column("first_id", sa.Uuid(), nullable=False),
        sa.Column("village_code", sa.String(12), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("worker_role", sa.String(), nullable=False),
        sa.Column("worker_name", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("hours", sa.Numeric(5, 1), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
    )
    op.create_index("ix_team_services_plan", "team_services", ["plan_id"])
    op.create_index("ix_team_services_village", "team_services", ["village_code", "served_on"])

    op.create_table(
        "charity_organisations", _id(),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", _TZ, nullable=False),
        sa.UniqueConstraint("county_code", "name", name="uq_charity_organisations_name"),
    )
    op.create_table(
        "charity_referrals", _id(),
        sa.Column("county_code", sa.String(6), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), sa.ForeignKey("charity_organisations.id"), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("service_plan", sa.String(), nullable=True),
        sa.Column("summary", sa.String(), nullable=True),
        sa.Column("referred_by", sa.Uuid(), nullable=False),
        sa.Column("referred_at", _TZ, nullable=False),
        sa.Column("reported_at", _TZ, nullable=True),
        sa.Column("reported_by", sa.Uuid(), nullable=True),
    )
    op.create_index("ix_charity_referrals_county", "charity_referrals", ["county_code", "referred_at"])
    op.create_table(
        "charity_lines", _id(), _case(),
        sa.Column("referral_id", sa.Uuid(), sa.ForeignKey("charity_referrals.id"), nullable=False),
        sa.Column("township_code", sa.String(9), nullable=False),
        sa.UniqueConstraint("referral_id", "case_id", name="uq_charity_lines_case"),
    )
    op.create_index("ix_charity_lines_case", "charity_lines", ["case_id"])
    op.create_table(
        "charity_deliveries", _id(),
        sa.Column("referral_id", sa.Uuid(), sa.ForeignKey("charity_referrals.id"), nullable=False),
        sa.Column("line_id", sa.Uuid(), sa.ForeignKey("charity_lines.id"), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("content", sa.String(), nullable=False),
        sa.Column("goods_value", sa.Numeric(12, 2), nullable=True),
        sa.Column("volunteer_hours", sa.Numeric(6, 1), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", _TZ, nullable=False),
    )
    op.create_index("ix_charity_deliveries_referral", "charity_deliveries", ["referral_id"])


def downgrade() -> None:
    for table in ("charity_deliveries", "charity_lines", "charity_referrals", "charity_organisations",
                  "team_services", "team_plans", "party_visits", "party_pairings", "department_referrals",
                  "linkage_units"):
        op.drop_table(table)

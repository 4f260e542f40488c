"""oversight (监督管理): the public notice and objections, inspectors, spot-check draws and checks,
rectifications, complaints, satisfaction visits, provider evaluations, the county's oversight settings; and the
generic task projection (tasks) with its escalation notifications (notifications.task_id)

Revision ID: 0008_oversight
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_oversight"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_draws",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("population_digest", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("sampled", sa.Integer(), nullable=False),
        sa.Column("strata", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("drawn_by", sa.Uuid(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("county_code", "year", "seq", name="uq_check_draw_seq"),
    )
    op.create_table(
        "notice_publications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("village_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("entries", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("added", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("removed", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("content_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("documents", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("village_code", "seq", name="uq_notice_village_seq"),
    )
    op.create_index(
        op.f("ix_notice_publications_township_code"), "notice_publications", ["township_code"], unique=False
    )
    op.create_table(
        "oversight_settings",
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("county_code"),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
        sa.Column("holder_role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("scope_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("deadline_seq", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("workdays", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("armed", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_tasks_open_county_due",
        "tasks",
        ["county_code", "due_on", "id"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "ix_tasks_open_holder",
        "tasks",
        ["holder_role", "scope_code"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index(
        "ix_tasks_open_provider", "tasks", ["provider_id"], unique=False, postgresql_where=sa.text("status = 'open'")
    )
    op.create_index(
        "ix_tasks_open_township_due",
        "tasks",
        ["township_code", "due_on", "id"],
        unique=False,
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index("ix_tasks_subject", "tasks", ["subject_id"], unique=False)
    op.create_table(
        "visit_draws",
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seed", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("sampled", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.Uuid(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("county_code", "period"),
        sa.UniqueConstraint("id"),
    )
    op.create_table(
        "check_samples",
        sa.Column("draw_id", sa.Uuid(), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("record_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("inspectors", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["check_draws.id"],
        ),
        sa.PrimaryKeyConstraint("draw_id", "township_code", "provider_id"),
    )
    op.create_index("ix_check_samples_county_year", "check_samples", ["county_code", "year"], unique=False)
    op.create_table(
        "spot_checks",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("draw_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("inspector_id", sa.Uuid(), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("disallowed", sa.Boolean(), nullable=False),
        sa.Column("checked_by", sa.Uuid(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draw_id"],
            ["check_draws.id"],
        ),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_index("ix_spot_checks_county_year", "spot_checks", ["county_code", "year", "township_code"], unique=False)
    op.create_table(
        "complaints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("complaint_no", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("work_order_no", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("complainant_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("complainant_contact", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("handler", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("handler_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_on_time", sa.Boolean(), nullable=True),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("extension_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("reply", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("upheld", sa.Boolean(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_on_time", sa.Boolean(), nullable=True),
        sa.Column("redone", sa.Boolean(), nullable=False),
        sa.Column("redo_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("caller_satisfied", sa.Boolean(), nullable=True),
        sa.Column("visit_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("received_by", sa.Uuid(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("complaint_no"),
    )
    op.create_index("ix_complaints_county_status", "complaints", ["county_code", "status"], unique=False)
    op.create_index(op.f("ix_complaints_provider_id"), "complaints", ["provider_id"], unique=False)
    op.create_index(op.f("ix_complaints_township_code"), "complaints", ["township_code"], unique=False)
    op.create_index(
        "uq_complaint_work_order",
        "complaints",
        ["county_code", "work_order_no"],
        unique=True,
        postgresql_where=sa.text("work_order_no IS NOT NULL"),
    )
    op.create_table(
        "inspectors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_inspectors_county_code"), "inspectors", ["county_code"], unique=False)
    op.create_table(
        "objections",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("publication_id", sa.Uuid(), nullable=False),
        sa.Column("village_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("objector_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("objector_contact", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("received_by", sa.Uuid(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("result_reasons", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["notice_publications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_objections_publication_id"), "objections", ["publication_id"], unique=False)
    op.create_index(op.f("ix_objections_township_code"), "objections", ["township_code"], unique=False)
    op.create_table(
        "provider_evaluations",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("computed_by", sa.Uuid(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["purchase_agreements.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
        ),
        sa.PrimaryKeyConstraint("agreement_id"),
    )
    op.create_index(op.f("ix_provider_evaluations_provider_id"), "provider_evaluations", ["provider_id"], unique=False)
    op.create_table(
        "rectifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("requirement", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("report", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("verified_by", sa.Uuid(), nullable=True),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("opened_by", sa.Uuid(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_rectification_source"),
    )
    op.create_index(op.f("ix_rectifications_county_code"), "rectifications", ["county_code"], unique=False)
    op.create_index(op.f("ix_rectifications_provider_id"), "rectifications", ["provider_id"], unique=False)
    op.create_table(
        "satisfaction_visits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("draw_id", sa.Uuid(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=6), nullable=False),
        sa.Column("township_code", sqlmodel.sql.sqltypes.AutoString(length=9), nullable=False),
        sa.Column("village_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("comments", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("follow_up", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("follow_up_id", sa.Uuid(), nullable=True),
        sa.Column("visited_by", sa.Uuid(), nullable=True),
        sa.Column("visited_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "case_id", name="uq_visit_period_case"),
    )
    op.create_index(op.f("ix_satisfaction_visits_draw_id"), "satisfaction_visits", ["draw_id"], unique=False)
    op.create_index("ix_visits_county_period", "satisfaction_visits", ["county_code", "period"], unique=False)
    op.create_index("ix_visits_village_status", "satisfaction_visits", ["village_code", "status"], unique=False)
    op.add_column("notifications", sa.Column("task_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_notifications_task_id"), "notifications", ["task_id"], unique=False)
    op.create_unique_constraint("uq_notification_task_rung", "notifications", ["task_id", "deadline_seq", "rung"])


def downgrade() -> None:
    op.drop_constraint("uq_notification_task_rung", "notifications", type_="unique")
    op.drop_index(op.f("ix_notifications_task_id"), table_name="notifications")
    op.drop_column("notifications", "task_id")
    op.drop_index("ix_visits_village_status", table_name="satisfaction_visits")
    op.drop_index("ix_visits_county_period", table_name="satisfaction_visits")
    op.drop_index(op.f("ix_satisfaction_visits_draw_id"), table_name="satisfaction_visits")
    op.drop_table("satisfaction_visits")
    op.drop_index(op.f("ix_rectifications_provider_id"), table_name="rectifications")
    op.drop_index(op.f("ix_rectifications_county_code"), table_name="rectifications")
    op.drop_table("rectifications")
    op.drop_index(op.f("ix_provider_evaluations_provider_id"), table_name="provider_evaluations")
    op.drop_table("provider_evaluations")
    op.drop_index(op.f("ix_objections_township_code"), table_name="objections")
    op.drop_index(op.f("ix_objections_publication_id"), table_name="objections")
    op.drop_table("objections")
    op.drop_index(op.f("ix_inspectors_county_code"), table_name="inspectors")
    op.drop_table("inspectors")
    op.drop_index(
        "uq_complaint_work_order", table_name="complaints", postgresql_where=sa.text("work_order_no IS NOT NULL")
    )
    op.drop_index(op.f("ix_complaints_township_code"), table_name="complaints")
    op.drop_index(op.f("ix_complaints_provider_id"), table_name="complaints")
    op.drop_index("ix_complaints_county_status", table_name="complaints")
    op.drop_table("complaints")
    op.drop_index("ix_spot_checks_county_year", table_name="spot_checks")
    op.drop_table("spot_checks")
    op.drop_index("ix_check_samples_county_year", table_name="check_samples")
    op.drop_table("check_samples")
    op.drop_table("visit_draws")
    op.drop_index("ix_tasks_subject", table_name="tasks")
    op.drop_index("ix_tasks_open_township_due", table_name="tasks", postgresql_where=sa.text("status = 'open'"))
    op.drop_index("ix_tasks_open_provider", table_name="tasks", postgresql_where=sa.text("status = 'open'"))
    op.drop_index("ix_tasks_open_holder", table_name="tasks", postgresql_where=sa.text("status = 'open'"))
    op.drop_index("ix_tasks_open_county_due", table_name="tasks", postgresql_where=sa.text("status = 'open'"))
    op.drop_table("tasks")
    op.drop_table("oversight_settings")
    op.drop_index(op.f("ix_notice_publications_township_code"), table_name="notice_publications")
    op.drop_table("notice_publications")
    op.drop_table("check_draws")

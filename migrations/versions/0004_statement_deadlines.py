"""statement approval deadlines: notifications about a statement as well as a case

Revision ID: 0004
Revises: 0002, 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("notifications", "case_id", existing_type=sa.Uuid(), nullable=True)
    op.add_column("notifications", sa.Column("statement_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_notifications_statement_id"), "notifications", ["statement_id"], unique=False)
    op.create_unique_constraint("uq_notification_statement_rung", "notifications", ["statement_id", "rung"])


def downgrade() -> None:
    op.drop_constraint("uq_notification_statement_rung", "notifications", type_="unique")
    op.drop_index(op.f("ix_notifications_statement_id"), table_name="notifications")
    op.drop_column("notifications", "statement_id")
    op.execute("DELETE FROM notifications WHERE case_id IS NULL")
    op.alter_column("notifications", "case_id", existing_type=sa.Uuid(), nullable=False)

"""Alembic environment: the URL comes from the caller (infra.migrate) or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

# Each import registers its tables on SQLModel.metadata.
import models.case_tables
import models.deadline_tables
import models.documents.tables
import models.dynamic.tables
import models.modes.neighbour
import models.modes.tables
import models.oversight.complaint_tables
import models.oversight.tables
import models.security_tables
import models.settlement.tables
import models.tables
import models.tasks.tables
import models.urgent.tables  # noqa: F401
from infra.db import sync_url
from models.settings import get_settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or sync_url(get_settings().database_url)
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Create the database if needed and bring it to the newest migration (used by the dev stack and tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from infra.db import sync_url
from models.settings import PROJECT_ROOT


def ensure_database(url: str) -> None:
    target = make_url(sync_url(url))
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": target.database}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def upgrade(url: str) -> None:
    ensure_database(url)
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    # "heads": independent features may each branch their own revision off the same parent.
    command.upgrade(cfg, "heads")

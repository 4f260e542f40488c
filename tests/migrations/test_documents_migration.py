"""Migration 0005 moves the bytes out of the rows: archive uploads and payment files kept in PostgreSQL by 0004
become encrypted objects in the store with the same ids and hashes, and a downgrade puts them back."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import Engine, make_url

from activities.documents.store import DocumentStore
from infra.db import sync_url
from infra.migrate import ensure_database
from models.settings import PROJECT_ROOT

_FILLER = {"uuid": "gen_random_uuid()", "integer": "0", "bigint": "0", "boolean": "false", "numeric": "0",
           "date": "current_date", "timestamp with time zone": "now()", "jsonb": "'[]'::jsonb", "bytea": "'\\x00'",
           "character varying": "'x'", "text": "'x'"}


def insert(conn: Connection, table: str, **given: Any) -> None:
    """A row with the given values and a plain value for every other NOT NULL column without a default."""
    needed = conn.execute(text(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = :t "
        "AND is_nullable = 'NO' AND column_default IS NULL"), {"t": table}).all()
    fill = {c: _FILLER[t] for c, t in needed if c not in given}
    columns = [*given, *fill]
    values = [f":{c}" for c in given] + list(fill.values())
    conn.execute(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)})"), given)


@pytest.fixture
def database(database_url: str) -> Iterator[tuple[Config, Engine]]:
    url = make_url(sync_url(database_url)).set(database=f"assistflow_mig_{uuid.uuid4().hex[:8]}")
    rendered = url.render_as_string(hide_password=False)
    ensure_database(rendered)
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    engine = create_engine(url)
    yield cfg, engine
    engine.dispose()
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


async def test_rows_bytes_move_to_the_store_and_back(database: tuple[Config, Engine], documents: DocumentStore) -> None:
    cfg, engine = database
    command.upgrade(cfg, "0004")
    scan, xlsx = b"%PDF-1.4 a scan kept in a row", b"PK\x03\x04 a payment file kept in a row"
    file_id, statement_id, case_id, person_id, provider_id = (uuid.uuid4() for _ in range(5))
    with engine.begin() as conn:
        insert(conn, "providers", id=provider_id, code="MIG1", county_code="341702")
        insert(conn, "persons", id=person_id, id_hash=uuid.uuid4().hex)
        insert(conn, "cases", id=case_id, person_id=person_id, village_code="341702001001", provider_id=provider_id)
        insert(conn, "archive_files", id=file_id, case_id=case_id, kind="id_card", filename="身份证.pdf",
               content_type="application/pdf", size=len(scan), sha256=hashlib.sha256(scan).hexdigest(), content=scan)
        insert(conn, "archive_documents", case_id=case_id, kind="id_card", file_id=file_id)
        insert(conn, "statements", id=statement_id, statement_no="JS-MIG-1", purchaser_code="341702001",
               provider_id=provider_id, status="approved", version=2)
        insert(conn, "statement_files", statement_id=statement_id, kind="xlsx", filename="JS-MIG-1-v2.xlsx",
               content_type="application/xlsx", size=len(xlsx), sha256=hashlib.sha256(xlsx).hexdigest(),
               content=xlsx)

    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        moved = conn.execute(text("SELECT * FROM documents WHERE id = :i"), {"i": file_id}).one()
        paid = conn.execute(text("SELECT d.* FROM statement_files f JOIN documents d ON d.id = f.document_id "
                                 "WHERE f.statement_id = :s"), {"s": statement_id}).one()
        entry = conn.execute(text("SELECT file_id FROM archive_documents WHERE case_id = :c"), {"c": case_id}).scalar()
    assert (moved.category, moved.kind, moved.version, moved.division_code, entry) == (
        "archive", "id_card", 1, "341702001001", file_id)
    assert (paid.kind, paid.business_key, paid.division_code) == (
        "payment_xlsx", f"statement:{statement_id}:xlsx:v2", "341702001")
    for row, content in ((moved, scan), (paid, xlsx)):
        blob = await documents.objects.get(row.object_key)
        assert content not in blob and row.sha256 == hashlib.sha256(content).hexdigest()
        assert documents.keyring.open(row.object_key, blob, row.key_id, row.wrapped_key) == content

    command.downgrade(cfg, "0004")
    with engine.connect() as conn:
        back = conn.execute(text("SELECT content FROM archive_files WHERE id = :i"), {"i": file_id}).scalar()
        paid_back = conn.execute(text("SELECT content FROM statement_files WHERE statement_id = :s"),
                                 {"s": statement_id}).scalar()
    assert (bytes(back), bytes(paid_back)) == (scan, xlsx)

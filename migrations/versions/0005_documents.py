"""documents: contents in an encrypted object store; archive uploads and payment files move there

Revision ID: 0005_documents
Revises: 0004

Existing bytes move out of the rows: every `archive_files` row becomes a `documents` row with the same id (so
`archive_documents.file_id` keeps pointing at it) and every `statement_files` row gets a `documents` row; each
content is encrypted and written to the store the settings name (DOCUMENT_STORE, DATA_DIR or S3_*), keyed by
the document id. If the migration fails after writing objects, its transaction rolls back and the objects stay
unreferenced (`python -m activities.documents.verify --unreferenced` lists them); running it again overwrites
the same keys.
"""

import asyncio
import hashlib
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_documents"
down_revision = "0004"
branch_labels = None
depends_on = None


def _tables() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("object_key", sa.String(length=200), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("business_key", sa.String(length=200), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("business_key"),
        sa.UniqueConstraint("object_key"),
        sa.UniqueConstraint("case_id", "category", "kind", "version", name="uq_document_version"),
    )
    op.create_index("ix_documents_case_kind", "documents", ["case_id", "category", "kind"])
    op.create_index(op.f("ix_documents_division_code"), "documents", ["division_code"])
    op.create_table(
        "document_pending",
        sa.Column("object_key", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("object_key"),
    )
    op.create_index("ix_document_pending_started_at", "document_pending", ["started_at"])
    op.create_table(
        "document_accesses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_document_accesses_document_id"), "document_accesses", ["document_id"])
    op.create_index("ix_document_accesses_division_at", "document_accesses", ["division_code", "at"])
    op.create_index("ix_document_accesses_case_at", "document_accesses", ["case_id", "at"])
    op.create_index("ix_document_accesses_user_at", "document_accesses", ["user_id", "at"])


def _in_thread(coro: Any) -> Any:
    # Alembic may run inside a caller's event loop: the store's coroutines get a loop of their own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class _Writer:
    """Encrypts and writes contents to the configured store (read from the environment, as the app does)."""

    def __init__(self) -> None:
        from infra.envelope import Keyring
        from infra.storage import store_from_settings
        from models.settings import Settings

        settings = Settings()
        self.keyring, self.store = Keyring.from_settings(settings), store_from_settings(settings)
        self.prepared = False

    def put(self, document_id: uuid.UUID, content: bytes) -> dict[str, Any]:
        key = f"documents/{document_id.hex[:2]}/{document_id}"  # activities.documents.store.object_key_for
        sealed = self.keyring.seal(key, content)
        if not self.prepared:
            _in_thread(self.store.prepare())
            self.prepared = True
        _in_thread(self.store.put(key, sealed.blob))
        return {"object_key": key, "key_id": sealed.key_id, "wrapped_key": sealed.wrapped_key,
                "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}

    def get(self, row: Any) -> bytes:
        blob = _in_thread(self.store.get(row.object_key))
        content: bytes = self.keyring.open(row.object_key, blob, row.key_id, row.wrapped_key)
        return content


_INSERT = sa.text("""
    INSERT INTO documents (id, case_id, division_code, category, kind, version, filename, content_type, size,
                           sha256, object_key, key_id, wrapped_key, business_key, uploaded_by, uploaded_at)
    VALUES (:id, :case_id, :division_code, :category, :kind, :version, :filename, :content_type, :size, :sha256,
            :object_key, :key_id, :wrapped_key, :business_key, :uploaded_by, :uploaded_at)
""")


def _move_archive_files(conn: Any, writer: _Writer | None) -> None:
    rows = conn.execute(sa.text("""
        SELECT f.*, c.village_code,
               row_number() OVER (PARTITION BY f.case_id, f.kind ORDER BY f.uploaded_at, f.id) AS version
        FROM archive_files f JOIN cases c ON c.id = f.case_id
    """)).all()
    for r in rows:
        assert writer is not None
        conn.execute(_INSERT, {
            "id": r.id, "case_id": r.case_id, "division_code": r.village_code, "category": "archive",
            "kind": r.kind, "version": r.version, "filename": r.filename[:200], "content_type": r.content_type,
            "business_key": None, "uploaded_by": r.uploaded_by, "uploaded_at": r.uploaded_at,
            **writer.put(r.id, bytes(r.content)),
        })


def _move_statement_files(conn: Any, writer: _Writer | None) -> None:
    rows = conn.execute(sa.text("""
        SELECT f.*, s.purchaser_code, s.version AS statement_version
        FROM statement_files f JOIN statements s ON s.id = f.statement_id
    """)).all()
    for r in rows:
        assert writer is not None
        document_id = uuid.uuid4()
        conn.execute(_INSERT, {
            "id": document_id, "case_id": None, "division_code": r.purchaser_code, "category": "generated",
            "kind": f"payment_{r.kind}", "version": 1, "filename": r.filename[:200],
            "content_type": r.content_type, "uploaded_by": None, "uploaded_at": r.created_at,
            "business_key": f"statement:{r.statement_id}:{r.kind}:v{r.statement_version}",
            **writer.put(document_id, bytes(r.content)),
        })
        conn.execute(sa.text("UPDATE statement_files SET document_id = :d WHERE statement_id = :s AND kind = :k"),
                     {"d": document_id, "s": r.statement_id, "k": r.kind})


def upgrade() -> None:
    _tables()
    conn = op.get_bind()
    has_rows = conn.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM archive_files) OR EXISTS (SELECT 1 FROM statement_files)")).scalar()
    writer = _Writer() if has_rows else None  # an empty database needs no store (and no keys) to migrate
    _move_archive_files(conn, writer)
    op.drop_constraint("archive_documents_file_id_fkey", "archive_documents", type_="foreignkey")
    op.create_foreign_key("archive_documents_file_id_fkey", "archive_documents", "documents", ["file_id"], ["id"])
    op.drop_index(op.f("ix_archive_files_case_id"), table_name="archive_files")
    op.drop_table("archive_files")

    op.add_column("statement_files", sa.Column("document_id", sa.Uuid(), nullable=True))
    _move_statement_files(conn, writer)
    op.alter_column("statement_files", "document_id", nullable=False)
    op.create_unique_constraint("statement_files_document_id_key", "statement_files", ["document_id"])
    op.create_foreign_key("statement_files_document_id_fkey", "statement_files", "documents",
                          ["document_id"], ["id"])
    for column in ("filename", "content_type", "size", "sha256", "content"):
        op.drop_column("statement_files", column)


def downgrade() -> None:
    """Contents go back into the rows; survey attachments and generated documents other than payment files
    have no place there and are dropped with the tables (their objects stay in the store)."""
    conn = op.get_bind()
    has_rows = conn.execute(sa.text("SELECT EXISTS (SELECT 1 FROM documents)")).scalar()
    writer = _Writer() if has_rows else None
    for column in ("filename", "content_type", "sha256"):
        op.add_column("statement_files", sa.Column(column, sa.String(), nullable=True))
    op.add_column("statement_files", sa.Column("size", sa.Integer(), nullable=True))
    op.add_column("statement_files", sa.Column("content", sa.LargeBinary(), nullable=True))
    for r in conn.execute(sa.text("SELECT f.statement_id, f.kind AS file_kind, d.* FROM statement_files f "
                                  "JOIN documents d ON d.id = f.document_id")).all():
        assert writer is not None
        conn.execute(sa.text("UPDATE statement_files SET filename = :f, content_type = :t, size = :n, sha256 = :h, "
                             "content = :c WHERE statement_id = :s AND kind = :k"),
                     {"f": r.filename, "t": r.content_type, "n": r.size, "h": r.sha256, "c": writer.get(r),
                      "s": r.statement_id, "k": r.file_kind})
    for column in ("filename", "content_type", "size", "sha256", "content"):
        op.alter_column("statement_files", column, nullable=False)
    op.drop_constraint("statement_files_document_id_fkey", "statement_files", type_="foreignkey")
    op.drop_column("statement_files", "document_id")

    op.create_table(
        "archive_files",
        sa.Column("id", sa.Uuid(), nullable=False), sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False), sa.Column("filename", sa.String(), nullable=False),
        sa.Column("content_type", sa.String(), nullable=False), sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False), sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]), sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_archive_files_case_id"), "archive_files", ["case_id"], unique=False)
    for r in conn.execute(sa.text("SELECT * FROM documents WHERE category = 'archive'")).all():
        assert writer is not None
        conn.execute(sa.text("INSERT INTO archive_files VALUES (:id, :case_id, :kind, :filename, :content_type, "
                             ":size, :sha256, :content, :uploaded_by, :uploaded_at)"),
                     {**r._asdict(), "content": writer.get(r)})
    op.drop_constraint("archive_documents_file_id_fkey", "archive_documents", type_="foreignkey")
    op.create_foreign_key("archive_documents_file_id_fkey", "archive_documents", "archive_files", ["file_id"], ["id"])
    op.drop_table("document_accesses")
    op.drop_table("document_pending")
    op.drop_table("documents")

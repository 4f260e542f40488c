"""Tables of the one-person file's documents. Contents are never here: a row names its object in the store
(`infra.storage`), the data key that opens it (wrapped by a key-encryption key, `infra.envelope`), and the
SHA-256 of the plaintext the verify command checks.

- `documents`: every stored document: uploads of the archive checklist and of the home survey, and what the
  system generates (letters, notices, payment files). Rows are never deleted or changed except for re-wrapping
  their data key; a replacement is a new row with the next version.
- `document_pending`: objects written to the store whose row is not committed yet. An upload registers its
  object key here (committed) before writing the object, and deletes it in the transaction that inserts the
  document row. A key still here after the grace period belongs to an upload that died: the sweeper deletes
  the object and the key. So the store never keeps an object that neither a row nor a pending key names.
- `document_accesses`: who viewed, downloaded or printed which document, when (PIPL Art. 28: certificates
  of illness and disability are sensitive personal information). Readable by the auditor.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.tables import table_of, tz_column


class Document(SQLModel, table=True):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("case_id", "category", "kind", "version", name="uq_document_version"),
        Index("ix_documents_case_kind", "case_id", "category", "kind"),
    )
    id: UUID = Field(default_factory=uuid4, primary_key=True)
    case_id: UUID | None = Field(default=None, foreign_key="cases.id")
    # The jurisdiction the document belongs to: the case's village, or the township/county of a case-less one.
    division_code: str = Field(max_length=12, index=True)
    category: str  # vocabulary.documents.DocumentCategory
    kind: str
    version: int = 1
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    object_key: str = Field(unique=True, max_length=200)
    key_id: str = Field(max_length=32)
    wrapped_key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # Generated documents are idempotent on this key (e.g. "statement:<id>:xlsx:v2").
    business_key: str | None = Field(default=None, unique=True, max_length=200)
    uploaded_by: UUID | None = None
    uploaded_at: datetime = tz_column()


class DocumentPending(SQLModel, table=True):
    __tablename__ = "document_pending"
    __table_args__ = (Index("ix_document_pending_started_at", "started_at"),)
    object_key: str = Field(primary_key=True, max_length=200)
    started_at: datetime = tz_column()


class DocumentAccess(SQLModel, table=True):
    __tablename__ = "document_accesses"
    __table_args__ = (
        Index("ix_document_accesses_division_at", "division_code", "at"),
        Index("ix_document_accesses_case_at", "case_id", "at"),
        Index("ix_document_accesses_user_at", "user_id", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    document_id: UUID = Field(foreign_key="documents.id", index=True)
    case_id: UUID | None = None
    division_code: str = Field(max_length=12)
    user_id: UUID
    role: str
    action: str  # vocabulary.documents.AccessAction
    at: datetime = tz_column()


DOCUMENTS = table_of(Document)
DOCUMENT_PENDING = table_of(DocumentPending)
DOCUMENT_ACCESSES = table_of(DocumentAccess)

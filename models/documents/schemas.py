"""API schemas of the documents: what a list, an upload, a replacement and the access record look like."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import model_validator

from models.payloads.base import Text
from models.schemas import Out, Schema


class DocumentOut(Out):
    id: UUID
    case_id: UUID | None
    category: str  # archive / survey / generated
    category_zh: str
    kind: str
    kind_zh: str
    version: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: UUID | None
    uploader_name: str | None
    uploaded_at: datetime
    # Archive documents: whether this version is the one the file's checklist names now.
    current: bool | None = None


class ArchiveEntryIn(Schema):
    """A checklist entry after the archive is built: a newly uploaded version, or missing with a reason."""

    file_id: UUID | None = None
    missing_reason: Text | None = None

    @model_validator(mode="after")
    def _file_or_reason(self) -> Self:
        if (self.file_id is None) == (self.missing_reason is None):
            raise ValueError("请二选一：上传的文件(file_id)或缺失原因(missing_reason)")
        return self


class AccessOut(Out):
    id: int
    at: datetime
    action: str
    action_zh: str
    document_id: UUID
    category: str
    kind: str
    kind_zh: str
    filename: str
    version: int
    case_id: UUID | None
    service_no: str | None
    user_id: UUID
    user_name: str | None
    role: str


class AccessPage(Out):
    items: list[AccessOut]
    total: int
    limit: int
    offset: int

"""Tabular exports a case worker opens in Excel: XLSX, and CSV in UTF-8 with a BOM so Excel reads the
Chinese correctly."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What an export route declares in the OpenAPI document (with `response_class=Response`): a file, not JSON.
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "导出文件", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}},
                                             "text/csv": {"schema": {"type": "string"}}}},
}
_BINARY = {"schema": {"type": "string", "format": "binary"}}
PDF_OR_XLSX_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "PDF 或 XLSX 文件", "content": {"application/pdf": _BINARY, XLSX: _BINARY}},
}
PDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "PDF 文件", "content": {"application/pdf": _BINARY}},
}
DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "材料文件", "content": {t: _BINARY for t in ("application/pdf", "image/jpeg", "image/png")}},
}


def _cell(value: Any) -> Any:
    return "" if value is None else value


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(10, len(header) * 2 + 4)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(content: bytes, filename: str, media_type: str) -> Response:
    # RFC 5987: the Chinese file name for browsers that read it, an ASCII one for the rest.
    disposition = f"attachment; filename=\"export.{filename.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})

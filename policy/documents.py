"""Rules for the one-person file's documents, without I/O: which file types each kind of document accepts,
how large it may be, and the Chinese reason a case worker reads when an upload is refused.

The file type is decided from the bytes by the caller (`activities.documents.sanitize`) and handed in here;
the client's Content-Type and file name are never trusted. A PNG sent as `application/pdf` is accepted and
kept **as a PNG** (its type and download name follow the bytes) when the kind accepts PNG images; a file
whose bytes are a program (a renamed `.exe`, an ELF binary, a script) is refused whatever it is called.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from vocabulary.case import DocumentKind
from vocabulary.documents import DocumentCategory, FileType, GeneratedKind, SurveyAttachmentKind
from vocabulary.labels import Labelled

MB = 1024 * 1024
ANY_TYPE = frozenset(FileType)
IMAGES = frozenset({FileType.JPEG, FileType.PNG})
# A phone photo is ~12-50 megapixels; beyond this an image is a decompression bomb, not a photo of a paper.
MAX_PIXELS = 60_000_000
# Above this a PDF is not one person's certificate; it also bounds the work of the bundle.
MAX_PDF_PAGES = 200
# System-generated documents (payment files of a large township, a county's notice) may be larger.
GENERATED_MAX_BYTES = 50 * MB

@dataclass(frozen=True)
class UploadRule:
    label: str
    types: frozenset[FileType]
    max_bytes: int


_FORMS = (DocumentKind.NEEDS_FORM, DocumentKind.SERVICE_RECORD_FORM)
# Copies of certificates are one or two pages; the forms may be multi-page scans.
ARCHIVE_RULES: dict[DocumentKind, UploadRule] = {
    kind: UploadRule(kind.zh, ANY_TYPE, (20 if kind in _FORMS else 10) * MB) for kind in DocumentKind
}
SURVEY_RULES: dict[SurveyAttachmentKind, UploadRule] = {
    SurveyAttachmentKind.PHOTO: UploadRule(SurveyAttachmentKind.PHOTO.zh, IMAGES, 15 * MB),
    SurveyAttachmentKind.SIGNED_FORM: UploadRule(SurveyAttachmentKind.SIGNED_FORM.zh, ANY_TYPE, 20 * MB),
}
LARGEST_UPLOAD = max(r.max_bytes for r in (*ARCHIVE_RULES.values(), *SURVEY_RULES.values()))


class Refusal(Exception):
    """An upload refused, with the machine code and the message the uploader reads."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


def kind_label(category: DocumentCategory, kind: str) -> str:
    vocabulary: type[Labelled] = {
        DocumentCategory.ARCHIVE: DocumentKind, DocumentCategory.SURVEY: SurveyAttachmentKind,
        DocumentCategory.GENERATED: GeneratedKind}[category]
    return vocabulary.label(kind)


def too_large(rule: UploadRule) -> Refusal:
    return Refusal("bad_file_size", f"{rule.label}不能超过 {rule.max_bytes // MB} MB，请压缩图片或分页扫描后上传")


def check_size(rule: UploadRule, size: int) -> None:
    if size == 0:
        raise Refusal("bad_file_size", "文件为空，请重新选择文件后上传")
    if size > rule.max_bytes:
        raise too_large(rule)


def check_type(rule: UploadRule, detected: FileType | None, executable: bool) -> FileType:
    """The type the document is kept as; refuses programs, unknown bytes and types the kind does not take."""
    if executable:
        raise Refusal("bad_file_type", "该文件内容是可执行程序，不是 PDF、JPG 或 PNG 材料，不能上传")
    if detected is None:
        raise Refusal("bad_file_type",
                      "无法识别的文件格式：仅支持上传 PDF、JPG、PNG 格式的材料（按文件内容识别，与文件名无关）")
    if detected not in rule.types:
        allowed = "或 ".join(t.zh for t in FileType if t in rule.types)
        raise Refusal("bad_file_type", f"{rule.label}只能上传 {allowed}，所选文件是 {detected.zh}")
    return detected


def check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise Refusal("bad_file_content", f"图片像素过大（超过{MAX_PIXELS // 10_000}万像素），请压缩后上传")


def check_pages(pages: int) -> None:
    if pages == 0:
        raise Refusal("bad_file_content", "PDF 文件没有页面，请重新扫描后上传")
    if pages > MAX_PDF_PAGES:
        raise Refusal("bad_file_content", f"PDF 文件超过 {MAX_PDF_PAGES} 页，请按材料分开上传")


UNREADABLE_PDF = Refusal("bad_file_content", "PDF 文件已损坏、加密或无法打开，请重新扫描后上传")
UNREADABLE_IMAGE = Refusal("bad_file_content", "图片文件已损坏或无法打开，请重新拍照或扫描后上传")

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def safe_filename(filename: str | None, file_type: FileType | None, fallback: str) -> str:
    """The name a document is kept and downloaded under: no path, no control characters, at most 120
    characters, and the extension of what the bytes are (a PNG sent as `scan.pdf` is kept as `scan.png`)."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip(" ._") or fallback
    if file_type is None:
        return name[:120]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[:110] or fallback}.{file_type.extension}"


def generated_kind_known(kind: str) -> bool:
    return kind in GeneratedKind._value2member_map_

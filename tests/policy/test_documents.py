"""Document rules without a server: the types each kind takes, the size limits, the kept file name."""

from __future__ import annotations

import pytest

from policy.documents import (
    ARCHIVE_RULES,
    MB,
    SURVEY_RULES,
    Refusal,
    check_size,
    check_type,
    safe_filename,
)
from vocabulary.case import DocumentKind
from vocabulary.documents import FileType, SurveyAttachmentKind

PHOTO = SURVEY_RULES[SurveyAttachmentKind.PHOTO]
ID_CARD = ARCHIVE_RULES[DocumentKind.ID_CARD]


def refusal(fn: object, *args: object) -> Refusal:
    with pytest.raises(Refusal) as caught:
        fn(*args)  # type: ignore[operator]
    return caught.value


def test_every_checklist_entry_takes_pdf_and_images_within_its_limit() -> None:
    assert set(ARCHIVE_RULES) == set(DocumentKind)
    assert all(r.types == frozenset(FileType) for r in ARCHIVE_RULES.values())
    assert ID_CARD.max_bytes == 10 * MB and ARCHIVE_RULES[DocumentKind.NEEDS_FORM].max_bytes == 20 * MB
    assert check_type(ID_CARD, FileType.PNG, executable=False) is FileType.PNG


def test_refusals_say_why_in_chinese() -> None:
    program = refusal(check_type, ID_CARD, None, True)
    assert (program.code, program.message) == (
        "bad_file_type", "该文件内容是可执行程序，不是 PDF、JPG 或 PNG 材料，不能上传")
    assert "按文件内容识别" in refusal(check_type, ID_CARD, None, False).message
    wrong = refusal(check_type, PHOTO, FileType.PDF, False)
    assert wrong.message == "入户调查照片只能上传 JPG 图片或 PNG 图片，所选文件是 PDF 文件"
    assert refusal(check_size, ID_CARD, 0).message.startswith("文件为空")
    big = refusal(check_size, ID_CARD, 10 * MB + 1)
    assert (big.code, big.message) == ("bad_file_size", "身份证复印件不能超过 10 MB，请压缩图片或分页扫描后上传")
    check_size(ID_CARD, 10 * MB)  # the limit itself is allowed


@pytest.mark.parametrize(("given", "kind", "kept"), [
    ("scan.pdf", FileType.PNG, "scan.png"),  # the bytes decide the extension
    ("C:\\Users\\王\\身份证.JPG", FileType.JPEG, "身份证.jpg"),  # no path from the client's machine
    ("../../etc/passwd", FileType.PDF, "passwd.pdf"),
    ("a\x00b<>:\"|?*.pdf", FileType.PDF, "a_b_.pdf"),
    ("", FileType.PDF, "身份证复印件.pdf"),
    (None, FileType.JPEG, "身份证复印件.jpg"),
    ("户口本", FileType.PDF, "户口本.pdf"),
    ("x" * 300 + ".pdf", FileType.PDF, "x" * 110 + ".pdf"),
])
def test_the_kept_name(given: str | None, kind: FileType, kept: str) -> None:
    assert safe_filename(given, kind, "身份证复印件") == kept

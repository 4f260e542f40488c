"""The one-person file as one PDF for the paper archive (001 四(七): 按照服务号顺序排列档案).

Each file starts with a cover sheet — service number, name, village, provider, and the document list in the
checklist's order with each entry's version or missing reason and its page count — followed by the documents
themselves: PDFs page by page, images each on an A4 page under a header line naming the file and the entry.
Several files (a provider's batch) follow one another in the order given (service-number order).

Chinese text uses reportlab's built-in CID font STSong-Light (PDF viewers supply the glyphs): no font file
is downloaded or shipped. Pure CPU work: the API runs it in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vocabulary.documents import FileType

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15)
_MARGIN = 18 * mm


@dataclass(frozen=True)
class BundleItem:
    section: str  # 档案材料 / 入户调查附件
    label: str  # 身份证复印件
    status: str  # 第2版 / 缺失：本人暂未提供
    content: bytes | None = None
    file_type: FileType | None = None


@dataclass(frozen=True)
class FileCover:
    service_no: str
    person_name: str
    village: str
    provider: str
    archived_on: str
    printed_at: str
    items: tuple[BundleItem, ...]


def _pdf_reader(data: bytes) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")  # the upload check admitted only PDFs that open with an empty password
    return reader


def _image_page(cover: FileCover, item: BundleItem) -> bytes:
    assert item.content is not None
    out = io.BytesIO()
    page = Canvas(out, pagesize=A4)
    width, height = A4
    page.setFont(FONT, 10)
    header = f"服务号 {cover.service_no}　{cover.person_name}　{item.label}（{item.status}）"
    page.drawString(_MARGIN, height - _MARGIN, header)
    image = ImageReader(io.BytesIO(item.content))
    iw, ih = image.getSize()
    box_w, box_h = width - 2 * _MARGIN, height - 2 * _MARGIN - 10 * mm
    scale = min(box_w / iw, box_h / ih)  # fit the page, keeping the proportions
    w, h = iw * scale, ih * scale
    page.drawImage(image, (width - w) / 2, height - _MARGIN - 8 * mm - h, w, h)
    page.showPage()
    page.save()
    return out.getvalue()


def _pages(cover: FileCover, item: BundleItem) -> bytes | None:
    """The item as PDF bytes (None for an entry marked missing)."""
    if item.content is None or item.file_type is None:
        return None
    return item.content if item.file_type is FileType.PDF else _image_page(cover, item)


def _cover(cover: FileCover, page_counts: Sequence[int]) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN,
                            bottomMargin=_MARGIN, title=f"服务档案 {cover.service_no}", author="assistflow")
    head = Table([[Paragraph(k, _BODY), Paragraph(v, _BODY)] for k, v in (
        ("服务号", cover.service_no), ("服务对象", cover.person_name), ("村(社区)", cover.village),
        ("服务供给主体", cover.provider), ("建档日期", cover.archived_on), ("打印时间", cover.printed_at),
    )], colWidths=[35 * mm, 120 * mm])
    rows = [[Paragraph(h, _BODY) for h in ("序号", "类别", "材料名称", "状态", "页数")]]
    for n, (item, count) in enumerate(zip(cover.items, page_counts, strict=True), start=1):
        rows.append([Paragraph(str(n), _BODY), Paragraph(item.section, _BODY), Paragraph(item.label, _BODY),
                     Paragraph(item.status, _BODY), Paragraph(str(count) if count else "—", _BODY)])
    listing = Table(rows, colWidths=[12 * mm, 28 * mm, 45 * mm, 74 * mm, 15 * mm], repeatRows=1)
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)])
    listing.setStyle(grid)
    head.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    doc.build([Paragraph("服务类社会救助服务档案（一人一档）", _TITLE), Spacer(1, 8 * mm), head, Spacer(1, 8 * mm),
               Paragraph("档案材料目录", _BODY), Spacer(1, 3 * mm), listing])
    return out.getvalue()


def bundle_pdf(files: Sequence[FileCover]) -> bytes:
    writer = PdfWriter()
    for cover in files:
        parts = [_pages(cover, item) for item in cover.items]
        readers = [None if p is None else _pdf_reader(p) for p in parts]
        writer.append(_pdf_reader(_cover(cover, [0 if r is None else len(r.pages) for r in readers])))
        for reader in readers:
            if reader is not None:
                writer.append(reader)
    writer.add_metadata({"/Title": "服务类社会救助服务档案", "/Producer": "assistflow"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

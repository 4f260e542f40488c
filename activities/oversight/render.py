"""The long-term public notice (长期公示) as files for the village board: a printable A4 PDF in Chinese and an XLSX.

Pure: bytes from the published lines and nothing else, so what a file can show is exactly what the privacy
filter (policy/oversight.py: notice_entry) let through — name, village/community, service items, start date.
The PDF uses reportlab's built-in CID font STSong-Light (no font file to ship or download).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
HEADERS = ("序号", "姓名", "村(社区)", "服务项目", "服务开始日期")
TITLE = "服务类社会救助对象长期公示"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _rows(entries: Sequence[Mapping[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    return [(str(i), str(e["name"]), str(e["village"]), "、".join(e["items"]), str(e["starts_on"]))
            for i, e in enumerate(entries, start=1)]


def _footer(village: str, publisher: str, published_on: date) -> list[str]:
    return [
        f"公示单位：{publisher}　　公示日期：{published_on:%Y年%m月%d日}　　公示对象：{village}服务类社会救助对象",
        "本公示长期有效，名单随服务对象的增加、退出及时更新。",
        "如有异议，可向本村(社区)社会救助协理员、乡镇(街道)社会救助窗口反映，或通过网上渠道提出，可以匿名。",
    ]


def notice_pdf(village: str, publisher: str, published_on: date, entries: Sequence[Mapping[str, Any]]) -> bytes:
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"{village}{TITLE}", author=publisher, invariant=1)
    data: list[list[Any]] = [list(HEADERS)]
    # A paragraph (which wraps) only where the text would not fit on one line: tables of plain strings lay out
    # several times faster, and a township's notices run to thousands of lines.
    data += [[n, name, Paragraph(v, cell) if len(v) > 11 else v, Paragraph(items, cell) if len(items) > 20 else items,
              start] for n, name, v, items, start in _rows(entries)]
    if len(data) == 1:
        data.append(["", "（暂无服务对象）", "", "", ""])
    table = Table(data, colWidths=[12 * mm, 24 * mm, 40 * mm, 72 * mm, 26 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (0, -1), "CENTER"),
    ]))
    story: list[Any] = [Paragraph(f"{village}{TITLE}", title), Spacer(1, 4 * mm), table, Spacer(1, 6 * mm)]
    story += [Paragraph(line, body) for line in _footer(village, publisher, published_on)]
    doc.build(story)
    return out.getvalue()


def notice_xlsx(village: str, publisher: str, published_on: date, entries: Sequence[Mapping[str, Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "长期公示"
    sheet.append([f"{village}{TITLE}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for row in _rows(entries):
        sheet.append(list(row))
    sheet.append([])
    for line in _footer(village, publisher, published_on):
        sheet.append([line])
    for column, width in zip("ABCDE", (6, 12, 24, 40, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=3, min_col=4, max_col=4):
        cells[0].alignment = Alignment(wrap_text=True)
    # The file's own dates are the publication's, not the moment it was rendered.
    stamp = datetime.combine(published_on, datetime.min.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = publisher
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The written documents of a case as printable A4 Chinese PDFs: the notice of an intended change or stop
(拟变更 / 拟终止救助服务告知书), the decision (变更 / 终止救助服务决定书) and the review's refusal (不予救助决定书).

Pure rendering, no I/O: `Letter` is everything a document says, `pdf(letter)` its bytes. reportlab's built-in
CID font STSong-Light needs no font file (the reader supplies the glyphs), and `invariant` output makes the same
letter the same bytes, so a retried activity stores the same content hash.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from policy.dynamic import LITIGATION_LAW, LITIGATION_MONTHS, REVIEW_DAYS, REVIEW_LAW, Remedies
from vocabulary.dynamic import CaseDocKind

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=21, wordWrap="CJK", firstLineIndent=24)
_PLAIN = ParagraphStyle("plain", parent=_BODY, firstLineIndent=0)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=6)
_NUMBER = ParagraphStyle("number", parent=_PLAIN, alignment=TA_CENTER, spaceAfter=12)
_SIGN = ParagraphStyle("sign", parent=_PLAIN, alignment=TA_RIGHT)
LAW = "《中华人民共和国社会救助法》"


def day_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Letter:
    kind: CaseDocKind
    number: str  # 文号
    addressee: str  # the recipient's name (never an ID number)
    paragraphs: tuple[str, ...]
    authority: str  # who decides: the township (街道) government
    dated: date

    @property
    def filename(self) -> str:
        return f"{self.kind.zh}-{self.number}.pdf"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf(letter: Letter) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, invariant=1, title=letter.kind.zh, author=letter.authority,
                            creator="assistflow", leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=28 * mm)
    story: list[Flowable] = [Paragraph(letter.kind.zh, _TITLE), Paragraph(_escape(letter.number), _NUMBER),
                             Paragraph(f"{_escape(letter.addressee)}：", _PLAIN)]
    story += [Paragraph(_escape(p), _BODY) for p in letter.paragraphs]
    story += [Spacer(1, 18 * mm), Paragraph(_escape(letter.authority), _SIGN),
              Paragraph(day_zh(letter.dated), _SIGN)]
    doc.build(story)
    return buffer.getvalue()


def remedies_paragraph(remedies: Remedies, county_name: str) -> str:
    """Where and by when to seek administrative review or go to court (the laws count calendar days)."""
    return (f"如不服本决定，可以自收到本决定书之日起{REVIEW_DAYS}日内（即{day_zh(remedies.review_by)}前）"
            f"依照{REVIEW_LAW}的规定向{county_name}人民政府申请行政复议；也可以自收到本决定书之日起"
            f"{LITIGATION_MONTHS}个月内（即{day_zh(remedies.litigation_by)}前）依照{LITIGATION_LAW}的规定"
            f"向{county_name}人民法院提起行政诉讼。")


def notice(*, stop: bool, number: str, addressee: str, authority: str, dated: date, facts: str, reasons: str,
           plan_now: str, plan_after: str, effective_on: date, hearing_days: int, hearing_ends_on: date,
           address: str) -> Letter:
    """拟变更 / 拟终止救助服务告知书: the reasons, the facts, and the right to state and defend in the period."""
    what = "终止为您提供的服务类社会救助服务" if stop else f"将为您提供的服务变更为：{plan_after}"
    paragraphs = (
        f"经核查，{facts}",
        f"根据{LAW}及服务类社会救助的有关规定，本机关拟自{day_zh(effective_on)}起{what}。理由：{reasons}",
        f"您目前享受的服务为：{plan_now}。",
        f"在作出决定前，您有权进行陈述和申辩。请于{day_zh(hearing_ends_on)}前（{hearing_days}个工作日内）"
        f"向{address}或村(社区)社会救助协理员提出陈述、申辩意见，可以书面提出，也可以口头提出并由工作人员记录。"
        "逾期未提出的，视为放弃陈述、申辩的权利，本机关将依法作出书面决定。",
        "在作出决定前，您的服务照常提供。",
    )
    return Letter(CaseDocKind.STOP_NOTICE if stop else CaseDocKind.CHANGE_NOTICE, number, addressee, paragraphs,
                  authority, dated)


def decision(*, stop: bool, number: str, addressee: str, authority: str, dated: date, basis: str, reasons: str,
             statement: str, considered: str, plan_after: str, effective_on: date, remedies: Remedies,
             county_name: str) -> Letter:
    """变更 / 终止救助服务决定书: reasons, the statement considered, the effective date, the remedies."""
    what = "终止为您提供的服务类社会救助服务" if stop else f"为您提供的服务变更为：{plan_after}"
    paragraphs = (
        basis,
        f"您的陈述、申辩意见：{statement}",
        f"对陈述、申辩意见的采纳情况：{considered}",
        f"本机关认为：{reasons}根据{LAW}及服务类社会救助的有关规定，决定自{day_zh(effective_on)}起{what}。",
        remedies_paragraph(remedies, county_name),
    )
    return Letter(CaseDocKind.STOP_DECISION if stop else CaseDocKind.CHANGE_DECISION, number, addressee,
                  paragraphs, authority, dated)


def refusal(*, number: str, addressee: str, authority: str, dated: date, applied_on: date, reasons: str,
            basis: str, remedies: Remedies, county_name: str) -> Letter:
    """不予救助决定书: the review's refusal in writing, with reasons (the Social Assistance Law, Art. 45)."""
    paragraphs = (
        f"您于{day_zh(applied_on)}提出的服务类社会救助申请，经受理登记、入户调查和审核，",
        f"本机关认为：{reasons}（审核依据：{basis}）",
        f"根据{LAW}第四十五条及服务类社会救助的有关规定，决定不予给予服务类社会救助。",
        "您的情况发生变化、符合条件的，可以再次提出申请。",
        remedies_paragraph(remedies, county_name),
    )
    return Letter(CaseDocKind.REFUSAL, number, addressee, paragraphs, authority, dated)

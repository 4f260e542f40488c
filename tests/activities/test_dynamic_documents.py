"""The written documents as PDFs: A4, Chinese, deterministic; their text (extracted with pypdf) carries the
reasons, the hearing period and the remedies with their last days."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from activities.dynamic import documents as d
from policy.dynamic import remedies

A4 = (595, 842)


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    first = reader.pages[0].mediabox
    assert (round(float(first.width)), round(float(first.height))) == A4
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")


def test_a_stop_decision_states_reasons_statement_effective_date_and_remedies() -> None:
    letter = d.decision(stop=True, number="杏花街道动态〔2026〕7号", addressee="王秀英", authority="杏花街道办事处",
                        dated=date(2026, 11, 20), basis="本机关于2026年11月3日告知您拟终止服务。",
                        reasons="您已入住敬老院集中供养，不再需要居家服务。", statement="希望继续探访",
                        considered="已入住机构，探访由机构提供，不予采纳。", plan_after="无",
                        effective_on=date(2026, 12, 1), remedies=remedies(date(2026, 11, 20)),
                        county_name="贵池区")
    data = d.pdf(letter)
    assert data == d.pdf(letter)  # the same letter, the same bytes (the content hash is stable)
    text = text_of(data)
    for expected in ("终止救助服务决定书", "王秀英", "您已入住敬老院集中供养", "希望继续探访", "不予采纳",
                     "2026年12月1日起终止", "60日内", "2027年1月19日前", "贵池区人民政府申请行政复议",
                     "6个月内", "2027年5月20日前", "贵池区人民法院提起行政诉讼", "行政复议法》第二十条",
                     "行政诉讼法》第四十六条"):
        assert expected in text, expected


def test_a_notice_states_the_facts_and_the_hearing_period() -> None:
    letter = d.notice(stop=False, number="N-1", addressee="李四", authority="一号街道办事处", dated=date(2026, 3, 9),
                      facts="您的低保待遇已于2026年3月1日停止。", reasons="仅保留探访服务。",
                      plan_now="助洁8次/月、探访4次/月", plan_after="探访4次/月", effective_on=date(2026, 4, 1),
                      hearing_days=5, hearing_ends_on=date(2026, 3, 16), address="一号街道社会救助窗口")
    text = text_of(d.pdf(letter))
    for expected in ("拟变更救助服务告知书", "您的低保待遇已于2026年3月1日停止", "仅保留探访服务", "探访4次/月",
                     "2026年3月16日前", "5个工作日内", "陈述、申辩"):
        assert expected in text, expected
    assert letter.filename.endswith(".pdf")


def test_a_refusal_letter_gives_reasons_and_remedies() -> None:
    letter = d.refusal(number="R-1", addressee="张三", authority="一号街道办事处", dated=date(2026, 8, 31),
                       applied_on=date(2026, 8, 3), reasons="申请人不属于服务对象范围。", basis="非社会救助对象",
                       remedies=remedies(date(2026, 8, 31)), county_name="测试县")
    text = text_of(d.pdf(letter))
    for expected in ("不予救助决定书", "申请人不属于服务对象范围", "2026年10月30日前", "2027年2月28日前"):
        assert expected in text, expected

"""Oversight's pure rules: who may be published, proportional quotas, coverage and its gap, recusal, the score."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from policy import oversight as p


def test_only_adults_outside_the_childrens_category_are_published() -> None:
    on = date(2026, 11, 20)
    assert p.may_be_published(date(2008, 11, 20), "dibao", on)  # 18 today
    assert not p.may_be_published(date(2008, 11, 21), "dibao", on)  # 18 tomorrow
    assert not p.may_be_published(date(1990, 1, 1), "orphan", on)
    row = {"case_id": uuid.uuid4(), "name": "王某", "village": "一号社区", "items": ["访视", "助洁"],
           "starts_on": date(2026, 1, 1), "birth_date": date(1950, 1, 1), "category": "tekun",
           "conditions": ["seriously_ill"], "id_hash": "abc"}
    entry = p.notice_entry(row, on)
    assert entry is not None and entry.public() == {"name": "王某", "village": "一号社区", "items": ["助洁", "访视"],
                                                    "starts_on": "2026-01-01"}


def test_changes_between_publications() -> None:
    a, b = (p.NoticeEntry(str(uuid.uuid4()), n, "村", ("访视",), date(2026, 1, 1)) for n in ("甲", "乙"))
    added, removed = p.notice_changes([{"case_id": a.case_id, **a.public()}], [b])
    assert [x["name"] for x in added] == ["乙"] and [x["name"] for x in removed] == ["甲"]


def test_quotas_are_proportional_exact_and_capped() -> None:
    counts = {"A": 60, "B": 40, "C": 50}
    assert p.quotas(counts, 30) == {"A": 12, "B": 8, "C": 10}
    assert sum(p.quotas({"A": 7, "B": 5, "C": 1}, 5).values()) == 5
    assert p.quotas({"A": 2}, 10) == {"A": 2}
    assert p.at_least_one({"A": 12, "B": 3, "C": 0}, 10) == {"A": 2, "B": 1, "C": 0}


def test_coverage_and_gap() -> None:
    c = p.coverage(total=1001, sampled=300, checked=120, target_percent=30)
    assert (c.target, c.gap, c.percent) == (301, 1, Decimal("29.97"))
    assert p.coverage(0, 0, 0, 30).gap == 0


def test_inspectors_never_check_their_own_and_the_draw_is_seeded() -> None:
    township, provider = "341702001", uuid.uuid4()
    own_township = p.Inspector(uuid.uuid4(), township, None)
    own_provider = p.Inspector(uuid.uuid4(), None, provider)
    others = [p.Inspector(uuid.uuid4(), "341702002", None) for _ in range(5)]
    register = [own_township, own_provider, *others]
    chosen = p.draw_inspectors("seed", township, provider, register, 2)
    assert len(chosen) == 2 and not {own_township.id, own_provider.id} & set(chosen)
    assert chosen == p.draw_inspectors("seed", township, provider, list(reversed(register)), 2)
    assert p.draw_inspectors("seed", township, provider, [own_township, own_provider], 2) == []


def test_score_rescales_over_the_metrics_with_data() -> None:
    weights = {"a": 50, "b": 30, "c": 20}
    assert p.evaluation_score({"a": Decimal("1"), "b": Decimal("0.5"), "c": None}, weights) == Decimal("81.25")
    assert p.evaluation_score({"a": None}, weights) is None
    assert p.complaints_metric(1, 20, 10) == Decimal("0.5000")
    assert p.rate(3, 0) is None and p.rate(5, 4) == Decimal("1")

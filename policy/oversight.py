"""Oversight rules (监督管理), pure: the notice's privacy filter and its changes, reproducible stratified samples
and their coverage, the recusal of inspectors, and the provider evaluation's score.

Defaults a county changes (PUT /oversight/settings):
- spot checks cover at least 30% of the year's services in the county (001 三(五)1: 抽查比例不少于每年度服务总数的30%)
- each month's satisfaction visits sample 10% of each provider's in-service cases (at least one case each)
- each stratum (township x provider) of a draw is split between 2 inspectors drawn from the register
- the complaints metric scores 0 at 10 upheld complaints per 100 recipients, 1 at none, linearly between
- the evaluation's weights (out of 100): referral answers 10, plans on time 10, archives on time 10, delivery
  against plan 20, spot-check pass rate 15, satisfaction 20 (000 二(六): 重点围绕救助对象满意度), complaints 10,
  rectifications on time 5. A metric with no data that year is left out and the others' weights are rescaled.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar
from uuid import UUID

from vocabulary.oversight import EvaluationMetric as M
from vocabulary.people import Category

K = TypeVar("K", bound=Hashable)

DEFAULT_SETTINGS: dict[str, int] = {
    "spot_check_target_percent": 30,
    "satisfaction_share_percent": 10,
    "inspectors_per_stratum": 2,
    "complaints_per_100_zero": 10,
    # 先行救助: the days short-term care may run before the review (policy/urgent.py says why 30).
    "urgent_care_days": 30,
}
DEFAULT_WEIGHTS: dict[str, int] = {
    M.REFERRAL_ANSWERS: 10, M.PLANS_ON_TIME: 10, M.ARCHIVES_ON_TIME: 10, M.DELIVERY: 20,
    M.SPOT_CHECKS: 15, M.SATISFACTION: 20, M.COMPLAINTS: 10, M.RECTIFICATIONS: 5,
}


def merged_settings(stored: Mapping[str, Any] | None) -> dict[str, Any]:
    stored = dict(stored or {})
    weights = {**DEFAULT_WEIGHTS, **stored.pop("weights", {})}
    return {**DEFAULT_SETTINGS, **stored, "weights": weights}


# ---- the public notice ----------------------------------------------------------------------------------------

ADULT_AGE = 18
# Children in care are never published, whatever their age on file (孤儿和事实无人抚养儿童).
NEVER_PUBLISHED = frozenset({Category.ORPHAN})


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def may_be_published(birth: date, category: str, on: date) -> bool:
    return category not in NEVER_PUBLISHED and age_on(birth, on) >= ADULT_AGE


@dataclass(frozen=True)
class NoticeEntry:
    """One line of the public notice: these four things and nothing else (plus the case, to tell changes)."""

    case_id: str
    name: str
    village: str
    items: tuple[str, ...]
    starts_on: date

    def public(self) -> dict[str, Any]:
        return {"name": self.name, "village": self.village, "items": list(self.items),
                "starts_on": self.starts_on.isoformat()}


def notice_entry(row: Mapping[str, Any], on: date) -> NoticeEntry | None:
    """The publishable part of a recipient's row, or None when the person must not appear at all. The row may
    carry anything (ID hashes, conditions, birth date): only the named fields are copied out."""
    if not may_be_published(row["birth_date"], row["category"], on):
        return None
    return NoticeEntry(case_id=str(row["case_id"]), name=str(row["name"]), village=str(row["village"]),
                       items=tuple(sorted(str(i) for i in row["items"])), starts_on=row["starts_on"])


def notice_changes(previous: Iterable[Mapping[str, Any]], current: Sequence[NoticeEntry]) -> tuple[
    list[dict[str, Any]], list[dict[str, Any]]
]:
    """(新增, 退出) since the last publication, keyed by case: each as the public line it showed."""
    before = {str(e["case_id"]): e for e in previous}
    now = {e.case_id: e for e in current}
    added = [now[k].public() for k in sorted(now.keys() - before.keys(), key=lambda k: (now[k].name, k))]
    removed = [{k2: v for k2, v in before[k].items() if k2 != "case_id"}
               for k in sorted(before.keys() - now.keys(), key=lambda k: (str(before[k]["name"]), k))]
    return added, removed


def content_sha256(entries: Sequence[NoticeEntry]) -> str:
    """The hash of what a notice shows (not of a file's bytes): the same recipients give the same hash."""
    lines = "\n".join(f"{e.village}|{e.name}|{'、'.join(e.items)}|{e.starts_on.isoformat()}" for e in entries)
    return hashlib.sha256(lines.encode()).hexdigest()


# ---- reproducible samples --------------------------------------------------------------------------------------


def sample_key(seed: str, member: UUID | str) -> str:
    """A member's place in a small seeded draw made here (inspectors): md5 of "seed:member"."""
    return hashlib.md5(f"{seed}:{member}".encode()).hexdigest()


def seed_number(seed: str) -> int:
    """The signed 64-bit number a draw's seed stands for (the seed of PostgreSQL's uuid_hash_extended)."""
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big", signed=True)


def share_of(total: int, percent: int | Decimal) -> int:
    """The smallest whole number of members that is at least `percent` of `total`."""
    exact = Decimal(total) * Decimal(percent) / 100
    return int(exact.to_integral_value(rounding="ROUND_CEILING"))


def quotas(counts: Mapping[K, int], target: int, order: Mapping[K, str] | None = None) -> dict[K, int]:
    """How many of `target` each stratum gives, proportionally to its size (largest remainders, ties broken by
    `order` or the stratum itself), never more than it has."""
    total = sum(counts.values())
    target = min(target, total)
    if target <= 0:
        return {k: 0 for k in counts}
    exact = {k: Decimal(n) * target / total for k, n in counts.items()}
    out = {k: int(v) for k, v in exact.items()}
    tie = order or {k: str(k) for k in counts}
    rest = sorted(counts, key=lambda k: (-(exact[k] - out[k]), tie[k]))
    for k in rest[: target - sum(out.values())]:
        out[k] += 1
    return out


def at_least_one(counts: Mapping[K, int], percent: int) -> dict[K, int]:
    """Per stratum: `percent` of it rounded up, at least one where it has any (a month's visits per provider)."""
    return {k: min(n, max(1, share_of(n, percent))) if n else 0 for k, n in counts.items()}


@dataclass(frozen=True)
class Coverage:
    total: int  # the year's services so far
    sampled: int  # drawn for a check
    checked: int  # checks with a result
    target: int  # target_percent of total
    gap: int  # still to draw to reach the target
    percent: Decimal  # sampled / total


def coverage(total: int, sampled: int, checked: int, target_percent: int) -> Coverage:
    target = share_of(total, target_percent)
    percent = (Decimal(sampled) * 100 / total).quantize(Decimal("0.01")) if total else Decimal(0)
    return Coverage(total, sampled, checked, target, max(0, target - sampled), percent)


# ---- inspectors: drawn at random, never their own township or provider ------------------------------------------


@dataclass(frozen=True)
class Inspector:
    id: UUID
    township_code: str | None  # where they work (a township worker's township), if anywhere
    provider_id: UUID | None  # the provider they belong to, if any


def may_inspect(inspector: Inspector, township_code: str, provider_id: UUID) -> bool:
    """Recusal (回避): nobody checks services in their own township or delivered by their own provider."""
    return inspector.township_code != township_code and inspector.provider_id != provider_id


def draw_inspectors(seed: str, township_code: str, provider_id: UUID, register: Sequence[Inspector],
                    k: int) -> list[UUID]:
    """Up to `k` inspectors for one stratum, in the seeded order; empty when nobody may inspect it."""
    stratum = f"{township_code}:{provider_id}"
    eligible = [i for i in register if may_inspect(i, township_code, provider_id)]
    eligible.sort(key=lambda i: sample_key(f"{seed}:{stratum}", i.id))
    return [i.id for i in eligible[:k]]


# ---- the provider evaluation ----------------------------------------------------------------------------------

_CENT = Decimal("0.01")
_RATE = Decimal("0.0001")


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in [0, 1], or None when there is nothing to measure."""
    if denominator <= 0:
        return None
    return min(Decimal(1), Decimal(numerator) / denominator).quantize(_RATE, rounding=ROUND_HALF_UP)


def complaints_metric(upheld: int, recipients: int, zero_at: int) -> Decimal | None:
    """Upheld complaints per 100 recipients, scored 1 at none and 0 at `zero_at` or more."""
    if recipients <= 0:
        return None
    per_100 = Decimal(upheld) * 100 / recipients
    return max(Decimal(0), 1 - per_100 / zero_at).quantize(_RATE, rounding=ROUND_HALF_UP)


def evaluation_score(metrics: Mapping[str, Decimal | None], weights: Mapping[str, int]) -> Decimal | None:
    """The weighted score out of 100 over the metrics that have data; None when none has."""
    used = [(Decimal(w), m) for k, w in weights.items() if w > 0 and (m := metrics.get(k)) is not None]
    if not used:
        return None
    total = sum((w * m for w, m in used), Decimal(0))
    return (total * 100 / sum(w for w, _ in used)).quantize(_CENT, rounding=ROUND_HALF_UP)

"""The neighbour-help subsidy (邻里互助补贴) of a yearly settlement: pure rules, no I/O.

The county sets the standard by date, like a fee standard: either an amount per service or an amount per month
in which the helper served at least once. A record is paid by the standard in force on its service date (for a
monthly standard: on the month's first approved service). A month a helper was already paid for (by an earlier
statement) is not paid again, whatever records arrive for it later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from vocabulary.neighbour import LineKind, RateBasis


@dataclass(frozen=True)
class Rate:
    valid_from: date
    valid_to: date | None
    basis: RateBasis
    amount: Decimal

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Service:
    """An approved record not yet settled: `count` services on one day."""

    record_id: UUID
    helper_id: UUID
    served_on: date
    count: int


@dataclass(frozen=True)
class Paid:
    """One record's settlement: `quantity` services (per service) or 1/0 months (per month)."""

    record_id: UUID
    helper_id: UUID
    service_year: int
    basis: RateBasis
    unit_amount: Decimal
    quantity: int
    amount: Decimal


@dataclass(frozen=True)
class Line:
    helper_id: UUID
    service_year: int
    kind: LineKind
    basis: RateBasis
    unit_amount: Decimal
    quantity: int
    record_count: int
    amount: Decimal


@dataclass(frozen=True)
class Settled:
    paid: tuple[Paid, ...]
    unrated: tuple[UUID, ...]  # no standard in force on the service date: left for a later run, never lost


def rate_on(rates: Iterable[Rate], day: date) -> Rate | None:
    found = [r for r in rates if r.covers(day)]
    return max(found, key=lambda r: r.valid_from) if found else None


def settle(services: Iterable[Service], rates: Sequence[Rate],
           months_paid: frozenset[tuple[UUID, date]] = frozenset()) -> Settled:
    """Each service's subsidy. `months_paid`: (helper, first of month) already paid under a monthly standard."""
    paid: list[Paid] = []
    unrated: list[UUID] = []
    months = set(months_paid)
    for s in sorted(services, key=lambda s: (s.helper_id, s.served_on, s.record_id)):
        rate = rate_on(rates, s.served_on)
        if rate is None:
            unrated.append(s.record_id)
            continue
        if rate.basis is RateBasis.PER_SERVICE:
            paid.append(Paid(s.record_id, s.helper_id, s.served_on.year, rate.basis, rate.amount, s.count,
                             rate.amount * s.count))
            continue
        month = (s.helper_id, s.served_on.replace(day=1))
        first = month not in months
        months.add(month)
        # The month's first record carries the month; the others are settled with it at nothing (so the ledger
        # holds them too and a re-run never pays the month again).
        paid.append(Paid(s.record_id, s.helper_id, s.served_on.year, rate.basis, rate.amount, int(first),
                         rate.amount if first else Decimal("0.00")))
    return Settled(tuple(paid), tuple(sorted(unrated)))


def lines(paid: Iterable[Paid], year: int) -> list[Line]:
    """One line per helper x service year x standard; a year before the statement's is an adjustment (补结)."""
    grouped: dict[tuple[UUID, int, RateBasis, Decimal], list[Paid]] = {}
    for p in paid:
        grouped.setdefault((p.helper_id, p.service_year, p.basis, p.unit_amount), []).append(p)
    return [Line(helper, service_year, LineKind.REGULAR if service_year == year else LineKind.ADJUSTMENT, basis,
                 unit, sum(p.quantity for p in group), len(group), sum((p.amount for p in group), Decimal("0.00")))
            for (helper, service_year, basis, unit), group in sorted(grouped.items(), key=lambda kv: (
                str(kv[0][0]), kv[0][1], kv[0][2].value, kv[0][3]))]


def content_hash(year: int, township: str, paid: Iterable[Paid]) -> str:
    """The statement's content: the same records at the same amounts give the same hash, in any order."""
    rows = sorted([str(p.record_id), str(p.helper_id), p.basis.value, f"{p.unit_amount:.2f}", p.quantity,
                   f"{p.amount:.2f}"] for p in paid)
    canonical = json.dumps({"year": year, "township": township, "records": rows}, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def mask_account(tail: str) -> str:
    """A bank account as people read it: its last four digits only."""
    return f"****{tail}"

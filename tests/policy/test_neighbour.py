"""The neighbour-help subsidy: the standard in force on the service date, per service or per month (a month paid
once however many records it has, and never again by a later statement), adjustments for earlier years, and a
content hash that does not depend on the order records are read in."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from policy.neighbour import Rate, Service, content_hash, lines, mask_account, settle
from vocabulary.neighbour import LineKind, RateBasis

A, B = UUID(int=1), UUID(int=2)
PER_SERVICE = Rate(date(2024, 1, 1), date(2024, 6, 30), RateBasis.PER_SERVICE, Decimal("30.00"))
RAISED = Rate(date(2024, 7, 1), None, RateBasis.PER_SERVICE, Decimal("40.00"))
MONTHLY = Rate(date(2025, 1, 1), None, RateBasis.PER_MONTH, Decimal("200.00"))


def _service(n: int, helper: UUID, day: date, count: int = 1) -> Service:
    return Service(UUID(int=100 + n), helper, day, count)


def test_per_service_at_the_standard_in_force_on_the_day() -> None:
    settled = settle([_service(1, A, date(2024, 3, 5), 2), _service(2, A, date(2024, 7, 2))], [PER_SERVICE, RAISED])
    assert [(p.quantity, p.amount) for p in settled.paid] == [(2, Decimal("60.00")), (1, Decimal("40.00"))]
    assert [(x.unit_amount, x.quantity, x.amount) for x in lines(settled.paid, 2024)] == [
        (Decimal("30.00"), 2, Decimal("60.00")), (Decimal("40.00"), 1, Decimal("40.00"))]


def test_no_standard_leaves_the_record_for_later() -> None:
    settled = settle([_service(1, A, date(2023, 12, 31))], [PER_SERVICE])
    assert settled.paid == () and settled.unrated == (UUID(int=101),)


def test_a_month_is_paid_once_under_a_monthly_standard() -> None:
    services = [_service(1, A, date(2025, 3, 1)), _service(2, A, date(2025, 3, 20), 3),
                _service(3, B, date(2025, 3, 2)), _service(4, A, date(2025, 4, 2))]
    settled = settle(services, [MONTHLY])
    assert sum(p.amount for p in settled.paid) == Decimal("600.00")  # A: March, April; B: March
    assert len(settled.paid) == 4  # every record is settled (the ledger holds them), two at nothing
    # A record of March arriving after March was paid by an earlier statement pays nothing more.
    late = settle([_service(5, A, date(2025, 3, 28))], [MONTHLY], frozenset({(A, date(2025, 3, 1))}))
    assert [(p.quantity, p.amount) for p in late.paid] == [(0, Decimal("0.00"))]


def test_an_earlier_year_is_an_adjustment() -> None:
    settled = settle([_service(1, A, date(2024, 11, 20)), _service(2, A, date(2025, 2, 1))], [PER_SERVICE, RAISED,
                                                                                           MONTHLY])
    assert [(x.service_year, x.kind) for x in lines(settled.paid, 2025)] == [
        (2024, LineKind.ADJUSTMENT), (2025, LineKind.REGULAR)]


def test_the_content_hash_ignores_order_and_sees_amounts() -> None:
    services = [_service(1, A, date(2024, 3, 5)), _service(2, B, date(2024, 3, 6))]
    first = settle(services, [PER_SERVICE]).paid
    assert content_hash(2024, "341702001", first) == content_hash(2024, "341702001", tuple(reversed(first)))
    dearer = settle(services, [Rate(date(2024, 1, 1), None, RateBasis.PER_SERVICE, Decimal("31.00"))]).paid
    assert content_hash(2024, "341702001", first) != content_hash(2024, "341702001", dearer)


def test_an_account_shows_its_last_four_digits() -> None:
    assert mask_account("1234") == "****1234"

"""Settlement periods are calendar months in China time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vocabulary.china import CHINA
from workflows import periods


def test_periods_are_china_months() -> None:
    assert periods.settled_by_run_at(datetime(2026, 11, 5, 2, tzinfo=CHINA)) == "2026-10"
    # 16:30 UTC on 31 January is 00:30 on 1 February in China: the run fired in February settles January.
    assert periods.settled_by_run_at(datetime(2026, 1, 31, 16, 30, tzinfo=UTC)) == "2026-01"
    assert periods.settled_by_run_at(datetime(2026, 1, 3, tzinfo=CHINA)) == "2025-12"
    start, end = periods.bounds("2026-12")
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")
    assert periods.between("2026-11", "2027-02") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert periods.between("2026-03", "2026-02") == []
    assert periods.year_start("2026-07") == "2026-01"
    with pytest.raises(ValueError):
        periods.parse("2026-13")

"""Spot-check draws (抽查, 001 三(五)1: 抽查比例不少于每年度服务总数的30%): the year's service records of a county,
stratified by township x provider, drawn reproducibly, each drawn record given an inspector who does not work
in its township or for its provider.

- Population: the county's records started in the year (China time), recorded by the draw's instant (`as_of`),
  not drawn before. Its size per stratum and an order-independent digest of its ids are recorded.
- Quotas: a regular draw takes `percent` of the population, a top-up the gap to the county's target of the
  year's services; shared among strata in proportion to their size (policy.oversight.quotas).
- Order within a stratum: PostgreSQL's `uuid_hash_extended(record id, seed number)` (the hash its hash
  partitioning relies on, stable across releases; policy.oversight.seed_number turns the seed into the number),
  ties by id: the same seed over the same population gives the same sample, and anyone can recompute it.
- Inspectors: per stratum, up to `inspectors_per_stratum` drawn from the register in the seeded order among
  those who may inspect it (policy.oversight.draw_inspectors); the stratum's records alternate between them.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models.oversight.tables import CHECK_DRAWS, CHECK_SAMPLES, INSPECTORS
from policy import oversight as policy
from vocabulary.china import CHINA
from vocabulary.oversight import DrawKind

# The county's records of the year, by the draw's instant, not drawn before (a hash anti-join with the
# county-year's earlier samples; no temporary table, which would keep the count from running in parallel).
_POPULATION = """
FROM service_records r
JOIN cases c ON c.id = r.case_id
WHERE c.county_code = :county AND r.started_at >= :start AND r.started_at < :end AND r.recorded_at <= :as_of
  AND NOT EXISTS (SELECT 1 FROM (SELECT unnest(cs.record_ids) AS id FROM check_samples cs
                                 WHERE cs.county_code = :county AND cs.year = :year) d WHERE d.id = r.id)
"""
_STRATA = text(f"""
SELECT c.township_code, r.provider_id, count(*) AS n, bit_xor(uuid_hash_extended(r.id, 0)) AS digest
{_POPULATION}
GROUP BY c.township_code, r.provider_id
""")
# Each stratum's first `quota` records in the seeded order (a key below `below` first narrows the records to
# sort to a little more than the share drawn; the caller checks that every stratum still filled its quota).
_DRAW = text(f"""
INSERT INTO check_samples (draw_id, township_code, provider_id, county_code, year, record_ids, inspectors)
SELECT :draw, q.township_code, q.provider_id, :county, :year, (array_agg(x.id ORDER BY x.k, x.id))[1:q.quota],
       ARRAY(SELECT jsonb_array_elements_text(q.inspectors)::uuid)
FROM (
    SELECT c.township_code, r.provider_id, r.id, uuid_hash_extended(r.id, :seed) AS k
    {_POPULATION} AND uuid_hash_extended(r.id, :seed) < :below
) x
JOIN jsonb_to_recordset(CAST(:quotas AS jsonb)) AS q(township_code text, provider_id uuid, quota int, inspectors jsonb)
  ON q.township_code = x.township_code AND q.provider_id = x.provider_id
GROUP BY q.township_code, q.provider_id, q.quota, q.inspectors
RETURNING township_code, provider_id, cardinality(record_ids) AS n
""")
_MAX_KEY = 2**63 - 1


class NoInspector(Exception):
    """Some stratum has nobody on the register who may inspect it (all would check their own)."""

    def __init__(self, strata: list[tuple[str, UUID]]) -> None:
        super().__init__("no eligible inspector")
        self.strata = strata


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=CHINA), datetime(year + 1, 1, 1, tzinfo=CHINA)


def lock_key(county: str, year: int) -> int:
    digest = hashlib.sha256(f"assistflow:spot-check-draw:{county}:{year}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@dataclass(frozen=True)
class Drawn:
    id: UUID
    seq: int
    sampled: int


async def register(session: AsyncSession, county: str) -> list[policy.Inspector]:
    rows = (await session.execute(select(INSPECTORS.c.id, INSPECTORS.c.township_code, INSPECTORS.c.provider_id).where(
        INSPECTORS.c.county_code == county, INSPECTORS.c.active.is_(True)))).all()
    return [policy.Inspector(r.id, r.township_code, r.provider_id) for r in rows]


async def sampled(session: AsyncSession, county: str, year: int) -> int:
    """Records drawn so far in the county-year."""
    n: int = (await session.execute(
        select(text("coalesce(sum(cardinality(record_ids)), 0)")).select_from(CHECK_SAMPLES)
        .where(CHECK_SAMPLES.c.county_code == county, CHECK_SAMPLES.c.year == year))).scalar_one()
    return n


async def year_total(session: AsyncSession, county: str, year: int, as_of: datetime) -> int:
    """Every record of the year so far, drawn or not: the base of the coverage target."""
    start, end = year_bounds(year)
    total: int = (await session.execute(text("""
        SELECT count(*) FROM service_records r JOIN cases c ON c.id = r.case_id
        WHERE c.county_code = :county AND r.started_at >= :start AND r.started_at < :end AND r.recorded_at <= :as_of
    """), {"county": county, "start": start, "end": end, "as_of": as_of})).scalar_one()
    return total


async def draw(session: AsyncSession, actor_id: UUID, county: str, year: int, kind: DrawKind, percent: int | None,
               seed: str | None, as_of: datetime, settings: dict[str, Any]) -> Drawn:
    """One draw, in the caller's transaction (one draw of a county-year at a time)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(county, year)})
    await session.execute(text("SET LOCAL work_mem = '256MB'"))
    await session.execute(text("SET LOCAL jit = off"))
    seed = seed or secrets.token_hex(8)
    start, end = year_bounds(year)
    where = {"county": county, "year": year, "start": start, "end": end, "as_of": as_of}
    strata = (await session.execute(_STRATA, where)).all()
    counts = {(s.township_code, s.provider_id): int(s.n) for s in strata}
    population = sum(counts.values())
    if kind is DrawKind.TOP_UP:
        drawn_before = await sampled(session, county, year)
        total = await year_total(session, county, year, as_of)
        target = max(0, policy.share_of(total, settings["spot_check_target_percent"]) - drawn_before)
    else:
        assert percent is not None
        target = policy.share_of(population, percent)
    quotas = policy.quotas(counts, target, {k: f"{k[0]}:{k[1]}" for k in counts})
    inspectors = await register(session, county)
    plan, missing = [], []
    for (township, provider), quota in sorted(quotas.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        chosen = policy.draw_inspectors(seed, township, provider, inspectors, settings["inspectors_per_stratum"])
        if quota and not chosen:
            missing.append((township, provider))
        plan.append({"township_code": township, "provider_id": str(provider), "population": counts[township, provider],
                     "quota": quota, "inspectors": [str(i) for i in chosen]})
    if missing:
        raise NoInspector(missing)
    digest = 0
    for s in strata:
        digest ^= int(s.digest) & (2**64 - 1)
    seq = (await session.execute(select(text("coalesce(max(seq), 0) + 1")).select_from(CHECK_DRAWS).where(
        CHECK_DRAWS.c.county_code == county, CHECK_DRAWS.c.year == year))).scalar_one()
    draw_id = uuid.uuid4()
    await session.execute(CHECK_DRAWS.insert().values(
        id=draw_id, county_code=county, year=year, seq=seq, kind=kind.value, seed=seed, percent=percent,
        as_of=as_of, population=population, population_digest=f"{digest:016x}", sampled=sum(quotas.values()),
        strata=plan, drawn_by=actor_id, drawn_at=as_of))
    wanted = [p for p in plan if p["quota"]]
    if wanted:
        params = {**where, "draw": draw_id, "seed": policy.seed_number(seed),
                  "quotas": json.dumps(wanted)}
        got = (await session.execute(_DRAW, params | {"below": _below(wanted)})).all()
        if sum(int(g.n) for g in got) != sum(p["quota"] for p in wanted):  # narrowed too far: take every key
            await session.execute(CHECK_SAMPLES.delete().where(CHECK_SAMPLES.c.draw_id == draw_id))
            await session.execute(_DRAW, params | {"below": _MAX_KEY})
    return Drawn(draw_id, seq, sum(quotas.values()))


def _below(plan: list[dict[str, Any]]) -> int:
    """A key bound keeping, in every stratum, its quota with room to spare (five standard deviations of the
    binomial count above the share, keys being uniform over the 64-bit range)."""
    share = max(p["quota"] / p["population"] for p in plan)
    smallest = min(p["population"] for p in plan)
    spare = 5 * math.sqrt(share * (1 - share) / smallest) + 0.001
    bound = -(2**63) + int(min(1.0, share + spare) * 2**64)
    return min(bound, _MAX_KEY)

"""The jurisdiction matrix, generated from the OpenAPI document: every operation x every role x an object of
another county, township or provider. No 2xx that acts on or reveals it; "foreign" answers exactly like
"absent"; lists never carry a foreign object; and nothing the refused requests touched has changed.

`python -m tests.matrix` prints the table of what was tried (tests/matrix/__main__.py).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from devstack.seed import PROVIDERS, USERS, user_id
from infra.db import Sessions
from infra.security import issue_token
from models.payloads.actor import Actor
from models.tables import AUDIT
from tests.flow import Api
from tests.matrix.objects import Maker, Objects, absent
from tests.matrix.requests import NOT_YET, OBJECT_PARAMS, Operation, operations, request_for, scrub
from vocabulary.case import Role

# The demo users, one per role (and per kind of jurisdiction): the matrix's rows.
ROLES = ("zhangsan", "xieliyuan", "jiedao", "jiedaolead", "minzheng", "fuwu", "shenji")
TOWNSHIP_A = ("zhangsan", "xieliyuan", "jiedao", "jiedaolead", "fuwu")


@dataclass
class Tally:
    operations: int = 0
    requests: int = 0
    failures: list[str] | None = None
    statuses: Counter[int] | None = None
    invalid: set[str] = field(default_factory=set)  # operations whose generated request the API refused as such
    uncovered: list[str] = field(default_factory=list)  # routes of kinds in NOT_YET


def _actor(username: str) -> Actor:
    u = next(u for u in USERS if u.username == username)
    return Actor(user_id=user_id(u.username), role=u.role, jurisdiction=u.jurisdiction, provider_id=u.provider,
                 person_id=u.person, lead=u.lead)


async def _history(sessions: Sessions, cases: list[str]) -> int:
    async with sessions() as s:
        return int((await s.execute(select(func.count()).select_from(AUDIT).where(
            AUDIT.c.case_id.in_([uuid.UUID(c) for c in cases])))).scalar_one())


async def run_matrix(api: Api, sessions: Sessions) -> Tally:
    document = api.http._transport.app.openapi()  # type: ignore[attr-defined]
    maker = Maker(api.http, api.settings, api.temporal, sessions)
    world, county, county_b = await maker.other_county()
    township, provider_b = await maker.other_township()
    rows: list[tuple[str, Actor, Objects]] = [(u, _actor(u), county) for u in ROLES]
    rows += [(u, _actor(u), township) for u in TOWNSHIP_A if u != "fuwu"]
    rows += [("fuwu", _actor("fuwu"), provider_b)]
    rows += [("provider A of the other county", world.actor(Role.PROVIDER, provider=world.provider_a), county_b)]
    watched = county.cases + township.cases
    before = await _history(sessions, watched)
    tally = Tally(failures=[], statuses=Counter())
    ops = operations(document)
    tally.operations = len(ops)
    for op in ops:
        unknown = op.unknown_id_params
        if unknown and set(unknown) <= NOT_YET:
            tally.uncovered.append(str(op))
            continue
        if unknown:
            tally.failures.append(f"{op}: path parameter(s) {unknown} name no known object kind; add it to "
                                  "tests/matrix/requests.OBJECT_PARAMS and its foreign instance to objects.py")
            continue
        for label, actor, objects in rows:
            headers = {"Authorization": f"Bearer {issue_token(actor, api.settings.token_secret, 3600)}"}
            await _one(api, document, op, label, headers, objects, tally)
    after = await _history(sessions, watched)
    if after != before:
        tally.failures.append(f"refused requests changed foreign cases' histories: {before} -> {after} rows")
    return tally


async def _one(api: Api, document: dict[str, Any], op: Operation, label: str, headers: dict[str, str],
               objects: Objects, tally: Tally) -> None:
    assert tally.failures is not None and tally.statuses is not None
    params = op.object_params
    if not params:
        if op.method != "get":
            return  # creates something of the asker's own: fuzzed elsewhere
        r = await api.http.request(**request_for(document, op, {}), headers=headers)
        tally.requests += 1
        tally.statuses[r.status_code] += 1
        # A county's providers and service items are its public directory (chosen at referral and review):
        # their existence is no secret, their accounts and cases are.
        leaked = [k for k, v in objects.ids.items() if k not in ("service_item", "provider") and v in r.text]
        if r.status_code < 300 and leaked:
            tally.failures.append(f"{op} as {label}: the list shows foreign {leaked}")
        return
    kinds = [OBJECT_PARAMS[p] for p in params]
    if not all(k in objects.ids for k in kinds):
        return  # this set has no object of that kind (e.g. no agreement in a township's set)
    foreign = {p: objects.ids[k] for p, k in zip(params, kinds, strict=True)}
    missing = {p: absent(k) for p, k in zip(params, kinds, strict=True)}
    f = await api.http.request(**request_for(document, op, foreign), headers=headers)
    a = await api.http.request(**request_for(document, op, missing), headers=headers)
    tally.requests += 2
    tally.statuses[f.status_code] += 1
    if f.status_code == 422:
        tally.invalid.add(str(op))
    if f.status_code < 300:
        tally.failures.append(f"{op} as {label}: {f.status_code} on a foreign {kinds}: {f.text[:200]}")
    elif f.status_code >= 500 or a.status_code >= 500:
        tally.failures.append(f"{op} as {label}: {f.status_code}/{a.status_code}")
    elif (f.status_code, scrub(f.text, foreign)) != (a.status_code, scrub(a.text, missing)):
        tally.failures.append(f"{op} as {label}: foreign {f.status_code} {f.text[:160]} "
                              f"!= absent {a.status_code} {a.text[:160]}")


async def test_foreign_objects_through_every_route_and_role(api: Api, sessions: Sessions) -> None:
    tally = await run_matrix(api, sessions)
    assert tally.failures is not None
    print(f"\njurisdiction matrix: {tally.operations} operations, {tally.requests} requests, "
          f"statuses {dict(sorted((tally.statuses or Counter()).items()))}; 422 on {sorted(tally.invalid)}; "
          f"not covered yet ({len(tally.uncovered)}): {tally.uncovered}")
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.requests > 200  # the matrix really ran (every role x every object route)


def test_the_demo_providers_are_the_matrix_providers() -> None:
    assert {u.provider for u in USERS if u.role == "provider"} == {PROVIDERS[0][0], PROVIDERS[1][0]}

"""Walk cases through the API while faults are injected, as a careful client would (every request with its
Idempotency-Key, retried with the same key on 503 or no answer), then count from the database and from Temporal.

What must hold: every case finished or visibly stuck; no step applied twice; the projection equals the workflow;
only 2xx, 4xx with a code, or 503 (and no answer while a process was down); every retried key answered, and
again with the same result when sent once more.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text
from temporalio.client import Client

from infra.db import make_engine
from infra.temporal import connect
from models.settings import Settings
from tests.faults.stack import Stack
from tests.flow import APPROVE, ARCHIVE, PLAN, PROVIDER_A, SURVEY, new_person
from tests.fuzz.stack import tokens
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id

STEPS: tuple[tuple[str, str, Any], ...] = (
    ("registration", "jiedao", {"need_category": "living"}),
    ("survey", "xieliyuan", SURVEY),
    ("review", "jiedao", APPROVE),
    ("referral", "jiedao", {"provider_id": PROVIDER_A}),
    ("referral/response", "fuwu", {"accept": True}),
    ("plan", "fuwu", PLAN),
    ("archive", "fuwu", ARCHIVE),
)
EXPECTED = ["open", "register", "survey", "review", "refer", "respond_referral", "file_plan", "build_archive"]


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    retried_keys: int = 0
    supervisor_restarts: int = 0
    replayed_keys: int = 0
    cases: list[str] = field(default_factory=list)
    finished: int = 0
    stuck: int = 0


class Walker:
    def __init__(self, stack: Stack, settings: Settings, tally: Tally, patience: float) -> None:
        self.stack, self.tally, self.patience = stack, tally, patience
        self.tokens = tokens(settings)
        self.run = uuid.uuid4().hex[:6]
        self.rng = random.Random(len(self.tokens))

    async def send(self, http: httpx.AsyncClient, path: str, user: str, body: Any, key: str) -> Any:
        """The request until it is answered (2xx or a refusal); None when it never was within the patience."""
        headers = {"Authorization": f"Bearer {self.tokens[user]}", "Idempotency-Key": key}
        deadline = asyncio.get_running_loop().time() + self.patience
        tries = 0
        while asyncio.get_running_loop().time() < deadline:
            tries += 1
            try:
                r = await http.post(path, json=body, headers=headers, timeout=40)
            except httpx.HTTPError as err:
                self.tally.statuses[f"no answer ({type(err).__name__})"] += 1
                await asyncio.sleep(1)
                continue
            self.tally.statuses[str(r.status_code)] += 1
            if r.status_code == 503:
                await asyncio.sleep(1)
                continue
            if r.status_code >= 500 or (r.status_code >= 400 and "code" not in r.json()):
                self.tally.findings.append(f"{path} [{key}]: {r.status_code} {r.text[:200]}")
                return None
            if r.status_code >= 400:
                self.tally.findings.append(f"{path} [{key}]: refused {r.status_code} {r.text[:200]}")
                return None
            if tries > 1:
                self.tally.retried_keys += 1
            return r.json()
        return None

    async def again(self, http: httpx.AsyncClient, path: str, user: str, body: Any, key: str, first: Any) -> None:
        """The same key once more: the original answer (a create answers with the same case)."""
        replay = await self.send(http, path, user, body, key)
        self.tally.replayed_keys += 1
        same = replay is not None and (replay.get("id") == first.get("id") if "id" in first else replay == first)
        if not same:
            self.tally.findings.append(f"{path} [{key}]: replay {replay} != original {first}")

    async def walk(self, http: httpx.AsyncClient, n: int) -> None:
        body = {"channel": "window", "need_description": "需要助洁", "person": new_person()}
        key = f"{self.run}-{n}-open"
        opened = await self.send(http, "/cases", "jiedao", body, key)
        if opened is None:
            return
        case = opened["id"]
        self.tally.cases.append(case)
        await self.again(http, "/cases", "jiedao", body, key, opened)
        for path, user, form in STEPS:
            await asyncio.sleep(self.rng.uniform(0.3, 0.9))  # a person's pace: the faults land mid-walk
            key = f"{self.run}-{n}-{path}"
            answer = await self.send(http, f"/cases/{case}/{path}", user, form, key)
            if answer is None:
                return
            await self.again(http, f"/cases/{case}/{path}", user, form, key, answer)


async def inject(stack: Stack, tally: Tally, faults: int, seed: int, done: asyncio.Event) -> None:
    rng = random.Random(seed)
    kinds = ("worker", "temporal", "postgres")
    for i in range(faults):
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        kind = kinds[i % len(kinds)]
        down = rng.uniform(1.0, 4.0)
        await {"worker": stack.kill_worker, "temporal": stack.kill_temporal,
               "postgres": stack.restart_postgres}[kind](down)
        tally.faults[kind] += 1


async def count(stack: Stack, database_url: str, settings: Settings, tally: Tally) -> None:
    """From the database and from Temporal, after the faults: duplicates, agreement, finished or stuck."""
    engine = make_engine(database_url, pool_size=2)
    client: Client = await connect(stack.temporal, settings.temporal_namespace, settings.payload_key)
    try:
        async with engine.connect() as conn:
            for case in tally.cases:
                actions = list((await conn.execute(text(
                    "SELECT action FROM audit_log WHERE case_id = :c AND seq IS NOT NULL ORDER BY seq"),
                    {"c": case})).scalars())
                if actions != EXPECTED[:len(actions)]:
                    tally.findings.append(f"case {case}: steps {actions}")
                row = (await conn.execute(text("SELECT step, seq, blocked_at FROM cases WHERE id = :c"),
                                          {"c": case})).one()
                state = await client.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(
                    uuid.UUID(case))).query(CaseWorkflow.state)
                if state is None or (state.position.step.value, state.seq) != (row.step, row.seq):
                    tally.findings.append(f"case {case}: projection {row.step}/{row.seq} != workflow "
                                          f"{state and (state.position.step.value, state.seq)}")
                if row.step == "dynamic_management":
                    tally.finished += 1
                else:
                    tally.stuck += 1  # visible: the projection and the workflow agree where it waits
            duplicates = (await conn.execute(text(
                "SELECT count(*) FROM (SELECT case_id, action FROM audit_log WHERE case_id IS NOT NULL "
                "AND seq IS NOT NULL GROUP BY case_id, action HAVING count(*) > 1) d"))).scalar_one()
            if duplicates:
                tally.findings.append(f"{duplicates} case actions applied more than once")
    finally:
        await engine.dispose()

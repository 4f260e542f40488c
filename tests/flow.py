"""Driving cases through the HTTP API as the demo users would: shared by the API tests and the bench."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx
from temporalio.client import Client

from devstack.seed import PROVIDERS, USERS, VILLAGE, demo_id_number, user_id
from infra.security import issue_token
from models.payloads.actor import Actor
from models.payloads.case import CaseState
from models.settings import Settings
from vocabulary.case import Dimension, DocumentKind, Role
from workflows.case import CaseWorkflow
from workflows.visibility import case_workflow_id

PROVIDER_A, PROVIDER_B = str(PROVIDERS[0][0]), str(PROVIDERS[1][0])


def new_person(village: str = VILLAGE, category: str = "tekun", conditions: tuple[str, ...] = ("incapacitated",),
               born: date | None = None, name: str = "王秀英") -> dict[str, Any]:
    """A person with a fresh synthetic ID number (correct check digit), so tests never collide."""
    born = born or date(1940, 1, 1) + timedelta(days=random.randrange(0, 20000))
    number = demo_id_number(born=born.strftime("%Y%m%d"), serial=f"{random.randrange(1000):03d}")
    return {"name": name, "id_number": number, "village_code": village, "category": category,
            "conditions": list(conditions)}


SURVEY: dict[str, Any] = {
    "visited_on": "2026-11-02",
    "surveyors": [{"name": "李协理", "role": "assistant"}, {"name": "刘村干", "role": "village_staff"}],
    "identity_checked": True,
    "signed_by_both": True,
    "assessments": [{"dimension": d.value, "score": 2} for d in Dimension],
    "own_requests": "希望每周上门助洁两次，每月探访",
    "existing_benefits": [],
}
APPROVE = {
    "decision": "approve", "reasons": "特困人员，失能，生活照料困难", "difficulty_type": "生活照料困难",
    "difficulty_degree": "severe",
    "items": [{"item_code": "cleaning_aid", "quantity_per_month": 8}, {"item_code": "visit", "quantity_per_month": 4}],
}
PLAN = {"starts_on": "2026-11-01", "summary": "每周两次助洁，每周一次探访", "items": APPROVE["items"]}
ARCHIVE = {"documents": [{"kind": k.value, "missing_reason": "本人暂未提供"} for k in DocumentKind]}


@dataclass
class Api:
    http: httpx.AsyncClient
    settings: Settings
    temporal: Client
    today: date  # the API's "today" (pinned for the test)
    _tokens: dict[str, str] = field(default_factory=dict)

    async def state(self, case: str) -> CaseState:
        """The case workflow's own state (what the deadline machinery sees)."""
        handle = self.temporal.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(UUID(case)))
        state = await handle.query(CaseWorkflow.state)
        assert state is not None
        return state

    def headers(self, username: str, key: str | None = None) -> dict[str, str]:
        if username not in self._tokens:
            u = next(u for u in USERS if u.username == username)
            actor = Actor(user_id=user_id(u.username), role=u.role, jurisdiction=u.jurisdiction,
                          provider_id=u.provider, person_id=u.person, lead=u.lead)
            self._tokens[username] = issue_token(actor, self.settings.token_secret, 3600)
        h = {"Authorization": f"Bearer {self._tokens[username]}"}
        if key:
            h["Idempotency-Key"] = key
        return h

    def applicant(self, person_id: str) -> dict[str, str]:
        """Headers for an applicant user linked to `person_id` (as the township links them at the window)."""
        actor = Actor(user_id=user_id(f"applicant-{person_id}"), role=Role.APPLICANT, jurisdiction=VILLAGE,
                      person_id=person_id)
        return {"Authorization": f"Bearer {issue_token(actor, self.settings.token_secret, 3600)}"}

    async def post(self, path: str, user: str, body: Any = None, key: str | None = None) -> httpx.Response:
        return await self.http.post(path, json=body, headers=self.headers(user, key))

    async def get(self, path: str, user: str, **params: Any) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.headers(user))

    async def ok(self, path: str, user: str, body: Any = None, key: str | None = None) -> dict[str, Any]:
        r = await self.post(path, user, body, key)
        assert r.status_code in (200, 201), (path, r.status_code, r.text)
        data: dict[str, Any] = r.json()
        return data

    # ---- the walk, one step at a time ------------------------------------------------------------

    async def open(self, user: str = "jiedao", person: dict[str, Any] | None = None,
                   channel: str = "window") -> str:
        body = {"channel": channel, "need_description": "独居老人，行动不便，需要上门助洁与探访",
                "person": person or new_person()}
        return str((await self.ok("/cases", user, body))["id"])

    async def to_survey(self, case: str) -> None:
        await self.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "living"})

    async def to_review(self, case: str) -> None:
        await self.ok(f"/cases/{case}/survey", "xieliyuan", SURVEY)

    async def to_referral(self, case: str) -> None:
        await self.ok(f"/cases/{case}/review", "jiedao", APPROVE)

    async def to_service(self, case: str, provider_user: str = "fuwu", provider: str = PROVIDER_A) -> None:
        await self.ok(f"/cases/{case}/referral", "jiedao", {"provider_id": provider})
        await self.ok(f"/cases/{case}/referral/response", provider_user, {"accept": True})

    async def to_archiving(self, case: str) -> None:
        await self.ok(f"/cases/{case}/plan", "fuwu", PLAN)

    async def to_dynamic_management(self, case: str) -> dict[str, Any]:
        return await self.ok(f"/cases/{case}/archive", "fuwu", ARCHIVE)

    async def walk(self, until: str) -> str:
        """Open a case and walk it until it waits in step `until`."""
        case = await self.open()
        order = ["survey", "review", "referral", "service", "archiving", "dynamic_management"]
        moves = [self.to_survey, self.to_review, self.to_referral, self.to_service, self.to_archiving,
                 self.to_dynamic_management]
        for step, move in zip(order, moves, strict=True):
            if until == "registration":
                break
            await move(case)
            if step == until:
                break
        return case



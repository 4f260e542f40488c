"""Objects of another jurisdiction, made through the API as their own users would make them: a case walked into
service (with its person, service record, archive and escalation notice), a statement, an agreement, a provider,
a service item — in another county (foreign to every demo user), in the demo county's other township (foreign to
township A's users and to provider A), and of another provider in the other county (foreign to its provider A).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from sqlalchemy import select, text

from devstack.seed import OTHER_VILLAGE, PROVIDERS, user_id
from infra.db import Sessions
from infra.security import issue_token
from models.payloads.actor import Actor
from models.settings import Settings
from models.settlement.tables import AGREEMENTS, STATEMENTS
from tests.document_samples import pdf_bytes
from tests.flow import APPROVE, ARCHIVE, PLAN, SURVEY, new_person
from tests.matrix.oversight_objects import People, oversight_objects
from tests.world import World, add_cases, add_record, at, make_world
from vocabulary.case import Role
from workflows.settlement import SettlementWorkflow

RECORD = {"item_code": "cleaning_aid", "started_at": "2026-11-05T14:00:00+08:00", "minutes": 60,
          "worker_name": "孙社工", "content": "清洁厨房"}


@dataclass
class Objects:
    """One object of each kind, by kind (the names of tests/matrix/requests.OBJECT_PARAMS)."""

    ids: dict[str, str] = field(default_factory=dict)
    cases: list[str] = field(default_factory=list)  # whose history must not change


class Maker:
    def __init__(self, http: httpx.AsyncClient, settings: Settings, temporal: Any, sessions: Sessions) -> None:
        self.http, self.settings, self.temporal, self.sessions = http, settings, temporal, sessions

    def headers(self, actor: Actor) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(actor, self.settings.token_secret, 3600)}"}

    async def ok(self, method: str, path: str, actor: Actor, body: Any = None) -> Any:
        r = await self.http.request(method, path, json=body, headers=self.headers(actor))
        assert r.status_code in (200, 201, 202), (method, path, r.status_code, r.text)
        return r.json()

    async def upload(self, path: str, actor: Actor, name: str, data: bytes) -> Any:
        r = await self.http.post(path, headers=self.headers(actor), files={"file": (name, data, "text/csv")})
        assert r.status_code in (200, 201, 202), (path, r.status_code, r.text)
        return r.json()

    async def walked_case(self, opener: Actor, worker: Actor, assistant: Actor, provider: Actor,
                          village: str) -> dict[str, str]:
        """A case in service, with a service record and an escalation notice; returns its objects."""
        case = (await self.ok("POST", "/cases", opener, {"channel": "window", "need_description": "需要助洁",
                                                        "person": new_person(village=village)}))["id"]
        await self.ok("POST", f"/cases/{case}/registration", worker, {"need_category": "living"})
        await self.ok("POST", f"/cases/{case}/survey", assistant, SURVEY)
        await self.ok("POST", f"/cases/{case}/review", worker, APPROVE)
        await self.ok("POST", f"/cases/{case}/referral", worker, {"provider_id": str(provider.provider_id)})
        await self.ok("POST", f"/cases/{case}/referral/response", provider, {"accept": True})
        await self.ok("POST", f"/cases/{case}/plan", provider, PLAN)
        record = (await self.ok("POST", f"/cases/{case}/service-records", provider, RECORD))["id"]
        pdf = {"file": ("id.pdf", pdf_bytes(), "application/pdf")}
        upload = await self.http.post(f"/cases/{case}/archive/files", headers=self.headers(provider),
                                      data={"kind": "id_card"}, files=pdf)
        assert upload.status_code == 201, upload.text
        await self.ok("POST", f"/cases/{case}/archive", provider, ARCHIVE)
        detail = await self.ok("GET", f"/cases/{case}", worker)
        notification = uuid.uuid4()
        async with self.sessions.begin() as s:  # an escalation notice addressed to the case's worker
            await s.execute(text("""
                INSERT INTO notifications (id, case_id, deadline_seq, rung, step, due_on, recipient_user_id,
                                           recipient_role, recipient_scope, lead_only, message, created_at)
                VALUES (:id, :case, 999, 'due', 'review', DATE '2026-10-30', :user, 'township_worker', :scope,
                        false, '办理时限已到期', now())"""),
                {"id": notification, "case": uuid.UUID(case), "user": worker.user_id, "scope": village[:9]})
        return {"case": case, "person": detail["person_id"], "service_record": record,
                "notification": str(notification), "document": upload.json()["id"]}

    async def other_county(self) -> tuple[World, Objects, Objects]:
        """Another county's objects (foreign to every demo user), and its provider B's (foreign to its provider A)."""
        w = await make_world(self.sessions)
        provider_a = w.actor(Role.PROVIDER, provider=w.provider_a)
        case = await self.walked_case(w.township_worker, w.township_worker, w.actor(Role.VILLAGE_ASSISTANT),
                                      provider_a, w.village)
        item = {"code": "matrix_only", "category": "care", "name": "仅外县有的事项", "unit": "hour",
                "government_funded": False}
        await self.ok("POST", "/service-items", w.officer, item)
        oversight = await oversight_objects(self, People(w.officer, w.township_worker, w.actor(Role.VILLAGE_ASSISTANT),
                                                         provider_a, w.village, case["case"]), w.county)
        async with self.sessions.begin() as s:
            for provider in (w.provider_a, w.provider_b):
                for c in await add_cases(s, w, 1, provider=provider):
                    await add_record(s, c, provider, "cleaning_aid", at(date(2026, 10, 6)))
        started = await self.ok("POST", "/settlement/runs", w.officer, {"period": "2026-10"})
        await self.temporal.get_workflow_handle_for(SettlementWorkflow.run, started["workflow_id"]).result()
        async with self.sessions() as s:
            statements = {r.provider_id: str(r.id) for r in (await s.execute(
                select(STATEMENTS.c.id, STATEMENTS.c.provider_id).where(STATEMENTS.c.county_code == w.county)))}
            agreement = (await s.execute(select(AGREEMENTS.c.id).where(AGREEMENTS.c.county_code == w.county)
                                         .limit(1))).scalar_one()
            b_case = (await s.execute(text("SELECT id FROM cases WHERE provider_id = :p"),
                                      {"p": w.provider_b})).scalar_one()
        county = Objects({**case, **oversight, "statement": statements[w.provider_a], "agreement": str(agreement),
                          "provider": str(w.provider_a), "service_item": "matrix_only"}, [case["case"]])
        of_b = Objects({"case": str(b_case), "statement": statements[w.provider_b], "provider": str(w.provider_b)})
        return w, county, of_b

    async def other_township(self) -> tuple[Objects, Objects]:
        """The demo county's township B: a case of its village, referred to provider B (foreign to township A's
        users), and provider B itself (foreign to provider A; the county's workers may read it)."""
        def demo(username: str, role: Role, where: str, provider: uuid.UUID | None = None) -> Actor:
            return Actor(user_id=user_id(username), role=role, jurisdiction=where, provider_id=provider)

        worker = demo("jiedao2", Role.TOWNSHIP_WORKER, OTHER_VILLAGE[:9])
        assistant = demo("xieliyuan2", Role.VILLAGE_ASSISTANT, OTHER_VILLAGE)
        provider = demo("fuwu2", Role.PROVIDER, OTHER_VILLAGE[:6], PROVIDERS[1][0])
        case = await self.walked_case(worker, worker, assistant, provider, OTHER_VILLAGE)
        who = People(demo("minzheng", Role.COUNTY_OFFICER, OTHER_VILLAGE[:6]), worker, assistant, provider,
                     OTHER_VILLAGE, case["case"])
        # township B's user: one of the demo users (a township A lead manages only township A's)
        oversight = await oversight_objects(self, who, "b", user=str(user_id("xieliyuan2")))
        of_b = {k: oversight[k] for k in ("complaint", "rectification")}  # provider B's, foreign to provider A
        return (Objects({**case, **oversight}, [case["case"]]),
                Objects({**case, **of_b, "provider": str(PROVIDERS[1][0])}))


def absent(kind: str) -> str:
    return "absent_item" if kind == "service_item" else str(uuid.uuid4())


"""Creating oversight records with an Idempotency-Key: the same request again (a retry after a lost answer)
answers the record made the first time, 200, and makes no second one; the same key with another request is
refused, 422 idempotency_key_reused, and changes nothing. (Without a key, each request is a new record.)"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from infra.db import Sessions
from tests.api.conftest import Http
from tests.world import World, add_cases
from vocabulary.case import Role

REUSED = (422, "idempotency_key_reused",
          "该 Idempotency-Key 已用于另一项不同的请求；新的请求请使用新的 Idempotency-Key")
LETTER = {"channel": "letter", "category": "other", "content": "来信反映助餐送达不及时"}


async def count(sessions: Sessions, sql: str, **params: Any) -> int:
    async with sessions() as s:
        return int((await s.execute(text(sql), params)).scalar_one())


def refusal(r: Any) -> tuple[int, str, str]:
    return r.status_code, r.json()["code"], r.json()["message"]


async def test_a_retried_complaint_is_one_complaint(ohttp: Http, world: World, sessions: Sessions) -> None:
    officer = world.officer
    body = {**LETTER, "township_code": world.township}
    first = await ohttp.post("/complaints", officer, body, key="letter-0001")
    assert first.status_code == 201, first.text
    again = await ohttp.post("/complaints", officer, body, key="letter-0001")
    assert (again.status_code, again.json()) == (200, first.json())
    racing = await asyncio.gather(*(ohttp.post("/complaints", officer, body, key="letter-0002") for _ in range(3)))
    assert sorted(r.status_code for r in racing) == [200, 200, 201]
    assert len({r.json()["id"] for r in racing}) == 1
    other = await ohttp.post("/complaints", officer, {**body, "content": "另一封来信"}, key="letter-0001")
    assert refusal(other) == REUSED
    assert await count(sessions, "SELECT count(*) FROM complaints WHERE county_code = :c", c=world.county) == 2
    assert await count(sessions, "SELECT count(*) FROM tasks WHERE kind = 'complaint_acceptance' AND subject_id IN "
                                 "(SELECT id FROM complaints WHERE county_code = :c)", c=world.county) == 2
    # The key is the user's: another user's same key is another request.
    worker = await ohttp.post("/complaints", world.township_worker, body, key="letter-0001")
    assert worker.status_code == 201 and worker.json()["id"] != first.json()["id"]


async def test_publication_objection_inspector_and_draw_are_made_once(ohttp: Http, world: World,
                                                                     sessions: Sessions) -> None:
    async with sessions.begin() as s:
        await add_cases(s, world, 1)
    worker, officer = world.township_worker, world.officer
    where = {"village_code": world.village}
    first = await ohttp.post("/notices/publications", worker, where, key="pub-1")
    again = await ohttp.post("/notices/publications", worker, where, key="pub-1")
    assert (first.status_code, again.status_code, again.json()) == (201, 200, first.json())
    assert [p["seq"] for p in first.json()] == [1]
    assert refusal(await ohttp.post("/notices/publications", worker, {"township_code": world.township},
                                    key="pub-1")) == REUSED
    assert await count(sessions, "SELECT count(*) FROM notice_publications WHERE village_code = :v",
                       v=world.village) == 1

    pub = first.json()[0]["id"]
    assistant = world.actor(Role.VILLAGE_ASSISTANT)
    said = {"content": "此人已随子女外出居住", "line_no": 1}
    objection = await ohttp.post(f"/notices/publications/{pub}/objections", assistant, said, key="obj-1")
    repeated = await ohttp.post(f"/notices/publications/{pub}/objections", assistant, said, key="obj-1")
    assert (objection.status_code, repeated.status_code, repeated.json()) == (201, 200, objection.json())
    assert refusal(await ohttp.post(f"/notices/publications/{pub}/objections", assistant,
                                    {**said, "line_no": None}, key="obj-1")) == REUSED
    assert await count(sessions, "SELECT count(*) FROM objections WHERE village_code = :v", v=world.village) == 1

    inspector = await ohttp.post("/checks/inspectors", officer, {"name": "县检查员甲"}, key="insp-1")
    same = await ohttp.post("/checks/inspectors", officer, {"name": "县检查员甲"}, key="insp-1")
    assert (inspector.status_code, same.status_code, same.json()) == (201, 200, inspector.json())
    assert refusal(await ohttp.post("/checks/inspectors", officer, {"name": "县检查员乙"}, key="insp-1")) == REUSED
    assert await count(sessions, "SELECT count(*) FROM inspectors WHERE county_code = :c", c=world.county) == 1

    draw = {"year": 2026, "percent": 100, "seed": "seed-2026"}
    drawn = await ohttp.post("/checks/draws", officer, draw, key="draw-2026")
    redrawn = await ohttp.post("/checks/draws", officer, draw, key="draw-2026")
    assert (drawn.status_code, redrawn.status_code, redrawn.json()) == (201, 200, drawn.json())
    assert await count(sessions, "SELECT count(*) FROM check_draws WHERE county_code = :c", c=world.county) == 1

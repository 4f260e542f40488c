"""Small helpers shared by the browser tests: fresh people and the China-time dates the forms are given."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from devstack.seed import demo_id_number
from policy.deadlines import CHINA
from tests.flow import SURVEY
from tests.web.conftest import token


def today() -> date:
    return datetime.now(CHINA).date()


def yesterday() -> str:
    """A day that is past whatever the hour: services entered for it are never 'in the future'."""
    return (today() - timedelta(days=1)).isoformat()


def new_id_number() -> str:
    born = date(1935, 1, 1) + timedelta(days=random.randrange(0, 15000))
    return demo_id_number(born=born.strftime("%Y%m%d"), serial=f"{random.randrange(1000):03d}")


NAMES = "赵钱孙李周吴郑王冯陈"


def person_name() -> str:
    return random.choice(NAMES) + random.choice("秀兰桂英玉珍凤芳淑华") + random.choice("英珍兰华芳")


def open_case(http: httpx.Client, name: str, village: str = "341702001001", category: str = "tekun") -> str:
    body = {"channel": "window", "need_description": "独居老人，行动不便，需要上门助洁",
            "person": {"name": name, "id_number": new_id_number(), "village_code": village, "category": category,
                       "conditions": ["incapacitated"]}}
    r = http.post("/cases", json=body, headers=token(http, "jiedao"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def walk_to_archiving(http: httpx.Client, name: str, plan_start: str) -> str:
    """A case walked over HTTP (by the township, the assistant and the provider) until it waits in 建立档案."""
    case = open_case(http, name)
    items = [{"item_code": "cleaning_aid", "quantity_per_month": 8}, {"item_code": "visit", "quantity_per_month": 4}]
    moves: list[tuple[str, str, dict[str, Any]]] = [
        ("registration", "jiedao", {"need_category": "living"}),
        ("survey", "xieliyuan", SURVEY),
        ("review", "jiedao", {"decision": "approve", "reasons": "特困人员，失能", "difficulty_type": "生活照料困难",
                              "difficulty_degree": "severe", "items": items}),
        ("referral", "jiedao", {"provider_id": "00000000-0000-4000-8000-000000000101"}),
        ("referral/response", "fuwu", {"accept": True}),
        ("plan", "fuwu", {"starts_on": plan_start, "summary": "每周两次助洁", "items": items}),
    ]
    for path, user, body in moves:
        r = http.post(f"/cases/{case}/{path}", json=body, headers=token(http, user))
        assert r.status_code == 200, (path, r.text)
    return case

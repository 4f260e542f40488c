"""Logs are JSON lines with a request id and the case id, and never personal data: a case is walked with a
known ID number, name, phone number and address (in the free text a worker types), with every logger at DEBUG
(SQLAlchemy's statements included), and every captured line is scanned for them."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from devstack.seed import demo_id_number
from infra.db import make_engine
from infra.logs import configure, mask
from tests.flow import APPROVE, Api

ID_NUMBER = demo_id_number(born="19390517", serial="472")
NAME = "欧阳秀珍"
PHONE = "13912345678"
ADDRESS = "杏花村路88号3栋"
WRONG_CHECK = "1" if ID_NUMBER[-1] != "1" else "2"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, logging.getLogger("uvicorn.access").disabled)
    out = io.StringIO()
    configure("assistflow-test", "DEBUG", stream=out)
    yield out
    root.handlers, root.level = saved[0], saved[1]
    logging.getLogger("uvicorn.access").disabled = saved[2]


async def test_a_walk_with_known_personal_data_leaves_none_of_it_in_the_logs(api: Api, captured: io.StringIO) -> None:
    person = {"name": NAME, "id_number": ID_NUMBER, "village_code": "341702001001", "category": "tekun",
              "conditions": ["incapacitated"]}
    need = f"独居，住{ADDRESS}，联系电话{PHONE}，需要上门助洁"
    case = (await api.ok("/cases", "jiedao", {"channel": "window", "need_description": need, "person": person}))["id"]
    await api.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "living", "note": f"电话{PHONE}"})
    await api.to_review(case)
    await api.ok(f"/cases/{case}/review", "jiedao", {**APPROVE, "reasons": f"{NAME}，特困人员，住{ADDRESS}"})
    # Refusals and bad input that carry the same data must not put it in a log either.
    same_number = await api.post("/cases", "jiedao", {"channel": "window", "need_description": need,
                                                      "person": {**person, "name": "别的名字"}})
    assert same_number.status_code in (409, 422)
    bad = await api.post("/cases", "jiedao", {"channel": "window", "need_description": need,
                                              "person": {**person, "id_number": ID_NUMBER[:-1] + WRONG_CHECK}})
    assert bad.status_code == 422
    await api.http.get(f"/cases?name={NAME}", headers=api.headers("jiedao"))

    lines = [line for line in captured.getvalue().splitlines() if line.strip()]
    assert len(lines) > 20, "nothing was logged: the test would prove nothing"
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    for secret in (ID_NUMBER, NAME, PHONE, ADDRESS, ID_NUMBER[:6] + ID_NUMBER[6:14]):
        assert not [line for line in lines if secret in line], secret
    requests = [r for r in records if r.get("msg") == "request"]
    assert requests and all(r["request_id"] and "?" not in r["route"] for r in requests)
    assert any(r.get("case_id") == case and r["route"] == "/cases/{case_id}/review" for r in requests)
    assert any(r.get("case_id") == case and r["logger"] == "temporalio.activity" for r in records)  # the worker's


async def test_a_failed_statement_logs_neither_its_parameters_nor_its_values(database_url: str,
                                                                             captured: io.StringIO) -> None:
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # statements logged, as with echo=True
    engine = make_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO persons (id, id_hash, name) VALUES (:i, :h, :n)"),
                               {"i": uuid.uuid4(), "h": ID_NUMBER, "n": NAME})
    except DBAPIError:
        logging.getLogger("assistflow.test").exception("insert failed")
    finally:
        await engine.dispose()
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)
    logged = captured.getvalue()
    assert "INSERT INTO persons" in logged and "insert failed" in logged
    assert NAME not in logged and ID_NUMBER not in logged, [line for line in logged.splitlines() if NAME in line]


def test_the_formatter_masks_id_numbers_and_mobile_numbers_as_a_second_line_of_defence() -> None:
    masked = mask(f"x {ID_NUMBER} y {PHONE} z 2026-11-02 12345\nDETAIL:  Failing row contains (1, {NAME}).\nnext")
    assert masked == "x [身份证号已隐藏] y [手机号已隐藏] z 2026-11-02 12345\nDETAIL: [已隐藏]\nnext"

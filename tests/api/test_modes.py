"""The modes serving a person, on their case (池州方案 三(六)): the purchase referral shows once the provider
serves, every other mode's delivery is listed beside it (written once however often it is recorded), an ended one
stays with its end date, and another township's worker finds the list exactly as an unknown case's."""

from __future__ import annotations

import uuid
from datetime import date
from uuid import UUID

from activities.modes.register import Serving, end, serve
from infra.db import Sessions
from tests.flow import Api
from vocabulary.modes import PartyKind, ServiceMode


async def test_case_lists_every_mode_serving_the_person(api: Api, sessions: Sessions) -> None:
    case = await api.walk("referral")
    assert (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"] == []  # referred, not yet accepted

    await api.to_service(case)
    pairing = uuid.uuid4()
    visit = Serving(UUID(case), ServiceMode.PARTY, pairing, PartyKind.PARTY_MEMBER, "城关社区第一党支部",
                    "结对帮扶：每月走访慰问", date(2026, 3, 2))
    async with sessions() as session, session.begin():
        await serve(session, visit)
        await serve(session, visit)  # recorded again: one row
    async with sessions() as session, session.begin():
        await end(session, ServiceMode.PARTY, pairing, date(2026, 9, 30), "结对调整")
        await end(session, ServiceMode.PARTY, pairing, date(2026, 10, 31), "再次结束")  # the first end stays

    modes = (await api.get(f"/cases/{case}/modes", "jiedao")).json()["modes"]
    assert [(m["mode_name"], m["party_name"]) for m in modes] == [
        ("政府购买服务", "贵池区阳光社会工作服务中心"), ("“党建+救助”服务", "城关社区第一党支部")]
    assert modes[0]["paid_by_settlement"] is True and modes[0]["ended_on"] is None
    assert (modes[1]["ended_on"], modes[1]["end_reason"]) == ("2026-09-30", "结对调整")
    assert modes[1]["paid_by_settlement"] is False

    foreign = await api.get(f"/cases/{case}/modes", "jiedao2")
    absent = await api.get(f"/cases/{uuid.uuid4()}/modes", "jiedao2")
    assert foreign.status_code == absent.status_code == 404
    assert foreign.json() == absent.json()

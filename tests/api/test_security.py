"""Logins and tokens: JWT with exp/iat/jti, refresh rotation, logout, lockout; the audit trail read by the
auditor and verified against its hash chain; every read of an ID number recorded (issue #11, security)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import jwt
import pytest
from sqlalchemy import select, text

from activities.documents.store import DocumentStore
from api.deps import Resources
from api.main import create_app
from infra.audit_chain import verify
from infra.db import Sessions
from infra.security import hash_password
from models.tables import AUDIT, User
from tests.conftest import SETTINGS
from tests.flow import Api, new_person
from vocabulary.case import Role

PASSWORD = "correct horse battery staple"


async def _user(sessions: Sessions, role: Role = Role.TOWNSHIP_WORKER, active: bool = True) -> str:
    name = f"u{uuid.uuid4().hex[:10]}"
    async with sessions.begin() as s:
        s.add(User(username=name, full_name="测试用户", role=role.value, jurisdiction="341702001",
                   password_hash=hash_password(PASSWORD), active=active))
    return name


@pytest.fixture
async def http(api: Api, sessions: Sessions, documents: DocumentStore) -> AsyncIterator[httpx.AsyncClient]:
    """The API as a client at its own address (lockouts per address stay with this test)."""
    settings = api.settings.model_copy(update={"login_failures_per_address": 8})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=api.temporal, documents=documents)
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def _login(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/auth/token", data={"username": username, "password": password})


async def test_tokens_are_jwts_refreshed_by_rotation_and_ended_by_logout(http: httpx.AsyncClient,
                                                                         sessions: Sessions) -> None:
    name = await _user(sessions)
    r = await _login(http, name)
    assert r.status_code == 200, r.text
    tokens = r.json()
    claims = jwt.decode(tokens["access_token"], SETTINGS.token_secret, algorithms=["HS256"])
    assert {"exp", "iat", "jti", "sub"} <= set(claims)
    assert claims["exp"] - claims["iat"] <= SETTINGS.access_token_minutes * 60 + 1  # short-lived
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await http.get("/auth/me", headers=bearer)).status_code == 200

    rotated = await http.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    fresh = rotated.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    # The used refresh token presented again: someone holds a copy, so the whole family ends.
    stolen = await http.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert (stolen.status_code, stolen.json()["code"]) == (401, "invalid_refresh_token")
    assert (await http.post("/auth/refresh", json={"refresh_token": fresh["refresh_token"]})).status_code == 401

    again = (await _login(http, name)).json()
    bearer = {"Authorization": f"Bearer {again['access_token']}"}
    out = await http.post("/auth/logout", headers=bearer, json={"refresh_token": again["refresh_token"]})
    assert out.status_code == 204, out.text
    assert (await http.get("/auth/me", headers=bearer)).status_code == 401
    assert (await http.post("/auth/refresh", json={"refresh_token": again["refresh_token"]})).status_code == 401


async def test_a_logout_in_another_api_process_reaches_this_one(api: Api, sessions: Sessions,
                                                                documents: DocumentStore) -> None:
    """Each API process holds the deny list and reloads it every `revocation_cache_seconds`: a token logged out
    through another process (here: its row written directly) is refused here once that time has passed."""
    settings = api.settings.model_copy(update={"revocation_cache_seconds": 0.2})
    app = create_app(settings)
    app.state.resources = Resources(settings=settings, sessions=sessions, temporal=api.temporal, documents=documents)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        token = (await _login(http, await _user(sessions))).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert (await http.get("/auth/me", headers=bearer)).status_code == 200
        claims = jwt.decode(token, SETTINGS.token_secret, algorithms=["HS256"])
        async with sessions.begin() as s:  # what the other process's logout commits
            await s.execute(text("INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES (:j, :u, :e)"),
                            {"j": claims["jti"], "u": uuid.UUID(claims["sub"]),
                             "e": datetime.fromtimestamp(claims["exp"], UTC)})
        await asyncio.sleep(0.3)
        r = await http.get("/auth/me", headers=bearer)
        assert (r.status_code, r.json()["code"]) == (401, "invalid_token")


async def test_a_forged_or_expired_token_is_refused(http: httpx.AsyncClient, sessions: Sessions) -> None:
    name = await _user(sessions)
    token = (await _login(http, name)).json()["access_token"]
    claims = jwt.decode(token, SETTINGS.token_secret, algorithms=["HS256"])
    promoted = {**claims, "act": {**claims["act"], "role": "county_officer"}}
    forged = jwt.encode(promoted, "another-secret-of-32-bytes-long!")
    expired = jwt.encode({**claims, "exp": 1_000_000_000}, SETTINGS.token_secret)
    none_alg = jwt.encode(claims, None, algorithm="none")
    for bad in (forged, expired, none_alg):
        r = await http.get("/auth/me", headers={"Authorization": f"Bearer {bad}"})
        assert (r.status_code, r.json()["code"]) == (401, "invalid_token")


async def test_repeated_failures_lock_the_username_then_the_address(http: httpx.AsyncClient,
                                                                   sessions: Sessions) -> None:
    name = await _user(sessions)
    for _ in range(SETTINGS.login_failures_per_user):
        assert (await _login(http, name, "wrong")).status_code == 401
    locked = await _login(http, name)  # even the right password, while locked
    assert (locked.status_code, locked.json()["code"]) == (429, "login_locked"), locked.text
    assert "分钟后再试" in locked.json()["message"]
    # Guessing across usernames from one address locks the address (8 in this test's settings).
    other = await _user(sessions)
    for i in range(4):
        await _login(http, f"nobody-{i}", "wrong")
    assert (await _login(http, other)).status_code == 429


async def test_a_deactivated_user_cannot_log_in_or_refresh(http: httpx.AsyncClient, sessions: Sessions) -> None:
    name = await _user(sessions)
    tokens = (await _login(http, name)).json()
    async with sessions.begin() as s:
        await s.execute(text("UPDATE users SET active = false WHERE username = :n"), {"n": name})
    assert (await _login(http, name)).status_code == 401
    assert (await http.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).status_code == 401


async def test_the_auditor_reads_exports_and_verifies_the_trail(api: Api, sessions: Sessions) -> None:
    case = await api.open()
    await api.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "care"})
    page = (await api.get("/audit", "shenji", case_id=case)).json()
    assert [r["action"] for r in page["items"]] == ["open", "register"]
    assert all(r["row_hash"] and r["chain_seq"] for r in page["items"])
    assert (await api.get("/audit", "jiedao", case_id=case)).status_code == 403
    export = await api.get("/audit/export", "shenji", case_id=case, format="csv")
    assert export.status_code == 200 and export.content.startswith("\ufeff".encode())
    assert "受理登记" in export.content.decode("utf-8-sig")
    assert (await api.get("/audit/verify", "shenji")).json()["ok"] is True


async def test_tampering_with_a_row_breaks_the_chain(api: Api, sessions: Sessions) -> None:
    case = await api.open()
    await api.ok(f"/cases/{case}/registration", "jiedao", {"need_category": "care"})  # the open row is not last
    async with sessions() as s:
        assert (await verify(s)).ok
        seq = (await s.execute(select(AUDIT.c.chain_seq).where(AUDIT.c.case_id == uuid.UUID(case),
                                                                AUDIT.c.seq == 1))).scalar_one()
        await s.execute(text("UPDATE audit_log SET actor_role = 'county_officer' WHERE chain_seq = :n"), {"n": seq})
        report = await verify(s)
        assert (report.ok, report.broken_at) == (False, seq)
        await s.rollback()
    async with sessions() as s:
        await s.execute(text("DELETE FROM audit_log WHERE chain_seq = :n"), {"n": seq})
        assert (await verify(s)).broken_at == seq + 1  # a row taken out shows at the next one
        await s.rollback()


async def test_every_read_of_an_id_number_is_recorded(api: Api, sessions: Sessions) -> None:
    person = new_person()
    case = await api.open(person=person)
    person_id = (await api.get(f"/cases/{case}", "jiedao")).json()["person_id"]
    profile = await api.get(f"/persons/{person_id}", "jiedao")
    assert profile.status_code == 200 and person["id_number"] not in profile.text
    since = datetime.now(UTC)
    r = await api.get(f"/persons/{person_id}/id-number", "jiedao", purpose="核对身份")
    assert (r.status_code, r.json()["id_number"]) == (200, person["id_number"])
    async with sessions() as s:
        read = (await s.execute(select(AUDIT).where(AUDIT.c.action == "read_sensitive", AUDIT.c.at >= since))).all()
    assert [(x.after["person_id"], x.after["purpose"]) for x in read] == [(person_id, "核对身份")]
    for who in ("jiedao2", "fuwu"):  # another township; a provider the case is not referred to
        assert (await api.get(f"/persons/{person_id}/id-number", who, purpose="核对身份")).status_code in (403, 404)
        assert (await api.get(f"/persons/{person_id}", who)).status_code == 404

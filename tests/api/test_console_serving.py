"""The console is served by the API under /console/ (deep links get the app, files are files) while every JSON
path answers as before; without a build the API works and / says how to build the console."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
import pytest

from api.deps import Resources
from api.main import create_app
from api.routes import console
from tests.conftest import SETTINGS

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=app></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log('工作台')", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress("console.log('工作台')".encode()))
    return tmp_path


def client(monkeypatch: pytest.MonkeyPatch, dist: Path) -> httpx.AsyncClient:
    monkeypatch.setattr(console, "DIST", dist)
    app = create_app()
    # No database or Temporal behind it: these requests are refused at the login check or never reach the API.
    app.state.resources = Resources(settings=SETTINGS, sessions=None, temporal=None, documents=None)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_deep_links_get_the_app_and_files_are_files(monkeypatch: pytest.MonkeyPatch, dist: Path) -> None:
    async with client(monkeypatch, dist) as http:
        root = await http.get("/", headers=HTML)
        assert (root.status_code, root.headers["location"]) == (307, "/console/")
        for path in ("/console/", "/console/cases/4f1c0d1e-1111-4222-8333-944444444444", "/console/supervision/stuck"):
            page = await http.get(path, headers=HTML)
            assert page.status_code == 200 and "<div id=app>" in page.text, path
            assert page.headers["cache-control"] == "no-cache"
        asset = await http.get("/console/assets/index-abc123.js", headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
        assert "immutable" in asset.headers["cache-control"] and "工作台" in asset.text
        assert asset.headers["content-type"].startswith(("application/javascript", "text/javascript"))
        plain = await http.get("/console/assets/index-abc123.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and "工作台" in plain.text
        assert (await http.get("/console/assets/missing-123.js")).status_code == 404
        outside = await http.get("/console/%2e%2e/%2e%2e/pyproject.toml")  # never a file outside the build
        assert "setuptools" not in outside.text


async def test_json_paths_answer_as_before(monkeypatch: pytest.MonkeyPatch, dist: Path) -> None:
    async with client(monkeypatch, dist) as http:
        for path in ("/cases", "/inbox/tasks", "/cases/4f1c0d1e-1111-4222-8333-944444444444"):
            r = await http.get(path, headers=HTML)  # a browser's Accept does not turn an API path into the app
            assert r.status_code == 401 and r.json()["code"] == "not_authenticated", path
        missing = await http.get("/no-such-path", headers=HTML)
        assert missing.status_code == 404 and missing.json()["code"] == "http_404"
        spec = (await http.get("/openapi.json")).json()
        assert not any(p.startswith("/console") for p in spec["paths"]) and "/" not in spec["paths"]


async def test_without_a_build_the_api_works_and_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    async with client(monkeypatch, tmp_path / "absent") as http:
        root = await http.get("/", headers=HTML)
        assert root.status_code == 200 and "工作台尚未构建" in root.text and "scripts/setup" in root.text
        assert (await http.get("/console/cases/x", headers=HTML)).status_code == 503
        assert (await http.get("/cases")).json()["code"] == "not_authenticated"

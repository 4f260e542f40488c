"""The web console (工作台), served by the API process itself: no CDN, nothing else to deploy on a county's LAN.

Every console page lives under `/console/`, a prefix no JSON API path uses, so a deep link can never be
mistaken for an API call: `/console/<file>` is a file of the built console (`web/dist`), any other
`/console/...` path is a page of the console's router and gets `index.html`. `/` sends a browser to the
console. Hashed assets are cached for good, `index.html` never, and a gzip twin written at build time is sent
to browsers that accept it. Without a build the JSON API works as ever and `/` says how to build the console.
"""

from __future__ import annotations

import gzip
import mimetypes
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from models.settings import PROJECT_ROOT

PREFIX = "/console"
DIST = PROJECT_ROOT / "web" / "dist"
_IMMUTABLE = "public, max-age=31536000, immutable"
_MISSING = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>assistflow</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>工作台尚未构建</h1><p>接口服务正常运行（接口文档见 <a href="/docs">/docs</a>）。
运行 <code>scripts/setup</code>（或 <code>scripts/start</code>）即可构建工作台。</p>
<p lang="en">The console is not built (web/dist is missing); the JSON API works. Run scripts/setup.</p></body></html>
"""


def _file(dist: Path, rel: str, request: Request) -> Response | None:
    """The file at `rel` under `dist` (its gzip twin when the browser takes gzip), or None."""
    path = (dist / rel).resolve()
    if not path.is_relative_to(dist) or not path.is_file():
        return None
    headers = {"Cache-Control": _IMMUTABLE if rel.startswith("assets/") else "no-cache", "Vary": "Accept-Encoding"}
    twin = path.with_name(path.name + ".gz")
    if "gzip" in request.headers.get("accept-encoding", "") and twin.is_file():
        media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(twin, media_type=media, headers={**headers, "Content-Encoding": "gzip"})
    return FileResponse(path, headers=headers)


@lru_cache(maxsize=4)
def _index_bytes(path: Path, mtime: float) -> tuple[bytes, bytes]:
    """index.html and its gzip, read once per build (every deep link gets it: no disk read per request)."""
    raw = path.read_bytes()
    return raw, gzip.compress(raw)


def _index(dist: Path, request: Request) -> Response:
    path = dist / "index.html"
    raw, zipped = _index_bytes(path, path.stat().st_mtime)
    headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(zipped, media_type="text/html; charset=utf-8", headers={**headers, "Content-Encoding": "gzip"})
    return Response(raw, media_type="text/html; charset=utf-8", headers=headers)


def mount(app: FastAPI, dist: Path | None = None) -> None:
    """Add the console's routes to `app`; the JSON API's routes are untouched."""
    dist = (dist or DIST).resolve()
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def root() -> Response:
        if not (dist / "index.html").is_file():
            return HTMLResponse(_MISSING)
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    @router.get(PREFIX)
    @router.get(PREFIX + "/{rel:path}")
    async def page(request: Request, rel: str = "") -> Response:
        if not (dist / "index.html").is_file():
            return HTMLResponse(_MISSING, status_code=503)
        found = _file(dist, rel, request) if rel else None
        if found is not None:
            return found
        if "." in rel.rsplit("/", 1)[-1]:  # a file that is not there: a 404, never the app in its place
            return Response("Not Found", status_code=404, media_type="text/plain")
        return _index(dist, request)

    app.include_router(router)

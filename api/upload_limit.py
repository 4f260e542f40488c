"""Caps the body of upload requests before it is parsed: Starlette's multipart parser would otherwise spool a
body of any size to disk before the route sees its first byte. A declared Content-Length over the cap is
refused at once; a chunked body is counted as it arrives and refused when it passes the cap. The per-kind
limits (`policy.documents`) are checked by the route on what is left."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from policy.documents import LARGEST_UPLOAD, MB

# Multipart boundaries and the other form fields ride along with the file.
CAP = LARGEST_UPLOAD + 256 * 1024
TOO_LARGE = {"code": "bad_file_size", "message": f"上传的文件过大：每份材料不能超过 {LARGEST_UPLOAD // MB} MB"}
_UPLOAD_PATHS = ("/archive/files", "/survey/attachments")


class UploadLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].endswith(_UPLOAD_PATHS):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > CAP:
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > CAP:
                    # FastAPI passes an HTTPException raised while it parses the body on to api.errors.
                    raise HTTPException(413, detail=TOO_LARGE["message"])
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({**TOO_LARGE, "details": None}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

"""The real service for browser tests: the API (uvicorn, over real HTTP) and the worker, in a thread with an
event loop of its own, on the session's PostgreSQL and Temporal dev server."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn

from activities.documents.store import DocumentStore
from api.main import create_app
from infra.db import make_engine, make_sessions
from infra.temporal import connect
from models.settings import Settings
from worker import build_worker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failure: BaseException | None = None

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        engine = make_engine(self.settings.database_url)
        s = self.settings
        client = await connect(s.temporal_address, s.temporal_namespace, s.payload_key)
        config = uvicorn.Config(create_app(self.settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self._server = uvicorn.Server(config)
        sessions = make_sessions(engine)
        documents = DocumentStore.from_settings(self.settings, sessions)
        try:
            await documents.objects.prepare()
            async with build_worker(client, sessions, self.settings.task_queue, documents):
                serving = asyncio.create_task(self._server.serve())
                await self._stop.wait()
                self._server.should_exit = True
                await serving
        finally:
            await documents.close()
            await engine.dispose()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported by start() or stop()
            self._failure = exc

    @contextlib.contextmanager
    def running(self) -> Iterator[Service]:
        thread = threading.Thread(target=self._run, name="web-service", daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not (self._server and self._server.started):
            if self._failure or not thread.is_alive():
                raise RuntimeError(f"the API did not start: {self._failure!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("the API did not start within 60 s")
            time.sleep(0.1)
        try:
            yield self
        finally:
            if self._loop and self._stop:
                self._loop.call_soon_threadsafe(self._stop.set)
            thread.join(30)

"""Browser tests: the real API over HTTP with the real worker, PostgreSQL and Temporal dev server, driven by
Debian's Chromium through Playwright (`executable_path`; no browser is ever downloaded). Every page a test
visits is saved as a screenshot under tests/web/artifacts/."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from temporalio.testing import WorkflowEnvironment

from api.routes.console import DIST
from devstack.seed import DEMO_PASSWORD
from tests.conftest import SETTINGS
from tests.web.stack import Service

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1366, "height": 768}
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def service(database_url: str, engine: Any, dev_env: WorkflowEnvironment) -> Iterator[Service]:
    if not (DIST / "index.html").is_file():
        pytest.fail("web/dist is missing: run scripts/setup (it builds the console)")
    settings = SETTINGS.model_copy(update={
        "database_url": database_url, "temporal_address": dev_env.client.service_client.config.target_host,
        "task_queue": f"web-{uuid.uuid4().hex}", "settlement_schedule_enabled": False,
    })
    with Service(settings).running() as svc:
        yield svc


# Per module, and after the service: Playwright's sync API holds an event loop on this thread while it runs,
# so it must start after the session's async fixtures and stop before the next module's async tests.
@pytest.fixture(scope="module")
def browser(service: Service) -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Person:
    """One user at one browser: logs in through the login page, as a person would."""

    def __init__(self, browser: Browser, service: Service, username: str, test: str, shots: list[int],
                 **context: Any) -> None:
        self.context: BrowserContext = browser.new_context(**{"viewport": DESKTOP, "locale": "zh-CN",
                                                              "timezone_id": "Asia/Shanghai", **context})
        self.context.set_default_timeout(15_000)
        self.page: Page = self.context.new_page()
        self.base = service.base
        self.username = username
        self.test = test
        self.shots = shots  # numbered across the test's people, in the order they were taken

    def login(self) -> Person:
        page = self.page
        page.goto(f"{self.base}/console/login")
        page.get_by_label("用户名").fill(self.username)
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"/console/(workbench|my)"))
        return self

    def go(self, path: str) -> Page:
        self.page.goto(f"{self.base}/console{path}")
        return self.page

    def shot(self, name: str) -> None:
        self.shots.append(len(self.shots) + 1)
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=ARTIFACTS / f"{self.test}-{self.shots[-1]:02d}-{self.username}-{name}.png",
                             full_page=True)

    def pick(self, select: Any, option: str) -> None:
        """Choose `option` in an Element Plus select (its list opens in a popper at the end of the page)."""
        select.click()
        # The select's own list (its input names it in aria-controls): a list still fading out of an earlier
        # pick is visible for a moment too, and clicking into it times out when the machine is busy.
        listbox = select.locator("input[aria-controls]").first.get_attribute("aria-controls")
        scope = self.page.locator(f"[id='{listbox}']") if listbox else self.page.locator(".el-select-dropdown").last
        item = scope.locator(".el-select-dropdown__item", has_text=option).first
        item.scroll_into_view_if_needed()
        item.click()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def people(browser: Browser, service: Service, request: pytest.FixtureRequest) -> Iterator[Any]:
    opened: list[Person] = []
    shots: list[int] = []

    def open_as(username: str, **context: Any) -> Person:
        person = Person(browser, service, username, request.node.name.removeprefix("test_"), shots, **context)
        opened.append(person)
        return person.login()

    yield open_as
    for p in opened:
        p.page.screenshot(path=ARTIFACTS / f"{p.test}-zz-{p.username}-last.png", full_page=True)
        p.close()


@pytest.fixture(scope="session")
def http(service: Service) -> Iterator[httpx.Client]:
    """The same API over HTTP for setting the scene (what other users did before the test's user arrives)."""
    with httpx.Client(base_url=service.base, timeout=30) as client:
        yield client


def token(http: httpx.Client, username: str) -> dict[str, str]:
    r = http.post("/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}

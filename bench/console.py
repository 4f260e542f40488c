"""The console in headless Chromium: first meaningful paint of the 工作台 and of a 50-row case list, against a
static page's paint measured in the same run; and the production bundle's gzipped size.

    .venv/bin/python -m bench.console [--rounds 7] [--cases 60] [--json PATH]

Runs on the real parts of bench.stack (PostgreSQL, the Temporal dev server, the real worker, the real API under
uvicorn serving web/dist) and Debian's Chromium through Playwright (`executable_path`). "Meaningful" is the
moment the page's data is on screen: a script installed before the page loads watches for the table's rows
(50 of them) and records `performance.now()` (milliseconds since navigation start) at the next animation
frame after they appear; the median of warm visits (assets cached, as every visit after the first of the day)
is the figure against the goal, the first visit of a fresh profile is shown beside it, with first contentful
paint. The floor is a static HTML page with
the same 50-row table, served over HTTP on 127.0.0.1 by a plain file server. Figures are printed, never
asserted: exit 0 whenever the run itself worked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import http.server
import json
import re
import statistics
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, async_playwright

from api.routes.console import DIST
from bench.stack import stack
from devstack.seed import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"]
GOAL_MS = 1000.0
GOAL_GZIP_KB = 500.0
ROWS = 50
# Installed before any page script: resolves window.__meaningful when `selector` matches ROWS elements.
WATCH = """
window.__meaningful = new Promise((done) => {
  const ready = () => document.querySelectorAll(%s).length >= %d;
  const fire = () => requestAnimationFrame(() => done(performance.now()));
  const check = () => { if (ready()) { observer.disconnect(); fire(); return true } return false };
  const observer = new MutationObserver(check);
  const start = () => { if (!check()) observer.observe(document.documentElement, { childList: true, subtree: true }) };
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
});
"""


def bundle_sizes(dist: Path = DIST) -> dict[str, float]:
    """KB of the whole build and of what the login page itself loads, raw and gzipped (the .gz twins)."""
    files = [p for p in dist.rglob("*") if p.suffix in (".js", ".css", ".html") and p.is_file()]
    index = (dist / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'(?:src|href)="/console/([^"]+)"', index)
    first = [dist / m for m in linked]

    def gz(p: Path) -> int:
        twin = p.with_name(p.name + ".gz")
        return twin.stat().st_size if twin.exists() else p.stat().st_size

    return {
        "all_kb": sum(p.stat().st_size for p in files) / 1024, "all_gzip_kb": sum(gz(p) for p in files) / 1024,
        "first_load_gzip_kb": (gz(dist / "index.html") + sum(gz(p) for p in first if p.exists())) / 1024,
    }


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def floor_site() -> Iterator[str]:
    """A static page with a 50-row table, served by a plain HTTP file server on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="assistflow-floor-") as tmp:
        rows = "".join(f"<tr><td>服务对象{i}</td><td>受理登记</td><td>2026年12月2日</td></tr>" for i in range(ROWS))
        Path(tmp, "index.html").write_text(
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>floor</title>'
            f'<table data-test="floor"><tbody>{rows}</tbody></table></html>', encoding="utf-8")
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=tmp))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
        finally:
            server.shutdown()


async def _load(page: Any, url: str) -> tuple[float, float]:
    await page.goto(url, wait_until="commit")
    at = await page.evaluate("window.__meaningful")
    paint = await page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null")
    return float(at), float(paint) if paint is not None else float("nan")


async def measure(browser: Browser, url: str, selector: str, rounds: int, storage: Any = None) -> dict[str, float]:
    """Cold: a fresh browser profile each time (nothing cached, as on a first visit). Warm: the same profile
    visiting again (assets in the HTTP cache, as every later visit of the day)."""
    cold, warm, fcp = [], [], []
    for _ in range(3):
        context = await browser.new_context(viewport={"width": 1366, "height": 768}, storage_state=storage)
        page = await context.new_page()
        await page.add_init_script(WATCH % (json.dumps(selector), ROWS))
        cold.append((await _load(page, url))[0])
        await _load(page, url)  # one more to settle the cache
        for _ in range(rounds):
            at, paint = await _load(page, url)
            warm.append(at)
            fcp.append(paint)
        await context.close()
    return {"cold_ms": statistics.median(cold), "meaningful_ms": statistics.median(warm),
            "meaningful_max_ms": max(warm),
            "fcp_ms": statistics.median([f for f in fcp if f == f] or [float("nan")])}  # a page may report none


async def run(args: argparse.Namespace) -> dict[str, Any]:
    if not (DIST / "index.html").is_file():
        raise SystemExit("web/dist is missing: run scripts/setup first")
    result: dict[str, Any] = {"bundle": bundle_sizes()}
    async with stack(concurrency=8) as st:
        gate = asyncio.Semaphore(8)

        async def one() -> None:
            async with gate:
                await st.api.open()

        await asyncio.gather(*(one() for _ in range(args.cases)))  # each waits in 受理登记 for jiedao
        base = st.meta["api"]
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = await browser.new_context()
            page = await context.new_page()
            await page.goto(f"{base}/console/login")
            await page.fill("input[name=username]", "jiedao")
            await page.fill("input[name=password]", DEMO_PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_url("**/console/workbench")
            storage = await context.storage_state()
            await context.close()
            with floor_site() as floor:
                result["floor"] = await measure(browser, floor, "[data-test=floor] tr", args.rounds)
            result["workbench"] = await measure(browser, f"{base}/console/workbench",
                                                "[data-test=tasks] .el-table__body tr", args.rounds, storage)
            result["case_list"] = await measure(browser, f"{base}/console/cases?size={ROWS}",
                                                "[data-test=cases] .el-table__body tr", args.rounds, storage)
            await browser.close()
    return result


def report(r: dict[str, Any]) -> None:
    b = r["bundle"]
    met = "met" if b["all_gzip_kb"] < GOAL_GZIP_KB else "NO"
    print(f"bundle: {b['all_kb']:.0f} KB, gzipped {b['all_gzip_kb']:.0f} KB (goal < {GOAL_GZIP_KB:.0f}: {met}); "
          f"the login page loads {b['first_load_gzip_kb']:.0f} KB gzipped")
    floor = r["floor"]["meaningful_ms"]
    for name in ("floor", "workbench", "case_list"):
        m = r[name]
        ratio = m["meaningful_ms"] / floor if floor else float("nan")
        met = "met" if m["meaningful_ms"] < GOAL_MS else "NO"
        goal = "" if name == "floor" else f"  goal < {GOAL_MS:.0f} ms: {met}"
        print(f"{name:<10} first meaningful paint p50 {m['meaningful_ms']:7.1f} ms "
              f"(max {m['meaningful_max_ms']:7.1f}; first visit {m['cold_ms']:7.1f}), FCP p50 {m['fcp_ms']:6.1f} ms, "
              f"{ratio:5.1f}× the static floor{goal}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.console", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="measured page loads per page (after one warm-up)")
    parser.add_argument("--cases", type=int, default=60, help="cases opened first (the list shows 50 of them)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args))
    report(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

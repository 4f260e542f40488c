"""Walk N cases through steps 1–7 over real HTTP, C at a time, and compare with the bare-update floor.

    .venv/bin/python -m bench.walk --cases 200 --concurrency 20 [--warmup 20] [--json PATH]

Runs on real parts (bench.stack): PostgreSQL, the Temporal dev server, the real worker, the real API under
uvicorn, httpx. The floor (bench.bare: a no-op update) runs in the same process on the same server with the
same client and data converter. Timings are reported against the goals, never asserted: exit 0 when the run
itself worked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import platform
import signal
import subprocess
import sys
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import temporalio

from bench.bare import BareWorkflow
from bench.meter import cpu_snapshot
from bench.stack import Stack, stack
from tests.flow import APPROVE, ARCHIVE, PLAN, PROVIDER_A, SURVEY, Api, new_person

BARE_UPDATES = 10
GOAL_P50_RATIO = 1.5  # step-advance p50 at most 1.5 × the bare update's
GOAL_RATE_RATIO = 0.6  # walk cases/s at least 60 % of the bare ten-update floor
OPEN = "open case"
# (label, path under /cases/{id}/, user, body, step the case then waits in): the walk of tests/flow.py.
STEPS: tuple[tuple[str, str, str, dict[str, Any], str], ...] = (
    ("registration", "registration", "jiedao", {"need_category": "living"}, "survey"),
    ("survey", "survey", "xieliyuan", SURVEY, "review"),
    ("review", "review", "jiedao", APPROVE, "referral"),
    ("referral", "referral", "jiedao", {"provider_id": PROVIDER_A}, "referral"),
    ("provider acceptance", "referral/response", "fuwu", {"accept": True}, "service"),
    ("service plan", "plan", "fuwu", PLAN, "archiving"),
    ("archive", "archive", "fuwu", ARCHIVE, "dynamic_management"),
)


@dataclass
class Phase:
    cases: int
    seconds: float = 0.0
    samples: dict[str, list[float]] = field(default_factory=dict)  # label -> milliseconds
    cpu: dict[str, float] = field(default_factory=dict)  # component -> CPU seconds spent in the phase

    def add(self, label: str, started: float) -> None:
        self.samples.setdefault(label, []).append((time.perf_counter() - started) * 1000)

    def pooled(self, labels: Iterable[str]) -> list[float]:
        return [ms for label in labels for ms in self.samples.get(label, [])]

    @property
    def rate(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else float("nan")


Meter = Callable[[], dict[str, float]]  # cumulative CPU seconds per component


async def measured(meter: Meter, phase: Phase, n: int, concurrency: int, job: Callable[[int], Awaitable[None]]
                   ) -> Phase:
    """Run job(0..n-1) on `concurrency` lanes; wall time and CPU per component into `phase`."""
    todo = iter(range(n))

    async def lane() -> None:
        for i in todo:
            await job(i)

    before, started = meter(), time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        for _ in range(min(n, concurrency)):
            tg.create_task(lane())
    phase.seconds = time.perf_counter() - started
    phase.cpu = {k: v - before[k] for k, v in meter().items()}
    return phase


def people(n: int) -> list[dict[str, Any]]:
    """n distinct people: a repeated ID number would meet that person's open case (409)."""
    found: dict[str, dict[str, Any]] = {}
    while len(found) < n:
        person = new_person()
        found.setdefault(person["id_number"], person)
    return list(found.values())


async def walk(s: Stack, n: int, concurrency: int) -> Phase:
    return await walk_cases(s.api, lambda: cpu_snapshot(s.postmaster), n, concurrency)


async def walk_cases(api: Api, meter: Meter, n: int, concurrency: int, cases: list[str] | None = None) -> Phase:
    """Walk n new cases through steps 1-7 over HTTP, `concurrency` at a time (their ids into `cases`)."""
    phase, persons = Phase(cases=n), people(n)

    async def one(i: int) -> None:
        body = {"channel": "window", "need_description": "独居老人，行动不便，需要上门助洁与探访",
                "person": persons[i]}
        started = time.perf_counter()
        r = await api.post("/cases", "jiedao", body)
        phase.add(OPEN, started)
        if r.status_code != 201:
            raise RuntimeError(f"POST /cases: {r.status_code} {r.text}")
        case = r.json()["id"]
        if cases is not None:
            cases.append(case)
        for label, path, user, form, after in STEPS:
            started = time.perf_counter()
            r = await api.post(f"/cases/{case}/{path}", user, form)
            phase.add(label, started)
            if r.status_code != 200 or r.json().get("step") != after:
                raise RuntimeError(f"POST /cases/{case}/{path}: {r.status_code} {r.text}")

    return await measured(meter, phase, n, concurrency, one)


async def floor(s: Stack, n: int, concurrency: int) -> Phase:
    phase, client = Phase(cases=n), s.client

    async def one(i: int) -> None:
        handle = await client.start_workflow(BareWorkflow.run, id=f"bare-{uuid.uuid4()}", task_queue=s.bare_queue)
        for _ in range(BARE_UPDATES):
            started = time.perf_counter()
            await handle.execute_update(BareWorkflow.bump)
            phase.add("bare update", started)
        await handle.signal(BareWorkflow.done)

    return await measured(lambda: cpu_snapshot(s.postmaster), phase, n, concurrency, one)


def commit() -> str:
    """The checkout measured (read-only git: no index refresh), '+dirty' when files differ from HEAD."""
    git = ["git", "--no-optional-locks", "-C", str(Path(__file__).resolve().parents[1])]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def figures(args: argparse.Namespace, walked: Phase, bare: Phase, meta: dict[str, str]) -> dict[str, Any]:
    steps, updates = walked.pooled(s[0] for s in STEPS), bare.pooled(["bare update"])
    p50_ratio, rate_ratio = pct(steps, 50) / pct(updates, 50), walked.rate / bare.rate

    def cpu(phase: Phase) -> dict[str, float]:
        c = dict(phase.cpu)
        if c:
            c["other processes"] = c["machine"] - c["bench python"] - c["temporal server"] - c["postgres"]
        return {k: v * 1000 / phase.cases for k, v in c.items()} | {"machine busy %": 100 * c.get(
            "machine", math.nan) / ((os.cpu_count() or 1) * phase.seconds)}

    return {
        "cases": args.cases, "concurrency": args.concurrency, "warmup": args.warmup,
        "walk": {"seconds": walked.seconds, "cases_per_s": walked.rate, "requests": len(steps) + args.cases,
                 "step_p50_ms": pct(steps, 50), "step_p99_ms": pct(steps, 99), "cpu_ms_per_case": cpu(walked),
                 "per_step": {k: {"n": len(v), "p50_ms": pct(v, 50), "p99_ms": pct(v, 99)}
                              for k, v in walked.samples.items()}},
        "floor": {"seconds": bare.seconds, "cases_per_s": bare.rate, "updates": len(updates),
                  "update_p50_ms": pct(updates, 50), "update_p99_ms": pct(updates, 99), "cpu_ms_per_case": cpu(bare)},
        "ratios": {"step_p50_over_bare_p50": p50_ratio, "walk_rate_over_floor_rate": rate_ratio},
        "goals": {"step_p50_le_1_5x_bare": p50_ratio <= GOAL_P50_RATIO,
                  "walk_rate_ge_60pct_floor": rate_ratio >= GOAL_RATE_RATIO},
        "environment": {**meta, "commit": commit(), "python": platform.python_version(),
                        "temporalio": temporalio.__version__, "cpus": os.cpu_count(), "platform": platform.platform()},
    }


def render(f: dict[str, Any]) -> str:
    w, b, r, g, e = f["walk"], f["floor"], f["ratios"], f["goals"], f["environment"]
    met = {True: "yes", False: "NO"}
    row = "{:<30}{:>16}{:>14}{:>9}   {:<8}{:>4}".format
    lines = [
        f"assistflow walk benchmark: N={f['cases']} C={f['concurrency']} warm-up={f['warmup']} "
        f"(commit {e['commit']}, {e['database']}, {e['cpus']} CPUs, Python {e['python']}, "
        f"temporalio {e['temporalio']})",
        "",
        row("", "walk steps 1-7", "bare floor", "ratio", "goal", "met"),
        row("cases/s", f"{w['cases_per_s']:.2f}", f"{b['cases_per_s']:.2f}",
            f"{r['walk_rate_over_floor_rate']:.2f}", ">= 0.60", met[g["walk_rate_ge_60pct_floor"]]),
        row("p50 ms (step / update)", f"{w['step_p50_ms']:.1f}", f"{b['update_p50_ms']:.1f}",
            f"{r['step_p50_over_bare_p50']:.2f}", "<= 1.50", met[g["step_p50_le_1_5x_bare"]]),
        row("p99 ms (step / update)", f"{w['step_p99_ms']:.1f}", f"{b['update_p99_ms']:.1f}",
            f"{w['step_p99_ms'] / b['update_p99_ms']:.2f}", "", ""),
        row("wall s", f"{w['seconds']:.2f}", f"{b['seconds']:.2f}", "", "", ""),
        row("HTTP requests / updates", w["requests"], b["updates"], "", "", ""),
        *(row(f"CPU ms/case: {k}", f"{v:.1f}", f"{b['cpu_ms_per_case'][k]:.1f}", "", "", "")
          for k, v in w["cpu_ms_per_case"].items() if k not in ("machine", "machine busy %")),
        row("machine busy %", f"{w['cpu_ms_per_case']['machine busy %']:.0f}",
            f"{b['cpu_ms_per_case']['machine busy %']:.0f}", "", "", ""),
        "",
        "{:<30}{:>6}{:>10}{:>10}".format("per step (HTTP request)", "n", "p50 ms", "p99 ms"),
        *("{:<30}{:>6}{:>10.1f}{:>10.1f}".format(k, v["n"], v["p50_ms"], v["p99_ms"])
          for k, v in w["per_step"].items()),
        "",
        f"A walked case is 8 requests (open + 7 step advances); a floor case is a start, {BARE_UPDATES} updates "
        "and a signal. 'step' pools the 7 step advances.",
    ]
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    task = asyncio.current_task()
    if task is not None and hasattr(signal, "SIGTERM"):  # SIGTERM cleans up like Ctrl-C does
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    async with stack(args.concurrency) as s:
        if args.warmup:
            await walk(s, args.warmup, args.concurrency)
            await floor(s, args.warmup, args.concurrency)
        bare = await floor(s, args.cases, args.concurrency)
        walked = await walk(s, args.cases, args.concurrency)
    return figures(args, walked, bare, s.meta)


def run_and_exit(run: Callable[[], Coroutine[Any, Any, dict[str, Any]]], render: Callable[[dict[str, Any]], str],
                 json_path: Path | None) -> None:
    """Run a bench, print its figures (and write them as JSON); exit 0 when it worked, 1 on an error, 130 when
    interrupted — never on what the figures say."""
    status = 0
    try:
        result = asyncio.run(run())
        print(render(result))
        if json_path is not None:
            json_path.parent.mkdir(parents=True, exist_ok=True)
            json_path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            print(f"figures written to {json_path}")
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("bench: interrupted; everything it started is stopped", file=sys.stderr)
        status = 130
    except Exception:
        traceback.print_exc()
        status = 1
    # sdk-python #300: the interpreter can crash at exit after a good run; everything is shut down by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.walk", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=200, help="N: cases walked, and bare workflows (200)")
    parser.add_argument("--concurrency", type=int, default=20, help="C: cases in flight at once (20)")
    parser.add_argument("--warmup", type=int, default=None, help="cases and bare workflows run first (C)")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the figures here")
    parser.add_argument("--quick", action="store_true", help="N=4, C=2, warm-up 1: a smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.cases, args.concurrency, args.warmup = 4, 2, 1 if args.warmup is None else args.warmup
    args.warmup = args.concurrency if args.warmup is None else args.warmup
    if min(args.cases, args.concurrency) < 1 or args.warmup < 0:
        parser.error("--cases and --concurrency must be at least 1, --warmup at least 0")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    run_and_exit(lambda: run(args), render, args.json)

if __name__ == "__main__":
    main()

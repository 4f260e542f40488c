"""py-spy on the running servers, and a text summary of where their CPU went.

`record` attaches py-spy (`--native`, 100 Hz, on-CPU samples only) to each process for the length of a
context: a flamegraph SVG and a raw collapsed-stack file per process in the output folder (bench/results/ is
git-ignored). `summarise` sorts each sample into the first bucket whose pattern one of its frames matches —
the buckets are the candidates of issue #12 — and gives each bucket's share of the process's samples.

    python -m bench.profile bench/results/profile-worker.txt     # summarise a raw file again
"""

from __future__ import annotations

import contextlib
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

# (bucket, ancestor pattern, leaf pattern): a sample goes to the first bucket whose ancestor pattern one of its
# frames matches and whose leaf pattern its innermost Python frame matches ("" matches anything). Native frames
# count towards the Python frame that called them (the compile inside an exec is the exec's). SQLAlchemy's
# asyncio layer runs the ORM in greenlets, whose stacks do not show the activity or route that called them: in
# the worker only the activities use SQLAlchemy, so its frames are the activities' wherever they appear.
WORKER_BUCKETS: tuple[tuple[str, str, str], ...] = (
    ("sandbox: a context lookup per payload, each an exec of a fresh code string",
     r"get_serialization_context|get_external_store_context", ""),
    ("sandbox: a new case's instance (the workflow modules imported again)", r"_Instance\._create_instance", ""),
    ("sandbox: entering it for each activation (exec, importer, restrictions)", "", r"workflow_sandbox/"),
    ("activities: deadline projection and county-rule reads (their Python)", r"activities/deadlines/", ""),
    ("activities: SQLAlchemy ORM session (unit of work, bulk paths, flush)", "", r"sqlalchemy/orm/"),
    ("activities: SQLAlchemy Core (compile, execute, results, greenlets)", "", r"sqlalchemy/|greenlet"),
    # the worker's only asyncio sockets are asyncpg's (the Temporal client's gRPC is in the Rust core)
    ("activities: asyncpg (protocol, socket reads and writes)", "", r"asyncpg|selector_events\.py"),
    ("activities: the steps' own Python", "", r"activities/|policy/"),
    ("payloads: pydantic converter, AES-GCM codec, protobuf, JSON",
     "", r"pydantic|temporalio/converter|temporalio/contrib|infra/temporal|cryptography|_visitor|protobuf|json/"),
    ("case workflow code (process table, transitions, handlers)", "", r"workflows/|models/|vocabulary/"),
    ("Temporal SDK: activations, their thread-pool hand-offs, local activities, bridge (Rust core)", "",
     r"temporalio/|temporal_sdk_bridge|tokio|concurrent/futures|threading|_write_to_self|_read_from_self"),
    ("event loop, socket system calls, GC and the rest", "", ""),
)
API_BUCKETS: tuple[tuple[str, str, str], ...] = (
    ("Temporal client: execute_update (payloads, codec, gRPC)", r"temporalio|infra/temporal", ""),
    ("SQLAlchemy + asyncpg (load_case's SELECT, the open's person upsert and reads)", "",
     r"sqlalchemy|asyncpg|greenlet"),
    ("bearer token, ID-number hash and cipher", r"infra/security|policy/idnumber|cryptography", ""),
    ("pydantic: bodies, actor, responses", "", r"pydantic"),
    ("FastAPI / Starlette: routing, dependencies, middleware", "", r"fastapi/|starlette/"),
    ("HTTP server: uvicorn + httptools", "", r"uvicorn|httptools|h11"),
    ("the routes' own code (api/)", "", r"api/"),
    ("event loop, socket system calls, GC and the rest", "", ""),
)
PEER_BUCKETS: tuple[tuple[str, str, str], ...] = (
    ("SpiffWorkflow: deserialize the instance", r"deserialize_json", ""),
    ("SpiffWorkflow: serialize the instance", r"serialize_json", ""),
    ("SpiffWorkflow: complete the task, run the engine", r"SpiffWorkflow", ""),
    ("SQLAlchemy + asyncpg", "", r"sqlalchemy|asyncpg|greenlet"),
    ("bearer token, ID-number hash and cipher", r"infra/security|policy/idnumber|cryptography", ""),
    ("pydantic: bodies", "", r"pydantic"),
    ("FastAPI / Starlette: routing, dependencies, middleware", "", r"fastapi/|starlette/"),
    ("HTTP server: uvicorn + httptools", "", r"uvicorn|httptools|h11"),
    ("event loop, socket system calls, GC and the rest", "", ""),
)
WAITING_SHARE = "waiting (left out)"  # the share of all samples whose thread was waiting
# A thread blocked here is waiting (for work, the GIL, a socket), not running: py-spy --native cannot tell.
WAITING = re.compile(r"pthread_cond_(timed)?wait|PyThread_acquire_lock|take_gil|epoll_p?wait|sem_(timed)?wait|"
                     r"futex|_queue_SimpleQueue_get|do_attach_unchecked|select_epoll_poll|nanosleep")
BUCKETS = {"api": API_BUCKETS, "worker": WORKER_BUCKETS, "peer": PEER_BUCKETS}


@contextlib.asynccontextmanager
async def record(pids: dict[str, int], out: Path, rate: int = 100) -> AsyncIterator[dict[str, Path]]:
    """py-spy on each named process while the context runs; yields name -> raw file (SVGs beside them)."""
    out.mkdir(parents=True, exist_ok=True)
    spies: list[subprocess.Popen[bytes]] = []
    raws = {name: out / f"profile-{name}.txt" for name in pids}
    try:
        for name, pid in pids.items():
            common = [py_spy(), "record", "--pid", str(pid), "--rate", str(rate), "--native"]
            spies.append(subprocess.Popen([*common, "--format", "flamegraph", "-o", str(out / f"profile-{name}.svg")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            spies.append(subprocess.Popen([*common, "--format", "raw", "--nolineno", "-o", str(raws[name])],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield raws
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
        for spy in spies:
            try:
                spy.wait(60)
            except subprocess.TimeoutExpired:
                spy.kill()


def py_spy() -> str:
    """The py-spy binary the bench extra installed beside this interpreter (or one on PATH)."""
    beside = Path(sys.executable).with_name("py-spy")
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise RuntimeError("py-spy is not installed: pip install -e '.[bench]'")
    return found


def stacks(raw: Path) -> Iterator[tuple[list[str], int]]:
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            yield stack.split(";"), int(count)


def summarise(raw: Path, buckets: tuple[tuple[str, str, str], ...]) -> dict[str, float]:
    """Each bucket's share (0-1) of the running samples in a raw py-spy file ("waiting" is left out, its share
    of all samples given under that name); {} when it holds none."""
    compiled = [(name, re.compile(a), re.compile(leaf)) for name, a, leaf in buckets]
    counts = {name: 0 for name, _, _ in buckets}
    waiting = total = 0
    for frames, n in stacks(raw):
        total += n
        if any(WAITING.search(f) for f in frames[-4:]):
            waiting += n
            continue
        python = [f for f in frames if ".py)" in f]
        leaf, joined = (python[-1] if python else ";".join(frames)), ";".join(frames)
        name = next(name for name, a, lf in compiled if a.search(joined) and lf.search(leaf))
        counts[name] += n
    running = total - waiting
    if not running:
        return {}
    return {name: c / running for name, c in counts.items()} | {WAITING_SHARE: waiting / total}


def main() -> None:
    for arg in sys.argv[1:]:
        path = Path(arg)
        kind = next((k for k in BUCKETS if k in path.name), "worker")
        print(f"{path} ({kind})")
        for name, share in summarise(path, BUCKETS[kind]).items():
            print(f"  {100 * share:5.1f} %  {name}")


if __name__ == "__main__":
    main()

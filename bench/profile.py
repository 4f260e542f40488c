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

# (bucket, frame pattern): the first bucket any frame of a sample matches takes the sample. Order matters: the
# specific machinery comes before the layers it runs inside (an ORM flush runs inside an activity, inside the
# worker's event loop).
WORKER_BUCKETS: tuple[tuple[str, str], ...] = (
    ("sandbox: exec per payload (serialization / external-store context)",
     r"get_serialization_context|get_external_store_context|_run_code"),
    ("sandbox: new case instance (re-import of the workflow modules)",
     r"workflow_sandbox/_importer|_create_instance|SandboxedWorkflowRunner\.create_instance|workflow_sandbox/_in_sandbox"),
    ("activities: deadline projection and county-rule reads", r"activities/deadlines/plan"),
    ("activities: ORM session (unit of work, flush, identity map)", r"sqlalchemy/orm/"),
    ("activities: Core SQL + asyncpg round trips", r"sqlalchemy/|asyncpg"),
    ("payload codec (AES-GCM) and payload visiting", r"infra/temporal|cryptography|_visitor|visit_payload"),
    ("pydantic (payload models, validation, JSON)", r"pydantic"),
    ("case workflow code (process table, transitions, state copies)", r"workflows/|models/payloads"),
    ("local activity machinery (schedule, run, marker)", r"local_activit|_activity\.py|worker/_activity"),
    ("Temporal SDK: activations, commands, bridge (Rust core)", r"temporalio|temporal_sdk_bridge|tokio|prost"),
    ("event loop and the rest", r""),
)
API_BUCKETS: tuple[tuple[str, str], ...] = (
    ("load_case: the SELECT before the update", r"api/access\.py|load_case"),
    ("Temporal client: execute_update (payloads, codec, gRPC)", r"temporalio|temporal_sdk_bridge|infra/temporal"),
    ("SQLAlchemy + asyncpg (sessions, the open's person upsert and reads)", r"sqlalchemy|asyncpg"),
    ("bearer token (HMAC, Actor model)", r"infra/security"),
    ("FastAPI: routing, dependencies, body validation, response", r"fastapi/|starlette/"),
    ("pydantic (bodies, responses)", r"pydantic"),
    ("HTTP server (uvicorn, httptools)", r"uvicorn|httptools"),
    ("event loop and the rest", r""),
)
PEER_BUCKETS: tuple[tuple[str, str], ...] = (
    ("SpiffWorkflow: deserialize", r"deserialize_json|from_dict"),
    ("SpiffWorkflow: serialize", r"serialize_json|to_dict"),
    ("SpiffWorkflow: run the task and the engine", r"SpiffWorkflow"),
    ("SQLAlchemy + asyncpg", r"sqlalchemy|asyncpg"),
    ("FastAPI / pydantic / uvicorn", r"fastapi/|starlette/|pydantic|uvicorn|httptools"),
    ("event loop and the rest", r""),
)
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


def summarise(raw: Path, buckets: tuple[tuple[str, str], ...]) -> dict[str, float]:
    """Each bucket's share (0-1) of the samples in a raw py-spy file; {} when it holds none."""
    compiled = [(name, re.compile(pattern)) for name, pattern in buckets]
    counts = {name: 0 for name, _ in buckets}
    total = 0
    for frames, n in stacks(raw):
        total += n
        joined = ";".join(frames)
        name = next(name for name, pattern in compiled if pattern.search(joined))
        counts[name] += n
    return {name: c / total for name, c in counts.items()} if total else {}


def main() -> None:
    for arg in sys.argv[1:]:
        path = Path(arg)
        kind = next((k for k in BUCKETS if k in path.name), "worker")
        print(f"{path} ({kind})")
        for name, share in summarise(path, BUCKETS[kind]).items():
            print(f"  {100 * share:5.1f} %  {name}")


if __name__ == "__main__":
    main()

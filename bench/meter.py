"""CPU and memory of the processes a bench runs, from /proc (Linux; elsewhere the meters report nothing)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def procs() -> dict[int, tuple[int, float]]:
    """pid -> (ppid, CPU seconds of the process and its reaped children)."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        out[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / tick)
    return out


def tree(table: dict[int, tuple[int, float]], root: int | None) -> tuple[set[int], float]:
    """The pids under `root` (itself included) and their CPU seconds."""
    if root is None or root not in table:
        return set(), 0.0
    pids, todo = {root}, [root]
    while todo:
        parent = todo.pop()
        kids = [pid for pid, (ppid, _) in table.items() if ppid == parent and pid not in pids]
        pids.update(kids)
        todo.extend(kids)
    return pids, sum(table[p][1] for p in pids)


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy (all but idle and iowait), so other load on the box shows."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(postmaster: int | None) -> dict[str, float]:
    """Cumulative CPU seconds: this process (API, client, workers), its children (the Temporal dev server),
    the embedded PostgreSQL, and the whole machine. (bench.walk's all-in-one-process shape.)"""
    if not Path("/proc/stat").exists():
        return {}
    table, me = procs(), os.getpid()
    pg_pids, pg = tree(table, postmaster)
    mine, _ = tree(table, me)
    return {"bench python": table[me][1], "temporal server": sum(table[p][1] for p in mine - pg_pids - {me}),
            "postgres": pg, "machine": machine_busy()}


def cpu_by_process(trees: Mapping[str, int | None], alone: Mapping[str, int]) -> dict[str, float]:
    """Cumulative CPU seconds of each named process tree (a server and what it spawned) and of each process
    `alone` (the load generator, whose tree holds everything else), plus "machine" (the whole box)."""
    if not Path("/proc/stat").exists():
        return {}
    table = procs()
    return ({name: tree(table, pid)[1] for name, pid in trees.items()}
            | {name: table[pid][1] if pid in table else 0.0 for name, pid in alone.items()}
            | {"machine": machine_busy()})


def rss_mb(pid: int | None) -> float:
    """Resident memory of one process, MB (0 when it is gone or unknown)."""
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0

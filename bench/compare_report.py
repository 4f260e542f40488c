"""bench.compare's figures (a JSON-able dict) and their side-by-side text, with issue #12's goals."""

from __future__ import annotations

import argparse
import math
import os
import platform
from importlib.metadata import version
from typing import Any

import temporalio

from bench.profile import WAITING_SHARE as WAITING
from bench.walk import OPEN, STEPS, Phase, commit, pct

STEP_LABELS = [s[0] for s in STEPS]
AFL_PROCS, PEER_PROCS = ("api", "worker", "load client"), ("peer", "load client")
GOAL_FLOOR, GOAL_RATE, GOAL_CPU, GOAL_RSS, GOAL_EVENTS = 1.3, 0.5, 2.0, 2.0, 5.0


def walk_figures(phase: Phase, procs: tuple[str, ...], servers: tuple[str, ...]) -> dict[str, Any]:
    steps = phase.pooled(STEP_LABELS)
    cpu = {k: v * 1000 / phase.cases for k, v in phase.cpu.items()}
    known = [*procs, *servers]
    out = {k: cpu.get(k, math.nan) for k in known}
    out["python"] = sum(cpu.get(k, 0.0) for k in procs)
    out["total"] = sum(cpu.get(k, 0.0) for k in known)
    everything = sum(v for k, v in cpu.items() if k != "machine")
    out["other processes"] = cpu.get("machine", math.nan) - everything
    return {"cases_per_s": phase.rate, "step_p50_ms": pct(steps, 50), "step_p99_ms": pct(steps, 99),
            "open_p50_ms": pct(phase.samples.get(OPEN, []), 50), "cpu_ms_per_case": out,
            "per_step": {k: {"p50_ms": pct(v, 50), "p99_ms": pct(v, 99)} for k, v in phase.samples.items()}}


def floor_figures(bare: Phase, bare_la: Phase, sql: Phase) -> dict[str, Any]:
    la_cpu = {k: v * 1000 / bare_la.cases for k, v in bare_la.cpu.items()}
    bare_cpu = {k: v * 1000 / bare.cases for k, v in bare.cpu.items()}
    sql_cpu = {k: v * 1000 / sql.cases for k, v in sql.cpu.items()}
    steps = sql.pooled(STEP_LABELS)
    out: dict[str, Any] = {"bare_update_p50_ms": pct(bare.pooled(["update"]), 50),
           "bare_update_local_activity_p50_ms": pct(bare_la.pooled(["update"]), 50),
           "step_sql_p50_ms": pct(steps, 50), "step_sql_p99_ms": pct(steps, 99),
           "sql_per_step_p50_ms": {k: pct(v, 50) for k, v in sql.samples.items()},
           "local_activity_updates_cpu_ms_per_case": {k: la_cpu.get(k, math.nan) for k in (
               "bare worker", "load client", "temporal")},
           "bare_updates_cpu_ms_per_case": {k: bare_cpu.get(k, math.nan) for k in (
               "bare worker", "load client", "temporal")},
           "step_sql_cpu_ms_per_case": {k: sql_cpu.get(k, math.nan) for k in ("load client", "postgres")}}
    out["floor_p50_ms"] = out["bare_update_local_activity_p50_ms"] + out["step_sql_p50_ms"]
    return out


def figures(args: argparse.Namespace, runs: dict[int, dict[str, Any]], extra: dict[str, Any],
            meta: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"cases": args.cases, "warmup": args.warmup, "runs": {}}
    for c, r in runs.items():
        afl = walk_figures(r["assistflow"], AFL_PROCS, ("temporal", "postgres"))
        peer = walk_figures(r["peer"], PEER_PROCS, ("postgres",))
        floor = floor_figures(r["bare"], r["bare_la"], r["bare_sql"])
        out["runs"][str(c)] = {"assistflow": afl, "peer": peer, "floor": floor, "rss_mb": r["rss_mb"],
                               "stored_bytes_per_case": r["stored_bytes_per_case"], "history": r["history"],
                               "sql_per_case": r.get("sql_per_case", {})}
    out |= extra
    if "profile" in out:  # each bucket's share, and what it is per walked case at the largest C
        last = out["runs"][str(max(runs))]
        cpu = {"api": last["assistflow"]["cpu_ms_per_case"]["api"],
               "worker": last["assistflow"]["cpu_ms_per_case"]["worker"],
               "peer": last["peer"]["cpu_ms_per_case"]["peer"]}
        out["profile"] = {name: {b: {"share": s, "ms_per_case": s * cpu[name]} for b, s in shares.items()}
                          for name, shares in out["profile"].items()}
    out["goals"] = goals(out, runs)
    out["environment"] = {**meta, "commit": commit(), "python": platform.python_version(),
                          "temporalio": temporalio.__version__, "SpiffWorkflow": version("SpiffWorkflow"),
                          "cpus": str(os.cpu_count()), "platform": platform.platform()}
    return out


def goals(out: dict[str, Any], runs: dict[int, Any]) -> dict[str, tuple[float, float, bool]]:
    """goal -> (measured, target, met)."""
    g: dict[str, tuple[float, float, bool]] = {}
    low, high = out["runs"][str(min(runs))], out["runs"][str(max(runs))]
    r = low["assistflow"]["step_p50_ms"] / low["floor"]["floor_p50_ms"]
    g[f"step p50 at C={min(runs)} / honest floor"] = (r, GOAL_FLOOR, r <= GOAL_FLOOR)
    r = high["assistflow"]["cases_per_s"] / high["peer"]["cases_per_s"]
    g[f"cases/s at C={max(runs)} / peer's"] = (r, GOAL_RATE, r >= GOAL_RATE)
    r = high["assistflow"]["cpu_ms_per_case"]["total"] / high["peer"]["cpu_ms_per_case"]["total"]
    g[f"CPU per walked case at C={max(runs)} / peer's"] = (r, GOAL_CPU, r <= GOAL_CPU)
    r = high["history"]["events_per_case"] / 8
    g["history events per step"] = (r, GOAL_EVENTS, r <= GOAL_EVENTS)
    if "memory" in out:
        m = out["memory"]["rss_mb"]
        r = (m["api"] + m["worker"] + m["temporal"]) / m["peer"]
        g[f"server memory with {out['memory']['cases']} open cases / peer's"] = (r, GOAL_RSS, r <= GOAL_RSS)
    return g


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b and not math.isnan(a) and not math.isnan(b) else ""


def render(f: dict[str, Any]) -> str:
    e, row = f["environment"], "{:<44}{:>12}{:>12}{:>9}".format
    lines = [f"assistflow vs the SpiffWorkflow peer: N={f['cases']} cases per side at each C, warm-up {f['warmup']} "
             f"(commit {e['commit']}, {e['database']}, Temporal {e['temporal']}, worker cache {e['worker cache']}, "
             f"{e['cpus']} CPUs, Python {e['python']}, temporalio {e['temporalio']}, "
             f"SpiffWorkflow {e['SpiffWorkflow']})"]
    for c, r in f["runs"].items():
        a, p, fl = r["assistflow"], r["peer"], r["floor"]
        ac, pc = a["cpu_ms_per_case"], p["cpu_ms_per_case"]
        lines += ["", row(f"C={c}, 8 requests per case", "assistflow", "peer", "ratio"),
                  row("step p50 ms", f"{a['step_p50_ms']:.1f}", f"{p['step_p50_ms']:.1f}",
                      _ratio(a["step_p50_ms"], p["step_p50_ms"])),
                  row("step p99 ms", f"{a['step_p99_ms']:.1f}", f"{p['step_p99_ms']:.1f}",
                      _ratio(a["step_p99_ms"], p["step_p99_ms"])),
                  row("open p50 ms", f"{a['open_p50_ms']:.1f}", f"{p['open_p50_ms']:.1f}",
                      _ratio(a["open_p50_ms"], p["open_p50_ms"])),
                  row("cases/s", f"{a['cases_per_s']:.2f}", f"{p['cases_per_s']:.2f}",
                      _ratio(a["cases_per_s"], p["cases_per_s"])),
                  row("CPU ms/case: Python (servers + load client)", f"{ac['python']:.1f}", f"{pc['python']:.1f}",
                      _ratio(ac["python"], pc["python"])),
                  row("  API process / peer process", f"{ac['api']:.1f}", f"{pc['peer']:.1f}", ""),
                  row("  worker process", f"{ac['worker']:.1f}", "-", ""),
                  row("  load client", f"{ac['load client']:.1f}", f"{pc['load client']:.1f}", ""),
                  row("CPU ms/case: Temporal server", f"{ac['temporal']:.1f}", "-", ""),
                  row("CPU ms/case: PostgreSQL", f"{ac['postgres']:.1f}", f"{pc['postgres']:.1f}",
                      _ratio(ac["postgres"], pc["postgres"])),
                  row("CPU ms/case: total", f"{ac['total']:.1f}", f"{pc['total']:.1f}",
                      _ratio(ac["total"], pc["total"])),
                  row("CPU ms/case: other processes on the box", f"{ac['other processes']:.1f}",
                      f"{pc['other processes']:.1f}", ""),
                  row("stored bytes per case (PostgreSQL)", f"{r['stored_bytes_per_case']['assistflow']:.0f}",
                      f"{r['stored_bytes_per_case']['peer']:.0f}", ""),
                  row("  + Temporal history bytes per case", f"{r['history']['bytes_per_case']:.0f}", "-", ""),
                  row("history events per case / per step", f"{r['history']['events_per_case']:.1f} / "
                      f"{r['history']['events_per_case'] / 8:.1f}", "-", ""),
                  row("resident MB: API / worker / Temporal | peer",
                      f"{r['rss_mb']['api']:.0f}/{r['rss_mb']['worker']:.0f}/{r['rss_mb']['temporal']:.0f}",
                      f"{r['rss_mb']['peer']:.0f}", _ratio(sum(r["rss_mb"][k] for k in ("api", "worker", "temporal")),
                                                          r["rss_mb"]["peer"])),
                  "", row(f"C={c} the honest floor", "p50 ms", "", ""),
                  row("bare update (no activity)", f"{fl['bare_update_p50_ms']:.1f}", "", ""),
                  row("bare update + no-op local activity", f"{fl['bare_update_local_activity_p50_ms']:.1f}", "", ""),
                  row("the step's own SQL, bare", f"{fl['step_sql_p50_ms']:.1f}", "", ""),
                  row("floor = the two above", f"{fl['floor_p50_ms']:.1f}", "", ""),
                  row("assistflow step p50 / floor", _ratio(a["step_p50_ms"], fl["floor_p50_ms"]), "", ""),
                  row("CPU ms per 8 bare updates", "{:.1f}/{:.1f}/{:.1f}".format(
                      *fl["bare_updates_cpu_ms_per_case"].values()), "", ""),
                  row("CPU ms per 8 local-activity updates", "{:.1f}/{:.1f}/{:.1f}".format(
                      *fl["local_activity_updates_cpu_ms_per_case"].values()), "", ""),
                  row("  (bare worker / load client / Temporal)", "", "", ""),
                  row("CPU ms per case of bare SQL (client / PG)", "{:.1f}/{:.1f}".format(
                      *fl["step_sql_cpu_ms_per_case"].values()), "", ""),
                  "", "{:<22}{:>16}{:>16}{:>16}".format(f"C={c} per step p50/p99", "assistflow", "peer", "bare SQL")]
        for label in (OPEN, *STEP_LABELS):
            cell = [f"{x['per_step'][label]['p50_ms']:.1f}/{x['per_step'][label]['p99_ms']:.1f}" for x in (a, p)]
            lines.append("{:<22}{:>16}{:>16}{:>16.1f}".format(label, *cell, fl["sql_per_step_p50_ms"][label]))
    last = f["runs"][str(max(int(c) for c in f["runs"]))]
    lines += ["", "history events per walked case, by type: " + ", ".join(
        f"{k} {v:.1f}" for k, v in last["history"]["types_per_case"].items())]
    for side, tables in last.get("sql_per_case", {}).items():
        lines.append(f"SQL per walked case, {side} (table: reads / rows inserted / rows updated): " + ", ".join(
            f"{t} {v['reads']:.1f}/{v['inserted']:.1f}/{v['updated']:.1f}" for t, v in sorted(tables.items())))
    if "memory" in f:
        m = f["memory"]
        mb = m["rss_mb"]
        lines += ["", f"memory with {m['cases']} more open cases each (opened in {m['assistflow']:.0f} s / "
                      f"{m['peer']:.0f} s): resident MB API {mb['api']:.0f}, worker {mb['worker']:.0f}, "
                      f"Temporal {mb['temporal']:.0f} | peer {mb['peer']:.0f}"]
    for name, buckets in f.get("profile", {}).items():
        lines += ["", f"py-spy, {name} process (share of its samples; CPU ms per walked case at the largest C):"]
        lines += [f"  {100 * b['share']:5.1f} %  {b['ms_per_case']:6.1f} ms  {k}" for k, b in buckets.items()
                  if k != WAITING]
        if WAITING in buckets:
            lines.append(f"  (samples of threads that were waiting, left out: {100 * buckets[WAITING]['share']:.0f} %)")
    lines += ["", "{:<52}{:>10}{:>10}   {}".format("goal (issue #12)", "measured", "target", "met")]
    for name, (value, target, met) in f["goals"].items():
        lines.append("{:<52}{:>10.2f}{:>10.2f}   {}".format(name, value, target, "yes" if met else "NO"))
    return "\n".join(lines)

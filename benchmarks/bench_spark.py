"""The Spark engine beside the polars engine: wall time, driver memory, per-stage times.

Usage::

    python benchmarks/bench_spark.py --accounts 100000 1000000 [--master local[2]] [--workdir bench-spark]

For each size, generates a marketplace once (``syndicate generate --seed 1``) and runs
``syndicate run`` on it with each engine, each in its own process. While a run goes, the
resident memory of the Python process (the driver) and of its child process tree (the JVM:
in local mode it is the Spark driver *and* the executors) is polled every 50 ms from /proc,
so the peaks are true peaks. The split reported for Spark:

* start-up — getting the Spark session (JVM start);
* Spark stages — reading and validating on Spark, identity, lockstep, combine, bursts,
  components, behaviour aggregates (the engine's ``spark_*`` seconds in the manifest);
* local stages — everything else on the driver (Leiden, co-action, HDBSCAN, features,
  ranking, accounts, report, writing), i.e. the wall time minus the two above.

The claim it checks: the Python driver's peak does not grow with the number of events or
edges (it holds accounts-sized tables, the edges and burst memberships of the accounts that
can end up in a cluster, the distinct targets of HDBSCAN's pool and the members' signals),
while the JVM's does in local mode, because there the JVM is the cluster. Reported beside it:
the edges collected to the driver against all edges, and the event and signal rows collected
against all (the engine's ``edges_collected``, ``edges_total``, ``local_events`` and
``local_signals`` in the manifest). Writes ``WORKDIR/bench_spark.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KB / 1024
    except OSError:
        return 0.0


def run_polled(cmd: list[str]) -> dict:
    """Run ``cmd``; its wall time and the peak RSS of the process and of its descendants."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"driver_mb": 0.0, "children_mb": 0.0, "total_mb": 0.0}

    def poll() -> None:
        while proc.poll() is None:
            tree = _children()
            todo, below = list(tree.get(proc.pid, [])), 0.0
            while todo:
                pid = todo.pop()
                below += _rss_mb(pid)
                todo += tree.get(pid, [])
            driver = _rss_mb(proc.pid)
            peak["driver_mb"] = max(peak["driver_mb"], driver)
            peak["children_mb"] = max(peak["children_mb"], below)
            peak["total_mb"] = max(peak["total_mb"], driver + below)
            time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, err = proc.communicate()
    poller.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {"wall_s": round(time.perf_counter() - started, 1), **{k: round(v) for k, v in peak.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", default=["polars", "spark"], choices=["polars", "spark"])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workdir", default="bench-spark")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    exe = [sys.executable, "-m", "syndicate"]
    results = []
    for n in args.accounts:
        data = work / f"data-{n}"
        if not (data / "accounts.parquet").exists():
            subprocess.run([*exe, "generate", str(data), "--accounts", str(n), "--seed", str(args.seed)],
                           check=True, stdout=subprocess.DEVNULL)
        for engine in args.engines:
            out = work / f"run-{n}-{engine}"
            cmd = [*exe, "run", str(data), "--out", str(out), "--quiet", "--seed", str(args.seed), "--engine", engine]
            if engine == "spark":
                cmd += ["--spark-master", args.master]
            figures = run_polled(cmd)
            manifest = json.loads((out / "manifest.json").read_text())
            stages = manifest["timings_seconds"]
            seconds = manifest.get("engine", {}).get("seconds", {})
            startup = seconds.get("spark_startup", 0.0)
            on_spark = sum(v for k, v in seconds.items() if k.startswith("spark_") and k != "spark_startup")
            events = manifest["input_rows"].get("events", 0)
            edges = manifest["link"]["edges"]
            row = {"accounts": n, "events": events, "engine": engine, **figures,
                   "startup_s": round(startup, 1), "spark_stages_s": round(on_spark, 1),
                   "local_s": round(figures["wall_s"] - startup - on_spark, 1),
                   "edges_total": edges, "edges_collected": seconds.get("edges_collected", edges),
                   "events_collected": seconds.get("local_events", events),
                   "signals_collected": seconds.get("local_signals", manifest["input_rows"].get("signals", 0)),
                   "stages": stages, "engine_seconds": seconds}
            results.append(row)
            print(f"{n:>9,} accounts {row['events']:>11,} events  {engine:6s}  wall {row['wall_s']:7.1f} s  "
                  f"driver {row['driver_mb']:>6,} MB  JVM {row['children_mb']:>6,} MB  "
                  f"start-up {row['startup_s']:5.1f} s  Spark stages {row['spark_stages_s']:6.1f} s  "
                  f"local {row['local_s']:6.1f} s", flush=True)
            print(f"    driver holds: edges {row['edges_collected']:,} of {row['edges_total']:,} "
                  f"({row['edges_collected'] / max(row['edges_total'], 1):.0%}), events {row['events_collected']:,} of "
                  f"{events:,} ({row['events_collected'] / max(events, 1):.0%}), signals {row['signals_collected']:,} of "
                  f"{manifest['input_rows'].get('signals', 0):,}", flush=True)
            print("    stages: " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()), flush=True)
            if seconds:
                print("    engine: " + ", ".join(f"{k} {v}" for k, v in seconds.items()), flush=True)
    (work / "bench_spark.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

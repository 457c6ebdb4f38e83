"""`syndicate run` on a data folder, measured from outside: wall, CPU and the TRUE peak memory.

Usage::

    python -m syndicate generate /tmp/m1m --accounts 1000000 --seed 1
    python benchmarks/bench_run.py /tmp/m1m [--repeat 2] [--workdir /tmp/bench-runs]

The run is a child process. Its memory (the resident set of the process tree, a child that has
not yet exec'd counted once with its parent: ``proc_memory.py``) is polled every 50 ms: the package resets the kernel's peak mark at every
stage (for its per-stage figures), so ``/usr/bin/time`` and VmHWM would show only the last
stage's peak. CPU time (user + system of the child, from ``os.wait4``) is printed beside wall
time, for the whole run and, from the run's manifest, per stage; the machine's load average is
printed too, since shared machines make wall time noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from proc_memory import tree_memory_mb


def measure_command(args: list[str]) -> dict:
    """``python -m syndicate ARGS`` as a child process: wall and CPU time (user + system, from
    ``os.wait4``), its true peak memory (polled every 50 ms) and the load average before it."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "syndicate", *args])
    peak = 0.0
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, tree_memory_mb(child.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"syndicate {args[0]} exited {os.waitstatus_to_exitcode(status)}")
    # System time and minor page faults: on a VM that hands freed memory back to its host,
    # first-touching fresh pages is a large share of a run (syndicate/memory.py).
    return {"wall_s": round(wall, 1), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "sys_s": round(usage.ru_stime, 1), "minor_faults": usage.ru_minflt,
            "true_peak_mb": round(peak), "load_before": round(load, 2)}


def measure(data_dir: Path, out: Path, config: Path | None = None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    extra = ["--config", str(config)] if config else []
    result = measure_command(["run", str(data_dir), "--out", str(out), "--quiet", *extra])
    manifest = json.loads((out / "manifest.json").read_text())
    return {**result,
            "stages_wall_s": manifest.get("timings_seconds", {}),
            "stages_cpu_s": manifest.get("cpu_seconds", {}),
            "stages_peak_mb": manifest.get("peak_memory_mb", {})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/syndicate-bench-runs"))
    parser.add_argument("--config", type=Path, help="a TOML config for the run (e.g. a detector turned off)")
    args = parser.parse_args()
    for i in range(args.repeat):
        result = measure(args.data_dir, args.workdir / f"run-{i}", args.config)
        print(f"run {i + 1}: wall {result['wall_s']} s, CPU {result['cpu_s']} s (system {result['sys_s']} s, "
              f"{result['minor_faults']:,} page faults), true peak "
              f"{result['true_peak_mb']:,} MB (load average before: {result['load_before']})")
        for stage, wall in result["stages_wall_s"].items():
            cpu = result["stages_cpu_s"].get(stage, float("nan"))
            peak = result["stages_peak_mb"].get(stage, float("nan"))
            print(f"  {stage:<10} wall {wall:7.1f} s  CPU {cpu:7.1f} s  stage peak {peak:8,.0f} MB")
        print(json.dumps(result))


if __name__ == "__main__":
    main()

"""End-to-end benchmark: generate marketplaces, run the pipeline, print per-stage time and memory.

Usage::

    python benchmarks/bench_pipeline.py --accounts 100000 1000000            # identity + behaviour
    python benchmarks/bench_pipeline.py --accounts 1000000 --identity-only   # issue 2 target

Each size runs in a fresh process so peak memory is that run's alone. Targets (2 cores):
identity stages at 1M accounts < 60 s and < 4 GB; full pipeline at 1M accounts / 20M events
< 180 s and < 8 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def _one(n: int, seed: int, workdir: Path, identity_only: bool) -> dict:
    from syndicate.config import Config, ClusterConfig, LockstepConfig
    from syndicate.io import write_tables
    from syndicate.pipeline import run_to_folder
    from syndicate.progress import peak_rss_mb
    from syndicate.synthetic import generate_marketplace

    import shutil

    data_dir = workdir / f"data-{n}{'-identity' if identity_only else ''}"
    shutil.rmtree(data_dir, ignore_errors=True)  # no stale tables from another mode
    start = time.perf_counter()
    tables = generate_marketplace(n, seed=seed)
    gen_s = time.perf_counter() - start
    if identity_only:
        tables.pop("events", None)
    write_tables({k: v for k, v in tables.items() if k != "truth"}, data_dir)
    rows = {k: v.height for k, v in tables.items()}
    del tables
    config = Config(seed=seed)
    if identity_only:
        config = config.replace(lockstep=LockstepConfig(enabled=False),
                                cluster=ClusterConfig(hdbscan_enabled=False))
    start = time.perf_counter()
    result = run_to_folder(data_dir, workdir / f"run-{n}{'-identity' if identity_only else ''}",
                           config=config, quiet=True)
    total = time.perf_counter() - start
    return {
        "accounts": n, "rows": rows, "generate_s": round(gen_s, 1), "pipeline_s": round(total, 1),
        "stages_s": result.manifest["timings_seconds"], "stage_peak_mb": result.manifest["peak_memory_mb"],
        # Progress resets the kernel's peak mark per stage: the run's peak is the largest stage peak.
        "process_peak_mb": round(max([peak_rss_mb(), *result.manifest["peak_memory_mb"].values()]), 0),
        "clusters": result.clusters.height,
        "edges": result.edges.height, "hubs": result.manifest["hubs"]["count"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default="bench-output")
    parser.add_argument("--identity-only", action="store_true", help="drop events (issue 2 target)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.child is not None:
        print(json.dumps(_one(args.child, args.seed, workdir, args.identity_only)))
        return
    for n in args.accounts:
        cmd = [sys.executable, __file__, "--child", str(n), "--seed", str(args.seed), "--workdir", str(workdir)]
        if args.identity_only:
            cmd.append("--identity-only")
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        mode = "identity only" if args.identity_only else "identity + behaviour"
        print(f"\n== {r['accounts']:,} accounts ({mode}) ==")
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in r["rows"].items()))
        print(f"generate {r['generate_s']} s (not counted); pipeline {r['pipeline_s']} s end to end; "
              f"process peak {r['process_peak_mb']:,.0f} MB")
        print(f"{'stage':<12}{'seconds':>9}{'peak MB':>10}")
        for stage, seconds in r["stages_s"].items():
            print(f"{stage:<12}{seconds:>9.1f}{r['stage_peak_mb'].get(stage, 0):>10,.0f}")
        print(f"edges {r['edges']:,}; clusters {r['clusters']:,}; hubs {r['hubs']:,}")


if __name__ == "__main__":
    main()

"""Per-stage wall time, CPU time and true peak memory of one run, in one process.

Usage::

    python benchmarks/bench_stages.py DATA_DIR                       # every stage once
    python benchmarks/bench_stages.py DATA_DIR --profile accounts     # plus cProfile of a stage

Loads the data folder once (``syndicate.io.load_dataset``), then runs the pipeline's stages
(link, behaviour, cluster, features, rank, accounts) as ``syndicate run`` does, writing
nothing. Memory is the process's resident set polled every 20 ms (``/proc/self/status``
VmRSS): the kernel's peak mark cannot be used, because ``syndicate.progress`` resets it per
stage. CPU time is the steadier figure on a shared machine; wall time counts threads once.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import threading
import time

from proc_memory import rss_kb


def _rss_mb() -> int:
    return rss_kb(os.getpid()) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir")
    parser.add_argument("--profile", default="", help="comma-separated stages to profile")
    args = parser.parse_args()

    peak = {"stage": 0, "run": 0}

    def poll() -> None:
        while True:
            rss = _rss_mb()
            peak["stage"], peak["run"] = max(peak["stage"], rss), max(peak["run"], rss)
            time.sleep(0.02)

    threading.Thread(target=poll, daemon=True).start()

    from syndicate import pipeline
    from syndicate.config import Config
    from syndicate.io import load_dataset

    config = Config()

    def stage(name, fn):
        profiler = cProfile.Profile() if name in args.profile.split(",") else None
        before = _rss_mb()
        peak["stage"] = before
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = fn()
        if profiler:
            profiler.disable()
        print(f"{name:10s} wall {time.perf_counter() - wall:6.1f} s  cpu {time.process_time() - cpu:6.1f} s  "
              f"rss {before:,} -> peak {peak['stage']:,} MB (+{peak['stage'] - before:,})", flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return result

    dataset = stage("validate", lambda: load_dataset(args.data_dir))
    links = stage("link", lambda: pipeline.link(dataset, config))
    behaviour = stage("behaviour", lambda: pipeline.behaviour(dataset, config))
    members, meta = stage("cluster", lambda: pipeline.cluster(links.edges, config, dataset=dataset,
                                                              account_features=behaviour, links=links))
    table = stage("features", lambda: pipeline.features(dataset, links, members, config, account_features=behaviour,
                                                               meta=meta))
    clusters, _ = stage("rank", lambda: pipeline.rank(table, meta, config))
    stage("accounts", lambda: pipeline.score_accounts(dataset, links, members, clusters, meta, config,
                                                      account_features=behaviour))
    print(f"true peak of the run: {peak['run']:,} MB")


if __name__ == "__main__":
    main()

"""Cost of the behaviour-clustering path: account features at scale, and HDBSCAN.

Each figure is measured in its own process (peak RSS is per process), median of ``--repeat``
runs. Usage::

    python benchmarks/bench_hdbscan.py                 # everything
    python benchmarks/bench_hdbscan.py features        # 1M accounts / 20M events
    python benchmarks/bench_hdbscan.py hdbscan         # hdbscan 25k/50k, sklearn 25k
    python benchmarks/bench_hdbscan.py behaviour       # features + behaviour_clusters, 1M / 20M
    python benchmarks/bench_hdbscan.py one NAME [ROWS] # a single figure (used internally)

HDBSCAN figures are named ``library[_msN][_dD]``: min_samples N (default 5, the config's),
first D of the input dimensions (default all 20: 12 behaviour features + 8 target dims).

Synthetic data are plain numpy draws (seeded): Zipf-like target popularity, uniform times over
90 days, six actions with marketplace-like frequencies. HDBSCAN inputs are drawn from the
real feature pipeline on such data, robust-scaled, with planted tight groups.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime

import numpy as np
import polars as pl

ACTIONS = np.array(["like", "follow", "comment", "order", "post", "review"])
ACTION_P = np.array([0.55, 0.18, 0.1, 0.07, 0.06, 0.04])
T0 = datetime(2026, 6, 1)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process and its children (the machine may be shared: wall time
    then overstates the cost, CPU time does not)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def synthetic_tables(n_accounts: int, n_events: int, n_targets: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    t0 = int(T0.timestamp() * 1e6)
    created = t0 - rng.integers(0, 3 * 365 * 86_400, n_accounts) * 1_000_000
    # Activity is heavy-tailed: a few accounts do most of the acting.
    weights = rng.pareto(1.5, n_accounts) + 1
    acc = rng.choice(n_accounts, n_events, p=weights / weights.sum()).astype(np.int64)
    tgt = np.minimum(rng.zipf(1.3, n_events) - 1, n_targets - 1).astype(np.int64)
    tgt = (tgt * 2_654_435_761) % n_targets  # spread popular targets over the id space
    ts = t0 + rng.integers(0, 90 * 86_400 * 1_000_000, n_events)
    action = ACTIONS[rng.choice(len(ACTIONS), n_events, p=ACTION_P)]
    accounts = pl.DataFrame({
        "account_id": pl.Series(np.arange(n_accounts)).cast(pl.String).str.zfill(8),
        "created_at": pl.Series(created).cast(pl.Datetime("us")),
    })
    events = pl.DataFrame({
        "account_id": pl.Series(acc).cast(pl.String).str.zfill(8),
        "action": pl.Series(action).cast(pl.String),
        "target_id": pl.Series(tgt).cast(pl.String).str.zfill(8),
        "ts": pl.Series(ts).cast(pl.Datetime("us")),
    })
    return accounts, events


def hdbscan_input(rows: int, seed: int = 0) -> np.ndarray:
    """What behaviour_clusters feeds HDBSCAN for ``rows`` accounts (scaled behaviour features
    plus the 8-dimensional target embedding), with planted tight groups of 40."""
    from syndicate.cluster.density import clustering_matrix
    from syndicate.config import ClusterConfig
    from syndicate.features.accounts import account_behaviour_features
    from syndicate.features.clusters import reference_time

    accounts, events = synthetic_tables(rows, rows * 25, rows * 5, seed=seed)
    now = reference_time(accounts, (events, "ts"))
    feats = account_behaviour_features(events, accounts, now=now)
    x = clustering_matrix(feats, config=ClusterConfig(), seed=seed, events=events)
    rng = np.random.default_rng(seed)
    for _ in range(rows // 1000):
        idx = rng.choice(len(x), 40, replace=False)
        x[idx] = x[idx[0]] + rng.normal(0, 0.05, (40, x.shape[1]))
    return x


def measure(name: str, rows: int) -> dict:
    if name == "features":
        from syndicate.features.accounts import account_behaviour_features
        from syndicate.features.clusters import reference_time

        accounts, events = synthetic_tables(1_000_000, 20_000_000, 1_000_000)
        base = rss_mb()
        now = reference_time(accounts, (events, "ts"))
        start, cpu = time.perf_counter(), cpu_s()
        feats = account_behaviour_features(events, accounts, now=now)
        seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
        return {"name": name, "rows": events.height, "accounts_out": feats.height,
                "columns": feats.width - 1, "seconds": seconds, "cpu_seconds": cpu,
                "rss_before_mb": base, "peak_rss_mb": rss_mb()}
    if name == "behaviour":
        from syndicate.cluster.density import behaviour_clusters, select_accounts
        from syndicate.config import ClusterConfig
        from syndicate.features.accounts import account_behaviour_features
        from syndicate.features.clusters import reference_time

        accounts, events = synthetic_tables(1_000_000, 20_000_000, 1_000_000)
        base = rss_mb()
        config = ClusterConfig()
        start, cpu = time.perf_counter(), cpu_s()
        feats = account_behaviour_features(events, accounts, now=reference_time(accounts, (events, "ts")))
        t_features = time.perf_counter() - start
        groups = behaviour_clusters(feats, config=config, seed=0, events=events)
        seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
        eligible = feats.filter(pl.col("n_events") >= config.hdbscan_min_events).height
        return {"name": name, "rows": events.height, "eligible": eligible,
                "clustered": select_accounts(feats, config=config).height,
                "groups": groups["group"].n_unique(), "grouped": groups.height,
                "seconds": seconds, "features_seconds": t_features,
                "clusters_seconds": seconds - t_features, "cpu_seconds": cpu,
                "rss_before_mb": base, "peak_rss_mb": rss_mb()}
    # Inputs are prepared by another process and cached, so that this process's peak RSS is
    # HDBSCAN's (plus imports), not the feature pipeline's.
    x = np.load(input_path(rows))
    # name: library[_msN][_dD] — min_samples N (default: the config's), first D dimensions.
    parts = {k: int(v) for k, v in (re.fullmatch(r"([a-z]+)(\d+)", p).groups()
                                    for p in name.split("_")[1:])}
    min_samples = parts.get("ms", 5)
    x = x[:, :parts.get("d", x.shape[1])]
    base = rss_mb()
    start, cpu = time.perf_counter(), cpu_s()
    if name.startswith("hdbscan"):
        import hdbscan

        labels = hdbscan.HDBSCAN(min_cluster_size=10, min_samples=min_samples,
                                 core_dist_n_jobs=1).fit_predict(x)
    else:
        from sklearn.cluster import HDBSCAN

        labels = HDBSCAN(min_cluster_size=10, min_samples=min_samples).fit_predict(x)
    seconds, cpu = time.perf_counter() - start, cpu_s() - cpu
    return {"name": name, "rows": rows, "dims": x.shape[1], "seconds": seconds, "cpu_seconds": cpu,
            "clusters": int(labels.max() + 1), "noise": float((labels < 0).mean()),
            "rss_before_mb": base, "peak_rss_mb": rss_mb()}


def input_path(rows: int) -> str:
    return os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bench_hdbscan_input_{rows}.npy")


def run_one(name: str, rows: int, repeat: int) -> dict:
    if name not in ("features", "behaviour") and not os.path.exists(input_path(rows)):
        subprocess.run([sys.executable, __file__, "prepare", str(rows)], check=True)
    results = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "one", name, str(rows)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = dict(results[0])
    best["seconds"] = statistics.median(r["seconds"] for r in results)
    best["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in results)
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    return best


def main(argv: list[str]) -> None:
    if argv and argv[0] == "prepare":
        rows = int(argv[1])
        np.save(input_path(rows) + ".tmp.npy", hdbscan_input(rows))
        os.replace(input_path(rows) + ".tmp.npy", input_path(rows))
        return
    if argv and argv[0] == "one":
        print(json.dumps(measure(argv[1], int(argv[2]) if len(argv) > 2 else 0)))
        return
    what = argv[0] if argv else "all"
    plan: list[tuple[str, int]] = []
    if what in ("all", "features"):
        plan.append(("features", 0))
    if what in ("all", "hdbscan"):
        plan += [("hdbscan", 25_000), ("sklearn", 25_000), ("hdbscan_ms10", 25_000),
                 ("sklearn_ms10", 25_000), ("hdbscan_d12", 25_000), ("hdbscan", 50_000)]
    if what in ("all", "behaviour"):
        plan.append(("behaviour", 0))
    for name, rows in plan:
        # The feature build is short and noisy: median of 3. HDBSCAN runs are long: one each.
        r = run_one(name, rows, 3 if name == "features" else 1)
        print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()}),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

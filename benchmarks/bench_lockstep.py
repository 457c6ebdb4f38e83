"""Benchmark lockstep_links on synthetic events: wall time, peak RSS and the stage's info.

Organic activity: long-tailed account activity (log-normal rates) over Zipf-popular targets,
spread over 30 days. Planted on top: lockstep groups (members acting on the group's jobs within
seconds of each other) and a few viral targets (thousands of accounts within minutes).

    python benchmarks/bench_lockstep.py --events 20000000 --accounts 1000000 --targets 1000000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import time

import numpy as np
import polars as pl

from syndicate.config import LockstepConfig
from syndicate.link.lockstep import lockstep_links

_DAY_S = 86_400
_SPAN_DAYS = 30
_ACTIONS = ("like", "follow", "comment", "order", "review", "post")
_ACTION_MIX = (0.55, 0.18, 0.10, 0.06, 0.04, 0.07)


def synthetic_events(
    n_events: int, n_accounts: int, n_targets: int, *, n_groups: int, n_viral: int, seed: int
) -> tuple[pl.DataFrame, int]:
    """Events with planted lockstep groups; returns the events and the planted group members."""
    rng = np.random.default_rng(seed)
    group_size, jobs_per_group, viral_size = 30, 40, 5_000
    planted = n_groups * group_size * jobs_per_group + n_viral * viral_size
    n_organic = max(n_events - planted, 0)

    activity = rng.lognormal(0.0, 1.1, n_accounts)
    account = rng.choice(n_accounts, n_organic, p=activity / activity.sum()).astype(np.int64)
    # Target popularity ~ 1 / rank^0.9: the top target draws ~3% of all events (~650k of 20M).
    popularity = 1.0 / np.arange(1, n_targets + 1) ** 0.9
    target = rng.choice(n_targets, n_organic, p=popularity / popularity.sum())
    ts = rng.integers(0, _SPAN_DAYS * _DAY_S, n_organic)
    action = rng.choice(len(_ACTIONS), n_organic, p=_ACTION_MIX)

    # Lockstep groups: each member takes ~70% of the group's jobs, within 60 s of the job's start.
    g_members = rng.permutation(n_accounts)[: n_groups * group_size].reshape(n_groups, group_size)
    g_account = np.repeat(g_members, jobs_per_group, axis=0).reshape(n_groups, jobs_per_group, group_size)
    g_target = rng.integers(0, n_targets, (n_groups, jobs_per_group, 1)).repeat(group_size, axis=2)
    g_start = rng.integers(0, _SPAN_DAYS * _DAY_S, (n_groups, jobs_per_group, 1))
    g_ts = g_start + rng.integers(0, 60, (n_groups, jobs_per_group, group_size))
    g_taken = rng.random((n_groups, jobs_per_group, group_size)) < 0.7

    # Viral targets: thousands of accounts within five minutes.
    v_account = rng.integers(0, n_accounts, (n_viral, viral_size))
    v_target = rng.integers(0, n_targets, (n_viral, 1)).repeat(viral_size, axis=1)
    v_ts = rng.integers(0, _SPAN_DAYS * _DAY_S, (n_viral, 1)) + rng.integers(0, 300, (n_viral, viral_size))

    account = np.concatenate([account, g_account[g_taken], v_account.ravel()])
    target = np.concatenate([target, g_target[g_taken], v_target.ravel()])
    ts = np.concatenate([ts, g_ts[g_taken], v_ts.ravel()])
    action = np.concatenate([action, np.zeros(len(account) - n_organic, dtype=action.dtype)])
    epoch_us = 1_767_225_600 * 1_000_000  # 2026-01-01
    frame = pl.DataFrame(
        {"account_id": account, "action": action, "target_id": target, "ts": ts * 1_000_000 + epoch_us}
    ).select(
        pl.format("acc{}", pl.col("account_id")).alias("account_id"),
        pl.col("action").replace_strict(list(range(len(_ACTIONS))), list(_ACTIONS), return_dtype=pl.String),
        pl.format("t{}", pl.col("target_id")).alias("target_id"),
        pl.col("ts").cast(pl.Datetime("us")),
    )
    groups = pl.DataFrame(
        {"account_id": [f"acc{a}" for a in g_members.ravel()], "group": np.repeat(np.arange(n_groups), group_size)}
    )
    return frame, groups


def _current_rss_gib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**30


def _reset_peak_rss() -> None:
    """Forget the generator's peak, so that getrusage reports the peak of the measured call."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        print("(could not reset the peak RSS: it includes generating the events)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000_000)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--targets", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=200, help="planted lockstep groups of 30")
    parser.add_argument("--viral", type=int, default=5, help="viral targets with 5,000 accounts")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    start = time.perf_counter()
    events, groups = synthetic_events(
        args.events, args.accounts, args.targets, n_groups=args.groups, n_viral=args.viral, seed=args.seed
    )
    generated = time.perf_counter() - start
    gc.collect()
    rss_before = _current_rss_gib()
    _reset_peak_rss()

    start = time.perf_counter()
    links = lockstep_links(events, config=LockstepConfig(), seed=args.seed)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

    edges = links.edges
    for side in ("a", "b"):
        member = groups.rename({"account_id": f"account_{side}", "group": f"group_{side}"})
        edges = edges.join(member, on=f"account_{side}", how="left")
    planted = edges.filter(pl.col("group_a") == pl.col("group_b"))
    other = edges.filter(~(pl.col("group_a") == pl.col("group_b")).fill_null(False))
    n_planted_pairs = args.groups * 30 * 29 // 2
    print(f"events: {events.height:,}, generated in {generated:.1f} s")
    print(f"lockstep_links: {elapsed:.2f} s wall, peak RSS {peak:.2f} GiB "
          f"(whole process; {rss_before:.2f} GiB before the call, holding the input)")
    print(f"planted pairs: {n_planted_pairs:,}; with an edge: {planted.height:,}, of which lockstep >= 0.2: "
          f"{planted.filter(pl.col('lockstep') >= 0.2).height:,} (median {planted['lockstep'].median() or 0:.3f})")
    print(f"other edges: {other.height:,}, of which lockstep >= 0.2: "
          f"{other.filter(pl.col('lockstep') >= 0.2).height:,}")
    print(json.dumps(links.info, indent=2, default=str))


if __name__ == "__main__":
    main()

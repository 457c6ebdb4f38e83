"""The co-action stage alone on a data folder, with and without sparse crews.

Runs the link stage once (not timed), then ``coaction_groups`` with ``cluster.coaction_sparse``
off and on, each ``--repeat`` times: wall and CPU time, the process's peak resident memory,
groups and grouped accounts. With the folder's ``truth.parquet`` (the test marketplaces'), the
grouped accounts are split into planted bad ones and the rest, and the groups into mostly bad
and mostly honest: what the crews add, and at what price.

    python benchmarks/bench_coaction.py /tmp/m1m --repeat 2

The thirty-seventh sitting's figures (RESULTS.md), 1M accounts of our generator, load 1.1: 4.7 s
without crews, 33.5 s with them; 73,260 honest accounts in 469 groups beside 2,670 more farm
workers. The peak printed here is the process's, the link stage's at that size (3.85 GB); the
stage alone on stored bursts peaked 0.6 GB higher with crews.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
from pathlib import Path

import polars as pl

from syndicate.cluster.coaction import coaction_groups
from syndicate.config import Config
from syndicate.io import load_dataset
from syndicate.pipeline import link


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # KB on Linux


def _split(groups: pl.DataFrame, truth: pl.DataFrame | None) -> str:
    if truth is None or groups.height == 0:
        return ""
    joined = groups.join(truth.select("account_id", "is_bad"), on="account_id", how="left").with_columns(
        pl.col("is_bad").fill_null(False))
    per = joined.group_by("group").agg(pl.col("is_bad").mean().alias("bad"))
    return (f"; bad accounts {int(joined['is_bad'].sum()):,}, others {int((~joined['is_bad']).sum()):,}; "
            f"groups mostly bad {per.filter(pl.col('bad') >= 0.5).height:,}, "
            f"mostly honest {per.filter(pl.col('bad') < 0.5).height:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    config = dataclasses.replace(Config(), seed=args.seed)
    started = time.perf_counter()
    links = link(load_dataset(args.data), config)
    print(f"link stage (not timed below): {time.perf_counter() - started:.1f} s, "
          f"{links.bursts.height if links.bursts is not None else 0:,} burst memberships, peak {_peak_gb():.2f} GB")
    truth_path = args.data / "truth.parquet"
    truth = pl.read_parquet(truth_path) if truth_path.exists() else None
    edges = links.coded_edges()
    for sparse in (False, True) * args.repeat:
        cluster = dataclasses.replace(config.cluster, coaction_sparse=sparse)
        wall, cpu = time.perf_counter(), time.process_time()
        groups = coaction_groups(edges, links.bursts, links.burst_account_ids, config=cluster, seed=config.seed,
                                 totals=links.burst_totals)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"sparse crews {'on ' if sparse else 'off'}: wall {wall:.1f} s, CPU {cpu:.1f} s, "
              f"process peak {_peak_gb():.2f} GB; {groups['group'].n_unique():,} groups, "
              f"{groups.height:,} accounts{_split(groups, truth)}")


if __name__ == "__main__":
    main()

"""`syndicate score-new` measured: new accounts screened against yesterday's run.

Each data folder (one with a generator's ``truth.parquet``) is split by account creation: the
newest ``--share`` of the accounts are today's sign-ups (their signals and events, no labels:
nobody has judged them yet), the rest yesterday's data. `syndicate run` runs on yesterday's,
`syndicate score-new` screens the sign-ups against it; printed per folder: the new accounts'
average precision and AUROC against the truth (and the prevalence, what a ranking by chance
gets), how many were tied to a cluster or grouped among themselves, and score-new's wall time,
CPU time and true peak memory.

Usage::

    python benchmarks/screen_new.py /tmp/d/g20k /tmp/d/m5s1 ... [--share 0.1] [--workdir /tmp/screen]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import polars as pl
from bench_run import measure_command
from sklearn.metrics import average_precision_score, roc_auc_score


def split_by_creation(source: Path, old: Path, new: Path, share: float) -> None:
    """The accounts of ``source`` made before the newest ``share`` of them, with their rows
    (links with both ends among them), in ``old``; the rest in ``new``, without labels."""
    from syndicate.io import load_dataset, write_tables

    dataset = load_dataset(source)
    accounts = dataset.accounts
    cut = accounts["created_at"].sort()[int(accounts.height * (1 - share))]
    for folder, part, names in ((old, accounts.filter(pl.col("created_at") < cut), ("signals", "events", "labels")),
                                (new, accounts.filter(pl.col("created_at") >= cut), ("signals", "events"))):
        ids = part.select("account_id")
        rows = {name: getattr(dataset, name).join(ids, on="account_id", how="semi") for name in names
                if getattr(dataset, name) is not None}
        if dataset.links is not None and folder == old:
            rows["links"] = (dataset.links.join(ids, left_on="account_a", right_on="account_id", how="semi")
                             .join(ids, left_on="account_b", right_on="account_id", how="semi"))
        write_tables({"accounts": part, **rows}, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dirs", type=Path, nargs="+")
    parser.add_argument("--share", type=float, default=0.1, help="share of the newest accounts screened")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/syndicate-screen-new"))
    args = parser.parse_args()
    for data in args.data_dirs:
        work = args.workdir / data.name
        shutil.rmtree(work, ignore_errors=True)
        split_by_creation(data, work / "old", work / "new", args.share)
        measure_command(["run", str(work / "old"), "--out", str(work / "run"), "--seed", "1", "--quiet"])
        cost = measure_command(["score-new", str(work / "run"), str(work / "new"), "--out", str(work / "out"),
                                "--quiet"])
        scored = (pl.read_parquet(work / "out" / "assignments.parquet")
                  .join(pl.read_parquet(data / "truth.parquet").select("account_id", "is_bad"), on="account_id"))
        y, s = scored["is_bad"].fill_null(False).to_numpy(), scored["risk_score"].to_numpy()
        both = y.any() and not y.all()
        ap = average_precision_score(y, s) if both else float("nan")
        auc = roc_auc_score(y, s) if both else float("nan")
        print(f"{data.name:12s} new {scored.height:6,} bad {y.mean():.3f}  AP {ap:.3f}  AUROC {auc:.3f}  "
              f"tied {scored['cluster_id'].is_not_null().sum():5,}  grouped {scored['new_group'].is_not_null().sum():5,}  "
              f"score-new {cost['wall_s']} s wall, {cost['cpu_s']} s CPU, {cost['true_peak_mb']:,} MB "
              f"(load {cost['load_before']})")


if __name__ == "__main__":
    main()

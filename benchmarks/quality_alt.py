"""Quality of syndicate on a marketplace it was not built with (``benchmarks/alt_marketplace.py``).

Generates (or takes) an alt marketplace, runs ``python -m syndicate run`` and
``python -m syndicate evaluate`` on it, and prints recall per planted kind, top-K precision,
the benign kinds that reached the top K, and account-level average precision::

    python benchmarks/quality_alt.py --accounts 20000 --seed 1
    python benchmarks/quality_alt.py --accounts 20000 --seed 2 --no-labels
    python benchmarks/quality_alt.py --data DATA_DIR            # any folder with truth.parquet

Account AP scores every account by ``accounts.parquet``'s ``risk_score`` when the run writes
one, else by its cluster's ``risk_score`` (0 outside any cluster). ``--json`` adds one line of
JSON with every figure, for scripts.
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

import polars as pl

HERE = Path(__file__).resolve().parent
BAD_KINDS = ("matrix_ring", "engagement_farm", "review_ring", "sparse_farm", "evasive_ring")


def make_data(workdir: Path, accounts: int, seed: int, no_labels: bool) -> Path:
    """Generate the alt marketplace into ``workdir`` (reused when already there); with
    ``no_labels`` a sibling folder links every table but ``labels``."""
    data = workdir / f"alt-{accounts}-s{seed}"
    if not (data / "truth.parquet").is_file():
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "alt_marketplace.py"), str(data), "--accounts", str(accounts),
                        "--seed", str(seed)], check=True)
    return without_labels(data, workdir) if no_labels else data


def without_labels(data: Path, workdir: Path) -> Path:
    """A sibling of ``data`` in ``workdir`` that links every table but ``labels`` (parquet or
    CSV)."""
    bare = workdir / f"{data.name}-nolabels"
    bare.mkdir(exist_ok=True)
    for table in [*data.glob("*.parquet"), *data.glob("*.csv")]:
        link = bare / table.name
        if table.stem != "labels" and not link.exists():
            link.symlink_to(table.resolve())
    return bare


def run_syndicate(data: Path, run_dir: Path, seed: int, extra: list[str]) -> float:
    """``syndicate run`` in a child process; returns its wall seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "syndicate", "run", str(data), "--out", str(run_dir),
                    "--seed", str(seed), "--quiet", *extra], check=True)
    return time.perf_counter() - start


def evaluate(run_dir: Path, truth: Path, out: Path, top_k: int | None) -> dict:
    cmd = [sys.executable, "-m", "syndicate", "evaluate", str(run_dir), "--truth", str(truth), "--out", str(out)]
    if top_k:
        cmd += ["--top-k", str(top_k)]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads((out / "evaluation.json").read_text())


def account_scores(run_dir: Path, truth: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """Every truth account with a score and where the score came from."""
    accounts = run_dir / "accounts.parquet"
    if accounts.is_file():
        scores = pl.read_parquet(accounts, columns=["account_id", "risk_score"])
        source = "accounts.parquet risk_score"
    else:
        members = pl.read_parquet(run_dir / "members.parquet", columns=["account_id", "cluster_id"])
        clusters = pl.read_parquet(run_dir / "clusters.parquet", columns=["cluster_id", "risk_score"])
        scores = members.join(clusters, on="cluster_id").select("account_id", "risk_score")
        source = "cluster risk_score of members, 0 for the rest"
    scored = truth.select("account_id", "is_bad").join(scores, on="account_id", how="left") \
        .with_columns(pl.col("risk_score").fill_null(0.0))
    return scored, source


def average_precision(scored: pl.DataFrame) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(scored["is_bad"].to_numpy(), scored["risk_score"].to_numpy()))


def top_clusters(run_dir: Path, truth: pl.DataFrame, k: int) -> pl.DataFrame:
    """The K riskiest clusters with their main truth kind and share of bad members."""
    members = pl.read_parquet(run_dir / "members.parquet", columns=["account_id", "cluster_id"])
    clusters = pl.read_parquet(run_dir / "clusters.parquet")
    cols = [c for c in ("cluster_id", "size", "risk_score", "archetype") if c in clusters.columns]
    kinds = (members.join(truth.select("account_id", "group_kind", "is_bad"), on="account_id")
             .group_by("cluster_id").agg(pl.col("group_kind").mode().sort().first().alias("main_kind"),
                                         pl.col("is_bad").mean().alias("bad_share")))
    return (clusters.select(cols).join(kinds, on="cluster_id", how="left")
            .sort(["risk_score", "size", "cluster_id"], descending=[True, True, False]).head(k))


def report(metrics: dict, top: pl.DataFrame, ap: float, ap_source: str, wall: float, data: Path) -> dict:
    groups = metrics.get("groups", {})
    k = metrics["top_k"]["k"]
    benign_top = top.filter(~pl.col("main_kind").is_in(BAD_KINDS) | pl.col("main_kind").is_null())
    print(f"data {data}; syndicate run {wall:.1f} s wall")
    print(f"{'kind':<18}{'planted':>8}{'found':>7}{'flagged':>9}{'recall':>8}")
    for kind, v in groups.get("by_kind", {}).items():
        print(f"{kind:<18}{v['planted']:>8}{v['found']:>7}{v['flagged']:>9}{v['found'] / v['planted']:>8.2f}")
    print(f"top {k} precision {metrics['top_k']['precision'] or 0:.3f}; benign in top {k}: "
          + (", ".join(f"{kind} {n}" for kind, n in benign_top.group_by("main_kind").len().sort("main_kind").rows())
             or "none"))
    for r in benign_top.iter_rows(named=True):
        print(f"   {r['cluster_id']} size {r['size']} risk {r['risk_score']:.2f} "
              f"{r.get('archetype', '')} main kind {r['main_kind']} ({r['bad_share']:.0%} bad)")
    print(f"account AP {ap:.3f} ({ap_source}); evaluate's account AP "
          f"{metrics['accounts']['average_precision'] or 0:.3f}, cluster AP "
          f"{metrics['clusters']['average_precision'] or 0:.3f}")
    return {"data": str(data), "run_wall_s": round(wall, 2),
            "recall_by_kind": {kind: v["found"] / v["planted"] for kind, v in groups.get("by_kind", {}).items()},
            "top_k": k, "top_k_precision": metrics["top_k"]["precision"],
            "benign_in_top_k": dict(benign_top.group_by("main_kind").len().rows()),
            "account_ap": ap, "account_ap_source": ap_source}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="an existing marketplace folder with truth.parquet")
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-labels", action="store_true", help="run without labels.parquet")
    parser.add_argument("--workdir", type=Path, default=Path("bench-output/quality-alt"))
    parser.add_argument("--top-k", type=int, help="default: the number of planted bad groups")
    parser.add_argument("--config", help="a syndicate config TOML passed to run")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.data is not None:  # --no-labels holds for a given folder too (it was ignored there)
        data = without_labels(args.data, args.workdir) if args.no_labels else args.data
    else:
        data = make_data(args.workdir, args.accounts, args.seed, args.no_labels)
    truth_path = data / "truth.parquet"
    if not truth_path.is_file():
        print(f"quality_alt: {truth_path} does not exist", file=sys.stderr)
        return 2
    name = data.name
    run_dir, eval_dir = args.workdir / f"run-{name}", args.workdir / f"eval-{name}"
    wall = run_syndicate(data, run_dir, args.seed, ["--config", args.config] if args.config else [])
    metrics = evaluate(run_dir, truth_path, eval_dir, args.top_k)
    truth = pl.read_parquet(truth_path)
    scored, source = account_scores(run_dir, truth)
    figures = report(metrics, top_clusters(run_dir, truth, metrics["top_k"]["k"]), average_precision(scored),
                     source, wall, data)
    if args.json:
        print(json.dumps(figures, default=float))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    sys.exit(main())

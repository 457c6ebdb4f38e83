"""Quality as the data grows: the independently built marketplaces at 20k and at 100k accounts.

A detector whose bars were measured at 20,000 accounts can fail at 100,000 without any test
noticing: the chance model of the review-ring detector expected five times fewer meetings at
five times the accounts, and crowds of ordinary users passed it (the twenty-fourth sitting;
benchmarks/RESULTS.md, "Twenty-fourth sitting"). This prints, for each marketplace and size, top-K precision
(K = every planted bad group), account-level average precision and recall per planted kind::

    python benchmarks/quality_at_scale.py --workdir /tmp/scale                       # 20k and 100k
    python benchmarks/quality_at_scale.py --markets third tenth --accounts 100000 --seed 3
    python benchmarks/quality_at_scale.py --config my.toml        # the same with a run config

Data are generated once into ``--workdir`` (a 100k marketplace takes 5-10 s, a run 13-25 s on
two cores) and reused. ``--no-labels`` runs without the labels table (the scorecard alone).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from quality_alt import run_syndicate, without_labels  # noqa: E402

# name -> generator script; each writes truth.parquet (account_id, is_bad, group_id, group_kind)
MARKETS = {name: HERE / f"{name}_marketplace.py" for name in
           ("alt", "third", "fifth", "sixth", "seventh", "eighth", "tenth", "eleventh", "twelfth",
            "thirteenth", "fourteenth", "fifteenth")}


def make(workdir: Path, market: str, accounts: int, seed: int) -> Path:
    data = workdir / f"{market}-{accounts}-s{seed}"
    if not (data / "truth.parquet").is_file():
        subprocess.run([sys.executable, str(MARKETS[market]), str(data), "--accounts", str(accounts),
                        "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return data


def figures(data: Path, run: Path) -> dict:
    """Top-K precision, account AP and found/planted per kind (``syndicate.evaluate``)."""
    from syndicate.evaluate import evaluate

    truth = pl.read_parquet(data / "truth.parquet")
    k = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
    result = evaluate(pl.read_parquet(run / "members.parquet"), pl.read_parquet(run / "clusters.parquet"), truth,
                      top_k=k, accounts=pl.read_parquet(run / "accounts.parquet"))
    m = result.metrics
    return {"k": k, "top_k": m["top_k"]["precision"], "ap": m["scored_accounts"]["average_precision"],
            "kinds": {kind: (v["found"], v["planted"]) for kind, v in m["groups"]["by_kind"].items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--markets", nargs="+", default=["third", "seventh", "tenth"], choices=sorted(MARKETS))
    parser.add_argument("--accounts", nargs="+", type=int, default=[20_000, 100_000])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-labels", action="store_true")
    parser.add_argument("--config", type=Path, help="a TOML config for the runs")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/syndicate-scale"))
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    extra = ["--config", str(args.config)] if args.config else []
    print(f"{'marketplace':<12}{'accounts':>9}{'wall s':>8}{'top-K':>8}{'AP':>7}  found/planted by kind")
    for market in args.markets:
        for accounts in args.accounts:
            data = make(args.workdir, market, accounts, args.seed)
            if args.no_labels:
                data = without_labels(data, args.workdir)
            run = args.workdir / "runs" / data.name
            wall = run_syndicate(data, run, 1, extra)
            f = figures(data, run)
            kinds = " ".join(f"{kind} {found}/{planted}" for kind, (found, planted) in f["kinds"].items())
            print(f"{market:<12}{accounts:>9,}{wall:>8.1f}{f['top_k']:>8.3f}{f['ap']:>7.3f}  {kinds}", flush=True)


if __name__ == "__main__":
    main()

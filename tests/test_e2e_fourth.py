"""Quality on a fourth marketplace written from the data contract alone
(``benchmarks/fourth_marketplace.py``): its own identifier kinds and action names, operators on
residential proxies whose IPs households also use, a ``links`` table of friend ties and
invites, net cafés on shared PCs, a viral moment and giveaways of hundreds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import run_cli
from syndicate.evaluate import evaluate

pytestmark = pytest.mark.slow

FOURTH = Path(__file__).resolve().parent.parent / "benchmarks" / "fourth_marketplace.py"


@pytest.fixture(scope="module")
def fourth_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("fourth")
    data = base / "data"
    subprocess.run([sys.executable, str(FOURTH), str(data), "--accounts", "20000", "--seed", "1"], check=True,
                   capture_output=True, timeout=600)
    run_cli("run", data, "--out", base / "run", "--quiet")
    return data, base / "run"


def test_operators_chained_to_strangers_by_one_link_are_found_and_the_top_holds(fourth_run):
    data, run = fourth_run
    truth = pl.read_parquet(data / "truth.parquet")
    clusters = pl.read_parquet(run / "clusters.parquet")
    k = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
    ev = evaluate(pl.read_parquet(run / "members.parquet"), clusters, truth, top_k=k,
                  accounts=pl.read_parquet(run / "accounts.parquet"))
    by_kind = ev.metrics["groups"]["by_kind"]
    # 9 of 10 at the default seed; 6 of 10 before the cluster stage shed members hanging by one
    # link (cluster/fringe.py) and stopped joining parts over a single link
    # (split_min_bridge_links): operators of ~20 accounts came out as clusters of 40 with
    # households, a net café or a farm. Floors a little under today's figures.
    assert by_kind["matrix"]["recall"] >= 0.8, by_kind
    assert by_kind["farm"]["recall"] >= 0.85, by_kind  # 8/8
    assert by_kind["ring"]["recall"] >= 0.8, by_kind  # 9/10
    # 0.87 at the default seed (a campus, a fan community and two shops in the top 30), 0.93 with
    # --seed 1; 0.87 and 0.90 before.
    assert ev.metrics["top_k"]["precision"] >= 0.8, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]  # 0.98

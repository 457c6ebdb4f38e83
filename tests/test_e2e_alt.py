"""Quality on a marketplace built independently of syndicate's generator
(``benchmarks/alt_marketplace.py``): farms that share only proxy IPs, and benign fan
communities, campuses and agencies that act together or share identifiers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import rare_config, run_cli
from syndicate.evaluate import evaluate

pytestmark = pytest.mark.slow

ALT = Path(__file__).resolve().parent.parent / "benchmarks" / "alt_marketplace.py"
# Top K is the number of planted matrix rings and farms; a second check puts the review rings
# (found by rare co-action) in K too: 47 at 20k accounts.
CLUSTER_KINDS = ("matrix_ring", "engagement_farm")
BAD_KINDS = (*CLUSTER_KINDS, "review_ring")
BENIGN = {"household", "agency", "campus", "fan_community"}


@pytest.fixture(scope="module")
def alt_20k(tmp_path_factory):
    out = tmp_path_factory.mktemp("alt") / "data"
    subprocess.run([sys.executable, str(ALT), str(out), "--accounts", "20000", "--seed", "1"], check=True,
                   capture_output=True, timeout=600)
    return out


def _run_and_evaluate(data: Path, run: Path):
    run_cli("run", data, "--out", run, "--quiet", "--config", rare_config(run.parent))
    truth = pl.read_parquet(data / "truth.parquet")
    k = truth.filter(pl.col("group_kind").is_in(CLUSTER_KINDS))["group_id"].n_unique()
    clusters = pl.read_parquet(run / "clusters.parquet")
    members = pl.read_parquet(run / "members.parquet")
    ev = evaluate(members, clusters, truth, top_k=k, accounts=pl.read_parquet(run / "accounts.parquet"))
    k_all = truth.filter(pl.col("group_kind").is_in(BAD_KINDS))["group_id"].n_unique()
    ev.metrics["top_k_all_kinds"] = evaluate(members, clusters, truth, top_k=k_all).metrics["top_k"]
    return ev, clusters


def _assert_quality(ev, *, min_account_ap: float) -> None:
    """Top-K precision >= 0.95 with no benign kind in it, the account AP, and the review rings."""
    top = ev.metrics["top_k"]
    assert top["precision"] >= 0.95, top
    assert not BENIGN & set(top["kinds"]), top
    # With the review rings in K: before rare co-action counted by how often members met again,
    # two campus groups and a fan community were in the top 47 without labels (0.936).
    assert ev.metrics["top_k_all_kinds"]["precision"] >= 0.95, ev.metrics["top_k_all_kinds"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= min_account_ap, ev.metrics["scored_accounts"]
    # Nine review rings (rare co-action, syndicate/link/rare_coaction.py): 8 or 9 found.
    assert ev.metrics["groups"]["by_kind"]["review_ring"]["recall"] >= 0.85, ev.metrics["groups"]


def test_alt_marketplace_with_labels(alt_20k, tmp_path):
    ev, _ = _run_and_evaluate(alt_20k, tmp_path / "run")
    # Before co-action was judged by how it was delivered: 0.97 and an account AP of 0.91.
    _assert_quality(ev, min_account_ap=0.93)


def test_alt_marketplace_without_labels_keeps_fan_communities_out_of_the_top(alt_20k, tmp_path):
    data = tmp_path / "nolabels"
    shutil.copytree(alt_20k, data)
    (data / "labels.parquet").unlink()
    ev, clusters = _run_and_evaluate(data, tmp_path / "run")
    # Before: precision 0.79, with seven fan communities among the top 38 scored like farms;
    # account AP 0.50 (the review rings' accounts were in no cluster before rare co-action).
    _assert_quality(ev, min_account_ap=0.87)
    # Fan communities found by co-action are named for what they are.
    found = ev.groups.filter(pl.col("found")).join(clusters.select("cluster_id", "archetype"), on="cluster_id")
    fans = found.filter(pl.col("group_kind") == "fan_community")
    assert fans.height == 0 or (fans["archetype"] != "engagement_farm").all(), fans

"""Quality on an eighth marketplace written from the data contract alone
(``benchmarks/eighth_marketplace.py``, fifteenth sitting): a second-hand classifieds site whose
accounts and events come as CSV with ``...Z`` timestamps, ratings in a ``stars`` column (read by
nothing: ratings are read from ``rating`` or from action names), identifier kinds in its own
words (``hw_id`` with an ``unknown`` placeholder, ``push_token``, ``ip4``, ``msisdn`` with
``00000000``, ``bank_iban_hash``, ``pickup_point``), a ``links`` table of referrals and fuzzy
address matches; scam seller rings, review rings on residential proxies, rotating click farms,
takeover waves and refund rings among households, campus and office NATs, carrier NATs, parcel
lockers, flash sales and deal-alert users. Built after the sitting's changes: the figures are
what the toolkit reached on it unseen (benchmarks/RESULTS.md, "fifteenth sitting")."""

from __future__ import annotations

import json

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def eighth_run(tmp_path_factory):
    return generate_and_run("eighth_marketplace.py", tmp_path_factory.mktemp("eighth"))


def test_csv_tables_with_utc_text_timestamps_are_read_whole(eighth_run):
    data, run = eighth_run
    manifest = json.loads((run / "manifest.json").read_text())
    counts = manifest["input_rows"]
    assert counts["accounts"] == pl.read_csv(data / "accounts.csv").height
    assert counts["events"] == pl.read_csv(data / "events.csv", infer_schema_length=0).height
    accounts = pl.read_parquet(run / "accounts.parquet")
    assert accounts.height == counts["accounts"] and accounts["account_id"].n_unique() == accounts.height
    # The placeholders ("unknown" devices on 933 accounts, "00000000" phones on 1,188) are left
    # out (syndicate/placeholders.py; hubs until the thirty-fourth sitting), not read as an
    # operator's pool.
    assert {"hw_id", "msisdn"} <= set(manifest["placeholder_signals"]["by_kind"])
    assert not {"hw_id", "msisdn"} & set(manifest["hubs"]["by_kind"])
    assert pl.read_parquet(run / "clusters.parquet")["size"].max() < 500


def test_rings_farms_and_takeovers_are_found_and_ranked(eighth_run):
    ev = evaluate_planted(*eighth_run)
    by_kind = ev.metrics["groups"]["by_kind"]
    # At the default seed: 7/7, 8/8, 4/4, 5/5, 6/6.
    for kind in ("scam_ring", "review_ring", "click_farm", "account_takeover", "refund_ring"):
        assert by_kind[kind]["recall"] >= 0.75, by_kind
    # 0.967 and 0.921 at the default seed (0.90 and 0.881 before the eighteenth sitting, when
    # click farms that spread their jobs over hours read as audiences and no feature said what
    # the members do): heavy deal-alert users who keep meeting on new listings take the other
    # top place.
    assert ev.metrics["top_k"]["precision"] >= 0.93, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.9, ev.metrics["scored_accounts"]


def _takeover_clusters(data, run) -> pl.DataFrame:
    """Per planted takeover ring: the cluster holding most of it, its rank and archetype."""
    truth = pl.read_parquet(data / "truth.parquet").filter(pl.col("group_kind") == "account_takeover")
    members = pl.read_parquet(run / "members.parquet")
    clusters = pl.read_parquet(run / "clusters.parquet")
    return (truth.join(members, on="account_id").group_by("group_id", "cluster_id").len()
            .sort("len", descending=True).group_by("group_id").first()
            .join(clusters.select("cluster_id", "rank", "archetype", "reasons"), on="cluster_id"))


def test_takeover_waves_are_read_named_and_scored(eighth_run):
    """The takeover rings' victims took the operator's device or card within a week, long after
    they were made (features/takeover.py): their clusters are named for it, say so, and the
    accounts carry the wave."""
    data, run = eighth_run
    rings = _takeover_clusters(data, run)
    # At the default seed four of five: the fifth ring's operator spread six victims over
    # several devices and cards (waves of three and four, a household's size).
    named = rings.filter(pl.col("archetype") == "account_takeover")
    assert named.height >= 4, rings
    assert all("took a new device, card, phone or other identifier" in r[0] for r in named["reasons"].to_list())
    truth = pl.read_parquet(data / "truth.parquet")
    accounts = pl.read_parquet(run / "accounts.parquet").join(truth, on="account_id", how="left")
    in_wave = accounts.filter(pl.col("takeover_wave") >= 5)
    taken = accounts.filter(pl.col("group_kind") == "account_takeover")
    assert in_wave.height >= 0.8 * taken.height
    assert in_wave["is_bad"].fill_null(False).mean() == 1.0  # no household reaches five


@pytest.fixture(scope="module")
def eighth_unlabelled(eighth_run, tmp_path_factory):
    """The same marketplace without its labels: the scorecards alone."""
    import shutil

    from conftest import run_cli

    data, _ = eighth_run
    base = tmp_path_factory.mktemp("eighth-nl")
    shutil.copytree(data, base / "data")
    (base / "data" / "labels.parquet").unlink()
    run_cli("run", base / "data", "--out", base / "run", "--quiet")
    return base / "data", base / "run"


def test_without_labels_takeover_rings_rank_with_the_rings(eighth_unlabelled):
    ev = evaluate_planted(*eighth_unlabelled)
    rings = _takeover_clusters(*eighth_unlabelled)
    # Before takeover waves were read, the five rings ranked 897-2,662 ("agency"); at the
    # default seed four now rank in the top 30.
    assert rings.filter(pl.col("rank") <= 30).height >= 4, rings
    assert ev.metrics["groups"]["by_kind"]["account_takeover"]["recall"] >= 0.75
    # Default seed: top-30 precision 0.900, account AP 0.75 (0.933 before the thirty-third
    # sitting's varied_members, which scores a refund ring whose recruits act at their own
    # pace as a group of independent people; 0.90 and 0.748 before the nineteenth sitting's
    # purpose rule, when deal hunters who keep meeting on new listings passed for a ring; 0.77
    # and 0.645 before the eighteenth sitting's pool rule and action mix; 0.67 and 0.60 before
    # the sixteenth's waves).
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.7, ev.metrics["scored_accounts"]

"""Quality on a seventh marketplace written from the data contract alone
(``benchmarks/seventh_marketplace.py``, twelfth sitting): a food-delivery app with its own
identifier kinds (``device_id``, ``adid`` with an all-zero value on 3,500 accounts,
``ip_address`` with carrier NATs, ``card_fingerprint``, ``phone_hash``, ``email_sha1``,
``address_hash``, ``geohash7``, ``payout_account``), ratings in an extra ``rating`` column,
referral links, promo, refund and courier rings, review rings on residential proxies, rotating
referral farms and account takeovers among families, offices, dorms and NATs. The figures it
checks are floors under what the toolkit reaches today, which is still short of the other
marketplaces' (benchmarks/RESULTS.md, "twelfth sitting", "thirteenth sitting")."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seventh_run(tmp_path_factory):
    return generate_and_run("seventh_marketplace.py", tmp_path_factory.mktemp("seventh"))


def test_rings_that_share_devices_cards_or_payouts_are_found_and_ranked(seventh_run):
    data, run = seventh_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    for kind in ("promo_ring", "courier_collusion", "referral_farm"):
        assert by_kind[kind]["recall"] >= 0.7, by_kind  # 7/9, 4/5, 3/3
    assert by_kind["refund_ring"]["recall"] >= 0.6, by_kind  # 2/3
    # 7/7 (0/7 before the thirteenth sitting: each member on a real household's IP, a residential
    # proxy, was taken out of its group and its cluster merged with the households).
    assert by_kind["review_ring"]["recall"] >= 0.7, by_kind
    # 2/3 (1/3 before the twenty-first sitting read places for takeover waves when the victims
    # also got new devices: a ring of 34 moved to the operator's IPs and drop addresses).
    assert by_kind["ato_ring"]["recall"] >= 0.6, by_kind
    # 0.78 (0.81 with the fourteenth sitting's places-only discount alone, 0.78 before it; 0.69
    # before the thirteenth sitting; 0.50 before a lone bad label stopped training the model in
    # the twelfth).
    assert ev.metrics["top_k"]["precision"] >= 0.75, ev.metrics["top_k"]
    # 0.893 (0.85 before the eighteenth sitting's action mix; 0.80 before an account's own score
    # and its cluster's were combined as independent evidence in the fifteenth sitting; 0.84
    # before the whole-span pass counted meetings by target; 0.66 in the twelfth).
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.87, ev.metrics["scored_accounts"]


def test_first_contact_placeholders_and_places_are_not_read_as_an_operators_pool(seventh_run):
    data, run = seventh_run
    clusters = pl.read_parquet(run / "clusters.parquet")
    assert clusters["size"].max() < 500  # no giant cluster (267)
    # The all-zero ad id (a hub) is nobody's device, and a dorm's building is no pool: no
    # cluster above the flag threshold says many members share one device unless they do.
    members = pl.read_parquet(run / "members.parquet")
    truth = pl.read_parquet(data / "truth.parquet")
    dorms = (members.join(truth, on="account_id").filter(pl.col("group_kind") == "dorm")
             .group_by("cluster_id").len().filter(pl.col("len") >= 20)["cluster_id"])
    named = clusters.filter(pl.col("cluster_id").is_in(dorms.implode()))
    assert named.height >= 3
    assert not named["archetype"].is_in(["matrix_accounts", "engagement_farm", "mixed"]).any(), named.select(
        "archetype", "reasons")
    # The figure is the members' own sharing: the most members on one device value of the
    # cluster's (a family's tablet of 4 may join a dorm's cluster), never the all-zero ad id
    # on 8 to 22 of each dorm cluster's members (hub values left out).
    signals = pl.read_parquet(data / "signals.parquet").filter(pl.col("kind").is_in(["device_id", "adid"]))
    hubs = signals.group_by("value").agg(pl.col("account_id").n_unique().alias("n")).filter(pl.col("n") > 200)
    assert hubs.height >= 1  # the all-zero ad id
    own = (signals.join(hubs, on="value", how="anti").join(members, on="account_id")
           .group_by("cluster_id", "value").agg(pl.col("account_id").n_unique().alias("n"))
           .group_by("cluster_id").agg(pl.col("n").max().alias("own")))
    on_hub = (signals.join(hubs, on="value").join(members, on="account_id")
              .group_by("cluster_id").agg(pl.col("account_id").n_unique().alias("on_hub")))
    got = (named.join(own, on="cluster_id", how="left").join(on_hub, on="cluster_id", how="left")
           .with_columns(pl.col("own").fill_null(1), pl.col("on_hub").fill_null(0)))
    assert (got["on_hub"] >= 3).all(), got.select("on_hub")  # the placeholder is in every dorm (4-22)
    assert (got["max_accounts_per_device"] < got["on_hub"]).all(), got.select("max_accounts_per_device", "on_hub")
    assert (got["max_accounts_per_device"] == got["own"]).all(), got.select("max_accounts_per_device", "own")
    assert (got["max_accounts_per_device"] <= 5).all(), got["max_accounts_per_device"]

"""Quality on a third marketplace built independently of both generators
(``benchmarks/third_marketplace.py``): its own identifier kinds and action names, dense farms
that share a pool of rented SMS-verification numbers with each other and with ordinary users,
rotating farms on proxy IPs, matrix rings, review rings rating ``rate:4`` / ``rate:5``."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def third_run(tmp_path_factory):
    return generate_and_run("third_marketplace.py", tmp_path_factory.mktemp("third"))


def test_farms_bridged_by_rented_phone_numbers_come_apart_and_the_top_holds(third_run):
    ev = evaluate_planted(*third_run)
    by_kind = ev.metrics["groups"]["by_kind"]
    # Before components over 100 accounts were cut where barely bridged: the five dense farms
    # were one cluster of ~790 accounts (0/5), and the top 34 held 0.79 syndicates.
    assert by_kind["engagement_farm"]["recall"] >= 0.8, by_kind
    assert by_kind["sparse_farm"]["recall"] >= 0.9, by_kind
    assert by_kind["matrix_ring"]["recall"] >= 0.9, by_kind
    # 11 of 12: ordinary shoppers viewing a ring's products in the same days are gathered out
    # (rare_coaction._regather); one gathering only found 9.
    assert by_kind["review_ring"]["recall"] >= 0.85, by_kind
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]  # 0.94 at the default seed
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]


def test_without_labels_organic_accounts_in_a_farms_cluster_keep_their_own_scores(third_run, tmp_path):
    # Organic accounts that share one rented number with a farm sit in the farm's cluster with a
    # hundredth of a worker's link weight; inheriting the farm's 0.99 they held the account
    # ranking to an average precision of 0.85. Each member now inherits in proportion to its
    # attachment (risk/accounts.py): 0.97.
    data, _ = third_run
    bare = tmp_path / "data"
    bare.mkdir()
    for table in data.glob("*.parquet"):
        if table.stem != "labels":
            (bare / table.name).write_bytes(table.read_bytes())
    run_cli("run", bare, "--out", tmp_path / "run", "--quiet")
    ev = evaluate_planted(data, tmp_path / "run")
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]
    assert ev.metrics["groups"]["by_kind"]["review_ring"]["recall"] >= 0.85, ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.94, ev.metrics["top_k"]  # 0.97 (see README)


def test_reasons_never_count_identifiers_of_kinds_the_features_do_not_know_as_addresses(third_run):
    _, run = third_run
    reasons = pl.read_parquet(run / "clusters.parquet")["reasons"].explode().drop_nulls()
    assert reasons.len() > 0
    assert not reasons.str.contains(r"\b0 accounts on 0 ").any(), reasons.filter(reasons.str.contains("0 accounts"))
    # The signals are device_fp, ipv4, msisdn, card_hash, email_hash: ipv4 is an IP address
    # (features/identity.py kind_family), none a postal address.
    postal = reasons.str.replace_all("IP address", "IP").str.contains("address")
    assert not postal.any(), reasons.filter(postal).head()
    # "ipv4" evidence is IP evidence: clusters bound by home or proxy IPs are named shared
    # infrastructure by IPs (before, evidence of "other" kinds: "matrix accounts", "household").
    assert reasons.str.contains("^shared infrastructure: .* shared IPs$").any()


def test_the_same_marketplace_with_the_contracts_kind_names(third_run, tmp_path):
    # device_fp, ipv4, msisdn, card_hash, email_hash renamed device, ip, phone, payment, email.
    # Its five "factory image" fingerprints sit on ~120 accounts each: with the personal kinds'
    # floor at any count they bound half the matrix rings into clusters of ~200 strangers
    # (5/10 rings, top-34 precision 0.79); the floor now stops at floor_up_to (50) sharers.
    data, _ = third_run
    renamed = tmp_path / "data"
    renamed.mkdir()
    names = {"device_fp": "device", "ipv4": "ip", "msisdn": "phone", "card_hash": "payment", "email_hash": "email"}
    for table in data.glob("*.parquet"):
        frame = pl.read_parquet(table)
        if table.stem == "signals":
            frame = frame.with_columns(pl.col("kind").replace_strict(names))
        frame.write_parquet(renamed / table.name)
    run_cli("run", renamed, "--out", tmp_path / "run", "--quiet")
    ev = evaluate_planted(renamed, tmp_path / "run")
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["matrix_ring"]["recall"] >= 0.9, by_kind
    assert by_kind["engagement_farm"]["recall"] >= 0.8, by_kind
    assert by_kind["sparse_farm"]["recall"] >= 0.9, by_kind
    assert ev.metrics["top_k"]["precision"] >= 0.88, ev.metrics["top_k"]  # 0.91 (benchmarks/RESULTS.md)

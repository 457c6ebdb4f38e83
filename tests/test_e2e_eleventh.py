"""Quality on an eleventh marketplace written from the data contract alone
(``benchmarks/eleventh_marketplace.py``, twenty-fourth sitting): a live-streaming and gifting
platform whose accounts and events come as CSV, with digit-string account ids, timezone-aware
times written as ``2025-01-06T00:02:22.026Z``, upper-case action names on some rows, a ``ua``
fingerprint and carrier-NAT IPs shared by thousands, recycled phone numbers and noisy labels.
Its farms put their workers on shared phones in teams; gift-laundering rings, matrix
operators, chat spam, takeovers and bonus rings sit among households, talent agencies, fan
clubs, net cafés and campuses. The figures are what the toolkit reached on it
(benchmarks/RESULTS.md, "twenty-fourth sitting")."""

from __future__ import annotations

import json

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def eleventh_run(tmp_path_factory):
    return generate_and_run("eleventh_marketplace.py", tmp_path_factory.mktemp("eleventh"))


def test_csv_tables_with_digit_ids_and_zulu_times_are_read_whole(eleventh_run):
    data, run = eleventh_run
    accounts = pl.read_parquet(run / "accounts.parquet")
    assert accounts.height == pl.read_csv(data / "accounts.csv", columns=["account_id"]).height
    assert accounts["account_id"].dtype == pl.String and accounts["account_id"].n_unique() == accounts.height
    assert accounts["risk_score"].is_between(0, 1).all()
    manifest = json.loads((run / "manifest.json").read_text())
    # Every event's time parsed (none left out as unreadable or out of range).
    assert manifest["input_rows"]["events"] == pl.read_csv(data / "events.csv", columns=["ts"]).height
    assert not manifest["timestamps"]["out_of_range"], manifest["timestamps"]


def test_farms_are_found_whole_and_the_top_k_is_bad(eleventh_run):
    """Workers sharing phones in teams inside a rotating farm join the farm's co-action group
    (cluster/reconcile.py absorb_coaction): 4 of 4 farms at the default seed, 2 of 4 while the
    teams stayed apart (farms of 136-217 in three or four pieces)."""
    data, run = eleventh_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["engagement_farm"]["recall"] >= 0.75, by_kind
    # At the default seed: matrix operators 8/8, chat spam 4/4, takeovers 4/4, gift laundering
    # 5/6; the bonus rings draw on one shared pool of SMS numbers and VPN exits, and their
    # referral chains (link/attribution.py) put two of six together (0/6 before the
    # twenty-sixth sitting; the rings' mean best Jaccard 0.13 -> 0.39 with `run --seed 1`).
    assert by_kind["matrix_operator"]["recall"] >= 0.85, by_kind
    assert by_kind["chat_spam"]["recall"] >= 0.75, by_kind
    assert by_kind["gift_laundering"]["recall"] >= 0.65, by_kind
    assert by_kind["bonus_ring"]["recall"] >= 0.3, by_kind
    # 1.000 and 0.988 at the default seed.
    assert ev.metrics["top_k"]["precision"] >= 0.95, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]

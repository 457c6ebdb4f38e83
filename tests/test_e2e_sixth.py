"""Quality on a sixth marketplace written from the data contract alone
(``benchmarks/sixth_marketplace.py``, eleventh sitting): a mobile game store with its own
identifier kinds (``android_id``, ``wifi_bssid``, ``payout_wallet``, ``card_fp``, property
kinds ``device_model`` and ``email_domain``), a ``links`` table of friends and direct messages
(weighted by messages exchanged), device farms, promo and carding rings, review rings of bought
old accounts, hijacked botnets and rotating engagement crews."""

from __future__ import annotations

import json

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sixth_run(tmp_path_factory):
    return generate_and_run("sixth_marketplace.py", tmp_path_factory.mktemp("sixth"))


def test_a_friend_graph_does_not_bind_the_marketplace_into_one_cluster(sixth_run):
    data, run = sixth_run
    manifest = json.loads((run / "manifest.json").read_text())
    # Friends and messages percolate (95% and 25% of the accounts in one component): a social
    # graph, read at attribute strength. At full weight they bound 17,632 of 20,000 accounts
    # into one cluster, and every ring and crew with them (top-31 precision 0.58).
    assert manifest["link"]["given_social_kinds"] == ["dm", "friend"]
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    for kind in ("device_farm", "promo_ring", "engagement_crew"):
        assert by_kind[kind]["recall"] >= 0.8, by_kind  # 6/6, 6/6, 5/6 (1/6 promo rings before)
    assert by_kind["carding_ring"]["recall"] >= 0.6, by_kind  # 3/3
    assert by_kind["hijacked_botnet"]["recall"] >= 0.75, by_kind  # 4/4
    # 5/6 (4/6 before the detector's groups were put back together after the graph cuts,
    # twenty-first sitting: a ring of 25 lay in pieces of 9, 7 and 2; 3/6 before a ring's place
    # ties to outsiders left the clustering graph, thirteenth sitting): rings of bought old
    # accounts with 1-3 reviews each over weeks and nothing shared.
    assert by_kind["review_ring"]["recall"] >= 0.8, by_kind
    # 1.00 (0.97 before the thirteenth sitting, 0.90 before the twelfth).
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]
    # 0.95 (0.935 when an account took the larger of its own score and its cluster's).
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.93, ev.metrics["scored_accounts"]

"""Quality on a fifth marketplace written from the data contract alone
(``benchmarks/fifth_marketplace.py``): identifier kinds in its own words (``ipv4_24`` blocks,
``email_domain``, ``card_bin_last4``), a ``links`` table of referrals and phone-book matches,
carrier NAT IPs on thousands, coupon-abuse rings, emulator farms, aged-account resellers, review
rings that spread their reviews over weeks and botnets of hijacked old accounts that keep their
households."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fifth_run(tmp_path_factory):
    return generate_and_run("fifth_marketplace.py", tmp_path_factory.mktemp("fifth"))


def test_hijacked_botnets_and_operators_are_found_and_the_top_holds(fifth_run):
    ev = evaluate_planted(*fifth_run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["coupon_ring"]["recall"] >= 0.85, by_kind  # 8/8
    assert by_kind["aged_reseller"]["recall"] >= 0.8, by_kind  # 6/6
    assert by_kind["engagement_farm"]["recall"] >= 0.8, by_kind  # 5/5
    # 4/4: hijacked old accounts keep their households' IPs and addresses; 0/4 while a household
    # kept its member and the botnet lost it, and while an "ipv4_24" block linked as a stronger
    # unknown kind (0.5) than an IP (a component of 6,558 accounts).
    assert by_kind["ato_botnet"]["recall"] >= 0.75, by_kind
    # 7/8 at the default seed: rings that spread their reviews over weeks are found by the
    # review-ring detector's whole-span pass (3/8 with windows of days only).
    assert by_kind["review_ring"]["recall"] >= 0.6, by_kind
    # 0.87 at the default seed (0.68 before the three changes above).
    assert ev.metrics["top_k"]["precision"] >= 0.8, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.92, ev.metrics["scored_accounts"]  # 0.95

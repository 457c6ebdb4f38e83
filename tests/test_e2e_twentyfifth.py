"""Quality on a twenty-fifth marketplace written from the data contract alone
(``benchmarks/twentyfifth_marketplace.py``, forty-fifth sitting, by a helper who read no code):
an online auction and resale site with its own dotted action names (``auction.bid``,
``bid.retract``, ``bin.buy``, ``feedback.leave``, ``case.inr``, ...), ``amount`` and ``stars``
as extra event columns, accounts and labels as CSV, referral and saved-seller links. Shill-
bidding rings (blunt ones on a seller's devices and card, careful aged alts on residential
proxies joining a quarter to half of the seller's auctions), feedback farms rotating 15-40% of
their workers per job, card rings shipping to drop addresses (some triangulating), non-delivery
seller crews on shared payout accounts, takeover waves of dormant sellers, bid-shielding pairs
and trios. Benign look-alikes: a sniping service whose servers bid for hundreds of unrelated
customers in the last seconds of auctions from a few data-centre IPs, collectors' clubs bidding
on the same rare items, charity and estate-sale crowds, power sellers' staff, households,
parcel forwarders, campuses, a viral listing.

Measured when it arrived, before any change for it (`run --seed 1`, 20k accounts): top K 0.947
(K = 38) / account AP 0.960; seed 2 0.974 / 0.927; without labels 0.895 / 0.929; 100k accounts
(`--seed 3`) 0.979 / 0.976. At the run's default seed (0), which this test uses: top K 0.947,
account AUROC 0.993, AP 0.959; feedback farms 6/6, non-delivery crews 5/5, card rings 6/6,
takeover waves 3/3 and shill rings 9/10 found (7 flagged); bid-shielding pairs and trios 4/8
found, none flagged (two or three accounts that meet on a few auctions); the sniping service's
500 customers: none flagged."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentyfifth_run(tmp_path_factory):
    return generate_and_run("twentyfifth_marketplace.py", tmp_path_factory.mktemp("twentyfifth"))


def test_rings_farms_crews_and_waves_are_found_and_the_top_ranks_are_bad(twentyfifth_run):
    data, run = twentyfifth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.93, ev.metrics["scored_accounts"]
    for kind in ("feedback_farm", "nondelivery_crew", "card_ring", "ato_wave", "shill_ring"):
        assert by_kind[kind]["recall"] >= 0.9, (kind, by_kind[kind])
    for kind in ("feedback_farm", "nondelivery_crew"):
        assert by_kind[kind]["recall_flagged"] >= 0.9, (kind, by_kind[kind])
    # Careful shill rings (aged alts on residential proxies, a quarter to half of the auctions
    # each) are found but some score under the flag.
    assert by_kind["shill_ring"]["recall_flagged"] >= 0.6, by_kind["shill_ring"]
    # Bid-shielding pairs and trios are found in part (see the module docstring).
    assert by_kind["bid_shield"]["recall"] >= 0.25, by_kind["bid_shield"]
    # The sniping service (hundreds of strangers bidding in the same last seconds from a few
    # data-centre IPs), collectors' clubs, crowds, households: hardly any account flagged.
    benign = ev.metrics["benign_flagged_by_kind"]
    assert benign["sniping_service"]["flagged"] <= 0.01 * benign["sniping_service"]["accounts"], benign
    for kind, counts in benign.items():
        assert counts["flagged"] <= 0.02 * counts["accounts"], (kind, counts)

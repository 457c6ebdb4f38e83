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

Measured when it arrived, before any change for it, with the generator as corrected after the
review (its bad sellers had gone silent by the truth flag; now only non-delivery crews and hijacked
sellers do), `run --seed 1`, 20k accounts: top K 0.842 (K = 38) / account AP 0.943; seed 2
0.947 / 0.940; without labels 0.895 / 0.928. At the run's default seed (0), which this test uses:
top K 0.895, account AUROC 0.991, AP 0.942; feedback farms 6/6, non-delivery crews 5/5, card
rings 6/6 and shill rings 10/10 found, 4 of them flagged (the careful rings, aged alts with
organic lives on residential proxies, each in a quarter to half of the seller's auctions, score
0.50-0.69, a blunt ring of five 0.63); takeover waves 3/3 found and none flagged (the run's labels train the cluster model on
households and rings bound by identifiers, a wave's victims carry their owners' good labels, and
no wave is labelled: 0.31 for a wave of 64 with 43 victims); bid-shielding pairs and trios 4/8
found, none flagged (two or three accounts that meet on a few auctions); the sniping service's
500 customers: none flagged."""

from __future__ import annotations

import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentyfifth_run(tmp_path_factory):
    return generate_and_run("twentyfifth_marketplace.py", tmp_path_factory.mktemp("twentyfifth"))


def test_rings_farms_crews_and_waves_are_found_and_the_top_ranks_are_bad(twentyfifth_run):
    data, run = twentyfifth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    # 0.895 before the slow co-action pass, 0.842 with it (fifty-second sitting): it gathers the
    # sniping service's 102 customers, who bid on the same auctions' last seconds within the
    # hour, into a low-risk cluster (0.35) that ranks 36th of the top 38.
    assert ev.metrics["top_k"]["precision"] >= 0.8, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.92, ev.metrics["scored_accounts"]
    for kind in ("feedback_farm", "nondelivery_crew", "card_ring", "ato_wave", "shill_ring"):
        assert by_kind[kind]["recall"] >= 0.9, (kind, by_kind[kind])
    for kind in ("feedback_farm", "nondelivery_crew", "card_ring"):
        assert by_kind[kind]["recall_flagged"] >= 0.9, (kind, by_kind[kind])
    # Careful shill rings are found, but most score under the flag (see the module docstring).
    assert by_kind["shill_ring"]["recall_flagged"] >= 0.3, by_kind["shill_ring"]
    # Bid-shielding pairs and trios are found in part (see the module docstring).
    assert by_kind["bid_shield"]["recall"] >= 0.25, by_kind["bid_shield"]
    # The sniping service (hundreds of strangers bidding in the same last seconds from a few
    # data-centre IPs), collectors' clubs, crowds, households: hardly any account flagged.
    assert_benign_hardly_flagged(ev, 0.02, sniping_service=0.01)

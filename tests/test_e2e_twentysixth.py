"""Quality on a twenty-sixth marketplace written from the data contract alone
(``benchmarks/twentysixth_marketplace.py``, fiftieth sitting, by a helper who read no code): a
mobile app store with its own dotted action names (``app.install``, ``rating.submit``,
``review.helpful``, ``offerwall.complete``, ...), ``stars``, ``amount`` and ``ref_id`` as extra
event columns, all-zero advertising ids, a legacy creation stamp and far-future device clocks.
Device-emulator install farms (blunt and careful), incentivized install crews of real people on
their own phones, developers' rating rings, review bombs of 20-80 mostly new accounts, refund
rings on shared payment tokens, gift-card laundering to collectors. Benign look-alikes: family
libraries, beta testers, school classes and company phones created in batches, featured-app
crowds, phone-repair shops and refurbishers.

Measured when it arrived, before any change for it, `run` at the default seed (0) which this
test uses, 20k accounts, seed 1: top K 1.000 (K = 34), account AUROC 0.967, AP 0.913; install
farms 6/6, refund rings 5/5, laundering rings 4/4 and rating rings 12/12 found (11 flagged);
review bombs 2/3 found and flagged (the third, of more raters a week than a rating cell holds,
comes out in pieces where its device teams hold together); incentivized install crews 4/4 found
and none flagged (people with their own phones and full lives, paid through one offerwall);
benign groups: at most 3 accounts of each flagged."""

from __future__ import annotations

import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentysixth_run(tmp_path_factory):
    return generate_and_run("twentysixth_marketplace.py", tmp_path_factory.mktemp("twentysixth"))


def test_farms_rings_and_bombs_are_found_and_the_top_ranks_are_bad(twentysixth_run):
    data, run = twentysixth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.95, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.88, ev.metrics["scored_accounts"]
    for kind in ("install_farm", "refund_abuse_ring", "gift_card_laundering", "rating_ring",
                 "incentivized_install_crew"):
        assert by_kind[kind]["recall"] >= 0.9, (kind, by_kind[kind])
    for kind in ("install_farm", "refund_abuse_ring", "gift_card_laundering"):
        assert by_kind[kind]["recall_flagged"] >= 0.9, (kind, by_kind[kind])
    assert by_kind["rating_ring"]["recall_flagged"] >= 0.75, by_kind["rating_ring"]
    # Review bombs above the rating cell's cap are found in part (see the module docstring).
    assert by_kind["review_bomb_attack"]["recall"] >= 0.6, by_kind["review_bomb_attack"]
    # School classes, company phones, beta testers, families, repair shops: hardly any flagged.
    assert_benign_hardly_flagged(ev, 0.02)

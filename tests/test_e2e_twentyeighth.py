"""Quality on a twenty-eighth marketplace written from the data contract alone
(``benchmarks/twentyeighth_marketplace.py``, fifty-third sitting, by a helper who read no
code): a crowdfunding and donations platform. Campaign pages are the targets (donations with an
``amount`` column, shares, comments, follows, refunds, payout requests); identifier kinds in its
own words (``device_hash``, ``card_fingerprint``, ``payout_iban``, ``ip_addr``, ``email_sha``),
signals and labels as CSV with ``...Z`` times, a few first sightings at 1970, app-default device
ids, partial and noisy labels (bad accounts labelled good, a few benign labelled bad). Bad:
fake-campaign rings, card-testing rings on emulators and proxies, backer rings that back each
other's campaigns over weeks, engagement farms rotating 10-35% of their workers per job,
referral farms on a rented SMS pool shared by all of them, takeover waves, charity
impersonation, lone scammers. Benign look-alikes: families backing a relative's medical
campaign, a company's matching day, school classes, a charity's volunteers, giving circles, a
viral campaign of 1,300 donors, households, carrier NAT.

Measured when it arrived, before any change for it, `run` at the default seed (0) which this
test uses, 20k accounts, seed 1: with labels top K 0.839 (K = 31), account AUROC 0.995, AP
0.971, 20 of 31 groups found (card-testing, charity-impersonation, fake-campaign rings,
engagement farms and takeover waves all found; 8 flagged: the card-testing rings score
0.45-0.49 under the good labels of three or four of their members); without labels top K 0.677,
AUROC 0.989, AP 0.937, 16 flagged. Not found: the backer rings (0/7: old accounts with organic
lives that meet on each other's campaigns hours to twelve days apart, as the giving circles
do) and the referral farms (0/4 as groups: the SMS pool they share binds all four into one
cluster of 138 that scores 0.64 and ranks 13th). At 100k accounts (seed 3): top K 0.981, AP
0.987, 127 of 155 groups found (backer rings 25/35, referral farms 3/20), 11.9 s.
"""

from __future__ import annotations

import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run, run_cli, without_labels

pytestmark = pytest.mark.slow

FOUND_KINDS = ("card_testing_ring", "charity_impersonation", "engagement_farm", "fake_campaign_ring", "takeover_wave")


@pytest.fixture(scope="module")
def twentyeighth_run(tmp_path_factory):
    return generate_and_run("twentyeighth_marketplace.py", tmp_path_factory.mktemp("twentyeighth"))


def test_rings_farms_and_waves_are_found_and_the_top_ranks_are_bad(twentyeighth_run):
    data, run = twentyeighth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.7, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.94, ev.metrics["scored_accounts"]
    for kind in FOUND_KINDS:  # three to five groups of each: one may be missed
        assert by_kind[kind]["recall"] >= 0.6, (kind, by_kind[kind])
    # Families, matching days, classes, volunteers, giving circles, the viral crowd, households.
    assert_benign_hardly_flagged(ev, 0.01)


def test_without_labels_the_farms_and_card_testers_are_flagged(twentyeighth_run, tmp_path):
    data, _ = twentyeighth_run
    run_cli("run", without_labels(data, tmp_path / "data"), "--out", tmp_path / "run", "--quiet")
    ev = evaluate_planted(data, tmp_path / "run")
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.6, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.9, ev.metrics["scored_accounts"]
    for kind in ("card_testing_ring", "engagement_farm", "takeover_wave"):  # three or four of each
        assert by_kind[kind]["recall_flagged"] >= 0.6, (kind, by_kind[kind])
    # Families, matching days, classes, volunteers, giving circles, the viral crowd, households.
    assert_benign_hardly_flagged(ev, 0.01)

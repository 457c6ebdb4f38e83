"""Quality on a twenty-fourth marketplace written from the data contract alone
(``benchmarks/twentyfourth_marketplace.py``, forty-first sitting, by a helper who read no code):
an online sports-betting and casino app with its own dotted action names (``bet.place``,
``bonus.claim``, ``poker.sit``, ``tip.follow``, ...), stakes and odds as extra event columns,
signals as CSV and referral links. Bonus-abuse rings multi-accounting on VoIP phones, shared
devices or emulators and cards; arbitrage syndicates of aged accounts on a residential-proxy
pool betting obscure markets right after odds moves, 20-40% of the members at a time; match
fixers staking big on the same few markets before they close; poker chip dumping at rarely used
tables; takeover waves. Benign look-alikes: households, pubs, betting shops and stadiums on one
IP, tipster followers copying picks within minutes, office sweepstakes, cup-final crowds, VIPs,
affiliate cohorts signing up in one week through one campaign.

Measured when it arrived (`run --seed 1`, 20k accounts): top K 0.938 (K = 32) / account AP
0.961; seed 2 0.844 / 0.966; without labels 0.875 / 0.921. At the run's default seed (0), which
this test uses: top K 0.938, account AUROC 0.994, AP 0.963; bonus rings 12/12, arbitrage
syndicates 6/6, takeover waves 4/4, chip dumping 3/5, match fixers 5/5 found and none flagged
(3-10 aged accounts on their own devices betting as everyone does: what marks them is the
stake, a column syndicate does not read)."""

from __future__ import annotations

import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentyfourth_run(tmp_path_factory):
    return generate_and_run("twentyfourth_marketplace.py", tmp_path_factory.mktemp("twentyfourth"))


def test_rings_syndicates_and_waves_are_found_and_the_top_ranks_are_bad(twentyfourth_run):
    data, run = twentyfourth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.93, ev.metrics["scored_accounts"]
    for kind in ("bonus_ring", "arb_syndicate", "ato_wave"):
        assert by_kind[kind]["recall"] >= 0.9, (kind, by_kind[kind])
    for kind in ("arb_syndicate", "ato_wave"):
        assert by_kind[kind]["recall_flagged"] >= 0.9, (kind, by_kind[kind])
    # 10 of 12 bonus rings flagged since the label-free view (forty-fourth sitting; 12 before): two
    # whose one or two members were labelled good (0.73-0.76 after those labels) have members who
    # act less like the high-risk clusters' (0.61-0.76 on average) than their model score says
    # (0.94-0.96), and fall to 0.65-0.67 (risk/pseudo_labels.py with_member_behaviour).
    assert by_kind["bonus_ring"]["recall_flagged"] >= 0.8, by_kind["bonus_ring"]
    assert by_kind["chip_dumping"]["recall"] >= 0.4, by_kind
    # Match fixers are found as groups but not flagged (see the module docstring).
    assert by_kind["match_fixing"]["recall"] >= 0.6, by_kind
    # Crowds on one IP or one market (pubs, stadiums, tipster followers, a cup final) and
    # households: hardly any account flagged.
    assert_benign_hardly_flagged(ev, 0.05)

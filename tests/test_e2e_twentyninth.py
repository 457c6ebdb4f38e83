"""Quality on a twenty-ninth marketplace written from the data contract alone
(``benchmarks/twentyninth_marketplace.py``, fifty-fourth sitting, by a helper who read no
code): a contests, polls and petitions platform. Entries, poll options and petitions are the
targets, beside targets the whole platform uses (log-ins to ``app:web`` / ``app:ios`` /
``app:android``, the ``email`` check, ``profile``); identifier kinds in its own words
(``device_id``, ``device_model``, ``ip_address``, ``card_fp``, ``payout_wallet``,
``email_domain``, ``postal_address``), signals as CSV with ``...Z`` times and junk first
sightings, events with UTC times in milliseconds, invite links, partial and noisy labels. Bad:
vote farms rotating 10-35% of their workers per job behind a residential proxy pool,
sockpuppet matrices of one entrant, petition stuffers (throwaway accounts made within hours on
data-centre IPs and disposable mail domains, signing one to three petitions, then dormant),
prize-abuse rings on shared payout methods, careful vote rings that share nothing, lone
actors. Benign look-alikes: schools and clubs rallying parents, an office's poll morning, a
viral petition that draws 2,300 signers (45% new accounts) within an hour, households, fan
communities.

Measured when it arrived (fifty-fourth sitting), before any change for it, `run --seed 1`, 20k
accounts, data seed 1: with labels top K 0.895 (K = 19), account AP 0.652, 13 of 19 groups
found; seed 2 0.947 / 0.907; seed 1 without labels 0.789 / 0.774. At the default seed (0),
which this test uses: top K 0.895, AUROC 0.946, AP 0.661; without labels 0.789, 0.966, 0.772.
Beside the viral crowd (below), a household of three on one device takes a top-K place with
labels, two school-club clusters and a household without; with labels the careful vote rings
are found (4/4) but none flagged, nor the vote farm found. The top-K floors sit at the
measured 17 and 15 of 19: one place lost fails them.
Not found: the petition stuffers (0/3 as groups: linked pair by pair only through IPs shared
by six or seven and a mail domain shared by forty, each far under a strong link; their
accounts score high on their own) and one vote farm of two (its workers come out in pieces of
3-34). A behaviour cluster of 283 accounts the viral petition drew in within an hour ranks in
the top K as an engagement farm, and without labels is flagged (272 of the 2,289 signers): a
third of its actions are on log-ins, the e-mail check and the most viewed entries, which a
quarter to two thirds of all accounts act on. Counting a target only where the members act
on it twice as often as the platform's accounts cleared it, but was not built
(benchmarks/RESULTS.md, fifty-fourth sitting): the bound below records the gap.
"""

from __future__ import annotations

import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run, run_cli, without_labels

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentyninth_run(tmp_path_factory):
    return generate_and_run("twentyninth_marketplace.py", tmp_path_factory.mktemp("twentyninth"))


def test_matrices_rings_and_a_farm_are_found_and_the_top_ranks_are_bad(twentyninth_run):
    data, run = twentyninth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.93, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.6, ev.metrics["scored_accounts"]
    assert by_kind["sockpuppet_cluster"]["recall_flagged"] >= 0.8, by_kind["sockpuppet_cluster"]
    assert by_kind["careful_vote_ring"]["recall"] >= 0.75, by_kind["careful_vote_ring"]
    assert by_kind["vote_farm"]["found"] >= 1, by_kind["vote_farm"]
    # Schools and clubs, the office's poll, the viral petition's signers, households, fans.
    assert_benign_hardly_flagged(ev, 0.01)


def test_without_labels_the_ranking_holds(twentyninth_run, tmp_path):
    data, _ = twentyninth_run
    run_cli("run", without_labels(data, tmp_path / "data"), "--out", tmp_path / "run", "--quiet")
    ev = evaluate_planted(data, tmp_path / "run")
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.75, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.72, ev.metrics["scored_accounts"]
    assert by_kind["sockpuppet_cluster"]["recall_flagged"] >= 0.8, by_kind["sockpuppet_cluster"]
    # The viral crowd's behaviour cluster is flagged without labels (the gap above): no more.
    assert_benign_hardly_flagged(ev, 0.01, viral_petition=0.15)

"""Quality on a twenty-first marketplace written from the data contract alone
(``benchmarks/twentyfirst_marketplace.py``, thirty-third sitting, by a helper who read no code):
a mobile ad network with app-install attribution and a rewards wall. Device farms (blunt ones
on a few devices installing in lockstep, careful ones on emulators with reset ad ids behind
residential proxies, rotating a quarter to half of their workers per campaign over hours),
click-spam bots, paid offerwall rings, fraudulent publishers with sub-affiliates and fake
users, cash-out rings on shared or chained wallets, takeover waves of dormant accounts and
survey farms giving the same rare answer sit among households, campus, office and carrier NATs,
internet cafés on shared emulator PCs, a declared QA lab installing clients' apps in lockstep,
big publishers, a popular VPN, gift-card payout ids shared by hundreds, an SDK bug's all-zero ad
id on 1% of accounts and a viral launch.

Measured when it arrived (`run --seed 1`, code of the thirty-second sitting): top K 0.971,
account AP 0.938 (seed 2: 0.971 / 0.957; without labels 0.886 / 0.841; 100k: 0.994 / 0.981);
the same with the thirty-third sitting's changes. At the run's default seed (0), which this test
uses: 0.943 / 0.942. What it does not do there yet: fraudulent publishers' trees (a publisher,
its sub-affiliates and their fake users, bound by attribution links) are found 1 of 4, in
pieces; without labels the declared QA lab (test phones installing in lockstep) ranks third.
Until the thirty-fourth sitting the SDK bug's all-zero ad id, on exactly `hub_cap` (200)
accounts at 20k and so no hub, arrived on them within three weeks and read as a takeover wave
that put two takeover waves and 138 honest accounts into one cluster; placeholders are left
out since (syndicate/placeholders.py): at this seed top K 0.943 -> 0.971, AP 0.942 -> 0.949,
takeover waves 2/4 -> 4/4, device farms 7/8 -> 5/8. Two of the farms (74 and 65 accounts,
bridged by 19 co-action links that carry 2.9 of their 1,220 inner link weight) come out as one
cluster of 140, found by the graph, the co-action groups and HDBSCAN together, in the graph
without the zero id's cluster (apart before, and at `--seed 1`: the seeded cuts move with any
change of the graph); a third farm's best cluster is at a Jaccard of 0.492 (0.500 before: one
outsider more)."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentyfirst_run(tmp_path_factory):
    return generate_and_run("twentyfirst_marketplace.py", tmp_path_factory.mktemp("twentyfirst"))


def test_farms_rings_and_cash_outs_are_found_and_the_top_ranks_are_bad(twentyfirst_run):
    """At the default seed: cash-out rings 4/4, takeover waves 4/4, offerwall rings 5/6, device
    farms 5/8 (two joined in one cluster: see the module's notes), survey farms 3/4,
    click-spam bots 3/5; top K 0.971, account AP 0.949."""
    data, run = twentyfirst_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["cashout_ring"]["recall"] == 1.0, by_kind
    assert by_kind["device_farm"]["recall"] >= 0.6, by_kind
    for kind in ("offerwall_ring", "survey_farm", "takeover_wave"):
        assert by_kind[kind]["recall"] >= 0.75, (kind, by_kind)
    assert by_kind["click_spam"]["recall"] >= 0.5, by_kind
    assert ev.metrics["top_k"]["precision"] >= 0.94, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.92, ev.metrics["scored_accounts"]

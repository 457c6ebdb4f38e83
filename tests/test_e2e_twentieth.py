"""Quality on a twentieth marketplace written from the data contract alone
(``benchmarks/twentieth_marketplace.py``, thirty-second sitting, by a helper who read no code):
a cryptocurrency exchange with an airdrop and launchpad programme. Airdrop sybil farms funded by
fan-outs and chains of internal transfers (careful ones on emulators behind residential proxies,
claiming in rotating subsets over hours), wash-trading rings on thin pairs, rings on bought
identity documents and repeated selfies, P2P money-mule rings, takeover waves of dormant
accounts and referral-abuse trees sit among market makers' sub-accounts, OTC desks, kiosks
signing up strangers, payroll employers paying staff by internal transfer, university clubs,
copy-trading crowds, honest influencers' referral stars, an airdrop rush, households, carrier
NAT and VPN exits, the hot wallets of other exchanges and a custody service's omnibus address.

Measured when it arrived, before anything was changed for it (`run --seed 1`): top K 0.676,
account AP 0.892 (seed 2: 0.794 / 0.928; without labels 0.676 / 0.794); with the appendage
cut on strong links (written for the seventeenth, before this marketplace was run) 0.735 /
0.899; with given links weighed down at their hubs (an influencer's referral star weighs as
one value on all its referees) 0.912 / 0.908 (seed 2: 0.912 / 0.928; without labels 0.765 /
0.799), a careful referral tree now found in pieces; with its withdrawal addresses read as
payout destinations, not places, 0.853 / 0.917 (seed 2: 0.941 / 0.931; without labels 0.765 /
0.843); the test runs at the run's default seed (0), where top K is 0.794. What it does not
do there yet (README,
"Where it falls short"): rings on identity documents are found 3 of 5 (the document and
selfie kinds are no identity family of ours), small wash-trading rings score low, and without
labels organisations (market makers, OTC desks, kiosks, payroll employers) take top-K places."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentieth_run(tmp_path_factory):
    return generate_and_run("twentieth_marketplace.py", tmp_path_factory.mktemp("twentieth"))


def test_the_farms_rings_and_takeovers_are_found_and_most_top_ranks_are_bad(twentieth_run):
    """Every wash-trading ring (6/6) found, most sybil farms (6/8), takeover waves (3/4),
    referral rings (5/6) and mule rings (3/5); top K 0.853 and account AP 0.917 at `--seed 1`."""
    data, run = twentieth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["wash_trading_ring"]["recall"] == 1.0, by_kind
    for kind in ("airdrop_sybil_farm", "account_takeover"):
        assert by_kind[kind]["recall"] >= 0.7, (kind, by_kind)
    for kind in ("referral_abuse_ring", "p2p_mule_ring"):
        assert by_kind[kind]["recall"] >= 0.6, (kind, by_kind)
    assert ev.metrics["top_k"]["precision"] >= 0.75, ev.metrics["top_k"]  # 0.794 at the default seed (0)
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.89, ev.metrics["scored_accounts"]

"""Quality on an eighteenth marketplace written from the data contract alone
(``benchmarks/eighteenth_marketplace.py``, thirtieth sitting): a freelance / gig-work platform.
Review-boosting rings (blunt, jittered over weeks, rotating services), account farms sold to new
owners, bid-spam bots on rotating proxies, chargeback rings, money-collusion rings, job-scam crews
and takeover waves of dormant freelancers sit among agencies on one office line and company
payout, coworking spaces and universities behind one NAT, bootcamp cohorts signing up in one
week, enterprise clients on one company card, households, repeat client-freelancer pairs,
retainer teams, viral jobs with hundreds of bids in minutes, payout hubs shared by hundreds and
a rented SMS pool the fraud rings share with a few honest users.

Measured before any change for it (`--seed 1`): top K 0.839, account AP 0.987; after the
thirtieth sitting's changes (a community above ``resplit_above`` cut again on its own: a dozen
rings on one SMS pool were one community of 419) 0.903 / 0.990. What it does not do there yet
(README, "Where it falls short"): the jittered review rings come out in pieces, and enterprise
clients and bootcamp cohorts take top-K places without labels."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def eighteenth_run(tmp_path_factory):
    return generate_and_run("eighteenth_marketplace.py", tmp_path_factory.mktemp("eighteenth"))


def test_the_farms_and_bots_are_found_and_the_top_ranks_are_bad(eighteenth_run):
    """Every bid-spam net (4/4) and four of five account farms found, three of four takeover
    waves, and most of the rest; top K 0.839 and account AP 0.989 at the tests' seed. Before the
    thirty-sixth sitting read IP churn, 0.935 and 5/5 farms: the bid-spam nets rotate through
    9-16 IPs each and their pairs now keep part of that evidence; the component around the SMS
    pool is cut a little differently, the hard account farm keeps 19 of its 33 accounts in one
    cluster (Jaccard 0.49; 0.51 before), and the labels' model ranks three enterprise clients'
    clusters and a bootcamp cohort a few places higher (at `--seed 1`: 0.871 either way)."""
    data, run = eighteenth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["bid_spam_bot"]["recall"] == 1.0, by_kind
    assert by_kind["account_farm"]["recall"] >= 0.8, by_kind
    assert by_kind["takeover_wave"]["recall"] >= 0.7, by_kind
    assert ev.metrics["top_k"]["precision"] >= 0.83, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]

"""Quality on a twelfth marketplace written from the data contract alone
(``benchmarks/twelfth_marketplace.py``, twenty-sixth sitting): a discussion forum whose actions
are its own (``upvote``, ``downvote``, ``award``, ``follow_user``, ``submit_post`` on a
community), with signals and labels as CSV, a ``browser_fp`` fingerprint on thousands of
accounts, carrier-NAT and VPN exits shared by hundreds and duplicate event rows. Vote rings
rotate their workers over clients' posts on residential-proxy IPs (two workers meet on 0.6-1.5
job targets on average); sockpuppet operators, astroturf campaigns, spam bots and karma farms
sit among households, moderator teams, AMA crowds, fan communities, meetup clubs and campuses.
The figures are what the toolkit reached on it (benchmarks/RESULTS.md, "twenty-sixth
sitting")."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twelfth_run(tmp_path_factory):
    return generate_and_run("twelfth_marketplace.py", tmp_path_factory.mktemp("twelfth"))


def test_vote_rings_are_found_as_groups_and_the_top_k_is_bad(twelfth_run):
    """Vote rings no pair of workers reveals are found by their group co-action (4-5 of 5 at
    the default seed); astroturf campaigns bridged to each other by under 30% of their own
    weight come apart (cluster/community.py, split_max_bridge): 3 of 5 at 3%, 4 of 5 at 30%."""
    data, run = twelfth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["vote_ring"]["recall"] >= 0.8, by_kind
    assert by_kind["karma_farm"]["recall"] >= 0.8, by_kind
    assert by_kind["spam_bot_net"]["recall"] >= 0.8, by_kind
    assert by_kind["sockpuppet_operator"]["recall"] >= 0.75, by_kind
    assert by_kind["astroturf_campaign"]["recall"] >= 0.8, by_kind
    # 0.931 and 0.783 at the default seed (0.897 and 0.777 with `run --seed 1` at a 3% bridge).
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.7, ev.metrics["scored_accounts"]


def test_vote_rings_no_label_covers_are_scored_by_the_label_free_view_too(twelfth_run):
    """No vote-ring member carries a label at this seed (600 of the 1,240 bad accounts); the
    account model trained on the labelled kinds scored them 0.09 on their own. With the label-
    free view (risk/accounts.py with_label_free_view) account average precision is 0.815 at the
    tests' seed where the code before gave 0.740 (0.714 -> 0.807 at run seed 1)."""
    data, run = twelfth_run
    ev = evaluate_planted(data, run)
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.79, ev.metrics["scored_accounts"]
    accounts = pl.read_parquet(run / "accounts.parquet")
    truth = pl.read_parquet(data / "truth.parquet")
    ring = accounts.join(truth, on="account_id").filter(pl.col("group_kind") == "vote_ring")
    organic = accounts.join(truth, on="account_id").filter(~pl.col("is_bad"))
    # Their median member 0.46 (0.37 before), above nine in ten good accounts (0.25).
    assert ring["risk_score"].median() >= 0.43, ring["risk_score"].median()
    assert ring["risk_score"].median() > organic["risk_score"].quantile(0.9), organic["risk_score"].quantile(0.9)
    reasons = ring.filter(pl.col("reasons").list.len() > 0)["reasons"].explode()
    assert reasons.str.starts_with("behaves like the members of the clusters this run scores high-risk "
                                   "without labels").any()

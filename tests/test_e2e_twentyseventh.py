"""Quality on a twenty-seventh marketplace written from the data contract alone
(``benchmarks/twentyseventh_marketplace.py``, fifty-first sitting, by a helper who read no
code): a microblogging network whose export resembles the public bot-detection sets plus what
the platform logs: posts, reposts, quotes, replies, likes, follows and hashtags as targets,
scarce identifiers (a posting ``client``, IPs for a third of the accounts, hashed phones and
e-mails), numeric account ids, ``client`` and ``content_hash`` as extra event columns. Repost
botnets (blunt: batch-made on one custom client and a data-centre /24; careful: aged accounts
on mainstream clients, each job using 10-35% of the bots with delays of minutes to hours),
astroturf campaigns of paid humans and sockpuppets, fake-follower sellers (batches that follow
customers drip-fed over 2-48 hours), follow trains, lone spammers. Benign look-alikes:
fandoms' hashtag parties, breaking-news crowds, newsroom teams on one office IP, declared
automation, households.

Measured when it arrived, before any change for it, `run` at the default seed (0) which this
test uses, 20k accounts, seed 1: top K 1.000 (K = 18), account AUROC 0.996, AP 0.985; follow
trains 5/5 found (none flagged as groups: their members score high), blunt repost botnets 3/3,
astroturf campaigns 2/4; the careful botnets (co-action spread over hours) come out in pieces
of 7-19 and the fake-follower sellers in pieces bound by their data-centre IPs and phones (0/3
found): their accounts still score 0.9 and above with labels. With `[lockstep] window_seconds =
3600` all 18 groups are found, but the 80-run sweep of the other marketplaces loses 52 groups
(benchmarks/RESULTS.md, fifty-first sitting).

The slow co-action pass (``[lockstep] slow_window_seconds``, fifty-second sitting) finds the
careful botnets and two of the three sellers as groups: at the default seed repost botnets 6/6,
fake-follower sellers 2/3 (top K 1.000, AP 0.986)."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentyseventh_run(tmp_path_factory):
    return generate_and_run("twentyseventh_marketplace.py", tmp_path_factory.mktemp("twentyseventh"))


def test_botnets_trains_and_campaigns_are_found_and_the_top_ranks_are_bad(twentyseventh_run):
    data, run = twentyseventh_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]
    assert by_kind["follow_train"]["recall"] >= 0.9, by_kind["follow_train"]
    # Every botnet (the careful ones by the slow pass), and half the campaigns.
    assert by_kind["repost_botnet"]["recall"] >= 0.9, by_kind["repost_botnet"]
    assert by_kind["astroturf_campaign"]["recall"] >= 0.5, by_kind["astroturf_campaign"]
    # Fandoms' parties, breaking-news crowds, newsrooms, declared bots, households: hardly any flagged.
    assert_benign_hardly_flagged(ev, 0.01)


def test_fake_followers_are_found_by_the_slow_pass_and_score_high(twentyseventh_run):
    # Their follows are spread over hours: the slow co-action pass finds most sellers as groups,
    # named by what bound them, and the account model ranks their accounts among the bad ones.
    data, run = twentyseventh_run
    ev = evaluate_planted(data, run)
    assert ev.metrics["groups"]["by_kind"]["fake_follower_seller"]["recall"] >= 0.6, ev.metrics["groups"]["by_kind"]
    clusters = pl.read_parquet(run / "clusters.parquet").filter(pl.col("found_by").str.contains("slow_coaction"))
    assert clusters.height and clusters["reasons"].list.first().str.contains("targets together within the same hour").any()
    truth = pl.read_parquet(data / "truth.parquet").with_columns(pl.col("account_id").cast(pl.String))
    scores = pl.read_parquet(run / "accounts.parquet").join(truth, on="account_id")
    fake = scores.filter(pl.col("group_kind") == "fake_follower_seller")["risk_score"]
    assert fake.len() > 100 and fake.median() >= 0.8, fake.describe()

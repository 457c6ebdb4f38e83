"""Quality on a twenty-second marketplace written from the data contract alone
(``benchmarks/twentysecond_marketplace.py``, thirty-fifth sitting, by a helper who read no code):
a short-video shop with live commerce. Matrix studios (phone racks, device-reset tools with a
unique device id per account behind carrier NATs, bought aged accounts), engagement farms that
rotate their workers (blunt: a quarter to a third per job over 2-5 minutes; careful: a tenth to
a fifth over 5-30 minutes with cover likes) on proxy pools, live-room water armies, brushing
rings on shared cards and drop addresses, new-user coupon abuse, review attacks and a takeover
wave sit among flash-sale and giveaway crowds, push-notification live audiences, fan clubs,
MCN agencies, merchants' offices, families, group buying among friends, campus, office and
carrier NATs, and building-level addresses neighbours share.

Measured when it arrived (`run --seed 1`, 20k accounts): top K 1.000 (K = 14), account AP 0.725;
without labels 1.000 / 0.592; seed 2 0.643 / 0.696 (five group-buying circles of friends, who
meet on their deals again and again and lean on the group-buy action, ranked 3rd-13th by the
scorecard where no labelled cluster bound that way was a ring; 0.929 / 0.717 since the
thirty-eighth sitting weighs the labels of clusters the scorecard cannot tell apart); 100k
0.984 / 0.881. At the run's default seed (0), which this test
uses: top K 0.929, account AUROC 0.925. What it does not do yet: the top ranks are right but
the groups come out in pieces — 7 of 14 planted groups matched at a Jaccard of 0.5. The careful
farm (60 workers, a tenth to a fifth of them per job over 5-30 minutes) is not found at all:
its members meet in 34 bursts of three or more of them on 21 targets, but a pair of workers
shares none or one job, so no weak co-action link forms and the co-action stage has nothing to
gather; the blunt farm comes out as two clusters of 40 and 34 (the graph's and the co-action
groups'), brushing rings and a device-reset studio in halves."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentysecond_run(tmp_path_factory):
    return generate_and_run("twentysecond_marketplace.py", tmp_path_factory.mktemp("twentysecond"))


def test_the_top_ranks_are_bad_and_studios_and_the_takeover_wave_are_found(twentysecond_run):
    """At the default seed: top K 0.929 (13 of 14; the 14th a group-buying circle), account
    AUROC 0.925; matrix studios 2/3 and the takeover wave found whole."""
    data, run = twentysecond_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.92, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.9, ev.metrics["scored_accounts"]
    assert by_kind["matrix_studio"]["recall"] >= 0.66, by_kind
    assert by_kind["ato_wave"]["recall"] == 1.0, by_kind
    assert ev.metrics["groups"]["recall"] >= 0.45, ev.metrics["groups"]


@pytest.fixture(scope="module")
def twentysecond_seed2_run(tmp_path_factory):
    return generate_and_run("twentysecond_marketplace.py", tmp_path_factory.mktemp("twentysecond2"), seed=2)


def test_group_buying_circles_like_those_labels_cleared_leave_the_top_ranks(twentysecond_seed2_run):
    """Seed 2: 25 group-buying circles (friends joining the same deal within minutes, again and
    again, leaning on the group-buy action) meet only on rare targets, where no labelled cluster
    is a confirmed ring, so the scorecard decides — and scored them 0.87-0.99 beside brushing
    rings, six in the top 14 (top K 0.571 at the default seed). Labels had found seven of them
    good: with their look-alikes' labels (risk/score.py lookalike_labels) two are left, top K
    0.857, account AP 0.722 -> 0.746."""
    data, run = twentysecond_seed2_run
    ev = evaluate_planted(data, run)
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["top_k"]["kinds"].get("group_buy", 0) <= 2, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.73, ev.metrics["scored_accounts"]

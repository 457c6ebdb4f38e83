"""Quality on a ninth marketplace written from the data contract alone
(``benchmarks/ninth_marketplace.py``, seventeenth sitting): review data in the mould of the
public review-spam sets (YelpChi / YelpNYC / YelpZip): one review per reviewer and business,
dates without times, no identifiers at all, a month-resolution "Yelping since" for creation,
mostly one-review reviewers on both sides, lone spammers far outnumbering organised campaigns,
and labels from a noisy filter (about two thirds precise and complete) on every reviewer. A
trivial ranker (mean distance from the business's average rating) reaches AUROC 0.65 against
those labels, as single features do on the real sets."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from conftest import generate_and_run, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ninth_runs(tmp_path_factory):
    """(data, run with every reviewer labelled, run of the same data without labels)."""
    base = tmp_path_factory.mktemp("ninth")
    data, labelled = generate_and_run("ninth_marketplace.py", base)
    unlabelled = base / "data_nl"
    shutil.copytree(data, unlabelled)
    (unlabelled / "labels.parquet").unlink()
    run_cli("run", unlabelled, "--out", base / "run_nl", "--quiet")
    return data, labelled, base / "run_nl"


def _scores(data, run) -> pl.DataFrame:
    accounts = pl.read_parquet(run / "accounts.parquet").select("account_id", "risk_score")
    return (accounts.join(pl.read_parquet(data / "truth.parquet"), on="account_id")
            .join(pl.read_parquet(data / "labels.parquet"), on="account_id", how="left"))


def _trivial(data) -> pl.DataFrame:
    """Mean distance of a reviewer's ratings from the business's average: the single feature
    the papers start from."""
    events = pl.read_parquet(data / "events.parquet")
    return (events.with_columns((pl.col("rating") - pl.col("rating").mean().over("target_id")).abs().alias("d"))
            .group_by("account_id").agg(pl.col("d").mean().alias("trivial")))


def test_dates_only_are_read_as_such(ninth_runs):
    _, labelled, _ = ninth_runs
    manifest = json.loads((labelled / "manifest.json").read_text())
    assert manifest["events_clock_seconds"] == 86_400
    accounts = pl.read_parquet(labelled / "accounts.parquet")
    assert accounts.height == manifest["input_rows"]["accounts"]
    # on dates alone no review lands "within seconds" of another
    assert accounts["burst_share"].max() == 0 and accounts["rapid_gap_share"].max() == 0
    # ... and "lockstep" links are the same day's co-action, which does not tell a farm from a
    # ring: campaigns bound by rare co-action are rings (12 of 46 were called farms before).
    clusters = pl.read_parquet(labelled / "clusters.parquet")
    bound = clusters.filter((pl.col("risk_score") >= 0.5) & (pl.col("evidence_rare_coaction") >= 0.5))
    assert bound.height > 20 and set(bound["archetype"]) <= {"review_ring", "coordinated_ring"}, \
        bound.group_by("archetype").len()


def test_every_reviewer_is_ranked_above_chance_and_the_trivial_ranker(ninth_runs):
    data, labelled, unlabelled = ninth_runs
    trivial = _trivial(data)
    with_labels = _scores(data, labelled).join(trivial, on="account_id", how="left").fill_null(0)
    y, truth = with_labels["label"].to_numpy(), with_labels["is_bad"].to_numpy().astype(int)
    base_auc = roc_auc_score(y, with_labels["trivial"].to_numpy())
    # With labels (out of fold): AUROC 0.80, AP 0.54 against the filter's labels at the default
    # seed (the trivial ranker: 0.65, 0.30); against the truth 0.85 / 0.68.
    auc, ap = roc_auc_score(y, with_labels["risk_score"]), average_precision_score(y, with_labels["risk_score"])
    assert auc >= 0.76 and auc >= base_auc + 0.1, (auc, base_auc)
    assert ap >= 0.45, ap
    assert roc_auc_score(truth, with_labels["risk_score"]) >= 0.8
    # Without labels (the scorecard): 0.76 / 0.41 against the truth, 0.71 against the labels.
    # With co-action bursts and rapid gaps read on dates (every review of a business that day
    # "within seconds" of the others) it was 0.71 / 0.37.
    plain = _scores(data, unlabelled)
    s = plain["risk_score"].to_numpy()
    truth = plain["is_bad"].to_numpy().astype(int)
    assert roc_auc_score(truth, s) >= 0.74, roc_auc_score(truth, s)
    assert average_precision_score(truth, s) >= 0.38
    assert roc_auc_score(plain["label"].to_numpy(), s) >= base_auc + 0.04


def test_campaigns_are_found_as_groups(ninth_runs):
    data, _, unlabelled = ninth_runs
    from conftest import evaluate_planted

    ev = evaluate_planted(data, unlabelled)
    by_kind = ev.metrics["groups"]["by_kind"]
    # ~5 accounts a campaign, one to three businesses each: 43/64 promotion campaigns and 22/33
    # attacks found at the default seed; 86% of the top 20 clusters' members are campaigners.
    # An attack of five on one popular business meets once, so only its ratings against the
    # business's other raters in one week bind it (link/rating_bursts.py; 11/33 before).
    assert by_kind["promo_campaign"]["recall"] >= 0.55, by_kind
    assert by_kind["attack_campaign"]["recall"] >= 0.55, by_kind
    top = pl.read_parquet(unlabelled / "clusters.parquet").sort("rank").head(20)
    members = pl.read_parquet(unlabelled / "members.parquet").join(pl.read_parquet(data / "truth.parquet"),
                                                                    on="account_id")
    bad = members.filter(pl.col("cluster_id").is_in(top["cluster_id"].implode()))["is_bad"].mean()
    assert bad >= 0.8, bad

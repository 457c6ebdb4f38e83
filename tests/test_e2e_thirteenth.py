"""Quality on a thirteenth marketplace written from the data contract alone
(``benchmarks/thirteenth_marketplace.py``, twenty-sixth sitting): a P2P payments wallet whose
transfers name the receiving account as their target, with nine-digit account ids (read as
integers from its CSV signals and labels), a ``referral_code`` and a ``device_model`` kind,
paydays on which thousands act within hours and duplicate event rows. Promo-abuse farms draw
their phone numbers from one SMS-activation pool that other farms, carding rings and honest
users draw on too; money-mule rings, colluding merchants, carding rings and takeover waves sit
among households, friends who split bills, small businesses, payroll employers, cash agents,
donation drives and office Wi-Fi. The figures are what the toolkit reached on it
(benchmarks/RESULTS.md, "twenty-sixth sitting")."""

from __future__ import annotations

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def thirteenth_run(tmp_path_factory):
    return generate_and_run("thirteenth_marketplace.py", tmp_path_factory.mktemp("thirteenth"))


def test_digit_ids_read_as_integers_from_csv_join_the_string_ids(thirteenth_run):
    data, run = thirteenth_run
    accounts = pl.read_parquet(run / "accounts.parquet")
    assert accounts.height == pl.read_parquet(data / "accounts.parquet").height
    assert accounts["account_id"].dtype == pl.String
    # Members carry the ids of the accounts table, whatever type the CSV reader guessed.
    members = pl.read_parquet(run / "members.parquet")
    assert members.join(accounts, on="account_id", how="anti").is_empty()


def test_farms_on_one_sms_pool_come_apart_and_the_top_k_is_bad(thirteenth_run):
    """Six promo farms, carding rings and ~200 honest users bound by one pool of rented SMS
    numbers were one cluster of 1,177 while a Leiden cut needed a bridge under 3% of a part's
    weight (the pool carries 20-28%); at 30% the carding rings come out (1 of 5 -> 4 of 5 with
    `run --seed 1`), and the farms' referral chains (link/attribution.py) put each farm
    together (0 of 6 -> 5 of 6 at the default seed; 4 of 6 since the thirty-sixth sitting: 46
    farm accounts hold 9-13 IPs, above the ordinary 8 of link/identity.py's churn scaling, and
    their pairs keep part of their IP ties, so one farm falls under Jaccard 0.5; at `run --seed
    1` the top K rose 0.963 -> 1.000 with it). Households paying each other are no review ring
    (the detector leaves events on accounts out)."""
    data, run = thirteenth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["carding_ring"]["recall"] >= 0.6, by_kind
    assert by_kind["promo_abuse_farm"]["recall"] >= 0.6, by_kind
    assert by_kind["merchant_collusion"]["recall"] >= 0.6, by_kind
    assert by_kind["account_takeover_wave"]["recall"] >= 0.6, by_kind
    # 0.926 and 0.922 at the default seed (1.000 and 0.926 before the IP churn; 0.444 and 0.928
    # with `run --seed 1` at a 3% bridge).
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.85, ev.metrics["scored_accounts"]


@pytest.fixture(scope="module")
def thirteenth_unlabelled(thirteenth_run, tmp_path_factory):
    """The same marketplace without its labels file, run with default settings."""
    import shutil

    from conftest import run_cli

    data, _ = thirteenth_run
    base = tmp_path_factory.mktemp("thirteenth_unlabelled")
    shutil.copytree(data, base / "data", ignore=shutil.ignore_patterns("labels.*"))
    run_cli("run", base / "data", "--out", base / "run", "--quiet")
    return data, base / "run"


def test_without_labels_takeover_waves_of_strangers_rank(thirteenth_unlabelled):
    """The takeover waves reach five or more old accounts that shared nothing before
    (features/takeover.py, strangers): weighed as no household's new tablet, five of their
    clusters are in the top K without labels and its precision is 0.89; weighed by size alone
    (a household's scale), three and 0.81 (twenty-seventh sitting)."""
    data, run = thirteenth_unlabelled
    ev = evaluate_planted(data, run)
    assert ev.metrics["top_k"]["kinds"].get("account_takeover_wave", 0) >= 4, ev.metrics["top_k"]
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["groups"]["by_kind"]["account_takeover_wave"]["recall_flagged"] >= 0.5


def test_without_labels_the_runs_high_risk_clusters_teach_the_account_score(thirteenth_unlabelled):
    """Pseudo-labels from the run's own high-risk clusters (risk/pseudo_labels.py, forty-second
    sitting): account average precision without labels 0.775 -> 0.858 at the default seed (AUROC
    0.929 -> 0.955); the scorecard alone stays under the floor."""
    data, run = thirteenth_unlabelled
    ev = evaluate_planted(data, run)
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.83, ev.metrics["scored_accounts"]


def test_without_labels_clusters_whose_members_act_unlike_the_others_fall(thirteenth_unlabelled):
    """Clusters move towards their members' mean pseudo-label score (risk/pseudo_labels.py,
    forty-third sitting): top-K precision without labels 0.926 -> 1.000 at the default seed."""
    data, run = thirteenth_unlabelled
    ev = evaluate_planted(data, run)
    assert ev.metrics["top_k"]["precision"] >= 0.96, ev.metrics["top_k"]

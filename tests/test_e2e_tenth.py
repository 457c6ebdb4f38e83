"""Quality on a tenth marketplace written from the data contract alone
(``benchmarks/tenth_marketplace.py``, nineteenth sitting): a travel, ticketing and short-term
rental site with its own action vocabulary (searches, bookings, queue joins, payout changes,
reviews with a ``rating``), identifier kinds of its own (``payout``, and ``ua_fp``, a coarse
browser fingerprint shared by hundreds of accounts per value), fake-host rings, review rings
with jittered timing, promo and referral farms, takeover crews, scalper bots on ticket drops and
rotating worker farms among households, travel agencies, corporate travel, offices, campuses,
hostel wifi, group trips, festival crowds and a viral listing. Built and first run after the
sitting's purpose rule was written; the figures are what the toolkit reached on it
(benchmarks/RESULTS.md, "nineteenth sitting")."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from conftest import BENCHMARKS, evaluate_planted, generate_and_run, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tenth_run(tmp_path_factory):
    return generate_and_run("tenth_marketplace.py", tmp_path_factory.mktemp("tenth"))


def test_every_account_is_scored_once(tenth_run):
    data, run = tenth_run
    accounts = pl.read_parquet(run / "accounts.parquet")
    assert accounts.height == pl.read_parquet(data / "accounts.parquet").height
    assert accounts["account_id"].n_unique() == accounts.height
    assert accounts["risk_score"].is_between(0, 1).all()


def test_the_coarse_fingerprint_is_read_as_a_property(tenth_run):
    """``ua_fp`` is named like a device, but most of its rows sit on values hundreds of accounts
    share: the run reads it as a property and says so in the manifest."""
    _, run = tenth_run
    manifest = json.loads((run / "manifest.json").read_text())
    read = manifest["link"]["kinds_read_as_properties"]
    assert list(read) == ["ua_fp"] and 0.5 <= read["ua_fp"] < 0.8, read
    clusters = pl.read_parquet(run / "clusters.parquet")
    assert clusters["size"].max() < 1000  # 4,306 while it chained households, agencies and hostels


def test_rings_are_found_and_group_trips_do_not_pass_for_them(tenth_run):
    """Friends on a trip book, view and rate the same places within days, as a review ring
    does, but lean on no unusual action: a ring's purpose is what it does, not that it does it
    together (risk/unsupervised.py _RING_PURPOSE)."""
    data, run = tenth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    # At the default seed: review rings 6/6, fake hosts 4/6, worker farms 4/4 (3/4 while ua_fp
    # chained a quarter of the site), takeover crews 4/4 (2/4), promo farms 3/5.
    assert by_kind["review_ring"]["recall"] >= 0.8, by_kind
    assert by_kind["fake_host_ring"]["recall"] >= 0.5, by_kind
    assert by_kind["rotating_worker_farm"]["recall"] >= 0.75, by_kind
    assert by_kind["account_takeover"]["recall"] >= 0.75, by_kind
    # Scalper bots among the drops' honest resellers: 4/4 carved out of the crowd they join
    # every queue with (cluster/operators.py), 1/4 before.
    assert by_kind["scalper_bots"]["recall"] >= 0.75, by_kind
    # 0.897 (26 of 29) at the default seed since households are shed from rings (twenty-ninth
    # sitting: the model retrained on the changed clusters put a hostel trio at 0.368 a hair
    # above a takeover crew of three at 0.359, the 29th place; 0.931 at `--seed 1`), 0.931
    # before; 0.862 before the scalpers were carved out, 0.828 while ua_fp was read as a device
    # (twentieth sitting), 0.793 before the purpose rule, when shared targets alone counted as a
    # ring's purpose.
    assert ev.metrics["top_k"]["precision"] >= 0.89, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.93, ev.metrics["scored_accounts"]
    truth = pl.read_parquet(data / "truth.parquet")
    k = ev.metrics["top_k"]["k"]
    top = pl.read_parquet(run / "clusters.parquet").sort("rank").head(k).select("cluster_id")
    kinds = (pl.read_parquet(run / "members.parquet").join(top, on="cluster_id").join(truth, on="account_id")
             .group_by("cluster_id").agg(pl.col("group_kind").fill_null("-").mode().first(),
                                         pl.col("is_bad").mean()))
    trips = kinds.filter((pl.col("group_kind") == "group_trip") & (pl.col("is_bad") <= 0.5)).height
    assert trips <= 5, kinds  # 5 at the default seed, 6 before


@pytest.fixture(scope="module")
def tenth_run_without_labels(tmp_path_factory):
    base = tmp_path_factory.mktemp("tenth_nl")
    subprocess.run([sys.executable, str(BENCHMARKS / "tenth_marketplace.py"), str(base / "data"), "--accounts",
                    "20000", "--seed", "1", "--no-labels"], check=True, capture_output=True, timeout=600)
    run_cli("run", base / "data", "--out", base / "run", "--quiet")
    return base / "data", base / "run"


def test_corporate_rollouts_long_before_the_events_are_no_takeover_waves(tenth_run_without_labels):
    """The tenth's companies put a corporate card, a travel desk's device and the office IP on
    their staff's old accounts 180-190 days before the first event: no takeover in progress
    (features/takeover.py, BEFORE_EVENTS_DAYS). Read as waves they held 10 of the top 29 places
    without labels as account takeovers (top K 0.621 at the default seed); now none, 0.862."""
    data, run = tenth_run_without_labels
    ev = evaluate_planted(data, run)
    assert ev.metrics["top_k"]["precision"] >= 0.82, ev.metrics["top_k"]
    truth = pl.read_parquet(data / "truth.parquet")
    clusters = pl.read_parquet(run / "clusters.parquet")
    corporate = (pl.read_parquet(run / "members.parquet").join(truth, on="account_id")
                 .group_by("cluster_id").agg((pl.col("group_kind") == "corporate_travel").mean().alias("share"))
                 .filter(pl.col("share") > 0.5).join(clusters, on="cluster_id"))
    assert corporate.height >= 8, corporate.height  # found as the companies they are
    assert corporate.filter(pl.col("archetype") == "account_takeover").height == 0, corporate["archetype"].to_list()
    assert corporate["rank"].min() > ev.metrics["top_k"]["k"], corporate.select("rank", "size", "archetype")


def test_without_labels_the_runs_high_risk_clusters_teach_the_account_score(tenth_run_without_labels):
    """Without labels the members of the run's high-risk clusters are the pseudo-labels of an
    account model out of fold (risk/pseudo_labels.py, forty-second sitting): account average
    precision 0.804 -> 0.865 at the default seed (AUROC 0.956 -> 0.971); the scorecard alone
    stays under the floor."""
    data, run = tenth_run_without_labels
    ev = evaluate_planted(data, run)
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.84, ev.metrics["scored_accounts"]
    manifest = json.loads((run / "manifest.json").read_text())
    pseudo = manifest["accounts"]["metrics"]["pseudo_labels"]
    assert pseudo["pseudo_positive_components"] >= 5 and pseudo["pseudo_positive_accounts"] >= 100, pseudo
    accounts = pl.read_parquet(run / "accounts.parquet")
    lone = accounts.filter(pl.col("cluster_id").is_null() & (pl.col("risk_score") >= 0.5))
    # Lone accounts the model rates as the high-risk clusters' kind say so first.
    taught = lone.filter(pl.col("reasons").list.first().str.starts_with("behaves like the members"))
    assert taught.height >= 10, lone["reasons"].head(20).to_list()


def test_without_labels_clusters_move_towards_their_members_pseudo_label_score(tenth_run_without_labels):
    """Each cluster's score moves towards its members' mean out-of-fold score from the
    pseudo-label model (risk/pseudo_labels.py, with_member_behaviour; forty-third sitting): cluster
    average precision without labels 0.526 -> 0.615 at the default seed, the flagged clusters'
    precision 0.920 -> 0.958 (top K 0.862 both); what each member inherits is the moved score."""
    data, run = tenth_run_without_labels
    ev = evaluate_planted(data, run)
    assert ev.metrics["clusters"]["average_precision"] >= 0.58, ev.metrics["clusters"]
    pseudo = json.loads((run / "manifest.json").read_text())["accounts"]["metrics"]["pseudo_labels"]
    assert 0 < pseudo["cluster_weight"] < pseudo["weight"] and pseudo["clusters_lowered"] > 0, pseudo
    report = (run / "report.html").read_text()
    assert "cluster scores" in report and "of the way to their members&#x27; mean score" in report
    clusters = pl.read_parquet(run / "clusters.parquet")
    # Left out only where every member was taken over in a wave (their owners' behaviour says
    # nothing of the cluster that took them) or has no event (no behaviour to read).
    accounts = pl.read_parquet(run / "accounts.parquet")
    unjudged = (accounts.filter(pl.col("cluster_id").is_not_null())
                .group_by("cluster_id")
                .agg(((pl.col("takeover_strength").fill_null(0) > 0) | (pl.col("n_events").fill_null(0) <= 0))
                     .all().alias("unjudged")))
    both = clusters.join(unjudged, on="cluster_id", how="left")
    unread = both["member_pseudo_label_score"].is_null()
    assert unread.any() and (unread == both["unjudged"]).all()
    assert (both.filter(pl.col("takeover_wave_share") >= 1.0)["member_pseudo_label_score"].is_null()).all()
    # A moved cluster's sentence agrees with its numbers: like (>= 0.5) when raised, unlike when lowered.
    said = clusters.explode("reasons").filter(pl.col("reasons").str.starts_with("its members behave"))
    assert said.height > 0
    raised = said["reasons"].str.contains("risk raised by")
    assert ((said["member_pseudo_label_score"] >= 0.5) == raised).all(), said.select("reasons").head(5)
    # Members inherit the moved score: the cluster risk their reasons give is the clusters table's.
    reasons = (pl.read_parquet(run / "accounts.parquet").explode("reasons")
               .filter(pl.col("reasons").str.starts_with("member of cluster"))
               .join(clusters.select("cluster_id", pl.col("risk_score").alias("risk_in_table")), on="cluster_id"))
    assert reasons.height > 100
    given = reasons["reasons"].str.extract(r"\(risk ([0-9.]+),", 1).cast(pl.Float64)
    assert ((given - reasons["risk_in_table"]).abs() <= 0.005 + 1e-9).all()
    # An investigator's case gives the members' score beside the cluster's.
    from syndicate.cases import export_cases

    top = clusters.sort("rank").filter(pl.col("member_pseudo_label_score").is_not_null()).row(0, named=True)
    (case,) = export_cases(run, cluster_ids=[top["cluster_id"]], out_dir=run.parent / "cases_moved")
    summary = json.loads((case / "summary.json").read_text())
    assert summary["member_pseudo_label_score"] == pytest.approx(top["member_pseudo_label_score"])

"""With labels, cluster members also take the view of a run without labels
(``risk.accounts.with_label_free_view``): a kind of syndicate no label covers is not scored as
whatever labelled accounts it resembles."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import average_precision_score

import syndicate
import syndicate.risk.accounts as accounts_module
from syndicate.config import Config, RiskConfig
from syndicate.risk.accounts import with_label_free_view
from syndicate.risk.score import label_free_risk, score_clusters

UNLABELLED_KIND = "sparse_farm"


@pytest.fixture(scope="module")
def runs():
    """Our marketplace with every label of its sparse farms removed, run with the label-free
    view and without it (the function replaced by one that keeps the supervised scores)."""
    tables = syndicate.generate_marketplace(4_000, seed=5)
    truth = tables["truth"]
    farm = truth.filter(pl.col("group_kind") == UNLABELLED_KIND)["account_id"]
    tables["labels"] = tables["labels"].filter(~pl.col("account_id").is_in(farm.implode()))
    dataset = syndicate.load_dataset(tables)
    with_view = syndicate.run(dataset, config=Config(seed=0))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts_module, "with_label_free_view", lambda table, supervised, *a, **k: (supervised, None, "off"))
        without = syndicate.run(dataset, config=Config(seed=0))
    return truth, with_view, without, dataset


@pytest.fixture(scope="module")
def no_labels_run(runs):
    """The same marketplace run without its labels table."""
    tables = syndicate.generate_marketplace(4_000, seed=5)
    return syndicate.run(syndicate.load_dataset({k: v for k, v in tables.items() if k not in ("labels", "truth")}),
                         config=Config(seed=0))


def _scored(result, truth: pl.DataFrame) -> pl.DataFrame:
    return result.accounts.join(truth, on="account_id", how="left", maintain_order="left")


def test_members_of_a_kind_no_label_covers_rank_higher(runs):
    truth, with_view, without, _ = runs
    figures = []
    for result in (with_view, without):
        scored = _scored(result, truth)
        kind = (scored["group_kind"] == UNLABELLED_KIND).fill_null(False).to_numpy()
        bad = scored["is_bad"].fill_null(False).to_numpy()
        # The unlabelled kind against every good account.
        against_good = kind | ~bad
        figures.append((average_precision_score(kind[against_good], scored["risk_score"].to_numpy()[against_good]),
                        # Of the kind, in the first as many places as there are bad accounts.
                        (scored["rank"].to_numpy()[kind] <= bad.sum()).mean(),
                        average_precision_score(bad, scored["risk_score"].to_numpy())))
    (ap_kind, top_kind, ap_all), (ap_kind0, top_kind0, ap_all0) = figures
    # The kind against good accounts 0.966 -> 0.975, in the top places 0.910 -> 0.943, all accounts
    # 0.984 -> 0.988 (data seed 5, run seed 0).
    assert ap_kind > ap_kind0 + 0.003, figures
    assert top_kind > top_kind0, figures
    assert ap_all >= ap_all0, figures


def test_only_cluster_members_move_and_the_manifest_says_by_how_much(runs):
    _, with_view, without, _ = runs
    both = with_view.accounts.join(without.accounts.select("account_id", pl.col("model_score").alias("before")),
                                   on="account_id")
    outside = both.filter(pl.col("cluster_id").is_null())
    assert outside.height > 0 and (outside["model_score"] == outside["before"]).all()
    members = both.filter(pl.col("cluster_id").is_not_null())
    assert (members["model_score"] != members["before"]).sum() > 0.5 * members.height
    view = with_view.manifest["accounts"]["metrics"]["label_free_view"]
    assert 0 < view["weight"] <= 0.5 and view["out_of_fold_auroc"] > 0.75
    assert view["accounts_moved"] == (members["model_score"] != members["before"]).sum()
    assert without.manifest["accounts"]["metrics"]["label_free_view"] == {"skipped_because": "off"}


def test_the_reasons_say_when_the_label_free_view_raised_an_account(runs):
    _, with_view, without, _ = runs
    sentence = "behaves like the members of the clusters this run scores high-risk without labels"
    said = with_view.accounts.filter(pl.col("reasons").list.eval(pl.element().str.starts_with(sentence)).list.any())
    assert said.height > 0
    assert not without.accounts["reasons"].list.eval(pl.element().str.starts_with(sentence)).list.any().any()
    # Said only where it raised the account's own score, on its high-risk side.
    before = said.join(without.accounts.select("account_id", pl.col("model_score").alias("before")), on="account_id")
    assert (before["model_score"] >= before["before"] + 0.05 - 1e-6).all()
    assert (before["risk_score"] >= 0.5).all()


def test_the_label_free_risk_is_the_cluster_risk_a_run_without_labels_gives(runs):
    _, with_view, _, _ = runs
    clusters = with_view.clusters.sort("cluster_id")
    assert clusters["n_known_bad"].sum() > 0
    unlabelled = clusters.with_columns(pl.lit(0).alias("n_known_bad"), pl.lit(0).alias("n_known_good"))
    expected = score_clusters(unlabelled, config=RiskConfig()).frame
    assert set(expected["score_source"]) == {"unsupervised"}
    free = label_free_risk(clusters, RiskConfig())
    assert np.allclose(free, expected["risk_score"].to_numpy(), atol=1e-6)
    # Labels changed the clusters' risk the accounts inherit, not the label-free one.
    assert not np.allclose(free, clusters["risk_score"].to_numpy(), atol=0.01)
    assert label_free_risk(clusters.head(0), RiskConfig()).shape == (0,)


def test_without_pseudo_labels_the_supervised_scores_stay():
    table = pl.DataFrame({"account_id": ["a", "b", "c"], "cluster_id": ["C1", "C1", None],
                          "n_events": [1.0, 2.0, 3.0]})
    supervised = np.array([0.2, 0.4, 0.6])
    risk = pl.DataFrame({"cluster_id": ["C1"], "risk_score": [0.9]})
    scores, model, why_not = with_label_free_view(table, supervised, np.ones(3), risk, np.array([1, 1, 2]),
                                                  config=RiskConfig(), seed=0)
    assert model is None and why_not and "pseudo-label model needs" in why_not
    assert scores is supervised


def test_the_view_is_the_model_a_run_without_labels_trains(runs, no_labels_run):
    """The pipeline hands the accounts stage the label-free risk, not the labelled one: the
    view's pseudo-label model is the no-label run's, pseudo-labels, AUROC and weight alike."""
    _, with_view, _, _ = runs
    view = with_view.manifest["accounts"]["metrics"]["label_free_view"]
    alone = no_labels_run.manifest["accounts"]["metrics"]["pseudo_labels"]
    for key in ("pseudo_positive_accounts", "pseudo_positive_components", "out_of_fold_auroc", "weight",
                "cluster_weight"):
        assert view[key] == alone[key], key


def test_on_a_table_larger_than_the_training_sample_only_members_are_scored(runs, monkeypatch):
    import syndicate.risk.pseudo_labels as pseudo_module

    _, with_view, _, dataset = runs
    monkeypatch.setattr(pseudo_module, "MAX_TRAIN_ROWS", 1_500)
    sampled = syndicate.run(dataset, config=Config(seed=0))
    view = sampled.manifest["accounts"]["metrics"]["label_free_view"]
    assert view["training_rows"] == 1_500 and 0.75 < view["out_of_fold_auroc"] <= 1.0
    accounts, clusters = sampled.accounts, sampled.clusters
    for frame, column in ((accounts, "risk_score"), (accounts, "model_score"), (clusters, "risk_score"),
                          (clusters, "member_pseudo_label_score")):
        assert not frame[column].is_nan().any(), column
    assert clusters["member_pseudo_label_score"].is_not_null().sum() > 0
    # Accounts outside clusters keep the supervised score, as with every row scored.
    outside = accounts.filter(pl.col("cluster_id").is_null()).select("account_id", "model_score")
    full = with_view.accounts.select("account_id", pl.col("model_score").alias("full"))
    both = outside.join(full, on="account_id")
    assert (both["model_score"] == both["full"]).all()
    assert all(isinstance(r, str) for reasons in accounts["reasons"].to_list() for r in reasons)

"""The pseudo-label model: without labels, accounts that behave like the run's high-risk clusters."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

from syndicate.config import RiskConfig
from syndicate.risk.accounts import score_accounts
from syndicate.risk.pseudo_labels import behaviour_columns, blend, pseudo_label_scores


def _platform(seed: int = 0, n_clusters: int = 12, size: int = 8, n_lone: int = 2_000, n_lone_bad: int = 60):
    """Risky clusters whose members send gifts at odd hours, benign lone accounts, and lone bad
    accounts that act like the clusters' members but are linked to no one. Graph columns say
    who is in a cluster (they must not be what the model learns)."""
    rng = np.random.default_rng(seed)
    n_members = n_clusters * size
    n = n_members + n_lone
    bad = np.zeros(n, dtype=bool)
    bad[:n_members] = True
    bad[n_members:n_members + n_lone_bad] = True
    cluster = [f"C{i // size}" for i in range(n_members)] + [None] * n_lone
    table = pl.DataFrame({
        "account_id": [f"a{i:05d}" for i in range(n)],
        "cluster_id": pl.Series(cluster, dtype=pl.String),
        # This platform's own signature of operated accounts, which the scorecard does not read.
        "action_gift_send": np.where(bad, rng.uniform(0.4, 0.9, n), rng.uniform(0.0, 0.3, n)),
        "hour_entropy": np.where(bad, rng.uniform(0.1, 0.5, n), rng.uniform(0.3, 1.0, n)),
        "burst_share": rng.uniform(0.0, 0.3, n),
        "n_events": rng.integers(5, 60, n).astype(float),
        "weighted_degree": np.where(np.arange(n) < n_members, 20.0, 0.0),
        "cluster_risk": np.where(np.arange(n) < n_members, 0.95, 0.0),
    })
    groups = np.where(np.arange(n) < n_members, np.arange(n) // size, n + np.arange(n))
    inherited = np.where(np.arange(n) < n_members, 0.95, 0.0)
    return table, groups, inherited, bad


def test_lone_accounts_that_act_like_the_high_risk_clusters_members_rank_high():
    table, groups, inherited, bad = _platform()
    look, problem = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    assert problem is None
    lone = table["cluster_id"].is_null().to_numpy()
    # Lone bad accounts were never pseudo-labelled, and still stand out among lone accounts.
    assert roc_auc_score(bad[lone], look.scores[lone]) > 0.95
    assert look.metrics["pseudo_positive_accounts"] == 96 and look.metrics["pseudo_positive_components"] == 12
    # What decides the pseudo-label is never a feature.
    assert "weighted_degree" not in look.feature_names and "cluster_risk" not in look.feature_names
    assert set(look.feature_names) == {"action_gift_send", "hour_entropy", "burst_share", "n_events"}


def test_members_are_scored_by_a_model_that_never_saw_their_component():
    # One cluster whose members share a value no other account has: a model that saw them would
    # rate them near 1 from it; out of fold (its component in one fold) it cannot.
    table, groups, inherited, bad = _platform(seed=1)
    odd = (table["cluster_id"] == "C0").fill_null(False).to_numpy()
    table = table.with_columns(pl.Series("action_gift_send", np.where(odd, 0.0, table["action_gift_send"].to_numpy())),
                               pl.Series("hour_entropy", np.where(odd, 5.0, table["hour_entropy"].to_numpy())))
    look, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    assert look.scores[odd].max() < 0.5, look.scores[odd]
    others = (~odd) & (inherited > 0)
    assert np.median(look.scores[others]) > 0.8


def test_too_few_high_risk_components_skip_the_model_and_say_why():
    table, groups, inherited, _ = _platform(n_clusters=3)
    look, problem = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    assert look is None and "3 component(s)" in problem and "risk.n_folds" in problem
    clusters = pl.DataFrame({"cluster_id": [f"C{i}" for i in range(3)], "risk_score": [0.95] * 3})
    scores = score_accounts(table, cluster_risk=clusters, labels=None, groups=groups)
    assert "pseudo_labels" not in scores.metrics and "3 component(s)" in scores.metrics["pseudo_labels_skipped_because"]
    # Nothing at the high-risk line: no pseudo-positives at all.
    look, problem = pseudo_label_scores(table, inherited * 0.5, groups, config=RiskConfig(), seed=0)
    assert look is None and problem.startswith("0 account(s)")


def test_scores_move_towards_the_pseudo_label_model_and_reasons_name_it():
    table, groups, _, bad = _platform()
    clusters = pl.DataFrame({"cluster_id": [f"C{i}" for i in range(12)], "risk_score": [0.95] * 12})
    scores = score_accounts(table, cluster_risk=clusters, labels=None, groups=groups, seed=0)
    without = score_accounts(table, cluster_risk=clusters, labels=None, groups=groups, seed=0,
                             config=RiskConfig(high_risk_threshold=0.99))
    assert "pseudo_labels" in scores.metrics and "pseudo_labels" not in without.metrics
    frame = scores.frame.sort("account_id")
    plain = without.frame.sort("account_id")
    lone = frame["cluster_id"].is_null().to_numpy()
    truth = bad[lone]
    # The lone bad accounts rank better among lone accounts with the pseudo-label model's half than without.
    assert roc_auc_score(truth, frame["model_score"].to_numpy()[lone]) > roc_auc_score(
        truth, plain["model_score"].to_numpy()[lone])
    assert set(frame["score_source"]) <= {"unsupervised", "cluster"}
    flagged = frame.filter(pl.col("cluster_id").is_null() & (pl.col("risk_score") >= 0.5))
    assert flagged.height > 0
    assert all(any(r.startswith("behaves like the members of this run's high-risk clusters") for r in reasons)
               for reasons in flagged["reasons"])
    assert not any(r.startswith("behaves like") for reasons in frame.filter(pl.col("risk_score") < 0.5)["reasons"]
                   for r in reasons)


def test_the_same_input_and_seed_give_the_same_scores():
    table, groups, inherited, _ = _platform(seed=2)
    a, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=3)
    b, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=3)
    assert np.array_equal(a.scores, b.scores) and np.array_equal(a.folds, b.folds)


def test_behaviour_columns_leave_out_links_cluster_takeover_and_constants():
    table = pl.DataFrame({"account_id": ["a", "b", "c"], "cluster_id": ["C", None, "C"], "label": [1, None, 0],
                          "n_events": [3.0, 5.0, 9.0], "neighbour_risk_mean": [0.5, 0.1, 0.2],
                          "cluster_size": [4, 0, 4], "burst_share": [0.1, 0.0, 0.4], "takeover_wave": [0, 5, 5],
                          "takeover_strength": [0.0, 1.0, 1.0], "age_days": [30.0, 30.0, 30.0],
                          "rating_deviation": [None, 0.2, 0.2], "archetype": ["x", "y", "z"]})
    # A column with one value everywhere teaches nothing; one seen on some accounts only does.
    assert behaviour_columns(table) == ["n_events", "burst_share", "rating_deviation"]
    assert behaviour_columns(table.clear()) == []


def test_a_large_table_trains_on_a_sample_of_each_class_and_scores_every_account(monkeypatch):
    import syndicate.risk.pseudo_labels as pseudo_labels

    monkeypatch.setattr(pseudo_labels, "MAX_TRAIN_ROWS", 150)
    table, groups, inherited, bad = _platform()
    look, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    assert look.metrics["training_rows"] == 150  # 75 of the 96 positives, 75 negatives
    lone = table["cluster_id"].is_null().to_numpy()
    assert roc_auc_score(bad[lone], look.scores[lone]) > 0.9


def test_contributions_add_up_to_the_score_of_the_fold_model_that_gave_it():
    table, groups, inherited, _ = _platform(seed=3)
    look, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    rows = np.array([0, 5, 17, 96, 500, 2000])
    parts = look.contributions(table, rows)
    bias = np.array([look.models[f].contributions(table[[int(r)]].select(look.feature_names))[0, -1]
                     for f, r in zip(look.folds[rows], rows)])
    logit = np.log(look.scores[rows] / (1 - look.scores[rows]))
    assert np.allclose(parts.sum(axis=1) + bias, logit, atol=1e-4)


def test_positives_in_exactly_n_folds_components_train_every_fold_model():
    table, groups, inherited, bad = _platform(n_clusters=5, size=20)
    look, problem = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    assert problem is None and all(m.metadata_["n_positive"] > 0 for m in look.models)
    assert look.metrics["pseudo_positive_components"] == 5


def test_behaviour_that_does_not_separate_the_pseudo_labels_leaves_the_scorecard_alone():
    # Noise: the model ranks its own pseudo-labels at chance out of fold, so it weighs ~nothing.
    table, groups, inherited, _ = _platform(seed=4)
    rng = np.random.default_rng(0)
    noise = table.select("account_id", "cluster_id", "weighted_degree", "cluster_risk").with_columns(
        pl.Series("n_events", rng.integers(5, 60, table.height).astype(float)),
        pl.Series("hour_entropy", rng.uniform(0, 1, table.height)))
    look, _ = pseudo_label_scores(noise, inherited, groups, config=RiskConfig(), seed=0)
    assert look.metrics["out_of_fold_auroc"] < 0.65 and look.weight < 0.15, look.metrics
    card = np.linspace(0.0, 1.0, noise.height)
    assert np.abs(blend(card, look) - card).max() < 0.15
    assert np.array_equal(blend(card, None), card)
    clusters = pl.DataFrame({"cluster_id": [f"C{i}" for i in range(12)], "risk_score": [0.95] * 12})
    scores = score_accounts(noise, cluster_risk=clusters, labels=None, groups=groups, seed=0)
    assert not any(r.startswith("behaves like") for reasons in scores.frame["reasons"] for r in reasons)


def test_the_pseudo_label_reason_keeps_to_n_reasons():
    from syndicate.risk.account_reasons import account_reasons

    row = {"label": 1, "cluster_id": "C1", "cluster_size": 9.0, "cluster_risk_score": 0.9, "inherited_risk": 0.9,
           "model_score": 0.6, "risk_score": 0.96, "score_source": "cluster", "pseudo_label_score": 0.9,
           "pseudo_label_part": 0.2, "n_events": 40.0}
    table = pl.DataFrame([row])
    reasons = account_reasons(table, ["n_events"], np.array([[0.5]]), table["risk_score"].to_numpy(), n=2)
    assert len(reasons[0]) == 2 and not any(r.startswith("behaves like") for r in reasons[0])
    reasons = account_reasons(table, ["n_events"], np.array([[0.5]]), table["risk_score"].to_numpy(), n=3)
    assert reasons[0][2].startswith("behaves like the members of this run's high-risk clusters (0.90")
    # A part under five points is no reason.
    table = pl.DataFrame([row | {"pseudo_label_part": 0.01}])
    reasons = account_reasons(table, ["n_events"], np.array([[0.5]]), table["risk_score"].to_numpy(), n=3)
    assert not any(r.startswith("behaves like") for r in reasons[0])


def test_infinite_feature_values_are_missing_not_a_crash():
    table, groups, _, _ = _platform(seed=5)
    # A ratio over a zero somewhere upstream: infinite, read as missing by the model.
    table = table.with_columns(pl.when(pl.int_range(pl.len()) % 7 == 0).then(float("inf"))
                               .otherwise(pl.col("hour_entropy")).alias("hour_entropy"))
    clusters = pl.DataFrame({"cluster_id": [f"C{i}" for i in range(12)], "risk_score": [0.95] * 12})
    scores = score_accounts(table, cluster_risk=clusters, labels=None, groups=groups, seed=0)
    assert "pseudo_labels" in scores.metrics
    assert scores.frame["model_score"].is_finite().all() and scores.frame["risk_score"].is_between(0, 1).all()


def _clubs_and_rings(seed: int = 6):
    """_platform's twelve risky clusters (0.95), plus three clubs the link graph scored 0.8 whose
    members act like ordinary accounts, and two small rings it scored 0.3 whose members act like
    the risky clusters' members."""
    table, groups, inherited, bad = _platform(seed=seed)
    rng = np.random.default_rng(seed)
    n, extra = table.height, []
    for c, (name, like_bad, size) in enumerate([("K0", False, 10), ("K1", False, 10), ("K2", False, 10),
                                                 ("R0", True, 4), ("R1", True, 4)]):
        gift = rng.uniform(0.4, 0.9, size) if like_bad else rng.uniform(0.0, 0.3, size)
        hours = rng.uniform(0.1, 0.5, size) if like_bad else rng.uniform(0.3, 1.0, size)
        extra.append(pl.DataFrame({
            "account_id": [f"{name}_{i}" for i in range(size)], "cluster_id": [name] * size,
            "action_gift_send": gift, "hour_entropy": hours, "burst_share": rng.uniform(0.0, 0.3, size),
            "n_events": rng.integers(5, 60, size).astype(float), "weighted_degree": [20.0] * size,
            "cluster_risk": [0.8 if name.startswith("K") else 0.3] * size}))
    more = pl.concat(extra)
    risk = {"K0": 0.8, "K1": 0.8, "K2": 0.8, "R0": 0.3, "R1": 0.3}
    table = pl.concat([table, more])
    groups = np.concatenate([groups, 10 * n + more.select(pl.col("cluster_id").rank("dense")).to_series().to_numpy()])
    clusters = pl.DataFrame({"cluster_id": [*(f"C{i}" for i in range(12)), *risk],
                             "risk_score": [0.95] * 12 + list(risk.values())})
    return table, groups, clusters


def test_clusters_move_towards_their_members_pseudo_label_score():
    from syndicate.risk.pseudo_labels import MEMBER_REASON_MIN

    table, groups, clusters = _clubs_and_rings()
    scores = score_accounts(table, cluster_risk=clusters, labels=None, groups=groups, seed=0)
    moved = {r["cluster_id"]: r for r in scores.clusters.iter_rows(named=True)}
    metrics = scores.metrics["pseudo_labels"]
    weight = metrics["cluster_weight"]
    # Half the squared Gini: less than the accounts' half Gini, unless the model is sure.
    assert 0 < weight <= metrics["weight"] and weight == pytest.approx(2 * metrics["weight"] ** 2, abs=1e-3)
    for name in ("K0", "K1", "K2"):  # clubs: members act like no risky cluster's
        row = moved[name]
        assert row["member_pseudo_label_score"] < 0.3 and row["risk_score"] < 0.8 - MEMBER_REASON_MIN, row
        assert row["risk_score"] == pytest.approx(0.8 + weight * (row["member_pseudo_label_score"] - 0.8), abs=1e-5)
        # No model_score given: the risk was the model's, and the model's score stays what it was
        # (account features read it: a table passed back must give them what the run gave them).
        assert row["model_score"] == 0.8
    for name in ("R0", "R1"):  # rings: members act like the risky clusters' members
        assert moved[name]["member_pseudo_label_score"] > 0.7 and moved[name]["risk_score"] > 0.3 + MEMBER_REASON_MIN
    assert metrics["clusters_lowered"] >= 3 and metrics["clusters_raised"] >= 2
    # Members inherit the moved risk, and their reasons give it.
    ring = scores.frame.filter(pl.col("cluster_id") == "R0")
    said = f"member of cluster R0 (risk {moved['R0']['risk_score']:.2f}"
    assert all(any(r.startswith(said) for r in reasons) for reasons in ring["reasons"]), ring["reasons"].to_list()


def test_with_labels_clusters_move_by_the_label_free_view_and_only_their_models_part():
    from types import SimpleNamespace

    from syndicate.config import Config
    from syndicate.pipeline import _score_table

    table, groups, clusters = _clubs_and_rings()
    y = table.select(pl.col("cluster_id").is_in([f"C{i}" for i in range(12)]).cast(pl.Int8))["cluster_id"]
    labels = table.select("account_id").with_columns(y.alias("label"))
    # Only four of the first club's ten members carry a label, none of the rings'.
    labels = labels.filter(~pl.col("account_id").str.starts_with("R")
                           & ~pl.col("account_id").is_in([f"K0_{i}" for i in range(4, 10)]))
    scores = score_accounts(table, cluster_risk=clusters, labels=labels, groups=groups, seed=0)
    assert scores.clusters is None and "pseudo_labels" not in scores.metrics  # no label-free risk given
    # The clusters' risk as a run without labels gives it (here the same as with them).
    scores = score_accounts(table, cluster_risk=clusters, labels=labels, groups=groups, seed=0,
                            label_free_risk=clusters.select("cluster_id", "risk_score"))
    view = scores.metrics["label_free_view"]
    weight = view["cluster_weight"]
    assert 0 < weight <= view["weight"] and view["clusters_lowered"] >= 3 and view["clusters_raised"] >= 2
    moved = {r["cluster_id"]: r for r in scores.clusters.iter_rows(named=True)}
    # The label posterior weighs the model's score k / (k + sqrt(n)) against n labels (k = 4):
    # only that part moves. K0 has 4 labelled members, K1 and K2 ten, the rings none.
    for name, n in (("K0", 4), ("K1", 10), ("K2", 10), ("R0", 0), ("R1", 0)):
        row, before = moved[name], 0.8 if name.startswith("K") else 0.3
        share = 4 / (4 + np.sqrt(n))
        assert row["risk_score"] == pytest.approx(before + weight * share * (row["member_pseudo_label_score"] - before),
                                                  abs=1e-5), (name, row)
    assert moved["K0"]["risk_score"] < moved["K1"]["risk_score"]  # fewer labels, moved further
    # Too few labels to train the account model: the pseudo-label model scores the accounts, but
    # the clusters' risks hold the labels' evidence and stay.
    few = labels.head(20)
    scores = score_accounts(table, cluster_risk=clusters, labels=few, groups=groups, seed=0,
                            label_free_risk=clusters.select("cluster_id", "risk_score"))
    assert "pseudo_labels" in scores.metrics and scores.clusters is None
    assert "cluster_weight" not in scores.metrics["pseudo_labels"]
    # A given cluster model (every cluster "model") is label knowledge too; a moved table is not
    # moved twice; a model trained in the run ("model_oof" on its labelled clusters) is no given one.
    nothing = SimpleNamespace(labels=None)
    scored = clusters.with_columns(pl.col("risk_score").alias("model_score"),
                                   pl.lit("unsupervised").alias("score_source"))
    assert _score_table(table, groups, scored, nothing, Config(), None).clusters is not None
    given = scored.with_columns(pl.lit("model").alias("score_source"))
    assert _score_table(table, groups, given, nothing, Config(), None).clusters is None
    trained = scored.with_columns(pl.when(pl.col("cluster_id") == "C0").then(pl.lit("model_oof"))
                                  .otherwise(pl.lit("model")).alias("score_source"))
    assert _score_table(table, groups, trained, nothing, Config(), None).clusters is not None
    moved = scored.with_columns(pl.lit(0.5).alias("member_pseudo_label_score"))
    assert _score_table(table, groups, moved, nothing, Config(), None).clusters is None


def test_the_cluster_reason_says_how_far_its_members_moved_it_and_never_against_their_side():
    from syndicate.risk.pseudo_labels import member_behaviour_reason

    assert member_behaviour_reason(0.84, 0.2) == ("its members behave like those of this run's other high-risk "
                                                  "clusters (0.84 on average from a model trained on them out of "
                                                  "fold): risk raised by 0.20")
    assert member_behaviour_reason(0.17, -0.23).startswith("its members behave unlike those")
    assert member_behaviour_reason(0.17, -0.23).endswith("risk lowered by 0.23")
    assert member_behaviour_reason(0.9, 0.04) is None  # under five points
    # A ring at 0.99 whose members score 0.85 loses points, but they do not behave "unlike".
    assert member_behaviour_reason(0.85, -0.06) is None
    assert member_behaviour_reason(0.45, 0.08) is None
    # With labels, the model learnt from the clusters as a run without labels scores them.
    assert member_behaviour_reason(0.84, 0.2, label_free=True) == (
        "its members behave like those of the other clusters this run scores high-risk without labels (0.84 on "
        "average from a model trained on them out of fold): risk raised by 0.20")


def test_name_and_rank_takes_the_moved_scores_and_puts_the_sentence_after_the_archetype():
    from syndicate.config import Config
    from syndicate.pipeline import name_and_rank
    from syndicate.risk.score import Scores

    from syndicate.risk.archetypes import _REASON_COLUMNS

    scored = pl.DataFrame({"cluster_id": ["A", "B", "C"], "size": [5, 5, 5], "component": [1, 2, 3],
                           "found_by": ["graph"] * 3, "model_score": [0.9, 0.6, 0.2],
                           "risk_score": [0.9, 0.6, 0.2], "score_source": ["unsupervised"] * 3})
    # Five accounts on one device, nothing else: every column the archetypes read.
    columns = list(dict.fromkeys([*_REASON_COLUMNS, "created_within_7d", "young_180d_share"]))
    scored = scored.with_columns(pl.lit(0.0).alias(c) for c in columns if c not in scored.columns).with_columns(
        pl.lit(1.0).alias("evidence_device"), pl.lit(1.0).alias("max_accounts_per_device"))
    scores = Scores(frame=scored.select("cluster_id", "model_score", "risk_score"), names=["evidence_device"],
                    contributions=np.array([[1.0], [0.5], [-1.0]]))
    # In another order than the clusters: joined by id.
    moved = pl.DataFrame({"cluster_id": ["C", "A", "B"], "member_pseudo_label_score": [0.2, 0.1, 0.95],
                          "model_score": [0.2, 0.7, 0.75], "risk_score": [0.2, 0.7, 0.75]})
    out = name_and_rank(scored, scores, Config(), members_scored=moved)
    assert out["cluster_id"].to_list() == ["B", "A", "C"] and out["rank"].to_list() == [1, 2, 3]
    assert out["risk_score"].to_list() == [0.75, 0.7, 0.2]
    reasons = dict(zip(out["cluster_id"], out["reasons"].to_list()))
    assert reasons["B"][1].startswith("its members behave like those") and "raised by 0.15" in reasons["B"][1]
    assert reasons["A"][1].startswith("its members behave unlike those") and "lowered by 0.20" in reasons["A"][1]
    assert not any("its members behave" in r for r in reasons["C"])
    plain = name_and_rank(scored, scores, Config())
    assert plain["member_pseudo_label_score"].is_null().all() and plain["cluster_id"].to_list() == ["A", "B", "C"]


def test_members_taken_over_in_a_wave_are_left_out_of_their_clusters_mean():
    from syndicate.risk.pseudo_labels import PseudoLabelModel, with_member_behaviour

    look = PseudoLabelModel(scores=np.array([0.1, 0.1, 0.9, 0.1, 0.3]), feature_names=[], folds=np.zeros(5),
                            weight=0.5)
    clusters = pl.DataFrame({"cluster_id": ["W", "M"], "risk_score": [0.9, 0.6]})
    ids = pl.Series(["W", "W", "M", "M", None])
    out = with_member_behaviour(clusters, ids, look, taken_over=np.array([True, True, False, True, False]))
    rows = {r["cluster_id"]: r for r in out.iter_rows(named=True)}
    # W: all its members taken over — its owners' everyday behaviour is not read; it keeps 0.9.
    assert rows["W"]["member_pseudo_label_score"] is None and rows["W"]["risk_score"] == 0.9
    # M: only its untouched member counts (0.9), moved by the cluster weight (2 * 0.5^2 = 0.5).
    assert rows["M"]["member_pseudo_label_score"] == 0.9 and rows["M"]["risk_score"] == pytest.approx(0.75)
    plain = with_member_behaviour(clusters, ids, look)
    assert plain["member_pseudo_label_score"].to_list() == pytest.approx([0.1, 0.5])


def test_with_labels_a_wave_whose_members_are_unread_moves_towards_its_label_free_risk():
    from syndicate.pipeline import with_members_scored
    from syndicate.risk.pseudo_labels import STAND_IN, PseudoLabelModel, with_member_behaviour

    look = PseudoLabelModel(scores=np.array([0.1, 0.1, 0.9, 0.1, 0.3]), feature_names=[], folds=np.zeros(5),
                            weight=0.5)
    # W: a takeover wave the labelled model scores 0.4 (one victim labelled good: risk 0.3); M: a
    # cluster whose members are read.
    clusters = pl.DataFrame({"cluster_id": ["W", "M"], "risk_score": [0.3, 0.6], "model_score": [0.4, 0.6]})
    ids = pl.Series(["W", "W", "M", "M", None])
    taken = np.array([True, True, False, True, False])
    free = pl.DataFrame({"cluster_id": ["W", "M"], "risk_score": [0.98, 0.2]})
    out = with_member_behaviour(clusters, ids, look, taken_over=taken, labelled=np.array([1, 0, 0, 0, 0]),
                                stand_in=free)
    rows = {r["cluster_id"]: r for r in out.iter_rows(named=True)}
    # W: cluster weight 0.5 times 4 / (4 + sqrt(1)) of (0.98 - 0.4); its members' mean stays unknown.
    assert rows["W"]["member_pseudo_label_score"] is None and rows["W"][STAND_IN] == 0.98
    assert rows["W"]["risk_score"] == pytest.approx(0.3 + 0.5 * 0.8 * 0.58)
    # M: its members are read, the stand-in is not (as without one).
    assert rows["M"][STAND_IN] is None and rows["M"]["risk_score"] == pytest.approx(0.6 + 0.5 * 0.3)
    without = with_member_behaviour(clusters, ids, look, taken_over=taken)
    assert without["risk_score"].to_list()[0] == 0.3 and without[STAND_IN].null_count() == 2
    # The reason says what stood in, with the numbers of the move.
    scored = clusters.with_columns(pl.lit(1).alias("n_labelled"))
    _, sentences = with_members_scored(scored, out)
    assert sentences[0] == ("its members' behaviour is left out of its score (all taken over in a wave, or "
                            "without events), and a run without labels scores what binds it 0.98: risk raised by 0.23")
    # A NaN label-free risk stands in for nothing.
    nan = with_member_behaviour(clusters, ids, look, taken_over=taken, stand_in=free.with_columns(
        pl.Series("risk_score", [float("nan"), 0.2])))
    assert nan["risk_score"].to_list()[0] == 0.3 and nan[STAND_IN].to_list()[0] is None


def test_members_without_events_are_left_out_of_their_clusters_mean():
    from syndicate.risk.accounts import _inactive
    from syndicate.risk.pseudo_labels import PseudoLabelModel, with_member_behaviour

    look = PseudoLabelModel(scores=np.array([0.05, 0.05, 0.9, 0.1]), feature_names=[], folds=np.zeros(4),
                            weight=0.5)
    clusters = pl.DataFrame({"cluster_id": ["N", "M"], "risk_score": [0.95, 0.6]})
    ids = pl.Series(["N", "N", "M", "M"])
    table = pl.DataFrame({"n_events": [0, None, 12, 0]})
    inactive = _inactive(table)
    assert inactive.tolist() == [True, True, False, True]
    rows = {r["cluster_id"]: r for r in with_member_behaviour(clusters, ids, look, inactive=inactive).iter_rows(named=True)}
    # N: a ring caught as it registers, no member has acted yet: nothing to read, it keeps 0.95.
    assert rows["N"]["member_pseudo_label_score"] is None and rows["N"]["risk_score"] == 0.95
    # M: its active member alone (0.9), moved by the cluster weight (0.5).
    assert rows["M"]["member_pseudo_label_score"] == 0.9 and rows["M"]["risk_score"] == pytest.approx(0.75)
    assert _inactive(pl.DataFrame({"x": [1]})) is None


def test_a_labelled_clusters_evidence_stays_whole_and_only_its_model_scores_part_moves():
    from syndicate.risk.pseudo_labels import PseudoLabelModel, with_member_behaviour

    look = PseudoLabelModel(scores=np.array([0.1] * 4 + [0.9] * 4), feature_names=[], folds=np.zeros(8), weight=0.5)
    # L: model score 0.9, four good labels took its risk to 0.633 (risk.score.label_posterior);
    # U: no labels, its risk is its model score.
    clusters = pl.DataFrame({"cluster_id": ["L", "U"], "model_score": [0.9, 0.3], "risk_score": [0.633, 0.3]})
    ids = pl.Series(["L"] * 4 + ["U"] * 4)
    labelled = np.array([True] * 4 + [False] * 4)
    rows = {r["cluster_id"]: r for r in with_member_behaviour(clusters, ids, look, labelled=labelled,
                                                              label_prior_strength=4.0).iter_rows(named=True)}
    # cluster weight 2 * 0.5^2 = 0.5; L's model score carries 4 / (4 + sqrt(4)) of its risk.
    assert rows["L"]["risk_score"] == pytest.approx(0.633 + 0.5 * 4 / 6 * (0.1 - 0.9), abs=1e-6)
    assert rows["U"]["risk_score"] == pytest.approx(0.3 + 0.5 * (0.9 - 0.3), abs=1e-6)
    assert rows["L"]["model_score"] == 0.9 and rows["U"]["model_score"] == 0.3
    # Far above its model score (look-alikes' evidence), a risk cannot be moved past 1.
    high = clusters.with_columns(pl.Series("risk_score", [0.633, 0.99]))
    out = with_member_behaviour(high, ids, look, labelled=labelled)
    assert out["risk_score"].max() <= 1.0


def test_clusters_whose_members_have_no_events_keep_their_risk():
    table, groups, clusters = _clubs_and_rings()
    # K0's members have not acted yet (a ring caught as it registers); the others have.
    table = table.with_columns(pl.when(pl.col("cluster_id") == "K0").then(0.0).otherwise(pl.col("n_events"))
                               .alias("n_events"))
    moved = {r["cluster_id"]: r for r in score_accounts(table, cluster_risk=clusters, labels=None, groups=groups,
                                                        seed=0).clusters.iter_rows(named=True)}
    assert moved["K0"]["member_pseudo_label_score"] is None and moved["K0"]["risk_score"] == 0.8
    assert moved["K1"]["risk_score"] < 0.8 - 0.05


def test_score_rows_scores_only_those_and_the_training_rows(monkeypatch):
    import syndicate.risk.pseudo_labels as pseudo_module
    from sklearn.metrics import roc_auc_score

    from syndicate.risk.pseudo_labels import pseudo_label_scores

    table, groups, inherited, _ = _platform(seed=3)
    monkeypatch.setattr(pseudo_module, "MAX_TRAIN_ROWS", 800)
    wanted = np.arange(0, 96)  # the clusters' members
    model, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0, score_rows=wanted)
    scored = ~np.isnan(model.scores)
    assert scored[wanted].all() and model.metrics["training_rows"] == 800
    assert 800 <= scored.sum() < table.height  # the training rows besides, no other
    full, _ = pseudo_label_scores(table, inherited, groups, config=RiskConfig(), seed=0)
    assert not np.isnan(full.scores).any()
    assert np.allclose(model.scores[scored], full.scores[scored])
    # Its AUROC is read on the training rows, which both score alike.
    y = (np.asarray(inherited) >= RiskConfig().high_risk_threshold).astype(int)
    train = pseudo_module._training_rows(y, 0)
    assert model.metrics["out_of_fold_auroc"] == pytest.approx(roc_auc_score(y[train], full.scores[train]), abs=1e-4)

"""Account scoring: every account once, no label leakage, sources, reasons, models saved."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from sklearn.metrics import roc_auc_score

import syndicate
from syndicate.config import Config, RiskConfig
from syndicate.pipeline import run
from syndicate.risk.accounts import attachment, combined_risk, score_accounts
from syndicate.risk.model import ACCOUNT_PREFIX, load_models


@pytest.fixture(scope="module")
def small_run():
    tables = syndicate.generate_marketplace(3_000, seed=4)
    dataset = syndicate.load_dataset(tables)
    return tables, dataset, run(dataset, config=Config(seed=4))


def test_every_input_account_appears_exactly_once(small_run):
    tables, _, result = small_run
    accounts = result.accounts
    assert accounts.height == tables["accounts"].height
    assert accounts["account_id"].n_unique() == accounts.height
    assert set(accounts["account_id"]) == set(tables["accounts"]["account_id"])
    assert accounts["rank"].sort().to_list() == list(range(1, accounts.height + 1))
    assert accounts["risk_score"].is_between(0, 1).all()
    assert set(accounts["score_source"]) <= {"supervised", "unsupervised", "cluster"}


def test_cluster_members_score_at_least_what_they_inherit_from_their_cluster(small_run):
    _, _, result = small_run
    joined = result.accounts.join(result.clusters.select("cluster_id", pl.col("risk_score").alias("c")),
                                  on="cluster_id", maintain_order="left")
    inherited = joined["c"].to_numpy() * attachment(joined)
    assert (joined["risk_score"].to_numpy() >= inherited - 1e-6).all()
    # Most members are linked like their cluster's typical member and take its whole risk.
    assert (attachment(joined) == 1.0).mean() > 0.8
    outside = result.accounts.filter(pl.col("cluster_id").is_null())
    assert (outside["score_source"] != "cluster").all()


def test_a_member_linked_far_less_than_its_cluster_inherits_in_proportion():
    table = pl.DataFrame({
        "account_id": [f"a{i}" for i in range(8)],
        "cluster_id": ["C1"] * 5 + ["C2", "C2", None],
        # C1: four workers (median 40) and one account that shares a number with them (0.8);
        # C2: found by behaviour alone (no link weight); the last account is in no cluster.
        "weighted_degree": [40.0, 50.0, 30.0, 40.0, 0.8, 0.0, 0.0, 0.0],
    })
    share = attachment(table)
    assert share[:4].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert share[4] == pytest.approx(0.8 / (0.25 * 40.0))
    assert share[5:].tolist() == [1.0, 1.0, 1.0]
    # A member with a third of the typical weight (one device where the others share more) keeps it all.
    assert attachment(table.with_columns(pl.Series("weighted_degree", [40.0, 50.0, 30.0, 40.0, 13.0, 0, 0, 0])))[4] == 1.0
    assert attachment(table.drop("weighted_degree")).tolist() == [1.0] * 8
    # A missing or NaN degree is no link weight; an infinite one is attached.
    odd = table.with_columns(pl.Series("weighted_degree", [40.0, 50.0, 30.0, 40.0, None, 0, 0, 0]))
    assert attachment(odd)[4] == 0.0
    odd = table.with_columns(pl.Series("weighted_degree", [40.0, 50.0, 30.0, 40.0, float("nan"), 0, 0, 0]))
    assert attachment(odd)[4] == 0.0
    odd = table.with_columns(pl.Series("weighted_degree", [40.0, 50.0, float("inf"), float("inf"), float("inf"), 0, 0, 0]))
    assert np.isfinite(attachment(odd)).all()


def test_a_collateral_member_keeps_its_own_score_not_its_clusters():
    table = pl.DataFrame({"account_id": ["w1", "w2", "w3", "x"], "cluster_id": ["C1"] * 4,
                          "weighted_degree": [60.0, 60.0, 60.0, 0.5], "n_events": [40.0, 45.0, 50.0, 12.0]})
    scores = score_accounts(table, cluster_risk=pl.DataFrame({"cluster_id": ["C1"], "risk_score": [0.99]}),
                            labels=None, groups=np.arange(4))
    frame = scores.frame.sort("account_id")
    x = frame.row(by_predicate=pl.col("account_id") == "x", named=True)
    assert x["risk_score"] < 0.2 and x["score_source"] != "cluster"
    assert (frame.filter(pl.col("account_id") != "x")["risk_score"] >= 0.99 - 1e-6).all()
    # One linked a third as strongly as a quarter of the typical member inherits a third, and
    # its reason says so with the cluster's own risk beside it.
    table = table.with_columns(pl.Series("weighted_degree", [60.0, 60.0, 60.0, 5.0]))
    scores = score_accounts(table, cluster_risk=pl.DataFrame({"cluster_id": ["C1"], "risk_score": [0.99]}),
                            labels=None, groups=np.arange(4))
    x = scores.frame.row(by_predicate=pl.col("account_id") == "x", named=True)
    own, inherited = x["model_score"], 0.99 / 3
    assert own < inherited and x["score_source"] == "cluster"
    # Its own score and the third it inherits add up as independent evidence.
    assert x["risk_score"] == pytest.approx(1 - (1 - own) * (1 - inherited), abs=1e-3)
    assert x["risk_score"] > inherited + 0.5 * own
    assert any("risk 0.99" in r and "inherits 0.33" in r for r in x["reasons"]), x["reasons"]


def test_a_cluster_that_raised_the_risk_is_a_reason_and_reasons_follow_the_risk():
    from syndicate.risk.account_reasons import account_reasons

    base = {"cluster_id": "C1", "cluster_size": 9.0, "cluster_risk_score": 0.44, "inherited_risk": 0.44,
            "n_events": 40.0, "active_span_days": 0.5, "label": None}
    # Own 0.45, cluster 0.44: the risk is 0.69 for both, and the cluster's part (the smaller)
    # is still a reason; the features named are those that pushed the risk up.
    both = base | {"model_score": 0.45, "risk_score": 0.69, "score_source": "unsupervised"}
    # Own 0.30 in a cluster at 0.02: the cluster added nothing worth naming.
    alone = base | {"model_score": 0.30, "risk_score": 0.31, "score_source": "unsupervised",
                    "cluster_risk_score": 0.02, "inherited_risk": 0.02}
    table = pl.DataFrame([both, alone])
    contributions = np.array([[0.8, -0.5], [0.8, -0.5]])
    reasons = account_reasons(table, ["active_span_days", "n_events"], contributions,
                              table["risk_score"].to_numpy(), n=3)
    assert reasons[0][0].startswith("member of cluster C1 (risk 0.44") and "activity within" in reasons[0][1]
    assert len(reasons[0]) == 2  # n_events pulled it down: not a reason for a high risk
    assert not any("member of cluster" in r for r in reasons[1]) and reasons[1] == ["40 actions in the data"]


def test_own_and_inherited_risk_add_up_as_independent_evidence():
    own = np.array([0.0, 0.3, 0.5, 0.9, 1.0, 0.3])
    inherited = np.array([0.4, 0.4, 0.0, 0.9, 0.2, 1.0])
    risk = combined_risk(own, inherited)
    assert risk.tolist() == pytest.approx([0.4, 0.58, 0.5, 0.99, 1.0, 1.0])
    # Never below either part, never above 1: a ring member whose own score (0.3) and cluster
    # (0.4) both say little on their own outranks a singleton at 0.5.
    assert (risk >= np.maximum(own, inherited) - 1e-12).all() and (risk <= 1.0).all()
    assert risk[1] > risk[2]
    assert combined_risk(np.array([-0.1, 1.2]), np.array([0.0, 0.0])).tolist() == [0.0, 1.0]


def test_reasons_are_words_not_feature_names(small_run):
    _, _, result = small_run
    top = result.accounts.head(50)
    assert all(len(r) >= 1 for r in top["reasons"])
    features = set(result.accounts.columns)
    assert not any(reason in features for reasons in top["reasons"] for reason in reasons)


def test_signals_only_and_events_only_data_score_every_account(small_run):
    tables, _, _ = small_run
    for drop in ("events", "signals"):
        subset = {k: v for k, v in tables.items() if k not in (drop, "labels", "truth")}
        result = run(syndicate.load_dataset(subset))
        assert result.accounts.height == tables["accounts"].height
        assert set(result.accounts["score_source"]) <= {"unsupervised", "cluster"}


def _noise_table(n: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    table = pl.DataFrame({"account_id": [f"a{i:04d}" for i in range(n)],
                          "cluster_id": pl.Series([None] * n, dtype=pl.String),
                          **{f"f{j}": rng.normal(size=n) for j in range(8)}})
    labels = pl.DataFrame({"account_id": table["account_id"], "label": rng.integers(0, 2, n)})
    return table, labels


def test_out_of_fold_scores_never_see_their_own_label():
    # Pure-noise features and random labels: a model that saw an account's label memorises it
    # (in-sample AUROC near 1); out of fold there is nothing to learn (AUROC near 0.5).
    table, labels = _noise_table(600, seed=3)
    clusters = pl.DataFrame(schema={"cluster_id": pl.String, "risk_score": pl.Float64})
    scores = score_accounts(table, cluster_risk=clusters, labels=labels, groups=np.arange(table.height),
                            config=RiskConfig(), seed=0)
    frame = scores.frame.join(labels, on="account_id", suffix="_truth")
    assert set(frame["score_source"]) == {"supervised"}
    oof = roc_auc_score(frame["label_truth"], frame["model_score"])
    in_sample = roc_auc_score(frame["label_truth"], scores.model.predict_proba(frame.select(scores.model.feature_names_)))
    assert in_sample > 0.9  # the check has teeth: the same model in sample does memorise
    assert oof < 0.65, oof
    assert "label" not in scores.model.feature_names_


def test_too_few_labels_fall_back_to_the_scorecard():
    table, labels = _noise_table(200, seed=1)
    clusters = pl.DataFrame(schema={"cluster_id": pl.String, "risk_score": pl.Float64})
    scores = score_accounts(table, cluster_risk=clusters, labels=labels.head(10), groups=np.arange(200))
    assert set(scores.frame["score_source"]) == {"unsupervised"}
    assert "risk.min_labelled_accounts" in scores.metrics["unsupervised_because"]


def test_account_model_is_saved_beside_the_cluster_model_and_reused(tmp_path):
    tables = syndicate.generate_marketplace(3_000, seed=4)
    data = syndicate.write_tables({k: v for k, v in tables.items() if k != "truth"}, tmp_path / "data")
    first = syndicate.run(data, out_dir=tmp_path / "run1")
    assert first.account_model is not None
    assert (tmp_path / "run1" / "model" / f"{ACCOUNT_PREFIX}model.json").is_file()
    cluster_model, account_model = load_models(tmp_path / "run1" / "model")
    assert account_model.feature_names_ == first.account_model.feature_names_
    second = syndicate.run(data, out_dir=tmp_path / "run2", model=tmp_path / "run1" / "model")
    assert set(second.accounts["score_source"]) <= {"supervised", "cluster"}
    assert (tmp_path / "run2" / "accounts.parquet").is_file()


def test_account_codes_and_string_joins_give_the_same_tables():
    """The code paths (account index, edge codes) build the tables the id joins build."""
    from syndicate import pipeline
    from syndicate.features.account_table import account_feature_table
    from syndicate.features.clusters import cluster_features

    dataset = syndicate.load_dataset(syndicate.generate_marketplace(2_000, seed=5))
    config = Config(seed=5)
    links = pipeline.link(dataset, config)
    behaviour = pipeline.behaviour(dataset, config)
    members, meta = pipeline.cluster(links.edges, config, dataset=dataset, account_features=behaviour, links=links)
    now = pipeline.dataset_now(dataset)
    coded = cluster_features(members, links.edges, accounts=dataset.accounts, signals=dataset.signals,
                             now=now, index=links.index, edge_codes=links.codes)
    plain = cluster_features(members, links.edges, accounts=dataset.accounts, signals=dataset.signals, now=now)
    assert coded.equals(plain)
    clusters, _ = pipeline.rank(pipeline.features(dataset, links, members, config, account_features=behaviour, meta=meta),
                                meta, config)
    risk = clusters.select("cluster_id", "size", pl.col("model_score").alias("risk"))
    args = (dataset.accounts, behaviour, links.edges, members, risk)
    coded = account_feature_table(*args, now=now, index=links.index, edge_codes=links.codes)
    assert coded.equals(account_feature_table(*args, now=now))
    # Shuffled accounts: the codes still place every row.
    shuffled = dataset.accounts.sample(fraction=1.0, shuffle=True, seed=1)
    assert account_feature_table(shuffled, *args[1:], now=now, index=links.index,
                                 edge_codes=links.codes).equals(coded)


def test_account_reasons_give_no_zero_for_a_high_risk_and_say_a_label_it_goes_against():
    from syndicate.risk.account_reasons import account_reasons

    table = pl.DataFrame({"account_id": ["a", "b"], "cluster_id": [None, None], "label": [0, None],
                          "risk_score": [0.99, 0.95], "burst_share": [0.0, 0.0], "action_session_start": [0.0, 0.0],
                          "n_events": [40, 40]})
    names = ["burst_share", "action_session_start", "n_events"]
    contributions = np.array([[0.6, 0.3, 0.1], [0.6, 0.3, 0.1]])
    reasons = account_reasons(table, names, contributions, table["risk_score"].to_numpy(), n=3)
    # "0% of its actions come within seconds of another account's on the same target" and
    # "0% of its actions are 'session start'" were given as reasons for these risks
    assert reasons[0] == ["confirmed good before, outweighed by the evidence below",
                          "none of its actions are 'session start'", "40 actions in the data"]
    assert reasons[1] == ["none of its actions are 'session start'", "40 actions in the data"]


def test_account_reasons_say_under_one_percent_and_no_figure_twice():
    from syndicate.risk.account_reasons import account_reasons

    table = pl.DataFrame({"account_id": ["a"], "cluster_id": ["C1"], "label": [None], "risk_score": [0.99],
                          "model_score": [0.5], "score_source": ["cluster"], "cluster_risk_score": [0.9918],
                          "cluster_size": [12], "cluster_risk": [0.9868], "rare_target_share": [0.0016],
                          "action_swipe_left": [0.0032], "n_events": [40]})
    names = ["cluster_risk", "rare_target_share", "action_swipe_left", "n_events"]
    reasons = account_reasons(table, names, np.array([[0.5, 0.4, 0.3, 0.1]]), table["risk_score"].to_numpy(), n=4)
    # "its cluster scores 0.99 before labels" after "(risk 0.99, ...)", "0% of its actions on
    # targets few others touch" and "0% of its actions are 'swipe left'" before
    assert reasons[0] == ["member of cluster C1 (risk 0.99, 12 accounts)", "under 1% of its actions are 'swipe left'",
                          "40 actions in the data"]


def test_a_low_risks_zero_share_is_none_not_under_one_percent():
    from syndicate.risk.account_reasons import account_reasons

    table = pl.DataFrame({"account_id": ["a"], "cluster_id": [None], "label": [None], "risk_score": [0.05],
                          "burst_share": [0.0], "n_events": [40]})
    reasons = account_reasons(table, ["burst_share", "n_events"], np.array([[-0.5, -0.1]]),
                              table["risk_score"].to_numpy(), n=2)
    assert reasons[0][0] == "none of its actions come within seconds of another account's on the same target"

"""Training the risk model: grouped cross-validation, errors, the saved folder, the command."""

import json

import numpy as np
import polars as pl
import pytest

from syndicate.cli import main
from syndicate.config import RiskConfig
from syndicate.risk.model import RiskModel
from syndicate.risk.train import TrainingError, fit_risk_model


def separable_features(n: int = 60, seed: int = 0) -> pl.DataFrame:
    """Clusters whose ``young_30d_share`` says whether they are bad, labelled 2 bad (two caught
    members: one bad label alone trains nothing) or 1 good,
    in components of three clusters spread over two datasets."""
    rng = np.random.default_rng(seed)
    bad = np.arange(n) % 3 == 0
    return pl.DataFrame({
        "dataset": np.where(np.arange(n) < n // 2, "jan", "feb"),
        "cluster_id": [f"c{i:03d}" for i in range(n)],
        # Component ids restart in each dataset: component 0 of jan is not component 0 of feb.
        "component": (np.arange(n) % (n // 2)) // 3,
        "size": rng.integers(2, 40, n),
        "young_30d_share": np.where(bad, 0.9, 0.1) + rng.normal(0, 0.05, n),
        "noise": rng.normal(0, 1, n),
        "n_known_bad": bad.astype(np.int64) * 2,
        "n_known_good": (~bad).astype(np.int64),
    })


def test_grouped_cross_validation_learns_and_keeps_groups_together():
    features = separable_features()

    result = fit_risk_model(features, config=RiskConfig(n_estimators=30), seed=1)

    assert result.metrics["oof_auc"] > 0.95
    assert result.metrics["n_labelled_clusters"] == 60 and result.metrics["n_positive_clusters"] == 20
    assert result.metrics["n_groups"] == 20  # 10 components in each of two datasets
    folds = result.predictions.join(features.select("cluster_id", "dataset", "component"), on=["dataset", "cluster_id"])
    per_group = folds.group_by("dataset", "component").agg(pl.col("fold").n_unique())
    assert per_group["fold"].max() == 1
    assert result.importance["feature"][0] == "young_30d_share"
    assert "n_known_bad" not in result.model.feature_names_ and "component" not in result.model.feature_names_


def test_result_is_deterministic():
    features = separable_features()

    first = fit_risk_model(features, config=RiskConfig(n_estimators=20), seed=3)
    second = fit_risk_model(features.sample(fraction=1.0, shuffle=True, seed=5).sort("cluster_id"),
                            config=RiskConfig(n_estimators=20), seed=3)

    assert first.predictions.equals(second.predictions)
    assert first.metrics == second.metrics


def test_too_few_labelled_clusters_is_a_clear_error():
    features = separable_features().with_columns(
        pl.when(pl.col("n_known_bad") == 2).then(pl.lit(0)).otherwise(pl.col("n_known_good")).alias("n_known_good"),
        pl.when(pl.int_range(pl.len()) < 9).then(pl.col("n_known_bad")).otherwise(0).alias("n_known_bad"),
    )

    with pytest.raises(TrainingError, match="at least 5 of each class .* Got 43 labelled clusters: 3 bad, 40 good"):
        fit_risk_model(features)


@pytest.fixture(scope="module")
def data_dirs(tmp_path_factory):
    from syndicate.io import write_tables
    from syndicate.synthetic import generate_marketplace

    work = tmp_path_factory.mktemp("train")
    for seed in (11, 12):
        write_tables(generate_marketplace(5_000, seed=seed), work / f"d{seed}")
    return work


@pytest.mark.slow
def test_train_command_writes_a_model_the_run_can_use(data_dirs, capsys):
    work = data_dirs

    code = main(["train", str(work / "d11"), str(work / "d12"), "--out", str(work / "model"), "--quiet"])

    assert code == 0
    assert "cross-validated on" in capsys.readouterr().out
    meta = json.loads((work / "model" / "metadata.json").read_text())
    assert set(meta["trained_on"]) == {"d11", "d12"}
    assert "accounts.parquet" in meta["trained_on"]["d11"]["files"]
    assert len(meta["trained_on"]["d11"]["files"]["accounts.parquet"]["sha256"]) == 64
    assert meta["cv_metrics"]["oof_auc"] > 0.7
    assert len(meta["cv_metrics"]["folds"]) == 5
    model = RiskModel.load(work / "model")
    assert model.feature_names_ == meta["features"]
    assert meta["events_clock_seconds"] == 1  # what the model saw of timing: events to the second

    capsys.readouterr()
    assert main(["run", str(work / "d11"), "--out", str(work / "run"), "--model", str(work / "model")]) == 0
    clusters = pl.read_parquet(work / "run" / "clusters.parquet")
    assert set(clusters["score_source"]) == {"model"}
    assert "the model was trained on events recorded" not in capsys.readouterr().err  # the same clock

    # The same events recorded to the day: the bursts and rapid gaps it learnt from count 0 there.
    from syndicate.io import read_tables, write_tables

    tables = read_tables(work / "d12")
    write_tables({**tables, "events": tables["events"].with_columns(pl.col("ts").dt.truncate("1d"))}, work / "dated")
    assert main(["run", str(work / "dated"), "--out", str(work / "run_dated"), "--model", str(work / "model")]) == 0
    assert ("the model was trained on events recorded to the second, and these are recorded to the day: "
            "the accounts' co-action bursts and rapid gaps it learnt from count 0 here") in capsys.readouterr().err
    # The API's rank stage says the same when it is given the dataset (the clock is read from it).
    import warnings

    from syndicate import api

    dated = api.load_dataset(work / "dated")
    links = api.build_links(dated)
    features = api.cluster_features(dated, api.find_clusters(links, dated), links)
    with pytest.warns(UserWarning, match="the model was trained on events recorded to the second, and these "
                                         "are recorded to the day"):
        api.score_clusters(features, model=model, dataset=dated)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api.score_clusters(features, model=model)  # without the dataset a clock of seconds is assumed


def test_the_clock_warning_needs_a_model_that_recorded_a_finer_clock():
    from syndicate.config import Config
    from syndicate.pipeline import model_clock_warning

    def model(clock):
        m = RiskModel()
        m.metadata_ = {} if clock is None else {"events_clock_seconds": clock}
        return m

    config = Config()
    assert model_clock_warning((model(1), None), 86_400, config).startswith(
        "the model was trained on events recorded to the second, and these are recorded to the day")
    assert model_clock_warning((model(60), model(1)), 3_600, config).startswith(  # the finest of the two
        "the model was trained on events recorded to the second, and these are recorded to the hour")
    assert model_clock_warning((model(1), None), 1, config) is None  # the same clock
    assert model_clock_warning((model(86_400), None), 86_400, config) is None  # trained on dated data too
    assert model_clock_warning((model(None), None), 86_400, config) is None  # saved before models recorded it
    assert model_clock_warning((model(float("nan")), model(0)), 86_400, config) is None  # edited by hand
    assert model_clock_warning((None, None), 86_400, config) is None  # no model given
    # a minute's clock still shows the 120-s co-action window and the 60-s rapid gaps
    assert model_clock_warning((model(1), None), 60, config) is None


@pytest.mark.slow
def test_train_saves_the_account_model_and_run_scores_accounts_with_it(data_dirs, capsys):
    from syndicate.risk.model import load_models

    work = data_dirs
    assert main(["train", str(work / "d11"), str(work / "d12"), "--out", str(work / "model2"), "--quiet"]) == 0
    assert "account model: cross-validated on" in capsys.readouterr().out
    meta = json.loads((work / "model2" / "account_metadata.json").read_text())
    assert meta["kind"] == "account" and set(meta["trained_on"]) == {"d11", "d12"}
    assert meta["cv_metrics"]["n_groups"] > 1 and meta["cv_metrics"]["oof_average_precision"] > 0.5
    _, account_model = load_models(work / "model2")
    assert account_model.feature_names_ == meta["features"]

    assert main(["run", str(work / "d12"), "--out", str(work / "run2"), "--model", str(work / "model2"),
                 "--quiet"]) == 0
    accounts = pl.read_parquet(work / "run2" / "accounts.parquet")
    assert set(accounts["score_source"]) <= {"supervised", "cluster"}
    run_meta = json.loads((work / "run2" / "manifest.json").read_text())
    assert run_meta["accounts"]["model"]["features"] == meta["features"]
    # a given model scores; nothing is retrained in the run
    assert run_meta["accounts"]["metrics"] == {}


@pytest.mark.slow
def test_train_command_user_errors(data_dirs, tmp_path, capsys):
    from syndicate.io import write_tables
    from syndicate.synthetic import generate_marketplace

    tables = generate_marketplace(1_000, seed=1)
    write_tables({k: v for k, v in tables.items() if k != "labels"}, tmp_path / "nolabels")

    assert main(["train", str(tmp_path / "nolabels"), "--out", str(tmp_path / "m"), "--quiet"]) == 2
    assert "training needs at least" in capsys.readouterr().err
    assert main(["train", str(tmp_path / "missing"), "--out", str(tmp_path / "m"), "--quiet"]) == 2
    assert not (tmp_path / "m").exists()
    # One dataset given twice, or a copy of it: its clusters would sit in training and test folds.
    import shutil

    shutil.copytree(tmp_path / "nolabels", tmp_path / "copy")
    capsys.readouterr()
    assert main(["train", str(tmp_path / "nolabels"), str(tmp_path / "nolabels") + "/", "--out",
                 str(tmp_path / "m"), "--quiet"]) == 2
    assert "nolabels is given twice" in capsys.readouterr().err
    assert main(["train", str(tmp_path / "nolabels"), str(tmp_path / "copy"), "--out", str(tmp_path / "m"), "--quiet"]) == 2
    assert f"copy is a copy of {(tmp_path / 'nolabels').resolve()}" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()

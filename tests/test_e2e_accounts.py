"""Account scores on a generated 20k marketplace: quality floors with and without labels.

Measured (seed 1, generator of main at 1a22e8d): account average precision >= 0.95 with labels,
0.86 without (scorecard; the issue asks >= 0.8); floors leave margin where there is some.
"""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from syndicate.evaluate import evaluate_run

from conftest import read_truth, run_cli

pytestmark = pytest.mark.slow


def _scored(data_dir, run_dir):
    return evaluate_run(run_dir, read_truth(data_dir)).metrics["scored_accounts"]


def test_accounts_table_has_every_account_once(marketplace_20k, run_20k):
    accounts = pl.read_parquet(run_20k / "accounts.parquet")
    inputs = pl.read_parquet(marketplace_20k / "accounts.parquet")
    assert accounts.height == inputs.height == accounts["account_id"].n_unique()


def test_the_runs_own_models_record_the_clock_they_learnt_from(run_20k):
    """The models a labelled run trains carry the clock of its events (to the second here), as
    `syndicate train`'s do: `run --model` on data recorded to the day then warns."""
    import json

    from syndicate.risk.model import load_models

    for model in load_models(run_20k / "model"):
        assert model is not None and model.metadata_["events_clock_seconds"] == 1
    manifest = json.loads((run_20k / "manifest.json").read_text())
    assert manifest["events_clock_seconds"] == 1


def test_account_quality_with_labels(marketplace_20k, run_20k):
    m = _scored(marketplace_20k, run_20k)
    assert m["average_precision"] >= 0.95, m
    assert m["unlabelled"]["average_precision"] >= 0.95, m
    assert m["model_score"]["auroc"] >= 0.95, m


def test_account_quality_without_labels(marketplace_20k, tmp_path):
    data = tmp_path / "nolabels"
    shutil.copytree(marketplace_20k, data)
    (data / "labels.parquet").unlink()
    run = tmp_path / "run"
    run_cli("run", data, "--out", run, "--quiet")
    m = _scored(marketplace_20k, run)
    assert set(m["score_source"]) <= {"unsupervised", "cluster"}
    assert m["average_precision"] >= 0.8, m

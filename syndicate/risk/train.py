"""Train the cluster risk model on labelled clusters from one or more datasets.

Each dataset goes through the same link → cluster → features stages as ``syndicate run``;
clusters whose members carry labels become training rows (target and weight as in
:func:`syndicate.risk.score.cluster_targets`). Cross-validation is grouped by dataset ×
connected component, so pieces of one component (or clusters of one dataset that share a
component id by chance) never straddle train and test, and stratified so every fold sees
both classes. The final model is fitted on every labelled cluster and saved as XGBoost JSON
plus metadata: features, training-data fingerprints, CV metrics.

Examples
--------
>>> result = train_risk_model({"jan": dataset_jan, "feb": dataset_feb})  # doctest: +SKIP
>>> result.metrics["oof_average_precision"]  # doctest: +SKIP
>>> result.model.save("models/2024-03")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import polars as pl

from syndicate.config import Config, RiskConfig
from syndicate.contract import Dataset
from syndicate.features.clusters import model_feature_names
from syndicate.progress import Progress
from syndicate.risk.model import RiskModel
from syndicate.risk.score import cluster_targets, cross_validate, training_problem


class TrainingError(ValueError):
    """Too few labelled clusters (of either class) to train and cross-validate a model."""


@dataclass
class TrainingResult:
    """Result of :func:`fit_risk_model`.

    model: fitted on every labelled cluster.
    metrics: cross-validated (out-of-fold) metrics, overall, per fold and per dataset.
    predictions: the labelled clusters with ``dataset, cluster_id, size, fold, target,
    weight, oof_score`` (each scored by the fold model that did not see it).
    importance: ``feature, mean_abs_contribution`` of the final model (log-odds), largest first.
    """

    model: RiskModel
    metrics: dict[str, Any]
    predictions: pl.DataFrame
    importance: pl.DataFrame


def dataset_features(dataset: Dataset, *, config: Config | None = None) -> pl.DataFrame:
    """Cluster features of one dataset as ``syndicate run`` computes them, plus ``component``.

    Runs the link and cluster stages of :mod:`syndicate.pipeline` and
    :func:`syndicate.pipeline.features` (the same stages as ``syndicate run``).
    """
    from syndicate.pipeline import cluster, features, link

    config = config or Config()
    links = link(dataset, config)
    members, meta = cluster(links.edges, config, dataset=dataset, links=links)
    return features(dataset, links, members, config).join(meta.select("cluster_id", "component"), on="cluster_id", how="left")


def training_features(datasets: Mapping[str, Dataset], *, config: Config | None = None,
                      progress: Progress | None = None) -> pl.DataFrame:
    """Cluster features of several datasets stacked, with a ``dataset`` column (its name)."""
    progress = progress or Progress(quiet=True)
    frames = []
    for name, dataset in datasets.items():
        with progress.stage(f"features of {name}"):
            frames.append(dataset_features(dataset, config=config).with_columns(pl.lit(name).alias("dataset")))
    if not frames:
        raise TrainingError("no datasets to train on")
    return pl.concat(frames, how="diagonal_relaxed")


def fit_risk_model(features: pl.DataFrame, *, config: RiskConfig | None = None, seed: int = 0) -> TrainingResult:
    """Cross-validate and fit the risk model on the labelled clusters of ``features``.

    Parameters
    ----------
    features : polars.DataFrame
        One row per cluster, as from `training_features` (or ``syndicate run``'s
        clusters): the model features, ``n_known_bad`` / ``n_known_good``, and optionally
        ``dataset`` and ``component``, which form the CV groups.
    config : RiskConfig, optional
        Model parameters and the minimum numbers of labelled clusters.
    seed : int
        Seed of the fold split and of XGBoost.

    Returns
    -------
    TrainingResult

    Raises
    ------
    TrainingError
        When fewer than ``min_labelled_clusters`` clusters carry labels, or a class has fewer
        than ``max(min_per_class, n_folds)`` clusters.
    """
    config = config or RiskConfig()
    labelled, target, weight = cluster_targets(features, config)
    problem = training_problem(labelled, target, _groups(features), config)
    if problem is not None:
        raise TrainingError(problem + " Add datasets with more labels.")
    rows = features.filter(pl.Series(labelled))
    y, w = target[labelled], weight[labelled]
    names = model_feature_names(rows.drop("component", strict=False))
    X = rows.select(names)
    groups = _groups(rows)

    oof, fold_of, models, final = cross_validate(X, y, w, groups, config, seed)
    per_fold = []
    for fold in range(len(models)):
        test = fold_of == fold
        per_fold.append({"fold": fold, "n_test": int(test.sum()), "n_positive": int(y[test].sum()),
                         **_scores(y[test], oof[test], w[test])})

    contributions = final.contributions(X)[:, :-1]
    importance = pl.DataFrame({"feature": names, "mean_abs_contribution": np.abs(contributions).mean(axis=0)}) \
        .sort("mean_abs_contribution", descending=True)
    metrics = {
        "n_labelled_clusters": int(rows.height),
        "n_positive_clusters": int(y.sum()),
        "n_groups": int(len(np.unique(groups))),
        "n_folds": config.n_folds,
        **{f"oof_{k}": v for k, v in _scores(y, oof, w).items()},
        "folds": per_fold,
    }
    if "dataset" in rows.columns:
        metrics["by_dataset"] = {
            r["dataset"]: {"labelled_clusters": r["n"], "positive_clusters": r["pos"]}
            for r in rows.with_columns(pl.Series("_y", y)).group_by("dataset")
            .agg(pl.len().alias("n"), pl.col("_y").sum().alias("pos")).sort("dataset").iter_rows(named=True)
        }
    head = [c for c in ("dataset", "cluster_id", "size") if c in rows.columns]
    predictions = rows.select(head).with_columns(
        pl.Series("fold", fold_of), pl.Series("target", y), pl.Series("weight", np.round(w, 6)),
        pl.Series("oof_score", np.round(oof, 6)))
    return TrainingResult(model=final, metrics=metrics, predictions=predictions, importance=importance)


def _groups(rows: pl.DataFrame) -> np.ndarray:
    """CV group of each cluster: dataset × component (each cluster alone without them)."""
    parts = [c for c in ("dataset", "component") if c in rows.columns]
    if "component" not in parts:
        parts.append("cluster_id")
    key = pl.concat_str([pl.col(c).cast(pl.String) for c in parts], separator="\x1f")
    return rows.select(key.rank("dense")).to_series().to_numpy()


def _scores(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> dict[str, float | None]:
    from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

    if y.min() == y.max():  # a fold with one class has no ranking metrics
        return {"auc": None, "average_precision": None, "log_loss": None, "brier": None,
                "precision_at_0_5": None, "recall_at_0_5": None}
    flagged = p >= 0.5
    tp = float(w[flagged & (y == 1)].sum())
    return {
        "auc": float(roc_auc_score(y, p, sample_weight=w)),
        "average_precision": float(average_precision_score(y, p, sample_weight=w)),
        "log_loss": float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), sample_weight=w)),
        "brier": float(brier_score_loss(y, p, sample_weight=w)),
        "precision_at_0_5": tp / float(w[flagged].sum()) if flagged.any() else None,
        "recall_at_0_5": tp / float(w[y == 1].sum()),
    }


def train_risk_model(datasets: Mapping[str, Dataset] | Sequence[Dataset], *, config: Config | None = None,
                     progress: Progress | None = None) -> TrainingResult:
    """Features of every dataset, then `fit_risk_model` (seeded by ``config.seed``)."""
    config = config or Config()
    if not isinstance(datasets, Mapping):
        datasets = {f"dataset_{i}": d for i, d in enumerate(datasets, start=1)}
    progress = progress or Progress(quiet=True)
    features = training_features(datasets, config=config, progress=progress)
    with progress.stage("cross-validate and fit"):
        return fit_risk_model(features, config=config.risk, seed=config.seed)


def train_to_folder(data_dirs: Sequence[str | Path], out_dir: str | Path, *, config: Config | None = None,
                    quiet: bool = False) -> TrainingResult:
    """``syndicate train``: read and validate each data folder, train, save the model folder.

    The folder holds ``model.json`` (XGBoost JSON) and ``metadata.json`` with the features,
    the fingerprints of every training file, the config and the CV metrics.
    """
    from syndicate.io import load_dataset
    from syndicate.runs import file_fingerprints

    config = config or Config()
    progress = Progress(quiet=quiet)
    datasets, inputs = {}, {}
    for data_dir in data_dirs:
        path = Path(data_dir).resolve()
        name = path.name if path.name not in datasets else str(path)
        with progress.stage(f"validate {name}"):
            datasets[name] = load_dataset(path)
        inputs[name] = {"data_dir": str(path), "files": file_fingerprints(path),
                        "rows": datasets[name].row_counts()}
    result = train_risk_model(datasets, config=config, progress=progress)
    result.model.save(out_dir, extra_metadata={
        "trained_on": inputs,
        "cv_metrics": result.metrics,
        "config": config.to_dict(),
        "feature_importance": dict(result.importance.rows()),
    })
    return result


__all__ = ["TrainingError", "TrainingResult", "dataset_features", "fit_risk_model", "train_risk_model",
           "train_to_folder", "training_features"]

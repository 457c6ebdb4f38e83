"""Train the cluster risk model on labelled clusters from one or more datasets, and the
account model on labelled accounts.

Each dataset goes through the same link → cluster → features stages as ``syndicate run``;
clusters whose members carry labels become training rows (target and weight as in
:func:`syndicate.risk.score.cluster_targets`; a cluster whose only label is one confirmed-bad
member is none). Cross-validation is grouped by dataset ×
connected component, so pieces of one component (or clusters of one dataset that share a
component id by chance) never straddle train and test, and stratified so every fold sees
both classes. The final model is fitted on every labelled cluster and saved as XGBoost JSON
plus metadata: features, training-data fingerprints, CV metrics.

The account model's rows are built by :func:`syndicate.pipeline.account_table` after the
rank stage, exactly as ``syndicate run`` builds them, and go through the same grouped
cross-validation (:func:`syndicate.risk.accounts.fit_account_model`), grouped by dataset ×
cluster or component. It is saved beside the cluster model (``account_model.json``) when the
labelled accounts suffice; otherwise the reason is recorded and only the cluster model is saved.

Examples
--------
>>> result = train_risk_model({"jan": dataset_jan, "feb": dataset_feb})  # doctest: +SKIP
>>> result.metrics["oof_average_precision"]  # doctest: +SKIP
>>> result.model.save("models/2024-03")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import polars as pl

from syndicate.config import Config, RiskConfig
from syndicate.contract import Dataset
from syndicate.features.clusters import model_feature_names
from syndicate.features.timing import table_clock_s
from syndicate.progress import Progress
from syndicate.risk.model import ACCOUNT_PREFIX, CLOCK_KEY, RiskModel
from syndicate.risk.score import cluster_targets, cross_validate, lone_bad_label, training_problem


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
    # The account model (None when the labelled accounts do not suffice: account_metrics says why).
    account_model: RiskModel | None = None
    account_metrics: dict[str, Any] = field(default_factory=dict)


def dataset_features(dataset: Dataset, *, config: Config | None = None) -> pl.DataFrame:
    """Cluster features of one dataset as ``syndicate run`` computes them, plus ``component``.

    Runs the link and cluster stages of :mod:`syndicate.pipeline` and
    :func:`syndicate.pipeline.features` (the same stages as ``syndicate run``).
    """
    return _dataset_tables(dataset, config=config or Config(), accounts=False)[0]


def _dataset_tables(dataset: Dataset, *, config: Config,
                    accounts: bool) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Cluster features (with ``component``) and, with ``accounts``, the labelled account rows
    (account features, ``label``, ``cv_group``) of one dataset, by ``syndicate run``'s stages."""
    from syndicate.pipeline import account_table, behaviour, cluster, features, link, rank

    links = link(dataset, config)
    account_features = behaviour(dataset, config)
    members, meta = cluster(links.edges, config, dataset=dataset, account_features=account_features, links=links)
    cluster_rows = features(dataset, links, members, config, account_features=account_features, meta=meta)
    with_component = cluster_rows.join(meta.select("cluster_id", "component"), on="cluster_id", how="left")
    if not accounts or dataset.labels is None or dataset.labels.height == 0:
        return with_component, None
    # The account features carry the cluster's label-free model score, scored as `run` scores it.
    clusters, _ = rank(cluster_rows, meta, config)
    table, key = account_table(dataset, links, members, clusters, meta, config, account_features=account_features)
    rows = (table.with_columns(pl.Series("cv_group", key))
            .join(dataset.labels.select("account_id", pl.col("label").cast(pl.Int8)), on="account_id"))
    return with_component, rows


def training_features(datasets: Mapping[str, Dataset], *, config: Config | None = None,
                      progress: Progress | None = None) -> pl.DataFrame:
    """Cluster features of several datasets stacked, with a ``dataset`` column (its name)."""
    return _training_tables(datasets, config=config or Config(), progress=progress, accounts=False)[0]


def _training_tables(datasets: Mapping[str, Dataset], *, config: Config, progress: Progress | None,
                     accounts: bool) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """Cluster rows and labelled account rows of every dataset, stacked, with ``dataset``."""
    progress = progress or Progress(quiet=True)
    cluster_frames, account_frames = [], []
    for name, dataset in datasets.items():
        with progress.stage(f"features of {name}"):
            clusters, rows = _dataset_tables(dataset, config=config, accounts=accounts)
        cluster_frames.append(clusters.with_columns(pl.lit(name).alias("dataset")))
        if rows is not None:
            account_frames.append(rows.with_columns(pl.lit(name).alias("dataset")))
    if not cluster_frames:
        raise TrainingError("no datasets to train on")
    stacked = pl.concat(account_frames, how="diagonal_relaxed") if account_frames else None
    return pl.concat(cluster_frames, how="diagonal_relaxed"), stacked


def fit_account_rows(rows: pl.DataFrame | None, *, config: RiskConfig,
                     seed: int) -> tuple[RiskModel | None, dict[str, Any]]:
    """The account model of stacked labelled account rows (from several datasets), or None
    with the reason in the metrics. Folds are grouped by dataset × cluster or component."""
    from syndicate.features.account_table import model_columns
    from syndicate.risk.accounts import account_training_problem, fit_account_model

    if rows is None or rows.height == 0:
        return None, {"not_trained_because": "no labelled accounts"}
    groups = rows.select(pl.concat_str([pl.col("dataset"), pl.col("cv_group").cast(pl.String)], separator="\x1f")
                         .rank("dense")).to_series().to_numpy()
    y = rows["label"].to_numpy().astype(np.int32)
    problem = account_training_problem(y, groups, config)
    if problem is not None:
        return None, {"not_trained_because": problem}
    # model_columns leaves out ids, labels and bookkeeping; dataset and cv_group are bookkeeping too.
    X = rows.select(model_columns(rows.drop("dataset", "cv_group")))
    _, model, metrics = fit_account_model(X, y, groups, config=config, seed=seed)
    return model, metrics


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
        When fewer than ``min_labelled_clusters`` clusters carry labels (one whose only label is
        one confirmed-bad member does not count), or a class has fewer than
        ``max(min_per_class, n_folds)`` clusters.
    """
    config = config or RiskConfig()
    labelled, target, weight = cluster_targets(features, config)
    problem = training_problem(labelled, target, _groups(features), config,
                               lone=int(lone_bad_label(features).sum()))
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
                     progress: Progress | None = None, accounts: bool = True) -> TrainingResult:
    """Features of every dataset, then `fit_risk_model` (seeded by ``config.seed``) and, with
    ``accounts``, the account model (`fit_account_rows`) when the labelled accounts suffice."""
    config = config or Config()
    if not isinstance(datasets, Mapping):
        datasets = {f"dataset_{i}": d for i, d in enumerate(datasets, start=1)}
    features, account_rows = _training_tables(datasets, config=config, progress=progress, accounts=accounts)
    progress = progress or Progress(quiet=True)
    with progress.stage("cross-validate and fit"):
        result = fit_risk_model(features, config=config.risk, seed=config.seed)
    if accounts:
        with progress.stage("cross-validate and fit the account model"):
            result.account_model, result.account_metrics = fit_account_rows(
                account_rows, config=config.risk, seed=config.seed)
    clock = trained_clock(datasets.values(), config)
    for model in (result.model, result.account_model):
        if model is not None and clock is not None:
            model.metadata_[CLOCK_KEY] = clock
    return result


def trained_clock(datasets: Iterable[Dataset], config: Config) -> int | None:
    """The finest clock (seconds) the events of ``datasets`` were recorded with, as a run reads
    it (``features.timing.table_clock_s``), or None when none has events: what a model trained
    on them saw of co-action within seconds and rapid gaps (``pipeline.model_clock_warning``)."""
    clocks = [c for d in datasets if (c := table_clock_s(d.events, config.lockstep.clock_seconds)) is not None]
    return min(clocks) if clocks else None


def train_to_folder(data_dirs: Sequence[str | Path], out_dir: str | Path, *, config: Config | None = None,
                    quiet: bool = False) -> TrainingResult:
    """``syndicate train``: read and validate each data folder, train, save the model folder.

    The folder holds ``model.json`` (XGBoost JSON) and ``metadata.json`` with the features,
    the fingerprints of every training file, the config and the CV metrics, and, when the
    labelled accounts suffice, ``account_model.json`` and ``account_metadata.json`` beside them
    (``syndicate run --model`` scores clusters and accounts with them).
    """
    from syndicate.io import load_dataset
    from syndicate.risk.model import METADATA_FILE, MODEL_FILE
    from syndicate.runs import MODEL_FILES, check_own_folder, file_fingerprints, json_file_with

    # Before any work: a new or empty folder, or a model folder train wrote, holding nothing else.
    out_dir = check_own_folder(out_dir, command="train", files=MODEL_FILES,
                               written=json_file_with("features", METADATA_FILE),
                               avoid=tuple(Path(d) for d in data_dirs))
    config = config or Config()
    progress = Progress(quiet=quiet)
    # A folder given twice (or a copy of one) would put each of its clusters in a training fold
    # and a test fold alike, and the cross-validated figures would measure memory.
    paths = [Path(d).resolve() for d in data_dirs]
    files = [file_fingerprints(p) if p.is_dir() else None for p in paths]
    for i, (path, fingerprint) in enumerate(zip(paths, files)):
        for other, seen in zip(paths[:i], files[:i]):
            if path == other or (fingerprint and fingerprint == seen):
                raise TrainingError(
                    f"the data folder {path} is {'given twice' if path == other else f'a copy of {other}'}: "
                    "its clusters would be in the training and the test folds alike (the same files, "
                    "compared by their sha256); give each dataset once")
    datasets, inputs = {}, {}
    for path, fingerprint in zip(paths, files):
        name = path.name if path.name not in datasets else str(path)
        with progress.stage(f"validate {name}"):
            datasets[name] = load_dataset(path, placeholder_values=config.identity.placeholder_values)
        inputs[name] = {"data_dir": str(path), "files": fingerprint, "rows": datasets[name].row_counts()}
    result = train_risk_model(datasets, config=config, progress=progress)
    result.model.save(out_dir, extra_metadata={
        "trained_on": inputs,
        "cv_metrics": result.metrics,
        "config": config.to_dict(),
        "feature_importance": dict(result.importance.rows()),
    })
    if result.account_model is not None:
        result.account_model.save(out_dir, prefix=ACCOUNT_PREFIX, extra_metadata={
            "trained_on": inputs, "cv_metrics": result.account_metrics, "config": config.to_dict()})
    else:  # a previous training's account model is not this one's
        for name in (MODEL_FILE, METADATA_FILE):
            (out_dir / f"{ACCOUNT_PREFIX}{name}").unlink(missing_ok=True)
    return result


__all__ = ["TrainingError", "TrainingResult", "dataset_features", "fit_account_rows", "fit_risk_model", "train_risk_model",
           "train_to_folder", "training_features"]

"""Score every account: out-of-fold XGBoost with labels, the account scorecard without, and
the account's cluster.

* **supervised** — with at least ``min_labelled_accounts`` labelled accounts of both classes,
  XGBoost over the account features, cross-validated with the same routine as the cluster
  model (:func:`syndicate.risk.score.cross_validate`): each labelled account is scored by a
  model that never saw its label, and folds are grouped (by cluster, else connected
  component) so members of one ring never straddle train and test. Unlabelled accounts are
  scored by the model fitted on every label, which is returned to be saved. A given model
  scores every account.
* **unsupervised** — :mod:`syndicate.risk.account_scorecard`.
* **cluster** — an account's ``risk_score`` is at least its cluster's: when the cluster's
  risk (label evidence included) is the higher, it is the account's and ``score_source``
  says so. ``model_score`` keeps the account's own score.

Labels are never features; an account's own label reaches neither its features (its cluster
enters through the label-free ``model_score``) nor, for labelled accounts, its model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from syndicate.config import RiskConfig
from syndicate.features.account_table import model_columns
from syndicate.risk.account_reasons import account_reasons
from syndicate.risk.account_scorecard import account_scorecard
from syndicate.risk.model import RiskModel
from syndicate.risk.score import cross_validate

HEAD_COLUMNS = ["account_id", "cluster_id", "risk_score", "rank", "score_source", "reasons", "model_score",
                "label"]


@dataclass
class AccountScores:
    """Result of :func:`score_accounts`: the ``accounts`` table (sorted by rank), the model
    fitted on every labelled account (None for the scorecard or a given model) and the
    out-of-fold metrics."""

    frame: pl.DataFrame
    model: RiskModel | None = None
    metrics: dict = field(default_factory=dict)


def account_training_problem(y: np.ndarray, groups: np.ndarray, config: RiskConfig) -> str | None:
    """Why labelled accounts cannot train a cross-validated model, or None when they can."""
    positives, negatives = int(y.sum()), int(len(y) - y.sum())
    need = max(config.min_per_class, config.n_folds)
    if len(y) < config.min_labelled_accounts or min(positives, negatives) < need:
        return (f"the account model needs at least {config.min_labelled_accounts} labelled accounts with at "
                f"least {need} of each class (risk.min_labelled_accounts, risk.min_per_class, risk.n_folds). "
                f"Got {len(y)}: {positives} bad, {negatives} good.")
    if len(np.unique(groups)) < config.n_folds:
        return f"the labelled accounts fall in fewer groups than the {config.n_folds} folds (risk.n_folds)."
    return None


def fit_account_model(X: pl.DataFrame, y: np.ndarray, groups: np.ndarray, *, config: RiskConfig,
                      seed: int) -> tuple[np.ndarray, RiskModel, dict]:
    """Out-of-fold scores of the labelled rows, the model fitted on all of them, metrics."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    # Classes are balanced by weight: labelled accounts are mostly one class on real platforms.
    pos = max(int(y.sum()), 1)
    w = np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * max(len(y) - pos, 1)))
    oof, _, _, final = cross_validate(X, y, w, groups, config, seed)
    metrics = {"n_labelled_accounts": int(len(y)), "n_positive_accounts": int(y.sum()),
               "n_groups": int(len(np.unique(groups))),
               "oof_auc": float(roc_auc_score(y, oof)), "oof_average_precision": float(average_precision_score(y, oof))}
    final.metadata_["kind"] = "account"
    return oof, final, metrics


def score_accounts(table: pl.DataFrame, *, cluster_risk: pl.DataFrame, labels: pl.DataFrame | None,
                   groups: np.ndarray, config: RiskConfig | None = None, seed: int = 0,
                   model: RiskModel | None = None) -> AccountScores:
    """Risk, rank, source and reasons of every account (rows of ``table``).

    Parameters
    ----------
    table : DataFrame
        :func:`syndicate.features.account_table.account_feature_table`.
    cluster_risk : DataFrame
        ``cluster_id, risk_score`` (the clusters' final risk, label evidence included).
    labels : DataFrame or None
        ``account_id, label``.
    groups : ndarray
        Cross-validation group of each row (rows of one group share a fold).
    model : RiskModel, optional
        A saved account model to score with instead of training.
    """
    config = config or RiskConfig()
    if labels is not None and labels.height:
        table = table.join(labels.select("account_id", pl.col("label").cast(pl.Int8)), on="account_id",
                           how="left", maintain_order="left")
    else:
        table = table.with_columns(pl.lit(None, dtype=pl.Int8).alias("label"))
    names = model_columns(table)
    labelled = table["label"].is_not_null().to_numpy()
    y = table["label"].fill_null(0).to_numpy().astype(np.int32)
    fitted, metrics, scorer = None, {}, None
    problem = account_training_problem(y[labelled], np.asarray(groups)[labelled], config)
    if model is not None:
        X = _aligned(table, model.feature_names_)
        p, scorer, source = model.predict_proba(X), model, "supervised"
    elif problem is None:
        X = table.select(names)
        idx = np.flatnonzero(labelled)
        p = np.zeros(table.height)
        p[idx], fitted, metrics = fit_account_model(X[idx], y[idx], np.asarray(groups)[idx], config=config, seed=seed)
        rest = np.flatnonzero(~labelled)
        if len(rest):
            p[rest] = fitted.predict_proba(X[rest])
        scorer, source = fitted, "supervised"
    else:
        p, indicator_names, terms = account_scorecard(table)
        source = "unsupervised"
        metrics = {"unsupervised_because": problem}

    in_cluster = table.select("account_id", "cluster_id").join(
        cluster_risk.select("cluster_id", pl.col("risk_score").alias("cluster_risk_score")),
        on="cluster_id", how="left", maintain_order="left")["cluster_risk_score"].fill_null(0.0).to_numpy()
    risk = np.maximum(p, in_cluster)
    frame = table.with_columns(
        pl.Series("model_score", np.round(p, 6)),
        pl.Series("risk_score", np.round(np.clip(risk, 0.0, 1.0), 6)),
        pl.Series("score_source", np.where(in_cluster > p, "cluster", source)),
        pl.Series("cluster_risk_score", in_cluster),
    ).with_row_index("_row")
    frame = frame.sort(["risk_score", "account_id"], descending=[True, False]).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank"))

    # Reasons for the riskiest accounts, from the contributions of whatever scored them.
    top = frame.head(config.account_reasons_top)
    rows = top["_row"].to_numpy()
    if scorer is not None:
        X_top = _aligned(table[rows], scorer.feature_names_)
        contributions, reason_names = scorer.contributions(X_top)[:, :-1], scorer.feature_names_
    else:
        contributions, reason_names = terms[rows], indicator_names
    reasons = account_reasons(top, reason_names, contributions, top["model_score"].to_numpy(),
                              n=config.n_reasons)
    reasons += [[]] * (frame.height - top.height)
    frame = frame.with_columns(pl.Series("reasons", reasons, dtype=pl.List(pl.String))).drop(
        "_row", "cluster_risk_score")
    rest = [c for c in frame.columns if c not in HEAD_COLUMNS]
    return AccountScores(frame=frame.select(*HEAD_COLUMNS, *rest), model=fitted, metrics=metrics)


def _aligned(table: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """``names`` from ``table``; features the data lacks (an action it never has) are missing."""
    return table.select(pl.col(n) if n in table.columns else pl.lit(None, dtype=pl.Float64).alias(n)
                        for n in names)


__all__ = ["AccountScores", "account_training_problem", "fit_account_model", "score_accounts"]

"""Without labels: which accounts behave like the members of the run's high-risk clusters.

A run without enough labels scores accounts with the scorecard
(:mod:`syndicate.risk.account_scorecard`), whose weights are general knowledge, not this
platform's. But by the time accounts are scored, the run has found its clusters and scored them:
the members of its high-risk clusters are this platform's operated accounts as far as the run
can tell. Here they become pseudo-labels: an account that inherits at least
``risk.high_risk_threshold`` from its cluster (the cluster's risk times its attachment,
:func:`syndicate.risk.accounts.attachment`) is a positive, every other account a negative — an
unlabelled one, really: lone bad actors are among them (positive-unlabelled learning). XGBoost,
the same model the account stage trains on labels, learns what separates the two from the
account's own behaviour only — never its links or cluster, which decide the pseudo-label — and
scores every account out of fold, folds grouped by component (:mod:`syndicate.risk.folds`): a
cluster's members are judged by a model that never saw them, so a cluster is not confirmed by
its own members, and a lone account is scored by how much it acts like the members of other
clusters (the operator's accounts the link graph missed, the farm's unlinked workers).

Measured on the 25 no-label runs of the test marketplaces (20,000 accounts each, `syndicate run
--seed 1` then `evaluate`; pseudo-labels from the run's own clusters, nothing from truth),
account average precision with the account's own score the mean of the scorecard's and this
model's, against the scorecard alone: summed 20.85 -> 21.68; the eighth 0.766 -> 0.835, the
tenth 0.805 -> 0.877, the twelfth 0.738 -> 0.834, the thirteenth 0.781 -> 0.878, the
twenty-second 0.594 -> 0.677, the twenty-fourth 0.921 -> 0.959; lower on one (the ninth's Amazon
flavour 0.324 -> 0.312). Cluster ranks do not move (accounts are scored after clusters). The
cut of the pseudo-labels is not fitted: 0.5, 0.7 and 0.85 gave sums within 0.13 of each other
(offline on the stored runs); the config's high-risk line is used. Averaging and noisy-or of
the two scores summed the same; the mean keeps the score's scale.
Its known cost: when the run's high-risk clusters are benign (a false positive it could not
tell apart), the accounts that act like them rise with them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from syndicate.config import RiskConfig
from syndicate.features.account_table import model_columns
from syndicate.features.graph import GRAPH_FEATURES
from syndicate.risk.folds import grouped_stratified_folds
from syndicate.risk.model import RiskModel, _matrix

# Training rows at most, half of them pseudo-positives at most: a seeded sample of each class
# beyond (weights keep the classes balanced either way). Measured on our 100k marketplace
# without labels (9,196 pseudo-positives): all 100,000 rows 3.3 s for the five fold models
# (CPU 5.5 s), 50,000 1.9 s, 20,000 1.0 s, with this model's own average precision 0.982,
# 0.982, 0.981: what tells operated accounts from ordinary ones is learnt from a sample, and
# the cost stays flat at 1M accounts. A 20,000-account platform trains on every row.
MAX_TRAIN_ROWS = 40_000
# Rows scored at once (as risk.accounts.PREDICT_ROWS): a float32 block of 256k rows is ~40 MB.
PREDICT_ROWS = 1 << 18
# Fold models trained at once (one XGBoost thread each): the machine's two cores.
FIT_WORKERS = 2


@dataclass
class PseudoLabelModel:
    """Out-of-fold scores of every account (rows of the table), the feature names, and how
    the pseudo-labels came out (``metrics``)."""

    scores: np.ndarray
    feature_names: list[str]
    folds: np.ndarray
    models: list[RiskModel] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)

    def contributions(self, table: pl.DataFrame, rows: np.ndarray) -> np.ndarray:
        """Per-feature contributions (log-odds, bias dropped) of ``rows`` of ``table``, each
        from the fold model that scored it."""
        out = np.zeros((len(rows), len(self.feature_names)))
        fold = self.folds[rows]
        for k, model in enumerate(self.models):
            at = np.flatnonzero(fold == k)
            if len(at):
                out[at] = model.contributions(table[rows[at]].select(self.feature_names))[:, :-1]
        return out


def behaviour_columns(table: pl.DataFrame) -> list[str]:
    """The model columns that describe the account itself: not its links nor its cluster."""
    return [c for c in model_columns(table) if c not in GRAPH_FEATURES]


def pseudo_label_problem(positive: np.ndarray, groups: np.ndarray, config: RiskConfig) -> str | None:
    """Why the pseudo-labels cannot train a model, or None when they can: the positives must
    fall in at least ``n_folds`` components (each fold's model sees positives of others) and
    number ``min_per_class`` or more, as labels must."""
    n_pos, n_groups = int(positive.sum()), len(np.unique(groups[positive]))
    if n_pos < max(config.min_per_class, config.n_folds) or n_groups < config.n_folds:
        return (f"{n_pos} account(s) in {n_groups} component(s) inherit at least risk.high_risk_threshold "
                f"({config.high_risk_threshold}) from their clusters; the pseudo-label model needs accounts in "
                f"at least {config.n_folds} (risk.n_folds)")
    if len(positive) - n_pos < config.min_per_class:
        return "almost every account is in a high-risk cluster: nothing to tell them from"
    return None


def pseudo_label_scores(table: pl.DataFrame, inherited: np.ndarray, groups: np.ndarray, *, config: RiskConfig,
                     seed: int) -> tuple[PseudoLabelModel | None, str | None]:
    """(:class:`PseudoLabelModel`, None), or (None, why not) when the pseudo-labels cannot train."""
    positive = np.asarray(inherited) >= config.high_risk_threshold
    groups = np.asarray(groups)
    problem = pseudo_label_problem(positive, groups, config)
    names = behaviour_columns(table)
    if problem is None and not names:
        problem = "the accounts have no behaviour features"
    if problem is not None:
        return None, problem
    y = positive.astype(np.int32)
    folds = grouped_stratified_folds(y, groups, n_folds=config.n_folds, seed=seed)
    train = _training_rows(y, seed)
    n_pos = int(y[train].sum())
    # Classes balanced by weight, as with labels: the positives are a few percent.
    w = np.where(y[train] == 1, len(train) / (2 * n_pos), len(train) / (2 * max(len(train) - n_pos, 1)))
    X = table.select(names)
    data = _matrix(X[train])

    def fit(fold: int) -> RiskModel:
        import xgboost as xgb

        rows = folds[train] != fold
        dtrain = xgb.DMatrix(data[rows], label=y[train][rows], weight=w[rows], feature_names=names)
        model = RiskModel(n_estimators=config.account_n_estimators, max_depth=config.max_depth,
                          learning_rate=config.account_learning_rate, max_bin=config.account_max_bin,
                          seed=seed + fold, n_threads=1)
        return model.fit_matrix(dtrain)

    with ThreadPoolExecutor(max_workers=FIT_WORKERS) as pool:
        models = list(pool.map(fit, range(config.n_folds)))
    scores = np.zeros(table.height)
    for k, model in enumerate(models):
        model.n_threads = None  # predictions pick their own thread count
        at = np.flatnonzero(folds == k)
        for lo in range(0, len(at), PREDICT_ROWS):  # a float32 block at a time, not the fold's copy
            block = at[lo:lo + PREDICT_ROWS]
            scores[block] = model.predict_matrix(_matrix(X[block]))
    metrics = {"pseudo_positive_accounts": int(y.sum()),
               "pseudo_positive_components": int(len(np.unique(groups[positive]))),
               "threshold": config.high_risk_threshold, "training_rows": int(len(train)), "features": len(names)}
    return PseudoLabelModel(scores=scores, feature_names=names, folds=folds, models=models, metrics=metrics), None


def _training_rows(y: np.ndarray, seed: int) -> np.ndarray:
    """Rows to train on: all of them up to ``MAX_TRAIN_ROWS``; beyond, positives up to half of
    it and negatives filling the rest, each a seeded sample."""
    if len(y) <= MAX_TRAIN_ROWS:
        return np.arange(len(y))
    rng = np.random.default_rng(seed)
    positives, negatives = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    n_pos = min(len(positives), MAX_TRAIN_ROWS // 2)
    n_neg = min(len(negatives), MAX_TRAIN_ROWS - n_pos)
    keep = [rng.choice(positives, size=n_pos, replace=False), rng.choice(negatives, size=n_neg, replace=False)]
    return np.sort(np.concatenate(keep))


__all__ = ["PseudoLabelModel", "behaviour_columns", "pseudo_label_problem", "pseudo_label_scores"]

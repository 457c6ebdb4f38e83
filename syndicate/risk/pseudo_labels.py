"""Without labels: which accounts behave like the members of the run's high-risk clusters.

A run without enough labels scores accounts with the scorecard
(:mod:`syndicate.risk.account_scorecard`), whose weights are general knowledge, not this
platform's. But by the time accounts are scored, the run has found its clusters and scored them:
the members of its high-risk clusters are this platform's operated accounts as far as the run
can tell. Here they become pseudo-labels: an account that inherits at least
``risk.high_risk_threshold`` from its cluster (the cluster's risk times its attachment,
:func:`syndicate.risk.accounts.attachment`) is a positive, every other account a negative — an
unlabelled one, really: lone bad actors are among them (positive-unlabelled learning). XGBoost,
with the account model's settings, learns what separates the two from the account's behaviour —
never its links, its cluster or the takeover wave its identifiers arrived in (what the link stage
reads from shared identifiers and what decides clusters and pseudo-labels); what it does with
others in its events (co-action within seconds, its targets' popularity) and its creation batch
stay, as in the scorecard. It scores every account out of fold, folds grouped by component
(:mod:`syndicate.risk.folds`): no cluster's members are judged by a model that saw them, and a
lone account scores by how much it acts like the members of high-risk clusters (the operator's
accounts the link graph missed, the farm's unlinked workers).

The account's own score moves from the scorecard's towards this model's by half its skill
(:func:`blend`): half of the Gini coefficient (2 AUROC - 1) with which the model ranks its own
pseudo-labels out of fold. A model that tells them apart (Gini 0.64-0.98 on the test
marketplaces) takes about half the score; one that cannot (behaviour that does not separate
them) takes none and the scorecard stays.

Measured on the 25 no-label runs of the test marketplaces (20,000 accounts each, `syndicate run
--seed 1` then `evaluate`), see benchmarks/RESULTS.md ("Forty-second sitting"). Its known costs:
where the run's high-risk clusters are benign, accounts that act like them rise with them; a
lone bad actor unlike any cluster's members keeps only about half of its scorecard score above
the model's, so fewer lone accounts pass the high-risk line than with the scorecard alone.
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
from syndicate.risk.model import FIT_WORKERS, RiskModel, _matrix, account_model, balanced_weights, predict_blocks

# Read from shared identifiers at the link stage (features/takeover.py): link evidence, as the
# graph columns are; waves of five or more accounts are clusters of their own.
LINK_STAGE_FEATURES = ("takeover_wave", "takeover_strength")

# Training rows at most, half of them pseudo-positives at most: a seeded sample of each class
# beyond (weights keep the classes balanced either way). Measured on our 100k marketplace
# without labels (9,196 pseudo-positives): all 100,000 rows 3.3 s for the five fold models
# (CPU 5.5 s), 50,000 1.9 s, 20,000 1.0 s, with this model's own average precision 0.982,
# 0.982, 0.981: what tells operated accounts from ordinary ones is learnt from a sample, and
# the cost stays flat at 1M accounts. A 20,000-account platform trains on every row.
MAX_TRAIN_ROWS = 40_000


@dataclass
class PseudoLabelModel:
    """Out-of-fold scores of every account (rows of the table), the feature names, the fold
    of each row and its model, the weight of the scores in the account's own (:func:`blend`)
    and how the pseudo-labels came out (``metrics``)."""

    scores: np.ndarray
    feature_names: list[str]
    folds: np.ndarray
    weight: float
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


def blend(scorecard: np.ndarray, pseudo: PseudoLabelModel | None) -> np.ndarray:
    """The account's own score: the scorecard's moved towards the pseudo-label model's by its
    weight (half its Gini on its own pseudo-labels); the scorecard's alone without a model."""
    if pseudo is None:
        return scorecard
    return scorecard + pseudo.weight * (pseudo.scores - scorecard)


def behaviour_columns(table: pl.DataFrame) -> list[str]:
    """The model columns that describe the account's behaviour: not its links, its cluster or
    its takeover wave, and not a column with one value on every row (nothing to learn)."""
    names = [c for c in model_columns(table) if c not in GRAPH_FEATURES and c not in LINK_STAGE_FEATURES]
    if not names or table.height == 0:
        return []
    spread = table.select(
        ((pl.col(c).cast(pl.Float64).max() > pl.col(c).cast(pl.Float64).min()).fill_null(False)
         | (pl.col(c).is_null().any() & pl.col(c).is_not_null().any())).alias(c)
        for c in names).row(0)
    return [c for c, varies in zip(names, spread) if varies]


def pseudo_label_problem(positive: np.ndarray, groups: np.ndarray, config: RiskConfig) -> str | None:
    """Why the pseudo-labels cannot train a model, or None when they can: as labels must, the
    positives must number ``min_per_class`` and ``n_folds`` or more and fall in at least
    ``n_folds`` components (each fold's model learns from positives of other components)."""
    n_pos, n_groups = int(positive.sum()), len(np.unique(groups[positive]))
    need = max(config.min_per_class, config.n_folds)
    if n_pos < need or n_groups < config.n_folds:
        return (f"{n_pos} account(s) in {n_groups} component(s) inherit at least risk.high_risk_threshold "
                f"({config.high_risk_threshold}) from their clusters; the pseudo-label model needs at least "
                f"{need} such accounts (risk.min_per_class, risk.n_folds) in at least {config.n_folds} "
                f"components (risk.n_folds)")
    if len(positive) - n_pos < config.min_per_class:
        return "almost every account is in a high-risk cluster: nothing to tell them from"
    return None


def pseudo_label_scores(table: pl.DataFrame, inherited: np.ndarray, groups: np.ndarray, *, config: RiskConfig,
                        seed: int) -> tuple[PseudoLabelModel | None, str | None]:
    """(:class:`PseudoLabelModel`, None), or (None, why not) when the pseudo-labels cannot train."""
    from sklearn.metrics import roc_auc_score

    positive = np.asarray(inherited) >= config.high_risk_threshold
    groups = np.asarray(groups)
    problem = pseudo_label_problem(positive, groups, config)
    names = behaviour_columns(table) if problem is None else []
    if problem is None and not names:
        problem = "no behaviour feature of the accounts varies"
    if problem is not None:
        return None, problem
    y = positive.astype(np.int32)
    folds = grouped_stratified_folds(y, groups, n_folds=config.n_folds, seed=seed)
    train = _training_rows(y, seed)
    X = table.select(names)
    data, y_train, f_train = _matrix(X[train]), y[train], folds[train]

    def fit(fold: int) -> RiskModel:
        import xgboost as xgb

        rows = f_train != fold
        # Balanced within each fold's rows: the positives come in components, unevenly.
        dtrain = xgb.DMatrix(data[rows], label=y_train[rows], weight=balanced_weights(y_train[rows]),
                             feature_names=names)
        return account_model(config, seed + fold).fit_matrix(dtrain)

    with ThreadPoolExecutor(max_workers=FIT_WORKERS) as pool:
        models = list(pool.map(fit, range(config.n_folds)))
    scores = np.zeros(table.height)
    for k, model in enumerate(models):
        model.n_threads = None  # predictions pick their own thread count
        at = np.flatnonzero(folds == k)
        if len(at):
            scores[at] = predict_blocks(model, X[at])
    auroc = float(roc_auc_score(y, scores))
    weight = max(2 * auroc - 1, 0.0) / 2
    metrics = {"pseudo_positive_accounts": int(y.sum()),
               "pseudo_positive_components": int(len(np.unique(groups[positive]))),
               "threshold": config.high_risk_threshold, "training_rows": int(len(train)), "features": len(names),
               "out_of_fold_auroc": round(auroc, 4), "weight": round(weight, 4)}
    return PseudoLabelModel(scores=scores, feature_names=names, folds=folds, weight=weight, models=models,
                            metrics=metrics), None


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


__all__ = ["LINK_STAGE_FEATURES", "PseudoLabelModel", "behaviour_columns", "blend", "pseudo_label_problem",
           "pseudo_label_scores"]

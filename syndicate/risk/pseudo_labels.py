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

The clusters learn from it too (:func:`with_member_behaviour`): each cluster's risk moves
towards its members' mean out-of-fold score by :attr:`PseudoLabelModel.cluster_weight` (half
the Gini squared), and its members inherit the moved score. A club, a cohort or an office
team the link graph binds as tightly as an operator's pool, but whose members act like no
high-risk cluster's of the other components, falls; a small ring whose members act like them
rises. Its reasons say so where it moved by five points or more, towards the side of the
model's line (0.5) its members are on. Members taken over in a wave are left out of the mean
(they act as their owners did), and so are members without any event (no behaviour to read).
Not when a given model scored the clusters, nor with labels too
few to train the account model (the pseudo-labels would then come from clusters whose risk holds
the labels' evidence). With labels that train it, the same model is trained on the clusters as
a run without labels scores them (the label-free view, :func:`syndicate.risk.accounts.
with_label_free_view`), and a labelled cluster moves only as far as its model score's part of
its risk (the label posterior's).

Measured on the 25 no-label runs of the test marketplaces (20,000 accounts each, `syndicate run
--seed 1` then `evaluate`), see benchmarks/RESULTS.md ("Forty-second sitting" for accounts,
"Forty-third sitting" for clusters). Its known costs: where the run's high-risk clusters are
benign, accounts and clusters that act like them rise with them (the twenty-second
marketplace's fan clubs: account average precision 0.670 -> 0.622 once the clusters move); a
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

# The clusters table's column with each cluster's members' mean out-of-fold score.
MEMBER_SCORE = "member_pseudo_label_score"
# The clusters table's column of the label-free risk that stood in for a cluster's members' mean
# (with_member_behaviour's ``stand_in``; null where their mean was read, or nothing stood in).
STAND_IN = "label_free_stand_in"


@dataclass
class PseudoLabelModel:
    """Out-of-fold scores of every account (rows of the table; NaN for rows left unscored:
    :func:`pseudo_label_scores` ``score_rows``), the feature names, the fold
    of each row and its model, the weight of the scores in the account's own (:func:`blend`)
    and how the pseudo-labels came out (``metrics``)."""

    scores: np.ndarray
    feature_names: list[str]
    folds: np.ndarray
    weight: float
    models: list[RiskModel] = field(default_factory=list)
    metrics: dict = field(default_factory=dict)

    @property
    def cluster_weight(self) -> float:
        """The weight of the members' mean score in a cluster's (:func:`with_member_behaviour`):
        the account weight times the model's Gini, half the Gini squared. A cluster's score reads
        what binds it, evidence an account's own score lacks, and the model's errors on one
        cluster's members are one error, not many that average out: a model of middling skill
        (Gini 0.64: the twenty-second marketplace, where a fan club and group-buy circles were
        among the high-risk clusters) moves clusters by 0.2, not 0.32; a sure one (Gini 0.96) by
        0.46. On the 29 no-label runs (benchmarks/RESULTS.md, "Forty-third sitting"), top-K
        precision summed 26.02 before; offline 26.98 with the account weight and 26.95 with this
        one; swept, +0.78 with the account weight (the twenty-second 1.00 -> 0.86) and +0.91 with
        this one (none lower; +0.84 once wave members were left out of the mean)."""
        return 2 * self.weight * self.weight

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


def with_member_behaviour(cluster_risk: pl.DataFrame, cluster_ids: pl.Series, pseudo: PseudoLabelModel, *,
                          taken_over: np.ndarray | None = None, inactive: np.ndarray | None = None,
                          labelled: np.ndarray | None = None,
                          label_prior_strength: float = RiskConfig.label_prior_strength,
                          stand_in: pl.DataFrame | None = None) -> pl.DataFrame:
    """``cluster_id, member_pseudo_label_score, model_score, risk_score, label_free_stand_in`` of
    every cluster of ``cluster_risk`` (``cluster_id, risk_score`` and ``model_score`` when it has one): the mean
    out-of-fold score of its members (``cluster_ids``: each row's cluster) and its risk moved
    towards it by :attr:`PseudoLabelModel.cluster_weight`, as an account's own score is by the
    model's weight (:func:`blend`). ``model_score`` stays the cluster model's (or scorecard's)
    score before labels and members: account features read it (features/graph.py), and a
    clusters table passed back to the accounts stage must give them what the run gave them.

    Out of fold, folds grouped by component: a cluster's members are judged by models trained
    on the other components' high-risk clusters, so a cluster whose members behave unlike any
    of theirs (the clubs, cohorts and teams the link graph binds as tightly as an operator's
    pool) falls, and one whose members behave like them rises however little binds it.

    Members ``taken_over`` in a wave (features/takeover.py: a new device, card or phone reaching
    old accounts at once) are left out of the mean: such an account acted as its owner did before
    the wave, and its owner is no operator. So are ``inactive`` members (no event in the data):
    the model reads behaviour, and an account that has not acted yet has none to read; a ring
    caught as it registers, its accounts bound by devices and a card hours ago, is no club whose
    members act like ordinary accounts. A cluster of such members alone keeps its scores, unless
    ``stand_in`` (``cluster_id, risk_score``) gives a risk to read in their mean's place: with
    labels, the label-free view gives the cluster's risk as a run without labels scores it
    (risk.score.label_free_risk). A takeover wave's victims carry the good labels their owners
    earned, and enforcement rarely labels a wave: a model trained on the households and rings
    that identifiers bind scored the twenty-fifth marketplace's waves (auction sellers hijacked
    in one week) 0.31-0.47, while what binds them scores 0.98 without labels. The column
    ``label_free_stand_in`` holds the risk that stood in (null elsewhere).

    The move is the model's score moved towards the members' mean, carried into the risk as the
    label posterior carries the model's score (risk.score.label_posterior: it weighs
    ``k / (k + sqrt(n))`` against n labels, k ``label_prior_strength``):
    ``risk + cluster_weight * k / (k + sqrt(n)) * (mean - model_score)``, clipped to [0, 1].
    Without labels the risk is the model's score and moves by the cluster weight. With labels
    (``labelled``: the rows whose account carries one) their evidence stays whole: a cluster
    without labelled members moves as without labels; one with sixteen, half as far.
    """
    judged = np.ones(len(pseudo.scores), dtype=bool)
    for left_out in (taken_over, inactive):
        if left_out is not None:
            judged &= ~np.asarray(left_out, dtype=bool)
    n_labelled = np.zeros(len(pseudo.scores)) if labelled is None else np.asarray(labelled, dtype=np.float64)
    members = (pl.DataFrame({"cluster_id": cluster_ids, MEMBER_SCORE: pseudo.scores, "_labelled": n_labelled,
                             "_judged": judged})
               .drop_nulls("cluster_id")
               .group_by("cluster_id").agg(pl.col(MEMBER_SCORE).filter(pl.col("_judged")).mean(),
                                           pl.col("_labelled").sum()))
    out = cluster_risk.select("cluster_id", "risk_score", pl.col("model_score") if "model_score" in cluster_risk.columns
                              else pl.col("risk_score").alias("model_score"))
    out = out.join(members, on="cluster_id", how="left", maintain_order="left")
    if stand_in is None:
        out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(STAND_IN))
    else:
        given = stand_in.select("cluster_id", pl.col("risk_score").cast(pl.Float64).fill_nan(None).alias(STAND_IN))
        out = (out.join(given, on="cluster_id", how="left", maintain_order="left")
               .with_columns(pl.when(pl.col(MEMBER_SCORE).is_null()).then(pl.col(STAND_IN)).alias(STAND_IN)))
    look = pl.coalesce(MEMBER_SCORE, STAND_IN)
    weight = (pseudo.cluster_weight * label_prior_strength
              / (label_prior_strength + pl.col("_labelled").fill_null(0).sqrt()))
    moved = (pl.col("risk_score") + weight * (look - pl.col("model_score"))).clip(0.0, 1.0)
    return out.select("cluster_id", MEMBER_SCORE, "model_score",
                      moved.fill_null(pl.col("risk_score")).round(6).alias("risk_score"), STAND_IN)


# A cluster's reasons say its members' behaviour moved its risk when it moved it by this much or
# more (five points, as an account's own score, risk.account_reasons.CLUSTER_REASON_MIN).
MEMBER_REASON_MIN = 0.05


def member_behaviour_reason(look: float, shift: float, *, label_free: bool = False) -> str | None:
    """The sentence that says a cluster's members' behaviour (``look``: their mean score from the
    pseudo-label model) moved its risk by ``shift``; None when it moved it by less than
    ``MEMBER_REASON_MIN``, or against the side of the model's line (0.5) the members are on: a
    ring at 0.99 whose members score 0.85 loses a few points, but its members do not behave
    unlike the others. ``label_free``: the run has labels, and the model learnt from the clusters
    as a run without them scores them (risk.accounts.with_label_free_view)."""
    if abs(shift) < MEMBER_REASON_MIN or (shift > 0) != (look >= 0.5):
        return None
    like, way = ("like", "raised") if shift > 0 else ("unlike", "lowered")
    which = ("the other clusters this run scores high-risk without labels" if label_free
             else "this run's other high-risk clusters")
    return (f"its members behave {like} those of {which} ({look:.2f} on average from a model trained on them "
            f"out of fold): risk {way} by {abs(shift):.2f}")


def stand_in_reason(stand_in: float, shift: float) -> str | None:
    """The sentence that says the label-free risk stood in for a cluster's members' behaviour
    (:func:`with_member_behaviour` ``stand_in``) and moved its risk by ``shift``; None under
    ``MEMBER_REASON_MIN``."""
    if abs(shift) < MEMBER_REASON_MIN:
        return None
    way = "raised" if shift > 0 else "lowered"
    return (f"its members' behaviour is left out of its score (all taken over in a wave, or without events), "
            f"and a run without labels scores what binds it {stand_in:.2f}: risk {way} by {abs(shift):.2f}")


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
                        seed: int, score_rows: np.ndarray | None = None) -> tuple[PseudoLabelModel | None, str | None]:
    """(:class:`PseudoLabelModel`, None), or (None, why not) when the pseudo-labels cannot train.

    ``score_rows``: the rows whose scores are wanted (those the model trains on are scored too,
    for its AUROC, then read on them alone); the others' are NaN. None: every row, and the AUROC
    on every row. On a table of ``MAX_TRAIN_ROWS`` or fewer both read every row alike."""
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
    scored = np.ones(table.height, dtype=bool)
    if score_rows is not None:
        scored = np.zeros(table.height, dtype=bool)
        scored[train] = True
        scored[np.asarray(score_rows)] = True
    scores = np.zeros(table.height) if score_rows is None else np.full(table.height, np.nan)
    for k, model in enumerate(models):
        model.n_threads = None  # predictions pick their own thread count
        at = np.flatnonzero((folds == k) & scored)
        if len(at):
            scores[at] = predict_blocks(model, X[at])
    # A sample of the negatives (and the positives) ranks as they all do: the AUROC on the
    # training rows where only some rows are scored.
    auroc = float(roc_auc_score(y, scores) if score_rows is None else roc_auc_score(y[train], scores[train]))
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


__all__ = ["LINK_STAGE_FEATURES", "MEMBER_REASON_MIN", "MEMBER_SCORE", "PseudoLabelModel", "behaviour_columns",
           "blend",
           "member_behaviour_reason", "pseudo_label_problem", "pseudo_label_scores", "stand_in_reason",
           "with_member_behaviour"]

"""Score every account: out-of-fold XGBoost with labels, the account scorecard without, and
the account's cluster.

* **supervised** — with at least ``min_labelled_accounts`` labelled accounts of both classes,
  XGBoost over the account features, out of fold: each labelled account is scored by a
  model that never saw its label, and folds are grouped (by cluster, else connected
  component; :mod:`syndicate.risk.folds`) so members of one ring never straddle train and
  test. Unlabelled accounts are scored by the model fitted on every label, which is
  returned to be saved. A given model scores every account.
* **unsupervised** — :mod:`syndicate.risk.account_scorecard`, moved towards what the run's own
  high-risk clusters teach (:mod:`syndicate.risk.pseudo_labels`: a model trained out of fold
  on their members as pseudo-labels, weighed by its skill at telling them apart). The clusters'
  scores move towards their members' mean score from that model before members inherit them
  (``AccountScores.clusters``; the run's clusters table takes the moved scores).
* **label-free view** — with labels that train the model, a cluster member's own score also
  moves towards what a run without labels would give it (:func:`with_label_free_view`), and the
  clusters towards their members' mean score from that view's model: a kind of syndicate no
  label covers is not scored as whatever labelled accounts it resembles.
* **cluster** — a member also inherits risk from its cluster: the cluster's risk (label
  evidence included) times the member's attachment (:func:`attachment`: 1 for a member linked
  at least a quarter as strongly as its cluster's median member, less in proportion below).
  The two are combined as independent evidence, ``1 - (1 - own) * (1 - inherited)``
  (:func:`combined_risk`), so the risk is at least either; ``score_source`` is ``cluster``
  when the inherited part is the larger. ``model_score`` keeps the account's own score.

Labels are never features; an account's own label reaches neither its features (its cluster
enters through the label-free ``model_score``) nor, for labelled accounts, its model.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from syndicate.config import RiskConfig
from syndicate.features.account_table import model_columns
from syndicate.risk.account_reasons import account_reasons
from syndicate.risk.account_scorecard import account_scorecard
from syndicate.risk.folds import grouped_stratified_folds
from syndicate.risk.model import FIT_WORKERS, RiskModel, _matrix, account_model, balanced_weights, predict_blocks
from syndicate.risk.pseudo_labels import (MEMBER_REASON_MIN, STAND_IN, PseudoLabelModel, blend,
                                          pseudo_label_scores, with_member_behaviour)
from syndicate.risk.reasons import string_lists

# A member inherits its cluster's whole risk when its weighted degree (all its links, the
# account feature) is at least this share of its cluster's median member's, and
# proportionally less below. Organic accounts that share one rented verification number with
# a farm sit in the farm's cluster with a hundredth of a farm worker's link weight (0.8
# against 50-90 on the third marketplace, benchmarks/third_marketplace.py) and took the
# farm's 0.99; an operator's account bound by one device where its siblings in a small ring
# share a device, a card and an IP still has a third of theirs. Not fitted: a half and a
# tenth gave account average precision within 0.01 of a quarter's on three marketplaces.
# Known cost: in a large dense cluster the median grows with its size, so a worker linked to
# only a few of its siblings inherits less (measured on our generator's 20k demo: 6 bad and
# 71 benign members below 1; account average precision without labels 0.977 -> 0.979).
ATTACHMENT_SHARE = 0.25

HEAD_COLUMNS = ["account_id", "cluster_id", "risk_score", "rank", "score_source", "reasons", "model_score",
                "label"]


@dataclass
class AccountScores:
    """Result of :func:`score_accounts`: the ``accounts`` table (sorted by rank), the model
    fitted on every labelled account (None for the scorecard or a given model), the
    out-of-fold metrics and, where the pseudo-label model moved the clusters' scores, their new
    scores (``clusters``: :func:`syndicate.risk.pseudo_labels.with_member_behaviour`)."""

    frame: pl.DataFrame
    model: RiskModel | None = None
    metrics: dict = field(default_factory=dict)
    clusters: pl.DataFrame | None = None


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
    """Out-of-fold scores of the labelled rows, the model fitted on all of them, metrics.

    The fold models and the final one train two at a time, one thread each: XGBoost releases
    the GIL, and on tens of thousands of rows two single-threaded fits beat one two-threaded
    fit (thread synchronisation dominates small trees: 5x the CPU time on a busy machine).
    """
    import xgboost as xgb
    from sklearn.metrics import average_precision_score, roc_auc_score

    # Classes are balanced by weight: labelled accounts are mostly one class on real platforms.
    w = balanced_weights(y)
    folds = grouped_stratified_folds(y, groups, n_folds=config.n_folds, seed=seed)
    data, names = _matrix(X), list(X.columns)

    def fit(fold: int | None) -> RiskModel:
        rows = np.ones(len(y), dtype=bool) if fold is None else folds != fold
        dtrain = xgb.DMatrix(data[rows], label=y[rows], weight=w[rows], feature_names=names)
        return account_model(config, seed if fold is None else seed + fold).fit_matrix(dtrain)

    with ThreadPoolExecutor(max_workers=FIT_WORKERS) as pool:
        models = list(pool.map(fit, [*range(config.n_folds), None]))
    oof = np.zeros(len(y))
    for f, model in enumerate(models[:-1]):
        oof[folds == f] = model.predict_matrix(data[folds == f])
    final = models[-1]
    final.n_threads = None  # predictions pick their own thread count
    metrics = {"n_labelled_accounts": int(len(y)), "n_positive_accounts": int(y.sum()),
               "n_groups": int(len(np.unique(groups))),
               "oof_auc": float(roc_auc_score(y, oof)), "oof_average_precision": float(average_precision_score(y, oof))}
    final.metadata_["kind"] = "account"
    return oof, final, metrics


def predict_all(model: RiskModel, table: pl.DataFrame) -> np.ndarray:
    """``model``'s score of every row of ``table``, a block at a time (risk.model.predict_blocks)."""
    return predict_blocks(model, _aligned(table, model.feature_names_))


def score_accounts(table: pl.DataFrame, *, cluster_risk: pl.DataFrame, labels: pl.DataFrame | None,
                   groups: np.ndarray, config: RiskConfig | None = None, seed: int = 0,
                   model: RiskModel | None = None, move_clusters: bool = True,
                   label_free_risk: pl.DataFrame | None = None,
                   pseudo_label_risk: pl.DataFrame | None = None) -> AccountScores:
    """Risk, rank, source and reasons of every account (rows of ``table``).

    Parameters
    ----------
    table : DataFrame
        :func:`syndicate.features.account_table.account_feature_table`.
    cluster_risk : DataFrame
        ``cluster_id, risk_score`` (the clusters' risk, label evidence included), and
        ``model_score`` when there is one.
    labels : DataFrame or None
        ``account_id, label``.
    groups : ndarray
        Cross-validation group of each row (rows of one group share a fold).
    model : RiskModel, optional
        A saved account model to score with instead of training.
    move_clusters : bool
        Without any labels, or with labels that train the account model and ``label_free_risk``,
        move the clusters' risk towards their members' pseudo-label score
        (:func:`syndicate.risk.pseudo_labels.with_member_behaviour`; returned as
        ``AccountScores.clusters``) before members inherit it. False for clusters scored by a
        given model (label knowledge) or already moved.
    label_free_risk : DataFrame, optional
        ``cluster_id, risk_score``: the clusters' risk as a run without labels gives it
        (:func:`syndicate.risk.score.label_free_risk`). When the run's labels train the account
        model, members of clusters move towards what that run would give them
        (:func:`with_label_free_view`). Not with a given model: it scores alone.
    pseudo_label_risk : DataFrame, optional
        ``cluster_id, risk_score``: the clusters' risk the pseudo-labels read, where it is not
        ``cluster_risk``'s: a clusters table whose risk a run already moved (members inherit
        that) gives the risk before the move, so that the accounts come out as in the run.
    """
    config = config or RiskConfig()
    if labels is not None and labels.height:
        # A narrow join, then the column added: joining the wide table would copy every feature.
        label = table.select("account_id").join(labels.select("account_id", pl.col("label").cast(pl.Int8)),
                                                on="account_id", how="left", maintain_order="left")["label"]
        table = table.with_columns(label)
    else:
        table = table.with_columns(pl.lit(None, dtype=pl.Int8).alias("label"))
    names = model_columns(table)
    labelled = table["label"].is_not_null().to_numpy()
    y = table["label"].fill_null(0).to_numpy().astype(np.int32)
    fitted, metrics, scorer = None, {}, None
    problem = account_training_problem(y[labelled], np.asarray(groups)[labelled], config)
    if model is not None:
        p, scorer, source = predict_all(model, table), model, "supervised"
    elif problem is None:
        idx = np.flatnonzero(labelled)
        oof, fitted, metrics = fit_account_model(table.select(names)[idx], y[idx], np.asarray(groups)[idx],
                                                 config=config, seed=seed)
        # Every account once by the model fitted on all labels, then the labelled ones out of fold.
        p = predict_all(fitted, table)
        p[idx] = oof
        scorer, source = fitted, "supervised"

    share = attachment(table)
    in_cluster = _risk_of_cluster(table, cluster_risk)
    inherited = in_cluster * share
    pseudo, moved, supervised, metric_key = None, None, None, "pseudo_labels"
    if fitted is not None and label_free_risk is not None:
        supervised, metric_key = p, "label_free_view"
        p, pseudo, why_not = with_label_free_view(table, p, share, label_free_risk, np.asarray(groups),
                                                  config=config, seed=seed)
        metrics[metric_key] = ({"skipped_because": why_not} if pseudo is None else
                               pseudo.metrics | {"accounts_moved": int((np.abs(p - supervised) >= 1e-6).sum())})
    if scorer is None:
        p, indicator_names, terms = account_scorecard(table)
        source = "unsupervised"
        metrics = {"unsupervised_because": problem}
        # The run's own high-risk clusters as pseudo-labels (risk.pseudo_labels): the account's
        # own score moves from the scorecard's towards that model's by half the model's skill.
        judged_by = inherited if pseudo_label_risk is None else _risk_of_cluster(table, pseudo_label_risk) * share
        pseudo, why_not = pseudo_label_scores(table, judged_by, np.asarray(groups), config=config, seed=seed)
        if pseudo is None:
            metrics["pseudo_labels_skipped_because"] = why_not
        else:
            metrics["pseudo_labels"] = pseudo.metrics
            scorecard_p, p = p, blend(p, pseudo)
    # The clusters too: each moves towards its members' mean score, and its members inherit the
    # moved risk. Without labels, or with labels that trained the account model (then from the
    # label-free view, and only the model's part of a labelled cluster's risk). Not with labels
    # too few for that: the pseudo-labels then come from clusters whose risk holds the labels'
    # evidence, which the move would count again.
    if pseudo is not None and move_clusters and (supervised is not None or not labelled.any()):
        # With labels, a cluster whose members' behaviour cannot be read moves towards its
        # label-free risk instead (with_member_behaviour's stand_in).
        moved = with_member_behaviour(cluster_risk, table["cluster_id"], pseudo, taken_over=_taken_over(table),
                                      inactive=_inactive(table),
                                      labelled=labelled, label_prior_strength=config.label_prior_strength,
                                      stand_in=label_free_risk if supervised is not None else None)
        shift = (moved["risk_score"] - cluster_risk["risk_score"]).to_numpy()  # rows kept in order
        metrics[metric_key] |= {"cluster_weight": round(pseudo.cluster_weight, 4),
                                "clusters_raised": int((shift >= MEMBER_REASON_MIN).sum()),
                                "clusters_lowered": int((shift <= -MEMBER_REASON_MIN).sum())}
        if supervised is not None:  # clusters moved by their label-free risk, their members unread
            metrics[metric_key]["clusters_read_by_label_free_risk"] = int(moved[STAND_IN].is_not_null().sum())
        in_cluster = _risk_of_cluster(table, moved)
        inherited = in_cluster * share
    risk = combined_risk(p, inherited)
    frame = table.with_columns(
        pl.Series("model_score", np.round(p, 6)),
        pl.Series("risk_score", np.round(np.clip(risk, 0.0, 1.0), 6)),
        pl.when(pl.Series(inherited > p)).then(pl.lit("cluster")).otherwise(pl.lit(source)).alias("score_source"),
        pl.Series("cluster_risk_score", in_cluster),
        pl.Series("inherited_risk", inherited),
    ).with_row_index("_row")
    # Order by (risk desc, account_id): found on the two key columns, then one gather of the
    # wide frame (sorting the frame itself moves every column through the sort: ~1.5 s at 1M).
    # Rows already in account_id order (the account table's) break ties by row number.
    tie = "_row" if table["account_id"].is_sorted() else "account_id"
    order = frame.select(pl.arg_sort_by(["risk_score", tie], descending=[True, False])).to_series()
    frame = frame[order].with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank"))

    # Reasons for the riskiest accounts, from the contributions of whatever scored them.
    top = frame.head(config.account_reasons_top)
    rows = top["_row"].to_numpy()
    if scorer is not None:
        X_top = _aligned(table[rows], scorer.feature_names_)
        contributions, reason_names = scorer.contributions(X_top)[:, :-1], scorer.feature_names_
        if pseudo is not None:  # the label-free view's part, said as such (account_reasons)
            top = top.with_columns(pl.Series("pseudo_label_score", pseudo.scores[rows], nan_to_null=True),
                                   pl.Series("pseudo_label_part", p[rows] - supervised[rows]),
                                   pl.lit(True).alias("pseudo_label_free_view"))
    elif pseudo is None:
        contributions, reason_names = terms[rows], indicator_names
    else:
        # Both parts in log-odds, each weighed as the scores are blended.
        contributions = np.hstack([terms[rows] * (1 - pseudo.weight),
                                   pseudo.contributions(table, rows) * pseudo.weight])
        reason_names = [*indicator_names, *pseudo.feature_names]
        top = top.with_columns(pl.Series("pseudo_label_score", pseudo.scores[rows]),
                               pl.Series("pseudo_label_part", p[rows] - scorecard_p[rows]))
    reasons = account_reasons(top, reason_names, contributions, top["risk_score"].to_numpy(),
                              n=config.n_reasons)
    # The rest get an empty list, made by polars: a Python list per account costs ~1 s per 50k.
    reasons = string_lists(reasons, "reasons")
    if frame.height > top.height:
        reasons = reasons.append(pl.Series("reasons", [[]], dtype=pl.List(pl.String))
                                 .new_from_index(0, frame.height - top.height))
    frame = frame.with_columns(reasons).drop("_row", "cluster_risk_score", "inherited_risk")
    rest = [c for c in frame.columns if c not in HEAD_COLUMNS]
    return AccountScores(frame=frame.select(*HEAD_COLUMNS, *rest), model=fitted, metrics=metrics, clusters=moved)


def with_label_free_view(table: pl.DataFrame, supervised: np.ndarray, share: np.ndarray,
                         label_free_risk: pl.DataFrame, groups: np.ndarray, *, config: RiskConfig,
                         seed: int) -> tuple[np.ndarray, PseudoLabelModel | None, str | None]:
    """The own scores of accounts a supervised model scored, cluster members moved towards the
    score a run without labels gives them; (scores, that run's pseudo-label model, None), or
    (``supervised``, None, why not) when its pseudo-labels cannot train.

    Labels cover the patterns enforcement has met. A kind of syndicate none of whose accounts
    carry a label is, to a model trained on them, whatever labelled accounts it resembles: the
    twelfth marketplace's vote rings (600 of its 1,200 bad accounts, none labelled at seed 1)
    scored 0.09 on their own with labels and 0.67 without. The clusters' side already keeps a
    scorecard in every score where labels of a family are few (:func:`syndicate.risk.score.
    model_weights`); this is the accounts' side. The run without labels takes the clusters' risk
    from the scorecard alone (``label_free_risk``), its high-risk members as pseudo-labels
    (:mod:`syndicate.risk.pseudo_labels`), and gives each account the scorecard's score moved
    towards that model's (:func:`~syndicate.risk.pseudo_labels.blend`). A cluster member's own
    score moves from the supervised model's towards it by the same weight (half the model's
    Gini on its own pseudo-labels), as the scorecard's does without labels.

    Only cluster members: the label-free view learns from clusters, and a cluster is where a
    pattern no label covers shows as a group. Accounts outside clusters (lone actors,
    ordinary accounts, most labelled accounts) are what labels cover best: on the ninth
    marketplace (review data, lone spammers) moving them too cost 0.10 account average
    precision. Swept on the 47 labelled runs of the test marketplaces (benchmarks/RESULTS.md,
    "Forty-fourth sitting"): account average precision summed +0.268 from this alone (the
    twelfth at seed 1 0.714 -> 0.786; none lower by more than 0.009), +0.335 once the clusters
    also move by the same model (:func:`~syndicate.risk.pseudo_labels.with_member_behaviour`),
    which lifts top-K precision summed by 0.687.
    """
    free_inherited = _risk_of_cluster(table, label_free_risk) * share
    member = table["cluster_id"].is_not_null().to_numpy()
    # Members' scores alone are read (here and in the clusters' means): only they are scored
    # (1M accounts: 0.9 s less).
    pseudo, why_not = pseudo_label_scores(table, free_inherited, groups, config=config, seed=seed,
                                          score_rows=np.flatnonzero(member))
    if pseudo is None:
        return supervised, None, why_not
    free = blend(account_scorecard(table)[0], pseudo)
    return np.where(member, supervised + pseudo.weight * (free - supervised), supervised), pseudo, None


def combined_risk(own: np.ndarray, inherited: np.ndarray) -> np.ndarray:
    """An account's risk from its own score and what it inherits from its cluster, combined as
    independent evidence (noisy-or): ``1 - (1 - own) * (1 - inherited)``, at least either.

    The account's own score reads its behaviour; the cluster's reads what binds the group (the
    links, the group's co-action, its creation burst). Taking only the larger of the two threw
    one away: a review-ring member whose own score is 0.3 and whose cluster is 0.4 stayed below
    singletons at 0.5 (the sixth marketplace without labels, benchmarks/sixth_marketplace.py).
    Measured on 23 folders of seven generators (account average precision, max -> noisy-or;
    no folder lower by more than 0.001): 0.819 -> 0.861 (sixth, no labels), 0.658 -> 0.692
    (seventh, no labels), 0.933 -> 0.961 (fourth s2, no labels); with labels 0.839 -> 0.862
    (seventh), 0.951 -> 0.962 (sixth); the review site (``--scenario reviews``) 0.705 -> 0.771.
    A benign member inherits its cluster's low risk and keeps about its own score.
    """
    own = np.clip(np.asarray(own, dtype=np.float64), 0.0, 1.0)
    inherited = np.clip(np.asarray(inherited, dtype=np.float64), 0.0, 1.0)
    return 1.0 - (1.0 - own) * (1.0 - inherited)


def attachment(table: pl.DataFrame) -> np.ndarray:
    """How much of its cluster's risk each row's account inherits: its weighted degree over
    ``ATTACHMENT_SHARE`` times its cluster's median member's, at most 1. Rows outside a
    cluster, clusters whose median member has no link weight (found by behaviour alone) and
    tables without ``weighted_degree`` give 1."""
    if "weighted_degree" not in table.columns or "cluster_id" not in table.columns:
        return np.ones(table.height)
    degree = pl.col("weighted_degree").cast(pl.Float64).fill_null(0.0).fill_nan(0.0)
    typical = degree.median().over("cluster_id") * ATTACHMENT_SHARE
    share = pl.when(pl.col("cluster_id").is_null() | (typical <= 0)).then(1.0).otherwise((degree / typical).clip(0.0, 1.0))
    # An infinite degree (never from the link stage) would make inf / inf: count it as attached.
    return np.nan_to_num(table.select(share.alias("attachment"))["attachment"].to_numpy(), nan=1.0)


def _taken_over(table: pl.DataFrame) -> np.ndarray | None:
    """Rows of accounts taken over in a wave (``takeover_strength`` > 0, features/takeover.py), or
    None when the table has no such column."""
    if "takeover_strength" not in table.columns:
        return None
    return (table["takeover_strength"].fill_null(0.0) > 0).to_numpy()


def _inactive(table: pl.DataFrame) -> np.ndarray | None:
    """Rows of accounts without any event in the data (``n_events`` 0 or missing), or None when
    no account has one (a dataset without events: its behaviour features say nothing, the
    clusters' scores move by whatever the model learnt, as they did before)."""
    if "n_events" not in table.columns:
        return None
    inactive = (table["n_events"].fill_null(0) <= 0).to_numpy()
    return None if inactive.all() else inactive


def _risk_of_cluster(table: pl.DataFrame, cluster_risk: pl.DataFrame) -> np.ndarray:
    """Each row's cluster's ``risk_score`` (0 outside a cluster)."""
    return table.select("cluster_id").join(
        cluster_risk.select("cluster_id", pl.col("risk_score").alias("cluster_risk_score")),
        on="cluster_id", how="left", maintain_order="left")["cluster_risk_score"].fill_null(0.0).to_numpy()


def _aligned(table: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """``names`` from ``table``; features the data lacks (an action it never has) are missing."""
    return table.select(pl.col(n) if n in table.columns else pl.lit(None, dtype=pl.Float64).alias(n)
                        for n in names)


__all__ = ["AccountScores", "attachment", "combined_risk", "account_training_problem", "fit_account_model", "predict_all",
           "score_accounts", "with_label_free_view"]

"""Score clusters: out-of-fold XGBoost when labels allow, a scorecard when they do not,
then label evidence as pseudo-counts.

Why labels are not model features: the training target is made from the labels, so a model
that sees ``known_bad_share`` learns nothing else and scores every unlabelled cluster as if it
were labelled good. Instead the model learns what syndicates look like from their structure
and behaviour, and each cluster's own labels then update that score like a Beta prior:

    risk = (k * p + r * bad + (1 - r) * good) / (k + bad + good)

with k = ``label_prior_strength`` pseudo-members for the model score p and r the reliability
of a label; a cluster's n labels count as sqrt(n) (:func:`label_posterior`: labels of one
cluster come from one sweep, not n independent looks). A cluster carrying little label
evidence keeps mostly its model score; one wrong label on a household cannot put it at the top.

Other clusters' labels reach a cluster two ways: through the model trained on them, and,
where the scorecard weighs, through its labelled look-alikes (:func:`lookalike_labels`). The
look-alikes are label evidence like the cluster's own: they move ``risk_score``, not
``model_score`` (which account features read as the cluster's risk before its labels).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from syndicate.config import RiskConfig
from syndicate.features.clusters import LOOKALIKE_FEATURES, model_feature_names
from syndicate.risk.folds import sklearn_stratified_group_folds
from syndicate.risk.model import FIT_WORKERS, SINGLE_THREAD_ROWS, RiskModel
from syndicate.risk.unsupervised import EVIDENCE_MASS, logit, scorecard


@dataclass
class Scores:
    """Result of :func:`score_clusters`.

    frame: cluster_id, model_score, risk_score (in [0, 1]), score_source, and the label evidence
    of the cluster's labelled look-alikes (``LOOKALIKE_FEATURES``: lookalike_good, lookalike_bad).
    contributions: per-cluster contributions (rows aligned with ``frame``) of ``names``.
    model: the model fitted on every labelled cluster (None for the scorecard or a given model).
    metrics: out-of-fold metrics on the labelled clusters, where there were any.
    """

    frame: pl.DataFrame
    names: list[str]
    contributions: np.ndarray
    model: RiskModel | None = None
    metrics: dict = field(default_factory=dict)


def cluster_targets(features: pl.DataFrame, config: RiskConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labelled mask, target, sample weight) of each cluster from its members' labels.

    A cluster is a positive when most of its labelled members are confirmed bad (and more than
    one is: a lone bad label is no training example). Its weight grows with the number of
    labelled members (up to five) and shrinks when they disagree.
    """
    n, share = _label_counts(features)
    # A cluster whose only label is one confirmed-bad member trains nothing: that account is
    # bad, but whether it is one of a syndicate or a lone actor among its family, flatmates or
    # carrier-NAT neighbours its one label cannot say. On a seventh marketplace whose review
    # ring members were labelled one by one, each sitting on a household's IP (residential
    # proxies), 87 clusters were positives this way and 60 of them were not syndicates: the
    # model learned that small IP clusters are rings (16 of the top 32). Its label still
    # moves its own score (label_posterior).
    labelled = (n > 0) & ~lone_bad_label(features)
    target = ((share > 0.5) & labelled).astype(np.int32)
    weight = np.maximum(label_strength(features), 0.05)
    # Mean 1 over labelled clusters, so XGBoost's hessian-based limits keep their meaning.
    if labelled.any():
        weight = weight / weight[labelled].mean()
    return labelled, target, weight


def label_strength(features: pl.DataFrame) -> np.ndarray:
    """How fully and unanimously each cluster is labelled, in [0, 1]: its labelled members up to
    five, times how far their bad share is from a tie (``|2 * share - 1|``)."""
    n, share = _label_counts(features)
    return np.minimum(n, 5) / 5 * np.abs(2 * share - 1)


def _label_counts(features: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each cluster's labelled members and the share of them confirmed bad (0 without any)."""
    bad = features["n_known_bad"].to_numpy().astype(np.float64)
    n = bad + features["n_known_good"].to_numpy().astype(np.float64)
    return n, np.divide(bad, n, out=np.zeros_like(bad), where=n > 0)


def lone_bad_label(features: pl.DataFrame) -> np.ndarray:
    """Clusters whose only label is one confirmed-bad member (no training example:
    :func:`cluster_targets`)."""
    return ((features["n_known_bad"].to_numpy() == 1) & (features["n_known_good"].to_numpy() == 0))


def model_weights(features: pl.DataFrame, labelled: np.ndarray, target: np.ndarray, config: RiskConfig) -> np.ndarray:
    """How much each cluster's score trusts the trained model over the scorecard:
    ``w = n / (n + scorecard_pseudo_clusters)``, n the labelled clusters of the rarer class
    among those bound by the same family of evidence (:func:`evidence_family`).

    A model trained on a few dozen labelled clusters knows only the patterns among them. Per
    family, because labels rarely cover them all: enforcement that labelled farms and matrix
    rings but no review ring teaches a model that clusters bound by rare co-action are what
    the labelled campuses were (good); the model then scored a third marketplace's review rings
    0.4 and a fifth's hijacked botnets (their members labelled good before the takeover) below
    households. Where labels of both classes bind clusters the same way, the model has learned
    that pattern and weighs as much as the labels allow.
    """
    if config.scorecard_pseudo_clusters == 0:
        return np.ones(features.height)
    family = evidence_family(features)
    n = np.zeros(features.height)
    for f in np.unique(family):
        mine = family == f
        positives = float(target[labelled & mine].sum())
        n[mine] = min(positives, float((labelled & mine).sum()) - positives)
    return n / (n + config.scorecard_pseudo_clusters)


# What binds a cluster, in families a model learns apart: a pool of devices, cards, phones or
# e-mails; shared places (IPs, addresses); the links table; lockstep; rare co-action. The
# evidence columns (shares of the cluster's link evidence) of each.
EVIDENCE_FAMILIES: dict[str, tuple[str, ...]] = {
    "identifiers": ("evidence_device", "evidence_payment", "evidence_phone", "evidence_email", "evidence_other"),
    "places": ("evidence_ip", "evidence_address"),
    "given": ("evidence_given",),
    "lockstep": ("evidence_lockstep",),
    "rare_coaction": ("evidence_rare_coaction",),
    "rating_burst": ("evidence_rating_burst",),
}


# Labelled look-alikes read per cluster: those at the nearest this many points of labelled
# clusters by the scorecard's points, besides its own point (farther ones weigh little at one
# logit apart).
LOOKALIKE_NEIGHBOURS = 10
# The scorecard indicator naming the look-alikes' pull in the reasons (the columns behind it:
# LOOKALIKE_FEATURES, label evidence of the look-alikes of each class in clusters labelled
# throughout).
LOOKALIKE = "lookalike_labels"


def lookalike_labels(points: np.ndarray, labelled: np.ndarray, target: np.ndarray, strength: np.ndarray,
                     config: RiskConfig) -> tuple[np.ndarray, np.ndarray]:
    """(good, bad): the label evidence of each cluster's labelled look-alikes, per class.

    ``points`` are the scorecard's points of every cluster (logit scale, one column per
    indicator). A cluster's look-alikes are the labelled clusters at the
    :data:`LOOKALIKE_NEIGHBOURS` nearest points other than its own, and the other labelled
    clusters at its own point (identical points are one point, whatever their order or ids);
    each weighs ``exp(-(d / lookalike_logit)^2)`` (``d`` the Euclidean distance of the points)
    times its :func:`label_strength`. A cluster is no look-alike of itself: its own labels enter
    through :func:`label_posterior`.

    Why: where no labelled cluster of the other class is bound the same way
    (:func:`model_weights`), the scorecard decides, and it scores alike every cluster that shows
    the same signs — the twenty-second marketplace's 25 group-buying circles (friends joining
    the same deal within minutes) at 0.87-0.99 beside its brushing rings, though enforcement had
    reviewed seven of them and found them good. A model trained on those labels would clear
    every ring bound that way; the look-alikes clear only what the scorecard cannot tell from
    clusters labels cleared (and raise what it cannot tell from confirmed rings).
    """
    m = len(points)
    pool = np.flatnonzero(labelled & (strength > 0))
    if config.lookalike_strength == 0 or not len(pool):
        return np.zeros(m), np.zeros(m)
    from sklearn.neighbors import NearestNeighbors

    # Labelled clusters with the same points are one point carrying all their label evidence.
    unique, at = np.unique(points[pool], axis=0, return_inverse=True)
    at = at.reshape(-1)
    held = np.bincount(at, weights=strength[pool], minlength=len(unique))
    held_bad = np.bincount(at, weights=strength[pool] * target[pool], minlength=len(unique))
    k = min(LOOKALIKE_NEIGHBOURS + 1, len(unique))
    distance, index = NearestNeighbors(n_neighbors=k).fit(unique).kneighbors(points)
    # A cluster at a labelled point (its twin point) reads it beside the nearest others; one
    # without reads the nearest LOOKALIKE_NEIGHBOURS. Its own labels leave its own point.
    twin = np.all(unique[index[:, 0]] == points, axis=1)
    read = np.ones(distance.shape, dtype=bool)
    if k > LOOKALIKE_NEIGHBOURS:
        read[~twin, -1] = False
    own, own_bad = np.zeros(m), np.zeros(m)
    own[pool], own_bad[pool] = strength[pool], strength[pool] * target[pool]
    evidence, evidence_bad = held[index], held_bad[index]
    evidence[:, 0] = np.maximum(evidence[:, 0] - np.where(twin, own, 0.0), 0.0)
    evidence_bad[:, 0] = np.maximum(evidence_bad[:, 0] - np.where(twin, own_bad, 0.0), 0.0)
    weight = np.exp(-(distance / config.lookalike_logit) ** 2) * read
    bad = (weight * evidence_bad).sum(axis=1)
    return np.maximum((weight * evidence).sum(axis=1) - bad, 0.0), bad


def lookalike_posterior(card: np.ndarray, good: np.ndarray, bad: np.ndarray, config: RiskConfig) -> np.ndarray:
    """The scorecard's score updated by its look-alikes' labels (:func:`lookalike_labels`) as
    pseudo-counts, its own verdict counting as ``lookalike_strength`` clusters."""
    k = config.lookalike_strength
    if k == 0:
        return card
    return (k * card + bad) / (k + good + bad)


def _lookalike_move(card: np.ndarray, points: np.ndarray, features: pl.DataFrame, labelled: np.ndarray,
                   target: np.ndarray, config: RiskConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scorecard's scores after their labelled look-alikes' labels, the pull (logit scale:
    one more contribution for the reasons) and the (good, bad) evidence, one row a cluster."""
    good, bad = lookalike_labels(points, labelled, target, label_strength(features), config)
    moved = lookalike_posterior(card, good, bad, config)
    return moved, logit(moved) - logit(card), np.column_stack([good, bad])


def evidence_family(features: pl.DataFrame) -> np.ndarray:
    """Index (into :data:`EVIDENCE_FAMILIES`) of the family carrying most of each cluster's
    link evidence (the first on a tie; columns a table lacks count 0)."""
    def share(cols: tuple[str, ...]) -> np.ndarray:
        present = [pl.col(c).cast(pl.Float64).fill_null(0).fill_nan(0) for c in cols if c in features.columns]
        if not present:
            return np.zeros(features.height)
        return features.select(pl.sum_horizontal(present)).to_series().to_numpy()

    return np.argmax(np.column_stack([share(cols) for cols in EVIDENCE_FAMILIES.values()]), axis=1)


def evidence_mass(features: pl.DataFrame) -> np.ndarray:
    """:data:`~syndicate.risk.unsupervised.EVIDENCE_MASS` of each cluster (0 without link
    figures)."""
    return features.select(EVIDENCE_MASS.fill_null(0.0)).to_series().to_numpy()


def evidence_weighted(p: np.ndarray, features: pl.DataFrame, config: RiskConfig) -> np.ndarray:
    """Shrink each score toward ``evidence_prior`` by how little evidence the cluster carries:
    ``prior + c * (p - prior)`` with credibility ``c = mass / (mass + evidence_half)``.

    A model sees a pair on one home IP and a ring of six on one device created within a day as
    look-alikes when its features are shares and ratios; the amount of evidence is what tells
    them apart, and a thinly bound cluster must not outrank a well-evidenced one.
    """
    if "n_edges" not in features.columns or "mean_edge_weight" not in features.columns:
        return p
    mass = evidence_mass(features)
    credibility = mass / (mass + config.evidence_half)
    return config.evidence_prior + credibility * (p - config.evidence_prior)


def label_free_risk(features: pl.DataFrame, config: RiskConfig) -> np.ndarray:
    """Each cluster's risk as a run without labels gives it (:func:`score_clusters` with no label
    and no model): the scorecard's score shrunk by how little evidence the cluster carries. With
    labels, the accounts stage reads it for a second view of the accounts
    (:func:`syndicate.risk.accounts.with_label_free_view`)."""
    if features.height == 0:
        return np.zeros(0)
    return evidence_weighted(scorecard(features)[0], features, config)


def label_posterior(model_score: np.ndarray, bad: np.ndarray, good: np.ndarray, config: RiskConfig) -> np.ndarray:
    """The risk score: the model (or scorecard) score ``p`` updated by the cluster's own labels
    as pseudo-counts (see the module docstring), its ``n = bad + good`` labels counting as
    ``sqrt(n)`` in their proportions.

    The labels of one cluster's members are not independent looks at it: one enforcement
    sweep or review confirmed them together, at one time. A botnet of hijacked accounts
    carries the "good" labels its owners earned before the takeover (16 of 34 members on a
    sixth marketplace: counted one by one they pulled a 0.77 score to 0.23 and under
    households); a ring's bad labels come from one investigation. So evidence grows with the
    square root of their number, as the precision of a mean of correlated looks does: one
    label counts as one (a household's single wrong label moves it as much as before), four as
    two, sixteen as four.
    """
    k, r = config.label_prior_strength, config.label_reliability
    n = bad + good
    effective = np.divide(np.sqrt(n), n, out=np.zeros(np.shape(n), dtype=np.float64), where=n > 0)
    bad, good = bad * effective, good * effective
    return (k * model_score + r * bad + (1 - r) * good) / (k + bad + good)


def training_problem(labelled: np.ndarray, target: np.ndarray, groups: np.ndarray | None,
                     config: RiskConfig, *, lone: int = 0) -> str | None:
    """Why the labelled clusters cannot train a cross-validated model, or None when they can:
    enough labelled clusters, of both classes, in at least ``n_folds`` CV groups. ``lone``:
    clusters left out of training for their one bad label (said in the message)."""
    positives = int(target[labelled].sum())
    negatives = int(labelled.sum()) - positives
    need = max(config.min_per_class, config.n_folds)
    n_groups = len(np.unique(np.asarray(groups)[labelled])) if groups is not None else int(labelled.sum())
    if labelled.sum() < config.min_labelled_clusters or min(positives, negatives) < need:
        left_out = (f" {lone} cluster(s) whose only label is one confirmed-bad member do not count: one "
                    "bad account does not say its cluster is a syndicate." if lone else "")
        return (f"training needs at least {config.min_labelled_clusters} labelled clusters with at least "
                f"{need} of each class (risk.min_labelled_clusters, risk.min_per_class, risk.n_folds). "
                f"Got {int(labelled.sum())} labelled clusters: {positives} bad, {negatives} good.{left_out}")
    if n_groups < config.n_folds:
        return (f"the labelled clusters fall in {n_groups} connected component(s) or parts, fewer than the "
                f"{config.n_folds} cross-validation folds (risk.n_folds).")
    return None


def score_clusters(
    features: pl.DataFrame,
    *,
    config: RiskConfig | None = None,
    seed: int = 0,
    model: RiskModel | None = None,
    groups: np.ndarray | None = None,
) -> Scores:
    """Risk score of every cluster (rows of ``features``, which must be sorted by cluster_id).

    With ``model``, that model scores every cluster. Otherwise, when enough clusters carry
    labels of both classes, XGBoost is trained out-of-fold: each labelled cluster is scored by
    a model that never saw it (folds grouped by ``groups``, e.g. the connected component or
    its part (``pipeline.fold_units``), so pieces of one never straddle train and test), and unlabelled clusters by the
    model fitted on every labelled cluster (which is also returned, to be saved and reused).
    Otherwise the unsupervised scorecard scores them.
    """
    config = config or RiskConfig()
    labelled, target, weight = cluster_targets(features, config)
    names = model_feature_names(features)
    X = features.select(names)
    fitted, metrics = None, {}
    # The score with the scorecard's part moved by its labelled look-alikes (label evidence, as
    # the cluster's own labels: in the risk score, not in the model score), and their evidence.
    looked, lookalikes = None, np.zeros((features.height, 2))

    if model is not None:
        p = model.predict_proba(X)
        names = model.feature_names_
        contributions = explain(X.select(names), p, [(model, np.arange(X.height))], config.exact_reasons_top)
        source = "model"
    elif training_problem(labelled, target, groups, config) is None:
        p, scored_by, metrics, fitted = _out_of_fold(X, labelled, target, weight, groups, config, seed)
        contributions = explain(X, p, scored_by, config.exact_reasons_top)
        source = "model_oof"
        # Mixed with the scorecard's prior knowledge (model_weights): a new ring of forty
        # accounts on one card created within hours looks like nothing a model trained on
        # other patterns has seen, while the scorecard encodes what any operator's pool
        # looks like.
        w = model_weights(features, labelled, target, config)
        if (w < 1).any():
            card, card_names, card_terms = scorecard(features)
            moved, pull, lookalikes = _lookalike_move(card, card_terms, features, labelled, target, config)
            looked = w * p + (1.0 - w) * moved
            p = w * p + (1.0 - w) * card
            # Reasons follow what decided each score: the model's contributions where it
            # weighs at least half, the scorecard's points (and its look-alikes' pull) where
            # the scorecard does.
            contributions = np.hstack([np.where(w[:, None] >= 0.5, contributions, 0.0),
                                       np.where(w[:, None] < 0.5, np.column_stack([card_terms, pull]), 0.0)])
            names = [*names, *card_names, LOOKALIKE]
    else:
        p, names, contributions = scorecard(features)
        if labelled.any():  # too few labels to train a model on, enough to tell look-alikes apart
            looked, pull, lookalikes = _lookalike_move(p, contributions, features, labelled, target, config)
            contributions, names = np.column_stack([contributions, pull]), [*names, LOOKALIKE]
        source = "unsupervised"

    p = evidence_weighted(p, features, config)
    bad = features["n_known_bad"].to_numpy().astype(np.float64)
    good = features["n_known_good"].to_numpy().astype(np.float64)
    risk = label_posterior(p if looked is None else evidence_weighted(looked, features, config), bad, good, config)
    frame = pl.DataFrame({
        "cluster_id": features["cluster_id"],
        "model_score": np.round(p, 6),
        "risk_score": np.round(np.clip(risk, 0.0, 1.0), 6),
        # Per cluster: out-of-fold for labelled clusters, the all-labels model for the rest.
        "score_source": np.where(labelled, "model_oof", "model") if source == "model_oof"
                        else [source] * features.height,
        **{name: np.round(lookalikes[:, i], 6) for i, name in enumerate(LOOKALIKE_FEATURES)},
    })
    return Scores(frame=frame, names=names, contributions=contributions, model=fitted, metrics=metrics)


def explain(X: pl.DataFrame, p: np.ndarray, scored_by: list[tuple[RiskModel, np.ndarray]],
            exact_top: int) -> np.ndarray:
    """Per-feature contributions of each cluster from the model that scored it.

    The ``exact_top`` highest-scoring clusters (the ones people read first) get exact TreeSHAP
    values; the rest the fast path approximation, which orders features much the same.
    """
    contributions = np.zeros((X.height, X.width))
    top = np.zeros(X.height, dtype=bool)
    top[np.argsort(-p, kind="stable")[:exact_top]] = True

    def explain_rows(model: RiskModel, rows: np.ndarray) -> None:
        for exact in (False, True):
            idx = rows[top[rows] == exact]
            if len(idx):
                contributions[idx] = model.contributions(X[idx], exact=exact)[:, :-1]

    if len(scored_by) > 1 and X.height < SINGLE_THREAD_ROWS:
        # One XGBoost thread each (few rows): the models explain their rows two at a time
        # (XGBoost releases the GIL; each model's rows are its own, the values those of a call
        # on its own).
        with ThreadPoolExecutor(max_workers=FIT_WORKERS) as pool:
            list(pool.map(lambda job: explain_rows(*job), scored_by))
    else:
        for model, rows in scored_by:
            explain_rows(model, rows)
    return contributions


def new_model(config: RiskConfig, seed: int) -> RiskModel:
    return RiskModel(n_estimators=config.n_estimators, max_depth=config.max_depth,
                     learning_rate=config.learning_rate, seed=seed)


def cross_validate(X: pl.DataFrame, y: np.ndarray, w: np.ndarray, groups: np.ndarray,
                   config: RiskConfig, seed: int):
    """Grouped, stratified K-fold over labelled rows.

    Returns (out-of-fold probabilities, fold of each row, the fold models, the model fitted
    on every row). Folds never split a group (e.g. a connected component or a dataset); they
    are scikit-learn's ``StratifiedGroupKFold(shuffle=True)`` folds, bit for bit
    (:func:`syndicate.risk.folds.sklearn_stratified_group_folds`).

    Below ``SINGLE_THREAD_ROWS`` rows each model trains on one thread, so the fold models and
    the final one train two at a time (XGBoost releases the GIL); each model's bits are those
    of a fit on its own.
    """
    fold_of = sklearn_stratified_group_folds(y, groups, n_folds=config.n_folds, seed=seed).astype(np.int32)

    def fit(fold: int | None) -> RiskModel:
        if fold is None:
            return new_model(config, seed).fit(X, y, sample_weight=w)
        train = np.flatnonzero(fold_of != fold)
        return new_model(config, seed + fold).fit(X[train], y[train], sample_weight=w[train])

    jobs = [*range(config.n_folds), None]
    if len(y) < SINGLE_THREAD_ROWS:
        with ThreadPoolExecutor(max_workers=FIT_WORKERS) as pool:
            fitted = list(pool.map(fit, jobs))
    else:  # each fit uses both cores already
        fitted = [fit(job) for job in jobs]
    models, final = fitted[:-1], fitted[-1]
    oof = np.zeros(len(y))
    for fold, model in enumerate(models):
        test = np.flatnonzero(fold_of == fold)
        oof[test] = model.predict_proba(X[test])
    return oof, fold_of, models, final


def _out_of_fold(X, labelled, target, weight, groups, config: RiskConfig, seed: int):
    from sklearn.metrics import average_precision_score, roc_auc_score

    n = X.height
    groups = np.arange(n) if groups is None else np.asarray(groups)
    p = np.zeros(n)
    idx_l = np.flatnonzero(labelled)
    oof, fold_of, models, final = cross_validate(X[idx_l], target[idx_l], weight[idx_l], groups[idx_l],
                                                 config, seed)
    p[idx_l] = oof
    scored_by = [(model, idx_l[fold_of == fold]) for fold, model in enumerate(models)]
    idx_u = np.flatnonzero(~labelled)
    if len(idx_u):
        p[idx_u] = final.predict_proba(X[idx_u])
        scored_by.append((final, idx_u))
    y, w = target[labelled], weight[labelled]
    metrics = {
        "n_labelled_clusters": int(labelled.sum()),
        "n_positive_clusters": int(y.sum()),
        "oof_auc": float(roc_auc_score(y, p[labelled], sample_weight=w)),
        "oof_average_precision": float(average_precision_score(y, p[labelled], sample_weight=w)),
    }
    return p, scored_by, metrics, final

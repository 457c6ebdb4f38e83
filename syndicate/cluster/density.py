"""Behaviour clusters: HDBSCAN over per-account behaviour features.

Catches groups that share no identifier — engagement farms run on separate devices — by
the way they act: the same targets, the same rhythm, the same age. HDBSCAN finds groups of
any shape and leaves ordinary users as noise, but it costs far more than linear time
(PERFORMANCE.md: 26 s at 25k rows, 77 s at 50k in 16 dimensions), so it runs on a bounded,
deterministically chosen set of accounts in a few dimensions:

1. accounts with at least ``hdbscan_min_events`` events (fewer give no behaviour profile);
2. of those, the caller's ``candidates`` if given (e.g. accounts with lockstep evidence),
   and at most ``hdbscan_max_accounts``, highest :func:`coordination_score` first;
3. a curated set of behaviour features (log-transformed where skewed, robust-scaled) plus,
   when events are given, a ``hdbscan_target_dims``-dimensional embedding of the
   account × target matrix (TF-IDF + truncated SVD) so accounts acting on the same targets
   land close together.

The ``hdbscan`` package is used rather than ``sklearn.cluster.HDBSCAN``: same algorithm and
parameters, 1.3–1.6x faster on 25k rows of these 21 dimensions (6.3 s vs 8.4 s with
min_samples 5, 5.4 s vs 8.6 s with 10; ``benchmarks/bench_hdbscan.py``), same memory.
"""

from __future__ import annotations

import sys
import warnings
from concurrent.futures import Executor, Future

import numpy as np
import polars as pl
import scipy.sparse as sp

from syndicate.cluster.hdbscan_fit import CHILD_MIN_ROWS, ChildFit, hdbscan_labels
from syndicate.config import ClusterConfig, LockstepConfig

# Features fed to HDBSCAN (when present). Chosen for telling operated accounts from people,
# one or two per family, so the space stays low-dimensional: timing rhythm, target choice,
# engagement-only action mix and age / batch creation. Volume (n_events) is left out: a
# farm's busy and idle workers are the same farm.
CLUSTER_FEATURES = (
    "gap_cv", "median_gap_s", "rapid_gap_share", "hour_entropy",
    "top_target_share", "distinct_target_ratio", "mean_log_target_popularity",
    "rare_target_share", "burst_share", "age_days", "creation_burst", "first_event_delay_days",
    "engagement_share",
)
# Heavy-tailed positive features are compared on a log scale (a 10 s vs 100 s gap matters
# as much as 1 h vs 10 h).
LOG_FEATURES = frozenset({"median_gap_s", "age_days", "creation_burst", "first_event_delay_days",
                          "n_events", "n_active_days", "events_per_active_day"})
ENGAGEMENT_ACTIONS = LockstepConfig().actions  # the engagement actions lockstep links count
# Scaled values are clipped here: one extreme feature should make an account noise, not
# dominate every distance.
CLIP = 8.0
# The target embedding rows have length <= 1 (share of the account's TF-IDF profile the top
# components explain). This weight makes two accounts on disjoint target sets about as far
# apart (sqrt(2) * 3 ≈ 4.2) as two ordinary accounts typically are over a dozen
# robust-scaled behaviour features, so neither block drowns the other.
EMBEDDING_WEIGHT = 3.0


def engagement_share(features: pl.DataFrame) -> pl.Expr:
    cols = [f"action_{a}" for a in ENGAGEMENT_ACTIONS if f"action_{a}" in features.columns]
    return (pl.sum_horizontal(cols) if cols else pl.lit(0.0)).alias("engagement_share")


# Features unknown where an account's creation time is a stamp (syndicate.asof.known_creation):
# such an account stands at the typical value (0 once scaled), not at "made today".
UNKNOWN_AT_TYPICAL = frozenset({"age_days", "creation_burst", "first_event_delay_days"})


def scaled_matrix(features: pl.DataFrame) -> np.ndarray:
    """Float64 matrix of ``features`` (numeric columns only): log1p on heavy-tailed columns,
    then (x - median) / IQR per column (std, then 1, where the IQR is 0), clipped to ±CLIP.
    Nulls are 0 before scaling, but in :data:`UNKNOWN_AT_TYPICAL` the median after it."""
    unknown = [c for c in features.columns if c in UNKNOWN_AT_TYPICAL and features[c].null_count()]

    def filled(c: str, expr: pl.Expr) -> pl.Expr:  # unknown stays NaN until it is scaled
        return expr.fill_null(np.nan) if c in unknown else expr.fill_null(0.0).fill_nan(0.0)

    x = features.select(
        filled(c, pl.col(c).cast(pl.Float64).clip(lower_bound=0).log1p() if c in LOG_FEATURES
               else pl.col(c).cast(pl.Float64))
        for c in features.columns
    ).to_numpy().astype(np.float64, copy=True)
    if len(x) == 0:
        return x
    with warnings.catch_warnings():  # a column of none known: NaN, then the 0 below
        warnings.simplefilter("ignore", RuntimeWarning)
        q1, med, q3 = np.nanpercentile(x, [25, 50, 75], axis=0) if unknown else np.percentile(x, [25, 50, 75], axis=0)
        std = np.nanstd(x, axis=0) if unknown else x.std(axis=0)
    scale = q3 - q1
    scale = np.where(scale > 1e-12, scale, np.where(std > 1e-12, std, 1.0))
    scaled = np.clip((x - med) / scale, -CLIP, CLIP)
    if unknown:
        scaled = np.nan_to_num(scaled, nan=0.0)
    return scaled


def coordination_score(features: pl.DataFrame) -> pl.Series:
    """How operated an account looks, in [0, 1]: the mean percentile rank of signs that
    accounts act under one hand — acting on targets in bursts with others, created in a
    batch, young, quick to start, fast and regular, on targets few others touch. Used only to
    choose which accounts HDBSCAN sees when there are more than it can take."""
    signs = {"burst_share": True, "creation_burst": True, "age_days": False,
             "first_event_delay_days": False, "rapid_gap_share": True, "gap_cv": False,
             "rare_target_share": True}
    ranks = [
        (pl.col(c).rank("average", descending=not high) / pl.len())
        for c, high in signs.items() if c in features.columns
    ]
    if not ranks:
        return pl.Series("coordination_score", [0.0] * features.height)
    return features.select(pl.mean_horizontal(ranks).alias("coordination_score")).to_series()


def select_accounts(features: pl.DataFrame, *, config: ClusterConfig,
                    candidates: pl.Series | None = None) -> pl.DataFrame:
    """The rows HDBSCAN runs on, sorted by account_id (deterministic, independent of row order)."""
    pool = features
    if "n_events" in pool.columns:
        pool = pool.filter(pl.col("n_events") >= config.hdbscan_min_events)
    if candidates is not None:
        pool = pool.filter(pl.col("account_id").is_in(candidates.cast(pl.String).implode()))
    if pool.height > config.hdbscan_max_accounts:
        # Ties (identical scores) go to the smaller id, never to input order.
        pool = (
            pool.with_columns(coordination_score(pool))
            .sort(["coordination_score", "account_id"], descending=[True, False])
            .head(config.hdbscan_max_accounts)
            .drop("coordination_score")
        )
    return pool.sort("account_id")


def target_embedding(events: pl.DataFrame, account_ids: pl.Series, *, n_components: int,
                     seed: int = 0) -> np.ndarray:
    """Rows (in ``account_ids`` order, which must be sorted) of a truncated SVD of the
    TF-IDF-weighted account × target incidence matrix.

    Only targets that two or more of these accounts touch are kept: a target one account
    touches says nothing about who acts together. TF-IDF damps viral targets everyone
    touches. Rows have length <= 1; accounts sharing no target with others sit at 0.
    """
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfTransformer

    n = len(account_ids)
    out = np.zeros((n, n_components))
    if n == 0 or n_components == 0:
        return out
    codes = pl.DataFrame({"account_id": account_ids}).with_row_index("row")
    pairs = (
        events.select("account_id", "target_id").join(codes, on="account_id")
        .unique(["row", "target_id"])
    )
    shared = pairs.group_by("target_id").agg(pl.len().alias("k")).filter(pl.col("k") >= 2)
    pairs = pairs.join(shared.select("target_id"), on="target_id")
    if pairs.height == 0:
        return out
    targets = shared.select("target_id").sort("target_id").with_row_index("col")
    pairs = pairs.join(targets, on="target_id")
    rows, cols = pairs["row"].to_numpy(), pairs["col"].to_numpy()
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, targets.height))
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(matrix)
    k = min(n_components, min(tfidf.shape) - 1)
    if k < 1:
        return out
    svd = TruncatedSVD(n_components=k, random_state=seed, algorithm="randomized", n_iter=7)
    # A pool whose profiles have no variance (a handful of accounts on one target) makes
    # scikit-learn divide 0 by 0 for the explained-variance ratio, which is not used here.
    with np.errstate(divide="ignore", invalid="ignore"):
        emb = svd.fit_transform(tfidf)
    # Fix each component's sign (SVD signs are arbitrary) so the output is canonical.
    signs = np.sign(emb[np.abs(emb).argmax(axis=0), np.arange(k)])
    out[:, :k] = emb * np.where(signs == 0, 1, signs)
    return out


def clustering_matrix(pool: pl.DataFrame, *, config: ClusterConfig, seed: int = 0,
                      events: pl.DataFrame | None = None) -> np.ndarray:
    """What HDBSCAN sees for the rows of ``pool`` (sorted by account_id): the scaled
    :data:`CLUSTER_FEATURES`, then the weighted target embedding when ``events`` are given."""
    pool = pool.with_columns(engagement_share(pool))
    x = scaled_matrix(pool.select([c for c in CLUSTER_FEATURES if c in pool.columns]))
    if events is not None and config.hdbscan_target_dims > 0:
        emb = target_embedding(events, pool["account_id"], n_components=config.hdbscan_target_dims,
                               seed=seed)
        x = np.hstack([x, EMBEDDING_WEIGHT * emb])
    return x


def behaviour_clusters(
    features: pl.DataFrame,
    *,
    config: ClusterConfig,
    seed: int = 0,
    candidates: pl.Series | None = None,
    events: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """HDBSCAN groups of accounts that behave alike.

    Parameters
    ----------
    features : DataFrame
        ``account_id`` plus behaviour features (:func:`account_behaviour_features`).
    config : ClusterConfig
        ``hdbscan_*`` settings.
    seed : int
        Seeds the target embedding's (randomised) SVD.
    candidates : Series, optional
        Account ids to restrict HDBSCAN to (e.g. accounts with lockstep evidence).
    events : DataFrame, optional
        ``account_id, target_id`` of events; adds the target-overlap embedding.

    Returns
    -------
    DataFrame
        ``account_id, group`` (``"h0"``, ``"h1"``, … numbered by smallest member id), sorted
        by account_id. Noise accounts and groups larger than the bound
        ``max(hdbscan_max_group_floor, hdbscan_max_group_share * accounts clustered)`` are
        left out.
    """
    return start_behaviour_clusters(features, config=config, seed=seed, candidates=candidates,
                                    events=events).result()


def start_behaviour_clusters(features: pl.DataFrame, *, config: ClusterConfig, seed: int = 0,
                             candidates: pl.Series | None = None, events: pl.DataFrame | None = None,
                             executor: Executor | None = None) -> Future:
    """:func:`behaviour_clusters` begun: the pool and its matrix are made on the calling
    thread, the fit is left running, and the returned future gives the groups.

    A pool of ``CHILD_MIN_ROWS`` rows or more is fitted by a child process
    (``cluster/hdbscan_fit.py``: hdbscan holds the GIL throughout its fit), started before the
    matrix is made so that its imports overlap it; ``executor`` waits for its labels (or fits a
    smaller pool) while the caller goes on. The matrix is made here and not on the executor:
    its polars joins and SVD then have both cores instead of queueing behind the caller's
    work (at 1M accounts on the independent marketplace, 0.8 s alone and ~5 s beside the
    co-action groups). Without ``executor`` all of it happens before the return.
    """
    empty = pl.DataFrame(schema={"account_id": pl.String, "group": pl.String})
    if not config.hdbscan_enabled:
        return _done(lambda: empty)
    pool = select_accounts(features, config=config, candidates=candidates)
    if pool.height <= config.hdbscan_min_cluster_size:
        return _done(lambda: empty)
    # "eom" (excess of mass, HDBSCAN's default) keeps a dense group whole; "leaf" splits a big
    # farm into its sub-jobs. Over-large eom groups are cut by max_group_size.
    params = {"min_cluster_size": config.hdbscan_min_cluster_size, "min_samples": config.hdbscan_min_samples,
              "method": "eom"}
    child = ChildFit(**params) if pool.height >= CHILD_MIN_ROWS and sys.executable else None
    try:
        x = clustering_matrix(pool, config=config, seed=seed, events=events)
    except BaseException:
        if child is not None:
            child.close()
        raise

    def finish() -> pl.DataFrame:
        try:
            labels = child.labels(x) if child is not None else hdbscan_labels(x, **params)
        except RuntimeError as error:  # the child failed (its message says why): the same fit here
            warnings.warn(f"{error}; HDBSCAN was fitted in the run's own process instead", RuntimeWarning,
                          stacklevel=2)
            labels = hdbscan_labels(x, **params)
        finally:
            if child is not None:
                child.close()
        groups = pool.select("account_id").with_columns(pl.Series("label", labels))
        return _name_groups(groups.filter(pl.col("label") >= 0), max_size=max_group_size(pool.height, config))

    return executor.submit(finish) if executor is not None else _done(finish)


def _done(make) -> Future:
    """A future holding what ``make()`` returns (or raises), made now."""
    future: Future = Future()
    try:
        future.set_result(make())
    except BaseException as error:  # noqa: BLE001 — handed to whoever asks for the result
        future.set_exception(error)
    return future


def max_group_size(n_clustered: int, config: ClusterConfig) -> int:
    """Largest behaviour group kept: bigger ones are a mode of ordinary behaviour."""
    return max(config.hdbscan_max_group_floor, int(config.hdbscan_max_group_share * n_clustered))


def _name_groups(labelled: pl.DataFrame, *, max_size: int) -> pl.DataFrame:
    groups = (
        labelled.group_by("label")
        .agg(pl.len().alias("size"), pl.col("account_id").min().alias("anchor"))
        .filter(pl.col("size") <= max_size)
        .sort("anchor")
        .with_columns(pl.format("h{}", pl.int_range(pl.len())).alias("group"))
    )
    return (labelled.join(groups.select("label", "group"), on="label")
            .select("account_id", "group").sort("account_id"))


__all__ = ["behaviour_clusters", "start_behaviour_clusters", "clustering_matrix", "select_accounts",
           "coordination_score", "scaled_matrix", "target_embedding", "max_group_size"]

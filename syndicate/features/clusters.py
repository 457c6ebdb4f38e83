"""Cluster features: what a cluster looks like, in numbers the risk model and a person can read.

Every feature is a plain function of the validated tables, the members and the edges, so the
same code serves the pipeline and a notebook. Features come in families:

* structure — size, internal edges, density, edge weight, evidence mix by link kind;
* identity  — per identifier kind: distinct values, accounts per value, largest sharing;
* creation  — how bunched the members' creation dates are, how young the accounts are;
* profile   — how uniform country and account type are;
* behaviour — activity, target concentration, co-targeting (events table);
* labels    — known-bad and known-good members (reported, but NOT fed to the model:
  the label is what the model predicts; labels enter the score as explicit evidence).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import numpy as np
import polars as pl

from syndicate.asof import known_creation
from syndicate.features.action_mix import DESCRIPTIVE as ACTION_MIX_WORDS
from syndicate.features.exact import fixed_mean, fixed_sum
from syndicate.features.identity import IDENTITY_KINDS, identity_features, kind_family
from syndicate.features.member_events import MemberEvents, member_events
from syndicate.link.codes import AccountIndex

EVIDENCE_GROUPS = (*IDENTITY_KINDS, "other", "lockstep", "rare_coaction", "rating_burst", "given")
LABEL_FEATURES = ("n_labelled", "n_known_bad", "n_known_good", "known_bad_share", "known_good_share")
# Label evidence of a cluster's labelled look-alikes of each class (risk/score.py
# lookalike_labels): written beside the score, made of labels, so never a model input.
LOOKALIKE_FEATURES = ("lookalike_good", "lookalike_bad")

DAY_US = 86_400 * 1_000_000


def reference_time(accounts: pl.DataFrame, *others: tuple[pl.DataFrame | None, str]) -> datetime:
    """The latest timestamp in the data: ages are measured from it, not from the wall clock,
    so that a rerun on the same data gives the same features."""
    latest = [accounts["created_at"].max()]
    for frame, column in others:
        if frame is not None and frame.height and column in frame.columns:
            latest.append(frame[column].max())
    return max(t for t in latest if t is not None)


def structure_features(members: pl.DataFrame, edges: pl.DataFrame, *,
                       codes: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
                       properties: Collection[str] = ()) -> pl.DataFrame:
    """Size, internal edges, density, mean weight and evidence share by group of link kind.

    ``codes`` — the account codes of the members' rows and of the edges' two ends (the
    dataset's :class:`syndicate.link.codes.AccountIndex`), when the caller has them: the
    internal edges are then found by array lookups instead of two string joins of every edge,
    and grouped by an integer cluster code. Every aggregate is order-independent (counts,
    fixed-point sums), so the figures are the same. ``properties``: kinds read as shared
    properties whatever their names (``IdentityConfig.property_kinds``), evidence of no identity
    kind ("other").
    """
    sizes = members.group_by("cluster_id").agg(pl.len().alias("size"))
    # Float columns are evidence by link kind; integer columns are counts (see combine_edges).
    evidence = [c for c, d in edges.schema.items()
                if c not in ("account_a", "account_b", "weight") and d.is_float()]
    if codes is None:
        internal = (
            edges.join(members.rename({"account_id": "account_a"}), on="account_a")
            .join(members.rename({"account_id": "account_b", "cluster_id": "cluster_b"}), on="account_b")
            .filter(pl.col("cluster_id") == pl.col("cluster_b"))
        )
        key = "cluster_id"
    else:
        member_codes, a, b = codes
        cluster_ids = members["cluster_id"].unique().sort()
        cluster_code = members.select(pl.col("cluster_id").rank("dense").cast(pl.Int32) - 1).to_series().to_numpy()
        n_codes = max((int(x.max()) + 1 for x in (member_codes, a, b) if len(x)), default=0)
        of_account = np.full(n_codes, -1, dtype=np.int32)
        of_account[member_codes] = cluster_code
        ca, cb = of_account[a], of_account[b]
        inside = np.flatnonzero((ca >= 0) & (ca == cb))
        used = list(dict.fromkeys(["weight", *evidence, *[c for c in ("lockstep", "lockstep_bursts",
                                                                      "rare_coaction_targets")
                                                         if c in edges.columns]]))
        internal = edges.select(used)[inside].with_columns(pl.Series("_k", ca[inside]))
        key = "_k"
    # A kind named in the dataset's own words counts as the identity kind its name stands for
    # ("ipv4" an IP, "device_fp" a device), as in the identity features: a farm bound by shared
    # "ipv4" values is bound by IPs, not by "other" identifiers that read as one operator's.
    group_of = {c: (c if c in EVIDENCE_GROUPS and c not in properties else kind_family(c, properties) or "other")
                for c in evidence}
    sums = [
        fixed_sum(pl.sum_horizontal([pl.col(c) for c, g in group_of.items() if g == group])).alias(f"ev_{group}")
        if any(g == group for g in group_of.values()) else pl.lit(0.0).alias(f"ev_{group}")
        for group in EVIDENCE_GROUPS
    ]
    lockstep = (
        [(pl.col("lockstep") > 0).mean().alias("lockstep_edge_share"),
         pl.col("lockstep_bursts").filter(pl.col("lockstep") > 0).mean().alias("mean_shared_bursts")]
        if "lockstep" in edges.columns and "lockstep_bursts" in edges.columns
        else [pl.lit(0.0).alias("lockstep_edge_share"), pl.lit(0.0).alias("mean_shared_bursts")]
    )
    # A review ring's members meet again and again: a linked pair of them met on several rare
    # targets. Students of one campus or neighbours meet on the one local event (about 1).
    rare = (
        [pl.col("rare_coaction_targets").filter(pl.col("rare_coaction_targets") > 0).mean()
         .alias("mean_rare_targets")]
        if "rare_coaction_targets" in edges.columns
        else [pl.lit(0.0).alias("mean_rare_targets")]
    )
    # The streaming engine groups millions of edges ~2x faster; every aggregate is a count or
    # an integer (fixed-point) sum, so the bits do not depend on the engine's order.
    agg = internal.lazy().group_by(key).agg(
        pl.len().alias("n_edges"), fixed_mean(pl.col("weight")).alias("mean_edge_weight"), *sums, *lockstep, *rare
    ).collect(engine="streaming")
    if key == "_k":
        agg = agg.select(cluster_ids.gather(agg["_k"]), pl.exclude("_k"))
    total = pl.sum_horizontal([pl.col(f"ev_{g}") for g in EVIDENCE_GROUPS])
    return (
        sizes.join(agg, on="cluster_id", how="left")
        .with_columns(pl.col("n_edges").fill_null(0), pl.col("mean_edge_weight").fill_null(0.0),
                      pl.col("lockstep_edge_share").fill_null(0.0), pl.col("mean_shared_bursts").fill_null(0.0),
                      pl.col("mean_rare_targets").fill_null(0.0))
        .with_columns(
            (pl.col("n_edges") / (pl.col("size") * (pl.col("size") - 1) / 2)).alias("density"),
            *[
                (pl.col(f"ev_{g}") / total).fill_nan(0.0).fill_null(0.0).alias(f"evidence_{g}")
                for g in EVIDENCE_GROUPS
            ],
        )
        .drop([f"ev_{g}" for g in EVIDENCE_GROUPS])
    )


def _densest_window(sorted_cluster: np.ndarray, sorted_t: np.ndarray, width: int) -> np.ndarray:
    """For each row (sorted by cluster then time), members of its cluster in [t, t + width]."""
    # Pack (cluster, t) so one searchsorted finds the window end without crossing clusters.
    span = int(sorted_t.max() - sorted_t.min()) + width + 1 if len(sorted_t) else 1
    key = sorted_cluster.astype(np.int64) * span + (sorted_t - (sorted_t.min() if len(sorted_t) else 0))
    end = np.searchsorted(key, key + width, side="right")
    return end - np.arange(len(key))


def creation_features(members: pl.DataFrame, accounts: pl.DataFrame, now: datetime) -> pl.DataFrame:
    """Creation burstiness (most members created within 1 and 7 days), span, age, youth.

    Members whose creation time is a stamp (:func:`syndicate.asof.known_creation`) are left
    out of all of them: a cluster of migrated accounts is no batch. Their counts are of the
    members whose creation time is known (0 when none is), the share of all members; the
    spans, the age and the youth are null when no member's creation time is known."""
    created = accounts.select("account_id", known_creation(accounts["created_at"]))
    joined = (
        members.join(created, on="account_id")
        .filter(pl.col("created_at").is_not_null())
        .with_columns(pl.col("cluster_id").rank("dense").alias("_c"),
                      (pl.col("created_at").dt.epoch("us") // 1_000_000).alias("_t"))
        .sort("_c", "_t")
    )
    c = joined["_c"].to_numpy()
    t = joined["_t"].to_numpy()
    joined = joined.with_columns(
        pl.Series("_w1", _densest_window(c, t, 86_400)),
        pl.Series("_w7", _densest_window(c, t, 7 * 86_400)),
    )
    age_days = (pl.lit(now) - pl.col("created_at")).dt.total_seconds() / 86_400
    known = joined.group_by("cluster_id").agg(
        pl.col("_w1").max().alias("created_within_1d"),
        pl.col("_w7").max().alias("created_within_7d"),
        ((pl.col("_t").max() - pl.col("_t").min()) / 86_400).alias("created_span_days"),
        # The span of the middle 80% by rank (from the creation after the lowest tenth to the
        # one before the highest): one old account among a ring's thirty (a reviewer who met
        # them, an account bought aged) makes the full span years; the ring's own stays weeks.
        # From five members on, the earliest and the latest are always left out; below five
        # (a household of three), the full span.
        pl.when(pl.len() >= 5)
        .then(pl.col("_t").quantile(0.9, "lower") - pl.col("_t").quantile(0.1, "higher"))
        .otherwise(pl.col("_t").max() - pl.col("_t").min())
        .truediv(86_400).alias("created_core_span_days"),
        age_days.median().alias("median_age_days"),
        (age_days < 30).mean().alias("young_30d_share"),
        (age_days < 180).mean().alias("young_180d_share"),
    )
    sizes = members.group_by("cluster_id").agg(pl.len().alias("_n"))
    return (sizes.join(known, on="cluster_id", how="left")
            .with_columns(pl.col("created_within_1d", "created_within_7d").fill_null(0))
            .select("cluster_id", "created_within_1d", "created_within_7d",
                    (pl.col("created_within_7d") / pl.col("_n")).alias("created_within_7d_share"),
                    "created_span_days", "created_core_span_days", "median_age_days",
                    "young_30d_share", "young_180d_share"))


def profile_features(members: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """How uniform the members' country and account type are (one operator → uniform)."""
    out = members.select("cluster_id").unique()
    joined = members.join(accounts, on="account_id")
    for column, name in (("country", "top_country_share"), ("account_type", "top_account_type_share")):
        if column in accounts.columns:
            top = (
                joined.group_by("cluster_id", column).agg(pl.len().alias("n"))
                .group_by("cluster_id").agg(pl.col("n").max().alias("top"), pl.col("n").sum().alias("all"))
                .select("cluster_id", (pl.col("top") / pl.col("all")).alias(name))
            )
            out = out.join(top, on="cluster_id", how="left")
        else:
            out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    if "account_type" in accounts.columns:
        mode = (
            joined.group_by("cluster_id", "account_type").agg(pl.len().alias("n"))
            .sort(["cluster_id", "n", "account_type"], descending=[False, True, False])
            .group_by("cluster_id", maintain_order=True).first()
            .select("cluster_id", pl.col("account_type").alias("main_account_type"))
        )
        out = out.join(mode, on="cluster_id", how="left")
    else:
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("main_account_type"))
    return out


# Per-cluster counts behind the behaviour features: events, distinct targets, events on the
# most-hit target, events on co-targeted targets, active members. An engine that keeps the
# events elsewhere takes them there (``syndicate.engines.spark.members``) and the driver
# finishes them with :func:`behaviour_ratios`.
BEHAVIOUR_COUNTS = ("_events", "_targets", "_top", "_co", "_active")
BEHAVIOUR_FEATURES = ("events_per_account", "active_share", "targets_per_account",
                      "top_target_share", "co_target_share")
# A target counts as co-targeted when at least 3 members, and a fifth of the cluster, act on
# it: two friends liking one video is normal, a third of a ring is not.
CO_TARGET_MIN_ACTORS, CO_TARGET_MIN_SHARE = 3, 0.2


def behaviour_features(members: pl.DataFrame, events: pl.DataFrame | None, *,
                       accounts: pl.DataFrame | None = None,
                       counts: pl.DataFrame | None = None) -> pl.DataFrame:
    """Activity and how much members converge on the same targets.

    ``counts`` (``cluster_id`` + :data:`BEHAVIOUR_COUNTS`), when an engine took them where
    the events are, stands in for ``events``; otherwise :func:`behaviour_counts` takes them.
    """
    if counts is None:
        if events is None or events.height == 0:
            clusters = members.select("cluster_id").unique()
            return clusters.select("cluster_id", *[pl.lit(0.0).alias(n) for n in BEHAVIOUR_FEATURES])
        counts = behaviour_counts(members, events, accounts=accounts)
    return behaviour_ratios(members, counts)


def behaviour_counts(members: pl.DataFrame, events: pl.DataFrame | MemberEvents, *,
                     accounts: pl.DataFrame | None = None) -> pl.DataFrame:
    """``cluster_id`` + :data:`BEHAVIOUR_COUNTS` of the clusters with member events.

    ``events`` is the events table, or the members' events already selected
    (:func:`syndicate.features.member_events.member_events`, which ``accounts`` serves):
    the counts are then taken from its (cluster, target) runs (``MemberEvents.per_target``),
    no string join or group-by of every event. Every aggregate is a count, so the figures
    are those of a string join.
    """
    shared = events if isinstance(events, MemberEvents) else member_events(members, events, accounts=accounts)
    if shared.rows.height == 0:
        return pl.DataFrame(schema={"cluster_id": members.schema["cluster_id"],
                                    **{k: pl.UInt32 for k in BEHAVIOUR_COUNTS}})
    runs = shared.per_target
    n, actors, of_run = runs["n"].to_numpy(), runs["actors"].to_numpy(), runs["_c"].to_numpy()
    n_clusters = len(shared.cluster_ids)
    size = np.zeros(n_clusters, dtype=np.int64)
    size[shared.sizes["_c"].to_numpy()] = shared.sizes["_size"].to_numpy()
    co_targeted = actors >= np.maximum(CO_TARGET_MIN_ACTORS, size[of_run] * CO_TARGET_MIN_SHARE)
    top = np.zeros(n_clusters, dtype=np.int64)
    np.maximum.at(top, of_run, n)
    seen = np.zeros(len(shared.cluster_of), dtype=bool)
    seen[shared.rows["_acc"].to_numpy()] = True
    counts = {
        "_events": np.bincount(shared.rows["_c"].to_numpy(), minlength=n_clusters),
        "_targets": np.bincount(of_run, minlength=n_clusters),
        "_top": top,
        "_co": np.bincount(of_run[co_targeted], weights=n[co_targeted], minlength=n_clusters).round(),
        "_active": np.bincount(shared.cluster_of[seen], minlength=n_clusters),
    }
    active = counts["_events"] > 0  # clusters with member events only, as a join would give
    return pl.DataFrame({"cluster_id": shared.cluster_ids.filter(active),
                         **{k: pl.Series(k, v[active], dtype=pl.UInt32) for k, v in counts.items()}})


def behaviour_ratios(members: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """The behaviour features of every cluster of ``members`` from its counts
    (:func:`behaviour_counts`; a cluster without a row had no member events)."""
    clusters = members.group_by("cluster_id").agg(pl.len().alias("_size"))
    return (
        clusters.join(counts.select("cluster_id", *BEHAVIOUR_COUNTS), on="cluster_id", how="left")
        .fill_null(0)
        .select(
            "cluster_id",
            (pl.col("_events") / pl.col("_size")).alias("events_per_account"),
            (pl.col("_active") / pl.col("_size")).alias("active_share"),
            (pl.col("_targets") / pl.col("_size")).alias("targets_per_account"),
            (pl.col("_top") / pl.col("_events")).fill_nan(0.0).alias("top_target_share"),
            (pl.col("_co") / pl.col("_events")).fill_nan(0.0).alias("co_target_share"),
        )
    )


# Per-account behaviour (syndicate.features.accounts) averaged over members: how regular, how
# fast, how synchronised and how obscure the targets of the cluster's accounts are.
MEMBER_BEHAVIOUR = ("gap_cv", "rapid_gap_share", "burst_share", "hour_entropy", "peak_hour_share",
                    "rare_target_share", "first_event_delay_days")


# How the members rate, against the platform: ``rated_member_share`` (members with a rating)
# and ``extreme_rating_lift``, how far their share of ratings at either end of the scale
# (a member's share, averaged over the members who rated) stands from the platform's
# (the same average over every account that rated) towards all-extreme: 0 rates like
# everyone, 1 every rating at an end, negative milder than the crowd. Review-spam research
# (Mukherjee et al., "Spotting fake reviewer groups", WWW 2012; SpEagle) finds rings' ratings
# at the ends of the scale: on six marketplaces generated four different ways, rings' members
# averaged 0.86-1.0 extreme where the platforms' raters averaged 0.57-0.73 and every benign
# group (campus, fans, households, offices) rated like its platform. Null without ratings.
RATING_LIFT = ("rated_member_share", "extreme_rating_lift")


# Targets that two or more members rated (``co_rated_targets``): where a group's ratings show
# what it is for. Group-spam research (Mukherjee et al., WWW 2012) judges a group's rating
# extremity and deviation on the products its members reviewed together. A circle of friends
# each rate a place of their trip on their own (a tenth marketplace's group trips: 0-1 such
# targets per cluster), a ring rates its clients together (rings on seven marketplaces: 2-83).
# Null when no event carries a rating; 0 for a cluster none of whose targets two members rated.
CO_RATED = "co_rated_targets"


def co_rating_features(members: pl.DataFrame, rated: pl.DataFrame | pl.LazyFrame | None) -> pl.DataFrame:
    """``cluster_id, co_rated_targets`` (:data:`CO_RATED`) from ``rated`` (``account_id,
    target_id`` of the rated events, e.g. ``link.rating_bursts.rated_events``; None when no
    event carries a rating)."""
    clusters = members.select("cluster_id").unique()
    if rated is None:
        return co_rated_table(clusters, None)
    counts = (rated.lazy().select("account_id", "target_id")
              .join(members.lazy().select("account_id", "cluster_id"), on="account_id")
              .group_by("cluster_id", "target_id").agg(pl.col("account_id").n_unique().alias("_raters"))
              .group_by("cluster_id").agg((pl.col("_raters") >= 2).sum().alias(CO_RATED))
              .collect())
    return co_rated_table(clusters, counts)


def co_rated_table(clusters: pl.DataFrame, counts: pl.DataFrame | None) -> pl.DataFrame:
    """``clusters`` (``cluster_id``) with :data:`CO_RATED` from ``counts`` (the clusters
    with a rated event), 0 for the rest; null for every cluster when ``counts`` is None (no
    event carries a rating)."""
    if counts is None:
        return clusters.with_columns(pl.lit(None, dtype=pl.Float64).alias(CO_RATED))
    counts = counts.select(pl.col("cluster_id").cast(clusters.schema["cluster_id"]), CO_RATED)
    return (clusters.join(counts, on="cluster_id", how="left")
            .with_columns(pl.col(CO_RATED).cast(pl.Float64).fill_null(0.0)))


# How differently the members act, against the platform's accounts (``members_target_spread``):
# the spread (standard deviation) of log(1 + distinct targets) over the members who acted,
# divided by the same spread over every account that acted. People who share an office, a
# company card, a kiosk or a home each keep their own pace; an operator's accounts mostly act
# alike. On the top clusters of 20 no-label runs (twenty marketplaces built five ways) the
# benign ones sat at a median of 0.70, the planted groups at 0.47, widely overlapping (a weak
# sign alone: risk/unsupervised.py weighs it only for groups bound by what they share).
# Distinct targets rather than events: a member who repeats one action a thousand times is not
# more independent for it. Members without events are left out (a ring's sleeper accounts
# would read as varied beside its workers), and so is a cluster with fewer than
# SPREAD_MIN_ACTIVE members who acted (the spread of two or three says little): null.
TARGET_SPREAD = "members_target_spread"
SPREAD_MIN_ACTIVE = 4


def _log_targets(account_features: pl.DataFrame) -> pl.Expr | None:
    """log(1 + distinct targets) of each account-feature row, null where the counts are not
    finite (None without the columns)."""
    if not {"n_events", "distinct_target_ratio"} <= set(account_features.columns):
        return None
    targets = (pl.col("n_events").cast(pl.Float64) * pl.col("distinct_target_ratio").cast(pl.Float64)).round()
    return pl.when(targets.is_finite() & (targets >= 0)).then(targets.log1p()).otherwise(None)


def _spreads(values: pl.DataFrame, by: str) -> pl.DataFrame:
    """Sample standard deviation of ``_v`` per ``by`` group, in two exact passes: a
    fixed-point mean, then the fixed-point sum of squared deviations (alike values give
    exactly 0, and no row order moves the figure). Columns ``by``, ``_n`` and ``_sd``."""
    means = values.group_by(by).agg(pl.len().cast(pl.Float64).alias("_n"), fixed_mean(pl.col("_v")).alias("_mean"))
    summed = (values.join(means, on=by, how="left")
              .group_by(by).agg(pl.col("_n").first(), fixed_sum((pl.col("_v") - pl.col("_mean")) ** 2).alias("_q")))
    return summed.with_columns(
        pl.when(pl.col("_n") >= 2).then((pl.col("_q") / (pl.col("_n") - 1)).sqrt()).otherwise(None).alias("_sd"))


def target_spread(members: pl.DataFrame, account_features: pl.DataFrame) -> pl.DataFrame:
    """``cluster_id, members_target_spread`` (:data:`TARGET_SPREAD`) of every cluster of
    ``members``, from ``account_features`` (the accounts that acted): null where fewer than
    :data:`SPREAD_MIN_ACTIVE` members acted, or where every account acts on as many targets."""
    clusters = members.select("cluster_id").unique()
    none = clusters.with_columns(pl.lit(None, dtype=pl.Float64).alias(TARGET_SPREAD))
    value = _log_targets(account_features)
    if value is None:
        return none
    acted = account_features.select("account_id", value.alias("_v")).drop_nulls("_v")
    platform = _spreads(acted.with_columns(pl.lit(0).alias("_all")), "_all")["_sd"]
    platform_sd = platform.item() if platform.len() else None
    if not platform_sd:
        return none
    rows = members.select("account_id", "cluster_id").join(acted, on="account_id", how="inner")
    per = _spreads(rows, "cluster_id").select(
        "cluster_id",
        pl.when(pl.col("_n") >= SPREAD_MIN_ACTIVE).then(pl.col("_sd") / platform_sd).otherwise(None)
        .alias(TARGET_SPREAD))
    return clusters.join(per, on="cluster_id", how="left")


def member_behaviour_features(members: pl.DataFrame, account_features: pl.DataFrame | None) -> pl.DataFrame:
    """Mean of per-account behaviour features over active members (``members_<feature>``),
    how the members rate (:data:`RATING_LIFT`) and how differently they act
    (:data:`TARGET_SPREAD`).

    Clusters without active members get nulls (missing, not zero: no behaviour was seen).
    """
    clusters = members.select("cluster_id").unique()
    names = [f"members_{c}" for c in MEMBER_BEHAVIOUR] + list(RATING_LIFT)
    if account_features is None or account_features.height == 0:
        return clusters.with_columns([pl.lit(None, dtype=pl.Float64).alias(n) for n in [*names, TARGET_SPREAD]])
    present = [c for c in MEMBER_BEHAVIOUR if c in account_features.columns]
    aggs = [fixed_mean(pl.col(c)).alias(f"members_{c}") for c in present]
    rating = "extreme_rating_share"
    platform = None
    if rating in account_features.columns:
        platform = account_features.select(fixed_mean(pl.col(rating))).item()
    if platform is not None and platform == platform:  # not NaN: someone rated
        # Who rated is known whatever the scale; how extreme against the platform only where
        # some rating is not at an end (a thumbs-up/down scale is all ends: no lift to measure).
        present.append(rating)
        extreme = pl.col(rating).fill_nan(None)
        aggs.append((extreme.count() / pl.len()).alias("rated_member_share"))
        if platform < 1.0:
            aggs.append(((fixed_mean(pl.col(rating)) - platform) / (1.0 - platform)).alias("extreme_rating_lift"))
    means = (
        members.join(account_features.select("account_id", *present), on="account_id", how="left")
        .group_by("cluster_id").agg(aggs)
    )
    out = clusters.join(means, on="cluster_id", how="left")
    missing = [pl.lit(None, dtype=pl.Float64).alias(n) for n in names if n not in out.columns]
    out = out.with_columns(missing) if missing else out
    out = out.join(target_spread(members, account_features), on="cluster_id", how="left")
    # A cluster none of whose members acted has nothing to average: null, not NaN.
    return out.with_columns(pl.col(n).cast(pl.Float64).fill_nan(None) for n in [*names, TARGET_SPREAD])


def label_features(members: pl.DataFrame, labels: pl.DataFrame | None) -> pl.DataFrame:
    """Known-bad and known-good members. Not model inputs: see the module docstring."""
    sizes = members.group_by("cluster_id").agg(pl.len().alias("_size"))
    if labels is None or labels.height == 0:
        return sizes.select("cluster_id", pl.lit(0).alias("n_labelled"), pl.lit(0).alias("n_known_bad"),
                            pl.lit(0).alias("n_known_good"), pl.lit(0.0).alias("known_bad_share"),
                            pl.lit(0.0).alias("known_good_share"))
    counts = members.join(labels.select("account_id", "label"), on="account_id").group_by("cluster_id").agg(
        pl.len().alias("n_labelled"),
        (pl.col("label") == 1).sum().alias("n_known_bad"),
        (pl.col("label") == 0).sum().alias("n_known_good"),
    )
    return (
        sizes.join(counts, on="cluster_id", how="left").fill_null(0)
        .with_columns(
            (pl.col("n_known_bad") / pl.col("_size")).alias("known_bad_share"),
            (pl.col("n_known_good") / pl.col("_size")).alias("known_good_share"),
        )
        .drop("_size")
    )


def cluster_features(
    members: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    accounts: pl.DataFrame,
    signals: pl.DataFrame | None = None,
    events: pl.DataFrame | None = None,
    labels: pl.DataFrame | None = None,
    hubs: pl.DataFrame | None = None,
    now: datetime | None = None,
    extra: list[pl.DataFrame] | None = None,
    index: AccountIndex | None = None,
    edge_codes: pl.DataFrame | None = None,
    event_counts: pl.DataFrame | None = None,
    properties: Collection[str] = (),
) -> pl.DataFrame:
    """One row per cluster with every feature family, sorted by ``cluster_id``.

    ``extra`` frames (``cluster_id`` + columns) are joined on, for features computed by
    other stages (lockstep, behaviour clustering). ``index`` (the accounts' codes) and
    ``edge_codes`` (``account_a, account_b`` codes row-aligned with ``edges``, as the link
    stage makes them) let :func:`structure_features` work on codes. ``event_counts``
    (:func:`behaviour_counts`, taken by an engine where the events are) stands in for
    ``events``. ``properties``: the kinds read as shared properties (``IdentityConfig.property_kinds``).
    """
    if now is None:
        now = reference_time(accounts, (events, "ts"), (signals, "seen_at"))
    codes = None
    if index is not None and edge_codes is not None and edge_codes.height == edges.height and members.height:
        codes = (index.codes(members["account_id"]), edge_codes["account_a"].to_numpy(),
                 edge_codes["account_b"].to_numpy())
    parts = [
        structure_features(members, edges, codes=codes, properties=properties),
        identity_features(members, signals, hubs, accounts=accounts, properties=properties),
        creation_features(members, accounts, now),
        profile_features(members, accounts),
        behaviour_features(members, events, accounts=accounts, counts=event_counts),
        label_features(members, labels),
        *(extra or []),
    ]
    out = parts[0]
    for part in parts[1:]:
        out = out.join(part, on="cluster_id", how="left")
    return out.sort("cluster_id")


# Counts of accounts created close together grow with the cluster's size: trees trained on
# labelled sets whose benign clusters are mostly small households learn "nine created in a
# week" as "a ring", and a 48-account agency grown over months scores like one. The model gets
# the size-free forms (created_within_7d_share, created_span_days, young shares); the counts
# stay in the table, the scorecard's creation burst and the reasons. The targets members rated
# together (CO_RATED) grow with the size the same way (given to the model, they cost the
# fourth marketplace's labelled run a top place for nothing gained): they serve the scorecard
# and the reasons.
SIZE_COUNTS = ("created_within_1d", "created_within_7d", CO_RATED)


# What a run writes beside the features in clusters.parquet: its scores (made with labels), its
# members' mean pseudo-label score or the label-free risk that stood in for it
# (risk.pseudo_labels.with_member_behaviour) and the previous run's size. A model trained on a
# run's clusters table (train.fit_risk_model takes one) must not learn from them.
RUN_OUTPUTS = ("risk_score", "model_score", "rank", "previous_size", "member_pseudo_label_score",
               "label_free_stand_in")


# The group co-action of a cluster the slow co-action pass found, counted on that pass's
# buckets (pipeline.features; null for every other cluster): its name and reasons say it, no
# model reads it (co-action within the hour is what colleagues and fans do too: as a feature it
# lifted benign crowds into a top K; the fifty-second sitting).
SLOW_COACTION = "slow_coaction_targets"


def model_feature_names(features: pl.DataFrame) -> list[str]:
    """Numeric feature columns the risk model may use: everything but ids, labels (and what is
    made of them: look-alikes' evidence, a run's scores), ``SIZE_COUNTS`` and the descriptive
    columns (the action mix's words, ``SLOW_COACTION``)."""
    skip = {"cluster_id", *LABEL_FEATURES, *LOOKALIKE_FEATURES, *RUN_OUTPUTS, *SIZE_COUNTS, *ACTION_MIX_WORDS,
            SLOW_COACTION}
    return [
        c for c, dtype in features.schema.items()
        if c not in skip and dtype.is_numeric()
    ]

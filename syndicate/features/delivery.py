"""How a cluster's group co-action was delivered: as one job, or as an audience's reactions.

A farm is paid to deliver engagement: a job is dispatched, the workers assigned to it act on
the client's target within minutes, and the job is over — members who act on that target at
all do so in the job's burst. Fans of a creator, students on a campus post or viewers of a
stream are also seen acting together (the notification brings some of them within seconds),
but an audience keeps arriving: attention to a post decays over hours, so most of the members
who ever react to it do so outside the first minutes. Both hit many targets "as a group";
what tells them apart is how much of the members' engagement with those targets came in the
group's bursts.

``group_burst_share`` per cluster: over the targets on which at least ``min_members`` members
acted in one time bucket (a *group burst*, the buckets of :mod:`syndicate.link.lockstep`), the
members who acted on the target in a group burst or a bucket next to one (a job that straddles
a bucket edge), over the members who acted on the target at any time. Null for clusters
without group bursts (no co-action to judge). Near 1 for a job-delivering crew; an audience
whose reactions spread over hours stays well below.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.features.member_events import MemberEvents, member_events

NAME = "group_burst_share"


def group_burst_share(members: pl.DataFrame, events: pl.DataFrame | MemberEvents | None, *,
                      window_seconds: int, min_members: int = 3, accounts: pl.DataFrame | None = None,
                      considered: np.ndarray | None = None, only: pl.Series | None = None) -> pl.DataFrame:
    """``cluster_id, group_burst_share`` (see the module docstring).

    Parameters
    ----------
    members : DataFrame
        ``account_id, cluster_id``.
    events : DataFrame, MemberEvents or None
        ``account_id, target_id, ts``, or the members' events already selected
        (:func:`syndicate.features.member_events.member_events`, with ``_s`` and the
        ``considered`` mask as ``_k``; ``accounts`` and ``considered`` are then unused).
    window_seconds : int
        Width of the time buckets (the lockstep window: what "together" means everywhere else).
    min_members : int
        Members in one bucket that make it a group burst (the co-action group test's).
    accounts : DataFrame, optional
        Every account of ``events``: when their ids have distinct 64-bit hashes, events are
        matched to members on the hashes (no string join of every event).
    considered : ndarray of bool, optional
        Events that count for co-action (the lockstep action filter); default all.
    only : Series, optional
        The clusters worth computing (those with group bursts in the lockstep burst table);
        the others get null. Default: all.
    """
    out = members.select("cluster_id").unique().sort("cluster_id")
    missing = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(NAME))
    if isinstance(events, MemberEvents):
        shared = events
    else:
        if only is not None:  # read just their members' events
            members, only = members.filter(pl.col("cluster_id").is_in(only.implode())), None
        if events is None or events.height == 0 or members.height == 0:
            return missing
        shared = member_events(members, events.select("account_id", "target_id", "ts"), accounts=accounts,
                               considered=considered)
    share = _burst_share(shared, window_seconds=window_seconds, min_members=min_members, only=only)
    return missing if share is None else out.join(shared.ids(share), on="cluster_id", how="left")


def _burst_share(shared: MemberEvents, *, window_seconds: int, min_members: int,
                 only: pl.Series | None) -> pl.DataFrame | None:
    """``_c, group_burst_share`` of the clusters (of ``only``) with group bursts, or None
    without any."""
    if "_s" not in shared.rows.columns:
        return None
    keep = [pl.col("_k")] if "_k" in shared.rows.columns else []
    if only is not None:
        wanted = pl.Series(np.flatnonzero(shared.cluster_ids.is_in(only.implode()).to_numpy()), dtype=pl.Int32)
        keep.append(pl.col("_c").is_in(wanted.implode()))
    rows = shared.rows.lazy()
    rows = rows.filter(*keep) if keep else rows
    # One integer per (cluster, target) and per (cluster, target, bucket): group-bys and joins
    # on a single int64 column (codes are dense: targets x clusters x buckets fit 63 bits at
    # any realistic size; wider data keeps the bucket as a second key). Buckets are counted
    # from one before the first, so that a bucket's neighbours never cross into another
    # (cluster, target).
    n_clusters = max(len(shared.cluster_ids), 1)
    bucket = pl.col("_s") // window_seconds
    first, last = shared.rows.select(bucket.min().alias("first"), bucket.max().alias("last")).row(0)
    n_buckets = (last - first + 3) if first is not None else 1
    pair = pl.col("_t") * n_clusters + pl.col("_c")
    packed = (int(shared.rows["_t"].max() or 0) + 1) * n_clusters * n_buckets < 2**63
    # Only (cluster, target) pairs with min_members distinct members over all the events can
    # hold a group burst: the others (most of a member's own activity) are dropped up front.
    crowded = (shared.per_target.lazy().filter(pl.col("actors") >= min_members)
               .select((pl.col("_t") * n_clusters + pl.col("_c")).alias("_p")))
    ev = (rows.select("_acc", pair.alias("_p"), (bucket - first + 1).alias("_b"))
          .join(crowded, on="_p", how="semi"))
    if packed:
        ev = ev.select("_acc", "_p", (pl.col("_p") * n_buckets + pl.col("_b")).alias("_b"))
    burst = ["_b"] if packed else ["_p", "_b"]
    # Distinct members, not events: a member's repeated actions in one bucket count once.
    group = (ev.group_by("_p", *burst).agg(pl.col("_acc").n_unique().alias("_n"))
             .filter(pl.col("_n") >= min_members).select("_p", *burst).collect(engine="streaming"))
    if group.height == 0:
        return None
    near = pl.concat([group.with_columns(pl.col("_b") + d) for d in (-1, 0, 1)]).unique()
    on_targets = ev.join(group.select("_p").unique().lazy(), on="_p").collect(engine="streaming")
    everyone = on_targets.group_by("_p").agg(pl.col("_acc").n_unique().alias("_all"))
    together = on_targets.join(near, on=burst).group_by("_p").agg(pl.col("_acc").n_unique().alias("_in"))
    return (everyone.join(together, on="_p", how="left").fill_null(0)
            .group_by((pl.col("_p") % n_clusters).alias("_c"))
            .agg((pl.col("_in").sum() / pl.col("_all").sum()).alias(NAME)))


__all__ = ["NAME", "group_burst_share"]

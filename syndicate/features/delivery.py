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

from syndicate.features.clusters import _HASH_SEED, ids_hash_apart

NAME = "group_burst_share"


def group_burst_share(members: pl.DataFrame, events: pl.DataFrame | None, *, window_seconds: int,
                      min_members: int = 3, accounts: pl.DataFrame | None = None,
                      considered: np.ndarray | None = None, only: pl.Series | None = None) -> pl.DataFrame:
    """``cluster_id, group_burst_share`` (see the module docstring).

    Parameters
    ----------
    members : DataFrame
        ``account_id, cluster_id``.
    events : DataFrame or None
        ``account_id, target_id, ts``.
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
        the others get null without their members' events being read. Default: all.
    """
    out = members.select("cluster_id").unique().sort("cluster_id")
    if only is not None:
        members = members.filter(pl.col("cluster_id").is_in(only.implode()))
    if events is None or events.height == 0 or members.height == 0:
        return out.with_columns(pl.lit(None, dtype=pl.Float64).alias(NAME))
    events = events.select("account_id", "target_id", "ts")
    if considered is not None and not considered.all():  # every action counts by default: no copy
        events = events.filter(pl.Series(considered))
    account = pl.col("account_id")
    if ids_hash_apart(accounts):
        account = account.hash(_HASH_SEED)
    # Integer cluster codes and 64-bit target hashes: the group-bys below run on numbers (two
    # targets whose hashes collide, a chance of 2^-64 a pair, would only merge their counts).
    cluster_ids = members["cluster_id"].unique().sort()
    coded = members.select(account.alias("_acc"),
                           pl.col("cluster_id").replace_strict(cluster_ids, pl.int_range(len(cluster_ids)),
                                                               return_dtype=pl.Int32).alias("_c"))
    # Members' events (a small share of all), with their targets and buckets: never held
    # whole (at 1M accounts a farm-heavy marketplace gives millions of rows); streamed twice,
    # once for the group bursts and once for the events on their targets.
    ev = (events.lazy().select(account.alias("_acc"), "target_id", "ts")
          .join(coded.lazy(), on="_acc")
          .select("_acc", "_c", pl.col("target_id").hash(_HASH_SEED).alias("_t"),
                  (pl.col("ts").dt.epoch("s") // window_seconds).alias("_b")))
    # Distinct members, not events: a member's repeated actions in one bucket count once.
    group = (ev.group_by("_c", "_t", "_b").agg(pl.col("_acc").n_unique().alias("_k"))
             .filter(pl.col("_k") >= min_members).select("_c", "_t", "_b").collect(engine="streaming"))
    if group.height == 0:
        return out.with_columns(pl.lit(None, dtype=pl.Float64).alias(NAME))
    near = pl.concat([group.with_columns(pl.col("_b") + d) for d in (-1, 0, 1)]).unique()
    on_targets = ev.join(group.select("_c", "_t").unique().lazy(), on=["_c", "_t"]).collect(engine="streaming")
    everyone = on_targets.group_by("_c", "_t").agg(pl.col("_acc").n_unique().alias("_all"))
    together = (on_targets.join(near, on=["_c", "_t", "_b"])
                .group_by("_c", "_t").agg(pl.col("_acc").n_unique().alias("_in")))
    share = (everyone.join(together, on=["_c", "_t"], how="left").fill_null(0)
             .group_by("_c").agg((pl.col("_in").sum() / pl.col("_all").sum()).alias(NAME)))
    share = share.select(cluster_ids.gather(share["_c"]), NAME)  # codes back to ids
    return out.join(share, on="cluster_id", how="left")


__all__ = ["NAME", "group_burst_share"]

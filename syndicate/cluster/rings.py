"""A review ring the detector found is kept whole by the graph cuts.

The review-ring detector (:mod:`syndicate.link.rare_coaction`) tests a group as a whole: its
members met again and again on rare targets, far beyond what their activity predicts. The
links it leaves are sparse — two members of a ring share one to three products, so a ring of
25 had 30 links, most of its members hanging on by one or two — and the graph stage's cuts,
made for identifier components (:func:`~syndicate.cluster.fringe.peel_hangers` sheds members
that hang on by one link, :func:`~syndicate.cluster.fringe.cut_bridges` cuts where one link
joins two clumps, Leiden splits large components), cut such a ring into teams of 2-9 that each
fall under half of it (the sixth marketplace: rings of 25 and 15 in three and four pieces).

:func:`rejoin_rings` puts the pieces back: a graph group of two or more, most of whose members
are in one detector group, is a *fragment* of it, and the fragments of a detector group that
the cuts shattered — none holds half of it — become one group (named by the smallest of their
names). A group the ring's members share with a majority of others (a household one member
also belongs to) is left as it is, and so is a detector group of which one group (a piece or
not) holds half or more: the cuts took off what did not belong there (a detector group can hold a campaign and
the reviewers it met on its businesses; joined, a campaign of eight ranked 4th became one of
36 ranked 72nd on the ninth marketplace). The pipeline runs it after the co-action groups took
what was theirs (a ring's piece and a farm's would otherwise be joined through a detector
group that holds both).
"""

from __future__ import annotations

import numpy as np
import polars as pl

# A graph group is a fragment of a ring when more than half of its members are the ring's
# (the other members came with them over identifier links; the ring is what the group is).
FRAGMENT_SHARE = 0.5
# A member the cuts left alone is not a fragment: the fringe peels a hanger off for a reason
# (an account that met the ring once), and a lone member is no team.
MIN_FRAGMENT = 2
# A ring is in pieces when its largest piece holds less than this share of the detector's group.
SHATTERED = 0.5


def rejoin_rings(groups: pl.DataFrame, ring_of: np.ndarray | None, codes: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``groups`` (``account_id, group`` str) with the fragments of each detector group joined,
    and ``account_id, ring`` of the accounts whose groups were joined (for the cross-validation
    units; no rows when nothing was joined).

    ``ring_of``: each account code's detector group (-1: none; ``pipeline.rare_groups``), or
    None; ``codes``: the account code of each row of ``groups``.
    """
    joined_schema = {"account_id": pl.String, "ring": pl.String}
    if ring_of is None or groups.height == 0 or not (ring_of >= 0).any():
        return groups, pl.DataFrame(schema=joined_schema)
    frame = groups.with_columns(pl.Series("_ring", ring_of[codes], dtype=pl.Int64))
    # How many of each detector group each group holds.
    held = frame.filter(pl.col("_ring") >= 0).group_by("group", "_ring").agg(pl.len().alias("_in"))
    # Each group's ring (the detector group most of its members are in) and how many are in it.
    share = (frame.group_by("group").agg(
        pl.len().alias("_n"),
        pl.col("_ring").filter(pl.col("_ring") >= 0).mode().min().alias("_ring"))
        .join(held, on=["group", "_ring"]))
    # Per detector group: its size, and the most of it any one group holds (whether or not
    # its members are most of that group).
    sizes = (pl.DataFrame({"_ring": np.arange(int(ring_of.max()) + 1, dtype=np.int64),
                           "_size": np.bincount(ring_of[ring_of >= 0])})
             .join(held.group_by("_ring").agg(pl.col("_in").max().alias("_largest")), on="_ring"))
    fragments = (share.filter((pl.col("_in") > FRAGMENT_SHARE * pl.col("_n")) & (pl.col("_n") >= MIN_FRAGMENT))
                 .join(sizes, on="_ring")
                 # Rings in more than one group, none of which holds SHATTERED of it: when one
                 # group holds half of the detector's group or more, the cuts took off what did
                 # not belong to it (a detector group can hold a campaign and the reviewers it
                 # met on its businesses: eight and a handful on the ninth marketplace).
                 .filter((pl.len().over("_ring") > 1) & (pl.col("_largest") < SHATTERED * pl.col("_size")))
                 .with_columns(pl.col("group").min().over("_ring").alias("_joined")))
    if fragments.height == 0:
        return groups, pl.DataFrame(schema=joined_schema)
    out = (groups.join(fragments.select("group", "_joined"), on="group", how="left", maintain_order="left")
           .with_columns(pl.coalesce("_joined", "group").alias("group")).drop("_joined"))
    joined = (groups.join(fragments.select("group", "_joined"), on="group")
              .select("account_id", pl.col("_joined").cast(pl.String).alias("ring")))
    return out, joined


def joined_found_by(found: pl.DataFrame, joined: pl.DataFrame) -> pl.DataFrame:
    """``found`` (``account_id, group, found_by`` after :func:`rejoin_rings`) with one
    ``found_by`` per joined group: ``graph``, ``coaction`` or ``graph+coaction`` as its pieces
    were found (a piece the co-action groups made counts as co-action)."""
    if joined.height == 0:
        return found
    inside = pl.col("account_id").is_in(joined["account_id"].implode())
    graph = (inside & pl.col("found_by").str.contains("graph")).any().over("group")
    # The 120-s co-action groups' pieces ("coaction", "graph+coaction"), not the slow pass's
    # ("slow_coaction": its groups' name and reasons read the slow bursts of its members only).
    coaction = (inside & pl.col("found_by").str.contains(r"(^|\+)coaction")).any().over("group")
    # A group joined of the slow pass's pieces alone was found by it, not by the link graph.
    slow = (inside & pl.col("found_by").str.contains("slow_coaction")).any().over("group")
    merged = inside.any().over("group")
    return found.with_columns(
        pl.when(~merged).then(pl.col("found_by"))
        .when(graph & coaction).then(pl.lit("graph+coaction"))
        .when(coaction).then(pl.lit("coaction"))
        .when(slow & ~graph).then(pl.lit("slow_coaction"))
        .otherwise(pl.lit("graph")).alias("found_by"))


__all__ = ["FRAGMENT_SHARE", "MIN_FRAGMENT", "SHATTERED", "joined_found_by", "rejoin_rings"]

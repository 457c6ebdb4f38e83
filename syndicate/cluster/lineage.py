"""Cluster ids and lineage: the same syndicate keeps its id from one run to the next.

A first run names each cluster by a hash of its smallest member (`content_cluster_ids`). A
later run matches its clusters to the previous run's by shared members
(`assign_cluster_ids`): a cluster keeps the id of the previous cluster it best overlaps, and
says how it got here:

=============  ===========================================================================
``new``        no previous cluster is related to it
``persisting`` kept its id, same number of members
``grown``      kept its id, more members than before
``shrunk``     kept its id, fewer members than before
``merged``     two or more previous clusters went (mostly) into it; it keeps the id of the
               one it overlaps most
``split``      its previous cluster went (mostly) into two or more clusters; the largest piece
               keeps the id, the other pieces get new ids and name their parent
=============  ===========================================================================

A previous and a current cluster are *related* when the members they share are at least
``min_share`` of either of them: one account moving between two large clusters relates
nothing, a household that lost one of three members still relates. Previous clusters that
relate to no current cluster are *dissolved*.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import polars as pl

LINEAGE_STATES = ("new", "persisting", "grown", "shrunk", "merged", "split")

_LINEAGE_SCHEMA = {"cluster_id": pl.String, "lineage": pl.String, "previous_id": pl.String,
                   "previous_size": pl.UInt32, "previous_ids": pl.List(pl.String)}
_DISSOLVED_SCHEMA = {"cluster_id": pl.String, "previous_size": pl.UInt32,
                     "still_clustered": pl.UInt32}


def _hash_id(anchor: str, salt: int = 0) -> str:
    key = anchor if salt == 0 else f"{anchor}#{salt}"
    return "C" + hashlib.blake2b(key.encode(), digest_size=6).hexdigest()


def content_cluster_ids(groups: pl.DataFrame) -> pl.DataFrame:
    """Give each group an id from a hash of its smallest member account id.

    Input ``account_id, group``; output ``account_id, cluster_id`` sorted by account. The id
    does not depend on group numbering or row order, and survives members joining or leaving
    as long as the smallest member stays (run-to-run matching by overlap refines this).
    """
    anchors = groups.group_by("group").agg(pl.col("account_id").min().alias("anchor"))
    ids = {row[0]: _hash_id(row[1]) for row in anchors.iter_rows()}
    mapping = pl.DataFrame({"group": list(ids), "cluster_id": list(ids.values())},
                           schema={"group": groups.schema["group"], "cluster_id": pl.String})
    return groups.join(mapping, on="group").select("account_id", "cluster_id").sort("account_id")


@dataclass
class Lineage:
    """Ids of this run's clusters and how each relates to the previous run.

    Attributes
    ----------
    members : account_id, cluster_id (sorted by account)
    ids : group, cluster_id — the input group labels and the id each group got
    clusters : cluster_id, lineage, previous_id, previous_size, previous_ids
        ``previous_id`` is the id kept (or, for a split piece, its parent); ``previous_ids``
        every related previous cluster (the sources of a merge).
    dissolved : cluster_id, previous_size, still_clustered — previous clusters that relate
        to no current cluster, and how many of their members are in some cluster now.
    """

    members: pl.DataFrame
    ids: pl.DataFrame
    clusters: pl.DataFrame
    dissolved: pl.DataFrame

    def relabel(self, frame: pl.DataFrame, column: str = "cluster_id") -> pl.DataFrame:
        """Replace the group labels in ``frame[column]`` by the assigned cluster ids."""
        mapping = self.ids.rename({"group": column, "cluster_id": "__id"})
        mapping = mapping.with_columns(pl.col(column).cast(frame.schema[column]))
        order = frame.columns
        return (frame.join(mapping, on=column, how="left").drop(column)
                .rename({"__id": column}).select(order))


def _greedy_matching(pairs: pl.DataFrame) -> pl.DataFrame:
    """One-to-one matching of groups to previous ids, best pair first.

    ``pairs`` has ``group, previous_id, order`` where ``order`` is a strict total order (0 is
    best). Taking every pair that is the best for both its group and its previous cluster,
    dropping what they use and repeating gives exactly the greedy matching, in a few
    vectorised rounds instead of one pair at a time.
    """
    matched = []
    rest = pairs.select("group", "previous_id", "order")
    while rest.height:
        mutual = rest.filter(
            (pl.col("order") == pl.col("order").min().over("group"))
            & (pl.col("order") == pl.col("order").min().over("previous_id"))
        )
        matched.append(mutual.select("group", "previous_id"))
        rest = (rest.join(mutual, on="group", how="anti")
                .join(mutual.select("previous_id"), on="previous_id", how="anti"))
    if not matched:
        return pairs.select("group", "previous_id").clear()
    return pl.concat(matched)


def _unique_new_ids(anchors: pl.DataFrame, taken: set[str]) -> pl.DataFrame:
    """Content ids for ``group, anchor`` that clash with none of ``taken`` nor each other."""
    out, used = [], set(taken)
    for group, anchor in anchors.sort("anchor").iter_rows():
        salt = 0
        while (cluster_id := _hash_id(anchor, salt)) in used:
            salt += 1  # a dissolved or split parent owned this anchor: derive another id
        used.add(cluster_id)
        out.append((group, cluster_id))
    return pl.DataFrame(out, schema={"group": anchors.schema["group"], "new_id": pl.String},
                        orient="row")


def assign_cluster_ids(groups: pl.DataFrame, previous_members: pl.DataFrame | None = None, *,
                       min_share: float = 0.5) -> Lineage:
    """Name this run's groups, carrying ids over from the previous run by shared members.

    Parameters
    ----------
    groups : polars.DataFrame
        ``account_id, group``: this run's clusters under any labels (each account once).
    previous_members : polars.DataFrame, optional
        ``account_id, cluster_id`` of the previous run; ``None`` for a first run (every
        cluster ``new``).
    min_share : float
        A previous and a current cluster are related when their shared members are at least
        this share of either one.

    Returns
    -------
    Lineage
        Deterministic: depends on memberships only, not on group labels or row order.

    Examples
    --------
    >>> prev = pl.DataFrame({"account_id": ["a", "b", "c"], "cluster_id": ["C1"] * 3})
    >>> now = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "group": [7] * 4})
    >>> assign_cluster_ids(now, prev).clusters["lineage"].to_list()
    ['grown']
    """
    if not 0 < min_share <= 1:
        raise ValueError(f"The 'min_share' parameter must be a float in (0, 1]. Got {min_share!r} instead.")
    groups = groups.select("account_id", "group")
    current = groups.group_by("group").agg(
        pl.len().alias("size"), pl.col("account_id").min().alias("anchor"))
    if previous_members is None:
        previous_members = pl.DataFrame(schema={"account_id": pl.String, "cluster_id": pl.String})
    previous = previous_members.select("account_id", pl.col("cluster_id").alias("previous_id"))
    previous_sizes = previous.group_by("previous_id").agg(pl.len().cast(pl.UInt32).alias("previous_size"))

    pairs = (
        groups.join(previous, on="account_id")
        .group_by("group", "previous_id").agg(pl.len().alias("shared"))
        .join(current, on="group").join(previous_sizes, on="previous_id")
        .filter((pl.col("shared") >= min_share * pl.col("size"))
                | (pl.col("shared") >= min_share * pl.col("previous_size")))
        .with_columns((pl.col("shared") / (pl.col("size") + pl.col("previous_size") - pl.col("shared")))
                      .alias("jaccard"))
        # Most shared members first; ties by overlap quality, then by names (determinism).
        .sort(["shared", "jaccard", "previous_id", "anchor"], descending=[True, True, False, False])
        .with_row_index("order")
    )
    matching = _greedy_matching(pairs)
    related_count = pairs.group_by("previous_id").agg(pl.len().alias("n_pieces"))
    best_related = (pairs.sort("order").group_by("group", maintain_order=True)
                    .agg(pl.col("previous_id").first().alias("best_previous"),
                         pl.col("previous_id").sort().alias("previous_ids")))

    taken = set(previous_sizes["previous_id"].to_list())
    unmatched = current.join(matching, on="group", how="anti").select("group", "anchor")
    new_ids = _unique_new_ids(unmatched, taken)

    table = (
        current.join(matching.rename({"previous_id": "kept_id"}), on="group", how="left")
        .join(new_ids, on="group", how="left")
        .join(best_related, on="group", how="left")
        .with_columns(pl.coalesce("kept_id", "new_id").alias("cluster_id"),
                      # the id kept or, for a split piece with a new id, its parent
                      pl.coalesce("kept_id", "best_previous").alias("previous_id"),
                      pl.col("previous_ids").fill_null(pl.lit([], dtype=pl.List(pl.String))))
        .join(related_count, on="previous_id", how="left")
        .join(previous_sizes, on="previous_id", how="left")
    )
    kept = pl.col("kept_id").is_not_null()
    table = table.with_columns(
        pl.when(pl.col("previous_id").is_null()).then(pl.lit("new"))
        .when(kept & (pl.col("previous_ids").list.len() >= 2)).then(pl.lit("merged"))
        .when(~kept | (pl.col("n_pieces") >= 2)).then(pl.lit("split"))
        .when(pl.col("size") > pl.col("previous_size")).then(pl.lit("grown"))
        .when(pl.col("size") < pl.col("previous_size")).then(pl.lit("shrunk"))
        .otherwise(pl.lit("persisting"))
        .alias("lineage"),
    )
    clusters = table.select(
        "cluster_id", "lineage", "previous_id", "previous_size", "previous_ids"
    ).cast(_LINEAGE_SCHEMA).sort("cluster_id")
    ids = table.select("group", "cluster_id").sort("cluster_id")
    members = (groups.join(ids, on="group").select("account_id", "cluster_id").sort("account_id"))

    dissolved = (
        previous_sizes.join(pairs.select("previous_id").unique(), on="previous_id", how="anti")
        .join(previous.join(groups.select("account_id"), on="account_id")
              .group_by("previous_id").agg(pl.len().alias("still_clustered")),
              on="previous_id", how="left")
        .with_columns(pl.col("still_clustered").fill_null(0))
        .rename({"previous_id": "cluster_id"})
        .cast(_DISSOLVED_SCHEMA).sort("cluster_id")
    )
    return Lineage(members=members, ids=ids, clusters=clusters, dissolved=dissolved)


__all__ = ["content_cluster_ids", "assign_cluster_ids", "Lineage", "LINEAGE_STATES"]

"""One partition from two: graph groups (identity/lockstep evidence) and behaviour groups
(HDBSCAN).

Graph groups rest on concrete evidence an investigator can check, so they take precedence and
are never changed. A behaviour group that largely coincides with a graph group confirms it;
its members that no graph group holds become a group of their own (the case HDBSCAN is
there for: a farm on separate devices).
"""

from __future__ import annotations

import polars as pl

# A behaviour group "matches" a graph group when their Jaccard overlap reaches this: at 0.5
# the two agree on at least half of their combined membership, and each behaviour group can
# match at most one graph group.
MATCH_JACCARD = 0.5
DENSITY_PREFIX = "h"


def reconcile(graph_groups: pl.DataFrame, density_groups: pl.DataFrame, *,
              min_size: int = 2) -> pl.DataFrame:
    """Merge graph and behaviour groups into one partition.

    Parameters
    ----------
    graph_groups, density_groups : DataFrame
        ``account_id, group``; each a partition of a subset of accounts.
    min_size : int
        Members of a behaviour group outside every graph group form a new group only if at
        least this many remain (``ClusterConfig.min_cluster_size``).

    Returns
    -------
    DataFrame
        ``account_id, group, found_by`` sorted by account_id; every account at most once.
        Graph groups keep their names and members, ``found_by`` is ``"graph+hdbscan"`` when
        a behaviour group matches them (Jaccard >= 0.5), else ``"graph"``; new groups
        (``found_by = "hdbscan"``) are named ``"h<name>"`` (the behaviour group's name, with
        the prefix added when missing), made unique against graph group names.

    Examples
    --------
    >>> g = pl.DataFrame({"account_id": ["a", "b", "c"], "group": ["0", "0", "1"]})
    >>> d = pl.DataFrame({"account_id": ["a", "b", "x", "y"], "group": ["h0", "h0", "h1", "h1"]})
    >>> reconcile(g, d).rows()
    [('a', '0', 'graph+hdbscan'), ('b', '0', 'graph+hdbscan'), ('c', '1', 'graph'), ('x', 'h1', 'hdbscan'), ('y', 'h1', 'hdbscan')]
    """
    if min_size < 1:
        raise ValueError(f"The 'min_size' parameter must be an int >= 1. Got {min_size!r} instead.")
    graph = graph_groups.select(pl.col("account_id").cast(pl.String), pl.col("group").cast(pl.String))
    density = density_groups.select(pl.col("account_id").cast(pl.String),
                                    pl.col("group").cast(pl.String))

    graph_size = graph.group_by("group").agg(pl.len().alias("g_size"))
    density_size = density.group_by("group").agg(pl.len().alias("d_size"))
    overlap = (
        density.join(graph, on="account_id", suffix="_graph")
        .group_by("group", "group_graph").agg(pl.len().alias("inter"))
        .join(density_size, on="group")
        .join(graph_size.rename({"group": "group_graph"}), on="group_graph")
        .with_columns((pl.col("inter") / (pl.col("d_size") + pl.col("g_size") - pl.col("inter")))
                      .alias("jaccard"))
    )
    confirmed = overlap.filter(pl.col("jaccard") >= MATCH_JACCARD)["group_graph"].unique()
    kept = graph.with_columns(
        pl.when(pl.col("group").is_in(confirmed.implode()))
        .then(pl.lit("graph+hdbscan")).otherwise(pl.lit("graph")).alias("found_by")
    )

    leftover = density.join(graph, on="account_id", how="anti")
    sizes = leftover.group_by("group").agg(pl.len().alias("n"))
    leftover = leftover.join(sizes.filter(pl.col("n") >= min_size), on="group", how="semi")
    names = _new_names(leftover["group"].unique().sort().to_list(),
                       taken=set(graph["group"].unique().to_list()))
    mapping = pl.DataFrame({"group": list(names), "new": list(names.values())},
                           schema={"group": pl.String, "new": pl.String})
    added = (
        leftover.join(mapping, on="group")
        .select("account_id", pl.col("new").alias("group"), pl.lit("hdbscan").alias("found_by"))
    )
    return pl.concat([kept, added]).sort("account_id", "group")


def _new_names(groups: list[str], *, taken: set[str]) -> dict[str, str]:
    """``h``-prefixed names, unique against ``taken`` and each other (sorted input in, so the
    result does not depend on row order). Only group names are looped over, not accounts."""
    names: dict[str, str] = {}
    used = set(taken)
    for group in groups:
        name = group if group.startswith(DENSITY_PREFIX) else DENSITY_PREFIX + group
        while name in used:
            name += "'"
        used.add(name)
        names[group] = name
    return names


__all__ = ["reconcile", "MATCH_JACCARD"]

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



def absorb_coaction(graph_groups: pl.DataFrame, coaction: pl.DataFrame, *, min_size: int = 2,
                    protected: pl.Series | None = None) -> pl.DataFrame:
    """Merge co-action groups into graph groups: a co-action group absorbs the graph groups that
    lie mostly inside it.

    A rotating farm's workers often come with small graph groups of their own (two workers on
    one proxy IP); those are fragments of the farm, so a graph group with at least half of its
    members in a co-action group at least as large joins that group (the one holding most of it),
    unless it is ``protected`` (bound by personal identifiers: one operator's devices or cards
    are a syndicate of their own, whatever else its members do) and not wholly inside a larger
    one. A protected group all of whose members act in a larger crew is one of its teams: a farm's workers
    sharing phones in teams (the eleventh marketplace's farms of 136-217 came out in three or
    four pieces, teams of 8-44 apart from the rest; joined, 4 of 4 farms are found on both seeds
    instead of 2 and 3, and every other marketplace kept its clusters). An unprotected graph group with
    a minority of its members in a co-action group gives them up to it: a botnet of hijacked old
    accounts comes one or two from each household (the home IP and address are real, but what
    the accounts did as a crew is the syndicate), and so do a farm's workers with their
    flatmates. Protected graph groups, and groups with half or more of their members inside a
    smaller co-action group, keep theirs, which leave the co-action group. Groups keep their
    names; ``found_by`` is ``"graph"``, ``"coaction"`` or ``"graph+coaction"`` (the group
    absorbed graph groups).

    Examples
    --------
    Graph group 0 lies inside the co-action group and joins it; group 1 has one of its three
    members there, which goes with the crew (with ``protected=["1"]`` it would stay):

    >>> g = pl.DataFrame({"account_id": ["a", "b", "x", "y", "z"], "group": ["0", "0", "1", "1", "1"]})
    >>> c = pl.DataFrame({"account_id": ["a", "b", "c", "d", "x"], "group": ["c0"] * 5})
    >>> absorb_coaction(g, c).rows()
    [('a', 'c0', 'graph+coaction'), ('b', 'c0', 'graph+coaction'), ('c', 'c0', 'graph+coaction'), ('d', 'c0', 'graph+coaction'), ('x', 'c0', 'graph+coaction'), ('y', '1', 'graph'), ('z', '1', 'graph')]
    """
    graph = graph_groups.select(pl.col("account_id").cast(pl.String), pl.col("group").cast(pl.String))
    co = coaction.select(pl.col("account_id").cast(pl.String), pl.col("group").cast(pl.String))
    if co.height == 0:
        return graph.with_columns(pl.lit("graph").alias("found_by")).sort("account_id", "group")
    g_size = graph.group_by("group").agg(pl.len().alias("g_size"))
    c_size = co.group_by("group").agg(pl.len().alias("c_size"))
    guarded = (protected if protected is not None else pl.Series([], dtype=pl.String)).cast(pl.String)
    # Who is in both, and how much of each graph group each co-action group holds.
    both = co.join(graph, on="account_id", suffix="_graph")
    overlap = (both.group_by("group", "group_graph").agg(pl.len().alias("inter"))
               .join(c_size, on="group").join(g_size.rename({"group": "group_graph"}), on="group_graph")
               .with_columns(guarded=pl.col("group_graph").is_in(guarded.implode())))
    absorbed = (
        overlap.filter((pl.col("inter") * 2 >= pl.col("g_size")) & (pl.col("g_size") <= pl.col("c_size"))
                       & (~pl.col("guarded")
                          | ((pl.col("inter") == pl.col("g_size")) & (pl.col("c_size") > pl.col("g_size")))))
        .sort("group_graph", "inter", "group", descending=[False, True, False])
        .unique("group_graph", keep="first", maintain_order=True)
        .select("group_graph", pl.col("group").alias("into"))
    )
    # A co-action group holding a minority of an unprotected graph group takes those members:
    # what they did as a crew is the syndicate, the IPs or address they share with others (a
    # hijacked account's household, a worker's flatmates) is not.
    minority = overlap.filter((pl.col("inter") * 2 < pl.col("g_size")) & ~pl.col("guarded")
                              & ~pl.col("group_graph").is_in(absorbed["group_graph"].implode()))
    leaving = both.join(minority, on=["group", "group_graph"], how="semi").select("account_id")
    graph = (graph.join(absorbed, left_on="group", right_on="group_graph", how="left")
             .join(leaving, on="account_id", how="anti"))
    kept = graph.filter(pl.col("into").is_null()).select("account_id", "group", pl.lit("graph").alias("found_by"))
    joined = graph.filter(pl.col("into").is_not_null()).select("account_id", pl.col("into").alias("group"))
    co_rest = co.join(graph.select("account_id"), on="account_id", how="anti")
    added = pl.concat([joined, co_rest]).unique("account_id", keep="first", maintain_order=True)
    sizes = added.group_by("group").agg(pl.len().alias("n"))
    added = added.join(sizes.filter(pl.col("n") >= min_size), on="group", how="semi")
    merged_into = absorbed["into"].unique()
    added = added.with_columns(
        pl.when(pl.col("group").is_in(merged_into.implode())).then(pl.lit("graph+coaction"))
        .otherwise(pl.lit("coaction")).alias("found_by"))
    return pl.concat([kept, added]).sort("account_id", "group")


def add_slow_groups(found: pl.DataFrame, slow: pl.DataFrame, *, min_size: int = 2) -> pl.DataFrame:
    """``found`` (``account_id, group, found_by``) with the slow co-action pass's groups
    (``slow``: ``account_id, group``) made of the accounts no group of ``found`` holds: a group
    keeps its members that no other stage put in a cluster, when they are still ``min_size``
    or more (``found_by = "slow_coaction"``, named ``"s<name>"``). Groups already found keep
    their members: co-action within the hour joins what fans, cohorts and newsrooms do too,
    and letting it take or merge found groups lost more than it found (RESULTS.md, the
    fifty-first sitting); over the accounts left out it finds what spreads its jobs over an
    hour.

    >>> f = pl.DataFrame({"account_id": ["a", "b"], "group": ["0", "0"], "found_by": ["graph"] * 2})
    >>> s = pl.DataFrame({"account_id": ["a", "c", "d", "e"], "group": ["c0"] * 4})
    >>> add_slow_groups(f, s).rows()
    [('a', '0', 'graph'), ('b', '0', 'graph'), ('c', 'sc0', 'slow_coaction'), ('d', 'sc0', 'slow_coaction'), ('e', 'sc0', 'slow_coaction')]
    """
    rest = slow.select(pl.col("account_id").cast(pl.String), pl.col("group").cast(pl.String)).join(
        found.select("account_id"), on="account_id", how="anti")
    sizes = rest.group_by("group").agg(pl.len().alias("n"))
    rest = rest.join(sizes.filter(pl.col("n") >= min_size), on="group", how="semi")
    if rest.height == 0:
        return found
    added = rest.select("account_id", (pl.lit("s") + pl.col("group")).alias("group"),
                        pl.lit("slow_coaction").alias("found_by"))
    return pl.concat([found, added], how="vertical_relaxed").sort("account_id", "group")


__all__ = ["reconcile", "absorb_coaction", "add_slow_groups", "MATCH_JACCARD"]

"""Split large components with seeded Leiden community detection (igraph, in C).

igraph's Leiden is ~20x faster than networkx's Louvain on components of 10^5 nodes with the
same modularity (PERFORMANCE.md); networkx stays for small per-cluster work.
"""

from __future__ import annotations

import random

import igraph as ig
import numpy as np
import polars as pl

from syndicate.cluster.components import encode_edges

LEIDEN_ITERATIONS = 10


def link_graph(n: int, a: np.ndarray, b: np.ndarray) -> ig.Graph:
    """An undirected igraph graph on nodes ``0..n-1`` with the edges ``(a, b)``. add_edges from
    an int array: half the time of the constructor's edges= or of a list of lists (the same
    graph); the constructor was two thirds of the split of a million accounts' 95 components
    over 100."""
    graph = ig.Graph(n=n, directed=False)
    graph.add_edges(np.column_stack([a, b]).astype(np.int64))
    return graph


def leiden_communities(a: np.ndarray, b: np.ndarray, weight: np.ndarray, n: int, *, resolution: float = 1.0,
                       seed: int = 0) -> np.ndarray:
    """Community label of each node ``0..n-1`` of a weighted graph given as an integer edge list
    (modularity).

    Deterministic for a given seed and edge order: igraph draws from a ``random.Random(seed)``.
    """
    graph = link_graph(n, a, b)
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.community_leiden(
            objective_function="modularity",
            weights=weight.tolist(),
            resolution=resolution,
            # Bounded: "until convergence" (-1) never returned on some small graphs found by the
            # property tests; Leiden reaches its modularity in a few iterations (2 already match
            # on 239k nodes, PERFORMANCE.md), and 10 keeps the result deterministic and finite.
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(partition.membership, dtype=np.int64)


def cut_again(a: np.ndarray, b: np.ndarray, weight: np.ndarray, membership: np.ndarray, *, above: int,
              resolution: float = 1.0, seed: int = 0, max_bridge: float = 0.0,
              min_bridge_links: int = 1) -> np.ndarray:
    """``membership`` with each community larger than ``above`` cut again by Leiden on its own
    links, until none is or none splits further; labels ``0..k-1`` in order of each
    community's smallest node. With ``max_bridge``, the parts of each such cut are joined
    again by :func:`_rejoin` over that community's own links before they count (a community
    whose parts all join again stays whole), and never with another community: a cut is judged
    where it was made. (Judged over the whole component, finer parts chained communities the
    first cut had kept apart: on a dating marketplace, three swipe farms of 97-150 apart at the
    first cut came out as one cluster of 383.)

    Modularity cannot see groups much smaller than the square root of the graph's total
    weight (its resolution limit): on a component of 1,800 accounts of a freelance marketplace,
    rings of 7-50 bridged by a rented SMS pool came out as one community of 419 (32 planted
    groups and the pool's honest users), while Leiden run on that community alone cut it along
    the rings. Hierarchical Leiden does the same (graspologic's ``hierarchical_leiden`` with
    ``max_cluster_size``)."""
    n = len(membership)
    membership = membership.copy()
    settled = np.zeros(int(membership.max()) + 1 if n else 0, dtype=bool)
    while True:
        sizes = np.bincount(membership, minlength=len(settled))
        large = np.flatnonzero((sizes > above) & ~settled)
        if len(large) == 0:
            break
        for community in large:  # a handful per component, each a subgraph
            nodes = np.flatnonzero(membership == community)
            local = np.full(n, -1, dtype=np.int64)
            local[nodes] = np.arange(len(nodes))
            inside = (membership[a] == community) & (membership[b] == community)
            sa, sb, sw = local[a[inside]], local[b[inside]], weight[inside]
            parts = leiden_communities(sa, sb, sw, len(nodes), resolution=resolution, seed=seed)
            if max_bridge > 0 and parts.max() > 0:
                parts = _rejoin(sa, sb, sw, parts, max_bridge, min_bridge_links)
            # A community Leiden keeps whole is settled; each round splits or settles one, so
            # the rounds end (at most one per node).
            settled[community] = parts.max() == 0
            if parts.max() > 0:
                new = parts > 0
                membership[nodes[new]] = len(settled) + parts[new] - 1
                settled = np.concatenate([settled, np.zeros(int(parts.max()), dtype=bool)])
    # Renumber by each community's smallest node: the same labels whatever the order of splits.
    _, first, inverse = np.unique(membership, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first, kind="stable"), kind="stable")[inverse]


def leiden_cpm(a: np.ndarray, b: np.ndarray, weight: np.ndarray, node_size: np.ndarray, *,
               resolution: float, seed: int = 0, n_iterations: int = 2) -> np.ndarray:
    """Leiden with the constant Potts model on an integer edge list (nodes ``0..len(node_size)-1``
    weighted by ``node_size``): a community's internal weight must exceed ``resolution`` times
    its number of (weighted) node pairs. ``n_iterations``: igraph runs exactly this many (two
    reach the quality of more on large graphs, PERFORMANCE.md; rare co-action asks for ten).
    Deterministic for a given seed and edge order."""
    graph = link_graph(len(node_size), a, b)
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.community_leiden(
            objective_function="CPM", weights=weight.tolist(), resolution=resolution,
            node_weights=node_size.astype(np.float64).tolist(), n_iterations=n_iterations)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(partition.membership, dtype=np.int64)


def split_large_components(
    components: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    split_above: int,
    min_edge_weight: float,
    resolution: float = 1.0,
    seed: int = 0,
    max_bridge: float = 0.0,
    min_bridge_links: int = 1,
    resplit_above: int = 0,
) -> pl.DataFrame:
    """Replace every component larger than ``split_above`` by its Leiden communities, joined
    again where they are more than barely bridged; then, when ``resplit_above`` is set (the
    pipeline's ``[cluster] resplit_above``; 0 here, off), each community larger than it is cut
    again on its own (:func:`cut_again`).

    Modularity cuts a component into its denser parts; a cut is kept only where the link
    weight between two parts is under ``max_bridge`` times the smaller part's own inner link
    weight or they are joined by fewer than ``min_bridge_links`` links (:func:`_rejoin`;
    ``max_bridge`` 0 keeps every cut). Input ``account_id, component``; output
    ``account_id, group`` where ``group`` is ``"<component>"`` or ``"<component>.<part>"``.
    """
    sizes = components.group_by("component").agg(pl.len().alias("size"))
    large = sizes.filter(pl.col("size") > split_above)["component"].sort().to_list()
    groups = components.with_columns(pl.col("component").cast(pl.String).alias("group"))
    if not large:
        return groups.select("account_id", "group")
    strong = edges.filter(pl.col("weight") >= min_edge_weight).select("account_a", "account_b", "weight")
    labelled = components.filter(pl.col("component").is_in(large))
    # Both ends in the component (components carved apart can be linked across).
    within = (strong.join(labelled.rename({"account_id": "account_a"}), on="account_a")
              .join(labelled.rename({"account_id": "account_b", "component": "_cb"}), on="account_b")
              .filter(pl.col("component") == pl.col("_cb")).drop("_cb"))
    # One pass over the edges, not one filter per component (hundreds at a million accounts).
    by_component = within.partition_by("component", as_dict=True)
    nodes_of = labelled.partition_by("component", as_dict=True)
    parts = []
    for component in large:
        nodes = nodes_of[(component,)]["account_id"].sort()
        # Sorted edges: Leiden visits nodes/edges in input order, so fix it for determinism.
        # A component with no edge at the bar here (an engine's components, weights at the
        # cut-off) has no part to cut: Leiden leaves each node alone.
        comp_edges = by_component.get((component,), within.clear()).sort("account_a", "account_b")
        a, b = encode_edges(comp_edges, nodes)
        weight = comp_edges["weight"].to_numpy().astype(np.float64)
        membership = leiden_communities(a, b, weight, len(nodes), resolution=resolution, seed=seed)
        if max_bridge > 0:
            membership = _rejoin(a, b, weight, membership, max_bridge, min_bridge_links)
        if resplit_above:
            membership = cut_again(a, b, weight, membership, above=resplit_above, resolution=resolution,
                                   seed=seed, max_bridge=max_bridge, min_bridge_links=min_bridge_links)
        parts.append(
            pl.DataFrame({"account_id": nodes, "community": membership}).with_columns(
                (pl.lit(f"{component}.") + pl.col("community").cast(pl.String)).alias("group")
            )
        )
    split = pl.concat(parts).select("account_id", "group")
    return pl.concat(
        [groups.filter(~pl.col("component").is_in(large)).select("account_id", "group"), split]
    )


def _rejoin(a: np.ndarray, b: np.ndarray, weight: np.ndarray, membership: np.ndarray, max_bridge: float,
            min_links: int = 1) -> np.ndarray:
    """``membership`` with parts joined, most bridged first, while two parts' link weight
    between them is at least ``max_bridge`` times the smaller of their inner link weights and
    they are joined by at least ``min_links`` links (a part with no inner link joins whatever
    it touches); parts numbered by their smallest node.

    One pair at a time, with the weights of the joined part recounted: a handful of accounts
    that Leiden left as a part of their own joins the farm it is most bound to, and is not a
    bridge by which two farms it touched join each other. The edges are summed once into the
    graph of parts; the joins work on that (its pairs are far fewer than the edges). Edges as
    node codes ``(a, b)`` with their ``weight``."""
    pa, pb = membership[a], membership[b]
    n_parts = int(membership.max()) + 1
    same = pa == pb
    inner = np.bincount(pa[same], weights=weight[same], minlength=n_parts)
    lo, hi = np.minimum(pa[~same], pb[~same]), np.maximum(pa[~same], pb[~same])
    x, y, (bridge, count) = _part_pairs(lo, hi, n_parts, weight[~same], np.ones(len(lo)))
    joined_to = np.arange(n_parts)
    while len(x):  # once per join: a component's parts are tens to hundreds, not rows
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = bridge / np.minimum(inner[x], inner[y])  # inf: a part with no inner link
        # One link is no bridge, whatever its weight: it is how strangers get chained in.
        ratio = np.where((count >= min_links) | np.isinf(ratio), ratio, 0.0)
        best = int(np.argmax(ratio))  # the first of equal ratios: the smallest part numbers
        if not ratio[best] >= max_bridge:
            break
        keep, gone = int(x[best]), int(y[best])
        inner[keep] += inner[gone] + bridge[best]
        joined_to[joined_to == gone] = keep
        x, y = np.where(x == gone, keep, x), np.where(y == gone, keep, y)
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        apart = lo != hi
        x, y, (bridge, count) = _part_pairs(lo[apart], hi[apart], n_parts, bridge[apart], count[apart])
    # Renumber by each part's smallest node (nodes are sorted): deterministic names.
    _, first, inverse = np.unique(joined_to[membership], return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first, kind="stable"), kind="stable")[inverse]


def _part_pairs(lo: np.ndarray, hi: np.ndarray, n_parts: int, *weights: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Distinct pairs ``lo < hi`` (sorted) and, for each of ``weights``, its sum per pair."""
    pairs, at = np.unique(lo.astype(np.int64) * n_parts + hi, return_inverse=True)
    return pairs // n_parts, pairs % n_parts, [np.bincount(at, weights=w, minlength=len(pairs)) for w in weights]

"""Connected components of the strong-edge graph (scipy.sparse.csgraph, in C)."""

from __future__ import annotations

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from syndicate.sorted_runs import marked


def node_codes(edges: pl.DataFrame) -> pl.Series:
    """Sorted distinct account ids that appear in ``edges``: position = integer code."""
    return pl.concat([edges["account_a"], edges["account_b"]]).unique().sort()


def encode_edges(edges: pl.DataFrame, nodes: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``account_a`` and ``account_b`` in ``nodes`` (sorted)."""
    return (
        nodes.search_sorted(edges["account_a"]).to_numpy().astype(np.int64),
        nodes.search_sorted(edges["account_b"]).to_numpy().astype(np.int64),
    )


def strong_components(edges: pl.DataFrame, *, min_edge_weight: float, ids: pl.Series | None = None) -> pl.DataFrame:
    """Connected components over edges with ``weight >= min_edge_weight``.

    ``edges`` are keyed by account ids, or by integer account codes with ``ids`` the id of
    each code, in id order (``syndicate.link.codes``): then no string is hashed or sorted.

    Returns ``account_id, component`` (int, numbered in order of the smallest account id of
    each component, so the numbering does not depend on row order). Accounts without a strong
    edge are left out.

    Examples
    --------
    >>> e = pl.DataFrame({"account_a": ["a", "c"], "account_b": ["b", "d"], "weight": [0.9, 0.1]})
    >>> strong_components(e, min_edge_weight=0.5).rows()
    [('a', 0), ('b', 0)]
    """
    if edges.schema["account_a"].is_integer():
        if ids is None and edges["weight"].ge(min_edge_weight).any():
            raise ValueError("edges keyed by account codes need the ids of the codes ('ids')")
        return _coded_components(edges, min_edge_weight=min_edge_weight, ids=ids)
    strong = edges.select("account_a", "account_b", "weight").filter(pl.col("weight") >= min_edge_weight)
    if strong.height == 0:
        return pl.DataFrame(schema={"account_id": pl.String, "component": pl.Int64})
    nodes = node_codes(strong)
    a, b = encode_edges(strong, nodes)
    n = len(nodes)
    graph = sp.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    return pl.DataFrame({"account_id": nodes, "component": _first_appearance(labels)})


def _coded_components(edges: pl.DataFrame, *, min_edge_weight: float, ids: pl.Series) -> pl.DataFrame:
    """:func:`strong_components` of edges keyed by account codes: the codes of the strong
    edges' ends found by a mask over all codes (no sort), and the adjacency built row by row
    in code order (no coordinate sort). At 1M accounts (13M edges): 0.3 s, 1.3 s before."""
    strong = (edges["weight"] >= min_edge_weight).fill_null(False).to_numpy()
    a = edges["account_a"].to_numpy()[strong]
    b = edges["account_b"].to_numpy()[strong]
    del strong
    if len(a) == 0:
        return pl.DataFrame(schema={"account_id": pl.String, "component": pl.Int64})
    present = marked(max(len(ids), int(a.max()) + 1, int(b.max()) + 1), a, b)
    codes = np.flatnonzero(present)
    local = np.cumsum(present, dtype=np.int64)
    local -= 1
    del present
    a, b = local[a], local[b]
    del local
    n = len(codes)
    if len(a) > 1 and not (a[1:] >= a[:-1]).all():
        order = np.argsort(a, kind="stable")
        a, b = a[order], b[order]
    # One stored entry per edge (x -> y); connected_components reads the graph as undirected,
    # and its labels depend on the adjacency only, not on how it was built.
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    graph = sp.csr_matrix((np.ones(len(b), dtype=np.int8), b, indptr), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return pl.DataFrame({"account_id": ids.gather(codes).rename("account_id"), "component": _first_appearance(labels)})


def _first_appearance(labels: np.ndarray) -> np.ndarray:
    """Component labels renumbered by first appearance over the (sorted) nodes: deterministic,
    independent of edge order. Labels already in that order (scipy numbers components as it
    meets them) come back as they are."""
    labels = labels.astype(np.int64, copy=False)
    if len(labels) and labels[0] == 0 and (np.diff(np.maximum.accumulate(labels)) <= 1).all():
        return labels
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[labels]


def pair_components(left: pl.Series, right: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """Connected components of the two-sided graph whose edges are the row pairs
    ``(left[i], right[i])``: the distinct ``left`` values, sorted, and each one's component
    label (left values joined through a shared right value share a label).

    >>> values, labels = pair_components(pl.Series(["a", "b", "c"]), pl.Series([1, 1, 2]))
    >>> values.to_list(), labels.tolist()
    (['a', 'b', 'c'], [0, 0, 1])
    """
    lefts, rights = left.unique().sort(), right.unique().sort()
    a = lefts.search_sorted(left).to_numpy()
    b = rights.search_sorted(right).to_numpy() + len(lefts)
    n = len(lefts) + len(rights)
    graph = sp.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    return lefts, connected_components(graph, directed=False)[1][: len(lefts)]

"""Connected components of the strong-edge graph (scipy.sparse.csgraph, in C)."""

from __future__ import annotations

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components


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
    strong = edges.filter(pl.col("weight") >= min_edge_weight)
    if strong.height == 0:
        return pl.DataFrame(schema={"account_id": pl.String, "component": pl.Int64})
    if strong.schema["account_a"].is_integer():
        if ids is None:
            raise ValueError("edges keyed by account codes need the ids of the codes ('ids')")
        codes = np.unique(np.r_[strong["account_a"].to_numpy(), strong["account_b"].to_numpy()])
        nodes = ids.gather(codes).rename("account_id")
        a = np.searchsorted(codes, strong["account_a"].to_numpy())
        b = np.searchsorted(codes, strong["account_b"].to_numpy())
    else:
        nodes = node_codes(strong)
        a, b = encode_edges(strong, nodes)
    n = len(nodes)
    graph = sp.coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n)).tocsr()
    _, labels = connected_components(graph, directed=False)
    # Renumber by first appearance over sorted nodes: deterministic, independent of edge order.
    _, first = np.unique(labels, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return pl.DataFrame({"account_id": nodes, "component": rank[labels]})

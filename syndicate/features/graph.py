"""An account's place in the link graph: how strongly it is linked, and to whom.

Computed over **every** edge of the link stage, weak ones below the cluster threshold
included: an account with thirty weak links to a risky ring is suspicious even when no link
was strong enough to put it in the ring's cluster. Per account:

* ``weighted_degree`` (sum of link weights), ``n_neighbours``, ``max_link_weight`` and
  ``lockstep_neighbours`` (neighbours it acted with in lockstep);
* ``neighbour_risk_mean`` / ``neighbour_risk_max``: the risk of its neighbours' clusters
  (0 for a neighbour in no cluster);
* ``cluster_size`` and ``cluster_risk`` of its own cluster (0 outside clusters).

Cluster risk here is the cluster's ``model_score`` — the score before any label evidence — so
an account's own label never reaches its features through its cluster.

Cost: the edge ends become integer account codes in one streaming hash join (on 64-bit hashes
of the ids, collision-checked), then every figure is an unbuffered ``np.add.at`` /
``np.maximum.at`` over the codes: no string group-by over both directions of millions of
edges. Sums are fixed point (:mod:`syndicate.features.exact`), so the bits do not depend on
the order of the edges.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.features.exact import SCALE

# Edges worked on at once: the gathers of a block stay at a few MB.
EDGE_BLOCK = 1 << 21

GRAPH_FEATURES = ("weighted_degree", "n_neighbours", "max_link_weight", "lockstep_neighbours",
                  "neighbour_risk_mean", "neighbour_risk_max", "cluster_size", "cluster_risk")


def account_graph_features(account_ids: pl.Series, edges: pl.DataFrame, members: pl.DataFrame,
                           cluster_risk: pl.DataFrame, *, edge_codes: tuple[np.ndarray, np.ndarray] | None = None,
                           member_codes: np.ndarray | None = None) -> pl.DataFrame:
    """Graph features of every account in ``account_ids``, sorted by ``account_id``.

    Parameters
    ----------
    account_ids : Series
        Every account (``accounts.account_id``).
    edges : DataFrame
        ``account_a, account_b, weight`` and optionally ``lockstep`` (evidence), as from the
        link stage.
    members : DataFrame
        ``account_id, cluster_id``.
    cluster_risk : DataFrame
        ``cluster_id, size, risk`` (a label-free cluster score in [0, 1]).

    edge_codes, member_codes : ndarray, optional
        Positions in the sorted ``account_ids`` of the edge ends and of the members' rows,
        when the caller has them (the dataset's account codes): no id lookups then.

    Returns
    -------
    DataFrame
        ``account_id`` then ``GRAPH_FEATURES`` (Float64, never null).
    """
    ids = pl.DataFrame({"account_id": account_ids})
    if not account_ids.flags["SORTED_ASC"]:
        ids = ids.sort("account_id")
    n = ids.height
    size, risk = own_cluster(ids["account_id"], members, cluster_risk, member_codes=member_codes)

    if edge_codes is None:
        a, b = _codes(edges["account_a"], ids["account_id"]), _codes(edges["account_b"], ids["account_id"])
    else:
        a, b = edge_codes
    weight = edges["weight"].cast(pl.Float64).to_numpy()
    lockstep = (edges["lockstep"] > 0).fill_null(False).to_numpy() if "lockstep" in edges.columns else None
    risk_fixed = fixed_risk(risk)
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    in_lockstep = np.zeros(n, dtype=np.int64)
    weight_sum = np.zeros(n, dtype=np.int64)
    max_weight = np.full(n, -np.inf)
    risk_sum = np.zeros(n, dtype=np.int64)
    risk_max = np.full(n, -np.inf)
    for lo in range(0, len(a), EDGE_BLOCK):  # a block of edges at a time: no edge-length temporaries
        block = slice(lo, lo + EDGE_BLOCK)
        fixed = _fixed(weight[block])
        for end, other in ((a[block], b[block]), (b[block], a[block])):
            np.add.at(weight_sum, end, fixed)
            np.maximum.at(max_weight, end, weight[block])
            np.add.at(risk_sum, end, risk_fixed[other])
            np.maximum.at(risk_max, end, risk[other])
            if lockstep is not None:
                in_lockstep += np.bincount(end[lockstep[block]], minlength=n)
    return graph_columns(ids, degree=degree, weight_sum=weight_sum, max_weight=max_weight, in_lockstep=in_lockstep,
                         risk_sum=risk_sum, risk_max=risk_max, size=size, risk=risk)


def own_cluster(ids: pl.Series, members: pl.DataFrame, cluster_risk: pl.DataFrame, *,
                member_codes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Size and risk of each account's own cluster (0 outside clusters), in the order of
    ``ids`` (sorted, every member among them)."""
    own = (
        members.select("account_id", "cluster_id")
        .join(cluster_risk.select("cluster_id", pl.col("size").cast(pl.Float64), pl.col("risk").cast(pl.Float64)),
              on="cluster_id", how="left", maintain_order="left")
    )
    member_code = _codes(own["account_id"], ids) if member_codes is None else member_codes
    size, risk = np.zeros(len(ids)), np.zeros(len(ids))
    size[member_code] = own["size"].fill_null(0.0).to_numpy()
    risk[member_code] = own["risk"].fill_null(0.0).to_numpy()
    return size, risk


def fixed_risk(risk: np.ndarray) -> np.ndarray:
    """Cluster risks in fixed point (int64), as the neighbour-risk sums add them."""
    return (pl.Series(risk) * SCALE).round().cast(pl.Int64).to_numpy()


def graph_columns(ids: pl.DataFrame, *, degree: np.ndarray, weight_sum: np.ndarray, max_weight: np.ndarray,
                  in_lockstep: np.ndarray, risk_sum: np.ndarray, risk_max: np.ndarray, size: np.ndarray,
                  risk: np.ndarray) -> pl.DataFrame:
    """``ids`` with ``GRAPH_FEATURES`` from the per-account sums over edge ends (row-aligned
    with ``ids``): ``degree``, fixed-point ``weight_sum`` and ``risk_sum``, ``max_weight`` and
    ``risk_max`` (-inf for an account without edges), ``in_lockstep`` (lockstep edges), and
    ``size``, ``risk`` of its own cluster. Every engine finishes its sums here."""
    linked = degree > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        columns = {
            "weighted_degree": weight_sum / SCALE,
            "n_neighbours": degree.astype(np.float64),
            "max_link_weight": np.where(linked, max_weight, 0.0),
            "lockstep_neighbours": in_lockstep.astype(np.float64),
            "neighbour_risk_mean": np.where(linked, risk_sum / SCALE / degree, 0.0),
            "neighbour_risk_max": np.where(linked, risk_max, 0.0),
            "cluster_size": size,
            "cluster_risk": risk,
        }
    return ids.with_columns(pl.Series(name, values, dtype=pl.Float64) for name, values in columns.items())


def _fixed(values: np.ndarray) -> np.ndarray:
    """Fixed-point int64 of link weights, as :func:`syndicate.features.exact.fixed_sum` makes
    them (polars rounds half to even, like ``rint``; NaN counts as 0)."""
    scaled = np.multiply(values, SCALE)
    scaled[np.isnan(scaled)] = 0.0
    return np.rint(scaled).astype(np.int64)


def _codes(values: pl.Series, ids: pl.Series) -> np.ndarray:
    """Position of each of ``values`` in ``ids`` (sorted, unique, holding every value),
    row-aligned with ``values``: a hash join on 64-bit hashes when they do not collide."""
    table = pl.DataFrame({"_k": ids}).with_row_index("_code")
    key = pl.col("_k")
    if table["_k"].hash().n_unique() == table.height:
        key = key.hash()
    table = table.select(key, "_code")
    return (
        pl.DataFrame({"_k": values}).lazy().select(key)
        .join(table.lazy(), on="_k", how="left", maintain_order="left")
        .select(pl.col("_code").cast(pl.Int32)).collect()
        .to_series().to_numpy()
    )


__all__ = ["GRAPH_FEATURES", "account_graph_features", "fixed_risk", "graph_columns", "own_cluster"]

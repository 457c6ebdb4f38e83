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
"""

from __future__ import annotations

import polars as pl

from syndicate.features.exact import fixed_mean, fixed_sum

GRAPH_FEATURES = ("weighted_degree", "n_neighbours", "max_link_weight", "lockstep_neighbours",
                  "neighbour_risk_mean", "neighbour_risk_max", "cluster_size", "cluster_risk")


def account_graph_features(account_ids: pl.Series, edges: pl.DataFrame, members: pl.DataFrame,
                           cluster_risk: pl.DataFrame) -> pl.DataFrame:
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

    Returns
    -------
    DataFrame
        ``account_id`` then ``GRAPH_FEATURES`` (Float64, never null).
    """
    risk_of = (
        members.select("account_id", "cluster_id")
        .join(cluster_risk.select("cluster_id", pl.col("size").cast(pl.Float64).alias("cluster_size"),
                                  pl.col("risk").cast(pl.Float64).alias("cluster_risk")),
              on="cluster_id", how="left")
        .select("account_id", "cluster_size", "cluster_risk")
    )
    lockstep = (pl.col("lockstep") > 0) if "lockstep" in edges.columns else pl.lit(False)
    half = edges.select("account_a", "account_b", pl.col("weight").cast(pl.Float64), lockstep.alias("_ls"))
    both = pl.concat([
        half.select(pl.col("account_a").alias("account_id"), pl.col("account_b").alias("neighbour"), "weight", "_ls"),
        half.select(pl.col("account_b").alias("account_id"), pl.col("account_a").alias("neighbour"), "weight", "_ls"),
    ])
    per_account = (
        both.lazy()
        .join(risk_of.lazy().select(pl.col("account_id").alias("neighbour"),
                                    pl.col("cluster_risk").alias("_nrisk")), on="neighbour", how="left")
        .with_columns(pl.col("_nrisk").fill_null(0.0))
        .group_by("account_id")
        .agg(
            # Fixed-point sums: the same bits whatever the thread scheduling.
            fixed_sum(pl.col("weight")).alias("weighted_degree"),
            pl.len().cast(pl.Float64).alias("n_neighbours"),
            pl.col("weight").max().alias("max_link_weight"),
            pl.col("_ls").sum().cast(pl.Float64).alias("lockstep_neighbours"),
            fixed_mean(pl.col("_nrisk")).alias("neighbour_risk_mean"),
            pl.col("_nrisk").max().alias("neighbour_risk_max"),
        )
        .collect(engine="streaming")
    )
    return (
        pl.DataFrame({"account_id": account_ids}).sort("account_id")
        .join(per_account, on="account_id", how="left", maintain_order="left")
        .join(risk_of, on="account_id", how="left", maintain_order="left")
        .with_columns(pl.col(c).fill_null(0.0) for c in GRAPH_FEATURES)
        .select("account_id", *GRAPH_FEATURES)
    )


__all__ = ["GRAPH_FEATURES", "account_graph_features"]

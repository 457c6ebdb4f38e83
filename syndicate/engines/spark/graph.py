"""The edge table on Spark: what reaches the driver, and what is computed where it is.

The combined edge table stays on the executors. The driver gets:

* the edges the per-cluster stages read (:func:`reach_accounts`, :func:`edges_among`): every
  edge whose two ends can end up in a cluster — ends of strong edges (components, Leiden
  splits, personal groups), ends of co-action edges (co-action groups read every edge among
  them, weak ones included; HDBSCAN's pool is drawn from them) — so that the internal edges of
  any cluster are there for the cluster features, the report and the case bundles;
* per-account sums over all edges (:func:`graph_sums`): degree, fixed-point weight sums,
  strongest link, lockstep links, and the neighbours' cluster risk, finished on the driver by
  :func:`syndicate.features.graph.graph_columns`, the polars engine's formulas: one row per
  linked account, never one per edge.

``edges.parquet`` is written from Spark (:func:`write_edges`): sorted part files, streamed
into the one file of the run folder with the polars engine's types and rounding.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from syndicate.engines.spark.combine import KEY, edge_casts
from syndicate.features.exact import SCALE
from syndicate.features.graph import fixed_risk, graph_columns, own_cluster
from syndicate.link.codes import AccountIndex


def reach_accounts(edges: Any, *, min_edge_weight: float) -> Any:
    """``account_id`` of every end of a strong edge (``weight >= min_edge_weight``) or of a
    co-action edge (``lockstep_bursts > 0``), once each."""
    from pyspark.sql import functions as F

    reach = F.col("weight") >= F.lit(float(min_edge_weight))
    if "lockstep_bursts" in edges.columns:
        reach = reach | (F.col("lockstep_bursts") > 0)
    ends = edges.filter(reach)
    return (ends.select(F.col("account_a").alias("account_id"))
            .unionByName(ends.select(F.col("account_b").alias("account_id"))).distinct())


def edges_among(edges: Any, accounts: Any) -> Any:
    """The edges whose two ends are both in ``accounts`` (``account_id``)."""
    from pyspark.sql import functions as F

    return (edges.join(accounts.select(F.col("account_id").alias("account_a")), on="account_a", how="left_semi")
            .join(accounts.select(F.col("account_id").alias("account_b")), on="account_b", how="left_semi")
            .select(*edges.columns))


def graph_sums(edges: Any, risky: Any | None) -> Any:
    """Per account with an edge: ``degree``, ``weight_sum`` (fixed point), ``max_weight``,
    ``in_lockstep``, ``risk_sum`` (fixed point) and ``risk_max`` over its edge ends.

    ``risky`` (``account_id, risk, risk_fixed`` of accounts whose cluster risk is not 0, or
    None) gives each neighbour's risk; every other neighbour counts 0, as in
    :func:`syndicate.features.graph.account_graph_features`.
    """
    from pyspark.sql import functions as F

    lockstep = (F.coalesce(F.col("lockstep") > 0, F.lit(False)) if "lockstep" in edges.columns
                else F.lit(False)).cast("int").alias("ls")
    weight = F.col("weight").cast("double").alias("w")
    ends = (edges.select(F.col("account_a").alias("account_id"), F.col("account_b").alias("other"), weight, lockstep)
            .unionByName(edges.select(F.col("account_b").alias("account_id"), F.col("account_a").alias("other"),
                                      weight, lockstep)))
    if risky is not None:
        ends = ends.join(risky.withColumnRenamed("account_id", "other"), on="other", how="left")
    else:
        ends = ends.withColumn("risk", F.lit(None).cast("double")).withColumn("risk_fixed", F.lit(None).cast("long"))
    scaled = F.col("w") * F.lit(SCALE)
    return ends.groupBy("account_id").agg(
        F.count(F.lit(1)).alias("degree"),
        F.sum(F.when(F.isnan(scaled), F.lit(0)).otherwise(F.rint(scaled).cast("long"))).alias("weight_sum"),
        F.max("w").alias("max_weight"),
        F.sum("ls").alias("in_lockstep"),
        F.sum(F.coalesce("risk_fixed", F.lit(0).cast("long"))).alias("risk_sum"),
        F.max(F.coalesce("risk", F.lit(0.0))).alias("risk_max"))


def graph_features(edges: Any, index: AccountIndex, members: pl.DataFrame,
                   cluster_risk: pl.DataFrame) -> pl.DataFrame:
    """``account_id`` (every account of ``index``, sorted) then ``GRAPH_FEATURES``: sums on
    Spark over the whole edge table, the formulas on the driver."""
    ids = index.ids
    size, risk = own_cluster(ids, members, cluster_risk)
    risky = None
    nonzero = np.flatnonzero(risk != 0)
    if len(nonzero):
        frame = pl.DataFrame({"account_id": ids.gather(nonzero), "risk": risk[nonzero],
                              "risk_fixed": fixed_risk(risk)[nonzero]})
        risky = edges.sparkSession.createDataFrame(frame.to_arrow())
    sums = pl.from_arrow(graph_sums(edges, risky).toArrow())
    n = len(ids)
    degree, weight_sum, in_lockstep, risk_sum = (np.zeros(n, dtype=np.int64) for _ in range(4))
    max_weight, risk_max = np.full(n, -np.inf), np.full(n, -np.inf)
    if sums.height:
        codes = index.codes(sums["account_id"].cast(pl.String))
        for target, column in ((degree, "degree"), (weight_sum, "weight_sum"), (in_lockstep, "in_lockstep"),
                               (risk_sum, "risk_sum")):
            target[codes] = sums[column].cast(pl.Int64).to_numpy()
        max_weight[codes] = sums["max_weight"].to_numpy()
        risk_max[codes] = sums["risk_max"].to_numpy()
    return graph_columns(pl.DataFrame({"account_id": ids}), degree=degree, weight_sum=weight_sum,
                         max_weight=max_weight, in_lockstep=in_lockstep, risk_sum=risk_sum, risk_max=risk_max,
                         size=size, risk=risk)


def write_edges(edges: Any | None, path: str | Path, *, empty: pl.DataFrame) -> None:
    """``edges.parquet`` at ``path``: the polars engine's file (same columns, types, order and
    rounding of ``weight``). Spark writes the table sorted by ``account_a, account_b`` as part
    files next to ``path`` (the folder must be one the executors can write: local in local
    mode, shared or object storage on a cluster); the driver streams them into one file,
    a batch at a time. ``empty`` (the table's schema) is written when there are no edges."""
    from pyspark.sql import functions as F

    path = Path(path)
    if edges is None:
        empty.with_columns(pl.col("weight").round(6)).write_parquet(path, compression="zstd", statistics=True)
        return
    staging = path.parent / f".{path.stem}-parts"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        (edges.orderBy(*[F.col(k).asc() for k in KEY])
         .write.mode("overwrite").option("compression", "zstd").parquet(staging.resolve().as_uri()))
        parts = sorted(staging.glob("part-*.parquet"))
        if not parts:
            empty.with_columns(pl.col("weight").round(6)).write_parquet(path, compression="zstd", statistics=True)
            return
        scan = pl.scan_parquet(parts)
        casts = [c.round(6) if c.meta.output_name() == "weight" else c for c in edge_casts(scan.collect_schema())]
        scan.select(casts).sink_parquet(path, compression="zstd", statistics=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


__all__ = ["edges_among", "graph_features", "graph_sums", "reach_accounts", "write_edges"]

"""Combined edges on Spark: :func:`syndicate.link.combine.combine_edges` and
:func:`syndicate.link.given.given_links` as DataFrame operations."""

from __future__ import annotations

from typing import Any

import polars as pl

KEY = ["account_a", "account_b"]
_FLOAT_TYPES = ("float", "double")
_INT_TYPES = ("int", "bigint", "smallint", "tinyint")


def given_edges(links: Any) -> Any:
    """Canonical ``account_a < account_b, given`` edges of a Spark ``links`` frame: repeated
    pairs combine as a noisy-OR of their weights (clipped into [0, 0.99])."""
    from pyspark.sql import functions as F

    weight = F.col("weight").cast("double") if "weight" in links.columns else F.lit(1.0)
    return (links.select(F.least("account_a", "account_b").alias("account_a"),
                         F.greatest("account_a", "account_b").alias("account_b"),
                         F.least(F.greatest(weight, F.lit(0.0)), F.lit(0.99)).alias("w"))
            .groupBy(*KEY).agg((F.lit(1.0) - F.exp(F.sum(F.log1p(-F.col("w"))))).cast("float").alias("given")))


def combine_edge_frames(*tables: Any) -> Any | None:
    """Full outer join on the pair; evidence (float) columns filled with 0, counts with 0, and
    ``weight = 1 - prod(1 - evidence)``. Columns: key, weight, evidence by name, counts by
    name (as ``combine_edges``); None without tables."""
    from pyspark.sql import functions as F

    tables = [t for t in tables if t is not None]
    if not tables:
        return None
    types = {c: d for t in tables for c, d in t.dtypes if c not in KEY}
    clash = sorted(c for c in types if sum(c in t.columns for t in tables) > 1)
    if clash:
        raise ValueError(f"edge tables share evidence column(s) {clash}: each link source needs its own")
    evidence = sorted(c for c, d in types.items() if d in _FLOAT_TYPES)
    counts = sorted(c for c, d in types.items() if d in _INT_TYPES)
    combined = tables[0]
    for table in tables[1:]:
        combined = combined.join(table, on=KEY, how="full_outer")
    combined = combined.select(*KEY, *[F.coalesce(F.col(c), F.lit(0.0)).cast("float").alias(c) for c in evidence],
                               *[F.coalesce(F.col(c), F.lit(0)).alias(c) for c in counts])
    log_miss = F.lit(0.0)
    for c in evidence:
        log_miss = log_miss + F.log1p(-F.least(F.greatest(F.col(c).cast("double"), F.lit(0.0)), F.lit(0.999999)))
    return combined.select(*KEY, (F.lit(1.0) - F.exp(log_miss)).alias("weight"), *evidence, *counts)


def edge_casts(schema: Any) -> list[pl.Expr]:
    """Expressions giving Spark's edge columns the polars engine's types: ids String, ``weight``
    Float64, evidence Float32, counts UInt32 (``combine_edges``)."""
    casts = []
    for name, dtype in schema.items():
        if name in KEY:
            casts.append(pl.col(name).cast(pl.String))
        elif name == "weight":
            casts.append(pl.col(name).cast(pl.Float64))
        elif dtype.is_float():
            casts.append(pl.col(name).cast(pl.Float32))
        else:
            casts.append(pl.col(name).cast(pl.UInt32))
    return casts


def collect_edges(edges: Any | None) -> pl.DataFrame:
    """Spark edges on the driver, typed and sorted as ``combine_edges`` returns them."""
    if edges is None:
        return pl.DataFrame(schema={"account_a": pl.String, "account_b": pl.String, "weight": pl.Float64})
    frame = pl.from_arrow(edges.toArrow())
    return frame.select(edge_casts(frame.schema)).sort(KEY)

"""Combine per-source edge tables into one canonical edge table with a total weight."""

from __future__ import annotations

import polars as pl

KEY = ["account_a", "account_b"]


def combine_edges(*edge_tables: pl.DataFrame) -> pl.DataFrame:
    """Outer-join edge tables on (account_a, account_b) and add ``weight``.

    Every input has ``account_a < account_b`` and evidence columns in [0, 1]. Evidence of
    different kinds is treated as independent and combines as a noisy-OR:
    ``weight = 1 - prod(1 - evidence)``. Output: ``account_a, account_b, weight`` then the
    evidence columns in name order, sorted by the pair; missing evidence is 0.
    """
    tables = [t for t in edge_tables if t is not None]
    evidence = sorted({c for t in tables for c in t.columns if c not in KEY})
    if not tables:
        return pl.DataFrame(schema={"account_a": pl.String, "account_b": pl.String, "weight": pl.Float64})
    combined = tables[0]
    for table in tables[1:]:
        combined = combined.join(table, on=KEY, how="full", coalesce=True)
    combined = combined.with_columns(
        [pl.col(c).fill_null(0.0).cast(pl.Float32) for c in evidence]
    )
    log_miss = pl.sum_horizontal([pl.col(c).cast(pl.Float64).clip(0.0, 0.999999).neg().log1p() for c in evidence]) if evidence else pl.lit(0.0)
    return (
        combined.with_columns((1.0 - log_miss.exp()).alias("weight"))
        .select(*KEY, "weight", *evidence)
        .sort(KEY)
    )

"""Given links: account pairs computed elsewhere (a graph database, another team's model)."""

from __future__ import annotations

import polars as pl

from syndicate.features.exact import fixed_sum


def given_links(links: pl.DataFrame) -> pl.DataFrame:
    """Canonical edges from the optional ``links`` table.

    Pairs are ordered so that ``account_a < account_b``; repeated pairs (several kinds, or the
    same pair both ways) combine as a noisy-OR of their weights into one ``given`` column.
    """
    weight = pl.col("weight") if "weight" in links.columns else pl.lit(1.0)
    return (
        links.select(
            pl.min_horizontal("account_a", "account_b").alias("account_a"),
            pl.max_horizontal("account_a", "account_b").alias("account_b"),
            weight.cast(pl.Float64).clip(0.0, 0.99).alias("w"),
        )
        .group_by("account_a", "account_b")
        .agg((1.0 - fixed_sum(pl.col("w").neg().log1p()).exp()).cast(pl.Float32).alias("given"))
        .sort("account_a", "account_b")
    )

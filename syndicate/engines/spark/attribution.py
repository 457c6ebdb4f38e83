"""Attribution signals (:mod:`syndicate.link.attribution`) for the Spark engine.

The events that name an account of the dataset, their distinct (action, account, named account)
triples and each action's share of accounts naming one account only are Spark aggregates; the
kept attributions (at most a row or two per account) come to the driver, where the identity
stage weighs them as the polars engine does.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from syndicate.engines.spark.rare import account_targets
from syndicate.link.codes import AccountIndex


def attribution_rows(spark: Any, events: Any, index: AccountIndex, *, min_single_share: float,
                     kind: str) -> tuple[pl.DataFrame, dict]:
    """Signal rows (``account_id, kind, value``) and what was read, as
    :func:`syndicate.link.attribution.attribution_signals` gives them."""
    from pyspark.sql import functions as F

    info: dict = {"actions": {}, "kind": kind}
    empty = pl.DataFrame(schema={"account_id": pl.String, "kind": pl.String, "value": pl.String})
    pairs = (events.select("action", "account_id", "target_id")
             .join(F.broadcast(account_targets(spark, index)), on="target_id", how="left_semi")
             .filter(F.col("account_id") != F.col("target_id")).distinct().cache())
    try:
        actions = (pairs.groupBy("action", "account_id").agg(F.count(F.lit(1)).alias("n"))
                   .groupBy("action").agg(F.count(F.lit(1)).alias("accounts"),
                                          F.avg((F.col("n") == 1).cast("double")).alias("single_share"))
                   .collect())
        kept = sorted(r["action"] for r in actions if r["single_share"] >= min_single_share)
        for r in sorted(actions, key=lambda r: r["action"]):
            if r["single_share"] >= min_single_share:
                info["actions"][r["action"]] = {"accounts": r["accounts"], "single_share": round(r["single_share"], 3)}
        if not kept:
            return empty, info
        named = pairs.filter(F.col("action").isin(kept))
        rows = (named.select("account_id", F.col("target_id").alias("value"))
                .unionByName(named.select(F.col("target_id").alias("account_id"), F.col("target_id").alias("value")))
                .distinct())
        frame = pl.from_arrow(rows.toArrow()).with_columns(pl.col("account_id").cast(pl.String),
                                                             pl.col("value").cast(pl.String))
    finally:
        pairs.unpersist()
    rows = frame.sort("account_id", "value").select("account_id", pl.lit(kind).alias("kind"), "value")
    info["rows"] = rows.height
    return rows, info

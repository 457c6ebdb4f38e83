"""Attribution signals (:mod:`syndicate.link.attribution`) for the Spark engine.

The events that name an account of the dataset, their distinct (action, account, named account)
triples and each action's share of accounts naming one account only are Spark aggregates; the
kept attributions (at most a row or two per account) come to the driver, where the identity
stage weighs them as the polars engine does.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from syndicate.link.attribution import SIGNUP_SHARE


def attribution_rows(spark: Any, events: Any, accounts: pl.DataFrame, targets: Any, *,
                     min_single_share: float, signup_days: float, kind: str) -> tuple[pl.DataFrame, dict]:
    """Signal rows (``account_id, kind, value``) and what was read, as
    :func:`syndicate.link.attribution.attribution_signals` gives them (``accounts``: the
    driver's accounts table, for the sign-up test; ``targets``: the account ids as targets,
    :func:`syndicate.engines.spark.rare.account_targets`)."""
    from pyspark.sql import functions as F

    from syndicate.engines.spark.read import spark_frame

    info: dict = {"actions": {}, "kind": kind}
    empty = pl.DataFrame(schema={"account_id": pl.String, "kind": pl.String, "value": pl.String})
    pairs = (events.select("action", "account_id", "target_id", "ts")
             .join(F.broadcast(targets), on="target_id", how="left_semi")
             .filter(F.col("account_id") != F.col("target_id"))
             .groupBy("action", "account_id", "target_id").agg(F.min("ts").alias("ts")).cache())
    try:
        created = spark_frame(spark, accounts.select(pl.col("account_id").cast(pl.String), "created_at"))
        per_actor = (pairs.groupBy("action", "account_id").agg(F.count(F.lit(1)).alias("n"), F.min("ts").alias("ts"))
                     .join(F.broadcast(created), on="account_id", how="left")
                     .withColumn("signup", F.coalesce(
                         (F.unix_micros(F.col("ts").cast("timestamp")) - F.unix_micros(F.col("created_at").cast("timestamp")))
                         <= F.lit(int(signup_days * 86_400 * 1_000_000)), F.lit(False)).cast("double")))
        actions = (per_actor.groupBy("action")
                   .agg(F.count(F.lit(1)).alias("accounts"),
                        F.avg((F.col("n") == 1).cast("double")).alias("single_share"),
                        F.avg("signup").alias("signup_share"))
                   .collect())
        kept = sorted((r for r in actions if r["single_share"] >= min_single_share and r["signup_share"] >= SIGNUP_SHARE),
                      key=lambda r: r["action"])
        for r in kept:
            info["actions"][r["action"]] = {"accounts": r["accounts"], "single_share": round(r["single_share"], 3),
                                            "signup_share": round(r["signup_share"], 3)}
        if not kept:
            return empty, info
        named = pairs.filter(F.col("action").isin([r["action"] for r in kept]))
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

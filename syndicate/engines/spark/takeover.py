"""Takeover waves on Spark: :func:`syndicate.features.takeover.takeover_waves` over the signals
table where it is, the same rules in Spark SQL (a range window per identifier value). Only the
accounts in a wave come back to the driver."""

from __future__ import annotations

from typing import Any

import polars as pl

from syndicate.engines.spark.read import spark_frame
from syndicate.features.takeover import (_WAVE_SHARE, LATE_DAYS, MIN_WAVE, WAVE_DAYS, WAVE_SCHEMA, drop_moves,
                                         finish_waves, place_kinds, unlogged, value_key, wave_kinds)


def spark_events_start(events: Any) -> int | None:
    """The earliest event on the cluster, in epoch seconds (None without events), as
    :func:`syndicate.features.takeover.events_start` reads it."""
    from pyspark.sql import functions as F

    if events is None:
        return None
    first = events.agg(F.min(F.col("ts").cast("long"))).collect()[0][0]
    return None if first is None else int(first)


def spark_takeover_waves(spark: Any, signals: Any, accounts: pl.DataFrame, hubs: pl.DataFrame,
                         kinds: list[str], since: int | None = None) -> pl.DataFrame:
    """``account_id, takeover_wave, takeover_group`` of every account in a wave, sorted by
    ``account_id`` (the wave rows are collected, then finished on the driver as in polars)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if "seen_at" not in signals.columns:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    read, places = wave_kinds(kinds), place_kinds(kinds)
    if not read:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    # One row per account and identifier already, its earliest sighting (the reading's
    # normalisation, read.normalised_tables; from_polars takes the validated table's). Each
    # kind's log begins at its earliest sighting: values first seen within LATE_DAYS of it are
    # not read.
    rows = (signals.where(F.col("kind").isin(read))
            .withColumn("t0", F.min(F.col("seen_at").cast("long")).over(Window.partitionBy("kind"))))
    if hubs.height:
        rows = rows.join(F.broadcast(spark_frame(spark, hubs.select("kind", "value"))), on=["kind", "value"],
                         how="left_anti")
    created = spark_frame(spark, accounts.select(
        pl.col("account_id").cast(pl.String), pl.col("created_at").cast(pl.Datetime("us")).dt.epoch("s").alias("c")))
    value = Window.partitionBy("kind", "value")
    late = (rows.withColumn("holders", F.count(F.lit(1)).over(value))
            .join(created, on="account_id")
            .select("account_id", "kind", "value", "holders", F.col("seen_at").cast("long").alias("t"), "c", "t0")
            .where(F.col("t").isNotNull() & (F.col("t") - F.col("c") >= LATE_DAYS * 86400)
                   & ~unlogged(F.col("t"), F.col("t0"), since))
            .withColumn("n_late", F.count(F.lit(1)).over(value))
            .where(F.col("n_late") >= F.greatest(F.lit(float(MIN_WAVE)), F.col("holders") * _WAVE_SHARE)))
    ahead = Window.partitionBy("kind", "value").orderBy("t").rangeBetween(0, WAVE_DAYS * 86400)
    waves = (late.withColumn("ahead", F.count(F.lit(1)).over(ahead))
             .withColumn("wave", F.max("ahead").over(value))
             # The value's wave: its earliest window holding the most late arrivals.
             .withColumn("start", F.min(F.when(F.col("ahead") == F.col("wave"), F.col("t"))).over(value))
             .where((F.col("t") >= F.col("start")) & (F.col("t") <= F.col("start") + WAVE_DAYS * 86400)
                    & (F.col("wave") >= MIN_WAVE) & (F.col("wave") >= F.col("holders") * _WAVE_SHARE))
             .select("account_id", "kind", "value", "wave", "start"))
    found = pl.from_arrow(waves.toArrow())
    if found.height == 0:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    found = _keyed(found, places).with_columns(pl.col("wave").cast(pl.Int64), pl.col("start").cast(pl.Int64))
    # The place identifiers of the accounts in a place's wave, for the move reading (a few
    # rows: only those accounts' IPs and addresses come back).
    moving = found.filter(pl.col("family").is_not_null()).select("account_id").unique()
    earlier = found.clear().select("account_id", "v", pl.col("start").alias("t"), "family")
    if moving.height:
        theirs = (rows.where(F.col("kind").isin(list(places)))
                  .join(F.broadcast(spark_frame(spark, moving)), on="account_id")
                  .select("account_id", "kind", "value", F.col("seen_at").cast("long").alias("t")))
        earlier = _keyed(pl.from_arrow(theirs.toArrow()), places).select(
            "account_id", "v", pl.col("t").cast(pl.Int64), "family")
    return finish_waves(drop_moves(found.select("account_id", "v", "wave", "start", "family"), earlier))


def _keyed(rows: pl.DataFrame, places: dict[str, str]) -> pl.DataFrame:
    """``rows`` (``account_id, kind, value, …``) with the value key ``v`` and the place family
    (null for personal kinds) in place of the kind and value, as the polars reading keys them."""
    return (rows.with_columns(pl.col("account_id").cast(pl.String), value_key(),
                              pl.col("kind").replace_strict(places, default=None, return_dtype=pl.String)
                              .alias("family"))
            .drop("kind", "value"))


__all__ = ["spark_events_start", "spark_takeover_waves"]

"""Takeover waves on Spark: :func:`syndicate.features.takeover.takeover_waves` over the signals
table where it is, the same rules in Spark SQL (a range window per identifier value, over a week
and over a month). Only the accounts in a wave come back to the driver, and for the places' waves
the late device sightings of their accounts (the confirmation and the strangers are finished on
the driver, as in polars)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

import polars as pl

from syndicate.engines.spark.read import spark_frame
from syndicate.features.takeover import (_WAVE_SHARE, LATE_DAYS, MIN_WAVE, SWEEP_DAYS, TAKEOVER_WAVE_ACCOUNTS,
                                         WAVE_DAYS, WAVE_ROWS_SCHEMA, WAVE_SCHEMA, device_kinds, finish_waves,
                                         finish_with_held, place_kinds, value_key, wave_accounts, wave_kinds,
                                         wave_read_from, with_confirmed_places)


def spark_takeover_waves(spark: Any, signals: Any, accounts: pl.DataFrame, hubs: pl.DataFrame,
                         kinds: list[str], properties: Collection[str] = (), *,
                         first_event: datetime | None = None) -> pl.DataFrame:
    """``account_id, takeover_wave, takeover_strength, takeover_group`` of every account in a wave, sorted by
    ``account_id`` (the wave rows are collected, then finished on the driver as in polars);
    ``first_event`` as in polars (waves that began long before the events are not read)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if "seen_at" not in signals.columns:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    personal, places = wave_kinds(kinds, properties), place_kinds(kinds, properties)
    read = personal + places
    if not read:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    # One row per account and identifier already, its earliest sighting (the reading's
    # normalisation, read.normalised_tables; from_polars takes the validated table's).
    # Each kind's log begins at its earliest sighting: values first seen within LATE_DAYS of it
    # are not read.
    # One small table (a kind per row), broadcast: a window over each kind would put every IP
    # row of the data in one task.
    began = (signals.where(F.col("kind").isin(read)).groupBy("kind")
             .agg(F.min(F.col("seen_at").cast("long")).alias("t0")))

    def sightings(kinds: list[str]) -> Any:
        rows = signals.where(F.col("kind").isin(kinds)).join(F.broadcast(began), on="kind")
        if hubs.height:
            rows = rows.join(F.broadcast(spark_frame(spark, hubs.select("kind", "value"))), on=["kind", "value"],
                             how="left_anti")
        return rows

    created = spark_frame(spark, accounts.select(
        pl.col("account_id").cast(pl.String), pl.col("created_at").cast(pl.Datetime("us")).dt.epoch("s").alias("c")))
    value = Window.partitionBy("kind", "value")

    def is_late():
        return (F.col("t").isNotNull() & (F.col("t") - F.col("c") >= LATE_DAYS * 86400)
                & (F.col("t") - F.col("t0") >= LATE_DAYS * 86400))

    # The smallest wave recorded: a place's is a takeover group's (polars: _smallest_wave).
    smallest = F.when(F.col("kind").isin(places), F.lit(TAKEOVER_WAVE_ACCOUNTS)).otherwise(F.lit(MIN_WAVE))
    late = (sightings(read).withColumn("holders", F.count(F.lit(1)).over(value))
            # Values on fewer accounts than a wave go before the join (most are one account's).
            .where(F.col("holders") >= smallest)
            .join(created, on="account_id")
            .select("account_id", "kind", "value", "holders", F.col("seen_at").cast("long").alias("t"), "c", "t0")
            .where(is_late())
            .withColumn("n_late", F.count(F.lit(1)).over(value))
            .where(F.col("n_late") >= F.greatest(smallest.cast("double"), F.col("holders") * _WAVE_SHARE)))
    def waves_in(days: int) -> pl.DataFrame:
        """Each value's wave in ``days`` (polars: _waves), collected with ``v`` and ``place``."""
        ahead = Window.partitionBy("kind", "value").orderBy("t").rangeBetween(0, days * 86400)
        waves = (late.withColumn("ahead", F.count(F.lit(1)).over(ahead))
                 .withColumn("wave", F.max("ahead").over(value))
                 # The value's wave: its earliest window holding the most late arrivals.
                 .withColumn("start", F.min(F.when(F.col("ahead") == F.col("wave"), F.col("t"))).over(value))
                 .where((F.col("t") >= F.col("start")) & (F.col("t") <= F.col("start") + days * 86400)
                        & (F.col("wave") >= smallest) & (F.col("wave") >= F.col("holders") * _WAVE_SHARE))
                 .select("account_id", "kind", "value", "wave", "t"))
        found = pl.from_arrow(waves.toArrow())
        if found.height == 0:
            return pl.DataFrame(schema=WAVE_ROWS_SCHEMA)
        return found.select(pl.col("account_id").cast(pl.String), value_key(), pl.col("wave").cast(pl.Int64),
                            pl.col("t").cast(pl.Int64), pl.col("kind").is_in(places).alias("place"))

    # Each value's wave in a week and in a month, as in polars (finish_with_held): the late rows
    # (few: values with enough late arrivals) kept for the second window.
    late = late.persist()
    week, month = waves_in(WAVE_DAYS), waves_in(SWEEP_DAYS)
    late.unpersist()
    place = wave_accounts(week, month, places=True)
    arrivals = None
    if place.height:
        # The new devices of the accounts in a place's wave, as in polars (confirmed_places).
        rows = (sightings(device_kinds(personal, properties)).join(F.broadcast(spark_frame(spark, place)),
                                                                   on="account_id")
                .join(created, on="account_id")
                .select("account_id", F.col("seen_at").cast("long").alias("t"), "c", "t0")
                .where(is_late()).select("account_id", "t"))
        arrivals = pl.from_arrow(rows.toArrow()).select(pl.col("account_id").cast(pl.String),
                                                        pl.col("t").cast(pl.Int64))
    week, month = with_confirmed_places(week, arrivals), with_confirmed_places(month, arrivals)
    if week.height + month.height == 0:
        return finish_waves(week)
    # What the waves' accounts held, as in polars (stranger_waves): only their rows.
    held = (sightings(read).join(F.broadcast(spark_frame(spark, wave_accounts(week, month))), on="account_id")
            .select("account_id", "kind", "value", F.col("seen_at").cast("long").alias("t")))
    return finish_with_held(week, pl.from_arrow(held.toArrow()), month=month, read_from=wave_read_from(first_event))


__all__ = ["spark_takeover_waves"]

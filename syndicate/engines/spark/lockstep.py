"""Lockstep links on Spark: the same edges as :func:`syndicate.link.lockstep.lockstep_links`.

Bursts are (target, bucket) with ``bucket = floor(epoch seconds / window_seconds)``; each
keeps its distinct accounts, bursts of one account are dropped, and a burst with more than
``bucket_cap`` accounts keeps the ``bucket_cap`` accounts with the smallest draw of the
polars engine's splitmix64 hash — the same 64-bit arithmetic, written with Spark SQL
functions on longs (ANSI mode off, so multiplication wraps as numpy's uint64 does), and
compared as unsigned (the sign bit flipped). The per-value hashes it mixes are polars' string
hashes of the account and target ids (``_CODE_SEED``): they are computed on the driver for the
ids of crowded bursts only (bounded by the accounts and targets, never by the events) and
broadcast back, so the same accounts are kept as in the polars engine.

Pairs are a self-join of each kept burst's members (``a < b``, at most ``bucket_cap`` squared
over two per burst), counted over distinct targets; evidence is the module formula of
:mod:`syndicate.link.lockstep`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from syndicate.config import LockstepConfig
from syndicate.link.lockstep import _CODE_SEED, _GOLDEN, _MAX_EVIDENCE, _mix

_SIGN = -(1 << 63)


def _signed(value: int | np.integer) -> int:
    """A uint64 as the int64 with the same bits (Spark longs are signed)."""
    value = int(value) & 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value >= 1 << 63 else value


def spark_mix(x: Any) -> Any:
    """splitmix64 finaliser on a long column (bit-identical to ``lockstep._mix`` on uint64)."""
    from pyspark.sql import functions as F

    x = x + F.lit(_signed(_GOLDEN))
    x = x.bitwiseXOR(F.shiftrightunsigned(x, 30)) * F.lit(_signed(0xBF58476D1CE4E5B9))
    x = x.bitwiseXOR(F.shiftrightunsigned(x, 27)) * F.lit(_signed(0x94D049BB133111EB))
    return x.bitwiseXOR(F.shiftrightunsigned(x, 31))


def considered_events(events: Any, config: LockstepConfig) -> Any:
    """Events that count for lockstep (``lockstep.considered_actions`` on Spark)."""
    from pyspark.sql import functions as F

    if not config.actions and not config.exclude_actions:
        return events.filter(F.col("action").isNotNull())
    name = F.lower(F.regexp_replace(F.col("action"), r"^\s+|\s+$", ""))
    keep = F.lit(True)
    if config.actions:
        keep = name.isin([a.strip().lower() for a in config.actions])
    if config.exclude_actions:
        keep = keep & ~name.isin([a.strip().lower() for a in config.exclude_actions])
    return events.filter(F.coalesce(keep, F.lit(False)))


def burst_memberships(events: Any, *, config: LockstepConfig, seed: int) -> tuple[Any, dict[str, int]]:
    """Kept memberships ``target_id, bucket, account_id, size`` of bursts with two or more
    accounts (``size``: the burst's kept accounts), and the capping counts."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    window, cap = config.window_seconds, config.bucket_cap
    seconds = F.unix_seconds(F.col("ts").cast("timestamp"))
    # Sized once and kept: the capping counts below and the memberships returned both read it
    # (else the distinct memberships of every event would be shuffled twice).
    memberships = (events.select("target_id", (seconds - F.pmod(seconds, F.lit(window))).alias("s"), "account_id")
                   .select("target_id", (F.col("s") / window).cast("long").alias("bucket"), "account_id")
                   .distinct())
    sizes = memberships.groupBy("target_id", "bucket").agg(F.count(F.lit(1)).alias("size"))
    sized = memberships.join(sizes.filter(F.col("size") >= 2), on=["target_id", "bucket"]).cache()
    crowded = sized.filter(F.col("size") > cap).select("target_id", "bucket", "size").distinct().agg(
        F.count(F.lit(1)).alias("n"), F.sum(F.col("size") - cap).alias("dropped"),
        F.countDistinct("target_id").alias("targets")).first()
    info = {"buckets_capped": int(crowded["n"]), "targets_capped": int(crowded["targets"] or 0),
            "bucket_accounts_dropped": int(crowded["dropped"] or 0)}
    if not info["buckets_capped"]:
        return sized, info
    spark = events.sparkSession
    big = sized.filter(F.col("size") > cap)
    account_hash = _id_hashes(spark, big.select("account_id").distinct(), "account_id")
    target_hash = _id_hashes(spark, big.select("target_id").distinct(), "target_id")
    salt = _signed(_mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF)))
    place = spark_mix(F.col("target_hash") + F.col("bucket") * F.lit(_signed(_GOLDEN)))
    draw = spark_mix(F.col("account_hash").bitwiseXOR(F.lit(salt)).bitwiseXOR(place))
    order = Window.partitionBy("target_id", "bucket").orderBy(
        F.col("draw").bitwiseXOR(F.lit(_SIGN)), "account_id")
    kept = (big.join(F.broadcast(account_hash), on="account_id").join(F.broadcast(target_hash), on="target_id")
            .withColumn("draw", draw)
            .withColumn("rank", F.row_number().over(order))
            .filter(F.col("rank") <= cap)
            .select("target_id", "bucket", "account_id", F.lit(cap).cast("long").alias("size")))
    return sized.filter(F.col("size") <= cap).unionByName(kept), info


def _id_hashes(spark: Any, ids: Any, column: str) -> Any:
    """``column, <prefix>_hash``: polars' seeded hash of each id (driver side; ids of crowded
    bursts only)."""
    values = pl.from_arrow(ids.toArrow())[column].cast(pl.String)
    hashed = values.hash(_CODE_SEED).to_numpy().view(np.int64)
    name = column.split("_")[0] + "_hash"
    frame = pl.DataFrame({column: values, name: hashed})
    return spark.createDataFrame(frame.to_arrow())


def lockstep_edges(events: Any, *, config: LockstepConfig, seed: int) -> tuple[Any, Any, dict[str, Any]]:
    """``(edges, memberships, info)``: lockstep edges (``account_a < account_b, lockstep,
    lockstep_bursts``) and the kept burst memberships, as Spark DataFrames."""
    from pyspark.sql import functions as F

    considered = considered_events(events, config).select("account_id", "target_id", "ts").cache()
    # Single distinct counts: Spark plans them as the distinct-then-count they replace (an
    # exchange on (key, value), then on the key), with partial aggregation on both sides.
    activity = considered.groupBy("account_id").agg(F.countDistinct("target_id").alias("activity"))
    memberships, info = burst_memberships(considered, config=config, seed=seed)
    memberships = memberships.cache()
    a = memberships.select("target_id", "bucket", F.col("account_id").alias("account_a"))
    b = memberships.select("target_id", "bucket", F.col("account_id").alias("account_b"))
    shared = (a.join(b, on=["target_id", "bucket"]).filter(F.col("account_a") < F.col("account_b"))
              .groupBy("account_a", "account_b").agg(F.countDistinct("target_id").alias("shared"))
              .filter(F.col("shared") >= config.min_weak_shared_targets))
    act_a = activity.select(F.col("account_id").alias("account_a"), F.col("activity").alias("act_a"))
    act_b = activity.select(F.col("account_id").alias("account_b"), F.col("activity").alias("act_b"))
    n = F.col("shared").cast("double")
    strength = n / F.sqrt(F.col("act_a").cast("double") * F.col("act_b"))
    ramp = F.least(n / F.lit(float(config.min_shared_targets)), F.lit(1.0))
    evidence = F.least(strength * -F.expm1(-n / F.lit(float(config.saturation_bursts))) * ramp,
                       F.lit(_MAX_EVIDENCE))
    edges = (shared.join(act_a, on="account_a").join(act_b, on="account_b")
             .select("account_a", "account_b", evidence.cast("float").alias("lockstep"),
                     F.col("shared").cast("long").alias("lockstep_bursts")))
    info["window_seconds"] = config.window_seconds
    return edges, memberships, info

"""Reading the input tables into Spark, normalised as the contract normalises them.

``NAME.parquet`` (a file or a folder of part files, as Spark writes them) or ``NAME.csv``
under a local folder or any URI Spark reads (``s3a://``, ``abfss://``, ``gs://``, ``dbfs:/``).
Only the columns the Spark stages use are normalised: ids and values as strings, signal
kinds stripped and lower-cased, distinct signal rows, timestamps as UTC, events outside
[``PLAUSIBLE_FROM``, reference time] left out (as :mod:`syndicate.asof` does).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.asof import PLAUSIBLE_FROM


def strip_lower(column: str) -> Any:
    """``column`` as text, trimmed and lower-cased, as the contract normalises kinds and actions."""
    from pyspark.sql import functions as F

    return F.lower(F.regexp_replace(F.col(column).cast("string"), r"^\s+|\s+$", ""))


def _utc(moment: datetime) -> Any:
    """A naive-UTC datetime as a Spark timestamp literal (the session time zone is UTC; a
    Python datetime literal would be read in the driver's local time zone)."""
    from pyspark.sql import functions as F

    return F.lit(moment.isoformat(sep=" ")).cast("timestamp")


def is_local(data_dir: str) -> bool:
    """Whether a data folder is a local path (not a URL such as s3:// or dbfs:)."""
    return "://" not in data_dir and not data_dir.startswith("dbfs:")


def read_table(spark: Any, data_dir: str, name: str) -> Any | None:
    """One contract table as a Spark DataFrame, or None when the folder has none."""
    base = str(data_dir).rstrip("/")
    if is_local(base):
        folder = Path(base)
        if (folder / f"{name}.parquet").exists():
            return spark.read.parquet(str(folder / f"{name}.parquet"))
        if (folder / f"{name}.csv").exists():
            return spark.read.csv(str(folder / f"{name}.csv"), header=True)
        return None
    for fmt in ("parquet", "csv"):
        try:
            reader = spark.read.option("header", "true") if fmt == "csv" else spark.read
            return getattr(reader, fmt)(f"{base}/{name}.{fmt}")
        except Exception as exc:  # AnalysisException: path does not exist
            if "PATH_NOT_FOUND" not in str(exc) and "does not exist" not in str(exc):
                raise
    return None


def normalised_tables(raw: dict[str, Any], *, reference_time: datetime) -> dict[str, Any]:
    """The evidence tables (``signals``, ``events``) of ``raw`` Spark frames, normalised."""
    from pyspark.sql import functions as F

    tables: dict[str, Any] = {}
    for name, frame in raw.items():
        if name == "signals":
            key = [F.col("account_id").cast("string").alias("account_id"), strip_lower("kind").alias("kind"),
                   F.col("value").cast("string").alias("value")]
            if "seen_at" in frame.columns:
                # One row per account and identifier, the earliest sighting (as the polars
                # contract keeps it), then a sighting out of the plausible range is no date
                # (null, as syndicate.asof sets it): in this order, as polars does.
                frame = (frame.select(*key, F.col("seen_at").cast("timestamp").alias("seen_at"))
                         .groupBy("account_id", "kind", "value").agg(F.min("seen_at").alias("seen_at")))
                seen = F.col("seen_at")
                frame = frame.withColumn("seen_at", F.when((seen >= _utc(PLAUSIBLE_FROM))
                                                           & (seen <= _utc(reference_time)), seen))
            else:
                frame = frame.select(*key).distinct()
        elif name == "events":
            ts = F.col("ts").cast("timestamp")
            rating = _rating(frame)
            frame = (frame.select(F.col("account_id").cast("string").alias("account_id"),
                                  strip_lower("action").alias("action"),
                                  F.col("target_id").cast("string").alias("target_id"), ts.alias("ts"), *rating)
                     .filter((F.col("ts") >= _utc(PLAUSIBLE_FROM)) & (F.col("ts") <= _utc(reference_time))))
        else:
            continue
        tables[name] = frame
    return tables


def _rating(frame: Any) -> list[Any]:
    """The rating column (``features.ratings.rating_source``) as a double named ``rating``
    (null where there is no rating: null, NaN, infinite,
    unreadable text), as :func:`syndicate.features.ratings.rating_column` reads it; nothing
    without the column or for one of another type (arrays, structs, dates), which holds no
    rating."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import BooleanType, NumericType, StringType

    from syndicate.features.ratings import rating_source

    source = rating_source(frame.columns)
    if source is None or not isinstance(frame.schema[source].dataType, (NumericType, BooleanType, StringType)):
        return []
    value = F.col(source).cast("double")
    finite = ~F.isnan(value) & (F.abs(value) != F.lit(float("inf")))
    return [F.when(finite, value).alias("rating")]


def from_polars(spark: Any, dataset: Any) -> dict[str, Any]:
    """Spark frames of an in-memory (validated) dataset's signals and events: the Python API's
    path, and tests (the links table stays the driver's: ``link.given.weigh_given``)."""
    tables = {}
    for name, columns in (("signals", ["account_id", "kind", "value", "seen_at"]),
                          ("events", ["account_id", "action", "target_id", "ts", "rating"])):
        frame = getattr(dataset, name)
        if frame is None or frame.height == 0:
            continue
        keep = [c for c in columns if c in frame.columns and c != "rating"]
        if name == "events":
            from syndicate.features.ratings import rating_column

            rating = rating_column(frame)  # under any of its names, read as "rating"
            keep += [] if rating is None else [rating.alias("rating")]
        frame = frame.select(keep)
        if name == "signals":
            frame = frame.unique(subset=["account_id", "kind", "value"], keep="first", maintain_order=True)
        tables[name] = spark_frame(spark, frame)
    return tables


def spark_frame(spark: Any, frame: pl.DataFrame) -> Any:
    """A Spark frame of a polars one (categorical columns as strings)."""
    return spark.createDataFrame(frame.with_columns(pl.col(pl.Categorical).cast(pl.String)).to_arrow())

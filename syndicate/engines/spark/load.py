"""Reading and validating a data folder for the Spark engine, without the events on the driver.

The small tables (``accounts``, ``labels``, ``links``: one row per account or fewer) are read
and validated on the driver by the contract itself. The evidence tables that grow with
traffic (``signals``, ``events``) stay on Spark: their first rows go through the contract's
type checks, and Spark counts, over every row, what the contract counts — missing values,
timestamps that are not timestamps, ids not in ``accounts``, out-of-range timestamps,
placeholder identifiers (left out, as the contract leaves them out) — and finds the reference
time (the latest timestamps, strays set aside, as :mod:`syndicate.asof`). Every problem is
reported together, as the polars engine does.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.asof import PLAUSIBLE_FROM, PLAUSIBLE_UNTIL, STRAY_GAP, STRAY_MIN, STRAY_SHARE, parse_as_of
from syndicate.contract import (MAX_EXAMPLES, MAX_KINDS, TABLES, ContractError, Dataset, Problem, mask_unknown_row_ids,
                                too_many_kinds, validate)
from syndicate.engines.spark.read import is_local, normalised_tables, read_table, strip_lower
from syndicate.placeholders import reads_placeholders, spark_is_placeholder
from syndicate.placeholders import report as placeholder_report

# Rows of each Spark-held table that go through the contract's type checks on the driver.
SAMPLE_ROWS = 1_000
HELD = ("signals", "events")
# (column, contract type) of the held tables' required columns
REQUIRED = {"signals": (("account_id", "id"), ("kind", "kind"), ("value", "id")),
            "events": (("account_id", "id"), ("action", "kind"), ("target_id", "id"), ("ts", "timestamp"))}
TIMESTAMPS = {"signals": "seen_at", "events": "ts"}


def _local_file(data_dir: str, name: str) -> Path | None:
    """The file of table ``name`` in a local data folder, as Spark's reader picks it (parquet
    before CSV); None when there is none or the folder is not local."""
    if not is_local(data_dir):
        return None
    return next((path for path in (Path(data_dir) / f"{name}.parquet", Path(data_dir) / f"{name}.csv")
                 if path.is_file()), None)


def _local_table(spark: Any, data_dir: str, name: str) -> pl.DataFrame | None:
    """A small table read as the polars engine reads it (a local path), else through Spark."""
    from syndicate.io import read_table_file

    if is_local(data_dir):
        path = _local_file(data_dir, name)
        return read_table_file(path) if path is not None else None
    frame = read_table(spark, data_dir, name)
    return None if frame is None else pl.from_arrow(frame.toArrow())


def _cut_short_problems(data_dir: str) -> list[Problem]:
    """The held tables' local CSV files that end inside a row, as the polars reader finds them
    (:func:`syndicate.csv_tables.cut_short`); files Spark reads from elsewhere are not checked."""
    from syndicate.csv_tables import cut_short

    paths = [(name, _local_file(data_dir, name)) for name in HELD]
    return [Problem(name, None, problem) for name, path in paths
            if path is not None and path.suffix == ".csv" and (problem := cut_short(path)) is not None]


def load_spark_dataset(spark: Any, data_dir: str | Path, *, as_of: Any = None,
                       placeholder_values: tuple[str, ...] = ()) -> tuple[Dataset, dict[str, Any]]:
    """The validated dataset the driver keeps (``signals`` and ``events`` None: held on Spark,
    their row counts in ``Dataset.held_counts``) and the normalised Spark tables
    (``placeholder_values``: as :func:`syndicate.contract.validate`'s)."""
    data_dir = str(data_dir)
    if is_local(data_dir) and not Path(data_dir).is_dir():
        what = "is not a folder" if Path(data_dir).exists() else "does not exist"
        raise ContractError([Problem("dataset", None, f"data folder {data_dir!r} {what}",
                                     expected="a folder with accounts.parquet or accounts.csv and other tables")])
    from syndicate.io import UNREADABLE, unreadable_problems

    local, unreadable = {}, []
    for name in ("accounts", "labels", "links"):
        try:  # read as the polars engine reads them: a file it cannot read is a problem here too
            local[name] = _local_table(spark, data_dir, name)
        except UNREADABLE as error:
            path = _local_file(data_dir, name)
            if path is None:  # read through Spark (a remote folder): its own error
                raise
            unreadable += unreadable_problems(name, path, error)
    local = {name: frame for name, frame in local.items() if frame is not None}
    problems = _cut_short_problems(data_dir)
    if unreadable:  # the held tables are checked against accounts, which cannot be read
        raise ContractError(unreadable + problems)
    raw = {name: read_table(spark, data_dir, name) for name in HELD}
    raw = {name: frame for name, frame in raw.items() if frame is not None}
    if "accounts" in local and raw and not problems:
        problems = _spark_problems(spark, raw, local["accounts"])
    sample = {name: pl.from_arrow(frame.limit(SAMPLE_ROWS).toArrow()) for name, frame in raw.items()}
    placeholders = {}
    if "signals" in raw:  # before the reference time, as the contract drops them
        raw["signals"], placeholders = _drop_placeholders(raw["signals"], placeholder_values)
    reference, strays = (parse_as_of(as_of), 0) if as_of is not None else _reference_time(raw, local.get("accounts"))
    try:
        checked = validate({**local, **sample}, as_of=reference, placeholder_values=placeholder_values)
    except ContractError as error:
        seen = {(p.table, p.column) for p in problems}
        problems += [p for p in error.problems if (p.table, p.column) not in seen]
    if problems:
        place = {name: rank for rank, name in enumerate(["dataset", *TABLES])}
        if "accounts" in local and "account_id" in local["accounts"].columns:
            problems = mask_unknown_row_ids(problems, local["accounts"]["account_id"])
        raise ContractError(sorted(problems, key=lambda p: place[p.table]))
    tables = normalised_tables(raw, reference_time=reference)
    counts = {name: frame.count() for name, frame in tables.items()}
    tables = {name: frame for name, frame in tables.items() if counts[name]}
    empty = tuple(sorted({*[n for n in checked.empty_tables if n not in HELD],
                          *[n for n in HELD if n in raw and not counts.get(n)]}))
    timestamps = dict(checked.timestamps)
    held_out, first = _out_of_range(raw, reference)
    timestamps.update(source="as_of" if as_of is not None else "data", strays=strays,
                      out_of_range={**{k: v for k, v in checked.timestamps.get("out_of_range", {}).items()
                                       if k.split(".")[0] not in HELD},
                                    **held_out})
    # The earliest event of all of them, not of the sample the contract checked.
    timestamps.pop("first_event", None)
    if first is not None:
        timestamps["first_event"] = first
    dataset = dataclasses.replace(checked, signals=None, events=None, empty_tables=empty, timestamps=timestamps,
                                  held_counts={n: c for n, c in counts.items() if n in raw}, placeholders=placeholders)
    return dataset, tables


def _drop_placeholders(signals: Any, extra: tuple[str, ...] = ()) -> tuple[Any, dict]:
    """The raw signals without their placeholder rows, and the manifest's count of them over
    distinct (account, kind, value) rows, as the contract counts them after its de-duplication
    (:func:`syndicate.placeholders.drop_placeholders` on Spark). One pass over the signals when
    there are none."""
    from pyspark.sql import functions as F

    kind, value = strip_lower("kind"), F.col("value").cast("string")
    found = (signals.filter(spark_is_placeholder(value, extra))
             .select(F.col("account_id").cast("string").alias("account_id"), kind.alias("kind"), value.alias("value"))
             .distinct().cache())
    by_kind = [(r[0], int(r[1])) for r in found.groupBy("kind").count().collect()
               if r[0] is not None and reads_placeholders(r[0])]
    if not by_kind:
        found.unpersist()
        return signals, {}
    kinds = [k for k, _ in by_kind]
    accounts = found.filter(F.col("kind").isin(kinds)).select("account_id").distinct().count()
    found.unpersist()
    flag = F.coalesce(kind.isin(kinds) & spark_is_placeholder(value, extra), F.lit(False))
    return signals.filter(~flag), placeholder_report(sum(n for _, n in by_kind), accounts, by_kind)


def _spark_problems(spark: Any, raw: dict[str, Any], accounts: pl.DataFrame) -> list[Problem]:
    """Missing values, unparseable timestamps and unknown account ids over every row."""
    from pyspark.sql import functions as F

    problems = []
    known = spark.createDataFrame(accounts.select(pl.col("account_id").cast(pl.String)).unique().to_arrow())
    for name, frame in raw.items():
        columns = [(c, t) for c, t in REQUIRED[name] if c in frame.columns]
        if len(columns) < len(REQUIRED[name]):
            continue  # the sample's check names the missing column
        blank = {c: (F.col(c).isNull() | (F.trim(F.col(c).cast("string")) == "")) if t != "timestamp"
                 else F.col(c).isNull() for c, t in columns}
        bad_ts = {c: F.col(c).isNotNull() & F.col(c).cast("timestamp").isNull()
                  for c, t in columns if t == "timestamp"}
        kinds = [F.approx_count_distinct(strip_lower("kind")).alias("kinds")] if "kind" in frame.columns else []
        row = frame.agg(*[F.sum(e.cast("int")).alias(f"blank_{c}") for c, e in blank.items()],
                        *[F.sum(e.cast("int")).alias(f"bad_{c}") for c, e in bad_ts.items()], *kinds).first()
        if kinds and row["kinds"] > MAX_KINDS:  # the same pass; exact count only then
            exact = frame.select(strip_lower("kind").alias("kind")).distinct()
            problems += too_many_kinds(name, exact.count(), [r[0] for r in exact.limit(MAX_EXAMPLES).collect()])
        shown = [c for c, _ in columns]
        for c, t in columns:
            count = int(row[f"blank_{c}"] or 0)
            if count:
                what = (f"{count} value is null or empty" if count == 1 else f"{count} values are null or empty") \
                    if t in ("id", "kind") else (f"{count} value is missing" if count == 1 else f"{count} values are missing")
                examples = [r.asDict() for r in frame.filter(blank[c]).select(*shown).limit(MAX_EXAMPLES).collect()]
                problems.append(Problem(name, c, what, count, examples, expected="a value on every row"))
            bad = int(row[f"bad_{c}"] or 0) if c in bad_ts else 0
            if bad:
                examples = [r[0] for r in frame.filter(bad_ts[c]).select(F.col(c).cast("string")).limit(MAX_EXAMPLES).collect()]
                problems.append(Problem(name, c, f"{bad} value{'s are' if bad > 1 else ' is'} not a timestamp", bad,
                                        examples, expected="ISO-8601 date-times (naive = UTC)"))
        ids = frame.select(F.col("account_id").cast("string").alias("account_id")).filter(~blank["account_id"])
        unknown = ids.join(known, on="account_id", how="left_anti")
        row = unknown.agg(F.count(F.lit(1)).alias("rows"), F.countDistinct("account_id").alias("ids")).first()
        if row["rows"]:
            examples = [r[0] for r in unknown.distinct().limit(MAX_EXAMPLES).collect()]
            count = int(row["ids"])
            problems.append(Problem(name, "account_id", f"{count} id{'s' if count > 1 else ''} not found in accounts, "
                                    f"on {int(row['rows'])} row{'s' if int(row['rows']) > 1 else ''}", count, examples))
    return problems


def _plausible_times(raw: dict[str, Any]) -> list[tuple[Any, str]]:
    from pyspark.sql import functions as F

    out = []
    for name, frame in raw.items():
        column = TIMESTAMPS[name]
        if column in frame.columns:
            ts = F.col(column).cast("timestamp")
            out.append((frame.select(ts.alias("t")).filter(
                (F.col("t") >= _utc(PLAUSIBLE_FROM)) & (F.col("t") < _utc(PLAUSIBLE_UNTIL))), column))
    return out


def _reference_time(raw: dict[str, Any], accounts: pl.DataFrame | None) -> tuple[datetime, int]:
    """:func:`syndicate.asof.default_reference_time` over the Spark tables and the accounts:
    counts on Spark, then only the latest ``k + 1`` timestamps of each table come back."""
    from pyspark.sql import functions as F

    local = []
    if accounts is not None and "created_at" in accounts.columns:
        from syndicate.contract import _to_timestamp  # noqa: F401  (the contract's own parsing)

        created, _ = _to_timestamp("accounts", accounts["created_at"])
        if created is not None:
            local = [created.filter((created >= PLAUSIBLE_FROM) & (created < PLAUSIBLE_UNTIL)).drop_nulls()]
    held = _plausible_times(raw)
    n = sum(s.len() for s in local) + sum(frame.count() for frame, _ in held)
    if n == 0:
        return PLAUSIBLE_FROM, 0
    k = min(max(STRAY_MIN, math.ceil(STRAY_SHARE * n)), n // 10)
    take = k + 1 if k else 1
    tops = [s.top_k(take) for s in local if s.len()]
    for frame, _ in held:
        values = [r[0] for r in frame.select(F.unix_micros("t").alias("t")).orderBy(F.col("t").desc())
                  .limit(take).collect()]
        tops.append(pl.Series(values, dtype=pl.Int64).cast(pl.Datetime("us")))
    top = pl.concat([t.cast(pl.Datetime("us")) for t in tops if t.len()]).sort(descending=True).head(take).to_list()
    if k == 0:
        return top[0], 0
    gaps = [i for i in range(min(k, len(top) - 1)) if top[i] - top[i + 1] > STRAY_GAP]
    if not gaps:
        return top[0], 0
    return top[gaps[-1] + 1], gaps[-1] + 1


def _out_of_range(raw: dict[str, Any], reference: datetime) -> tuple[dict[str, dict], str | None]:
    """``syndicate.asof`` out-of-range entries of the Spark-held timestamp columns, and the
    earliest event kept (ISO text; None without one): both in one pass per table."""
    from pyspark.sql import functions as F

    handling = {"events": "events left out of the run", "signals": "set to null"}
    out, first = {}, None
    for name, frame in raw.items():
        column = TIMESTAMPS[name]
        if column not in frame.columns:
            continue
        t = F.col(column).cast("timestamp")
        early, late = t < _utc(PLAUSIBLE_FROM), t > _utc(reference)
        bad = early | late
        micros = F.unix_micros(t)
        row = frame.agg(F.sum(early.cast("int")).alias("early"), F.sum(late.cast("int")).alias("late"),
                        F.min(F.when(bad, micros)).alias("lo"), F.max(F.when(bad, micros)).alias("hi"),
                        F.min(F.when(~bad, micros)).alias("first")).first()
        if name == "events" and row["first"] is not None:
            first = _iso(row["first"])
        count = int(row["early"] or 0) + int(row["late"] or 0)
        if count:
            out[f"{name}.{column}"] = {"count": count, "before_plausible": int(row["early"] or 0),
                                       "after_reference": int(row["late"] or 0),
                                       "earliest": _iso(row["lo"]), "latest": _iso(row["hi"]),
                                       "handling": handling[name]}
    return out, first


def _iso(micros: int) -> str:
    """Microseconds since the epoch as naive-UTC ISO text (never the driver's local time)."""
    return (datetime(1970, 1, 1) + timedelta(microseconds=int(micros))).isoformat()


def _utc(moment: datetime) -> Any:
    from pyspark.sql import functions as F

    return F.lit(moment.isoformat(sep=" ")).cast("timestamp")

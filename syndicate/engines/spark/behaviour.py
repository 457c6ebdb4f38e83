"""Per-account behaviour aggregates on Spark, finished on the driver into the polars engine's
features (:func:`syndicate.features.accounts.account_behaviour_features`, ``extended=True``).

Spark reduces the events to one row per active account — counts, first and last time, active
days, fixed-point sums of gaps and of their squared deviations, the median gap, hour-of-day
and gap-class counts, action counts, favourite target, popularity sums, events in bursts with
other accounts, rating sums — and the driver turns that row into the features with the same
formulas (:func:`syndicate.features.accounts._final_columns`, ``normalised_entropy``). What
comes back is bounded by the number of accounts, never by the number of events.

Sums that the polars engine takes in fixed point (gaps, squared deviations, log-popularity,
hour entropy terms) are taken here in the same fixed point (``rint(x * scale)`` as longs), so
they are order-free on both engines; times are coarsened exactly as
:func:`syndicate.features.timing.sort_by_account` does when the span needs it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from syndicate.asof import known_creation
from syndicate.features.accounts import (
    ACTION_SURPRISAL, ACTION_SURPRISAL_TOP, BURST_WINDOW_S, EXTENDED_FEATURES, NO_GAP_CV, _action_column_name,
    _empty, _final_columns, creation_burst)
from syndicate.features.exact import SCALE
from syndicate.features.ratings import _SCALE as RATING_SCALE
from syndicate.features.ratings import RATING_FEATURES, action_ratings
from syndicate.features.targets import RARE_TARGET_ACCOUNTS
from syndicate.features.timing import (CV_SCALE, GAP_EDGES_S, RAPID_GAP_S, US_PER_DAY, US_PER_HOUR, US_PER_S,
                                       clock_resolution_s, normalised_entropy)

MAX_ACTIONS = 8


def kept_actions(counts: dict[str, int], max_actions: int = MAX_ACTIONS) -> list[str]:
    """The actions with their own share column, as ``accounts._kept_actions`` picks them:
    most frequent first (ties by name), one per sanitised column name, never ``other``."""
    by_name: dict[str, str] = {}
    for action in sorted(counts, key=lambda a: (-counts[a], a)):
        name = _action_column_name(action)
        if name != "action_other":
            by_name.setdefault(name, action)
    return list(by_name.values())[:max_actions]


def _quantised(events: Any, n_accounts: int) -> tuple[Any, int, int, int, int]:
    """Events with ``t`` (µs), its coarse ``tq`` units and ``tc`` (µs again, coarse), and
    (t_min, unit, span, distinct targets)."""
    from pyspark.sql import functions as F

    events = events.withColumn("t", F.unix_micros(F.col("ts").cast("timestamp")))
    row = events.agg(F.min("t").alias("lo"), F.max("t").alias("hi"), F.countDistinct("target_id").alias("nt")).first()
    t_min, span = int(row["lo"]), int(row["hi"]) - int(row["lo"]) + 1
    bits = 62 - max(int(n_accounts).bit_length(), 1)
    unit = max(1, -(-span // (1 << bits)))
    tq = F.expr(f"(t - {t_min}) div {unit}") if unit != 1 else F.col("t") - F.lit(t_min)
    events = events.withColumn("tq", tq).withColumn("tc", F.col("tq") * F.lit(unit) + F.lit(t_min))
    return events, t_min, unit, span, int(row["nt"])


def behaviour_aggregates(events: Any, *, n_accounts: int, burst_window_s: int, rated: bool,
                         repeated_share: float = 0.0, min_clock_s: int = 0) -> tuple[Any, list[str], dict]:
    """One Spark row per active account with every aggregate the features need, the kept
    actions, and ``scale`` (the rating scale ``low, high``; None without ratings), ``unit``,
    ``clock_s`` (the events' clock, ``timing.clock_resolution_s``) and ``repeated`` (rows
    repeating another, :func:`repeated_rows` at ``repeated_share`` with the clock at least
    ``min_clock_s``, and the events' rows)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    counts = {r["action"]: int(r["n"]) for r in events.groupBy("action").agg(F.count(F.lit(1)).alias("n")).collect()}
    kept = kept_actions(counts)
    ev, t_min, unit, span, n_targets = _quantised(events, n_accounts)
    ev = ev.cache()
    by_time = Window.partitionBy("account_id").orderBy("tq")
    gap_units = F.col("tq") - F.lag("tq").over(by_time)
    g = ev.select("account_id", "tq", "tc", gap_units.alias("dq"))
    g = g.withColumn("gap", (F.col("dq") * F.lit(unit)).cast("double") * F.lit(1 / US_PER_S)).cache()
    has_gap = F.col("dq").isNotNull()
    gap_class = sum((F.col("gap") >= F.lit(float(e))).cast("int") for e in GAP_EDGES_S)
    timing = g.groupBy("account_id").agg(
        F.count(F.lit(1)).alias("n_events"), F.min("tc").alias("t_first"), F.max("tc").alias("t_last"),
        F.sum(F.when(has_gap, F.rint(F.col("gap") * F.lit(SCALE)).cast("long")).otherwise(0)).alias("gap_fixed"),
        F.sum(F.when(has_gap & (F.col("gap") < RAPID_GAP_S), 1).otherwise(0)).alias("rapid"),
        F.expr("percentile(dq, 0.5)").alias("median_dq"),
        *[F.sum(F.when(has_gap & (gap_class == k), 1).otherwise(0)).alias(f"gap_class_{k}")
          for k in range(len(GAP_EDGES_S) + 1)])
    mean = timing.select("account_id", (F.col("gap_fixed") / F.lit(SCALE) / (F.col("n_events") - 1)).alias("gap_mean"))
    term = F.least(F.greatest((F.col("gap") - F.col("gap_mean")) / F.col("gap_mean"), F.lit(-1e3)), F.lit(1e3))
    cv = (g.filter(has_gap).join(mean.filter(F.col("gap_mean") > 0), on="account_id")
          .groupBy("account_id").agg(F.sum(F.rint(term * term * F.lit(CV_SCALE)).cast("long")).alias("cv_fixed")))

    days = (ev.groupBy("account_id", F.expr(f"tc div {US_PER_DAY}").alias("day")).agg(F.count(F.lit(1)).alias("c"))
            .groupBy("account_id").agg(F.count(F.lit(1)).alias("n_active_days"), F.max("c").alias("peak_events_per_day")))
    hours = ev.groupBy("account_id", F.pmod(F.expr(f"tc div {US_PER_HOUR}"), F.lit(24)).alias("hour")) \
        .agg(F.count(F.lit(1)).alias("c"))
    n = timing.select("account_id", "n_events")
    p = F.col("c") / F.col("n_events")
    hour = (hours.join(n, on="account_id").groupBy("account_id")
            .agg(F.sum(F.rint(p * F.log(p) * F.lit(SCALE)).cast("long")).alias("hour_fixed"),
                 F.max(p).alias("peak_hour_share")))
    mix = ev.groupBy("account_id").agg(
        *[F.sum(F.when(F.col("action") == a, 1).otherwise(0)).alias(f"_mix_{j}") for j, a in enumerate(kept)],
        F.sum(F.when(~F.col("action").isin(kept) if kept else F.lit(True), 1).otherwise(0)).alias("_mix_other"))

    pairs = ev.groupBy("account_id", "target_id").agg(F.count(F.lit(1)).alias("c"))
    popularity = pairs.groupBy("target_id").agg(F.count(F.lit(1)).alias("pop"))
    targets = (pairs.join(popularity, on="target_id").groupBy("account_id").agg(
        F.max("c").alias("_top"), F.count(F.lit(1)).alias("_distinct"),
        F.sum(F.rint(F.log1p(F.col("pop").cast("double")) * F.col("c") * F.lit(SCALE)).cast("long")).alias("pop_fixed"),
        F.sum(F.when(F.col("pop") <= RARE_TARGET_ACCOUNTS, F.col("c")).otherwise(0)).alias("_rare")))

    bursts = _burst_counts(ev, t_min=t_min, unit=unit, span=span, n_targets=n_targets,
                           window=burst_window_s * US_PER_S)
    clock_s = _clock_resolution(ev, span_s=(span - 1) // US_PER_S)
    n_rows = sum(counts.values())
    repeated = {"rows": repeated_rows(ev, n_rows, at_least=repeated_share, clock_s=max(clock_s, min_clock_s)),
                "events": n_rows}
    parts = [cv, days, hour, mix, targets, bursts]
    scale = None
    if rated:
        rating_part, scale = _rating_sums(ev)
        if rating_part is not None:
            parts.append(rating_part)
    out = timing
    for part in parts:
        out = out.join(part, on="account_id", how="left")
    return out, kept, {"scale": scale, "unit": unit, "clock_s": clock_s, "repeated": repeated}


def repeated_rows(events: Any, n_rows: int, *, at_least: float, clock_s: int = 1) -> int | None:
    """:func:`syndicate.encoding.repeated_rows` on Spark: the event rows that repeat another
    row (same account, action, target and time ``t``), by the same rule
    (:func:`syndicate.encoding.counted_repeats`), the estimate ``approx_count_distinct`` of the
    rows' hashes (one pass)."""
    from pyspark.sql import functions as F

    from syndicate.encoding import counted_repeats

    key = ["account_id", "action", "target_id", "t"]
    return counted_repeats(
        n_rows, at_least=at_least, clock_s=clock_s,
        estimate_distinct=lambda: int(events.select(F.approx_count_distinct(F.xxhash64(*key), 0.01)).first()[0]),
        distinct=lambda: events.select(*key).distinct().count())


def events_clock_s(events: Any, at_least: int = 0) -> int:
    """``timing.events_clock_s`` of the events (``ts``) on Spark."""
    from pyspark.sql import functions as F

    ev = events.select(F.unix_micros(F.col("ts").cast("timestamp")).alias("t"))
    row = ev.agg(F.min("t").alias("lo"), F.max("t").alias("hi")).first()
    if row["lo"] is None:
        return max(1, at_least)
    return max(_clock_resolution(ev, span_s=(int(row["hi"]) - int(row["lo"])) // US_PER_S), at_least)


def _clock_resolution(ev: Any, *, span_s: int) -> int:
    """``timing.clock_resolution_s`` of the events' exact times (``t``, µs): the same counts
    per second of the day (rounded down, as numpy does, before 1970 too), made on Spark (at
    most 86,400 rows come back)."""
    from pyspark.sql import functions as F

    second = F.expr(f"(t - pmod(t, {US_PER_S})) div {US_PER_S}")
    rows = (ev.select(F.pmod(second, F.lit(86_400)).alias("sod"),
                      (F.pmod(F.col("t"), F.lit(US_PER_S)) != 0).cast("long").alias("frac"))
            .groupBy("sod").agg(F.count(F.lit(1)).alias("n"), F.sum("frac").alias("frac")).collect())
    counts = np.zeros(86_400, dtype=np.int64)
    for row in rows:
        counts[int(row["sod"])] = int(row["n"])
    return clock_resolution_s(counts, sum(int(row["frac"]) for row in rows), span_s)


def _burst_counts(ev: Any, *, t_min: int, unit: int, span: int, n_targets: int, window: int) -> Any:
    """Events per account next to another account's event on the same target within
    ``window`` µs, in (target, coarse time, account) order (``targets.burst_counts``)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    time_bits = 62 - max(int(n_targets).bit_length(), 1)
    tunit = max(1, -(-span // (1 << time_bits)))
    near = window // tunit
    tk = F.col("tq") * F.lit(unit)
    if tunit != 1:
        tk = F.expr(f"(tq * {unit}) div {tunit}")
    order = Window.partitionBy("target_id").orderBy("tk", "account_id")
    rows = ev.select("account_id", "target_id", tk.alias("tk"))
    rows = rows.select("account_id",
                       ((F.col("tk") - F.lag("tk").over(order) <= near)
                        & (F.lag("account_id").over(order) != F.col("account_id"))).alias("before"),
                       ((F.lead("tk").over(order) - F.col("tk") <= near)
                        & (F.lead("account_id").over(order) != F.col("account_id"))).alias("after"))
    return rows.groupBy("account_id").agg(
        F.sum(F.when(F.coalesce("before", F.lit(False)) | F.coalesce("after", F.lit(False)), 1).otherwise(0))
        .alias("burst"))


def _rating_sums(ev: Any) -> tuple[Any | None, tuple[float, float] | None]:
    """Per account: rated events, extreme ratings and fixed-point sums of the scaled rating
    and of its distance from the target's mean (``ratings.rating_features``)."""
    from pyspark.sql import functions as F

    if "rating" in ev.columns:
        rated = ev.select("account_id", "target_id", F.col("rating").cast("double").alias("r"))
    else:
        actions = sorted(r[0] for r in ev.select("action").distinct().collect())
        values = action_ratings(actions)
        if values is None:
            return None, None
        mapping = {a: float(v) for a, v in zip(actions, values) if not np.isnan(v)}
        expr = F.lit(None).cast("double")
        for action, value in mapping.items():
            expr = F.when(F.col("action") == action, F.lit(value)).otherwise(expr)
        rated = ev.select("account_id", "target_id", expr.alias("r"))
    rated = rated.filter(F.col("r").isNotNull() & ~F.isnan("r") & (F.abs("r") != F.lit(float("inf")))).cache()
    bounds = rated.agg(F.min("r").alias("lo"), F.max("r").alias("hi")).first()
    if bounds["lo"] is None or bounds["lo"] == bounds["hi"]:
        return None, None
    low, high = float(bounds["lo"]), float(bounds["hi"])
    q = rated.withColumn("q", F.rint((F.col("r") - F.lit(low)) / F.lit(high - low) * F.lit(RATING_SCALE)))
    target_mean = q.groupBy("target_id").agg((F.sum("q") / F.greatest(F.count(F.lit(1)), F.lit(1))).alias("tm"))
    sums = (q.join(target_mean, on="target_id").groupBy("account_id").agg(
        F.count(F.lit(1)).alias("rated"),
        F.sum(((F.col("r") == low) | (F.col("r") == high)).cast("double")).alias("extreme"),
        F.sum("q").alias("q_sum"), F.sum(F.rint(F.abs(F.col("q") - F.col("tm")))).alias("dev_sum")))
    return sums, (low, high)


def finish_features(aggregates: pl.DataFrame, kept: list[str], accounts: pl.DataFrame, *, now: datetime,
                    rated: bool, surprisal: pl.DataFrame, unit: int = 1, clock_s: int = 1,
                    burst_window_s: int = BURST_WINDOW_S) -> pl.DataFrame:
    """The features of ``account_behaviour_features(..., extended=True)`` from the collected
    per-account aggregates (driver side; one row per active account); ``clock_s`` and
    ``burst_window_s`` as there (the clock from :func:`behaviour_aggregates`); ``surprisal``
    (``account_id, action_surprisal, action_surprisal_top``: ``engines.spark.members.account_surprisal``)."""
    if aggregates.height == 0:
        return _empty(True)
    ids = accounts.select("account_id", "created_at").sort("account_id")
    known = known_creation(ids["created_at"])
    ids = ids.with_columns(known.alias("_known_created"), creation_burst(ids["created_at"], known=known))
    agg = aggregates.with_columns(pl.col("account_id").cast(pl.String)).sort("account_id")
    agg = agg.join(ids, on="account_id", how="left", maintain_order="left")
    n_ev = agg["n_events"].to_numpy()
    n_gaps = n_ev - 1
    names = [_action_column_name(a) for a in kept]
    mix = np.column_stack([agg[f"_mix_{j}"].fill_null(0).to_numpy() for j in range(len(kept))]
                          + [agg["_mix_other"].fill_null(0).to_numpy()]).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_mean = agg["gap_fixed"].to_numpy() / SCALE / n_gaps
        n_terms = np.where(gap_mean > 0, n_gaps, 0)
        cv2 = agg["cv_fixed"].fill_null(0).to_numpy() / CV_SCALE / n_terms
        rapid = agg["rapid"].to_numpy() / n_gaps
    # percentile(dq, 0.5) interpolates halfway between the middle two gaps, as polars' median
    median_gap = agg["median_dq"].cast(pl.Float64).to_numpy() * unit * (1 / US_PER_S)
    hours = agg["hour_fixed"].cast(pl.Int64)
    columns = {
        "n_events": n_ev, "t_first": agg["t_first"].to_numpy(),
        "n_active_days": agg["n_active_days"].to_numpy(), "_gap_cv2": cv2,
        "median_gap_s": np.where(n_gaps > 0, median_gap, np.nan), "rapid_gap_share": rapid,
        "hour_entropy": (-(hours / SCALE) / np.log(24)).to_numpy(),
        "peak_hour_share": agg["peak_hour_share"].to_numpy(),
        **{name: mix[:, j] / n_ev for j, name in enumerate(names)},
        "_top": agg["_top"].to_numpy(), "_distinct": agg["_distinct"].to_numpy(),
        "_pop_sum": agg["pop_fixed"].to_numpy() / SCALE, "_rare": agg["_rare"].to_numpy(),
        "burst_share": agg["burst"].fill_null(0).to_numpy() / n_ev,
    }
    frame = pl.DataFrame(columns).with_columns(pl.col(c).fill_nan(None) for c in
                                               ("_gap_cv2", "median_gap_s", "rapid_gap_share"))
    frame = pl.concat([agg.select("account_id"), frame, agg.select("created_at", "_known_created", "creation_burst")],
                      how="horizontal")
    result = frame.lazy().select("account_id", *_final_columns(names, now, clock_s=clock_s,
                                                               burst_window_s=burst_window_s)).collect()
    gap_counts = np.column_stack([agg[f"gap_class_{k}"].to_numpy() for k in range(len(GAP_EDGES_S) + 1)])
    ratings = _ratings(agg, rated)
    extra = pl.DataFrame({
        "peak_events_per_day": agg["peak_events_per_day"].to_numpy().astype(np.float64),
        "active_span_days": (agg["t_last"].to_numpy() - agg["t_first"].to_numpy()) / US_PER_DAY,
        "gap_entropy": normalised_entropy(gap_counts),
        "action_entropy": normalised_entropy(mix),
        **ratings,
    }).with_columns(pl.col(n).fill_nan(None) for n in RATING_FEATURES)
    own = agg.select("account_id").join(surprisal, on="account_id", how="left", maintain_order="left")
    extra = pl.concat([extra, own.select(ACTION_SURPRISAL, ACTION_SURPRISAL_TOP)], how="horizontal")
    cv = result["gap_cv"]
    return pl.concat([result, extra], how="horizontal").with_columns(
        ((cv - 1) / (cv + 1)).alias("burstiness")).select("account_id", *result.columns[1:], *EXTENDED_FEATURES,
                                                          ACTION_SURPRISAL_TOP)


def _ratings(agg: pl.DataFrame, rated: bool) -> dict[str, np.ndarray]:
    if not rated or "rated" not in agg.columns:
        return {name: np.full(agg.height, np.nan) for name in RATING_FEATURES}
    count = agg["rated"].fill_null(0).to_numpy().astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {"extreme_rating_share": agg["extreme"].fill_null(0).to_numpy() / count,
                "mean_rating": agg["q_sum"].fill_null(0).to_numpy() / RATING_SCALE / count,
                "rating_deviation": agg["dev_sum"].fill_null(0).to_numpy() / RATING_SCALE / count}

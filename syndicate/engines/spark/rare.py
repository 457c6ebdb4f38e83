"""The review-ring detector (:mod:`syndicate.link.rare_coaction`) for the Spark engine.

What grows with the events stays on Spark: the considered events, each target-action's event
count, each account's event count and the data's first and last second. Only the events of
target-actions that can burst (2 to ``max_cell_accounts / share`` events,
:func:`~syndicate.link.rare_coaction.burst_share`: a third to a half of them on two
generators) come to the driver, and only on data within ``[lockstep] rare_max_events`` (the
same gate as the polars engine: above it neither engine runs the detector). There they are
coded as the polars engine codes them (account codes by the sorted ids, target codes by the
sorted target hashes: a subset keeps their order) and the detector runs unchanged, given the
totals of all the events (:class:`~syndicate.link.rare_coaction.EventTotals`), so both engines
find the same groups and links. The strong links that decide who leaves a group (identifier
and lockstep links touching its members, without ties by places alone:
:func:`~syndicate.link.rare_coaction.binding_links`) are read from the Spark link frames.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from syndicate.config import Config
from syndicate.engines.spark.combine import collect_edges, combine_edge_frames
from syndicate.engines.spark.lockstep import considered_events
from syndicate.link.codes import AccountIndex
from syndicate.link.rare_coaction import ACTION_VALUE_PREFIX, ACTION_VALUE_SUFFIX


def rare_edges(spark: Any, events: Any, parts: list[Any], index: AccountIndex,
               config: Config, targets: Any) -> tuple[Any | None, dict, np.ndarray | None]:
    """Spark frame of the rare co-action links (``account_a < account_b`` ids,
    ``rare_coaction``, ``rare_coaction_targets``) or None, what the detector counted, and each
    account code's group (``pipeline.rare_groups``; None without links). ``targets``: the
    account ids as targets (:func:`account_targets`), read unless ``rare_account_targets``."""
    from pyspark.sql import functions as F

    cfg = config.lockstep
    seconds = F.unix_seconds(F.col("ts").cast("timestamp"))
    name = F.lower(F.regexp_replace(F.col("action"), r"^\s+|\s+$", ""))
    if cfg.rare_fold_values:  # the action families of rare_coaction.action_families
        # (?U): Unicode digits and spaces, as Rust's regex (polars) has them by default.
        folded = F.regexp_replace(F.regexp_replace(name, "(?U)" + ACTION_VALUE_SUFFIX, ""),
                                  "(?U)" + ACTION_VALUE_PREFIX, "")
        name = F.when(F.length(folded) > 0, folded).otherwise(name)
    considered = considered_events(events, cfg)
    if not cfg.rare_account_targets:  # relations between accounts are no ring's targets
        considered = considered.join(F.broadcast(targets), on="target_id", how="left_anti")
    # Read twice below (per account, candidates): cached once.
    considered = considered.select("account_id", "action", "target_id", "ts",
                                   seconds.alias("_s"), name.alias("_name")).cache()
    try:
        return _rare_edges(spark, considered, parts, index, config)
    finally:
        considered.unpersist()


def account_targets(spark: Any, index: AccountIndex) -> Any:
    """The dataset's account ids as a one-column (``target_id``) Spark frame."""
    from syndicate.engines.spark.read import spark_frame

    return spark_frame(spark, pl.DataFrame({"target_id": index.ids}))


def binding_of(parts: list[Any], index: AccountIndex, config: Config, *, places: bool = False):
    """A function giving the ends (account codes) of the binding links
    (:func:`~syndicate.link.rare_coaction.binding_links`, ``places`` as there) among the Spark
    link frames ``parts`` that touch an account of a mask, combined on Spark."""
    from pyspark.sql import functions as F

    from syndicate.link.rare_coaction import binding_links

    def strong_links(member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        # A filter by a list of the members (the groups' accounts: thousands at most), no join.
        ids = index.ids.filter(pl.Series(member)).to_list()
        touching = [p.filter(F.col("account_a").isin(ids) | F.col("account_b").isin(ids)) for p in parts]
        strong = binding_links(collect_edges(combine_edge_frames(*touching)), config.cluster.min_edge_weight,
                               config.identity.property_kinds, places=places)
        return index.codes(strong["account_a"]), index.codes(strong["account_b"])

    return strong_links


def rating_burst_edges(spark: Any, events: Any, parts: list[Any], index: AccountIndex,
                       config: Config) -> tuple[Any | None, dict]:
    """Ratings against the crowd (:mod:`syndicate.link.rating_bursts`) as a Spark link frame:
    the cells' figures are Spark aggregates (:func:`_rating_cells`); the driver gets the cells
    with three or more low raters and those raters, and finishes as the polars engine does;
    the links that tie an account elsewhere are read from the Spark link frames ``parts``."""
    from syndicate.link.rating_bursts import links_of_cells, settings_of
    from syndicate.pipeline import ties_of

    settings = settings_of(config)
    cells = _rating_cells(spark, events, settings)
    if cells is None:
        return None, {"rated_events": 0}
    binding = binding_of(parts, index, config, places=True)
    pairs, info = links_of_cells(*cells, index, settings,
                                 ties=lambda codes: ties_of(codes, len(index), binding))
    if pairs is None:
        return None, info
    out = pairs.with_columns(index.ids.gather(pairs["account_a"]).alias("account_a"),
                             index.ids.gather(pairs["account_b"]).alias("account_b"),
                             pl.col("rating_burst_targets").cast(pl.Int64))
    return spark.createDataFrame(out.to_arrow()), info


def rated_rows(events: Any) -> tuple[Any, float, float] | None:
    """The rated events (``account_id, target_id, ts, _r``: the rating column, or the rating
    an action's name carries; null, NaN and infinite ratings are no rating) with the lowest
    and highest rating, as :func:`syndicate.link.rating_bursts.rated_events` reads them; None
    when no event carries a rating or every rating is the same value."""
    from pyspark.sql import functions as F

    from syndicate.features.ratings import RATING_COLUMN, action_ratings

    if RATING_COLUMN in events.columns:
        rated = events.select("account_id", "target_id", "ts", F.col(RATING_COLUMN).cast("double").alias("_r"))
    else:
        actions = sorted(r[0] for r in events.select("action").distinct().collect() if r[0] is not None)
        values = action_ratings(actions)
        if values is None:
            return None
        named = {a: float(v) for a, v in zip(actions, values) if not np.isnan(v)}
        ratings = F.create_map(*[x for a, v in named.items() for x in (F.lit(a), F.lit(v))])
        rated = events.filter(F.col("action").isin(list(named))).select(
            "account_id", "target_id", "ts", ratings[F.col("action")].alias("_r"))
    finite = F.col("_r").isNotNull() & ~F.isnan("_r") & (F.abs("_r") != F.lit(float("inf")))
    rated = rated.filter(finite)
    low, high = rated.agg(F.min("_r"), F.max("_r")).collect()[0]
    if low is None or high == low:
        return None
    return rated, low, high


def _rating_cells(spark: Any, events: Any, settings) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """:func:`syndicate.link.rating_bursts.cell_figures` on Spark (the same integer figures),
    or None when no event carries a rating or every rating is the same value."""
    from pyspark.sql import functions as F

    from syndicate.link.rating_bursts import CELL_ACCOUNT_COLUMNS, CELL_COLUMNS, LOW_END, SCALE

    found = rated_rows(events)
    if found is None:
        return None
    rated, low, high = found
    q = (F.col("_r") - F.lit(low)) / F.lit(high - low)
    width = int(settings.window_days * 86_400_000_000)
    rated = rated.select(F.col("target_id").cast("string").alias("target"), "account_id",
                         F.bround(q * F.lit(float(SCALE))).cast("long").alias("q"), (q <= F.lit(LOW_END)).alias("low"),
                         F.unix_micros(F.col("ts").cast("timestamp")).alias("_us")).cache()
    try:
        targets = rated.groupBy("target").agg(F.count(F.lit(1)).alias("n"), F.sum("q").alias("q_sum"),
                                              F.sum(F.col("low").cast("long")).alias("n_low"))
        figures, accounts = [], []
        for phase in (0, 1):
            shifted = f"(_us + {phase * (width // 2)})"
            cells = rated.withColumn("cell", F.expr(f"({shifted} - pmod({shifted}, {width})) div {width}")) \
                .withColumn("phase", F.lit(phase).cast("byte"))
            key = ["target", "phase", "cell"]
            totals = cells.groupBy(key).agg(F.count(F.lit(1)).alias("rows"), F.countDistinct("account_id").alias("m"),
                                            F.sum("q").alias("cell_sum"))
            low_rows = cells.filter(F.col("low"))
            per_cell = (low_rows.groupBy(key).agg(F.countDistinct("account_id").alias("k"),
                                                  F.count(F.lit(1)).alias("low_rows"))
                        .filter(F.col("k") >= settings.min_accounts))
            figures.append(per_cell.join(totals, key).join(targets, "target").select(
                *key, "k", "m", (F.col("n") - F.col("rows")).alias("others"),
                (F.col("q_sum") - F.col("cell_sum")).alias("others_sum"),
                (F.col("n_low") - F.col("low_rows")).alias("others_low")))
            accounts.append(low_rows.join(per_cell.select(key), key, "left_semi")
                            .select(*key, "account_id").distinct())
        figure_frame = pl.from_arrow(figures[0].unionByName(figures[1]).toArrow())
        account_frame = pl.from_arrow(accounts[0].unionByName(accounts[1]).toArrow())
    finally:
        rated.unpersist()
    if figure_frame.height == 0:
        figure_frame = pl.DataFrame(schema=CELL_COLUMNS)
    if account_frame.height == 0:
        account_frame = pl.DataFrame(schema=CELL_ACCOUNT_COLUMNS)
    return figure_frame.cast(CELL_COLUMNS), account_frame.cast(CELL_ACCOUNT_COLUMNS)


def _rare_edges(spark: Any, considered: Any, parts: list[Any], index: AccountIndex,
                config: Config) -> tuple[Any | None, dict, np.ndarray | None]:
    """:func:`rare_edges` on the ``considered`` events (cached; ``_s`` seconds, ``_name`` the
    trimmed lower-case action)."""
    from pyspark.sql import functions as F

    from syndicate.encoding import encode_events
    from syndicate.link.rare_coaction import EventTotals, action_count, burst_share, event_codes
    from syndicate.pipeline import rare_groups, rare_links_of

    cfg = config.lockstep
    # One pass: each account's events and first and last second (accounts-sized, as the
    # behaviour aggregates the driver already holds); the data's span is theirs.
    per_account = pl.from_arrow(considered.groupBy("account_id").agg(
        F.count(F.lit(1)).alias("n"), F.min("_s").alias("first"), F.max("_s").alias("last")).toArrow())
    if per_account.height == 0:
        return None, {"events": 0}, None
    counts = np.zeros(len(index), dtype=np.int64)
    counts[index.codes(per_account["account_id"])] = per_account["n"].to_numpy()
    totals = EventTotals(counts, int(per_account["first"].min()), int(per_account["last"].max()))
    del per_account
    width = max(int(cfg.rare_window_days * 86_400), 1)
    max_events = cfg.rare_max_cell_accounts / burst_share(width, totals.first, totals.last, cfg.rare_min_burst)
    per_target = (considered.groupBy("target_id", "_name").agg(F.count(F.lit(1)).alias("_n"))
                  .filter((F.col("_n") >= 2) & (F.col("_n") <= F.lit(float(max_events)))))
    candidates = pl.from_arrow(considered.join(per_target, on=["target_id", "_name"], how="left_semi")
                               .select("account_id", "action", "target_id", "ts").toArrow())
    if candidates.height == 0:
        return None, {"events": 0}, None
    ts = candidates["ts"]
    if getattr(ts.dtype, "time_zone", None):  # as the polars loader gives them (engine._member_rows)
        ts = ts.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    encoded = encode_events(candidates.with_columns(ts.cast(pl.Datetime("us")).alias("ts")), index.ids)
    del candidates
    account, target_action, secs = event_codes(encoded.acc, encoded.tgt, encoded.act, encoded.actions, encoded.t,
                                               fold_values=cfg.rare_fold_values)
    n_actions = action_count(encoded.actions, fold_values=cfg.rare_fold_values)
    del encoded

    links, info = rare_links_of(account, target_action, secs, n_accounts=len(index), config=config,
                                strong_links=binding_of(parts, index, config), totals=totals, n_actions=n_actions)
    if links is None:
        return None, info, None
    group = rare_groups(links, len(index))
    frame = links.drop("rare_group").with_columns(index.ids.gather(links["account_a"]).alias("account_a"),
                                                  index.ids.gather(links["account_b"]).alias("account_b"),
                                                  pl.col("rare_coaction_targets").cast(pl.Int64))
    return spark.createDataFrame(frame.to_arrow()), info, group


__all__ = ["binding_of", "rare_edges", "rating_burst_edges"]

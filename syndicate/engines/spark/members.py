"""What the per-cluster stages read of the events and signals, taken where they are.

The ``events`` and ``signals`` tables stay on the executors for the whole run. After the link
and behaviour stages the driver reads of them only:

* the target embedding of HDBSCAN's pool (:func:`syndicate.cluster.density.target_embedding`):
  the distinct ``account_id, target_id`` pairs of the pool's accounts — at most
  ``hdbscan_max_accounts`` accounts, whatever the number of events (:func:`pool_pairs`);
* the identity features of each cluster (:func:`syndicate.features.identity.identity_features`):
  the members' signals, a few rows a member (:func:`member_rows`);
* the behaviour features of each cluster (:func:`syndicate.features.clusters.behaviour_features`):
  per-cluster counts taken here — one row per cluster — and finished on the driver by the
  polars engine's formulas (:func:`syndicate.features.clusters.behaviour_ratios`)
  (:func:`cluster_event_counts`).

The members go to the executors as a broadcast table (one row per member).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from syndicate.features.clusters import (BEHAVIOUR_COUNTS, CO_RATED, CO_TARGET_MIN_ACTORS, CO_TARGET_MIN_SHARE,
                                         co_rated_table)


def _collect(frame: Any) -> pl.DataFrame:
    return pl.from_arrow(frame.toArrow())


def _accounts(spark: Any, ids: pl.Series) -> Any:
    """A broadcast Spark frame of ``account_id`` (strings)."""
    from pyspark.sql import functions as F

    return F.broadcast(spark.createDataFrame(pl.DataFrame({"account_id": ids.cast(pl.String)}).to_arrow()))


def pool_pairs(spark: Any, events: Any, pool: pl.Series) -> pl.DataFrame:
    """``account_id, target_id``: the distinct targets each account of ``pool`` acted on (what
    the target embedding reads of the events), sorted."""
    rows = (events.select("account_id", "target_id").join(_accounts(spark, pool), on="account_id", how="left_semi")
            .distinct())
    return _collect(rows).sort("account_id", "target_id")


def member_rows(spark: Any, table: Any, accounts: pl.Series, columns: list[str], *,
                count_values: bool = False) -> pl.DataFrame:
    """``columns`` of the rows of ``table`` whose ``account_id`` is in ``accounts``; with
    ``count_values`` (a signals table: one row per account and value) also how many accounts
    of the whole table hold each row's (kind, value) (``features.identity.VALUE_ACCOUNTS``:
    whether a member's device is its own)."""
    from pyspark.sql import functions as F

    from syndicate.features.identity import VALUE_ACCOUNTS, kind_family

    rows = table.join(_accounts(spark, accounts), on="account_id", how="left_semi")
    rows = rows.select([c for c in columns if c in rows.columns])
    if count_values:
        # Only the kinds own_device_share reads (devices and phones): the other kinds' values
        # (IPs, e-mails) stay where they are.
        kinds = [r[0] for r in table.select("kind").distinct().collect()
                 if r[0] is not None and kind_family(r[0]) in ("device", "phone")]
        counts = (table.where(F.col("kind").isin(kinds)).groupBy("kind", "value")
                  .agg(F.count(F.lit(1)).alias(VALUE_ACCOUNTS)))
        rows = rows.join(counts, on=["kind", "value"], how="left")
    return _collect(rows)


def cluster_co_rated(spark: Any, events: Any, members: pl.DataFrame) -> pl.DataFrame:
    """``cluster_id, co_rated_targets`` (:func:`syndicate.features.clusters.co_rating_features`):
    the targets two or more members rated, counted on Spark (one row per cluster reaches the
    driver); null for every cluster when no event carries a rating."""
    from pyspark.sql import functions as F

    from syndicate.engines.spark.rare import rated_rows

    clusters = members.select("cluster_id").unique()
    found = rated_rows(events)
    if found is None:
        return co_rated_table(clusters, None)
    coded = spark.createDataFrame(
        members.select(pl.col("account_id").cast(pl.String), pl.col("cluster_id").cast(pl.String)).to_arrow())
    counts = (found[0].select("account_id", "target_id").join(F.broadcast(coded), on="account_id")
              .groupBy("cluster_id", "target_id").agg(F.countDistinct("account_id").alias("_raters"))
              .filter(F.col("_raters") >= 2).groupBy("cluster_id").agg(F.count(F.lit(1)).alias(CO_RATED)))
    return co_rated_table(clusters, _collect(counts))


def cluster_event_counts(spark: Any, events: Any, members: pl.DataFrame) -> pl.DataFrame:
    """``cluster_id`` + :data:`~syndicate.features.clusters.BEHAVIOUR_COUNTS` per cluster with
    member events, as :func:`syndicate.features.clusters.behaviour_counts` takes them: events,
    distinct targets, events on the most-hit target, events on co-targeted targets (at least
    ``CO_TARGET_MIN_ACTORS`` members and ``CO_TARGET_MIN_SHARE`` of the cluster), active
    members. Counts only, so the figures are the polars engine's."""
    from pyspark.sql import functions as F

    clusters = spark.createDataFrame(
        members.select(pl.col("account_id").cast(pl.String), pl.col("cluster_id").cast(pl.String)).to_arrow())
    ev = events.select("account_id", "target_id").join(F.broadcast(clusters), on="account_id")
    sizes = clusters.groupBy("cluster_id").agg(F.count(F.lit(1)).alias("_size"))
    per_target = ev.groupBy("cluster_id", "target_id").agg(F.count(F.lit(1)).alias("n"),
                                                           F.countDistinct("account_id").alias("actors"))
    co_targeted = F.col("actors") >= F.greatest(F.lit(float(CO_TARGET_MIN_ACTORS)),
                                                F.col("_size") * F.lit(CO_TARGET_MIN_SHARE))
    agg = (per_target.join(F.broadcast(sizes), on="cluster_id").groupBy("cluster_id")
           .agg(F.sum("n").alias("_events"), F.count(F.lit(1)).alias("_targets"), F.max("n").alias("_top"),
                F.sum(F.when(co_targeted, F.col("n")).otherwise(F.lit(0))).alias("_co")))
    active = ev.groupBy("cluster_id").agg(F.countDistinct("account_id").alias("_active"))
    out = _collect(agg.join(active, on="cluster_id", how="left").select("cluster_id", *BEHAVIOUR_COUNTS))
    return out.with_columns(pl.col(c).cast(pl.Int64) for c in BEHAVIOUR_COUNTS).sort("cluster_id")


def _spark_fixed_sum(column: Any) -> Any:
    """``features.exact.fixed_sum`` on Spark: the polars engine's sums, exactly."""
    from pyspark.sql import functions as F

    from syndicate.features.exact import SCALE

    return F.sum(F.rint(column * F.lit(SCALE)).cast("long")) / F.lit(SCALE)


def _shares(spark: Any, events: Any, accounts: pl.DataFrame) -> tuple[Any, Any, Any]:
    """Per (account, action) ``n``, the account's ``_total`` and ``share`` and its
    ``account_type`` (the actions capped as ``features.action_mix.kept_actions`` caps them);
    per account with events its ``_total`` and type; the baseline per (type, action)
    (``features.action_mix.BASELINE_SCHEMA``). Spark frames."""
    from pyspark.sql import functions as F

    from syndicate.features.action_mix import OTHER_ACTIONS, account_types, kept_actions

    per_action = _collect(events.groupBy("action").agg(F.count(F.lit(1)).alias("n"))).sort("action")
    kept = kept_actions(per_action["action"].to_list(), per_action["n"].to_numpy())
    if kept is not None:  # the same cap as the polars engine's (features.action_mix.kept_actions)
        events = events.withColumn("action", F.when(F.col("action").isin(kept), F.col("action"))
                                   .otherwise(F.lit(OTHER_ACTIONS)))
    counts = events.groupBy("account_id", "action").agg(F.count(F.lit(1)).alias("n"))
    totals = counts.groupBy("account_id").agg(F.sum("n").alias("_total"))
    shares = counts.join(totals, on="account_id").select(
        "account_id", "action", "n", "_total", (F.col("n") / F.col("_total")).alias("share"))
    types = account_types(accounts)
    if types.n_unique() > 1:  # one type: no join of every account
        typed_accounts = spark.createDataFrame(pl.DataFrame(
            {"account_id": accounts["account_id"].cast(pl.String), "account_type": types}).to_arrow())
        shares = shares.join(typed_accounts, on="account_id", how="left")
        totals = totals.join(typed_accounts, on="account_id", how="left")
    else:
        only = types[0] if len(types) else ""
        shares, totals = (frame.withColumn("account_type", F.lit(only)) for frame in (shares, totals))
    per_type = totals.groupBy("account_type").agg(F.count(F.lit(1)).alias("accounts"))
    baseline = (shares.groupBy("account_type", "action")
                .agg(_spark_fixed_sum(F.col("share")).alias("share_sum"),
                     _spark_fixed_sum(F.col("share") * F.col("share")).alias("share_sq_sum"))
                .join(per_type, on="account_type"))
    return shares, totals, baseline


def action_share_summary(spark: Any, events: Any, accounts: pl.DataFrame,
                         members: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The three tables of ``features.action_mix.account_shares_summary`` taken on Spark: per
    (account type, action) the accounts of the type with events and the sum and sum of squares
    of their shares of that action; per (cluster, type, action) the sum of the members' shares;
    per (cluster, type) the members with events."""
    from pyspark.sql import functions as F

    from syndicate.features.action_mix import ACTIVE_SCHEMA, BASELINE_SCHEMA, SUMS_SCHEMA

    shares, totals, baseline = _shares(spark, events, accounts)
    clusters = spark.createDataFrame(
        members.select(pl.col("account_id").cast(pl.String), pl.col("cluster_id").cast(pl.String)).to_arrow())
    sums = (shares.join(F.broadcast(clusters), on="account_id")
            .groupBy("cluster_id", "account_type", "action").agg(_spark_fixed_sum(F.col("share")).alias("share_sum")))
    active = (totals.join(F.broadcast(clusters), on="account_id")
              .groupBy("cluster_id", "account_type").agg(F.count(F.lit(1)).alias("active")))
    return (_collect(baseline.select(*BASELINE_SCHEMA)).cast(BASELINE_SCHEMA),
            _collect(sums.select(*SUMS_SCHEMA)).cast(SUMS_SCHEMA),
            _collect(active.select(*ACTIVE_SCHEMA)).cast(ACTIVE_SCHEMA))


def account_surprisal(spark: Any, events: Any, accounts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, action_surprisal, action_surprisal_top`` of every account with events
    (``features.action_mix.account_surprisal``): the terms summed on Spark in the polars
    engine's fixed point, the largest term's action (ties by name), one row per account to the
    driver."""
    from pyspark.sql import functions as F

    from syndicate.features.action_mix import ACCOUNT_PRIOR, BASELINE_SCHEMA, SURPRISAL, SURPRISAL_TOP, expected_shares
    from syndicate.features.exact import SCALE

    shares, _, baseline = _shares(spark, events, accounts)
    expected = expected_shares(_collect(baseline.select(*BASELINE_SCHEMA)).cast(BASELINE_SCHEMA))
    expected = F.broadcast(spark.createDataFrame(expected.to_arrow()))
    # as features.action_mix.account_surprisal takes them, per (account, action) then per account
    q = (F.col("n") + F.lit(ACCOUNT_PRIOR) * F.col("expected")) / (F.col("_total") + F.lit(ACCOUNT_PRIOR))
    term = F.rint(q * F.log2(q / F.col("expected")) * F.lit(SCALE)).cast("long")
    per_account = (shares.join(expected, on=["account_type", "action"])
                   .select("account_id", "action", "_total", q.alias("_q"), term.alias("_term"))
                   .groupBy("account_id")
                   .agg((F.sum("_term") / F.lit(SCALE)).alias("_terms"), _spark_fixed_sum(F.col("_q")).alias("_qs"),
                        F.first("_total").alias("_total"),
                        F.min(F.struct(-F.col("_term"), F.col("action"))).alias("_top")))
    rest = F.log2(F.lit(ACCOUNT_PRIOR) / (F.col("_total") + F.lit(ACCOUNT_PRIOR)))
    out = per_account.select("account_id", (F.col("_terms") + (F.lit(1.0) - F.col("_qs")) * rest).alias(SURPRISAL),
                             F.col("_top.action").alias(SURPRISAL_TOP))
    return _collect(out).with_columns(pl.col("account_id").cast(pl.String), pl.col(SURPRISAL).cast(pl.Float64),
                                      pl.col(SURPRISAL_TOP).cast(pl.String))

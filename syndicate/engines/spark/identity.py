"""Identity links on Spark: the same edges as :func:`syndicate.link.identity.identity_links`.

Distinct (account, kind, value) rows, accounts per value, hubs above the cap, then a self-join
of each shared value's members (``a < b``) and a per-pair, per-kind sum of ``log(1 - s)``
turned into noisy-OR evidence. The hub cap bounds the self-join: a value makes at most
``hub_cap * (hub_cap - 1) / 2`` pairs, wherever it lives in the cluster.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from syndicate.config import IdentityConfig
from syndicate.link.identity import (_MAX_STRENGTH, SMALL_VALUE_ACCOUNTS, churn_kinds, churn_summary, evidence_column,
                                     kind_floor, kind_strength, ordinary_of, personal_kinds, read_kind_figures)


def identity_edges(signals: Any, *, config: IdentityConfig, kinds: list[str]
                   ) -> tuple[Any, Any, IdentityConfig, tuple[dict[str, float], dict[str, float | None]],
                              dict[str, dict[str, float | int]]]:
    """``(edges, hubs, config, (hub_shares, small_shares), churn)`` from a Spark ``signals`` frame.

    edges: ``account_a < account_b``, one Float evidence column per kind in ``kinds`` (sorted,
    every kind present in the signals); hubs: ``kind, value, n_accounts`` above the cap (Spark
    DataFrames); config, hub_shares, small_shares and churn as
    :class:`syndicate.link.identity.IdentityLinks` has them (the kinds named for a personal
    identifier that mostly sit on hubs, or almost never on values of a few accounts, read as
    properties; pairs of accounts on many IPs keep part of that evidence).
    """
    from pyspark.sql import functions as F

    # Kept: the value counts, the hubs and both sides of the self-join read it (else every
    # one of them would read and de-duplicate the signals again).
    sig = signals.select("account_id", "kind", "value").distinct().cache()
    shared = sig.groupBy("kind", "value").agg(F.count(F.lit(1)).alias("n_accounts")).cache()
    hubs = shared.filter(F.col("n_accounts") > config.hub_cap)
    values = shared.filter(F.col("n_accounts").between(2, config.hub_cap))
    members = sig.join(values, on=["kind", "value"])
    personal = personal_kinds(kinds, config)
    hub = F.when(F.col("n_accounts") > config.hub_cap, F.col("n_accounts"))
    small = F.when(F.col("n_accounts") <= SMALL_VALUE_ACCOUNTS, F.col("n_accounts"))
    rows = [] if not personal else sorted(shared.where(F.col("kind").isin(personal)).groupBy("kind").agg(
        F.sum(hub).alias("hub_rows"), F.max(hub).alias("top"), F.sum(small).alias("small_rows"),
        F.sum("n_accounts").alias("rows")).collect(), key=lambda row: row["kind"])
    config, hub_shares, small_shares = read_kind_figures(
        config, ((row["kind"], row["hub_rows"], row["top"], row["small_rows"], row["rows"]) for row in rows))

    base = _by_kind(kinds, {k: kind_strength(k, config) for k in kinds})
    floor = _by_kind(kinds, {k: kind_floor(k, config) for k in kinds})
    n = F.greatest(F.col("n_accounts").cast("double"), F.lit(2.0))
    floor = F.when(F.col("n_accounts") <= config.floor_up_to, floor).otherwise(F.lit(0.0))
    strength = F.least(F.greatest(base / F.log2(n), floor), F.lit(_MAX_STRENGTH))
    members = members.withColumn("log_miss", F.log1p(-strength)).cache()

    a = members.select("kind", "value", F.col("account_id").alias("account_a"), "log_miss")
    b = members.select("kind", "value", F.col("account_id").alias("account_b"))
    pairs = a.join(b, on=["kind", "value"]).filter(F.col("account_a") < F.col("account_b"))
    edges = pairs.groupBy("account_a", "account_b").agg(*[
        (F.lit(0.0) - F.expm1(F.sum(F.when(F.col("kind") == k, F.col("log_miss")).otherwise(0.0))))
        .alias(evidence_column(k))
        for k in kinds])
    edges, churn = _churn_scaled(edges, sig, churn_kinds(kinds, config), config)
    edges = edges.select("account_a", "account_b", *[F.col(evidence_column(k)).cast("float") for k in kinds])
    return edges, hubs, config, (hub_shares, small_shares), churn


def _churn_scaled(edges: Any, sig: Any, kinds: list[str], config: IdentityConfig
                  ) -> tuple[Any, dict[str, dict[str, float | int]]]:
    """``edges`` with the evidence of each churn kind (IPs) scaled as polars scales it
    (``link.identity.churn_scale``: by the values of the kind each account holds), and the
    churn summary (``IdentityLinks.churn``)."""
    from pyspark.sql import functions as F

    if not kinds:
        return edges, {}
    # Helper columns named so that no signal kind's evidence column can be one of them.
    held = (sig.where(F.col("kind").isin(kinds)).groupBy("account_id")
            .agg(*[F.count(F.when(F.col("kind") == k, 1)).alias(f"__held_{i}") for i, k in enumerate(kinds)])
            .cache())
    # percentile: exact, interpolated between ranks as numpy's quantile (accounts holding the kind)
    summary = held.agg(*[F.expr(f"percentile(CASE WHEN __held_{i} > 0 THEN __held_{i} END, {config.churn_quantile})")
                         .alias(f"q_{i}") for i in range(len(kinds))]).first()
    ordinary = {k: ordinary_of(float(summary[f"q_{i}"] or 0.0), config) for i, k in enumerate(kinds)}
    above = held.agg(*[F.sum((F.col(f"__held_{i}") > ordinary[k]).cast("long")).alias(f"n_{i}")
                       for i, k in enumerate(kinds)]).first()
    churn = {k: churn_summary(ordinary[k], int(above[f"n_{i}"] or 0)) for i, k in enumerate(kinds)}
    scaled = [(i, k) for i, k in enumerate(kinds) if churn[k]["accounts_above"]]
    if not scaled:  # no account above the ordinary count: no pair to scale, no join
        return edges, churn
    side = {s: held.select(F.col("account_id").alias(f"account_{s}"),
                           *[F.col(f"__held_{i}").alias(f"__{s}_{i}") for i, _ in scaled]) for s in "ab"}
    edges = edges.join(side["a"], on="account_a", how="left").join(side["b"], on="account_b", how="left")
    for i, k in scaled:
        column = evidence_column(k)
        fewer = F.least(F.col(f"__a_{i}"), F.col(f"__b_{i}")).cast("double")
        scale = F.least(F.lit(1.0), F.lit(ordinary[k]) / F.greatest(fewer, F.lit(1.0)))
        edges = edges.withColumn(column, F.when(F.col(column) != 0.0, F.col(column) * scale).otherwise(F.col(column)))
    return edges, churn


def _by_kind(kinds: list[str], values: dict[str, float]) -> Any:
    """A column expression: ``values[kind]`` of each row's kind."""
    from pyspark.sql import functions as F

    expr = F.lit(0.0)
    for kind in kinds:
        expr = F.when(F.col("kind") == kind, F.lit(float(values[kind]))).otherwise(expr)
    return expr


def collect_hubs(hubs: Any) -> pl.DataFrame:
    """Hubs to the driver (values above the hub cap: few by construction), sorted as polars does."""
    frame = pl.from_arrow(hubs.toArrow()) if hubs is not None else None
    schema = {"kind": pl.String, "value": pl.String, "n_accounts": pl.UInt32}
    if frame is None or frame.height == 0:
        return pl.DataFrame(schema=schema)
    return (frame.select(pl.col("kind").cast(pl.String), pl.col("value").cast(pl.String),
                         pl.col("n_accounts").cast(pl.UInt32))
            .sort(["n_accounts", "kind", "value"], descending=[True, False, False]))

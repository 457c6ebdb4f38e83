"""Every account's features in one frame: behaviour, place in the link graph, its cluster.

One row per input account, sorted by ``account_id``. Accounts without events get
``n_events`` 0, their age and creation burst, and null for the other behaviour features (null
is "not seen", which the account model treats as missing rather than as zero).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from syndicate.features.accounts import US_PER_DAY, creation_burst
from syndicate.features.graph import account_graph_features

# Columns that identify or label an account and are never model inputs.
NOT_FEATURES = ("account_id", "cluster_id", "label")


def account_feature_table(accounts: pl.DataFrame, behaviour: pl.DataFrame | None, edges: pl.DataFrame,
                          members: pl.DataFrame, cluster_risk: pl.DataFrame, *, now: datetime) -> pl.DataFrame:
    """``account_id, cluster_id`` then behaviour, graph and cluster features of every account.

    ``behaviour`` comes from :func:`syndicate.features.accounts.account_behaviour_features`
    (``extended=True``), or None without events; ``cluster_risk`` is ``cluster_id, size,
    risk`` (label-free, see :mod:`syndicate.features.graph`).
    """
    base = accounts.select("account_id", "created_at").sort("account_id")
    now_us = pl.lit(now).cast(pl.Datetime("us")).dt.epoch("us")
    base = base.with_columns(
        ((now_us - pl.col("created_at").dt.epoch("us")) / US_PER_DAY).clip(lower_bound=0).alias("_age"),
        pl.Series("_burst", creation_burst(base["created_at"]), dtype=pl.Float64),
    )
    table = base.join(members.select("account_id", "cluster_id"), on="account_id", how="left",
                      maintain_order="left")
    if behaviour is not None and behaviour.height:
        table = table.join(behaviour, on="account_id", how="left", maintain_order="left").with_columns(
            pl.col("n_events").fill_null(0.0),
            pl.col("age_days").fill_null(pl.col("_age")),
            pl.col("creation_burst").fill_null(pl.col("_burst")),
        )
    else:
        table = table.with_columns(pl.lit(0.0).alias("n_events"), pl.col("_age").alias("age_days"),
                                   pl.col("_burst").alias("creation_burst"))
    graph = account_graph_features(base["account_id"], edges, members, cluster_risk)
    table = table.join(graph, on="account_id", how="left", maintain_order="left")
    return table.drop("created_at", "_age", "_burst")


def model_columns(table: pl.DataFrame) -> list[str]:
    """The numeric feature columns of an account table (identity and label columns excluded)."""
    return [c for c, d in table.schema.items() if c not in NOT_FEATURES and d.is_numeric()]


__all__ = ["NOT_FEATURES", "account_feature_table", "model_columns"]

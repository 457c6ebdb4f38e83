"""Every account's features in one frame: behaviour, place in the link graph, its cluster.

One row per input account, sorted by ``account_id``. Accounts without events get
``n_events`` 0, their age and creation burst, and null for the other behaviour features (null
is "not seen", which the account model treats as missing rather than as zero).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from syndicate.asof import known_creation
from syndicate.features.accounts import US_PER_DAY, creation_burst
from syndicate.features.graph import account_graph_features
from syndicate.link.codes import AccountIndex

# Columns that identify or label an account and are never model inputs.
NOT_FEATURES = ("account_id", "cluster_id", "label")


def account_feature_table(accounts: pl.DataFrame, behaviour: pl.DataFrame | None, edges: pl.DataFrame,
                          members: pl.DataFrame, cluster_risk: pl.DataFrame, *, now: datetime,
                          index: AccountIndex | None = None,
                          edge_codes: pl.DataFrame | None = None,
                          graph: pl.DataFrame | None = None) -> pl.DataFrame:
    """``account_id, cluster_id`` then behaviour, graph and cluster features of every account.

    ``behaviour`` comes from :func:`syndicate.features.accounts.account_behaviour_features`
    (``extended=True``), or None without events; ``cluster_risk`` is ``cluster_id, size,
    risk`` (label-free, see :mod:`syndicate.features.graph`).

    ``index`` (the dataset's account codes, :class:`syndicate.link.codes.AccountIndex` of
    ``accounts``) and ``edge_codes`` (``account_a, account_b`` codes, row-aligned with
    ``edges``) are optional: with them, members, behaviour rows and edge ends are placed by
    code (a gather) instead of string sorts and joins; the table is the same.

    ``graph`` — the graph features of every account (``account_id`` sorted, then
    ``GRAPH_FEATURES``), when an engine computed them where the whole edge table is (the Spark
    engine: ``edges`` then holds only the edges the per-cluster stages need).
    """
    if index is not None and len(index) != accounts.height:
        index = None  # not this table's index
    if index is None:
        base = accounts.select("account_id", "created_at").sort("account_id")
        row_of = None
    else:
        # Codes are positions among the sorted ids: the accounts in code order are sorted by id.
        order = np.empty(accounts.height, dtype=np.int64)
        order[index.codes(accounts["account_id"])] = np.arange(accounts.height)
        base = accounts.select("account_id", "created_at")[order].with_columns(pl.col("account_id").set_sorted())

        def row_of(frame: pl.DataFrame) -> tuple[np.ndarray, pl.Series]:
            """Codes of ``frame``'s accounts, and the row of ``frame`` holding each account
            (null for none): a left join on ``account_id`` as a gather."""
            codes = index.codes(frame["account_id"])
            rows = np.full(accounts.height, -1, dtype=np.int64)
            rows[codes] = np.arange(frame.height)
            return codes, pl.Series(rows).set(pl.Series(rows < 0), None)

    now_us = pl.lit(now).cast(pl.Datetime("us")).dt.epoch("us")
    # Unknown where the creation time is a stamp (syndicate.asof.known_creation).
    known = known_creation(base["created_at"])
    base = base.with_columns(
        ((now_us - known.dt.epoch("us")) / US_PER_DAY).clip(lower_bound=0).alias("_age"),
        creation_burst(base["created_at"], known=known).alias("_burst"),
    )
    member_codes = None
    if row_of is None:
        table = base.join(members.select("account_id", "cluster_id"), on="account_id", how="left",
                          maintain_order="left")
    else:
        member_codes, rows = row_of(members)
        table = base.with_columns(members["cluster_id"].gather(rows))
    if behaviour is not None and behaviour.height:
        if row_of is None:
            table = table.join(behaviour, on="account_id", how="left", maintain_order="left")
        else:
            rows = row_of(behaviour)[1]
            table = table.with_columns(behaviour.drop("account_id").select(pl.all().gather(rows)))
        table = table.with_columns(
            pl.col("n_events").fill_null(0.0),
            pl.col("age_days").fill_null(pl.col("_age")),
            pl.col("creation_burst").fill_null(pl.col("_burst")),
        )
    else:
        table = table.with_columns(pl.lit(0.0).alias("n_events"), pl.col("_age").alias("age_days"),
                                   pl.col("_burst").alias("creation_burst"))
    if graph is None:
        ends = None
        if row_of is not None and edge_codes is not None and edge_codes.height == edges.height:
            ends = (edge_codes["account_a"].to_numpy(), edge_codes["account_b"].to_numpy())
        graph = account_graph_features(base["account_id"], edges, members, cluster_risk, edge_codes=ends,
                                       member_codes=member_codes)
    elif not graph["account_id"].equals(base["account_id"]):
        raise ValueError("graph features must hold every account once, sorted by account_id")
    # Both sorted by account_id, every account once: the graph columns line up row by row.
    table = table.with_columns(graph.drop("account_id"))
    return table.drop("created_at", "_age", "_burst")


def model_columns(table: pl.DataFrame) -> list[str]:
    """The numeric feature columns of an account table (identity and label columns excluded)."""
    return [c for c, d in table.schema.items() if c not in NOT_FEATURES and d.is_numeric()]


__all__ = ["NOT_FEATURES", "account_feature_table", "model_columns"]

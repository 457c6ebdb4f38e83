"""Cluster identity features: per identifier kind, how the members share their values.

Per kind of :data:`IDENTITY_KINDS`: distinct values among the members (``<kind>_values``),
members holding one per value (``accounts_per_<kind>``) and most members on one value
(``max_accounts_per_<kind>``); over every kind: signals per member, the share of members
without any, and the share holding a hub value (one shared beyond the identity hub cap).

The members' signal rows are counted on integers — the cluster's rank, the account's code,
a kind code and a 64-bit hash of (kind, value) as the identity link stage keys values
(:mod:`syndicate.link.identity`) — not on strings: at 1M accounts the signals hold 5.4M rows
and string joins and group-bys over them took 2 s. Two values of one cluster sharing a hash
would count as one (odds ~ n² / 2⁶⁵, as in the link stage). Every figure is a count or a
ratio of counts, so it does not depend on row order.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.link.codes import AccountIndex

# Identifier kinds that get their own feature columns. Other kinds still link accounts and
# count in the "other" evidence share; a fixed list keeps the model's feature set stable
# across datasets.
IDENTITY_KINDS = ("device", "payment", "phone", "ip", "email", "address")

# Seed of the (kind, value) hash (any fixed value).
_VALUE_SEED = 0x5EED_1D

_HELD = {"_c": pl.Int32, "_a": pl.Int64, "_k": pl.Int8, "_v": pl.UInt64}


def identity_features(members: pl.DataFrame, signals: pl.DataFrame | None, hubs: pl.DataFrame | None, *,
                      index: AccountIndex | None = None) -> pl.DataFrame:
    """``cluster_id`` + the identity features (see the module docstring) of every cluster.

    ``index`` (the dataset's account codes) finds the members' signal rows by array lookups
    instead of a string join; signals of accounts outside it fall back to the join.
    """
    clusters = members.select("cluster_id").unique()
    zero = [pl.lit(0.0).alias(f"accounts_per_{k}") for k in IDENTITY_KINDS]
    zero += [pl.lit(0).alias(f"{k}_values") for k in IDENTITY_KINDS]
    zero += [pl.lit(0).alias(f"max_accounts_per_{k}") for k in IDENTITY_KINDS]
    if signals is None or signals.height == 0:
        return clusters.with_columns(*zero, pl.lit(0.0).alias("signals_per_account"),
                                     pl.lit(1.0).alias("no_signal_share"), pl.lit(0.0).alias("hub_share"))
    cluster_ids = clusters["cluster_id"].sort()
    held = _held(members, signals, index)
    per_kind = (held.group_by("_c", "_k", "_v").agg(pl.len().alias("n"))
                .group_by("_c", "_k").agg(pl.len().alias("values"), pl.col("n").max().alias("max_n")))
    holders = held.group_by("_c", "_k").agg(pl.col("_a").n_unique().alias("holders"))
    per_kind = per_kind.join(holders, on=["_c", "_k"])
    wide = pl.DataFrame({"_c": np.arange(len(cluster_ids), dtype=np.int32)})
    for code, kind in enumerate(IDENTITY_KINDS):
        k = per_kind.filter(pl.col("_k") == code).select(
            "_c",
            pl.col("values").alias(f"{kind}_values"),
            (pl.col("holders") / pl.col("values")).alias(f"accounts_per_{kind}"),
            pl.col("max_n").alias(f"max_accounts_per_{kind}"),
        )
        wide = wide.join(k, on="_c", how="left")
    per_account = held.group_by("_c").agg(pl.len().alias("n_signals"), pl.col("_a").n_unique().alias("with_signals"))
    hub_members = pl.DataFrame(schema={"_c": pl.Int32, "hub_members": pl.UInt32})
    if hubs is not None and hubs.height:
        hub_keys = hubs.select(_value_key()).to_series()
        hub_members = (held.filter(pl.col("_v").is_in(hub_keys.implode()))
                       .group_by("_c").agg(pl.col("_a").n_unique().alias("hub_members")))
    sizes = members.group_by("cluster_id").agg(pl.len().alias("_size"))
    wide = wide.join(per_account, on="_c", how="left").join(hub_members, on="_c", how="left")
    return (
        wide.select(cluster_ids.gather(wide["_c"]).alias("cluster_id"), pl.exclude("_c"))
        .join(sizes, on="cluster_id")
        .with_columns(
            (pl.col("n_signals").fill_null(0) / pl.col("_size")).alias("signals_per_account"),
            (1 - pl.col("with_signals").fill_null(0) / pl.col("_size")).alias("no_signal_share"),
            (pl.col("hub_members").fill_null(0) / pl.col("_size")).alias("hub_share"),
        )
        .drop("n_signals", "with_signals", "hub_members", "_size")
        .fill_null(0)
    )


def _held(members: pl.DataFrame, signals: pl.DataFrame, index: AccountIndex | None) -> pl.DataFrame:
    """The members' signal rows as ``_c`` (rank of the cluster id among the members'), ``_a`` (account
    code), ``_k`` (position in :data:`IDENTITY_KINDS`, -1 for other kinds) and ``_v`` (hash
    of kind and value)."""
    cluster_code = members.select(pl.col("cluster_id").rank("dense").cast(pl.Int32) - 1).to_series().to_numpy()
    rows = None
    if index is not None:
        try:
            member_codes, signal_codes = index.codes(members["account_id"]), index.codes(signals["account_id"])
        except ValueError:  # ids outside the index: the string join below
            pass
        else:
            cluster_of = np.full(len(index), -1, dtype=np.int32)
            cluster_of[member_codes] = cluster_code
            of_row = cluster_of[signal_codes]
            mine = np.flatnonzero(of_row >= 0)
            rows = signals.select("kind", "value")[mine].with_columns(
                pl.Series("_c", of_row[mine]), pl.Series("_a", signal_codes[mine]))
    if rows is None:
        coded = members.select("account_id", pl.Series("_c", cluster_code),
                               pl.int_range(pl.len(), dtype=pl.Int64).alias("_a"))
        rows = signals.select("account_id", "kind", "value").join(coded, on="account_id").drop("account_id")
    kind_code = pl.col("kind").replace_strict(list(IDENTITY_KINDS), list(range(len(IDENTITY_KINDS))),
                                              default=-1, return_dtype=pl.Int8)
    return rows.select("_c", "_a", kind_code.alias("_k"),
                       _value_key()).cast(_HELD)


def _value_key() -> pl.Expr:
    """``_v``: the 64-bit hash of a row's (kind, value)."""
    return pl.struct("kind", "value").hash(_VALUE_SEED).alias("_v")


__all__ = ["IDENTITY_KINDS", "identity_features"]

"""Identity links: accounts that share an identifier value (device, card, IP, phone, ...).

Each shared value is evidence that two accounts have one operator. Its strength falls with
how many accounts share the value (a device shared by 3 says a lot; a NAT IP shared by 5,000
says nothing), and values above the hub cap make no pairs at all: they are returned as hubs.
Evidence from several values of one kind combines as a noisy-OR, so the per-kind evidence on
an edge stays a probability-like number in [0, 1].

Pairs are generated with a numpy sort-sweep over integer codes (no Python loop over pairs):
see PERFORMANCE.md, where this is the fastest of the measured approaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from syndicate.config import IdentityConfig

# Per-value strengths are clipped below 1 so that log(1 - s) stays finite.
_MAX_STRENGTH = 0.99
# Column names of the edge table and of other link sources: a signal kind with one of these
# names (the set of kinds is open) gets the evidence column "<kind>_signal" instead.
RESERVED_COLUMNS = frozenset({"account_a", "account_b", "weight", "lockstep", "lockstep_bursts", "given",
                              "cluster_id", "account_id", "component", "group"})


def evidence_column(kind: str) -> str:
    """The edge-table column that carries the evidence of signals of ``kind``."""
    return f"{kind}_signal" if kind in RESERVED_COLUMNS else kind


@dataclass(frozen=True)
class IdentityLinks:
    """Result of :func:`identity_links`.

    edges: account_a < account_b, one Float32 evidence column per identifier kind.
    hubs: kind, value, n_accounts for values shared by more accounts than the hub cap.
    values: kind, value, n_accounts for every value shared by 2..hub_cap accounts.
    """

    edges: pl.DataFrame
    hubs: pl.DataFrame
    values: pl.DataFrame


def value_strength(kind_base: np.ndarray, n_accounts: np.ndarray,
                   kind_floor: np.ndarray | float = 0.0) -> np.ndarray:
    """Evidence that two of the ``n_accounts`` accounts sharing a value have one operator.

    ``max(base / log2(n), floor)``: full base strength for a value shared by exactly two
    accounts, half of it at four, a third at eight, never below the kind's floor.
    """
    n = np.maximum(n_accounts.astype(np.float64), 2.0)
    return np.minimum(np.maximum(kind_base / np.log2(n), kind_floor), _MAX_STRENGTH)


def identity_links(signals: pl.DataFrame, *, config: IdentityConfig | None = None) -> IdentityLinks:
    """Weighted account–account edges from shared identifier values.

    Parameters
    ----------
    signals : DataFrame with ``account_id``, ``kind``, ``value`` (validated).
    config : IdentityConfig

    Examples
    --------
    >>> sig = pl.DataFrame({"account_id": ["a", "b", "c"], "kind": ["device"] * 3,
    ...                     "value": ["d1", "d1", "d2"]})
    >>> identity_links(sig).edges.select("account_a", "account_b").rows()
    [('a', 'b')]
    """
    config = config or IdentityConfig()
    sig = signals.select("account_id", "kind", "value").unique()
    kinds = sorted(sig["kind"].unique().to_list())
    shared = sig.group_by("kind", "value").agg(pl.len().alias("n_accounts"))
    hubs = (
        shared.filter(pl.col("n_accounts") > config.hub_cap)
        .sort(["n_accounts", "kind", "value"], descending=[True, False, False])
    )
    values = shared.filter(pl.col("n_accounts").is_between(2, config.hub_cap)).sort("kind", "value")

    member_rows = sig.join(values, on=["kind", "value"], how="semi")
    ids = member_rows["account_id"].unique().sort()
    edges = _pairs(member_rows, values, ids, kinds, config)
    return IdentityLinks(edges=edges, hubs=hubs, values=values)


def _pairs(
    member_rows: pl.DataFrame,
    values: pl.DataFrame,
    ids: pl.Series,
    kinds: list[str],
    config: IdentityConfig,
) -> pl.DataFrame:
    schema = {"account_a": pl.String, "account_b": pl.String} | {evidence_column(k): pl.Float32 for k in kinds}
    if member_rows.height == 0:
        return pl.DataFrame(schema=schema)

    value_codes = values.with_row_index("value_code").select("kind", "value", "value_code", "n_accounts")
    kind_codes = pl.DataFrame({"kind": kinds, "kind_code": np.arange(len(kinds), dtype=np.int32)})
    account_codes = pl.DataFrame({"account_id": ids, "acc": np.arange(len(ids), dtype=np.int64)})
    rows = (
        member_rows.join(value_codes, on=["kind", "value"])
        .join(kind_codes, on="kind")
        .join(account_codes, on="account_id")
        .sort("value_code", "acc")
    )
    acc = rows["acc"].to_numpy()
    value_code = rows["value_code"].to_numpy()
    n_acc = rows["n_accounts"].to_numpy()
    kind_code = rows["kind_code"].to_numpy()

    base = np.array([config.kind_strength.get(k, config.default_strength) for k in kinds])
    floor = np.array([config.kind_floor.get(k, 0.0) for k in kinds])
    log_miss = np.log1p(-value_strength(base[kind_code], n_acc, floor[kind_code]))

    # Position of each row inside its value's block; it pairs with every later row of the block.
    first = np.r_[0, np.flatnonzero(np.diff(value_code)) + 1]
    block_start = np.repeat(first, np.diff(np.r_[first, len(acc)]))
    position = np.arange(len(acc)) - block_start
    n_later = (n_acc - 1 - position).astype(np.int64)

    src = np.repeat(np.arange(len(acc)), n_later)
    offset = np.arange(len(src)) - np.repeat(np.cumsum(n_later) - n_later, n_later)
    a = acc[src]
    b = acc[src + 1 + offset]
    key = a * len(ids) + b  # a < b: rows are sorted by account inside each block

    order = np.argsort(key, kind="stable")
    key = key[order]
    pair_kind = kind_code[src][order]
    pair_log_miss = log_miss[src][order]
    starts = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
    unique_key = key[starts]

    columns: dict[str, np.ndarray] = {
        "account_a": ids.gather(unique_key // len(ids)),
        "account_b": ids.gather(unique_key % len(ids)),
    }
    for code, kind in enumerate(kinds):
        summed = np.add.reduceat(np.where(pair_kind == code, pair_log_miss, 0.0), starts)
        columns[evidence_column(kind)] = (0.0 - np.expm1(summed)).astype(np.float32)
    return pl.DataFrame(columns, schema=schema)

"""Events as integer codes: the one place where the event table's strings turn into numbers.

Made once per run and read by the lockstep links (``syndicate.link.lockstep``) and the
per-account behaviour features (``syndicate.features.accounts``). Every aggregate is cheaper
on integers: a packed ``account * n + x`` key sorts as
one int64, counts are a ``bincount``, and per-account arrays are indexed by the account code.
Codes are dense and deterministic (they do not depend on the input's row order):

* ``acc``  — the account's row in ``accounts`` sorted by ``account_id``;
* ``tgt``  — the target's rank among the targets' 64-bit hashes (``TARGET_HASH_SEED``);
* ``act``  — the action's position among the distinct actions sorted by name.

Joining 20M string ids costs seconds; joining their 64-bit hashes a fraction of that. Hashes
are used only when they are collision-free: targets are hashed twice with two seeds, and a
collision of the first hash shows as two values of the second in one group (a collision of
both has odds of about 1 in 10^19 per pair); otherwise the strings themselves are joined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

# Seed of the targets' 64-bit hash: the codes are ranks of these hashes, and lockstep's
# crowded-burst sampling draws on them (the Spark engine computes the same hashes).
TARGET_HASH_SEED = 0x243F6A88
# A second, independent hash that exposes a collision of the first.
_CHECK_SEED = 1


@dataclass(frozen=True)
class EncodedEvents:
    """Integer columns of the events, row-aligned (rows in no particular order), plus the
    code tables.

    ``acc`` and ``tgt`` are int32 codes, ``t`` int64 µs since the epoch (None once a caller
    has dropped it to free memory), ``act`` a small unsigned integer code; ``rating`` is
    float64 (NaN where an event has none) or None.
    ``actions`` lists the action names by code; ``n_accounts`` and ``n_targets`` bound the
    codes. ``target_hash`` is each target code's 64-bit hash (``TARGET_HASH_SEED``), uint64.
    """

    acc: np.ndarray
    tgt: np.ndarray
    t: np.ndarray | None
    act: np.ndarray
    actions: list[str]
    n_accounts: int
    n_targets: int
    target_hash: np.ndarray
    rating: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.acc)


def encode_events(events: pl.DataFrame, account_ids: pl.Series, *,
                  rating: pl.Expr | None = None) -> EncodedEvents:
    """Integer codes of ``events`` (``account_id, action, target_id, ts``).

    ``account_ids`` must be sorted and unique, and hold every account of ``events`` (the
    contract guarantees it); an account's code is its position there. ``rating``, an
    expression over ``events``, is carried along as float64 (see
    :mod:`syndicate.features.ratings`).

    Two streaming passes over the events: one finds the distinct targets (and any hash
    collision), the other hashes and joins each row to its codes. Neither holds the events'
    hashes in memory; only the coded columns (17 bytes a row) are kept.
    """
    actions = sorted(events["action"].unique().to_list())
    ids = pl.DataFrame({"account_id": account_ids}).with_row_index("acc")
    id_hash = ids.select(pl.col("account_id").hash().alias("_h"), "acc")
    if id_hash["_h"].n_unique() == id_hash.height:
        acc_key, acc_table = pl.col("account_id").hash().alias("_h"), id_hash
    else:
        acc_key, acc_table = pl.col("account_id").alias("_h"), ids.rename({"account_id": "_h"})

    target_key = pl.col("target_id").hash(seed=TARGET_HASH_SEED).alias("_th")
    targets = (
        events.lazy().select(target_key, pl.col("target_id").hash(seed=_CHECK_SEED).alias("_th1"))
        .group_by("_th").agg((pl.col("_th1").min() != pl.col("_th1").max()).alias("_clash"))
        .collect(engine="streaming")
    )
    if targets["_clash"].any():
        target_key = pl.col("target_id").alias("_th")
        targets = events.select(target_key.unique())
        table = targets.select("_th").sort("_th").with_row_index("tgt")
        target_hash = table["_th"].hash(seed=TARGET_HASH_SEED).to_numpy()
    else:
        table = targets.select("_th").sort("_th").with_row_index("tgt")
        target_hash = table["_th"].to_numpy()
    del targets
    columns = [acc_key, target_key, pl.col("ts").dt.epoch("us").alias("t"),
               pl.col("action").cast(pl.Enum(actions)).to_physical().alias("act")]
    if rating is not None:
        columns.append(rating.cast(pl.Float64).fill_null(float("nan")).alias("rating"))
    coded = (
        events.lazy().select(columns)
        .join(table.lazy(), on="_th")
        .join(acc_table.lazy(), on="_h")
        .select(pl.col("acc").cast(pl.Int32), pl.col("tgt").cast(pl.Int32), "t", "act",
                *(["rating"] if rating is not None else []))
        .collect(engine="streaming")
    )
    # The streaming engine returns many chunks: each column becomes one numpy array (a copy),
    # and its chunks are dropped before the next, so only one column is ever held twice.
    arrays = {}
    for name in coded.columns:
        arrays[name] = coded.get_column(name).to_numpy()
        coded = coded.drop(name)
    return EncodedEvents(
        acc=arrays["acc"], tgt=arrays["tgt"], t=arrays["t"], act=arrays["act"], actions=actions,
        n_accounts=ids.height, n_targets=max(table.height, 1), target_hash=target_hash,
        rating=arrays.get("rating"),
    )


# Events recorded to the hour or coarser repeat rows by themselves (two plays of a track on one
# day are two identical rows): their repeats are not counted. To the minute they still do not:
# 0.08% of one generator's rows truncated to the minute repeat another, 0.57% to the hour and
# 0.98% to the day, and a doubled export repeats half.
REPEATS_MAX_CLOCK_S = 3600
# Repeats are counted exactly unless an estimate puts them this share of the rows or more under
# the bar: the estimate (HyperLogLog) is off by 1-2% of the rows.
REPEATS_ESTIMATE_MARGIN = 0.05


def repeats_looked_at(at_least: float, clock_s: int) -> bool:
    """Whether repeated event rows are looked for: the rule on (``at_least``, the share that
    alerts) and events recorded with a clock (``clock_s``) finer than ``REPEATS_MAX_CLOCK_S``."""
    return at_least > 0 and clock_s < REPEATS_MAX_CLOCK_S


def counted_repeats(n_rows: int, *, at_least: float, clock_s: int, estimate_distinct: Callable[[], int],
                    distinct: Callable[[], int]) -> int | None:
    """How many of ``n_rows`` rows repeat another, each engine counting with its own
    ``estimate_distinct`` (a one-pass estimate of the distinct rows) and ``distinct`` (their exact
    count); None where not counted: not looked at (:func:`repeats_looked_at`), or the estimate at
    least ``REPEATS_ESTIMATE_MARGIN`` of the rows under ``at_least`` (only a table that may cross
    the bar pays for the exact count)."""
    if n_rows == 0 or not repeats_looked_at(at_least, clock_s):
        return None
    if n_rows - estimate_distinct() < (at_least - REPEATS_ESTIMATE_MARGIN) * n_rows:
        return None
    return n_rows - distinct()


def repeated_rows(enc: EncodedEvents, *, at_least: float, clock_s: int = 1) -> int | None:
    """How many event rows repeat another row (same account, action, target and time; other
    columns, a rating, are not compared), by :func:`counted_repeats`.

    The estimate is one pass over the rows' 64-bit hashes (0.4 s over 21M rows, where the exact
    count takes 1 s). Call it while ``enc.t`` is held.
    """
    if enc.t is None:
        return None
    rows = pl.DataFrame({"acc": enc.acc, "tgt": enc.tgt, "t": enc.t, "act": enc.act})
    key = pl.struct("acc", "tgt", "t", "act")
    return counted_repeats(enc.size, at_least=at_least, clock_s=clock_s,
                           estimate_distinct=lambda: rows.select(key.hash(seed=0).approx_n_unique()).item(),
                           distinct=lambda: rows.select(key.n_unique()).item())


__all__ = ["TARGET_HASH_SEED", "REPEATS_MAX_CLOCK_S", "EncodedEvents", "encode_events", "repeats_looked_at",
           "counted_repeats", "repeated_rows"]

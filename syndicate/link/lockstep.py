"""Lockstep links: accounts that act on the same targets in the same few minutes, often.

Time is cut into buckets of ``window_seconds`` aligned to the epoch; a *burst* is one target in
one bucket, and two accounts *co-act* on a target when both are in one of its bursts. One
co-action says nothing — a viral video gathers thousands of strangers within a minute — so
co-actions are counted over DISTINCT targets (``lockstep_bursts``) and the evidence is

    strength = shared / sqrt(targets_a * targets_b)
    lockstep = strength * (1 - exp(-shared / saturation_bursts)) * min(1, shared / min_shared_targets)

``strength`` is the cosine (Ochiai) overlap of the two accounts' activity: 1 when everything
both did was done together, small when a heavy user meets others on popular content by
chance. The middle factor makes the count itself matter (five chance co-actions of two light
users keep under half of their overlap, farm workers sharing dozens of jobs nearly all of it).
The last factor ramps the evidence
of pairs below ``min_shared_targets`` instead of dropping them: a rotating farm's workers share
only two or three jobs pair by pair, and those *weak* links (kept from
``min_weak_shared_targets`` up) are what the group stage (``cluster/coaction.py``) adds up.

The bursts themselves are returned (``burst, account`` codes): the group stage counts, for a
candidate group, the targets that three or more of its members hit in one burst.

Memory is bounded by design, not by the data's shape: a burst with more than ``bucket_cap``
accounts keeps a seeded, deterministic sample of them, and the account pairs of bursts are
enumerated one *partition of low account codes* at a time (each partition sized to about
``_PAIR_BUDGET`` pairs), counted, filtered to ``min_weak_shared_targets`` and only then is the
next partition made — a pair's low account decides its partition, so each pair is counted
completely inside one partition. Everything is numpy over packed int64 keys (PERFORMANCE.md:
sort-sweeps beat relational joins for this, the heaviest linear stage).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from syndicate.config import LockstepConfig
from syndicate.encoding import TARGET_HASH_SEED, EncodedEvents, encode_events
from syndicate.link.codes import AccountIndex, with_ids
from syndicate.sorted_runs import bit_width, following_rows, new_run, rows_after_in_run, run_starts

# Evidence stays below 1 so that noisy-OR combination never claims certainty.
_MAX_EVIDENCE = 0.99
# Account pairs enumerated per partition: 8M (pair, target) keys are 64 MB, about 0.2 GB with
# the partition's other two arrays, whatever the total number of candidate pairs. Smaller
# partitions cost little: the work per partition is linear in its pairs.
_PAIR_BUDGET = 1 << 23
# Partitions counted at once: two, one per core of a small machine; memory is this many
# partitions' arrays (about 0.2 GB each at the budget above).
_PARTITION_WORKERS = 2
# Packed keys must stay non-negative int64.
_KEY_BITS = 63
# Seed of the per-value hash that crowded-burst sampling draws on (the targets' hashes come
# with their codes, made with the same seed).
_CODE_SEED = TARGET_HASH_SEED
_US_PER_S = 1_000_000
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class LockstepLinks:
    """Result of :func:`lockstep_links`.

    pairs: ``account_a < account_b`` as UInt32 codes of ``index``, sorted; ``lockstep`` Float32
    evidence in [0, 1]; ``lockstep_bursts`` UInt32, the number of distinct targets the pair
    co-acted on (pairs with at least ``min_weak_shared_targets``).
    edges: the same with the account ids (String) — what a person or another tool reads.
    bursts: ``burst`` (Int64), ``target`` (Int64 code), ``account`` (Int64 code) — every kept
    membership of a burst with two or more accounts, sorted by burst then account.
    index: the account codes (`syndicate.link.codes`).
    info: counts for the manifest (events considered, bursts, capped bursts, pairs, ...).
    """

    pairs: pl.DataFrame
    info: dict[str, Any]
    bursts: pl.DataFrame
    index: AccountIndex

    @cached_property
    def edges(self) -> pl.DataFrame:
        return with_ids(self.pairs, self.index)

    @property
    def account_ids(self) -> pl.Series:
        """The id (String) of each account code."""
        return self.index.ids


def considered_actions(actions: pl.Series, config: LockstepConfig) -> np.ndarray:
    """Mask of the events that count for lockstep: every action unless excluded by the config
    (or, when ``config.actions`` is non-empty, only those). Names compare case- and
    space-insensitively, so "Like " and "like" are one action."""
    if not config.actions and not config.exclude_actions:
        return actions.is_not_null().to_numpy()
    # Normalise the (few) distinct names, not every row.
    distinct = actions.cast(pl.String).unique()
    names = distinct.str.strip_chars().str.to_lowercase()
    keep = pl.Series(np.ones(len(distinct), dtype=bool))
    if config.actions:
        keep = names.is_in([a.strip().lower() for a in config.actions])
    if config.exclude_actions:
        keep = keep & ~names.is_in([a.strip().lower() for a in config.exclude_actions])
    return actions.cast(pl.String).is_in(distinct.filter(keep.fill_null(False)).implode()).fill_null(False).to_numpy()


def lockstep_links(
    events: pl.DataFrame, *, config: LockstepConfig | None = None, seed: int = 0,
    index: AccountIndex | None = None, encoded: EncodedEvents | None = None,
) -> LockstepLinks:
    """Weighted account–account edges from repeated co-action on the same targets.

    Parameters
    ----------
    events : DataFrame with ``account_id``, ``action``, ``target_id`` (String) and ``ts``
        (Datetime), validated.
    config : LockstepConfig
    seed : int
        Chooses which accounts a crowded burst keeps; same input and seed, same edges.
    index : AccountIndex, optional
        The dataset's account codes (``Dataset.account_index``); by default made from the
        events' own account ids.
    encoded : EncodedEvents, optional
        ``events`` as integer codes (:func:`syndicate.encoding.encode_events` with the ids of
        ``index``), when the caller has them already (the pipeline makes them once for this
        stage and the behaviour features).

    Examples
    --------
    >>> from datetime import datetime, timedelta
    >>> t0 = datetime(2026, 1, 1)
    >>> ev = pl.DataFrame({
    ...     "account_id": ["a", "b"] * 6, "action": "like",
    ...     "target_id": [f"t{i // 2}" for i in range(12)],
    ...     "ts": [t0 + timedelta(hours=i // 2, seconds=10 * (i % 2)) for i in range(12)]})
    >>> lockstep_links(ev).edges.select("account_a", "account_b", "lockstep_bursts").rows()
    [('a', 'b', 6)]
    """
    config = config or LockstepConfig()
    window, cap = config.window_seconds, config.bucket_cap
    if events.height == 0:
        return _no_links({"events_considered": 0, "window_seconds": window}, index)
    index = index if index is not None else AccountIndex.of(events["account_id"])
    enc = encoded if encoded is not None else encode_events(events, index.ids)
    considered = considered_actions(pl.Series(enc.actions, dtype=pl.String), config)[enc.act]
    info: dict[str, Any] = {"events_considered": int(considered.sum()), "window_seconds": window}
    if info["events_considered"] == 0:
        return _no_links(info, index)

    # Every action counts by default: then no copy of the columns is made. The int32 codes
    # are packed into int64 keys where they are used, never widened whole (170 MB a column
    # at 21M events).
    every = bool(considered.all())
    account = enc.acc if every else enc.acc[considered]
    target = enc.tgt if every else enc.tgt[considered]
    times = enc.t if every else enc.t[considered]
    target_hash = enc.target_hash
    del enc, considered
    account_hash = index.ids.hash(_CODE_SEED).to_numpy()
    account_bits = bit_width(len(account_hash) - 1)

    target_bits = bit_width(len(target_hash) - 1)
    activity = _targets_per_account(account, target, target_bits, len(account_hash))
    info |= {"accounts": int(np.count_nonzero(activity)), "targets": len(target_hash)}
    # Whole buckets since the epoch: a burst does not move when other events are added.
    burst, member, cap_info = _burst_members(account, target, times, window, account_bits, cap,
                                             account_hash, target_hash, seed)
    del account, target, times
    bucket_bits = cap_info.pop("_bucket_bits")
    info |= cap_info
    burst_target = burst >> bucket_bits
    pair, shared, sweep_info = _shared_targets(burst, burst_target, member, account_bits, target_bits,
                                               min_shared=config.min_weak_shared_targets)
    info |= sweep_info

    a, b = pair >> account_bits, pair & ((1 << account_bits) - 1)
    strength = shared / np.sqrt(activity[a].astype(np.float64) * activity[b])
    ramp = np.minimum(shared / config.min_shared_targets, 1.0)
    evidence = np.minimum(strength * -np.expm1(-shared / config.saturation_bursts) * ramp, _MAX_EVIDENCE)
    info["pairs_kept"] = len(pair)
    info["pairs_strong"] = int((shared >= config.min_shared_targets).sum())

    # Codes follow the ids' order and a < b, pairs sorted: the edge table is sorted by (a, b).
    pairs = pl.DataFrame({"account_a": a.astype(np.uint32), "account_b": b.astype(np.uint32),
                          "lockstep": evidence.astype(np.float32), "lockstep_bursts": shared.astype(np.uint32)})
    bursts = pl.DataFrame({"burst": burst, "target": burst_target, "account": member})
    return LockstepLinks(pairs=pairs, info=info, bursts=bursts, index=index)


def _burst_members(
    account: np.ndarray, target: np.ndarray, times: np.ndarray, window: int, account_bits: int, cap: int,
    account_hash: np.ndarray, target_hash: np.ndarray, seed: int,
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Distinct (burst, account) of bursts with at least two accounts, sorted; crowded bursts
    keep ``cap`` accounts chosen by a seeded hash of (account, target, bucket).

    ``times`` are µs since the epoch; a burst is (target, ``times // window`` seconds). One
    int64 key per event, built and sorted in place: the events' columns are never widened."""
    packed = times // (_US_PER_S * window)
    first_bucket = int(packed.min())
    packed -= first_bucket
    bucket_bits = bit_width(int(packed.max()))
    target_bits = bit_width(int(target.max()))
    _check_bits(target_bits + bucket_bits + account_bits, "targets, time span and accounts")
    # (target << bucket_bits | bucket) << account_bits | account
    wide = target.astype(np.int64)
    wide <<= bucket_bits
    packed |= wide
    del wide
    packed <<= account_bits
    packed |= account
    packed.sort()
    packed = packed[new_run(packed)]
    member = packed & ((1 << account_bits) - 1)
    burst = packed
    burst >>= account_bits
    del packed
    starts = run_starts(burst)
    sizes = np.diff(np.r_[starts, len(burst)])
    info = {"buckets": len(starts), "buckets_capped": 0, "targets_capped": 0,
            "bucket_accounts_dropped": 0, "_bucket_bits": bucket_bits}
    keep = np.repeat(sizes >= 2, sizes)
    crowded = sizes > cap
    if crowded.any():
        rows = np.flatnonzero(np.repeat(crowded, sizes))
        run = np.repeat(np.arange(int(crowded.sum())), sizes[crowded])
        tgt = burst[rows] >> bucket_bits
        bkt = (burst[rows] & ((1 << bucket_bits) - 1)) + first_bucket
        # A fresh draw per (account, target, bucket): no account is always kept or always dropped.
        salt = _mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF))
        place = _mix(target_hash[tgt] + bkt.astype(np.uint64) * _GOLDEN)
        draw = _mix(account_hash[member[rows]] ^ salt ^ place)
        order = np.lexsort((draw, run))
        rank = np.empty(len(rows), dtype=np.int64)
        run_start = run_starts(run)
        rank[order] = np.arange(len(rows)) - np.repeat(run_start, np.diff(np.r_[run_start, len(rows)]))
        keep[rows] = rank < cap
        info |= {"buckets_capped": int(crowded.sum()),
                 "targets_capped": _n_distinct(np.sort(burst[starts[crowded]] >> bucket_bits)),
                 "bucket_accounts_dropped": int((sizes[crowded] - cap).sum())}
    return burst[keep], member[keep], info


def _targets_per_account(member: np.ndarray, target: np.ndarray, target_bits: int,
                         n_accounts: int) -> np.ndarray:
    """Distinct targets each account acted on: its activity, the strength's denominator."""
    packed = member.astype(np.int64)
    packed <<= target_bits
    packed |= target
    packed.sort()
    distinct = packed[new_run(packed)]
    del packed
    distinct >>= target_bits
    return np.bincount(distinct, minlength=n_accounts)


def _shared_targets(
    burst: np.ndarray, target: np.ndarray, member: np.ndarray, account_bits: int, target_bits: int,
    *, min_shared: int,
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Account pairs (``low << account_bits | high``) co-acting on at least ``min_shared``
    distinct targets, and that count.

    Rows are sorted by (burst, account), so a row's later rows in its burst are its partners
    with higher codes. Pairs are made one partition of LOW account codes at a time, each sized
    to about ``_PAIR_BUDGET`` pairs, deduplicated per (pair, target), counted and filtered
    before the next ones: peak memory is ``_PARTITION_WORKERS`` partitions' pairs, however many
    pairs there are.
    """
    n = len(burst)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), {"event_pairs_examined": 0,
                                                               "account_pairs": 0, "partitions": 0}
    n_later = rows_after_in_run(burst)  # a row's partners: the later rows of its burst
    # Rows by account, ties in row order: one plain sort of (account, row) packed keys, several
    # times faster than a stable argsort.
    row_bits = bit_width(n - 1)
    if account_bits + row_bits <= _KEY_BITS:
        by_account = member << row_bits
        by_account |= np.arange(n, dtype=np.int64)
        by_account.sort()
        by_account &= (1 << row_bits) - 1
    else:
        by_account = np.argsort(member, kind="stable")
    account_sorted = member[by_account]
    pairs_cum = n_later[by_account]
    np.cumsum(pairs_cum, out=pairs_cum)
    total = int(pairs_cum[-1])
    info = {"event_pairs_examined": total, "account_pairs": 0, "partitions": 0}
    parts, lo_row = [], 0
    while lo_row < n:
        before = int(pairs_cum[lo_row - 1]) if lo_row else 0
        hi_row = int(np.searchsorted(pairs_cum, before + _PAIR_BUDGET, side="right"))
        hi_row = max(hi_row, lo_row + 1)
        # Whole accounts per partition: a pair's low account owns it entirely.
        if hi_row < n:
            hi_row = int(np.searchsorted(account_sorted, account_sorted[hi_row - 1], side="right"))
        low_code = int(account_sorted[lo_row])
        span_bits = bit_width(int(account_sorted[hi_row - 1]) - low_code)
        _check_bits(span_bits + account_bits + target_bits, "accounts and targets")
        parts.append((lo_row, hi_row, low_code))
        lo_row = hi_row
    del account_sorted, pairs_cum  # planning only

    def count(part: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, int]:
        lo, hi, low_code = part
        return _partition_counts(by_account[lo:hi], n_later, member, target, low_code, account_bits,
                                 target_bits, min_shared=min_shared)

    # Partitions are independent: _PARTITION_WORKERS of them in flight (numpy's sorts and
    # arithmetic release the GIL), results taken in partition order, so the output does not
    # depend on the number of workers.
    with ThreadPoolExecutor(max_workers=_PARTITION_WORKERS) as pool:
        counted = list(pool.map(count, parts))
    out_pair = [c[0] for c in counted]
    out_shared = [c[1] for c in counted]
    info["account_pairs"] = sum(c[2] for c in counted)
    info["partitions"] = len(parts)
    # Partitions follow the low account and each is sorted: their concatenation is sorted.
    return np.concatenate(out_pair), np.concatenate(out_shared), info


def _partition_counts(rows: np.ndarray, n_later: np.ndarray, member: np.ndarray, target: np.ndarray,
                      low_code: int, account_bits: int, target_bits: int, *,
                      min_shared: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs whose low account is in ``rows``' accounts that share at least ``min_shared``
    distinct targets, their counts, and the number of pairs counted (kept or not)."""
    counts = n_later[rows]
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    # key = (low - low_code, high, target) packed; the low account and the target are the
    # row's own (repeated, a sequential write), the high account is a later row of its burst.
    # Every step works in place where it can: a partition holds two arrays of its pairs and
    # a mask (fresh memory is dear: each array of 8M pairs is 64 MB to fault in).
    key = np.repeat(((member[rows] - low_code) << (account_bits + target_bits)) | target[rows], counts)
    high = following_rows(rows, counts)  # the later rows, then their accounts, in place
    np.take(member, high, out=high)
    high <<= target_bits
    key |= high
    del high
    key.sort()
    distinct = new_run(key)  # one row per (pair, target)
    key >>= target_bits  # the pair (low - low_code, high)
    start = run_starts(key)
    # Distinct targets per pair: the first rows of (pair, target) runs in each pair's run.
    shared = np.add.reduceat(distinct.view(np.int8), start, dtype=np.int64)
    del distinct
    n_pairs = len(start)
    strong = shared >= min_shared  # most pairs share one target: filtered before they are unpacked
    local_pair = key[start[strong]]
    del key, start
    low = (local_pair >> account_bits) + low_code
    high = local_pair & ((1 << account_bits) - 1)
    return (low << account_bits) | high, shared[strong], n_pairs


def _n_distinct(sorted_values: np.ndarray) -> int:
    return int(new_run(sorted_values).sum())


def _check_bits(bits: int, what: str) -> None:
    if bits > _KEY_BITS:
        raise ValueError(
            f"lockstep keys need {bits} bits for the {what} in the events table; at most "
            f"{_KEY_BITS} fit. Split the events table (e.g. by time) and run it in parts."
        )


def _mix(x: np.ndarray | np.uint64) -> np.ndarray:
    """splitmix64 finaliser: a well-spread 64-bit hash of a 64-bit integer."""
    with np.errstate(over="ignore"):
        x = np.asarray(x, dtype=np.uint64) + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _no_links(info: dict[str, Any], index: AccountIndex | None) -> LockstepLinks:
    return LockstepLinks(pairs=_empty_pairs(), info=info | _zero_counts(), bursts=_empty_bursts(),
                         index=index if index is not None else AccountIndex.of(pl.Series([], dtype=pl.String)))


def _empty_pairs() -> pl.DataFrame:
    return pl.DataFrame(schema={"account_a": pl.UInt32, "account_b": pl.UInt32,
                                "lockstep": pl.Float32, "lockstep_bursts": pl.UInt32})


def _empty_bursts() -> pl.DataFrame:
    return pl.DataFrame(schema={"burst": pl.Int64, "target": pl.Int64, "account": pl.Int64})


def _zero_counts() -> dict[str, int]:
    keys = ("accounts", "targets", "buckets", "buckets_capped", "targets_capped",
            "bucket_accounts_dropped", "event_pairs_examined", "account_pairs", "partitions",
            "pairs_kept", "pairs_strong")
    return dict.fromkeys(keys, 0)

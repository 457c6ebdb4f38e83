"""Lockstep links: accounts that act on the same targets within seconds of each other, often.

Two accounts *co-act* on a target when both act on it (one of the configured actions) within
``window_seconds`` of each other. One co-action says nothing — a viral video gathers thousands
of strangers within a minute — so co-actions are counted over DISTINCT targets, pairs with
fewer than ``min_shared_targets`` shared targets make no edge, and the evidence is

    strength = shared / sqrt(targets_a * targets_b)
    lockstep = strength * (1 - exp(-shared / saturation_bursts))

``strength`` is the cosine (Ochiai) overlap of the two accounts' activity: 1 when everything
both accounts did was done together, small when a heavy user meets others on popular content
by chance — heavy users co-act with many strangers, so their shared bursts must be a large share
of their activity to count. Unlike ``shared / min(...)`` it does not let a throwaway account
with five actions score 1 against anyone who also did those five things. The second factor
makes the count itself matter: five chance co-actions of two light users keep under half of
their overlap, while farm workers sharing dozens of jobs keep nearly all of it.

The work per target is bounded: time is cut into buckets of the window's width per target, and
a bucket with more than ``bucket_cap`` accounts keeps a deterministic sample of ``bucket_cap``
of them (smallest seeded hash of account, target and bucket) and the rest are counted in
``info``. Inside such a bucket each account keeps only its first and last action, which loses
no co-action: any two actions within the window lie in the same or adjacent buckets.

Pairs come from a numpy sort-sweep over packed int64 keys (target, second, account), never a
relational join: PERFORMANCE.md measures it as the fastest choice for this, the heaviest linear
stage. Strings become integer codes through a 64-bit hash checked for collisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from syndicate.config import LockstepConfig

# Evidence stays below 1 so that noisy-OR combination never claims certainty.
_MAX_EVIDENCE = 0.99
# Event pairs generated at once; bounds the transient memory (~80 bytes per pair).
_PAIR_CHUNK = 1 << 22
# Packed keys must stay non-negative int64.
_KEY_BITS = 63
# Rows are sorted with one packed (target, second, account) key when it fits in this many
# bits (a SIMD sort, several times faster), else with an argsort of (target, second).
_PACKED_SORT_BITS = _KEY_BITS
# Hash seeds for the integer codes: (code hash, independent check hash) per attempt; a later
# pair is tried only if two distinct strings collide on the first 64-bit hash.
_CODE_SEEDS = ((0x243F6A88, 0x85A308D3), (0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0))
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class LockstepLinks:
    """Result of :func:`lockstep_links`.

    edges: account_a < account_b; ``lockstep`` Float32 evidence in [0, 1]; ``lockstep_bursts``
    UInt32, the number of distinct targets the pair acted on within the window.
    info: counts for the manifest (events considered, buckets, capped buckets, event pairs, ...).
    """

    edges: pl.DataFrame
    info: dict[str, Any]


def lockstep_links(
    events: pl.DataFrame, *, config: LockstepConfig | None = None, seed: int = 0
) -> LockstepLinks:
    """Weighted account–account edges from repeated co-action on the same targets.

    Parameters
    ----------
    events : DataFrame with ``account_id``, ``action``, ``target_id`` (String) and ``ts``
        (Datetime), validated. Only actions in ``config.actions`` count.
    config : LockstepConfig
    seed : int
        Chooses which accounts a crowded bucket keeps; same input and seed, same edges.

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
    considered = events["action"].is_in(list(config.actions)).to_numpy()
    info: dict[str, Any] = {"events_considered": int(considered.sum())}
    if info["events_considered"] == 0:
        return LockstepLinks(edges=_empty_edges(), info=info | _zero_counts())

    account, account_hash, account_first = _dense_codes(events["account_id"], considered)
    target, target_hash, _ = _dense_codes(events["target_id"], considered)
    second = events["ts"].dt.epoch("s").to_numpy()[considered]
    info |= {"accounts": len(account_hash), "targets": len(target_hash)}
    account_bits = _bits(len(account_hash) - 1)
    activity = _targets_per_account(account, target, account_bits, len(account_hash))

    rows = _sort_by_target_time(account, target, second, account_bits, config.window_seconds)
    del account, target, second
    keep, cap_info = _cap_buckets(
        rows, account_hash, target_hash, config.window_seconds, config.bucket_cap, seed
    )
    info |= cap_info
    key, account, time_bits = rows.key[keep], rows.account[keep], rows.time_bits
    del rows, keep
    pair, shared, sweep_info = _shared_targets(key, account, time_bits, account_bits, config.window_seconds)
    info |= sweep_info
    del key, account

    strong = shared >= config.min_shared_targets
    pair, shared = pair[strong], shared[strong]
    a, b = pair >> account_bits, pair & ((1 << account_bits) - 1)
    strength = shared / np.sqrt(activity[a].astype(np.float64) * activity[b])
    evidence = np.minimum(strength * -np.expm1(-shared / config.saturation_bursts), _MAX_EVIDENCE)
    info["pairs_kept"] = len(pair)

    event_row = np.flatnonzero(considered)
    ids = events["account_id"]
    edges = _edge_frame(
        ids.gather(event_row[account_first[a]]),
        ids.gather(event_row[account_first[b]]),
        evidence.astype(np.float32),
        shared.astype(np.uint32),
    )
    return LockstepLinks(edges=edges, info=info)


@dataclass(frozen=True)
class _SortedRows:
    """Considered events sorted by (target, second); ``key`` packs target and second."""

    key: np.ndarray
    account: np.ndarray
    time_bits: int
    first_second: int


def _bits(max_value: int) -> int:
    return max(int(max_value).bit_length(), 1)


def _dense_codes(values: pl.Series, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes 0..n-1 for ``values[rows]``, each code's 64-bit hash (ascending), and a row of each.

    Hashing is many times faster than a string dictionary here. A collision of two distinct
    strings would merge them; it is detected by counting distinct values under a second,
    independent hash (both would have to collide at once to go unnoticed), and the next seeds
    are tried.
    """
    for code_seed, check_seed in _CODE_SEEDS:
        hashed = values.hash(code_seed).to_numpy()[rows]
        order = np.argsort(hashed)
        sorted_hash = hashed[order]
        del hashed
        new = _run_starts(sorted_hash)
        if _n_distinct(np.sort(values.hash(check_seed).to_numpy()[rows])) != int(new.sum()):
            continue
        codes = np.empty(len(order), dtype=np.int64)
        codes[order] = np.cumsum(new) - 1
        return codes, sorted_hash[new], order[new]
    raise RuntimeError(f"64-bit hash collisions under every seed for column {values.name!r}")


def _run_starts(sorted_values: np.ndarray) -> np.ndarray:
    new = np.empty(len(sorted_values), dtype=bool)
    new[:1] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new[1:])
    return new


def _n_distinct(sorted_values: np.ndarray) -> int:
    return int(_run_starts(sorted_values).sum())


def _targets_per_account(
    account: np.ndarray, target: np.ndarray, account_bits: int, n_accounts: int
) -> np.ndarray:
    """Distinct targets each account acted on: its activity, the strength's denominator."""
    target_bits = _bits(int(target.max()))
    _check_bits(account_bits + target_bits, "accounts and targets")
    packed = np.sort((account << target_bits) | target)
    distinct = packed[_run_starts(packed)]
    return np.bincount(distinct >> target_bits, minlength=n_accounts)


def _check_bits(bits: int, what: str) -> None:
    if bits > _KEY_BITS:
        raise ValueError(
            f"lockstep keys need {bits} bits for the {what} in the events table; at most "
            f"{_KEY_BITS} fit. Split the events table (e.g. by time) and run it in parts."
        )


def _sort_by_target_time(
    account: np.ndarray, target: np.ndarray, second: np.ndarray, account_bits: int, window: int
) -> _SortedRows:
    first_second = int(second.min())
    # Room for second + window, so that a window's end never carries into the target bits.
    time_bits = _bits(int(second.max()) - first_second + window)
    target_bits = _bits(int(target.max()))
    _check_bits(target_bits + time_bits, "targets and time span")
    key = (target << time_bits) | (second - first_second)
    if target_bits + time_bits + account_bits <= _PACKED_SORT_BITS:
        # Everything in one key: a plain sort (SIMD) is several times faster than an argsort.
        packed = np.sort((key << account_bits) | account)
        account = packed & ((1 << account_bits) - 1)
        return _SortedRows(packed >> account_bits, account, time_bits, first_second)
    order = np.argsort(key)
    return _SortedRows(key[order], account[order], time_bits, first_second)


def _cap_buckets(
    rows: _SortedRows,
    account_hash: np.ndarray,
    target_hash: np.ndarray,
    window: int,
    cap: int,
    seed: int,
) -> tuple[np.ndarray, dict[str, int]]:
    """Mask of the rows that make pairs: crowded (target, window) buckets keep ``cap`` accounts.

    A bucket is crowded when it has more than ``cap`` rows; it then keeps each account's first
    and last action, of at most ``cap`` accounts chosen by a seeded hash. Buckets are aligned to
    multiples of the window since the epoch, so they do not move when other events are added.
    """
    n = len(rows.key)
    target = rows.key >> rows.time_bits
    bucket = ((rows.key & ((1 << rows.time_bits) - 1)) + rows.first_second) // window
    new_bucket = _run_starts(target)
    new_bucket[1:] |= bucket[1:] != bucket[:-1]
    starts = np.flatnonzero(new_bucket)
    sizes = np.diff(np.r_[starts, n])
    crowded = sizes > cap
    keep = np.ones(n, dtype=bool)
    info = {"buckets": len(starts), "buckets_capped": 0, "targets_capped": 0,
            "bucket_accounts_dropped": 0, "events_dropped_by_cap": 0}
    if not crowded.any():
        return keep, info

    run_sizes = sizes[crowded]
    run = np.repeat(np.arange(len(run_sizes)), run_sizes)
    index = np.arange(len(run)) + np.repeat(starts[crowded] - (np.cumsum(run_sizes) - run_sizes), run_sizes)
    account = rows.account[index]
    # A fresh draw per (account, target, bucket): no account is always kept or always dropped.
    salt = _mix(np.uint64(seed & 0xFFFFFFFFFFFFFFFF))
    place = _mix(target_hash[target[index]] + bucket[index].astype(np.uint64) * _GOLDEN)
    draw = _mix(account_hash[account] ^ salt ^ place)
    order = np.lexsort((rows.key[index], account, draw, run))
    index, run, account = index[order], run[order], account[order]

    new_account = _run_starts(run)
    new_account[1:] |= account[1:] != account[:-1]
    last_of_account = np.r_[new_account[1:], True]
    account_group = np.cumsum(new_account) - 1
    run_start = np.flatnonzero(_run_starts(run))
    rank = account_group - account_group[run_start][run]
    n_accounts = np.add.reduceat(new_account.astype(np.int64), run_start)
    keep[index] = (rank < cap) & (new_account | last_of_account)

    capped = n_accounts > cap
    info |= {
        "buckets_capped": int(capped.sum()),
        "targets_capped": _n_distinct(target[starts[crowded][capped]]),
        "bucket_accounts_dropped": int((n_accounts[capped] - cap).sum()),
        "events_dropped_by_cap": int((rank >= cap).sum()),
    }
    return keep, info


def _mix(x: np.ndarray | np.uint64) -> np.ndarray:
    """splitmix64 finaliser: a well-spread 64-bit hash of a 64-bit integer."""
    with np.errstate(over="ignore"):
        x = np.asarray(x, dtype=np.uint64) + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _shared_targets(
    key: np.ndarray, account: np.ndarray, time_bits: int, account_bits: int, window: int
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """Account pairs (packed low << account_bits | high) and their distinct shared targets.

    Each row pairs with the later rows of its target within the window (a searchsorted on the
    packed keys). Pairs are generated in chunks of whole targets, deduplicated per
    (pair, target) inside the chunk, then counts are summed per pair over chunks.
    """
    pair_bits = 2 * account_bits
    _check_bits(pair_bits + 1, "accounts")
    local_bits = _KEY_BITS - pair_bits  # target-within-chunk in the dedup key; count in the sum
    n = len(key)
    n_later = np.searchsorted(key, key + window, side="right") - np.arange(1, n + 1)
    target_start = np.flatnonzero(_run_starts(key >> time_bits))
    pairs_done = np.cumsum(np.add.reduceat(n_later, target_start)) if n else np.zeros(0, np.int64)
    info = {"event_pairs_examined": int(pairs_done[-1]) if n else 0}

    chunks: list[np.ndarray] = []
    first = 0
    while first < len(target_start):
        before = int(pairs_done[first - 1]) if first else 0
        last = int(np.searchsorted(pairs_done, before + _PAIR_CHUNK, side="right"))
        last = min(max(last, first + 1), first + (1 << local_bits) - 1, len(target_start))
        lo, hi = target_start[first], (target_start[last] if last < len(target_start) else n)
        target = key[lo:hi] >> time_bits
        chunks.append(_chunk_pair_counts(n_later[lo:hi], account[lo:hi], target, account_bits, local_bits))
        first = last

    packed = np.concatenate(chunks) if chunks else np.zeros(0, np.int64)
    del chunks
    packed.sort()
    pair = packed >> local_bits
    start = np.flatnonzero(_run_starts(pair))
    shared = np.add.reduceat(packed & ((1 << local_bits) - 1), start) if len(start) else pair
    info["account_pairs"] = len(start)
    return pair[start], shared, info


def _chunk_pair_counts(
    n_later: np.ndarray, account: np.ndarray, target: np.ndarray, account_bits: int, local_bits: int
) -> np.ndarray:
    """``pair << local_bits | distinct targets`` for the pairs of one chunk of whole targets.

    The event pairs are made in slices of rows of at most ``_PAIR_CHUNK`` pairs, so that one
    target busy all day costs 8 bytes per distinct pair, not the ~80 of making its pairs.
    """
    local_target = np.cumsum(_run_starts(target)) - 1
    pairs_done = np.cumsum(n_later)
    keys = []
    lo = 0
    while lo < len(n_later):
        before = int(pairs_done[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(pairs_done, before + _PAIR_CHUNK, side="right")), lo + 1)
        keys.append(_pair_target_keys(n_later[lo:hi], lo, account, local_target, account_bits, local_bits))
        lo = hi
    key = keys[0] if len(keys) == 1 else np.sort(np.concatenate(keys))
    del keys
    key = key[_run_starts(key)]
    pair = key >> local_bits
    start = np.flatnonzero(_run_starts(pair))
    count = np.diff(np.r_[start, len(pair)])
    return (pair[start] << local_bits) | count


def _pair_target_keys(
    n_later: np.ndarray,
    offset: int,
    account: np.ndarray,
    local_target: np.ndarray,
    account_bits: int,
    local_bits: int,
) -> np.ndarray:
    """Sorted distinct ``(low << account_bits | high) << local_bits | target`` of rows
    ``offset .. offset + len(n_later)``, each paired with its next ``n_later`` rows."""
    total = int(n_later.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    # Row i pairs with rows i+1 .. i+n_later[i]: partner = pair index + (i + 1 - first pair of i).
    rows = np.arange(offset, offset + len(n_later))
    src = np.repeat(rows, n_later)
    dst = np.arange(total) + np.repeat(rows + 1 - (np.cumsum(n_later) - n_later), n_later)
    a, b = account[src], account[dst]
    pair_target = local_target[src]
    del src, dst
    distinct = a != b
    low, high = np.minimum(a, b)[distinct], np.maximum(a, b)[distinct]
    key = (((low << account_bits) | high) << local_bits) | pair_target[distinct]
    key.sort()
    return key[_run_starts(key)]


def _edge_frame(ids_a: pl.Series, ids_b: pl.Series, evidence: np.ndarray, bursts: np.ndarray) -> pl.DataFrame:
    swap = pl.col("x") > pl.col("y")
    return (
        pl.DataFrame({"x": ids_a, "y": ids_b, "lockstep": evidence, "lockstep_bursts": bursts})
        .select(
            pl.when(swap).then("y").otherwise("x").alias("account_a"),
            pl.when(swap).then("x").otherwise("y").alias("account_b"),
            "lockstep",
            "lockstep_bursts",
        )
        .sort("account_a", "account_b")
    )


def _empty_edges() -> pl.DataFrame:
    return pl.DataFrame(schema={"account_a": pl.String, "account_b": pl.String,
                                "lockstep": pl.Float32, "lockstep_bursts": pl.UInt32})


def _zero_counts() -> dict[str, int]:
    keys = ("accounts", "targets", "buckets", "buckets_capped", "targets_capped",
            "bucket_accounts_dropped", "events_dropped_by_cap", "event_pairs_examined",
            "account_pairs", "pairs_kept")
    return dict.fromkeys(keys, 0)

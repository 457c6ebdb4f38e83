"""What an account's targets say: how popular they are, its favourite, bursts on one target.

Per account code, from the encoded events (:mod:`syndicate.encoding`):

* ``target_counts`` — events on its favourite target, distinct targets, the event-weighted
  sums of log popularity and of events on rare targets (popularity = distinct accounts on
  the target);
* ``burst_counts`` — events that land within a window of another account's event on the
  same target.

Both work on integer keys in bounded memory: the ``(account, target)`` pairs come from one
sort of packed keys, worked through in blocks of whole accounts; bursts sort ``(target,
time)`` keys one range of targets at a time (an argsort of a few million keys is twice as
fast per key as one of every event, and its temporaries a fraction of the size). Float sums
are fixed point, so outputs are bit-stable.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np
import polars as pl

from syndicate.encoding import EncodedEvents
from syndicate.features.exact import SCALE
from syndicate.features.timing import pack, run_starts

# A target touched by at most this many accounts is "rare": a private order, a niche video or
# a farm's client. Ordinary users spread over popular targets.
RARE_TARGET_ACCOUNTS = 3
# Events per block of pairs, and per range of targets for the burst sort: large enough that
# the per-block work dwarfs the loop, small enough that temporaries stay in tens of MB.
BLOCK_ROWS = 1 << 21


def target_counts(enc: EncodedEvents) -> dict[str, np.ndarray]:
    """Per account code: ``_top`` (events on its favourite target), ``_distinct`` (distinct
    targets), ``_pop_sum`` (event-weighted sum of log1p popularity) and ``_rare`` (events on
    targets at most ``RARE_TARGET_ACCOUNTS`` accounts touch)."""
    tgt_bits = max(enc.n_targets.bit_length(), 1)
    key = enc.tgt.astype(np.int64)
    pack(enc.acc, tgt_bits, key).sort()
    out = {name: np.zeros(enc.n_accounts, dtype=dtype) for name, dtype in
           (("_top", np.int64), ("_distinct", np.int64), ("_pop_sum", np.float64), ("_rare", np.int64))}
    # Pass 1: each target's popularity, and what needs no popularity.
    pop = np.zeros(enc.n_targets, dtype=np.int64)
    for acc, tgt, c, starts in _pair_blocks(key, tgt_bits):
        pop += np.bincount(tgt, minlength=enc.n_targets)
        who = acc[starts]
        out["_top"][who] = np.maximum.reduceat(c, starts)
        out["_distinct"][who] = np.diff(starts, append=len(acc))
    # Pass 2: sums weighted by popularity.
    log_pop = pl.Series(pop).cast(pl.Float64).log1p().to_numpy()
    rare = pop <= RARE_TARGET_ACCOUNTS
    for acc, tgt, c, starts in _pair_blocks(key, tgt_bits):
        who = acc[starts]
        weighted = _fixed_terms(pl.Series(log_pop[tgt]) * pl.Series(c))
        out["_pop_sum"][who] = np.add.reduceat(weighted, starts) / SCALE
        out["_rare"][who] = np.add.reduceat(c * rare[tgt], starts)
    return out


def _pair_blocks(key: np.ndarray, tgt_bits: int) -> Iterator[tuple[np.ndarray, ...]]:
    """Distinct ``(account, target)`` pairs of sorted packed keys, a block of whole accounts
    at a time: (account, target, events, first pair of each account)."""
    n, lo = len(key), 0
    while lo < n:
        hi = min(lo + BLOCK_ROWS, n)
        if hi < n:  # extend to the end of the last account's keys
            hi = int(np.searchsorted(key, ((key[hi - 1] >> tgt_bits) + 1) << tgt_bits))
        block = key[lo:hi]
        new = run_starts(block)
        c = np.diff(new, append=len(block))
        pair = block[new]
        acc = pair >> tgt_bits
        yield acc, pair & ((1 << tgt_bits) - 1), c, run_starts(acc)
        lo = hi


def _fixed_terms(values: pl.Series) -> np.ndarray:
    return (values * SCALE).round().fill_nan(None).cast(pl.Int64).fill_null(0).to_numpy()


def burst_counts(enc: EncodedEvents, *, t_min: int, unit: int, span: int, window: int) -> np.ndarray:
    """Events per account code that land within ``window`` µs of another account's event on
    the same target, next to it in (target, time, account) order.

    Times are the coarse times of :func:`syndicate.features.timing.sort_by_account`
    (``(t - t_min) // unit * unit``), coarsened further when target and time do not fit one
    int64 key together; ties on (target, time) go in account order, so the result ignores
    input row order.
    """
    time_bits = 62 - max(enc.n_targets.bit_length(), 1)
    tunit = max(1, -(-span // (1 << time_bits)))
    near_units = window // tunit
    counts = np.zeros(enc.n_accounts, dtype=np.int64)
    for rows in _target_ranges(enc.tgt, enc.n_targets):
        tk = enc.t[rows] - t_min
        if unit != 1:
            tk //= unit
            tk *= unit
        if tunit != 1:
            tk //= tunit
        tk |= np.left_shift(enc.tgt[rows], time_bits, dtype=np.int64)
        order = np.argsort(tk)
        acc = enc.acc[rows][order]
        tk = tk[order]
        del order, rows
        _accounts_within_ties(tk, acc)
        same = np.bitwise_xor(tk[1:], tk[:-1]) < (1 << time_bits)  # same target: high bits agree
        same &= np.diff(tk) <= near_units
        same &= acc[1:] != acc[:-1]
        in_burst = np.zeros(len(tk), dtype=bool)
        in_burst[1:] = same
        in_burst[:-1] |= same
        counts += np.bincount(acc[in_burst], minlength=enc.n_accounts)
    return counts


def _target_ranges(tgt: np.ndarray, n_targets: int) -> Iterator[np.ndarray]:
    """Row indices of consecutive ranges of target codes, about ``BLOCK_ROWS`` events each."""
    if len(tgt) <= BLOCK_ROWS:
        yield np.arange(len(tgt))
        return
    per_target = np.cumsum(np.bincount(tgt, minlength=n_targets))
    edges = np.unique(np.searchsorted(per_target, np.arange(BLOCK_ROWS, per_target[-1], BLOCK_ROWS)))
    block = np.searchsorted(edges, np.arange(n_targets), side="left").astype(np.uint16)[tgt]
    for b in range(len(edges) + 1):
        yield np.flatnonzero(block == b)


def _accounts_within_ties(keys: np.ndarray, acc: np.ndarray) -> None:
    """Order ``acc`` by account within each run of equal ``keys`` (sorted), in place."""
    tie = keys[1:] == keys[:-1]
    if not tie.any():
        return
    member = np.zeros(len(keys), dtype=bool)
    member[1:] = tie
    member[:-1] |= tie
    at = np.flatnonzero(member)
    acc[at] = acc[at][np.lexsort((acc[at], keys[at]))]


__all__ = ["RARE_TARGET_ACCOUNTS", "burst_counts", "target_counts"]

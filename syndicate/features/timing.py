"""When an account acts: gaps between its actions, active days, hour of day.

Events are sorted once by a packed int64 ``(account, time)`` key (one int64 sort is several
times faster than sorting by two columns); every per-account figure is then a reduction over
contiguous segments (``np.add.reduceat``), which is exact for integers and needs no hashing.
Float sums go through fixed point (:mod:`syndicate.features.exact`) and element-wise
transcendental functions through polars, so the values are the bits polars' group-bys gave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from syndicate.features.encoding import EncodedEvents
from syndicate.features.exact import SCALE

US_PER_S = 1_000_000
US_PER_HOUR = 3_600 * US_PER_S
US_PER_DAY = 86_400 * US_PER_S
# A gap under a minute between two actions of one account is faster than people browse a
# feed and act on what they see, but exactly what a bot working a job queue does.
RAPID_GAP_S = 60
# Gap classes for the gap entropy (seconds): within a second, ten seconds, a minute, ten
# minutes, an hour, six hours, a day, a week, longer. A script repeats one class; a person
# spreads over many.
GAP_EDGES_S = np.array([1, 10, 60, 600, 3_600, 21_600, 86_400, 604_800], dtype=np.float64)
CV_SCALE = 2.0**20


@dataclass(frozen=True)
class ByAccount:
    """Event times sorted by (account, time): account code ``acc`` and coarse time ``tq``
    (``t = tq * unit + t_min``) of each row, segment ``starts`` of each active account and
    its code ``active``. ``shift`` is the power of two the sort key packs accounts with."""

    acc: np.ndarray
    tq: np.ndarray
    unit: int
    shift: int
    t_min: int
    span: int
    starts: np.ndarray
    active: np.ndarray

    @property
    def t(self) -> np.ndarray:
        return self.tq * self.unit + self.t_min if self.unit != 1 else self.tq + self.t_min

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.starts, append=len(self.acc))


def run_starts(values: np.ndarray) -> np.ndarray:
    """Positions where a run of equal values starts in ``values`` (sorted, or grouped)."""
    new = np.empty(len(values), dtype=bool)
    new[:1] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    return np.flatnonzero(new)


def sort_by_account(enc: EncodedEvents) -> ByAccount:
    """One sort of packed ``(account, time)`` keys: the key alone (no rows carried along),
    which numpy sorts several times faster than a frame sort that moves other columns."""
    t_min = int(enc.t.min())
    span = int(enc.t.max()) - t_min + 1
    acc_bits = max(int(enc.n_accounts).bit_length(), 1)
    time_bits = 62 - acc_bits
    shift = 1 << time_bits
    # Time resolution: microseconds when they fit in the bits left, coarser otherwise
    # (1M accounts leave 42 bits: 50 days in microseconds, millennia in seconds).
    unit = max(1, -(-span // shift))
    key = enc.t - t_min
    if unit != 1:
        key //= unit
    key += enc.acc.astype(np.int64) << time_bits
    key.sort()
    acc = np.empty(len(key), dtype=np.int32)
    np.right_shift(key, time_bits, out=acc, casting="unsafe")
    key &= shift - 1
    starts = run_starts(acc)
    return ByAccount(acc=acc, tq=key, unit=unit, shift=shift, t_min=t_min, span=span, starts=starts,
                     active=acc[starts])


def _fixed(values: pl.Series | np.ndarray, scale: float = SCALE) -> np.ndarray:
    """Fixed-point int64 of floats as :func:`syndicate.features.exact.fixed_sum` makes them
    (NaN -> 0; callers count the non-NaN values themselves)."""
    fixed = (pl.Series(values) * scale).round().fill_nan(None).cast(pl.Int64).fill_null(0)
    return fixed.to_numpy()


def timing_features(rows: ByAccount, *, gap_classes: bool = False) -> dict[str, np.ndarray]:
    """Per active account (in ``rows.active`` order): counts, first and last time, active
    days and the busiest day, and the gap statistics (NaN where the account has no gap);
    with ``gap_classes`` also ``gap_entropy``.

    Every row-length temporary is written into one of two scratch arrays: allocating (and
    first touching) a fresh 20M-row array costs more than the arithmetic done on it.
    """
    n = len(rows.acc)
    starts, counts = rows.starts, rows.counts
    n_gaps = counts - 1
    first = np.zeros(n, dtype=bool)
    first[starts] = True
    # Gap to the account's previous row in time units (0 on its first row).
    dq = np.empty(n, dtype=np.int64)
    dq[:1] = 0
    np.subtract(rows.tq[1:], rows.tq[:-1], out=dq[1:])
    dq[starts] = 0
    # Seconds, as polars divides (it multiplies by the reciprocal of the divisor).
    gap = np.multiply(dq if rows.unit == 1 else dq * rows.unit, 1 / US_PER_S)
    scratch = np.empty(n, dtype=np.int64)

    def per_account(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)

    with np.errstate(invalid="ignore", divide="ignore"):
        gap_mean = per_account(_fixed_into(gap, SCALE, scratch)) / SCALE / n_gaps
        term = np.repeat(gap_mean, counts)  # the account's mean gap on each row
        np.subtract(gap, term, out=scratch.view(np.float64))
        np.divide(scratch.view(np.float64), term, out=term)
        np.minimum(term, 1e3, out=term)
        np.maximum(term, -1e3, out=term)
        term *= term
        term[first] = 0.0
        # Terms are NaN only when every gap is 0 (mean 0); fixed point counts them as 0.
        n_terms = np.where(gap_mean > 0, n_gaps, 0)
        cv2 = per_account(_fixed_into(term, CV_SCALE, scratch, nan=True)) / CV_SCALE / n_terms
        # Every account's first row has gap 0: counted by the comparison, then taken off.
        rapid = (per_account(gap < RAPID_GAP_S) - 1) / n_gaps

    t = rows.t
    day = np.floor_divide(t, US_PER_DAY, out=scratch)
    new_day = first.copy()
    new_day[1:] |= day[1:] != day[:-1]
    run_starts = np.flatnonzero(new_day)
    run_length = np.diff(run_starts, append=n)
    first_run = np.flatnonzero(first[run_starts])
    out = {
        "n_events": counts,
        "t_first": t[starts],
        "t_last": t[starts + counts - 1],
        "n_active_days": per_account(new_day),
        "peak_events_per_day": np.maximum.reduceat(run_length, first_run) if n else counts,
        "_gap_cv2": cv2,
        "rapid_gap_share": rapid,
        "_t": t,
    }
    del day, new_day, run_starts, run_length, term
    if gap_classes:
        out["gap_entropy"] = _gap_entropy(rows, gap, first, term=scratch)
    del gap
    out["median_gap_s"] = _median_gaps(rows, dq, n_gaps, key=scratch)
    return out


def _fixed_into(values: np.ndarray, scale: float, out: np.ndarray, *, nan: bool = False) -> np.ndarray:
    """Fixed-point int64 of ``values`` written into ``out`` (int64), as :func:`_fixed` makes
    them; ``nan=True`` when ``values`` may hold NaN (which becomes 0)."""
    as_float = out.view(np.float64)
    np.multiply(values, scale, out=as_float)
    if nan:
        as_float[np.isnan(as_float)] = 0.0
    # Same memory, same element size, element by element: safe in place.
    np.rint(as_float, out=out, casting="unsafe")
    return out


def _median_gaps(rows: ByAccount, dq: np.ndarray, n_gaps: np.ndarray, *, key: np.ndarray) -> np.ndarray:
    """Median gap (s) per account, as polars' median (``lo + (hi - lo) * 0.5``); NaN for none.

    One sort of packed ``(account, gap)`` keys (into ``key``); each account's first row
    carries the largest gap value instead of its 0, so it sorts after the account's gaps.
    """
    bits = rows.shift.bit_length() - 1
    np.left_shift(rows.acc, bits, out=key, dtype=np.int64)
    key |= dq
    key[rows.starts] |= rows.shift - 1
    key.sort()
    has = n_gaps > 0
    lo = rows.starts + np.maximum(n_gaps - 1, 0) // 2
    hi = rows.starts + n_gaps // 2

    def seconds(at: np.ndarray) -> np.ndarray:
        return np.multiply((key[at] & (rows.shift - 1)) * rows.unit, 1 / US_PER_S)

    out = np.full(len(n_gaps), np.nan)
    g_lo, g_hi = seconds(lo[has]), seconds(hi[has])
    out[has] = g_lo + (g_hi - g_lo) * 0.5
    return out


def _gap_entropy(rows: ByAccount, gap: np.ndarray, first: np.ndarray, *, term: np.ndarray) -> np.ndarray:
    """Entropy of the gap classes (``GAP_EDGES_S``) per account, normalised to [0, 1]."""
    n_classes = len(GAP_EDGES_S) + 1
    # Class = number of edges at or below the gap; an extra class (dropped) for first rows.
    cls = np.zeros(len(gap), dtype=np.int8)
    above = np.empty(len(gap), dtype=bool)
    for edge in GAP_EDGES_S:
        cls += np.greater_equal(gap, edge, out=above)
    del above
    cls[first] = n_classes
    np.multiply(rows.acc, n_classes + 1, out=term)
    term += cls
    del cls
    counts = np.bincount(term, minlength=rows.active.max(initial=0) * (n_classes + 1) + n_classes + 1)
    return normalised_entropy(counts.reshape(-1, n_classes + 1)[rows.active, :n_classes])


def normalised_entropy(counts: np.ndarray) -> np.ndarray:
    """Shannon entropy of each row of a count matrix over log(number of columns); 0 for
    empty rows and single-column matrices."""
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / total
        h = -np.where(counts > 0, p * np.log(p), 0.0).sum(axis=1)
    width = counts.shape[1]
    return np.nan_to_num(h / np.log(width)) if width > 1 else np.zeros(len(counts))


def hour_features(acc: np.ndarray, t: np.ndarray, *, n_accounts: int,
                  n_events: np.ndarray) -> dict[str, np.ndarray]:
    """Hour-of-day entropy (normalised) and the busiest hour's share, per account code, from
    each event's account code ``acc`` and time ``t`` (µs, int64; overwritten) and
    ``n_events`` per account code; accounts without events get NaN."""
    hour = np.floor_divide(t, US_PER_HOUR, out=t)
    hour %= 24
    hour += np.multiply(acc, 24, dtype=np.int64)
    counts = np.bincount(hour, minlength=n_accounts * 24)
    del hour
    cells = np.flatnonzero(counts)
    acc = cells // 24
    c = counts[cells]
    frame = pl.DataFrame({"c": c, "n": n_events[acc]}).select((pl.col("c") / pl.col("n")).alias("p"))
    p = frame["p"]
    terms = _fixed(p * p.log())
    starts = np.flatnonzero(np.diff(acc, prepend=-1))
    entropy = np.full(n_accounts, np.nan)
    peak = np.full(n_accounts, np.nan)
    if len(cells):
        sums = pl.Series(np.add.reduceat(terms, starts))
        entropy[acc[starts]] = (-(sums / SCALE) / np.log(24)).to_numpy()
        peak[acc[starts]] = np.maximum.reduceat(p.to_numpy(), starts)
    return {"hour_entropy": entropy, "peak_hour_share": peak}


__all__ = ["ByAccount", "hour_features", "normalised_entropy", "sort_by_account", "timing_features"]

"""When an account acts: gaps between its actions, active days, hour of day.

Events are sorted once by a packed int64 ``(account, time)`` key, the key alone (numpy sorts
an int64 array several times faster than a frame sort that carries other columns along).
Every per-account figure is then a reduction over contiguous segments (``np.add.reduceat``),
exact for integers and with no hashing. The sorted rows are worked through in blocks of
whole accounts (``BLOCK_ROWS``), so the temporaries are a few blocks' worth, not a few copies
of every event: touching fresh memory costs more than the arithmetic done in it.

Float sums go through fixed point (:mod:`syndicate.features.exact`) and element-wise
transcendental functions through polars, so the values are the bits polars' group-bys gave.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import polars as pl

from syndicate.encoding import EncodedEvents
from syndicate.features.exact import SCALE
from syndicate.sorted_runs import run_starts

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
# Rows worked on at once (whole accounts; a block grows to hold its last account): 2M rows
# keep each temporary at 16 MB, within a server's cache, at no measurable loop cost.
BLOCK_ROWS = 1 << 21


# Clocks that data are recorded with, coarsest first (seconds): the day (public review
# datasets -- YelpChi, YelpNYC, YelpZip, Amazon -- carry dates only), the hour, the minute.
CLOCKS_S = (86_400, 3_600, 60)
# A clock is taken as the data's when this share of the events fall on at most two offsets
# within its period (the second of the day for the day clock, of the hour for the hour, of the
# minute for the minute): two, for dates written at local midnight and turned into UTC, whose
# offset moves by an hour with daylight saving. Events timed to the second fall on 60 offsets
# within the minute evenly (two of them: ~3%), far from it.
CLOCK_SHARE = 0.99
# ... and when the events span at least this many of its ticks: twelve accounts liking one post
# within the same two seconds fall on two offsets too, and are a burst, not a dated table.
CLOCK_MIN_TICKS = 3


def second_of_day_counts(t_us: np.ndarray) -> tuple[np.ndarray, int, int]:
    """How many events fall on each second of the day (86,400 counts), how many carry a
    fraction of a second, and the seconds from the first to the last (``t_us`` in µs since
    the epoch), a block at a time."""
    counts = np.zeros(86_400, dtype=np.int64)
    fractional = 0
    for lo in range(0, len(t_us), BLOCK_ROWS):
        block = t_us[lo:lo + BLOCK_ROWS]
        fractional += int(np.count_nonzero(block % US_PER_S))
        counts += np.bincount(block // US_PER_S % 86_400, minlength=86_400)
    span_s = (int(t_us.max()) - int(t_us.min())) // US_PER_S if len(t_us) else 0
    return counts, fractional, span_s


def clock_resolution_s(counts: np.ndarray, fractional: int, span_s: int) -> int:
    """The coarsest clock the event times were recorded with (``CLOCKS_S``), else 1 s.

    ``counts``: events per second of the day (second rounded down, also before 1970),
    ``fractional``: events with a fraction of a second, ``span_s``: seconds from the first
    event to the last (:func:`second_of_day_counts`). Data rounded to the day leave timing
    within seconds unknowable: two reviews of one product on one date are no co-ordinated burst.

    Examples
    --------
    >>> day = np.zeros(86_400, dtype=np.int64); day[0] = 1_000
    >>> clock_resolution_s(day, 0, 30 * 86_400)
    86400
    >>> clock_resolution_s(day, 0, 2)  # one burst within seconds
    1
    >>> clock_resolution_s(np.ones(86_400, dtype=np.int64), 0, 86_400)
    1
    """
    total = int(counts.sum())
    # A handful of events could share a second by chance; ten on two offsets of 60 do not.
    if total < 10 or fractional > (1 - CLOCK_SHARE) * total:
        return 1
    for clock in CLOCKS_S:
        if span_s < CLOCK_MIN_TICKS * clock:
            continue
        by_offset = np.sort(counts.reshape(-1, clock).sum(axis=0))
        if by_offset[-2:].sum() >= CLOCK_SHARE * total:
            return clock
    return 1


def events_clock_s(t_us: np.ndarray, at_least: int = 0) -> int:
    """:func:`clock_resolution_s` of event times in µs since the epoch, and at least
    ``at_least`` seconds (``[lockstep] clock_seconds``: a day's batch recorded to the day spans
    too few days to show its clock)."""
    return max(clock_resolution_s(*second_of_day_counts(t_us)), at_least)


def table_clock_s(events: pl.DataFrame | None, at_least: int = 0) -> int | None:
    """:func:`events_clock_s` of an events table (``ts``, as the polars engine reads it), or None
    where there are no events: no clock to tell."""
    if events is None or events.height == 0:
        return None
    return events_clock_s(events["ts"].dt.epoch("us").drop_nulls().to_numpy(), at_least=at_least)


def clock_unit(clock_s: int) -> str:
    """A clock in words: "second", "minute", "hour", "day" or "N s"."""
    return {1: "second", 60: "minute", 3_600: "hour", 86_400: "day"}.get(int(clock_s), f"{int(clock_s)} s")


@dataclass(frozen=True)
class ByAccount:
    """Event times sorted by (account, time), packed: ``key >> bits`` is the account code and
    ``key & (2**bits - 1)`` the coarse time ``tq`` (``t = tq * unit + t_min``). ``starts``
    are the first row of each active account, ``active`` its code."""

    key: np.ndarray
    bits: int
    unit: int
    t_min: int
    span: int
    starts: np.ndarray
    active: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        return np.diff(self.starts, append=len(self.key))


def pack(high: np.ndarray, bits: int, out: np.ndarray) -> np.ndarray:
    """``out |= high << bits`` (int64), a block at a time so that no row-length temporary is made."""
    for lo in range(0, len(out), BLOCK_ROWS):
        out[lo:lo + BLOCK_ROWS] |= np.left_shift(high[lo:lo + BLOCK_ROWS], bits, dtype=np.int64)
    return out


def sort_by_account(enc: EncodedEvents) -> ByAccount:
    """One sort of packed ``(account, time)`` keys."""
    t_min = int(enc.t.min())
    span = int(enc.t.max()) - t_min + 1
    bits = 62 - max(int(enc.n_accounts).bit_length(), 1)
    # Time resolution: microseconds when they fit in the bits left, coarser otherwise
    # (1M accounts leave 42 bits: 50 days in microseconds, millennia in seconds).
    unit = max(1, -(-span // (1 << bits)))
    key = enc.t - t_min
    if unit != 1:
        key //= unit
    pack(enc.acc, bits, key).sort()
    starts = []
    step = BLOCK_ROWS
    for lo in range(0, len(key), step):
        acc = key[max(lo - 1, 0):lo + step] >> bits
        new = np.flatnonzero(acc[1:] != acc[:-1]) + max(lo - 1, 0) + 1
        starts.append(new)
    starts = np.concatenate([[0] if len(key) else np.zeros(0, dtype=np.int64), *starts]).astype(np.int64)
    return ByAccount(key=key, bits=bits, unit=unit, t_min=t_min, span=span, starts=starts,
                     active=key[starts] >> bits)


def blocks(rows: ByAccount, size: int | None = None) -> Iterator[tuple[int, int, int, int]]:
    """``(first row, end row, first account, end account)`` of consecutive blocks of whole
    accounts, about ``size`` rows each (default ``BLOCK_ROWS``; ``first account`` indexes
    ``rows.starts``)."""
    n, n_accounts, size = len(rows.key), len(rows.starts), size or BLOCK_ROWS
    account = 0
    while account < n_accounts:
        lo = int(rows.starts[account])
        end = int(np.searchsorted(rows.starts, lo + size, side="left"))
        end = max(end, account + 1)
        hi = int(rows.starts[end]) if end < n_accounts else n
        yield lo, hi, account, end
        account = end


def _fixed(values: pl.Series | np.ndarray, scale: float = SCALE) -> np.ndarray:
    """Fixed-point int64 of floats as :func:`syndicate.features.exact.fixed_sum` makes them
    (NaN -> 0; callers count the non-NaN values themselves)."""
    fixed = (pl.Series(values) * scale).round().fill_nan(None).cast(pl.Int64).fill_null(0)
    return fixed.to_numpy()


def _fixed_np(values: np.ndarray, scale: float, *, nan: bool = True) -> np.ndarray:
    """:func:`_fixed` in numpy (the same bits: polars rounds half to even, like ``rint``);
    ``nan=False`` skips the NaN pass for values that have none."""
    scaled = np.multiply(values, scale)
    if nan:
        scaled[np.isnan(scaled)] = 0.0
    np.rint(scaled, out=scaled)
    return scaled.astype(np.int64)


def timing_features(rows: ByAccount, *, gap_classes: bool = False) -> dict[str, np.ndarray]:
    """Per active account (in ``rows.active`` order): counts, first and last time, active
    days and the busiest day, the gap statistics (NaN where the account has no gap), the
    hour-of-day entropy and busiest hour's share; with ``gap_classes`` also ``gap_entropy``."""
    parts = [_block_features(rows, lo, hi, a0, a1, gap_classes=gap_classes)
             for lo, hi, a0, a1 in blocks(rows)]
    if not parts:
        return {}
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def _block_features(rows: ByAccount, lo: int, hi: int, a0: int, a1: int, *,
                    gap_classes: bool) -> dict[str, np.ndarray]:
    """:func:`timing_features` of the accounts ``a0:a1`` (rows ``lo:hi``)."""
    key = rows.key[lo:hi]
    tq = key & ((1 << rows.bits) - 1)
    n = len(tq)
    starts = rows.starts[a0:a1] - lo
    counts = np.diff(starts, append=n)
    n_gaps = counts - 1
    first = np.zeros(n, dtype=bool)
    first[starts] = True
    dq = np.empty_like(tq)  # time units since the account's previous row (0 on its first)
    np.subtract(tq[1:], tq[:-1], out=dq[1:])
    dq[first] = 0  # row 0 is an account's first
    # Seconds, as polars divides (it multiplies by the reciprocal of the divisor).
    gap = np.multiply(dq if rows.unit == 1 else dq * rows.unit, 1 / US_PER_S)

    def per_account(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, dtype=np.int64)

    with np.errstate(invalid="ignore", divide="ignore"):
        gap_mean = per_account(_fixed_np(gap, SCALE, nan=False)) / SCALE / n_gaps
        mean_row = np.repeat(gap_mean, counts)
        term = (gap - mean_row) / mean_row
        np.minimum(term, 1e3, out=term)
        np.maximum(term, -1e3, out=term)
        term *= term
        term[first] = 0.0
        # Terms are NaN only when every gap is 0 (mean 0); fixed point counts them as 0.
        n_terms = np.where(gap_mean > 0, n_gaps, 0)
        cv2 = per_account(_fixed_np(term, CV_SCALE)) / CV_SCALE / n_terms
        # Every account's first row has gap 0: counted by the comparison, then taken off.
        rapid = (per_account(gap < RAPID_GAP_S) - 1) / n_gaps

    t = tq * rows.unit + rows.t_min if rows.unit != 1 else tq + rows.t_min
    day = t // US_PER_DAY
    new_day = first.copy()
    new_day[1:] |= day[1:] != day[:-1]
    day_starts = np.flatnonzero(new_day)
    day_length = np.diff(day_starts, append=n)
    first_day = np.flatnonzero(first[day_starts])
    segment = np.repeat(np.arange(len(starts)), counts)
    out = {
        "n_events": counts,
        "t_first": t[starts],
        "t_last": t[starts + counts - 1],
        "n_active_days": per_account(new_day),
        "peak_events_per_day": np.maximum.reduceat(day_length, first_day),
        "_gap_cv2": cv2,
        "median_gap_s": _median_gaps(segment, dq, starts, n_gaps, bits=rows.bits, unit=rows.unit),
        "rapid_gap_share": rapid,
        **_hour_features(segment, t, day, counts),
    }
    if gap_classes:
        out["gap_entropy"] = _gap_entropy(segment, gap, first, len(starts))
    return out


def _median_gaps(segment: np.ndarray, dq: np.ndarray, starts: np.ndarray, n_gaps: np.ndarray, *,
                 bits: int, unit: int) -> np.ndarray:
    """Median gap (s) per account, as polars' median (``lo + (hi - lo) * 0.5``); NaN for none.

    One sort of packed ``(account, gap)`` keys; each account's first row carries the largest
    gap value instead of its 0, so it sorts after the account's gaps.
    """
    mask = (1 << bits) - 1
    key = segment << bits
    key |= dq
    key[starts] |= mask
    key.sort()
    has = n_gaps > 0
    lo = (starts + np.maximum(n_gaps - 1, 0) // 2)[has]
    hi = (starts + n_gaps // 2)[has]
    g_lo = np.multiply((key[lo] & mask) * unit, 1 / US_PER_S)
    g_hi = np.multiply((key[hi] & mask) * unit, 1 / US_PER_S)
    out = np.full(len(n_gaps), np.nan)
    out[has] = g_lo + (g_hi - g_lo) * 0.5
    return out


def _gap_entropy(segment: np.ndarray, gap: np.ndarray, first: np.ndarray, n_accounts: int) -> np.ndarray:
    """Entropy of the gap classes (``GAP_EDGES_S``) per account, normalised to [0, 1]."""
    n_classes = len(GAP_EDGES_S) + 1
    # Class = number of edges at or below the gap; an extra class (dropped) for first rows.
    # The comparisons add up in one byte a row (a handful beat a binary search per row), then
    # join the account's offset in one pass.
    small = np.zeros(len(gap), dtype=np.int8)
    above = np.empty(len(gap), dtype=bool)
    for edge in GAP_EDGES_S:
        np.greater_equal(gap, edge, out=above)
        small += above.view(np.int8)
    small[first] = n_classes  # first rows (gap 0, class 0) go to the extra class
    cls = segment * (n_classes + 1)
    cls += small
    counts = np.bincount(cls, minlength=n_accounts * (n_classes + 1)).reshape(-1, n_classes + 1)
    return normalised_entropy(counts[:, :n_classes])


def normalised_entropy(counts: np.ndarray) -> np.ndarray:
    """Shannon entropy of each row of a count matrix over log(number of columns); 0 for
    empty rows and single-column matrices."""
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / total
        # The C library's log (polars, math), not numpy's SIMD one: numpy's AVX-512 and AVX2
        # logs differ in the last bit, and these features would follow the CPU (syndicate/cpu.py).
        log_p = pl.Series(p.ravel()).log().to_numpy().reshape(p.shape)
        h = -np.where(counts > 0, p * log_p, 0.0).sum(axis=1)
    width = counts.shape[1]
    return np.nan_to_num(h / math.log(width)) if width > 1 else np.zeros(len(counts))


def _hour_features(segment: np.ndarray, t: np.ndarray, day: np.ndarray, counts: np.ndarray
                   ) -> dict[str, np.ndarray]:
    """Hour-of-day entropy (normalised) and the busiest hour's share per account, from each
    row's account index ``segment``, time ``t`` (µs) and day ``t // US_PER_DAY``, and the rows
    per account."""
    # (t // hour) % 24 as the time into the day // hour: one integer division, not two.
    hour = np.multiply(day, US_PER_DAY)
    np.subtract(t, hour, out=hour)
    hour //= US_PER_HOUR
    hour += np.multiply(segment, 24)
    cells_count = np.bincount(hour, minlength=len(counts) * 24)
    cells = np.flatnonzero(cells_count)
    account = cells // 24
    p = pl.Series(cells_count[cells] / counts[account])
    terms = _fixed(p * p.log())
    starts = run_starts(account)
    sums = pl.Series(np.add.reduceat(terms, starts))
    return {"hour_entropy": (-(sums / SCALE) / math.log(24)).to_numpy(),
            "peak_hour_share": np.maximum.reduceat(p.to_numpy(), starts)}


__all__ = ["BLOCK_ROWS", "CLOCK_MIN_TICKS", "CLOCKS_S", "ByAccount", "blocks", "clock_resolution_s", "events_clock_s",
           "normalised_entropy", "pack",
           "run_starts", "second_of_day_counts", "sort_by_account", "timing_features"]

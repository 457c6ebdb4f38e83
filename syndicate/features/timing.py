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
    """Events sorted by (account, time): ``acc``, ``tgt``, coarse time ``tq`` (``t = tq *
    unit + t_min``), segment ``starts`` of each active account and its code ``active``."""

    acc: np.ndarray
    tgt: np.ndarray
    tq: np.ndarray
    unit: int
    shift: int
    t_min: int
    span: int
    starts: np.ndarray
    active: np.ndarray

    @property
    def t(self) -> np.ndarray:
        return self.tq * self.unit + self.t_min

    @property
    def counts(self) -> np.ndarray:
        return np.diff(np.append(self.starts, len(self.acc)))


def sort_by_account(enc: EncodedEvents) -> ByAccount:
    """One sort of packed ``(account, time)`` keys."""
    t_min = int(enc.t.min())
    span = int(enc.t.max()) - t_min + 1
    acc_bits = max(int(enc.n_accounts).bit_length(), 1)
    shift = 1 << (62 - acc_bits)
    # Time resolution: microseconds when they fit in the bits left, coarser otherwise
    # (1M accounts leave 43 bits: 101 days in microseconds, millennia in seconds).
    unit = max(1, -(-span // shift))
    key = enc.acc * shift + (enc.t - t_min) // unit
    rows = pl.DataFrame({"k": key, "tgt": enc.tgt}).sort("k")
    k = rows["k"].to_numpy()
    acc = k // shift
    new = np.empty(len(acc), dtype=bool)
    new[:1] = True
    new[1:] = acc[1:] != acc[:-1]
    starts = np.flatnonzero(new)
    return ByAccount(acc=acc, tgt=rows["tgt"].to_numpy(), tq=k % shift, unit=unit, shift=shift, t_min=t_min,
                     span=span, starts=starts, active=acc[starts])


def _fixed(values: pl.Series | np.ndarray, scale: float = SCALE) -> np.ndarray:
    """Fixed-point int64 of floats as :func:`syndicate.features.exact.fixed_sum` makes them
    (NaN -> 0; callers count the non-NaN values themselves)."""
    fixed = (pl.Series(values) * scale).round().fill_nan(None).cast(pl.Int64).fill_null(0)
    return fixed.to_numpy()


def timing_features(rows: ByAccount, *, gap_classes: bool = False) -> dict[str, np.ndarray]:
    """Per active account (in ``rows.active`` order): counts, first and last time, active
    days and the busiest day, and the gap statistics (NaN where the account has no gap);
    with ``gap_classes`` also ``gap_entropy``."""
    n = len(rows.acc)
    starts, counts = rows.starts, rows.counts
    first = np.zeros(n, dtype=bool)
    first[starts] = True
    t = rows.t
    dq = np.diff(rows.tq, prepend=rows.tq[:1])
    dq[first] = 0
    # Seconds, as polars divides (it multiplies by the reciprocal); meaningless where ``first``.
    gap = (pl.Series(dq * rows.unit) / US_PER_S).to_numpy()
    n_gaps = counts - 1

    def per_account(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)

    with np.errstate(invalid="ignore", divide="ignore"):
        gap_mean = per_account(np.where(first, 0, _fixed(gap))) / SCALE / n_gaps
        mean_row = np.repeat(gap_mean, counts)
        term = (gap - mean_row) / mean_row
        np.minimum(term, 1e3, out=term)
        np.maximum(term, -1e3, out=term)
        term *= term
        term[first] = np.nan
        # Terms are NaN only for the first row and when every gap is 0 (mean 0).
        n_terms = np.where(gap_mean > 0, n_gaps, 0)
        cv2 = per_account(_fixed(term, CV_SCALE)) / CV_SCALE / n_terms
        rapid = per_account(~first & (gap < RAPID_GAP_S)) / n_gaps

    day = t // US_PER_DAY
    new_day = first.copy()
    new_day[1:] |= day[1:] != day[:-1]
    run_starts = np.flatnonzero(new_day)
    run_length = np.diff(np.append(run_starts, n))
    first_run = np.flatnonzero(first[run_starts])
    out = {
        "n_events": counts,
        "t_first": t[starts],
        "t_last": t[starts + counts - 1],
        "n_active_days": per_account(new_day),
        "peak_events_per_day": np.maximum.reduceat(run_length, first_run) if n else counts,
        "_gap_cv2": cv2,
        "median_gap_s": _median_gaps(rows, dq, first, n_gaps),
        "rapid_gap_share": rapid,
    }
    if gap_classes:
        out["gap_entropy"] = _gap_entropy(rows, gap, first)
    return out


def _median_gaps(rows: ByAccount, dq: np.ndarray, first: np.ndarray, n_gaps: np.ndarray) -> np.ndarray:
    """Median gap (s) per account, as polars' median (``lo + (hi - lo) * 0.5``); NaN for none."""
    shift = rows.shift
    keep = ~first
    key = pl.Series(rows.acc[keep] * shift + dq[keep]).sort().to_numpy()
    gaps = (pl.Series((key % shift) * rows.unit) / US_PER_S).to_numpy()
    offset = np.concatenate([[0], np.cumsum(n_gaps)[:-1]])
    has = n_gaps > 0
    lo = offset + np.maximum(n_gaps - 1, 0) // 2
    hi = offset + n_gaps // 2
    out = np.full(len(n_gaps), np.nan)
    out[has] = gaps[lo[has]] + (gaps[hi[has]] - gaps[lo[has]]) * 0.5
    return out


def _gap_entropy(rows: ByAccount, gap: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Entropy of the gap classes (``GAP_EDGES_S``) per account, normalised to [0, 1]."""
    n_classes = len(GAP_EDGES_S) + 1
    seg = np.repeat(np.arange(len(rows.starts)), rows.counts)
    keep = ~first
    counts = np.bincount(seg[keep] * n_classes + np.searchsorted(GAP_EDGES_S, gap[keep], side="right"),
                         minlength=len(rows.starts) * n_classes).reshape(-1, n_classes)
    return normalised_entropy(counts)


def normalised_entropy(counts: np.ndarray) -> np.ndarray:
    """Shannon entropy of each row of a count matrix over log(number of columns); 0 for
    empty rows and single-column matrices."""
    total = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = counts / total
        h = -np.where(counts > 0, p * np.log(p), 0.0).sum(axis=1)
    width = counts.shape[1]
    return np.nan_to_num(h / np.log(width)) if width > 1 else np.zeros(len(counts))


def hour_features(enc: EncodedEvents, n_events: np.ndarray) -> dict[str, np.ndarray]:
    """Hour-of-day entropy (normalised) and the busiest hour's share, per account code
    (``n_events`` per account code; accounts without events get NaN)."""
    hour = (enc.t // US_PER_HOUR) % 24
    counts = np.bincount(enc.acc * 24 + hour, minlength=enc.n_accounts * 24)
    cells = np.flatnonzero(counts)
    acc = cells // 24
    c = counts[cells]
    frame = pl.DataFrame({"c": c, "n": n_events[acc]}).select((pl.col("c") / pl.col("n")).alias("p"))
    p = frame["p"]
    terms = _fixed(p * p.log())
    starts = np.flatnonzero(np.diff(acc, prepend=-1))
    entropy = np.full(enc.n_accounts, np.nan)
    peak = np.full(enc.n_accounts, np.nan)
    if len(cells):
        sums = pl.Series(np.add.reduceat(terms, starts))
        entropy[acc[starts]] = (-(sums / SCALE) / np.log(24)).to_numpy()
        peak[acc[starts]] = np.maximum.reduceat(p.to_numpy(), starts)
    return {"hour_entropy": entropy, "peak_hour_share": peak}


__all__ = ["ByAccount", "hour_features", "normalised_entropy", "sort_by_account", "timing_features"]

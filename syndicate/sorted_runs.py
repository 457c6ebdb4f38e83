"""Runs of equal values in sorted (or grouped) arrays, and bit widths of packed integer keys.

The numpy building blocks that the link, cluster and feature stages share: they count, dedup
and group by sorting packed int64 keys and cutting the sorted array where the value changes.
"""

from __future__ import annotations

import numpy as np


def new_run(values: np.ndarray) -> np.ndarray:
    """Mask of the positions where a run of equal values starts (``values`` sorted or grouped).

    Examples
    --------
    >>> new_run(np.array([3, 3, 5, 7, 7])).tolist()
    [True, False, True, True, False]
    """
    new = np.empty(len(values), dtype=bool)
    new[:1] = True
    np.not_equal(values[1:], values[:-1], out=new[1:])
    return new


def run_starts(values: np.ndarray) -> np.ndarray:
    """Positions where a run of equal values starts in ``values`` (sorted, or grouped)."""
    return np.flatnonzero(new_run(values))


def pairs_within_runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs ``(i, j)``, ``i < j``, of every run of equal values (``values`` sorted or
    grouped), ordered by ``i`` then ``j``; vectorised, no loop over runs or pairs.

    Examples
    --------
    >>> i, j = pairs_within_runs(np.array([4, 4, 4, 9, 9]))
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1), (0, 2), (1, 2), (3, 4)]
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = run_starts(values)
    end = np.repeat(np.r_[starts[1:], n], np.diff(np.r_[starts, n]))
    n_later = end - np.arange(1, n + 1)
    first = np.repeat(np.arange(n), n_later)
    second = np.arange(len(first)) - np.repeat(np.cumsum(n_later) - n_later, n_later) + first + 1
    return first, second


def bit_width(max_value: int) -> int:
    """Bits that hold the integers ``0..max_value`` (at least one)."""
    return max(int(max_value).bit_length(), 1)


__all__ = ["bit_width", "new_run", "pairs_within_runs", "run_starts"]

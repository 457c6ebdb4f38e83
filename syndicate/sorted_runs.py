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


def rows_after_in_run(values: np.ndarray) -> np.ndarray:
    """For each row, how many later rows share its run (``values`` sorted or grouped).

    Examples
    --------
    >>> rows_after_in_run(np.array([4, 4, 4, 9, 9])).tolist()
    [2, 1, 0, 1, 0]
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, np.int64)
    starts = run_starts(values)
    after = np.repeat(np.r_[starts[1:], n], np.diff(np.r_[starts, n]))  # each row's run end
    after -= np.arange(1, n + 1)
    return after


def following_rows(rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``rows[i] + 1, ..., rows[i] + counts[i]`` for every i, concatenated (``rows`` in any
    order). One array built by a cumulative sum in place: a repeat plus an arange would hold
    three of its size.

    Examples
    --------
    >>> following_rows(np.array([3, 0, 5]), np.array([2, 1, 0])).tolist()
    [4, 5, 1]
    """
    later = np.ones(int(counts.sum()), dtype=np.int64)
    some = counts > 0
    first_row, n = rows[some] + 1, counts[some]
    # At the start of each row's block, jump from the previous block's last row to its first.
    jumps = first_row.astype(np.int64)
    jumps[1:] -= first_row[:-1] + n[:-1] - 1
    later[np.cumsum(n) - n] = jumps
    np.cumsum(later, out=later)
    return later


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
    n_later = rows_after_in_run(values)
    rows = np.arange(n)
    return np.repeat(rows, n_later), following_rows(rows, n_later)


def marked(n: int, *indices: np.ndarray) -> np.ndarray:
    """Mask of length ``n`` set at every position in any of ``indices`` (e.g. both ends of some
    edges): its set positions, ``np.flatnonzero``, come out sorted and distinct without a sort.

    Examples
    --------
    >>> marked(6, np.array([4, 1]), np.array([1, 2])).tolist()
    [False, True, True, False, True, False]
    """
    mask = np.zeros(n, dtype=bool)
    for index in indices:
        mask[index] = True
    return mask


def bit_width(max_value: int) -> int:
    """Bits that hold the integers ``0..max_value`` (at least one)."""
    return max(int(max_value).bit_length(), 1)


__all__ = ["bit_width", "following_rows", "marked", "new_run", "pairs_within_runs", "rows_after_in_run", "run_starts"]

"""The shared run helpers (syndicate/sorted_runs.py) against plain Python."""

import itertools

import numpy as np

from syndicate.sorted_runs import bit_width, following_rows, new_run, pairs_within_runs, rows_after_in_run, run_starts


def test_runs_and_pairs_match_a_plain_loop():
    rng = np.random.default_rng(5)
    for _ in range(30):
        values = np.sort(rng.integers(0, 6, rng.integers(0, 25)))
        starts = [i for i in range(len(values)) if i == 0 or values[i] != values[i - 1]]
        assert run_starts(values).tolist() == starts
        assert np.flatnonzero(new_run(values)).tolist() == starts
        expected = [(i, j) for i, j in itertools.combinations(range(len(values)), 2) if values[i] == values[j]]
        first, second = pairs_within_runs(values)
        assert list(zip(first.tolist(), second.tolist())) == expected
        after = [sum(values[j] == values[i] for j in range(i + 1, len(values))) for i in range(len(values))]
        assert rows_after_in_run(values).tolist() == after


def test_following_rows_match_a_plain_loop_for_rows_in_any_order():
    rng = np.random.default_rng(6)
    for _ in range(30):
        rows = rng.permutation(40)[: rng.integers(0, 12)]
        counts = rng.integers(0, 4, len(rows))
        expected = [r + k for r, c in zip(rows.tolist(), counts.tolist()) for k in range(1, c + 1)]
        assert following_rows(rows, counts).tolist() == expected


def test_bit_width():
    assert [bit_width(v) for v in (0, 1, 2, 255, 256)] == [1, 1, 2, 8, 9]

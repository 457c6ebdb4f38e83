"""Grouped stratified folds: groups never split, classes level across folds, seeded."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.risk.folds import grouped_stratified_folds


def test_singletons_are_dealt_evenly_per_class():
    y = np.array([1] * 23 + [0] * 51)
    folds = grouped_stratified_folds(y, np.arange(len(y)), n_folds=5, seed=0)
    for cls in (0, 1):
        per_fold = np.bincount(folds[y == cls], minlength=5)
        assert per_fold.max() - per_fold.min() <= 1


def test_groups_stay_whole_and_the_largest_go_to_different_folds():
    groups = np.array([0] * 30 + [1] * 30 + [2] * 30 + list(range(3, 63)))
    y = np.array([1] * 90 + [0] * 60)
    folds = grouped_stratified_folds(y, groups, n_folds=3, seed=1)
    for g in (0, 1, 2):
        assert len(set(folds[groups == g])) == 1
    assert len({folds[0], folds[30], folds[60]}) == 3
    # The singletons (all negative) level the folds' negatives.
    negatives = np.bincount(folds[y == 0], minlength=3)
    assert negatives.max() - negatives.min() <= 1


def test_same_seed_same_folds_and_another_seed_shuffles():
    y = np.tile([0, 1], 100)
    groups = np.arange(200) // 2
    a = grouped_stratified_folds(y, groups, n_folds=5, seed=3)
    b = grouped_stratified_folds(y, groups, n_folds=5, seed=3)
    c = grouped_stratified_folds(y, groups, n_folds=5, seed=4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 1)), min_size=5, max_size=200),
       st.integers(2, 6), st.integers(0, 10))
def test_every_row_gets_one_fold_and_no_group_is_split(rows, n_folds, seed):
    groups = np.array([g for g, _ in rows])
    y = np.array([label for _, label in rows])
    folds = grouped_stratified_folds(y, groups, n_folds=n_folds, seed=seed)
    assert folds.shape == y.shape
    assert folds.min() >= 0 and folds.max() < n_folds
    for g in np.unique(groups):
        assert len(np.unique(folds[groups == g])) == 1


def test_cluster_folds_are_scikit_learns_stratified_group_kfold_bit_for_bit():
    from sklearn.model_selection import StratifiedGroupKFold

    from syndicate.risk.folds import sklearn_stratified_group_folds

    for seed in range(40):
        rng = np.random.default_rng(seed)
        n, k = int(rng.integers(30, 400)), int(rng.integers(2, 7))
        # Mostly singletons plus some larger groups, as labelled clusters in components are.
        groups = np.where(rng.random(n) < 0.6, np.arange(n) + 10_000, rng.integers(0, max(n // 8, k), n))
        y = (rng.random(n) < rng.uniform(0.1, 0.5)).astype(int)
        if len(np.unique(groups)) < k or min(y.sum(), (1 - y).sum()) < k:
            continue
        expected = np.full(n, -1)
        splits = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=seed).split(np.zeros(n), y, groups)
        for fold, (_, test) in enumerate(splits):
            expected[test] = fold
        assert np.array_equal(sklearn_stratified_group_folds(y, groups, n_folds=k, seed=seed), expected)

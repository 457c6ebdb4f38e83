"""Reconciling graph groups with behaviour groups: known cases and partition properties."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from syndicate.cluster.reconcile import reconcile


def groups(mapping: dict[str, list[str]]) -> pl.DataFrame:
    rows = [(a, g) for g, members in mapping.items() for a in members]
    return pl.DataFrame(rows, schema={"account_id": pl.String, "group": pl.String}, orient="row")


def test_known_cases_for_found_by():
    graph = groups({"0": ["a", "b", "c"], "1": ["d", "e"], "2": ["f", "g"]})
    density = groups({
        "h0": ["a", "b", "x"],   # Jaccard 2/4 = 0.5 with "0": confirms it; x alone is dropped
        "h1": ["d", "y", "z", "w"],  # Jaccard 1/5 with "1": no match; y, z, w form a new group
        "h2": ["q"],             # a single leftover: below min_size
    })
    result = reconcile(graph, density)
    expected = pl.DataFrame({
        "account_id": ["a", "b", "c", "d", "e", "f", "g", "w", "y", "z"],
        "group": ["0", "0", "0", "1", "1", "2", "2", "h1", "h1", "h1"],
        "found_by": ["graph+hdbscan"] * 3 + ["graph"] * 4 + ["hdbscan"] * 3,
    })
    assert_frame_equal(result, expected)


def test_min_size_and_name_clashes():
    graph = groups({"h1": ["a", "b"]})
    density = groups({"1": ["c", "d"], "h1": ["e", "f", "g"]})
    result = reconcile(graph, density, min_size=3)
    # "h1" from density clashes with graph's "h1" and gets a prime; "1" has too few members.
    assert result.filter(pl.col("found_by") == "hdbscan")["group"].unique().to_list() == ["h1'"]
    assert reconcile(graph, density)["group"].n_unique() == 3
    with pytest.raises(ValueError, match="'min_size' parameter must be an int >= 1"):
        reconcile(graph, density, min_size=0)


def test_empty_inputs():
    empty = pl.DataFrame(schema={"account_id": pl.String, "group": pl.String})
    assert reconcile(empty, empty).columns == ["account_id", "group", "found_by"]
    assert reconcile(empty, groups({"h0": ["a", "b"]}))["found_by"].to_list() == ["hdbscan"] * 2
    assert reconcile(groups({"0": ["a", "b"]}), empty)["found_by"].to_list() == ["graph"] * 2


def partitions(prefix: str):
    """A random partition of a random subset of accounts a0..a19 into named groups."""
    return st.dictionaries(st.sampled_from([f"a{i}" for i in range(20)]),
                           st.integers(0, 4), max_size=20).map(
        lambda m: pl.DataFrame({"account_id": list(m), "group": [f"{prefix}{g}" for g in m.values()]},
                               schema={"account_id": pl.String, "group": pl.String}))


@settings(max_examples=150, deadline=None)
@given(partitions(""), partitions("h"), st.randoms(use_true_random=False))
def test_partition_properties(graph, density, rnd):
    result = reconcile(graph, density)
    # Every account at most once.
    assert result["account_id"].is_unique().all()
    # Graph groups are preserved exactly.
    kept = result.filter(pl.col("found_by") != "hdbscan").select("account_id", "group")
    assert_frame_equal(kept, graph.sort("account_id"), check_row_order=False)
    # New groups hold only accounts in no graph group, at least 2 each, named apart from graph's.
    new = result.filter(pl.col("found_by") == "hdbscan")
    assert not new["account_id"].is_in(graph["account_id"].implode()).any()
    assert (new.group_by("group").len()["len"] >= 2).all()
    assert not new["group"].is_in(graph["group"].implode()).any()
    # Independent of row order.
    order_g, order_d = list(range(graph.height)), list(range(density.height))
    rnd.shuffle(order_g)
    rnd.shuffle(order_d)
    assert_frame_equal(reconcile(graph[order_g], density[order_d]), result)

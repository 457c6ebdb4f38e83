"""Integer account codes (link/codes.py) and the link stages that run on them."""

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.link.codes import AccountIndex, with_ids
from syndicate.link.combine import combine_edges
from syndicate.link.identity import identity_links
from syndicate.link.lockstep import lockstep_links


def test_codes_follow_the_sorted_order_of_the_ids():
    ids = pl.Series(["u10", "u2", "é", "U1", "u1", "a b", "u1"])
    index = AccountIndex.of(ids)
    assert index.ids.to_list() == sorted(set(ids.to_list()))
    codes = index.codes(ids)
    # Comparing codes is comparing ids: a < b in codes exactly when a < b as strings.
    values = ids.to_list()
    for i in range(len(values)):
        for j in range(len(values)):
            assert (codes[i] < codes[j]) == (values[i] < values[j])
    assert index.gather(codes).to_list() == values


def test_an_id_outside_the_index_is_an_error_naming_it():
    index = AccountIndex.of(pl.Series(["a", "b"]))
    with pytest.raises(ValueError, match=r"1 account id\(s\) are not in the account index.*'zz'"):
        index.codes(pl.Series(["a", "zz"]))
    with pytest.raises(ValueError, match="not in the account index"):
        index.codes(pl.Series(["a", None]))


def test_the_exact_fallback_gives_the_same_codes_as_the_hash_lookup():
    ids = pl.Series([f"acct-{i}" for i in range(500)])
    hashed = AccountIndex.of(ids)
    exact = AccountIndex(ids=hashed.ids, lookup=None)  # as when two ids' hashes collide
    sample = ids.sample(200, seed=3, with_replacement=True)
    np.testing.assert_array_equal(hashed.codes(sample), exact.codes(sample))


def test_combine_on_codes_equals_combine_on_ids():
    index = AccountIndex.of(pl.Series([f"u{i}" for i in range(40)]))

    def table(column, n, seed):
        r = np.random.default_rng(seed)
        a, b = r.integers(0, 40, n), r.integers(0, 40, n)
        frame = pl.DataFrame({"account_a": np.minimum(a, b).astype(np.uint32),
                              "account_b": np.maximum(a, b).astype(np.uint32)})
        frame = frame.filter(pl.col("account_a") < pl.col("account_b")).unique().sort("account_a", "account_b")
        return frame.with_columns(pl.Series(column, r.random(frame.height), dtype=pl.Float32))

    coded = [table("device", 80, 1), table("ip", 80, 2), table("lockstep", 30, 3)
             .with_columns(lockstep_bursts=pl.lit(3, dtype=pl.UInt32))]
    by_codes = with_ids(combine_edges(*coded), index)
    by_ids = combine_edges(*[with_ids(t, index) for t in coded])
    assert_frame_equal(by_codes, by_ids)


def test_identity_and_lockstep_give_the_same_edges_with_a_wider_index():
    t0 = datetime(2026, 1, 1)
    sig = pl.DataFrame({"account_id": ["b", "c", "d", "c"], "kind": ["device", "device", "ip", "ip"],
                        "value": ["d1", "d1", "i1", "i1"]})
    ev = pl.DataFrame({"account_id": ["b", "c"] * 6, "action": "like",
                       "target_id": [f"t{i // 2}" for i in range(12)],
                       "ts": [t0 + timedelta(hours=i // 2, seconds=10 * (i % 2)) for i in range(12)]})
    wide = AccountIndex.of(pl.Series(["a", "b", "c", "d", "e"]))  # the dataset's accounts
    assert_frame_equal(identity_links(sig, index=wide).edges, identity_links(sig).edges)
    assert_frame_equal(lockstep_links(ev, index=wide).edges, lockstep_links(ev).edges)
    assert lockstep_links(ev, index=wide).info["accounts"] == 2


def test_combine_refuses_codes_mixed_with_ids():
    coded = pl.DataFrame({"account_a": [0], "account_b": [1], "ip": [0.5]},
                         schema={"account_a": pl.UInt32, "account_b": pl.UInt32, "ip": pl.Float32})
    named = pl.DataFrame({"account_a": ["a"], "account_b": ["b"], "device": [0.5]})
    with pytest.raises(ValueError, match="mix account codes"):
        combine_edges(coded, named)


def test_codes_follow_an_edge_table_that_was_replaced():
    import dataclasses

    import syndicate.api as api
    from syndicate.io import load_dataset

    dataset = load_dataset("fixtures/tiny")
    links = api.build_links("fixtures/tiny")
    members = api.find_clusters(links, dataset)
    expected = api.cluster_features(dataset, members, links)
    # Reordered edges: the features are the same, not read from another cluster's edges.
    reordered = dataclasses.replace(links, edges=links.edges.reverse())
    assert_frame_equal(api.cluster_features(dataset, members, reordered), expected)
    # Filtered edges: clustering still runs, on the codes of the rows kept.
    kept = dataclasses.replace(links, edges=links.edges.filter(pl.col("weight") >= 0.5))
    assert kept.edge_codes().height == kept.edges.height
    api.find_clusters(kept, dataset)

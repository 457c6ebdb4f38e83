"""Cluster ids carried over between runs: lineage states, dissolved clusters, determinism."""

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from syndicate.cluster.lineage import LINEAGE_STATES, assign_cluster_ids, content_cluster_ids


def groups(**named: str) -> pl.DataFrame:
    """groups(g1="abc", g2="de") -> account_id, group with one account per letter."""
    rows = [(account, name) for name, accounts in named.items() for account in accounts]
    return pl.DataFrame(rows, schema={"account_id": pl.String, "group": pl.String}, orient="row")


def previous(**clusters: str) -> pl.DataFrame:
    return groups(**clusters).rename({"group": "cluster_id"})


def status(lineage, accounts: str) -> dict:
    """The lineage row of the cluster that holds ``accounts[0]``."""
    cluster_id = lineage.members.filter(pl.col("account_id") == accounts[0])["cluster_id"][0]
    return lineage.clusters.filter(pl.col("cluster_id") == cluster_id).row(0, named=True)


def test_first_run_every_cluster_is_new_with_content_ids():
    now = groups(g1="abc", g2="xy")

    result = assign_cluster_ids(now)

    expected = content_cluster_ids(now)
    assert_frame_equal(result.members, expected)
    assert result.clusters["lineage"].to_list() == ["new", "new"]
    assert result.clusters["previous_id"].null_count() == 2
    assert result.dissolved.height == 0


def test_same_membership_keeps_ids_and_persists():
    first = assign_cluster_ids(groups(g1="abc", g2="xy"))

    # Same memberships under other group labels and row order.
    again = assign_cluster_ids(groups(z="yx", w="cba"), first.members)

    assert_frame_equal(again.members, first.members)
    assert again.clusters["lineage"].to_list() == ["persisting", "persisting"]
    assert again.dissolved.height == 0


def test_grown_and_shrunk_keep_their_ids():
    prev = previous(P="abcd", Q="wxyz")

    result = assign_cluster_ids(groups(g1="abcdef", g2="wxy"), prev)

    grown, shrunk = status(result, "a"), status(result, "w")
    assert (grown["cluster_id"], grown["lineage"], grown["previous_size"]) == ("P", "grown", 4)
    assert (shrunk["cluster_id"], shrunk["lineage"], shrunk["previous_size"]) == ("Q", "shrunk", 4)


def test_merge_keeps_the_id_of_the_larger_overlap_and_names_the_sources():
    prev = previous(P="abcd", Q="xyz")

    result = assign_cluster_ids(groups(g="abcdxyz"), prev)

    row = status(result, "a")
    assert (row["cluster_id"], row["lineage"]) == ("P", "merged")
    assert row["previous_ids"] == ["P", "Q"]
    assert result.dissolved.height == 0  # Q went into P: merged, not dissolved


def test_split_largest_piece_keeps_the_id_other_pieces_name_the_parent():
    prev = previous(P="abcdefg")

    result = assign_cluster_ids(groups(big="defg", small="abc"), prev)

    big, small = status(result, "d"), status(result, "a")
    assert (big["cluster_id"], big["lineage"]) == ("P", "split")
    assert small["lineage"] == "split" and small["previous_id"] == "P"
    assert small["cluster_id"] != "P"


def test_new_ids_never_reuse_a_previous_id():
    # The small piece holds the parent's smallest account, whose content hash is the parent's id.
    first = assign_cluster_ids(groups(g="abcdefg"))
    parent = first.members["cluster_id"][0]

    result = assign_cluster_ids(groups(big="cdefg", small="ab"), first.members)

    ids = result.clusters["cluster_id"].to_list()
    assert status(result, "c")["cluster_id"] == parent
    assert len(set(ids)) == 2 and ids.count(parent) == 1


def test_dissolved_clusters_are_listed_with_what_is_left_of_them():
    prev = previous(P="abc", Q="wxyz")

    # Q: only w is still clustered, inside an unrelated large cluster -> Q dissolved.
    result = assign_cluster_ids(groups(g1="abc", g2="wmnopqrs"), prev)

    expected = pl.DataFrame({"cluster_id": ["Q"], "previous_size": [4], "still_clustered": [1]},
                            schema={"cluster_id": pl.String, "previous_size": pl.UInt32,
                                    "still_clustered": pl.UInt32})
    assert_frame_equal(result.dissolved, expected)
    assert status(result, "w")["lineage"] == "new"


def test_one_account_moving_between_large_clusters_relates_nothing():
    prev = previous(P="abcdefghij")

    result = assign_cluster_ids(groups(g="aklmnopqrs"), prev)

    assert status(result, "a")["lineage"] == "new"
    assert result.dissolved["cluster_id"].to_list() == ["P"]


def test_relabel_maps_group_labels_to_ids():
    result = assign_cluster_ids(groups(g1="abc"), previous(P="abc"))
    meta = pl.DataFrame({"cluster_id": ["g1"], "found_by": ["graph"]})

    assert result.relabel(meta).to_dicts() == [{"cluster_id": "P", "found_by": "graph"}]


def test_min_share_is_validated():
    with pytest.raises(ValueError, match="'min_share' parameter must be a float in"):
        assign_cluster_ids(groups(g="ab"), min_share=0)


letters = st.lists(st.sampled_from("abcdefghijklmnop"), min_size=2, max_size=16, unique=True)


@settings(max_examples=60, deadline=None)
@given(now_accounts=letters, prev_accounts=letters, cut=st.integers(1, 8), seed=st.randoms())
def test_ids_are_unique_cover_every_account_and_ignore_row_order(now_accounts, prev_accounts, cut, seed):
    now = pl.DataFrame({"account_id": now_accounts,
                        "group": [i * 2 // max(cut, 1) % 3 for i in range(len(now_accounts))]})
    prev = pl.DataFrame({"account_id": prev_accounts,
                         "cluster_id": [f"P{i % 2}" for i in range(len(prev_accounts))]})

    result = assign_cluster_ids(now, prev)
    order = list(range(now.height))
    seed.shuffle(order)
    shuffled = assign_cluster_ids(now[order].with_columns(pl.col("group") + 10), prev.reverse())

    assert_frame_equal(result.members, shuffled.members)
    assert sorted(result.members["account_id"]) == sorted(now_accounts)
    assert result.clusters["cluster_id"].is_unique().all()
    assert set(result.clusters["lineage"]) <= set(LINEAGE_STATES)
    kept = set(result.clusters["cluster_id"]) & set(prev["cluster_id"])
    assert kept.isdisjoint(result.dissolved["cluster_id"])

"""The review-ring detector's groups put back together after the graph cuts (cluster/rings.py)."""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.cluster.rings import rejoin_rings
from syndicate.cluster.takeover import join_units


def _groups(assignment: dict[str, list[int]]) -> tuple[pl.DataFrame, np.ndarray]:
    """``account_id, group`` for accounts a00.. in the given groups, and their codes."""
    rows = [(f"a{code:02d}", group) for group, codes in assignment.items() for code in codes]
    frame = pl.DataFrame(rows, schema={"account_id": pl.String, "group": pl.String}, orient="row")
    return frame, np.array([int(a[1:]) for a in frame["account_id"]])


def test_a_shattered_ring_is_joined_and_its_neighbours_left_alone():
    ring_of = np.full(40, -1)
    ring_of[:12] = 7  # one detector group of twelve
    groups, codes = _groups({
        "g1": [0, 1, 2, 3, 4],            # pieces of the ring: 5, 4 and 3 of its 12
        "g2": [5, 6, 7, 8],
        "g3": [9, 10, 11, 20],          # 3 of 4 in the ring: a piece with a stranger
        "g4": [20 + i for i in range(1, 9)],  # a household
    })
    out, joined = rejoin_rings(groups, ring_of, codes)
    by = dict(zip(out["account_id"], out["group"]))
    assert {by[f"a{c:02d}"] for c in range(12)} == {"g1"}
    assert by["a20"] == "g1"  # came with its piece
    assert {by[f"a{c:02d}"] for c in range(21, 29)} == {"g4"}
    assert out["account_id"].to_list() == groups["account_id"].to_list()  # rows kept in order
    assert sorted(joined["account_id"]) == sorted([f"a{c:02d}" for c in range(12)] + ["a20"])


def test_what_is_not_joined():
    ring_of = np.full(40, -1)
    ring_of[:10] = 1
    ring_of[10:20] = 2
    ring_of[20:30] = 3
    groups, codes = _groups({
        # ring 1: one piece holds half of its detector group: the cuts took off the rest
        "a": [0, 1, 2, 3, 4], "b": [5, 6, 7],
        # ring 2: its members are a minority of the groups they are in (a household each)
        "c": [10, 11, 30, 31, 32], "d": [12, 13, 33, 34, 35],
        # ring 3: pieces of one account (the fringe peeled them off) are no fragments
        "e": [20, 21, 22, 23], "f": [24], "g": [25], "h": [26, 27, 28, 29],
    })
    out, joined = rejoin_rings(groups, ring_of, codes)
    by = dict(zip(out["account_id"], out["group"]))
    assert by["a05"] == "b" and by["a00"] == "a"
    assert by["a10"] == "c" and by["a12"] == "d"
    # ring 3's two pieces of four (40% each) are joined; its lone members stay alone
    assert {by[f"a{c:02d}"] for c in (20, 21, 26, 27)} == {"e"}
    assert by["a24"] == "f" and by["a25"] == "g"
    assert set(joined["ring"]) == {"e"}


def test_nothing_to_join():
    groups, codes = _groups({"g1": [0, 1, 2], "g2": [3, 4]})
    for ring_of in (None, np.full(5, -1)):
        out, joined = rejoin_rings(groups, ring_of, codes)
        assert out.equals(groups) and joined.height == 0


def test_the_order_of_rows_does_not_change_the_groups():
    ring_of = np.full(20, -1)
    ring_of[:9] = 0
    groups, codes = _groups({"x": [0, 1, 2], "y": [3, 4, 5, 10], "z": [6, 7, 8, 11]})
    out, _ = rejoin_rings(groups, ring_of, codes)
    shuffled = groups.sample(fraction=1.0, shuffle=True, seed=3)
    again, _ = rejoin_rings(shuffled, ring_of, np.array([int(a[1:]) for a in shuffled["account_id"]]))
    assert dict(zip(out["account_id"], out["group"])) == dict(zip(again["account_id"], again["group"]))
    assert set(out["group"]) == {"x"}


def test_the_cross_validation_units_of_a_joined_ring_become_one():
    units = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e"], "component": [1, 1, 2, 3, 4]})
    joined = pl.DataFrame({"account_id": ["a", "c", "d"], "ring": ["g1", "g1", "g1"]})
    got = join_units(units, joined, "ring")
    assert got["component"].to_list() == [1, 1, 1, 1, 4]


def test_a_ring_half_held_by_a_mixed_group_is_not_joined():
    """Half of the detector's group sits in a group where it is not the majority (it met the
    household's reviewers): the two small pieces are what the cuts took off, not a ring in
    pieces."""
    ring_of = np.full(30, -1)
    ring_of[:10] = 4
    groups, codes = _groups({"big": [0, 1, 2, 3, 4, 20, 21, 22, 23, 24, 25], "p": [5, 6], "q": [7, 8]})
    out, joined = rejoin_rings(groups, ring_of, codes)
    assert out.equals(groups) and joined.height == 0


def test_a_joined_group_has_one_found_by():
    from syndicate.cluster.rings import joined_found_by

    found = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e", "f"],
                          "group": ["g1", "g1", "g1", "g1", "g2", "g3"],
                          "found_by": ["graph", "graph", "coaction", "coaction", "coaction", "graph"]})
    joined = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "ring": ["g1"] * 4})
    got = joined_found_by(found, joined)
    assert got["found_by"].to_list() == ["graph+coaction"] * 4 + ["coaction", "graph"]
    assert joined_found_by(found, joined.clear()).equals(found)

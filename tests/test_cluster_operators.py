"""Operators carved out of co-action crowds (cluster/operators.py)."""

from __future__ import annotations

import itertools

import numpy as np
import polars as pl
import pytest

from syndicate.cluster.operators import carve_operators, identity_evidence

BAR = 0.2


def _crowd(n_crowd: int = 120, n_bots: int = 10, *, bots_to_crowd: float = 0.02, seed: int = 0,
           bot_kind: str = "device") -> pl.DataFrame:
    """A lockstep crowd (every pair strongly linked with probability 0.5) holding a net of bots
    that share ``bot_kind`` values among themselves and meet the crowd on a ``bots_to_crowd``
    share of the pairs."""
    rng = np.random.default_rng(seed)
    crowd = [f"c{i:03d}" for i in range(n_crowd)]
    bots = [f"b{i:02d}" for i in range(n_bots)]
    rows = [(a, b, 0.3, 0.0) for a, b in itertools.combinations(crowd, 2) if rng.random() < 0.5]
    rows += [(a, b, 0.6, 0.9) for a, b in itertools.combinations(bots, 2)]
    rows += [(min(a, b), max(a, b), 0.3, 0.0) for a in bots for b in crowd if rng.random() < bots_to_crowd]
    frame = pl.DataFrame(rows, schema=["account_a", "account_b", "lockstep", bot_kind], orient="row")
    return frame.with_columns(weight=pl.max_horizontal("lockstep", bot_kind)).sort("account_a", "account_b")


def _one_group(edges: pl.DataFrame) -> pl.DataFrame:
    ids = pl.concat([edges["account_a"], edges["account_b"]]).unique().sort()
    return pl.DataFrame({"account_id": ids, "group": "7"})


def _carve(edges: pl.DataFrame, **kw) -> dict[str, list[str]]:
    kw = {"min_edge_weight": BAR, "above": 100, "min_size": 2} | kw
    out = carve_operators(_one_group(edges), edges, **kw)
    return {g: sorted(ids) for g, ids in out.group_by("group").agg("account_id").rows()}


def test_a_net_bound_by_devices_apart_from_its_crowd_is_carved():
    edges = _crowd()
    groups = _carve(edges)
    bots = [f"b{i:02d}" for i in range(10)]
    assert len(groups) == 2 and bots in groups.values()
    carved = next(g for g, ids in groups.items() if ids == bots)
    crowd = next(g for g, ids in groups.items() if ids != bots)
    assert carved.startswith("7/") and crowd.startswith("7/-") and len(groups[crowd]) == 120


def test_a_net_that_bridged_two_crowds_leaves_two():
    # Two crowds of 60 that meet only through the net: carved out, the net leaves two groups.
    left, right = _crowd(60, 10, bots_to_crowd=0.0, seed=1), _crowd(60, 0, seed=2)
    right = right.with_columns(pl.col("account_a", "account_b").str.replace("^c", "d"))
    bridge = pl.DataFrame({"account_a": ["b00", "b01"], "account_b": ["c000", "d000"], "lockstep": [0.3, 0.3],
                           "device": [0.0, 0.0], "weight": [0.3, 0.3]})
    edges = pl.concat([left, right.select(left.columns), bridge.select(left.columns)]).sort("account_a", "account_b")
    groups = _carve(edges)
    assert sorted(len(ids) for ids in groups.values()) == [10, 60, 60]
    assert {ids[0][0] for g, ids in groups.items() if len(ids) == 60} == {"c", "d"}


def test_a_part_as_bound_to_the_crowd_as_the_crowd_is_to_itself_stays():
    # Workers of one farm who share a proxy now and then: as densely linked to the rest as the
    # rest is among itself (half of the pairs).
    groups = _carve(_crowd(bots_to_crowd=0.5))
    assert list(groups) == ["7"]


def test_small_groups_groups_bound_by_identifiers_and_shared_properties_are_left():
    edges = _crowd()
    assert list(_carve(edges, above=200)) == ["7"]  # not larger than the split bar
    # A group whose strong links mostly carry an identifier is an operator's, not a crowd.
    bound = edges.with_columns(device=pl.lit(0.5))
    assert list(_carve(bound)) == ["7"]
    # A shared property (a phone model) binds no one: nothing to carve.
    assert list(_carve(_crowd(bot_kind="device_model"))) == ["7"]
    assert list(_carve(_crowd(), properties=("device",))) == ["7"]


def test_identity_evidence_is_the_noisy_or_of_identifier_kinds_only():
    edges = pl.DataFrame({"account_a": ["a"], "account_b": ["b"], "weight": [0.9], "lockstep": [0.9],
                          "rare_coaction": [0.5], "given": [0.5], "device": [0.5], "ip": [0.5],
                          "email_domain": [0.9]})
    value = identity_evidence(edges)[0]
    assert value == pytest.approx(0.75)
    assert identity_evidence(edges, ("device",))[0] == pytest.approx(0.5)


def test_the_result_does_not_depend_on_row_order():
    edges = _crowd(seed=3)
    shuffled = edges.sample(fraction=1.0, shuffle=True, seed=1)
    kw = {"min_edge_weight": BAR, "above": 100, "min_size": 2}
    a = carve_operators(_one_group(edges), edges, **kw)
    b = carve_operators(_one_group(edges).reverse(), shuffled, **kw)
    assert a.sort("account_id").equals(b.sort("account_id"))

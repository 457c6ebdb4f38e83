import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st
from polars.testing import assert_frame_equal

from syndicate.cluster.components import strong_components
from syndicate.cluster.fringe import _two_core, peel_hangers
from syndicate.config import Config
from syndicate.link.codes import AccountIndex
from syndicate.pipeline import cluster


def _edges(pairs, weight=0.9):
    return pl.DataFrame({"account_a": [min(p) for p in pairs], "account_b": [max(p) for p in pairs],
                         "weight": [float(weight)] * len(pairs)})


def _clique(prefix, n):
    return [(f"{prefix}{i}", f"{prefix}{j}") for i in range(n) for j in range(i + 1, n)]


def _groups(edges):
    comps = strong_components(edges, min_edge_weight=0.2)
    return comps.select("account_id", pl.col("component").cast(pl.String).alias("group"))


def _members(groups):
    return {tuple(sorted(m)) for m in groups.group_by("group").agg("account_id")["account_id"].to_list()}


def test_an_operators_core_sheds_the_chain_that_one_ip_hung_on_it():
    # Eight accounts on the operator's phones (a clique); one proxy IP it shared with a
    # household (h0), whose own home IP links h1, whose neighbour n0 shares one more.
    operator = _clique("o", 8)
    chain = [("o0", "h0"), ("h0", "h1"), ("h1", "n0")]
    e = pl.concat([_edges(operator), _edges(chain, weight=0.5)])
    groups = peel_hangers(_groups(e), e, min_edge_weight=0.2)
    members = _members(groups)
    assert tuple(f"o{i}" for i in range(8)) in members
    # The chain keeps what links it: one group of three, as it would be without the proxy IP.
    assert ("h0", "h1", "n0") in members
    assert groups.height == 11 and groups["account_id"].is_unique().all()


def test_a_member_with_one_strong_link_and_weak_ones_to_the_group_stays():
    # A farm worker on one shared proxy IP with one member and weak co-action links to two
    # others: three links inside, it belongs.
    farm = _clique("f", 6)
    e = pl.concat([_edges(farm), _edges([("f0", "w")], weight=0.5), _edges([("f1", "w"), ("f2", "w")], weight=0.05)])
    groups = peel_hangers(_groups(e), e, min_edge_weight=0.2)
    assert _members(groups) == {tuple(sorted([f"f{i}" for i in range(6)] + ["w"]))}


def test_pairs_chains_and_stars_without_a_core_stay_whole():
    # No 2-core of three: a pair, a chain of four, a star of five.
    e = _edges([("a", "b"), ("c", "d"), ("d", "e"), ("e", "f"), ("s", "t1"), ("s", "t2"), ("s", "t3"), ("s", "t4")])
    groups = _groups(e)
    assert_frame_equal(peel_hangers(groups, e, min_edge_weight=0.2).sort("account_id"), groups.sort("account_id"))


def test_a_lone_hanger_is_left_in_a_group_of_its_own():
    e = pl.concat([_edges(_clique("o", 4)), _edges([("o0", "x")], weight=0.5)])
    groups = peel_hangers(_groups(e), e, min_edge_weight=0.2)
    assert ("x",) in _members(groups)


def test_coded_edges_give_the_same_groups_as_ids():
    operator = _clique("o", 6)
    chain = [("o0", "h0"), ("h0", "h1"), ("o3", "z")]
    e = pl.concat([_edges(operator), _edges(chain, weight=0.5), _edges([("q", "r")], weight=0.05)])
    # A run's index holds every account, not only the edges' ends.
    index = AccountIndex.of(pl.concat([e["account_a"], e["account_b"], pl.Series(["aa", "zz", "m1"])]))
    coded = e.with_columns(*(pl.Series(s, index.codes(e[s]), dtype=pl.UInt32) for s in ("account_a", "account_b")))
    by_ids = peel_hangers(_groups(e), e, min_edge_weight=0.2)
    by_codes = peel_hangers(_groups(e), coded, min_edge_weight=0.2, ids=index.ids)
    assert _members(by_ids) == _members(by_codes) and ("h0", "h1") in _members(by_ids)
    with pytest.raises(ValueError, match="ids"):
        peel_hangers(_groups(e), coded, min_edge_weight=0.2)


def test_a_group_member_that_is_no_edge_end_is_an_error():
    e = _edges(_clique("o", 4))
    groups = pl.concat([_groups(e), pl.DataFrame({"account_id": ["ghost"], "group": ["0"]})])
    with pytest.raises(ValueError, match=r"1 group members .*ghost"):
        peel_hangers(groups, e, min_edge_weight=0.2)


def test_an_operators_chain_of_personal_identifiers_stays_whole():
    # Three accounts on one phone (device), the third's card on a fourth, whose phone number is
    # on a fifth: a thin chain, but of one operator's identifiers. The same chain over a proxy
    # IP and an address is what strangers share, and goes.
    e = pl.DataFrame({"account_a": ["a1", "a1", "a2", "a3", "a4"], "account_b": ["a2", "a3", "a3", "a4", "a5"],
                      "weight": [0.9, 0.9, 0.9, 0.8, 0.8], "device": [0.9, 0.9, 0.9, 0.0, 0.0],
                      "card_hash": [0.0, 0.0, 0.0, 0.8, 0.0], "msisdn": [0.0, 0.0, 0.0, 0.0, 0.8],
                      "ip": [0.0] * 5, "address": [0.0] * 5})
    assert _members(peel_hangers(_groups(e), e, min_edge_weight=0.2)) == {("a1", "a2", "a3", "a4", "a5")}
    strangers = e.with_columns(card_hash=pl.lit(0.0), msisdn=pl.lit(0.0), ip=pl.Series([0.0, 0.0, 0.0, 0.8, 0.0]),
                               address=pl.Series([0.0, 0.0, 0.0, 0.0, 0.8]))
    assert _members(peel_hangers(_groups(strangers), strangers, min_edge_weight=0.2)) == {("a1", "a2", "a3"),
                                                                                           ("a4", "a5")}


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)).filter(lambda p: p[0] != p[1]),
                      min_size=1, max_size=90, unique_by=lambda p: (min(p), max(p))))
def test_the_two_core_is_igraphs_and_the_peel_ignores_row_order(pairs):
    import igraph as ig

    a = np.array([min(p) for p in pairs], dtype=np.uint32)
    b = np.array([max(p) for p in pairs], dtype=np.uint32)
    graph = ig.Graph(n=31, edges=list(zip(a.tolist(), b.tolist())))
    expected = (np.asarray(graph.coreness()) >= 2) & (np.asarray(graph.degree()) > 0)
    assert (_two_core(a, b, 31) == expected).all()
    e = _edges([(f"n{x:02d}", f"n{y:02d}") for x, y in pairs], weight=0.5)
    groups = _groups(e)
    once = _members(peel_hangers(groups, e, min_edge_weight=0.2))
    shuffled = peel_hangers(groups.reverse(), e.reverse(), min_edge_weight=0.2)
    assert _members(shuffled) == once
    assert sorted(shuffled["account_id"]) == sorted(groups["account_id"])  # nobody lost or doubled


def test_the_cluster_stage_peels_unless_told_not_to():
    e = pl.concat([_edges(_clique("o", 8)), _edges([("o0", "h0"), ("h0", "h1"), ("h1", "n0"), ("n0", "n1")], weight=0.5)])
    members, _ = cluster(e, Config())
    sizes = sorted(members.group_by("cluster_id").len()["len"].to_list())
    assert sizes == [4, 8]
    off = Config().replace(cluster=Config().cluster.__class__(peel_hangers=False))
    members, _ = cluster(e, off)
    assert members["cluster_id"].n_unique() == 1 and members.height == 12

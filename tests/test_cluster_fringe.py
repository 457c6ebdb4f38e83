import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st
from polars.testing import assert_frame_equal

from syndicate.cluster.components import strong_components
from syndicate.cluster.fringe import _two_core, cut_bridges, peel_hangers, shed_appendages
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


def _kinds(e, kind_of):
    """``e`` with one evidence column per kind: each link's weight under its kind
    (``kind_of["a-b"]``, else ``ip``)."""
    of = [kind_of.get(f"{a}-{b}", "ip") for a, b in zip(e["account_a"], e["account_b"])]
    return e.with_columns(pl.Series(k, [w if o == k else 0.0 for w, o in zip(e["weight"], of)]) for k in sorted(set(of)))


def test_a_ring_hanging_on_a_farm_by_one_link_is_cut_off_unless_the_link_is_personal():
    # A review ring of five (rare co-action among all) and a crew of six on proxy IPs; one
    # ring member met one worker on a rare target once.
    e = pl.concat([_edges(_clique("r", 5), weight=0.5), _edges(_clique("w", 6), weight=0.4),
                   _edges([("r0", "w0")], weight=0.5)])
    e = _kinds(e, {"r0-w0": "rare_coaction"})
    cut = cut_bridges(_groups(e), e, min_edge_weight=0.2)
    assert _members(cut) == {tuple(f"r{i}" for i in range(5)), tuple(f"w{i}" for i in range(6))}
    assert cut["account_id"].to_list() == _groups(e)["account_id"].to_list()  # rows in their order
    # The same link as a shared card: one operator's two phones, joined by its card.
    card = _kinds(e.drop("rare_coaction", "ip"), {"r0-w0": "card_hash"})
    assert _members(cut_bridges(_groups(card), card, min_edge_weight=0.2)) == {
        tuple(sorted([f"r{i}" for i in range(5)] + [f"w{i}" for i in range(6)]))}


def test_no_cut_where_one_side_has_no_cycle_or_two_links_cross():
    # A tail (a chain, no cycle) on a clique stays; two cliques joined by two links stay.
    tail = _edges(_clique("o", 4) + [("o0", "t0"), ("t0", "t1")], weight=0.5)
    twice = _edges(_clique("a", 4) + _clique("b", 4) + [("a0", "b0"), ("a1", "b1")], weight=0.5)
    for e in (tail, twice):
        groups = _groups(e)
        assert_frame_equal(cut_bridges(groups, e, min_edge_weight=0.2), groups)


def test_weak_links_do_not_count_as_a_second_crossing_and_chains_of_clumps_come_apart():
    # Three cliques in a row, each joined to the next by one strong link, plus a weak link
    # (under the bar) from the first to the second: three groups.
    e = pl.concat([_edges(_clique("a", 3) + _clique("b", 4) + _clique("c", 3) + [("a0", "b0"), ("b1", "c0")], weight=0.5),
                   _edges([("a1", "b2")], weight=0.05)])
    assert _members(cut_bridges(_groups(e), e, min_edge_weight=0.2)) == {
        ("a0", "a1", "a2"), ("b0", "b1", "b2", "b3"), ("c0", "c1", "c2")}


def test_bridges_cut_by_codes_as_by_ids():
    e = _edges(_clique("r", 4) + _clique("w", 5) + [("r0", "w0"), ("w1", "z")], weight=0.5)
    index = AccountIndex.of(pl.concat([e["account_a"], e["account_b"], pl.Series(["aa", "zz"])]))
    coded = e.with_columns(*(pl.Series(s, index.codes(e[s]), dtype=pl.UInt32) for s in ("account_a", "account_b")))
    by_ids = cut_bridges(_groups(e), e, min_edge_weight=0.2)
    assert _members(by_ids) == _members(cut_bridges(_groups(e), coded, min_edge_weight=0.2, ids=index.ids))
    assert ("w0", "w1", "w2", "w3", "w4", "z") in _members(by_ids)


@settings(max_examples=80, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 14), st.integers(0, 14)).filter(lambda p: p[0] != p[1]),
                      min_size=1, max_size=40, unique_by=lambda p: (min(p), max(p))))
def test_bridge_cuts_match_a_brute_force_reading_of_the_rule(pairs):
    import networkx as nx

    links = sorted({(min(p), max(p)) for p in pairs})
    graph = nx.Graph(links)

    def cyclic(side):
        return len(side) >= 3 and graph.subgraph(side).number_of_edges() >= len(side)  # not a tree

    cut = []
    for u, v in nx.bridges(graph):
        rest = graph.copy()
        rest.remove_edge(u, v)
        side_u, side_v = nx.node_connected_component(rest, u), nx.node_connected_component(rest, v)
        if cyclic(side_u) and cyclic(side_v):
            cut.append((u, v))
    expected_graph = graph.copy()
    expected_graph.remove_edges_from(cut)
    expected = {tuple(sorted(f"n{x:02d}" for x in c)) for c in nx.connected_components(expected_graph)}
    e = _edges([(f"n{x:02d}", f"n{y:02d}") for x, y in links], weight=0.5)
    groups = _groups(e)
    assert _members(cut_bridges(groups, e, min_edge_weight=0.2)) == expected
    assert _members(cut_bridges(groups.reverse(), e.reverse(), min_edge_weight=0.2)) == expected


def test_a_chain_of_cards_is_no_cycle_and_loose_members_follow_their_weak_links():
    # A crew of five on proxy IPs; one IP link to p0, whose card chain p0-p1-p2 has no cycle:
    # nothing is cut (the chain's side holds no cycle of its own).
    e = pl.concat([_edges(_clique("w", 5), weight=0.5), _edges([("w0", "p0")], weight=0.5),
                   _edges([("p0", "p1"), ("p1", "p2")], weight=0.9)])
    e = _kinds(e, {"p0-p1": "payment", "p1-p2": "payment"})
    groups = _groups(e)
    assert_frame_equal(cut_bridges(groups, e, min_edge_weight=0.2), groups)
    # Two rings joined by one link; x is tied to ring r and y to ring w by weak links only
    # (in the group as the peel would keep them): each goes with its own ring, not together.
    e = pl.concat([_edges(_clique("r", 4) + _clique("w", 4) + [("r0", "w0")], weight=0.5),
                   _edges([("r1", "x"), ("r2", "x"), ("w1", "y"), ("w2", "y"), ("x", "y")], weight=0.05)])
    groups = pl.DataFrame({"account_id": sorted({*e["account_a"], *e["account_b"]}), "group": "0"})
    assert _members(cut_bridges(groups, e, min_edge_weight=0.2)) == {
        ("r0", "r1", "r2", "r3", "x"), ("w0", "w1", "w2", "w3", "y")}


def test_a_pair_given_twice_or_both_ways_counts_once():
    e = _edges(_clique("r", 4) + _clique("w", 4) + [("r0", "w0")], weight=0.5)
    expected = _members(cut_bridges(_groups(e), e, min_edge_weight=0.2))
    assert len(expected) == 2
    twice = pl.concat([e, e.tail(3)])
    both_ways = pl.concat([e, e.select(pl.col("account_b").alias("account_a"), pl.col("account_a").alias("account_b"),
                                       "weight")])
    for odd in (twice, both_ways):
        assert _members(cut_bridges(_groups(e), odd, min_edge_weight=0.2)) == expected


def test_a_long_chain_of_clumps_is_cut_at_every_link():
    # 3,000 triangles in a row, each joined to the next by one link: the level-by-level sums
    # run once per level of the forest (3,000), each over its slice.
    triangles = [(f"t{i:04d}a", f"t{i:04d}b") for i in range(3000)] + [(f"t{i:04d}b", f"t{i:04d}c") for i in range(3000)]
    triangles += [(f"t{i:04d}a", f"t{i:04d}c") for i in range(3000)]
    chain = [(f"t{i:04d}c", f"t{i + 1:04d}a") for i in range(2999)]
    e = _edges(triangles + chain, weight=0.5)
    out = cut_bridges(_groups(e), e, min_edge_weight=0.2)
    assert out["group"].n_unique() == 3000


def _with_evidence(edges, **columns):
    """``edges`` with float evidence columns: each a set of the pairs that carry it (0.5)."""
    pairs = list(zip(edges["account_a"], edges["account_b"]))
    return edges.with_columns(pl.Series(name, [0.5 if p in on else 0.0 for p in pairs], dtype=pl.Float32)
                              for name, on in columns.items())


def _ring_with_a_household(home_kind="wifi", ring_kind="rare_coaction"):
    # A ring of six bound by co-action (or by ``ring_kind``: a pool of phones, devices); r0's
    # household (three accounts on its home wifi, linked among themselves and to r0), and a
    # friend group of two that met two ring members on a shared IP.
    ring = _clique("r", 6)
    home = _clique("h", 3) + [("r0", "h0"), ("r0", "h1"), ("r0", "h2")]
    friends = [("f0", "f1"), ("f0", "r1"), ("f1", "r2")]
    e = _edges(ring + home + friends)
    key = lambda pairs: {(min(p), max(p)) for p in pairs}  # noqa: E731
    evidence = {ring_kind: key(ring), "ip": key(friends)}
    evidence[home_kind] = evidence.get(home_kind, set()) | key(home)
    return _with_evidence(e, **evidence), e


def _shed(groups, edges, **kw):
    """:func:`shed_appendages` at the run's default bar of a strong link."""
    return shed_appendages(groups, edges, min_edge_weight=Config().cluster.min_edge_weight, **kw)


def _one_group(edges):
    """Every end of ``edges`` in one group ``"g"``."""
    return pl.DataFrame({"account_id": sorted({*edges["account_a"], *edges["account_b"]})}).with_columns(group=pl.lit("g"))


def test_a_ring_members_household_leaves_the_ring_and_two_anchors_keep_a_part():
    e, _ = _ring_with_a_household()
    groups = _one_group(e)
    members = _members(_shed(groups, e))
    assert ("h0", "h1", "h2") in members
    assert tuple(sorted([f"r{i}" for i in range(6)] + ["f0", "f1"])) in members
    assert len(members) == 2


def test_a_household_hung_on_by_a_personal_identifier_or_a_group_without_a_behaviour_core_stays():
    e, _ = _ring_with_a_household(home_kind="device")
    groups = _one_group(e)
    assert len(_members(_shed(groups, e))) == 1
    # Links without any evidence columns (no co-action, no identifier named): nothing is a core.
    _, plain = _ring_with_a_household()
    assert_frame_equal(_shed(groups, plain), groups)
    # A core of two (a pair that met) is none: the household stays with it.
    e, _ = _ring_with_a_household()
    pair = e.with_columns(pl.when((pl.col("account_a") == "r0") & (pl.col("account_b") == "r1"))
                          .then(pl.col("rare_coaction")).otherwise(0.0).alias("rare_coaction"))
    assert_frame_equal(_shed(groups, pair), groups)
    # Shed by codes as by ids.
    e, _ = _ring_with_a_household()
    index = AccountIndex.of(groups["account_id"])
    coded = e.with_columns(pl.Series("account_a", index.codes(e["account_a"]), dtype=pl.UInt32),
                           pl.Series("account_b", index.codes(e["account_b"]), dtype=pl.UInt32))
    assert_frame_equal(_shed(groups, coded, ids=index.ids), _shed(groups, e))


def test_a_pool_is_a_core_too_and_its_members_neighbours_leave_it():
    # A promo ring of six on a few phones or devices, and r0's neighbours (three accounts linked
    # among themselves and to r0 by their shared home address): they hang on the pool through
    # one member alone and leave it; the friends on two members stay. Hung on by a phone (a
    # recycled number), they stay; a ring bound by IPs only has no core.
    ring = tuple(sorted([f"r{i}" for i in range(6)] + ["f0", "f1"]))
    household = ("h0", "h1", "h2")
    for kind in ("phone", "device"):
        e, _ = _ring_with_a_household("address", ring_kind=kind)
        assert _members(_shed(_one_group(e), e)) == {ring, household}, kind
    for home_kind, ring_kind in (("phone", "phone"), ("address", "ip")):
        e, _ = _ring_with_a_household(home_kind, ring_kind=ring_kind)
        assert len(_members(_shed(_one_group(e), e))) == 1, (home_kind, ring_kind)
    # Only the largest pool is the core: r0's household sharing its own card (linked to r0 by
    # the home address only) is no core of its own and leaves, whether the ring is bound by
    # phones or by co-action.
    for kind in ("phone", "rare_coaction"):
        e, _ = _ring_with_a_household("address", ring_kind=kind)
        e = _with_evidence(e, card={("h0", "h1"), ("h0", "h2"), ("h1", "h2")})
        assert _members(_shed(_one_group(e), e)) == {ring, household}, kind


def test_weak_links_neither_join_two_households_nor_anchor_them_twice():
    # A ring of six bound by co-action; r0's neighbours and r1's neighbours (three each, linked
    # among themselves and to their ring member by a home area). A carrier IP shared by dozens
    # (a weak link) ties one household to the other, and to a third ring member: both leave
    # the ring, each a group of its own. Tied by a strong link they are one part that the ring
    # reaches twice, and they stay.
    ring = _clique("r", 6)
    homes = (_clique("h", 3) + [("r0", f"h{i}") for i in range(3)]
             + _clique("n", 3) + [("r1", f"n{i}") for i in range(3)])
    key = lambda pairs: {(min(p), max(p)) for p in pairs}  # noqa: E731
    for tie_weight, apart in ((0.1, True), (0.5, False)):
        ties = _edges([("h0", "n0"), ("h1", "r3")], weight=tie_weight)
        e = pl.concat([_edges(ring + homes), ties])
        e = _with_evidence(e, rare_coaction=key(ring), address=key(homes), ip=key([("h0", "n0"), ("h1", "r3")]))
        members = _members(_shed(_one_group(e), e))
        if apart:
            assert members == {tuple(f"r{i}" for i in range(6)), ("h0", "h1", "h2"), ("n0", "n1", "n2")}
        else:
            assert len(members) == 1


def test_a_part_hung_on_the_core_by_weak_links_alone_is_judged_on_them():
    # A household bound among itself, on r0 by one weak link (its home IP, once): it has no
    # strong anchor, is read on its links of any strength, hangs on r0 alone and leaves. An
    # account tied only weakly to a household that hangs on r0 by strong links leaves the ring
    # too (a group of one: out of the clusters at the run's size floor).
    ring = _clique("r", 6)
    home = _clique("h", 3)
    key = lambda pairs: {(min(p), max(p)) for p in pairs}  # noqa: E731
    for strong_home, tail in (([], []), ([("r0", "h0"), ("r0", "h1")], [("x", "h0")])):
        weak = [("r0", "h0")] if not strong_home else tail
        e = pl.concat([_edges(ring + home + strong_home), _edges(weak, weight=0.1)])
        e = _with_evidence(e, rare_coaction=key(ring), wifi=key(home + strong_home + weak))
        members = _members(_shed(_one_group(e), e))
        assert tuple(f"r{i}" for i in range(6)) in members
        assert ("h0", "h1", "h2") in members
        assert len(members) == (3 if tail else 2), members


def test_a_part_that_signed_up_through_a_members_referral_stays():
    # r0's "household" tied to it by attributions (link/attribution.py: they redeemed r0's
    # code, a referral ring's chain) is the ring's, not a place's: it stays, as on a phone.
    for kind in ("referred_by", "referred_by_events"):
        e, _ = _ring_with_a_household(home_kind=kind)
        assert len(_members(_shed(_one_group(e), e))) == 1, kind


def test_members_on_no_edge_stay_where_they_are():
    # A behaviour cluster's member keyed by ids that is no end of any edge (HDBSCAN's groups
    # share no strong edge) stays; the others are shed as usual.
    e, _ = _ring_with_a_household()
    ids = sorted({*e["account_a"], *e["account_b"]})
    groups = pl.DataFrame({"account_id": ids + ["lone"]}).with_columns(group=pl.lit("g"))
    shed = _shed(groups, e)
    assert shed.filter(pl.col("account_id") == "lone")["group"].item() == "g"
    assert _members(shed) >= {("h0", "h1", "h2")}
    assert shed["account_id"].to_list() == groups["account_id"].to_list()


def test_the_cluster_stage_sheds_a_ring_members_household_unless_told_not_to():
    e, _ = _ring_with_a_household()
    members, _ = cluster(e, Config())
    assert _members(members.rename({"cluster_id": "group"})) >= {("h0", "h1", "h2")}
    members, _ = cluster(e, Config.from_dict({"cluster": {"shed_appendages": False}}))
    assert len(_members(members.rename({"cluster_id": "group"}))) == 1

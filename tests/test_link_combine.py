import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.link.combine import combine_edges
from syndicate.link.given import given_links


def test_noisy_or_over_kinds_and_missing_evidence_is_zero():
    a = pl.DataFrame({"account_a": ["x", "x"], "account_b": ["y", "z"], "device": [0.5, 0.2]})
    b = pl.DataFrame({"account_a": ["x"], "account_b": ["y"], "lockstep": [0.5], "lockstep_bursts": [7]})
    result = combine_edges(a, b)
    assert result.columns == ["account_a", "account_b", "weight", "device", "lockstep", "lockstep_bursts"]
    assert result["weight"].to_list() == pytest.approx([0.75, 0.2])
    assert result["lockstep"].to_list() == [0.5, 0.0]
    assert result["lockstep_bursts"].to_list() == [7, 0]


def test_given_links_are_canonicalised_and_merged():
    links = pl.DataFrame({"account_a": ["b", "a"], "account_b": ["a", "b"], "kind": ["x", "y"], "weight": [0.5, 0.5]})
    expected = pl.DataFrame({"account_a": ["a"], "account_b": ["b"], "given": pl.Series([0.75], dtype=pl.Float32)})
    assert_frame_equal(given_links(links), expected)


def test_a_links_kind_that_joins_most_accounts_into_one_component_is_a_social_graph():
    # Friend links on a chain through 8 of 10 accounts percolate; "same person" matches from
    # another system pair a few accounts: only the friends are read as social, and they link at
    # attribute strength (a sixth marketplace's friend graph bound 88% of its accounts into one
    # cluster at full weight).
    from syndicate.link.given import social_kinds, weigh_given

    ids = [f"a{i}" for i in range(8)]
    links = pl.DataFrame({"account_a": ids[:-1] + ["x1", "x3"], "account_b": ids[1:] + ["x2", "x4"],
                          "kind": ["friend"] * 7 + ["same_person"] * 2, "weight": [1.0] * 9})
    assert social_kinds(links, 10, max_share=0.5) == ["friend"]
    assert social_kinds(links, 20, max_share=0.5) == []  # 8 of 20 is no giant component
    assert social_kinds(links, 10, max_share=0.5, min_size=8) == []  # nor 8 where a group may hold 8
    from syndicate.config import IdentityConfig

    weighted, social = weigh_given(links, 10, IdentityConfig(social_link_share=0.5, hub_cap=0, attribute_strength=0.15))
    assert social == ["friend"]
    # Each friend link has an end with two partners (log2(3)); the matched pairs keep theirs.
    assert weighted["weight"].to_list() == pytest.approx([0.15 / np.log2(3)] * 7 + [1.0, 1.0])


def test_a_links_hub_weighs_as_a_shared_value_and_a_pair_keeps_its_weight():
    # An influencer's code redeemed by fifty (a star: one account on fifty links) weighs as a
    # value on fifty-one accounts would (1 / log2(51), under min_edge_weight: its referees are
    # no group); a matched pair keeps its weight; a clique of four 1 / log2(4); the busier end
    # counts, both directions and repeats of a pair once, and kinds apart.
    from syndicate.config import Config
    from syndicate.link.given import weigh_given

    star = [("inf", f"r{i:02d}") for i in range(50)]
    clique = [(f"c{i}", f"c{j}") for i in range(4) for j in range(i + 1, 4)]
    rows = star + [("p1", "p0"), ("p0", "p1")] + clique + [("r00", "c0")]
    kinds = ["referral"] * 50 + ["same_person"] * 2 + ["same_person"] * 6 + ["friend"]
    links = pl.DataFrame({"account_a": [a for a, _ in rows], "account_b": [b for _, b in rows], "kind": kinds})
    weighted, social = weigh_given(links, 1_000, Config().identity)
    assert social == []
    w = weighted["weight"].to_numpy()
    assert w[:50] == pytest.approx(1 / np.log2(51))
    assert (w[:50] < Config().cluster.min_edge_weight).all()
    assert w[50:52] == pytest.approx(1.0)
    assert w[52:58] == pytest.approx(0.5)
    assert w[58] == pytest.approx(1.0)  # r00's one friend: its referral star is another kind
    # Given weights scale: a weight of 0.8 on the pair stays 0.8.
    weighted, _ = weigh_given(links.with_columns(weight=pl.lit(0.8)), 1_000, Config().identity)
    assert weighted["weight"][50] == pytest.approx(0.8)


def test_kinds_taken_as_given_keep_their_weights():
    # Another system's "same person" matches linking an entity's 40 accounts to one master:
    # divided at the hub they would bind nothing (1 / log2(41)); listed in given_exact_kinds,
    # they keep their weights, and the other kinds are still divided.
    from syndicate.config import Config
    from syndicate.link.given import weigh_given

    links = pl.DataFrame({"account_a": ["m"] * 40 + ["inf"] * 3,
                          "account_b": [f"a{i}" for i in range(40)] + ["x", "y", "z"],
                          "kind": ["same_person"] * 40 + ["referral"] * 3})
    weighted, _ = weigh_given(links, 1_000, Config().identity)
    assert weighted["weight"][0] == pytest.approx(1 / np.log2(41))
    exact = Config.from_dict({"identity": {"given_exact_kinds": ["same_person"]}}).identity
    weighted, _ = weigh_given(links, 1_000, exact)
    assert weighted["weight"].to_list() == pytest.approx([1.0] * 40 + [0.5] * 3)

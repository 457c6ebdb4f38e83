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
    from syndicate.link.given import social_kinds, weigh_social

    ids = [f"a{i}" for i in range(8)]
    links = pl.DataFrame({"account_a": ids[:-1] + ["x1", "x3"], "account_b": ids[1:] + ["x2", "x4"],
                          "kind": ["friend"] * 7 + ["same_person"] * 2, "weight": [1.0] * 9})
    assert social_kinds(links, 10, max_share=0.5) == ["friend"]
    assert social_kinds(links, 20, max_share=0.5) == []  # 8 of 20 is no giant component
    assert social_kinds(links, 10, max_share=0.5, min_size=8) == []  # nor 8 where a group may hold 8
    from syndicate.config import IdentityConfig

    weighted, social = weigh_social(links, 10, IdentityConfig(social_link_share=0.5, hub_cap=0, attribute_strength=0.15))
    assert social == ["friend"]
    assert weighted["weight"].to_list() == [0.15] * 7 + [1.0, 1.0]

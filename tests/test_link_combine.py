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

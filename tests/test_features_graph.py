"""Account graph features: known answers on a tiny graph, and block-size invariance."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import syndicate.features.graph as graph
from syndicate.features.graph import GRAPH_FEATURES, account_graph_features


@pytest.fixture
def tiny():
    ids = pl.Series("account_id", ["e", "d", "c", "b", "a"])  # any order in; sorted out
    edges = pl.DataFrame({"account_a": ["a", "a", "b"], "account_b": ["b", "c", "c"],
                          "weight": [0.5, 0.25, 1.0], "lockstep": [1.0, 0.0, None]})
    members = pl.DataFrame({"account_id": ["a", "b"], "cluster_id": ["K1", "K1"]})
    risk = pl.DataFrame({"cluster_id": ["K1"], "size": [2], "risk": [0.8]})
    return ids, edges, members, risk


def test_degrees_weights_lockstep_and_neighbour_risk(tiny):
    result = account_graph_features(*tiny)
    assert result["account_id"].to_list() == ["a", "b", "c", "d", "e"]
    rows = {r["account_id"]: r for r in result.to_dicts()}
    assert rows["a"] == pytest.approx({"account_id": "a", "weighted_degree": 0.75, "n_neighbours": 2.0,
                                       "max_link_weight": 0.5, "lockstep_neighbours": 1.0,
                                       "neighbour_risk_mean": 0.4, "neighbour_risk_max": 0.8,
                                       "cluster_size": 2.0, "cluster_risk": 0.8})
    assert rows["c"]["weighted_degree"] == 1.25 and rows["c"]["lockstep_neighbours"] == 0.0
    assert rows["c"]["neighbour_risk_mean"] == pytest.approx(0.8) and rows["c"]["cluster_size"] == 0.0
    assert all(rows["e"][name] == 0.0 for name in GRAPH_FEATURES)
    assert result.null_count().sum_horizontal().item() == 0


def test_same_result_whatever_the_edge_block(tiny, monkeypatch):
    expected = account_graph_features(*tiny)
    monkeypatch.setattr(graph, "EDGE_BLOCK", 1)
    assert_frame_equal(account_graph_features(*tiny), expected)


def test_no_edges_gives_zeros(tiny):
    ids, edges, members, risk = tiny
    result = account_graph_features(ids, edges.clear(), members, risk)
    assert result.filter(pl.col("account_id") == "a")["cluster_risk"].item() == 0.8
    assert result["n_neighbours"].sum() == 0.0

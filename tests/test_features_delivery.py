"""Group co-action delivered as one job, or as an audience's reactions (features/delivery.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from syndicate.features.delivery import group_burst_share

T0 = datetime(2026, 6, 1, 12, 0, 0)


def _events(rows):
    return pl.DataFrame(rows, schema={"account_id": pl.String, "target_id": pl.String, "ts": pl.Datetime("us")},
                        orient="row")


def test_a_job_is_all_burst_and_an_audience_keeps_arriving():
    members = pl.DataFrame({"account_id": ["j1", "j2", "j3", "f1", "f2", "f3", "f4", "f5", "f6", "x1", "x2"],
                            "cluster_id": ["job"] * 3 + ["fans"] * 6 + ["quiet"] * 2})
    rows = []
    for t in ("p1", "p2"):  # the crew: everyone on the target within a minute, then nothing
        rows += [(a, t, T0 + timedelta(seconds=10 * i)) for i, a in enumerate(("j1", "j2", "j3"))]
    # fans: three come with the notification, three more hours later
    rows += [(a, "q1", T0 + timedelta(seconds=5 * i)) for i, a in enumerate(("f1", "f2", "f3"))]
    rows += [(a, "q1", T0 + timedelta(hours=2 + i)) for i, a in enumerate(("f4", "f5", "f6"))]
    # two accounts never make a group burst
    rows += [("x1", "r1", T0), ("x2", "r1", T0)]
    result = group_burst_share(members, _events(rows), window_seconds=120, min_members=3)
    expected = pl.DataFrame({"cluster_id": ["fans", "job", "quiet"], "group_burst_share": [0.5, 1.0, None]})
    assert result.sort("cluster_id").to_dicts() == expected.to_dicts()


def test_a_job_straddling_a_bucket_edge_counts_whole_and_repeats_count_once():
    members = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "cluster_id": ["c1"] * 4})
    edge = datetime(2026, 6, 1, 12, 2, 0)  # a multiple of 120 s since the epoch
    rows = [("a", "t", edge - timedelta(seconds=5)), ("b", "t", edge + timedelta(seconds=1)),
            ("c", "t", edge + timedelta(seconds=2)), ("d", "t", edge + timedelta(seconds=3)),
            ("b", "t", edge + timedelta(seconds=30))]
    result = group_burst_share(members, _events(rows), window_seconds=120, min_members=3)
    assert result["group_burst_share"].to_list() == [1.0]


@pytest.mark.parametrize("order", [1, -1])
def test_the_share_does_not_depend_on_row_order_or_on_the_id_hashing(order):
    members = pl.DataFrame({"account_id": [f"m{i}" for i in range(5)], "cluster_id": ["c"] * 5})
    rows = [(f"m{i}", "t", T0 + timedelta(seconds=i)) for i in range(3)]
    rows += [("m3", "t", T0 + timedelta(hours=5)), ("m4", "u", T0)]
    events = _events(rows[::order])
    accounts = pl.DataFrame({"account_id": [f"m{i}" for i in range(5)]})
    by_hash = group_burst_share(members, events, window_seconds=120, accounts=accounts)
    by_id = group_burst_share(members, events, window_seconds=120)
    assert by_hash.to_dicts() == by_id.to_dicts() == [{"cluster_id": "c", "group_burst_share": 0.75}]


def test_no_events_gives_missing_not_zero():
    members = pl.DataFrame({"account_id": ["a"], "cluster_id": ["c"]})
    assert group_burst_share(members, None, window_seconds=120)["group_burst_share"].to_list() == [None]


def test_only_the_given_clusters_are_computed():
    members = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e", "f"], "cluster_id": ["c1"] * 3 + ["c2"] * 3})
    rows = [(a, "t", T0 + timedelta(seconds=i)) for i, a in enumerate("abcdef")]
    result = group_burst_share(members, _events(rows), window_seconds=120, only=pl.Series(["c2"]))
    assert result.to_dicts() == [{"cluster_id": "c1", "group_burst_share": None},
                                 {"cluster_id": "c2", "group_burst_share": 1.0}]

"""The members' events selected once (features/member_events.py) and the counts taken from them."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.features.clusters import CO_TARGET_MIN_ACTORS, CO_TARGET_MIN_SHARE, behaviour_counts
from syndicate.features.delivery import group_burst_share
from syndicate.features.member_events import member_events

T0 = datetime(2026, 6, 1, 12, 0, 0)


def _data(seed: int):
    rng = np.random.default_rng(seed)
    accounts = pl.DataFrame({"account_id": [f"a{i}" for i in range(60)]})
    members = pl.DataFrame({"account_id": [f"a{i}" for i in range(45)],
                            "cluster_id": [f"c{rng.integers(0, 4)}" for _ in range(45)]})
    n = 600
    events = pl.DataFrame({
        "account_id": [f"a{i}" for i in rng.integers(0, 60, n)],
        "action": rng.choice(["like", "view"], n).tolist(),
        "target_id": [f"t{i}" for i in rng.integers(0, 6, n)],
        "ts": [T0 + timedelta(seconds=int(s)) for s in rng.integers(0, 400, n)],
    })
    return accounts, members, events


def _reference_counts(members: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """The counts as a plain string join and group-bys would take them."""
    ev = events.join(members, on="account_id")
    sizes = members.group_by("cluster_id").agg(pl.len().alias("_size"))
    per_target = ev.group_by("cluster_id", "target_id").agg(pl.len().alias("n"),
                                                            pl.col("account_id").n_unique().alias("actors"))
    co = pl.col("actors") >= pl.max_horizontal(pl.lit(CO_TARGET_MIN_ACTORS), pl.col("_size") * CO_TARGET_MIN_SHARE)
    agg = per_target.join(sizes, on="cluster_id").group_by("cluster_id").agg(
        pl.col("n").sum().alias("_events"), pl.len().alias("_targets"), pl.col("n").max().alias("_top"),
        pl.col("n").filter(co).sum().alias("_co"))
    active = ev.group_by("cluster_id").agg(pl.col("account_id").n_unique().alias("_active"))
    return agg.join(active, on="cluster_id").sort("cluster_id")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_counts_are_those_of_a_string_join(seed):
    accounts, members, events = _data(seed)
    expected = _reference_counts(members, events)
    for given in (None, accounts):
        result = behaviour_counts(members, events, accounts=given).sort("cluster_id")
        assert_frame_equal(result, expected, check_dtypes=False)
    shared = member_events(members, events, accounts=accounts)
    assert_frame_equal(behaviour_counts(members, shared).sort("cluster_id"), expected, check_dtypes=False)


@pytest.mark.parametrize("seed", [0, 1])
def test_delivery_from_shared_rows_is_that_from_the_events(seed):
    accounts, members, events = _data(seed)
    considered = (events["action"] == "like").to_numpy()
    only = pl.Series(["c0", "c2", "c3"])
    direct = group_burst_share(members, events, window_seconds=60, accounts=accounts, considered=considered,
                               only=only)
    shared = member_events(members, events, accounts=accounts, considered=considered)
    assert_frame_equal(group_burst_share(members, shared, window_seconds=60, only=only), direct)
    assert direct["group_burst_share"].drop_nulls().len() > 0


def test_no_member_events_gives_no_counts():
    members = pl.DataFrame({"account_id": ["x"], "cluster_id": ["c"]})
    events = pl.DataFrame({"account_id": ["y"], "target_id": ["t"], "ts": [T0]})
    assert behaviour_counts(members, events).height == 0
    assert group_burst_share(members, events, window_seconds=60)["group_burst_share"].to_list() == [None]

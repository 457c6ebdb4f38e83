"""Rare co-action groups (link/rare_coaction.py): rings that meet on rare targets within days."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest

from syndicate.config import Config, ConfigError
from syndicate.link.rare_coaction import group_links, rare_coaction

T0 = datetime(2026, 3, 1)


def _site(seed: int = 0, *, n_organic: int = 600, ring: int = 10, products: int = 4) -> pl.DataFrame:
    """Organic accounts acting on Zipf-popular targets at random times over 30 days, and one
    ring: each member reviews three of the ring's four rare products, each product's reviews within
    a day (hours apart, never seconds)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_organic):
        for _ in range(int(rng.integers(1, 30))):
            target = int(min(rng.zipf(1.6), 3000))
            rows.append((f"o{i:04d}", rng.choice(["like", "review_5", "order"]), f"t{target}",
                         T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))))
    start = [T0 + timedelta(days=int(d)) for d in rng.integers(3, 25, products)]
    for m in range(ring):
        for p in ((m % products), ((m + 1) % products), ((m + 2) % products)):
            rows.append((f"r{m:02d}", "review_5", f"ring-product-{p}",
                         start[p] + timedelta(seconds=int(rng.integers(0, 20 * 3600)))))
        rows.append((f"r{m:02d}", "like", f"t{int(min(rng.zipf(1.6), 3000))}",
                     T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))))
    return pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")


def _groups(events: pl.DataFrame, **kw: object) -> tuple[pl.DataFrame, pl.Series]:
    ids = events["account_id"].unique().sort()
    codes = events.join(pl.DataFrame({"account_id": ids, "c": np.arange(len(ids))}), on="account_id",
                        how="left", maintain_order="left")["c"].to_numpy()
    groups, _ = rare_coaction(codes, events["target_id"], events["action"], events["ts"], n_accounts=len(ids),
                              seed=1, **kw)
    return groups.with_columns(account_id=ids.gather(groups["account"])), ids


def test_a_ring_meeting_on_rare_products_within_days_is_one_group_and_organic_users_are_not():
    groups, _ = _groups(_site())
    assert groups["group"].n_unique() == 1, groups
    members = set(groups["account_id"])
    assert {f"r{m:02d}" for m in range(10)} == members


def test_no_group_without_a_ring():
    groups, _ = _groups(_site(ring=0))
    assert groups.height == 0


def test_a_ring_spread_over_weeks_is_not_found_with_a_window_of_hours():
    # Every product's reviews come within 20 hours: a window of one hour splits them.
    groups, _ = _groups(_site(), window_days=1 / 24)
    assert groups.height == 0


def test_result_does_not_depend_on_row_order():
    events = _site(seed=3)
    first, _ = _groups(events)
    shuffled = events.sample(fraction=1.0, shuffle=True, seed=7)
    second, _ = _groups(shuffled)
    assert first.sort("account_id").equals(second.sort("account_id"))


def test_links_join_the_members_who_met_on_a_product():
    events = _site()
    groups, ids = _groups(events)
    codes = events.join(pl.DataFrame({"account_id": ids, "c": np.arange(len(ids))}), on="account_id",
                        how="left", maintain_order="left")["c"].to_numpy()
    links = group_links(groups, codes, events["target_id"], events["action"], events["ts"],
                        window_days=2.0, strength=0.5)
    assert links.height > 0
    assert (links["account_a"] < links["account_b"]).all()
    assert set(links["rare_coaction"].to_list()) == {0.5}
    assert links.select(pl.struct("account_a", "account_b").is_unique().all()).item()


def test_empty_events_give_no_group():
    empty = pl.DataFrame(schema={"account_id": pl.String, "action": pl.String, "target_id": pl.String,
                                 "ts": pl.Datetime("us")})
    groups, info = rare_coaction(np.zeros(0, np.int64), empty["target_id"], empty["action"], empty["ts"],
                                 n_accounts=0)
    assert groups.height == 0 and info["groups"] == 0


def test_bad_settings_are_named():
    with pytest.raises(ConfigError, match="lockstep.rare_min_lift"):
        Config.from_dict({"lockstep": {"rare_min_lift": 0.5}})
    assert not Config().lockstep.rare_enabled  # opt-in until it fits the 1M budget


def test_pair_counts_count_each_target_once_across_phases_and_days():
    from syndicate.link.rare_coaction import _pair_counts
    # a and b on target 0 an hour apart (both phases hold them), again on target 0 ten days
    # later, and on target 1 with c: (a, b) met on 2 targets; (a, c), (b, c) on 1, in a cell of 3.
    hour, day = 3600, 86_400
    account = np.array([0, 1, 0, 1, 0, 1, 2])
    key = np.array([0, 0, 0, 0, 1, 1, 1])
    sec = np.array([0, hour, 10 * day, 10 * day + hour, 20 * day, 20 * day, 20 * day + hour])
    x, y, w, k, activity, _, _, _ = _pair_counts(account, key, sec, n_accounts=3, width=2 * day,
                                                 max_cell_accounts=20)
    assert list(zip(x.tolist(), y.tolist(), k.tolist())) == [(0, 1, 2), (0, 2, 1), (1, 2, 1)]
    np.testing.assert_allclose(w, [1.0 + 0.5, 0.5, 0.5])

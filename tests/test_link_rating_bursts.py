"""Ratings against the crowd (link/rating_bursts.py): a burst of low ratings on a target its
other raters rate well links the raters; a bad week, a poorly rated target, a crowd and
accounts other evidence ties already do not."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest

from syndicate.config import Config, ConfigError
from syndicate.link.codes import AccountIndex
from syndicate.link.rating_bursts import rating_burst_links

T0 = datetime(2026, 1, 1)


def _events(*, attackers: int = 5, organic: int = 40, organic_ratings=(4, 5), attack_rating: int = 1,
            week_organic: int = 0, seed: int = 0) -> pl.DataFrame:
    """A business rated ``organic_ratings`` by ``organic`` reviewers over 120 days, and
    ``attackers`` accounts rating it ``attack_rating`` within two days of day 60 (with
    ``week_organic`` organic reviewers rating it well in the same days). Every account also
    reviews an unrelated business once."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(organic):
        day = float(rng.uniform(0, 120))
        if 56 <= day <= 66:  # the attack's week holds only the organic raters asked for
            day += 15
        rows.append((f"o{i:03d}", "review", "biz", T0 + timedelta(days=day), int(rng.choice(organic_ratings))))
    for i in range(week_organic):
        rows.append((f"w{i:03d}", "review", "biz", T0 + timedelta(days=60 + float(rng.uniform(0, 2))), 5))
    for i in range(attackers):
        rows.append((f"a{i:03d}", "review", "biz", T0 + timedelta(days=60 + float(rng.uniform(0, 2))), attack_rating))
    for i, account in enumerate(sorted({r[0] for r in rows})):
        rows.append((account, "review", f"other{i}", T0 + timedelta(days=float(rng.uniform(0, 120))), 4))
    return pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts", "rating"], orient="row")


def _links(events: pl.DataFrame, config: Config | None = None, ties=None):
    index = AccountIndex.of(events["account_id"])
    pairs, info = rating_burst_links(events, index, config or Config(), ties=ties)
    named = None
    if pairs is not None:
        named = pairs.with_columns(index.ids.gather(pairs["account_a"]).alias("a"),
                                   index.ids.gather(pairs["account_b"]).alias("b"))
    return named, info


def test_an_attack_on_a_well_rated_business_links_its_raters():
    pairs, info = _links(_events())
    assert info["cells"] >= 1 and info["pairs"] == 10
    assert set(pairs["a"]) | set(pairs["b"]) == {f"a{i:03d}" for i in range(5)}
    assert pairs["rating_burst"].to_list() == [0.5] * 10
    assert pairs["rating_burst_targets"].to_list() == [1] * 10
    assert pairs.schema["account_a"] == pl.UInt32


def test_a_bad_week_among_the_usual_raters_is_no_attack():
    # Three angry raters among three happy ones in the same days: half, not three quarters.
    pairs, info = _links(_events(attackers=3, week_organic=3))
    assert pairs is None and info["cells"] == 0


def test_a_poorly_rated_business_rated_down_again_is_no_attack():
    pairs, info = _links(_events(organic_ratings=(1, 2)))
    assert pairs is None and info["cells"] == 0


def test_ratings_in_the_middle_of_the_scale_are_not_the_low_end():
    # The scale is the data's: with a one-star review elsewhere, three of five is its middle.
    events = _events(attack_rating=3)
    one_star = pl.DataFrame({"account_id": ["o000"], "action": ["review"], "target_id": ["elsewhere"],
                             "ts": [T0], "rating": [1]})
    pairs, _ = _links(pl.concat([events, one_star]))
    assert pairs is None
    # Without it, three is the data's lowest rating: its low end.
    pairs, _ = _links(events)
    assert pairs is not None and pairs.height == 10


def test_a_crowd_of_more_than_thirty_in_a_week_is_a_public_reaction():
    pairs, info = _links(_events(attackers=40))
    assert pairs is None and info["cells"] == 0 and info["crowds_left_out"] >= 1
    config = Config.from_dict({"lockstep": {"rating_burst_max_accounts": 50}})
    pairs, _ = _links(_events(attackers=40), config)
    assert pairs is not None and pairs.height == 40 * 39 // 2


def test_two_raters_are_no_group():
    pairs, _ = _links(_events(attackers=2))
    assert pairs is None


def test_accounts_other_links_tie_already_are_not_linked_again():
    events = _events()
    index = AccountIndex.of(events["account_id"])
    a000, a001, o000 = index.codes(pl.Series(["a000", "a001", "o000"])).tolist()
    # a000 and a001 each share a device with an outsider (o000).
    pairs, info = _links(events, ties=lambda codes: (np.array([a000, a001]), np.array([o000, o000])))
    assert info["accounts_tied_elsewhere"] == 2 and pairs.height == 3
    assert not ({"a000", "a001"} & (set(pairs["a"]) | set(pairs["b"])))


def test_ratings_in_action_names_and_on_a_ten_point_scale_are_read_the_same():
    events = _events()
    named = events.with_columns(pl.format("stars_{}", pl.col("rating")).alias("action")).drop("rating")
    ten = events.with_columns(pl.col("rating") * 2 - 1)  # 1 -> 1, 4 -> 7, 5 -> 9 of 1..9
    expected, _ = _links(events)
    for frame in (named, ten):
        got, _ = _links(frame)
        assert got is not None and got.equals(expected)


def test_no_ratings_or_one_value_is_nothing_to_read():
    events = _events()
    for frame in (events.drop("rating"), events.with_columns(pl.lit(5).alias("rating")),
                  events.with_columns(pl.lit(None, dtype=pl.Int64).alias("rating"))):
        pairs, info = _links(frame)
        assert pairs is None and info == {"rated_events": 0}


def test_row_order_does_not_matter():
    events = _events()
    expected, info = _links(events)
    got, info_shuffled = _links(events.sample(fraction=1.0, shuffle=True, seed=3))
    assert got.equals(expected) and info == info_shuffled


def test_switched_off_and_bad_settings():
    config = Config.from_dict({"lockstep": {"rating_bursts": False}})
    assert not config.lockstep.rating_bursts
    for key, value in (("rating_burst_max_p", 0.0), ("rating_burst_min_accounts", 1),
                       ("rating_burst_window_days", 0), ("rating_burst_strength", 1.5)):
        with pytest.raises(ConfigError, match=key):
            Config.from_dict({"lockstep": {key: value}})
    with pytest.raises(ConfigError, match="rating_burst_min_accounts.*must be at most"):
        Config.from_dict({"lockstep": {"rating_burst_min_accounts": 40}})


def test_only_ties_outside_the_raters_keep_an_account_out():
    from syndicate.link.rating_bursts import unbound_members

    # Two cells: accounts 0-3 rated "biz" down, 4-6 rated "shop" down. Links: 0-1 inside the
    # first cell, 3-5 between the cells' raters, 2-9 to an outsider who rated nothing down.
    members = pl.DataFrame({"target": ["biz"] * 4 + ["shop"] * 3, "phase": [0] * 7, "cell": [1] * 7,
                            "account": [0, 1, 2, 3, 4, 5, 6]}).cast({"phase": pl.Int8, "cell": pl.Int64})
    links = (np.array([0, 2, 3]), np.array([1, 9, 5]))
    got = unbound_members(members, lambda codes: links)
    assert got.filter(pl.col("_bound"))["account"].to_list() == [2]


def test_the_middle_of_the_scale_is_read_exactly_in_any_row_order():
    # Others alternating 4 and 7 of 1-10 average exactly the middle: at it, whatever the order.
    rows = [(f"o{i:02d}", "biz", T0 + timedelta(days=i), 4 if i % 2 else 7) for i in range(20)]
    rows += [(f"a{i}", "biz", T0 + timedelta(days=40, hours=i), 1) for i in range(6)]
    rows += [("x", "elsewhere", T0, 10)]
    events = pl.DataFrame(rows, schema=["account_id", "target_id", "ts", "rating"], orient="row",
                          ).with_columns(pl.lit("review").alias("action"))
    results = {(_links(events.sample(fraction=1.0, shuffle=True, seed=s))[1]["cells"]) for s in range(8)}
    assert results == {2}, results  # the burst's week in both phases, every time


def test_an_infinite_rating_is_no_rating():
    events = _events().with_columns(pl.col("rating").cast(pl.Float64))
    broken = pl.concat([events, events.head(1).with_columns(pl.lit(float("inf")).alias("rating"))])
    expected, _ = _links(events)
    got, _ = _links(broken)
    assert got is not None and got.equals(expected)


def test_a_case_lists_the_members_low_ratings_of_one_target_within_the_window():
    from syndicate.cases.evidence import cluster_evidence

    events = _events()
    members = pl.Series([f"a{i:03d}" for i in range(5)])
    ev = cluster_evidence(members, events=events, lockstep=False, rating_burst_window_seconds=7 * 86_400)
    units = ev.units.filter(pl.col("kind") == "rating_burst")
    assert units.height == 1 and units["value"][0] == "biz" and units["n_members"][0] == 5
    assert cluster_evidence(members, events=events, lockstep=False).units.filter(
        pl.col("kind") == "rating_burst").height == 0


def test_a_rating_column_of_text_reads_its_numbers_and_ignores_the_rest():
    # A CSV export's rating column comes as text, with the odd word in it.
    events = _events()
    text = events.with_columns(pl.col("rating").cast(pl.String).replace({"5": "five"}))
    got, info = _links(text)
    expected, _ = _links(events)
    assert got is not None and set(zip(got["a"], got["b"])) == set(zip(expected["a"], expected["b"]))

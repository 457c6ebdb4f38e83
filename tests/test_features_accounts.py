"""Per-account behaviour features: known answers on hand-built events, and invariants."""

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from syndicate.features.accounts import (
    account_behaviour_features,
    action_columns,
    creation_burst,
)
from syndicate.features.timing import clock_resolution_s, second_of_day_counts

T0 = datetime(2026, 3, 1, 0, 0, 0)


def make_events(rows: list[tuple[str, str, str, datetime]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"account_id": pl.String, "action": pl.String,
                                      "target_id": pl.String, "ts": pl.Datetime("us")}, orient="row")


def make_accounts(created: dict[str, datetime]) -> pl.DataFrame:
    return pl.DataFrame({"account_id": list(created), "created_at": list(created.values())},
                        schema={"account_id": pl.String, "created_at": pl.Datetime("us")})


@pytest.fixture
def small():
    """bot: likes a new target every 60 s exactly, at 10:00; person: irregular, mixed actions;
    pal: shares one target with person; idle: no events."""
    bot = [("bot", "like", f"t{i}", T0 + timedelta(hours=10, seconds=60 * i)) for i in range(10)]
    person = [
        ("person", "like", "pop", T0 + timedelta(hours=1)),
        ("person", "comment", "pop", T0 + timedelta(hours=5)),
        ("person", "follow", "x", T0 + timedelta(hours=5, minutes=30)),
        ("person", "order", "shop", T0 + timedelta(days=1, hours=20)),
    ]
    pal = [("pal", "like", "pop", T0 + timedelta(days=2))]
    accounts = make_accounts({"bot": T0 - timedelta(hours=1), "person": T0 - timedelta(days=100),
                              "pal": T0 - timedelta(days=100, hours=6), "idle": T0 - timedelta(days=1)})
    return make_events(bot + person + pal), accounts


def features_of(events, accounts, now=T0 + timedelta(days=3)):
    return {r["account_id"]: r for r in account_behaviour_features(events, accounts, now=now).to_dicts()}


def test_metronome_account_has_zero_gap_cv_and_known_timing(small):
    f = features_of(*small)["bot"]
    assert f["gap_cv"] == 0.0
    assert f["median_gap_s"] == 60.0
    assert f["rapid_gap_share"] == 0.0  # 60 s is not under a minute
    assert f["hour_entropy"] == 0.0 and f["peak_hour_share"] == 1.0
    assert f["n_events"] == 10.0 and f["n_active_days"] == 1.0
    assert f["first_event_delay_days"] == pytest.approx(11 / 24)


def test_target_and_action_features(small):
    f = features_of(*small)
    bot, person = f["bot"], f["person"]
    assert bot["top_target_share"] == pytest.approx(0.1)
    assert bot["distinct_target_ratio"] == 1.0
    assert bot["rare_target_share"] == 1.0
    assert bot["action_like"] == 1.0 and bot["action_other"] == 0.0
    assert person["top_target_share"] == 0.5  # "pop" twice out of four
    assert person["distinct_target_ratio"] == 0.75
    # pop is touched by 2 accounts, x and shop by 1: log1p popularity weighted by events.
    assert person["mean_log_target_popularity"] == pytest.approx((2 * np.log(3) + 2 * np.log(2)) / 4)
    assert person["action_like"] == 0.25 and person["action_comment"] == 0.25
    assert person["action_order"] == 0.25 and person["action_follow"] == 0.25


def test_ages_creation_burst_and_single_event_fill(small):
    f = features_of(*small)
    assert f["bot"]["age_days"] == pytest.approx(3 + 1 / 24)
    # person and pal were created 6 h apart: each has one neighbour within ±12 h.
    assert f["person"]["creation_burst"] == 1.0 and f["pal"]["creation_burst"] == 1.0
    assert f["bot"]["creation_burst"] == 0.0
    # One event: no gap, so the neutral CV 1 and the account's age as its "gap".
    assert f["pal"]["gap_cv"] == 1.0
    assert f["pal"]["median_gap_s"] == pytest.approx((100.25 + 3) * 86_400)
    assert "idle" not in f


def test_output_schema_is_float_and_complete(small):
    result = account_behaviour_features(*small, now=T0 + timedelta(days=3))
    assert result["account_id"].to_list() == ["bot", "pal", "person"]
    assert all(dtype == pl.Float64 for dtype in result.drop("account_id").dtypes)
    assert result.null_count().sum_horizontal().item() == 0
    assert result.select(pl.all().exclude("account_id").is_nan().any()).sum_horizontal().item() == 0


def test_action_columns_are_the_most_frequent_values_and_other_is_the_rest():
    events = make_events(
        [("a", "like", "t", T0)] * 3 + [("a", "Boost!", "t", T0)] * 2 + [("a", "other", "t", T0)]
    )
    assert action_columns(events, max_actions=1) == ["like"]
    assert action_columns(events) == ["like", "Boost!"]  # "other" joins the rest bucket
    result = account_behaviour_features(events, make_accounts({"a": T0}), now=T0, max_actions=1)
    expected = pl.DataFrame({"action_like": [0.5], "action_other": [0.5]})
    assert_frame_equal(result.select("action_like", "action_other"), expected)
    assert "action_boost" in account_behaviour_features(events, make_accounts({"a": T0}), now=T0).columns


def test_burst_share_counts_events_near_another_accounts_event_on_the_target():
    events = make_events([
        ("a", "like", "t1", T0),
        ("b", "like", "t1", T0 + timedelta(seconds=30)),   # a and b: a burst on t1
        ("b", "like", "t1", T0 + timedelta(seconds=40)),   # b again: neighbour is b itself
        ("c", "like", "t1", T0 + timedelta(seconds=400)),  # too late
        ("c", "like", "t2", T0 + timedelta(seconds=35)),   # another target
        ("a", "like", "t2", T0 + timedelta(hours=1)),
    ])
    accounts = make_accounts({"a": T0, "b": T0, "c": T0})
    result = account_behaviour_features(events, accounts, now=T0 + timedelta(days=1))
    assert dict(result.select("account_id", "burst_share").rows()) == {"a": 0.5, "b": 0.5, "c": 0.0}


def test_events_recorded_to_the_day_show_no_bursts_or_rapid_gaps():
    """On dates alone every review of one product that day is "within seconds" of the others:
    what the clock cannot see is 0, and the rest of the features are those of the same data
    read as if timed to the second."""
    rng = np.random.default_rng(3)
    rows = [(f"u{rng.integers(0, 30)}", "review", f"p{rng.integers(0, 8)}",
             T0 + timedelta(days=int(rng.integers(0, 20)))) for _ in range(400)]
    accounts = make_accounts({f"u{i}": T0 - timedelta(days=10) for i in range(30)})
    now = T0 + timedelta(days=30)
    dated = account_behaviour_features(make_events(rows), accounts, now=now)
    assert dated["burst_share"].max() == 0 and dated["rapid_gap_share"].max() == 0
    as_if_timed = account_behaviour_features(make_events(rows), accounts, now=now, clock_s=1)
    assert as_if_timed["burst_share"].min() > 0 and as_if_timed["rapid_gap_share"].max() > 0
    assert_frame_equal(dated.drop("burst_share", "rapid_gap_share"),
                       as_if_timed.drop("burst_share", "rapid_gap_share"))


def test_a_burst_within_two_seconds_is_no_dated_table():
    """Twelve accounts on one post within the same two seconds fall on two seconds of the day,
    as dates do; they span two seconds, not three days, and stay a burst."""
    t1 = T0 + timedelta(hours=12, minutes=34, seconds=56)
    rows = [(f"a{i}", "like", "post", t1 + timedelta(seconds=i % 2)) for i in range(12)]
    accounts = make_accounts({f"a{i}": T0 - timedelta(days=3) for i in range(12)})
    features = account_behaviour_features(make_events(rows), accounts, now=T0 + timedelta(days=1))
    assert features["burst_share"].min() == 1.0


@pytest.mark.parametrize(("offsets_s", "clock"), [
    ([0], 86_400),                         # dates at UTC midnight
    ([5 * 3_600, 4 * 3_600], 86_400),      # local midnight, summer and winter time
    ([h * 3_600 for h in range(24)], 3_600),
    ([m * 60 for m in range(1_440)], 60),
    ([s for s in range(86_400)], 1),
])
@pytest.mark.parametrize("first_day", [-400, 19_000])  # before 1970 and after
def test_clock_resolution_is_the_coarsest_clock_the_times_fall_on(offsets_s, clock, first_day):
    n_days = 50 if len(offsets_s) < 100 else 2
    days = (first_day + np.arange(n_days, dtype=np.int64)) * 86_400
    t = (days[:, None] + np.array(offsets_s, dtype=np.int64)[None, :]).ravel() * 1_000_000
    assert clock_resolution_s(*second_of_day_counts(t)) == clock
    # a few stray events at other seconds do not change it (under 1% of the events) ...
    stray = (days[0] + np.array([17, 3_601 * 7], dtype=np.int64)) * 1_000_000
    reps = max(1, -(-5_000 // len(t)))
    assert clock_resolution_s(*second_of_day_counts(np.concatenate([np.repeat(t, reps), stray]))) == clock
    # ... a fraction of a second does, and so do too few events to tell
    assert clock_resolution_s(*second_of_day_counts(t + 1)) == 1
    assert clock_resolution_s(*second_of_day_counts(t[:1])) == 1


def test_a_table_partly_dated_is_read_as_timed():
    """5% of the events at midnight, the rest at any second: timed (the dated part's same-day
    meetings are then read as bursts: said in the README)."""
    rng = np.random.default_rng(0)
    t = rng.integers(0, 30 * 86_400, 10_000) * 1_000_000
    t[:500] = t[:500] // (86_400 * 1_000_000) * 86_400 * 1_000_000
    assert clock_resolution_s(*second_of_day_counts(t)) == 1


def test_creation_burst_counts_others_within_the_window():
    created = pl.Series([T0, T0 + timedelta(hours=12), T0 + timedelta(hours=13), T0 + timedelta(days=5)])
    assert creation_burst(created, window_hours=12).to_list() == [1, 2, 1, 0]


def test_creation_burst_reads_a_stamp_as_unknown_and_counts_it_for_no_one():
    """120 accounts migrated with one import time (a hundred times the one account per other
    instant): not 120 accounts made in a batch, and not in the burst of an account made an hour
    later (syndicate.asof.creation_stamps)."""
    created = pl.Series("created_at", [T0] * 120 + [T0 + timedelta(hours=1), T0 + timedelta(hours=2)]
                        + [T0 + timedelta(days=3 * i) for i in range(1, 11)])
    burst = creation_burst(created, window_hours=12)
    assert burst[:120].null_count() == 120
    assert burst[120:122].to_list() == [1, 1]
    assert burst[122:].to_list() == [0] * 10


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from(["like", "follow", "post"]),
                          st.sampled_from(["t1", "t2", "t3"]),
                          st.one_of(st.integers(0, 120), st.integers(0, 10 * 86_400))),
                min_size=1, max_size=40),
       st.randoms(use_true_random=False))
def test_features_do_not_depend_on_row_order(rows, rnd):
    events = make_events([(a, act, t, T0 + timedelta(seconds=s)) for a, act, t, s in rows])
    accounts = make_accounts({a: T0 - timedelta(days=i) for i, a in enumerate("abcd")})
    shuffled = list(range(events.height))
    rnd.shuffle(shuffled)
    now = T0 + timedelta(days=11)
    result = account_behaviour_features(events[shuffled], accounts.reverse(), now=now)
    expected = account_behaviour_features(events, accounts, now=now)
    assert_frame_equal(result, expected)
    shares = result.select(pl.col("^action_.*$")).to_numpy().sum(axis=1)
    assert np.allclose(shares, 1.0)


def test_no_events_gives_an_empty_frame_with_the_fixed_columns():
    result = account_behaviour_features(make_events([]), make_accounts({"a": T0}), now=T0)
    assert result.height == 0
    assert {"account_id", "gap_cv", "burst_share", "creation_burst", "action_other"} <= set(result.columns)


def test_blocks_of_accounts_and_ranges_of_targets_do_not_change_the_features(monkeypatch):
    # Worked through in blocks (timing: whole accounts; bursts: ranges of targets); any block
    # size gives the bits of one block.
    import syndicate
    import syndicate.features.targets as targets
    import syndicate.features.timing as timing

    tables = syndicate.generate_marketplace(1_500, seed=5)
    events, accounts = tables["events"], tables["accounts"]
    now = events["ts"].max()
    expected = account_behaviour_features(events, accounts, now=now, extended=True)
    monkeypatch.setattr(timing, "BLOCK_ROWS", 97)
    monkeypatch.setattr(targets, "BLOCK_ROWS", 101)
    result = account_behaviour_features(events, accounts, now=now, extended=True)
    assert_frame_equal(result, expected)

"""Lockstep links: known answers on hand-built event tables, calibration, and invariants."""

import itertools
import math
from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

import syndicate.link.lockstep as lockstep
from syndicate.config import ClusterConfig, LockstepConfig
from syndicate.link.lockstep import lockstep_links

T0 = datetime(2026, 3, 1, 12, 0, 0)
EDGE_SCHEMA = {"account_a": pl.String, "account_b": pl.String, "lockstep": pl.Float32, "lockstep_bursts": pl.UInt32}


def events(rows):
    """Rows of (account_id, action, target_id, seconds after T0)."""
    frame = pl.DataFrame(rows, schema=["account_id", "action", "target_id", "second"], orient="row")
    return frame.select(
        "account_id", "action", "target_id",
        (pl.lit(T0) + pl.duration(seconds=pl.col("second"))).cast(pl.Datetime("us")).alias("ts"),
    )


def farm_job(accounts, target, start, spread=20, action="like"):
    """One job: every account acts on the target within ``spread`` seconds of ``start``."""
    step = spread // max(len(accounts) - 1, 1)
    return [(acc, action, target, start + i * step) for i, acc in enumerate(accounts)]


def expected_evidence(shared, targets_a, targets_b, saturation=8.0, min_shared=5):
    strength = shared / math.sqrt(targets_a * targets_b)
    return min(strength * (1 - math.exp(-shared / saturation)) * min(1.0, shared / min_shared), 0.99)


# ---------------------------------------------------------------------------------------------
# Known answers


def test_farm_acting_together_on_many_targets_gets_edges_with_burst_counts():
    farm = ["f1", "f2", "f3"]
    rows = [r for job in range(10) for r in farm_job(farm, f"job{job}", job * 3600)]
    rows += farm_job(["f1", "f4"], "job99", 50_000)  # f4 shares one job only
    result = lockstep_links(events(rows)).edges

    shared = np.float32(expected_evidence(10, 11, 10))
    inner = np.float32(expected_evidence(10, 10, 10))
    expected = pl.DataFrame(
        {"account_a": ["f1", "f1", "f2"], "account_b": ["f2", "f3", "f3"],
         "lockstep": np.array([shared, shared, inner], dtype=np.float32),
         "lockstep_bursts": np.array([10, 10, 10], dtype=np.uint32)}
    )
    assert_frame_equal(result, expected)


def test_a_viral_burst_of_a_thousand_accounts_on_one_target_makes_no_edge_and_is_capped():
    rows = [(f"u{i:04d}", "like", "viral", i % 60) for i in range(1000)]
    links = lockstep_links(events(rows), config=LockstepConfig(bucket_cap=300))

    assert links.edges.height == 0
    assert links.info["buckets_capped"] == 1
    assert links.info["targets_capped"] == 1
    assert links.info["bucket_accounts_dropped"] == 700
    # Only the 300 kept accounts make pairs: the work is bounded by the cap, not by the crowd.
    assert links.info["event_pairs_examined"] == 300 * 299 // 2


def test_co_action_means_one_target_in_one_time_bucket():
    # T0 is a multiple of 120 s since the epoch, so [0, 120) is one bucket.
    config = LockstepConfig(window_seconds=120, min_shared_targets=2)
    def two_targets(a_at, b_at):
        return [row for k, t in enumerate("xy")
                for row in [("a", "like", t, 1200 * k + a_at), ("b", "like", t, 1200 * k + b_at)]]

    same_bucket, next_bucket = two_targets(0, 119), two_targets(119, 120)

    assert lockstep_links(events(same_bucket), config=config).edges["lockstep_bursts"].to_list() == [2]
    assert lockstep_links(events(next_bucket), config=config).edges.height == 0


def test_a_crowded_burst_keeps_cap_accounts_however_many_actions_each_has():
    config = LockstepConfig(window_seconds=120, min_shared_targets=2, bucket_cap=3)
    # "a" likes x nine times in one bucket: it is still one account of the burst.
    rows = [("a", "like", t, 1200 * k + s) for k, t in enumerate("xy") for s in range(0, 90, 10)]
    rows += [("b", "like", t, 1200 * k + 100) for k, t in enumerate("xy")]
    links = lockstep_links(events(rows), config=config)

    assert links.edges["lockstep_bursts"].to_list() == [2]
    assert links.info["buckets_capped"] == 0
    assert links.bursts.height == 4  # (x, a), (x, b), (y, a), (y, b)


def test_repeated_co_action_on_one_target_counts_once():
    config = LockstepConfig(min_shared_targets=2)
    same_target = [r for k in range(5) for r in farm_job(["a", "b"], "t1", 3600 * k)]
    assert lockstep_links(events(same_target), config=config).edges.height == 0

    second_target = same_target + farm_job(["a", "b"], "t2", 0)
    assert lockstep_links(events(second_target), config=config).edges["lockstep_bursts"].to_list() == [2]


def test_every_action_counts_unless_excluded_and_names_ignore_case():
    rows = [r for job in range(6) for r in farm_job(["a", "b"], f"t{job}", job * 3600, action="Order ")]
    assert lockstep_links(events(rows)).edges["lockstep_bursts"].to_list() == [6]
    assert lockstep_links(events(rows)).info["events_considered"] == 12

    excluded = LockstepConfig(exclude_actions=("order",))
    assert lockstep_links(events(rows), config=excluded).edges.height == 0
    assert lockstep_links(events(rows), config=excluded).info["events_considered"] == 0
    only_likes = LockstepConfig(actions=("like",))
    assert lockstep_links(events(rows), config=only_likes).edges.height == 0


def test_weak_pairs_are_kept_with_ramped_evidence_and_single_coincidences_dropped():
    def evidence(n_jobs, **kw):
        rows = [r for job in range(n_jobs) for r in farm_job(["a", "b"], f"t{job}", job * 3600)]
        return lockstep_links(events(rows), config=LockstepConfig(**kw)).edges

    assert evidence(1).height == 0  # one shared target: what any two users of a popular item have
    two = evidence(2)
    assert two["lockstep_bursts"].to_list() == [2]
    assert two["lockstep"][0] == pytest.approx(expected_evidence(2, 2, 2), rel=1e-6)
    assert two["lockstep"][0] < ClusterConfig().min_edge_weight  # weak: binds nothing on its own
    assert evidence(2, min_weak_shared_targets=3).height == 0


def test_no_configured_events_gives_an_empty_typed_table():
    links = lockstep_links(events([("a", "post", "t1", 0)]))
    assert links.edges.schema == pl.Schema(EDGE_SCHEMA)
    assert links.edges.height == 0 and links.info["pairs_kept"] == 0


# ---------------------------------------------------------------------------------------------
# Calibration against the cluster threshold (edges >= ClusterConfig.min_edge_weight bind)


def test_farm_workers_sharing_twenty_jobs_bind_and_organic_overlap_does_not():
    threshold = ClusterConfig().min_edge_weight
    rows = []
    # Two farm workers: 20 jobs together, plus 20 organic actions each on their own.
    rows += [r for job in range(20) for r in farm_job(["w1", "w2"], f"job{job}", job * 7200)]
    rows += [(w, "like", f"own-{w}-{k}", 500_000 + 600 * k) for w in ("w1", "w2") for k in range(20)]
    # Two organic users: 50 targets each, 5 of them popular videos they liked in one bucket.
    rows += [(u, "like", f"mine-{u}-{k}", 900_000 + 600 * k) for u in ("o1", "o2") for k in range(45)]
    rows += [r for k in range(5) for r in farm_job(["o1", "o2"], f"hit{k}", 2_001_600 + 3600 * k, spread=80)]
    edges = lockstep_links(events(rows)).edges
    weight = dict(zip(zip(edges["account_a"], edges["account_b"]), edges["lockstep"]))

    assert weight[("w1", "w2")] == pytest.approx(expected_evidence(20, 40, 40), rel=1e-6)
    assert weight[("w1", "w2")] > 2 * threshold
    assert weight[("o1", "o2")] == pytest.approx(expected_evidence(5, 50, 50), rel=1e-6)
    assert weight[("o1", "o2")] < threshold / 4


def test_evidence_grows_with_the_number_of_shared_bursts_and_stays_below_one():
    def evidence(n_jobs):
        rows = [r for job in range(n_jobs) for r in farm_job(["a", "b"], f"t{job}", job * 3600)]
        return lockstep_links(events(rows)).edges["lockstep"][0]

    values = [evidence(n) for n in (5, 10, 20, 40, 80)]
    assert values == sorted(values)
    assert values[-1] == pytest.approx(0.99)


# ---------------------------------------------------------------------------------------------
# Invariants


def brute_force(frame, config):
    """Co-action by Python loops: accounts in one (target, bucket), pairs counted over distinct
    targets, kept from ``min_weak_shared_targets``, evidence ramped below ``min_shared_targets``."""
    rows = frame.with_columns(pl.col("ts").dt.epoch("s")).rows()
    members, targets = defaultdict(set), defaultdict(set)
    for acc, _, target, second in rows:
        members[(target, second // config.window_seconds)].add(acc)
        targets[acc].add(target)
    shared = defaultdict(set)
    for (target, _), accounts in members.items():
        for a, b in itertools.combinations(sorted(accounts), 2):
            shared[(a, b)].add(target)
    kept = sorted((pair, len(t)) for pair, t in shared.items() if len(t) >= config.min_weak_shared_targets)
    return pl.DataFrame(
        {"account_a": [p[0] for p, _ in kept], "account_b": [p[1] for p, _ in kept],
         "lockstep": np.array(
             [expected_evidence(n, len(targets[a]), len(targets[b]), config.saturation_bursts,
                                config.min_shared_targets) for (a, b), n in kept],
             dtype=np.float32),
         "lockstep_bursts": np.array([n for _, n in kept], dtype=np.uint32)},
        schema=EDGE_SCHEMA,
    )


event_rows = st.lists(
    st.tuples(
        st.sampled_from([f"acc{i}" for i in range(7)]),
        st.sampled_from(["like", "like", "follow", "order"]),
        st.sampled_from(["t1", "t2", "t3", "t4", "t5"]),
        st.integers(0, 600),
    ),
    min_size=1, max_size=80,
)


@settings(max_examples=100, deadline=None)
@given(rows=event_rows, cap=st.sampled_from([7, 1000]))
def test_edges_match_a_brute_force_reference(rows, cap):
    # With 7 distinct accounts a cap of 7 drops nobody, but buckets with more than 7 rows are
    # crowded and keep each account's first and last action only: no co-action may be lost.
    frame = events(rows)
    config = LockstepConfig(window_seconds=60, min_shared_targets=2, bucket_cap=cap)
    links = lockstep_links(frame, config=config)
    assert_frame_equal(links.edges, brute_force(frame, config), rel_tol=1e-6)
    assert links.info["bucket_accounts_dropped"] == 0


@settings(max_examples=60, deadline=None)
@given(rows=event_rows, cap=st.sampled_from([2, 3, 1000]), seed=st.integers(0, 3), shuffle=st.integers(0, 1000))
def test_edges_canonical_duplicate_free_and_row_order_invariant(rows, cap, seed, shuffle):
    frame = events(rows)
    config = LockstepConfig(window_seconds=60, min_shared_targets=2, bucket_cap=cap)
    links = lockstep_links(frame, config=config, seed=seed)
    edges = links.edges

    assert (edges["account_a"] < edges["account_b"]).all()
    assert edges.select("account_a", "account_b").is_unique().all()
    assert edges["lockstep"].is_between(0.0, 1.0).all()
    reordered = frame.sample(fraction=1.0, shuffle=True, seed=shuffle)
    shuffled = lockstep_links(reordered, config=config, seed=seed)
    assert_frame_equal(shuffled.edges, edges, check_exact=True)
    assert shuffled.info == links.info


def test_same_input_and_seed_give_identical_edges_and_the_seed_chooses_the_sample():
    rng = np.random.default_rng(7)
    rows = [(f"u{rng.integers(40)}", "like", f"t{rng.integers(6)}", int(rng.integers(80) + 3600 * rng.integers(4)))
            for _ in range(600)]
    frame = events(rows)
    config = LockstepConfig(bucket_cap=8, min_shared_targets=2)

    first = lockstep_links(frame, config=config, seed=1)
    again = lockstep_links(frame, config=config, seed=1)
    assert_frame_equal(first.edges, again.edges, check_exact=True)
    assert first.info["buckets_capped"] > 0
    others = [lockstep_links(frame, config=config, seed=s).edges for s in (2, 3, 4)]
    assert any(not other.equals(first.edges) for other in others)


def test_partitioned_pair_counting_gives_the_same_edges(monkeypatch):
    rng = np.random.default_rng(3)
    rows = [(f"u{rng.integers(30)}", "like", f"t{rng.integers(5)}", int(rng.integers(3000))) for _ in range(800)]
    frame = events(rows)
    config = LockstepConfig(min_shared_targets=2)
    whole = lockstep_links(frame, config=config)
    assert whole.edges.height > 0 and whole.info["partitions"] == 1

    monkeypatch.setattr(lockstep, "_PAIR_BUDGET", 7)  # one partition per few accounts
    parted = lockstep_links(frame, config=config)
    assert parted.info["partitions"] > 10
    assert_frame_equal(parted.edges, whole.edges, check_exact=True)
    # One partition at a time or two at once: the same edges, counts and bursts.
    monkeypatch.setattr(lockstep, "_PARTITION_WORKERS", 1)
    serial = lockstep_links(frame, config=config)
    assert_frame_equal(serial.edges, parted.edges, check_exact=True)
    assert serial.info == parted.info
    assert_frame_equal(serial.bursts, parted.bursts)


def test_events_encoded_once_for_lockstep_and_behaviour_give_the_same_edges():
    """The pipeline encodes the events once (syndicate.encoding) and hands the codes to this
    stage: the same edges, bursts and counts as encoding here, with or without exclusions."""
    from syndicate.encoding import encode_events
    from syndicate.link.codes import AccountIndex

    rng = np.random.default_rng(5)
    rows = [(f"u{rng.integers(40)}", ["like", "Order", "follow"][rng.integers(3)], f"t{rng.integers(8)}",
             int(rng.integers(4000))) for _ in range(1200)]
    frame = events(rows)
    index = AccountIndex.of(frame["account_id"])
    encoded = encode_events(frame, index.ids)
    for config in (LockstepConfig(min_shared_targets=2), LockstepConfig(exclude_actions=("order",))):
        own = lockstep_links(frame, config=config, index=index)
        shared = lockstep_links(frame, config=config, index=index, encoded=encoded)
        assert own.edges.height > 0
        assert_frame_equal(shared.edges, own.edges, check_exact=True)
        assert_frame_equal(shared.bursts, own.bursts)
        assert shared.info == own.info
    # Excluding orders drops exactly their events.
    assert (lockstep_links(frame, config=LockstepConfig(exclude_actions=("order",))).info["events_considered"]
            == sum(r[1] != "Order" for r in rows))

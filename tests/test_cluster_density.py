"""Behaviour clusters (HDBSCAN): planted groups are found, output is deterministic."""

from dataclasses import replace
from datetime import datetime, timedelta

import numpy as np
import polars as pl
from polars.testing import assert_frame_equal

from syndicate.cluster.density import (
    CLUSTER_FEATURES,
    behaviour_clusters,
    coordination_score,
    max_group_size,
    scaled_matrix,
    select_accounts,
    target_embedding,
)
from syndicate.config import ClusterConfig
from syndicate.features.accounts import account_behaviour_features

# Scaled to the test data: a few hundred accounts, so the big-group bound is 50, not 500.
CONFIG = ClusterConfig(hdbscan_min_cluster_size=10, hdbscan_min_samples=5, hdbscan_min_events=5,
                       hdbscan_max_group_floor=50)
T0 = datetime(2026, 3, 1)


def planted_features(n_noise: int = 300, n_group: int = 30, seed: int = 0) -> pl.DataFrame:
    """Noise accounts with spread-out features plus one group that behaves identically."""
    rng = np.random.default_rng(seed)
    columns = [c for c in CLUSTER_FEATURES if c != "engagement_share"]
    noise = rng.uniform(0, 1, (n_noise, len(columns))) * rng.uniform(1, 100, len(columns))
    centre = rng.uniform(0, 1, len(columns)) * 50
    group = centre + rng.normal(0, 0.01, (n_group, len(columns)))
    data = {c: np.concatenate([noise[:, i], group[:, i]]) for i, c in enumerate(columns)}
    ids = [f"n{i:04d}" for i in range(n_noise)] + [f"g{i:04d}" for i in range(n_group)]
    return pl.DataFrame({"account_id": ids, "n_events": [20.0] * len(ids), **data})


def test_planted_tight_group_is_found_among_noise():
    result = behaviour_clusters(planted_features(), config=CONFIG)
    members = result.filter(pl.col("group") == "h0")["account_id"].to_list()
    # The whole planted group, in one group, and nothing of the planted group elsewhere.
    assert set(members) >= {f"g{i:04d}" for i in range(30)}
    assert result.filter(pl.col("account_id").str.starts_with("g"))["group"].unique().to_list() == ["h0"]
    assert result.filter(pl.col("account_id").str.starts_with("n")).height < 10
    assert result.columns == ["account_id", "group"]


def test_output_is_deterministic_and_independent_of_row_order():
    features = planted_features(seed=3)
    first = behaviour_clusters(features, config=CONFIG, seed=7)
    again = behaviour_clusters(features, config=CONFIG, seed=7)
    shuffled = behaviour_clusters(features.sample(fraction=1.0, shuffle=True, seed=11),
                                  config=CONFIG, seed=7)
    assert first.height > 0
    assert_frame_equal(first, again)
    assert_frame_equal(first, shuffled)


def farm_events(seed: int = 0) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, set[str]]]:
    """300 people on a long tail of targets; two farms of 40 workers, each hitting its own 20
    client targets. The farms are alike in everything but which targets they hit."""
    rng = np.random.default_rng(seed)
    rows = []

    def at() -> datetime:
        return T0 + timedelta(seconds=int(rng.integers(0, 20 * 86_400)))

    for i in range(300):
        rows += [(f"p{i:03d}", "like", f"t{rng.integers(0, 3000)}", at()) for _ in range(15)]
    farms = {}
    for farm in ("a", "b"):
        farms[farm] = {f"f{farm}{i:03d}" for i in range(40)}
        for account in sorted(farms[farm]):
            rows += [(account, "like", f"client-{farm}{j}", at())
                     for j in rng.choice(20, 15, replace=False)]
    events = pl.DataFrame(rows, schema={"account_id": pl.String, "action": pl.String,
                                        "target_id": pl.String, "ts": pl.Datetime("us")}, orient="row")
    ids = sorted(set(events["account_id"]))
    created = [T0 - timedelta(days=int(d)) for d in rng.integers(30, 2000, len(ids))]
    accounts = pl.DataFrame({"account_id": ids, "created_at": created})
    return events, accounts, farms


def test_accounts_on_the_same_targets_are_grouped_by_the_target_embedding():
    events, accounts, farms = farm_events()
    features = account_behaviour_features(events, accounts, now=T0 + timedelta(days=20))
    result = behaviour_clusters(features, config=CONFIG, events=events)
    found = []
    for members in farms.values():
        farm_groups = result.filter(pl.col("account_id").is_in(list(members)))
        assert farm_groups.height >= 36 and farm_groups["group"].n_unique() == 1
        # The farm's group is the farm: nobody else is in it.
        group = farm_groups["group"][0]
        assert set(result.filter(pl.col("group") == group)["account_id"]) <= members
        found.append(group)
    assert found[0] != found[1]
    # Without the embedding the two farms are indistinguishable: at best one merged group.
    without = behaviour_clusters(features, config=replace(CONFIG, hdbscan_target_dims=0))
    in_groups = without.filter(pl.col("account_id").str.starts_with("f"))
    assert in_groups.group_by("group").agg(pl.col("account_id").str.slice(1, 1).n_unique().alias("farms"))[
        "farms"].max() in (None, 2)


def test_target_embedding_is_canonical_and_zero_for_loners():
    events, _, _ = farm_events(seed=1)
    ids = pl.Series(sorted(set(events["account_id"])))
    first = target_embedding(events, ids, n_components=4, seed=0)
    again = target_embedding(events.reverse(), ids, n_components=4, seed=0)
    np.testing.assert_allclose(first, again, atol=1e-9)
    assert np.all(np.linalg.norm(first, axis=1) <= 1 + 1e-9)
    loner = pl.DataFrame({"account_id": ["z"], "target_id": ["nobody-else"]})
    z = target_embedding(pl.concat([events.select("account_id", "target_id"), loner]),
                         pl.Series(sorted([*ids, "z"])), n_components=4, seed=0)
    assert np.all(z[-1] == 0)


def test_selection_applies_min_events_candidates_and_cap():
    features = pl.DataFrame({
        "account_id": ["a", "b", "c", "d", "e"],
        "n_events": [1.0, 50, 50, 50, 50],
        "creation_burst": [0.0, 9, 0, 5, 9],
        "age_days": [100.0, 1, 100, 2, 1],
    })
    cfg = replace(CONFIG, hdbscan_min_events=10, hdbscan_max_accounts=2)
    assert select_accounts(features, config=cfg)["account_id"].to_list() == ["b", "e"]
    cands = pl.Series(["a", "c", "d"])
    assert select_accounts(features, config=cfg, candidates=cands)["account_id"].to_list() == ["c", "d"]
    score = coordination_score(features)
    assert score.len() == 5 and score.is_between(0, 1).all()


def test_groups_larger_than_the_bound_are_dropped():
    features = planted_features()
    assert max_group_size(1000, replace(CONFIG, hdbscan_max_group_share=0.05,
                                        hdbscan_max_group_floor=10)) == 50
    small_bound = replace(CONFIG, hdbscan_max_group_share=0.01, hdbscan_max_group_floor=20)
    assert behaviour_clusters(features, config=small_bound).filter(
        pl.col("account_id").str.starts_with("g")).height == 0
    # With a bound above the pool size, the blob of ordinary accounts comes back as a group.
    no_bound = replace(CONFIG, hdbscan_max_group_floor=10_000)
    assert behaviour_clusters(features, config=no_bound).height > 100


def test_disabled_or_too_few_accounts_give_no_groups():
    features = planted_features()
    assert behaviour_clusters(features, config=replace(CONFIG, hdbscan_enabled=False)).height == 0
    assert behaviour_clusters(features.head(5), config=CONFIG).height == 0


def test_scaled_matrix_is_robust_to_constant_and_skewed_columns():
    frame = pl.DataFrame({"const": [0.0, 0.0, 0.0, 0.0, 1.0], "age_days": [1.0, 10, 100, 1000, 1e6]})
    x = scaled_matrix(frame)
    assert np.isfinite(x).all() and np.abs(x).max() <= 8.0
    assert x[:, 1].tolist() == sorted(x[:, 1].tolist())

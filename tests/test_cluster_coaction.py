"""Co-action groups: a rotating, jittered farm that no pair reveals is found as a group."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from syndicate.cluster.coaction import coaction_groups, group_coaction_targets
from syndicate.cluster.reconcile import absorb_coaction
from syndicate.config import ClusterConfig, LockstepConfig
from syndicate.link.combine import combine_edges
from syndicate.link.lockstep import lockstep_links

T0 = int(datetime(2026, 3, 1).timestamp())
DAY = 86_400


def _organic(rng: np.random.Generator, n_accounts: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Accounts' organic actions over a month on 2,000 Zipf-popular targets (0..1999)."""
    n_targets = 2000
    popularity = 1.0 / np.arange(1, n_targets + 1) ** 1.1
    popularity /= popularity.sum()
    counts = rng.integers(5, 50, n_accounts)
    account = np.repeat(np.arange(n_accounts), counts)
    target = rng.choice(n_targets, size=len(account), p=popularity)
    return account, target, T0 + rng.integers(0, 30 * DAY, len(account))


def _events(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> pl.DataFrame:
    account, target, second = (np.concatenate(x) for x in zip(*parts))
    return pl.DataFrame({
        "account_id": [f"u{a:05d}" for a in account], "action": "upvote",
        "target_id": [f"t{t}" for t in target],
        "ts": pl.Series(second * 1_000_000).cast(pl.Datetime("us")),
    })


def sparse_farm_market(seed: int = 3, n_organic: int = 3000, n_workers: int = 60, n_jobs: int = 40):
    """Organic users on Zipf-popular targets, a viral moment, and a farm whose jobs each use
    10–35% of its workers spread over four minutes (workers also act organically)."""
    rng = np.random.default_rng(seed)
    parts = [_organic(rng, n_organic + n_workers)]
    viral = rng.choice(n_organic, 400, replace=False)  # 400 strangers on one video in 5 minutes
    parts.append((viral, np.full(400, 0), T0 + 5 * DAY + rng.integers(0, 300, 400)))
    for job in range(n_jobs):
        share = rng.uniform(0.10, 0.35)
        crew = n_organic + np.flatnonzero(rng.random(n_workers) < share)
        start = T0 + rng.integers(0, 30 * DAY)
        parts.append((crew, np.full(len(crew), rng.integers(2000)), start + rng.integers(0, 240, len(crew))))
    farm = {f"u{a:05d}" for a in range(n_organic, n_organic + n_workers)}
    return _events(parts), farm


def test_rotating_jittered_farm_is_found_as_a_group_and_no_pair_binds_it():
    events, farm = sparse_farm_market()
    links = lockstep_links(events, config=LockstepConfig())
    edges = combine_edges(links.edges)
    # No single pair is strong enough: pairwise lockstep alone would miss the farm.
    farm_pairs = edges.filter(pl.col("account_a").is_in(list(farm)) & pl.col("account_b").is_in(list(farm)))
    assert farm_pairs.height > 0
    assert (farm_pairs["weight"] >= ClusterConfig().min_edge_weight).mean() < 0.2

    groups = coaction_groups(edges, links.bursts, links.account_ids, config=ClusterConfig(), seed=0)
    best = (groups.with_columns(pl.col("account_id").is_in(list(farm)).alias("farm"))
            .group_by("group").agg(pl.len().alias("n"), pl.col("farm").sum().alias("hit"))
            .sort("hit", descending=True).row(0, named=True))
    jaccard = best["hit"] / (best["n"] + len(farm) - best["hit"])
    assert jaccard >= 0.8, best
    # Organic users (the viral crowd included) form no co-action group.
    assert groups.filter(~pl.col("account_id").is_in(list(farm))).height <= 0.02 * 3000


def careful_farm_market(seed: int = 3, n_organic: int = 3000, n_workers: int = 60, n_jobs: int = 50):
    """Organic users on Zipf-popular targets and a careful farm: each job uses 10-20% of its
    workers spread over fifteen minutes (a two-minute bucket holds one to three of them), so a
    pair of workers shares a job or none."""
    rng = np.random.default_rng(seed)
    parts = [_organic(rng, n_organic + n_workers)]
    for job in range(n_jobs):
        crew = n_organic + np.flatnonzero(rng.random(n_workers) < rng.uniform(0.10, 0.20))
        start = T0 + rng.integers(0, 30 * DAY)
        parts.append((crew, np.full(len(crew), 2000 + job), start + rng.integers(0, 900, len(crew))))
    return _events(parts), {f"u{a:05d}" for a in range(n_organic, n_organic + n_workers)}


def test_a_careful_farm_whose_pairs_share_one_job_is_found_by_its_held_out_bursts():
    """No weak link gathers it (the weak-link groups hold a fifth of it at best); gathered on
    the pairs met in one small burst on half of the targets and confirmed on the other half
    (``coaction_sparse``, off by default), half of it or more comes out in one group, with a
    handful of organic users beside."""
    from dataclasses import replace

    events, farm = careful_farm_market()
    links = lockstep_links(events, config=LockstepConfig())
    edges = combine_edges(links.edges)

    def best(sparse: bool) -> tuple[float, int]:
        groups = coaction_groups(edges, links.bursts, links.account_ids,
                                 config=replace(ClusterConfig(), coaction_sparse=sparse), seed=0)
        if groups.height == 0:
            return 0.0, 0
        top = (groups.with_columns(pl.col("account_id").is_in(list(farm)).alias("farm"))
               .group_by("group").agg(pl.len().alias("n"), pl.col("farm").sum().alias("hit"))
               .sort("hit", descending=True).row(0, named=True))
        organic = groups.filter(~pl.col("account_id").is_in(list(farm))).height
        return top["hit"] / (top["n"] + len(farm) - top["hit"]), organic

    without, _ = best(False)
    with_crews, organic = best(True)
    assert without < 0.25 and with_crews >= 0.5, (without, with_crews)
    assert organic <= 0.005 * 3000, organic


def test_groups_are_deterministic_and_row_order_invariant():
    events, _ = sparse_farm_market(seed=5, n_organic=1500)
    config = ClusterConfig()

    def groups(frame):
        links = lockstep_links(frame)
        return coaction_groups(combine_edges(links.edges), links.bursts, links.account_ids, config=config, seed=1)

    first = groups(events)
    assert first.height > 0
    assert first.equals(groups(events))
    assert first.equals(groups(events.sample(fraction=1.0, shuffle=True, seed=9)))


def test_absorb_takes_fragments_inside_and_the_crew_members_of_groups_outside():
    graph = pl.DataFrame({"account_id": ["a", "b", "x", "y", "z"], "group": ["0", "0", "1", "1", "1"]})
    co = pl.DataFrame({"account_id": ["a", "b", "c", "x"], "group": ["c0"] * 4})
    # Group 1 (an IP or address shared with two others: a hijacked account's household) has a
    # minority in the crew: x acted with the crew, and goes with it.
    merged = absorb_coaction(graph, co)
    assert merged.filter(pl.col("group") == "c0")["account_id"].to_list() == ["a", "b", "c", "x"]
    assert merged.filter(pl.col("group") == "1")["account_id"].to_list() == ["y", "z"]
    assert merged["account_id"].is_unique().all()
    # Bound by personal identifiers (one operator's devices or cards), group 1 keeps x.
    kept = absorb_coaction(graph, co, protected=pl.Series(["1"]))
    assert kept.filter(pl.col("group") == "c0")["account_id"].to_list() == ["a", "b", "c"]
    assert kept.filter(pl.col("group") == "1")["account_id"].to_list() == ["x", "y", "z"]
    # ... but a protected group wholly inside a crew at least as large is a team of the crew
    # (the eleventh marketplace's farms: workers sharing phones in teams of 8-44 inside farms of
    # 136-217, which came out in three or four pieces): it joins; with one member outside, not.
    team = pl.DataFrame({"account_id": ["a", "b"], "group": ["0", "0"]})
    joined = absorb_coaction(team, co, protected=pl.Series(["0"]))
    assert joined.filter(pl.col("group") == "c0")["account_id"].to_list() == ["a", "b", "c", "x"]
    assert joined["found_by"].unique().to_list() == ["graph+coaction"]
    apart = absorb_coaction(team.vstack(pl.DataFrame({"account_id": ["w"], "group": ["0"]})), co,
                            protected=pl.Series(["0"]))
    assert apart.filter(pl.col("group") == "0")["account_id"].to_list() == ["a", "b", "w"]
    assert apart.filter(pl.col("group") == "c0")["account_id"].to_list() == ["c", "x"]
    # Half of a group or more in the crew, but the group larger than the crew: it keeps them.
    big = pl.DataFrame({"account_id": ["p", "q", "r", "s"], "group": ["2"] * 4})
    crew = pl.DataFrame({"account_id": ["p", "q", "t"], "group": ["c1"] * 3})
    out = absorb_coaction(big, crew)
    assert out.filter(pl.col("group") == "2")["account_id"].to_list() == ["p", "q", "r", "s"]
    assert out.filter(pl.col("group") == "c1").height == 0  # t alone is under min_size


def test_crews_tied_by_weak_links_but_never_in_one_burst_come_out_apart():
    """Two farms whose workers share proxy IPs (weak links tie them into one Leiden community)
    but never act in the same burst are two co-action groups, not one."""
    events, farm = sparse_farm_market(seed=7, n_organic=2000, n_workers=40, n_jobs=30)
    # The second farm: the same workers' pattern shifted to other accounts and other targets.
    second, workers = sparse_farm_market(seed=8, n_organic=500, n_workers=40, n_jobs=30)
    second = second.with_columns(
        account_id=pl.lit("v") + pl.col("account_id").str.slice(1),
        target_id=pl.lit("s") + pl.col("target_id"))
    farm_b = {"v" + w[1:] for w in workers}
    links = lockstep_links(pl.concat([events, second]), config=LockstepConfig())
    a, b = sorted(farm), sorted(farm_b)
    rng = np.random.default_rng(0)
    pairs = {(x, y) for x, y in zip(rng.choice(a, 400), rng.choice(b, 400))}
    proxy = pl.DataFrame({"account_a": [min(p) for p in pairs], "account_b": [max(p) for p in pairs],
                          "ip": 0.5}).sort("account_a", "account_b")
    edges = combine_edges(links.edges, proxy)

    groups = coaction_groups(edges, links.bursts, links.account_ids, config=ClusterConfig(), seed=0)
    found = (groups.with_columns(pl.col("account_id").is_in(a).alias("in_a"),
                                 pl.col("account_id").is_in(b).alias("in_b"))
             .group_by("group").agg(pl.len().alias("n"), pl.col("in_a").sum(), pl.col("in_b").sum()))
    for crew, column in ((farm, "in_a"), (farm_b, "in_b")):
        best = found.sort(column, descending=True).row(0, named=True)
        assert best[column] / (best["n"] + len(crew) - best[column]) >= 0.8, found
    # No group holds many of both.
    assert found.filter((pl.col("in_a") >= 3) & (pl.col("in_b") >= 3)).height == 0, found


def test_group_coaction_counts_a_cluster_over_its_share_not_its_chance_meetings():
    """A large cluster of strangers meets three at a time on every popular burst by chance (its
    share of them); a crew hits its jobs many times over its share. Only the crew's count as
    group co-action at the co-action stage's lift, on the whole burst table or on the rows of
    the clusters' accounts with burst sizes and totals (as the Spark engine hands them over)."""
    rng = np.random.default_rng(4)
    n_accounts, crowd, crew = 5000, np.arange(1000), np.arange(4000, 4030)
    rows = []
    for burst in range(300):  # popular targets: 60 random accounts each
        rows += [(burst, burst, a) for a in rng.choice(n_accounts, 60, replace=False)]
    for job in range(20):  # the crew's jobs: 8 of its 30 with 20 others
        burst = 300 + job
        rows += [(burst, 1000 + job, a) for a in rng.choice(crew, 8, replace=False)]
        rows += [(burst, 1000 + job, a) for a in rng.choice(crew[0] - 1, 20, replace=False) + 1000]
    bursts = pl.DataFrame(rows, schema={"burst": pl.Int64, "target": pl.Int64, "account": pl.Int64},
                          orient="row").unique(maintain_order=True).sort("burst", maintain_order=True)
    ids = pl.Series("account_id", [f"a{i:05d}" for i in range(n_accounts)])
    members = pl.DataFrame({"cluster_id": ["crowd"] * len(crowd) + ["crew"] * len(crew),
                            "account_id": ids.gather(np.r_[crowd, crew])})

    def counts(**kw):
        return dict(group_coaction_targets(members, bursts, ids, **kw).iter_rows())

    chance = counts(min_lift=1.0)
    assert chance["crowd"] >= 100 and chance["crew"] >= 20
    lifted = counts(min_lift=ClusterConfig().coaction_min_lift)
    assert lifted["crowd"] <= 2 and lifted["crew"] >= 20
    # Spark's hand-over: only the members' rows, each with its burst's size, and the totals.
    sizes = bursts.group_by("burst").agg(pl.len().alias("size"))
    theirs = (bursts.join(sizes, on="burst").filter(pl.col("account").is_in(np.r_[crowd, crew]))
              .sort("burst", "account"))
    spark = dict(group_coaction_targets(members, theirs, ids, min_lift=ClusterConfig().coaction_min_lift,
                                        totals={"memberships": bursts.height, "accounts": n_accounts}).iter_rows())
    assert spark == lifted
    # Rows in any order count the same.
    shuffled = bursts.sample(fraction=1.0, shuffle=True, seed=2)
    assert dict(group_coaction_targets(members, shuffled, ids, min_lift=5.0).iter_rows()) == lifted

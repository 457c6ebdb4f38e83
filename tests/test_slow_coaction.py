"""The slow co-action pass (``[lockstep] slow_window_seconds``): farms that spread each job over
most of an hour, found as a group of the accounts no other stage put in a cluster."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from syndicate import pipeline
from syndicate.config import Config, ConfigError
from syndicate.contract import validate
from syndicate.risk.archetypes import window_words

from conftest import slow_farm_tables


def _config(**lockstep) -> Config:
    config = Config(seed=1)
    return config.replace(lockstep=dataclasses.replace(config.lockstep, **lockstep))


def _farm_clusters(result, farm: set[str]) -> pl.DataFrame:
    """Per cluster holding farm workers: its size, how many, found_by, archetype, reasons."""
    return (result.members.join(result.clusters.select("cluster_id", "found_by", "archetype", "slow_coaction_targets",
                                                        pl.col("reasons").list.first().alias("reason")),
                                on="cluster_id")
            .group_by("cluster_id")
            .agg(pl.len().alias("n"), pl.col("account_id").is_in(list(farm)).sum().alias("workers"),
                 pl.first("found_by"), pl.first("archetype"), pl.first("slow_coaction_targets"), pl.first("reason"))
            .filter(pl.col("workers") > 0).sort("workers", descending=True))


@pytest.fixture(scope="module")
def slow_farm():
    tables, farm = slow_farm_tables()
    return validate(tables), farm


def test_a_farm_spreading_its_jobs_over_most_of_an_hour_is_found_by_the_slow_pass(slow_farm):
    dataset, farm = slow_farm
    without = pipeline.run(dataset, config=_config(slow_window_seconds=0))
    assert _farm_clusters(without, farm).height == 0  # within two minutes its workers rarely meet

    found = _farm_clusters(pipeline.run(dataset, config=Config(seed=1)), farm)
    best = found.row(0, named=True)
    assert best["workers"] >= 0.9 * len(farm) and best["n"] - best["workers"] <= 0.1 * len(farm), found
    assert best["found_by"] == "slow_coaction"
    # Named by what bound it, counted on the slow pass's buckets (the farm ran 40 jobs).
    assert best["slow_coaction_targets"] >= 30
    assert f"several members hit {best['slow_coaction_targets']} targets together within the same hour" in best["reason"]


def test_the_slow_pass_is_deterministic_and_reports_what_it_counted(slow_farm):
    dataset, _ = slow_farm
    first, second = (pipeline.run(dataset, config=Config(seed=1)) for _ in range(2))
    assert first.members.equals(second.members)
    assert first.clusters.select("cluster_id", "risk_score").equals(second.clusters.select("cluster_id", "risk_score"))
    info = first.manifest["link"]["slow_lockstep"]
    assert info["window_seconds"] == 3600 and info["groups"] >= 1 and info["group_accounts"] >= 36


def test_events_recorded_to_the_hour_run_no_slow_pass():
    """Both windows would see the same buckets: the slow pass finds nothing the other did not."""
    tables, _ = slow_farm_tables(n_organic=300)
    hourly = tables["events"].with_columns(pl.col("ts").dt.truncate("1h"))
    result = pipeline.run(validate({**tables, "events": hourly}), config=Config(seed=1))
    assert "slow_lockstep" not in result.manifest["link"]
    assert not result.clusters["found_by"].str.contains("slow").any()
    assert not pipeline.slow_pass_runs(_config(slow_window_seconds=0), clock_s=1)
    assert pipeline.slow_pass_runs(Config(), clock_s=60)


def test_accounts_another_stage_clustered_stay_in_their_clusters():
    from syndicate.cluster.reconcile import add_slow_groups

    found = pl.DataFrame({"account_id": ["a", "b", "c"], "group": ["0", "0", "c1"],
                          "found_by": ["graph", "graph", "coaction"]})
    slow = pl.DataFrame({"account_id": ["a", "c", "x", "y", "z"], "group": ["c0", "c0", "c0", "c0", "c0"]})
    out = add_slow_groups(found, slow, min_size=2)
    assert out.filter(pl.col("account_id").is_in(["a", "b", "c"])).equals(found.sort("account_id", "group"))
    assert out.filter(pl.col("found_by") == "slow_coaction")["account_id"].to_list() == ["x", "y", "z"]
    # Fewer than min_size left: no group.
    assert add_slow_groups(found, slow.filter(pl.col("account_id") != "y").filter(pl.col("account_id") != "z"),
                           min_size=2).equals(found)


def test_the_window_is_said_in_words():
    assert [window_words(s) for s in (3600, 1800, 7200, 60, 90)] == [
        "hour", "30 minutes", "2 hours", "minute", "90 seconds"]


def test_the_slow_window_is_validated():
    with pytest.raises(ConfigError, match="slow_window_seconds"):
        Config.from_dict({"lockstep": {"slow_window_seconds": -1}})
    # A window no wider than the short one would find nothing the short one did not: said, not ignored.
    with pytest.raises(ConfigError, match="'lockstep.slow_window_seconds' parameter \\(120\\) must be 0 \\(off\\) or wider"):
        Config.from_dict({"lockstep": {"slow_window_seconds": 120}})
    assert Config.from_dict({"lockstep": {"slow_window_seconds": 0}}).lockstep.slow_window_seconds == 0


def test_a_slow_farms_case_lists_the_targets_its_members_hit_within_the_hour(tmp_path):
    from syndicate.cases import export_cases

    tables, farm = slow_farm_tables(n_organic=500)
    data = tmp_path / "data"
    data.mkdir()
    for name, frame in tables.items():
        frame.write_parquet(data / f"{name}.parquet")
    run = pipeline.run_to_folder(data, tmp_path / "run", config=Config(seed=1), quiet=True)
    slow = run.clusters.filter(pl.col("found_by") == "slow_coaction").sort("size", descending=True)
    (folder,) = export_cases(tmp_path / "run", cluster_ids=[slow["cluster_id"][0]], out_dir=tmp_path / "cases")
    evidence = pl.read_csv(folder / "evidence.csv", infer_schema=False)
    units = evidence.filter(pl.col("kind") == "slow_coaction")
    # Nearly all on the farm's own targets (t10000 on: one per job), not on the popular ones
    # its workers also visit, and every job is there.
    jobs = units.filter(pl.col("value").str.strip_prefix("t").cast(pl.Int64) >= 10_000)
    assert jobs["value"].n_unique() >= 35 and jobs["value"].n_unique() >= 0.9 * units["value"].n_unique(), units
    assert len(set(jobs["account_a"]) - farm) <= 2
    # A cluster another stage found lists no such units (this run has no other cluster: the
    # rule is checked on its own), one the slow pass found and HDBSCAN confirmed does.
    from syndicate.cases.case import _slow_window

    lockstep = {"slow_window_seconds": 3600}
    assert [_slow_window(pl.DataFrame({"found_by": [f]}), lockstep)
            for f in ("graph", "graph+coaction", "coaction", None, "slow_coaction+hdbscan")] == [
        None, None, None, None, 3600]
    assert _slow_window(pl.DataFrame({"found_by": ["slow_coaction"]}), {"slow_window_seconds": 0}) is None


def test_names_follow_what_bound_a_cluster_the_slow_pass_found():
    from syndicate.risk.archetypes import assign_archetypes

    row = {"cluster_id": "C1", "size": 40, "found_by": "slow_coaction", "risk_score": 0.9, "slow_coaction_targets": 23,
           "coaction_targets": 1, "group_burst_share": 0.3, "evidence_lockstep": 0.02, "co_target_share": 0.1,
           "lockstep_edge_share": 0.4, "mean_shared_bursts": 2.0, "n_edges": 200, "created_within_7d": 3,
           "young_180d_share": 0.2, "max_accounts_per_phone": 5, "accounts_per_phone": 4.0, "phone_values": 10,
           **{f"evidence_{k}": 0.0 for k in ("device", "payment", "phone", "email", "address", "other", "given", "ip",
                                             "rare_coaction", "rating_burst")},
           "reasons": ["40 linked accounts"]}
    rows = pl.DataFrame([row, {**row, "cluster_id": "C2", "evidence_phone": 0.9},
                         {**row, "cluster_id": "C3", "risk_score": 0.2},
                         {**row, "cluster_id": "C4", "slow_coaction_targets": None, "found_by": "coaction"}])
    named = assign_archetypes(rows, slow_window_s=1800)
    assert named["archetype"].to_list() == ["engagement_farm", "mixed", "low_risk", "engagement_farm"]
    first = [r[0] for r in named["reasons"].to_list()]
    said = "several members hit 23 targets together within the same 30 minutes"
    assert first[0] == f"engagement farm: found by acting together as a group at a slower pace; {said}"
    assert first[1].startswith(f"mixed: {said}, and ") and "phone" in first[1]
    assert first[2] == f"low risk: {said}, but too little else points to a farm"
    assert said not in first[3]


def test_above_slow_max_events_the_pass_is_skipped_and_the_run_says_so(slow_farm):
    dataset, farm = slow_farm
    result = pipeline.run(dataset, config=_config(slow_max_events=dataset.events.height - 1))
    skipped = result.manifest["link"]["slow_lockstep"]["skipped"]
    assert f"{dataset.events.height:,} events are more than [lockstep] slow_max_events" in skipped
    assert skipped in result.warnings
    assert _farm_clusters(result, farm).height == 0
    # 0: any number.
    assert pipeline.slow_pass_runs(_config(slow_max_events=0), clock_s=1, n_events=10**9)
    assert pipeline.slow_pass_skipped(_config(slow_max_events=0), 10**9) is None


def test_a_ring_joined_of_slow_pieces_alone_keeps_their_name_and_hourly_data_no_skip_warning():
    from syndicate.cluster.rings import joined_found_by

    found = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "group": ["s1"] * 4,
                          "found_by": ["slow_coaction", "slow_coaction", "graph", "slow_coaction"]})
    joined = pl.DataFrame({"account_id": ["a", "b", "d"], "ring": ["s1"] * 3})
    assert joined_found_by(found, joined)["found_by"].to_list() == ["slow_coaction"] * 4  # one name per group
    # A graph piece joined in: the graph found it.
    with_graph = joined_found_by(found, joined.vstack(pl.DataFrame({"account_id": ["c"], "ring": ["s1"]})))
    assert set(with_graph["found_by"]) == {"graph"}

    # Events recorded to the hour: the clock keeps the pass out, whatever their number, and the
    # run does not ask for a higher slow_max_events.
    tables, _ = slow_farm_tables(n_organic=300)
    hourly = tables["events"].with_columns(pl.col("ts").dt.truncate("1h"))
    result = pipeline.run(validate({**tables, "events": hourly}), config=_config(slow_max_events=100))
    assert "slow_lockstep" not in result.manifest["link"]
    assert not any("slow co-action" in w for w in result.warnings)


def test_the_link_stage_alone_records_no_skip_for_hourly_events():
    """The API's link stage, which has no behaviour stage after it to read the clock, and the
    run's own test for an engine whose link stage does not read it (Spark)."""
    from syndicate.api import build_links

    tables, _ = slow_farm_tables(n_organic=300)
    hourly = tables["events"].with_columns(pl.col("ts").dt.truncate("1h"))
    config = _config(slow_max_events=100)
    assert "slow_lockstep" not in build_links(validate({**tables, "events": hourly}), config=config).info
    recorded = build_links(validate(tables), config=config).info  # to the second: a number stopped it
    assert "skipped" in recorded["slow_lockstep"]
    assert not pipeline.stale_slow_skip(recorded, config, clock_s=1)
    assert pipeline.stale_slow_skip(recorded, config, clock_s=3_600)
    assert not pipeline.stale_slow_skip({}, config, clock_s=3_600)

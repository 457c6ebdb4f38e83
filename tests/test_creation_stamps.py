"""Creation stamps (syndicate/asof.py): one exact created_at held by many accounts — a migration
or import date, a default where the source kept none — is read as an unknown creation time by
the creation features, not as a sign-up batch; counted in the manifest, the warnings and the report."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest

from conftest import BENCHMARKS, run_cli
from syndicate.asof import (PLAUSIBLE_FROM, STAMP_MIN_ACCOUNTS, bound_timestamps, creation_stamps,
                            describe_creation_stamps, known_creation)
from syndicate.evaluate import evaluate
from syndicate.features.clusters import creation_features

T0 = datetime(2024, 3, 1)


def seconds_apart(n: int, start: datetime = T0) -> list[datetime]:
    rng = np.random.default_rng(0)
    return [start + timedelta(seconds=int(s)) for s in np.sort(rng.integers(0, 400 * 86_400, n))]


def test_a_migration_date_on_many_accounts_is_a_stamp():
    created = pl.Series("created_at", seconds_apart(5_000) + [datetime(2021, 6, 1)] * 1_500)
    stamps = creation_stamps(created)
    assert stamps.rows() == [(datetime(2021, 6, 1), 1_500)]
    assert known_creation(created).null_count() == 1_500


def test_a_ring_made_at_one_midnight_is_no_stamp():
    """The most accounts at one instant among the independent marketplaces' planted rings: 24."""
    created = pl.Series("created_at", seconds_apart(20_000) + [datetime(2024, 5, 1)] * 24)
    assert creation_stamps(created).height == 0


def test_data_kept_to_the_day_has_no_stamp_on_its_busiest_day():
    """Review dumps give a day: many accounts per instant is the resolution. A day ten times the
    median day is a busy day, not a stamp."""
    days = [T0 + timedelta(days=d) for d in range(400) for _ in range(20)] + [T0 + timedelta(days=50)] * 180
    assert creation_stamps(pl.Series("created_at", days)).height == 0


def test_one_time_on_every_account_is_a_stamp_but_half_of_a_small_batch_is_not():
    """A table whose accounts all carry one created_at has no creation time to read. A batch of
    new sign-ups (score-new reads one alone) of which 60 were made at one instant and 60 apart is
    a batch, not a stamp: 60 is not a hundred times the one account per other instant."""
    assert creation_stamps(pl.Series("created_at", [T0] * 300))["accounts"].to_list() == [300]
    batch = pl.Series("created_at", [T0] * 60 + [T0 + timedelta(minutes=i) for i in range(1, 61)])
    assert creation_stamps(batch).height == 0


def test_a_small_table_made_at_one_instant_keeps_its_creation_times():
    """Below STAMP_MIN_ACCOUNTS accounts at one instant nothing is a stamp (a ring of ten made
    by one script in a test table is a batch)."""
    created = pl.Series("created_at", [T0] * (STAMP_MIN_ACCOUNTS - 1))
    assert creation_stamps(created).height == 0


def test_the_clip_of_an_unknown_sentinel_is_always_unknown():
    tables = {"accounts": pl.DataFrame({"account_id": ["a", "b", "c"],
                                        "created_at": [datetime(1970, 1, 1), T0, T0 + timedelta(days=1)]})}
    tables, _, report = bound_timestamps(tables)
    assert tables["accounts"]["created_at"][0] == PLAUSIBLE_FROM
    assert known_creation(tables["accounts"]["created_at"]).to_list() == [None, T0, T0 + timedelta(days=1)]
    assert report["creation_stamps"]["accounts"] == 1


def test_a_tz_aware_stamp_is_found():
    created = pl.Series("created_at", seconds_apart(5_000) + [datetime(2021, 6, 1)] * 1_000).dt.replace_time_zone("UTC")
    assert creation_stamps(created)["accounts"].to_list() == [1_000]


def test_cluster_creation_features_leave_stamped_members_out():
    """A family of old accounts migrated with one date is no batch; a ring beside stamped
    accounts keeps its own figures, its share over all of its members."""
    stamp = datetime(2021, 6, 1)
    others = seconds_apart(3_000)
    ids = [f"o{i}" for i in range(3_000)] + [f"f{i}" for i in range(6)] + [f"s{i}" for i in range(200)] \
        + [f"r{i}" for i in range(8)]
    created = others + [stamp] * 6 + [stamp] * 200 + [T0 + timedelta(days=500, minutes=i) for i in range(8)]
    accounts = pl.DataFrame({"account_id": ids, "created_at": created})
    members = pl.DataFrame({"account_id": [f"f{i}" for i in range(6)] + [f"r{i}" for i in range(8)] + ["s0", "s1"],
                            "cluster_id": ["F"] * 6 + ["R"] * 10})
    out = {r["cluster_id"]: r for r in creation_features(members, accounts, T0 + timedelta(days=600)).to_dicts()}
    family, ring = out["F"], out["R"]
    assert family["created_within_1d"] == 0 and family["created_within_7d_share"] == 0
    assert family["created_core_span_days"] is None and family["young_180d_share"] is None
    assert ring["created_within_7d"] == 8 and ring["created_within_7d_share"] == pytest.approx(0.8)
    assert ring["young_180d_share"] == 1.0


def test_describe_names_the_stamp_and_its_count():
    report = {"creation_stamps": {"accounts": 6_000, "count": 1,
                                  "stamps": [{"created_at": "2021-08-30T00:00:00", "accounts": 6_000}]}}
    (line,) = describe_creation_stamps(report)
    assert "6,000 accounts share one creation time" in line and "2021-08-30T00:00:00" in line
    assert describe_creation_stamps({}) == []


def test_unknown_creation_gives_no_instant_start_and_no_sentence():
    """The account scorecard reads an unknown first-action delay as no instant start (not as
    "0 days after creation"), and no reason sentence is written from an unknown value."""
    from syndicate.risk.account_reasons import describe_account
    from syndicate.risk.account_scorecard import account_scorecard
    from syndicate.risk.reasons import describe

    table = pl.DataFrame({"account_id": ["a", "b"], "n_events": [10.0, 10.0],
                          "first_event_delay_days": [None, 0.0], "creation_burst": [None, 0.0]},
                         schema_overrides={"first_event_delay_days": pl.Float64, "creation_burst": pl.Float64})
    _, names, terms = account_scorecard(table)
    instant = terms[:, names.index("instant_start")]
    assert instant[0] == 0.0 and instant[1] > 0.0
    row = {"first_event_delay_days": None, "creation_burst": None}
    assert describe_account("instant_start", row) is None and describe_account("batch_created", row) is None
    assert describe_account("first_event_delay_days", row) is None
    cluster = {"young_180d_share": None, "created_core_span_days": None, "created_span_days": None, "size": 8}
    assert describe("young_accounts", cluster) is None and describe("slow_growth", cluster) is None


def test_archetype_sentences_say_when_creation_times_are_unknown():
    from syndicate.risk.archetypes import archetype_reason

    row = {"archetype": "account_takeover", "size": 8, "takeover_wave_share": 1.0, "created_span_days": None,
           "max_accounts_per_device": 8, "accounts_per_device": 8.0, "device_values": 1}
    text = archetype_reason(row)
    assert "unknown creation times" in text and "0 days" not in text


@pytest.mark.slow
def test_a_migration_stamp_on_a_third_of_the_accounts_costs_no_place(tmp_path):
    """The tenth marketplace without labels, its oldest 30% stamped with one migration date:
    read as creation times, the stamp made the clusters of old accounts look like batches
    (top K 0.655 -> 0.586 at `--seed 1`, 20k accounts); read as unknown, as without it."""
    data = tmp_path / "data"
    subprocess.run([sys.executable, str(BENCHMARKS / "tenth_marketplace.py"), str(data), "--accounts", "20000",
                    "--seed", "1", "--no-labels"], check=True, capture_output=True, timeout=600)
    accounts = pl.read_parquet(data / "accounts.parquet")
    cut = accounts["created_at"].sort()[6_000]
    stamp = cut.replace(hour=0, minute=0, second=0, microsecond=0)
    accounts.with_columns(pl.when(pl.col("created_at") < cut).then(pl.lit(stamp))
                          .otherwise(pl.col("created_at")).alias("created_at")).write_parquet(data / "accounts.parquet")
    proc = run_cli("run", data, "--out", tmp_path / "run", "--seed", 1)
    assert "is a stamp, not a sign-up batch" in proc.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["timestamps"]["creation_stamps"]["accounts"] == 6_000
    assert "Creation stamps" in (tmp_path / "run" / "report.html").read_text()
    truth = pl.read_parquet(data / "truth.parquet")
    k = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
    top = evaluate(pl.read_parquet(tmp_path / "run" / "members.parquet"),
                   pl.read_parquet(tmp_path / "run" / "clusters.parquet"), truth, top_k=k).metrics["top_k"]["precision"]
    assert top >= 0.62, top


def _stamped_accounts() -> pl.DataFrame:
    """2,000 accounts made seconds apart and 300 old ones stamped with yesterday's import date."""
    created = seconds_apart(2_000) + [datetime(2025, 4, 9)] * 300
    return pl.DataFrame({"account_id": [f"a{i:04d}" for i in range(len(created))], "created_at": created})


def test_what_a_person_reads_treats_a_stamp_as_no_sign_up():
    """The case bundle's members (flagged, no age), the report's sign-ups per day and the alerts'
    new accounts all leave a stamp out: an import dated yesterday is no burst of 300 sign-ups."""
    from syndicate.alerts import run_metrics
    from syndicate.cases.members import member_table
    from syndicate.report.html import creation_by_day

    accounts = _stamped_accounts()
    now = datetime(2025, 4, 10)
    ids = pl.Series("account_id", ["a0000", "a2000", "a2001"])
    edges = pl.DataFrame({"account_a": ["a0000", "a2000"], "account_b": ["a2000", "a2001"], "weight": [0.5, 0.5]})
    members = member_table(ids, edges, accounts=accounts, events=None, labels=None, now=now).sort("account_id")
    assert members["creation_stamped"].to_list() == [False, True, True]
    assert members["age_days"][0] > 0 and members["age_days"].null_count() == 2
    assert members["created_at"][1] == datetime(2025, 4, 9)  # shown as the data has it

    cluster = pl.DataFrame({"account_id": ids, "cluster_id": ["C1"] * 3})
    clusters = pl.DataFrame({"cluster_id": ["C1"], "risk_score": [0.9], "size": [3]})
    per_day = creation_by_day(accounts, cluster, clusters, high_risk_threshold=0.5)
    assert per_day["accounts"].sum() == 2_000 and datetime(2025, 4, 9).date() not in per_day["day"].to_list()
    metrics = run_metrics(cluster, clusters, accounts, now=now, high_risk_threshold=0.5)
    assert metrics["new_accounts"] == 0

"""Data the contract allows but that used to crash a run: far timestamps, case-variant actions,
TeX-like strings drawn as labels, and a history database held open by a reader."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from syndicate import history
from syndicate.asof import PLAUSIBLE_FROM, bound_timestamps, default_reference_time
from syndicate.cli import ALERT_EXIT, LOCKED_EXIT, main

T0 = datetime(2026, 1, 1)
TEX = "$\\frac{a}{$"


def marketplace(n: int = 40) -> dict[str, pl.DataFrame]:
    """Rings of four accounts on one device each; twelve accounts liking thirty targets in step."""
    ids = [f"a{i:03d}" for i in range(n)]
    accounts = pl.DataFrame({"account_id": ids, "created_at": [T0 - timedelta(days=3 * i) for i in range(n)]})
    signals = pl.DataFrame({"account_id": ids, "kind": ["device"] * n, "value": [f"d{i // 4}" for i in range(n)]})
    rows = [(ids[i], "like", f"t{j}", T0 + timedelta(hours=j, seconds=i)) for j in range(30) for i in range(12)]
    rows += [(ids[i], "follow", f"u{i}", T0 + timedelta(days=i % 7)) for i in range(n)]
    events = pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")
    labels = pl.DataFrame({"account_id": ids[:6], "label": [1, 1, 1, 0, 0, 0]})
    return {"accounts": accounts, "signals": signals, "events": events, "labels": labels}


def write(tables: dict[str, pl.DataFrame], folder: Path, fmt: str = "parquet") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_csv(folder / f"{name}.csv") if fmt == "csv" else frame.write_parquet(folder / f"{name}.parquet")
    return folder


def run(capsys, *args) -> tuple[int, str]:
    code = main(["run", *map(str, args), "--quiet"])
    captured = capsys.readouterr()
    return code, captured.err


def manifest(run_dir: Path) -> dict:
    return json.loads((run_dir / "manifest.json").read_text())


# --- far timestamps ----------------------------------------------------------------------------

def test_accounts_in_year_1_and_9999_and_an_event_in_9999_finish_and_are_reported(tmp_path, capsys):
    tables = marketplace()
    accounts = tables["accounts"].with_columns(
        pl.when(pl.col("account_id") == "a001").then(pl.lit(datetime(1, 1, 1)))
        .when(pl.col("account_id") == "a002").then(pl.lit(datetime(9999, 12, 31)))
        .otherwise(pl.col("created_at")).alias("created_at"))
    far_event = pl.DataFrame({"account_id": ["a003"], "action": ["like"], "target_id": ["t1"],
                              "ts": [datetime(9999, 12, 31, 23)]})
    data = write({**tables, "accounts": accounts, "events": pl.concat([tables["events"], far_event])}, tmp_path / "d")
    code, err = run(capsys, data, "--out", tmp_path / "run")
    assert code == 0, err
    stamps = manifest(tmp_path / "run")["timestamps"]
    assert stamps["reference_time"] == "2026-01-07T00:00:00"
    assert stamps["out_of_range"]["accounts.created_at"]["count"] == 2
    assert stamps["out_of_range"]["accounts.created_at"]["earliest"] == "0001-01-01T00:00:00"
    assert stamps["out_of_range"]["events.ts"]["count"] == 1
    assert "accounts.created_at: 2 timestamps are out of range" in err
    report = (tmp_path / "run" / "report.html").read_text()
    assert "Timestamps out of range" in report and "events.ts: 1 timestamp is out of range" in report
    assert main(["report", str(tmp_path / "run")]) == 0


def test_five_stray_future_events_do_not_move_the_reference_time(tmp_path, capsys):
    tables = marketplace()
    strays = pl.DataFrame({"account_id": ["a020"] * 5, "action": ["like"] * 5, "target_id": ["t3"] * 5,
                           "ts": [datetime(2099, 6, 1, 0, i) for i in range(5)]})
    clean = write(tables, tmp_path / "clean")
    stray = write({**tables, "events": pl.concat([tables["events"], strays])}, tmp_path / "stray")
    assert run(capsys, clean, "--out", tmp_path / "r1")[0] == 0
    assert run(capsys, stray, "--out", tmp_path / "r2")[0] == 0
    first, second = manifest(tmp_path / "r1"), manifest(tmp_path / "r2")
    assert first["reference_time"] == second["reference_time"] == "2026-01-07T00:00:00"
    assert second["timestamps"]["strays"] == 5
    for name in ("members.parquet", "clusters.parquet", "edges.parquet"):
        assert (tmp_path / "r1" / name).read_bytes() == (tmp_path / "r2" / name).read_bytes(), name


def test_as_of_sets_the_reference_time_and_leaves_later_events_out(tmp_path, capsys):
    data = write(marketplace(), tmp_path / "d")
    code, err = run(capsys, data, "--out", tmp_path / "run", "--as-of", "2026-01-02T01:00:00+01:00")
    assert code == 0, err
    stamps = manifest(tmp_path / "run")["timestamps"]
    assert stamps["source"] == "as_of" and stamps["reference_time"] == "2026-01-02T00:00:00"
    assert stamps["out_of_range"]["events.ts"]["after_reference"] > 0
    code, err = run(capsys, data, "--out", tmp_path / "bad", "--as-of", "next tuesday")
    assert code == 2 and "--as-of must be an ISO-8601 date" in err
    code, err = run(capsys, data, "--out", tmp_path / "bad", "--as-of", "1900-01-01")
    assert code == 2 and "--as-of must be between 1990-01-01 and 2100-01-01" in err
    assert not (tmp_path / "bad").exists()


def test_default_reference_time_sets_aside_only_a_small_minority():
    bulk = pl.Series([T0 - timedelta(hours=i) for i in range(500)])
    assert default_reference_time([bulk]) == (T0, 0)
    future = pl.Series([datetime(2090, 1, 1)] * 3 + [datetime(2099, 1, 1)])
    assert default_reference_time([bulk, future]) == (T0, 4)
    # Ten timestamps with four late ones: nothing can be told apart, the latest is the reference.
    small = pl.Series([T0 - timedelta(days=400 * i) for i in range(6)] + [datetime(2030, 1, 1)] * 4)
    assert default_reference_time([small]) == (datetime(2030, 1, 1), 0)


def test_bound_timestamps_clips_accounts_nulls_sightings_and_drops_events():
    accounts = pl.DataFrame({"account_id": ["a", "b"], "created_at": [datetime(1, 1, 1), T0]})
    signals = pl.DataFrame({"account_id": ["a"], "kind": ["device"], "value": ["d"],
                            "seen_at": [datetime(1970, 1, 1)]})
    events = pl.DataFrame({"account_id": ["a", "b"], "action": ["like"] * 2, "target_id": ["t"] * 2,
                           "ts": [T0, datetime(2099, 1, 1)]})
    tables, reference, report = bound_timestamps(
        {"accounts": accounts, "signals": signals, "events": events}, as_of=T0)
    assert reference == T0 and report["source"] == "as_of"
    assert tables["accounts"]["created_at"].to_list() == [PLAUSIBLE_FROM, T0]
    assert tables["signals"]["seen_at"].to_list() == [None]
    assert tables["events"].height == 1
    assert set(report["out_of_range"]) == {"accounts.created_at", "signals.seen_at", "events.ts"}


# --- names and labels ----------------------------------------------------------------------------

def test_actions_differing_by_case_or_space_are_one_action(tmp_path, capsys):
    tables = marketplace()
    variants = ["Like", " like", "LIKE ", "like!"]
    events = tables["events"].with_columns(
        pl.col("account_id").replace_strict({f"a{i:03d}": v for i, v in enumerate(variants)}, default=None)
        .fill_null(pl.col("action")).alias("action"))
    assert events["action"].n_unique() >= 5
    data = write({**tables, "events": events}, tmp_path / "d", fmt="csv")
    code, err = run(capsys, data, "--out", tmp_path / "run")
    assert code == 0, err


# --- a rating column of any type ------------------------------------------------------------

def _rated(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The marketplace's events with a rating of 1-5 on each."""
    events = tables["events"]
    return events.with_columns(pl.Series("rating", [1 + i % 5 for i in range(events.height)]))


def _mean_ratings(run_dir: Path) -> list:
    return pl.read_parquet(run_dir / "accounts.parquet").sort("account_id")["mean_rating"].to_list()


@pytest.mark.parametrize("kind", ["categorical", "enum", "list"])
def test_a_rating_column_of_categories_or_lists_runs(tmp_path, capsys, kind):
    # A pandas "category" column of "1".."5" is read by its text, as a text column is; a list
    # holds no rating and is ignored, as any extra column (it crashed the cast before).
    tables = marketplace()
    events = _rated(tables)
    code, err = run(capsys, write({**tables, "events": events}, tmp_path / "plain"), "--out", tmp_path / "plain_run")
    assert code == 0, err
    text = pl.col("rating").cast(pl.String)
    odd = {"categorical": text.cast(pl.Categorical), "enum": text.cast(pl.Enum(["1", "2", "3", "4", "5"])),
           "list": pl.concat_list("rating")}[kind]
    data = write({**tables, "events": events.with_columns(odd.alias("rating"))}, tmp_path / "d")
    code, err = run(capsys, data, "--out", tmp_path / "run")
    assert code == 0, err
    ratings = _mean_ratings(tmp_path / "run")
    if kind == "list":
        assert all(r is None for r in ratings)
    else:
        assert ratings == _mean_ratings(tmp_path / "plain_run")


def test_a_rating_under_the_names_review_datasets_use_is_read_as_the_rating(tmp_path, capsys):
    # The Yelp Open Dataset names it "stars", the McAuley Amazon sets "overall": the same
    # ratings under those names give the same features; "rating" wins when both are there.
    from syndicate.features.ratings import rating_source

    tables = marketplace()
    events = _rated(tables)
    code, err = run(capsys, write({**tables, "events": events}, tmp_path / "plain"), "--out", tmp_path / "plain_run")
    assert code == 0, err
    plain = _mean_ratings(tmp_path / "plain_run")
    assert any(r is not None for r in plain)
    for name in ("stars", "overall"):
        data = write({**tables, "events": events.rename({"rating": name})}, tmp_path / name)
        code, err = run(capsys, data, "--out", tmp_path / f"{name}_run")
        assert code == 0, err
        assert _mean_ratings(tmp_path / f"{name}_run") == plain, name
    assert rating_source(["account_id", "stars", "rating"]) == "rating"
    assert rating_source(["account_id", "score"]) is None  # a game's score is no rating


def test_an_infinite_rating_is_no_rating_and_leaves_the_others_alone(tmp_path, capsys):
    # One infinite rating would stretch the scale to infinity and null every account's figures.
    tables = marketplace()
    events = _rated(tables).with_columns(pl.col("rating").cast(pl.Float64))
    inf = events.head(1).with_columns(pl.lit(float("inf")).alias("rating"), pl.lit("t-inf").alias("target_id"))
    code, err = run(capsys, write({**tables, "events": events}, tmp_path / "plain"), "--out", tmp_path / "plain_run")
    assert code == 0, err
    code, err = run(capsys, write({**tables, "events": pl.concat([events, inf])}, tmp_path / "d"),
                    "--out", tmp_path / "run")
    assert code == 0, err
    assert _mean_ratings(tmp_path / "run") == _mean_ratings(tmp_path / "plain_run")
    assert "RuntimeWarning" not in err


def test_tex_like_ids_kinds_and_actions_are_drawn_as_plain_text(tmp_path, capsys):
    tables = marketplace()

    def tex(frame: pl.DataFrame, column: str = "account_id") -> pl.DataFrame:
        return frame.with_columns(pl.when(pl.col(column) == "a000").then(pl.lit(TEX)).otherwise(pl.col(column))
                                  .alias(column))

    data = write({"accounts": tex(tables["accounts"]),
                  "signals": tex(tables["signals"]).with_columns(pl.lit("dev$\\frac{x}{$").alias("kind")),
                  "events": tex(tables["events"]).with_columns(pl.lit("$x^$").alias("action")),
                  "labels": tex(tables["labels"])}, tmp_path / "d")
    code, err = run(capsys, data, "--out", tmp_path / "run")
    assert code == 0, err
    assert main(["export", str(tmp_path / "run"), "--top", "3", "--out", str(tmp_path / "cases"), "--quiet"]) == 0


def test_run_trends_draw_tex_like_run_names():
    import xml.etree.ElementTree as ET

    from syndicate.report.charts import run_trends

    trend = pl.DataFrame({"run_name": [TEX, "$a", "b$"], "clusters": [1, 2, 3]})
    texts = ["".join(t.itertext()) for t in ET.fromstring(run_trends(trend)).iter("text")]
    assert {TEX, "$a", "b$"} <= set(texts)  # names drawn as they are


# --- the history held open by a reader -----------------------------------------------------------

def _two_days(tmp_path: Path) -> tuple[Path, Path, Path]:
    tables = marketplace()
    day1 = write(tables, tmp_path / "day1")
    extra = [f"z{i}" for i in range(4)]
    day2 = write({**tables,
                  "accounts": pl.concat([tables["accounts"],
                                         pl.DataFrame({"account_id": extra, "created_at": [T0] * 4})]),
                  "signals": pl.concat([tables["signals"],
                                        pl.DataFrame({"account_id": extra, "kind": ["device"] * 4,
                                                      "value": ["zz"] * 4})])}, tmp_path / "day2")
    config = tmp_path / "alert.toml"
    config.write_text("[alerts]\nnew_cluster_min_risk = 0.0\nnew_cluster_min_size = 2\n")
    return day1, day2, config


def test_a_reader_holding_the_history_defers_the_record_and_keeps_the_exit_code(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(history, "LOCK_WAIT_SECONDS", 0.5)
    day1, day2, config = _two_days(tmp_path)
    root = tmp_path / "runs"
    code, err = run(capsys, day1, "--runs-root", root, "--name", "2026-01-01", "--config", config, "--fail-on-alert")
    assert code == 0, err
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(60)", str(root / "history.duckdb")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        code, err = run(capsys, day2, "--runs-root", root, "--name", "2026-01-02", "--config", config,
                        "--fail-on-alert")
        assert code == ALERT_EXIT, err
        assert "run history not updated" in err and "is still open in another process" in err
        assert (root / "2026-01-02" / "manifest.json").is_file()
    finally:
        reader.kill()
        reader.wait()
    assert history.read_runs(root / "history.duckdb")["run_name"].to_list() == ["2026-01-01"]
    code, err = run(capsys, day2, "--runs-root", root, "--name", "2026-01-03", "--config", config)
    assert code == 0, err
    assert history.read_runs(root / "history.duckdb")["run_name"].to_list() == [
        "2026-01-01", "2026-01-02", "2026-01-03"], "the deferred run is recorded by the next one"


def test_a_second_run_on_a_locked_runs_root_exits_75(tmp_path, capsys):
    day1, _, _ = _two_days(tmp_path)
    root = tmp_path / "runs"
    with history.runs_root_lock(root):
        code, err = run(capsys, day1, "--runs-root", root, "--name", "2026-01-01")
    assert code == LOCKED_EXIT and "another run holds" in err
    assert not (root / "2026-01-01").exists()

"""The DuckDB run history: recording runs, replacing a re-run, finding the previous run."""

import shutil
from pathlib import Path

import polars as pl
import pytest

from syndicate.history import (HISTORY_FILE, find_previous_run, history_path, query, read_runs,
                               record_run, sync_history)
from syndicate.pipeline import run_to_folder

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("runs")
    for name in ("2026-05-01", "2026-05-02"):
        run_to_folder(TINY, root / name, runs_root=root, quiet=True)
    return root


def test_each_run_is_recorded_once_in_run_order(runs_root):
    runs = read_runs(history_path(runs_root))

    assert runs["run_name"].to_list() == ["2026-05-01", "2026-05-02"]
    assert runs["accounts_scanned"].to_list() == [12, 12]
    assert runs["clusters"].to_list() == [2, 2]
    assert runs["accounts_joined"].to_list() == [None, 0]
    assert runs["previous_run"].to_list() == [None, "2026-05-01"]


def test_clusters_and_memberships_per_run(runs_root):
    db = history_path(runs_root)

    lineage = query(db, "SELECT run_name, lineage, count(*) AS n FROM clusters GROUP BY ALL ORDER BY ALL")
    members = query(db, "SELECT run_name, count(*) AS n FROM memberships GROUP BY ALL ORDER BY ALL")

    assert lineage.rows() == [("2026-05-01", "new", 2), ("2026-05-02", "persisting", 2)]
    assert members.rows() == [("2026-05-01", 6), ("2026-05-02", 6)]


def test_recording_a_run_again_replaces_its_rows(runs_root, tmp_path):
    db = tmp_path / HISTORY_FILE
    record_run(db, runs_root / "2026-05-01")
    record_run(db, runs_root / "2026-05-01")

    assert query(db, "SELECT count(*) FROM runs").item() == 1
    assert query(db, "SELECT count(*) FROM memberships").item() == 6


def test_previous_run_is_the_latest_finished_run_named_before(runs_root, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(runs_root, root)
    (root / ".2026-05-03.tmp-123").mkdir()           # a crashed run's temporary folder
    (root / "2026-05-03").mkdir()                    # no manifest: not a finished run

    assert find_previous_run(root, "2026-05-04") == root / "2026-05-02"
    assert find_previous_run(root, "2026-05-02") == root / "2026-05-01"
    assert find_previous_run(root, "2026-05-01") is None
    assert find_previous_run(tmp_path / "missing", "2026-05-01") is None


def test_sync_rebuilds_a_lost_history_from_the_run_folders(runs_root, tmp_path):
    root = tmp_path / "root"
    shutil.copytree(runs_root, root)
    history_path(root).unlink()

    assert sync_history(root) == ["2026-05-01", "2026-05-02"]
    assert sync_history(root) == []
    assert read_runs(history_path(root))["run_name"].to_list() == ["2026-05-01", "2026-05-02"]


def test_no_history_yet_reads_as_an_empty_frame(tmp_path):
    runs = read_runs(tmp_path / HISTORY_FILE)

    assert runs.height == 0 and "new_accounts" in runs.columns
    assert runs.schema["run_name"] == pl.String

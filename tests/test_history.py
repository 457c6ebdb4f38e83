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


def test_a_decision_on_a_cluster_absorbed_by_a_merge_follows_the_cluster_that_absorbed_it(tmp_path):
    # A decision recorded on Ca (run 1); in run 2 Cb absorbs Ca and Cd splits into Cd and Ce; in
    # run 3 Cf absorbs Cb. The decision shows on Cf, said to be made on Ca; one on Cd stays on
    # Cd (the piece that kept the id); one on Cg, gone in run 2 in two pieces, goes to the larger.
    import json as _json
    from datetime import datetime as _dt

    from syndicate.history import DECISION_SCHEMA, follow_merges
    from syndicate.report.html import decision_words

    def clusters(rows):
        return pl.DataFrame(rows, schema={"cluster_id": pl.String, "size": pl.UInt32,
                                          "previous_ids": pl.List(pl.String)}, orient="row")

    root = tmp_path / "runs"
    for name, rows in (("2026-01-01", [("Ca", 5, []), ("Cb", 9, []), ("Cd", 8, []), ("Cg", 6, [])]),
                       ("2026-01-02", [("Cb", 14, ["Ca", "Cb"]), ("Cd", 4, ["Cd"]), ("Ce", 4, ["Cd"]),
                                       ("Ch", 3, ["Cg"]), ("Ci", 4, ["Cg"])])):
        (root / name).mkdir(parents=True)
        (root / name / "manifest.json").write_text(_json.dumps({"run_name": name}))
        pl.DataFrame({"account_id": [], "cluster_id": []}, schema={"account_id": pl.String,
                                                                  "cluster_id": pl.String}).write_parquet(root / name / "members.parquet")
        clusters(rows).write_parquet(root / name / "clusters.parquet")
    today = clusters([("Cf", 20, ["Cb", "Cf"]), ("Cd", 4, ["Cd"]), ("Ce", 4, ["Ce"]), ("Ci", 4, ["Ci"])])
    decisions = pl.DataFrame([(_dt(2026, 1, 1, 9), "Ca", "2026-01-01", "escalated", "carol", None),
                              (_dt(2026, 1, 1, 10), "Cd", "2026-01-01", "watch", "dave", None),
                              (_dt(2026, 1, 1, 11), "Cg", "2026-01-01", "dismissed", "erin", None)],
                             schema=DECISION_SCHEMA, orient="row")
    followed = follow_merges(decisions, root, "2026-01-03", today)
    assert followed.select("cluster_id", "decided_on").rows() == [("Cf", "Ca"), ("Cd", "Cd"), ("Ci", "Cg")]
    words = decision_words(followed)
    assert words["Cf"] == "escalated by carol on 2026-01-01 (as Ca, since merged into this cluster)"
    assert words["Cd"] == "watch by dave on 2026-01-01"
    # The absorbing cluster's own decision is not hidden by a later one on what it absorbed.
    own = pl.DataFrame([(_dt(2026, 1, 1, 8), "Cb", "2026-01-01", "confirmed", "alice", None)],
                       schema=DECISION_SCHEMA, orient="row")
    words = decision_words(follow_merges(pl.concat([own, decisions]), root, "2026-01-03", today))
    assert words["Cf"] == ("escalated by carol on 2026-01-01 (as Ca, since merged into this cluster); "
                           "confirmed by alice on 2026-01-01 (as Cb, since merged into this cluster)")
    followed_own = follow_merges(own, root, "2026-01-02", clusters([("Cb", 14, ["Ca", "Cb"])]))
    assert decision_words(pl.concat([followed_own, follow_merges(decisions.head(1), root, "2026-01-02",
                                                                   clusters([("Cb", 14, ["Ca", "Cb"])]))]))["Cb"] == (
        "confirmed by alice on 2026-01-01; escalated by carol on 2026-01-01 (as Ca, since merged into this cluster)")
    # A decision recorded after the merge, on the cluster that absorbed: nothing to follow.
    later = decisions.with_columns(pl.lit("2026-01-02").alias("run_name"), pl.lit("Cb").alias("cluster_id")).head(1)
    assert follow_merges(later, root, "2026-01-02", clusters([("Cb", 14, ["Cb"])]))["cluster_id"].to_list() == ["Cb"]

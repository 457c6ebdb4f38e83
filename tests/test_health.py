"""Health figures by segment, root causes of their change, and investigators' decisions
(syndicate/health.py, syndicate/history.py)."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import pytest
from conftest import run_cli

from syndicate.health import (HEALTH_COLUMNS, ROOT_CAUSE_COLUMNS, RootCauseError, account_segments, explain_change,
                              health_table, root_causes)
from syndicate.history import DecisionError, history_path, query, read_decisions, record_decision


def _scored(rows):
    """accounts.parquet-like rows: (account_id, cluster_id, risk_score)."""
    return pl.DataFrame(rows, schema=["account_id", "cluster_id", "risk_score"], orient="row")


CLUSTERS = pl.DataFrame({"cluster_id": ["C1", "C2"], "size": [2, 2], "risk_score": [0.9, 0.2],
                         "archetype": ["matrix_accounts", "household"]})
INPUT = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e"], "created_at": [datetime(2026, 1, 1)] * 4 + [datetime(2020, 1, 1)],
                      "country": ["US", "US", "BR", None, "BR"]})


def test_health_counts_segments_and_the_whole():
    accounts = _scored([("a", "C1", 0.95), ("b", "C1", 0.6), ("c", "C2", 0.1), ("d", None, 0.8), ("e", None, 0.0)])
    segments = account_segments(accounts, CLUSTERS, input_accounts=INPUT, now=datetime(2026, 1, 3),
                                high_risk_threshold=0.7)
    health = health_table(segments)
    assert tuple(health.columns) == HEALTH_COLUMNS
    value = {(r["metric"], r["segment_kind"], r["segment"]): r["value"] for r in health.iter_rows(named=True)}
    assert value[("accounts", "all", "all")] == 5
    assert value[("accounts_in_clusters", "all", "all")] == 3
    assert value[("accounts_in_high_risk_clusters", "all", "all")] == 2  # C1's two members
    assert value[("high_risk_accounts", "all", "all")] == 2  # a (0.95) and d (0.8)
    assert value[("high_risk_cluster_share", "all", "all")] == pytest.approx(0.4)
    assert value[("mean_risk_score", "all", "all")] == pytest.approx(0.49)
    assert value[("accounts", "archetype", "no cluster")] == 2
    assert value[("accounts_in_high_risk_clusters", "country", "US")] == 2
    assert value[("accounts", "country", "unknown")] == 1
    assert value[("accounts", "age_band", "under 7 days")] == 4 and value[("accounts", "age_band", "over 2 years")] == 1


def test_root_causes_add_up_to_each_metrics_change():
    now = datetime(2026, 1, 3)
    before = _scored([("a", "C1", 0.95), ("b", "C1", 0.6), ("c", "C2", 0.1), ("d", None, 0.8), ("e", None, 0.0)])
    after = _scored([("a", "C1", 0.97), ("b", "C1", 0.9), ("c", "C1", 0.9), ("d", None, 0.1), ("e", "C2", 0.3)])
    grown = CLUSTERS.with_columns(pl.Series("size", [3, 1]))
    health = [health_table(account_segments(frame, clusters, input_accounts=INPUT, now=now, high_risk_threshold=0.7))
              for frame, clusters in ((before, CLUSTERS), (after, grown))]
    causes = root_causes(*health, previous_clusters=CLUSTERS, current_clusters=grown)
    assert tuple(causes.columns) == ROOT_CAUSE_COLUMNS
    totals = {metric: [h.filter((pl.col("metric") == metric) & (pl.col("segment_kind") == "all"))["value"][0]
                       for h in health] for metric in causes["metric"].unique()}
    sums = causes.group_by("metric", "decomposition").agg(pl.col("contribution").sum())
    for metric, decomposition, total in sums.iter_rows():
        assert total == pytest.approx(totals[metric][1] - totals[metric][0], abs=1e-12), (metric, decomposition)
    # The accounts in high-risk clusters grew by one: C1 took c in.
    by_cluster = causes.filter((pl.col("decomposition") == "cluster"))
    assert by_cluster.select("item", "previous", "current", "contribution").rows() == [("C1", 2.0, 3.0, 1.0)]
    # A segment's share moved from 0 to 1 of its accounts (c, in BR): its own rate's change.
    share = causes.filter((pl.col("metric") == "high_risk_cluster_share") & (pl.col("decomposition") == "country"))
    brazil = share.filter(pl.col("item") == "BR").row(0, named=True)
    assert (brazil["previous"], brazil["current"]) == (0.0, 0.5) and brazil["contribution"] == pytest.approx(0.2)


@pytest.fixture(scope="module")
def runs_root(tmp_path_factory):
    base = tmp_path_factory.mktemp("health")
    for name, seed, n in (("2026-12-01", 1, 3000), ("2026-12-02", 2, 3300)):
        run_cli("generate", base / name, "--accounts", str(n), "--seed", str(seed))
        run_cli("run", base / name, "--runs-root", base / "root", "--name", name, "--quiet")
    return base / "root"


def test_a_scheduled_run_records_its_health_and_root_cause_explains_the_change(runs_root):
    today = runs_root / "2026-12-02"
    assert (today / "health.parquet").is_file()
    recorded = query(history_path(runs_root), "SELECT run_name, count(*) AS n FROM health GROUP BY 1 ORDER BY 1")
    assert recorded["run_name"].to_list() == ["2026-12-01", "2026-12-02"] and (recorded["n"] > 50).all()
    kinds = set(pl.read_parquet(today / "health.parquet")["segment_kind"])
    assert kinds == {"all", "archetype", "age_band", "account_type", "country"}
    proc = run_cli("root-cause", today)
    assert "accounts_in_high_risk_clusters" in proc.stdout
    causes = pl.read_parquet(today / "root_cause.parquet")
    health = [pl.read_parquet(runs_root / name / "health.parquet") for name in ("2026-12-01", "2026-12-02")]
    change = [h.filter((pl.col("metric") == "accounts") & (pl.col("segment_kind") == "all"))["value"][0] for h in health]
    added = causes.filter((pl.col("metric") == "accounts") & (pl.col("decomposition") == "country"))["contribution"]
    assert added.sum() == pytest.approx(change[1] - change[0]) == 300
    # The first run has nothing to compare with: a clear error, nothing written.
    proc = run_cli("root-cause", runs_root / "2026-12-01", check=False)
    assert proc.returncode == 2 and "--previous" in proc.stderr
    assert not (runs_root / "2026-12-01" / "root_cause.parquet").exists()
    with pytest.raises(RootCauseError):
        explain_change(today, previous=today)
    found = explain_change(today)
    sums = found.causes.group_by("metric", "decomposition").agg(pl.col("contribution").sum())
    for metric, _, total in sums.iter_rows():
        assert total == pytest.approx(found.change[metric], abs=1e-9), metric


def test_each_run_is_judged_by_its_own_high_risk_threshold(tmp_path):
    # Thresholds differ between the runs: the clusters' split follows each run's own, as its
    # health figures do, so the cluster decomposition still adds up to the change.
    clusters = pl.DataFrame({"cluster_id": ["C1", "C2"], "size": [2, 3], "risk_score": [0.9, 0.2],
                             "archetype": ["matrix_accounts", "ring"]})
    accounts = _scored([("a", "C1", 0.9), ("b", "C1", 0.9), ("c", "C2", 0.2), ("d", "C2", 0.2), ("e", "C2", 0.2)])
    health = [health_table(account_segments(accounts, clusters, input_accounts=None, now=None, high_risk_threshold=t))
              for t in (0.7, 0.1)]
    causes = root_causes(*health, previous_clusters=clusters, current_clusters=clusters, high_risk_threshold=0.1,
                         previous_threshold=0.7)
    by_cluster = causes.filter(pl.col("decomposition") == "cluster")
    assert by_cluster["contribution"].sum() == 3.0  # C2's three accounts now count


def test_decisions_follow_clusters_in_the_history(runs_root):
    top = pl.read_parquet(runs_root / "2026-12-02" / "clusters.parquet").sort("rank")["cluster_id"][0]
    proc = run_cli("decide", runs_root, top, "--decision", "confirmed", "--by", "alice", "--note", "T-1")
    assert top in proc.stdout and "confirmed by alice" in proc.stdout
    record_decision(runs_root, top, "watch", investigator="bob", decided_at=datetime(2030, 1, 1))
    decisions = read_decisions(runs_root)
    assert decisions.select("cluster_id", "run_name", "decision", "investigator").rows() == [
        (top, "2026-12-02", "confirmed", "alice"), (top, "2026-12-02", "watch", "bob")]
    for bad in (("Cnope", "confirmed"), (top, "maybe")):
        with pytest.raises(DecisionError):
            record_decision(runs_root, bad[0], bad[1], investigator="alice")
    proc = run_cli("decide", runs_root, "Cnope", "--decision", "dismissed", "--by", "alice", check=False)
    assert proc.returncode == 2 and "Cnope" in proc.stderr
    assert read_decisions(runs_root).height == 2
    # The report shows each cluster's latest decision beside it (rebuilt here; a run under the
    # runs root shows them as it writes its report).
    run_cli("report", runs_root / "2026-12-02")
    report = (runs_root / "2026-12-02" / "report.html").read_text()
    assert "<th>decided</th>" in report and "watch by bob on 2030-01-01" in report
    assert "confirmed by alice" not in report


def test_a_decision_while_a_reader_holds_the_history_is_a_clear_error(runs_root, monkeypatch):
    import subprocess
    import sys

    from syndicate import history

    monkeypatch.setattr(history, "LOCK_WAIT_SECONDS", 0.5)
    top = pl.read_parquet(runs_root / "2026-12-02" / "clusters.parquet").sort("rank")["cluster_id"][0]
    before = read_decisions(runs_root).height
    reader = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
         "print('open', flush=True); time.sleep(60)", str(history_path(runs_root))], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "open"
        with pytest.raises(DecisionError, match="try again once it is closed"):
            record_decision(runs_root, top, "watch", investigator="carol")
    finally:
        reader.kill()
        reader.wait()
    assert read_decisions(runs_root).height == before


def test_root_cause_finds_the_previous_run_beside_a_moved_or_copied_run(runs_root, tmp_path):
    # A runs root restored or copied elsewhere keeps its runs side by side: root-cause compares
    # with the previous run there (as `run` finds it by name), not at the path recorded when the
    # run was made (gone after a move; the original's after a copy).
    import shutil

    copy = tmp_path / "restored"
    shutil.copytree(runs_root, copy)
    found = explain_change(copy / "2026-12-02")
    assert found.previous == copy.resolve() / "2026-12-01"
    shutil.rmtree(copy / "2026-12-01")  # not beside it: the recorded path, as before
    assert explain_change(copy / "2026-12-02").previous == runs_root.resolve() / "2026-12-01"


def test_a_decision_on_a_run_the_history_missed_records_the_run_first(runs_root, tmp_path):
    # A run whose recording was skipped (a reader held the history) is in its folder only; the
    # decision on one of its clusters used to say the cluster "is not in run NAME".
    import shutil

    import duckdb

    root = tmp_path / "root"
    shutil.copytree(runs_root, root)
    con = duckdb.connect(str(history_path(root)))
    for table in ("runs", "clusters", "memberships", "dissolved", "health"):
        con.execute(f"DELETE FROM {table} WHERE run_name = '2026-12-02'")
    con.close()
    damaged = root / "2026-12-01b"  # a damaged run folder that sorts before it is passed over
    damaged.mkdir()
    (damaged / "manifest.json").write_text("{}")
    (damaged / "members.parquet").write_text("not parquet")
    top = pl.read_parquet(root / "2026-12-02" / "clusters.parquet").sort("rank")["cluster_id"][0]
    row = record_decision(root, top, "escalated", investigator="dave", run_name="2026-12-02")
    assert row["run_name"] == "2026-12-02"
    assert "2026-12-02" in query(history_path(root), "SELECT run_name FROM runs")["run_name"].to_list()


def test_root_cause_keeps_the_recorded_previous_run_of_runs_made_with_previous(tmp_path):
    # Runs outside a runs root (--out with --previous), in folders of one name under per-day
    # folders: the folder beside a run is no previous run of it (it was the run itself).
    for day, seed in (("d1", 1), ("d2", 2)):
        run_cli("generate", tmp_path / f"data{day}", "--accounts", "1500", "--seed", str(seed))
    run_cli("run", tmp_path / "datad1", "--out", tmp_path / "d1" / "run", "--quiet")
    run_cli("run", tmp_path / "datad2", "--out", tmp_path / "d2" / "run", "--previous", tmp_path / "d1" / "run",
            "--quiet")
    assert explain_change(tmp_path / "d2" / "run").previous == (tmp_path / "d1" / "run").resolve()


def test_root_cause_of_a_copied_root_keeps_a_previous_run_given_with_previous(runs_root, tmp_path):
    # A scheduled run whose previous run was given explicitly (outside the root) keeps it after
    # the root is copied, though a run of that name sits beside it in the copy.
    import json as _json
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(runs_root, copy)
    manifest_path = copy / "2026-12-02" / "manifest.json"
    manifest = _json.loads(manifest_path.read_text())
    elsewhere = tmp_path / "elsewhere" / "2026-12-01"
    shutil.copytree(runs_root / "2026-12-01", elsewhere)
    manifest["lineage"]["previous_dir"] = str(elsewhere.resolve())
    manifest_path.write_text(_json.dumps(manifest))
    assert explain_change(copy / "2026-12-02").previous == elsewhere.resolve()
    # A run of --out and --previous (no runs root) whose previous run is gone says so; it does
    # not take a run of that name beside it.
    manifest["lineage"]["runs_root"] = None
    manifest["lineage"]["previous_dir"] = str(tmp_path / "gone" / "2026-12-01")
    manifest_path.write_text(_json.dumps(manifest))
    from syndicate.runs import RunFolderError

    with pytest.raises(RunFolderError, match="gone/2026-12-01 does not exist"):
        explain_change(copy / "2026-12-02")

"""Scheduled runs end to end: three days of a generated marketplace where one syndicate grows,
one is new and one dissolves; stable ids, lineage, alerts, history, exit codes, and runs that
crash or are killed."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from syndicate.cli import ALERT_EXIT, main
from syndicate.history import find_previous_run, history_path, query, read_runs
from syndicate.io import write_tables
from syndicate.pipeline import run_to_folder
from syndicate.synthetic import generate_marketplace

pytestmark = pytest.mark.slow

DAYS = ("2026-03-01", "2026-03-02", "2026-03-03")
CONFIG = "[alerts]\nmin_baseline_runs = 2\n"  # three runs: spikes compare with the first two


def _add_accounts(tables, ids, created_at, shared):
    """New accounts whose signals are ``shared(i)`` -> [(kind, value), ...]."""
    accounts = pl.DataFrame({"account_id": ids, "created_at": [created_at] * len(ids),
                             "account_type": ["personal"] * len(ids), "country": ["VN"] * len(ids)})
    signals = pl.DataFrame([{"account_id": a, "kind": k, "value": v, "seen_at": created_at}
                            for i, a in enumerate(ids) for k, v in shared(i)])
    return {**tables,
            "accounts": pl.concat([tables["accounts"], accounts.cast(tables["accounts"].schema)]),
            "signals": pl.concat([tables["signals"], signals.cast(tables["signals"].schema)])}


def three_days():
    """Day 1 as generated; day 2: one ring recruits as many new accounts onto its device and
    card; day 3: a new ring registers within the last hours and another ring's identifiers
    and activity vanish."""
    tables = generate_marketplace(4000, seed=3)
    truth = tables.pop("truth")
    rings = (truth.filter(pl.col("is_bad") & (pl.col("group_kind") == "matrix_ring"))
             .group_by("group_id").agg(pl.col("account_id")).sort(pl.col("account_id").list.len(), "group_id"))
    assert rings.height >= 2, "the generator should plant at least two matrix rings in 4,000 accounts"
    grower, leaver = rings["account_id"][0], rings["account_id"][-1]
    latest = max(tables["accounts"]["created_at"].max(), tables["events"]["ts"].max(),
                 tables["signals"]["seen_at"].max())
    shared = (tables["signals"].filter(pl.col("account_id").is_in(grower.implode())
                                       & pl.col("kind").is_in(["device", "payment"]))
              .group_by("kind", "value").len().sort(["len", "value"], descending=[True, False])
              .group_by("kind", maintain_order=True).first())
    pairs = list(shared.select("kind", "value").iter_rows())
    n_grow = max(20, grower.len())
    day2 = _add_accounts(tables, [f"zgrow{i:03d}" for i in range(n_grow)], latest - timedelta(days=12),
                         lambda i: pairs)
    day3 = _add_accounts(day2, [f"znew{i:03d}" for i in range(40)], latest - timedelta(hours=3),
                         # devices and phones each shared by 6-8 accounts, crossing each other
                         lambda i: [("device", f"newdev{i % 5}"), ("payment", "newcard"),
                                    ("phone", f"newphone{i % 6}")])
    gone = pl.col("account_id").is_in(leaver.implode())
    day3 = {**day3, "signals": day3["signals"].filter(~gone), "events": day3["events"].filter(~gone)}
    return [tables, day2, day3], grower.to_list(), leaver.to_list()


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    base = tmp_path_factory.mktemp("scheduled")
    datasets, grower, leaver = three_days()
    (base / "daily.toml").write_text(CONFIG)
    codes = []
    for day, tables in zip(DAYS, datasets):
        write_tables(tables, base / "data" / day, fmt="parquet")
        codes.append(main(["run", str(base / "data" / day), "--runs-root", str(base / "runs"), "--name", day,
                           "--config", str(base / "daily.toml"), "--fail-on-alert", "--quiet"]))
    return {"base": base, "root": base / "runs", "codes": codes, "grower": grower, "leaver": leaver}


def cluster_of(run_dir: Path, account: str) -> dict:
    members = pl.read_parquet(run_dir / "members.parquet")
    clusters = pl.read_parquet(run_dir / "clusters.parquet")
    cluster_id = members.filter(pl.col("account_id") == account)["cluster_id"]
    assert cluster_id.len() == 1, f"{account} is in no cluster of {run_dir.name}"
    return clusters.filter(pl.col("cluster_id") == cluster_id[0]).row(0, named=True)


def alerts_of(run_dir: Path) -> list[dict]:
    return json.loads((run_dir / "alerts.json").read_text())["alerts"]


def test_a_growing_ring_keeps_its_id_and_is_marked_grown(scheduled):
    root, ring = scheduled["root"], scheduled["grower"]
    day1, day2, day3 = (cluster_of(root / day, ring[0]) for day in DAYS)

    assert day1["cluster_id"] == day2["cluster_id"] == day3["cluster_id"]
    assert (day1["lineage"], day2["lineage"], day3["lineage"]) == ("new", "grown", "persisting")
    assert day2["size"] > day2["previous_size"] == day1["size"]
    assert cluster_of(root / DAYS[1], "zgrow000")["cluster_id"] == day1["cluster_id"]


def test_a_new_ring_is_new_and_a_vanished_ring_is_listed_as_dissolved(scheduled):
    root = scheduled["root"]
    new = cluster_of(root / DAYS[2], "znew000")
    gone = cluster_of(root / DAYS[1], scheduled["leaver"][0])
    dissolved = pl.read_parquet(root / DAYS[2] / "dissolved.parquet")

    assert new["lineage"] == "new" and new["size"] == 40
    assert dissolved["cluster_id"].to_list() == [gone["cluster_id"]]
    assert dissolved["previous_size"].to_list() == [gone["size"]]
    # Every other identity-bound cluster carried over unchanged on day 3. Clusters gathered by
    # behaviour (HDBSCAN, co-action groups, review rings bound by rare co-action) may shift by
    # members when the population changes: density, bursts and the co-action bars are relative
    # to the data.
    day3 = pl.read_parquet(root / DAYS[2] / "clusters.parquet")
    identity_bound = (pl.col("found_by") == "graph") & (pl.col("evidence_rare_coaction") < 0.5)
    counts = dict(day3.filter(identity_bound)["lineage"].value_counts().rows())
    assert counts["new"] == 1 and set(counts) <= {"new", "persisting"}


def test_alerts_fire_for_growth_new_ring_and_registration_spike(scheduled):
    root = scheduled["root"]
    grown_id = cluster_of(root / DAYS[1], scheduled["grower"][0])["cluster_id"]
    new_id = cluster_of(root / DAYS[2], "znew000")["cluster_id"]

    assert alerts_of(root / DAYS[0]) == []  # first run: nothing to compare with
    assert [(a["rule"], a["cluster_id"]) for a in alerts_of(root / DAYS[1])] == [("cluster_grew", grown_id)]
    assert [(a["rule"], a["cluster_id"]) for a in alerts_of(root / DAYS[2])] == [
        ("new_high_risk_cluster", new_id), ("registration_spike", None)]
    assert scheduled["codes"] == [0, ALERT_EXIT, ALERT_EXIT]


def test_alerts_lead_the_report(scheduled):
    html = (scheduled["root"] / DAYS[2] / "report.html").read_text()

    assert html.index("Alerts (2)") < html.index("Headline figures")
    assert re.search(r"1 new · \d+ grown · 1 dissolved", html)
    assert "Trends across runs" in html


def test_history_holds_every_run_once(scheduled):
    db = history_path(scheduled["root"])
    runs = read_runs(db)

    assert runs["run_name"].to_list() == list(DAYS)
    assert runs["alerts"].to_list() == [0, 1, 2]
    assert runs["dissolved_clusters"].to_list() == [None, 0, 1]
    per_run = query(db, "SELECT run_name, count(*) FROM clusters GROUP BY 1 ORDER BY 1")
    assert per_run["run_name"].to_list() == list(DAYS)


def test_same_data_twice_gives_same_ids_all_persisting(scheduled, tmp_path):
    day1 = scheduled["root"] / DAYS[0]

    result = run_to_folder(scheduled["base"] / "data" / DAYS[0], tmp_path / "again", previous=day1, quiet=True)

    before = pl.read_parquet(day1 / "members.parquet")
    assert result.members.equals(before)
    assert set(result.clusters["lineage"]) == {"persisting"}
    assert result.dissolved.height == 0


def test_rerunning_a_day_replaces_it(scheduled, tmp_path):
    root = tmp_path / "runs"
    shutil.copytree(scheduled["root"], root)
    before = pl.read_parquet(root / DAYS[2] / "members.parquet")

    code = main(["run", str(scheduled["base"] / "data" / DAYS[2]), "--runs-root", str(root), "--name", DAYS[2],
                 "--config", str(scheduled["base"] / "daily.toml"), "--quiet"])

    assert code == 0  # alerts fired, but --fail-on-alert was not given
    assert pl.read_parquet(root / DAYS[2] / "members.parquet").equals(before)
    assert read_runs(history_path(root))["run_name"].to_list() == list(DAYS)
    assert sorted(p.name for p in root.iterdir() if p.name != ".lock") == [*DAYS, "history.duckdb"]


def test_a_crashed_run_leaves_the_previous_one_intact(scheduled, tmp_path, monkeypatch):
    import syndicate.report.html

    root = tmp_path / "runs"
    shutil.copytree(scheduled["root"], root)
    manifest = (root / DAYS[2] / "manifest.json").read_text()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(syndicate.report.html, "render_report", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        run_to_folder(scheduled["base"] / "data" / DAYS[2], root / DAYS[2], runs_root=root, quiet=True)

    assert (root / DAYS[2] / "manifest.json").read_text() == manifest
    assert sorted(p.name for p in root.iterdir() if p.name != ".lock") == [*DAYS, "history.duckdb"]


KILLABLE = textwrap.dedent("""
    import sys, time
    import syndicate.report.html as report

    def stall(*args, **kwargs):  # the run folder is half written when this is called
        print("writing", flush=True)
        time.sleep(120)

    report.render_report = stall
    from syndicate.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("name", ["2026-03-04", DAYS[2]], ids=["new day", "re-run of a day"])
def test_a_killed_run_leaves_no_partial_folder(scheduled, tmp_path, name):
    root = tmp_path / "runs"
    shutil.copytree(scheduled["root"], root)
    manifest = (root / DAYS[2] / "manifest.json").read_text()
    process = subprocess.Popen(
        [sys.executable, "-c", KILLABLE, "run", str(scheduled["base"] / "data" / DAYS[2]),
         "--runs-root", str(root), "--name", name, "--quiet"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert process.stdout.readline().strip() == "writing"
        assert any(p.name.startswith(f".{name}.tmp-") for p in root.iterdir())
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    finished = sorted(p.name for p in root.iterdir() if not p.name.startswith("."))
    assert finished == [*DAYS, "history.duckdb"]
    assert (root / DAYS[2] / "manifest.json").read_text() == manifest
    assert read_runs(history_path(root))["run_name"].to_list() == list(DAYS)
    # the next run compares with the last finished run, not the killed one's leftovers
    assert find_previous_run(root, "2026-03-05") == root / DAYS[2]


def test_name_without_runs_root_is_a_user_error(tmp_path, capsys):
    code = main(["run", "data", "--out", str(tmp_path / "x"), "--name", "2026-03-01"])

    assert code == 2
    assert "--name needs --runs-root" in capsys.readouterr().err


def test_daily_script_runs_and_records(tmp_path):
    repo = Path(__file__).resolve().parent.parent
    syndicate = Path(sys.executable).with_name("syndicate")
    if not syndicate.is_file():
        pytest.skip("the syndicate console script is not installed next to this python")

    done = subprocess.run(["bash", str(repo / "pipelines" / "run_daily.sh"), str(repo / "fixtures" / "tiny"),
                           str(tmp_path / "runs"), "2026-03-01"],
                          env={**os.environ, "SYNDICATE": str(syndicate)}, capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert (tmp_path / "runs" / "2026-03-01" / "report.html").is_file()
    assert read_runs(history_path(tmp_path / "runs"))["run_name"].to_list() == ["2026-03-01"]


def test_the_previous_run_is_read_without_its_edges(scheduled, tmp_path):
    # Comparing with a previous run reads its members and clusters: an edges.parquet that cannot
    # be read (or one of millions of rows) costs nothing, while the folder is still checked whole.
    from syndicate.runs import RunFolderError, read_run_folder

    previous = tmp_path / "day2"
    shutil.copytree(scheduled["root"] / DAYS[1], previous)
    (previous / "edges.parquet").write_bytes(b"not parquet")
    with pytest.raises(RunFolderError, match="unreadable"):
        read_run_folder(previous)
    tables, _ = read_run_folder(previous, only=("members", "clusters"))
    assert sorted(tables) == ["clusters", "members"]
    result = run_to_folder(scheduled["base"] / "data" / DAYS[2], tmp_path / "day3", previous=previous, quiet=True)
    assert result.manifest["lineage"]["previous_run"] == DAYS[1]
    (previous / "edges.parquet").unlink()
    with pytest.raises(RunFolderError, match="missing edges.parquet"):
        read_run_folder(previous, only=("members", "clusters"))


def test_a_history_file_that_is_no_database_is_named_without_a_traceback(tmp_path):
    # A truncated copy or another file in its place: the run and `decide` say which file and
    # what to do (exit 2), and write nothing; moved aside, the next run starts a new history.
    data = write_tables(generate_marketplace(300, seed=1), tmp_path / "data")
    root = tmp_path / "runs"
    root.mkdir()
    history_path(root).write_text("garbage")
    for args in (["run", str(data), "--runs-root", str(root), "--name", "2026-10-06", "--quiet"],
                 ["decide", str(root), "C1", "--decision", "confirmed", "--by", "a"]):
        proc = subprocess.run([sys.executable, "-m", "syndicate", *args], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr and "cannot be opened as the run history" in proc.stderr, proc.stderr
        assert str(history_path(root)) in proc.stderr
    assert not (root / "2026-10-06").exists()
    history_path(root).rename(root / "history.duckdb.broken")
    history_path(root).mkdir()  # a folder in its place, then a DuckDB file that is no run history
    proc = subprocess.run([sys.executable, "-m", "syndicate", "run", str(data), "--runs-root", str(root),
                           "--name", "2026-10-06", "--quiet"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "is a folder, not the run history's file" in proc.stderr, proc.stderr
    history_path(root).rmdir()
    import duckdb

    duckdb.connect(str(history_path(root))).execute("CREATE TABLE runs (x INTEGER)").close()
    proc = subprocess.run([sys.executable, "-m", "syndicate", "run", str(data), "--runs-root", str(root),
                           "--name", "2026-10-06", "--quiet"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "no run history of syndicate" in proc.stderr, proc.stderr
    assert not (root / "2026-10-06").exists()
    history_path(root).unlink()
    duckdb.connect(str(history_path(root))).close()  # an empty database (a first run killed early)
    for args in (["run", str(data), "--runs-root", str(root), "--name", "2026-10-06", "--quiet"],
                 ["decide", str(root), "C1", "--decision", "confirmed", "--by", "a"]):
        proc = subprocess.run([sys.executable, "-m", "syndicate", *args], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 2 and "it has no table runs" in proc.stderr, proc.stderr
    history_path(root).unlink()
    assert main(["run", str(data), "--runs-root", str(root), "--name", "2026-10-06", "--quiet"]) == 0
    assert read_runs(history_path(root))["run_name"].to_list() == ["2026-10-06"]


def test_output_cut_short_by_its_reader_is_no_error(tmp_path):
    # `syndicate ... | head -1`: the reader closing the pipe is no "nothing was written" error.
    # Here stdout is a pipe whose reader is already gone, so the first print meets it.
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); from syndicate.cli import main; "
            f"sys.exit(main(['generate', {str(tmp_path / 'g')!r}, '--accounts', '300']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 141, proc.stderr  # 128 + SIGPIPE, as a shell reports it
    assert proc.stderr == ""
    assert (tmp_path / "g" / "accounts.parquet").is_file()


def test_an_error_on_a_full_or_closed_stderr_still_exits_2(tmp_path):
    for redirect in ("2>/dev/full", "2>&-"):
        proc = subprocess.run(f"'{sys.executable}' -m syndicate decide '{tmp_path}' C1 --decision confirmed --by a "
                              f"{redirect}", shell=True, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 2 and proc.stdout == "", (redirect, proc.stdout)


def test_every_history_table_must_have_its_run_name(tmp_path):
    # A database whose `dissolved` table is someone else's was taken for a run history, and the
    # run failed when it recorded its dissolved clusters (a DuckDB binder error after the work).
    import duckdb

    from syndicate.history import HISTORY_TABLES, HistoryFileError, check_history

    import re

    from syndicate import history

    assert sorted(HISTORY_TABLES) == sorted(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", history._SCHEMA))
    for table in HISTORY_TABLES:
        path = history_path(tmp_path / table)
        path.parent.mkdir()
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE runs (run_name VARCHAR)")
        if table != "runs":
            con.execute(f"CREATE TABLE {table} (x INTEGER)")
        else:
            con.execute("DROP TABLE runs; CREATE TABLE runs (x INTEGER)")
        con.close()
        with pytest.raises(HistoryFileError, match=f"its table {table} has no run_name column"):
            check_history(path.parent)


def test_a_day_whose_events_did_not_arrive_fires_an_alert_before_anything_else(scheduled, tmp_path):
    # Events are optional to the contract, so a day without them runs: but read as a quiet day
    # its co-action clusters dissolve (and the ids and decisions on them), so the run says so
    # first, and --fail-on-alert exits 3.
    root = tmp_path / "runs"
    shutil.copytree(scheduled["root"], root)
    shutil.rmtree(root / DAYS[2])
    data = tmp_path / "noevents"
    shutil.copytree(scheduled["base"] / "data" / DAYS[2], data)
    (data / "events.parquet").unlink()
    (data / "generated.json").unlink(missing_ok=True)
    code = main(["run", str(data), "--runs-root", str(root), "--name", DAYS[2],
                 "--config", str(scheduled["base"] / "daily.toml"), "--fail-on-alert", "--quiet"])
    assert code == ALERT_EXIT
    alerts = alerts_of(root / DAYS[2])
    assert alerts[0]["rule"] == "input_shrank", alerts
    previous = json.loads((root / DAYS[1] / "manifest.json").read_text())["input_rows"]["events"]
    assert alerts[0]["message"].startswith(f"Input table events is missing, where the previous run read {previous:,}")
    assert "input_shrank" in json.loads((root / DAYS[2] / "manifest.json").read_text())["alerts"]["rules"]
    assert "Input table events is missing" in (root / DAYS[2] / "report.html").read_text()


def test_dissolved_tables_have_the_same_columns_on_every_run(scheduled):
    # A first run's (empty) table had three columns, later ones five: the days' files now stack.
    frames = [pl.read_parquet(scheduled["root"] / day / "dissolved.parquet") for day in DAYS]
    assert frames[0].height == 0 and len({tuple(f.schema.items()) for f in frames}) == 1
    assert pl.concat(frames).columns == ["cluster_id", "previous_size", "still_clustered", "previous_risk_score",
                                         "previous_archetype"]


def test_a_first_run_on_bad_input_leaves_no_runs_root_behind(tmp_path, capsys):
    # "nothing was written" held, but for the new runs root and its lock file.
    root = tmp_path / "newroot"
    code = main(["run", str(tmp_path / "nosuch"), "--runs-root", str(root), "--name", "2026-03-01", "--quiet"])
    assert code == 2 and "nothing was written" in capsys.readouterr().err
    assert not root.exists()


def test_a_run_that_finds_a_new_root_locked_leaves_the_other_runs_lock(tmp_path, monkeypatch):
    # Two first runs on one new root: the one that loses the lock must not remove the root and
    # the lock file of the one that holds it.
    import contextlib

    from syndicate import history
    from syndicate.history import RunsRootLockedError

    root = tmp_path / "newroot"

    @contextlib.contextmanager
    def held_by_another(runs_root):
        Path(runs_root).mkdir(parents=True, exist_ok=True)
        (Path(runs_root) / history.LOCK_FILE).touch()  # the winner's
        raise RunsRootLockedError("another run holds it")
        yield  # pragma: no cover

    monkeypatch.setattr(history, "runs_root_lock", held_by_another)
    data = write_tables(generate_marketplace(300, seed=1), tmp_path / "data")
    with pytest.raises(RunsRootLockedError):
        run_to_folder(data, root / "2026-03-01", runs_root=root, quiet=True)
    assert (root / history.LOCK_FILE).is_file()


def test_a_day_whose_events_were_appended_twice_warns_and_fires_an_alert(scheduled, tmp_path, capsys):
    # Repeated rows count as activity (a double tap is activity), so a doubled export runs; but
    # every account's activity doubled is no quiet change: the run warns and alerts, and
    # --fail-on-alert exits 3.
    root = tmp_path / "runs"
    shutil.copytree(scheduled["root"], root)
    shutil.rmtree(root / DAYS[2])
    data = tmp_path / "doubled"
    shutil.copytree(scheduled["base"] / "data" / DAYS[2], data)
    events = pl.read_parquet(data / "events.parquet")
    pl.concat([events, events]).write_parquet(data / "events.parquet")
    code = main(["run", str(data), "--runs-root", str(root), "--name", DAYS[2],
                 "--config", str(scheduled["base"] / "daily.toml"), "--fail-on-alert", "--quiet"])
    assert code == ALERT_EXIT
    said = f"{events.height:,} of the {2 * events.height:,} rows (50.0%) repeat another row (same account"
    assert said in capsys.readouterr().err
    alerts = alerts_of(root / DAYS[2])
    assert alerts[0]["rule"] == "input_repeated", alerts
    manifest = json.loads((root / DAYS[2] / "manifest.json").read_text())
    assert manifest["repeated_events"] == {"rows": events.height, "events": 2 * events.height}
    assert "event rows (50.0%) repeat another row" in (root / DAYS[2] / "report.html").read_text()
    # the days as they came repeat no rows: nothing was counted, nothing said
    assert json.loads((scheduled["root"] / DAYS[2] / "manifest.json").read_text())["repeated_events"]["rows"] is None


def _run_on_events_only(tmp_path, n_accounts: int, events: pl.DataFrame) -> tuple[int, dict]:
    """``run --fail-on-alert`` on accounts a0000... that share nothing but ``events``: its exit
    code and manifest."""
    from datetime import datetime

    accounts = pl.DataFrame({"account_id": [f"a{i:04d}" for i in range(n_accounts)],
                             "created_at": [datetime(2026, 1, 1)] * n_accounts})
    write_tables({"accounts": accounts, "events": events}, tmp_path / "data", fmt="parquet")
    code = main(["run", str(tmp_path / "data"), "--out", str(tmp_path / "run"), "--fail-on-alert", "--quiet"])
    return code, json.loads((tmp_path / "run" / "manifest.json").read_text())


def test_doubled_events_of_accounts_nothing_links_are_counted_too(tmp_path, capsys):
    # A run that owns its data lets the events of accounts no link reaches go after the link
    # stage; the repeated rows are counted on every event read all the same.
    from datetime import datetime

    n = 4_000
    events = pl.DataFrame({"account_id": [f"a{i % n:04d}" for i in range(2 * n)],
                           "action": ["post"] * (2 * n), "target_id": [f"p{i}" for i in range(2 * n)],
                           "ts": [datetime(2026, 2, 1) + timedelta(seconds=37 * i) for i in range(2 * n)]})
    code, manifest = _run_on_events_only(tmp_path, n, pl.concat([events, events]))
    assert code == ALERT_EXIT
    assert manifest["repeated_events"] == {"rows": 2 * n, "events": 4 * n}
    assert "repeat another row" in capsys.readouterr().err


def test_plays_recorded_to_the_day_of_accounts_nothing_links_are_no_doubled_export(tmp_path, capsys):
    # Two plays of a track on one day are two identical rows where events carry dates only: the
    # clock is read from every event read (not from those the link stage kept), so the repeats
    # are not counted and nothing fires.
    from datetime import datetime

    n = 3_000
    events = pl.DataFrame({"account_id": [f"a{i % n:04d}" for i in range(4 * n)],
                           "action": ["play"] * (4 * n), "target_id": [f"t{i % (2 * n)}" for i in range(4 * n)],
                           "ts": [datetime(2026, 2, 1) + timedelta(days=i % 40) for i in range(4 * n)]})
    code, manifest = _run_on_events_only(tmp_path, n, events)
    assert code == 0, capsys.readouterr().err
    assert manifest["events_clock_seconds"] == 86_400
    assert manifest["repeated_events"]["rows"] is None

"""Run history: every scheduled run's figures, clusters and memberships in one DuckDB file.

The history lives next to the run folders, ``RUNS_ROOT/history.duckdb``, with six tables:

``runs``         one row per run: its figures (accounts scanned, clusters, high-risk accounts,
                 new accounts, accounts joined, alerts, ...)
``clusters``     one row per cluster per run: id, rank, size, risk score, archetype, lineage
``memberships``  one row per account per run: ``account_id, cluster_id``
``dissolved``    previous clusters that dissolved in a run
``health``       one row per figure per segment per run: ``metric, segment_kind, segment, value``
                 (the run folder's ``health.parquet``, :mod:`syndicate.health`; the whole
                 population is segment_kind ``all``)
``decisions``    the investigators' decisions on clusters (:func:`record_decision`; ``syndicate
                 decide``): ``decided_at, cluster_id, run_name, decision, investigator, note``.
                 Cluster ids carry over between runs, so a decision follows its syndicate; the
                 run folders do not hold decisions, so they are the one table a rebuild from
                 the folders cannot restore: back the database up.

Each table has ``run_name``; run names sort in time order (the scheduler names runs by date,
``2026-05-01``), and re-recording a run replaces its rows, so a re-run day leaves one copy.
The run folders stay the source of truth: the history can be rebuilt from them
(`sync_history`). DuckDB files open in notebooks (``duckdb.connect(path).sql(...).pl()``),
the DuckDB CLI, Metabase and Tableau; ``COPY clusters TO 'clusters.parquet'`` exports.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import polars as pl

from syndicate.health import HEALTH_COLUMNS, HEALTH_SCHEMA, run_health
from syndicate.runs import MANIFEST, RunFolderError, read_run_folder

HISTORY_FILE = "history.duckdb"
LOCK_FILE = ".lock"
# How long to wait for a reader (a notebook, Metabase) to let go of history.duckdb before the
# write is deferred to the next run (`sync_history` records it then). DuckDB lets one process
# write, or several read; a scheduled run should not hang on someone's open notebook.
LOCK_WAIT_SECONDS = float(os.environ.get("SYNDICATE_HISTORY_WAIT", "10"))


class HistoryBusyError(RuntimeError):
    """history.duckdb is held by another process (a reader, or a writer) past the wait."""


class HistoryFileError(RunFolderError):
    """history.duckdb exists but is no DuckDB database (a truncated copy, another file in its place)."""


class RunsRootLockedError(RunFolderError):
    """Another run holds the lock of this runs root (one run at a time per runs root)."""

METRIC_COLUMNS = {
    "accounts_scanned": "BIGINT", "clusters": "BIGINT", "accounts_in_clusters": "BIGINT",
    "high_risk_clusters": "BIGINT", "accounts_in_high_risk": "BIGINT", "new_accounts": "BIGINT",
    "accounts_joined": "BIGINT", "new_clusters": "BIGINT", "dissolved_clusters": "BIGINT",
}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS runs (
    run_name VARCHAR PRIMARY KEY, run_dir VARCHAR, recorded_at TIMESTAMP,
    reference_time TIMESTAMP, previous_run VARCHAR, syndicate_version VARCHAR,
    score_source VARCHAR, alerts BIGINT,
    {", ".join(f"{name} {kind}" for name, kind in METRIC_COLUMNS.items())}
);
CREATE TABLE IF NOT EXISTS clusters (
    run_name VARCHAR, cluster_id VARCHAR, rank BIGINT, size BIGINT, risk_score DOUBLE,
    archetype VARCHAR, lineage VARCHAR, previous_id VARCHAR, previous_size BIGINT,
    reasons VARCHAR[]
);
CREATE TABLE IF NOT EXISTS memberships (run_name VARCHAR, account_id VARCHAR, cluster_id VARCHAR);
CREATE TABLE IF NOT EXISTS dissolved (run_name VARCHAR, cluster_id VARCHAR, previous_size BIGINT,
                                      still_clustered BIGINT);
CREATE TABLE IF NOT EXISTS health (run_name VARCHAR, metric VARCHAR, segment_kind VARCHAR, segment VARCHAR,
                                   value DOUBLE);
CREATE TABLE IF NOT EXISTS decisions (decided_at TIMESTAMP, cluster_id VARCHAR, run_name VARCHAR,
                                      decision VARCHAR, investigator VARCHAR, note VARCHAR);
"""

#: The history's tables, every one keyed by ``run_name`` (the schema above).
HISTORY_TABLES = ("runs", "clusters", "memberships", "dissolved", "health", "decisions")

RUN_COLUMNS = ["run_name", "run_dir", "recorded_at", "reference_time", "previous_run",
               "syndicate_version", "score_source", "alerts", *METRIC_COLUMNS]
CLUSTER_COLUMNS = ["run_name", "cluster_id", "rank", "size", "risk_score", "archetype", "lineage",
                   "previous_id", "previous_size", "reasons"]


def _duckdb():
    import duckdb

    return duckdb


@contextlib.contextmanager
def runs_root_lock(runs_root: str | Path) -> Iterator[None]:
    """Hold ``RUNS_ROOT/.lock`` (an exclusive ``flock``) while a run writes under the root.

    The history has a single writer and run folders are swapped in place, so two runs on one
    root must not overlap; a second run fails at once with :class:`RunsRootLockedError`
    rather than wait behind a run that may take minutes. The kernel releases the lock when
    the process dies, so a killed run never leaves the root locked.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; runs are still atomic, only overlap is unguarded
        yield
        return
    root = Path(runs_root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunsRootLockedError(f"another run holds {root / LOCK_FILE}; one run at a time per "
                                      "runs root. Try again when it has finished.") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _connect(db_path: str | Path, *, read_only: bool, wait_seconds: float | None = None):
    """A DuckDB connection, retried while another process holds a conflicting lock on the file;
    :class:`HistoryBusyError` once ``wait_seconds`` (default ``LOCK_WAIT_SECONDS``) have passed."""
    duckdb = _duckdb()
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    deadline, pause = time.monotonic() + wait, 0.1
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise HistoryFileError(
                    f"{db_path} cannot be opened as the run history ({first}). Move it aside and run again: "
                    "the next run starts a new history from the run folders beside it (decisions recorded "
                    "only in the old file are not carried over).") from None
            if time.monotonic() + pause > deadline:
                holder = re.search(r"held in (.+?) \(PID (\d+)\)", str(exc))
                who = f" (PID {holder.group(2)}, {holder.group(1)})" if holder else ""
                raise HistoryBusyError(f"{db_path} is still open in another process{who} "
                                       f"after waiting {wait:g} s") from None
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def check_history(runs_root: str | Path) -> None:
    """:class:`HistoryFileError` now, before a run's work, when the runs root's history file is
    no database (a busy one is the run's to wait for, later)."""
    path = history_path(runs_root)
    if path.exists() and not path.is_file():
        raise HistoryFileError(f"{path} is a folder, not the run history's file: move it aside and run again.")
    if not path.is_file():
        return
    try:
        con = _connect(path, read_only=True, wait_seconds=0)
    except HistoryBusyError:
        return
    try:  # a DuckDB file, but is it a run history? Its tables of ours must have their keys.
        columns = con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    finally:
        con.close()
    held: dict[str, set[str]] = {}
    for table, column in columns:
        held.setdefault(table, set()).add(column)
    wrong = [table for table in HISTORY_TABLES if table in held and "run_name" not in held[table]]
    if wrong or "runs" not in held:
        why = f"its table {wrong[0]} has no run_name column" if wrong else "it has no table runs"
        raise HistoryFileError(f"{path} is a DuckDB database but no run history of syndicate ({why}): "
                               "move it aside and run again.")


def history_path(runs_root: str | Path) -> Path:
    """Where the history of the runs under ``runs_root`` lives."""
    return Path(runs_root) / HISTORY_FILE


def is_run_folder(path: Path) -> bool:
    """A finished run folder (temporary and swapped-out folders start with a dot; a folder
    `score-new` wrote has a manifest but no members)."""
    return (path.is_dir() and not path.name.startswith(".") and (path / MANIFEST).is_file()
            and (path / "members.parquet").is_file())


def find_previous_run(runs_root: str | Path, run_name: str) -> Path | None:
    """The latest finished run under ``runs_root`` whose name sorts before ``run_name``."""
    root = Path(runs_root)
    if not root.is_dir():
        return None
    earlier = sorted(p for p in root.iterdir() if is_run_folder(p) and p.name < run_name)
    return earlier[-1] if earlier else None


def run_summary(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> dict[str, Any]:
    """One ``runs`` row from a run folder's tables and manifest."""
    summary = dict(manifest.get("summary") or {})
    clusters, members = tables["clusters"], tables["members"]
    threshold = manifest.get("config", {}).get("risk", {}).get("high_risk_threshold", 0.7)
    high = clusters.filter(pl.col("risk_score") >= threshold)
    fallback = {  # runs written before summaries existed
        "accounts_scanned": manifest.get("input_rows", {}).get("accounts"),
        "clusters": clusters.height, "accounts_in_clusters": members.height,
        "high_risk_clusters": high.height, "accounts_in_high_risk": int(high["size"].sum() or 0),
    }
    row = {name: summary.get(name, fallback.get(name)) for name in METRIC_COLUMNS}
    lineage = manifest.get("lineage") or {}
    reference = manifest.get("reference_time")
    row.update(
        run_name=manifest.get("run_name"),
        reference_time=datetime.fromisoformat(reference) if reference else None,
        previous_run=lineage.get("previous_run"),
        syndicate_version=manifest.get("syndicate_version"),
        score_source=(manifest.get("risk") or {}).get("score_source"),
        alerts=(manifest.get("alerts") or {}).get("count"),
    )
    return row


def record_run(db_path: str | Path, run_dir: str | Path, *, run_name: str | None = None) -> None:
    """Add (or replace) one finished run folder in the history database."""
    run_dir = Path(run_dir).resolve()
    tables, manifest = read_run_folder(run_dir, only=("members", "clusters"))
    name = run_name or manifest.get("run_name") or run_dir.name
    row = run_summary(tables, manifest)
    row.update(run_name=name, run_dir=str(run_dir),
               recorded_at=datetime.now(timezone.utc).replace(tzinfo=None))
    runs = pl.DataFrame([row], schema_overrides={"reference_time": pl.Datetime("us"),
                                                  "recorded_at": pl.Datetime("us")}).select(RUN_COLUMNS)
    clusters = tables["clusters"]
    for column, dtype in (("lineage", pl.String), ("previous_id", pl.String), ("previous_size", pl.UInt32)):
        if column not in clusters.columns:
            clusters = clusters.with_columns(pl.lit(None, dtype=dtype).alias(column))
    clusters = clusters.with_columns(pl.lit(name).alias("run_name")).select(CLUSTER_COLUMNS)
    members = tables["members"].select(pl.lit(name).alias("run_name"), "account_id", "cluster_id")
    dissolved_path = run_dir / "dissolved.parquet"
    dissolved = (pl.read_parquet(dissolved_path) if dissolved_path.is_file()
                 else pl.DataFrame(schema={"cluster_id": pl.String, "previous_size": pl.UInt32,
                                           "still_clustered": pl.UInt32}))
    dissolved = dissolved.select(pl.lit(name).alias("run_name"), "cluster_id", "previous_size",
                                 "still_clustered")
    try:
        health = run_health(run_dir).select(pl.lit(name).alias("run_name"), *HEALTH_COLUMNS)
    except FileNotFoundError:  # a run written before accounts were scored: no figures to record
        health = pl.DataFrame(schema={"run_name": pl.String, **HEALTH_SCHEMA})

    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path, read_only=False)
    try:
        con.execute(_SCHEMA)
        con.execute("BEGIN TRANSACTION")
        try:
            for table, frame in (("runs", runs), ("clusters", clusters), ("memberships", members),
                                 ("dissolved", dissolved), ("health", health)):
                con.execute(f"DELETE FROM {table} WHERE run_name = ?", [name])
                con.register("incoming", frame.to_arrow())
                con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
                con.unregister("incoming")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")  # only once the transaction has begun
            raise
    finally:
        con.close()


def sync_history(runs_root: str | Path, *, skip_damaged: bool = False) -> list[str]:
    """Record every finished run folder under ``runs_root`` that the history lacks.

    Returns the names recorded. Use after restoring run folders from a backup, or when the
    database was deleted. ``skip_damaged``: a folder that cannot be read is passed over (the
    rest are recorded) instead of stopping the sync.
    """
    if not Path(runs_root).is_dir():
        return []
    path = history_path(runs_root)
    known = set(read_runs(path)["run_name"].to_list())
    added = []
    for run_dir in sorted(Path(runs_root).iterdir()):
        if is_run_folder(run_dir) and run_dir.name not in known:
            try:
                record_run(path, run_dir, run_name=run_dir.name)
            except (RunFolderError, OSError, pl.exceptions.PolarsError, json.JSONDecodeError):
                if not skip_damaged:
                    raise
                continue
            added.append(run_dir.name)
    return added


# What an investigator concluded about a cluster: confirmed bad (acted on), dismissed (benign
# or not worth acting on), escalated (to a specialist team), watch (look again next run).
DECISIONS = ("confirmed", "dismissed", "escalated", "watch")
DECISION_SCHEMA = {"decided_at": pl.Datetime("us"), "cluster_id": pl.String, "run_name": pl.String,
                   "decision": pl.String, "investigator": pl.String, "note": pl.String}


class DecisionError(ValueError):
    """A decision that cannot be recorded (unknown cluster or run, unknown decision)."""


def record_decision(runs_root: str | Path, cluster_id: str, decision: str, *, investigator: str,
                    note: str | None = None, run_name: str | None = None,
                    decided_at: datetime | None = None) -> dict[str, Any]:
    """Add one decision to the ``decisions`` table of ``runs_root``'s history and return it.

    The cluster must be in the history: in ``run_name`` when given, else the latest run that
    holds it (cluster ids carry over between runs, so the decision follows the syndicate). Run
    folders the history lacks are recorded first (:func:`sync_history`).
    """
    if decision not in DECISIONS:
        raise DecisionError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}; nothing was recorded.")
    if not investigator or not investigator.strip():
        raise DecisionError("an investigator's name is required (--by); nothing was recorded.")
    check_history(runs_root)
    path = history_path(runs_root)
    if not path.is_file():
        raise DecisionError(f"{runs_root} has no run history ({path.name}); record runs with "
                            "`syndicate run DATA --runs-root ROOT` first. Nothing was recorded.")
    try:
        # A run whose recording was skipped (a reader held the history) is in its folder only:
        # recorded first (the next run would record it too), so that the decision names the
        # latest run that holds the cluster; a damaged folder is passed over.
        sync_history(runs_root, skip_damaged=True)
        return _insert_decision(path, runs_root, cluster_id, decision, investigator, note, run_name, decided_at)
    except HistoryBusyError as exc:
        raise DecisionError(f"{exc}: try again once it is closed. Nothing was recorded.") from None


def _insert_decision(path: Path, runs_root: str | Path, cluster_id: str, decision: str, investigator: str,
                     note: str | None, run_name: str | None, decided_at: datetime | None) -> dict[str, Any]:
    sql = "SELECT run_name FROM clusters WHERE cluster_id = ?" + (" AND run_name = ?" if run_name else "")
    found = query(path, sql + " ORDER BY run_name DESC LIMIT 1", [cluster_id, *([run_name] if run_name else [])])
    if found.height == 0:
        where = f"run {run_name}" if run_name else "any recorded run"
        raise DecisionError(f"cluster {cluster_id} is not in {where} of {runs_root}; nothing was recorded.")
    row = {"decided_at": (decided_at or datetime.now(timezone.utc)).replace(tzinfo=None),
           "cluster_id": cluster_id, "run_name": found["run_name"][0], "decision": decision,
           "investigator": investigator.strip(), "note": note}
    frame = pl.DataFrame([row], schema=DECISION_SCHEMA)
    con = _connect(path, read_only=False)
    try:
        con.execute(_SCHEMA)
        con.register("incoming", frame.to_arrow())
        con.execute("INSERT INTO decisions SELECT * FROM incoming")
        con.unregister("incoming")
    finally:
        con.close()
    return row


def read_decisions(runs_root: str | Path) -> pl.DataFrame:
    """Every recorded decision, oldest first (empty without a history or decisions)."""
    path = history_path(runs_root)
    if not path.is_file():
        return pl.DataFrame(schema=DECISION_SCHEMA)
    tables = query(path, "SELECT table_name FROM information_schema.tables WHERE table_name = 'decisions'")
    if tables.height == 0:
        return pl.DataFrame(schema=DECISION_SCHEMA)
    return query(path, "SELECT * FROM decisions ORDER BY decided_at, cluster_id, run_name, decision, "
                       "investigator, note").cast(DECISION_SCHEMA)


def follow_merges(decisions: pl.DataFrame, runs_root: str | Path, run_name: str,
                  clusters: pl.DataFrame) -> pl.DataFrame:
    """``decisions`` (:func:`read_decisions`) with ``cluster_id`` the id each decided syndicate
    carries in run ``run_name``, and ``decided_on`` the id it was decided on.

    Ids carry over from run to run, so a decision follows its syndicate; but a cluster that
    another absorbs in a merge loses its id (it is among the other's ``previous_ids`` and no
    cluster of that run has it), and its decisions pass to the cluster that absorbed it, run
    after run up to this one (split among several, to the largest). ``clusters``: this run's
    (with ``lineage``'s ``previous_ids``); the earlier runs' are read from their folders under
    ``runs_root``."""
    decisions = decisions.with_columns(pl.col("cluster_id").alias("decided_on"))
    if decisions.height == 0:
        return decisions
    first = decisions["run_name"].min()
    runs = [(d.name, d / "clusters.parquet") for d in sorted(Path(runs_root).iterdir())
            if first < d.name < run_name and is_run_folder(d)]
    # Only what a merge needs of each earlier run's clusters (runs from before lineage had
    # previous_ids merge nothing).
    frames = [(name, pl.read_parquet(path, columns=["cluster_id", "size", "previous_ids"])) for name, path in runs
              if "previous_ids" in pl.read_parquet_schema(path)]
    if "previous_ids" in clusters.columns:
        frames.append((run_name, clusters))
    moves: list[tuple[str, dict[str, str]]] = []
    for name, frame in frames:
        absorbed = (frame.select("cluster_id", "size", pl.col("previous_ids").alias("absorbed"))
                    .explode("absorbed")
                    .filter(pl.col("absorbed").is_not_null() & ~pl.col("absorbed").is_in(frame["cluster_id"].implode()))
                    .sort(["absorbed", "size", "cluster_id"], descending=[False, True, False])
                    .group_by("absorbed", maintain_order=True).first())
        if absorbed.height:
            moves.append((name, dict(zip(absorbed["absorbed"].to_list(), absorbed["cluster_id"].to_list()))))
    if not moves:
        return decisions
    current = []
    for cluster_id, decided in zip(decisions["cluster_id"].to_list(), decisions["run_name"].to_list()):
        for name, into in moves:  # few decisions and merges: in run order
            if name > decided:
                cluster_id = into.get(cluster_id, cluster_id)
        current.append(cluster_id)
    return decisions.with_columns(pl.Series("cluster_id", current, dtype=pl.String))


def query(db_path: str | Path, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
    """Run a read-only SQL query on the history; a polars frame back."""
    con = _connect(db_path, read_only=True)
    try:
        relation = con.sql(sql, params=params or None)
        # DuckDB 2 names it to_arrow_table; 1.x arrow.
        fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
        return pl.from_arrow(fetch())
    finally:
        con.close()


def _empty_runs() -> pl.DataFrame:
    schema = {"run_name": pl.String, "run_dir": pl.String, "recorded_at": pl.Datetime("us"),
              "reference_time": pl.Datetime("us"), "previous_run": pl.String,
              "syndicate_version": pl.String, "score_source": pl.String, "alerts": pl.Int64}
    schema.update({name: pl.Int64 for name in METRIC_COLUMNS})
    return pl.DataFrame(schema=schema)


def read_runs(db_path: str | Path, *, before: str | None = None) -> pl.DataFrame:
    """The ``runs`` table in run order (optionally only runs named before ``before``);
    empty when there is no history yet."""
    if not Path(db_path).is_file():
        return _empty_runs()
    sql = "SELECT * FROM runs" + (" WHERE run_name < ?" if before else "") + " ORDER BY run_name"
    return query(db_path, sql, [before] if before else [])


def baseline_from_manifest(manifest: dict[str, Any]) -> pl.DataFrame:
    """A one-run baseline from a previous run's manifest (when there is no history DB)."""
    summary = manifest.get("summary") or {}
    row = {name: summary.get(name) for name in METRIC_COLUMNS}
    row["run_name"] = manifest.get("run_name")
    return pl.DataFrame([row], schema={"run_name": pl.String, **{n: pl.Int64 for n in METRIC_COLUMNS}})


def baseline_from_folders(runs_root: str | Path, *, before: str) -> pl.DataFrame:
    """The ``runs`` figures of the finished runs named before ``before``, read from their
    manifests: the baseline when history.duckdb is busy."""
    root = Path(runs_root)
    folders = sorted(p for p in root.iterdir() if is_run_folder(p) and p.name < before) if root.is_dir() else []
    frames = []
    for folder in folders:
        try:
            frames.append(baseline_from_manifest({"run_name": folder.name, **manifest_of(folder)}))
        except (OSError, ValueError):  # a damaged manifest: that run is left out of the baseline
            continue
    return pl.concat(frames) if frames else baseline_from_manifest({}).clear()


def manifest_of(run_dir: str | Path) -> dict[str, Any]:
    return json.loads((Path(run_dir) / MANIFEST).read_text())


__all__ = ["HISTORY_FILE", "history_path", "runs_root_lock", "HistoryBusyError", "HistoryFileError", "check_history", "RunsRootLockedError", "find_previous_run", "record_run", "sync_history",
           "read_runs", "query", "run_summary", "baseline_from_manifest", "is_run_folder", "DECISIONS",
           "DecisionError", "record_decision", "read_decisions"]

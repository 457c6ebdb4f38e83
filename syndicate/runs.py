"""Run folders: written completely or not at all, and read back.

A run is written into a temporary sibling folder and renamed into place. When the target
exists (the same day re-run by a scheduler), it is swapped out only after the new run is
complete, so a crash at any point leaves either the previous run or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

import polars as pl

from syndicate.contract import TABLES

RUN_TABLES = ("members", "clusters", "edges")
# Written by every run since accounts were scored; runs written before have none, and
# readers treat it as absent rather than the folder as incomplete.
OPTIONAL_RUN_TABLES = ("accounts",)
MANIFEST = "manifest.json"
# The columns every reader of a run table relies on: a table without them is not the run's
# (a file put in its place by hand, or by writing input tables into the run folder).
RUN_TABLE_KEYS = {"members": ("account_id", "cluster_id"), "clusters": ("cluster_id", "risk_score", "rank"),
                  "edges": ("account_a", "account_b", "weight"), "accounts": ("account_id", "cluster_id", "risk_score")}
TABLE_NAMES = tuple(TABLES)  # the contract's input tables


class RunFolderError(ValueError):
    """A run folder is missing, incomplete or unreadable."""


class OutputPathError(RunFolderError):
    """An output path that syndicate must not write (it would replace what it did not write)."""


def file_fingerprints(data_dir: str | Path) -> dict[str, dict[str, Any]]:
    """sha256 and size of every contract table file in ``data_dir``."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(data_dir).iterdir()):
        if path.suffix in (".parquet", ".csv") and path.stem in TABLE_NAMES and path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            out[path.name] = {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}
    return out


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_temporaries(out_dir: Path) -> list[Path]:
    """Remove temp/backup siblings of ``out_dir`` left by runs that were killed.

    A SIGKILL cannot clean up after itself; the next run removes folders named
    ``.NAME.tmp-PID`` / ``.NAME.old-PID`` whose process is gone (a live PID is another run).
    An orphaned ``.old`` folder is restored if the run folder itself is missing.
    """
    removed = []
    for path in sorted(out_dir.parent.glob(f".{out_dir.name}.*-*")):
        kind, _, pid = path.name[len(out_dir.name) + 2:].partition("-")
        if kind not in ("tmp", "old") or not pid.isdigit() or _pid_alive(int(pid)):
            continue
        if kind == "old" and not out_dir.exists():
            path.rename(out_dir)
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


# What syndicate writes into a folder of its own, by what writes it: the files (None) and the
# folders with the files they hold. A folder is replaced or written into only when it holds
# nothing else: a file of the person's own beside these (a note, a spreadsheet, case bundles
# exported into a run folder) is never deleted or overwritten. Names starting with a dot and
# holding ".tmp-" are a killed writer's leftovers (`sweep_stale_temporaries`, health.py).
MODEL_FILES = frozenset({"model.json", "metadata.json", "account_model.json", "account_metadata.json"})
EVALUATION_FILES = frozenset({"evaluation.json", "pr_curve.png", "false_positives.csv"})
RUN_ENTRIES: dict[str, frozenset[str] | None] = {
    **{f"{name}.parquet": None for name in (*RUN_TABLES, *OPTIONAL_RUN_TABLES, "creation", "dissolved", "health",
                                             "root_cause")},
    MANIFEST: None, "report.html": None, "alerts.json": None,
    "model": MODEL_FILES,            # the run's trained models (pipeline.run_to_folder)
    "evaluation": EVALUATION_FILES,  # `syndicate evaluate RUN_DIR`'s default output, and the demo's
}


def json_document(path: Path) -> Any:
    """The JSON document in ``path``, or None when there is none or it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def is_run_folder(path: str | Path) -> bool:
    """True when ``path`` is a folder `syndicate run` wrote: a manifest naming a syndicate
    version and the run's config, written by no other command (`score-new` names itself)."""
    document = json_document(Path(path) / MANIFEST)
    return (isinstance(document, dict) and "syndicate_version" in document and "config" in document
            and document.get("command", "run") == "run")


# Files a file manager leaves in any folder it shows (macOS Finder, Windows Explorer): opening
# a run's report from its folder must not stop the next run there.
OS_CLUTTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})  # and AppleDouble "._NAME" files
# A killed writer's leftover: ".NAME.tmp-PID" (write_run_folder, health.py's root cause).
_TEMPORARY = re.compile(r"^\..+\.tmp-\d+$")


def run_entries(folder: Path) -> dict[str, frozenset[str] | None]:
    """What the run in ``folder`` wrote there (its manifest's ``written``), with what other
    commands add to a run folder (root-cause, report, the default evaluation); ``RUN_ENTRIES``
    for a run written before the manifest listed its files."""
    document = json_document(folder / MANIFEST)
    written = document.get("written") if isinstance(document, dict) else None
    if not isinstance(written, list):
        return RUN_ENTRIES
    entries: dict[str, Any] = {MANIFEST: None, "root_cause.parquet": None, "report.html": None,
                               "evaluation": EVALUATION_FILES}
    for path in written:
        head, _, rest = str(path).partition("/")
        if rest:
            entries[head] = frozenset(entries.get(head) or ()) | {rest}
        else:
            entries.setdefault(head, None)
    return entries


def foreign_entries(folder: Path, allowed: dict[str, frozenset[str] | None]) -> list[str]:
    """What ``folder`` holds that is not in ``allowed`` (``RUN_ENTRIES``' form), sorted; a
    sub-folder is named with a trailing slash."""
    out = []
    for child in sorted(folder.iterdir()):
        name = child.name
        if _TEMPORARY.match(name) or name in OS_CLUTTER or name.startswith("._"):
            continue
        inner = allowed.get(name, ...)
        if inner is ...:
            out.append(name + "/" if child.is_dir() else name)
        elif inner is None:
            if child.is_dir():
                out.append(name + "/")
        elif not child.is_dir():
            out.append(name)
        else:
            out += [f"{name}/{c}" for c in foreign_entries(child, dict.fromkeys(inner))]
    return out


def enclosing_run_folder(path: str | Path) -> Path | None:
    """The run folder that ``path`` is (or lies inside), if any."""
    target = Path(path).expanduser().resolve()
    for folder in (target, *target.parents):
        if is_run_folder(folder):
            return folder
    return None


def _named(entries: list[str], limit: int = 5) -> str:
    more = f" and {len(entries) - limit} more" if len(entries) > limit else ""
    return ", ".join(entries[:limit]) + more


def out_option(runs_root: str | Path | None, option: str = "--out") -> str:
    """How errors name the run's folder: ``option`` (``--out``; ``out_dir`` from the API), or
    the folder ``run --runs-root`` names."""
    return option if runs_root is None else "the run folder under --runs-root"


def check_out_dir(out_dir: str | Path, *, data_dir: str | Path | None = None, option: str = "--out",
                  inputs: tuple[str | Path | None, ...] = (), writer: str = "the run",
                  written: Callable[[Path], bool] = is_run_folder,
                  entries: Callable[[Path], dict[str, frozenset[str] | None]] = run_entries,
                  kind: str = "is a folder that is not a syndicate run (no manifest.json of a run)",
                  rule: str = "syndicate only replaces its own previous run folders; choose a new or empty folder",
                  inside_ok: Path | None = None) -> Path:
    """Refuse any ``out_dir`` whose replacement could destroy what syndicate did not write.

    Only a missing path, an empty folder or a previous run folder (``written``, by default
    ``is_run_folder``) holding nothing but what it wrote (``entries``) may be written; the data
    folder, a folder that contains it, the current directory (or one above it), a file, a path
    inside a run folder (but ``inside_ok``) or any other non-empty folder raise
    :class:`OutputPathError` before anything is computed or written; ``inputs`` are further
    folders the command reads. Returns the resolved path.
    """
    target = Path(out_dir).expanduser().resolve()
    cwd = Path.cwd().resolve()
    problem = None
    if target == cwd or target in cwd.parents:
        problem = "is the current directory or one of its parents"
    elif data_dir is not None and (target == Path(data_dir).resolve()
                                   or target in Path(data_dir).resolve().parents):
        problem = "is the data folder or contains it"
    elif given := [Path(p) for p in inputs if p is not None
                   and (target == Path(p).resolve() or target in Path(p).resolve().parents)]:
        problem = f"is or holds {given[0]}, which the command reads"
    elif target.exists() and not target.is_dir():
        problem = "is a file"
    elif target.is_dir():
        try:
            content = foreign_entries(target, {})
            ours = bool(content) and written(target)
            foreign = foreign_entries(target, entries(target)) if ours else []
        except OSError as exc:
            raise OutputPathError(f"{option} {out_dir}: cannot be read ({exc.strerror}); nothing was written.") from None
        if content and not ours:
            problem = f"{kind}; it holds {_named(content)}"
        elif foreign:
            problem = (f"also holds {len(foreign)} {'entry' if len(foreign) == 1 else 'entries'} {writer} did not "
                       f"write ({_named(foreign)}); replacing the folder would delete "
                       f"{'it' if len(foreign) == 1 else 'them'}")
    if (problem is None and target != inside_ok
            and (inside := enclosing_run_folder(target.parent)) is not None):
        problem = f"lies inside the run folder {inside} (the next run there would find it in its way)"
    if problem:
        raise OutputPathError(f"{option} {out_dir}: {problem}. {rule}. Nothing was touched.")
    if reason := unwritable_reason(target):
        raise OutputPathError(f"{option} {out_dir}: {reason}; nothing was written.")
    return target


def check_own_folder(out_dir: str | Path, *, command: str, files: frozenset[str] | Callable[[Path], frozenset[str]],
                     written: Callable[[Path], bool], avoid: tuple[Path, ...] = (), run_entry: str | None = None,
                     option: str = "--out", who: str | None = None) -> Path:
    """:func:`check_out_dir` for a command that writes a folder of ``files`` (evaluate, train,
    generate): a missing path, an empty folder, or one this command wrote before
    (``written(folder)``) holding nothing but ``files`` (or ``files(folder)``: what that
    folder's marker says the command wrote). Never a file, a folder of ``avoid`` (its inputs) or
    one holding it, nor a path inside a run folder other than that run's own ``run_entry``
    sub-folder (``RUN_ENTRIES``: RUN_DIR/evaluation). ``who``: the writer as the message
    names it (default ``syndicate COMMAND``; ``syndicate.write_tables`` from the API)."""
    target = Path(out_dir).expanduser().resolve()
    inside = enclosing_run_folder(target.parent) if run_entry is not None else None
    who = who or f"syndicate {command}"
    return check_out_dir(
        out_dir, option=option, inputs=avoid, writer=f"`{who}`", written=written,
        entries=lambda folder: dict.fromkeys(files(folder) if callable(files) else files),
        kind=f"is a folder that `{who}` did not write",
        rule=f"{who} writes only a new or empty folder or its own previous output; choose another",
        inside_ok=inside / run_entry if inside is not None else None)


def json_file_with(key: str, name: str, *, equal_to: Any = ...) -> Callable[[Path], bool]:
    """``written`` for :func:`check_out_dir` / :func:`check_own_folder`: the folder's ``name`` is
    a JSON object holding ``key`` (with the value ``equal_to``, when given)."""
    def written(folder: Path) -> bool:
        document = json_document(folder / name)
        return (isinstance(document, dict) and key in document
                and (equal_to is ... or document[key] == equal_to))
    return written


def unwritable_reason(target: str | Path) -> str | None:
    """Why a folder cannot be created at ``target`` (None when it can): its nearest existing
    ancestor must be a folder where a probe folder can be made and removed."""
    parent = Path(target).expanduser().absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    try:  # a probe, not os.access: root "may" write /proc, which still refuses folders
        shutil.rmtree(tempfile.mkdtemp(prefix=".syndicate-probe-", dir=parent))
    except OSError:
        return f"{parent} is not a writable folder"
    return None


def write_run_folder(
    out_dir: str | Path,
    tables: dict[str, pl.DataFrame],
    manifest: dict[str, Any],
    *,
    extra: Callable[[Path], None] | None = None,
    check: Callable[[str | Path], Path] = check_out_dir,
) -> Path:
    """Write ``tables`` as parquet plus ``manifest.json`` atomically into ``out_dir``.

    ``extra(tmp_dir)`` may add more files (report, model) before the folder is moved in place.
    ``check`` (default :func:`check_out_dir`) is run again on ``out_dir`` first: the folder may
    have changed since the command checked it. The manifest lists what was written
    (``written``): the next replacement deletes those and refuses anything else in the folder.
    """
    out_dir = check(out_dir)

    def fill(tmp: Path) -> None:
        _write_tables_beside(tmp, tables, extra)
        written = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file())
        document = {**manifest, "written": [*written, MANIFEST]}
        (tmp / MANIFEST).write_text(json.dumps(document, indent=2, sort_keys=True, default=str))

    return replace_folder(out_dir, fill)


def replace_folder(out_dir: Path, fill: Callable[[Path], None]) -> Path:
    """Write ``out_dir`` as a whole: ``fill(tmp)`` writes a temporary sibling, which is renamed
    into place once complete; a previous folder there (checked by the caller to be syndicate's
    own) is swapped out only then, so a crash leaves the old folder or the new, never a mix."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale_temporaries(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        fill(tmp)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return out_dir


def _write_tables_beside(tmp: Path, tables: dict[str, pl.DataFrame], extra: Callable[[Path], None] | None) -> None:
    """``tables`` as parquet into ``tmp`` on a worker thread while ``extra(tmp)`` runs here.

    Polars encodes and compresses without the GIL, and ``extra`` (the report: matplotlib,
    HTML) is Python: at 1M accounts the 13M edges and 1M scored accounts take ~3.5 s to write
    and the report ~1.5 s, so they overlap instead of adding up. ``extra`` writes other files
    only. Its error, if any, is raised after the writes have stopped; otherwise theirs.
    """
    def write() -> None:
        for name, frame in tables.items():
            # No statistics timestamps or writer randomness: same frames -> same bytes.
            frame.write_parquet(tmp / f"{name}.parquet", compression="zstd", statistics=True)

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        written = pool.submit(write)
        if extra is not None:
            extra(tmp)
    finally:
        pool.shutdown(wait=True)
    written.result()


def read_run_folder(run_dir: str | Path, *, only: tuple[str, ...] | None = None
                    ) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """Tables and manifest of a finished run; a clear error when it is missing or incomplete.
    ``only``: read just these tables (the folder is still checked whole) — comparing with a
    previous run needs its members and clusters, not its edges (at 1M accounts ~3M rows)."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"run folder {run_dir} does not exist")
    missing = [f"{t}.parquet" for t in RUN_TABLES if not (run_dir / f"{t}.parquet").is_file()]
    if not (run_dir / MANIFEST).is_file():
        missing.append(MANIFEST)
    if missing:
        raise RunFolderError(f"run folder {run_dir} is incomplete: missing {', '.join(missing)}")
    try:
        manifest = json.loads((run_dir / MANIFEST).read_text())
        wanted = [t for t in (*RUN_TABLES, *OPTIONAL_RUN_TABLES) if only is None or t in only]
        tables = {t: pl.read_parquet(run_dir / f"{t}.parquet") for t in wanted
                  if t in RUN_TABLES or (run_dir / f"{t}.parquet").is_file()}
    except (json.JSONDecodeError, OSError, pl.exceptions.ComputeError) as exc:
        raise RunFolderError(f"run folder {run_dir} is unreadable: {exc}") from None
    if wrong := [f"{name}.parquet lacks {', '.join(lacking)}" for name, frame in tables.items()
                 if (lacking := [c for c in RUN_TABLE_KEYS.get(name, ()) if c not in frame.columns])]:
        raise RunFolderError(f"run folder {run_dir} holds tables no run wrote: {'; '.join(wrong)} "
                             "(replaced since the run?); run it again")
    return tables, manifest

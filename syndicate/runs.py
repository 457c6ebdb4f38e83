"""Run folders: written completely or not at all, and read back.

A run is written into a temporary sibling folder and renamed into place. When the target
exists (the same day re-run by a scheduler), it is swapped out only after the new run is
complete, so a crash at any point leaves either the previous run or the new one, never a mix.
"""

from __future__ import annotations

import hashlib
import json
import os
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
TABLE_NAMES = tuple(TABLES)  # the contract's input tables


class RunFolderError(ValueError):
    """A run folder is missing, incomplete or unreadable."""


class OutputPathError(RunFolderError):
    """An output path that syndicate must not write (it would replace what it did not write)."""


def file_fingerprints(data_dir: str | Path) -> dict[str, dict[str, Any]]:
    """sha256 and size of every contract table file in ``data_dir``."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(data_dir).iterdir()):
        if path.suffix in (".parquet", ".csv") and path.stem in TABLE_NAMES:
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


def is_run_folder(path: str | Path) -> bool:
    """True when ``path`` is a folder syndicate wrote: a manifest naming a syndicate version."""
    manifest = Path(path) / MANIFEST
    if not manifest.is_file():
        return False
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(document, dict) and "syndicate_version" in document


def check_out_dir(out_dir: str | Path, *, data_dir: str | Path | None = None) -> Path:
    """Refuse any ``out_dir`` whose replacement could destroy what syndicate did not write.

    Only a missing path, an empty folder or a previous run folder (``is_run_folder``) may be
    written; the data folder, a folder that contains it, the current directory (or one above
    it), a file or any other non-empty folder raise :class:`OutputPathError` before anything is
    computed or written. Returns the resolved path.
    """
    target = Path(out_dir).expanduser().resolve()
    cwd = Path.cwd().resolve()
    problem = None
    if target == cwd or target in cwd.parents:
        problem = "is the current directory or one of its parents"
    elif data_dir is not None and (target == Path(data_dir).resolve()
                                   or target in Path(data_dir).resolve().parents):
        problem = "is the data folder or contains it"
    elif target.exists() and not target.is_dir():
        problem = "is a file"
    elif target.is_dir() and not is_run_folder(target):
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise OutputPathError(f"--out {out_dir}: cannot be read ({exc.strerror}); nothing was written.") from None
        if not empty:
            problem = "is a folder that is not a syndicate run (no manifest.json of a run)"
    if problem:
        raise OutputPathError(
            f"--out {out_dir}: {problem}. syndicate only replaces its own previous run folders; "
            "choose a new or empty folder. Nothing was touched.")
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    try:  # a probe, not os.access: root "may" write /proc, which still refuses folders
        shutil.rmtree(tempfile.mkdtemp(prefix=".syndicate-probe-", dir=parent))
    except OSError:
        raise OutputPathError(f"--out {out_dir}: {parent} is not a writable folder; nothing was written.")
    return target


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
) -> Path:
    """Write ``tables`` as parquet plus ``manifest.json`` atomically into ``out_dir``.

    ``extra(tmp_dir)`` may add more files (report, model) before the folder is moved in place.
    """
    out_dir = check_out_dir(out_dir)  # again at write time: the folder may have changed meanwhile
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale_temporaries(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _write_tables_beside(tmp, tables, extra)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
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
    return tables, manifest

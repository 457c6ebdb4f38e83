"""Investigator case bundles: one folder (and a zip of it) per cluster of a run.

Each case holds ``case.html`` (self-contained: summary, members, evidence, graph picture,
timeline, provenance), ``members.csv``, ``edges.csv``, ``evidence.csv``, ``identifiers.csv``,
``events.csv``, ``summary.json`` and ``graph.graphml``. Identifier values are masked unless
``reveal=True``, which the case records.

>>> export_cases("runs/2024-06-01", top=5, out_dir="cases/2024-06-01")  # doctest: +SKIP
[PosixPath('cases/2024-06-01/C6605c1aa302'), ...]
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Sequence

import polars as pl

from syndicate.cases.case import Case, build_case, config_hash, run_info
from syndicate.progress import Progress


# Marks a temporary export folder, so that only syndicate's own leftovers are ever swept.
EXPORT_MARKER = ".syndicate-export-in-progress"


class CaseExportError(ValueError):
    """A case export was asked for something that cannot be exported (nothing is written)."""


def _check_out_dir(out_dir: Path) -> None:
    from syndicate.runs import enclosing_run_folder, unwritable_reason

    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        what = "is a file" if not out_dir.is_dir() else "exists and is not empty"
        raise CaseExportError(f"output folder {out_dir} {what}; give a new or empty folder (--out, out_dir)")
    if (run := enclosing_run_folder(out_dir)) is not None:
        # The next run into that folder would have to delete the bundles, or refuse to run.
        raise CaseExportError(f"output folder {out_dir} lies inside the run folder {run}; give a folder "
                              "outside it (beside it, e.g. cases/)")
    reason = unwritable_reason(out_dir)
    if reason:
        raise CaseExportError(f"cannot write the output folder {out_dir}: {reason}")


def sweep_killed_exports(parent: Path) -> list[Path]:
    """Remove ``parent/.NAME.tmp-PID`` folders of exports whose process is gone.

    A killed export (SIGKILL, a power cut) cannot clean up, and with ``--reveal`` its
    half-written folder holds raw identifier values. Only folders carrying `EXPORT_MARKER`
    are touched; a live PID is another export still running.
    """
    from syndicate.runs import _pid_alive

    removed = []
    for path in sorted(parent.glob(".*.tmp-*")):
        pid = path.name.rpartition(".tmp-")[2]
        if pid.isdigit() and (path / EXPORT_MARKER).is_file() and not _pid_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _select_clusters(clusters: pl.DataFrame, cluster_ids: Sequence[str] | None, top: int | None) -> list[str]:
    if (cluster_ids is None) == (top is None):
        raise CaseExportError("give either cluster ids (--cluster ID, repeatable) or --top N, not both or neither")
    ranked = clusters.sort("rank")["cluster_id"].to_list()
    if top is not None:
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise CaseExportError(f"--top must be an int >= 1. Got {top!r} instead.")
        if not ranked:
            raise CaseExportError("the run has no clusters to export")
        return ranked[:top]
    wanted = list(dict.fromkeys(str(c) for c in cluster_ids))
    if not wanted:
        raise CaseExportError("no cluster id given")
    known = set(ranked)
    unknown = [c for c in wanted if c not in known]
    if unknown:
        examples = ", ".join(ranked[:5]) or "none (the run has no clusters)"
        raise CaseExportError(
            f"{len(unknown)} unknown cluster id(s): {', '.join(unknown[:5])}"
            f"{' …' if len(unknown) > 5 else ''}. The run has {len(ranked):,} clusters; "
            f"the top-ranked are: {examples}")
    return wanted


def _run_as_of(manifest: dict):
    """The run's reference time, so that a case leaves out the same timestamps as the run."""
    from syndicate.asof import AsOfError, parse_as_of

    try:
        return parse_as_of(manifest["reference_time"]) if manifest.get("reference_time") else None
    except AsOfError:  # a run written before reference times were bounded
        return None


def _run_placeholder_values(manifest: dict) -> tuple[str, ...]:
    """The placeholder values the run left out of its signals (its config's ``[identity]
    placeholder_values``), so that a case reads the same signals as the run."""
    values = ((manifest.get("config") or {}).get("identity") or {}).get("placeholder_values") or ()
    return tuple(str(v) for v in values)


def load_run_inputs(manifest: dict, *, names: tuple[str, ...] | None = None) -> tuple[object | None, str | None]:
    """The run's input dataset (``names``: only these tables), or None and a note saying why it
    is not available."""
    from syndicate.contract import ContractError
    from syndicate.io import load_dataset
    from syndicate.runs import file_fingerprints

    inputs = manifest.get("inputs") or {}
    data_dir = inputs.get("data_dir")
    if not data_dir or not Path(data_dir).is_dir():
        return None, (f"The run's input data ({data_dir or 'not recorded'}) is no longer available: this case "
                      "has the run's own tables only; identifier values, bursts and events are missing.")
    try:
        dataset = load_dataset(data_dir, as_of=_run_as_of(manifest), names=names,
                               placeholder_values=_run_placeholder_values(manifest))
    except ContractError as exc:
        return None, (f"The run's input data ({data_dir}) can no longer be read ({str(exc).splitlines()[0]}): "
                      "identifier values, bursts and events are missing.")
    recorded = inputs.get("files")
    if recorded is not None and file_fingerprints(data_dir) != recorded:
        return dataset, (f"The input files in {data_dir} changed after the run: evidence and member details "
                         "come from the current files and may not match the run's links exactly.")
    return dataset, None


def export_cases(run_dir: str | Path, *, cluster_ids: Sequence[str] | None = None, top: int | None = None,
                 out_dir: str | Path, reveal: bool = False, max_nodes: int = 150, seed: int = 0,
                 max_evidence_rows: int = 20_000, quiet: bool = True) -> list[Path]:
    """Write one case folder and ``<cluster_id>.zip`` per cluster into ``out_dir``.

    Parameters
    ----------
    run_dir : a run folder written by ``syndicate run``.
    cluster_ids : clusters to export; or
    top : export the ``top`` highest-ranked clusters.
    out_dir : new (or empty) folder; written completely or not at all.
    reveal : write raw identifier values (recorded in every case) instead of masked ones.
    max_nodes : largest number of accounts drawn in the graph picture (sampled above it).
    seed : seed of the picture's sample and layout.
    max_evidence_rows : evidence pairs per case above which the largest shared values are
        listed once per member instead of once per pair.

    Returns
    -------
    list of Path : the case folders, in the order asked for.

    Raises
    ------
    RunFolderError : the run folder is missing, incomplete or unreadable.
    CaseExportError : unknown cluster ids, bad arguments, or ``out_dir`` exists and is not empty.
    """
    from syndicate.runs import read_run_folder

    out_dir = Path(out_dir).resolve()
    _check_out_dir(out_dir)
    progress = Progress(quiet=quiet)
    tables, manifest = read_run_folder(run_dir)
    chosen = _select_clusters(tables["clusters"], cluster_ids, top)
    run = run_info(run_dir, manifest)
    with progress.stage("read input data"):
        dataset, inputs_note = load_run_inputs(manifest)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    sweep_killed_exports(out_dir.parent)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    (tmp / EXPORT_MARKER).write_text("a case export in progress; removed by the next export if its process died\n")
    from syndicate.cases.bundle import write_case, zip_folder

    try:
        for cluster_id in chosen:
            with progress.stage(f"case {cluster_id}"):
                case = build_case(cluster_id, tables=tables, run=run, dataset=dataset, reveal=reveal,
                                  max_evidence_rows=max_evidence_rows, inputs_note=inputs_note)
                folder = write_case(case, tmp / _folder_name(cluster_id), max_nodes=max_nodes, seed=seed)
                zip_folder(folder, tmp / f"{folder.name}.zip")
        _check_out_dir(out_dir)  # again: another process may have written there meanwhile
        (tmp / EXPORT_MARKER).unlink()
        if out_dir.exists():
            out_dir.rmdir()
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out_dir / _folder_name(c) for c in chosen]


def _folder_name(cluster_id: str) -> str:
    """A file-system-safe folder name for a cluster id."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in cluster_id).lstrip(".")
    return safe or "cluster"


__all__ = ["export_cases", "build_case", "run_info", "config_hash", "load_run_inputs", "Case", "CaseExportError"]

"""Reading and writing datasets (folders of contract tables). Run folders: ``syndicate.runs``.

Only the I/O modules and the pipeline touch files; the stages take and return frames.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.contract import TABLES, ContractError, Dataset, Problem, validate
from syndicate.csv_tables import CsvTableError, ragged_row_problems, read_csv_table

# =============================================================================================
# Reading a dataset folder

TABLE_FORMATS = (".parquet", ".csv")
# Endings a table's file is often given with that are not read (compressed, other formats):
# a file so named whose stem is near a table's name is said to be left out, not passed over.
_NEAR_ENDINGS = (".parquet", ".csv", ".pq", ".csv.gz", ".csv.zip", ".csv.bz2", ".csv.xz", ".parquet.gz",
                 ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".xlsx", ".xls", ".feather", ".arrow")


def unread_table_files(data_dir: str | Path) -> dict[str, list[str]]:
    """The files of ``data_dir`` that are not read but look meant as a contract table that is
    not there (a misspelt, upper-case or plural-less name such as ``evnts.csv``,
    ``Accounts.csv``, ``label.csv``; or a compressed or other format, ``events.csv.gz``), by
    the table they look meant for. Read are only ``NAME.parquet`` and ``NAME.csv``."""
    import difflib

    folder = Path(data_dir)
    if not folder.is_dir():
        return {}
    out: dict[str, list[str]] = {}
    for path in sorted(folder.iterdir()):
        stem = path.name.split(".", 1)[0]
        ending = path.name[len(stem):]
        # Read as it is named (events.csv); events.CSV, a Windows export's, is not read: named.
        if not path.is_file() or ending.lower() not in _NEAR_ENDINGS or (stem in TABLES and ending in TABLE_FORMATS):
            continue
        near = difflib.get_close_matches(stem.lower(), TABLES, n=1, cutoff=0.75)
        if near and not any((folder / f"{near[0]}{suffix}").is_file() for suffix in TABLE_FORMATS):
            out.setdefault(near[0], []).append(path.name)
    return out


def unread_files_warning(data_dir: str | Path) -> str | None:
    """:func:`unread_table_files` in words, or None."""
    found = unread_table_files(data_dir)
    if not found:
        return None
    said = "; ".join(f"{', '.join(files)} (not read: the {table} table would be {table}.csv or {table}.parquet)"
                     for table, files in found.items())
    return (f"the data folder holds {said}; tables are read only from files named NAME.parquet or NAME.csv "
            "(lower case, uncompressed), so these tables are left out")


def read_tables(data_dir: str | Path, *, names: tuple[str, ...] | None = None) -> dict[str, pl.DataFrame]:
    """Read the contract tables of a dataset folder (``names``: only these), as they are on disk.

    Each table is ``NAME.parquet`` or ``NAME.csv`` (``NAME`` one of ``TABLES``); other files
    are ignored. CSV columns are all read as text, so that validation, not the CSV reader,
    decides the types and can report bad values with examples.

    Parameters
    ----------
    data_dir : str or Path
        The dataset folder.

    Returns
    -------
    dict of str to polars.DataFrame
        The tables found, by name; not yet validated (see `load_dataset`).

    Raises
    ------
    ContractError
        If the folder does not exist, a table is there both as parquet and as CSV, or a file
        cannot be read; every such problem is listed.
    """
    folder = Path(data_dir)
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ContractError(
            [Problem("dataset", None, f"data folder {str(folder)!r} {what}",
                     expected="a folder with accounts.parquet or accounts.csv and other tables")]
        )
    tables: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    for name in TABLES if names is None else [t for t in TABLES if t in names]:
        for suffix in TABLE_FORMATS:
            if (folder / f"{name}{suffix}").is_dir():
                problems.append(Problem(
                    name, None, f"{name}{suffix} is a folder (a partitioned dataset?), not a file",
                    expected=f"one file {name}{suffix} (e.g. pl.read_parquet('{name}{suffix}/**/*.parquet')"
                             f".write_parquet(...) to combine the parts)"))
        paths = [folder / f"{name}{suffix}" for suffix in TABLE_FORMATS if (folder / f"{name}{suffix}").is_file()]
        if len(paths) > 1:
            problems.append(
                Problem(name, None, "table is given twice", expected="one file per table",
                        got=" and ".join(path.name for path in paths))
            )
        elif paths:
            try:
                tables[name] = read_table_file(paths[0])
            except UNREADABLE as error:
                problems += unreadable_problems(name, paths[0], error)
    if problems:
        raise ContractError(problems)
    return tables


# What reading a table file raises for a file that is not what its name says.
UNREADABLE = (CsvTableError, pl.exceptions.PolarsError, OSError, UnicodeDecodeError)


def unreadable_problems(name: str, path: Path, error: Exception) -> list[Problem]:
    """The problems of a table file that :func:`read_table_file` could not read (``error``, one
    of :data:`UNREADABLE`), in words; never the error's text, which quotes the data (identifiers)."""
    if isinstance(error, CsvTableError):
        return [Problem(name, None, problem) for problem in error.problems]
    reason = getattr(error, "strerror", None) or type(error).__name__
    if path.stat().st_size == 0:
        reason = "the file is empty: 0 bytes"
    elif isinstance(error, pl.exceptions.DuplicateError):
        reason = "a column name appears more than once"
    return [Problem(name, None, f"cannot read {path.name} ({reason})", expected=f"a {path.suffix[1:]} file")]


def read_table_file(path: str | Path) -> pl.DataFrame:
    """Read one table file by its extension: parquet as stored, CSV with every column as text."""
    path = Path(path)
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    if path.suffix == ".csv":
        return read_csv_table(path)
    raise ValueError(f"Table files must end in {' or '.join(TABLE_FORMATS)}. Got {path.name!r} instead.")


def load_dataset(data_dir: str | Path, *, as_of=None, names: tuple[str, ...] | None = None,
                 placeholder_values: tuple[str, ...] = ()) -> Dataset:
    """Read a dataset folder and validate it against the contract (``as_of``,
    ``placeholder_values``: see `validate`; ``names``: only these tables, e.g. ``("accounts",
    "signals")`` for what identifiers need).

    Examples
    --------
    >>> dataset = load_dataset("fixtures/tiny")  # doctest: +SKIP
    >>> dataset.row_counts()  # doctest: +SKIP
    {'accounts': 12, 'signals': 16, 'events': 14, 'labels': 4}
    """
    tables = read_tables(data_dir, names=names)
    try:
        return validate(tables, as_of=as_of, placeholder_values=placeholder_values)
    except ContractError as error:
        # A required table missing beside a file that looks meant as it (Accounts.csv): say so.
        near = unread_table_files(data_dir)
        if any(p.problem == "required table is missing" and p.table in near for p in error.problems):
            from dataclasses import replace

            error = ContractError([
                replace(p, got=f"{p.got}; {', '.join(near[p.table])} is there but not read (a table is read only "
                               f"from {p.table}.parquet or {p.table}.csv, lower case and uncompressed)")
                if p.problem == "required table is missing" and p.table in near else p for p in error.problems])
        # Short or blank CSV rows read as missing values: point at their lines (error path only).
        failed = {problem.table for problem in error.problems}
        lines = [Problem(name, None, text) for name in TABLES if name in failed
                 and (Path(data_dir) / f"{name}.csv").is_file()
                 for text in ragged_row_problems(Path(data_dir) / f"{name}.csv")]
        if not lines:
            raise error from None
        raise ContractError(lines + error.problems) from None


# ---------------------------------------------------------------------------------------------
# Writing datasets (the generator's output, test fixtures). Run folders: see syndicate.runs.


# `syndicate generate` marks its data folders with this file (what made them), so that it
# replaces only folders it wrote: a folder of someone's own tables is never written over.
GENERATED_FILE = "generated.json"


def _generated_files(folder: Path) -> frozenset[str]:
    """The files `generate` wrote into ``folder``, as its ``GENERATED_FILE`` lists them."""
    from syndicate.runs import json_document

    document = json_document(folder / GENERATED_FILE)
    listed = document.get("files") if isinstance(document, dict) else None
    # A marker that lists nothing claims nothing: its folder's tables are someone's to keep.
    return frozenset({GENERATED_FILE, *listed}) if isinstance(listed, list) else frozenset({GENERATED_FILE})


def check_generated_out(out_dir: str | Path, *, option: str = "out_dir", who: str | None = None) -> Path:
    """``out_dir`` resolved, or ``OutputPathError`` before any work: a new or empty folder or one
    `generate` (or ``syndicate.write_tables``) wrote before (its ``GENERATED_FILE``) holding
    nothing but the files it lists."""
    from syndicate.runs import OutputPathError, check_own_folder, json_file_with

    try:
        return check_own_folder(out_dir, command="generate", files=_generated_files, option=option, who=who,
                                written=json_file_with("command", GENERATED_FILE, equal_to="generate"))
    except OutputPathError as exc:
        folder = Path(out_dir)
        if not folder.is_dir() or (folder / GENERATED_FILE).exists():
            raise
        # A notebook or demo re-run into the folder an earlier version wrote: say why it is refused.
        raise OutputPathError(f"{exc} (Data folders written before syndicate marked what it writes with "
                              f"{GENERATED_FILE} are refused too: delete that folder.)") from None


def write_generated(tables: dict[str, pl.DataFrame], out_dir: str | Path, *, fmt: str = "parquet",
                    about: dict[str, Any] | None = None, who: str | None = None) -> Path:
    """`syndicate generate`'s data folder: ``tables`` and ``GENERATED_FILE`` (``about``: how they
    were made), written as a whole (checked by :func:`check_generated_out`; a previous folder of
    generate's is replaced, its tables of the other format with it)."""
    import syndicate
    from syndicate.runs import replace_folder

    if fmt not in ("parquet", "csv"):
        raise ValueError(f"The 'fmt' parameter must be 'parquet' or 'csv'. Got {fmt!r} instead.")
    target = check_generated_out(out_dir, who=who)
    marker = {"command": "generate", "syndicate_version": syndicate.__version__, "format": fmt, **(about or {}),
              "files": sorted(f"{name}.{fmt}" for name in tables)}

    def fill(tmp: Path) -> None:
        write_tables(tables, tmp, fmt=fmt)
        (tmp / GENERATED_FILE).write_text(json.dumps(marker, indent=2, sort_keys=True))

    return replace_folder(target, fill)


def write_tables(tables: dict[str, pl.DataFrame], out_dir: str | Path, *, fmt: str = "parquet") -> Path:
    """Write each frame as ``NAME.parquet`` or ``NAME.csv`` into ``out_dir`` (created).

    Files are written under a temporary name and renamed, so a reader never sees half a table.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"The 'fmt' parameter must be 'parquet' or 'csv'. Got {fmt!r} instead.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        target = out / f"{name}.{fmt}"
        tmp = out / f".{name}.{fmt}.tmp"
        if fmt == "parquet":
            frame.write_parquet(tmp, compression="zstd")
        else:
            frame.write_csv(tmp)
        tmp.replace(target)
    return out

"""`run --out` replaces only a previous syndicate run folder; everything else is refused (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_tiny

from syndicate.runs import OutputPathError, check_out_dir, is_run_folder



def _run(data: Path, out: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "syndicate", "run", str(data), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path) -> Path:
    return copy_tiny(tmp_path / "data")


@pytest.mark.parametrize("target", [".", "DATA", "PARENT", "thesis", "a_file"])
def test_refuses_what_it_did_not_write(tmp_path, data, target):
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("years of work")
    (tmp_path / "a_file").write_text("keep me")
    out = {"DATA": data, "PARENT": tmp_path}.get(target, target)
    before = _snapshot(tmp_path)
    proc = _run(data, out, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "syndicate only replaces its own previous run folders" in proc.stderr
    assert _snapshot(tmp_path) == before
    assert not any(p.name.startswith(".") for p in tmp_path.rglob("*")), "no hidden leftovers"


def test_replaces_previous_run_and_writes_new_or_empty(tmp_path, data):
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    assert is_run_folder(tmp_path / "run")
    assert _run(data, "run", cwd=tmp_path).returncode == 0, "a previous run folder is replaced"
    (tmp_path / "empty").mkdir()
    assert _run(data, "empty", cwd=tmp_path).returncode == 0, "an empty folder is used"
    assert is_run_folder(tmp_path / "empty")


def test_folder_with_foreign_manifest_is_not_a_run(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"name": "someone else"}')
    assert not is_run_folder(folder)
    with pytest.raises(OutputPathError, match="not a syndicate run"):
        check_out_dir(folder)


def test_unwritable_parent_is_refused(tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/x")  # root can write anywhere else
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "run"
    with pytest.raises(OutputPathError, match="not a writable folder"):
        check_out_dir(target)


def _tables() -> dict:
    import polars as pl
    return {"members": pl.DataFrame({"account_id": ["a"], "cluster_id": ["c1"]}),
            "clusters": pl.DataFrame({"cluster_id": ["c1"]}), "edges": pl.DataFrame({"account_a": ["a"]})}


def test_tables_written_beside_the_report_leave_nothing_when_either_fails(tmp_path):
    """The tables are written on a worker while ``extra`` (the report) runs: the folder appears
    whole or not at all, and the error that stopped it is the one raised."""
    from syndicate.runs import write_run_folder

    seen = []

    def report(tmp: Path) -> None:
        (tmp / "report.html").write_text("ok")
        seen.append(tmp)

    out = write_run_folder(tmp_path / "run", _tables(), {"run_name": "run", "syndicate_version": "test"}, extra=report)
    assert sorted(p.name for p in out.iterdir()) == ["clusters.parquet", "edges.parquet", "manifest.json",
                                                      "members.parquet", "report.html"]

    def broken_report(tmp: Path) -> None:
        raise RuntimeError("report failed")

    with pytest.raises(RuntimeError, match="report failed"):
        write_run_folder(tmp_path / "second", _tables(), {"run_name": "second"}, extra=broken_report)
    bad = _tables() | {"edges": object()}  # not a frame: its write fails on the worker
    with pytest.raises(AttributeError, match="write_parquet"):
        write_run_folder(tmp_path / "third", bad, {"run_name": "third"}, extra=report)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"], "nothing of the failed runs is left"
    assert is_run_folder(tmp_path / "run")


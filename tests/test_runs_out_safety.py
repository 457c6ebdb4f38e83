"""`run --out` replaces only a previous syndicate run folder; everything else is refused (exit 2)."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from conftest import copy_tiny

from syndicate.evaluate import evaluate_run, write_evaluation
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

    out = write_run_folder(tmp_path / "run", _tables(), {"run_name": "run", "syndicate_version": "test", "config": {}},
                           extra=report)
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



def _cli(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "syndicate", *map(str, args)],
                          capture_output=True, text=True, timeout=600, cwd=cwd)


def _refused(proc: subprocess.CompletedProcess, before: dict, folder: Path, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Nothing was touched" in proc.stderr, proc.stderr
    for word in words:
        assert word in proc.stderr, proc.stderr
    assert _snapshot(folder) == before


def test_a_manifest_naming_a_version_or_another_command_is_no_run_folder(tmp_path, data):
    # Only a run's own manifest marks a folder `run --out` may replace: a score-new output, or
    # any folder with a manifest naming a syndicate version, keeps its files.
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    new = copy_tiny(tmp_path / "new")
    assert _cli("score-new", "run", new, "--out", "screen", "--quiet", cwd=tmp_path).returncode == 0
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "manifest.json").write_text('{"syndicate_version": "x"}')
    (fake / "mydata.csv").write_text("mine")
    for out in ("screen", "fake"):
        before = _snapshot(tmp_path / out)
        _refused(_run(data, out, cwd=tmp_path), before, tmp_path / out, "not a syndicate run")


def test_a_run_folder_holding_files_of_someone_elses_is_not_replaced(tmp_path, data):
    # An investigator's case bundles or notes put into a run folder would go with the run: the
    # run refuses instead, naming them; syndicate's own files there (an evaluation) do not stop it.
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    (tmp_path / "run" / "evaluation").mkdir()
    (tmp_path / "run" / "evaluation" / "evaluation.json").write_text('{"top_k": {}}')
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    (tmp_path / "run" / "cases").mkdir()
    (tmp_path / "run" / "cases" / "notes.txt").write_text("mine")
    (tmp_path / "run" / "model").mkdir()
    (tmp_path / "run" / "model" / "my_model.pkl").write_text("mine")
    before = _snapshot(tmp_path / "run")
    _refused(_run(data, "run", cwd=tmp_path), before, tmp_path / "run", "cases/", "model/",
             "2 entries the run did not write")


def test_outputs_inside_a_run_folder_are_refused(tmp_path, data):
    # The next run into that folder would have to delete them (or refuse to run).
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    new = copy_tiny(tmp_path / "new")
    before = _snapshot(tmp_path / "run")
    for args in (("run", data, "--out", "run/again"), ("score-new", "run", new, "--out", "run/screen"),
                 ("train", data, "--out", "run/model"), ("generate", "run/data", "--accounts", "200"),
                 ("evaluate", "run", "--truth", data / "labels.csv", "--out", "run/mine")):
        proc = _cli(*args, cwd=tmp_path)
        assert proc.returncode == 2 and "inside the run folder" in proc.stderr, (args, proc.stderr)
    proc = _cli("export", "run", "--top", "1", "--out", "run/cases", cwd=tmp_path)
    assert proc.returncode == 2 and "lies inside the run folder" in proc.stderr, proc.stderr
    assert _snapshot(tmp_path / "run") == before


@pytest.mark.parametrize("command", ["generate", "train", "evaluate"])
def test_each_command_writes_a_new_or_its_own_folder_and_never_over_someone_elses_files(tmp_path, command):
    data = tmp_path / "data"  # enough labels to train on, and a truth table
    if command != "generate":  # generate reads no data and no run
        accounts = 6000 if command == "train" else 2000  # training needs a few bad clusters per fold
        assert _cli("generate", data, "--accounts", accounts, "--seed", "1", cwd=tmp_path).returncode == 0
        assert _run(data, "run", cwd=tmp_path).returncode == 0
    args = {"generate": ("generate", "OUT", "--accounts", "300", "--seed", "1"),
            "train": ("train", data, "--out", "OUT"),
            "evaluate": ("evaluate", "run", "--truth", data / "truth.parquet", "--out", "OUT")}[command]
    with_out = lambda out: [out if a == "OUT" else a for a in args]  # noqa: E731
    mine = tmp_path / "mine"
    mine.mkdir()
    # A file of the same name as one the command writes, in a folder it did not write.
    (mine / {"generate": "accounts.parquet", "train": "metadata.json", "evaluate": "evaluation.json"}[command]
     ).write_text("mine")
    before = _snapshot(mine)
    _refused(_cli(*with_out("mine"), cwd=tmp_path), before, mine, f"`syndicate {command}` did not write")
    # Its own previous output is replaced; with a file of someone else's beside it, refused.
    assert _cli(*with_out("own"), cwd=tmp_path).returncode == 0
    assert _cli(*with_out("own"), cwd=tmp_path).returncode == 0, "its own previous output is replaced"
    (tmp_path / "own" / "notes.txt").write_text("mine")
    before = _snapshot(tmp_path / "own")
    _refused(_cli(*with_out("own"), cwd=tmp_path), before, tmp_path / "own", "notes.txt")
    # Its inputs are no output folder.
    if command != "generate":
        before = _snapshot(data)
        _refused(_cli(*with_out(data), cwd=tmp_path), before, data)


def test_generate_replaces_its_own_folder_whole(tmp_path):
    # A previous parquet marketplace regenerated as CSV: one format left, the run reads it.
    assert _cli("generate", "g", "--accounts", "300", cwd=tmp_path).returncode == 0
    assert _cli("generate", "g", "--accounts", "300", "--format", "csv", cwd=tmp_path).returncode == 0
    assert sorted(p.suffix for p in (tmp_path / "g").iterdir() if p.stem != "generated") == [".csv"] * 5
    assert _run(tmp_path / "g", "run", cwd=tmp_path).returncode == 0


def test_demo_checks_every_folder_before_writing_any(tmp_path):
    work = tmp_path / "work"
    (work / "run").mkdir(parents=True)
    (work / "run" / "notes.txt").write_text("mine")
    before = _snapshot(work)
    proc = _cli("demo", "--workdir", work, "--accounts", "300", "--quiet", cwd=tmp_path)
    _refused(proc, before, work, "--workdir's run folder")
    assert not (work / "data").exists()
    mine = tmp_path / "mine"
    (mine / "data").mkdir(parents=True)
    (mine / "data" / "accounts.parquet").write_text("mine")
    before = _snapshot(mine)
    _refused(_cli("demo", "--workdir", mine, "--accounts", "300", "--quiet", cwd=tmp_path), before, mine,
             "--workdir's data folder")


def test_only_what_the_previous_output_wrote_goes_with_it(tmp_path, data):
    # Ownership is what the folder's own record says was written, not a file's name: a model
    # copied into a run that trained none, a links table put beside a generated marketplace.
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    written = json.loads((tmp_path / "run" / "manifest.json").read_text())["written"]
    assert "members.parquet" in written and not any(w.startswith("model/") for w in written)
    (tmp_path / "run" / "model").mkdir()
    (tmp_path / "run" / "model" / "model.json").write_text("my model")
    before = _snapshot(tmp_path / "run")
    _refused(_run(data, "run", cwd=tmp_path), before, tmp_path / "run", "(model/)")
    shutil.rmtree(tmp_path / "run" / "model")
    (tmp_path / "run" / ".DS_Store").write_text("Finder")  # a file manager's, not the person's
    assert _run(data, "run", cwd=tmp_path).returncode == 0

    assert _cli("generate", "gen", "--accounts", "300", "--format", "csv", cwd=tmp_path).returncode == 0
    (tmp_path / "gen" / "links.csv").write_text("account_a,account_b,weight\n")
    before = _snapshot(tmp_path / "gen")
    _refused(_cli("generate", "gen", "--accounts", "300", cwd=tmp_path), before, tmp_path / "gen", "links.csv")


def test_score_new_replaces_its_own_output(tmp_path, data):
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    new = copy_tiny(tmp_path / "new")
    for _ in range(2):
        proc = _cli("score-new", "run", new, "--out", "screen", "--quiet", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    (tmp_path / "screen" / "notes.txt").write_text("mine")
    before = _snapshot(tmp_path / "screen")
    _refused(_cli("score-new", "run", new, "--out", "screen", cwd=tmp_path), before, tmp_path / "screen", "notes.txt")


def test_demo_keeps_notes_put_into_its_case_bundles(tmp_path):
    work = tmp_path / "work"
    assert _cli("demo", "--workdir", work, "--accounts", "1000", "--cases", "1", "--quiet", cwd=tmp_path).returncode == 0
    bundle = next(p for p in (work / "cases").iterdir() if p.is_dir())
    (bundle / "my_notes.txt").write_text("mine")
    proc = _cli("demo", "--workdir", work, "--accounts", "1000", "--cases", "1", "--quiet", cwd=tmp_path)
    assert proc.returncode == 2 and "is not a previous demo's case bundles" in proc.stderr, proc.stderr
    assert (bundle / "my_notes.txt").read_text() == "mine"


def test_a_reader_that_goes_away_stops_no_run(tmp_path, data):
    # `syndicate run ... 2>&1 | head -1`: the progress lines meet the closed pipe first; the run
    # goes on, writes its folder and exits as SIGPIPE would (141), saying nothing more.
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); os.dup2(w, 2); "
            f"from syndicate.cli import main; sys.exit(main(['run', {str(data)!r}, '--out', 'run']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 141
    assert is_run_folder(tmp_path / "run")


def test_a_run_does_not_replace_the_model_it_is_given(tmp_path):
    # `run --model RUN/model --out RUN`: replacing RUN would delete the model the run reads.
    data = tmp_path / "data"
    assert _cli("generate", data, "--accounts", "6000", "--seed", "1", cwd=tmp_path).returncode == 0
    assert _run(data, "run", cwd=tmp_path).returncode == 0
    assert (tmp_path / "run" / "model" / "model.json").is_file()
    before = _snapshot(tmp_path / "run")
    proc = _cli("run", data, "--out", "run", "--model", "run/model", "--quiet", cwd=tmp_path)
    _refused(proc, before, tmp_path / "run", "which the command reads")
    # Under --runs-root the folder is named as the user gave it, not as an --out they never typed.
    proc = _cli("run", data, "--runs-root", ".", "--name", "run", "--model", "run/model", "--quiet", cwd=tmp_path)
    _refused(proc, before, tmp_path / "run", "the run folder under --runs-root")
    assert "--out" not in proc.stderr


@pytest.mark.filterwarnings("error::UserWarning")  # matplotlib's "no artists with labels": no curve, no legend
def test_evaluate_writes_only_into_the_evaluated_runs_own_folder(tmp_path, data):
    assert _run(data, "one", cwd=tmp_path).returncode == 0
    assert _run(data, "two", cwd=tmp_path).returncode == 0
    truth = tmp_path / "truth.csv"
    truth.write_text("account_id,is_bad\n" + "".join(f"{line.split(',')[0]},false\n" for line in
                                                       (data / "accounts.csv").read_text().splitlines()[1:]))
    before = _snapshot(tmp_path / "two")
    _refused(_cli("evaluate", "one", "--truth", truth, "--out", "two/evaluation", cwd=tmp_path), before,
             tmp_path / "two", "inside the run folder")
    for _ in range(2):  # its own run's default folder, again and again
        assert _cli("evaluate", "one", "--truth", truth, cwd=tmp_path).returncode == 0
    # The API: an evaluation knows the run it evaluated and writes only into that run's folder.
    evaluation = evaluate_run(tmp_path / "one", truth)
    with pytest.raises(OutputPathError, match="inside the run folder"):
        write_evaluation(evaluation, tmp_path / "two" / "evaluation")
    assert _snapshot(tmp_path / "two") == before
    write_evaluation(evaluation, tmp_path / "one" / "evaluation")
    # ... also when it was given the run read back (a RunResult), and never for a run held only
    # in memory, which belongs to no folder.
    import syndicate

    with pytest.raises(OutputPathError, match="inside the run folder"):
        write_evaluation(syndicate.evaluate_run(syndicate.load_run(tmp_path / "one"), truth),
                         tmp_path / "two" / "evaluation")
    in_memory = syndicate.evaluate_run(dataclasses.replace(syndicate.load_run(tmp_path / "one"), run_dir=None), truth)
    with pytest.raises(OutputPathError, match="inside the run folder"):
        write_evaluation(in_memory, tmp_path / "one" / "evaluation")
    assert _snapshot(tmp_path / "two") == before
    assert _run(data, "one", cwd=tmp_path).returncode == 0, "the run's evaluation goes with it"


def test_a_marker_that_lists_no_tables_claims_none(tmp_path):
    assert _cli("generate", "g", "--accounts", "300", cwd=tmp_path).returncode == 0
    marker = tmp_path / "g" / "generated.json"
    marker.write_text(json.dumps({k: v for k, v in json.loads(marker.read_text()).items() if k != "files"}))
    before = _snapshot(tmp_path / "g")
    _refused(_cli("generate", "g", "--accounts", "300", cwd=tmp_path), before, tmp_path / "g", "accounts.parquet")


def test_a_failing_command_whose_reader_went_away_still_exits_2(tmp_path):
    code = ("import os, sys; r, w = os.pipe(); os.close(r); os.dup2(w, 1); os.dup2(w, 2); "
            "from syndicate.cli import main; sys.exit(main(['run', 'no-such-data', '--out', 'run']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 2
    assert not (tmp_path / "run").exists()


def test_write_tables_writes_a_data_folder_of_its_own_and_a_run_reads_only_a_runs_tables(tmp_path, data):
    # syndicate.write_tables into a run folder replaced its accounts.parquet with the input table;
    # load_run took the folder, and `report` died on a polars ColumnNotFoundError.
    import syndicate
    from syndicate.runs import RunFolderError

    assert _run(data, "run", cwd=tmp_path).returncode == 0
    before = _snapshot(tmp_path / "run")
    tables = {"accounts": pl.DataFrame({"account_id": ["a", "b"], "created_at": [None, None]})}
    with pytest.raises(OutputPathError, match="Nothing was touched"):
        syndicate.write_tables(tables, tmp_path / "run")
    assert _snapshot(tmp_path / "run") == before
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(OutputPathError):
        syndicate.write_tables(tables, mine)
    for _ in range(2):  # its own folder again, replaced whole
        syndicate.write_tables(tables, tmp_path / "tables", fmt="csv")
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["accounts.csv", "generated.json"]
    # A data folder written before folders were marked (a notebook re-run into its old WORKDIR):
    # refused, saying why and naming the function, not `syndicate generate`.
    (tmp_path / "tables" / "generated.json").unlink()
    with pytest.raises(OutputPathError, match="(?s)`syndicate.write_tables` did not write.*written before syndicate marked"):
        syndicate.write_tables(tables, tmp_path / "tables")
    # A run table replaced by hand is no run's: a clear error, not a traceback later.
    pl.DataFrame({"account_id": ["a"], "country": ["NZ"]}).write_parquet(tmp_path / "run" / "accounts.parquet")
    with pytest.raises(RunFolderError, match="accounts.parquet lacks cluster_id, risk_score"):
        syndicate.load_run(tmp_path / "run")
    proc = _cli("report", "run", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "lacks cluster_id" in proc.stderr, proc.stderr

"""Input problems name the file, the line or column, and what was expected (through the CLI)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from conftest import copy_tiny

from syndicate.cli import main



@pytest.fixture
def data(tmp_path) -> Path:
    return copy_tiny(tmp_path / "data")


def fails(capsys, data: Path, *expected: str) -> str:
    out = data.parent / "run"
    assert main(["run", str(data), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err and not out.exists()
    return err


def test_non_utf8_csv_names_the_lines(data, capsys):
    lines = (data / "signals.csv").read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"device", b"d\xe9vice")  # Latin-1 é
    lines[5] = lines[5] + b"\xff"
    (data / "signals.csv").write_bytes(b"\n".join(lines))
    fails(capsys, data, "signals.csv: 2 lines are not UTF-8 text (lines 4, 6); expected UTF-8")


def test_semicolon_separator_is_named(data, capsys):
    (data / "events.csv").write_text((data / "events.csv").read_text().replace(",", ";"))
    fails(capsys, data, "events.csv: the header is separated by semicolons", "expected a comma-separated file")


def test_ragged_rows_are_reported_with_line_numbers(data, capsys):
    text = (data / "signals.csv").read_text().rstrip("\n").split("\n")
    text.insert(2, "r1,device,dev-ring,2024-03-01T10:00:00,surplus")
    (data / "signals.csv").write_text("\n".join(text) + "\n")
    fails(capsys, data, "signals.csv: 1 row has more fields than the header's 4 (line 3)")


def test_short_rows_behind_missing_values_are_pointed_at(data, capsys):
    with (data / "signals.csv").open("a") as handle:
        handle.write("\nr1,device\n")
    n_lines = len((data / "signals.csv").read_text().split("\n")) - 1
    fails(capsys, data, f"1 row has fewer fields than the header's 4 (line {n_lines})",
          f"1 blank line (line {n_lines - 1})", "signals.value: 2 values are null or empty")


def test_blank_lines_at_the_end_of_a_file_are_no_rows(data, capsys, tmp_path):
    # An export's extra newlines (pandas and spreadsheets skip them): the run goes on as without.
    with (data / "labels.csv").open("a") as handle:
        handle.write("\n \n\r\n")
    from syndicate.io import load_dataset

    rows = load_dataset(data).labels.height
    assert rows == len((data / "labels.csv").read_text().strip().split("\n")) - 1


def test_duplicate_header_is_not_renamed_silently(data, capsys):
    text = (data / "labels.csv").read_text().replace("account_id,label", "account_id,account_id", 1)
    (data / "labels.csv").write_text(text)
    fails(capsys, data, "labels.csv: the header names column 'account_id' twice (columns 1 and 2)")


def test_a_folder_named_like_a_table_is_named(data, capsys):
    (data / "accounts.csv").unlink()
    (data / "accounts.parquet").mkdir()
    err = fails(capsys, data, "accounts.parquet is a folder (a partitioned dataset?), not a file")
    assert "required table is missing" not in err


def test_integer_account_ids_and_text_ids_elsewhere_say_so(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    pl.DataFrame({"account_id": [1, 2, 3], "created_at": ["2026-01-01"] * 3}).write_parquet(data / "accounts.parquet")
    pl.DataFrame({"account_id": ["001", "002", "3"], "kind": ["device"] * 3, "value": ["d"] * 3}).write_parquet(
        data / "signals.parquet")
    fails(capsys, data, "signals.account_id: 2 ids not found in accounts",
          "got text ids, while accounts.account_id holds integer ids")


def test_unclosed_quote_error_names_the_line_not_the_value(data, capsys):
    (data / "signals.csv").write_text('account_id,kind,value\nr1,phone,"+84901234567\nr2,phone,+84901234567\n')
    err = fails(capsys, data, "signals.csv: a quoted field that starts on line 2 is not closed")
    assert "84901234567" not in err


def test_empty_csv_file_is_named(data, capsys):
    (data / "labels.csv").write_text("")
    fails(capsys, data, "labels.csv: the file is empty; expected a header line")


def test_pandas_frames_load_as_polars_ones_and_a_mixed_column_is_named(tmp_path):
    # The API takes pandas DataFrames: the same dataset as from polars frames; a column of mixed
    # types, which pyarrow cannot convert (an id typed in as a number among text ids), is a
    # contract problem naming the table and column, its identifier values masked as ever.
    # pandas is no dependency, nor in the dev extra (with pandas 2 installed the whole suite's
    # dry run took 15:37 against 13:25 without, RESULTS.md, fifty-fifth sitting): this runs
    # where pandas is installed.
    pd = pytest.importorskip("pandas")
    from syndicate import load_dataset
    from syndicate.contract import ContractError
    from syndicate.io import read_tables

    tables = read_tables(copy_tiny(tmp_path / "data"))
    frames = {name: table.to_pandas() for name, table in tables.items()}
    assert all(isinstance(f, pd.DataFrame) for f in frames.values())
    from_pandas, from_polars = load_dataset(frames), load_dataset(tables)
    for name in ("accounts", "signals", "events"):
        assert getattr(from_pandas, name).equals(getattr(from_polars, name)), name
    mixed = {**frames, "accounts": frames["accounts"].astype({"account_id": object}),
             "signals": frames["signals"].astype({"value": object})}
    mixed["accounts"].loc[0, "account_id"] = 12345
    mixed["signals"].loc[1, "value"] = 4111111111111111
    with pytest.raises(ContractError) as caught:
        load_dataset(mixed)
    said = str(caught.value)
    assert "accounts.account_id: is a pandas column of mixed types that cannot be converted" in said
    assert "got str (" in said and "int (1 row)" in said and "12345" in said
    assert "signals.value: is a pandas column of mixed types" in said and "4111111111111111" not in said


def test_a_misnamed_or_compressed_table_file_is_named_not_passed_over(data, capsys):
    # evnts.csv and labels.csv.gz are not read (tables are NAME.parquet or NAME.csv): the run goes
    # on without them and says so; an Accounts.csv beside no accounts table is named in the error.
    import gzip
    import shutil
    import warnings

    from syndicate import load_dataset

    (data / "events.csv").rename(data / "evnts.csv")
    (data / "labels.csv.gz").write_bytes(gzip.compress((data / "labels.csv").read_bytes()))
    (data / "labels.csv").unlink()
    (data / "notes.txt").write_text("not a table")
    assert main(["run", str(data), "--out", str(data.parent / "run"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert ("warning: the data folder holds evnts.csv (not read: the events table would be events.csv or "
            "events.parquet); labels.csv.gz (not read: the labels table would be labels.csv or labels.parquet)") in err
    assert "notes.txt" not in err
    with pytest.warns(UserWarning, match="evnts.csv"):
        load_dataset(data)
    (data / "evnts.csv").rename(data / "events.csv")
    (data / "signals.csv").rename(data / "signals.CSV")  # a Windows export's ending is not read either
    with pytest.warns(UserWarning, match=r"signals.CSV \(not read: the signals table would be signals.csv"):
        load_dataset(data)
    (data / "signals.CSV").rename(data / "signals.csv")
    (data / "labels.csv.gz").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_dataset(data)  # every table where it belongs: nothing said
    (data / "accounts.csv").rename(data / "Accounts.csv")
    shutil.rmtree(data.parent / "run")
    fails(capsys, data, "accounts: required table is missing", "Accounts.csv is there but not read")


def test_labels_written_as_true_and_false_read_as_1_and_0(data):
    # A pandas or spreadsheet export of a boolean column writes True/False: read as a parquet
    # Boolean is; other words stay errors.
    from syndicate import load_dataset

    labels = pl.read_csv(data / "labels.csv", infer_schema=False)
    as_numbers = load_dataset(data).labels
    words = labels.with_columns(pl.col("label").replace({"1": " True", "0": "FALSE"}))
    words.write_csv(data / "labels.csv")
    assert load_dataset(data).labels.equals(as_numbers)
    labels.with_columns(pl.lit("yes").alias("label")).write_csv(data / "labels.csv")
    with pytest.raises(Exception, match="labels.label: .* not integers .*'yes'"):
        load_dataset(data)


def test_signal_kinds_written_as_numbers_are_named_in_a_warning(data, capsys):
    # Kinds exported as codes (1 for device, 2 for card) are weighed as names that say nothing.
    signals = pl.read_csv(data / "signals.csv", infer_schema=False)
    codes = {kind: str(i) for i, kind in enumerate(sorted(set(signals["kind"])), start=1)}
    signals.with_columns(pl.col("kind").replace(codes)).write_csv(data / "signals.csv")
    assert main(["run", str(data), "--out", str(data.parent / "run"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "warning: signals kinds '1'" in err and "are numbers: a kind is weighed by its name" in err
    assert "link at the default strength (0.5)" in err
    # Weighed in the config: the user has named what they are.
    (data.parent / "kinds.toml").write_text("[identity.kind_strength]\n" + "".join(
        f'"{code}" = 0.9\n' for code in codes.values()))
    assert main(["run", str(data), "--out", str(data.parent / "run"), "--quiet", "--config",
                 str(data.parent / "kinds.toml")]) == 0
    assert "are numbers" not in capsys.readouterr().err
    copy_tiny(data.parent / "named")
    assert main(["run", str(data.parent / "named"), "--out", str(data.parent / "run2"), "--quiet"]) == 0
    assert "are numbers" not in capsys.readouterr().err

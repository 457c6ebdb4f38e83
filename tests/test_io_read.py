"""Reading dataset folders: formats, stray files, and folder-level mistakes."""

import shutil
from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.contract import TABLES, ContractError, Dataset
from syndicate.io import load_dataset, read_tables

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TINY = FIXTURES / "tiny"


def assert_datasets_equal(result: Dataset, expected: Dataset) -> None:
    assert result.row_counts() == expected.row_counts()
    for name in TABLES:
        if getattr(expected, name) is None:
            assert getattr(result, name) is None
        else:
            assert_frame_equal(getattr(result, name), getattr(expected, name))


def test_tiny_fixture_loads():
    dataset = load_dataset(TINY)

    # r4's payment card is listed twice ("Payment" and "payment"): one row is kept.
    assert dataset.row_counts() == {"accounts": 12, "signals": 16, "events": 14, "labels": 4}
    ring = dataset.signals.filter(pl.col("value").is_in(["dev-ring", "card-ring"]))
    assert ring.group_by("value").agg(pl.col("account_id").n_unique()).sort("value").rows() == [
        ("card-ring", 4),
        ("dev-ring", 4),
    ]


def test_csv_is_read_as_text():
    tables = read_tables(TINY)

    assert set(tables) == {"accounts", "signals", "events", "labels"}
    assert all(dtype == pl.String for frame in tables.values() for dtype in frame.dtypes)


def test_csv_and_parquet_of_the_same_data_give_equal_frames(tmp_path):
    from_csv = load_dataset(TINY)
    # The same data as another system would write it to parquet: native types of its own
    # choosing (tz-aware nanoseconds, millisecond naive UTC, small ints), or text as in the CSV.
    raw = read_tables(TINY)
    native = {
        "accounts": from_csv.accounts.with_columns(
            pl.col("created_at").dt.replace_time_zone("UTC").dt.convert_time_zone("Asia/Tokyo").dt.cast_time_unit("ns")
        ),
        "signals": raw["signals"],
        "events": raw["events"].with_columns(from_csv.events["ts"].dt.cast_time_unit("ms")),
        "labels": raw["labels"].with_columns(pl.col("label").cast(pl.Int8)),
    }
    for name, frame in native.items():
        frame.write_parquet(tmp_path / f"{name}.parquet")

    result = load_dataset(tmp_path)

    assert_datasets_equal(result, from_csv)


def test_unrelated_files_are_ignored(tmp_path):
    shutil.copytree(TINY, tmp_path, dirs_exist_ok=True)
    (tmp_path / "README.txt").write_text("notes for the analyst")
    (tmp_path / "accounts_old.csv").write_text("account_id\nzz\n")
    (tmp_path / "scratch.parquet").write_bytes(b"not a parquet file")
    (tmp_path / "links").mkdir()

    result = load_dataset(tmp_path)

    assert_datasets_equal(result, load_dataset(TINY))


def test_table_given_as_both_csv_and_parquet(tmp_path):
    shutil.copytree(TINY, tmp_path, dirs_exist_ok=True)
    pl.read_csv(TINY / "labels.csv").write_parquet(tmp_path / "labels.parquet")

    with pytest.raises(ContractError, match=r"labels: table is given twice .*got labels.parquet and labels.csv") as error:
        read_tables(tmp_path)

    assert [problem.table for problem in error.value.problems] == ["labels"]


def test_missing_folder(tmp_path):
    with pytest.raises(ContractError, match=r"data folder .*nowhere' does not exist") as error:
        load_dataset(tmp_path / "nowhere")

    assert error.value.problems[0].table == "dataset"


def test_path_that_is_a_file(tmp_path):
    with pytest.raises(ContractError, match=r"is not a folder"):
        load_dataset(TINY / "accounts.csv")


def test_unreadable_table_file(tmp_path):
    shutil.copytree(TINY, tmp_path, dirs_exist_ok=True)
    (tmp_path / "events.csv").unlink()
    (tmp_path / "events.parquet").write_bytes(b"PAR1 this is not parquet")

    with pytest.raises(ContractError, match=r"events: cannot read events.parquet"):
        load_dataset(tmp_path)


def test_an_empty_file_or_a_repeated_column_is_named_as_such(tmp_path):
    shutil.copytree(TINY, tmp_path / "empty")
    (tmp_path / "empty" / "events.csv").unlink()
    (tmp_path / "empty" / "events.parquet").write_bytes(b"")
    with pytest.raises(ContractError, match=r"cannot read events.parquet \(the file is empty: 0 bytes\)"):
        load_dataset(tmp_path / "empty")
    import pyarrow as pa
    import pyarrow.parquet as pq

    shutil.copytree(TINY, tmp_path / "twice")
    (tmp_path / "twice" / "events.csv").unlink()
    pq.write_table(pa.table([pa.array(["a"]), pa.array(["b"])], names=["account_id", "account_id"]),
                   tmp_path / "twice" / "events.parquet")
    with pytest.raises(ContractError, match=r"cannot read events.parquet \(a column name appears more than once\)"):
        load_dataset(tmp_path / "twice")


def test_empty_folder_reports_the_missing_tables(tmp_path):
    with pytest.raises(ContractError, match=r"accounts: required table is missing") as error:
        load_dataset(tmp_path)

    assert len(error.value.problems) == 2  # accounts, and one of signals/events/links


def test_bad_fixture_reports_every_problem():
    with pytest.raises(ContractError) as error:
        load_dataset(FIXTURES / "bad")

    found = {(problem.table, problem.column) for problem in error.value.problems}
    assert found == {
        ("accounts", "account_id"),
        ("accounts", "created_at"),
        ("signals", "account_id"),
        ("labels", "label"),
        ("labels", "account_id"),
        ("links", "weight"),
        ("links", "account_b"),
    }
    assert len(error.value.problems) == 8  # accounts.account_id: a null id and a duplicate


def test_timestamps_from_parquet_are_normalised(tmp_path):
    pl.DataFrame(
        {"account_id": ["a", "b"], "created_at": [datetime(2024, 5, 1, 12), datetime(2024, 5, 2, 12)]},
        schema_overrides={"created_at": pl.Datetime("ms", "UTC")},
    ).write_parquet(tmp_path / "accounts.parquet")
    pl.DataFrame({"account_id": ["a", "b"], "kind": ["device", "device"], "value": ["d", "d"]}).write_csv(
        tmp_path / "signals.csv"
    )

    accounts = load_dataset(tmp_path).accounts

    expected = pl.DataFrame(
        {"account_id": ["a", "b"], "created_at": [datetime(2024, 5, 1, 12), datetime(2024, 5, 2, 12)]},
        schema_overrides={"created_at": pl.Datetime("us")},
    )
    assert_frame_equal(accounts, expected)


def test_a_csv_header_that_is_a_first_row_names_no_identifier(tmp_path):
    # A signals.csv without its header line whose first row repeats an e-mail (the account id is
    # one): the reader's own "names column ... twice" quoted it raw.
    from syndicate.masking import mask_value

    pl.DataFrame({"account_id": ["a1"], "created_at": ["2024-01-01"]}).write_csv(tmp_path / "accounts.csv")
    (tmp_path / "signals.csv").write_text("jane.doe@example.com,email,jane.doe@example.com\na1,device,d1\n")
    with pytest.raises(ContractError) as error:
        load_dataset(tmp_path)
    text = str(error.value)
    assert "names column" in text and "jane.doe@example.com" not in text
    assert mask_value(None, "jane.doe@example.com") in text


def test_a_csv_cut_short_inside_its_last_row_is_refused_on_both_engines(tmp_path):
    # An interrupted export or copy ends inside a row, without a line end: its last value may be
    # cut too (an IP "10.0.3" for "10.0.3.17"), so the table is not read as data. A last row
    # that is complete but has no line end, or trailing blanks, is an ordinary file.
    from syndicate.engines.spark.load import _cut_short_problems

    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    text = (TINY / "signals.csv").read_text()
    rows = text.rstrip("\n").split("\n")
    (data / "signals.csv").write_text("\n".join(rows[:-1]) + "\n" + ",".join(rows[-1].split(",")[:2]))
    with pytest.raises(ContractError) as caught:
        load_dataset(data)
    message = str(caught.value)
    assert "signals.csv: the file ends inside a row (its last row, row " in message
    assert "fields and no line end): the file looks cut short" in message
    assert rows[-1].split(",")[1] not in message.split("signals.csv", 1)[1]  # no value quoted
    assert [p.table for p in _cut_short_problems(str(data))] == ["signals"]  # the Spark engine's check
    for ending in ("", "\n", "\n\n"):  # complete last row, with or without its line end
        (data / "signals.csv").write_text(text.rstrip("\n") + ending)
        assert load_dataset(data).signals.height == load_dataset(TINY).signals.height
        assert _cut_short_problems(str(data)) == []
    (data / "signals.csv").write_text(rows[0])  # a header alone, no line end: an empty table
    assert load_dataset(data).signals is None or load_dataset(data).signals.height == 0
    assert _cut_short_problems(str(data)) == []


def test_a_csv_appended_to_itself_names_the_line_that_repeats_the_header(tmp_path):
    # A file delivered twice into one (`cat a.csv a.csv`): its second header is read as a row,
    # whose seen_at is no timestamp; the message says where the header repeats.
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    text = (TINY / "signals.csv").read_text()
    (data / "signals.csv").write_text(text + text)
    with pytest.raises(ContractError) as caught:
        load_dataset(data)
    line = text.count("\n") + 1
    assert f"signals.csv: 1 row repeats the header line (line {line}): the file was joined" in str(caught.value)


def test_joined_excel_exports_and_bare_carriage_returns_are_named(tmp_path):
    # Two exports that each start with a byte-order mark, joined: the second header (with its
    # mark) is still named; lines that end in a bare carriage return are named, not a traceback.
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    text = (TINY / "signals.csv").read_text()
    (data / "signals.csv").write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\xef\xbb\xbf" + text.encode())
    with pytest.raises(ContractError, match=r"signals.csv: 1 row repeats the header line \(line"):
        load_dataset(data)
    (data / "signals.csv").write_text(text.replace("\n", "\r"), newline="")
    with pytest.raises(ContractError, match="bare carriage return"):
        load_dataset(data)


def test_the_spark_loader_names_a_cut_short_accounts_file_as_polars_does(tmp_path):
    # The small tables go through the polars reader on Spark too: its refusal is a contract
    # problem there, not a traceback (the loader stops before it needs a session).
    from syndicate.engines.spark.load import load_spark_dataset

    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    text = (TINY / "accounts.csv").read_text().rstrip("\n")
    (data / "accounts.csv").write_text(text.rsplit(",", 1)[0].rsplit(",", 1)[0])
    with pytest.raises(ContractError, match="accounts.csv: the file ends inside a row"):
        load_spark_dataset(_NoSpark(), data)


class _NoSpark:
    """A stand-in session: the loader must refuse before reading anything through it."""

    def __getattr__(self, name):
        raise AssertionError(f"the loader used the Spark session ({name}) before refusing")


def test_the_spark_loader_names_an_unreadable_accounts_parquet_as_polars_does(tmp_path):
    # A corrupt or empty local accounts.parquet: the polars engine's "cannot read" problem on
    # Spark too, not a polars traceback.
    from syndicate.engines.spark.load import load_spark_dataset

    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    (data / "accounts.csv").unlink()
    for content, reason in ((b"", "the file is empty: 0 bytes"), (b"PAR1 not a parquet file", "cannot read")):
        (data / "accounts.parquet").write_bytes(content)
        with pytest.raises(ContractError) as caught:
            load_dataset(data)
        polars_message = str(caught.value)
        with pytest.raises(ContractError) as caught:
            load_spark_dataset(_NoSpark(), data)
        assert reason in str(caught.value) and "accounts: cannot read accounts.parquet" in str(caught.value)
        assert "accounts: cannot read accounts.parquet" in polars_message

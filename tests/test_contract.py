"""The input contract: one test per kind of bad input, normalisation, and invariants."""

from datetime import date, datetime

import polars as pl

from syndicate.masking import mask_value
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from syndicate.contract import TABLES, ContractError, Dataset, Problem, parse_iso8601, validate


def make_tables(**overrides: pl.DataFrame | None) -> dict[str, pl.DataFrame]:
    """A small valid dataset as raw text tables (as read from CSV); overrides replace or drop tables."""
    tables = {
        "accounts": pl.DataFrame(
            {
                "account_id": ["r1", "r2", "r3", "r4", "h1", "h2", "l1"],
                "created_at": ["2024-03-01T10:00:00"] * 4 + ["2023-06-12 08:15:00", "2023-09-30", "2022-01-05"],
            }
        ),
        "signals": pl.DataFrame(
            {
                "account_id": ["r1", "r2", "r3", "r4", "h1", "h2"],
                "kind": ["device"] * 4 + ["ip", "ip"],
                "value": ["dev-ring"] * 4 + ["ip-home"] * 2,
            }
        ),
        "events": pl.DataFrame(
            {
                "account_id": ["r1", "r2", "l1"],
                "action": ["like", "like", "review"],
                "target_id": ["t1", "t1", "t2"],
                "ts": ["2024-03-03T12:00:00", "2024-03-03T12:00:20", "2024-03-04T08:00:00"],
            }
        ),
        "labels": pl.DataFrame({"account_id": ["r1", "l1"], "label": ["1", "0"]}),
        "links": pl.DataFrame({"account_a": ["h1"], "account_b": ["h2"], "kind": ["household"], "weight": ["0.8"]}),
    }
    tables.update(overrides)
    return {name: frame for name, frame in tables.items() if frame is not None}


def only_problem(error: pytest.ExceptionInfo[ContractError]) -> Problem:
    assert len(error.value.problems) == 1, str(error.value)
    return error.value.problems[0]


# ---------------------------------------------------------------------------------------------
# A valid dataset


def test_valid_dataset_normalises_types():
    dataset = validate(make_tables())

    assert isinstance(dataset, Dataset)
    assert dataset.accounts["account_id"].to_list() == ["h1", "h2", "l1", "r1", "r2", "r3", "r4"]
    assert dataset.accounts.schema == pl.Schema({"account_id": pl.String, "created_at": pl.Datetime("us")})
    assert dataset.events.schema["ts"] == pl.Datetime("us")
    assert dataset.labels.schema["label"] == pl.Int64
    assert dataset.links.schema["weight"] == pl.Float64
    assert dataset.row_counts() == {"accounts": 7, "signals": 6, "events": 3, "labels": 2, "links": 1}


def test_optional_tables_may_be_absent():
    dataset = validate(make_tables(events=None, labels=None, links=None))

    assert dataset.events is None and dataset.labels is None and dataset.links is None
    assert dataset.row_counts() == {"accounts": 7, "signals": 6}


def test_empty_optional_tables_count_zero_and_are_treated_as_absent():
    empty_labels = pl.DataFrame(schema={"account_id": pl.String, "label": pl.String})
    dataset = validate(make_tables(labels=empty_labels))

    assert dataset.labels is None
    assert dataset.row_counts()["labels"] == 0


def test_signal_kinds_are_normalised_and_duplicates_dropped():
    signals = pl.DataFrame(
        {
            "account_id": ["r1", "r1", "r1", "r2"],
            "kind": [" Device", "device", "DEVICE ", "IP"],
            "value": ["d1", "d1", "d1", "ip1"],
            "seen_at": ["2024-03-02", "2024-03-01", None, "2024-03-01"],
        }
    )
    result = validate(make_tables(signals=signals)).signals.sort("account_id")

    expected = pl.DataFrame(
        {
            "account_id": ["r1", "r2"],
            "kind": ["device", "ip"],
            "value": ["d1", "ip1"],
            "seen_at": [datetime(2024, 3, 1), datetime(2024, 3, 1)],  # the earliest sighting is kept
        },
        schema_overrides={"seen_at": pl.Datetime("us")},
    )
    assert_frame_equal(result, expected)


def test_integer_ids_are_cast_to_text():
    accounts = pl.DataFrame({"account_id": [2, 1], "created_at": [date(2024, 1, 1), date(2024, 1, 2)]})
    signals = pl.DataFrame({"account_id": [1, 2], "kind": ["device", "device"], "value": [7, 7]})
    dataset = validate({"accounts": accounts, "signals": signals})

    assert dataset.accounts["account_id"].to_list() == ["1", "2"]
    assert dataset.signals.schema["value"] == pl.String


def test_missing_weight_means_full_strength():
    links = pl.DataFrame({"account_a": ["h1", "r1"], "account_b": ["h2", "r2"], "kind": ["household", "x"],
                          "weight": [None, "0.25"]})
    without_column = links.drop("weight")

    assert validate(make_tables(links=links)).links["weight"].to_list() == [1.0, 0.25]
    assert validate(make_tables(links=without_column)).links["weight"].to_list() == [1.0, 1.0]


def test_labels_duplicated_identically_are_deduplicated():
    labels = pl.DataFrame({"account_id": ["r1", "r1", "l1"], "label": [1, 1, 0]})

    result = validate(make_tables(labels=labels)).labels

    expected = pl.DataFrame({"account_id": ["l1", "r1"], "label": [0, 1]})
    assert_frame_equal(result, expected)


def test_extra_columns_are_kept():
    accounts = make_tables()["accounts"].with_columns(pl.lit("NL").alias("country"), pl.lit(3).alias("score"))

    result = validate(make_tables(accounts=accounts)).accounts

    assert result.columns == ["account_id", "created_at", "country", "score"]
    assert result["country"].to_list() == ["NL"] * 7 and result["score"].to_list() == [3] * 7


# ---------------------------------------------------------------------------------------------
# Timestamps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1)),
        ("2024-05-01T12:30:15", datetime(2024, 5, 1, 12, 30, 15)),
        ("2024-05-01 12:30:15", datetime(2024, 5, 1, 12, 30, 15)),
        ("2024-05-01T12:30", datetime(2024, 5, 1, 12, 30)),
        ("2024-05-01T12:30:15.25", datetime(2024, 5, 1, 12, 30, 15, 250000)),
        ("2024-05-01T12:30:15.123456789Z", datetime(2024, 5, 1, 12, 30, 15, 123456)),
        ("2024-05-01T12:30:15Z", datetime(2024, 5, 1, 12, 30, 15)),
        ("2024-05-01T12:30:15+02:00", datetime(2024, 5, 1, 10, 30, 15)),
        ("2024-05-01 12:30:15.5-0130", datetime(2024, 5, 1, 14, 0, 15, 500000)),
        ("2024-05-01T00:30:00+01", datetime(2024, 4, 30, 23, 30)),
        ("  2024-05-01T12:30:15 ", datetime(2024, 5, 1, 12, 30, 15)),
    ],
)
def test_iso8601_text_is_parsed_to_naive_utc(text, expected):
    result = parse_iso8601(pl.Series([text]))

    assert result.dtype == pl.Datetime("us")
    assert result.to_list() == [expected]


def test_a_column_of_mixed_forms_parses_each_row_as_alone_whichever_form_leads():
    forms = ["2024-05-01T12:30:15.25Z", "2024-05-01 12:30:15", "2024-05-01", "2024-05-01T12:30:15+02:00",
             "2024-05-01T12:30:15.5", "2024-05-01 12:30:15.5Z", "2024-05-01T12:30:15Z", None, "soon"]
    alone = [parse_iso8601(pl.Series([text], dtype=pl.String)).item() for text in forms]
    for lead in range(len(forms) - 2):  # each form the most common one in turn
        column = [forms[lead]] * 50 + forms
        assert parse_iso8601(pl.Series(column))[50:].to_list() == alone
    assert alone[0] == datetime(2024, 5, 1, 12, 30, 15, 250000) and alone[-2:] == [None, None]


@pytest.mark.parametrize("text", ["yesterday", "31/02/2024", "2024-02-30", "2024-05-01T25:00:00", "1714560000"])
def test_non_iso8601_text_is_not_parsed(text):
    assert parse_iso8601(pl.Series([text])).to_list() == [None]


def test_timezone_aware_timestamps_convert_to_utc():
    wall_clock = pl.Series("created_at", [datetime(2024, 5, 1, 14, 0), datetime(2024, 1, 1, 0, 30)], dtype=pl.Datetime("ns"))
    created = wall_clock.dt.replace_time_zone("Europe/Amsterdam")  # CEST is UTC+2, CET is UTC+1
    accounts = pl.DataFrame({"account_id": ["a", "b"], "created_at": created})
    signals = pl.DataFrame({"account_id": ["a", "b"], "kind": ["device"] * 2, "value": ["d"] * 2})

    result = validate({"accounts": accounts, "signals": signals}).accounts["created_at"]

    assert result.dtype == pl.Datetime("us")
    assert result.to_list() == [datetime(2024, 5, 1, 12, 0), datetime(2023, 12, 31, 23, 30)]


def test_dates_and_naive_datetimes_are_taken_as_utc():
    accounts = pl.DataFrame({"account_id": ["a", "b"], "created_at": [date(2024, 5, 1), date(2024, 5, 2)]})
    events = pl.DataFrame(
        {"account_id": ["a"], "action": ["like"], "target_id": ["t"], "ts": [datetime(2024, 5, 3, 9)]},
        schema_overrides={"ts": pl.Datetime("ms")},
    )

    dataset = validate({"accounts": accounts, "events": events})

    assert dataset.accounts["created_at"].to_list() == [datetime(2024, 5, 1), datetime(2024, 5, 2)]
    assert dataset.events.schema["ts"] == pl.Datetime("us")
    assert dataset.events["ts"].to_list() == [datetime(2024, 5, 3, 9)]


# ---------------------------------------------------------------------------------------------
# One test per kind of bad input


def test_missing_accounts_table():
    with pytest.raises(ContractError, match=r"accounts: required table is missing") as error:
        validate(make_tables(accounts=None))

    problem = only_problem(error)
    assert (problem.table, problem.column, problem.count) == ("accounts", None, 1)


def test_no_signals_events_or_links():
    with pytest.raises(ContractError, match=r"at least one of signals, events, links is required") as error:
        validate(make_tables(signals=None, events=None, links=None))

    assert "got tables accounts, labels" in str(only_problem(error))


def test_missing_required_column_names_the_columns_present():
    signals = make_tables()["signals"].rename({"value": "val"})

    with pytest.raises(
        ContractError, match=r"signals\.value: required column is missing .*got columns 'account_id', 'kind', 'val'"
    ) as error:
        validate(make_tables(signals=signals))

    problem = only_problem(error)
    assert (problem.table, problem.column) == ("signals", "value")


def test_label_of_wrong_type():
    labels = pl.DataFrame({"account_id": ["r1", "r2", "l1"], "label": ["yes", "1", "yes"]})

    with pytest.raises(ContractError, match=r"labels\.label: 2 values are not integers .*examples: 'yes'\)") as error:
        validate(make_tables(labels=labels))

    problem = only_problem(error)
    assert (problem.count, problem.examples) == (2, ["yes"])


def test_column_of_wrong_type():
    events = make_tables()["events"].with_columns(pl.Series("account_id", [1.5, 2.5, 3.5]))

    with pytest.raises(ContractError, match=r"events\.account_id: column has the wrong type .*got Float64") as error:
        validate(make_tables(events=events))

    assert only_problem(error).count == 3


def test_unparseable_timestamps():
    accounts = pl.DataFrame({"account_id": ["a", "b", "c", "d"],
                             "created_at": ["yesterday", "2024-05-01", "31/02/2024", "yesterday"]})
    signals = pl.DataFrame({"account_id": ["a"], "kind": ["device"], "value": ["d"]})
    message = (r"accounts\.created_at: 3 values are not timestamps \(expected ISO-8601 like 2024-05-01T12:00:00; "
               r"examples: 'yesterday', '31/02/2024'\)")

    with pytest.raises(ContractError, match=message) as error:
        validate({"accounts": accounts, "signals": signals})

    problem = only_problem(error)
    assert (problem.count, problem.examples) == (3, ["yesterday", "31/02/2024"])


def test_null_and_empty_ids():
    signals = make_tables()["signals"].with_columns(pl.Series("account_id", ["r1", None, "r3", "", None, "h2"]))

    with pytest.raises(ContractError, match=r"signals\.account_id: 3 values are null or empty") as error:
        validate(make_tables(signals=signals))

    problem = only_problem(error)
    assert problem.count == 3
    assert problem.examples == [
        {"account_id": None, "kind": "device", "value": mask_value(None, "dev-ring")},
        {"account_id": "", "kind": "device", "value": mask_value(None, "dev-ring")},
        {"account_id": None, "kind": "ip", "value": mask_value(None, "ip-home")},
    ]


def test_blank_kinds_are_missing():
    signals = make_tables()["signals"].with_columns(pl.Series("kind", ["device", "  ", "device", "device", "ip", "ip"]))

    with pytest.raises(ContractError, match=r"signals\.kind: 1 value is null or empty") as error:
        validate(make_tables(signals=signals))

    # identifier values are masked in messages (they go to terminals and logs)
    assert only_problem(error).examples == [{"account_id": "r2", "kind": "(blank: 2 characters)",
                                             "value": mask_value(None, "dev-ring")}]
    assert "dev-ring" not in str(error.value)


def test_null_required_timestamp():
    events = make_tables()["events"].with_columns(pl.Series("ts", ["2024-03-03T12:00:00", None, ""]))

    with pytest.raises(ContractError, match=r"events\.ts: 2 values are missing") as error:
        validate(make_tables(events=events))

    assert only_problem(error).count == 2


def test_duplicate_account_ids():
    accounts = pl.DataFrame({"account_id": ["a", "b", "a", "c", "b", "a"], "created_at": ["2024-05-01"] * 6})
    signals = pl.DataFrame({"account_id": ["a"], "kind": ["device"], "value": ["d"]})

    with pytest.raises(ContractError, match=r"accounts\.account_id: 2 ids appear more than once, on 5 rows") as error:
        validate({"accounts": accounts, "signals": signals})

    problem = only_problem(error)
    assert (problem.count, problem.examples) == (2, ["a", "b"])


@pytest.mark.parametrize(
    ("table", "column", "frame"),
    [
        ("signals", "account_id",
         pl.DataFrame({"account_id": ["r1", "x1", "x2", "x1"], "kind": ["ip"] * 4, "value": ["v"] * 4})),
        ("events", "account_id",
         pl.DataFrame({"account_id": ["x1", "r1", "x2"], "action": ["like"] * 3, "target_id": ["t"] * 3,
                       "ts": ["2024-01-01"] * 3})),
        ("labels", "account_id", pl.DataFrame({"account_id": ["x1", "x2", "r1"], "label": ["1", "0", "1"]})),
        ("links", "account_b",
         pl.DataFrame({"account_a": ["r1", "r2", "r3"], "account_b": ["x1", "x2", "r4"], "kind": ["k"] * 3})),
    ],
)
def test_ids_not_in_accounts(table, column, frame):
    with pytest.raises(ContractError, match=rf"{table}\.{column}: 2 ids not found in accounts") as error:
        validate(make_tables(**{table: frame}))

    problem = only_problem(error)
    # In the identifier table an "account id" no account has may be anything (columns swapped):
    # masked there, as every example quoted from it.
    shown = [mask_value(None, "x1"), mask_value(None, "x2")] if table == "signals" else ["x1", "x2"]
    assert (problem.table, problem.column, problem.count, problem.examples) == (table, column, 2, shown)


def test_labels_not_0_or_1():
    labels = pl.DataFrame({"account_id": ["r1", "r2", "r3", "l1"], "label": [2, 1, -1, 2]})

    with pytest.raises(ContractError, match=r"labels\.label: 3 values are not 0 or 1") as error:
        validate(make_tables(labels=labels))

    problem = only_problem(error)
    assert (problem.count, problem.examples) == (3, [2, -1])


def test_conflicting_labels():
    labels = pl.DataFrame({"account_id": ["r1", "r1", "l1", "h1", "h1"], "label": ["1", "0", "0", "0", "1"]})

    with pytest.raises(ContractError, match=r"labels\.account_id: 2 accounts have both label 0 and 1") as error:
        validate(make_tables(labels=labels))

    problem = only_problem(error)
    assert (problem.count, sorted(problem.examples)) == (2, ["h1", "r1"])


def test_empty_accounts():
    accounts = pl.DataFrame(schema={"account_id": pl.String, "created_at": pl.String})

    with pytest.raises(ContractError, match=r"accounts: table is empty") as error:
        validate(make_tables(accounts=accounts))

    # Every id elsewhere is then unknown; saying so for each table would only bury the cause.
    assert only_problem(error).table == "accounts"


def test_self_links():
    links = pl.DataFrame({"account_a": ["r1", "h1", "r2"], "account_b": ["r1", "h2", "r2"], "kind": ["k"] * 3})

    with pytest.raises(ContractError, match=r"links\.account_b: 2 links join an account to itself") as error:
        validate(make_tables(links=links))

    problem = only_problem(error)
    assert problem.count == 2
    assert problem.examples == [{"account_a": "r1", "account_b": "r1", "kind": "k"},
                                {"account_a": "r2", "account_b": "r2", "kind": "k"}]


def test_weights_out_of_range():
    links = pl.DataFrame(
        {"account_a": ["r1", "r2", "r3", "h1", "h2"], "account_b": ["r2", "r3", "r4", "h2", "r1"], "kind": ["k"] * 5,
         "weight": [1.5, -0.1, float("nan"), 0.5, float("inf")]}
    )

    with pytest.raises(ContractError, match=r"links\.weight: 3 values are negative, infinite or NaN") as error:
        validate(make_tables(links=links))

    problem = only_problem(error)
    assert problem.count == 3
    assert problem.examples[:1] == [-0.1]


def test_a_kind_weighted_on_its_own_scale_is_divided_by_its_largest():
    # A "dm" link weighted by messages exchanged (1 to 24), beside friend links in [0, 1]: the
    # contract says only "weight float"; the strongest message link counts as a full link.
    links = pl.DataFrame(
        {"account_a": ["r1", "r2", "r3", "h1"], "account_b": ["r2", "r3", "r4", "h2"],
         "kind": ["dm", "dm", "friend", "friend"], "weight": [24.0, 6.0, 1.0, 0.5]}
    )
    assert validate(make_tables(links=links)).links["weight"].to_list() == [1.0, 0.25, 1.0, 0.5]


def test_weights_not_numbers():
    links = pl.DataFrame({"account_a": ["r1"], "account_b": ["r2"], "kind": ["k"], "weight": ["heavy"]})

    with pytest.raises(ContractError, match=r"links\.weight: 1 value is not a number") as error:
        validate(make_tables(links=links))

    assert only_problem(error).examples == ["heavy"]


def test_problems_across_tables_are_reported_together():
    tables = make_tables(
        accounts=pl.DataFrame({"account_id": ["r1", "r1", "l1"], "created_at": ["2024-01-01", "soon", None]}),
        signals=pl.DataFrame({"account_id": ["x9"], "kind": ["device"]}),
        labels=pl.DataFrame({"account_id": ["l1"], "label": ["maybe"]}),
        links=pl.DataFrame({"account_a": ["l1"], "account_b": ["l1"], "kind": ["k"], "weight": [-3.0]}),
    )

    with pytest.raises(ContractError) as error:
        validate(tables)

    found = sorted((p.table, p.column or "", p.problem) for p in error.value.problems)
    assert found == [
        ("accounts", "account_id", "1 id appears more than once, on 2 rows"),
        ("accounts", "created_at", "1 value is missing"),
        ("accounts", "created_at", "1 value is not a timestamp"),
        ("events", "account_id", "1 id not found in accounts, on 1 row"),  # r2 is no longer an account
        ("labels", "label", "1 value is not an integer"),
        ("links", "account_b", "1 link joins an account to itself"),
        ("links", "weight", "1 value is negative, infinite or NaN"),
        ("signals", "account_id", "1 id not found in accounts, on 1 row"),
        ("signals", "value", "required column is missing"),
    ]
    assert str(error.value).splitlines() == [str(problem) for problem in error.value.problems]


def test_problem_and_error_text():
    problem = Problem("events", "account_id", "3 ids not found in accounts", 3, ["x1", "x2", "x3"])
    error = ContractError([problem, Problem("accounts", None, "table is empty")])

    assert str(problem) == "events.account_id: 3 ids not found in accounts (examples: 'x1', 'x2', 'x3')"
    assert str(error) == str(problem) + "\naccounts: table is empty"


def test_examples_quoted_from_the_identifier_table_are_masked_on_every_path():
    # A CSV without its header, a short row or swapped columns put identifier values in any
    # column of signals: an error message quoted them raw (seen_at, account_id, kind, columns).
    raw = ["4111 2261 3976 8684", "user.84@mail-example.com", "+84992704558", "168.126.132.123"]
    problems = [Problem("signals", "seen_at", "4 values are not timestamps", 4, [*raw, "05/01/2024 12:00"]),
                Problem("signals", "value", "1 value is missing", 1,
                        [{"account_id": "a1", "kind": raw[0], "value": None}, {"account_id": "a2", "kind": "device"},
                         {"account_id": "a3", "kind": 5500000000000004, "value": 4915100000000}])]
    text = str(ContractError(problems))
    assert not any(value in text for value in [*raw, "5500000000000004", "4915100000000"]), text
    assert "'kind': 'device'" in text and "'value': None" in text
    assert "'account_id': 'a3'" not in text, "a row's id no check against the accounts vouched for is masked"
    assert "'99/99/9999 99:99'" in text, "a bad timestamp shows its format, not its value"
    assert mask_value(None, raw[0]) in text


def test_a_header_that_is_a_first_row_is_masked_and_unknown_row_ids_too():
    header = {"a8efdd98e936": ["a8efdd98e937"], "device": ["ip"], "003bcaab38b9-A1B2-BAEF-85E266D2": ["10.0.0.1"]}
    with pytest.raises(ContractError) as error:
        validate(make_tables(signals=pl.DataFrame(header)))
    text = str(error.value)
    assert "a8efdd98e936" not in text and "003bcaab38b9" not in text
    # Columns swapped: a phone under account_id, in the row quoted for its missing value.
    signals = pl.DataFrame({"account_id": ["+4915123456789", "r1"], "kind": ["phone", "device"], "value": [None, "d"]})
    with pytest.raises(ContractError) as error:
        validate(make_tables(signals=signals))
    text = str(error.value)
    assert "+4915123456789" not in text and "'account_id': '+49" in text


@pytest.mark.parametrize("kind", ["device", "ipv4_24", "2fa_phone", "geohash7", "email_sha1", "wifi&bssid", "账户",
                                  "device id", "x" * 80, "phoneE164", "seon:device_hash", "sha256email"])
def test_kinds_are_an_open_set(kind):
    validate(make_tables(signals=make_tables()["signals"].with_columns(pl.lit(kind).alias("kind"))))


# ---------------------------------------------------------------------------------------------
# Invariants

ACCOUNT_IDS = [f"a{i}" for i in range(6)]
TIMES = [None, "2024-01-01", "2024-01-01T10:00:00", "2024-01-02 08:00:00+01:00"]


@st.composite
def raw_datasets(draw):
    ids = st.sampled_from(ACCOUNT_IDS)
    signals = draw(st.lists(st.tuples(ids, st.sampled_from(["device", "Device ", "ip"]),
                                      st.sampled_from(["v1", "v2"]), st.sampled_from(TIMES)), min_size=1, max_size=25))
    events = draw(st.lists(st.tuples(ids, st.sampled_from(["like", "review"]), st.sampled_from(["t1", "t2"]),
                                     st.sampled_from(TIMES[1:])), max_size=25))
    labelled = draw(st.dictionaries(ids, st.sampled_from([0, 1]), max_size=6))
    labels = [(account, label) for account, label in labelled.items()] * draw(st.integers(1, 2))
    pairs = st.tuples(ids, ids).filter(lambda pair: pair[0] != pair[1])
    links = draw(st.lists(st.tuples(pairs, st.sampled_from(["k1", "k2"]), st.sampled_from([None, 0.0, 0.5, 1.0])),
                          max_size=10))
    return {
        "accounts": pl.DataFrame({"account_id": ACCOUNT_IDS, "created_at": ["2023-12-01"] * len(ACCOUNT_IDS)}),
        "signals": pl.DataFrame(signals, schema=["account_id", "kind", "value", "seen_at"], orient="row"),
        "events": pl.DataFrame(events, schema=["account_id", "action", "target_id", "ts"], orient="row"),
        "labels": pl.DataFrame(labels, schema={"account_id": pl.String, "label": pl.Int64}, orient="row"),
        "links": pl.DataFrame(
            [(a, b, kind, weight) for (a, b), kind, weight in links],
            schema={"account_a": pl.String, "account_b": pl.String, "kind": pl.String, "weight": pl.Float64},
            orient="row",
        ),
    }


def canonical(dataset: Dataset) -> dict[str, pl.DataFrame | None]:
    frames = {name: getattr(dataset, name) for name in TABLES}
    return {name: None if frame is None else frame.sort(frame.columns, nulls_last=True)
            for name, frame in frames.items()}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(tables=raw_datasets(), data=st.data())
def test_result_is_unchanged_by_input_row_order(tables, data):
    shuffled = {
        name: frame.select(pl.all().gather(data.draw(st.permutations(range(frame.height)), label=name)))
        for name, frame in tables.items()
    }

    result = canonical(validate(shuffled))
    expected = canonical(validate(tables))

    for name in TABLES:
        if expected[name] is None:
            assert result[name] is None
        else:
            assert_frame_equal(result[name], expected[name])


def test_an_empty_or_blank_value_is_shown_as_such_not_masked():
    # A digest of "" looked like a real identifier in the error listing the empty values.
    assert mask_value("device", "") == "device:(empty)" and mask_value(None, "") == "(empty)"
    assert mask_value("ip", "   ") == "ip:(blank: 3 characters)"
    assert mask_value("ip", "10.0.0.1").startswith("ip:") and "#" in mask_value("ip", "10.0.0.1")


def test_a_problem_raised_again_is_masked_once():
    # io.load_dataset and the Spark loader raise the problems of a first ContractError again.
    first = ContractError([Problem("signals", "account_id", "1 id not found in accounts", 1, ["4111 2261 3976 8684"])])
    again = ContractError(first.problems)
    assert again.problems[0].examples == [mask_value(None, "4111 2261 3976 8684")]


def test_row_ids_are_shown_only_once_checked_against_the_accounts():
    # An int64 card number under account_id (columns swapped in a parquet file), or any id when
    # the accounts table is unusable, was quoted raw in the row of a missing value.
    signals = pl.DataFrame({"account_id": [5500000000000004, 7], "kind": ["payment", "device"], "value": [None, "d"]})
    with pytest.raises(ContractError) as error:
        validate(make_tables(signals=signals))
    assert "5500000000000004" not in str(error.value)
    swapped = pl.DataFrame({"account_id": ["+4915123456789"], "kind": ["phone"], "value": [None]})
    with pytest.raises(ContractError) as error:
        validate({"signals": swapped})  # no accounts table to check the id against
    assert "+4915123456789" not in str(error.value) and "accounts: required table is missing" in str(error.value)


def test_a_kind_a_shifted_row_made_of_an_identifier_is_masked_in_the_row():
    # '12 Main St Springfield' reads as a name, but one row of a table holds it: a shifted field.
    tables = make_tables()
    odd = pl.DataFrame({"account_id": ["r1"], "kind": ["12 Main St Springfield"], "value": [None]})
    with pytest.raises(ContractError) as error:
        validate(make_tables(signals=pl.concat([tables["signals"], odd], how="diagonal_relaxed")))
    text = str(error.value)
    assert "Main St" not in text and "'account_id': 'r1'" in text


def test_a_header_of_no_contract_column_is_masked_whole():
    header = {"jane": ["a1"], "12 Main St": ["x"], "ad-09-20-7e-88-7e": ["y"]}
    with pytest.raises(ContractError) as error:
        validate(make_tables(signals=pl.DataFrame(header)))
    assert not any(name in str(error.value) for name in header)


def test_thousands_of_kinds_are_values_under_kind():
    # kind and value swapped: 14,000 "kinds" at 3,000 accounts stalled the link stage.
    n = 1_200
    signals = pl.DataFrame({"account_id": ["r1"] * n, "kind": [f"dev{i:05d}x" for i in range(n)], "value": ["device"] * n})
    with pytest.raises(ContractError, match=r"signals\.kind: 1,200 distinct kinds .*kind and value swapped"):
        validate(make_tables(signals=signals))


def test_values_of_any_type_in_a_quoted_row_are_masked_without_a_crash():
    for value in (pl.Series("value", [b"\xff\xfe", b"ok"], dtype=pl.Binary),
                  pl.Series("value", [["+4915123456789"], ["x"]])):
        signals = pl.DataFrame({"account_id": ["r1", "r2"], "kind": [None, "device"]}).with_columns(value)
        with pytest.raises(ContractError, match=r"signals\.kind: 1 value is null or empty") as error:
            validate(make_tables(signals=signals))
        assert "4915123456789" not in str(error.value)

"""The input data contract: table specs declared once, and validation that gathers every problem.

`validate` is the edge of the system. It checks a dict of raw tables (as read from parquet or
CSV, every CSV column still text) against `TABLES`, normalises types, and either returns a
`Dataset` the stages can trust or raises one `ContractError` listing every problem found in
every table, each with a count and up to five examples.

Normalised types: ids are ``String``; ``kind`` (signals, links) and ``events.action`` are
``String``, stripped and lower-cased; timestamps are ``Datetime("us")`` naive UTC; ``labels.label`` is ``Int64`` (0 or 1);
``links.weight`` is ``Float64`` in [0, 1], 1.0 where not given (a kind whose weights go beyond 1,
such as message counts, is divided by its largest). Accounts come sorted by
``account_id``, labels by ``account_id``; repeated signals and labels are kept once, and
signals whose value is a placeholder (an all-zero id, "unknown": `syndicate.placeholders`)
not at all (``Dataset.placeholders`` counts them). Extra columns are kept untouched.

Examples
--------
>>> import polars as pl
>>> accounts = pl.DataFrame({"account_id": ["a2", "a1"], "created_at": ["2024-05-02", "2024-05-01"]})
>>> signals = pl.DataFrame({"account_id": ["a1", "a2"], "kind": [" Device", "device"], "value": ["d", "d"]})
>>> dataset = validate({"accounts": accounts, "signals": signals})
>>> dataset.row_counts()
{'accounts': 2, 'signals': 2}
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Callable, Literal

import polars as pl

from syndicate.asof import bound_timestamps
from syndicate.link.codes import AccountIndex
from syndicate.placeholders import drop_placeholders
from syndicate.timestamps import parse_iso8601

MAX_EXAMPLES = 5
TIMESTAMP = pl.Datetime("us")

# id: opaque identifier, kept as given; kind: a category name, stripped and lower-cased;
# text: optional free text; timestamp, label, weight: see the converters below.
LogicalType = Literal["id", "kind", "text", "timestamp", "label", "weight"]


@dataclass(frozen=True)
class Column:
    name: str
    type: LogicalType
    required: bool = True


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    # Columns whose ids must appear in accounts.account_id.
    account_refs: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "accounts",
            (
                Column("account_id", "id"),
                Column("created_at", "timestamp"),
                Column("account_type", "text", required=False),
                Column("country", "text", required=False),
            ),
            required=True,
        ),
        TableSpec(
            "signals",
            (
                Column("account_id", "id"),
                Column("kind", "kind"),
                Column("value", "id"),
                Column("seen_at", "timestamp", required=False),
            ),
            account_refs=("account_id",),
        ),
        TableSpec(
            "events",
            (
                Column("account_id", "id"),
                Column("action", "kind"),  # "Like" and " like" are one action
                Column("target_id", "id"),
                Column("ts", "timestamp"),
            ),
            account_refs=("account_id",),
        ),
        TableSpec(
            "labels",
            (Column("account_id", "id"), Column("label", "label")),
            account_refs=("account_id",),
        ),
        TableSpec(
            "links",
            (
                Column("account_a", "id"),
                Column("account_b", "id"),
                Column("kind", "kind"),
                Column("weight", "weight", required=False),
            ),
            account_refs=("account_a", "account_b"),
        ),
    )
}
# Every column name of the contract (a CSV's header is shown as it is when made of these).
_ALL_COLUMNS = frozenset(column.name for spec in TABLES.values() for column in spec.columns)
# A dataset needs at least one source of links between accounts.
EVIDENCE_TABLES = ("signals", "events", "links")


@dataclass(frozen=True)
class Problem:
    """One contract violation: where it is, what is wrong, how often, and examples."""

    table: str
    column: str | None
    problem: str
    count: int = 1
    examples: list = field(default_factory=list)
    expected: str | None = None
    got: str | None = None
    # Its quoted values were masked (ContractError): a problem raised again is not masked twice.
    masked: bool = field(default=False, repr=False, compare=False)
    # The account ids of the whole rows it quotes were checked against the accounts
    # (mask_unknown_row_ids): known ones are shown; unchecked ones are masked.
    row_ids_checked: bool = field(default=False, repr=False, compare=False)

    def __str__(self) -> str:
        where = self.table if self.column is None else f"{self.table}.{self.column}"
        details = []
        if self.expected:
            details.append(f"expected {self.expected}")
        if self.got:
            details.append(f"got {self.got}")
        if self.examples:
            details.append("examples: " + ", ".join(repr(value) for value in self.examples))
        return f"{where}: {self.problem}" + (f" ({'; '.join(details)})" if details else "")


class ContractError(Exception):
    """Input data that breaks the contract; ``problems`` holds every problem found.

    Error messages land in terminals, schedulers' logs and tickets: the examples quoted from
    the identifier table (``signals``) are masked (:func:`syndicate.masking.mask_value`; what
    stays is said in :func:`_guarded`), on whatever path built the problem. A row whose fields
    shifted (a CSV without its header, a short row, swapped columns) puts identifier values in
    any column, account ids and column names included."""

    def __init__(self, problems: list[Problem]):
        self.problems = [_guarded(problem) if problem.table == "signals" else problem for problem in problems]
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


# What messages show of the identifier table. A name (a kind, a column) is shown when it reads
# as one; text that reads as an identifier value is masked: e-mail addresses hold '@', MACs and
# IPv6 ':', phones start with '+', card numbers hold five digits in a row, IPs and street
# numbers start with a digit and hold four or more, device ids and hashes are runs of 8 or more
# letters and digits with 3 or more digits among them. For display only: no kind is refused
# for its name (kinds are an open set: `phoneE164`, `seon:device_hash`), and a real name that
# reads as a value is only masked in a message.
_VALUE_RUN = re.compile(r"[^\W_]+")


def reads_as_name(text: object) -> bool:
    """Whether ``text`` reads as a name (of a kind, a column), not as an identifier value."""
    if not isinstance(text, str):
        return False
    name = text.strip()
    digits = sum(c.isdigit() for c in name)
    if (not name or "@" in name or ":" in name or name.startswith("+") or re.search(r"[0-9]{5}", name)
            or (name[0].isdigit() and digits >= 4)):
        return False
    return not any(len(run) >= 8 and sum(c.isdigit() for c in run) >= 3 and not run.isdigit()
                   for run in _VALUE_RUN.findall(name))


def shown_name(name: str) -> str:
    """A column or kind name as a message quotes it: as it is, or masked when it reads as an
    identifier value (the 'header' of a CSV without one is its first row)."""
    return name if name in _ALL_COLUMNS or reads_as_name(name) else _masked_text(name)


def _masked_text(text: str) -> str:
    from syndicate.masking import mask_value

    return mask_value(None, text)


def shape_of(text: str) -> str:
    """``text`` with each digit as 9 and each letter as a: a timestamp's format without the
    value (05/01/2024 12:00 -> 99/99/9999 99:99)."""
    return re.sub(r"[^\W\d_]", "a", re.sub(r"\d", "9", text))


def _guarded(problem: Problem) -> Problem:
    """``problem`` with the values it quotes from the identifier table masked (see
    :class:`ContractError`): kind names that read as names and timestamps stay, text quoted
    from ``seen_at`` shows its shape, anything else (numbers too) is masked. A whole row's
    ``account_id`` is shown only once ``mask_unknown_row_ids`` checked it."""
    from syndicate.masking import is_mask, mask_value

    if problem.masked:
        return problem

    def shown(value: Any, field: object) -> Any:
        if value is None or isinstance(value, (bool, datetime, date)) or is_mask(value):
            return value
        if field == "kind" and reads_as_name(value):
            return value
        if field == "seen_at" and isinstance(value, str):
            return shape_of(value)
        return mask_value(None, str(value))

    def row(example: dict) -> dict:
        return {k: v if k == "account_id" and problem.row_ids_checked else shown(v, k) for k, v in example.items()}

    examples = [row(example) if isinstance(example, dict) else shown(example, problem.column)
                for example in problem.examples or []]
    return dataclasses.replace(problem, examples=examples, masked=True)


def mask_unknown_row_ids(problems: list[Problem], account_ids: pl.Series) -> list[Problem]:
    """``problems`` with the ``account_id`` of each whole signals row they quote masked when no
    account has it: a known id says which account's row to fix, an unknown one may be an
    identifier value that swapped columns put there."""
    from syndicate.masking import mask_value

    quoted = [str(e["account_id"]) for p in problems if p.table == "signals" for e in p.examples or []
              if isinstance(e, dict) and e.get("account_id") is not None]
    ids = account_ids.cast(pl.String)
    known = set(ids.filter(ids.is_in(quoted)).to_list()) if quoted else set()

    def row(example: Any) -> Any:
        value = example.get("account_id") if isinstance(example, dict) else None
        if value is None or (isinstance(value, str) and (not value.strip() or value in known)):
            return example
        # An int id of an account (accounts read as text) is shown; anything else is masked.
        return {**example, "account_id": value if str(value) in known else mask_value(None, str(value))}

    return [dataclasses.replace(p, examples=[row(e) for e in p.examples or []], row_ids_checked=True)
            if p.table == "signals" and not p.masked else p for p in problems]


@dataclass(frozen=True)
class Dataset:
    """Validated input tables. Optional tables that were absent or empty are ``None``."""

    accounts: pl.DataFrame
    signals: pl.DataFrame | None = None
    events: pl.DataFrame | None = None
    labels: pl.DataFrame | None = None
    links: pl.DataFrame | None = None
    # Optional tables that were given with no rows: absent for the stages, 0 in row_counts.
    empty_tables: tuple[str, ...] = ()
    # The run's reference time ("now" for ages) and what was out of range (syndicate.asof).
    reference_time: datetime | None = None
    timestamps: dict = field(default_factory=dict)
    # Rows of tables an engine holds elsewhere (the Spark engine keeps signals and events on
    # Spark; the driver's frames then hold some accounts' rows, or none).
    held_counts: dict = field(default_factory=dict)
    # Signal rows left out for holding a placeholder, not an identifier (syndicate.placeholders).
    placeholders: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        # A summary: the default repr printed the tables, identifier values and all (a notebook
        # shows it for a bare `dataset`); the values are in the frames for whoever asks for them.
        counts = self.row_counts()
        tables = ", ".join(f"{name}={counts[name]:,}" if name in counts else f"{name}=None" for name in TABLES)
        kinds = (f"; signal kinds {', '.join(sorted(self.signals['kind'].unique().to_list()))}"
                 if self.signals is not None and "kind" in self.signals.columns else "")
        when = f"; reference_time={self.reference_time:%Y-%m-%d %H:%M}" if self.reference_time else ""
        return f"Dataset(rows: {tables}{kinds}{when}; see .{', .'.join(TABLES)})"

    @cached_property
    def account_index(self) -> AccountIndex:
        """Integer codes of the accounts (`syndicate.link.codes`), made once and shared by the
        link and cluster stages."""
        return AccountIndex.of(self.accounts["account_id"])

    def row_counts(self) -> dict[str, int]:
        """Rows per given table after validation (0 for a table given empty)."""
        counts = {}
        for name in TABLES:
            frame = getattr(self, name)
            if name in self.held_counts:
                counts[name] = self.held_counts[name]
            elif frame is not None:
                counts[name] = frame.height
            elif name in self.empty_tables:
                counts[name] = 0
        return counts


def with_placeholder_values(dataset: Dataset, values: tuple[str, ...]) -> Dataset:
    """A validated ``dataset`` without the signal rows holding one of ``values`` as well
    (``[identity] placeholder_values``, as :func:`validate` leaves them out), for a Dataset made
    before the values were known (the Python API takes one as it is). Its reference time stays
    as validated, and an account dropped both times counts twice in ``placeholders["accounts"]``."""
    if not values or dataset.signals is None:
        return dataset
    kept, dropped = drop_placeholders(dataset.signals, values)
    if not dropped:
        return dataset
    before = dataset.placeholders or {"rows": 0, "accounts": 0, "by_kind": {}}
    by_kind = dict(before.get("by_kind", {}))
    for kind, n in dropped["by_kind"].items():
        by_kind[kind] = by_kind.get(kind, 0) + n
    counts = {"rows": before["rows"] + dropped["rows"], "accounts": before["accounts"] + dropped["accounts"],
              "by_kind": dict(sorted(by_kind.items()))}
    empty = dataset.empty_tables if kept.height else tuple(sorted({*dataset.empty_tables, "signals"}))
    return dataclasses.replace(dataset, signals=kept if kept.height else None, empty_tables=empty,
                               placeholders=counts)


# Set (in a dataset's __dict__) on a dataset no one but the run holds (`pipeline.run_to_folder`):
# the stages may take its tables apart to free memory (`replace_owned_tables`).
RUN_OWNED = "_run_owned"


def replace_owned_tables(dataset: Dataset, *, input_rows: dict[str, int], now: datetime,
                         **tables: pl.DataFrame | None) -> None:
    """Put ``tables`` in place of the dataset's own (None: let one go), in place.

    Only for a dataset the run owns (``RUN_OWNED``). ``input_rows`` (``row_counts()`` taken
    before any table was touched) keeps each replaced table's input row count in
    ``held_counts`` for the manifest, and ``now`` pins the reference time, which would
    otherwise follow what is left of the events.
    """
    for name, frame in tables.items():
        object.__setattr__(dataset, name, frame)
    object.__setattr__(dataset, "reference_time", now)
    object.__setattr__(dataset, "held_counts",
                       {**dataset.held_counts, **{name: input_rows[name] for name in tables if name in input_rows}})


def validate(tables: dict[str, pl.DataFrame], *, as_of: datetime | str | None = None,
             placeholder_values: tuple[str, ...] = ()) -> Dataset:
    """Check raw tables against the contract and return them with normalised types.

    Parameters
    ----------
    tables : dict of str to polars.DataFrame
        Raw tables by name (``accounts``, ``signals``, ``events``, ``labels``, ``links``);
        other names are ignored.
    as_of : datetime or ISO-8601 text, optional
        The reference time; by default the latest timestamp of the data once a few stray
        ones are set aside. Timestamps out of the plausible range are handled and reported
        as :mod:`syndicate.asof` describes (``Dataset.timestamps``).
    placeholder_values : more signal values to leave out as placeholders (``[identity]
        placeholder_values``; :mod:`syndicate.placeholders`).

    Returns
    -------
    Dataset

    Raises
    ------
    ContractError
        With every problem found across all tables, not just the first.
    """
    problems: list[Problem] = []
    checked: dict[str, pl.DataFrame] = {}
    broken: dict[str, set[str]] = {}  # columns that could not be converted, per table
    offered = {}
    unconvertible: set[str] = set()
    for name, table in tables.items():
        if name not in TABLES:
            continue
        try:
            offered[name] = (table, _as_frame(table))
        except Unconvertible as exc:  # a pandas column pyarrow cannot convert: the table goes no further
            offered[name] = (table, None)
            unconvertible.add(name)
            problems += exc.problems(name)
    problems += [Problem(name, None, "is not a table", got=type(table).__name__,
                         expected="a polars DataFrame or LazyFrame, a pandas DataFrame or a pyarrow Table")
                 for name, (table, frame) in offered.items() if frame is None and name not in unconvertible]
    tables = {name: frame for name, (_, frame) in offered.items() if frame is not None}
    for name, spec in TABLES.items():
        if name in offered and name not in tables:
            continue
        if name in tables:
            checked[name], broken[name], found = _check_table(spec, tables[name])
            problems += found
        elif spec.required:
            given = "tables " + ", ".join(sorted(tables)) if tables else "no tables"
            problems.append(Problem(name, None, "required table is missing", expected=f"an {name} table", got=given))

    empty = tuple(name for name, frame in checked.items() if frame.height == 0)
    if "accounts" in empty:
        problems.append(Problem("accounts", None, "table is empty", expected="at least one account"))
    if not any((name in checked and name not in empty) or (name in offered and name not in tables)
               for name in EVIDENCE_TABLES):
        given = ", ".join(f"{name} (empty)" if name in empty else name for name in checked)
        problems.append(
            Problem("dataset", None, f"at least one of {', '.join(EVIDENCE_TABLES)} is required",
                    expected="one of them with rows", got=f"tables {given}" if given else "no tables")
        )

    if "accounts" in checked and "accounts" not in empty and "account_id" not in broken["accounts"]:
        known_hashes = checked["accounts"]["account_id"].drop_nulls().hash(seed=0)
        account_type = _id_type(tables["accounts"]["account_id"])
        for name, frame in checked.items():
            for column in TABLES[name].account_refs:
                if column not in broken[name] and name not in empty:
                    found = _unknown_ids(name, column, frame[column], known_hashes)
                    if found and _id_type(tables[name][column]) != account_type:
                        found = [dataclasses.replace(
                            found[0], got=f"{_id_type(tables[name][column])} ids, while accounts.account_id "
                            f"holds {account_type} ids (compared as text: 7 matches '7' but not '007' or 'u7')")]
                    problems += found

    if problems:
        place = {name: rank for rank, name in enumerate(["dataset", *TABLES])}
        if "accounts" in checked and "account_id" not in broken.get("accounts", {"account_id"}):
            problems = mask_unknown_row_ids(problems, checked["accounts"]["account_id"])
        raise ContractError(sorted(problems, key=lambda problem: place[problem.table]))  # stable: table by table
    usable = {name: (None if name in empty else frame) for name, frame in checked.items()}
    placeholders = {}
    if usable.get("signals") is not None:
        kept, placeholders = drop_placeholders(usable["signals"], placeholder_values)
        usable["signals"] = kept if kept.height else None
    usable, reference, report = bound_timestamps(usable, as_of=as_of)
    # A table all of whose rows were out of range is given but empty for the stages.
    emptied = tuple(name for name in checked if name not in empty and usable[name] is None)
    return Dataset(
        **usable,
        empty_tables=tuple(name for name in (*empty, *emptied) if name != "accounts"),
        reference_time=reference, timestamps=report, placeholders=placeholders,
    )


# ---------------------------------------------------------------------------------------------
# One table


def _as_frame(table: Any) -> pl.DataFrame | None:
    """``table`` as a polars DataFrame: a LazyFrame collected, a pandas DataFrame (its index
    left out) or a pyarrow Table converted; None for anything else."""
    if isinstance(table, pl.DataFrame):
        return table
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    module = type(table).__module__.split(".")[0]
    if module == "pandas" and type(table).__name__ == "DataFrame":
        try:
            return pl.from_pandas(table)
        except Exception as exc:  # pyarrow's ArrowInvalid / ArrowTypeError, polars' own
            raise Unconvertible(_unconvertible_columns(table)) from exc
    if module == "pyarrow" and type(table).__name__ in ("Table", "RecordBatch"):
        frame = pl.from_arrow(table)
        return frame if isinstance(frame, pl.DataFrame) else None
    return None


class Unconvertible(Exception):
    """A pandas DataFrame that pyarrow cannot convert. ``columns``: (column, problem, rows,
    examples, got, expected) for each column at fault."""

    def __init__(self, columns: list[tuple[str, str, int, list, str | None, str | None]]):
        super().__init__(columns)
        self.columns = columns

    def problems(self, table: str) -> list[Problem]:
        """The columns at fault as problems of ``table``."""
        return [Problem(table, column, problem, count=count, examples=examples, got=got, expected=expected)
                for column, problem, count, examples, got, expected in self.columns]


def _unconvertible_columns(table: Any) -> list[tuple[str, str, int, list, str | None, str | None]]:
    """What keeps pyarrow from converting a pandas DataFrame: column names given twice, or the
    columns that fail on their own, each with the types of its values (missing ones left out:
    NaN and None are no type of their own) and a few values of the rarer types."""
    names = [str(c) for c in table.columns]
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:
        return [(c, "is a column name given twice", names.count(c), [], None, "one column of each name")
                for c in twice]
    out = []
    for column in table.columns:
        try:
            pl.from_pandas(table[[column]])
        except Exception:
            values = table[column][table[column].notna()]
            kinds = values.map(lambda v: type(v).__name__)
            counts = kinds.value_counts()
            got = " and ".join(f"{k} ({n:,} {'row' if n == 1 else 'rows'})" for k, n in counts.items())
            if len(counts) > 1:
                rare = values[kinds != counts.index[0]]
                out.append((str(column), "is a pandas column of mixed types that cannot be converted", int(len(rare)),
                            rare.head(3).tolist(), got, "one type per column (cast it, e.g. .astype(str) for ids)"))
            else:
                out.append((str(column), "is a pandas column of a type that cannot be converted", int(len(values)),
                            values.head(3).tolist(), got, "numbers, text, booleans or datetimes"))
    return out or [("(all columns)", "is a pandas DataFrame pyarrow cannot convert", 1, [], None, None)]


def _check_table(spec: TableSpec, frame: pl.DataFrame) -> tuple[pl.DataFrame, set[str], list[Problem]]:
    """Convert the columns of one table; returns (frame, unusable columns, problems).

    A column is unusable when it is missing or of a type that cannot be converted. Bad values
    in a usable column are reported and nulled, so that the table's other checks still run.
    """
    problems: list[Problem] = []
    broken: set[str] = set()
    # The identifier table's "columns" may be its first row (a CSV without a header line): with
    # none of its columns among them, every one is masked; else each that reads as a value.
    named = str
    if spec.name == "signals":
        named = shown_name if set(frame.columns) & set(spec.column_names) else _masked_text
    present = "columns " + ", ".join(repr(named(name)) for name in frame.columns) if frame.columns else "no columns"
    converted = {}
    for column in spec.columns:
        if column.name not in frame.columns:
            if column.required:
                broken.add(column.name)
                problems.append(
                    Problem(spec.name, column.name, "required column is missing",
                            expected="columns " + ", ".join(c.name for c in spec.columns if c.required),
                            got=present)
                )
            continue
        raw = frame[column.name]
        series, found = _CONVERTERS[column.type](spec.name, raw)
        problems += found
        if series is None:
            broken.add(column.name)
            continue
        converted[column.name] = series
        if column.required:
            # Kinds are judged once stripped; other columns as given (bad values are reported apart).
            missing = _blank(series if column.type == "kind" else raw)
            problems += _missing_values(spec, column, missing, frame)
    frame = frame.with_columns(*converted.values())

    if spec.name == "links" and "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit(1.0).alias("weight"))
    rule, needs = _TABLE_RULES[spec.name]
    if frame.height > 0 and not broken & set(needs):
        frame, found = rule(frame)
        problems += found
    return frame, broken, problems


def _missing_values(spec: TableSpec, column: Column, missing: pl.Series, frame: pl.DataFrame) -> list[Problem]:
    count = int(missing.sum())
    if count == 0:
        return []
    if column.type in ("id", "kind"):
        what = _counted(count, "value is null or empty", "values are null or empty")
    else:
        what = _counted(count, "value is missing", "values are missing")
    shown = [name for name in spec.column_names if name in frame.columns]
    rows = frame.filter(missing).head(MAX_EXAMPLES).select(shown).to_dicts()
    if spec.name == "signals" and "kind" in frame.columns:
        # A kind a shifted row made of an identifier is rare in its table (a card's few rows):
        # masked unless at least max(2, 1%) of the rows hold it, whatever it reads as.
        kinds = {row["kind"] for row in rows if isinstance(row.get("kind"), str)}
        counts = dict(frame.filter(pl.col("kind").is_in(list(kinds))).group_by("kind").len().iter_rows()) \
            if kinds else {}
        rare = {k for k in kinds if counts.get(k, 0) < max(2, frame.height // 100)}
        rows = [{**row, "kind": _masked_text(row["kind"])} if row.get("kind") in rare else row for row in rows]
    rows = [{k: v if k != "value" or v is None or isinstance(v, str) else str(v) for k, v in row.items()}
            for row in rows] if spec.name == "signals" else rows  # masked as text (ContractError)
    return [Problem(spec.name, column.name, what, count, rows, expected="a value on every row")]


def _accounts_rules(accounts: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    problems = []
    ids = accounts["account_id"]
    # Distinct hashes prove distinct ids, and hashing is much cheaper than comparing text.
    if ids.hash(seed=0).n_unique() == ids.len():
        return accounts.sort("account_id"), []
    duplicated = ids.is_duplicated() & ids.is_not_null()
    if duplicated.any():
        repeated = ids.filter(duplicated).unique(maintain_order=True)
        problems.append(
            Problem("accounts", "account_id",
                    _counted(repeated.len(), "id appears", "ids appear")
                    + f" more than once, on {int(duplicated.sum())} rows",
                    repeated.len(), repeated.head(MAX_EXAMPLES).to_list(), expected="each account once")
        )
    return accounts.sort("account_id", maintain_order=True), problems


# A kind names a type of identifier: data hold a few to a few dozen (the 25 marketplace
# families here: 4 to 12). Thousands are values under `kind` (kind and value swapped), and the
# link stage, which takes kinds one at a time, did not finish in 5 minutes on 3,000 accounts.
MAX_KINDS = 1_000


def too_many_kinds(table: str, n_kinds: int, examples: list) -> list[Problem]:
    """The problem of a ``table`` whose ``kind`` column holds more than ``MAX_KINDS`` kinds."""
    if n_kinds <= MAX_KINDS:
        return []
    return [Problem(table, "kind", f"{n_kinds:,} distinct kinds", n_kinds, examples[:MAX_EXAMPLES],
                    expected=f"at most {MAX_KINDS:,} names of kinds (device, ip, payment, ...); kind and value "
                             "swapped?")]


def _kinds_problems(table: str, kinds: pl.Series) -> list[Problem]:
    """:func:`too_many_kinds` of a ``kind`` column; its examples are looked up only then (on
    the usual few kinds, one hash count over the column)."""
    kinds = kinds.drop_nulls()
    n_kinds = kinds.n_unique()
    if n_kinds <= MAX_KINDS:
        return []
    return too_many_kinds(table, n_kinds, kinds.unique(maintain_order=True).head(MAX_EXAMPLES).to_list())


def _signals_rules(signals: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    problems = _kinds_problems("signals", signals["kind"])
    # The same identifier seen twice is normal: keep one row, the earliest sighting.
    key = ["account_id", "kind", "value"]
    if signals.select(key).hash_rows(seed=0).n_unique() == signals.height:  # distinct hashes: no duplicates
        return signals, problems
    order = key + (["seen_at"] if "seen_at" in signals.columns else [])
    deduplicated = signals.sort(order, nulls_last=True, maintain_order=True).unique(
        subset=key, keep="first", maintain_order=True
    )
    return deduplicated, problems


def _events_rules(events: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    return events, []


def _labels_rules(labels: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    labels = labels.sort("account_id", "label", maintain_order=True).unique(
        subset=["account_id", "label"], keep="first", maintain_order=True
    )
    # Rows with an unusable label are already reported; they say nothing about conflicts.
    valid = labels.filter(pl.col("label").is_not_null())
    conflicting = valid.filter(pl.col("account_id").is_duplicated())["account_id"].unique(maintain_order=True)
    if conflicting.is_empty():
        return labels, []
    count = conflicting.len()
    return labels, [
        Problem("labels", "account_id", _counted(count, "account has", "accounts have") + " both label 0 and 1", count,
                conflicting.head(MAX_EXAMPLES).to_list(), expected="one label per account")
    ]


def _links_rules(links: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    problems = _kinds_problems("links", links["kind"])
    self_links = links["account_a"] == links["account_b"]
    if self_links.any():
        count = int(self_links.sum())
        rows = links.filter(self_links).head(MAX_EXAMPLES).select("account_a", "account_b", "kind").to_dicts()
        problems.append(
            Problem("links", "account_b",
                    _counted(count, "link joins an account", "links join an account") + " to itself", count, rows,
                    expected="account_a != account_b")
        )
    if links.schema["weight"] == pl.Float64:
        # Weights in [0, 1] are strengths; a kind whose weights go beyond 1 is on a scale of its
        # own (messages exchanged, interactions, a 0-10 score): divided by its largest, its
        # strongest link counts as a full one and the rest in proportion.
        largest = pl.col("weight").max().over("kind")
        links = links.with_columns(pl.when(largest > 1.0).then(pl.col("weight") / largest)
                                   .otherwise(pl.col("weight")).alias("weight"))
    return links, problems


# Per table: the rule, and the columns it needs converted before it can run.
_TABLE_RULES = {
    "accounts": (_accounts_rules, ("account_id",)),
    "signals": (_signals_rules, ("account_id", "kind", "value", "seen_at")),
    "events": (_events_rules, ()),
    "labels": (_labels_rules, ("account_id", "label")),
    "links": (_links_rules, ("account_a", "account_b", "kind")),
}


def _unknown_ids(table: str, column: str, ids: pl.Series, known_hashes: pl.Series) -> list[Problem]:
    """Ids (not blank: those are reported as missing) whose hash is not the hash of any account.

    An id whose hash is not among the accounts' hashes is certainly unknown. Membership by
    64-bit hash is 5-10x faster than by text on tens of millions of rows; the price is that an
    unknown id whose hash collides with an account's goes unreported, with a chance of about
    (unknown ids x accounts) / 2**64, under 1e-7 even for a million of each.
    """
    unknown = ~_blank(ids) & ~ids.hash(seed=0).is_in(known_hashes.implode())
    if not unknown.any():
        return []
    distinct = ids.filter(unknown).unique(maintain_order=True)
    count = distinct.len()
    return [
        Problem(table, column, _counted(count, "id", "ids") + " not found in accounts, on "
                + _counted(int(unknown.sum()), "row", "rows"),
                count,
                distinct.head(MAX_EXAMPLES).to_list())
    ]


# ---------------------------------------------------------------------------------------------
# Column converters: (table, raw column) -> (normalised column or None if unusable, problems)

Converted = tuple[pl.Series | None, list[Problem]]


def _wrong_type(table: str, series: pl.Series, expected: str) -> Converted:
    return None, [
        Problem(table, series.name, "column has the wrong type", series.len(), expected=expected, got=str(series.dtype))
    ]


def _bad_values(table: str, raw: pl.Series, bad: pl.Series, what: tuple[str, str], expected: str) -> list[Problem]:
    """A problem for the rows flagged ``bad``; ``what`` is the (singular, plural) predicate."""
    count = int(bad.sum())
    if count == 0:
        return []
    examples = raw.filter(bad).unique(maintain_order=True).head(MAX_EXAMPLES).to_list()
    return [Problem(table, raw.name, _counted(count, "value " + what[0], "values " + what[1]), count, examples,
                    expected=expected)]


def _id_type(series: pl.Series) -> str:
    """How ids were given: "integer" or "text" (both are compared as text)."""
    return "integer" if series.dtype.is_integer() else "text"


def _blank(series: pl.Series) -> pl.Series:
    """Null or empty text: a missing value.

    Whitespace is not stripped here: on tens of millions of ids that costs seconds. Text that
    is only whitespace is reported as a bad value, or as an id unknown to accounts, instead.
    """
    if series.dtype == pl.String:
        return series.is_null() | (series.str.len_bytes() == 0)
    return series.is_null()


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _to_id(table: str, series: pl.Series) -> Converted:
    dtype = series.dtype
    if dtype == pl.String:
        return series, []
    if dtype.is_integer() or dtype == pl.Null or isinstance(dtype, (pl.Categorical, pl.Enum)):
        return series.cast(pl.String), []
    return _wrong_type(table, series, "text or integer ids")


def _to_kind(table: str, series: pl.Series) -> Converted:
    series, problems = _to_id(table, series)
    if series is None:
        return series, problems
    # Most columns are already normalised: checking the few distinct values is ~8x cheaper than
    # stripping and lower-casing 20M rows (0.4 s vs 3.5 s for events.action).
    distinct = series.unique()
    if distinct.equals(distinct.str.strip_chars().str.to_lowercase()):
        return series, problems
    return series.str.strip_chars().str.to_lowercase(), problems


def _to_text(table: str, series: pl.Series) -> Converted:
    dtype = series.dtype
    if dtype == pl.String:
        return series, []
    if dtype.is_nested() or dtype == pl.Object:
        return _wrong_type(table, series, "text")
    return series.cast(pl.String), []


def _to_number(table: str, series: pl.Series, what: tuple[str, str], expected: str) -> Converted:
    """Numbers as Float64; text that is not a number is reported and nulled."""
    dtype = series.dtype
    if dtype.is_numeric() or dtype in (pl.Boolean, pl.Null):
        return series.cast(pl.Float64), []
    if dtype != pl.String:
        return _wrong_type(table, series, expected)
    numbers = series.str.strip_chars().cast(pl.Float64, strict=False)
    not_numbers = numbers.is_null() & ~_blank(series)
    return numbers, _bad_values(table, series, not_numbers, what, expected)


# Labels written as words (a pandas or spreadsheet export of a boolean column writes True and
# False; a parquet Boolean is read as 0/1 already): read as 1 and 0.
_LABEL_WORDS = {"true": "1", "false": "0"}


def _to_label(table: str, series: pl.Series) -> Converted:
    if series.dtype == pl.String:
        words = series.str.strip_chars().str.to_lowercase()
        series = words.replace(_LABEL_WORDS).zip_with(words.is_in(list(_LABEL_WORDS)), series).alias(series.name)
    numbers, problems = _to_number(table, series, ("is not an integer", "are not integers"), "0 or 1")
    if numbers is None:
        return None, problems
    outside = numbers.is_not_null() & ~numbers.is_in([0.0, 1.0])
    problems += _bad_values(table, series, outside, ("is not 0 or 1", "are not 0 or 1"),
                            "1 = confirmed bad, 0 = confirmed good")
    return numbers.set(outside, None).cast(pl.Int64), problems


_WEIGHT = "a number >= 0 (in [0, 1], or on a kind's own scale such as message counts)"


def _to_weight(table: str, series: pl.Series) -> Converted:
    numbers, problems = _to_number(table, series, ("is not a number", "are not numbers"), _WEIGHT)
    if numbers is None:
        return None, problems
    # Infinite too: a kind's weights are divided by their largest, so one infinite weight
    # would silently zero every other link of its kind.
    outside = numbers.is_not_null() & (~numbers.is_finite() | (numbers < 0.0))
    problems += _bad_values(table, series, outside, ("is negative, infinite or NaN", "are negative, infinite or NaN"),
                            _WEIGHT)
    # A link given without a weight is a full-strength link.
    return numbers.fill_null(1.0), problems


def _to_timestamp(table: str, series: pl.Series) -> Converted:
    dtype = series.dtype
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            series = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return series.cast(TIMESTAMP), []
    if dtype in (pl.Date, pl.Null):
        return series.cast(TIMESTAMP), []
    if dtype != pl.String:
        return _wrong_type(table, series, "a datetime, a date, or ISO-8601 text")
    parsed = parse_iso8601(series)
    # Blank text is a missing value (reported as such if the column is required), not a bad one.
    failed = parsed.is_null() & ~_blank(series)
    problems = _bad_values(table, series, failed, ("is not a timestamp", "are not timestamps"),
                            "ISO-8601 like 2024-05-01T12:00:00")
    return parsed, problems


_CONVERTERS = {
    "id": _to_id,
    "kind": _to_kind,
    "text": _to_text,
    "timestamp": _to_timestamp,
    "label": _to_label,
    "weight": _to_weight,
}

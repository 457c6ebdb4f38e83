"""CSV input tables: read every column as text, and say exactly what is wrong with a file.

polars reads CSV fast but its errors say little ("invalid utf-8 sequence", "found more fields
than defined in 'Schema'") or quote the data (an unclosed quote echoes the raw value). Here
the header is checked before reading (a repeated column name, a ``;`` or tab separator), and
when polars cannot read a file, the file is scanned once more in Python to name the lines:
not UTF-8, an unclosed quote, more fields than the header. The scan runs only on the error
path. Messages give file names, line numbers and counts, never the values themselves
(identifiers may be personal data).
"""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl

MAX_LINES_SHOWN = 5
_HEADER_BYTES = 1 << 16
_OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


class CsvTableError(ValueError):
    """A CSV table that cannot be read as the contract expects; ``problems`` are sentences."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _lines(numbers: list[int], count: int) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_LINES_SHOWN])
    return f"line{'s' if count > 1 else ''} {shown}{' …' if count > MAX_LINES_SHOWN else ''}"


def header_problems(path: Path) -> list[str]:
    """Problems with the header line alone: not UTF-8, a repeated column, another separator."""
    with path.open("rb") as handle:
        head = handle.read(_HEADER_BYTES).split(b"\n", 1)[0].rstrip(b"\r").removeprefix(b"\xef\xbb\xbf")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return []  # reported with every other undecodable line by `_scan`
    try:
        names = next(csv.reader([text]), [])
    except csv.Error:  # a line break inside the first line: lines that end in a bare carriage return
        return [f"{path.name}: the first line holds a line break that is no line end (lines ending in a "
                "bare carriage return, as old Mac exports have them?); expected lines ending in \\n or \\r\\n"]
    problems = []
    if len(names) == 1:
        for separator, word in _OTHER_SEPARATORS.items():
            if separator in text:
                problems.append(
                    f"{path.name}: the header is separated by {word} ({len(text.split(separator))} names on "
                    f"line 1); expected a comma-separated file (save or export as CSV with ',' as the "
                    "separator)")
                break
    # A "header" that is really a first row (none of the table's columns among it) may hold
    # identifiers: every name masked; else each that reads as a value.
    from syndicate.contract import TABLES, _masked_text, shown_name

    spec = TABLES.get(path.stem)
    shown = _masked_text if spec is not None and not set(names) & set(spec.column_names) else shown_name
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name in seen:
            problems.append(f"{path.name}: the header names column {shown(name)!r} twice (columns {seen[name]} "
                            f"and {position}); expected each column once")
        seen.setdefault(name, position)
    return problems


def _scan(path: Path, n_fields: int) -> list[str]:
    """Line-level problems of a CSV file: lines that are not UTF-8, an unclosed quote, rows with
    a different number of fields than the header (``n_fields``). Line numbers count from 1."""
    not_utf8: list[int] = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                not_utf8.append(number)
    if not_utf8:
        return [f"{path.name}: {len(not_utf8):,} line{'s are' if len(not_utf8) > 1 else ' is'} not UTF-8 text "
                f"({_lines(not_utf8, len(not_utf8))}); expected UTF-8 (in Excel: save as "
                "'CSV UTF-8'; elsewhere: convert with iconv -f WINDOWS-1252 -t UTF-8)"]
    more: list[int] = []
    fewer: list[int] = []
    blank: list[int] = []
    headers: list[int] = []
    problems = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        start = 1
        try:
            header = next(reader, None)
            while True:
                start = reader.line_num + 1
                row = next(reader, None)
                if row is None:
                    break
                if not row:
                    blank.append(start)
                elif header and [row[0].removeprefix("\ufeff"), *row[1:]] == header:
                    headers.append(start)  # (a joined file's second header keeps its byte-order mark)
                elif len(row) > n_fields:
                    more.append(start)
                elif len(row) < n_fields:
                    fewer.append(start)
        except csv.Error:
            problems.append(f"{path.name}: a quoted field that starts on line {start} is not closed or is "
                            "malformed (a '\"' without its closing '\"'); expected quotes in pairs, with \"\" "
                            "for a quote inside a field")
    # Blank lines at the very end are dropped when the file is read (_without_trailing_blank_lines).
    if not problems:  # (an unclosed quote stops the count of lines short of the end)
        cutoff = start - 1 - _trailing_blank_lines(path)
        blank, fewer = [n for n in blank if n <= cutoff], [n for n in fewer if n <= cutoff]
    for lines, what in ((fewer, "fewer"), (more, "more")):
        if lines:
            problems.insert(0, f"{path.name}: {len(lines):,} row{'s have' if len(lines) > 1 else ' has'} {what} "
                            f"fields than the header's {n_fields} ({_lines(lines, len(lines))})")
    if blank:
        problems.append(f"{path.name}: {len(blank):,} blank line{'s' if len(blank) > 1 else ''} "
                        f"({_lines(blank, len(blank))}) read as rows with every value missing")
    if headers:
        problems.insert(0, f"{path.name}: {len(headers):,} row{'s repeat' if len(headers) > 1 else ' repeats'} the "
                        f"header line ({_lines(headers, len(headers))}): the file was joined with another copy of "
                        "itself or another export, header and all; expected one header line (and each row once)")
    return problems


def _header_fields(path: Path) -> int | None:
    """How many fields the file's header line holds (None when it is not UTF-8); a header the
    csv module cannot read raises its ``csv.Error``."""
    with path.open("rb") as handle:
        head = handle.readline().rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return len(next(csv.reader([text]), []))


def ragged_row_problems(path: Path) -> list[str]:
    """Rows with more or fewer fields than the header (polars pads short rows with nulls), and
    rows that repeat the header (a file appended to itself): run when validation of the table
    failed, to point at the lines behind missing or unreadable values."""
    n_fields = _header_fields(path)
    if n_fields is None:
        return []
    return [p for p in _scan(path, n_fields)
            if "fields than the header" in p or "blank line" in p or "the header line (" in p]


def read_csv_table(path: str | Path) -> pl.DataFrame:
    """A CSV file as a frame with every column as text (validation decides the types).

    Raises
    ------
    CsvTableError
        The header repeats a name or uses another separator; polars cannot read the file
        (then the lines at fault are named); or the file ends inside a row (cut short).
    """
    path = Path(path)
    problems = header_problems(path)
    if problems:
        raise CsvTableError(problems)
    try:
        frame = _without_trailing_blank_lines(pl.read_csv(path, infer_schema=False), path)
    except pl.exceptions.NoDataError:
        raise CsvTableError([f"{path.name}: the file is empty; expected a header line naming the columns"]) from None
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as error:
        reason = type(error).__name__
    else:
        cut = cut_short(path, n_rows=frame.height)
        if cut:
            raise CsvTableError([cut])
        return frame
    problems = _scan(path, _header_fields(path) or 0)
    if not problems:  # polars refused what Python's csv module accepts: a stray quote mid-field
        quoted = _first_line_with_quote(path)
        where = f" (the first '\"' is on line {quoted})" if quoted else ""
        problems = [f"{path.name}: cannot be read as CSV ({reason}){where}; expected comma-separated "
                    "fields, quoted with '\"' where they hold commas, quotes or line breaks"]
    raise CsvTableError(problems)


def cut_short(path: Path, *, n_rows: int | None = None) -> str | None:
    """A sentence when the CSV file ends inside a row: no line end after its last row, which
    has fewer fields than the header. That is how an interrupted export or copy ends (a short
    row elsewhere is read with its missing values, and reported only where that empties a
    required one); its last value may be cut too, so nothing of the file is read as data.
    ``n_rows``: the rows read, named in the sentence when known. Reads the first and last
    64 KiB only (both engines check local files so)."""
    size = path.stat().st_size
    if n_rows == 0 or size == 0:
        return None
    try:
        n_fields = _header_fields(path)
    except csv.Error:
        return None
    if n_fields is None:
        return None
    with path.open("rb") as handle:
        handle.seek(max(0, size - _HEADER_BYTES))
        tail = handle.read()
    if tail.endswith((b"\n", b"\r")) or b"\n" not in tail:
        return None  # a complete file, or a last line longer than what was read: not judged
    last = tail.rsplit(b"\n", 1)[-1]
    if not last.strip():  # a last line of spaces only: no cut row (read as polars reads it)
        return None
    try:
        row = next(csv.reader([last.decode("utf-8")]), [])
    except (UnicodeDecodeError, csv.Error):
        return None
    if last.count(b'"') % 2 or len(row) >= n_fields:
        return None  # inside a quoted field, or complete (a cut inside the last field goes unseen)
    which = f"its last row, row {n_rows:,} after the header," if n_rows else "its last row"
    return (f"{path.name}: the file ends inside a row ({which} has "
            f"{len(row)} of the header's {n_fields} fields and no line end): the file looks cut short, as an "
            "interrupted export or copy leaves it; expected every row complete (deliver the whole file "
            "and run again)")


def _trailing_blank_lines(path: Path) -> int:
    """How many blank lines (nothing but spaces) the file ends with, after its last newline."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - _HEADER_BYTES))
        tail = handle.read()
    lines = tail.split(b"\n")
    if lines and lines[-1].strip() == b"":
        lines = lines[:-1]  # what follows the final newline is no line
    count = 0
    for line in reversed(lines):
        if line.strip():
            break
        count += 1
    return count


def _without_trailing_blank_lines(frame: pl.DataFrame, path: Path) -> pl.DataFrame:
    """``frame`` without the rows that blank lines at the very end of the file made (an export's
    extra newlines, which pandas and spreadsheets skip too); blank lines between rows stay rows
    with every value missing, and are reported."""
    blank = _trailing_blank_lines(path)
    if blank == 0 or frame.height == 0:
        return frame
    tail = frame.tail(min(blank, frame.height))
    empty = tail.select(pl.all_horizontal(pl.all().is_null() | (pl.all().str.strip_chars() == ""))).to_series()
    dropped = 0
    for is_empty in reversed(empty.to_list()):  # at most as many rows as the file has blank lines at its end
        if not is_empty:
            break
        dropped += 1
    return frame.head(frame.height - dropped)


def _first_line_with_quote(path: Path) -> int | None:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if b'"' in raw:
                return number
    return None


__all__ = ["read_csv_table", "header_problems", "ragged_row_problems", "CsvTableError"]

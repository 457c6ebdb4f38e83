"""ISO-8601 text to naive-UTC timestamps, vectorised (used where the contract validates CSV)."""

from __future__ import annotations

import polars as pl

# Tried in order on the rows still unparsed; the first covers the common case quickly
# (an exact format is several times faster than the general path below).
_EXACT_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def parse_iso8601(text: pl.Series) -> pl.Series:
    """Parse ISO-8601 text to naive-UTC ``Datetime("us")``; null where the text is not a timestamp.

    Accepts a date alone, or a date and time joined by 'T' or a space, with optional seconds,
    fractional seconds and a 'Z' or ±HH[:MM] offset; text without an offset is UTC.

    Examples
    --------
    >>> parse_iso8601(pl.Series(["2024-05-01", "2024-05-01 14:00:00.5+02:00", "soon"])).to_list()
    [datetime.datetime(2024, 5, 1, 0, 0), datetime.datetime(2024, 5, 1, 12, 0, 0, 500000), None]
    """
    parsers = [lambda t, f=fmt: t.str.to_datetime(f, strict=False, time_unit="us") for fmt in _EXACT_FORMATS]
    parsers.append(_parse_general_iso8601)
    parsed = parsers[0](text)
    for parser in parsers[1:]:
        todo = (parsed.is_null() & text.is_not_null()).arg_true()
        if todo.is_empty():
            break
        parsed = parsed.scatter(todo, parser(text.gather(todo)))
    return parsed.alias(text.name)


def _parse_general_iso8601(text: pl.Series) -> pl.Series:
    date = r"\d{4}-\d{2}-\d{2}"
    canonical = (
        pl.lit(text)
        .str.strip_chars()
        .str.replace(rf"^({date})$", "${1}T00:00:00")
        .str.replace(rf"^({date})[ tT](\d{{2}}:\d{{2}})($|[Zz+-])", "${1}T${2}:00${3}")
        .str.replace(rf"^({date})[ t]", "${1}T")
        .str.replace(r"[Zz]$", "+00:00")
        .str.replace(r"([+-]\d{2})$", "${1}:00")
    )
    with_offset = (
        pl.when(canonical.str.contains(r"[+-]\d{2}:?\d{2}$")).then(canonical).otherwise(canonical + "+00:00")
    )
    parsed = with_offset.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit="us")
    return pl.select(parsed.dt.replace_time_zone(None)).to_series()

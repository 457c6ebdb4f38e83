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

A value is a placeholder when, trimmed and in lower case, it is one of ``PLACEHOLDER_WORDS``
or ``PLACEHOLDER_VALUES``, consists of separators only, or is one character repeated at
least ``MIN_REPEATS`` times once separators are taken out (``0000``, ``ffff-ffff``,
``xxxxxxxx``, ``1111 1111 1111 1111``, the test card). Shorter runs and single characters
stay values (a value ``7`` or ``00`` is too short to say). Its rows are dropped when the
input is validated (both engines), counted per kind in the manifest (``placeholder_signals``)
and named in the run's warnings.
"""

from __future__ import annotations

import re
import string

import polars as pl

# Words written where a value is missing, in lower case.
PLACEHOLDER_WORDS = frozenset({
    "unknown", "unkown", "none", "null", "nil", "nan", "n/a", "na", "n.a.", "undefined", "undef",
    "default", "not available", "not_available", "notavailable", "not set", "not_set", "unset", "empty",
    "missing", "invalid", "error", "(null)", "(none)", "<null>", "<none>", "[null]", "0", "-1",
    # written for a missing value by pandas (<NA>), spreadsheets (#N/A) and MySQL dumps (\N)
    "<na>", "#n/a", "\\n",
})
# Fixed values that platforms hand out in place of a real identifier, and the digests of the
# empty string: a pipeline that hashes identifiers upstream hashes a missing one too.
PLACEHOLDER_VALUES = frozenset({
    "0.0.0.0", "127.0.0.1", "::1", "02:00:00:00:00:00", "9774d56d682e549c",
    "d41d8cd98f00b204e9800998ecf8427e",  # md5("")
    "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # sha1("")
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # sha256("")
})
# A run of one character this long (separators aside) is a placeholder: 0000, ffff-ffff.
MIN_REPEATS = 4
# Characters that separate groups of digits (white space, - : . _ /): the repeated-character
# test reads past them.
_SEP = r"[\s\-:._/]"
# One regular expression over the raw value, read the same by polars (Rust regex) and Spark
# (Java): the words and values, separators only, or one character repeated (an alternative per
# character: neither engine has backreferences). One pass over 5.6M values: 0.05 s, ten times
# less than trimming, lower-casing and stripping separators first (0.5 s).
PATTERN = (
    r"(?i)^\s*(?:"
    + "|".join(re.escape(w) for w in sorted(PLACEHOLDER_WORDS | PLACEHOLDER_VALUES))
    + f"|{_SEP}+|{_SEP}*(?:"
    + "|".join(f"(?:{re.escape(c)}{_SEP}*){{{MIN_REPEATS},}}" for c in string.digits + string.ascii_lowercase + "*#?")
    + r"))\s*$"
)


def is_placeholder(value: pl.Expr) -> pl.Expr:
    """True where ``value`` (a String expression) is a placeholder (see the module's notes).

    >>> s = pl.Series(["00000000-0000-0000-0000-000000000000", " Unknown ", "d1", "007", "ffff:ffff"])
    >>> pl.select(is_placeholder(pl.lit(s))).to_series().to_list()
    [True, True, False, False, True]
    """
    return value.str.contains(PATTERN).fill_null(False)


def spark_is_placeholder(value):  # pragma: no cover - exercised by the Spark tests
    """The same test as a Spark column expression (``value`` a string column)."""
    from pyspark.sql import functions as F

    return F.coalesce(value.rlike(PATTERN), F.lit(False))


def drop_placeholders(signals: pl.DataFrame) -> tuple[pl.DataFrame, dict]:
    """``signals`` without its placeholder rows, and what was dropped: ``{"rows", "accounts",
    "by_kind": {kind: rows}}`` (empty when nothing was)."""
    flag = signals.select(is_placeholder(pl.col("value").cast(pl.String))).to_series()
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
    rows = entry["rows"]
    return [f"signals: {rows:,} row{'s' if rows != 1 else ''} of {entry['accounts']:,} account"
            f"{'s' if entry['accounts'] != 1 else ''} hold a placeholder instead of an identifier "
            f"(an all-zero id, 'unknown', 0.0.0.0 ...; by kind: {kinds}): left out of every stage."]


__all__ = ["PLACEHOLDER_WORDS", "PLACEHOLDER_VALUES", "MIN_REPEATS", "is_placeholder", "spark_is_placeholder",
           "drop_placeholders", "describe_placeholders"]

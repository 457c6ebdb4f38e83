"""The run's reference time ("as of") and timestamps outside the plausible range.

Ages ("accounts created in the last 7 days"), youth and registration spikes are measured from
one reference time per run. It is ``--as-of`` when given; otherwise the latest timestamp of
the data (``accounts.created_at``, ``events.ts``, ``signals.seen_at``) once *stray* timestamps
are set aside: among the latest ``max(10, 0.1%)`` timestamps, those that lie more than 30 days
after the next earlier one. A device with its clock in 2100 or a test row dated 9999 then
cannot move "now", and so cannot change which accounts count as new or which clusters rank
high. Strays are never more than a tenth of the timestamps. The rule needs nothing but the
data (not the wall clock), so the same data give the same reference time.

Timestamps before ``PLAUSIBLE_FROM`` (1990: no online marketplace is older; earlier dates are
"unknown" sentinels such as 0001-01-01, 1900-01-01 or the Unix epoch) or after the reference
time are *out of range*. They are counted, with the earliest and latest, in the manifest and
the report, and handled so that no stage does arithmetic on them:

* ``events.ts``: the event is left out of the stages (its time is unknown, and lockstep and
  timing features are all about time);
* ``signals.seen_at``: set to null (the identifier still links; ``seen_at`` is optional);
* ``accounts.created_at``: clipped into [``PLAUSIBLE_FROM``, reference time] (an account
  cannot be dropped: every input account appears in the run).

*Creation stamps.* One exact ``created_at`` that a large part of the accounts share is no
sign-up batch but a stamp: legacy accounts migrated with the import date, a default of "now"
where the source system kept no creation time, or the clip of an "unknown" sentinel above. Read
as creation times, a stamp makes every cluster of old accounts look made in one batch (with 30%
of the accounts of ten marketplaces stamped with one date, five lost one or two top-K places
without labels). :func:`creation_stamps` finds them; the creation features (account age, batch
creation, how a cluster's members were created, the delay to the first action) read a stamped
account's creation time as unknown (:func:`known_creation`), while the stages that only need a
bound keep the stamp (a takeover's "identifier seen a month after the account was made": the
account was made at the stamp or before). Counted in the report as ``creation_stamps``.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import polars as pl

PLAUSIBLE_FROM = datetime(1990, 1, 1)
_PLAUSIBLE_FROM_US = int((PLAUSIBLE_FROM - datetime(1970, 1, 1)).total_seconds()) * 1_000_000
# Absolute upper bound for any reference time: keeps every span of the run within about 110
# years, which the int64 microsecond and fixed-point arithmetic of the stages carries.
PLAUSIBLE_UNTIL = datetime(2100, 1, 1)
# A timestamp this far after the next earlier one, among the very latest few, is a stray.
STRAY_GAP = timedelta(days=30)
STRAY_SHARE = 0.001
STRAY_MIN = 10
# (10 strays allowed from 100 timestamps on; 0.1% from 10,000 on)
EXAMPLES = 5

# A creation time shared by at least this many accounts, this share of them, and this many
# times the median number of accounts per distinct creation time (or by every account) is a
# stamp. An operator's sign-up script makes its accounts seconds or minutes apart: the
# most accounts at one exact instant among 21 independently built marketplaces' planted
# rings was 24 (a review ring of the fifth, made at one midnight); the stamps they hold were
# 120-183 accounts (0.6-0.9%) at an instant where one or two accounts are the rule. The lift
# keeps data kept to the day or month apart (review dumps: the busiest month holds 5.6 times
# the median month's reviewers, the busiest day 11.5 times the median day's): there, many
# accounts per instant is the resolution, not a stamp.
STAMP_MIN_ACCOUNTS = 50
STAMP_MIN_SHARE = 0.005
STAMP_MIN_LIFT = 100

# (table, column, what happens to out-of-range values)
TIMESTAMP_COLUMNS = (
    ("accounts", "created_at", "clipped into the plausible range"),
    ("events", "ts", "events left out of the run"),
    ("signals", "seen_at", "set to null"),
)


class AsOfError(ValueError):
    """An ``--as-of`` value that is not a timestamp in the plausible range."""


def parse_as_of(text: str | datetime) -> datetime:
    """``--as-of`` as a naive-UTC datetime: an ISO-8601 date or date-time (offset allowed).

    Examples
    --------
    >>> parse_as_of("2026-05-01")
    datetime.datetime(2026, 5, 1, 0, 0)
    >>> parse_as_of("2026-05-01T12:00:00+02:00")
    datetime.datetime(2026, 5, 1, 10, 0)
    """
    if isinstance(text, datetime):
        value = text
    else:
        try:
            value = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
        except ValueError:
            raise AsOfError(f"--as-of must be an ISO-8601 date or date-time like 2026-05-01 or "
                            f"2026-05-01T06:00:00Z. Got {text!r} instead.") from None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    if not PLAUSIBLE_FROM <= value < PLAUSIBLE_UNTIL:
        raise AsOfError(f"--as-of must be between {PLAUSIBLE_FROM.date()} and {PLAUSIBLE_UNTIL.date()} "
                        f"(exclusive). Got {text!s} instead.")
    return value


def _columns(tables: dict[str, pl.DataFrame | None]) -> list[tuple[str, str, str, pl.Series]]:
    found = []
    for table, column, handling in TIMESTAMP_COLUMNS:
        frame = tables.get(table)
        if frame is not None and frame.height and column in frame.columns:
            found.append((table, column, handling, frame[column]))
    return found


def _within(values: pl.Series, low: datetime, high: datetime, *, upper_open: bool = False) -> bool:
    """Every non-null value in [low, high] (or [low, high) with ``upper_open``)."""
    if values.null_count() == values.len():
        return True
    first, last = values.min(), values.max()
    return first >= low and (last < high if upper_open else last <= high)


def default_reference_time(series: list[pl.Series]) -> tuple[datetime, int]:
    """The latest plausible timestamp once strays are set aside; and how many strays there were.

    Only timestamps in [``PLAUSIBLE_FROM``, ``PLAUSIBLE_UNTIL``) are considered; with none,
    the latest timestamp clipped into that range.
    """
    plausible = [s.drop_nulls() if _within(s, PLAUSIBLE_FROM, PLAUSIBLE_UNTIL, upper_open=True)
                 else s.filter((s >= PLAUSIBLE_FROM) & (s < PLAUSIBLE_UNTIL)) for s in series]
    n = sum(s.len() for s in plausible)
    if n == 0:
        latest = max((s.max() for s in series if s.null_count() < s.len()), default=PLAUSIBLE_FROM)
        return min(max(latest, PLAUSIBLE_FROM), PLAUSIBLE_UNTIL - timedelta(microseconds=1)), 0
    # Strays are a few, and a small minority: never more than a tenth of the data (below 20
    # timestamps nothing can be told apart from the rest).
    k = min(max(STRAY_MIN, math.ceil(STRAY_SHARE * n)), n // 10)
    if k == 0:
        return max(s.max() for s in plausible if s.len()), 0
    top = (pl.concat([s.drop_nulls().top_k(k + 1) for s in plausible if s.len()])
           .sort(descending=True).head(k + 1).to_list())
    gaps = [i for i in range(min(k, len(top) - 1)) if top[i] - top[i + 1] > STRAY_GAP]
    if not gaps:
        return top[0], 0
    deepest = gaps[-1]  # strays may come in groups (2100 and 9999): set aside all above it
    return top[deepest + 1], deepest + 1


def bound_timestamps(tables: dict[str, pl.DataFrame | None], *, as_of: datetime | str | None = None
                     ) -> tuple[dict[str, pl.DataFrame | None], datetime, dict]:
    """Pin the reference time and handle out-of-range timestamps (see the module docstring).

    Parameters
    ----------
    tables : validated tables by name (``accounts`` required; others may be None).
    as_of : the reference time; when None, :func:`default_reference_time` of the data.

    Returns
    -------
    (tables, reference_time, report) : the tables with out-of-range timestamps handled; the
        reference time; and a JSON-ready report for the manifest (``reference_time``,
        ``source``, ``plausible_from``, ``strays``, ``out_of_range`` per ``table.column``,
        ``first_event`` when events are kept, ``creation_stamps`` when there are any).
    """
    columns = _columns(tables)
    if as_of is not None:
        reference, source, strays = parse_as_of(as_of), "as_of", 0
    else:
        reference, strays = default_reference_time([s for *_, s in columns])
        source = "data"
    out_of_range = {}
    tables = dict(tables)
    for table, column, handling, values in columns:
        if _within(values, PLAUSIBLE_FROM, reference):  # the common case: min and max, no masks
            continue
        early, late = values < PLAUSIBLE_FROM, values > reference
        bad = (early | late).fill_null(False)
        count = int(bad.sum())
        if count == 0:
            continue
        outside = values.filter(bad)
        out_of_range[f"{table}.{column}"] = {
            "count": count, "before_plausible": int(early.sum()), "after_reference": int(late.sum()),
            "earliest": outside.min().isoformat(), "latest": outside.max().isoformat(),
            "handling": handling,
        }
        frame = tables[table]
        if table == "events":
            frame = frame.filter(~bad)
            tables[table] = frame if frame.height else None
        elif table == "signals":
            tables[table] = frame.with_columns(pl.when(bad).then(None).otherwise(pl.col(column)).alias(column))
        else:
            tables[table] = frame.with_columns(
                pl.col(column).clip(pl.lit(PLAUSIBLE_FROM, dtype=values.dtype), pl.lit(reference, dtype=values.dtype)))
    report = {
        "reference_time": reference.isoformat(), "source": source,
        "plausible_from": PLAUSIBLE_FROM.isoformat(), "strays": strays,
        "out_of_range": out_of_range,
    }
    events = tables.get("events")
    if events is not None and events.height:  # the earliest event kept (takeover waves are read from it)
        report["first_event"] = events["ts"].min().isoformat()
    stamps = _stamp_report(tables.get("accounts"))
    if stamps:
        report["creation_stamps"] = stamps
    return tables, reference, report


def first_event(report: dict) -> datetime | None:
    """The earliest event the run keeps (``report``: :func:`bound_timestamps`'s; None without
    events)."""
    value = report.get("first_event")
    return datetime.fromisoformat(value) if value else None


def creation_stamps(created_at: pl.Series) -> pl.DataFrame:
    """The creation times that are stamps (see the module docstring): ``created_at, accounts``,
    most accounts first. The clip of an "unknown" sentinel (``PLAUSIBLE_FROM``) always is one."""
    counts = created_at.drop_nulls().value_counts(name="accounts")
    n = created_at.len()
    if counts.height == 0:
        return counts
    median = float(counts["accounts"].median())
    at_least = STAMP_MIN_SHARE * n
    sentinel = pl.col(created_at.name).dt.epoch("us") == _PLAUSIBLE_FROM_US
    many = pl.col("accounts") >= STAMP_MIN_ACCOUNTS
    # One time on every account: no lift to measure, and no creation time to read either.
    alone = pl.lit(counts.height == 1)
    stamps = counts.filter(many & (((pl.col("accounts") >= at_least) & (pl.col("accounts") >= STAMP_MIN_LIFT * median))
                                   | alone) | sentinel)
    return stamps.sort(["accounts", created_at.name], descending=[True, False])


def known_creation(created_at: pl.Series) -> pl.Series:
    """``created_at`` with the stamps (:func:`creation_stamps`) read as unknown (null)."""
    stamps = creation_stamps(created_at)
    if stamps.height == 0:
        return created_at
    return created_at.set(created_at.is_in(stamps[created_at.name].implode()), None)


def _stamp_report(accounts: pl.DataFrame | None) -> dict:
    if accounts is None or "created_at" not in accounts.columns:
        return {}
    stamps = creation_stamps(accounts["created_at"])
    if stamps.height == 0:
        return {}
    return {"accounts": int(stamps["accounts"].sum()),
            "stamps": [{"created_at": at.isoformat(), "accounts": int(k)}
                       for at, k in stamps.head(EXAMPLES).iter_rows()],
            "count": stamps.height}


def describe_creation_stamps(report: dict) -> list[str]:
    """One plain sentence on the creation stamps, if any (for the report and logs)."""
    item = report.get("creation_stamps") or {}
    if not item.get("accounts"):
        return []
    shown = "; ".join(f"{s['created_at']}: {s['accounts']:,} accounts" for s in item["stamps"])
    more = f" and {item['count'] - len(item['stamps'])} more" if item["count"] > len(item["stamps"]) else ""
    one = item["count"] == 1
    times = "one creation time that is a stamp" if one else "creation times that are stamps"
    return [f"accounts.created_at: {item['accounts']:,} accounts share {times}, not a sign-up batch "
            f"({shown}{more}): their creation time is read as unknown by the creation features "
            f"(age, batch creation)."]


def describe_out_of_range(report: dict) -> list[str]:
    """One plain sentence per column with out-of-range timestamps (for the report and logs)."""
    lines = []
    for where, item in (report.get("out_of_range") or {}).items():
        parts = []
        if item["before_plausible"]:
            parts.append(f"{item['before_plausible']:,} before {report['plausible_from'][:10]}")
        if item["after_reference"]:
            parts.append(f"{item['after_reference']:,} after the reference time {report['reference_time']}")
        counted = f"{item['count']:,} timestamp{' is' if item['count'] == 1 else 's are'}"
        lines.append(f"{where}: {counted} out of range ({', '.join(parts)}; "
                     f"earliest {item['earliest']}, latest {item['latest']}): {item['handling']}.")
    return lines


__all__ = ["parse_as_of", "default_reference_time", "bound_timestamps", "describe_out_of_range",
           "creation_stamps", "known_creation", "describe_creation_stamps", "first_event",
           "AsOfError", "PLAUSIBLE_FROM", "PLAUSIBLE_UNTIL"]

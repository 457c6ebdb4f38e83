"""Per-account behaviour features: how an account acts, in numbers HDBSCAN can compare.

One row per account with at least one event; every feature is Float64 and never null, so the
frame can go straight into a distance-based method. Families:

* volume   — ``n_events``, ``n_active_days``, ``events_per_active_day``;
* timing   — regularity of the gaps between events (``gap_cv``: 0 for a metronome, about 1
  for a person acting at random times), ``median_gap_s``, ``rapid_gap_share`` (gaps under
  a minute), the hour-of-day profile (``hour_entropy`` normalised to [0, 1],
  ``peak_hour_share``) and ``first_event_delay_days`` (farm accounts start work at once);
* action mix — ``action_<name>`` share per action (the most frequent action values in the
  data, the rest summed in ``action_other``), so the set follows the data, not a fixed list;
* targets  — ``top_target_share`` (events on the account's favourite target),
  ``distinct_target_ratio`` (distinct targets / events), ``mean_log_target_popularity``
  (how many accounts touch the targets it acts on) and ``rare_target_share`` (events on
  targets that at most ``RARE_TARGET_ACCOUNTS`` accounts touch: a farm's client targets are
  touched by the farm only, an ordinary user's likes land on popular videos);
* co-ordination — ``burst_share``: events that land within ``BURST_WINDOW_S`` of another
  account's event on the same target (a farm job is dozens of accounts on one target within
  seconds; a person mostly acts alone on a target, except on viral ones);
* account  — ``age_days`` and ``creation_burst`` (other accounts created within ±12 h:
  operators create their pools in batches).

With ``extended=True``, the columns account scoring adds (``EXTENDED_FEATURES``; review-spam
research such as SpEagle uses signals of this kind): ``peak_events_per_day``,
``active_span_days``, ``burstiness`` ((CV − 1) / (CV + 1) of the gaps: −1 clockwork, 0
random, towards 1 bursts), ``gap_entropy`` (how many gap classes, from seconds to weeks, the
account uses), ``action_entropy``, ``action_surprisal`` (how far its mix of actions stands
from its type's, in bits: :func:`syndicate.features.action_mix.account_surprisal`) and, where
events carry ratings
(:mod:`syndicate.features.ratings`), ``extreme_rating_share``, ``mean_rating`` and
``rating_deviation`` (null without ratings).

Cost: events become integer codes once (:mod:`syndicate.encoding`); two sorts of
packed int64 keys (account–time, target–time) and one of account–target keys, then segment
reductions and ``bincount`` in numpy — no hash group-bys over the events (1M accounts / 20M
events: a few seconds on 2 cores). Float sums are fixed point, so outputs are bit-stable.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime

import numpy as np
import polars as pl

from syndicate.asof import known_creation
from syndicate.config import LockstepConfig
from syndicate.encoding import EncodedEvents, encode_events
from syndicate.features.ratings import RATING_FEATURES, action_ratings, rating_column, rating_features
from syndicate.features.targets import RARE_TARGET_ACCOUNTS, burst_counts, target_counts
from syndicate.features.timing import (
    BLOCK_ROWS,
    RAPID_GAP_S,
    US_PER_DAY,
    US_PER_S,
    events_clock_s,
    normalised_entropy,
    sort_by_account,
    timing_features,
)

# Accounts created within this many hours either side count toward the creation burst: one
# operator's batch is created in hours, and a day-wide window absorbs time zones.
CREATION_WINDOW_HOURS = 12
# Two accounts acting on one target this close together act "in a burst": the lockstep
# window of LockstepConfig (farm bots fire within tens of seconds of a job being posted).
BURST_WINDOW_S = LockstepConfig().window_seconds  # default; the pipeline passes its config value
# The most frequent action values get their own share column; the rest go to ``other``.
# Marketplaces have a handful of actions (like, follow, comment, review, order, post, share).
MAX_ACTIONS = 8
# Fill values for accounts whose feature is undefined (a single event has no gap): the value
# of an unremarkable person, so that missing data never looks like bot-like regularity.
NO_GAP_CV = 1.0  # exponential (Poisson-process) gaps have CV 1

FEATURE_NAMES_FIXED = (
    "n_events", "n_active_days", "events_per_active_day",
    "gap_cv", "median_gap_s", "rapid_gap_share", "hour_entropy", "peak_hour_share",
    "first_event_delay_days",
    "top_target_share", "distinct_target_ratio", "mean_log_target_popularity",
    "rare_target_share", "burst_share", "age_days", "creation_burst",
)


def action_columns(events: pl.DataFrame, *, max_actions: int = MAX_ACTIONS) -> list[str]:
    """The action values that get their own share column: the most frequent, by count then name."""
    counts = (
        events.group_by("action").agg(pl.len().alias("n"))
        .sort(["n", "action"], descending=[True, False])
    )
    # An action literally called "other" (or one that sanitises to it) joins the rest bucket.
    kept = [a for a in counts["action"].to_list() if _action_column_name(a) != "action_other"]
    # Actions that sanitise to one column name ("like!" and "like") keep the most frequent.
    by_name = {}
    for action in kept:
        by_name.setdefault(_action_column_name(action), action)
    return list(by_name.values())[:max_actions]


def _action_column_name(action: str) -> str:
    return "action_" + (re.sub(r"[^0-9a-zA-Z]+", "_", action).strip("_").lower() or "blank")


def creation_burst(created_at: pl.Series, *, window_hours: int = CREATION_WINDOW_HOURS,
                   known: pl.Series | None = None) -> pl.Series:
    """For each account, how many OTHER accounts were created within ±``window_hours``
    (``creation_burst``, Float64); null where the creation time is a stamp, not a sign-up
    (:func:`syndicate.asof.known_creation`, or ``known`` when the caller has it), and stamped
    accounts count for no one's burst."""
    known = known_creation(created_at) if known is None else known
    mask = known.is_not_null().to_numpy()
    full = bool(mask.all())
    t = known.dt.epoch("us").to_numpy()
    if not full:
        t = t[mask]
    order = np.argsort(t, kind="stable")
    ordered = t[order]
    w = window_hours * 3_600 * US_PER_S
    # Sorted needles: each search starts where the previous one ended (several times faster).
    within = np.empty(len(t), dtype=np.float64)
    within[order] = (np.searchsorted(ordered, ordered + w, side="right")
                     - np.searchsorted(ordered, ordered - w, side="left") - 1)
    if full:
        return pl.Series("creation_burst", within)
    out = np.zeros(len(mask), dtype=np.float64)
    out[mask] = within
    return pl.Series("creation_burst", out).set(pl.Series(~mask), None)


def events_encoding(events: pl.DataFrame, account_ids: pl.Series) -> EncodedEvents:
    """The integer codes these features need (with the ratings, when the events carry any);
    ``account_ids`` sorted and unique (``Dataset.account_index.ids``)."""
    return encode_events(events, account_ids, rating=rating_column(events))


# How far the account's own mix of actions stands from its type's (features.action_mix.SURPRISAL),
# and the action it is most on (a word for the reasons: no model input).
ACTION_SURPRISAL = "action_surprisal"
ACTION_SURPRISAL_TOP = f"{ACTION_SURPRISAL}_top"
EXTENDED_FEATURES = (
    "peak_events_per_day", "active_span_days", "burstiness", "gap_entropy", "action_entropy",
    ACTION_SURPRISAL, *RATING_FEATURES,
)


def account_behaviour_features(
    events: pl.DataFrame, accounts: pl.DataFrame, *, now: datetime,
    max_actions: int = MAX_ACTIONS, burst_window_s: int = BURST_WINDOW_S, extended: bool = False,
    encoded: EncodedEvents | None = None, clock_s: int | None = None, min_clock_s: int = 0,
) -> pl.DataFrame:
    """Behaviour features of every account with at least one event.

    Parameters
    ----------
    events : DataFrame
        ``account_id, action, target_id, ts`` (validated; every account is in ``accounts``),
        optionally ``rating``.
    accounts : DataFrame
        ``account_id, created_at``.
    now : datetime
        Reference time for ages (:func:`syndicate.features.clusters.reference_time`).
    max_actions : int
        How many of the most frequent actions get their own share column.
    burst_window_s : int
        Two accounts acting on one target this close together act in a burst.
    extended : bool
        Also the account-scoring columns ``EXTENDED_FEATURES`` (Float64; the rating columns
        are null when the data carries no ratings).
    encoded : EncodedEvents, optional
        ``events`` already as integer codes (:func:`events_encoding`), made by the caller
        once for this and the lockstep stage.
    clock_s : int, optional
        The clock the event times were recorded with (``timing.clock_resolution_s``; found
        from the events when not given): shares within a window shorter than it are 0.
    min_clock_s : int
        When ``clock_s`` is found from the events, it is at least this
        (``LockstepConfig.clock_seconds``: a day's batch of data recorded to the day).

    Returns
    -------
    DataFrame
        ``account_id`` then the Float64 features listed in the module docstring, sorted by
        ``account_id``; column order is stable for a given set of action values.

    Examples
    --------
    >>> from datetime import datetime, timedelta
    >>> t0 = datetime(2026, 1, 1)
    >>> ev = pl.DataFrame({"account_id": ["a"] * 4, "action": ["like"] * 4,
    ...                    "target_id": ["t1", "t2", "t3", "t4"],
    ...                    "ts": [t0 + timedelta(seconds=60 * i) for i in range(4)]})
    >>> acc = pl.DataFrame({"account_id": ["a"], "created_at": [t0]})
    >>> account_behaviour_features(ev, acc, now=t0)["gap_cv"].item()
    0.0
    """
    ids = accounts.select("account_id", "created_at").sort("account_id")
    if events.height == 0:
        return _empty(extended)
    enc = encoded if encoded is not None else events_encoding(events, ids["account_id"])
    if clock_s is None:
        clock_s = events_clock_s(enc.t, at_least=min_clock_s)
    kept, names = _kept_actions(enc, max_actions)
    rows = sort_by_account(enc)
    active = rows.active
    # Bursts (an argsort per range of targets) on the other core while the timing blocks run:
    # both mostly in numpy calls that release the GIL; neither reads what the other writes.
    # (The action mix stays here: on the worker it would put the target counts' sorted keys
    # beside the bursts' and lift the stage's peak by ~130 MB at 1M accounts.)
    with ThreadPoolExecutor(max_workers=1) as pool:
        bursts = pool.submit(burst_counts, enc, t_min=rows.t_min, unit=rows.unit, span=rows.span,
                             window=burst_window_s * US_PER_S)
        timing = timing_features(rows, gap_classes=extended)
        del rows  # the sorted keys; only per-account figures from here on
        mix = _action_counts(enc, kept)[active]
        targets = {key: values[active] for key, values in target_counts(enc).items()}
        burst = bursts.result()[active]
    enc = replace(enc, t=None)  # times are done with (8 bytes an event)
    surprisal, surprisal_top = _surprisal(enc, accounts, active) if extended else (None, None)
    ratings = ({name: values[active] for name, values in
                rating_features(*_rated(enc), n_accounts=enc.n_accounts, n_targets=enc.n_targets).items()}
               if extended else {})
    del enc

    n_ev = timing["n_events"]
    columns = {
        "acc": active, "n_events": n_ev, "t_first": timing["t_first"],
        "n_active_days": timing["n_active_days"], "_gap_cv2": timing["_gap_cv2"],
        "median_gap_s": timing["median_gap_s"], "rapid_gap_share": timing["rapid_gap_share"],
        "hour_entropy": timing["hour_entropy"], "peak_hour_share": timing["peak_hour_share"],
        **{name: mix[:, j] / n_ev for j, name in enumerate(names)},
        **targets,
        "burst_share": burst / n_ev,
    }
    frame = pl.DataFrame(columns).with_columns(pl.col(c).fill_nan(None) for c in
                                               ("_gap_cv2", "median_gap_s", "rapid_gap_share"))
    known = known_creation(ids["created_at"])
    created = ids.select("created_at", known.alias("_known_created"),
                         creation_burst(ids["created_at"], known=known))[active]
    frame = pl.concat([ids.select("account_id")[active], frame, created], how="horizontal")
    result = frame.lazy().select("account_id", *_final_columns(names, now, clock_s=clock_s,
                                                               burst_window_s=burst_window_s)).collect()
    del frame, columns, targets
    if not extended:
        return result
    extra = pl.DataFrame({
        "peak_events_per_day": timing["peak_events_per_day"].astype(np.float64),
        "active_span_days": (timing["t_last"] - timing["t_first"]) / US_PER_DAY,
        "gap_entropy": timing["gap_entropy"],
        "action_entropy": normalised_entropy(mix),
        ACTION_SURPRISAL: surprisal,
        **ratings,
    }).with_columns(pl.col(n).fill_nan(None) for n in RATING_FEATURES)
    cv = result["gap_cv"]
    return pl.concat([result, extra, surprisal_top.to_frame()], how="horizontal").with_columns(
        ((cv - 1) / (cv + 1)).alias("burstiness")).select("account_id", *result.columns[1:], *EXTENDED_FEATURES,
                                                          ACTION_SURPRISAL_TOP)


def unseen_shares(clock_s: int, burst_window_s: int) -> tuple[str, ...]:
    """The shares whose window is shorter than the clock the event times were recorded with
    (``timing.clock_resolution_s``): what happens within it cannot be seen (on dates alone
    every review of a product that day lands "within seconds" of the others, and every second
    review of a day "within a minute" of the first)."""
    return tuple(name for name, window in (("burst_share", burst_window_s), ("rapid_gap_share", RAPID_GAP_S))
                 if clock_s > window)


def _final_columns(names: list[str], now: datetime, *, clock_s: int = 1,
                   burst_window_s: int = BURST_WINDOW_S) -> list[pl.Expr]:
    """The feature columns from the per-account figures; the shares a clock of ``clock_s``
    cannot see (:func:`unseen_shares`) are 0, as for data without such moments."""
    unseen = unseen_shares(clock_s, burst_window_s)
    burst = pl.lit(0.0) if "burst_share" in unseen else pl.col("burst_share").cast(pl.Float64)
    rapid = pl.lit(0.0) if "rapid_gap_share" in unseen else pl.col("rapid_gap_share").fill_null(0.0).cast(pl.Float64)
    action_cols = [pl.col(n).cast(pl.Float64) for n in names]
    other = ((1.0 - pl.sum_horizontal(action_cols)) if action_cols else pl.lit(1.0)).clip(0.0, 1.0)
    now_us = pl.lit(now).cast(pl.Datetime("us")).dt.epoch("us")
    n = pl.col("n_events").cast(pl.Float64)
    return [
        n.alias("n_events"),
        pl.col("n_active_days").cast(pl.Float64),
        (n / pl.col("n_active_days")).alias("events_per_active_day"),
        pl.col("_gap_cv2").sqrt().fill_nan(NO_GAP_CV).fill_null(NO_GAP_CV).alias("gap_cv"),
        # No gap: the account's whole age stands in (it has acted once in that long).
        pl.col("median_gap_s").fill_null(
            ((now_us - pl.col("created_at").dt.epoch("us")) / US_PER_S).clip(lower_bound=0)
        ).cast(pl.Float64),
        rapid.alias("rapid_gap_share"),
        pl.col("hour_entropy").cast(pl.Float64).clip(0.0, 1.0),
        pl.col("peak_hour_share").cast(pl.Float64),
        # Unknown where the creation time is a stamp (syndicate.asof.known_creation).
        ((pl.col("t_first") - pl.col("_known_created").dt.epoch("us")) / US_PER_DAY)
        .clip(lower_bound=0).alias("first_event_delay_days"),
        (pl.col("_top") / n).alias("top_target_share"),
        (pl.col("_distinct") / n).alias("distinct_target_ratio"),
        (pl.col("_pop_sum") / n).alias("mean_log_target_popularity"),
        (pl.col("_rare") / n).alias("rare_target_share"),
        burst.alias("burst_share"),
        ((now_us - pl.col("_known_created").dt.epoch("us")) / US_PER_DAY).clip(lower_bound=0).alias("age_days"),
        pl.col("creation_burst"),
        *action_cols,
        other.cast(pl.Float64).alias("action_other"),
    ]


def action_totals(act: np.ndarray, n_actions: int) -> np.ndarray:
    """Events per action code."""
    counts = np.zeros(n_actions, dtype=np.int64)
    for lo in range(0, len(act), BLOCK_ROWS):  # bincount copies its input to int64: a block at a time
        counts += np.bincount(act[lo:lo + BLOCK_ROWS], minlength=n_actions)
    return counts


def _kept_actions(enc: EncodedEvents, max_actions: int) -> tuple[np.ndarray, list[str]]:
    """Codes and column names of the actions with their own share column (as `action_columns`)."""
    counts = action_totals(enc.act, len(enc.actions))
    order = np.argsort(-counts, kind="stable")  # codes are in name order: ties go by name
    by_name: dict[str, int] = {}  # actions that sanitise to one name ("like!", "like"): the most frequent
    for code in order:
        name = _action_column_name(enc.actions[code])
        if name != "action_other":
            by_name.setdefault(name, int(code))
    kept = list(by_name.values())[:max_actions]
    return np.array(kept, dtype=np.int64), [_action_column_name(enc.actions[c]) for c in kept]


def _action_counts(enc: EncodedEvents, kept: np.ndarray) -> np.ndarray:
    """Events per (account code, kept action), the rest in a last column."""
    compact = np.full(len(enc.actions), len(kept), dtype=np.int64)
    compact[kept] = np.arange(len(kept))
    return account_action_matrix(enc.acc, enc.act, compact, enc.n_accounts, len(kept) + 1)


def account_action_matrix(acc: np.ndarray, act: np.ndarray, compact: np.ndarray, n_accounts: int,
                          width: int) -> np.ndarray:
    """Events per (account code, ``compact[action code]``): an ``n_accounts x width`` matrix."""
    key = acc.astype(np.int64)
    key *= width
    for lo in range(0, len(acc), BLOCK_ROWS):  # the actions' column a block at a time: no event-length temporary
        key[lo:lo + BLOCK_ROWS] += compact[act[lo:lo + BLOCK_ROWS]]
    return np.bincount(key, minlength=n_accounts * width).reshape(-1, width)


def _surprisal(enc: EncodedEvents, accounts: pl.DataFrame, active: np.ndarray) -> tuple[np.ndarray, pl.Series]:
    """:data:`ACTION_SURPRISAL` and :data:`ACTION_SURPRISAL_TOP` of the ``active`` account codes
    (``features.action_mix.account_surprisal``)."""
    # Imported here: features.action_mix builds on this module's action counts.
    from syndicate.features.action_mix import account_action_counts, account_surprisal, account_types

    counts, actions = account_action_counts(enc.acc, enc.act, enc.n_accounts, enc.actions)
    values, top = account_surprisal(counts, actions, account_types(accounts.sort("account_id")))
    return values[active], top.gather(active)


def _rated(enc: EncodedEvents) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Account codes, target codes and ratings of the events (ratings None when none carries
    one); ratings taken from action names keep only the rated events."""
    if enc.rating is not None:
        return enc.acc, enc.tgt, enc.rating
    by_action = action_ratings(enc.actions)
    if by_action is None:
        return enc.acc, enc.tgt, None
    rows = np.flatnonzero(~np.isnan(by_action)[enc.act])
    return enc.acc[rows], enc.tgt[rows], by_action[enc.act[rows]]


def _empty(extended: bool) -> pl.DataFrame:
    names = ["account_id", *FEATURE_NAMES_FIXED, "action_other",
             *((*EXTENDED_FEATURES, ACTION_SURPRISAL_TOP) if extended else ())]
    return pl.DataFrame(schema={n: (pl.String if n in ("account_id", ACTION_SURPRISAL_TOP) else pl.Float64)
                                for n in names})


__all__ = ["EXTENDED_FEATURES", "FEATURE_NAMES_FIXED", "account_behaviour_features", "action_columns",
           "creation_burst"]

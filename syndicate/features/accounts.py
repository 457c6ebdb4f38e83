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

Everything is vectorised polars over integer account and target codes; numpy only for the
creation-burst window counts (two binary searches over sorted creation times).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import polars as pl

from syndicate.config import LockstepConfig
from syndicate.features.exact import fixed_mean, fixed_sum

US_PER_S = 1_000_000
US_PER_DAY = 86_400 * US_PER_S
# A gap under a minute between two actions of one account is faster than people browse a
# feed and act on what they see, but exactly what a bot working a job queue does.
RAPID_GAP_S = 60
# A target touched by at most this many accounts is "rare": a private order, a niche video or
# a farm's client. Ordinary users spread over popular targets.
RARE_TARGET_ACCOUNTS = 3
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
    return kept[:max_actions]


def _action_column_name(action: str) -> str:
    return "action_" + (re.sub(r"[^0-9a-zA-Z]+", "_", action).strip("_").lower() or "blank")


def creation_burst(created_at: pl.Series, *, window_hours: int = CREATION_WINDOW_HOURS) -> np.ndarray:
    """For each account, how many OTHER accounts were created within ±``window_hours``."""
    t = created_at.dt.epoch("us").to_numpy()
    ordered = np.sort(t)
    w = window_hours * 3_600 * US_PER_S
    return (np.searchsorted(ordered, t + w, side="right") - np.searchsorted(ordered, t - w, side="left") - 1)


def account_behaviour_features(
    events: pl.DataFrame, accounts: pl.DataFrame, *, now: datetime,
    max_actions: int = MAX_ACTIONS, burst_window_s: int = BURST_WINDOW_S,
) -> pl.DataFrame:
    """Behaviour features of every account with at least one event.

    Parameters
    ----------
    events : DataFrame
        ``account_id, action, target_id, ts`` (validated; every account is in ``accounts``).
    accounts : DataFrame
        ``account_id, created_at``.
    now : datetime
        Reference time for ages (:func:`syndicate.features.clusters.reference_time`).
    max_actions : int
        How many of the most frequent actions get their own share column.

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
    actions = action_columns(events, max_actions=max_actions)
    names = [_action_column_name(a) for a in actions]

    ids = accounts.select("account_id", "created_at").sort("account_id").with_row_index("acc")
    burst = pl.Series("creation_burst", creation_burst(ids["created_at"]), dtype=pl.Float64)
    ids = ids.with_columns(burst, pl.col("acc").cast(pl.Int64))
    ev = _encoded_events(events, ids)
    n_targets = max(int(ev["tgt"].max()) + 1, 1) if ev.height else 1

    # Timing: one sort of packed (account, time) keys (a single int64 sort is ~6x faster
    # than sorting by two columns), then gaps between neighbours of the same account.
    t_min = int(ev["t"].min()) if ev.height else 0
    acc_bits = max(int(ids.height).bit_length(), 1)
    span = (int(ev["t"].max()) - t_min + 1) if ev.height else 1
    # Time resolution: microseconds when they fit in the bits left, coarser otherwise
    # (1M accounts leave 43 bits: 101 days in microseconds, millennia in seconds).
    unit = max(1, -(-span // (1 << (62 - acc_bits))))
    shift = 1 << (62 - acc_bits)
    by_account = (
        ev.lazy()
        .select((pl.col("acc") * shift + (pl.col("t") - t_min) // unit).alias("k"), "tgt")
        .sort("k")
        .select((pl.col("k") // shift).alias("acc"), ((pl.col("k") % shift) * unit + t_min).alias("t"),
                "tgt")
        .collect()
    )
    timing = (
        by_account.lazy()
        .with_columns(
            pl.when(pl.col("acc") == pl.col("acc").shift(1))
            .then((pl.col("t") - pl.col("t").shift(1)) / US_PER_S).alias("gap")
        )
        # Fixed-point sums (syndicate.features.exact) give the same bits on every run.
        .with_columns(fixed_mean(pl.col("gap")).over("acc").alias("_gap_mean"))
        .group_by("acc")
        .agg(
            pl.len().alias("n_events"),
            pl.col("t").min().alias("t_first"),
            (pl.col("t") // US_PER_DAY).n_unique().alias("n_active_days"),
            # CV² as the mean squared relative deviation (0 exactly for a metronome); the
            # deviation is clipped at 1000x the mean so the fixed-point sum cannot overflow.
            fixed_mean(((pl.col("gap") - pl.col("_gap_mean")) / pl.col("_gap_mean")).clip(-1e3, 1e3) ** 2,
                       scale=2.0**20).alias("_gap_cv2"),
            pl.col("gap").median().alias("median_gap_s"),
            (pl.col("gap") < RAPID_GAP_S).mean().alias("rapid_gap_share"),
        )
    )
    # Hour-of-day profile from packed (account, hour) keys.
    hours = (
        ev.lazy().select((pl.col("acc") * 24 + (pl.col("t") // (3_600 * US_PER_S)) % 24).alias("k"))
        .group_by("k").agg(pl.len().alias("c"))
        .select((pl.col("k") // 24).alias("acc"), pl.col("c"))
        .with_columns((pl.col("c") / pl.col("c").sum().over("acc")).alias("p"))
        .group_by("acc")
        .agg(
            (-fixed_sum(pl.col("p") * pl.col("p").log()) / np.log(24)).alias("hour_entropy"),
            pl.col("p").max().alias("peak_hour_share"),
        )
    )
    # Action mix.
    mix = (
        ev.lazy().group_by("acc")
        .agg(*[(pl.col("action") == a).mean().alias(n) for a, n in zip(actions, names)])
    )
    # Targets: popularity = distinct accounts per target; per (account, target) event counts.
    pairs = (
        ev.lazy().select((pl.col("acc") * n_targets + pl.col("tgt")).alias("k"))
        .group_by("k").agg(pl.len().alias("c"))
        .select((pl.col("k") // n_targets).alias("acc"), (pl.col("k") % n_targets).alias("tgt"), "c")
        .collect()
    )
    popularity = pairs.lazy().group_by("tgt").agg(pl.len().alias("pop"))
    target_feats = (
        pairs.lazy().join(popularity, on="tgt")
        .group_by("acc")
        .agg(
            pl.col("c").max().alias("_top"),
            pl.len().alias("_distinct"),
            fixed_sum(pl.col("pop").cast(pl.Float64).log1p() * pl.col("c")).alias("_pop_sum"),
            (pl.col("c") * (pl.col("pop") <= RARE_TARGET_ACCOUNTS)).sum().alias("_rare"),
        )
    )

    # Bursts: one stable sort of packed (target, time) keys; an event is in a burst when the event
    # before or after it on the same target is another account's and within the window.
    tgt_bits = max(n_targets.bit_length(), 1)
    tshift = 1 << (62 - tgt_bits)
    tunit = max(1, -(-span // tshift))
    window = burst_window_s * US_PER_S
    same_target_near = (
        (pl.col("tk") // tshift == pl.col("tk").shift(1) // tshift)
        & (pl.col("tt") - pl.col("tt").shift(1) <= window)
        & (pl.col("acc") != pl.col("acc").shift(1))
    ).fill_null(False)
    bursts = (
        by_account.lazy()
        .select((pl.col("tgt") * tshift + (pl.col("t") - t_min) // tunit).alias("tk"), "acc")
        # Stable sort of account-ordered rows: ties on (target, time) stay in account order,
        # so the result does not depend on the input's row order.
        .sort("tk", maintain_order=True)
        .with_columns(((pl.col("tk") % tshift) * tunit).alias("tt"))
        .with_columns((same_target_near | same_target_near.shift(-1).fill_null(False)).alias("b"))
        .group_by("acc")
        .agg(pl.col("b").mean().alias("burst_share"))
    )

    action_cols = [pl.col(n).cast(pl.Float64) for n in names]
    other = ((1.0 - pl.sum_horizontal(action_cols)) if action_cols else pl.lit(1.0)).clip(0.0, 1.0)
    other = other.cast(pl.Float64).alias("action_other")
    now_us = pl.lit(now).cast(pl.Datetime("us")).dt.epoch("us")
    n = pl.col("n_events").cast(pl.Float64)
    frame = (
        timing.join(hours, on="acc").join(mix, on="acc").join(target_feats, on="acc")
        .join(bursts, on="acc")
        .join(ids.lazy().select("acc", "account_id", "created_at", "creation_burst"), on="acc")
        .select(
            "account_id",
            n.alias("n_events"),
            pl.col("n_active_days").cast(pl.Float64),
            (n / pl.col("n_active_days")).alias("events_per_active_day"),
            pl.col("_gap_cv2").sqrt().fill_nan(NO_GAP_CV).fill_null(NO_GAP_CV).alias("gap_cv"),
            # No gap: the account's whole age stands in (it has acted once in that long).
            pl.col("median_gap_s").fill_null(
                ((now_us - pl.col("created_at").dt.epoch("us")) / US_PER_S).clip(lower_bound=0)
            ).cast(pl.Float64),
            pl.col("rapid_gap_share").fill_null(0.0).cast(pl.Float64),
            pl.col("hour_entropy").cast(pl.Float64).clip(0.0, 1.0),
            pl.col("peak_hour_share").cast(pl.Float64),
            ((pl.col("t_first") - pl.col("created_at").dt.epoch("us")) / US_PER_DAY)
            .clip(lower_bound=0).alias("first_event_delay_days"),
            (pl.col("_top") / n).alias("top_target_share"),
            (pl.col("_distinct") / n).alias("distinct_target_ratio"),
            (pl.col("_pop_sum") / n).alias("mean_log_target_popularity"),
            (pl.col("_rare") / n).alias("rare_target_share"),
            pl.col("burst_share").cast(pl.Float64),
            ((now_us - pl.col("created_at").dt.epoch("us")) / US_PER_DAY)
            .clip(lower_bound=0).alias("age_days"),
            pl.col("creation_burst"),
            *action_cols,
        )
        .with_columns(other)
        .sort("account_id")
        .collect()
    )
    return frame


def _encoded_events(events: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    """Events as integer codes ``acc`` (row in ``ids``), ``tgt`` (dense), ``t`` (µs), ``action``.

    Joining 20M string ids costs seconds; joining their 64-bit hashes costs a fraction of
    that. Hashes are used only when they are collision-free over the keys being coded (a
    collision among a million ids has odds of about 1 in 30 million); otherwise strings.
    """
    acc_hash = ids.select(pl.col("account_id").hash().alias("_h"), "acc")
    if acc_hash["_h"].n_unique() == acc_hash.height:
        acc_key, acc_table = pl.col("account_id").hash().alias("_h"), acc_hash
    else:
        acc_key, acc_table = pl.col("account_id").alias("_h"), ids.select(pl.col("account_id").alias("_h"), "acc")
    ev = events.lazy().select(acc_key, pl.col("target_id").hash().alias("_th"), "target_id", "ts", "action")
    targets = events.select(pl.col("target_id").unique())
    target_hash = targets.select(pl.col("target_id").hash().alias("_th"))
    if target_hash["_th"].n_unique() == targets.height:
        target_table = target_hash.sort("_th").with_row_index("tgt")
        ev = ev.join(target_table.lazy(), on="_th")
    else:
        target_table = targets.sort("target_id").with_row_index("tgt")
        ev = ev.join(target_table.lazy(), on="target_id")
    return (
        ev.join(acc_table.lazy(), on="_h")
        .select(
            "acc",
            pl.col("tgt").cast(pl.Int64),
            pl.col("ts").dt.epoch("us").alias("t"),
            "action",
        )
        .collect()
    )


__all__ = ["account_behaviour_features", "action_columns", "creation_burst", "FEATURE_NAMES_FIXED"]

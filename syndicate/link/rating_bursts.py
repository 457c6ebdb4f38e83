"""Ratings against the crowd: a burst of low ratings on a target its other raters rate well
(a review attack on a competitor, "review bombing").

An attack campaign puts three to a few dozen accounts on one popular, well-rated target
within days, each giving it one or two stars, and most of them never review anything else:
they meet once, so the review-ring detector (``link/rare_coaction.py``), which asks for
meetings again and again, cannot see them, and a popular target's reviews are no burst of
its volume. What gives them away is *against whom* they rate: in that week most of the
target's raters sit at the low end of the scale while its other raters, before and after,
rate it at or above the middle. Review-spam research reads exactly this (rating deviation in a
burst: Fei et al., "Exploiting burstiness in reviews for review spammer detection", ICWSM
2013; Mukherjee et al., "Spotting fake reviewer groups", WWW 2012), and review platforms put
"unusual activity" alerts on such weeks.

1. **Scale.** Ratings are read as the other stages read them (an events ``rating`` column, or
   actions named with the rating, :mod:`syndicate.features.ratings`) and put on [0, 1] by the
   data's lowest and highest rating; the low end is the bottom quarter (1-2 of 5 stars, 1-3
   of 10).
2. **Cells.** One target within ``window_days`` (two phases half a window apart, as the
   review-ring detector cuts time). A cell counts when ``min_accounts`` to ``max_accounts``
   accounts rate at the low end in it; they are at least three quarters of the cell's raters
   (:data:`MIN_CELL_SHARE`); the target's other ratings (outside the cell: at least
   ``min_others``) average at or above the middle of the scale; and so many low ratings are
   unlikely from the others' own share of them: a binomial tail ``P(X >= k | m, p) <= max_p``
   for ``k`` low raters among the cell's ``m`` raters, ``p`` the others' low share (plus one
   half, so that a target nobody ever rated low is not infinitely surprised).
3. **Links.** Every pair of accounts of a counted cell that no other source ties to someone
   outside the cells' raters already (:func:`unbound_members`) gets ``strength`` (the test is
   the evidence, as a rare co-action group's is) and the number of distinct targets it met on
   so.

Measured against the planted truth on the 15 rated datasets of nine marketplaces built four
ways (two seeds each; ours and the fifth gave no cell): 191 of the 200 cells these rules count
were a bad group's. A bad week of a restaurant brings a few angry raters among the usual ones
(a half to two thirds of a week's raters on the fourth, sixth and seventh marketplaces, where
such weeks were benign: hence three quarters); a crowd of more than ``max_accounts`` in one
week is a public reaction, not a campaign. The other direction, a burst of high ratings on a
poorly rated target, is left out: honest bursts look the same (a viral moment's fans giving a
bad app five stars, giveaways) and were 13 of the 30 such cells.

Both engines compute the cells' figures (:func:`cell_figures`; on Spark the same integer
aggregates, and only the cells with ``min_accounts`` or more low raters and those raters come
to the driver) and finish with the same :func:`links_of_cells`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import binom

from syndicate.features.ratings import action_ratings, rating_column

# The bottom quarter of the scale is its low end (see the module docstring).
LOW_END = 0.25
# Low raters must be at least this share of a cell's raters (module docstring).
MIN_CELL_SHARE = 0.75
_US_PER_DAY = 86_400_000_000
# Ratings as fixed-point integers (as features/ratings.py sums them): integer sums are exact in
# any row order, so whether the others average at or above the middle never depends on it.
SCALE = 2**20
_KEY = ["target", "phase", "cell"]
# Columns of the cells' figures (one row per target, phase and cell).
CELL_COLUMNS = {"target": pl.String, "phase": pl.Int8, "cell": pl.Int64, "k": pl.Int64, "m": pl.Int64,
                "others": pl.Int64, "others_sum": pl.Int64, "others_low": pl.Int64}
# Columns of the cells' low raters (one row per target, phase, cell and account).
CELL_ACCOUNT_COLUMNS = {"target": pl.String, "phase": pl.Int8, "cell": pl.Int64, "account_id": pl.String}


@dataclass(frozen=True)
class RatingBurstSettings:
    window_days: float
    min_accounts: int
    max_accounts: int
    min_others: int
    max_p: float
    strength: float


def settings_of(config) -> RatingBurstSettings:
    """The detector's settings from the run's ``[lockstep]`` section."""
    c = config.lockstep
    return RatingBurstSettings(window_days=c.rating_burst_window_days, min_accounts=c.rating_burst_min_accounts,
                               max_accounts=c.rating_burst_max_accounts, min_others=c.rating_burst_min_others,
                               max_p=c.rating_burst_max_p, strength=c.rating_burst_strength)


def rated_events(events: pl.DataFrame) -> pl.LazyFrame | None:
    """``account_id, target_id, ts, q`` of the rated events (``q`` the rating on [0, 1]; null,
    NaN and infinite ratings are no rating), or None when no event carries a rating or every
    rating is the same value."""
    rating = rating_column(events)
    lazy = events.lazy()
    if rating is None:
        actions = events["action"].unique().sort()
        values = action_ratings(actions.to_list())
        if values is None:
            return None
        lazy = lazy.join(pl.LazyFrame({"action": actions, "_r": values}).filter(pl.col("_r").is_not_nan()),
                         on="action", how="inner")
        rating = pl.col("_r")
    lazy = lazy.select("account_id", "target_id", "ts", rating.alias("_r")).filter(pl.col("_r").is_finite())
    low, high = lazy.select(pl.col("_r").min().alias("low"), pl.col("_r").max().alias("high")).collect().row(0)
    if low is None or high == low:
        return None
    return lazy.select("account_id", "target_id", "ts", ((pl.col("_r") - low) / (high - low)).alias("q"))


def cell_figures(rated: pl.LazyFrame, settings: RatingBurstSettings) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The figures of every cell with ``min_accounts`` or more low raters
    (:data:`CELL_COLUMNS`), and its low raters (:data:`CELL_ACCOUNT_COLUMNS`)."""
    width = int(settings.window_days * _US_PER_DAY)
    # Made once (the rated events: all of a review site's, a marketplace's few), then read by
    # every aggregate below.
    rated = rated.select(pl.col("target_id").cast(pl.String).alias("target"), "account_id",
                         (pl.col("q") * SCALE).round().cast(pl.Int64).alias("q"),
                         (pl.col("q") <= LOW_END).alias("low"), pl.col("ts").dt.epoch("us").alias("_us")
                         ).collect().lazy()
    targets = rated.group_by("target").agg(pl.len().alias("n"), pl.col("q").sum().alias("q_sum"),
                                           pl.col("low").sum().alias("n_low"))
    figures, accounts = [], []
    for phase in (0, 1):
        cells = rated.with_columns(((pl.col("_us") + phase * (width // 2)) // width).alias("cell"),
                                   pl.lit(phase, dtype=pl.Int8).alias("phase"))
        totals = cells.group_by(_KEY).agg(pl.len().alias("rows"), pl.col("account_id").n_unique().alias("m"),
                                          pl.col("q").sum().alias("cell_sum"))
        low = cells.filter(pl.col("low"))
        per_cell = (low.group_by(_KEY).agg(pl.col("account_id").n_unique().alias("k"), pl.len().alias("low_rows"))
                    .filter(pl.col("k") >= settings.min_accounts))
        figures.append(per_cell.join(totals, on=_KEY).join(targets, on="target").select(
            *_KEY, "k", "m", (pl.col("n") - pl.col("rows")).alias("others"),
            (pl.col("q_sum") - pl.col("cell_sum")).alias("others_sum"),
            (pl.col("n_low") - pl.col("low_rows")).alias("others_low")))
        accounts.append(low.join(per_cell.select(_KEY), on=_KEY, how="semi").select(*_KEY, "account_id").unique())
    return pl.concat(figures).collect().cast(CELL_COLUMNS), pl.concat(accounts).collect().cast(CELL_ACCOUNT_COLUMNS)


def counted_cells(figures: pl.DataFrame, settings: RatingBurstSettings) -> pl.DataFrame:
    """The cells of :func:`cell_figures` that count (module docstring, step 2), with the
    binomial tail ``p``, sorted."""
    against = figures.filter(pl.col("k").is_between(settings.min_accounts, settings.max_accounts)
                             & (pl.col("k") >= MIN_CELL_SHARE * pl.col("m"))
                             & (pl.col("others") >= settings.min_others)
                             & (2 * pl.col("others_sum") >= SCALE * pl.col("others")))
    share = ((against["others_low"].cast(pl.Float64).clip(0) + 0.5) / (against["others"] + 1)).to_numpy()
    tail = binom.sf(against["k"].to_numpy() - 1, against["m"].to_numpy(), share)
    return against.with_columns(pl.Series("p", tail, dtype=pl.Float64)).filter(pl.col("p") <= settings.max_p).sort(_KEY)


def cell_members(cells: pl.DataFrame, accounts: pl.DataFrame) -> pl.DataFrame:
    """``target, phase, cell, account`` of the accounts in a counted cell (``accounts``: the
    same with ``account`` codes), once each, sorted."""
    return accounts.join(cells.select(_KEY), on=_KEY, how="semi").select(*_KEY, "account").unique().sort(*_KEY, "account")


def unbound_members(members: pl.DataFrame,
                    ties: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None) -> pl.DataFrame:
    """``members`` (:func:`cell_members`) with ``_bound``: whether another source's link (of
    at least the clustering bar, places included) ties the account to someone who rated no
    counted cell down (``ties(codes)`` gives the ends of such links touching the codes, asked
    once for every member; None: no links). A burst links only accounts nothing else ties elsewhere: a
    ring's members found by their devices, IPs or meetings stay where those put them, and one
    week of ratings never joins two groups that other evidence keeps apart (on the seventh
    marketplace, a review ring and a refund ring that both rated a restaurant down in one week
    became one cluster of 164 with 27 households through their members' IPs; on the sixth, two
    botnets working from their victims' home IPs became one). Two attackers on one device, or
    a botnet's accounts on its IPs that rated several targets down, are tied among the raters,
    not elsewhere, and keep their burst links (read per cell instead — a tie to a rater of
    another cell holds an account back — the sixth's botnet kept a fifth of its burst evidence
    and the unlabelled account AP fell 0.899 -> 0.883)."""
    if ties is None or not members.height:
        return members.with_columns(pl.lit(False).alias("_bound"))
    a, b = ties(np.unique(members["account"].to_numpy()))
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    links = pl.DataFrame({"account": np.concatenate([a, b]), "partner": np.concatenate([b, a])})
    raters = members.select(pl.col("account").alias("partner")).unique()
    outside = (links.join(raters, on="partner", how="anti").select("account").unique()
               .with_columns(pl.lit(True).alias("_bound")))
    return (members.join(outside, on="account", how="left")
            .with_columns(pl.col("_bound").fill_null(False)).sort(*_KEY, "account"))


def cell_pairs(members: pl.DataFrame, strength: float) -> pl.DataFrame:
    """``account_a < account_b`` (codes, UInt32) of every pair of :func:`cell_members` that met
    in one cell, with ``rating_burst`` evidence and ``rating_burst_targets``, the distinct
    targets the pair met on so."""
    pairs = (members.join(members, on=_KEY, suffix="_b")
             .filter(pl.col("account") < pl.col("account_b"))
             .group_by(pl.col("account").alias("account_a"), pl.col("account_b"))
             .agg(pl.col("target").n_unique().cast(pl.UInt32).alias("rating_burst_targets")))
    return pairs.select(pl.col("account_a").cast(pl.UInt32), pl.col("account_b").cast(pl.UInt32),
                        pl.lit(strength, dtype=pl.Float32).alias("rating_burst"),
                        "rating_burst_targets").sort("account_a", "account_b")


def rating_burst_links(events: pl.DataFrame, index, config, *,
                       ties: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
                       ) -> tuple[pl.DataFrame | None, dict]:
    """Links between accounts that rated a target down against its crowd in one burst (module
    docstring) as an edge table on account codes, or None; and what was counted (``cells``:
    the counted cells of both phases, a burst inside one week in both). ``ties`` gives the
    ends of other sources' links touching some account codes (:func:`unbound_members`)."""
    settings = settings_of(config)
    rated = rated_events(events)
    if rated is None:
        return None, {"rated_events": 0}
    return links_of_cells(*cell_figures(rated, settings), index, settings, ties=ties)


def links_of_cells(figures: pl.DataFrame, accounts: pl.DataFrame, index, settings: RatingBurstSettings, *,
                   ties: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
                   ) -> tuple[pl.DataFrame | None, dict]:
    """:func:`rating_burst_links` from the cells' figures and low raters (:func:`cell_figures`,
    or the Spark engine's): both engines finish here."""
    cells = counted_cells(figures, settings)
    info = {"cells": cells.height, "crowds_left_out": int((figures["k"] > settings.max_accounts).sum())}
    if not cells.height:
        return None, info
    accounts = accounts.with_columns(pl.Series("account", index.codes(accounts["account_id"]), dtype=pl.Int64))
    members = unbound_members(cell_members(cells, accounts), ties)
    info["accounts"] = int(members["account"].n_unique())
    info["accounts_tied_elsewhere"] = int(members.filter(pl.col("_bound"))["account"].n_unique())
    pairs = cell_pairs(members.filter(~pl.col("_bound")), settings.strength)
    info["pairs"] = pairs.height
    return (pairs if pairs.height else None), info


__all__ = ["CELL_ACCOUNT_COLUMNS", "CELL_COLUMNS", "LOW_END", "SCALE", "MIN_CELL_SHARE", "RatingBurstSettings", "cell_figures", "cell_members",
           "cell_pairs", "counted_cells", "links_of_cells", "rated_events", "rating_burst_links", "settings_of",
           "unbound_members"]

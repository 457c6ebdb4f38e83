"""Ratings carried by events, and how extreme and how far from consensus an account rates.

Review sites put a star rating on each review. The contract has no rating column, so it is
found where datasets put it: an extra column of ``events`` named ``rating``, ``stars``,
``star_rating`` or ``overall`` (numeric, or numbers as text), or actions
named with the rating as a suffix (``review_1`` … ``review_5``, ``stars:4``). A suffix counts
as a rating only when one stem carries at least two different small integers, so
``post_2024`` alone is not read as a rating.

Per account (review-spam research, e.g. SpEagle, lists these signals): the share of its
ratings at either end of the scale, its mean rating on a [0, 1] scale, and its mean distance
from each target's mean rating. Sums are exact integer sums of fixed-point values, so the
result does not depend on row order.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl

RATING_COLUMN = "rating"
# Where datasets put a star rating, first found first: ``rating`` (the name syndicate writes),
# ``stars`` (the Yelp Open Dataset's reviews, the name two of our independently written test
# marketplaces chose), ``star_rating`` (Amazon Customer Reviews) and ``overall`` (the McAuley
# Amazon review sets). A column under any of them is read as the rating; none is renamed.
RATING_COLUMNS = (RATING_COLUMN, "stars", "star_rating", "overall")
_SUFFIX = re.compile(r"^(?P<stem>.*?[A-Za-z].*?)[\s_:\-/]*(?P<value>[0-9]{1,2})$")
# Rating scales in the wild run 1–5 or 1–10 (0–10 for NPS-like scores).
_MAX_RATING = 10
_SCALE = float(2**20)

RATING_FEATURES = ("extreme_rating_share", "mean_rating", "rating_deviation")


def rating_source(columns: list[str]) -> str | None:
    """The column of the events that holds ratings (the first of :data:`RATING_COLUMNS` among
    ``columns``), or None."""
    return next((c for c in RATING_COLUMNS if c in columns), None)


def rating_column(events: pl.DataFrame) -> pl.Expr | None:
    """The rating column of ``events`` (:func:`rating_source`) as a float expression (null where an event carries
    no rating), when there is one a rating can be read from.

    Numbers and booleans are read as they are, text and categories (a pandas ``category``
    column of "1" ... "5") by their text; null, NaN, infinite and unreadable values are no
    rating (an infinite one would stretch the scale and flatten every other rating). A column
    of another type (lists, structs, dates) holds no rating: it is ignored, as extra columns are.
    """
    source = rating_source(events.columns)
    if source is None:
        return None
    dtype = events.schema[source]
    column = pl.col(source)
    if dtype.is_numeric() or dtype == pl.Boolean:
        value = column.cast(pl.Float64, strict=False)
    elif dtype in (pl.String, pl.Categorical) or isinstance(dtype, (pl.Categorical, pl.Enum)):
        value = column.cast(pl.String).cast(pl.Float64, strict=False)
    else:
        return None
    return pl.when(value.is_finite()).then(value)


def action_ratings(actions: list[str]) -> np.ndarray | None:
    """Rating of each action name (NaN when it carries none), or None when no action does."""
    parsed = [_SUFFIX.match(a) for a in actions]
    values_by_stem: dict[str, set[int]] = {}
    for m in parsed:
        if m and int(m["value"]) <= _MAX_RATING:
            values_by_stem.setdefault(m["stem"].lower(), set()).add(int(m["value"]))
    stems = {s for s, v in values_by_stem.items() if len(v) >= 2}
    if not stems:
        return None
    return np.array([float(m["value"]) if m and m["stem"].lower() in stems and int(m["value"]) <= _MAX_RATING
                     else np.nan for m in parsed])


def rating_features(acc: np.ndarray, tgt: np.ndarray, rating: np.ndarray | None, *,
                    n_accounts: int, n_targets: int) -> dict[str, np.ndarray]:
    """Per-account rating features (arrays of length ``n_accounts``, NaN where undefined).

    ``rating`` is row-aligned with the account codes ``acc`` and target codes ``tgt`` (NaN
    for events without a rating). Without ratings, or when every rating is the same value
    (no scale), every feature is NaN.
    """
    empty = {name: np.full(n_accounts, np.nan) for name in RATING_FEATURES}
    if rating is None:
        return empty
    valid = ~np.isnan(rating)
    if not valid.any():
        return empty
    r, a, g = (rating, acc, tgt) if valid.all() else (rating[valid], acc[valid], tgt[valid])
    low, high = float(r.min()), float(r.max())
    if high == low:
        return empty
    # Fixed-point integers: float sums of integers below 2**53 are exact in any order.
    q = np.round((r - low) / (high - low) * _SCALE)
    rated = np.bincount(a, minlength=n_accounts).astype(np.float64)
    extreme = np.bincount(a, weights=((r == low) | (r == high)).astype(np.float64), minlength=n_accounts)
    q_sum = np.bincount(a, weights=q, minlength=n_accounts)
    target_mean = np.bincount(g, weights=q, minlength=n_targets) / np.maximum(
        np.bincount(g, minlength=n_targets), 1)
    deviation = np.round(np.abs(q - target_mean[g]))
    dev_sum = np.bincount(a, weights=deviation, minlength=n_accounts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "extreme_rating_share": extreme / rated,
            "mean_rating": q_sum / _SCALE / rated,
            "rating_deviation": dev_sum / _SCALE / rated,
        }


__all__ = ["RATING_COLUMN", "RATING_COLUMNS", "RATING_FEATURES", "action_ratings", "rating_column", "rating_features",
           "rating_source"]

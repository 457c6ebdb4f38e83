"""Knobs of the synthetic marketplace generator and of the review-site scenario.

Rates of structures are given per 10,000 accounts so that a marketplace of any size has the
same mix; sizes are inclusive ``(low, high)`` ranges. Shares are fractions in [0, 1].
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

_RANGE_FIELDS_MIN = {
    "household_size": 2,
    "agency_size": 2,
    "office_nat_size": 2,
    "carrier_nat_size": 2,
    "mega_nat_size": 2,
    "viral_size": 1,
    "matrix_ring_size": 2,
    "evasive_ring_size": 2,
    "engagement_farm_size": 2,
    "farm_jobs": 1,
    "sparse_farm_size": 2,
    "sparse_farm_jobs": 1,
    "review_ring_size": 2,
    "spam_ring_size": 2,
    "honest_burst_size": 1,
}
_CHOICE_FIELDS = {"action_vocabulary": ("default", "alt")}
_INT_FIELDS_MIN = {"min_groups_per_bad_kind": 0, "max_reviews_per_account": 1}
_ABOVE_ONE_FIELDS = {"reviews_per_account_exponent"}  # numpy's zipf needs a > 1


_ONE_MICROSECOND = datetime(1970, 1, 1, microsecond=1) - datetime(1970, 1, 1)


class _Settings:
    """What the generators' settings share: time, validation, round trip through a dict."""

    @property
    def reference_us(self) -> int:
        """The reference time as microseconds since the Unix epoch (UTC)."""
        ref = self.reference_time
        if ref.tzinfo is not None:
            ref = ref.astimezone(timezone.utc).replace(tzinfo=None)
        return (ref - datetime(1970, 1, 1)) // _ONE_MICROSECOND

    def to_dict(self) -> dict[str, Any]:
        """Plain values (ranges as lists) for TOML/JSON; inverse of :meth:`from_dict`."""
        out = dataclasses.asdict(self)
        for name in _RANGE_FIELDS_MIN.keys() & out.keys():
            out[name] = list(out[name])
        return out

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Any:
        """Build a config from plain values; unknown keys are an error that names them."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"Unknown {cls.__name__} key(s) {unknown}. Allowed keys: {sorted(known)}."
            )
        converted = dict(values)
        for name in _RANGE_FIELDS_MIN:
            if name in converted and isinstance(converted[name], list):
                converted[name] = tuple(converted[name])
        return cls(**converted)


def _check(settings: Any) -> None:
    """Raise ValueError listing every field of ``settings`` with a value out of its range."""
    name = type(settings).__name__
    problems: list[str] = []
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if field.name == "reference_time":
            if not isinstance(value, datetime):
                problems.append(f"'reference_time' must be a datetime. Got {value!r} instead.")
        elif field.name in _CHOICE_FIELDS:
            if value not in _CHOICE_FIELDS[field.name]:
                allowed = ", ".join(repr(v) for v in _CHOICE_FIELDS[field.name])
                problems.append(f"'{field.name}' must be one of {allowed}. Got {value!r} instead.")
        elif field.name in _RANGE_FIELDS_MIN:
            low_allowed = _RANGE_FIELDS_MIN[field.name]
            ok = (
                isinstance(value, tuple)
                and len(value) == 2
                and all(isinstance(v, int) for v in value)
                and low_allowed <= value[0] <= value[1]
            )
            if not ok:
                problems.append(
                    f"'{field.name}' must be a pair of ints (low, high) with "
                    f"{low_allowed} <= low <= high. Got {value!r} instead."
                )
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"'{field.name}' must be a number. Got {value!r} instead.")
        elif field.name.endswith("_share"):
            if not 0.0 <= value <= 1.0:
                problems.append(f"'{field.name}' must be in [0, 1]. Got {value!r} instead.")
        elif field.name in _INT_FIELDS_MIN:
            if not isinstance(value, int) or value < _INT_FIELDS_MIN[field.name]:
                problems.append(
                    f"'{field.name}' must be an int >= {_INT_FIELDS_MIN[field.name]}. Got {value!r} instead."
                )
        elif field.name in _ABOVE_ONE_FIELDS:
            if not value > 1.0:
                problems.append(f"'{field.name}' must be > 1. Got {value!r} instead.")
        elif not value >= 0:
            problems.append(f"'{field.name}' must be >= 0. Got {value!r} instead.")
    if problems:
        raise ValueError(f"Invalid {name}: " + " ".join(problems))
    if settings.event_window_days <= 0 or settings.history_days < settings.event_window_days:
        raise ValueError(
            f"Invalid {name}: 'event_window_days' must be > 0 and <= 'history_days'. "
            f"Got {settings.event_window_days!r} and {settings.history_days!r} instead."
        )


@dataclass(frozen=True)
class GeneratorConfig(_Settings):
    """Settings of :func:`syndicate.synthetic.generate_marketplace`.

    The defaults give, at 20,000 accounts, about 32 planted bad groups (10 matrix rings,
    5 evasive rings, 3 engagement farms, 8 sparse farms, 6 review rings) among about 700
    households, 6 creator agencies, 20 office NATs, 3 carrier NATs and 2 viral moments.

    ``action_vocabulary`` names the actions: ``"default"`` (like, follow, comment, order,
    review_1 .. review_5, post, upvote, add_to_cart) or ``"alt"`` (the same behaviour under
    names that share nothing with the default ones: heart, subscribe, reply, purchase,
    stars_1 .. stars_5, upload, boost, wishlist).

    Examples
    --------
    >>> cfg = GeneratorConfig(engagement_farms_per_10k=3.0)
    >>> GeneratorConfig.from_dict(cfg.to_dict()) == cfg
    True
    """

    # Time: naive datetimes are UTC. Accounts are created over `history_days` before the
    # reference time; events fall in the last `event_window_days`.
    reference_time: datetime = datetime(2026, 10, 1)
    history_days: float = 3 * 365.0
    event_window_days: float = 30.0

    # Organic behaviour and identifiers.
    events_per_account: float = 20.0
    dormant_share: float = 0.15
    no_signal_share: float = 0.07
    target_universe_ratio: float = 1.0
    target_zipf_exponent: float = 1.0

    # Benign confounders.
    households_per_10k: float = 350.0
    household_size: tuple[int, int] = (2, 5)
    agencies_per_10k: float = 3.0
    agency_size: tuple[int, int] = (15, 60)
    office_nats_per_10k: float = 10.0
    office_nat_size: tuple[int, int] = (50, 180)
    carrier_nats_per_10k: float = 1.5
    carrier_nat_size: tuple[int, int] = (300, 5000)
    mega_nats_per_10k: float = 0.05
    mega_nat_size: tuple[int, int] = (10_000, 50_000)
    viral_moments_per_10k: float = 1.0
    viral_size: tuple[int, int] = (300, 6000)
    max_nat_share: float = 0.15
    # Accounts whose phone SDK reports the all-zero advertising id (90%) or a device id it
    # could not read as "unknown" (10%), beside their real device: placeholders the contract
    # leaves out. 0.2% is 40 accounts at 20k, within the device floor's reach (floor_up_to,
    # 50): read as a device, they would be one cluster of strangers.
    placeholder_share: float = 0.002

    # Planted syndicates.
    matrix_rings_per_10k: float = 5.0
    matrix_ring_size: tuple[int, int] = (8, 80)
    evasive_rings_per_10k: float = 2.5
    evasive_ring_size: tuple[int, int] = (8, 40)
    engagement_farms_per_10k: float = 1.5
    engagement_farm_size: tuple[int, int] = (50, 400)
    farm_jobs: tuple[int, int] = (30, 150)
    sparse_farms_per_10k: float = 4.0
    sparse_farm_size: tuple[int, int] = (30, 300)
    sparse_farm_jobs: tuple[int, int] = (20, 60)
    review_rings_per_10k: float = 3.0
    review_ring_size: tuple[int, int] = (6, 40)
    min_groups_per_bad_kind: int = 1
    max_bad_share: float = 0.3

    # Labels (past enforcement).
    label_share: float = 0.05
    unlabelled_group_share: float = 0.3
    wrong_label_share: float = 0.02

    # Names of the actions in the events table.
    action_vocabulary: str = "default"

    def __post_init__(self) -> None:
        _check(self)


@dataclass(frozen=True)
class ReviewSiteConfig(_Settings):
    """Settings of :func:`syndicate.synthetic.generate_review_site`.

    The defaults give, at 20,000 reviewers, about 2,000 products, 80 spam rings (about
    1,300 members), 1,000 lone spammers and 10 honest bursts (about 1,200 reviewers); 60% of
    the honest reviewers write a single review.

    Examples
    --------
    >>> cfg = ReviewSiteConfig(spam_rings_per_10k=10.0)
    >>> ReviewSiteConfig.from_dict(cfg.to_dict()) == cfg
    True
    """

    # Time: accounts are created over `history_days` before the reference time; reviews fall
    # in the last `event_window_days`.
    reference_time: datetime = datetime(2026, 10, 1)
    history_days: float = 3 * 365.0
    event_window_days: float = 365.0

    # Honest reviewers and the products they review.
    products_per_account: float = 0.1
    product_zipf_exponent: float = 1.1
    reviews_per_account_exponent: float = 2.0  # P(k reviews) ~ k**-a: 61% write one review
    max_reviews_per_account: int = 300
    signup_to_review_share: float = 0.4  # one-review accounts created just to write it

    # Spam: coordinated rings and lone spammers.
    spam_rings_per_10k: float = 40.0
    spam_ring_size: tuple[int, int] = (5, 40)
    camouflage_share: float = 0.2  # ring members who also review popular products honestly
    lone_spammers_per_10k: float = 500.0

    # Honest bursts: many genuine reviews of one popular product within days (a launch, a
    # promotion, a scandal), with ratings pulled to one end.
    honest_bursts_per_10k: float = 5.0
    honest_burst_size: tuple[int, int] = (30, 300)
    negative_burst_share: float = 0.25

    # A labels table (random reviewers with their true label) when > 0; none by default.
    label_share: float = 0.0

    def __post_init__(self) -> None:
        _check(self)

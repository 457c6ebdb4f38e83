"""An events-only review site: reviewers, products and star ratings, with planted spam.

``generate_review_site(n_accounts, seed=..., config=...)`` returns ``accounts``
(``account_id, created_at``), ``events`` (``account_id, action, target_id, ts``: the action is
``review_1`` .. ``review_5``, the star rating; the target is a product) and ``truth``
(``account_id, group_id, group_kind, is_bad``); ``labels`` too when
``config.label_share > 0``. There are no signals: only what reviewers did.

- ``organic`` — honest reviewers. The number of reviews per account is heavy-tailed (more
  than half write one; some write hundreds); products are Zipf-popular; ratings are
  J-shaped and follow each product's quality. Many one-review accounts were created minutes
  to days before their review.
- ``honest_burst`` (benign) — genuine reviewers of one popular product within days of a
  launch, a promotion or a scandal, with ratings pulled to one end.
- ``spam_ring`` (bad) — 5–40 accounts created within weeks of their campaign; each writes
  one to four reviews on the ring's few products, in the same few days, with extreme ratings;
  some also review popular products honestly (camouflage).
- ``lone_spammer`` (bad, no group) — one to three extreme reviews within days of sign-up, on
  products of any popularity.

Examples
--------
>>> site = generate_review_site(2_000, seed=1)
>>> sorted(site)
['accounts', 'events', 'truth']
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.synthetic.behaviour import zipf_targets
from syndicate.synthetic.config import ReviewSiteConfig
from syndicate.synthetic.population import organic_created_at
from syndicate.synthetic.sampling import (
    DAY,
    HONEST_BURST,
    LONE_SPAMMER,
    MINUTE,
    ORGANIC,
    REVIEW_1,
    REVIEW_2,
    REVIEW_4,
    REVIEW_5,
    SPAM_RING,
    EventBlock,
    categorical,
    expand,
    hex_strings,
    loguniform_int,
    scaled_count,
    scrambled_ids,
)
from syndicate.synthetic.sparse import CAMPAIGN_US, ring_reviews
from syndicate.synthetic.syndicates import _groups
from syndicate.synthetic.tables import ACCOUNT_ID_HEX, TARGET_ID_HEX, events_frame, truth_frame

# Ratings (1..5 stars) of a satisfied and of a disappointed customer; a product of quality q
# satisfies a share q of its reviewers, so good products get J-shaped ratings.
_SATISFIED = (0.0, 0.0, 0.05, 0.35, 0.60)
_DISAPPOINTED = (0.45, 0.30, 0.25, 0.0, 0.0)
_BURST_RATINGS = {False: (0.02, 0.02, 0.06, 0.25, 0.65), True: (0.60, 0.20, 0.10, 0.05, 0.05)}
_SPAMMER_REVIEWS = (0.75, 0.17, 0.08)  # a lone spammer writes 1, 2 or 3 reviews
_LONE_ATTACK_SHARE = 0.25  # lone spammers paid to sink a product rather than lift one
_SPAM_SHARE_CAP = 0.5  # on tiny sites, spam and bursts take at most this share each


def generate_review_site(
    n_accounts: int, *, seed: int = 0, config: ReviewSiteConfig | None = None
) -> dict[str, pl.DataFrame]:
    """A synthetic review site with spam rings, lone spammers and honest bursts.

    Pure and deterministic: the same ``n_accounts``, ``seed`` and ``config`` give equal
    frames. Every account wrote at least one review.

    Parameters
    ----------
    n_accounts : number of reviewers (>= 1).
    seed : seed of the only random generator used (numpy ``default_rng``).
    config : ReviewSiteConfig, defaults to ``ReviewSiteConfig()``.

    Returns
    -------
    dict with ``accounts``, ``events``, ``truth`` and, when ``config.label_share > 0``,
    ``labels`` (a random share of the reviewers with their true label).
    """
    if isinstance(n_accounts, bool) or not isinstance(n_accounts, (int, np.integer)) or n_accounts < 1:
        raise ValueError(f"The 'n_accounts' parameter must be an int >= 1. Got {n_accounts!r} instead.")
    if config is None:
        config = ReviewSiteConfig()
    elif not isinstance(config, ReviewSiteConfig):
        raise TypeError(
            f"The 'config' parameter must be a ReviewSiteConfig. Got {type(config).__name__} instead."
        )
    n = int(n_accounts)
    rng = np.random.default_rng(seed)
    n_products = max(int(round(config.products_per_account * n)), 20)
    quality = rng.beta(5.0, 1.5, n_products)
    cap = int(_SPAM_SHARE_CAP * n)
    ring_sizes = loguniform_int(rng, *config.spam_ring_size, scaled_count(config.spam_rings_per_10k, n, rng))
    ring_sizes = ring_sizes[np.cumsum(ring_sizes) <= cap]
    n_lone = min(scaled_count(config.lone_spammers_per_10k, n, rng), cap - int(ring_sizes.sum()))
    n_bursts = scaled_count(config.honest_bursts_per_10k, n, rng)
    burst_sizes = loguniform_int(rng, *config.honest_burst_size, n_bursts)
    burst_sizes = burst_sizes[np.cumsum(burst_sizes) <= cap]

    # Accounts in blocks: ring members, lone spammers, burst reviewers, other honest reviewers.
    n_ring = int(ring_sizes.sum())
    kind = np.full(n, ORGANIC, dtype=np.int8)
    number = np.full(n, -1, dtype=np.int64)
    kind[:n_ring], number[:n_ring] = SPAM_RING, expand(ring_sizes)[0]
    kind[n_ring : n_ring + n_lone] = LONE_SPAMMER
    benign = np.arange(n_ring + n_lone, n)
    n_burst = int(burst_sizes.sum())
    kind[benign[:n_burst]], number[benign[:n_burst]] = HONEST_BURST, expand(burst_sizes)[0]

    created = np.zeros(n, dtype=np.int64)
    blocks = []
    created[:n_ring], ring_events = _spam_rings(rng, ring_sizes, n_products, quality, config)
    blocks += ring_events
    created[n_ring : n_ring + n_lone], lone_events = _lone_spammers(rng, n_ring, n_lone, n_products, config)
    blocks.append(lone_events)
    created[benign], honest_events = _honest_reviewers(rng, benign, burst_sizes, n_products, quality, config)
    blocks += honest_events
    return _tables(rng, created, kind, number, blocks, n_products, config)


def honest_ratings(rng: np.random.Generator, quality: np.ndarray) -> np.ndarray:
    """Review action codes (``REVIEW_1`` ..) of honest reviewers of products of ``quality``."""
    satisfied = rng.random(len(quality)) < quality
    stars = np.where(
        satisfied, categorical(rng, _SATISFIED, len(quality)), categorical(rng, _DISAPPOINTED, len(quality))
    )
    return (REVIEW_1 + stars).astype(np.int8)


def _window(config: ReviewSiteConfig) -> tuple[int, int]:
    end = config.reference_us
    return end - int(config.event_window_days * DAY), end


def _uniform_after(rng: np.random.Generator, start: np.ndarray, end_us: int) -> np.ndarray:
    return start + (rng.random(len(start)) * np.maximum(end_us - start, 1)).astype(np.int64)


def _signup_delay(rng: np.random.Generator, size: int, longest_us: int) -> np.ndarray:
    """How long before a first review an account was created: log-uniform, a minute or more."""
    return np.exp(rng.uniform(np.log(MINUTE), np.log(longest_us), size)).astype(np.int64)


def _honest_reviewers(rng, accounts, burst_sizes, n_products, quality, config):
    """Creation times of the honest ``accounts`` (burst reviewers first) and their reviews."""
    start, end = _window(config)
    n_accounts = len(accounts)
    created = organic_created_at(rng, n_accounts, config)
    count = rng.zipf(config.reviews_per_account_exponent, n_accounts)
    count = np.minimum(count, config.max_reviews_per_account)

    # Bursts: one review each of the first accounts, on a popular product within days.
    n_bursts, n_burst = len(burst_sizes), int(burst_sizes.sum())
    product = zipf_targets(rng, max(n_products // 50, 1), n_bursts, 0.8)
    duration = (rng.uniform(1, 3, n_bursts) * DAY).astype(np.int64)
    begin = start + (rng.random(n_bursts) * (end - start - duration)).astype(np.int64)
    negative = rng.random(n_bursts) < config.negative_burst_share
    burst = expand(burst_sizes)[0]
    burst_ts = begin[burst] + (rng.beta(1.0, 3.0, n_burst) * duration[burst]).astype(np.int64)
    stars = np.where(
        negative[burst],
        categorical(rng, _BURST_RATINGS[True], n_burst),
        categorical(rng, _BURST_RATINGS[False], n_burst),
    )
    count[:n_burst] -= 1  # the burst review is one of theirs
    signs_up = rng.random(n_accounts) < config.signup_to_review_share
    delay = _signup_delay(rng, n_accounts, 3 * DAY)
    joined = (count[:n_burst] == 0) & signs_up[:n_burst]
    before_burst = burst_ts - delay[:n_burst]
    created[:n_burst] = np.where(joined, before_burst, np.minimum(created[:n_burst], before_burst))
    burst_events = EventBlock(
        accounts[:n_burst], (REVIEW_1 + stars).astype(np.int8), product[burst], burst_ts
    )

    reviewer = np.repeat(np.arange(n_accounts), count)
    ts = _uniform_after(rng, np.maximum(created[reviewer], start), end)
    reviewed = zipf_targets(rng, n_products, len(reviewer), config.product_zipf_exponent)
    # One-review accounts that signed up to write it; burst reviewers are settled above.
    single = (count == 1) & signs_up & (np.arange(n_accounts) >= n_burst)
    first = np.cumsum(count) - count
    created[single] = ts[first[single]] - delay[single]
    events = EventBlock(accounts[reviewer], honest_ratings(rng, quality[reviewed]), reviewed, ts)
    return created, [burst_events, events]


def _spam_rings(rng, sizes, n_products, quality, config):
    """Creation times of the ring members (accounts ``0 ..``) and their reviews."""
    n_rings = len(sizes)
    if n_rings == 0:
        return np.zeros(0, dtype=np.int64), []
    # Created within weeks and used within days: the campaign must end before the reference.
    latest_age = max(config.event_window_days, 17.0)
    span = (rng.uniform(1, 30, n_rings) * DAY).astype(np.int64)
    groups = _groups(rng, 0, sizes, span, rng.uniform(16, latest_age, n_rings), config)
    campaign = groups.created_end + (rng.uniform(0.5, 10, n_rings) * DAY).astype(np.int64)
    campaign = np.minimum(campaign, config.reference_us - CAMPAIGN_US - 1)
    reviews = ring_reviews(rng, groups, campaign, n_products, with_orders=False)

    # Camouflage: honest-looking reviews of popular products, any time after sign-up.
    hides = np.flatnonzero(rng.random(len(groups.members)) < config.camouflage_share)
    member = np.repeat(hides, rng.integers(1, 3, len(hides)))
    product = zipf_targets(rng, max(n_products // 10, 1), len(member), config.product_zipf_exponent)
    camouflage = EventBlock(
        member,
        honest_ratings(rng, quality[product]),
        product,
        _uniform_after(rng, groups.created[member], config.reference_us),
    )
    return groups.created, [reviews, camouflage]


def _lone_spammers(rng, first_account, n_spammers, n_products, config):
    """Creation times of the lone spammers and their few extreme reviews within days."""
    start, end = _window(config)
    count = 1 + categorical(rng, _SPAMMER_REVIEWS, n_spammers)
    first_ts = start + 3 * DAY + (rng.random(n_spammers) * (end - start - 6 * DAY)).astype(np.int64)
    created = first_ts - _signup_delay(rng, n_spammers, 3 * DAY)
    spammer, ordinal = expand(count)
    ts = first_ts[spammer] + np.where(ordinal > 0, (rng.random(len(spammer)) * 3 * DAY).astype(np.int64), 0)
    popular = rng.random(len(spammer)) < 0.3
    product = np.where(
        popular, zipf_targets(rng, n_products, len(spammer), 1.0), rng.integers(0, n_products, len(spammer))
    )
    attack = (rng.random(n_spammers) < _LONE_ATTACK_SHARE)[spammer]
    extreme = rng.random(len(spammer)) < 0.9
    rating = np.where(attack, np.where(extreme, REVIEW_1, REVIEW_2), np.where(extreme, REVIEW_5, REVIEW_4))
    return created, EventBlock(first_account + spammer, rating.astype(np.int8), product, ts)


def _tables(rng, created, kind, number, blocks, n_products, config) -> dict[str, pl.DataFrame]:
    """Frames with random ids and a random row order (as in the marketplace)."""
    n = len(created)
    at_row = rng.permutation(n)
    account_ids = hex_strings(scrambled_ids(rng, n, 4 * ACCOUNT_ID_HEX), ACCOUNT_ID_HEX, prefix="a")
    product_ids = hex_strings(scrambled_ids(rng, n_products, 4 * TARGET_ID_HEX), TARGET_ID_HEX, prefix="p")
    accounts = pl.DataFrame({
        "account_id": account_ids.gather(at_row),
        "created_at": pl.Series(created[at_row], dtype=pl.Int64).cast(pl.Datetime("us")),
    })
    truth = truth_frame(accounts["account_id"], kind[at_row], number[at_row])
    tables = {"accounts": accounts, "events": events_frame(blocks, account_ids, product_ids), "truth": truth}
    if config.label_share > 0:
        labelled = np.sort(rng.permutation(n)[: int(round(config.label_share * n))])
        tables["labels"] = pl.DataFrame({
            "account_id": truth["account_id"].gather(labelled),
            "label": truth["is_bad"].gather(labelled).cast(pl.Int8),
        })
    return tables

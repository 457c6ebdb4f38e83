"""Planted syndicates that no single pair of members reveals: sparse farms and review rings.

- sparse_farm: 30–300 workers with a device, phone and email of their own. A job (a client
  target bought from the farm) is done by a rotating crew of 10–35% of the workers, each
  acting at a jittered moment of a 1–6 minute window, so two workers meet on only a few
  targets; they also live ordinary lives (organic activity). The only identifiers they share
  are residential proxy IPs, each used by several workers and by ordinary users too.
  Together, though, a farm hits dozens of targets with three or more workers within minutes.
- review_ring: 6–40 accounts writing one to four reviews each, on the same few products in
  the same few days, with extreme ratings (five stars for a client, one star for a rival),
  sometimes after an order of the product ("verified purchase"). Nothing shared, no
  lockstep in seconds: only the group's reviews, taken together, give it away.
"""

from __future__ import annotations

import numpy as np

from syndicate.synthetic.behaviour import burst_times
from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.population import own_identifiers, seen_between
from syndicate.synthetic.sampling import (
    ADD_TO_CART,
    COMMENT,
    CREATOR,
    DAY,
    EMAIL,
    FOLLOW,
    HOUR,
    IP,
    LIKE,
    MINUTE,
    ORDER,
    PERSONAL,
    PHONE,
    REVIEW_1,
    REVIEW_2,
    REVIEW_4,
    REVIEW_5,
    UPVOTE,
    Allocator,
    EventBlock,
    SignalBlock,
    categorical,
    distinct,
    expand,
    pick_within,
)
from syndicate.synthetic.syndicates import (
    Planted,
    _attributes,
    _groups,
    _nothing_planted,
    _own,
    _own_device,
    _pooled,
    farm_jobs,
)

SPARSE_JOB_SHARE = (0.10, 0.35)  # share of a farm's workers that do one job
SPARSE_JOB_SPREAD_US = (1 * MINUTE, 6 * MINUTE)  # how long one job takes
_SPARSE_JOB_ACTIONS = (LIKE, FOLLOW, UPVOTE, ADD_TO_CART, REVIEW_5, COMMENT)
_SPARSE_JOB_MIX = (0.30, 0.20, 0.20, 0.12, 0.10, 0.08)
_PUBLIC_PER_PROXY = (2, 10)  # ordinary users behind each residential proxy IP

_CAMPAIGN_START_US = 3 * DAY  # a ring's products start within this of the campaign start
_REVIEW_DELAY_US = 2 * DAY  # and each product's reviews come within this of its start
CAMPAIGN_US = _CAMPAIGN_START_US + _REVIEW_DELAY_US
_ATTACK_RING_SHARE = 0.2  # rings paid to sink a rival (one star) instead of lifting a client


def sparse_farms(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    n_universe: int,
    config: GeneratorConfig,
    alloc: Allocator,
) -> Planted:
    """Sparse engagement farms: rotating crews, minutes-long jobs, shared proxies only."""
    n_farms = len(sizes)
    if n_farms == 0:
        return _nothing_planted()
    # Aged accounts: bought or grown over months, before they are put to work.
    span = (rng.uniform(30, 240, n_farms) * DAY).astype(np.int64)
    groups = _groups(rng, first_account, sizes, span, rng.uniform(3, 300, n_farms), config)
    account_type, country = _attributes(rng, groups, [PERSONAL, CREATOR], [0.92, 0.08], 0.5)

    n_members = len(groups.members)
    everyone = np.arange(n_members)
    # Residential proxies: each worker is seen on one to three IPs of the farm's pool, so an
    # IP carries about 3–8 workers (and a few ordinary users, see public_proxy_users).
    pool = np.maximum(np.round(sizes / rng.uniform(1.5, 4, n_farms)), 2).astype(np.int64)
    proxy_first = alloc.n_entities
    proxies = distinct(
        _pooled(rng, groups, IP, np.repeat(everyone, rng.integers(1, 4, n_members)), pool, config, alloc)
    )
    signals = [
        _own_device(rng, groups, config, alloc),
        proxies,
        _own(rng, groups, IP, 0.4, config, alloc),
        _own(rng, groups, PHONE, 0.5, config, alloc),
        _own(rng, groups, EMAIL, 0.85, config, alloc),
    ]

    job_farm, job_target = farm_jobs(rng, n_farms, config.sparse_farm_jobs, n_universe)
    farm_size = sizes[job_farm]
    crew = np.clip(np.round(rng.uniform(*SPARSE_JOB_SHARE, len(job_farm)) * farm_size), 2, farm_size)
    job, member = rotating_crews(rng, groups, job_farm, crew.astype(np.int64))
    spread = rng.integers(*SPARSE_JOB_SPREAD_US, len(job_farm))
    start = burst_times(rng, groups.created_end[job_farm] + HOUR, spread, config)
    action = np.array(_SPARSE_JOB_ACTIONS, dtype=np.int8)[categorical(rng, _SPARSE_JOB_MIX, len(job_farm))]
    events = EventBlock(
        account=groups.members[member],
        action=action[job],
        target=job_target[job],
        ts=start[job] + (rng.random(len(job)) * spread[job]).astype(np.int64),
    )
    noise_rate = rng.uniform(10, 40, n_members)  # ordinary lives between jobs
    shared = np.arange(proxy_first, proxy_first + int(pool.sum()), dtype=np.int64)
    return Planted(groups.created, account_type, country, signals, events, noise_rate, shared)


def rotating_crews(
    rng: np.random.Generator, groups, job_farm: np.ndarray, crew: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``crew[j]`` distinct workers of farm ``job_farm[j]`` for every job ``j``.

    Some workers are keener than others (a log-normal weight); crews are weighted samples
    without replacement (Efraimidis–Spirakis keys, one sort for all jobs).
    Returns, per participation, the job and the worker (a position in ``groups.members``).
    """
    keenness = rng.lognormal(0.0, 0.3, len(groups.members))
    slot_job, slot_position = expand(groups.sizes[job_farm])
    worker = groups.first[job_farm][slot_job] - groups.first[0] + slot_position
    # Keys in [job, job + 1): sorting them keeps jobs in order and shuffles each job's workers.
    key = slot_job + (1.0 - rng.random(len(slot_job)) ** (1.0 / keenness[worker]))
    order = np.argsort(key, kind="stable")
    chosen = slot_position < crew[slot_job]  # the first crew[j] of job j after sorting
    return slot_job[chosen], worker[order][chosen]


def review_rings(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    n_universe: int,
    config: GeneratorConfig,
    alloc: Allocator,
) -> Planted:
    """Review rings: few reviews each, on the same products in the same days, extreme stars."""
    n_rings = len(sizes)
    if n_rings == 0:
        return _nothing_planted()
    span = (rng.uniform(2, 60, n_rings) * DAY).astype(np.int64)
    groups = _groups(rng, first_account, sizes, span, rng.uniform(1, 120, n_rings), config)
    account_type, country = _attributes(rng, groups, [PERSONAL], [1.0], 0.6)
    n_members = len(groups.members)
    signals = [
        _own_device(rng, groups, config, alloc),
        own_identifiers(
            rng, groups.members, rng.integers(1, 3, n_members), IP, groups.created, config.reference_us, alloc
        ),
        _own(rng, groups, EMAIL, 0.9, config, alloc),
        _own(rng, groups, PHONE, 0.4, config, alloc),
    ]
    campaign_us = np.full(n_rings, CAMPAIGN_US)
    campaign = burst_times(rng, groups.created_end + HOUR, campaign_us, config)
    reviews = ring_reviews(rng, groups, campaign, n_universe)
    return Planted(groups.created, account_type, country, signals, reviews, rng.uniform(0, 6, n_members))


def ring_reviews(
    rng: np.random.Generator,
    groups,
    campaign: np.ndarray,
    n_products_universe: int,
    *,
    with_orders: bool = True,
) -> EventBlock:
    """The reviews (and a few orders) of coordinated review groups ``groups``.

    Each group works on 2–15 products (about one per three to seven members) drawn from
    the universe ``[0, n_products_universe)``; each product's reviews start within three days
    of the group's ``campaign`` start (us) and come within two days; each member reviews one
    to four of the products. A campaign lasts at most ``CAMPAIGN_US``. With ``with_orders``,
    a third of the reviews follow an order of the product.
    """
    n_groups = len(groups.sizes)
    n_products = np.clip(np.round(groups.sizes * rng.uniform(0.15, 0.4, n_groups)), 2, 15).astype(np.int64)
    product_first = np.cumsum(n_products) - n_products
    products = rng.integers(0, n_products_universe, int(n_products.sum()))
    product_group, _ = expand(n_products)
    product_delay = (rng.random(len(products)) * _CAMPAIGN_START_US).astype(np.int64)
    product_start = campaign[product_group] + product_delay

    n_members = len(groups.members)
    per_member = np.minimum(1 + rng.binomial(3, 0.2, n_members), n_products[groups.group])
    member, ordinal = expand(per_member)
    group = groups.group[member]
    first_pick = pick_within(rng, n_products[groups.group])[member]
    product = product_first[group] + (first_pick + ordinal) % n_products[group]
    ts = product_start[product] + (rng.random(len(member)) * _REVIEW_DELAY_US).astype(np.int64)

    attack = rng.random(n_groups) < _ATTACK_RING_SHARE
    extreme = rng.random(len(member)) < 0.9
    rating = np.where(
        attack[group], np.where(extreme, REVIEW_1, REVIEW_2), np.where(extreme, REVIEW_5, REVIEW_4)
    )
    # Orders before reviews earn a "verified purchase" badge.
    ordered = np.flatnonzero(rng.random(len(member)) < (0.3 if with_orders else 0.0))
    order_ts = product_start[product[ordered]] + (
        rng.random(len(ordered)) * (ts[ordered] - product_start[product[ordered]])
    ).astype(np.int64)
    return EventBlock(
        account=groups.members[np.concatenate([member, member[ordered]])],
        action=np.concatenate([rating, np.full(len(ordered), ORDER)]).astype(np.int8),
        target=products[np.concatenate([product, product[ordered]])],
        ts=np.concatenate([ts, order_ts]),
    )


def public_proxy_users(
    rng: np.random.Generator,
    proxies: np.ndarray,
    ordinary: np.ndarray,
    created: np.ndarray,
    config: GeneratorConfig,
) -> SignalBlock:
    """Ordinary users (from ``ordinary``) behind each residential proxy IP of ``proxies``."""
    if len(proxies) == 0 or len(ordinary) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return SignalBlock(empty, empty.astype(np.int8), empty, empty)
    per_proxy = rng.integers(_PUBLIC_PER_PROXY[0], _PUBLIC_PER_PROXY[1] + 1, len(proxies))
    user = ordinary[rng.integers(0, len(ordinary), int(per_proxy.sum()))]
    return distinct(SignalBlock(
        account=user,
        kind=np.full(len(user), IP, dtype=np.int8),
        entity=np.repeat(proxies, per_proxy),
        seen=seen_between(rng, created[user], config.reference_us),
    ))

"""Planted syndicates: matrix rings, evasive rings and engagement farms (all ``is_bad``).

- matrix_ring: 8–80 accounts created in one burst (hours to days), sharing a few devices
  (3–15 accounts each), 1–4 cards and a pool of proxy IPs; they boost their own sellers'
  targets in bursts. Easy on identity, but rings resemble agencies and households.
- evasive_ring: 8–40 accounts with a unique device and IP each, created over weeks, linked
  only by a chain of cards and phones each shared by 2–5 members, so no identifier ties more
  than a handful and the ring is connected only as a whole.
- engagement_farm: 50–400 accounts with unique devices and almost nothing shared; only their
  behaviour gives them away: 30–150 jobs, each a client target that 30–80% of the farm hits
  within 10–90 seconds.

Syndicates that no single pair of members reveals (sparse farms, review rings) are in
:mod:`~syndicate.synthetic.sparse`.

Each planter gets the consecutive accounts ``first_account ..`` (``sizes`` per group) and
returns their attributes, identifiers and coordinated events as a :class:`Planted`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from syndicate.synthetic.behaviour import burst_times, coordinated_bursts
from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.population import own_identifiers, seen_between, soon_after
from syndicate.synthetic.sampling import (
    BUSINESS,
    COMMENT,
    COUNTRY_WEIGHTS,
    CREATOR,
    DAY,
    DEVICE,
    EMAIL,
    FOLLOW,
    HOUR,
    IP,
    LIKE,
    MINUTE,
    ORDER,
    PAYMENT,
    PERSONAL,
    PHONE,
    REVIEW_4,
    REVIEW_5,
    SECOND,
    SELLER,
    UPVOTE,
    Allocator,
    EventBlock,
    SignalBlock,
    action_mix,
    categorical,
    distinct,
    expand,
    pick_within,
)

# Per-participant actions of ring bursts; rings review their own sellers with top ratings.
_MATRIX_ACTION_MIX = action_mix({LIKE: 0.30, FOLLOW: 0.20, ORDER: 0.20, REVIEW_5: 0.27, REVIEW_4: 0.03})
_EVASIVE_ACTION_MIX = action_mix({LIKE: 0.35, FOLLOW: 0.20, ORDER: 0.15, REVIEW_5: 0.27, REVIEW_4: 0.03})
# What a farm's client buys for one job.
_FARM_JOB_ACTIONS = (LIKE, FOLLOW, COMMENT, UPVOTE)
_FARM_JOB_MIX = (0.45, 0.25, 0.15, 0.15)


class Planted(NamedTuple):
    """Attributes, signals and coordinated events of the planted accounts (block order)."""

    created: np.ndarray
    account_type: np.ndarray
    country: np.ndarray
    signals: list[SignalBlock]
    events: EventBlock
    noise_rate: np.ndarray  # mean organic-looking events per member in the window
    # Identifier entities (proxy IPs) that ordinary users share with the members.
    shared_with_public: np.ndarray = np.zeros(0, dtype=np.int64)


class _Groups(NamedTuple):
    """Consecutive groups of accounts: who is in which group, and when they were created."""

    sizes: np.ndarray
    group: np.ndarray  # group of each member
    members: np.ndarray  # account index of each member
    first: np.ndarray  # account index of each group's first member
    created: np.ndarray  # creation time of each member (us)
    created_end: np.ndarray  # creation time of each group's last member (us)


def _nothing_planted() -> Planted:
    empty = np.zeros(0, dtype=np.int64)
    return Planted(
        created=empty,
        account_type=empty.astype(np.int8),
        country=empty.astype(np.int16),
        signals=[],
        events=EventBlock(empty, empty.astype(np.int8), empty, empty),
        noise_rate=empty.astype(np.float64),
    )


def _groups(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    span_us: np.ndarray,
    end_age_days: np.ndarray,
    config: GeneratorConfig,
) -> _Groups:
    """Groups whose members were created over ``span_us``, ending ``end_age_days`` ago."""
    group, _ = expand(sizes)
    end = config.reference_us - (end_age_days * DAY).astype(np.int64)
    created = end[group] - (rng.random(len(group)) * span_us[group]).astype(np.int64)
    return _Groups(
        sizes=sizes,
        group=group,
        members=first_account + np.arange(len(group), dtype=np.int64),
        first=first_account + np.cumsum(sizes) - sizes,
        created=created,
        created_end=end,
    )


def _attributes(rng, groups: _Groups, types, type_shares, home_share: float):
    """account_type codes, and countries: mostly the group's home country."""
    n_members = len(groups.group)
    account_type = np.asarray(types, dtype=np.int8)[categorical(rng, type_shares, n_members)]
    home = categorical(rng, COUNTRY_WEIGHTS, len(groups.sizes))[groups.group]
    elsewhere = categorical(rng, COUNTRY_WEIGHTS, n_members)
    country = np.where(rng.random(n_members) < home_share, home, elsewhere).astype(np.int16)
    return account_type, country


def _own(rng, groups: _Groups, kind: int, share: float, config, alloc) -> SignalBlock:
    """An identifier of its own for a ``share`` of the members."""
    counts = (rng.random(len(groups.members)) < share).astype(np.int64)
    return own_identifiers(rng, groups.members, counts, kind, groups.created, config.reference_us, alloc)


def _own_device(rng, groups: _Groups, config, alloc) -> SignalBlock:
    """One device per member, first seen at sign-up."""
    device = _own(rng, groups, DEVICE, 1.0, config, alloc)
    return device._replace(seen=soon_after(rng, groups.created, 10 * MINUTE, config.reference_us))


def _pooled(rng, groups: _Groups, kind: int, holder: np.ndarray, pool_size, config, alloc) -> SignalBlock:
    """Members ``holder`` (positions in the block) each use a value from their group's pool.

    A member listed twice may draw the same value twice: wrap in :func:`distinct`.
    """
    holder_group = groups.group[holder]
    first = alloc.reserve_entities(int(pool_size.sum())) + np.cumsum(pool_size) - pool_size
    return SignalBlock(
        account=groups.members[holder],
        kind=np.full(len(holder), kind, dtype=np.int8),
        entity=first[holder_group] + pick_within(rng, pool_size[holder_group]),
        seen=seen_between(rng, groups.created[holder], config.reference_us),
    )


def _ring_bursts(rng, groups: _Groups, n_targets, n_bursts, spread_us, share, mix, config, alloc):
    """Bursts of ring members on the ring's own (fresh) targets, after the ring exists."""
    n_groups = len(groups.sizes)
    own_targets = rng.integers(n_targets[0], n_targets[1] + 1, n_groups)
    target_first = alloc.reserve_targets(int(own_targets.sum())) + np.cumsum(own_targets) - own_targets
    burst_group = np.repeat(np.arange(n_groups), rng.integers(n_bursts[0], n_bursts[1] + 1, n_groups))
    spread = np.exp(rng.uniform(*np.log(spread_us), len(burst_group))).astype(np.int64)
    return coordinated_bursts(
        rng,
        burst_group=burst_group,
        burst_time=burst_times(rng, groups.created_end[burst_group] + HOUR, spread, config),
        burst_spread=spread,
        burst_share=rng.uniform(*share, len(burst_group)),
        burst_target=target_first[burst_group] + pick_within(rng, own_targets[burst_group]),
        group_first=groups.first,
        group_size=groups.sizes,
        action_mix=mix,
    )


def matrix_rings(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    config: GeneratorConfig,
    alloc: Allocator,
) -> Planted:
    """Matrix rings: a burst of sign-ups on a few devices, cards and proxies."""
    n_rings = len(sizes)
    if n_rings == 0:
        return _nothing_planted()
    span = np.exp(rng.uniform(np.log(2 * HOUR), np.log(4 * DAY), n_rings)).astype(np.int64)
    groups = _groups(rng, first_account, sizes, span, rng.uniform(1, 400, n_rings), config)
    account_type, country = _attributes(rng, groups, [PERSONAL, SELLER, BUSINESS], [0.55, 0.40, 0.05], 0.85)

    n_members = len(groups.members)
    everyone = np.arange(n_members)
    devices = np.maximum(np.round(sizes / rng.uniform(3, 15, n_rings)), 1).astype(np.int64)
    # Everyone signs up on a pool device (seen at creation); a quarter also use a second one.
    second = everyone[rng.random(n_members) < 0.25]
    device = _pooled(rng, groups, DEVICE, np.concatenate([everyone, second]), devices, config, alloc)
    seen = device.seen.copy()
    seen[:n_members] = soon_after(rng, groups.created, 10 * MINUTE, config.reference_us)
    with_card = everyone[rng.random(n_members) < 0.75]
    ip_holder = np.repeat(everyone, rng.integers(1, 4, n_members))
    signals = [
        distinct(device._replace(seen=seen)),
        _pooled(rng, groups, PAYMENT, with_card, rng.integers(1, 5, n_rings), config, alloc),
        distinct(_pooled(rng, groups, IP, ip_holder, rng.integers(2, 9, n_rings), config, alloc)),
        _own(rng, groups, PHONE, 0.7, config, alloc),
        _own(rng, groups, EMAIL, 0.95, config, alloc),
    ]
    events = _ring_bursts(
        rng, groups, (1, 4), (6, 25), (10 * MINUTE, 2 * HOUR), (0.4, 0.9), _MATRIX_ACTION_MIX, config, alloc
    )
    return Planted(groups.created, account_type, country, signals, events, np.full(n_members, 4.0))


def _chain_items(rng: np.random.Generator, size: int) -> list[np.ndarray]:
    """Member sets of 2–5 that overlap like links of a chain (plus a few cross links), so
    the whole ring is connected through them while no item is shared by more than five."""
    order = rng.permutation(size)
    items, start = [], 0
    while start < size - 1:
        end = min(start + int(rng.integers(2, 6)), size)
        items.append(order[start:end])
        if end == size:
            break
        overlap = 1 if rng.random() < 0.75 else 2
        start = end - min(overlap, end - start - 1)
    for _ in range(int(rng.integers(0, 3))):
        items.append(rng.choice(size, size=min(size, int(rng.integers(2, 4))), replace=False))
    return items


def evasive_rings(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    config: GeneratorConfig,
    alloc: Allocator,
) -> Planted:
    """Evasive rings: one device and IP each, chained together by shared cards and phones."""
    n_rings = len(sizes)
    if n_rings == 0:
        return _nothing_planted()
    span = (rng.uniform(14, 42, n_rings) * DAY).astype(np.int64)
    groups = _groups(rng, first_account, sizes, span, rng.uniform(10, 300, n_rings), config)
    account_type, country = _attributes(rng, groups, [PERSONAL, SELLER, CREATOR], [0.70, 0.25, 0.05], 0.7)

    holders, kinds = [], []
    for ring, start in enumerate(np.cumsum(sizes) - sizes):  # loops over rings, not accounts
        for item in _chain_items(rng, int(sizes[ring])):
            holders.append(start + item)
            kinds.append(np.full(len(item), PAYMENT if rng.random() < 0.55 else PHONE, dtype=np.int8))
    holder = np.concatenate(holders)
    chain = SignalBlock(
        groups.members[holder],
        np.concatenate(kinds),
        np.repeat(alloc.entities(len(holders)), [len(h) for h in holders]),
        seen_between(rng, groups.created[holder], config.reference_us),
    )
    n_members = len(groups.members)
    has_chain_phone = np.zeros(n_members, dtype=bool)
    has_chain_phone[holder[chain.kind == PHONE]] = True
    own_phone = (~has_chain_phone & (rng.random(n_members) < 0.6)).astype(np.int64)
    signals = [
        _own_device(rng, groups, config, alloc),
        chain,
        own_identifiers(
            rng, groups.members, rng.integers(1, 3, n_members), IP, groups.created, config.reference_us, alloc
        ),
        own_identifiers(rng, groups.members, own_phone, PHONE, groups.created, config.reference_us, alloc),
        _own(rng, groups, EMAIL, 0.95, config, alloc),
    ]
    events = _ring_bursts(
        rng, groups, (2, 5), (4, 12), (30 * MINUTE, 6 * HOUR), (0.3, 0.7), _EVASIVE_ACTION_MIX, config, alloc
    )
    return Planted(groups.created, account_type, country, signals, events, np.full(n_members, 8.0))


def farm_jobs(
    rng: np.random.Generator, n_farms: int, jobs: tuple[int, int], n_universe: int
) -> tuple[np.ndarray, np.ndarray]:
    """The jobs of each farm (``jobs`` = (low, high) per farm): farm index and client target.

    Clients are ordinary targets of the universe; some buy several jobs from one farm. The
    first jobs of a farm serve each client once, the rest repeat clients at random.
    """
    n_jobs = rng.integers(jobs[0], jobs[1] + 1, n_farms)
    job_farm, job_position = expand(n_jobs)
    n_clients = np.maximum(np.round(n_jobs * rng.uniform(0.7, 1.0, n_farms)), 1).astype(np.int64)
    clients = rng.integers(0, n_universe, int(n_clients.sum()))
    repeat_client = pick_within(rng, n_clients[job_farm])
    job_client = np.where(job_position < n_clients[job_farm], job_position, repeat_client)
    return job_farm, clients[(np.cumsum(n_clients) - n_clients)[job_farm] + job_client]


def engagement_farms(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    n_universe: int,
    config: GeneratorConfig,
    alloc: Allocator,
) -> Planted:
    """Engagement farms: strangers on paper, lockstep on the clients' targets."""
    n_farms = len(sizes)
    if n_farms == 0:
        return _nothing_planted()
    span = (rng.uniform(14, 60, n_farms) * DAY).astype(np.int64)
    groups = _groups(rng, first_account, sizes, span, rng.uniform(3, 200, n_farms), config)
    account_type, country = _attributes(rng, groups, [PERSONAL, CREATOR], [0.9, 0.1], 0.6)

    n_members = len(groups.members)
    behind_proxy = np.flatnonzero(rng.random(n_members) < 0.1)
    signals = [
        _own_device(rng, groups, config, alloc),
        _own(rng, groups, IP, 1.0, config, alloc),
        _pooled(rng, groups, IP, behind_proxy, rng.integers(1, 4, n_farms), config, alloc),
        _own(rng, groups, PHONE, 0.5, config, alloc),
        _own(rng, groups, EMAIL, 0.85, config, alloc),
        _own(rng, groups, PAYMENT, 0.05, config, alloc),
    ]

    job_farm, job_target = farm_jobs(rng, n_farms, config.farm_jobs, n_universe)
    spread = (rng.uniform(10, 90, len(job_farm)) * SECOND).astype(np.int64)
    events = coordinated_bursts(
        rng,
        burst_group=job_farm,
        burst_time=burst_times(rng, groups.created_end[job_farm] + HOUR, spread, config),
        burst_spread=spread,
        burst_share=rng.uniform(0.3, 0.8, len(job_farm)),
        burst_target=job_target,
        group_first=groups.first,
        group_size=groups.sizes,
        burst_action=np.array(_FARM_JOB_ACTIONS, dtype=np.int8)[
            categorical(rng, _FARM_JOB_MIX, len(job_farm))
        ],
    )
    return Planted(groups.created, account_type, country, signals, events, np.full(n_members, 3.0))

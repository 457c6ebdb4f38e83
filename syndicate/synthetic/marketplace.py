"""Assemble a synthetic marketplace: plan the groups, generate them, build the frames.

Accounts are generated in consecutive blocks (syndicates, agencies, households, plain
organic accounts) with integer codes; :mod:`~syndicate.synthetic.tables` then gives them
random ids and a random row order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from syndicate.synthetic import behaviour, confounders, labels, population, sparse, syndicates
from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.sampling import (
    ACTION_VOCABULARIES,
    AGENCY,
    EVASIVE,
    FARM,
    HOUSEHOLD,
    MATRIX,
    OFFICE_NAT,
    ORGANIC,
    REVIEW_RING,
    SPARSE_FARM,
    VIRAL,
    Allocator,
    EventBlock,
    SignalBlock,
    categorical,
    expand,
    loguniform_int,
    scaled_count,
)
from syndicate.synthetic.tables import build_tables

_BENIGN_BUDGET_SHARE = 0.6  # households + agencies take at most this share of benign accounts


def _household_sizes(rng: np.random.Generator, count: int, low: int, high: int) -> np.ndarray:
    sizes = np.arange(low, high + 1)
    return sizes[categorical(rng, 0.55 ** (sizes - low), count)]


def plan_groups(
    rng: np.random.Generator, n_accounts: int, config: GeneratorConfig
) -> dict[int, np.ndarray]:
    """Sizes of the syndicates, agencies and households (group kind code -> sizes).

    Counts scale with ``n_accounts``; syndicates that do not fit in ``max_bad_share`` of the
    accounts are dropped (only on tiny marketplaces).
    """
    bad_specs = [
        (MATRIX, config.matrix_rings_per_10k, config.matrix_ring_size),
        (EVASIVE, config.evasive_rings_per_10k, config.evasive_ring_size),
        (FARM, config.engagement_farms_per_10k, config.engagement_farm_size),
        (SPARSE_FARM, config.sparse_farms_per_10k, config.sparse_farm_size),
        (REVIEW_RING, config.review_rings_per_10k, config.review_ring_size),
    ]
    candidates = []
    for kind, rate, (low, high) in bad_specs:
        count = max(config.min_groups_per_bad_kind, scaled_count(rate, n_accounts, rng))
        candidates += [(kind, int(s)) for s in loguniform_int(rng, low, high, count)]
    budget = int(config.max_bad_share * n_accounts)
    plan: dict[int, list[int]] = {kind: [] for kind, _, _ in bad_specs}
    for i in rng.permutation(len(candidates)):
        kind, size = candidates[i]
        if size <= budget:
            plan[kind].append(size)
            budget -= size

    benign_budget = int(_BENIGN_BUDGET_SHARE * (n_accounts - sum(map(sum, plan.values()))))
    low, high = config.agency_size
    agency = rng.integers(low, high + 1, scaled_count(config.agencies_per_10k, n_accounts, rng))
    agency = agency[np.cumsum(agency) <= benign_budget]
    low, high = config.household_size
    n_households = scaled_count(config.households_per_10k, n_accounts, rng)
    household = _household_sizes(rng, n_households, low, high)
    household = household[np.cumsum(household) <= benign_budget - agency.sum()]
    out = {kind: np.array(sizes, dtype=np.int64) for kind, sizes in plan.items()}
    out[AGENCY] = agency.astype(np.int64)
    out[HOUSEHOLD] = household.astype(np.int64)
    return out


def nat_sizes(
    rng: np.random.Generator, n_accounts: int, config: GeneratorConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Sizes of the office NATs and of the carrier NATs (mega gateways included)."""
    cap = max(2, int(config.max_nat_share * n_accounts))
    low, high = config.office_nat_size
    office = rng.integers(low, high + 1, scaled_count(config.office_nats_per_10k, n_accounts, rng))
    carrier = loguniform_int(
        rng, *config.carrier_nat_size, scaled_count(config.carrier_nats_per_10k, n_accounts, rng)
    )
    mega = loguniform_int(
        rng, *config.mega_nat_size, scaled_count(config.mega_nats_per_10k, n_accounts, rng)
    )
    return np.minimum(office, cap), np.minimum(np.concatenate([carrier, mega]), cap)


@dataclass
class _Draft:
    """The marketplace being built: per-account arrays (by internal index) and row blocks."""

    created: np.ndarray
    account_type: np.ndarray
    country: np.ndarray
    rate: np.ndarray  # mean organic(-looking) events in the window
    group_kind: np.ndarray = field(init=False)
    group_number: np.ndarray = field(init=False)
    bad_group: np.ndarray = field(init=False)
    signals: list[SignalBlock] = field(default_factory=list)
    events: list[EventBlock] = field(default_factory=list)
    proxies: list[np.ndarray] = field(default_factory=list)  # IPs ordinary users share too
    cursor: int = 0  # first account not yet given to a structure
    n_bad_groups: int = 0

    def __post_init__(self) -> None:
        n = len(self.created)
        self.group_kind = np.full(n, ORGANIC, dtype=np.int8)
        self.group_number = np.full(n, -1, dtype=np.int64)
        self.bad_group = np.full(n, -1, dtype=np.int64)

    def claim(self, kind: int, sizes: np.ndarray) -> slice:
        """The next ``sizes.sum()`` accounts become groups of ``kind``."""
        block = slice(self.cursor, self.cursor + int(sizes.sum()))
        self.group_kind[block] = kind
        self.group_number[block] = expand(sizes)[0]
        self.cursor = block.stop
        return block


def generate_marketplace(
    n_accounts: int, *, seed: int = 0, config: GeneratorConfig | None = None
) -> dict[str, pl.DataFrame]:
    """A synthetic marketplace with planted syndicates and benign look-alikes.

    Pure and deterministic: the same ``n_accounts``, ``seed`` and ``config`` give equal
    frames. Nothing is written to disk.

    Parameters
    ----------
    n_accounts : number of accounts (>= 1).
    seed : seed of the only random generator used (numpy ``default_rng``).
    config : GeneratorConfig, defaults to ``GeneratorConfig()``.

    Returns
    -------
    dict with the frames ``accounts``, ``signals``, ``events``, ``labels`` (the data contract
    tables) and ``truth`` (``account_id``, ``group_id``, ``group_kind``, ``is_bad``: the answer
    key, one row per account, in the order of ``accounts``).

    Examples
    --------
    >>> tables = generate_marketplace(5_000, seed=1)
    >>> sorted(tables)
    ['accounts', 'events', 'labels', 'signals', 'truth']
    >>> tables["truth"].height == tables["accounts"].height == 5_000
    True
    """
    if isinstance(n_accounts, bool) or not isinstance(n_accounts, (int, np.integer)) or n_accounts < 1:
        raise ValueError(f"The 'n_accounts' parameter must be an int >= 1. Got {n_accounts!r} instead.")
    if config is None:
        config = GeneratorConfig()
    elif not isinstance(config, GeneratorConfig):
        raise TypeError(
            f"The 'config' parameter must be a GeneratorConfig. Got {type(config).__name__} instead."
        )
    n = int(n_accounts)
    rng = np.random.default_rng(seed)
    plan = plan_groups(rng, n, config)
    n_universe = max(int(round(config.target_universe_ratio * n)), 1)
    alloc = Allocator(n_universe)
    active_rate = config.events_per_account / max(1.0 - config.dormant_share, 1e-9)
    draft = _Draft(
        *population.organic_accounts(rng, n, config),
        rate=np.where(rng.random(n) < config.dormant_share, 0.0, active_rate),
    )
    _plant_syndicates(rng, draft, plan, n_universe, config, alloc)
    _add_benign_structures(rng, draft, plan, n_universe, config, alloc)
    draft.events.insert(
        0, behaviour.organic_events(rng, draft.rate, draft.created, n_universe, config, alloc)
    )
    label = labels.draw_labels(rng, draft.group_kind, draft.bad_group, draft.n_bad_groups, config)
    tables = build_tables(
        rng,
        created=draft.created,
        account_type=draft.account_type,
        country=draft.country,
        group_kind=draft.group_kind,
        group_number=draft.group_number,
        label=label,
        signal_blocks=draft.signals,
        event_blocks=draft.events,
        n_entities=alloc.n_entities,
        n_targets=alloc.n_targets,
        action_names=ACTION_VOCABULARIES[config.action_vocabulary],
    )
    tables["signals"] = _with_placeholders(tables["signals"], tables["accounts"], seed, config.placeholder_share)
    return tables


ZERO_AD_ID = "00000000-0000-0000-0000-000000000000"


def _with_placeholders(signals: pl.DataFrame, accounts: pl.DataFrame, seed: int, share: float) -> pl.DataFrame:
    """``signals`` with a ``device`` row holding a placeholder for ``share`` of the accounts that
    have signals (``GeneratorConfig.placeholder_share``), seen with their first signal. Drawn
    from a generator of their own: every other row is what it is without them."""
    if share <= 0 or signals.height == 0:
        return signals
    rng = np.random.default_rng([int(seed), 0x0A1D])
    holders = signals.group_by("account_id", maintain_order=True).agg(pl.col("seen_at").min())
    picked = holders.filter(pl.Series(rng.random(holders.height) < share))
    if picked.height == 0:
        return signals
    value = np.where(rng.random(picked.height) < 0.9, ZERO_AD_ID, "unknown")
    extra = picked.select("account_id", pl.lit("device").alias("kind"), pl.Series("value", value), "seen_at")
    order = accounts.select("account_id").with_row_index("_row")
    # In account order, each account's placeholder after its own rows (as the tables order them).
    return (pl.concat([signals, extra.select(signals.columns)])
            .join(order, on="account_id", how="left", maintain_order="left")
            .sort("_row", maintain_order=True).drop("_row"))


def _plant_syndicates(rng, draft: _Draft, plan, n_universe: int, config, alloc) -> None:
    planters = {
        MATRIX: lambda first, sizes: syndicates.matrix_rings(rng, first, sizes, config, alloc),
        EVASIVE: lambda first, sizes: syndicates.evasive_rings(rng, first, sizes, config, alloc),
        FARM: lambda first, sizes: syndicates.engagement_farms(
            rng, first, sizes, n_universe, config, alloc
        ),
        SPARSE_FARM: lambda first, sizes: sparse.sparse_farms(rng, first, sizes, n_universe, config, alloc),
        REVIEW_RING: lambda first, sizes: sparse.review_rings(rng, first, sizes, n_universe, config, alloc),
    }
    for kind, plant in planters.items():
        sizes = plan[kind]
        planted = plant(draft.cursor, sizes)
        block = draft.claim(kind, sizes)
        draft.created[block] = planted.created
        draft.account_type[block] = planted.account_type
        draft.country[block] = planted.country
        draft.rate[block] = planted.noise_rate
        draft.bad_group[block] = draft.n_bad_groups + draft.group_number[block]
        draft.n_bad_groups += len(sizes)
        draft.signals += planted.signals
        draft.events.append(planted.events)
        draft.proxies.append(planted.shared_with_public)


def _add_benign_structures(rng, draft: _Draft, plan, n_universe: int, config, alloc) -> None:
    n = len(draft.created)
    block = draft.claim(AGENCY, plan[AGENCY])
    created, account_type, country, signals = confounders.agencies(
        rng, block.start, plan[AGENCY], config, alloc
    )
    draft.created[block], draft.account_type[block], draft.country[block] = created, account_type, country
    draft.signals += signals

    block = draft.claim(HOUSEHOLD, plan[HOUSEHOLD])
    account_type, country, signals, shares_home_ip = confounders.households(
        rng, block.start, plan[HOUSEHOLD], draft.created[block], config, alloc
    )
    draft.account_type[block], draft.country[block] = account_type, country
    draft.signals += signals
    home_ip_owned = np.ones(n, dtype=bool)
    home_ip_owned[block] = ~shares_home_ip

    plain = np.arange(n) >= draft.cursor
    is_bad = draft.bad_group >= 0
    with_signals = np.flatnonzero(~is_bad & population.with_signals_mask(rng, n, plain, config))
    draft.signals += population.organic_signals(
        rng, with_signals, draft.created[with_signals], home_ip_owned[with_signals], config, alloc
    )
    draft.signals.append(
        sparse.public_proxy_users(rng, np.concatenate(draft.proxies), with_signals, draft.created, config)
    )

    office_sizes, carrier_sizes = nat_sizes(rng, n, config)
    nat_number = np.full(n, -1, dtype=np.int64)
    # Office NATs are written last: an account behind both keeps the more specific one.
    for first_number, sizes in [(len(office_sizes), carrier_sizes), (0, office_sizes)]:
        signals, members, nat = confounders.nat_gateways(
            rng, with_signals, draft.country, draft.created, sizes, config, alloc
        )
        draft.signals.append(signals)
        nat_number[members] = first_number + nat

    n_moments = scaled_count(config.viral_moments_per_10k, n, rng)
    events, members, moment = behaviour.viral_moments(
        rng, n_moments, np.flatnonzero(~is_bad), draft.created, n_universe, config
    )
    draft.events.append(events)
    viral_number = np.full(n, -1, dtype=np.int64)
    audience, first_moment = np.unique(members, return_index=True)  # moments are in order
    viral_number[audience] = moment[first_moment]

    unassigned = draft.group_kind == ORGANIC
    for kind, number in [(OFFICE_NAT, nat_number), (VIRAL, viral_number)]:  # rising priority
        take = unassigned & (number >= 0)
        draft.group_kind[take], draft.group_number[take] = kind, number[take]

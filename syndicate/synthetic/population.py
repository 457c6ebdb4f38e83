"""Organic accounts: when they were created, what they are, and the identifiers they own.

An organic account owns its identifiers: one or two devices, often a payment card (many have
none), its own phone and email, a home IP, sometimes a delivery address. A share of organic
accounts has no signals at all (browse-only sign-ups, data retention gaps).
"""

from __future__ import annotations

import numpy as np

from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.sampling import (
    ADDRESS,
    BUSINESS,
    COUNTRY_WEIGHTS,
    CREATOR,
    DAY,
    DEVICE,
    EMAIL,
    HOUR,
    IP,
    MINUTE,
    PAYMENT,
    PERSONAL,
    PHONE,
    SELLER,
    Allocator,
    SignalBlock,
    categorical,
)

# account_type shares of organic accounts, indexed by the ACCOUNT_TYPES codes.
_ORGANIC_TYPE_SHARES = {PERSONAL: 0.80, CREATOR: 0.10, BUSINESS: 0.03, SELLER: 0.07}


def organic_created_at(
    rng: np.random.Generator, size: int, config: GeneratorConfig
) -> np.ndarray:
    """Creation times (us) over ``history_days`` before the reference time, recent ones likelier.

    The age follows a Beta(1, 1.8) shape: the platform grows, so there are more young
    accounts than old ones.
    """
    age_us = rng.beta(1.0, 1.8, size) * config.history_days * DAY
    return config.reference_us - np.maximum(age_us.astype(np.int64), MINUTE)


def organic_accounts(
    rng: np.random.Generator, n_accounts: int, config: GeneratorConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``created_at`` (us), ``account_type`` code and ``country`` code for every account.

    Structures (households, agencies, syndicates) later overwrite the rows they own.
    """
    created = organic_created_at(rng, n_accounts, config)
    codes = np.array(sorted(_ORGANIC_TYPE_SHARES))
    shares = [_ORGANIC_TYPE_SHARES[c] for c in codes]
    account_type = codes[categorical(rng, shares, n_accounts)].astype(np.int8)
    country = categorical(rng, COUNTRY_WEIGHTS, n_accounts).astype(np.int16)
    return created, account_type, country


def seen_between(rng: np.random.Generator, start: np.ndarray, end_us: int) -> np.ndarray:
    """A uniform time between each ``start`` and ``end_us`` (first sighting of an identifier)."""
    span = np.maximum(end_us - start, 1)
    return start + (rng.random(len(start)) * span).astype(np.int64)


def soon_after(rng: np.random.Generator, start: np.ndarray, within_us: int, end_us: int) -> np.ndarray:
    """A uniform time up to ``within_us`` after each ``start``, but before ``end_us``."""
    later = start + (rng.random(len(start)) * within_us).astype(np.int64)
    return np.maximum(np.minimum(later, end_us - 1), start)


def own_identifiers(
    rng: np.random.Generator,
    accounts: np.ndarray,
    counts: np.ndarray,
    kind: int,
    seen_start: np.ndarray,
    end_us: int,
    alloc: Allocator,
) -> SignalBlock:
    """``counts[i]`` fresh identifiers of ``kind`` owned by ``accounts[i]`` alone."""
    holder = np.repeat(accounts, counts)
    start = np.repeat(seen_start, counts)
    return SignalBlock(
        account=holder,
        kind=np.full(len(holder), kind, dtype=np.int8),
        entity=alloc.entities(len(holder)),
        seen=seen_between(rng, start, end_us),
    )


def organic_signals(
    rng: np.random.Generator,
    accounts: np.ndarray,
    created: np.ndarray,
    home_ip_owned: np.ndarray,
    config: GeneratorConfig,
    alloc: Allocator,
) -> list[SignalBlock]:
    """Identifiers owned by each of ``accounts`` (created at ``created``, same order).

    ``home_ip_owned`` is False where the home IP comes from elsewhere (a household shares it).
    """
    end_us = config.reference_us
    size = len(accounts)
    # The first device is seen at sign-up; a second one (new phone, a laptop) any time later.
    first_device = SignalBlock(
        account=accounts,
        kind=np.full(size, DEVICE, dtype=np.int8),
        entity=alloc.entities(size),
        seen=soon_after(rng, created, HOUR, end_us),
    )
    blocks = [first_device]

    def add(kind: int, probs: list[float], mask: np.ndarray | None = None) -> None:
        counts = categorical(rng, probs, size)
        if mask is not None:
            counts = np.where(mask, counts, 0)
        blocks.append(own_identifiers(rng, accounts, counts, kind, created, end_us, alloc))

    add(DEVICE, [0.70, 0.30])  # a second device for 30%
    add(PAYMENT, [0.45, 0.45, 0.10])  # none / one card / two cards
    add(PHONE, [0.15, 0.85])
    add(EMAIL, [0.08, 0.92])
    add(IP, [0.15, 0.85], mask=home_ip_owned)  # home broadband
    add(IP, [0.80, 0.20])  # a second place: parents, a cafe, a trip
    add(ADDRESS, [0.60, 0.38, 0.02])
    return blocks


def with_signals_mask(
    rng: np.random.Generator, n_accounts: int, plain_organic: np.ndarray, config: GeneratorConfig
) -> np.ndarray:
    """True for accounts that own identifiers; a share of plain organic accounts owns none."""
    no_signal = plain_organic & (rng.random(n_accounts) < config.no_signal_share)
    return ~no_signal

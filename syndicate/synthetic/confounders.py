"""Benign structures that share identifiers and look like syndicates to a naive detector.

- households: 2–5 people, created years apart, sharing a tablet, the home IP, an address
  or a card;
- creator agencies: 15–60 creators created over months or years, logging in from 2–4 staff
  handsets (device + phone number shared by 10–40 creators) behind one office IP;
- NAT IPs: office NATs shared by 50–180 accounts, carrier NATs by 300–5,000 and, on large
  marketplaces, a few carrier gateways shared by tens of thousands.
"""

from __future__ import annotations

import numpy as np

from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.population import seen_between
from syndicate.synthetic.sampling import (
    ADDRESS,
    BUSINESS,
    COUNTRY_WEIGHTS,
    CREATOR,
    DAY,
    DEVICE,
    IP,
    PAYMENT,
    PERSONAL,
    PHONE,
    SELLER,
    Allocator,
    SignalBlock,
    categorical,
    expand,
    pick_within,
)


def _shared_item(
    rng: np.random.Generator,
    kind: int,
    has_item: np.ndarray,
    uses: np.ndarray,
    group: np.ndarray,
    members: np.ndarray,
    created: np.ndarray,
    end_us: int,
    alloc: Allocator,
) -> SignalBlock:
    """One identifier per group with ``has_item``, held by the members where ``uses``."""
    entity = np.full(len(has_item), -1, dtype=np.int64)
    entity[has_item] = alloc.entities(int(has_item.sum()))
    holds = has_item[group] & uses
    return SignalBlock(
        account=members[holds],
        kind=np.full(int(holds.sum()), kind, dtype=np.int8),
        entity=entity[group[holds]],
        seen=seen_between(rng, created[holds], end_us),
    )


def households(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    created: np.ndarray,
    config: GeneratorConfig,
    alloc: Allocator,
) -> tuple[np.ndarray, np.ndarray, list[SignalBlock], np.ndarray]:
    """Households in the accounts ``first_account ..`` (consecutive, ``sizes`` each).

    ``created`` holds the members' (organic, independent, hence years apart) creation times.
    Returns account_type codes, country codes, shared-identifier signals and a mask of the
    members whose home IP is the shared household IP.
    """
    n_households = len(sizes)
    group, position = expand(sizes)
    members = first_account + np.arange(len(group), dtype=np.int64)
    end_us = config.reference_us
    country = categorical(rng, COUNTRY_WEIGHTS, n_households)[group].astype(np.int16)
    account_type = np.array([PERSONAL, CREATOR, SELLER], dtype=np.int8)[
        categorical(rng, [0.9, 0.05, 0.05], len(group))
    ]

    has_rate = {DEVICE: 0.45, IP: 0.75, ADDRESS: 0.6, PAYMENT: 0.3}
    has = {k: rng.random(n_households) < p for k, p in has_rate.items()}
    nothing = ~(has[DEVICE] | has[IP] | has[ADDRESS] | has[PAYMENT])
    has[IP] = has[IP] | nothing
    # The first two members always use a shared item, so it is shared by at least two.
    use_rate = {DEVICE: 0.7, IP: 0.95, ADDRESS: 0.9, PAYMENT: 0.6}
    uses = {k: (position < 2) | (rng.random(len(group)) < p) for k, p in use_rate.items()}
    blocks = [
        _shared_item(rng, k, has[k], uses[k], group, members, created, end_us, alloc)
        for k in (DEVICE, IP, ADDRESS, PAYMENT)
    ]
    shared_home_ip = has[IP][group] & uses[IP]
    return account_type, country, blocks, shared_home_ip


def agencies(
    rng: np.random.Generator,
    first_account: int,
    sizes: np.ndarray,
    config: GeneratorConfig,
    alloc: Allocator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[SignalBlock]]:
    """Creator agencies in the accounts ``first_account ..``.

    Returns created_at (us), account_type codes, country codes and the agency signals
    (staff handsets as device + phone, the office IP). The creators' own identifiers are
    added by :func:`~syndicate.synthetic.population.organic_signals`.
    """
    n_agencies = len(sizes)
    group, _ = expand(sizes)
    members = first_account + np.arange(len(group), dtype=np.int64)
    end_us = config.reference_us

    founded_days = rng.uniform(150, max(config.history_days, 151), n_agencies)
    span_days = rng.uniform(90, 900, n_agencies).clip(max=founded_days - 7)
    age_days = founded_days[group] - rng.random(len(group)) * span_days[group]
    created = end_us - (age_days * DAY).astype(np.int64)
    account_type = np.array([CREATOR, BUSINESS, PERSONAL], dtype=np.int8)[
        categorical(rng, [0.85, 0.08, 0.07], len(group))
    ]
    home_country = categorical(rng, COUNTRY_WEIGHTS, n_agencies)[group]
    elsewhere = categorical(rng, COUNTRY_WEIGHTS, len(group))
    country = np.where(rng.random(len(group)) < 0.9, home_country, elsewhere).astype(np.int16)

    # 2–4 staff handsets, about one per 12–22 creators, so each is used by 10–40 creators.
    handsets = np.clip(np.round(sizes / rng.uniform(12, 22, n_agencies)), 2, 4).astype(np.int64)
    handset_base = np.cumsum(handsets) - handsets
    n_handsets = int(handsets.sum())
    handset_device = alloc.entities(n_handsets)
    handset_phone = alloc.entities(n_handsets)
    first_pick = pick_within(rng, handsets[group])
    second_pick = (first_pick + 1 + pick_within(rng, handsets[group] - 1)) % handsets[group]
    two = rng.random(len(group)) < 0.45
    holder = np.concatenate([members, members[two]])
    handset = handset_base[np.concatenate([group, group[two]])] + np.concatenate(
        [first_pick, second_pick[two]]
    )
    holder_created = created[holder - first_account]
    blocks = [
        SignalBlock(
            account=holder,
            kind=np.full(len(holder), DEVICE, dtype=np.int8),
            entity=handset_device[handset],
            seen=seen_between(rng, holder_created, end_us),
        )
    ]
    with_phone = rng.random(len(holder)) < 0.7
    blocks.append(
        SignalBlock(
            account=holder[with_phone],
            kind=np.full(int(with_phone.sum()), PHONE, dtype=np.int8),
            entity=handset_phone[handset[with_phone]],
            seen=seen_between(rng, holder_created[with_phone], end_us),
        )
    )
    office = np.ones(n_agencies, dtype=bool)
    at_office = rng.random(len(group)) < 0.9
    blocks.append(_shared_item(rng, IP, office, at_office, group, members, created, end_us, alloc))
    return created, account_type, country, blocks


def nat_gateways(
    rng: np.random.Generator,
    eligible: np.ndarray,
    country: np.ndarray,
    created: np.ndarray,
    sizes: np.ndarray,
    config: GeneratorConfig,
    alloc: Allocator,
) -> tuple[SignalBlock, np.ndarray, np.ndarray]:
    """NAT IPs of the given ``sizes``, each shared by accounts of one country.

    Members are drawn without replacement from ``eligible``, largest NATs first; a NAT too
    big for what is left of its country moves to the country with most accounts left.
    Returns the IP signals and, per membership, account and NAT index.
    """
    nat_country = categorical(rng, COUNTRY_WEIGHTS, len(sizes))
    shuffled = eligible[rng.permutation(len(eligible))]
    by_country = shuffled[np.argsort(country[shuffled], kind="stable")]
    segment_start = np.searchsorted(country[by_country], np.arange(len(COUNTRY_WEIGHTS) + 1))
    cursor = segment_start[:-1].copy()
    chunks, nat_of_member = [], []
    for nat in np.argsort(-sizes, kind="stable"):
        left = segment_start[1:] - cursor
        c = nat_country[nat] if left[nat_country[nat]] >= sizes[nat] else int(np.argmax(left))
        take = int(min(sizes[nat], left[c]))
        chunks.append(by_country[cursor[c] : cursor[c] + take])
        nat_of_member.append(np.full(take, nat, dtype=np.int64))
        cursor[c] += take
    members = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    nat = np.concatenate(nat_of_member) if chunks else np.zeros(0, dtype=np.int64)
    entity = alloc.entities(len(sizes))
    block = SignalBlock(
        account=members,
        kind=np.full(len(members), IP, dtype=np.int8),
        entity=entity[nat],
        seen=seen_between(rng, created[members], config.reference_us),
    )
    return block, members, nat

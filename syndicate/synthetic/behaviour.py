"""Events: organic activity, coordinated bursts and viral moments.

- Organic activity is long-tailed (log-normal per-account rate, Poisson counts), comes in
  sessions, and goes to targets with Zipf-like popularity, so popular targets collect many
  unrelated accounts within seconds of each other.
- Coordinated bursts are the syndicates' work: a share of one group acting on one target
  within a short spread of time.
- A viral moment is thousands of unrelated accounts acting on one target within minutes:
  lockstep on a single target, which must not count as a syndicate.
"""

from __future__ import annotations

import numpy as np

from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.sampling import (
    ADD_TO_CART,
    COMMENT,
    DAY,
    FOLLOW,
    HONEST_RATING_MIX,
    HOUR,
    LIKE,
    MINUTE,
    ORDER,
    POST,
    REVIEW_1,
    SECOND,
    UPVOTE,
    Allocator,
    EventBlock,
    action_mix,
    categorical,
    expand,
    loguniform_int,
    pick_within,
)

# Organic action mix over the ACTIONS codes; 4% of actions are reviews with honest ratings.
_REVIEW_SHARE = 0.04
ORGANIC_ACTION_MIX = action_mix({
    LIKE: 0.50, FOLLOW: 0.16, COMMENT: 0.09, ORDER: 0.05, POST: 0.07, UPVOTE: 0.05, ADD_TO_CART: 0.04,
    **{REVIEW_1 + stars: _REVIEW_SHARE * share for stars, share in enumerate(HONEST_RATING_MIX)},
})  # fmt: skip
_ACTIVITY_SIGMA = 1.1
_SESSION_SPLIT = 0.3  # chance that the next event starts a new session
_SESSION_GAP_US = 3 * MINUTE  # mean gap between events of one session


def window_start(config: GeneratorConfig) -> int:
    """Start of the event window (us)."""
    return config.reference_us - int(config.event_window_days * DAY)


def zipf_targets(
    rng: np.random.Generator, n_targets: int, size: int, exponent: float
) -> np.ndarray:
    """Target indices in [0, n_targets) with P(rank r) roughly proportional to r**-exponent."""
    top = n_targets + 1.0
    u = rng.random(size)
    if abs(exponent - 1.0) < 1e-9:
        rank = top**u
    else:
        a = 1.0 - exponent
        rank = ((top**a - 1.0) * u + 1.0) ** (1.0 / a)
    return np.minimum(rank.astype(np.int64) - 1, n_targets - 1)


def organic_events(
    rng: np.random.Generator,
    rate: np.ndarray,
    created: np.ndarray,
    n_universe: int,
    config: GeneratorConfig,
    alloc: Allocator,
) -> EventBlock:
    """Everyday activity of every account; ``rate`` is its mean number of events in the window.

    Accounts created inside the window are active only after creation, in proportion.
    Posts create fresh targets; everything else goes to the Zipf-popular target universe.
    """
    end_us = config.reference_us
    window_us = end_us - window_start(config)
    start = np.maximum(created, end_us - window_us)
    exposure = (end_us - start) / window_us
    weight = rng.lognormal(0.0, _ACTIVITY_SIGMA, len(rate)) / np.exp(_ACTIVITY_SIGMA**2 / 2)
    counts = rng.poisson(rate * weight * exposure)
    accounts = np.arange(len(rate), dtype=np.int32)
    account = np.repeat(accounts, counts)

    sessions = np.where(counts > 0, 1 + rng.binomial(np.maximum(counts - 1, 0), _SESSION_SPLIT), 0)
    session_account = np.repeat(accounts, sessions)
    session_span = end_us - start[session_account]
    session_offset = (rng.random(len(session_account)) * session_span).astype(np.int64)
    session_start = start[session_account] + session_offset
    first_session = np.cumsum(sessions) - sessions
    session = first_session[account] + pick_within(rng, sessions[account])
    gap = rng.exponential(_SESSION_GAP_US, len(account)).astype(np.int64)
    ts = np.minimum(session_start[session] + gap, end_us - 1)
    del session, gap, session_start

    action = categorical(rng, ORGANIC_ACTION_MIX, len(account)).astype(np.int8)
    target = zipf_targets(rng, n_universe, len(account), config.target_zipf_exponent)
    is_post = action == POST
    target[is_post] = alloc.targets(int(is_post.sum()))
    return EventBlock(account=account, action=action, target=target, ts=ts)


def coordinated_bursts(
    rng: np.random.Generator,
    *,
    burst_group: np.ndarray,
    burst_time: np.ndarray,
    burst_spread: np.ndarray,
    burst_share: np.ndarray,
    burst_target: np.ndarray,
    group_first: np.ndarray,
    group_size: np.ndarray,
    burst_action: np.ndarray | None = None,
    action_mix: tuple[float, ...] | None = None,
) -> EventBlock:
    """Each burst: about ``burst_share`` of its group's members act on ``burst_target`` at
    uniform times in ``[burst_time, burst_time + burst_spread)``.

    The action is ``burst_action`` (one per burst) or drawn per participant from ``action_mix``.
    Group members are the consecutive accounts ``group_first[g] .. + group_size[g]``.
    """
    pair_burst, position = expand(group_size[burst_group])
    takes_part = rng.random(len(pair_burst)) < burst_share[pair_burst]
    pair_burst, position = pair_burst[takes_part], position[takes_part]
    account = group_first[burst_group[pair_burst]] + position
    offset = (rng.random(len(pair_burst)) * burst_spread[pair_burst]).astype(np.int64)
    if burst_action is not None:
        action = burst_action[pair_burst].astype(np.int8)
    else:
        action = categorical(rng, action_mix, len(pair_burst)).astype(np.int8)
    return EventBlock(
        account=account,
        action=action,
        target=burst_target[pair_burst],
        ts=burst_time[pair_burst] + offset,
    )


def burst_times(
    rng: np.random.Generator, earliest: np.ndarray, spread: np.ndarray, config: GeneratorConfig
) -> np.ndarray:
    """Burst start times (us) uniform between ``earliest`` (at least the window start) and
    the last moment that lets the burst finish before the reference time."""
    latest = config.reference_us - spread - 1
    earliest = np.minimum(np.maximum(earliest, window_start(config)), latest)
    return earliest + (rng.random(len(earliest)) * (latest - earliest)).astype(np.int64)


def viral_moments(
    rng: np.random.Generator,
    n_moments: int,
    pool: np.ndarray,
    created: np.ndarray,
    n_universe: int,
    config: GeneratorConfig,
) -> tuple[EventBlock, np.ndarray, np.ndarray]:
    """Viral moments: for each, unrelated accounts from ``pool`` (existing at the time) like
    or comment on one popular target within minutes.

    Returns the events and, per participation, the account and the moment index.
    """
    by_age = pool[np.argsort(created[pool], kind="stable")]
    pool_created = created[by_age]
    start = window_start(config)
    moment_time = start + (rng.random(n_moments) * (config.reference_us - HOUR - start)).astype(np.int64)
    # Popular targets (top of the Zipf universe) go viral; rank is hidden by random ids.
    moment_target = zipf_targets(rng, max(n_universe // 20, 1), n_moments, 0.5)
    low, high = config.viral_size
    wanted = loguniform_int(rng, low, high, n_moments)
    decay = rng.uniform(60, 240, n_moments) * SECOND  # most reactions within a few minutes
    members, moment = [], []
    for m in range(n_moments):
        existing = int(np.searchsorted(pool_created, moment_time[m]))
        take = int(min(wanted[m], existing // 4))
        members.append(by_age[rng.choice(existing, size=take, replace=False)] if take else by_age[:0])
        moment.append(np.full(take, m, dtype=np.int64))
    account = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    moment_of = np.concatenate(moment) if moment else np.zeros(0, dtype=np.int64)
    delay = np.minimum(rng.exponential(1.0, len(account)) * decay[moment_of], 30 * MINUTE)
    events = EventBlock(
        account=account,
        action=np.array([LIKE, COMMENT, FOLLOW], dtype=np.int8)[
            categorical(rng, [0.85, 0.12, 0.03], len(account))
        ],
        target=moment_target[moment_of],
        ts=moment_time[moment_of] + delay.astype(np.int64),
    )
    return events, account, moment_of

"""Vectorised sampling helpers and the integer codes the generator works in.

Everything is built as integer arrays (account index, identifier entity, target index, time
in microseconds) and turned into strings only once, at the end, in :mod:`marketplace`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import polars as pl
import pyarrow as pa

SECOND = 1_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR

SIGNAL_KINDS = ("device", "payment", "ip", "phone", "email", "address")
DEVICE, PAYMENT, IP, PHONE, EMAIL, ADDRESS = range(6)

# Action codes and their names. Reviews carry their star rating in the name (review_1 ..
# review_5), as many review sites export them; upvote and add_to_cart are there so that no
# detector can rely on a fixed list of engagement names.
ACTIONS = (
    "like", "follow", "comment", "order",
    "review_1", "review_2", "review_3", "review_4", "review_5",
    "post", "upvote", "add_to_cart",
)  # fmt: skip
LIKE, FOLLOW, COMMENT, ORDER = range(4)
REVIEW_1, REVIEW_2, REVIEW_3, REVIEW_4, REVIEW_5 = range(4, 9)
POST, UPVOTE, ADD_TO_CART = range(9, 12)
# The same codes under a vocabulary that shares no name with the default one.
ALT_ACTIONS = (
    "heart", "subscribe", "reply", "purchase",
    "stars_1", "stars_2", "stars_3", "stars_4", "stars_5",
    "upload", "boost", "wishlist",
)  # fmt: skip
ACTION_VOCABULARIES = {"default": ACTIONS, "alt": ALT_ACTIONS}
# Star ratings of honest reviews: J-shaped, as on most review sites (1..5 stars).
HONEST_RATING_MIX = (0.10, 0.05, 0.08, 0.22, 0.55)

ACCOUNT_TYPES = ("personal", "creator", "business", "seller")
PERSONAL, CREATOR, BUSINESS, SELLER = range(4)

GROUP_KINDS = (
    "organic",
    "household",
    "agency",
    "viral_audience",
    "office_nat",
    "matrix_ring",
    "evasive_ring",
    "engagement_farm",
    "sparse_farm",
    "review_ring",
    "spam_ring",
    "lone_spammer",
    "honest_burst",
)
ORGANIC, HOUSEHOLD, AGENCY, VIRAL, OFFICE_NAT, MATRIX, EVASIVE, FARM = range(8)
SPARSE_FARM, REVIEW_RING = 8, 9
SPAM_RING, LONE_SPAMMER, HONEST_BURST = 10, 11, 12  # the review-site scenario
BAD_KINDS = (MATRIX, EVASIVE, FARM, SPARSE_FARM, REVIEW_RING, SPAM_RING, LONE_SPAMMER)

# Market countries with a long-tailed share of accounts.
COUNTRIES = (
    "US", "ID", "BR", "MX", "PH", "VN", "TH", "GB", "MY", "TR", "DE", "SA", "FR", "JP",
    "KR", "ES", "IT", "PL", "CA", "AU", "AE", "EG", "NG", "PK", "AR", "CO", "CL", "PE",
    "NL", "SE", "RO", "UA", "KZ", "MA", "ZA", "SG", "TW", "BD", "IQ", "DZ",
)  # fmt: skip
COUNTRY_WEIGHTS = 1.0 / np.arange(1, len(COUNTRIES) + 1) ** 0.9
COUNTRY_WEIGHTS /= COUNTRY_WEIGHTS.sum()


class SignalBlock(NamedTuple):
    """Rows of the signals table: account index, kind code, identifier entity, seen_at (us)."""

    account: np.ndarray
    kind: np.ndarray
    entity: np.ndarray
    seen: np.ndarray


class EventBlock(NamedTuple):
    """Rows of the events table: account index, action code, target index, ts (us)."""

    account: np.ndarray
    action: np.ndarray
    target: np.ndarray
    ts: np.ndarray


class Allocator:
    """Hands out fresh identifier entities and fresh targets (beyond the shared universe)."""

    def __init__(self, n_universe_targets: int) -> None:
        self.n_entities = 0
        self.n_targets = n_universe_targets

    def reserve_entities(self, count: int) -> int:
        """The first of ``count`` fresh consecutive entities."""
        start = self.n_entities
        self.n_entities += int(count)
        return start

    def reserve_targets(self, count: int) -> int:
        """The first of ``count`` fresh consecutive targets."""
        start = self.n_targets
        self.n_targets += int(count)
        return start

    def entities(self, count: int) -> np.ndarray:
        start = self.reserve_entities(count)
        return np.arange(start, self.n_entities, dtype=np.int64)

    def targets(self, count: int) -> np.ndarray:
        start = self.reserve_targets(count)
        return np.arange(start, self.n_targets, dtype=np.int64)


def scaled_count(rate_per_10k: float, n_accounts: int, rng: np.random.Generator) -> int:
    """``rate * n / 10k`` rounded up or down at random, so the expectation is exact."""
    expected = rate_per_10k * n_accounts / 10_000
    base = int(np.floor(expected))
    return base + int(rng.random() < expected - base)


def loguniform_int(rng: np.random.Generator, low: int, high: int, size: int) -> np.ndarray:
    """Integers in [low, high] whose logarithm is uniform: many small groups, a few large."""
    draw = np.exp(rng.uniform(np.log(low), np.log(high + 1), size))
    return np.clip(np.floor(draw), low, high).astype(np.int64)


def action_mix(shares: dict[int, float]) -> np.ndarray:
    """Probabilities over every action code from ``{code: share}`` (absent codes get 0)."""
    probs = np.zeros(len(ACTIONS))
    for code, share in shares.items():
        probs[code] = share
    return probs


def categorical(rng: np.random.Generator, probs, size: int) -> np.ndarray:
    """Codes 0..len(probs)-1 drawn with the given probabilities (normalised)."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64))
    cum /= cum[-1]
    return np.minimum(np.searchsorted(cum, rng.random(size), side="right"), len(cum) - 1)


def expand(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group index and position within the group for each member of consecutive groups.

    >>> expand(np.array([2, 3]))
    (array([0, 0, 1, 1, 1]), array([0, 1, 0, 1, 2]))
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    group = np.repeat(np.arange(len(sizes)), sizes)
    starts = np.cumsum(sizes) - sizes
    return group, np.arange(len(group), dtype=np.int64) - starts[group]


def pick_within(rng: np.random.Generator, pool_size: np.ndarray) -> np.ndarray:
    """A uniform index in [0, pool_size[i]) for every i."""
    return np.minimum((rng.random(len(pool_size)) * pool_size).astype(np.int64), pool_size - 1)


def day_offsets(rng: np.random.Generator, low_days, high_days, size: int) -> np.ndarray:
    """Uniform durations in [low_days, high_days) as microseconds."""
    return (rng.uniform(low_days, high_days, size) * DAY).astype(np.int64)


def scrambled_ids(rng: np.random.Generator, count: int, bits: int) -> np.ndarray:
    """``count`` distinct random-looking integers of ``bits`` bits.

    A keyed bijection of ``0 .. count-1`` (add a key, then rounds of xorshift and multiply by
    a random odd number, all modulo ``2**bits``): distinct by construction, so no collision
    check, and consecutive inputs give unrelated outputs.
    """
    if count > 1 << bits:
        raise ValueError(f"Cannot draw {count} distinct ids of {bits} bits.")
    mask = np.uint64((1 << bits) - 1)
    shift = np.uint64(bits // 2)
    high = (1 << bits) - 1
    key = rng.integers(0, high, dtype=np.uint64, endpoint=True)
    multipliers = rng.integers(0, high, size=3, dtype=np.uint64, endpoint=True) | np.uint64(1)
    z = (np.arange(count, dtype=np.uint64) + key) & mask
    for multiplier in multipliers:
        z ^= z >> shift
        z = (z * multiplier) & mask
    z ^= z >> shift
    return z


# Two hex characters per byte value, as little-endian uint16 (first character first).
_HEX_PAIRS = np.array(
    [ord(a) | (ord(b) << 8) for a in "0123456789abcdef" for b in "0123456789abcdef"], dtype="<u2"
)


def hex_strings(values: np.ndarray, n_hex: int, prefix: str = "") -> pl.Series:
    """``prefix`` + the low ``n_hex`` hex digits of each value, built without Python loops."""
    values = np.asarray(values, dtype=np.uint64)
    n = len(values)
    n_bytes = (n_hex + 1) // 2
    big_endian = values.astype(">u8").view(np.uint8).reshape(n, 8)[:, 8 - n_bytes :]
    digits = _HEX_PAIRS[big_endian].view(np.uint8).reshape(n, 2 * n_bytes)
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    width = len(head) + n_hex
    chars = np.empty((n, width), dtype=np.uint8)
    chars[:, : len(head)] = head
    chars[:, len(head) :] = digits[:, 2 * n_bytes - n_hex :]
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    array = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars))
    return pl.Series(pl.from_arrow(array))


def distinct(block: SignalBlock) -> SignalBlock:
    """``block`` without repeated (account, entity) rows (the first one is kept)."""
    if len(block.account) == 0:
        return block
    key = block.account.astype(np.int64) * (int(block.entity.max()) + 1) + block.entity
    _, first = np.unique(key, return_index=True)
    keep = np.sort(first)
    return SignalBlock(*(column[keep] for column in block))

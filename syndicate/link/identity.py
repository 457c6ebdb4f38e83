"""Identity links: accounts that share an identifier value (device, card, IP, phone, ...).

Each shared value is evidence that two accounts have one operator. Its strength falls with
how many accounts share the value (a device shared by 3 says a lot; a NAT IP shared by 5,000
says nothing), and values above the hub cap make no pairs at all: they are returned as hubs.
Evidence from several values of one kind combines as a noisy-OR, so the per-kind evidence on
an edge stays a probability-like number in [0, 1]. For kinds that accounts rotate through
(IPs), a pair of accounts that both hold more values than an ordinary account keeps only part
of that evidence: such accounts meet on some of them by chance (a proxy pool's exits).

Pairs are generated with a numpy sort-sweep over integer codes (no Python loop over pairs):
see PERFORMANCE.md, where this is the fastest of the measured approaches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from syndicate.config import IdentityConfig
from syndicate.features.identity import PERSONAL_FAMILIES, hub_bound_kinds, is_attribute, kind_family
from syndicate.link.codes import AccountIndex, with_ids
from syndicate.sorted_runs import bit_width, new_run, pairs_within_runs

# Per-value strengths are clipped below 1 so that log(1 - s) stays finite.
_MAX_STRENGTH = 0.99
# Seed of the (kind, value) hash that keys shared values.
_VALUE_SEED = 0x1D_E4717
# Column names of the edge table and of other link sources: a signal kind with one of these
# names (the set of kinds is open) gets the evidence column "<kind>_signal" instead.
RESERVED_COLUMNS = frozenset({"account_a", "account_b", "weight", "lockstep", "lockstep_bursts", "given",
                              "rare_coaction", "rare_coaction_targets", "rating_burst", "rating_burst_targets",
                              "cluster_id", "account_id", "component", "group"})


def evidence_column(kind: str) -> str:
    """The edge-table column that carries the evidence of signals of ``kind``."""
    return f"{kind}_signal" if kind in RESERVED_COLUMNS else kind


@dataclass(frozen=True)
class IdentityLinks:
    """Result of :func:`identity_links`.

    pairs: ``account_a < account_b`` as UInt32 codes of ``index``, sorted; one Float32
    evidence column per identifier kind.
    edges: the same with the account ids (String).
    hubs: kind, value, n_accounts for values shared by more accounts than the hub cap.
    n_shared_values: how many values are shared by 2..hub_cap accounts.
    hub_shares: per kind named for a personal identifier, the share of its rows on hub values.
    config: the config the pairs were weighed with: the one given, with the kinds whose
    ``hub_shares`` reach ``property_hub_share``, or whose ``small_shares`` are under
    ``property_small_share``, read as properties (:func:`read_kinds`).
    churn: per churn kind (IPs), ``ordinary_values`` (the values an ordinary account holds:
    pairs of accounts holding more keep part of its evidence, :func:`churn_scale`) and
    ``accounts_above`` (how many hold more).
    """

    pairs: pl.DataFrame
    hubs: pl.DataFrame
    n_shared_values: int
    index: AccountIndex
    hub_shares: dict[str, float]
    config: IdentityConfig
    churn: dict[str, dict[str, float | int]] = dataclasses.field(default_factory=dict)
    # Per kind named for a personal identifier, the share of its rows on values at most
    # SMALL_VALUE_ACCOUNTS accounts hold (None: too few rows to judge; :func:`small_share`).
    small_shares: dict[str, float | None] = dataclasses.field(default_factory=dict)

    @cached_property
    def edges(self) -> pl.DataFrame:
        return with_ids(self.pairs, self.index)


def kind_strength(kind: str, config: IdentityConfig) -> float:
    """Base strength of a signal kind: its own in ``kind_strength``; else ``attribute_strength``
    for a name that reads as a shared property (``"email_domain"``, ``"card_bin"``), else
    ``default_strength`` but at most the strength of the kind its name stands for
    (``"ipv4_24"`` → ip, 0.35). Floors are never inherited."""
    if kind.strip().lower() in config.property_kinds or (kind not in config.kind_strength and is_attribute(kind)):
        return min(config.attribute_strength, config.default_strength)
    if kind in config.kind_strength:
        return config.kind_strength[kind]
    family = kind_family(kind)
    return config.kind_strength.get(family or "", config.default_strength)


def kind_floor(kind: str, config: IdentityConfig) -> float:
    """The strength a value of ``kind`` keeps however many accounts share it (up to
    ``floor_up_to``): the listed kind's floor, none for a kind read as a property (a hub-bound
    "device" on one of its few small values binds no pair on its own)."""
    return 0.0 if kind.strip().lower() in config.property_kinds else config.kind_floor.get(kind, 0.0)


def personal_kinds(kinds: list[str], config: IdentityConfig) -> list[str]:
    """The ``kinds`` named for a personal identifier (``PERSONAL_FAMILIES``) and not read as
    properties already: those whose share of rows on hub values is read (:func:`read_kinds`)."""
    return [k for k in kinds if kind_family(k, config.property_kinds) in PERSONAL_FAMILIES]


def hub_share(hub_rows: int, top: int, rows: int) -> float:
    """The share of a kind's ``rows`` on hub values (``hub_rows``, ``top`` of them on its largest
    hub) that reads as a coarse property: one value holding most of the hub rows is a sentinel
    (the all-zero advertising id every phone that limits ad tracking sends, an "unknown"), which
    the hub cap already sets aside, and is not counted; a property sorts accounts into several
    large classes (a coarse browser fingerprint: 19 values beyond the hub cap, the largest 31%
    of their rows). A single emulator farm of hundreds on one device in a small extract is no
    reason to read the kind's other devices as a property."""
    if rows == 0:
        return 0.0
    return (hub_rows - sentinel_rows(hub_rows, top)) / rows


def sentinel_rows(hub_rows: int, top: int) -> int:
    """The rows of a kind's sentinel value: its largest hub (``top`` rows) when it holds most of
    the ``hub_rows`` (:func:`hub_share`), else none."""
    return top if 2 * top > hub_rows else 0


# A value at most this many accounts hold is a person's or a household's: a phone a couple
# shares, a card on a parent's and a child's account, a device handed on once.
SMALL_VALUE_ACCOUNTS = 3
# A kind's share of rows on such values is judged from this many rows on: a handful of devices
# in a test or a tiny extract says nothing about what the kind is.
MIN_JUDGED_ROWS = 1000
# A kind with at least this share of its rows on such values shows the data's persons (every
# device, card, phone and e-mail kind of 22 marketplaces: 42-100%, all but one above 56%).
PERSONS_SHARE = 0.5


def small_share(small_rows: int, rows: int, sentinel: int = 0) -> float | None:
    """The share of a kind's ``rows`` (account-value pairs) on values at most
    :data:`SMALL_VALUE_ACCOUNTS` accounts hold (``small_rows``), or None under
    :data:`MIN_JUDGED_ROWS` rows. Personal identifiers hold most of their rows there; a coarse
    property almost none (``IdentityConfig.property_small_share``). The ``sentinel`` rows
    (:func:`sentinel_rows`) are left out, as the hub share leaves them out: 2,000 emulated
    accounts on one device image make no property of the devices beside them."""
    rows -= sentinel
    return None if rows < MIN_JUDGED_ROWS else small_rows / rows


def read_kind_figures(config: IdentityConfig, figures: Iterable[tuple[str, int | None, int | None, int | None, int]]
                      ) -> tuple[IdentityConfig, dict[str, float], dict[str, float | None]]:
    """``(config, hub_shares, small_shares)`` from each personal kind's figures over its values,
    ``(kind, hub_rows, top, small_rows, rows)``: rows on hub values, on its largest hub, on values
    of at most :data:`SMALL_VALUE_ACCOUNTS` accounts, and all its rows (an aggregate's nulls read
    as 0); ``config`` with the kinds they read as properties (:func:`read_kinds`). Both engines
    read kinds by this, from their own aggregates."""
    hub_shares: dict[str, float] = {}
    small_shares: dict[str, float | None] = {}
    for kind, hub_rows, top, small_rows, rows in figures:
        hub_rows, top, rows = int(hub_rows or 0), int(top or 0), int(rows)
        hub_shares[kind] = hub_share(hub_rows, top, rows)
        small_shares[kind] = small_share(int(small_rows or 0), rows, sentinel_rows(hub_rows, top))
    return read_kinds(config, hub_shares, small_shares), hub_shares, small_shares


def small_bound_kinds(small_shares: Mapping[str, float | None], max_share: float) -> list[str]:
    """The kinds of ``small_shares`` judged (not None) with under ``max_share`` of their rows on
    small values while another kind of the same family (:func:`kind_family`: a device beside a
    device) holds at least :data:`PERSONS_SHARE` of its rows there: properties, whatever their
    names (``IdentityConfig.property_small_share``). The data's own persons are the yardstick:
    where no kind of the family shows persons (an extract of an operator's pools only, or a
    fingerprint with no device id beside it), nothing is read this way."""
    family = {k: kind_family(k) for k in small_shares}
    persons = {family[k] for k, share in small_shares.items() if share is not None and share >= PERSONS_SHARE}
    return sorted(k for k, share in small_shares.items()
                  if share is not None and share < max_share and family[k] in persons)


def read_kinds(config: IdentityConfig, hub_shares: Mapping[str, float],
               small_shares: Mapping[str, float | None] | None = None) -> IdentityConfig:
    """``config`` with the kinds of ``hub_shares`` (kind → share of its rows on values more than
    ``hub_cap`` accounts hold, for :func:`personal_kinds`) that reach ``property_hub_share``,
    and those of ``small_shares`` (:func:`small_share`) under ``property_small_share``, added to
    ``property_kinds`` (``features.identity.hub_bound_kinds``, :func:`small_bound_kinds`)."""
    # Names as the config holds them (stripped, lower-case), which the weighing compares with.
    found = [k.strip().lower() for k in (*hub_bound_kinds(hub_shares, config.property_hub_share),
                                         *small_bound_kinds(small_shares or {}, config.property_small_share))]
    if not found:
        return config
    return dataclasses.replace(config, property_kinds=tuple(dict.fromkeys([*config.property_kinds, *found])))


def value_strength(kind_base: np.ndarray, n_accounts: np.ndarray,
                   kind_floor: np.ndarray | float = 0.0, floor_up_to: int | None = None) -> np.ndarray:
    """Evidence that two of the ``n_accounts`` accounts sharing a value have one operator.

    ``max(base / log2(n), floor)``: full base strength for a value shared by exactly two
    accounts, half of it at four, a third at eight, never below the kind's floor while at
    most ``floor_up_to`` accounts share it (None: however many).
    """
    n = np.maximum(n_accounts.astype(np.float64), 2.0)
    if floor_up_to is not None:
        kind_floor = np.where(n <= floor_up_to, kind_floor, 0.0)
    return np.minimum(np.maximum(kind_base / np.log2(n), kind_floor), _MAX_STRENGTH)


def identity_links(signals: pl.DataFrame, *, config: IdentityConfig | None = None,
                   index: AccountIndex | None = None) -> IdentityLinks:
    """Weighted account–account edges from shared identifier values.

    Parameters
    ----------
    signals : DataFrame with ``account_id``, ``kind``, ``value`` (validated).
    config : IdentityConfig
    index : AccountIndex, optional
        The dataset's account codes (``Dataset.account_index``); by default made from the
        signals' own account ids.

    Examples
    --------
    >>> sig = pl.DataFrame({"account_id": ["a", "b", "c"], "kind": ["device"] * 3,
    ...                     "value": ["d1", "d1", "d2"]})
    >>> identity_links(sig).edges.select("account_a", "account_b").rows()
    [('a', 'b')]
    """
    config = config or IdentityConfig()
    index = index if index is not None else AccountIndex.of(signals["account_id"])
    kinds = sorted(signals["kind"].unique().to_list())
    # Values are keyed by a 64-bit hash of (kind, value) and accounts by their codes: the
    # dedup, counts and sorts below run on integers, not on millions of strings (1M accounts:
    # 5.6M signal rows in 1.5 s, where the same on strings took 6 s). Two values sharing a hash
    # would count as one (odds ~ n² / 2⁶⁵); strings are looked up only for the few hubs.
    value_key = signals.select("kind", "value").hash_rows(seed=_VALUE_SEED)
    # Rows in no particular order (everything below groups or sorts): the codes by an
    # unordered join, and no dedup pass when the rows are distinct already, as validated
    # signals are (distinct row hashes prove it; 5.6M rows: 0.4 s instead of 2 s).
    rows = index.coded(pl.DataFrame({
        "account_id": signals["account_id"],
        "kind_code": signals["kind"].cast(pl.Enum(kinds)).to_physical(),
        "value": value_key,
    })).select("acc", "kind_code", "value")
    if rows.hash_rows(seed=_VALUE_SEED).n_unique() != rows.height:
        rows = rows.unique()
    counts = rows.group_by("value").agg(pl.len().cast(pl.UInt32).alias("n_accounts"),
                                        pl.col("kind_code").first())
    # A kind named for a personal identifier that mostly sits on hub values is a property
    # (IdentityConfig.property_hub_share): its values are weighed as one.
    personal = [kinds.index(k) for k in personal_kinds(kinds, config)]
    hub = pl.col("n_accounts").filter(pl.col("n_accounts") > config.hub_cap)
    small = pl.col("n_accounts").filter(pl.col("n_accounts") <= SMALL_VALUE_ACCOUNTS)
    shares = (counts.filter(pl.col("kind_code").is_in(personal)).group_by("kind_code")
              .agg(hub.sum().alias("hub_rows"), hub.max().alias("top"), small.sum().alias("small_rows"),
                   pl.col("n_accounts").sum().alias("rows")))
    config, hub_shares, small_shares = read_kind_figures(
        config, ((kinds[c], *figures) for c, *figures in sorted(shares.iter_rows())))
    counts = counts.drop("kind_code")
    hub_keys = counts.filter(pl.col("n_accounts") > config.hub_cap)
    hubs = (
        signals.select("kind", "value", key=value_key)
        .join(hub_keys, left_on="key", right_on="value", how="inner")
        .unique(["kind", "value"]).select("kind", "value", "n_accounts")
        .sort(["n_accounts", "kind", "value"], descending=[True, False, False])
    )
    shared = counts.filter(pl.col("n_accounts").is_between(2, config.hub_cap))
    churn = values_held(rows, len(index), [kinds.index(k) for k in churn_kinds(kinds, config)], config)
    summary = {code: churn_summary(ordinary, int((held > ordinary).sum())) for code, (held, ordinary) in churn.items()}
    member_rows = rows.join(shared, on="value", how="inner")
    # Only a kind with an account above the ordinary count has a pair to scale.
    scaled = {code: churn[code] for code, item in summary.items() if item["accounts_above"]}
    pairs = _pairs(member_rows, len(index), kinds, config, scaled)
    return IdentityLinks(pairs=pairs, hubs=hubs, n_shared_values=shared.height, index=index,
                         hub_shares=hub_shares, config=config,
                         churn={kinds[code]: item for code, item in summary.items()}, small_shares=small_shares)


def churn_summary(ordinary: float, accounts_above: int) -> dict[str, float | int]:
    """A churn kind's entry of ``IdentityLinks.churn`` (and the manifest's ``link.churn``), as
    both engines write it."""
    return {"ordinary_values": ordinary, "accounts_above": accounts_above}


def churn_kinds(kinds: list[str], config: IdentityConfig) -> list[str]:
    """The ``kinds`` whose values ordinary accounts rotate through and share (IPs:
    ``IdentityConfig.churn_families``), not read as properties."""
    return [k for k in kinds if kind_family(k, config.property_kinds) in config.churn_families]


def ordinary_count(held: np.ndarray, config: IdentityConfig) -> float:
    """How many values of a churn kind an ordinary account holds: the larger of
    ``churn_ordinary`` and the ``churn_quantile`` of ``held`` (values per account holding any)."""
    return ordinary_of(float(np.quantile(held, config.churn_quantile)) if len(held) else 0.0, config)


def ordinary_of(typical: float, config: IdentityConfig) -> float:
    """The larger of ``churn_ordinary`` and ``typical`` (a kind's ``churn_quantile`` of values per
    account, as each engine computes it)."""
    # Rounded: Spark's exact percentile interpolates in another order than numpy (one ulp apart).
    return max(float(config.churn_ordinary), round(typical, 6))


def churn_scale(held_a: np.ndarray, held_b: np.ndarray, ordinary: float) -> np.ndarray:
    """The share of a churn kind's evidence a pair keeps when its accounts hold ``held_a`` and
    ``held_b`` values of the kind: ``min(1, ordinary / min(held_a, held_b))``
    (``IdentityConfig.churn_ordinary``). In place on one float64 array (memory: one column of
    the pairs with evidence of the kind)."""
    scale = np.minimum(held_a, held_b).astype(np.float64)
    np.maximum(scale, 1.0, out=scale)
    np.divide(ordinary, scale, out=scale)
    np.minimum(scale, 1.0, out=scale)
    return scale


def values_held(rows: pl.DataFrame, n_ids: int, codes: list[int], config: IdentityConfig
                ) -> dict[int, tuple[np.ndarray, float]]:
    """For each kind code of ``codes``: the number of its values each account holds (by account
    code, 0 for none) and the count an ordinary account holds (:func:`ordinary_count`)."""
    if not codes:
        return {}
    held = rows.filter(pl.col("kind_code").is_in(codes)).group_by("kind_code", "acc").agg(pl.len().alias("n"))
    out = {}
    for code in codes:
        mine = held.filter(pl.col("kind_code") == code)
        per_account = np.zeros(n_ids, dtype=np.uint32)
        per_account[mine["acc"].to_numpy()] = mine["n"].to_numpy()
        out[code] = (per_account, ordinary_count(mine["n"].to_numpy(), config))
    return out


def _pairs(member_rows: pl.DataFrame, n_ids: int, kinds: list[str], config: IdentityConfig,
           churn: Mapping[int, tuple[np.ndarray, float]]) -> pl.DataFrame:
    schema = {"account_a": pl.UInt32, "account_b": pl.UInt32} | {evidence_column(k): pl.Float32 for k in kinds}
    if member_rows.height == 0:
        return pl.DataFrame(schema=schema)
    # Grouped by value, accounts ascending inside each; values ordered by (kind, sharers) so
    # that a pair's terms are summed in an order that does not depend on the hash.
    rows = member_rows.sort("kind_code", "n_accounts", "value", "acc")
    acc = rows["acc"].to_numpy().astype(np.int64)
    value_code = rows["value"].to_numpy()
    n_acc = rows["n_accounts"].to_numpy()
    kind_code = rows["kind_code"].to_numpy().astype(np.int64)

    base = np.array([kind_strength(k, config) for k in kinds])
    floor = np.array([kind_floor(k, config) for k in kinds])
    log_miss = np.log1p(-value_strength(base[kind_code], n_acc, floor[kind_code], config.floor_up_to))

    # Each row pairs with every later row of its value's block.
    src, dst = pairs_within_runs(value_code)
    id_bits = bit_width(n_ids - 1)
    key = acc[src]  # a < b: rows are sorted by account inside each block (built in place)
    key <<= id_bits
    key |= acc[dst]
    del dst

    # Sort by pair, ties in row order (a stable order: each pair's terms are summed in a fixed
    # order). Packing the row into the key's low bits lets one plain sort do it, 6x faster
    # than a stable argsort; when the key does not fit, the stable argsort does.
    row_bits = bit_width(len(acc) - 1)
    if 2 * id_bits + row_bits <= 63:
        key <<= row_bits
        key |= src
        key.sort()
        src = key & ((1 << row_bits) - 1)
        key >>= row_bits
    else:
        order = np.argsort(key, kind="stable")
        key, src = key[order], src[order]
        del order
    new_pair = new_run(key)
    unique_key = key[new_pair]
    pair_index = np.cumsum(new_pair)
    pair_index -= 1
    n_pairs = len(unique_key)
    pair_kind, pair_log_miss = kind_code[src], log_miss[src]

    columns: dict[str, np.ndarray] = {
        "account_a": (unique_key >> id_bits).astype(np.uint32),
        "account_b": (unique_key & ((1 << id_bits) - 1)).astype(np.uint32),
    }
    # Per-kind sums of log(1 - strength), one kind at a time (memory: one column of pairs,
    # however many kinds the data has); bincount adds in row order, as above.
    for code, kind in enumerate(kinds):
        mine = pair_kind == code
        # (Float64 even for a kind with no pairs, where bincount gives integer zeros.)
        summed = np.bincount(pair_index[mine], weights=pair_log_miss[mine], minlength=n_pairs).astype(
            np.float64, copy=False)
        del mine
        # In place, the same operations: no fresh 72 MB temporaries per kind at 9M pairs.
        np.expm1(summed, out=summed)
        np.subtract(0.0, summed, out=summed)
        if code in churn:  # on the pairs with evidence of the kind only (memory: a share of all pairs)
            held, ordinary = churn[code]
            on = np.flatnonzero(summed)
            summed[on] *= churn_scale(held[columns["account_a"][on]], held[columns["account_b"][on]], ordinary)
            del on
        columns[evidence_column(kind)] = summed.astype(np.float32)
        del summed
    return pl.DataFrame(columns, schema=schema)

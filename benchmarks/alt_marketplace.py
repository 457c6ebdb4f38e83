"""An independent marketplace generator: a second test bed, built apart from ``syndicate/synthetic``.

Usage::

    python benchmarks/alt_marketplace.py OUT_DIR --accounts 20000 --seed 1

writes ``accounts``, ``signals``, ``events`` and ``labels`` (the data contract) and
``truth.parquet`` (``account_id, group_id, group_kind, is_bad`` — what
``syndicate evaluate --truth`` reads; ``group_id`` is null for accounts in no group).

What it plants, from how fraud and its look-alikes behave on a creator/shop platform:

* organic traffic: heavy-tailed account activity over heavy-tailed target popularity; a post
  draws its attention in the hours after it is published, so popular posts make heavy buckets;
* viral posts (thousands of actions in minutes) and live streams (hundreds of viewers cheering
  and gifting in bursts) — heavy lockstep buckets that bind nobody;
* ``matrix_ring`` (bad): one operator, 3–80 accounts on a few phones, devices and cards, often
  created in a burst, logging into the accounts one after another to push the ring's items;
* ``engagement_farm`` (bad): 20–400 workers with their own devices who share only a pool of
  proxy IPs (also used by strangers); each job takes 10–35% of the workers, spread over 1–5
  minutes, and the workers keep an organic life of their own;
* ``review_ring`` (bad): a few extreme ratings per account (``rate_5`` for the ring's items,
  ``rate_1`` for competitors) on the same items within the same days;
* benign look-alikes: ``household`` (one home IP and address, sometimes a shared tablet or
  card, watching the same posts together), ``agency`` (brand accounts run from one office on a
  few staff laptops, publishing on the hour), ``campus`` (students behind a few Wi-Fi IPs,
  created at semester start, acting on campus posts), ``fan_community`` (fans acting on every
  post and live stream of their creator, many within seconds of the notification), and carrier
  NAT IPs and public hotspots shared by thousands (their users stay ``organic`` in truth).

Labels are partial: about 30% of the bad groups have some members labelled 1, and a sample of
organic and household accounts is labelled 0. Action names are this generator's own.
Everything is vectorised numpy/polars and seeded: the same ``--accounts`` and ``--seed`` give
the same tables.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
START = 1_780_272_000  # 2026-06-01 00:00:00 UTC
SPAN_DAYS = 28
END = START + SPAN_DAYS * DAY

ACTIONS = np.array(["heart", "reply", "repost", "save", "watch", "view_item", "wish", "buy", "rate_1",
                    "rate_2", "rate_3", "rate_4", "rate_5", "subscribe", "cheer", "gift", "join_live",
                    "publish"])
A = {name: i for i, name in enumerate(ACTIONS)}
POST_ACTIONS, POST_P = [A[a] for a in ("heart", "watch", "reply", "repost", "save")], [.55, .2, .08, .07, .1]
ITEM_ACTIONS = [A[a] for a in ("view_item", "wish", "buy", "rate_1", "rate_2", "rate_3", "rate_4", "rate_5")]
ITEM_P = [.5, .15, .2, .0075, .0075, .015, .045, .075]
COUNTRIES = np.array(["BR", "IN", "ID", "US", "MX", "PH", "NG", "DE", "VN", "TR"])
COUNTRY_P = np.array([.16, .2, .14, .12, .08, .08, .07, .05, .05, .05])
TZ_HOURS = np.array([-3, 5, 7, -5, -6, 8, 1, 1, 7, 3])
# Share of events by local hour: quiet at night, a peak in the evening.
DIURNAL = np.array([2, 1.5, 1, .7, .5, .6, 1, 2, 3, 3.5, 4, 4, 4.5, 4.5, 4, 4, 4.5, 5, 6, 7, 7.5, 7, 5, 3])
DIURNAL = DIURNAL / DIURNAL.sum()

# kind: (share of accounts, size sampler, is_bad)
BAD_KINDS = ("matrix_ring", "engagement_farm", "review_ring")
GROUP_SHARE = {"matrix_ring": .02, "engagement_farm": .04, "review_ring": .01,
               "household": .10, "agency": .006, "campus": .03, "fan_community": .04}


def _sizes(rng: np.random.Generator, kind: str, count: int) -> np.ndarray:
    if kind == "matrix_ring":  # mostly small, a long tail up to 80
        band = rng.choice(3, count, p=[.55, .30, .15])
        return np.choose(band, [rng.integers(3, 11, count), rng.integers(10, 31, count), rng.integers(30, 81, count)])
    if kind == "engagement_farm":
        return np.clip(rng.lognormal(np.log(50), .6, count), 20, 400).astype(np.int64)
    if kind == "review_ring":
        return rng.integers(6, 41, count)
    if kind == "household":
        return rng.choice([2, 3, 4, 5, 6], count, p=[.45, .25, .18, .08, .04])
    if kind == "agency":
        return rng.integers(8, 61, count)
    if kind == "campus":
        return rng.integers(200, 2001, count)
    return np.clip(rng.lognormal(np.log(80), .8, count), 25, 800).astype(np.int64)  # fan_community


def splitmix64(x: np.ndarray) -> np.ndarray:
    """A bijective 64-bit mix: distinct inputs give distinct, unrelated-looking outputs."""
    z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _affine(index: np.ndarray, salt: int, digits: int) -> np.ndarray:
    """``index`` mapped to [0, 10**digits) by an affine map with a multiplier prime to 10 — a
    bijection, so distinct indices keep distinct numbers while consecutive ones look unrelated."""
    if digits > 12:
        raise ValueError("at most 12 digits (the products below must fit in 64 bits)")
    modulus = np.uint64(10 ** digits)
    multiplier = int(splitmix64(np.array([salt]))[0]) % 10 ** digits | 1
    multiplier += 2 if multiplier % 5 == 0 else 0
    idx = np.asarray(index, dtype=np.uint64) % modulus
    low, high = np.uint64(multiplier % 10 ** 6), np.uint64(multiplier // 10 ** 6)
    return (idx * low + (idx * high % modulus) * np.uint64(10 ** 6) + np.uint64(salt)) % modulus


def opaque_ids(prefix: str, index: np.ndarray, salt: int, digits: int = 11) -> pl.Series:
    """``prefix`` + ``digits`` decimal digits of `_affine` (unique for distinct indices; 12 bytes
    or less stays inline in polars string views)."""
    numbers = pl.Series(_affine(index, salt, digits)).cast(pl.String).str.zfill(digits)
    return numbers if not prefix else pl.select(pl.concat_str(pl.lit(prefix), numbers)).to_series()


def _local_ts(rng: np.random.Generator, tz: np.ndarray, day_lo: float = 0, day_hi: float = SPAN_DAYS) -> np.ndarray:
    """Timestamps in [START + day_lo, START + day_hi) days, diurnal in each account's local time."""
    day = rng.integers(int(day_lo), max(int(day_hi), int(day_lo) + 1), len(tz))
    hour = rng.choice(24, len(tz), p=DIURNAL)
    return START + day * DAY + ((hour - tz) % 24) * 3600 + rng.integers(0, 3600, len(tz))


def _fold_into_span(rng: np.random.Generator, ts: np.ndarray, lo: np.ndarray | int = START) -> np.ndarray:
    """Times outside [START, END) are redrawn uniformly in [max(lo, START), END) — never piled up
    on a boundary, which would make artificial lockstep buckets."""
    out = ts.copy()
    bad = (out < START) | (out >= END)
    low = np.maximum(np.broadcast_to(lo, ts.shape)[bad], START)
    out[bad] = low + (rng.random(int(bad.sum())) * (END - low)).astype(np.int64)
    return out


class _Targets:
    """Allocates target indices; every block of targets gets a fresh range."""

    def __init__(self) -> None:
        self.n = 0

    def take(self, k: int) -> np.ndarray:
        out = np.arange(self.n, self.n + k, dtype=np.int64)
        self.n += k
        return out


def _zipf_p(n: int, s: float, q: float) -> np.ndarray:
    p = (np.arange(n) + q) ** -s
    return p / p.sum()


def _group_layout(rng: np.random.Generator, n: int) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Disjoint groups over a random permutation of the accounts.

    Returns the group index of each account (-1 for none), the kind of each group, and each
    group's members as (offsets, members) with members of group g in members[offsets[g]:offsets[g+1]].
    """
    perm = rng.permutation(n)
    kinds, sizes = [], []
    for kind, share in GROUP_SHARE.items():
        budget = int(round(share * n))
        drawn = _sizes(rng, kind, max(4, 2 * budget // 3 + 4))
        keep = drawn[np.cumsum(drawn) <= budget]
        if keep.size == 0 and budget >= 3:  # small marketplaces still get one group of a kind
            keep = np.array([min(int(drawn[0]), budget)])
        kinds += [kind] * keep.size
        sizes.append(keep)
    sizes = np.concatenate(sizes).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    if offsets[-1] > n:
        raise ValueError(f"--accounts {n} is too small for the planted groups")
    members = perm[: offsets[-1]]
    group_of = np.full(n, -1, dtype=np.int64)
    group_of[members] = np.repeat(np.arange(sizes.size), sizes)
    return group_of, kinds, offsets, members


def _pairs(offsets: np.ndarray, members: np.ndarray, groups: np.ndarray, counts: np.ndarray):
    """Every member of group ``groups[i]`` crossed with each of that group's ``counts[i]`` items.

    Returns ``item`` (0..counts.sum()-1, numbered group after group), ``pos`` (i), ``rank``
    (the member's rank in its group) and ``acc`` (the member's account index), one per row."""
    sizes = offsets[groups + 1] - offsets[groups]
    item_pos = np.repeat(np.arange(groups.size), counts)
    per_item = sizes[item_pos]
    item = np.repeat(np.arange(item_pos.size), per_item)
    rank = np.arange(item.size) - np.repeat(np.cumsum(per_item) - per_item, per_item)
    pos = item_pos[item]
    return item, pos, rank, members[offsets[groups][pos] + rank]


def _members(offsets: np.ndarray, members: np.ndarray, groups: np.ndarray):
    """One row per member of each group in ``groups``: (pos, rank, acc)."""
    _, pos, rank, acc = _pairs(offsets, members, groups, np.ones(groups.size, dtype=np.int64))
    return pos, rank, acc


SIGNAL_KINDS = ("device", "phone", "email", "payment", "ip", "address")
ACCOUNT_TYPES = np.array(["member", "seller", "creator", "brand"])


class _Build:
    """The marketplace being built: account attributes, and signal and event rows in chunks."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = rng = np.random.default_rng(seed)
        self.n = n
        self.group_of, kinds, self.offsets, self.members = _group_layout(rng, n)
        self.kinds = np.array(kinds)
        self.country = rng.choice(COUNTRIES.size, n, p=COUNTRY_P)
        self.tz = TZ_HOURS[self.country]
        # Sign-ups grow over time: most accounts are months to a few years old, 3% join during the window.
        self.created = START - (np.minimum(rng.exponential(400, n), 6 * 365) * DAY).astype(np.int64) \
            - rng.integers(0, DAY, n)
        fresh = rng.random(n) < .03
        self.created[fresh] = START + rng.integers(0, (SPAN_DAYS - 1) * DAY, int(fresh.sum()))
        self.type = rng.choice(3, n, p=[.86, .1, .04])
        self.activity = rng.lognormal(0, 1.2, n)
        self.next_value = dict.fromkeys(SIGNAL_KINDS, 0)
        self.signals: list[tuple[np.ndarray, int, np.ndarray]] = []
        self.events: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.targets = _Targets()
        self.n_posts, self.n_items = int(.6 * n), int(.3 * n)
        self.posts, self.items = self.targets.take(self.n_posts), self.targets.take(self.n_items)
        self.post_p, self.item_p = _zipf_p(self.n_posts, .95, 5), _zipf_p(self.n_items, .85, 3)
        self.pub = START + rng.integers(-3 * DAY, SPAN_DAYS * DAY, self.n_posts)
        # (kind, probability per account of having an own value); planters lower it where a
        # group shares its identifiers instead.  Two device rows: a phone, and sometimes a laptop.
        self.own_p = [(kind, np.full(n, p)) for kind, p in (
            ("device", 1.0), ("device", .3), ("phone", .85), ("email", .95), ("payment", .45),
            ("ip", .8), ("address", .3))]

    def set_own(self, kind: str, acc: np.ndarray, p, which: int = 0) -> None:
        """Set the own-value probability of ``kind`` (its ``which``-th row) for ``acc``."""
        rows = [arr for k, arr in self.own_p if k == kind]
        rows[which][acc] = p

    def groups(self, kind: str) -> np.ndarray:
        return np.flatnonzero(self.kinds == kind)

    def values(self, kind: str, k: int) -> np.ndarray:
        out = np.arange(self.next_value[kind], self.next_value[kind] + k, dtype=np.int64)
        self.next_value[kind] += k
        return out

    def signal(self, kind: str, acc: np.ndarray, value: np.ndarray) -> None:
        self.signals.append((np.asarray(acc, dtype=np.int64), SIGNAL_KINDS.index(kind),
                             np.asarray(value, dtype=np.int64)))

    def own(self, kind: str, p: np.ndarray) -> None:
        """Each account gets its own value of ``kind`` with probability ``p`` (per account)."""
        acc = np.flatnonzero(self.rng.random(self.n) < p)
        self.signal(kind, acc, self.values(kind, acc.size))

    def event(self, acc, target, ts, action) -> None:
        k = len(acc)
        self.events.append((np.asarray(acc, dtype=np.int64), np.broadcast_to(np.asarray(target, dtype=np.int64), k),
                            np.asarray(ts, dtype=np.int64), np.broadcast_to(np.asarray(action, dtype=np.int8), k)))

    def burst_created(self, acc: np.ndarray, pos: np.ndarray, n_groups: int, p_burst: float) -> None:
        """Groups created in a burst (all members within hours to days) with ``p_burst``, or over
        a few weeks otherwise; the rest keep organic (aged, bought) creation dates."""
        rng = self.rng
        mode = rng.choice(3, n_groups, p=[p_burst, (1 - p_burst) * .6, (1 - p_burst) * .4])
        base = START - rng.integers(2, 120, n_groups) * DAY
        width = np.where(mode == 0, rng.uniform(.1, 3, n_groups), rng.uniform(14, 35, n_groups)) * DAY
        new = base[pos] + (rng.random(acc.size) * width[pos]).astype(np.int64)
        self.created[acc] = np.where(mode[pos] == 2, self.created[acc], new)


def _shared_signals(b: _Build) -> None:
    """Everyone's own identifiers (groups lowered ``own_p`` where they share instead), carrier
    NAT IPs and public hotspots."""
    rng, n = b.rng, b.n
    for kind, p in b.own_p:
        b.own(kind, p)
    # Carrier NAT: 35% of accounts are on mobile data; a few hundred NAT IPs carry them all.
    n_nat = max(2, n // 5000)
    nat, nat_p = b.values("ip", n_nat), _zipf_p(n_nat, .6, 1)
    mobile = np.flatnonzero(rng.random(n) < .35)
    for who in (mobile, mobile[rng.random(mobile.size) < .5]):
        b.signal("ip", who, nat[rng.choice(n_nat, who.size, p=nat_p)])
    # Public hotspots (cafes, malls, airports): a handful to a few hundred strangers each.
    n_spot = max(2, n // 400)
    users = np.flatnonzero(rng.random(n) < .05)
    b.signal("ip", users, b.values("ip", n_spot)[rng.choice(n_spot, users.size, p=_zipf_p(n_spot, .8, 2))])


def _signal_time(b: _Build, acc: np.ndarray) -> np.ndarray:
    lo = b.created[acc]
    return lo + (b.rng.random(acc.size) * (END - lo)).astype(np.int64)


def _pick(b: _Build, pos: np.ndarray, pool_start: np.ndarray, pool_size: np.ndarray) -> np.ndarray:
    """One value per row from its group's pool ``[pool_start, pool_start + pool_size)``."""
    return pool_start[pos] + (b.rng.random(pos.size) * pool_size[pos]).astype(np.int64)


def _pool(b: _Build, kind: str, sizes: np.ndarray) -> np.ndarray:
    """Fresh values of ``kind``, ``sizes[i]`` for group i; returns each group's first value."""
    first = b.values(kind, int(sizes.sum()))[:1]
    start = first[0] if first.size else 0
    return start + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def _sessions_in_order(b: _Build, item: np.ndarray, gap_lo: float, gap_hi: float) -> np.ndarray:
    """Seconds from each session's start when its rows are worked one after another (an operator
    logging into account after account), in a random order."""
    rng = b.rng
    order = np.lexsort((rng.random(item.size), item))
    gaps = rng.uniform(gap_lo, gap_hi, item.size)
    done = np.cumsum(gaps) - gaps
    first = np.searchsorted(item[order], item[order], side="left")
    out = np.empty(item.size, dtype=np.int64)
    out[order] = (done - done[first]).astype(np.int64)
    return out


def _home_country(b: _Build, acc: np.ndarray, pos: np.ndarray, n_groups: int, share: float) -> np.ndarray:
    home = b.rng.choice(COUNTRIES.size, n_groups, p=COUNTRY_P)
    same = b.rng.random(acc.size) < share
    b.country[acc] = np.where(same, home[pos], b.country[acc])
    b.tz[acc] = TZ_HOURS[b.country[acc]]
    return home


def plant_matrix_rings(b: _Build) -> None:
    rng, g = b.rng, b.groups("matrix_ring")
    k, size = g.size, np.diff(b.offsets)[g]
    pos, rank, acc = _members(b.offsets, b.members, g)
    b.burst_created(acc, pos, k, p_burst=.6)
    home = _home_country(b, acc, pos, k, .85)
    b.type[acc] = np.where((rank == 0) | (rng.random(acc.size) < .3), 1, 0)
    b.activity[acc] *= .3
    for kind in ("ip", "address"):
        b.set_own(kind, acc, 0.0)
    b.set_own("device", acc, 0.0, which=1)
    spoof = rng.random(k) < .3  # these rings fake a fresh device id per account
    on_pool = ~spoof[pos]
    n_dev = np.ceil(size / rng.uniform(4, 25, k)).astype(np.int64)
    dev0 = _pool(b, "device", n_dev)
    b.set_own("device", acc[on_pool], 0.0)
    b.signal("device", acc[on_pool], _pick(b, pos[on_pool], dev0, n_dev))
    second = on_pool & (rng.random(acc.size) < .3)
    b.signal("device", acc[second], _pick(b, pos[second], dev0, n_dev))
    for kind, p_ring, lo, hi, p_member in (("phone", .5, 3, 15, .9), ("payment", .7, 5, 40, .8)):
        shares = (rng.random(k) < p_ring)[pos]
        n_pool = np.ceil(size / rng.uniform(lo, hi, k)).astype(np.int64)
        start = _pool(b, kind, n_pool)
        b.set_own(kind, acc[shares], 0.0)
        use = shares & (rng.random(acc.size) < p_member)
        b.signal(kind, acc[use], _pick(b, pos[use], start, n_pool))
    n_ip = rng.integers(1, 4, k)
    ip0 = _pool(b, "ip", n_ip)
    b.signal("ip", acc, _pick(b, pos, ip0, n_ip))
    extra = rng.random(acc.size) < .5
    b.signal("ip", acc[extra], _pick(b, pos[extra], ip0, n_ip))
    addressed = (rng.random(k) < .2)[pos]
    b.signal("address", acc[addressed], b.values("address", k)[pos[addressed]])
    # The ring's items, published by its first account and pushed in sessions: the operator
    # works the accounts one after another, 15-90 s apart.
    n_items = rng.integers(2, 11, k)
    item0 = b.targets.take(int(n_items.sum()))[0] + np.concatenate([[0], np.cumsum(n_items)[:-1]])
    lead = acc[rank == 0]
    owner = np.repeat(np.arange(k), n_items)
    items = item0[owner] + np.arange(owner.size) - np.repeat(np.cumsum(n_items) - n_items, n_items)
    b.event(lead[owner], items, START + rng.integers(0, 5 * DAY, items.size), A["publish"])
    n_sessions = rng.integers(3, 16, k)
    item, spos, _, sacc = _pairs(b.offsets, b.members, g, n_sessions)
    keep = rng.random(item.size) < rng.uniform(.6, 1, k)[spos]
    item, spos, sacc = item[keep], spos[keep], sacc[keep]
    session_pos = np.repeat(np.arange(k), n_sessions)
    target = item0[session_pos] + (rng.random(session_pos.size) * n_items[session_pos]).astype(np.int64)
    action = rng.choice([A["view_item"], A["wish"], A["buy"], A["rate_5"], A["heart"]], session_pos.size,
                        p=[.3, .2, .15, .2, .15])
    t0 = _local_ts(rng, TZ_HOURS[home[session_pos]])
    ts = t0[item] + _sessions_in_order(b, item, 15, 90)
    b.event(sacc, target[item], _fold_into_span(rng, ts), action[item])


def plant_farms(b: _Build) -> None:
    rng, g = b.rng, b.groups("engagement_farm")
    k, size = g.size, np.diff(b.offsets)[g]
    pos, _, acc = _members(b.offsets, b.members, g)
    # Half the farms buy aged accounts (organic creation dates); half register them in waves.
    waves = rng.random(k) < .5
    n_waves = rng.integers(2, 6, k)
    wave0 = np.concatenate([[0], np.cumsum(n_waves)[:-1]])
    wave_date = START - rng.integers(5, 300, int(n_waves.sum())) * DAY
    my_wave = wave0[pos] + (rng.random(acc.size) * n_waves[pos]).astype(np.int64)
    b.created[acc] = np.where(waves[pos], wave_date[my_wave] + rng.integers(0, 2 * DAY, acc.size), b.created[acc])
    _home_country(b, acc, pos, k, .8)
    b.type[acc] = 0
    for kind, p in (("phone", .6), ("payment", .1), ("ip", 0.0), ("address", 0.0)):
        b.set_own(kind, acc, p)
    b.set_own("device", acc, 0.0, which=1)
    # Only a pool of residential proxy IPs binds the workers; strangers rent the same proxies.
    n_proxy = np.maximum(3, size // rng.integers(4, 13, k))
    proxy0 = _pool(b, "ip", n_proxy)
    uses = rng.integers(1, 4, acc.size)
    row_pos = np.repeat(pos, uses)
    b.signal("ip", np.repeat(acc, uses), _pick(b, row_pos, proxy0, n_proxy))
    proxies = np.arange(proxy0[0], proxy0[0] + n_proxy.sum()) if k else np.zeros(0, dtype=np.int64)
    strangers = rng.integers(0, 9, proxies.size)
    b.signal("ip", rng.integers(0, b.n, int(strangers.sum())), np.repeat(proxies, strangers))
    # Jobs: each takes 10-35% of the workers, who act within 1-5 minutes of the job's start.
    n_jobs = rng.integers(20, 81, k)
    item, _, _, jacc = _pairs(b.offsets, b.members, g, n_jobs)
    n_all = int(n_jobs.sum())
    frac, spread = rng.uniform(.10, .35, n_all), rng.uniform(60, 300, n_all)
    keep = rng.random(item.size) < frac[item]
    item, jacc = item[keep], jacc[keep]
    on_post = rng.random(n_all) < .7
    target = np.where(on_post, b.posts[rng.integers(0, b.n_posts, n_all)], b.items[rng.integers(0, b.n_items, n_all)])
    action = np.where(on_post, rng.choice([A["heart"], A["subscribe"], A["repost"], A["watch"], A["reply"]], n_all,
                                          p=[.4, .15, .15, .2, .1]),
                      rng.choice([A["wish"], A["view_item"], A["save"]], n_all))
    t0 = START + rng.integers(0, SPAN_DAYS * DAY - 600, n_all)
    ts = t0[item] + (rng.random(item.size) * spread[item]).astype(np.int64)
    b.event(jacc, target[item], ts, action[item])
    twice = rng.random(item.size) < .1
    b.event(jacc[twice], target[item[twice]], ts[twice] + rng.integers(5, 60, int(twice.sum())), A["save"])


def plant_review_rings(b: _Build) -> None:
    rng, g = b.rng, b.groups("review_ring")
    k = g.size
    pos, _, acc = _members(b.offsets, b.members, g)
    b.burst_created(acc, pos, k, p_burst=.3)
    b.activity[acc] *= .5
    b.set_own("ip", acc, .5)
    carded = (rng.random(k) < .4)[pos] & (rng.random(acc.size) < .3)
    b.set_own("payment", acc[carded], 0.0)
    b.signal("payment", acc[carded], b.values("payment", k)[pos[carded]])
    n_vpn = rng.integers(1, 3, k)
    vpn = (rng.random(k) < .5)[pos] & (rng.random(acc.size) < .4)
    b.signal("ip", acc[vpn], _pick(b, pos[vpn], _pool(b, "ip", n_vpn), n_vpn))
    # The ring's own items get five stars, competitors' popular items one star, each item in a
    # campaign of two days; every member reviews a few of them.
    n_items = rng.integers(4, 15, k)
    item, ipos, _, iacc = _pairs(b.offsets, b.members, g, n_items)
    n_all = int(n_items.sum())
    own = rng.random(n_all) < .7
    target = np.where(own, b.items[rng.integers(0, b.n_items, n_all)],
                      b.items[rng.choice(b.n_items, n_all, p=b.item_p)])
    keep = rng.random(item.size) < rng.uniform(3, 8, k)[ipos] / n_items[ipos]
    item, iacc = item[keep], iacc[keep]
    campaign = START + rng.integers(0, (SPAN_DAYS - 3) * DAY, n_all)
    ts = campaign[item] + rng.integers(0, 2 * DAY, item.size)
    off = rng.random(item.size) < .05
    rating = np.where(own[item], np.where(off, A["rate_4"], A["rate_5"]), np.where(off, A["rate_2"], A["rate_1"]))
    b.event(iacc, target[item], ts, rating)
    bought = rng.random(item.size) < .6
    b.event(iacc[bought], target[item[bought]],
            _fold_into_span(rng, ts[bought] - rng.integers(2 * 3600, 2 * DAY, int(bought.sum()))), A["buy"])


def plant_households(b: _Build) -> None:
    rng, g = b.rng, b.groups("household")
    k = g.size
    pos, rank, acc = _members(b.offsets, b.members, g)
    _home_country(b, acc, pos, k, 1.0)
    b.set_own("ip", acc, 0.0)
    b.set_own("address", acc, 0.0)
    b.signal("ip", acc, b.values("ip", k)[pos])
    at_home = rng.random(acc.size) < .9
    b.signal("address", acc[at_home], b.values("address", k)[pos[at_home]])
    for kind, p in (("device", .3), ("payment", .25)):  # a family tablet; a parent's card
        pair = (rng.random(k) < p)[pos] & (rank < 2)
        b.signal(kind, acc[pair], b.values(kind, k)[pos[pair]])
    first = acc[rank == 0]
    twin = (rank == 1) & (rng.random(acc.size) < .1)  # siblings signed up the same day
    b.created[acc[twin]] = b.created[first[pos[twin]]] + rng.integers(0, DAY, int(twin.sum()))
    # Watching together: a few posts a month that two or more members act on within minutes.
    n_moments = rng.poisson(3, k)
    item, _, _, macc = _pairs(b.offsets, b.members, g, n_moments)
    n_all = int(n_moments.sum())
    post = rng.choice(b.n_posts, n_all, p=b.post_p)
    t0 = _fold_into_span(rng, b.pub[post] + rng.lognormal(np.log(7200), 1.6, n_all).astype(np.int64), b.pub[post])
    keep = rng.random(item.size) < .7
    item, macc = item[keep], macc[keep]
    b.event(macc, b.posts[post[item]], _fold_into_span(rng, t0[item] + rng.integers(0, 300, item.size)),
            rng.choice([A["watch"], A["heart"]], item.size))


def plant_agencies(b: _Build) -> None:
    rng, g = b.rng, b.groups("agency")
    k, size = g.size, np.diff(b.offsets)[g]
    pos, _, acc = _members(b.offsets, b.members, g)
    home = _home_country(b, acc, pos, k, .9)
    b.type[acc] = 3
    b.activity[acc] *= .5
    b.set_own("ip", acc, 0.0)
    b.set_own("device", acc, .2)
    n_office = rng.integers(1, 3, k)
    office0 = _pool(b, "ip", n_office)
    b.signal("ip", acc, office0[pos])
    second = (n_office[pos] == 2) & (rng.random(acc.size) < .8)
    b.signal("ip", acc[second], office0[pos[second]] + 1)
    n_laptop = rng.integers(2, 6, k)
    uses = rng.integers(1, 4, acc.size)
    b.signal("device", np.repeat(acc, uses), _pick(b, np.repeat(pos, uses), _pool(b, "device", n_laptop), n_laptop))
    billed = (rng.random(k) < .3)[pos] & (rng.random(acc.size) < .4)
    b.set_own("payment", acc[billed], 0.0)
    b.signal("payment", acc[billed], b.values("payment", k)[pos[billed]])
    # Staff publish for every client at scheduled times (on the hour, office hours) and have
    # a few sister brands heart each post.
    n_posts = rng.poisson(10, acc.size)
    who = np.repeat(np.arange(acc.size), n_posts)
    hour = rng.integers(8, 21, who.size)
    ts = START + rng.integers(0, SPAN_DAYS, who.size) * DAY + ((hour - TZ_HOURS[home[pos[who]]]) % 24) * 3600 \
        + rng.integers(0, 20, who.size)
    posts = b.targets.take(who.size)
    b.event(acc[who], posts, _fold_into_span(rng, ts), A["publish"])
    n_boost = rng.integers(0, 4, who.size)
    src = np.repeat(np.arange(who.size), n_boost)
    gpos = pos[who[src]]
    booster = b.members[b.offsets[g][gpos] + (rng.random(src.size) * size[gpos]).astype(np.int64)]
    mine = booster != acc[who[src]]
    later = ts[src[mine]] + rng.integers(30, 900, int(mine.sum()))
    b.event(booster[mine], posts[src[mine]], _fold_into_span(rng, later), A["heart"])


def plant_campus(b: _Build) -> None:
    rng, g = b.rng, b.groups("campus")
    k = g.size
    pos, _, acc = _members(b.offsets, b.members, g)
    home = _home_country(b, acc, pos, k, .9)
    b.type[acc] = 0
    b.set_own("ip", acc, .3)
    n_wifi = rng.integers(4, 17, k)
    wifi0 = _pool(b, "ip", n_wifi)
    uses = rng.integers(1, 4, acc.size)
    b.signal("ip", np.repeat(acc, uses), _pick(b, np.repeat(pos, uses), wifi0, n_wifi))
    semester = START - rng.integers(20, 200, k) * DAY
    fresher = rng.random(acc.size) < .6
    b.created[acc[fresher]] = semester[pos[fresher]] + rng.integers(0, 14 * DAY, int(fresher.sum()))
    n_posts = rng.integers(15, 41, k)
    item, _, _, pacc = _pairs(b.offsets, b.members, g, n_posts)
    n_all = int(n_posts.sum())
    posts = b.targets.take(n_all)
    post_pos = np.repeat(np.arange(k), n_posts)
    pub = _local_ts(rng, TZ_HOURS[home[post_pos]])
    keep = rng.random(item.size) < .15
    item, pacc = item[keep], pacc[keep]
    ts = _fold_into_span(rng, pub[item] + rng.lognormal(np.log(3 * 3600), 1.2, item.size).astype(np.int64), pub[item])
    b.event(pacc, posts[item], ts, rng.choice([A["heart"], A["reply"], A["watch"]], item.size, p=[.6, .15, .25]))


def plant_fan_communities(b: _Build) -> np.ndarray:
    """Fans act on their creator's posts, many within a minute of the notification. Returns
    the (host account, loyal fans' group) of each fan-community stream for `plant_streams`."""
    rng, g = b.rng, b.groups("fan_community")
    k = g.size
    _, rank, acc = _members(b.offsets, b.members, g)
    creator = acc[rank == 0]
    b.type[creator] = 2
    b.activity[creator] *= 3
    engagement = np.zeros(b.n)
    engagement[acc] = rng.beta(1.5, 2.5, acc.size)
    n_posts = rng.integers(15, 51, k)
    item, _, prank, pacc = _pairs(b.offsets, b.members, g, n_posts)
    n_all = int(n_posts.sum())
    posts = b.targets.take(n_all)
    owner = np.repeat(np.arange(k), n_posts)
    pub = _local_ts(rng, b.tz[creator[owner]])
    b.event(creator[owner], posts, pub, A["publish"])
    keep = (prank > 0) & (rng.random(item.size) < engagement[pacc])
    item, pacc = item[keep], pacc[keep]
    notified = rng.random(item.size) < .25
    delay = np.where(notified, rng.exponential(40, item.size), rng.lognormal(np.log(1800), 1.5, item.size))
    ts = _fold_into_span(rng, pub[item] + delay.astype(np.int64), pub[item])
    b.event(pacc, posts[item], ts, rng.choice([A["heart"], A["reply"], A["repost"], A["watch"]], item.size,
                                               p=[.6, .15, .1, .15]))
    return g


def plant_streams(b: _Build, fan_groups: np.ndarray) -> None:
    """Live streams: viewers cheer and gift for an hour or two, in bursts after on-stream moments.
    Fan-community creators stream to their fans; other creators to whoever comes by."""
    rng = b.rng
    fan_streams = rng.integers(2, 7, fan_groups.size)
    hosts_fan = b.members[b.offsets[fan_groups]]
    others = rng.integers(0, b.n, max(1, b.n // 4000))
    b.type[others] = np.where(b.type[others] == 3, 3, 2)
    host = np.concatenate([np.repeat(hosts_fan, fan_streams), others])
    n_streams = host.size
    start = _local_ts(rng, b.tz[host])
    duration = rng.uniform(30, 120, n_streams) * 60
    n_viewers = np.clip(rng.lognormal(np.log(150), 1, n_streams), 20, min(5000, b.n // 4)).astype(np.int64)
    stream = np.repeat(np.arange(n_streams), n_viewers)
    viewer = rng.choice(b.n, stream.size, p=b.activity / b.activity.sum())
    item, _, _, fan = _pairs(b.offsets, b.members, fan_groups, fan_streams)
    loyal = rng.random(item.size) < .5
    stream = np.concatenate([stream, item[loyal]])
    viewer = np.concatenate([viewer, fan[loyal]])
    n_acts = rng.geometric(.35, stream.size)
    stream, viewer = np.repeat(stream, n_acts), np.repeat(viewer, n_acts)
    moments = rng.random((n_streams, 5)) * duration[:, None]
    at_moment = rng.random(stream.size) < .5
    offset = np.where(at_moment, moments[stream, rng.integers(0, 5, stream.size)] + rng.exponential(20, stream.size),
                      rng.random(stream.size) * duration[stream])
    targets = b.targets.take(n_streams)
    b.event(host, targets, start, A["publish"])
    b.event(viewer, targets[stream], _fold_into_span(rng, start[stream] + offset.astype(np.int64)),
            rng.choice([A["cheer"], A["gift"], A["join_live"]], stream.size, p=[.6, .15, .25]))


def plant_virals(b: _Build) -> None:
    """Viral posts: thousands of accounts within minutes of each other."""
    rng = b.rng
    n_viral = max(2, b.n // 20_000)
    size = np.clip(1500 * (1 + rng.pareto(1.1, n_viral)), 1000, min(60_000, b.n // 4)).astype(np.int64)
    viral = np.repeat(np.arange(n_viral), size)
    acc = rng.choice(b.n, viral.size, p=b.activity / b.activity.sum())
    t0 = START + rng.integers(0, SPAN_DAYS * DAY - 3600, n_viral)
    delay = rng.exponential(rng.uniform(60, 600, n_viral)[viral])
    b.event(acc, b.targets.take(n_viral)[viral], _fold_into_span(rng, t0[viral] + delay.astype(np.int64)),
            rng.choice([A["heart"], A["watch"], A["repost"]], viral.size, p=[.6, .25, .15]))


def _draw(rng: np.random.Generator, p: np.ndarray, k: int) -> np.ndarray:
    """``k`` draws from ``p`` in random order: a multinomial count per category, then a shuffle
    (several times faster than ``rng.choice(p=...)``, whose binary searches miss the cache)."""
    out = np.repeat(np.arange(p.size), rng.multinomial(k, p))
    rng.shuffle(out)
    return out


def plant_organic(b: _Build, n_events: int) -> None:
    """Everyone's own browsing: posts draw their attention in the hours after publication, items
    all month long; both with heavy-tailed popularity."""
    rng = b.rng
    n_post = int(n_events * .65)
    p_acc = b.activity / b.activity.sum()
    for on_post, k in ((True, n_post), (False, n_events - n_post)):
        acc = _draw(rng, p_acc, k)
        if on_post:
            post = _draw(rng, b.post_p, k)
            delay = rng.lognormal(np.log(7200), 1.6, k).astype(np.int64)
            b.event(acc, b.posts[post], _fold_into_span(rng, b.pub[post] + delay, b.pub[post]),
                    rng.choice(POST_ACTIONS, k, p=POST_P).astype(np.int8))
        else:
            b.event(acc, b.items[_draw(rng, b.item_p, k)], _local_ts(rng, b.tz[acc]),
                    rng.choice(ITEM_ACTIONS, k, p=ITEM_P).astype(np.int8))


def _labels_and_truth(b: _Build, account_id: pl.Series) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = b.rng
    is_bad_group = np.isin(b.kinds, BAD_KINDS)
    bad_groups = np.flatnonzero(is_bad_group)
    labelled = bad_groups[rng.random(bad_groups.size) < .3]
    pos, rank, acc = _members(b.offsets, b.members, labelled)
    bad = acc[(rng.random(acc.size) < rng.uniform(.1, .5, labelled.size)[pos]) | (rank == 0)]
    organic = b.group_of < 0
    benign = ~organic & ~is_bad_group[np.maximum(b.group_of, 0)]
    good = np.flatnonzero((organic & (rng.random(b.n) < .006)) | (benign & (rng.random(b.n) < .03)))
    labels = pl.DataFrame({"account_id": account_id.gather(np.concatenate([bad, good])),
                           "label": np.concatenate([np.ones(bad.size), np.zeros(good.size)]).astype(np.int8)})
    # group ids count within each kind: matrix_ring-00000, matrix_ring-00001, ...
    number = np.zeros(b.kinds.size, dtype=np.int64)
    for kind in np.unique(b.kinds):
        where = b.kinds == kind
        number[where] = np.arange(int(where.sum()))
    grp = np.maximum(b.group_of, 0)
    in_group = b.group_of >= 0
    kind = pl.Series(np.where(in_group, b.kinds[grp], "organic"))
    truth = pl.DataFrame({"account_id": account_id, "group_kind": kind,
                          "number": np.where(in_group, number[grp], -1),
                          "is_bad": in_group & is_bad_group[grp]}).select(
        "account_id",
        pl.when(pl.col("number") >= 0).then(pl.format("{}-{}", "group_kind", pl.col("number").cast(pl.String)
                                                         .str.zfill(5))).alias("group_id"),
        "group_kind", "is_bad")
    return labels, truth


def generate(n_accounts: int, *, seed: int = 0, events_per_account: float = 20.0) -> dict[str, pl.DataFrame]:
    """The marketplace: ``accounts``, ``signals``, ``events``, ``labels`` and ``truth`` frames."""
    if n_accounts < 2_000:
        raise ValueError(f"--accounts must be at least 2,000 (room for every kind of group). Got {n_accounts}.")
    b = _Build(n_accounts, seed)
    plant_matrix_rings(b)
    plant_farms(b)
    plant_review_rings(b)
    plant_households(b)
    plant_agencies(b)
    plant_campus(b)
    plant_streams(b, plant_fan_communities(b))
    plant_virals(b)
    planted = sum(len(e[0]) for e in b.events)
    plant_organic(b, max(0, int(events_per_account * n_accounts) - planted))
    _shared_signals(b)
    rng = b.rng

    account_id = opaque_ids("u", np.arange(b.n), salt=11)
    acc = np.concatenate([e[0] for e in b.events])
    tgt = np.concatenate([e[1] for e in b.events])
    ts = np.concatenate([e[2] for e in b.events])
    act = np.concatenate([e[3] for e in b.events])
    b.events.clear()
    early = ts < b.created[acc] + 60  # nobody acts before signing up
    lo = b.created[acc[early]] + 60
    ts[early] = lo + (rng.random(lo.size) * (END - lo)).astype(np.int64)
    # A log in time order (no trace of how it was built); polars sorts in parallel, stable.
    order = pl.DataFrame({"ts": ts}).with_row_index("i").sort("ts", maintain_order=True)["i"].to_numpy()
    acc, tgt, ts, act = acc[order], tgt[order], ts[order], act[order]
    del order, early
    events = pl.DataFrame({
        "account_id": account_id.gather(acc),
        "action": pl.Series(ACTIONS).gather(act),
        "target_id": opaque_ids("t", np.arange(b.targets.n), salt=23).gather(tgt),
        "ts": pl.Series(ts * 1_000_000).cast(pl.Datetime("us")),
    })
    del acc, tgt, ts, act

    # One row per (account, kind, value), ordered by account: key = account | kind | value.
    key = np.unique(np.concatenate([(s[0] << 35) | (s[1] << 32) | s[2] for s in b.signals]))
    b.signals.clear()
    sig_acc, sig_kind, sig_value = key >> 35, (key >> 32) & 7, key & 0xFFFFFFFF
    numbers = np.zeros(key.size, dtype=np.uint64)
    for i in range(len(SIGNAL_KINDS)):
        mine = sig_kind == i
        numbers[mine] = _affine(sig_value[mine], salt=101 + i, digits=12)
    signals = pl.DataFrame({
        "account_id": account_id.gather(sig_acc),
        "kind": pl.Series(SIGNAL_KINDS).gather(sig_kind),
        "value": pl.Series(numbers).cast(pl.String).str.zfill(12),
        "seen_at": pl.Series(_signal_time(b, sig_acc) * 1_000_000).cast(pl.Datetime("us")),
    })
    accounts = pl.DataFrame({
        "account_id": account_id,
        "created_at": pl.Series(b.created * 1_000_000).cast(pl.Datetime("us")),
        "account_type": pl.Series(ACCOUNT_TYPES).gather(b.type),
        "country": pl.Series(COUNTRIES).gather(b.country),
    })
    labels, truth = _labels_and_truth(b, account_id)
    return {"accounts": accounts, "signals": signals, "events": events, "labels": labels, "truth": truth}


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--events-per-account", type=float, default=20.0)
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    if out.exists() and any(out.iterdir()):
        print(f"alt_marketplace: {out} exists and is not empty; give a new folder", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        tables = generate(args.accounts, seed=args.seed, events_per_account=args.events_per_account)
    except ValueError as exc:
        print(f"alt_marketplace: {exc}", file=sys.stderr)
        return 2
    built = time.perf_counter() - start
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.write_parquet(out / f"{name}.parquet")
    truth = tables["truth"]
    groups = truth.filter(pl.col("group_id").is_not_null()).group_by("group_kind", "is_bad").agg(
        pl.col("group_id").n_unique().alias("groups"), pl.len().alias("accounts")).sort("group_kind")
    print(f"wrote {out}: " + ", ".join(f"{k} {v.height:,}" for k, v in tables.items()))
    print(f"built in {built:.1f} s, written in {time.perf_counter() - start - built:.1f} s; "
          f"peak RSS {_peak_rss_mb():,.0f} MB")
    for r in groups.iter_rows(named=True):
        print(f"  {r['group_kind']:<16} {'bad ' if r['is_bad'] else 'benign'} {r['groups']:>6,} groups "
              f"{r['accounts']:>8,} accounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""A fourteenth synthetic marketplace: a mobile dating app with a premium subscription.

Written from the data contract (shared/DESIGN.md) and the dating-app domain alone; nothing of
syndicate's detection code or of the other generators was read while designing it.

    python benchmarks/fourteenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--report]

Deterministic for a given ``--accounts`` and ``--seed``. Six months of activity
(2024-01-01 .. 2024-06-30 UTC); many accounts were created before the window (old accounts).

Data sheet
==========

Files written to OUT_DIR
------------------------
``accounts.csv``
    ``account_id``   nine-digit numeric string (no leading zero; a CSV reader will infer an
                     integer column -- the contract says str, so a loader must normalise),
    ``created_at``   ISO-8601 with an explicit ``+00:00`` offset (timezone-aware UTC),
    ``account_type`` ``personal`` for almost everyone, ``internal`` for the platform's own QA
                     test accounts,
    ``country``      US / GB / CA / AU,
    extras (ignored by the contract): ``city``, ``age``, ``gender`` (M/F/X), ``is_verified``
    (passed the selfie check at some time), ``signup_client`` (ios / android / web).
``signals.parquet``
    ``account_id``, ``kind`` (device, ip, phone, email, payment, photo), ``value`` (16 hex digits,
    opaque), ``seen_at`` (timezone-aware UTC, microseconds; first time the pair was seen; about
    0.3 % null), extra ``source`` (signup, login, payment_gateway, upload, settings).
    One row per (account_id, kind, value). ``photo`` is a perceptual hash of a profile photo;
    one stock/default picture hash is shared by a few hundred honest accounts.
``events.parquet``
    ``account_id``, ``action``, ``target_id``, ``ts`` (naive UTC, milliseconds), extra ``client``.
    Actions (the app's own vocabulary) and their targets:

    ==================== ===============================================================
    swipe_right          the other profile's account id
    swipe_left           the other profile's account id
    super_like           the other profile's account id
    match                the other account id (written for both sides of the match)
    unmatch              the other account id
    message_send         the recipient's account id (the other side of the match)
    link_share           the recipient's account id (a message carrying an external link;
                         honest users do it too: Instagram handles, playlists)
    report_profile       the reported account id
    photo_update         a photo id ``ph_<digits>`` (unique per upload)
    selfie_verify        literal ``selfie``
    profile_edit         literal ``profile``
    phone_update         literal ``settings``
    subscribe            a product sku (``sku_gold_1m``, ``sku_platinum_12m``, ...)
    subscription_renew   the sku being renewed
    boost_buy            ``sku_boost_1`` / ``sku_boost_5`` / ``sku_boost_10``
    super_like_buy       ``sku_superlike_5`` / ``sku_superlike_25``
    payment_declined     the sku whose payment failed
    ==================== ===============================================================

    About 0.1 % of rows are exact duplicates (client retries).
``labels.csv`` (unless ``--no-labels``)
    ``account_id``, ``label`` (1 confirmed bad, 0 confirmed good); about 12 % of accounts.
``truth.parquet``
    ``account_id``, ``is_bad`` (bool), ``group_id`` (str; null for lone actors and organic
    accounts), ``group_kind`` (str), ``role`` (str). Every account exactly once.

Honest population (group_kind ``organic``)
-------------------------------------------
City-level geography (27 cities in four countries, local evening peak around 20:00-23:00),
heavy-tailed activity (log-normal swipe counts, median ~20, a long tail to a few thousand),
churn (most users go quiet after weeks), popularity (log-normal; popular profiles receive most
right swipes). Men swipe right far more often than women. Right swipes become matches with a
probability that depends on the two popularities; about half the matches become conversations
(geometric length, live bursts and slow replies), a few percent of conversations contain a
link_share, a few end in unmatch or report_profile. 12 % subscribe (monthly renewals), others buy
boosts; onboarding photo_update bursts; selfie verification for ~45 %.
Identifiers: one or two phones/tablets, a home IP, carrier IPs from a Zipf-shaped pool (the top
ones are shared by hundreds), office IPs of employers, hotel/airport Wi-Fi, commercial VPN exits
(the same exits scam rings use), a handful on an SMS-activation number or a recycled phone
number, a few resold devices. About 0.2 % of honest profiles (mostly very attractive ones) are
reported as fake by many users.

Planted bad groups (is_bad = true, with a group_id) -- counts at 20k accounts
-----------------------------------------------------------------------------
``romance_scam_ring`` (~6 groups, 10-40 profiles)
    Call-centre operation in a far time zone working shifts; profiles created in 2-4 waves on
    a pool of 3-8 physical devices plus emulator ids that are reset often; office IPs and
    commercial VPN exits (shared with honest VPN users); VOIP / SMS-pool phones; 2-3 shared cards
    on some profiles for boosts; stolen photos (a few re-used across profiles, some taken from
    real users). Right swipes on older, affluent users of a ring-wide target list spread over
    3-6 cities; matches receive a scripted opener at a ring-specific delay (same seconds, tiny
    jitter) and a scripted cadence, then a link_share to move off-platform. Profiles are banned
    after weeks and replaced in the next wave. Some targets report them.
``swipe_bot_farm`` (~3 groups, 50-250 bots)
    Registered in bursts (seconds apart) on emulator device ids (mostly one per bot, some cloned
    images, some resets), residential proxy IPs (each on a few bots; a third of them also the
    home IP of an honest user), phones from a global SMS-activation pool shared with other farms,
    scammers and a few honest users, and a farm photo set. Campaigns: a subset (30-70 %) of the
    bots mass-swipes right on one city's users over a 4-12 h window with jitter; matches get a
    short message and a link_share within minutes.
``premium_fraud`` (~6-7 groups, 5-25 accounts)
    Stolen cards: a pool of 10-60 card fingerprints shared across the group (each account 3-10),
    small test purchases and many payment_declined, then yearly subscriptions, boosts and
    super-like packs in minutes-long bursts; 2-4 devices; datacenter IPs (a few honest
    cloud-VPN users share the same pool); light swiping.
``catfish_operator`` (~10 groups, 3-12 profiles)
    One person on 1-2 devices and a home IP (plus a carrier IP) in their own city, profiles
    created over weeks with stolen photos (shared hashes) and photo_update bursts across several
    profiles within minutes; the same 5-20 targets are swiped and chatted with from several
    profiles, in long evening conversations.
``account_takeover_wave`` (~3-4 groups, 5-15 accounts)
    Old, verified honest accounts taken over within one week: new attacker devices and proxy IPs
    appear on every victim, the phone is changed on half (phone_update), then link_share spam to
    the victims' existing matches and a burst of new right swipes. The victims' own activity stops
    at the takeover. Role ``victim``.

Lone bad actors (is_bad = true, group_id null): ``lone_scammer``, ``lone_spammer``,
``lone_harasser`` (a real person flooding matches with late-night messages, reported often);
together ~0.3 % of accounts.

Benign look-alikes (is_bad = false, with a group_id)
----------------------------------------------------
``household`` (2-4)        couples / flatmates: one home IP, one shared tablet, sometimes one card.
``friend_group`` (3-8)     joined in the same week, one IP on the party night, swipe on a common
                           set of people over the following weeks.
``speed_dating_event``     50-300 users on the venue Wi-Fi for one evening (some sign up there),
                           swiping on each other in a two-hour burst, many matches.
``matchmaking_agency``     5-20 client profiles run from an office: 1-3 office devices and the
                           office IP on every client, one business card paying every
                           subscription, curated right swipes on affluent users in office hours.
``popular_boost_crowd``    one very popular profile buying boosts, each followed by 100-400 right
                           swipes within minutes from a crowd of local users (crowd = the
                           group's other members, role ``crowd``).
``campus``                 150-600 students behind 2-4 campus NAT IPs, many joined at semester
                           start, extra swiping among themselves.
``carrier_nat``            a carrier-grade NAT: 2-3 IPs shared by 3-6 % of the users (thousands
                           at 100k accounts).
``corporate_vpn``          100-500 employees behind 1-3 corporate VPN exits.
``qa_test_accounts``       (from 5,000 accounts up) the platform's internal QA accounts (account_type ``internal``): few
                           devices, HQ IP, test cards, test purchases, swiping on each other.

Labels
------
Enforcement found some bad groups and not others (each group found with a kind-dependent
probability; at least one found and one missed); found groups have most members labelled 1,
some lone actors are labelled 1, and honest accounts (verified and premium ones preferred) are
labelled 0 to make about 12 %. Noise: most heavily reported honest profiles are labelled 1,
a few random honest labels are flipped to 1, and ~5 % of found bad members were reinstated on
appeal (labelled 0).

Quirks the contract allows: numeric-string ids in CSV, timezone-aware and naive times in
different tables and units, null ``seen_at``, extra columns, duplicate event rows, shared
infrastructure hubs (carrier NAT, VPN exits, a stock photo) far above any sensible hub cap.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
HOUR = 3_600
T0 = 1_704_067_200  # 2024-01-01 00:00:00 UTC
DAYS = 182
T1 = T0 + DAYS * DAY

# name, country, utc offset (hours, no DST), population weight, affluence (0..1)
CITIES = [
    ("new_york", "US", -5, 9.0, 0.8), ("los_angeles", "US", -8, 7.0, 0.7),
    ("chicago", "US", -6, 5.0, 0.6), ("houston", "US", -6, 4.0, 0.5),
    ("phoenix", "US", -7, 3.0, 0.4), ("philadelphia", "US", -5, 3.0, 0.5),
    ("san_antonio", "US", -6, 2.0, 0.3), ("san_diego", "US", -8, 2.5, 0.6),
    ("dallas", "US", -6, 3.5, 0.6), ("austin", "US", -6, 2.5, 0.6),
    ("seattle", "US", -8, 3.0, 0.8), ("denver", "US", -7, 2.5, 0.6),
    ("boston", "US", -5, 3.0, 0.8), ("miami", "US", -5, 3.0, 0.7),
    ("atlanta", "US", -5, 3.0, 0.5), ("san_francisco", "US", -8, 3.5, 0.9),
    ("nashville", "US", -6, 1.5, 0.5), ("las_vegas", "US", -8, 1.5, 0.4),
    ("minneapolis", "US", -6, 1.5, 0.5), ("portland", "US", -8, 1.5, 0.5),
    ("london", "GB", 0, 6.0, 0.8), ("manchester", "GB", 0, 2.0, 0.4),
    ("birmingham", "GB", 0, 1.5, 0.3), ("toronto", "CA", -5, 3.5, 0.6),
    ("vancouver", "CA", -8, 2.0, 0.7), ("sydney", "AU", 10, 3.0, 0.7),
    ("melbourne", "AU", 10, 2.5, 0.6),
]
NC = len(CITIES)
CITY_NAME = np.array([c[0] for c in CITIES])
CITY_COUNTRY = np.array([c[1] for c in CITIES])
CITY_TZ = np.array([c[2] for c in CITIES], dtype=np.float64)
CITY_W = np.array([c[3] for c in CITIES]) / sum(c[3] for c in CITIES)
CITY_AFF = np.array([c[4] for c in CITIES])

ACTIONS = [
    "swipe_right", "swipe_left", "super_like", "match", "unmatch", "message_send", "link_share",
    "report_profile", "photo_update", "selfie_verify", "profile_edit", "phone_update",
    "subscribe", "subscription_renew", "boost_buy", "super_like_buy", "payment_declined",
]
A = {a: i for i, a in enumerate(ACTIONS)}
SKUS = ["sku_gold_1m", "sku_gold_6m", "sku_platinum_1m", "sku_platinum_12m", "sku_boost_1",
        "sku_boost_5", "sku_boost_10", "sku_superlike_5", "sku_superlike_25"]
S = {s: i for i, s in enumerate(SKUS)}
LITERALS = ["selfie", "profile", "settings"]
KINDS = ["device", "ip", "phone", "email", "payment", "photo"]
K = {k: i for i, k in enumerate(KINDS)}
SOURCES = ["signup", "login", "payment_gateway", "upload", "settings"]
SRC = {s: i for i, s in enumerate(SOURCES)}
CLIENTS = np.array(["ios", "android", "web"])

# target kinds
TA, TS, TP, TL = 0, 1, 2, 3  # account, sku, photo id, literal

G_M, G_F, G_X = 0, 1, 2

# hour-of-day weights (local time)
HOURS = {
    "evening": [3, 1.8, 1, .6, .4, .4, .8, 1.6, 2.2, 2, 2, 2.4, 3, 2.6, 2.4, 2.6, 3, 3.6, 4.6, 5.6,
                6.4, 6.8, 6, 4.6],
    "office": [0, 0, 0, 0, 0, 0, 0, .3, 2, 4, 4.5, 4.5, 3, 4, 4.5, 4.5, 4, 2.5, .6, 0, 0, 0, 0, 0],
    "flat": [1] * 24,
    "night": [5, 5, 4, 3, 1.5, .5, .3, .3, .5, .6, .6, .8, 1, 1, 1, 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 5],
}
HOURS_CDF = {k: np.cumsum(v) / np.sum(v) for k, v in HOURS.items()}


def _hex16(x: np.ndarray) -> np.ndarray:
    """uint64 -> 16-char lowercase hex strings, vectorised."""
    b = np.ascontiguousarray(x.astype(">u8")).view(np.uint8).reshape(-1, 8)
    table = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    out = np.empty((len(x), 16), dtype=np.uint8)
    out[:, 0::2] = table[b >> 4]
    out[:, 1::2] = table[b & 15]
    return out.view("S16").ravel().astype("U16")


def _mix(v: np.ndarray, salt: int) -> np.ndarray:
    """Bijective 64-bit mixing (splitmix64 finaliser) so that identifier values look opaque."""
    with np.errstate(over="ignore"):
        z = v.astype(np.uint64) + np.uint64(salt) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


class Gen:
    def __init__(self, n: int, seed: int):
        if n < 2000:
            raise SystemExit("--accounts must be at least 2000")
        self.n = n
        self.seed = seed
        self.rng = np.random.default_rng([seed, 14, n])
        self.ev: list[tuple] = []
        self.sig: list[tuple] = []
        self._ident = 1
        self.groups: list[dict] = []  # gid, kind, bad, members
        r = self.rng
        # account attributes (every account; fakes get overwritten later)
        self.city = r.choice(NC, size=n, p=CITY_W)
        g = r.random(n)
        self.gender = np.where(g < 0.55, G_M, np.where(g < 0.98, G_F, G_X))
        s = r.random(n)
        self.seek = np.where(self.gender == G_M, np.where(s < 0.93, G_F, G_M),
                             np.where(self.gender == G_F, np.where(s < 0.93, G_M, G_F),
                                      r.integers(0, 3, n)))
        self.age = np.clip(18 + r.gamma(2.2, 6.0, n), 18, 75).astype(np.int64)
        self.pop = np.exp(r.normal(0, 0.8, n))
        self.affluent = (r.random(n) < CITY_AFF[self.city] * np.clip((self.age - 25) / 30, 0.05, 1.0))
        old = r.random(n) < 0.35
        self.created = np.where(old, T0 - (r.random(n) * 720 * DAY).astype(np.int64),
                                T0 + (r.random(n) * (DAYS - 1) * DAY).astype(np.int64))
        self.created = self.created.astype(np.int64)
        # churn: end of activity
        stay = r.random(n) < 0.3
        self.active_end = np.where(stay, T1, np.maximum(self.created, T0) +
                                   (r.exponential(70, n) * DAY).astype(np.int64))
        self.active_end = np.minimum(self.active_end, T1).astype(np.int64)
        self.verified = r.random(n) < 0.45
        self.client = np.where(r.random(n) < 0.55, 0, np.where(r.random(n) < 0.95, 1, 2))
        self.acct_type = np.zeros(n, dtype=np.int8)  # 0 personal, 1 internal
        self.honest = np.ones(n, dtype=bool)
        self.gid = np.full(n, -1, dtype=np.int64)
        self.kind = np.full(n, "organic", dtype=object)
        self.role = np.full(n, "user", dtype=object)
        self.cutoff = np.full(n, T1 + DAY, dtype=np.int64)  # ATO: base activity stops here
        self.reported_pop = np.zeros(n, dtype=bool)
        self.activity = np.exp(r.normal(3.0, 1.15, n))

    # ------------------------------------------------------------------ helpers
    def ident(self, k: int) -> np.ndarray:
        out = np.arange(self._ident, self._ident + k, dtype=np.int64)
        self._ident += k
        return out

    def scaled(self, per20k: float, minimum: int = 1) -> int:
        lam = per20k * self.n / 20000
        return max(minimum, int(np.floor(lam + self.rng.random())))

    def add_ev(self, acc, action, tkind, tval, ts):
        acc = np.asarray(acc, dtype=np.int64)
        m = len(acc)
        if m == 0:
            return
        act = np.broadcast_to(np.asarray(action, dtype=np.int8), (m,)).copy()
        tk = np.broadcast_to(np.asarray(tkind, dtype=np.int8), (m,)).copy()
        tv = np.broadcast_to(np.asarray(tval, dtype=np.int64), (m,)).copy()
        ts = np.broadcast_to(np.asarray(ts, dtype=np.float64), (m,))
        keep = (ts >= T0) & (ts < T1)
        self.ev.append((acc[keep], act[keep], tk[keep], tv[keep], ts[keep]))

    def add_sig(self, acc, kind, val, seen, source):
        acc = np.asarray(acc, dtype=np.int64)
        m = len(acc)
        if m == 0:
            return
        val = np.asarray(val, dtype=np.int64)
        assert val.shape == (m,), (kind, val.shape, m)
        self.sig.append((acc, np.full(m, K[kind], dtype=np.int8), val,
                         np.broadcast_to(np.asarray(seen, dtype=np.float64), (m,)).copy(),
                         np.full(m, SRC[source], dtype=np.int8)))

    def new_group(self, kind: str, bad: bool, members, roles="member") -> int:
        gid = len(self.groups)
        members = np.asarray(members, dtype=np.int64)
        self.groups.append({"gid": gid, "kind": kind, "bad": bad, "members": members})
        self.gid[members] = gid
        self.kind[members] = kind
        self.role[members] = roles
        if bad:
            self.honest[members] = False
        return gid

    def hour_secs(self, k: int, profile: str) -> np.ndarray:
        h = np.searchsorted(HOURS_CDF[profile], self.rng.random(k), side="right")
        return np.minimum(h, 23) * HOUR + self.rng.random(k) * HOUR

    def when(self, lo, hi, tz, profile="evening", weekdays=False):
        """Random times in [lo, hi] following a local hour-of-day profile."""
        lo = np.asarray(lo, dtype=np.float64)
        hi = np.maximum(np.asarray(hi, dtype=np.float64), lo + 1)
        k = len(lo)
        tz = np.broadcast_to(np.asarray(tz, dtype=np.float64), (k,))
        t = lo + self.rng.random(k) * (hi - lo)
        loc = t + tz * HOUR
        day = np.floor(loc / DAY) * DAY
        if weekdays:
            wd = ((day / DAY).astype(np.int64) + 3) % 7
            day = np.where(wd == 5, day - DAY, np.where(wd == 6, day + DAY, day))
        out = day + self.hour_secs(k, profile) - tz * HOUR
        out = np.where(out < lo, out + DAY, out)
        out = np.where(out > hi, out - DAY, out)
        bad = (out < lo) | (out > hi)
        return np.where(bad, t, out)

    def sessions(self, accs, counts, lo, hi, tz, profile="evening", per=12.0,
                 dur=(240.0, 1800.0), weekdays=False):
        """Spread counts[i] events of accs[i] over sessions; returns (acc per event, ts)."""
        r = self.rng
        counts = np.asarray(counts, dtype=np.int64)
        keep = counts > 0
        accs, counts = np.asarray(accs)[keep], counts[keep]
        lo, hi, tz = np.asarray(lo)[keep], np.asarray(hi)[keep], np.broadcast_to(tz, keep.shape)[keep]
        ns = np.ceil(counts / per * r.uniform(0.6, 1.4, len(counts))).astype(np.int64)
        ns = np.clip(ns, 1, counts)
        spos = np.repeat(np.arange(len(accs)), ns)
        sstart = self.when(lo[spos], hi[spos], tz[spos], profile, weekdays)
        sdur = r.uniform(dur[0], dur[1], len(spos))
        epos = np.repeat(np.arange(len(accs)), counts)
        off = np.cumsum(ns) - ns
        sidx = off[epos] + (r.random(len(epos)) * ns[epos]).astype(np.int64)
        ts = sstart[sidx] + r.random(len(epos)) * sdur[sidx]
        return accs[epos], np.minimum(ts, hi[epos])

    def build_pools(self):
        """Per (city, gender) target pools weighted by popularity (plus global per gender)."""
        self.pools = {}
        key = self.city * 3 + self.gender
        order = np.argsort(key, kind="stable")
        ks = key[order]
        for k in range(NC * 3):
            a, b = np.searchsorted(ks, k), np.searchsorted(ks, k, side="right")
            self.pools[k] = order[a:b]
        for g in range(3):
            self.pools[NC * 3 + g] = np.flatnonzero(self.gender == g)
        self.pool_cdf = {}
        for k, members in self.pools.items():
            w = self.pop[members] ** 0.8
            self.pool_cdf[k] = np.cumsum(w) / max(w.sum(), 1e-12)

    def pick_targets(self, city, seek, p_local=0.92, restrict=None):
        """Popularity-weighted targets of gender `seek`, mostly in `city`."""
        r = self.rng
        m = len(city)
        out = np.full(m, -1, dtype=np.int64)
        if m == 0:
            return out
        local = r.random(m) < p_local
        key = np.where(local, city * 3 + seek, NC * 3 + seek)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        uk, starts = np.unique(ks, return_index=True)
        ends = np.append(starts[1:], m)
        for k, a, b in zip(uk.tolist(), starts.tolist(), ends.tolist()):
            pool, cdf = self.pools[k], self.pool_cdf[k]
            if len(pool) == 0:
                pool, cdf = self.pools[NC * 3 + k % 3], self.pool_cdf[NC * 3 + k % 3]
            j = np.minimum(np.searchsorted(cdf, r.random(b - a)), len(pool) - 1)
            out[order[a:b]] = pool[j]
        return out

    def free_honest(self, mask=None):
        m = (self.gid < 0) & self.honest & (self.acct_type == 0)
        if mask is not None:
            m &= mask
        return np.flatnonzero(m)

    # ----------------------------------------------------------- match / chat
    def matches(self, a, b, ts, p, instant=0.6):
        """Right swipes a->b at ts; a fraction p become matches (events for both sides)."""
        r = self.rng
        p = np.broadcast_to(np.asarray(p, dtype=np.float64), (len(a),))
        m = r.random(len(a)) < p
        a, b, ts = a[m], b[m], ts[m]
        inst = r.random(len(a)) < instant
        tm = np.where(inst, ts + r.uniform(0.2, 2.0, len(a)), ts + r.exponential(1.5 * DAY, len(a)))
        ok = tm < T1
        a, b, tm = a[ok], b[ok], tm[ok]
        self.add_ev(a, A["match"], TA, b, tm)
        self.add_ev(b, A["match"], TA, a, tm)
        return a, b, tm

    def convos(self, a, b, tm, p_conv=0.55, mean_msgs=5.0, p_link=0.03, p_report=0.004,
               p_unmatch=0.05, first_mean=5 * HOUR, fast=180.0, slow=8 * HOUR, p_fast=0.7):
        r = self.rng
        c = r.random(len(a)) < p_conv
        a, b, tm = a[c], b[c], tm[c]
        nc = len(a)
        if nc == 0:
            return
        k = np.minimum(r.geometric(1.0 / mean_msgs, nc), 300)
        rep = np.repeat(np.arange(nc), k)
        off = np.cumsum(k) - k
        j = np.arange(len(rep)) - off[rep]
        gaps = np.where(r.random(len(rep)) < p_fast, r.exponential(fast, len(rep)),
                        r.exponential(slow, len(rep)))
        gaps[off] = 0.0
        cg = np.cumsum(gaps)
        cg = cg - cg[off][rep]
        first = r.exponential(first_mean, nc)
        t = tm[rep] + first[rep] + cg
        starter = (r.random(nc) < 0.5).astype(np.int64)
        side = (j + starter[rep]) % 2
        snd = np.where(side == 0, a[rep], b[rep])
        rcv = np.where(side == 0, b[rep], a[rep])
        act = np.full(len(rep), A["message_send"], dtype=np.int8)
        haslink = (r.random(nc) < p_link) & (k >= 2)
        lpos = off + np.minimum(1 + (r.random(nc) * (k - 1)).astype(np.int64), k - 1)
        act[lpos[haslink]] = A["link_share"]
        self.add_ev(snd, act, TA, rcv, t)
        last = off + k - 1
        tend = t[last]
        rep_m = r.random(nc) < p_report
        who = r.random(nc) < 0.5
        ra, rb = np.where(who, a, b), np.where(who, b, a)
        self.add_ev(ra[rep_m], A["report_profile"], TA, rb[rep_m], tend[rep_m] + r.exponential(HOUR, rep_m.sum()))
        um = (r.random(nc) < p_unmatch) & ~rep_m
        self.add_ev(ra[um], A["unmatch"], TA, rb[um], tend[um] + r.exponential(DAY, um.sum()))

    def swipes(self, acc, tgt, ts, p_right, super_share=0.015):
        """Emit swipe events; returns the right swipes (acc, tgt, ts)."""
        r = self.rng
        ok = (tgt >= 0) & (tgt != acc)
        acc, tgt, ts = acc[ok], tgt[ok], ts[ok]
        # one swipe per (swiper, target) pair
        key = acc * np.int64(self.n) + tgt
        _, first = np.unique(key, return_index=True)
        first.sort()
        acc, tgt, ts = acc[first], tgt[first], ts[first]
        p_right = np.broadcast_to(np.asarray(p_right, dtype=np.float64), (len(ok),))[ok][first]
        right = r.random(len(acc)) < p_right
        sup = right & (r.random(len(acc)) < super_share)
        act = np.where(right, np.where(sup, A["super_like"], A["swipe_right"]), A["swipe_left"])
        self.add_ev(acc, act.astype(np.int8), TA, tgt, ts)
        return acc[right], tgt[right], ts[right]

    def photos(self, acc, ts):
        self.add_ev(acc, A["photo_update"], TP, self.ident(len(acc)), ts)

    # --------------------------------------------------------------- planning
    def plan(self):
        r = self.rng
        n = self.n
        # ---- fake accounts (bad groups whose members are not real users)
        self.fake_plan = []
        for kind, per, lo, hi in [("romance_scam_ring", 6, 10, 40), ("swipe_bot_farm", 3, 50, 250),
                                  ("premium_fraud", 6.5, 5, 25), ("catfish_operator", 10, 3, 12)]:
            for _ in range(self.scaled(per)):
                self.fake_plan.append((kind, int(r.integers(lo, hi + 1))))
        n_lone = max(3, int(round(0.003 * n)))
        lone_kinds = np.array(["lone_scammer", "lone_spammer", "lone_harasser"])[r.integers(0, 3, n_lone)]
        fake_total = sum(s for _, s in self.fake_plan) + int((lone_kinds != "lone_harasser").sum())
        perm = r.permutation(n)
        pos = 0
        self.fake_groups = []
        for kind, size in self.fake_plan:
            mem = np.sort(perm[pos:pos + size])
            pos += size
            gid = self.new_group(kind, True, mem, {"romance_scam_ring": "scam_profile",
                                                   "swipe_bot_farm": "bot",
                                                   "premium_fraud": "fraud_account",
                                                   "catfish_operator": "catfish_profile"}[kind])
            self.fake_groups.append(gid)
        self.lone = []
        for lk in lone_kinds:
            if lk == "lone_harasser":
                continue
            a = perm[pos]
            pos += 1
            self.lone.append((lk, a))
            self.honest[a] = False
            self.kind[a] = lk
            self.role[a] = "lone"
        assert pos == fake_total
        # harassers are real people: picked from the honest population
        nh = int((lone_kinds == "lone_harasser").sum())
        cand = self.free_honest()
        for a in r.choice(cand, nh, replace=False):
            self.lone.append(("lone_harasser", int(a)))
            self.honest[a] = False
            self.kind[a] = "lone_harasser"
            self.role[a] = "lone"

        # ---- account takeover waves (victims are old verified honest accounts)
        self.ato = []
        for _ in range(self.scaled(3.5)):
            cand = self.free_honest((self.created < T0 - 60 * DAY) & self.verified &
                                    (self.active_end > T0 + 60 * DAY))
            size = int(r.integers(5, 16))
            vic = np.sort(r.choice(cand, size, replace=False))
            start = T0 + int(r.integers(45, DAYS - 10)) * DAY
            tko = start + (r.random(size) * 7 * DAY).astype(np.int64)
            self.cutoff[vic] = tko
            self.active_end[vic] = T1
            gid = self.new_group("account_takeover_wave", True, vic, "victim")
            self.ato.append((gid, vic, tko))

        # ---- benign groups (members are honest users)
        self.benign = []
        # QA test accounts
        if n >= 5000:
            size = int(r.integers(8, 21))
            mem = np.sort(r.choice(self.free_honest(), size, replace=False))
            self.acct_type[mem] = 1
            self.city[mem] = 15  # HQ in san_francisco
            self.created[mem] = T0 + int(r.integers(0, 60)) * DAY + (r.random(size) * 20 * DAY).astype(np.int64)
            self.active_end[mem] = T1
            self.benign.append(("qa_test_accounts", self.new_group("qa_test_accounts", False, mem, "test_account")))
        # matchmaking agencies
        for _ in range(self.scaled(3)):
            c = int(r.choice(NC, p=CITY_W))
            size = int(r.integers(5, 21))
            cand = self.free_honest((self.city == c) & (self.age >= 30))
            if len(cand) < size:
                cand = self.free_honest(self.age >= 30)
            mem = np.sort(r.choice(cand, size, replace=False))
            self.city[mem] = c
            self.age[mem] = r.integers(35, 62, size)
            self.affluent[mem] = True
            t = T0 + int(r.integers(0, 90)) * DAY + np.sort(r.random(size)) * 70 * DAY
            self.created[mem] = self.when(t, t + 3 * DAY, CITY_TZ[c], "office", weekdays=True).astype(np.int64)
            self.active_end[mem] = np.minimum(T1, self.created[mem] + r.integers(60, 180, size) * DAY)
            self.verified[mem] = r.random(size) < 0.85
            self.benign.append(("matchmaking_agency", self.new_group("matchmaking_agency", False, mem, "client")))
        # households
        for _ in range(self.scaled(80)):
            size = int(r.choice([2, 3, 4], p=[0.6, 0.3, 0.1]))
            mem = np.sort(r.choice(self.free_honest(), size, replace=False))
            self.city[mem] = self.city[mem[0]]
            self.benign.append(("household", self.new_group("household", False, mem)))
        # friend groups
        for _ in range(self.scaled(13)):
            c = int(r.choice(NC, p=CITY_W))
            size = int(r.integers(3, 9))
            cand = self.free_honest(self.city == c)
            mem = np.sort(r.choice(cand, size, replace=False))
            party = T0 + int(r.integers(2, DAYS - 20)) * DAY + 23 * HOUR - CITY_TZ[c] * HOUR
            self.created[mem] = (party + r.random(size) * 3 * HOUR).astype(np.int64)
            self.created[mem[r.random(size) < 0.3]] += (r.random(1) * 5 * DAY).astype(np.int64)
            self.active_end[mem] = np.maximum(self.active_end[mem], np.minimum(T1, party + 40 * DAY))
            self.age[mem] = np.clip(self.age[mem[0]] + r.integers(-3, 4, size), 18, 75)
            gid = self.new_group("friend_group", False, mem)
            self.benign.append(("friend_group", gid))
            self.groups[gid]["party"] = party
            self.groups[gid]["city"] = c
        # campuses
        for _ in range(self.scaled(2)):
            c = int(r.choice(NC, p=CITY_W))
            size = int(min(r.integers(150, 601), 0.03 * n))
            cand = self.free_honest(self.city == c)
            if len(cand) < size * 2:
                cand = self.free_honest()
            mem = np.sort(r.choice(cand, size, replace=False))
            self.city[mem] = c
            self.age[mem] = r.integers(18, 25, size)
            sem = r.random(size) < 0.5
            self.created[mem[sem]] = T0 + 7 * DAY + (r.random(sem.sum()) * 14 * DAY).astype(np.int64)
            gid = self.new_group("campus", False, mem, "student")
            self.benign.append(("campus", gid))
            self.groups[gid]["city"] = c
        # speed dating events
        for _ in range(self.scaled(2.5)):
            c = int(r.choice(NC, p=CITY_W))
            cand = self.free_honest((self.city == c) & (self.age < 50))
            size = int(min(r.integers(50, 301), 0.3 * len(cand)))
            if size < 30:
                continue
            mem = np.sort(r.choice(cand, size, replace=False))
            day = T0 + int(r.integers(10, DAYS - 5)) * DAY
            start = day + 19 * HOUR - CITY_TZ[c] * HOUR
            new = r.random(size) < 0.15
            self.created[mem[new]] = (start - r.random(new.sum()) * 2 * HOUR).astype(np.int64)
            self.active_end[mem] = np.maximum(self.active_end[mem], np.minimum(T1, start + 14 * DAY))
            gid = self.new_group("speed_dating_event", False, mem, "attendee")
            self.benign.append(("speed_dating_event", gid))
            self.groups[gid]["start"] = start
            self.groups[gid]["city"] = c
        # popular profiles (crowd is added at behaviour time)
        for _ in range(self.scaled(4)):
            c = int(r.choice(NC, p=CITY_W))
            cand = self.free_honest((self.city == c) & (self.gender == G_F) & (self.age < 35))
            a = int(r.choice(cand))
            self.pop[a] = float(np.quantile(self.pop, 0.999) * r.uniform(1.5, 3.0))
            self.active_end[a] = T1
            self.created[a] = min(self.created[a], T0 + 30 * DAY)
            gid = self.new_group("popular_boost_crowd", False, [a], "popular_profile")
            self.benign.append(("popular_boost_crowd", gid))
        # carrier NAT and corporate VPN (identity overlays only)
        for _ in range(2 + n // 50000):
            size = int(min(5000, r.uniform(0.03, 0.06) * n))
            mem = np.sort(r.choice(self.free_honest(CITY_COUNTRY[self.city] == "US"), size, replace=False))
            self.benign.append(("carrier_nat", self.new_group("carrier_nat", False, mem, "subscriber")))
        for _ in range(2 + n // 40000):
            size = int(min(r.integers(100, 501), 0.025 * n))
            mem = np.sort(r.choice(self.free_honest(self.age >= 23), size, replace=False))
            self.benign.append(("corporate_vpn", self.new_group("corporate_vpn", False, mem, "employee")))

        # ---- fake profile attributes
        self.ring_cities = {}
        for gid in self.fake_groups:
            g = self.groups[gid]
            mem = g["members"]
            k = len(mem)
            if g["kind"] == "romance_scam_ring":
                # target cities; profiles claim to live there
                tc = r.choice(NC, int(r.integers(3, 7)), replace=False, p=CITY_W)
                self.ring_cities[int(mem[0])] = tc
                self.city[mem] = r.choice(tc, k)
            if g["kind"] in ("romance_scam_ring", "swipe_bot_farm"):
                self.gender[mem] = np.where(r.random(k) < 0.8, G_F, G_M)
                self.seek[mem] = 1 - self.gender[mem]
                self.age[mem] = r.integers(24, 40, k)
                self.pop[mem] = np.exp(r.normal(0.9, 0.4, k))
                self.verified[mem] = r.random(k) < 0.03
                self.client[mem] = np.where(r.random(k) < 0.8, 1, 0)
            elif g["kind"] == "premium_fraud":
                self.verified[mem] = False
                self.client[mem] = np.where(r.random(k) < 0.6, 1, 2)
            elif g["kind"] == "catfish_operator":
                c = self.city[mem[0]]
                self.city[mem] = c
                self.gender[mem] = np.where(r.random() < 0.7, G_F, G_M)
                self.seek[mem] = 1 - self.gender[mem]
                self.pop[mem] = np.exp(r.normal(1.0, 0.3, k))
                self.verified[mem] = False
                self.client[mem] = self.client[mem[0]]
        for lk, a in self.lone:
            if lk != "lone_harasser":
                self.verified[a] = False
                self.pop[a] = float(np.exp(r.normal(0.8, 0.4)))
                self.gender[a] = G_F if r.random() < 0.75 else G_M
                self.seek[a] = 1 - self.gender[a]
        # every real account stays active for at least a week after it (re)appears
        self.active_end = np.maximum(self.active_end, np.minimum(T1, np.maximum(self.created, T0) + 7 * DAY))
        self.build_pools()

    # --------------------------------------------------------------- identity
    def base_identity(self):
        r = self.rng
        n = self.n
        hon = np.flatnonzero(self.honest | (self.kind == "lone_harasser") |
                             (self.kind == "account_takeover_wave"))
        self.base_accounts = hon
        h = len(hon)
        cr = self.created[hon].astype(np.float64)
        lo = np.maximum(cr, T0)
        hi = np.maximum(self.active_end[hon], lo + HOUR)

        def later(idx):
            return lo[idx] + r.random(len(idx)) * (hi[idx] - lo[idx])

        self.home_ip = np.full(n, -1, dtype=np.int64)
        self.home_ip[hon] = self.ident(h)
        # devices
        dev = self.ident(h)
        self.primary_dev = np.full(n, -1, dtype=np.int64)
        self.primary_dev[hon] = dev
        self.add_sig(hon, "device", dev, cr, "signup")
        i2 = np.flatnonzero(r.random(h) < 0.25)
        self.add_sig(hon[i2], "device", self.ident(len(i2)), later(i2), "login")
        i3 = np.flatnonzero(r.random(h) < 0.04)
        self.add_sig(hon[i3], "device", self.ident(len(i3)), later(i3), "login")
        # resold / hand-me-down phones: a device id seen on a second unrelated account
        i4 = np.flatnonzero(r.random(h) < 0.004)
        self.add_sig(hon[i4], "device", dev[r.integers(0, h, len(i4))], later(i4), "login")
        # home IP (80 %), carrier pool, employers, travel Wi-Fi, VPN, datacenter
        ih = np.flatnonzero(r.random(h) < 0.8)
        self.home_sig_rows = (hon[ih], ih)
        ncar = max(60, n // 60)
        wcar = 1.0 / np.arange(1, ncar + 1) ** 0.85
        self.carrier_pool = self.ident(ncar)
        ic = np.flatnonzero(r.random(h) < 0.6)
        pick = r.choice(ncar, len(ic), p=wcar / wcar.sum())
        self.add_sig(hon[ic], "ip", self.carrier_pool[pick], later(ic), "login")
        ic2 = np.flatnonzero(r.random(h) < 0.2)
        pick = r.choice(ncar, len(ic2), p=wcar / wcar.sum())
        self.add_sig(hon[ic2], "ip", self.carrier_pool[pick], later(ic2), "login")
        nemp = max(40, n // 100)
        wemp = 1.0 / np.arange(1, nemp + 1) ** 1.0
        emp = self.ident(nemp)
        iw = np.flatnonzero(r.random(h) < 0.2)
        self.add_sig(hon[iw], "ip", emp[r.choice(nemp, len(iw), p=wemp / wemp.sum())], later(iw), "login")
        ntr = max(30, n // 200)
        tr = self.ident(ntr)
        it = np.flatnonzero(r.random(h) < 0.08)
        self.add_sig(hon[it], "ip", tr[r.integers(0, ntr, len(it))], later(it), "login")
        self.vpn_pool = self.ident(max(30, n // 400))
        iv = np.flatnonzero(r.random(h) < 0.04)
        self.add_sig(hon[iv], "ip", r.choice(self.vpn_pool, len(iv)), later(iv), "login")
        iv2 = iv[r.random(len(iv)) < 0.4]
        self.add_sig(hon[iv2], "ip", r.choice(self.vpn_pool, len(iv2)), later(iv2), "login")
        self.dc_pool = self.ident(max(20, n // 500))
        idc = np.flatnonzero(r.random(h) < 0.003)
        self.add_sig(hon[idc], "ip", r.choice(self.dc_pool, len(idc)), later(idc), "login")
        # phones: own number; some recycled numbers; some on an SMS-activation pool
        self.sms_pool = self.ident(max(300, n // 25))
        ph = self.ident(h)
        rec = np.flatnonzero(r.random(h) < 0.012)
        ph[rec] = ph[r.integers(0, h, len(rec))]
        sms = np.flatnonzero(r.random(h) < 0.006)
        ph[sms] = r.choice(self.sms_pool, len(sms))
        self.phone = np.full(n, -1, dtype=np.int64)
        self.phone[hon] = ph
        self.add_sig(hon, "phone", ph, cr, "signup")
        ich = np.flatnonzero(r.random(h) < 0.01)
        tch = later(ich)
        self.add_sig(hon[ich], "phone", self.ident(len(ich)), tch, "settings")
        self.add_ev(hon[ich], A["phone_update"], TL, 2, tch)
        em = np.flatnonzero(r.random(h) < 0.93)
        self.add_sig(hon[em], "email", self.ident(len(em)), cr[em], "signup")
        # photos: 1-4 own photos; a stock picture shared by a few hundred
        npht = r.integers(1, 5, h)
        rep = np.repeat(np.arange(h), npht)
        self.add_sig(hon[rep], "photo", self.ident(len(rep)), lo[rep] + r.random(len(rep)) * 3 * DAY, "upload")
        self.honest_photo_acc = hon[rep]
        stock = self.ident(1)[0]
        ist = np.flatnonzero(r.random(h) < 0.015)
        self.add_sig(hon[ist], "photo", np.full(len(ist), stock), cr[ist], "upload")
        # payers
        self.card = np.full(n, -1, dtype=np.int64)
        self.premium = np.zeros(n, dtype=bool)
        prem = r.random(h) < (0.08 + 0.15 * self.affluent[hon])
        self.premium[hon[prem]] = True
        boost_only = ~prem & (r.random(h) < 0.04)
        payer = prem | boost_only
        self.card[hon[payer]] = self.ident(int(payer.sum()))

    def emit_home_and_cards(self):
        """After overlays changed home IPs / cards, write them out."""
        r = self.rng
        acc, _ = self.home_sig_rows
        cr = np.maximum(self.created[acc], T0 - 400 * DAY).astype(np.float64)
        self.add_sig(acc, "ip", self.home_ip[acc], cr, "signup")
        payer = np.flatnonzero(self.card >= 0)
        lo = np.maximum(self.created[payer], T0).astype(np.float64)
        self.add_sig(payer, "payment", self.card[payer], lo + r.random(len(payer)) * 20 * DAY, "payment_gateway")
        two = payer[r.random(len(payer)) < 0.1]
        self.add_sig(two, "payment", self.ident(len(two)), np.maximum(self.created[two], T0) + 40.0 * DAY,
                     "payment_gateway")

    # --------------------------------------------------------------- behaviour
    def base_behaviour(self):
        n0 = len(self.ev)
        self._base_behaviour()
        # ATO victims: their own activity stops at the takeover (the attacker's rows come later)
        for i in range(n0, len(self.ev)):
            acc, act, tk, tv, ts = self.ev[i]
            k = ts < self.cutoff[acc]
            if not k.all():
                self.ev[i] = (acc[k], act[k], tk[k], tv[k], ts[k])

    def _base_behaviour(self):
        r = self.rng
        hon = self.base_accounts
        h = len(hon)
        lo = np.maximum(self.created[hon], T0).astype(np.float64)
        hi = np.maximum(np.minimum(self.active_end[hon], self.cutoff[hon]).astype(np.float64), lo + HOUR)
        hi = np.minimum(hi, T1 - 1)
        lo = np.minimum(lo, hi - 1)
        tz = CITY_TZ[self.city[hon]]
        span = (hi - lo) / DAY
        nsw = np.minimum(self.activity[hon] * np.clip(span / 60, 0.1, 3.0), 4000).astype(np.int64)
        acc, ts = self.sessions(hon, nsw, lo, hi, tz, "evening", per=15)
        tgt = self.pick_targets(self.city[acc], self.seek[acc])
        pr = np.select([self.gender[acc] == G_M, self.gender[acc] == G_F], [0.45, 0.14], 0.3)
        pr = np.clip(pr * (self.pop[np.maximum(tgt, 0)] ** 0.35), 0.02, 0.95)
        ra, rt, rts = self.swipes(acc, tgt, ts, pr)
        hon_t = self.honest[rt] | (self.kind[rt] == "lone_harasser") | (self.kind[rt] == "account_takeover_wave")
        ra, rt, rts = ra[hon_t], rt[hon_t], rts[hon_t]
        pm = np.clip(0.12 * np.sqrt(self.pop[ra] / self.pop[rt]), 0.01, 0.6)
        pm = np.where(self.gender[rt] == G_F, pm * 0.7, pm * 1.6)
        ma, mb, tm = self.matches(ra, rt, rts, pm)
        ok = (tm < self.cutoff[ma]) & (tm < self.cutoff[mb])
        self.base_matches = (ma[ok], mb[ok], tm[ok])
        self.convos(ma[ok], mb[ok], tm[ok])
        # onboarding photo bursts + later photo updates
        new = hon[self.created[hon] >= T0]
        k = r.integers(1, 7, len(new))
        rep = np.repeat(new, k)
        self.photos(rep, self.created[rep] + 30 + r.exponential(120, len(rep)))
        k = r.poisson(1.2 * np.clip(span / 90, 0.1, 2), h)
        rep = np.repeat(np.arange(h), k)
        self.photos(hon[rep], lo[rep] + r.random(len(rep)) * (hi[rep] - lo[rep]))
        k = r.poisson(0.8, h)
        rep = np.repeat(np.arange(h), k)
        self.add_ev(hon[rep], A["profile_edit"], TL, 1, lo[rep] + r.random(len(rep)) * (hi[rep] - lo[rep]))
        # selfie verification
        vt = self.created[hon] + r.exponential(10 * DAY, h)
        v = self.verified[hon]
        self.add_ev(hon[v], A["selfie_verify"], TL, 0, np.minimum(vt[v], hi[v]))
        # subscriptions and boosts
        prem = self.premium[hon]
        pi = np.flatnonzero(prem)
        tsub = lo[pi] + r.random(len(pi)) * np.minimum(hi[pi] - lo[pi], 30 * DAY)
        sku = r.choice([S["sku_gold_1m"], S["sku_platinum_1m"], S["sku_gold_6m"]], len(pi), p=[0.6, 0.3, 0.1])
        self.add_ev(hon[pi], A["subscribe"], TS, sku, tsub)
        months = np.where(sku == S["sku_gold_6m"], 0, np.clip(((T1 - tsub) / (30 * DAY)).astype(np.int64), 0, 6))
        months = (months * r.uniform(0.2, 1.0, len(pi))).astype(np.int64)
        rep = np.repeat(np.arange(len(pi)), months)
        j = np.arange(len(rep)) - np.repeat(np.cumsum(months) - months, months) + 1
        self.add_ev(hon[pi][rep], A["subscription_renew"], TS, sku[rep], tsub[rep] + j * 30 * DAY)
        payer = np.flatnonzero(self.card[hon] >= 0)
        nb = r.poisson(np.where(prem[payer], 1.5, 1.2))
        rep = np.repeat(payer, nb)
        tb = self.when(lo[rep], hi[rep], tz[rep], "evening")
        self.add_ev(hon[rep], A["boost_buy"], TS, r.choice([4, 5, 6], len(rep), p=[.7, .2, .1]), tb)
        dec = rep[r.random(len(rep)) < 0.05]
        self.add_ev(hon[dec], A["payment_declined"], TS, 4, self.when(lo[dec], hi[dec], tz[dec]))
        ns = r.poisson(0.3 * prem[payer])
        rep = np.repeat(payer, ns)
        self.add_ev(hon[rep], A["super_like_buy"], TS, 7, self.when(lo[rep], hi[rep], tz[rep]))
        # heavily reported honest profiles ("too good to be real")
        hp = hon[(self.pop[hon] > np.quantile(self.pop[hon], 0.97)) & (self.gid[hon] < 0) & self.honest[hon]]
        k = max(2, int(0.002 * self.n))
        rep_acc = r.choice(hp, min(k, len(hp)), replace=False)
        self.reported_pop[rep_acc] = True
        nrep = r.integers(5, 26, len(rep_acc))
        tgt = np.repeat(rep_acc, nrep)
        reporters = self.pick_targets(self.city[tgt], self.gender[tgt] * 0 + 1 - np.minimum(self.gender[tgt], 1))
        t = np.maximum(self.created[tgt], T0) + r.random(len(tgt)) * (T1 - np.maximum(self.created[tgt], T0))
        self.add_ev(reporters, A["report_profile"], TA, tgt, t)

    # ----------------------------------------------------------- benign groups
    def benign_behaviour(self):
        r = self.rng
        for kind, gid in self.benign:
            g = self.groups[gid]
            mem = g["members"]
            k = len(mem)
            tz = CITY_TZ[self.city[mem]]
            lo = np.maximum(self.created[mem], T0).astype(np.float64)
            hi = np.maximum(self.active_end[mem].astype(np.float64), lo + DAY)
            if kind == "household":
                self.home_ip[mem] = self.home_ip[mem[0]]
                tab = self.ident(1)[0]
                self.add_sig(mem, "device", np.full(k, tab), lo + r.random(k) * 30 * DAY, "login")
                # the tablet is used in evenings by everyone
                acc, ts = self.sessions(mem, r.integers(5, 40, k), lo, hi, tz, "evening", per=10)
                tgt = self.pick_targets(self.city[acc], self.seek[acc])
                ra, rt, rts = self.swipes(acc, tgt, ts, 0.3)
                if r.random() < 0.35:
                    card = self.card[mem[self.card[mem] >= 0]]
                    card = card[0] if len(card) else self.ident(1)[0]
                    self.card[mem] = card
            elif kind == "friend_group":
                party = g["party"]
                venue = self.ident(1)[0]
                self.add_sig(mem, "ip", np.full(k, venue), party + r.random(k) * 3 * HOUR, "login")
                # first swipes that night
                c = g["city"]
                common = self.pick_targets(np.full(150, c), np.full(150, self.seek[mem[0]]), p_local=1.0)
                common = np.unique(common)
                nsw = r.integers(10, 40, k)
                acc = np.repeat(mem, nsw)
                tgt = r.choice(common, len(acc))
                night = r.random(len(acc)) < 0.3
                ts = np.where(night, party + r.random(len(acc)) * 4 * HOUR,
                              party + r.random(len(acc)) * 35 * DAY)
                self.swipes(acc, tgt, ts, 0.45)
                self.photos(mem, party + r.random(k) * 2 * HOUR)
            elif kind == "campus":
                ips = self.ident(int(r.integers(2, 5)))
                ni = r.integers(1, 4, k)
                rep = np.repeat(np.arange(k), ni)
                self.add_sig(mem[rep], "ip", r.choice(ips, len(rep)), lo[rep] + r.random(len(rep)) * 10 * DAY,
                             "login")
                # students swipe on other students
                nsw = r.integers(5, 31, k)
                acc, ts = self.sessions(mem, nsw, lo, hi, tz, "evening", per=10)
                same = mem[r.integers(0, k, len(acc))]
                self.swipes(acc, same, ts, 0.35)
            elif kind == "speed_dating_event":
                start = g["start"]
                venue = self.ident(1)[0]
                self.add_sig(mem, "ip", np.full(k, venue), start + r.random(k) * 1800, "login")
                nsw = r.integers(10, 41, k)
                acc = np.repeat(mem, nsw)
                gm = self.gender[mem]
                # partners: attendees of the sought gender (any attendee when none)
                tgt = np.empty(len(acc), dtype=np.int64)
                sk = self.seek[acc]
                for gg in range(3):
                    pool = mem[gm == gg]
                    sel = sk == gg
                    if len(pool) == 0:
                        pool = mem
                    tgt[sel] = pool[r.integers(0, len(pool), sel.sum())]
                ts = start + 1800 + r.random(len(acc)) * 2 * HOUR
                ra, rt, rts = self.swipes(acc, tgt, ts, 0.55)
                ma, mb, tm = self.matches(ra, rt, rts, 0.35, instant=0.8)
                self.convos(ma, mb, tm, p_conv=0.7, first_mean=2 * HOUR)
            elif kind == "matchmaking_agency":
                c = self.city[mem[0]]
                devs = self.ident(int(r.integers(1, 4)))
                office = self.ident(1)[0]
                card = self.ident(1)[0]
                self.card[mem] = card
                self.premium[mem] = True
                nd = r.integers(1, len(devs) + 1, k)
                rep = np.repeat(np.arange(k), nd)
                self.add_sig(mem[rep], "device", r.choice(devs, len(rep)), self.created[mem][rep].astype(float), "login")
                self.add_sig(mem, "ip", np.full(k, office), self.created[mem].astype(float), "login")
                self.add_ev(mem, A["subscribe"], TS, S["sku_platinum_1m"], self.created[mem] + r.uniform(600, 7200, k))
                months = ((hi - lo) / (30 * DAY)).astype(np.int64)
                rep = np.repeat(np.arange(k), months)
                j = np.arange(len(rep)) - np.repeat(np.cumsum(months) - months, months) + 1
                self.add_ev(mem[rep], A["subscription_renew"], TS, S["sku_platinum_1m"], lo[rep] + j * 30 * DAY + 900)
                # professional photo shoot
                nph = r.integers(3, 7, k)
                rep = np.repeat(np.arange(k), nph)
                self.photos(mem[rep], lo[rep] + 3 * HOUR + r.random(len(rep)) * 1200)
                # curated swiping in office hours
                nsw = r.integers(80, 301, k)
                acc, ts = self.sessions(mem, nsw, lo, hi, tz, "office", per=30, weekdays=True)
                tgt = self.pick_targets(self.city[acc], self.seek[acc], p_local=0.97)
                aff = self.affluent[np.maximum(tgt, 0)]
                tgt = np.where(aff | (r.random(len(tgt)) < 0.3), tgt, -1)
                ra, rt, rts = self.swipes(acc, tgt, ts, 0.7)
                hon_t = self.honest[rt]
                ma, mb, tm = self.matches(ra[hon_t], rt[hon_t], rts[hon_t], 0.12)
                self.convos(ma, mb, tm, p_conv=0.7, mean_msgs=7)
            elif kind == "popular_boost_crowd":
                a = int(mem[0])
                c = self.city[a]
                nb = int(r.integers(3, 11))
                tb = np.sort(self.when(np.full(nb, lo[0]), np.full(nb, T1 - DAY), tz[0], "evening"))
                self.add_ev(np.full(nb, a), A["boost_buy"], TS, S["sku_boost_1"], tb)
                if self.card[a] < 0:
                    self.card[a] = self.ident(1)[0]
                cand = np.flatnonzero((self.city == c) & (self.seek == self.gender[a]) & self.honest &
                                      (self.acct_type == 0) & (np.arange(self.n) != a) &
                                      (self.created < T1 - 20 * DAY))
                sizes = r.integers(100, 401, nb)
                tot = int(min(sizes.sum(), 0.6 * len(cand)))
                w = self.activity[cand]
                crowd = r.choice(cand, tot, replace=False, p=w / w.sum())
                b = np.repeat(np.arange(nb), sizes)[:tot]
                ts = tb[b] + np.minimum(r.exponential(420, tot), 1800) + r.random(tot) * 30
                self.add_ev(crowd, np.where(r.random(tot) < 0.08, A["super_like"], A["swipe_right"]).astype(np.int8),
                            TA, a, ts)
                ma, mb, tm = self.matches(np.full(tot, a), crowd, ts + r.exponential(DAY, tot), 0.04, instant=0.0)
                self.convos(ma, mb, tm, p_conv=0.6)
                newm = np.unique(crowd[self.gid[crowd] < 0])
                self.gid[newm] = gid
                self.kind[newm] = kind
                self.role[newm] = "crowd"
                g["members"] = np.sort(np.concatenate([mem, newm]))
            elif kind == "carrier_nat":
                ips = self.ident(int(r.integers(2, 4)))
                ni = r.integers(1, 3, k)
                rep = np.repeat(np.arange(k), ni)
                self.add_sig(mem[rep], "ip", r.choice(ips, len(rep)), lo[rep] + r.random(len(rep)) * (hi[rep] - lo[rep]),
                             "login")
            elif kind == "corporate_vpn":
                ips = self.ident(int(r.integers(1, 4)))
                self.add_sig(mem, "ip", r.choice(ips, k), lo + r.random(k) * (hi - lo), "login")
            elif kind == "qa_test_accounts":
                devs = self.ident(int(r.integers(2, 4)))
                hq = self.ident(1)[0]
                cards = self.ident(2)
                self.card[mem] = -1
                self.add_sig(mem, "device", r.choice(devs, k), self.created[mem].astype(float), "signup")
                self.add_sig(mem, "ip", np.full(k, hq), self.created[mem].astype(float), "signup")
                pc = r.random(k) < 0.6
                self.add_sig(mem[pc], "payment", r.choice(cards, pc.sum()), self.created[mem[pc]] + 3600.0,
                             "payment_gateway")
                nsw = r.integers(20, 120, k)
                acc, ts = self.sessions(mem, nsw, lo, hi, tz, "office", per=25, weekdays=True)
                self.swipes(acc, mem[r.integers(0, k, len(acc))], ts, 0.6)
                npur = r.integers(1, 6, k) * pc
                rep = np.repeat(np.arange(k), npur)
                tp = self.when(lo[rep], hi[rep], tz[rep], "office", weekdays=True)
                self.add_ev(mem[rep], np.where(r.random(len(rep)) < 0.5, A["subscribe"], A["boost_buy"]).astype(np.int8),
                            TS, r.integers(0, len(SKUS), len(rep)), tp)
                self.add_ev(mem[rep], A["payment_declined"], TS, 4, tp + 30)
                self.photos(mem, self.created[mem] + 600.0)

    # -------------------------------------------------------------- bad groups
    def scam_ring(self, mem):
        r = self.rng
        k = len(mem)
        op_tz = float(r.choice([1.0, 3.0, 5.5, 8.0]))
        # waves
        nw = int(r.integers(2, 5))
        wave_day = np.sort(r.choice(np.arange(5, DAYS - 25), nw, replace=False))
        wave = np.sort(r.integers(0, nw, k))
        base = T0 + wave_day[wave] * DAY + 9 * HOUR - op_tz * HOUR
        self.created[mem] = (base + r.random(k) * 3 * HOUR).astype(np.int64)
        life = r.integers(15, 70, k) * DAY
        self.active_end[mem] = np.minimum(T1, self.created[mem] + life)
        lo = self.created[mem].astype(np.float64)
        hi = np.maximum(self.active_end[mem].astype(np.float64), lo + DAY)
        tc = self.ring_cities[int(mem[0])]
        # identity
        devs = self.ident(int(r.integers(3, 9)))
        nd = r.integers(1, 3, k)
        rep = np.repeat(np.arange(k), nd)
        self.add_sig(mem[rep], "device", r.choice(devs, len(rep)), lo[rep] + r.random(len(rep)) * 5 * DAY, "login")
        emu = np.flatnonzero(r.random(k) < 0.4)
        ne = r.integers(1, 4, len(emu))
        rep = np.repeat(emu, ne)
        ev = self.ident(len(rep))
        reuse = r.random(len(rep)) < 0.15
        ev[reuse] = ev[r.integers(0, len(ev), reuse.sum())]
        self.add_sig(mem[rep], "device", ev, lo[rep] + r.random(len(rep)) * 10 * DAY, "login")
        office = self.ident(int(r.integers(1, 4)))
        oi = np.flatnonzero(r.random(k) < 0.7)
        self.add_sig(mem[oi], "ip", r.choice(office, len(oi)), lo[oi], "signup")
        nv = r.integers(1, 4, k)
        rep = np.repeat(np.arange(k), nv)
        self.add_sig(mem[rep], "ip", r.choice(self.vpn_pool, len(rep)), lo[rep] + r.random(len(rep)) * 5 * DAY, "login")
        ph = self.ident(k)
        sp = r.random(k) < 0.3
        ph[sp] = r.choice(self.sms_pool, sp.sum())
        self.add_sig(mem, "phone", ph, lo, "signup")
        self.add_sig(mem, "email", self.ident(k), lo, "signup")
        cards = self.ident(int(r.integers(2, 4)))
        pc = np.flatnonzero(r.random(k) < r.uniform(0.3, 0.5))
        self.add_sig(mem[pc], "payment", r.choice(cards, len(pc)), lo[pc] + DAY, "payment_gateway")
        self.add_ev(mem[pc], A["boost_buy"], TS, S["sku_boost_5"], self.when(lo[pc] + DAY, hi[pc], op_tz, "office"))
        # stolen photos: some reused across profiles, some taken from real users
        nph = r.integers(2, 6, k)
        rep = np.repeat(np.arange(k), nph)
        pv = self.ident(len(rep))
        reuse = r.random(len(rep)) < 0.15
        pv[reuse] = pv[r.integers(0, len(pv), reuse.sum())]
        self.add_sig(mem[rep], "photo", pv, lo[rep] + r.random(len(rep)) * 600, "upload")
        self.photos(mem[rep], lo[rep] + r.random(len(rep)) * 600)
        self.stolen_requests.append(mem[r.random(k) < 0.2])
        self.add_ev(mem[r.random(k) < 0.1], A["selfie_verify"], TL, 0, lo[0] + HOUR)
        # target list: older affluent users of the sought gender in the target cities
        cand = np.flatnonzero(np.isin(self.city, tc) & (self.age >= 40) & self.affluent & self.honest &
                              (self.gender == G_M))
        cand_f = np.flatnonzero(np.isin(self.city, tc) & (self.age >= 40) & self.affluent & self.honest &
                                (self.gender == G_F))
        tl_m = r.choice(cand, min(len(cand), int(r.integers(800, 3000))), replace=False)
        tl_f = r.choice(cand_f, min(len(cand_f), int(r.integers(200, 800))), replace=False) if len(cand_f) else cand[:1]
        nsw = r.integers(150, 601, k)
        acc, ts = self.sessions(mem, nsw, lo, hi, np.full(k, op_tz), "office", per=40, dur=(900, 3600),
                                weekdays=True)
        tl = np.where(self.seek[acc] == G_M, 0, 1)
        tgt = np.where(tl == 0, tl_m[r.integers(0, len(tl_m), len(acc))], tl_f[r.integers(0, len(tl_f), len(acc))])
        ra, rt, rts = self.swipes(acc, tgt, ts, 0.93)
        ma, mb, tm = self.matches(ra, rt, rts, 0.12, instant=0.3)
        live = tm < self.active_end[ma]
        ma, mb, tm = ma[live], mb[live], tm[live]
        nm = len(ma)
        if nm == 0:
            return
        d0 = float(r.uniform(25, 120))
        cad = float(r.uniform(90, 400))
        nscript = int(r.integers(4, 8))
        opener = tm + d0 + r.normal(0, 1.5, nm)
        rep = np.repeat(np.arange(nm), nscript)
        j = np.tile(np.arange(nscript), nm)
        t = opener[rep] + j * cad + r.normal(0, cad * 0.02, len(rep))
        self.add_ev(ma[rep], A["message_send"], TA, mb[rep], t)
        engaged = r.random(nm) < 0.55
        nr = np.where(engaged, r.integers(1, 6, nm), 0)
        rep2 = np.repeat(np.arange(nm), nr)
        self.add_ev(mb[rep2], A["message_send"], TA, ma[rep2], opener[rep2] + r.random(len(rep2)) * nscript * cad * 3)
        link = engaged & (r.random(nm) < 0.8)
        tlink = opener + nscript * cad + r.normal(0, 5, nm)
        self.add_ev(ma[link], A["link_share"], TA, mb[link], tlink[link])
        rp = r.random(nm) < 0.1
        self.add_ev(mb[rp], A["report_profile"], TA, ma[rp], tlink[rp] + r.exponential(DAY, rp.sum()))

    def bot_farm(self, mem, farm_i):
        r = self.rng
        k = len(mem)
        nb = int(r.integers(3, 9))
        bt = np.sort(T0 + r.random(nb) * (DAYS - 40) * DAY)
        burst = np.sort(r.integers(0, nb, k))
        self.created[mem] = (bt[burst] + r.random(k) * r.uniform(600, 2400)).astype(np.int64)
        self.active_end[mem] = np.minimum(T1, self.created[mem] + (r.exponential(50, k) * DAY).astype(np.int64) + 5 * DAY)
        lo = self.created[mem].astype(np.float64)
        hi = self.active_end[mem].astype(np.float64)
        self.city[mem] = r.choice(NC, k, p=CITY_W)
        emu = self.ident(k)
        clone = r.random(k) < 0.1
        emu[clone] = emu[r.integers(0, k, clone.sum())]
        self.add_sig(mem, "device", emu, lo, "signup")
        rs = np.flatnonzero(r.random(k) < 0.2)
        self.add_sig(mem[rs], "device", self.ident(len(rs)), lo[rs] + r.random(len(rs)) * (hi[rs] - lo[rs]), "login")
        proxies = self.ident(max(3, k // 3))
        npx = r.integers(2, 6, k)
        rep = np.repeat(np.arange(k), npx)
        self.add_sig(mem[rep], "ip", r.choice(proxies, len(rep)), lo[rep] + r.random(len(rep)) * (hi[rep] - lo[rep]),
                     "login")
        shared = proxies[r.random(len(proxies)) < 0.33]
        self.proxy_share.append(shared)
        self.add_sig(mem, "phone", r.choice(self.sms_pool, k), lo, "signup")
        self.add_sig(mem, "email", self.ident(k), lo, "signup")
        photos = self.ident(max(5, k // 2))
        nph = r.integers(1, 4, k)
        rep = np.repeat(np.arange(k), nph)
        self.add_sig(mem[rep], "photo", r.choice(photos, len(rep)), lo[rep] + 60, "upload")
        self.photos(mem[rep], lo[rep] + r.uniform(20, 200, len(rep)))
        # campaigns
        ncamp = int(r.integers(6, 17))
        for _ in range(ncamp):
            cs = lo.min() + HOUR + r.random() * max(hi.max() - lo.min() - DAY, HOUR)
            dur = r.uniform(4, 12) * HOUR
            alive = mem[(lo < cs) & (hi > cs)]
            if len(alive) < 5:
                continue
            part = alive[r.random(len(alive)) < r.uniform(0.3, 0.7)]
            if len(part) == 0:
                continue
            c = int(r.choice(NC, p=CITY_W))
            g = G_M if r.random() < 0.8 else G_F
            pool = np.flatnonzero((self.city == c) & (self.gender == g) & self.honest)
            if len(pool) == 0:
                continue
            tlist = r.choice(pool, min(len(pool), int(r.integers(300, 2001))), replace=False)
            ns = r.integers(80, 401, len(part))
            acc = np.repeat(part, ns)
            tgt = tlist[r.integers(0, len(tlist), len(acc))]
            ts = cs + r.random(len(acc)) * dur + r.normal(0, 120, len(acc))
            ra, rt, rts = self.swipes(acc, tgt, ts, 0.95, super_share=0.002)
            ma, mb, tm = self.matches(ra, rt, rts, 0.04, instant=0.5)
            nm = len(ma)
            tmsg = tm + r.uniform(20, 120, nm)
            hello = r.random(nm) < 0.6
            self.add_ev(ma[hello], A["message_send"], TA, mb[hello], tmsg[hello])
            self.add_ev(ma, A["link_share"], TA, mb, tmsg + r.uniform(30, 600, nm))
            rp = r.random(nm) < 0.1
            self.add_ev(mb[rp], A["report_profile"], TA, ma[rp], tmsg[rp] + r.exponential(3 * HOUR, rp.sum()))

    def premium_fraud(self, mem):
        r = self.rng
        k = len(mem)
        start = T0 + r.random() * (DAYS - 20) * DAY
        self.created[mem] = (start + r.random(k) * r.uniform(1, 5) * DAY).astype(np.int64)
        self.active_end[mem] = np.minimum(T1, self.created[mem] + r.integers(5, 40, k) * DAY)
        lo = self.created[mem].astype(np.float64)
        hi = self.active_end[mem].astype(np.float64)
        devs = self.ident(int(r.integers(2, 5)))
        nd = r.integers(1, 3, k)
        rep = np.repeat(np.arange(k), nd)
        self.add_sig(mem[rep], "device", r.choice(devs, len(rep)), lo[rep], "signup")
        dc = r.choice(self.dc_pool, int(r.integers(2, 7)), replace=False)
        ni = r.integers(1, 4, k)
        rep = np.repeat(np.arange(k), ni)
        self.add_sig(mem[rep], "ip", r.choice(dc, len(rep)), lo[rep] + r.random(len(rep)) * DAY, "login")
        self.add_sig(mem, "phone", r.choice(self.sms_pool, k), lo, "signup")
        self.add_sig(mem, "email", self.ident(k), lo, "signup")
        cards = self.ident(int(r.integers(max(10, k), 61)))
        nc = r.integers(3, 11, k)
        rep = np.repeat(np.arange(k), nc)
        cv = r.choice(cards, len(rep))
        tcard = lo[rep] + r.random(len(rep)) * np.minimum(hi[rep] - lo[rep], 3 * DAY)
        self.add_sig(mem[rep], "payment", cv, tcard, "payment_gateway")
        # per card: a test purchase that fails or passes, then big purchases on the ones that pass
        ok = r.random(len(rep)) < 0.35
        self.add_ev(mem[rep], np.where(ok, A["boost_buy"], A["payment_declined"]).astype(np.int8), TS,
                    S["sku_boost_1"], tcard)
        big = np.flatnonzero(ok)
        self.add_ev(mem[rep[big]], A["subscribe"], TS, S["sku_platinum_12m"], tcard[big] + r.uniform(60, 900, len(big)))
        self.add_ev(mem[rep[big]], A["boost_buy"], TS, S["sku_boost_10"], tcard[big] + r.uniform(120, 1200, len(big)))
        self.add_ev(mem[rep[big]], A["super_like_buy"], TS, S["sku_superlike_25"],
                    tcard[big] + r.uniform(120, 1500, len(big)))
        self.photos(mem, lo + r.uniform(60, 600, k))
        nsw = r.integers(20, 151, k)
        acc, ts = self.sessions(mem, nsw, lo, hi, CITY_TZ[self.city[mem]], "flat", per=20)
        tgt = self.pick_targets(self.city[acc], self.seek[acc])
        self.swipes(acc, tgt, ts, 0.7, super_share=0.1)

    def catfish(self, mem):
        r = self.rng
        k = len(mem)
        c = self.city[mem[0]]
        tz = CITY_TZ[c]
        t = T0 + np.sort(r.random(k)) * (DAYS - 30) * DAY
        self.created[mem] = self.when(t, t + DAY, tz, "night").astype(np.int64)
        self.active_end[mem] = np.minimum(T1, self.created[mem] + r.integers(30, 150, k) * DAY)
        lo = self.created[mem].astype(np.float64)
        hi = self.active_end[mem].astype(np.float64)
        devs = self.ident(int(r.integers(1, 3)))
        self.add_sig(mem, "device", r.choice(devs, k), lo, "signup")
        home = self.ident(1)[0]
        self.add_sig(mem, "ip", np.full(k, home), lo, "signup")
        car = r.random(k) < 0.5
        self.add_sig(mem[car], "ip", np.full(car.sum(), r.choice(self.carrier_pool)), lo[car] + DAY, "login")
        own = np.zeros(k, dtype=bool)
        own[0] = True
        ph = np.where(own, self.ident(1)[0], np.where(r.random(k) < 0.5, r.choice(self.sms_pool, k), -1))
        hp = ph >= 0
        self.add_sig(mem[hp], "phone", ph[hp], lo[hp], "signup")
        self.add_sig(mem, "email", self.ident(k), lo, "signup")
        stolen = self.ident(int(r.integers(5, 16)))
        nph = r.integers(2, 6, k)
        rep = np.repeat(np.arange(k), nph)
        self.add_sig(mem[rep], "photo", r.choice(stolen, len(rep)), lo[rep] + 120, "upload")
        self.stolen_requests.append(mem[r.random(k) < 0.3])
        # photo_update bursts across several profiles within minutes
        nbur = int(r.integers(2, 6))
        for tb in self.when(np.full(nbur, lo.min()), np.full(nbur, hi.max()), tz, "night"):
            sub = mem[(lo <= tb) & (hi >= tb)]
            if len(sub) == 0:
                continue
            npb = r.integers(2, 6, len(sub))
            rep = np.repeat(sub, npb)
            self.photos(rep, tb + r.random(len(rep)) * 600)
        # shared targets
        pool = np.flatnonzero((self.city == c) & (self.gender == self.seek[mem[0]]) & self.honest)
        targets = r.choice(pool, min(len(pool), int(r.integers(5, 21))), replace=False)
        acc = np.repeat(mem, len(targets))
        tgt = np.tile(targets, k)
        sel = r.random(len(acc)) < 0.6
        acc, tgt = acc[sel], tgt[sel]
        ts = self.when(np.maximum(self.created[acc], T0), self.active_end[acc], tz, "night")
        ra, rt, rts = self.swipes(acc, tgt, ts, 0.97)
        ma, mb, tm = self.matches(ra, rt, rts, 0.4)
        self.convos(ma, mb, tm, p_conv=0.9, mean_msgs=15, p_link=0.05, p_report=0.05, first_mean=HOUR)
        nsw = r.integers(20, 101, k)
        acc, ts = self.sessions(mem, nsw, lo, hi, np.full(k, tz), "night", per=15)
        tgt = self.pick_targets(self.city[acc], self.seek[acc])
        ra, rt, rts = self.swipes(acc, tgt, ts, 0.6)
        hon_t = self.honest[rt]
        ma, mb, tm = self.matches(ra[hon_t], rt[hon_t], rts[hon_t], 0.1)
        self.convos(ma, mb, tm, p_conv=0.6, mean_msgs=6)

    def takeover(self, gid, vic, tko):
        r = self.rng
        k = len(vic)
        devs = self.ident(int(r.integers(1, 4)))
        ips = self.ident(int(r.integers(2, 5)))
        self.add_sig(vic, "device", r.choice(devs, k), tko + r.uniform(0, 60, k), "login")
        ni = r.integers(1, 3, k)
        rep = np.repeat(np.arange(k), ni)
        self.add_sig(vic[rep], "ip", r.choice(ips, len(rep)), tko[rep] + r.uniform(0, 3600, len(rep)), "login")
        ch = r.random(k) < 0.5
        newph = np.where(r.random(k) < 0.5, r.choice(self.sms_pool, k), self.ident(k))
        tph = tko + r.uniform(120, 1800, k)
        self.add_sig(vic[ch], "phone", newph[ch], tph[ch], "settings")
        self.add_ev(vic[ch], A["phone_update"], TL, 2, tph[ch])
        # spam the victims' existing matches
        ma, mb, tm = self.base_matches
        pos = np.full(self.n, -1)
        pos[vic] = np.arange(k)
        partners_a = np.concatenate([ma, mb])
        partners_b = np.concatenate([mb, ma])
        tmm = np.concatenate([tm, tm])
        sel = (pos[partners_a] >= 0) & (tmm < tko[np.maximum(pos[partners_a], 0)])
        va, vb = partners_a[sel], partners_b[sel]
        t = tko[pos[va]] + r.uniform(2 * HOUR, 2 * DAY, len(va))
        self.add_ev(va, A["link_share"], TA, vb, t)
        pre = r.random(len(va)) < 0.4
        self.add_ev(va[pre], A["message_send"], TA, vb[pre], t[pre] - r.uniform(10, 60, pre.sum()))
        rp = r.random(len(va)) < 0.05
        self.add_ev(vb[rp], A["report_profile"], TA, va[rp], t[rp] + r.exponential(HOUR, rp.sum()))
        # burst of new right swipes and spam to new matches
        nsw = r.integers(50, 201, k)
        acc = np.repeat(vic, nsw)
        ts = tko[pos[acc]] + HOUR + r.random(len(acc)) * 2 * DAY
        tgt = self.pick_targets(self.city[acc], self.seek[acc], p_local=0.6)
        ra, rt, rts = self.swipes(acc, tgt, ts, 0.97)
        hon_t = self.honest[rt]
        ma2, mb2, tm2 = self.matches(ra[hon_t], rt[hon_t], rts[hon_t], 0.05, instant=0.7)
        self.add_ev(ma2, A["link_share"], TA, mb2, tm2 + r.uniform(60, 900, len(ma2)))

    def lone_actors(self):
        r = self.rng
        for lk, a in self.lone:
            c = self.city[a]
            tz = CITY_TZ[c]
            arr = np.array([a])
            if lk == "lone_harasser":
                # real person, base identity and behaviour; plus floods of late-night messages
                ma, mb, tm = self.base_matches
                part = np.concatenate([mb[ma == a], ma[mb == a]])
                tpart = np.concatenate([tm[ma == a], tm[mb == a]])
                if len(part) < 3:
                    extra = self.pick_targets(np.full(12, c), np.full(12, self.seek[a]))
                    extra = extra[extra != a]
                    te = self.when(np.full(len(extra), max(self.created[a], T0)), np.full(len(extra), T1), tz)
                    ma2, mb2, tm2 = self.matches(np.full(len(extra), a), extra, te, 1.0)
                    part = np.concatenate([part, mb2])
                    tpart = np.concatenate([tpart, tm2])
                nmsg = r.integers(15, 80, len(part))
                rep = np.repeat(np.arange(len(part)), nmsg)
                t = self.when(tpart[rep], np.minimum(tpart[rep] + 20 * DAY, T1), tz, "night")
                self.add_ev(np.full(len(rep), a), A["message_send"], TA, part[rep], t)
                rp = r.random(len(part)) < 0.45
                self.add_ev(part[rp], A["report_profile"], TA, np.full(rp.sum(), a), tpart[rp] + r.uniform(DAY, 10 * DAY, rp.sum()))
                continue
            t0 = T0 + r.random() * (DAYS - 20) * DAY
            self.created[a] = int(t0)
            self.active_end[a] = int(min(T1, t0 + r.integers(10, 90) * DAY))
            lo, hi = float(self.created[a]), float(self.active_end[a])
            self.add_sig(arr, "device", self.ident(1), lo, "signup")
            ip = r.choice(self.vpn_pool) if lk == "lone_scammer" else (
                r.choice(self.dc_pool) if r.random() < 0.5 else self.ident(1)[0])
            self.add_sig(arr, "ip", [ip], lo, "signup")
            self.add_sig(arr, "phone", [r.choice(self.sms_pool) if r.random() < 0.6 else self.ident(1)[0]], lo, "signup")
            self.add_sig(arr, "email", self.ident(1), lo, "signup")
            npht = int(r.integers(1, 4))
            self.add_sig(np.full(npht, a), "photo", self.ident(npht), lo + 60, "upload")
            self.photos(np.full(3, a), lo + r.uniform(30, 300, 3))
            if lk == "lone_scammer":
                nsw = int(r.integers(100, 401))
                cand = np.flatnonzero((self.city == c) & (self.age >= 40) & self.honest & (self.gender == self.seek[a]))
                if len(cand) == 0:
                    cand = np.flatnonzero(self.honest & (self.gender == self.seek[a]))
                tgt = r.choice(cand, nsw)
                ts = self.when(np.full(nsw, lo), np.full(nsw, hi), tz, "flat")
                ra, rt, rts = self.swipes(np.full(nsw, a), tgt, ts, 0.95)
                ma, mb, tm = self.matches(ra, rt, rts, 0.12)
                nm = len(ma)
                op = tm + r.uniform(60, 3 * HOUR, nm)
                for j in range(4):
                    self.add_ev(ma, A["message_send"], TA, mb, op + j * r.uniform(300, 3000, nm))
                self.add_ev(mb, A["message_send"], TA, ma, op + r.uniform(100, 9000, nm))
                lk_ = r.random(nm) < 0.7
                self.add_ev(ma[lk_], A["link_share"], TA, mb[lk_], op[lk_] + 4 * HOUR)
            else:
                nsw = int(r.integers(200, 801))
                acc, ts = self.sessions(arr, [nsw], [lo], [hi], np.array([tz]), "flat", per=80)
                tgt = self.pick_targets(self.city[acc], self.seek[acc], p_local=0.7)
                ra, rt, rts = self.swipes(acc, tgt, ts, 0.97)
                ok = self.honest[rt]
                ma, mb, tm = self.matches(ra[ok], rt[ok], rts[ok], 0.05)
                self.add_ev(ma, A["link_share"], TA, mb, tm + r.uniform(30, 300, len(ma)))
                rp = r.random(len(ma)) < 0.15
                self.add_ev(mb[rp], A["report_profile"], TA, ma[rp], tm[rp] + HOUR)

    def fake_behaviour(self):
        self.stolen_requests = []
        self.proxy_share = []
        for i, gid in enumerate(self.fake_groups):
            g = self.groups[gid]
            mem = g["members"]
            if g["kind"] == "romance_scam_ring":
                self.scam_ring(mem)
            elif g["kind"] == "swipe_bot_farm":
                self.bot_farm(mem, i)
            elif g["kind"] == "premium_fraud":
                self.premium_fraud(mem)
            elif g["kind"] == "catfish_operator":
                self.catfish(mem)
        for gid, vic, tko in self.ato:
            self.takeover(gid, vic, tko)
        self.lone_actors()
        r = self.rng
        # residential proxy IPs that are also real homes
        if self.proxy_share:
            sh = np.concatenate(self.proxy_share)
            hosts = r.choice(self.free_honest(), len(sh) * 2)
            self.add_sig(hosts, "ip", np.repeat(sh, 2), T0 + r.random(len(hosts)) * DAYS * DAY, "login")
        # photos stolen from real users' profiles
        if self.stolen_requests:
            thieves = np.concatenate(self.stolen_requests)
            victims = r.choice(np.arange(len(self.honest_photo_acc)), len(thieves))
            # find the victim's photo value: re-derive from the honest photo signal chunk
            self.stolen_pairs = (thieves, self.honest_photo_acc[victims])

    def finish_stolen_photos(self, sig: pl.DataFrame) -> pl.DataFrame:
        if not hasattr(self, "stolen_pairs"):
            return sig
        thieves, victims = self.stolen_pairs
        vph = (sig.filter((pl.col("kind") == K["photo"]) & pl.col("src") .eq(SRC["upload"]))
               .join(pl.DataFrame({"acc": victims}).unique(), on="acc")
               .sort(["acc", "val"]).group_by("acc", maintain_order=True).agg(pl.col("val").first()))
        m = pl.DataFrame({"acc": victims, "thief": thieves}).join(vph, on="acc", how="inner")
        m = m.sort(["thief", "val"])
        add = pl.DataFrame({"acc": m["thief"], "kind": pl.Series(np.full(len(m), K["photo"], dtype=np.int8)),
                            "val": m["val"], "seen": pl.Series(self.created[m["thief"].to_numpy()] + 300.0),
                            "src": pl.Series(np.full(len(m), SRC["upload"], dtype=np.int8))})
        return pl.concat([sig, add])

    # ------------------------------------------------------------------ labels
    def labels(self) -> pl.DataFrame:
        r = self.rng
        n = self.n
        lab = np.full(n, -1, dtype=np.int8)
        p_found = {"romance_scam_ring": 0.6, "swipe_bot_farm": 0.55, "premium_fraud": 0.6,
                   "catfish_operator": 0.35, "account_takeover_wave": 0.5}
        bad_groups = [g for g in self.groups if g["bad"]]
        found = np.array([r.random() < p_found[g["kind"]] for g in bad_groups])
        if not found.any():
            found[r.integers(0, len(found))] = True
        if found.all():
            found[r.integers(0, len(found))] = False
        for g, f in zip(bad_groups, found):
            g["found"] = bool(f)
            if f:
                mem = g["members"]
                sel = mem[r.random(len(mem)) < r.uniform(0.7, 0.95)]
                lab[sel] = np.where(r.random(len(sel)) < 0.05, 0, 1)  # some reinstated on appeal
        for lk, a in self.lone:
            if r.random() < 0.4:
                lab[a] = 1
        # heavily reported honest profiles: mostly (wrongly) banned
        rp = np.flatnonzero(self.reported_pop)
        lab[rp[r.random(len(rp)) < 0.7]] = 1
        budget = int(0.12 * n) - int((lab >= 0).sum())
        cand = np.flatnonzero(self.honest & (lab < 0))
        w = 1.0 + 2.0 * self.verified[cand] + 1.0 * self.premium[cand]
        pick = r.choice(cand, min(max(budget, 0), len(cand)), replace=False, p=w / w.sum())
        lab[pick] = np.where(r.random(len(pick)) < 0.006, 1, 0)
        idx = np.flatnonzero(lab >= 0)
        return idx, lab[idx]

    # ----------------------------------------------------------------- assemble
    def run(self):
        t = time.time()
        self.plan()
        self.base_identity()
        self.base_behaviour()
        self.benign_behaviour()
        self.fake_behaviour()
        self.emit_home_and_cards()
        self.t_gen = time.time() - t

    def tables(self):
        r = self.rng
        n = self.n
        # account ids: nine-digit strings, no leading zero
        raw = r.integers(100_000_000, 1_000_000_000, int(n * 1.2) + 100)
        _, first = np.unique(raw, return_index=True)
        first.sort()
        ids_int = raw[first][:n]
        assert len(ids_int) == n
        ids = pl.Series("account_id", ids_int).cast(pl.String)
        # events
        acc = np.concatenate([e[0] for e in self.ev])
        act = np.concatenate([e[1] for e in self.ev])
        tk = np.concatenate([e[2] for e in self.ev])
        tv = np.concatenate([e[3] for e in self.ev])
        ts = np.concatenate([e[4] for e in self.ev])
        keep = (tk != TA) | (tv != acc)
        acc, act, tk, tv, ts = acc[keep], act[keep], tk[keep], tv[keep], ts[keep]
        ms = np.floor(ts * 1000).astype(np.int64)
        ev = pl.DataFrame({"acc": acc, "act": act, "tk": tk, "tv": tv, "ms": ms})
        ev = ev.sort(["ms", "acc", "act", "tk", "tv"])
        dup = r.random(ev.height) < 0.001
        ev = pl.concat([ev, ev.filter(pl.Series(dup))]).sort(["ms", "acc", "act", "tk", "tv"])
        acc_np = ev["acc"].to_numpy()
        tk_np = ev["tk"].to_numpy()
        tv_np = ev["tv"].to_numpy()
        tacc = ids.gather(np.where(tk_np == TA, tv_np, 0))
        tsku = pl.Series(SKUS).gather(np.where(tk_np == TS, tv_np, 0))
        tlit = pl.Series(LITERALS).gather(np.where(tk_np == TL, tv_np, 0))
        tph = pl.Series("p", tv_np).cast(pl.String)
        cl = self.client[acc_np]
        cl = np.where(r.random(len(cl)) < 0.03, 2, cl)
        events = pl.DataFrame({
            "account_id": ids.gather(acc_np),
            "action": pl.Series(ACTIONS).gather(ev["act"].to_numpy()),
            "tk": tk_np,
            "ta": tacc, "ts_": tsku, "tl": tlit, "tp": tph,
            "ts": pl.Series(ev["ms"]).cast(pl.Datetime("ms")),
            "client": pl.Series(CLIENTS).gather(cl),
        }).with_columns(
            target_id=pl.when(pl.col("tk") == TA).then(pl.col("ta"))
            .when(pl.col("tk") == TS).then(pl.col("ts_"))
            .when(pl.col("tk") == TL).then(pl.col("tl"))
            .otherwise(pl.lit("ph_") + pl.col("tp"))
        ).select("account_id", "action", "target_id", "ts", "client")
        # signals
        sig = pl.DataFrame({
            "acc": np.concatenate([s[0] for s in self.sig]),
            "kind": np.concatenate([s[1] for s in self.sig]),
            "val": np.concatenate([s[2] for s in self.sig]),
            "seen": np.concatenate([s[3] for s in self.sig]),
            "src": np.concatenate([s[4] for s in self.sig]),
        })
        sig = self.finish_stolen_photos(sig)
        sig = (sig.sort(["acc", "kind", "val", "seen", "src"])
               .group_by(["acc", "kind", "val"], maintain_order=True)
               .agg(pl.col("seen").first(), pl.col("src").first()))
        sig = sig.sort(["acc", "kind", "val"])
        seen = sig["seen"].to_numpy()
        seen = np.minimum(np.maximum(seen, self.created[sig["acc"].to_numpy()]), T1 - 1)
        seen_us = (np.floor(seen) * 1_000_000).astype(np.int64)
        null = r.random(sig.height) < 0.003
        vals = _hex16(_mix(sig["val"].to_numpy().astype(np.uint64) * np.uint64(8) + sig["kind"].to_numpy().astype(np.uint64),
                           self.seed * 7919 + 14))
        signals = pl.DataFrame({
            "account_id": ids.gather(sig["acc"].to_numpy()),
            "kind": pl.Series(KINDS).gather(sig["kind"].to_numpy()),
            "value": vals,
            "seen_at": pl.Series(seen_us).cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
            "source": pl.Series(SOURCES).gather(sig["src"].to_numpy()),
        }).with_columns(seen_at=pl.when(pl.Series(null)).then(None).otherwise(pl.col("seen_at")))
        # accounts
        created = pl.Series(self.created * 1000).cast(pl.Datetime("ms"))
        accounts = pl.DataFrame({
            "account_id": ids,
            "created_at": created.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "account_type": np.where(self.acct_type == 1, "internal", "personal"),
            "country": CITY_COUNTRY[self.city],
            "city": CITY_NAME[self.city],
            "age": self.age,
            "gender": np.array(["M", "F", "X"])[self.gender],
            "is_verified": self.verified,
            "signup_client": CLIENTS[self.client],
        }).sort("account_id")
        # truth
        gname = np.array([None] * n, dtype=object)
        for g in self.groups:
            gname[g["members"]] = f"{g['kind']}_{g['gid']:04d}"
        truth = pl.DataFrame({
            "account_id": ids,
            "is_bad": ~self.honest,
            "group_id": pl.Series(gname.tolist(), dtype=pl.String),
            "group_kind": pl.Series(self.kind.astype(str)),
            "role": pl.Series(self.role.astype(str)),
        }).sort("account_id")
        li, lv = self.labels()
        labels = pl.DataFrame({"account_id": ids.gather(li), "label": lv.astype(np.int64)}).sort("account_id")
        return accounts, signals, events, labels, truth


def report(accounts, signals, events, labels, truth, gen: Gen):
    ev_n = events.group_by("account_id").len().rename({"len": "events"})
    sg_n = signals.group_by("account_id").len().rename({"len": "signals"})
    t = truth.join(ev_n, on="account_id", how="left").join(sg_n, on="account_id", how="left").with_columns(
        pl.col("events").fill_null(0), pl.col("signals").fill_null(0))
    if labels is not None:
        t = t.join(labels, on="account_id", how="left")
    else:
        t = t.with_columns(label=pl.lit(None, dtype=pl.Int64))
    gs = (t.filter(pl.col("group_id").is_not_null()).group_by("group_kind", "group_id").agg(pl.len().alias("size"))
          .group_by("group_kind").agg(pl.len().alias("groups"), pl.col("size").min().alias("min"),
                                      pl.col("size").median().alias("median"), pl.col("size").max().alias("max")))
    k = (t.group_by("group_kind").agg(
        pl.col("is_bad").first().alias("bad"), pl.len().alias("accounts"),
        pl.col("events").sum().alias("events"), pl.col("events").median().alias("ev_median"),
        pl.col("signals").sum().alias("signals"),
        (pl.col("label") == 1).sum().alias("lab1"), (pl.col("label") == 0).sum().alias("lab0"))
         .join(gs, on="group_kind", how="left").with_columns(pl.col("groups").fill_null(0))
         .sort(["bad", "group_kind"], descending=[True, False]))
    with pl.Config(tbl_rows=50, tbl_cols=20, tbl_width_chars=200):
        print(k.select("group_kind", "bad", "groups", "accounts", "min", "median", "max", "events", "ev_median",
                       "signals", "lab1", "lab0"))
    nb = sum(1 for g in gen.groups if g["bad"])
    found = sum(1 for g in gen.groups if g["bad"] and g.get("found"))
    print(f"accounts {accounts.height:,}  signals {signals.height:,}  events {events.height:,}  "
          f"labels {0 if labels is None else labels.height:,}  planted bad groups {nb} (found by enforcement {found})")
    print("actions:", dict(events.group_by("action").len().sort("len", descending=True).iter_rows()))
    print("signal kinds:", dict(signals.group_by("kind").len().sort("kind").iter_rows()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.time()
    gen = Gen(a.accounts, a.seed)
    gen.run()
    accounts, signals, events, labels, truth = gen.tables()
    out = Path(a.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    accounts.write_csv(out / "accounts.csv")
    signals.write_parquet(out / "signals.parquet")
    events.write_parquet(out / "events.parquet")
    truth.write_parquet(out / "truth.parquet")
    if a.no_labels:
        (out / "labels.csv").unlink(missing_ok=True)
    else:
        labels.write_csv(out / "labels.csv")
    print(f"wrote {out}: {accounts.height:,} accounts, {signals.height:,} signals, {events.height:,} events "
          f"in {time.time() - t0:.1f}s", file=sys.stderr)
    if a.report:
        report(accounts, signals, events, None if a.no_labels else labels, truth, gen)


if __name__ == "__main__":
    main()

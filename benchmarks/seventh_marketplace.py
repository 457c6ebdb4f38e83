#!/usr/bin/env python
"""Seventh marketplace: "Munchr", a food-delivery / local-services super-app.

An independent synthetic generator (written only from the input data contract) used to
judge how the syndicate toolkit generalises to a world it was not built on.

World
-----
Restaurants, grocery shops and a few other shops ("stores") in eleven cities in seven
countries (PT, ES, PL, TR, MX, CO, ID, PH; UTC offsets -6 .. +8, daylight saving ignored).
Customers order from stores, couriers deliver, merchant accounts run the stores.
Data covers 2024-01-01 .. 2025-04-30 (16 months); many accounts were created years before
(aged accounts) and some never act in the window (dormant). Activity is heavy-tailed
(log-normal order rates), follows meal-time rhythms in local time, weekday effects, churn.

Tables written to OUTDIR
------------------------
accounts.parquet  account_id, created_at, account_type (customer|courier|merchant), country,
                  + extras city, signup_platform
signals.parquet   account_id, kind, value, seen_at  (one row per account-identifier pair)
events.parquet    account_id, action, target_id, ts, + extras rating (Int8 1-5 on ratings,
                  else null) and amount (Float64: order value / tip, else null)
links.parquet     account_a (referee), account_b (referrer), kind "referred_by", weight 1.0
labels.parquet    account_id, label (1 confirmed bad, 0 confirmed good) + extras source,
                  decided_at   (omitted with --no-labels)
truth.parquet     NOT an input: account_id, is_bad, group_id, group_kind

Signal kinds: device_id (16 upper hex), adid (UUID; 00000000-... when ad tracking is
limited, shared by ~13% of devices), ip_address (dotted IPv4: residential, carrier-grade
NAT pools, office / dorm / store wifi, VPN and proxy exits), card_fingerprint, phone_hash,
email_sha1, address_hash (normalised delivery address; flat numbers often lost),
geohash7 (raw 7-char geohash of delivery address), payout_account (couriers, merchants).

Actions (target): signup (android|ios|web), referral_signup (referral code REF-...),
order_placed (store), delivery_completed (store; couriers), shift_start (courier zone),
rate_store (store; rating column 1-5), rate_courier (courier account id; rating 1-5),
tip_courier (courier account id; amount), redeem_coupon (coupon code), refund_request
(store), favorite_store (store), share_store (store), helpful_vote (review id rv_...),
profile_update (password|phone|email|address|payment_method), buy_giftcard (giftcard SKU),
menu_update / reply_review (store; merchants), bonus_claim (courier bonus programme).

Planted groups at 20,000 accounts (sizes are drawn, so totals vary a little by seed)
-----------------------------------------------------------------------------------
Bad (32 groups, ~5.5-6% of accounts; every kind mixes strong / medium / weak evidence):
  promo_ring          x9  6-150  new accounts created in batches, first order + welcome
                              coupon minutes after signup, same campaign coupons within a
                              day; strong: shared emulator devices, cards, drop addresses,
                              operator IP; medium: rotating mobile proxies, some shared
                              cards; weak: unique everything, carrier NAT IPs, nearby cells
  review_ring         x7  12-90  order little, rate 1-3 client restaurants 5 stars and
                              competitors 1 star in campaign windows (1 .. 7 days); 20-60%
                              bought aged accounts; identifiers all distinct (residential
                              proxy IPs that are real households' IPs)
  courier_collusion   x5  4-12   1-3 couriers + customers placing fake orders delivered by
                              the ring's courier, tipping and rating him; strong: customers
                              log in on the courier's phones, shared cards, a ghost-kitchen
                              merchant; weak: only nearby addresses + behaviour
  referral_farm       x3  60-200 workers with own devices / phones rotate across jobs
                              (favorite / share / helpful-vote boosts for clients), timing
                              jittered over minutes to hours, organic orders mixed in,
                              recruiter referral codes; share only proxy IPs (some proxy
                              IPs are also commercial VPN exits used by ordinary users)
  ato_ring            x3  8-60   old customers taken over in a wave: new device / IP,
                              password + phone change, gift cards and grocery orders to
                              drop addresses within hours; weak waves last 3 weeks
  refund_ring         x3  5-25   many orders, refund requests on most; shared cards /
                              devices / building (weaker variants share less)
  courier_bonus_ring  x2  4-10   courier accounts created together, shared payout account /
                              devices, a dozen deliveries then the sign-up bonus, dormant
  plus ~50 solo refund abusers (is_bad, no group).
Benign look-alikes (group_kind, approximate count): family (~2,500 households of 2-6
sharing address, home IPs, sometimes a card or a tablet), office_lunch (~30 offices of
8-60 ordering together at lunch from an office IP, some on a corporate card), dorm (~6
dorms of 40-150 students signing up in the same week with student coupons and referral
chains behind one NAT IP), restaurant_staff (~25 stores: staff on the store tablet and
wifi ordering staff meals and rating the store 5), regulars (~3 popular restaurants,
80-250 regulars rating them 5), viral_coupon (a leaked coupon redeemed by ~1,500 accounts
in one region within hours, a few hundred of them brand-new; most redeemers keep a more
specific group, ~400 carry this one), apartment_block (~40 buildings whose
normalised address hash drops the flat number), parcel_locker (~10 lockers used by 40-200
customers), cgnat (~3 carrier NAT IPs each shared by ~800-2,500 accounts; ~1,400 keep
this group),
recycled_phone (~40 pairs: an abandoned account's phone number reissued to a new customer).
An account is in at most one group (bad groups win, then the more specific benign group).

Labels: enforcement caught part of most strong groups, fewer medium / weak ones (10-50% of
a caught group's members), half the solo abusers; ~4% of positive labels are wrong
(confounder members); ~4% of active benign accounts are labelled good, ~1.5% of those
good labels are in fact bad accounts (aged, taken-over or farm accounts verified earlier).

Usage: python benchmarks/seventh_marketplace.py OUTDIR --accounts 20000 --seed 1 [--no-labels]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
HOUR = 3_600
MIN = 60


def _t(s: str) -> int:
    return int(np.datetime64(s, "s").astype(np.int64))


T_HIST = _t("2018-03-01T00:00:00")
T0 = _t("2024-01-01T00:00:00")
T_END = _t("2025-05-01T00:00:00")
D0, D_END = T0 // DAY, T_END // DAY

# name, country, utc offset (h), weight, geohash prefix
CITIES = [
    ("lisbon", "PT", 0, 0.07, "eyck"),
    ("porto", "PT", 0, 0.04, "ez3f"),
    ("madrid", "ES", 1, 0.10, "ezjm"),
    ("valencia", "ES", 1, 0.05, "ezpb"),
    ("warsaw", "PL", 1, 0.08, "u3qc"),
    ("istanbul", "TR", 3, 0.12, "sxk9"),
    ("mexico_city", "MX", -6, 0.15, "9g3w"),
    ("guadalajara", "MX", -6, 0.05, "9ewm"),
    ("bogota", "CO", -5, 0.10, "d2g6"),
    ("jakarta", "ID", 7, 0.13, "qqgu"),
    ("manila", "PH", 8, 0.11, "wdw4"),
]
NC = len(CITIES)
CITY_NAME = [c[0] for c in CITIES]
CITY_CC = np.array([c[1] for c in CITIES])
CITY_OFF = np.array([c[2] for c in CITIES], np.int64)
CITY_W = np.array([c[3] for c in CITIES], float)
CITY_W /= CITY_W.sum()
COUNTRIES = list(dict.fromkeys(c[1] for c in CITIES))
CITY_CTRY = np.array([COUNTRIES.index(c[1]) for c in CITIES])


def _norm(w):
    w = np.asarray(w, float)
    return w / w.sum()


MEAL_W = _norm([1.0, .5, .3, .2, .1, .1, .3, .8, 1.5, 1.5, 1.8, 3.5, 6, 5, 2.5, 1.5, 1.8, 3, 6, 7, 6, 4, 2.5, 1.6])
LATE_W = _norm([3, 2.5, 1.5, .6, .2, .1, .1, .2, .5, .8, 1, 2, 3.5, 3.5, 2, 1.5, 1.5, 2.5, 4, 5, 5.5, 5.5, 5, 4])
SIGNUP_W = _norm([.6, .4, .2, .1, .1, .2, .5, 1, 1.5, 2, 2.2, 2.5, 2.8, 2.6, 2.4, 2.4, 2.5, 2.8, 3.2, 3.4, 3.2, 2.6, 1.8, 1.1])
EVENING_W = _norm([.5, .2, 0, 0, 0, 0, 0, 0, 0, 0, .2, .5, 1, 1, .5, .5, .8, 1.5, 2.5, 3, 3, 2.5, 1.5, 1])
DOW_KEEP = np.array([.82, .8, .84, .88, 1.0, .98, .93])  # Mon..Sun

KINDS = ["device_id", "adid", "ip_address", "card_fingerprint", "phone_hash", "email_sha1",
         "address_hash", "geohash7", "payout_account"]
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
ACTIONS = ["signup", "referral_signup", "order_placed", "delivery_completed", "shift_start",
           "rate_store", "rate_courier", "tip_courier", "redeem_coupon", "refund_request",
           "favorite_store", "share_store", "helpful_vote", "profile_update", "buy_giftcard",
           "menu_update", "reply_review", "bonus_claim"]
ACT = {a: i for i, a in enumerate(ACTIONS)}

PRIO = {"bad": 100, "restaurant_staff": 60, "dorm": 55, "office_lunch": 50,
        "recycled_phone": 45, "family": 40, "regulars": 30, "apartment_block": 25,
        "parcel_locker": 25, "viral_coupon": 20, "cgnat": 10}

# kind, groups at 20k, size range
BAD_SPEC = [
    ("promo_ring", 9, 6, 150),
    ("review_ring", 7, 12, 90),
    ("courier_collusion", 5, 4, 12),
    ("referral_farm", 3, 60, 200),
    ("ato_ring", 3, 8, 60),
    ("refund_ring", 3, 5, 25),
    ("courier_bonus_ring", 2, 4, 10),
]

HEX = b"0123456789abcdef"
UHEX = b"0123456789ABCDEF"
GH32 = b"0123456789bcdefghjkmnpqrstuvwxyz"
B32U = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def mix(x, bits: int, salt: int):
    """Bijection on [0, 2**bits): unique inputs give unique outputs."""
    m = np.uint64((1 << bits) - 1) if bits < 64 else np.uint64(0xFFFFFFFFFFFFFFFF)
    x = (np.asarray(x).astype(np.uint64) + np.uint64(salt)) & m
    with np.errstate(over="ignore"):
        x = (x * np.uint64(0x9E3779B97F4A7C15)) & m
        x ^= x >> np.uint64(max(1, bits // 2))
        x = (x * np.uint64(0xBF58476D1CE4E5B9)) & m
        x ^= x >> np.uint64(max(1, bits // 3))
    return x


def enc(x, nchar: int, bits_per: int, alphabet: bytes) -> np.ndarray:
    x = np.asarray(x, dtype=np.uint64)
    al = np.frombuffer(alphabet, dtype=np.uint8)
    shifts = np.arange(nchar - 1, -1, -1, dtype=np.uint64) * np.uint64(bits_per)
    d = (x[:, None] >> shifts[None, :]) & np.uint64((1 << bits_per) - 1)
    ch = np.ascontiguousarray(al[d.astype(np.intp)]).reshape(len(x), nchar)
    return ch.view(f"S{nchar}").ravel().astype(f"U{nchar}")


def cat(*parts) -> pl.Series:
    cols = {}
    for i, p in enumerate(parts):
        cols[f"c{i}"] = pl.Series(p) if not isinstance(p, str) else None
    n = max(len(c) for c in cols.values() if c is not None)
    exprs = [pl.lit(p) if isinstance(p, str) else pl.col(f"c{i}").cast(pl.String) for i, p in enumerate(parts)]
    df = pl.DataFrame({k: v for k, v in cols.items() if v is not None})
    assert df.height == n
    return df.select(pl.concat_str(exprs).alias("s"))["s"]


class ByCity:
    """Weighted sampling of items within a city, vectorised."""

    def __init__(self, items, city, w):
        items = np.asarray(items, np.int64)
        city = np.asarray(city, np.int64)
        order = np.lexsort((items, city))
        self.items, self.city = items[order], city[order]
        w = np.asarray(w, float)[order]
        self.cum = np.cumsum(w)
        self.lo = np.searchsorted(self.city, np.arange(NC), "left")
        self.hi = np.searchsorted(self.city, np.arange(NC), "right")
        base = np.concatenate([[0.0], self.cum])
        self.base = base[self.lo]
        self.tot = base[self.hi] - self.base

    def pick(self, rng, c):
        c = np.asarray(c, np.int64)
        if len(self.items) == 0 or len(c) == 0:
            return np.full(len(c), -1, np.int64)
        x = self.base[c] + rng.random(len(c)) * self.tot[c]
        i = np.searchsorted(self.cum, x, "right")
        i = np.clip(i, self.lo[c], np.maximum(self.hi[c] - 1, self.lo[c]))
        out = self.items[np.minimum(i, len(self.items) - 1)]
        return np.where(self.tot[c] > 0, out, -1)

    def members(self, c):
        return self.items[self.lo[c]:self.hi[c]]


@dataclass
class Group:
    kind: str
    bad: bool
    strength: str | None
    city: int
    acc: np.ndarray
    extra: dict = field(default_factory=dict)


def _column(x, dtype, n: int) -> np.ndarray:
    """``x`` (a scalar or ``n`` values) as an array of ``n`` values of ``dtype``."""
    return np.broadcast_to(np.asarray(x, dtype), (n,)).copy()


class World:
    def __init__(self, n_accounts: int, seed: int, labels: bool = True):
        self.rng = np.random.default_rng(seed)
        self.N = int(n_accounts)
        self.s = self.N / 20000
        self.with_labels = labels
        self.salt = [int(v) for v in self.rng.integers(1, 2**40, size=32)]
        self.kctr = {k: 1 for k in KINDS}  # key 0 of adid = the zeroed advertising id
        self.sigs: list = []
        self.evs: list = []
        self.ords: list = []
        self.links: list = []
        self.tnames: list = []
        self.tn = 0
        self.groups: list[Group] = []

    # ------------------------------------------------------------------ helpers
    def keys(self, kind, n):
        c = self.kctr[kind]
        self.kctr[kind] = c + int(n)
        return np.arange(c, c + int(n), dtype=np.int64)

    def sg(self, a, kind, key, seen):
        a = np.asarray(a, np.int64)
        n = len(a)
        if n == 0:
            return
        self.sigs.append((a, np.full(n, KIND_CODE[kind], np.int8), _column(key, np.int64, n),
                          _column(seen, np.int64, n)))

    def ev(self, a, action, tgt, ts, rating=None, amount=None):
        a = np.asarray(a, np.int64)
        n = len(a)
        if n == 0:
            return
        r = np.zeros(n, np.int8) if rating is None else _column(rating, np.int8, n)
        am = np.full(n, np.nan) if amount is None else _column(amount, float, n)
        self.evs.append((a, np.full(n, ACT[action], np.int8), _column(tgt, np.int64, n), _column(ts, np.int64, n),
                         r, am))

    def targets(self, names) -> np.ndarray:
        s = names if isinstance(names, pl.Series) else pl.Series(np.asarray(names, dtype=str))
        start = self.tn
        self.tnames.append(s.cast(pl.String))
        self.tn += len(s)
        return np.arange(start, start + len(s), dtype=np.int64)

    def lday(self, ts, city):
        return (np.asarray(ts, np.int64) + CITY_OFF[city] * HOUR) // DAY

    def lts(self, lday, hour, city):
        return (np.asarray(lday, np.int64) * DAY + (np.asarray(hour, float) * HOUR).astype(np.int64)
                - CITY_OFF[city] * HOUR)

    def hours(self, n, w):
        return self.rng.choice(24, n, p=w) + self.rng.random(n)

    def pick(self, pool, k):
        pool = np.asarray(pool)
        k = int(min(max(k, 0), len(pool)))
        return self.rng.choice(pool, k, replace=False) if k else pool[:0]

    def new_group(self, kind, bad, strength, city, acc, **extra):
        g = Group(kind, bad, strength, int(city), np.asarray(acc, np.int64), dict(extra))
        self.groups.append(g)
        return g

    def uniform_ts(self, lo, hi):
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        return lo + (self.rng.random(np.broadcast(lo, hi).shape) * np.maximum(hi - lo, 0)).astype(np.int64)

    # ------------------------------------------------------------ population
    def plan_bad_sizes(self):
        rng = self.rng
        self.bad_plans = []
        for kind, n20, lo, hi in BAD_SPEC:
            ng = max(1, int(round(n20 * self.s)))
            strengths = np.array(["strong", "medium", "weak"])[rng.permutation(3)]
            for j in range(ng):
                size = int(np.exp(rng.uniform(np.log(lo), np.log(hi + 1))))
                self.bad_plans.append(dict(kind=kind, size=max(lo, min(hi, size)), strength=str(strengths[j % 3])))
        self.n_solo = max(1, int(round(50 * self.s)))
        self.block_n = sum(p["size"] for p in self.bad_plans if p["kind"] != "ato_ring") + self.n_solo

    def draw_created(self, city, p_aged, hist_start=T_HIST):
        rng = self.rng
        n = len(city)
        aged = rng.random(n) < p_aged
        t_aged = hist_start + ((T0 - hist_start - DAY) * np.sqrt(rng.random(n))).astype(np.int64)
        days = np.arange(D_END - D0 - 3)
        month = (np.datetime64("2024-01-01") + days).astype("datetime64[M]").astype(np.int64) % 12
        w = (1 + 0.7 * days / len(days)) * np.where(month == 0, 1.3, 1) * np.where(month == 8, 1.2, 1) \
            * np.where(month == 11, 1.15, 1)
        day = D0 + rng.choice(days, n, p=_norm(w))
        t_new = self.lts(day, self.hours(n, SIGNUP_W), city)
        return np.where(aged, t_aged, t_new), aged

    def populate(self):
        rng, N = self.rng, self.N
        self.plan_bad_sizes()
        nb = N - self.block_n
        self.nb = nb
        # stores
        ns_total = max(60, int(round(N / 14)))
        counts = np.maximum(3, np.round(ns_total * CITY_W)).astype(np.int64)
        self.st_city = np.repeat(np.arange(NC), counts)
        ns = self.ns = len(self.st_city)
        self.st_pop = rng.lognormal(0, 1.2, ns)
        self.st_q = np.clip(rng.normal(4.25, .35, ns), 3.0, 4.9)
        self.st_type = rng.choice(3, ns, p=[.84, .12, .04])
        self.stores = ByCity(np.arange(ns), self.st_city, self.st_pop)
        m_per = rng.choice(3, ns, p=[.3, .55, .15])
        merch_store = np.repeat(np.arange(ns), m_per)
        n_m = len(merch_store)
        n_c = int(round(0.09 * nb))
        n_u = nb - n_m - n_c
        if n_u < 100:
            raise SystemExit("too few accounts for this world; use --accounts >= 2000")
        self.n_cust = n_u
        typ = np.zeros(N, np.int8)
        typ[n_u:n_u + n_c] = 1
        typ[n_u + n_c:nb] = 2
        city = np.zeros(N, np.int64)
        city[:n_u] = rng.choice(NC, n_u, p=CITY_W)
        cc = rng.choice(NC, n_c, p=CITY_W)
        cc[:2 * NC] = np.tile(np.arange(NC), 2)
        city[n_u:n_u + n_c] = cc
        city[n_u + n_c:nb] = self.st_city[merch_store]
        city[nb:] = rng.choice(NC, N - nb, p=CITY_W)
        self.typ, self.city = typ, city
        self.acc_store = np.full(N, -1, np.int64)
        self.acc_store[n_u + n_c:nb] = merch_store
        created = np.zeros(N, np.int64)
        aged = np.zeros(N, bool)
        created[:n_u], aged[:n_u] = self.draw_created(city[:n_u], .35)
        created[n_u:n_u + n_c], aged[n_u:n_u + n_c] = self.draw_created(city[n_u:n_u + n_c], .25, _t("2021-01-01"))
        created[n_u + n_c:nb], aged[n_u + n_c:nb] = self.draw_created(city[n_u + n_c:nb], .6)
        created[nb:], aged[nb:] = self.draw_created(city[nb:], .0)
        self.created, self.aged = created, aged
        self.platform = rng.choice(3, N, p=[.62, .3, .08])
        self.block = np.zeros(N, bool)
        self.block[nb:] = True
        # per-account state
        self.act_start = np.maximum(created, T0)
        self.act_end = self.act_start.copy()
        self.rate = np.zeros(N)
        self.profile = np.zeros(N, np.int8)  # 0 meal, 1 late
        self.welcome_p = np.where(created >= T0, 0.6, 0.0)
        self.regular_store = np.full(N, -1, np.int64)
        self.p_ref = np.full(N, 0.015)
        self.oad = np.zeros(N, bool)
        self.need = {k: np.ones(N, bool) for k in ("device", "card", "mobile", "phone", "email")}
        self.need["card"][typ != 0] = False
        self.need["mobile"][typ == 2] = False
        self.in_hh = np.zeros(N, bool)
        self.group_of = np.full(N, -1, np.int64)
        self.prio = np.zeros(N, np.int64)
        self.is_bad = np.zeros(N, bool)
        # targets: accounts first (courier ratings / tips), then referral codes
        raw = mix(np.arange(N), 48, self.salt[0])
        self.acc_names = cat("usr_", enc(raw, 12, 4, HEX))
        self.targets(self.acc_names)
        self.ref_tgt = self.targets(cat("REF-", enc(mix(np.arange(N), 40, self.salt[1]), 8, 5, B32U)))
        prefix = np.array(["rst_", "grc_", "shp_"])[self.st_type]
        self.st_tgt = self.targets(cat(prefix, enc(mix(np.arange(ns), 32, self.salt[2]), 8, 4, HEX)))
        self.plat_tgt = self.targets(["android", "ios", "web"])
        self.prof_tgt = self.targets(["password", "phone", "email", "address", "payment_method"])
        self.gift_tgt = self.targets(["giftcard_25", "giftcard_50", "giftcard_100"])
        self.zone_tgt = self.targets(cat("zone:", pl.Series(np.repeat(CITY_NAME, 12)), ":",
                                         pl.Series(np.tile(np.arange(1, 13), NC))))
        self.welcome_tgt = self.targets([f"WELCOME-{c}" for c in COUNTRIES])
        self.uni_tgt = self.targets([f"UNI-{c}" for c in COUNTRIES])
        self.bonus_tgt = self.targets([f"courier_signup_bonus_{c}" for c in COUNTRIES])
        # reviews of each store (helpful votes)
        nrev = np.minimum(3 + rng.poisson(self.st_pop * 8), 80)
        self.rev_lo = np.concatenate([[0], np.cumsum(nrev)[:-1]])
        self.rev_n = nrev
        rv = self.targets(cat("rv_", enc(mix(np.arange(nrev.sum()), 40, self.salt[3]), 10, 4, HEX)))
        self.rev_base = rv[0]
        # coupon campaigns
        nc = 16
        camp_ctry = rng.integers(-1, len(COUNTRIES), nc)  # -1 = all countries
        camp_start = T0 + (rng.random(nc) * (T_END - T0 - 20 * DAY)).astype(np.int64)
        camp_len = rng.integers(3, 15, nc) * DAY
        names = ["SPRING", "SUMMER", "LUNCH", "WEEKEND", "PIZZA", "SUSHI", "GROCER", "NIGHT", "FREEDEL",
                 "BURGER", "VEGGIE", "HOLIDAY", "BDAY", "RAINY", "MATCH", "BRUNCH"]
        codes = [f"{names[i]}{int(rng.integers(10, 60))}-{COUNTRIES[camp_ctry[i]] if camp_ctry[i] >= 0 else 'ALL'}"
                 for i in range(nc)]
        self.camp = dict(ctry=camp_ctry, start=camp_start, end=camp_start + camp_len, tgt=self.targets(codes))
        # geo cells per city
        ccount = np.bincount(city, minlength=NC)
        cell_key, cell_city, cell_w = [], [], []
        for c in range(NC):
            k = int(min(32768, max(60, ccount[c] // 2)))
            codes_c = rng.choice(32768, k, replace=False)
            cell_key.append(c * 32768 + codes_c)
            cell_city.append(np.full(k, c))
            cell_w.append(rng.lognormal(0, 1.3, k))
        self.cells = ByCity(np.concatenate(cell_key), np.concatenate(cell_city), np.concatenate(cell_w))
        # mobile carrier NAT pools per city (3 carriers)
        mk, mc, mw = [], [], []
        for c in range(NC):
            k = int(max(12, ccount[c] // 40))
            mk.append(self.keys("ip_address", k))
            mc.append(np.full(k, c))
            mw.append(rng.pareto(1.2, k) + 1)
        self.mobile = ByCity(np.concatenate(mk), np.concatenate(mc), np.concatenate(mw))
        self.vpn = self.keys("ip_address", max(10, int(round(30 * self.s))))
        # favourites
        fav = np.zeros((N, 3), np.int64)
        for k in range(3):
            fav[:, k] = self.stores.pick(rng, city)
        self.fav = fav
        self.p_fav = rng.beta(3, 2.5, N)
        # store infrastructure
        self.st_tablet = self.keys("device_id", ns)
        self.st_tablet_adid = self.keys("adid", ns)
        self.st_wifi = self.keys("ip_address", ns)
        self.st_payout = self.keys("payout_account", ns)

    def windows(self):
        rng, N = self.rng, self.N
        idx = np.arange(N)
        cust = (self.typ == 0) & ~self.block
        new = self.created >= T0
        start = np.maximum(self.created, T0) + np.where(new, rng.integers(0, 3 * DAY, N), 0)
        life = rng.exponential(240 * DAY, N).astype(np.int64)
        life = np.where(rng.random(N) < .35, 10 * 365 * DAY, life)
        end = np.minimum(start + life, T_END)
        rate = np.clip(rng.lognormal(np.log(.045), 1.0, N), .002, 1.2)
        dormant = (self.aged & (rng.random(N) < .3)) | (new & (rng.random(N) < .08))
        oad = new & ~dormant & (rng.random(N) < .12)
        rate = np.where(dormant | oad, 0, rate)
        dorm = self.profile == 1
        rate = np.where(dorm, np.clip(rng.lognormal(np.log(.07), .8, N), .005, 1.2), rate)
        end = np.where(dorm, T_END, end)
        m = cust
        self.act_start[m], self.act_end[m], self.rate[m], self.oad[m] = start[m], end[m], rate[m], oad[m]
        # couriers
        m = (self.typ == 1) & ~self.block
        cs = np.maximum(self.created, T0) + rng.integers(0, 5 * DAY, N)
        cl = np.where(rng.random(N) < .25, 10 * 365 * DAY, rng.exponential(170 * DAY, N).astype(np.int64))
        self.act_start[m] = cs[m]
        self.act_end[m] = np.minimum(cs + cl, T_END)[m]
        self.cw = np.zeros(N)
        self.cw[m] = np.where(rng.random(m.sum()) < .15, 0, rng.lognormal(0, 1, m.sum()))
        # merchants
        m = (self.typ == 2) & ~self.block
        self.act_start[m] = np.maximum(self.created, T0)[m]
        self.act_end[m] = T_END
        self.rate[m] = rng.lognormal(np.log(.04), .6, m.sum())
        self.courier_zone = rng.integers(0, 12, N)
        _ = idx

    # ------------------------------------------------------- benign structures
    def assign(self, g_index, acc, prio):
        acc = np.asarray(acc, np.int64)
        m = self.prio[acc] < prio
        self.group_of[acc[m]] = g_index
        self.prio[acc[m]] = prio

    def add_group(self, kind, bad, strength, city, acc, **extra):
        g = self.new_group(kind, bad, strength, city, acc, **extra)
        self.assign(len(self.groups) - 1, g.acc, PRIO["bad"] if bad else PRIO[kind])
        if bad:
            self.is_bad[g.acc] = True
        return g

    def benign_cust(self, c=None):
        m = (self.typ == 0) & ~self.block
        if c is not None:
            m &= self.city == c
        return np.flatnonzero(m)

    def structures_pre(self):
        """Benign structures that change created_at / profiles (before windows)."""
        rng, s = self.rng, self.s
        self.taken = np.zeros(self.N, bool)
        # dorms
        self.dorms = []
        for _ in range(max(1, int(round(6 * s)))):
            c = int(rng.choice(NC, p=CITY_W))
            pool = self.benign_cust(c)
            pool = pool[~self.taken[pool]]
            size = int(np.exp(rng.uniform(np.log(40), np.log(151))))
            st = self.pick(pool, min(size, len(pool) // 6))
            if len(st) < 10:
                continue
            self.taken[st] = True
            sem = rng.random(len(st))
            d1 = _t("2024-09-02T00:00:00") // DAY + np.minimum(rng.exponential(3, len(st)), 20).astype(np.int64)
            d2 = _t("2025-02-10T00:00:00") // DAY + np.minimum(rng.exponential(3, len(st)), 20).astype(np.int64)
            cr_new = self.lts(np.where(sem < .7, d1, d2), self.hours(len(st), LATE_W), c)
            older = sem >= .88
            self.created[st] = np.where(older, self.created[st], cr_new)
            self.aged[st] = self.created[st] < T0
            self.welcome_p[st] = np.where(self.created[st] >= T0, 0.9, 0.0)
            self.profile[st] = 1
            g = self.add_group("dorm", False, None, c, st)
            g.extra.update(ip=self.keys("ip_address", int(rng.integers(1, 4))), addr=self.keys("address_hash", 1),
                           cell=self.cells.pick(rng, [c]))
            self.dorms.append(g)
        # viral coupon campaign: leak day, some accounts created for it
        self.virals = []
        regions = [["PT", "ES", "PL"], ["MX", "CO"], ["ID", "PH"]]
        for _ in range(max(1, int(round(1 * s)))):
            reg = regions[int(rng.integers(0, len(regions)))]
            cities = np.flatnonzero(np.isin(CITY_CC, reg))
            ci = COUNTRIES.index(reg[0])
            leak_day = D0 + int(rng.integers(60, D_END - D0 - 60))
            leak = self.lts([leak_day], [17 + rng.random()], cities[:1])[0]
            pool = np.flatnonzero(np.isin(self.city, cities) & (self.typ == 0) & ~self.block & ~self.taken
                                  & (self.created >= T0))
            newc = self.pick(pool, int(rng.integers(200, 400) * s))
            self.created[newc] = leak + np.minimum(rng.exponential(2 * HOUR, len(newc)), 10 * HOUR).astype(np.int64)
            self.welcome_p[newc] = 0.0
            chain = np.flatnonzero(np.isin(self.st_city, cities) & (self.st_type == 0))
            chain = self.pick(chain, int(rng.integers(4, 11)))
            code = self.targets([f"FREEPIZZA-{COUNTRIES[ci]}{int(rng.integers(10, 99))}"])[0]
            self.virals.append(dict(cities=cities, leak=leak, newc=newc, chain=chain, code=code))

    def structures(self):
        rng, s, N = self.rng, self.s, self.N
        # ---------------- households
        elig = np.flatnonzero((self.typ == 0) & ~self.block & (self.profile == 0))
        hh_of = np.full(N, -1, np.int64)
        nh = 0
        hh_city = []
        for c in range(NC):
            mem = elig[self.city[elig] == c]
            mem = mem[rng.permutation(len(mem))]
            sizes = rng.choice([1, 2, 3, 4, 5, 6], len(mem), p=[.78, .12, .06, .03, .007, .003])
            ends = np.cumsum(sizes)
            ends = ends[ends < len(mem)]
            hid = np.zeros(len(mem), np.int64)
            hid[ends] = 1
            hid = np.cumsum(hid)
            hh_of[mem] = nh + hid
            k = int(hid.max()) + 1 if len(mem) else 0
            hh_city.append(np.full(k, c))
            nh += k
        hh_city = np.concatenate(hh_city)
        self.hh_of = hh_of
        self.in_hh[hh_of >= 0] = True
        hsize = np.bincount(hh_of[hh_of >= 0], minlength=nh)
        hh_addr = self.keys("address_hash", nh)
        hh_cell = self.cells.pick(rng, hh_city)
        nip = 1 + (rng.random(nh) < .45) + (rng.random(nh) < .25) + (rng.random(nh) < .1)
        ip_lo = np.concatenate([[0], np.cumsum(nip)[:-1]])
        pool = 20 * int(nip.sum())
        base = self.keys("ip_address", pool)[0]
        hh_ip = base + rng.integers(0, pool, int(nip.sum()))
        self.home_ips = hh_ip
        # families
        fam = np.flatnonzero(hsize >= 2)
        fam_card = np.where(rng.random(nh) < .5, 1, 0)
        fam_tab = np.where(rng.random(nh) < .25, 1, 0)
        fam_card[hsize < 2] = 0
        fam_tab[hsize < 2] = 0
        card_key = np.full(nh, -1, np.int64)
        card_key[fam_card == 1] = self.keys("card_fingerprint", int(fam_card.sum()))
        tab_key = np.full(nh, -1, np.int64)
        tab_key[fam_tab == 1] = self.keys("device_id", int(fam_tab.sum()))
        tab_adid = np.full(nh, -1, np.int64)
        tab_adid[fam_tab == 1] = self.keys("adid", int(fam_tab.sum()))
        members = np.flatnonzero(hh_of >= 0)
        mh = hh_of[members]
        order = np.argsort(mh, kind="stable")
        members, mh = members[order], mh[order]
        fam_lo = np.searchsorted(mh, np.arange(nh))
        # family groups (size >= 2)
        for h in fam:
            pass  # groups registered below in bulk
        self._fam_bulk(fam, members, mh, fam_lo, hsize, hh_city)
        # ---------------- apartment blocks (normalised address drops the flat number)
        for _ in range(int(round(40 * s))):
            c = int(rng.choice(NC, p=CITY_W))
            hs = np.flatnonzero(hh_city == c)
            pick = self.pick(hs, int(rng.integers(6, 36)))
            if len(pick) < 4:
                continue
            hh_addr[pick] = self.keys("address_hash", 1)[0]
            hh_cell[pick] = self.cells.pick(rng, [c])[0]
            acc = members[np.isin(mh, pick)]
            self.add_group("apartment_block", False, None, c, acc)
        # ---------------- household signals
        cr = self.created[members]
        self.sg(members, "address_hash", hh_addr[mh], cr + rng.integers(60, 3 * DAY, len(members)))
        self.sg(members, "geohash7", hh_cell[mh], cr + rng.integers(60, 3 * DAY, len(members)))
        rep = nip[mh]
        ma = np.repeat(members, rep)
        j = np.arange(len(ma)) - np.repeat(np.cumsum(rep) - rep, rep)
        ipk = hh_ip[np.repeat(ip_lo[mh], rep) + j]
        keep = (j == 0) | (rng.random(len(ma)) < .8)
        seen = self.uniform_ts(self.created[ma], np.maximum(self.act_end[ma], self.created[ma] + DAY))
        seen = np.where(j == 0, self.created[ma] + 120, seen)
        self.sg(ma[keep], "ip_address", ipk[keep], seen[keep])
        m = (card_key[mh] >= 0) & (rng.random(len(members)) < .9)
        self.sg(members[m], "card_fingerprint", card_key[mh][m], self.uniform_ts(cr[m], np.maximum(self.act_end[members[m]], cr[m] + 1)))
        m = (tab_key[mh] >= 0) & (rng.random(len(members)) < .8)
        sn = self.uniform_ts(cr[m], np.maximum(self.act_end[members[m]], cr[m] + 1))
        self.sg(members[m], "device_id", tab_key[mh][m], sn)
        self.sg(members[m], "adid", tab_adid[mh][m], sn)
        self.hh_addr, self.hh_cell = hh_addr, hh_cell
        # ---------------- dorm signals
        for g in self.dorms:
            st = g.acc
            self.sg(st, "address_hash", g.extra["addr"][0], self.created[st] + 600)
            self.sg(st, "geohash7", g.extra["cell"][0], self.created[st] + 600)
            ips = g.extra["ip"]
            a = np.repeat(st, len(ips))
            k = np.tile(ips, len(st))
            keep = rng.random(len(a)) < .85
            self.sg(a[keep], "ip_address", k[keep], self.created[a[keep]] + rng.integers(60, 20 * DAY, keep.sum()))
        # ---------------- offices
        self.offices = []
        for _ in range(int(round(30 * s))):
            c = int(rng.choice(NC, p=CITY_W))
            pool = np.flatnonzero((self.city == c) & self.in_hh & ~self.taken & (self.rate > 0))
            size = int(np.clip(rng.lognormal(np.log(20), .6), 8, 60))
            mem = self.pick(pool, min(size, len(pool) // 5))
            if len(mem) < 5:
                continue
            self.taken[mem] = True
            join = np.maximum(self.act_start[mem], T0 + (rng.random(len(mem)) ** 2 * 300 * DAY).astype(np.int64) - 200 * DAY)
            join = np.maximum(join, self.created[mem])
            leave = np.minimum(self.act_end[mem], join + rng.exponential(500 * DAY, len(mem)).astype(np.int64))
            ok = leave > join + 10 * DAY
            mem, join, leave = mem[ok], join[ok], leave[ok]
            if len(mem) < 5:
                continue
            ips = self.keys("ip_address", int(rng.integers(1, 3)))
            addr = self.keys("address_hash", 1)[0]
            cell = self.cells.pick(rng, [c])[0]
            a = np.repeat(mem, len(ips))
            self.sg(a, "ip_address", np.tile(ips, len(mem)), np.repeat(join, len(ips)) + rng.integers(0, 5 * DAY, len(a)))
            m = rng.random(len(mem)) < .8
            self.sg(mem[m], "address_hash", addr, join[m] + 3 * DAY)
            self.sg(mem[m], "geohash7", cell, join[m] + 3 * DAY)
            if rng.random() < .4:
                corp = self.keys("card_fingerprint", 1)[0]
                m = rng.random(len(mem)) < .7
                self.sg(mem[m], "card_fingerprint", corp, join[m] + DAY)
            stores = self.stores.pick(rng, np.full(int(rng.integers(3, 7)), c))
            g = self.add_group("office_lunch", False, None, c, mem)
            g.extra.update(join=join, leave=leave, stores=stores)
            self.offices.append(g)
        # ---------------- restaurant staff
        self.staffs = []
        has_m = np.unique(self.acc_store[self.acc_store >= 0])
        for st in self.pick(has_m, int(round(25 * s))):
            c = int(self.st_city[st])
            pool = np.flatnonzero((self.city == c) & self.in_hh & ~self.taken & (self.created < T_END - 90 * DAY))
            mem = self.pick(pool, int(rng.integers(3, 11)))
            if len(mem) < 2:
                continue
            self.taken[mem] = True
            join = np.maximum(self.created[mem], T0 - 100 * DAY + (rng.random(len(mem)) * 400 * DAY).astype(np.int64))
            leave = np.minimum(T_END, join + rng.exponential(300 * DAY, len(mem)).astype(np.int64) + 30 * DAY)
            self.sg(mem, "ip_address", self.st_wifi[st], join + rng.integers(0, 3 * DAY, len(mem)))
            m = rng.random(len(mem)) < .5
            self.sg(mem[m], "device_id", self.st_tablet[st], join[m] + rng.integers(0, 20 * DAY, m.sum()))
            self.sg(mem[m], "adid", self.st_tablet_adid[st], join[m] + rng.integers(0, 20 * DAY, m.sum()))
            owners = np.flatnonzero(self.acc_store == st)
            g = self.add_group("restaurant_staff", False, None, c, np.concatenate([mem, owners]))
            g.extra.update(staff=mem, join=join, leave=leave, store=st)
            self.staffs.append(g)
        # ---------------- regulars of popular restaurants
        for _ in range(max(1, int(round(3 * s)))):
            c = int(rng.choice(NC, p=CITY_W))
            sts = self.stores.members(c)
            sts = sts[self.st_type[sts] == 0]
            top = sts[np.argsort(-self.st_pop[sts])[:3]]
            st = int(rng.choice(top))
            pool = np.flatnonzero((self.city == c) & (self.typ == 0) & ~self.block & (self.rate > 0)
                                  & (self.regular_store < 0))
            mem = self.pick(pool, int(rng.integers(80, 251) * s))
            self.fav[mem, 0] = st
            self.p_fav[mem] = np.maximum(self.p_fav[mem], .65)
            self.rate[mem] = np.maximum(self.rate[mem], .06)
            self.regular_store[mem] = st
            self.add_group("regulars", False, None, c, mem, store=st)
        # ---------------- parcel lockers
        for _ in range(int(round(10 * s))):
            c = int(rng.choice(NC, p=CITY_W))
            pool = np.flatnonzero((self.city == c) & (self.typ == 0) & ~self.block)
            mem = self.pick(pool, int(rng.integers(40, 201)))
            if len(mem) < 10:
                continue
            addr = self.keys("address_hash", 1)[0]
            cell = self.cells.pick(rng, [c])[0]
            sn = self.uniform_ts(self.act_start[mem], np.maximum(self.act_end[mem], self.act_start[mem] + DAY))
            self.sg(mem, "address_hash", addr, sn)
            self.sg(mem, "geohash7", cell, sn)
            self.add_group("parcel_locker", False, None, c, mem)
        # ---------------- carrier-grade NAT mega IPs
        big = np.argsort(-CITY_W)[:5]
        for _ in range(max(1, int(round(3 * s)))):
            c = int(rng.choice(big))
            pool = np.flatnonzero((self.city == c) & (self.typ <= 1) & ~self.block)
            mem = self.pick(pool, min(int(rng.uniform(800, 2500) * s), int(.5 * len(pool))))
            ip = self.keys("ip_address", 1)[0]
            sn = self.uniform_ts(self.act_start[mem], np.maximum(self.act_end[mem], self.act_start[mem] + DAY))
            self.sg(mem, "ip_address", ip, sn)
            self.add_group("cgnat", False, None, c, mem)
        # ---------------- recycled phone numbers
        self.phone_key = self.keys("phone_hash", N)
        self.email_key = self.keys("email_sha1", N)
        olds = np.flatnonzero((self.typ == 0) & ~self.block & self.aged & (self.act_end < T0 + 200 * DAY))
        olds = self.pick(olds, int(round(40 * s)))
        for o in olds:
            c = self.city[o]
            pool = np.flatnonzero((self.city == c) & (self.typ == 0) & ~self.block & ~self.aged
                                  & (self.created > self.act_end[o] + 30 * DAY) & (self.prio < PRIO["recycled_phone"]))
            if not len(pool):
                continue
            nw = int(rng.choice(pool))
            self.phone_key[nw] = self.phone_key[o]
            self.add_group("recycled_phone", False, None, c, [o, nw])
        # ---------------- VPN users
        u = np.flatnonzero((self.typ == 0) & ~self.block & (rng.random(N) < .02))
        k = rng.integers(1, 3, len(u))
        a = np.repeat(u, k)
        self.sg(a, "ip_address", rng.choice(self.vpn, len(a)),
                self.uniform_ts(self.act_start[a], np.maximum(self.act_end[a], self.act_start[a] + DAY)))

    def _fam_bulk(self, fam, members, mh, fam_lo, hsize, hh_city):
        gi0 = len(self.groups)
        for j, h in enumerate(fam):
            acc = members[fam_lo[h]:fam_lo[h] + hsize[h]]
            self.groups.append(Group("family", False, None, int(hh_city[h]), acc))
        fam_idx = np.full(len(hsize), -1, np.int64)
        fam_idx[fam] = gi0 + np.arange(len(fam))
        gidx = fam_idx[mh]
        m = gidx >= 0
        a = members[m]
        upd = self.prio[a] < PRIO["family"]
        self.group_of[a[upd]] = gidx[m][upd]
        self.prio[a[upd]] = PRIO["family"]
        # family referrals: younger members invited by the first member
        first = members[fam_lo[mh]]
        m2 = m & (members != first) & (self.created[members] > self.created[first]) & (self.created[members] >= T0) \
            & (self.rng.random(len(members)) < .4)
        self.referrals.append((members[m2], first[m2]))

    # ----------------------------------------------------------- bad planning
    def plan_bad(self):
        rng = self.rng
        nxt = self.nb
        self.bad_groups = []
        for p in self.bad_plans:
            kind, size, stg = p["kind"], p["size"], p["strength"]
            c = int(rng.choice(NC, p=CITY_W))
            if kind == "ato_ring":
                continue
            acc = np.arange(nxt, nxt + size)
            nxt += size
            self.city[acc] = c
            self.typ[acc] = 0
            g = self.add_group(kind, True, stg, c, acc)
            getattr(self, "plan_" + kind)(g)
            self.bad_groups.append(g)
        # solo refund abusers
        solo = np.arange(nxt, nxt + self.n_solo)
        nxt += self.n_solo
        assert nxt == self.N
        self.solo = solo
        self.is_bad[solo] = True
        self.created[solo] = T0 + (rng.random(len(solo)) * (T_END - T0 - 120 * DAY)).astype(np.int64)
        self.act_start[solo] = self.created[solo] + DAY
        self.act_end[solo] = np.minimum(T_END, self.act_start[solo] + rng.exponential(150 * DAY, len(solo)).astype(np.int64) + 20 * DAY)
        self.rate[solo] = rng.lognormal(np.log(.08), .5, len(solo))
        self.p_ref[solo] = rng.uniform(.3, .7, len(solo))
        self.welcome_p[solo] = .9
        # ATO victims are existing benign customers
        for p in self.bad_plans:
            if p["kind"] != "ato_ring":
                continue
            cands = np.flatnonzero((self.typ == 0) & ~self.block & ~self.is_bad & (self.created < _t("2023-06-01"))
                                   & (self.rate > 0) & (self.profile == 0))
            ci = int(rng.choice(len(COUNTRIES)))
            ws = T0 + int(rng.integers(90, D_END - D0 - 40)) * DAY
            cc = cands[(CITY_CTRY[self.city[cands]] == ci) & (self.act_start[cands] < ws - 30 * DAY)]
            if len(cc) < p["size"]:
                cc = cands[self.act_start[cands] < ws - 30 * DAY]
            acc = self.pick(cc, p["size"])
            g = self.add_group("ato_ring", True, p["strength"], int(self.city[acc[0]]), acc)
            dur = {"strong": 2, "medium": 7, "weak": 21}[p["strength"]] * DAY
            tko = ws + (rng.random(len(acc)) * dur).astype(np.int64)
            stop = rng.random(len(acc)) < .5
            self.act_end[acc] = np.where(stop, np.minimum(self.act_end[acc], tko), self.act_end[acc])
            g.extra.update(tko=tko)
            self.bad_groups.append(g)

    def _set_created(self, acc, t):
        self.created[acc] = t
        self.aged[acc] = t < T0
        self.act_start[acc] = np.maximum(t, T0)
        self.act_end[acc] = self.act_start[acc]
        self.rate[acc] = 0
        self.welcome_p[acc] = np.where(t >= T0, .6, 0)

    def plan_promo_ring(self, g):
        rng, n, c = self.rng, len(g.acc), g.city
        nb = int(rng.integers(1, 5))
        day0 = D0 + int(rng.integers(20, D_END - D0 - 120))
        bdays = day0 + np.sort(rng.integers(0, 60, nb))
        b = np.sort(rng.integers(0, nb, n))
        pos = np.arange(n) - np.searchsorted(b, b)
        gap = rng.uniform(60, 600)
        t = self.lts(bdays[b], np.full(n, 10 + rng.random() * 4), np.full(n, c)) + (pos * gap).astype(np.int64) \
            + rng.integers(0, 60, n)
        self._set_created(g.acc, t)
        self.welcome_p[g.acc] = .98
        self.platform[g.acc] = 0 if rng.random() < .8 else 2
        for k in ("device", "card", "mobile"):
            self.need[k][g.acc] = False

    def plan_review_ring(self, g):
        rng, n = self.rng, len(g.acc)
        ring_start = T0 + int(rng.integers(60, 300)) * DAY
        g.extra["ring_start"] = ring_start
        aged = rng.random(n) < rng.uniform(.2, .6)
        t_new = ring_start - rng.integers(5 * DAY, 70 * DAY, n)
        t_aged = _t("2019-01-01") + (rng.random(n) * 4 * 365 * DAY).astype(np.int64)
        self._set_created(g.acc, np.where(aged, t_aged, t_new))
        a = g.acc[aged]
        hist = rng.random(len(a)) < .5
        self.act_start[a] = T0
        self.act_end[a] = np.where(hist, T0 + rng.integers(30, 150, len(a)) * DAY, T0)
        self.act_end[a] = np.minimum(self.act_end[a], ring_start - 20 * DAY)
        self.rate[a] = np.where(hist, rng.lognormal(np.log(.05), .8, len(a)), 0)
        nw = g.acc[~aged]
        light = rng.random(len(nw)) < .4
        self.act_end[nw] = np.where(light, T_END, self.act_start[nw])
        self.rate[nw] = np.where(light, .01, 0)
        g.extra["aged"] = aged
        self.need["mobile"][g.acc] = False

    def plan_courier_collusion(self, g):
        rng, n, c = self.rng, len(g.acc), g.city
        nc = 1 if n < 6 else int(rng.integers(1, 4))
        ghost = g.strength == "strong" and n >= 5
        cour = g.acc[:nc]
        merch = g.acc[nc:nc + 1] if ghost else g.acc[:0]
        cust = g.acc[nc + len(merch):]
        ws = T0 + int(rng.integers(30, D_END - D0 - 70)) * DAY
        wl = int(rng.integers(14, 61)) * DAY
        g.extra.update(cour=cour, merch=merch, cust=cust, ws=ws, wl=wl)
        self.typ[cour] = 1
        ct = np.where(rng.random(nc) < .4, _t("2022-06-01") + rng.integers(0, 500, nc) * DAY,
                      ws - rng.integers(20, 200, nc) * DAY)
        self._set_created(cour, np.minimum(ct, ws - 5 * DAY))
        self.act_start[cour] = np.maximum(self.created[cour], T0)
        self.act_end[cour] = np.minimum(T_END, ws + wl + rng.integers(10, 150, nc) * DAY)
        self.need["card"][cour] = False
        cust_aged = rng.random(len(cust)) < .3
        t = np.where(cust_aged, _t("2020-01-01") + rng.integers(0, 1400, len(cust)) * DAY,
                     ws - rng.integers(1, 21, len(cust)) * DAY + rng.integers(0, DAY, len(cust)))
        self._set_created(cust, t)
        if len(merch):
            self.typ[merch] = 2
            sts = self.stores.members(c)
            ghost_store = int(sts[np.argsort(self.st_pop[sts])[0]])
            self.acc_store[merch] = ghost_store
            self._set_created(merch, np.array([ws - 40 * DAY]))
            self.act_end[merch] = T_END
            self.rate[merch] = .05
            self.need["card"][merch] = False
            self.need["mobile"][merch] = False
            g.extra["ghost"] = ghost_store
        if g.strength == "strong":
            self.need["device"][cour] = False
            self.need["device"][cust] = False
        if g.strength in ("strong", "medium"):
            self.need["card"][cust] = False

    def plan_referral_farm(self, g):
        rng, n = self.rng, len(g.acc)
        fs = T0 + int(rng.integers(30, 250)) * DAY
        aged = rng.random(n) < .15
        t = np.where(aged, _t("2021-01-01") + rng.integers(0, 1000, n) * DAY,
                     fs - 60 * DAY + (rng.random(n) ** 1.5 * 180 * DAY).astype(np.int64))
        t = np.minimum(t, T_END - 30 * DAY)
        self._set_created(g.acc, t)
        self.act_end[g.acc] = T_END
        self.rate[g.acc] = np.where(rng.random(n) < .7, rng.lognormal(np.log(.02), .7, n), 0)
        self.welcome_p[g.acc] = np.where(t >= T0, .5, 0)
        g.extra["fs"] = fs
        self.need["mobile"][g.acc] = False
        self.need["card"][g.acc] = rng.random(n) < .4

    def plan_refund_ring(self, g):
        rng, n = self.rng, len(g.acc)
        ws = T0 + int(rng.integers(30, D_END - D0 - 130)) * DAY
        self._set_created(g.acc, ws - rng.integers(0, 20 * DAY, n))
        g.extra.update(ws=ws, wl=int(rng.integers(30, 121)) * DAY)
        if g.strength == "strong":
            self.need["device"][g.acc] = False
        if g.strength in ("strong", "medium"):
            self.need["card"][g.acc] = False

    def plan_courier_bonus_ring(self, g):
        rng, n = self.rng, len(g.acc)
        self.typ[g.acc] = 1
        t0 = T0 + int(rng.integers(20, D_END - D0 - 40)) * DAY
        spread = {"strong": 1, "medium": 3, "weak": 14}[g.strength] * DAY
        self._set_created(g.acc, t0 + (rng.random(n) * spread).astype(np.int64))
        self.need["card"][g.acc] = False
        if g.strength in ("strong", "weak"):
            self.need["device"][g.acc] = False

    # --------------------------------------------------------- personal ids
    def personal(self):
        rng, N = self.rng, self.N
        idx = np.arange(N)
        cr = self.created
        hi = np.maximum(self.act_end, self.act_start + DAY)
        # devices + advertising ids
        a = idx[self.need["device"]]
        k = 1 + (rng.random(len(a)) < .35) + (rng.random(len(a)) < .1)
        a = np.repeat(a, k)
        j = np.arange(len(a)) - np.repeat(np.cumsum(k) - k, k)
        dev = self.keys("device_id", len(a))
        seen = np.where(j == 0, cr[a] + rng.integers(0, 600, len(a)), self.uniform_ts(self.act_start[a], hi[a]))
        self.sg(a, "device_id", dev, seen)
        adid = np.where(rng.random(len(a)) < .13, 0, self.keys("adid", len(a)))
        self.sg(a, "adid", adid, seen)
        # second-hand phones: a few devices show up again on an unrelated account later
        sh = rng.random(len(a)) < .006
        other = rng.integers(0, N, sh.sum())
        self.sg(other, "device_id", dev[sh], np.maximum(seen[sh], cr[other]) + 30 * DAY)
        # phone / email
        a = idx[self.need["phone"]]
        self.sg(a, "phone_hash", self.phone_key[a], cr[a] + 5)
        m = rng.random(len(a)) < .07
        self.sg(a[m], "phone_hash", self.keys("phone_hash", m.sum()), self.uniform_ts(self.act_start[a[m]], hi[a[m]]))
        a = idx[self.need["email"] & (rng.random(N) < .92)]
        self.sg(a, "email_sha1", self.email_key[a], cr[a] + 5)
        # cards
        a = idx[self.need["card"]]
        k = rng.choice(4, len(a), p=[.22, .55, .18, .05])
        a = np.repeat(a, k)
        self.sg(a, "card_fingerprint", self.keys("card_fingerprint", len(a)), self.uniform_ts(self.act_start[a], hi[a]))
        # mobile data IPs from the carrier pools
        a = idx[self.need["mobile"]]
        k = 1 + (rng.random(len(a)) < .5) + (rng.random(len(a)) < .3) + (rng.random(len(a)) < .15)
        a = np.repeat(a, k)
        self.sg(a, "ip_address", self.mobile.pick(rng, self.city[a]), self.uniform_ts(self.act_start[a], hi[a]))
        # couriers: payout account, home address
        a = idx[(self.typ == 1) & ~self.block]
        self.sg(a, "payout_account", self.keys("payout_account", len(a)), cr[a] + DAY)
        self.sg(a, "geohash7", self.cells.pick(rng, self.city[a]), cr[a] + DAY)
        # merchants: store tablet, wifi, payout
        a = idx[self.typ == 2]
        st = self.acc_store[a]
        self.sg(a, "device_id", self.st_tablet[st], cr[a] + 3600)
        self.sg(a, "adid", self.st_tablet_adid[st], cr[a] + 3600)
        self.sg(a, "ip_address", self.st_wifi[st], cr[a] + 3600)
        self.sg(a, "payout_account", self.st_payout[st], cr[a] + 2 * DAY)
        # block accounts without a household get their own address
        a = idx[(self.typ == 0) & ~self.in_hh & (self.profile == 0) & ~np.isin(self.group_of, self._ring_address_groups())]
        self.sg(a, "address_hash", self.keys("address_hash", len(a)), cr[a] + 600)
        self.sg(a, "geohash7", self.cells.pick(rng, self.city[a]), cr[a] + 600)

    def _ring_address_groups(self):
        out = [i for i, g in enumerate(self.groups) if g.bad and g.kind in
               ("promo_ring", "courier_collusion", "refund_ring", "review_ring", "referral_farm")]
        return np.array(out, np.int64)

    # --------------------------------------------------------------- organic
    def organic(self):
        rng = self.rng
        a = np.flatnonzero((self.rate > 0) & (self.act_end > self.act_start) & (self.typ == 0))
        for prof, hw in ((0, MEAL_W), (1, LATE_W)):
            aa = a[self.profile[a] == prof]
            dur = (self.act_end[aa] - self.act_start[aa]).astype(float)
            n = rng.poisson(self.rate[aa] * dur / DAY)
            acc = np.repeat(aa, n)
            raw = np.repeat(self.act_start[aa], n) + (rng.random(len(acc)) * np.repeat(dur, n)).astype(np.int64)
            c = self.city[acc]
            ld = self.lday(raw, c)
            ts = self.lts(ld, self.hours(len(acc), hw), c)
            keep = (ts >= self.act_start[acc]) & (ts < self.act_end[acc]) & (rng.random(len(acc)) < DOW_KEEP[(ld + 3) % 7])
            acc, ts = acc[keep], ts[keep]
            self.add_orders(acc, self.choose_store(acc), ts, p_ref=self.p_ref[acc])
        # one-and-done customers
        a = np.flatnonzero(self.oad)
        ts = self.created[a] + rng.integers(10 * MIN, 3 * DAY, len(a))
        ok = ts < T_END
        self.add_orders(a[ok], self.choose_store(a[ok]), ts[ok])
        # merchants: menu updates and replies to reviews
        a = np.flatnonzero((self.typ == 2) & (self.rate > 0))
        dur = (self.act_end[a] - self.act_start[a]).astype(float)
        n = rng.poisson(self.rate[a] * dur / DAY)
        acc = np.repeat(a, n)
        raw = np.repeat(self.act_start[a], n) + (rng.random(len(acc)) * np.repeat(dur, n)).astype(np.int64)
        c = self.city[acc]
        ts = self.lts(self.lday(raw, c), 9 + rng.random(len(acc)) * 8, c)
        act = rng.random(len(acc)) < .7
        self.ev(acc[act], "menu_update", self.st_tgt[self.acc_store[acc[act]]], ts[act])
        self.ev(acc[~act], "reply_review", self.st_tgt[self.acc_store[acc[~act]]], ts[~act])
        # misc customer actions
        cust = np.flatnonzero((self.typ == 0) & (self.act_end > self.act_start))
        lo, hi = self.act_start, np.maximum(self.act_end, self.act_start + 1)
        a = cust[rng.random(len(cust)) < .3]
        a = np.repeat(a, rng.integers(1, 6, len(a)))
        self.ev(a, "favorite_store", self.st_tgt[self.fav[a, rng.integers(0, 3, len(a))]], self.uniform_ts(lo[a], hi[a]))
        a = cust[rng.random(len(cust)) < .05]
        self.ev(a, "share_store", self.st_tgt[self.fav[a, 0]], self.uniform_ts(lo[a], hi[a]))
        a = cust[rng.random(len(cust)) < .12]
        a = np.repeat(a, rng.integers(1, 9, len(a)))
        st = self.fav[a, rng.integers(0, 3, len(a))]
        rv = self.rev_base + self.rev_lo[st] + (rng.random(len(a)) * self.rev_n[st]).astype(np.int64)
        self.ev(a, "helpful_vote", rv, self.uniform_ts(lo[a], hi[a]))
        a = cust[rng.random(len(cust)) < .1]
        a = np.repeat(a, rng.integers(1, 3, len(a)))
        self.ev(a, "profile_update", self.prof_tgt[rng.choice(5, len(a), p=[.3, .15, .15, .25, .15])], self.uniform_ts(lo[a], hi[a]))
        a = cust[rng.random(len(cust)) < .03]
        t = _t("2024-12-01") + rng.integers(0, 24 * DAY, len(a))
        ok = (t > self.created[a])
        self.ev(a[ok], "buy_giftcard", self.gift_tgt[rng.choice(3, ok.sum(), p=[.5, .35, .15])], t[ok])
        # signups of accounts created in the window
        a = np.flatnonzero(self.created >= T0)
        self.ev(a, "signup", self.plat_tgt[self.platform[a]], self.created[a])
        # friend referrals (family ones were collected while building households)
        a = np.flatnonzero((self.created >= T0) & ~self.block & (self.typ == 0) & (rng.random(self.N) < .12))
        cands = np.flatnonzero((self.typ == 0) & ~self.block)
        friend = cands[rng.integers(0, len(cands), len(a))]
        ok = (self.created[friend] < self.created[a]) & (self.city[friend] == self.city[a])
        self.referrals.append((a[ok], friend[ok]))

    def choose_store(self, a):
        rng = self.rng
        n = len(a)
        usefav = rng.random(n) < self.p_fav[a]
        k = rng.choice(3, n, p=[.55, .3, .15])
        st = self.fav[a, k]
        pop = self.stores.pick(rng, self.city[a])
        return np.where(usefav & (st >= 0), st, pop)

    def add_orders(self, a, store, ts, *, p_rs=0.33, rmode=0, p_rc=0.2, crmode=0, p_tip=0.3, p_ref=0.015,
                   courier=None, coupon_ok=True, amu=3.0):
        n = len(a)
        if n == 0:
            return

        def arr(v, dt):
            return np.broadcast_to(np.asarray(v, dt), (n,)).copy()

        self.ords.append(dict(a=np.asarray(a, np.int64), st=np.asarray(store, np.int64), ts=np.asarray(ts, np.int64),
                              p_rs=arr(p_rs, np.float32), rmode=arr(rmode, np.int8), p_rc=arr(p_rc, np.float32),
                              crmode=arr(crmode, np.int8), p_tip=arr(p_tip, np.float32), p_ref=arr(p_ref, np.float32),
                              cour=arr(-1 if courier is None else courier, np.int64), cok=arr(coupon_ok, bool),
                              amu=arr(amu, np.float32)))

    # ----------------------------------------------------- benign behaviours
    def benign_behaviour(self):
        rng = self.rng
        days = np.arange(D0, D_END)
        wdays = days[((days + 3) % 7) < 5]
        for g in self.offices:
            mem, join, leave, stores = g.acc, g.extra["join"], g.extra["leave"], g.extra["stores"]
            c = g.city
            rounds = wdays[rng.random(len(wdays)) < rng.uniform(.2, .5)]
            lunch = self.lts(rounds, 11.75 + rng.random(len(rounds)) * .75, c)
            st = stores[rng.choice(len(stores), len(rounds), p=_norm(rng.random(len(stores)) + .3))]
            pj = rng.beta(2, 3, len(mem))
            part = (rng.random((len(mem), len(rounds))) < pj[:, None]) & (join[:, None] <= lunch[None, :]) \
                & (lunch[None, :] <= leave[:, None])
            mi, ri = np.nonzero(part)
            ts = lunch[ri] + rng.normal(0, 5 * MIN, len(mi)).astype(np.int64)
            self.add_orders(mem[mi], st[ri], ts, p_rs=.2, p_tip=.15)
        for g in self.staffs:
            mem, join, leave, st = g.extra["staff"], g.extra["join"], g.extra["leave"], g.extra["store"]
            c = g.city
            meal = (rng.random((len(mem), len(days))) < .12)
            t = self.lts(days, 15 + rng.random(len(days)) * 2, c)
            part = meal & (join[:, None] <= t[None, :]) & (t[None, :] <= leave[:, None])
            mi, di = np.nonzero(part)
            ts = t[di] + rng.integers(-20 * MIN, 20 * MIN, len(mi))
            self.add_orders(mem[mi], np.full(len(mi), st), ts, p_rs=.3, rmode=1, p_tip=.05, coupon_ok=False, amu=2.3)
        for g in self.dorms:
            st_acc = g.acc
            c = g.city
            new = st_acc[self.created[st_acc] >= T0]
            ts = self.created[new] + rng.integers(30 * MIN, 5 * DAY, len(new))
            ok = rng.random(len(new)) < .75
            sts = self.stores.pick(rng, np.full(ok.sum(), c))
            self.add_orders(new[ok], sts, ts[ok], coupon_ok=False)
            self.ev(new[ok], "redeem_coupon", self.uni_tgt[CITY_CTRY[c]], ts[ok] - 30)
            # referral chains among dorm mates
            order = new[np.argsort(self.created[new], kind="stable")]
            if len(order) > 1:
                pos = np.arange(1, len(order))
                ref_pos = (rng.random(len(pos)) * pos).astype(np.int64)
                m = rng.random(len(pos)) < .6
                self.referrals.append((order[pos[m]], order[ref_pos[m]]))
            # pizza nights
            nights = days[rng.random(len(days)) < .2]
            t = self.lts(nights, 21 + rng.random(len(nights)) * 2, c)
            st = self.stores.pick(rng, np.full(len(nights), c))
            k = rng.integers(3, 9, len(nights))
            ni = np.repeat(np.arange(len(nights)), k)
            who = st_acc[rng.integers(0, len(st_acc), len(ni))]
            ok = self.created[who] < t[ni]
            self.add_orders(who[ok], st[ni][ok], t[ni][ok] + rng.integers(0, 20 * MIN, ok.sum()))
        for v in self.virals:
            cities, leak, newc, chain, code = v["cities"], v["leak"], v["newc"], v["chain"], v["code"]
            pool = np.flatnonzero(np.isin(self.city, cities) & (self.typ == 0) & (self.act_start <= leak)
                                  & (self.act_end >= leak) & ~self.is_bad)
            red = self.pick(pool, min(int(.35 * len(pool)), int(rng.integers(1000, 2200) * self.s)))
            ts = leak + np.minimum(rng.exponential(2.5 * HOUR, len(red)), 14 * HOUR).astype(np.int64)
            tn = np.maximum(self.created[newc] + rng.integers(5 * MIN, 60 * MIN, len(newc)), leak)
            acc = np.concatenate([red, newc])
            ts = np.concatenate([ts, tn])
            cst = [chain[self.st_city[chain] == c] for c in cities]
            st = np.empty(len(acc), np.int64)
            for i, c in enumerate(cities):
                m = self.city[acc] == c
                opts = cst[i] if len(cst[i]) else chain
                st[m] = rng.choice(opts, m.sum())
            self.add_orders(acc, st, ts, coupon_ok=False)
            self.ev(acc, "redeem_coupon", code, ts - 20)
            self.add_group("viral_coupon", False, None, int(cities[0]), acc)

    # ------------------------------------------------------- bad behaviours
    def drop_addresses(self, acc, c, n_addr, n_cells, per_acc_unique=False):
        rng = self.rng
        base = self.cells.pick(rng, [c])[0]
        cells = base ^ np.arange(n_cells)  # neighbouring low bits of the 7th character
        if per_acc_unique:
            addr = self.keys("address_hash", len(acc))
        else:
            pool = self.keys("address_hash", n_addr)
            addr = pool[rng.integers(0, n_addr, len(acc))]
        cell = cells[rng.integers(0, n_cells, len(acc))]
        self.sg(acc, "address_hash", addr, self.created[acc] + rng.integers(60, 3600, len(acc)))
        self.sg(acc, "geohash7", cell, self.created[acc] + rng.integers(60, 3600, len(acc)))

    def devices_from_pool(self, acc, n_dev, seen):
        dev = self.keys("device_id", n_dev)
        adid = self.keys("adid", n_dev)
        j = np.arange(len(acc)) % n_dev
        j = self.rng.permutation(j)
        self.sg(acc, "device_id", dev[j], seen)
        self.sg(acc, "adid", adid[j], seen)
        return dev

    def campaigns_for(self, c, t_lo, t_hi):
        m = ((self.camp["ctry"] == -1) | (self.camp["ctry"] == CITY_CTRY[c])) & (self.camp["start"] < t_hi) \
            & (self.camp["end"] > t_lo)
        return np.flatnonzero(m)

    def act_promo_ring(self, g):
        rng, acc, c, stg = self.rng, g.acc, g.city, g.strength
        n = len(acc)
        cr = self.created[acc]
        if stg == "strong":
            self.devices_from_pool(acc, max(1, n // int(rng.integers(5, 12))), cr + 30)
            cards = self.keys("card_fingerprint", int(rng.integers(1, 4)))
            self.sg(acc, "card_fingerprint", cards[rng.integers(0, len(cards), n)], cr + 900)
            ips = self.keys("ip_address", int(rng.integers(1, 3)))
            self.sg(acc, "ip_address", ips[rng.integers(0, len(ips), n)], cr + 10)
            self.sg(acc, "ip_address", self.mobile.pick(rng, np.full(n, c)), cr + 5000)
            self.drop_addresses(acc, c, int(rng.integers(2, 5)), 1)
            stores = self.stores.pick(rng, np.full(int(rng.integers(2, 4)), c))
        elif stg == "medium":
            dev = self.keys("device_id", max(2, n // 3))
            j = rng.integers(0, len(dev), n)
            self.sg(acc, "device_id", dev[j], cr + 30)
            self.sg(acc, "adid", self.keys("adid", n), cr + 30)
            m = rng.random(n) < .5
            cards = self.keys("card_fingerprint", 2)
            self.sg(acc[m], "card_fingerprint", cards[rng.integers(0, 2, m.sum())], cr[m] + 900)
            self.sg(acc[~m], "card_fingerprint", self.keys("card_fingerprint", (~m).sum()), cr[~m] + 900)
            prox = self.keys("ip_address", int(rng.integers(6, 13)))
            k = rng.integers(1, 3, n)
            a = np.repeat(acc, k)
            self.sg(a, "ip_address", prox[rng.integers(0, len(prox), len(a))], np.repeat(cr, k) + 10)
            self.drop_addresses(acc, c, int(rng.integers(5, 11)), 2)
            stores = self.stores.pick(rng, np.full(int(rng.integers(3, 6)), c))
        else:
            self.sg(acc, "device_id", self.keys("device_id", n), cr + 30)
            self.sg(acc, "adid", np.where(rng.random(n) < .5, 0, self.keys("adid", n)), cr + 30)
            m = rng.random(n) < .4
            self.sg(acc[m], "card_fingerprint", self.keys("card_fingerprint", m.sum()), cr[m] + 900)
            k = rng.integers(1, 3, n)
            a = np.repeat(acc, k)
            self.sg(a, "ip_address", self.mobile.pick(rng, self.city[a]), np.repeat(cr, k) + 10)
            self.drop_addresses(acc, c, 0, 4, per_acc_unique=True)
            stores = None
        # referral bonus chain inside the ring
        if stg != "weak":
            order = acc[np.argsort(cr, kind="stable")]
            pos = np.arange(1, n)
            m = rng.random(len(pos)) < .6
            self.referrals.append((order[pos[m]], order[np.maximum(pos[m] - rng.integers(1, 4, m.sum()), 0)]))
        # first order with the welcome coupon (coupon added in derive)
        t1 = cr + rng.integers(5 * MIN, 90 * MIN, n)
        st1 = stores[rng.integers(0, len(stores), n)] if stores is not None else self.stores.pick(rng, np.full(n, c))
        self.add_orders(acc, st1, t1, p_rs=.03, p_rc=.02, p_tip=.02, coupon_ok=False, amu=2.6)
        # campaign coupons abused in bursts
        for ci in self.campaigns_for(c, cr.min(), cr.max() + 120 * DAY):
            start = max(int(self.camp["start"][ci]), int(cr.max()) + HOUR)
            if start >= self.camp["end"][ci]:
                continue
            m = rng.random(n) < .6
            ts = start + rng.integers(0, 30 * HOUR, m.sum())
            ok = ts < self.camp["end"][ci]
            a = acc[m][ok]
            st = stores[rng.integers(0, len(stores), len(a))] if stores is not None else self.stores.pick(rng, self.city[a])
            self.add_orders(a, st, ts[ok], p_rs=.03, p_rc=.02, p_tip=.02, coupon_ok=False, amu=2.6)
            self.ev(a, "redeem_coupon", self.camp["tgt"][ci], ts[ok] - 25)
        if stg != "weak" and rng.random() < .6:
            leaked = self.targets([f"VIP{int(rng.integers(100, 999))}-{enc(mix([len(self.groups)], 20, self.salt[5]), 4, 5, B32U)[0]}"])[0]
            t = int(cr.max()) + int(rng.integers(1, 10)) * DAY
            m = rng.random(n) < .7
            ts = t + rng.integers(0, 8 * HOUR, m.sum())
            st = stores[rng.integers(0, len(stores), m.sum())]
            self.add_orders(acc[m], st, ts, p_rs=.03, p_rc=.02, p_tip=.02, coupon_ok=False, amu=3.4)
            self.ev(acc[m], "redeem_coupon", leaked, ts - 25)

    def act_review_ring(self, g):
        rng, acc, c, stg = self.rng, g.acc, g.city, g.strength
        n = len(acc)
        rs = g.extra["ring_start"]
        sts = self.stores.members(c)
        sts = sts[self.st_type[sts] == 0]
        order = sts[np.argsort(-self.st_pop[sts])]
        q = len(order)
        clients = self.pick(order[int(q * .3):int(q * .85)], int(rng.integers(1, 4)))
        comps = self.pick(np.setdiff1d(order[:max(6, int(q * .3))], clients), int(rng.integers(3, 7)))
        # residential proxies = real households' home IPs
        k = rng.integers(1, 4, n)
        a = np.repeat(acc, k)
        self.sg(a, "ip_address", rng.choice(self.home_ips, len(a)), np.maximum(self.created[a], rs - 10 * DAY) + rng.integers(0, 30 * DAY, len(a)))
        self.sg(acc, "address_hash", self.keys("address_hash", n), self.created[acc] + 600)
        self.sg(acc, "geohash7", self.cells.pick(rng, np.full(n, c)), self.created[acc] + 600)
        aged = g.extra["aged"]
        self.sg(acc[aged], "device_id", self.keys("device_id", aged.sum()), rs - rng.integers(0, 15 * DAY, aged.sum()))
        ncamp = int(rng.integers(3, 9))
        dur = {"strong": 1, "medium": 3, "weak": 7}[stg]
        p = {"strong": .85, "medium": .6, "weak": .4}[stg]
        starts = np.sort(rs + rng.integers(0, max(30, (T_END - rs) // DAY - dur - 2), ncamp) * DAY)
        for cs in starts:
            m = rng.random(n) < p
            a = acc[m]
            ld = self.lday(np.full(len(a), cs), c) + rng.integers(0, dur, len(a))
            ts = self.lts(ld, self.hours(len(a), EVENING_W), c)
            cl = clients[rng.integers(0, len(clients), len(a))]
            self.add_orders(a, cl, ts, p_rs=1, rmode=1, p_rc=.1, p_tip=.05, coupon_ok=False, amu=2.2)
            m2 = rng.random(len(a)) < (.75 if stg != "weak" else .5)
            b = np.repeat(a[m2], rng.integers(1, 3, m2.sum()))
            ld = self.lday(np.full(len(b), cs), c) + rng.integers(0, dur, len(b))
            tb = self.lts(ld, self.hours(len(b), EVENING_W), c)
            self.add_orders(b, comps[rng.integers(0, len(comps), len(b))], tb, p_rs=1, rmode=2, p_rc=.1, p_tip=.05,
                            coupon_ok=False, amu=2.2)
        if stg == "weak":
            b = np.repeat(acc, rng.integers(1, 4, n))
            tb = self.uniform_ts(np.full(len(b), rs), np.full(len(b), T_END))
            self.add_orders(b, self.stores.pick(rng, np.full(len(b), c)), tb)
        g.extra.update(clients=clients, comps=comps)

    def act_courier_collusion(self, g):
        rng, c, stg = self.rng, g.city, g.strength
        cour, merch, cust, ws, wl = (g.extra[k] for k in ("cour", "merch", "cust", "ws", "wl"))
        cr = self.created
        if stg == "strong":
            devs = self.devices_from_pool(cour, len(cour), cr[cour] + 60)
            adids = np.arange(0)
            j = rng.integers(0, len(devs), len(cust))
            self.sg(cust, "device_id", devs[j], cr[cust] + 120)
            _ = adids
            cards = self.keys("card_fingerprint", int(rng.integers(1, 3)))
            self.sg(cust, "card_fingerprint", cards[rng.integers(0, len(cards), len(cust))], cr[cust] + 600)
            self.drop_addresses(cust, c, int(rng.integers(1, 3)), 1)
        elif stg == "medium":
            cards = self.keys("card_fingerprint", int(rng.integers(1, 3)))
            self.sg(cust, "card_fingerprint", cards[rng.integers(0, len(cards), len(cust))], cr[cust] + 600)
            self.drop_addresses(cust, c, 0, 1, per_acc_unique=True)
        else:
            self.drop_addresses(cust, c, 0, 3, per_acc_unique=True)
        if len(cour) > 1 and stg != "weak":
            pay = self.keys("payout_account", 1)[0]
            self.sg(cour, "payout_account", pay, cr[cour] + DAY)
        else:
            self.sg(cour, "payout_account", self.keys("payout_account", len(cour)), cr[cour] + DAY)
        self.sg(cour, "geohash7", self.cells.pick(rng, np.full(len(cour), c)), cr[cour] + DAY)
        # couriers are ordinary couriers otherwise (deliver organic orders too)
        self.cw[cour] = rng.lognormal(0, .7, len(cour))
        if "ghost" in g.extra:
            stores = np.array([g.extra["ghost"]])
            stores = np.concatenate([stores, self.stores.pick(rng, np.full(int(rng.integers(0, 2)), c))])
        else:
            sts = self.stores.members(c)
            stores = self.pick(sts[np.argsort(self.st_pop[sts])[: max(5, len(sts) // 3)]], int(rng.integers(1, 4)))
        rate = rng.uniform(.4, 1.5, len(cust))
        n = rng.poisson(rate * wl / DAY)
        a = np.repeat(cust, n)
        start = np.maximum(ws, cr[a])
        ld = self.lday(start + (rng.random(len(a)) * (ws + wl - start)).astype(np.int64), c)
        ts = self.lts(ld, self.hours(len(a), EVENING_W), c)
        ok = ts > cr[a]
        a, ts = a[ok], ts[ok]
        self.add_orders(a, stores[rng.integers(0, len(stores), len(a))], ts, p_rs=.5, rmode=1, p_rc=1, crmode=1,
                        p_tip=.95, p_ref=.25, courier=cour[rng.integers(0, len(cour), len(a))], coupon_ok=True, amu=3.3)
        g.extra["stores"] = stores

    def act_referral_farm(self, g):
        rng, acc, c, stg = self.rng, g.acc, g.city, g.strength
        n = len(acc)
        cr = self.created[acc]
        P = int(rng.integers(15, 41))
        nv = int(P * .4)
        prox = np.concatenate([rng.choice(self.vpn, min(nv, len(self.vpn)), replace=False), self.keys("ip_address", P - min(nv, len(self.vpn)))])
        k = rng.integers(2, 7, n)
        a = np.repeat(acc, k)
        self.sg(a, "ip_address", prox[rng.integers(0, P, len(a))], self.uniform_ts(np.repeat(cr, k), np.full(len(a), T_END)))
        self.sg(acc, "address_hash", self.keys("address_hash", n), cr + 600)
        self.sg(acc, "geohash7", self.cells.pick(rng, np.full(n, c)), cr + 600)
        # recruiters' referral codes
        rec = acc[np.argsort(cr, kind="stable")[:5]]
        m = (rng.random(n) < (.4 if stg != "weak" else .1)) & (cr >= T0) & ~np.isin(acc, rec)
        r = rec[rng.integers(0, len(rec), m.sum())]
        ok = self.created[r] < cr[m]
        self.referrals.append((acc[m][ok], r[ok]))
        # clients: stores in any city, their reviews
        clients = rng.integers(0, self.ns, int(rng.integers(5, 16)))
        fs = g.extra["fs"]
        nj = int(rng.integers(30, 91))
        jt = np.sort(fs + (rng.random(nj) * (T_END - fs - DAY)).astype(np.int64))
        jkind = rng.choice(3, nj, p=[.45, .2, .35])
        p = {"strong": .45, "medium": .3, "weak": .15}[stg]
        span_h = {"strong": (.3, 1), "medium": (1, 3), "weak": (4, 12)}[stg]
        for j in range(nj):
            t = jt[j]
            part = acc[(rng.random(n) < p) & (cr < t)]
            span = rng.uniform(*span_h) * HOUR
            ts = t + (rng.random(len(part)) * span).astype(np.int64) + rng.integers(-120, 120, len(part))
            tg = clients[rng.integers(0, len(clients), int(rng.integers(1, 4)))]
            tt = tg[rng.integers(0, len(tg), len(part))]
            if jkind[j] == 0:
                self.ev(part, "favorite_store", self.st_tgt[tt], ts)
            elif jkind[j] == 1:
                self.ev(part, "share_store", self.st_tgt[tt], ts)
            else:
                rv = self.rev_base + self.rev_lo[tt] + (rng.random(len(part)) * np.minimum(self.rev_n[tt], 5)).astype(np.int64)
                self.ev(part, "helpful_vote", rv, ts)
        g.extra["clients"] = clients

    def act_ato_ring(self, g):
        rng, acc, stg = self.rng, g.acc, g.strength
        n = len(acc)
        tko = g.extra["tko"]
        if stg == "strong":
            self.devices_from_pool(acc, int(rng.integers(2, 4)), tko)
            ips = self.keys("ip_address", 2)
            self.sg(acc, "ip_address", ips[rng.integers(0, 2, n)], tko)
            ph = self.keys("phone_hash", 2)
            self.sg(acc, "phone_hash", ph[rng.integers(0, 2, n)], tko + 20 * MIN)
            drops = self.keys("address_hash", 2)
            cells = self.cells.pick(rng, [g.city, g.city])
        elif stg == "medium":
            self.sg(acc, "device_id", self.keys("device_id", n), tko)
            self.sg(acc, "adid", self.keys("adid", n), tko)
            ips = self.keys("ip_address", int(rng.integers(2, 5)))
            self.sg(acc, "ip_address", ips[rng.integers(0, len(ips), n)], tko)
            drops = self.keys("address_hash", int(rng.integers(3, 5)))
            cells = self.cells.pick(rng, np.full(len(drops), g.city))
        else:
            self.sg(acc, "device_id", self.keys("device_id", n), tko)
            self.sg(acc, "adid", np.where(rng.random(n) < .5, 0, self.keys("adid", n)), tko)
            ips = rng.choice(self.home_ips, max(3, n // 3))
            self.sg(acc, "ip_address", ips[rng.integers(0, len(ips), n)], tko)
            drops = self.keys("address_hash", n)
            cells = self.cells.pick(rng, np.full(n, g.city))
        j = rng.integers(0, len(drops), n) if len(drops) < n else np.arange(n)
        self.sg(acc, "address_hash", drops[j], tko + HOUR)
        self.sg(acc, "geohash7", cells[j % len(cells)], tko + HOUR)
        self.ev(acc, "profile_update", self.prof_tgt[0], tko + rng.integers(0, 5 * MIN, n))
        if stg == "strong":
            self.ev(acc, "profile_update", self.prof_tgt[1], tko + rng.integers(5 * MIN, 30 * MIN, n))
        self.ev(acc, "profile_update", self.prof_tgt[3], tko + rng.integers(10 * MIN, 50 * MIN, n))
        k = rng.integers(1, 4, n)
        a = np.repeat(acc, k)
        self.ev(a, "buy_giftcard", self.gift_tgt[rng.choice(3, len(a), p=[.2, .3, .5])],
                np.repeat(tko, k) + rng.integers(10 * MIN, 3 * HOUR, len(a)))
        k = rng.integers(1, 4, n)
        a = np.repeat(acc, k)
        grocery = np.flatnonzero(self.st_type == 1)
        gc = ByCity(grocery, self.st_city[grocery], self.st_pop[grocery])
        st = gc.pick(rng, self.city[a])
        st = np.where(st >= 0, st, self.stores.pick(rng, self.city[a]))
        self.add_orders(a, st, np.repeat(tko, k) + rng.integers(30 * MIN, 36 * HOUR, len(a)), p_rs=0, p_rc=0, p_tip=0,
                        p_ref=0, coupon_ok=False, amu=4.4)

    def act_refund_ring(self, g):
        rng, acc, c, stg = self.rng, g.acc, g.city, g.strength
        n = len(acc)
        cr = self.created[acc]
        ws, wl = g.extra["ws"], g.extra["wl"]
        if stg == "strong":
            self.devices_from_pool(acc, int(rng.integers(2, 4)), cr + 60)
            cards = self.keys("card_fingerprint", int(rng.integers(1, 3)))
            self.sg(acc, "card_fingerprint", cards[rng.integers(0, len(cards), n)], cr + 600)
            self.drop_addresses(acc, c, 1, 1)
        elif stg == "medium":
            cards = self.keys("card_fingerprint", int(rng.integers(1, 3)))
            self.sg(acc, "card_fingerprint", cards[rng.integers(0, len(cards), n)], cr + 600)
            self.drop_addresses(acc, c, 0, 1, per_acc_unique=True)
        else:
            m = rng.random(n) < .5
            card = self.keys("card_fingerprint", 1)[0]
            self.sg(acc[m], "card_fingerprint", card, cr[m] + 600)
            self.drop_addresses(acc, c, 0, 2, per_acc_unique=True)
        rate = rng.uniform(.2, .6, n)
        k = rng.poisson(rate * wl / DAY)
        a = np.repeat(acc, k)
        raw = np.maximum(ws, self.created[a]) + (rng.random(len(a)) * wl).astype(np.int64)
        ts = self.lts(self.lday(raw, c), self.hours(len(a), MEAL_W), c)
        ok = (ts > self.created[a]) & (ts < T_END)
        a, ts = a[ok], ts[ok]
        self.add_orders(a, self.stores.pick(rng, np.full(len(a), c)), ts, p_rs=.3, rmode=2, p_ref=.7, p_tip=.02)

    def act_courier_bonus_ring(self, g):
        rng, acc, c, stg = self.rng, g.acc, g.city, g.strength
        n = len(acc)
        cr = self.created[acc]
        if stg == "strong":
            self.devices_from_pool(acc, 2, cr + 60)
            self.sg(acc, "payout_account", self.keys("payout_account", 1)[0], cr + DAY)
        elif stg == "medium":
            pay = self.keys("payout_account", 2)
            self.sg(acc, "payout_account", pay[rng.integers(0, 2, n)], cr + DAY)
        else:
            m = rng.random(n) < .5
            dev = self.keys("device_id", 1)[0]
            self.sg(acc[m], "device_id", dev, cr[m] + 60)
            self.sg(acc[~m], "device_id", self.keys("device_id", (~m).sum()), cr[~m] + 60)
            self.sg(acc, "payout_account", self.keys("payout_account", n), cr + DAY)
        self.sg(acc, "geohash7", self.cells.pick(rng, np.full(n, c)), cr + DAY)
        k = rng.integers(10, 21, n)
        a = np.repeat(acc, k)
        ts = self.lts(self.lday(np.repeat(cr, k), c) + 1 + rng.integers(0, 14, len(a)), self.hours(len(a), MEAL_W), c)
        self.ev(a, "delivery_completed", self.st_tgt[self.stores.pick(rng, np.full(len(a), c))], ts)
        self.ev(acc, "bonus_claim", self.bonus_tgt[CITY_CTRY[c]], self.lday(cr, c) * DAY + 16 * DAY)

    # --------------------------------------------------------------- derive
    def derive(self):
        rng = self.rng
        O = {k: np.concatenate([o[k] for o in self.ords]) for k in self.ords[0]}
        a, st, ts = O["a"], O["st"], O["ts"]
        n = len(a)
        city = self.city[a]
        # couriers
        cour_idx = np.flatnonzero((self.typ == 1) & (self.cw > 0))
        pool = ByCity(cour_idx, self.city[cour_idx], self.cw[cour_idx])
        cour = O["cour"].copy()
        todo = np.flatnonzero(cour < 0)
        for _ in range(8):
            if not len(todo):
                break
            cand = pool.pick(rng, city[todo])
            ok = (self.act_start[cand] <= ts[todo]) & (ts[todo] <= self.act_end[cand])
            cour[todo] = cand
            todo = todo[~ok]
        amount = np.round(np.exp(rng.normal(O["amu"], .5)), 2)
        self.ev(a, "order_placed", self.st_tgt[st], ts, amount=amount)
        has = cour >= 0
        dts = ts + rng.integers(18 * MIN, 55 * MIN, n)
        self.ev(cour[has], "delivery_completed", self.st_tgt[st[has]], dts[has])
        # store ratings
        r = rng.random(n) < O["p_rs"]
        rts = dts + 10 * MIN + rng.exponential(4 * HOUR, n).astype(np.int64)
        rating = np.clip(np.round(rng.normal(self.st_q[st], .9)), 1, 5).astype(np.int8)
        reg = (self.regular_store[a] == st) & (rng.random(n) < .85)
        rating = np.where(reg | (O["rmode"] == 1), 5, rating)
        rating = np.where(O["rmode"] == 2, 1, rating)
        reg_r = (self.regular_store[a] == st) & (rng.random(n) < .5)
        r |= reg_r
        self.ev(a[r], "rate_store", self.st_tgt[st[r]], rts[r], rating=rating[r])
        # courier ratings and tips (courier targets are the couriers' account ids)
        rc = has & (rng.random(n) < O["p_rc"])
        cr_rating = rng.choice(np.arange(1, 6), n, p=[.03, .02, .05, .15, .75])
        cr_rating = np.where(O["crmode"] == 1, 5, cr_rating).astype(np.int8)
        self.ev(a[rc], "rate_courier", cour[rc], dts[rc] + rng.integers(2 * MIN, 3 * HOUR, rc.sum()), rating=cr_rating[rc])
        tp = has & (rng.random(n) < O["p_tip"])
        tip = np.round(np.exp(rng.normal(np.log(1.8) + 1.1 * (O["crmode"] == 1), .5)), 2)
        self.ev(a[tp], "tip_courier", cour[tp], dts[tp] + rng.integers(MIN, HOUR, tp.sum()), amount=tip[tp])
        rf = rng.random(n) < O["p_ref"]
        self.ev(a[rf], "refund_request", self.st_tgt[st[rf]], dts[rf] + rng.integers(5 * MIN, 3 * HOUR, rf.sum()))
        # campaign coupons
        ctry = CITY_CTRY[city]
        for ci in range(len(self.camp["tgt"])):
            m = O["cok"] & (ts >= self.camp["start"][ci]) & (ts < self.camp["end"][ci])
            if self.camp["ctry"][ci] >= 0:
                m &= ctry == self.camp["ctry"][ci]
            m &= rng.random(n) < .12
            self.ev(a[m], "redeem_coupon", self.camp["tgt"][ci], ts[m] - 20)
        # welcome coupon on the first order
        order = np.lexsort((ts, a))
        first = order[np.r_[True, a[order][1:] != a[order][:-1]]]
        fa = a[first]
        m = (self.created[fa] >= T0) & (rng.random(len(fa)) < self.welcome_p[fa]) & (ts[first] - self.created[fa] < 60 * DAY)
        self.ev(fa[m], "redeem_coupon", self.welcome_tgt[CITY_CTRY[self.city[fa[m]]]], ts[first][m] - 30)
        # shift starts from deliveries
        d = [e for e in self.evs if e[1][0] == ACT["delivery_completed"]]
        da = np.concatenate([e[0] for e in d])
        dt = np.concatenate([e[3] for e in d])
        ld = self.lday(dt, self.city[da])
        df = pl.DataFrame({"a": da, "d": ld, "t": dt}).group_by("a", "d").agg(pl.col("t").min()).sort("a", "d")
        sa = df["a"].to_numpy()
        st_ts = df["t"].to_numpy() - rng.integers(5 * MIN, 40 * MIN, len(sa))
        self.ev(sa, "shift_start", self.zone_tgt[self.city[sa] * 12 + self.courier_zone[sa]], st_ts)
        # referral events and links
        ra = np.concatenate([r[0] for r in self.referrals])
        rb = np.concatenate([r[1] for r in self.referrals])
        ra, ui = np.unique(ra, return_index=True)
        rb = rb[ui]
        self.ev(ra, "referral_signup", self.ref_tgt[rb], self.created[ra] + rng.integers(MIN, 20 * MIN, len(ra)))
        self.ref_pairs = (ra, rb)
        # a handful of far-future timestamps from devices with broken clocks
        k = max(1, int(round(6 * self.s)))
        a2 = rng.integers(0, self.nb, k)
        self.ev(a2, "favorite_store", self.st_tgt[self.fav[a2, 0]], _t("2036-02-07T06:28:16") + rng.integers(0, DAY, k))

    # ---------------------------------------------------------------- labels
    def make_labels(self):
        rng = self.rng
        pos, pos_t, src = [], [], []
        for g in self.bad_groups:
            p = {"strong": .8, "medium": .55, "weak": .3}[g.strength]
            if rng.random() < p:
                k = max(1, int(round(len(g.acc) * rng.uniform(.1, .5))))
                m = self.pick(g.acc, k)
                pos.append(m)
                pos_t.append(np.full(len(m), T_END - int(rng.integers(1, 60)) * DAY))
                src.append(np.full(len(m), "enforcement"))
        m = self.pick(self.solo, len(self.solo) // 2)
        pos.append(m)
        pos_t.append(T_END - rng.integers(1, 90, len(m)) * DAY)
        src.append(np.full(len(m), "chargeback"))
        npos = sum(len(x) for x in pos)
        conf = np.flatnonzero(~self.is_bad & (self.group_of >= 0) & (self.prio >= PRIO["viral_coupon"]))
        fp = self.pick(conf, max(1, int(round(.04 * npos))))
        pos.append(fp)
        pos_t.append(T_END - rng.integers(1, 200, len(fp)) * DAY)
        src.append(np.full(len(fp), "enforcement"))
        active = np.flatnonzero(~self.is_bad & (self.rate > 0))
        w = (T_END - self.created[active]) / DAY + 30
        w = w * np.sqrt(self.rate[active])
        neg = rng.choice(active, int(.04 * len(active)), replace=False, p=_norm(w))
        badv = np.flatnonzero(self.is_bad & (self.aged | (self.group_of >= 0)))
        fn = self.pick(badv, max(1, int(round(.015 * len(neg)))))
        neg = np.concatenate([neg, fn])
        neg_t = T_END - rng.integers(1, 400, len(neg)) * DAY
        acc = np.concatenate(pos + [neg])
        lab = np.concatenate([np.ones(npos + len(fp), np.int64), np.zeros(len(neg), np.int64)])
        t = np.concatenate(pos_t + [neg_t])
        s = np.concatenate(src + [np.full(len(neg), "support_verified")])
        _, first = np.unique(acc, return_index=True)
        first = np.sort(first)
        return acc[first], lab[first], t[first], s[first]

    # ----------------------------------------------------------------- build
    def build(self, out: Path, verbose=True):
        t0 = time.time()
        rng = self.rng

        def say(msg):
            if verbose:
                print(f"[{time.time() - t0:6.1f}s] {msg}", file=sys.stderr)

        self.populate()
        self.structures_pre()
        self.windows()
        self.referrals = []
        self.plan_bad()
        say("population planned")
        self.structures()
        self.personal()
        say("identifiers")
        self.organic()
        self.benign_behaviour()
        for g in self.bad_groups:
            getattr(self, "act_" + g.kind)(g)
        say("behaviour")
        self.derive()
        say("derived events")
        N = self.N
        out.mkdir(parents=True, exist_ok=True)
        ids = self.acc_names
        perm = rng.permutation(N)
        cr = pl.from_epoch(pl.Series(self.created[perm]), time_unit="s")
        accounts = pl.DataFrame({
            "account_id": ids.gather(perm),
            "created_at": cr,
            "account_type": pl.Series(np.array(["customer", "courier", "merchant"])[self.typ[perm]]),
            "country": pl.Series(np.array(COUNTRIES)[CITY_CTRY[self.city[perm]]]),
            "city": pl.Series(np.array(CITY_NAME)[self.city[perm]]),
            "signup_platform": pl.Series(np.array(["android", "ios", "web"])[self.platform[perm]]),
        })
        accounts.write_parquet(out / "accounts.parquet")
        # signals
        sa = np.concatenate([s[0] for s in self.sigs])
        sk = np.concatenate([s[1] for s in self.sigs])
        sv = np.concatenate([s[2] for s in self.sigs])
        ss = np.concatenate([s[3] for s in self.sigs])
        sdf = (pl.DataFrame({"a": sa, "k": sk, "v": sv, "t": ss})
               .group_by("a", "k", "v").agg(pl.col("t").min())
               .sort("t", "a", "k", "v"))
        sdf = sdf.with_columns(pl.when(pl.col("t") < pl.lit(int(T_END))).then(pl.col("t")).otherwise(pl.lit(int(T_END) - 60)))
        values = self.format_values(sdf["k"].to_numpy(), sdf["v"].to_numpy())
        signals = pl.DataFrame({
            "account_id": ids.gather(sdf["a"].to_numpy()),
            "kind": pl.Series(np.array(KINDS)[sdf["k"].to_numpy()]),
            "value": values,
            "seen_at": pl.from_epoch(sdf["t"], time_unit="s"),
        })
        signals.write_parquet(out / "signals.parquet")
        say(f"signals {signals.height}")
        # events
        ea = np.concatenate([e[0] for e in self.evs])
        ec = np.concatenate([e[1] for e in self.evs])
        et = np.concatenate([e[2] for e in self.evs])
        es = np.concatenate([e[3] for e in self.evs])
        er = np.concatenate([e[4] for e in self.evs])
        em = np.concatenate([e[5] for e in self.evs])
        keep = ((es >= T0) & (es < T_END)) | (es > _t("2030-01-01"))
        keep &= es >= self.created[ea] - 5 * MIN
        ea, ec, et, es, er, em = ea[keep], ec[keep], et[keep], es[keep], er[keep], em[keep]
        order = np.lexsort((ea, es))
        tnames = pl.concat(self.tnames)
        events = pl.DataFrame({
            "account_id": ids.gather(ea[order]),
            "action": pl.Series(np.array(ACTIONS)[ec[order]]),
            "target_id": tnames.gather(et[order]),
            "ts": pl.from_epoch(pl.Series(es[order]), time_unit="s"),
            "rating": pl.Series(er[order]).cast(pl.Int8),
            "amount": pl.Series(em[order]),
        }).with_columns(pl.when(pl.col("rating") > 0).then(pl.col("rating")).alias("rating"),
                        pl.col("amount").fill_nan(None))
        events.write_parquet(out / "events.parquet")
        say(f"events {events.height}")
        ra, rb = self.ref_pairs
        links = pl.DataFrame({"account_a": ids.gather(ra), "account_b": ids.gather(rb),
                              "kind": pl.Series(["referred_by"] * len(ra), dtype=pl.String),
                              "weight": pl.Series(np.ones(len(ra)))})
        links.write_parquet(out / "links.parquet")
        if self.with_labels:
            la, ll, lt, ls = self.make_labels()
            pl.DataFrame({"account_id": ids.gather(la), "label": pl.Series(ll, dtype=pl.Int64),
                          "source": pl.Series(ls), "decided_at": pl.from_epoch(pl.Series(lt), time_unit="s")}
                         ).write_parquet(out / "labels.parquet")
        else:
            (out / "labels.parquet").unlink(missing_ok=True)
        # truth
        gid_names, gkind = [], []
        cnt: dict = {}
        for g in self.groups:
            cnt[g.kind] = cnt.get(g.kind, 0) + 1
            gid_names.append(f"{g.kind}:{cnt[g.kind]:05d}")
            gkind.append(g.kind)
        gof = self.group_of
        has = gof >= 0
        gid = np.array(gid_names + [""], dtype=object)[np.where(has, gof, len(gid_names))]
        gk = np.array(gkind + [""], dtype=object)[np.where(has, gof, len(gkind))]
        truth = pl.DataFrame({
            "account_id": ids,
            "is_bad": pl.Series(self.is_bad),
            "group_id": pl.Series(gid.astype(str)),
            "group_kind": pl.Series(gk.astype(str)),
        }).with_columns(pl.when(pl.col("group_id") != "").then(pl.col("group_id")).alias("group_id"),
                        pl.when(pl.col("group_kind") != "").then(pl.col("group_kind")).alias("group_kind"))
        truth = truth[perm]
        truth.write_parquet(out / "truth.parquet")
        say("written")
        return accounts, signals, events, truth

    def format_values(self, k, v) -> pl.Series:
        out = np.empty(len(k), dtype=object)
        res = pl.Series([None] * len(k), dtype=pl.String)
        parts = []
        idx_all = []
        for code, kind in enumerate(KINDS):
            m = np.flatnonzero(k == code)
            if not len(m):
                continue
            x = v[m]
            s = self.salt[10 + code]
            if kind == "device_id":
                val = pl.Series(enc(mix(x, 64, s), 16, 4, UHEX))
            elif kind == "adid":
                h1 = mix(x, 64, s)
                h2 = mix(x, 64, self.salt[21])
                a = enc(h1, 16, 4, HEX)
                b = enc(h2, 16, 4, HEX)
                val = cat(pl.Series(a).str.slice(0, 8), "-", pl.Series(a).str.slice(8, 4), "-4",
                          pl.Series(a).str.slice(12, 3), "-", pl.Series(b).str.slice(0, 4), "-",
                          pl.Series(b).str.slice(4, 12))
                val = pl.select(pl.when(pl.Series(x == 0)).then(pl.lit("00000000-0000-0000-0000-000000000000"))
                                .otherwise(val)).to_series()
            elif kind == "ip_address":
                y = mix(x, 31, s).astype(np.int64)
                o1 = 1 + (y >> 24)
                val = cat(pl.Series(o1), ".", pl.Series((y >> 16) & 255), ".", pl.Series((y >> 8) & 255), ".",
                          pl.Series(y & 255))
            elif kind == "card_fingerprint":
                val = cat("cfp_", enc(mix(x, 64, s), 16, 4, HEX), enc(mix(x, 16, self.salt[22]), 4, 4, HEX))
            elif kind == "phone_hash":
                val = cat(enc(mix(x, 64, s), 16, 4, HEX), enc(mix(x, 64, self.salt[23]), 16, 4, HEX))
            elif kind == "email_sha1":
                val = cat(enc(mix(x, 64, s), 16, 4, HEX), enc(mix(x, 64, self.salt[24]), 16, 4, HEX),
                          enc(mix(x, 32, self.salt[25]), 8, 4, HEX))
            elif kind == "address_hash":
                val = cat("adr_", enc(mix(x, 64, s), 16, 4, HEX))
            elif kind == "geohash7":
                city = (x // 32768).astype(np.int64)
                pref = np.array([c[4] for c in CITIES])[city]
                val = cat(pl.Series(pref), enc(x % 32768, 3, 5, GH32))
            else:
                val = cat("po_", enc(mix(x, 64, s), 16, 4, HEX))
            parts.append(val)
            idx_all.append(m)
        _ = out, res
        idx = np.concatenate(idx_all)
        allv = pl.concat(parts)
        inv = np.empty(len(idx), np.int64)
        inv[idx] = np.arange(len(idx))
        return allv.gather(inv)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Munchr food-delivery marketplace with planted syndicates")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    t = time.time()
    w = World(args.accounts, args.seed, labels=not args.no_labels)
    accounts, signals, events, truth = w.build(args.outdir, verbose=not args.quiet)
    nbad = int(truth["is_bad"].sum())
    kb = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
    print(f"wrote {args.outdir}: {accounts.height} accounts, {signals.height} signals, {events.height} events, "
          f"{nbad} bad accounts in {kb} bad groups, {time.time() - t:.1f}s")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""fifth_marketplace -- an independent synthetic "short-video shopping app" for testing syndicate.

Written from the data contract in /work/shared/DESIGN.md ALONE (no syndicate code, tests,
benchmarks or other generators were read).  It writes, into OUTDIR:

  accounts.parquet  account_id str (unique, random "u########"), created_at datetime[us] (naive UTC),
                    account_type str (user | creator | seller), country str (ISO-2)
  signals.parquet   account_id, kind, value (16-hex opaque digest), seen_at datetime[us] (first seen)
                    kinds: device_fp, msisdn, email_norm, email_domain, card_bin_last4, ship_addr,
                           postal (postcode + house number: shared by a whole apartment block),
                           ipv4, ipv4_24 (the /24 prefix)
  events.parquet    account_id, action, target_id, ts datetime[us]
                    actions: view, heart, follow_creator (target = creator's account_id),
                    comment_post, stars_1..stars_5, add_cart, checkout, coupon_redeem (target =
                    "cpn_<CODE>"), live_gift (target = live stream), post_video, list_product.
                    Targets: videos "v…", products "p…", live streams "l…", coupons, accounts.
  links.parquet     account_a, account_b, kind (referral: a invited b | contact_sync: phone-book
                    match, unordered, a < b), weight float
  labels.parquet    account_id, label int64 (1 bad / 0 good) -- ~8-10% of accounts, biased like a
                    moderation queue (whole rings never looked at, hard negatives reviewed more
                    often), ~3% wrong.  Not written with --no-labels.
  truth.parquet     account_id, is_bad bool, group_id str|null, group_kind str|null
                    (an account in several planted groups gets the highest-priority one:
                    bad > shop_staff > household > group_buy > fan_club > campus > office_nat >
                    cafe_wifi > live_stream > flash_sale).  Lone bad actors: is_bad, no group.

Activity window: 8 weeks (2024-03-04 .. 2024-04-29 UTC); ordinary accounts created over ~4 years
(growing app).  Ordinary users: 8 countries / time zones, local diurnal rhythm plus a personal
chronotype, sessions, 3 favourite topics out of 24, heavy-tailed (lognormal) activity, shopper
propensity; creators (3%) post videos (back catalogue + in window), sellers (2%) list products,
popular creators go live.  Checkouts spawn add_cart before and reviews days later; new accounts
redeem the NEWUSER coupon.  Identifier noise: card = BIN+last4 (natural collisions), recycled
phone numbers, second-hand devices, dynamic residential IPs in shared /24s, carrier-grade NAT IPs
shared by thousands, apartment-block postal keys, webmail domains shared by everyone.

PLANTED BAD GROUPS (counts at 20k accounts; scale with --accounts):
  coupon_ring (8, 8-25): made within 1-3 days inside the window; 2-5 shared devices, 1-3 shared
      cards, 1-2 shipping addresses written with variations (ship_addr differs, postal equal),
      1-3 shared IPs; redeem cpn_NEWUSER15 and check out the same 1-3 products within hours;
      referral chains in most rings; disposable email domains.
  engagement_farm (5, 40-200): emulators -> every account its own fresh device_fp(s); IPs from
      2-4 datacenter/proxy /24 blocks; created in 2-4 waves weeks apart; 15-40 jobs: a random
      20-50% of the farm views+hearts (and some follow/comment) one client video within 2-20 min;
      24/7 random "organic" cover views.
  aged_reseller (6, 15-40): created months apart over ~2 years on 2-4 devices, 1-2 phone numbers,
      one home IP; dormant; then within one week all follow one buyer creator and heart his videos;
      half the groups then show the buyer's device.
  review_ring (8, 5-30): created over a few months, ordinary-looking organic activity, 2-6 stars_5
      each on the ring seller's products (often after a checkout) and stars_1 on competitors,
      spread over weeks; some rings share a VPN /24, some an email pattern (same email_norm via
      gmail dots/plus tags) or a rare custom email domain.
  ato_botnet (4, 30-80): OLD normal accounts (keep all their own identifiers and organic activity)
      that in one short window show new IPs from 3-6 datacenter addresses and all act on 3-8
      targets (follow, heart, comment, stars_5 of one beneficiary) within minutes.
  + ~0.5% lone bad accounts (comment spam / 1-star sprees), no group.
PLANTED BENIGN LOOK-ALIKES: household (~550, 2-6: home IP, address, sometimes a shared tablet or
  family card, created over years; ~12 household_family_promo created in the same promo week),
  campus (2: hundreds behind 4-8 NAT IPs, created in September cohorts, ambassador referral star,
  university email domain), office_nat (3, 30-80), cafe_wifi (10, 30-120 visitors), carrier NAT
  (population-wide, not a truth group), flash_sale (2: thousands add_cart/checkout one product in
  minutes), live_stream (2: thousands heart/gift one stream in 45 min), fan_club (4, 25-70 fans
  hitting each new post within an hour from their own devices/homes), shop_staff (10 shops,
  owner + 3-8 staff sharing a business phone, card and shop IP), group_buy (15, 3-8 friends
  checking out the same product the same day with their own cards).

Contract readings: "every id used elsewhere" = the account_id columns of signals / events / labels /
links (and truth); target_id is free text, and is itself an account_id only for follow_creator.
One follow / review / coupon / video-heart per (account, target) is kept; live-stream hearts repeat.
After writing, the tables are re-read and checked (schema, nulls, unique ids, references, nothing
before its account's creation).  Same seed -> same output; --no-labels changes only labels.parquet.

Usage: python fifth_marketplace.py OUTDIR --accounts 20000 --seed S [--no-labels]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("POLARS_MAX_THREADS", "2")
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

DAY = 86400
HOUR = 3600
MIN = 60
WS = int(np.datetime64("2024-03-04T00:00:00", "s").astype(np.int64))
NDAYS = 56
WE = WS + NDAYS * DAY
YEAR = 365 * DAY
LAUNCH = WE - 4 * YEAR - 20 * DAY
NT = 24  # topics

COUNTRIES = np.array(["US", "BR", "MX", "GB", "DE", "IN", "ID", "PH"])
C_WEIGHT = np.array([0.30, 0.15, 0.10, 0.08, 0.07, 0.10, 0.10, 0.10])
C_TZ = np.array([-300, -180, -360, 0, 60, 330, 420, 480]) * 60  # seconds east of UTC

_H = np.array([2.0, 1.2, 0.7, 0.4, 0.3, 0.3, 0.6, 1.2, 2.0, 2.5, 2.6, 2.8,
               3.4, 3.2, 2.8, 2.8, 3.0, 3.4, 4.0, 4.8, 5.4, 5.6, 4.8, 3.4])
DIURNAL = _H / _H.sum()

KINDS = ["device_fp", "msisdn", "email_norm", "email_domain", "card_bin_last4",
         "ship_addr", "postal", "ipv4", "ipv4_24"]
K = {k: i for i, k in enumerate(KINDS)}
NS = {k: i + 1 for i, k in enumerate(KINDS)}

ACTIONS = ["view", "heart", "follow_creator", "comment_post", "stars_1", "stars_2", "stars_3",
           "stars_4", "stars_5", "add_cart", "checkout", "coupon_redeem", "live_gift",
           "post_video", "list_product"]
A = {a: i for i, a in enumerate(ACTIONS)}
TT_VIDEO, TT_PRODUCT, TT_ACCOUNT, TT_LIVE, TT_COUPON = range(5)
COUPONS = ["NEWUSER15", "SPRING5", "FREESHIP", "FAMILY10", "FLASH20"]
CP = {c: i for i, c in enumerate(COUPONS)}

# email domains: 0-7 webmail, 8-27 ISPs, 28-33 disposable, >=100 allocated (corporate, campus, rings)
WEBMAIL_P = np.array([0.50, 0.10, 0.10, 0.10, 0.05, 0.02, 0.02, 0.01])
WEBMAIL_P = WEBMAIL_P / WEBMAIL_P.sum()
N_ISP, DISPOSABLE0, N_DISP = 20, 28, 6

_b = 1.0 / np.arange(1, 1501) ** 0.9  # card BIN popularity (BIN + last4 collide naturally)
BIN_CUM = np.cumsum(_b) / _b.sum()
BAD_KINDS = ["coupon_ring", "engagement_farm", "aged_reseller", "review_ring", "ato_botnet"]
PRIORITY = {k: 100 for k in BAD_KINDS}
PRIORITY.update(shop_staff=90, household=80, household_family_promo=80, group_buy=70,
                fan_club=60, campus=50, office_nat=40, cafe_wifi=30, live_stream=20,
                flash_sale=10)


def splitmix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hexify(u: np.ndarray) -> np.ndarray:
    s = np.ascontiguousarray(u.astype(">u8")).tobytes().hex()
    return np.frombuffer(s.encode("ascii"), dtype="S16").astype("U16")


class TopicSampler:
    """Popularity-weighted sampling of items restricted to a topic, fully vectorised."""

    def __init__(self, topics: np.ndarray, weights: np.ndarray):
        self.n = len(topics)
        order = np.lexsort((np.arange(self.n), topics))
        t = topics[order].astype(np.float64)
        w = weights[order].astype(np.float64)
        tot = np.bincount(topics, weights=weights, minlength=NT)
        cs = np.cumsum(w)
        start = np.concatenate([[0.0], np.cumsum(tot)[:-1]])
        ti = topics[order]
        self.key = t + (cs - start[ti]) / np.where(tot[ti] > 0, tot[ti], 1.0)
        self.order = order
        self.empty = tot <= 0
        self.best = int(np.argmax(tot))
        self.gcum = np.cumsum(weights) / weights.sum()

    def sample(self, rng, topics: np.ndarray) -> np.ndarray:
        t = np.where(self.empty[topics], self.best, topics)
        u = np.minimum(rng.random(len(t)), 0.999999)
        idx = np.clip(np.searchsorted(self.key, t + u), 0, self.n - 1)
        return self.order[idx]

    def sample_global(self, rng, n: int) -> np.ndarray:
        return np.minimum(np.searchsorted(self.gcum, rng.random(n)), self.n - 1)


class Market:
    def __init__(self, n: int, seed: int):
        self.N = n
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.sc = n / 20000.0
        self._ctr: dict[str, int] = {}
        self.S: list[tuple] = []
        self.E: list[tuple] = []
        self.L: list[tuple] = []
        self.G: list[tuple] = []  # (members, kind, is_bad)
        self.vid = {"creator": [], "post": [], "pop": [], "topic": []}
        self.prod = {"seller": [], "listed": [], "pop": [], "topic": []}
        self.log: list[str] = []

    # ------------------------------------------------------------------ helpers
    def cnt(self, k: float) -> int:
        return max(1, int(round(k * self.sc)))

    def ids(self, kind: str, n: int) -> np.ndarray:
        c = self._ctr.get(kind, 0)
        self._ctr[kind] = c + n
        return (np.uint64(NS.get(kind, 30)) << np.uint64(48)) | np.arange(c, c + n, dtype=np.uint64)

    def blocks(self, n: int) -> np.ndarray:
        c = self._ctr.get("_blk", 0)
        self._ctr["_blk"] = c + n
        return np.arange(c, c + n, dtype=np.uint64)

    @staticmethod
    def ip_val(blk, host):
        return (np.uint64(NS["ipv4"]) << np.uint64(48)) | (np.asarray(blk, np.uint64) * np.uint64(256)
                                                           + np.asarray(host, np.uint64))

    @staticmethod
    def blk_val(blk):
        return (np.uint64(NS["ipv4_24"]) << np.uint64(48)) | np.asarray(blk, np.uint64)

    @staticmethod
    def dom_val(d):
        return (np.uint64(NS["email_domain"]) << np.uint64(48)) | np.asarray(d, np.uint64)

    def new_domain(self) -> int:
        c = self._ctr.get("_dom", 100)
        self._ctr["_dom"] = c + 1
        return c

    def cards(self, n: int) -> np.ndarray:
        r = self.rng
        bins = np.minimum(np.searchsorted(BIN_CUM, r.random(n)), len(BIN_CUM) - 1)
        last4 = r.integers(0, 10000, n)
        return (np.uint64(NS["card_bin_last4"]) << np.uint64(48)) | (bins * 10000 + last4).astype(np.uint64)

    def sig(self, acc, kind: str, val, seen):
        acc = np.asarray(acc, np.int64)
        n = len(acc)
        if n == 0:
            return
        self.S.append((acc, np.full(n, K[kind], np.int8), np.broadcast_to(np.asarray(val, np.uint64), (n,)).copy(),
                       np.broadcast_to(np.asarray(seen, np.float64), (n,)).copy()))

    def ev(self, acc, action, ttype, tidx, ts):
        acc = np.asarray(acc, np.int64)
        n = len(acc)
        if n == 0:
            return
        act = np.broadcast_to(np.asarray(action, np.int8), (n,)).copy()
        self.E.append((acc, act, np.broadcast_to(np.asarray(ttype, np.int8), (n,)).copy(),
                       np.broadcast_to(np.asarray(tidx, np.int64), (n,)).copy(),
                       np.broadcast_to(np.asarray(ts, np.float64), (n,)).copy()))

    def link(self, a, b, kind: str, w):
        a = np.asarray(a, np.int64)
        if len(a) == 0:
            return
        self.L.append((a, np.asarray(b, np.int64), kind, np.broadcast_to(np.asarray(w, np.float64), a.shape).copy()))

    def group(self, members, kind: str, bad: bool):
        self.G.append((np.asarray(members, np.int64), kind, bad))

    def local_ts(self, tz, day_lo, day_hi, chrono=0.0):
        """UTC timestamps for local-time activity: uniform day in [day_lo, day_hi), diurnal hour."""
        r = self.rng
        tz = np.asarray(tz, np.float64)
        n = len(tz)
        day = np.floor(day_lo + r.random(n) * (np.asarray(day_hi) - day_lo))
        hour = r.choice(24, n, p=DIURNAL) + chrono
        return WS + day * DAY + hour * HOUR + r.random(n) * HOUR - tz

    def add_videos(self, creator, post, pop, topic) -> np.ndarray:
        start = sum(len(x) for x in self.vid["creator"])
        n = len(creator)
        for k, v in (("creator", creator), ("post", post), ("pop", pop), ("topic", topic)):
            self.vid[k].append(np.broadcast_to(np.asarray(v), (n,)).copy())
        return np.arange(start, start + n)

    def add_products(self, seller, listed, pop, topic) -> np.ndarray:
        start = sum(len(x) for x in self.prod["seller"])
        n = len(seller)
        for k, v in (("seller", seller), ("listed", listed), ("pop", pop), ("topic", topic)):
            self.prod[k].append(np.broadcast_to(np.asarray(v), (n,)).copy())
        return np.arange(start, start + n)

    def V(self, k):
        return np.concatenate(self.vid[k])

    def P(self, k):
        return np.concatenate(self.prod[k])

    def take(self, pool: np.ndarray, n: int) -> np.ndarray:
        """Draw n accounts from the free pool (disjoint benign pools)."""
        n = min(n, len(self.free))
        idx = self.rng.choice(len(self.free), n, replace=False)
        out = self.free[idx]
        self.free = np.delete(self.free, idx)
        return out

    # ------------------------------------------------------------------ population
    def build_population(self):
        r, N = self.rng, self.N
        # bad (new) group sizes
        self.plan = {
            "coupon_ring": r.integers(8, 26, self.cnt(8)),
            "engagement_farm": r.integers(40, 201, self.cnt(5)),
            "aged_reseller": r.integers(15, 41, self.cnt(6)),
            "review_ring": r.integers(5, 31, self.cnt(8)),
        }
        tot = sum(int(v.sum()) for v in self.plan.values())
        if tot > 0.2 * N:  # tiny runs: shrink sizes
            f = 0.2 * N / tot
            self.plan = {k: np.maximum(3, (v * f).astype(int)) for k, v in self.plan.items()}
            tot = sum(int(v.sum()) for v in self.plan.values())
        self.No = No = N - tot
        # per-account arrays
        self.ctry = r.choice(len(COUNTRIES), N, p=C_WEIGHT)
        self.tz = C_TZ[self.ctry].astype(np.float64)
        age_frac = r.random(N) ** 1.2
        self.created = WE - 2 * HOUR - age_frac * (WE - 2 * HOUR - LAUNCH)
        self.atype = np.zeros(N, np.int8)
        self.topics = np.stack([r.integers(0, NT, N) for _ in range(3)], 1)
        tw = r.dirichlet([2.0, 1.0, 0.5], N)
        self.tcum = np.cumsum(tw, 1)
        self.activity = np.minimum(np.exp(r.normal(np.log(14), 1.25, N)), 3000)
        self.shop = r.beta(2, 6, N)
        self.chrono = r.normal(0, 1.2, N)
        self.base_on = np.ones(N, bool)
        self.ato_capable = np.zeros(N, bool)
        # creators & sellers among ordinary accounts at least a month old
        old = np.flatnonzero(self.created[:No] < WS - 30 * DAY)
        nc, ns = int(0.03 * No), int(0.02 * No)
        pick = r.choice(old, nc + ns, replace=False)
        self.creators, self.sellers = pick[:nc], pick[nc:]
        self.atype[self.creators] = 1
        self.atype[self.sellers] = 2
        self.activity[self.creators] *= 2
        self.cpop = np.exp(r.normal(0, 1.3, nc))
        self.ctopic = self.topics[self.creators, 0]
        self.spop = np.exp(r.normal(0, 1.0, ns))
        self.stopic = self.topics[self.sellers, 0]
        mask = np.ones(No, bool)
        mask[pick] = False
        self.free = np.flatnonzero(mask)
        # bad-new blocks
        self.blocks_bad = {}
        off = No
        for kind, sizes in self.plan.items():
            lst = []
            for s in sizes:
                lst.append(np.arange(off, off + s))
                off += s
            self.blocks_bad[kind] = lst
        assert off == N

    def build_catalog(self):
        r = self.rng
        nc = len(self.creators)
        nv = 1 + r.poisson(4 * self.cpop ** 0.4)
        vc = np.repeat(np.arange(nc), nv)
        n = len(vc)
        back = r.random(n) < 0.45
        cacc = self.creators[vc]
        post = np.where(back, WS - r.random(n) * 300 * DAY,
                        self.local_ts(self.tz[cacc], 0, NDAYS))
        post = np.maximum(post, self.created[cacc] + DAY)
        pop = self.cpop[vc] * np.exp(r.normal(0, 0.8, n)) * np.where(back, 0.35, 1.0)
        topic = np.where(r.random(n) < 0.85, self.ctopic[vc], r.integers(0, NT, n))
        self.add_videos(cacc, post, pop, topic)
        self.post_events(cacc, post, np.arange(n))
        # products
        nsl = len(self.sellers)
        npd = 1 + r.poisson(6, nsl)
        ps = np.repeat(np.arange(nsl), npd)
        m = len(ps)
        sacc = self.sellers[ps]
        before = r.random(m) < 0.8
        listed = np.where(before, WS - r.random(m) * 400 * DAY, self.local_ts(self.tz[sacc], 0, NDAYS))
        listed = np.maximum(listed, self.created[sacc] + DAY)
        ppop = self.spop[ps] * np.exp(r.normal(0, 1.2, m))
        ptopic = np.where(r.random(m) < 0.85, self.stopic[ps], r.integers(0, NT, m))
        pidx = self.add_products(sacc, listed, ppop, ptopic)
        inw = listed >= WS
        self.ev(sacc[inw], A["list_product"], TT_PRODUCT, pidx[inw], listed[inw])
        # live streams by the top quarter of creators
        top = np.flatnonzero(self.cpop >= np.quantile(self.cpop, 0.75))
        nl = r.integers(1, 6, len(top))
        lc = np.repeat(top, nl)
        lacc = self.creators[lc]
        hour = r.integers(18, 23, len(lc))
        self.live_start = WS + r.integers(0, NDAYS, len(lc)) * DAY + hour * HOUR - self.tz[lacc] + r.random(len(lc)) * HOUR
        self.live_dur = r.uniform(30, 120, len(lc)) * MIN
        self.live_pop = self.cpop[lc]
        self.live_topic = self.ctopic[lc]
        self.live_creator = lacc

    def post_events(self, cacc, post, vidx):
        inw = (post >= WS) & (post < WE)
        self.ev(cacc[inw], A["post_video"], TT_VIDEO, vidx[inw], post[inw])

    def creator_videos(self, ci: int, post: np.ndarray, popmul=1.0) -> np.ndarray:
        """New in-window videos for creator (index into self.creators)."""
        acc = self.creators[ci]
        n = len(post)
        post = np.maximum(post, self.created[acc] + DAY)
        v = self.add_videos(np.full(n, acc), post, self.cpop[ci] * popmul * np.exp(self.rng.normal(0, 0.5, n)),
                            np.full(n, self.ctopic[ci]))
        self.post_events(np.full(n, acc), post, v)
        return v

    # ------------------------------------------------------------------ base identifiers
    def base_identifiers(self):
        r, N = self.rng, self.N
        c = self.created
        self.dev1 = self.ids("device_fp", N)
        self.phone = np.where(r.random(N) < 0.85, self.ids("msisdn", N), np.uint64(0))
        self.email = self.ids("email_norm", N)
        dom = np.where(r.random(N) < 0.85, r.choice(8, N, p=WEBMAIL_P), 8 + r.integers(0, N_ISP, N))
        dom = np.where(r.random(N) < 0.005, DISPOSABLE0 + r.integers(0, N_DISP, N), dom)
        self.edom = self.dom_val(dom)
        has_card = r.random(N) < 0.35 + self.shop
        self.card = np.where(has_card, self.cards(N), np.uint64(0))
        has_addr = has_card | (r.random(N) < 0.2)
        self.addr = np.where(has_addr, self.ids("ship_addr", N), np.uint64(0))
        nb = max(10, N // 400)
        bsize = r.integers(5, 60, nb)
        bld = np.minimum(np.searchsorted(np.cumsum(bsize) / bsize.sum(), r.random(N)), nb - 1)
        post_bld = self.ids("postal", nb)[bld]
        self.postal = np.where(has_addr, np.where(r.random(N) < 0.15, post_bld, self.ids("postal", N)), np.uint64(0))
        # residential home IP in a /24 shared with ~8 random others
        res_blocks = self.blocks(max(10, N // 8))
        self.home_blk = np.where(r.random(N) < 0.8, r.choice(res_blocks, N), np.uint64(2 ** 40))
        self.home_ip = self.ip_val(self.home_blk, r.integers(1, 255, N))
        self.first_buy = c + r.random(N) * (WE - c) * 0.5
        # carrier-grade NAT: a few dozen IPs shared by thousands
        self.cgn_blocks = self.blocks(8)
        self.cgn_ipblk = np.repeat(self.cgn_blocks, 5)
        self.cgn_ips = self.ip_val(self.cgn_ipblk, r.integers(1, 255, 40))
        w = 1.0 / np.arange(1, 41) ** 0.8
        self.cgn_w = w / w.sum()

    def emit_base(self):
        r, N = self.rng, self.N
        on = np.flatnonzero(self.base_on)
        c = self.created[on]
        seen0 = c + r.random(len(on)) * 600
        self.sig(on, "device_fp", self.dev1[on], seen0)
        ph = self.phone[on] > 0
        self.sig(on[ph], "msisdn", self.phone[on][ph], seen0[ph] + 30)
        self.sig(on, "email_norm", self.email[on], seen0)
        self.sig(on, "email_domain", self.edom[on], seen0)
        fb = self.first_buy[on]
        m = self.card[on] > 0
        self.sig(on[m], "card_bin_last4", self.card[on][m], fb[m])
        m = self.addr[on] > 0
        self.sig(on[m], "ship_addr", self.addr[on][m], fb[m])
        self.sig(on[m], "postal", self.postal[on][m], fb[m])
        m = self.home_blk[on] < 2 ** 40
        hs = c + r.random(len(on)) * (WE - c) * 0.3
        self.sig(on[m], "ipv4", self.home_ip[on][m], hs[m])
        self.sig(on[m], "ipv4_24", self.blk_val(self.home_blk[on][m]), hs[m])
        # second device (phone upgrade) for 25%
        m = r.random(len(on)) < 0.25
        a = on[m]
        self.sig(a, "device_fp", self.ids("device_fp", len(a)), c[m] + r.random(len(a)) * (WE - c[m]))
        # mobile users on carrier NAT
        m = r.random(len(on)) < 0.6
        a = on[m]
        k = r.integers(1, 4, len(a))
        aa = np.repeat(a, k)
        j = r.choice(40, len(aa), p=self.cgn_w)
        s = np.maximum(self.created[aa], WE - YEAR) + r.random(len(aa)) * DAY * 30
        s = np.minimum(s, WE - HOUR)
        self.sig(aa, "ipv4", self.cgn_ips[j], s)
        self.sig(aa, "ipv4_24", self.blk_val(self.cgn_ipblk[j]), s)
        # travel / hotel / work IPs
        m = r.random(len(on)) < 0.3
        a = on[m]
        blk = self.blocks(max(10, len(a) // 3))
        b = r.choice(blk, len(a))
        s = np.maximum(self.created[a], WS - 90 * DAY) + r.random(len(a)) * DAY * 60
        self.sig(a, "ipv4", self.ip_val(b, r.integers(1, 255, len(a))), s)
        self.sig(a, "ipv4_24", self.blk_val(b), s)
        # noise: second-hand devices (device later used by an unrelated account)
        k = int(0.007 * len(on))
        a, b = r.choice(on, k), r.choice(on, k)
        ok = a != b
        a, b = a[ok], b[ok]
        self.sig(b, "device_fp", self.dev1[a], np.maximum(self.created[a], self.created[b]) + 60 * DAY)
        # noise: recycled phone numbers
        k = int(0.004 * len(on))
        a, b = r.choice(on, k), r.choice(on, k)
        ok = (a != b) & (self.phone[a] > 0)
        a, b = a[ok], b[ok]
        self.sig(b, "msisdn", self.phone[a], np.maximum(self.created[a], self.created[b]) + 200 * DAY)

    # ------------------------------------------------------------------ organic behaviour
    def organic(self):
        r, N = self.rng, self.N
        start = np.maximum(self.created, WS)
        frac = np.clip((WE - start) / (WE - WS), 0, 1)
        n_ev = np.minimum(r.poisson(self.activity * frac), 5000)
        slen = 3 + r.gamma(2.0, 2.0, N)
        n_sess = np.where(n_ev > 0, np.maximum(1, np.ceil(n_ev / slen)), 0).astype(np.int64)
        s_acc = np.repeat(np.arange(N), n_sess)
        day_lo = (start - WS) / DAY
        s_ts = self.local_ts(self.tz[s_acc], np.floor(day_lo[s_acc]), NDAYS, self.chrono[s_acc])
        soff = np.concatenate([[0], np.cumsum(n_sess)[:-1]])
        acc = np.repeat(np.arange(N), n_ev)
        E = len(acc)
        sess = soff[acc] + np.floor(r.random(E) * n_sess[acc]).astype(np.int64)
        ts = s_ts[sess] + np.minimum(r.exponential(300, E), 1800)
        ts = np.maximum(ts, self.created[acc] + 120)
        # topic per event from the user's three favourites
        u = r.random(E)
        tc = self.tcum[acc]
        col = (u[:, None] > tc).sum(1).clip(0, 2)
        topic = self.topics[acc, col]
        # action choice
        shopping = r.random(E) < self.shop[acc] * 0.6
        eng_p = np.array([0.60, 0.25, 0.045, 0.035, 0.045, 0.012, 0.013])  # view_v heart_v comment follow live_heart live_gift view_p
        eng = r.choice(len(eng_p), E, p=eng_p / eng_p.sum())
        shp = r.choice(3, E, p=[0.55, 0.30, 0.15])  # view_p add_cart checkout
        # 0 video view,1 video heart,2 comment,3 follow,4 live heart,5 live gift,6 product view,7 add_cart,8 checkout
        code = np.where(shopping, np.where(shp == 0, 6, 6 + shp), eng)
        act = np.array([A["view"], A["heart"], A["comment_post"], A["follow_creator"], A["heart"],
                        A["live_gift"], A["view"], A["add_cart"], A["checkout"]], np.int8)[code]
        ttype = np.array([TT_VIDEO, TT_VIDEO, TT_VIDEO, TT_ACCOUNT, TT_LIVE, TT_LIVE, TT_PRODUCT,
                          TT_PRODUCT, TT_PRODUCT], np.int8)[code]
        tidx = np.zeros(E, np.int64)
        # videos
        vpop, vpost = self.V("pop"), self.V("post")
        vs = TopicSampler(self.V("topic"), vpop)
        m = ttype == TT_VIDEO
        idx = np.flatnonzero(m)
        viral = r.random(len(idx)) < 0.15
        t = vs.sample(r, topic[idx])
        t[viral] = vs.sample_global(r, int(viral.sum()))
        tidx[idx] = t
        late = ts[idx] < vpost[t]
        ts[idx[late]] = vpost[t[late]] + np.exp(r.normal(np.log(3 * HOUR), 1.2, int(late.sum())))
        # creators (follow)
        cs = TopicSampler(self.ctopic, self.cpop)
        idx = np.flatnonzero(ttype == TT_ACCOUNT)
        tidx[idx] = self.creators[cs.sample(r, topic[idx])]
        # products
        ppop, plist = self.P("pop"), self.P("listed")
        ps = TopicSampler(self.P("topic"), ppop)
        idx = np.flatnonzero(ttype == TT_PRODUCT)
        t = ps.sample(r, topic[idx])
        tidx[idx] = t
        late = ts[idx] < plist[t]
        ts[idx[late]] = plist[t[late]] + np.exp(r.normal(np.log(6 * HOUR), 1.2, int(late.sum())))
        # live streams: timestamp moved into the stream
        ls = TopicSampler(self.live_topic, self.live_pop)
        idx = np.flatnonzero(ttype == TT_LIVE)
        t = ls.sample(r, topic[idx])
        tidx[idx] = t
        ts[idx] = self.live_start[t] + r.random(len(idx)) * self.live_dur[t]
        keep = (ts < WE) & (ts >= self.created[acc])
        acc, act, ttype, tidx, ts = acc[keep], act[keep], ttype[keep], tidx[keep], ts[keep]
        self.E.append((acc, act, ttype, tidx, ts))
        # checkout -> add_cart before (55%), review 2-12 days later (14%)
        co = np.flatnonzero(act == A["checkout"])
        self.checkout_extras(acc[co], tidx[co], ts[co])
        self.log.append(f"organic events {len(acc):,}")
        # new-user coupon and seasonal coupon
        nu = np.flatnonzero((self.created >= WS - 2 * DAY) & (self.created < WE - DAY) & self.base_on
                            & (r.random(N) < 0.4))
        t0 = self.created[nu] + np.exp(r.normal(np.log(2 * HOUR), 1.0, len(nu)))
        self.ev(nu, A["coupon_redeem"], TT_COUPON, CP["NEWUSER15"], t0)
        b = r.random(len(nu)) < 0.55
        pk = ps.sample(r, self.topics[nu[b], 0])
        t1 = t0[b] + r.uniform(60, 3600, int(b.sum()))
        self.ev(nu[b], A["checkout"], TT_PRODUCT, pk, np.maximum(t1, plist[pk] + 60))
        sp = np.flatnonzero(self.base_on & (self.shop > 0.3) & (r.random(N) < 0.12))
        t0 = np.maximum(self.created[sp], WS) + r.random(len(sp)) * (WE - np.maximum(self.created[sp], WS))
        code = np.where(r.random(len(sp)) < 0.6, CP["SPRING5"], CP["FREESHIP"])
        self.ev(sp, A["coupon_redeem"], TT_COUPON, code, t0)
        pk = ps.sample(r, self.topics[sp, 0])
        self.ev(sp, A["checkout"], TT_PRODUCT, pk, np.maximum(t0 + r.uniform(30, 1800, len(sp)), plist[pk] + 60))
        self.vs, self.ps = vs, ps

    def checkout_extras(self, acc, prod, ts):
        r = self.rng
        m = r.random(len(acc)) < 0.55
        self.ev(acc[m], A["add_cart"], TT_PRODUCT, prod[m], ts[m] - r.uniform(60, 3600, int(m.sum())))
        m = r.random(len(acc)) < 0.14
        stars = r.choice([1, 2, 3, 4, 5], int(m.sum()), p=[0.08, 0.04, 0.08, 0.25, 0.55])
        t = ts[m] + r.uniform(2, 12, int(m.sum())) * DAY
        ok = t < WE
        self.ev(acc[m][ok], (A["stars_1"] - 1 + stars[ok]).astype(np.int8), TT_PRODUCT, prod[m][ok], t[ok])

    # ------------------------------------------------------------------ benign look-alikes
    def contact_sync(self, members, p=0.6):
        members = np.sort(members)
        i, j = np.triu_indices(len(members), 1)
        m = self.rng.random(len(i)) < p
        self.link(members[i[m]], members[j[m]], "contact_sync", self.rng.uniform(0.3, 1.0, int(m.sum())))

    def households(self):
        r = self.rng
        nh = self.cnt(550)
        sizes = r.choice([2, 3, 4, 5, 6], nh, p=[0.35, 0.30, 0.20, 0.10, 0.05])
        n_promo = self.cnt(12)
        promo_week = WE - int(1.5 * YEAR)
        for h, s in enumerate(sizes):
            mem = self.take(self.free, int(s))
            if len(mem) < 2:
                break
            promo = h < n_promo
            if promo:
                self.created[mem] = promo_week + r.random(len(mem)) * 6 * DAY
            ctry = self.ctry[mem[0]]
            self.ctry[mem] = ctry
            self.tz[mem] = C_TZ[ctry]
            self.home_blk[mem] = self.home_blk[mem[0]] if self.home_blk[mem[0]] < 2 ** 40 else r.choice(self.blocks(1))
            self.home_ip[mem] = self.ip_val(self.home_blk[mem[0]], r.integers(1, 255))
            addr = self.ids("ship_addr", 1)[0]
            post = self.ids("postal", 1)[0]
            has = r.random(len(mem)) < 0.85
            self.addr[mem[has]] = addr
            self.postal[mem[has]] = post
            if r.random() < 0.3:  # shared tablet
                k = r.integers(2, len(mem) + 1)
                sub = mem[:k]
                self.sig(sub, "device_fp", self.ids("device_fp", 1)[0],
                         self.created[sub].max() + r.random() * (WE - self.created[sub].max()) * 0.5)
            if r.random() < 0.35:  # family card
                k = r.integers(2, len(mem) + 1)
                sub = mem[:k]
                self.card[sub] = self.cards(1)[0]
            # kids without phones
            kids = r.random(len(mem)) < 0.25
            kids[0] = False
            self.phone[mem[kids]] = 0
            self.contact_sync(mem, 0.7)
            if r.random() < 0.3:
                self.link(np.full(len(mem) - 1, mem[0]), mem[1:], "referral", 1.0)
            self.group(mem, "household_family_promo" if promo else "household", False)
        self.log.append(f"households {nh} (promo {n_promo})")

    def campus(self):
        r = self.rng
        sizes = [int(0.019 * self.N), int(0.008 * self.N)]
        for s in sizes:
            if s < 10:
                continue
            mem = self.take(self.free, s)
            ctry = r.integers(0, len(COUNTRIES))
            self.ctry[mem] = ctry
            self.tz[mem] = C_TZ[ctry]
            year = r.choice(4, len(mem), p=[0.15, 0.2, 0.3, 0.35])
            sept = np.array([np.datetime64(f"{y}-09-01", "s").astype(np.int64) for y in (2020, 2021, 2022, 2023)])
            self.created[mem] = sept[year] + np.abs(r.normal(0, 8, len(mem))) * DAY + r.random(len(mem)) * DAY
            topic = r.integers(0, NT)
            self.topics[mem[r.random(len(mem)) < 0.5], 0] = topic
            blk = self.blocks(1)[0]
            nat = self.ip_val(blk, r.integers(1, 255, r.integers(4, 9)))
            k = r.integers(1, 3, len(mem))
            aa = np.repeat(mem, k)
            s_ = np.maximum(self.created[aa], WS - 120 * DAY) + r.random(len(aa)) * 30 * DAY
            self.sig(aa, "ipv4", r.choice(nat, len(aa)), s_)
            self.sig(aa, "ipv4_24", self.blk_val(blk), s_)
            uni = self.dom_val(self.new_domain())
            m = r.random(len(mem)) < 0.7
            self.edom[mem[m]] = uni
            amb = mem[r.integers(len(mem))]
            ref = r.choice(mem[mem != amb], min(len(mem) - 1, r.integers(20, 41)), replace=False)
            self.link(np.full(len(ref), amb), ref, "referral", 1.0)
            a, b = r.choice(mem, 2 * len(mem)), r.choice(mem, 2 * len(mem))
            ok = a != b
            self.link(np.minimum(a, b)[ok], np.maximum(a, b)[ok], "contact_sync", r.uniform(0.2, 0.9, int(ok.sum())))
            self.group(mem, "campus", False)
        self.log.append(f"campus sizes {sizes}")

    def offices(self):
        r = self.rng
        for _ in range(self.cnt(3)):
            mem = self.take(self.free, int(r.integers(30, 81)))
            blk = self.blocks(1)[0]
            nat = self.ip_val(blk, r.integers(1, 255, r.integers(1, 3)))
            k = r.integers(1, 3, len(mem))
            aa = np.repeat(mem, k)
            s_ = np.maximum(self.created[aa], WS - 200 * DAY) + r.random(len(aa)) * 60 * DAY
            self.sig(aa, "ipv4", r.choice(nat, len(aa)), s_)
            self.sig(aa, "ipv4_24", self.blk_val(blk), s_)
            corp = self.dom_val(self.new_domain())
            m = r.random(len(mem)) < 0.4
            self.edom[mem[m]] = corp
            a, b = r.choice(mem, len(mem)), r.choice(mem, len(mem))
            ok = a != b
            self.link(np.minimum(a, b)[ok], np.maximum(a, b)[ok], "contact_sync", r.uniform(0.2, 0.8, int(ok.sum())))
            self.group(mem, "office_nat", False)

    def shops(self):
        r = self.rng
        nshop = min(self.cnt(10), len(self.sellers))
        owners = r.choice(len(self.sellers), nshop, replace=False)
        plist = self.P("listed")
        for si in owners:
            owner = self.sellers[si]
            staff = self.take(self.free, int(r.integers(3, 9)))
            self.atype[staff] = 2
            self.created[staff] = np.maximum(self.created[staff], self.created[owner] + r.random(len(staff)) * 200 * DAY)
            self.created[staff] = np.minimum(self.created[staff], WS - DAY)
            mem = np.concatenate([[owner], staff])
            t0 = self.created[mem] + r.random(len(mem)) * DAY
            self.sig(mem, "msisdn", self.ids("msisdn", 1)[0], t0 + HOUR)
            self.sig(mem, "card_bin_last4", self.cards(1)[0], t0 + 2 * HOUR)
            blk = self.blocks(1)[0]
            ip = self.ip_val(blk, r.integers(1, 255))
            self.sig(mem, "ipv4", ip, t0 + 3 * HOUR)
            self.sig(mem, "ipv4_24", self.blk_val(blk), t0 + 3 * HOUR)
            # the shop lists new products during the window, by any staff member
            k = int(r.integers(5, 16))
            lt = self.local_ts(np.full(k, self.tz[owner]), 0, NDAYS)
            pidx = self.add_products(np.full(k, owner), lt, self.spop[si] * np.exp(r.normal(0, 1, k)),
                                     np.full(k, self.stopic[si]))
            who = r.choice(mem, k)
            self.ev(who, A["list_product"], TT_PRODUCT, pidx, lt)
            self.contact_sync(mem, 0.8)
            self.group(mem, "shop_staff", False)
        self.log.append(f"shops {nshop}")

    def fan_clubs_prep(self):
        """Choose clubs and create their creators' in-window posts (before organic sampling)."""
        r = self.rng
        self.clubs = []
        q = np.quantile(self.cpop, [0.4, 0.85])
        cand = np.flatnonzero((self.cpop > q[0]) & (self.cpop < q[1]))
        for ci in r.choice(cand, self.cnt(4), replace=False):
            pool = self.free[self.created[self.free] < WS - 10 * DAY]
            fans = r.choice(pool, int(r.integers(25, 71)), replace=False)
            self.free = np.setdiff1d(self.free, fans)
            k = int(r.integers(10, 21))
            post = self.local_ts(np.full(k, self.tz[self.creators[ci]]), 0, NDAYS - 1)
            v = self.creator_videos(ci, post)
            self.clubs.append((ci, fans, v))

    def fan_clubs(self):
        r = self.rng
        vpost = self.V("post")
        for ci, fans, v in self.clubs:
            f, p = np.meshgrid(fans, v, indexing="ij")
            f, p = f.ravel(), p.ravel()
            m = r.random(len(f)) < 0.75
            f, p = f[m], p[m]
            tv = vpost[p] + np.minimum(np.exp(r.normal(np.log(8 * MIN), 0.8, len(f))), 55 * MIN)
            self.ev(f, A["view"], TT_VIDEO, p, tv)
            h = r.random(len(f)) < 0.9
            self.ev(f[h], A["heart"], TT_VIDEO, p[h], tv[h] + r.uniform(3, 90, int(h.sum())))
            c = r.random(len(f)) < 0.35
            self.ev(f[c], A["comment_post"], TT_VIDEO, p[c], tv[c] + r.uniform(30, 300, int(c.sum())))
            self.group(fans, "fan_club", False)

    def group_buys(self):
        r = self.rng
        pp = self.P("pop")
        plist = self.P("listed")
        for _ in range(self.cnt(15)):
            mem = self.take(self.free, int(r.integers(3, 9)))
            ctry = self.ctry[mem[0]]
            self.ctry[mem] = ctry
            self.tz[mem] = C_TZ[ctry]
            self.created[mem] = np.minimum(self.created[mem], WS - 5 * DAY)
            self.card[mem] = np.where(self.card[mem] > 0, self.card[mem], self.cards(len(mem)))
            for _b in range(int(r.integers(2, 6))):
                prod = int(np.searchsorted(np.cumsum(pp) / pp.sum(), r.random()))
                prod = min(prod, len(pp) - 1)
                day = max(r.integers(0, NDAYS - 1), int((plist[prod] - WS) // DAY) + 1)
                if day >= NDAYS - 1:
                    continue
                part = mem[r.random(len(mem)) < 0.85]
                t = self.local_ts(self.tz[part], day, day + 1, 0.0)
                self.ev(part, A["checkout"], TT_PRODUCT, prod, t)
                self.ev(part, A["add_cart"], TT_PRODUCT, prod, t - r.uniform(60, 7200, len(part)))
            self.contact_sync(mem, 0.9)
            if r.random() < 0.3:
                self.link(mem[:-1], mem[1:], "referral", 1.0)
            self.group(mem, "group_buy", False)

    def cafes(self):
        r = self.rng
        cand = np.flatnonzero(self.base_on & (self.atype == 0) & (self.created < WE - 20 * DAY))
        for _ in range(self.cnt(10)):
            mem = r.choice(cand, int(r.integers(30, 121)), replace=False)
            blk = self.blocks(1)[0]
            ip = self.ip_val(blk, r.integers(1, 255))
            s_ = np.maximum(self.created[mem], WS) + r.random(len(mem)) * (WE - np.maximum(self.created[mem], WS))
            self.sig(mem, "ipv4", ip, s_)
            self.sig(mem, "ipv4_24", self.blk_val(blk), s_)
            self.group(mem, "cafe_wifi", False)

    def crowds(self):
        """Flash sales and mega live streams (after organic; targets are fresh)."""
        r = self.rng
        big = self.sellers[np.argsort(-self.spop)[:5]]
        for frac, day in ((0.12, 30), (0.05, 44)):
            seller = r.choice(big)
            t_f = WS + day * DAY + 12 * HOUR - C_TZ[self.ctry[seller]] + 7 * HOUR
            p = self.add_products(np.array([seller]), np.array([t_f - 3 * DAY]), np.array([1.0]),
                                  np.array([self.topics[seller, 0]]))[0]
            self.ev(np.array([seller]), A["list_product"], TT_PRODUCT, p, np.array([t_f - 3 * DAY]))
            cand = np.flatnonzero(self.base_on & (self.created < t_f - HOUR))
            w = np.sqrt(self.activity[cand])
            part = r.choice(cand, int(frac * self.N), replace=False, p=w / w.sum())
            n = len(part)
            self.ev(part, A["view"], TT_PRODUCT, p, t_f + r.uniform(-600, 120, n))
            tc = t_f + r.exponential(60, n)
            self.ev(part, A["add_cart"], TT_PRODUCT, p, tc)
            b = r.random(n) < 0.7
            self.ev(part[b], A["checkout"], TT_PRODUCT, p, tc[b] + r.exponential(120, int(b.sum())))
            self.ev(part[b], A["coupon_redeem"], TT_COUPON, CP["FLASH20"], tc[b] + r.uniform(5, 30, int(b.sum())))
            self.group(part, "flash_sale", False)
        top = np.argsort(-self.cpop)[:3]
        for frac, day in ((0.15, 20), (0.06, 50)):
            ci = r.choice(top)
            acc = self.creators[ci]
            t_l = WS + day * DAY + 20 * HOUR - self.tz[acc]
            self.live_start = np.append(self.live_start, t_l)
            self.live_dur = np.append(self.live_dur, 45 * MIN)
            lid = len(self.live_start) - 1
            cand = np.flatnonzero(self.base_on & (self.created < t_l - HOUR))
            part = r.choice(cand, int(frac * self.N), replace=False)
            k = r.integers(1, 11, len(part))
            aa = np.repeat(part, k)
            # hearts bunch around three peaks of the stream
            peak = r.choice([5, 20, 38], len(aa)) * MIN
            t = t_l + np.clip(peak + r.normal(0, 3 * MIN, len(aa)), 0, 45 * MIN)
            self.ev(aa, A["heart"], TT_LIVE, lid, t)
            g = part[r.random(len(part)) < 0.15]
            self.ev(g, A["live_gift"], TT_LIVE, lid, t_l + r.random(len(g)) * 45 * MIN)
            self.group(part, "live_stream", False)

    # ------------------------------------------------------------------ bad groups
    def coupon_rings(self):
        r = self.rng
        pp = self.P("pop")
        plist = self.P("listed")
        hot = np.flatnonzero((pp >= np.quantile(pp, 0.9)) & (plist < WS))
        for mem in self.blocks_bad["coupon_ring"]:
            n = len(mem)
            self.base_on[mem] = False
            self.activity[mem] = 0.0
            ctry = r.integers(0, len(COUNTRIES))
            self.ctry[mem] = ctry
            self.tz[mem] = C_TZ[ctry]
            d0 = r.uniform(2, NDAYS - 6)
            span = r.uniform(1, 3)
            created = np.sort(WS + (d0 + r.random(n) * span) * DAY)
            self.created[mem] = created
            devs = self.ids("device_fp", int(r.integers(2, 6)))
            self.sig(mem, "device_fp", r.choice(devs, n), created + r.uniform(0, 300, n))
            m = r.random(n) < 0.3
            self.sig(mem[m], "device_fp", r.choice(devs, int(m.sum())), created[m] + r.uniform(300, 3 * HOUR, int(m.sum())))
            cards = self.cards(int(r.integers(1, 4)))
            tco = created + np.exp(r.normal(np.log(40 * MIN), 0.8, n))
            self.sig(mem, "card_bin_last4", r.choice(cards, n), tco)
            nb = int(r.integers(1, 3))
            base_addr = self.ids("ship_addr", nb)
            base_post = self.ids("postal", nb)
            which = r.integers(0, nb, n)
            variant = r.random(n) < 0.4
            addr = np.where(variant, self.ids("ship_addr", n), base_addr[which])
            self.sig(mem, "ship_addr", addr, tco)
            self.sig(mem, "postal", base_post[which], tco)
            blk = self.blocks(int(r.integers(1, 3)))
            ips_b = r.choice(blk, int(r.integers(1, 4)))
            ips = self.ip_val(ips_b, r.integers(1, 255, len(ips_b)))
            j = r.integers(0, len(ips), n)
            self.sig(mem, "ipv4", ips[j], created + 10)
            self.sig(mem, "ipv4_24", self.blk_val(ips_b[j]), created + 10)
            m = r.random(n) < 0.3
            self.sig(mem[m], "ipv4", self.cgn_ips[r.choice(40, int(m.sum()), p=self.cgn_w)], created[m] + HOUR)
            m = r.random(n) < 0.75
            self.sig(mem[m], "msisdn", self.ids("msisdn", int(m.sum())), created[m] + 60)
            self.sig(mem, "email_norm", self.ids("email_norm", n), created)
            dom = np.where(r.random(n) < 0.6, DISPOSABLE0 + r.integers(0, N_DISP, n), 0)
            self.sig(mem, "email_domain", self.dom_val(dom), created)
            # behaviour: redeem coupon, check out the same few hot products within hours
            tr = created + np.exp(r.normal(np.log(25 * MIN), 0.7, n))
            self.ev(mem, A["coupon_redeem"], TT_COUPON, CP["NEWUSER15"], tr)
            prods = r.choice(hot, int(r.integers(1, 4)), replace=False)
            pk = r.choice(prods, n)
            self.ev(mem, A["add_cart"], TT_PRODUCT, pk, tco - r.uniform(30, 300, n))
            self.ev(mem, A["checkout"], TT_PRODUCT, pk, tco)
            m = r.random(n) < 0.3  # second item
            self.ev(mem[m], A["checkout"], TT_PRODUCT, r.choice(prods, int(m.sum())), tco[m] + r.uniform(60, 900, int(m.sum())))
            k = r.integers(1, 6, n)
            aa = np.repeat(mem, k)
            self.ev(aa, A["view"], TT_PRODUCT, r.choice(hot, len(aa)), np.repeat(created, k) + r.uniform(60, 3 * HOUR, len(aa)))
            if r.random() < 0.65:
                if r.random() < 0.5:
                    self.link(mem[:-1], mem[1:], "referral", 1.0)
                else:
                    self.link(np.full(n - 1, mem[0]), mem[1:], "referral", 1.0)
            self.group(mem, "coupon_ring", True)

    def farms_prep(self):
        """Waves, client videos and jobs (client videos exist before organic sampling)."""
        r = self.rng
        small = np.flatnonzero(self.cpop < np.quantile(self.cpop, 0.5))
        self.farm_jobs = []
        for mem in self.blocks_bad["engagement_farm"]:
            n = len(mem)
            nw = int(r.integers(2, 5))
            w0 = WS - r.uniform(10, 100) * DAY
            waves = w0 + np.concatenate([[0], np.cumsum(r.uniform(14, 35, nw - 1))]) * DAY
            waves = np.minimum(waves, WE - 10 * DAY)
            wv = np.sort(r.integers(0, nw, n))
            self.created[mem] = waves[wv] + r.random(n) * 36 * HOUR
            clients = r.choice(small, int(r.integers(3, 9)), replace=False)
            nj = int(r.integers(15, 41))
            lo = max(0.0, (self.created[mem].min() - WS) / DAY + 2)
            jobs = []
            for j in range(nj):
                ci = r.choice(clients)
                post = self.local_ts(np.array([self.tz[self.creators[ci]]]), lo, NDAYS - 1)
                v = self.creator_videos(ci, post, popmul=0.5)[0]
                jobs.append((ci, v, float(self.vid["post"][-1][0]) + r.uniform(0, 6) * HOUR))
            self.farm_jobs.append((mem, jobs))

    def farms(self):
        r = self.rng
        vs = self.vs
        for mem, jobs in self.farm_jobs:
            n = len(mem)
            self.base_on[mem] = False
            self.activity[mem] = 0.0
            ctry = r.integers(0, len(COUNTRIES))
            self.ctry[mem] = ctry
            self.tz[mem] = C_TZ[ctry]
            created = self.created[mem]
            self.sig(mem, "device_fp", self.ids("device_fp", n), created + r.uniform(0, 120, n))
            m = r.random(n) < 0.3  # emulator resets -> fresh fingerprint
            self.sig(mem[m], "device_fp", self.ids("device_fp", int(m.sum())), created[m] + r.uniform(1, 30, int(m.sum())) * DAY)
            blk = self.blocks(int(r.integers(2, 5)))
            k = r.integers(3, 9, n)
            aa = np.repeat(mem, k)
            b = r.choice(blk, len(aa))
            s_ = np.repeat(created, k) + r.random(len(aa)) * np.maximum(WE - np.repeat(created, k), DAY) * 0.8
            self.sig(aa, "ipv4", self.ip_val(b, r.integers(1, 255, len(aa))), s_)
            self.sig(aa, "ipv4_24", self.blk_val(b), s_)
            m = r.random(n) < 0.4
            self.sig(mem[m], "msisdn", self.ids("msisdn", int(m.sum())), created[m] + 60)
            self.sig(mem, "email_norm", self.ids("email_norm", n), created)
            self.sig(mem, "email_domain", self.dom_val(np.where(r.random(n) < 0.8, 0, 1)), created)
            for ci, v, start in jobs:
                if start >= WE - HOUR:
                    continue
                frac = r.uniform(0.2, 0.5)
                part = mem[(r.random(n) < frac) & (created < start)]
                p = len(part)
                tv = start + r.uniform(2, 20, p) * MIN + r.normal(0, 20, p)
                self.ev(part, A["view"], TT_VIDEO, v, tv)
                h = r.random(p) < 0.9
                self.ev(part[h], A["heart"], TT_VIDEO, v, tv[h] + r.uniform(5, 60, int(h.sum())))
                f = r.random(p) < 0.3
                self.ev(part[f], A["follow_creator"], TT_ACCOUNT, self.creators[ci], tv[f] + r.uniform(10, 90, int(f.sum())))
                c = r.random(p) < 0.2
                self.ev(part[c], A["comment_post"], TT_VIDEO, v, tv[c] + r.uniform(20, 120, int(c.sum())))
            k = r.integers(10, 41, n)
            aa = np.repeat(mem, k)
            st = np.maximum(np.repeat(created, k), WS)
            self.ev(aa, A["view"], TT_VIDEO, vs.sample_global(r, len(aa)), st + r.random(len(aa)) * (WE - st))
            self.group(mem, "engagement_farm", True)

    def resellers_prep(self):
        r = self.rng
        mid = np.flatnonzero((self.cpop > np.quantile(self.cpop, 0.2)) & (self.cpop < np.quantile(self.cpop, 0.7)))
        self.resale = []
        for mem in self.blocks_bad["aged_reseller"]:
            ci = r.choice(mid)
            t0 = WS + r.uniform(5, NDAYS - 9) * DAY
            k = int(r.integers(4, 11))
            post = t0 - r.uniform(0, 10, k) * DAY + r.uniform(0, 5, k) * DAY
            post = np.where(post < WS, WS + r.uniform(0.2, 3, k) * DAY, post)
            v = self.creator_videos(ci, np.minimum(post, t0 + 5 * DAY))
            self.resale.append((mem, ci, t0, v))

    def resellers(self):
        r = self.rng
        vs = self.vs
        vpost = self.V("post")
        for mem, ci, t0, v in self.resale:
            n = len(mem)
            self.base_on[mem] = False
            self.activity[mem] = 0.0
            ctry = r.integers(0, len(COUNTRIES))
            self.ctry[mem] = ctry
            self.tz[mem] = C_TZ[ctry]
            last = WS - r.uniform(30, 90) * DAY
            span = min(r.uniform(1.0, 2.5) * YEAR, last - LAUNCH)
            created = np.sort(last - r.random(n) * span)
            self.created[mem] = created
            devs = self.ids("device_fp", int(r.integers(2, 5)))
            self.sig(mem, "device_fp", r.choice(devs, n), created + r.uniform(0, 300, n))
            phones = self.ids("msisdn", int(r.integers(1, 3)))
            m = r.random(n) < 0.85
            self.sig(mem[m], "msisdn", r.choice(phones, int(m.sum())), created[m] + 120)
            self.sig(mem, "email_norm", self.ids("email_norm", n), created)
            self.sig(mem, "email_domain", self.dom_val(r.choice(8, n, p=WEBMAIL_P)), created)
            blk = self.blocks(1)[0]
            ip = self.ip_val(blk, r.integers(1, 255))
            self.sig(mem, "ipv4", ip, created + 60)
            self.sig(mem, "ipv4_24", self.blk_val(blk), created + 60)
            m = r.random(n) < 0.5
            self.sig(mem[m], "ipv4", self.cgn_ips[r.choice(40, int(m.sum()), p=self.cgn_w)], created[m] + DAY)
            # dormant: a handful of views over the window before the sale
            k = r.poisson(1.5, n)
            aa = np.repeat(mem, k)
            self.ev(aa, A["view"], TT_VIDEO, vs.sample_global(r, len(aa)), WS + r.random(len(aa)) * (t0 - WS))
            # the week after the sale
            tf = t0 + r.random(n) * 7 * DAY
            buyer = self.creators[ci]
            self.ev(mem, A["follow_creator"], TT_ACCOUNT, buyer, tf)
            kh = r.integers(3, 11, n)
            aa = np.repeat(mem, kh)
            vv = r.choice(v, len(aa))
            th = np.maximum(np.repeat(tf, kh), vpost[vv]) + r.uniform(60, 2 * DAY, len(aa))
            th = np.minimum(th, t0 + 7 * DAY)
            ok = th > vpost[vv]
            self.ev(aa[ok], A["heart"], TT_VIDEO, vv[ok], th[ok])
            if r.random() < 0.5:
                self.sig(mem, "device_fp", self.ids("device_fp", 1)[0], tf - r.uniform(60, 3600, n))
                b2 = self.blocks(1)[0]
                self.sig(mem, "ipv4", self.ip_val(b2, r.integers(1, 255)), tf - 30)
                self.sig(mem, "ipv4_24", self.blk_val(b2), tf - 30)
            self.group(mem, "aged_reseller", True)

    def review_rings_prep(self):
        r = self.rng
        for mem in self.blocks_bad["review_ring"]:
            n = len(mem)
            start = WS - r.uniform(60, 200) * DAY
            span = r.uniform(60, 150) * DAY
            self.created[mem] = np.minimum(start + r.random(n) * span, WS - DAY)
            self.activity[mem] = np.exp(r.normal(np.log(10), 0.8, n))

    def review_rings(self):
        r = self.rng
        pseller = self.P("seller")
        ptopic = self.P("topic")
        plist = self.P("listed")
        for mem in self.blocks_bad["review_ring"]:
            n = len(mem)
            si = r.integers(len(self.sellers))
            seller = self.sellers[si]
            own = np.flatnonzero((pseller == seller) & (plist < WS + 20 * DAY))
            if len(own) < 2:
                lt = WS - r.uniform(5, 60, 3) * DAY
                own = self.add_products(np.full(3, seller), lt, np.full(3, 0.3), np.full(3, self.stopic[si]))
                plist = self.P("listed")
                pseller = self.P("seller")
                ptopic = self.P("topic")
            ring_p = r.choice(own, min(len(own), int(r.integers(2, 6))), replace=False)
            comp = np.flatnonzero((ptopic == self.stopic[si]) & (pseller != seller))
            if len(comp) == 0:
                comp = np.flatnonzero(pseller != seller)
            comp = r.choice(comp, min(len(comp), int(r.integers(1, 3))), replace=False)
            k = r.integers(2, 7, n)
            aa = np.repeat(mem, k)
            pk = r.choice(ring_p, len(aa))
            lo = np.maximum(np.maximum(self.created[aa], WS), plist[pk] + DAY)
            t = lo + r.random(len(aa)) * (WE - lo)
            t = t - (t % DAY) + ((r.choice(24, len(aa), p=DIURNAL) + r.random(len(aa))) * HOUR - self.tz[aa]) % DAY
            t = np.clip(t, lo, WE - 60)
            self.ev(aa, A["stars_5"], TT_PRODUCT, pk, t)
            b = r.random(len(aa)) < 0.6
            tb = t[b] - r.uniform(1, 8, int(b.sum())) * DAY
            ok = tb > np.maximum(WS, plist[pk[b]])
            self.ev(aa[b][ok], A["checkout"], TT_PRODUCT, pk[b][ok], tb[ok])
            c = r.random(n) < 0.5
            cm = mem[c]
            lo = np.maximum(WS, self.created[cm])
            self.ev(cm, A["stars_1"], TT_PRODUCT, r.choice(comp, len(cm)), lo + r.random(len(cm)) * (WE - lo))
            # identifier sharing: a VPN /24 and/or an email pattern
            if r.random() < 0.5:
                blk = self.blocks(1)[0]
                sub = mem[r.random(n) < r.uniform(0.4, 0.8)]
                kk = r.integers(1, 4, len(sub))
                ss = np.repeat(sub, kk)
                st = np.maximum(self.created[ss], WS - 30 * DAY) + r.random(len(ss)) * 30 * DAY
                self.sig(ss, "ipv4", self.ip_val(blk, r.integers(1, 255, len(ss))), st)
                self.sig(ss, "ipv4_24", self.blk_val(blk), st)
            u = r.random()
            if u < 0.3:
                sub = r.choice(mem, min(n, int(r.integers(2, 5))), replace=False)
                self.email[sub] = self.ids("email_norm", 1)[0]
            elif u < 0.55:
                dom = self.dom_val(self.new_domain())
                sub = mem[r.random(n) < r.uniform(0.3, 0.7)]
                self.edom[sub] = dom
            self.group(mem, "review_ring", True)

    def ato_prep(self):
        r = self.rng
        cand = np.flatnonzero((self.created < WE - 400 * DAY) & (self.atype == 0) & self.base_on
                              & (self.activity > np.quantile(self.activity, 0.3)))
        cand = cand[cand < self.No]
        self.ato_plan = []
        used = np.zeros(self.N, bool)
        for _ in range(self.cnt(4)):
            c2 = cand[~used[cand]]
            mem = r.choice(c2, int(r.integers(30, 81)), replace=False)
            used[mem] = True
            ci = r.integers(len(self.creators))
            t_a = WS + r.uniform(8, NDAYS - 4) * DAY
            k = int(r.integers(2, 5))
            v = self.creator_videos(ci, t_a - r.uniform(1, 48, k) * HOUR, popmul=0.3)
            self.ato_plan.append((mem, ci, t_a, v))
        self.ato_members = used

    def ato(self):
        r = self.rng
        plist = self.P("listed")
        for mem, ci, t_a, v in self.ato_plan:
            n = len(mem)
            blk = self.blocks(int(r.integers(1, 3)))
            ips_b = r.choice(blk, int(r.integers(3, 7)))
            ips = self.ip_val(ips_b, r.integers(1, 255, len(ips_b)))
            k = r.integers(1, 3, n)
            aa = np.repeat(mem, k)
            j = r.integers(0, len(ips), len(aa))
            st = t_a - r.uniform(0, 90, len(aa)) * MIN
            self.sig(aa, "ipv4", ips[j], st)
            self.sig(aa, "ipv4_24", self.blk_val(ips_b[j]), st)
            # targets: follow the beneficiary, heart/comment his fresh videos, 5 stars on a product
            tg = [(A["follow_creator"], TT_ACCOUNT, self.creators[ci])]
            tg += [(A["heart"], TT_VIDEO, int(x)) for x in v]
            okp = np.flatnonzero(plist < t_a - DAY)
            tg += [(A["stars_5"], TT_PRODUCT, int(p)) for p in r.choice(okp, int(r.integers(1, 3)))]
            if r.random() < 0.5:
                tg.append((A["comment_post"], TT_VIDEO, int(v[0])))
            tg = tg[:8]
            t = t_a
            for act, tt, ti in tg:
                part = mem[r.random(n) < 0.9]
                self.ev(part, act, tt, ti, t + r.uniform(0, 6, len(part)) * MIN + r.exponential(20, len(part)))
                t += r.uniform(5, 25) * MIN
            self.group(mem, "ato_botnet", True)
            self.ato_capable[mem] = True

    def solo_bad(self):
        r = self.rng
        cand = np.flatnonzero(self.base_on & (self.atype == 0) & ~self.ato_members)
        cand = cand[cand < self.No]
        grouped = np.zeros(self.N, bool)
        for mem, _k, _b in self.G:
            grouped[mem] = True
        cand = cand[~grouped[cand]]
        self.solo = r.choice(cand, int(0.005 * self.N), replace=False)
        n = len(self.solo)
        k = r.integers(30, 151, n)
        aa = np.repeat(self.solo, k)
        lo = np.maximum(self.created[aa], WS)
        self.ev(aa, A["comment_post"], TT_VIDEO, self.vs.sample_global(r, len(aa)), lo + r.random(len(aa)) * (WE - lo))
        m = self.solo[r.random(n) < 0.3]
        k = r.integers(5, 21, len(m))
        aa = np.repeat(m, k)
        lo = np.maximum(self.created[aa], WS)
        self.ev(aa, A["stars_1"], TT_PRODUCT, self.ps.sample_global(r, len(aa)), lo + r.random(len(aa)) * (WE - lo))

    def ordinary_links(self):
        r = self.rng
        k = int(0.03 * self.No)
        b = r.choice(self.No, k, replace=False)
        a = r.choice(self.No, k)
        ok = (a != b) & (self.created[a] < self.created[b])
        self.link(a[ok], b[ok], "referral", 1.0)
        a, b = r.choice(self.No, 2 * k), r.choice(self.No, 2 * k)
        ok = a != b
        self.link(np.minimum(a, b)[ok], np.maximum(a, b)[ok], "contact_sync", r.uniform(0.1, 0.9, int(ok.sum())))

    # ------------------------------------------------------------------ truth & labels
    def truth(self):
        N = self.N
        gid = np.full(N, -1, np.int64)
        prio = np.full(N, -1, np.int64)
        self.gnames, self.gkinds, self.gsizes = [], [], []
        counters: dict[str, int] = {}
        for g, (mem, kind, bad) in enumerate(self.G):
            counters[kind] = counters.get(kind, 0) + 1
            self.gnames.append(f"{kind}_{counters[kind]:03d}")
            self.gkinds.append(kind)
            self.gsizes.append(len(mem))
            p = PRIORITY[kind]
            upd = mem[p > prio[mem]]
            gid[upd] = g
            prio[upd] = p
        self.gid = gid
        is_bad = np.zeros(N, bool)
        for mem, kind, bad in self.G:
            if bad:
                is_bad[mem] = True
        is_bad[self.solo] = True
        self.is_bad = is_bad

    def labels(self):
        r, N = self.rng, self.N
        lab = np.full(N, -1, np.int8)
        detect_p = dict(coupon_ring=0.8, engagement_farm=0.7, aged_reseller=0.45, review_ring=0.4, ato_botnet=0.5)
        for mem, kind, bad in self.G:
            if not bad:
                continue
            if kind == "ato_botnet":  # cleared long before the hijack
                m = r.random(len(mem)) < 0.1
                lab[mem[m]] = 0
            if r.random() < detect_p[kind]:
                m = r.random(len(mem)) < r.uniform(0.15, 0.6)
                lab[mem[m]] = 1
        m = r.random(len(self.solo)) < 0.5
        lab[self.solo[m]] = 1
        w = np.ones(N)
        w[self.activity > np.quantile(self.activity, 0.95)] = 2.0
        boost = dict(shop_staff=4.0, household=2.5, household_family_promo=4.0, campus=3.0, office_nat=2.0,
                     fan_club=3.0, group_buy=3.0, cafe_wifi=1.5)
        for mem, kind, bad in self.G:
            if kind in boost:
                w[mem] *= boost[kind]
        w[self.is_bad] = 0.0
        w[lab >= 0] = 0.0
        n_good = int(0.065 * N)
        good = r.choice(N, n_good, replace=False, p=w / w.sum())
        lab[good] = 0
        have = np.flatnonzero(lab >= 0)
        flip = have[r.random(len(have)) < 0.03]
        lab[flip] = 1 - lab[flip]
        self.lab = lab
        self.n_flip = len(flip)

    # ------------------------------------------------------------------ assembly
    def run(self):
        t = time.time()
        self.build_population()
        self.base_identifiers()
        self.build_catalog()
        self.review_rings_prep()
        self.households()
        self.campus()
        self.offices()
        self.shops()
        self.fan_clubs_prep()
        self.group_buys()
        self.farms_prep()
        self.resellers_prep()
        self.coupon_rings()  # sets base_on False, creation times
        for mem in self.blocks_bad["engagement_farm"] + self.blocks_bad["aged_reseller"]:
            self.base_on[mem] = False
            self.activity[mem] = 0.0
        self.ato_prep()
        self.log.append(f"population+prep {time.time() - t:.1f}s")
        self.organic()
        self.log.append(f"organic {time.time() - t:.1f}s")
        self.fan_clubs()
        self.farms()
        self.resellers()
        self.review_rings()
        self.ato()
        self.cafes()
        self.crowds()
        self.solo_bad()
        self.ordinary_links()
        self.emit_base()
        self.truth()
        self.labels()
        self.log.append(f"overlays {time.time() - t:.1f}s")

    def frames(self, with_labels: bool) -> dict[str, pl.DataFrame]:
        r, N = self.rng, self.N
        nums = r.choice(90_000_000, N, replace=False) + 10_000_000
        aid = pl.Series("account_id", nums).cast(pl.String)
        aid = ("u" + aid).alias("account_id")
        aid_np = aid.to_numpy()
        created_us = (self.created * 1e6).astype(np.int64)
        atype = np.array(["user", "creator", "seller"])[self.atype]
        accounts = pl.DataFrame({
            "account_id": aid,
            "created_at": pl.Series(created_us).cast(pl.Datetime("us")),
            "account_type": atype,
            "country": COUNTRIES[self.ctry],
        }).sort("account_id")
        # signals
        acc = np.concatenate([s[0] for s in self.S])
        kind = np.concatenate([s[1] for s in self.S])
        val = np.concatenate([s[2] for s in self.S])
        seen = np.concatenate([s[3] for s in self.S])
        seen = np.clip(np.maximum(seen, self.created[acc]), None, WE - 1)
        hv = splitmix64(val ^ np.uint64(splitmix64(np.array([self.seed + 7], np.uint64))[0]))
        sig = pl.DataFrame({"a": acc, "k": kind, "v": val, "hv": hexify(hv),
                            "seen": (seen * 1e6).astype(np.int64)})
        sig = sig.group_by(["a", "k", "v"]).agg(pl.col("hv").first(), pl.col("seen").min())
        signals = pl.DataFrame({
            "account_id": aid_np[sig["a"].to_numpy()],
            "kind": np.array(KINDS)[sig["k"].to_numpy()],
            "value": sig["hv"],
            "seen_at": sig["seen"].cast(pl.Datetime("us")),
        }).sort(["account_id", "kind", "seen_at", "value"])
        # events: target names
        nv = sum(len(x) for x in self.vid["creator"])
        npd = sum(len(x) for x in self.prod["seller"])
        nl = len(self.live_start)
        vnames = "v" + pl.Series(hexify(splitmix64(np.arange(nv, dtype=np.uint64) + np.uint64(1 << 50) + np.uint64(self.seed)))).str.slice(0, 12)
        pnames = "p" + pl.Series(hexify(splitmix64(np.arange(npd, dtype=np.uint64) + np.uint64(2 << 50) + np.uint64(self.seed)))).str.slice(0, 12)
        lnames = "l" + pl.Series(hexify(splitmix64(np.arange(nl, dtype=np.uint64) + np.uint64(3 << 50) + np.uint64(self.seed)))).str.slice(0, 10)
        cnames = pl.Series(["cpn_" + c for c in COUPONS])
        tnames = pl.concat([vnames, pnames, aid, lnames, cnames]).to_numpy()
        offs = np.cumsum([0, nv, npd, N, nl])
        e_acc = np.concatenate([e[0] for e in self.E])
        e_act = np.concatenate([e[1] for e in self.E])
        e_tt = np.concatenate([e[2] for e in self.E])
        e_ti = np.concatenate([e[3] for e in self.E])
        e_ts = np.concatenate([e[4] for e in self.E])
        g = offs[e_tt] + e_ti
        ok = (e_ts < WE) & (e_ts >= np.maximum(self.created[e_acc], WS - 0)) & ~((e_tt == TT_ACCOUNT) & (e_ti == e_acc))
        # drop actions on items that do not exist yet
        vpost, plist = self.V("post"), self.P("listed")
        isv = e_tt == TT_VIDEO
        ok[isv] &= e_ts[isv] >= vpost[e_ti[isv]]
        isp = e_tt == TT_PRODUCT
        ok &= ~isp | (e_ts >= plist[np.where(isp, e_ti, 0)] - 1)
        ts_us = (e_ts * 1e6).astype(np.int64) + r.integers(0, 1_000_000, len(e_ts))
        ev = pl.DataFrame({"a": e_acc[ok], "act": e_act[ok], "tt": e_tt[ok], "g": g[ok], "ts": ts_us[ok]}).sort("ts")
        # once per (account, target): follows, reviews, coupon codes, hearts on a video (not live taps)
        cls = (pl.when(pl.col("act") == A["follow_creator"]).then(0)
               .when((pl.col("act") == A["heart"]) & (pl.col("tt") == TT_VIDEO)).then(3)
               .when(pl.col("act").is_between(A["stars_1"], A["stars_5"])).then(1)
               .when(pl.col("act") == A["coupon_redeem"]).then(2).otherwise(-1))
        ev = ev.with_columns(cls.alias("c"))
        once = ev.filter(pl.col("c") >= 0).unique(subset=["a", "g", "c"], keep="first", maintain_order=True)
        ev = pl.concat([ev.filter(pl.col("c") < 0), once]).sort("ts")
        events = pl.DataFrame({
            "account_id": aid_np[ev["a"].to_numpy()],
            "action": np.array(ACTIONS)[ev["act"].to_numpy()],
            "target_id": tnames[ev["g"].to_numpy()],
            "ts": ev["ts"].cast(pl.Datetime("us")),
        })
        # links
        la = np.concatenate([x[0] for x in self.L])
        lb = np.concatenate([x[1] for x in self.L])
        lk = np.concatenate([np.full(len(x[0]), x[2]) for x in self.L])
        lw = np.concatenate([x[3] for x in self.L])
        lf = pl.DataFrame({"a": la, "b": lb, "kind": lk, "w": lw}).filter(pl.col("a") != pl.col("b"))
        lf = lf.with_columns(pl.Series("sa", aid_np[lf["a"].to_numpy()]), pl.Series("sb", aid_np[lf["b"].to_numpy()]))
        sym = pl.col("kind") == "contact_sync"
        lf = lf.with_columns(
            pl.when(sym & (pl.col("sa") > pl.col("sb"))).then(pl.col("sb")).otherwise(pl.col("sa")).alias("account_a"),
            pl.when(sym & (pl.col("sa") > pl.col("sb"))).then(pl.col("sa")).otherwise(pl.col("sb")).alias("account_b"),
        )
        links = (lf.unique(subset=["account_a", "account_b", "kind"], keep="first", maintain_order=True)
                 .select("account_a", "account_b", "kind", pl.col("w").alias("weight"))
                 .sort(["kind", "account_a", "account_b"]))
        gname = np.array(self.gnames + [None], dtype=object)
        gkind = np.array(self.gkinds + [None], dtype=object)
        truth = pl.DataFrame({
            "account_id": aid,
            "is_bad": self.is_bad,
            "group_id": pl.Series(gname[self.gid].tolist(), dtype=pl.String),
            "group_kind": pl.Series(gkind[self.gid].tolist(), dtype=pl.String),
        }).sort("account_id")
        out = {"accounts": accounts, "signals": signals, "events": events, "links": links, "truth": truth}
        if with_labels:
            have = np.flatnonzero(self.lab >= 0)
            out["labels"] = pl.DataFrame({"account_id": aid_np[have],
                                          "label": self.lab[have].astype(np.int64)}).sort("account_id")
        return out


SCHEMA = {
    "accounts": {"account_id": pl.String, "created_at": pl.Datetime("us"), "account_type": pl.String, "country": pl.String},
    "signals": {"account_id": pl.String, "kind": pl.String, "value": pl.String, "seen_at": pl.Datetime("us")},
    "events": {"account_id": pl.String, "action": pl.String, "target_id": pl.String, "ts": pl.Datetime("us")},
    "links": {"account_a": pl.String, "account_b": pl.String, "kind": pl.String, "weight": pl.Float64},
    "labels": {"account_id": pl.String, "label": pl.Int64},
    "truth": {"account_id": pl.String, "is_bad": pl.Boolean, "group_id": pl.String, "group_kind": pl.String},
}
NULLABLE = {("truth", "group_id"), ("truth", "group_kind")}


def check(outdir: Path, with_labels: bool) -> list[str]:
    """Re-read what was written and check it against the contract; returns problems."""
    probs = []
    names = ["accounts", "signals", "events", "links", "truth"] + (["labels"] if with_labels else [])
    if not with_labels and (outdir / "labels.parquet").exists():
        probs.append("labels.parquet present with --no-labels")
    t = {}
    for n in names:
        t[n] = pl.read_parquet(outdir / f"{n}.parquet")
        sch = dict(t[n].schema)
        if sch != SCHEMA[n]:
            probs.append(f"{n}: schema {sch} != {SCHEMA[n]}")
        for c in t[n].columns:
            if (n, c) not in NULLABLE and t[n][c].null_count():
                probs.append(f"{n}.{c}: {t[n][c].null_count()} nulls")
    acc = t["accounts"]
    if acc["account_id"].n_unique() != acc.height:
        probs.append("accounts: duplicate account_id")
    ids = acc.select("account_id")
    refs = [("signals", "account_id"), ("events", "account_id"), ("links", "account_a"),
            ("links", "account_b"), ("truth", "account_id")] + ([("labels", "account_id")] if with_labels else [])
    for n, c in refs:
        miss = t[n].select(pl.col(c).alias("account_id")).unique().join(ids, on="account_id", how="anti")
        if miss.height:
            probs.append(f"{n}.{c}: {miss.height} ids not in accounts, e.g. {miss['account_id'].head(5).to_list()}")
    if t["truth"].height != acc.height or t["truth"]["account_id"].n_unique() != acc.height:
        probs.append("truth: not one row per account")
    if with_labels:
        lab = t["labels"]
        if lab["account_id"].n_unique() != lab.height:
            probs.append("labels: duplicate account_id")
        if not lab["label"].is_in([0, 1]).all():
            probs.append("labels: values other than 0/1")
    if t["signals"].unique(["account_id", "kind", "value"]).height != t["signals"].height:
        probs.append("signals: duplicate (account_id, kind, value)")
    if t["links"].filter(pl.col("account_a") == pl.col("account_b")).height:
        probs.append("links: self links")
    # sanity: nothing happens before the account exists
    ev = t["events"].join(acc.select("account_id", "created_at"), on="account_id")
    nb = ev.filter(pl.col("ts") < pl.col("created_at")).height
    if nb:
        probs.append(f"events: {nb} before account creation")
    sg = t["signals"].join(acc.select("account_id", "created_at"), on="account_id")
    nb = sg.filter(pl.col("seen_at") < pl.col("created_at")).height
    if nb:
        probs.append(f"signals: {nb} seen before account creation")
    return probs


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-labels", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.time()
    out = Path(a.outdir)
    out.mkdir(parents=True, exist_ok=True)
    m = Market(a.accounts, a.seed)
    m.run()
    frames = m.frames(not a.no_labels)
    for name, df in frames.items():
        df.write_parquet(out / f"{name}.parquet")
    if a.no_labels and (out / "labels.parquet").exists():
        (out / "labels.parquet").unlink()  # stale file from an earlier labelled run into this folder
        print("removed stale labels.parquet")
    probs = check(out, not a.no_labels)
    for line in m.log:
        print("  ", line)
    for name, df in frames.items():
        print(f"{name:9s} {df.height:>9,} rows")
    tr = frames["truth"]
    print("planted groups (kind: count, sizes as planted; truth keeps one group per account by priority)")
    sizes: dict[str, list[int]] = {}
    for mem, kind, bad in m.G:
        sizes.setdefault(kind, []).append(len(mem))
    for kind in BAD_KINDS + sorted(k for k in sizes if k not in BAD_KINDS):
        v = sorted(sizes.get(kind, []))
        head = v if len(v) <= 16 else f"min {v[0]} median {v[len(v) // 2]} max {v[-1]} total {sum(v)}"
        print(f"  {'BAD ' if kind in BAD_KINDS else '    '}{kind:24s} {len(v):4d}  {head}")
    print(f"  lone bad accounts (no group): {len(m.solo)}")
    with pl.Config(tbl_rows=30):
        print(tr.group_by("group_kind").agg(pl.len().alias("accounts_in_truth"), pl.col("group_id").n_unique().alias("groups"),
                                            pl.col("is_bad").mean().alias("bad_share")).sort("group_kind"))
    if not a.no_labels:
        lab = frames["labels"]
        print(f"labels: {lab.height} ({lab.height / a.accounts:.1%}), ones {int(lab['label'].sum())}, flipped {m.n_flip}")
    print(f"bad accounts: {int(tr['is_bad'].sum())}; elapsed {time.time() - t0:.1f}s")
    if probs:
        print("CONTRACT PROBLEMS:\n  " + "\n  ".join(probs))
        return 1
    print("contract check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

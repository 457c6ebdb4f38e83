#!/usr/bin/env python
"""A twenty-second synthetic marketplace: a short-video shop with live commerce.

Written from DESIGN.md's input data contract alone (no syndicate code, tests or other generators
read).  Users watch short videos and live rooms, like / comment / share / follow, creators post
videos (tagging products) and go live, shops list products, buyers order (with coupons), review
with 1-5 stars, send virtual gifts in live rooms, affiliates earn commissions.

    python benchmarks/twentysecond_marketplace.py OUT_DIR --accounts 20000 --seed 1 \
        [--no-labels] [--report]

Output (parquet, byte-identical for the same arguments):

* ``accounts``  account_id (``u`` + 9 digits), created_at, account_type (viewer / creator / shop
  / affiliate / agency), country (ID VN TH PH MY SG TW; local time drives the daily rhythm).
* ``events``    account_id, action, target_id, ts, and an extra ``stars`` column (1-5 on
  ``review_post`` rows, null elsewhere).  Window: 2024-03-01 .. 2024-09-01 (184 days). Actions
  and their targets: video ``v…``: vid_view vid_like vid_comment vid_share vid_post; live room
  (one id per live session) ``lr…``: live_start live_enter live_like live_comment gift_send;
  product ``p…``: product_view cart_add order_place order_refund review_post product_tag (a
  video tags a product) product_list giftcard_buy; account id: follow, and login / pwd_reset /
  phone_rebind (target = the account itself); coupon ``cp…``: coupon_claim; group-buy deal
  ``gb…``: groupbuy_join.
* ``signals``   account_id, kind, value, seen_at.  Kinds: device_fp, device_model (a readable
  attribute shared by thousands), ip, phone, email_hash, card_fp, ship_addr (full address hash),
  addr_norm (building-level normalised address hash, shared by honest neighbours). Values are
  opaque 16-hex hashes (except device_model).
* ``links``     account_a, account_b, kind (referral / affiliate / mcn_contract), weight (1.0
  for referrals and contracts, the commission rate for affiliates).
* ``labels``    account_id, label (1 bad / 0 good) on ~10% of accounts (omitted by --no-labels).
* ``truth.parquet`` account_id, is_bad, group_id (``kind:flavour:NNN``; null for organic
  accounts and lone actors), group_kind.

Honest population: account creation 2019 .. window end (28% created in the window), a daily
rhythm in local time, heavy-tailed activity (lognormal, many light users, a few very heavy), 35%
churn, 18% of older accounts dormant; attention to videos decays after posting with a few viral
videos; live rooms get a push-notification burst in the first minute (the biggest 3-6 streams at
20k draw 150-600 strangers, most of them within a minute); the welcome coupon is claimed by ~55%
of new accounts within minutes of sign-up; a few honest password resets / phone re-binds /
gift-card purchases.  Identifiers: 1-4 devices per account (1% of later devices bought
second-hand from another account), carrier CGNAT IPs per country shared by thousands, home IPs,
public Wi-Fi, recycled phone numbers, popular device models, apartment buildings (addr_norm)
shared by dozens of households.

BAD groups (is_bad true; counts at 20k accounts, group counts scale with --accounts, every kind
keeps at least one group, so small datasets have a larger bad share: ~2.3% of accounts at 20k,
~2% at 100k, ~6% at 3k):

* ``matrix_studio`` (3 at 20k, 12 at 100k; 10-80 accounts): one operator, accounts worked one
  after another in office-hour sessions: near-duplicate posts, tags of one shop's products (its
  own shop account in the group, or a client shop), likes / comments / follows among themselves,
  affiliate links to the shop, a few self-orders; 30-60% of the accounts carry a card of a 1-3
  card pool and one of 1-3 studio addresses. flavours: ``rack`` (batch-created; 2-16 phones, one
  model, studio broadband IP, SIM-farm numbers, a fifth of them shared), ``reset`` (device-reset
  tool: 1-3 unique device ids per account, popular model, 4G dongles on carrier CGNAT IPs shared
  with strangers; the office IP on a quarter), ``aged`` (bought old accounts keeping their
  seller's device, IP and phone, activated in the window on the studio's few phones, with a
  phone re-bind), ``mixed`` (half rack, half reset).
* ``engagement_farm`` (2 at 20k, 3 at 100k; 50-90 workers at 20k, 50-300 from 66k accounts):
  crowd-work app workers on their own phones with their own numbers and organic lives; each job
  (30-90 per farm) on a client's new video or account uses 10-35% of the workers over 2-30
  minutes with jitter; they share only a residential / mobile proxy pool (60% of it honest home
  IPs, 40% carrier CGNAT).  flavours ``blunt`` (25-35% per job, 2-5 minutes), ``careful``
  (10-20%, 5-30 minutes, and cover likes on popular videos around each job).
* ``water_army`` (2, 15-40): enter a client streamer's live sessions in the first minutes, live
  likes, scripted comments, cheap gifts, a follow.  ``bot`` (batch-created, a few cloned
  emulator devices of a rare model, 2-5 data-centre IPs, numbers from an SMS-activation pool
  that a few honest accounts also held), ``crowd`` (real accounts with organic lives, proxy
  IPs).
* ``brushing_ring`` (2, 6-35): orders on one client shop's products with cart / view, 5-star
  reviews 2-7 days later, 15% refunded.  ``card_pool`` (2-5 shared cards, 2-4 drop addresses,
  orders jittered over weeks, reset devices), ``burst`` (unique virtual cards, 1-2 drop
  addresses, most members order within the hour on 2-4 days, 2-4 shared phones), ``aged``
  (bought old accounts with organic history, shared cards and drops, new devices).
* ``coupon_abuse`` (2, 10-40): accounts signed up in bursts, claiming the welcome coupon within
  minutes and ordering a popular cheap product within minutes; unique device ids, phones and
  emails, carrier CGNAT and proxy IPs.  ``addr`` (unique full addresses on 1-3 shared buildings
  (addr_norm), cash on delivery), ``cards`` (2-6 shared cards, unique addresses), ``referral``
  (1-3 inviters' referral links, shared buildings).
* ``review_attack`` (2, 8-22): 1-2-star reviews on a competitor's popular products within a
  week, after an order.  ``bought`` (old accounts with organic lives, proxy IPs), ``fresh`` (one
  sign-up batch a few days before, 2-4 shared phones, 1-2 cards and drops).
* ``ato_wave`` (1, 15-45 victims + 0-2 accomplice streamers): old accounts taken over within
  2-10 days: login from a new device and IP, password reset, phone re-bind, then gift-card
  purchases or gifts to an accomplice streamer's live room; the owner's own activity stops.
  ``shared_dev`` (2-5 attacker phones, data-centre IPs), ``emu`` (a new unique device id per
  victim of one emulator model, residential proxy IPs honest homes use).
* ``lone_actor`` (0.15% of accounts, no group): comment spammers, fake reviewers, coupon
  hoarders, scalpers.

BENIGN look-alike groups (is_bad false, group_id set):

* ``fan_club`` (3, 20-200): fans of one streamer entering most sessions within a minute of the
  push notification, gifts, comments, likes on the streamer's new videos within hours.
* ``mcn_agency`` (2, 10-60 creators + the agency account): an office IP on most creators, 2-5
  staff devices each on 30-80% of them, staff posting on the hour one creator after another with
  partner-shop product tags, cross-follows, mcn_contract links.
* ``merchant_office`` (2, 3-10): several shops and staff on one office IP, one company card, 1-3
  shared devices, test orders.
* ``family`` (240 at 20k, 2-6 members, ~4% of accounts): home IP, shipping address, often a
  tablet and a card shared; some created in the same week; co-watching.
* ``campus`` (1, 150-1200): campus NAT IPs, dorm buildings (addr_norm) and rooms, orientation
  sign-up bursts with welcome-coupon claims, trending products.
* ``office`` (2, 30-300): office NAT IPs, lunch-time activity.
* ``internet_cafe`` (1, 20-80): 5-20 shared PCs and one IP.
* ``flash_sale_crowd`` (2, 100-800): strangers ordering one product within a minute of a flash
  sale opening, after claiming its coupon.
* ``group_buy`` (25, 3-10): friends joining a group-buy deal and ordering within minutes, 1-4
  times; some on one shared IP.
* ``corporate_gifting`` (1, 2-6): a company card, office IP and devices, bulk orders and gift
  cards shipped to many addresses.
* ``giveaway_crowd`` (1, 100-600): strangers commenting, sharing and following within minutes of
  a creator's giveaway video.

Labels: enforcement found half of the bad groups (the careful flavours less often; 50-100% of
their members labelled 1, 5% of those wrongly 0), cleared 3% of the members of missed groups
(label 0), caught 25% of lone actors; one benign group (an agency, cafe, fan club or family) is
20-60% labelled 1; 0.1% of plain accounts wrongly 1; the rest of the ~10% are random 0s on
accounts that are not bad.

Not shared by design: farm workers, crowd water armies and bought review attackers keep their
own devices, phones, emails and home IPs (takeover victims keep theirs and gain the
attacker's); coupon abusers and card-pool
brushers have unique device ids, phones and emails; the only overlaps there are proxy / carrier
IPs (shared with strangers), cards, drop or building addresses, and timing. Honest look-alikes
share: families (home IP, address, often a tablet and a card), merchant offices and corporate
gifting (office IP, company card, devices), agencies (office IP, staff devices), cafés (PCs,
IP), campuses and offices (NAT IPs, dorm buildings), carrier CGNAT and public Wi-Fi (IPs across
thousands), recycled phone numbers and resold phones (pairs), apartment buildings (addr_norm);
crowds share only timing and a target.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("POLARS_MAX_THREADS", "2")

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

DAY = 86_400
HOUR = 3_600
MINUTE = 60
W0 = 1_709_251_200  # 2024-03-01T00:00:00Z
NDAYS = 184
W1 = W0 + NDAYS * DAY
T_MIN = 1_546_300_800  # 2019-01-01
PRE_DAYS = 30  # content posted before the window is still watched

COUNTRIES = np.array(["ID", "VN", "TH", "PH", "MY", "SG", "TW"])
COUNTRY_P = np.array([0.36, 0.17, 0.15, 0.14, 0.10, 0.03, 0.05])
TZ = np.array([7, 7, 7, 8, 8, 8, 8])

VIEWER, CREATOR, SHOP, AFFILIATE, AGENCY = range(5)
ATYPES = np.array(["viewer", "creator", "shop", "affiliate", "agency"])

ACTIONS = [
    ("vid_view", 0), ("vid_like", 0), ("vid_comment", 0), ("vid_share", 0), ("vid_post", 0),
    ("product_tag", 2), ("follow", 3), ("live_start", 1), ("live_enter", 1), ("live_like", 1),
    ("live_comment", 1), ("gift_send", 1), ("product_view", 2), ("cart_add", 2),
    ("order_place", 2), ("order_refund", 2), ("review_post", 2), ("coupon_claim", 4),
    ("groupbuy_join", 5), ("product_list", 2), ("login", 3), ("pwd_reset", 3),
    ("phone_rebind", 3), ("giftcard_buy", 2),
]
A = {name: i for i, (name, _) in enumerate(ACTIONS)}
ACT_TK = np.array([tk for _, tk in ACTIONS], dtype=np.int8)
TK_PREFIX = ["v", "lr", "p", None, "cp", "gb"]

SIG_KINDS = ["device_fp", "device_model", "ip", "phone", "email_hash", "card_fp", "ship_addr",
             "addr_norm"]
S = {k: i for i, k in enumerate(SIG_KINDS)}

BAD_KINDS = ["matrix_studio", "engagement_farm", "water_army", "brushing_ring", "coupon_abuse",
             "review_attack", "ato_wave", "lone_actor"]
BENIGN_KINDS = ["fan_club", "mcn_agency", "merchant_office", "family", "campus", "office",
                "internet_cafe", "flash_sale_crowd", "group_buy", "corporate_gifting",
                "giveaway_crowd"]
KINDS = ["organic"] + BAD_KINDS + BENIGN_KINDS
K = {k: i for i, k in enumerate(KINDS)}

_HUMAN = np.array([1.6, 0.9, 0.5, 0.35, 0.3, 0.5, 1.1, 2.0, 2.8, 3.0, 3.2, 3.5,
                   4.2, 4.0, 3.5, 3.4, 3.6, 4.1, 5.0, 6.1, 7.0, 7.1, 6.0, 3.6])
HUMAN_P = _HUMAN / _HUMAN.sum()
_LIVE = np.array([0.3, 0.1, 0, 0, 0, 0, 0, 0.1, 0.2, 0.3, 0.4, 0.5,
                  0.8, 0.8, 0.6, 0.5, 0.6, 0.8, 1.5, 3.0, 4.0, 4.0, 2.5, 1.0])
LIVE_P = _LIVE / _LIVE.sum()
_OFFICE = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.5, 2.0, 3.0, 3.0,
                    1.5, 2.0, 3.0, 3.0, 2.5, 2.0, 0.8, 0.2, 0, 0, 0, 0])
OFFICE_P = _OFFICE / _OFFICE.sum()
_NIGHT = np.array([3, 4, 4, 3, 2, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
                   0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.8, 1, 1.5, 2, 2.5])
NIGHT_P = _NIGHT / _NIGHT.sum()

N_MODELS = 260
_BRANDS = ["Oppa", "Vivio", "Samsong", "Xiaomy", "Realmi", "Infinex", "Tecna", "iFone", "Redmo",
           "Honr", "Nokla", "Poca"]

# organic primitives: view like comment share follow live pview cart order coupon login
PRIM_P = np.array([
    [.24, .24, .05, .03, .05, .10, .10, .04, .07, .04, .04],   # viewer
    [.20, .22, .10, .04, .08, .08, .08, .04, .06, .03, .07],   # creator
    [.15, .15, .08, .02, .05, .05, .25, .03, .04, .03, .15],   # shop
    [.18, .18, .06, .03, .06, .07, .20, .06, .08, .03, .05],   # affiliate
    [.20, .20, .10, .05, .10, .05, .10, .05, .02, .03, .10],   # agency
])
PRIM_CUM = np.cumsum(PRIM_P / PRIM_P.sum(1, keepdims=True), axis=1)
STARS_P = np.array([0.07, 0.04, 0.08, 0.18, 0.63])

M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def mix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


_LUT = np.frombuffer("".join(f"{i:02x}" for i in range(256)).encode(), dtype=np.uint8).reshape(256, 2)


def to_hex(u: np.ndarray) -> np.ndarray:
    b = u.astype(">u8").view(np.uint8).reshape(-1, 8)
    out = np.ascontiguousarray(_LUT[b].reshape(len(u), 16))
    return out.view("S16").ravel().astype("U16")


def ffill_buckets(keys: np.ndarray, nb: int):
    """lo/hi index per bucket of sorted keys; empty buckets borrow the previous non-empty one."""
    lo = np.searchsorted(keys, np.arange(nb), "left")
    hi = np.searchsorted(keys, np.arange(nb), "right")
    ok = hi > lo
    if not ok.any():
        raise RuntimeError("no items")
    idx = np.where(ok, np.arange(nb), -1)
    idx = np.maximum.accumulate(idx)
    first = np.flatnonzero(ok)[0]
    idx[idx < 0] = first
    return lo[idx], hi[idx]


class Market:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.seed = seed
        self.r = np.random.default_rng(seed)
        self.s = n / 20000
        self._ev: list = []
        self._sig: list = []
        self._links: list = []
        self.ctr = np.zeros(len(SIG_KINDS), np.int64)
        self.groups: list[dict] = []
        self.n_prod = 0
        self.n_sess = 0
        self.n_vid = 0
        self.n_coupon = 1 + 27  # 0 welcome, 1..27 weekly campaigns
        self.n_deal = 0
        self._prod: list = []
        self._sess: list = []
        self._vid: list = []

    # ------------------------------------------------------------------ helpers
    def ids(self, kind: str, k: int) -> np.ndarray:
        i = S[kind]
        a = np.arange(self.ctr[i], self.ctr[i] + k, dtype=np.int64)
        self.ctr[i] += k
        return a

    def ev(self, acc, act, tgt, ts, stars=0, organic=False):
        acc, tgt, ts, stars = np.broadcast_arrays(np.asarray(acc, np.int64), np.asarray(tgt, np.int64),
                                                  np.asarray(ts, np.int64), np.asarray(stars, np.int8))
        if acc.size == 0:
            return
        if np.ndim(act) == 0:
            act = np.full(acc.shape, act, np.int16)
        self._ev.append((acc.ravel().copy(), np.asarray(act, np.int16).ravel(), tgt.ravel().copy(),
                         ts.ravel().copy(), stars.ravel().copy(), np.full(acc.size, organic)))

    def sig(self, acc, kind, val, seen):
        acc, val, seen = np.broadcast_arrays(np.asarray(acc, np.int64), np.asarray(val, np.int64),
                                             np.asarray(seen, np.int64))
        if acc.size == 0:
            return
        self._sig.append((acc.ravel().copy(), np.full(acc.size, S[kind], np.int8), val.ravel().copy(),
                          seen.ravel().copy()))

    def devices(self, acc, dev, model, seen):
        self.sig(acc, "device_fp", dev, seen)
        self.sig(acc, "device_model", model, seen)

    def link(self, a, b, kind, w=1.0):
        a, b, w = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(b, np.int64), np.asarray(w, float))
        if a.size:
            self._links.append((a.ravel().copy(), b.ravel().copy(), kind, w.ravel().copy()))

    def local_ts(self, tz, day, p=HUMAN_P):
        day = np.asarray(day, np.int64)
        h = self.r.choice(24, size=day.shape, p=p)
        return W0 + day * DAY + h * HOUR + self.r.integers(0, HOUR, day.shape) - np.asarray(tz) * HOUR

    def take(self, k: int, cond=None) -> np.ndarray:
        m = self.free if cond is None else (self.free & cond)
        cand = np.flatnonzero(m)
        k = int(min(k, len(cand)))
        pick = np.sort(self.r.choice(cand, k, replace=False))
        self.free[pick] = False
        return pick

    def group(self, kind: str, flavour: str, members: np.ndarray, **kw) -> dict:
        bad = kind in BAD_KINDS
        nth = sum(1 for g in self.groups if g["kind"] == kind) + 1
        g = dict(kind=kind, flavour=flavour, members=np.asarray(members, np.int64), bad=bad,
                 gid=len(self.groups), name=f"{kind}:{flavour}:{nth:03d}", **kw)
        self.groups.append(g)
        self.gid[g["members"]] = g["gid"]
        self.gkind[g["members"]] = K[kind]
        self.bad[g["members"]] = bad
        return g

    def batch_created(self, k: int, lo: int, hi: int, nb: int, gap=(40, 400)) -> np.ndarray:
        r = self.r
        starts = np.sort(r.integers(lo, hi, nb))
        b = np.sort(r.integers(0, nb, k))
        out = np.empty(k, np.int64)
        for j in range(nb):
            sel = np.flatnonzero(b == j)
            out[sel] = starts[j] + np.cumsum(r.integers(gap[0], gap[1], len(sel)))
        return out

    def proxy_pool(self, size: int, country: int, home_share=0.6) -> np.ndarray:
        r = self.r
        nh = int(round(size * home_share))
        honest = np.flatnonzero((self.gid < 0) & (self.home_ip >= 0))
        homes = self.home_ip[r.choice(honest, nh, replace=False)] if nh else np.zeros(0, np.int64)
        cg = r.choice(self.cgnat[country], size - nh, replace=True)
        return np.unique(np.concatenate([homes, cg]))

    def zipf_pick(self, pool, k, a=1.0):
        w = 1.0 / np.arange(1, len(pool) + 1) ** a
        return self.r.choice(pool, k, p=w / w.sum())

    # ------------------------------------------------------------------ accounts
    def init_accounts(self):
        r, n = self.r, self.n
        self.country = r.choice(len(COUNTRIES), n, p=COUNTRY_P)
        pre = r.random(n) < 0.72
        created = np.where(pre, W0 - 3600 - (W0 - T_MIN - 2 * DAY) * r.random(n) ** 1.8,
                           W0 + (NDAYS * DAY - 3600) * r.random(n) ** 0.85)
        self.created = created.astype(np.int64)
        self.atype = r.choice(4, n, p=[0.86, 0.07, 0.025, 0.045]).astype(np.int8)
        self.scale = np.ones(n)
        old = self.created < W0 - 365 * DAY
        self.scale[old & (r.random(n) < 0.18)] = 0.0
        self.pop = r.pareto(1.3, n) + 0.05
        self.gid = np.full(n, -1, np.int64)
        self.gkind = np.zeros(n, np.int8)
        self.bad = np.zeros(n, bool)
        self.free = np.ones(n, bool)
        self.cut = np.full(n, W1 + 1, np.int64)
        # organic-signal switches
        self.f_dev = np.ones(n, bool)
        self.f_home = r.random(n) < 0.75
        self.f_mob = np.ones(n, bool)
        self.f_phone = np.ones(n, bool)
        self.f_email = r.random(n) < 0.65
        self.f_card = np.ones(n, bool)
        self.f_addr = np.ones(n, bool)
        self.hh = np.arange(n, dtype=np.int64)      # household (home ip, ship address)
        self.hh_card = np.full(n, -1, np.int64)     # shared card id (families, offices)
        self.force_stream = np.zeros(n, bool)
        self.no_stream = np.zeros(n, bool)
        # device models: zipf popularity
        w = 1.0 / np.arange(1, N_MODELS + 1) ** 1.05
        self.model_p = w / w.sum()
        self.honest_model_p = w[: N_MODELS - 30] / w[: N_MODELS - 30].sum()   # the last 30 are emulators / PCs
        # ip pools
        self.cgnat = []
        for c in range(len(COUNTRIES)):
            k = max(6, int(round(self.n / 250 * COUNTRY_P[c])))
            self.cgnat.append(self.ids("ip", k))
        self.wifi = self.ids("ip", max(10, n // 150))

    # ------------------------------------------------------------------ planning
    def plan(self):
        r, s, n = self.r, self.s, self.n
        old = self.created < W0 - 365 * DAY

        # ---- bad
        for i in range(max(1, round(2.4 * s), 3 if s >= 0.75 else 1)):
            fl = ["rack", "reset", "aged", "mixed"][i % 4]
            k = int(r.integers(*{"rack": (10, 41), "reset": (20, 81), "aged": (10, 46), "mixed": (15, 61)}[fl]))
            k = min(k, max(10, n // 80))
            cond = old if fl == "aged" else None
            m = self.take(k, cond)
            self.group("matrix_studio", fl, m, country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)),
                       own_shop=bool(r.random() < 0.5))
        fcap = int(np.clip(n / 220, 60, 300))
        for i in range(max(1, round(0.6 * s), 2 if s >= 0.75 else 1)):
            fl = ["blunt", "careful"][i % 2]
            m = self.take(int(r.integers(50, fcap + 1)))
            self.group("engagement_farm", fl, m, country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for i in range(max(1, round(2 * s))):
            fl = ["bot", "crowd"][i % 2]
            self.group("water_army", fl, self.take(int(r.integers(15, 41))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for i in range(max(1, round(2.5 * s))):
            fl = ["card_pool", "burst", "aged"][i % 3]
            self.group("brushing_ring", fl, self.take(int(r.integers(6, 36)), old if fl == "aged" else None),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for i in range(max(1, round(2 * s))):
            fl = ["addr", "cards", "referral"][i % 3]
            self.group("coupon_abuse", fl, self.take(int(r.integers(10, 41))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for i in range(max(1, round(2 * s))):
            fl = ["bought", "fresh"][i % 2]
            self.group("review_attack", fl, self.take(int(r.integers(8, 23)), old if fl == "bought" else None),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for i in range(max(1, round(1.0 * s))):
            fl = ["shared_dev", "emu"][i % 2]
            victims = self.take(int(r.integers(15, 46)), self.created < W0 - 300 * DAY)
            n_acc = int(r.integers(0, 3))
            acc = self.take(n_acc)
            self.group("ato_wave", fl, np.concatenate([victims, acc]), victims=victims, accomplices=acc)
        n_lone = int(round(0.0015 * n))
        lone = self.take(n_lone)
        self.lone = lone
        self.gkind[lone] = K["lone_actor"]
        self.bad[lone] = True

        # ---- benign
        for _ in range(max(2, round(3 * s))):
            self.group("fan_club", "fans", self.take(int(r.integers(20, int(min(200, max(40, n / 60))) + 1))))
        for _ in range(max(1, round(2 * s))):
            k = int(r.integers(10, 61))
            m = self.take(k + 1)
            self.group("mcn_agency", "studio", m, country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(1, round(2 * s))):
            self.group("merchant_office", "shops", self.take(int(r.integers(3, 11))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        # families, vectorised
        nf = int(round(0.012 * n))
        fs = r.choice([2, 3, 4, 5, 6], nf, p=[0.42, 0.28, 0.18, 0.08, 0.04])
        fm = self.take(int(fs.sum()))
        fm = r.permutation(fm)
        bounds = np.concatenate([[0], np.cumsum(fs)])
        self.families = []
        for j in range(nf):
            m = np.sort(fm[bounds[j]:bounds[j + 1]])
            if len(m) < 2:
                continue
            self.families.append(self.group("family", "home", m))
        for _ in range(max(1, round(1.0 * s))):
            self.group("campus", "university", self.take(int(r.integers(150, int(min(1200, max(200, n / 15))) + 1))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(1, round(2 * s))):
            self.group("office", "nat", self.take(int(r.integers(30, int(min(300, max(60, n / 60))) + 1))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(1, round(1.0 * s))):
            self.group("internet_cafe", "cafe", self.take(int(r.integers(20, 81))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(1, round(2 * s))):
            k = int(r.integers(100, int(min(800, max(150, n / 20))) + 1))
            self.group("flash_sale_crowd", "sale", self.take(k),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(3, round(25 * s))):
            self.group("group_buy", "friends", self.take(int(r.integers(3, 11))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(1, round(1.0 * s))):
            self.group("corporate_gifting", "company", self.take(int(r.integers(2, 7))),
                       country=int(r.choice(len(COUNTRIES), p=COUNTRY_P)))
        for _ in range(max(1, round(1.0 * s))):
            k = int(r.integers(100, int(min(600, max(150, n / 25))) + 1))
            self.group("giveaway_crowd", "strangers", self.take(k))

        for g in self.groups:
            getattr(self, "plan_" + g["kind"])(g)
        self.plan_lone()
        # home ips / addresses per household
        hh_u, inv = np.unique(self.hh, return_inverse=True)
        self.hh_ip = self.ids("ip", len(hh_u))[inv]
        self.home_ip = np.where(self.f_home, self.hh_ip, -1)
        self.hh_addr = self.ids("ship_addr", len(hh_u))[inv]
        nb = max(50, int(len(hh_u) * 0.55))
        bl = self.ids("addr_norm", nb)
        w = 1.0 / np.arange(1, nb + 1) ** 0.75
        self.hh_bldg = r.choice(bl, len(hh_u), p=w / w.sum())[inv]

    # per-kind plans (attributes only)
    def _set_country(self, m, c, frac=1.0):
        sel = m[self.r.random(len(m)) < frac]
        self.country[sel] = c

    def _off(self, m, *which):
        for w in which:
            getattr(self, "f_" + w)[m] = False

    def plan_matrix_studio(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        self._set_country(m, g["country"])
        self.atype[m] = np.where(r.random(len(m)) < 0.8, CREATOR, AFFILIATE)
        self.pop[m] = 0.05 + r.pareto(3.0, len(m)) * 0.2
        self.no_stream[m] = True
        if g["own_shop"]:
            self.atype[m[0]] = SHOP
        self._off(m, "dev", "home", "mob", "phone", "email", "card", "addr")
        if fl == "aged":
            g["ready"] = W0 + r.integers(0, 100 * DAY, len(m))
            self.scale[m] = 0.05
        else:
            nb = int(r.integers(2, 6))
            self.created[m] = self.batch_created(len(m), W0 - 250 * DAY, W0 + 110 * DAY, nb, (60, 600))
            g["ready"] = np.maximum(self.created[m] + 600, W0)
            self.scale[m] = 0.12

    def plan_engagement_farm(self, g):
        m = g["members"]
        self._set_country(m, g["country"], 0.85)
        self.atype[m] = VIEWER
        self.scale[m] = np.maximum(self.scale[m], 0.7)

    def plan_water_army(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"], 0.9)
        self.atype[m] = VIEWER
        if g["flavour"] == "bot":
            self.created[m] = self.batch_created(len(m), W0 - 120 * DAY, W0 + 20 * DAY, int(r.integers(1, 4)), (20, 200))
            self.scale[m] = 0.06
            self._off(m, "dev", "home", "mob", "phone", "email", "card", "addr")
        else:
            self.scale[m] = np.maximum(self.scale[m], 0.6)

    def plan_brushing_ring(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        self._set_country(m, g["country"])
        g["c0"] = W0 + int(r.integers(10, 110)) * DAY
        if fl == "aged":
            self.scale[m] = 0.5
            self._off(m, "card", "addr")
        else:
            self.created[m] = self.batch_created(len(m), g["c0"] - 150 * DAY, g["c0"] - 10 * DAY,
                                                 int(r.integers(1, 5)), (100, 3000))
            self.scale[m] = 0.15
            self._off(m, "dev", "home", "card", "addr", "email")

    def plan_coupon_abuse(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"])
        self.atype[m] = VIEWER
        ninv = int(r.integers(1, 4)) if g["flavour"] == "referral" else 0
        g["inviters"] = m[:ninv]
        new = m[ninv:]
        nb = int(r.integers(2, 7))
        self.created[new] = self.batch_created(len(new), W0 + 5 * DAY, W1 - 20 * DAY, nb, (30, 400))
        if ninv:
            self.created[m[:ninv]] = np.minimum(self.created[m[:ninv]], W0 - int(r.integers(30, 400)) * DAY)
        self.scale[new] = 0.04
        self._off(new, "dev", "home", "mob", "card", "addr", "email", "phone")

    def plan_review_attack(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"])
        g["t0"] = W0 + int(r.integers(20, NDAYS - 12)) * DAY + int(r.integers(0, DAY))
        if g["flavour"] == "fresh":
            self.created[m] = self.batch_created(len(m), g["t0"] - 10 * DAY, g["t0"] - 3 * DAY, 1, (60, 900))
            self.scale[m] = 0.05
            self._off(m, "dev", "home", "card", "addr", "email", "phone")
        else:
            self.scale[m] = np.maximum(self.scale[m], 0.5)
            self._off(m, "card", "addr")

    def plan_ato_wave(self, g):
        r = self.r
        v = g["victims"]
        g["w0"] = W0 + int(r.integers(25, NDAYS - 14)) * DAY
        dur = int(r.integers(2, 11)) * DAY
        g["tv"] = np.sort(g["w0"] + r.integers(0, dur, len(v)))
        order = r.permutation(len(v))
        g["victims"] = v[order]
        self.cut[g["victims"]] = g["tv"]
        self.scale[v] = np.minimum(self.scale[v] * 0.6 + 0.1, 1.0)
        acc = g["accomplices"]
        if len(acc):
            self.created[acc] = g["w0"] - r.integers(20, 90, len(acc)) * DAY
            self.atype[acc] = CREATOR
            self.scale[acc] = 0.2
            self.no_stream[acc] = True
            self._off(acc, "dev", "home", "email", "card", "addr")

    def plan_lone(self):
        r = self.r
        m = self.lone
        fl = r.choice(4, len(m))
        self.lone_fl = fl
        self.created[m] = np.where(fl == 0, W0 + r.integers(0, NDAYS - 20, len(m)) * DAY, self.created[m])
        self.scale[m] = np.where(fl == 0, 0.1, 0.6)

    def plan_fan_club(self, g):
        r, m = self.r, g["members"]
        streamers = np.flatnonzero(self.free & (self.created < W0 - 60 * DAY))
        st = int(r.choice(streamers))
        self.free[st] = False
        self.atype[st] = CREATOR
        self.force_stream[st] = True
        self.pop[st] = max(self.pop[st], 2.0 + r.pareto(1.5))
        g["streamer"] = st
        self.scale[st] = max(self.scale[st], 0.6)
        self._set_country(m, self.country[st], 0.8)
        self.scale[m] = np.maximum(self.scale[m], 0.5)

    def plan_mcn_agency(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"], 0.85)
        g["agency"] = m[0]
        g["creators"] = m[1:]
        self.atype[m[0]] = AGENCY
        self.atype[m[1:]] = CREATOR
        self.created[m[0]] = min(self.created[m[0]], W0 - 200 * DAY)
        self.pop[m[1:]] = 0.3 + r.pareto(1.2, len(m) - 1)
        self._off(m[:1], "dev", "home", "card", "addr")

    def plan_merchant_office(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"])
        nshop = int(r.integers(2, min(7, len(m)) + 1))
        g["shops"], g["staff"] = m[:nshop], m[nshop:]
        self.atype[g["shops"]] = SHOP
        self.force_stream[g["shops"][: max(1, nshop // 2)]] = True
        self.scale[m] = np.maximum(self.scale[m], 0.5)
        self.created[g["shops"]] = np.minimum(self.created[g["shops"]], W0 - r.integers(10, 900, nshop) * DAY)
        self._off(g["shops"], "dev", "home", "mob", "email")
        self._off(m, "card")
        self.hh[m] = m[0]
        self.hh_card[m] = self.ids("card_fp", 1)[0]

    def plan_family(self, g):
        r, m = self.r, g["members"]
        self.country[m] = self.country[m[0]]
        self.hh[m] = m[0]
        self.f_home[m] = True
        if r.random() < 0.5:
            self.hh_card[m] = self.ids("card_fp", 1)[0]
        if r.random() < 0.4:
            t = self.created[m].min()
            self.created[m] = t + np.sort(r.integers(0, 7 * DAY, len(m)))
        g["tablet"] = bool(r.random() < 0.6)

    def plan_campus(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"], 0.95)
        self.atype[m] = np.where(r.random(len(m)) < 0.9, VIEWER, CREATOR)
        # semester sign-up bursts
        starts = [W0 - 180 * DAY - 3 * DAY, W0 - 20 * DAY, W0 + 172 * DAY]
        burst = r.random(len(m)) < 0.55
        sb = r.choice(len(starts), len(m), p=[0.35, 0.3, 0.35])
        t = np.array(starts)[sb] + (r.gamma(1.5, 1.5, len(m)) * DAY).astype(np.int64)
        st0 = np.array(starts)[sb]
        late = t >= W1 - HOUR
        t[late] = st0[late] + (r.random(late.sum()) * (W1 - HOUR - st0[late])).astype(np.int64)
        self.created[m] = np.where(burst, t, self.created[m])
        self.f_home[m] = False
        # dorm rooms: 2-4 students share a room address
        nroom = max(1, len(m) // 3)
        room = r.integers(0, nroom, len(m))
        self.hh[m] = m[room % len(m)]
        g["rooms"] = room

    def plan_office(self, g):
        self._set_country(g["members"], g["country"], 0.95)

    def plan_internet_cafe(self, g):
        self._set_country(g["members"], g["country"])

    def plan_flash_sale_crowd(self, g):
        self._set_country(g["members"], g["country"], 0.9)

    def plan_group_buy(self, g):
        r, m = self.r, g["members"]
        self._set_country(m, g["country"])
        g["shared_ip"] = bool(r.random() < 0.3)

    def plan_corporate_gifting(self, g):
        m = g["members"]
        self._set_country(m, g["country"])
        self._off(m, "card", "addr", "home")
        self.hh_card[m] = self.ids("card_fp", 1)[0]

    def plan_giveaway_crowd(self, g):
        pass

    # ------------------------------------------------------------------ content
    def add_products(self, shop, list_ts, weight):
        shop, list_ts, weight = np.broadcast_arrays(np.asarray(shop, np.int64), np.asarray(list_ts, np.int64),
                                                    np.asarray(weight, float))
        ids = np.arange(self.n_prod, self.n_prod + shop.size)
        self.n_prod += shop.size
        self._prod.append((shop.copy(), list_ts.copy(), weight.copy()))
        return ids

    def add_sessions(self, host, start, dur, weight):
        host, start, dur, weight = np.broadcast_arrays(np.asarray(host, np.int64), np.asarray(start, np.int64),
                                                       np.asarray(dur, np.int64), np.asarray(weight, float))
        ids = np.arange(self.n_sess, self.n_sess + host.size)
        self.n_sess += host.size
        self._sess.append((host.copy(), start.copy(), dur.copy(), weight.copy()))
        self.ev(host, A["live_start"], ids, start)
        return ids

    def add_videos(self, owner, post, weight, emit=True):
        owner, post, weight = np.broadcast_arrays(np.asarray(owner, np.int64), np.asarray(post, np.int64),
                                                  np.asarray(weight, float))
        ids = np.arange(self.n_vid, self.n_vid + owner.size)
        self.n_vid += owner.size
        self._vid.append((owner.copy(), post.copy(), weight.copy()))
        if emit:
            inw = post >= W0
            self.ev(owner[inw], A["vid_post"], ids[inw], post[inw])
        return ids

    def active_days(self, acc):
        a = np.clip((self.created[acc] - W0) // DAY + 1, 0, NDAYS - 1)
        b = np.clip((np.minimum(self.cut[acc], W1) - W0) // DAY, a + 1, NDAYS)
        return a, b

    def content(self):
        r, n = self.r, self.n
        idx = np.arange(n)
        # ---- products: organic shops
        shops = np.flatnonzero(self.atype == SHOP)
        npr = np.minimum(1 + r.pareto(1.2, len(shops)) * 4, 60).astype(int)
        acc = np.repeat(shops, npr)
        inwin = r.random(len(acc)) < 0.3
        lo = np.maximum(self.created[acc], W0 - 700 * DAY)
        c0 = np.maximum(self.created[acc], W0)
        lt = np.where(inwin, c0 + (r.random(len(acc)) * (W1 - c0 - DAY)).astype(np.int64),
                      lo + (r.random(len(acc)) * np.maximum(W0 - lo, HOUR)).astype(np.int64))
        lt = np.where(inwin, np.maximum(lt, self.created[acc] + HOUR), np.minimum(lt, W0 - 1))
        w = (0.2 + self.pop[acc]) * r.pareto(1.1, len(acc))
        pid = self.add_products(acc, lt, w)
        self.shop_products = {}
        order = np.argsort(acc, kind="stable")
        sa, sp = acc[order], pid[order]
        u, starts = np.unique(sa, return_index=True)
        for a_, ps in zip(u, np.split(sp, starts[1:])):
            self.shop_products[int(a_)] = ps
        inw = (lt >= W0) & (lt < self.cut[acc])
        self.ev(acc[inw], A["product_list"], pid[inw], lt[inw])
        # gift cards of the platform's official shop
        offshop = int(r.choice(np.flatnonzero((self.atype == SHOP) & (self.gid < 0) & ~self.bad)))
        self.giftcards = self.add_products(np.full(4, offshop), W0 - 400 * DAY, 0.0)
        self.shop_products[offshop] = np.concatenate([self.shop_products.get(offshop, []),
                                                      self.giftcards]).astype(np.int64)
        # group products
        for g in self.groups:
            f = getattr(self, "products_" + g["kind"], None)
            if f:
                f(g)
        self.build_product_picker()
        # ---- live sessions
        cand = ((self.atype == CREATOR) & (r.random(n) < 0.25)) | ((self.atype == SHOP) & (r.random(n) < 0.15))
        streamers = np.flatnonzero((cand | self.force_stream) & ~self.no_stream & (self.scale > 0))
        a, b = self.active_days(streamers)
        lam = np.exp(r.normal(np.log(6), 0.9, len(streamers))) * (b - a) / NDAYS
        lam[self.force_stream[streamers]] = r.integers(15, 41, self.force_stream[streamers].sum())
        ns = r.poisson(lam)
        acc = np.repeat(streamers, ns)
        aa, bb = self.active_days(acc)
        day = aa + (r.random(len(acc)) * (bb - aa)).astype(np.int64)
        st = self.local_ts(TZ[self.country[acc]], day, LIVE_P)
        st = np.maximum(st, self.created[acc] + HOUR)
        dur = r.integers(40, 181, len(acc)) * MINUTE
        ok = st + dur < W1
        self.add_sessions(acc[ok], st[ok], dur[ok], self.pop[acc[ok]] * r.lognormal(0, 0.5, ok.sum()))
        for g in self.groups:
            f = getattr(self, "sessions_" + g["kind"], None)
            if f:
                f(g)
        # ---- organic videos
        posters = np.flatnonzero(((self.atype == CREATOR) | (self.atype == AFFILIATE) |
                                  ((self.atype == SHOP) & (r.random(n) < 0.3))) & ~self.bad & (self.scale > 0))
        lo = np.maximum(self.created[posters], W0 - PRE_DAYS * DAY)
        hi = np.minimum(self.cut[posters], W1)
        span = np.maximum(hi - lo, 0) / ((NDAYS + PRE_DAYS) * DAY)
        base = np.where(self.atype[posters] == CREATOR, 9.0, 3.0)
        nv = r.poisson(np.exp(r.normal(np.log(base), 0.9)) * span)
        acc = np.repeat(posters, nv)
        lo_d = (np.maximum(self.created[acc], W0 - PRE_DAYS * DAY) - W0) // DAY + 1
        hi_d = (np.minimum(self.cut[acc], W1) - W0) // DAY
        day = lo_d + (r.random(len(acc)) * np.maximum(hi_d - lo_d, 1)).astype(np.int64)
        pt = self.local_ts(TZ[self.country[acc]], day)
        ok = (pt < W1) & (pt > self.created[acc])
        acc, pt = acc[ok], pt[ok]
        w = self.pop[acc] * r.lognormal(0, 0.9, len(acc))
        viral = r.random(len(acc)) < 0.002
        w[viral] *= r.uniform(50, 300, viral.sum())
        vids = self.add_videos(acc, pt, w)
        # product tags by affiliates and shops
        tag = (self.atype[acc] != CREATOR) & (pt >= W0) & (r.random(len(acc)) < 0.8)
        ta, tt, tv = acc[tag], pt[tag], vids[tag]
        own = self.atype[ta] == SHOP
        prod = self.pick_products(tt)
        for i in np.flatnonzero(own):
            ps = self.shop_products.get(int(ta[i]))
            if ps is not None and len(ps):
                prod[i] = ps[r.integers(len(ps))]
        self.ev(ta, A["product_tag"], prod, tt + r.integers(5, 40, len(ta)))
        # affiliate links (affiliate -> shop of products they tag)
        aff = ~own
        if aff.any():
            pairs = np.unique(np.stack([ta[aff], self.p_shop[prod[aff]]], 1), axis=0)
            self.link(pairs[:, 0], pairs[:, 1], "affiliate", np.round(r.uniform(0.05, 0.3, len(pairs)), 2))
        # group videos
        for g in self.groups:
            f = getattr(self, "videos_" + g["kind"], None)
            if f:
                f(g)
        self.build_video_picker()
        self.build_session_picker()

    # pickers
    def build_product_picker(self):
        shop = np.concatenate([p[0] for p in self._prod])
        lt = np.concatenate([p[1] for p in self._prod])
        w = np.concatenate([p[2] for p in self._prod])
        self.p_shop, self.p_list, self.p_w = shop, lt, w
        o = np.argsort(lt, kind="stable")
        self.pp_order = o
        self.pp_t = lt[o]
        self.pp_cw = np.concatenate([[0.0], np.cumsum(w[o])])

    def pick_products(self, t):
        t = np.asarray(t)
        upto = np.maximum(np.searchsorted(self.pp_t, t, "right"), 1)
        # products listed in the window ramp up: an unseen product still gets its weight
        u = self.r.random(t.shape) * self.pp_cw[upto]
        j = np.clip(np.searchsorted(self.pp_cw, u, "right") - 1, 0, upto - 1)
        return self.pp_order[j]

    def build_video_picker(self):
        owner = np.concatenate([v[0] for v in self._vid])
        post = np.concatenate([v[1] for v in self._vid])
        w = np.concatenate([v[2] for v in self._vid])
        self.v_owner, self.v_post, self.v_w = owner, post, w
        o = np.argsort(post, kind="stable")
        self.vp_order = o
        self.vp_post = post[o]
        self.vp_cw = np.concatenate([[0.0], np.cumsum(w[o])])
        nd = NDAYS + PRE_DAYS + 1
        day = (post[o] - (W0 - PRE_DAYS * DAY)) // DAY
        self.vp_lo, self.vp_hi = ffill_buckets(day, nd)
        # per-owner videos for targeted actions
        oo = np.argsort(owner, kind="stable")
        self.vo_sorted_owner = owner[oo]
        self.vo_ids = oo

    def videos_of(self, acc, t_lo=-1, t_hi=W1 + 1):
        lo = np.searchsorted(self.vo_sorted_owner, acc, "left")
        hi = np.searchsorted(self.vo_sorted_owner, acc, "right")
        v = self.vo_ids[lo:hi]
        return v[(self.v_post[v] >= t_lo) & (self.v_post[v] < t_hi)]

    def pick_videos(self, t):
        r = self.r
        t = np.asarray(t, np.int64)
        near = r.random(t.shape) < 0.6
        lag = np.where(near, r.lognormal(np.log(6 * HOUR), 1.2, t.shape), r.lognormal(np.log(3 * DAY), 0.9, t.shape))
        d = np.clip((t - lag.astype(np.int64) - (W0 - PRE_DAYS * DAY)) // DAY, 0, len(self.vp_lo) - 1)
        lo, hi = self.vp_lo[d], self.vp_hi[d]
        u = self.vp_cw[lo] + r.random(t.shape) * (self.vp_cw[hi] - self.vp_cw[lo])
        j = np.clip(np.searchsorted(self.vp_cw, u, "right") - 1, lo, hi - 1)
        vid = self.vp_order[j]
        ts = np.maximum(t, self.v_post[vid] + 20 + r.exponential(900, t.shape).astype(np.int64))
        return vid, ts

    def build_session_picker(self):
        host = np.concatenate([x[0] for x in self._sess])
        st = np.concatenate([x[1] for x in self._sess])
        dur = np.concatenate([x[2] for x in self._sess])
        w = np.concatenate([x[3] for x in self._sess])
        self.s_host, self.s_start, self.s_dur, self.s_w = host, st, dur, w
        o = np.argsort(st, kind="stable")
        self.sp_order = o
        self.sp_cw = np.concatenate([[0.0], np.cumsum(w[o])])
        day = (st[o] - W0) // DAY
        self.sp_lo, self.sp_hi = ffill_buckets(day, NDAYS)
        ho = np.argsort(host, kind="stable")
        self.so_host = host[ho]
        self.so_ids = ho

    def sessions_of(self, acc):
        lo = np.searchsorted(self.so_host, acc, "left")
        hi = np.searchsorted(self.so_host, acc, "right")
        return self.so_ids[lo:hi]

    def pick_sessions(self, t):
        r = self.r
        d = np.clip((np.asarray(t) - W0) // DAY, 0, NDAYS - 1)
        lo, hi = self.sp_lo[d], self.sp_hi[d]
        u = self.sp_cw[lo] + r.random(d.shape) * (self.sp_cw[hi] - self.sp_cw[lo])
        j = np.clip(np.searchsorted(self.sp_cw, u, "right") - 1, lo, hi - 1)
        sid = self.sp_order[j]
        push = r.random(d.shape) < 0.3
        off = np.where(push, r.exponential(40, d.shape), r.random(d.shape) * self.s_dur[sid] * 0.9).astype(np.int64)
        return sid, self.s_start[sid] + off

    def live_visit(self, acc, sid, ts, p_like=0.5, p_com=0.25, p_gift=0.1, organic=False, gifts=(1, 2)):
        r = self.r
        end = self.s_start[sid] + self.s_dur[sid]
        self.ev(acc, A["live_enter"], sid, ts, organic=organic)
        for act, p, sc in (("live_like", p_like, 120), ("live_comment", p_com, 200)):
            m = r.random(len(acc)) < p
            self.ev(acc[m], A[act], sid[m], np.minimum(ts[m] + 5 + r.exponential(sc, m.sum()).astype(np.int64), end[m]),
                    organic=organic)
        m = r.random(len(acc)) < p_gift
        k = r.integers(gifts[0], gifts[1] + 1, m.sum())
        ga, gs, gt = np.repeat(acc[m], k), np.repeat(sid[m], k), np.repeat(ts[m], k)
        self.ev(ga, A["gift_send"], gs, np.minimum(gt + 10 + r.exponential(300, len(ga)).astype(np.int64),
                                                    self.s_start[gs] + self.s_dur[gs]), organic=organic)

    def order_chain(self, acc, prod, ts, p_view=0.7, p_cart=0.6, p_rev=0.4, p_ref=0.06, stars=None,
                    rev_delay=(2, 12), organic=False):
        r = self.r
        k = len(acc)
        m = r.random(k) < p_view
        self.ev(acc[m], A["product_view"], prod[m], ts[m] - r.integers(30, 900, m.sum()), organic=organic)
        m = r.random(k) < p_cart
        self.ev(acc[m], A["cart_add"], prod[m], ts[m] - r.integers(10, 300, m.sum()), organic=organic)
        self.ev(acc, A["order_place"], prod, ts, organic=organic)
        m = r.random(k) < p_rev
        st = r.choice(5, m.sum(), p=STARS_P) + 1 if stars is None else np.asarray(stars)[m] if np.ndim(stars) else stars
        rt = ts[m] + (r.uniform(*rev_delay, m.sum()) * DAY).astype(np.int64)
        self.ev(acc[m], A["review_post"], prod[m], rt, stars=st, organic=organic)
        m2 = r.random(k) < p_ref
        self.ev(acc[m2], A["order_refund"], prod[m2], ts[m2] + (r.uniform(1, 10, m2.sum()) * DAY).astype(np.int64),
                organic=organic)

    # ------------------------------------------------------------------ organic events
    def organic_events(self):
        r, n = self.r, self.n
        a, b = self.active_days(np.arange(n))
        churn = r.random(n) < 0.35
        b = np.where(churn, np.minimum(b, a + 1 + r.exponential(45, n).astype(np.int64)), b)
        b = np.maximum(b, a + 1)
        span = b - a
        base = np.exp(r.normal(np.log(7.0), 1.15, n)) * self.scale * (span / NDAYS) ** 0.6
        k = r.poisson(np.minimum(base, 3000))
        acc = np.repeat(np.arange(n), k)
        day = a[acc] + (r.random(len(acc)) * span[acc]).astype(np.int64)
        ts = self.local_ts(TZ[self.country[acc]], day)
        ts = np.maximum(ts, self.created[acc] + 60 + r.exponential(1800, len(acc)).astype(np.int64))
        u = r.random(len(acc))
        prim = (u[:, None] > PRIM_CUM[self.atype[acc]]).sum(1)
        prim = np.minimum(prim, PRIM_CUM.shape[1] - 1)
        # videos
        for p, act in enumerate(["vid_view", "vid_like", "vid_comment", "vid_share"]):
            m = prim == p
            vid, t2 = self.pick_videos(ts[m])
            self.ev(acc[m], A[act], vid, t2, organic=True)
        # follows (creators by popularity)
        m = prim == 4
        cr = np.flatnonzero(((self.atype == CREATOR) | (self.atype == SHOP)) & ~self.bad)
        cw = np.cumsum(self.pop[cr])
        tg = cr[np.searchsorted(cw, r.random(m.sum()) * cw[-1], "right").clip(0, len(cr) - 1)]
        self.ev(acc[m], A["follow"], tg, ts[m], organic=True)
        # live
        m = prim == 5
        sid, t2 = self.pick_sessions(ts[m])
        self.live_visit(acc[m], sid, t2, organic=True)
        # products
        for p, act in ((6, "product_view"), (7, "cart_add")):
            m = prim == p
            self.ev(acc[m], A[act], self.pick_products(ts[m]), ts[m], organic=True)
        m = prim == 8
        self.order_chain(acc[m], self.pick_products(ts[m]), ts[m], organic=True)
        m = prim == 9
        self.ev(acc[m], A["coupon_claim"], 1 + (ts[m] - W0) // (7 * DAY), ts[m], organic=True)
        m = prim == 10
        self.ev(acc[m], A["login"], acc[m], ts[m], organic=True)
        # big streams: a push notification brings hundreds of strangers in within a minute
        nbig = max(3, int(round(6 * self.s)))
        big = np.argsort(-self.s_w, kind="stable")[:nbig]
        pool = np.flatnonzero((self.scale > 0) & ~self.bad)
        pw = np.minimum(self.scale[pool] * (1 + r.pareto(1.5, len(pool))), 50)
        pw /= pw.sum()
        for sid in big:
            k = int(r.integers(150, 601) * min(1.0, self.s) ** 0.5)
            aud = np.unique(r.choice(pool, k, p=pw))
            aud = aud[self.created[aud] < self.s_start[sid]]
            t = self.s_start[sid] + 2 + r.exponential(35, len(aud)).astype(np.int64)
            self.live_visit(aud, np.full(len(aud), sid), t, p_like=0.6, p_com=0.2, p_gift=0.05, organic=True)
        # welcome coupon for new accounts
        new = np.flatnonzero((self.created >= W0) & (self.scale > 0.0) & ~self.bad)
        cl = new[r.random(len(new)) < 0.55]
        tc = self.created[cl] + 60 + r.exponential(900, len(cl)).astype(np.int64)
        self.ev(cl, A["coupon_claim"], 0, tc, organic=True)
        od = r.random(len(cl)) < 0.35
        to = tc[od] + 120 + r.exponential(2 * HOUR, od.sum()).astype(np.int64)
        self.order_chain(cl[od], self.pick_products(to), to, organic=True)
        # rare account actions
        for act, p in (("pwd_reset", 0.006), ("phone_rebind", 0.004), ("giftcard_buy", 0.012)):
            m = np.flatnonzero((r.random(n) < p) & (self.scale > 0))
            aa, bb = a[m], b[m]
            t = self.local_ts(TZ[self.country[m]], aa + (r.random(len(m)) * (bb - aa)).astype(np.int64))
            tgt = m if act != "giftcard_buy" else r.choice(self.giftcards, len(m))
            self.ev(m, A[act], tgt, t, organic=True)
            if act == "phone_rebind":
                self.sig(m, "phone", self.ids("phone", len(m)), t)
            if act == "pwd_reset":
                nd = r.random(len(m)) < 0.5
                self.devices(m[nd], self.ids("device_fp", nd.sum()),
                             r.choice(N_MODELS - 30, nd.sum(), p=self.honest_model_p), t[nd] - 30)
                self.ev(m[nd], A["login"], m[nd], t[nd] - 30, organic=True)

    # ------------------------------------------------------------------ group products / sessions / videos
    def products_matrix_studio(self, g):
        r, m = self.r, g["members"]
        if g["own_shop"]:
            shop = m[0]
            k = int(r.integers(3, 11))
            lt = np.maximum(g["ready"][0], W0) + r.integers(0, 20 * DAY, k)
            g["prods"] = self.add_products(np.full(k, shop), lt, 0.3 * r.pareto(2, k))
            self.ev(np.full(k, shop), A["product_list"], g["prods"], lt)
            self.shop_products[int(shop)] = g["prods"]
        else:
            cands = [s for s, ps in self.shop_products.items() if len(ps) >= 3 and self.gid[s] < 0]
            shop = int(r.choice(cands))
            g["prods"] = r.choice(self.shop_products[shop], int(min(6, len(self.shop_products[shop]))), replace=False)
        g["shop"] = shop

    def products_merchant_office(self, g):
        r = self.r
        pr = []
        for s_ in g["shops"]:
            k = int(r.integers(3, 21))
            lt = np.where(r.random(k) < 0.7, W0 - r.integers(1, 300, k) * DAY,
                          W0 + r.integers(0, NDAYS - 5, k) * DAY + r.integers(9, 18, k) * HOUR - TZ[g["country"]] * HOUR)
            lt = np.maximum(lt, self.created[s_] + DAY)
            p = self.add_products(np.full(k, s_), lt, 0.5 * r.pareto(1.3, k))
            inw = lt >= W0
            self.ev(np.full(inw.sum(), s_), A["product_list"], p[inw], lt[inw])
            self.shop_products[int(s_)] = np.concatenate([self.shop_products.get(int(s_), []), p]).astype(np.int64)
            pr.append(p)
        g["prods"] = np.concatenate(pr)

    def products_flash_sale_crowd(self, g):
        r = self.r
        cands = np.array([s for s, ps in self.shop_products.items()
                          if self.gid[s] < 0 and not self.bad[s] and self.created[s] < W0])
        shop = int(r.choice(cands))
        g["shop"] = shop
        T = W0 + int(r.integers(10, NDAYS - 10)) * DAY + int(r.choice([12, 20, 21])) * HOUR - TZ[g["country"]] * HOUR
        g["T"] = T
        k = int(r.integers(1, 3))
        g["prods"] = self.add_products(np.full(k, shop), T - r.integers(1, 5, k) * DAY, 2.0)
        self.ev(np.full(k, shop), A["product_list"], g["prods"], T - r.integers(1, 5, k) * DAY - HOUR)
        g["coupon"] = self.n_coupon
        self.n_coupon += 1

    def sessions_ato_wave(self, g):
        r = self.r
        g["rooms"] = np.zeros(0, np.int64)
        acc = g["accomplices"]
        if len(acc) == 0:
            return
        rooms = []
        for a_ in acc:
            k = int(r.integers(3, 8))
            st = g["w0"] - 5 * DAY + np.sort(r.integers(0, 20 * DAY, k))
            st = np.minimum(st, W1 - 4 * HOUR)
            rooms.append(self.add_sessions(np.full(k, a_), st, r.integers(60, 200, k) * MINUTE, 0.05))
        g["rooms"] = np.concatenate(rooms)

    def videos_matrix_studio(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        tz = TZ[g["country"]]
        ready = g["ready"]
        d0 = max(0, int((ready.min() - W0) // DAY))
        ndays = NDAYS - d0
        ns = int(min(ndays, r.integers(25, 71)))
        days = np.sort(r.choice(np.arange(d0, NDAYS), ns, replace=False))
        pool = np.zeros(0, np.int64)
        followed = 0
        self_orders = []
        for si, d in enumerate(days):
            t0 = W0 + d * DAY + int(r.integers(9, 20)) * HOUR - tz * HOUR + int(r.integers(0, HOUR))
            avail = m[ready <= t0]
            if len(avail) == 0:
                continue
            k = max(1, int(np.ceil(len(avail) * r.uniform(0.3, 1.0))))
            sub = r.permutation(avail)[:k]
            ts = t0 + np.cumsum(60 + r.exponential(100, k).astype(np.int64))
            post = r.random(k) < 0.8
            vids = self.add_videos(sub[post], ts[post] + 5, 0.25 * r.lognormal(0, 0.6, post.sum()))
            tag = r.random(post.sum()) < 0.7
            self.ev(sub[post][tag], A["product_tag"], r.choice(g["prods"], tag.sum()), ts[post][tag] + r.integers(8, 30, tag.sum()))
            if len(pool):
                nl = r.integers(0, 4, k)
                la = np.repeat(sub, nl)
                lt = np.repeat(ts, nl) + r.integers(20, 110, len(la))
                lv = r.choice(pool, len(la))
                ok = self.v_owner_tmp(lv) != la
                self.ev(la[ok], A["vid_like"], lv[ok], lt[ok])
                cm = r.random(k) < 0.3
                self.ev(sub[cm], A["vid_comment"], r.choice(pool, cm.sum()), ts[cm] + r.integers(30, 120, cm.sum()))
            if followed < 3:
                nf = r.integers(2, 7, k)
                fa = np.repeat(sub, nf)
                ft = r.choice(m, len(fa))
                ok = fa != ft
                self.ev(fa[ok], A["follow"], ft[ok], np.repeat(ts, nf)[ok] + r.integers(30, 150, ok.sum()))
                followed += 1
            if r.random() < 0.2:
                j = int(r.integers(k))
                self_orders.append((sub[j], int(r.choice(g["prods"])), int(ts[j] + r.integers(60, 300))))
            pool = np.concatenate([pool, vids])
        g["self_orders"] = self_orders
        if not g["own_shop"] or True:
            self.link(m[m != g["shop"]], g["shop"], "affiliate", round(float(r.uniform(0.1, 0.3)), 2))

    def v_owner_tmp(self, vids):
        owner = np.concatenate([v[0] for v in self._vid])
        return owner[vids]

    def videos_mcn_agency(self, g):
        r = self.r
        cr = g["creators"]
        tz = TZ[g["country"]]
        # partner shops
        cands = [s for s, ps in self.shop_products.items() if self.gid[s] < 0 and not self.bad[s]]
        partners = r.choice(np.array(cands), int(min(len(cands), r.integers(2, 5))), replace=False)
        prods = np.concatenate([self.shop_products[int(p)] for p in partners])
        g["prods"] = prods
        ns = int(r.integers(20, 61))
        days = np.sort(r.choice(NDAYS, ns, replace=False))
        allv, allt, allo = [], [], []
        for d in days:
            wd = (d + 4) % 7  # 2024-03-01 was a Friday
            if wd >= 5 and r.random() < 0.7:
                continue
            t0 = W0 + d * DAY + int(r.integers(10, 18)) * HOUR - tz * HOUR + int(r.integers(-180, 180))
            k = int(min(len(cr), r.integers(3, 13)))
            sub = r.permutation(cr)[:k]
            ts = t0 + np.cumsum(r.integers(60, 240, k))
            vids = self.add_videos(sub, ts, self.pop[sub] * r.lognormal(0, 0.7, k))
            tg = r.random(k) < 0.8
            self.ev(sub[tg], A["product_tag"], r.choice(prods, tg.sum()), ts[tg] + r.integers(10, 40, tg.sum()))
            allv.append(vids)
            allt.append(ts)
            allo.append(sub)
        g["staff_vids"] = (np.concatenate(allv), np.concatenate(allt), np.concatenate(allo)) if allv else None
        self.link(np.full(len(cr), g["agency"]), cr, "mcn_contract", 1.0)

    def videos_merchant_office(self, g):
        r = self.r
        staff = g["staff"] if len(g["staff"]) else g["shops"]
        k = int(r.integers(10, 40))
        who = r.choice(staff, k)
        d = r.integers(0, NDAYS, k)
        ts = self.local_ts(TZ[g["country"]], d, OFFICE_P)
        owner = r.choice(g["shops"], k)
        vids = self.add_videos(owner, ts, 0.4 * r.lognormal(0, 0.7, k))
        self.ev(owner, A["product_tag"], r.choice(g["prods"], k), ts + 20)
        del who, vids

    def videos_giveaway_crowd(self, g):
        r = self.r
        cr = np.flatnonzero((self.atype == CREATOR) & (self.gid < 0) & (self.created < W0 - 60 * DAY) & (self.pop > 1.5))
        if len(cr) == 0:
            cr = np.flatnonzero((self.atype == CREATOR) & (self.gid < 0))
        c = int(r.choice(cr))
        g["creator"] = c
        T = self.local_ts(TZ[self.country[c]], [int(r.integers(5, NDAYS - 10))])[0]
        g["T"] = T
        g["video"] = self.add_videos([c], [T], [20.0])[0]

    # ------------------------------------------------------------------ group acts
    def act_matrix_studio(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        k = len(m)
        ready = g["ready"]
        c = g["country"]
        # devices
        nph = max(2, k // int(r.integers(5, 13)))
        phones = self.ids("device_fp", nph)
        rack_model = int(r.choice(30))
        reset_models = r.choice(30, int(r.integers(1, 3)), replace=False)
        if fl == "mixed":
            is_rack = r.random(k) < 0.5
        else:
            is_rack = np.full(k, fl in ("rack", "aged"))
        office = self.ids("ip", int(r.integers(1, 3)))
        dongles = r.choice(self.cgnat[c], int(r.integers(3, 9)), replace=True)
        for i in range(k):
            a_, t = m[i], int(ready[i])
            if is_rack[i]:
                nd = 1 + int(r.random() < 0.3)
                self.devices(a_, r.choice(phones, nd, replace=False), rack_model, t + r.integers(0, 900, nd))
                self.sig(a_, "ip", office[int(r.integers(len(office)))], t + int(r.integers(0, 900)))
                if r.random() < 0.4:
                    self.sig(a_, "ip", r.choice(dongles), t + int(r.integers(0, 30 * DAY)))
            else:
                nd = int(r.integers(1, 4))
                self.devices(a_, self.ids("device_fp", nd), r.choice(reset_models, nd),
                             t + np.sort(r.integers(0, 60 * DAY, nd)) * (np.arange(nd) > 0))
                for ip in r.choice(dongles, int(r.integers(1, 4))):
                    self.sig(a_, "ip", ip, t + int(r.integers(0, 40 * DAY)))
                if r.random() < 0.25:
                    self.sig(a_, "ip", office[0], t + int(r.integers(0, 40 * DAY)))
        ph = self.ids("phone", k)
        if fl == "rack":
            sh = r.random(k) < 0.2
            ph[sh] = r.choice(ph[~sh], sh.sum()) if (~sh).any() else ph[sh]
        if fl == "aged":
            # seller's leftovers
            cr = self.created[m]
            self.devices(m, self.ids("device_fp", k), r.choice(N_MODELS, k, p=self.model_p), cr + 30)
            self.sig(m, "ip", self.ids("ip", k), cr + r.integers(60, 30 * DAY, k))
            self.sig(m, "phone", self.ids("phone", k), cr)
            self.sig(m, "phone", ph, ready + r.integers(60, 3600, k))
            self.ev(m, A["phone_rebind"], m, ready + r.integers(60, 3600, k))
            self.ev(m, A["login"], m, ready)
        else:
            self.sig(m, "phone", ph, self.created[m] + 5)
        em = r.random(k) < 0.5
        self.sig(m[em], "email_hash", self.ids("email_hash", em.sum()), self.created[m[em]] + 10)
        cards = self.ids("card_fp", int(r.integers(1, 4)))
        naddr = 1 if fl == "rack" else int(r.integers(1, 4))
        addrs = self.ids("ship_addr", naddr)
        bldgs = self.ids("addr_norm", naddr)
        payers = m[r.random(k) < (0.3 if fl in ("reset", "mixed") else 0.6)]
        for a_, p_, t_ in g["self_orders"]:
            self.order_chain(np.array([a_]), np.array([p_]), np.array([t_]), p_rev=0.8, stars=5, p_ref=0.0)
            payers = np.append(payers, a_)
        payers = np.unique(payers)
        t_p = np.maximum(self.created[payers], W0 - 10 * DAY) + DAY
        self.sig(payers, "card_fp", r.choice(cards, len(payers)), t_p)
        ai = r.integers(0, naddr, len(payers))
        self.sig(payers, "ship_addr", addrs[ai], t_p)
        self.sig(payers, "addr_norm", bldgs[ai], t_p)

    def act_engagement_farm(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        k = len(m)
        c = g["country"]
        tz = TZ[c]
        prop = r.pareto(1.5, k) + 0.3
        prop /= prop.sum()
        # clients: low/mid-popularity creators with in-window videos
        cr = np.unique(self.v_owner[(self.v_post >= W0) & (self.v_post < W1 - 3 * DAY)])
        cr = cr[(self.gid[cr] < 0) & (self.atype[cr] == CREATOR)]
        clients = r.choice(cr, int(min(len(cr), r.integers(4, 13))), replace=False)
        pool = self.proxy_pool(int(r.integers(15, 61)), c)
        nj = int(r.integers(30, 91))
        first_seen = np.full(k, W1, np.int64)
        cover = fl == "careful"
        cvids = np.concatenate([self.videos_of(int(c_), W0, W1 - DAY) for c_ in clients])
        cvids = r.permutation(cvids)
        used = 0
        for j in range(nj):
            follow_job = used >= len(cvids) or r.random() < 0.15
            if follow_job:
                cl = int(r.choice(clients))
                t0 = self.local_ts(tz, [int(r.integers(0, NDAYS - 1))])[0]
            else:
                v = int(cvids[used])
                used += 1
                cl = int(self.v_owner[v])
                t0 = int(self.v_post[v] + r.integers(10 * MINUTE, 36 * HOUR))
                h = ((t0 + tz * HOUR) % DAY) // HOUR
                if h < 8:
                    t0 += (9 - h) * HOUR
            if t0 >= W1 - HOUR:
                continue
            f = r.uniform(0.25, 0.35) if fl == "blunt" else r.uniform(0.10, 0.20)
            spread = r.uniform(120, 300) if fl == "blunt" else r.uniform(300, 1800)
            q = max(3, int(round(f * k)))
            w = r.choice(k, q, replace=False, p=prop)
            off = np.minimum(r.gamma(2.0, spread / 4, q), spread * 1.6).astype(np.int64) + r.integers(0, 30, q)
            ts = t0 + off
            acc = m[w]
            first_seen[w] = np.minimum(first_seen[w], ts)
            if follow_job:
                self.ev(acc, A["follow"], cl, ts)
                lm = r.random(q) < 0.5
                cv = self.videos_of(cl, -1, t0)
                if len(cv):
                    self.ev(acc[lm], A["vid_like"], r.choice(cv, lm.sum()), ts[lm] + r.integers(5, 60, lm.sum()))
            else:
                self.ev(acc, A["vid_view"], v, ts - r.integers(5, 40, q))
                lk = r.random(q) < 0.95
                self.ev(acc[lk], A["vid_like"], v, ts[lk])
                cm = r.random(q) < 0.3
                self.ev(acc[cm], A["vid_comment"], v, ts[cm] + r.integers(20, 90, cm.sum()))
                sh = r.random(q) < 0.12
                self.ev(acc[sh], A["vid_share"], v, ts[sh] + r.integers(10, 60, sh.sum()))
                fo = r.random(q) < 0.15
                self.ev(acc[fo], A["follow"], cl, ts[fo] + r.integers(10, 120, fo.sum()))
            if cover:
                nc = r.integers(1, 3, q)
                ca = np.repeat(acc, nc)
                ct = np.repeat(ts, nc) + r.integers(-1200, 1200, len(ca))
                cv, ct2 = self.pick_videos(ct)
                self.ev(ca, A["vid_like"], cv, ct2)
        # proxy ips
        nip = r.integers(1, 5, k)
        acc = np.repeat(m, nip)
        ips = self.zipf_pick(pool, len(acc), 0.8)
        fs = np.repeat(np.where(first_seen < W1, first_seen, W0 + r.integers(0, NDAYS * DAY, k)), nip)
        later = (np.arange(len(acc)) % 2) * r.integers(0, 20 * DAY, len(acc))
        self.sig(acc, "ip", ips, fs - r.integers(0, 600, len(acc)) + later)

    def act_water_army(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        k = len(m)
        c = g["country"]
        hosts, cnt = np.unique(self.s_host, return_counts=True)
        ok = (cnt >= 8) & (self.gid[hosts] < 0) & ~self.force_stream[hosts]
        cand = hosts[ok] if ok.any() else hosts[np.argsort(-cnt)[:5]]
        client = int(r.choice(cand))
        g["client"] = client
        sess = self.sessions_of(client)
        start_ok = self.s_start[sess] > self.created[m].max() + HOUR
        sess = sess[start_ok] if start_ok.sum() >= 4 else sess
        sess = r.choice(sess, int(min(len(sess), r.integers(6, 26))), replace=False)
        g["sessions"] = sess
        follow_done = np.zeros(k, bool)
        for sid in sess:
            p = r.uniform(0.4, 0.9)
            sel = np.flatnonzero(r.random(k) < p)
            sel = sel[self.created[m[sel]] < self.s_start[sid]]
            if len(sel) == 0:
                continue
            st = self.s_start[sid]
            if fl == "bot":
                off = r.integers(5, 120, len(sel))
            else:
                off = np.minimum(r.exponential(150, len(sel)), 600).astype(np.int64) + 5
            ts = st + off
            acc = m[sel]
            sids = np.full(len(sel), sid)
            self.live_visit(acc, sids, ts, p_like=0.9, p_com=0.8, p_gift=0.6, gifts=(1, 3))
            nf = ~follow_done[sel]
            self.ev(acc[nf], A["follow"], client, ts[nf] + r.integers(30, 300, nf.sum()))
            follow_done[sel] = True
        if fl == "bot":
            nd = max(2, k // 8)
            devs = self.ids("device_fp", nd)
            model = int(N_MODELS - 1 - r.integers(0, 10))
            cr = self.created[m]
            for j in range(k):
                self.devices(m[j], r.choice(devs, 1 + int(r.random() < 0.3), replace=False), model,
                             cr[j] + int(r.integers(0, 300)))
            dc = self.ids("ip", int(r.integers(2, 6)))
            self.sig(m, "ip", r.choice(dc, k), cr + 10)
            smspool = self.ids("phone", max(3, k // 4))
            self.sig(m, "phone", r.choice(smspool, k), cr)
            # the same SMS-activation numbers were rented by a few honest users as well
            hon = np.flatnonzero(self.gid < 0)
            hn = r.choice(hon, int(r.integers(1, 4)) * len(smspool) // 3 + 1, replace=False)
            self.sig(hn, "phone", r.choice(smspool, len(hn)), self.created[hn] + r.integers(0, 90 * DAY, len(hn)))
        else:
            pool = self.proxy_pool(int(r.integers(10, 31)), c)
            nip = r.integers(1, 4, k)
            acc = np.repeat(m, nip)
            self.sig(acc, "ip", self.zipf_pick(pool, len(acc), 0.7),
                     np.maximum(self.s_start[sess].min() - r.integers(0, 5 * DAY, len(acc)), self.created[acc] + 60))

    def act_fan_club(self, g):
        r, m = self.r, g["members"]
        k = len(m)
        st_acc = g["streamer"]
        sess = self.sessions_of(st_acc)
        loyal = r.beta(2, 2, k)
        for sid in sess:
            sel = np.flatnonzero(r.random(k) < loyal)
            sel = sel[self.created[m[sel]] < self.s_start[sid]]
            if len(sel) == 0:
                continue
            push = r.random(len(sel)) < 0.55
            off = np.where(push, r.exponential(40, len(sel)), r.random(len(sel)) * self.s_dur[sid] * 0.6).astype(np.int64) + 3
            self.live_visit(m[sel], np.full(len(sel), sid), self.s_start[sid] + off, p_like=0.8, p_com=0.6,
                            p_gift=0.35, gifts=(1, 5))
        self.ev(m, A["follow"], st_acc, np.maximum(self.created[m], W0) + r.integers(0, 60 * DAY, k))
        vs = self.videos_of(st_acc, W0, W1)
        for v in vs:
            sel = m[r.random(k) < 0.3]
            t = self.v_post[v] + (r.lognormal(np.log(2 * HOUR), 1.0, len(sel))).astype(np.int64)
            self.ev(sel, A["vid_like"], v, t)

    def act_mcn_agency(self, g):
        r, m = self.r, g["members"]
        cr = g["creators"]
        k = len(cr)
        office = self.ids("ip", int(r.integers(1, 4)))
        on = m[r.random(len(m)) < 0.9]
        self.sig(on, "ip", r.choice(office, len(on)),
                 np.maximum(self.created[on], W0 - 200 * DAY) + r.integers(0, 30 * DAY, len(on)))
        nstaff = int(r.integers(2, 6))
        devs = self.ids("device_fp", nstaff)
        models = r.choice(20, nstaff)
        for d, md in zip(devs, models):
            sel = m[r.random(len(m)) < r.uniform(0.3, 0.8)]
            self.devices(sel, d, md, np.maximum(self.created[sel], W0 - 100 * DAY) + r.integers(0, 20 * DAY, len(sel)))
        # cross follows, over time
        nf = r.integers(3, 11, k)
        fa = np.repeat(cr, nf)
        ft = r.choice(cr, len(fa))
        ok = fa != ft
        d = r.integers(0, NDAYS, ok.sum())
        self.ev(fa[ok], A["follow"], ft[ok], self.local_ts(TZ[self.country[fa[ok]]], d))
        if g["staff_vids"] is not None:
            vids, ts, own = g["staff_vids"]
            nl = r.integers(0, 4, len(vids))
            la = r.choice(cr, int(nl.sum()))
            lv = np.repeat(vids, nl)
            lt = np.repeat(ts, nl) + r.lognormal(np.log(3 * HOUR), 1.0, len(la)).astype(np.int64)
            ok = la != np.repeat(own, nl)
            self.ev(la[ok], A["vid_like"], lv[ok], lt[ok])

    def act_merchant_office(self, g):
        r, m = self.r, g["members"]
        c = g["country"]
        ip = self.ids("ip", 1)[0]
        self.sig(m, "ip", ip, np.maximum(self.created[m], W0 - 300 * DAY) + r.integers(0, 10 * DAY, len(m)))
        devs = self.ids("device_fp", int(r.integers(1, 4)))
        md = int(r.choice(40))
        for a_ in m:
            self.devices(a_, r.choice(devs, int(r.integers(1, len(devs) + 1)), replace=False), md,
                         self.created[a_] + int(r.integers(60, 5 * DAY)))
        card = self.hh_card[m[0]]
        no = int(r.integers(2, 7))
        who = r.choice(g["staff"] if len(g["staff"]) else g["shops"], no)
        t = self.local_ts(TZ[c], r.integers(0, NDAYS - 1, no), OFFICE_P)
        self.order_chain(who, r.choice(g["prods"], no), t, p_rev=0.1, p_ref=0.5)
        self.sig(who, "card_fp", card, t - 100)
        self.sig(m[:1], "card_fp", card, self.created[m[0]] + DAY)

    def act_family(self, g):
        r, m = self.r, g["members"]
        if g["tablet"]:
            d = self.ids("device_fp", 1)[0]
            sel = m[r.random(len(m)) < 0.8]
            self.devices(sel, d, int(r.choice(60)), self.created[sel] + r.integers(60, 60 * DAY, len(sel)))
        if r.random() < 0.3:
            # co-watching on the tablet
            k = int(r.integers(2, 7))
            t = self.local_ts(TZ[self.country[m[0]]], r.integers(0, NDAYS, k), HUMAN_P)
            vid, t = self.pick_videos(t)
            for a_ in m[:3]:
                ok = t > self.created[a_]
                self.ev(np.full(ok.sum(), a_), A["vid_like"], vid[ok], t[ok] + r.integers(0, 120, ok.sum()))
        if len(m) >= 2 and r.random() < 0.5:
            new = m[self.created[m] == self.created[m].max()][0]
            inv = m[m != new][0]
            self.link(inv, new, "referral")

    def act_campus(self, g):
        r, m = self.r, g["members"]
        k = len(m)
        nip = int(r.integers(3, 13))
        ips = self.ids("ip", nip)
        n_each = r.integers(1, 4, k)
        acc = np.repeat(m, n_each)
        self.sig(acc, "ip", self.zipf_pick(ips, len(acc), 0.7),
                 np.maximum(self.created[acc], W0 - 200 * DAY) + r.integers(0, 60 * DAY, len(acc)))
        # dorm buildings
        nb = int(r.integers(5, 21))
        bl = self.ids("addr_norm", nb)
        self.campus_bldg = getattr(self, "campus_bldg", {})
        rb = r.choice(bl, g["rooms"].max() + 1)
        self.campus_bldg.update({int(a_): int(rb[rm]) for a_, rm in zip(m, g["rooms"])})
        # trending products
        trend = self.pick_products(np.full(int(r.integers(3, 7)), W0 + 30 * DAY))
        no = int(k * r.uniform(0.15, 0.4))
        who = r.choice(m, no)
        a, b = self.active_days(who)
        t = self.local_ts(TZ[self.country[who]], a + (r.random(no) * (b - a)).astype(np.int64))
        self.order_chain(who, r.choice(trend, no), t)
        # referral chains among students
        newer = m[self.created[m] >= W0]
        if len(newer) > 3:
            nr = len(newer) // 4
            inv = r.choice(m, nr)
            tgt = r.choice(newer, nr, replace=False)
            ok = (inv != tgt) & (self.created[inv] < self.created[tgt])
            self.link(inv[ok], tgt[ok], "referral")

    def act_office(self, g):
        r, m = self.r, g["members"]
        k = len(m)
        ips = self.ids("ip", int(r.integers(1, 4)))
        self.sig(m, "ip", r.choice(ips, k), np.maximum(self.created[m], W0 - 300 * DAY) + r.integers(0, 30 * DAY, k))
        ne = r.integers(2, 11, k)
        acc = np.repeat(m, ne)
        a, b = self.active_days(acc)
        day = a + (r.random(len(acc)) * (b - a)).astype(np.int64)
        wd = (day + 4) % 7
        day = np.where(wd >= 5, np.maximum(day - 2, a), day)
        t = W0 + day * DAY + 12 * HOUR - TZ[self.country[acc]] * HOUR + r.integers(0, HOUR, len(acc))
        vid, t = self.pick_videos(t)
        self.ev(acc, np.where(r.random(len(acc)) < 0.5, A["vid_view"], A["vid_like"]), vid, t)

    def act_internet_cafe(self, g):
        r, m = self.r, g["members"]
        k = len(m)
        npc = int(r.integers(5, 21))
        pcs = self.ids("device_fp", npc)
        ip = self.ids("ip", 1)[0]
        n_each = r.integers(1, 5, k)
        acc = np.repeat(m, n_each)
        seen = np.maximum(self.created[acc], W0 - 100 * DAY) + r.integers(0, 150 * DAY, len(acc))
        self.devices(acc, r.choice(pcs, len(acc)), N_MODELS - 20, seen)
        self.sig(m, "ip", ip, np.maximum(self.created[m], W0 - 100 * DAY) + r.integers(0, 100 * DAY, k))
        # a few evening sessions of watching at the cafe
        ne = r.integers(2, 8, k)
        a2 = np.repeat(m, ne)
        a, b = self.active_days(a2)
        t = self.local_ts(TZ[self.country[a2]], a + (r.random(len(a2)) * (b - a)).astype(np.int64), NIGHT_P)
        vid, t = self.pick_videos(t)
        self.ev(a2, A["vid_view"], vid, t)

    def act_flash_sale_crowd(self, g):
        r, m = self.r, g["members"]
        k = len(m)
        T = g["T"]
        ok = self.created[m] < T - 600
        m = m[ok]
        k = len(m)
        off = r.exponential(25, k).astype(np.int64)
        ts = T + off
        prod = r.choice(g["prods"], k)
        self.ev(m, A["coupon_claim"], g["coupon"], T - r.integers(5, 600, k))
        self.order_chain(m, prod, ts, p_view=0.5, p_cart=0.9, p_rev=0.3, p_ref=0.05)

    def act_group_buy(self, g):
        r, m = self.r, g["members"]
        nd = int(r.integers(1, 5))
        tz = TZ[g["country"]]
        if g["shared_ip"]:
            ip = self.ids("ip", 1)[0]
            self.sig(m, "ip", ip, np.maximum(self.created[m], W0 - 100 * DAY) + r.integers(0, 30 * DAY, len(m)))
        for _ in range(nd):
            t0 = self.local_ts(tz, [int(r.integers(0, NDAYS - 1))])[0]
            sel = m[(r.random(len(m)) < 0.8) & (self.created[m] < t0)]
            if len(sel) < 2:
                continue
            deal = self.n_deal
            self.n_deal += 1
            ts = t0 + np.concatenate([[0], r.integers(30, 20 * MINUTE, len(sel) - 1)])
            self.ev(sel, A["groupbuy_join"], deal, ts)
            prod = self.pick_products([t0])[0]
            self.order_chain(sel, np.full(len(sel), prod), ts + r.integers(60, 600, len(sel)), p_view=0.3)

    def act_corporate_gifting(self, g):
        r, m = self.r, g["members"]
        c = g["country"]
        ip = self.ids("ip", 1)[0]
        self.sig(m, "ip", ip, np.maximum(self.created[m], W0 - 100 * DAY) + r.integers(0, 10 * DAY, len(m)))
        dev = self.ids("device_fp", int(r.integers(1, 3)))
        self.devices(m, r.choice(dev, len(m)), int(r.choice(20)), self.created[m] + 300)
        card = self.hh_card[m[0]]
        self.sig(m, "card_fp", card, np.maximum(self.created[m], W0 - 100 * DAY) + DAY)
        bldg = self.ids("addr_norm", 1)[0]
        self.sig(m, "addr_norm", bldg, self.created[m] + DAY)
        gift_set = self.pick_products(np.full(int(r.integers(2, 5)), W0))
        for _ in range(int(r.integers(3, 9))):
            t0 = self.local_ts(TZ[c], [int(r.integers(0, NDAYS - 15))], OFFICE_P)[0]
            no = int(r.integers(5, 31))
            who = r.choice(m, no)
            ts = t0 + np.sort(r.integers(0, 2 * HOUR, no))
            self.order_chain(who, r.choice(gift_set, no), ts, p_view=0.1, p_cart=0.2, p_rev=0.05, p_ref=0.02)
            self.sig(who, "ship_addr", self.ids("ship_addr", no), ts - 30)
            ng = int(r.integers(0, 6))
            if ng:
                gw = r.choice(m, ng)
                self.ev(gw, A["giftcard_buy"], r.choice(self.giftcards, ng), t0 + r.integers(0, 3 * HOUR, ng))

    def act_giveaway_crowd(self, g):
        r, m = self.r, g["members"]
        T = g["T"]
        m = m[self.created[m] < T]
        k = len(m)
        v = g["video"]
        ts = T + 30 + r.exponential(240, k).astype(np.int64)
        self.ev(m, A["vid_comment"], v, ts)
        lk = r.random(k) < 0.9
        self.ev(m[lk], A["vid_like"], v, ts[lk] - r.integers(2, 30, lk.sum()))
        sh = r.random(k) < 0.6
        self.ev(m[sh], A["vid_share"], v, ts[sh] + r.integers(5, 60, sh.sum()))
        fo = r.random(k) < 0.8
        self.ev(m[fo], A["follow"], g["creator"], ts[fo] + r.integers(5, 90, fo.sum()))

    def act_brushing_ring(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        k = len(m)
        c = g["country"]
        tz = TZ[c]
        cands = [s for s, ps in self.shop_products.items() if len(ps) >= 2 and self.gid[s] < 0 and not self.bad[s]]
        shop = int(r.choice(cands))
        g["shop"] = shop
        ps = self.shop_products[shop]
        prods = r.choice(ps, int(min(len(ps), r.integers(2, 7))), replace=False)
        c0 = g["c0"]
        if fl == "burst":
            nb = int(r.integers(2, 5))
            bdays = np.sort(r.choice(np.arange(0, 40), nb, replace=False))
            acc, ts = [], []
            for bd in bdays:
                t0 = c0 + bd * DAY + int(r.integers(10, 22)) * HOUR - tz * HOUR
                sel = m[r.random(k) < r.uniform(0.5, 0.9)]
                acc.append(sel)
                ts.append(t0 + r.exponential(15 * MINUTE, len(sel)).astype(np.int64))
            acc, ts = np.concatenate(acc), np.concatenate(ts)
        else:
            no = r.integers(1, 5, k)
            acc = np.repeat(m, no)
            span = int(r.integers(14, 61))
            ts = self.local_ts(tz, (c0 - W0) // DAY + r.integers(0, span, len(acc)))
        ok = (ts < W1 - 8 * DAY) & (ts > self.created[acc] + HOUR)
        acc, ts = acc[ok], ts[ok]
        pr = r.choice(prods, len(acc))
        self.order_chain(acc, pr, ts, p_view=0.8, p_cart=0.6, p_rev=0.9, p_ref=0.15, stars=5, rev_delay=(2, 7))
        # signals
        ncard = int(r.integers(2, 6))
        cards = self.ids("card_fp", ncard)
        drops = self.ids("ship_addr", int(r.integers(2, 5)) if fl != "burst" else int(r.integers(1, 3)))
        bl = self.ids("addr_norm", int(r.integers(1, 3)))
        dbl = r.choice(bl, len(drops))
        first = np.full(k, W1, np.int64)
        pos = np.searchsorted(m, acc)
        np.minimum.at(first, pos, ts)
        first = np.where(first < W1, first, np.maximum(self.created[m], W0)) - r.integers(60, 3600, k)
        if fl == "burst":
            self.sig(m, "card_fp", self.ids("card_fp", k), first)
            sh = r.random(k) < 0.3
            self.sig(m[sh], "card_fp", r.choice(cards[:1], sh.sum()), first[sh] + DAY)
        else:
            self.sig(m, "card_fp", r.choice(cards, k), first)
        di = r.integers(0, len(drops), k)
        self.sig(m, "ship_addr", drops[di], first)
        self.sig(m, "addr_norm", dbl[di], first)
        pool = self.proxy_pool(int(r.integers(3, 11)), c, 0.5)
        self.sig(m, "ip", r.choice(pool, k), first - r.integers(0, 600, k))
        if fl == "card_pool":
            models = r.choice(30, 2)
            self.devices(m, self.ids("device_fp", k), r.choice(models, k), self.created[m] + 60)
            ex = r.random(k) < 0.4
            self.devices(m[ex], self.ids("device_fp", ex.sum()), r.choice(models, ex.sum()), first[ex])
            self.sig(m, "phone", self.ids("phone", k), self.created[m])
        elif fl == "burst":
            phones = self.ids("device_fp", int(r.integers(2, 5)))
            self.devices(m, r.choice(phones, k), int(r.choice(40)), self.created[m] + 60)
            self.sig(m, "phone", self.ids("phone", k), self.created[m])
        else:
            nd = self.ids("device_fp", int(r.integers(1, 3)))
            self.devices(m, r.choice(nd, k), int(r.choice(40)), first - DAY)

    def act_coupon_abuse(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        c = g["country"]
        inv = g["inviters"]
        new = m[len(inv):]
        k = len(new)
        cr = self.created[new]
        tc = cr + r.integers(30, 600, k)
        self.ev(new, A["coupon_claim"], 0, tc)
        to = tc + r.integers(60, 1500, k)
        cheap = self.pick_products(np.full(int(r.integers(1, 5)), W0 + 60 * DAY))
        self.order_chain(new, r.choice(cheap, k), to, p_view=0.6, p_cart=0.5, p_rev=0.1, p_ref=0.05)
        cc = r.random(k) < 0.4
        self.ev(new[cc], A["coupon_claim"], 1 + (to[cc] - W0) // (7 * DAY), to[cc] + r.integers(60, 900, cc.sum()))
        models = r.choice(30, 2, replace=False)
        self.devices(new, self.ids("device_fp", k), r.choice(models, k), cr)
        self.sig(new, "phone", self.ids("phone", k), cr)
        em = r.random(k) < 0.8
        self.sig(new[em], "email_hash", self.ids("email_hash", em.sum()), cr[em])
        self.sig(new, "ip", r.choice(self.cgnat[c], k), cr)
        px = r.random(k) < 0.5
        pool = self.proxy_pool(int(r.integers(5, 16)), c, 0.5)
        self.sig(new[px], "ip", r.choice(pool, px.sum()), cr[px] + 30)
        self.sig(new, "ship_addr", self.ids("ship_addr", k), to - 60)
        if fl in ("addr", "referral"):
            bl = self.ids("addr_norm", int(r.integers(1, 4)))
            self.sig(new, "addr_norm", r.choice(bl, k), to - 60)
            cd = r.random(k) < 0.3
            self.sig(new[cd], "card_fp", self.ids("card_fp", cd.sum()), to[cd] - 60)
        else:
            self.sig(new, "addr_norm", r.integers(0, self.ctr[S["addr_norm"]], k), to - 60)
            cards = self.ids("card_fp", int(r.integers(2, 7)))
            self.sig(new, "card_fp", r.choice(cards, k), to - 60)
        if len(inv):
            self.link(r.choice(inv, k), new, "referral")

    def act_review_attack(self, g):
        r, m, fl = self.r, g["members"], g["flavour"]
        k = len(m)
        c = g["country"]
        t0 = g["t0"]
        # competitor: a shop with well-sold products
        shops = np.array([s for s, ps in self.shop_products.items() if len(ps) >= 2 and self.gid[s] < 0 and not self.bad[s]])
        wsum = np.array([self.p_w[self.shop_products[int(s)]].sum() for s in shops])
        shop = int(shops[np.argsort(-wsum)[int(r.integers(0, min(20, len(shops))))]])
        g["shop"] = shop
        ps = self.shop_products[shop]
        ps = ps[self.p_list[ps] < t0]
        if len(ps) == 0:
            ps = self.shop_products[shop]
        prods = ps[np.argsort(-self.p_w[ps])][: int(r.integers(2, 6))]
        to = t0 + r.integers(0, 3 * DAY, k)
        pr = r.choice(prods, k)
        stars = np.where(r.random(k) < 0.9, 1, 2)
        self.order_chain(m, pr, to, p_view=0.7, p_cart=0.3, p_rev=1.0, p_ref=0.2, stars=stars, rev_delay=(1, 3.9))
        pool = self.proxy_pool(int(r.integers(3, 13)), c, 0.6)
        self.sig(m, "ip", r.choice(pool, k), to - r.integers(60, 3600, k))
        if fl == "fresh":
            devs = self.ids("device_fp", int(r.integers(2, 5)))
            self.devices(m, r.choice(devs, k), int(r.choice(30)), self.created[m] + 30)
            self.sig(m, "phone", self.ids("phone", k), self.created[m])
            cards = self.ids("card_fp", int(r.integers(1, 3)))
            self.sig(m, "card_fp", r.choice(cards, k), to - 120)
            drops = self.ids("ship_addr", int(r.integers(1, 3)))
            di = r.integers(0, len(drops), k)
            self.sig(m, "ship_addr", drops[di], to - 120)
            self.sig(m, "addr_norm", self.ids("addr_norm", len(drops))[di], to - 120)
        else:
            self.sig(m, "card_fp", self.ids("card_fp", k), to - 120)
            self.sig(m, "ship_addr", self.ids("ship_addr", k), to - 120)

    def act_ato_wave(self, g):
        r, fl = self.r, g["flavour"]
        v, tv = g["victims"], g["tv"]
        k = len(v)
        c = int(np.bincount(self.country[v]).argmax())
        self.ev(v, A["login"], v, tv)
        if fl == "shared_dev":
            devs = self.ids("device_fp", int(r.integers(2, 6)))
            self.devices(v, r.choice(devs, k), int(r.choice(30)), tv)
            ips = self.ids("ip", int(r.integers(4, 13)))
        else:
            self.devices(v, self.ids("device_fp", k), int(r.choice(30)), tv)
            ips = self.proxy_pool(int(r.integers(4, 13)), c, 0.7)
        self.sig(v, "ip", r.choice(ips, k), tv)
        tp = tv + r.integers(60, 1800, k)
        self.ev(v, A["pwd_reset"], v, tp)
        ph = r.random(k) < 0.8
        sims = self.ids("phone", int(r.integers(3, 9)))
        tph = tp[ph] + r.integers(300, 7200, ph.sum())
        self.ev(v[ph], A["phone_rebind"], v[ph], tph)
        self.sig(v[ph], "phone", r.choice(sims, ph.sum()), tph)
        rooms = g["rooms"]
        gift = (r.random(k) < 0.45) & (len(rooms) > 0)
        gc = ~gift
        ng = r.integers(1, 4, gc.sum())
        ga = np.repeat(v[gc], ng)
        gt = np.repeat(tp[gc], ng) + r.integers(600, 2 * DAY, len(ga))
        self.ev(ga, A["giftcard_buy"], r.choice(self.giftcards, len(ga)), gt)
        # a stored card pays when there is one (decided in finalize); otherwise, and on 30% of
        # the rest, the attacker adds one of a few cards
        g["attacker_cards"] = self.ids("card_fp", int(r.integers(1, 4)))
        g["gc_buyers"] = v[gc]
        g["gc_t"] = tp[gc] + 300
        g["gc_new_card"] = r.random(gc.sum()) < 0.3
        if gift.any():
            gv, gtp = v[gift], tp[gift]
            for a_, t_ in zip(gv, gtp):
                later = rooms[(self.s_start[rooms] > t_) & (self.s_start[rooms] < t_ + 7 * DAY)]
                if len(later) == 0:
                    later = rooms[np.argsort(np.abs(self.s_start[rooms] - t_))[:1]]
                sid = int(r.choice(later))
                te = max(int(self.s_start[sid]) + int(r.integers(30, 1200)), int(t_) + 60)
                self.live_visit(np.array([a_]), np.array([sid]), np.array([te]), p_like=0.3, p_com=0.1, p_gift=1.0,
                                gifts=(2, 8))
        acc = g["accomplices"]
        if len(acc):
            self.devices(acc, self.ids("device_fp", len(acc)), int(r.choice(30)), self.created[acc] + 60)
            self.sig(acc, "ip", r.choice(ips, len(acc)), self.created[acc] + 120)

    def act_lone(self):
        r = self.r
        for a_, fl in zip(self.lone, self.lone_fl):
            t0 = max(int(self.created[a_]), W0) + int(r.integers(HOUR, 10 * DAY))
            if t0 > W1 - 20 * DAY:
                t0 = W1 - 20 * DAY
            if fl == 0:      # comment spammer
                k = int(r.integers(30, 150))
                t = t0 + np.sort(r.integers(0, int(r.integers(2, 8)) * DAY, k))
                vid, t = self.pick_videos(t)
                self.ev(np.full(k, a_), A["vid_comment"], vid, t)
            elif fl == 1:    # fake reviewer for hire
                k = int(r.integers(8, 30))
                t = t0 + np.sort(r.integers(0, 60 * DAY, k))
                self.order_chain(np.full(k, a_), self.pick_products(t), t, p_rev=1.0, stars=np.where(r.random(k) < 0.8, 5, 1))
            elif fl == 2:    # coupon hoarder
                k = int(r.integers(10, 26))
                t = t0 + np.sort(r.integers(0, 120 * DAY, k))
                t = np.minimum(t, W1 - HOUR)
                self.ev(np.full(k, a_), A["coupon_claim"], 1 + (t - W0) // (7 * DAY), t)
                o = r.random(k) < 0.7
                self.order_chain(np.full(o.sum(), a_), self.pick_products(t[o]), t[o] + 300, p_ref=0.4)
            else:            # scalper: orders at odd hours, seconds after listings
                k = int(r.integers(8, 25))
                pl_ = self.p_list
                inw = np.flatnonzero((pl_ > t0) & (pl_ < W1 - DAY))
                if len(inw) == 0:
                    continue
                ps = r.choice(inw, k)
                t = pl_[ps] + r.integers(2, 40, k)
                self.order_chain(np.full(k, a_), ps, t, p_view=0.1, p_cart=0.0, p_rev=0.0, p_ref=0.3)

    # ------------------------------------------------------------------ organic signals
    def organic_signals(self, first_order):
        r, n = self.r, self.n
        idx = np.arange(n)
        cr = self.created
        # devices
        m = idx[self.f_dev]
        nd = 1 + (r.random(len(m)) < 0.30) + (r.random(len(m)) < 0.08) + (r.random(len(m)) < 0.02)
        acc = np.repeat(m, nd)
        first = np.concatenate([[True], acc[1:] != acc[:-1]])
        dev = self.ids("device_fp", len(acc))
        seen = np.where(first, cr[acc] + r.integers(5, 120, len(acc)),
                        cr[acc] + (r.random(len(acc)) * np.maximum(W1 - cr[acc], DAY)).astype(np.int64))
        resold = (~first) & (r.random(len(acc)) < 0.01)
        dev[resold] = r.choice(dev[first], resold.sum())
        model = r.choice(N_MODELS - 30, len(acc), p=self.honest_model_p)
        self.devices(acc, dev, model, seen)
        # home ip
        m = idx[self.home_ip >= 0]
        self.sig(m, "ip", self.home_ip[m], cr[m] + r.integers(60, 20 * DAY, len(m)))
        # carrier CGNAT
        m = idx[self.f_mob]
        k = r.choice(5, len(m), p=[0.15, 0.35, 0.27, 0.14, 0.09])
        acc = np.repeat(m, k)
        ctry = self.country[acc]
        ip = np.empty(len(acc), np.int64)
        for c in range(len(COUNTRIES)):
            sel = ctry == c
            if sel.any():
                ip[sel] = self.zipf_pick(self.cgnat[c], int(sel.sum()), 1.05)
        self.sig(acc, "ip", ip, cr[acc] + (r.random(len(acc)) * np.maximum(W1 - cr[acc], DAY)).astype(np.int64))
        # public wifi
        m = idx[r.random(n) < 0.12]
        k = r.integers(1, 3, len(m))
        acc = np.repeat(m, k)
        self.sig(acc, "ip", self.zipf_pick(self.wifi, len(acc), 0.6),
                 cr[acc] + (r.random(len(acc)) * np.maximum(W1 - cr[acc], DAY)).astype(np.int64))
        # phones (recycled numbers, second numbers)
        m = idx[self.f_phone & (r.random(n) < 0.96)]
        ph = self.ids("phone", len(m))
        self.sig(m, "phone", ph, cr[m])
        rec = r.random(len(m)) < 0.004
        donors = r.choice(ph, rec.sum())
        later = m[rec]
        self.sig(later, "phone", donors, cr[later] + r.integers(30 * DAY, 400 * DAY, len(later)))
        m2 = m[r.random(len(m)) < 0.02]
        self.sig(m2, "phone", self.ids("phone", len(m2)), cr[m2] + r.integers(DAY, 300 * DAY, len(m2)))
        # email
        m = idx[self.f_email]
        self.sig(m, "email_hash", self.ids("email_hash", len(m)), cr[m] + r.integers(0, 600, len(m)))
        # payment / address for buyers
        buyer = first_order < W1 + 10 * DAY
        fo = np.where(buyer, first_order, W1)
        m = idx[buyer & self.f_card & (r.random(n) < 0.85)]
        card = np.where(self.hh_card[m] >= 0, self.hh_card[m], -1)
        own = card < 0
        card[own] = self.ids("card_fp", own.sum())
        t = np.maximum(fo[m] - r.integers(30, 3600, len(m)), cr[m] + 60)
        self.sig(m, "card_fp", card, t)
        m2 = m[r.random(len(m)) < 0.12]
        self.sig(m2, "card_fp", self.ids("card_fp", len(m2)), np.maximum(fo[m2] + r.integers(DAY, 90 * DAY, len(m2)), cr[m2]))
        m = idx[buyer & self.f_addr]
        t = np.maximum(fo[m] - r.integers(30, 3600, len(m)), cr[m] + 60)
        self.sig(m, "ship_addr", self.hh_addr[m], t)
        bl = self.hh_bldg[m].copy()
        cb = getattr(self, "campus_bldg", {})
        if cb:
            keys = np.array(list(cb.keys()))
            vals = np.array(list(cb.values()))
            o = np.argsort(keys)
            keys, vals = keys[o], vals[o]
            pos = np.clip(np.searchsorted(keys, m), 0, len(keys) - 1)
            hit = keys[pos] == m
            bl[hit] = vals[pos[hit]]
        self.sig(m, "addr_norm", bl, t)
        # honest sellers' devices for shops whose device flag is off get nothing extra

    # ------------------------------------------------------------------ run
    def run(self):
        self.init_accounts()
        self.plan()
        self.content()
        self.organic_events()
        for g in self.groups:
            getattr(self, "act_" + g["kind"])(g)
        self.act_lone()
        self.organic_links()
        self.finalize()

    def organic_links(self):
        r, n = self.r, self.n
        new = np.flatnonzero((self.created >= W0 - 200 * DAY) & (self.gid < 0) & (r.random(n) < 0.08))
        if len(new) == 0:
            return
        older = np.flatnonzero(self.gid < 0)
        inv = r.choice(older, len(new))
        ok = (self.created[inv] < self.created[new]) & (inv != new)
        self.link(inv[ok], new[ok], "referral")

    # ------------------------------------------------------------------ output
    def finalize(self):
        r, n = self.r, self.n
        # account ids
        x = r.integers(100_000_000, 1_000_000_000, int(n * 1.2) + 100)
        _, first = np.unique(x, return_index=True)
        self.acc_num = x[np.sort(first)[:n]]
        E = [np.concatenate([e[i] for e in self._ev]) for i in range(6)]
        acc, act, tgt, ts, stars, org = E
        keep = (ts >= W0) & (ts < W1) & (ts >= self.created[acc])
        keep &= ~(org & (ts >= self.cut[acc]))
        acc, act, tgt, ts, stars = acc[keep], act[keep], tgt[keep], ts[keep], stars[keep]
        # follows, likes and coupon claims: once per pair; never follow oneself
        fol = (act == A["follow"]) | (act == A["vid_like"]) | (act == A["coupon_claim"])
        drop = (act == A["follow"]) & (tgt == acc)
        fi = np.flatnonzero(fol & ~drop)
        o = np.lexsort((ts[fi], tgt[fi], act[fi], acc[fi]))
        fi = fi[o]
        dup = np.zeros(len(fi), bool)
        dup[1:] = (acc[fi][1:] == acc[fi][:-1]) & (tgt[fi][1:] == tgt[fi][:-1]) & (act[fi][1:] == act[fi][:-1])
        drop[fi[dup]] = True
        keep = ~drop
        acc, act, tgt, ts, stars = acc[keep], act[keep], tgt[keep], ts[keep], stars[keep]
        o = np.lexsort((stars, tgt, act, acc, ts))
        acc, act, tgt, ts, stars = acc[o], act[o], tgt[o], ts[o], stars[o]
        self.E = (acc, act, tgt, ts, stars)
        # first order per account (for payment / address signals)
        buy = ((act == A["order_place"]) | (act == A["giftcard_buy"])) & (ts < self.cut[acc])
        first_order = np.full(n, W1 + 30 * DAY, np.int64)
        np.minimum.at(first_order, acc[buy], ts[buy])
        for g in self.groups:
            if g["kind"] == "ato_wave" and len(g.get("gc_buyers", [])):
                v = g["gc_buyers"]
                need = (first_order[v] >= W1) | g["gc_new_card"] | ~self.f_card[v]
                self.sig(v[need], "card_fp", self.r.choice(g["attacker_cards"], need.sum()), g["gc_t"][need])
        self.organic_signals(first_order)

    def tables(self, labels=True):
        r, n = self.r, self.n
        acc_str = pl.Series("account_id", np.char.add("u", self.acc_num.astype("U9")))
        accounts = pl.DataFrame({
            "account_id": acc_str,
            "created_at": pl.from_epoch(pl.Series(self.created), time_unit="s"),
            "account_type": ATYPES[self.atype],
            "country": COUNTRIES[self.country],
        }).sort("account_id")
        # events
        acc, act, tgt, ts, stars = self.E
        tk = ACT_TK[act]
        rnd = {}
        sizes = [self.n_vid, self.n_sess, self.n_prod, 0, self.n_coupon, max(self.n_deal, 1)]
        for t_, (pref, sz) in enumerate(zip(TK_PREFIX, sizes)):
            if pref is None:
                continue
            digits = {0: 10, 1: 11, 2: 12, 4: 6, 5: 8}[t_]
            lo = 10 ** (digits - 1)
            y = r.integers(lo, 10 * lo, int(sz * 1.3) + 50)
            _, fi = np.unique(y, return_index=True)
            rnd[t_] = np.char.add(pref, y[np.sort(fi)[:sz]].astype(f"U{digits}"))
        acc_s = acc_str.to_numpy()
        tstr = np.empty(len(acc), dtype=object)
        for t_ in range(6):
            sel = tk == t_
            if not sel.any():
                continue
            tstr[sel] = acc_s[tgt[sel]] if t_ == 3 else rnd[t_][tgt[sel]]
        events = pl.DataFrame({
            "account_id": acc_s[acc],
            "action": np.array([a for a, _ in ACTIONS])[act],
            "target_id": pl.Series(tstr.astype(str)),
            "ts": pl.from_epoch(pl.Series(ts), time_unit="s"),
            "stars": pl.Series(np.where(stars > 0, stars, 0), dtype=pl.Int8),
        }).with_columns(pl.when(pl.col("stars") > 0).then(pl.col("stars")).otherwise(None).alias("stars"))
        # signals
        G = [np.concatenate([s[i] for s in self._sig]) for i in range(4)]
        sacc, skind, sval, sseen = G
        late = sseen >= W1
        sseen[late] = W1 - r.integers(HOUR, 30 * DAY, late.sum())
        sseen = np.clip(np.maximum(sseen, self.created[sacc]), None, W1 - 1)
        o = np.lexsort((sseen, sval, skind, sacc))
        sacc, skind, sval, sseen = sacc[o], skind[o], sval[o], sseen[o]
        dup = np.zeros(len(sacc), bool)
        dup[1:] = (sacc[1:] == sacc[:-1]) & (skind[1:] == skind[:-1]) & (sval[1:] == sval[:-1])
        sacc, skind, sval, sseen = sacc[~dup], skind[~dup], sval[~dup], sseen[~dup]
        salt = np.uint64(self.seed * 1_000_003 + 17)
        with np.errstate(over="ignore"):
            h = mix64((sval.astype(np.uint64) * np.uint64(16) + skind.astype(np.uint64)) ^ (salt * np.uint64(0x9E3779B1)))
        vstr = to_hex(h).astype(object)
        ism = skind == S["device_model"]
        names = np.array([f"{_BRANDS[i % len(_BRANDS)]} {chr(65 + (i * 7) % 26)}{10 + (i * 37) % 90}"
                          + ("" if i < N_MODELS - 30 else " (generic)") for i in range(N_MODELS)])
        names[N_MODELS - 20] = "Windows PC web"
        vstr[ism] = names[sval[ism]]
        signals = pl.DataFrame({
            "account_id": acc_s[sacc],
            "kind": np.array(SIG_KINDS)[skind],
            "value": pl.Series(vstr.astype(str)),
            "seen_at": pl.from_epoch(pl.Series(sseen), time_unit="s"),
        })
        # links
        la = np.concatenate([l_[0] for l_ in self._links])
        lb = np.concatenate([l_[1] for l_ in self._links])
        lk = np.concatenate([np.full(len(l_[0]), l_[2], dtype=object) for l_ in self._links])
        lw = np.concatenate([l_[3] for l_ in self._links])
        ok = la != lb
        links = pl.DataFrame({"account_a": acc_s[la[ok]], "account_b": acc_s[lb[ok]],
                              "kind": pl.Series(lk[ok].astype(str)), "weight": lw[ok]})
        links = links.unique(subset=["account_a", "account_b", "kind"], keep="first", maintain_order=True)
        links = links.sort(["account_a", "account_b", "kind"])
        # truth
        gname = np.array([g["name"] for g in self.groups] + [None], dtype=object)
        truth = pl.DataFrame({
            "account_id": acc_s,
            "is_bad": self.bad,
            "group_id": pl.Series(gname[np.where(self.gid >= 0, self.gid, len(self.groups))].tolist(), dtype=pl.Utf8),
            "group_kind": np.array(KINDS)[self.gkind],
        }).sort("account_id")
        out = dict(accounts=accounts, events=events, signals=signals, links=links, truth=truth)
        if labels:
            out["labels"] = self.make_labels(acc_s)
        return out

    def make_labels(self, acc_s):
        r, n = self.r, self.n
        lab = np.full(n, -1, np.int8)
        badg = [g for g in self.groups if g["bad"]]
        # enforcement finds about half of the bad groups, blunt ones more often
        key = r.random(len(badg)) * np.array([0.6 if g["flavour"] in ("careful", "reset", "emu", "crowd", "bought")
                                              else 1.0 for g in badg])
        found = set(np.argsort(-key)[: int(round(0.5 * len(badg)))].tolist())
        for i, g in enumerate(badg):
            m = g["members"]
            if i in found:
                sel = m[r.random(len(m)) < r.uniform(0.5, 1.0)]
                lab[sel] = np.where(r.random(len(sel)) < 0.05, 0, 1)
            else:
                sel = m[r.random(len(m)) < 0.03]
                lab[sel] = 0
        lone = self.lone
        sel = lone[r.random(len(lone)) < 0.25]
        lab[sel] = 1
        ben = [g for g in self.groups if g["kind"] in ("mcn_agency", "internet_cafe", "fan_club", "family")]
        if ben:
            g = ben[int(r.integers(len(ben)))]
            if g["kind"] == "family":
                g = ben[int(r.integers(len(ben)))]
            m = g["members"]
            sel = m[r.random(len(m)) < r.uniform(0.2, 0.6)]
            lab[sel] = 1
        plain = np.flatnonzero((self.gkind == 0) & (lab < 0))
        fp = plain[r.random(len(plain)) < 0.001]
        lab[fp] = 1
        target = int(0.10 * n)
        rest = np.flatnonzero((lab < 0) & ~self.bad)
        need = max(0, target - int((lab >= 0).sum()))
        sel = r.choice(rest, min(need, len(rest)), replace=False)
        lab[sel] = 0
        ids = np.flatnonzero(lab >= 0)
        return pl.DataFrame({"account_id": acc_s[ids], "label": lab[ids].astype(np.int64)}).sort("account_id")


def report(t: dict):
    truth = t["truth"]
    print(f"accounts {t['accounts'].height:,}  events {t['events'].height:,}  signals {t['signals'].height:,}  "
          f"links {t['links'].height:,}" + (f"  labels {t['labels'].height:,}" if "labels" in t else ""))
    ev = t["events"].group_by("account_id").len()
    print(f"events per account: mean {t['events'].height / truth.height:.1f}, "
          f"median (active) {ev['len'].median():.0f}, max {ev['len'].max():,}")
    bad = truth.filter(pl.col("is_bad"))
    print(f"bad accounts {bad.height:,} ({bad.height / truth.height:.2%}); in groups "
          f"{bad.filter(pl.col('group_id').is_not_null()).height:,}")
    summ = (truth.group_by("group_kind")
            .agg(pl.len().alias("accounts"), pl.col("group_id").n_unique().alias("groups"),
                 pl.col("group_id").is_null().any().alias("has_null"), pl.col("is_bad").first().alias("bad"))
            .with_columns((pl.col("groups") - pl.col("has_null").cast(pl.UInt32)).alias("groups"))
            .drop("has_null").sort(["bad", "accounts"], descending=[True, True]))
    sizes = (truth.filter(pl.col("group_id").is_not_null()).group_by("group_kind", "group_id").len()
             .group_by("group_kind").agg(pl.col("len").min().alias("min_size"), pl.col("len").max().alias("max_size")))
    summ = summ.join(sizes, on="group_kind", how="left")
    with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(summ)
    if "labels" in t:
        lj = t["labels"].join(truth, on="account_id").group_by("label", "is_bad").len().sort("label", "is_bad")
        print("labels (label, truly bad, count): " + ", ".join(str(tuple(row)) for row in lj.iter_rows()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args(argv)
    if a.accounts < 3000:
        ap.error("--accounts must be at least 3000")
    t0 = time.time()
    mk = Market(a.accounts, a.seed)
    mk.run()
    t = mk.tables(labels=not a.no_labels)
    os.makedirs(a.out_dir, exist_ok=True)
    for name, df in t.items():
        df.write_parquet(os.path.join(a.out_dir, f"{name}.parquet"), statistics=True)
    if a.no_labels and os.path.exists(os.path.join(a.out_dir, "labels.parquet")):
        os.remove(os.path.join(a.out_dir, "labels.parquet"))
    el = time.time() - t0
    if a.report:
        report(t)
        sys.stdout.flush()
    print(f"wrote {a.out_dir} ({a.accounts:,} accounts, seed {a.seed}) in {el:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Sixth synthetic marketplace: "Playhub", a mobile game store with a creator community.

An independent test bed written from the data contract alone (docs: DESIGN.md, "Data
contract (inputs)"). It shares no code or assumptions with any other generator.

World
-----
Players install games, wishlist them, rate them (1-5 stars), buy in-app items, send items
as gifts to friends, follow streamers/creators, cheer and comment on creators' posts,
report posts or players and redeem promo and referral codes. Creators publish posts.
Shops and gaming cafes redeem physical gift cards for customers. 15 countries with their
own time zones; a diurnal rhythm in local time; accounts created from 2018-03 to 2025-05;
the event window is 2025-02-01 .. 2025-06-01 (120 days), heavy-tailed activity, ~20%
of accounts dormant in the window, ~20% churn part-way.

Tables written to OUTDIR (parquet)
----------------------------------
accounts  account_id str (16 hex), created_at datetime, account_type ("player"/"creator"),
          country (ISO-2)
signals   account_id, kind, value (hashed hex, except the two property kinds), seen_at
events    account_id, action, target_id, ts
links     account_a, account_b, kind ("friend" weight 1.0, "dm" weight = messages exchanged)
labels    account_id, label (Int64; 1 confirmed bad, 0 confirmed good) -- unless --no-labels
truth     account_id, is_bad, group_id, group_kind (not an input table; for evaluation)

Signal kinds (identifiers)
--------------------------
android_id    device id (households share a tablet, resold phones, cafe rental tablets,
              a shop till)
device_model  PROPERTY: phone/tablet model (Zipf; thousands share the popular ones)
email_domain  PROPERTY: e-mail domain (gmail.com for half the world; company/university
              domains; throw-away domains)
ip            carrier CGNAT addresses shared by hundreds to thousands, home, office,
              campus NAT, hotspot and residential-proxy addresses (the proxy pool is shared
              by VPN users and by several bad groups)
wifi_bssid    home routers, offices, campus access points, cafe and mall hotspots
msisdn_hash   phone number (recycled numbers reappear years later on a stranger's account;
              kids use a parent's number; SMS-activation numbers shared in promo rings)
card_fp       payment-card fingerprint (family cards shared, stolen cards in carding rings)
payout_wallet creator / trader payout wallet
ship_addr     merch / prize delivery address (hashed raw text, so spelling variants of one
              address hash differently)

Actions and target formats
--------------------------
install, wishlist                  app   "app.st017.g00456"
stars_1 .. stars_5                 app   (a review; the star count is in the action name)
iap_buy                            sku   "app.st017.g00456#sku07"
gift_send, follow                  player "u/<account_id>"  (follow targets a creator)
cheer, comment, publish            post  "post/0001234"
report                             post or player
redeem_promo                       "promo/LOOT25" campaign codes, "gc/9F3A..." gift cards
redeem_referral                    "inv/<8 char code>" (the referrer's invite code)

Planted groups at the default 20,000 accounts (counts scale with --accounts)
-----------------------------------------------------------------------------
Bad (is_bad = True), 31 groups, ~1,500 accounts in groups (sizes jitter +-15% by seed):
  device_farm      6 groups, ~10-200: fresh accounts registered in batches, every account a
                   fresh (spoofed) android_id, 1-3 farm wifi_bssids, a 3-8 address IP block,
                   1-2 payout wallets; paid installs + 5-star reviews for 2-5 client apps
                   around the clock, items gifted to 1-2 collector accounts.
  promo_ring       6 groups, ~8-100: fresh accounts created in a 1-3 day burst, referral
                   chain or star, all redeem the same promo code and buy its discounted
                   item; 2-3 shipping addresses with spelling variants, 2-3 emulator
                   devices shared by half of them, residential proxies, shared SMS numbers.
  carding_ring     3 groups, ~5-25: fresh accounts on 1-3 operator phones, 2-5 stolen cards
                   each, night-time bursts of premium in-app purchases gifted to 1-2 mules.
  review_ring      6 groups, ~5-45: old bought accounts (2-6 years), near-dormant, that
                   review the same 2-6 apps over 3-8 weeks (1-3 reviews each, 5 stars for
                   clients, 1 star for competitors); no shared identifiers at all.
  hijacked_botnet  4 groups, ~25-195: real organic accounts (own devices, households) taken
                   over at some date; afterwards they hit 4-7 targets (follow, cheer,
                   comment, 1-star, report) in strikes lasting minutes from 3-8 proxy IPs.
  engagement_crew  6 groups, ~15-170: organic-looking accounts with normal cover activity;
                   25-70 paid jobs, each using 10-35% of the crew within 3-30 minutes;
                   they share only a pool of 4-15 proxy IPs.
  (plus 0.5% lone bad accounts -- comment spammers / mass reporters -- with no group)
Benign look-alikes (is_bad = False, with a group_id):
  household        ~3,400 groups of 2-6 (~8,900 accounts): home IP/wifi, a family tablet,
                   a family card, a parent's phone number, one address typed differently.
  office           7 groups, ~20-240: office IP + wifi, company e-mail domain.
  campus           2 groups, ~200-800: campus NAT IPs, dozens of access points, .edu domain,
                   accounts created around semester starts.
  viral_moment     2 groups, ~650-2300: cheer (and comment on) one post within minutes.
  fan_club         5 groups, ~20-165: cheer their idol's 15-40 posts within minutes.
  shop_staff       4 groups, 3-10: a shared till tablet + shop wifi, each redeems 10-120
                   customers' gift cards in shop hours.
  gaming_cafe      3 groups, ~17-70: 4-12 rental tablets shared by everybody, cafe wifi/IP,
                   install the cafe's featured games.
Unlabelled noise (group_id null): CGNAT IPs, mall hotspots, recycled phone numbers,
resold phones, VPN users on the same residential-proxy pool as the bad groups, popular
device models and e-mail domains, viral-ish organic posts.

Labels (~6% of accounts, like a moderation queue): about a third of bad groups never
reviewed; reviewed bad groups 15-60% labelled 1; 20-45% of every botnet labelled 0 from
reviews before the takeover; shop staff, some cafes, offices, fan clubs and households
reviewed as good; organic accounts reviewed in proportion to their activity; 3% of all
labels wrong.

Usage:  python benchmarks/sixth_marketplace.py OUTDIR [--accounts N] [--seed S] [--no-labels]
Only numpy and polars; deterministic for a seed; vectorised (loops run over groups only).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY, HOUR, MIN = 86_400, 3_600, 60


def _epoch(s: str) -> int:
    return int(np.datetime64(s, "s").astype(np.int64))


T0 = _epoch("2025-02-01T00:00:00")  # event window start
T_END = _epoch("2025-06-01T00:00:00")  # event window end
BIRTH = _epoch("2018-03-01T00:00:00")  # platform launch

COUNTRIES = np.array(["ID", "BR", "US", "IN", "PH", "MX", "DE", "TR", "VN", "GB", "NG", "JP", "PL", "EG", "TH"])
TZ_SEC = (np.array([7, -3, -6, 5.5, 8, -6, 1, 3, 7, 0, 1, 9, 1, 2, 7]) * HOUR).astype(np.int64)
COUNTRY_P = np.array([14, 12, 12, 11, 7, 6, 5, 5, 5, 4, 4, 4, 3, 3, 5], float)
COUNTRY_P /= COUNTRY_P.sum()

# activity by local hour: quiet before dawn, lunch bump, evening peak
DIURNAL = np.array([1.0, .6, .35, .25, .2, .25, .5, 1.0, 1.5, 1.7, 1.8, 2.0,
                    2.4, 2.3, 2.0, 2.0, 2.2, 2.5, 3.0, 3.5, 3.8, 3.6, 2.8, 1.8])
DIURNAL_CDF = np.cumsum(DIURNAL) / DIURNAL.sum()
NIGHT = np.array([3.0, 3, 3, 2.5, 2, 1] + [0] * 17 + [1.5])  # carders work at night
NIGHT_CDF = np.cumsum(NIGHT) / NIGHT.sum()
SHOP_HOURS = np.array([0] * 10 + [1.0] * 10 + [0] * 4)
SHOP_CDF = np.cumsum(SHOP_HOURS) / SHOP_HOURS.sum()

KINDS = ["android_id", "device_model", "ip", "wifi_bssid", "msisdn_hash",
         "email_domain", "card_fp", "payout_wallet", "ship_addr"]
DEV, MODEL, IP, WIFI, PHONE, DOMAIN, CARD, WALLET, ADDR = range(len(KINDS))
HEX_LEN = {DEV: 16, IP: 12, WIFI: 12, PHONE: 20, CARD: 16, WALLET: 24, ADDR: 16}
HEX_PREFIX = {DEV: "", IP: "", WIFI: "", PHONE: "", CARD: "cf_", WALLET: "w_", ADDR: ""}

ACTIONS = ["install", "wishlist", "stars_1", "stars_2", "stars_3", "stars_4", "stars_5",
           "iap_buy", "gift_send", "follow", "cheer", "comment", "report", "redeem_promo",
           "redeem_referral", "publish"]
A_ = {a: i for i, a in enumerate(ACTIONS)}

# organic personas: casual, spender, social, critic over base actions
# install, wishlist, review, iap, gift, follow, cheer, comment, report, promo
PERSONA_W = np.array([.50, .15, .25, .10])
PERSONA_P = np.array([
    [.25, .08, .04, .05, .03, .08, .35, .07, .005, .025],
    [.15, .05, .04, .35, .10, .05, .20, .04, .005, .015],
    [.07, .03, .02, .03, .06, .12, .50, .15, .010, .010],
    [.20, .05, .25, .05, .02, .05, .25, .10, .020, .010]])
PERSONA_P /= PERSONA_P.sum(1, keepdims=True)
BASE_ACT = np.array([A_["install"], A_["wishlist"], A_["stars_1"], A_["iap_buy"], A_["gift_send"],
                     A_["follow"], A_["cheer"], A_["comment"], A_["report"], A_["redeem_promo"]])
STARS_P = np.array([[.12, .05, .08, .17, .58], [.30, .12, .15, .18, .25]])  # normal, critic

SKUS = 12
PROMO_WORDS = ["LOOT", "XP", "GEMS", "SPRING", "RAID", "DUEL", "SKIN", "BOOST", "HERO", "ARENA"]


def _models() -> tuple[list[str], int]:
    """Phone models first (Zipf popularity), then tablets and emulators."""
    phones = [f"SM-A{a}5F" for a in range(10, 80, 5)] + [f"SM-M{a}5F" for a in range(12, 60, 8)]
    phones += [f"Redmi Note {n}{s}" for n in range(8, 14) for s in ("", " Pro")]
    phones += [f"moto g{n}" for n in (8, 9, 10, 13, 14, 22, 32, 42, 54, 84)]
    phones += [f"Pixel {n}{s}" for n in range(4, 9) for s in ("", "a")]
    phones += [f"CPH2{n:03d}" for n in range(101, 600, 23)] + [f"V2{n:03d}" for n in range(25, 300, 19)]
    phones += [f"Infinix X6{n:02d}" for n in range(50, 90, 4)] + [f"TECNO K{c}{n}" for c in "ABCDE" for n in (5, 7)]
    phones += [f"POCO X{n}" for n in range(3, 7)] + [f"RMX3{n:03d}" for n in range(100, 700, 37)]
    extra = ["SM-T220", "Lenovo TB-X606F", "Redmi Pad SE", "SM-X200", "sdk_gphone64_x86_64", "SM-G988N-emu"]
    return phones + extra, len(phones)


MODELS, N_PHONES = _models()
M_ = {m: i for i, m in enumerate(MODELS)}
_mp = 1.0 / np.arange(1, N_PHONES + 1) ** 1.05
MODEL_CDF = np.cumsum(_mp) / _mp.sum()

BIG_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "mail.ru", "yandex.ru",
               "gmx.de", "naver.com", "qq.com", "yahoo.co.jp", "uol.com.br", "rediffmail.com", "web.de",
               "proton.me", "wp.pl", "yahoo.co.id"]
BIG_DOMAIN_W = [50, 6, 5, 5, 3, 3, 2, 1.5, 1, 1, 1, 1.5, 1, 1, 1, 1, 1]


def splitmix(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hexstr(h: np.ndarray, width: int, prefix: str = "") -> pl.Series:
    """Vectorised lower-case hex of uint64 hashes (width <= 16, or two hashes joined)."""
    h = h.astype(np.uint64)
    if width > 16:  # extend with a second hash
        first = hexstr(h, 16)
        second = hexstr(splitmix(h), width - 16)
        out = first + second
        return (prefix + out) if prefix else out
    shifts = np.arange(width - 1, -1, -1, dtype=np.uint64) * np.uint64(4)
    digits = ((h[:, None] >> shifts) & np.uint64(15)).astype(np.uint8)
    chars = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)[digits]
    s = np.ascontiguousarray(chars).view(f"S{width}").ravel().astype(f"U{width}")
    out = pl.Series(s, dtype=pl.String)
    return (prefix + out) if prefix else out


def zipf_p(k: int, a: float, rng: np.random.Generator | None = None) -> np.ndarray:
    p = 1.0 / np.arange(1, k + 1) ** a
    p /= p.sum()
    return rng.permutation(p) if rng is not None else p


class Playhub:
    def __init__(self, n: int, seed: int):
        self.n, self.seed = n, seed
        self.rng = np.random.default_rng([seed, 6])
        self.s = n / 20_000
        self.ev: list[tuple] = []
        self.sig: list[tuple] = []
        self.lnk: list[tuple] = []
        self.next_val = np.zeros(len(KINDS), np.int64)
        self.groups: list[dict] = []
        self.group_of = np.full(n, -1, np.int64)
        self.is_bad = np.zeros(n, bool)
        self.domains = list(BIG_DOMAINS)
        rng = self.rng
        # catalogues
        self.A = int(min(20_000, max(300, n // 8)))
        self.P = max(1_000, n)
        self.NC = 60
        self.GC = int(max(400, 6_000 * self.s))
        self.T_APP = 0
        self.T_SKU = self.A
        self.T_POST = self.T_SKU + self.A * SKUS
        self.T_USER = self.T_POST + self.P
        self.T_REF = self.T_USER + n
        self.T_PROMO = self.T_REF + n
        self.T_GC = self.T_PROMO + self.NC
        self.app_p = zipf_p(self.A, 1.1, rng)
        self.app_rank = np.argsort(-self.app_p)
        self.sku_p = zipf_p(SKUS, 0.9)
        self.camp_start = rng.integers(T0 - 10 * DAY, T_END - 3 * DAY, self.NC)
        self.camp_dur = rng.integers(3 * DAY, 21 * DAY, self.NC)
        self.camp_p = zipf_p(self.NC, 1.0, rng)
        self.camp_app = rng.choice(self.A, self.NC, p=self.app_p)
        self.gc_next = 0

    # ---------------------------------------------------------------- helpers
    def new_vals(self, kind: int, k: int) -> np.ndarray:
        v = np.arange(self.next_val[kind], self.next_val[kind] + k)
        self.next_val[kind] += k
        return v

    def domain(self, name: str) -> int:
        self.domains.append(name)
        return len(self.domains) - 1

    def add_sig(self, acc, kind: int, val, seen=None):
        acc = np.asarray(acc, np.int64)
        if len(acc) == 0:
            return
        val = np.broadcast_to(np.asarray(val, np.int64), acc.shape)
        if seen is None:
            seen = self.seen(acc)
        seen = np.broadcast_to(np.asarray(seen, np.int64), acc.shape)
        self.sig.append((acc, np.full(len(acc), kind, np.int8), val.copy(), seen.copy()))

    def add_ev(self, acc, act, tgt, ts):
        acc = np.asarray(acc, np.int64)
        if len(acc) == 0:
            return
        k = len(acc)
        self.ev.append((acc, np.broadcast_to(np.asarray(act, np.int8), (k,)).copy(),
                        np.broadcast_to(np.asarray(tgt, np.int64), (k,)).copy(),
                        np.broadcast_to(np.asarray(ts, np.int64), (k,)).copy()))

    def add_links(self, a, b):
        """Friendship pairs; a share of them also exchanged direct messages (see build)."""
        self.lnk.append((np.asarray(a, np.int64), np.asarray(b, np.int64)))

    def add_group(self, kind: str, members: np.ndarray, bad: bool, **params) -> dict:
        gi = len(self.groups)
        g = dict(kind=kind, members=np.asarray(members, np.int64), bad=bad, gi=gi, **params)
        self.groups.append(g)
        self.group_of[g["members"]] = gi
        self.is_bad[g["members"]] |= bad
        return g

    def seen(self, acc) -> np.ndarray:
        c = self.created[acc]
        return c + ((T_END - c) * self.rng.random(len(acc)) ** 2 * 0.6).astype(np.int64)

    def when(self, lo, hi, tz=None, cdf=DIURNAL_CDF) -> np.ndarray:
        """Times uniform over [lo, hi] by day, hour of day drawn from `cdf` in local time."""
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        k = max(lo.size, hi.size)
        t = lo + (self.rng.random(k) * (hi - lo)).astype(np.int64)
        if cdf is None:
            return t
        tz = np.zeros(k, np.int64) if tz is None else np.asarray(tz, np.int64)
        day = (t + tz) // DAY
        hour = np.searchsorted(cdf, self.rng.random(k))
        out = day * DAY + hour * HOUR + self.rng.integers(0, HOUR, k) - tz
        return np.clip(out, lo, hi)

    def take(self, k: int, mask: np.ndarray | None = None) -> np.ndarray:
        pool = np.flatnonzero(self.free if mask is None else (self.free & mask))
        k = min(k, len(pool))
        got = self.rng.choice(pool, k, replace=False)
        self.free[got] = False
        return np.sort(got)

    def sizes(self, count: int, lo: int, hi: int, floor: int = 5) -> list[int]:
        c = max(1, int(round(count * self.s)))
        f = min(1.0, max(0.15, self.s))
        base = np.exp(np.linspace(np.log(lo), np.log(hi), c)) if c > 1 else np.array([np.sqrt(lo * hi)])
        out = np.maximum(floor, (base * f * self.rng.uniform(0.85, 1.15, c)).astype(int))
        return [int(x) for x in self.rng.permutation(out)]

    def model_of(self, dev: np.ndarray) -> np.ndarray:
        u = (splitmix(dev.astype(np.uint64) ^ np.uint64(0x5EED + self.seed)) >> np.uint64(11)) / float(2 ** 53)
        return np.searchsorted(MODEL_CDF, u)

    def add_devices(self, acc, dev, seen=None, model=None):
        self.add_sig(acc, DEV, dev, seen)
        self.add_sig(acc, MODEL, self.model_of(np.asarray(dev)) if model is None else model, seen)

    def spread(self, members, pool, lo, hi, p=None):
        """Each member gets lo..hi values drawn from pool (duplicates removed later)."""
        cnt = self.rng.integers(lo, hi + 1, len(members))
        acc = np.repeat(members, cnt)
        return acc, np.asarray(pool)[self.rng.choice(len(pool), len(acc), p=p)]

    def delay(self, k, median_s, sigma):
        return np.maximum(5, self.rng.lognormal(np.log(median_s), sigma, k)).astype(np.int64)

    def ranked_apps(self, lo: int, hi: int, k: int) -> np.ndarray:
        """k distinct apps whose popularity rank lies in [lo, hi) (scaled down for small worlds)."""
        lo = min(lo, self.A // 4)
        hi = max(lo + k, min(hi, self.A))
        return self.app_rank[lo + self.rng.choice(hi - lo, k, replace=False)]

    def pick_posts(self, k):
        return self.rng.choice(self.P, k, p=self.post_p)

    # ---------------------------------------------------------------- plan
    def plan(self):
        rng, n = self.rng, self.n
        bad_spec = [("device_farm", 6, 10, 200), ("promo_ring", 6, 8, 90), ("carding_ring", 3, 5, 25),
                    ("review_ring", 6, 5, 40), ("hijacked_botnet", 4, 25, 180), ("engagement_crew", 6, 15, 150)]
        self.bad_sizes = {k: self.sizes(c, lo, hi) for k, c, lo, hi in bad_spec}
        fresh_kinds = ("device_farm", "promo_ring", "carding_ring")
        F = sum(sum(self.bad_sizes[k]) for k in fresh_kinds)
        if F > 0.25 * n:  # tiny worlds: shrink fresh groups
            f = 0.25 * n / F
            for k in fresh_kinds:
                self.bad_sizes[k] = [max(3, int(x * f)) for x in self.bad_sizes[k]]
            F = sum(sum(self.bad_sizes[k]) for k in fresh_kinds)
        self.n_org = n_org = n - F

        # accounts: creation over the years (growing), country, persona
        u = rng.random(n) ** 0.6
        self.created = (BIRTH + u * (T_END - 2 * DAY - BIRTH)).astype(np.int64)
        self.persona = rng.choice(4, n, p=PERSONA_W)
        C = max(20, n // 25)
        self.creators = rng.choice(n_org, C, replace=False)
        self.is_creator = np.zeros(n, bool)
        self.is_creator[self.creators] = True
        self.creator_p = zipf_p(C, 1.2, rng)

        # households over the organic accounts
        perm = rng.permutation(n_org)
        hs = rng.choice(np.arange(1, 7), n_org, p=[.74, .15, .07, .025, .012, .003])
        cs = np.cumsum(hs)
        last = int(np.searchsorted(cs, n_org))
        hs = hs[: last + 1].copy()
        hs[-1] -= cs[last] - n_org
        self.hh = np.full(n, -1, np.int64)
        self.hh[perm] = np.repeat(np.arange(len(hs)), hs)
        self.hh_n = len(hs)
        hh_size = np.zeros(n, np.int64)
        hh_size[:n_org] = hs[self.hh[:n_org]]
        self.hh_size = hh_size
        hh_country = rng.choice(len(COUNTRIES), self.hh_n, p=COUNTRY_P)
        self.country = np.empty(n, np.int64)
        self.country[:n_org] = hh_country[self.hh[:n_org]]
        self.country[n_org:] = rng.choice(len(COUNTRIES), F, p=COUNTRY_P)

        self.dormant = rng.random(n) < 0.2
        self.dormant[self.created >= T0] = False
        self.dormant[self.creators] = False
        self.dormant[n_org:] = True  # fresh accounts only do what their group plants
        self.sleeper = np.zeros(n, bool)
        self.free = np.zeros(n, bool)
        self.free[:n_org] = (hh_size[:n_org] == 1) & ~self.is_creator[:n_org]

        # posts: creators publish in the window, popularity follows the creator
        self.post_creator = rng.choice(C, self.P, p=self.creator_p)
        pop = self.creator_p[self.post_creator] * rng.lognormal(0, 1.0, self.P)
        self.post_pop = pop
        ctz = TZ_SEC[self.country[self.creators[self.post_creator]]]
        self.post_time = self.when(np.full(self.P, T0), np.full(self.P, T_END - HOUR), ctz)

        # --- benign look-alikes (members exclusive, drawn from single-person households)
        for size in self.sizes(2, 200, 700, floor=30):  # campus
            m = self.take(size)
            c = rng.choice(len(COUNTRIES), p=COUNTRY_P)
            self.country[m] = c
            year = rng.integers(2021, 2025, len(m))
            sem = np.array([_epoch(f"{y}-09-01T00:00:00") for y in range(2020, 2026)])[year - 2020]
            self.created[m] = np.minimum(sem + rng.integers(0, 45 * DAY, len(m)), T_END - 2 * DAY)
            self.add_group("campus", m, False, uni=self.domain(f"stud.univ{len(self.groups)}.edu"))
        for size in self.sizes(7, 25, 220, floor=8):
            m = self.take(size)
            self.country[m] = rng.choice(len(COUNTRIES), p=COUNTRY_P)
            self.add_group("office", m, False, dom=self.domain(f"corp{len(self.groups)}-group.com"))
        old = self.created < T0 - DAY
        for size in self.sizes(2, 700, 2000, floor=60):
            m = self.take(size, old)
            self.dormant[m] = False
            self.add_group("viral_moment", m, False)
        for size in self.sizes(5, 20, 150, floor=8):
            m = self.take(size, old)
            self.dormant[m] = False
            self.add_group("fan_club", m, False)
        for size in self.sizes(4, 3, 10, floor=3):
            m = self.take(size)
            self.country[m] = rng.choice(len(COUNTRIES), p=COUNTRY_P)
            self.add_group("shop_staff", m, False)
        for size in self.sizes(3, 20, 70, floor=6):
            m = self.take(size)
            self.country[m] = rng.choice(len(COUNTRIES), p=COUNTRY_P)
            self.add_group("gaming_cafe", m, False)

        # --- bad groups made of existing accounts
        for size in self.bad_sizes["review_ring"]:
            m = self.take(size)
            self.created[m] = T0 - (rng.uniform(2, 6, len(m)) * 365 * DAY).astype(np.int64)
            self.sleeper[m] = True
            self.dormant[m] = False
            self.add_group("review_ring", m, True)
        for size in self.bad_sizes["engagement_crew"]:
            m = self.take(size, old)
            self.dormant[m] = False
            self.add_group("engagement_crew", m, True)
        lone = self.take(int(0.005 * n))
        self.is_bad[lone] = True
        self.dormant[lone] = False
        self.lone_bad = lone
        # hijacked: any organic account not yet used, households allowed
        self.free[:n_org] |= (self.group_of[:n_org] == -1) & ~self.is_creator[:n_org]
        self.free[lone] = False
        for size in self.bad_sizes["hijacked_botnet"]:
            m = self.take(size)
            self.created[m] = np.minimum(self.created[m], T0 - rng.integers(60, 1500, len(m)) * DAY)
            self.add_group("hijacked_botnet", m, True, takeover=int(rng.integers(T0 + 20 * DAY, T0 + 95 * DAY)))

        # --- fresh bad accounts
        nxt = n_org
        for kind in fresh_kinds:
            for size in self.bad_sizes[kind]:
                m = np.arange(nxt, nxt + size)
                nxt += size
                c = rng.choice(len(COUNTRIES), p=COUNTRY_P)
                self.country[m] = c
                self.add_group(kind, m, True)
        self.tz = TZ_SEC[self.country]

        # households that still have 2+ members left
        left = (self.group_of[:n_org] == -1) & (hh_size[:n_org] > 1)
        hh_left = np.bincount(self.hh[:n_org][left], minlength=self.hh_n)
        ok = left & (hh_left[self.hh[:n_org]] >= 2)
        accs = np.flatnonzero(ok)
        order = accs[np.argsort(self.hh[accs], kind="stable")]
        hids = self.hh[order]
        bounds = np.flatnonzero(np.diff(hids)) + 1
        for m in np.split(order, bounds):
            self.add_group("household", m, False)

        # activity span in the window
        self.act_lo = np.maximum(T0, self.created + 60)
        churn = rng.random(n) < 0.2
        self.act_hi = np.full(n, T_END, np.int64)
        self.act_hi[churn] = self.act_lo[churn] + ((T_END - self.act_lo[churn]) * rng.uniform(0.1, 0.9, churn.sum())).astype(np.int64)
        self.fav = rng.choice(self.A, (n, 3), p=self.app_p)

        # per-kind preparation that changes the organic world (posts, campaigns)
        viral_posts: set[int] = set()
        for g in self.groups:
            if g["kind"] == "viral_moment":
                p = self.post_pop / self.post_pop.sum()
                post = int(rng.choice(self.P, p=p))
                while post in viral_posts:
                    post = int(rng.choice(self.P, p=p))
                viral_posts.add(post)
                self.post_time[post] = self.when([T0 + 5 * DAY], [T_END - 5 * DAY],
                                                 self.tz[self.creators[self.post_creator[post]]])[0]
                self.post_pop[post] = self.post_pop.max() * 3
                g["post"] = post
            elif g["kind"] == "fan_club":
                idol = int(rng.choice(C, p=self.creator_p))
                want = int(rng.integers(15, 41))
                have = np.flatnonzero(self.post_creator == idol)
                if len(have) < want:
                    extra = rng.choice(np.flatnonzero(self.post_creator != idol), want - len(have), replace=False)
                    self.post_creator[extra] = idol
                    have = np.flatnonzero(self.post_creator == idol)
                g["idol"], g["posts"] = idol, rng.choice(have, want, replace=False)
            elif g["kind"] == "promo_ring":  # the ring's burst falls inside the campaign it abuses
                B = int(rng.integers(T0 + 5 * DAY, T_END - 10 * DAY))
                camp = int(rng.choice(self.NC, p=self.camp_p))
                self.camp_start[camp] = min(self.camp_start[camp], B - DAY)
                self.camp_dur[camp] = max(self.camp_dur[camp], B + 5 * DAY - self.camp_start[camp])
                g["burst"], g["camp"] = B, camp
        self.post_p = self.post_pop / self.post_pop.sum()
        # circle of friends over organic accounts
        self.circle = rng.permutation(n_org)
        self.circle_pos = np.empty(n_org, np.int64)
        self.circle_pos[self.circle] = np.arange(n_org)

    def friend_of(self, acc):
        off = self.rng.integers(1, 7, len(acc)) * self.rng.choice([-1, 1], len(acc))
        org = acc < self.n_org
        out = self.rng.integers(0, self.n_org, len(acc))
        out[org] = self.circle[(self.circle_pos[acc[org]] + off[org]) % self.n_org]
        return out

    # ---------------------------------------------------------------- organic
    def organic_events(self):
        rng, n_org = self.rng, self.n_org
        idx = np.arange(n_org)
        n_ev = np.floor(rng.lognormal(2.85, 1.25, n_org)).astype(np.int64) + 1
        n_ev = np.minimum(n_ev, 3000)
        n_ev[self.is_creator[:n_org]] = (n_ev[self.is_creator[:n_org]] * 1.5).astype(np.int64)
        sl = self.sleeper[:n_org]
        n_ev[sl] = rng.poisson(2, sl.sum())
        n_ev[self.dormant[:n_org]] = 0
        acc = np.repeat(idx, n_ev)
        E = len(acc)
        persona = self.persona[acc]
        base = np.empty(E, np.int64)
        for p in range(4):
            m = persona == p
            base[m] = rng.choice(10, int(m.sum()), p=PERSONA_P[p])
        ts = self.when(self.act_lo[acc], self.act_hi[acc], self.tz[acc])
        act = BASE_ACT[base].astype(np.int64)
        tgt = np.zeros(E, np.int64)

        m = base <= 2  # app actions
        k = int(m.sum())
        app = rng.choice(self.A, k, p=self.app_p)
        fav = rng.random(k) < 0.5
        app[fav] = self.fav[acc[m][fav], rng.integers(0, 3, int(fav.sum()))]
        tgt[m] = self.T_APP + app
        r = base == 2
        crit = (persona[r] == 3).astype(np.int64)
        u = rng.random(int(r.sum()))
        stars = (u[:, None] > np.cumsum(STARS_P, 1)[crit]).sum(1)
        act[r] = A_["stars_1"] + np.minimum(stars, 4)

        m = base == 3
        k = int(m.sum())
        tgt[m] = self.T_SKU + self.fav[acc[m], rng.integers(0, 3, k)] * SKUS + rng.choice(SKUS, k, p=self.sku_p)
        m = base == 4
        tgt[m] = self.T_USER + self.friend_of(acc[m])
        m = base == 5
        tgt[m] = self.T_USER + self.creators[rng.choice(len(self.creators), int(m.sum()), p=self.creator_p)]
        m = (base == 6) | (base == 7)
        k = int(m.sum())
        post = self.pick_posts(k)
        tgt[m] = self.T_POST + post
        t = self.post_time[post] + self.delay(k, 3 * HOUR, 1.6) * np.where(base[m] == 7, 2, 1)
        late = t > T_END
        t[late] = self.post_time[post][late] + (rng.random(int(late.sum())) * (T_END - self.post_time[post][late])).astype(np.int64)
        c = self.created[acc[m]]
        early = t < c
        t[early] = np.minimum(T_END, np.maximum(self.post_time[post][early], c[early]) + self.delay(int(early.sum()), 6 * HOUR, 1.0))
        ts[m] = t
        m = base == 8
        k = int(m.sum())
        on_post = rng.random(k) < 0.7
        tgt[m] = np.where(on_post, self.T_POST + rng.integers(0, self.P, k), self.T_USER + rng.integers(0, n_org, k))
        m = base == 9
        k = int(m.sum())
        camp = rng.choice(self.NC, k, p=self.camp_p)
        tgt[m] = self.T_PROMO + camp
        ts[m] = np.clip(self.camp_start[camp] + (rng.random(k) * self.camp_dur[camp]).astype(np.int64),
                        self.act_lo[acc[m]], self.act_hi[acc[m]])
        self.add_ev(acc, act, tgt, ts)

        # creators publish
        self.add_ev(self.creators[self.post_creator], A_["publish"], self.T_POST + np.arange(self.P), self.post_time)
        # new accounts that came through a friend's invite
        new = np.flatnonzero((self.created[:n_org] >= T0) & (rng.random(n_org) < 0.3))
        ref = self.friend_of(new)
        self.add_ev(new, A_["redeem_referral"], self.T_REF + ref, self.created[new] + rng.integers(60, 2 * HOUR, len(new)))
        self.add_links(new, ref)
        # lone bad accounts: mass reports or comment spam on popular posts
        lb = self.lone_bad
        cnt = rng.integers(10, 60, len(lb))
        a = np.repeat(lb, cnt)
        spam = np.repeat(rng.random(len(lb)) < 0.5, cnt)
        posts = np.where(spam, self.pick_posts(len(a)), rng.integers(0, self.P, len(a)))
        self.add_ev(a, np.where(spam, A_["comment"], A_["report"]), self.T_POST + posts,
                    np.clip(self.post_time[posts] + self.delay(len(a), 20 * MIN, 1.0), self.created[a] + 60, T_END))

    def organic_signals(self):
        rng, n_org = self.rng, self.n_org
        idx = np.arange(n_org)
        hh = self.hh[:n_org]
        multi = self.hh_size[:n_org] > 1
        # devices: own phone, some a second phone, families share a tablet, resold phones
        dev = self.new_vals(DEV, n_org)
        self.add_devices(idx, dev, seen=self.created[:n_org] + rng.integers(0, 3600, n_org))
        two = np.flatnonzero(rng.random(n_org) < 0.15)
        self.add_devices(two, self.new_vals(DEV, len(two)))
        tab_hh = rng.random(self.hh_n) < 0.35
        tab_val = self.new_vals(DEV, self.hh_n)
        fam = np.flatnonzero(multi & tab_hh[hh] & (rng.random(n_org) < 0.85))
        tablet_model = rng.choice([M_["SM-T220"], M_["Lenovo TB-X606F"], M_["Redmi Pad SE"], M_["SM-X200"]], self.hh_n)
        self.add_devices(fam, tab_val[hh[fam]], model=tablet_model[hh[fam]])
        resold = np.flatnonzero(rng.random(n_org) < 0.006)
        self.add_devices(resold, dev[rng.integers(0, n_org, len(resold))])
        # ip: carrier NAT per country (Zipf within the carrier pool), home, travel, VPN
        counts = np.bincount(self.country[:n_org], minlength=len(COUNTRIES))
        pools = np.maximum(2, np.round(counts / 600)).astype(np.int64)
        nat_off = np.concatenate([[0], np.cumsum(pools)])
        nat_vals = self.new_vals(IP, int(nat_off[-1]))
        k_nat = rng.integers(1, 3, n_org)
        a = np.repeat(idx, k_nat)
        c = self.country[a]
        pick = np.empty(len(a), np.int64)
        for ci in range(len(COUNTRIES)):
            m = c == ci
            pick[m] = rng.choice(pools[ci], int(m.sum()), p=zipf_p(int(pools[ci]), 1.0))
        self.add_sig(a, IP, nat_vals[nat_off[c] + pick])
        home_hh = rng.random(self.hh_n) < 0.8
        home_ip = self.new_vals(IP, self.hh_n)
        home_wifi = self.new_vals(WIFI, self.hh_n)
        h = np.flatnonzero(home_hh[hh])
        self.add_sig(h, IP, home_ip[hh[h]])
        w = h[rng.random(len(h)) < 0.9]
        self.add_sig(w, WIFI, home_wifi[hh[w]])
        trav = rng.integers(0, 4, n_org) * (rng.random(n_org) < 0.35)
        a = np.repeat(idx, trav)
        self.add_sig(a, IP, self.new_vals(IP, len(a)))
        self.proxy_pool = self.new_vals(IP, int(max(500, 3000 * self.s)))
        vpn = np.flatnonzero(rng.random(n_org) < 0.03)
        a, v = self.spread(vpn, self.proxy_pool, 1, 2)
        self.add_sig(a, IP, v)
        # mall / airport hotspots: wifi + ip pairs, Zipf
        H = int(max(30, 150 * self.s))
        hs_wifi, hs_ip = self.new_vals(WIFI, H), self.new_vals(IP, H)
        hot = np.flatnonzero(rng.random(n_org) < 0.25)
        cnt = rng.integers(1, 3, len(hot))
        a = np.repeat(hot, cnt)
        j = rng.choice(H, len(a), p=zipf_p(H, 1.0, rng))
        self.add_sig(a, WIFI, hs_wifi[j])
        ip_too = rng.random(len(a)) < 0.6
        self.add_sig(a[ip_too], IP, hs_ip[j[ip_too]])
        # phone numbers: most own one; kids use a parent's; recycled numbers
        phone = self.new_vals(PHONE, n_org)
        has = rng.random(n_org) < 0.85
        first = np.full(self.hh_n, -1, np.int64)
        first[hh[::-1]] = idx[::-1]  # first member of each household
        kid = multi & (rng.random(n_org) < 0.15) & (first[hh] != idx)
        val = np.where(kid, phone[first[hh]], phone)
        self.add_sig(idx[has | kid], PHONE, val[has | kid])
        old = np.flatnonzero(self.created[:n_org] < _epoch("2021-01-01T00:00:00"))
        young = np.flatnonzero(self.created[:n_org] > _epoch("2023-06-01T00:00:00"))
        nrec = min(len(old), len(young), int(0.015 * n_org))
        if nrec:
            rec = rng.choice(young, nrec, replace=False)
            self.add_sig(rec, PHONE, phone[rng.choice(old, nrec, replace=False)])
        # e-mail domain (property)
        dw = np.array(BIG_DOMAIN_W + [0.25] * 60)
        for i in range(60):
            self.domain(f"isp{i:02d}.net")
        dom = rng.choice(len(dw), n_org, p=dw / dw.sum())
        dom = np.where(dom >= len(BIG_DOMAINS), dom + len(self.domains) - len(BIG_DOMAINS) - 60, dom)
        self.throwaway = [self.domain(f"tmpbox{i}.xyz") for i in range(8)]
        priv = rng.random(n_org) < 0.002
        dom[priv] = rng.choice(self.throwaway, int(priv.sum()))
        self.email_dom = np.zeros(self.n, np.int64)
        self.email_dom[:n_org] = dom
        # cards: own card, family card
        card = self.new_vals(CARD, n_org)
        own = rng.random(n_org) < np.where(self.persona[:n_org] == 1, 0.9, 0.4)
        self.add_sig(idx[own], CARD, card[own])
        fam_card = rng.random(self.hh_n) < 0.5
        fc_val = self.new_vals(CARD, self.hh_n)
        fc = np.flatnonzero(multi & fam_card[hh] & (rng.random(n_org) < 0.7))
        self.add_sig(fc, CARD, fc_val[hh[fc]])
        # payout wallets: creators and traders
        tr = np.flatnonzero(self.is_creator[:n_org] | (rng.random(n_org) < 0.04))
        self.add_sig(tr, WALLET, self.new_vals(WALLET, len(tr)))
        # shipping address: a household address, typed in several ways
        addr = np.flatnonzero(rng.random(n_org) < 0.12)
        base_addr = self.new_vals(ADDR, self.hh_n)
        variant = rng.random(len(addr)) < 0.4
        v = np.where(variant, self.new_vals(ADDR, len(addr)), base_addr[hh[addr]])
        self.add_sig(addr, ADDR, v)
        # links: friend circle, households, some direct messages
        nf = rng.choice(4, n_org, p=[.25, .35, .25, .15])
        a = np.repeat(np.arange(n_org), nf)
        off = (np.arange(len(a)) - np.repeat(np.cumsum(nf) - nf, nf)) + 1
        self.add_links(self.circle[a], self.circle[(a + off) % n_org])
        for m in (g["members"] for g in self.groups if g["kind"] == "household"):
            i, j = np.triu_indices(len(m), 1)
            self.add_links(m[i], m[j])

    # ---------------------------------------------------------------- planted
    def fresh_phones(self, m):
        """Fresh accounts: most verified a (virtual) phone number of their own."""
        rng = self.rng
        has = rng.random(len(m)) < 0.9
        self.add_sig(m[has], PHONE, self.new_vals(PHONE, int(has.sum())), self.created[m[has]])

    def plant(self):
        for g in self.groups:
            fn = getattr(self, "plant_" + g["kind"], None)
            if fn is not None:
                fn(g)
        # e-mail domains, set by groups and organic
        self.add_sig(np.arange(self.n), DOMAIN, self.email_dom, self.created)

    def plant_campus(self, g):
        rng, m = self.rng, g["members"]
        nat = self.new_vals(IP, int(rng.integers(4, 11)))
        a, v = self.spread(m, nat, 1, 3, p=zipf_p(len(nat), 0.7))
        self.add_sig(a, IP, v)
        aps = self.new_vals(WIFI, int(rng.integers(20, 61)))
        a, v = self.spread(m, aps, 2, 5, p=zipf_p(len(aps), 0.6, rng))
        self.add_sig(a, WIFI, v)
        uni = rng.random(len(m)) < 0.75
        self.email_dom[m[uni]] = g["uni"]
        i, j = rng.integers(0, len(m), (2, len(m) * 2))
        self.add_links(m[i], m[j])

    def plant_office(self, g):
        rng, m = self.rng, g["members"]
        ips = self.new_vals(IP, int(rng.integers(1, 3)))
        a, v = self.spread(m, ips, 1, 2)
        self.add_sig(a, IP, v)
        wifi = self.new_vals(WIFI, int(rng.integers(1, 4)))
        a, v = self.spread(m, wifi, 1, 2)
        self.add_sig(a, WIFI, v)
        d = rng.random(len(m)) < 0.6
        self.email_dom[m[d]] = g["dom"]
        i, j = np.triu_indices(len(m), 1)
        keep = rng.random(len(i)) < 0.05
        self.add_links(m[i[keep]], m[j[keep]])

    def plant_viral_moment(self, g):
        rng, m, post = self.rng, g["members"], g["post"]
        t0 = self.post_time[post]
        k = len(m)
        self.add_ev(m, A_["cheer"], self.T_POST + post, t0 + self.delay(k, 4 * MIN, 0.9))
        c = m[rng.random(k) < 0.35]
        self.add_ev(c, A_["comment"], self.T_POST + post, t0 + self.delay(len(c), 10 * MIN, 0.9))
        f = m[rng.random(k) < 0.15]
        creator = self.creators[self.post_creator[post]]
        self.add_ev(f, A_["follow"], self.T_USER + creator, t0 + self.delay(len(f), 40 * MIN, 1.0))

    def plant_fan_club(self, g):
        rng, m, posts = self.rng, g["members"], g["posts"]
        idol = self.creators[g["idol"]]
        eng = rng.uniform(0.35, 0.95, len(m))
        hit = rng.random((len(m), len(posts))) < eng[:, None]
        mi, pj = np.nonzero(hit)
        p = posts[pj]
        self.add_ev(m[mi], A_["cheer"], self.T_POST + p, np.minimum(T_END, self.post_time[p] + self.delay(len(p), 7 * MIN, 1.0)))
        com = rng.random(len(p)) < 0.25
        self.add_ev(m[mi[com]], A_["comment"], self.T_POST + p[com],
                    np.minimum(T_END, self.post_time[p[com]] + self.delay(int(com.sum()), 15 * MIN, 1.0)))
        self.add_ev(m, A_["follow"], self.T_USER + idol, self.when(self.act_lo[m], self.act_hi[m], self.tz[m]))
        i, j = np.triu_indices(len(m), 1)
        keep = rng.random(len(i)) < 0.08
        self.add_links(m[i[keep]], m[j[keep]])

    def plant_shop_staff(self, g):
        rng, m = self.rng, g["members"]
        till = self.new_vals(DEV, 1)
        self.add_devices(m, till, model=M_["Lenovo TB-X606F"])
        self.add_sig(m, WIFI, self.new_vals(WIFI, 1))
        self.add_sig(m, IP, self.new_vals(IP, 1))
        cnt = rng.integers(10, 120, len(m))
        a = np.repeat(m, cnt)
        codes = (self.gc_next + np.arange(len(a))) % self.GC
        self.gc_next += len(a)
        self.add_ev(a, A_["redeem_promo"], self.T_GC + codes, self.when(self.act_lo[a], T_END, self.tz[a], SHOP_CDF))
        i, j = np.triu_indices(len(m), 1)
        self.add_links(m[i], m[j])

    def plant_gaming_cafe(self, g):
        rng, m = self.rng, g["members"]
        rent = self.new_vals(DEV, int(rng.integers(4, 13)))
        a, v = self.spread(m, rent, 1, 3)
        self.add_devices(a, v, model=M_["SM-X200"])
        self.add_sig(m, WIFI, self.new_vals(WIFI, 1))
        ips = self.new_vals(IP, int(rng.integers(1, 3)))
        a, v = self.spread(m, ips, 1, 1)
        self.add_sig(a, IP, v)
        featured = self.ranked_apps(0, 50, 3)
        a, v = self.spread(m, featured, 1, 3)
        self.add_ev(a, A_["install"], self.T_APP + v, self.when(self.act_lo[a], T_END, self.tz[a]))

    def plant_household(self, g):
        pass  # households are woven into the organic signals

    def plant_review_ring(self, g):
        rng, m = self.rng, g["members"]
        nt = int(rng.integers(2, 7))
        apps = self.ranked_apps(200, 2000, nt)
        client = rng.random(nt) < 0.6
        client[0] = True
        start = int(rng.integers(T0, T_END - 60 * DAY))
        length = int(rng.integers(21, 57)) * DAY
        k = np.minimum(rng.integers(1, 4, len(m)), nt)
        a = np.repeat(m, k)
        # each member reviews k distinct targets: the first k of a random order
        ranks = np.argsort(rng.random((len(m), nt)), 1)
        j = ranks[np.repeat(np.arange(len(m)), k), np.arange(len(a)) - np.repeat(np.cumsum(k) - k, k)]
        t = self.when(np.full(len(a), start), np.full(len(a), start + length), self.tz[a])
        stars = np.where(client[j], A_["stars_5"], A_["stars_1"])
        self.add_ev(a, stars, self.T_APP + apps[j], t)
        self.add_ev(a, A_["install"], self.T_APP + apps[j], t - self.delay(len(a), 6 * HOUR, 1.5))
        px = self.proxy_pool[rng.integers(0, len(self.proxy_pool), len(m))]
        self.add_sig(m, IP, px, start + rng.integers(0, length, len(m)))

    def plant_hijacked_botnet(self, g):
        rng, m = self.rng, g["members"]
        T = g["takeover"]
        proxies = self.proxy_pool[rng.choice(len(self.proxy_pool), int(rng.integers(3, 9)), replace=False)]
        client = int(rng.choice(len(self.creators), p=self.creator_p))
        cposts = np.flatnonzero((self.post_creator == client) & (self.post_time > T) & (self.post_time < T_END - DAY))
        cposts = rng.permutation(cposts)[: int(rng.integers(1, 4))]
        bomb = self.ranked_apps(0, 300, int(rng.integers(1, 3)))
        rival = int(rng.integers(0, self.P))
        strikes = [(A_["follow"], self.T_USER + self.creators[client], T)]
        for p in cposts:
            strikes.append((A_["cheer"], self.T_POST + p, self.post_time[p]))
            if rng.random() < 0.5:
                strikes.append((A_["comment"], self.T_POST + p, self.post_time[p] + HOUR))
        strikes += [(A_["stars_1"], self.T_APP + b, T) for b in bomb]
        strikes.append((A_["report"], self.T_POST + rival, max(T, int(self.post_time[rival]))))
        horizon = T + int(rng.integers(10, 31)) * DAY
        used = np.zeros(len(m), bool)
        for act, tgt, earliest in strikes:
            lo = max(int(earliest), T)
            hi = max(lo + HOUR, min(horizon, T_END - HOUR))
            start = int(rng.integers(lo, hi))
            part = rng.random(len(m)) < rng.uniform(0.5, 0.95)
            a = m[part]
            t = start + rng.integers(0, int(rng.integers(2, 11)) * MIN, len(a))
            self.add_ev(a, act, tgt, np.minimum(t, T_END))
            used |= part
        a, v = self.spread(m[used], proxies, 1, 2)
        self.add_sig(a, IP, v, T + rng.integers(0, DAY, len(a)))

    def plant_engagement_crew(self, g):
        rng, m = self.rng, g["members"]
        k = len(m)
        pool = self.proxy_pool[rng.choice(len(self.proxy_pool), int(rng.integers(4, 16)), replace=False)]
        a, v = self.spread(m, pool, 1, 3)
        self.add_sig(a, IP, v)
        clients = rng.choice(len(self.creators), int(rng.integers(3, 9)), replace=False)
        capps = self.ranked_apps(100, 1500, int(rng.integers(1, 4)))
        cposts = rng.permutation(np.flatnonzero(np.isin(self.post_creator, clients) & (self.post_time < T_END - 3 * HOUR)))
        done_app = {int(x): np.zeros(k, bool) for x in capps}
        followed = np.zeros((len(clients), k), bool)
        n_jobs = int(rng.integers(25, 71))
        kinds = rng.choice(3, n_jobs, p=[0.8, 0.1, 0.1])
        pi = 0
        for jk in kinds:
            frac = rng.uniform(0.10, 0.35)
            spread = int(rng.integers(3, 31)) * MIN
            if jk == 0 and pi < len(cposts):
                p = cposts[pi]
                pi += 1
                start = int(self.post_time[p]) + int(rng.integers(2 * MIN, 3 * HOUR))
                who = m[rng.random(k) < frac]
                t = np.minimum(T_END, start + rng.integers(0, spread, len(who)))
                self.add_ev(who, A_["cheer"], self.T_POST + p, t)
                c = rng.random(len(who)) < 0.3
                self.add_ev(who[c], A_["comment"], self.T_POST + p, np.minimum(T_END, t[c] + rng.integers(20, 300, int(c.sum()))))
            elif jk == 1:
                ci = int(rng.integers(0, len(clients)))
                pick = (rng.random(k) < frac) & ~followed[ci]
                followed[ci] |= pick
                start = int(rng.integers(T0, T_END - HOUR))
                who = m[pick]
                self.add_ev(who, A_["follow"], self.T_USER + self.creators[clients[ci]], start + rng.integers(0, spread, len(who)))
            else:
                app = int(capps[rng.integers(0, len(capps))])
                pick = (rng.random(k) < frac) & ~done_app[app]
                done_app[app] |= pick
                start = int(rng.integers(T0, T_END - 2 * HOUR))
                who = m[pick]
                t = start + rng.integers(0, spread, len(who))
                self.add_ev(who, A_["install"], self.T_APP + app, t)
                self.add_ev(who, A_["stars_5"], self.T_APP + app, t + rng.integers(5 * MIN, 60 * MIN, len(who)))
        i, j = np.triu_indices(k, 1)
        keep = rng.random(len(i)) < 0.04
        self.add_links(m[i[keep]], m[j[keep]])

    def plant_device_farm(self, g):
        rng, m = self.rng, g["members"]
        k = len(m)
        nb = 1 + k // 40 + int(rng.integers(0, 3))
        batch = rng.integers(T0 - 200 * DAY, T_END - 20 * DAY, nb)
        self.created[m] = batch[rng.integers(0, nb, k)] + rng.integers(0, 6 * HOUR, k)
        cr = self.created[m]
        mono = rng.random() < 0.5
        model = rng.integers(0, 10) if mono else None
        dev = self.new_vals(DEV, k)
        self.add_devices(m, dev, cr, model)
        two = rng.random(k) < 0.3
        d2 = self.new_vals(DEV, int(two.sum()))
        self.add_devices(m[two], d2, self.seen(m[two]), model)
        wifi = self.new_vals(WIFI, int(rng.integers(1, 4)))
        a, v = self.spread(m, wifi, 1, 2)
        self.add_sig(a, WIFI, v)
        ips = self.new_vals(IP, int(rng.integers(3, 9)))
        a, v = self.spread(m, ips, 1, 3)
        self.add_sig(a, IP, v)
        wallets = self.new_vals(WALLET, int(rng.integers(1, 3)))
        cash = m[rng.random(k) < 0.7]
        a, v = self.spread(cash, wallets, 1, 1)
        self.add_sig(a, WALLET, v)
        self.fresh_phones(m)
        td = self.throwaway[int(rng.integers(0, len(self.throwaway)))]
        self.email_dom[m] = np.where(rng.random(k) < 0.6, 0, td)
        # paid installs + reviews for client apps, around the clock
        clients = self.ranked_apps(300, 3000, int(rng.integers(2, 6)))
        for app in clients:
            start = int(rng.integers(T0, T_END - 5 * DAY))
            L = int(rng.uniform(1, 4) * DAY)
            part = (rng.random(k) < 0.85) & (cr < start + L - HOUR)
            a = m[part]
            t = np.maximum(start + rng.integers(0, L, len(a)), cr[part] + 600)
            self.add_ev(a, A_["install"], self.T_APP + app, t)
            rv = rng.random(len(a)) < 0.65
            st = np.where(rng.random(int(rv.sum())) < 0.9, A_["stars_5"], A_["stars_4"])
            self.add_ev(a[rv], st, self.T_APP + app, np.minimum(T_END, t[rv] + rng.integers(30 * MIN, 2 * DAY, int(rv.sum()))))
        # items farmed and gifted to collectors
        ncol = 1 + int(k > 60)
        col = m[:ncol]
        rest = m[ncol:]
        cnt = rng.integers(1, 5, len(rest))
        a = np.repeat(rest, cnt)
        lo = np.maximum(T0, self.created[a] + HOUR)
        self.add_ev(a, A_["gift_send"], self.T_USER + col[rng.integers(0, ncol, len(a))], self.when(lo, T_END, None, None))
        # cover activity, no diurnal rhythm
        cnt = rng.integers(3, 13, k)
        a = np.repeat(m, cnt)
        lo = np.maximum(T0, self.created[a] + HOUR)
        kind = rng.random(len(a))
        tgt = np.where(kind < 0.5, self.T_APP + rng.choice(self.A, len(a), p=self.app_p),
                       self.T_USER + self.creators[rng.choice(len(self.creators), len(a), p=self.creator_p)])
        act = np.where(kind < 0.35, A_["install"], np.where(kind < 0.5, A_["wishlist"], A_["follow"]))
        self.add_ev(a, act, tgt, self.when(lo, T_END, None, None))

    def plant_promo_ring(self, g):
        rng, m = self.rng, g["members"]
        k = len(m)
        B, camp = g["burst"], g["camp"]
        self.created[m] = np.sort(B + rng.integers(0, int(rng.integers(1, 4)) * DAY, k))
        cr = self.created[m]
        # devices: 2-3 emulator images shared by half, fresh ids for the rest
        emu = self.new_vals(DEV, int(rng.integers(2, 4)))
        shared = rng.random(k) < 0.5
        dev = np.where(shared, emu[rng.integers(0, len(emu), k)], self.new_vals(DEV, k))
        self.add_devices(m, dev, cr, np.where(shared, M_["sdk_gphone64_x86_64"], self.model_of(dev)))
        # residential proxies, a couple of home IPs
        self.add_sig(m, IP, self.proxy_pool[rng.integers(0, len(self.proxy_pool), k)], cr)
        home = self.new_vals(IP, 2)
        h = rng.random(k) < 0.3
        self.add_sig(m[h], IP, home[rng.integers(0, 2, int(h.sum()))], cr[h])
        # phones: unique virtual numbers, some shared SMS-activation numbers
        sms = self.new_vals(PHONE, int(rng.integers(2, 4)))
        sh = rng.random(k) < 0.4
        ph = np.where(sh, sms[rng.integers(0, len(sms), k)], self.new_vals(PHONE, k))
        has = rng.random(k) < 0.9
        self.add_sig(m[has], PHONE, ph[has], cr[has])
        # 2-3 delivery addresses, each typed 2-5 ways
        nba = int(rng.integers(2, 4))
        variants = [self.new_vals(ADDR, int(rng.integers(2, 6))) for _ in range(nba)]
        allv = np.concatenate(variants)
        wa = m[rng.random(k) < 0.6]
        self.add_sig(wa, ADDR, allv[rng.integers(0, len(allv), len(wa))])
        cards = self.new_vals(CARD, int(rng.integers(1, 3)))
        wc = m[rng.random(k) < 0.7]
        self.add_sig(wc, CARD, cards[rng.integers(0, len(cards), len(wc))])
        self.email_dom[m] = rng.choice([0, 2, 3], k)
        # referral chain or star
        chain = rng.random() < 0.5
        ref = np.where(chain, np.concatenate([[m[0]], m[:-1]]), m[0])
        self.add_ev(m[1:], A_["redeem_referral"], self.T_REF + ref[1:], cr[1:] + rng.integers(60, 3 * HOUR, k - 1))
        self.add_links(m[1:], ref[1:])
        app = self.camp_app[camp]
        self.add_ev(m, A_["install"], self.T_APP + app, cr + rng.integers(60, 15 * MIN, k))
        tr = cr + rng.integers(5 * MIN, DAY, k)
        self.add_ev(m, A_["redeem_promo"], self.T_PROMO + camp, tr)
        nb = rng.integers(1, 3, k)
        a = np.repeat(m, nb)
        self.add_ev(a, A_["iap_buy"], self.T_SKU + app * SKUS + rng.integers(0, 3, len(a)),
                    np.repeat(tr, nb) + rng.integers(60, HOUR, len(a)))
        second = rng.random(k) < 0.3
        other = int(rng.choice(self.NC, p=self.camp_p))
        self.add_ev(m[second], A_["redeem_promo"], self.T_PROMO + other, tr[second] + rng.integers(HOUR, 2 * DAY, int(second.sum())))

    def plant_carding_ring(self, g):
        rng, m = self.rng, g["members"]
        k = len(m)
        start = int(rng.integers(T0, T_END - 45 * DAY))
        self.created[m] = start + rng.integers(0, int(rng.integers(14, 43)) * DAY, k)
        cr = self.created[m]
        phones = self.new_vals(DEV, int(rng.integers(1, 4)))
        a, v = self.spread(m, phones, 1, 2)
        self.add_devices(a, v)
        nc = rng.integers(2, 6, k)
        a = np.repeat(m, nc)
        self.add_sig(a, CARD, self.new_vals(CARD, len(a)))
        home = self.new_vals(IP, 1)
        self.add_sig(m, IP, home)
        self.fresh_phones(m)
        self.email_dom[m] = rng.choice([0, 0, 1, 2, self.throwaway[int(rng.integers(0, 8))]], k)
        apps = self.ranked_apps(0, 200, int(rng.integers(2, 5)))
        nm = 1 + int(k > 12)
        mules, buyers = m[:nm], m[nm:]
        tz = self.tz[m[0]]
        for b in buyers:  # loop over accounts of a small group: sessions of bursts
            ns = int(rng.integers(1, 4))
            for _ in range(ns):
                s0 = self.when([max(T0, self.created[b] + HOUR)], [T_END - DAY], [tz], NIGHT_CDF)[0]
                ne = int(rng.integers(3, 10))
                t = s0 + np.cumsum(rng.integers(30, 180, ne))
                app = apps[rng.integers(0, len(apps), ne)]
                self.add_ev(np.full(ne, b), A_["iap_buy"], self.T_SKU + app * SKUS + rng.integers(9, 12, ne), t)
                ng = int(rng.integers(1, ne + 1))
                self.add_ev(np.full(ng, b), A_["gift_send"], self.T_USER + mules[rng.integers(0, nm, ng)], t[-1] + np.cumsum(rng.integers(20, 90, ng)))

    # ---------------------------------------------------------------- labels / output
    def make_labels(self) -> tuple[np.ndarray, np.ndarray]:
        rng = self.rng
        lab = np.full(self.n, -1, np.int64)
        review_p = {"device_farm": .75, "carding_ring": .75, "promo_ring": .6, "hijacked_botnet": .5,
                    "engagement_crew": .45, "review_ring": .35}
        by_kind: dict[str, list[dict]] = {}
        for g in self.groups:
            by_kind.setdefault(g["kind"], []).append(g)
        for kind, gs in by_kind.items():
            if kind in review_p:
                order = rng.permutation(len(gs))
                n_rev = int(round(review_p[kind] * len(gs)))
                if len(gs) >= 2:
                    n_rev = min(n_rev, len(gs) - 1)  # some groups are never reviewed
                for r, gi in enumerate(order):
                    m = gs[gi]["members"]
                    if kind == "hijacked_botnet":  # reviewed as good before the takeover
                        pre = rng.random(len(m)) < rng.uniform(0.2, 0.45)
                        lab[m[pre]] = 0
                    if r < n_rev:
                        hit = (rng.random(len(m)) < rng.uniform(0.15, 0.6)) & (lab[m] == -1)
                        lab[m[hit]] = 1
            else:
                share = {"shop_staff": (1.0, .5, 1.0), "gaming_cafe": (.6, .3, .7), "office": (.4, .1, .3),
                         "fan_club": (.4, .1, .3), "campus": (.5, .03, .06), "viral_moment": (1.0, .01, .03),
                         "household": (.02, 1.0, 1.0)}[kind]
                for g in gs:
                    if rng.random() < share[0]:
                        m = g["members"]
                        lab[m[rng.random(len(m)) < rng.uniform(share[1], share[2])]] = 0
        # organic moderation queue, biased to active accounts; lone bad actors
        acc = np.concatenate([e[0] for e in self.ev])
        n_ev = np.bincount(acc, minlength=self.n)
        w = 0.1 + np.minimum(1.0, n_ev / 60)  # reports pile up on active accounts
        in_bad_group = self.is_bad & (self.group_of >= 0)
        pick = (rng.random(self.n) < 0.05 * w) & ~in_bad_group & (lab == -1)
        lab[pick] = 0
        lb = self.lone_bad[rng.random(len(self.lone_bad)) < 0.6]
        lab[lb] = 1
        idx = np.flatnonzero(lab >= 0)
        val = lab[idx]
        flip = rng.random(len(idx)) < 0.03
        val[flip] = 1 - val[flip]
        return idx, val

    def build(self, with_labels: bool = True) -> dict[str, pl.DataFrame]:
        self.plan()
        self.organic_signals()
        self.organic_events()
        self.plant()
        n = self.n
        ids = hexstr(splitmix(np.arange(n, dtype=np.uint64) + np.uint64(self.seed) * np.uint64(1 << 32)), 16)
        assert ids.n_unique() == n
        out: dict[str, pl.DataFrame] = {}
        # accounts
        created = self.created.copy()
        out["accounts"] = pl.DataFrame({
            "account_id": ids,
            "created_at": pl.Series(created * 1_000_000).cast(pl.Datetime("us")),
            "account_type": np.where(self.is_creator, "creator", "player"),
            "country": COUNTRIES[self.country],
        }).sort("account_id")
        # signals
        acc, kind, val, seen = (np.concatenate(x) for x in zip(*self.sig))
        sdf = pl.DataFrame({"acc": acc, "kind": kind, "val": val, "seen": np.maximum(seen, created[acc])})
        sdf = sdf.group_by(["acc", "kind", "val"]).agg(pl.col("seen").min())
        sdf = sdf.with_columns(pl.min_horizontal("seen", pl.lit(T_END)).alias("seen")).sort(["acc", "kind", "val"])
        parts = []
        for kd in range(len(KINDS)):
            s = sdf.filter(pl.col("kind") == kd)
            v = s["val"].to_numpy()
            if kd == MODEL:
                vs = pl.Series(np.asarray(MODELS)[v], dtype=pl.String)
            elif kd == DOMAIN:
                vs = pl.Series(np.asarray(self.domains)[v], dtype=pl.String)
            else:
                h = splitmix(v.astype(np.uint64) * np.uint64(16) + np.uint64(kd) + np.uint64(self.seed) * np.uint64(1 << 40))
                vs = hexstr(h, HEX_LEN[kd], HEX_PREFIX[kd])
            parts.append(pl.DataFrame({
                "account_id": ids.gather(s["acc"]),
                "kind": pl.Series([KINDS[kd]] * len(s), dtype=pl.String),
                "value": vs,
                "seen_at": (s["seen"] * 1_000_000).cast(pl.Datetime("us")),
            }))
        out["signals"] = pl.concat(parts).sort(["account_id", "kind", "value"])
        # events
        acc, act, tgt, ts = (np.concatenate(x) for x in zip(*self.ev))
        ts = np.maximum(ts, created[acc] + 30)
        keep = ts < T_END  # the export stops at the window end
        acc, act, tgt, ts = acc[keep], act[keep], tgt[keep], ts[keep]
        order = np.lexsort((acc, ts))
        acc, act, tgt, ts = acc[order], act[order], tgt[order], ts[order]
        out["events"] = pl.DataFrame({
            "account_id": ids.gather(acc),
            "action": pl.Series(ACTIONS, dtype=pl.String).gather(act),
            "target_id": self.catalogue(ids).gather(tgt),
            "ts": pl.Series(ts * 1_000_000).cast(pl.Datetime("us")),
        })
        # links
        a, b = (np.concatenate(x) for x in zip(*self.lnk))
        ok = a != b
        lo, hi = np.minimum(a, b)[ok], np.maximum(a, b)[ok]
        ldf = pl.DataFrame({"lo": lo, "hi": hi}).unique(maintain_order=True)
        dm = self.rng.random(ldf.height) < 0.3
        ldf = pl.concat([
            ldf.with_columns(pl.lit("friend").alias("kind"), pl.lit(1.0).alias("weight")),
            ldf.filter(pl.Series(dm)).with_columns(
                pl.lit("dm").alias("kind"),
                pl.Series(np.round(self.rng.lognormal(2.0, 1.2, int(dm.sum())) + 1)).alias("weight")),
        ])
        la, lb = ids.gather(ldf["lo"]), ids.gather(ldf["hi"])
        out["links"] = pl.DataFrame({
            "account_a": pl.Series(np.where((la < lb).to_numpy(), la.to_numpy(), lb.to_numpy()), dtype=pl.String),
            "account_b": pl.Series(np.where((la < lb).to_numpy(), lb.to_numpy(), la.to_numpy()), dtype=pl.String),
            "kind": ldf["kind"], "weight": ldf["weight"].cast(pl.Float64),
        }).sort(["account_a", "account_b", "kind"])
        # labels (drawn after everything else so --no-labels leaves the other tables identical)
        if with_labels:
            li, lv = self.make_labels()
            out["labels"] = pl.DataFrame({"account_id": ids.gather(li),
                                          "label": pl.Series(lv, dtype=pl.Int64)}).sort("account_id")
        # truth
        gid = np.array([f"{g['kind']}:{g['gi']:05d}" for g in self.groups] + [None], dtype=object)
        gkind = np.array([g["kind"] for g in self.groups] + [None], dtype=object)
        go = self.group_of.copy()
        go[go < 0] = len(self.groups)
        out["truth"] = pl.DataFrame({
            "account_id": ids,
            "is_bad": self.is_bad,
            "group_id": pl.Series(gid[go].tolist(), dtype=pl.String),
            "group_kind": pl.Series(gkind[go].tolist(), dtype=pl.String),
        }).sort("account_id")
        return out

    def catalogue(self, ids: pl.Series) -> pl.Series:
        studio = np.arange(self.A) % max(1, self.A // 6)
        apps = ("app.st" + pl.Series(studio).cast(pl.String).str.zfill(3) + ".g"
                + pl.Series(np.arange(self.A)).cast(pl.String).str.zfill(5))
        skus = apps.gather(np.repeat(np.arange(self.A), SKUS)) + "#sku" + pl.Series(
            np.tile(np.arange(SKUS), self.A)).cast(pl.String).str.zfill(2)
        posts = "post/" + pl.Series(np.arange(self.P)).cast(pl.String).str.zfill(7)
        users = "u/" + ids
        refs = "inv/" + hexstr(splitmix(np.arange(self.n, dtype=np.uint64) ^ np.uint64(0xC0DE)), 8).str.to_uppercase()
        words = np.array(PROMO_WORDS)[np.arange(self.NC) % len(PROMO_WORDS)]
        promos = "promo/" + pl.Series(words) + pl.Series(10 + np.arange(self.NC) * 7 % 90).cast(pl.String)
        gcs = "gc/" + hexstr(splitmix(np.arange(self.GC, dtype=np.uint64) + np.uint64(self.seed) * np.uint64(7919)), 12).str.to_uppercase()
        return pl.concat([apps, skus, posts, users, refs, promos, gcs])


def summarize(tables: dict[str, pl.DataFrame]) -> str:
    t = tables["truth"]
    g = (t.filter(pl.col("group_id").is_not_null())
         .group_by("group_kind", "group_id").agg(pl.len().alias("size"), pl.col("is_bad").first())
         .group_by("group_kind").agg(pl.col("is_bad").first().alias("bad"), pl.len().alias("groups"),
                                     pl.col("size").min().alias("min"), pl.col("size").max().alias("max"),
                                     pl.col("size").sum().alias("accounts"))
         .sort(["bad", "groups"], descending=[True, False]))
    lines = [f"{k:10s} {v.height:>9,d} rows" for k, v in tables.items()]
    lines.append(f"bad accounts: {int(t['is_bad'].sum()):,d} (lone bad: {int((t['is_bad'] & t['group_id'].is_null()).sum()):,d})")
    with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True):
        lines.append(str(g))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-labels", action="store_true")
    args = ap.parse_args(argv)
    if args.accounts < 1_000:
        ap.error("--accounts must be at least 1000")
    t0 = time.perf_counter()
    tables = Playhub(args.accounts, args.seed).build(with_labels=not args.no_labels)
    t1 = time.perf_counter()
    args.outdir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.write_parquet(args.outdir / f"{name}.parquet")
    t2 = time.perf_counter()
    print(summarize(tables))
    print(f"generated in {t1 - t0:.1f}s, written in {t2 - t1:.1f}s -> {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

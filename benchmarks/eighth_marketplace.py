#!/usr/bin/env python
"""Eighth synthetic marketplace: a second-hand classifieds site ("Kleinanzeigen"-like).

Built from the input data contract alone (docs: DESIGN.md, "Data contract (inputs)"),
independently of the toolkit's own generator, so the toolkit can be judged on data it
was not built around.

Usage
-----
    python benchmarks/eighth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Files written to OUT_DIR
------------------------
accounts.csv     account_id ("u" + 8 digits), created_at (ISO-8601 "...Z"), account_type
                 (private | business), country
events.csv       account_id, action, target_id, ts (ISO-8601 "...Z"), price (float, empty when
                 not applicable), stars (1-5, only on seller_rating rows)
signals.parquet  account_id, kind, value, seen_at (datetime[us, UTC]: first time the account
                 used that identifier); one row per account-identifier pair
labels.parquet   account_id, label (1 confirmed bad, 0 confirmed good) -- skipped by --no-labels
links.parquet    account_a, account_b, kind (referral | address_fuzzy), weight
truth.parquet    account_id, is_bad, group_id, group_kind -- NOT part of the contract

Observation window: 2024-01-01 .. 2024-07-01 UTC (listings posted up to 40 days earlier
also exist; their listing_post rows carry December timestamps).

Identifier kinds (signals.kind)
-------------------------------
hw_id (device; placeholder "unknown" for web/old-app sessions), push_token (one per app
install; shared when several accounts use one install), ip4 (hashed; home lines, carrier
CGNAT pools, public wifi, VPN exits, campus/office NAT, proxy pools), msisdn (placeholder
"00000000" for a legacy signup flow), mail_hash, card_fp (buyer card), bank_iban_hash
(seller payout account), pickup_point (parcel locker, "PP-" + 10 hex).

Actions (events.action) and targets
-----------------------------------
listing_post, listing_view, fav, offer, purchase, bump, report, dispute_open -> target a
listing id ("L" + 9 digits); msg_sent, seller_rating -> target a seller id ("S" + the
seller's 8 account digits, i.e. account u12345678 is seller S12345678).  A few `report`
rows target a seller id (users reporting a spammer).  Ratings are in the `stars` column;
prices (EUR) in `price` on listing_post / offer / purchase.  events.csv is sorted by ts and
starts with backlog listing_post rows, so polars' default 100-row schema inference reads
`stars` as str: pass schema_overrides={"stars": pl.Int8} (or infer_schema_length=None).

Planted BAD groups (numbers for 20,000 accounts; counts scale with N, at least one each)
-------------------------------------------------------------------------------------
scam_ring (~7 groups, 5-40 accounts, strengths obvious/medium/subtle):
    an operator runs seller accounts, posts underpriced electronics/phones/tickets
    listings that live a few days, collects escrow-less payments; victims report,
    dispute and leave 1-star ratings.  obvious: 1-2 devices + one shared push install,
    one operator IP, one IBAN, all accounts created within ~3h, posting in operator
    sessions.  medium: 3-6 devices, two operator IPs, 1-2 IBANs, 2-4 creation bursts.
    subtle: own devices (plus one shared by ~25%), residential proxy pool, 2-4 mule IBANs,
    creation spread over two months, 30% bought aged accounts.
review_ring (~8 groups, 6-30 accounts, tight/loose): members buy cheap items (3-15 EUR)
    from the ring's sellers and leave 5-star ratings over 4-12 weeks.  Own devices, phones,
    mails and cards; only a residential proxy pool in common (pool IPs are also real
    home lines of some organic users).  tight rings buy/rate in operator "campaign" hours;
    loose rings spread everything out.  Few events per member.
click_farm (~4 groups, 30-200 workers, obvious/medium/subtle): paid boosting jobs on
    client listings (organic sellers' listings, some scam-ring listings): each job uses
    10-40% of the workers who view/fav/message the listing within minutes (obvious: ~8
    min window; subtle: ~35 min exponential spread + stragglers), jobs often repeated on
    following days, farm works in its own timezone, workers also browse organically.
    obvious: device racks shared by ~6 workers, datacenter proxy pool, batch creation,
    referral chains.  subtle: unique devices, residential pool plus carrier IPs.
    The client sellers are NOT marked bad.
account_takeover (~5 groups, 4-20 accounts, obvious/subtle): old legitimate accounts
    (1-5 years) with normal history get new device(s), IPs, often a new IBAN and phone in a
    wave, then post scam listings.  obvious: 1-2 operator devices, 2 IPs, one IBAN,
    wave within 36h.  subtle: one device per ~3 accounts, proxy pool, 2-3 IBANs, wave
    spread over a week.
refund_ring (~6 groups, 5-20 accounts, obvious/subtle): buyers that share cards and
    pickup points, buy from ordinary sellers and open disputes on most orders.
    obvious: 1-2 cards, rare lockers, 2-3 shared devices, a shared flat IP, drop
    addresses (address_fuzzy links).  subtle: each a ring card plus own card, one popular
    + one rare locker, own devices.
lone bad accounts (~0.9% of N, no group): lone scammers, message spammers, lone refund
abusers.

Planted BENIGN confounders
--------------------------
household (group, ~35% of ordinary accounts, 2-5 members): one home IP, 40% a shared
    tablet (hw_id, half also the push_token), 25% a family card, 60% one locker, some
    couples share an IBAN; address_fuzzy and referral links.
campus_nat (group, ~10, 20-150 members): dorms (created in bursts at semester start, a
    local moving-out market among members) and offices, behind 1-3 NAT IPs.
reseller_shop (group, ~16 shops, 2-8 staff): one or two shop devices, shop IP, shop IBAN,
    business accounts, hundreds of listings, daily scripted bump sessions, bulk buying.
No group id (shared infrastructure, not groups): 3 mobile carriers whose CGNAT pools put
    thousands of accounts on one IP; ~450 parcel lockers with Zipf popularity (top ones
    used by several hundred accounts); ~600 public-wifi IPs shared by a handful of random
    accounts; 25 VPN exits; placeholder msisdn "00000000" (~6% of all accounts) and hw_id
    "unknown" (~4.5%); two viral listings (~2,400 users view within an hour); flash sales of
    two shops (20-40 listings each, 40-70% of the shop's 250-500 followers view 3-16 of
    them within 45 minutes, three sales per shop -> repeated lockstep over many targets,
    the strongest benign lockstep in the data); deal-alert users
    (~1.5%) who react to underpriced listings within minutes; power users (~1.5%, 8-25x
    activity); recycled phone numbers; random address_fuzzy false matches.

Labels: ~17-22% of accounts; bad accounts are labelled when their group was investigated
(probability by kind/strength) or with a chance that grows with the reports and disputes they
drew or opened; good labels favour reported-but-cleared accounts, business accounts, power users
and old accounts.  Noise (~3% of labels): 2.5% of good labels become 1 (wrongful
enforcement, weighted toward reported and shared-infrastructure accounts) and 8% of bad
labels become 0 (overturned on appeal).  Several subtle groups carry no label at all.

Everything is drawn from one numpy Generator seeded with --seed: same seed, same files.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86400
HOUR = 3600
MIN = 60
T0 = int(np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64))
T1 = int(np.datetime64("2024-07-01T00:00:00", "s").astype(np.int64))
BACKLOG = 40 * DAY

ACTIONS = ["listing_post", "listing_view", "fav", "msg_sent", "offer", "purchase",
           "seller_rating", "bump", "report", "dispute_open"]
A = {a: i for i, a in enumerate(ACTIONS)}

KINDS = ["hw_id", "push_token", "ip4", "msisdn", "mail_hash", "card_fp", "bank_iban_hash",
         "pickup_point"]
K = {k: i for i, k in enumerate(KINDS)}
PLACEHOLDER = {K["msisdn"]: "00000000", K["hw_id"]: "unknown"}

CATS = ["electronics", "phones", "furniture", "fashion", "kids", "books", "sports", "home",
        "tickets", "collectibles"]
CAT_MEDIAN = np.array([180.0, 250.0, 90.0, 25.0, 20.0, 8.0, 60.0, 30.0, 70.0, 45.0])
CAT_P = np.array([.13, .09, .10, .17, .11, .09, .09, .11, .04, .07])

COUNTRIES = np.array(["DE", "AT", "CH", "PL", "NL", "CZ", "FR"], dtype=object)
COUNTRY_P = np.array([.78, .09, .04, .04, .03, .01, .01])

# listing kinds
L_ORG, L_SHOP, L_SCAM, L_RING, L_FLASH, L_DORM = range(6)

# activity by UTC hour for users in CET
HOUR_W = np.array([2.0, 1.2, .8, .6, .6, .9, 1.8, 3.0, 3.8, 4.0, 4.2, 4.4, 4.8, 4.6, 4.5,
                   4.7, 5.2, 6.0, 7.0, 7.4, 6.6, 5.0, 3.6, 2.6])
HOUR_W = HOUR_W / HOUR_W.sum()

# organic browse action mix
MIX_ACTS = np.array([A["listing_view"], A["fav"], A["msg_sent"], A["offer"], A["purchase"],
                     A["report"]])
MIX_P = np.array([.605, .14, .11, .05, .036, .0035])
MIX_P = MIX_P / MIX_P.sum()
STAR_P = np.array([.05, .03, .08, .24, .60])

OUR_FILES = {"accounts.csv", "events.csv", "signals.parquet", "labels.parquet",
             "links.parquet", "truth.parquet"}


def _mix64(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


class Market:
    def __init__(self, n: int, seed: int):
        if n < 1000:
            raise SystemExit("--accounts must be at least 1000")
        self.n, self.seed = n, seed
        self.rng = rng = np.random.default_rng(seed)
        self.s = n / 20000.0
        self.created = np.zeros(n, np.int64)
        self.atype = np.full(n, "private", dtype=object)
        self.country = rng.choice(COUNTRIES, size=n, p=COUNTRY_P)
        self.is_bad = np.zeros(n, bool)
        self.gid = np.full(n, None, dtype=object)
        self.gkind = np.full(n, None, dtype=object)
        self.lone = np.full(n, None, dtype=object)
        self.special = np.zeros(n, bool)          # in a bad group or lone bad
        self.benign_grouped = np.zeros(n, bool)
        self.power = np.zeros(n, bool)
        self.seller = np.zeros(n, bool)
        self.lam = np.zeros(n)
        self.act_lo = np.zeros(n, np.int64)
        self.act_hi = np.zeros(n, np.int64)
        self.home_key = np.full(n, -1, np.int64)
        self.perm = rng.permutation(n)
        self.ptr = 0
        self.groups: list[dict] = []
        self.kind_counter: dict[str, int] = {}
        self.keyctr = np.zeros(len(KINDS), np.int64)
        self.sigs: list[tuple] = []
        self.evs: list[tuple] = []
        self.links: list[tuple] = []
        self.Lbuf: list[tuple] = []

    # ------------------------------------------------------------------ helpers
    def count(self, base: float) -> int:
        return max(1, int(round(base * self.s)))

    def take(self, k: int) -> np.ndarray:
        k = min(k, self.n - self.ptr)
        out = self.perm[self.ptr:self.ptr + k]
        self.ptr += k
        return out

    def newkeys(self, kind: str, k: int) -> np.ndarray:
        i = K[kind]
        out = self.keyctr[i] + np.arange(k, dtype=np.int64)
        self.keyctr[i] += k
        return out

    def strengths(self, k: int, names: list[str]) -> list[str]:
        reps = [names[i % len(names)] for i in range(k)]
        return [reps[i] for i in self.rng.permutation(k)]

    def group(self, kind: str, members, bad: bool, strength=None, **extra) -> dict:
        c = self.kind_counter.get(kind, 0)
        self.kind_counter[kind] = c + 1
        gid = f"{kind}:{c:05d}"
        members = np.asarray(members, np.int64)
        self.gid[members] = gid
        self.gkind[members] = kind
        if bad:
            self.is_bad[members] = True
            self.special[members] = True
        else:
            self.benign_grouped[members] = True
        spec = dict(kind=kind, gid=gid, members=members, bad=bad, strength=strength, **extra)
        self.groups.append(spec)
        return spec

    def times(self, lo, hi, hw=HOUR_W) -> np.ndarray:
        """Uniform day in [lo, hi), hour of day from the diurnal profile hw."""
        rng = self.rng
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        lo, hi = np.broadcast_arrays(lo, hi)
        m = lo.shape[0]
        span = np.maximum(hi - lo, 1)
        t = lo + (rng.random(m) * span).astype(np.int64)
        sod = rng.choice(24, size=m, p=hw) * HOUR + rng.integers(0, HOUR, m)
        t2 = t - t % DAY + sod
        ok = (t2 >= lo) & (t2 < hi)
        return np.where(ok, t2, t)

    def sig(self, acc, kind: str, key, seen):
        acc = np.asarray(acc, np.int64)
        if acc.size == 0:
            return
        key = np.broadcast_to(np.asarray(key, np.int64), acc.shape).copy()
        seen = np.broadcast_to(np.asarray(seen, np.int64), acc.shape).copy()
        self.sigs.append((acc, np.full(acc.shape, K[kind], np.int8), key, seen))

    def ev(self, acc, action: str, tgt, ts, price=None, stars=None):
        acc = np.asarray(acc, np.int64)
        if acc.size == 0:
            return
        m = acc.shape
        tgt = np.broadcast_to(np.asarray(tgt, np.int64), m).copy()
        ts = np.broadcast_to(np.asarray(ts, np.int64), m).copy()
        pr = (np.full(m, np.nan) if price is None
              else np.broadcast_to(np.asarray(price, float), m).copy())
        st = (np.zeros(m, np.int8) if stars is None
              else np.broadcast_to(np.asarray(stars, np.int8), m).copy())
        self.evs.append((acc, np.full(m, A[action], np.int8), tgt, ts, pr, st))

    @staticmethod
    def seller_t(acc):
        return -(np.asarray(acc, np.int64) + 1)

    def add_listings(self, seller, post, cat, price, appeal, life, kind) -> np.ndarray:
        seller = np.asarray(seller, np.int64)
        m = seller.shape
        post = np.maximum(np.broadcast_to(np.asarray(post, np.int64), m),
                          self.created[seller] + 10 * MIN)
        start = sum(len(b[0]) for b in self.Lbuf)
        self.Lbuf.append((seller, post.copy(),
                          np.broadcast_to(np.asarray(cat, np.int64), m).copy(),
                          np.broadcast_to(np.asarray(price, float), m).copy(),
                          np.broadcast_to(np.asarray(appeal, float), m).copy(),
                          np.broadcast_to(np.asarray(life, np.int64), m).copy(),
                          np.full(m, kind, np.int8)))
        return start + np.arange(m[0])

    def rand_price(self, cat, mult=1.0, sigma=0.6):
        cat = np.asarray(cat)
        p = CAT_MEDIAN[cat] * mult * self.rng.lognormal(0.0, sigma, cat.shape)
        return np.round(np.maximum(p, 1.0), 0)

    # ------------------------------------------------------------ population
    def default_population(self):
        rng, n = self.rng, self.n
        old = rng.random(n) < 0.62
        age = (4 * 365 * DAY) * rng.random(n) ** 1.7 + HOUR
        c_old = self.times(T0 - age - DAY, T0 - age)
        c_new = self.times(np.full(n, T0), np.full(n, T1 - 3 * DAY))
        self.created[:] = np.where(old, c_old, c_new)

    def plan_scam_rings(self):
        rng = self.rng
        k = self.count(7)
        for st in self.strengths(k, ["obvious", "medium", "subtle"]):
            size = int(np.clip(round(rng.lognormal(np.log(13), 0.55)), 5, 40))
            m = self.take(size)
            start = T0 + int(rng.uniform(3, 150) * DAY)
            end = min(start + int(rng.uniform(12, 40) * DAY), T1 - DAY)
            if st == "obvious":
                c = start - int(rng.uniform(0, 5) * DAY)
                self.created[m] = c + rng.integers(0, 3 * HOUR, size)
            elif st == "medium":
                nb = int(rng.integers(2, 5))
                centers = start - rng.uniform(0, 21, nb) * DAY
                self.created[m] = (centers[rng.integers(0, nb, size)]
                                   + rng.integers(0, 4 * HOUR, size)).astype(np.int64)
            else:
                cr = self.times(np.full(size, start - 60 * DAY), np.full(size, start))
                aged = rng.random(size) < 0.3
                cr_aged = self.times(np.full(size, T0 - 730 * DAY), np.full(size, T0 - 365 * DAY))
                self.created[m] = np.where(aged, cr_aged, cr)
            self.group("scam_ring", m, True, st, start=start, end=end)

    def plan_review_rings(self):
        rng = self.rng
        for st in self.strengths(self.count(8), ["tight", "loose"]):
            size = int(rng.integers(6, 31))
            m = self.take(size)
            start = T0 + int(rng.uniform(0, 110) * DAY)
            end = min(start + int(rng.uniform(28, 84) * DAY), T1 - 2 * DAY)
            self.created[m] = self.times(np.full(size, start - 200 * DAY),
                                         np.full(size, start - 10 * DAY))
            self.group("review_ring", m, True, st, start=start, end=end)

    def plan_click_farms(self):
        rng = self.rng
        for st in self.strengths(self.count(4), ["obvious", "medium", "subtle"]):
            size = int(rng.integers(30, 201))
            size = min(size, max(30, int(0.06 * self.n)))
            m = self.take(size)
            shift = int(rng.choice([0, 0, 5, 6, 7]))   # farm timezone (hours ahead of CET)
            if st == "obvious":
                nb = max(2, size // 20)
                centers = self.times(np.full(nb, T0 - 150 * DAY), np.full(nb, T0 + 20 * DAY))
                self.created[m] = centers[rng.integers(0, nb, size)] + rng.integers(0, HOUR, size)
            elif st == "medium":
                nb = max(3, size // 8)
                centers = self.times(np.full(nb, T0 - 200 * DAY), np.full(nb, T0 + 30 * DAY))
                self.created[m] = (centers[rng.integers(0, nb, size)]
                                   + rng.integers(0, 2 * DAY, size))
            else:
                self.created[m] = self.times(np.full(size, T0 - 300 * DAY),
                                             np.full(size, T0 + 40 * DAY))
            self.group("click_farm", m, True, st, shift=shift)

    def plan_takeovers(self):
        rng = self.rng
        for st in self.strengths(self.count(5), ["obvious", "subtle"]):
            size = int(rng.integers(4, 21))
            m = self.take(size)
            self.created[m] = self.times(T0 - rng.uniform(365, 5 * 365, size).astype(np.int64) * DAY,
                                         T0 - 300 * DAY)
            wave = T0 + int(rng.uniform(60, 160) * DAY)
            self.group("account_takeover", m, True, st, wave=wave)

    def plan_refund_rings(self):
        rng = self.rng
        for st in self.strengths(self.count(6), ["obvious", "subtle"]):
            size = int(rng.integers(5, 21))
            m = self.take(size)
            start = T0 + int(rng.uniform(5, 120) * DAY)
            end = min(start + int(rng.uniform(30, 100) * DAY), T1 - 3 * DAY)
            if st == "obvious":
                centers = start - rng.uniform(3, 40, 2) * DAY
                self.created[m] = (centers[rng.integers(0, 2, size)]
                                   + rng.integers(0, 6 * HOUR, size)).astype(np.int64)
            else:
                self.created[m] = self.times(np.full(size, start - 120 * DAY),
                                             np.full(size, start - 2 * DAY))
            self.group("refund_ring", m, True, st, start=start, end=end)

    def plan_lone(self):
        rng = self.rng
        k = int(round(0.009 * self.n))
        m = self.take(k)
        kinds = rng.choice(np.array(["lone_scammer", "lone_spammer", "lone_refund"], dtype=object),
                           size=k, p=[.5, .3, .2])
        self.lone[m] = kinds
        self.is_bad[m] = True
        self.special[m] = True
        recent = rng.random(k) < 0.7
        self.created[m] = np.where(recent, self.times(np.full(k, T0 - 30 * DAY), np.full(k, T1 - 20 * DAY)),
                                   self.created[m])

    def plan_benign(self):
        rng = self.rng
        # reseller shops
        for _ in range(self.count(16)):
            size = int(rng.integers(2, 9))
            m = self.take(size)
            founded = T0 - int(rng.uniform(60, 1500) * DAY)
            self.created[m] = self.times(np.full(size, founded), np.full(size, T0 + 60 * DAY))
            self.created[m[0]] = founded
            self.atype[m] = "business"
            hour = int(rng.integers(6, 11))   # UTC bump hour
            self.group("reseller_shop", m, False, None, hour=hour)
        # campuses: dorms and offices
        for i in range(self.count(10)):
            dorm = rng.random() < 0.6
            size = int(rng.integers(80, 151)) if i < 2 else int(rng.integers(20, 81))
            m = self.take(size)
            if dorm:
                starts = np.array([T0 - 92 * DAY, T0 + 98 * DAY, T0 - 457 * DAY])  # Oct 1, Apr 8
                burst = rng.random(size) < 0.6
                sidx = rng.choice(3, size=size, p=[.5, .3, .2])
                self.created[m] = np.where(
                    burst, starts[sidx] + rng.integers(0, 8 * DAY, size), self.created[m])
            self.group("campus_nat", m, False, "dorm" if dorm else "office")
        # households among the remaining ordinary accounts
        rest = self.perm[self.ptr:]
        n_hh_acc = int(0.35 * len(rest))
        sizes = []
        tot = 0
        while tot < n_hh_acc:
            z = int(rng.choice([2, 3, 4, 5], p=[.5, .27, .15, .08]))
            sizes.append(z)
            tot += z
        for z in sizes:
            m = self.take(z)
            if len(m) < 2:
                break
            self.group("household", m, False, None)

    def default_activity(self):
        rng, n = self.rng, self.n
        lo = np.maximum(self.created + 10 * MIN, T0)
        churn = rng.random(n) < 0.22
        hi = np.where(churn, lo + ((T1 - lo) * rng.uniform(0.1, 0.9, n)).astype(np.int64), T1)
        self.act_lo[:] = lo
        self.act_hi[:] = np.maximum(hi, lo)
        frac = (self.act_hi - self.act_lo) / (T1 - T0)
        lam = rng.lognormal(np.log(13), 0.95, n) * frac
        ordinary = ~self.special
        self.power[:] = ordinary & (rng.random(n) < 0.015)
        lam[self.power] *= rng.uniform(8, 25, self.power.sum())
        self.lam[:] = lam
        self.seller[:] = rng.random(n) < 0.33
        self.seller[self.power] = rng.random(self.power.sum()) < 0.6

    def group_activity(self):
        rng = self.rng
        for g in self.groups:
            m, kind = g["members"], g["kind"]
            z = len(m)
            if kind == "scam_ring":
                self.lam[m] = rng.uniform(2, 8, z)
                self.act_lo[m] = np.maximum(self.created[m] + HOUR, T0)
                self.act_hi[m] = np.maximum(g["end"] + 5 * DAY, self.act_lo[m] + DAY)
                self.seller[m] = False
            elif kind == "review_ring":
                self.lam[m] = rng.uniform(2, 6, z)
                self.act_lo[m] = np.maximum(self.created[m] + HOUR, T0)
                self.act_hi[m] = T1
                self.seller[m] = False
            elif kind == "click_farm":
                lo_, hi_ = (4, 10) if g["strength"] == "obvious" else (6, 20)
                self.lam[m] = rng.uniform(lo_, hi_, z)
                self.act_lo[m] = np.maximum(self.created[m] + HOUR, T0)
                self.act_hi[m] = T1
                self.seller[m] = rng.random(z) < 0.05
            elif kind == "account_takeover":
                frac = (g["wave"] - T0) / (T1 - T0)
                self.lam[m] = rng.lognormal(np.log(15), 0.7, z) * frac
                self.act_lo[m] = T0
                self.act_hi[m] = g["wave"]
                self.seller[m] = rng.random(z) < 0.6
            elif kind == "refund_ring":
                self.lam[m] = rng.uniform(5, 15, z)
                self.act_lo[m] = np.maximum(self.created[m] + HOUR, T0)
                self.act_hi[m] = T1
                self.seller[m] = False
            elif kind == "reseller_shop":
                self.lam[m] = rng.uniform(60, 200, z)
                self.seller[m] = False       # shop listings are made separately
        lone = np.flatnonzero(self.lone != None)  # noqa: E711
        self.lam[lone] = rng.uniform(2, 10, len(lone))
        self.act_lo[lone] = np.maximum(self.created[lone] + HOUR, T0)
        self.act_hi[lone] = T1
        self.seller[lone] = False

    # --------------------------------------------------------------- listings
    def make_listings(self):
        rng = self.rng
        # organic sellers
        sel = np.flatnonzero(self.seller)
        nl = 1 + rng.poisson(rng.lognormal(np.log(1.6), 0.9, len(sel)))
        nl[self.power[sel]] *= 4
        nl[self.atype[sel] == "business"] *= 3
        s = np.repeat(sel, nl)
        lo = np.maximum(self.created[s] + HOUR, T0 - BACKLOG)
        hi = np.maximum(self.act_hi[s], lo + HOUR)
        post = self.times(lo, hi)
        cat = rng.choice(len(CATS), size=len(s), p=CAT_P)
        price = self.rand_price(cat)
        appeal = rng.lognormal(0, 0.6, len(s))
        appeal = np.where(price < 0.6 * CAT_MEDIAN[cat], appeal * 1.5, appeal)
        life = (rng.uniform(4, 40, len(s)) * DAY).astype(np.int64)
        self.add_listings(s, post, cat, price, appeal, life, L_ORG)

        for g in self.groups:
            m, kind, st = g["members"], g["kind"], g["strength"]
            if kind == "reseller_shop":
                shop_cats = rng.choice(len(CATS), size=2, replace=False, p=CAT_P)
                per = rng.integers(40, 150, len(m))
                s = np.repeat(m, per)
                lo = np.maximum(self.created[s] + HOUR, T0 - BACKLOG)
                post = self.times(lo, np.maximum(lo + HOUR, T1))
                cat = shop_cats[rng.integers(0, 2, len(s))]
                g["listings"] = self.add_listings(
                    s, post, cat, self.rand_price(cat, 1.1, 0.4), rng.lognormal(0.1, 0.5, len(s)),
                    (rng.uniform(10, 60, len(s)) * DAY).astype(np.int64), L_SHOP)
            elif kind == "scam_ring":
                nl = 1 + rng.poisson(2.5 if st == "obvious" else 1.8, len(m))
                s = np.repeat(m, nl)
                lo = np.maximum(self.created[s] + 10 * MIN, g["start"])
                hi = np.maximum(lo + HOUR, g["end"])
                rnd = self.times(lo, hi)
                nsess = int(rng.integers(2, 6))
                sess = self.times(np.full(nsess, g["start"]), np.full(nsess, g["end"]))
                batch = sess[rng.integers(0, nsess, len(s))] + rng.integers(0, 40 * MIN, len(s))
                use_b = {"obvious": 0.9, "medium": 0.5, "subtle": 0.0}[st]
                post = np.where((rng.random(len(s)) < use_b) & (batch >= lo), batch, rnd)
                cat = rng.choice([0, 1, 8, 2], size=len(s), p=[.35, .35, .2, .1])
                mult = 0.5 if st != "subtle" else 0.72
                price = self.rand_price(cat, mult, 0.25)
                app = rng.lognormal(0, 0.5, len(s)) * (3.0 if st != "subtle" else 2.0)
                lif = rng.uniform(2, 10, len(s)) if st == "obvious" else rng.uniform(4, 20, len(s))
                g["listings"] = self.add_listings(s, post, cat, price, app,
                                                  (lif * DAY).astype(np.int64), L_SCAM)
            elif kind == "account_takeover":
                nl = rng.integers(2, 7, len(m))
                s = np.repeat(m, nl)
                w = g["wave"] + (DAY if st == "obvious" else 4 * DAY)
                post = self.times(np.full(len(s), w), np.full(len(s), min(w + 14 * DAY, T1 - HOUR)))
                cat = rng.choice([0, 1, 8, 2, 6], size=len(s), p=[.3, .3, .15, .15, .1])
                g["listings"] = self.add_listings(
                    s, post, cat, self.rand_price(cat, 0.55, 0.3),
                    rng.lognormal(0, 0.5, len(s)) * 2.5,
                    (rng.uniform(2, 12, len(s)) * DAY).astype(np.int64), L_SCAM)
            elif kind == "review_ring":
                nsel = max(2, len(m) // 5)
                g["sellers"] = m[:nsel]
                per = rng.integers(4, 13, nsel)
                s = np.repeat(m[:nsel], per)
                post = self.times(np.full(len(s), g["start"] - 5 * DAY), np.full(len(s), g["end"]))
                cat = rng.choice([3, 4, 5, 9], size=len(s))
                price = np.round(rng.uniform(3, 15, len(s)), 0)
                g["listings"] = self.add_listings(
                    s, post, cat, price, rng.lognormal(-0.5, 0.4, len(s)),
                    np.full(len(s), 90 * DAY), L_RING)
            elif kind == "campus_nat" and st == "dorm":
                m_end = int(rng.choice([T0 + 35 * DAY, T1 - 14 * DAY]))
                posters = m[rng.random(len(m)) < 0.25]
                nl = rng.integers(1, 4, len(posters))
                s = np.repeat(posters, nl)
                post = self.times(np.full(len(s), m_end), np.full(len(s), m_end + 7 * DAY))
                cat = rng.choice([2, 5, 0, 7], size=len(s), p=[.4, .3, .15, .15])
                g["listings"] = self.add_listings(
                    s, post, cat, self.rand_price(cat, 0.6), rng.lognormal(0, 0.5, len(s)),
                    np.full(len(s), 20 * DAY), L_DORM)
        lone = np.flatnonzero(self.lone == "lone_scammer")
        nl = 1 + rng.poisson(1.5, len(lone))
        s = np.repeat(lone, nl)
        lo = np.maximum(self.created[s] + HOUR, T0)
        post = self.times(lo, np.minimum(lo + 30 * DAY, T1 - HOUR))
        cat = rng.choice([0, 1, 8], size=len(s))
        self.add_listings(s, post, cat, self.rand_price(cat, 0.55, 0.3),
                          rng.lognormal(0, 0.5, len(s)) * 2.5,
                          (rng.uniform(2, 14, len(s)) * DAY).astype(np.int64), L_SCAM)
        # flash sales: two shops, two sales each
        shops = [g for g in self.groups if g["kind"] == "reseller_shop"]
        self.flash = []
        nshop = min(2, len(shops))
        for g in [shops[i] for i in rng.choice(len(shops), nshop, replace=False)]:
            pool = np.flatnonzero(~self.special & (self.created < T0 + 60 * DAY))
            nf = min(int(rng.integers(200, 451) * self.s) + 50, len(pool) // 4)
            followers = rng.choice(pool, nf, replace=False)
            for _ in range(3):
                S = int(self.times([T0 + 20 * DAY], [T1 - 10 * DAY])[0])
                nl = int(rng.integers(20, 41))
                sellers = g["members"][rng.integers(0, len(g["members"]), nl)]
                cat = rng.choice(len(CATS), size=nl, p=CAT_P)
                li = self.add_listings(sellers, S - rng.integers(0, 10 * MIN, nl), cat,
                                       self.rand_price(cat, 0.7, 0.4), rng.lognormal(0, .5, nl),
                                       np.full(nl, 2 * DAY), L_FLASH)
                self.flash.append((S, li, followers))

    def finalize_listings(self):
        cols = list(zip(*self.Lbuf))
        (self.Ls, self.Lpost, self.Lcat, self.Lprice, self.Lapp, self.Llife,
         self.Lkind) = [np.concatenate(c) for c in cols]
        self.Lexp = self.Lpost + self.Llife
        self.Lord = np.argsort(self.Lpost, kind="stable")
        self.Lpost_sorted = self.Lpost[self.Lord]
        self.nL = len(self.Ls)

    def pick_listing(self, ts: np.ndarray) -> np.ndarray:
        """Recency- and appeal-biased choice among listings live at ts (-1 when none)."""
        rng = self.rng
        ps = self.Lpost_sorted
        p = np.searchsorted(ps, ts, "right")
        lo = np.searchsorted(ps, ts - 40 * DAY, "left")
        w = p - lo
        res = np.full(len(ts), -1, np.int64)
        ok = w > 0
        for _ in range(3):
            idx = np.flatnonzero((res < 0) & ok)
            if idx.size == 0:
                break
            ww = w[idx]
            c1 = p[idx] - 1 - (ww * rng.random(idx.size) ** 1.7).astype(np.int64)
            c2 = p[idx] - 1 - (ww * rng.random(idx.size) ** 1.7).astype(np.int64)
            l1, l2 = self.Lord[c1], self.Lord[c2]
            li = np.where(self.Lapp[l1] >= self.Lapp[l2], l1, l2)
            alive = (ts[idx] < self.Lexp[li]) & (self.Lkind[li] != L_FLASH)
            res[idx[alive]] = li[alive]
        return res

    # ----------------------------------------------------------------- events
    def purchase_outcomes(self, buyer, li, ts, rate_p=0.55):
        rng = self.rng
        if len(buyer) == 0:
            return
        scam = self.Lkind[li] == L_SCAM
        sel = self.Ls[li]
        r = rng.random(len(li))
        rate = ~scam & (r < rate_p)
        t_r = ts + (rng.lognormal(np.log(3), 0.6, len(li)) * DAY).astype(np.int64)
        stars = rng.choice(5, size=len(li), p=STAR_P) + 1
        self.ev(buyer[rate], "seller_rating", self.seller_t(sel[rate]), t_r[rate], stars=stars[rate])
        disp = ~scam & (rng.random(len(li)) < 0.015)
        t_d = ts + (rng.uniform(2, 8, len(li)) * DAY).astype(np.int64)
        self.ev(buyer[disp], "dispute_open", li[disp], t_d[disp])
        # scam victims
        rep = scam & (rng.random(len(li)) < 0.6)
        t_p = ts + (rng.uniform(0.5, 5, len(li)) * DAY).astype(np.int64)
        self.ev(buyer[rep], "report", li[rep], t_p[rep])
        dsp = scam & (rng.random(len(li)) < 0.7)
        self.ev(buyer[dsp], "dispute_open", li[dsp], t_d[dsp])
        low = scam & (rng.random(len(li)) < 0.35)
        self.ev(buyer[low], "seller_rating", self.seller_t(sel[low]), t_r[low],
                stars=np.where(rng.random(len(li)) < 0.9, 1, 2)[low])

    def scam_side_reports(self, acc, li, ts, p):
        m = (self.Lkind[li] == L_SCAM) & (self.rng.random(len(li)) < p)
        self.ev(acc[m], "report", li[m], ts[m] + self.rng.integers(MIN, 20 * MIN, m.sum()))

    def browse(self):
        rng = self.rng
        accs = np.flatnonzero((self.lam > 0) & (self.act_hi > self.act_lo + HOUR))
        nsess = rng.poisson(self.lam[accs] / 4.0)
        sa = np.repeat(accs, nsess)
        st = self.times(self.act_lo[sa], self.act_hi[sa])
        ssize = 1 + rng.poisson(3.0, len(sa))
        ea = np.repeat(sa, ssize)
        gaps = rng.exponential(70, len(ea)).astype(np.int64) + 3
        cs = np.cumsum(gaps)
        starts = np.cumsum(ssize) - ssize
        ts = np.repeat(st, ssize) + cs - np.repeat(cs[starts], ssize)
        act = MIX_ACTS[rng.choice(len(MIX_ACTS), size=len(ea), p=MIX_P)]
        li = self.pick_listing(ts)
        keep = (li >= 0)
        keep &= self.Ls[np.maximum(li, 0)] != ea
        ea, ts, act, li = ea[keep], ts[keep], act[keep], li[keep]
        self._emit_mixed(ea, act, li, ts)

    def _emit_mixed(self, ea, act, li, ts, rate_p=0.55):
        rng = self.rng
        for a in ("listing_view", "fav", "report"):
            m = act == A[a]
            self.ev(ea[m], a, li[m], ts[m])
        m = act == A["msg_sent"]
        self.ev(ea[m], "msg_sent", self.seller_t(self.Ls[li[m]]), ts[m])
        self.scam_side_reports(ea[m], li[m], ts[m], 0.08)
        m = act == A["offer"]
        self.ev(ea[m], "offer", li[m], ts[m],
                price=np.round(self.Lprice[li[m]] * rng.uniform(0.6, 0.95, m.sum()), 0))
        m = act == A["purchase"]
        self.ev(ea[m], "purchase", li[m], ts[m],
                price=np.round(self.Lprice[li[m]] * rng.uniform(0.85, 1.0, m.sum()), 0))
        self.purchase_outcomes(ea[m], li[m], ts[m], rate_p)
        m = act == A["listing_view"]
        self.scam_side_reports(ea[m], li[m], ts[m], 0.02)

    def listing_events(self):
        rng = self.rng
        idx = np.arange(self.nL)
        self.ev(self.Ls, "listing_post", idx, self.Lpost, price=self.Lprice)
        k = self.Lkind
        p = np.where(k == L_SCAM, 0.5, np.where((k == L_ORG) | (k == L_RING), 0.12, 0.0))
        nb = np.where(rng.random(self.nL) < p, rng.integers(1, 4, self.nL), 0)
        li = np.repeat(idx, nb)
        t = self.Lpost[li] + (rng.uniform(0.05, 1.0, len(li)) * self.Llife[li]).astype(np.int64)
        t = np.maximum(t, self.Lpost[li] + 6 * HOUR)
        self.ev(self.Ls[li], "bump", li, t)

    def shop_events(self):
        rng = self.rng
        for g in self.groups:
            if g["kind"] != "reseller_shop":
                continue
            m, lis = g["members"], g["listings"]
            days = np.arange(T0 // DAY, T1 // DAY) * DAY
            days = days[rng.random(len(days)) < 0.55]
            for d in days:
                t0 = d + g["hour"] * HOUR + int(rng.integers(-10 * MIN, 10 * MIN))
                live = lis[(self.Lpost[lis] < t0 - 6 * HOUR) & (self.Lexp[lis] > t0)]
                if live.size == 0:
                    continue
                staff = m[int(rng.integers(0, len(m)))]
                if self.created[staff] > t0:
                    continue
                nb = min(live.size, int(rng.integers(5, 21)))
                pick = rng.choice(live, nb, replace=False)
                ts = t0 + np.cumsum(rng.integers(15, 90, nb))
                self.ev(np.full(nb, staff), "bump", pick, ts)

    def viral_events(self):
        rng = self.rng
        org = np.flatnonzero((self.Lkind == L_ORG) & (self.Lpost > T0 + 20 * DAY)
                             & (self.Lpost < T1 - 20 * DAY))
        for li in rng.choice(org, 2 if self.s >= 0.5 else 1, replace=False):
            V = int(self.Lpost[li]) + int(rng.integers(2 * HOUR, 2 * DAY))
            self.Lexp[li] = max(self.Lexp[li], V + 5 * DAY)
            pool = np.flatnonzero(~self.special & (self.created < V - HOUR) & (self.act_hi > V))
            k = min(int(0.12 * self.n), len(pool) // 2)
            aud = rng.choice(pool, k, replace=False)
            ts = V + (rng.lognormal(np.log(15 * MIN), 0.8, k)).astype(np.int64)
            self.ev(aud, "listing_view", li, ts)
            f = rng.random(k) < 0.5
            self.ev(aud[f], "fav", li, ts[f] + rng.integers(5, 120, f.sum()))
            mm = rng.random(k) < 0.04
            self.ev(aud[mm], "msg_sent", self.seller_t(self.Ls[li]), ts[mm] + rng.integers(30, 600, mm.sum()))
            o = rng.random(k) < 0.01
            self.ev(aud[o], "offer", li, ts[o] + rng.integers(60, 900, o.sum()),
                    price=np.round(self.Lprice[li] * rng.uniform(.6, .95, o.sum()), 0))

    def flash_events(self):
        rng = self.rng
        for S, lis, followers in self.flash:
            part = followers[rng.random(len(followers)) < rng.uniform(0.4, 0.7)]
            nv = rng.integers(3, 17, len(part))
            acc = np.repeat(part, nv)
            li = lis[rng.integers(0, len(lis), len(acc))]
            ts = S + (rng.gamma(1.5, 9 * MIN, len(acc))).astype(np.int64)
            ts = np.minimum(ts, S + 45 * MIN)
            self.ev(acc, "listing_view", li, ts)
            f = rng.random(len(acc)) < 0.3
            self.ev(acc[f], "fav", li[f], ts[f] + rng.integers(5, 60, f.sum()))
            b = rng.random(len(acc)) < 0.07
            self.ev(acc[b], "purchase", li[b], ts[b] + rng.integers(30, 300, b.sum()),
                    price=self.Lprice[li[b]])
            self.purchase_outcomes(acc[b], li[b], ts[b] + 300)

    def alert_events(self):
        rng = self.rng
        pool = np.flatnonzero(~self.special)
        users = rng.choice(pool, max(20, int(0.015 * self.n)), replace=False)
        subs = rng.choice(len(CATS), size=len(users), p=CAT_P)
        cheap = np.flatnonzero((self.Lkind == L_ORG) & (self.Lprice < 0.6 * CAT_MEDIAN[self.Lcat])
                               & (self.Lpost >= T0))
        for c in range(len(CATS)):
            su = users[subs == c]
            lc = cheap[self.Lcat[cheap] == c]
            if su.size == 0 or lc.size == 0:
                continue
            cnt = np.minimum(rng.poisson(1.5, lc.size), su.size)
            li = np.repeat(lc, cnt)
            acc = su[rng.integers(0, su.size, li.size)]
            ts = self.Lpost[li] + rng.integers(2 * MIN, 25 * MIN, li.size)
            self.ev(acc, "listing_view", li, ts)
            mm = rng.random(li.size) < 0.6
            self.ev(acc[mm], "msg_sent", self.seller_t(self.Ls[li[mm]]),
                    ts[mm] + rng.integers(30, 180, mm.sum()))
            f = rng.random(li.size) < 0.3
            self.ev(acc[f], "fav", li[f], ts[f] + rng.integers(5, 60, f.sum()))

    def dorm_events(self):
        rng = self.rng
        for g in self.groups:
            if g["kind"] != "campus_nat" or g["strength"] != "dorm":
                continue
            m = g["members"]
            for li in g["listings"]:
                v = m[rng.random(len(m)) < rng.uniform(0.15, 0.4)]
                ts = self.Lpost[li] + (rng.exponential(8 * HOUR, len(v))).astype(np.int64) + MIN
                self.ev(v, "listing_view", li, ts)
                f = rng.random(len(v)) < 0.3
                self.ev(v[f], "fav", li, ts[f] + 30)
                mm = rng.random(len(v)) < 0.2
                self.ev(v[mm], "msg_sent", self.seller_t(self.Ls[li]), ts[mm] + 120)
                b = np.flatnonzero(mm)[:1]
                self.ev(v[b], "purchase", li, ts[b] + DAY, price=self.Lprice[li])

    def review_ring_events(self, g):
        rng = self.rng
        m, lis, st = g["members"], g["listings"], g["strength"]
        nb = 1 + rng.poisson(2.5, len(m))
        buyer = np.repeat(m, nb)
        li = lis[rng.integers(0, len(lis), len(buyer))]
        own = self.Ls[li] == buyer
        li[own] = lis[rng.integers(0, len(lis), own.sum())]
        keep = self.Ls[li] != buyer
        buyer, li = buyer[keep], li[keep]
        lo = np.maximum(np.maximum(self.Lpost[li], self.created[buyer]) + HOUR, g["start"])
        hi = np.maximum(lo + HOUR, g["end"])
        if st == "tight":
            nc = int(rng.integers(4, 9))
            camp = self.times(np.full(nc, g["start"]), np.full(nc, g["end"]))
            camp = np.sort(camp)
            # each purchase goes to the first campaign after the listing was posted
            ci = np.minimum(np.searchsorted(camp, lo), nc - 1)
            tc = camp[ci] + rng.integers(0, 90 * MIN, len(li))
            ts = np.where(tc > lo, tc, self.times(lo, hi))
            rcamp = camp + int(rng.uniform(2, 5) * DAY)
            tr = rcamp[ci] + rng.integers(0, 60 * MIN, len(li))
        else:
            ts = self.times(lo, hi)
            tr = ts + (rng.uniform(1, 6, len(li)) * DAY).astype(np.int64)
        tr = np.maximum(tr, ts + HOUR)
        self.ev(buyer, "listing_view", li, ts - rng.integers(MIN, 20 * MIN, len(li)))
        m2 = rng.random(len(li)) < 0.5
        self.ev(buyer[m2], "msg_sent", self.seller_t(self.Ls[li[m2]]), ts[m2] - rng.integers(30, 500, m2.sum()))
        self.ev(buyer, "purchase", li, ts, price=self.Lprice[li])
        r = rng.random(len(li)) < 0.92
        stars = np.where(rng.random(len(li)) < 0.9, 5, 4)
        self.ev(buyer[r], "seller_rating", self.seller_t(self.Ls[li[r]]), tr[r], stars=stars[r])

    def click_farm_events(self, g):
        rng = self.rng
        m, st = g["members"], g["strength"]
        hw = np.roll(HOUR_W, -g["shift"])
        # clients: ordinary sellers; some jobs for scam listings
        org = np.flatnonzero(((self.Lkind == L_ORG) | (self.Lkind == L_SHOP))
                             & (self.Lpost >= T0) & ~self.special[self.Ls])
        client_sellers = np.unique(self.Ls[rng.choice(org, int(rng.integers(8, 26)))])
        cand = org[np.isin(self.Ls[org], client_sellers)]
        scam = np.flatnonzero((self.Lkind == L_SCAM) & (self.Lpost >= T0))
        nj = int(rng.integers(25, 71))
        jitter = {"obvious": 8 * MIN, "medium": 15 * MIN, "subtle": 35 * MIN}[st]
        g["jobs"] = 0
        for _ in range(nj):
            use_scam = scam.size > 0 and rng.random() < 0.2
            li = int(rng.choice(scam if use_scam else cand))
            T = int(self.times([self.Lpost[li] + 10 * MIN], [self.Lpost[li] + 3 * DAY], hw)[0])
            reps = 1 if rng.random() < 0.6 else int(rng.integers(2, 4))
            for r in range(reps):
                Tr = T + r * DAY + int(rng.integers(-2 * HOUR, 2 * HOUR))
                if Tr >= min(T1, self.Lexp[li]):
                    break
                g["jobs"] += 1
                k = max(3, int(len(m) * rng.uniform(0.10, 0.40)))
                w = rng.choice(m, k, replace=False)
                if st == "obvious":
                    ts = Tr + rng.integers(0, jitter, k)
                else:
                    ts = Tr + rng.exponential(jitter, k).astype(np.int64)
                    late = rng.random(k) < (0.1 if st == "medium" else 0.2)
                    ts[late] += (rng.lognormal(np.log(3 * HOUR), 0.7, late.sum())).astype(np.int64)
                self.ev(w, "listing_view", li, ts)
                two = rng.random(k) < 0.4
                self.ev(w[two], "listing_view", li, ts[two] + rng.integers(20, 400, two.sum()))
                f = rng.random(k) < 0.85
                self.ev(w[f], "fav", li, ts[f] + rng.integers(5, 90, f.sum()))
                mm = rng.random(k) < 0.15
                self.ev(w[mm], "msg_sent", self.seller_t(self.Ls[li]), ts[mm] + rng.integers(30, 300, mm.sum()))
                o = rng.random(k) < 0.03
                self.ev(w[o], "offer", li, ts[o] + rng.integers(60, 600, o.sum()),
                        price=np.round(self.Lprice[li] * 0.9, 0))

    def refund_ring_events(self, g):
        rng = self.rng
        m = g["members"]
        np_ = rng.integers(3, 13, len(m))
        buyer = np.repeat(m, np_)
        ts = self.times(np.maximum(self.created[buyer] + HOUR, g["start"]), np.full(len(buyer), g["end"]))
        li = self.pick_listing(ts)
        ok = (li >= 0)
        ok &= (self.Lkind[np.maximum(li, 0)] != L_SCAM)
        buyer, ts, li = buyer[ok], ts[ok], li[ok]
        self.ev(buyer, "listing_view", li, ts - rng.integers(5 * MIN, 2 * HOUR, len(li)))
        mm = rng.random(len(li)) < 0.7
        self.ev(buyer[mm], "msg_sent", self.seller_t(self.Ls[li[mm]]), ts[mm] - rng.integers(60, 1800, mm.sum()))
        self.ev(buyer, "purchase", li, ts, price=self.Lprice[li])
        pd = rng.uniform(0.55, 0.85)
        d = rng.random(len(li)) < pd
        td = ts + (rng.uniform(2, 6, len(li)) * DAY).astype(np.int64)
        self.ev(buyer[d], "dispute_open", li[d], td[d])
        r = rng.random(len(li)) < 0.3
        self.ev(buyer[r], "seller_rating", self.seller_t(self.Ls[li[r]]), td[r] + DAY,
                stars=rng.integers(1, 3, r.sum()))

    def lone_events(self):
        rng = self.rng
        sp = np.flatnonzero(self.lone == "lone_spammer")
        sellers = np.flatnonzero(self.seller & ~self.special)
        for a in sp:
            k = int(rng.integers(40, 301))
            t0 = int(self.times([self.act_lo[a]], [max(self.act_lo[a] + HOUR, T1 - 5 * DAY)])[0])
            ts = t0 + np.cumsum(rng.exponential(rng.uniform(40, 400), k)).astype(np.int64)
            ts += (rng.random(k) < 0.3) * DAY
            tg = rng.choice(sellers, k)
            self.ev(np.full(k, a), "msg_sent", self.seller_t(tg), ts)
            rep = rng.random(k) < 0.05
            self.ev(tg[rep], "report", self.seller_t(np.full(rep.sum(), a)), ts[rep] + rng.integers(MIN, DAY, rep.sum()))
        rf = np.flatnonzero(self.lone == "lone_refund")
        np_ = rng.integers(3, 9, len(rf))
        buyer = np.repeat(rf, np_)
        ts = self.times(self.act_lo[buyer], self.act_hi[buyer])
        li = self.pick_listing(ts)
        ok = li >= 0
        buyer, ts, li = buyer[ok], ts[ok], li[ok]
        self.ev(buyer, "purchase", li, ts, price=self.Lprice[li])
        d = rng.random(len(li)) < 0.7
        self.ev(buyer[d], "dispute_open", li[d], ts[d] + (rng.uniform(2, 6, d.sum()) * DAY).astype(np.int64))

    def make_events(self):
        self.browse()
        self.listing_events()
        self.shop_events()
        self.viral_events()
        self.flash_events()
        self.alert_events()
        self.dorm_events()
        for g in self.groups:
            if g["kind"] == "review_ring":
                self.review_ring_events(g)
            elif g["kind"] == "click_farm":
                self.click_farm_events(g)
            elif g["kind"] == "refund_ring":
                self.refund_ring_events(g)
        self.lone_events()

    # ---------------------------------------------------------------- signals
    def build_pools(self):
        s = self.s
        self.carrier_share = np.array([.45, .35, .20])
        self.carrier_pools = []
        for c in range(3):
            size = max(6, int(round([30, 25, 20][c] * max(s, 0.3))))
            keys = self.newkeys("ip4", size)
            w = 1.0 / np.arange(1, size + 1) ** 1.2
            self.carrier_pools.append((keys, w / w.sum()))
        self.wifi = self.newkeys("ip4", max(50, int(600 * s)))
        self.vpn = self.newkeys("ip4", 25)
        nlk = max(50, int(450 * s))
        self.lockers = self.newkeys("pickup_point", nlk)
        w = 1.0 / np.arange(1, nlk + 1) ** 0.75
        self.locker_w = w / w.sum()

    def seen_between(self, acc, lo_off, hi):
        lo = self.created[acc] + lo_off
        hi = np.maximum(np.asarray(hi, np.int64), lo + 1)
        return lo + (self.rng.random(len(acc)) * (hi - lo)).astype(np.int64)

    def base_signals(self, accs, *, devices=True, mobile=0.65, wifi=0.2, phone=0.9, card=0.55,
                     locker=0.6, iban=None, seen_hi=None):
        rng = self.rng
        accs = np.asarray(accs, np.int64)
        z = len(accs)
        if z == 0:
            return
        cr = self.created[accs]
        hi = np.full(z, T1, np.int64) if seen_hi is None else np.asarray(seen_hi, np.int64)
        # mail: always; a few have two
        self.sig(accs, "mail_hash", self.newkeys("mail_hash", z), cr)
        tw = rng.random(z) < 0.03
        self.sig(accs[tw], "mail_hash", self.newkeys("mail_hash", tw.sum()), self.seen_between(accs[tw], DAY, hi[tw]))
        if devices:
            nd = rng.choice([1, 2, 3], size=z, p=[.65, .27, .08])
            da = np.repeat(accs, nd)
            first = np.concatenate([[True], da[1:] != da[:-1]]) if len(da) else np.zeros(0, bool)
            seen = np.where(first, self.created[da] + rng.integers(0, 30 * MIN, len(da)),
                            self.seen_between(da, HOUR, np.repeat(hi, nd)))
            dk = self.newkeys("hw_id", len(da))
            self.sig(da, "hw_id", dk, seen)
            pt = rng.random(len(da)) < 0.9
            self.sig(da[pt], "push_token", self.newkeys("push_token", pt.sum()), seen[pt] + 5)
        hk = self.home_key[accs]
        hm = hk >= 0
        self.sig(accs[hm], "ip4", hk[hm], self.seen_between(accs[hm], 0, np.minimum(hi[hm], cr[hm] + 10 * DAY)))
        mob = rng.random(z) < mobile
        ma = accs[mob]
        carrier = rng.choice(3, size=len(ma), p=self.carrier_share)
        nd = rng.integers(1, 4, len(ma))
        rep_a = np.repeat(ma, nd)
        rep_c = np.repeat(carrier, nd)
        keys = np.empty(len(rep_a), np.int64)
        for c in range(3):
            sel = rep_c == c
            kk, w = self.carrier_pools[c]
            keys[sel] = rng.choice(kk, size=sel.sum(), p=w)
        self.sig(rep_a, "ip4", keys, self.seen_between(rep_a, 0, np.repeat(hi[mob], nd)))
        wm = rng.random(z) < wifi
        nw = rng.integers(1, 3, wm.sum())
        wa = np.repeat(accs[wm], nw)
        self.sig(wa, "ip4", rng.choice(self.wifi, len(wa)), self.seen_between(wa, HOUR, np.repeat(hi[wm], nw)))
        ph = rng.random(z) < phone
        self.sig(accs[ph], "msisdn", self.newkeys("msisdn", ph.sum()), cr[ph])
        cd = rng.random(z) < card
        self.sig(accs[cd], "card_fp", self.newkeys("card_fp", cd.sum()),
                 self.seen_between(accs[cd], HOUR, np.minimum(hi[cd], cr[cd] + 60 * DAY)))
        lk = rng.random(z) < locker
        la = accs[lk]
        nl = rng.choice([1, 2], size=len(la), p=[.7, .3])
        la2 = np.repeat(la, nl)
        self.sig(la2, "pickup_point", rng.choice(self.lockers, size=len(la2), p=self.locker_w),
                 self.seen_between(la2, DAY, np.repeat(hi[lk], nl)))
        if iban is not None:
            ib = accs[iban]
            self.sig(ib, "bank_iban_hash", self.newkeys("bank_iban_hash", len(ib)),
                     self.seen_between(ib, HOUR, np.minimum(hi[iban], self.created[ib] + 30 * DAY)))

    def proxy_pool(self, size, share_organic=0.2):
        """Residential proxy IPs: some are also ordinary users' home lines."""
        rng = self.rng
        keys = self.newkeys("ip4", size)
        shared = keys[rng.random(size) < share_organic]
        org = np.flatnonzero(~self.special)
        for k in shared:
            a = rng.choice(org, int(rng.integers(1, 4)), replace=False)
            self.sig(a, "ip4", k, self.seen_between(a, 0, T1))
        return keys

    def draw_pool(self, accs, pool, lo_n, hi_n, seen_lo=None, spread=3 * DAY):
        """Each account uses lo_n..hi_n IPs of a pool; first seen any time, or within
        `spread` after its own seen_lo."""
        rng = self.rng
        nd = rng.integers(lo_n, hi_n + 1, len(accs))
        a = np.repeat(accs, nd)
        k = pool[rng.integers(0, len(pool), len(a))]
        if seen_lo is None:
            seen = self.seen_between(a, 0, T1)
        else:
            seen = np.repeat(np.asarray(seen_lo, np.int64), nd) + rng.integers(0, spread, len(a))
        self.sig(a, "ip4", k, seen)

    def make_signals(self):
        rng = self.rng
        n = self.n
        self.build_pools()
        self.home_key[:] = np.where(rng.random(n) < 0.8, self.newkeys("ip4", n), -1)
        tko = np.zeros(n, bool)
        for g in self.groups:
            if g["kind"] == "account_takeover":
                tko[g["members"]] = True
        self.home_key[self.special & ~tko] = -1
        grouped_bad = np.zeros(n, bool)
        for g in self.groups:
            m, kind, st = g["members"], g["kind"], g["strength"]
            if kind == "household":
                self.home_key[m] = self.home_key[m[0]] if self.home_key[m[0]] >= 0 else self.newkeys("ip4", 1)[0]
            elif kind == "campus_nat" and st == "dorm":
                self.home_key[m] = -1
            elif kind in ("scam_ring", "review_ring", "click_farm", "refund_ring"):
                grouped_bad[m] = True
        ordinary = ~grouped_bad & (self.lone == None)  # noqa: E711
        ordinary_idx = np.flatnonzero(ordinary)
        tk = np.zeros(n, np.int64) + T1
        for g in self.groups:
            if g["kind"] == "account_takeover":
                tk[g["members"]] = g["wave"]
        self.base_signals(ordinary_idx, iban=self.seller[ordinary_idx] | (self.atype[ordinary_idx] == "business"),
                          seen_hi=tk[ordinary_idx])
        vpn_users = ordinary_idx[rng.random(len(ordinary_idx)) < 0.03]
        self.sig(vpn_users, "ip4", rng.choice(self.vpn, len(vpn_users)), self.seen_between(vpn_users, 0, T1))
        # recycled phone numbers: a new owner gets an old number
        rc = rng.choice(ordinary_idx, max(5, int(0.005 * n)) * 2, replace=False).reshape(2, -1)
        k = self.newkeys("msisdn", rc.shape[1])
        self.sig(rc[0], "msisdn", k, self.seen_between(rc[0], 0, T0 - DAY))
        self.sig(rc[1], "msisdn", k, self.seen_between(rc[1], 0, T1))

        for g in self.groups:
            getattr(self, "sig_" + g["kind"])(g)
        # lone bad accounts: ordinary-looking, scammers like VPNs
        lone = np.flatnonzero(self.lone != None)  # noqa: E711
        self.home_key[lone] = np.where(rng.random(len(lone)) < 0.6, self.newkeys("ip4", len(lone)), -1)
        self.base_signals(lone, mobile=0.5, card=0.4, locker=0.3,
                          iban=(self.lone[lone] == "lone_scammer") & (rng.random(len(lone)) < 0.7))
        v = lone[(self.lone[lone] == "lone_scammer") & (rng.random(len(lone)) < 0.4)]
        self.sig(v, "ip4", rng.choice(self.vpn, len(v)), self.seen_between(v, 0, T1))

    def sig_household(self, g):
        rng = self.rng
        m = g["members"]
        tmax = int(self.created[m].max())
        if rng.random() < 0.4:
            dk = self.newkeys("hw_id", 1)[0]
            use = m[rng.random(len(m)) < 0.9]
            seen = max(tmax, T0 - 400 * DAY) + rng.integers(0, 30 * DAY, len(use))
            self.sig(use, "hw_id", dk, seen)
            if rng.random() < 0.5:
                self.sig(use, "push_token", self.newkeys("push_token", 1)[0], seen + 5)
            else:
                self.sig(use, "push_token", self.newkeys("push_token", len(use)), seen + 5)
        if rng.random() < 0.25:
            use = m[rng.random(len(m)) < 0.8]
            self.sig(use, "card_fp", self.newkeys("card_fp", 1)[0], self.seen_between(use, DAY, T1))
        if rng.random() < 0.6:
            self.sig(m, "pickup_point", rng.choice(self.lockers, p=self.locker_w), self.seen_between(m, DAY, T1))
        sel = m[self.seller[m]]
        if len(sel) >= 2 and rng.random() < 0.1:
            self.sig(sel[:2], "bank_iban_hash", self.newkeys("bank_iban_hash", 1)[0], self.seen_between(sel[:2], DAY, T1))

    def sig_campus_nat(self, g):
        rng = self.rng
        m = g["members"]
        use = m if g["strength"] == "dorm" else m[rng.random(len(m)) < 0.7]
        nat = self.newkeys("ip4", 1 if len(m) < 60 else 3)
        self.sig(use, "ip4", nat[0], self.seen_between(use, 0, T1))
        for k in nat[1:]:
            sub = use[rng.random(len(use)) < 0.4]
            self.sig(sub, "ip4", k, self.seen_between(sub, 0, T1))

    def sig_reseller_shop(self, g):
        rng = self.rng
        m = g["members"]
        devs = self.newkeys("hw_id", int(rng.integers(1, 3)))
        for d in devs:
            use = m if d == devs[0] else m[rng.random(len(m)) < 0.5]
            seen = self.seen_between(use, 0, self.created[use] + 5 * DAY)
            self.sig(use, "hw_id", d, seen)
            self.sig(use, "push_token", self.newkeys("push_token", 1)[0], seen + 5)
        self.sig(m, "ip4", self.newkeys("ip4", 1)[0], self.seen_between(m, 0, self.created[m] + 5 * DAY))
        self.sig(m, "bank_iban_hash", self.newkeys("bank_iban_hash", 1)[0], self.seen_between(m, 0, self.created[m] + 5 * DAY))

    def sig_account_takeover(self, g):
        rng = self.rng
        m, st, W = g["members"], g["strength"], g["wave"]
        z = len(m)
        spread = 36 * HOUR if st == "obvious" else 7 * DAY
        seen = W + rng.integers(0, spread, z)
        if st == "obvious":
            devs = self.newkeys("hw_id", int(rng.integers(1, 3)))
            for i, d in enumerate(devs):
                use = m if i == 0 else m[rng.random(z) < 0.5]
                self.sig(use, "hw_id", d, seen[np.isin(m, use)])
            ips = self.newkeys("ip4", 2)
            self.sig(m, "ip4", ips[0], seen + 60)
            sub = rng.random(z) < 0.7
            self.sig(m[sub], "ip4", ips[1], seen[sub] + HOUR)
            ib = rng.random(z) < 0.8
            self.sig(m[ib], "bank_iban_hash", self.newkeys("bank_iban_hash", 1)[0], seen[ib] + 2 * HOUR)
            ph = rng.random(z) < 0.5
        else:
            nd = max(1, z // 3)
            devs = self.newkeys("hw_id", nd)
            self.sig(m, "hw_id", devs[rng.permutation(np.arange(z) % nd)], seen)
            pool = self.proxy_pool(max(3, z))
            self.draw_pool(m, pool, 1, 2, seen_lo=seen)
            ibs = self.newkeys("bank_iban_hash", int(rng.integers(2, 4)))
            self.sig(m, "bank_iban_hash", ibs[rng.integers(0, len(ibs), z)], seen + 3 * HOUR)
            ph = rng.random(z) < 0.3
        self.sig(m[ph], "msisdn", self.newkeys("msisdn", ph.sum()), seen[ph] + 30 * MIN)
        ml = rng.random(z) < 0.3
        self.sig(m[ml], "mail_hash", self.newkeys("mail_hash", ml.sum()), seen[ml] + 20 * MIN)

    def sig_scam_ring(self, g):
        rng = self.rng
        m, st = g["members"], g["strength"]
        z = len(m)
        cr = self.created[m]
        if st == "obvious":
            self.base_signals(m, devices=False, mobile=0.3, wifi=0.05, phone=0.7, card=0.15, locker=0.05)
            devs = self.newkeys("hw_id", int(rng.integers(1, 3)))
            pts = self.newkeys("push_token", len(devs))
            for i, d in enumerate(devs):
                use = (rng.random(z) < 0.7) | (i == 0)
                self.sig(m[use], "hw_id", d, cr[use] + rng.integers(0, 20 * MIN, use.sum()))
                self.sig(m[use], "push_token", pts[i], cr[use] + 20 * MIN)
            self.sig(m, "ip4", self.newkeys("ip4", 1)[0], cr + 60)
            vp = rng.choice(self.vpn, int(rng.integers(1, 4)), replace=False)
            for k in vp:
                use = m[rng.random(z) < 0.5]
                self.sig(use, "ip4", k, self.seen_between(use, HOUR, T1))
            self.sig(m, "bank_iban_hash", self.newkeys("bank_iban_hash", 1)[0], cr + rng.integers(HOUR, 2 * DAY, z))
            noph = m[rng.random(z) < 0.3]
            self.sig(noph, "msisdn", self.newkeys("msisdn", 2)[rng.integers(0, 2, len(noph))], self.created[noph])
        elif st == "medium":
            self.base_signals(m, devices=False, mobile=0.4, wifi=0.1, phone=0.9, card=0.2, locker=0.05)
            devs = self.newkeys("hw_id", int(rng.integers(3, 7)))
            nd = rng.integers(1, 3, z)
            a = np.repeat(m, nd)
            self.sig(a, "hw_id", rng.choice(devs, len(a)), self.seen_between(a, 0, self.created[a] + DAY))
            self.sig(a, "push_token", self.newkeys("push_token", len(a)), self.seen_between(a, 0, self.created[a] + DAY))
            ips = self.newkeys("ip4", 2)
            u = rng.random((2, z)) < 0.6
            u[0] |= ~u[1]
            for i in range(2):
                self.sig(m[u[i]], "ip4", ips[i], self.seen_between(m[u[i]], 0, T1))
            res = m[rng.random(z) < 0.5]
            self.sig(res, "ip4", self.newkeys("ip4", len(res)), self.created[res] + 60)
            ibs = self.newkeys("bank_iban_hash", int(rng.integers(1, 3)))
            self.sig(m, "bank_iban_hash", ibs[rng.integers(0, len(ibs), z)], cr + rng.integers(HOUR, 3 * DAY, z))
        else:
            self.base_signals(m, devices=True, mobile=0.5, wifi=0.15, phone=0.9, card=0.3, locker=0.1)
            sub = m[rng.random(z) < 0.25]
            if len(sub) < 2:
                sub = m[:2]
            self.sig(sub, "hw_id", self.newkeys("hw_id", 1)[0], self.seen_between(sub, DAY, T1))
            pool = self.proxy_pool(int(np.ceil(1.5 * z)))
            self.draw_pool(m, pool, 2, 3)
            ibs = self.newkeys("bank_iban_hash", int(rng.integers(2, 5)))
            key = ibs[rng.integers(0, len(ibs), z)]
            own = rng.random(z) < 0.3          # some accounts pay out to their own mule
            key[own] = self.newkeys("bank_iban_hash", own.sum())
            self.sig(m, "bank_iban_hash", key, cr + rng.integers(HOUR, 5 * DAY, z))

    def sig_review_ring(self, g):
        rng = self.rng
        m = g["members"]
        z = len(m)
        self.base_signals(m, devices=True, mobile=0.5, wifi=0.15, phone=0.85, card=0.9, locker=0.6,
                          iban=np.isin(m, g["sellers"]))
        pool = self.proxy_pool(max(6, int(1.3 * z)))
        self.draw_pool(m, pool, 1, 3)
        if g["strength"] == "tight" and rng.random() < 0.6:
            sub = m[rng.permutation(z)[:int(rng.integers(2, 5))]]
            self.sig(sub, "hw_id", self.newkeys("hw_id", 1)[0], self.seen_between(sub, DAY, T1))

    def sig_click_farm(self, g):
        rng = self.rng
        m, st = g["members"], g["strength"]
        z = len(m)
        if st == "obvious":
            self.base_signals(m, devices=False, mobile=0.0, wifi=0.0, phone=0.85, card=0.15, locker=0.1)
            racks = self.newkeys("hw_id", max(2, int(np.ceil(z / 6))))
            seen = self.created[m] + rng.integers(0, 10 * MIN, z)
            self.sig(m, "hw_id", racks[rng.integers(0, len(racks), z)], seen)
            sec = rng.random(z) < 0.3
            self.sig(m[sec], "hw_id", racks[rng.integers(0, len(racks), sec.sum())], self.seen_between(m[sec], DAY, T1))
            self.sig(m, "push_token", self.newkeys("push_token", z), seen + 5)
            pool = self.newkeys("ip4", max(8, z // 6))
            self.draw_pool(m, pool, 3, 6)
        elif st == "medium":
            self.base_signals(m, devices=True, mobile=0.2, wifi=0.05, phone=0.85, card=0.15, locker=0.1)
            sh = m[rng.random(z) < 0.4]
            if len(sh) >= 2:
                devs = self.newkeys("hw_id", max(1, len(sh) // 2))
                self.sig(sh, "hw_id", devs[np.arange(len(sh)) % len(devs)], self.seen_between(sh, DAY, T1))
            pool = self.newkeys("ip4", max(8, z // 3))
            self.draw_pool(m, pool, 2, 5)
        else:
            self.base_signals(m, devices=True, mobile=0.5, wifi=0.1, phone=0.85, card=0.2, locker=0.2)
            pool = self.proxy_pool(max(10, int(0.7 * z)), 0.15)
            self.draw_pool(m, pool, 2, 4)

    def sig_refund_ring(self, g):
        rng = self.rng
        m, st = g["members"], g["strength"]
        z = len(m)
        org = np.flatnonzero(~self.special)
        rare = self.newkeys("pickup_point", 2)
        for k in rare:   # rare lockers still see a few ordinary users
            a = rng.choice(org, int(rng.integers(2, 6)), replace=False)
            self.sig(a, "pickup_point", k, self.seen_between(a, DAY, T1))
        if st == "obvious":
            flat = self.newkeys("ip4", 1)[0]
            self.home_key[m] = np.where(rng.random(z) < 0.6, flat, self.newkeys("ip4", z))
            own_dev = rng.random(z) < 0.5
            self.base_signals(m[own_dev], devices=True, card=0.1, locker=0.1)
            self.base_signals(m[~own_dev], devices=False, card=0.1, locker=0.1)
            devs = self.newkeys("hw_id", int(rng.integers(2, 4)))
            self.sig(m, "hw_id", devs[rng.integers(0, len(devs), z)], self.seen_between(m, 0, self.created[m] + 2 * DAY))
            cards = self.newkeys("card_fp", int(rng.integers(1, 3)))
            nc = rng.integers(1, len(cards) + 1, z)
            a = np.repeat(m, nc)
            self.sig(a, "card_fp", cards[np.concatenate([rng.permutation(len(cards))[:c] for c in nc])],
                     self.seen_between(a, HOUR, T1))
            lk = rare[:int(rng.integers(1, 3))]
            for k in lk:
                self.sig(m, "pickup_point", k, self.seen_between(m, DAY, T1))
        else:
            self.home_key[m] = self.newkeys("ip4", z)
            self.base_signals(m, devices=True, card=0.9, locker=0.3)
            cards = self.newkeys("card_fp", int(rng.integers(2, 5)))
            self.sig(m, "card_fp", cards[rng.integers(0, len(cards), z)], self.seen_between(m, DAY, T1))
            popular = self.lockers[int(rng.integers(0, 10))]
            u = rng.random(z) < 0.8
            self.sig(m[u], "pickup_point", popular, self.seen_between(m[u], DAY, T1))
            u = rng.random(z) < 0.6
            self.sig(m[u], "pickup_point", rare[0], self.seen_between(m[u], DAY, T1))

    def apply_placeholders(self):
        """Data-quality artefacts applied after the fact, to any account."""
        rng, n = self.rng, self.n
        a = np.flatnonzero(rng.random(n) < 0.06)
        self.sig(a, "msisdn", -1, self.created[a])
        b = np.flatnonzero(rng.random(n) < 0.045)
        self.sig(b, "hw_id", -1, self.seen_between(b, 0, T1))

    # ------------------------------------------------------------------ links
    def make_links(self):
        rng, n = self.rng, self.n
        A_, B_, Kd, W = [], [], [], []

        def add(a, b, kind, w):
            A_.append(np.asarray(a, np.int64))
            B_.append(np.asarray(b, np.int64))
            Kd.append(np.full(len(A_[-1]), kind, dtype=object))
            W.append(np.asarray(w, float))

        for g in self.groups:
            m, kind, st = g["members"], g["kind"], g["strength"]
            z = len(m)
            i, j = np.triu_indices(z, 1)
            p = {"household": .6, "reseller_shop": .8, "campus_nat": .01,
                 "refund_ring": .5 if st == "obvious" else .15}.get(kind, 0.0)
            if p > 0 and len(i):
                s = rng.random(len(i)) < p
                add(m[i[s]], m[j[s]], "address_fuzzy", np.round(rng.uniform(.55 if kind == "campus_nat" else .7, 1.0, s.sum()), 3))
            pr = {"household": .35, "campus_nat": .08, "reseller_shop": .3}.get(kind, 0.0)
            if kind in ("click_farm", "scam_ring") and st == "obvious":
                pr = 0.6
            if pr > 0:
                order = m[np.argsort(self.created[m], kind="stable")]
                for t in range(1, z):
                    if rng.random() < pr:
                        src = order[int(rng.integers(0, min(t, 3)))] if kind == "click_farm" else order[int(rng.integers(0, t))]
                        add([src], [order[t]], "referral", [1.0])
        # organic referrals and fuzzy-address false positives
        org = np.flatnonzero(~self.special)
        refd = org[(rng.random(len(org)) < 0.04) & (self.created[org] > T0 - 730 * DAY)]
        src = rng.choice(org, len(refd))
        ok = self.created[src] < self.created[refd]
        add(src[ok], refd[ok], "referral", np.ones(ok.sum()))
        k = int(0.01 * n)
        a, b = rng.choice(n, k), rng.choice(n, k)
        ok = a != b
        add(a[ok], b[ok], "address_fuzzy", np.round(rng.uniform(.5, .8, ok.sum()), 3))
        self.link_cols = (np.concatenate(A_), np.concatenate(B_), np.concatenate(Kd), np.concatenate(W))

    # ----------------------------------------------------------------- labels
    def make_labels(self, acc, act, tgt):
        rng, n = self.rng, self.n
        lst = tgt >= 0
        owner = np.where(lst, self.Ls[np.maximum(tgt, 0)], -tgt - 1)
        rep = np.bincount(owner[act == A["report"]], minlength=n)
        drecv = np.bincount(owner[(act == A["dispute_open"]) & lst], minlength=n)
        dopen = np.bincount(acc[act == A["dispute_open"]], minlength=n)
        susp = rep + 0.5 * drecv + 0.6 * dopen
        lab = np.full(n, -1, np.int8)
        p_inv = {("scam_ring", "obvious"): .85, ("scam_ring", "medium"): .55, ("scam_ring", "subtle"): .25,
                 ("account_takeover", "obvious"): .6, ("account_takeover", "subtle"): .3,
                 ("refund_ring", "obvious"): .6, ("refund_ring", "subtle"): .3,
                 ("click_farm", "obvious"): .4, ("click_farm", "medium"): .2, ("click_farm", "subtle"): .08,
                 ("review_ring", "tight"): .3, ("review_ring", "loose"): .1}
        for g in self.groups:
            if not g["bad"]:
                continue
            m = g["members"]
            g["investigated"] = bool(rng.random() < p_inv[(g["kind"], g["strength"])])
            if g["investigated"]:
                p = np.full(len(m), rng.uniform(0.5, 0.9))
            else:
                p = 0.7 * (1 - np.exp(-susp[m] / 3.0))
            lab[m[rng.random(len(m)) < p]] = 1
        lone = np.flatnonzero(self.lone != None)  # noqa: E711
        p = 0.15 + 0.6 * (1 - np.exp(-susp[lone] / 4.0))
        lab[lone[rng.random(len(lone)) < p]] = 1
        n_bad_lab = int((lab == 1).sum())
        good = np.flatnonzero(~self.is_bad)
        target = int(rng.uniform(0.17, 0.22) * n) - n_bad_lab
        w = (1.0 + 4.0 * (susp[good] > 0) + 3.0 * (self.atype[good] == "business") + 2.0 * self.power[good]
             + 1.0 * (self.created[good] < T0 - 365 * DAY))
        pick = rng.choice(good, min(max(target, 0), len(good)), replace=False, p=w / w.sum())
        lab[pick] = 0
        # noise: wrongful enforcement hits reported / shared-infrastructure accounts more;
        # some bad labels were overturned on appeal or mis-keyed.
        g0 = np.flatnonzero(lab == 0)
        w0 = 1.0 + 3.0 * (susp[g0] > 0) + 1.0 * self.benign_grouped[g0]
        n0 = int(round(0.025 * len(g0)))
        f0 = rng.choice(g0, n0, replace=False, p=w0 / w0.sum())
        g1 = np.flatnonzero(lab == 1)
        f1 = g1[rng.random(len(g1)) < 0.08]
        lab[f0] = 1
        lab[f1] = 0
        has = np.flatnonzero(lab >= 0)
        return has, lab[has]

    # ------------------------------------------------------------------- run
    def run(self):
        self.default_population()
        self.plan_scam_rings()
        self.plan_review_rings()
        self.plan_click_farms()
        self.plan_takeovers()
        self.plan_refund_rings()
        self.plan_lone()
        self.plan_benign()
        self.default_activity()
        self.group_activity()
        self.make_listings()
        self.finalize_listings()
        self.make_events()
        self.make_signals()
        self.apply_placeholders()
        self.make_links()


def _iso(sec: np.ndarray) -> pl.Series:
    return pl.from_epoch(pl.Series(sec.astype(np.int64)), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def write(mk: Market, out: Path, labels: bool) -> dict:
    rng = mk.rng
    n = mk.n
    nums = rng.choice(90_000_000, size=n, replace=False) + 10_000_000
    aid = np.array([f"u{x}" for x in nums.tolist()], dtype=object)
    sid = np.array([f"S{x}" for x in nums.tolist()], dtype=object)
    lnums = rng.choice(900_000_000, size=mk.nL, replace=False) + 100_000_000
    lid = np.array([f"L{x}" for x in lnums.tolist()], dtype=object)

    # ---- events
    cols = list(zip(*mk.evs))
    acc, act, tgt, ts, price, stars = [np.concatenate(c) for c in cols]
    lst = tgt >= 0
    li = np.maximum(tgt, 0)
    ok = (ts >= mk.created[acc] + 60) & (ts < T1)
    ok &= ~lst | (act == A["listing_post"]) | (ts >= mk.Lpost[li])
    acc, act, tgt, ts, price, stars = acc[ok], act[ok], tgt[ok], ts[ok], price[ok], stars[ok]
    order = np.lexsort((acc, ts))
    acc, act, tgt, ts, price, stars = acc[order], act[order], tgt[order], ts[order], price[order], stars[order]
    has, lab = mk.make_labels(acc, act, tgt)
    tstr = np.where(tgt >= 0, lid[np.maximum(tgt, 0)], sid[np.maximum(-tgt - 1, 0)])
    events = pl.DataFrame({
        "account_id": pl.Series(aid[acc], dtype=pl.Utf8),
        "action": pl.Series(np.array(ACTIONS, dtype=object)[act], dtype=pl.Utf8),
        "target_id": pl.Series(tstr, dtype=pl.Utf8),
        "ts": _iso(ts),
        "price": pl.Series(price, nan_to_null=True),
        "stars": pl.Series(stars.astype(np.int8)),
    }).with_columns(pl.when(pl.col("stars") > 0).then(pl.col("stars")).otherwise(None).alias("stars"))

    # ---- accounts
    accounts = pl.DataFrame({
        "account_id": pl.Series(aid, dtype=pl.Utf8),
        "created_at": _iso(mk.created),
        "account_type": pl.Series(mk.atype, dtype=pl.Utf8),
        "country": pl.Series(mk.country, dtype=pl.Utf8),
    }).sort("created_at", "account_id")

    # ---- signals
    cols = list(zip(*mk.sigs))
    sa, sk, skey, sseen = [np.concatenate(c) for c in cols]
    sseen = np.maximum(sseen, mk.created[sa])
    sseen = np.minimum(sseen, T1 - 1)
    sig = pl.DataFrame({"a": sa, "k": sk, "key": skey, "seen": sseen})
    sig = sig.group_by(["a", "k", "key"]).agg(pl.col("seen").min()).sort(["seen", "a", "k", "key"])
    ka = sig["k"].to_numpy().astype(np.uint64)
    kk = sig["key"].to_numpy()
    salt = np.uint64((mk.seed * 0x2545F4914F6CDD1D + 0x1234567) % (1 << 63))
    with np.errstate(over="ignore"):
        h = _mix64((np.maximum(kk, 0).astype(np.uint64) * np.uint64(16) + ka) ^ salt)
    vals = np.empty(len(kk), dtype=object)
    hx = [format(v, "016x") for v in h.tolist()]
    kk_list = kk.tolist()
    ka_list = ka.tolist()
    for i in range(len(kk_list)):
        key = kk_list[i]
        kd = ka_list[i]
        if key < 0:
            vals[i] = PLACEHOLDER[kd]
        elif kd == K["pickup_point"]:
            vals[i] = "PP-" + hx[i][:10].upper()
        else:
            vals[i] = hx[i]
    signals = pl.DataFrame({
        "account_id": pl.Series(aid[sig["a"].to_numpy()], dtype=pl.Utf8),
        "kind": pl.Series(np.array(KINDS, dtype=object)[sig["k"].to_numpy()], dtype=pl.Utf8),
        "value": pl.Series(vals, dtype=pl.Utf8),
        "seen_at": pl.from_epoch(pl.Series(sig["seen"].to_numpy()), time_unit="s")
        .dt.cast_time_unit("us").dt.replace_time_zone("UTC"),
    })

    # ---- links
    la, lb, lk, lw = mk.link_cols
    links = pl.DataFrame({"account_a": pl.Series(aid[la], dtype=pl.Utf8),
                          "account_b": pl.Series(aid[lb], dtype=pl.Utf8),
                          "kind": pl.Series(lk, dtype=pl.Utf8), "weight": lw})
    links = links.unique(["account_a", "account_b", "kind"], keep="first", maintain_order=True)

    truth = pl.DataFrame({
        "account_id": pl.Series(aid, dtype=pl.Utf8),
        "is_bad": pl.Series(mk.is_bad, dtype=pl.Boolean),
        "group_id": pl.Series(mk.gid.tolist(), dtype=pl.Utf8),
        "group_kind": pl.Series(mk.gkind.tolist(), dtype=pl.Utf8),
    })

    out.mkdir(parents=True, exist_ok=True)
    for f in OUR_FILES:
        (out / f).unlink(missing_ok=True)
    accounts.write_csv(out / "accounts.csv")
    events.write_csv(out / "events.csv")
    signals.write_parquet(out / "signals.parquet")
    links.write_parquet(out / "links.parquet")
    truth.write_parquet(out / "truth.parquet")
    counts = {"accounts.csv": accounts.height, "events.csv": events.height,
              "signals.parquet": signals.height, "links.parquet": links.height,
              "truth.parquet": truth.height}
    labels_df = pl.DataFrame({"account_id": pl.Series(aid[has], dtype=pl.Utf8),
                              "label": pl.Series(lab.astype(np.int64))})
    if labels:
        labels_df.write_parquet(out / "labels.parquet")
        counts["labels.parquet"] = labels_df.height
    return dict(counts=counts, events=events, signals=signals, truth=truth, labels=labels_df)


def summary(mk: Market, res: dict, labels: bool, secs: float) -> None:
    print(f"generated {mk.n} accounts (seed {mk.seed}) in {secs:.1f}s")
    for f, c in sorted(res["counts"].items()):
        print(f"  {f:18s} {c:>9,d} rows")
    rows = []
    for g in mk.groups:
        rows.append({"group_kind": g["kind"], "bad": g["bad"], "strength": g["strength"] or "-",
                     "size": len(g["members"])})
    gdf = pl.DataFrame(rows)
    print("planted groups (kind, strength): groups, accounts, min/median/max size")
    agg = (gdf.group_by(["bad", "group_kind", "strength"], maintain_order=True)
           .agg(pl.len().alias("groups"), pl.col("size").sum().alias("accounts"),
                pl.col("size").min().alias("min"), pl.col("size").median().alias("median"),
                pl.col("size").max().alias("max"))
           .sort(["bad", "group_kind", "strength"], descending=[True, False, False]))
    for r in agg.iter_rows(named=True):
        print(f"  {'BAD ' if r['bad'] else 'good'} {r['group_kind']:17s} {r['strength']:8s} "
              f"{r['groups']:5d} groups {r['accounts']:6d} accts  size {r['min']}/{r['median']:.0f}/{r['max']}")
    lone = pl.Series(mk.lone[mk.lone != None].astype(str)).value_counts(sort=True)  # noqa: E711
    print("  lone bad:", ", ".join(f"{a}={b}" for a, b in lone.iter_rows()))
    t = res["truth"]
    print(f"  truth: {t['is_bad'].sum()} bad of {t.height} ({t['is_bad'].mean():.1%}); "
          f"{t['group_id'].null_count()} accounts without group")
    L = res["labels"]
    print(f"  labels{'' if labels else ' (not written: --no-labels)'}: {L.height} "
          f"({L.height / mk.n:.1%}), positives {int(L['label'].sum())}")
    ev = res["events"]["action"].value_counts(sort=True)
    print("  events by action:", ", ".join(f"{a}={b}" for a, b in ev.iter_rows()))
    sg = res["signals"]["kind"].value_counts(sort=True)
    print("  signals by kind:", ", ".join(f"{a}={b}" for a, b in sg.iter_rows()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Eighth synthetic marketplace (second-hand classifieds).")
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-labels", action="store_true")
    args = ap.parse_args(argv)
    out = Path(args.out_dir)
    if out.exists():
        if not out.is_dir():
            print(f"error: {out} exists and is not a directory", file=sys.stderr)
            return 2
        foreign = sorted(p.name for p in out.iterdir() if p.name not in OUR_FILES)
        if foreign:
            print(f"error: {out} holds files this generator did not write: {foreign[:5]}", file=sys.stderr)
            return 2
    t = time.perf_counter()
    mk = Market(args.accounts, args.seed)
    mk.run()
    res = write(mk, out, not args.no_labels)
    summary(mk, res, not args.no_labels, time.perf_counter() - t)
    return 0


if __name__ == "__main__":
    sys.exit(main())

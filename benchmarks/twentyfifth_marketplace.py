#!/usr/bin/env python3
"""Twenty-fifth synthetic marketplace: an online auction and resale marketplace (eBay-like).

Written from the data contract alone (DESIGN.md's input tables, the README's "Inputs (the data
contract)" section, and the docstring and argument / writing code of the twenty-fourth
generator for the output conventions); no detection code and no tests were read.

    python benchmarks/twentyfifth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

The platform runs timed auctions (1-10 days, bids rising towards the close, a last-minute
scramble), buy-it-now listings (good till cancelled, best offers), watchlists, buyer-seller
messages, mutual feedback after a sale (1-5 stars), returns and item-not-received cases,
payouts to sellers' bank accounts, and a product catalogue that listings link to (``prd-N``:
many sellers list the same popular phone or console).  Its own action names: ``login``,
``search``, ``listing.view``, ``listing.watch``, ``listing.unwatch``,
``auction.bid``, ``bid.retract``, ``bin.buy``, ``offer.make``, ``cart.add``, ``order.pay``,
``payment.decline``, ``msg.send``, ``feedback.leave``, ``return.open``, ``case.inr``,
``listing.create``, ``listing.link_product``, ``listing.revise``, ``offer.second_chance``,
``payout.request``, ``payout.change``, ``password.reset``, ``email.change``, ``address.add``,
``card.add``.  Targets: listings ``lst-N``, member accounts (messages and feedback name the
counterpart's ``account_id``), categories ``cat-<name>`` (searches), catalogue products
``prd-N`` and app surfaces (``web``, ``app-ios``, ``payout``, ``security`` ...).  Extra event
columns: ``amount`` (bid, price, offer, payout; null elsewhere) and ``stars`` (1-5 on
``feedback.leave``; null elsewhere).  Identifier kinds: ``device_hash``, ``ip_addr`` (dotted
quads), ``phone_hash``, ``email_sha``, ``card_token``, ``card_bin`` (six digits, the issuer
range: thousands of honest cardholders share the big ones), ``bank_acct`` (payout account),
``ship_addr`` and ``browser_fp`` (a coarse fingerprint shared by hundreds per value).  Account
ids look like ``m-3fa9c0d21b7e``.

Output (the data contract): ``accounts.csv`` (account_id, created_at, account_type
buyer/seller/business, country), ``events.parquet`` (ts in ms), ``signals.parquet`` (with
``seen_at``; about twenty device rows carry the 1970 "unknown" sentinel), ``links.csv``
(``referral`` invites and ``saved_seller`` follows, weight 1.0), ``labels.csv`` (unless
``--no-labels``) and ``truth.parquet`` (account_id, is_bad, group_id, group_kind for every
account).  Timestamps are naive UTC; events run 2024-09-02 .. 2024-12-31 (120 days), with a
handful of far-future (2099) device-clock logins; accounts were created from 2009 on, ~20%
inside the window.  Deterministic for (accounts, seed).  Counts below are for 20,000 accounts
and scale with the number of accounts.

Background: seven countries (time zones, diurnal logins), 40 categories (high-value
electronics, collectibles, fashion, home ...), ~32,000 listings (55% of the organic ones
auctions) from ~4,200 accounts (2,600 sellers, 84 business accounts, buyers who sell now and
then), Zipf popularity, each buyer with two favourite
categories, ~22% of old accounts dormant.  Honest shared identifiers: carrier NAT IPs (~180
accounts each), 25 VPN exits on 4% of accounts, recycled phone numbers, big card BINs and
popular ``browser_fp`` values.

BAD groups (is_bad true; variant in the group_id):

* ``shill_ring`` (10, a seller + 3-15 alts): alts bid up the seller's 10-60 low-start auctions.
  ``blunt``: alts created within hours, on 1-2 shared devices, the seller's home IP and a
  shared card, bidding on ~85% of the auctions in the last day in escalating sequences minutes
  apart and watching each listing within minutes of its creation; half refer each other.
  ``careful``: aged alts on their own devices behind residential-proxy IPs that honest homes
  also use, each joining only 25-50% of the auctions, bids jittered over hours to days, never in
  the closing stretch and below the going price (they rarely win; a win becomes a second-chance
  offer to the runner-up); they keep organic lives.
* ``feedback_farm`` (6, 15-70 workers): workers buy 0.99-4.99 items from the farm's 3-8 client
  sellers (``feedback_client``, is_bad, no group) job after job, 15-40% of the workers per job,
  and leave 5-star feedback days later.  ``blunt``: created in batches within a day, teams of
  3-6 on one device and one prepaid card, a data-centre proxy pool, three drop addresses,
  buying within hours; ``careful``: own devices with an emulator fingerprint, residential
  proxies, own virtual cards of one prepaid BIN, buying over three days.
* ``card_ring`` (6, 5-20): new accounts in 1-2 bursts on stolen cards of a batch (tokens shared
  across accounts, one or two rare BINs), one anti-detect fingerprint (half the rings), unique
  residential-proxy IPs, shipping to 1-3 drop addresses: declines, then high-value buy-it-now
  purchases from many sellers.  ``triangulation`` (every third ring): a storefront seller in the
  ring sells electronics cheaply to honest buyers and a ring buyer buys the same category from
  a legitimate seller within a day.
* ``nondelivery_crew`` (5, 4-12 sellers): new seller accounts created in 1-2 bursts, listing
  the same 1-3 catalogue products 40% under market in waves, sharing 1-2 payout accounts and
  1-2 devices (``blunt``) or a device pool, VoIP phones and proxies (``careful``, half switch
  their payout to a shared account mid-way); honest buyers pay, message, open item-not-received
  cases; the crew requests payouts within days of each sale and never answers.
* ``ato_wave`` (3, 12-50 dormant sellers): within 0-2 (``fast``) or 0-10 days (``slow``) each
  victim logs in from a pool of 2-5 attacker devices on VPN exits honest users share, resets
  its password, changes its e-mail (60%), changes the payout to one of 1-4 mule accounts,
  lists 3-12 high-value items, and requests payouts after the (honest) victims buy.
* ``bid_shield`` (8 pairs / trios): on 5-15 auctions of other sellers a partner bids low early,
  the shielder bids 2-4x the going price, retracts 10-90 minutes before the close, and the
  partner re-bids in the last minute; half share a device or a home IP.  No labels at all.
* lone bad actors (is_bad, no group): ~20 ``lone_scam_seller``, ~20 ``lone_card_fraud`` (5-20
  cards, tens of declines in an hour, VPN), ~10 ``lone_feedback_extortion`` (1-star feedback
  and returns on most purchases).

BENIGN look-alikes (is_bad false, group_id set):

* ``household`` (~650, 2-5): one home IP, 35% a shared tablet, 25% a family card, 85% one
  address, 30% created within a week, referrals.
* ``power_seller`` (12, 3-10 staff accounts, type business): office IPs and 2-4 office PCs
  shared by all staff, one company payout account (70%) and phone (50%); bulk listing
  sessions where several staff list the same catalogue products within the hour.
* ``sniping_service`` (2 services, ~350 and ~150 customers): unrelated customers whose bids the
  service places 3-7 seconds before the close from 3-6 data-centre IPs with one bot
  fingerprint -- lockstep on popular auctions and shared IPs, but benign.
* ``collectors_club`` (8, 10-40): members watch the same rare collectible auctions within
  minutes of a forum alert and bid on them; 30% met at a club venue IP; invite referrals.
* ``charity_crowd`` (2, 80-250): an organiser's 20-60 auctions closing the same evening, 40% of
  bidders signed up in the three days before via the organiser's link, 60% on the gala Wi-Fi.
* ``estate_sale_crowd`` (2, 40-150): a sale company's 30-100 auctions with staggered closes;
  a local crowd bids in the final minutes.
* ``campus`` (3, 150-500): a few campus IPs, half created in a September sign-up burst.
* ``viral_crowd`` (2, ~500-1,500): a viral listing watched by hundreds within minutes.
* ``reseller_family`` (20, 2-4 sellers): one payout account, one home IP, often one device,
  the same categories and products.
* ``parcel_forwarder`` (4, 60-250): international buyers shipping to one forwarder warehouse.
* plain ``organic`` accounts (group_id null).

Labels: enforcement found 60% of the shill rings (40-90% of their members labelled), 50% of
the feedback farms (30-70%), 85% of the card rings (60-100%) and 80% of the crews (60-100%),
each with ~5% of those labels wrongly 0; ato waves and bid shields carry no labels; 40% of the
lone actors and 30% of the feedback clients are labelled 1.  Support verified ~8% of honest
accounts (older ones and power-seller staff more often) as 0; 0.3% of honest accounts carry a
wrong 1, a bot rule labelled ~6% of the sniping-service customers 1, and one collectors club
has 20% of its members labelled 1 after a mistaken shill report.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import polars as pl

EPOCH = np.datetime64("2024-09-02T00:00:00", "s")
MIN, HOUR, DAY = 60, 3600, 86400
DAYS = 120
WIN = DAYS * DAY

COUNTRIES = ["US", "GB", "DE", "AU", "CA", "FR", "IT"]
C_P = np.array([.45, .15, .12, .07, .08, .06, .07])
C_TZ = np.array([-6, 0, 1, 10, -5, 1, 1])
HOUR_W = np.array([2, 1.3, .8, .6, .5, .6, 1, 1.8, 2.5, 3, 3.2, 3.4, 3.6, 3.5, 3.4, 3.4, 3.6, 4,
                   4.6, 5.3, 5.8, 5.6, 4.6, 3.2])
HOUR_P = HOUR_W / HOUR_W.sum()

CATS = ["phones", "laptops", "consoles", "video-games", "cameras", "watches", "sneakers",
        "handbags", "gift-cards", "tablets", "coins", "stamps", "trading-cards", "comics",
        "vinyl", "antiques", "militaria", "diecast", "womens-clothing", "mens-clothing", "kids",
        "toys", "books", "dvds", "home-decor", "kitchen", "garden", "tools", "auto-parts",
        "motorcycle-parts", "jewelry", "art", "musical-instruments", "sporting-goods",
        "cycling", "fishing", "phone-accessories", "beauty", "health", "pet-supplies"]
NC = len(CATS)
CI = {c: i for i, c in enumerate(CATS)}
CAT_W = np.array([6, 4, 4, 4, 2, 2.5, 3, 2, 1.5, 2, 1.5, 1, 3, 1.5, 1.5, 1.5, .6, 1, 5, 4, 2,
                  3, 3, 1.5, 3, 2.5, 2, 2.5, 3.5, 1.5, 2, 1, 1.5, 2.5, 1.5, 1.5, 3, 2.5, 1.5, 1.5])
CAT_P = CAT_W / CAT_W.sum()
CAT_PRICE = np.array([260, 420, 240, 28, 300, 180, 130, 160, 60, 220, 45, 20, 25, 18, 22, 90,
                      70, 25, 22, 28, 15, 20, 9, 7, 30, 28, 35, 45, 55, 70, 80, 120, 230, 50,
                      160, 45, 9, 15, 14, 18], float)
HIGH_VAL = np.array([CI[c] for c in ["phones", "laptops", "consoles", "cameras", "tablets",
                                     "watches", "gift-cards"]])
COLLECT = np.array([CI[c] for c in ["coins", "stamps", "trading-cards", "comics", "vinyl",
                                    "antiques", "militaria", "diecast"]])
PROD_CATS = np.array([CI[c] for c in ["phones", "laptops", "consoles", "video-games", "cameras",
                                      "tablets", "sneakers", "watches", "books", "dvds", "toys",
                                      "phone-accessories"]])
CHEAP = np.array([CI[c] for c in ["phone-accessories", "books", "dvds", "beauty", "kids",
                                  "health", "pet-supplies"]])

ACTIONS = ["login", "search", "listing.view", "listing.watch", "listing.unwatch", "auction.bid",
           "bid.retract", "bin.buy", "offer.make", "cart.add", "order.pay", "payment.decline",
           "msg.send", "feedback.leave", "return.open", "case.inr", "listing.create",
           "listing.link_product", "listing.revise", "offer.second_chance", "payout.request",
           "payout.change", "password.reset", "email.change", "address.add", "card.add"]
A = {a: i for i, a in enumerate(ACTIONS)}
T_LST, T_ACC, T_CAT, T_PRD, T_SURF = 0, 1, 2, 3, 4
SURF = ["web", "app-ios", "app-android", "payout", "security", "settings", "checkout", "wallet"]
S = {s: i for i, s in enumerate(SURF)}
KINDS = ["device_hash", "ip_addr", "phone_hash", "email_sha", "card_token", "card_bin",
         "bank_acct", "ship_addr", "browser_fp"]
K = {k: i for i, k in enumerate(KINDS)}
STAR_P = np.array([.025, .012, .03, .09, .843])
ATYPES = ["buyer", "seller", "business"]

BAD_KINDS = ["shill_ring", "feedback_farm", "card_ring", "nondelivery_crew", "ato_wave",
             "bid_shield", "feedback_client", "lone_scam_seller", "lone_card_fraud",
             "lone_feedback_extortion"]


def mix(x):
    """splitmix64 finaliser, vectorised (wrapping uint64 arithmetic)."""
    with np.errstate(over="ignore"):
        x = np.asarray(x, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hexs(v, width=16):
    v = np.asarray(v, dtype=np.uint64)
    shifts = (4 * (width - 1 - np.arange(width))).astype(np.uint64)
    nib = ((v[:, None] >> shifts[None, :]) & np.uint64(15)).astype(np.intp)
    chars = np.ascontiguousarray(_HEX[nib])
    return chars.view(f"S{width}").ravel().astype(f"U{width}")


class Picker:
    """Popularity-weighted choice of a listing among a subset, optionally within a category."""

    def __init__(self, idx, cat, pop):
        idx = np.asarray(idx)
        order = np.lexsort((idx, cat[idx]))
        self.idx = idx[order]
        c = cat[self.idx]
        self.cw = np.cumsum(pop[self.idx].astype(float))
        ar = np.arange(NC)
        self.lo = np.searchsorted(c, ar, "left")
        self.hi = np.searchsorted(c, ar, "right")

    def pick(self, r, cats):
        cats = np.asarray(cats)
        n = cats.size
        tot = self.cw[-1]
        cc = np.clip(cats, 0, NC - 1)
        lo, hi = self.lo[cc], self.hi[cc]
        w0 = np.where(lo > 0, self.cw[np.maximum(lo - 1, 0)], 0.0)
        w1 = np.where(hi > 0, self.cw[np.maximum(hi - 1, 0)], 0.0)
        glob = (cats < 0) | (w1 <= w0)
        w0 = np.where(glob, 0.0, w0)
        w1 = np.where(glob, tot, w1)
        u = w0 + r.random(n) * (w1 - w0)
        j = np.minimum(np.searchsorted(self.cw, u, "right"), self.idx.size - 1)
        return self.idx[j]


class Gen:
    def __init__(self, n_accounts, seed):
        self.N = int(n_accounts)
        self.seed = int(seed)
        self.r = np.random.default_rng([self.seed, 25, self.N])
        self.sc = self.N / 20000
        self.ev, self.sig, self.links = [], [], []
        self.groups = []      # (group_id, kind, is_bad, idx)
        self.later = []       # deferred event generators (after organic listings exist)
        self.idc = {k: 0 for k in KINDS}
        self.L = {k: [] for k in ("seller", "cat", "auc", "start", "end", "price", "mult", "pop",
                                  "prod", "org")}
        self.nL = 0

    # ------------------------------------------------------------------ helpers
    def cnt(self, base, lo=1):
        x = base * self.sc
        return max(lo, int(np.floor(x + self.r.random())))

    def nid(self, kind, n):
        c = self.idc[kind]
        self.idc[kind] = c + int(n)
        return np.arange(c, c + int(n), dtype=np.int64)

    def take(self, n, pred=None):
        m = self.free if pred is None else (self.free & pred)
        cand = np.flatnonzero(m)
        n = int(min(n, cand.size))
        sel = np.sort(self.r.choice(cand, n, replace=False))
        self.free[sel] = False
        return sel

    def group(self, gid, kind, bad, idx):
        idx = np.asarray(idx, dtype=np.int64)
        self.gk[idx] = kind
        self.gid[idx] = gid
        self.bad[idx] = bad
        self.free[idx] = False
        self.groups.append((gid, kind, bad, idx))

    def lone(self, kind, idx):
        self.gk[idx] = kind
        self.bad[idx] = True
        self.free[idx] = False

    def add_ev(self, acc, act, tt, tid, ts, amount=None, stars=None):
        acc = np.asarray(acc, dtype=np.int64).ravel()
        n = acc.size
        if n == 0:
            return

        def b(x, dt):
            return np.broadcast_to(np.asarray(x, dtype=dt), (n,)).copy()
        self.ev.append((acc, b(A[act], np.int16), b(tt, np.int8), b(tid, np.int64),
                        b(ts, np.float64), b(np.nan if amount is None else amount, np.float64),
                        b(0 if stars is None else stars, np.int8)))

    def add_sig(self, acc, kind, ids, seen):
        acc = np.asarray(acc, dtype=np.int64).ravel()
        n = acc.size
        if n == 0:
            return
        self.sig.append((acc, np.full(n, K[kind], np.int8),
                         np.broadcast_to(np.asarray(ids, np.int64), (n,)).copy(),
                         np.broadcast_to(np.asarray(seen, np.float64), (n,)).copy()))

    def add_link(self, a, b, kind):
        a = np.asarray(a, np.int64).ravel()
        b = np.asarray(b, np.int64).ravel()
        keep = a != b
        if keep.any():
            self.links.append((a[keep], b[keep], kind))

    def add_listings(self, seller, cat, auc, start, dur, price, mult=None, pop=1.0, prod=-1,
                     org=False):
        seller = np.asarray(seller, np.int64).ravel()
        n = seller.size
        if n == 0:
            return np.zeros(0, np.int64)

        def b(x, dt):
            return np.broadcast_to(np.asarray(x, dtype=dt), (n,)).copy()
        start = b(start, np.float64)
        auc = b(auc, bool)
        if mult is None:
            mult = self.r.lognormal(.6, .5, n)
        vals = dict(seller=seller, cat=b(cat, np.int16), auc=auc, start=start,
                    end=start + b(dur, np.float64), price=np.round(b(price, np.float64), 2),
                    mult=np.where(auc, b(mult, np.float64), 1.0), pop=b(pop, np.float64),
                    prod=b(prod, np.int64), org=b(org, bool))
        for k, v in vals.items():
            self.L[k].append(v)
        ids = np.arange(self.nL, self.nL + n, dtype=np.int64)
        self.nL += n
        return ids

    def dur_auc(self, n):
        return self.r.choice([1, 3, 5, 7, 10], n, p=[.05, .25, .2, .4, .1]) * DAY + \
            self.r.integers(-1800, 1800, n)

    def market(self, cat, n):
        return np.round(CAT_PRICE[cat] * self.r.lognormal(0, .6, n), 2)

    def prod_of(self, cat, n):
        cat = np.broadcast_to(np.asarray(cat), (n,))
        k = np.minimum(self.r.zipf(1.5, n), 800) - 1
        return cat.astype(np.int64) * 10000 + k

    def going(self, lst, ts):
        """Going price of an auction at time ts (the honest bidding curve)."""
        st, en = self.Ls[lst], self.Le[lst]
        p = np.clip((ts - st) / np.maximum(en - st, 1), 0, 1)
        return self.Lp[lst] * (1 + (self.Lm[lst] - 1) * p ** 1.5)

    def diurnal(self, acc, lo, hi):
        """Times between lo and hi with the local evening peak of each account's country."""
        r = self.r
        n = acc.size
        t = lo + r.random(n) * np.maximum(hi - lo, 0)
        h = r.choice(24, n, p=HOUR_P)
        tt = np.floor(t / DAY) * DAY + ((h - C_TZ[self.country[acc]]) % 24) * HOUR + \
            r.random(n) * HOUR
        tt = np.where(tt < lo, tt + DAY, tt)
        return np.where(tt >= hi, t, tt)

    # ------------------------------------------------------------------ base population
    def base(self):
        r, N = self.r, self.N
        old = r.random(N) < .8
        age = 20 * DAY + r.gamma(1.4, 700, N) * DAY
        age = np.minimum(age, 15.5 * 365 * DAY)
        self.created = np.where(old, -age, r.random(N) * (WIN - 3 * DAY)).round()
        self.country = r.choice(len(COUNTRIES), N, p=C_P)
        self.atype = np.where(r.random(N) < .12, 1, 0).astype(np.int8)
        self.act = r.lognormal(-.6, 1.1, N)
        self.dormant = (self.created < -200 * DAY) & (r.random(N) < .22)
        self.act[self.dormant] *= .02
        self.platform = r.choice(3, N, p=[.45, .3, .25])
        self.fav = np.stack([r.choice(NC, N, p=CAT_P), r.choice(NC, N, p=CAT_P)], 1)
        self.org_mult = np.ones(N)
        self.free = np.ones(N, bool)
        self.gk = np.full(N, "organic", dtype=object)
        self.gid = np.full(N, None, dtype=object)
        self.bad = np.zeros(N, bool)
        self.own_list = np.zeros(N, bool)       # groups that make their own listings
        # sellers who never answer buyers, leave them feedback or request regular payouts:
        # non-delivery crews and hijacked sellers (their operators' own payouts only)
        self.silent = np.zeros(N, bool)
        self.skip = {k: np.zeros(N, bool) for k in KINDS + ["ip_home"]}
        self.home_ip = self.nid("ip_addr", N)
        self.shill_ring = np.full(N, -1)
        # shared honest infrastructure
        self.vpn = self.nid("ip_addr", 25)
        self.vpn_w = 1 / np.arange(1, 26) ** .8
        self.vpn_w /= self.vpn_w.sum()
        self.bins = self.make_bins(520)
        bw = 1 / np.arange(1, self.bins.size + 1) ** 1.15
        self.bin_w = bw / bw.sum()
        self.fp_n = 90
        fw = 1 / np.arange(1, self.fp_n + 1) ** .9
        self.fp_w = fw / fw.sum()
        self.fp_ids = self.nid("browser_fp", self.fp_n)

    def make_bins(self, n):
        r = self.r
        v = r.choice(np.arange(400000, 560000), n * 2, replace=False)
        s = np.array([str(x) for x in v])
        ok = np.array([len(set(x)) > 1 for x in s])
        return v[ok][:n]

    def proxies(self, n):
        """Residential-proxy exits: honest ordinary homes' IPs."""
        cand = np.flatnonzero((self.gk == "organic") & ~self.dormant)
        return self.home_ip[self.r.choice(cand, n, replace=False)]

    # ------------------------------------------------------------------ BAD groups
    def alloc_shill(self):
        r = self.r
        n = self.cnt(10, 2)
        for k in range(n):
            careful = k % 2 == 1
            var = "careful" if careful else "blunt"
            gid = f"shill-{k:03d}-{var}"
            a0 = r.uniform(0, 40) * DAY
            if careful:
                seller = self.take(1, (self.created < -300 * DAY) & ~self.dormant)
                ns = int(r.integers(5, 16))
                alts = self.take(ns, (self.created < -150 * DAY) & ~self.dormant)
                n_auc = int(r.integers(20, 61))
            else:
                seller = self.take(1, self.created < a0 - 20 * DAY)
                ns = int(r.integers(3, 9))
                alts = self.take(ns)
                tc = a0 - r.uniform(1, 20) * DAY
                self.created[alts] = np.round(tc + np.sort(r.random(alts.size)) * 6 * HOUR)
                n_auc = int(r.integers(10, 31))
            members = np.concatenate([seller, alts])
            self.group(gid, "shill_ring", True, members)
            self.shill_ring[members] = k
            self.atype[seller] = 1
            self.own_list[seller] = True
            cats = r.choice(NC, 2, p=CAT_P)
            cat = cats[(r.random(n_auc) < .7).astype(int)]
            start = a0 + np.sort(r.random(n_auc)) * (WIN - 12 * DAY - a0)
            start = np.maximum(start, self.created[seller[0]] + DAY)
            dur = r.choice([5, 7], n_auc) * DAY + r.integers(-900, 900, n_auc)
            price = r.choice([.99, 1.0, 4.99, 9.99], n_auc)
            mult = CAT_PRICE[cat] / price * r.lognormal(-.3, .4, n_auc)
            lst = self.add_listings(np.repeat(seller, n_auc), cat, True, start, dur, price, mult,
                                    r.lognormal(.3, .5, n_auc))
            seen0 = float(min(self.created[members].max() + HOUR, 0))
            if careful:
                self.org_mult[alts] *= .4
                pool = self.proxies(max(3, ns))
                self.skip["ip_home"][alts] = True
                self.skip["ip_addr"][alts] = True
                for a in alts:
                    k_ip = int(r.integers(2, 5))
                    self.add_sig(np.full(k_ip, a), "ip_addr", r.choice(pool, k_ip, replace=False),
                                 r.uniform(-60, 60, k_ip) * DAY)
                if r.random() < .5:          # one slip: an alt on the seller's device
                    dev = self.nid("device_hash", 1)
                    self.add_sig([seller[0], alts[0]], "device_hash", dev, r.uniform(-30, 30) * DAY)
                rate = r.uniform(.25, .5, ns)
            else:
                self.org_mult[alts] *= .05
                devs = self.nid("device_hash", int(r.integers(1, 3)))
                self.skip["device_hash"][alts] = True
                dv = devs[r.integers(0, devs.size, ns)]
                self.add_sig(alts, "device_hash", dv, seen0)
                if r.random() < .5:
                    self.add_sig(seller, "device_hash", devs[:1], seen0)
                self.skip["ip_home"][alts] = True
                self.add_sig(alts, "ip_addr", self.home_ip[seller[0]], seen0)
                card = self.nid("card_token", 1)
                sh = alts[r.random(ns) < .6]
                self.skip["card_token"][sh] = True
                self.add_sig(sh, "card_token", card, seen0)
                self.add_sig(sh, "card_bin", self.bins[int(r.integers(0, 40))], seen0)
                if r.random() < .5:
                    self.add_link(np.repeat(seller, ns), alts, "referral")
                rate = np.full(ns, .85)
            self.later.append(lambda s=seller[0], al=alts, l=lst, rt=rate, c=careful:
                              self.ev_shill(s, al, l, rt, c))

    def ev_shill(self, seller, alts, lst, rate, careful):
        r = self.r
        part = r.random((lst.size, alts.size)) < rate[None, :]
        li, ai = np.nonzero(part)
        l, a = lst[li], alts[ai]
        st, en = self.Ls[l], self.Le[l]
        n = l.size
        if careful:
            w = st + r.uniform(1, 36, n) * HOUR
            self.add_ev(a, "listing.watch", T_LST, l, np.minimum(w, en - 2 * HOUR))
            nb = r.integers(1, 3, n)
            L2, A2 = np.repeat(l, nb), np.repeat(a, nb)
            st2, en2 = self.Ls[L2], self.Le[L2]
            t = st2 + (en2 - st2) * r.uniform(.15, .88, L2.size)
            amt = self.going(L2, t) * r.uniform(.86, .99, L2.size)
            self.add_ev(A2, "auction.bid", T_LST, L2, t, np.round(amt, 2))
        else:
            self.add_ev(a, "listing.watch", T_LST, l, st + r.uniform(30, 600, n))
            self.add_ev(a, "listing.view", T_LST, l, st + r.uniform(20, 400, n))
            # escalating sequences in the last day: alts one after another, minutes apart
            order = np.lexsort((r.random(n), l))
            l, a = l[order], a[order]
            first = np.r_[True, l[1:] != l[:-1]]
            grp = np.cumsum(first) - 1
            pos = np.arange(n) - np.flatnonzero(first)[grp]
            t0 = self.Le[np.unique(l)] - r.uniform(1, 24, np.unique(l).size) * HOUR
            t = t0[grp] + pos * r.uniform(60, 600, n)
            t = np.minimum(t, self.Le[l] - 120)
            # each step a little higher, but under the going price: they push, honest bidders win
            amt = np.maximum(self.going(l, t) * np.minimum(.86 + .025 * pos, .98), self.Lp[l] + .5 * (pos + 1))
            self.add_ev(a, "auction.bid", T_LST, l, t, np.round(amt, 2))
            # a second escalation round for half of them
            m = r.random(n) < .5
            t2 = np.minimum(t[m] + r.uniform(300, 3600, m.sum()), self.Le[l[m]] - 900)
            amt2 = np.maximum(amt[m] * 1.02, self.going(l[m], t2) * r.uniform(.9, .98, m.sum()))
            self.add_ev(a[m], "auction.bid", T_LST, l[m], t2, np.round(amt2, 2))

    def alloc_feedback_farm(self):
        r = self.r
        n = self.cnt(6, 2)
        for k in range(n):
            careful = k % 2 == 1
            var = "careful" if careful else "blunt"
            gid = f"fbfarm-{k:03d}-{var}"
            nw = int(r.integers(15, 71))
            workers = self.take(nw)
            nb = int(r.integers(2, 5))
            bt = np.sort(r.uniform(-200, 40, nb)) * DAY
            b = r.integers(0, nb, nw)
            spread = (5 * DAY) if careful else (20 * HOUR)
            self.created[workers] = np.round(bt[b] + r.random(nw) * spread)
            self.group(gid, "feedback_farm", True, workers)
            nc = int(r.integers(3, 9))
            clients = self.take(nc, (self.created < -100 * DAY) & ~self.dormant)
            self.lone("feedback_client", clients)
            self.atype[clients] = 1
            seen = self.created[workers] + r.uniform(0, 2, nw) * DAY
            ip_pool = self.nid("ip_addr", max(3, nw // 4)) if not careful else self.proxies(max(4, nw // 2))
            self.skip["ip_home"][workers] = True
            self.skip["ip_addr"][workers] = True
            k_ip = r.integers(1, 4, nw)
            wa = np.repeat(workers, k_ip)
            self.add_sig(wa, "ip_addr", r.choice(ip_pool, wa.size), np.repeat(seen, k_ip))
            self.skip["card_token"][workers] = True
            self.skip["card_bin"][workers] = True
            prepaid_bin = self.bins[int(r.integers(150, 300))]
            if careful:
                self.org_mult[workers] *= .5
                self.add_sig(workers, "card_token", self.nid("card_token", nw), seen)
                self.add_sig(workers, "card_bin", prepaid_bin, seen)
                emu = self.nid("browser_fp", 1)
                m = r.random(nw) < .7
                self.skip["browser_fp"][workers[m]] = True
                self.add_sig(workers[m], "browser_fp", emu, seen[m])
            else:
                self.org_mult[workers] *= .1
                team = np.arange(nw) // int(r.integers(3, 7))
                nt = team.max() + 1
                self.skip["device_hash"][workers] = True
                self.add_sig(workers, "device_hash", self.nid("device_hash", nt)[team], seen)
                self.add_sig(workers, "card_token", self.nid("card_token", nt)[team], seen)
                self.add_sig(workers, "card_bin", prepaid_bin, seen)
                self.skip["ship_addr"][workers] = True
                self.add_sig(workers, "ship_addr", self.nid("ship_addr", 3)[r.integers(0, 3, nw)], seen)
                if r.random() < .5:
                    ch = workers[r.permutation(nw)[:max(2, nw // 3)]]
                    self.add_link(ch[:-1], ch[1:], "referral")
            jobs = []
            for c in clients:
                for _ in range(int(r.integers(3, 9))):
                    tj = max(r.uniform(0, WIN - 10 * DAY), self.created[workers].min() + DAY)
                    nl = int(r.integers(3, 11))
                    cat = CHEAP[r.integers(0, CHEAP.size, nl)]
                    lst = self.add_listings(np.full(nl, c), cat, False, tj + r.uniform(0, 3600, nl),
                                            30 * DAY, r.uniform(.99, 4.99, nl), pop=.15)
                    jobs.append((tj, lst))
            self.later.append(lambda w=workers, j=jobs, cf=careful: self.ev_farm(w, j, cf))

    def ev_farm(self, workers, jobs, careful):
        r = self.r
        for tj, lst in jobs:
            m = r.random(workers.size) < r.uniform(.15, .4)
            if m.sum() < 2:
                m[r.choice(workers.size, 2, replace=False)] = True
            w = workers[m]
            n = w.size
            l = lst[r.integers(0, lst.size, n)]
            t = tj + (r.uniform(0, 72, n) if careful else r.uniform(.2, 6, n)) * HOUR
            t = np.maximum(t, self.created[w] + HOUR)
            self.add_ev(w, "listing.view", T_LST, l, t - r.uniform(30, 900, n))
            self.add_ev(w, "bin.buy", T_LST, l, t, self.Lp[l])
            self.add_ev(w, "order.pay", T_LST, l, t + r.uniform(10, 300, n), self.Lp[l])
            dfb = (r.uniform(1, 5, n) if careful else r.uniform(1, 2, n)) * DAY
            self.add_ev(w, "feedback.leave", T_ACC, self.Lseller[l], t + dfb, stars=5)
            if careful:
                mm = r.random(n) < .3
                self.add_ev(w[mm], "listing.watch", T_LST, l[mm], t[mm] - r.uniform(1, 20, mm.sum()) * HOUR)

    def alloc_card_ring(self):
        r = self.r
        n = self.cnt(6, 2)
        for k in range(n):
            tri = k % 3 == 2
            var = "triangulation" if tri else "carding"
            gid = f"cardring-{k:03d}-{var}"
            na = int(r.integers(5, 21))
            mem = self.take(na + (1 if tri else 0))
            t0 = r.uniform(0, WIN - 30 * DAY)
            nb = int(r.integers(1, 3))
            bt = t0 + np.sort(r.uniform(0, 14, nb)) * DAY
            spread = r.uniform(.2, 4) * DAY
            self.created[mem] = np.round(bt[r.integers(0, nb, mem.size)] + r.random(mem.size) * spread)
            self.group(gid, "card_ring", True, mem)
            self.org_mult[mem] = 0
            buyers = mem[:na]
            seen = self.created[mem] + r.uniform(60, 3600, mem.size)
            for kd in ("ip_home", "ip_addr", "card_token", "card_bin", "ship_addr", "phone_hash"):
                self.skip[kd][buyers] = True
            self.add_sig(mem, "ip_addr", self.proxies(mem.size), seen)
            pool = self.nid("card_token", int(na * 2.5))
            rbins = self.bins[r.choice(np.arange(250, 500), int(r.integers(1, 3)), replace=False)]
            pbin = rbins[r.integers(0, rbins.size, pool.size)]
            kc = r.integers(2, 6, na)
            ba = np.repeat(buyers, kc)
            ci = r.integers(0, pool.size, ba.size)
            sb = np.repeat(seen[:na], kc) + r.uniform(0, 3, ba.size) * DAY
            self.add_sig(ba, "card_token", pool[ci], sb)
            self.add_sig(ba, "card_bin", pbin[ci], sb)
            drops = self.nid("ship_addr", int(r.integers(1, 4)))
            ks = r.integers(1, 3, na)
            sa = np.repeat(buyers, ks)
            self.add_sig(sa, "ship_addr", drops[r.integers(0, drops.size, sa.size)], np.repeat(seen[:na], ks))
            if r.random() < .5:
                self.skip["browser_fp"][mem] = True
                self.add_sig(mem, "browser_fp", self.nid("browser_fp", 1), seen)
            store = None
            if tri:
                store = mem[na]
                self.atype[store] = 1
                self.own_list[store] = True
                self.add_sig([store, buyers[0]], "device_hash", self.nid("device_hash", 1),
                             seen[0])
                nl = int(r.integers(10, 31))
                cat = HIGH_VAL[r.integers(0, 5, nl)]
                st = self.created[store] + r.uniform(.5, 20, nl) * DAY
                price = self.market(cat, nl) * .7
                slst = self.add_listings(np.full(nl, store), cat, False, st, 20 * DAY, price,
                                         pop=.0, prod=self.prod_of(cat, nl))
            else:
                slst = None
            self.later.append(lambda b=buyers, s=store, sl=slst: self.ev_card(b, s, sl))

    def ev_card(self, buyers, store, slst):
        r = self.r
        na = buyers.size
        c0 = self.created[buyers]
        self.add_ev(buyers, "address.add", T_SURF, S["settings"], c0 + r.uniform(300, 3 * HOUR, na))
        nc = r.integers(1, 4, na)
        ca = np.repeat(buyers, nc)
        self.add_ev(ca, "card.add", T_SURF, S["wallet"], np.repeat(c0, nc) + r.uniform(600, 6 * HOUR, ca.size))
        npur = r.integers(2, 9, na)
        pa = np.repeat(buyers, npur)
        t = np.repeat(c0, npur) + r.uniform(2 * HOUR, 20 * DAY, pa.size)
        cats = HIGH_VAL[r.integers(0, HIGH_VAL.size, pa.size)]
        l = self.pick_bin.pick(r, cats)
        t = np.maximum(t, self.Ls[l] + 60)
        self.add_ev(pa, "listing.view", T_LST, l, t - r.uniform(60, 1200, pa.size))
        nd = r.integers(0, 4, pa.size)
        da = np.repeat(pa, nd)
        self.add_ev(da, "payment.decline", T_LST, np.repeat(l, nd), np.repeat(t, nd) - r.uniform(10, 600, da.size),
                    np.repeat(self.Lp[l], nd))
        self.add_ev(pa, "bin.buy", T_LST, l, t, self.Lp[l])
        self.add_ev(pa, "order.pay", T_LST, l, t + r.uniform(5, 120, pa.size), self.Lp[l])
        m = r.random(pa.size) < .2
        self.add_ev(pa[m], "msg.send", T_ACC, self.Lseller[l[m]], t[m] + r.uniform(300, 7200, m.sum()))
        if store is not None:
            vt, vl = self.victim_buys(slst, 1.0, 2.0, inr=False)
            rb = buyers[r.integers(0, na, vt.size)]
            cat = self.Lcat[vl]
            l2 = self.pick_bin.pick(r, cat)
            t2 = vt + r.uniform(1, 24, vt.size) * HOUR
            self.add_ev(rb, "bin.buy", T_LST, l2, t2, self.Lp[l2])
            self.add_ev(rb, "order.pay", T_LST, l2, t2 + r.uniform(5, 120, rb.size), self.Lp[l2])
            self.payouts(store, vt, self.Lp[vl])

    def victim_buys(self, lst, mean, spread_days, inr=True):
        """Honest buyers buy the listings (Poisson per listing); returns (ts, listing)."""
        r = self.r
        k = r.poisson(mean, lst.size)
        l = np.repeat(lst, k)
        n = l.size
        if n == 0:
            return np.zeros(0), np.zeros(0, np.int64)
        b = self.victim_pool[r.integers(0, self.victim_pool.size, n)]
        t = self.Ls[l] + r.uniform(.05, spread_days, n) * DAY
        self.add_ev(b, "listing.view", T_LST, l, t - r.uniform(60, 3600, n))
        self.add_ev(b, "bin.buy", T_LST, l, t, self.Lp[l])
        self.add_ev(b, "order.pay", T_LST, l, t + r.uniform(10, 900, n), self.Lp[l])
        seller = self.Lseller[l]
        if inr:
            m = r.random(n) < .6
            self.add_ev(b[m], "msg.send", T_ACC, seller[m], t[m] + r.uniform(7, 14, m.sum()) * DAY)
            m = r.random(n) < .7
            self.add_ev(b[m], "case.inr", T_LST, l[m], t[m] + r.uniform(12, 28, m.sum()) * DAY)
            m = r.random(n) < .3
            self.add_ev(b[m], "feedback.leave", T_ACC, seller[m], t[m] + r.uniform(18, 35, m.sum()) * DAY,
                        stars=r.choice([1, 2], m.sum(), p=[.85, .15]))
        else:
            self.followups(b, l, t)
        return t, l

    def payouts(self, seller, t, amount):
        r = self.r
        n = np.size(t)
        self.add_ev(np.broadcast_to(seller, (n,)), "payout.request", T_SURF, S["payout"],
                    t + r.uniform(1, 3, n) * DAY, np.round(amount, 2))

    def alloc_crew(self):
        r = self.r
        n = self.cnt(5, 2)
        for k in range(n):
            careful = k % 2 == 1
            var = "careful" if careful else "blunt"
            gid = f"ndcrew-{k:03d}-{var}"
            na = int(r.integers(4, 13))
            mem = self.take(na)
            t0 = r.uniform(0, WIN - 30 * DAY)
            nb = int(r.integers(1, 3))
            bt = t0 + np.sort(r.uniform(0, 6, nb)) * DAY
            self.created[mem] = np.round(bt[r.integers(0, nb, na)] + r.random(na) * 6 * HOUR)
            self.group(gid, "nondelivery_crew", True, mem)
            self.atype[mem] = 1
            self.own_list[mem] = True
            self.silent[mem] = True
            self.org_mult[mem] = 0
            seen = self.created[mem] + r.uniform(60, 7200, na)
            self.skip["bank_acct"][mem] = True
            self.skip["phone_hash"][mem] = True
            self.add_sig(mem, "phone_hash", self.nid("phone_hash", max(2, na // 2))[r.integers(0, max(2, na // 2), na)], seen)
            if careful:
                self.add_sig(mem, "bank_acct", self.nid("bank_acct", na), seen)
                devs = self.nid("device_hash", int(r.integers(2, 4)))
                self.skip["device_hash"][mem] = True
                self.add_sig(mem, "device_hash", devs[r.integers(0, devs.size, na)], seen)
                self.skip["ip_home"][mem] = True
                self.skip["ip_addr"][mem] = True
                self.add_sig(mem, "ip_addr", self.proxies(na), seen)
                master = self.nid("bank_acct", 1) if r.random() < .5 else None
            else:
                banks = self.nid("bank_acct", int(r.integers(1, 3)))
                self.add_sig(mem, "bank_acct", banks[r.integers(0, banks.size, na)], seen)
                devs = self.nid("device_hash", int(r.integers(1, 3)))
                self.skip["device_hash"][mem] = True
                self.add_sig(mem, "device_hash", devs[r.integers(0, devs.size, na)], seen)
                self.skip["ip_home"][mem] = True
                self.add_sig(mem, "ip_addr", self.home_ip[mem[0]], seen)
                master = None
            cats = HIGH_VAL[r.choice(5, int(r.integers(1, 4)), replace=False)]
            prods = self.prod_of(cats, cats.size)
            nwave = int(r.integers(1, 4))
            wt = self.created[mem].max() + np.sort(r.uniform(.2, 12, nwave)) * DAY
            kl = r.integers(3, 11, na)
            sel = np.repeat(mem, kl)
            pi = r.integers(0, prods.size, sel.size)
            st = wt[r.integers(0, nwave, sel.size)] + r.uniform(0, 3, sel.size) * HOUR
            price = CAT_PRICE[cats[pi]] * r.uniform(.55, .65, sel.size)
            lst = self.add_listings(sel, cats[pi], False, st, 21 * DAY, price, pop=0.0, prod=prods[pi])
            self.later.append(lambda m=mem, l=lst, ms=master, s=seen: self.ev_crew(m, l, ms, s))

    def ev_crew(self, mem, lst, master, seen):
        r = self.r
        t, l = self.victim_buys(lst, 1.2, 6)
        seller = self.Lseller[l]
        self.payouts(seller, t, self.Lp[l])
        self.add_ev(mem, "login", T_SURF, S["web"], self.created[mem] + r.uniform(60, 3600, mem.size))
        if master is not None:
            tc = np.median(self.Ls[lst]) + r.uniform(1, 5, mem.size) * DAY
            self.add_ev(mem, "payout.change", T_SURF, S["payout"], tc)
            self.add_sig(mem, "bank_acct", master, tc)

    def alloc_ato(self):
        r = self.r
        n = self.cnt(3, 1)
        for k in range(n):
            fast = k % 2 == 0
            var = "fast" if fast else "slow"
            gid = f"ato-{k:03d}-{var}"
            nv = int(r.integers(12, 51))
            vic = self.take(nv, self.dormant & (self.created < -365 * DAY))
            nv = vic.size
            self.group(gid, "ato_wave", True, vic)
            self.atype[vic] = 1
            tw = r.uniform(10, DAYS - 18) * DAY
            tt = tw + r.uniform(0, 2 if fast else 10, nv) * DAY
            devs = self.nid("device_hash", int(r.integers(2, 6)))
            self.add_sig(vic, "device_hash", devs[r.integers(0, devs.size, nv)], tt)
            ips = self.vpn[r.choice(25, int(r.integers(3, 9)), replace=False)]
            ki = r.integers(1, 3, nv)
            va = np.repeat(vic, ki)
            self.add_sig(va, "ip_addr", ips[r.integers(0, ips.size, va.size)], np.repeat(tt, ki))
            mules = self.nid("bank_acct", int(r.integers(1, 5)))
            tp = tt + r.uniform(1, 48, nv) * HOUR
            self.add_sig(vic, "bank_acct", mules[r.integers(0, mules.size, nv)], tp)
            phones = self.nid("phone_hash", int(r.integers(1, 3)))
            m = r.random(nv) < .5
            self.add_sig(vic[m], "phone_hash", phones[r.integers(0, phones.size, m.sum())], tt[m])
            kl = r.integers(3, 13, nv)
            sel = np.repeat(vic, kl)
            cat = HIGH_VAL[r.integers(0, HIGH_VAL.size, sel.size)]
            st = np.repeat(tt, kl) + r.uniform(2, 72, sel.size) * HOUR
            lst = self.add_listings(sel, cat, False, st, 14 * DAY, self.market(cat, sel.size) * .8,
                                    pop=0.0, prod=np.where(r.random(sel.size) < .6, self.prod_of(cat, sel.size), -1))
            self.own_list[vic] = True
            self.silent[vic] = True
            self.later.append(lambda v=vic, t=tt, tp_=tp, l=lst: self.ev_ato(v, t, tp_, l))

    def ev_ato(self, vic, tt, tp, lst):
        r = self.r
        n = vic.size
        kl = r.integers(2, 6, n)
        la = np.repeat(vic, kl)
        self.add_ev(la, "login", T_SURF, S["web"], np.repeat(tt, kl) + r.uniform(0, 4, la.size) * DAY)
        self.add_ev(vic, "login", T_SURF, S["web"], tt)
        self.add_ev(vic, "password.reset", T_SURF, S["security"], tt + r.uniform(60, 1800, n))
        m = r.random(n) < .6
        self.add_ev(vic[m], "email.change", T_SURF, S["security"], tt[m] + r.uniform(600, 7200, m.sum()))
        self.add_ev(vic, "payout.change", T_SURF, S["payout"], tp)
        t, l = self.victim_buys(lst, .9, 5)
        self.payouts(self.Lseller[l], t, self.Lp[l])

    def alloc_bid_shield(self):
        r = self.r
        n = self.cnt(8, 2)
        for k in range(n):
            size = int(r.choice([2, 3], p=[.6, .4]))
            mem = self.take(size, (self.created < -90 * DAY) & ~self.dormant)
            self.group(f"shield-{k:03d}", "bid_shield", True, mem)
            if r.random() < .5:
                if r.random() < .5:
                    self.add_sig(mem, "device_hash", self.nid("device_hash", 1), r.uniform(-200, 0) * DAY)
                else:
                    self.skip["ip_home"][mem] = True
                    self.add_sig(mem, "ip_addr", self.home_ip[mem[0]], r.uniform(-200, 0) * DAY)
            self.later.append(lambda m=mem: self.ev_shield(m))

    def ev_shield(self, mem):
        r = self.r
        na = int(r.integers(5, 16))
        cats = np.full(na, -1)
        l = self.pick_end.pick(r, cats)
        l = np.unique(l)
        na = l.size
        st, en = self.Ls[l], self.Le[l]
        partner = mem[r.integers(0, mem.size, na)]
        shield = np.array([r.choice(mem[mem != p]) for p in partner])
        t1 = st + (en - st) * r.uniform(.05, .3, na)
        self.add_ev(partner, "auction.bid", T_LST, l, t1, np.round(self.Lp[l] * r.uniform(1.0, 1.2, na), 2))
        t2 = t1 + r.uniform(60, 1800, na)
        self.add_ev(shield, "auction.bid", T_LST, l, t2,
                    np.round(self.Lp[l] * self.Lm[l] * r.uniform(2, 4, na), 2))
        self.add_ev(shield, "bid.retract", T_LST, l, en - r.uniform(10, 90, na) * MIN)
        t3 = en - r.uniform(5, 60, na)
        self.add_ev(partner, "auction.bid", T_LST, l, t3,
                    np.round(self.going(l, t3) * r.uniform(.95, 1.1, na), 2))
        wa = np.repeat(mem, na)
        wl = np.tile(l, mem.size)
        m = r.random(wa.size) < .5
        self.add_ev(wa[m], "listing.watch", T_LST, wl[m], self.Ls[wl[m]] + r.uniform(600, DAY, m.sum()))

    def alloc_lone(self):
        r = self.r
        # lone scam sellers
        ns = self.cnt(20)
        sc = self.take(ns)
        self.created[sc] = np.round(r.uniform(0, WIN - 30 * DAY, sc.size))
        self.lone("lone_scam_seller", sc)
        self.atype[sc] = 1
        self.own_list[sc] = True
        self.org_mult[sc] = .05
        kl = r.integers(2, 9, sc.size)
        sel = np.repeat(sc, kl)
        cat = HIGH_VAL[r.integers(0, 5, sel.size)]
        st = self.created[sel] + r.uniform(.2, 10, sel.size) * DAY
        lst = self.add_listings(sel, cat, False, st, 21 * DAY, CAT_PRICE[cat] * r.uniform(.5, .7, sel.size),
                                pop=0.0, prod=self.prod_of(cat, sel.size))

        def ev_scam(lst=lst):
            t, l = self.victim_buys(lst, 1.0, 7)
            self.payouts(self.Lseller[l], t, self.Lp[l])
        self.later.append(ev_scam)
        # lone card fraud
        nc = self.cnt(20)
        cf = self.take(nc)
        self.created[cf] = np.round(r.uniform(0, WIN - 10 * DAY, cf.size))
        self.lone("lone_card_fraud", cf)
        self.org_mult[cf] = 0
        for kd in ("card_token", "card_bin", "ip_home", "ip_addr"):
            self.skip[kd][cf] = True
        kc = r.integers(5, 21, cf.size)
        ca = np.repeat(cf, kc)
        sa = self.created[ca] + r.uniform(60, 3600, ca.size)
        self.add_sig(ca, "card_token", self.nid("card_token", ca.size), sa)
        self.add_sig(ca, "card_bin", self.bins[r.integers(0, self.bins.size, ca.size)], sa)
        self.add_sig(cf, "ip_addr", self.vpn[r.choice(25, cf.size, p=self.vpn_w)], self.created[cf] + 60)

        def ev_cf(cf=cf):
            n = cf.size
            kd = r.integers(10, 41, n)
            da = np.repeat(cf, kd)
            cats = HIGH_VAL[r.integers(0, HIGH_VAL.size, da.size)]
            l = self.pick_bin.pick(r, cats)
            t = self.created[da] + HOUR + r.uniform(0, 3600, da.size)
            t = np.maximum(t, self.Ls[l] + 60)
            self.add_ev(da, "payment.decline", T_LST, l, t, self.Lp[l])
            self.add_ev(da[::3], "card.add", T_SURF, S["wallet"], t[::3] - 30)
            kb = r.integers(1, 4, n)
            ba = np.repeat(cf, kb)
            l2 = self.pick_bin.pick(r, HIGH_VAL[r.integers(0, HIGH_VAL.size, ba.size)])
            t2 = np.maximum(self.created[ba] + r.uniform(2, 30, ba.size) * HOUR, self.Ls[l2] + 60)
            self.add_ev(ba, "bin.buy", T_LST, l2, t2, self.Lp[l2])
            self.add_ev(ba, "order.pay", T_LST, l2, t2 + 30, self.Lp[l2])
        self.later.append(ev_cf)
        # lone feedback extortion
        ne = self.cnt(10)
        fe = self.take(ne, (self.created < -60 * DAY) & ~self.dormant)
        self.lone("lone_feedback_extortion", fe)

        def ev_fe(fe=fe):
            kb = r.integers(5, 16, fe.size)
            ba = np.repeat(fe, kb)
            l = self.pick_bin.pick(r, self.fav[ba, 0])
            t = self.Ls[l] + np.minimum(self.Le[l] - self.Ls[l], WIN) * r.beta(1, 2.5, ba.size)
            t = np.maximum(t, self.created[ba] + DAY)
            self.add_ev(ba, "bin.buy", T_LST, l, t, self.Lp[l])
            self.add_ev(ba, "order.pay", T_LST, l, t + 60, self.Lp[l])
            m = r.random(ba.size) < .7
            self.add_ev(ba[m], "msg.send", T_ACC, self.Lseller[l[m]], t[m] + r.uniform(3, 8, m.sum()) * DAY)
            m = r.random(ba.size) < .6
            self.add_ev(ba[m], "feedback.leave", T_ACC, self.Lseller[l[m]], t[m] + r.uniform(5, 12, m.sum()) * DAY, stars=1)
            m = r.random(ba.size) < .4
            self.add_ev(ba[m], "return.open", T_LST, l[m], t[m] + r.uniform(4, 10, m.sum()) * DAY)
        self.later.append(ev_fe)

    # ------------------------------------------------------------------ BENIGN groups
    def alloc_households(self):
        r = self.r
        nh = self.cnt(650)
        sizes = r.choice([2, 3, 4, 5], nh, p=[.5, .28, .15, .07])
        mem = self.take(int(sizes.sum()))
        mem = mem[r.permutation(mem.size)]
        cut = np.cumsum(sizes)[:-1]
        for k, idx in enumerate(np.split(mem, cut)):
            idx = np.sort(idx)
            self.group(f"hh-{k:04d}", "household", False, idx)
            c = self.country[idx[0]]
            self.country[idx] = c
            if r.random() < .3:
                self.created[idx[1:]] = np.minimum(self.created[idx[0]] + r.uniform(0, 7, idx.size - 1) * DAY,
                                                   WIN - 3 * DAY).round()
            seen = np.maximum(self.created[idx], -500 * DAY) + r.uniform(0, 20, idx.size) * DAY
            self.skip["ip_home"][idx] = True
            self.add_sig(idx, "ip_addr", self.home_ip[idx[0]], seen)
            if r.random() < .35:
                self.add_sig(idx, "device_hash", self.nid("device_hash", 1), seen)
            if r.random() < .25:
                self.add_sig(idx, "card_token", self.nid("card_token", 1), seen)
                self.add_sig(idx, "card_bin", self.bins[r.choice(self.bins.size, p=self.bin_w)], seen)
            if r.random() < .85:
                self.skip["ship_addr"][idx] = True
                self.add_sig(idx, "ship_addr", self.nid("ship_addr", 1), seen)
            if r.random() < .3:
                self.add_link(np.full(idx.size - 1, idx[0]), idx[1:], "referral")

    def alloc_power_sellers(self):
        r = self.r
        n = self.cnt(12, 1)
        for k in range(n):
            ns = int(r.integers(3, 11))
            staff = self.take(ns, ~self.dormant)
            self.group(f"powerseller-{k:03d}", "power_seller", False, staff)
            self.atype[staff] = 2
            self.own_list[staff] = True
            self.org_mult[staff] *= .1
            c = int(r.choice(len(COUNTRIES), p=C_P))
            self.country[staff] = c
            self.created[staff] = np.minimum(self.created[staff], -r.uniform(30, 1500, ns) * DAY).round()
            seen = np.maximum(self.created[staff], -400 * DAY)
            self.skip["ip_home"][staff] = True
            self.skip["ip_addr"][staff] = True
            self.skip["device_hash"][staff] = True
            offices = self.nid("ip_addr", int(r.integers(1, 3)))
            self.add_sig(staff, "ip_addr", offices[0], seen)
            if offices.size > 1:
                m = r.random(ns) < .5
                self.add_sig(staff[m], "ip_addr", offices[1], seen[m])
            pcs = self.nid("device_hash", int(r.integers(2, 5)))
            kd = r.integers(1, pcs.size + 1, ns)
            for a, kk in zip(staff, kd):
                self.add_sig(np.full(kk, a), "device_hash", r.choice(pcs, kk, replace=False), seen[staff == a])
            if r.random() < .7:
                self.skip["bank_acct"][staff] = True
                self.add_sig(staff, "bank_acct", self.nid("bank_acct", 1), seen)
            if r.random() < .5:
                self.skip["phone_hash"][staff] = True
                self.add_sig(staff, "phone_hash", self.nid("phone_hash", 1), seen)
            niche = r.choice(NC, int(r.integers(1, 4)), p=CAT_P)
            nprod = int(r.integers(20, 81))
            pc = niche[r.integers(0, niche.size, nprod)]
            prods = self.prod_of(pc, nprod)
            nsess = int(r.integers(20, 61))
            day = r.integers(-5, DAYS - 1, nsess)
            dow_ok = (day + 0) % 7 < 5
            day = day[dow_ok] if dow_ok.any() else day
            sess = day * DAY + (r.uniform(9, 17, day.size) - C_TZ[c]) * HOUR
            for ts in sess:
                who = staff[r.random(ns) < r.uniform(.3, .9)]
                if who.size == 0:
                    who = staff[:1]
                kl = r.integers(3, 21, who.size)
                sel = np.repeat(who, kl)
                m = sel.size
                pi = r.integers(0, nprod, m)
                linked = r.random(m) < .6
                cat = np.where(linked, pc[pi], niche[r.integers(0, niche.size, m)])
                auc = r.random(m) < .3
                dur = np.where(auc, self.dur_auc(m), 30 * DAY)
                st = ts + np.sort(r.uniform(0, 50, m)) * MIN
                self.add_listings(sel, cat, auc, st, dur, np.where(auc, r.choice([.99, 9.99], m), self.market(cat, m)),
                                  pop=r.lognormal(.5, .6, m), prod=np.where(linked, prods[pi], -1), org=True)

    def alloc_sniping(self):
        r = self.r
        for k, base in enumerate([350, 150]):
            n = self.cnt(base, 20)
            cust = self.take(n, (self.created < -30 * DAY) & ~self.dormant)
            self.group(f"snipesvc-{k}", "sniping_service", False, cust)
            ips = self.nid("ip_addr", int(r.integers(3, 7)))
            bot = self.nid("browser_fp", 1)
            lead = r.uniform(3, 5)
            self.later.append(lambda c=cust, i=ips, b=bot, ld=lead: self.ev_snipe(c, i, b, ld))

    def ev_snipe(self, cust, ips, bot, lead):
        r = self.r
        ks = np.minimum(r.zipf(1.6, cust.size) + 2, 40)
        ca = np.repeat(cust, ks)
        cats = np.where(r.random(ca.size) < .6, self.fav[ca, 0], -1)
        l = self.pick_end.pick(r, cats)
        en = self.Le[l]
        ok = en > self.created[ca] + DAY
        ca, l, en = ca[ok], l[ok], en[ok]
        n = ca.size
        t = en - lead - r.uniform(0, 2.5, n)
        amt = self.Lp[l] * self.Lm[l] * r.uniform(.9, 1.2, n)
        self.add_ev(ca, "auction.bid", T_LST, l, t, np.round(amt, 2))
        m = r.random(n) < .7
        self.add_ev(ca[m], "listing.watch", T_LST, l[m],
                    self.Ls[l[m]] + (en[m] - self.Ls[l[m]]) * r.uniform(.05, .8, m.sum()))
        first = pl.DataFrame({"a": ca, "t": t}).group_by("a").agg(pl.col("t").min()).sort("a")
        fa, ft = first["a"].to_numpy(), first["t"].to_numpy()
        self.add_sig(fa, "ip_addr", ips[r.integers(0, ips.size, fa.size)], ft)
        m = r.random(fa.size) < .5
        self.add_sig(fa[m], "ip_addr", ips[r.integers(0, ips.size, m.sum())], ft[m] + DAY)
        self.add_sig(fa, "browser_fp", bot, ft)

    def alloc_collectors(self):
        r = self.r
        n = self.cnt(8, 1)
        for k in range(n):
            nm = int(r.integers(10, 41))
            mem = self.take(nm, (self.created < -60 * DAY) & ~self.dormant)
            self.group(f"club-{k:03d}", "collectors_club", False, mem)
            cat = COLLECT[r.integers(0, COLLECT.size)]
            self.fav[mem, 0] = cat
            m = r.random(nm) < .3
            venue = self.nid("ip_addr", 1)
            self.add_sig(mem[m], "ip_addr", venue, r.uniform(-100, 100, m.sum()) * DAY)
            m = r.random(nm) < .4
            self.add_link(np.full(m.sum(), mem[0]), mem[m], "referral")
            nl = int(r.integers(15, 51))
            self.later.append(lambda mm=mem, c=cat, nl_=nl: self.ev_club(mm, c, nl_))

    def ev_club(self, mem, cat, nl):
        r = self.r
        lst = self.rare[self.rare_cat == cat]
        if lst.size == 0:
            return
        lst = r.choice(lst, min(nl, lst.size), replace=False)
        part = r.random((lst.size, mem.size)) < r.uniform(.3, .7)
        li, mi = np.nonzero(part)
        l, a = lst[li], mem[mi]
        st, en = self.Ls[l], self.Le[l]
        t = st + np.exp(r.normal(np.log(40 * 60), .9, l.size))
        self.add_ev(a, "listing.watch", T_LST, l, np.minimum(t, en - 60))
        self.add_ev(a, "listing.view", T_LST, l, np.minimum(t - r.uniform(5, 120, l.size), en - 60))
        b = r.random(l.size) < .35
        lb, ab = l[b], a[b]
        late = r.random(lb.size) < .25
        tb = np.where(late, self.Le[lb] - r.uniform(5, 300, lb.size),
                      self.Ls[lb] + (self.Le[lb] - self.Ls[lb]) * r.uniform(.2, .97, lb.size))
        self.add_ev(ab, "auction.bid", T_LST, lb, tb, np.round(self.going(lb, tb) * r.uniform(.97, 1.08, lb.size), 2))

    def alloc_events(self):
        r = self.r
        nch = self.cnt(2, 1)
        for k in range(nch):
            n = int(r.integers(80, 251) * min(1.0, max(self.sc, .3)))
            org = self.take(1, (self.created < -100 * DAY) & ~self.dormant)
            crowd = self.take(n - 1, ~self.dormant)
            gala = (r.integers(10, DAYS - 5) * DAY + (19 - C_TZ[self.country[org[0]]]) * HOUR)
            new = crowd[r.random(crowd.size) < .4]
            self.created[new] = np.round(gala - r.uniform(.2, 3, new.size) * DAY)
            mem = np.concatenate([org, crowd])
            self.group(f"charity-{k:02d}", "charity_crowd", False, mem)
            self.country[crowd] = self.country[org[0]]
            self.atype[org] = 1
            self.own_list[org] = True
            self.add_link(np.full(new.size, org[0]), new, "referral")
            wifi = self.nid("ip_addr", 2)
            m = r.random(crowd.size) < .6
            self.add_sig(crowd[m], "ip_addr", wifi[r.integers(0, 2, m.sum())], gala - r.uniform(0, 1, m.sum()) * HOUR)
            nl = int(r.integers(20, 61))
            cat = r.choice([CI["art"], CI["jewelry"], CI["home-decor"], CI["gift-cards"], CI["sporting-goods"]], nl)
            end = gala + 2 * HOUR + np.arange(nl) * 120
            st = gala - 7 * DAY
            lst = self.add_listings(np.full(nl, org[0]), cat, True, st, end - st, r.choice([10., 25., 50.], nl),
                                    r.lognormal(1.2, .4, nl), pop=.02)
            self.later.append(lambda c=crowd, l=lst, g=gala: self.ev_gala(c, l, g, True))
        ne = self.cnt(2, 1)
        for k in range(ne):
            n = int(r.integers(40, 151) * min(1.0, max(self.sc, .3)))
            co = self.take(1, (self.created < -300 * DAY) & ~self.dormant)
            c = self.country[co[0]]
            crowd = self.take(n - 1, (self.country == c) & ~self.dormant)
            mem = np.concatenate([co, crowd])
            self.group(f"estate-{k:02d}", "estate_sale_crowd", False, mem)
            self.atype[co] = 2
            self.own_list[co] = True
            close = r.integers(10, DAYS - 3) * DAY + (20 - C_TZ[c]) * HOUR
            nl = int(r.integers(30, 101))
            cat = r.choice(np.r_[COLLECT, CI["antiques"], CI["home-decor"], CI["kitchen"], CI["tools"], CI["jewelry"]], nl)
            end = close + np.arange(nl) * 60
            st = close - 6 * DAY
            lst = self.add_listings(np.full(nl, co[0]), cat, True, st, end - st, np.full(nl, 1.0),
                                    CAT_PRICE[cat] * r.lognormal(0, .5, nl), pop=.03)
            self.later.append(lambda cr=crowd, l=lst, g=close: self.ev_gala(cr, l, g, False))

    def ev_gala(self, crowd, lst, t0, charity):
        r = self.r
        kb = r.integers(2, 9, crowd.size) if charity else r.integers(1, 7, crowd.size)
        ca = np.repeat(crowd, kb)
        l = lst[r.integers(0, lst.size, ca.size)]
        en = self.Le[l]
        if charity:
            t = t0 + r.uniform(0, 2, ca.size) * HOUR
            t = np.minimum(t, en - 5)
        else:
            late = r.random(ca.size) < .6
            t = np.where(late, en - r.uniform(3, 600, ca.size), self.Ls[l] + r.uniform(0, 5, ca.size) * DAY)
        self.add_ev(ca, "auction.bid", T_LST, l, t, np.round(self.going(l, t) * r.uniform(.97, 1.1, ca.size), 2))
        m = r.random(ca.size) < .5
        self.add_ev(ca[m], "listing.watch", T_LST, l[m], self.Ls[l[m]] + r.uniform(0, 5, m.sum()) * DAY)

    def alloc_campus(self):
        r = self.r
        n = self.cnt(3, 1)
        for k in range(n):
            nm = int(r.integers(150, 501) * min(1.0, max(self.sc, .4)))
            mem = self.take(nm)
            self.group(f"campus-{k:02d}", "campus", False, mem)
            self.country[mem] = int(r.choice(len(COUNTRIES), p=C_P))
            m = r.random(nm) < .5
            yr = np.where(r.random(m.sum()) < .6, 0, -365)
            self.created[mem[m]] = np.round((yr + r.uniform(-2, 14, m.sum())) * DAY)
            ips = self.nid("ip_addr", int(r.integers(2, 5)))
            ki = r.integers(1, 3, nm)
            ma = np.repeat(mem, ki)
            self.add_sig(ma, "ip_addr", ips[r.integers(0, ips.size, ma.size)],
                         np.maximum(self.created[ma], -300 * DAY) + r.uniform(0, 30, ma.size) * DAY)

    def alloc_viral(self):
        r = self.r
        for k, base in enumerate([1400, 550]):
            n = self.cnt(base, 30)
            mem = self.take(n, ~self.dormant)
            self.group(f"viral-{k}", "viral_crowd", False, mem)
            t0 = r.uniform(5, DAYS - 12) * DAY
            seller = int(r.choice(np.flatnonzero((self.atype == 1) & self.free)))
            lst = self.add_listings([seller], int(r.choice(COLLECT)), True, t0 - 3 * HOUR, 7 * DAY, 9.99,
                                    300.0, pop=.5, org=True)
            self.later.append(lambda m=mem, l=lst[0], t=t0: self.ev_viral(m, l, t))

    def ev_viral(self, mem, l, t0):
        r = self.r
        n = mem.size
        t = t0 + np.exp(r.normal(np.log(8 * 60), 1.0, n))
        t = np.maximum(t, self.created[mem] + 60)
        self.add_ev(mem, "listing.view", T_LST, np.full(n, l), t - r.uniform(5, 60, n))
        self.add_ev(mem, "listing.watch", T_LST, np.full(n, l), t)
        m = r.random(n) < .04
        tb = self.Ls[l] + (self.Le[l] - self.Ls[l]) * r.uniform(.1, 1, m.sum())
        self.add_ev(mem[m], "auction.bid", T_LST, np.full(m.sum(), l), tb,
                    np.round(self.going(np.full(m.sum(), l), tb), 2))

    def alloc_reseller_family(self):
        r = self.r
        n = self.cnt(20, 1)
        for k in range(n):
            nm = int(r.integers(2, 5))
            mem = self.take(nm, ~self.dormant)
            self.group(f"resfam-{k:03d}", "reseller_family", False, mem)
            self.atype[mem] = 1
            self.own_list[mem] = True
            self.country[mem] = self.country[mem[0]]
            seen = np.maximum(self.created[mem], -300 * DAY)
            self.skip["bank_acct"][mem] = True
            self.add_sig(mem, "bank_acct", self.nid("bank_acct", 1), seen)
            self.skip["ip_home"][mem] = True
            self.add_sig(mem, "ip_addr", self.home_ip[mem[0]], seen)
            if r.random() < .5:
                self.add_sig(mem, "device_hash", self.nid("device_hash", 1), seen)
            cats = r.choice(NC, 2, p=CAT_P)
            prods = self.prod_of(cats[r.integers(0, 2, 15)], 15)
            kl = r.integers(8, 40, nm)
            sel = np.repeat(mem, kl)
            m = sel.size
            pi = r.integers(0, 15, m)
            linked = r.random(m) < .5
            cat = np.where(linked, prods[pi] // 10000, cats[r.integers(0, 2, m)])
            auc = r.random(m) < .5
            st = np.maximum(self.created[sel], -5 * DAY) + r.random(m) * (WIN - 6 * HOUR - np.maximum(self.created[sel], -5 * DAY))
            self.add_listings(sel, cat, auc, st, np.where(auc, self.dur_auc(m), 30 * DAY),
                              np.where(auc, 0.99, self.market(cat, m)), pop=r.lognormal(0, .6, m),
                              prod=np.where(linked, prods[pi], -1), org=True)

    def alloc_forwarders(self):
        r = self.r
        for k in range(max(1, int(round(4 * self.sc)))):
            n = int(r.integers(60, 251) * min(1.0, max(self.sc, .3)))
            mem = self.take(n, self.country != 0)
            self.group(f"fwd-{k:02d}", "parcel_forwarder", False, mem)
            self.skip["ship_addr"][mem] = True
            self.add_sig(mem, "ship_addr", self.nid("ship_addr", 1),
                         np.maximum(self.created[mem], -400 * DAY) + r.uniform(0, 60, n) * DAY)

    # ------------------------------------------------------------------ listings and organic life
    def organic_listings(self):
        r, N = self.r, self.N
        alive = np.clip((WIN - np.maximum(self.created, -10 * DAY)) / WIN, 0, 1)
        base = np.where(self.atype == 1, 5.0, .25)
        lam = base * self.act * np.minimum(self.org_mult, 1) * alive
        lam[self.own_list | self.bad] = 0
        k = np.minimum(r.poisson(lam), 400)
        sel = np.repeat(np.arange(N), k)
        m = sel.size
        cat = np.where(r.random(m) < .7, self.fav[sel, 0], r.choice(NC, m, p=CAT_P))
        lo = np.maximum(self.created[sel], -10 * DAY)
        st = lo + r.random(m) * (WIN - 6 * HOUR - lo)
        auc = r.random(m) < .55
        dur = np.where(auc, self.dur_auc(m), 30 * DAY)
        mk = self.market(cat, m)
        price = np.where(auc, np.round(mk * r.uniform(.05, .9, m), 2), mk)
        price = np.maximum(price, .99)
        mult = np.where(auc, mk / price * r.lognormal(0, .25, m), 1.0)
        linked = np.isin(cat, PROD_CATS) & (r.random(m) < .45)
        prod = np.where(linked, self.prod_of(cat, m), -1)
        self.add_listings(sel, cat, auc, st, dur, price, mult, r.lognormal(0, 1.3, m), prod, org=True)
        # rare collectibles: low traffic, some of them the clubs' targets
        nr = int(400 * self.sc) + 40
        sellers = np.flatnonzero((self.atype == 1) & (self.gk == "organic"))
        rs = sellers[r.integers(0, sellers.size, nr)]
        rc = COLLECT[r.integers(0, COLLECT.size, nr)]
        st = r.uniform(0, WIN - 11 * DAY, nr)
        self.rare = self.add_listings(rs, rc, True, st, self.dur_auc(nr), r.uniform(.99, 20, nr),
                                      r.lognormal(1.5, .6, nr), pop=.03, org=True)
        self.rare_cat = rc

    def finalize_listings(self):
        L = {k: np.concatenate(v) for k, v in self.L.items()}
        self.Lseller, self.Lcat, self.Lauc = L["seller"], L["cat"].astype(np.int64), L["auc"]
        self.Ls, self.Le, self.Lp, self.Lm = L["start"], L["end"], L["price"], L["mult"]
        self.Lpop, self.Lprod, self.Lorg = L["pop"], L["prod"], L["org"]
        idx = np.arange(self.nL)
        pos = self.Lpop > 0
        self.pick_auc = Picker(idx[pos & self.Lauc], self.Lcat, self.Lpop)
        self.pick_bin = Picker(idx[pos & ~self.Lauc & (self.Lp > 2)], self.Lcat, self.Lpop)
        self.pick_all = Picker(idx[pos], self.Lcat, self.Lpop)
        endok = pos & self.Lauc & self.Lorg & (self.Le < WIN - 60) & (self.Le > 2 * DAY)
        self.pick_end = Picker(idx[endok], self.Lcat, self.Lpop)
        self.victim_pool = np.flatnonzero((self.gk == "organic") & (self.created < -30 * DAY) & ~self.dormant)

    def seller_events(self):
        r = self.r
        n = self.nL
        l = np.arange(n)
        s = self.Lseller
        self.add_ev(s, "listing.create", T_LST, l, self.Ls, self.Lp)
        m = self.Lprod >= 0
        self.add_ev(s[m], "listing.link_product", T_PRD, self.Lprod[m], self.Ls[m] + r.uniform(20, 300, m.sum()))
        m = r.random(n) < .1
        self.add_ev(s[m], "listing.revise", T_LST, l[m],
                    self.Ls[m] + (np.minimum(self.Le[m], WIN) - self.Ls[m]) * r.uniform(.05, .9, m.sum()))
        # weekly-ish payouts of every seller but the silent ones
        sellers, cnt = np.unique(s[~self.silent[s]], return_counts=True)
        lo = np.maximum(self.created[sellers], 0)
        k = r.poisson(np.minimum(cnt / 4, 1) * (WIN - lo) / (7 * DAY) * .7)
        pa = np.repeat(sellers, k)
        self.add_ev(pa, "payout.request", T_SURF, S["payout"], self.diurnal(pa, np.repeat(lo, k), np.full(pa.size, WIN)),
                    np.round(r.lognormal(4.5, 1, pa.size), 2))

    def organic_events(self):
        r, N = self.r, self.N
        alive = np.clip((WIN - np.maximum(self.created, 0)) / WIN, 0, 1)
        lam = 32 * self.act * self.org_mult * alive
        n = np.minimum(r.poisson(lam), 4000)
        acc = np.repeat(np.arange(N), n)
        E = acc.size
        names = ["login", "search", "listing.view", "listing.watch", "listing.unwatch", "auction.bid",
                 "bin.buy", "offer.make", "cart.add", "msg.send"]
        p = np.array([.09, .10, .37, .10, .02, .18, .045, .02, .03, .045])
        kind = r.choice(len(names), E, p=p / p.sum())
        cr = self.created[acc]
        lo = np.maximum(cr, 0)
        # logins and searches
        for code, nm in ((0, "login"), (1, "search")):
            m = kind == code
            a = acc[m]
            t = self.diurnal(a, lo[m], np.full(a.size, WIN))
            if nm == "login":
                self.add_ev(a, nm, T_SURF, self.platform[a], t)
            else:
                c = np.where(r.random(a.size) < .65, self.fav[a, r.integers(0, 2, a.size)], r.choice(NC, a.size, p=CAT_P))
                self.add_ev(a, nm, T_CAT, c, t)
        # listing-bound actions
        cats = np.where(r.random(E) < .6, self.fav[acc, r.integers(0, 2, E)], -1)
        lst = np.zeros(E, np.int64)
        for codes, pk in (((5,), self.pick_auc), ((6, 7, 8), self.pick_bin), ((2, 3, 4, 9), self.pick_all)):
            m = np.isin(kind, codes)
            lst[m] = pk.pick(r, cats[m])
        st, en = self.Ls[lst], np.minimum(self.Le[lst], WIN)
        d = np.maximum(en - st, 60)
        u = r.random(E)
        t = np.select([np.isin(kind, (2, 3, 4, 9)), kind == 5],
                      [st + d * r.beta(1.0, 1.6, E), self.Le[lst] - (self.Le[lst] - st) * u ** 2.2],
                      st + d * r.beta(1.0, 2.5, E))
        snipe = (kind == 5) & (r.random(E) < .07)
        t = np.where(snipe, self.Le[lst] - r.uniform(2, 90, E), t)
        late = t < cr
        t = np.where(late, cr + (en - cr) * r.random(E), t)
        ok = (kind >= 2) & (t < en) & (t >= np.maximum(cr, 0)) & (self.Lseller[lst] != acc)
        a, l, t, kd = acc[ok], lst[ok], t[ok], kind[ok]
        for code, nm in ((2, "listing.view"), (3, "listing.watch"), (4, "listing.unwatch"), (8, "cart.add")):
            m = kd == code
            self.add_ev(a[m], nm, T_LST, l[m], t[m])
        m = kd == 5
        amt = self.going(l[m], t[m]) * r.uniform(.94, 1.0, m.sum())
        self.add_ev(a[m], "auction.bid", T_LST, l[m], t[m], np.round(np.maximum(amt, self.Lp[l[m]]), 2))
        m = kd == 7
        self.add_ev(a[m], "offer.make", T_LST, l[m], t[m], np.round(self.Lp[l[m]] * r.uniform(.6, .9, m.sum()), 2))
        m = kd == 6
        self.add_ev(a[m], "bin.buy", T_LST, l[m], t[m], self.Lp[l[m]])
        self.followups(a[m], l[m], t[m])
        m = kd == 9
        sl = self.Lseller[l[m]]
        self.add_ev(a[m], "msg.send", T_ACC, sl, t[m])
        rep = (r.random(m.sum()) < .75) & ~self.silent[sl]
        self.add_ev(sl[rep], "msg.send", T_ACC, a[m][rep], t[m][rep] + r.exponential(3 * HOUR, rep.sum()) + 60)
        # a few saved-seller follows
        m = (kd == 6) & (r.random(kd.size) < .12)
        self.add_link(a[m], self.Lseller[l[m]], "saved_seller")

    def followups(self, acc, lst, ts, pay=False):
        r = self.r
        n = acc.size
        if n == 0:
            return
        seller = self.Lseller[lst]
        if pay:
            self.add_ev(acc, "order.pay", T_LST, lst, ts + r.exponential(4 * HOUR, n) + 30, self.Lp[lst])
        else:
            self.add_ev(acc, "order.pay", T_LST, lst, ts + r.uniform(5, 900, n), self.Lp[lst])
        fb = r.random(n) < .55
        stars = r.choice(5, n, p=STAR_P) + 1
        self.add_ev(acc[fb], "feedback.leave", T_ACC, seller[fb], ts[fb] + r.uniform(2, 21, fb.sum()) * DAY,
                    stars=stars[fb])
        sfb = (r.random(n) < .35) & ~self.silent[seller]
        self.add_ev(seller[sfb], "feedback.leave", T_ACC, acc[sfb], ts[sfb] + r.uniform(1, 10, sfb.sum()) * DAY,
                    stars=5)
        ret = r.random(n) < .03
        self.add_ev(acc[ret], "return.open", T_LST, lst[ret], ts[ret] + r.uniform(4, 28, ret.sum()) * DAY)

    def winners(self, ev):
        """Auction closes: the highest standing bid pays; a shill's win becomes a second chance."""
        r = self.r
        b = ev.filter(pl.col("act") == A["auction.bid"]).select("acc", "tid", "ts", "amount")
        rt = ev.filter(pl.col("act") == A["bid.retract"]).select("acc", "tid").unique()
        b = b.join(rt, on=["acc", "tid"], how="anti")
        b = b.with_columns(pl.Series("end", self.Le[b["tid"].to_numpy()]))
        b = b.filter((pl.col("end") < WIN) & (pl.col("ts") <= pl.col("end")))
        b = b.sort(["tid", "amount", "ts", "acc"], descending=[False, True, False, False])
        ring = self.shill_ring
        ba = b["acc"].to_numpy()
        sel_ring = ring[self.Lseller[b["tid"].to_numpy()]]
        b = b.with_columns(pl.Series("shill", (ring[ba] >= 0) & (ring[ba] == sel_ring)))
        top = b.group_by("tid", maintain_order=True).first()
        honest = top.filter(~pl.col("shill"))
        acc, lst, end = honest["acc"].to_numpy(), honest["tid"].to_numpy(), honest["end"].to_numpy()
        self.followups(acc, lst, end, pay=True)
        sh = top.filter(pl.col("shill"))["tid"]
        if sh.len():
            ru = (b.filter(pl.col("tid").is_in(sh.implode()) & ~pl.col("shill"))
                  .group_by("tid", maintain_order=True).first())
            ra, rl, re, ram = (ru[c].to_numpy() for c in ("acc", "tid", "end", "amount"))
            t = re + r.uniform(1, 24, ra.size) * HOUR
            self.add_ev(self.Lseller[rl], "offer.second_chance", T_ACC, ra, t, ram)
            m = r.random(ra.size) < .6
            self.add_ev(ra[m], "order.pay", T_LST, rl[m], t[m] + r.uniform(600, 36000, m.sum()), ram[m])

    # ------------------------------------------------------------------ signals
    def organic_signals(self):
        r, N = self.r, self.N
        cr = self.created
        first = np.maximum(cr, -700 * DAY) + r.uniform(0, 20, N) * DAY
        first = np.where(self.dormant, np.minimum(first, -120 * DAY), np.minimum(first, WIN - DAY))
        first = np.maximum(first, cr)
        later = np.maximum(first, 0) + r.random(N) * (WIN - np.maximum(first, 0))
        later = np.where(self.dormant, first + r.uniform(0, 30, N) * DAY, later)
        idx = np.arange(N)

        def who(kind, p=1.0):
            return idx[~self.skip[kind] & (r.random(N) < p)]
        # devices
        a = who("device_hash")
        kd = r.choice([1, 2, 3], a.size, p=[.55, .32, .13])
        da = np.repeat(a, kd)
        nth = np.arange(da.size) - np.repeat(np.cumsum(kd) - kd, kd)
        seen = np.where(nth == 0, first[da], later[da])
        seen = np.where(r.random(da.size) < .0008, -20059 * DAY, seen)   # 1970-01-01 sentinel
        self.add_sig(da, "device_hash", self.nid("device_hash", da.size), seen)
        # IPs: home, carrier NAT, VPN, mobile
        a = idx[~self.skip["ip_home"] & (r.random(N) < .95)]
        self.add_sig(a, "ip_addr", self.home_ip[a], first[a])
        a = who("ip_addr", .35)
        per_c = np.bincount(self.country[a], minlength=len(COUNTRIES))
        nat_n = np.maximum(2, np.round(per_c / 180)).astype(int)
        nat_base = np.r_[0, np.cumsum(nat_n)[:-1]]
        nat_ids = self.nid("ip_addr", int(nat_n.sum()))
        c = self.country[a]
        self.add_sig(a, "ip_addr", nat_ids[nat_base[c] + r.integers(0, 1 << 30, a.size) % nat_n[c]], later[a])
        a = who("ip_addr", .04)
        self.add_sig(a, "ip_addr", self.vpn[r.choice(25, a.size, p=self.vpn_w)], later[a])
        a = who("ip_addr", .4)
        self.add_sig(a, "ip_addr", self.nid("ip_addr", a.size), later[a])
        # phones (1% recycled: the number of an older account)
        a = who("phone_hash", .8)
        ph = self.nid("phone_hash", a.size)
        self.add_sig(a, "phone_hash", ph, first[a])
        rec = r.random(a.size) < .01
        if rec.any():
            tgt = idx[~self.skip["phone_hash"]][r.integers(0, (~self.skip["phone_hash"]).sum(), rec.sum())]
            self.add_sig(tgt, "phone_hash", ph[rec], later[tgt])
        a = who("email_sha")
        self.add_sig(a, "email_sha", self.nid("email_sha", a.size), first[a])
        # cards and their BINs
        a = idx[~self.skip["card_token"] & (r.random(N) < .88)]
        kc = r.choice([1, 2], a.size, p=[.7, .3])
        ca = np.repeat(a, kc)
        seen = np.where(r.random(ca.size) < .6, first[ca], later[ca])
        self.add_sig(ca, "card_token", self.nid("card_token", ca.size), seen)
        ok = ~self.skip["card_bin"][ca]
        self.add_sig(ca[ok], "card_bin", self.bins[r.choice(self.bins.size, ok.sum(), p=self.bin_w)], seen[ok])
        a = idx[~self.skip["bank_acct"] & (self.atype > 0)]
        self.add_sig(a, "bank_acct", self.nid("bank_acct", a.size), first[a])
        a = who("ship_addr", .85)
        ks = r.choice([1, 2], a.size, p=[.8, .2])
        sa = np.repeat(a, ks)
        self.add_sig(sa, "ship_addr", self.nid("ship_addr", sa.size), first[sa])
        a = who("browser_fp")
        kf = r.choice([1, 2], a.size, p=[.7, .3])
        fa = np.repeat(a, kf)
        self.add_sig(fa, "browser_fp", self.fp_ids[r.choice(self.fp_n, fa.size, p=self.fp_w)], later[fa])

    # ------------------------------------------------------------------ assembly
    def run(self):
        self.base()
        self.alloc_shill()
        self.alloc_feedback_farm()
        self.alloc_card_ring()
        self.alloc_crew()
        self.alloc_ato()
        self.alloc_bid_shield()
        self.alloc_lone()
        self.alloc_power_sellers()
        self.alloc_sniping()
        self.alloc_collectors()
        self.alloc_events()
        self.alloc_campus()
        self.alloc_viral()
        self.alloc_reseller_family()
        self.alloc_forwarders()
        self.alloc_households()
        self.organic_listings()
        self.finalize_listings()
        self.seller_events()
        self.organic_events()
        for f in self.later:
            f()
        self.organic_signals()

    def ev_frame(self, chunks):
        cols = [np.concatenate(c) for c in zip(*chunks)]
        acc, ts = cols[0], np.round(cols[4], 3)
        ok = (ts >= 0) & (ts < WIN) & (ts >= self.created[acc])
        return pl.DataFrame({"acc": acc[ok], "act": cols[1][ok], "tt": cols[2][ok], "tid": cols[3][ok],
                             "ts": ts[ok], "amount": cols[5][ok], "stars": cols[6][ok]})

    def frames(self):
        r = self.r
        u = mix(np.arange(self.N, dtype=np.uint64) + np.uint64(self.seed) * np.uint64(1_000_003)
                + np.uint64(0xA5A5_0000_0000))
        ids = np.char.add("m-", hexs(u, 12))
        assert np.unique(ids).size == self.N
        acc_ids = pl.Series(ids)
        ev = self.ev_frame(self.ev)
        self.ev = []
        self.winners(ev)
        ev = pl.concat([ev, self.ev_frame(self.ev)])
        # a few device clocks in 2099
        fut = np.flatnonzero(self.gk == "organic")[:4]
        far = pl.DataFrame({"acc": fut, "act": np.full(fut.size, A["login"], np.int16),
                            "tt": np.full(fut.size, T_SURF, np.int8), "tid": np.zeros(fut.size, np.int64),
                            "ts": np.full(fut.size, 2_366_000_000.0), "amount": np.full(fut.size, np.nan),
                            "stars": np.zeros(fut.size, np.int8)})
        ev = pl.concat([ev, far]).sort(["ts", "acc", "act", "tid"])
        tt, tid = ev["tt"].to_numpy(), ev["tid"].to_numpy()
        cat_names = pl.Series(CATS)
        surf = pl.Series(SURF)
        target = pl.select(
            pl.when(pl.lit(pl.Series(tt == T_ACC))).then(acc_ids.gather(np.where(tt == T_ACC, tid, 0)))
            .when(pl.lit(pl.Series(tt == T_LST))).then(pl.lit("lst-") + pl.lit(pl.Series(tid + 100000)).cast(pl.Utf8))
            .when(pl.lit(pl.Series(tt == T_CAT))).then(pl.lit("cat-") + cat_names.gather(np.where(tt == T_CAT, tid, 0)))
            .when(pl.lit(pl.Series(tt == T_PRD))).then(pl.lit("prd-") + pl.lit(pl.Series(tid)).cast(pl.Utf8))
            .otherwise(surf.gather(np.where(tt == T_SURF, tid, 0)))
        ).to_series()
        EP = EPOCH.astype("datetime64[ms]").astype(np.int64)
        events = pl.DataFrame({
            "account_id": acc_ids.gather(ev["acc"].to_numpy()),
            "action": pl.Series(ACTIONS).gather(ev["act"].cast(pl.Int64).to_numpy()),
            "target_id": target,
            "ts": pl.Series(EP + np.round(ev["ts"].to_numpy() * 1000).astype(np.int64)).cast(pl.Datetime("ms")),
            "amount": ev["amount"].fill_nan(None),
            "stars": ev["stars"].cast(pl.Int8).replace(0, None),
        })
        # signals
        cols = list(zip(*self.sig))
        sg = pl.DataFrame({"acc": np.concatenate(cols[0]), "kind": np.concatenate(cols[1]),
                           "id": np.concatenate(cols[2]), "seen": np.concatenate(cols[3])})
        sg = sg.with_columns(pl.max_horizontal(
            "seen", pl.col("acc").map_batches(lambda s: pl.Series(self.created[s.to_numpy()]))).alias("seen0"))
        sg = sg.with_columns(pl.when(pl.col("seen") < -20000 * DAY).then(pl.col("seen"))
                             .otherwise(pl.min_horizontal("seen0", pl.lit(float(WIN - 60)))).alias("seen"))
        sg = (sg.group_by(["acc", "kind", "id"]).agg(pl.col("seen").min()).sort(["acc", "kind", "id"]))
        uk = sg.select("kind", "id").unique().sort(["kind", "id"])
        kk, ii = uk["kind"].to_numpy().astype(np.int64), uk["id"].to_numpy()
        h = mix((kk.astype(np.uint64) << np.uint64(48)) ^ ii.astype(np.uint64) ^ (np.uint64(self.seed) << np.uint64(40)))
        hx = hexs(h, 16)
        val = np.empty(kk.size, dtype=object)
        pre = {"device_hash": "", "phone_hash": "ph_", "email_sha": "", "card_token": "tok_",
               "bank_acct": "ba_", "ship_addr": "adr_", "browser_fp": "fp"}
        for kname, code in K.items():
            m = kk == code
            if not m.any():
                continue
            if kname == "ip_addr":
                hv = h[m]
                o = [((hv >> np.uint64(s)) & np.uint64(255)).astype(np.int64) for s in (0, 8, 16, 24)]
                a = 11 + o[0] % 212
                a = np.where(a == 127, 128, a)
                d = 1 + o[3] % 254
                val[m] = [f"{w}.{x}.{y}.{z}" for w, x, y, z in zip(a, o[1], o[2], d)]
            elif kname == "card_bin":
                val[m] = ii[m].astype(str)
            elif kname == "email_sha":
                val[m] = np.char.add(hx[m], hexs(mix(h[m]), 16))
            elif kname == "browser_fp":
                val[m] = np.char.add("fp", hx[m].astype("U8"))
            else:
                val[m] = np.char.add(pre[kname], hx[m])
        uk = uk.with_columns(pl.Series("value", val.astype(str)))
        sg = sg.join(uk, on=["kind", "id"], how="left").sort(["acc", "kind", "value"])
        signals = pl.DataFrame({
            "account_id": acc_ids.gather(sg["acc"].to_numpy()),
            "kind": pl.Series(KINDS).gather(sg["kind"].cast(pl.Int64).to_numpy()),
            "value": sg["value"],
            "seen_at": pl.Series((EPOCH.astype(np.int64) + np.round(sg["seen"].to_numpy()).astype(np.int64))
                                 * 1_000_000).cast(pl.Datetime("us")),
        })
        # links
        la, lb, lk = [], [], []
        for a, b, kind in self.links:
            la.append(a)
            lb.append(b)
            lk.append(np.full(a.size, kind, dtype=object))
        ldf = (pl.DataFrame({"a": np.concatenate(la), "b": np.concatenate(lb), "kind": np.concatenate(lk).astype(str)})
               .unique().sort(["kind", "a", "b"]))
        links = pl.DataFrame({
            "account_a": acc_ids.gather(ldf["a"].to_numpy()),
            "account_b": acc_ids.gather(ldf["b"].to_numpy()),
            "kind": ldf["kind"],
            "weight": np.ones(ldf.height),
        })
        created = pl.Series((EPOCH.astype(np.int64) + self.created.astype(np.int64)) * 1000).cast(pl.Datetime("ms"))
        accounts = pl.DataFrame({
            "account_id": acc_ids, "created_at": created,
            "account_type": pl.Series(ATYPES).gather(self.atype.astype(np.int64)),
            "country": pl.Series(COUNTRIES).gather(self.country.astype(np.int64)),
        })
        truth = pl.DataFrame({
            "account_id": acc_ids,
            "is_bad": self.bad,
            "group_id": pl.Series(list(self.gid), dtype=pl.Utf8),
            "group_kind": pl.Series(self.gk.astype(str)),
        })
        labels = self.make_labels(ids)
        return accounts, events, signals, links, truth, labels

    def make_labels(self, ids):
        r, N = self.r, self.N
        lab = np.full(N, -1)
        rate = {"shill_ring": (.6, .4, .9), "feedback_farm": (.5, .3, .7), "card_ring": (.85, .6, 1.0),
                "nondelivery_crew": (.8, .6, 1.0)}
        for gid, kind, bad, idx in self.groups:
            if not bad or kind not in rate:
                continue
            pg, lo, hi = rate[kind]
            if r.random() < pg:
                sel = idx[r.random(idx.size) < r.uniform(lo, hi)]
                lab[sel] = np.where(r.random(sel.size) < .05, 0, 1)
        lone = np.isin(self.gk, ["lone_scam_seller", "lone_card_fraud", "lone_feedback_extortion"])
        lab[lone & (r.random(N) < .4)] = 1
        lab[(self.gk == "feedback_client") & (r.random(N) < .3)] = 1
        ben = ~self.bad
        p = np.where(self.created < -365 * DAY, .10, .05)
        p = np.where(self.gk == "power_seller", .5, p)
        lab[ben & (r.random(N) < p)] = 0
        lab[ben & (r.random(N) < .003)] = 1
        lab[(self.gk == "sniping_service") & (r.random(N) < .06)] = 1
        clubs = [g for g in self.groups if g[1] == "collectors_club"]
        if clubs:
            idx = clubs[int(r.integers(0, len(clubs)))][3]
            lab[idx[r.random(idx.size) < .2]] = 1
        has = lab >= 0
        return pl.DataFrame({"account_id": ids[has], "label": lab[has].astype(np.int64)})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="no summary")
    args = ap.parse_args()
    t0 = time.time()
    g = Gen(args.accounts, args.seed)
    g.run()
    accounts, events, signals, links, truth, labels = g.frames()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("labels.parquet", "labels.csv"):
        (out / stale).unlink(missing_ok=True)
    fmt = "%Y-%m-%dT%H:%M:%S"
    accounts.write_csv(out / "accounts.csv", datetime_format=fmt)
    events.write_parquet(out / "events.parquet")
    signals.write_parquet(out / "signals.parquet")
    links.write_csv(out / "links.csv")
    truth.write_parquet(out / "truth.parquet")
    if not args.no_labels:
        labels.write_csv(out / "labels.csv")
    if not args.quiet:
        summ = (truth.group_by("group_kind")
                .agg(pl.len().alias("accounts"), pl.col("group_id").drop_nulls().n_unique().alias("groups"),
                     pl.col("is_bad").sum().alias("bad"))
                .sort("accounts", descending=True))
        with pl.Config(tbl_rows=40):
            print(summ)
        nb = int(truth["is_bad"].sum())
        ngb = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
        print(f"accounts {truth.height}  bad {nb} ({nb / truth.height:.1%})  bad groups {ngb}  "
              f"events {events.height}  signals {signals.height}  links {links.height}  "
              f"labels {0 if args.no_labels else labels.height}  "
              f"({time.time() - t0:.1f}s)")


if __name__ == "__main__":
    main()

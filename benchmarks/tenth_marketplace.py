#!/usr/bin/env python
"""Tenth synthetic marketplace: travel, ticketing and short-term rentals.

Guests search and book stays, buy event tickets and book tours; hosts list properties;
ticket resellers and tour operators sell.  Built from the input data contract alone
(DESIGN.md, "Data contract (inputs)"), independently of the toolkit's own generator and of
the other benchmark marketplaces, so the toolkit can be judged on data it was not built around.

Usage
-----
    python benchmarks/tenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Files written to OUT_DIR (parquet)
----------------------------------
accounts.parquet  account_id ("U" + 8 digits), created_at (datetime[us], naive UTC),
                  account_type (guest | host | reseller | tour_operator | agency), country (ISO-2)
signals.parquet   account_id, kind, value (16 hex chars, opaque), seen_at (first time the
                  account used that identifier); one row per account-identifier pair.
                  kinds: device, ip, email, phone, payment, address, payout (bank account a
                  host / reseller is paid to), ua_fp (coarse browser/app fingerprint; most
                  values are shared by hundreds of accounts)
events.parquet    account_id, action, target_id, ts (datetime[us]), rating (Int8, only on
                  review rows, 1-5), amount (Float64, money on book/pay/buy/refund rows)
labels.parquet    account_id, label (1 confirmed bad, 0 confirmed good); partial and a little
                  noisy -- skipped by --no-labels
truth.parquet     account_id, is_bad, group_id ("kind:00001", null outside groups), group_kind
                  -- NOT part of the contract, for scoring only.  Benign groups (households,
                  offices, agencies, ...) carry a group id too, with is_bad = false.

Observation window: 2024-03-01 .. 2024-10-16 UTC (events); accounts and identifiers may be older.

Actions and targets
-------------------
search -> city ("city:NNN"); view_listing, wishlist, book, review, report, list_property,
update_listing -> listing ("LS" + 7 digits); pay, cancel, refund_request, chargeback ->
booking reference ("BK" + 10 hex); view_event, queue_join, buy_ticket, list_ticket -> event
("EV" + 5 digits); view_tour, book_tour, list_tour, update_tour, review -> tour ("TR" + 5
digits); message_host, message_guest, referral_signup -> another account id; promo_redeem ->
promo code; login -> platform (web | ios | android); login_failed, password_reset ->
"security"; payout_change -> "payout_settings"; update_profile -> "profile"; add_payment ->
"wallet"; redeem_credit -> "credits"; report may also target "support".
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import polars as pl

DAY = 86400.0
HOUR = 3600.0
MIN = 60.0
NDAYS = 229
END = NDAYS * DAY
EPOCH0 = int(np.datetime64("2024-03-01T00:00:00", "s").astype(np.int64))
DOW0 = 4  # 2024-03-01 is a Friday (Monday = 0)
BOOK_BASE = 1 << 40

COUNTRIES = [
    ("US", -5, .21), ("GB", 0, .09), ("DE", 1, .08), ("FR", 1, .07), ("ES", 1, .05),
    ("IT", 1, .05), ("NL", 1, .03), ("PL", 1, .02), ("PT", 0, .02), ("BR", -3, .05),
    ("MX", -6, .03), ("CA", -5, .04), ("IN", 5.5, .05), ("JP", 9, .03), ("AU", 10, .03),
    ("TR", 3, .02), ("AE", 4, .02), ("TH", 7, .02), ("PH", 8, .02), ("NG", 1, .02),
    ("ID", 7, .02), ("VN", 7, .01), ("KE", 3, .01),
]
CC = np.array([c[0] for c in COUNTRIES])
TZ = np.array([c[1] for c in COUNTRIES], dtype=float)
CW = np.array([c[2] for c in COUNTRIES], dtype=float)
CW = CW / CW.sum()
MARKETS = np.array([0, 1, 2, 3, 4, 5])  # big guest markets, used as spoofed account country

ATYPES = ["guest", "host", "reseller", "tour_operator", "agency"]
ACTIONS = [
    "login", "login_failed", "search", "view_listing", "wishlist", "message_host", "book",
    "pay", "cancel", "refund_request", "chargeback", "review", "report", "list_property",
    "update_listing", "message_guest", "payout_change", "password_reset", "update_profile",
    "add_payment", "view_event", "queue_join", "buy_ticket", "list_ticket", "view_tour",
    "book_tour", "list_tour", "update_tour", "promo_redeem", "referral_signup", "redeem_credit",
]
A = {a: i for i, a in enumerate(ACTIONS)}
KINDS = ["device", "ip", "email", "phone", "payment", "address", "payout", "ua_fp"]
K = {k: i for i, k in enumerate(KINDS)}

_hw = np.array([2.0, 1.2, .8, .6, .6, .9, 1.8, 3, 4, 4.5, 5, 5.5, 6, 5.8, 5.3, 5.2, 5.5, 6,
                6.8, 7.5, 8, 7.5, 5.8, 3.8])
HOUR_CDF = np.concatenate([[0.0], np.cumsum(_hw) / _hw.sum()])
_bw = np.array([0, 0, 0, 0, 0, 0, 0, .3, 1.5, 3, 3.2, 3, 2, 2.6, 3, 2.8, 2.4, 1.5, .5, 0, 0, 0,
                0, 0], dtype=float)
BIZ_CDF = np.concatenate([[0.0], np.cumsum(_bw) / _bw.sum()])
_ew = np.array([.5, .2, .1, .1, .1, .1, .2, .4, .5, .5, .6, .6, .8, .8, .8, .9, 1, 1.4, 2.2,
                3, 3.5, 3.4, 2.6, 1.4])
EVE_CDF = np.concatenate([[0.0], np.cumsum(_ew) / _ew.sum()])


def _day_cdf():
    d = np.arange(NDAYS)
    dow = (d + DOW0) % 7
    w = np.array([.95, .92, .95, 1.0, 1.06, 1.12, 1.22])[dow]
    w = w * (1 + .22 * np.sin(2 * np.pi * (d + 60) / 365.0))  # peaks around late June
    w = w * (1 + .15 * d / NDAYS)                               # platform growth
    for h in (58, 95, 124, 184):                                # holiday weekends
        w[h:h + 3] *= 1.35
    return np.concatenate([[0.0], np.cumsum(w) / w.sum()])


DAY_CDF = _day_cdf()


# ------------------------------------------------------------------ small helpers
def wchoice(r, w, size):
    c = np.cumsum(np.asarray(w, dtype=float))
    c = c / c[-1]
    return np.minimum(np.searchsorted(c, r.random(size), side="right"), len(c) - 1)


def uniq_ints(r, n, lo, hi):
    out = np.unique(r.integers(lo, hi, int(n * 1.3) + 50))
    while len(out) < n:
        out = np.unique(np.concatenate([out, r.integers(lo, hi, n)]))
    r.shuffle(out)
    return out[:n]


def mix64(x):
    x = x.astype(np.uint64)
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hexes(vals, salt, width=16):
    z = mix64(np.asarray(vals, dtype=np.uint64) ^ np.uint64(salt & 0xFFFFFFFFFFFF))
    return [format(v, "016x")[:width] for v in z.tolist()]


def _cdf_at(t):
    x = np.clip(np.asarray(t, dtype=float) / DAY, 0, NDAYS)
    i = np.minimum(x.astype(np.int64), NDAYS - 1)
    return DAY_CDF[i] + (x - i) * (DAY_CDF[i + 1] - DAY_CDF[i])


def sample_times(r, lo, hi, tz, hour_cdf=HOUR_CDF, weekdays=False):
    """Times in [lo, hi] following the daily/weekly/seasonal cycle in local time `tz`."""
    lo = np.asarray(lo, dtype=float).copy()
    hi = np.maximum(np.asarray(hi, dtype=float), lo + 1)
    n = len(lo)
    a, b = _cdf_at(lo), _cdf_at(hi)
    d = np.clip(np.searchsorted(DAY_CDF, a + r.random(n) * (b - a), side="right") - 1,
                0, NDAYS - 1)
    if weekdays:
        dw = (d + DOW0) % 7
        d = d + np.where(dw == 5, 2, np.where(dw == 6, 1, 0))
    h = np.clip(np.searchsorted(hour_cdf, r.random(n), side="right") - 1, 0, 23)
    t = d * DAY + (h + r.random(n)) * HOUR - np.broadcast_to(tz, (n,)) * HOUR
    bad = (t < lo) | (t > hi)
    t[bad] = lo[bad] + r.random(int(bad.sum())) * (hi[bad] - lo[bad])
    return t


def rediurnal(r, t, tz, hour_cdf=HOUR_CDF):
    """Keep the local day of t but draw the hour from a daily profile."""
    t = np.asarray(t, dtype=float)
    tz = np.broadcast_to(np.asarray(tz, dtype=float), t.shape)
    d = np.floor((t + tz * HOUR) / DAY)
    h = np.clip(np.searchsorted(hour_cdf, r.random(t.size), side="right") - 1, 0, 23)
    return d * DAY + (h + r.random(t.size)) * HOUR - tz * HOUR


def csr(keys, n):
    """order, start, count for grouping integer keys 0..n-1."""
    o = np.argsort(keys, kind="stable")
    cnt = np.bincount(keys, minlength=n)
    start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
    return o, start, cnt


# ------------------------------------------------------------------ the marketplace
class Market:
    def __init__(self, n, seed):
        self.N = int(n)
        self.seed = int(seed)
        self.r = np.random.default_rng([seed, 10])
        self.scale = self.N / 20000.0
        self._ident = 1
        self.ev = []
        self.sg = []
        self.tstr = []
        self.tsize = 0
        self.nbook = 0
        self.groups = []
        self.kcount = {}

    # ---- registries
    def ident(self, n):
        a = np.arange(self._ident, self._ident + int(n), dtype=np.int64)
        self._ident += int(n)
        return a

    def targets(self, strings):
        base = self.tsize
        self.tstr.append(np.asarray(list(strings), dtype=object))
        self.tsize += len(self.tstr[-1])
        return np.arange(base, self.tsize, dtype=np.int64)

    def bookings(self, n):
        a = BOOK_BASE + np.arange(self.nbook, self.nbook + int(n), dtype=np.int64)
        self.nbook += int(n)
        return a

    def E(self, acc, act, tgt, ts, rating=None, amount=None):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        n = acc.size
        if n == 0:
            return
        act = np.full(n, A[act], np.int16)
        tgt = np.broadcast_to(np.asarray(tgt, dtype=np.int64), (n,))
        ts = np.broadcast_to(np.asarray(ts, dtype=np.float64), (n,))
        rt = (np.zeros(n, np.int8) if rating is None
              else np.broadcast_to(np.asarray(rating, dtype=np.int8), (n,)))
        am = (np.full(n, np.nan, np.float64) if amount is None
              else np.broadcast_to(np.asarray(amount, dtype=np.float64), (n,)))
        self.ev.append((acc, act, tgt, ts, rt, am))

    def S(self, acc, kind, val, seen):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        n = acc.size
        if n == 0:
            return
        self.sg.append((acc, np.full(n, K[kind], np.int8),
                        np.broadcast_to(np.asarray(val, dtype=np.int64), (n,)),
                        np.broadcast_to(np.asarray(seen, dtype=np.float64), (n,))))

    def add_group(self, kind, members, bad, prio, strength=""):
        members = np.asarray(members, dtype=np.int64)
        k = self.kcount.get(kind, 0) + 1
        self.kcount[kind] = k
        gi = len(self.groups)
        self.groups.append(dict(kind=kind, gid="%s:%05d" % (kind, k), bad=bad,
                                strength=strength, members=members))
        upd = prio < self.gprio[members]
        self.gof[members[upd]] = gi
        self.gprio[members[upd]] = prio
        if bad:
            self.is_bad[members] = True
        return gi

    def take(self, n, mask=None, use_free=True, owners_ok=False):
        cand = self.free.copy() if use_free else ~self.is_bad
        if not owners_ok:
            cand &= ~self.owns
        if mask is not None:
            cand &= mask
        idx = np.flatnonzero(cand)
        n = int(min(n, len(idx)))
        sel = self.r.choice(idx, n, replace=False)
        self.free[sel] = False
        return sel

    def tz(self, idx):
        return TZ[self.country[idx]]

    def mk_new(self, idx, created, country, atype=0, org_mult=0.0):
        """Operator-made accounts: no organic identity beyond a sign-up e-mail."""
        self.created[idx] = created
        self.country[idx] = country
        self.atype[idx] = atype
        self.org_mult[idx] = org_mult
        self.org_end[idx] = END
        self.full_sig[idx] = False
        self.own_payout[idx] = False
        self.own_home[idx] = False
        self.is_bad[idx] = True

    def mk_bought(self, idx, when):
        """Aged accounts bought from their real owners at `when`."""
        when = np.maximum(when, self.created[idx] + DAY)
        self.org_end[idx] = np.minimum(self.org_end[idx], when)
        self.sig_end[idx] = when
        self.own_payout[idx] = False
        self.is_bad[idx] = True
        return when

    def resi(self, n):
        """Residential proxy exits: home IPs of real users."""
        return self.resi_pool[self.r.integers(0, len(self.resi_pool), int(n))]

    def give(self, members, kind, vals, seen, per=1):
        """Each member gets `per` random values out of vals."""
        members = np.asarray(members)
        if len(members) == 0 or len(vals) == 0:
            return
        a = np.repeat(members, per)
        s = np.repeat(np.broadcast_to(np.asarray(seen, dtype=float), members.shape), per)
        self.S(a, kind, vals[self.r.integers(0, len(vals), len(a))], s)

    # ---- base population
    def make_accounts(self):
        r, N = self.r, self.N
        self.acc_str = np.array(["U%08d" % d for d in uniq_ints(r, N, 10 ** 7, 10 ** 8)],
                                dtype=object)
        self.targets(self.acc_str)  # account ids are targets 0..N-1
        self.country = wchoice(r, CW, N)
        old = r.random(N) < .68
        created = np.empty(N)
        no = int(old.sum())
        created[old] = -(2 + 3300 * r.beta(1.1, 2.6, no)) * DAY + r.random(no) * DAY
        created[~old] = sample_times(r, np.zeros(N - no), np.full(N - no, END - 2 * DAY),
                                     self.tz(np.flatnonzero(~old)))
        self.created = created
        self.atype = wchoice(r, [.872, .10, .014, .014], N)
        rate = np.exp(r.normal(np.log(6.5), 1.0, N))
        power = r.random(N) < .006
        rate[power] *= r.uniform(8, 25, int(power.sum()))
        dormant = r.random(N) < .15
        rate[dormant] *= .05
        rate[self.atype == 1] *= 1.4
        rate[self.atype == 2] *= 2.5
        self.rate = rate
        self.org_mult = np.ones(N)
        self.org_end = np.full(N, END)
        churn = r.random(N) < .18
        lo = np.maximum(created, 0)
        self.org_end[churn] = (lo + r.random(N) * (END - lo))[churn]
        self.sig_end = np.full(N, END)
        self.full_sig = np.ones(N, bool)
        self.own_ua = np.ones(N, bool)
        self.own_home = np.ones(N, bool)
        self.own_payout = np.isin(self.atype, [1, 2, 3])
        self.is_bad = np.zeros(N, bool)
        self.free = np.ones(N, bool)
        self.gof = np.full(N, -1, np.int64)
        self.gprio = np.full(N, 99, np.int64)
        self.p_book = np.where(self.atype == 0, .12, .04)
        self.C = dict(zip(["web", "ios", "android", "security", "payout_settings", "profile",
                           "wallet", "credits", "support"],
                          self.targets(["web", "ios", "android", "security", "payout_settings",
                                        "profile", "wallet", "credits", "support"])))
        self.platform = np.array([self.C["web"], self.C["ios"], self.C["android"]])[
            wchoice(r, [.35, .35, .3], N)]

    def make_catalog(self):
        r, N = self.r, self.N
        nC = 40 + N // 2000
        self.nC = nC
        self.city_pop = 1.0 / np.arange(1, nC + 1)
        r.shuffle(self.city_pop)
        self.city_price = np.exp(r.normal(np.log(95), .4, nC))
        self.city_code = self.targets(["city:%03d" % i for i in range(nC)])
        hosts = np.flatnonzero(self.atype == 1)
        nl = r.geometric(.55, len(hosts))
        pro = r.random(len(hosts)) < .04
        nl[pro] += r.integers(4, 30, int(pro.sum()))
        l_host = np.repeat(hosts, nl)
        l_city = np.repeat(wchoice(r, self.city_pop, len(hosts)), nl)
        mv = r.random(len(l_city)) < .15
        l_city[mv] = wchoice(r, self.city_pop, int(mv.sum()))
        for _ in range(20):
            missing = np.setdiff1d(np.arange(nC), l_city)
            if len(missing) == 0:
                break
            l_city[r.choice(len(l_city), len(missing), replace=False)] = missing
        nL = len(l_host)
        self.ls_pool = uniq_ints(r, nL + int(3000 * self.scale) + 500, 10 ** 6, 10 ** 7)
        self.ls_next = 0
        self.l_host = l_host.astype(np.int64)
        self.l_city = l_city
        self.l_w = np.exp(r.normal(0, 1.1, nL))
        self.l_price = self.city_price[l_city] * np.exp(r.normal(0, .45, nL))
        self.l_bad = r.random(nL) < .08
        self.l_code = self._listing_codes(nL)
        self.n_org_l = nL
        # popularity sampler by city
        o = np.argsort(l_city, kind="stable")
        cs, w = l_city[o], self.l_w[o]
        tot = np.bincount(cs, weights=w, minlength=nC)
        cum = np.cumsum(w)
        first = np.searchsorted(cs, np.arange(nC))
        before = np.concatenate([[0.0], cum])[first]
        within = (cum - before[cs]) / tot[cs]
        cnt = np.bincount(cs, minlength=nC)
        within[first + cnt - 1] = 1.0
        self.s_keys = cs + within
        self.s_order = o
        self.fav_city = wchoice(r, self.city_pop, N)
        # ticketed events and their on-sale drops
        nE = max(30, N // 250)
        self.e_country = wchoice(r, CW, nE)
        d = r.integers(4, NDAYS - 10, nE)
        dw = (d + DOW0) % 7
        d = np.minimum(d + np.where(dw >= 4, 8 - dw, 0), NDAYS - 2)
        self.e_drop = d * DAY + 10 * HOUR - TZ[self.e_country] * HOUR
        self.e_pop = np.exp(r.normal(0, .9, nE))
        self.e_demand = np.clip(N * .0035 * self.e_pop, 8, N * .03)
        nF = max(1, int(round(2 * self.scale)))
        self.fest = r.choice(nE, nF, replace=False)
        self.e_demand[self.fest] = N * r.uniform(.05, .09, nF)
        self.e_pop[self.fest] *= 6
        self.e_price = np.exp(r.normal(np.log(85), .5, nE))
        self.e_price[self.fest] = r.uniform(180, 320, nF)
        self.e_code = self.targets(["EV%05d" % x for x in uniq_ints(r, nE, 10000, 100000)])
        # tours
        nT = max(20, N // 200)
        ops = np.flatnonzero(self.atype == 3)
        if len(ops) == 0:
            ops = hosts
        self.t_owner = ops[r.integers(0, len(ops), nT)]
        self.t_w = np.exp(r.normal(0, 1, nT))
        self.t_price = np.exp(r.normal(np.log(60), .6, nT))
        self.t_code = self.targets(["TR%05d" % x for x in uniq_ints(r, nT, 10000, 100000)])
        self.owns = np.zeros(N, bool)
        self.owns[self.l_host] = True
        self.owns[self.t_owner] = True
        self.promo = self.targets(["WELCOME10", "SUMMER24", "FESTPASS", "CITYBREAK", "FLASH15",
                                   "STAYMORE", "EARLYBIRD", "APPONLY"])

    def _listing_codes(self, n):
        nums = self.ls_pool[self.ls_next:self.ls_next + n]
        self.ls_next += n
        return self.targets(["LS%07d" % x for x in nums])

    def add_listings(self, owner, city, price_factor, bad):
        n = len(owner)
        self.l_host = np.concatenate([self.l_host, owner])
        self.l_city = np.concatenate([self.l_city, np.broadcast_to(city, (n,))])
        self.l_w = np.concatenate([self.l_w, np.ones(n)])
        pr = self.city_price[np.broadcast_to(city, (n,))] * price_factor * \
            np.exp(self.r.normal(0, .3, n))
        self.l_price = np.concatenate([self.l_price, pr])
        self.l_bad = np.concatenate([self.l_bad, np.full(n, bad)])
        self.l_code = np.concatenate([self.l_code, self._listing_codes(n)])
        return np.arange(len(self.l_host) - n, len(self.l_host))

    def sample_listing(self, city):
        u = 1e-9 + self.r.random(len(city)) * (1 - 2e-9)
        i = np.searchsorted(self.s_keys, np.asarray(city) + u, side="left")
        return self.s_order[np.minimum(i, len(self.s_order) - 1)]

    def make_infra(self):
        r, N = self.r, self.N
        self.home_ip = self.ident(N)
        self.cg_pool = self.ident(max(8, N // 1500))
        self.cg_country = wchoice(r, CW, len(self.cg_pool))
        self.wifi = self.ident(max(20, N // 200))
        self.wifi_w = 1.0 / np.arange(1, len(self.wifi) + 1) ** 1.1
        self.vpn = self.ident(max(10, N // 1000))
        self.ua = self.ident(300)
        self.ua_w = 1.0 / np.arange(1, 301) ** 1.1
        self.legacy_phone = self.ident(1)[0]

    # ---- bookings, ratings
    def organic_rating(self, li):
        li = np.asarray(li)
        good = wchoice(self.r, [.03, .02, .06, .22, .67], len(li)) + 1
        poor = wchoice(self.r, [.25, .15, .2, .22, .18], len(li)) + 1
        return np.where(self.l_bad[li], poor, good).astype(np.int8)

    def book(self, acc, li, t, cancel_p=.1, review_p=.45, rating=None, review_at=None,
             chargeback_p=0.0, refund_p=.4, price_mult=1.0):
        r = self.r
        acc = np.asarray(acc, dtype=np.int64)
        li = np.asarray(li, dtype=np.int64)
        t = np.asarray(t, dtype=float)
        n = len(acc)
        if n == 0:
            return np.zeros(0, np.int64)
        bk = self.bookings(n)
        nights = 1 + np.minimum(r.geometric(.4, n), 13)
        amt = np.round(self.l_price[li] * nights * r.uniform(.9, 1.3, n) * price_mult, 2)
        self.E(acc, "book", self.l_code[li], t, amount=amt)
        self.E(acc, "pay", bk, t + r.uniform(15, 180, n), amount=amt)
        lead = r.exponential(20 * DAY, n) + HOUR
        checkout = t + lead + nights * DAY
        canc = r.random(n) < cancel_p
        tc = t + r.random(n) * lead
        self.E(acc[canc], "cancel", bk[canc], tc[canc])
        rf = canc & (r.random(n) < refund_p)
        self.E(acc[rf], "refund_request", bk[rf], tc[rf] + r.uniform(60, 3600, int(rf.sum())),
               amount=amt[rf])
        rev = ~canc & (r.random(n) < review_p)
        rt = (checkout + r.exponential(2.5 * DAY, n) + HOUR) if review_at is None else \
            np.maximum(np.asarray(review_at, dtype=float), t + HOUR)
        rating = self.organic_rating(li) if rating is None else \
            np.broadcast_to(np.asarray(rating, dtype=np.int8), (n,))
        self.E(acc[rev], "review", self.l_code[li][rev], rt[rev], rating=rating[rev])
        cb = ~canc & (r.random(n) < chargeback_p)
        self.E(acc[cb], "chargeback", bk[cb],
               checkout[cb] + r.uniform(5, 40, int(cb.sum())) * DAY, amount=amt[cb])
        return bk

    # ================================================================ benign: households
    def make_households(self):
        r, N = self.r, self.N
        perm = r.permutation(N)
        sizes = []
        tot, goal = 0, int(.24 * N)
        while tot < goal:
            s = int(wchoice(r, [.5, .25, .15, .07, .03], 1)[0]) + 2
            sizes.append(s)
            tot += s
        sizes = np.array(sizes)
        members = perm[:sizes.sum()]
        hh = np.repeat(np.arange(len(sizes)), sizes)
        start = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        head = members[start]
        self.country[members] = self.country[head[hh]]
        self.free[members] = False
        nH = len(sizes)
        seen_base = np.maximum.reduceat(self.created[members], start)
        sb = seen_base[hh] + r.uniform(0, 30, len(members)) * DAY
        sb = np.minimum(sb, np.maximum(self.created[members] + HOUR, END - DAY))
        ip = self.ident(nH)
        share_ip = r.random(len(members)) < .95
        self.home_ip[members[share_ip]] = ip[hh[share_ip]]
        dev_h = r.random(nH) < .5
        dev = self.ident(nH)
        m = dev_h[hh] & (r.random(len(members)) < .8)
        self.S(members[m], "device", dev[hh[m]], sb[m])
        addr_h = r.random(nH) < .75
        addr = self.ident(nH)
        m = addr_h[hh] & (r.random(len(members)) < .9)
        self.S(members[m], "address", addr[hh[m]], sb[m])
        card_h = r.random(nH) < .4
        card = self.ident(nH)
        m = card_h[hh] & (r.random(len(members)) < .85)
        self.S(members[m], "payment", card[hh[m]], sb[m])
        land_h = r.random(nH) < .12
        land = self.ident(nH)
        m = land_h[hh]
        self.S(members[m], "phone", land[hh[m]], sb[m])
        # residential-proxy exits are real people's home lines (households and others)
        pick = r.random(N) < .12
        self.resi_pool = np.unique(self.home_ip[pick])
        gi0 = len(self.groups)
        # register groups (vectorised bookkeeping)
        for h in range(nH):
            self.groups.append(dict(kind="household", gid="household:%05d" % (h + 1), bad=False,
                                    strength="", members=members[start[h]:start[h] + sizes[h]]))
        self.kcount["household"] = nH
        self.gof[members] = gi0 + hh
        self.gprio[members] = 2
        # joint trip planning: two members look at the same shortlist in one evening
        nplan = r.poisson(1.0, nH)
        ph = np.repeat(np.arange(nH), nplan)
        P = len(ph)
        i1 = r.integers(0, 1 << 30, P) % sizes[ph]
        i2 = (i1 + 1 + r.integers(0, 1 << 30, P) % (sizes[ph] - 1)) % sizes[ph]
        m1 = members[start[ph] + i1]
        m2 = members[start[ph] + i2]
        lo = np.maximum(np.maximum(self.created[m1], self.created[m2]), 0) + HOUR
        ok = lo < END - 5 * DAY
        ph, m1, m2, lo = ph[ok], m1[ok], m2[ok], lo[ok]
        P = len(ph)
        t0 = sample_times(r, lo, np.full(P, END - DAY), self.tz(m1), EVE_CDF)
        city = wchoice(r, self.city_pop, P)
        ks = r.integers(2, 6, P)
        rp = np.repeat(np.arange(P), ks)
        sl = self.sample_listing(city[rp])
        for who, off in ((m1, 0.0), (m2, 1.0)):
            sel = r.random(len(rp)) < .85
            tt = t0[rp] + off * r.exponential(600, len(rp)) + r.exponential(1800, len(rp))
            self.E(who[rp][sel], "view_listing", self.l_code[sl[sel]], tt[sel])
        first = np.concatenate([[0], np.cumsum(ks)[:-1]])
        wl = r.random(P) < .5
        self.E(m2[wl], "wishlist", self.l_code[sl[first[wl]]],
               t0[wl] + r.exponential(1800, int(wl.sum())) + 60)
        bk = r.random(P) < .5
        self.book(m1[bk], sl[first[bk]], t0[bk] + r.exponential(DAY, int(bk.sum())) + 600,
                  review_p=.5)

    # ================================================================ bad groups
    def _sig_new(self, m, seen, st, rare_ua=True):
        """Unique e-mail is organic; ua fp either a rare shared one or a common one."""
        if rare_ua and st != "subtle":
            self.S(m, "ua_fp", self.ident(1)[0], seen)
            self.own_ua[m] = False

    def g_fake_host(self, st):
        """Operator runs host accounts with fake listings + shill guests that book & review."""
        r = self.r
        size = int(r.integers(*{"obvious": (8, 21), "medium": (12, 36), "subtle": (16, 46)}[st]))
        nh = max(2, int(round(size * .3)))
        g0 = r.uniform(10, NDAYS - 90) * DAY
        op_tz = TZ[wchoice(r, CW, 1)[0]]
        market = int(r.choice(MARKETS))
        if st == "subtle":
            m = self.take(size, self.created < -200 * DAY)
            size = len(m)
            t_sig = self.mk_bought(m, g0 - r.uniform(2, 20, size) * DAY)
            self.S(m, "email", self.ident(size), t_sig + r.uniform(60, 3600, size))
        else:
            m = self.take(size)
            if st == "obvious":
                tc = g0 - 2 * DAY + np.sort(r.uniform(0, 36 * HOUR, size))
                cty = np.full(size, market)
            else:
                tc = g0 - r.uniform(1, 30, size) * DAY
                cty = np.where(r.random(size) < .6, market, wchoice(r, CW, size))
            self.mk_new(m, tc, cty, 0, 0.0 if st == "obvious" else .15)
            t_sig = tc + r.uniform(0, 600, size)
        hosts, shills = m[:nh], m[nh:]
        self.atype[hosts] = 1
        self.atype[shills] = 0
        hs, ss = t_sig[:nh], t_sig[nh:]
        if st == "obvious":
            dv = self.ident(int(r.integers(1, 3)))
            self.give(m, "device", dv, t_sig)
            self.S(hosts, "device", dv[0], hs)
            self.give(m, "ip", self.ident(2), t_sig)
            self.give(m, "phone", self.ident(2), t_sig)
            self.S(hosts, "payout", self.ident(1)[0], hs)
            self.S(hosts, "address", self.ident(1)[0], hs)
            self.give(shills, "payment", self.ident(2), ss)
            self._sig_new(m, t_sig, st)
        elif st == "medium":
            dv = self.ident(int(np.ceil(size / 5)))
            self.give(m, "device", dv, t_sig)
            x = r.random(size) < .3
            self.S(m[x], "device", self.ident(int(x.sum())), t_sig[x] + DAY)
            ips = self.resi(6)
            self.give(m, "ip", ips, t_sig, per=2)
            self.S(m, "phone", self.ident(size), t_sig)
            self.give(hosts, "payout", self.ident(2), hs)
            self.give(hosts, "address", self.ident(2), hs)
            self.give(shills, "payment", self.ident(int(np.ceil(len(shills) / 3))), ss)
            self._sig_new(m, t_sig, st)
        else:
            self.S(m, "device", self.ident(size), t_sig)
            pair = r.choice(m, 2, replace=False)
            self.S(pair, "device", self.ident(1)[0], t_sig[:2] + HOUR)
            self.give(m, "ip", self.resi(int(size * 1.5)), t_sig)
            self.S(m, "phone", self.ident(size), t_sig)
            self.give(hosts, "payout", self.ident(int(r.integers(2, 4))), hs)
            self.S(hosts, "address", self.ident(nh), hs)
            self.S(shills, "payment", self.ident(len(shills)), ss)
            pr = r.choice(shills, 2, replace=False)
            self.S(pr, "payment", self.ident(1)[0], ss[:2])
        # fake listings
        nlh = r.integers(1, 4, nh)
        owner = np.repeat(hosts, nlh)
        city = int(wchoice(r, self.city_pop, 1)[0])
        li = self.add_listings(owner, city, .75, True)
        L = len(li)
        if st == "obvious":
            tl = g0 + r.uniform(0, 2 * HOUR, L)
        elif st == "medium":
            tl = g0 + r.uniform(0, 5 * DAY, L)
        else:
            tl = rediurnal(r, g0 + r.uniform(0, 14 * DAY, L), self.tz(owner))
        self.E(owner, "login", self.C["web"], tl - r.uniform(60, 600, L))
        self.E(owner, "list_property", self.l_code[li], tl)
        nu = r.integers(3, 9, L)
        ru = np.repeat(np.arange(L), nu)
        self.E(owner[ru], "update_listing", self.l_code[li[ru]],
               tl[ru] + r.uniform(1, 70, len(ru)) * DAY)
        # shill bookings build a reputation
        nb = r.integers(*{"obvious": (3, 9), "medium": (2, 7), "subtle": (2, 6)}[st], L)
        bl = np.repeat(np.arange(L), nb)
        bj = np.concatenate([np.arange(k) for k in nb])
        ba = shills[r.integers(0, len(shills), len(bl))]
        R = len(bl)
        if st == "obvious":
            tb = tl + r.uniform(1, 4, L) * DAY
            t = tb[bl] + bj * r.uniform(120, 420, R)
            rb = tb + r.uniform(8, 20, L) * DAY
            rat = np.full(R, 5)
            rev_at = rb[bl] + bj * r.uniform(60, 300, R)
            rp = 1.0
        elif st == "medium":
            t = rediurnal(r, tl[bl] + r.uniform(1, 35, R) * DAY, op_tz)
            rat = np.where(r.random(R) < .9, 5, 4)
            rev_at, rp = None, .9
        else:
            t = rediurnal(r, tl[bl] + r.uniform(2, 50, R) * DAY, self.tz(ba))
            rat = np.where(r.random(R) < .8, 5, 4)
            rev_at, rp = None, .8
        self.E(ba, "view_listing", self.l_code[li[bl]], t - r.uniform(60, 900, R))
        mh = r.random(R) < .4
        self.E(ba[mh], "message_host", owner[bl][mh], t[mh] - r.uniform(0, 3600, int(mh.sum())))
        self.book(ba, li[bl], t, cancel_p=0, review_p=rp, rating=rat, review_at=rev_at)
        # real guests get scammed once the listings look trustworthy
        nv = r.integers(2, 7, L)
        vl = np.repeat(np.arange(L), nv)
        guests = np.flatnonzero((self.atype == 0) & ~self.is_bad & (self.created < g0))
        vic = guests[r.integers(0, len(guests), len(vl))]
        tv = rediurnal(r, g0 + r.uniform(25, 70, len(vl)) * DAY, self.tz(vic))
        self.E(vic, "view_listing", self.l_code[li[vl]], tv - r.uniform(60, 1800, len(vl)))
        self.E(owner[vl], "message_guest", vic, tv + r.uniform(600, DAY, len(vl)))
        bk = self.book(vic, li[vl], tv, cancel_p=0, review_p=.3,
                       rating=np.where(r.random(len(vl)) < .7, 1, 2))
        tr = tv + r.uniform(3, 20, len(vl)) * DAY
        self.E(vic, "report", self.l_code[li[vl]], tr)
        self.E(vic, "refund_request", bk, tr + r.uniform(600, 7200, len(vl)))
        # cash-out: payout details change, then the ring goes dark
        tp = g0 + r.uniform(50, 72) * DAY + (r.uniform(0, 2 * HOUR, nh) if st == "obvious"
                                              else r.uniform(0, 10 * DAY, nh))
        self.E(hosts, "payout_change", self.C["payout_settings"], tp)
        self.give(hosts, "payout", self.ident(1 if st == "obvious" else 2), tp)
        self.add_group("fake_host_ring", m, True, 0, st)

    def g_review_ring(self, st):
        """Paid review farm: members meet on client listings in waves, extreme ratings."""
        r = self.r
        size = int(r.integers(*{"obvious": (15, 41), "medium": (25, 71),
                                "subtle": (40, 121)}[st]))
        g0 = r.uniform(5, NDAYS - 110) * DAY
        span = min(r.uniform(60, 150) * DAY, END - g0 - 12 * DAY)
        op_tz = TZ[wchoice(r, CW, 1)[0]]
        if st == "subtle":
            m = self.take(size, self.created < -100 * DAY)
            size = len(m)
            self.is_bad[m] = True
            t_sig = np.maximum(self.created[m], g0 - 30 * DAY) + r.uniform(0, 20, size) * DAY
        else:
            market = int(r.choice(MARKETS))
            m = self.take(size)
            if st == "obvious":
                tc = g0 - 7 * DAY + np.sort(r.uniform(0, 7 * DAY, size))
                cty = np.full(size, market)
            else:
                tc = g0 - r.uniform(0, 90, size) * DAY
                cty = np.where(r.random(size) < .5, market, wchoice(r, CW, size))
            self.mk_new(m, tc, cty, 0, .05 if st == "obvious" else .35)
            t_sig = tc + r.uniform(0, 600, size)
        if st == "obvious":
            self.give(m, "device", self.ident(int(np.ceil(size / 6))), t_sig)
            self.give(m, "ip", self.ident(int(r.integers(2, 4))), t_sig)
            self.give(m, "phone", self.ident(int(np.ceil(size / 3))), t_sig)
            self.give(m, "payment", self.ident(int(np.ceil(size / 4))), t_sig)
            self._sig_new(m, t_sig, st)
        elif st == "medium":
            self.S(m, "device", self.ident(size), t_sig)
            pool = self.ident(int(r.integers(8, 16)))
            self.give(m, "ip", pool, t_sig, per=2)
            self.S(m, "phone", self.ident(size), t_sig)
            half = m[r.random(size) < .5]
            self.give(half, "payment", self.ident(max(1, len(half) // 2)), t_sig[:len(half)])
        else:
            some = r.random(size) < .4
            self.give(m[some], "ip", self.resi(max(3, size // 4)), t_sig[some])
        n_camp = int(r.integers(*{"obvious": (10, 21), "medium": (12, 31), "subtle": (15, 41)}[st]))
        p = {"obvious": .6, "medium": .4, "subtle": .25}[st]
        j1 = {"obvious": 20 * MIN, "medium": 5 * HOUR, "subtle": 2.5 * DAY}[st]
        j2 = {"obvious": 30 * MIN, "medium": 8 * HOUR, "subtle": 3 * DAY}[st]
        pb = {"obvious": 1.0, "medium": .8, "subtle": .7}[st]
        tgt = r.integers(0, self.n_org_l, n_camp)
        attack = r.random(n_camp) < .15
        t0 = g0 + r.uniform(0, span, n_camp)
        rw0 = t0 + r.uniform(4, 12, n_camp) * DAY
        P, T, RW, AT, C = [], [], [], [], []
        for c in range(n_camp):
            k = max(3, r.binomial(size, p))
            part = r.choice(m, min(k, size), replace=False)
            P.append(part)
            T.append(t0[c] + r.exponential(j1, len(part)))
            RW.append(rw0[c] + r.exponential(j2, len(part)))
            AT.append(np.full(len(part), attack[c]))
            C.append(np.full(len(part), tgt[c]))
        P, T, RW, AT, C = map(np.concatenate, (P, T, RW, AT, C))
        if st == "subtle":
            T = rediurnal(r, T, self.tz(P))
            RW = rediurnal(r, RW, self.tz(P))
        elif st == "medium":
            T = rediurnal(r, T, op_tz)
        n = len(P)
        self.E(P, "view_listing", self.l_code[C], T - r.uniform(30, 600, n))
        bk = r.random(n) < pb
        boost = np.where(r.random(n) < {"obvious": 1.0, "medium": .93, "subtle": .8}[st], 5, 4)
        hit = np.where(r.random(n) < .75, 1, 2)
        rat = np.where(AT, hit, boost)
        self.book(P[bk], C[bk], T[bk], cancel_p=0, review_p=1.0, rating=rat[bk],
                  review_at=RW[bk], price_mult=.5)
        self.E(P[~bk], "wishlist", self.l_code[C[~bk]], T[~bk] + r.uniform(5, 120, int((~bk).sum())))
        self.add_group("review_ring", m, True, 0, st)

    def g_promo(self, st):
        """Referral / new-user promo farm: bursts of fresh accounts, credits funnel to referrers."""
        r = self.r
        size = int(r.integers(*{"obvious": (20, 61), "medium": (30, 91), "subtle": (30, 121)}[st]))
        nref = 1 + (size > 50) + (size > 90)
        tb = r.uniform(10, NDAYS - 50) * DAY
        op_c = int(wchoice(r, CW, 1)[0])
        op_tz = TZ[op_c]
        market = int(r.choice(MARKETS))
        refs = self.take(nref, self.created < -60 * DAY)
        self.is_bad[refs] = True
        self.org_mult[refs] = .5
        nm = size - len(refs)
        newm = self.take(nm)
        nm = len(newm)
        if st == "obvious":
            tc = tb + np.cumsum(r.uniform(40, 200, nm))
        elif st == "medium":
            nbst = int(r.integers(3, 7))
            bt = tb + np.sort(r.uniform(0, 21, nbst)) * DAY
            which = np.sort(r.integers(0, nbst, nm))
            tc = bt[which] + np.concatenate(
                [np.cumsum(r.uniform(60, 600, int((which == b).sum()))) for b in range(nbst)])
        else:
            tc = np.sort(sample_times(r, np.full(nm, tb), np.full(nm, tb + 45 * DAY), op_tz))
        cty = np.where(r.random(nm) < .7, market, wchoice(r, CW, nm))
        self.mk_new(newm, tc, cty, 0, 0.0)
        m = np.concatenate([refs, newm])
        ts_ = tc + r.uniform(0, 300, nm)
        rs_ = np.full(len(refs), tb - r.uniform(1, 20) * DAY)
        if st == "obvious":
            dv = self.ident(int(r.integers(2, 5)))
            self.give(newm, "device", dv, ts_)
            self.give(refs, "device", dv, rs_)
            self.give(newm, "ip", self.ident(int(r.integers(1, 3))), ts_)
            self.give(newm, "phone", self.ident(int(np.ceil(nm / 4))), ts_)
            self.give(newm, "payment", self.ident(int(r.integers(1, 3))), ts_)
            self._sig_new(newm, ts_, st)
        elif st == "medium":
            self.S(newm, "device", self.ident(nm), ts_)
            self._sig_new(newm, ts_, st)
            self.give(newm, "ip", self.ident(int(r.integers(6, 13))), ts_)
            self.give(newm, "phone", self.ident(int(np.ceil(nm / 2))), ts_)
            self.give(newm, "payment", self.ident(int(np.ceil(nm / 3))), ts_)
        else:
            self.S(newm, "device", self.ident(nm), ts_)
            pools = self.cg_pool[self.cg_country == op_c]
            if len(pools) == 0:
                pools = self.cg_pool
            self.give(newm, "ip", pools, ts_)
            half = newm[r.random(nm) < .5]
            self.give(half, "ip", self.resi(max(3, nm // 3)), ts_[:len(half)])
            self.S(newm, "phone", self.ident(nm), ts_)
            self.S(newm, "payment", self.ident(nm), ts_)
        ref_of = refs[r.integers(0, len(refs), nm)]
        self.E(newm, "referral_signup", ref_of, tc + r.uniform(5, 60, nm))
        self.E(newm, "login", self.platform[newm], tc + r.uniform(60, 300, nm))
        self.E(newm, "promo_redeem", self.promo[0], tc + r.uniform(120, 1800, nm), amount=-15.0)
        cr = r.random(nm) < .5
        self.E(newm[cr], "redeem_credit", self.C["credits"], tc[cr] + r.uniform(HOUR, 3 * DAY, int(cr.sum())))
        city = wchoice(r, self.city_pop, nm)
        tt = tc + r.uniform(30 * MIN, 2 * DAY, nm)
        self.E(newm, "search", self.city_code[city], tt)
        nv = r.integers(1, 4, nm)
        rv = np.repeat(np.arange(nm), nv)
        lv = self.sample_listing(city[rv])
        self.E(newm[rv], "view_listing", self.l_code[lv], tt[rv] + r.uniform(20, 900, len(rv)))
        bk = r.random(nm) < .7
        lb = self.sample_listing(city[bk])
        self.book(newm[bk], lb, tt[bk] + r.uniform(HOUR, 3 * DAY, int(bk.sum())), cancel_p=.1,
                  review_p=.1, price_mult=.4,
                  chargeback_p={"obvious": .35, "medium": .25, "subtle": .15}[st])
        # referrers cash out referral credit
        ncash = int(np.ceil(nm / 6))
        self.E(refs[r.integers(0, len(refs), ncash)], "redeem_credit", self.C["credits"],
               tc.min() + r.uniform(1, 50, ncash) * DAY, amount=np.round(r.uniform(20, 60, ncash), 2))
        self.add_group("promo_referral_farm", m, True, 0, st)

    def g_ato(self, st):
        """Account-takeover crew: old real accounts switch to the crew's device/payout in days."""
        r = self.r
        size = int(r.integers(*{"obvious": (6, 16), "medium": (8, 26), "subtle": (10, 31)}[st]))
        g0 = r.uniform(5, NDAYS - 70) * DAY
        L = {"obvious": 10, "medium": 30, "subtle": 60}[st] * DAY
        cand = (self.created < -365 * DAY) & (self.org_mult > 0) & (self.atype <= 1) & \
            (self.rate > 2) & (self.gprio >= 2)
        v = self.take(size, cand, use_free=False)
        size = len(v)
        T = g0 + np.sort(r.uniform(0, L, size))
        host = self.atype[v] == 1
        nd = {"obvious": 1, "medium": int(r.integers(2, 4)), "subtle": int(np.ceil(size / 3))}[st]
        self.give(v, "device", self.ident(nd), T)
        if st == "obvious":
            self.S(v, "ip", self.vpn[r.integers(0, len(self.vpn))], T)
        elif st == "medium":
            self.give(v, "ip", self.resi(3), T)
        else:
            self.give(v, "ip", self.resi(2 * size), T, per=2)
        npay = {"obvious": 1, "medium": 2, "subtle": 3}[st]
        tpay = T + r.uniform(600, 2 * DAY, size)
        self.give(v[host], "payout", self.ident(npay), tpay[host])
        self.give(v[~host], "payment", self.ident({"obvious": 1, "medium": 2, "subtle": 4}[st]),
                  tpay[~host])
        self.S(v, "email", self.ident(size), T + r.uniform(60, 600, size))
        if st != "subtle":
            self.give(v, "phone", self.ident(1 if st == "obvious" else 2), T + 600)
        nf = r.integers(*{"obvious": (5, 21), "medium": (2, 8), "subtle": (1, 4)}[st], size)
        rf = np.repeat(np.arange(size), nf)
        self.E(v[rf], "login_failed", self.C["security"], T[rf] - r.uniform(0, 600, len(rf)))
        self.E(v, "password_reset", self.C["security"], T)
        self.E(v, "login", self.C["web"], T + r.uniform(30, 120, size))
        self.E(v, "update_profile", self.C["profile"], T + r.uniform(120, 600, size))
        self.E(v[host], "payout_change", self.C["payout_settings"], tpay[host])
        g = v[~host]
        tg = tpay[~host]
        self.E(g, "add_payment", self.C["wallet"], tg)
        ng = len(g)
        if ng:
            tix = r.random(ng) < .5
            ev = r.choice(len(self.e_code), ng)
            q = r.integers(2, 7, ng)
            self.E(g[tix], "buy_ticket", self.e_code[ev[tix]], tg[tix] + r.uniform(600, 3 * DAY, int(tix.sum())),
                   amount=np.round(self.e_price[ev[tix]] * q[tix], 2))
            ex = ~tix
            cities = wchoice(r, self.city_pop, int(ex.sum()))
            li = self.sample_listing(cities)
            self.book(g[ex], li, tg[ex] + r.uniform(600, 3 * DAY, int(ex.sum())), cancel_p=.2,
                      review_p=0, price_mult=2.0)
        cr = r.random(size) < .6
        self.E(v[cr], "redeem_credit", self.C["credits"], T[cr] + r.uniform(HOUR, DAY, int(cr.sum())))
        lock = r.random(size) < .7
        self.org_end[v[lock]] = np.minimum(self.org_end[v[lock]], T[lock] + r.uniform(0, DAY, int(lock.sum())))
        rec = r.random(size) < .25
        trc = T[rec] + r.uniform(2, 10, int(rec.sum())) * DAY
        self.E(v[rec], "password_reset", self.C["security"], trc)
        self.E(v[rec], "report", self.C["support"], trc + r.uniform(60, 3600, int(rec.sum())))
        self.add_group("account_takeover", v, True, 0, st)

    def g_scalper(self, st):
        """Ticket scalper bot net: many accounts hit the same drops within seconds."""
        r = self.r
        size = int(r.integers(*{"obvious": (30, 61), "medium": (40, 91), "subtle": (50, 121)}[st]))
        nd = int(r.integers(*{"obvious": (8, 16), "medium": (10, 21), "subtle": (12, 26)}[st]))
        late = np.flatnonzero(self.e_drop > 15 * DAY)
        drops = r.choice(late, min(nd, len(late)), replace=False, p=self.e_pop[late] / self.e_pop[late].sum())
        first = self.e_drop[drops].min()
        if st == "subtle":
            m = self.take(size, self.created < -150 * DAY)
            size = len(m)
            self.is_bad[m] = True
            self.org_mult[m] = .6
            self.own_payout[m] = False
            t_sig = np.maximum(self.created[m], first - 40 * DAY) + r.uniform(0, 20, size) * DAY
        else:
            market = int(r.choice(MARKETS))
            m = self.take(size)
            if st == "obvious":
                tc = first - r.uniform(10, 30) * DAY + np.sort(r.uniform(0, 3 * DAY, size))
                cty = np.full(size, market)
            else:
                tc = first - r.uniform(5, 60, size) * DAY
                cty = np.where(r.random(size) < .6, market, wchoice(r, CW, size))
            self.mk_new(m, tc, cty, 0, 0.0 if st == "obvious" else .1)
            t_sig = tc + r.uniform(0, 600, size)
            if st == "obvious":
                self.atype[m[r.random(size) < .3]] = 2
        if st == "obvious":
            self.give(m, "device", self.ident(int(r.integers(3, 7))), t_sig)
            self._sig_new(m, t_sig, st)
            self.give(m, "payment", self.ident(int(r.integers(3, 7))), t_sig)
            self.give(m, "phone", self.ident(int(np.ceil(size / 5))), t_sig)
            self.give(m, "payout", self.ident(1), t_sig)
            pool = self.ident(int(r.integers(15, 41)))
        elif st == "medium":
            self.S(m, "device", self.ident(size), t_sig)
            self._sig_new(m, t_sig, st)
            self.give(m, "payment", self.ident(int(np.ceil(size / 2.5))), t_sig)
            self.S(m, "phone", self.ident(size), t_sig)
            self.give(m, "payout", self.ident(int(r.integers(2, 4))), t_sig)
            pool = self.resi(int(r.integers(150, 401)))
        else:
            self.S(m, "device", self.ident(size), t_sig)
            self.S(np.repeat(m, 2), "payment", self.ident(2 * size), np.repeat(t_sig, 2))
            sh = r.random(size) < .3
            self.give(m[sh], "payout", self.ident(3), t_sig[sh])
            self.S(m[~sh], "payout", self.ident(int((~sh).sum())), t_sig[~sh])
            pool = self.resi_pool
        pp = {"obvious": .9, "medium": .7, "subtle": .5}[st]
        for e in drops:
            part = m[r.random(size) < pp]
            k = len(part)
            if k == 0:
                continue
            d0 = self.e_drop[e]
            if st == "obvious":
                q = d0 + r.uniform(.05, 1.5, k)
                bw = r.uniform(3, 30, k)
            elif st == "medium":
                q = d0 + .3 + r.exponential(2.5, k)
                bw = r.uniform(5, 90, k)
            else:
                q = d0 + .5 + np.exp(r.normal(np.log(6), .8, k))
                bw = r.uniform(5, 90, k)
                pv = r.random(k) < .6
                self.E(part[pv], "view_event", self.e_code[e], d0 - r.uniform(600, 2 * DAY, int(pv.sum())))
            ipv = pool[r.integers(0, len(pool), k)]
            if st == "subtle":  # a huge rotating pool: most exits are never seen twice
                fresh = r.random(k) < .75
                ipv[fresh] = self.ident(int(fresh.sum()))
            self.S(part, "ip", ipv, q)
            self.E(part, "queue_join", self.e_code[e], q)
            qty = r.integers(4, 9, k)
            self.E(part, "buy_ticket", self.e_code[e], q + bw,
                   amount=np.round(self.e_price[e] * qty, 2))
            self.E(part, "list_ticket", self.e_code[e], d0 + r.uniform(HOUR, 3 * DAY, k),
                   amount=np.round(self.e_price[e] * qty * r.uniform(1.8, 4, k), 2))
        self.add_group("scalper_bots", m, True, 0, st)

    def g_rotating(self):
        """Hard case: a farm of bought accounts worked by rotating workers with jittered timing."""
        r = self.r
        size = int(r.integers(40, 101))
        m = self.take(size, self.created < -120 * DAY)
        size = len(m)
        self.is_bad[m] = True
        g0 = r.uniform(0, 40) * DAY
        nW = int(np.ceil(size / 1.8))
        w_of = np.concatenate([np.arange(nW), r.integers(0, nW, size - nW)])
        r.shuffle(w_of)
        wseen = np.maximum(self.created[m], g0 - r.uniform(0, 30, size) * DAY)
        wdev = self.ident(nW)
        self.S(m, "device", wdev[w_of], wseen)
        firstm = np.full(nW, -1)
        for i in range(size):
            if firstm[w_of[i]] < 0:
                firstm[w_of[i]] = m[i]
        self.S(m, "ip", self.home_ip[firstm[w_of]], wseen)
        for _ in range(int(r.integers(2, 4))):
            pr = r.choice(m, 2, replace=False)
            self.S(pr, "payment", self.ident(1)[0], wseen[:2])
        nc = int(r.integers(25, 61))
        P, T, TT, TG = [], [], [], []
        for c in range(nc):
            k = int(r.integers(5, 13))
            part = r.choice(m, k, replace=False)
            t0 = r.uniform(g0, END - 20 * DAY)
            P.append(part)
            T.append(t0 + r.exponential(30 * HOUR, k))
            ttype = int(wchoice(r, [.7, .2, .1], 1)[0])
            TT.append(np.full(k, ttype))
            TG.append(np.full(k, r.integers(0, self.n_org_l) if ttype == 0 else
                              r.integers(0, len(self.t_code)) if ttype == 1 else
                              r.integers(0, len(self.e_code))))
        P, T, TT, TG = map(np.concatenate, (P, T, TT, TG))
        T = rediurnal(r, T, self.tz(P))
        n = len(P)
        x = TT == 0
        p, t, g = P[x], T[x], TG[x]
        nx = len(p)
        self.E(p, "view_listing", self.l_code[g], t)
        sv = r.random(nx) < .5
        self.E(p[sv], "view_listing", self.l_code[g[sv]], t[sv] + r.uniform(.5, 3, int(sv.sum())) * DAY)
        wl = r.random(nx) < .5
        self.E(p[wl], "wishlist", self.l_code[g[wl]], t[wl] + r.uniform(60, 600, int(wl.sum())))
        bk = r.random(nx) < .6
        self.book(p[bk], g[bk], t[bk] + r.uniform(HOUR, 2 * DAY, int(bk.sum())), cancel_p=.35,
                  review_p=.85, rating=np.where(r.random(int(bk.sum())) < .8, 5, 4))
        x = TT == 1
        p, t, g = P[x], T[x], TG[x]
        nx = len(p)
        self.E(p, "view_tour", self.t_code[g], t)
        tb = t + r.uniform(300, DAY, nx)
        self.E(p, "book_tour", self.t_code[g], tb, amount=np.round(self.t_price[g] * r.integers(1, 4, nx), 2))
        self.E(p, "pay", self.bookings(nx), tb + r.uniform(15, 120, nx))
        rv = r.random(nx) < .75
        self.E(p[rv], "review", self.t_code[g[rv]], tb[rv] + r.uniform(4, 14, int(rv.sum())) * DAY,
               rating=np.where(r.random(int(rv.sum())) < .8, 5, 4))
        x = TT == 2
        p, t, g = P[x], T[x], TG[x]
        nx = len(p)
        self.E(p, "view_event", self.e_code[g], t)
        by = r.random(nx) < .6
        self.E(p[by], "buy_ticket", self.e_code[g[by]], t[by] + r.uniform(60, HOUR, int(by.sum())),
               amount=np.round(self.e_price[g[by]] * r.integers(1, 3, int(by.sum())), 2))
        self.add_group("rotating_worker_farm", m, True, 0, "subtle")

    def make_bad(self):
        r = self.r
        plan = {"fake_host_ring": 6, "review_ring": 6, "promo_referral_farm": 5,
                "scalper_bots": 4, "rotating_worker_farm": 4}
        fn = {"fake_host_ring": self.g_fake_host, "review_ring": self.g_review_ring,
              "promo_referral_farm": self.g_promo, "scalper_bots": self.g_scalper}
        strengths = ["obvious", "medium", "subtle"]
        for kind, base in plan.items():
            n = max(1, int(round(base * self.scale)))
            for i in range(n):
                if kind == "rotating_worker_farm":
                    self.g_rotating()
                else:
                    fn[kind](strengths[(i + (1 if kind == "promo_referral_farm" else 0)) % 3])
        self.ato_plan = [strengths[i % 3] for i in range(max(1, int(round(4 * self.scale))))]

    # ================================================================ benign groups
    def make_agencies(self):
        r = self.r
        for _ in range(max(1, int(round(8 * self.scale)))):
            ns, nc = int(r.integers(2, 6)), int(r.integers(25, 151))
            staff = self.take(ns)
            cust = self.take(nc)
            nc = len(cust)
            cty = int(wchoice(r, CW, 1)[0])
            atz = TZ[cty]
            self.country[staff] = cty
            self.atype[staff] = 4
            self.rate[staff] = r.uniform(40, 120, ns)
            self.org_mult[staff] = 1.0
            self.org_end[staff] = END
            self.p_book[staff] = .15
            self.country[cust] = np.where(r.random(nc) < .85, cty, wchoice(r, CW, nc))
            self.atype[cust] = 0
            # customers onboarded in batches (a tour group in one afternoon)
            nb = max(1, int(np.ceil(nc / r.uniform(8, 30))))
            which = np.sort(r.integers(0, nb, nc))
            bt = np.where(r.random(nb) < .5, -r.uniform(10, 700, nb) * DAY,
                          sample_times(r, np.zeros(nb), np.full(nb, END - 30 * DAY), atz,
                                       BIZ_CDF, weekdays=True))
            off = np.zeros(nc)
            for b in range(nb):
                s = which == b
                off[s] = np.cumsum(r.uniform(60, 400, int(s.sum())))
            self.created[cust] = bt[which] + off
            self.created[staff] = np.minimum(bt.min(), 0) - r.uniform(30, 900, ns) * DAY
            own = r.random(nc) < .3
            self.full_sig[cust[~own]] = False
            self.own_home[cust[~own]] = False
            self.org_mult[cust] = np.where(own, .3, 0.0)
            dv = self.ident(int(r.integers(2, 6)))
            oip = self.ident(int(r.integers(1, 3)))
            card = self.ident(int(r.integers(1, 3)))
            addr = self.ident(1)
            phone = self.ident(1)
            cs = np.maximum(self.created[cust], -400 * DAY) + r.uniform(60, 3600, nc)
            ss = self.created[staff] + r.uniform(0, 30, ns) * DAY
            self.give(staff, "device", dv, ss, per=2)
            self.give(staff, "ip", oip, ss)
            self.give(cust, "device", dv, cs)
            self.give(cust, "ip", oip, cs)
            x = r.random(nc) < .7
            self.give(cust[x], "payment", card, cs[x])
            x = r.random(nc) < .4
            self.give(cust[x], "address", addr, cs[x])
            x = r.random(nc) < .5
            self.give(cust[x], "phone", phone, cs[x])
            self.S(cust[~x], "phone", self.ident(int((~x).sum())), cs[~x])
            # bookings made by staff for customers, business hours
            nbk = r.integers(1, 6, nc)
            ra = np.repeat(cust, nbk)
            lo = np.maximum(self.created[ra], 0) + HOUR
            t = sample_times(r, lo, np.full(len(ra), END - DAY), atz, BIZ_CDF, weekdays=True)
            li = self.sample_listing(wchoice(r, self.city_pop, len(ra)))
            self.E(ra, "view_listing", self.l_code[li], t - r.uniform(60, 900, len(ra)))
            self.book(ra, li, t, cancel_p=.08, review_p=.08)
            # tour groups: batch members booked onto the same stay and tour, one after another
            for b in range(nb):
                mem = cust[which == b]
                if len(mem) < 3 or r.random() > .6:
                    continue
                lo = max(self.created[mem].max(), 0) + DAY
                if lo > END - 10 * DAY:
                    continue
                tb0 = sample_times(r, np.array([lo]), np.array([END - 5 * DAY]), atz, BIZ_CDF, True)[0]
                tt = tb0 + np.cumsum(r.uniform(40, 150, len(mem)))
                hotel = self.sample_listing(wchoice(r, self.city_pop, 1))[0]
                self.book(mem, np.full(len(mem), hotel), tt, cancel_p=.05, review_p=.1)
                tour = int(r.integers(0, len(self.t_code)))
                tt2 = tt[-1] + r.uniform(300, 3600) + np.cumsum(r.uniform(30, 120, len(mem)))
                self.E(mem, "book_tour", self.t_code[tour], tt2,
                       amount=np.round(self.t_price[tour], 2))
                self.E(mem, "pay", self.bookings(len(mem)), tt2 + r.uniform(10, 60, len(mem)))
            self.add_group("travel_agency", np.concatenate([staff, cust]), False, 1)

    def make_property_managers(self):
        r = self.r
        for _ in range(max(1, int(round(10 * self.scale)))):
            k = int(r.integers(4, 16))
            m = self.take(k, (self.atype == 1) & self.owns, owners_ok=True)
            k = len(m)
            if k < 2:
                continue
            cty = int(wchoice(r, CW, 1)[0])
            self.country[m] = cty
            seen = np.maximum(self.created[m], -300 * DAY) + r.uniform(0, 60, k) * DAY
            self.give(m, "device", self.ident(2), seen)
            self.S(m, "ip", self.ident(1)[0], seen)
            pay = r.random(k) < .6
            self.own_payout[m[pay]] = False
            self.S(m[pay], "payout", self.ident(1)[0], seen[pay])
            ph = r.random(k) < .3
            self.S(m[ph], "phone", self.ident(1)[0], seen[ph])
            lis = np.flatnonzero(np.isin(self.l_host, m))
            weeks = np.arange(0, NDAYS // 7)
            dw = (weeks * 7 + (7 - DOW0) % 7)
            dw = dw[(dw < NDAYS) & (r.random(len(dw)) < .7)]
            for d in dw:
                t0 = d * DAY + 9 * HOUR - TZ[cty] * HOUR + r.uniform(0, 1800)
                tt = t0 + np.cumsum(r.uniform(5, 40, len(lis)))
                self.E(self.l_host[lis], "update_listing", self.l_code[lis], tt)
            self.add_group("property_manager", m, False, 1)

    def make_corporate(self):
        r = self.r
        for _ in range(max(1, int(round(12 * self.scale)))):
            k = int(r.integers(15, 71))
            m = self.take(k, self.created < 60 * DAY)
            k = len(m)
            cty = int(wchoice(r, CW, 1)[0])
            self.country[m] = cty
            ctz = TZ[cty]
            seen = np.maximum(self.created[m], -200 * DAY) + r.uniform(0, 30, k) * DAY
            cards = self.ident(int(r.integers(1, 4)))
            self.give(m, "payment", cards, seen)
            self.S(m, "ip", self.ident(1)[0], seen)
            mgr = r.random(k) < .4
            self.S(m[mgr], "device", self.ident(1)[0], seen[mgr])
            bcity = r.choice(self.nC, int(r.integers(2, 5)), replace=False, p=self.city_pop / self.city_pop.sum())
            cand = self.sample_listing(np.repeat(bcity, 10))
            pref = np.unique(cand[np.argsort(-self.l_price[cand])[:int(r.integers(2, 6))]])
            nt = r.poisson(3, k)
            ra = np.repeat(m, nt)
            lo = np.maximum(self.created[ra], 0) + HOUR
            t = sample_times(r, lo, np.full(len(ra), END - DAY), ctz, BIZ_CDF, weekdays=True)
            usep = r.random(len(ra)) < .7
            li = np.where(usep, pref[r.integers(0, len(pref), len(ra))],
                          self.sample_listing(bcity[r.integers(0, len(bcity), len(ra))]))
            self.E(ra, "view_listing", self.l_code[li], t - r.uniform(60, 1200, len(ra)))
            self.book(ra, li, t, cancel_p=.12, review_p=.3)
            for _o in range(int(r.integers(1, 4))):
                kk = min(k, int(r.integers(8, 31)))
                who = r.choice(m, kk, replace=False)
                lo = max(self.created[who].max(), 0) + DAY
                if lo > END - 10 * DAY:
                    continue
                t0 = sample_times(r, np.array([lo]), np.array([END - 5 * DAY]), ctz, BIZ_CDF, True)[0]
                tt = t0 + np.cumsum(r.uniform(30, 200, kk))
                self.book(who, np.full(kk, pref[0]), tt, cancel_p=.05, review_p=.35)
                if r.random() < .5:
                    tour = int(r.integers(0, len(self.t_code)))
                    t2 = tt[-1] + r.uniform(600, 7200) + np.cumsum(r.uniform(20, 90, kk))
                    self.E(who, "book_tour", self.t_code[tour], t2, amount=np.round(self.t_price[tour], 2))
            self.add_group("corporate_travel", m, False, 1)

    def make_group_trips(self):
        r = self.r
        for _ in range(max(2, int(round(self.N * .02 / 6)))):
            k = int(r.integers(3, 11))
            m = self.take(k)
            k = len(m)
            for _t in range(int(r.integers(1, 4))):
                lo = max(self.created[m].max(), 0) + HOUR
                if lo > END - 15 * DAY:
                    continue
                t0 = sample_times(r, np.array([lo]), np.array([END - 10 * DAY]),
                                  self.tz(m[:1]), EVE_CDF)[0]
                city = int(wchoice(r, self.city_pop, 1)[0])
                sl = self.sample_listing(np.full(int(r.integers(3, 8)), city))
                for who in m:
                    nv = int(r.integers(2, min(5, len(sl)) + 1))
                    pick = r.choice(sl, nv, replace=False)
                    base = t0 + (r.exponential(2 * HOUR) if r.random() < .7 else r.exponential(DAY))
                    self.E(np.full(nv, who), "view_listing", self.l_code[pick],
                           base + np.cumsum(r.exponential(120, nv)))
                    if r.random() < .3:
                        self.E(who, "wishlist", self.l_code[pick[0]], base + 30)
                base_r = int(self.organic_rating(sl[:1])[0])
                rat = np.clip(base_r + np.where(r.random(k) < .3, r.choice([-1, 1], k), 0), 1, 5)
                if r.random() < .4:
                    tt = t0 + r.exponential(6 * HOUR, k) + 600
                    self.book(m, np.full(k, sl[0]), tt, cancel_p=.05, review_p=.55, rating=rat)
                else:
                    b = int(r.integers(0, k))
                    self.book(m[b:b + 1], sl[:1], np.array([t0 + r.exponential(DAY) + 600]),
                              cancel_p=.05, review_p=.7, rating=rat[b:b + 1])
                if r.random() < .4:
                    e = int(r.integers(0, len(self.e_code)))
                    tt = max(t0, self.e_drop[e] + DAY) + r.exponential(1800, k)
                    self.E(m, "buy_ticket", self.e_code[e], tt,
                           amount=np.round(self.e_price[e] * r.integers(1, 3, k), 2))
                if r.random() < .3:
                    tour = int(r.integers(0, len(self.t_code)))
                    tt = t0 + r.uniform(HOUR, 3 * DAY) + r.exponential(1800, k)
                    self.E(m, "book_tour", self.t_code[tour], tt, amount=np.round(self.t_price[tour], 2))
                if r.random() < .3:
                    self.S(m, "ip", self.home_ip[m[0]], np.full(k, t0))
            self.add_group("group_trip", m, False, 2)

    def make_influencers(self):
        r = self.r
        for _ in range(max(2, int(round(3 * self.scale)))):
            inf = self.take(1, self.created < -200 * DAY)
            self.rate[inf] *= 4
            k = int(r.integers(60, 301))
            ref = self.take(k, self.created >= 0)
            k = len(ref)
            tp = r.uniform(10, NDAYS - 20) * DAY
            self.E(inf, "update_profile", self.C["profile"], tp - 600)
            tc = tp + r.exponential(8 * HOUR, k)
            self.created[ref] = tc
            self.E(ref, "referral_signup", inf[0], tc + r.uniform(10, 120, k))
            x = r.random(k) < .6
            self.E(ref[x], "promo_redeem", self.promo[0], tc[x] + r.uniform(60, 1800, int(x.sum())),
                   amount=-15.0)
            self.add_group("influencer_referrals", np.concatenate([inf, ref]), False, 3)

    def make_ato(self):
        for st in self.ato_plan:
            self.g_ato(st)

    # ================================================================ overlays & surges
    def make_overlays(self):
        r, N = self.r, self.N
        good = np.flatnonzero(~self.is_bad)
        for kind, n, lo_, hi_, nip, prio in (("office", max(5, N // 450), 8, 250, 1, 4),
                                             ("campus", max(1, int(round(3 * self.scale))), 150, 450, 3, 4),
                                             ("hostel_wifi", max(8, N // 600), 20, 120, 1, 5)):
            for _ in range(n):
                if kind == "office":
                    k = int(np.clip(np.exp(r.normal(np.log(25), .9)), lo_, hi_))
                else:
                    k = int(r.integers(lo_, hi_ + 1))
                m = r.choice(good, k, replace=False)
                ips = self.ident(nip)
                if kind == "office":
                    seen = sample_times(r, np.maximum(self.created[m], 0), np.full(k, END - DAY),
                                        self.tz(m), BIZ_CDF, weekdays=True)
                else:
                    seen = sample_times(r, np.maximum(self.created[m], 0), np.full(k, END - DAY), self.tz(m))
                self.give(m, "ip", ips, seen, per=1 if nip == 1 else 2)
                if kind == "hostel_wifi":
                    bb = r.random(k) < .3
                    li = self.sample_listing(wchoice(r, self.city_pop, int(bb.sum())))
                    self.E(m[bb], "search", self.city_code[self.l_city[li]], seen[bb] + 60)
                    self.E(m[bb], "view_listing", self.l_code[li], seen[bb] + r.uniform(60, 600, int(bb.sum())))
                self.add_group(kind, m, False, prio)

    def make_drops(self):
        r, N = self.r, self.N
        w = np.sqrt(self.rate * self.org_mult) + .3
        cdf = np.cumsum(w)
        cdf /= cdf[-1]
        resellers = np.flatnonzero((self.atype == 2) & ~self.is_bad)
        for e in range(len(self.e_code)):
            D = int(self.e_demand[e])
            fans = np.unique(np.minimum(np.searchsorted(cdf, r.random(D), side="right"), N - 1))
            fans = fans[self.created[fans] < self.e_drop[e] - HOUR]
            k = len(fans)
            d0 = self.e_drop[e]
            mode = wchoice(r, [.25, .45, .3], k)
            delay = np.where(mode == 0, r.exponential(6, k),
                             np.where(mode == 1, r.exponential(240, k), r.exponential(3 * HOUR, k)))
            q = d0 + delay
            pv = r.random(k) < .5
            self.E(fans[pv], "view_event", self.e_code[e], d0 - r.uniform(0, 5 * DAY, int(pv.sum())))
            self.E(fans, "queue_join", self.e_code[e], q)
            cap = int(k * (.45 if e in self.fest else .8))
            order = np.argsort(q)
            win = order[:cap]
            qty = r.integers(1, 5, len(win))
            self.E(fans[win], "buy_ticket", self.e_code[e], q[win] + 20 + r.exponential(150, len(win)),
                   amount=np.round(self.e_price[e] * qty, 2))
            lose = order[cap:]
            lv = lose[r.random(len(lose)) < .3]
            self.E(fans[lv], "view_event", self.e_code[e], q[lv] + r.uniform(600, 2 * DAY, len(lv)))
            if e in self.fest:
                self.add_group("festival_fans", fans, False, 6)
            # professional (honest) resellers: fast, but each on their own identity
            rs = resellers[(r.random(len(resellers)) < .5) & (self.created[resellers] < d0)]
            nr = len(rs)
            qr = d0 + r.exponential(4, nr) + .5
            self.E(rs, "queue_join", self.e_code[e], qr)
            qt = r.integers(2, 7, nr)
            self.E(rs, "buy_ticket", self.e_code[e], qr + r.uniform(10, 120, nr),
                   amount=np.round(self.e_price[e] * qt, 2))
            self.E(rs, "list_ticket", self.e_code[e], d0 + r.uniform(HOUR, 5 * DAY, nr),
                   amount=np.round(self.e_price[e] * qt * r.uniform(1.2, 2.5, nr), 2))

    def make_viral(self):
        r, N = self.r, self.N
        w = np.sqrt(self.rate * self.org_mult) + .3
        for _ in range(max(1, int(round(self.scale)))):
            li = int(r.integers(0, self.n_org_l))
            tv = r.uniform(30, NDAYS - 30) * DAY + 18 * HOUR
            k = int(N * .05)
            crowd = np.unique(wchoice(r, w, k))
            crowd = crowd[self.created[crowd] < tv]
            k = len(crowd)
            t = tv + r.exponential(9 * HOUR, k)
            self.E(crowd, "view_listing", self.l_code[li], t)
            wl = r.random(k) < .25
            self.E(crowd[wl], "wishlist", self.l_code[li], t[wl] + r.uniform(5, 120, int(wl.sum())))
            bk = r.random(k) < .015
            self.book(crowd[bk], np.full(int(bk.sum()), li), t[bk] + r.uniform(120, 7200, int(bk.sum())))
            self.add_group("viral_crowd", crowd, False, 6)

    def organic_onboarding(self):
        r = self.r
        new = np.flatnonzero((self.created >= 0) & ~self.is_bad & (self.gprio != 3))
        n = len(new)
        x = r.random(n) < .3
        self.E(new[x], "promo_redeem", self.promo[0],
               self.created[new[x]] + r.exponential(HOUR, int(x.sum())) + 60, amount=-15.0)
        x = r.random(n) < .06
        old = np.flatnonzero((self.created < 0) & ~self.is_bad)
        self.E(new[x], "referral_signup", old[r.integers(0, len(old), int(x.sum()))],
               self.created[new[x]] + r.uniform(5, 60, int(x.sum())))
        allg = np.flatnonzero(~self.is_bad & (self.org_mult > 0))
        x = allg[r.random(len(allg)) < .05]
        lo = np.maximum(self.created[x], 0)
        t = sample_times(r, lo, np.maximum(self.org_end[x], lo + 1), self.tz(x))
        code = self.promo[r.integers(1, len(self.promo), len(x))]
        self.E(x, "promo_redeem", code, t, amount=-np.round(r.uniform(5, 40, len(x)), 0))

    # ================================================================ organic identity
    def organic_signals(self):
        r, N = self.r, self.N
        c = self.created
        hi = np.maximum(np.minimum(self.sig_end, END - 1), c + 60)

        def seen(idx, first):
            idx = np.asarray(idx)
            s = c[idx] + r.uniform(0, 600, len(idx))
            later = lambda: c[idx] + r.random(len(idx)) * (hi[idx] - c[idx])
            return np.where(first, s, later())

        full = np.flatnonzero(self.full_sig)
        nd = 1 + r.binomial(2, .22, len(full))
        a = np.repeat(full, nd)
        first = np.concatenate([[True], a[1:] != a[:-1]])
        self.S(a, "device", self.ident(len(a)), seen(a, first))
        h = full[self.own_home[full]]
        self.S(h, "ip", self.home_ip[h], seen(h, True))
        x = full[r.random(len(full)) < .12]
        self.S(x, "ip", self.ident(len(x)), seen(x, False))
        x = full[r.random(len(full)) < .015]
        self.S(x, "ip", self.home_ip[r.integers(0, N, len(x))], seen(x, False))
        x = full[r.random(len(full)) < .6]
        pc = np.full(len(x), -1)
        for ci in range(len(CC)):
            s = self.country[x] == ci
            pools = np.flatnonzero(self.cg_country == ci)
            if len(pools) == 0:
                pools = np.arange(len(self.cg_pool))
            pc[s] = pools[r.integers(0, len(pools), int(s.sum()))]
        self.S(x, "ip", self.cg_pool[pc], seen(x, False))
        two = x[r.random(len(x)) < .25]
        self.S(two, "ip", self.cg_pool[r.integers(0, len(self.cg_pool), len(two))], seen(two, False))
        x = full[r.random(len(full)) < .18]
        self.S(x, "ip", self.wifi[wchoice(r, self.wifi_w, len(x))], seen(x, False))
        x = full[r.random(len(full)) < .06]
        self.S(x, "ip", self.vpn[r.integers(0, len(self.vpn), len(x))], seen(x, False))
        allacc = np.arange(N)
        self.S(allacc, "email", self.ident(N), seen(allacc, True))
        x = full[r.random(len(full)) < .08]
        self.S(x, "email", self.ident(len(x)), seen(x, False))
        u = r.random(len(full))
        x = full[u < .8]
        self.S(x, "phone", self.ident(len(x)), seen(x, True))
        x = full[(u >= .8) & (u < .825)]
        self.S(x, "phone", self.legacy_phone, seen(x, True))
        x = full[r.random(len(full)) < .72]
        npay = 1 + (r.random(len(x)) < .3)
        a = np.repeat(x, npay)
        self.S(a, "payment", self.ident(len(a)), seen(a, False))
        x = full[r.random(len(full)) < .5]
        self.S(x, "address", self.ident(len(x)), seen(x, False))
        hl = self.l_host[:self.n_org_l]
        hl = hl[self.full_sig[hl]]
        self.S(hl, "address", self.ident(len(hl)), seen(hl, False))
        x = np.flatnonzero(self.own_payout & np.isin(self.atype, [1, 2, 3]))
        self.S(x, "payout", self.ident(len(x)), seen(x, True))
        y = x[r.random(len(x)) < .05]
        self.S(y, "payout", self.ident(len(y)), seen(y, False))
        x = np.flatnonzero(self.own_ua)
        nu = 1 + (r.random(len(x)) < .35)
        a = np.repeat(x, nu)
        self.S(a, "ua_fp", self.ua[wchoice(r, self.ua_w, len(a))], seen(a, False))

    # ================================================================ organic behaviour
    def _blocks(self, st, blocks, gap):
        """blocks: per block, the session index of each row; in-session order = block order."""
        r = self.r
        reps = blocks
        sizes = [len(x) for x in reps]
        allrep = np.concatenate(reps)
        order = np.argsort(allrep, kind="stable")
        srep = allrep[order]
        cs = np.cumsum(r.exponential(gap, len(allrep)))
        cnt = np.bincount(srep, minlength=len(st))
        fst = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        off = cs - cs[fst[srep]]
        t = np.empty(len(allrep))
        t[order] = st[srep] + off
        out = np.split(t, np.cumsum(sizes)[:-1])
        return out

    def organic_events(self):
        r, N = self.r, self.N
        order, hstart, hcnt = csr(self.l_host, N)
        self.hl_order, self.hl_start, self.hl_cnt = order, hstart, hcnt
        torder, tstart, tcnt = csr(self.t_owner, N)
        lo = np.maximum(self.created, 0.0) + 30
        hi = np.minimum(self.org_end, END - 1)
        span = np.clip(hi - lo, 0, None)
        ns = np.minimum(r.poisson(self.rate * self.org_mult * span / END), 4000)
        sa = np.repeat(np.arange(N), ns)
        st = sample_times(r, lo[sa], hi[sa], self.tz(sa))
        at = self.atype[sa]
        u = r.random(len(sa))
        kind = np.select([u < .80, u < .90, u < .95], [0, 1, 2], 3)
        kind = np.where(at == 1, np.select([u < .5, u < .82, u < .9, u < .96], [4, 0, 1, 2], 3), kind)
        kind = np.where(at == 2, np.select([u < .65, u < .85], [1, 0], 3), kind)
        kind = np.where(at == 3, np.select([u < .55, u < .85], [5, 0], 3), kind)
        kind = np.where((at == 4), np.where(u < .88, 0, 3), kind)
        wact = self.rate * self.org_mult + .1
        wcdf = np.cumsum(wact) / wact.sum()

        def rand_acc(n):
            return np.minimum(np.searchsorted(wcdf, r.random(n), side="right"), N - 1)

        def rep(cnt):
            return np.repeat(np.arange(len(cnt)), cnt)

        # 0: browse stays
        s = kind == 0
        a, t = sa[s], st[s]
        S = len(a)
        city = np.where(r.random(S) < .4, self.fav_city[a], wchoice(r, self.city_pop, S))
        nv = 1 + r.poisson(2.6, S)
        rv = rep(nv)
        lv = self.sample_listing(city[rv])
        vst = np.concatenate([[0], np.cumsum(nv)[:-1]])

        def pick(rr):
            return lv[vst[rr] + (r.random(len(rr)) * nv[rr]).astype(np.int64)]

        rl = rep((r.random(S) < .35).astype(int))
        rs = rep(1 + r.poisson(.8, S))
        rw = rep(r.binomial(nv, .1))
        rm = rep((r.random(S) < .05).astype(int))
        rb = rep((r.random(S) < self.p_book[a]).astype(int))
        rr_ = rep((r.random(S) < .002).astype(int))
        lw, lm, lb, lr = pick(rw), pick(rm), pick(rb), pick(rr_)
        tl, ts_, tv, tw, tm, tb, tr = self._blocks(t, [rl, rs, rv, rw, rm, rb, rr_], 45)
        self.E(a[rl], "login", self.platform[a[rl]], tl)
        self.E(a[rs], "search", self.city_code[city[rs]], ts_)
        self.E(a[rv], "view_listing", self.l_code[lv], tv)
        self.E(a[rw], "wishlist", self.l_code[lw], tw)
        self.E(a[rm], "message_host", self.l_host[lm], tm)
        self.E(a[rr_], "report", self.l_code[lr], tr)
        self.book(a[rb], lb, tb, cancel_p=.11, review_p=.65, chargeback_p=.003)
        cr = r.random(len(rb)) < .08
        self.E(a[rb][cr], "redeem_credit", self.C["credits"], tb[cr] - r.uniform(20, 300, int(cr.sum())),
               amount=-np.round(r.uniform(5, 60, int(cr.sum())), 0))
        # 1: tickets
        s = kind == 1
        a, t = sa[s], st[s]
        S = len(a)
        nve = 1 + r.poisson(1.2, S) + 2 * (self.atype[a] == 2)
        re_ = rep(nve)
        ev = wchoice(r, self.e_pop, len(re_))
        est = np.concatenate([[0], np.cumsum(nve)[:-1]])
        rbuy = rep((r.random(S) < .03).astype(int))
        eb = ev[est[rbuy]]
        rlist = rep(((self.atype[a] == 2) & (r.random(S) < .3)).astype(int))
        el = ev[est[rlist]]
        tve, tbuy, tlist = self._blocks(t, [re_, rbuy, rlist], 50)
        self.E(a[re_], "view_event", self.e_code[ev], tve)
        self.E(a[rbuy], "buy_ticket", self.e_code[eb], tbuy,
               amount=np.round(self.e_price[eb] * r.integers(1, 5, len(eb)) * r.uniform(1, 1.6, len(eb)), 2))
        self.E(a[rlist], "list_ticket", self.e_code[el], tlist,
               amount=np.round(self.e_price[el] * r.integers(1, 5, len(el)) * r.uniform(1.2, 2.5, len(el)), 2))
        # 2: tours
        s = kind == 2
        a, t = sa[s], st[s]
        S = len(a)
        nvt = 1 + r.poisson(1, S)
        rt = rep(nvt)
        tt = wchoice(r, self.t_w, len(rt))
        tst = np.concatenate([[0], np.cumsum(nvt)[:-1]])
        rbt = rep((r.random(S) < .1).astype(int))
        tb_ = tt[tst[rbt]]
        tvt, tbt = self._blocks(t, [rt, rbt], 60)
        self.E(a[rt], "view_tour", self.t_code[tt], tvt)
        amt = np.round(self.t_price[tb_] * r.integers(1, 5, len(tb_)), 2)
        self.E(a[rbt], "book_tour", self.t_code[tb_], tbt, amount=amt)
        self.E(a[rbt], "pay", self.bookings(len(rbt)), tbt + r.uniform(15, 120, len(rbt)), amount=amt)
        rv2 = r.random(len(rbt)) < .35
        good = wchoice(r, [.03, .02, .06, .22, .67], int(rv2.sum())) + 1
        self.E(a[rbt][rv2], "review", self.t_code[tb_][rv2],
               tbt[rv2] + r.uniform(2, 30, int(rv2.sum())) * DAY, rating=good)
        # 3: account maintenance
        s = kind == 3
        a, t = sa[s], st[s]
        S = len(a)
        pr = r.random(S) < .25
        r0 = rep(np.where(pr & (r.random(S) < .6), 1 + r.poisson(.7, S), 0))
        r1 = rep(np.ones(S, int))
        r2 = rep(pr.astype(int))
        r3 = rep((r.random(S) < .5).astype(int))
        r4 = rep((r.random(S) < .2).astype(int))
        r5 = rep((r.random(S) < .1).astype(int))
        t0_, t2, t1, t3, t4, t5 = self._blocks(t, [r0, r2, r1, r3, r4, r5], 40)
        self.E(a[r0], "login_failed", self.C["security"], t0_)
        self.E(a[r1], "login", self.platform[a[r1]], t1)
        self.E(a[r2], "password_reset", self.C["security"], t2)
        self.E(a[r3], "update_profile", self.C["profile"], t3)
        self.E(a[r4], "add_payment", self.C["wallet"], t4)
        self.E(a[r5], "redeem_credit", self.C["credits"], t5,
               amount=-np.round(r.uniform(5, 60, len(r5)), 0))
        # failed credential-stuffing waves against random real accounts (no takeover)
        x = np.flatnonzero((r.random(N) < .012) & (self.created < END - 5 * DAY))
        nf = r.integers(3, 25, len(x))
        rx = np.repeat(np.arange(len(x)), nf)
        tw = sample_times(r, np.maximum(self.created[x], 0), np.full(len(x), END - DAY), 0.0, HOUR_CDF)
        self.E(x[rx], "login_failed", self.C["security"], tw[rx] + r.uniform(0, 900, len(rx)))
        # properties and tours listed inside the window
        lh = self.l_host[:self.n_org_l]
        newl = (self.created[lh] >= 0) | (r.random(self.n_org_l) < .15)
        li = np.flatnonzero(newl)
        hc = np.maximum(self.created[lh[li]], 0)
        tl = np.where(self.created[lh[li]] >= 0, hc + r.exponential(2 * DAY, len(li)) + 600,
                      sample_times(r, np.zeros(len(li)), np.full(len(li), END - DAY), self.tz(lh[li])))
        self.E(lh[li], "login", self.platform[lh[li]], tl - r.uniform(60, 600, len(li)))
        self.E(lh[li], "list_property", self.l_code[li], tl)
        nt = len(self.t_code)
        ti = np.flatnonzero((self.created[self.t_owner] >= 0) | (r.random(nt) < .15))
        to = self.t_owner[ti]
        tt = np.maximum(self.created[to], 0) + r.uniform(HOUR, 60 * DAY, len(ti))
        self.E(to, "list_tour", self.t_code[ti], tt)
        # 4: host management / 5: tour operator management
        for kk, ostart, ocnt, oorder, codes, act in (
                (4, hstart, hcnt, order, self.l_code, "update_listing"),
                (5, tstart, tcnt, torder, self.t_code, "update_tour")):
            s = kind == kk
            a, t = sa[s], st[s]
            S = len(a)
            r1 = rep(np.ones(S, int))
            r2 = rep(np.where(ocnt[a] > 0, 1 + r.poisson(1, S), 0))
            own = oorder[ostart[a[r2]] + (r.random(len(r2)) * ocnt[a[r2]]).astype(np.int64)] \
                if len(r2) else np.zeros(0, np.int64)
            r3 = rep(r.poisson(1.3, S))
            r4 = rep((r.random(S) < .008).astype(int))
            t1, t2, t3, t4 = self._blocks(t, [r1, r2, r3, r4], 50)
            self.E(a[r1], "login", self.platform[a[r1]], t1)
            self.E(a[r2], act, codes[own], t2)
            self.E(a[r3], "message_guest", rand_acc(len(r3)), t3)
            self.E(a[r4], "payout_change", self.C["payout_settings"], t4)

    # ================================================================ run & write
    def run(self, log):
        t0 = time.time()
        steps = [("accounts", self.make_accounts), ("catalog", self.make_catalog),
                 ("infra", self.make_infra), ("households", self.make_households),
                 ("bad groups", self.make_bad), ("agencies", self.make_agencies),
                 ("property managers", self.make_property_managers),
                 ("corporate travel", self.make_corporate), ("group trips", self.make_group_trips),
                 ("influencers", self.make_influencers), ("account takeover", self.make_ato),
                 ("overlays", self.make_overlays), ("ticket drops", self.make_drops),
                 ("viral listing", self.make_viral), ("onboarding", self.organic_onboarding),
                 ("organic identity", self.organic_signals), ("organic events", self.organic_events)]
        for name, f in steps:
            f()
            log("  %-18s %6.1fs" % (name, time.time() - t0))

    def frames(self, with_labels):
        r, N = self.r, self.N
        acc_s = pl.Series("account_id", self.acc_str.tolist(), dtype=pl.Utf8)
        us = lambda x: (EPOCH0 * 1_000_000 + np.round(np.asarray(x) * 1e6)).astype(np.int64)
        accounts = pl.DataFrame({
            "account_id": acc_s,
            "created_at": pl.Series(us(self.created)).cast(pl.Datetime("us")),
            "account_type": pl.Series(np.array(ATYPES, dtype=object)[self.atype].tolist(), dtype=pl.Utf8),
            "country": pl.Series(CC[self.country].tolist(), dtype=pl.Utf8),
        })
        # signals
        acc, kd, val, seen = (np.concatenate([s[i] for s in self.sg]) for i in range(4))
        seen = np.clip(np.maximum(seen, self.created[acc]), None, END - 1)
        sdf = (pl.DataFrame({"a": acc, "k": kd, "v": val, "s": seen})
               .group_by(["a", "k", "v"]).agg(pl.col("s").min())
               .sort(["a", "k", "s", "v"]))
        uv = np.unique(sdf["v"].to_numpy())
        hx = pl.Series(hexes(uv, self.seed * 7919 + 13), dtype=pl.Utf8)
        vi = np.searchsorted(uv, sdf["v"].to_numpy())
        signals = pl.DataFrame({
            "account_id": acc_s.gather(sdf["a"].to_numpy()),
            "kind": pl.Series(KINDS, dtype=pl.Utf8).gather(sdf["k"].to_numpy().astype(np.int64)),
            "value": hx.gather(vi),
            "seen_at": pl.Series(us(sdf["s"].to_numpy())).cast(pl.Datetime("us")),
        })
        # events
        acc, act, tgt, ts, rt, am = (np.concatenate([e[i] for e in self.ev]) for i in range(6))
        keep = (ts >= 0) & (ts < END) & (ts >= self.created[acc])
        acc, act, tgt, ts, rt, am = acc[keep], act[keep], tgt[keep], ts[keep], rt[keep], am[keep]
        o = np.lexsort((acc, ts))
        acc, act, tgt, ts, rt, am = acc[o], act[o], tgt[o], ts[o], rt[o], am[o]
        bk = hexes(np.arange(self.nbook), self.seed * 104729 + 7, 10)
        tdict = pl.Series(np.concatenate(self.tstr + [np.array(["BK" + b.upper() for b in bk], dtype=object)]).tolist(),
                          dtype=pl.Utf8)
        tpos = np.where(tgt >= BOOK_BASE, self.tsize + (tgt - BOOK_BASE), tgt)
        events = pl.DataFrame({
            "account_id": acc_s.gather(acc),
            "action": pl.Series(ACTIONS, dtype=pl.Utf8).gather(act.astype(np.int64)),
            "target_id": tdict.gather(tpos),
            "ts": pl.Series(us(ts)).cast(pl.Datetime("us")),
            "rating": pl.Series(rt, dtype=pl.Int8),
            "amount": pl.Series(np.round(am, 2), dtype=pl.Float64),
        }).with_columns(
            pl.when(pl.col("rating") > 0).then(pl.col("rating")).otherwise(None).alias("rating"),
            pl.col("amount").fill_nan(None))
        # truth
        gid = np.array([g["gid"] for g in self.groups] + [None], dtype=object)
        gk = np.array([g["kind"] for g in self.groups] + [None], dtype=object)
        gi = np.where(self.gof >= 0, self.gof, len(self.groups))
        truth = pl.DataFrame({
            "account_id": acc_s, "is_bad": pl.Series(self.is_bad.tolist(), dtype=pl.Boolean),
            "group_id": pl.Series(gid[gi].tolist(), dtype=pl.Utf8),
            "group_kind": pl.Series(gk[gi].tolist(), dtype=pl.Utf8)})
        labels = None
        if with_labels:
            lab = np.full(N, -1)
            rate = {"obvious": .35, "medium": .2, "subtle": .1}
            for gi, g in enumerate(self.groups):
                if not g["bad"]:
                    continue
                m = g["members"]
                m = m[self.gof[m] == gi]
                if r.random() < .15:
                    continue
                p = .15 if g["kind"] == "account_takeover" else rate[g["strength"]]
                lab[m[r.random(len(m)) < p]] = 1
            good = ~self.is_bad
            p = np.where(self.gprio <= 5, .07, .035)
            lab[good & (r.random(N) < p)] = 0
            one = np.flatnonzero(lab == 1)
            zero = np.flatnonzero(lab == 0)
            lab[one[r.random(len(one)) < .06]] = 0
            lab[zero[r.random(len(zero)) < .02]] = 1
            li = np.flatnonzero(lab >= 0)
            labels = pl.DataFrame({"account_id": acc_s.gather(li),
                                   "label": pl.Series(lab[li], dtype=pl.Int64)})
        return accounts.sort("created_at", "account_id"), signals, events, labels, truth


def summarize(out, acc, sig, ev, lab, truth, log):
    log("rows: accounts=%d signals=%d events=%d labels=%s truth=%d" % (
        acc.height, sig.height, ev.height, "-" if lab is None else lab.height, truth.height))
    log("bad accounts: %d (%.1f%%)" % (truth["is_bad"].sum(), 100 * truth["is_bad"].mean()))
    g = (truth.filter(pl.col("group_id").is_not_null())
         .group_by("group_kind", "group_id").agg(pl.len().alias("n"), pl.col("is_bad").first())
         .group_by("group_kind").agg(pl.len().alias("groups"), pl.col("is_bad").first().alias("bad"),
                                     pl.col("n").min().alias("min"), pl.col("n").median().alias("median"),
                                     pl.col("n").max().alias("max"), pl.col("n").sum().alias("accounts"))
         .sort("bad", "group_kind", descending=[True, False]))
    with pl.Config(tbl_rows=40, tbl_width_chars=140):
        log(str(g))
    if lab is not None:
        log("labels: %d bad, %d good" % ((lab["label"] == 1).sum(), (lab["label"] == 0).sum()))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    args = ap.parse_args(argv)
    if args.accounts < 2000:
        ap.error("--accounts must be at least 2000")
    log = lambda s: print(s, file=sys.stderr, flush=True)
    t0 = time.time()
    mk = Market(args.accounts, args.seed)
    mk.run(log)
    acc, sig, ev, lab, truth = mk.frames(not args.no_labels)
    os.makedirs(args.out_dir, exist_ok=True)
    acc.write_parquet(os.path.join(args.out_dir, "accounts.parquet"))
    sig.write_parquet(os.path.join(args.out_dir, "signals.parquet"))
    ev.write_parquet(os.path.join(args.out_dir, "events.parquet"))
    truth.write_parquet(os.path.join(args.out_dir, "truth.parquet"))
    lp = os.path.join(args.out_dir, "labels.parquet")
    if lab is not None:
        lab.write_parquet(lp)
    elif os.path.exists(lp):
        os.remove(lp)
    summarize(args.out_dir, acc, sig, ev, lab, truth, log)
    log("wrote %s in %.1fs" % (args.out_dir, time.time() - t0))


if __name__ == "__main__":
    main()

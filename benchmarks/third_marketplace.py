#!/usr/bin/env python
"""A third marketplace, designed independently of syndicate's generator and of the one in
``alt_marketplace.py``: written by a helper who read only the data contract (DESIGN.md), the
README and ``syndicate/evaluate.py``, never the detection code. Its own action names
(``rate:5``, ``heart``, ``sub``), identifier kinds (``device_fp``, ``msisdn``, ``card_hash``),
a pool of rented SMS-verification numbers shared by dense farms and some organic accounts,
carrier IPs on 1,500 accounts, fan communities that react within minutes, households,
agencies, a campus, an office and honest launch bursts.

    python benchmarks/third_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]
    python benchmarks/quality_alt.py --data OUT_DIR [--no-labels] --json

Writes accounts, signals, events, labels and truth (.parquet) into OUT_DIR.  Times are
milliseconds from T0 (Monday 2025-03-03 00:00 UTC) internally; the window is 35 days.
Everything is vectorised numpy; Python loops run over groups only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

SEC = 1000
MIN = 60 * SEC
HOUR = 60 * MIN
DAY = 24 * HOUR
T0_EPOCH_MS = 1_740_960_000_000  # 2025-03-03T00:00:00Z, a Monday
SPAN = 35 * DAY

ACTIONS = ["view", "heart", "reply", "share_out", "bookmark", "sub", "upload", "purchase",
           "rate:1", "rate:2", "rate:3", "rate:4", "rate:5", "login"]
A = {name: i for i, name in enumerate(ACTIONS)}
RATE = np.array([A["rate:1"], A["rate:2"], A["rate:3"], A["rate:4"], A["rate:5"]])
DEDUP_ACTIONS = [A[x] for x in ("heart", "sub", "bookmark", "share_out")] + list(RATE)

COUNTRIES = np.array(["US", "GB", "DE", "BR", "IN", "ID", "PH", "MX", "NG", "FR"])
COUNTRY_TZ = np.array([-5, 0, 1, -3, 5, 7, 8, -6, 1, 1])
COUNTRY_P = np.array([.30, .08, .08, .10, .14, .10, .07, .07, .04, .02])
PLATFORMS = np.array(["app:ios", "app:android", "web"])

# activity profiles by local hour: 0 consumer evening-heavy, 1 office hours, 2 always-on bot
PROFILES = np.array([
    [3, 2, 1.2, .8, .6, .7, 1.2, 2.2, 3, 3.4, 3.6, 3.8, 4.2, 4, 3.8, 3.8, 4, 4.5, 5.2, 6, 6.4, 6, 5, 4],
    [.1, .05, .05, .05, .05, .1, .3, .8, 2, 4, 4, 4, 3.5, 4, 4, 4, 4, 3.5, 2, 1, .8, .6, .4, .2],
    [1] * 24,
], dtype=float)
PROFILES /= PROFILES.max(axis=1, keepdims=True)
WEEKEND = np.array([1.0, 0.25, 1.0])

SIG_KINDS = ["device_fp", "ipv4", "msisdn", "card_hash", "email_hash"]
S = {k: i for i, k in enumerate(SIG_KINDS)}

BAD_KINDS = {"engagement_farm", "sparse_farm", "matrix_ring", "review_ring"}


class Market:
    def __init__(self, n: int, seed: int, sms_share: float = 0.4):
        self.N, self.rng = n, np.random.default_rng(seed)
        self.sms_share = sms_share  # share of dense-farm accounts on the global SMS-activation pool
        self.ev: list[tuple] = []
        self.sig: list[tuple] = []
        self.groups: list[dict] = []

    # ---------------------------------------------------------------- helpers
    def ev_add(self, acc, action, tgt, ts):
        acc = np.asarray(acc, dtype=np.int64)
        n = acc.size
        if n == 0:
            return
        self.ev.append((acc, np.broadcast_to(np.asarray(action, np.int64), n).copy(),
                        np.broadcast_to(np.asarray(tgt, np.int64), n).copy(),
                        np.broadcast_to(np.asarray(ts, np.int64), n).copy()))

    def sig_add(self, acc, kind, val, seen=None):
        acc = np.asarray(acc, dtype=np.int64)
        if acc.size == 0:
            return
        if seen is None:
            lo = np.maximum(self.created[acc], -60 * DAY)
            seen = lo + (self.rng.random(acc.size) * (SPAN - lo)).astype(np.int64)
        self.sig.append((acc, np.full(acc.size, S[kind]), np.broadcast_to(np.asarray(val, np.int64), acc.size).copy(),
                         np.asarray(seen, np.int64)))

    def uniq_vals(self, n):
        return self.rng.integers(1 << 40, 1 << 62, n)

    def ips(self, n):
        """random public-looking IPv4 addresses as 32-bit ints"""
        r = self.rng
        return (r.integers(11, 224, n) << 24) | r.integers(0, 1 << 24, n)

    def times_in(self, lo, hi, tz, prof):
        """times in [lo, hi) thinned by the local-hour profile (vectorised rejection)"""
        r = self.rng
        lo = np.asarray(lo, np.int64)
        n = lo.size
        hi = np.broadcast_to(np.asarray(hi, np.int64), n)
        tz = np.broadcast_to(np.asarray(tz, np.int64), n)
        prof = np.broadcast_to(np.asarray(prof, np.int64), n)
        out = lo + ((hi - lo) * r.random(n)).astype(np.int64)
        todo = np.arange(n)
        for _ in range(40):
            if todo.size == 0:
                break
            t = lo[todo] + ((hi[todo] - lo[todo]) * r.random(todo.size)).astype(np.int64)
            local = t + tz[todo] * HOUR
            hour = (local // HOUR) % 24
            wd = (local // DAY) % 7
            w = PROFILES[prof[todo], hour] * np.where(wd >= 5, WEEKEND[prof[todo]], 1.0)
            ok = r.random(todo.size) < w
            out[todo[ok]] = t[ok]
            todo = todo[~ok]
        return out

    def diurnal_ok(self, ts, tz, prof):
        local = ts + np.asarray(tz) * HOUR
        w = PROFILES[prof, (local // HOUR) % 24] * np.where((local // DAY) % 7 >= 5, WEEKEND[prof], 1.0)
        return self.rng.random(ts.size) < w

    def organic_created(self, n):
        r = self.rng
        before = r.random(n) < 0.78
        age = np.exp(r.uniform(np.log(3), np.log(1500), n)) * DAY
        during = SPAN * np.sqrt(r.random(n)) * 0.97
        return np.where(before, -age, during).astype(np.int64)

    # ---------------------------------------------------------------- plan
    def plan(self):
        r, N = self.rng, self.N

        def cnt(per10k, minimum):
            return max(minimum, int(round(per10k * N / 10_000)))

        plan = []
        plan += [("engagement_farm", int(r.integers(40, 201))) for _ in range(cnt(2.5, 1))]
        plan += [("sparse_farm", int(r.integers(50, 221))) for _ in range(cnt(3.5, 2))]
        plan += [("matrix_ring", 8 + int(52 * r.beta(1.2, 2.5))) for _ in range(cnt(5, 2))]
        plan += [("review_ring", 5 + int(35 * r.beta(1.2, 2.5))) for _ in range(cnt(6, 2))]
        plan += [("household", int(r.choice([2, 3, 4, 5, 6], p=[.45, .25, .15, .1, .05]))) for _ in range(cnt(120, 3))]
        plan += [("campus", int(r.integers(180, 401))) for _ in range(cnt(0.5, 1))]
        plan += [("office", int(r.integers(80, 201))) for _ in range(cnt(0.5, 1))]
        plan += [("fan_community", int(r.integers(30, 151))) for _ in range(cnt(2, 1))]
        plan += [("agency", int(r.integers(10, 41))) for _ in range(cnt(1.5, 1))]
        plan += [("honest_burst", int(r.integers(60, 221))) for _ in range(cnt(1.5, 1))]
        total = sum(s for _, s in plan)
        if total > 0.6 * N:
            raise SystemExit(f"market3: {N} accounts is too few for the planted groups ({total}); use >= 10000")
        perm = r.permutation(N)
        pos, counters = 0, {}
        self.gkind = np.full(N, "organic", dtype=object)
        self.gid = np.full(N, None, dtype=object)
        for kind, size in plan:
            counters[kind] = counters.get(kind, 0) + 1
            gid = f"{kind}-{counters[kind]}"
            members = perm[pos:pos + size]
            pos += size
            self.gkind[members] = kind
            self.gid[members] = gid
            self.groups.append({"kind": kind, "gid": gid, "m": members})
        self.organic_idx = perm[pos:]

        # default (organic) account attributes
        self.country = r.choice(len(COUNTRIES), N, p=COUNTRY_P)
        self.tz = COUNTRY_TZ[self.country].copy()
        self.created = self.organic_created(N)
        self.act = np.exp(r.normal(np.log(9), 1.1, N))
        self.act[r.random(N) < 0.12] *= 0.08
        self.act = np.minimum(self.act, 600)
        self.platform = r.choice(3, N, p=[.35, .5, .15])
        self.prof = np.zeros(N, np.int64)
        self.atype = np.full(N, "personal", dtype=object)
        self.p_follow = np.full(N, 0.45)
        self.p_buy = np.full(N, 0.10)
        # baseline signal propensities
        self.p_home_ip = np.full(N, 0.9)
        self.p_cgnat = np.full(N, 0.5)
        self.p_card = np.full(N, 0.32)
        self.p_phone = np.full(N, 0.55)
        self.own_device = np.ones(N, bool)

    # ---------------------------------------------------------------- catalogue
    def build_catalogue(self):
        r, N = self.rng, self.N
        M = int(N * 0.12)
        pop = (np.arange(1, M + 1) ** -0.95) * np.exp(r.normal(0, .5, M))
        self.prod_pop = r.permutation(pop)
        self.prod_launch = np.where(r.random(M) < .85, -10 * DAY, r.uniform(0, SPAN - 5 * DAY, M)).astype(np.int64)
        self.prod_q = r.beta(5, 1.8, M)
        # creators: organic accounts, Zipf popularity
        n_cr = int(0.035 * N)
        cr = r.choice(self.organic_idx, n_cr, replace=False)
        self.cr_acc = cr
        self.cr_pop = r.permutation((np.arange(1, n_cr + 1) ** -1.0)) * np.exp(r.normal(0, .6, n_cr))
        med = np.median(self.cr_pop)
        self.cr_nposts = np.minimum(1 + r.poisson(3 * (self.cr_pop / med) ** 0.25), 40)
        self.cr_sched = np.zeros(n_cr, bool)
        self.atype[cr] = np.where(r.random(n_cr) < .3, "business", "creator")
        self.cr_med = med

    def add_products(self, n, pop, launch, q):
        start = self.prod_pop.size
        self.prod_pop = np.concatenate([self.prod_pop, np.broadcast_to(pop, n)])
        self.prod_launch = np.concatenate([self.prod_launch, np.broadcast_to(np.asarray(launch, np.int64), n)])
        self.prod_q = np.concatenate([self.prod_q, np.broadcast_to(q, n)])
        return np.arange(start, start + n)

    def add_creators(self, acc, pop, nposts, sched=False):
        acc = np.asarray(acc)
        start = self.cr_acc.size
        self.cr_acc = np.concatenate([self.cr_acc, acc])
        self.cr_pop = np.concatenate([self.cr_pop, np.broadcast_to(pop, acc.size)])
        self.cr_nposts = np.concatenate([self.cr_nposts, np.broadcast_to(nposts, acc.size)])
        self.cr_sched = np.concatenate([self.cr_sched, np.full(acc.size, sched)])
        return np.arange(start, start + acc.size)

    # ---------------------------------------------------------------- group set-up (attributes)
    def prepare_groups(self):
        r = self.rng
        organic_creators = np.arange(self.cr_acc.size)
        idol_pool = r.permutation(organic_creators[self.cr_pop >= np.quantile(self.cr_pop, .6)])
        idol_i = 0
        for g in self.groups:
            m, k, s = g["m"], g["kind"], g["m"].size
            if k == "engagement_farm":
                nb = r.integers(1, 4)
                centers = r.uniform(-70 * DAY, 7 * DAY, nb)
                self.created[m] = (centers[r.integers(0, nb, s)] + r.uniform(0, 6 * HOUR, s)).astype(np.int64)
                self.tz[m] = r.choice([5, 7, 8, 1, -3])
                self.country[m] = np.where(r.random(s) < .6, 0, r.integers(0, len(COUNTRIES), s))
                self.act[m] = np.exp(r.normal(np.log(2), .5, s))
                self.prof[m] = 2
                self.platform[m] = 1
                self.p_home_ip[m], self.p_cgnat[m], self.p_card[m], self.p_phone[m] = 0, .1, 0, 0
                g["infra"] = r.choice(["dc", "resi", "phones"], p=[.5, .3, .2])
                self.own_device[m] = g["infra"] != "phones"
            elif k == "sparse_farm":
                age = r.uniform(20, 400, s)
                batch = r.random(s) < .3
                age[batch] = r.choice(r.uniform(20, 400, max(2, s // 8)), batch.sum()) + r.uniform(0, 1, batch.sum())
                self.created[m] = (-age * DAY).astype(np.int64)
                self.tz[m] = r.choice([5, 7, 8, 1, -3])
                self.act[m] = np.exp(r.normal(np.log(7), .9, s))
                self.p_card[m] = .1
                self.p_phone[m] = .4
            elif k == "matrix_ring":
                c = r.choice(len(COUNTRIES), p=COUNTRY_P)
                self.country[m], self.tz[m] = c, COUNTRY_TZ[c]
                nb = r.integers(2, 6)
                starts = r.uniform(-150 * DAY, 20 * DAY, nb)
                b = r.integers(0, nb, s)
                order = np.argsort(b, kind="stable")
                step = np.zeros(s)
                step[order] = r.uniform(2, 9, s) * MIN
                # sequential creation inside a burst: cumulative steps per burst
                cum = np.zeros(s)
                for bi in range(nb):
                    sel = np.where(b == bi)[0]
                    cum[sel] = np.cumsum(step[sel])
                self.created[m] = (starts[b] + cum).astype(np.int64)
                main = m[np.argmin(self.created[m])]
                self.created[main] -= int(30 * DAY)
                g["main"] = main
                self.atype[main] = "business"
                self.act[m] = np.exp(r.normal(np.log(1.5), .6, s))
                self.platform[m] = r.integers(0, 2)
                g["tier"] = r.choice(["heavy", "card_only", "mixed"], p=[.45, .25, .30])
                if g["tier"] in ("heavy", "mixed"):
                    self.own_device[m] = False
                self.p_card[m] = 0
                self.p_phone[m] = 0
                self.p_home_ip[m] = 0
                g["cr"] = self.add_creators([main], self.cr_med * .4, int(r.integers(4, 13)))
                n_own = int(r.integers(2, 7))
                g["prods"] = self.add_products(n_own, np.median(self.prod_pop) * .3,
                                               int(r.uniform(-30, 15) * DAY), r.beta(2, 3))
                g["rival"] = (r.choice(np.argsort(self.prod_pop)[-200:], int(r.integers(1, 3)), replace=False)
                              if r.random() < .4 else np.array([], np.int64))
            elif k == "review_ring":
                c = r.choice(len(COUNTRIES), p=COUNTRY_P)
                self.country[m], self.tz[m] = c, COUNTRY_TZ[c]
                n_p = int(r.integers(1, 5))
                launch = int(r.uniform(0, SPAN - 12 * DAY))
                g["prods"] = self.add_products(n_p, np.median(self.prod_pop) * .5, launch, r.beta(2, 2.5))
                g["rival"] = (r.choice(np.argsort(self.prod_pop)[-300:], 1) if r.random() < .3
                              else np.array([], np.int64))
                g["d0"] = launch + int(r.uniform(.5, 6) * DAY)
                g["span"] = int(r.uniform(2, 5) * DAY)
                young = r.random(s) < .5
                self.created[m] = np.where(young, g["d0"] - r.uniform(5, 60, s) * DAY, self.created[m]).astype(np.int64)
                self.act[m] = np.exp(r.normal(np.log(4), .8, s))
                g["shared"] = r.choice(["none", "card", "phone"], p=[.7, .15, .15])
            elif k == "household":
                c = r.choice(len(COUNTRIES), p=COUNTRY_P)
                self.country[m], self.tz[m] = c, COUNTRY_TZ[c]
                self.p_home_ip[m] = 0  # replaced by the shared home IP
            elif k in ("campus", "office"):
                c = r.choice(len(COUNTRIES), p=COUNTRY_P)
                self.country[m], self.tz[m] = c, COUNTRY_TZ[c]
                if k == "campus":
                    fresher = r.random(s) < .45
                    wk = r.uniform(-200, -170) * DAY
                    self.created[m] = np.where(fresher, wk + r.uniform(0, 5 * DAY, s), self.created[m]).astype(np.int64)
                    nc = 3
                    g["cr"] = self.add_creators(m[:nc], self.cr_med * 1.5, int(r.integers(5, 15)))
                    self.atype[m[:nc]] = "creator"
                else:
                    self.prof[m] = 1
                self.p_home_ip[m] = .5
            elif k == "fan_community":
                idol_cr = idol_pool[idol_i]
                idol_i += 1
                g["idol_cr"] = idol_cr
                self.cr_nposts[idol_cr] = int(r.integers(10, 26))
                idol = self.cr_acc[idol_cr]
                same = r.random(s) < .7
                self.country[m] = np.where(same, self.country[idol], self.country[m])
                self.tz[m] = COUNTRY_TZ[self.country[m]]
                burst = r.random(s) < .25
                bc = r.uniform(-60, 0) * DAY
                self.created[m] = np.where(burst, bc + r.uniform(0, 3 * DAY, s), self.created[m]).astype(np.int64)
            elif k == "agency":
                self.created[m] = (-r.uniform(180, 1100, s) * DAY).astype(np.int64)
                g["tz"] = int(r.choice(COUNTRY_TZ))
                self.atype[m] = "business"
                self.act[m] *= .3
                self.prof[m] = 1
                self.tz[m] = g["tz"]
                self.own_device[m] = r.random(s) < .5
                g["cr"] = self.add_creators(m, self.cr_med * np.exp(r.normal(.5, .5)), int(r.integers(5, 21)), sched=True)
            elif k == "honest_burst":
                L = int(r.uniform(2, 30) * DAY)
                g["launch"] = L
                g["prod"] = self.add_products(1, np.quantile(self.prod_pop, .97), L, r.beta(8, 2))[0]
        # make every creator's account attributes consistent
        self.cr_start = np.concatenate([[0], np.cumsum(self.cr_nposts)[:-1]])

    # ---------------------------------------------------------------- posts
    def build_posts(self):
        r = self.rng
        n = self.cr_nposts
        pc = np.repeat(np.arange(self.cr_acc.size), n)
        acc = self.cr_acc[pc]
        lo = np.maximum(self.created[acc], 0)
        sched = self.cr_sched[pc]
        t = self.times_in(lo, SPAN - HOUR, self.tz[acc], np.where(sched, 1, self.prof[acc]))
        t = np.where(sched, t - t % (30 * MIN), t)
        self.post_cr, self.post_time = pc, t
        w = self.cr_pop[pc] * np.exp(r.normal(0, .8, pc.size))
        viral = r.random(pc.size) < .012
        w[viral] *= r.uniform(20, 150, viral.sum())
        self.post_w = w
        self.post_cdf = np.cumsum(w)
        self.ev_add(acc, A["upload"], self.T_POST + np.arange(pc.size), t)
        self.prod_cdf = np.cumsum(self.prod_pop)
        # rating pmf per product
        k = np.arange(1, 6)
        mean = 1.8 + 3.0 * self.prod_q
        pmf = np.exp(-(k[None, :] - mean[:, None]) ** 2 / 1.6)
        pmf[:, 0] += 0.10 * (1 - self.prod_q)
        self.prod_cdf5 = np.cumsum(pmf / pmf.sum(1, keepdims=True), axis=1)

    def target_offsets(self):
        self.T_POST = 0
        self.n_posts = int(self.cr_nposts.sum())
        self.T_PROD = self.n_posts
        self.T_ACC = self.T_PROD + self.prod_pop.size
        self.T_APP = self.T_ACC + self.N

    def follows(self):
        r = self.rng
        F = 6
        p = self.cr_pop[:len(self.cr_pop)] ** .8
        cdf = np.cumsum(p)
        self.F = F
        self.follow = np.searchsorted(cdf, r.random((self.N, F)) * cdf[-1], side="right")
        for g in self.groups:
            m, k, s = g["m"], g["kind"], g["m"].size
            if k == "household":
                hf = np.searchsorted(cdf, r.random(F) * cdf[-1], side="right")
                g["hf"] = hf
                take = r.random((s, F)) < .7
                self.follow[m] = np.where(take, hf[None, :], self.follow[m])
            elif k == "campus":
                take = r.random((s, 2)) < .6
                self.follow[m, :2] = np.where(take, r.choice(g["cr"], (s, 2)), self.follow[m, :2])
            elif k == "fan_community":
                self.follow[m, 0] = g["idol_cr"]

    # ---------------------------------------------------------------- organic baseline for everyone
    def baseline(self):
        r, N = self.rng, self.N
        lo = np.maximum(self.created, 0)
        frac = np.clip((SPAN - lo) / SPAN, 0, 1)
        # engagement with posts
        n = r.poisson(self.act * frac * 1.6)
        a = np.repeat(np.arange(N), n)
        ff = r.random(a.size) < self.p_follow[a]
        cr = self.follow[a, r.integers(0, self.F, a.size)]
        pf = self.cr_start[cr] + (r.random(a.size) * self.cr_nposts[cr]).astype(np.int64)
        pg = np.minimum(np.searchsorted(self.post_cdf, r.random(a.size) * self.post_cdf[-1], side="right"),
                        self.n_posts - 1)
        post = np.where(ff, pf, pg)
        ts = self.post_time[post] + np.maximum(np.exp(r.normal(np.log(90 * MIN), 1.7, a.size)), 5 * SEC).astype(np.int64)
        ok = (ts >= lo[a]) & (ts < SPAN) & self.diurnal_ok(ts, self.tz[a], self.prof[a])
        a, post, ts = a[ok], post[ok], ts[ok]
        act = r.choice([A["view"], A["heart"], A["reply"], A["share_out"], A["bookmark"]], a.size,
                       p=[.45, .38, .08, .04, .05])
        self.ev_add(a, act, self.T_POST + post, ts)
        # subscriptions to followed creators
        sub = r.random((N, self.F)) < .3
        a, j = np.nonzero(sub)
        ok = lo[a] < SPAN - HOUR
        a, j = a[ok], j[ok]
        self.ev_add(a, A["sub"], self.T_ACC + self.cr_acc[self.follow[a, j]],
                    self.times_in(lo[a], SPAN, self.tz[a], self.prof[a]))
        # shopping sessions: view, purchase, rating
        n = r.poisson(self.act * frac * .45)
        a = np.repeat(np.arange(N), n)
        pr = np.minimum(np.searchsorted(self.prod_cdf, r.random(a.size) * self.prod_cdf[-1], side="right"),
                        self.prod_pop.size - 1)
        plo = np.maximum(lo[a], self.prod_launch[pr])
        ok = plo < SPAN - HOUR
        a, pr, plo = a[ok], pr[ok], plo[ok]
        ts = self.times_in(plo, SPAN, self.tz[a], self.prof[a])
        self.ev_add(a, A["view"], self.T_PROD + pr, ts)
        buy = r.random(a.size) < self.p_buy[a]
        bt = ts[buy] + (r.uniform(1, 40, buy.sum()) * MIN).astype(np.int64)
        self.ev_add(a[buy], A["purchase"], self.T_PROD + pr[buy], bt)
        rate = r.random(buy.sum()) < .35
        rt = bt[rate] + (r.uniform(1, 12, rate.sum()) * DAY).astype(np.int64)
        ra, rp = a[buy][rate], pr[buy][rate]
        stars = (r.random(rp.size)[:, None] > self.prod_cdf5[rp]).sum(1)
        ok = rt < SPAN
        self.ev_add(ra[ok], RATE[np.minimum(stars[ok], 4)], self.T_PROD + rp[ok], rt[ok])
        # logins
        n = r.poisson((self.act * .4 + 1.5) * frac)
        a = np.repeat(np.arange(N), n)
        self.ev_add(a, A["login"], self.T_APP + self.platform[a], self.times_in(lo[a], SPAN, self.tz[a], self.prof[a]))

    def baseline_signals(self):
        r, N = self.rng, self.N
        allacc = np.arange(N)
        self.sig_add(allacc, "email_hash", self.uniq_vals(N), seen=np.maximum(self.created, -400 * DAY))
        dev = allacc[self.own_device]
        self.sig_add(dev, "device_fp", self.uniq_vals(dev.size))
        two = dev[r.random(dev.size) < .35]
        self.sig_add(two, "device_fp", self.uniq_vals(two.size))
        common = np.arange(N)[r.random(N) < .03]  # factory-image fingerprint collisions (hubs)
        self.sig_add(common, "device_fp", r.choice(np.arange(1, 6), common.size))
        h = allacc[r.random(N) < self.p_home_ip]
        self.sig_add(h, "ipv4", self.ips(h.size))
        pool = self.ips(max(20, N // 60))
        pw = np.arange(1, pool.size + 1) ** -.9
        cg = allacc[r.random(N) < self.p_cgnat]
        for _ in range(2):
            self.sig_add(cg, "ipv4", pool[np.searchsorted(np.cumsum(pw), r.random(cg.size) * pw.sum(), side="right")])
            cg = cg[r.random(cg.size) < .4]
        re = allacc[r.random(N) < .05]  # dynamic IP reuse: unrelated accounts sharing an address
        self.sig_add(re, "ipv4", r.choice(self.ips(max(10, N // 40)), re.size))
        ph = allacc[r.random(N) < self.p_phone]
        self.sig_add(ph, "msisdn", self.uniq_vals(ph.size))
        rc = allacc[r.random(N) < .01]  # recycled numbers
        self.sig_add(rc, "msisdn", r.choice(self.uniq_vals(max(5, N // 250)), rc.size))
        cd = allacc[r.random(N) < self.p_card]
        self.sig_add(cd, "card_hash", self.uniq_vals(cd.size))
        cd2 = cd[r.random(cd.size) < .2]
        self.sig_add(cd2, "card_hash", self.uniq_vals(cd2.size))
        # SMS-activation numbers used by farms and a few organic accounts
        self.sms_pool = self.uniq_vals(300)
        o = allacc[(r.random(N) < .005)]
        self.sig_add(o, "msisdn", r.choice(self.sms_pool, o.size))
        # commercial proxy exits used by ordinary VPN users
        self.vpn_pool = self.ips(40)
        v = allacc[r.random(N) < .02]
        self.sig_add(v, "ipv4", r.choice(self.vpn_pool, v.size))

    # ---------------------------------------------------------------- job targets for farms
    def job_targets(self, J, p_post, p_creator):
        """farm jobs: (kind 0 post / 1 creator / 2 product, target id, earliest start)"""
        r = self.rng
        kind = r.choice(3, J, p=[p_post, p_creator, 1 - p_post - p_creator])
        post = r.integers(0, self.n_posts, J)
        crt = r.choice(self.cr_acc, J)
        prod = np.searchsorted(self.prod_cdf, r.random(J) * self.prod_cdf[-1], side="right").clip(0, self.prod_pop.size - 1)
        tgt = np.select([kind == 0, kind == 1], [self.T_POST + post, self.T_ACC + crt], self.T_PROD + prod)
        early = np.select([kind == 0, kind == 1], [self.post_time[post] + 10 * MIN, np.zeros(J, np.int64)],
                          np.maximum(self.prod_launch[prod], 0))
        ok = early < SPAN - 2 * DAY
        return kind[ok], tgt[ok], early[ok]

    # ---------------------------------------------------------------- group behaviour and identifiers
    def group_activity(self):
        r = self.rng
        for g in self.groups:
            getattr(self, "g_" + g["kind"])(g, g["m"], g["m"].size)

    def g_engagement_farm(self, g, m, s):
        r = self.rng
        J = int(r.integers(15, 51))
        kind, tgt, early = self.job_targets(J, .6, .2)
        J = kind.size
        t0 = (early + r.uniform(0, 36 * HOUR, J)).astype(np.int64)
        t0 = np.where(kind == 0, np.minimum(t0, SPAN - HOUR), early + (r.random(J) * (SPAN - HOUR - early)).astype(np.int64))
        part = r.random((J, s)) < r.uniform(.6, .95, J)[:, None]
        j, i = np.nonzero(part)
        scale = r.uniform(5, 20, J)
        ts = t0[j] + np.minimum(r.exponential(scale[j]), 75) * SEC + r.integers(0, SEC, j.size)
        a = m[i]
        act = np.select([kind[j] == 0, kind[j] == 1], [A["heart"], A["sub"]], A["view"])
        self.ev_add(a, act, tgt[j], ts)
        extra = (kind[j] == 0) & (r.random(j.size) < .25)
        self.ev_add(a[extra], A["share_out"], tgt[j][extra], ts[extra] + r.integers(2, 20, extra.sum()) * SEC)
        pr = kind[j] == 2
        self.ev_add(a[pr], A["rate:5"], tgt[j][pr], ts[pr] + r.integers(5, 40, pr.sum()) * SEC)
        # identifiers
        if g["infra"] == "dc":
            pool = self.ips(int(r.integers(4, 16)))
            for _ in range(3):
                sel = m[r.random(s) < .6]
                self.sig_add(sel, "ipv4", r.choice(pool, sel.size))
        elif g["infra"] == "resi":
            for _ in range(3):
                sel = m[r.random(s) < .7]
                self.sig_add(sel, "ipv4", self.ips(sel.size))
        else:  # racks of real phones, each running several accounts
            dev = self.uniq_vals(max(2, s // 15))
            self.sig_add(m, "device_fp", r.choice(dev, s))
            pool = self.ips(3)
            self.sig_add(m, "ipv4", r.choice(pool, s))
        sms = m[r.random(s) < self.sms_share]
        self.sig_add(sms, "msisdn", r.choice(self.sms_pool, sms.size))

    def g_sparse_farm(self, g, m, s):
        r = self.rng
        J = int(r.integers(40, 91))
        kind, tgt, early = self.job_targets(J, .5, .2)
        J = kind.size
        tz = int(self.tz[m[0]])
        t0 = self.times_in(early, np.minimum(early + 3 * DAY, SPAN - HOUR), np.full(J, tz), np.zeros(J, np.int64))
        frac = r.uniform(.10, .35, J)
        win = r.uniform(4, 20, J) * MIN
        part = r.random((J, s)) < frac[:, None]
        j, i = np.nonzero(part)
        ts = (t0[j] + r.random(j.size) * win[j] + np.abs(r.normal(0, 20 * SEC, j.size))).astype(np.int64)
        a = m[i]
        act = np.select([kind[j] == 0, kind[j] == 1], [A["heart"], A["sub"]], A["view"])
        self.ev_add(a, act, tgt[j], ts)
        rep = (kind[j] == 0) & (r.random(j.size) < .15)
        self.ev_add(a[rep], A["reply"], tgt[j][rep], ts[rep] + r.integers(10, 120, rep.sum()) * SEC)
        pr = kind[j] == 2
        buy = pr & (r.random(j.size) < .4)
        self.ev_add(a[buy], A["purchase"], tgt[j][buy], ts[buy] + r.integers(20, 90, buy.sum()) * SEC)
        self.ev_add(a[pr], A["rate:5"], tgt[j][pr], ts[pr] + r.integers(30, 240, pr.sum()) * SEC)
        # a handful of proxy exits, nothing else in common
        pool = self.ips(int(r.integers(2, 7)))
        self.sig_add(m, "ipv4", r.choice(pool, s))
        two = m[r.random(s) < .3]
        self.sig_add(two, "ipv4", r.choice(pool, two.size))
        g["proxies"] = pool.size
        if r.random() < .5:  # commercial proxy also used by ordinary accounts
            o = r.choice(self.organic_idx, int(r.integers(5, 31)) * pool.size, replace=False)
            self.sig_add(o, "ipv4", r.choice(pool, o.size))
        g["jobs"], g["frac"] = J, float(frac.mean())

    def g_matrix_ring(self, g, m, s):
        r = self.rng
        tz, prof = int(self.tz[m[0]]), 0
        main = g["main"]
        c = g["cr"][0]
        posts = self.cr_start[c] + np.arange(self.cr_nposts[c])
        for p in posts:  # operator switches accounts one after another
            part = m[(r.random(s) < r.uniform(.5, .9)) & (m != main)]
            part = part[self.created[part] < self.post_time[p]]
            steps = np.cumsum(r.uniform(40, 360, part.size)) * SEC
            ts = (self.post_time[p] + r.uniform(5, 60) * MIN + steps).astype(np.int64)
            self.ev_add(part, A["heart"], self.T_POST + p, ts)
            rep = r.random(part.size) < .2
            self.ev_add(part[rep], A["reply"], self.T_POST + p, ts[rep] + 30 * SEC)
        others = m[m != main]
        lo = np.maximum(self.created[others], 0)
        self.ev_add(others, A["sub"], self.T_ACC + main, lo + (r.uniform(10, 2880, others.size) * MIN).astype(np.int64))
        # own products: view, purchase, 5 stars
        k = r.integers(1, 4, others.size)
        a = np.repeat(others, k)
        pr = r.choice(g["prods"], a.size)
        plo = np.maximum(np.maximum(self.created[a], 0), self.prod_launch[pr])
        ok = plo < SPAN - 6 * DAY
        a, pr, plo = a[ok], pr[ok], plo[ok]
        ts = self.times_in(plo, SPAN - 6 * DAY, tz, prof)
        self.ev_add(a, A["view"], self.T_PROD + pr, ts)
        self.ev_add(a, A["purchase"], self.T_PROD + pr, ts + r.integers(2, 30, a.size) * MIN)
        self.ev_add(a, A["rate:5"], self.T_PROD + pr, ts + (r.uniform(1, 5, a.size) * DAY).astype(np.int64))
        if g["rival"].size:
            a = others[r.random(others.size) < r.uniform(.3, .6)]
            pr = r.choice(g["rival"], a.size)
            self.ev_add(a, A["rate:1"], self.T_PROD + pr,
                        self.times_in(np.maximum(self.created[a], 0), SPAN, tz, prof))
        # logins in operator sessions
        sess = self.times_in(np.zeros(int(r.integers(10, 31)), np.int64), SPAN, tz, prof)
        n = r.poisson(6, s)
        a = np.repeat(m, n)
        ts = r.choice(sess, a.size) + (r.uniform(0, 30, a.size) * MIN).astype(np.int64)
        self.ev_add(a, A["login"], self.T_APP + self.platform[a], ts)
        # identifiers
        tier = g["tier"]
        home = self.ips(int(r.integers(1, 3)))
        if tier == "heavy":
            dev = self.uniq_vals(max(1, s // 10 + int(r.integers(0, 2))))
            self.sig_add(m, "device_fp", r.choice(dev, s))
            sec = m[r.random(s) < .25]
            self.sig_add(sec, "device_fp", r.choice(dev, sec.size))
            ph = m[r.random(s) < .7]
            self.sig_add(ph, "msisdn", r.choice(self.uniq_vals(int(r.integers(1, 4))), ph.size))
            cd = m[r.random(s) < .6]
            self.sig_add(cd, "card_hash", r.choice(self.uniq_vals(int(r.integers(1, 4))), cd.size))
            hm = m[r.random(s) < .8]
        elif tier == "card_only":
            cd = m[r.random(s) < .7]
            self.sig_add(cd, "card_hash", r.choice(self.uniq_vals(int(r.integers(1, 3))), cd.size))
            hm = m[r.random(s) < .5]
        else:
            dev = self.uniq_vals(max(2, s // 4))
            self.sig_add(m, "device_fp", r.choice(dev, s))
            ph = m[r.random(s) < .5]
            self.sig_add(ph, "msisdn", r.choice(self.uniq_vals(int(r.integers(1, 3))), ph.size))
            hm = m[r.random(s) < .6]
        self.sig_add(hm, "ipv4", r.choice(home, hm.size))

    def g_review_ring(self, g, m, s):
        r = self.rng
        tz = int(self.tz[m[0]])
        tg = np.concatenate([g["prods"], g["rival"]])
        own = np.concatenate([np.ones(g["prods"].size, bool), np.zeros(g["rival"].size, bool)])
        k = np.minimum(r.integers(1, 5, s), tg.size)
        a = np.repeat(m, k)
        # distinct targets per account: rank random keys
        keys = r.random((s, tg.size)).argsort(1)
        pos = np.arange(a.size) - np.repeat(np.cumsum(k) - k, k)
        ti = keys[np.repeat(np.arange(s), k), pos]
        rt = self.times_in(np.full(a.size, g["d0"]), g["d0"] + g["span"], tz, 0)
        ok = rt < SPAN
        a, ti, rt = a[ok], ti[ok], rt[ok]
        pr = tg[ti]
        stars = np.where(own[ti], np.where(r.random(a.size) < .92, A["rate:5"], A["rate:4"]), A["rate:1"])
        view = rt - (r.uniform(5, 90, a.size) * MIN).astype(np.int64)
        self.ev_add(a, A["view"], self.T_PROD + pr, view)
        buy = r.random(a.size) < .5
        self.ev_add(a[buy], A["purchase"], self.T_PROD + pr[buy], view[buy] + 2 * MIN)
        self.ev_add(a, stars, self.T_PROD + pr, rt)
        if g["shared"] == "card":
            cd = m[r.random(s) < r.uniform(.3, .6)]
            self.sig_add(cd, "card_hash", self.uniq_vals(1)[0])
        elif g["shared"] == "phone":
            ph = m[r.random(s) < r.uniform(.3, .6)]
            self.sig_add(ph, "msisdn", self.uniq_vals(1)[0])

    def g_household(self, g, m, s):
        r = self.rng
        self.sig_add(m, "ipv4", self.ips(1)[0])
        if s >= 2 and r.random() < .6:
            sel = m[r.random(s) < .8]
            self.sig_add(sel, "device_fp", self.uniq_vals(1)[0])
        if r.random() < .4:
            sel = m[r.random(s) < .7]
            self.sig_add(sel, "card_hash", self.uniq_vals(1)[0])
        # watching together
        E = int(r.integers(3, 16))
        cr = r.choice(g["hf"], E)
        p = self.cr_start[cr] + (r.random(E) * self.cr_nposts[cr]).astype(np.int64)
        t = self.post_time[p] + (np.exp(r.normal(np.log(3 * HOUR), 1, E))).astype(np.int64)
        who = r.random((E, s)) < .7
        e, i = np.nonzero(who)
        ts = t[e] + (r.uniform(0, 10, e.size) * MIN).astype(np.int64)
        self.ev_add(m[i], r.choice([A["view"], A["heart"]], e.size), self.T_POST + p[e], ts)

    def g_campus(self, g, m, s):
        r = self.rng
        nat = self.ips(int(r.integers(1, 4)))
        sel = m[r.random(s) < .9]
        self.sig_add(sel, "ipv4", r.choice(nat, sel.size))
        sel = sel[r.random(sel.size) < .5]
        self.sig_add(sel, "ipv4", r.choice(nat, sel.size))
        # lab machines
        for _ in range(int(r.integers(1, 4))):
            self.sig_add(r.choice(m, int(r.integers(3, 9)), replace=False), "device_fp", self.uniq_vals(1)[0])

    def g_office(self, g, m, s):
        r = self.rng
        nat = self.ips(int(r.integers(1, 3)))
        self.sig_add(m, "ipv4", r.choice(nat, s))
        for _ in range(int(r.integers(2, 5))):  # shared kiosk devices
            self.sig_add(r.choice(m, int(r.integers(4, 11)), replace=False), "device_fp", self.uniq_vals(1)[0])

    def g_fan_community(self, g, m, s):
        r = self.rng
        c = g["idol_cr"]
        idol = self.cr_acc[c]
        posts = self.cr_start[c] + np.arange(self.cr_nposts[c])
        pfan = r.uniform(.45, .95, s)
        part = r.random((posts.size, s)) < pfan[None, :]
        j, i = np.nonzero(part)
        mean = r.uniform(2, 7) * MIN
        quick = r.random(j.size) < .85
        delay = np.where(quick, r.exponential(mean, j.size) + 20 * SEC, np.exp(r.normal(np.log(3 * HOUR), 1, j.size)))
        ts = self.post_time[posts[j]] + delay.astype(np.int64)
        a = m[i]
        self.ev_add(a, A["heart"], self.T_POST + posts[j], ts)
        rep = r.random(j.size) < .2
        self.ev_add(a[rep], A["reply"], self.T_POST + posts[j][rep], ts[rep] + r.integers(20, 300, rep.sum()) * SEC)
        sh = r.random(j.size) < .12
        self.ev_add(a[sh], A["share_out"], self.T_POST + posts[j][sh], ts[sh] + r.integers(5, 120, sh.sum()) * SEC)
        self.ev_add(m, A["sub"], self.T_ACC + idol, np.maximum(self.created[m], 0) + r.integers(1, 3 * DAY, s))
        g["idol"] = idol

    def g_agency(self, g, m, s):
        r = self.rng
        dev = self.uniq_vals(int(r.integers(2, 5)))
        for _ in range(2):
            sel = m[r.random(s) < .7]
            self.sig_add(sel, "device_fp", r.choice(dev, sel.size))
        self.sig_add(m, "ipv4", r.choice(self.ips(int(r.integers(1, 3))), s))
        ph = m[r.random(s) < r.uniform(.4, .7)]
        self.sig_add(ph, "msisdn", self.uniq_vals(1)[0])
        cd = m[r.random(s) < .9]
        self.sig_add(cd, "card_hash", self.uniq_vals(cd.size))
        # cross-promotion: a few client accounts heart a client's new post
        for c in g["cr"]:
            owner = self.cr_acc[c]
            posts = self.cr_start[c] + np.arange(self.cr_nposts[c])
            posts = posts[r.random(posts.size) < .35]
            for p in posts:
                who = r.choice(m[m != owner], int(r.integers(1, 4)), replace=False)
                self.ev_add(who, A["heart"], self.T_POST + p,
                            self.post_time[p] + (r.uniform(1, 15, who.size) * MIN).astype(np.int64))
        n = r.poisson(15, s)
        a = np.repeat(m, n)
        self.ev_add(a, A["login"], self.T_APP + 2, self.times_in(np.zeros(a.size, np.int64), SPAN, g["tz"], 1))

    def g_honest_burst(self, g, m, s):
        r = self.rng
        L, pr = g["launch"], g["prod"]
        view = L + np.minimum(r.gamma(1.2, 12 * HOUR, s), 40 * HOUR).astype(np.int64)
        self.ev_add(m, A["view"], self.T_PROD + pr, view)
        buy = view + (r.uniform(2, 60, s) * MIN).astype(np.int64)
        keep = r.random(s) < .9
        self.ev_add(m[keep], A["purchase"], self.T_PROD + pr, buy[keep])
        rt = np.minimum(buy + (r.uniform(1, 30, s) * HOUR).astype(np.int64), L + 48 * HOUR)
        stars = RATE[r.choice(5, s, p=[.05, .04, .09, .27, .55])]
        self.ev_add(m, stars, self.T_PROD + pr, rt)

    # ---------------------------------------------------------------- output
    def build(self):
        t = time.perf_counter()
        self.plan()
        self.build_catalogue()
        self.prepare_groups()
        self.target_offsets()
        self.build_posts()
        self.follows()
        self.baseline()
        self.baseline_signals()
        self.group_activity()
        self.elapsed = time.perf_counter() - t

    def tables(self, labels=True):
        r, N = self.rng, self.N
        ids = np.unique(r.integers(10**8, 10**9, int(N * 1.2)))
        ids = r.permutation(ids)[:N]
        acc_id = pl.select(pl.concat_str(pl.lit("u"), pl.lit(pl.Series(ids).cast(pl.String)))).to_series().alias("account_id")
        to_dt = lambda ms: pl.from_epoch(pl.Series(ms + T0_EPOCH_MS), time_unit="ms").dt.replace_time_zone("UTC")
        accounts = pl.DataFrame({"account_id": acc_id, "created_at": to_dt(self.created),
                                 "account_type": pl.Series(self.atype.tolist(), dtype=pl.String),
                                 "country": pl.Series(COUNTRIES[self.country])})
        # target names
        def named(prefix, n, width):
            return pl.select(pl.concat_str(pl.lit(prefix), pl.lit(pl.Series(np.arange(n)).cast(pl.String).str.zfill(width)))).to_series()
        targets = pl.concat([named("v", self.n_posts, 7), named("sku-", self.prod_pop.size, 6), acc_id,
                             pl.Series(PLATFORMS)])
        ea, eact, et, ets = (np.concatenate([e[i] for e in self.ev]) for i in range(4))
        ok = (ets >= np.maximum(self.created[ea], 0)) & (ets < SPAN) & (ets >= 0)
        ea, eact, et, ets = ea[ok], eact[ok], et[ok], ets[ok]
        ev = pl.DataFrame({"a": ea, "act": eact, "t": et, "ts": ets})
        key = pl.when(pl.col("act").is_in(list(RATE))).then(-1).otherwise(pl.col("act"))
        dedup = pl.col("act").is_in(DEDUP_ACTIONS)
        ev = pl.concat([ev.filter(~dedup),
                        ev.filter(dedup).with_columns(k=key).sort("ts").unique(["a", "k", "t"], keep="first",
                                                                               maintain_order=True).drop("k")])
        ev = ev.sort("ts", "a", "act", "t")
        events = pl.DataFrame({"account_id": acc_id.gather(ev["a"]),
                               "action": pl.Series(np.array(ACTIONS)[ev["act"].to_numpy()]),
                               "target_id": targets.gather(ev["t"]),
                               "ts": to_dt(ev["ts"].to_numpy())})
        sa, sk, sv, ss = (np.concatenate([x[i] for x in self.sig]) for i in range(4))
        sdf = (pl.DataFrame({"a": sa, "k": sk, "v": sv, "s": ss})
               .group_by("a", "k", "v").agg(pl.col("s").min()).sort("a", "k", "v"))
        kind = pl.Series(np.array(SIG_KINDS)[sdf["k"].to_numpy()])
        v = sdf["v"]
        ipstr = pl.select(pl.concat_str([(pl.lit(v) // (1 << 24) % 256).cast(pl.String), (pl.lit(v) // (1 << 16) % 256).cast(pl.String),
                                          (pl.lit(v) // 256 % 256).cast(pl.String), (pl.lit(v) % 256).cast(pl.String)],
                                         separator=".")).to_series()
        prefix = {"device_fp": "dfp:", "msisdn": "msisdn:", "card_hash": "card:", "email_hash": "eh:"}
        vs = v.cast(pl.String)
        value = pl.select(pl.when(pl.lit(kind) == "ipv4").then(pl.lit(ipstr))
                          .otherwise(pl.concat_str(pl.lit(kind).replace_strict(prefix, default=""), pl.lit(vs)))).to_series()
        seen = to_dt(np.maximum(sdf["s"].to_numpy(), self.created[sdf["a"].to_numpy()]))
        signals = pl.DataFrame({"account_id": acc_id.gather(sdf["a"]), "kind": kind, "value": value, "seen_at": seen})
        is_bad = np.isin(self.gkind, list(BAD_KINDS))
        truth = pl.DataFrame({"account_id": acc_id, "group_id": pl.Series(self.gid.tolist(), dtype=pl.String),
                              "group_kind": pl.Series(self.gkind.tolist(), dtype=pl.String), "is_bad": is_bad})
        out = {"accounts": accounts, "signals": signals, "events": events, "truth": truth}
        if labels:
            lab = r.random(N) < .13
            bad_groups = [g for g in self.groups if g["kind"] in BAD_KINDS]
            dark = r.choice(len(bad_groups), max(1, int(round(.3 * len(bad_groups)))), replace=False)
            for d in dark:
                lab[bad_groups[d]["m"]] = False
            self.dark = sorted(bad_groups[d]["gid"] for d in dark)
            out["labels"] = pl.DataFrame({"account_id": acc_id.filter(pl.Series(lab)),
                                          "label": pl.Series(is_bad[lab].astype(np.int64))})
        self.acc_id = acc_id
        return out

    def group_info(self):
        rows = []
        for g in self.groups:
            info = {k: (v if isinstance(v, (int, float, str)) else None) for k, v in g.items() if k in
                    ("infra", "tier", "shared", "jobs", "frac", "proxies")}
            rows.append({"group_id": g["gid"], "group_kind": g["kind"], "size": int(g["m"].size),
                         "detail": ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                             for k, v in info.items() if v is not None)})
        return pl.DataFrame(rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-labels", action="store_true")
    p.add_argument("--sms-share", type=float, default=0.4,
                   help="share of dense-farm accounts verified with numbers from one SMS-activation pool "
                        "shared by all farms (ablation: 0)")
    a = p.parse_args(argv)
    t = time.perf_counter()
    mk = Market(a.accounts, a.seed, a.sms_share)
    mk.build()
    tables = mk.tables(labels=not a.no_labels)
    a.out.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.write_parquet(a.out / f"{name}.parquet")
    mk.group_info().write_csv(a.out / "groups_info.csv")  # not a syndicate input (ignored: not .parquet)
    print(f"market3: {a.accounts} accounts, {tables['events'].height} events, {tables['signals'].height} signals, "
          f"{sum(g['kind'] in BAD_KINDS for g in mk.groups)} bad groups "
          f"({'dark: ' + ', '.join(mk.dark) if not a.no_labels else 'no labels'}) in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""A fourth marketplace: an independent synthetic short-video shop with planted syndicates.

    python benchmarks/fourth_marketplace.py OUTDIR --accounts 20000 --seed S

Written from the data contract alone (DESIGN.md's input tables), without reading syndicate's
code, generators or tests, so that it tests what the toolkit assumes rather than what our
generators make: its own identifier kinds (hw_id, pay_token, cell, client_ip, mail_hash,
ship_addr) and actions (thumbs_up, subscribe, rate_1..rate_5, ...), operators on residential
proxies whose IPs households also use, a links table of friend ties and invites, hijacked
accounts, and benign look-alikes (a viral moment of thousands, giveaways, net cafés on shared
PCs, campuses, carrier NAT IPs of hundreds).

Writes OUTDIR/{accounts,signals,events,labels,links}.parquet (the input data contract) and
OUTDIR/truth.parquet (account_id, is_bad, group_id, group_kind).  Then re-reads the tables
and checks them against the contract.

Everything is built from first principles: a population of ordinary users with tastes,
creators uploading videos, sellers listing products, plus planted bad groups (matrix
operators, engagement farms, review rings, hijacked-account botnets) and planted benign
look-alikes (households, net cafes, campuses, corporate NAT, viral moments, giveaways,
fan communities, shops with staff sharing a phone, heavy users).
"""
import argparse
import os
import sys
import time

os.environ.setdefault("POLARS_MAX_THREADS", "2")
import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

MIN, HOUR, DAY = 60, 3600, 86400
T0 = int(np.datetime64("2024-03-04T00:00:00", "s").astype(np.int64))  # event window start
WIN = 56 * DAY
T1 = T0 + WIN                                                            # event window end
HIST = 3 * 365 * DAY                                                     # account history

ACTIONS = ["login", "thumbs_up", "subscribe", "reply", "share", "purchase",
           "rate_1", "rate_2", "rate_3", "rate_4", "rate_5", "upload", "list_item"]
A = {a: i for i, a in enumerate(ACTIONS)}
TK_ACC, TK_VID, TK_ITM, TK_APP = 0, 1, 2, 3
APPS = ["android-31.2", "android-31.4", "android-30.9", "ios-31.2", "ios-31.3", "web", "ipad-31.2", "tv-app-4"]
APP_P = np.array([0.30, 0.18, 0.07, 0.22, 0.08, 0.10, 0.03, 0.02])
SIG = ["hw_id", "pay_token", "cell", "client_ip", "mail_hash", "ship_addr"]
S = {k: i for i, k in enumerate(SIG)}
COUNTRIES = ["US", "GB", "DE", "BR", "MX", "ID", "PH", "VN", "IN", "TR"]
COUNTRY_P = np.array([0.22, 0.07, 0.06, 0.12, 0.08, 0.14, 0.10, 0.08, 0.09, 0.04])
COUNTRY_TZ = np.array([-5, 0, 1, -3, -6, 7, 8, 7, 5.5, 3]) * HOUR
N_TOPICS = 24
# local-time hour weights (people sleep)
HOUR_W = np.array([3, 2, 1.2, 0.8, 0.6, 0.7, 1.2, 2.2, 3, 3.4, 3.6, 3.8,
                   4.2, 4.2, 4, 4, 4.3, 4.8, 5.6, 6.4, 6.8, 6.6, 5.6, 4.2])
HOUR_C = np.cumsum(HOUR_W) / HOUR_W.sum()


class World:
    def __init__(self, n, seed):
        self.rng = rng = np.random.default_rng(seed)
        self.n = n
        self.scale = n / 20000.0
        # --- accounts ---
        age = (HIST + WIN) * rng.random(n) ** 1.4
        self.created = (T1 - age).astype(np.int64)
        self.country = rng.choice(len(COUNTRIES), n, p=COUNTRY_P)
        self.tz = COUNTRY_TZ[self.country].astype(np.int64)
        self.rate = rng.lognormal(np.log(21.0), 0.95, n)              # organic events / window
        dormant = rng.random(n) < 0.12
        self.rate[dormant] *= 0.08
        self.topic = np.minimum((rng.zipf(1.35, n) - 1), N_TOPICS - 1)
        self.topic = rng.permutation(N_TOPICS)[self.topic]
        self.atype = np.zeros(n, np.int8)  # 0 personal, 1 creator, 2 seller
        self.platform = rng.choice(len(APPS), n, p=APP_P)
        # base-signal switches
        self.skip_dev = np.zeros(n, bool)
        self.skip_ip = np.zeros(n, bool)
        self.skip_pay = np.zeros(n, bool)
        self.skip_cell = np.zeros(n, bool)
        self.skip_ship = np.zeros(n, bool)
        self.no_home_ip = np.zeros(n, bool)
        # truth
        self.is_bad = np.zeros(n, bool)
        self.gid = np.full(n, -1, np.int64)
        self.kind_override = np.full(n, "", dtype=object)
        self.groups = []          # (group_id, kind, is_bad, size)
        self.kind_count = {}
        # accumulators
        self.ev = {"acc": [], "act": [], "tk": [], "ti": [], "ts": []}
        self.sg = {"acc": [], "kind": [], "val": [], "seen": []}
        self.lk = {"a": [], "b": [], "kind": [], "w": []}
        self.nval = np.zeros(len(SIG), np.int64)
        self.vid = {"owner": np.zeros(0, np.int64), "t": np.zeros(0, np.int64),
                    "w": np.zeros(0), "topic": np.zeros(0, np.int64)}
        self.itm = {"owner": np.zeros(0, np.int64), "t": np.zeros(0, np.int64), "w": np.zeros(0)}
        self.n_vid = 0
        self.n_itm = 0
        # residential IP space (home lines; residential proxies exit through the same space)
        self.res_n = int(12 * n)
        self.res_base = self.new_vals("client_ip", self.res_n)
        # mobile-carrier CGNAT gateways: shared by very many unrelated users
        self.cgnat = self.new_vals("client_ip", max(8, int(60 * self.scale)))
        self.cgnat_w = rng.lognormal(0, 0.7, len(self.cgnat))
        self.cgnat_w /= self.cgnat_w.sum()
        # pools
        order = rng.permutation(n)
        n_cre = int(0.03 * n)
        n_sel = int(0.02 * n)
        self.creators = order[:n_cre]
        self.sellers = order[n_cre:n_cre + n_sel]
        self.atype[self.creators] = 1
        self.atype[self.sellers] = 2
        self.free = order[n_cre + n_sel:]
        self.cre_pop = np.zeros(n)
        self.cre_pop[self.creators] = rng.lognormal(0, 1.6, n_cre)
        self.sel_pop = np.zeros(n)
        self.sel_pop[self.sellers] = rng.lognormal(0, 1.2, n_sel)
        self.topic[self.creators] = rng.integers(0, N_TOPICS, n_cre)
        self.used_creator = np.zeros(n, bool)   # creators already used as planted targets
        self.used_seller = np.zeros(n, bool)

    # ------------------------------------------------------------------ helpers
    def new_vals(self, kind, k):
        k = int(k)
        i = S[kind]
        out = np.arange(self.nval[i], self.nval[i] + k)
        self.nval[i] += k
        return out

    def res_ip(self, k):
        return self.res_base[self.rng.integers(0, self.res_n, int(k))]

    def add_ev(self, acc, act, tk, ti, ts):
        acc = np.asarray(acc, np.int64)
        m = acc.shape[0]
        if m == 0:
            return
        b = lambda x: np.broadcast_to(np.asarray(x, np.int64), (m,)).copy()  # noqa: E731
        self.ev["acc"].append(acc)
        self.ev["act"].append(b(act))
        self.ev["tk"].append(b(tk))
        self.ev["ti"].append(b(ti))
        self.ev["ts"].append(np.asarray(np.broadcast_to(np.asarray(ts), (m,)), np.float64).astype(np.int64))

    def add_sig(self, acc, kind, val, seen):
        acc = np.asarray(acc, np.int64)
        m = acc.shape[0]
        if m == 0:
            return
        self.sg["acc"].append(acc)
        self.sg["kind"].append(np.full(m, S[kind], np.int64))
        self.sg["val"].append(np.broadcast_to(np.asarray(val, np.int64), (m,)).copy())
        self.sg["seen"].append(np.broadcast_to(np.asarray(seen, np.float64), (m,)).astype(np.int64))

    def add_link(self, a, b, kind, w):
        a = np.asarray(a, np.int64)
        b = np.asarray(b, np.int64)
        if a.shape[0] == 0:
            return
        self.lk["a"].append(a)
        self.lk["b"].append(b)
        self.lk["kind"].append(np.full(a.shape[0], kind, dtype=object))
        self.lk["w"].append(np.broadcast_to(np.asarray(w, np.float64), a.shape).copy())

    def add_videos(self, owner, t, w, topic):
        owner = np.asarray(owner, np.int64)
        k = owner.shape[0]
        tt = np.broadcast_to(np.asarray(t, np.float64), (k,)).astype(np.int64)
        new = {"owner": owner, "t": tt, "w": np.broadcast_to(np.asarray(w, np.float64), (k,)),
               "topic": np.broadcast_to(np.asarray(topic, np.int64), (k,))}
        for key in self.vid:
            self.vid[key] = np.concatenate([self.vid[key], new[key]])
        ids = np.arange(self.n_vid, self.n_vid + k)
        self.n_vid += k
        # uploads inside the window are events
        m = tt >= T0
        self.add_ev(owner[m], A["upload"], TK_VID, ids[m], tt[m])
        return ids

    def add_items(self, owner, t, w):
        owner = np.asarray(owner, np.int64)
        k = owner.shape[0]
        tt = np.broadcast_to(np.asarray(t, np.float64), (k,)).astype(np.int64)
        new = {"owner": owner, "t": tt, "w": np.broadcast_to(np.asarray(w, np.float64), (k,))}
        for key in self.itm:
            self.itm[key] = np.concatenate([self.itm[key], new[key]])
        ids = np.arange(self.n_itm, self.n_itm + k)
        self.n_itm += k
        m = tt >= T0
        self.add_ev(owner[m], A["list_item"], TK_ITM, ids[m], tt[m])
        return ids

    def new_group(self, kind, bad, members):
        k = self.kind_count.get(kind, 0) + 1
        self.kind_count[kind] = k
        gid = len(self.groups)
        self.groups.append((f"{kind}-{k}", kind, bad, len(members)))
        self.gid[members] = gid
        self.is_bad[members] = bad
        return gid

    def take(self, k, pred=None):
        k = int(k)
        if pred is None:
            sel = self.free[:k]
            self.free = self.free[k:]
        else:
            cand = np.flatnonzero(pred[self.free])[:k]
            sel = self.free[cand]
            self.free = np.delete(self.free, cand)
        return sel

    def pick_creator(self, small=False, big=False):
        """A plain creator not yet used as a planted target."""
        rng = self.rng
        c = self.creators[~self.used_creator[self.creators]]
        w = self.cre_pop[c]
        if small:
            w = 1.0 / (w + 0.3)
        elif big:
            w = w ** 2
        c = rng.choice(c, p=w / w.sum())
        self.used_creator[c] = True
        return int(c)

    def pick_seller(self):
        s = self.sellers[~self.used_seller[self.sellers]]
        s = int(self.rng.choice(s))
        self.used_seller[s] = True
        return s

    def diurnal(self, t, tz):
        """Move times to a local-time hour drawn from the daily activity curve (same local day)."""
        rng = self.rng
        t = np.asarray(t, np.float64)
        local = t + tz
        day = np.floor(local / DAY)
        h = np.searchsorted(HOUR_C, rng.random(t.shape[0]))
        t2 = day * DAY + h * HOUR + rng.random(t.shape[0]) * HOUR - tz
        return t2

    def uniform_t(self, lo, hi, tz):
        rng = self.rng
        lo = np.asarray(lo, np.float64)
        hi = np.asarray(hi, np.float64)
        t = lo + rng.random(lo.shape[0]) * (hi - lo)
        t2 = self.diurnal(t, tz)
        ok = (t2 >= lo) & (t2 < hi)
        return np.where(ok, t2, t)

    # ------------------------------------------------------------------ content
    def content(self):
        rng = self.rng
        c = self.creators
        nv = 1 + rng.poisson(rng.lognormal(np.log(7), 0.7, c.shape[0]))
        owner = np.repeat(c, nv)
        lo = np.maximum(self.created[owner], T0 - 60 * DAY)
        t = lo + rng.random(owner.shape[0]) * (T1 - 2 * HOUR - lo)
        t = self.diurnal(t, self.tz[owner])
        t = np.clip(t, self.created[owner], T1 - HOUR)
        w = self.cre_pop[owner] * rng.lognormal(0, 1.0, owner.shape[0]) * np.where(t >= T0, 1.0, 0.25)
        self.add_videos(owner, t, w, self.topic[owner])
        s = self.sellers
        ni = 1 + rng.poisson(7, s.shape[0])
        owner = np.repeat(s, ni)
        lo = np.maximum(self.created[owner], T0 - 120 * DAY)
        t = lo + rng.random(owner.shape[0]) * (T1 - DAY - lo)
        t = np.clip(t, self.created[owner], T1 - HOUR)
        w = self.sel_pop[owner] * rng.lognormal(0, 1.0, owner.shape[0])
        self.add_items(owner, t, w)

    # ================================================================== BAD groups
    def plant_matrix(self, k):
        rng = self.rng
        for _ in range(k):
            s = int(8 + 32 * rng.beta(1.1, 2.0))
            mem = self.take(s)
            nb = rng.integers(1, 5)
            bt = rng.uniform(T0 - 300 * DAY, T0 + 20 * DAY, nb)
            cr = bt[rng.integers(0, nb, s)] + rng.uniform(0, rng.uniform(0.3, 8) * HOUR, s)
            aged = rng.random(s) < rng.uniform(0, 0.3)       # bought / aged accounts
            cr[aged] = T0 - rng.uniform(60, 900, aged.sum()) * DAY
            self.created[mem] = cr.astype(np.int64)
            self.tz[mem] = self.tz[mem[0]]
            self.country[mem] = self.country[mem[0]]
            self.rate[mem] = rng.lognormal(np.log(rng.uniform(2, 10)), 0.6, s)  # camouflage
            self.topic[mem] = rng.integers(0, N_TOPICS, s)
            self.skip_dev[mem] = self.skip_ip[mem] = self.skip_pay[mem] = True
            self.skip_cell[mem] = self.skip_ship[mem] = True
            plat = rng.choice(len(APPS), p=APP_P)
            self.platform[mem] = plat
            nf = 1 if s < 16 else 2
            fronts = mem[:nf]
            self.atype[fronts] = rng.choice([1, 2], nf)
            self.new_group("matrix", True, mem)
            # --- the operator's own content
            fv_owner = np.repeat(fronts, rng.integers(4, 16, nf))
            lo = np.maximum(T0, self.created[fv_owner] + DAY)
            fv_t = lo + rng.random(fv_owner.shape[0]) * (T1 - DAY - lo)
            fvid = self.add_videos(fv_owner, fv_t, rng.lognormal(-1.5, 0.8, fv_owner.shape[0]),
                                   self.topic[fv_owner])
            fi_owner = np.repeat(fronts, rng.integers(3, 11, nf))
            lo = np.maximum(T0 - 20 * DAY, self.created[fi_owner] + DAY)
            fi_t = lo + rng.random(fi_owner.shape[0]) * (T1 - 5 * DAY - lo)
            fitm = self.add_items(fi_owner, fi_t, rng.lognormal(-1.5, 0.8, fi_owner.shape[0]))
            fv_t = fv_t.astype(np.int64)
            fi_t = fi_t.astype(np.int64)
            # --- identifiers
            cr = self.created[mem]
            ndev, npay = rng.integers(1, 5), rng.integers(1, 4)
            devs = self.new_vals("hw_id", ndev)
            pays = self.new_vals("pay_token", npay)
            spoof = rng.random(s) < rng.uniform(0.0, 0.35)
            dev = np.where(spoof, self.new_vals("hw_id", s), devs[rng.integers(0, ndev, s)])
            self.add_sig(mem, "hw_id", dev, cr)
            two = (~spoof) & (rng.random(s) < 0.3) & (ndev > 1)
            dev2 = devs[rng.integers(0, ndev, s)]
            two &= dev2 != dev
            self.add_sig(mem[two], "hw_id", dev2[two], cr[two] + rng.uniform(1, 30, two.sum()) * DAY)
            hp = rng.random(s) < rng.uniform(0.3, 0.9)
            self.add_sig(mem[hp], "pay_token", pays[rng.integers(0, npay, hp.sum())], cr[hp] + HOUR)
            home = self.res_ip(rng.integers(1, 3))
            uh = rng.random(s) < rng.uniform(0.15, 0.7)
            self.add_sig(mem[uh], "client_ip", home[rng.integers(0, home.shape[0], uh.sum())], cr[uh])
            nprox = rng.integers(1, 4, s)
            pa = np.repeat(mem, nprox)
            self.add_sig(pa, "client_ip", self.res_ip(pa.shape[0]),
                         np.maximum(self.created[pa], T0 - 30 * DAY) + rng.uniform(0, 50, pa.shape[0]) * DAY)
            hc = rng.random(s) < 0.5
            self.add_sig(mem[hc], "cell", self.new_vals("cell", hc.sum()), cr[hc])
            drop = self.new_vals("ship_addr", rng.integers(1, 3))
            sh = rng.random(s) < rng.uniform(0.2, 0.8)
            self.add_sig(mem[sh], "ship_addr", drop[rng.integers(0, drop.shape[0], sh.sum())], cr[sh] + DAY)
            # invites from the front account (some operators are careless)
            inv = (rng.random(s) < rng.uniform(0, 0.5)) & (np.arange(s) >= nf)
            self.add_link(fronts[0] + 0 * mem[inv], mem[inv], "invite", 1.0)
            # --- scripted sessions: the operator cycles through accounts on his devices
            pushers = mem[nf:] if s > nf else mem
            nsess = rng.integers(8, 30)
            p_join = rng.uniform(0.3, 0.9)
            for _s in range(nsess):
                t = rng.uniform(T0 + HOUR, T1 - 6 * HOUR)
                part = pushers[(rng.random(pushers.shape[0]) < p_join) & (self.created[pushers] < t - HOUR)]
                if part.shape[0] == 0:
                    continue
                part = rng.permutation(part)
                m = part.shape[0]
                ts = t + np.cumsum(rng.uniform(15, 300, m))
                self.add_ev(part, A["login"], TK_APP, self.platform[part], ts - rng.uniform(3, 40, m))
                avail = fvid[fv_t < t]
                if avail.shape[0]:
                    v = rng.choice(avail[-4:], m) if rng.random() < 0.7 else rng.choice(avail, m)
                    lk = rng.random(m) < 0.9
                    self.add_ev(part[lk], A["thumbs_up"], TK_VID, v[lk], ts[lk] + rng.uniform(2, 40, lk.sum()))
                    rp = rng.random(m) < 0.3
                    self.add_ev(part[rp], A["reply"], TK_VID, v[rp], ts[rp] + rng.uniform(10, 90, rp.sum()))
                    sh_ = rng.random(m) < 0.25
                    self.add_ev(part[sh_], A["share"], TK_VID, v[sh_], ts[sh_] + rng.uniform(10, 90, sh_.sum()))
                sb = rng.random(m) < 0.35
                self.add_ev(part[sb], A["subscribe"], TK_ACC, rng.choice(fronts, sb.sum()),
                            ts[sb] + rng.uniform(2, 60, sb.sum()))
                iav = fitm[fi_t < t]
                if iav.shape[0]:
                    pb = rng.random(m) < 0.25
                    it = rng.choice(iav, pb.sum())
                    tb = ts[pb] + rng.uniform(20, 120, pb.sum())
                    self.add_ev(part[pb], A["purchase"], TK_ITM, it, tb)
                    rr = rng.random(pb.sum()) < 0.7
                    self.add_ev(part[pb][rr], A["rate_5"], TK_ITM, it[rr], tb[rr] + rng.uniform(1, 6, rr.sum()) * DAY)

    def plant_farms(self, k):
        rng = self.rng
        cand_v = None
        for _ in range(k):
            s = int(rng.uniform(50, 300) if rng.random() < 0.7 else rng.uniform(50, 120))
            mem = self.take(s)
            nw = rng.integers(2, 5)
            cen = rng.uniform(T0 - 400 * DAY, T0 + 10 * DAY, nw)
            cr = cen[rng.integers(0, nw, s)] + rng.normal(0, rng.uniform(3, 15), s) * DAY
            old = rng.random(s) < 0.3
            cr[old] = T0 - rng.uniform(30, 1000, old.sum()) * DAY
            self.created[mem] = np.minimum(cr, T1 - 7 * DAY).astype(np.int64)
            ctry = rng.choice(len(COUNTRIES), p=COUNTRY_P)
            self.country[mem] = np.where(rng.random(s) < 0.8, ctry, self.country[mem])
            self.tz[mem] = COUNTRY_TZ[self.country[mem]].astype(np.int64)
            self.skip_ip[mem] = True
            self.new_group("farm", True, mem)
            # proxy pool: every proxy IP shared by several workers, no shared devices
            P = max(4, s // int(rng.integers(3, 9)))
            pool = self.new_vals("client_ip", P)
            nip = rng.integers(2, 6, s)
            pa = np.repeat(mem, nip)
            self.add_sig(pa, "client_ip", pool[rng.integers(0, P, pa.shape[0])],
                         np.maximum(self.created[pa], T0 - 60 * DAY) + rng.uniform(0, 55, pa.shape[0]) * DAY)
            hm = rng.random(s) < 0.5
            self.add_sig(mem[hm], "client_ip", self.res_ip(hm.sum()), self.created[mem[hm]])
            cg = rng.random(s) < 0.4
            self.add_sig(mem[cg], "client_ip", rng.choice(self.cgnat, cg.sum(), p=self.cgnat_w),
                         self.created[mem[cg]] + DAY)
            # referral-bonus chains
            ref = rng.random(s) < rng.uniform(0, 0.3)
            self.add_link(rng.choice(mem, ref.sum()), mem[ref], "invite", 1.0)
            # jobs: customers buy engagement on their videos / channels
            if cand_v is None:
                cand_v = np.flatnonzero((self.vid["t"] >= T0) & (self.atype[self.vid["owner"]] == 1)
                                        & (self.gid[self.vid["owner"]] < 0))
            J = rng.integers(15, 50)
            for _j in range(J):
                v = int(rng.choice(cand_v))
                vt = self.vid["t"][v]
                start = vt + rng.uniform(0.3 * HOUR, 2 * DAY)
                if start > T1 - HOUR:
                    start = vt + rng.uniform(0, T1 - HOUR - vt)
                frac = rng.uniform(0.10, 0.35)
                part = mem[(rng.random(s) < frac) & (self.created[mem] < start)]
                m = part.shape[0]
                spread = rng.uniform(2, 8) * MIN
                ts = start + rng.uniform(0, spread, m) + rng.exponential(45, m)
                late = rng.random(m) < 0.08
                ts[late] += rng.uniform(10, 60, late.sum()) * MIN
                r = rng.random()
                if r < 0.55:
                    self.add_ev(part, A["thumbs_up"], TK_VID, v, ts)
                elif r < 0.80:
                    self.add_ev(part, A["subscribe"], TK_ACC, self.vid["owner"][v], ts)
                else:
                    self.add_ev(part, A["reply"], TK_VID, v, ts)
                    self.add_ev(part, A["thumbs_up"], TK_VID, v, ts - rng.uniform(3, 30, m))

    def plant_rings(self, k):
        rng = self.rng
        for _ in range(k):
            s = int(5 + 35 * rng.beta(1.1, 2.2))
            mem = self.take(s)
            seller = self.pick_seller()
            npd = rng.integers(5, 16)
            tl = rng.uniform(T0, T1 - 12 * DAY)
            prods = self.add_items(np.full(npd, seller), tl + rng.uniform(0, 2 * DAY, npd),
                                   rng.lognormal(-1, 0.6, npd))
            ptime = (tl + 2 * DAY)
            camp = ptime + rng.uniform(0.5, 5) * DAY
            D = rng.uniform(2, 4) * DAY
            if rng.random() < 0.5:   # freshly registered ring
                cr = camp - rng.uniform(2, 30) * DAY + rng.uniform(-2, 2, s) * DAY
            else:                    # aged / bought accounts
                cr = T0 - rng.uniform(30, 900, s) * DAY
            self.created[mem] = np.minimum(cr, camp - HOUR).astype(np.int64)
            self.rate[mem] = rng.lognormal(np.log(4), 0.7, s)
            self.new_group("ring", True, mem)
            nr = rng.integers(2, 7, s)
            acc = np.repeat(mem, nr)
            # each member rates distinct products (mostly)
            key = rng.random((s, npd)).argsort(axis=1)
            pos = np.concatenate([np.arange(x) for x in nr]) % npd
            it = prods[key[np.repeat(np.arange(s), nr), pos]]
            ts = camp + rng.random(acc.shape[0]) * D
            ts = np.maximum(ts, self.created[acc] + HOUR)
            star = np.where(rng.random(acc.shape[0]) < (0.9 if rng.random() < 0.3 else 1.0), A["rate_5"], A["rate_4"])
            pbuy = rng.choice([0.0, 0.5, 0.9])
            bb = rng.random(acc.shape[0]) < pbuy
            self.add_ev(acc[bb], A["purchase"], TK_ITM, it[bb],
                        np.maximum(ts[bb] - rng.uniform(1 * HOUR, 2 * DAY, bb.sum()), ptime))
            for st in (A["rate_4"], A["rate_5"]):
                m = star == st
                self.add_ev(acc[m], st, TK_ITM, it[m], ts[m])
            if rng.random() < 0.3:   # also trash a competitor
                comp = rng.choice(self.itm["owner"].shape[0])
                m = rng.random(s) < 0.5
                self.add_ev(mem[m], A["rate_1"], TK_ITM, comp, camp + rng.random(m.sum()) * D)
            if rng.random() < 0.35:  # sloppy: coordinator's VPN exit shared by part of the ring
                vpn = self.new_vals("client_ip", rng.integers(1, 3))
                m = rng.random(s) < rng.uniform(0.3, 0.7)
                self.add_sig(mem[m], "client_ip", rng.choice(vpn, m.sum()), camp - rng.uniform(0, 3, m.sum()) * DAY)

    def plant_hijack(self, k):
        rng = self.rng
        med = np.median(self.rate)
        for _ in range(k):
            s = int(rng.integers(30, 81))
            mem = self.take(s, (self.created < T0 - 365 * DAY) & (self.rate > med))
            self.new_group("hijack", True, mem)
            ta = rng.uniform(T0 + 10 * DAY, T1 - 6 * DAY)
            D = int(rng.integers(2, 6))
            nben = rng.integers(1, 4)
            bens = [self.pick_creator(small=True) for _ in range(nben)]
            vo = np.repeat(np.array(bens), 4)[:rng.integers(4, 4 * nben + 1)]
            vt = ta + rng.uniform(-1, D - 0.5, vo.shape[0]) * DAY
            vids = self.add_videos(vo, vt, rng.lognormal(-1, 0.5, vo.shape[0]), self.topic[vo])
            apool = self.new_vals("client_ip", rng.integers(4, 12))
            self.add_sig(mem, "client_ip", rng.choice(apool, s), ta - rng.uniform(0, 12 * HOUR, s))
            nd = rng.random(s) < 0.4
            self.add_sig(mem[nd], "hw_id", self.new_vals("hw_id", nd.sum()), ta - rng.uniform(0, 12 * HOUR, nd.sum()))
            for d in range(D):
                lg = rng.random(s) < 0.8
                self.add_ev(mem[lg], A["login"], TK_APP, APPS.index("web"),
                            ta + d * DAY + rng.uniform(0, 3 * HOUR, lg.sum()))
            targets = [(TK_ACC, b, max(ta, 0.0)) for b in bens] + [(TK_VID, v, t) for v, t in zip(vids, vt)]
            p = rng.uniform(0.7, 0.95)
            for tk, ti, tt in targets:
                st = max(tt, ta) + rng.uniform(0, max(HOUR, ta + D * DAY - max(tt, ta) - HOUR))
                part = mem[rng.random(s) < p]
                ts = st + rng.uniform(0, rng.uniform(3, 15) * MIN, part.shape[0])
                self.add_ev(part, A["subscribe"] if tk == TK_ACC else A["thumbs_up"], tk, ti, ts)

    # ================================================================== BENIGN groups
    def plant_households(self, k):
        rng = self.rng
        sizes = rng.choice([2, 3, 4, 5, 6], k, p=[0.36, 0.30, 0.19, 0.10, 0.05])
        mem = self.take(sizes.sum())
        k = int(np.searchsorted(np.cumsum(sizes), mem.shape[0], side="right"))
        sizes = sizes[:k]
        mem = mem[:sizes.sum()]
        hh = np.repeat(np.arange(k), sizes)
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        head = mem[first][hh]
        for i in range(k):
            self.new_group("household", False, mem[hh == i])
        self.country[mem] = self.country[head]
        self.tz[mem] = self.tz[head]
        same_day = (rng.random(k) < 0.3)[hh]
        self.created[mem] = np.where(same_day, self.created[head] + rng.uniform(0, 6 * HOUR, mem.shape[0]),
                                     self.created[mem]).astype(np.int64)
        fam_topic = rng.integers(0, N_TOPICS, k)[hh]
        self.topic[mem] = np.where(rng.random(mem.shape[0]) < 0.5, fam_topic, self.topic[mem])
        self.no_home_ip[mem] = True
        self.skip_ship[mem] = True
        cr = self.created[mem]
        home = self.res_ip(k)
        self.add_sig(mem, "client_ip", home[hh], cr)
        tab = rng.random(k) < 0.5
        tdev = self.new_vals("hw_id", k)
        m = tab[hh] & (rng.random(mem.shape[0]) < 0.85)
        self.add_sig(mem[m], "hw_id", tdev[hh[m]], cr[m] + DAY)
        card = rng.random(k) < 0.4
        tok = self.new_vals("pay_token", k)
        m = card[hh] & (rng.random(mem.shape[0]) < 0.8)
        self.add_sig(mem[m], "pay_token", tok[hh[m]], cr[m] + DAY)
        addr = self.new_vals("ship_addr", k)
        m = rng.random(mem.shape[0]) < 0.7
        self.add_sig(mem[m], "ship_addr", addr[hh[m]], cr[m] + DAY)
        # within-family pairs: contact matches, invites, follows
        ii, jj = [], []
        for sz in range(2, 7):
            a, b = np.triu_indices(sz, 1)
            hs = np.flatnonzero(sizes == sz)
            ii.append((first[hs][:, None] + a[None, :]).ravel())
            jj.append((first[hs][:, None] + b[None, :]).ravel())
        ii = mem[np.concatenate(ii)]
        jj = mem[np.concatenate(jj)]
        self.add_link(ii, jj, "contact_match", rng.uniform(0.3, 0.95, ii.shape[0]))
        inv = rng.random(ii.shape[0]) < 0.25
        self.add_link(ii[inv], jj[inv], "invite", 1.0)
        f = rng.random(ii.shape[0]) < 0.3
        later = np.maximum(self.created[ii[f]], self.created[jj[f]])
        self.add_ev(jj[f], A["subscribe"], TK_ACC, ii[f], self.uniform_t(np.maximum(later, T0), np.full(f.sum(), T1), self.tz[jj[f]]))

    def plant_nat(self, kind, k, lo, hi):
        rng = self.rng
        for _ in range(k):
            s = int(rng.uniform(lo, hi) * max(self.scale, 0.2))
            mem = self.take(s)
            self.new_group(kind, False, mem)
            ctry = rng.choice(len(COUNTRIES), p=COUNTRY_P)
            self.country[mem] = np.where(rng.random(s) < 0.9, ctry, self.country[mem])
            self.tz[mem] = COUNTRY_TZ[self.country[mem]].astype(np.int64)
            if kind == "campus":
                sem = rng.choice([int(np.datetime64("2023-09-04", "s").astype(np.int64)),
                                  int(np.datetime64("2024-02-05", "s").astype(np.int64))])
                b = rng.random(s) < 0.6
                self.created[mem[b]] = (sem + rng.normal(0, 5, b.sum()) * DAY).astype(np.int64)
                t0 = rng.integers(0, N_TOPICS)
                self.topic[mem] = np.where(rng.random(s) < 0.3, t0, self.topic[mem])
                nip = rng.integers(2, 5)
            elif kind == "corp_nat":
                nip = rng.integers(1, 3)
            else:
                nip = 1
            ips = self.new_vals("client_ip", nip)
            per = rng.integers(1, min(nip, 2) + 1, s)
            pa = np.repeat(mem, per)
            self.add_sig(pa, "client_ip", ips[rng.integers(0, nip, pa.shape[0])],
                         np.maximum(self.created[pa], T0 - 90 * DAY) + rng.uniform(0, 20, pa.shape[0]) * DAY)
            if kind == "netcafe":
                npc = rng.integers(8, 31)
                pcs = self.new_vals("hw_id", npc)
                only = rng.random(s) < 0.4      # people who only ever use the cafe
                self.skip_dev[mem[only]] = True
                self.skip_ip[mem[only]] = True
                self.skip_cell[mem[only]] = rng.random(only.sum()) < 0.5
                per = rng.integers(1, 4, s)
                pa = np.repeat(mem, per)
                self.add_sig(pa, "hw_id", pcs[rng.integers(0, npc, pa.shape[0])], self.created[pa])
                self.rate[mem] *= 0.7
            if kind == "campus":
                a = rng.choice(mem, 2 * s)
                b = rng.choice(mem, 2 * s)
                m = a != b
                self.add_link(a[m], b[m], "contact_match", rng.uniform(0.02, 0.3, m.sum()))

    def plant_viral(self, size):
        rng = self.rng
        c = self.pick_creator(big=True)
        tv = rng.uniform(T0 + 5 * DAY, T1 - 4 * DAY)
        v = self.add_videos([c], [tv], [self.cre_pop[c] * 3], [self.topic[c]])[0]
        mem = self.take(size, self.created < tv - HOUR)
        m = mem.shape[0]
        self.new_group("viral", False, mem)
        ts = tv + rng.lognormal(np.log(rng.uniform(4, 9) * MIN), 0.9, m)
        self.add_ev(mem, A["thumbs_up"], TK_VID, v, ts)
        for act, p, d in ((A["subscribe"], 0.15, 600), (A["reply"], 0.05, 300), (A["share"], 0.10, 900)):
            x = rng.random(m) < p
            self.add_ev(mem[x], act, TK_ACC if act == A["subscribe"] else TK_VID,
                        c if act == A["subscribe"] else v, ts[x] + rng.uniform(5, d, x.sum()))

    def plant_giveaway(self, k):
        rng = self.rng
        for _ in range(k):
            c = self.pick_creator()
            tp = rng.uniform(T0 + 3 * DAY, T1 - 2 * DAY)
            v = self.add_videos([c], [tp], [self.cre_pop[c]], [self.topic[c]])[0]
            s = int(rng.uniform(200, 600) * max(self.scale, 0.2))
            mem = self.take(s, self.created < tp - HOUR)
            m = mem.shape[0]
            self.new_group("giveaway", False, mem)
            ts = tp + 60 * MIN * rng.beta(1.2, 3.0, m)
            self.add_ev(mem, A["reply"], TK_VID, v, ts)
            x = rng.random(m) < 0.85
            self.add_ev(mem[x], A["subscribe"], TK_ACC, c, ts[x] - rng.uniform(5, 120, x.sum()))
            x = rng.random(m) < 0.7
            self.add_ev(mem[x], A["thumbs_up"], TK_VID, v, ts[x] - rng.uniform(5, 60, x.sum()))
            x = rng.random(m) < 0.5
            self.add_ev(mem[x], A["share"], TK_VID, v, ts[x] + rng.uniform(5, 120, x.sum()))

    def plant_fans(self, k):
        rng = self.rng
        for _ in range(k):
            s = int(rng.uniform(100, 400) * max(self.scale, 0.2))
            mem = self.take(s)
            self.new_group("fandom", False, mem)
            nc = rng.integers(3, 9)
            cs = np.array([self.pick_creator(big=rng.random() < 0.5) for _ in range(nc)])
            t0 = self.topic[cs[0]]
            self.topic[mem] = np.where(rng.random(s) < 0.7, t0, self.topic[mem])
            # follows (some of them happen in the window)
            a = np.repeat(mem, nc)
            c = np.tile(cs, s)
            f = (rng.random(a.shape[0]) < 0.8) & (rng.random(a.shape[0]) < 0.4)
            self.add_ev(a[f], A["subscribe"], TK_ACC, c[f],
                        self.uniform_t(np.maximum(self.created[a[f]], T0), np.full(f.sum(), T1), self.tz[a[f]]))
            vv = np.flatnonzero(np.isin(self.vid["owner"], cs) & (self.vid["t"] >= T0))
            q = rng.uniform(0.25, 0.6)
            notif = rng.random(s) < 0.3     # fans with notifications on react within minutes
            for v in vv:
                vt = self.vid["t"][v]
                x = rng.random(s) < q
                p = mem[x]
                med = np.where(notif[x], 6 * MIN, 90 * MIN)
                ts = vt + rng.lognormal(np.log(med), 1.2)
                self.add_ev(p, A["thumbs_up"], TK_VID, v, ts)
                r = rng.random(p.shape[0]) < 0.1
                self.add_ev(p[r], A["reply"], TK_VID, v, ts[r] + rng.uniform(10, 600, r.sum()))
                r = rng.random(p.shape[0]) < 0.05
                self.add_ev(p[r], A["share"], TK_VID, v, ts[r] + rng.uniform(10, 600, r.sum()))

    def plant_shops(self, k):
        rng = self.rng
        for _ in range(k):
            owner = self.pick_seller()
            ns = int(rng.integers(1, 7))
            staff = self.take(ns)
            mem = np.concatenate([[owner], staff])
            self.new_group("shop", False, mem)
            self.country[staff] = self.country[owner]
            self.tz[staff] = self.tz[owner]
            cr = self.created[mem]
            phone = self.new_vals("hw_id", 1)[0]
            line = self.new_vals("cell", 1)[0]
            wifi = self.res_ip(1)[0]
            self.add_sig(mem, "hw_id", phone, cr + DAY)
            self.add_sig(mem, "cell", line, cr + DAY)
            self.add_sig(mem, "client_ip", wifi, cr + DAY)
            self.skip_cell[staff] = rng.random(ns) < 0.5
            pay = rng.random(ns + 1) < np.r_[1.0, np.full(ns, 0.3)]
            self.add_sig(mem[pay], "pay_token", self.new_vals("pay_token", 1)[0], cr[pay] + DAY)
            self.skip_pay[owner] = True
            a = np.repeat(owner, ns)
            self.add_link(a, staff, "contact_match", rng.uniform(0.2, 0.8, ns))
            # the shop's own short videos; staff answer comments and give the odd like
            nv = rng.integers(3, 9)
            vt = rng.uniform(T0, T1 - DAY, nv)
            vids = self.add_videos(np.full(nv, owner), vt, rng.lognormal(-1, 0.8, nv), np.full(nv, self.topic[owner]))
            for v, t in zip(vids, vt):
                x = rng.random(ns) < 0.6
                self.add_ev(staff[x], A["reply"], TK_VID, v, t + rng.uniform(0.2, 30, x.sum()) * HOUR)
                x = rng.random(ns) < 0.4
                self.add_ev(staff[x], A["thumbs_up"], TK_VID, v, t + rng.uniform(0.05, 10, x.sum()) * HOUR)
            its = np.flatnonzero(self.itm["owner"] == owner)
            its = its[self.itm["t"][its] >= T0]
            if its.shape[0]:
                x = rng.random(its.shape[0]) < 0.5
                self.add_ev(rng.choice(staff, x.sum()), A["list_item"], TK_ITM, its[x], self.itm["t"][its[x]] + rng.uniform(60, 3 * HOUR, x.sum()))

    def plant_heavy(self, k):
        mem = self.take(k)
        self.rate[mem] = np.maximum(self.rate[mem], 13) * self.rng.uniform(6, 15, mem.shape[0])
        self.kind_override[mem] = "heavy_user"

    # ================================================================== background
    def base_signals(self):
        rng = self.rng
        n = self.n
        allacc = np.arange(n)
        cr = self.created
        self.add_sig(allacc, "mail_hash", self.new_vals("mail_hash", n), cr)
        a = allacc[~self.skip_dev]
        k = 1 + (rng.random(a.shape[0]) < 0.25) + (rng.random(a.shape[0]) < 0.05)
        a = np.repeat(a, k)
        self.add_sig(a, "hw_id", self.new_vals("hw_id", a.shape[0]), cr[a] + rng.uniform(0, 200, a.shape[0]) * DAY * (rng.random(a.shape[0]) < 0.3))
        a = allacc[~self.skip_cell & (rng.random(n) < 0.8)]
        cells = self.new_vals("cell", a.shape[0])
        rec = rng.random(a.shape[0]) < 0.01        # recycled phone numbers
        cells[rec] = rng.choice(cells, rec.sum())
        self.add_sig(a, "cell", cells, cr[a])
        a = allacc[~self.skip_pay]
        k = (rng.random(a.shape[0]) < 0.55).astype(int) + (rng.random(a.shape[0]) < 0.1)
        a = np.repeat(a, k)
        self.add_sig(a, "pay_token", self.new_vals("pay_token", a.shape[0]), cr[a] + rng.uniform(0, 30, a.shape[0]) * DAY)
        ipok = ~self.skip_ip
        a = allacc[ipok & ~self.no_home_ip & (rng.random(n) < 0.9)]
        self.add_sig(a, "client_ip", self.res_ip(a.shape[0]), cr[a])
        a = allacc[ipok & (rng.random(n) < 0.5)]
        self.add_sig(a, "client_ip", rng.choice(self.cgnat, a.shape[0], p=self.cgnat_w),
                     np.maximum(cr[a], T0 - 30 * DAY) + rng.uniform(0, 40, a.shape[0]) * DAY)
        a = np.repeat(allacc[ipok], rng.poisson(0.6, ipok.sum()))
        self.add_sig(a, "client_ip", self.res_ip(a.shape[0]), np.maximum(cr[a], T0 - 30 * DAY) + rng.uniform(0, 50, a.shape[0]) * DAY)
        a = allacc[~self.skip_ship & (rng.random(n) < 0.6)]
        self.add_sig(a, "ship_addr", self.new_vals("ship_addr", a.shape[0]), cr[a] + DAY)
        # everyday social ties
        m = int(0.6 * n)
        x, y = rng.integers(0, n, m), rng.integers(0, n, m)
        ok = (x != y) & (self.gid[x] < 0) & (self.gid[y] < 0)
        self.add_link(x[ok], y[ok], "contact_match", rng.uniform(0.02, 0.4, ok.sum()))
        m = int(0.04 * n)
        x, y = rng.integers(0, n, m), rng.integers(0, n, m)
        ok = x != y
        self.add_link(x[ok], y[ok], "invite", 1.0)

    def organic(self):
        rng = self.rng
        n = self.n
        start = np.maximum(self.created, T0)
        frac = np.clip((T1 - start) / WIN, 0, 1)
        k = rng.poisson(self.rate * frac)
        acc = np.repeat(np.arange(n), k)
        m = acc.shape[0]
        names = ["login", "thumbs_up", "subscribe", "reply", "share", "purchase",
                 "rate_1", "rate_2", "rate_3", "rate_4", "rate_5"]
        p = np.array([0.16, 0.43, 0.06, 0.10, 0.06, 0.08, 0.004, 0.003, 0.005, 0.012, 0.026])
        act = rng.choice(len(names), m, p=p / p.sum())
        lo = start[acc].astype(np.float64)
        tz = self.tz[acc]
        ts = self.uniform_t(lo, np.full(m, float(T1)), tz)
        tk = np.full(m, TK_APP)
        ti = self.platform[acc].copy()
        other = rng.random(m) < 0.1
        ti[other] = rng.choice(len(APPS), other.sum(), p=APP_P)
        # --- video actions: taste (topic) + popularity; attention decays after upload
        isv = np.isin(act, [1, 3, 4])
        vw = self.vid["w"]
        vt = self.vid["t"]
        vtop = self.vid["topic"]
        gc = np.cumsum(vw)
        idx = np.flatnonzero(isv)
        use_topic = rng.random(idx.shape[0]) < 0.6
        vsel = np.searchsorted(gc, rng.random(idx.shape[0]) * gc[-1])
        atop = self.topic[acc[idx]]
        for t in range(N_TOPICS):
            vv = np.flatnonzero(vtop == t)
            sel = np.flatnonzero(use_topic & (atop == t))
            if vv.shape[0] == 0 or sel.shape[0] == 0:
                continue
            c = np.cumsum(vw[vv])
            vsel[sel] = vv[np.searchsorted(c, rng.random(sel.shape[0]) * c[-1])]
        vsel = np.minimum(vsel, vw.shape[0] - 1)
        base = np.maximum(vt[vsel], lo[idx])
        fresh = rng.random(idx.shape[0]) < 0.65
        tv = np.where(fresh, base + rng.exponential(1.5 * DAY, idx.shape[0]),
                      base + rng.random(idx.shape[0]) * (T1 - base))
        ts[idx] = tv
        tk[idx] = TK_VID
        ti[idx] = vsel
        # --- follows: creators by popularity (taste-biased)
        idx = np.flatnonzero(act == 2)
        cw = self.cre_pop[self.creators]
        c = np.cumsum(cw)
        csel = self.creators[np.searchsorted(c, rng.random(idx.shape[0]) * c[-1])]
        same = rng.random(idx.shape[0]) < 0.5
        for t in range(N_TOPICS):
            cc = self.creators[self.topic[self.creators] == t]
            sel = np.flatnonzero(same & (self.topic[acc[idx]] == t))
            if cc.shape[0] == 0 or sel.shape[0] == 0:
                continue
            c2 = np.cumsum(self.cre_pop[cc])
            csel[sel] = cc[np.searchsorted(c2, rng.random(sel.shape[0]) * c2[-1])]
        tk[idx] = TK_ACC
        ti[idx] = csel
        # --- shopping
        idx = np.flatnonzero(act >= 5)
        iw = np.cumsum(self.itm["w"])
        isel = np.minimum(np.searchsorted(iw, rng.random(idx.shape[0]) * iw[-1]), iw.shape[0] - 1)
        tk[idx] = TK_ITM
        ti[idx] = isel
        ts[idx] = np.maximum(ts[idx], self.itm["t"][isel] + rng.uniform(0, 3 * DAY, idx.shape[0]))
        act_code = np.array([A[x] for x in names])[act]
        self.add_ev(acc, act_code, tk, ti, ts)

    # ================================================================== assembly
    def build(self):
        sc = self.scale
        r = lambda x: max(1, int(round(x * sc)))  # noqa: E731
        self.content()
        self.plant_matrix(r(10))
        self.plant_farms(r(8))
        self.plant_rings(r(10))
        self.plant_hijack(1 + int(self.rng.random() < 0.5))
        self.plant_households(r(500))
        self.plant_nat("netcafe", r(3), 100, 300)
        self.plant_nat("campus", r(2), 250, 500)
        self.plant_nat("corp_nat", r(2), 80, 220)
        self.plant_viral(int(0.15 * self.n))
        self.plant_viral(int(0.05 * self.n))
        self.plant_giveaway(r(3))
        self.plant_fans(r(6))
        self.plant_shops(r(30))
        self.plant_heavy(r(200))
        self.base_signals()
        self.organic()



def _hexids(rng, n, prefix, nbytes=6):
    while True:
        x = rng.integers(0, 2 ** (8 * nbytes), n, dtype=np.uint64)
        if np.unique(x).shape[0] == n:
            break
    fmt = "{}{:0%dx}" % (2 * nbytes)
    return [fmt.format(prefix, int(v)) for v in x]


def write(world, out):
    rng = np.random.default_rng(world.rng.integers(2 ** 62))
    n = world.n
    os.makedirs(out, exist_ok=True)
    acc_ids = _hexids(rng, n, "u", 6)
    acc_s = pl.Series("account_id", acc_ids, dtype=pl.Utf8)
    dt = lambda x: pl.Series(np.asarray(x, np.int64) * 1_000_000).cast(pl.Datetime("us"))  # noqa: E731
    tzname = {0: "personal", 1: "creator", 2: "seller"}
    accounts = pl.DataFrame({
        "account_id": acc_s,
        "created_at": dt(world.created),
        "account_type": pl.Series([tzname[int(x)] for x in world.atype], dtype=pl.Utf8),
        "country": pl.Series(np.array(COUNTRIES)[world.country]),
    })
    # ---- events
    E = {k: np.concatenate(v) for k, v in world.ev.items()}
    ok = (E["ts"] >= T0) & (E["ts"] < T1) & (E["ts"] >= world.created[E["acc"]])
    E = {k: v[ok] for k, v in E.items()}
    nv, ni = world.vid["owner"].shape[0], world.itm["owner"].shape[0]
    vocab = acc_ids + _hexids(rng, nv, "vid_", 5) + _hexids(rng, ni, "sku_", 5) + APPS
    off = np.array([0, n, n + nv, n + nv + ni])
    gidx = off[E["tk"]] + E["ti"]
    ev = pl.DataFrame({"a": E["acc"], "act": E["act"], "g": gidx, "ts": E["ts"],
                       "tk": E["tk"], "ti": E["ti"]})
    # no self-follows; a like / follow is recorded once (first time)
    ev = ev.filter(~((pl.col("tk") == TK_ACC) & (pl.col("ti") == pl.col("a"))))
    ev = ev.sort("ts")
    once = pl.col("act").is_in([A["thumbs_up"], A["subscribe"]])
    ev = pl.concat([ev.filter(~once), ev.filter(once).unique(["a", "act", "g"], keep="first", maintain_order=True)]).sort("ts")
    events = pl.DataFrame({
        "account_id": acc_s.gather(ev["a"]),
        "action": pl.Series(ACTIONS).gather(ev["act"]),
        "target_id": pl.Series(vocab, dtype=pl.Utf8).gather(ev["g"]),
        "ts": dt(ev["ts"].to_numpy()),
    })
    # ---- signals: one row per account-identifier pair, first time seen
    G = {k: np.concatenate(v) for k, v in world.sg.items()}
    sg = pl.DataFrame({"a": G["acc"], "k": G["kind"], "v": G["val"],
                       "seen": np.clip(np.maximum(G["seen"], world.created[G["acc"]]), None, T1 - 1)})
    sg = sg.group_by(["a", "k", "v"]).agg(pl.col("seen").min()).sort(["seen", "a"])
    # opaque identifier values: one random token per (kind, value)
    koff = np.concatenate([[0], np.cumsum(world.nval)[:-1]])
    used = np.unique(koff[sg["k"].to_numpy()] + sg["v"].to_numpy())
    tok = _hexids(rng, used.shape[0], "", 8)
    pos = np.searchsorted(used, koff[sg["k"].to_numpy()] + sg["v"].to_numpy())
    signals = pl.DataFrame({
        "account_id": acc_s.gather(sg["a"]),
        "kind": pl.Series(SIG).gather(sg["k"]),
        "value": pl.Series(tok, dtype=pl.Utf8).gather(pos),
        "seen_at": dt(sg["seen"].to_numpy()),
    })
    # ---- links
    L = {k: np.concatenate(v) for k, v in world.lk.items()}
    a, b = np.minimum(L["a"], L["b"]), np.maximum(L["a"], L["b"])
    lk = pl.DataFrame({"a": a, "b": b, "kind": L["kind"].astype(str), "w": L["w"]})
    lk = lk.filter(pl.col("a") != pl.col("b")).unique(["a", "b", "kind"], keep="first", maintain_order=True)
    # orientation: random (links come from another system)
    flip = rng.random(lk.height) < 0.5
    aa = np.where(flip, lk["b"].to_numpy(), lk["a"].to_numpy())
    bb = np.where(flip, lk["a"].to_numpy(), lk["b"].to_numpy())
    links = pl.DataFrame({"account_a": acc_s.gather(aa), "account_b": acc_s.gather(bb),
                          "kind": lk["kind"], "weight": lk["w"].round(3)})
    # ---- labels: past investigations (skewed towards suspicious accounts), ~5% wrong
    share = rng.uniform(0.03, 0.05)
    w = np.where(world.is_bad, 3.0, 1.0)
    lab_idx = rng.choice(n, int(share * n), replace=False, p=w / w.sum())
    lab = world.is_bad[lab_idx].astype(np.int64)
    flipl = rng.random(lab.shape[0]) < 0.05
    lab[flipl] = 1 - lab[flipl]
    labels = pl.DataFrame({"account_id": acc_s.gather(np.sort(lab_idx)),
                           "label": pl.Series(lab[np.argsort(lab_idx)], dtype=pl.Int64)})
    # ---- truth
    gnames = np.array([g[0] for g in world.groups] + [None], dtype=object)
    gkinds = np.array([g[1] for g in world.groups] + [None], dtype=object)
    gi = np.where(world.gid >= 0, world.gid, len(world.groups))
    kind = gkinds[gi]
    ho = world.kind_override == "heavy_user"
    kind[ho] = "heavy_user"
    truth = pl.DataFrame({"account_id": acc_s, "is_bad": pl.Series(world.is_bad),
                          "group_id": pl.Series(list(gnames[gi]), dtype=pl.Utf8),
                          "group_kind": pl.Series(list(kind), dtype=pl.Utf8)})
    # shuffle row order of accounts so nothing leaks through position
    perm = rng.permutation(n)
    accounts = accounts[perm]
    truth = truth[perm]
    for name, df in (("accounts", accounts), ("signals", signals), ("events", events),
                     ("labels", labels), ("links", links), ("truth", truth)):
        df.write_parquet(os.path.join(out, f"{name}.parquet"))
    return dict(accounts=accounts, signals=signals, events=events, labels=labels, links=links,
                truth=truth, label_flips=int(flipl.sum()))


def check(out):
    """Re-read OUTDIR and check it against the input data contract."""
    errs = []
    T = {nm: pl.read_parquet(os.path.join(out, f"{nm}.parquet"))
         for nm in ("accounts", "signals", "events", "labels", "links", "truth")}
    want = {
        "accounts": {"account_id": pl.Utf8, "created_at": pl.Datetime},
        "signals": {"account_id": pl.Utf8, "kind": pl.Utf8, "value": pl.Utf8, "seen_at": pl.Datetime},
        "events": {"account_id": pl.Utf8, "action": pl.Utf8, "target_id": pl.Utf8, "ts": pl.Datetime},
        "labels": {"account_id": pl.Utf8, "label": pl.Int64},
        "links": {"account_a": pl.Utf8, "account_b": pl.Utf8, "kind": pl.Utf8, "weight": pl.Float64},
        "truth": {"account_id": pl.Utf8, "is_bad": pl.Boolean},
    }
    for nm, cols in want.items():
        df = T[nm]
        for c, ty in cols.items():
            if c not in df.columns:
                errs.append(f"{nm}.{c} missing")
                continue
            dtp = df.schema[c]
            if not (dtp == ty or (ty == pl.Datetime and isinstance(dtp, pl.Datetime))):
                errs.append(f"{nm}.{c} dtype {dtp} != {ty}")
            if isinstance(dtp, pl.Datetime) and dtp.time_zone is not None:
                errs.append(f"{nm}.{c} has a time zone")
            nnull = df[c].null_count()
            if nnull:
                errs.append(f"{nm}.{c} has {nnull} nulls")
    ids = T["accounts"]["account_id"]
    if ids.n_unique() != ids.len():
        errs.append("accounts.account_id not unique")
    idset = set(ids.to_list())
    for nm, cs in (("signals", ["account_id"]), ("events", ["account_id"]), ("labels", ["account_id"]),
                   ("links", ["account_a", "account_b"]), ("truth", ["account_id"])):
        for c in cs:
            miss = T[nm].filter(~pl.col(c).is_in(ids.implode())).height
            if miss:
                errs.append(f"{nm}.{c}: {miss} rows reference unknown accounts")
    if T["labels"]["account_id"].n_unique() != T["labels"].height:
        errs.append("labels: duplicate accounts")
    if not set(T["labels"]["label"].unique().to_list()) <= {0, 1}:
        errs.append("labels.label not in {0,1}")
    d = T["signals"].select(["account_id", "kind", "value"]).is_duplicated().sum()
    if d:
        errs.append(f"signals: {d} duplicated account-kind-value rows")
    if set(T["truth"]["account_id"].to_list()) != idset:
        errs.append("truth does not cover exactly the accounts")
    # events never precede the account's creation
    e = T["events"].join(T["accounts"].select(["account_id", "created_at"]), on="account_id")
    early = e.filter(pl.col("ts") < pl.col("created_at")).height
    if early:
        errs.append(f"events: {early} before account creation")
    fol = T["events"].filter(pl.col("action") == "subscribe")
    bad_f = fol.filter(~pl.col("target_id").is_in(ids.implode())).height
    if bad_f:
        errs.append(f"events: {bad_f} subscribe targets are not accounts")
    return errs, T


def summary(T):
    tr = T["truth"]
    g = (tr.filter(pl.col("group_id").is_not_null())
         .group_by(["group_kind", "is_bad", "group_id"]).len()
         .group_by(["group_kind", "is_bad"])
         .agg(pl.len().alias("groups"), pl.col("len").sum().alias("accounts"),
              pl.col("len").min().alias("min"), pl.col("len").median().alias("median"),
              pl.col("len").max().alias("max"))
         .sort(["is_bad", "accounts"], descending=[True, True]))
    return g


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("outdir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.accounts < 5000:
        sys.exit("--accounts must be at least 5000 (planted groups need room)")
    t = time.time()
    w = World(args.accounts, args.seed)
    w.build()
    res = write(w, args.outdir)
    errs, T = check(args.outdir)
    pl.Config.set_tbl_rows(40)
    print(f"wrote {args.outdir} in {time.time() - t:.1f}s")
    for nm in ("accounts", "signals", "events", "labels", "links"):
        print(f"  {nm:9s} {T[nm].height:>8,d} rows  {T[nm].columns}")
    print(f"  events/account {T['events'].height / args.accounts:.1f}; "
          f"bad accounts {int(T['truth']['is_bad'].sum())}; labels flipped {res['label_flips']}")
    print(summary(T))
    print(T["events"].group_by("action").len().sort("len", descending=True))
    print(T["signals"].group_by("kind").agg(pl.len(), pl.col("value").n_unique().alias("distinct")).sort("kind"))
    print(T["links"].group_by("kind").len())
    if errs:
        print("CONTRACT CHECK FAILED:\n  " + "\n  ".join(errs))
        sys.exit(1)
    print("contract check: OK")


if __name__ == "__main__":
    main()

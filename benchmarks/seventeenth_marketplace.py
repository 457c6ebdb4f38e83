#!/usr/bin/env python
"""Hopwise: a synthetic ride-hailing and food-courier platform (seventeenth marketplace).

Written from the input data contract in DESIGN.md alone (no detection code read).

    python benchmarks/seventeenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Writes OUT_DIR/accounts.parquet, signals.parquet, events.parquet, links.parquet,
labels.csv (unless --no-labels) and truth.parquet.

The platform
------------
Riders, drivers and couriers in eight European cities, six months of activity (2024-01-01 to
2024-07-01 UTC). A real trip/order export is flattened into events:

  rider   ride_request / ride_cancel  -> pickup cell (H3-like id)
          rate_driver / tip_driver    -> driver account          (stars / tip in `value`)
          food_order                  -> merchant id
          rate_courier                -> courier account
          promo_apply                 -> promo code
          referral_redeem             -> referrer account
          card_added / chargeback     -> payment-method token (pm_...)
          giftcard_buy                -> gift-card SKU
          login_new_device            -> handset model string
  driver  trip_end / rate_rider       -> rider account           (fare / stars in `value`)
          go_online / queue_enter     -> cell / airport or station queue cell
          quest_bonus                 -> weekly incentive quest id
          payout_weekly / cashout_instant -> payout destination token (po_...)
  courier order_pickup                -> merchant id
          order_dropoff               -> customer (rider) account
          go_online, payout_weekly, cashout_instant as drivers

Signals (hashed, opaque): handset_id, msisdn_hash, email_hash, ip_addr, card_fingerprint,
payout_iban, id_document, plate_number, home_geohash, business_profile.
Links: kyc_face_match pairs from an identity-verification vendor (weight = similarity).

Bad groups: collusion_ring, emulator_farm, promo_ring, referral_chain, ato_wave,
courier_rental (+ lone_fraud singletons, group_id null).
Benign look-alikes: airport_queue, station_queue, stadium_exit, corporate_account,
family_household, fleet_operator, campus_cohort, carrier_nat_cohort, recycled_phone_pair,
dual_role_pair.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import polars as pl

DAY = 86400
HOUR = 3600
MIN = 60
WEEK = 7 * DAY
START = 1704067200            # 2024-01-01 00:00 UTC (a Monday)
NDAYS = 182
END = START + NDAYS * DAY     # 2024-07-01
NWEEKS = NDAYS // 7           # 26

RIDER, DRIVER, COURIER = 0, 1, 2
TYPE_NAMES = np.array(["rider", "driver", "courier"])

CITIES = [  # name, country, size weight, code
    ("lisbon", "PT", 1.0, "LIS"), ("porto", "PT", 0.55, "OPO"),
    ("madrid", "ES", 1.5, "MAD"), ("valencia", "ES", 0.6, "VLC"),
    ("warsaw", "PL", 1.2, "WAW"), ("krakow", "PL", 0.6, "KRK"),
    ("bucharest", "RO", 1.0, "BUH"), ("cluj", "RO", 0.45, "CLJ"),
]
NC = len(CITIES)
CITY_W = np.array([c[2] for c in CITIES])
CITY_P = CITY_W / CITY_W.sum()
COUNTRIES = sorted({c[1] for c in CITIES})
CITY_COUNTRY = np.array([COUNTRIES.index(c[1]) for c in CITIES])

# signal kinds
KINDS = ["handset_id", "msisdn_hash", "email_hash", "ip_addr", "card_fingerprint",
         "payout_iban", "id_document", "plate_number", "home_geohash", "business_profile"]
K_DEV, K_PHONE, K_EMAIL, K_IP, K_CARD, K_IBAN, K_DOC, K_PLATE, K_HOME, K_BIZ = range(len(KINDS))
# base-signal components a group may replace
SKIPS = ["dev", "phone", "email", "ip_home", "ip_nat", "card", "iban", "doc", "plate", "home"]
S_DEV, S_PHONE, S_EMAIL, S_IPHOME, S_IPNAT, S_CARD, S_IBAN, S_DOC, S_PLATE, S_HOME = range(len(SKIPS))

ACTIONS = ["ride_request", "ride_cancel", "trip_end", "rate_driver", "rate_rider", "tip_driver",
           "promo_apply", "referral_redeem", "referral_reward", "food_order", "order_pickup",
           "order_dropoff", "rate_courier", "go_online", "queue_enter", "quest_bonus",
           "payout_weekly", "cashout_instant", "card_added", "giftcard_buy", "login_new_device",
           "chargeback"]
(A_REQ, A_CANCEL, A_END, A_RATE_D, A_RATE_R, A_TIP, A_PROMO, A_REF, A_REF_REWARD, A_FOOD,
 A_PICK, A_DROP, A_RATE_C, A_ONLINE, A_QUEUE, A_QUEST, A_PAYOUT, A_CASHOUT, A_CARD_ADD,
 A_GIFT, A_LOGIN, A_CHARGEBACK) = range(len(ACTIONS))

GROUP_KINDS = ["organic", "lone_fraud", "collusion_ring", "emulator_farm", "promo_ring",
               "referral_chain", "ato_wave", "courier_rental", "airport_queue", "station_queue",
               "stadium_exit", "corporate_account", "family_household", "fleet_operator",
               "campus_cohort", "carrier_nat_cohort", "recycled_phone_pair", "dual_role_pair"]
BAD_KINDS = {"lone_fraud", "collusion_ring", "emulator_farm", "promo_ring", "referral_chain",
             "ato_wave", "courier_rental"}
GK = {k: i for i, k in enumerate(GROUP_KINDS)}

NS_PM = 1 << 40   # target namespace: payment-method token of a card vid
NS_PO = 2 << 40   # target namespace: payout destination token of an iban vid

RIDE_H = np.array([3, 2, 1.5, 1, 1, 1.5, 3, 6, 8, 6, 4.5, 4.5, 5, 4.5, 4.5, 5, 6, 8, 8, 6.5,
                   5, 5, 5, 4], float)
FOOD_H = np.array([1, .5, .3, .2, .2, .3, .5, 1, 1.5, 1.5, 2, 4, 7, 6, 3, 2, 2, 3, 5, 8, 8, 6,
                   3, 2], float)
SHIFT_H = np.array([1, .5, .5, .5, 1, 3, 6, 8, 6, 4, 3, 3, 4, 4, 3, 3, 4, 5, 5, 4, 3, 3, 2,
                    1.5], float)
RIDE_H /= RIDE_H.sum()
FOOD_H /= FOOD_H.sum()
SHIFT_H /= SHIFT_H.sum()

PHONE_MODELS = ["samsung-sm-a546b", "samsung-sm-s911b", "samsung-sm-a145r", "samsung-sm-a346b",
                "iphone14,7", "iphone15,2", "iphone13,2", "iphone12,1", "iphone15,4",
                "xiaomi-2201117tg", "xiaomi-23021raaeg", "redmi-note-12", "pixel-7", "pixel-6a",
                "motorola-g54", "motorola-e13", "oppo-cph2591", "realme-rmx3710",
                "huawei-p30", "oneplus-nord-ce3", "honor-x7a", "nokia-g21"]
EMU_MODELS = ["sdk_gphone64_x86_64", "generic_x86_64", "vbox86p", "ldplayer-sm-g977n"]
SKUS = ["gc_eur_25", "gc_eur_50", "gc_eur_100", "gc_eur_150", "gc_appstore_50",
        "gc_steam_100"]
SEASONAL = [("NEWYEAR24", 0, 10), ("WINTER5", 15, 45), ("SPRING15", 70, 100),
            ("EASTER10", 85, 92), ("FOODIE20", 110, 130), ("SUMMER10", 160, 182)]
QUEST_N = 10

HEXCH = np.frombuffer(b"0123456789abcdef", np.uint8)
M64 = (1 << 64) - 1


def mix64(x):
    x = np.asarray(x).astype(np.uint64)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return x


def hexify(ids, salt, nchar=16):
    """Opaque, bijective (for nchar=16) hex rendering of integer ids."""
    s = mix64(np.array([salt & M64], np.uint64))[0]
    x = mix64(np.asarray(ids).astype(np.uint64) ^ s)
    shifts = np.arange(60, -4, -4, dtype=np.uint64)[:nchar]
    nib = ((x[:, None] >> shifts[None, :]) & np.uint64(15)).astype(np.intp)
    chars = np.ascontiguousarray(HEXCH[nib])
    return chars.view(f"S{nchar}").ravel().astype(f"U{nchar}")


class Hopwise:
    def __init__(self, n_accounts: int, seed: int):
        self.N = N = int(n_accounts)
        self.seed = seed
        self.rng = np.random.default_rng(np.random.SeedSequence([17, seed]))
        self.s = N / 20000.0
        self.na = 0
        self.atype = np.full(N, -1, np.int8)
        self.city = np.zeros(N, np.int16)
        self.work_city = np.zeros(N, np.int16)
        self.created = np.zeros(N, np.int64)
        self.gkind = np.zeros(N, np.int16)
        self.gid = np.full(N, -1, np.int64)
        self.role = np.empty(N, object)
        self.bad = np.zeros(N, bool)
        # behaviour rates (NaN = organic default to be drawn)
        self.rider_rate = np.full(N, np.nan)
        self.food_rate = np.full(N, np.nan)
        self.drv_w = np.full(N, np.nan)
        self.cour_w = np.full(N, np.nan)
        self.shift_rate = np.full(N, np.nan)
        self.fare_mult = np.ones(N)
        self.organic_ok = np.ones(N, bool)    # gets organic promos / referrals / extras
        self.payout_dest = np.full(N, -1, np.int64)
        self.skip = np.zeros((N, len(SKIPS)), bool)
        self.ngroups = 0
        self.group_kind_of = []
        self.next_vid = 1
        self.sg = {k: [] for k in ("acc", "kind", "vid", "seen")}
        self.ev_ = {k: [] for k in ("acc", "act", "tgt", "ts", "val")}
        self.links = {k: [] for k in ("a", "b", "w")}
        self.trips = {k: [] for k in ("acc", "t", "amt")}
        self.later = []
        self.label_plan = []   # (indices, prob_label, label_value)
        # vocabulary of static targets: first N entries are the accounts
        self.acc_ids = np.char.add("hw", hexify(np.arange(N), 0xA11CE + seed * 7919))
        self.vocab = [self.acc_ids]
        self.vn = N
        self._build_places()

    # ------------------------------------------------------------------ helpers
    def add_vocab(self, strings):
        strings = np.asarray(strings, dtype=str)
        i = np.arange(self.vn, self.vn + len(strings))
        self.vocab.append(strings)
        self.vn += len(strings)
        return i

    def vids(self, n):
        v = np.arange(self.next_vid, self.next_vid + n, dtype=np.int64)
        self.next_vid += n
        return v

    def new_group(self, kind):
        g = self.ngroups
        self.ngroups += 1
        self.group_kind_of.append(kind)
        return g

    def alloc(self, n, atype, city, created, kind, role, bad, gid=-1):
        n = int(n)
        if self.na + n > self.N:
            raise RuntimeError("account budget exhausted; use more --accounts")
        idx = np.arange(self.na, self.na + n)
        self.na += n
        self.atype[idx] = atype
        self.city[idx] = city
        self.work_city[idx] = city
        self.created[idx] = np.asarray(created, np.int64)
        self.gkind[idx] = GK[kind]
        self.gid[idx] = gid
        self.role[idx] = role
        self.bad[idx] = bad
        return idx

    def sig(self, acc, kind, vid, seen=None):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        n = len(acc)
        if n == 0:
            return
        vid = np.broadcast_to(np.asarray(vid, np.int64), (n,)).copy()
        if seen is None:
            seen = self.created[acc] + self.rng.integers(0, 2 * HOUR, n)
        seen = np.broadcast_to(np.asarray(seen, np.int64), (n,)).copy()
        seen = np.maximum(seen, self.created[acc])
        self.sg["acc"].append(acc)
        self.sg["kind"].append(np.full(n, kind, np.int8))
        self.sg["vid"].append(vid)
        self.sg["seen"].append(seen)

    def ev(self, acc, act, tgt, ts, val=None):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        n = len(acc)
        if n == 0:
            return
        self.ev_["acc"].append(acc)
        self.ev_["act"].append(np.full(n, act, np.int16))
        self.ev_["tgt"].append(np.broadcast_to(np.asarray(tgt, np.int64), (n,)).copy())
        self.ev_["ts"].append(np.broadcast_to(np.asarray(ts, np.int64), (n,)).copy())
        if val is None:
            self.ev_["val"].append(np.full(n, np.nan))
        else:
            self.ev_["val"].append(np.broadcast_to(np.asarray(val, float), (n,)).astype(float))

    def link(self, a, b, w):
        a = np.atleast_1d(np.asarray(a, np.int64))
        if len(a) == 0:
            return
        self.links["a"].append(a)
        self.links["b"].append(np.atleast_1d(np.asarray(b, np.int64)))
        self.links["w"].append(np.broadcast_to(np.asarray(w, float), (len(a),)).copy())

    def clique_links(self, accs, lo, hi):
        accs = np.asarray(accs)
        if len(accs) < 2:
            return
        i, j = np.triu_indices(len(accs), 1)
        self.link(accs[i], accs[j], self.rng.uniform(lo, hi, len(i)).round(3))

    def pick_city(self, p=None):
        return int(self.rng.choice(NC, p=CITY_P if p is None else p))

    def ts_profile(self, lo, hi, prof):
        rng = self.rng
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        n = len(lo)
        d0 = lo // DAY
        nd = np.maximum(1, (hi - 1) // DAY - d0 + 1)
        d = d0 + (rng.random(n) * nd).astype(np.int64)
        h = rng.choice(24, n, p=prof)
        t = d * DAY + h * HOUR + rng.integers(0, HOUR, n)
        t = np.where(t < lo, t + DAY, t)
        bad = t >= hi
        t[bad] = lo[bad] + (rng.random(bad.sum()) * np.maximum(1, hi[bad] - lo[bad])).astype(np.int64)
        return t

    def active_lo(self, acc):
        return np.maximum(self.created[acc] + 10 * MIN, START)

    # ------------------------------------------------------------------ places
    def _build_places(self):
        rng = self.rng
        N = self.N
        self.ncell = 300
        cell_ids = np.char.add(np.char.add("8a", hexify(np.arange(NC * (self.ncell + 12)),
                                                        0xCE11 + self.seed, 9)), "ffff")
        self.cells = []      # per city: vocab idx of generic cells (incl. hubs at the front)
        self.cell_p = []
        self.spec = []       # per city: dict of special cells
        k = 0
        for c in range(NC):
            ids = self.add_vocab(cell_ids[k:k + self.ncell + 12])
            k += self.ncell + 12
            spec = {"airport": ids[0], "station": ids[1], "stadium": ids[2],
                    "campus": ids[3:5], "office": ids[5:10], "venue": ids[10:12]}
            gen = ids[12:]
            w = 1.0 / np.arange(1, len(gen) + 1) ** 0.8
            w = rng.permutation(w)
            allc = np.concatenate([[spec["airport"], spec["station"]], gen])
            allw = np.concatenate([[w.sum() * 0.03, w.sum() * 0.02], w])
            self.cells.append(allc)
            self.cell_p.append(allw / allw.sum())
            self.spec.append(spec)
        # merchants
        self.merch, self.merch_p = [], []
        nm_tot = 0
        for c in range(NC):
            nm = max(30, int(N * CITY_P[c] / 60))
            ids = self.add_vocab(np.char.add("mch_", hexify(np.arange(nm_tot, nm_tot + nm),
                                                             0x3E7C + self.seed, 10)))
            nm_tot += nm
            w = rng.pareto(1.2, nm) + 0.05
            self.merch.append(ids)
            self.merch_p.append(w / w.sum())
        # promos
        self.p_welcome = self.add_vocab([f"WELCOME-{c[3]}" for c in CITIES])
        self.p_seasonal = self.add_vocab([s[0] for s in SEASONAL])
        infl = []
        for c in CITIES:
            for j in range(4):
                infl.append(f"{c[3]}-{hexify(np.array([j + 100 * len(infl)]), 0x1F1 + self.seed, 6)[0].upper()}")
        self.p_infl = self.add_vocab(infl).reshape(NC, 4)
        self.quests = self.add_vocab([f"quest_{c[0]}_2024w{w + 1:02d}" for c in CITIES
                                      for w in range(NWEEKS)]).reshape(NC, NWEEKS)
        self.skus = self.add_vocab(SKUS)
        self.models = self.add_vocab(PHONE_MODELS)
        self.emu_models = self.add_vocab(EMU_MODELS)
        self.model_p = 1.0 / np.arange(1, len(PHONE_MODELS) + 1) ** 0.7
        self.model_p /= self.model_p.sum()
        # identifier pools
        self.sms_pool = {co: self.vids(max(40, int(0.004 * N))) for co in range(len(COUNTRIES))}
        self.nat = []   # per city: list of 3 carrier pools
        for c in range(NC):
            size = max(3, int(N * CITY_P[c] / 250))
            self.nat.append([self.vids(size) for _ in range(3)])
        self.buildings = []
        for c in range(NC):
            nb = max(60, int(0.5 * N * CITY_P[c]))
            w = rng.lognormal(0, 0.9, nb)     # apartment blocks: a few dozen app users at most
            self.buildings.append((self.vids(nb), w / w.sum()))

    # ------------------------------------------------------------------ engines
    def prepare_pools(self):
        self.pool = {}
        for name, w in (("drv", self.drv_w), ("cour", self.cour_w)):
            for c in range(NC):
                cand = np.nonzero((w > 0) & (self.work_city == c))[0]
                if len(cand) == 0:
                    cand = np.nonzero(w > 0)[0]
                p = w[cand] / w[cand].sum()
                old = cand[self.created[cand] < START]
                if len(old) == 0:
                    old = cand[np.argsort(self.created[cand])[:5]]
                self.pool[(name, c)] = (cand, p, old)

    def pick_workers(self, cities, t, name):
        rng = self.rng
        out = np.empty(len(cities), np.int64)
        for c in np.unique(cities):
            sel = np.nonzero(cities == c)[0]
            cand, p, old = self.pool[(name, int(c))]
            out[sel] = rng.choice(cand, len(sel), p=p)
            bad = sel[self.created[out[sel]] > t[sel]]
            if len(bad):
                out[bad] = rng.choice(old, len(bad))
        return out

    def emit_trips(self, r, d, t, cells, p_cancel=0.07, p_rate=0.6, p_rrate=0.45, p_tip=0.12,
                   stars=None, dur_mu=np.log(14 * 60), dur_sigma=0.5, fare_scale=1.0):
        rng = self.rng
        r = np.asarray(r, np.int64)
        n = len(r)
        if n == 0:
            return
        t = np.asarray(t, np.int64)
        cells = np.broadcast_to(np.asarray(cells, np.int64), (n,)).copy()
        d = np.broadcast_to(np.asarray(d, np.int64), (n,)).copy()
        est = np.round(rng.lognormal(np.log(11), 0.5, n), 2)
        self.ev(r, A_REQ, cells, t, est)
        canc = rng.random(n) < p_cancel
        self.ev(r[canc], A_CANCEL, cells[canc], t[canc] + rng.integers(20, 420, canc.sum()))
        k = ~canc
        r, t, d = r[k], t[k], d[k]
        n = len(r)
        need = d < 0
        if need.any():
            d[need] = self.pick_workers(self.work_city[r[need]], t[need], "drv")
        dur = np.clip(rng.lognormal(dur_mu, dur_sigma, n), 120, 6000).astype(np.int64)
        tend = t + rng.integers(150, 780, n) + dur
        fare = (2.5 + 0.9 * dur / 60 * rng.uniform(0.85, 1.3, n)) * self.fare_mult[d] * fare_scale
        fare = np.round(fare, 2)
        self.ev(d, A_END, r, tend, fare)
        self.trips["acc"].append(d)
        self.trips["t"].append(tend)
        self.trips["amt"].append(fare)
        m = rng.random(n) < p_rate
        st = stars if stars is not None else rng.choice([5, 4, 3, 2, 1], n, p=[.78, .12, .05, .02, .03])
        st = np.broadcast_to(np.asarray(st, float), (n,))
        self.ev(r[m], A_RATE_D, d[m], tend[m] + rng.exponential(1800, m.sum()).astype(np.int64), st[m])
        m = rng.random(n) < p_rrate
        rs = rng.choice([5, 4, 3], n, p=[.9, .08, .02]) if stars is None else st
        self.ev(d[m], A_RATE_R, r[m], tend[m] + rng.integers(5, 300, m.sum()), np.asarray(rs)[m])
        m = rng.random(n) < p_tip
        self.ev(r[m], A_TIP, d[m], tend[m] + rng.exponential(3600, m.sum()).astype(np.int64),
                np.round(rng.uniform(0.5, 5, m.sum()), 1))

    def emit_food(self, r, merch, t, p_rate=0.3):
        rng = self.rng
        r = np.asarray(r, np.int64)
        n = len(r)
        if n == 0:
            return
        t = np.asarray(t, np.int64)
        merch = np.broadcast_to(np.asarray(merch, np.int64), (n,)).copy()
        cour = self.pick_workers(self.work_city[r], t, "cour")
        self.ev(r, A_FOOD, merch, t, np.round(rng.lognormal(np.log(19), 0.45, n), 2))
        tp = t + rng.integers(420, 1500, n)
        self.ev(cour, A_PICK, merch, tp)
        td = tp + rng.integers(360, 1800, n)
        fee = np.round(rng.uniform(2.5, 6.5, n), 2)
        self.ev(cour, A_DROP, r, td, fee)
        self.trips["acc"].append(cour)
        self.trips["t"].append(td)
        self.trips["amt"].append(fee)
        m = rng.random(n) < p_rate
        self.ev(r[m], A_RATE_C, cour[m], td[m] + rng.exponential(2400, m.sum()).astype(np.int64),
                rng.choice([5, 4, 3, 1], m.sum(), p=[.8, .12, .05, .03]))

    # ------------------------------------------------------------------ bad groups
    def g_collusion(self):
        rng = self.rng
        for _ in range(max(2, round(12 * self.s))):
            g = self.new_group("collusion_ring")
            c = self.pick_city()
            nd = int(rng.choice([1, 1, 2, 2, 3]))
            nf = int(rng.integers(4, 21))
            drv = self.alloc(nd, DRIVER, c, START - rng.integers(60, 900, nd) * DAY,
                             "collusion_ring", "ring_driver", True, g)
            t0 = START + int(rng.integers(-25, 115)) * DAY + int(rng.integers(0, DAY))
            fk = self.alloc(nf, RIDER, c, t0 + np.minimum(rng.exponential(2 * DAY, nf), 9 * DAY),
                            "collusion_ring", "fake_rider", True, g)
            self.drv_w[drv] = rng.lognormal(0.2, 0.5, nd)
            self.rider_rate[fk] = 0
            self.food_rate[fk] = np.where(rng.random(nf) < 0.2, 1.0, 0.0)
            self.organic_ok[fk] = False
            cautious = rng.random() < 0.35
            self.skip[fk, S_DEV] = True
            self.skip[fk, S_CARD] = True
            if cautious:       # a burner handset per fake rider, a few reuse the ring's spare
                self.sig(fk, K_DEV, self.vids(nf))
                spare = self.vids(1)
                m = fk[rng.random(nf) < 0.25]
                self.sig(m, K_DEV, spare[0], self.created[m] + rng.integers(0, 20 * DAY, len(m)))
            else:
                pool = self.vids(int(rng.integers(1, 4)))
                self.sig(fk, K_DEV, rng.choice(pool, nf))
                m = fk[rng.random(nf) < 0.4]
                self.sig(m, K_DEV, rng.choice(pool, len(m)), self.created[m] + rng.integers(0, 30 * DAY, len(m)))
                # the driver logs one fake rider in on his own phone
                self.skip[drv[0], S_DEV] = True
                own = self.vids(1)[0]
                self.sig(drv[0], K_DEV, own)
                self.sig(fk[0], K_DEV, own)
                hip = self.vids(1)[0]
                self.skip[drv[0], S_IPHOME] = True
                self.sig(drv[0], K_IP, hip)
                m = fk[rng.random(nf) < 0.6]
                self.skip[m, S_IPHOME] = True
                self.sig(m, K_IP, hip)
            cards = self.vids(int(rng.integers(1, 4)))
            m = fk[rng.random(nf) < 0.6]
            mc = rng.choice(cards, len(m))
            self.sig(m, K_CARD, mc)
            ring_cells = rng.choice(self.cells[c][2:], int(rng.integers(2, 4)), replace=False)

            def events(drv=drv, fk=fk, ring_cells=ring_cells, m=m, mc=mc):
                self.ev(m, A_CARD_ADD, NS_PM + mc, self.created[m] + rng.integers(60, 900, len(m)))
                tmin = self.created[fk].max() + DAY
                fridays = START + 4 * DAY + WEEK * np.arange(NWEEKS)
                fridays = fridays[(fridays > tmin) & (fridays < END - 3 * DAY)]
                if len(fridays) == 0:
                    return
                nw = min(len(fridays), int(rng.integers(3, 11)))
                rr, dd, tt = [], [], []
                for f in rng.choice(fridays, nw, replace=False):
                    for d in drv:
                        q = int(rng.integers(8, 26))
                        rr.append(rng.choice(fk, q))
                        dd.append(np.full(q, d))
                        h = np.where(rng.random(q) < 0.6, rng.uniform(22, 30, q),
                                     rng.uniform(18, 74, q))
                        tt.append(f + (h * HOUR).astype(np.int64))
                rr, dd, tt = np.concatenate(rr), np.concatenate(dd), np.concatenate(tt)
                self.emit_trips(rr, dd, tt, rng.choice(ring_cells, len(rr)), p_cancel=0.02,
                                p_rate=0.92, p_rrate=0.9, p_tip=0.04, stars=5.0,
                                dur_mu=np.log(5 * 60), dur_sigma=0.3)
                first = np.full(self.N, np.iinfo(np.int64).max)
                np.minimum.at(first, rr, tt)
                u = fk[(first[fk] < END) & (rng.random(len(fk)) < 0.5)]
                self.ev(u, A_PROMO, self.p_welcome[self.city[u]], first[u] - rng.integers(60, 600, len(u)), 5.0)
            self.later.append(events)
            self.label_plan.append((np.concatenate([drv, fk]), 0.7 if rng.random() < 0.45 else 0.0, 1))

    def g_emulator_farm(self):
        rng = self.rng
        for _ in range(max(1, round(5 * self.s))):
            g = self.new_group("emulator_farm")
            c = self.pick_city(CITY_P ** 2 / (CITY_P ** 2).sum())
            n = int(rng.integers(8, 46))
            bt = START + rng.integers(-200, 100, int(rng.integers(1, 4))) * DAY
            created = np.sort(rng.choice(bt, n) + rng.integers(0, 6 * HOUR, n))
            accs = self.alloc(n, DRIVER, c, created, "emulator_farm", "farm_driver", True, g)
            self.drv_w[accs] = rng.lognormal(-0.4, 0.5, n)
            self.shift_rate[accs] = 25
            self.fare_mult[accs] = rng.uniform(1.3, 1.9, n)
            for s in (S_DEV, S_IPHOME, S_IPNAT, S_IBAN, S_PLATE):
                self.skip[accs, s] = True
            phys = self.vids(int(rng.integers(2, 7)))
            k1 = rng.integers(1, 3, n)
            a1 = np.repeat(accs, k1)
            self.sig(a1, K_DEV, rng.choice(phys, len(a1)))
            k2 = rng.integers(1, 6, n)
            a2 = np.repeat(accs, k2)
            seen2 = self.created[a2] + (rng.random(len(a2)) * (END - self.created[a2])).astype(np.int64)
            emu = self.vids(len(a2))
            self.sig(a2, K_DEV, emu, seen2)
            ips = self.vids(int(rng.integers(3, 9)))
            k3 = rng.integers(2, 5, n)
            a3 = np.repeat(accs, k3)
            self.sig(a3, K_IP, rng.choice(ips, len(a3)),
                     self.created[a3] + (rng.random(len(a3)) * (END - self.created[a3])).astype(np.int64))
            ibans = self.vids(int(rng.integers(1, 4)))
            dest = rng.choice(ibans, n)
            self.payout_dest[accs] = dest
            self.sig(accs, K_IBAN, dest)
            plates = self.vids(max(2, n // 3))
            self.sig(accs, K_PLATE, rng.choice(plates, n))
            faces = accs[rng.random(n) < 0.3]
            if len(faces) >= 2:
                split = rng.random(len(faces)) < 0.5
                self.clique_links(faces[split], 0.88, 0.99)
                self.clique_links(faces[~split], 0.88, 0.99)

            def events(accs=accs, c=c, a2=a2, seen2=seen2, dest=dest):
                n = len(accs)
                m = seen2 >= START
                self.ev(a2[m], A_LOGIN, rng.choice(self.emu_models, m.sum()), seen2[m])
                lo = max(START, self.created[accs].max())
                hub = self.spec[c]["airport"] if rng.random() < 0.8 else self.spec[c]["station"]
                days = rng.choice(np.arange(lo // DAY + 1, END // DAY), min(int(rng.integers(15, 60)), max(1, (END - lo) // DAY - 1)), replace=False)
                for day in days:
                    sub = accs[rng.random(n) < rng.uniform(0.4, 1.0)]
                    t = day * DAY + int(rng.integers(4 * HOUR, 23 * HOUR))
                    self.ev(sub, A_QUEUE, hub, t + rng.integers(0, 150, len(sub)))
                days = rng.choice(np.arange(lo // DAY + 1, END // DAY), min(int(rng.integers(5, 20)), max(1, (END - lo) // DAY - 1)), replace=False)
                for day in days:
                    sel = rng.random(n) < rng.uniform(0.6, 1.0)
                    t = day * DAY + int(rng.integers(0, DAY))
                    self.ev(accs[sel], A_CASHOUT, NS_PO + dest[sel], t + rng.integers(0, 400, sel.sum()),
                            np.round(rng.uniform(40, 260, sel.sum()), 2))
            self.later.append(events)
            self.label_plan.append((accs, 0.8 if rng.random() < 0.5 else 0.0, 1))

    def g_promo_ring(self):
        rng = self.rng
        for _ in range(max(2, round(8 * self.s))):
            g = self.new_group("promo_ring")
            c = self.pick_city()
            n = int(rng.integers(12, 61))
            bt = START + rng.integers(-10, NDAYS - 20, int(rng.integers(1, 5))) * DAY + rng.integers(0, DAY)
            created = np.sort(rng.choice(bt, n) + rng.integers(0, 3 * HOUR, n))
            accs = self.alloc(n, RIDER, c, created, "promo_ring", "promo_account", True, g)
            self.rider_rate[accs] = 0
            self.food_rate[accs] = 0
            self.organic_ok[accs] = False
            for s in (S_DEV, S_PHONE, S_CARD, S_IPHOME):
                self.skip[accs, s] = True
            pool = self.vids(int(rng.integers(2, 7)))
            self.sig(accs, K_DEV, rng.choice(pool, n))
            m = accs[rng.random(n) < 0.3]
            self.sig(m, K_DEV, self.vids(len(m)))
            self.sig(accs, K_PHONE, rng.choice(self.sms_pool[CITY_COUNTRY[c]], n))
            cards = self.vids(int(rng.integers(2, 6)))
            cm = accs[rng.random(n) < 0.7]
            cv = rng.choice(cards, len(cm))
            self.sig(cm, K_CARD, cv, self.created[cm] + rng.integers(300, 1200, len(cm)))
            self.sig(accs, K_IP, rng.choice(self.vids(int(rng.integers(1, 5))), n))
            hm = accs[rng.random(n) < 0.6]
            self.skip[hm, S_HOME] = True
            self.sig(hm, K_HOME, rng.choice(self.vids(int(rng.integers(1, 3))), len(hm)))
            code = self.p_infl[c, rng.integers(4)] if rng.random() < 0.4 else self.p_welcome[c]
            rcells = rng.choice(self.cells[c][2:], 3, replace=False)
            rmerch = rng.choice(self.merch[c], int(rng.integers(1, 4)), replace=False)

            def events(accs=accs, code=code, rcells=rcells, rmerch=rmerch, cm=cm, cv=cv):
                n = len(accs)
                cr = self.created[accs]
                self.ev(cm, A_CARD_ADD, NS_PM + cv, self.created[cm] + rng.integers(300, 1200, len(cm)))
                self.ev(accs, A_PROMO, code, cr + rng.integers(120, 2400, n), 8.0)
                k = rng.integers(1, 4, n)
                a = np.repeat(accs, k)
                t = self.created[a] + rng.integers(600, 4 * DAY, len(a))
                ride = rng.random(len(a)) < 0.55
                self.emit_trips(a[ride], -1, t[ride], rng.choice(rcells, ride.sum()), p_cancel=0.05, p_rate=0.3, p_tip=0.0)
                self.emit_food(a[~ride], rng.choice(rmerch, (~ride).sum()), t[~ride], p_rate=0.1)
            self.later.append(events)
            self.label_plan.append((accs, 0.6 if rng.random() < 0.5 else 0.0, 1))

    def g_referral_chain(self):
        rng = self.rng
        for _ in range(max(1, round(5 * self.s))):
            g = self.new_group("referral_chain")
            c = self.pick_city()
            n = int(rng.integers(7, 35))
            root = self.alloc(1, RIDER, c, START - int(rng.integers(100, 1000)) * DAY,
                              "referral_chain", "chain_root", True, g)
            drv = None
            if rng.random() < 0.5:
                drv = self.alloc(1, DRIVER, c, START - int(rng.integers(30, 600)) * DAY,
                                 "referral_chain", "chain_driver", True, g)
                self.drv_w[drv] = 0.3
            t0 = START + int(rng.integers(0, NDAYS - 60)) * DAY
            span = int(rng.integers(14, 57)) * DAY
            created = np.sort(t0 + rng.integers(0, span, n))
            fk = self.alloc(n, RIDER, c, created, "referral_chain", "chain_referee", True, g)
            self.rider_rate[fk] = 0
            self.food_rate[fk] = 0
            self.organic_ok[fk] = False
            parent = np.empty(n, np.int64)
            for j in range(n):
                parent[j] = root[0] if (j == 0 or rng.random() < 0.6) else fk[rng.integers(j)]
            self.skip[fk, S_DEV] = True
            self.skip[fk, S_CARD] = True
            pool = self.vids(int(rng.integers(1, 4)))
            m = rng.random(n) < 0.7
            self.sig(fk[m], K_DEV, rng.choice(pool, m.sum()))
            self.sig(fk[~m], K_DEV, self.vids((~m).sum()))
            hip = self.vids(1)[0]
            self.skip[root, S_IPHOME] = True
            self.sig(root, K_IP, hip)
            m = fk[rng.random(n) < 0.6]
            self.skip[m, S_IPHOME] = True
            self.sig(m, K_IP, hip)
            if rng.random() < 0.5:
                self.skip[fk, S_PHONE] = True
                self.sig(fk, K_PHONE, rng.choice(self.sms_pool[CITY_COUNTRY[c]], n))
            cards = self.vids(int(rng.integers(1, 3)))
            m = fk[rng.random(n) < 0.4]
            self.sig(m, K_CARD, rng.choice(cards, len(m)))
            rcells = rng.choice(self.cells[c][2:], 2, replace=False)

            def events(fk=fk, parent=parent, drv=drv, rcells=rcells):
                n = len(fk)
                cr = self.created[fk]
                self.ev(fk, A_REF, parent, cr + rng.integers(60, 1200, n))
                t = cr + rng.integers(2 * HOUR, 3 * DAY, n)
                d = np.full(n, -1) if drv is None else np.where(rng.random(n) < 0.8, drv[0], -1)
                self.emit_trips(fk, d, t, rng.choice(rcells, n), p_cancel=0.0, p_rate=0.8,
                                p_tip=0.0, stars=5.0, dur_mu=np.log(6 * 60), dur_sigma=0.4)
                self.ev(parent, A_REF_REWARD, fk, t + rng.integers(HOUR, 2 * DAY, n), 10.0)
            self.later.append(events)
            allm = np.concatenate([root, fk] + ([drv] if drv is not None else []))
            self.label_plan.append((allm, 0.5 if rng.random() < 0.3 else 0.0, 1))

    def g_ato_wave(self):
        rng = self.rng
        for _ in range(max(1, round(3 * self.s))):
            g = self.new_group("ato_wave")
            n = int(rng.integers(20, 61))
            cities = rng.choice(NC, n, p=CITY_P)
            v = self.alloc(n, RIDER, cities, START - rng.integers(200, 1800, n) * DAY,
                           "ato_wave", "ato_victim", True, g)
            self.rider_rate[v] = rng.lognormal(np.log(8), 0.7, n)
            W = START + int(rng.integers(30, 170)) * DAY + int(rng.integers(0, DAY))
            tv = W + np.minimum(rng.exponential(10 * HOUR, n), 48 * HOUR).astype(np.int64)
            devs = self.vids(int(rng.integers(2, 6)))
            dmodel = rng.choice(self.models, len(devs))
            di = rng.integers(0, len(devs), n)
            self.sig(v, K_DEV, devs[di], tv)
            self.sig(v, K_IP, rng.choice(self.vids(int(rng.integers(3, 11))), n), tv + rng.integers(0, 600, n))
            cards = self.vids(max(2, int(n * 0.4)))
            cv = rng.choice(cards, n)
            self.sig(v, K_CARD, cv, tv + rng.integers(120, 1800, n))

            def events(v=v, tv=tv, di=di, dmodel=dmodel, cv=cv):
                n = len(v)
                self.ev(v, A_LOGIN, dmodel[di], tv)
                self.ev(v, A_CARD_ADD, NS_PM + cv, tv + rng.integers(120, 1800, n))
                k = rng.integers(1, 4, n)
                a = np.repeat(v, k)
                tt = np.repeat(tv, k) + rng.integers(600, 6 * HOUR, len(a))
                self.ev(a, A_GIFT, rng.choice(self.skus[2:], len(a)), tt, rng.choice([100.0, 150.0], len(a)))
                k = rng.integers(1, 4, n)
                a = np.repeat(v, k)
                tt = np.repeat(tv, k) + rng.integers(1200, 20 * HOUR, len(a))
                cells = np.where(rng.random(len(a)) < 0.4,
                                 np.array([self.spec[c]["airport"] for c in range(NC)])[self.city[a]],
                                 np.array([self.cells[c][rng.integers(2, len(self.cells[c]))] for c in self.city[a]]))
                self.emit_trips(a, -1, tt, cells, p_cancel=0.03, p_rate=0.0, p_rrate=0.3, p_tip=0.0,
                                dur_mu=np.log(35 * 60), dur_sigma=0.3, fare_scale=1.8)
                m = rng.random(n) < 0.6
                self.ev(v[m], A_CHARGEBACK, NS_PM + cv[m], tv[m] + rng.integers(5 * DAY, 30 * DAY, m.sum()))
            self.later.append(events)
            # compromised accounts are restored, not labelled

    def g_courier_rental(self):
        rng = self.rng
        for _ in range(max(1, round(6 * self.s))):
            g = self.new_group("courier_rental")
            c = self.pick_city()
            n = int(rng.integers(4, 19))
            others = [x for x in range(NC) if x != c]
            wcs = rng.choice(others, int(rng.integers(1, 3)), replace=False)
            accs = self.alloc(n, COURIER, c, np.sort(START - rng.integers(30, 700, n) * DAY),
                              "courier_rental", "rented_courier", True, g)
            self.work_city[accs] = rng.choice(wcs, n)
            self.cour_w[accs] = rng.lognormal(1.0, 0.4, n)
            self.shift_rate[accs] = 110
            for s in (S_IBAN, S_DEV, S_IPHOME):
                self.skip[accs, s] = True
            shared = accs[rng.random(n) < 0.5]
            self.skip[shared, S_DOC] = True
            self.sig(shared, K_DOC, self.vids(1)[0])
            self.clique_links(shared, 0.9, 0.995)
            ibans = self.vids(int(rng.integers(1, 3)))
            dest = rng.choice(ibans, n)
            self.payout_dest[accs] = dest
            self.sig(accs, K_IBAN, dest)
            self.sig(accs, K_DEV, self.vids(n))     # the verified owner's handset at onboarding
            rent = self.vids(max(3, int(1.5 * n)))
            k = rng.integers(3, 8, n)
            a = np.repeat(accs, k)
            seen = START + (rng.random(len(a)) * (END - START)).astype(np.int64)
            rv = rng.choice(rent, len(a))
            self.sig(a, K_DEV, rv, seen)
            bi = self.vids(1)[0]
            m = accs[rng.random(n) < 0.3]
            self.sig(m, K_IP, bi)

            def events(a=a, seen=seen):
                self.ev(a, A_LOGIN, rng.choice(self.models, len(a), p=self.model_p), seen)
            self.later.append(events)

    def g_lone(self):
        rng = self.rng
        n = max(3, round(60 * self.s))
        kinds = rng.choice(3, n, p=[0.4, 0.3, 0.3])
        for j in range(n):
            c = self.pick_city()
            if kinds[j] == 0:     # stolen cards, chargebacks
                a = self.alloc(1, RIDER, c, START + int(rng.integers(-60, NDAYS - 30)) * DAY + int(rng.integers(DAY)),
                               "lone_fraud", "carder", True)
                self.rider_rate[a] = rng.uniform(2, 8)
                self.food_rate[a] = rng.uniform(1, 6)
                self.skip[a, S_CARD] = True
                cards = self.vids(int(rng.integers(3, 7)))
                seen = self.created[a][0] + np.sort(rng.integers(0, 40 * DAY, len(cards)))
                self.sig(np.repeat(a, len(cards)), K_CARD, cards, seen)

                def events(a=a, cards=cards, seen=seen):
                    m = seen >= START
                    self.ev(np.repeat(a, m.sum()), A_CARD_ADD, NS_PM + cards[m], seen[m])
                    self.ev(np.repeat(a, len(cards)), A_CHARGEBACK, NS_PM + cards,
                            seen + rng.integers(10 * DAY, 40 * DAY, len(cards)))
                self.later.append(events)
            elif kinds[j] == 1:   # driver on a bought identity, inflating fares
                a = self.alloc(1, DRIVER, c, START + int(rng.integers(-120, NDAYS - 60)) * DAY,
                               "lone_fraud", "fake_id_driver", True)
                self.drv_w[a] = rng.lognormal(0.3, 0.4)
                self.fare_mult[a] = rng.uniform(1.5, 2.2)
            else:                 # a one-shot promo abuser
                a = self.alloc(1, RIDER, c, START + int(rng.integers(0, NDAYS - 5)) * DAY + int(rng.integers(DAY)),
                               "lone_fraud", "solo_promo_abuser", True)
                self.rider_rate[a] = 0
                self.food_rate[a] = 0
                self.organic_ok[a] = False

                def events(a=a, c=c):
                    t = self.created[a] + rng.integers(300, 3600)
                    self.ev(a, A_PROMO, self.p_welcome[c], t, 8.0)
                    self.emit_food(a, rng.choice(self.merch[c]), t + 120)
                self.later.append(events)
            self.label_plan.append((a, 0.3, 1))

    # ------------------------------------------------------------------ benign look-alikes
    def g_hub_queues(self):
        rng = self.rng
        est_drv = 0.06 * self.N * CITY_P
        order = np.argsort(-CITY_W)
        plan = [(c, "airport_queue", "airport", 0.22) for c in order[:4]] + \
               [(c, "station_queue", "station", 0.12) for c in order[:2]]
        for c, kind, hubname, frac in plan:
            c = int(c)
            g = self.new_group(kind)
            n = max(20, int(frac * est_drv[c]))
            created = START - rng.integers(30, 1500, n) * DAY
            late = rng.random(n) < 0.1
            created[late] = START + rng.integers(0, NDAYS - 30, late.sum()) * DAY
            accs = self.alloc(n, DRIVER, c, created, kind, "queue_driver", False, g)
            self.drv_w[accs] = rng.lognormal(0.3, 0.6, n)
            wifi = self.vids(int(rng.integers(2, 4)))
            m = accs[rng.random(n) < 0.7]
            self.sig(m, K_IP, rng.choice(wifi, len(m)))
            waves = np.sort(rng.choice(np.arange(5 * 60, 23 * 60, 5), 6 if hubname == "airport" else 8,
                                       replace=False)) * MIN
            hub = self.spec[c][hubname]
            self.label_plan.append((accs, 0.03, 0))
            self.label_plan.append((accs, 0.015, 1))   # queue-jump false flags

            def events(accs=accs, waves=waves, hub=hub):
                n = len(accs)
                pday = rng.uniform(0.15, 0.55, n)
                att = rng.random((n, NDAYS)) < pday[:, None]
                ai, di = np.nonzero(att)
                t = START + di * DAY + rng.choice(waves, len(ai)) + rng.normal(0, 100, len(ai)).astype(np.int64)
                self.ev(accs[ai], A_QUEUE, hub, t)
            self.later.append(events)

    def g_stadium(self):
        rng = self.rng
        for c in np.argsort(-CITY_W)[:3]:
            c = int(c)
            g = self.new_group("stadium_exit")
            n = max(50, int(0.015 * self.N))
            created = START - rng.integers(10, 2000, n) * DAY
            accs = self.alloc(n, RIDER, c, created, "stadium_exit", "fan", False, g)
            self.rider_rate[accs] = rng.lognormal(np.log(6), 0.8, n)
            wifi = self.vids(int(rng.integers(1, 3)))
            m = accs[rng.random(n) < 0.4]
            self.sig(m, K_IP, rng.choice(wifi, len(m)), START + rng.integers(0, NDAYS * DAY, len(m)))
            self.label_plan.append((accs, 0.03, 0))
            nn = int(rng.integers(14, 25))
            nights = np.sort(rng.choice(np.arange(2, NDAYS - 1), nn, replace=False))
            ends = START + nights * DAY + rng.integers(21 * 60 + 15, 23 * 60 + 30, nn) * MIN
            hub = self.spec[c]["stadium"]

            def events(accs=accs, ends=ends, hub=hub, c=c):
                n = len(accs)
                p = rng.uniform(0.15, 0.7, n)
                att = rng.random((n, len(ends))) < p[:, None]
                ai, ni = np.nonzero(att)
                r = accs[ai]
                t = ends[ni] + rng.gamma(2.0, 300, len(ai)).astype(np.int64)
                # one-off attendees: ordinary riders of the city
                orgs = np.nonzero((self.gkind == GK["organic"]) & (self.city == c) & (self.atype == RIDER)
                                  & (self.rider_rate > 0))[0]
                extra_r, extra_t = [], []
                for e in ends:
                    k = int(0.5 * n)
                    rr = rng.choice(orgs, k)
                    extra_r.append(rr)
                    extra_t.append(e + rng.gamma(2.0, 360, k).astype(np.int64))
                r = np.concatenate([r] + extra_r)
                t = np.concatenate([t] + extra_t)
                ok = self.created[r] < t
                self.emit_trips(r[ok], -1, t[ok], hub, p_cancel=0.25, p_tip=0.05)
            self.later.append(events)

    def g_corporate(self):
        rng = self.rng
        for _ in range(max(2, round(5 * self.s))):
            g = self.new_group("corporate_account")
            c = self.pick_city()
            n = int(np.clip(rng.lognormal(np.log(90), 0.6), 30, 250))
            ob = START + int(rng.integers(-900, 60)) * DAY + 9 * HOUR
            created = START - rng.integers(-(NDAYS - 10), 1500, n) * DAY + rng.integers(0, DAY, n)
            batch = rng.random(n) < 0.3
            created[batch] = ob + rng.integers(0, 8 * HOUR, batch.sum())
            accs = self.alloc(n, RIDER, c, created, "corporate_account", "employee", False, g)
            self.rider_rate[accs] = rng.lognormal(np.log(7), 0.8, n)
            card = self.vids(1)[0]
            self.sig(accs, K_CARD, card, np.maximum(self.created[accs], ob) + rng.integers(0, 5 * DAY, n))
            self.skip[accs[rng.random(n) < 0.5], S_CARD] = True
            ips = self.vids(int(rng.integers(1, 4)))
            m = accs[rng.random(n) < 0.8]
            self.sig(m, K_IP, rng.choice(ips, len(m)), np.maximum(self.created[m], START - 30 * DAY) + rng.integers(0, 20 * DAY, len(m)))
            if rng.random() < 0.5:
                self.sig(accs, K_BIZ, self.vids(1)[0], np.maximum(self.created[accs], ob))
            office = rng.choice(self.spec[c]["office"])
            venue = rng.choice(self.spec[c]["venue"])
            self.label_plan.append((accs, 0.2 if rng.random() < 0.3 else 0.02, 0))

            def events(accs=accs, office=office, venue=venue):
                n = len(accs)
                wd = np.array([d for d in range(NDAYS) if d % 7 < 5])
                p = rng.uniform(0.03, 0.25, n)
                att = rng.random((n, len(wd))) < p[:, None]
                ai, di = np.nonzero(att)
                t = START + wd[di] * DAY + 17 * HOUR + 1800 + rng.gamma(2.0, 1800, len(ai)).astype(np.int64)
                r = accs[ai]
                ok = self.created[r] < t
                self.emit_trips(r[ok], -1, t[ok], office, p_cancel=0.05)
                for _ in range(int(rng.integers(1, 3))):
                    night = START + int(rng.integers(10, NDAYS - 2)) * DAY + 23 * HOUR
                    sub = accs[(rng.random(n) < 0.4) & (self.created[accs] < night)]
                    self.emit_trips(sub, -1, night + rng.exponential(600, len(sub)).astype(np.int64), venue,
                                    p_cancel=0.15)
            self.later.append(events)

    def g_family(self):
        rng = self.rng
        for _ in range(max(5, round(0.006 * self.N))):
            g = self.new_group("family_household")
            c = self.pick_city()
            size = int(rng.choice([2, 3, 4, 5, 6], p=[.45, .25, .18, .08, .04]))
            has_teens = size >= 3 and rng.random() < 0.5
            n_teen = int(rng.integers(1, size - 1)) if has_teens else 0
            n_ad = size - n_teen
            pc = START - int(rng.integers(100, 2500)) * DAY
            ad_created = np.concatenate([[pc], START - rng.integers(-(NDAYS - 20), 2400, n_ad - 1) * DAY])
            types = np.full(n_ad, RIDER)
            if n_ad >= 2 and rng.random() < 0.12:
                types[1] = DRIVER
            roles = np.array(["parent"] + ["adult"] * (n_ad - 1), object)
            roles[types == DRIVER] = "family_driver"
            ad = np.concatenate([self.alloc(1, types[j], c, ad_created[j], "family_household", roles[j], False, g)
                                 for j in range(n_ad)])
            members = ad
            teens = np.array([], np.int64)
            if n_teen:
                tt = int(rng.integers(max(pc, START - 700 * DAY) // DAY, END // DAY - 20)) * DAY + int(rng.integers(8 * HOUR, 22 * HOUR))
                teens = self.alloc(n_teen, RIDER, c, tt + np.sort(rng.integers(0, 40 * MIN, n_teen)),
                                   "family_household", "teen", False, g)
                self.rider_rate[teens] = rng.lognormal(np.log(4), 0.8, n_teen)
                members = np.concatenate([ad, teens])
            self.skip[members, S_HOME] = True
            self.sig(members, K_HOME, self.vids(1)[0])
            self.skip[members, S_IPHOME] = True
            self.sig(members, K_IP, self.vids(1)[0])
            if rng.random() < 0.6:
                card = self.vids(1)[0]
                self.sig(members, K_CARD, card, np.maximum(self.created[members], pc + rng.integers(0, 400) * DAY))
                self.skip[teens, S_CARD] = True
            if n_teen and rng.random() < 0.25:
                self.skip[ad[0], S_DEV] = True
                old, new = self.vids(2)
                self.sig(ad[0], K_DEV, old)
                self.sig(ad[0], K_DEV, new, self.created[teens[0]] - DAY)
                self.sig(teens[0], K_DEV, old)
            self.label_plan.append((members, 0.03, 0))
            self.label_plan.append((members, 0.006, 1))
            if rng.random() < 0.3 and len(members) > 1:
                kids = members[1:]

                def events(p=ad[0], kids=kids):
                    cr = self.created[kids]
                    ok = cr >= START
                    self.ev(kids[ok], A_REF, p, cr[ok] + rng.integers(60, 900, ok.sum()))
                    self.ev(np.full(ok.sum(), p), A_REF_REWARD, kids[ok], cr[ok] + rng.integers(DAY, 6 * DAY, ok.sum()), 10.0)
                self.later.append(events)

    def g_fleet(self):
        rng = self.rng
        for _ in range(max(1, round(3 * self.s))):
            g = self.new_group("fleet_operator")
            c = self.pick_city()
            n = int(np.clip(rng.lognormal(np.log(45), 0.6), 20, 200))
            bt = START + rng.integers(-900, NDAYS - 30, int(rng.integers(3, 9))) * DAY + 9 * HOUR
            created = rng.choice(bt, n) + rng.integers(0, 8 * HOUR, n)
            accs = self.alloc(n, DRIVER, c, created, "fleet_operator", "fleet_driver", False, g)
            self.drv_w[accs] = rng.lognormal(0.5, 0.4, n)
            self.shift_rate[accs] = 80
            self.skip[accs, S_HOME] = True
            self.sig(accs, K_HOME, self.vids(1)[0])
            gip = self.vids(1)[0]
            m = accs[rng.random(n) < 0.7]
            self.sig(m, K_IP, gip, self.created[m] + rng.integers(0, 30 * DAY, len(m)))
            ibans = self.vids(int(rng.integers(1, 3)))
            dest = rng.choice(ibans, n)
            self.payout_dest[accs] = dest
            self.skip[accs, S_IBAN] = True
            self.sig(accs, K_IBAN, dest)
            self.skip[accs, S_PLATE] = True
            plates = self.vids(max(3, int(0.6 * n)))
            k = rng.integers(1, 3, n)
            a = np.repeat(accs, k)
            self.sig(a, K_PLATE, rng.choice(plates, len(a)), self.created[a] + rng.integers(0, 60 * DAY, len(a)))
            phones = self.vids(max(2, int(0.4 * n)))
            fp = accs[rng.random(n) < 0.5]
            k = rng.integers(1, 4, len(fp))
            a = np.repeat(fp, k)
            self.sig(a, K_DEV, rng.choice(phones, len(a)), self.created[a] + rng.integers(0, 90 * DAY, len(a)))
            self.label_plan.append((accs, 0.5 if rng.random() < 0.4 else 0.02, 0))

    def g_campus(self):
        rng = self.rng
        for j in range(max(1, round(2 * self.s))):
            g = self.new_group("campus_cohort")
            c = self.pick_city()
            n = int(rng.integers(150, 451))
            u = rng.random(n)
            sept = 1694736000  # 2023-09-15
            created = np.where(u < 0.45, sept + rng.integers(0, 25 * DAY, n),
                               np.where(u < 0.7, START + 42 * DAY + rng.integers(0, 18 * DAY, n),
                                        START - rng.integers(-100, 900, n) * DAY))
            accs = self.alloc(n, RIDER, c, created, "campus_cohort", "student", False, g)
            self.rider_rate[accs] = rng.lognormal(np.log(4), 0.9, n)
            self.food_rate[accs] = rng.lognormal(np.log(5), 0.9, n)
            ips = self.vids(int(rng.integers(2, 6)))
            m = accs[rng.random(n) < 0.85]
            self.sig(m, K_IP, rng.choice(ips, len(m)))
            code = self.add_vocab([f"UNI-{CITIES[c][3]}{j + 1:02d}"])[0]
            cell = rng.choice(self.spec[c]["campus"])
            self.label_plan.append((accs, 0.02, 0))

            def events(accs=accs, code=code, cell=cell):
                n = len(accs)
                od = START + (49 + int(rng.integers(0, 3))) * DAY + 10 * HOUR
                t = od + rng.exponential(2 * HOUR, n).astype(np.int64)
                m = (rng.random(n) < 0.6) & (self.created[accs] < t)
                self.ev(accs[m], A_PROMO, code, t[m], 5.0)
                nights = np.array([d for d in range(NDAYS) if d % 7 in (4, 5)])
                p = rng.uniform(0.02, 0.15, n)
                att = rng.random((n, len(nights))) < p[:, None]
                ai, ni = np.nonzero(att)
                t = START + nights[ni] * DAY + 23 * HOUR + rng.normal(0, 1.5 * HOUR, len(ai)).astype(np.int64)
                r = accs[ai]
                ok = self.created[r] < t
                self.emit_trips(r[ok], -1, t[ok], cell, p_cancel=0.1)
                cr = self.created[accs]
                newc = accs[(cr >= START) & (rng.random(n) < 0.2)]
                older = accs[cr < START]
                if len(newc) and len(older):
                    ref = rng.choice(older, len(newc))
                    self.ev(newc, A_REF, ref, self.created[newc] + rng.integers(60, 1800, len(newc)))
            self.later.append(events)

    def g_carrier_nat(self):
        rng = self.rng
        small = np.argsort(CITY_W)[:3]
        for _ in range(max(1, round(2 * self.s))):
            g = self.new_group("carrier_nat_cohort")
            c = int(rng.choice(small))
            n = int(rng.integers(80, 251))
            created = START - rng.integers(-(NDAYS - 10), 1500, n) * DAY
            accs = self.alloc(n, RIDER, c, created, "carrier_nat_cohort", "mvno_subscriber", False, g)
            self.skip[accs, S_IPNAT] = True
            pool = self.vids(int(rng.integers(2, 4)))
            k = rng.integers(1, 3, n)
            a = np.repeat(accs, k)
            self.sig(a, K_IP, rng.choice(pool, len(a)))
            self.label_plan.append((accs, 0.03, 0))

    def g_recycled(self):
        rng = self.rng
        for _ in range(max(2, round(0.0025 * self.N))):
            g = self.new_group("recycled_phone_pair")
            c = self.pick_city()
            old = self.alloc(1, RIDER, c, START - int(rng.integers(700, 2500)) * DAY,
                             "recycled_phone_pair", "previous_owner", False, g)
            new = self.alloc(1, RIDER, c, START + int(rng.integers(0, NDAYS - 5)) * DAY + int(rng.integers(DAY)),
                             "recycled_phone_pair", "new_owner", False, g)
            self.rider_rate[old] = 0
            self.food_rate[old] = 0
            self.organic_ok[old] = False
            ph = self.vids(1)[0]
            self.skip[old, S_PHONE] = True
            self.skip[new, S_PHONE] = True
            self.sig(old, K_PHONE, ph)
            self.sig(new, K_PHONE, ph)
            self.label_plan.append((np.concatenate([old, new]), 0.03, 0))

    def g_dual(self):
        rng = self.rng
        for _ in range(max(2, round(0.003 * self.N))):
            g = self.new_group("dual_role_pair")
            c = self.pick_city()
            d = self.alloc(1, DRIVER, c, START - int(rng.integers(30, 1200)) * DAY,
                           "dual_role_pair", "driver_self", False, g)
            r = self.alloc(1, RIDER, c, START - int(rng.integers(-(NDAYS - 10), 1500)) * DAY,
                           "dual_role_pair", "rider_self", False, g)
            self.rider_rate[r] = rng.lognormal(np.log(3), 0.7)
            both = np.concatenate([d, r])
            for s, k in ((S_DEV, K_DEV), (S_PHONE, K_PHONE), (S_HOME, K_HOME), (S_IPHOME, K_IP)):
                self.skip[both, s] = True
                self.sig(both, k, self.vids(1)[0])
            self.label_plan.append((both, 0.03, 0))

    # ------------------------------------------------------------------ organic
    def fill_organic(self):
        rng = self.rng
        N = self.N
        used = self.atype[:self.na]
        left = N - self.na
        nd = int(max(0, 0.06 * N - (used == DRIVER).sum()))
        nc = int(max(0, 0.04 * N - (used == COURIER).sum()))
        nd, nc = min(nd, left), min(nc, max(0, left - nd))
        nr = left - nd - nc
        for t, n in ((DRIVER, nd), (COURIER, nc), (RIDER, nr)):
            if n == 0:
                continue
            cities = rng.choice(NC, n, p=CITY_P)
            old_p = 0.62 if t == RIDER else 0.85
            old = rng.random(n) < old_p
            created = np.where(old, START - np.minimum(rng.exponential(500 * DAY, n), 2200 * DAY).astype(np.int64),
                               START + (rng.random(n) ** 0.8 * (NDAYS - 1) * DAY).astype(np.int64))
            role = {RIDER: "organic_rider", DRIVER: "organic_driver", COURIER: "organic_courier"}[t]
            self.alloc(n, t, cities, created, "organic", role, False)
        self.label_plan.append((np.nonzero(self.gkind == GK["organic"])[0], 0.03, 0))
        self.label_plan.append((np.nonzero(self.gkind == GK["organic"])[0], 0.0008, 1))

    def fill_rates(self):
        rng = self.rng
        N = self.N
        old = self.created < START
        rid = self.atype == RIDER
        m = rid & np.isnan(self.rider_rate)
        dormant = old & (rng.random(N) < 0.22)
        rr = rng.lognormal(np.log(5), 1.0, N)
        power = rng.random(N) < 0.005
        rr[power] = rng.uniform(120, 350, power.sum())
        self.rider_rate[m] = np.where(dormant[m], 0, np.minimum(rr[m], 400))
        m = rid & np.isnan(self.food_rate)
        fr = np.where(rng.random(N) < 0.55, rng.lognormal(np.log(3), 1.1, N), 0)
        self.food_rate[m] = np.where(dormant[m], 0, np.minimum(fr[m], 250))
        self.rider_rate[~rid & np.isnan(self.rider_rate)] = 0
        self.food_rate[~rid & np.isnan(self.food_rate)] = 0
        for t, arr in ((DRIVER, self.drv_w), (COURIER, self.cour_w)):
            is_t = self.atype == t
            m = is_t & np.isnan(arr)
            w = rng.lognormal(0, 0.8, N)
            arr[m] = np.where(old[m] & (rng.random(N)[m] < 0.15), 0, w[m])
            arr[~is_t & np.isnan(arr)] = 0
        w = np.where(self.atype == DRIVER, self.drv_w, self.cour_w)
        m = np.isnan(self.shift_rate)
        self.shift_rate[m] = np.where(self.atype[m] == RIDER, 0, 35 * w[m])

    def base_signals(self):
        rng = self.rng
        N = self.N
        A = np.arange(N)
        sk = self.skip
        cr = self.created

        def later_seen(acc):
            lo = np.maximum(cr[acc], START - 365 * DAY)
            return lo + (rng.random(len(acc)) * (END - lo)).astype(np.int64)

        # handsets (1-3; later ones are phone upgrades)
        acc0 = A[~sk[:, S_DEV]]
        k = rng.choice([1, 2, 3], len(acc0), p=[.85, .12, .03])
        acc = np.repeat(acc0, k)
        pos = np.arange(len(acc)) - np.repeat(np.cumsum(k) - k, k)
        seen = np.where(pos == 0, cr[acc] + rng.integers(0, 600, len(acc)), later_seen(acc))
        self.sig(acc, K_DEV, self.vids(len(acc)), seen)
        m = (pos > 0) & (seen >= START)
        self.ev(acc[m], A_LOGIN, rng.choice(self.models, m.sum(), p=self.model_p), seen[m])
        # phones; some fresh organic accounts draw a recycled virtual number
        acc = A[~sk[:, S_PHONE]]
        v = self.vids(len(acc))
        rec = (cr[acc] >= START - 60 * DAY) & (rng.random(len(acc)) < 0.01) & (self.gkind[acc] == GK["organic"])
        for co in range(len(COUNTRIES)):
            mm = rec & (CITY_COUNTRY[self.city[acc]] == co)
            v[mm] = rng.choice(self.sms_pool[co], mm.sum())
        self.sig(acc, K_PHONE, v)
        acc = A[~sk[:, S_EMAIL] & (rng.random(N) < 0.92)]
        self.sig(acc, K_EMAIL, self.vids(len(acc)))
        # home broadband (unique per account unless a group set it)
        acc = A[~sk[:, S_IPHOME] & (rng.random(N) < 0.6)]
        self.sig(acc, K_IP, self.vids(len(acc)), later_seen(acc))
        # mobile carrier NAT addresses of the city the account is used in
        acc0 = A[~sk[:, S_IPNAT]]
        k = rng.choice([1, 2, 3], len(acc0), p=[.5, .35, .15])
        acc = np.repeat(acc0, k)
        carrier = np.repeat(rng.choice(3, len(acc0), p=[.45, .35, .2]), k)
        v = np.empty(len(acc), np.int64)
        wc = self.work_city[acc]
        for c in range(NC):
            for ca in range(3):
                mm = (wc == c) & (carrier == ca)
                v[mm] = rng.choice(self.nat[c][ca], mm.sum())
        self.sig(acc, K_IP, v, later_seen(acc))
        # cards
        acc0 = A[~sk[:, S_CARD]]
        k = np.where(self.atype[acc0] == RIDER, rng.choice([0, 1, 2], len(acc0), p=[.15, .65, .2]),
                     (rng.random(len(acc0)) < 0.3).astype(int))
        acc = np.repeat(acc0, k)
        pos = np.arange(len(acc)) - np.repeat(np.cumsum(k) - k, k)
        seen = np.where(pos == 0, cr[acc] + rng.integers(60, 3 * DAY, len(acc)), later_seen(acc))
        cv = self.vids(len(acc))
        self.sig(acc, K_CARD, cv, seen)
        m = (seen >= START) & (seen < END)
        self.ev(acc[m], A_CARD_ADD, NS_PM + cv[m], seen[m])
        m2 = (rng.random(len(acc)) < 0.002) & (self.atype[acc] == RIDER)
        self.ev(acc[m2], A_CHARGEBACK, NS_PM + cv[m2], START + rng.integers(0, NDAYS * DAY, m2.sum()))
        # workers: payout account, identity document, plate
        work = self.atype != RIDER
        acc = A[work & ~sk[:, S_IBAN]]
        v = self.vids(len(acc))
        self.sig(acc, K_IBAN, v)
        self.payout_dest[acc] = np.where(self.payout_dest[acc] < 0, v, self.payout_dest[acc])
        acc = A[work & ~sk[:, S_DOC]]
        self.sig(acc, K_DOC, self.vids(len(acc)))
        acc = A[(self.atype == DRIVER) & ~sk[:, S_PLATE] & (rng.random(N) < 0.97)]
        self.sig(acc, K_PLATE, self.vids(len(acc)))
        # saved home / registered address: big apartment blocks are shared by strangers
        p_home = np.where(work, 0.85, 0.4)
        acc = A[~sk[:, S_HOME] & (rng.random(N) < p_home)]
        v = np.empty(len(acc), np.int64)
        for c in range(NC):
            mm = self.city[acc] == c
            b, bp = self.buildings[c]
            v[mm] = rng.choice(b, mm.sum(), p=bp)
        self.sig(acc, K_HOME, v, later_seen(acc))
        # identity vendor look-alike false matches among workers
        wk = A[work]
        k = max(1, int(0.004 * len(wk)))
        a, b = rng.choice(wk, k), rng.choice(wk, k)
        ok = a != b
        self.link(a[ok], b[ok], rng.uniform(0.8, 0.9, ok.sum()).round(3))

    def organic_behaviour(self):
        rng = self.rng
        N = self.N
        A = np.arange(N)
        lo_all = self.active_lo(A)
        frac = np.clip((END - lo_all) / (END - START), 0, 1)
        # rides
        n = rng.poisson(self.rider_rate * frac)
        r = np.repeat(A, n)
        t = self.ts_profile(lo_all[r], np.full(len(r), END), RIDE_H)
        home = np.empty(N, np.int64)
        work = np.empty(N, np.int64)
        cells = np.empty(len(r), np.int64)
        rc = self.city[r]
        for c in range(NC):
            mm = self.city == c
            home[mm] = rng.choice(self.cells[c], mm.sum(), p=self.cell_p[c])
            work[mm] = rng.choice(self.cells[c], mm.sum(), p=self.cell_p[c])
            mm = rc == c
            cells[mm] = rng.choice(self.cells[c], mm.sum(), p=self.cell_p[c])
        u = rng.random(len(r))
        cells = np.where(u < 0.35, home[r], np.where(u < 0.55, work[r], cells))
        self.emit_trips(r, -1, t, cells)
        # food
        n = rng.poisson(self.food_rate * frac)
        r = np.repeat(A, n)
        t = self.ts_profile(lo_all[r], np.full(len(r), END), FOOD_H)
        mer = np.empty(len(r), np.int64)
        fav = np.empty(N, np.int64)
        rc = self.city[r]
        for c in range(NC):
            mm = self.city == c
            fav[mm] = rng.choice(self.merch[c], mm.sum(), p=self.merch_p[c])
            mm = rc == c
            mer[mm] = rng.choice(self.merch[c], mm.sum(), p=self.merch_p[c])
        mer = np.where(rng.random(len(r)) < 0.4, fav[r], mer)
        self.emit_food(r, mer, t)
        # shifts of drivers and couriers, in the city they work in
        n = rng.poisson(self.shift_rate * frac)
        a = np.repeat(A, n)
        t = self.ts_profile(lo_all[a], np.full(len(a), END), SHIFT_H)
        base = np.empty((N, 3), np.int64)
        for c in range(NC):
            mm = self.work_city == c
            base[mm] = rng.choice(self.cells[c], (mm.sum(), 3), p=self.cell_p[c])
        self.ev(a, A_ONLINE, base[a, rng.integers(0, 3, len(a))], t)
        # promos: welcome code for new riders, seasonal codes, influencer codes
        ok = self.organic_ok & (self.atype == RIDER)
        newr = A[ok & (self.created >= START) & (rng.random(N) < 0.55)]
        self.ev(newr, A_PROMO, self.p_welcome[self.city[newr]],
                self.created[newr] + rng.exponential(3 * HOUR, len(newr)).astype(np.int64), 5.0)
        act = A[ok & (self.rider_rate + self.food_rate > 0)]
        for j, (code, d0, d1) in enumerate(SEASONAL):
            sel = act[rng.random(len(act)) < 0.07]
            t = START + rng.integers(d0 * DAY, d1 * DAY, len(sel))
            sel, t = sel[self.created[sel] < t], t[self.created[sel] < t]
            self.ev(sel, A_PROMO, self.p_seasonal[j], t, 3.0)
        sel = act[rng.random(len(act)) < 0.03]
        t = np.maximum(self.active_lo(sel), START) + rng.integers(0, 30 * DAY, len(sel))
        self.ev(sel, A_PROMO, self.p_infl[self.city[sel], rng.integers(0, 4, len(sel))], t, 6.0)
        # organic referrals between acquaintances
        newr = A[ok & (self.created >= START) & (rng.random(N) < 0.07)]
        olds = A[ok & (self.created < START) & (self.gkind == GK["organic"])]
        for c in range(NC):
            mm = newr[self.city[newr] == c]
            po = olds[self.city[olds] == c]
            if len(mm) == 0 or len(po) == 0:
                continue
            ref = rng.choice(po, len(mm))
            t = self.created[mm] + rng.integers(60, 3600, len(mm))
            self.ev(mm, A_REF, ref, t)
            m = rng.random(len(mm)) < 0.7
            self.ev(ref[m], A_REF_REWARD, mm[m], t[m] + rng.integers(DAY, 6 * DAY, m.sum()), 10.0)
        # instant cash-outs of some workers, gift cards of a few riders
        wk = A[(self.atype != RIDER) & (self.shift_rate > 0) & (rng.random(N) < 0.15)]
        k = rng.integers(2, 11, len(wk))
        a = np.repeat(wk, k)
        t = self.ts_profile(lo_all[a], np.full(len(a), END), SHIFT_H)
        self.ev(a, A_CASHOUT, NS_PO + self.payout_dest[a], t, np.round(rng.uniform(20, 200, len(a)), 2))
        g = A[(self.atype == RIDER) & (self.rider_rate > 0) & (rng.random(N) < 0.01)]
        t = self.ts_profile(lo_all[g], np.full(len(g), END), RIDE_H)
        self.ev(g, A_GIFT, rng.choice(self.skus, len(g), p=[.4, .3, .1, .05, .1, .05]), t,
                rng.choice([25.0, 50.0], len(g)))

    def settle(self):
        """Weekly payouts per payout destination and weekly quest bonuses."""
        rng = self.rng
        acc = np.concatenate(self.trips["acc"])
        t = np.concatenate(self.trips["t"])
        amt = np.concatenate(self.trips["amt"])
        ok = (t >= START) & (t < END) & (t >= self.created[acc])
        acc, t, amt = acc[ok], t[ok], amt[ok]
        wk = (t - START) // WEEK
        key = acc * 32 + wk
        uk, inv = np.unique(key, return_inverse=True)
        sums = np.bincount(inv, amt)
        cnt = np.bincount(inv)
        a, w = uk // 32, uk % 32
        dest = self.payout_dest[a]
        pt = START + (w + 1) * WEEK + 2 * HOUR + (mix64(dest) % np.uint64(2700)).astype(np.int64) + rng.integers(0, 30, len(a))
        m = pt < END
        self.ev(a[m], A_PAYOUT, NS_PO + dest[m], pt[m], np.round(sums[m] * 0.75, 2))
        q = (self.atype[a] == DRIVER) & (cnt >= QUEST_N) & (w < NWEEKS)
        qt = START + (w[q] + 1) * WEEK + HOUR + rng.integers(0, 2 * HOUR, q.sum())
        self.ev(a[q], A_QUEST, self.quests[self.work_city[a[q]], w[q]], qt, rng.choice([30.0, 45.0, 60.0], q.sum()))

    # ------------------------------------------------------------------ build & write
    def build(self):
        self.g_collusion()
        self.g_emulator_farm()
        self.g_promo_ring()
        self.g_referral_chain()
        self.g_ato_wave()
        self.g_courier_rental()
        self.g_lone()
        self.g_hub_queues()
        self.g_stadium()
        self.g_corporate()
        self.g_family()
        self.g_fleet()
        self.g_campus()
        self.g_carrier_nat()
        self.g_recycled()
        self.g_dual()
        self.fill_organic()
        assert self.na == self.N
        self.fill_rates()
        self.base_signals()
        self.prepare_pools()
        self.organic_behaviour()
        for f in self.later:
            f()
        self.settle()

    def tables(self, with_labels=True):
        rng = self.rng
        N = self.N
        to_dt = lambda s: (pl.Series(s * 1_000_000)).cast(pl.Datetime("us"))
        country = np.array([c[1] for c in CITIES])[self.city].astype(object)
        country[rng.random(N) < 0.015] = None
        accounts = pl.DataFrame({
            "account_id": self.acc_ids,
            "created_at": to_dt(self.created),
            "account_type": TYPE_NAMES[self.atype],
            "country": pl.Series(country, dtype=pl.String),
            "home_city": np.array([c[0] for c in CITIES])[self.city],
        }).sort("account_id")

        # signals
        sa = np.concatenate(self.sg["acc"])
        sk = np.concatenate(self.sg["kind"])
        sv = np.concatenate(self.sg["vid"])
        ss = np.minimum(np.concatenate(self.sg["seen"]), END - 1)
        # one row per account-identifier pair: keep the first sighting
        df = pl.DataFrame({"a": sa, "k": sk, "v": sv, "s": ss}).group_by(["a", "k", "v"]).agg(pl.col("s").min())
        df = df.sort(["a", "k", "s", "v"])
        a, k, v, s = (df[c].to_numpy() for c in ("a", "k", "v", "s"))
        vals = hexify(v, 0x5161A1 + 31 * self.seed)
        seen = to_dt(s)
        seen = pl.select(pl.when(pl.Series(rng.random(len(s)) < 0.05)).then(None).otherwise(seen)).to_series()
        signals = pl.DataFrame({
            "account_id": self.acc_ids[a],
            "kind": np.array(KINDS)[k],
            "value": vals,
            "seen_at": seen,
        })

        # events
        ea = np.concatenate(self.ev_["acc"])
        ek = np.concatenate(self.ev_["act"])
        et = np.concatenate(self.ev_["tgt"])
        ets = np.concatenate(self.ev_["ts"])
        evl = np.concatenate(self.ev_["val"])
        ok = (ets >= START) & (ets < END) & (ets >= self.created[ea])
        ea, ek, et, ets, evl = ea[ok], ek[ok], et[ok], ets[ok], evl[ok]
        order = np.lexsort((ek, ea, ets))
        ea, ek, et, ets, evl = ea[order], ek[order], et[order], ets[order], evl[order]
        uk, inv = np.unique(et, return_inverse=True)
        vocab = np.concatenate(self.vocab)
        strs = np.empty(len(uk), dtype=object)
        ns = uk >> 40
        m0 = ns == 0
        strs[m0] = vocab[uk[m0]]
        m1 = ns == 1
        strs[m1] = np.char.add("pm_", hexify(uk[m1] & ((1 << 40) - 1), 0x9A1 + self.seed, 14))
        m2 = ns == 2
        strs[m2] = np.char.add("po_", hexify(uk[m2] & ((1 << 40) - 1), 0x90F + self.seed, 14))
        tgt = pl.Series(strs.astype(str)).gather(inv.ravel())
        events = pl.DataFrame({
            "account_id": pl.Series(self.acc_ids).gather(ea),
            "action": pl.Series(np.array(ACTIONS)).gather(ek.astype(np.int64)),
            "target_id": tgt,
            "ts": to_dt(ets),
            "value": pl.Series(evl).fill_nan(None),
        })

        # links
        la = np.concatenate(self.links["a"])
        lb = np.concatenate(self.links["b"])
        lw = np.concatenate(self.links["w"])
        x, y = np.minimum(la, lb), np.maximum(la, lb)
        links = pl.DataFrame({"account_a": self.acc_ids[x], "account_b": self.acc_ids[y],
                              "kind": "kyc_face_match", "weight": lw}) \
            .unique(["account_a", "account_b"], keep="first", maintain_order=True).sort(["account_a", "account_b"])

        # truth
        gnames = np.concatenate([[None], hexify(np.arange(self.ngroups), 0x6A0 + self.seed, 12)]).astype(object)
        gid_s = gnames[self.gid + 1]
        gid_s = np.array([None if x is None else "grp_" + x for x in gid_s], object)
        truth = pl.DataFrame({
            "account_id": self.acc_ids,
            "is_bad": self.bad,
            "group_id": pl.Series(gid_s, dtype=pl.String),
            "group_kind": np.array(GROUP_KINDS)[self.gkind],
            "role": pl.Series(self.role.astype(str)),
        }).sort("account_id")

        labels = None
        if with_labels:
            lab = np.full(N, -1, np.int8)
            for idx, p, val in self.label_plan:
                idx = np.atleast_1d(idx)
                sel = idx[rng.random(len(idx)) < p]
                lab[sel] = val
            flip = (lab == 1) & self.bad & (rng.random(N) < 0.03)    # overturned on appeal
            lab[flip] = 0
            m = lab >= 0
            labels = pl.DataFrame({"account_id": self.acc_ids[m], "label": lab[m].astype(np.int64)}).sort("account_id")
        return accounts, signals, events, links, truth, labels


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    args = ap.parse_args(argv)
    if args.accounts < 5000:
        ap.error("--accounts must be at least 5000")
    t0 = time.time()
    w = Hopwise(args.accounts, args.seed)
    w.build()
    accounts, signals, events, links, truth, labels = w.tables(not args.no_labels)
    os.makedirs(args.out_dir, exist_ok=True)
    accounts.write_parquet(os.path.join(args.out_dir, "accounts.parquet"))
    signals.write_parquet(os.path.join(args.out_dir, "signals.parquet"))
    events.write_parquet(os.path.join(args.out_dir, "events.parquet"))
    links.write_parquet(os.path.join(args.out_dir, "links.parquet"))
    truth.write_parquet(os.path.join(args.out_dir, "truth.parquet"))
    lp = os.path.join(args.out_dir, "labels.csv")
    if labels is not None:
        labels.write_csv(lp)
    elif os.path.exists(lp):
        os.remove(lp)
    summ = (truth.group_by("group_kind")
            .agg(pl.col("group_id").n_unique().alias("groups"), pl.len().alias("accounts"),
                 pl.col("is_bad").sum().alias("bad"))
            .sort(["bad", "accounts"], descending=True))
    summ = summ.with_columns(pl.when(pl.col("group_kind").is_in(["organic", "lone_fraud"]))
                             .then(0).otherwise(pl.col("groups")).alias("groups"))
    print(f"Hopwise seed={args.seed}: {accounts.height} accounts, {signals.height} signals, "
          f"{events.height} events, {links.height} links"
          + (f", {labels.height} labels ({int(labels['label'].sum())} bad)" if labels is not None else ", no labels"))
    print(f"bad accounts: {int(truth['is_bad'].sum())} ({truth['is_bad'].mean():.1%})")
    with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(summ)
    print(f"written to {args.out_dir} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()

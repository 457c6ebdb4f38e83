#!/usr/bin/env python3
"""Twenty-fourth synthetic marketplace: an online sports-betting and casino app.

Written from the data contract alone (DESIGN.md's input/output tables and the docstring of the
twenty-third generator for the output conventions); no detection code was read.

    python benchmarks/twentyfourth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

The app has a sportsbook (pre-match and in-play bets on markets, cash-out), a casino (slots and
tables, one ``casino.spin`` event per burst of spins), peer-to-peer poker tables, tipsters whom
players follow and whose picks they copy, bonuses (welcome, weekly reload, affiliate and
big-event codes), deposits and withdrawals on cards and e-wallets, KYC and account security.
Its own action names: ``signup``, ``login``, ``kyc.submit``, ``deposit``, ``deposit.fail``,
``withdraw``, ``payment.add``, ``bonus.claim``, ``bet.place``, ``bet.cashout``, ``casino.spin``,
``poker.sit``, ``tip.follow``, ``tip.post``, ``password.reset``, ``phone.change``,
``limit.set``.  Targets: markets (``mkt-N``), casino games (``game-N``), poker tables
(``tbl-N``), tipsters (``tipster-N``), bonus codes (``bonus-WELCOME100``, ``bonus-RELOAD-W07``,
``bonus-AFF3``, ``bonus-FINAL-B``), payment methods (``pm-visa``, ``pm-skrill`` ...), KYC
documents (``kyc-passport``), app surfaces / sign-up channels (``app-ios``, ``web``,
``aff-17``) and settings pages.  Extra event columns: ``amount`` (stake, deposit, net poker
result ...) and ``odds`` (bets only).  Identifier kinds: ``device_id``, ``ip``, ``phone``,
``email_hash``, ``card_fp``, ``wallet_id``, ``ua_fp`` (a coarse device fingerprint shared by
hundreds per value; four "emulator" values used by a few honest developers too).  All values
are opaque 16-hex-digit hashes.

Output (the data contract): ``accounts.parquet`` (account_id, created_at, account_type
standard/vip, country), ``events.parquet``, ``signals.csv`` (with ``seen_at``, ISO times),
``labels.parquet`` (unless ``--no-labels``), ``links.parquet`` (``referral`` links, referrer
-> referee) and ``truth.parquet`` (account_id, is_bad, group_id, group_kind for every account).
Timestamps are naive UTC.  Events run 2024-01-15 .. 2024-06-13 (150 days; two finals inside:
2024-02-11 23:30 and 2024-06-01 19:00); accounts were created from 2018 on, ~20% inside the
window.  Deterministic for (accounts, seed).  Counts below are for 20,000 accounts and scale.

Background: ten countries (time zones, diurnal activity, a home league region), ~8,000 markets
(3% top fixtures with heavy liquidity, 30% mid, 67% obscure: lower leagues, ITF tennis,
esports, table tennis at 3 a.m.), each obscure market with 0-4 odds moves.  Players have an
activity level (lognormal), a stake level, a payment method, a platform; ~22% of old accounts
are dormant, new ones churn.  1.2% of ordinary players are "sharps" who bet obscure markets
within seconds to minutes of an odds move, each on their own.  Shared honest identifiers:
carrier NAT IPs (six per country, hundreds of accounts each), VPN exits (data-centre IPs, a
few dozen per popular exit) on 5% of players, office IPs, pub IPs visited by 2% of players,
recycled phone numbers, the popular ``ua_fp`` values.

BAD groups (is_bad true, ~5-6% of accounts, variant in the group_id):

* ``bonus_ring`` (12 groups, 5-40 accounts): one operator multi-accounting.  Accounts created
  in 1-3 bursts (``blunt``: within 3 hours; ``careful``: over two days per burst), half via
  one affiliate link; a pool of VoIP phones (one per ~6 accounts blunt, ~3 careful), 1-3
  shared devices (blunt) or per-account device ids on an emulator ``ua_fp`` with a third of
  the accounts sharing a device (careful); one or two home IPs and VPN exits (blunt) or
  residential proxies that are honest homes' IPs (careful); 1-3 (2-5) cards for every deposit
  and withdrawal.  Each account deposits the minimum, claims the welcome bonus within an hour
  (blunt) or a day (careful), places 3-8 minimum bets on the ring's few popular markets
  (sequentially, tens of seconds apart, when blunt; spread over hours when careful),
  withdraws to the shared cards after a few days.  Half of the rings refer each other
  (``referral`` links: a star or a chain).
* ``arb_syndicate`` (6, 10-60): aged accounts on their own phones, devices, e-mails and
  e-wallets, each using 2-5 IPs of the syndicate's residential-proxy pool (honest homes'
  IPs; blunt ones also two VPN exits).  On 25-70 obscure markets, right after an odds move,
  20-40% of the members bet within ~1 minute (blunt) or 20 s - 12 min (careful); otherwise
  they bet like ordinary players.
* ``match_fixing`` (5, 3-10): aged accounts with light ordinary lives, betting 300-3,000 on
  the same 2-5 obscure markets 10-90 minutes before they close (all members, ``tight``, or
  ~60% per market, ``spread``); a third of the groups have two members on one home IP.
* ``chip_dumping`` (5, 4-12): one aged receiver and dumpers who sit at the same rarely used
  high-stakes poker tables within minutes, 12-35 times, losing to the receiver, who
  withdraws; dumpers deposit before sessions.  ``blunt``: dumpers share 1-2 devices and one
  IP; ``careful``: own devices, residential proxies.
* ``ato_wave`` (4, 25-150 victims): old honest accounts (60% dormant) that within 1-2
  (``fast``) or 3-7 days (``slow``) log in from an attacker's device pool (2-4 / 5-12
  devices) on VPN exits (fast) or residential proxies (slow), get a new phone from a small
  pool, reset the password, add an attacker card or wallet and withdraw.
* lone bad actors (is_bad true, no group): ~50 ``lone_bonus_abuser`` (as a ring of one) and
  ~30 ``lone_card_tester`` (5-40 cards, tens of failed micro-deposits within an hour, VPN).

BENIGN look-alikes (is_bad false, group_id set), what a detector must not flag:

* ``household`` (~600 groups, 2-5): one home IP, a shared tablet in 35%, a family card in
  20%, a referral in 30%.
* ``pub_wifi`` (12, 20-80), ``betting_shop`` (4, 30-150), ``stadium_wifi`` (2, 150-400):
  strangers on one venue IP, 15-60% of whom bet the match being shown within the same two
  hours, on 8-80 match days.
* ``tipster_followers`` (4 big: a tipster + 150-600 followers; 6 small: 15-60): the tipster
  posts a pick (often an obscure market) and 12-45% of the followers bet it within minutes
  (lognormal delay, median ~4 min); their own devices, created over years; 15% joined via
  the tipster's referral link (a referral star).
* ``office_sweepstake`` (10, 8-30): colleagues on one office IP betting small stakes on the
  same 1-3 big matches within an hour; 30% of them joined days before the first match on the
  organiser's referral and claimed the welcome bonus.
* ``big_event_crowd`` (2 finals, ~7% of accounts each): bets on the final's market within
  minutes of kick-off, 40% with the final's free-bet code.
* ``vip_high_roller`` (~80, no group_id): heavy, regular, high-stake activity, many deposits.
* ``affiliate_cohort`` (4, 60-300): independent people created in one campaign week (one of
  them just before the June final) via one affiliate link, claiming its bonus code; half make
  a few minimum bets and churn, like bonus abusers.
* plain ``organic`` players (group_id null).

Labels: investigations / chargebacks found about half of the bad groups (60% of the ATO
waves), 50-100% of their members labelled, ~5% of those wrongly 0; 40% of the lone actors;
~13% of honest accounts carry a 0 (older ones and VIPs more often); 0.4% of honest accounts a
1 (friendly-fraud chargebacks); one affiliate cohort has 25-50% of its members labelled 1 by an
overzealous bonus-abuse rule.  About 15% of accounts are labelled.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import polars as pl

EPOCH = np.datetime64("2024-01-15T00:00:00", "s")
MIN, HOUR, DAY = 60, 3600, 86400
DAYS = 150
WIN = DAYS * DAY
FINALS = {"A": 27 * DAY + 23 * HOUR + 30 * MIN, "B": 138 * DAY + 19 * HOUR}

COUNTRIES = ["GB", "IE", "DE", "ES", "IT", "SE", "NG", "KE", "BR", "CA"]
C_P = np.array([.34, .06, .10, .08, .07, .05, .10, .06, .08, .06])
C_TZ = np.array([0, 0, 1, 1, 1, 1, 1, 3, -3, -5])
C_REGION = np.array([0, 0, 1, 1, 1, 1, 2, 2, 3, 4])  # 5 = global (esports, tennis ...)
NREG = 6
HOUR_W = np.array([3, 2, 1.2, .8, .6, .6, .9, 1.5, 2.2, 2.6, 2.8, 3, 3.3, 3.3, 3.2, 3.3, 3.6,
                   4.2, 5, 5.8, 6.3, 6.2, 5.4, 4.3])
HOUR_P = HOUR_W / HOUR_W.sum()

ACTIONS = ["signup", "login", "kyc.submit", "deposit", "deposit.fail", "withdraw", "payment.add",
           "bonus.claim", "bet.place", "bet.cashout", "casino.spin", "poker.sit", "tip.follow",
           "tip.post", "password.reset", "phone.change", "limit.set"]
ACT = {a: i for i, a in enumerate(ACTIONS)}
PMS = ["pm-visa", "pm-mastercard", "pm-paypal", "pm-skrill", "pm-banktransfer", "pm-applepay",
       "pm-paysafecard"]
PM_P = [.34, .22, .14, .07, .10, .10, .03]
PLATFORMS = ["app-ios", "app-android", "web"]
KINDS = ["device_id", "ip", "phone", "email_hash", "card_fp", "wallet_id", "ua_fp"]
KIND = {k: i for i, k in enumerate(KINDS)}


class Gen:
    def __init__(self, n: int, seed: int):
        self.N = n
        self.seed = seed
        self.sc = n / 20000
        self.r = np.random.default_rng(seed)
        self.ev = {k: [] for k in ("a", "act", "tgt", "ts", "amt", "odds")}
        self.sg = {k: [] for k in ("a", "kind", "val", "ts")}
        self.links: list[tuple[np.ndarray, np.ndarray]] = []
        self.named: dict[str, int] = {}
        self.next_id = 1
        self.group_id = np.full(n, None, object)
        self.group_kind = np.full(n, "organic", object)
        self.is_bad = np.zeros(n, bool)
        self.taken = np.zeros(n, bool)
        self.groups: list[tuple[str, str, bool, np.ndarray]] = []
        self.later = []

    # ------------------------------------------------------------------ helpers
    def nid(self, k):
        ids = np.arange(self.next_id, self.next_id + k, dtype=np.int64)
        self.next_id += k
        return ids

    def tname(self, s):
        return self.NAMED_OFF + self.named.setdefault(s, len(self.named))

    def add_ev(self, a, act, tgt, ts, amt=None, odds=None):
        a = np.atleast_1d(np.asarray(a, np.int64))
        n = a.size
        if n == 0:
            return
        E = self.ev
        E["a"].append(a)
        E["act"].append(np.full(n, ACT[act], np.int16))
        E["tgt"].append(np.broadcast_to(np.asarray(tgt, np.int64), (n,)).copy())
        E["ts"].append(np.broadcast_to(np.asarray(ts, np.float64), (n,)).astype(np.int64))
        E["amt"].append(np.full(n, np.nan) if amt is None
                        else np.round(np.broadcast_to(np.asarray(amt, float), (n,)), 2))
        E["odds"].append(np.full(n, np.nan) if odds is None
                         else np.round(np.broadcast_to(np.asarray(odds, float), (n,)), 2))

    def add_sig(self, a, kind, val, ts):
        a = np.atleast_1d(np.asarray(a, np.int64))
        n = a.size
        if n == 0:
            return
        S = self.sg
        S["a"].append(a)
        S["kind"].append(np.full(n, KIND[kind], np.int8))
        S["val"].append(np.broadcast_to(np.asarray(val, np.int64), (n,)).copy())
        S["ts"].append(np.broadcast_to(np.asarray(ts, np.float64), (n,)).astype(np.int64))

    def add_links(self, a, b):
        a = np.atleast_1d(np.asarray(a, np.int64))
        b = np.atleast_1d(np.asarray(b, np.int64))
        if a.size:
            self.links.append((a, b))

    def take(self, k, mask=None):
        ok = ~self.taken if mask is None else (~self.taken & mask)
        cand = np.flatnonzero(ok)
        k = int(min(k, cand.size))
        idx = self.r.choice(cand, k, replace=False)
        self.taken[idx] = True
        return np.sort(idx)

    def mark(self, idx, gid, kind, bad):
        self.group_id[idx] = gid
        self.group_kind[idx] = kind
        self.is_bad[idx] = bad
        self.groups.append((gid, kind, bad, idx))

    def diurnal(self, s, e, tz):
        r = self.r
        s = np.asarray(s, float)
        e = np.maximum(np.asarray(e, float), s + 60)
        n = s.size
        t = s + r.random(n) * (e - s)
        day = np.floor((t + tz * HOUR) / DAY)
        h = r.choice(24, n, p=HOUR_P)
        out = day * DAY + h * HOUR + r.random(n) * HOUR - tz * HOUR
        bad = (out < s) | (out >= e)
        out[bad] = t[bad]
        return out

    def zipf_p(self, k, a=1.1):
        w = 1.0 / np.arange(1, k + 1) ** a
        return w / w.sum()

    # ------------------------------------------------------------------ world
    def world(self):
        r, N = self.r, self.N
        # markets
        M = max(2500, int(0.4 * N))
        tier = r.choice(3, M, p=[.03, .30, .67])
        reg = np.where(tier < 2, np.where(r.random(M) < .15, 5, C_REGION[r.choice(10, M, p=C_P)]),
                       np.where(r.random(M) < .7, 5, C_REGION[r.choice(10, M, p=C_P)]))
        day = r.integers(0, DAYS, M)
        wkend = r.random(M) < .45
        day = np.where(wkend, day - (day % 7) + 5 + r.integers(0, 2, M), day)  # Jan 15 is a Monday
        day = np.clip(day, 0, DAYS - 1)
        reg_tz = np.array([0, 1, 1, -3, -5, 0])[reg]
        hour = np.where(tier < 2, r.choice([13, 15, 17, 19, 20], M), r.integers(0, 24, M))
        close = day * DAY + (hour - reg_tz) * HOUR + r.choice([0, 30 * MIN, 45 * MIN], M)
        w = np.where(tier == 0, r.lognormal(np.log(150), .6, M),
                     np.where(tier == 1, r.lognormal(np.log(8), .7, M), r.lognormal(np.log(.4), .8, M)))
        # the two finals
        close = np.concatenate([close, [FINALS["A"], FINALS["B"]]])
        tier = np.concatenate([tier, [0, 0]])
        reg = np.concatenate([reg, [5, 5]])
        w = np.concatenate([w, [250.0, 250.0]])
        is_final = np.zeros(M + 2, bool)
        is_final[-2:] = True
        close = np.clip(close, HOUR, WIN - HOUR)
        o = np.argsort(close, kind="stable")
        self.close, self.tier, self.mreg, self.mw = close[o].astype(np.int64), tier[o], reg[o], w[o]
        self.M = M + 2
        fin = np.flatnonzero(is_final[o])
        self.final_mkt = {"A": fin[0], "B": fin[1]}
        self.cum = np.zeros((NREG + 1, self.M + 1))
        for p in range(NREG):
            self.cum[p, 1:] = np.cumsum(self.mw * (self.mreg == p))
        self.cum[NREG, 1:] = np.cumsum(self.mw)
        # odds moves on obscure markets
        ob = np.flatnonzero(self.tier == 2)
        k = r.poisson(1.5, ob.size)
        mm = np.repeat(ob, k)
        self.moves_m = mm
        self.moves_t = self.close[mm] - r.uniform(.5 * HOUR, 36 * HOUR, mm.size)
        # other catalogues
        self.G = 400
        self.P = max(150, int(300 * self.sc))
        self.NT = 10
        self.GAME_OFF = self.M
        self.TBL_OFF = self.GAME_OFF + self.G
        self.TIP_OFF = self.TBL_OFF + self.P
        self.NAMED_OFF = self.TIP_OFF + self.NT
        # identifier pools
        self.nat = self.nid(10 * 6).reshape(10, 6)
        self.ndc = max(40, int(150 * self.sc))
        self.dc = self.nid(self.ndc)
        self.dc_p = self.zipf_p(self.ndc, 1.0)
        self.nua = 250
        self.ua = self.nid(self.nua)
        self.ua_p = self.zipf_p(self.nua, 1.05)
        self.emu = self.nid(4)
        self.noff = max(50, N // 40)
        self.offices = self.nid(self.noff)
        self.off_p = self.zipf_p(self.noff, 0.9)
        self.npub = max(10, N // 400)
        self.pubs = self.nid(self.npub)
        # accounts
        self.country = r.choice(10, N, p=C_P)
        self.tz = C_TZ[self.country]
        self.region = C_REGION[self.country]
        inwin = r.random(N) < .2
        self.created = np.where(inwin, r.random(N) * (WIN - 3 * DAY),
                                -(r.random(N) ** 1.6) * 2200 * DAY - DAY).astype(np.int64)
        self.act = r.lognormal(0, 1.0, N)
        self.dormant = (~inwin) & (r.random(N) < .22)
        self.churn = np.where(inwin, r.random(N) < .4, r.random(N) < .12)
        self.churn_len = r.exponential(20 * DAY, N) + DAY
        self.casino = r.random(N) < .4
        self.poker = r.random(N) < .07
        self.stake = r.lognormal(np.log(8), .9, N)
        self.pm = r.choice(len(PMS), N, p=PM_P)
        self.platform = r.choice(3, N, p=[.45, .35, .2])
        self.bgmul = np.ones(N)  # background activity multiplier (0 = none)
        self.casmul = np.ones(N)
        self.welcome = r.random(N) < .55
        self.acct_type = np.full(N, "standard", object)
        self.home_ip = self.nid(N)
        self.sharp = np.zeros(N, bool)
        self.affsrc = np.where(r.random(N) < .25, r.integers(0, 60, N), -1)  # sign-up channel

    def spans(self):
        s = np.maximum(self.created, 0)
        e = np.where(self.churn, s + self.churn_len, WIN)
        self.s = s.astype(np.int64)
        self.e = np.clip(e, s + HOUR, WIN).astype(np.int64)

    def pick_markets(self, pool, lo_t, hi_t):
        r = self.r
        n = pool.size
        lo = np.searchsorted(self.close, lo_t)
        hi = np.searchsorted(self.close, hi_t)
        m = np.zeros(n, np.int64)
        ok = np.zeros(n, bool)
        for p in range(NREG + 1):
            sel = np.flatnonzero(pool == p)
            if sel.size == 0:
                continue
            C = self.cum[p]
            wl, wh = C[lo[sel]], C[hi[sel]]
            u = wl + r.random(sel.size) * (wh - wl)
            idx = np.searchsorted(C, u, "right") - 1
            idx = np.clip(idx, lo[sel], np.maximum(hi[sel] - 1, lo[sel]))
            idx = np.clip(idx, 0, self.M - 1)
            m[sel] = idx
            ok[sel] = (wh > wl) & ((self.mreg[idx] == p) | (p == NREG))
        return m, ok

    def markets_where(self, tiers, lo_t, hi_t, regions=None):
        ok = np.isin(self.tier, tiers) & (self.close >= lo_t) & (self.close < hi_t)
        if regions is not None:
            ok &= np.isin(self.mreg, regions)
        return np.flatnonzero(ok)

    # ------------------------------------------------------------------ bad groups
    def bonus_ring(self, k, variant, lone=False):
        r = self.r
        blunt = variant == "blunt"
        n = 1 if lone else int(r.integers(5, 41))
        idx = self.take(n)
        if lone:
            self.group_kind[idx] = "lone_bonus_abuser"
            self.is_bad[idx] = True
        else:
            self.mark(idx, f"bonus_ring-{k:02d}-{variant}", "bonus_ring", True)
        nb = int(r.integers(1, 4))
        centers = r.uniform(3 * DAY, WIN - 30 * DAY, nb)
        spread = 3 * HOUR if blunt else 2 * DAY
        created = centers[r.integers(0, nb, n)] + r.random(n) * spread
        self.created[idx] = created.astype(np.int64)
        self.bgmul[idx] = 0.0
        self.churn[idx] = False
        self.welcome[idx] = False  # handled here
        self.acct_type[idx] = "standard"
        aff = int(r.integers(0, 60)) if (r.random() < .5 and not lone) else -1
        self.affsrc[idx] = aff if aff >= 0 else -1
        # identifiers
        t0 = created
        emails = self.nid(n)
        self.add_sig(idx, "email_hash", emails, t0)
        if lone:
            self.add_sig(idx, "phone", self.nid(1), t0)
            self.add_sig(idx, "device_id", self.nid(1), t0)
            self.add_sig(idx, "ua_fp", self.emu[r.integers(0, 4)] if r.random() < .5
                         else self.ua[r.choice(self.nua, p=self.ua_p)], t0)
            self.add_sig(idx, "ip", self.dc[r.choice(self.ndc, p=self.dc_p)] if r.random() < .5
                         else self.home_ip[idx], t0)
            cards = self.nid(int(r.integers(1, 3)))
        else:
            phones = self.nid(max(2, n // (6 if blunt else 3)))
            self.add_sig(idx, "phone", phones[r.integers(0, phones.size, n)], t0)
            if blunt:
                devs = self.nid(int(r.integers(1, 4)))
                self.add_sig(idx, "device_id", devs[r.integers(0, devs.size, n)], t0)
                self.add_sig(idx, "ua_fp", self.ua[r.choice(self.nua, p=self.ua_p)], t0)
                ips = self.home_ip[idx[:int(r.integers(1, 3))]]
                self.add_sig(idx, "ip", ips[r.integers(0, ips.size, n)], t0)
                vpn = r.random(n) < .5
                self.add_sig(idx[vpn], "ip", self.dc[r.choice(self.ndc, vpn.sum(), p=self.dc_p)], t0[vpn])
                cards = self.nid(int(r.integers(1, 4)))
            else:
                devs = self.nid(n)
                share = r.random(n) < .33
                devs[share] = devs[r.integers(0, n, share.sum())]
                self.add_sig(idx, "device_id", devs, t0)
                self.add_sig(idx, "ua_fp", self.emu[r.integers(0, 4, n)], t0)
                # residential proxies = honest homes' IPs
                prox = self.home_ip[r.integers(0, self.N, max(3, n))]
                for j in range(2):
                    sel = r.random(n) < (1 if j == 0 else .5)
                    self.add_sig(idx[sel], "ip", prox[r.integers(0, prox.size, sel.sum())], t0[sel])
                cards = self.nid(int(r.integers(2, 6)))
        mycard = cards[r.integers(0, cards.size, n)]
        self.add_sig(idx, "card_fp", mycard, t0 + r.uniform(5 * MIN, 30 * MIN, n))
        two = r.random(n) < .3
        self.add_sig(idx[two], "card_fp", cards[r.integers(0, cards.size, two.sum())], t0[two] + DAY)
        if not lone and r.random() < .5:
            if blunt:
                self.add_links(np.full(n - 1, idx[0]), idx[1:])
            else:
                o = idx[np.argsort(created)]
                self.add_links(o[:-1], o[1:])
        self.later.append(lambda: self._bonus_events(idx, created, blunt, aff, lone))

    def _bonus_events(self, idx, created, blunt, aff, lone):
        r = self.r
        n = idx.size
        if aff >= 0:
            chan = self.tname(f"aff-{aff}")
        else:
            chan = np.array([self.tname(p) for p in PLATFORMS])[self.platform[idx]]
        self.add_ev(idx, "signup", chan, created)
        dep_t = created + r.uniform(3 * MIN, 40 * MIN, n)
        self.add_ev(idx, "deposit", self.tname("pm-visa"), dep_t, r.choice([10, 10, 20], n))
        bon_t = dep_t + (r.uniform(1 * MIN, 15 * MIN, n) if blunt else r.uniform(10 * MIN, 20 * HOUR, n))
        self.add_ev(idx, "bonus.claim", self.tname("bonus-WELCOME100"), bon_t)
        kyc = r.random(n) < .5
        self.add_ev(idx[kyc], "kyc.submit", self.tname("kyc-id"), created[kyc] + r.uniform(10 * MIN, 2 * DAY, kyc.sum()))
        nl = r.integers(2, 7, n)
        la = np.repeat(np.arange(n), nl)
        self.add_ev(idx[la], "login", self.tname("app-android"), created[la] + r.uniform(0, 20 * DAY, la.size))
        # the ring's markets
        mk = self.markets_where([0, 1], created.min() + DAY, created.max() + 20 * DAY)
        if mk.size == 0:
            mk = self.markets_where([0, 1], created.min(), WIN)
        rm = r.choice(mk, min(mk.size, int(r.integers(3, 9))), replace=False,
                      p=self.mw[mk] / self.mw[mk].sum())
        op_t = self.close[rm] - r.uniform(1 * HOUR, 20 * HOUR, rm.size)
        nbet = r.integers(3, 9, n)
        ba = np.repeat(np.arange(n), nbet)
        bm = r.integers(0, rm.size, ba.size)
        # the operator works through the accounts one after another in each market's session
        o = np.lexsort((ba, bm))
        pos = np.empty(ba.size, np.int64)
        grp_start = np.r_[0, np.flatnonzero(np.diff(bm[o])) + 1]
        cnt = np.diff(np.r_[grp_start, ba.size])
        pos[o] = np.arange(ba.size) - np.repeat(grp_start, cnt)
        if blunt:
            ts = op_t[bm] + pos * r.uniform(20, 120, ba.size)
        else:
            ts = op_t[bm] + r.uniform(-6 * HOUR, 0, ba.size)
        low = ts < bon_t[ba] + MIN
        ts[low] = bon_t[ba][low] + r.uniform(2 * MIN, 3 * HOUR, low.sum())
        stake = r.choice([5.0, 5.0, 10.0], ba.size)
        self.add_ev(idx[ba], "bet.place", rm[bm], ts, stake, r.uniform(1.4, 2.3, ba.size))
        last = np.zeros(n)
        np.maximum.at(last, ba, ts)
        wt = np.minimum(last + r.uniform(1 * DAY, 6 * DAY, n), WIN - HOUR)
        self.add_ev(idx, "withdraw", self.tname("pm-visa"), wt, r.uniform(20, 120, n))

    def card_tester(self):
        r = self.r
        idx = self.take(1)
        self.group_kind[idx] = "lone_card_tester"
        self.is_bad[idx] = True
        c = r.uniform(2 * DAY, WIN - 5 * DAY)
        self.created[idx] = int(c)
        self.bgmul[idx] = 0
        self.welcome[idx] = False
        self.add_sig(idx, "email_hash", self.nid(1), c)
        self.add_sig(idx, "device_id", self.nid(1), c)
        self.add_sig(idx, "ua_fp", self.ua[r.choice(self.nua, p=self.ua_p)], c)
        nip = int(r.integers(1, 4))
        self.add_sig(np.full(nip, idx[0]), "ip", self.dc[r.choice(self.ndc, nip, p=self.dc_p)], c)
        if r.random() < .6:
            self.add_sig(idx, "phone", self.nid(1), c)
        nc = int(r.integers(5, 41))
        cards = self.nid(nc)
        start = c + r.uniform(10 * MIN, 3 * DAY)
        nf = int(r.integers(10, 61))
        ft = start + np.sort(r.uniform(0, r.uniform(20 * MIN, 90 * MIN), nf))
        self.add_sig(np.full(nc, idx[0]), "card_fp", cards, start + np.sort(r.uniform(0, HOUR, nc)))

        def ev():
            self.add_ev(idx, "signup", self.tname("web"), c)
            self.add_ev(np.full(nf, idx[0]), "deposit.fail", self.tname("pm-visa"), ft, r.uniform(1, 5, nf))
            k = int(r.integers(1, 6))
            dt = ft[-1] + np.sort(r.uniform(MIN, 2 * HOUR, k))
            self.add_ev(np.full(k, idx[0]), "deposit", self.tname("pm-visa"), dt, r.uniform(20, 200, k))
            g = r.integers(0, self.G, 3)
            self.add_ev(np.full(3, idx[0]), "casino.spin", self.GAME_OFF + g, dt[-1] + np.arange(3) * 300.0, r.uniform(10, 50, 3))
            self.add_ev(idx, "withdraw", self.tname("pm-skrill"), dt[-1] + r.uniform(HOUR, DAY), r.uniform(50, 400))
        self.later.append(ev)

    def arb(self, k, variant):
        r = self.r
        blunt = variant == "blunt"
        n = int(r.integers(10, 61))
        idx = self.take(n)
        self.mark(idx, f"arb_syndicate-{k:02d}-{variant}", "arb_syndicate", True)
        self.created[idx] = (-r.uniform(30, 3 * 365, n) * DAY).astype(np.int64)
        self.dormant[idx] = False
        self.churn[idx] = False
        self.bgmul[idx] = r.uniform(.3, .9, n)
        self.casmul[idx] = .2
        self.pm[idx] = np.where(r.random(n) < .6, 3, 2)  # e-wallets
        self.stake[idx] = r.lognormal(np.log(30), .5, n)
        pool = self.home_ip[r.integers(0, self.N, max(4, n // 2))]
        t0 = r.uniform(0, 60 * DAY, n)
        npx = r.integers(2, 6, n)
        pa = np.repeat(np.arange(n), npx)
        self.add_sig(idx[pa], "ip", pool[r.integers(0, pool.size, pa.size)], t0[pa] + r.uniform(0, 80 * DAY, pa.size))
        if blunt:
            dcs = self.dc[r.choice(self.ndc, 2, p=self.dc_p)]
            self.add_sig(idx, "ip", dcs[r.integers(0, 2, n)], t0)

        def ev():
            mk = self.markets_where([2], 7 * DAY, WIN - HOUR)
            K = int(r.integers(25, 71))
            ms = r.choice(mk, K, replace=False)
            tm = self.close[ms] - r.uniform(1 * HOUR, 30 * HOUR, K)
            frac = r.uniform(.2, .4, K)
            part = r.random((K, n)) < frac[:, None]
            force = r.integers(0, n, (K, 2))
            part[np.arange(K)[:, None], force] = True
            kk, jj = np.nonzero(part)
            d = (5 + r.exponential(40, kk.size)) if blunt else r.uniform(20, 12 * MIN, kk.size)
            ts = tm[kk] + d
            amt = self.stake[idx[jj]] * r.uniform(.7, 1.3, kk.size) * 3
            self.add_ev(idx[jj], "bet.place", ms[kk], ts, amt, r.uniform(2.0, 4.5, kk.size))
            # the money side: wallet top-ups and cash-outs
            nd = r.integers(3, 10, n)
            da = np.repeat(np.arange(n), nd)
            self.add_ev(idx[da], "deposit", self.tname("pm-skrill"), r.uniform(0, WIN, da.size), r.uniform(200, 1500, da.size))
            nw = r.integers(2, 8, n)
            wa = np.repeat(np.arange(n), nw)
            self.add_ev(idx[wa], "withdraw", self.tname("pm-skrill"), r.uniform(5 * DAY, WIN, wa.size), r.uniform(200, 2500, wa.size))
        self.later.append(ev)

    def match_fixing(self, k, variant):
        r = self.r
        n = int(r.integers(3, 11))
        idx = self.take(n)
        self.mark(idx, f"match_fixing-{k:02d}-{variant}", "match_fixing", True)
        self.created[idx] = (-r.uniform(365, 6 * 365, n) * DAY).astype(np.int64)
        self.dormant[idx] = False
        self.churn[idx] = False
        self.bgmul[idx] = r.uniform(.1, .5, n)
        if r.random() < .33:
            self.home_ip[idx[1]] = self.home_ip[idx[0]]

        def ev():
            mk = self.markets_where([2], 5 * DAY, WIN - HOUR)
            mk = mk[self.mw[mk] < np.median(self.mw[mk])]
            F = int(r.integers(2, 6))
            ms = r.choice(mk, F, replace=False)
            part = np.ones((F, n), bool) if variant == "tight" else (r.random((F, n)) < .6)
            part[np.arange(F), r.integers(0, n, F)] = True
            kk, jj = np.nonzero(part)
            rep = np.where(r.random(kk.size) < .3, 2, 1)
            kk, jj = np.repeat(kk, rep), np.repeat(jj, rep)
            win = 20 * MIN if variant == "tight" else 80 * MIN
            ts = self.close[ms[kk]] - 10 * MIN - r.uniform(0, win, kk.size)
            self.add_ev(idx[jj], "bet.place", ms[kk], ts, r.uniform(300, 3000, kk.size), r.uniform(2.5, 6, kk.size))
            # fund the bets the day before
            fk = np.unique(np.stack([kk, jj], 1), axis=0)
            self.add_ev(idx[fk[:, 1]], "deposit", np.array([self.tname(p) for p in PMS])[self.pm[idx[fk[:, 1]]]],
                        self.close[ms[fk[:, 0]]] - r.uniform(6 * HOUR, 30 * HOUR, fk.shape[0]), r.uniform(500, 3000, fk.shape[0]))
            self.add_ev(idx, "withdraw", np.array([self.tname(p) for p in PMS])[self.pm[idx]],
                        np.minimum(self.close[ms].max() + r.uniform(HOUR, 3 * DAY, n), WIN - 60), r.uniform(1000, 8000, n))
        self.later.append(ev)

    def chip_dump(self, k, variant):
        r = self.r
        blunt = variant == "blunt"
        n = int(r.integers(4, 13))
        idx = self.take(n)
        self.mark(idx, f"chip_dumping-{k:02d}-{variant}", "chip_dumping", True)
        self.created[idx[0]] = int(-r.uniform(400, 2000) * DAY)
        self.created[idx[1:]] = r.uniform(-120 * DAY, 50 * DAY, n - 1).astype(np.int64)
        self.dormant[idx] = False
        self.churn[idx] = False
        self.bgmul[idx] = .2
        self.poker[idx] = False
        cr = self.created[idx]
        if blunt:
            devs = self.nid(int(r.integers(1, 3)))
            self.add_sig(idx[1:], "device_id", devs[r.integers(0, devs.size, n - 1)], np.maximum(cr[1:], 0))
            ip = self.home_ip[idx[1]]
            self.home_ip[idx[1:]] = ip
        else:
            pool = self.home_ip[r.integers(0, self.N, max(3, n))]
            self.add_sig(idx[1:], "ip", pool[r.integers(0, pool.size, n - 1)], np.maximum(cr[1:], 0) + DAY)

        def ev():
            S = int(r.integers(12, 36))
            tabs = self.TBL_OFF + self.P - 1 - r.choice(self.P // 5, int(r.integers(2, 5)), replace=False)
            lo = max(0, int(cr.max()) + DAY)
            st = np.sort(self.diurnal(np.full(S, lo), np.full(S, WIN - DAY), np.full(S, self.tz[idx[0]])))
            tb = tabs[r.integers(0, tabs.size, S)]
            part = r.random((S, n)) < r.uniform(.5, 1.0)
            part[:, 0] = True
            part[np.arange(S), 1 + r.integers(0, n - 1, S)] = True
            ss, jj = np.nonzero(part)
            ts = st[ss] + r.uniform(0, 4 * MIN, ss.size)
            amt = np.where(jj == 0, 0.0, -r.uniform(50, 600, ss.size))
            pot = np.zeros(S)
            np.add.at(pot, ss, -amt)
            amt = np.where(jj == 0, pot[ss] * .95, amt)
            self.add_ev(idx[jj], "poker.sit", tb[ss], ts, amt)
            d = jj != 0
            self.add_ev(idx[jj[d]], "deposit", self.tname("pm-visa"), ts[d] - r.uniform(10 * MIN, 6 * HOUR, d.sum()), -amt[d] * r.uniform(1, 1.3, d.sum()))
            w = np.arange(S) % 3 == 2
            self.add_ev(np.full(w.sum(), idx[0]), "withdraw", self.tname("pm-banktransfer"), st[w] + r.uniform(HOUR, DAY, w.sum()),
                        pot[w] * 2.5)
        self.later.append(ev)

    def ato(self, k, variant):
        r = self.r
        fast = variant == "fast"
        n = int(r.integers(25, 151) * max(self.sc, .3))
        old = (self.created < -365 * DAY) & (self.group_kind == "organic")
        nd = int(n * .6)
        idx = np.concatenate([self.take(nd, old & self.dormant), self.take(n - nd, old & ~self.dormant)])
        n = idx.size
        self.mark(idx, f"ato_wave-{k}-{variant}", "ato_wave", True)
        tw = r.uniform(20 * DAY, WIN - 10 * DAY)
        spread = r.uniform(1, 2) * DAY if fast else r.uniform(3, 7) * DAY
        t = tw + r.random(n) * spread
        devs = self.nid(int(r.integers(2, 5) if fast else r.integers(5, 13)))
        ips = (self.dc[r.choice(self.ndc, int(r.integers(2, 6)), p=self.dc_p)] if fast
               else self.home_ip[r.integers(0, self.N, int(r.integers(10, 21)))])
        phones = self.nid(int(r.integers(1, 4) if fast else r.integers(3, 9)))
        pays = self.nid(int(r.integers(1, 4) if fast else r.integers(3, 7)))
        self.add_sig(idx, "device_id", devs[r.integers(0, devs.size, n)], t)
        self.add_sig(idx, "ip", ips[r.integers(0, ips.size, n)], t)
        self.add_sig(idx, "phone", phones[r.integers(0, phones.size, n)], t + 10 * MIN)
        wal = r.random() < .5
        self.add_sig(idx, "wallet_id" if wal else "card_fp", pays[r.integers(0, pays.size, n)], t + 20 * MIN)

        def ev():
            self.add_ev(idx, "login", self.tname("web"), t)
            self.add_ev(idx, "password.reset", self.tname("acct-security"), t + r.uniform(MIN, 10 * MIN, n))
            self.add_ev(idx, "phone.change", self.tname("acct-security"), t + r.uniform(5 * MIN, 30 * MIN, n))
            self.add_ev(idx, "payment.add", self.tname("pm-skrill" if wal else "pm-visa"), t + r.uniform(20 * MIN, 40 * MIN, n))
            wt = t + r.uniform(40 * MIN, 6 * HOUR, n)
            self.add_ev(idx, "withdraw", self.tname("pm-skrill" if wal else "pm-visa"), wt, r.lognormal(np.log(200), .8, n))
            two = r.random(n) < .3
            self.add_ev(idx[two], "withdraw", self.tname("pm-skrill" if wal else "pm-visa"),
                        np.minimum(wt[two] + r.uniform(HOUR, DAY, two.sum()), WIN - 60), r.lognormal(np.log(100), .8, two.sum()))
        self.later.append(ev)

    # ------------------------------------------------------------------ benign groups
    def households(self):
        r = self.r
        H = int(600 * self.sc)
        sizes = r.choice([2, 3, 4, 5], H, p=[.55, .25, .13, .07])
        idx = self.take(sizes.sum(), self.group_kind == "organic")
        sizes = sizes[:np.searchsorted(np.cumsum(sizes), idx.size, "right")]
        idx = r.permutation(idx)[:sizes.sum()]
        hid = np.repeat(np.arange(sizes.size), sizes)
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.home_ip[idx] = self.home_ip[idx[first]][hid]
        self.country[idx] = self.country[idx[first]][hid]
        self.tz[idx] = C_TZ[self.country[idx]]
        self.region[idx] = C_REGION[self.country[idx]]
        for h in range(sizes.size):
            m = idx[first[h]:first[h] + sizes[h]]
            self.groups.append((f"household-{h:04d}", "household", False, m))
        self.group_id[idx] = np.array([f"household-{h:04d}" for h in range(sizes.size)], object)[hid]
        self.group_kind[idx] = "household"
        tab = r.random(sizes.size) < .35
        dev = self.nid(sizes.size)
        sel = tab[hid]
        self.add_sig(idx[sel], "device_id", dev[hid[sel]], np.maximum(self.created[idx[sel]], 0) + r.uniform(0, 30 * DAY, sel.sum()))
        fc = r.random(sizes.size) < .2
        card = self.nid(sizes.size)
        sel = fc[hid] & (r.random(idx.size) < .85)
        self.add_sig(idx[sel], "card_fp", card[hid[sel]], np.maximum(self.created[idx[sel]], 0) + r.uniform(0, 30 * DAY, sel.sum()))
        ref = r.random(sizes.size) < .3
        sel = ref[hid] & (np.arange(idx.size) != first[hid])
        self.add_links(idx[first[hid[sel]]], idx[sel])

    def venue(self, k, kind, nlo, nhi, sessions, frac):
        r = self.r
        n = int(r.integers(nlo, nhi + 1) * max(self.sc, .3))
        ctry = r.choice(10, p=C_P)
        mask = (self.group_kind == "organic") & (self.region == C_REGION[ctry]) & ~self.dormant
        idx = self.take(n, mask)
        n = idx.size
        self.mark(idx, f"{kind}-{k:02d}", kind, False)
        ip = self.pubs[k % self.npub] if kind == "pub_wifi" else self.nid(1)[0]
        self.spans()
        first = np.maximum(self.s[idx], r.uniform(0, WIN * .5, n))
        self.add_sig(idx, "ip", ip, first)

        def ev():
            self.spans()
            reg = C_REGION[ctry]
            mk = self.markets_where([0, 1], DAY, WIN - HOUR, [reg])
            S = int(r.integers(*sessions))
            ms = r.choice(mk, min(S, mk.size), replace=False, p=self.mw[mk] / self.mw[mk].sum())
            part = r.random((ms.size, n)) < r.uniform(*frac, (ms.size, 1))
            kk, jj = np.nonzero(part)
            t = self.close[ms[kk]] + r.uniform(-90 * MIN, 80 * MIN, kk.size)
            ok = (t >= self.s[idx[jj]]) & (t < self.e[idx[jj]])
            kk, jj, t = kk[ok], jj[ok], t[ok]
            rep = r.choice([1, 1, 2, 3], kk.size)
            kk, jj, t = np.repeat(kk, rep), np.repeat(jj, rep), np.repeat(t, rep) + r.uniform(0, 40 * MIN, rep.sum())
            self.add_ev(idx[jj], "bet.place", ms[kk], t, self.stake[idx[jj]] * r.lognormal(0, .5, kk.size),
                        1.2 + r.lognormal(0, .5, kk.size))
        self.later.append(ev)

    def tipster(self, k, nlo, nhi):
        r = self.r
        n = int(r.integers(nlo, nhi + 1) * max(self.sc, .3))
        idx = self.take(n + 1, (self.group_kind == "organic") & ~self.dormant)
        n = idx.size - 1
        self.mark(idx, f"tipster_followers-{k:02d}", "tipster_followers", False)
        tip = idx[0]
        fol = idx[1:]
        self.created[tip] = int(-r.uniform(500, 2000) * DAY)
        self.churn[tip] = False
        self.bgmul[tip] = 3
        ref = (r.random(n) < .15)
        self.add_links(np.full(ref.sum(), tip), fol[ref])
        self.churn[fol] = self.churn[fol] & (r.random(n) < .5)

        def ev():
            self.spans()
            fol_t = np.maximum(self.created[fol], r.uniform(-1, 1, n) * WIN)
            inw = fol_t >= 0
            self.add_ev(fol[inw], "tip.follow", self.TIP_OFF + k, fol_t[inw])
            K = int(r.integers(40, 121))
            ms = np.where(r.random(K) < .5, r.choice(self.markets_where([2], 2 * DAY, WIN - HOUR), K),
                          r.choice(self.markets_where([1], 2 * DAY, WIN - HOUR), K))
            tp = self.close[ms] - r.uniform(1 * HOUR, 20 * HOUR, K)
            self.add_ev(np.full(K, tip), "tip.post", ms, tp)
            self.add_ev(np.full(K, tip), "bet.place", ms, tp - r.uniform(0, 5 * MIN, K), r.uniform(20, 100, K), r.uniform(1.8, 4, K))
            eng = r.beta(1.5, 2.5, n)
            part = r.random((K, n)) < r.uniform(.12, .45, (K, 1)) * eng[None, :] * 2
            kk, jj = np.nonzero(part)
            t = tp[kk] + np.minimum(r.lognormal(np.log(4 * MIN), 1.0, kk.size), 3 * HOUR)
            ok = (t >= fol_t[jj]) & (t >= self.s[fol[jj]]) & (t < self.e[fol[jj]])
            kk, jj, t = kk[ok], jj[ok], t[ok]
            self.add_ev(fol[jj], "bet.place", ms[kk], t, self.stake[fol[jj]] * r.lognormal(0, .5, kk.size),
                        r.uniform(1.8, 4, kk.size))
        self.later.append(ev)

    def office(self, k):
        r = self.r
        n = int(r.integers(8, 31))
        idx = self.take(n, (self.group_kind == "organic") & ~self.dormant)
        n = idx.size
        self.mark(idx, f"office_sweepstake-{k:02d}", "office_sweepstake", False)
        ctry = self.country[idx[0]]
        self.country[idx] = ctry
        self.tz[idx] = C_TZ[ctry]
        self.region[idx] = C_REGION[ctry]
        big = np.flatnonzero(self.tier == 0)
        big = big[(self.close[big] > 10 * DAY)]
        ms = np.sort(np.concatenate([r.choice(big, int(r.integers(1, 3)), replace=False),
                                     [self.final_mkt["AB"[k % 2]]]]))[:int(r.integers(1, 4))]
        first = self.close[ms].min()
        new = r.random(n) < .3
        new[0] = False
        self.created[idx[0]] = min(self.created[idx[0]], int(first - 200 * DAY))
        self.created[idx[new]] = (first - r.uniform(1, 7, new.sum()) * DAY).astype(np.int64)
        self.churn[idx[new]] = r.random(new.sum()) < .6
        self.welcome[idx[new]] = True
        self.affsrc[idx[new]] = -1
        self.add_links(np.full(new.sum(), idx[0]), idx[new])
        ip = self.nid(1)[0]
        self.add_sig(idx, "ip", ip, np.maximum(self.created[idx], 0) + r.uniform(0, 5 * DAY, n))

        def ev():
            for m in ms:
                t0 = self.close[m] - r.uniform(2 * HOUR, 8 * HOUR)
                t = t0 + r.uniform(0, 60 * MIN, n)
                ok = t >= self.created[idx]
                self.add_ev(idx[ok], "bet.place", m, t[ok], r.choice([2.0, 5.0, 5.0, 10.0], ok.sum()),
                            r.uniform(1.5, 6, ok.sum()))
        self.later.append(ev)

    def affiliate(self, k, week_start):
        r = self.r
        n = int(r.integers(60, 301) * max(self.sc, .3))
        idx = self.take(n, self.group_kind == "organic")
        n = idx.size
        self.mark(idx, f"affiliate_cohort-{k}", "affiliate_cohort", False)
        self.created[idx] = (week_start + r.uniform(0, 7 * DAY, n)).astype(np.int64)
        self.dormant[idx] = False
        self.churn[idx] = r.random(n) < .5
        self.churn_len[idx] = r.uniform(1, 10, n) * DAY
        self.act[idx] = np.where(self.churn[idx], self.act[idx] * 2, self.act[idx])
        self.stake[idx] = np.where(self.churn[idx], 5.0, self.stake[idx])
        self.welcome[idx] = False
        self.affsrc[idx] = 100 + k
        claim = r.random(n) < .85

        def ev():
            self.add_ev(idx[claim], "bonus.claim", self.tname(f"bonus-AFF{k}"),
                        self.created[idx[claim]] + r.lognormal(np.log(30 * MIN), 1, claim.sum()))
        self.later.append(ev)

    def vip(self):
        r = self.r
        n = int(80 * self.sc)
        idx = self.take(n, (self.group_kind == "organic") & (self.created < 0))
        self.group_kind[idx] = "vip_high_roller"
        self.dormant[idx] = False
        self.churn[idx] = False
        self.act[idx] = r.uniform(5, 12, idx.size)
        self.stake[idx] = r.lognormal(np.log(500), .7, idx.size)
        self.acct_type[idx] = "vip"

    def crowd(self, key):
        r = self.r
        self.spans()
        kt = self.close[self.final_mkt[key]]
        mask = (self.group_kind == "organic") & ~self.dormant & (self.s < kt - HOUR) & (self.e > kt)
        idx = self.take(int(.07 * self.N), mask)
        n = idx.size
        self.mark(idx, f"final-{key}", "big_event_crowd", False)
        m = self.final_mkt[key]

        def ev():
            rep = r.choice([1, 1, 1, 2, 3], n)
            a = np.repeat(idx, rep)
            t = kt + np.clip(r.normal(-8 * MIN, 12 * MIN, a.size), -60 * MIN, 30 * MIN)
            self.add_ev(a, "bet.place", m, t, self.stake[a] * r.lognormal(0, .6, a.size), r.uniform(1.6, 5, a.size))
            fb = r.random(n) < .4
            self.add_ev(idx[fb], "bonus.claim", self.tname(f"bonus-FINAL-{key}"), kt - r.uniform(5 * MIN, 6 * HOUR, fb.sum()))
        self.later.append(ev)

    # ------------------------------------------------------------------ background
    def background(self):
        r, N = self.r, self.N
        self.spans()
        s, e, tz = self.s, self.e, self.tz
        ar = np.arange(N)
        active = ~self.dormant & (self.bgmul > 0)
        span_d = (e - s) / DAY
        act = self.act * self.bgmul
        pmt = np.array([self.tname(p) for p in PMS])
        plt = np.array([self.tname(p) for p in PLATFORMS])
        # sign-ups
        nw = self.created >= 0
        sel = nw & (self.bgmul > 0)
        chan = np.where(self.affsrc[sel] >= 100, -1, self.affsrc[sel])
        tg = plt[self.platform[sel]]
        ncamp = int(max(0, self.affsrc.max() - 99))
        aff_t = np.array([self.tname(f"aff-{j}") for j in range(60)] +
                         [self.tname(f"aff-camp{j}") for j in range(ncamp)] + [-1])
        tg = np.where(chan >= 0, aff_t[np.maximum(chan, 0)], tg)
        camp = self.affsrc[sel] >= 100
        tg[camp] = aff_t[60 + self.affsrc[sel][camp] - 100]
        self.add_ev(ar[sel], "signup", tg, self.created[sel])
        # logins
        nl = r.poisson(act * .25 * span_d) * active + sel
        a = np.repeat(ar, nl)
        self.add_ev(a, "login", plt[self.platform[a]], self.diurnal(s[a], e[a], tz[a]))
        # bets
        nb = r.poisson(act * .16 * span_d) * active
        a = np.repeat(ar, nb)
        u = r.random(a.size)
        pool = np.where(u < .62, self.region[a], np.where(u < .9, 5, NREG))
        m, ok = self.pick_markets(pool, s[a], e[a] + 2 * HOUR)
        a, m = a[ok], m[ok]
        cl = self.close[m]
        inplay = r.random(a.size) < .15
        delay = np.minimum(r.lognormal(np.log(3 * HOUR), 1.3, a.size), 5 * DAY)
        ts = np.where(inplay, cl + r.random(a.size) * 100 * MIN, cl - delay)
        early = ts < s[a]
        ts = np.where(early, s[a] + r.random(a.size) * np.maximum(cl - s[a], 60), ts)
        amt = self.stake[a] * r.lognormal(0, .6, a.size)
        self.add_ev(a, "bet.place", m, ts, amt, 1.15 + r.lognormal(0, .55, a.size))
        c = r.random(a.size) < .08
        self.add_ev(a[c], "bet.cashout", m[c], ts[c] + r.uniform(5 * MIN, 2 * HOUR, c.sum()), amt[c] * r.uniform(.3, 1.8, c.sum()))
        nbets = np.bincount(a, minlength=N)
        # sharps: bet obscure markets right after odds moves, each on their own
        sh = np.flatnonzero(self.sharp)
        k = r.poisson(30, sh.size)
        a = np.repeat(sh, k)
        mv = r.integers(0, self.moves_m.size, a.size)
        t = self.moves_t[mv] + r.uniform(10, 20 * MIN, a.size)
        ok = (t >= s[a]) & (t < e[a])
        self.add_ev(a[ok], "bet.place", self.moves_m[mv[ok]], t[ok], self.stake[a[ok]] * r.uniform(2, 6, ok.sum()),
                    r.uniform(1.8, 4, ok.sum()))
        # casino
        ns = r.poisson(act * .1 * span_d * self.casino * self.casmul) * active
        sa = np.repeat(ar, ns)
        st = self.diurnal(s[sa], e[sa], tz[sa])
        game = r.choice(self.G, sa.size, p=self.zipf_p(self.G, 1.0))
        ksp = 1 + r.poisson(1.5, sa.size)
        sid = np.repeat(np.arange(sa.size), ksp)
        pos = np.arange(sid.size) - np.repeat(np.cumsum(ksp) - ksp, ksp)
        t = st[sid] + pos * r.uniform(60, 360, sid.size)
        self.add_ev(sa[sid], "casino.spin", self.GAME_OFF + game[sid], t, self.stake[sa[sid]] * r.lognormal(0, .7, sid.size))
        # poker: tables by popularity (the last fifth are high-stakes tables nobody much uses)
        npk = r.poisson(act * .08 * span_d * self.poker) * active
        pa = np.repeat(ar, npk)
        tb = r.choice(self.P, pa.size, p=self.zipf_p(self.P, 1.2))
        self.add_ev(pa, "poker.sit", self.TBL_OFF + tb, self.diurnal(s[pa], e[pa], tz[pa]),
                    r.normal(0, 40, pa.size) * self.stake[pa] / 8)
        # money
        nd = (r.poisson(.2 * (nbets + ns + npk)) + ((nbets + ns + npk) > 0)) * active
        a = np.repeat(ar, nd)
        self.add_ev(a, "deposit", pmt[self.pm[a]], self.diurnal(s[a], e[a], tz[a]),
                    np.maximum(5, np.round(self.stake[a] * r.lognormal(np.log(4), .6, a.size) / 5) * 5))
        nwd = r.poisson(.25 * nd)
        a = np.repeat(ar, nwd)
        self.add_ev(a, "withdraw", pmt[self.pm[a]], self.diurnal(s[a], e[a], tz[a]),
                    self.stake[a] * r.lognormal(np.log(6), .8, a.size))
        # bonuses, kyc, limits
        w = nw & self.welcome & (self.bgmul > 0)
        self.add_ev(ar[w], "bonus.claim", self.tname("bonus-WELCOME100"), self.created[w] + r.uniform(2 * MIN, DAY, w.sum()))
        nr = r.poisson(act * .02 * span_d) * active
        a = np.repeat(ar, nr)
        t = self.diurnal(s[a], e[a], tz[a])
        wk = (t // (7 * DAY)).astype(int)
        rl = np.array([self.tname(f"bonus-RELOAD-W{j:02d}") for j in range(DAYS // 7 + 1)])
        self.add_ev(a, "bonus.claim", rl[np.clip(wk, 0, rl.size - 1)], t)
        ky = nw & (self.bgmul > 0) & (r.random(N) < .75)
        docs = np.array([self.tname(d) for d in ("kyc-id", "kyc-passport", "kyc-selfie", "kyc-address")])
        self.add_ev(ar[ky], "kyc.submit", docs[r.integers(0, 4, ky.sum())], self.created[ky] + r.exponential(DAY, ky.sum()))
        lm = active & (r.random(N) < .04)
        self.add_ev(ar[lm], "limit.set", self.tname("limit-deposit"), self.diurnal(s[lm], e[lm], tz[lm]))
        # organic follows of tipsters (the minor ones mostly)
        fo = active & (r.random(N) < .06)
        self.add_ev(ar[fo], "tip.follow", self.TIP_OFF + r.choice(self.NT, fo.sum(), p=self.zipf_p(self.NT, .8)),
                    self.diurnal(s[fo], e[fo], tz[fo]))
        # friend referrals
        fr = np.flatnonzero(nw & (self.group_kind == "organic") & (r.random(N) < .04))
        olds = np.flatnonzero(self.created < 0)
        self.add_links(r.choice(olds, fr.size), fr)

    def bg_signals(self):
        r, N = self.r, self.N
        ar = np.arange(N)
        c0 = self.created.astype(float)
        later = lambda a: np.maximum(c0[a], 0) + r.random(a.size) * (WIN - np.maximum(c0[a], 0))
        bad_new = np.isin(self.group_kind, ["bonus_ring", "lone_bonus_abuser", "lone_card_tester"])
        base = ~bad_new
        a = ar[base]
        self.add_sig(a, "email_hash", self.nid(a.size), c0[a])
        ph = base & (r.random(N) < .88)
        phones = self.nid(N)
        # recycled numbers: a new account gets the number an old account once had
        rec = ph & (self.created > -200 * DAY) & (r.random(N) < .015)
        olds = np.flatnonzero(ph & (self.created < -730 * DAY))
        phones[rec] = phones[r.choice(olds, rec.sum())]
        self.add_sig(ar[ph], "phone", phones[ph], c0[ph])
        nd = (1 + r.poisson(.5, N)) * base
        a = np.repeat(ar, nd)
        first = np.r_[True, a[1:] != a[:-1]] if a.size else np.zeros(0, bool)
        ts = np.where(first, c0[a], later(a))
        dev = self.nid(a.size)
        self.add_sig(a, "device_id", dev, ts)
        emu = r.random(N) < .004
        ua = np.where(emu[a], self.emu[r.integers(0, 4, a.size)], self.ua[r.choice(self.nua, a.size, p=self.ua_p)])
        self.add_sig(a, "ua_fp", ua, ts)
        # ips
        hm = base & (r.random(N) < .92)
        hm |= self.group_kind == "household"
        self.add_sig(ar[hm], "ip", self.home_ip[hm], c0[hm])
        nat = base & (r.random(N) < .65)
        k = (1 + (r.random(N) < .4)) * nat
        a = np.repeat(ar, k)
        self.add_sig(a, "ip", self.nat[self.country[a], r.integers(0, 6, a.size)], later(a))
        vpn = (base & (r.random(N) < .05)) | np.isin(self.group_kind, ["match_fixing"]) & (r.random(N) < .2)
        k = (1 + (r.random(N) < .4)) * vpn
        a = np.repeat(ar, k)
        self.add_sig(a, "ip", self.dc[r.choice(self.ndc, a.size, p=self.dc_p)], later(a))
        off = base & (r.random(N) < .15) & (self.group_kind != "office_sweepstake")
        a = ar[off]
        self.add_sig(a, "ip", self.offices[r.choice(self.noff, a.size, p=self.off_p)], later(a))
        pub = base & (r.random(N) < .02)
        a = ar[pub]
        self.add_sig(a, "ip", self.pubs[r.integers(0, self.npub, a.size)], later(a))
        # payment instruments
        cardish = np.isin(self.pm, [0, 1, 5, 6])
        hc = base & ((cardish & (r.random(N) < .95)) | (r.random(N) < .3))
        k = (1 + (r.random(N) < .22)) * hc
        a = np.repeat(ar, k)
        self.add_sig(a, "card_fp", self.nid(a.size), later(a))
        hw = base & ((np.isin(self.pm, [2, 3]) & (r.random(N) < .95)) | (r.random(N) < .1))
        a = ar[hw]
        self.add_sig(a, "wallet_id", self.nid(a.size), later(a))

    # ------------------------------------------------------------------ run
    def run(self):
        r = self.r
        sc = self.sc
        self.world()
        g = lambda x: max(1, int(round(x * sc)))
        # bad groups first (fresh accounts), ATO from old organic ones later
        for k in range(g(12)):
            self.bonus_ring(k, "blunt" if k % 2 == 0 else "careful")
        for k in range(g(6)):
            self.arb(k, "blunt" if k % 2 == 0 else "careful")
        for k in range(g(5)):
            self.match_fixing(k, "tight" if k % 2 == 0 else "spread")
        for k in range(g(5)):
            self.chip_dump(k, "blunt" if k % 2 == 0 else "careful")
        for k in range(g(50)):
            self.bonus_ring(k, "blunt" if r.random() < .5 else "careful", lone=True)
        for k in range(g(30)):
            self.card_tester()
        # benign
        self.vip()
        for k in range(g(4)):
            self.tipster(k, 150, 600)
        for k in range(g(6)):
            self.tipster(4 + k if 4 + k < self.NT else k % self.NT, 15, 60)
        self.households()
        for k in range(g(12)):
            self.venue(k, "pub_wifi", 20, 80, (15, 31), (.15, .4))
        for k in range(g(4)):
            self.venue(k, "betting_shop", 30, 150, (40, 81), (.1, .25))
        for k in range(g(2)):
            self.venue(k, "stadium_wifi", 150, 400, (8, 13), (.3, .6))
        for k in range(g(10)):
            self.office(k)
        weeks = [20 * DAY, 60 * DAY, 95 * DAY, FINALS["B"] - 8 * DAY]
        for k in range(g(4)):
            self.affiliate(k, weeks[k % 4] + (k // 4) * 3 * DAY)
        for k in range(g(4)):
            self.ato(k, "fast" if k % 2 == 0 else "slow")
        org = np.flatnonzero(self.group_kind == "organic")
        self.sharp[r.choice(org, int(.012 * org.size), replace=False)] = True
        self.crowd("A")
        self.crowd("B")
        self.spans()
        self.background()
        self.bg_signals()
        for f in self.later:
            f()

    # ------------------------------------------------------------------ output
    def frames(self):
        r, N = self.r, self.N
        ids = r.choice(900_000_000, N, replace=False) + 100_000_000
        acc_ids = np.array([f"ply{x}" for x in ids], object)
        cr = (EPOCH + self.created.astype("timedelta64[s]")).astype("datetime64[us]")
        accounts = pl.DataFrame({
            "account_id": acc_ids,
            "created_at": pl.Series(cr),
            "account_type": self.acct_type.astype(str),
            "country": np.array(COUNTRIES)[self.country],
        })
        E = {k: np.concatenate(v) for k, v in self.ev.items()}
        keep = (E["ts"] >= np.maximum(self.created[E["a"]], 0)) & (E["ts"] < WIN)
        E = {k: v[keep] for k, v in E.items()}
        o = np.lexsort((E["a"], E["ts"]))
        E = {k: v[o] for k, v in E.items()}
        targets = ([f"mkt-{i + 10001}" for i in range(self.M)] + [f"game-{i + 1}" for i in range(self.G)]
                   + [f"tbl-{i + 1}" for i in range(self.P)] + [f"tipster-{i + 1}" for i in range(self.NT)]
                   + list(self.named))
        tser = pl.Series("target_id", targets, pl.Utf8)
        events = pl.DataFrame({
            "account_id": pl.Series(acc_ids).gather(E["a"]),
            "action": pl.Series(ACTIONS).gather(E["act"].astype(np.int64)),
            "target_id": tser.gather(E["tgt"]),
            "ts": pl.Series((EPOCH + E["ts"].astype("timedelta64[s]")).astype("datetime64[us]")),
            "amount": pl.Series(E["amt"]).fill_nan(None),
            "odds": pl.Series(E["odds"]).fill_nan(None),
        })
        S = {k: np.concatenate(v) for k, v in self.sg.items()}
        S["ts"] = np.minimum(S["ts"], WIN - 1)
        sdf = pl.DataFrame({"a": S["a"], "kind": S["kind"], "val": S["val"], "ts": S["ts"]})
        sdf = sdf.group_by(["a", "kind", "val"]).agg(pl.col("ts").min()).sort(["a", "kind", "ts", "val"])
        salt = np.uint64(self.r.integers(1, 2**62))
        with np.errstate(over="ignore"):
            v = sdf["val"].to_numpy().astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + salt
            v ^= v >> np.uint64(31)
            v *= np.uint64(0xBF58476D1CE4E5B9)
            v ^= v >> np.uint64(29)
        hexes = [f"{x:016x}" for x in v.tolist()]
        signals = pl.DataFrame({
            "account_id": pl.Series(acc_ids).gather(sdf["a"]),
            "kind": pl.Series(KINDS).gather(sdf["kind"].cast(pl.Int64)),
            "value": hexes,
            "seen_at": pl.Series((EPOCH + sdf["ts"].to_numpy().astype("timedelta64[s]")).astype("datetime64[us]")),
        })
        la = np.concatenate([x[0] for x in self.links]) if self.links else np.zeros(0, np.int64)
        lb = np.concatenate([x[1] for x in self.links]) if self.links else np.zeros(0, np.int64)
        ok = la != lb
        ldf = pl.DataFrame({"a": la[ok], "b": lb[ok]}).unique().sort(["a", "b"])
        links = pl.DataFrame({
            "account_a": pl.Series(acc_ids).gather(ldf["a"]),
            "account_b": pl.Series(acc_ids).gather(ldf["b"]),
            "kind": ["referral"] * ldf.height,
            "weight": [1.0] * ldf.height,
        })
        gk = self.group_kind.astype(str)
        truth = pl.DataFrame({
            "account_id": acc_ids,
            "is_bad": self.is_bad,
            "group_id": pl.Series(list(self.group_id), dtype=pl.Utf8),
            "group_kind": gk,
        })
        labels = self.make_labels(acc_ids)
        return accounts, events, signals, links, truth, labels

    def make_labels(self, acc_ids):
        r, N = self.r, self.N
        lab = np.full(N, -1)
        for gid, kind, bad, idx in self.groups:
            if not bad:
                continue
            if r.random() < (.6 if kind == "ato_wave" else .5):
                sel = idx[r.random(idx.size) < r.uniform(.5, 1.0)]
                lab[sel] = np.where(r.random(sel.size) < .05, 0, 1)
        lone = np.isin(self.group_kind, ["lone_bonus_abuser", "lone_card_tester"]) & (r.random(N) < .4)
        lab[lone] = 1
        ben = ~self.is_bad
        p = np.where(self.created < -365 * DAY, .16, .08)
        p = np.where(self.group_kind == "vip_high_roller", .5, p)
        z = ben & (r.random(N) < p)
        lab[z] = 0
        ff = ben & (r.random(N) < .004)
        lab[ff] = 1
        affs = [g for g in self.groups if g[1] == "affiliate_cohort"]
        if affs:
            idx = affs[int(r.integers(0, len(affs)))][3]
            sel = idx[r.random(idx.size) < r.uniform(.25, .5)]
            lab[sel] = 1
        has = lab >= 0
        return pl.DataFrame({"account_id": acc_ids[has], "label": lab[has].astype(np.int64)})


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
    accounts.write_parquet(out / "accounts.parquet")
    events.write_parquet(out / "events.parquet")
    signals.write_csv(out / "signals.csv", datetime_format="%Y-%m-%dT%H:%M:%S")
    links.write_parquet(out / "links.parquet")
    truth.write_parquet(out / "truth.parquet")
    if not args.no_labels:
        labels.write_parquet(out / "labels.parquet")
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

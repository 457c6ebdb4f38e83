#!/usr/bin/env python3
"""A twenty-first independent marketplace: a mobile ad network with app-install attribution and a rewards wall.

Written from syndicate's data contract (DESIGN.md, "Data contract (inputs)") and the table of
generators in ``benchmarks/README.md`` alone; no detection code, test or other generator was read.

    python benchmarks/twentyfirst_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--report]

The world
=========

"Tapline" is a mobile performance-marketing network.  Advertisers buy cost-per-install (CPI)
campaigns (``CMP...``) for their apps (``com.<studio>.<name>``); publishers show the ads in their
own apps and are paid per attributed install; affiliates resell traffic through sub-affiliates.
End users sign in with one Tapline ID across publisher apps and the "Tapline Rewards" layer: an
offerwall (``ofw-...``: install / quiz / video offers), a survey wall (``srv-...``) and a reward
catalogue (``rwd:<brand>:<value>``) paid out to PayPal, e-wallets or gift cards.  The export covers
17 weeks, 2025-01-06 .. 2025-05-05 (UTC); accounts go back to the network's launch in April 2021
(about 45% were opened before the window, 40% of those are dormant in it).

Tables: ``accounts.csv`` (``account_type`` user / publisher / sub_affiliate / qa_test, ``country``,
extra ``platform``; ISO times with ``+00:00``), ``events.parquet`` (timezone-aware ``ts``; extra
``campaign_id``, ``publisher_id``, ``amount``, ``answer_hash``), ``signals.parquet`` (kinds
``ad_id`` (IDFA/GAID), ``ip``, ``msisdn``, ``email_sha``, ``payout_dest``; with ``seen_at``),
``links.csv`` (``attributed_to`` user->publisher or sub-affiliate, ``sub_affiliate_of``,
``referred_by``, ``family_group``), ``labels.csv`` and ``truth.parquet``.
Actions: ``session.start`` (publisher app), ``ad.impression`` / ``ad.click`` (campaign),
``app.install`` / ``app.open`` / ``iap.purchase`` (advertised app), ``offerwall.complete`` (offer),
``survey.submit`` (survey, with ``answer_hash``), ``reward.redeem`` (catalogue item),
``auth.login`` / ``auth.password_reset`` (the rewards app), ``payout.method_update`` (method),
``payout.request`` (publisher payout method), ``pub.campaign_join`` (campaign).

Honest users have a persona (``role`` / ``group_kind`` of an unaffiliated account in truth):
``casual``, ``gamer_payer``, ``rewards_user``, ``offerwall_power_user`` (one account doing
dozens of offers and surveys a day), ``app_explorer`` (clicks and installs a lot) and ``dormant``.
Activity is heavy-tailed (log-normal multiplier), diurnal in the account's local time, and churns
(a third of new accounts stop within days).  Paid installs follow a click by minutes to hours;
installs are followed by opens with persona-specific retention.  Survey answers (``answer_hash``)
are Zipf-distributed per survey, so honest respondents often coincide on the common answer.

Shared infrastructure and benign organisations (all ``is_bad`` False):
``household`` (2-6 accounts on one home IP, often one shared tablet, sometimes one payout wallet or
a parent's phone, ``family_group`` links), ``campus`` and ``office`` NATs, ``internet_cafe``
(regulars on the cafe IP and on a few shared PCs running an Android emulator), ``qa_lab`` (a
declared testing lab: tens of ``qa_test`` accounts on a rack of test phones with lab SIMs,
installing its clients' apps in lockstep with automation-fast click-to-install times and
sandbox purchases), ``publisher`` (honest publishers, a few with huge audiences of
``attributed_to`` users) and ``affiliate_network`` (an honest publisher with 3-10 sub-affiliates,
some sharing an agency office IP).  Carrier-grade NAT IPs per country (hundreds of accounts per
value), a popular VPN (25 exits), dynamic home IPs re-issued to neighbours, friends' Wi-Fi,
second-hand phones, recycled phone numbers, a few honest users on the SMS-activation numbers the
fraudsters rent, 5 payout ids of a retailer's generic gift-card programme shared by hundreds, a
buggy SDK release (2025-02-10 .. 03-03) that reported the all-zero ad id on ~1% of accounts, a
viral launch (a celebrity post: thousands - about 6% of accounts, 40% of them brand-new - click
the star's link and install one app within an hour, very short click-to-install times) and
app-store featuring days (hundreds of organic installs of one app in a day).  ``benign_tags``
in truth says which of these an account touches.

Bad groups (``is_bad`` True; ``difficulty`` blunt / medium / careful)
-------------------------------------------------------------------
At 20k accounts: 8 + 5 + 6 + 4 + 4 + 4 + 4 = 35 groups (counts scale with ``--accounts``).

* ``device_farm`` (``farm_publisher`` + ``farm_device``; 20-150): a phone rack / emulator farm
  installing and opening advertised apps (high-CPI campaigns) for its own publisher account.
  Blunt: accounts created in 1-2 waves, 2-6 shared devices, 1-3 data-centre IPs, every worker on
  every job one after another seconds apart, one open, SMS-pool phones.  Medium: one phone per
  account (a few re-flashed ids), a private proxy pool, 70-90% of workers within 10-40 min.
  Careful: emulators whose ids are reset (2-5 ids per account, never shared), residential-proxy
  IPs that honest homes also use, claimed tier-1 countries, a rotating 25-55% subset per
  campaign spread over hours in local daytime, honest-looking click-to-install times, opens over
  days and organic sessions.
* ``click_spam`` (``spam_publisher`` + ``click_bot``; 3-25): bots clicking hundreds of campaigns
  a day, plus click injection (a click 1-30 s before an install).  Blunt: all bots click the same
  batch in the same seconds from shared spoofed devices on data-centre IPs; medium: independent
  uniform clicking from a proxy pool; careful: diurnal clicking of personal subsets of the list
  from residential proxies, organic cover.  Their publisher also steals the attribution of some
  honest organic installs (``publisher_id``).
* ``offerwall_ring`` (``ring_coordinator`` + ``paid_installer``; 4-30): real people paid in
  "drops" to complete the same install offers, each person running 1-3 accounts on one phone,
  minimal engagement after install, then redeeming.  Blunt: install parties on one venue IP
  within 2 h, everyone paid to the coordinator's wallet, all ``referred_by`` the coordinator;
  medium: the same day, 2-3 wallets, roommates; careful: over 1-3 days, 65% participation,
  own wallets (a few paid to the coordinator), a referral chain.
* ``affiliate_fraud`` (``fraud_publisher`` + ``sub_affiliate`` + ``fake_user``; 15-130): a
  publisher with 2-8 sub-affiliates (``sub_affiliate_of``) each bringing fake users
  (``attributed_to``) who install the network's campaigns and never come back.  Blunt: fakes
  created in bursts, cycled over a few devices and data-centre IPs, 8-15 s CTIT, the publisher and
  subs on one device, IP and payout account; medium: unique devices, a proxy pool, one open;
  careful: spread, diurnal, residential proxies, honest-looking CTIT and opens, subs with their own
  payout accounts sharing only an office IP with the publisher.
* ``cashout_ring`` (``cashier`` + ``cashout_account``; 5-30): accounts grinding cheap offers and
  surveys and redeeming to shared payout destinations.  Blunt: 1-2 wallets, 2-4 devices, one IP,
  redemptions in the same hour; medium: 3-5 wallets, the cashier's home IP, same day; careful: a
  chain of overlapping wallets, a third also on the retailer's generic gift-card ids,
  redemptions spread over days.
* ``takeover_wave`` (``taken_over``; 10-80): dormant accounts (opened 1-3 years earlier, with
  their own old identifiers) logged into from one infrastructure, passwords reset, payout method
  changed and balances redeemed.  Blunt: within 1.5 h, 1-2 devices, one data-centre IP, 1-2
  wallets; medium: 24 h, one emulator id each, a proxy pool, 2-4 wallets; careful: over 5 days in
  the attacker's daytime, residential proxies, a wallet per 3-6 victims.
* ``survey_farm`` (``sockpuppet``; 5-40): sockpuppets answering the same surveys with the same
  (rare) answers within minutes.  Blunt: all, one after another in ~2-10 min, one answer, shared
  devices and an IP; medium: 80% within 20 min, two answers, a proxy pool; careful: 50-70%
  within 90 min, 70% the farm's answer, residential proxies, own wallets, organic cover.

Labels are a trust-and-safety team's: ~15-20% of accounts, driven by payout reviews, chargebacks and
complaints (blunt groups are caught more than careful ones; takeover victims complain), with
errors (QA-lab accounts, power users, cafe regulars and viral newcomers wrongly flagged; careful
fraudsters that passed a payout review labelled good).
"""
from __future__ import annotations

import argparse
import math
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
HOUR = 3_600
MINUTE = 60
W0 = int(datetime(2025, 1, 6, tzinfo=timezone.utc).timestamp())
W1 = int(datetime(2025, 5, 5, tzinfo=timezone.utc).timestamp())
SPAN = W1 - W0
HIST0 = int(datetime(2021, 4, 1, tzinfo=timezone.utc).timestamp())
SDK_BUG = (int(datetime(2025, 2, 10, tzinfo=timezone.utc).timestamp()),
           int(datetime(2025, 3, 3, tzinfo=timezone.utc).timestamp()))

MARKER = ".twentyfirst_marketplace"
OUTPUTS = {"accounts.csv", "events.parquet", "signals.parquet", "links.csv", "labels.csv",
           "truth.parquet", MARKER}

# country, UTC offset (hours), weight
COUNTRIES = [("US", -5, .15), ("BR", -3, .10), ("MX", -6, .06), ("GB", 0, .05), ("DE", 1, .05),
             ("NG", 1, .05), ("TR", 3, .05), ("IN", 5.5, .17), ("ID", 7, .10), ("VN", 7, .07),
             ("PH", 8, .09), ("JP", 9, .06)]
CC = [c[0] for c in COUNTRIES]
CI = {c: i for i, c in enumerate(CC)}
C_OFF = np.array([int(c[1] * HOUR) for c in COUNTRIES], np.int64)
C_W = np.array([c[2] for c in COUNTRIES]); C_W /= C_W.sum()
TIER1 = np.array([CI["US"], CI["GB"], CI["DE"], CI["JP"]])
FARM_CC = np.array([CI[c] for c in ("VN", "ID", "IN", "PH", "BR", "NG", "TR")])

HOURW = np.array([2.0, 1.2, .7, .5, .4, .5, .9, 1.6, 2.4, 2.8, 3.0, 3.2, 3.5, 3.4, 3.3, 3.4,
                  3.7, 4.2, 5.0, 5.8, 6.3, 6.0, 4.8, 3.3])
HOURP = HOURW / HOURW.sum()

ACTIONS = ["session.start", "ad.impression", "ad.click", "app.install", "app.open",
           "iap.purchase", "offerwall.complete", "survey.submit", "reward.redeem", "auth.login",
           "auth.password_reset", "payout.method_update", "payout.request", "pub.campaign_join"]
A = {a: i for i, a in enumerate(ACTIONS)}

KINDS = ["ad_id", "ip", "msisdn", "email_sha", "payout_dest"]
K = {k: i for i, k in enumerate(KINDS)}
# value classes
D_PHONE, D_TABLET, D_EMU, D_RACK, D_PC = range(5)
IP_RESI, IP_CARRIER, IP_DC, IP_EDU, IP_OFFICE, IP_VPN, IP_CAFE, IP_MPROXY = range(8)
P_PAYPAL, P_WALLET, P_GIFT, P_BANK, P_GENERIC = range(5)
M_OWN, M_SMS, M_LAB = range(3)

PERSONAS = ["casual", "gamer_payer", "rewards_user", "offerwall_power_user", "app_explorer",
            "dormant", "publisher", "sub_affiliate", "qa_tester"]
PI = {p: i for i, p in enumerate(PERSONAS)}
# per active day: session, impression, click, paid install, organic install, iap, offer,
# survey, redeem, login
RATES = np.array([
    [0.45, 0.50, 0.030, 0.012, 0.008, 0.002, 0.004, 0.003, 0.0015, 0.015],
    [1.30, 0.90, 0.040, 0.020, 0.015, 0.070, 0.004, 0.002, 0.0008, 0.020],
    [0.40, 0.45, 0.040, 0.015, 0.008, 0.002, 0.200, 0.140, 0.0250, 0.020],
    [0.70, 0.60, 0.080, 0.040, 0.015, 0.005, 2.400, 1.200, 0.1200, 0.040],
    [0.55, 0.70, 0.300, 0.100, 0.050, 0.008, 0.015, 0.008, 0.0020, 0.020],
    [0.004, 0.004, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.002],
    [0.0] * 10, [0.0] * 10, [0.0] * 10])
OPEN_MEAN = np.array([3.0, 6.0, 1.5, 1.0, 2.0, 1.0, 1.0, 1.0, 2.0])
PAYOUT_P = np.array([.15, .05, 1.0, 1.0, .10, .05, 0, 0, 0])

TAGS = ["viral_launch", "store_feature", "carrier_nat", "vpn", "zero_device", "recycled_phone",
        "generic_giftcard", "proxied_home", "second_hand_device", "sms_pool", "shared_home_ip"]
T = {t: 1 << i for i, t in enumerate(TAGS)}

ATYPES = ["user", "publisher", "sub_affiliate", "qa_test"]
AT = {a: i for i, a in enumerate(ATYPES)}
LINK_KINDS = ["attributed_to", "sub_affiliate_of", "referred_by", "family_group"]
LK = {k: i for i, k in enumerate(LINK_KINDS)}
DIFFS = ["blunt", "medium", "careful"]

BAD_KINDS = [("device_farm", 8), ("click_spam", 5), ("offerwall_ring", 6), ("affiliate_fraud", 4),
             ("cashout_ring", 4), ("takeover_wave", 4), ("survey_farm", 4)]

STUDIOS = ["pixelforge", "tapstorm", "lunabyte", "orbitplay", "quickcart", "fitloop", "moonrock",
           "bluewhale", "zapgames", "kitefly", "nordapps", "sunpeak", "hexalab", "cobaltsoft",
           "peppermint", "redfox", "tinyroar", "gridline", "ottergames", "vividmob"]
WORDS = ["runner", "merge", "solitaire", "slots", "puzzle", "match", "farm", "racing", "idle",
         "wallet", "shop", "ride", "food", "news", "photo", "chat", "bingo", "tiles", "words",
         "cooking", "tower", "quiz", "loans", "dating", "fitness", "music", "cleaner", "kingdom"]
REWARDS = [("rwd:amazon:5usd", 5), ("rwd:amazon:10usd", 10), ("rwd:amazon:25usd", 25),
           ("rwd:gplay:10usd", 10), ("rwd:itunes:10usd", 10), ("rwd:paypal:5usd", 5),
           ("rwd:paypal:10usd", 10), ("rwd:paypal:20usd", 20), ("rwd:visa-prepaid:25usd", 25),
           ("rwd:steam:20usd", 20), ("rwd:shopmart:10usd", 10), ("rwd:ewallet:3usd", 3)]
REWARD_P = np.array([.16, .12, .04, .10, .06, .14, .12, .05, .03, .05, .08, .05])
PRICES = np.array([0.99, 1.99, 2.99, 4.99, 9.99, 19.99, 49.99, 99.99])
PRICE_P = np.array([.30, .22, .12, .18, .10, .05, .02, .01])


def zipf_p(k, a):
    w = 1.0 / np.arange(1, k + 1) ** a
    return w / w.sum()


def mix64(x, salt):
    z = np.asarray(x, np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


_HEXC = np.frombuffer(b"0123456789abcdef", dtype="S1")


def hex_chars(u):
    """(n, 16) array of S1 hex digits of uint64 values."""
    sh = np.uint64(4) * np.arange(15, -1, -1, dtype=np.uint64)
    nib = (u[:, None] >> sh) & np.uint64(15)
    return _HEXC[nib.astype(np.int64)]


def chars_to_str(ch):
    ch = np.ascontiguousarray(ch)
    return ch.view(f"S{ch.shape[1]}").ravel().astype(f"U{ch.shape[1]}")


class Tapline:
    def __init__(self, n, seed):
        if n < 2000:
            raise SystemExit("error: --accounts must be at least 2000")
        self.n = n
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.scale = n / 20000
        z = lambda dt, v=0: np.full(n, v, dt)  # noqa: E731
        self.created = z(np.int64)
        self.country = z(np.int16)
        self.off = z(np.int64)
        self.atype = z(np.int8)
        self.platform = z(np.int8)
        self.persona = z(np.int16, -1)
        self.group = z(np.int32, -1)
        self.role = z(np.int16)
        self.is_bad = z(bool, False)
        self.tags = z(np.int32)
        self.act_s = z(np.int64, W0)
        self.act_e = z(np.int64, W1)
        self.mult = z(np.float64, 1.0)
        self.home_app = z(np.int64)
        self.has_payout = z(np.float64, 0.0)
        self.groups = []          # dicts: gid, kind, difficulty, bad
        self.kind_count = {}
        self.roles = []
        self.role_code = {}
        self.vcount = {k: 1 for k in KINDS}   # value 0 of ad_id is the all-zero id
        self.vclass = {k: [] for k in KINDS}
        self.E = {c: [] for c in ("acc", "act", "tgt", "ts", "camp", "pub", "amt", "ans")}
        self.S = {c: [] for c in ("acc", "kind", "val", "seen")}
        self.L = {c: [] for c in ("a", "b", "kind", "w")}
        self.spam_pubs = []       # (publisher idx, start, end) for stolen attribution
        self.t0 = time.time()

    # ----------------------------------------------------------------- primitives
    def role_of(self, name):
        if name not in self.role_code:
            self.role_code[name] = len(self.roles)
            self.roles.append(name)
        return self.role_code[name]

    def new_group(self, kind, diff=None, bad=False):
        k = self.kind_count.get(kind, 0) + 1
        self.kind_count[kind] = k
        self.groups.append({"gid": f"{kind}-{k:04d}", "kind": kind, "difficulty": diff, "bad": bad})
        return len(self.groups) - 1

    def alloc(self, k, role, group=-1, atype="user", bad=False):
        if bad:
            st = self.cur_bad
            self.cur_bad += k
            assert self.cur_bad <= self.n_bad_budget, "bad budget exceeded"
        else:
            st = self.cur_h
            self.cur_h += k
            assert self.cur_h <= self.n, "account budget exceeded"
        idx = np.arange(st, st + k, dtype=np.int64)
        self.role[idx] = self.role_of(role)
        self.group[idx] = group
        self.atype[idx] = AT[atype]
        self.is_bad[idx] = bad
        return idx

    def vals(self, kind, k, cls=0):
        st = self.vcount[kind]
        self.vcount[kind] += int(k)
        self.vclass[kind].append((st, int(k), cls))
        return np.arange(st, st + int(k), dtype=np.int64)

    def emit(self, acc, act, tgt, ts, camp=-1, pub=-1, amt=np.nan, ans=-1):
        acc = np.asarray(acc, np.int64)
        m = len(acc)
        if m == 0:
            return
        b = lambda v, dt: np.broadcast_to(np.asarray(v, dt), (m,)).copy()  # noqa: E731
        self.E["acc"].append(acc.astype(np.int32))
        self.E["act"].append(b(act, np.int8))
        self.E["tgt"].append(b(tgt, np.int32))
        self.E["ts"].append(b(ts, np.int64))
        self.E["camp"].append(b(camp, np.int32))
        self.E["pub"].append(b(pub, np.int32))
        self.E["amt"].append(b(amt, np.float32))
        self.E["ans"].append(b(ans, np.int64))

    def sig(self, acc, kind, val, seen):
        acc = np.asarray(acc, np.int64)
        m = len(acc)
        if m == 0:
            return
        self.S["acc"].append(acc.astype(np.int32))
        self.S["kind"].append(np.full(m, K[kind], np.int8))
        self.S["val"].append(np.broadcast_to(np.asarray(val, np.int64), (m,)).copy())
        seen = np.broadcast_to(np.asarray(seen, np.int64), (m,)).copy()
        self.S["seen"].append(np.maximum(seen, self.created[acc]))

    def link(self, a, b, kind, w=1.0):
        a = np.asarray(a, np.int64)
        m = len(a)
        if m == 0:
            return
        self.L["a"].append(a.astype(np.int32))
        self.L["b"].append(np.broadcast_to(np.asarray(b, np.int64), (m,)).astype(np.int32))
        self.L["kind"].append(np.full(m, LK[kind], np.int8))
        self.L["w"].append(np.broadcast_to(np.asarray(w, np.float32), (m,)).copy())

    def unif(self, lo, hi):
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        n = max(lo.size, hi.size)
        return lo + (self.rng.random(n) * np.maximum(hi - lo, 0)).astype(np.int64)

    def diurnal(self, t, off, lo=None, hi=None):
        """Move each time to a diurnal hour of its local day; keep it if that leaves [lo, hi]."""
        t = np.asarray(t, np.int64)
        n = t.size
        off = np.broadcast_to(np.asarray(off, np.int64), (n,))
        day = np.floor_divide(t + off, DAY)
        h = self.rng.choice(24, n, p=HOURP)
        t2 = day * DAY + h * HOUR + self.rng.integers(0, HOUR, n) - off
        lo = W0 if lo is None else lo
        hi = W1 if hi is None else hi
        return np.where((t2 >= lo) & (t2 <= hi), t2, t)

    def lognorm(self, median, sigma, n):
        return (median * np.exp(sigma * self.rng.standard_normal(n))).astype(np.int64)

    def pick_country(self, k):
        return self.rng.choice(len(CC), k, p=C_W).astype(np.int16)

    # ----------------------------------------------------------------- plan & catalogue
    def plan(self):
        rng = self.rng
        self.bad_plan = []
        for kind, base in BAD_KINDS:
            cnt = max(1, int(round(base * self.scale)))
            diffs = np.array([DIFFS[i % 3] for i in range(cnt)])
            rng.shuffle(diffs)
            for d in diffs:
                if kind == "device_farm":
                    s = int(np.clip(rng.lognormal(math.log(55), .55), 20, 150))
                elif kind == "click_spam":
                    s = int(rng.integers(3, 26))
                elif kind == "offerwall_ring":
                    s = int(rng.integers(4, 31))
                elif kind == "affiliate_fraud":
                    s = int(np.clip(rng.lognormal(math.log(45), .5), 15, 130))
                elif kind == "cashout_ring":
                    s = int(rng.integers(5, 31))
                elif kind == "takeover_wave":
                    s = int(np.clip(rng.lognormal(math.log(30), .6), 10, 80))
                else:
                    s = int(rng.integers(5, 41))
                self.bad_plan.append((kind, str(d), s))
        order = rng.permutation(len(self.bad_plan))
        self.bad_plan = [self.bad_plan[i] for i in order]
        self.n_bad_budget = sum(p[2] for p in self.bad_plan)
        if self.n_bad_budget > 0.3 * self.n:
            raise SystemExit("error: too few accounts for the planted groups")
        self.cur_bad = 0
        self.cur_h = self.n_bad_budget
        self.n_hpub = max(25, self.n // 500)

    def catalogue(self):
        rng = self.rng
        n = self.n
        tg = ["app:tapline-rewards", "acct:password", "pm:paypal", "pm:ewallet", "pm:giftcard",
              "po:wire", "po:paypal", "po:payoneer"]
        self.T_SYS = 0
        self.T_RWD = len(tg)
        tg += [r[0] for r in REWARDS]
        self.rwd_val = np.array([r[1] for r in REWARDS], np.float32)
        # publisher apps: 3 slots per honest publisher + 1 per bad group
        self.n_papp = 3 * self.n_hpub + len(self.bad_plan)
        self.T_PAPP = len(tg)
        tg += [f"com.{STUDIOS[i % len(STUDIOS)]}.{WORDS[(i * 7) % len(WORDS)]}{i}" for i in range(self.n_papp)]
        self.papp_owner = np.full(self.n_papp, -1, np.int64)
        self.papp_w = np.zeros(self.n_papp)
        self.next_fraud_app = 3 * self.n_hpub
        # advertised apps (the last ones are the viral and featured apps)
        self.n_aapp = max(120, n // 80)
        self.T_AAPP = len(tg)
        names = [f"com.{STUDIOS[(i * 3) % len(STUDIOS)]}.{WORDS[(i * 5 + 3) % len(WORDS)]}.a{i}" for i in range(self.n_aapp)]
        names[-1] = "com.starbeat.dancechallenge"
        tg += names
        self.app_p = zipf_p(self.n_aapp - 1, 0.9)
        self.app_p = np.append(self.app_p[rng.permutation(self.n_aapp - 1)], 0.0)
        # campaigns
        nc = max(150, n // 60)
        self.n_camp = nc
        self.T_CAMP = len(tg)
        tg += [f"CMP{100000 + i * 7:06d}" for i in range(nc)]
        self.c_app = rng.choice(self.n_aapp - 1, nc, p=self.app_p[:-1] / self.app_p[:-1].sum())
        ever = rng.random(nc) < .25
        ever[-1] = False   # the viral campaign
        cs = W0 - 30 * DAY + (rng.random(nc) * (SPAN + 23 * DAY)).astype(np.int64)
        ce = cs + (rng.uniform(7, 60, nc) * DAY).astype(np.int64)
        cs[ever], ce[ever] = W0 - 60 * DAY, W1 + DAY
        self.c_s, self.c_e = cs, np.minimum(ce, W1 + DAY)
        self.c_p = zipf_p(nc, 1.0)[rng.permutation(nc)]
        self.c_cpi = np.round(rng.lognormal(math.log(1.4), .7, nc), 2)
        self.c_ever = np.nonzero(ever)[0]
        self.c_ever_p = self.c_p[ever] / self.c_p[ever].sum()
        # viral campaign: the last campaign, on the viral app
        self.c_app[-1] = self.n_aapp - 1
        self.c_p[-1] = 0.0
        self.c_p /= self.c_p.sum()
        # offers: 0 install, 1 quiz, 2 video
        no = max(100, n // 100)
        self.n_offer = no
        self.T_OFR = len(tg)
        tg += [f"ofw-{20000 + i * 3:05d}" for i in range(no)]
        self.o_type = rng.choice(3, no, p=[.55, .2, .25])
        self.o_camp = rng.choice(nc - 1, no, p=self.c_p[:-1] / self.c_p[:-1].sum())
        os_ = W0 - 10 * DAY + (rng.random(no) * SPAN).astype(np.int64)
        oe = os_ + (rng.uniform(14, 90, no) * DAY).astype(np.int64)
        inst = self.o_type == 0
        os_[inst] = np.maximum(self.c_s[self.o_camp[inst]], W0 - 10 * DAY)
        oe[inst] = self.c_e[self.o_camp[inst]]
        oever = (rng.random(no) < .2) & ~inst
        os_[oever], oe[oever] = W0 - 60 * DAY, W1 + DAY
        self.o_s, self.o_e = os_, oe
        self.o_p = zipf_p(no, 0.9)[rng.permutation(no)]
        ev = np.nonzero((self.o_s <= W0) & (self.o_e >= W1))[0]
        if len(ev) == 0:
            ev = np.array([0])
            self.o_s[0], self.o_e[0] = W0 - DAY, W1 + DAY
        self.o_ever, self.o_ever_p = ev, self.o_p[ev] / self.o_p[ev].sum()
        self.o_pts = np.round(rng.lognormal(math.log(0.6), .8, no), 2).astype(np.float32)
        # surveys
        ns = max(60, n // 200)
        self.n_survey = ns
        self.T_SRV = len(tg)
        tg += [f"srv-{5000 + i:05d}" for i in range(ns)]
        ss = W0 - 5 * DAY + (rng.random(ns) * (SPAN - 2 * DAY)).astype(np.int64)
        se = ss + (rng.uniform(3, 21, ns) * DAY).astype(np.int64)
        sever = rng.random(ns) < .12
        sever[0] = True
        ss[sever], se[sever] = W0 - 30 * DAY, W1 + DAY
        self.s_s, self.s_e = ss, np.minimum(se, W1 + DAY)
        self.s_p = zipf_p(ns, 0.8)[rng.permutation(ns)]
        self.s_ever = np.nonzero(sever)[0]
        self.s_ever_p = self.s_p[sever] / self.s_p[sever].sum()
        self.ans_p = zipf_p(400, 1.1)
        self.targets = tg

    def pick_window(self, what, s, e):
        rng = self.rng
        m = len(s)
        if what == "camp":
            n_, p, ws, we, ev, evp = self.n_camp, self.c_p, self.c_s, self.c_e, self.c_ever, self.c_ever_p
        elif what == "offer":
            n_, p, ws, we, ev, evp = self.n_offer, self.o_p, self.o_s, self.o_e, self.o_ever, self.o_ever_p
        else:
            n_, p, ws, we, ev, evp = self.n_survey, self.s_p, self.s_s, self.s_e, self.s_ever, self.s_ever_p
        c = rng.choice(n_, m, p=p)
        lo = np.maximum(s, ws[c])
        hi = np.minimum(e, we[c])
        bad = lo > hi
        if bad.any():
            c[bad] = rng.choice(ev, int(bad.sum()), p=evp)
            lo[bad] = s[bad]
            hi[bad] = e[bad]
        return c, self.unif(lo, hi)

    def sample_papp(self, m):
        return self.rng.choice(self.n_papp, m, p=self.papp_w / self.papp_w.sum())

    def serving_pub(self, a):
        own = self.papp_owner[self.home_app[a]]
        other = self.papp_owner[self.sample_papp(len(a))]
        return np.where(self.rng.random(len(a)) < .75, own, other)

    def fraud_app(self, pub):
        app = self.next_fraud_app
        self.next_fraud_app += 1
        self.papp_owner[app] = pub
        return app

    # ----------------------------------------------------------------- people
    def setup_people(self, idx, country=None, personas=None, created=None, pre_frac=.45):
        """created_at, country, persona, activity multiplier and active window of honest accounts."""
        rng = self.rng
        k = len(idx)
        if country is None:
            country = self.pick_country(k)
        self.country[idx] = country
        self.off[idx] = C_OFF[self.country[idx]]
        self.platform[idx] = (rng.random(k) < np.where(np.isin(self.country[idx], TIER1), .5, .15)).astype(np.int8)
        if created is None:
            pre = rng.random(k) < pre_frac
            cr = np.empty(k, np.int64)
            npre = int(pre.sum())
            cr[pre] = HIST0 + ((W0 - HIST0) * rng.random(npre) ** 0.6).astype(np.int64)
            nin = k - npre
            day = rng.integers(0, SPAN // DAY - 1, nin)
            wk = (day + 0) % 7 >= 5
            day = np.where(wk & (rng.random(nin) < .2), np.maximum(day - 1, 0), day)
            cr[~pre] = W0 + day * DAY + rng.integers(0, DAY, nin)
            cr[~pre] = self.diurnal(cr[~pre], self.off[idx[~pre]], W0, W1 - DAY)
            created = cr
        self.created[idx] = created
        pre = self.created[idx] < W0
        if personas is None:
            personas = np.where(pre & (rng.random(k) < .4), PI["dormant"],
                                rng.choice(5, k, p=[.56, .10, .18, .015, .145]))
        self.persona[idx] = personas
        self.mult[idx] = np.clip(rng.lognormal(-0.405, .9, k), .05, 25)
        s = np.maximum(self.created[idx] + rng.integers(60, 900, k), W0)
        life = np.where(pre, rng.exponential(200 * DAY, k),
                        np.where(rng.random(k) < .35, rng.exponential(3 * DAY, k),
                                 rng.exponential(70 * DAY, k))).astype(np.int64)
        e = np.minimum(W1, s + life + HOUR)
        dorm = self.persona[idx] == PI["dormant"]
        e[dorm] = W1
        self.act_s[idx] = s
        self.act_e[idx] = e
        self.has_payout[idx] = rng.random(k) < PAYOUT_P[self.persona[idx]]
        self.home_app[idx] = self.sample_papp(k)

    def setup_bad(self, idx, country, created, end, platform_ios=0.0):
        rng = self.rng
        k = len(idx)
        self.country[idx] = country
        self.off[idx] = C_OFF[self.country[idx]]
        self.platform[idx] = (rng.random(k) < platform_ios).astype(np.int8)
        self.created[idx] = created
        self.act_s[idx] = np.maximum(created + 60, W0)
        self.act_e[idx] = np.maximum(np.minimum(end, W1), self.act_s[idx] + HOUR)
        self.mult[idx] = np.clip(rng.lognormal(-0.3, .6, k), .1, 5)
        self.home_app[idx] = self.sample_papp(k)

    # ----------------------------------------------------------------- organic behaviour
    def opens(self, a, t0, tgt, ee, mean):
        rng = self.rng
        m = len(a)
        if m == 0:
            return
        first = rng.random(m) < .85
        t1 = t0 + rng.integers(5, 600, m)
        ok = first & (t1 <= ee)
        self.emit(a[ok], A["app.open"], tgt[ok], t1[ok])
        k = rng.poisson(np.broadcast_to(mean, (m,)))
        aa = np.repeat(a, k)
        tt = np.repeat(t0, k) + self.lognorm(0.8 * DAY, 1.5, int(k.sum()))
        ok = tt <= np.repeat(np.minimum(ee, W1), k)
        self.emit(aa[ok], A["app.open"], np.repeat(tgt, k)[ok], tt[ok])

    def organic(self, idx, pers, scale=1.0):
        rng = self.rng
        idx = np.asarray(idx, np.int64)
        if len(idx) == 0:
            return
        pers = np.broadcast_to(np.asarray(pers, np.int64), (len(idx),))
        s = self.act_s[idx]
        e = self.act_e[idx]
        days = np.maximum(e - s, 0) / DAY
        lam = RATES[pers] * (self.mult[idx] * days * scale)[:, None]
        lam[:, 8] *= self.has_payout[idx]
        C = rng.poisson(lam)

        def rep(j):
            c = C[:, j]
            return np.repeat(idx, c), np.repeat(s, c), np.repeat(e, c), np.repeat(pers, c)

        a, ss, ee, _ = rep(0)          # sessions in publisher apps
        t = self.diurnal(self.unif(ss, ee), self.off[a], ss, ee)
        app = np.where(rng.random(len(a)) < .7, self.home_app[a], self.sample_papp(len(a)))
        self.emit(a, A["session.start"], self.T_PAPP + app, t, pub=self.papp_owner[app])
        for j, act in ((1, "ad.impression"), (2, "ad.click")):
            a, ss, ee, _ = rep(j)
            c, t = self.pick_window("camp", ss, ee)
            t = self.diurnal(t, self.off[a], ss, ee)
            self.emit(a, A[act], self.T_CAMP + c, t, camp=c, pub=self.serving_pub(a))
        a, ss, ee, pp = rep(3)          # paid installs: click -> install -> opens
        c, t = self.pick_window("camp", ss, ee)
        t = self.diurnal(t, self.off[a], ss, ee)
        ctit = np.clip(self.lognorm(600, 1.3, len(a)), 15, 5 * DAY)
        tc = np.maximum(t - ctit, ss)
        pub = self.serving_pub(a)
        self.emit(a, A["ad.click"], self.T_CAMP + c, tc, camp=c, pub=pub)
        tgt = self.T_AAPP + self.c_app[c]
        self.emit(a, A["app.install"], tgt, t, camp=c, pub=pub)
        self.opens(a, t, tgt, ee, OPEN_MEAN[pp] * np.sqrt(self.mult[a]))
        a, ss, ee, pp = rep(4)          # organic installs
        t = self.diurnal(self.unif(ss, ee), self.off[a], ss, ee)
        tgt = self.T_AAPP + rng.choice(self.n_aapp, len(a), p=self.app_p)
        self.emit(a, A["app.install"], tgt, t)
        self.opens(a, t, tgt, ee, OPEN_MEAN[pp] * np.sqrt(self.mult[a]))
        a, ss, ee, _ = rep(5)           # in-app purchases
        t = self.diurnal(self.unif(ss, ee), self.off[a], ss, ee)
        app = rng.choice(self.n_aapp, len(a), p=self.app_p)
        self.emit(a, A["iap.purchase"], self.T_AAPP + app, t,
                  amt=rng.choice(PRICES, len(a), p=PRICE_P))
        a, ss, ee, _ = rep(6)           # offerwall
        self.offers(a, ss, ee)
        a, ss, ee, _ = rep(7)           # surveys
        sv, t = self.pick_window("survey", ss, ee)
        t = self.diurnal(t, self.off[a], ss, ee)
        ans = sv * 1024 + rng.choice(400, len(a), p=self.ans_p)
        self.emit(a, A["survey.submit"], self.T_SRV + sv, t, ans=ans)
        a, ss, ee, _ = rep(8)           # redemptions
        t = self.diurnal(self.unif(ss, ee), self.off[a], ss, ee)
        r = rng.choice(len(REWARDS), len(a), p=REWARD_P)
        self.emit(a, A["reward.redeem"], self.T_RWD + r, t, amt=self.rwd_val[r])
        a, ss, ee, _ = rep(9)           # logins
        t = self.diurnal(self.unif(ss, ee), self.off[a], ss, ee)
        self.emit(a, A["auth.login"], self.T_SYS, t)

    def offers(self, a, ss, ee, o=None, t=None):
        rng = self.rng
        if o is None:
            o, t = self.pick_window("offer", ss, ee)
            t = self.diurnal(t, self.off[a], ss, ee)
        self.emit(a, A["offerwall.complete"], self.T_OFR + o, t, amt=self.o_pts[o])
        inst = self.o_type[o] == 0
        ai, ti, oi = a[inst], t[inst], o[inst]
        lag = np.clip(self.lognorm(240, .8, len(ai)), 30, 3 * HOUR)
        c = self.o_camp[oi]
        tgt = self.T_AAPP + self.c_app[c]
        self.emit(ai, A["app.install"], tgt, np.maximum(ti - lag, W0), camp=c)
        self.opens(ai, ti, tgt, ee[inst], 0.8)

    # ----------------------------------------------------------------- honest world
    def honest(self):
        rng = self.rng
        sc = self.scale
        # --- publishers
        npub = self.n_hpub
        pubs = self.alloc(npub, "publisher", atype="publisher")
        pw = zipf_p(npub, 1.1)
        self.pub_w = pw
        self.hpubs = pubs
        nlive = rng.integers(1, 4, npub)
        for j in range(3):
            slot = 3 * np.arange(npub) + j
            live = nlive > j
            self.papp_owner[slot] = pubs
            self.papp_w[slot[live]] = pw[live] / nlive[live]
        self.setup_people(pubs, personas=np.full(npub, PI["publisher"]), pre_frac=.85)
        self.act_s[pubs] = np.maximum(self.created[pubs], W0)
        self.act_e[pubs] = W1
        self.home_app[pubs] = 3 * np.arange(npub)
        # --- affiliate networks (owner = a mid-sized honest publisher)
        nnet = max(2, int(round(self.n / 5000)))
        owners = rng.choice(pubs[5:], nnet, replace=False)
        self.net_subs = []
        for ow in owners:
            g = self.new_group("affiliate_network")
            ns_ = int(rng.integers(3, 11))
            subs = self.alloc(ns_, "sub_affiliate", group=g, atype="sub_affiliate")
            self.group[ow] = g
            self.role[ow] = self.role_of("network_owner")
            self.setup_people(subs, country=np.full(ns_, self.country[ow]),
                              personas=np.full(ns_, PI["sub_affiliate"]), pre_frac=.5)
            self.act_e[subs] = W1
            self.home_app[subs] = self.home_app[ow]
            self.link(subs, ow, "sub_affiliate_of")
            if rng.random() < .35:   # an agency running its subs from one office
                ip = self.vals("ip", 1, IP_OFFICE)
                self.sig(np.append(subs, ow), "ip", ip[0], self.created[np.append(subs, ow)] + DAY)
            self.net_subs.append(subs)
        allsubs = np.concatenate(self.net_subs)
        pubside = np.concatenate([pubs, allsubs])
        for p_idx in (pubside,):
            k = len(p_idx)
            self.sig(p_idx, "ad_id", self.vals("ad_id", k, D_PHONE), self.created[p_idx])
            self.sig(p_idx, "ip", self.vals("ip", k, IP_OFFICE), self.created[p_idx])
            self.sig(p_idx, "payout_dest", self.vals("payout_dest", k, P_BANK), self.created[p_idx] + DAY)
            ph = p_idx[rng.random(k) < .9]
            self.sig(ph, "msisdn", self.vals("msisdn", len(ph), M_OWN), self.created[ph])
        # publisher activity: campaign joins, monthly payouts, logins
        k = len(pubside)
        w = np.concatenate([pw * npub, np.full(len(allsubs), .5)])
        nj = rng.poisson(np.clip(8 + 40 * w, 3, 80))
        a = np.repeat(pubside, nj)
        c, t = self.pick_window("camp", self.act_s[a], self.act_e[a])
        t = self.diurnal(t, self.off[a], self.act_s[a], self.act_e[a])
        self.emit(a, A["pub.campaign_join"], self.T_CAMP + c, t, camp=c)
        months = np.array([int(datetime(2025, m, 2, tzinfo=timezone.utc).timestamp()) for m in (2, 3, 4, 5)])
        a = np.repeat(pubside, len(months))
        t = np.tile(months, k) + rng.integers(0, 4 * DAY, len(a))
        ok = (t >= self.act_s[a]) & (t <= W1) & (rng.random(len(a)) < .9)
        meth = rng.choice(3, k)
        self.emit(a[ok], A["payout.request"], self.T_SYS + 5 + np.repeat(meth, len(months))[ok], t[ok],
                  amt=np.round(rng.lognormal(6, 1.2, int(ok.sum())), 2))
        nl = rng.poisson(12, k)
        a = np.repeat(pubside, nl)
        t = self.diurnal(self.unif(self.act_s[a], self.act_e[a]), self.off[a], self.act_s[a], self.act_e[a])
        self.emit(a, A["auth.login"], self.T_SYS, t)

        # --- QA labs (declared, honest)
        self.qa = []
        for _ in range(max(1, int(round(self.n / 20000)))):
            g = self.new_group("qa_lab")
            k = int(rng.integers(25, 71))
            idx = self.alloc(k, "test_account", group=g, atype="qa_test")
            cc = CI[rng.choice(["IN", "VN", "PH", "US", "DE", "BR"])]
            cr = W0 - int(rng.integers(10, 300)) * DAY + np.sort(rng.integers(0, 200, k)) * DAY
            cr = np.minimum(cr, W1 - 20 * DAY)
            self.setup_people(idx, country=np.full(k, cc), personas=np.full(k, PI["qa_tester"]), created=cr)
            self.act_e[idx] = W1
            self.qa.append((g, idx, cc))
        # --- campuses, offices, cafes
        self.orgs = []
        for kind, cnt, lo, hi in (("campus", max(1, int(round(self.n / 10000))), 80, 300),
                                  ("office", max(2, int(round(self.n / 3500))), 12, 70),
                                  ("internet_cafe", max(2, int(round(self.n / 5000))), 12, 45)):
            for _ in range(cnt):
                g = self.new_group(kind)
                k = int(rng.integers(lo, hi + 1))
                role = {"campus": "student", "office": "employee", "internet_cafe": "cafe_regular"}[kind]
                idx = self.alloc(k, role, group=g)
                cc = (CI[rng.choice(["ID", "VN", "PH", "IN", "NG", "BR", "TR"])] if kind == "internet_cafe"
                      else self.pick_country(1)[0])
                if kind == "campus":
                    pers = rng.choice([0, 1, 2, 4], k, p=[.45, .25, .2, .1])
                elif kind == "office":
                    pers = rng.choice([0, 1, 2, 5], k, p=[.6, .1, .1, .2])
                else:
                    pers = rng.choice([0, 1, 2, 3], k, p=[.3, .45, .2, .05])
                self.setup_people(idx, country=np.full(k, cc), personas=pers,
                                  pre_frac=.5 if kind != "campus" else .35)
                self.orgs.append((kind, g, idx))
        # --- households
        remaining = self.n - self.cur_h
        target = int(.15 * remaining)
        hs = rng.choice([2, 3, 4, 5, 6], int(target / 3.1) + 1, p=[.35, .30, .20, .10, .05])
        hs = hs[np.cumsum(hs) <= target]
        nh = len(hs)
        hidx = self.alloc(int(hs.sum()), "household_member")
        hh = np.repeat(np.arange(nh), hs)
        pos = np.arange(len(hidx)) - np.repeat(np.cumsum(hs) - hs, hs)
        g0 = len(self.groups)
        for _ in range(nh):
            self.new_group("household")
        self.group[hidx] = g0 + hh
        hcc = self.pick_country(nh)
        self.setup_people(hidx, country=hcc[hh])
        self.hh = (hidx, hh, pos, hs)
        # --- unaffiliated (and the viral newcomers)
        rest = self.n - self.cur_h
        self.viral_t = W0 + int(rng.uniform(35, 85)) * DAY + int(rng.integers(0, DAY))
        self.viral_t = int(self.diurnal(np.array([self.viral_t]), C_OFF[CI["US"]], W0 + 30 * DAY, W1 - 20 * DAY)[0])
        nv = int(.025 * self.n)
        uidx = self.alloc(rest, "unaffiliated")
        self.setup_people(uidx)
        vnew = uidx[-nv:]
        crv = self.viral_t + np.minimum(rng.exponential(20 * MINUTE, nv), 3 * HOUR).astype(np.int64)
        self.setup_people(vnew, personas=rng.choice([0, 1, 4], nv, p=[.7, .2, .1]), created=crv,
                          country=rng.choice(len(CC), nv, p=C_W).astype(np.int16))
        self.tags[vnew] |= T["viral_launch"]
        self.viral_new = vnew
        # unaffiliated role = persona name
        for p in range(6):
            sel = uidx[self.persona[uidx] == p]
            self.role[sel] = self.role_of(PERSONAS[p])
        self.H = np.arange(self.n_bad_budget, self.n, dtype=np.int64)
        self.users_h = self.H[np.isin(self.atype[self.H], [AT["user"]])]
        self.uidx = uidx

    def honest_identifiers(self):
        rng = self.rng
        U = self.users_h
        Q = np.concatenate([q[1] for q in self.qa])
        U = U[~np.isin(U, Q)]
        k = len(U)
        cr = self.created[U]
        # devices: own phone, sometimes a second / third
        own = self.vals("ad_id", k, D_PHONE)
        self.sig(U, "ad_id", own, cr + rng.integers(0, 600, k))
        for p in (.16, .03):
            sel = U[rng.random(k) < p]
            self.sig(sel, "ad_id", self.vals("ad_id", len(sel), D_PHONE), self.unif(self.act_s[sel], self.act_e[sel]))
        # second-hand phones: 0.5% of devices reappear on a stranger
        m = int(.005 * k)
        src = rng.choice(k, m, replace=False)
        dst = rng.choice(U, m, replace=False)
        self.sig(dst, "ad_id", own[src], self.unif(self.act_s[dst], self.act_e[dst]))
        self.tags[dst] |= T["second_hand_device"]
        self.tags[U[src]] |= T["second_hand_device"]
        # phones
        hasph = rng.random(k) < .65
        ph = np.full(k, -1, np.int64)
        ph[hasph] = self.vals("msisdn", int(hasph.sum()), M_OWN)
        self.sig(U[hasph], "msisdn", ph[hasph], cr[hasph])
        # recycled numbers: an old account's number re-issued to a new account
        old = np.nonzero(hasph & (cr < W0 - 180 * DAY))[0]
        new = U[self.created[U] >= W0]
        m = min(int(.008 * k), len(old), len(new))
        src = rng.choice(old, m, replace=False)
        dst = rng.choice(new, m, replace=False)
        self.sig(dst, "msisdn", ph[src], self.created[dst])
        self.tags[dst] |= T["recycled_phone"]
        self.tags[U[src]] |= T["recycled_phone"]
        # a few honest users on rented SMS-activation numbers
        self.sms_pool = self.vals("msisdn", max(120, int(250 * self.scale)), M_SMS)
        sel = U[rng.random(k) < .003]
        self.sig(sel, "msisdn", rng.choice(self.sms_pool, len(sel)), self.created[sel])
        self.tags[sel] |= T["sms_pool"]
        # carrier-grade NAT per country
        mobile = rng.random(k) < .8
        cc = self.country[U]
        self.cg_start = np.zeros(len(CC), np.int64)
        self.cg_n = np.zeros(len(CC), np.int64)
        for c in range(len(CC)):
            nm = int((mobile & (cc == c)).sum())
            self.cg_n[c] = max(2, nm // 300)
            self.cg_start[c] = self.vals("ip", self.cg_n[c], IP_CARRIER)[0]
        self.carrier_ips(U[mobile], rng.choice([1, 2, 3], int(mobile.sum()), p=[.55, .3, .15]))
        # home IPs: households share one, many others have their own
        hidx, hh, pos, hs = self.hh
        hip = self.vals("ip", len(hs), IP_RESI)
        self.sig(hidx, "ip", hip[hh], self.created[hidx])
        re2 = rng.random(len(hs)) < .2           # the line was re-issued once
        hip2 = self.vals("ip", int(re2.sum()), IP_RESI)
        hm = np.full(len(hs), -1, np.int64)
        hm[re2] = hip2
        sel = re2[hh]
        self.sig(hidx[sel], "ip", hm[hh[sel]], self.unif(self.act_s[hidx[sel]], self.act_e[hidx[sel]]))
        others = U[~np.isin(U, hidx)]
        grp_kind = np.array([g["kind"] for g in self.groups] + [""])
        okind = grp_kind[self.group[others]]
        p_home = np.where(okind == "campus", .4, np.where(okind == "office", .85,
                          np.where(okind == "internet_cafe", .6, .75)))
        own_home = others[rng.random(len(others)) < p_home]
        ohip = self.vals("ip", len(own_home), IP_RESI)
        self.sig(own_home, "ip", ohip, self.created[own_home])
        home_acc = np.concatenate([hidx, own_home])
        home_ip = np.concatenate([hip[hh], ohip])
        # dynamic re-issue to a neighbour, friends' Wi-Fi
        for p in (.03, .04):
            m = int(p * len(home_acc))
            src = rng.choice(len(home_acc), m, replace=False)
            dst = rng.choice(U, m, replace=False)
            self.sig(dst, "ip", home_ip[src], self.unif(self.act_s[dst], self.act_e[dst]))
            self.tags[dst] |= T["shared_home_ip"]
        # homes with a residential-proxy SDK on some device: the careful fraudsters' exits
        uniq_home = np.unique(home_ip)
        prox = rng.choice(uniq_home, max(150, int(.03 * len(uniq_home))), replace=False)
        self.tags[home_acc[np.isin(home_ip, prox)]] |= T["proxied_home"]
        ip_cc = np.zeros(self.vcount["ip"], np.int16)
        ip_cc[home_ip] = self.country[home_acc]
        self.resi_pool = prox
        self.resi_cc = ip_cc[prox]
        # popular VPN
        self.vpn = self.vals("ip", 25, IP_VPN)
        self.vpn_p = zipf_p(25, 1.2)
        sel = U[rng.random(k) < .03]
        self.sig(sel, "ip", rng.choice(self.vpn, len(sel), p=self.vpn_p), self.unif(self.act_s[sel], self.act_e[sel]))
        self.tags[sel] |= T["vpn"]
        # household extras: shared tablet, parent's phone, shared wallet, family links, referrals
        nh = len(hs)
        tab = rng.random(nh) < .45
        tk = np.minimum(hs, rng.integers(2, 5, nh))
        tv = np.full(nh, -1, np.int64)
        tv[tab] = self.vals("ad_id", int(tab.sum()), D_TABLET)
        sel = tab[hh] & (pos < tk[hh])
        self.sig(hidx[sel], "ad_id", tv[hh[sel]], self.unif(self.act_s[hidx[sel]], self.act_e[hidx[sel]]))
        head = hidx[pos == 0]
        hph = rng.random(nh) < .10
        headph = np.full(nh, -1, np.int64)
        headph[hph] = self.vals("msisdn", int(hph.sum()), M_OWN)
        sel = hph[hh]
        self.sig(hidx[sel], "msisdn", headph[hh[sel]], self.created[hidx[sel]])
        fam = rng.random(nh) < .3
        sel = fam[hh] & (pos > 0)
        self.link(hidx[sel], head[hh[sel]], "family_group")
        sel = (pos > 0) & (self.created[hidx] >= W0) & (rng.random(len(hidx)) < .4) \
            & (self.created[hidx] > self.created[head[hh]])
        self.link(hidx[sel], head[hh[sel]], "referred_by")
        # payout destinations
        pay = U[self.has_payout[U] > 0]
        m = len(pay)
        ptype = rng.choice([P_PAYPAL, P_WALLET, P_GIFT], m, p=[.55, .3, .15])
        pv = np.empty(m, np.int64)
        for c in (P_PAYPAL, P_WALLET, P_GIFT):
            s = ptype == c
            pv[s] = self.vals("payout_dest", int(s.sum()), c)
        self.generic_gc = self.vals("payout_dest", 5, P_GENERIC)
        self.generic_p = np.array([.4, .25, .15, .12, .08])
        gen = rng.random(m) < .08
        pv[gen] = rng.choice(self.generic_gc, int(gen.sum()), p=self.generic_p)
        self.tags[pay[gen]] |= T["generic_giftcard"]
        # households: 25% share one wallet (the head's)
        hpay = np.full(self.n, -1, np.int64)
        hpay[pay] = pv
        share = rng.random(nh) < .25
        sel = share[hh] & (pos > 0)
        hv = hpay[head[hh[sel]]]
        mem = hidx[sel]
        hv = np.where(hv >= 0, hv, hpay[mem])
        hpay[mem] = hv
        self.has_payout[mem[hv >= 0]] = 1.0
        pay = np.nonzero(hpay >= 0)[0]
        self.sig(pay, "payout_dest", hpay[pay], self.unif(self.act_s[pay], np.minimum(self.act_s[pay] + 20 * DAY, W1)))
        # friends' referrals among unaffiliated new accounts
        ua = self.uidx[self.created[self.uidx] >= W0]
        sel = ua[rng.random(len(ua)) < .05]
        ref = rng.choice(U, len(sel))
        ok = self.created[ref] < self.created[sel]
        self.link(sel[ok], ref[ok], "referred_by")
        # acquisition attribution to honest publishers (big ones: huge audiences)
        sel = U[rng.random(k) < .3]
        tgtp = np.concatenate([self.hpubs, np.concatenate(self.net_subs)])
        wp = np.concatenate([self.pub_w, np.full(len(tgtp) - len(self.hpubs), .003)])
        pk = rng.choice(tgtp, len(sel), p=wp / wp.sum())
        self.link(sel, pk, "attributed_to", 1.0 + rng.poisson(.5, len(sel)))
        # org infrastructure
        for kind, g, idx in self.orgs:
            kk = len(idx)
            if kind == "campus":
                ips = self.vals("ip", 2, IP_EDU)
                self.sig(idx, "ip", ips[0], self.unif(self.act_s[idx], self.act_e[idx]))
                sel = idx[rng.random(kk) < .5]
                self.sig(sel, "ip", ips[1], self.unif(self.act_s[sel], self.act_e[sel]))
            elif kind == "office":
                ip = self.vals("ip", 1, IP_OFFICE)
                self.sig(idx, "ip", ip[0], self.unif(self.act_s[idx], self.act_e[idx]))
            else:
                ip = self.vals("ip", 1, IP_CAFE)
                self.sig(idx, "ip", ip[0], self.unif(self.act_s[idx], self.act_e[idx]))
                pcs = self.vals("ad_id", int(rng.integers(3, 9)), D_PC)
                n1 = rng.integers(1, 3, kk)
                a = np.repeat(idx, n1)
                self.sig(a, "ad_id", rng.choice(pcs, len(a)), self.unif(self.act_s[a], self.act_e[a]))

    def carrier_ips(self, acc, cnt):
        a = np.repeat(acc, cnt)
        c = self.country[a]
        v = self.cg_start[c] + (self.rng.random(len(a)) * self.cg_n[c]).astype(np.int64)
        self.sig(a, "ip", v, self.unif(self.act_s[a], self.act_e[a]))
        self.tags[a] |= T["carrier_nat"]

    def resi(self, k, cc=None):
        """k residential-proxy exits (honest homes' IPs), preferring the claimed countries."""
        pool = self.resi_pool
        if cc is not None:
            m = np.isin(self.resi_cc, cc)
            if m.sum() >= k:
                pool = pool[m]
        return self.rng.choice(pool, min(k, len(pool)), replace=False)

    def honest_activity(self):
        rng = self.rng
        U = self.users_h
        qa_all = np.concatenate([q[1] for q in self.qa])
        U = U[~np.isin(U, qa_all)]
        # in chunks to keep memory modest
        for ch in np.array_split(U, max(1, len(U) // 20000)):
            self.organic(ch, self.persona[ch])
        # viral launch: a celebrity's post, an hour of installs
        tv = self.viral_t
        vc = self.n_camp - 1
        vapp = self.T_AAPP + self.n_aapp - 1
        self.c_s[vc], self.c_e[vc] = tv - HOUR, tv + 10 * DAY
        star = self.hpubs[int(rng.integers(0, 5))]
        awake = U[self.persona[U] != PI["dormant"]]
        act = awake[(self.act_s[awake] <= tv) & (self.act_e[awake] >= tv) & (self.created[awake] < tv)]
        crowd = rng.choice(act, min(len(act), int(.035 * self.n)), replace=False)
        t_old = tv + np.minimum(rng.exponential(18 * MINUTE, len(crowd)), 6 * HOUR).astype(np.int64)
        vn = self.viral_new
        t_new = self.created[vn] + rng.integers(30, 400, len(vn))
        a = np.concatenate([crowd, vn])
        t = np.concatenate([t_old, t_new])
        ok = t <= W1
        a, t = a[ok], t[ok]
        self.tags[a] |= T["viral_launch"]
        clicked = rng.random(len(a)) < .8
        ctit = np.clip(self.lognorm(50, .7, len(a)), 8, HOUR)
        self.emit(a[clicked], A["ad.click"], self.T_CAMP + vc, (t - ctit)[clicked], camp=vc, pub=star)
        self.emit(a, A["app.install"], vapp, t, camp=np.where(clicked, vc, -1), pub=np.where(clicked, star, -1))
        self.opens(a, t, np.full(len(a), vapp), np.maximum(self.act_e[a], t + 2 * DAY), 2.0)
        self.link(vn, star, "attributed_to")
        # app-store featuring days
        for _ in range(2 + self.n // 50000):
            app = self.T_AAPP + int(rng.integers(0, self.n_aapp - 1))
            d0 = W0 + int(rng.integers(5, SPAN // DAY - 5)) * DAY
            act = awake[(self.act_s[awake] <= d0 + DAY) & (self.act_e[awake] >= d0)]
            crowd = rng.choice(act, min(len(act), int(.025 * len(U))), replace=False)
            t = self.diurnal(self.unif(np.full(len(crowd), d0), d0 + DAY), self.off[crowd], d0 - 12 * HOUR, d0 + 36 * HOUR)
            t = np.clip(t, self.act_s[crowd], W1)
            self.emit(crowd, A["app.install"], app, t)
            self.opens(crowd, t, np.full(len(crowd), app), self.act_e[crowd], 2.0)
            self.tags[crowd] |= T["store_feature"]
        # QA labs: test runs in lockstep on the rack
        for g, idx, cc in self.qa:
            k = len(idx)
            rack = self.vals("ad_id", int(rng.integers(8, 17)), D_RACK)
            n1 = rng.integers(1, 3, k)
            a = np.repeat(idx, n1)
            self.sig(a, "ad_id", rng.choice(rack, len(a)), self.created[a])
            ips = self.vals("ip", 2, IP_OFFICE)
            self.sig(idx, "ip", ips[0], self.created[idx])
            sel = idx[rng.random(k) < .4]
            self.sig(sel, "ip", ips[1], self.unif(self.act_s[sel], self.act_e[sel]))
            sims = self.vals("msisdn", int(rng.integers(3, 6)), M_LAB)
            self.sig(idx, "msisdn", rng.choice(sims, k), self.created[idx])
            clients = rng.choice(self.n_camp - 1, int(rng.integers(3, 7)), replace=False)
            days = np.arange(SPAN // DAY)
            wd = (days + 0) % 7 < 5
            run_days = days[wd & (rng.random(len(days)) < .55)]
            R = len(run_days)
            rt = W0 + run_days * DAY + int(rng.integers(9, 11)) * HOUR - C_OFF[cc] + rng.integers(0, 5 * HOUR, R)
            rc = rng.choice(clients, R)
            M = rng.random((R, k)) < rng.uniform(.5, 1.0, R)[:, None]
            jj, ww = np.nonzero(M)
            a = idx[ww]
            t = rt[jj] + ww * int(rng.integers(20, 60)) + rng.integers(0, 30, len(jj))
            ok = (t >= self.act_s[a]) & (t <= W1)
            a, t, c = a[ok], t[ok], rc[jj[ok]]
            tgt = self.T_AAPP + self.c_app[c]
            self.emit(a, A["ad.click"], self.T_CAMP + c, t - rng.integers(4, 15, len(a)), camp=c)
            self.emit(a, A["app.install"], tgt, t, camp=c)
            for d in (60, 300, 900):
                self.emit(a, A["app.open"], tgt, t + d + rng.integers(0, 60, len(a)))
            buy = rng.random(len(a)) < .3
            self.emit(a[buy], A["iap.purchase"], tgt[buy], t[buy] + 1200, amt=0.0)
            self.emit(a, A["session.start"], self.T_PAPP + self.home_app[a], t + 1500)

    # ----------------------------------------------------------------- bad groups
    def times_for(self, diff, k, start, end, off):
        """created_at of a bad group's accounts."""
        rng = self.rng
        if diff == "blunt":
            waves = start - rng.uniform(0, 3 * DAY, int(rng.integers(1, 3))).astype(np.int64)
            return waves[rng.integers(0, len(waves), k)] + rng.integers(0, 1800, k)
        if diff == "medium":
            waves = self.unif(np.full(int(rng.integers(2, 5)), start - 10 * DAY), start + (end - start) // 2)
            return waves[rng.integers(0, len(waves), k)] + rng.integers(0, 3 * HOUR, k)
        cr = self.unif(np.full(k, start - 20 * DAY), max(start - 20 * DAY, end - 5 * DAY))
        cr = self.diurnal(cr, off, HIST0, W1)
        aged = rng.random(k) < .2
        cr[aged] = W0 - rng.integers(60, 700, int(aged.sum())) * DAY
        return cr

    def life(self, lo, hi):
        rng = self.rng
        start = W0 + int(rng.uniform(0, .6) * SPAN)
        end = min(W1 - DAY, start + int(rng.uniform(lo, hi) * DAY))
        return start, end

    def camps_in(self, a, b, k, by_cpi=True):
        ok = np.nonzero((self.c_s <= b - DAY) & (self.c_e >= a + DAY))[0]
        ok = ok[ok != self.n_camp - 1]
        w = self.c_cpi[ok] if by_cpi else self.c_p[ok]
        return self.rng.choice(ok, min(k, len(ok)), replace=False, p=w / w.sum())

    def bad_ids(self, diff, idx, start, cc, dc_ips=(1, 3), share_dev=(2, 7), proxy=(8, 25), resi=(40, 150),
                phones=(.5, .3, .25), seen=None):
        """Devices, IPs and phones of a bad group's accounts by difficulty."""
        rng = self.rng
        k = len(idx)
        seen = self.created[idx] + rng.integers(0, 900, k) if seen is None else seen
        if diff == "blunt":
            dev = self.vals("ad_id", int(rng.integers(*share_dev)), D_EMU)
            self.sig(idx, "ad_id", rng.choice(dev, k), seen)
            sel = idx[rng.random(k) < .3]
            self.sig(sel, "ad_id", rng.choice(dev, len(sel)), self.unif(self.act_s[sel], self.act_e[sel]))
            ips = self.vals("ip", int(rng.integers(*dc_ips)), IP_DC)
            n1 = rng.integers(1, 3, k)
            a = np.repeat(idx, n1)
            self.sig(a, "ip", rng.choice(ips, len(a)), np.repeat(seen, n1))
            sel = idx[rng.random(k) < phones[0]]
            self.sig(sel, "msisdn", rng.choice(self.sms_pool, len(sel)), self.created[sel])
            return dev, ips
        if diff == "medium":
            dev = self.vals("ad_id", k, D_PHONE)
            self.sig(idx, "ad_id", dev, seen)
            refl = self.vals("ad_id", max(1, k // 6), D_PHONE)
            sel = idx[rng.random(k) < .25]
            self.sig(sel, "ad_id", rng.choice(refl, len(sel)), self.unif(self.act_s[sel], self.act_e[sel]))
            ips = self.vals("ip", int(rng.integers(*proxy)), IP_MPROXY)
            n1 = rng.integers(2, 5, k)
            a = np.repeat(idx, n1)
            self.sig(a, "ip", rng.choice(ips, len(a)), self.unif(self.act_s[a], self.act_e[a]))
            sel = idx[rng.random(k) < phones[1]]
            self.sig(sel, "msisdn", rng.choice(self.sms_pool, len(sel)), self.created[sel])
            return dev, ips
        n1 = rng.integers(2, 6, k)
        a = np.repeat(idx, n1)
        dev = self.vals("ad_id", len(a), D_EMU)
        first = np.r_[True, a[1:] != a[:-1]]
        self.sig(a, "ad_id", dev, np.where(first, np.repeat(seen, n1), self.unif(self.act_s[a], self.act_e[a])))
        ips = self.resi(int(rng.integers(*resi)), cc)
        n2 = rng.integers(2, 7, k)
        a = np.repeat(idx, n2)
        self.sig(a, "ip", rng.choice(ips, len(a)), self.unif(self.act_s[a], self.act_e[a]))
        sel = idx[rng.random(k) < .25]
        self.carrier_ips(sel, np.ones(len(sel), np.int64))
        sel = idx[rng.random(k) < phones[2]]
        self.sig(sel, "msisdn", self.vals("msisdn", len(sel), M_OWN), self.created[sel])
        return dev, ips

    def installs(self, a, t, c, pub, diff, opens_mean, ctit=None):
        rng = self.rng
        m = len(a)
        if ctit is None:
            if diff == "blunt":
                ctit = rng.integers(18, 31, m)
            elif diff == "medium":
                ctit = np.clip(self.lognorm(90, .5, m), 20, HOUR)
            else:
                ctit = np.clip(self.lognorm(480, 1.2, m), 20, 2 * DAY)
        tgt = self.T_AAPP + self.c_app[c]
        self.emit(a, A["ad.click"], self.T_CAMP + c, np.maximum(t - ctit, self.created[a]), camp=c, pub=pub)
        self.emit(a, A["app.install"], tgt, t, camp=c, pub=pub)
        if diff == "blunt":
            sel = rng.random(m) < opens_mean
            self.emit(a[sel], A["app.open"], tgt[sel], t[sel] + rng.integers(20, 120, int(sel.sum())))
        else:
            self.opens(a, t, tgt, self.act_e[a] + 3 * DAY, opens_mean)

    def pub_account(self, g, role, cc, created, end, atype="publisher"):
        p = self.alloc(1, role, group=g, atype=atype, bad=True)
        self.setup_bad(p, cc, np.array([created]), end)
        self.act_e[p] = W1
        return p

    def pub_activity(self, p, camps, start, end, payout=True):
        rng = self.rng
        c = np.asarray(camps)
        t = np.maximum(start - rng.integers(DAY, 5 * DAY, len(c)), self.act_s[p[0]])
        self.emit(np.repeat(p, len(c)), A["pub.campaign_join"], self.T_CAMP + c, t, camp=c)
        tp = np.arange(start + 7 * DAY, min(W1, end + 30 * DAY), int(rng.uniform(7, 15) * DAY))
        self.emit(np.repeat(p, len(tp)), A["payout.request"], self.T_SYS + 5 + int(rng.integers(0, 3)), tp,
                  amt=np.round(rng.lognormal(6.5, .8, len(tp)), 2))
        if payout:
            self.sig(p, "payout_dest", self.vals("payout_dest", 1, P_BANK)[0], self.created[p] + DAY)

    def g_device_farm(self, diff, size):
        rng = self.rng
        g = self.new_group("device_farm", diff, True)
        start, end = self.life(25, 80)
        opcc = int(rng.choice(FARM_CC))
        pub = self.pub_account(g, "farm_publisher", opcc, start - int(rng.integers(20, 150)) * DAY, end)
        app = self.fraud_app(pub[0])
        self.home_app[pub] = app
        self.sig(pub, "ad_id", self.vals("ad_id", 1, D_PHONE)[0], self.created[pub])
        self.sig(pub, "ip", self.vals("ip", 1, IP_RESI)[0], self.created[pub])
        nw = size - 1
        w = self.alloc(nw, "farm_device", group=g, bad=True)
        if diff == "careful":
            cc = rng.choice(TIER1, nw).astype(np.int16)
        else:
            cc = np.where(rng.random(nw) < .6, CI["US"], opcc).astype(np.int16)
        cr = self.times_for(diff, nw, start, end, C_OFF[opcc])
        self.setup_bad(w, cc, cr, end + (int(rng.integers(0, 10)) * DAY if diff == "careful" else 0),
                       platform_ios=.15 if diff == "careful" else 0)
        dev, ips = self.bad_ids(diff, w, start, TIER1 if diff == "careful" else None)
        if diff == "blunt":
            self.sig(pub, "ad_id", dev[0], self.created[pub] + DAY)
            self.sig(pub, "ip", ips[0], self.created[pub] + DAY)
        J = int(rng.integers(*{"blunt": (12, 31), "medium": (10, 26), "careful": (8, 21)}[diff]))
        camps = self.camps_in(start, end, J)
        J = len(camps)
        Tj = self.unif(np.maximum(start, self.c_s[camps]), np.minimum(end, self.c_e[camps]))
        p = {"blunt": .97, "medium": rng.uniform(.7, .9), "careful": rng.uniform(.25, .55)}[diff]
        M = rng.random((J, nw)) < p
        jj, ww = np.nonzero(M)
        if diff == "blunt":
            off = ww * rng.uniform(4, 15) + rng.integers(0, 3, len(ww))
        elif diff == "medium":
            off = rng.integers(0, int(rng.uniform(10, 40) * MINUTE), len(ww))
        else:
            off = np.clip(self.lognorm(3 * HOUR, .9, len(ww)), 0, 2 * DAY)
        a = w[ww]
        t = Tj[jj] + off.astype(np.int64)
        if diff == "careful":
            t = self.diurnal(t, self.off[a], self.act_s[a], self.act_e[a])
        ok = (t >= self.act_s[a] + 60) & (t <= self.act_e[a])
        self.installs(a[ok], t[ok], camps[jj[ok]], pub[0], diff,
                      {"blunt": .9, "medium": 1.2, "careful": 2.5}[diff])
        self.pub_activity(pub, camps, start, end)
        self.home_app[w] = np.where(rng.random(nw) < .5, app, self.home_app[w])
        if diff == "careful":
            self.organic(w, PI["casual"], .6)
        elif diff == "medium":
            self.organic(w, PI["casual"], .12)
        share = {"blunt": 1.0, "medium": .8, "careful": .35}[diff]
        sel = w[rng.random(nw) < share]
        self.link(sel, pub[0], "attributed_to", 1.0 + rng.poisson(2, len(sel)))

    def g_click_spam(self, diff, size):
        rng = self.rng
        g = self.new_group("click_spam", diff, True)
        start, end = self.life(10, 40)
        opcc = int(rng.choice(FARM_CC))
        pub = self.pub_account(g, "spam_publisher", opcc, start - int(rng.integers(10, 200)) * DAY, end)
        self.fraud_app(pub[0])
        self.sig(pub, "ad_id", self.vals("ad_id", 1, D_PHONE)[0], self.created[pub])
        self.sig(pub, "ip", self.vals("ip", 1, IP_OFFICE)[0], self.created[pub])
        self.spam_pubs.append((int(pub[0]), start, end))
        nb = size - 1
        b = self.alloc(nb, "click_bot", group=g, bad=True)
        cc = rng.choice(TIER1, nb).astype(np.int16) if diff == "careful" else np.full(nb, opcc, np.int16)
        self.setup_bad(b, cc, self.times_for(diff, nb, start, end, C_OFF[opcc]), end)
        self.bad_ids(diff, b, start, TIER1 if diff == "careful" else None, proxy=(5, 16), resi=(20, 61),
                     phones=(0.0, 0.1, 0.2))
        L = self.camps_in(W0, W1, int(rng.integers(80, 301)), by_cpi=False)
        cpd = {"blunt": rng.uniform(40, 90), "medium": rng.uniform(30, 70), "careful": rng.uniform(15, 40)}[diff]
        if diff == "blunt":
            rpd = int(rng.integers(4, 9))
            nr = int((end - start) / DAY * rpd)
            rt = self.unif(np.full(nr, start), end)
            bsz = max(3, int(cpd / rpd))
            r = np.repeat(np.arange(nr), bsz * nb)
            bi = np.tile(np.repeat(np.arange(bsz), nb), nr)
            bo = np.tile(np.arange(nb), nr * bsz)
            cset = rng.choice(L, (nr, bsz))
            a = b[bo]
            t = rt[r] + bi * 2 + (bo * rng.uniform(.2, .8)).astype(np.int64)
            c = cset[r, bi]
        else:
            days = np.maximum(self.act_e[b] - self.act_s[b], 0) / DAY
            k = rng.poisson(cpd * days)
            a = np.repeat(b, k)
            t = self.unif(self.act_s[a], self.act_e[a])
            if diff == "careful":
                t = self.diurnal(t, self.off[a], self.act_s[a], self.act_e[a])
                sub = rng.random((nb, len(L))) < .4
                sub[:, 0] = True
                pick = rng.random(len(a))
                cnt = sub.sum(1)
                bpos = np.searchsorted(b, a)
                order = np.argsort(~sub, axis=1, kind="stable")
                j = (pick * cnt[bpos]).astype(np.int64)
                c = L[order[bpos, j]]
            else:
                c = rng.choice(L, len(a))
        ok = (t >= self.act_s[a]) & (t <= self.act_e[a])
        self.emit(a[ok], A["ad.click"], self.T_CAMP + c[ok], t[ok], camp=c[ok], pub=pub[0])
        # click injection: a click seconds before the install
        days = np.maximum(self.act_e[b] - self.act_s[b], 0) / DAY
        k = rng.poisson(rng.uniform(.3, .8) * days)
        a = np.repeat(b, k)
        c = rng.choice(L, len(a))
        t = self.unif(self.act_s[a], self.act_e[a])
        ctit = {"blunt": rng.integers(1, 4, len(a)), "medium": rng.integers(2, 11, len(a)),
                "careful": np.clip(self.lognorm(20, .5, len(a)), 3, 120)}[diff]
        self.installs(a, t, c, pub[0], diff, .4 if diff == "blunt" else .6, ctit=ctit)
        self.pub_activity(pub, L[:20], start, end)
        if diff == "careful":
            self.organic(b, PI["casual"], .5)

    def g_offerwall_ring(self, diff, size):
        rng = self.rng
        g = self.new_group("offerwall_ring", diff, True)
        start, end = self.life(30, 90)
        cc = int(rng.choice([CI["IN"], CI["PH"], CI["NG"], CI["ID"], CI["BR"], CI["VN"], CI["US"]]))
        idx = self.alloc(size, "paid_installer", group=g, bad=True)
        self.role[idx[0]] = self.role_of("ring_coordinator")
        npers = max(2, int(math.ceil(size / rng.uniform(1.3, 2.2))))
        person = np.sort(np.r_[np.arange(npers), rng.integers(0, npers, size - npers)])[:size] \
            if size >= npers else np.arange(size)
        npers = int(person.max()) + 1
        if diff == "blunt":
            cr = start - rng.integers(0, 2 * DAY, size)
        elif diff == "medium":
            cr = start - rng.integers(0, 14 * DAY, size)
        else:
            cr = self.diurnal(start - rng.integers(0, 90 * DAY, size), C_OFF[cc], HIST0, W1)
        cr[0] = min(cr.min(), cr[0]) - HOUR
        self.setup_bad(idx, np.full(size, cc, np.int16), cr, end + int(rng.integers(5, 40)) * DAY, .2)
        # one phone, one home per person; blunt install parties on one venue IP
        pdev = self.vals("ad_id", npers, D_PHONE)
        self.sig(idx, "ad_id", pdev[person], self.created[idx])
        pph = self.vals("msisdn", npers, M_OWN)
        firstacc = np.r_[True, person[1:] != person[:-1]]
        sel = firstacc | (rng.random(size) < .4)
        self.sig(idx[sel], "msisdn", pph[person[sel]], self.created[idx[sel]])
        if diff == "medium":
            home = self.vals("ip", max(1, npers // 2), IP_RESI)[rng.integers(0, max(1, npers // 2), npers)]
        else:
            home = self.vals("ip", npers, IP_RESI)
        self.sig(idx, "ip", home[person], self.created[idx])
        sel = idx[rng.random(size) < .7]
        self.carrier_ips(sel, np.ones(len(sel), np.int64))
        venue = self.vals("ip", 1, IP_CAFE)[0]
        if diff == "blunt":
            self.sig(idx, "ip", venue, self.unif(self.act_s[idx], self.act_e[idx]))
        # payout
        coord = self.vals("payout_dest", 1, P_WALLET)[0]
        if diff == "blunt":
            pv = np.full(size, coord)
        elif diff == "medium":
            w = np.r_[coord, self.vals("payout_dest", int(rng.integers(1, 3)), P_WALLET)]
            pv = w[person % len(w)]
        else:
            own = self.vals("payout_dest", npers, P_PAYPAL)
            pv = np.where(rng.random(size) < .2, coord, own[person])
        pv[0] = coord
        self.has_payout[idx] = 1.0
        self.sig(idx, "payout_dest", pv, self.created[idx] + rng.integers(HOUR, 3 * DAY, size))
        # referrals
        if diff == "blunt":
            self.link(idx[1:], idx[0], "referred_by")
        elif diff == "medium":
            sel = idx[1:][rng.random(size - 1) < .6]
            self.link(sel, idx[0], "referred_by")
        else:
            sel = np.nonzero(rng.random(size - 1) < .3)[0] + 1
            self.link(idx[sel], idx[sel - 1], "referred_by")
        # drops
        D = int(rng.integers(6, 17))
        inst = np.nonzero(self.o_type == 0)[0]
        Td = np.sort(self.unif(np.full(D, start), end))
        for d in range(D):   # loop over drops (a handful per group)
            live = inst[(self.o_s[inst] <= Td[d]) & (self.o_e[inst] >= Td[d] + DAY)]
            if len(live) == 0:
                continue
            w = self.o_pts[live] + .05
            offs = rng.choice(live, min(len(live), int(rng.integers(3, 8))), replace=False, p=w / w.sum())
            p = {"blunt": .95, "medium": .85, "careful": .65}[diff]
            M = rng.random((len(offs), size)) < p
            jj, ww = np.nonzero(M)
            a = idx[ww]
            spread = {"blunt": 2 * HOUR, "medium": 12 * HOUR, "careful": 3 * DAY}[diff]
            base = Td[d] + rng.integers(0, spread, size)
            t = base[ww] + jj * rng.integers(2 * MINUTE, 8 * MINUTE, len(jj))
            if diff != "blunt":
                t = self.diurnal(t, self.off[a], Td[d], Td[d] + spread + DAY)
            ok = (t >= self.act_s[a]) & (t <= W1 - HOUR)
            a, t, o = a[ok], t[ok], offs[jj[ok]]
            c = self.o_camp[o]
            tgt = self.T_AAPP + self.c_app[c]
            self.emit(a, A["app.install"], tgt, t, camp=c)
            tcomp = t + rng.integers(60, 10 * MINUTE, len(a))
            self.emit(a, A["offerwall.complete"], self.T_OFR + o, tcomp, amt=self.o_pts[o])
            if diff == "blunt":
                sel = rng.random(len(a)) < .4
                self.emit(a[sel], A["app.open"], tgt[sel], t[sel] + rng.integers(30, 300, int(sel.sum())))
            else:
                self.opens(a, t, tgt, t + 2 * DAY, 1.0 if diff == "medium" else 2.0)
            # redemption after the drop
            ua = np.unique(a)
            rt = (Td[d] + spread + rng.integers(0, HOUR, len(ua))) if diff == "blunt" else \
                self.diurnal(Td[d] + spread + rng.integers(DAY, 3 * DAY, len(ua)), self.off[ua], W0, W1)
            ok = rt <= W1
            r = rng.choice([5, 6, 11], int(ok.sum()))
            self.emit(ua[ok], A["reward.redeem"], self.T_RWD + r, rt[ok], amt=self.rwd_val[r])
        self.organic(idx, PI["casual"], .4 if diff != "blunt" else .15)

    def g_affiliate_fraud(self, diff, size):
        rng = self.rng
        g = self.new_group("affiliate_fraud", diff, True)
        start, end = self.life(30, 90)
        opcc = int(rng.choice(FARM_CC))
        pub = self.pub_account(g, "fraud_publisher", opcc, W0 - int(rng.integers(180, 540)) * DAY, end)
        self.fraud_app(pub[0])
        ns = int(min(rng.integers(2, 9), size // 5))
        subs = self.alloc(ns, "sub_affiliate", group=g, atype="sub_affiliate", bad=True)
        self.setup_bad(subs, np.full(ns, opcc, np.int16), start - rng.integers(5, 60, ns) * DAY, W1)
        self.link(subs, pub[0], "sub_affiliate_of")
        nf = size - 1 - ns
        f = self.alloc(nf, "fake_user", group=g, bad=True)
        cc = rng.choice(TIER1, nf).astype(np.int16) if diff == "careful" else \
            np.where(rng.random(nf) < .5, CI["US"], opcc).astype(np.int16)
        if diff == "blunt":
            nbur = int(rng.integers(2, 6))
            bt = self.unif(np.full(nbur, start), end)
            cr = bt[rng.integers(0, nbur, nf)] + rng.integers(0, HOUR, nf)
        elif diff == "medium":
            cr = start + rng.integers(0, max(1, (end - start) // DAY), nf) * DAY + rng.integers(0, 4 * HOUR, nf)
        else:
            cr = self.diurnal(self.unif(np.full(nf, start), end), C_OFF[cc], start, end)
        self.setup_bad(f, cc, cr, end + 20 * DAY, .3 if diff == "careful" else 0.0)
        sub_of = subs[rng.choice(ns, nf, p=zipf_p(ns, 1.0))]
        self.link(f, sub_of, "attributed_to")
        # operator infrastructure
        ops = np.r_[pub, subs]
        if diff == "blunt":
            dv = self.vals("ad_id", 1, D_PHONE)[0]
            ip = self.vals("ip", 1, IP_RESI)[0]
            self.sig(ops, "ad_id", dv, self.created[ops])
            self.sig(ops, "ip", ip, self.created[ops])
            self.sig(ops, "payout_dest", self.vals("payout_dest", 1, P_BANK)[0], self.created[ops] + DAY)
        elif diff == "medium":
            self.sig(ops, "ad_id", self.vals("ad_id", len(ops), D_PHONE), self.created[ops])
            ip = self.vals("ip", 1, IP_RESI)[0]
            self.sig(ops, "ip", ip, self.created[ops])
            pv = self.vals("payout_dest", 2, P_BANK)
            self.sig(ops, "payout_dest", pv[np.arange(len(ops)) % 2], self.created[ops] + DAY)
            ph = self.vals("msisdn", 1, M_OWN)[0]
            sel = ops[rng.random(len(ops)) < .5]
            self.sig(sel, "msisdn", ph, self.created[sel])
        else:
            self.sig(ops, "ad_id", self.vals("ad_id", len(ops), D_PHONE), self.created[ops])
            self.sig(ops, "ip", self.vals("ip", len(ops), IP_RESI), self.created[ops])
            office = self.vals("ip", 1, IP_OFFICE)[0]
            sel = ops[rng.random(len(ops)) < .6]
            self.sig(np.r_[pub, sel], "ip", office, self.unif(self.act_s[np.r_[pub, sel]], W1))
            self.sig(ops, "payout_dest", self.vals("payout_dest", len(ops), P_BANK), self.created[ops] + DAY)
        self.sig(ops, "msisdn", self.vals("msisdn", len(ops), M_OWN), self.created[ops])
        # fakes
        if diff == "blunt":
            dev = self.vals("ad_id", int(rng.integers(3, 9)), D_EMU)
            self.sig(f, "ad_id", dev[np.arange(nf) % len(dev)], self.created[f])
            ips = self.vals("ip", int(rng.integers(1, 3)), IP_DC)
            self.sig(f, "ip", rng.choice(ips, nf), self.created[f])
            sel = f[rng.random(nf) < .6]
            self.sig(sel, "msisdn", rng.choice(self.sms_pool, len(sel)), self.created[sel])
        else:
            self.bad_ids(diff, f, start, TIER1 if diff == "careful" else None, proxy=(6, 21), resi=(20, 81),
                         phones=(0, .3, .2))
        camps = self.camps_in(start, end, int(rng.integers(5, 16)))
        m = rng.integers(1, 5, nf)
        a = np.repeat(f, m)
        c = rng.choice(camps, len(a))
        lag = {"blunt": rng.integers(2 * MINUTE, 10 * MINUTE, len(a)),
               "medium": rng.integers(10 * MINUTE, 6 * HOUR, len(a)),
               "careful": self.lognorm(DAY, 1.2, len(a))}[diff]
        t = self.created[a] + lag
        t = np.clip(t, np.maximum(self.c_s[c], self.act_s[a]), np.minimum(self.c_e[c], W1))
        ok = t >= self.act_s[a]
        ctit = rng.integers(8, 16, int(ok.sum())) if diff == "blunt" else None
        self.installs(a[ok], t[ok], c[ok], np.repeat(sub_of, m)[ok], diff,
                      {"blunt": 0.0, "medium": .6, "careful": 2.0}[diff], ctit=ctit)
        self.pub_activity(pub, camps, start, end, payout=False)
        sa = np.repeat(subs, len(camps))
        self.emit(sa, A["pub.campaign_join"], self.T_CAMP + np.tile(camps, ns),
                  np.maximum(start - rng.integers(HOUR, 3 * DAY, len(sa)), self.act_s[sa]), camp=np.tile(camps, ns))
        if diff == "careful":
            self.organic(f, PI["casual"], .3)

    def g_cashout_ring(self, diff, size):
        rng = self.rng
        g = self.new_group("cashout_ring", diff, True)
        start, end = self.life(20, 80)
        cc = int(rng.choice(np.r_[FARM_CC, CI["US"]]))
        idx = self.alloc(size, "cashout_account", group=g, bad=True)
        self.role[idx[0]] = self.role_of("cashier")
        cr = {"blunt": start - rng.integers(0, DAY, size),
              "medium": start - rng.integers(0, 14 * DAY, size),
              "careful": self.times_for("careful", size, start, end, C_OFF[cc])}[diff]
        self.setup_bad(idx, np.full(size, cc, np.int16), cr, end)
        self.has_payout[idx] = 1.0
        if diff == "blunt":
            self.bad_ids("blunt", idx, start, None, share_dev=(2, 5), dc_ips=(1, 2), phones=(.3, 0, 0))
        elif diff == "medium":
            self.bad_ids("medium", idx, start, None, proxy=(3, 8), phones=(0, .2, 0))
            home = self.vals("ip", 1, IP_RESI)[0]
            sel = idx[rng.random(size) < .5]
            self.sig(np.r_[idx[0], sel], "ip", home, self.created[np.r_[idx[0], sel]])
        else:
            self.bad_ids("careful", idx, start, None, resi=(15, 50))
        # payout destinations
        if diff == "blunt":
            pv = self.vals("payout_dest", int(rng.integers(1, 3)), P_WALLET)
            pa, pd = idx, pv[rng.integers(0, len(pv), size)]
        elif diff == "medium":
            pv = self.vals("payout_dest", int(rng.integers(3, 6)), P_WALLET)
            n1 = rng.integers(1, 3, size)
            pa = np.repeat(idx, n1)
            pd = rng.choice(pv, len(pa))
        else:
            kd = max(2, size // 2)
            pv = self.vals("payout_dest", kd, P_GIFT)
            i = np.arange(size)
            pa = np.r_[idx, idx]
            pd = np.r_[pv[(i // 2) % kd], pv[(i // 2 + 1) % kd]]
            gsel = idx[rng.random(size) < .33]
            pa = np.r_[pa, gsel]
            pd = np.r_[pd, rng.choice(self.generic_gc, len(gsel), p=self.generic_p)]
        self.sig(pa, "payout_dest", pd, self.unif(self.act_s[pa], self.act_e[pa]))
        self.emit(pa, A["payout.method_update"], self.T_SYS + 2 + rng.integers(0, 3, len(pa)),
                  self.unif(self.act_s[pa], np.minimum(self.act_s[pa] + 3 * DAY, self.act_e[pa])))
        # grinding cheap offers and surveys
        cheap = np.nonzero((self.o_type != 0) & (self.o_s <= start) & (self.o_e >= end))[0]
        if len(cheap) < 5:
            cheap = self.o_ever
        fav = rng.choice(cheap, min(len(cheap), int(rng.integers(10, 31))), replace=False)
        per = {"blunt": rng.uniform(3, 6), "medium": rng.uniform(2, 4), "careful": rng.uniform(1, 2.5)}[diff]
        days = np.maximum(self.act_e[idx] - self.act_s[idx], 0) / DAY
        k = rng.poisson(per * days)
        a = np.repeat(idx, k)
        t = self.unif(self.act_s[a], self.act_e[a])
        if diff != "blunt":
            t = self.diurnal(t, self.off[a], self.act_s[a], self.act_e[a])
        o = rng.choice(fav, len(a))
        self.offers(a, self.act_s[a], self.act_e[a], o=o, t=t)
        k = rng.poisson(per * .5 * days)
        a = np.repeat(idx, k)
        sv, t = self.pick_window("survey", self.act_s[a], self.act_e[a])
        self.emit(a, A["survey.submit"], self.T_SRV + sv, t, ans=sv * 1024 + rng.choice(400, len(a), p=self.ans_p))
        # redemption rounds
        gap = rng.uniform(5, 10) * DAY
        rounds = np.arange(start + gap, end, gap).astype(np.int64)
        if len(rounds) == 0:
            rounds = np.array([end])
        R = len(rounds)
        a = np.tile(idx, R)
        rr = np.repeat(rounds, size)
        jit = {"blunt": rng.integers(0, HOUR, len(a)), "medium": rng.integers(0, DAY, len(a)),
               "careful": rng.integers(-4 * DAY, 4 * DAY, len(a))}[diff]
        t = rr + jit
        ok = (t >= self.act_s[a]) & (t <= W1)
        r = rng.choice([0, 1, 3, 5, 6, 10], int(ok.sum()))
        self.emit(a[ok], A["reward.redeem"], self.T_RWD + r, t[ok], amt=self.rwd_val[r])
        if diff == "careful":
            self.organic(idx, PI["rewards_user"], .3)

    def g_takeover_wave(self, diff, size):
        rng = self.rng
        g = self.new_group("takeover_wave", diff, True)
        idx = self.alloc(size, "taken_over", group=g, bad=True)
        cc = self.pick_country(size)
        cr = W0 - rng.integers(365, 3 * 365, size) * DAY + rng.integers(0, DAY, size)
        cr = np.maximum(cr, HIST0)
        self.setup_bad(idx, cc, cr, W1)
        self.persona[idx] = PI["dormant"]
        # the owners' old identifiers
        self.sig(idx, "ad_id", self.vals("ad_id", size, D_PHONE), self.created[idx])
        self.sig(idx, "ip", self.vals("ip", size, IP_RESI), self.created[idx] + DAY)
        sel = idx[rng.random(size) < .6]
        self.sig(sel, "msisdn", self.vals("msisdn", len(sel), M_OWN), self.created[sel])
        sel = idx[rng.random(size) < .5]
        self.sig(sel, "payout_dest", self.vals("payout_dest", len(sel), P_PAYPAL), self.created[sel] + 30 * DAY)
        mob = idx[rng.random(size) < .5]
        self.carrier_ips(mob, np.ones(len(mob), np.int64))
        early = idx[rng.random(size) < .2]
        self.act_e[early] = W0 + 20 * DAY
        self.organic(early, PI["dormant"], 30.0)
        Tw = W0 + int(rng.uniform(25, SPAN / DAY - 10)) * DAY + int(rng.integers(0, DAY))
        atk = int(rng.choice(FARM_CC))
        spread = {"blunt": int(1.5 * HOUR), "medium": DAY, "careful": 5 * DAY}[diff]
        t = Tw + np.sort(rng.integers(0, spread, size))
        if diff == "careful":
            t = self.diurnal(t, C_OFF[atk], Tw, Tw + spread + DAY)
        self.act_s[idx] = np.minimum(self.act_s[idx], t)
        self.act_e[idx] = np.minimum(W1, t + int(rng.uniform(1, 10) * DAY))
        self.emit(idx, A["auth.login"], self.T_SYS, t)
        pr = rng.random(size) < (1.0 if diff == "blunt" else .6)
        self.emit(idx[pr], A["auth.password_reset"], self.T_SYS + 1, t[pr] + rng.integers(20, 300, int(pr.sum())))
        tm = t + rng.integers(3 * MINUTE, 30 * MINUTE, size)
        self.emit(idx, A["payout.method_update"], self.T_SYS + 2 + rng.integers(0, 3, size), tm)
        nr = rng.integers(1, 4, size)
        a = np.repeat(idx, nr)
        tr = np.repeat(tm, nr) + rng.integers(MINUTE, 6 * HOUR, len(a))
        ok = tr <= W1
        r = rng.choice([1, 2, 7, 8], int(ok.sum()))
        self.emit(a[ok], A["reward.redeem"], self.T_RWD + r, tr[ok], amt=self.rwd_val[r])
        if diff == "careful":   # repeat logins over days
            k = rng.integers(1, 5, size)
            a = np.repeat(idx, k)
            tl = self.diurnal(np.repeat(t, k) + rng.integers(HOUR, 6 * DAY, len(a)), C_OFF[atk], W0, W1)
            self.emit(a, A["auth.login"], self.T_SYS, tl)
        if diff != "blunt":
            k = rng.poisson(3, size)
            a = np.repeat(idx, k)
            to = np.repeat(t, k) + rng.integers(HOUR, 3 * DAY, len(a))
            ok = to <= W1
            o = rng.choice(self.o_ever, int(ok.sum()), p=self.o_ever_p)
            self.emit(a[ok], A["offerwall.complete"], self.T_OFR + o, to[ok], amt=self.o_pts[o])
        # the attackers' infrastructure, seen at the takeover
        if diff == "blunt":
            dev = self.vals("ad_id", int(rng.integers(1, 3)), D_EMU)
            self.sig(idx, "ad_id", rng.choice(dev, size), t)
            self.sig(idx, "ip", self.vals("ip", 1, IP_DC)[0], t)
            pv = self.vals("payout_dest", int(rng.integers(1, 3)), P_WALLET)
            self.sig(idx, "payout_dest", rng.choice(pv, size), tm)
        elif diff == "medium":
            self.sig(idx, "ad_id", self.vals("ad_id", size, D_EMU), t)
            ips = self.vals("ip", int(rng.integers(4, 11)), IP_MPROXY)
            n1 = rng.integers(1, 3, size)
            self.sig(np.repeat(idx, n1), "ip", rng.choice(ips, int(n1.sum())), np.repeat(t, n1))
            pv = self.vals("payout_dest", int(rng.integers(2, 5)), P_WALLET)
            self.sig(idx, "payout_dest", rng.choice(pv, size), tm)
        else:
            self.sig(idx, "ad_id", self.vals("ad_id", size, D_PHONE), t)
            ips = self.resi(int(rng.integers(20, 61)), cc)
            n1 = rng.integers(1, 3, size)
            self.sig(np.repeat(idx, n1), "ip", rng.choice(ips, int(n1.sum())), np.repeat(t, n1))
            pv = self.vals("payout_dest", max(2, size // int(rng.integers(3, 7))), P_PAYPAL)
            self.sig(idx, "payout_dest", rng.choice(pv, size), tm)
        self.has_payout[idx] = 1.0

    def g_survey_farm(self, diff, size):
        rng = self.rng
        g = self.new_group("survey_farm", diff, True)
        start, end = self.life(20, 90)
        cc = int(rng.choice(np.r_[FARM_CC, TIER1]))
        idx = self.alloc(size, "sockpuppet", group=g, bad=True)
        cr = {"blunt": start - rng.integers(0, 6 * HOUR, size),
              "medium": start - rng.integers(0, 5 * DAY, size),
              "careful": self.times_for("careful", size, start, end, C_OFF[cc])}[diff]
        self.setup_bad(idx, np.full(size, cc, np.int16), cr, end)
        self.has_payout[idx] = 1.0
        self.bad_ids(diff, idx, start, np.array([cc]) if diff == "careful" else None, share_dev=(1, 4),
                     dc_ips=(1, 2), proxy=(5, 13), resi=(15, 50), phones=(.2, .2, .3))
        live = np.nonzero((self.s_s <= end - DAY) & (self.s_e >= start + DAY))[0]
        S = min(len(live), int(rng.integers(6, 17)))
        svs = rng.choice(live, S, replace=False)
        Ts = self.unif(np.maximum(start, self.s_s[svs]), np.minimum(end, self.s_e[svs]))
        p = {"blunt": .95, "medium": .8, "careful": rng.uniform(.5, .7)}[diff]
        M = rng.random((S, size)) < p
        jj, ww = np.nonzero(M)
        a = idx[ww]
        if diff == "blunt":
            off = ww * rng.uniform(5, 20)
        elif diff == "medium":
            off = rng.integers(0, 20 * MINUTE, len(ww))
        else:
            off = rng.integers(0, 90 * MINUTE, len(ww))
        t = Ts[jj] + off.astype(np.int64)
        ok = (t >= self.act_s[a]) & (t <= W1)
        a, t, sv, ww = a[ok], t[ok], svs[jj[ok]], ww[ok]
        farm = 700 + (len(self.groups) * 7) % 300
        if diff == "blunt":
            pat = np.full(len(a), farm)
        elif diff == "medium":
            pat = farm + (rng.random(len(a)) < .4)
        else:
            pat = np.where(rng.random(len(a)) < .7, farm, rng.choice(400, len(a), p=self.ans_p))
        self.emit(a, A["survey.submit"], self.T_SRV + sv, t, ans=sv * 1024 + pat)
        # redemptions every ~10 days
        days = np.maximum(self.act_e[idx] - self.act_s[idx], 0) / DAY
        k = rng.poisson(days / 10 + .5)
        ra = np.repeat(idx, k)
        rt = self.unif(self.act_s[ra], self.act_e[ra])
        r = rng.choice([0, 5, 11], len(ra))
        self.emit(ra, A["reward.redeem"], self.T_RWD + r, rt, amt=self.rwd_val[r])
        if diff == "blunt":
            pv = np.full(size, self.vals("payout_dest", 1, P_WALLET)[0])
        elif diff == "medium":
            pv = rng.choice(self.vals("payout_dest", int(rng.integers(2, 4)), P_WALLET), size)
        else:
            pv = self.vals("payout_dest", size, P_PAYPAL)
        self.sig(idx, "payout_dest", pv, self.created[idx] + rng.integers(HOUR, 5 * DAY, size))
        if diff == "careful":
            self.organic(idx, PI["rewards_user"], .4)

    def bad(self):
        fn = {"device_farm": self.g_device_farm, "click_spam": self.g_click_spam,
              "offerwall_ring": self.g_offerwall_ring, "affiliate_fraud": self.g_affiliate_fraud,
              "cashout_ring": self.g_cashout_ring, "takeover_wave": self.g_takeover_wave,
              "survey_farm": self.g_survey_farm}
        for kind, diff, size in self.bad_plan:   # loop over groups
            st = self.cur_bad
            fn[kind](diff, size)
            assert self.cur_bad - st == size, (kind, self.cur_bad - st, size)
        assert self.cur_bad == self.n_bad_budget

    # ----------------------------------------------------------------- finishing
    def finish_identifiers(self):
        rng = self.rng
        n = self.n
        allacc = np.arange(n, dtype=np.int64)
        self.sig(allacc, "email_sha", self.vals("email_sha", n), self.created + rng.integers(0, 120, n))
        # the buggy SDK release: the all-zero ad id
        at = np.maximum(self.act_s, SDK_BUG[0])
        cand = allacc[(at <= np.minimum(self.act_e, SDK_BUG[1])) & (self.atype == AT["user"])]
        sel = rng.choice(cand, min(len(cand), int(.01 * n)), replace=False)
        self.sig(sel, "ad_id", 0, self.unif(np.maximum(self.act_s[sel], SDK_BUG[0]),
                                             np.minimum(self.act_e[sel], SDK_BUG[1])))
        self.tags[sel] |= T["zero_device"]

    def value_strings(self, kind, codes):
        """Opaque strings for value codes of one kind."""
        codes = np.asarray(codes, np.int64)
        cls = np.zeros(self.vcount[kind], np.int8)
        for st, k, c in self.vclass[kind]:
            cls[st:st + k] = c
        cl = cls[codes]
        salt = (self.seed * 1_000_003 + K[kind] * 7919) & 0xFFFFFFFF
        if kind == "ad_id":
            h1 = hex_chars(mix64(codes, salt))
            h2 = hex_chars(mix64(codes, salt ^ 0x5555))
            ch = np.full((len(codes), 36), b"-", dtype="S1")
            ch[:, 0:8] = h1[:, 0:8]
            ch[:, 9:13] = h1[:, 8:12]
            ch[:, 14] = b"4"
            ch[:, 15:18] = h1[:, 13:16]
            ch[:, 19] = _HEXC[8 + (codes % 4)]
            ch[:, 20:23] = h2[:, 0:3]
            ch[:, 24:36] = h2[:, 4:16]
            s = chars_to_str(ch)
            s[codes == 0] = "00000000-0000-0000-0000-000000000000"
            ios = (cl == D_PHONE) & (mix64(codes, salt ^ 0x77) % np.uint64(4) == 0)
            s = np.where(ios, np.char.upper(s), s)
            return s
        if kind == "ip":
            x = (codes * 2654435761) % (1 << 24)
            first = {IP_RESI: [24, 67, 71, 73, 82, 86, 93, 98, 177, 187, 189, 201],
                     IP_CARRIER: [100, 117, 172, 174, 182, 197],
                     IP_DC: [45, 104, 134, 138, 159, 167, 185, 193], IP_EDU: [128, 129, 130, 141],
                     IP_OFFICE: [62, 63, 64, 65, 66, 80, 81], IP_VPN: [89, 91, 146, 194],
                     IP_CAFE: [36, 39, 103, 110, 113, 115, 125], IP_MPROXY: [5, 31, 37, 46, 176, 178]}
            o1 = np.zeros(len(codes), np.int64)
            for c, lst in first.items():
                m = cl == c
                o1[m] = np.asarray(lst)[codes[m] % len(lst)]
            df = pl.DataFrame({"a": o1, "b": x >> 16, "c": (x >> 8) & 255, "d": x & 255})
            return df.select(pl.concat_str([pl.col(c).cast(pl.String) for c in "abcd"], separator="."))\
                .to_series().to_numpy()
        h = hex_chars(mix64(codes, salt))
        if kind == "msisdn":
            return np.char.add("m_", chars_to_str(h))
        if kind == "email_sha":
            h2 = hex_chars(mix64(codes, salt ^ 0x1234))
            return chars_to_str(np.concatenate([h, h2[:, :8]], axis=1))
        pre = np.array(["pp:", "wal:", "gc:", "bank:", "gc:"])[cl]
        return np.char.add(pre, chars_to_str(h[:, :14]))

    def build(self):
        self.plan()
        self.catalogue()
        self.honest()
        self.honest_identifiers()
        self.honest_activity()
        self.bad()
        self.finish_identifiers()
        # account ids: random digit strings with type prefixes
        nums = self.rng.choice(90_000_000, self.n, replace=False) + 10_000_000
        pref = np.array(["TL", "PB", "SA", "QA"])[self.atype]
        self.ids = pl.Series("account_id", np.char.add(pref, nums.astype("U8")))

    def frames(self, labels=True):
        rng = self.rng
        n = self.n
        ids = self.ids
        ts = pl.from_epoch(pl.Series(self.created), time_unit="s").dt.replace_time_zone("UTC")
        acc = pl.DataFrame({
            "account_id": ids,
            "created_at": ts.dt.to_string("%Y-%m-%dT%H:%M:%S%:z"),
            "account_type": pl.Series(ATYPES).gather(self.atype.astype(np.int64)),
            "country": pl.Series(CC).gather(self.country.astype(np.int64)),
            "platform": pl.Series(["android", "ios"]).gather(self.platform.astype(np.int64)),
        }).sort("account_id")
        # signals
        S = {c: np.concatenate(v) for c, v in self.S.items()}
        sdf = pl.DataFrame({"acc": S["acc"], "kind": S["kind"], "val": S["val"], "seen": S["seen"]})
        del S
        sdf = sdf.sort("seen").unique(subset=["acc", "kind", "val"], keep="first", maintain_order=True)
        parts = []
        for kname in KINDS:
            sub = sdf.filter(pl.col("kind") == K[kname])
            codes = np.unique(sub["val"].to_numpy())
            lut = pl.DataFrame({"val": codes, "value": self.value_strings(kname, codes)})
            parts.append(sub.join(lut, on="val", how="left").with_columns(pl.lit(kname).alias("kind_s")))
        sdf = pl.concat(parts)
        sig = pl.DataFrame({
            "account_id": ids.gather(sdf["acc"].cast(pl.Int64)),
            "kind": sdf["kind_s"],
            "value": sdf["value"],
            "seen_at": pl.from_epoch(sdf["seen"], time_unit="s").dt.replace_time_zone("UTC"),
        }).sort("seen_at")
        del sdf
        # links
        L = {c: np.concatenate(v) for c, v in self.L.items()}
        ldf = pl.DataFrame({"a": L["a"], "b": L["b"], "kind": L["kind"], "w": L["w"]})
        ldf = ldf.filter(pl.col("a") != pl.col("b")).unique(subset=["a", "b", "kind"], keep="first", maintain_order=True)
        links = pl.DataFrame({
            "account_a": ids.gather(ldf["a"].cast(pl.Int64)),
            "account_b": ids.gather(ldf["b"].cast(pl.Int64)),
            "kind": pl.Series(LINK_KINDS).gather(ldf["kind"].cast(pl.Int64)),
            "weight": ldf["w"].cast(pl.Float64),
        })
        # truth
        gk = np.array([g["kind"] for g in self.groups] + [None], dtype=object)
        gid = np.array([g["gid"] for g in self.groups] + [None], dtype=object)
        gdf = np.array([g["difficulty"] for g in self.groups] + [None], dtype=object)
        grp = np.where(self.group >= 0, self.group, len(self.groups))
        pers = np.array(PERSONAS + [None], dtype=object)[np.where(self.persona >= 0, self.persona, len(PERSONAS))]
        pers = np.where(self.is_bad, None, pers)
        kind = np.where(self.group >= 0, gk[grp], pers)
        tagstr = pl.Series([",".join(t for t in TAGS if v & T[t]) for v in np.unique(self.tags)])
        tv, tinv = np.unique(self.tags, return_inverse=True)
        truth = pl.DataFrame({
            "account_id": ids,
            "is_bad": self.is_bad,
            "group_id": pl.Series(gid[grp].tolist(), dtype=pl.String),
            "group_kind": pl.Series(kind.tolist(), dtype=pl.String),
            "role": pl.Series(self.roles).gather(self.role.astype(np.int64)),
            "difficulty": pl.Series(gdf[grp].tolist(), dtype=pl.String),
            "persona": pl.Series(pers.tolist(), dtype=pl.String),
            "account_type": pl.Series(ATYPES).gather(self.atype.astype(np.int64)),
            "benign_tags": tagstr.gather(pl.Series(tinv.astype(np.int64))),
        }).sort("account_id")
        out = {"accounts": acc, "signals": sig, "links": links, "truth": truth}
        if labels:
            out["labels"] = self.labels(ids)
        return out

    def write_events(self, path, chunk=250_000):
        """Sort the events by time and write them in row groups, building strings chunk by chunk."""
        import pyarrow.parquet as pq
        rng = self.rng
        ts = np.concatenate(self.E.pop("ts"))
        acc = np.concatenate(self.E.pop("acc"))
        act = np.concatenate(self.E.pop("act"))
        pubc = np.concatenate(self.E.pop("pub"))
        # stolen attribution: spam publishers claim some honest organic installs
        inst = (act == A["app.install"]) & (pubc < 0)
        for p, s, e in self.spam_pubs:
            m = inst & (ts >= s) & (ts <= e) & (rng.random(len(inst)) < .15)
            pubc[m] = p
            inst &= ~m
        del inst
        # keep every event inside the window and after the account's creation
        order = np.nonzero((ts >= np.maximum(self.created[acc], W0)) & (ts < W1))[0]
        order = order[np.argsort(ts[order], kind="stable")]
        E = {"ts": ts[order]}
        del ts
        for c, v in (("acc", acc), ("act", act), ("pub", pubc)):
            E[c] = v[order]
        del acc, act, pubc
        for c in list(self.E):
            E[c] = np.concatenate(self.E.pop(c))[order]
        del order
        ans_codes, ans_inv = np.unique(E["ans"], return_inverse=True)
        ans_str = pl.Series(np.where(ans_codes >= 0, np.char.add("a", chars_to_str(
            hex_chars(mix64(np.maximum(ans_codes, 0), self.seed + 99))[:, :12])), "")).replace("", None)
        E["ans"] = ans_inv.astype(np.int64)
        acts = pl.Series(ACTIONS)
        tg = pl.Series(self.targets)
        ids = self.ids
        m = len(E["ts"])
        self.ev_rows = m
        self.ev_actions = np.bincount(E["act"], minlength=len(ACTIONS))
        writer = None
        for st in range(0, m, chunk):
            sl = slice(st, st + chunk)
            camp = E["camp"][sl].astype(np.int64)
            pub = E["pub"][sl].astype(np.int64)
            df = pl.DataFrame({
                "account_id": ids.gather(E["acc"][sl].astype(np.int64)),
                "action": acts.gather(E["act"][sl].astype(np.int64)),
                "target_id": tg.gather(E["tgt"][sl].astype(np.int64)),
                "ts": pl.from_epoch(pl.Series(E["ts"][sl] * 1000), time_unit="ms").dt.replace_time_zone("UTC"),
                "campaign_id": tg.gather(pl.Series(np.where(camp >= 0, self.T_CAMP + camp, -1)).replace(-1, None)),
                "publisher_id": ids.gather(pl.Series(pub).replace(-1, None)),
                "amount": pl.Series(E["amt"][sl]).fill_nan(None).round(2),
                "answer_hash": ans_str.gather(E["ans"][sl]),
            })
            tbl = df.to_arrow()
            del df
            if writer is None:
                writer = pq.ParquetWriter(path, tbl.schema, compression="zstd")
            writer.write_table(tbl.cast(writer.schema))
            del tbl
        writer.close()

    def labels(self, ids):
        rng = self.rng
        n = self.n
        gd = np.array([g["difficulty"] or "" for g in self.groups] + [""])
        gkd = np.array([g["kind"] for g in self.groups] + [""])
        grp = np.where(self.group >= 0, self.group, len(self.groups))
        d = gd[grp]
        kd = gkd[grp]
        p_lab = np.where(self.is_bad, np.select([d == "blunt", d == "medium"], [.55, .35], .15),
                         .10 + .25 * (self.has_payout > 0))
        p_lab = np.where(self.atype == AT["publisher"], .7, p_lab)
        p_lab = np.where(self.atype == AT["qa_test"], .5, p_lab)
        p_lab = np.where(self.is_bad & (kd == "takeover_wave"), .45, p_lab)
        p_lab = np.where(~self.is_bad & (self.persona == PI["dormant"]), p_lab * .3, p_lab)
        lab = rng.random(n) < p_lab
        p_one = np.where(self.is_bad, np.select([d == "blunt", d == "medium"], [.95, .85], .7), .006)
        p_one = np.where(self.is_bad & (kd == "takeover_wave"), .9, p_one)
        hon = ~self.is_bad
        p_one = np.where(hon & (self.atype == AT["qa_test"]), .25, p_one)
        p_one = np.where(hon & (self.persona == PI["offerwall_power_user"]), .12, p_one)
        p_one = np.where(hon & (kd == "internet_cafe"), .05, p_one)
        p_one = np.where(hon & ((self.tags & T["viral_launch"]) > 0), .03, p_one)
        p_one = np.where(hon & ((self.tags & T["generic_giftcard"]) > 0), .05, p_one)
        val = (rng.random(n) < p_one).astype(np.int8)
        sel = np.nonzero(lab)[0]
        return pl.DataFrame({"account_id": ids.gather(pl.Series(sel)), "label": val[sel].astype(np.int64)}).sort("account_id")


def write(out, frames):
    frames["accounts"].write_csv(out / "accounts.csv")
    frames["signals"].write_parquet(out / "signals.parquet", compression="zstd")
    frames["links"].write_csv(out / "links.csv")
    if "labels" in frames:
        frames["labels"].write_csv(out / "labels.csv")
    frames["truth"].write_parquet(out / "truth.parquet")


def report(frames, gen, secs):
    acc, sig, truth = frames["accounts"], frames["signals"], frames["truth"]
    print(f"accounts {acc.height:,}  events {gen.ev_rows:,}  signals {sig.height:,}  "
          f"links {frames['links'].height:,}  generated in {secs:.1f}s")
    bad = truth.filter(pl.col("is_bad"))
    print(f"bad accounts {bad.height:,} ({bad.height / acc.height:.1%}) in "
          f"{bad['group_id'].n_unique()} groups")
    gs = bad.group_by("group_id", "group_kind", "difficulty").len()
    tab = gs.group_by("group_kind").agg(
        pl.len().alias("groups"), pl.col("len").sum().alias("accounts"),
        pl.col("len").min().alias("min"), pl.col("len").max().alias("max"),
        *[(pl.col("difficulty") == d).sum().alias(d) for d in DIFFS]).sort("group_kind")
    with pl.Config(tbl_rows=50, tbl_cols=20, tbl_hide_dataframe_shape=True):
        print(tab)
        hon = truth.filter(~pl.col("is_bad") & pl.col("group_id").is_not_null())\
            .group_by("group_kind").agg(pl.col("group_id").n_unique().alias("orgs"), pl.len().alias("accounts"))
        print("benign organisations:")
        print(hon.sort("group_kind"))
        tags = truth.select(pl.col("benign_tags").str.split(",")).explode("benign_tags")\
            .filter(pl.col("benign_tags") != "").group_by("benign_tags").len().sort("benign_tags")
        print("accounts touching benign look-alikes (tags):")
        print(tags)
        print("events by action:")
        print(pl.DataFrame({"action": ACTIONS, "events": gen.ev_actions}).sort("events", descending=True))
        per = sig.group_by("kind", "value").agg(pl.col("account_id").n_unique().alias("n"))
        q = per.group_by("kind").agg(
            pl.len().alias("values"),
            pl.col("n").quantile(.5).alias("p50"), pl.col("n").quantile(.9).alias("p90"),
            pl.col("n").quantile(.99).alias("p99"), pl.col("n").quantile(.999).alias("p99.9"),
            pl.col("n").max().alias("max"), (pl.col("n") >= 10).sum().alias("values>=10"),
            (pl.col("n") >= 100).sum().alias("values>=100")).sort("kind")
        print("accounts per identifier value:")
        print(q)
        if "labels" in frames:
            lab = frames["labels"].join(truth.select("account_id", "is_bad"), on="account_id")
            print(f"labels {lab.height:,} ({lab.height / acc.height:.1%} of accounts), "
                  f"{int(lab['label'].sum()):,} bad; wrong {int((lab['label'].cast(pl.Boolean) != lab['is_bad']).sum()):,}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args(argv)
    out = args.out
    if out.exists():
        if not out.is_dir():
            raise SystemExit(f"error: {out} exists and is not a folder")
        names = {p.name for p in out.iterdir()}
        if names and (MARKER not in names or not names <= OUTPUTS):
            raise SystemExit(f"error: {out} is not empty and not a previous output of this script; "
                             "refusing to write into it")
        if args.no_labels and "labels.csv" in names:
            raise SystemExit(f"error: {out} holds labels.csv from an earlier run; use a fresh folder "
                             "for --no-labels (nothing is deleted)")
    t0 = time.time()
    gen = Tapline(args.accounts, args.seed)
    gen.build()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by benchmarks/twentyfirst_marketplace.py\n")
    gen.write_events(out / "events.parquet")
    frames = gen.frames(labels=not args.no_labels)
    write(out, frames)
    secs = time.time() - t0
    if args.report:
        report(frames, gen, secs)
    else:
        print(f"wrote {out}: {frames['accounts'].height:,} accounts, {gen.ev_rows:,} events, "
              f"{frames['signals'].height:,} signals in {secs:.1f}s")


if __name__ == "__main__":
    main()

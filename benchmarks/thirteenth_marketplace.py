#!/usr/bin/env python
"""Thirteenth synthetic test bed: a P2P payments wallet / super-app with a merchant marketplace.

Designed from the domain and the syndicate data contract (shared/DESIGN.md) only: nothing in
here was derived from syndicate's source, tests or the other benchmark generators.

Usage
-----
    python benchmarks/thirteenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 \
        [--no-labels] [--report]

Deterministic for a given ``--accounts`` and ``--seed``. Single process, numpy + polars.
Needs at least 2,000 accounts.

The platform
------------
A GCash / Cash App / Venmo-like wallet in a UTC+8 country. Users top up from cards, bank
accounts or over-the-counter cash-in partners, send money to each other, request money, pay
merchants, pay bills, buy airtime and vouchers (gift cards, game credits), claim cashback and
referral promotions, rate merchants and cash out to bank accounts. Six months of activity:
2024-01-01 00:00 UTC to 2024-07-01 00:00 UTC (182 days). Activity per account is heavy tailed
(lognormal session rates, ~8% dormant, ~12% churn), follows a local daily cycle (quiet 01-06h,
peaks at lunch and 19-21h local), is a bit higher at weekends, and surges on paydays (the 15th
and the last day of each month: x2.4 volume, concentrated 09-13h local, plus x1.4 the day
after) - a benign burst where many honest users act within the same hours on the same hub
targets (popular merchants, billers, the month's cashback campaigns).

Files written to OUT_DIR
------------------------
``accounts.parquet``  one row per account
    account_id   str   9-digit numeric strings ("ids as strings"; random, not creation-ordered)
    created_at   datetime[us], naive (UTC). Organic accounts go back to 2018-06; ~18% are
                 created inside the window.
    account_type str   personal | merchant | business            (optional contract column)
    country      str   mostly "PH"; OFW countries; ~0.3% null      (optional contract column)
    kyc_level    int8  0 unverified, 1 basic, 2 full               (extra column)

``signals.csv``  one row per (account_id, kind, value); CSV, so ids are digit strings that a
reader must keep as strings (or normalise back)
    account_id   str
    kind         str   device | device_model | ip | phone | email | payment | bank_account |
                       address | referral_code
    value        str   16-hex opaque digest (salted per kind and per seed)
    seen_at      ISO-8601 with a "T" separator, no zone (UTC), e.g. 2024-03-15T09:12:44;
                 first time the pair was seen (may precede the window for old accounts);
                 ~0.7% empty (null)
  ``payment`` values are card fingerprints; ``bank_account`` are cash-out destinations;
  ``referral_code`` is the code an account signed up with (the referrer's code; the owner of a
  code does NOT carry its own code, so referees share the value, the referrer does not);
  ``device_model`` is a coarse handset model shared by thousands.
  Shared infrastructure in the honest population: ~n/250 carrier-NAT IPs with Zipf load (the
  biggest carry thousands of accounts), ~n/15 public Wi-Fi IPs (malls, cafes; some carry
  hundreds), merchant shop Wi-Fi IPs picked up by ~3% of customer payments, a datacenter VPN
  pool used by ~3% of honest users (the same pool carders draw from), recycled phone numbers
  (~1% of accounts), virtual numbers from the SMS-activation pool (~1% of honest users), partner
  cards shared by two people, and ~n/1000 influencers whose referral codes are used by many.

``events.parquet``  behaviour
    account_id  str
    action      str   login | p2p_send | request_money | merchant_pay | topup | cashout |
                      bill_pay | promo_claim | referral_redeem | voucher_buy | rate_merchant |
                      airtime_buy
    target_id   str   p2p_send / request_money / referral_redeem: an account_id;
                      merchant_pay / rate_merchant: the merchant's account_id;
                      topup: "tok_<hex>" card token (a different digest from the card
                      fingerprint signal), "bnk_<hex>" bank token or "cashin_partner_NN";
                      cashout: "bnk_<hex>" or "cashin_partner_NN"; bill_pay: "biller_NN";
                      promo_claim: campaign name (signup_bonus, referral_bonus,
                      cashback_202403_b, payday_treat_20240315 ...); voucher_buy: "sku_NNN";
                      airtime_buy: "telco_X"; login: "app_android" | "app_ios" | "app_web"
    ts          datetime[ms, UTC] (timezone-aware; the other tables are naive; random ms)
    amount      float64, null for login / rate_merchant / referral_redeem   (extra column)
    status      str ok | declined                                          (extra column)
    rating      int8 1-5 for rate_merchant, else null                       (extra column)
  ~0.1% of rows are exact duplicates (at-least-once delivery). Generated events that would fall
  before the acting or the receiving account existed are dropped (~1.4%), so no event predates
  either account.

``labels.csv`` (unless --no-labels)  account_id, label (1 bad / 0 good), source (extra).
``truth.parquet``  account_id, is_bad (bool), group_id (str, null for lone actors and
  unaffiliated accounts), group_kind (str), role (str). Every account exactly once.

Planted bad groups (counts scale with n; at 20k accounts about 24-34 groups)
-------------------------------------------------------------------------------
money_mule_ring (~6 per 20k)  1-3 collectors + 10-60 mules. 30-70% of mules are recruited real
    people with years of ordinary history; the rest register during the weeks around the ring's
    active period (20-100 days), ~60% of them with the recruiter's (first collector's) referral
    code. Mules use their own phones (ordinary, unshared identity); ~20% of them were set up
    once on a collector's device. Collectors share 1-2 devices, an IP and 2-4 bank accounts.
    Scam victims (honest, pre-existing accounts, role scam_victim) - 1-6 per mule, each sending
    1-3 transfers - pay the mule during daytime (09-20h local); each mule logs in and forwards 85-97% to its collector within
    2-35 minutes (25% split into two), sometimes cashing out its cut; collectors cash out or buy
    vouchers within hours.
promo_abuse_farm (~6)  30-150 accounts incl. 1-2 collectors (old accounts with ordinary
    identity). Farm accounts are registered in 2-6 bursts (minutes apart) on emulators: device
    ids reset often (1-3 ids each, ~20% reused by a neighbour in the burst, more at job times),
    2-3 popular handset models; residential proxies (a set of 1.5-3 IPs per farm account, so
    each IP is on a few accounts; 15% of them are real honest homes, 10% come from a proxy pool
    shared between farms), phones from the SMS-activation pool
    (numbers recycle, some also on honest users). Each claims signup_bonus, redeems a referral
    from a recent farm account (referral chains), and sweeps the bonus to a collector; 4-15
    campaign jobs each use 30-80% of the farm, spread over 1-6 hours with jitter: login, a
    small merchant_pay at a popular merchant, the month's cashback claim, a sweep later.
merchant_collusion (~5)  1-3 merchants (young merchant accounts) + 15-50 buyers (half recruited
    old accounts, half operator-made). Buyers share 1-3 cards and 2-5 devices, most pick up the
    shop IP; the merchant owner's phone is also on one buyer. Over 50-150 days, in 2-4 sessions
    a week, buyers make 20-120 small payments each just above the ring's cashback threshold,
    topping up from the shared cards and claiming cashback; all rate the merchants 5 stars;
    merchants cash out after sessions; ~5% visible refunds (the rest off-platform).
carding_ring (~6)  5-30 accounts created within days, active 1-4 weeks, on a pool of 2-6
    devices and datacenter IPs (drawn from the pool honest VPN users also use); a ring card pool
    of 3-8 cards per account (5% are fingerprints of honest users' cards), 5-40 cards per
    account, shared across the ring; tiny test top-ups (45% declined), then bigger top-ups each
    followed within minutes by voucher purchases, mostly at night; some p2p to a drop account.
account_takeover_wave (~6)  5-15 old honest accounts (role hijacked, is_bad true: they are
    operated by the attacker during the wave) taken over within one week: attacker device(s)
    and proxy IPs appear on the victims, half get a new phone and/or email, then they are
    drained within minutes to 2-4 fresh attacker mules (role attacker_mule) who cash out. The
    victims' normal activity stops for 2-30 days (30% never return). Before the wave they are
    ordinary accounts.
Lone bad actors (group_id null, is_bad true): lone_scammer (~30 per 20k; receives from 2-8
    victims, cashes out), lone_promo_abuser (~20 per 20k, 2-3 accounts each: an old main account
    plus 1-2 alts on the main's real phone (70%) or a spare handset, the main's home IP and
    SMS-pool numbers; the alts claim the signup bonus, redeem the main's referral code and send
    the bonus to the main), lone_carder (~15 per 20k: one account, 5-20 cards, datacenter IP).

Benign look-alikes (is_bad false, with a group_id)
--------------------------------------------------
household (n/40 groups, 2-6)  shared home IP, usually a shared address, often a shared tablet,
    a family card, sometimes a joint bank account or a parent's email on a child; transfers and
    requests between members; family-card top-ups.
bill_split_friends (n/83, 3-10)  8-30 outings at a few favourite food merchants: either one pays
    and the others send their share within hours (with requests), or everyone pays the same
    restaurant within minutes; sometimes pick up the restaurant's Wi-Fi IP; friends created in
    the window were often referred by a friend.
small_business (n/250)  a shop (merchant account), its owner and 1-7 staff sharing the shop's
    POS device, the shop IP and a business card; weekly supplier payments, wages on paydays.
payroll_employer (n/3300, 20-200 employees)  the employer (business account) pays every
    employee within the same minute or two on each of the 12 paydays; ~40% of employees were
    registered in one batch on an enrolment day; many act within hours of payday; office IP.
cash_agent (n/1000, 1-3 agents)  a market stall / cash-in agent sharing a device and IP,
    receiving from and sending to 100-400 regular customers in business hours.
community_donations (n/1700, 1-2 treasurers + 20-120 members)  Sunday-morning donations to the
    treasurer, fundraising drives with a batched request to most members; church Wi-Fi IP.
office_wifi (n/3300, 50-300 coworkers)  1-3 office IPs, lunch payments at 2-4 canteens between
    11:45 and 13:15 on workdays.
organic  everyone else (group_id null), including scam victims and influencers.

Labels (~10-15% of accounts)
----------------------------
Enforcement discovered ~55% of planted groups and labelled 40-90% of their members 1
(collectors / merchants more often); ~35% of lone actors labelled 1; ~6% of scam victims were
frozen and labelled 1 by mistake; some benign groups were investigated and cleared (members
labelled 0); the rest of the 0s are a sample of honest accounts biased to old, active ones;
~1.5% of all labels flipped (about 4-5% of labels disagree with truth in all). Undiscovered
groups carry no labels.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import polars as pl

# ----------------------------------------------------------------------------- constants
DAY = 86_400
HOUR = 3_600
MINUTE = 60
T0 = 1_704_067_200  # 2024-01-01 00:00 UTC (a Monday)
NDAYS = 182
T1 = T0 + NDAYS * DAY  # 2024-07-01 00:00 UTC
T_OLD = 1_527_811_200  # 2018-06-01
LOC = 8 * HOUR  # local time = UTC + 8h

ACTIONS = ("login", "p2p_send", "request_money", "merchant_pay", "topup", "cashout", "bill_pay",
           "promo_claim", "referral_redeem", "voucher_buy", "rate_merchant", "airtime_buy")
A = {a: i for i, a in enumerate(ACTIONS)}
KINDS = ("device", "device_model", "ip", "phone", "email", "payment", "bank_account", "address",
         "referral_code")
K = {k: i for i, k in enumerate(KINDS)}
# target namespaces
TK_ACCT, TK_CARD, TK_BANK, TK_PROMO, TK_SKU, TK_BILLER, TK_APP, TK_TELCO, TK_CASHIN = range(9)
APPS = ("app_android", "app_ios", "app_web")
TELCOS = ("telco_globe", "telco_smart", "telco_dito")
N_SKU, N_BILLER, N_CASHIN, N_MODEL = 60, 40, 6, 300

ATYPES = ("personal", "merchant", "business")
BAD_KINDS = ("money_mule_ring", "promo_abuse_farm", "merchant_collusion", "carding_ring",
             "account_takeover_wave")
LONE_KINDS = ("lone_scammer", "lone_promo_abuser", "lone_carder")


# ----------------------------------------------------------------------------- calendar
def _calendar():
    days = np.datetime64("2024-01-01") + np.arange(NDAYS + 1)
    months = days.astype("datetime64[M]")
    dom = (days - months.astype("datetime64[D]")).astype(int) + 1
    last = dom[1:] == 1  # next day is the 1st -> last day of month
    dom = dom[:NDAYS]
    payday = (dom == 15) | last
    after = (dom == 16) | (dom == 1)
    dow = np.arange(NDAYS) % 7  # 0 = Monday
    w = np.ones(NDAYS)
    w[dow >= 5] *= 1.15
    w[payday] *= 2.4
    w[after] *= 1.4
    month = (months[:NDAYS] - np.datetime64("2024-01", "M")).astype(int)
    payidx = np.full(NDAYS, -1)
    payidx[payday] = np.arange(payday.sum())
    paydates = [str(d).replace("-", "") for d in days[:NDAYS][payday]]
    return w, payday, month, payidx, dow, paydates


DAYW, PAYDAY, MONTH, PAYIDX, DOW, PAYDATES = _calendar()
CW = np.concatenate([[0.0], np.cumsum(DAYW)])
DX = np.arange(NDAYS + 1, dtype=float)
_HN = np.array([1.0, .6, .4, .3, .3, .5, 1.2, 2.5, 3.5, 4.0, 4.2, 4.6, 5.5, 5.0, 4.3, 4.2, 4.4,
                5.0, 5.8, 6.2, 6.0, 5.0, 3.6, 2.0])
_HP = _HN.copy()
_HP[9:14] *= 2.3
CHN = np.cumsum(_HN) / _HN.sum()
CHP = np.cumsum(_HP) / _HP.sum()
PAYDAY_IDX = np.flatnonzero(PAYDAY)
SUNDAYS = np.flatnonzero(DOW == 6)
WORKDAYS = np.flatnonzero(DOW < 5)

CAMPAIGNS = (["signup_bonus", "referral_bonus"]
             + [f"cashback_2024{m + 1:02d}_{v}" for m in range(6) for v in "abcd"]
             + [f"payday_treat_{d}" for d in PAYDATES])
C_SIGNUP, C_REFERRAL = 0, 1


# ----------------------------------------------------------------------------- helpers
def zipf_w(k, a):
    w = 1.0 / np.arange(1, k + 1) ** a
    return w / w.sum()


def _mix64(x):
    x = x.astype(np.uint64)
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_HEXC = np.frombuffer(b"0123456789abcdef", np.uint8)


def hex_digest(salt, ids, seed):
    """Opaque 16-hex digests of integer ids, salted per namespace and per seed."""
    ids = np.asarray(ids, dtype=np.int64).astype(np.uint64)
    salt = np.asarray(salt, dtype=np.int64).astype(np.uint64)
    z = _mix64(ids * np.uint64(0x100000001B3) ^ _mix64(salt + np.uint64(seed) * np.uint64(1_000_003)))
    b = z.astype(">u8").view(np.uint8).reshape(-1, 8)
    c = np.empty((len(z), 16), np.uint8)
    c[:, 0::2] = _HEXC[b >> 4]
    c[:, 1::2] = _HEXC[b & 15]
    return pl.Series(c.view("S16").ravel()).cast(pl.String)


class Ids:
    """Counters handing out fresh integer ids per identifier namespace."""

    def __init__(self):
        self.c = {}

    def new(self, ns, k=1):
        s = self.c.get(ns, 0)
        self.c[ns] = s + int(k)
        return np.arange(s, s + int(k), dtype=np.int64)


class Out:
    """Column chunks for signals and events (integer-coded until the end)."""

    def __init__(self):
        self.s = [[], [], [], []]  # acct, kind, ident, seen
        self.e = [[], [], [], [], [], [], [], []]  # acct, action, tk, tv, ts, amt, status, rating

    def sig(self, acct, kind, ident, seen):
        arrs = np.broadcast_arrays(np.asarray(acct, np.int64), np.asarray(kind, np.int64),
                                   np.asarray(ident, np.int64), np.asarray(seen, np.int64))
        for dst, a in zip(self.s, arrs):
            dst.append(np.ravel(a).copy())

    def ev(self, acct, action, tk, tv, ts, amt=np.nan, status=0, rating=0):
        arrs = np.broadcast_arrays(np.asarray(acct, np.int64), np.asarray(action, np.int64),
                                   np.asarray(tk, np.int64), np.asarray(tv, np.int64),
                                   np.asarray(ts, np.int64), np.asarray(amt, np.float64),
                                   np.asarray(status, np.int64), np.asarray(rating, np.int64))
        for dst, a in zip(self.e, arrs):
            dst.append(np.ravel(a).copy())


@dataclass
class Group:
    kind: str
    bad: bool
    members: np.ndarray
    roles: list
    gid: str | None = ""
    p: dict = field(default_factory=dict)
    role: np.ndarray | None = None  # np.array(roles), set by init_world


class Ctx:
    def __init__(self, n, seed):
        self.n, self.seed = n, seed
        self.rng = np.random.default_rng([seed, n, 13])
        self.ids = Ids()
        self.out = Out()

    # ---------------------------------------------------------------- time helpers
    def times(self, lo, hi, size=None):
        """Timestamps in [lo, hi) following day weights (paydays, weekends) and the local
        daily cycle; windows shorter than two days are uniform."""
        rng = self.rng
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        if size is not None:
            lo, hi = np.broadcast_to(lo, size), np.broadcast_to(hi, size)
        lo, hi = np.broadcast_arrays(lo, hi)
        lo = np.clip(lo, T0, T1 - 2)
        hi = np.clip(np.maximum(hi, lo + 2), T0 + 2, T1)
        m = lo.shape[0]
        xa = np.clip((lo + LOC - T0) / DAY, 0, NDAYS)
        xb = np.clip((hi + LOC - T0) / DAY, 0, NDAYS)
        a, b = np.interp(xa, DX, CW), np.interp(xb, DX, CW)
        x = np.interp(a + rng.random(m) * (b - a), CW, DX)
        d = np.clip(np.floor(x).astype(np.int64), 0, NDAYS - 1)
        u = rng.random(m)
        h = np.where(PAYDAY[d], np.searchsorted(CHP, u), np.searchsorted(CHN, u))
        t = T0 + d * DAY + h * HOUR + rng.integers(0, HOUR, m) - LOC
        # short windows, and the few draws that fall off an edge of the window (local hours
        # before midnight UTC on the first day), are drawn uniformly instead of clipped
        redo = ((hi - lo) < 2 * DAY) | (t < lo) | (t >= hi)
        if redo.any():
            t[redo] = lo[redo] + (rng.random(redo.sum()) * (hi[redo] - lo[redo])).astype(np.int64)
        return t

    def at_local(self, day, h_lo, h_hi, size=None):
        """Times on local day index `day` uniformly between local hours h_lo and h_hi."""
        rng = self.rng
        day = np.asarray(day, np.int64)
        if size is not None:
            day = np.broadcast_to(day, size)
        m = day.shape[0] if day.ndim else 1
        return (T0 + day * DAY - LOC + ((h_lo + rng.random(m) * (h_hi - h_lo)) * HOUR)).astype(np.int64)

    def old_time(self, k, lo=T_OLD, hi=T0 - 30 * DAY):
        return (lo + (hi - lo) * self.rng.beta(2.2, 1.0, k)).astype(np.int64)

    def amount(self, median, sigma, k):
        return np.round(median * np.exp(sigma * self.rng.standard_normal(k)), 2)

    def campaign_for(self, ts):
        ts = np.asarray(ts, np.int64)
        d = np.clip((ts + LOC - T0) // DAY, 0, NDAYS - 1)
        cid = 2 + 4 * MONTH[d] + self.rng.integers(0, 4, len(ts))
        pay = (PAYIDX[d] >= 0) & (self.rng.random(len(ts)) < 0.35)
        return np.where(pay, 26 + PAYIDX[d], cid)


# ============================================================================ plan
def plan(ctx: Ctx):
    rng, n = ctx.rng, ctx.n
    s = n / 20_000.0
    perm = rng.permutation(n)
    ptr = [0]

    def take(k):
        k = int(k)
        if ptr[0] + k > int(0.93 * n):
            return None
        out = perm[ptr[0]:ptr[0] + k]
        ptr[0] += k
        return out

    def count(base, lo=1):
        return max(lo, int(round(base * s + rng.normal(0, 0.7))))

    def cap(k):
        return int(min(k, max(12, n // 40)))

    groups: list[Group] = []

    def add(kind, bad, sizes_roles, **p):
        members = take(sum(k for k, _ in sizes_roles))
        if members is None:
            return None
        roles = [r for k, r in sizes_roles for _ in range(int(k))]
        g = Group(kind, bad, members, roles, p=p)
        groups.append(g)
        return g

    # ---- planted bad groups
    for _ in range(count(6)):
        add("money_mule_ring", True, [(rng.integers(1, 4), "collector"),
                                      (cap(rng.integers(10, 61)), "mule")])
    for _ in range(count(6)):
        add("promo_abuse_farm", True, [(rng.integers(1, 3), "collector"),
                                       (cap(rng.integers(28, 149)), "farm_account")])
    for _ in range(count(5)):
        add("merchant_collusion", True, [(rng.integers(1, 4), "merchant"),
                                         (cap(rng.integers(15, 51)), "buyer")])
    for _ in range(count(6)):
        nn = cap(rng.integers(5, 31))
        add("carding_ring", True, [(nn - 1, "carder"), (1, "drop")])
    for _ in range(count(6)):
        add("account_takeover_wave", True, [(rng.integers(5, 16), "hijacked"),
                                            (rng.integers(2, 5), "attacker_mule")])
    # ---- lone bad actors (no group id)
    for _ in range(count(30)):
        add("lone_scammer", True, [(1, "scammer")])
    for _ in range(count(20)):
        add("lone_promo_abuser", True, [(1, "main"), (rng.integers(1, 3), "alt")])
    for _ in range(count(15)):
        add("lone_carder", True, [(1, "carder")])

    # ---- benign look-alikes
    for _ in range(count(6)):
        add("payroll_employer", False, [(1, "employer"), (cap(rng.integers(20, 201)), "employee")])
    for _ in range(count(6)):
        add("office_wifi", False, [(cap(rng.integers(50, 301)), "coworker")])
    for _ in range(count(12)):
        add("community_donations", False, [(rng.integers(1, 3), "treasurer"),
                                           (cap(rng.integers(20, 121)), "member")])
    for _ in range(count(20)):
        add("cash_agent", False, [(rng.integers(1, 4), "agent")])
    for _ in range(count(80)):
        add("small_business", False, [(1, "shop"), (1, "owner"), (rng.integers(1, 8), "staff")])
    for _ in range(count(240)):
        add("bill_split_friends", False, [(rng.integers(3, 11), "friend")])
    for _ in range(count(500)):
        k = int(rng.choice([2, 3, 4, 5, 6], p=[.3, .3, .22, .12, .06]))
        npar = 1 if (k == 2 and rng.random() < 0.3) else min(2, k)
        add("household", False, [(npar, "parent"), (k - npar, "child")])

    rest = perm[ptr[0]:]
    n_merch = max(30, int(round(0.022 * n)))
    organic_merchants = rest[:n_merch]
    organic = rest[n_merch:]

    # gids
    counters = {}
    for g in groups:
        i = counters.get(g.kind, 0)
        counters[g.kind] = i + 1
        g.gid = None if g.kind.startswith("lone_") else f"{g.kind}_{i:04d}"
    return groups, organic_merchants, organic


# ============================================================================ world
def init_world(ctx: Ctx, groups, organic_merchants, organic):
    rng, n, ids = ctx.rng, ctx.n, ctx.ids
    ctx.groups = groups
    # truth
    ctx.t_bad = np.zeros(n, bool)
    ctx.t_gid = np.full(n, None, dtype=object)
    ctx.t_kind = np.full(n, "organic", dtype=object)
    ctx.t_role = np.full(n, "user", dtype=object)
    ctx.t_role[organic_merchants] = "merchant"
    ctx.atype = np.zeros(n, np.int64)
    ctx.atype[organic_merchants] = 1
    for g in groups:
        m = g.members
        ctx.t_bad[m] = g.bad
        ctx.t_gid[m] = g.gid
        ctx.t_kind[m] = g.kind
        ctx.t_role[m] = np.array(g.roles, dtype=object)
        g.role = np.array(g.roles)
    # defaults for every account
    old = rng.random(n) < 0.82
    created = np.empty(n, np.int64)
    created[old] = ctx.old_time(old.sum())
    nn = (~old).sum()
    created[~old] = (T0 + (T1 - T0 - 3 * DAY) * rng.power(1.3, nn)).astype(np.int64)
    ctx.created = created
    act = rng.lognormal(0.0, 1.1, n)
    act[rng.random(n) < 0.08] = 0.0
    ctx.act = act
    ctx.std_ident = np.ones(n, bool)
    ctx.std_signup = np.ones(n, bool)
    ctx.churn = np.full(n, T1, np.int64)
    ch = rng.random(n) < 0.12
    ctx.churn[ch] = T0 + (rng.random(ch.sum()) * (T1 - T0 - 5 * DAY)).astype(np.int64) + 5 * DAY
    ctx.lock_lo = np.full(n, T1 + 1, np.int64)
    ctx.lock_hi = np.full(n, T1 + 1, np.int64)
    ctx.referrer = np.full(n, -1, np.int64)
    ctx.platform = rng.choice(3, n, p=[.72, .24, .04])
    ctx.kyc = rng.choice(3, n, p=[.05, .25, .70]).astype(np.int64)
    # identity arrays (used for accounts with std_ident)
    ctx.home_ip = ids.new("ip", n)
    ctx.address = np.where(rng.random(n) < 0.45, ids.new("address", n), -1)
    ctx.phone = ids.new("phone", n)
    ctx.email = np.where(rng.random(n) < 0.92, ids.new("email", n), -1)
    ctx.bank = np.where(rng.random(n) < 0.62, ids.new("bank", n), -1)
    # cards CSR
    kc = np.minimum(rng.poisson(0.9, n), 4)
    ctx.card_cnt = kc
    ctx.card_off = np.concatenate([[0], np.cumsum(kc)[:-1]])
    ctx.card_ids = ids.new("card", kc.sum())
    # shared pools
    ctx.nat_pool = ids.new("ip", max(10, n // 250))
    ctx.nat_w = zipf_w(len(ctx.nat_pool), 0.9)
    ctx.wifi_pool = ids.new("ip", max(50, n // 15))
    ctx.wifi_w = zipf_w(len(ctx.wifi_pool), 1.0)
    ctx.dc_pool = ids.new("ip", max(20, n // 500))
    ctx.sms_pool = ids.new("phone", max(60, int(0.03 * n)))
    ctx.proxy_pool = ids.new("ip", max(20, n // 200))
    ctx.model_w = zipf_w(N_MODEL, 1.1)
    # merchants
    atype = ctx.atype
    for g in groups:
        if g.kind in ("merchant_collusion", "small_business"):
            atype[g.members[np.isin(g.role, ["merchant", "shop"])]] = 1
        elif g.kind == "payroll_employer":
            atype[g.members[g.role == "employer"]] = 2
        elif g.kind == "cash_agent":
            atype[g.members[0]] = 1
    merch = np.flatnonzero(atype == 1)
    ctx.bank[merch] = np.where(ctx.bank[merch] >= 0, ctx.bank[merch], ids.new("bank", len(merch)))
    ctx.bank[atype == 2] = ids.new("bank", (atype == 2).sum())
    ctx.kyc[atype > 0] = 2
    ctx.created[atype > 0] = ctx.old_time((atype > 0).sum(), hi=T0 - 60 * DAY)
    ctx.act[atype > 0] = rng.lognormal(0.3, 0.8, (atype > 0).sum())
    cat = rng.choice(3, n, p=[.55, .35, .10])  # merchant category: retail, food, supplier
    ctx.mcat = cat
    # merchant popularity pool: organic merchants + shops (+ collusion merchants in the tail)
    om = rng.permutation(organic_merchants)
    shops = np.concatenate([g.members[g.role == "shop"] for g in groups if g.kind == "small_business"]
                           or [np.zeros(0, np.int64)])
    agents_m = np.array([g.members[0] for g in groups if g.kind == "cash_agent"], np.int64)
    coll_m = np.concatenate([g.members[g.role == "merchant"] for g in groups
                             if g.kind == "merchant_collusion"] or [np.zeros(0, np.int64)])
    pool = np.concatenate([om, shops, agents_m, coll_m])
    w = np.concatenate([zipf_w(len(om), 1.05) * 0.85,
                        np.full(len(shops), 0.10 / max(1, len(shops))),
                        np.full(len(agents_m), 0.02 / max(1, len(agents_m))),
                        np.full(len(coll_m), 0.03 / max(1, len(coll_m)))])
    ctx.mpool, ctx.mpool_w = pool, w / w.sum()
    food = pool[cat[pool] == 1]
    ctx.food, ctx.food_w = food, zipf_w(len(food), 0.8)
    sup = om[cat[om] == 2]
    ctx.suppliers = sup if len(sup) else om
    ctx.popular = om[:20]
    ctx.organic = organic
    ctx.organic_old = organic[ctx.created[organic] < T0 - 60 * DAY]
    # influencers and default referrals
    infl = rng.choice(ctx.organic_old, max(3, n // 1000), replace=False)
    ctx.influencers = infl
    ctx.t_role[infl] = "influencer"
    ctx.act[infl] = np.maximum(ctx.act[infl], 2.0) * 2


def referral_defaults(ctx: Ctx):
    """Honest referrals for accounts created inside the window (after groups set creation)."""
    rng = ctx.rng
    cand = np.flatnonzero((ctx.created >= T0) & (ctx.atype == 0) & (ctx.referrer < 0) & ctx.std_signup)
    cand = cand[rng.random(len(cand)) < 0.25]
    use_inf = rng.random(len(cand)) < 0.35
    ref = np.where(use_inf, rng.choice(ctx.influencers, len(cand), p=zipf_w(len(ctx.influencers), 1.0)),
                   rng.choice(ctx.organic_old, len(cand)))
    ctx.referrer[cand] = ref


# ============================================================================ bad groups
def g_mule_ring(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    col = g.members[g.role == "collector"]
    mules = g.members[g.role == "mule"]
    rs = T0 + int(rng.uniform(5, NDAYS - 45) * DAY)
    re = min(T1 - DAY, rs + int(rng.uniform(25, 100) * DAY))
    # collectors: real-ish old accounts, share devices / IP / banks
    ctx.created[col] = ctx.old_time(len(col), lo=T0 - 500 * DAY, hi=rs - 20 * DAY)
    ctx.act[col] = 0.2
    ctx.kyc[col] = 2
    cdev = ids.new("device", rng.integers(1, 3))
    cip = ids.new("ip", 1)
    cbank = ids.new("bank", rng.integers(2, 5))
    for c in col:
        out.sig(c, K["device"], cdev, ctx.created[c] + rng.integers(0, 30 * DAY, len(cdev)))
        out.sig(c, K["ip"], cip, rs - rng.integers(0, 20 * DAY))
        mine = rng.choice(cbank, rng.integers(1, min(3, len(cbank)) + 1), replace=False)
        out.sig(c, K["bank_account"], mine, rs - rng.integers(0, 30 * DAY, len(mine)))
    # mules: recruited old vs fresh
    fresh = rng.random(len(mules)) < rng.uniform(0.3, 0.7)
    fm = mules[fresh]
    ctx.created[mules[~fresh]] = ctx.old_time((~fresh).sum())
    ctx.act[mules[~fresh]] *= 0.7
    ctx.created[fm] = rs - 30 * DAY + (rng.random(len(fm)) * (30 * DAY + (re - rs) * 0.5)).astype(np.int64)
    ctx.act[fm] = 0.15
    ctx.kyc[fm] = rng.choice([1, 2], len(fm))
    ref = rng.random(len(fm)) < 0.6
    ctx.referrer[fm[ref]] = col[0]
    setup = mules[rng.random(len(mules)) < 0.2]
    if len(setup):
        out.sig(setup, K["device"], rng.choice(cdev, len(setup)), np.maximum(ctx.created[setup], rs) + rng.integers(0, 3 * DAY, len(setup)))
    # the scam flow
    primary = rng.choice(col, len(mules))
    nv = rng.integers(1, 7, len(mules))
    vm = np.repeat(mules, nv)
    vprim = np.repeat(primary, nv)
    victims = rng.choice(ctx.victim_pool, len(vm))
    rep = rng.choice([1, 2, 3], len(vm), p=[.6, .28, .12])  # some victims are milked repeatedly
    vm, vprim, victims = np.repeat(vm, rep), np.repeat(vprim, rep), np.repeat(victims, rep)
    ctx.t_role[victims[ctx.t_kind[victims] == "organic"]] = "scam_victim"
    lo = np.maximum(rs, ctx.created[vm] + DAY)
    t = ctx.times(lo, np.maximum(re, lo + DAY))
    d = np.clip((t + LOC - T0) // DAY, 0, NDAYS - 1)
    tl = ctx.at_local(d, 9, 20)  # scam call-centre hours
    t = np.where((tl > lo) & (tl < T1 - 4 * HOUR), tl, t)
    amt = np.round(np.clip(ctx.amount(4000, 0.9, len(vm)), 300, 150_000), -1)
    out.ev(victims, A["p2p_send"], TK_ACCT, vm, t, amt)
    out.ev(vm, A["login"], TK_APP, ctx.platform[vm], t + rng.integers(60, 15 * MINUTE, len(vm)))
    tgt = np.where(rng.random(len(vm)) < 0.8, vprim, rng.choice(col, len(vm)))
    tf = t + rng.integers(2 * MINUTE, 35 * MINUTE, len(vm))
    share = amt * rng.uniform(0.85, 0.97, len(vm))
    split = rng.random(len(vm)) < 0.25
    a1 = np.where(split, np.round(share * rng.uniform(0.4, 0.6, len(vm)), 2), np.round(share, 2))
    out.ev(vm, A["p2p_send"], TK_ACCT, tgt, tf, a1)
    tf2 = tf[split] + rng.integers(MINUTE, 20 * MINUTE, split.sum())
    out.ev(vm[split], A["p2p_send"], TK_ACCT, tgt[split], tf2, np.round(share[split] - a1[split], 2))
    cut = rng.random(len(vm)) < 0.3
    cb = ctx.bank[vm[cut]]
    out.ev(vm[cut], A["cashout"], np.where(cb >= 0, TK_BANK, TK_CASHIN),
           np.where(cb >= 0, cb, rng.integers(0, N_CASHIN, cut.sum())),
           tf[cut] + rng.integers(HOUR, 2 * DAY, cut.sum()), np.round(amt[cut] * 0.05, 2))
    # collectors cash out / buy vouchers
    co = rng.random(len(vm)) < 0.7
    out.ev(tgt[co], A["cashout"], TK_BANK, rng.choice(cbank, co.sum()),
           tf[co] + rng.integers(20 * MINUTE, 8 * HOUR, co.sum()), np.round(share[co], 2))
    vb = (~co) & (rng.random(len(vm)) < 0.4)
    out.ev(tgt[vb], A["voucher_buy"], TK_SKU, rng.integers(0, 8, vb.sum()),
           tf[vb] + rng.integers(10 * MINUTE, 4 * HOUR, vb.sum()), np.round(share[vb], -2))
    out.ev(tgt, A["login"], TK_APP, ctx.platform[tgt], tf + rng.integers(MINUTE, 3 * HOUR, len(tgt)))


def own_identity(ctx: Ctx, accts, seen, dev_ids=None, model=None, phone_pool=None, email=True, device=True):
    """Identity for operator-made accounts (std_ident False): devices given or new (or none,
    when the caller adds them), one handset model, a phone (from a pool or fresh) and a fresh
    email."""
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    accts = np.asarray(accts, np.int64)
    k = len(accts)
    seen = np.broadcast_to(np.asarray(seen, np.int64), k)
    if device:
        out.sig(accts, K["device"], ids.new("device", k) if dev_ids is None else dev_ids, seen)
    if model is None:
        model = rng.choice(N_MODEL, k, p=ctx.model_w)
    out.sig(accts, K["device_model"], model, seen)
    ph = rng.choice(phone_pool, k) if phone_pool is not None else ids.new("phone", k)
    out.sig(accts, K["phone"], ph, seen)
    if email:
        out.sig(accts, K["email"], ids.new("email", k), seen)
    return ph


def g_promo_farm(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    col = g.members[g.role == "collector"]
    farm = rng.permutation(g.members[g.role == "farm_account"])
    N = len(farm)
    ctx.created[col] = ctx.old_time(len(col))
    ctx.act[col] = 0.4
    # registration bursts
    nb = int(rng.integers(2, 7))
    bt = np.sort(T0 + (rng.uniform(3, NDAYS - 30, nb) * DAY).astype(np.int64))
    bsz = rng.multinomial(N - nb, np.ones(nb) / nb) + 1
    cr = []
    for b in range(nb):
        gaps = rng.exponential(rng.uniform(1, 6) * MINUTE, bsz[b])
        cr.append(bt[b] + np.cumsum(gaps).astype(np.int64))
    cr = np.concatenate(cr)
    order = np.argsort(cr, kind="stable")
    cr = cr[order]
    ctx.created[farm] = cr
    ctx.std_ident[farm] = False
    ctx.std_signup[farm] = False
    ctx.act[farm] = 0.0
    ctx.kyc[farm] = rng.choice([0, 1], N, p=[.8, .2])
    # emulator devices: mostly fresh, some reused by a neighbour in the burst
    dev = ids.new("device", N)
    reuse = (rng.random(N) < 0.2) & (np.arange(N) > 0)
    src = np.maximum(np.arange(N) - rng.integers(1, 4, N), 0)
    dev[reuse] = dev[src[reuse]]
    models = rng.choice(8, rng.integers(2, 4), replace=False)
    own_identity(ctx, farm, cr, dev_ids=dev, model=rng.choice(models, N), phone_pool=ctx.sms_pool)
    # residential proxies
    npx = max(5, int(N * rng.uniform(1.5, 3.0)))
    px = ids.new("ip", npx)
    home = rng.random(npx) < 0.15
    px[home] = ctx.home_ip[rng.choice(ctx.organic, home.sum())]
    shared = rng.random(npx) < 0.10
    px[shared] = rng.choice(ctx.proxy_pool, shared.sum())
    kip = rng.integers(1, 4, N)
    out.sig(np.repeat(farm, kip), K["ip"], rng.choice(px, kip.sum()),
            np.repeat(cr, kip) + rng.integers(0, 20 * DAY, kip.sum()))
    card = rng.random(N) < 0.2
    out.sig(farm[card], K["payment"], ids.new("card", card.sum()), cr[card] + rng.integers(0, DAY, card.sum()))
    # signup + referral chains
    out.ev(farm, A["login"], TK_APP, ctx.platform[farm], cr + rng.integers(10, 120, N))
    out.ev(farm, A["promo_claim"], TK_PROMO, C_SIGNUP, cr + rng.integers(MINUTE, 25 * MINUTE, N), 100.0)
    ref = farm[np.maximum(np.arange(N) - rng.integers(1, 9, N), 0)]
    ref[0] = col[0]
    ref[ref == farm] = col[0]
    tr = cr + rng.integers(30, 10 * MINUTE, N)
    out.ev(farm, A["referral_redeem"], TK_ACCT, ref, tr)
    out.sig(farm, K["referral_code"], ref, cr)
    out.ev(ref, A["promo_claim"], TK_PROMO, C_REFERRAL, tr + rng.integers(10, 5 * MINUTE, N), 50.0)
    cm = rng.choice(col, N)
    sw = rng.random(N) < 0.85
    out.ev(farm[sw], A["p2p_send"], TK_ACCT, cm[sw], cr[sw] + rng.integers(HOUR, 72 * HOUR, sw.sum()),
           rng.choice([100.0, 150.0], sw.sum()))
    # campaign jobs
    J = int(rng.integers(4, 16))
    jt = np.sort(rng.uniform(bt[0] + 2 * DAY, T1 - DAY, J)).astype(np.int64)
    partners = rng.choice(ctx.popular, min(3, len(ctx.popular)), replace=False)
    for j in range(J):
        alive = farm[cr < jt[j]]
        if len(alive) == 0:
            continue
        sub = alive[rng.random(len(alive)) < rng.uniform(0.3, 0.8)]
        k = len(sub)
        if k == 0:
            continue
        spread = rng.uniform(1, 6) * HOUR
        t = jt[j] + (rng.random(k) * spread).astype(np.int64) + rng.integers(-300, 300, k)
        camp = ctx.campaign_for(jt[j:j + 1])[0]
        out.ev(sub, A["login"], TK_APP, ctx.platform[sub], t)
        tp = t + rng.integers(MINUTE, 5 * MINUTE, k)
        out.ev(sub, A["merchant_pay"], TK_ACCT, rng.choice(partners), tp, np.round(rng.uniform(50, 150, k), 2))
        out.ev(sub, A["promo_claim"], TK_PROMO, camp, tp + rng.integers(12, 3 * MINUTE, k),
               rng.choice([20.0, 50.0], k))
        out.sig(sub, K["ip"], rng.choice(px, k), t)
        reset = rng.random(k) < 0.3
        out.sig(sub[reset], K["device"], ids.new("device", reset.sum()), t[reset])
        sw = rng.random(k) < 0.7
        out.ev(sub[sw], A["p2p_send"], TK_ACCT, rng.choice(col, sw.sum()),
               t[sw] + rng.integers(2 * HOUR, 48 * HOUR, sw.sum()), np.round(rng.uniform(20, 80, sw.sum()), 2))
    # collectors sweep to banks
    nco = 2 * J
    cc = rng.choice(col, nco)
    out.ev(cc, A["cashout"], TK_BANK, np.where(ctx.bank[cc] >= 0, ctx.bank[cc], ids.new("bank", 1)[0]),
           ctx.times(bt[0], T1, nco), ctx.amount(2500, 0.6, nco))
    if rng.random() < 0.3:  # the operator's phone also logged into a few farm accounts
        few = rng.choice(farm, min(3, N), replace=False)
        opd = ids.new("device", 1)[0]
        out.sig(few, K["device"], opd, ctx.created[few] + 600)
        out.sig(col[0], K["device"], opd, ctx.created[col[0]] + DAY)


def g_collusion(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    mer = g.members[g.role == "merchant"]
    buy = g.members[g.role == "buyer"]
    nbuy = len(buy)
    rs = T0 + int(rng.uniform(0, NDAYS - 60) * DAY)
    re = min(T1 - DAY, rs + int(rng.uniform(50, 150) * DAY))
    ctx.created[mer] = rs - rng.integers(5 * DAY, 120 * DAY, len(mer))
    fresh = rng.random(nbuy) < 0.5
    fb, ob = buy[fresh], buy[~fresh]
    ctx.created[ob] = ctx.old_time(len(ob))
    ctx.act[ob] *= 0.6
    ctx.created[fb] = rs + rng.integers(-20 * DAY, 20 * DAY, len(fb))
    ctx.std_ident[fb] = False
    ctx.std_signup[fb] = False
    ctx.act[fb] = 0.0
    ctx.kyc[fb] = rng.choice([0, 1], len(fb))
    own = rng.random(len(fb)) < 0.5
    own_identity(ctx, fb[own], ctx.created[fb[own]])
    own_identity(ctx, fb[~own], ctx.created[fb[~own]], device=False)  # only ring devices (below)
    out.ev(fb, A["promo_claim"], TK_PROMO, C_SIGNUP, ctx.created[fb] + rng.integers(60, 3600, len(fb)), 100.0)
    # shared cards, ring devices, shop IP, shared phone with the owner
    cards = ids.new("card", rng.integers(1, 4))
    kc = rng.integers(1, min(2, len(cards)) + 1, nbuy)
    out.sig(np.repeat(buy, kc), K["payment"], rng.choice(cards, kc.sum()),
            np.repeat(np.maximum(ctx.created[buy], rs - 10 * DAY), kc) + rng.integers(0, 10 * DAY, kc.sum()))
    rdev = ids.new("device", rng.integers(2, 6))
    kd = rng.integers(1, 3, nbuy)
    out.sig(np.repeat(buy, kd), K["device"], rng.choice(rdev, kd.sum()),
            np.repeat(np.maximum(ctx.created[buy], rs - 5 * DAY), kd) + rng.integers(0, 15 * DAY, kd.sum()))
    shop_ip = ctx.home_ip[mer[0]]
    sip = rng.random(nbuy) < 0.7
    out.sig(buy[sip], K["ip"], shop_ip, np.maximum(ctx.created[buy[sip]], rs) + rng.integers(0, 20 * DAY, sip.sum()))
    ctx.phone[mer[0]] = ctx.phone[ob[0]] if len(ob) else ctx.phone[mer[0]]
    if len(fb) and not len(ob):
        out.sig(fb[0], K["phone"], ctx.phone[mer[0]], ctx.created[fb[0]])
    nfb_noip = fb[~sip[fresh]]
    out.sig(nfb_noip, K["ip"], rng.choice(ctx.nat_pool, len(nfb_noip), p=ctx.nat_w), ctx.created[nfb_noip])
    # sessions and payments
    weeks = max(1, (re - rs) // (7 * DAY))
    ns = int(weeks * rng.integers(2, 5))
    sess = np.sort(ctx.at_local(rng.integers((rs - T0) // DAY, (re - T0) // DAY, ns), 10, 21))
    base = float(rng.choice([200, 300, 500]))
    scale = (re - rs) / (100 * DAY)
    npay = np.maximum(3, (rng.integers(20, 121, nbuy) * scale).astype(np.int64))
    pa = np.repeat(buy, npay)
    st = sess[rng.integers(0, ns, len(pa))] + rng.integers(0, 120 * MINUTE, len(pa))
    okc = st > ctx.created[pa] + HOUR
    pa, st = pa[okc], st[okc]
    m = len(pa)
    tgt = np.where(rng.random(m) < 0.7, mer[0], rng.choice(mer, m))
    amt = np.round(base * rng.uniform(1.0, 1.25, m), 0)
    tu = rng.random(m) < 0.4
    out.ev(pa[tu], A["topup"], TK_CARD, rng.choice(cards, tu.sum()), st[tu] - rng.integers(MINUTE, 10 * MINUTE, tu.sum()),
           np.round(amt[tu] * rng.uniform(1, 3, tu.sum()), -1))
    out.ev(pa, A["merchant_pay"], TK_ACCT, tgt, st, amt)
    cl = rng.random(m) < 0.8
    out.ev(pa[cl], A["promo_claim"], TK_PROMO, ctx.campaign_for(st[cl]), st[cl] + rng.integers(30, 5 * MINUTE, cl.sum()),
           np.round(amt[cl] * 0.1, 2))
    rf = rng.random(m) < 0.05
    out.ev(tgt[rf], A["p2p_send"], TK_ACCT, pa[rf], st[rf] + rng.integers(HOUR, 3 * DAY, rf.sum()), np.round(amt[rf] * 0.9, 2))
    # 5-star ratings
    rb = np.repeat(buy, len(mer))
    rm = np.tile(mer, nbuy)
    keep = rng.random(len(rb)) < 0.8
    rb, rm = rb[keep], rm[keep]
    out.ev(rb, A["rate_merchant"], TK_ACCT, rm, ctx.times(np.maximum(ctx.created[rb], rs) + HOUR, re), rating=5)
    # merchants cash out after sessions
    ms = rng.choice(mer, ns)
    out.ev(ms, A["cashout"], TK_BANK, ctx.bank[ms], sess + rng.integers(2 * HOUR, 5 * HOUR, ns),
           np.round(base * rng.uniform(5, 30, ns), -1))


def g_carding(ctx: Ctx, g: Group, lone=False):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    acc = g.members
    N = len(acc)
    cs = T0 + int(rng.uniform(5, NDAYS - 35) * DAY)
    ctx.created[acc] = cs + (rng.random(N) * rng.uniform(0.2, 10) * DAY).astype(np.int64)
    ctx.std_ident[acc] = False
    ctx.std_signup[acc] = False
    ctx.act[acc] = 0.0
    ctx.kyc[acc] = rng.choice([0, 1], N, p=[.6, .4])
    cr = ctx.created[acc]
    end = np.minimum(T1 - HOUR, cr + (rng.uniform(7, 30, N) * DAY).astype(np.int64))
    # devices / IPs
    devp = ids.new("device", 1 if lone else rng.integers(2, 7))
    kd = rng.integers(1, min(3, len(devp)) + 1, N)
    da = np.repeat(acc, kd)
    models = rng.choice(N_MODEL, 2, p=ctx.model_w)
    ph = np.where(rng.random(N) < 0.5, rng.choice(ctx.sms_pool, N), ids.new("phone", N))
    out.sig(da, K["device"], rng.choice(devp, len(da)), np.repeat(cr, kd) + rng.integers(0, DAY, len(da)))
    out.sig(acc, K["device_model"], rng.choice(models, N), cr)
    out.sig(acc, K["phone"], ph, cr)
    out.sig(acc, K["email"], ids.new("email", N), cr)
    dcp = rng.choice(ctx.dc_pool, int(rng.integers(1, 4) if lone else rng.integers(3, 13)), replace=False)
    ki = rng.integers(1, min(5, len(dcp)) + 1, N)
    ia = np.repeat(acc, ki)
    out.sig(ia, K["ip"], rng.choice(dcp, len(ia)), np.repeat(cr, ki) + rng.integers(0, 3 * DAY, len(ia)))
    # card pool (some fingerprints belong to honest users' cards)
    C = max(5, int(N * rng.uniform(3, 8))) if not lone else int(rng.integers(5, 21))
    pool = ids.new("card", C)
    stolen = rng.random(C) < (0.05 if not lone else 0.1)
    pool[stolen] = rng.choice(ctx.card_ids, stolen.sum())
    kc = np.minimum(rng.integers(5, 41, N), C) if not lone else np.array([C])
    ca = np.repeat(acc, kc)
    cards = np.concatenate([rng.choice(pool, k, replace=False) for k in kc])
    cend = np.repeat(end, kc)
    ccr = np.repeat(cr, kc)
    tc = ccr + (rng.random(len(ca)) * (cend - ccr)).astype(np.int64)
    night = rng.random(len(ca)) < 0.6
    dn = np.clip((tc + LOC - T0) // DAY, 0, NDAYS - 1)
    tn = ctx.at_local(dn[night], 0, 5)
    tc[night] = np.where(tn > ccr[night] + HOUR, tn, tc[night])
    out.sig(ca, K["payment"], cards, tc)
    out.ev(ca, A["login"], TK_APP, 0, tc - rng.integers(30, 600, len(ca)))
    dec = rng.random(len(ca)) < 0.45
    out.ev(ca, A["topup"], TK_CARD, cards, tc, np.round(rng.uniform(1, 10, len(ca)), 2), status=dec.astype(np.int64))
    ok = ~dec
    nb = rng.integers(1, 4, ok.sum()) * (rng.random(ok.sum()) < 0.8)
    ba = np.repeat(ca[ok], nb)
    bc = np.repeat(cards[ok], nb)
    bt = np.repeat(tc[ok], nb) + np.cumsum(rng.integers(2 * MINUTE, 20 * MINUTE, len(ba)))  % (2 * HOUR)
    bamt = np.round(rng.uniform(200, 2000, len(ba)), -1)
    bdec = rng.random(len(ba)) < 0.2
    out.ev(ba, A["topup"], TK_CARD, bc, bt, bamt, status=bdec.astype(np.int64))
    skus = rng.choice(15, 4, replace=False)
    vo = ~bdec
    out.ev(ba[vo], A["voucher_buy"], TK_SKU, rng.choice(skus, vo.sum()), bt[vo] + rng.integers(MINUTE, 10 * MINUTE, vo.sum()),
           bamt[vo])
    if not lone:
        drop = acc[g.role == "drop"][0]
        pp = ca[ok & (ca != drop) & (rng.random(len(ca)) < 0.25)]
        if len(pp):
            tt = ctx.times(np.maximum(ctx.created[pp], ctx.created[drop]) + HOUR, end.max())
            out.ev(pp, A["p2p_send"], TK_ACCT, drop, tt, np.round(rng.uniform(100, 1500, len(pp)), -1))
            out.ev(drop, A["cashout"], TK_CASHIN, rng.integers(0, N_CASHIN, max(1, len(pp) // 3)),
                   ctx.times(ctx.created[drop] + DAY, T1, max(1, len(pp) // 3)), np.round(rng.uniform(1000, 8000), -2))


def g_ato(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    vic = g.members[g.role == "hijacked"]
    mul = g.members[g.role == "attacker_mule"]
    ws = T0 + int(rng.uniform(20, NDAYS - 20) * DAY)
    ctx.created[vic] = ctx.old_time(len(vic), hi=T0 - 365 * DAY)
    ctx.act[vic] = np.maximum(ctx.act[vic], 0.3)
    ctx.kyc[vic] = 2
    ti = ws + (rng.random(len(vic)) * 7 * DAY).astype(np.int64)
    lock = (rng.uniform(2, 30, len(vic)) * DAY).astype(np.int64)
    never = rng.random(len(vic)) < 0.3
    ctx.lock_lo[vic] = ti
    ctx.lock_hi[vic] = np.where(never, T1 + 1, ti + lock)
    # attacker infrastructure
    adev = ids.new("device", rng.integers(1, 4))
    pips = np.concatenate([rng.choice(ctx.dc_pool, rng.integers(1, 4)), ids.new("ip", rng.integers(2, 6))])
    ctx.created[mul] = ws - rng.integers(2 * DAY, 30 * DAY, len(mul))
    ctx.std_ident[mul] = False
    ctx.std_signup[mul] = False
    ctx.act[mul] = 0.0
    ctx.kyc[mul] = rng.choice([1, 2], len(mul))
    own_identity(ctx, mul, ctx.created[mul], dev_ids=rng.choice(adev, len(mul)), phone_pool=ctx.sms_pool)
    out.sig(mul, K["ip"], rng.choice(pips, len(mul)), ctx.created[mul])
    mbank = ids.new("bank", rng.integers(1, 3))
    out.sig(mul, K["bank_account"], rng.choice(mbank, len(mul)), ctx.created[mul] + HOUR)
    # takeover
    out.ev(vic, A["login"], TK_APP, ctx.platform[vic], ti)
    out.sig(vic, K["device"], rng.choice(adev, len(vic)), ti)
    ki = rng.integers(1, 3, len(vic))
    out.sig(np.repeat(vic, ki), K["ip"], rng.choice(pips, ki.sum()), np.repeat(ti, ki) + rng.integers(0, 600, ki.sum()))
    chp = rng.random(len(vic)) < 0.5
    newph = np.where(rng.random(chp.sum()) < 0.5, rng.choice(ctx.sms_pool, chp.sum()), ids.new("phone", chp.sum()))
    out.sig(vic[chp], K["phone"], newph, ti[chp] + rng.integers(60, 900, chp.sum()))
    che = rng.random(len(vic)) < 0.5
    out.sig(vic[che], K["email"], ids.new("email", che.sum()), ti[che] + rng.integers(60, 900, che.sum()))
    nd = rng.integers(1, 4, len(vic))
    da = np.repeat(vic, nd)
    dt = np.repeat(ti, nd) + rng.integers(5 * MINUTE, 90 * MINUTE, len(da))
    dm = rng.choice(mul, len(da))
    damt = np.round(ctx.amount(3000, 0.8, len(da)), -1)
    out.ev(da, A["p2p_send"], TK_ACCT, dm, dt, damt)
    vb = rng.random(len(vic)) < 0.4
    out.ev(vic[vb], A["voucher_buy"], TK_SKU, rng.integers(0, 10, vb.sum()), ti[vb] + rng.integers(10 * MINUTE, 2 * HOUR, vb.sum()),
           np.round(rng.uniform(500, 3000, vb.sum()), -2))
    tv = rng.random(len(vic)) < 0.3
    tvv = vic[tv]
    hc = ctx.card_cnt[tvv] > 0
    tvv = tvv[hc]
    if len(tvv):
        tt = ti[tv][hc] + rng.integers(15 * MINUTE, 2 * HOUR, len(tvv))
        cid = ctx.card_ids[ctx.card_off[tvv]]
        out.ev(tvv, A["topup"], TK_CARD, cid, tt, np.round(rng.uniform(1000, 5000, len(tvv)), -2))
        out.ev(tvv, A["voucher_buy"], TK_SKU, rng.integers(0, 10, len(tvv)), tt + rng.integers(60, 900, len(tvv)),
               np.round(rng.uniform(1000, 5000, len(tvv)), -2))
    out.ev(dm, A["login"], TK_APP, 0, dt + rng.integers(60, 1800, len(dm)))
    out.ev(dm, A["cashout"], TK_BANK, rng.choice(mbank, len(dm)), dt + rng.integers(30 * MINUTE, 6 * HOUR, len(dm)),
           np.round(damt * rng.uniform(0.9, 1.0, len(dm)), 2))


def g_lone_scammer(ctx: Ctx, g: Group):
    rng, out = ctx.rng, ctx.out
    a = g.members[0]
    ctx.created[a] = T0 + int(rng.uniform(0, NDAYS - 20) * DAY)
    ctx.act[a] = 0.1
    ctx.kyc[a] = int(rng.choice([1, 2]))
    if rng.random() < 0.5:
        out.sig(a, K["ip"], rng.choice(ctx.dc_pool), ctx.created[a] + HOUR)
    nv = int(rng.integers(2, 9))
    vic = rng.choice(ctx.victim_pool, nv)
    ctx.t_role[vic[ctx.t_kind[vic] == "organic"]] = "scam_victim"
    t = ctx.times(ctx.created[a] + DAY, min(T1, ctx.created[a] + 60 * DAY), nv)
    amt = np.round(ctx.amount(3000, 0.8, nv), -1)
    out.ev(vic, A["p2p_send"], TK_ACCT, a, t, amt)
    b = ctx.bank[a]
    out.ev(a, A["cashout"], TK_BANK if b >= 0 else TK_CASHIN, b if b >= 0 else 0, t + rng.integers(HOUR, 12 * HOUR, nv),
           np.round(amt * 0.95, 2))


def g_lone_promo(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    main = g.members[0]
    alts = g.members[1:]
    ctx.created[main] = ctx.old_time(1)[0]
    t0 = T0 + int(rng.uniform(0, NDAYS - 10) * DAY)
    ctx.created[alts] = t0 + rng.integers(0, 5 * DAY, len(alts))
    ctx.std_ident[alts] = False
    ctx.std_signup[alts] = False
    ctx.act[alts] = 0.0
    ctx.kyc[alts] = 0
    if rng.random() < 0.7:  # the alts live on the main account's real phone
        dev = ids.new("device", 1)[0]
        out.sig(main, K["device"], dev, ctx.created[main] + DAY)
        own_identity(ctx, alts, ctx.created[alts], dev_ids=np.full(len(alts), dev), phone_pool=ctx.sms_pool)
    else:  # a spare handset shared by the alts
        own_identity(ctx, alts, ctx.created[alts], dev_ids=np.repeat(ids.new("device", 1), len(alts)),
                     phone_pool=ctx.sms_pool)
    out.sig(alts, K["ip"], ctx.home_ip[main], ctx.created[alts])
    ca = ctx.created[alts]
    out.ev(alts, A["promo_claim"], TK_PROMO, C_SIGNUP, ca + rng.integers(60, 1200, len(alts)), 100.0)
    out.ev(alts, A["referral_redeem"], TK_ACCT, main, ca + rng.integers(30, 600, len(alts)))
    out.sig(alts, K["referral_code"], main, ca)
    out.ev(main, A["promo_claim"], TK_PROMO, C_REFERRAL, ca + rng.integers(700, 1500, len(alts)), 50.0)
    out.ev(alts, A["p2p_send"], TK_ACCT, main, ca + rng.integers(HOUR, DAY, len(alts)), 100.0)
    nj = int(rng.integers(1, 4))
    for _ in range(nj):
        t = ctx.times(ca.max() + DAY, T1, 1)[0]
        tt = t + rng.integers(0, 1800, len(alts))
        out.ev(alts, A["promo_claim"], TK_PROMO, ctx.campaign_for(tt), tt, 20.0)


# ============================================================================ benign groups
def g_household(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    m = g.members
    k = len(m)
    par = m[g.role == "parent"]
    kid = m[g.role == "child"]
    ctx.created[par] = ctx.old_time(len(par))
    if len(kid):
        late = rng.random(len(kid)) < 0.3
        ctx.created[kid] = np.where(late, T0 + (rng.random(len(kid)) * (NDAYS - 10) * DAY).astype(np.int64),
                                    ctx.old_time(len(kid), lo=int(ctx.created[par].max())))
    ctx.home_ip[m] = ctx.home_ip[m[0]]
    if rng.random() < 0.85:
        ctx.address[m] = ids.new("address", 1)[0]
    if len(kid) and rng.random() < 0.1:
        ctx.email[kid[0]] = ctx.email[par[0]] if ctx.email[par[0]] >= 0 else ctx.email[kid[0]]
    cr = ctx.created[m]
    if rng.random() < 0.55:
        users = m[rng.random(k) < 0.75]
        if len(users) < 2:
            users = m[:2]
        out.sig(users, K["device"], ids.new("device", 1)[0], np.maximum(ctx.created[users], T0 - 200 * DAY)
                + rng.integers(0, 60 * DAY, len(users)))
    fam = None
    if rng.random() < 0.6:
        fam = ids.new("card", 1)[0]
        holders = np.unique(np.concatenate([par[:1], m[rng.random(k) < 0.6]]))
        out.sig(holders, K["payment"], fam, ctx.created[holders] + rng.integers(0, 30 * DAY, len(holders)))
    if len(par) == 2 and rng.random() < 0.3:
        out.sig(par, K["bank_account"], ids.new("bank", 1)[0], ctx.created[par].max() + rng.integers(0, 90 * DAY))
    # transfers inside the family
    ntr = rng.poisson(rng.uniform(0.3, 3.0) * 26)
    if ntr:
        i = rng.integers(0, k, ntr)
        j = (i + rng.integers(1, k, ntr)) % k
        snd, rcv = m[i], m[j]
        t = ctx.times(np.maximum(cr[i], cr[j]) + HOUR, T1)
        amt = np.round(ctx.amount(300, 0.8, ntr), 0)
        out.ev(snd, A["p2p_send"], TK_ACCT, rcv, t, amt)
        rq = rng.random(ntr) < 0.2
        out.ev(rcv[rq], A["request_money"], TK_ACCT, snd[rq], t[rq] - rng.integers(300, 6 * HOUR, rq.sum()), amt[rq])
    if fam is not None:
        nt = rng.poisson(rng.uniform(0.2, 1.5) * 26)
        if nt:
            who = holders[rng.integers(0, len(holders), nt)]
            out.ev(who, A["topup"], TK_CARD, fam, ctx.times(ctx.created[who] + HOUR, T1), np.round(ctx.amount(500, 0.6, nt), -1))


def g_friends(ctx: Ctx, g: Group):
    rng, out = ctx.rng, ctx.out
    m = g.members
    k = len(m)
    late = rng.random(k) < 0.15
    ctx.created[m[late]] = T0 + (rng.random(late.sum()) * (NDAYS - 20) * DAY).astype(np.int64)
    ctx.created[m[~late]] = ctx.old_time((~late).sum())
    for a in m[late]:  # invited by a friend who was already on the app
        earlier = m[ctx.created[m] < ctx.created[a] - DAY]
        if len(earlier) and rng.random() < 0.6:
            ctx.referrer[a] = rng.choice(earlier)
    fav = rng.choice(ctx.food, int(rng.integers(3, 9)), p=ctx.food_w)
    no = int(rng.poisson(rng.uniform(8, 30)))
    if no == 0:
        return
    lo_all = int(np.sort(ctx.created[m])[1]) + DAY
    if lo_all >= T1 - DAY:
        return
    t = ctx.times(max(lo_all, T0), T1, no)
    d = np.clip((t + LOC - T0) // DAY, 0, NDAYS - 1)
    dinner = rng.random(no) < 0.65
    t = np.where(dinner, ctx.at_local(d, 18.5, 21.5), ctx.at_local(d, 11.5, 13.5))
    rest = rng.choice(fav, no)
    mode_a = rng.random(no) < 0.55
    # expand outing x member
    oi = np.repeat(np.arange(no), k)
    mi = np.tile(np.arange(k), no)
    att = rng.random(len(oi)) < 0.65
    payer_slot = rng.integers(0, k, no)
    att |= mi == payer_slot[oi]
    att &= ctx.created[m[mi]] < t[oi] - HOUR
    oi, mi = oi[att], mi[att]
    acc = m[mi]
    ispayer = mi == payer_slot[oi]
    nat = np.bincount(oi, minlength=no)
    per_head = np.round(ctx.amount(450, 0.4, no), 0)
    a_mask = mode_a[oi]
    # mode A: payer pays the bill, the others send their share
    pm = a_mask & ispayer
    out.ev(acc[pm], A["merchant_pay"], TK_ACCT, rest[oi[pm]], t[oi[pm]], per_head[oi[pm]] * nat[oi[pm]])
    om = a_mask & ~ispayer
    payer_acc = m[payer_slot[oi[om]]]
    delay = np.minimum(rng.exponential(2 * HOUR, om.sum()), 3 * DAY).astype(np.int64) + 60
    rq = rng.random(om.sum()) < 0.3
    out.ev(payer_acc[rq], A["request_money"], TK_ACCT, acc[om][rq], t[oi[om]][rq] + 600, per_head[oi[om]][rq])
    out.ev(acc[om], A["p2p_send"], TK_ACCT, payer_acc, t[oi[om]] + delay + 600 * rq, per_head[oi[om]])
    # mode B: everyone pays the same restaurant within minutes
    bm = ~a_mask
    out.ev(acc[bm], A["merchant_pay"], TK_ACCT, rest[oi[bm]], t[oi[bm]] + rng.integers(0, 8 * MINUTE, bm.sum()),
           np.round(per_head[oi[bm]] * rng.uniform(0.8, 1.2, bm.sum()), 0))
    wf = rng.random(len(acc)) < 0.25
    out.sig(acc[wf], K["ip"], ctx.home_ip[rest[oi[wf]]], t[oi[wf]])


def g_small_business(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    shop = g.members[g.role == "shop"][0]
    owner = g.members[g.role == "owner"][0]
    staff = g.members[g.role == "staff"]
    ppl = np.concatenate([[owner], staff])
    ctx.created[owner] = min(ctx.created[owner], ctx.created[shop] - rng.integers(0, 400) * DAY)
    allm = g.members
    pos = ids.new("device", 1)[0]
    out.sig(allm, K["device"], pos, np.maximum(ctx.created[allm], ctx.created[shop]) + rng.integers(0, 90 * DAY, len(allm)))
    sip = ctx.home_ip[shop]
    out.sig(ppl, K["ip"], sip, np.maximum(ctx.created[ppl], ctx.created[shop]) + rng.integers(0, 90 * DAY, len(ppl)))
    card = ids.new("card", 1)[0]
    holders = np.concatenate([[shop, owner], staff[:int(rng.integers(0, 3))]])
    out.sig(holders, K["payment"], card, ctx.created[holders] + rng.integers(0, 60 * DAY, len(holders)))
    sup = rng.choice(ctx.suppliers, int(rng.integers(2, 6)))
    npay = rng.poisson(26 * rng.uniform(1, 4))
    who = ppl[rng.integers(0, len(ppl), npay)]
    t = ctx.times(ctx.created[who] + DAY, T1)
    d = np.clip((t + LOC - T0) // DAY, 0, NDAYS - 1)
    tm = ctx.at_local(d, 6, 11)
    t = np.where(tm > ctx.created[who] + DAY, tm, t)
    out.ev(who, A["merchant_pay"], TK_ACCT, rng.choice(sup, npay), t, np.round(ctx.amount(3000, 0.7, npay), 0))
    if len(staff):
        pd = PAYDAY_IDX
        base = ctx.at_local(pd, 16.5, 18.5)
        si = np.repeat(np.arange(len(pd)), len(staff))
        st = np.tile(staff, len(pd))
        tt = base[si] + rng.integers(0, 300, len(si))
        ok = tt > ctx.created[st] + HOUR
        wage = np.round(rng.uniform(3000, 9000, len(staff)), -2)
        out.ev(owner, A["p2p_send"], TK_ACCT, st[ok], tt[ok], np.tile(wage, len(pd))[ok])
    nt = rng.poisson(26)
    out.ev(owner, A["topup"], TK_CARD, card, ctx.times(ctx.created[owner] + DAY, T1, nt), np.round(ctx.amount(5000, 0.5, nt), -2))
    nl = rng.poisson(40)
    wl = ppl[rng.integers(0, len(ppl), nl)]
    out.ev(wl, A["login"], TK_APP, 0, ctx.times(ctx.created[wl] + DAY, T1))


def g_payroll(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    emp = g.members[g.role == "employer"][0]
    ee = g.members[g.role == "employee"]
    ne = len(ee)
    batch = rng.random(ne) < 0.4
    enrol = T0 + int(rng.uniform(0, NDAYS - 30) * DAY) if rng.random() < 0.4 else ctx.old_time(1)[0]
    d0 = (enrol + LOC - T0) // DAY
    ctx.created[ee[batch]] = ctx.at_local(d0, 9, 15, batch.sum())
    ctx.created[ee[~batch]] = ctx.old_time((~batch).sum())
    ctx.created[emp] = min(ctx.created[emp], enrol - 30 * DAY)
    ctx.std_signup[ee[batch]] = False  # enrolled by HR, no signup promo
    if rng.random() < 0.6:
        off = ids.new("ip", 1)[0]
        w = np.concatenate([[emp], ee[rng.random(ne) < 0.5]])
        out.sig(w, K["ip"], off, np.maximum(ctx.created[w], T0 - 100 * DAY) + rng.integers(0, 60 * DAY, len(w)))
    sal = np.round(rng.lognormal(np.log(9000), 0.35, ne), -2)
    hh = rng.uniform(9, 11)
    for p in PAYDAY_IDX:
        tp = int(ctx.at_local(p, hh, hh + 0.05)[0])
        paid = ee[ctx.created[ee] < tp - HOUR]
        if len(paid) == 0:
            continue
        ts = tp + np.sort(rng.integers(0, 45 + len(paid) // 3, len(paid)))
        out.ev(emp, A["p2p_send"], TK_ACCT, paid, ts, sal[ctx.created[ee] < tp - HOUR])
        out.ev(emp, A["topup"], TK_BANK, ctx.bank[emp], tp - rng.integers(2 * HOUR, 20 * HOUR), float(sal.sum()))
        fol = paid[rng.random(len(paid)) < 0.7]
        if len(fol):
            act = rng.choice([A["cashout"], A["merchant_pay"], A["bill_pay"], A["p2p_send"]], len(fol), p=[.35, .3, .2, .15])
            tf = tp + np.minimum(rng.exponential(3 * HOUR, len(fol)), 20 * HOUR).astype(np.int64) + 120
            b = ctx.bank[fol]
            tk = np.select([act == A["cashout"], act == A["merchant_pay"], act == A["bill_pay"]],
                           [np.where(b >= 0, TK_BANK, TK_CASHIN), TK_ACCT, TK_BILLER], TK_ACCT)
            tv = np.select([act == A["cashout"], act == A["merchant_pay"], act == A["bill_pay"]],
                           [np.where(b >= 0, b, 0), rng.choice(ctx.mpool, len(fol), p=ctx.mpool_w),
                            rng.choice(N_BILLER, len(fol), p=zipf_w(N_BILLER, 1.0))],
                           rng.choice(ctx.organic_old, len(fol)))
            out.ev(fol, act, tk, tv, tf, np.round(ctx.amount(2000, 0.7, len(fol)), 0))


def g_cash_agent(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    ag = g.members
    ctx.created[ag] = ctx.old_time(len(ag), hi=T0 - 90 * DAY)
    dev = ids.new("device", 1)[0]
    out.sig(ag, K["device"], dev, ctx.created[ag] + rng.integers(0, 30 * DAY, len(ag)))
    sip = ctx.home_ip[ag[0]]
    out.sig(ag[1:], K["ip"], sip, ctx.created[ag[1:]] + DAY)
    bk = ctx.bank[ag[0]]
    out.sig(ag[1:], K["bank_account"], bk, ctx.created[ag[1:]] + 2 * DAY)
    nc = int(min(rng.integers(100, 401), len(ctx.organic_old) // 4))
    cust = rng.choice(ctx.organic_old, nc, replace=False)
    ntx = int(nc * rng.uniform(3, 10))
    c = cust[np.minimum((rng.pareto(1.2, ntx) * 8).astype(np.int64), nc - 1)]
    a = rng.choice(ag, ntx)
    t = ctx.times(T0, T1, ntx)
    d = np.clip((t + LOC - T0) // DAY, 0, NDAYS - 1)
    t = ctx.at_local(d, 7, 19)
    amt = np.round(ctx.amount(1000, 0.8, ntx), -1)
    inbound = rng.random(ntx) < 0.6
    out.ev(c[inbound], A["p2p_send"], TK_ACCT, a[inbound], t[inbound], amt[inbound])
    out.ev(a[~inbound], A["p2p_send"], TK_ACCT, c[~inbound], t[~inbound], amt[~inbound])
    days = np.arange(NDAYS)
    days = days[rng.random(NDAYS) < 0.8]
    out.ev(ag[0], A["cashout"], TK_BANK, bk, ctx.at_local(days, 19, 21), np.round(ctx.amount(8000, 0.5, len(days)), -2))
    days2 = np.arange(NDAYS)[rng.random(NDAYS) < 0.5]
    out.ev(ag[0], A["topup"], TK_BANK, bk, ctx.at_local(days2, 6, 8), np.round(ctx.amount(6000, 0.5, len(days2)), -2))


def g_church(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    tr = g.members[g.role == "treasurer"]
    mem = g.members[g.role == "member"]
    ctx.created[tr] = ctx.old_time(len(tr))
    nm = len(mem)
    cip = ids.new("ip", 1)[0]
    wi = np.concatenate([tr, mem[rng.random(nm) < 0.5]])
    sd = SUNDAYS[rng.integers(0, len(SUNDAYS), len(wi))]
    out.sig(wi, K["ip"], cip, np.maximum(ctx.at_local(sd, 9, 12), ctx.created[wi] + DAY))
    p = rng.beta(2, 3, nm)
    mi = np.repeat(np.arange(nm), len(SUNDAYS))
    si = np.tile(SUNDAYS, nm)
    go = rng.random(len(mi)) < p[mi]
    mi, si = mi[go], si[go]
    t = ctx.at_local(si, 9, 12.5)
    ok = t > ctx.created[mem[mi]] + HOUR
    mi, t = mi[ok], t[ok]
    out.ev(mem[mi], A["p2p_send"], TK_ACCT, tr[0], t, np.round(ctx.amount(200, 0.7, len(mi)), 0))
    for _ in range(int(rng.integers(2, 5))):
        day = int(rng.integers(7, NDAYS - 7))
        tq = int(ctx.at_local(day, 19, 21)[0])
        asked = mem[(rng.random(nm) < 0.6) & (ctx.created[mem] < tq)]
        out.ev(tr[0], A["request_money"], TK_ACCT, asked, tq + np.arange(len(asked)) // 5, 500.0)
        resp = asked[rng.random(len(asked)) < 0.5]
        out.ev(resp, A["p2p_send"], TK_ACCT, tr[0], tq + rng.integers(10 * MINUTE, 48 * HOUR, len(resp)),
               np.round(rng.choice([200, 500, 1000], len(resp)) * 1.0, 0))
    mon = SUNDAYS + 1
    mon = mon[mon < NDAYS]
    b = ctx.bank[tr[0]]
    out.ev(tr[0], A["cashout"], TK_BANK if b >= 0 else TK_CASHIN, b if b >= 0 else 1,
           ctx.at_local(mon, 9, 17), np.round(ctx.amount(5000, 0.5, len(mon)), -1))


def g_office(ctx: Ctx, g: Group):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    m = g.members
    k = len(m)
    ips = ids.new("ip", int(rng.integers(1, 4)))
    ki = rng.integers(1, min(2, len(ips)) + 1, k)
    ia = np.repeat(m, ki)
    out.sig(ia, K["ip"], rng.choice(ips, len(ia)), ctx.times(np.maximum(ctx.created[ia], T0), T1))
    canteens = rng.choice(ctx.food, int(rng.integers(2, 5)), p=ctx.food_w)
    p = rng.uniform(0.05, 0.25, k)
    mi = np.repeat(np.arange(k), len(WORKDAYS))
    di = np.tile(WORKDAYS, k)
    go = rng.random(len(mi)) < p[mi]
    mi, di = mi[go], di[go]
    t = ctx.at_local(di, 11.75, 13.25)
    ok = t > ctx.created[m[mi]] + HOUR
    mi, t = mi[ok], t[ok]
    out.ev(m[mi], A["merchant_pay"], TK_ACCT, rng.choice(canteens, len(mi)), t, np.round(ctx.amount(150, 0.3, len(mi)), 0))


HANDLERS = {
    "money_mule_ring": g_mule_ring, "promo_abuse_farm": g_promo_farm, "merchant_collusion": g_collusion,
    "carding_ring": g_carding, "account_takeover_wave": g_ato, "lone_scammer": g_lone_scammer,
    "lone_promo_abuser": g_lone_promo, "lone_carder": lambda c, g: g_carding(c, g, lone=True),
    "household": g_household, "bill_split_friends": g_friends, "small_business": g_small_business,
    "payroll_employer": g_payroll, "cash_agent": g_cash_agent, "community_donations": g_church,
    "office_wifi": g_office,
}


# ============================================================================ baseline
def csr_pick(rng, off, cnt, ids_flat, acct, skew=1.0):
    """Pick one entry per row from each account's CSR list (skewed to the first entries)."""
    c = cnt[acct]
    u = rng.random(len(acct)) ** skew
    return ids_flat[off[acct] + np.minimum((u * c).astype(np.int64), np.maximum(c - 1, 0))]


def baseline_identity(ctx: Ctx):
    rng, out, ids = ctx.rng, ctx.out, ctx.ids
    sid = np.flatnonzero(ctx.std_ident)
    cr = ctx.created[sid]
    span = np.maximum(T1 - cr, DAY)

    def later(k_rows, base_cr, base_span):
        return base_cr + (rng.random(k_rows) * base_span).astype(np.int64)

    # devices
    kd = 1 + (rng.random(len(sid)) < 0.35) + (rng.random(len(sid)) < 0.08)
    da = np.repeat(sid, kd)
    first = np.concatenate([[True], da[1:] != da[:-1]])
    dseen = np.where(first, np.repeat(cr, kd), later(len(da), np.repeat(cr, kd), np.repeat(span, kd)))
    out.sig(da, K["device"], ids.new("device", len(da)), dseen)
    out.sig(sid, K["device_model"], rng.choice(N_MODEL, len(sid), p=ctx.model_w), cr)
    # IPs: home, carrier NAT, public wifi, VPN
    out.sig(sid, K["ip"], ctx.home_ip[sid], cr + (rng.random(len(sid)) * np.minimum(span, 30 * DAY)).astype(np.int64))
    kn = 1 + rng.binomial(2, 0.35, len(sid))
    na = np.repeat(sid, kn)
    out.sig(na, K["ip"], rng.choice(ctx.nat_pool, len(na), p=ctx.nat_w), later(len(na), np.repeat(cr, kn), np.repeat(span, kn)))
    kw = rng.poisson(0.8, len(sid))
    wa = np.repeat(sid, kw)
    out.sig(wa, K["ip"], rng.choice(ctx.wifi_pool, len(wa), p=ctx.wifi_w), later(len(wa), np.repeat(cr, kw), np.repeat(span, kw)))
    vpn = sid[rng.random(len(sid)) < 0.03]
    kv = rng.integers(1, 3, len(vpn))
    va = np.repeat(vpn, kv)
    out.sig(va, K["ip"], rng.choice(ctx.dc_pool, len(va)), later(len(va), ctx.created[va], np.maximum(T1 - ctx.created[va], DAY)))
    # phones: own, recycled, virtual (SMS pool), second number
    ph = ctx.phone[sid].copy()
    rec = rng.random(len(sid)) < 0.01
    ph[rec] = ctx.phone[rng.choice(ctx.organic_old, rec.sum())]
    sms = rng.random(len(sid)) < 0.01
    ph[sms] = rng.choice(ctx.sms_pool, sms.sum())
    out.sig(sid, K["phone"], ph, cr)
    sec = sid[rng.random(len(sid)) < 0.07]
    out.sig(sec, K["phone"], ids.new("phone", len(sec)), later(len(sec), ctx.created[sec], np.maximum(T1 - ctx.created[sec], DAY)))
    e = ctx.email[sid]
    out.sig(sid[e >= 0], K["email"], e[e >= 0], cr[e >= 0])
    ad = ctx.address[sid]
    out.sig(sid[ad >= 0], K["address"], ad[ad >= 0], cr[ad >= 0] + rng.integers(0, 30 * DAY, (ad >= 0).sum()))
    bk = ctx.bank[sid]
    hb = bk >= 0
    out.sig(sid[hb], K["bank_account"], bk[hb], later(hb.sum(), cr[hb], np.minimum(span[hb], 200 * DAY)))
    # cards
    kc = ctx.card_cnt[sid]
    ca = np.repeat(sid, kc)
    cidx = np.repeat(ctx.card_off[sid], kc) + (np.arange(len(ca)) - np.repeat(np.cumsum(kc) - kc, kc))
    out.sig(ca, K["payment"], ctx.card_ids[cidx], later(len(ca), ctx.created[ca], np.maximum(T1 - ctx.created[ca], DAY)))
    part = sid[rng.random(len(sid)) < 0.005]
    donors = rng.choice(np.flatnonzero(ctx.card_cnt > 0), len(part))
    out.sig(part, K["payment"], ctx.card_ids[ctx.card_off[donors]], later(len(part), ctx.created[part], np.maximum(T1 - ctx.created[part], DAY)))


def build_social(ctx: Ctx):
    rng, n = ctx.rng, ctx.n
    social = np.flatnonzero(ctx.std_ident & (ctx.atype == 0))
    lat = rng.permutation(social)
    P = len(lat)
    pos = np.full(n, -1, np.int64)
    pos[lat] = np.arange(P)
    kc = np.where(pos >= 0, 2 + rng.poisson(5, n), 0)
    ctx.c_cnt = kc
    ctx.c_off = np.concatenate([[0], np.cumsum(kc)[:-1]])
    src = np.repeat(np.arange(n), kc)
    offs = np.rint(rng.laplace(0, 60, len(src))).astype(np.int64)
    offs[offs == 0] = 1
    ctx.c_ids = lat[(pos[src] + offs) % P]
    ctx.social = lat
    km = np.where(ctx.atype == 0, 3 + rng.poisson(4, n), 0)
    ctx.f_cnt = km
    ctx.f_off = np.concatenate([[0], np.cumsum(km)[:-1]])
    ctx.f_ids = rng.choice(ctx.mpool, km.sum(), p=ctx.mpool_w)


P_PERS = np.array([.15, .19, .04, .22, .10, .05, .06, .05, 0, .04, .03, .02])
P_MERCH = np.array([.50, .10, 0, .10, .0, .30, 0, 0, 0, 0, 0, 0])
P_BUS = np.array([.40, .30, 0, .0, .20, .10, 0, 0, 0, 0, 0, 0])
MED = np.array([0, 500, 400, 250, 1000, 2000, 1500, 50, 0, 300, 0, 100], float)
SIG = np.array([0, 0.9, 0.8, 0.9, 0.7, 0.8, 0.6, 0, 0, 0, 0, 0], float)


def baseline_events(ctx: Ctx):
    rng, out, n = ctx.rng, ctx.out, ctx.n
    lo = np.maximum(ctx.created, T0)
    hi = np.minimum(ctx.churn, T1)
    frac = np.clip((hi - lo) / (T1 - T0), 0, 1)
    base = np.select([ctx.atype == 0, ctx.atype == 1], [11.0, 20.0], 14.0)
    ns = rng.poisson(ctx.act * base * frac)
    sa = np.repeat(np.arange(n), ns)
    st = ctx.times(lo[sa], hi[sa])
    k = rng.geometric(0.55, len(sa))
    ea = np.repeat(sa, k)
    E = len(ea)
    first = np.zeros(E, bool)
    starts = np.cumsum(k) - k
    first[starts] = True
    gaps = rng.exponential(100, E)
    gaps[first] = 0
    cs = np.cumsum(gaps)
    ts = np.repeat(st, k) + (cs - np.repeat(cs[starts], k)).astype(np.int64)
    # actions
    typ = ctx.atype[ea]
    u = rng.random(E)
    action = np.empty(E, np.int64)
    for t, p in ((0, P_PERS), (1, P_MERCH), (2, P_BUS)):
        msk = typ == t
        action[msk] = np.minimum(np.searchsorted(np.cumsum(p) / p.sum(), u[msk]), len(ACTIONS) - 1)
    action[first & (rng.random(E) < 0.35)] = A["login"]
    tk = np.full(E, TK_ACCT, np.int64)
    tv = np.zeros(E, np.int64)
    pers = typ == 0
    # logins
    m = action == A["login"]
    tk[m], tv[m] = TK_APP, ctx.platform[ea[m]]
    # p2p and requests
    m = (action == A["p2p_send"]) | (action == A["request_money"])
    mp = m & pers & (ctx.c_cnt[ea] > 0)
    tv[mp] = csr_pick(rng, ctx.c_off, ctx.c_cnt, ctx.c_ids, ea[mp], skew=1.8)
    mo = m & ~mp
    tv[mo] = rng.choice(ctx.social, mo.sum())
    # merchants
    m = (action == A["merchant_pay"]) | (action == A["rate_merchant"])
    mp = m & pers
    fav = rng.random(E) < 0.75
    mf = mp & fav
    tv[mf] = csr_pick(rng, ctx.f_off, ctx.f_cnt, ctx.f_ids, ea[mf], skew=1.5)
    mg = mp & ~fav
    tv[mg] = rng.choice(ctx.mpool, mg.sum(), p=ctx.mpool_w)
    mo = m & ~pers
    tv[mo] = rng.choice(ctx.suppliers, mo.sum())
    # topup
    bank = ctx.bank[ea]
    m = action == A["topup"]
    hc = ctx.card_cnt[ea] > 0
    mc = m & hc & (rng.random(E) < 0.75)
    tk[mc] = TK_CARD
    tv[mc] = csr_pick(rng, ctx.card_off, ctx.card_cnt, ctx.card_ids, ea[mc], skew=2.0)
    mb = m & ~mc & (bank >= 0)
    tk[mb], tv[mb] = TK_BANK, bank[mb]
    mo = m & ~mc & ~mb
    tk[mo], tv[mo] = TK_CASHIN, rng.choice(N_CASHIN, mo.sum(), p=zipf_w(N_CASHIN, 1.0))
    m = action == A["cashout"]
    mb = m & (bank >= 0)
    tk[mb], tv[mb] = TK_BANK, bank[mb]
    mo = m & ~mb
    tk[mo], tv[mo] = TK_CASHIN, rng.choice(N_CASHIN, mo.sum(), p=zipf_w(N_CASHIN, 1.0))
    m = action == A["bill_pay"]
    tk[m], tv[m] = TK_BILLER, rng.choice(N_BILLER, m.sum(), p=zipf_w(N_BILLER, 1.0))
    m = action == A["promo_claim"]
    tk[m], tv[m] = TK_PROMO, ctx.campaign_for(ts[m])
    m = action == A["voucher_buy"]
    tk[m], tv[m] = TK_SKU, rng.choice(N_SKU, m.sum(), p=zipf_w(N_SKU, 1.1))
    m = action == A["airtime_buy"]
    tk[m], tv[m] = TK_TELCO, rng.choice(3, m.sum(), p=[.5, .35, .15])
    # amounts, status, ratings
    amt = np.round(MED[action] * np.exp(SIG[action] * rng.standard_normal(E)), 2)
    amt[action == A["promo_claim"]] = rng.choice([20.0, 50.0, 100.0], (action == A["promo_claim"]).sum())
    m = action == A["voucher_buy"]
    amt[m] = rng.choice([100.0, 200.0, 500.0, 1000.0], m.sum(), p=[.3, .3, .25, .15])
    m = action == A["airtime_buy"]
    amt[m] = rng.choice([20.0, 50.0, 100.0, 300.0], m.sum())
    amt[(action == A["login"]) | (action == A["rate_merchant"])] = np.nan
    status = ((np.isin(action, [A["topup"], A["merchant_pay"], A["voucher_buy"]]) & (rng.random(E) < 0.02))
              | ((action == A["p2p_send"]) & (rng.random(E) < 0.01))).astype(np.int64)
    rating = np.where(action == A["rate_merchant"], rng.choice([1, 2, 3, 4, 5], E, p=[.05, .04, .08, .25, .58]), 0)
    keep = (ts < ctx.lock_lo[ea]) | (ts >= ctx.lock_hi[ea])
    out.ev(ea[keep], action[keep], tk[keep], tv[keep], ts[keep], amt[keep], status[keep], rating[keep])
    # customers picking up shop Wi-Fi
    m = keep & (action == A["merchant_pay"]) & pers & (rng.random(E) < 0.03)
    out.sig(ea[m], K["ip"], ctx.home_ip[tv[m]], ts[m])


def signup_events(ctx: Ctx):
    rng, out = ctx.rng, ctx.out
    new = np.flatnonzero((ctx.created >= T0) & ctx.std_signup & (ctx.atype == 0))
    cr = ctx.created[new]
    out.ev(new, A["login"], TK_APP, ctx.platform[new], cr + rng.integers(5, 120, len(new)))
    sb = rng.random(len(new)) < 0.55
    out.ev(new[sb], A["promo_claim"], TK_PROMO, C_SIGNUP, cr[sb] + rng.integers(MINUTE, 2 * HOUR, sb.sum()), 100.0)
    r = ctx.referrer[new]
    ok = (r >= 0)
    ok[ok] &= ctx.created[r[ok]] < cr[ok]
    a, r, c = new[ok], r[ok], cr[ok]
    tr = c + rng.integers(MINUTE, 20 * MINUTE, len(a))
    out.ev(a, A["referral_redeem"], TK_ACCT, r, tr)
    out.sig(a, K["referral_code"], r, c)
    rb = rng.random(len(a)) < 0.85
    out.ev(r[rb], A["promo_claim"], TK_PROMO, C_REFERRAL, tr[rb] + rng.integers(5, 600, rb.sum()), 50.0)


# ============================================================================ labels
def make_labels(ctx: Ctx):
    rng, n = ctx.rng, ctx.n
    lab = np.full(n, -1, np.int64)
    src = np.full(n, "", dtype=object)
    groups = ctx.groups
    bad_groups = [g for g in groups if g.bad and g.gid is not None]
    disc = rng.random(len(bad_groups)) < 0.55
    if disc.sum() < max(2, len(bad_groups) // 3):
        disc[rng.choice(len(bad_groups), max(2, len(bad_groups) // 3), replace=False)] = True
    for g, d in zip(bad_groups, disc):
        if not d:
            continue
        f = rng.uniform(0.4, 0.9)
        pr = np.where(np.isin(g.role, ["collector", "merchant", "drop", "attacker_mule"]), max(f, 0.85), f)
        hit = g.members[rng.random(len(g.members)) < pr]
        lab[hit] = 1
        src[hit] = "investigation"
    lone = np.flatnonzero(np.isin(ctx.t_kind, list(LONE_KINDS)))
    hit = lone[rng.random(len(lone)) < 0.35]
    lab[hit] = 1
    src[hit] = rng.choice(["chargeback", "user_report", "investigation"], len(hit))
    vic = np.flatnonzero(ctx.t_role == "scam_victim")
    hit = vic[rng.random(len(vic)) < 0.06]
    lab[hit] = 1
    src[hit] = "user_report"
    # cleared benign groups
    for g in groups:
        if g.bad:
            continue
        p = {"payroll_employer": .35, "community_donations": .3, "cash_agent": .4, "small_business": .15,
             "office_wifi": .15, "household": .05, "bill_split_friends": .05}[g.kind]
        if rng.random() < p:
            hit = g.members[rng.random(len(g.members)) < rng.uniform(0.6, 1.0)]
            hit = hit[lab[hit] < 0]
            lab[hit] = 0
            src[hit] = "investigation"
    # random honest sample, biased to old / active accounts
    target = int(n * rng.uniform(0.10, 0.14))
    need = target - (lab >= 0).sum()
    cand = np.flatnonzero((lab < 0) & ~ctx.t_bad)
    if need > 0 and len(cand):
        w = (1 + ctx.act[cand]) * np.where(ctx.created[cand] < T0 - 365 * DAY, 2.0, 1.0) * np.where(ctx.kyc[cand] == 2, 1.5, 0.7)
        hit = rng.choice(cand, min(need, len(cand)), replace=False, p=w / w.sum())
        lab[hit] = 0
        src[hit] = rng.choice(["kyc_review", "random_audit"], len(hit))
    li = np.flatnonzero(lab >= 0)
    flip = li[rng.random(len(li)) < 0.015]
    lab[flip] = 1 - lab[flip]
    return li, lab[li], src[li]


# ============================================================================ build & write
def build(n, seed):
    ctx = Ctx(n, seed)
    groups, om, org = plan(ctx)
    init_world(ctx, groups, om, org)
    ctx.victim_pool = ctx.organic_old[ctx.atype[ctx.organic_old] == 0]
    for g in groups:
        HANDLERS[g.kind](ctx, g)
    referral_defaults(ctx)
    build_social(ctx)
    baseline_identity(ctx)
    signup_events(ctx)
    baseline_events(ctx)
    return ctx


def _acct_ids(ctx):
    rng = np.random.default_rng([ctx.seed, ctx.n, 7])
    raw = rng.integers(100_000_000, 1_000_000_000, int(ctx.n * 1.3) + 100)
    _, first = np.unique(raw, return_index=True)
    first = np.sort(first)[: ctx.n]
    return raw[first].astype(str)


def finalize(ctx: Ctx):
    rng, n, seed = ctx.rng, ctx.n, ctx.seed
    ctx.created = np.clip(ctx.created, T_OLD, T1 - HOUR)
    ids_np = _acct_ids(ctx)
    aid = pl.Series("account_id", ids_np, dtype=pl.String)
    # ---- accounts
    country = rng.choice(["PH", "SG", "AE", "HK", "SA", "JP", "US"], n, p=[.955, .01, .01, .008, .007, .005, .005])
    acc = pl.DataFrame({
        "account_id": aid,
        "created_at": pl.from_epoch(pl.Series(ctx.created * 1_000_000 + rng.integers(0, 1_000_000, n)), time_unit="us"),
        "account_type": pl.Series(np.array(ATYPES)[ctx.atype]),
        "country": pl.Series(country),
        "kyc_level": pl.Series(ctx.kyc.astype(np.int8)),
    }).with_columns(pl.when(pl.Series(rng.random(n) < 0.003)).then(None).otherwise(pl.col("country")).alias("country"))
    # ---- signals
    s_acct, s_kind, s_id, s_seen = (np.concatenate(c) for c in ctx.out.s)
    ctx.out.s = None
    ok = (s_id >= 0)
    s_acct, s_kind, s_id, s_seen = s_acct[ok], s_kind[ok], s_id[ok], s_seen[ok]
    s_seen = np.minimum(np.maximum(s_seen, ctx.created[s_acct]), T1 - 1)
    key = s_kind * (1 << 40) + s_id
    uk, inv = np.unique(key, return_inverse=True)
    vals = hex_digest(uk >> 40, uk & ((1 << 40) - 1), seed)
    sig = pl.DataFrame({"a": s_acct, "kind": pl.Series(np.array(KINDS)[s_kind]), "v": inv, "seen": s_seen})
    sig = (sig.group_by(["a", "kind", "v"]).agg(pl.col("seen").min())
           .sort(["a", "kind", "seen", "v"]))
    nul = rng.random(sig.height) < 0.007
    sig = sig.with_columns(
        account_id=aid.gather(sig["a"]),
        value=vals.gather(sig["v"]),
        seen_at=pl.when(pl.Series(nul)).then(None).otherwise(
            pl.from_epoch(pl.col("seen"), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%S")),
    ).select("account_id", "kind", "value", "seen_at")
    # ---- events
    e = [np.concatenate(c) for c in ctx.out.e]
    ctx.out.e = None  # free the chunks
    e_acct, e_act, e_tk, e_tv, e_ts, e_amt, e_st, e_rt = e
    ok = (e_ts >= T0) & (e_ts < T1 - 1) & (e_ts > ctx.created[e_acct])
    acct_t = e_tk == TK_ACCT
    ok &= ~acct_t | (e_tv < 0) | (e_ts > ctx.created[np.clip(e_tv, 0, n - 1)])
    ok &= ~(acct_t & (e_tv == e_acct))
    ok &= ~((e_tk == TK_BANK) & (e_tv < 0))
    e_acct, e_act, e_tk, e_tv, e_ts, e_amt, e_st, e_rt = (x[ok] for x in e)
    ctx.dropped_events = int((~ok).sum())
    e_ts = e_ts * 1000 + rng.integers(0, 1000, len(e_ts))  # milliseconds
    # duplicates quirk
    dup = np.flatnonzero(rng.random(len(e_acct)) < 0.001)
    sel = np.concatenate([np.arange(len(e_acct)), dup])
    order = np.lexsort((e_act[sel], e_acct[sel], e_ts[sel]))
    sel = sel[order]
    e_acct, e_act, e_tk, e_tv, e_ts, e_amt, e_st, e_rt = (x[sel] for x in (e_acct, e_act, e_tk, e_tv, e_ts, e_amt, e_st, e_rt))
    # target strings
    nonacc = e_tk != TK_ACCT
    key = e_tk[nonacc] * (1 << 40) + e_tv[nonacc]
    uk, inv = np.unique(key, return_inverse=True)
    utk, utv = uk >> 40, uk & ((1 << 40) - 1)
    h = hex_digest(100 + utk, utv, seed)
    lut = {TK_PROMO: np.array(CAMPAIGNS, dtype=object), TK_APP: np.array(APPS, dtype=object),
           TK_TELCO: np.array(TELCOS, dtype=object)}
    small = np.full(len(utk), None, dtype=object)
    for tkc, arr in lut.items():
        mm = utk == tkc
        small[mm] = arr[np.clip(utv[mm], 0, len(arr) - 1)]
    tvs = pl.Series(utv).cast(pl.String)
    names = pl.DataFrame({"tk": utk, "h": h, "tvs": tvs, "small": pl.Series(list(small), dtype=pl.String)}).select(
        pl.when(pl.col("tk") == TK_CARD).then(pl.lit("tok_") + pl.col("h"))
        .when(pl.col("tk") == TK_BANK).then(pl.lit("bnk_") + pl.col("h"))
        .when(pl.col("tk") == TK_SKU).then(pl.lit("sku_") + pl.col("tvs").str.zfill(3))
        .when(pl.col("tk") == TK_BILLER).then(pl.lit("biller_") + pl.col("tvs").str.zfill(2))
        .when(pl.col("tk") == TK_CASHIN).then(pl.lit("cashin_partner_") + pl.col("tvs").str.zfill(2))
        .otherwise(pl.col("small")).alias("name")
    )["name"]
    tgt_idx = np.where(nonacc, 0, e_tv)
    t_acc = aid.gather(tgt_idx)
    t_non_idx = np.zeros(len(e_tv), np.int64)
    t_non_idx[nonacc] = inv
    t_non = names.gather(t_non_idx)
    evs = pl.DataFrame({
        "account_id": aid.gather(e_acct),
        "action": pl.Series(np.array(ACTIONS)[e_act]),
        "target_id": pl.select(pl.when(pl.Series(nonacc)).then(t_non).otherwise(t_acc)).to_series(),
        "ts": pl.from_epoch(pl.Series(e_ts), time_unit="ms")
        .cast(pl.Datetime("ms")).dt.replace_time_zone("UTC"),
        "amount": pl.Series(e_amt).fill_nan(None),
        "status": pl.Series(np.where(e_st > 0, "declined", "ok")),
        "rating": pl.Series(e_rt.astype(np.int8)).replace(0, None),
    })
    # ---- truth
    truth = pl.DataFrame({
        "account_id": aid,
        "is_bad": pl.Series(ctx.t_bad),
        "group_id": pl.Series(list(ctx.t_gid), dtype=pl.String),
        "group_kind": pl.Series(list(ctx.t_kind), dtype=pl.String),
        "role": pl.Series(list(ctx.t_role), dtype=pl.String),
    })
    li, lv, ls = make_labels(ctx)
    labels = pl.DataFrame({"account_id": aid.gather(li), "label": pl.Series(lv.astype(np.int64)),
                           "source": pl.Series(list(ls), dtype=pl.String)}).sort("account_id")
    return acc, sig, evs, truth, labels


def report(acc, sig, evs, truth, labels):
    print(f"accounts {acc.height:,}  signals {sig.height:,}  events {evs.height:,}  "
          f"labels {0 if labels is None else labels.height:,}  bad accounts {truth['is_bad'].sum():,}")
    ev_n = evs.group_by("account_id").len("events")
    t = truth.join(ev_n, on="account_id", how="left").with_columns(pl.col("events").fill_null(0))
    grp = (t.filter(pl.col("group_id").is_not_null())
           .group_by("group_kind", "group_id").agg(pl.len().alias("size"), pl.col("events").sum(), pl.col("is_bad").first()))
    per = (grp.group_by("group_kind").agg(
        pl.col("is_bad").first().alias("bad"), pl.len().alias("groups"), pl.col("size").sum().alias("accounts"),
        pl.col("size").min().alias("min"), pl.col("size").median().alias("median"), pl.col("size").max().alias("max"),
        pl.col("events").sum().alias("events"), (pl.col("events").sum() / pl.col("size").sum()).round(1).alias("ev_per_acct")))
    lone = (t.filter(pl.col("group_id").is_null()).group_by("group_kind").agg(
        pl.col("is_bad").first().alias("bad"), pl.lit(None, pl.UInt32).alias("groups"), pl.len().cast(pl.UInt32).alias("accounts"),
        pl.lit(None, pl.UInt32).alias("min"), pl.lit(None, pl.Float64).alias("median"), pl.lit(None, pl.UInt32).alias("max"),
        pl.col("events").sum().alias("events"), (pl.col("events").sum() / pl.len()).round(1).alias("ev_per_acct")))
    per = per.with_columns(pl.col("groups", "accounts", "min", "max").cast(pl.UInt32))
    tab = pl.concat([per, lone]).sort(["bad", "group_kind"], descending=[True, False])
    with pl.Config(tbl_rows=50, tbl_cols=20, tbl_width_chars=160, tbl_hide_dataframe_shape=True):
        print(tab)
        acts = evs.group_by("action").agg(pl.len().alias("events"), pl.col("account_id").n_unique().alias("accounts"))
        kinds = sig.group_by("kind").agg(pl.len().alias("rows"), pl.col("value").n_unique().alias("values"),
                                         pl.col("value").value_counts(sort=True).first().struct.field("count").alias("max_accounts_per_value"))
        print(acts.sort("events", descending=True))
        print(kinds.sort("rows", descending=True))
    if labels is not None:
        lj = labels.join(truth, on="account_id")
        print(f"labels: {labels.height:,} ({labels.height / acc.height:.1%}), label=1 {int((labels['label'] == 1).sum()):,}, "
              f"wrong vs truth {int((lj['label'].cast(pl.Boolean) != lj['is_bad']).sum()):,}")
    nbad = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null())["group_id"].n_unique()
    print(f"planted bad groups (K): {nbad}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args(argv)
    if a.accounts < 2000:
        ap.error("--accounts must be at least 2000")
    t = time.time()
    ctx = build(a.accounts, a.seed)
    acc, sig, evs, truth, labels = finalize(ctx)
    os.makedirs(a.out_dir, exist_ok=True)
    acc.write_parquet(os.path.join(a.out_dir, "accounts.parquet"))
    sig.write_csv(os.path.join(a.out_dir, "signals.csv"))
    evs.write_parquet(os.path.join(a.out_dir, "events.parquet"))
    truth.write_parquet(os.path.join(a.out_dir, "truth.parquet"))
    lp = os.path.join(a.out_dir, "labels.csv")
    if a.no_labels:
        if os.path.exists(lp):
            os.remove(lp)
        labels = None
    else:
        labels.write_csv(lp)
    print(f"wrote {a.out_dir} in {time.time() - t:.1f}s ({ctx.dropped_events:,} generated events outside account lifetimes dropped)", file=sys.stderr)
    if a.report:
        report(acc, sig, evs, truth, labels)


if __name__ == "__main__":
    main()

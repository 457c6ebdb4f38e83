#!/usr/bin/env python
"""An eighteenth marketplace generator: a freelance / gig-work platform.

    python benchmarks/eighteenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Written from DESIGN.md's data contract alone (and the list of earlier generators in
benchmarks/README.md, so that the domain and the mechanics differ); no detection code, test or
other generator was read.  Same arguments give byte-identical files
(``--accounts`` >= 2000).  About 1 s at 20k accounts and 6 s at 100k (0.8 GB peak).

The platform
------------
Clients post jobs (``post_job`` -> job id) and buy gig listings (``gig_view``, ``favorite``,
``order_gig`` -> gig id); freelancers publish gigs (``publish_gig``) and bid on jobs
(``bid`` -> job id).  A contract is ``hire`` or ``order_gig``, a little chat (``message`` ->
the counterpart's account id), ``deliver`` (freelancer -> client account), ``pay`` (client ->
freelancer account, ``amount`` column in USD), sometimes ``review_1`` .. ``review_5`` and
``tip`` (client -> freelancer account); freelancers ``withdraw`` their earnings, the target being
the payout-account token (the same string as their ``payout_account`` signal).  Also ``login``
(target ``app:web`` / ``app:ios`` / ``app:android``), ``dispute`` and ``chargeback`` (client ->
freelancer account).  Events run from 2024-01-01 to 2024-10-01; accounts were created from 2015
on (growing ~25% a year).  About 25 events per account on average, heavy-tailed (log-normal
activity weights; Zipf-popular jobs, gigs and sellers).

Identifier kinds (``signals``): ``browser_fp``, ``login_ip``, ``phone_hash``, ``email_hash``,
``payout_account``, ``bank_last4`` (only the last four digits of the bank account behind a bank
payout: ~10,000 possible values, so it collides by chance -- at 100k accounts each value is
shared by several strangers) and ``card_fp``.  Values are opaque hashes with a kind prefix.

Organic background (truth: group_kind ``organic``, no group)
-----------------------------------------------------------
* carrier-grade NAT IPs: 6 + N/4000 values, Zipf-weighted, on ~40% of accounts (the largest is
  shared by thousands); consumer VPN exits (20 + N/2000, Zipf) on 7%; a residential-proxy pool
  (400 + N/50 IPs) whose exits are also the home lines of ~3% of honest accounts; datacenter
  IPs (cloud desktops) on 1%;
* recycled phone numbers: 2.5% of phone holders got a number that belonged to an account created
  at least a year earlier; 0.3% of honest accounts verified with a number from the same rented
  SMS-activation pool the bad operators use;
* payout hubs: ~4% of freelancers in NG/PK/BD/EG/KE/PH withdraw to one of 3 + N/40000 pooled
  money-transfer agent accounts (hundreds of strangers per payout value);
* viral jobs: max(2, 3 * N/20000) jobs get 150-700 extra bids within minutes;
* referrals (``links`` kind ``referred_by``) on 4% of accounts; 1% of contracts disputed,
  0.2% charged back by honest clients.

Planted BAD groups (truth is_bad = true) -- counts at 20k accounts (they scale with N)
-------------------------------------------------------------------------------------
* ``review_boost_ring`` x7 (6-45 fake clients + 1-8 sellers): fake clients hire / order from
  the ring's sellers for $5-40 jobs, fast delivery, ``review_5``.  Three variants:
  blunt (2: clients created within two days, 1-3 shared browsers, 1-2 IPs and cards, all reviews
  within ~3 days, no cover life, sometimes a seller logged in on a client's browser);
  jittered (3: aged or scattered accounts with their own devices, a handful of residential
  proxy IPs each from a ring subset that honest users also have, 35% on two prepaid cards,
  reviews spread over 3-8 weeks, full organic cover life and a few honest reviews of
  popular sellers); rotating service (2: 30-45 clients on SMS-pool phones and a small phone
  farm of browsers, each boost wave uses a random 20-40% of them for one of 4-8 paying sellers).
* ``account_farm`` x5 (10-120 freelancers, Pareto sizes): created in 2-4 waves of hours; 1-5 operator
  browsers, operator + datacenter IPs, SMS-pool phones, 1-3 shared payout accounts; worked in
  sessions one account after another (a few minutes apart), several accounts bidding on the same
  job; cash-out days where most accounts withdraw within an hour.  Two are sold after 1-7 months:
  a sold share (40-100%) shows a new wave of the buyer's browsers, IPs and payout (seen_at at the
  sale).  One is hard: a spoofed browser per account, residential proxies, one payout shared by
  only half, SMS phones.
* ``bid_spam_bot`` x4 (20-200): created in 1-2 bursts, 2-4 headless browser fingerprints (one
  net spoofs a fingerprint per bot), each bot on 5-15 rotating residential-proxy IPs; for 60-300
  fresh jobs a random 20-60% of the bots bid 2-40 s after posting, some also message the client.
* ``chargeback_ring`` x4 (5-30 new clients + 1-3 accomplice freelancers): stolen cards (1-3 per
  client, a few reused), shared browsers/IPs, SMS phones; card testing with $1-3 tips to random
  sellers, then $150-900 orders from the accomplices, who withdraw within hours to one shared
  payout; chargebacks 20-50 days later.
* ``money_collusion_ring`` x4 (4-20, half clients, half freelancers): fake contracts of
  $300-3000 in batches, reviews, withdrawals to 1-2 laundering payouts; half are hard (aged
  accounts with their own devices and IPs, only half the freelancers on one payout, jittered).
* ``takeover_wave`` x4 (10-80 dormant freelancers created 2017-2022): quiet for months, then
  within days logins on the attacker's 1-3 browsers and 2-5 IPs, a new payout account (seen_at
  at the takeover) and withdrawals to it, phishing messages to past clients; one is hard
  (per-victim proxy IPs and spoofed browsers, 3-6 payouts, spread over 2-3 weeks).
* ``job_scam_crew`` x3 (5-25 clients): bursts of accounts on SMS phones, VPN and 1-3 browsers
  post fake jobs, then message the freelancers who bid (each victim by 2-5 crew members within
  half an hour) -- victims bid 3-15 per fake job.
* lone bad actors (0.5% of accounts; group_kind ``lone_bad``, no group): card testers with
  3-8 cards, solo proposal spammers, off-platform scammers.
In all 31 bad groups and ~1,150-1,450 bad group accounts at 20k (155 groups at 100k), plus
~100 lone bad actors.

Benign look-alike groups (truth is_bad = false, with a group id)
----------------------------------------------------------------
* ``agency`` x25 (3-40 freelancers created over years): 1-2 office IPs, a company payout on
  70-100% of members (with its bank_last4), shared workstations in a third, a shared company
  phone in 40%; several members bid on the same job within hours; ``team_member`` links.
* ``coworking_space`` x6 (50-300, mixed): one NAT IP plus a guest Wi-Fi IP.
* ``university`` x3 (150-600): 2-4 campus IPs, sign-ups bunched at semester starts, lab PCs
  whose browser fingerprints are shared by 10-60 students.
* ``bootcamp_cohort`` x6 (15-60 freelancers + 1-2 partner clients): sign up within three days
  on the campus IP, lab browsers; bid within the class hour on the partner's 5-15 starter jobs,
  and the partner hires 1-3 of them per job for $20-60 with 5-star reviews.
* ``enterprise_client`` x8 (5-40 hiring managers): one company card, office IPs, ``same_org``
  links; many managers hire the same preferred vendors.
* ``household`` x150 (2-5): home IP, a family laptop in 60%, a shared card in 30%, a spouse's
  payout in 10%; a fifth signed up on the same day.
* ``repeat_pair`` x60 (client + freelancer, 8-40 contracts with reviews) and
  ``retainer_team`` x10 (a client and 3-6 freelancers hired again and again).
* ``alert_power_bidders`` x4 (20-80 freelancers of one or two categories, their own devices
  and homes, created over years): job alerts make 25-60% of them bid 30 s-5 min after every
  urgent job of their category (60-150 jobs).
In all 272 benign groups and ~3,500 accounts at 20k (1,360 groups at 100k).

Labels (unless --no-labels): 55% of bad groups (70% of takeover waves) have 10-60% of their
members labelled 1, the rest none; 35% of lone bad actors 1; 1.2% of organic and 4% of benign
group accounts 0; one benign group per 20k (an agency or a bootcamp) wrongly actioned (25-50%
of its members 1); then 3% of all labels flipped.

Files and quirks
----------------
* ``accounts.parquet``: ``created_at`` timezone-aware (UTC), ``account_type``
  (client / freelancer / both), ``country`` (ISO-2), extra ``verified`` and ``hourly_rate``.
* ``signals.csv`` (CSV!): ``seen_at`` as ``YYYY-MM-DD HH:MM:SS`` (naive UTC), empty on ~4% of rows.
* ``events.parquet``: ``ts`` naive UTC in ms; extra ``amount`` (null except money actions);
  ~0.6% of rows are exact duplicates (client retries).
* ``labels.csv`` (CSV).  ``links.parquet``: ``referred_by``, ``team_member``, ``same_org`` with
  a ``weight``.
* ``truth.parquet``: ``account_id``, ``group_id`` (``G0001`` ..., null outside groups),
  ``group_kind`` (``organic`` / ``lone_bad`` outside groups), ``is_bad``.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timezone

import numpy as np
import polars as pl

DAY = 86400
HOUR = 3600
MIN = 60


def _ts(y: int, m: int, d: int) -> int:
    return int(datetime(y, m, d, tzinfo=timezone.utc).timestamp())


LAUNCH = _ts(2015, 3, 1)
T0 = _ts(2024, 1, 1)
T1 = _ts(2024, 10, 1)

KINDS = ["browser_fp", "login_ip", "phone_hash", "email_hash", "payout_account", "bank_last4", "card_fp"]
K_FP, K_IP, K_PHONE, K_EMAIL, K_PAYOUT, K_L4, K_CARD = range(7)
PREFIX = ["bfp_", "ip_", "ph_", "em_", "po_", "l4_", "cf_"]
WIDTH = [16, 12, 14, 16, 12, 8, 14]

ACTIONS = ["login", "gig_view", "favorite", "publish_gig", "post_job", "bid", "message", "hire",
           "order_gig", "deliver", "pay", "tip", "review_1", "review_2", "review_3", "review_4",
           "review_5", "withdraw", "chargeback", "dispute"]
A = {a: i for i, a in enumerate(ACTIONS)}
S_ACC, S_JOB, S_GIG, S_PAY, S_SURF = range(5)
SURFACES = ["app:web", "app:ios", "app:android"]

COUNTRIES = [  # iso, weight, utc offset (h), payout-hub country
    ("US", 20, -5, 0), ("IN", 13, 5, 0), ("GB", 6, 0, 0), ("PK", 6, 5, 1), ("PH", 7, 8, 1),
    ("UA", 4, 2, 0), ("NG", 5, 1, 1), ("BD", 5, 6, 1), ("DE", 4, 1, 0), ("CA", 4, -5, 0),
    ("BR", 5, -3, 0), ("EG", 3, 2, 1), ("AU", 3, 10, 0), ("FR", 3, 1, 0), ("ES", 2, 1, 0),
    ("KE", 3, 3, 1), ("VN", 4, 7, 0), ("RO", 2, 2, 0), ("ID", 4, 7, 0), ("MX", 3, -6, 0),
]
C_ISO = np.array([c[0] for c in COUNTRIES])
C_W = np.array([c[1] for c in COUNTRIES], float)
C_W /= C_W.sum()
C_TZ = np.array([c[2] for c in COUNTRIES], np.int64)
C_HUB = np.array([c[3] for c in COUNTRIES], bool)

_D = np.array([1, .6, .4, .3, .3, .5, 1, 2, 3.5, 5, 6, 6, 5.5, 5.5, 6, 6, 5.5, 5, 5, 5.5, 6, 5, 3.5, 2])
DIURNAL = _D / _D.sum()
RATING_P = np.array([0.04, 0.03, 0.06, 0.17, 0.70])  # review_1 .. review_5
M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def hexify(u: np.ndarray, width: int) -> np.ndarray:
    u = u.astype(np.uint64)
    shifts = (np.arange(width - 1, -1, -1, dtype=np.uint64) * np.uint64(4))
    d = ((u[:, None] >> shifts[None, :]) & np.uint64(15)).astype(np.intp)
    b = np.ascontiguousarray(_HEX[d])
    return b.view(f"S{width}").ravel().astype(f"U{width}")


def zipf_w(k: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, k + 1) ** s
    return w / w.sum()


class Market:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.seed = seed
        self.scale = n / 20000
        self.rng = np.random.default_rng([seed, 18018])
        self.counters = [0] * len(KINDS)
        self.sig_parts: list[tuple] = []
        self.ev_parts: list[tuple] = []
        self.link_parts: list[tuple] = []
        self.groups: list[tuple[str, bool]] = []
        self.gid = np.full(n, -1, np.int64)
        self.lone = np.zeros(n, bool)
        self.phase_b: list = []
        self.pool = self.rng.permutation(n)
        self.pool_pos = 0
        self._base_accounts()
        self.job_client: list[np.ndarray] = []
        self.job_time: list[np.ndarray] = []
        self.job_cat: list[np.ndarray] = []
        self.njobs = 0
        self.ready = False
        self.gig_owner: list[np.ndarray] = []
        self.gig_time: list[np.ndarray] = []
        self.ngigs = 0

    # ---------------------------------------------------------------- basics
    def cnt(self, base: float) -> int:
        return max(1, int(round(base * self.scale)))

    def _base_accounts(self) -> None:
        n, r = self.n, self.rng
        k = 0.25 / (365 * DAY)
        L = T1 - 20 * DAY - LAUNCH
        u = r.random(n)
        self.created = (LAUNCH + np.log1p(u * np.expm1(k * L)) / k).astype(np.int64)
        self.atype = r.choice(3, n, p=[0.36, 0.52, 0.12]).astype(np.int8)  # client, freelancer, both
        self.country = r.choice(len(COUNTRIES), n, p=C_W).astype(np.int64)
        w = r.lognormal(0.0, 1.15, n)
        w[r.random(n) < 0.10] *= 0.05
        self.w = w
        self.lo = np.maximum(self.created, T0)
        self.hi = np.full(n, T1, np.int64)
        churn = r.random(n) < 0.10
        self.hi[churn] = T0 + (r.random(churn.sum()) * (T1 - T0)).astype(np.int64)
        self.surface = r.choice(3, n, p=[0.5, 0.25, 0.25]).astype(np.int64)
        self.own = {k: np.ones(n, bool) for k in (K_FP, K_IP, K_PHONE, K_PAYOUT, K_CARD)}
        self.payout_primary = np.full(n, -1, np.int64)
        self.pop_boost = np.ones(n)

    def take(self, k: int) -> np.ndarray:
        k = min(k, self.n - self.pool_pos)
        out = self.pool[self.pool_pos:self.pool_pos + k]
        self.pool_pos += k
        return np.sort(out)

    def new_group(self, kind: str, bad: bool, members: np.ndarray) -> int:
        g = len(self.groups)
        self.groups.append((kind, bad))
        self.gid[members] = g
        return g

    def new_vals(self, kind: int, k: int) -> np.ndarray:
        s = self.counters[kind]
        self.counters[kind] += int(k)
        return np.arange(s, s + int(k), dtype=np.int64)

    def sig(self, acc, kind: int, vid, seen) -> None:
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        if acc.size == 0:
            return
        vid = np.broadcast_to(np.asarray(vid, np.int64), acc.shape).copy()
        seen = np.broadcast_to(np.asarray(seen, np.int64), acc.shape).copy()
        self.sig_parts.append((acc, np.full(acc.size, kind, np.int8), vid, seen))

    def ev(self, acc, action: int, space: int, tid, ts, amount=None) -> None:
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        if acc.size == 0:
            return
        ts = np.broadcast_to(np.asarray(ts, np.int64), acc.shape)
        tid = np.broadcast_to(np.asarray(tid, np.int64), acc.shape)
        keep = (ts >= T0) & (ts < T1)
        amt = (np.full(acc.size, np.nan) if amount is None
               else np.broadcast_to(np.asarray(amount, float), acc.shape))
        self.ev_parts.append((acc[keep], np.full(int(keep.sum()), action, np.int8),
                              np.full(int(keep.sum()), space, np.int8), tid[keep].copy(),
                              ts[keep].copy(), np.round(amt[keep], 2)))

    def link(self, a, b, kind: str, weight: float) -> None:
        a = np.atleast_1d(np.asarray(a, np.int64))
        b = np.broadcast_to(np.asarray(b, np.int64), a.shape).copy()
        keep = a != b
        if keep.any():
            self.link_parts.append((a[keep], b[keep], kind, weight))

    def diurnal(self, t: np.ndarray, acc: np.ndarray) -> np.ndarray:
        day = t // DAY
        h_local = self.rng.choice(24, size=t.size, p=DIURNAL)
        h_utc = (h_local - C_TZ[self.country[acc]]) % 24
        return day * DAY + h_utc * HOUR + self.rng.integers(0, HOUR, t.size)

    def times(self, acc: np.ndarray, lo=None, hi=None, diurnal=True) -> np.ndarray:
        lo = self.lo[acc] if lo is None else np.broadcast_to(np.asarray(lo, np.int64), acc.shape)
        hi = self.hi[acc] if hi is None else np.broadcast_to(np.asarray(hi, np.int64), acc.shape)
        span = np.maximum(hi - lo, 1)
        t = lo + (self.rng.random(acc.size) * span).astype(np.int64)
        if diurnal:
            t = self.diurnal(t, acc)
        return np.clip(t, lo, np.maximum(hi, lo))

    def sample(self, mask: np.ndarray, weight: np.ndarray, m: int) -> np.ndarray:
        idx = np.flatnonzero(mask & (weight > 0))
        if idx.size == 0 or m <= 0:
            return np.zeros(0, np.int64)
        p = weight[idx] / weight[idx].sum()
        return self.rng.choice(idx, size=int(m), p=p)

    def burst(self, k: int, start: int, spread: float) -> np.ndarray:
        return start + (self.rng.random(k) * spread).astype(np.int64)

    def pick(self, vals: np.ndarray, k: int) -> np.ndarray:
        return vals[self.rng.integers(0, vals.size, k)]

    def is_client(self) -> np.ndarray:
        return self.atype != 1

    def is_free(self) -> np.ndarray:
        return self.atype != 0

    # ------------------------------------------------------------ jobs, gigs
    def add_jobs(self, client: np.ndarray, t: np.ndarray, cat=None) -> np.ndarray:
        ids = np.arange(self.njobs, self.njobs + client.size, dtype=np.int64)
        self.njobs += client.size
        if cat is None:
            cat = self.rng.choice(30, client.size, p=zipf_w(30, 0.8))
        self.job_client.append(client.astype(np.int64))
        self.job_time.append(t.astype(np.int64))
        self.job_cat.append(np.asarray(cat, np.int64))
        self.ev(client, A["post_job"], S_JOB, ids, t)
        if self.ready:
            self.finish_tables()
        return ids

    def add_gigs(self, owner: np.ndarray, t: np.ndarray) -> np.ndarray:
        ids = np.arange(self.ngigs, self.ngigs + owner.size, dtype=np.int64)
        self.ngigs += owner.size
        self.gig_owner.append(owner.astype(np.int64))
        self.gig_time.append(t.astype(np.int64))
        self.ev(owner, A["publish_gig"], S_GIG, ids, t)
        if self.ready:
            self.finish_tables()
        return ids

    def jobs_in(self, t_lo: int, t_hi: int) -> np.ndarray:
        """Organic jobs posted in [t_lo, t_hi)."""
        a, b = np.searchsorted(self.oj_t, [t_lo, t_hi])
        return self.oj_id[a:b]

    # ------------------------------------------------------- contract chain
    def chain(self, c, f, t, *, amount, rating=None, rating_p=RATING_P, review_p=0.65, tip_p=0.1,
              gig_p=0.4, msg_mean=1.5, dur_med_h=72.0, dur_sigma=1.0, review_med_h=30.0,
              withdraw_p=0.5, payout=None, dispute_p=0.0, chargeback_p=0.0) -> None:
        r = self.rng
        c = np.asarray(c, np.int64)
        f = np.asarray(f, np.int64)
        t = np.asarray(t, np.int64)
        k = c.size
        if k == 0:
            return
        amount = np.broadcast_to(np.asarray(amount, float), (k,))
        use_gig = (r.random(k) < gig_p) & (self.g_cnt[f] > 0)
        gi = np.where(use_gig, self.g_first[f] + (r.random(k) * np.maximum(self.g_cnt[f], 1)).astype(np.int64), 0)
        gig = self.g_sorted[np.minimum(gi, max(self.g_sorted.size - 1, 0))] if self.g_sorted.size else gi
        self.ev(c[use_gig], A["order_gig"], S_GIG, gig[use_gig], t[use_gig])
        self.ev(c[~use_gig], A["hire"], S_ACC, f[~use_gig], t[~use_gig])
        td = t + (r.lognormal(np.log(dur_med_h * HOUR), dur_sigma, k)).astype(np.int64)
        nm = r.poisson(msg_mean, k)
        if nm.sum():
            rep = np.repeat(np.arange(k), nm)
            tm = t[rep] + ((r.random(rep.size) * 1.2 - 0.2) * (td[rep] - t[rep])).astype(np.int64)
            side = r.random(rep.size) < 0.5
            self.ev(np.where(side, c[rep], f[rep]), A["message"], S_ACC,
                    np.where(side, f[rep], c[rep]), tm)
        self.ev(f, A["deliver"], S_ACC, c, td)
        tp = td + (r.random(k) * 2 * DAY).astype(np.int64)
        self.ev(c, A["pay"], S_ACC, f, tp, amount)
        rv = r.random(k) < review_p
        if rv.any():
            if rating is None:
                rt = r.choice(5, int(rv.sum()), p=rating_p)
            else:
                rt = np.broadcast_to(np.asarray(rating, np.int64), (k,))[rv]
            tr = tp[rv] + r.lognormal(np.log(review_med_h * HOUR), 1.0, int(rv.sum())).astype(np.int64)
            for s in range(5):
                m = rt == s
                self.ev(c[rv][m], A["review_1"] + s, S_ACC, f[rv][m], tr[m])
        tip = r.random(k) < tip_p
        self.ev(c[tip], A["tip"], S_ACC, f[tip], tp[tip] + r.integers(60, HOUR, int(tip.sum())),
                amount[tip] * r.uniform(0.05, 0.2, int(tip.sum())))
        po = self.payout_primary[f] if payout is None else np.broadcast_to(np.asarray(payout, np.int64), (k,))
        wd = (r.random(k) < withdraw_p) & (po >= 0)
        self.ev(f[wd], A["withdraw"], S_PAY, po[wd], tp[wd] + r.integers(2 * HOUR, 8 * DAY, int(wd.sum())),
                amount[wd] * 0.9)
        if dispute_p:
            d = r.random(k) < dispute_p
            self.ev(c[d], A["dispute"], S_ACC, f[d], td[d] + r.integers(HOUR, 5 * DAY, int(d.sum())))
        if chargeback_p:
            d = r.random(k) < chargeback_p
            self.ev(c[d], A["chargeback"], S_ACC, f[d], tp[d] + r.integers(10 * DAY, 60 * DAY, int(d.sum())))

    def bids(self, f: np.ndarray, jobs: np.ndarray, ts: np.ndarray, msg_p: float = 0.0) -> None:
        self.ev(f, A["bid"], S_JOB, jobs, ts)
        if msg_p:
            m = self.rng.random(f.size) < msg_p
            self.ev(f[m], A["message"], S_ACC, self.jc_all[jobs[m]], ts[m] + self.rng.integers(5, 600, int(m.sum())))

    # ============================================================ BAD groups
    def review_boost_ring(self, variant: str) -> None:
        r = self.rng
        if variant == "rotating":
            ns, nc = int(r.integers(4, 9)), int(r.integers(30, 46))
        else:
            ns, nc = int(r.integers(1, 4)), int(r.integers(6, 41))
        acc = self.take(ns + nc)
        sellers, fakes = acc[:ns], acc[ns:]
        self.new_group("review_boost_ring", True, acc)
        self.atype[sellers] = 1
        self.atype[fakes] = 0
        self.created[sellers] = T0 - r.integers(120, 4 * 365, ns) * DAY
        self.w[sellers] = r.uniform(1.0, 4.0, ns)
        self.pop_boost[sellers] = 0.5
        camp = int(r.integers(T0 + 20 * DAY, T1 - 70 * DAY))
        if variant == "blunt":
            self.created[fakes] = self.burst(nc, camp - int(r.integers(3, 40)) * DAY, 2 * DAY)
            self.w[fakes] = 0.03
            for k in (K_FP, K_IP, K_CARD, K_PHONE):
                self.own[k][fakes] = False
            fps = self.new_vals(K_FP, r.integers(1, 4))
            ips = self.new_vals(K_IP, r.integers(1, 3))
            cards = self.new_vals(K_CARD, r.integers(1, 3))
            self.sig(fakes, K_FP, self.pick(fps, nc), self.created[fakes])
            self.sig(fakes, K_IP, self.pick(ips, nc), self.created[fakes])
            self.sig(fakes, K_CARD, self.pick(cards, nc), self.created[fakes] + r.integers(60, DAY, nc))
            ph = fakes[r.random(nc) < 0.5]
            self.sig(ph, K_PHONE, self.pick(self.sms, ph.size), self.created[ph])
            if r.random() < 0.5:
                self.sig(sellers[:1], K_FP, fps[:1], camp - DAY)
        elif variant == "jittered":
            aged = r.random(nc) < 0.6
            self.created[fakes] = np.where(aged, T0 - r.integers(365, 3 * 365, nc) * DAY,
                                           T0 + r.integers(0, int((camp - T0) / DAY) + 1, nc) * DAY)
            sub = self.pick(self.resi, int(r.integers(15, 41)))
            k = r.integers(1, 4, nc)
            rep = np.repeat(fakes, k)
            self.sig(rep, K_IP, self.pick(sub, rep.size), camp - r.integers(0, 30 * DAY, rep.size))
            pre = fakes[r.random(nc) < 0.35]
            self.own[K_CARD][pre] = False
            self.sig(pre, K_CARD, self.pick(self.new_vals(K_CARD, 2), pre.size), camp - r.integers(0, 20 * DAY, pre.size))
        else:  # rotating review service
            waves = r.integers(T0 - 200 * DAY, camp - 5 * DAY, 3)
            self.created[fakes] = self.pick(waves, nc) + r.integers(0, 8 * HOUR, nc)
            self.w[fakes] = 0.3
            for k in (K_FP, K_IP, K_PHONE):
                self.own[k][fakes] = False
            self.sig(fakes, K_PHONE, self.pick(self.sms, nc), self.created[fakes])
            fps = self.new_vals(K_FP, r.integers(4, 9))
            k = r.integers(1, 3, nc)
            rep = np.repeat(fakes, k)
            self.sig(rep, K_FP, self.pick(fps, rep.size), self.created[rep])
            k = r.integers(3, 7, nc)
            rep = np.repeat(fakes, k)
            self.sig(rep, K_IP, self.pick(self.resi, rep.size), self.created[rep] + r.integers(0, 120 * DAY, rep.size))

        def events() -> None:
            if variant == "blunt":
                k = r.integers(1, 3, (nc, ns))
                pairs = np.argwhere(k > 0)
                pairs = np.repeat(pairs, k[pairs[:, 0], pairs[:, 1]], axis=0)
                ci, si = pairs[:, 0], pairs[:, 1]
                t = camp + r.integers(0, 3 * DAY, ci.size)
                self.chain(fakes[ci], sellers[si], t, amount=r.uniform(5, 15, ci.size), rating=4,
                           review_p=0.97, tip_p=0.0, gig_p=0.6, msg_mean=0.5, dur_med_h=2, dur_sigma=0.6,
                           review_med_h=1.0, withdraw_p=0.3)
            elif variant == "jittered":
                win = int(r.integers(21, 57)) * DAY
                k = r.integers(1, 4, (nc, ns))
                pairs = np.argwhere(k > 0)
                pairs = np.repeat(pairs, k[pairs[:, 0], pairs[:, 1]], axis=0)
                t = self.diurnal(camp + r.integers(0, win, len(pairs)), fakes[pairs[:, 0]])
                self.chain(fakes[pairs[:, 0]], sellers[pairs[:, 1]], t, amount=r.uniform(10, 40, len(pairs)),
                           rating=np.where(r.random(len(pairs)) < 0.9, 4, 3), review_p=0.95, tip_p=0.05,
                           msg_mean=1.5, dur_med_h=20, review_med_h=20)
                pop = self.sample(self.is_free(), self.fpop, nc * 2)
                cf = np.repeat(fakes, 2)
                self.chain(cf, pop, self.times(cf), amount=r.lognormal(3.5, 0.6, cf.size), rating=4, review_p=0.7)
            else:
                for j, s in enumerate(sellers):
                    nw = int(r.integers(10, 21))
                    tw = r.integers(camp - 60 * DAY, min(camp + 120 * DAY, T1), nw)
                    m = r.random((nw, nc)) < r.uniform(0.2, 0.4)
                    wi, ci = np.nonzero(m)
                    t = tw[wi] + r.integers(0, 6 * HOUR, wi.size)
                    t = np.maximum(t, self.created[fakes[ci]] + DAY)
                    self.chain(fakes[ci], np.full(ci.size, s), t, amount=r.uniform(5, 20, ci.size), rating=4,
                               review_p=0.98, tip_p=0.0, gig_p=0.7, msg_mean=0.3, dur_med_h=3,
                               review_med_h=2, withdraw_p=0.2)
        self.phase_b.append(events)

    def account_farm(self, variant: str) -> None:
        r = self.rng
        m = int(min(120, 10 + r.pareto(1.0) * 15))
        acc = self.take(m)
        self.new_group("account_farm", True, acc)
        self.atype[acc] = 1
        self.w[acc] = 0.1
        waves = r.integers(T0 - 2 * 365 * DAY, T1 - 60 * DAY, int(r.integers(2, 5)))
        self.created[acc] = self.pick(waves, m) + r.integers(0, 6 * HOUR, m)
        self.lo[acc] = np.maximum(self.created[acc], T0)
        self.own[K_PHONE][acc] = False
        ph = acc[r.random(m) < 0.8]
        self.sig(ph, K_PHONE, self.pick(self.sms, ph.size), self.created[ph])
        self.own[K_PAYOUT][acc] = False
        self.own[K_IP][acc] = False
        if variant == "hard":
            k = r.integers(2, 5, m)
            rep = np.repeat(acc, k)
            self.sig(rep, K_IP, self.pick(self.resi, rep.size), self.created[rep] + r.integers(0, 90 * DAY, rep.size))
            po = self.new_vals(K_PAYOUT, 1)
            half = r.random(m) < 0.5
            self.payout_primary[acc[half]] = po[0]
            self.sig(acc[half], K_PAYOUT, po[0], self.created[acc[half]] + r.integers(DAY, 30 * DAY, int(half.sum())))
            rest = acc[~half]
            opo = self.new_vals(K_PAYOUT, rest.size)
            self.payout_primary[rest] = opo
            self.sig(rest, K_PAYOUT, opo, self.created[rest] + DAY)
        else:
            self.own[K_FP][acc] = False
            fps = self.new_vals(K_FP, r.integers(1, 6))
            k = r.integers(1, 3, m)
            rep = np.repeat(acc, k)
            self.sig(rep, K_FP, self.pick(fps, rep.size), self.created[rep])
            ips = np.concatenate([self.pick(self.dc, int(r.integers(1, 4))), self.new_vals(K_IP, r.integers(1, 4))])
            k = r.integers(1, 4, m)
            rep = np.repeat(acc, k)
            self.sig(rep, K_IP, self.pick(ips, rep.size), self.created[rep] + r.integers(0, 30 * DAY, rep.size))
            pos = self.new_vals(K_PAYOUT, r.integers(1, 4))
            self.payout_primary[acc] = self.pick(pos, m)
            self.sig(acc, K_PAYOUT, self.payout_primary[acc], self.created[acc] + r.integers(HOUR, 20 * DAY, m))
        if r.random() < 0.4:
            self.link(acc[1:], acc[0], "referred_by", 0.5)
        sale = None
        if variant == "sold":
            sale = int(min(T1 - 15 * DAY, max(self.created[acc].max(), T0) + int(r.integers(30, 210)) * DAY))
            sold = acc[r.random(m) < r.uniform(0.4, 1.0)]
            bf = self.new_vals(K_FP, r.integers(1, 4))
            bi = self.new_vals(K_IP, r.integers(1, 4))
            bp = self.new_vals(K_PAYOUT, r.integers(1, 3))
            st = sale + r.integers(0, 3 * DAY, sold.size)
            self.sig(sold, K_FP, self.pick(bf, sold.size), st)
            self.sig(sold, K_IP, self.pick(bi, sold.size), st)
            self.sig(sold, K_PAYOUT, self.pick(bp, sold.size), st + r.integers(HOUR, 2 * DAY, sold.size))
            buyer_po = np.full(self.n, -1, np.int64)
            buyer_po[sold] = self.pick(bp, sold.size)

        def events() -> None:
            start = max(T0, int(self.created[acc].min()))
            ns = int(r.integers(20, 61))
            st = np.sort(r.integers(start, T1 - DAY, ns))
            for s in st:
                live = acc[self.created[acc] < s]
                if live.size == 0:
                    continue
                k = min(live.size, int(r.integers(5, 16)))
                sess = r.choice(live, k, replace=False)
                t_acc = s + np.cumsum(r.integers(2 * MIN, 6 * MIN, k))
                self.ev(sess, A["login"], S_SURF, 0, t_acc)
                recent = self.jobs_in(s - DAY, s)
                if recent.size == 0:
                    continue
                nb = r.integers(2, 7, k)
                rep = np.repeat(np.arange(k), nb)
                jb = self.pick(recent, rep.size)
                shared = self.pick(recent, 1)[0]
                jb[r.random(rep.size) < 0.3] = shared
                self.bids(sess[rep], jb, t_acc[rep] + r.integers(10, 4 * MIN, rep.size))
            ng = r.integers(1, 4, m)
            rep = np.repeat(acc, ng)
            self.add_gigs(rep, np.maximum(self.created[rep], T0) + r.integers(HOUR, 20 * DAY, rep.size))
            for d in r.integers(start, T1, int(r.integers(4, 11))):
                wa = acc[(r.random(m) < r.uniform(0.3, 0.8)) & (self.created[acc] < d)]
                po = self.payout_primary[wa]
                if sale is not None and d > sale:
                    po = np.where(buyer_po[wa] >= 0, buyer_po[wa], po)
                self.ev(wa, A["withdraw"], S_PAY, po, d + r.integers(0, HOUR, wa.size), r.uniform(50, 400, wa.size))
        self.phase_b.append(events)

    def bid_spam_bot(self, variant: str) -> None:
        r = self.rng
        m = int(r.choice([int(r.integers(20, 60)), int(r.integers(60, 201))], p=[0.5, 0.5]))
        acc = self.take(m)
        self.new_group("bid_spam_bot", True, acc)
        self.atype[acc] = 1
        self.w[acc] = 0.02
        b0 = int(r.integers(T0 - 90 * DAY, T1 - 60 * DAY))
        bursts = np.array([b0, b0 + int(r.integers(2, 30)) * DAY])
        self.created[acc] = self.pick(bursts[: int(r.integers(1, 3))], m) + r.integers(0, DAY, m)
        self.lo[acc] = np.maximum(self.created[acc], T0)
        for k in (K_IP, K_PHONE, K_PAYOUT):
            self.own[k][acc] = False
        if variant != "hard":
            self.own[K_FP][acc] = False
            self.sig(acc, K_FP, self.pick(self.new_vals(K_FP, r.integers(2, 5)), m), self.created[acc])
        sub = self.pick(self.resi, min(self.resi.size, 2 * m + 10))
        k = r.integers(5, 16, m)
        rep = np.repeat(acc, k)
        self.sig(rep, K_IP, self.pick(sub, rep.size), self.created[rep] + r.integers(0, 60 * DAY, rep.size))
        self.sig(acc, K_IP, self.pick(self.dc, 1)[0], self.created[acc])
        ph = acc[r.random(m) < 0.2]
        self.sig(ph, K_PHONE, self.pick(self.sms, ph.size), self.created[ph])
        pa = acc[r.random(m) < 0.3]
        pos = self.new_vals(K_PAYOUT, r.integers(1, 3))
        self.payout_primary[pa] = self.pick(pos, pa.size)
        self.sig(pa, K_PAYOUT, self.payout_primary[pa], self.created[pa] + DAY)

        def events() -> None:
            a0 = max(T0, int(self.created[acc].max()))
            a1 = min(T1, a0 + int(r.integers(20, 121)) * DAY)
            jobs = self.jobs_in(a0, a1)
            if jobs.size == 0:
                return
            cats = r.choice(30, int(r.integers(3, 7)), replace=False)
            pool = jobs[np.isin(self.jcat_all[jobs], cats)]
            if pool.size == 0:
                pool = jobs
            K = min(pool.size, int(r.integers(60, 301)))
            tj = r.choice(pool, K, replace=False)
            mm = r.random((K, m)) < r.uniform(0.2, 0.6)
            ji, bi = np.nonzero(mm)
            ts = self.jt_all[tj[ji]] + r.integers(2, 41, ji.size)
            self.bids(acc[bi], tj[ji], ts, msg_p=0.2)
            nl = r.integers(3, 20, m)
            rep = np.repeat(acc, nl)
            self.ev(rep, A["login"], S_SURF, 0, r.integers(a0, a1, rep.size))
        self.phase_b.append(events)

    def chargeback_ring(self) -> None:
        r = self.rng
        nf, na = int(r.integers(5, 31)), int(r.integers(1, 4))
        acc = self.take(nf + na)
        fakes, acm = acc[:nf], acc[nf:]
        self.new_group("chargeback_ring", True, acc)
        self.atype[fakes] = 0
        self.atype[acm] = 1
        tr = int(r.integers(T0 + 30 * DAY, T1 - 70 * DAY))
        self.created[fakes] = tr + r.integers(0, 10 * DAY, nf)
        self.created[acm] = tr - r.integers(180, 720, na) * DAY
        self.w[fakes] = 0.05
        self.lo[fakes] = self.created[fakes]
        for k in (K_FP, K_IP, K_PHONE, K_CARD):
            self.own[k][fakes] = False
        fps = self.new_vals(K_FP, r.integers(1, 4))
        self.sig(fakes, K_FP, self.pick(fps, nf), self.created[fakes])
        ips = np.concatenate([self.pick(self.dc, 1), self.pick(self.vpn, int(r.integers(1, 3)))])
        self.sig(fakes, K_IP, self.pick(ips, nf), self.created[fakes])
        self.sig(fakes, K_PHONE, self.pick(self.sms, nf), self.created[fakes])
        k = r.integers(1, 4, nf)
        rep = np.repeat(fakes, k)
        cards = self.new_vals(K_CARD, rep.size)
        reuse = r.random(rep.size) < 0.3
        cards[reuse] = self.pick(cards, int(reuse.sum()))
        self.sig(rep, K_CARD, cards, self.created[rep] + r.integers(0, 3 * DAY, rep.size))
        if r.random() < 0.4:
            self.sig(acm[:1], K_FP, fps[0], tr)
        self.own[K_PAYOUT][acm] = False
        po = self.new_vals(K_PAYOUT, 1)[0]
        self.payout_primary[acm] = po
        self.sig(acm, K_PAYOUT, po, self.created[acm] + r.integers(DAY, 60 * DAY, na))

        def events() -> None:
            tt = self.created[fakes] + r.integers(10 * MIN, 6 * HOUR, nf)
            k = r.integers(1, 4, nf)
            rep = np.repeat(np.arange(nf), k)
            vict = self.sample(self.is_free(), self.fpop, rep.size)
            self.ev(fakes[rep], A["tip"], S_ACC, vict, tt[rep] + r.integers(0, 20 * MIN, rep.size), r.uniform(1, 3, rep.size))
            k = r.integers(2, 7, nf)
            rep = np.repeat(np.arange(nf), k)
            f = self.pick(acm, rep.size)
            t = tt[rep] + r.integers(HOUR, 12 * DAY, rep.size)
            self.chain(fakes[rep], f, t, amount=r.uniform(150, 900, rep.size), rating=4, review_p=0.5,
                       tip_p=0.0, gig_p=0.7, msg_mean=0.4, dur_med_h=6, withdraw_p=0.0)
            self.ev(f, A["withdraw"], S_PAY, po, t + r.integers(8 * HOUR, 2 * DAY, rep.size), r.uniform(150, 900, rep.size))
            self.ev(fakes[rep], A["chargeback"], S_ACC, f, t + r.integers(20 * DAY, 50 * DAY, rep.size))
        self.phase_b.append(events)

    def money_collusion_ring(self, hard: bool) -> None:
        r = self.rng
        m = int(r.integers(4, 21))
        acc = self.take(m)
        self.new_group("money_collusion_ring", True, acc)
        nc = max(2, m // 2)
        cl, fr = acc[:nc], acc[nc:]
        self.atype[cl] = np.where(r.random(nc) < 0.3, 2, 0)
        self.atype[fr] = 1
        pos = self.new_vals(K_PAYOUT, 2 if hard else int(r.integers(1, 3)))
        if hard:
            self.created[acc] = T0 - r.integers(2 * 365, 5 * 365, m) * DAY
            part = fr[r.random(fr.size) < 0.5]
            self.own[K_PAYOUT][part] = False
            self.payout_primary[part] = pos[0]
            self.sig(part, K_PAYOUT, pos[0], T0 + r.integers(0, 60 * DAY, part.size))
        else:
            c0 = int(r.integers(T0 - 200 * DAY, T1 - 120 * DAY))
            self.created[acc] = c0 + r.integers(0, 21 * DAY, m)
            self.w[acc] = 0.3
            for k in (K_FP, K_CARD):
                self.own[k][acc] = False
            fps = self.new_vals(K_FP, r.integers(1, 3))
            self.sig(acc, K_FP, self.pick(fps, m), self.created[acc])
            self.sig(cl, K_CARD, self.pick(self.new_vals(K_CARD, r.integers(1, 3)), nc), self.created[cl] + DAY)
            self.own[K_PAYOUT][fr] = False
            self.payout_primary[fr] = self.pick(pos, fr.size)
            self.sig(fr, K_PAYOUT, self.payout_primary[fr], self.created[fr] + DAY)

        def events() -> None:
            start = max(T0, int(self.created[acc].max()) + 5 * DAY)
            ncy = int(r.integers(8, 31))
            cyc = np.sort(r.integers(start, T1 - 10 * DAY, ncy)) if start < T1 - 10 * DAY else np.zeros(0, np.int64)
            for t in cyc:
                k = int(r.integers(1, nc + 1))
                c = r.choice(cl, k, replace=False)
                f = self.pick(fr, k)
                tt = t + (r.integers(0, 4 * DAY, k) if hard else r.integers(0, 3 * HOUR, k))
                po = np.where(self.payout_primary[f] >= 0, self.payout_primary[f], pos[0])
                self.chain(c, f, tt, amount=r.uniform(300, 3000, k), rating=4, review_p=0.8, tip_p=0.1,
                           msg_mean=0.3, dur_med_h=48, withdraw_p=1.0, payout=po)
        self.phase_b.append(events)

    def takeover_wave(self, hard: bool) -> None:
        r = self.rng
        m = int(r.integers(10, 81))
        acc = self.take(m)
        self.new_group("takeover_wave", True, acc)
        self.atype[acc] = 1
        self.created[acc] = r.integers(_ts(2017, 1, 1), _ts(2022, 12, 31), m)
        self.lo[acc] = np.maximum(self.created[acc], T0)
        ta = int(r.integers(T0 + 90 * DAY, T1 - 10 * DAY))
        self.hi[acc] = ta - r.integers(60, 241, m) * DAY
        spread = (21 if hard else 4) * DAY
        tl = ta + r.integers(0, spread, m)
        if hard:
            self.sig(acc, K_FP, self.new_vals(K_FP, m), tl)
            self.sig(acc, K_IP, self.pick(self.resi, m), tl)
            pos = self.new_vals(K_PAYOUT, r.integers(3, 7))
        else:
            self.sig(acc, K_FP, self.pick(self.new_vals(K_FP, r.integers(1, 4)), m), tl)
            ips = np.concatenate([self.new_vals(K_IP, r.integers(1, 3)), self.pick(self.vpn, int(r.integers(1, 4)))])
            self.sig(acc, K_IP, self.pick(ips, m), tl)
            pos = self.new_vals(K_PAYOUT, r.integers(1, 3))
        po = self.pick(pos, m)
        tpo = tl + r.integers(10 * MIN, 6 * HOUR, m)
        self.sig(acc, K_PAYOUT, po, tpo)

        def events() -> None:
            nl = r.integers(1, 5, m)
            rep = np.repeat(np.arange(m), nl)
            self.ev(acc[rep], A["login"], S_SURF, 0, tl[rep] + r.integers(0, 2 * DAY, rep.size))
            nw = r.integers(1, 4, m)
            rep = np.repeat(np.arange(m), nw)
            self.ev(acc[rep], A["withdraw"], S_PAY, po[rep], tpo[rep] + r.integers(HOUR, 2 * DAY, rep.size),
                    r.uniform(50, 800, rep.size))
            ph = np.flatnonzero(r.random(m) < 0.5)
            k = r.integers(3, 11, ph.size)
            rep = np.repeat(ph, k)
            vic = self.sample(self.is_client(), self.w, rep.size)
            self.ev(acc[rep], A["message"], S_ACC, vic, tl[rep] + r.integers(HOUR, 3 * DAY, rep.size))
        self.phase_b.append(events)

    def job_scam_crew(self) -> None:
        r = self.rng
        m = int(r.integers(5, 26))
        acc = self.take(m)
        self.new_group("job_scam_crew", True, acc)
        self.atype[acc] = 0
        b = r.integers(T0 - 30 * DAY, T1 - 60 * DAY, int(r.integers(1, 4)))
        self.created[acc] = self.pick(b, m) + r.integers(0, 12 * HOUR, m)
        self.lo[acc] = np.maximum(self.created[acc], T0)
        self.w[acc] = 0.05
        for k in (K_FP, K_IP, K_PHONE):
            self.own[k][acc] = False
        self.sig(acc, K_PHONE, self.pick(self.sms, m), self.created[acc])
        self.sig(acc, K_FP, self.pick(self.new_vals(K_FP, r.integers(1, 4)), m), self.created[acc])
        k = r.integers(1, 3, m)
        rep = np.repeat(acc, k)
        self.sig(rep, K_IP, self.pick(self.pick(self.vpn, int(r.integers(2, 5))), rep.size), self.created[rep])

        def events() -> None:
            nj = r.integers(3, 11, m)
            rep = np.repeat(acc, nj)
            tj = np.maximum(self.lo[rep], T0) + r.integers(HOUR, 40 * DAY, rep.size)
            jobs = self.add_jobs(rep, tj)
            nb = r.integers(3, 16, jobs.size)
            jr = np.repeat(np.arange(jobs.size), nb)
            bidders = self.sample(self.is_free(), self.w, jr.size)
            tb = tj[jr] + r.lognormal(np.log(2 * HOUR), 1.0, jr.size).astype(np.int64)
            self.ev(bidders, A["bid"], S_JOB, jobs[jr], tb)
            o = np.lexsort((tb, bidders))
            vic, first = np.unique(bidders[o], return_index=True)
            tv = tb[o][first] + r.integers(10 * MIN, 6 * HOUR, vic.size)
            k = r.integers(2, 6, vic.size)
            vr = np.repeat(np.arange(vic.size), k)
            sender = self.pick(acc, vr.size)
            self.ev(sender, A["message"], S_ACC, vic[vr], tv[vr] + r.integers(0, 30 * MIN, vr.size))
        self.phase_b.append(events)

    def lone_bad(self) -> None:
        r = self.rng
        m = max(1, int(round(0.005 * self.n)))
        acc = self.take(m)
        self.lone[acc] = True
        kind = r.integers(0, 3, m)
        tester = acc[kind == 0]
        self.atype[tester] = 0
        k = r.integers(3, 9, tester.size)
        rep = np.repeat(tester, k)
        self.sig(rep, K_CARD, self.new_vals(K_CARD, rep.size), self.created[rep] + r.integers(0, 60 * DAY, rep.size))
        spam = acc[kind == 1]
        self.atype[spam] = 1
        scam = acc[kind == 2]
        self.atype[scam] = 0

        def events() -> None:
            if tester.size:
                k = r.integers(5, 30, tester.size)
                rep = np.repeat(tester, k)
                t = self.times(rep)
                self.ev(rep, A["tip"], S_ACC, self.sample(self.is_free(), self.fpop, rep.size), t, r.uniform(1, 3, rep.size))
                cb = rep[r.random(rep.size) < 0.3]
                self.ev(cb, A["chargeback"], S_ACC, self.sample(self.is_free(), self.fpop, cb.size), self.times(cb))
            if spam.size:
                for a in spam:
                    s = int(self.times(np.array([a]))[0])
                    jobs = self.jobs_in(s, s + 4 * DAY)
                    if jobs.size == 0:
                        continue
                    k = min(jobs.size, int(r.integers(200, 801)))
                    j = r.choice(jobs, k, replace=False)
                    self.bids(np.full(k, a), j, self.jt_all[j] + r.integers(5, 120, k), msg_p=0.3)
            if scam.size:
                k = r.integers(30, 150, scam.size)
                rep = np.repeat(scam, k)
                self.ev(rep, A["message"], S_ACC, self.sample(self.is_free(), self.w, rep.size), self.times(rep))
        self.phase_b.append(events)

    # ======================================================== BENIGN groups
    def agency(self) -> None:
        r = self.rng
        m = int(min(40, 3 + r.pareto(1.3) * 4))
        acc = self.take(m)
        self.new_group("agency", False, acc)
        self.atype[acc] = 1
        self.atype[acc[0]] = 2
        c0 = int(r.integers(LAUNCH, T1 - 200 * DAY))
        self.created[acc] = np.sort(r.integers(c0, T1 - 30 * DAY, m))
        self.created[acc[0]] = c0
        self.lo[acc] = np.maximum(self.created[acc], T0)
        self.w[acc] *= 1.5
        office = self.new_vals(K_IP, r.integers(1, 3))
        self.sig(acc, K_IP, self.pick(office, m), self.created[acc])
        po = self.new_vals(K_PAYOUT, 1)[0]
        share = acc[r.random(m) < r.uniform(0.7, 1.0)]
        self.own[K_PAYOUT][share] = False
        self.payout_primary[share] = po
        self.sig(share, K_PAYOUT, po, np.maximum(self.created[share], c0 + 30 * DAY))
        if r.random() < 0.33:
            ws = acc[r.random(m) < r.uniform(0.3, 0.6)]
            self.sig(ws, K_FP, self.pick(self.new_vals(K_FP, r.integers(1, 4)), ws.size), self.created[ws])
        if r.random() < 0.4:
            ph = acc[: int(r.integers(2, 5))]
            self.sig(ph, K_PHONE, self.new_vals(K_PHONE, 1)[0], self.created[ph])
        self.link(np.full(m - 1, acc[0]), acc[1:], "team_member", 1.0)

        def events() -> None:
            p = int(r.integers(5, 31))
            for t in r.integers(T0, T1 - DAY, p):
                jobs = self.jobs_in(int(t) - 2 * DAY, int(t))
                live = acc[(self.created[acc] < t)]
                if jobs.size == 0 or live.size < 2:
                    continue
                j = self.pick(jobs, 1)[0]
                k = min(live.size, int(r.integers(2, 6)))
                f = r.choice(live, k, replace=False)
                self.bids(f, np.full(k, j), t + r.integers(0, 3 * HOUR, k))
        self.phase_b.append(events)

    def shared_site(self, kind: str) -> None:
        r = self.rng
        if kind == "coworking_space":
            m = int(r.integers(50, 301))
        else:
            m = int(r.integers(150, 601))
        acc = self.take(m)
        self.new_group(kind, False, acc)
        if kind == "coworking_space":
            self.created[acc] = r.integers(LAUNCH, T1 - 10 * DAY, m)
            ips = self.new_vals(K_IP, 2)
            guest = r.random(m) < 0.3
            self.sig(acc, K_IP, ips[0], self.created[acc] + r.integers(0, 300 * DAY, m))
            self.sig(acc[guest], K_IP, ips[1], self.created[acc[guest]] + r.integers(0, 300 * DAY, int(guest.sum())))
        else:
            self.atype[acc] = r.choice(3, m, p=[0.05, 0.7, 0.25])
            yrs = r.integers(2018, 2025, m)
            sem = np.where(r.random(m) < 0.55, 9, 2)
            base = np.array([_ts(int(y), int(s), 1) for y, s in zip(*np.unique(np.stack([yrs, sem]), axis=1))], np.int64)
            keys = np.unique(np.stack([yrs, sem]), axis=1)
            idx = np.searchsorted(keys[0] * 100 + keys[1], yrs * 100 + sem)
            self.created[acc] = np.minimum(base[idx] + r.integers(0, 21 * DAY, m), T1 - 5 * DAY)
            ips = self.new_vals(K_IP, r.integers(2, 5))
            self.sig(acc, K_IP, self.pick(ips, m), self.created[acc])
            lab = acc[r.random(m) < 0.3]
            fps = self.new_vals(K_FP, r.integers(5, 16))
            self.sig(lab, K_FP, self.pick(fps, lab.size), self.created[lab] + r.integers(0, 90 * DAY, lab.size))
        self.lo[acc] = np.maximum(self.created[acc], T0)
        self.phase_b.append(lambda: None)

    def bootcamp_cohort(self) -> None:
        r = self.rng
        m = int(r.integers(15, 61))
        npc = int(r.integers(1, 3))
        acc = self.take(m + npc)
        stu, pc = acc[:m], acc[m:]
        self.new_group("bootcamp_cohort", False, acc)
        self.atype[stu] = 1
        self.atype[pc] = 0
        tc = int(r.integers(T0 - 30 * DAY, T1 - 70 * DAY))
        self.created[stu] = tc + r.integers(0, 3 * DAY, m)
        self.created[pc] = tc - r.integers(200, 1500, npc) * DAY
        self.lo[acc] = np.maximum(self.created[acc], T0)
        camp = self.new_vals(K_IP, r.integers(1, 3))
        self.sig(stu, K_IP, self.pick(camp, m), self.created[stu])
        self.sig(pc, K_IP, camp[0], tc)
        lab = stu[r.random(m) < 0.4]
        self.sig(lab, K_FP, self.pick(self.new_vals(K_FP, r.integers(2, 7)), lab.size), self.created[lab])

        def events() -> None:
            k = int(r.integers(5, 16))
            owner = self.pick(pc, k)
            tj = np.maximum(tc + 5 * DAY + np.sort(r.integers(0, 60 * DAY, k)), T0)
            tj = tj - tj % DAY + (14 - C_TZ[self.country[owner]]) % 24 * HOUR
            jobs = self.add_jobs(owner, tj)
            mm = r.random((k, m)) < r.uniform(0.5, 0.9)
            ji, si = np.nonzero(mm)
            self.bids(stu[si], jobs[ji], tj[ji] + r.integers(10 * MIN, 60 * MIN, ji.size))
            nh = r.integers(1, 4, k)
            hj = np.repeat(np.arange(k), nh)
            self.chain(owner[hj], self.pick(stu, hj.size), tj[hj] + r.integers(DAY, 3 * DAY, hj.size),
                       amount=r.uniform(20, 60, hj.size), rating=4, review_p=0.9, gig_p=0.0, msg_mean=2,
                       dur_med_h=48)
        self.phase_b.append(events)

    def enterprise_client(self) -> None:
        r = self.rng
        m = int(min(40, 5 + r.pareto(1.2) * 6))
        acc = self.take(m)
        self.new_group("enterprise_client", False, acc)
        self.atype[acc] = 0
        self.created[acc] = r.integers(LAUNCH, T1 - 30 * DAY, m)
        self.lo[acc] = np.maximum(self.created[acc], T0)
        card = self.new_vals(K_CARD, 1)[0]
        sh = acc[r.random(m) < 0.8]
        self.own[K_CARD][sh] = False
        self.sig(sh, K_CARD, card, self.created[sh])
        ips = self.new_vals(K_IP, r.integers(1, 4))
        self.sig(acc, K_IP, self.pick(ips, m), self.created[acc])
        self.link(acc[1:], np.full(m - 1, acc[0]), "same_org", 0.8)

        def events() -> None:
            vend = self.sample(self.is_free() & (self.gid < 0), self.fpop, int(r.integers(3, 11)))
            k = r.integers(3, 11, m)
            rep = np.repeat(acc, k)
            f = np.where(r.random(rep.size) < 0.7, self.pick(vend, rep.size),
                         self.sample(self.is_free(), self.fpop, rep.size))
            self.chain(rep, f, self.times(rep), amount=r.lognormal(6.0, 0.8, rep.size), review_p=0.5,
                       gig_p=0.1, msg_mean=3)
        self.phase_b.append(events)

    def household(self) -> None:
        r = self.rng
        m = int(r.choice([2, 2, 2, 3, 3, 4, 5]))
        acc = self.take(m)
        self.new_group("household", False, acc)
        if r.random() < 0.2:
            self.created[acc] = self.created[acc[0]] + r.integers(0, 6 * HOUR, m)
            self.lo[acc] = np.maximum(self.created[acc], T0)
        self.sig(acc, K_IP, self.new_vals(K_IP, 1)[0], self.created[acc])
        if r.random() < 0.6:
            k = int(r.integers(2, m + 1))
            self.sig(acc[:k], K_FP, self.new_vals(K_FP, 1)[0], self.created[acc[:k]])
        if r.random() < 0.3:
            self.sig(acc[:2], K_CARD, self.new_vals(K_CARD, 1)[0], self.created[acc[:2]])
        if r.random() < 0.1:
            po = self.new_vals(K_PAYOUT, 1)[0]
            self.atype[acc[:2]] = 1
            self.own[K_PAYOUT][acc[:2]] = False
            self.payout_primary[acc[:2]] = po
            self.sig(acc[:2], K_PAYOUT, po, self.created[acc[:2]])
        self.phase_b.append(lambda: None)

    def repeat_pair(self, team: bool) -> None:
        r = self.rng
        nf = int(r.integers(3, 7)) if team else 1
        acc = self.take(1 + nf)
        self.new_group("retainer_team" if team else "repeat_pair", False, acc)
        c, fs = acc[0], acc[1:]
        self.atype[c] = 0
        self.atype[fs] = 1
        self.created[acc] = T0 - r.integers(30, 2000, acc.size) * DAY

        def events() -> None:
            k = r.integers(5, 16, nf) if team else r.integers(8, 41, nf)
            f = np.repeat(fs, k)
            self.chain(np.full(f.size, c), f, self.times(f), amount=r.lognormal(5.0, 0.7, f.size),
                       rating=np.where(r.random(f.size) < 0.9, 4, 3), review_p=0.85, gig_p=0.2, msg_mean=4)
        self.phase_b.append(events)

    def alert_power_bidders(self) -> None:
        r = self.rng
        m = int(r.integers(20, 81))
        acc = self.take(m)
        self.new_group("alert_power_bidders", False, acc)
        self.atype[acc] = 1
        self.created[acc] = r.integers(LAUNCH, T0 + 60 * DAY, m)
        self.lo[acc] = np.maximum(self.created[acc], T0)
        self.w[acc] = r.uniform(1.0, 3.0, m)
        cats = r.choice(8, int(r.integers(1, 3)), replace=False)

        def events() -> None:
            jobs = self.oj_id[self.oj_urgent & np.isin(self.jcat_all[self.oj_id], cats)]
            if jobs.size == 0:
                return
            K = min(jobs.size, int(r.integers(60, 151)))
            tj = r.choice(jobs, K, replace=False)
            mm = r.random((K, m)) < r.uniform(0.25, 0.6)
            ji, ai = np.nonzero(mm)
            ts = self.jt_all[tj[ji]] + np.clip(r.lognormal(np.log(90), 0.8, ji.size), 30, 300).astype(np.int64)
            ok = ts >= self.lo[acc[ai]]
            self.bids(acc[ai][ok], tj[ji][ok], ts[ok], msg_p=0.05)
        self.phase_b.append(events)

    # ========================================================= organic parts
    def shared_pools(self) -> None:
        r = self.rng
        n = self.n
        self.sms = self.new_vals(K_PHONE, 60 + n // 500)
        self.resi = self.new_vals(K_IP, 400 + n // 50)
        self.dc = self.new_vals(K_IP, 40 + n // 1000)
        self.cg = self.new_vals(K_IP, 6 + n // 4000)
        self.vpn = self.new_vals(K_IP, 20 + n // 2000)
        self.hubs = self.new_vals(K_PAYOUT, 3 + n // 40000)

    def organic_signals(self) -> None:
        r, n = self.rng, self.n
        ids = np.arange(n, dtype=np.int64)
        cr = self.created
        later = lambda a: cr[a] + (r.random(a.size) * np.maximum(T1 - cr[a], 1)).astype(np.int64)
        # email: everyone
        self.sig(ids, K_EMAIL, self.new_vals(K_EMAIL, n), cr)
        # browsers
        a = ids[self.own[K_FP]]
        k = np.minimum(r.geometric(0.55, a.size), 4)
        rep = np.repeat(a, k)
        first = np.r_[True, rep[1:] != rep[:-1]]
        self.sig(rep, K_FP, self.new_vals(K_FP, rep.size), np.where(first, cr[rep], later(rep)))
        # IPs
        a = ids[self.own[K_IP]]
        self.sig(a, K_IP, self.new_vals(K_IP, a.size), cr[a])
        x = a[r.random(a.size) < 0.30]
        self.sig(x, K_IP, self.new_vals(K_IP, x.size), later(x))
        x = ids[r.random(n) < 0.40]
        self.sig(x, K_IP, r.choice(self.cg, x.size, p=zipf_w(self.cg.size, 1.1)), later(x))
        x = ids[r.random(n) < 0.07]
        self.sig(x, K_IP, r.choice(self.vpn, x.size, p=zipf_w(self.vpn.size, 1.0)), later(x))
        x = a[r.random(a.size) < 0.03]
        self.sig(x, K_IP, self.pick(self.resi, x.size), later(x))
        x = a[r.random(a.size) < 0.01]
        self.sig(x, K_IP, self.pick(self.dc, x.size), later(x))
        # phones (recycled numbers, a few on the SMS pool)
        a = ids[self.own[K_PHONE] & (r.random(n) < 0.85)]
        ph = self.new_vals(K_PHONE, a.size)
        order = np.argsort(cr[a], kind="stable")
        cs = cr[a][order]
        rec = np.flatnonzero(r.random(a.size) < 0.025)
        hi = np.searchsorted(cs, cr[a][rec] - 365 * DAY)
        ok = hi > 0
        rec, hi = rec[ok], hi[ok]
        donor = order[(r.random(rec.size) * hi).astype(np.int64)]
        ph[rec] = ph[donor]
        sms = r.random(a.size) < 0.003
        ph[sms] = self.pick(self.sms, int(sms.sum()))
        self.sig(a, K_PHONE, ph, cr[a] + r.integers(0, 2 * DAY, a.size))
        # payouts
        a = ids[self.own[K_PAYOUT] & self.is_free() & (r.random(n) < 0.92)]
        po = self.new_vals(K_PAYOUT, a.size)
        hub = C_HUB[self.country[a]] & (r.random(a.size) < 0.12)
        po[hub] = r.choice(self.hubs, int(hub.sum()))
        self.payout_primary[a] = po
        self.sig(a, K_PAYOUT, po, cr[a] + r.integers(DAY, 60 * DAY, a.size))
        x = a[r.random(a.size) < 0.10]
        self.sig(x, K_PAYOUT, self.new_vals(K_PAYOUT, x.size), later(x))
        # cards
        a = ids[self.own[K_CARD] & self.is_client() & (r.random(n) < 0.8)]
        k = np.where(r.random(a.size) < 0.25, 2, 1)
        rep = np.repeat(a, k)
        self.sig(rep, K_CARD, self.new_vals(K_CARD, rep.size), later(rep))
        # referrals
        x = ids[r.random(n) < 0.04]
        ref = (r.random(x.size) * n).astype(np.int64)
        ok = cr[ref] < cr[x]
        self.link(x[ok], ref[ok], "referred_by", 0.5)

    def market(self) -> None:
        r, n = self.rng, self.n
        act = (self.w > 0) & (self.hi > self.lo)
        # organic jobs
        J = int(0.5 * n)
        jc = self.sample(self.is_client() & act, self.w, J)
        jt = self.times(jc)
        order = np.argsort(jt, kind="stable")
        jc = jc[order]
        jt = jt[order]
        self.oj_id = self.add_jobs(jc, jt, r.choice(30, J, p=zipf_w(30, 0.8)))
        self.oj_t = jt
        self.jpop = r.lognormal(0, 1.0, J)
        self.oj_urgent = r.random(J) < 0.08
        # gigs
        G = int(0.35 * n)
        go = self.sample(self.is_free(), self.w ** 0.7, G)
        gt = self.created[go] + (r.random(G) * np.maximum(T1 - self.created[go], 1)).astype(np.int64)
        self.gpop = r.lognormal(0, 1.3, G)
        self.add_gigs(go, gt)
        self.fpop = np.where(self.is_free(), self.w * r.lognormal(0, 0.8, n) * self.pop_boost, 0.0)

    def finish_tables(self) -> None:
        """Job / gig lookup tables once all jobs and gigs exist."""
        self.jc_all = np.concatenate(self.job_client)
        self.jt_all = np.concatenate(self.job_time)
        self.jcat_all = np.concatenate(self.job_cat)
        go = np.concatenate(self.gig_owner)
        order = np.argsort(go, kind="stable")
        self.g_sorted = order.astype(np.int64)
        gs = go[order]
        self.g_first = np.searchsorted(gs, np.arange(self.n))
        self.g_cnt = np.searchsorted(gs, np.arange(self.n), side="right") - self.g_first

    def organic_events(self) -> None:
        r, n = self.rng, self.n
        act = (self.w > 0) & (self.hi > self.lo)
        free = self.is_free() & act
        # bids on organic jobs, time-consistent with the bidder's active interval
        B = int(4.0 * n)
        f = self.sample(free, self.w, B)
        cw = np.cumsum(self.jpop)
        cw0 = np.r_[0.0, cw]
        a = np.searchsorted(self.oj_t, self.lo[f] - 2 * DAY)
        b = np.searchsorted(self.oj_t, self.hi[f])
        ok = b > a
        f, a, b = f[ok], a[ok], b[ok]
        u = cw0[a] + r.random(f.size) * (cw0[b] - cw0[a])
        j = np.minimum(np.searchsorted(cw, u, side="right"), b - 1)
        j = np.maximum(j, a)
        ts = self.oj_t[j] + r.lognormal(np.log(4 * HOUR), 1.3, f.size).astype(np.int64)
        keep = (ts <= self.hi[f]) & (ts >= self.lo[f])
        self.bids(f[keep], self.oj_id[j[keep]], ts[keep], msg_p=0.1)
        # viral jobs: hundreds of bids within minutes
        for vj in r.choice(self.oj_id, max(2, int(round(3 * self.scale))), replace=False):
            t = int(self.jt_all[vj])
            k = int(r.integers(150, 701))
            vb = self.sample(free & (self.created < t), self.w, k)
            self.bids(vb, np.full(vb.size, vj), t + r.exponential(5 * MIN, vb.size).astype(np.int64))
        # contracts
        C = int(0.55 * n)
        c = self.sample(self.is_client() & act, self.w, C)
        fr = self.sample(free, self.fpop, C)
        t = self.times(c)
        ok = (t >= self.lo[fr]) & (t <= self.hi[fr]) & (c != fr)
        self.chain(c[ok], fr[ok], t[ok], amount=np.round(r.lognormal(4.6, 1.0, int(ok.sum())), 0),
                   dispute_p=0.01, chargeback_p=0.002)
        # gig views and favourites
        V = int(6.5 * n)
        v = self.sample(act, self.w, V)
        g = r.choice(self.gpop.size, V, p=self.gpop / self.gpop.sum())
        gt = np.concatenate(self.gig_time)[g]
        t = np.maximum(self.times(v), gt + r.integers(0, DAY, V))
        keep = t <= self.hi[v]
        v, g, t = v[keep], g[keep], t[keep]
        self.ev(v, A["gig_view"], S_GIG, g, t)
        fv = r.random(v.size) < 0.1
        self.ev(v[fv], A["favorite"], S_GIG, g[fv], t[fv] + r.integers(5, 10 * MIN, int(fv.sum())))
        # logins and extra messages
        L = int(2.5 * n)
        la = self.sample(act, np.sqrt(self.w), L)
        self.ev(la, A["login"], S_SURF, self.surface[la], self.times(la))
        M = int(1.5 * n)
        s = self.sample(act, self.w, M)
        d = self.sample(act, self.w, M)
        ok = s != d
        self.ev(s[ok], A["message"], S_ACC, d[ok], self.times(s[ok]))

    # ================================================================ build
    def build(self) -> None:
        r = self.rng
        self.shared_pools()
        plan: list = []
        for v, c in (("blunt", 2), ("jittered", 3), ("rotating", 2)):
            plan += [(self.review_boost_ring, v)] * self.cnt(c)
        for v, c in (("plain", 2), ("sold", 2), ("hard", 1)):
            plan += [(self.account_farm, v)] * self.cnt(c)
        for v, c in (("plain", 3), ("hard", 1)):
            plan += [(self.bid_spam_bot, v)] * self.cnt(c)
        plan += [(self.chargeback_ring, None)] * self.cnt(4)
        for hard in (False, True):
            plan += [(self.money_collusion_ring, hard)] * self.cnt(2)
        plan += [(self.takeover_wave, False)] * self.cnt(3) + [(self.takeover_wave, True)] * self.cnt(1)
        plan += [(self.job_scam_crew, None)] * self.cnt(3)
        plan += [(self.lone_bad, None)]
        plan += [(self.agency, None)] * self.cnt(25)
        plan += [(self.shared_site, "coworking_space")] * self.cnt(6)
        plan += [(self.shared_site, "university")] * self.cnt(3)
        plan += [(self.bootcamp_cohort, None)] * self.cnt(6)
        plan += [(self.enterprise_client, None)] * self.cnt(8)
        plan += [(self.household, None)] * self.cnt(150)
        plan += [(self.repeat_pair, False)] * self.cnt(60) + [(self.repeat_pair, True)] * self.cnt(10)
        plan += [(self.alert_power_bidders, None)] * self.cnt(4)
        for fn, arg in plan:
            if self.pool_pos >= self.n * 0.45:
                break
            fn() if arg is None else fn(arg)
        self.lo = np.maximum(self.created, T0)
        self.hi = np.maximum(self.hi, self.lo)
        self.organic_signals()
        self.market()
        self.finish_tables()
        self.ready = True  # later jobs / gigs refresh the lookups
        self.organic_events()
        for fn in self.phase_b:
            fn()

    # ================================================================ labels
    def labels(self) -> tuple[np.ndarray, np.ndarray]:
        r, n = self.rng, self.n
        lab = np.full(n, -1, np.int64)
        gbad = np.array([b for _, b in self.groups], bool)
        gkind = np.array([k for k, _ in self.groups])
        for g in range(len(self.groups)):
            mem = np.flatnonzero(self.gid == g)
            if gbad[g]:
                p = 0.7 if gkind[g] == "takeover_wave" else 0.55
                if r.random() < p:
                    lab[mem[r.random(mem.size) < r.uniform(0.1, 0.6)]] = 1
            else:
                lab[mem[r.random(mem.size) < 0.04]] = 0
        lone = np.flatnonzero(self.lone)
        lab[lone[r.random(lone.size) < 0.35]] = 1
        org = np.flatnonzero((self.gid < 0) & ~self.lone)
        lab[org[r.random(org.size) < 0.012]] = 0
        cand = np.flatnonzero(~gbad & np.isin(gkind, ["agency", "bootcamp_cohort"]))
        for g in r.choice(cand, min(cand.size, self.cnt(1)), replace=False) if cand.size else []:
            mem = np.flatnonzero(self.gid == g)
            lab[mem[r.random(mem.size) < r.uniform(0.25, 0.5)]] = 1
        has = np.flatnonzero(lab >= 0)
        flip = has[r.random(has.size) < 0.03]
        lab[flip] = 1 - lab[flip]
        has = np.flatnonzero(lab >= 0)
        return has, lab[has]

    # ================================================================ write
    def write(self, out: str, with_labels: bool) -> dict:
        r, n = self.rng, self.n
        os.makedirs(out, exist_ok=True)
        salt = np.uint64((self.seed * 1000003 + 18) & 0xFFFFFFFF) << np.uint64(20)
        # account ids (unique 10 hex digits)
        raw = mix64(np.arange(n, dtype=np.uint64) ^ salt) & np.uint64((1 << 40) - 1)
        uniq = np.unique(raw)
        bump = np.uint64(1)
        while uniq.size != n:  # practically never
            _, first = np.unique(raw, return_index=True)
            dup = np.setdiff1d(np.arange(n), first)
            raw[dup] = mix64(raw[dup] + bump) & np.uint64((1 << 40) - 1)
            bump += np.uint64(1)
            uniq = np.unique(raw)
        acc_ids = pl.Series("account_id", np.char.add("usr_", hexify(raw, 10)))
        # accounts
        hr = np.where(self.atype != 0, np.round(r.lognormal(3.2, 0.7, n), 0), np.nan)
        accounts = pl.DataFrame({
            "account_id": acc_ids,
            "created_at": pl.Series(self.created * 1000).cast(pl.Datetime("ms")).dt.replace_time_zone("UTC"),
            "account_type": np.array(["client", "freelancer", "both"])[self.atype],
            "country": C_ISO[self.country],
            "verified": r.random(n) < np.where(self.created < T0 - 365 * DAY, 0.6, 0.3),
            "hourly_rate": pl.Series(hr, nan_to_null=True),
        })
        accounts.write_parquet(os.path.join(out, "accounts.parquet"))
        # value strings per kind
        vstr = []
        for k in range(len(KINDS)):
            cnt = self.counters[k] if k != K_L4 else 10000
            ks = np.uint64(((self.seed + 1) * 7919 + k * 104729) & 0xFFFFFFFF) << np.uint64(24)
            vstr.append(np.char.add(PREFIX[k], hexify(mix64(np.arange(cnt, dtype=np.uint64) ^ ks), WIDTH[k])))
        # signals (+ bank_last4 derived from bank payouts)
        sa, sk, sv, ss = (np.concatenate([p[i] for p in self.sig_parts]) for i in range(4))
        pay = sk == K_PAYOUT
        h = mix64(sv[pay].astype(np.uint64) ^ np.uint64(0xABCDEF ^ self.seed))
        bank = (h & np.uint64(7)) < np.uint64(5)
        sa = np.concatenate([sa, sa[pay][bank]])
        sk = np.concatenate([sk, np.full(int(bank.sum()), K_L4, np.int8)])
        sv = np.concatenate([sv, (h[bank] >> np.uint64(8)).astype(np.int64) % 10000])
        ss = np.concatenate([ss, ss[pay][bank]])
        sdf = (pl.DataFrame({"a": sa, "k": sk.astype(np.int64), "v": sv, "s": ss})
               .sort(["a", "k", "v", "s"]).unique(subset=["a", "k", "v"], keep="first", maintain_order=True))
        ss = sdf["s"].to_numpy().copy()
        ss = np.maximum(ss, self.created[sdf["a"].to_numpy()])
        nul = r.random(ss.size) < 0.04
        offs = np.cumsum([0] + [len(v) for v in vstr])
        allv = pl.Series(np.concatenate(vstr))
        signals = pl.DataFrame({
            "account_id": acc_ids.gather(sdf["a"]),
            "kind": pl.Series(np.array(KINDS)).gather(sdf["k"]),
            "value": allv.gather(sdf["v"].to_numpy() + offs[sdf["k"].to_numpy()]),
            "seen_at": pl.Series(ss * 1000).cast(pl.Datetime("ms")),
            "_nul": nul,
        }).with_columns(pl.when(pl.col("_nul")).then(None).otherwise(pl.col("seen_at")).alias("seen_at")).drop("_nul")
        signals.write_csv(os.path.join(out, "signals.csv"), datetime_format="%Y-%m-%d %H:%M:%S")
        # events
        ea, eact, esp, etid, ets, eam = (np.concatenate([p[i] for p in self.ev_parts]) for i in range(6))
        ets = np.maximum(ets, self.created[ea] + 60)
        keep = ets < T1
        ea, eact, esp, etid, ets, eam = ea[keep], eact[keep], esp[keep], etid[keep], ets[keep], eam[keep]
        ms = ets * 1000 + r.integers(0, 1000, ets.size)
        dup = np.flatnonzero(r.random(ea.size) < 0.006)
        ea, eact, esp, etid, eam, ms = (np.concatenate([x, x[dup]]) for x in (ea, eact, esp, etid, eam, ms))
        order = np.lexsort((etid, esp, eact, ea, ms))
        job_ids = np.char.add("job_", hexify(mix64(np.arange(self.njobs, dtype=np.uint64) ^ (salt + np.uint64(1))), 11))
        gig_ids = np.char.add("gig-", hexify(mix64(np.arange(self.ngigs, dtype=np.uint64) ^ (salt + np.uint64(2))), 9))
        tables = [acc_ids.to_numpy(), job_ids, gig_ids, vstr[K_PAYOUT], np.array(SURFACES)]
        toff = np.cumsum([0] + [len(t) for t in tables])
        tall = pl.Series(np.concatenate(tables))
        events = pl.DataFrame({
            "account_id": acc_ids.gather(ea[order]),
            "action": pl.Series(np.array(ACTIONS)).gather(eact[order].astype(np.int64)),
            "target_id": tall.gather(etid[order] + toff[esp[order].astype(np.int64)]),
            "ts": pl.Series(ms[order]).cast(pl.Datetime("ms")),
            "amount": pl.Series(eam[order], nan_to_null=True),
        })
        events.write_parquet(os.path.join(out, "events.parquet"))
        # links
        la = np.concatenate([p[0] for p in self.link_parts])
        lb = np.concatenate([p[1] for p in self.link_parts])
        lk = np.concatenate([np.full(p[0].size, i) for i, p in enumerate(self.link_parts)])
        kinds = np.array([p[2] for p in self.link_parts])
        wts = np.array([p[3] for p in self.link_parts])
        ldf = pl.DataFrame({"a": la, "b": lb, "k": kinds[lk], "w": wts[lk]}).unique(subset=["a", "b", "k"], keep="first", maintain_order=True).sort(["a", "b", "k"])
        links = pl.DataFrame({
            "account_a": acc_ids.gather(ldf["a"]),
            "account_b": acc_ids.gather(ldf["b"]),
            "kind": ldf["k"],
            "weight": ldf["w"],
        })
        links.write_parquet(os.path.join(out, "links.parquet"))
        # labels
        nlab = 0
        if with_labels:
            idx, lab = self.labels()
            pl.DataFrame({"account_id": acc_ids.gather(idx), "label": lab}).write_csv(os.path.join(out, "labels.csv"))
            nlab = idx.size
        # truth
        gk = np.array([k for k, _ in self.groups] + ["organic", "lone_bad"])
        gb = np.array([b for _, b in self.groups] + [False, True])
        gi = np.where(self.gid >= 0, self.gid, np.where(self.lone, len(self.groups) + 1, len(self.groups)))
        gname = np.char.add("G", np.char.zfill(np.arange(len(self.groups)).astype(str), 4))
        truth = pl.DataFrame({
            "account_id": acc_ids,
            "group_id": np.where(self.gid >= 0, gname[np.maximum(self.gid, 0)], ""),
            "group_kind": gk[gi],
            "is_bad": gb[gi],
        }).with_columns(pl.when(pl.col("group_id") == "").then(None).otherwise(pl.col("group_id")).alias("group_id"))
        truth.write_parquet(os.path.join(out, "truth.parquet"))
        return {"accounts": n, "signals": signals.height, "events": events.height, "links": links.height,
                "labels": nlab, "groups": len(self.groups), "bad_groups": int(sum(b for _, b in self.groups))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="freelance-marketplace generator (eighteenth)")
    ap.add_argument("out")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    a = ap.parse_args(argv)
    if a.accounts < 2000:
        ap.error("--accounts must be at least 2000")
    t = time.perf_counter()
    m = Market(a.accounts, a.seed)
    m.build()
    stats = m.write(a.out, not a.no_labels)
    print(" ".join(f"{k}={v}" for k, v in stats.items()), f"seconds={time.perf_counter() - t:.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

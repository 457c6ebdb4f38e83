#!/usr/bin/env python
"""Twelfth synthetic test bed: a social news / discussion forum ("threadhub").

Written from the data contract (shared/DESIGN.md) and the forum domain only, without looking
at the detector or at the other generators, so that syndicate is judged on data that was not
designed around it.

Usage::

    python benchmarks/twelfth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--report]

Deterministic for a given (--accounts, --seed).  Minimum 2,000 accounts.

DATA SHEET
==========

Platform
--------
A Reddit / Hacker News / StackExchange-like forum: users join communities, submit posts into
them, comment on posts, reply to comments, up/down-vote posts and comments, save and share
posts, buy coin packs with a card and give awards, follow other users and report content.
Moderators remove / approve / lock items in their community.  Six months of activity:
2024-01-01 00:00 UTC to 2024-07-01 00:00 UTC (182 days).  Accounts may be much older.

Ids: accounts ``t2_<base36>`` (numbered in order of creation, with gaps, like a real
sequence), posts ``t3_<base36>``, comments and replies ``t1_<base36>``, communities
``t5_<base36>``, coin/premium SKUs ``sku_coins_500`` and so on.

Tables written
--------------
``accounts.parquet``   one row per account
    account_id str (unique), created_at datetime[us] (naive = UTC, second precision),
    account_type str (standard / premium / verified), country str (ISO-2, ~3 % null),
    extras: signup_client str (web / ios / android), email_verified bool.

``signals.csv``        one row per (account, kind, value); values are opaque 16-hex digests
    account_id, kind, value, seen_at (first time the pair was seen; naive UTC text
    "YYYY-MM-DD HH:MM:SS"; ~0.7 % empty = unknown, for rows imported from a legacy store),
    extra: source str (login / checkout / signup / legacy_import).
    kinds: device, ip, payment, phone, email, browser_fp.
    Natural hubs: carrier-NAT IPs (thousands of accounts each), VPN exits (hundreds), common
    browser fingerprints (an iPhone-Safari-latest fingerprint is shared by thousands), one
    bogus device id "all zeros" that a buggy SDK reports for ~0.4 % of devices, campus and
    company egress IPs, cafe / venue Wi-Fi.  Residential IPs are dynamically reassigned by
    ISPs, so an IP value occasionally shows up on two unrelated accounts.

``events.parquet``     behaviour log, sorted by ts
    account_id, action str, target_id str, ts datetime[ms, UTC] (tz-aware; moderation log
    actions are truncated to whole seconds, everything else has milliseconds),
    extras: community_id str (null where not meaningful), object_id str (id of the post /
    comment / reply the event created, else null), client str (web / ios / android).
    actions (target):
      submit_post (community id; object_id = new post)     comment (post id; object = comment)
      reply (comment id; object = reply)                   upvote / downvote (post or comment)
      save, share (post)                                   give_award (post or comment)
      report (post or comment)                             follow_user (account id)
      join_community / leave_community (community id)      purchase_coins (sku id)
      mod_remove / mod_approve / mod_lock (post or comment)
    ~0.05 % of rows are logged twice by client retries (exact duplicates, except that a
    double-submitted reply gets a second object_id).

``labels.csv``         (unless --no-labels) account_id, label int (1 bad, 0 good)
    ~10-15 % of accounts.  Enforcement discovered some bad groups (spam nets most often,
    vote rings least often) and labelled 50-100 % of their members 1; undiscovered groups
    carry no 1-labels.  ~35 % of lone bad actors are labelled 1.  The rest of the labels are
    0 on honest accounts (moderators, reviewed accounts, appeals; busier accounts more often).
    ~3 % of all labels are wrong (false bans, won appeals).

``truth.parquet``      every account exactly once
    account_id, is_bad bool, group_id str (null for lone actors and unaffiliated accounts),
    group_kind str, role str (null for plain organic accounts).

Organic population
------------------
Heavy-tailed activity: per-account expected event counts are lognormal by profile (lurker
median 8 / 6 months, regular 35, creator 140; ~12 % of pre-window accounts are dormant), a
per-account Dirichlet action mix around the profile, sessions of a few minutes at times drawn
from a local-time daily cycle (evening peak; business-hours profile for office groups), with
~15 countries / time zones.  20 % churn during the window; ~27 % sign up during it (new
accounts join a few communities within minutes of signing up).  Each account has 1-10 home
communities drawn from a Zipf over communities.  Votes / comments / saves pick a post created
a few hours earlier either from the global "front page" or from a home community, with a
strong preference for popular posts (lognormal post popularity), so viral posts collect
hundreds of votes from unrelated users within hours.  Reports go mostly to spam posts and
troll comments.  Coin purchases precede awards, premium subscribers renew monthly;
awarders and premium users have a card.
Ring "clients" (small businesses buying votes) are organic accounts with role ring_client.

Planted BAD groups (is_bad true, group_id set).  Counts at 20k accounts, scaled linearly.
------------------------------------------------------------------------------------------
vote_ring (5; 40-200 accounts)
    30-70 % bought/aged accounts (created 1.5-9 years ago, dormant until bought, still carry
    the original owner's device / home IP / phone / email from years ago) plus accounts
    batch-registered in 2-5 batches (a minute or two apart within a batch).  15-45 jobs in
    the window: a client submits a post, typically 5-60 min later a random 10-35 % of the (already active) ring upvotes
    it, spread over 5-40 minutes with jitter; in 30 % of jobs a subset also downvotes 1-3
    competing posts in the same community.  Workers otherwise browse like users (cover
    profile: front-page votes, saves, a few comments).  Signals: only residential-proxy IPs
    are shared (pool of 0.5-0.9 x ring size, each worker on 2-6, 15 % of pool IPs are real
    honest users' home IPs); each worker has its own device and mostly unique fingerprints.
    Any two workers meet on only ~1-3 targets.
sockpuppet_operator (8; 5-30 accounts, 1 main + puppets)
    One person.  Main = active creator; puppets created over 3 years, low activity, same
    time zone.  1-4 devices shared by all accounts, the home IP (changes once mid-window),
    carrier IP, some puppets through a VPN exit, a prepaid phone on some puppets, main's card
    on 0-2 puppets.  Puppets upvote the main's posts one after another (a person switching
    accounts), post agreeing comments in the main's threads, reply to / upvote the main's
    comments, downvote critics in those threads, give awards, post occasionally.
astroturf_campaign (5; 15-60 accounts)
    PR agency.  Accounts created in 2-4 waves (1-2 days each, office hours).  2-5 pushes:
    within 1-4 days 40-90 % of the accounts comment talking points in the same 2-5 threads
    (campaign posts plus popular posts) of 2-4 communities, upvote each other's comments and
    posts and give awards with a corporate card.  Otherwise nearly idle.  2-4 office IPs on
    all accounts, a few staff laptops shared, the corporate card on 30-50 %.
spam_bot_net (5; 10-50 bots)
    Registered within 1-4 days, on 3-10 datacenter IPs, all with one browser fingerprint
    (~40 % of nets show a "headless default" fingerprint that ~20 honest developers at 20k
    accounts also show; the others a fingerprint of their own), VoIP
    phone numbers each used by 1-3 bots.  Each bot posts links (submit_post) to 10-60
    communities at its own pace (every 3-12 h, no daily cycle) until banned (1 day + ~12 days),
    joins a community just before its first post there; 30 % also drop link comments under
    popular posts.
karma_farm (6; 8-25 accounts)
    Created a few per day by one farmer, months before; farm reposts popular content (every 4-12 days) into
    big communities, members upvote each other's posts within minutes (35-75 % of the others),
    farmer devices / IPs shared.  Sold mid-window: within one week every account moves to a
    buyer's devices / IPs (1-3 buyers) and posts promotions; the mutual upvoting drops to the
    buyer's subset.
lone bad actors (group null): lone_spammer (30, one account, datacenter/VPN IP, link posts
    in several communities over a few days), lone_troll (30, comment/downvote heavy, reported
    often), lone_vote_manipulator (15 operators with 2-3 accounts on one device + home IP,
    alts upvote the main's posts within minutes).

BENIGN look-alikes (is_bad false, group_id set)
-----------------------------------------------
household (~3 % of accounts, 2-6 each): shared home IP(s), 60 % a shared tablet, 30 % a
    family card, same country; follow each other, occasionally upvote each other's posts.
campus_nat (3; universities 150-600 behind 2-6 egress IPs, signup bursts at the spring and
    fall term starts; companies 80-300 behind 1-4 IPs, office hours).  Join the campus
    community right after signing up.
mod_team (10; 5-15 moderators of one big community): act on the same reported / spam
    items within minutes of each other (mod_remove / mod_approve / mod_lock), often several
    mods on one item -> an honest group with many shared targets in short windows.
fan_community (2; 120-450 fans + the celebrity): 6-15 celebrity posts, each stormed by
    30-70 % of the fans within seconds to minutes (upvotes, comments, some awards).
ama_crowd (3; 150-600 attendees + host): one AMA; upvotes and questions within minutes,
    host replies to questions, attendees upvote questions.
meetup_club (8; 8-30): join a community within a day, follow each other, upvote each other's
    posts (hours later), share a cafe / venue Wi-Fi IP on meetup days (the venue IP is also
    seen on 20-60 random strangers).
vpn_exit (4; 100-300 privacy users whose main IPs are one VPN provider's exits).
carrier_nat (one group per mobile carrier; ~12 % of accounts, mobile-only users seen only
    on that carrier's 3-8 NAT IPs).

Quirks
------
mixed table formats (parquet and csv); tz-aware event timestamps next to naive ones; a few
null seen_at; null countries; extra columns in every table; prefixed string ids; exact
duplicate event rows; second-precision moderation log; accounts without any event or signal;
dormant accounts; follow targets are account ids.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import polars as pl

# --------------------------------------------------------------------------------------------
# time
START = 1704067200000  # 2024-01-01T00:00:00Z, epoch ms
SEC, MIN, HOUR, DAY = 1_000, 60_000, 3_600_000, 86_400_000
YEAR = 365 * DAY
WINDOW_DAYS = 182
END = START + WINDOW_DAYS * DAY
WIN = END - START

# --------------------------------------------------------------------------------------------
# vocabulary
ACTIONS = ["submit_post", "comment", "reply", "upvote", "downvote", "save", "give_award",
           "report", "follow_user", "join_community", "leave_community", "share",
           "purchase_coins", "mod_remove", "mod_approve", "mod_lock"]
(A_SUBMIT, A_COMMENT, A_REPLY, A_UP, A_DOWN, A_SAVE, A_AWARD, A_REPORT, A_FOLLOW, A_JOIN,
 A_LEAVE, A_SHARE, A_COINS, A_MREMOVE, A_MAPPROVE, A_MLOCK) = range(len(ACTIONS))
TK_POST, TK_COMMENT, TK_COMM, TK_USER, TK_SKU = range(5)
SKUS = ["sku_coins_500", "sku_coins_1100", "sku_coins_3000", "sku_premium_month"]

# organic action mix columns: (action, target kind)
MIX_COLS = [(A_SUBMIT, TK_COMM), (A_COMMENT, TK_POST), (A_REPLY, TK_COMMENT), (A_UP, TK_POST),
            (A_UP, TK_COMMENT), (A_DOWN, TK_POST), (A_DOWN, TK_COMMENT), (A_SAVE, TK_POST),
            (A_AWARD, TK_POST), (A_REPORT, TK_POST), (A_FOLLOW, TK_USER), (A_JOIN, TK_COMM),
            (A_LEAVE, TK_COMM), (A_SHARE, TK_POST)]
NMIX = len(MIX_COLS)
(C_SUBMIT, C_COMMENT, C_REPLY, C_UP_P, C_UP_C, C_DN_P, C_DN_C, C_SAVE, C_AWARD, C_REPORT,
 C_FOLLOW, C_JOIN, C_LEAVE, C_SHARE) = range(NMIX)

PR_NONE, PR_LURK, PR_NORMAL, PR_CREATOR, PR_COVER, PR_TROLL = range(6)
MIX = np.array([
    [0] * NMIX,
    [.003, .012, .006, .50, .16, .05, .03, .11, .0008, .004, .012, .05, .006, .05],
    [.012, .09, .06, .38, .20, .04, .04, .06, .002, .005, .02, .03, .004, .04],
    [.06, .24, .16, .22, .15, .03, .03, .03, .004, .005, .03, .02, .002, .03],
    [.006, .04, .015, .52, .16, .03, .02, .09, 0, .002, .02, .05, .003, .04],
    [.01, .32, .25, .08, .06, .08, .15, .01, 0, .02, .01, .01, .002, 0],
], dtype=float)

# daily cycles (local hour weights)
TP_EVENING, TP_BUSINESS, TP_FLAT = range(3)
_H_EVE = [3, 2, 1.3, 1, .8, .8, 1.2, 2, 3, 3.5, 4, 4.3, 4.6, 4.6, 4.5, 4.5, 4.8, 5.2, 5.8, 6.3,
          6.6, 6.4, 5.5, 4.2]
_H_BUS = [.3] * 7 + [2, 5, 7, 7, 6, 5, 6, 7, 7, 6, 4, 1.5, .8, .6, .5, .4, .3]
HOURP = np.array([np.array(h) / np.sum(h) for h in (_H_EVE, _H_BUS, [1] * 24)])

COUNTRIES = ["US", "GB", "CA", "DE", "IN", "BR", "AU", "FR", "PH", "NL", "PL", "MX", "JP", "SE", "ES"]
COUNTRY_W = np.array([.42, .08, .06, .05, .07, .04, .04, .03, .03, .02, .02, .03, .02, .01, .02])
COUNTRY_W = COUNTRY_W / COUNTRY_W.sum()
COUNTRY_TZ = [[-5, -6, -7, -8], [0], [-5, -8], [1], [5.5], [-3], [10], [1], [8], [1], [1], [-6],
              [9], [1], [1]]

# signal kinds and value spaces
KINDS = ["device", "ip", "payment", "phone", "email", "browser_fp"]
K_DEV, K_IP, K_PAY, K_PHONE, K_EMAIL, K_FP = range(6)
(SP_DEVICE, SP_BOGUSDEV, SP_HOME, SP_CARRIER, SP_VPN, SP_DC, SP_OFFICE, SP_CAMPUS, SP_VENUE,
 SP_PHONE, SP_EMAIL, SP_CARD, SP_FP, SP_FPU, SP_SMS, SP_CORPIP) = range(1, 17)
SOURCES = ["login", "checkout", "signup", "legacy_import"]
CLIENTS = ["web", "ios", "android"]

# post kinds
PK_ORG, PK_SPAM, PK_CLIENT, PK_FARM, PK_ASTRO, PK_CELEB, PK_AMA, PK_CLUB, PK_PROMO, PK_PUPPET = range(10)
REPORTABLE = (PK_SPAM, PK_PROMO)


# --------------------------------------------------------------------------------------------
# helpers
_B36 = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def b36_ids(prefix: str, nums: np.ndarray, width: int = 7) -> pl.Series:
    """Vectorised 'prefix' + fixed-width base36."""
    nums = np.asarray(nums, dtype=np.int64).copy()
    pb = np.frombuffer(prefix.encode(), dtype=np.uint8)
    out = np.empty((len(nums), len(pb) + width), dtype=np.uint8)
    out[:, :len(pb)] = pb
    for k in range(width - 1, -1, -1):
        out[:, len(pb) + k] = _B36[nums % 36]
        nums //= 36
    w = out.shape[1]
    return pl.Series(np.ascontiguousarray(out).view(f"S{w}").ravel().astype(f"U{w}"))


def splitmix64(x: np.ndarray) -> np.ndarray:
    z = (x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def hex_digest(x: np.ndarray) -> np.ndarray:
    """uint64 -> 16-char lowercase hex (numpy unicode array)."""
    b = x.astype(">u8").view(np.uint8).reshape(-1, 8)
    out = np.empty((len(x), 16), dtype=np.uint8)
    out[:, 0::2] = _HEX[b >> 4]
    out[:, 1::2] = _HEX[b & 15]
    return out.view("S16").ravel().astype("U16")


def rep_arange(counts: np.ndarray) -> np.ndarray:
    """For counts [2,3] -> [0,1,0,1,2]."""
    counts = np.asarray(counts, dtype=np.int64)
    tot = int(counts.sum())
    if tot == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(tot, dtype=np.int64) - starts


class Events:
    def __init__(self) -> None:
        self.parts: list[dict] = []

    def add(self, acct, action, tkind, tidx, ts, comm=-1, obj=-1) -> None:
        acct = np.asarray(acct, dtype=np.int64).ravel()
        n = acct.shape[0]
        if n == 0:
            return

        def col(x, dt):
            x = np.asarray(x)
            if x.ndim == 0:
                return np.full(n, x, dtype=dt)
            return x.astype(dt).ravel()

        self.parts.append({"acct": acct, "action": col(action, np.int16), "tkind": col(tkind, np.int8),
                           "tidx": col(tidx, np.int64), "ts": col(ts, np.int64),
                           "comm": col(comm, np.int32), "obj": col(obj, np.int64)})

    def remap_obj(self, action: int, newidx: np.ndarray) -> None:
        for p in self.parts:
            m = (p["action"] == action) & (p["obj"] >= 0)
            if m.any():
                p["obj"][m] = newidx[p["obj"][m]]

    def concat(self) -> dict:
        return {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}


class Entities:
    """Posts or comments: added in pieces, then sorted by time (ids follow time)."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        self.cols: dict[str, list] = {f: [] for f in fields}
        self.n = 0

    def add(self, **kw) -> np.ndarray:
        n = len(kw["ts"])
        for f in self.fields:
            v = np.asarray(kw[f])
            self.cols[f].append(np.full(n, v) if v.ndim == 0 else v)
        pos = np.arange(self.n, self.n + n)
        self.n += n
        return pos

    def finalize(self) -> None:
        data = {f: (np.concatenate(self.cols[f]) if self.cols[f] else np.zeros(0)) for f in self.fields}
        order = np.argsort(data["ts"], kind="stable")
        for f in self.fields:
            setattr(self, f, data[f][order])
        self.newidx = np.empty(self.n, dtype=np.int64)
        self.newidx[order] = np.arange(self.n)


class Pool:
    """Time-ordered candidate targets; pick() = popular item created a little before t."""

    def __init__(self, ts, comm, logpop, ids=None) -> None:
        order = np.argsort(ts, kind="stable")
        self.ids = (np.arange(len(ts)) if ids is None else np.asarray(ids))[order]
        self.ts = np.asarray(ts)[order]
        self.comm = np.asarray(comm)[order].astype(np.int64)
        self.logpop = np.asarray(logpop, dtype=float)[order]
        key = (self.comm << 36) | (self.ts - START + DAY)
        self.corder = np.argsort(key, kind="stable")
        self.ckey = key[self.corder]
        self.n = len(self.ts)

    def pick(self, rng, t, comm=None, age_med=5 * HOUR, age_sig=1.2, ncand=16, bias=1.0):
        t = np.asarray(t, dtype=np.int64)
        out = np.full(len(t), -1, dtype=np.int64)
        if self.n == 0 or len(t) == 0:
            return out
        offs = np.arange(ncand)
        for s in range(0, len(t), 400_000):
            tt = t[s:s + 400_000]
            q = tt - np.exp(rng.normal(np.log(age_med), age_sig, len(tt))).astype(np.int64)
            if comm is None:
                j = np.searchsorted(self.ts, q, side="right") - 1
                cand = j[:, None] - offs
                valid = cand >= 0
                idx = np.clip(cand, 0, None)
            else:
                cc = np.asarray(comm, dtype=np.int64)[s:s + 400_000]
                qk = (cc << 36) | np.clip(q - START + DAY, 0, None)
                j = np.searchsorted(self.ckey, qk, side="right") - 1
                cand = j[:, None] - offs
                valid = cand >= 0
                idx = self.corder[np.clip(cand, 0, None)]
                valid &= self.comm[idx] == cc[:, None]
            score = bias * self.logpop[idx] + rng.gumbel(size=idx.shape)
            score[~valid] = -np.inf
            b = np.argmax(score, axis=1)
            res = self.ids[idx[np.arange(len(tt)), b]]
            res[~valid.any(axis=1)] = -1
            out[s:s + 400_000] = res
        return out


# --------------------------------------------------------------------------------------------
class Gen:
    def __init__(self, n_accounts: int, seed: int) -> None:
        if n_accounts < 2000:
            raise SystemExit("--accounts must be at least 2000")
        self.N = n_accounts
        self.seed = seed
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed), 1212]))
        self.salt = np.uint64(int(splitmix64(np.array([seed * 7919 + 12], dtype=np.uint64))[0]))
        self.s = n_accounts / 20000
        self.ev = Events()
        self.sig: list[tuple] = []
        self.fresh_ctr: dict[int, int] = {}
        self.groups: list[dict] = []
        self.ring_clients: list[int] = []

    # ---------------------------------------------------------------- small utilities
    def ns(self, base: float, lo: int = 1) -> int:
        return max(lo, int(round(base * self.s)))

    def fresh(self, space: int, n: int) -> np.ndarray:
        c = self.fresh_ctr.get(space, 1 << 32)
        self.fresh_ctr[space] = c + n
        return np.arange(c, c + n, dtype=np.int64)

    def add_sig(self, acct, kind, space, ints, seen=None, source=0) -> None:
        acct = np.asarray(acct, dtype=np.int64).ravel()
        n = len(acct)
        if n == 0:
            return
        ints = np.broadcast_to(np.asarray(ints, dtype=np.int64), (n,))
        space = np.broadcast_to(np.asarray(space, dtype=np.int64), (n,))
        val = (space.astype(np.uint64) << np.uint64(40)) | ints.astype(np.uint64)
        if seen is None:
            seen = self.seen_for(acct)
        seen = np.broadcast_to(np.asarray(seen, dtype=np.int64), (n,)).copy()
        src = np.broadcast_to(np.asarray(source, dtype=np.int8), (n,)).copy()
        self.sig.append((acct, np.full(n, kind, np.int8), val, seen, src))

    def seen_for(self, acct) -> np.ndarray:
        lo = np.maximum(self.created[acct], START - 400 * DAY)
        hi = np.maximum(self.span_hi[acct], lo + HOUR)
        return lo + (self.rng.random(len(acct)) * (hi - lo)).astype(np.int64)

    def sample_times(self, lo, hi, tz, prof) -> np.ndarray:
        rng = self.rng
        lo = np.asarray(lo, dtype=np.int64)
        n = lo.shape[0]
        hi = np.broadcast_to(np.asarray(hi, dtype=np.int64), (n,))
        tz = np.broadcast_to(np.asarray(tz, dtype=float), (n,))
        prof = np.broadcast_to(np.asarray(prof, dtype=np.int64), (n,))
        hi = np.maximum(hi, lo + 1)
        u = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
        off = (tz * HOUR).astype(np.int64)
        day0 = (u + off) // DAY * DAY
        h = np.empty(n, dtype=np.int64)
        for p in range(3):
            m = prof == p
            if m.any():
                h[m] = rng.choice(24, int(m.sum()), p=HOURP[p])
        t = day0 + h * HOUR + rng.integers(0, HOUR, n) - off
        bad = (t < lo) | (t >= hi)
        t[bad] = u[bad]
        return t

    def home_pick(self, acct) -> np.ndarray:
        acct = np.asarray(acct, dtype=np.int64)
        k = self.home_k[acct]
        return self.home_flat[self.home_off[acct] + (self.rng.random(len(acct)) * k).astype(np.int64)]

    def lognorm(self, med, sig, n) -> np.ndarray:
        return np.exp(self.rng.normal(np.log(med), sig, n))

    def new_group(self, kind: str, members: np.ndarray, bad: bool, roles=None) -> dict:
        g = {"kind": kind, "members": np.asarray(members, dtype=np.int64), "bad": bad,
             "gid": f"{kind}-{len(self.groups) + 1:04d}"}
        self.groups.append(g)
        gi = len(self.groups) - 1
        self.gidx[g["members"]] = gi
        self.is_bad[g["members"]] = bad
        self.kind_of[g["members"]] = kind
        if roles is not None:
            self.role[g["members"]] = roles
        return g

    # ---------------------------------------------------------------- 1. population
    def setup_population(self) -> None:
        rng, N = self.rng, self.N
        self.gidx = np.full(N, -1, dtype=np.int64)
        self.is_bad = np.zeros(N, dtype=bool)
        self.kind_of = np.full(N, "organic", dtype=object)
        self.role = np.full(N, None, dtype=object)

        # base attributes for everybody (groups override below)
        cidx = rng.choice(len(COUNTRIES), N, p=COUNTRY_W)
        self.country = cidx.copy()
        self.tz = np.array([COUNTRY_TZ[c][0] for c in range(len(COUNTRIES))], dtype=float)[cidx]
        us = cidx == 0
        self.tz[us] = rng.choice([-5, -6, -7, -8], int(us.sum()), p=[.47, .29, .07, .17])
        ca = cidx == 2
        self.tz[ca] = rng.choice([-5, -8], int(ca.sum()), p=[.7, .3])
        old = rng.random(N) < 0.73
        created = np.where(old, START - np.minimum(rng.exponential(2.7 * YEAR, N), 15 * YEAR),
                           START + rng.random(N) * (WIN - DAY))
        self.created = (created // SEC * SEC).astype(np.int64)
        self.profile = rng.choice([PR_LURK, PR_NORMAL, PR_CREATOR], N, p=[.55, .38, .07])
        med = np.array([0, 8, 35, 140, 40, 150.0])[self.profile]
        self.level = np.minimum(med * np.exp(rng.normal(0, 1.2, N)), 8000)
        self.level[old & (rng.random(N) < 0.12)] = 0
        self.front = rng.beta(4, 4, N)
        self.tprof = np.zeros(N, dtype=np.int64)
        self.churn = rng.random(N) < 0.20
        self.acct_type = np.where(rng.random(N) < 0.045, "premium", "standard").astype(object)
        self.client = rng.choice(3, N, p=[.35, .35, .30])
        self.home_ip = np.ones(N, dtype=bool)

        # --- planted bad groups (indices 0..B-1)
        specs = []
        for _ in range(self.ns(5)):
            specs.append(("vote_ring", int(rng.integers(40, 201))))
        for _ in range(self.ns(8)):
            specs.append(("sockpuppet_operator", int(5 + 25 * rng.beta(1.2, 3.0))))
        for _ in range(self.ns(5)):
            specs.append(("astroturf_campaign", int(rng.integers(15, 61))))
        for _ in range(self.ns(5)):
            specs.append(("spam_bot_net", int(rng.integers(10, 51))))
        for _ in range(self.ns(6)):
            specs.append(("karma_farm", int(rng.integers(8, 26))))
        perm = rng.permutation(len(specs))
        specs = [specs[i] for i in perm]
        nxt = 0
        self.bad_groups = []
        for kind, size in specs:
            g = self.new_group(kind, np.arange(nxt, nxt + size), True)
            self.bad_groups.append(g)
            nxt += size
        # lone bad actors
        self.lone = {"lone_spammer": [], "lone_troll": [], "lone_vote_manipulator": []}
        for _ in range(self.ns(30)):
            self.lone["lone_spammer"].append(np.array([nxt])); nxt += 1
        for _ in range(self.ns(30)):
            self.lone["lone_troll"].append(np.array([nxt])); nxt += 1
        for _ in range(self.ns(15)):
            k = int(rng.integers(2, 4))
            self.lone["lone_vote_manipulator"].append(np.arange(nxt, nxt + k)); nxt += k
        for kind, lst in self.lone.items():
            for m in lst:
                self.is_bad[m] = True
                self.kind_of[m] = kind
        if nxt > 0.35 * N:
            raise SystemExit("too few accounts for the planted groups")
        self.n_bad_alloc = nxt

        # --- benign groups carved from the honest pool
        pool = nxt + rng.permutation(N - nxt)
        ptr = [0]

        def take(k):
            k = int(min(k, len(pool) - ptr[0]))
            out = pool[ptr[0]:ptr[0] + k]
            ptr[0] += k
            return out

        self.benign = {k: [] for k in ("household", "campus_nat", "mod_team", "fan_community",
                                       "ama_crowd", "meetup_club", "vpn_exit", "carrier_nat")}
        n_hh_acc = 0
        while n_hh_acc < 0.03 * N:
            k = int(rng.choice([2, 3, 4, 5, 6], p=[.38, .27, .2, .1, .05]))
            self.benign["household"].append(self.new_group("household", take(k), False, "family_member"))
            n_hh_acc += k
        for i in range(self.ns(3)):
            uni = (i % 3) != 2
            k = int(rng.integers(150, 601)) if uni else int(rng.integers(80, 301))
            g = self.new_group("campus_nat", take(k), False, "student" if uni else "employee")
            g["uni"] = uni
            self.benign["campus_nat"].append(g)
        for _ in range(self.ns(10)):
            self.benign["mod_team"].append(self.new_group("mod_team", take(int(rng.integers(5, 16))), False, "moderator"))
        for _ in range(self.ns(2)):
            m = take(int(rng.integers(121, 452)))
            roles = np.full(len(m), "fan", dtype=object); roles[0] = "celebrity"
            self.benign["fan_community"].append(self.new_group("fan_community", m, False, roles))
        for _ in range(self.ns(3)):
            m = take(int(rng.integers(151, 602)))
            roles = np.full(len(m), "attendee", dtype=object); roles[0] = "host"
            self.benign["ama_crowd"].append(self.new_group("ama_crowd", m, False, roles))
        for _ in range(self.ns(8)):
            self.benign["meetup_club"].append(self.new_group("meetup_club", take(int(rng.integers(8, 31))), False, "club_member"))
        for _ in range(self.ns(4)):
            self.benign["vpn_exit"].append(self.new_group("vpn_exit", take(int(rng.integers(100, 301))), False, "vpn_user"))
        # carriers: weights, NAT ip counts
        self.n_carriers = max(3, int(round(3 * self.s ** 0.5)))
        self.carrier_w = rng.dirichlet(np.full(self.n_carriers, 3.0))
        self.carrier_nip = rng.integers(3, 9, self.n_carriers)
        n_mob = int(0.12 * N)
        mob = take(n_mob)
        mob_car = rng.choice(self.n_carriers, len(mob), p=self.carrier_w)
        for c in range(self.n_carriers):
            m = mob[mob_car == c]
            if len(m):
                g = self.new_group("carrier_nat", m, False, "mobile_only")
                g["carrier"] = c
                self.benign["carrier_nat"].append(g)
        self.free_organic = pool[ptr[0]:]
        # VPN providers (2-4 exit IPs each); groups use the first providers
        self.n_vpn = max(6, len(self.benign["vpn_exit"]) + 3)
        self.vpn_nip = rng.integers(2, 5, self.n_vpn)

        self._group_attributes()

        # home communities
        self.C = max(40, N // 100)
        rank = np.arange(self.C)
        self.comm_w = 1.0 / (rank + 3.0) ** 1.05
        self.comm_w /= self.comm_w.sum()
        self.comm_boost = 0.25 * np.log(self.comm_w / self.comm_w.mean())
        k = 1 + rng.poisson(2.5, N) + 2 * (self.profile == PR_CREATOR)
        k = np.minimum(k, 12)
        self.home_k = k
        self.home_off = np.cumsum(k) - k
        self.home_flat = rng.choice(self.C, int(k.sum()), p=self.comm_w)
        self._group_communities()

        self.span_lo = np.maximum(self.created + (rng.random(N) * 2 * HOUR).astype(np.int64), START)
        self.span_lo = np.maximum(self.span_lo, self.span_lo_override)
        self.span_hi = np.full(N, END, dtype=np.int64)
        ch = self.churn & (self.gidx < 0) & ~self.is_bad
        self.span_hi[ch] = self.span_lo[ch] + (rng.random(int(ch.sum())) * (END - self.span_lo[ch])).astype(np.int64)
        self.span_hi = np.minimum(self.span_hi, self.span_hi_override)
        self.span_hi = np.maximum(self.span_hi, self.span_lo + MIN)

    def _group_attributes(self) -> None:
        rng = self.rng
        N = self.N
        self.span_lo_override = np.zeros(N, dtype=np.int64)
        self.span_hi_override = np.full(N, END, dtype=np.int64)
        tz_choices = [5.5, 6, 7, 3, -3, 1, 8, 2]
        for g in self.bad_groups:
            m = g["members"]; n = len(m); kind = g["kind"]
            self.churn[m] = False
            if kind == "vote_ring":
                n_aged = int(round(n * rng.uniform(.3, .7)))
                aged = np.zeros(n, dtype=bool); aged[rng.permutation(n)[:n_aged]] = True
                g["aged"] = aged
                bought = START + int(rng.uniform(-60, 40) * DAY)
                self.created[m[aged]] = (START - rng.uniform(1.5, 9, n_aged) * YEAR).astype(np.int64) // SEC * SEC
                self.span_lo_override[m[aged]] = max(START, bought) + (rng.random(n_aged) * 14 * DAY).astype(np.int64)
                nb = n - n_aged
                batches = START + (rng.uniform(-90, 120, int(rng.integers(2, 6))) * DAY).astype(np.int64)
                bi = rng.integers(0, len(batches), nb)
                order = np.argsort(bi, kind="stable")
                ex = np.empty(nb, dtype=np.int64)
                ex[order] = rep_arange(np.bincount(bi, minlength=len(batches)))
                cr = batches[bi] + (ex * rng.uniform(60, 180) * SEC + rng.exponential(40 * SEC, nb)).astype(np.int64)
                self.created[m[~aged]] = cr // SEC * SEC
                self.span_lo_override[m[~aged]] = self.created[m[~aged]] + (rng.uniform(.5, 10, nb) * DAY).astype(np.int64)
                self.profile[m] = PR_COVER
                self.level[m] = self.lognorm(45, .6, n)
                self.front[m] = rng.uniform(.75, .95, n)
                self.tz[m] = rng.choice(tz_choices)
                bus = ~aged & (rng.random(n) < .6)
                self.country[m[bus]] = 0
                self.acct_type[m] = "standard"
                g["roles"] = np.where(aged, "bought_aged", "batch_registered")
            elif kind == "sockpuppet_operator":
                main, pup = m[0], m[1:]
                self.created[main] = (START - rng.uniform(1, 8) * YEAR) // SEC * SEC
                self.profile[main] = PR_CREATOR
                self.level[main] = self.lognorm(180, .5, 1)[0]
                self.created[pup] = ((START + rng.uniform(-3 * 365, 150, len(pup)) * DAY) // SEC * SEC).astype(np.int64)
                self.profile[pup] = rng.choice([PR_LURK, PR_NORMAL], len(pup), p=[.7, .3])
                self.level[pup] = self.lognorm(12, .8, len(pup))
                self.tz[m] = self.tz[main]; self.country[m] = self.country[main]
                g["roles"] = np.array(["main"] + ["puppet"] * len(pup), dtype=object)
            elif kind == "astroturf_campaign":
                tz = float(rng.choice([-5, -8, 0, 1, 5.5, 8]))
                waves = START + (rng.uniform(-120, 100, int(rng.integers(2, 5))) * DAY).astype(np.int64)
                wi = rng.integers(0, len(waves), n)
                cr = self.sample_times(waves[wi], waves[wi] + (rng.uniform(1, 2, n) * DAY).astype(np.int64), tz, TP_BUSINESS)
                self.created[m] = cr // SEC * SEC
                self.profile[m] = PR_LURK
                self.level[m] = self.lognorm(5, .7, n)
                self.tprof[m] = TP_BUSINESS
                self.tz[m] = tz
                self.country[m] = int(rng.integers(0, 8))
                g["tzv"] = tz
                g["roles"] = "agency_account"
            elif kind == "spam_bot_net":
                reg = START + int(rng.uniform(-20, 165) * DAY)
                self.created[m] = (reg + rng.random(n) * rng.uniform(1, 4) * DAY).astype(np.int64) // SEC * SEC
                self.profile[m] = PR_NONE
                self.level[m] = 0
                self.tprof[m] = TP_FLAT
                self.country[m[rng.random(n) < .5]] = -1
                self.client[m] = 0
                g["roles"] = "bot"
            elif kind == "karma_farm":
                c0 = START - int(rng.uniform(30, 200) * DAY)
                self.created[m] = (c0 + np.sort(rng.random(n)) * n * rng.uniform(.5, 2) * DAY).astype(np.int64) // SEC * SEC
                self.profile[m] = PR_NORMAL
                self.level[m] = self.lognorm(50, .5, n)
                self.tz[m] = rng.choice(tz_choices)
                sale = START + int(rng.uniform(50, 150) * DAY)
                g["sale"] = sale
                g["transfer"] = sale + (rng.random(n) * 7 * DAY).astype(np.int64)
                g["roles"] = "farmed_account"
            self.role[m] = g["roles"]
        for m in self.lone["lone_spammer"]:
            self.created[m] = ((START + rng.uniform(0, 175) * DAY) // SEC * SEC)
            self.level[m] = 0; self.profile[m] = PR_NONE; self.role[m] = "spammer"
        for m in self.lone["lone_troll"]:
            self.profile[m] = PR_TROLL; self.level[m] = self.lognorm(150, .5, 1); self.role[m] = "troll"
            self.churn[m] = False
        for m in self.lone["lone_vote_manipulator"]:
            self.profile[m[0]] = PR_CREATOR; self.level[m[0]] = self.lognorm(90, .5, 1)[0]
            self.profile[m[1:]] = PR_LURK; self.level[m[1:]] = self.lognorm(6, .6, len(m) - 1)
            self.created[m[1:]] = ((START + rng.uniform(-500, 60, len(m) - 1) * DAY) // SEC * SEC).astype(np.int64)
            self.tz[m] = self.tz[m[0]]
            self.churn[m] = False
            self.role[m[0]] = "main"; self.role[m[1:]] = "alt"

        # benign
        for g in self.benign["household"]:
            m = g["members"]
            self.country[m] = self.country[m[0]]; self.tz[m] = self.tz[m[0]]
            # kids sign up later than parents
            self.created[m[2:]] = np.maximum(self.created[m[2:]], self.created[m[0]] + int(rng.uniform(0, 4) * YEAR))
            self.created[m] = np.minimum(self.created[m], END - 5 * DAY)
        for g in self.benign["campus_nat"]:
            m = g["members"]; n = len(m)
            c = int(rng.choice([0, 0, 0, 1, 2, 3, 7]))
            self.country[m] = c
            self.tz[m] = COUNTRY_TZ[c][0]
            if g["uni"]:
                u = rng.random(n)
                sp = u < .45
                fa = (u >= .45) & (u < .60)
                base_sp = START + 7 * DAY
                base_fa = START - 125 * DAY
                self.created[m[sp]] = self.sample_times(base_sp + (rng.exponential(4, sp.sum()) * DAY).clip(0, 20 * DAY).astype(np.int64),
                                                        base_sp + 21 * DAY, self.tz[m[sp]], TP_EVENING) // SEC * SEC
                self.created[m[fa]] = (base_fa + rng.exponential(4, fa.sum()).clip(0, 20) * DAY).astype(np.int64) // SEC * SEC
                self.profile[m] = rng.choice([PR_LURK, PR_NORMAL, PR_CREATOR], n, p=[.45, .45, .10])
            else:
                self.tprof[m] = TP_BUSINESS
        for g in self.benign["mod_team"]:
            m = g["members"]
            self.profile[m] = rng.choice([PR_NORMAL, PR_CREATOR], len(m), p=[.5, .5])
            self.level[m] = self.lognorm(260, .6, len(m))
            self.created[m] = np.minimum(self.created[m], START - (rng.uniform(.5, 6, len(m)) * YEAR).astype(np.int64))
            self.churn[m] = False
        for kind in ("fan_community", "ama_crowd"):
            for g in self.benign[kind]:
                h = g["members"][0]
                self.acct_type[h] = "verified"; self.profile[h] = PR_CREATOR
                self.level[h] = self.lognorm(60, .4, 1)[0]
                self.created[h] = min(self.created[h], START - 30 * DAY)
                self.churn[h] = False
        for g in self.benign["carrier_nat"]:
            m = g["members"]
            self.home_ip[m] = False
            self.client[m] = rng.choice([1, 2], len(m))
        for g in self.benign["vpn_exit"]:
            m = g["members"]
            self.home_ip[m] = rng.random(len(m)) < .3
        self.created = np.minimum(self.created, END - DAY)

    def _group_communities(self) -> None:
        """Special communities for benign groups; make them part of the members' home sets."""
        rng = self.rng
        C = self.C
        small = np.arange(C // 3, C)
        big = np.arange(0, max(10, C // 5))
        used = set()

        def pick_from(arr):
            for _ in range(50):
                c = int(rng.choice(arr))
                if c not in used:
                    used.add(c)
                    return c
            return int(rng.choice(arr))

        extra_acct, extra_comm = [], []
        for g in self.benign["mod_team"]:
            g["comm"] = pick_from(big)
            extra_acct.append(g["members"]); extra_comm.append(np.full(len(g["members"]), g["comm"]))
        for kind in ("campus_nat", "fan_community", "meetup_club"):
            for g in self.benign[kind]:
                g["comm"] = pick_from(small)
                m = g["members"]
                sel = m[rng.random(len(m)) < .8]
                extra_acct.append(sel); extra_comm.append(np.full(len(sel), g["comm"]))
        for g in self.benign["ama_crowd"]:
            g["comm"] = pick_from(np.arange(0, max(20, C // 3)))
        for g in self.bad_groups:
            if g["kind"] == "astroturf_campaign":
                g["comms"] = rng.choice(np.arange(5, max(30, C // 3)), int(rng.integers(2, 5)), replace=False)
            if g["kind"] == "spam_bot_net":
                k = int(min(rng.integers(10, 61), C))
                g["comms"] = rng.choice(C, k, replace=False, p=self.comm_w)
        if extra_acct:
            # rebuild flat home lists with the extra community appended
            ea = np.concatenate(extra_acct); ec = np.concatenate(extra_comm)
            acct_all = np.concatenate([np.repeat(np.arange(self.N), self.home_k), ea])
            comm_all = np.concatenate([self.home_flat, ec])
            order = np.argsort(acct_all, kind="stable")
            self.home_flat = comm_all[order]
            self.home_k = np.bincount(acct_all, minlength=self.N)
            self.home_off = np.cumsum(self.home_k) - self.home_k

    # ---------------------------------------------------------------- 2. organic skeleton
    def organic_skeleton(self) -> None:
        rng = self.rng
        ids = np.nonzero(self.level > 0)[0]
        frac = (self.span_hi[ids] - self.span_lo[ids]) / WIN
        n_ev = rng.poisson(self.level[ids] * frac)
        alpha = MIX[self.profile[ids]] * 30 + 1e-9
        g = rng.gamma(alpha)
        probs = g / g.sum(axis=1, keepdims=True)
        counts = rng.multinomial(n_ev, probs)
        tot = counts.sum(axis=1)
        # sessions
        k = 1 + rng.gamma(2.0, 3.0, len(ids))
        s = np.maximum(1, np.ceil(tot / k)).astype(np.int64)
        s_acct = np.repeat(ids, s)
        s_ts = self.sample_times(self.span_lo[s_acct], self.span_hi[s_acct], self.tz[s_acct], self.tprof[s_acct])
        s_len = self.lognorm(6 * MIN, .9, len(s_acct))
        s_off = np.cumsum(s) - s
        flat = counts.ravel()
        ev_local = np.repeat(np.repeat(np.arange(len(ids)), NMIX), flat)
        ev_col = np.repeat(np.tile(np.arange(NMIX), len(ids)), flat)
        ev_sess = s_off[ev_local] + (rng.random(len(ev_local)) * s[ev_local]).astype(np.int64)
        ev_acct = ids[ev_local]
        ev_ts = s_ts[ev_sess] + (rng.random(len(ev_local)) * s_len[ev_sess]).astype(np.int64)
        ev_ts = np.minimum(ev_ts, self.span_hi[ev_acct] - 1)
        self.sk_acct, self.sk_col, self.sk_ts = ev_acct, ev_col, ev_ts
        # onboarding: new accounts join a few home communities right after signing up
        new = ids[self.created[ids] >= START]
        kj = np.minimum(self.home_k[new], rng.integers(1, 6, len(new)))
        a = np.repeat(new, kj)
        r = rep_arange(kj)
        comm = self.home_flat[self.home_off[a] + r]
        t = self.created[a] + (rng.exponential(40 * SEC, len(a)) * (r + 1) + 20 * SEC).astype(np.int64)
        self.ev.add(a, A_JOIN, TK_COMM, comm, t, comm)

    def sk_take(self, col) -> tuple[np.ndarray, np.ndarray]:
        m = self.sk_col == col
        return self.sk_acct[m], self.sk_ts[m]

    # ---------------------------------------------------------------- 3. posts
    def phase_posts(self) -> None:
        rng = self.rng
        self.P = Entities(["author", "comm", "ts", "logpop", "kind", "domain"])
        P = self.P
        a, t = self.sk_take(C_SUBMIT)
        comm = self.home_pick(a)
        lp = rng.normal(0, 1.4, len(a)) + self.comm_boost[comm]
        pos = P.add(author=a, comm=comm, ts=t, logpop=lp, kind=PK_ORG, domain=-1)
        self.ev.add(a, A_SUBMIT, TK_COMM, comm, t, comm, pos)

        def post(author, comm, ts, logpop, kind, domain=-1):
            author = np.asarray(author, dtype=np.int64)
            comm = np.broadcast_to(np.asarray(comm, dtype=np.int64), author.shape)
            ts = np.asarray(ts, dtype=np.int64)
            pos = P.add(author=author, comm=comm, ts=ts, logpop=np.broadcast_to(logpop, author.shape),
                        kind=kind, domain=np.broadcast_to(np.asarray(domain), author.shape))
            self.ev.add(author, A_SUBMIT, TK_COMM, comm, ts, comm, pos)
            return pos

        self._post = post
        for g in self.bad_groups:
            getattr(self, "_posts_" + g["kind"])(g)
        for m in self.lone["lone_spammer"]:
            a0 = int(m[0])
            k = int(rng.integers(4, 30))
            t0 = max(self.created[a0] + HOUR, START)
            ts = t0 + np.sort(rng.random(k)) * rng.uniform(1, 6) * DAY
            comms = rng.choice(self.C, k, p=self.comm_w)
            post(np.full(k, a0), comms, ts.astype(np.int64), rng.normal(-1.8, .6, k), PK_SPAM,
                 int(self.fresh(99, 1)[0] % 100000))
        for g in self.benign["fan_community"]:
            h = g["members"][0]
            k = int(rng.integers(6, 16))
            ts = self.sample_times(np.full(k, START + DAY), END - 3 * DAY, self.tz[h], TP_EVENING)
            comms = np.where(rng.random(k) < .75, g["comm"], rng.choice(self.C, k, p=self.comm_w))
            g["post_pos"] = post(np.full(k, h), comms, ts, rng.normal(3.5, .5, k), PK_CELEB)
        for g in self.benign["ama_crowd"]:
            h = g["members"][0]
            T = int(START + rng.uniform(10, 170) * DAY)
            T = T - T % HOUR + 17 * HOUR - int(self.tz[h] * HOUR)  # scheduled: 17:00 host time
            g["T"] = T
            g["post_pos"] = post([h], g["comm"], [T], [4.0], PK_AMA)
        for g in self.benign["meetup_club"]:
            m = g["members"]
            k = rng.integers(0, 7, len(m))
            a = np.repeat(m, k)
            ts = self.sample_times(np.maximum(self.span_lo[a], START), self.span_hi[a], self.tz[a], TP_EVENING)
            g["post_pos"] = post(a, g["comm"], ts, rng.normal(0, 1, len(a)), PK_CLUB)
        P.finalize()
        self.ev.remap_obj(A_SUBMIT, P.newidx)
        self.post_pool = Pool(P.ts, P.comm, P.logpop)

    def _posts_vote_ring(self, g) -> None:
        rng = self.rng
        cand = self.free_organic[self.profile[self.free_organic] != PR_LURK]
        cand = cand[self.span_hi[cand] - self.span_lo[cand] > 60 * DAY]
        clients = rng.choice(cand, int(rng.integers(4, 16)), replace=False)
        self.role[clients] = "ring_client"
        g["clients"] = clients
        nj = int(rng.integers(15, 45))
        cl = rng.choice(clients, nj)
        lo = np.maximum(self.span_lo[cl], START + 10 * DAY)
        T = self.sample_times(lo, np.maximum(lo + DAY, self.span_hi[cl] - 2 * DAY), self.tz[cl], TP_EVENING)
        g["job_pos"] = self._post(cl, self.home_pick(cl), T, rng.normal(.3, .8, nj), PK_CLIENT)

    def _posts_sockpuppet_operator(self, g) -> None:
        rng = self.rng
        m = g["members"]; pup = m[1:]
        k = rng.poisson(1.5, len(pup))
        a = np.repeat(pup, k)
        ts = self.sample_times(self.span_lo[a], self.span_hi[a], self.tz[a], TP_EVENING)
        self._post(a, self.home_pick(np.full(len(a), m[0])), ts, rng.normal(-.3, 1, len(a)), PK_PUPPET)

    def _posts_astroturf_campaign(self, g) -> None:
        rng = self.rng
        m = g["members"]
        first = np.sort(self.created[m])[min(len(m) - 1, 4)]
        lo = max(START + 5 * DAY, int(first) + 2 * DAY)
        if lo >= END - 6 * DAY:
            lo = END - 20 * DAY
        n_push = int(rng.integers(2, 6))
        pushes = np.sort(lo + (rng.random(n_push) * (END - 6 * DAY - lo)).astype(np.int64))
        g["pushes"] = []
        for P0 in pushes:
            avail = m[self.created[m] < P0]
            if len(avail) < 3:
                avail = m[np.argsort(self.created[m])[:3]]
            k = int(rng.integers(1, 4))
            au = rng.choice(avail, k)
            ts = self.sample_times(np.full(k, P0), P0 + 36 * HOUR, g["tzv"], TP_BUSINESS)
            pos = self._post(au, rng.choice(g["comms"], k), ts, rng.normal(.8, .6, k), PK_ASTRO)
            g["pushes"].append({"T": int(P0), "avail": avail, "pos": pos, "dur": int(rng.uniform(1, 4) * DAY)})

    def _posts_spam_bot_net(self, g) -> None:
        rng = self.rng
        m = g["members"]; n = len(m)
        start = self.created[m] + (rng.uniform(.1, 3, n) * DAY).astype(np.int64)
        life = ((rng.exponential(12, n) + 1) * DAY).astype(np.int64)
        stop = np.minimum(start + life, END)
        self.span_hi[m] = np.maximum(stop, self.span_lo[m] + HOUR)
        interval = rng.uniform(3, 12, n) * HOUR
        k = np.maximum(0, ((stop - start) / interval).astype(np.int64))
        k = np.minimum(k, 2000)
        a = np.repeat(m, k)
        r = rep_arange(k)
        iv = np.repeat(interval, k)
        ts = np.repeat(start, k) + (iv * (r + rng.uniform(.6, 1.4, len(a)))).astype(np.int64)
        keep = (ts < END) & (ts >= START)
        a, ts = a[keep], ts[keep]
        comms = rng.choice(g["comms"], len(a))
        domains = self.fresh(98, int(rng.integers(2, 6))) % 1_000_000
        g["domains"] = domains
        self._post(a, comms, ts, rng.normal(-2, .7, len(a)), PK_SPAM, rng.choice(domains, len(a)))
        # join each community just before the first post there
        df = pl.DataFrame({"a": a, "c": comms, "t": ts}).group_by(["a", "c"]).agg(pl.col("t").min()).sort(["a", "c"])
        jt = df["t"].to_numpy() - (rng.uniform(10, 300, df.height) * SEC).astype(np.int64)
        self.ev.add(df["a"].to_numpy(), A_JOIN, TK_COMM, df["c"].to_numpy(), jt, df["c"].to_numpy())
        g["start"], g["stop"] = start, stop

    def _posts_karma_farm(self, g) -> None:
        rng = self.rng
        m = g["members"]; n = len(m)
        lo = np.maximum(self.created[m], START)
        tr = g["transfer"]
        # farming: a repost every 1-4 days into a big community
        gap = rng.uniform(4, 12, n) * DAY
        k = np.maximum(0, ((tr - lo) / gap).astype(np.int64))
        a_idx = np.repeat(np.arange(n), k)
        ts = self.sample_times(lo[a_idx], tr[a_idx], self.tz[m[a_idx]], TP_EVENING)
        big = np.arange(max(10, self.C // 8))
        pw = self.comm_w[big] / self.comm_w[big].sum()
        g["farm_pos"] = self._post(m[a_idx], rng.choice(big, len(a_idx), p=pw), ts,
                                   rng.normal(1.0, .7, len(a_idx)), PK_FARM)
        # after the sale: promotions
        n_buy = int(rng.integers(1, 4))
        g["buyer"] = rng.integers(0, n_buy, n)
        k2 = rng.poisson(4, n)
        b_idx = np.repeat(np.arange(n), k2)
        ts2 = self.sample_times(tr[b_idx] + DAY, np.full(len(b_idx), END), self.tz[m[b_idx]], TP_EVENING)
        bcomms = rng.choice(self.C, (n_buy, 3), p=self.comm_w)
        cm = bcomms[g["buyer"][b_idx], rng.integers(0, 3, len(b_idx))]
        keep = ts2 < END
        dom = self.fresh(98, n_buy) % 1_000_000
        g["promo_pos"] = self._post(m[b_idx][keep], cm[keep], ts2[keep], rng.normal(-.5, .8, int(keep.sum())),
                                    PK_PROMO, dom[g["buyer"][b_idx][keep]])

    # ---------------------------------------------------------------- 4. comments
    def phase_comments(self) -> None:
        rng = self.rng
        P = self.P
        self.Cm = Entities(["author", "post", "comm", "ts", "logpop", "kind"])
        Cm = self.Cm
        a, t = self.sk_take(C_COMMENT)
        post = self.pick_post(a, t, age_med=3 * HOUR)
        ok = post >= 0
        a, t, post = a[ok], t[ok], post[ok]
        self._comment(a, post, t, 0.35 * P.logpop[post] + rng.normal(0, 1, len(a)), 0)

        for g in self.bad_groups:
            fn = getattr(self, "_comments_" + g["kind"], None)
            if fn:
                fn(g)
        for g in self.benign["fan_community"]:
            posts = P.newidx[g["post_pos"]]
            fans = g["members"][1:]
            g["posts"] = posts
            g["parts"] = []
            for p in posts:
                part = fans[rng.random(len(fans)) < rng.uniform(.3, .7)]
                g["parts"].append(part)
                c = part[rng.random(len(part)) < .25]
                ts = P.ts[p] + self.lognorm(6 * MIN, 1.0, len(c)).astype(np.int64)
                self._comment(c, np.full(len(c), p), ts, rng.normal(0, 1, len(c)), 0)
        for g in self.benign["ama_crowd"]:
            p = int(P.newidx[g["post_pos"][0]])
            g["post"] = p
            att = g["members"][1:]
            q = att[rng.random(len(att)) < .5]
            ts = P.ts[p] + self.lognorm(10 * MIN, .9, len(q)).astype(np.int64)
            g["q_pos"] = self._comment(q, np.full(len(q), p), ts, rng.normal(.5, 1, len(q)), 0)
        Cm.finalize()
        self.ev.remap_obj(A_COMMENT, Cm.newidx)
        self.comment_pool = Pool(Cm.ts, Cm.comm, Cm.logpop)

    def _comment(self, author, post, ts, logpop, kind) -> np.ndarray:
        author = np.asarray(author, dtype=np.int64)
        post = np.asarray(post, dtype=np.int64)
        ts = np.asarray(ts, dtype=np.int64)
        comm = self.P.comm[post]
        pos = self.Cm.add(author=author, post=post, comm=comm, ts=ts, logpop=np.asarray(logpop, dtype=float),
                          kind=np.full(len(author), kind))
        self.ev.add(author, A_COMMENT, TK_POST, post, ts, comm, pos)
        return pos

    def pick_post(self, a, t, age_med=5 * HOUR, bias=1.0, ncand=16):
        rng = self.rng
        fr = rng.random(len(a)) < self.front[a]
        out = np.full(len(a), -1, dtype=np.int64)
        out[fr] = self.post_pool.pick(rng, t[fr], None, age_med, 1.2, ncand, bias)
        nf = ~fr
        out[nf] = self.post_pool.pick(rng, t[nf], self.home_pick(a[nf]), age_med * 2, 1.2, ncand, bias)
        miss = out < 0
        out[miss] = self.post_pool.pick(rng, t[miss], None, age_med, 1.2, ncand, bias)
        return out

    def pick_comment(self, a, t, age_med=3 * HOUR, bias=1.0):
        rng = self.rng
        fr = rng.random(len(a)) < self.front[a]
        out = np.full(len(a), -1, dtype=np.int64)
        out[fr] = self.comment_pool.pick(rng, t[fr], None, age_med, 1.1, 16, bias)
        nf = ~fr
        out[nf] = self.comment_pool.pick(rng, t[nf], self.home_pick(a[nf]), age_med * 2, 1.1, 16, bias)
        miss = out < 0
        out[miss] = self.comment_pool.pick(rng, t[miss], None, age_med, 1.1, 16, bias)
        return out

    def _comments_sockpuppet_operator(self, g) -> None:
        rng, P = self.rng, self.P
        m = g["members"]; main, pup = m[0], m[1:]
        posts = np.nonzero(P.author == main)[0]
        g["main_posts"] = posts
        for p in posts:
            if rng.random() < .5:
                k = int(rng.integers(1, min(3, len(pup)) + 1))
                c = rng.choice(pup, k, replace=False)
                ts = P.ts[p] + np.cumsum(self.lognorm(40 * MIN, 1.0, k)).astype(np.int64)
                self._comment(c, np.full(k, p), ts, rng.normal(0, .8, k), 0)

    def _comments_astroturf_campaign(self, g) -> None:
        rng, P = self.rng, self.P
        for push in g["pushes"]:
            own = P.newidx[push["pos"]]
            comms = rng.choice(g["comms"], int(rng.integers(1, 3)))
            other = self.post_pool.pick(rng, np.full(len(comms), push["T"]), comms, 10 * HOUR, 1.0, 25, 2.0)
            threads = np.concatenate([own, other[other >= 0]])
            push["threads"] = threads
            av = push["avail"]
            part = av[rng.random(len(av)) < rng.uniform(.4, .9)]
            k = rng.integers(1, 4, len(part))
            a = np.repeat(part, k)
            th = rng.choice(threads, len(a))
            lo = np.maximum(P.ts[th] + 10 * MIN, push["T"])
            ts = self.sample_times(lo, np.maximum(lo + HOUR, push["T"] + push["dur"]), g["tzv"], TP_BUSINESS)
            push["c_pos"] = self._comment(a, th, ts, rng.normal(.3, .8, len(a)), 2)

    def _comments_spam_bot_net(self, g) -> None:
        rng = self.rng
        m = g["members"]
        for i in np.nonzero(rng.random(len(m)) < .3)[0]:
            b = m[i]
            lo, hi = max(g["start"][i], START), g["stop"][i]
            if hi <= lo:
                continue
            k = max(1, int((hi - lo) / DAY * rng.uniform(1, 5)))
            ts = np.sort(lo + (rng.random(k) * (hi - lo)).astype(np.int64))
            p = self.post_pool.pick(rng, ts, None, 2 * HOUR, 1.0, 16, 1.5)
            ok = p >= 0
            self._comment(np.full(int(ok.sum()), b), p[ok], ts[ok], rng.normal(-2, .5, int(ok.sum())), 1)

    # ---------------------------------------------------------------- 5. interactions
    def phase_interactions(self) -> None:
        rng, P, Cm = self.rng, self.P, self.Cm
        ev = self.ev
        # organic post-targeted actions
        for col, action, age, bias in ((C_UP_P, A_UP, 5 * HOUR, 1.0), (C_DN_P, A_DOWN, 5 * HOUR, .3),
                                       (C_SAVE, A_SAVE, 8 * HOUR, 1.0), (C_SHARE, A_SHARE, 6 * HOUR, 1.2),
                                       (C_AWARD, A_AWARD, 6 * HOUR, 2.0)):
            a, t = self.sk_take(col)
            p = self.pick_post(a, t, age, bias, 24 if col == C_AWARD else 16)
            ok = (p >= 0)
            ok[ok] &= P.author[p[ok]] != a[ok]
            ev.add(a[ok], action, TK_POST, p[ok], t[ok], P.comm[p[ok]])
        for col, action, bias in ((C_UP_C, A_UP, 1.0), (C_DN_C, A_DOWN, .3), (C_REPLY, A_REPLY, .8)):
            a, t = self.sk_take(col)
            c = self.pick_comment(a, t, 3 * HOUR, bias)
            ok = c >= 0
            ok[ok] &= Cm.author[c[ok]] != a[ok]
            ev.add(a[ok], action, TK_COMMENT, c[ok], t[ok], Cm.comm[c[ok]], -2 if action == A_REPLY else -1)
        # reports: mostly spam posts and troll comments
        a, t = self.sk_take(C_REPORT)
        rep_posts = np.nonzero(np.isin(P.kind, REPORTABLE))[0]
        rpool = Pool(P.ts[rep_posts], P.comm[rep_posts], np.zeros(len(rep_posts)), rep_posts)
        trolls = np.concatenate(self.lone["lone_troll"]) if self.lone["lone_troll"] else np.zeros(0, np.int64)
        tc = np.nonzero(np.isin(Cm.author, trolls) | (Cm.kind == 1))[0]
        tpool = Pool(Cm.ts[tc], Cm.comm[tc], np.zeros(len(tc)), tc)
        u = rng.random(len(a))
        on_c = u < .3
        cc = tpool.pick(rng, t[on_c], None, 3 * HOUR, 1.2, 8, 0)
        okc = cc >= 0
        ev.add(a[on_c][okc], A_REPORT, TK_COMMENT, cc[okc], t[on_c][okc], Cm.comm[cc[okc]])
        onp = ~on_c
        pp = rpool.pick(rng, t[onp], None, 3 * HOUR, 1.2, 8, 0)
        rnd = (pp < 0) | (rng.random(len(pp)) < .25)
        pp[rnd] = self.post_pool.pick(rng, t[onp][rnd], None, 5 * HOUR, 1.2, 16, 0)
        okp = pp >= 0
        ev.add(a[onp][okp], A_REPORT, TK_POST, pp[okp], t[onp][okp], P.comm[pp[okp]])
        self.reported_posts = np.unique(pp[okp])
        self.reported_comments = np.unique(cc[okc])
        # extra community-fan reports: every spam post visible for a while gets a few reports
        sp = rep_posts[rng.random(len(rep_posts)) < .2]
        nr = rng.poisson(1.2, len(sp))
        sp_r = np.repeat(sp, nr)
        reporters = rng.choice(self.free_organic, len(sp_r))
        rt = P.ts[sp_r] + self.lognorm(40 * MIN, 1.2, len(sp_r)).astype(np.int64)
        ev.add(reporters, A_REPORT, TK_POST, sp_r, rt, P.comm[sp_r])
        self.reported_posts = np.union1d(self.reported_posts, sp_r)
        # follows / joins / leaves
        a, t = self.sk_take(C_FOLLOW)
        if P.n:
            tgt = P.author[rng.integers(0, P.n, len(a))]
            ok = tgt != a
            ev.add(a[ok], A_FOLLOW, TK_USER, tgt[ok], t[ok])
        for col, action in ((C_JOIN, A_JOIN), (C_LEAVE, A_LEAVE)):
            a, t = self.sk_take(col)
            c = self.home_pick(a)
            ev.add(a, action, TK_COMM, c, t, c)
        self.sk_acct = self.sk_col = self.sk_ts = None

        for g in self.bad_groups:
            getattr(self, "_act_" + g["kind"])(g)
        self._act_lone_manip()
        self._act_households()
        self._act_clubs()
        self._act_fans()
        self._act_ama()
        self._act_campus()
        self._act_mods()

    def _act_vote_ring(self, g) -> None:
        rng, P, ev = self.rng, self.P, self.ev
        m = g["members"]
        posts = P.newidx[g["job_pos"]]
        acc, tt, tk, ti, cm, act = [], [], [], [], [], []
        for p in posts:
            T = int(P.ts[p])
            avail = m[self.span_lo[m] <= T + HOUR]
            if len(avail) < 3:
                continue
            k = min(len(avail), max(2, int(round(rng.uniform(.10, .35) * len(avail)))))
            part = rng.choice(avail, k, replace=False)
            st = T + int(self.lognorm(25 * MIN, .8, 1)[0])
            D = rng.uniform(5, 40) * MIN
            vt = st + (rng.random(k) * D + rng.normal(0, 30 * SEC, k)).astype(np.int64)
            acc.append(part); tt.append(vt); tk.append(np.full(k, TK_POST)); ti.append(np.full(k, p))
            cm.append(np.full(k, P.comm[p])); act.append(np.full(k, A_UP))
            sv = rng.random(k) < .1
            acc.append(part[sv]); tt.append(vt[sv] + (rng.uniform(2, 60, sv.sum()) * SEC).astype(np.int64))
            tk.append(np.full(sv.sum(), TK_POST)); ti.append(np.full(sv.sum(), p)); cm.append(np.full(sv.sum(), P.comm[p]))
            act.append(np.full(sv.sum(), A_SAVE))
            if rng.random() < .3:
                nc = int(rng.integers(1, 4))
                comp = self.post_pool.pick(rng, np.full(nc, T), np.full(nc, P.comm[p]), 8 * HOUR, 1.0, 12, .5)
                comp = np.unique(comp[(comp >= 0) & (comp != p)])
                for c in comp:
                    sub = rng.random(k) < rng.uniform(.3, .7)
                    acc.append(part[sub]); tt.append(vt[sub] + (rng.uniform(5, 180, sub.sum()) * SEC).astype(np.int64))
                    tk.append(np.full(sub.sum(), TK_POST)); ti.append(np.full(sub.sum(), c))
                    cm.append(np.full(sub.sum(), P.comm[c])); act.append(np.full(sub.sum(), A_DOWN))
        if acc:
            ev.add(np.concatenate(acc), np.concatenate(act), np.concatenate(tk), np.concatenate(ti),
                   np.concatenate(tt), np.concatenate(cm))

    def _act_sockpuppet_operator(self, g) -> None:
        rng, P, Cm, ev = self.rng, self.P, self.Cm, self.ev
        m = g["members"]; main, pup = m[0], m[1:]
        for p in g["main_posts"]:
            k = rng.binomial(len(pup), rng.uniform(.3, .8))
            if k == 0:
                continue
            v = rng.choice(pup, k, replace=False)
            first = P.ts[p] + self.lognorm(20 * MIN, 1.0, 1)[0]
            ts = (first + np.concatenate([[0], np.cumsum(rng.uniform(30, 360, k - 1) * SEC)])).astype(np.int64)
            ev.add(v, A_UP, TK_POST, p, ts, P.comm[p])
        # main's comments: puppets reply and upvote
        mc = np.nonzero(Cm.author == main)[0]
        for c in mc:
            r = rng.random()
            if r < .2:
                v = rng.choice(pup)
                ev.add([v], A_REPLY, TK_COMMENT, c, [Cm.ts[c] + int(self.lognorm(30 * MIN, 1, 1)[0])], Cm.comm[c], -2)
            if rng.random() < .4:
                k = int(rng.integers(1, min(3, len(pup)) + 1))
                v = rng.choice(pup, k, replace=False)
                ts = Cm.ts[c] + np.cumsum(rng.uniform(1, 15, k) * MIN).astype(np.int64)
                ev.add(v, A_UP, TK_COMMENT, c, ts, Cm.comm[c])
        # critics in main's threads get downvoted
        crit = np.nonzero(np.isin(Cm.post, g["main_posts"]) & ~np.isin(Cm.author, m))[0]
        crit = crit[rng.random(len(crit)) < .3]
        for c in crit:
            k = int(rng.integers(1, min(3, len(pup)) + 1))
            v = rng.choice(pup, k, replace=False)
            ts = Cm.ts[c] + np.cumsum(self.lognorm(15 * MIN, 1, k)).astype(np.int64)
            ev.add(v, A_DOWN, TK_COMMENT, c, ts, Cm.comm[c])
        # main upvotes puppets' posts sometimes
        pp = np.nonzero(np.isin(P.author, pup))[0]
        pp = pp[rng.random(len(pp)) < .5]
        ev.add(np.full(len(pp), main), A_UP, TK_POST, pp, P.ts[pp] + self.lognorm(2 * HOUR, 1, len(pp)).astype(np.int64), P.comm[pp])
        # awards with the main's card
        ncard = int(rng.integers(0, 3))
        g["card_users"] = np.concatenate([[main], rng.choice(pup, min(ncard, len(pup)), replace=False)])
        if len(g["main_posts"]):
            for u in g["card_users"][1:]:
                k = int(rng.integers(1, 6))
                p = rng.choice(g["main_posts"], k)
                ev.add(np.full(k, u), A_AWARD, TK_POST, p, P.ts[p] + self.lognorm(3 * HOUR, 1, k).astype(np.int64), P.comm[p])

    def _act_astroturf_campaign(self, g) -> None:
        rng, P, Cm, ev = self.rng, self.P, self.Cm, self.ev
        m = g["members"]
        g["card_users"] = m[rng.random(len(m)) < rng.uniform(.3, .5)]
        for push in g["pushes"]:
            av = push["avail"]
            cidx = Cm.newidx[push["c_pos"]]
            # upvote each other's comments
            q = rng.uniform(.2, .5)
            for c in cidx:
                v = av[(rng.random(len(av)) < q) & (av != Cm.author[c])]
                ts = Cm.ts[c] + self.lognorm(90 * MIN, 1.0, len(v)).astype(np.int64)
                ev.add(v, A_UP, TK_COMMENT, c, ts, Cm.comm[c])
            own = P.newidx[push["pos"]]
            for p in own:
                v = av[(rng.random(len(av)) < rng.uniform(.5, .8)) & (av != P.author[p])]
                ts = P.ts[p] + self.lognorm(2 * HOUR, 1.0, len(v)).astype(np.int64)
                ev.add(v, A_UP, TK_POST, p, ts, P.comm[p])
            cu = np.intersect1d(g["card_users"], av)
            if len(cu) and len(own):
                k = rng.integers(1, 4, len(cu))
                a = np.repeat(cu, k)
                p = rng.choice(own, len(a))
                ev.add(a, A_AWARD, TK_POST, p, P.ts[p] + self.lognorm(5 * HOUR, .8, len(a)).astype(np.int64), P.comm[p])

    def _act_spam_bot_net(self, g) -> None:
        # bots upvote a few of each other's posts right after posting
        rng, P, ev = self.rng, self.P, self.ev
        m = g["members"]
        bp = np.nonzero(np.isin(P.author, m) & (P.kind == PK_SPAM))[0]
        bp = bp[rng.random(len(bp)) < .3]
        if len(bp) == 0:
            return
        v = rng.choice(m, len(bp))
        ok = v != P.author[bp]
        ev.add(v[ok], A_UP, TK_POST, bp[ok], P.ts[bp[ok]] + (rng.uniform(5, 600, ok.sum()) * SEC).astype(np.int64), P.comm[bp[ok]])

    def _act_karma_farm(self, g) -> None:
        rng, P, ev = self.rng, self.P, self.ev
        m = g["members"]; tr = g["transfer"]
        pos = {x: i for i, x in enumerate(m)}
        fp = P.newidx[g["farm_pos"]]
        q = rng.uniform(.35, .75)
        for p in fp:
            T = P.ts[p]
            ok = (self.created[m] < T) & (tr > T) & (m != P.author[p]) & (rng.random(len(m)) < q)
            v = m[ok]
            ev.add(v, A_UP, TK_POST, p, T + self.lognorm(12 * MIN, 1.0, len(v)).astype(np.int64), P.comm[p])
        pp = P.newidx[g["promo_pos"]]
        for p in pp:
            b = g["buyer"][pos[int(P.author[p])]]
            ok = (g["buyer"] == b) & (m != P.author[p]) & (rng.random(len(m)) < .4)
            v = m[ok]
            ev.add(v, A_UP, TK_POST, p, P.ts[p] + self.lognorm(40 * MIN, 1.0, len(v)).astype(np.int64), P.comm[p])

    def _act_lone_manip(self) -> None:
        rng, P, ev = self.rng, self.P, self.ev
        for m in self.lone["lone_vote_manipulator"]:
            posts = np.nonzero(P.author == m[0])[0]
            for alt in m[1:]:
                p = posts[rng.random(len(posts)) < .8]
                ev.add(np.full(len(p), alt), A_UP, TK_POST, p, P.ts[p] + self.lognorm(8 * MIN, 1, len(p)).astype(np.int64), P.comm[p])

    def _pairs_df(self, groups: list[dict]) -> pl.DataFrame:
        if not groups:
            return pl.DataFrame({"g": [], "a": []}, schema={"g": pl.Int64, "a": pl.Int64})
        gi = np.concatenate([np.full(len(g["members"]), i) for i, g in enumerate(groups)])
        a = np.concatenate([g["members"] for g in groups])
        return pl.DataFrame({"g": gi, "a": a})

    def _member_votes(self, groups, p_vote, delay_med, action=A_UP) -> None:
        """Members of small groups upvote each other's posts (vectorised join)."""
        rng, P = self.rng, self.P
        mem = self._pairs_df(groups)
        if mem.height == 0:
            return
        posts = pl.DataFrame({"p": np.arange(P.n), "author": P.author}).join(mem.rename({"a": "author"}), on="author")
        pairs = posts.join(mem, on="g").filter(pl.col("a") != pl.col("author")).sort(["p", "a"])
        if pairs.height == 0:
            return
        pv = np.asarray(p_vote)[pairs["g"].to_numpy()] if np.ndim(p_vote) else p_vote
        keep = rng.random(pairs.height) < pv
        pr = pairs.filter(pl.Series(keep))
        p = pr["p"].to_numpy()
        self.ev.add(pr["a"].to_numpy(), action, TK_POST, p,
                    P.ts[p] + self.lognorm(delay_med, 1.2, len(p)).astype(np.int64), P.comm[p])

    def _follows(self, groups, p_follow, lo, hi) -> None:
        rng = self.rng
        mem = self._pairs_df(groups)
        if mem.height == 0:
            return
        pairs = mem.join(mem.rename({"a": "b"}), on="g").filter(pl.col("a") != pl.col("b")).sort(["a", "b"])
        pv = np.asarray(p_follow)[pairs["g"].to_numpy()] if np.ndim(p_follow) else p_follow
        pr = pairs.filter(pl.Series(rng.random(pairs.height) < pv))
        a = pr["a"].to_numpy(); b = pr["b"].to_numpy()
        l = np.maximum(np.maximum(self.span_lo[a], self.created[b]), lo[pr["g"].to_numpy()])
        h = np.minimum(self.span_hi[a], hi[pr["g"].to_numpy()])
        t = self.sample_times(l, np.maximum(h, l + MIN), self.tz[a], TP_EVENING)
        self.ev.add(a, A_FOLLOW, TK_USER, b, t)

    def _act_households(self) -> None:
        hh = self.benign["household"]
        self._member_votes(hh, .2, 5 * HOUR)
        n = len(hh)
        self._follows(hh, .3, np.full(n, START), np.full(n, END))
        # family card shared
        for g in hh:
            g["family_card"] = self.rng.random() < .3

    def _act_clubs(self) -> None:
        rng, ev = self.rng, self.ev
        clubs = self.benign["meetup_club"]
        if not clubs:
            return
        pv = rng.uniform(.3, .6, len(clubs))
        self._member_votes(clubs, pv, 3 * HOUR)
        D0 = START + (rng.uniform(5, 120, len(clubs)) * DAY).astype(np.int64)
        for i, g in enumerate(clubs):
            m = g["members"]
            g["D0"] = int(D0[i])
            lo = np.maximum(D0[i], self.created[m])
            t = lo + (rng.random(len(m)) * 20 * HOUR).astype(np.int64)
            ev.add(m, A_JOIN, TK_COMM, g["comm"], t, g["comm"])
            g["meets"] = np.sort(D0[i] + (rng.uniform(0, 60, int(rng.integers(2, 6))) * DAY).astype(np.int64))
        self._follows(clubs, rng.uniform(.3, .6, len(clubs)), D0, D0 + 30 * DAY)

    def _act_fans(self) -> None:
        rng, P, ev = self.rng, self.P, self.ev
        for g in self.benign["fan_community"]:
            celeb = g["members"][0]
            fans = g["members"][1:]
            for p, part in zip(g["posts"], g["parts"]):
                ts = P.ts[p] + self.lognorm(2 * MIN, 1.1, len(part)).astype(np.int64)
                ev.add(part, A_UP, TK_POST, p, ts, P.comm[p])
                aw = part[rng.random(len(part)) < .03]
                ev.add(aw, A_AWARD, TK_POST, p, P.ts[p] + self.lognorm(20 * MIN, 1, len(aw)).astype(np.int64), P.comm[p])
            f = fans[rng.random(len(fans)) < .7]
            ev.add(f, A_FOLLOW, TK_USER, celeb, self.sample_times(self.span_lo[f], self.span_hi[f], self.tz[f], TP_EVENING))

    def _act_ama(self) -> None:
        rng, P, Cm, ev = self.rng, self.P, self.Cm, self.ev
        for g in self.benign["ama_crowd"]:
            h = g["members"][0]
            att = g["members"][1:]
            p = g["post"]
            ts = P.ts[p] + self.lognorm(4 * MIN, 1.2, len(att)).astype(np.int64)
            ev.add(att, A_UP, TK_POST, p, ts, P.comm[p])
            q = Cm.newidx[g["q_pos"]]
            if len(q) == 0:
                continue
            ans = rng.choice(q, min(len(q), int(rng.integers(30, 61))), replace=False)
            at = np.maximum(Cm.ts[ans], P.ts[p]) + (rng.random(len(ans)) * 2 * HOUR).astype(np.int64)
            ev.add(np.full(len(ans), h), A_REPLY, TK_COMMENT, ans, at, P.comm[p], -2)
            k = rng.integers(0, 6, len(att)) * (rng.random(len(att)) < .3)
            a = np.repeat(att, k)
            c = rng.choice(q, len(a))
            ok = Cm.author[c] != a
            ev.add(a[ok], A_UP, TK_COMMENT, c[ok], Cm.ts[c[ok]] + self.lognorm(8 * MIN, 1, ok.sum()).astype(np.int64), P.comm[p])
            sv = att[rng.random(len(att)) < .15]
            ev.add(sv, A_SAVE, TK_POST, p, P.ts[p] + self.lognorm(15 * MIN, 1, len(sv)).astype(np.int64), P.comm[p])

    def _act_campus(self) -> None:
        rng, ev = self.rng, self.ev
        for g in self.benign["campus_nat"]:
            m = g["members"]
            sel = m[(self.created[m] >= START) & (rng.random(len(m)) < .85)]
            ev.add(sel, A_JOIN, TK_COMM, g["comm"], self.created[sel] + self.lognorm(3 * MIN, 1, len(sel)).astype(np.int64), g["comm"])

    def _act_mods(self) -> None:
        rng, P, Cm, ev = self.rng, self.P, self.Cm, self.ev
        for g in self.benign["mod_team"]:
            m = g["members"]; c = g["comm"]
            in_c = P.comm == c
            spam = np.isin(P.kind, REPORTABLE)
            rep = np.zeros(P.n, dtype=bool); rep[self.reported_posts] = True
            items = np.nonzero(in_c & (spam | rep | (rng.random(P.n) < .03)))[0]
            citems = self.reported_comments[Cm.comm[self.reported_comments] == c] if len(self.reported_comments) else np.zeros(0, np.int64)
            for tk, it, its, isspam in ((TK_POST, items, P.ts[items], spam[items]),
                                        (TK_COMMENT, citems, Cm.ts[citems], np.isin(Cm.author[citems], np.concatenate(self.lone["lone_troll"])) if len(citems) else np.zeros(0, bool))):
                if len(it) == 0:
                    continue
                nact = 1 + rng.binomial(min(len(m) - 1, 4), .35, len(it))
                a_item = np.repeat(np.arange(len(it)), nact)
                r = rep_arange(nact)
                # each item: distinct mods (approximate with random picks; duplicates dropped)
                mods = m[rng.integers(0, len(m), len(a_item))]
                first = its + self.lognorm(40 * MIN, 1.0, len(it)).astype(np.int64)
                t = first[a_item] + (r * rng.exponential(3 * MIN, len(a_item))).astype(np.int64)
                act = np.where(isspam[a_item], A_MREMOVE,
                               rng.choice([A_MAPPROVE, A_MLOCK, A_MREMOVE], len(a_item), p=[.5, .2, .3]))
                t = t // SEC * SEC  # the moderation log has second precision
                df = pl.DataFrame({"i": a_item, "m": mods}).with_row_index("r").unique(["i", "m"], keep="first")
                keep = np.sort(df["r"].to_numpy())
                ev.add(mods[keep], act[keep], tk, it[a_item[keep]], t[keep], c)

    # ---------------------------------------------------------------- 6. signals
    def phase_signals(self, ev_all: dict) -> None:
        rng, N = self.rng, self.N
        honest = np.nonzero(~np.isin(np.arange(N), np.concatenate([g["members"] for g in self.bad_groups])))[0]
        lone_all = np.concatenate([np.concatenate(v) for v in self.lone.values() if v])
        honest = honest[~np.isin(honest, lone_all)]
        # --- default identifiers for honest-like accounts (and lone bad actors); ~2 % of plain
        # accounts have no identifier rows at all (retention purged them)
        purged = self.free_organic[rng.random(len(self.free_organic)) < .02]
        purged = purged[self.role[purged] == None]  # noqa: E711
        base = np.concatenate([honest[~np.isin(honest, purged)], lone_all])
        n = len(base)
        k = 1 + rng.binomial(2, .3, n)
        a = np.repeat(base, k)
        dev = self.fresh(SP_DEVICE, len(a))
        sp = np.full(len(a), SP_DEVICE)
        bog = rng.random(len(a)) < .004
        dev[bog] = 0; sp[bog] = SP_BOGUSDEV
        self.add_sig(a, K_DEV, sp, dev, source=0)
        # household / own home IP
        hh_members = np.concatenate([g["members"] for g in self.benign["household"]]) if self.benign["household"] else np.zeros(0, np.int64)
        home = base[self.home_ip[base] & ~np.isin(base, hh_members)]
        k = 1 + rng.binomial(2, .25, len(home))
        a = np.repeat(home, k)
        self.home_ints = rng.integers(0, 4 * N, len(a))
        self.add_sig(a, K_IP, SP_HOME, self.home_ints)
        # carrier
        mob = base[(rng.random(n) < .55) & ~np.isin(base, np.concatenate([g["members"] for g in self.benign["carrier_nat"]]) if self.benign["carrier_nat"] else np.zeros(0, np.int64))]
        car = rng.choice(self.n_carriers, len(mob), p=self.carrier_w)
        self._carrier_sig(mob, car, rng.integers(1, 3, len(mob)))
        for g in self.benign["carrier_nat"]:
            m = g["members"]
            self._carrier_sig(m, np.full(len(m), g["carrier"]), rng.integers(1, 4, len(m)))
        # small offices (unrelated coworkers share an office IP) and occasional VPN use
        off = base[rng.random(n) < .08]
        n_off = max(20, N // 40)
        self.add_sig(off, K_IP, SP_OFFICE, (rng.zipf(1.7, len(off)) * 7919 + rng.integers(0, n_off, len(off))) % n_off)
        vp = base[rng.random(n) < .04]
        prov = rng.integers(0, self.n_vpn, len(vp))
        self.add_sig(vp, K_IP, SP_VPN, prov * 16 + rng.integers(0, 16, len(vp)) % self.vpn_nip[prov])
        for i, g in enumerate(self.benign["vpn_exit"]):
            m = g["members"]
            kk = rng.integers(1, 3, len(m))
            a = np.repeat(m, kk)
            self.add_sig(a, K_IP, SP_VPN, i * 16 + rng.integers(0, self.vpn_nip[i], len(a)))
        # email / phone / fingerprint
        e = base[rng.random(n) < .85]
        self.add_sig(e, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, len(e)), source=2)
        ph = base[rng.random(n) < .35]
        self.add_sig(ph, K_PHONE, SP_PHONE, self.fresh(SP_PHONE, len(ph)), source=2)
        fp = base[rng.random(n) < .7]
        common = rng.random(len(fp)) < .65
        self.add_sig(fp[common], K_FP, SP_FP, np.minimum(rng.zipf(1.3, int(common.sum())), 3000))
        self.add_sig(fp[~common], K_FP, SP_FPU, self.fresh(SP_FPU, int((~common).sum())))
        # honest developers running headless browsers share the "headless default" fingerprint
        devs = rng.choice(honest, self.ns(20), replace=False)
        self.add_sig(devs, K_FP, SP_FP, 999_999)

        # --- benign group specifics
        for g in self.benign["household"]:
            m = g["members"]
            ips = self.fresh(SP_HOME, int(rng.integers(1, 3)))
            a = np.repeat(m, len(ips)); v = np.tile(ips, len(m))
            self.add_sig(a, K_IP, SP_HOME, v)
            if rng.random() < .6:
                tab = m[rng.random(len(m)) < .75]
                if len(tab) < 2:
                    tab = m[:2]
                self.add_sig(tab, K_DEV, SP_DEVICE, self.fresh(SP_DEVICE, 1)[0])
        for g in self.benign["campus_nat"]:
            m = g["members"]
            egress = self.fresh(SP_CAMPUS, int(rng.integers(2, 7) if g["uni"] else rng.integers(1, 5)))
            kk = np.minimum(rng.integers(1, 4, len(m)), len(egress))
            a = np.repeat(m, kk)
            self.add_sig(a, K_IP, SP_CAMPUS, rng.choice(egress, len(a)))
        for g in self.benign["meetup_club"]:
            m = g["members"]
            venue = self.fresh(SP_VENUE, 1)[0]
            for d in g["meets"]:
                att = m[rng.random(len(m)) < rng.uniform(.5, .8)]
                self.add_sig(att, K_IP, SP_VENUE, venue, seen=d + (rng.uniform(18, 22, len(att)) * HOUR).astype(np.int64))
            strangers = rng.choice(self.free_organic, int(rng.integers(20, 61)), replace=False)
            self.add_sig(strangers, K_IP, SP_VENUE, venue)

        # --- bad groups
        for g in self.bad_groups:
            getattr(self, "_sig_" + g["kind"])(g)
        for m in self.lone["lone_spammer"]:
            if rng.random() < .5:
                self.add_sig(m, K_IP, SP_DC, self.fresh(SP_DC, 1))
            else:
                self.add_sig(m, K_IP, SP_VPN, int(rng.integers(0, self.n_vpn)) * 16)
        for m in self.lone["lone_vote_manipulator"]:
            self.add_sig(m, K_DEV, SP_DEVICE, self.fresh(SP_DEVICE, 1)[0])
            self.add_sig(m, K_IP, SP_HOME, self.fresh(SP_HOME, 1)[0])

        # --- payment: award givers, premium, coin purchases
        self._payments(ev_all)

    def _carrier_sig(self, acct, car, k) -> None:
        a = np.repeat(acct, k)
        c = np.repeat(car, k)
        self.add_sig(a, K_IP, SP_CARRIER, c * 64 + (self.rng.random(len(a)) * self.carrier_nip[c]).astype(np.int64))

    def _sig_vote_ring(self, g) -> None:
        rng = self.rng
        m = g["members"]; n = len(m); aged = g["aged"]
        P = max(3, int(np.ceil(n * rng.uniform(.5, .9))))
        n_borrow = int(round(P * .15))
        pool_ints = np.concatenate([rng.choice(self.home_ints, n_borrow), rng.integers(4 * self.N, 8 * self.N, P - n_borrow)])
        k = rng.integers(2, 7, n)
        a_idx = np.repeat(np.arange(n), k)
        self.add_sig(m[a_idx], K_IP, SP_HOME, rng.choice(pool_ints, len(a_idx)),
                     seen=self.span_lo[m[a_idx]] + (rng.random(len(a_idx)) * (END - self.span_lo[m[a_idx]])).astype(np.int64))
        kd = 1 + (rng.random(n) < .3)
        a = np.repeat(m, kd)
        self.add_sig(a, K_DEV, SP_DEVICE, self.fresh(SP_DEVICE, len(a)), seen=self.span_lo[a])
        fp = rng.random(n) < .8
        self.add_sig(m[fp], K_FP, SP_FPU, self.fresh(SP_FPU, int(fp.sum())))
        self.add_sig(m[~fp], K_FP, SP_FP, np.minimum(rng.zipf(1.3, int((~fp).sum())), 3000))
        # the original owners' identifiers on aged accounts (seen years ago, some legacy rows)
        ma = m[aged]
        old_seen = self.created[ma] + (rng.random(len(ma)) * (START - 60 * DAY - self.created[ma]).clip(DAY)).astype(np.int64)
        self.add_sig(ma, K_DEV, SP_DEVICE, self.fresh(SP_DEVICE, len(ma)), seen=old_seen)
        self.add_sig(ma, K_IP, SP_HOME, rng.integers(0, 4 * self.N, len(ma)), seen=old_seen)
        self.add_sig(ma, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, len(ma)), seen=self.created[ma], source=2)
        ph = ma[rng.random(len(ma)) < .6]
        self.add_sig(ph, K_PHONE, SP_PHONE, self.fresh(SP_PHONE, len(ph)), seen=self.created[ph], source=2)
        mb = m[~aged]
        self.add_sig(mb, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, len(mb)), seen=self.created[mb], source=2)
        sms = mb[rng.random(len(mb)) < .5]
        nums = self.fresh(SP_SMS, len(sms))
        self.add_sig(sms, K_PHONE, SP_SMS, nums, seen=self.created[sms], source=2)
        rec = rng.random(len(nums)) < .1  # recycled activation numbers end up on honest accounts
        if rec.any():
            self.add_sig(rng.choice(self.free_organic, int(rec.sum())), K_PHONE, SP_SMS, nums[rec])

    def _sig_sockpuppet_operator(self, g) -> None:
        rng = self.rng
        m = g["members"]; main, pup = m[0], m[1:]
        devs = self.fresh(SP_DEVICE, int(rng.integers(1, 5)))
        self.add_sig([main], K_DEV, SP_DEVICE, devs[0])
        if len(devs) > 1:
            self.add_sig([main], K_DEV, SP_DEVICE, devs[1])
        kd = 1 + (rng.random(len(pup)) < .2)
        a = np.repeat(pup, kd)
        self.add_sig(a, K_DEV, SP_DEVICE, rng.choice(devs, len(a)))
        homes = self.fresh(SP_HOME, 2)
        change = START + int(rng.uniform(30, 150) * DAY)
        for i, h in enumerate(homes):
            acc = m[(self.span_lo[m] < change) if i == 0 else (self.span_hi[m] > change)]
            lo = START if i == 0 else change
            hi = change if i == 0 else END
            seen = np.maximum(self.created[acc], lo) + (rng.random(len(acc)) * (hi - lo) * .3).astype(np.int64)
            self.add_sig(acc, K_IP, SP_HOME, h, seen=np.minimum(seen, hi - 1))
        car = int(rng.choice(self.n_carriers, p=self.carrier_w))
        cm = m[(rng.random(len(m)) < .5) | (m == main)]
        self._carrier_sig(cm, np.full(len(cm), car), np.ones(len(cm), np.int64))
        vp = pup[rng.random(len(pup)) < .3]
        self.add_sig(vp, K_IP, SP_VPN, int(rng.integers(0, self.n_vpn)) * 16)
        self.add_sig(m, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, len(m)), source=2)
        self.add_sig([main], K_PHONE, SP_PHONE, self.fresh(SP_PHONE, 1))
        pp = pup[rng.random(len(pup)) < .25]
        self.add_sig(pp, K_PHONE, SP_PHONE, self.fresh(SP_PHONE, 1)[0], source=2)
        fpv = np.minimum(rng.zipf(1.3, len(devs)), 3000)
        self.add_sig(m, K_FP, SP_FP, rng.choice(fpv, len(m)))
        card = self.fresh(SP_CARD, 1)[0]
        self.card_override.update({int(u): card for u in g["card_users"]})

    def _sig_astroturf_campaign(self, g) -> None:
        rng = self.rng
        m = g["members"]; n = len(m)
        office = self.fresh(SP_CORPIP, int(rng.integers(2, 5)))
        kk = rng.integers(1, len(office) + 1, n)
        a = np.repeat(m, kk)
        self.add_sig(a, K_IP, SP_CORPIP, rng.choice(office, len(a)))
        hm = m[rng.random(n) < .3]
        self.add_sig(hm, K_IP, SP_HOME, rng.integers(0, 4 * self.N, len(hm)))
        laptops = self.fresh(SP_DEVICE, max(1, n // int(rng.integers(5, 10))))
        shared = rng.random(n) < .25
        self.add_sig(m[shared], K_DEV, SP_DEVICE, rng.choice(laptops, int(shared.sum())))
        self.add_sig(m[~shared], K_DEV, SP_DEVICE, self.fresh(SP_DEVICE, int((~shared).sum())))
        self.add_sig(m, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, n), source=2)
        self.add_sig(m, K_FP, SP_FP, np.minimum(rng.zipf(1.3, n), 3000))
        card = self.fresh(SP_CARD, 1)[0]
        self.card_override.update({int(u): card for u in g["card_users"]})

    def _sig_spam_bot_net(self, g) -> None:
        rng = self.rng
        m = g["members"]; n = len(m)
        dc = self.fresh(SP_DC, int(rng.integers(3, 11)))
        kk = rng.integers(1, 4, n)
        a = np.repeat(m, kk)
        self.add_sig(a, K_IP, SP_DC, rng.choice(dc, len(a)), seen=self.created[a] + (rng.random(len(a)) * 3 * DAY).astype(np.int64))
        headless = rng.random() < .4
        self.add_sig(m, K_FP, SP_FP, 999_999 if headless else self.fresh(SP_FPU, 1)[0], seen=self.created[m])
        d = m[rng.random(n) < .4]
        self.add_sig(d, K_DEV, SP_DEVICE, self.fresh(SP_DEVICE, len(d)))
        voip = self.fresh(SP_SMS, max(1, n // 2))
        ph = m[rng.random(n) < .7]
        self.add_sig(ph, K_PHONE, SP_SMS, rng.choice(voip, len(ph)), seen=self.created[ph], source=2)
        self.add_sig(m, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, n), seen=self.created[m], source=2)

    def _sig_karma_farm(self, g) -> None:
        rng = self.rng
        m = g["members"]; n = len(m); tr = g["transfer"]
        fdev = self.fresh(SP_DEVICE, int(rng.integers(1, 4)))
        fip = self.fresh(SP_HOME, int(rng.integers(1, 4)))
        pre_seen = self.created[m] + (rng.random(n) * HOUR).astype(np.int64)
        self.add_sig(m, K_DEV, SP_DEVICE, rng.choice(fdev, n), seen=pre_seen)
        kk = rng.integers(1, len(fip) + 1, n)
        a_idx = np.repeat(np.arange(n), kk)
        self.add_sig(m[a_idx], K_IP, SP_HOME, rng.choice(fip, len(a_idx)), seen=pre_seen[a_idx])
        self.add_sig(m, K_EMAIL, SP_EMAIL, self.fresh(SP_EMAIL, n), seen=self.created[m], source=2)
        nb = int(g["buyer"].max()) + 1
        for b in range(nb):
            mb = g["buyer"] == b
            bd = self.fresh(SP_DEVICE, int(rng.integers(1, 4)))
            bi = self.fresh(SP_HOME, int(rng.integers(1, 3)))
            self.add_sig(m[mb], K_DEV, SP_DEVICE, rng.choice(bd, int(mb.sum())), seen=tr[mb] + (rng.random(int(mb.sum())) * DAY).astype(np.int64))
            self.add_sig(m[mb], K_IP, SP_HOME, rng.choice(bi, int(mb.sum())), seen=tr[mb] + (rng.random(int(mb.sum())) * DAY).astype(np.int64))
        self.add_sig(m, K_FP, SP_FP, np.minimum(rng.zipf(1.3, n), 3000))

    def _payments(self, ev_all: dict) -> None:
        rng = self.rng
        aw = ev_all["action"] == A_AWARD
        df = pl.DataFrame({"a": ev_all["acct"][aw], "t": ev_all["ts"][aw]}).group_by("a").agg(
            pl.col("t").min().alias("first"), pl.len().alias("n")).sort("a")
        givers = df["a"].to_numpy()
        first = df["first"].to_numpy()
        prem = np.nonzero(self.acct_type == "premium")[0]
        payers = np.union1d(givers, prem)
        # household family cards
        fam = {}
        for g in self.benign["household"]:
            if g.get("family_card"):
                mm = g["members"]
                users = mm[rng.random(len(mm)) < .7]
                if len(users) >= 2:
                    card = self.fresh(SP_CARD, 1)[0]
                    for u in users:
                        fam[int(u)] = card
        over = dict(fam)
        over.update(self.card_override)
        extra = np.array(sorted(over), dtype=np.int64)
        payers = np.union1d(payers, extra)
        cards = self.fresh(SP_CARD, len(payers))
        if len(extra):
            loc = np.searchsorted(payers, extra)
            cards[loc] = np.array([over[int(x)] for x in extra], dtype=np.int64)
        self.add_sig(payers, K_PAY, SP_CARD, cards, source=1)
        # coin purchases: one just before the first award, plus a few more
        coins = []
        t1 = first - (rng.uniform(1, 30, len(givers)) * MIN).astype(np.int64)
        coins.append((givers, t1, rng.choice(3, len(givers), p=[.5, .38, .12])))
        more = rng.poisson(.6, len(givers))
        a = np.repeat(givers, more)
        coins.append((a, self.sample_times(self.span_lo[a], self.span_hi[a], self.tz[a], self.tprof[a]),
                      rng.choice(3, len(a), p=[.5, .38, .12])))
        # premium: monthly renewals at each subscriber's own billing day
        phase = (rng.random(len(prem)) * 30 * DAY).astype(np.int64)
        k = np.maximum(1, (self.span_hi[prem] - self.span_lo[prem] - phase) // (30 * DAY) + 1)
        a = np.repeat(prem, k)
        t = self.span_lo[a] + np.repeat(phase, k) + rep_arange(k) * 30 * DAY + (rng.random(len(a)) * HOUR).astype(np.int64)
        coins.append((a, t, np.full(len(a), 3)))
        self.coin_events = coins

    # ---------------------------------------------------------------- 7. labels
    def make_labels(self, n_events: np.ndarray) -> pl.DataFrame:
        rng, N = self.rng, self.N
        p_found = {"spam_bot_net": .7, "sockpuppet_operator": .45, "astroturf_campaign": .45,
                   "karma_farm": .4, "vote_ring": .3}
        acc, lab = [], []
        for g in self.bad_groups:
            g["discovered"] = bool(rng.random() < p_found[g["kind"]])
            if g["discovered"]:
                m = g["members"]
                s = m[rng.random(len(m)) < rng.uniform(.5, 1.0)]
                acc.append(s); lab.append(np.ones(len(s), np.int8))
        lone = np.concatenate([np.concatenate(v) for v in self.lone.values() if v])
        s = lone[rng.random(len(lone)) < .35]
        acc.append(s); lab.append(np.ones(len(s), np.int8))
        n_bad = sum(len(x) for x in acc)
        target = int(rng.uniform(.10, .15) * N)
        n_good = max(0, target - n_bad)
        honest = np.nonzero(~self.is_bad)[0]
        w = 1.0 + np.log1p(n_events[honest])
        w[self.kind_of[honest] == "mod_team"] *= 8
        w[self.gidx[honest] >= 0] *= 1.2
        w /= w.sum()
        good = rng.choice(honest, min(n_good, len(honest)), replace=False, p=w)
        acc.append(good); lab.append(np.zeros(len(good), np.int8))
        a = np.concatenate(acc); l = np.concatenate(lab)
        a, first = np.unique(a, return_index=True)
        l = l[first]
        flip = rng.random(len(l)) < .03
        l[flip] = 1 - l[flip]
        self.label_arr = np.full(N, -1, dtype=np.int8)
        self.label_arr[a] = l
        perm = rng.permutation(len(a))
        return pl.DataFrame({"account_id": self.acct_ids.gather(a[perm]), "label": l[perm].astype(np.int64)})

    # ---------------------------------------------------------------- 8. assemble & write
    def run(self, out: str, labels: bool = True) -> dict:
        t0 = time.time()
        rng = self.rng
        self.card_override: dict[int, int] = {}
        self.setup_population()
        self.organic_skeleton()
        self.phase_posts()
        self.phase_comments()
        self.phase_interactions()
        ev = self.ev.concat()
        self.phase_signals(ev)
        for a, t, sku in self.coin_events:
            self.ev.add(a, A_COINS, TK_SKU, sku, t)
        ev = self.ev.concat()
        N = self.N

        # account ids in creation order (gapped sequence, like a real id counter)
        order = np.lexsort((rng.random(N), self.created))
        seq = np.empty(N, dtype=np.int64)
        seq[order] = 2_000_000_000 + np.cumsum(rng.integers(1, 40, N))
        self.acct_ids = b36_ids("t2_", seq, 7)

        # validity: after creation, inside window, within the account's life
        lo = np.maximum(self.created[ev["acct"]], START)
        keep = (ev["ts"] >= lo) & (ev["ts"] < END) & (ev["tidx"] >= 0)
        ev = {k: v[keep] for k, v in ev.items()}
        # duplicates (client retries)
        dup = np.nonzero(rng.random(len(ev["ts"])) < .0005)[0]
        ev = {k: np.concatenate([v, v[dup]]) for k, v in ev.items()}
        order = np.argsort(ev["ts"], kind="stable")
        ev = {k: v[order] for k, v in ev.items()}
        n = len(ev["ts"])

        P, Cm = self.P, self.Cm
        post_ids = b36_ids("t3_", 30_000_000 + np.arange(P.n) * 3 + rng.integers(0, 3, P.n), 7)
        n_rep = int(((ev["action"] == A_REPLY)).sum())
        cnum = 900_000_000 + np.arange(Cm.n + n_rep) * 2
        com_ids_all = b36_ids("t1_", cnum, 7)
        comm_ids = b36_ids("t5_", 100_000 + np.arange(self.C) * 17 + rng.integers(0, 17, self.C), 5)
        table = pl.concat([post_ids, com_ids_all[:Cm.n], comm_ids, self.acct_ids, pl.Series(SKUS)])
        offs = np.cumsum([0, P.n, Cm.n, self.C, N])
        tglob = offs[ev["tkind"]] + ev["tidx"]
        # object ids
        obj = ev["obj"].copy()
        is_rep = ev["action"] == A_REPLY
        obj[is_rep] = Cm.n + np.arange(int(is_rep.sum()))
        is_sub = ev["action"] == A_SUBMIT
        is_com = (ev["action"] == A_COMMENT) | is_rep
        obj_table = pl.concat([post_ids, com_ids_all])
        oglob = np.where(is_sub, obj, P.n + obj)
        has_obj = (is_sub | is_com) & (obj >= 0)
        oglob = np.where(has_obj, oglob, 0)
        cl = self.client[ev["acct"]].copy()
        sw = rng.random(n) < .15
        cl[sw] = rng.integers(0, 3, int(sw.sum()))
        bots = np.zeros(N, bool)
        for g in self.bad_groups:
            if g["kind"] == "spam_bot_net":
                bots[g["members"]] = True
        cl[bots[ev["acct"]]] = 0
        comm = ev["comm"]
        events = pl.DataFrame({
            "account_id": self.acct_ids.gather(ev["acct"]),
            "action": pl.Series(ACTIONS).gather(ev["action"].astype(np.int64)),
            "target_id": table.gather(tglob),
            "ts": pl.Series(ev["ts"]).cast(pl.Datetime("ms")).dt.replace_time_zone("UTC"),
            "community_id": comm_ids.gather(np.maximum(comm, 0)),
            "object_id": obj_table.gather(oglob),
            "client": pl.Series(CLIENTS).gather(cl),
        }).with_columns(
            pl.when(pl.Series(comm >= 0)).then(pl.col("community_id")).otherwise(None).alias("community_id"),
            pl.when(pl.Series(has_obj)).then(pl.col("object_id")).otherwise(None).alias("object_id"),
        )
        n_events = np.bincount(ev["acct"], minlength=N)

        # signals
        sa = np.concatenate([s[0] for s in self.sig])
        sk = np.concatenate([s[1] for s in self.sig])
        sv = np.concatenate([s[2] for s in self.sig])
        ss = np.concatenate([s[3] for s in self.sig])
        ssrc = np.concatenate([s[4] for s in self.sig])
        ss = np.clip(ss, self.created[sa], END - SEC) // SEC * SEC
        sdf = pl.DataFrame({"a": sa, "k": sk, "v": sv, "t": ss, "src": ssrc}).sort(["t", "a", "k", "v", "src"]).unique(
            ["a", "k", "v"], keep="first", maintain_order=True)
        sdf = sdf.sample(fraction=1.0, shuffle=True, seed=int(rng.integers(0, 2**31)))
        vals = hex_digest(splitmix64(sdf["v"].to_numpy() ^ self.salt))
        nul = rng.random(sdf.height) < .007
        src = sdf["src"].to_numpy().copy()
        src[nul] = 3
        signals = pl.DataFrame({
            "account_id": self.acct_ids.gather(sdf["a"].to_numpy()),
            "kind": pl.Series(KINDS).gather(sdf["k"].to_numpy().astype(np.int64)),
            "value": pl.Series(vals),
            "seen_at": pl.Series(sdf["t"].to_numpy()).cast(pl.Datetime("ms")),
            "source": pl.Series(SOURCES).gather(src.astype(np.int64)),
        }).with_columns(pl.when(pl.Series(nul)).then(None).otherwise(pl.col("seen_at")).alias("seen_at"))

        # accounts
        country = np.array(COUNTRIES + [None], dtype=object)[np.where(self.country < 0, len(COUNTRIES), self.country)]
        country[rng.random(N) < .03] = None
        has_email = np.zeros(N, bool)
        has_email[sdf.filter(pl.col("k") == K_EMAIL)["a"].to_numpy()] = True
        aperm = rng.permutation(N)
        accounts = pl.DataFrame({
            "account_id": self.acct_ids.gather(aperm),
            "created_at": pl.Series(self.created[aperm]).cast(pl.Datetime("ms")).cast(pl.Datetime("us")),
            "account_type": pl.Series(self.acct_type[aperm].astype(str)),
            "country": pl.Series(country[aperm], dtype=pl.Utf8),
            "signup_client": pl.Series(CLIENTS).gather(np.where(rng.random(N) < .8, self.client, rng.integers(0, 3, N))[aperm]),
            "email_verified": pl.Series(has_email[aperm] & (rng.random(N) < .9)),
        })

        # truth
        gid = np.full(N, None, dtype=object)
        for g in self.groups:
            gid[g["members"]] = g["gid"]
        truth = pl.DataFrame({
            "account_id": self.acct_ids,
            "is_bad": pl.Series(self.is_bad),
            "group_id": pl.Series(gid, dtype=pl.Utf8),
            "group_kind": pl.Series(self.kind_of.astype(str)),
            "role": pl.Series(self.role, dtype=pl.Utf8),
        })

        os.makedirs(out, exist_ok=True)
        accounts.write_parquet(os.path.join(out, "accounts.parquet"))
        signals.write_csv(os.path.join(out, "signals.csv"), datetime_format="%Y-%m-%d %H:%M:%S")
        events.write_parquet(os.path.join(out, "events.parquet"))
        truth.write_parquet(os.path.join(out, "truth.parquet"))
        lab_path = os.path.join(out, "labels.csv")
        labels_df = self.make_labels(n_events)
        if labels:
            labels_df.write_csv(lab_path)
        elif os.path.exists(lab_path):
            os.remove(lab_path)
        self.stats = {"n_events": n_events, "n_signals": signals.height, "events": n,
                      "seconds": time.time() - t0}
        return self.stats

    # ---------------------------------------------------------------- report
    def report(self) -> str:
        ne = self.stats["n_events"]
        kinds = {}
        for g in self.groups:
            kinds.setdefault((g["kind"], g["bad"]), []).append(g)
        for kind, lst in self.lone.items():
            for m in lst:
                kinds.setdefault((kind, True), []).append({"members": m, "discovered": None})
        org = np.nonzero(self.kind_of == "organic")[0]
        lines = [f"{'group_kind':22s} {'bad':>4s} {'groups':>6s} {'accounts':>8s} {'size min/med/max':>17s} "
                 f"{'events':>9s} {'ev/acct':>7s} {'lab1':>5s} {'lab0':>5s} {'found':>5s}"]
        order = sorted(kinds, key=lambda k: (not k[1], k[0]))
        for key in order + [("organic", False)]:
            if key == ("organic", False):
                sizes = None
                mem = org
                ng = 0
                disc = ""
            else:
                lst = kinds[key]
                sizes = [len(g["members"]) for g in lst]
                mem = np.concatenate([g["members"] for g in lst])
                ng = len(lst) if key[0] not in self.lone else 0
                d = [g.get("discovered") for g in lst if g.get("discovered") is not None]
                disc = f"{sum(d)}/{len(d)}" if d else ""
            la = self.label_arr[mem]
            lines.append(f"{key[0]:22s} {str(key[1])[0]:>4s} {ng:6d} {len(mem):8d} "
                         f"{(f'{min(sizes):5d}/{int(np.median(sizes)):5d}/{max(sizes):5d}' if sizes else '-'):>17s} {int(ne[mem].sum()):9d} "
                         f"{ne[mem].mean():7.1f} {int((la == 1).sum()):5d} {int((la == 0).sum()):5d} {disc:>5s}")
        n_bad_groups = len(self.bad_groups)
        lines.append(f"accounts={self.N} bad={int(self.is_bad.sum())} planted_bad_groups={n_bad_groups} "
                     f"events={self.stats['events']} signals={self.stats['n_signals']} "
                     f"labels={int((self.label_arr >= 0).sum())} seconds={self.stats['seconds']:.1f}")
        return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args(argv)
    g = Gen(a.accounts, a.seed)
    g.run(a.out_dir, labels=not a.no_labels)
    if a.report:
        print(g.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())

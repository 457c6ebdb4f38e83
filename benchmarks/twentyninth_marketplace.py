#!/usr/bin/env python
"""Synthetic contests / polls / petitions platform for judging ``syndicate``.

Written from the data contract in DESIGN.md only (independent of the toolkit).

Usage
-----
    python twentyninth_marketplace.py OUT_DIR --accounts N --seed S [--no-labels]

Deterministic for a given (N, seed): a single ``numpy.random.Generator`` seeded
from ``--seed`` drives everything; identifier values are keyed BLAKE2b digests.

Platform
--------
A public contests / "best of" polls / civic petitions site.  Observation window:
84 days from 2024-02-05 00:00 UTC.  Targets:

* ``e_<hex>``  contest entries (photo/talent contests, creator awards). Entries
  belong to contests ``c_<hex>`` (about 7 contests per 1,000 accounts, 7-35 days
  each, heavy-tailed entry counts and entry popularity).
* ``po_<hex>`` poll options (city "best of" polls, "best employer" polls).
* ``p_<hex>``  petitions (heavy-tailed popularity, decaying over ~2-6 weeks).
* hub targets ``app:web`` / ``app:ios`` / ``app:android`` (login),
  ``email`` (verify_email), ``profile`` (update_profile).

Output files (OUT_DIR)
----------------------
accounts.parquet  account_id str (unique, opaque ``a<hex>``), created_at
                  datetime[us] naive (=UTC), account_type str (member, entrant,
                  organiser_business, organiser_ngo, organiser_media, moderator),
                  country str (ISO-2).
signals.csv       account_id, kind, value, seen_at (ISO-8601 with "Z").  One row per
                  (account, kind, value).  Kinds: email_hash, email_domain,
                  phone_hash, device_id, device_model, ip_address, card_fp,
                  payout_wallet, postal_address.  Values are opaque hex digests.
                  seen_at is mostly plausible (created_at .. window end) but ~0.6%
                  are junk (1970-01-01, 2099-12-31, or years before creation).
events.parquet    account_id, action, target_id, ts (datetime[ms, UTC]); sorted by ts.
                  Actions: login, verify_email, update_profile, view_entry, vote,
                  comment, share_entry, report_entry, moderate_entry, submit_entry,
                  create_contest, sign_petition, view_petition, share_petition,
                  start_petition, poll_vote, create_poll, redeem_prize.
labels.csv        account_id, label (1 confirmed bad / 0 confirmed good).  Partial
                  (~3-4% of accounts) and noisy: enforcement covers some groups and
                  misses others, ~3% of the labelled bad-truth accounts are
                  labelled 0 (reviewed and cleared), ~0.2% of honest accounts are
                  wrongly labelled 1 (over-represented in benign campaigns).
                  Not written with --no-labels.
links.csv         account_a, account_b, kind="referral", weight float: invite
                  links from a growth team (honest referrals, some sockpuppet
                  operators inviting their puppets, school/office recruiters).
truth.parquet     account_id str, is_bad bool, group_id str|null ("kind/NN"),
                  group_kind str|null.  Lone bad actors: group_id null,
                  group_kind "lone_actor".  Organic honest: both null.

Honest background
-----------------
* Activity: per-account lognormal intensity (sigma 1.3; mean ~90 organic actions),
  churn (15% stop early), sessions (mean ~6 actions, lognormal gaps of seconds),
  local-time day/night rhythm over 20+ countries / time zones, action mix by
  profile (casual voter, petitioner, browser/commenter, entrant, organiser,
  moderator - moderators are heavy hubs).  ~25% of accounts are created inside
  the window (verify_email shortly after creation).
* Targets picked by popularity among entries/polls/petitions live that day.
* Identifiers: unique email; common email domains (gmail is a huge hub); phone
  for ~80%; 1-3 devices each with a device_model (popular models are hubs);
  home IP (3% of home IPs re-assigned to an unrelated account), carrier-grade
  NAT mobile IPs (Zipf pool; the biggest are shared by thousands), campus/work
  IPs (tens to hundreds), public wifi, a few VPN/data-centre IPs.
* Placeholders: ~1% of honest accounts carry the app's default device id, ~0.4%
  the placeholder phone "0000000000", ~0.3% the default "unknown" device_model;
  a handful of honest developers on emulator device models.
* Residential proxy IPs of the vote farms are also touched by ~2% honest users;
  data-centre IPs of petition stuffers are touched by VPN users.

Planted BAD kinds (counts at 20,000 accounts, scaled by N/20,000)
------------------------------------------------------------------
vote_farm (2 farms, 40-200 workers): mostly aged accounts with normal organic
    lives and own devices/home IPs.  20-60 jobs per farm; each job hires 10-35%
    of workers to vote for one customer's entry (20% of jobs: a poll option),
    spread over 2-40 minutes with jitter; some repeat customers.  The only shared
    identifier is the farm's residential proxy IP pool (20-60 IPs, each worker
    1-4), which ~2% of honest users also touch.  Workers come from 1-3 countries.
sockpuppet_cluster (6 clusters, 8-60 accounts): one entrant (operator, aged,
    organic life, account_type entrant) + puppets created in 2-4 bursts (1-15 min
    apart), sharing 1-4 physical devices, emulator device ids (emulator
    device_model), 1-3 SIM phone numbers, often the operator's home IP.  The
    entrant submits entries in 6-20 contests; puppets vote for each entry in 1-3
    sequential sessions (20-240 s apart, operator switching accounts), with
    occasional decoy votes on other entries.  Puppets are almost inactive
    otherwise.  ~30% of puppets have a referral link from the operator.
petition_stuffers (3 groups, 30-150 accounts): created within 1-8 hours,
    disposable email domains (1-3, hashed), data-centre IPs (10-40 per group),
    no phone, fresh device ids; verify_email, then sign the customer's petition
    (+0-2 other petitions) within minutes, then dormant for ever.
prize_abuse_ring (4 rings, 5-20 accounts): aged-ish accounts, light organic
    lives, sharing 1-2 payout methods (card_fp/payout_wallet) and 1-3 postal
    addresses; over weeks they submit entries in small-prize contests, vote for
    each other's entries (minutes-hours later) and redeem small prizes repeatedly
    (2-8 redeem_prize each).
careful_vote_ring (4 rings, 6-15 accounts): aged accounts with full organic lives,
    own devices and IPs, no shared identifier.  Each member submits entries in
    3-8 contests; 70-100% of the other members vote for each entry 0.5 h - 4 days
    later (lognormal).  The hard case.
lone_actor (20-30 single accounts, group_id null): multi-voters (15-80 votes for
    one entry within hours, rotating 5-15 device ids), comment spammers (100-400
    comments in bursts over many entries), mass reporters (30-100 report_entry
    on competitors).

Planted BENIGN look-alikes (is_bad false, group_id/group_kind set)
------------------------------------------------------------------
school_or_club_campaign (5, 20-80 accounts): teacher/coach's entry; a WhatsApp
    message in the local evening; 60% vote within ~25 min median, the rest hours
    later; 1-4 daily reminder rounds; ~30% are new accounts created minutes
    before voting; 1-2 school IPs shared by ~40%; families of 2-3 share home IP
    and sometimes a tablet; some referral links from the teacher.
office_campaign (3, 15-60 accounts): staff vote for their company's option in a
    "best employer" poll in one weekday morning after an HR email; 2-3 office IPs
    (90% of staff carry one); ~20% new accounts created that morning.
viral_petition (1, 1,200-2,600 accounts each, capped at 12% of N): a celebrity shares a petition;
    unrelated accounts sign within an hour (lognormal, median ~12 min, 10% tail
    over hours); ~45% are new accounts created minutes before signing, mostly on
    carrier NAT IPs.
household (~650, 2-6 accounts): share a home IP, 45% share a device, 25% share a
    card, 60% share a postal address; 20% vote for a family member's entry.
fan_community (2, 30-200 accounts): a creator (entrant) + aged fans with organic
    lives; the creator enters 8-20 contests; ~25% of fans vote within the first
    hour of a "vote for me" post (notification), ~50% over 1-5 days, some comment.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

START_S = 1707091200  # 2024-02-05 00:00:00 UTC
DAYS = 84
MS = 1000
HOUR = 3600 * MS
DAY = 86400 * MS
START = START_S * MS
END = START + DAYS * DAY
MIN = 60 * MS

ACTIONS = [
    "login", "verify_email", "update_profile", "view_entry", "vote", "comment",
    "share_entry", "report_entry", "moderate_entry", "submit_entry", "create_contest",
    "sign_petition", "view_petition", "share_petition", "start_petition", "poll_vote",
    "create_poll", "redeem_prize",
]
A = {a: i for i, a in enumerate(ACTIONS)}

COUNTRIES = [  # code, tz offsets (h), weight
    ("US", [-5, -6, -8], 0.20), ("GB", [0], 0.08), ("DE", [1], 0.06), ("FR", [1], 0.05),
    ("ES", [1], 0.04), ("IT", [1], 0.04), ("PL", [1], 0.03), ("NL", [1], 0.02),
    ("BR", [-3], 0.07), ("MX", [-6], 0.04), ("CA", [-5, -8], 0.03), ("IN", [5.5], 0.08),
    ("PH", [8], 0.04), ("ID", [7], 0.04), ("NG", [1], 0.03), ("KE", [3], 0.01),
    ("ZA", [2], 0.02), ("JP", [9], 0.02), ("AU", [10], 0.02), ("TR", [3], 0.02),
    ("VN", [7], 0.02), ("BD", [6], 0.01), ("PK", [5], 0.01), ("EG", [2], 0.01),
]
CC = [c[0] for c in COUNTRIES]
CW = np.array([c[2] for c in COUNTRIES]); CW = CW / CW.sum()

DIURNAL = np.array([1.2, .7, .4, .3, .3, .4, .9, 1.8, 2.6, 3.0, 3.2, 3.4, 3.8, 3.6, 3.3,
                    3.2, 3.4, 3.8, 4.3, 4.9, 5.3, 5.0, 3.9, 2.4])
DIURNAL = DIURNAL / DIURNAL.sum()

ATYPES = ["member", "entrant", "organiser_business", "organiser_ngo", "organiser_media",
          "moderator"]
AT = {a: i for i, a in enumerate(ATYPES)}

# organic action mix per profile: columns
ORG_ACTS = ["view_entry", "vote", "comment", "share_entry", "report_entry", "sign_petition",
            "view_petition", "share_petition", "poll_vote", "update_profile", "moderate_entry"]
ORG_FAMILY = {"view_entry": 0, "vote": 0, "comment": 0, "share_entry": 0, "report_entry": 0,
              "moderate_entry": 0, "sign_petition": 1, "view_petition": 1, "share_petition": 1,
              "poll_vote": 2, "update_profile": 3}
PROFILE_MIX = np.array([
    [.38, .30, .04, .03, .003, .07, .07, .01, .09, .007, 0],   # casual voter
    [.15, .08, .03, .01, .002, .30, .30, .05, .07, .008, 0],   # petitioner
    [.45, .12, .20, .05, .005, .05, .06, .01, .05, .005, 0],   # browser / commenter
    [.40, .22, .12, .10, .005, .04, .04, .01, .05, .015, 0],   # entrant
    [.30, .05, .10, .10, .005, .10, .15, .10, .05, .045, 0],   # organiser
    [.30, .02, .03, .00, .020, .01, .07, .00, .01, .010, .53],  # moderator
])
PROFILE_MIX = PROFILE_MIX / PROFILE_MIX.sum(1, keepdims=True)
PROFILE_CUM = np.cumsum(PROFILE_MIX, 1)

EMAIL_DOMAINS = 40          # common domains (Zipf)
DEVICE_MODELS = 90          # common device models (Zipf)


def digest(ns: str, ints, seed: int, size: int = 8) -> list[str]:
    key = f"tw29-{seed}".encode()
    return [hashlib.blake2b(f"{ns}:{i}".encode(), digest_size=size, key=key).hexdigest()
            for i in ints]


class Gen:
    def __init__(self, n: int, seed: int):
        self.N = n
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.s = n / 20000.0
        # events: lists of arrays
        self.ev_acc, self.ev_act, self.ev_tgt, self.ev_ts = [], [], [], []
        # signals: (acc array, kind, namespace, int values, seen ms or None)
        self.sig = []
        self.links = []  # (a, b, weight)
        self.tgt_names: list[str] = ["app:web", "app:ios", "app:android", "email", "profile"]
        self.counters: dict[str, int] = {}
        self.groups: list[tuple[str, np.ndarray, bool]] = []  # kind, members, is_bad
        self.lone = np.zeros(0, dtype=np.int64)

    # ------------------------------------------------------------------ helpers
    def cnt(self, base: float, lo: int = 1) -> int:
        return max(lo, int(round(base * self.s)))

    def fresh(self, ns: str, k: int) -> np.ndarray:
        c = self.counters.get(ns, 0)
        self.counters[ns] = c + k
        return np.arange(c, c + k, dtype=np.int64)

    def new_targets(self, prefix: str, k: int) -> np.ndarray:
        ids = digest("t" + prefix, range(len(self.tgt_names), len(self.tgt_names) + k),
                     self.seed, 6)
        base = len(self.tgt_names)
        self.tgt_names.extend(prefix + x for x in ids)
        return np.arange(base, base + k, dtype=np.int64)

    def ev(self, acc, act, tgt, ts):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        ts = np.atleast_1d(np.asarray(ts, dtype=np.int64))
        n = max(len(acc), len(ts))
        acc = np.broadcast_to(acc, n)
        ts = np.broadcast_to(ts, n)
        act = np.broadcast_to(np.atleast_1d(np.asarray(act, dtype=np.int16)), n)
        tgt = np.broadcast_to(np.atleast_1d(np.asarray(tgt, dtype=np.int64)), n)
        self.ev_acc.append(acc.copy()); self.ev_act.append(act.copy())
        self.ev_tgt.append(tgt.copy()); self.ev_ts.append(ts.copy())

    def sg(self, acc, kind, ns, vals, seen=None):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        vals = np.atleast_1d(np.asarray(vals, dtype=np.int64))
        n = max(len(acc), len(vals)) if len(acc) else 0
        acc = np.broadcast_to(acc, n).copy()
        vals = np.broadcast_to(vals, n).copy()
        if seen is not None:
            seen = np.broadcast_to(np.atleast_1d(np.asarray(seen, dtype=np.int64)), n).copy()
        self.sig.append((acc, kind, ns, vals, seen))

    def local_time(self, acc, day_ms, hour_lo, hour_hi):
        """UTC ms for a time-of-day window in the account's local time on UTC day day_ms."""
        acc = np.atleast_1d(acc)
        h = self.rng.uniform(hour_lo, hour_hi, len(acc))
        return (day_ms + ((h - self.tz[acc]) * HOUR)).astype(np.int64)

    def take(self, k: int, honest_only=True) -> np.ndarray:
        k = min(k, len(self.pool) - self.pool_pos)
        out = self.pool[self.pool_pos:self.pool_pos + k]
        self.pool_pos += k
        return out

    def aged(self, idx, median_days=500, min_days=60):
        d = np.maximum(min_days, self.rng.lognormal(np.log(median_days), 0.6, len(idx)))
        d = np.where(d > 3000, self.rng.uniform(1500, 3000, len(idx)), d)
        self.created[idx] = (START - d * DAY - self.rng.uniform(0, DAY, len(idx))).astype(np.int64)

    def set_country(self, idx, code=None):
        rng = self.rng
        if code is None:
            code = rng.choice(len(CC), p=CW)
        self.country[idx] = code
        self.tz[idx] = rng.choice(COUNTRIES[code][1])

    def add_group(self, kind, members, bad):
        self.groups.append((kind, np.asarray(members, dtype=np.int64), bad))

    # ------------------------------------------------------------------ accounts
    def make_accounts(self):
        rng, N = self.rng, self.N
        self.country = rng.choice(len(CC), size=N, p=CW).astype(np.int16)
        self.tz = np.array([rng.choice(COUNTRIES[c][1]) for c in range(len(CC))])[self.country]
        # multi-zone countries: re-draw per account
        for c, (_, offs, _) in enumerate(COUNTRIES):
            if len(offs) > 1:
                m = np.flatnonzero(self.country == c)
                self.tz[m] = rng.choice(offs, size=len(m), p=None)
        self.tz = self.tz.astype(np.float64)
        # creation: 75% aged (lognormal ages), 25% created in the window (growing)
        created = np.empty(N, dtype=np.int64)
        aged = rng.random(N) < 0.75
        na = int(aged.sum())
        age_d = rng.lognormal(np.log(320), 0.9, na)
        age_d = np.where(age_d > 3000, rng.uniform(1500, 3000, na), age_d)
        created[aged] = (START - age_d * DAY).astype(np.int64)
        nn = N - na
        u = rng.random(nn) ** 0.8
        created[~aged] = (START + u * (END - START - DAY)).astype(np.int64)
        self.created = created
        # profiles / types
        prof = rng.choice(5, size=N, p=[.50, .15, .20, .10, .05])
        nmod = max(3, int(round(N * 0.0012)))
        mods = rng.choice(N, nmod, replace=False)
        prof[mods] = 5
        self.profile = prof.astype(np.int8)
        at = np.zeros(N, dtype=np.int8)
        at[prof == 3] = AT["entrant"]
        org = np.flatnonzero(prof == 4)
        at[org] = rng.choice([2, 3, 4], size=len(org), p=[.5, .3, .2])
        at[prof == 5] = AT["moderator"]
        self.atype = at
        w = rng.lognormal(0, 1.3, N)
        w = np.minimum(w / np.exp(1.3 ** 2 / 2) * 90.0, 5000)
        w[prof == 5] *= 15
        self.weight = w
        self.platform = rng.choice(3, size=N, p=[.35, .25, .40])
        self.custom_sig = np.zeros(N, dtype=bool)   # no baseline signals
        self.no_home = np.zeros(N, dtype=bool)
        self.home_ip = self.fresh("iph", N)
        # pool of honest accounts for group membership (excludes organisers/moderators)
        cand = np.flatnonzero(prof <= 3)
        self.pool = rng.permutation(cand)
        self.pool_pos = 0

    # ------------------------------------------------------------------ catalogue
    def make_catalogue(self):
        rng, s = self.rng, self.s
        N = self.N
        orgs = np.flatnonzero(self.profile == 4)
        if len(orgs) == 0:
            orgs = np.arange(min(5, N))
        self.orgs = orgs
        entrants = np.flatnonzero(self.profile == 3)
        # contests
        nc = self.cnt(140, 20)
        cs = (START + rng.uniform(-15, DAYS - 3, nc) * DAY).astype(np.int64)
        dur = (np.clip(rng.lognormal(np.log(14), 0.5, nc), 7, 35) * DAY).astype(np.int64)
        self.c_start, self.c_end = cs, cs + dur
        self.c_pop = rng.lognormal(0, 0.8, nc)
        self.c_tgt = self.new_targets("c_", nc)
        self.c_owner = rng.choice(orgs, nc)
        self.c_small = rng.random(nc) < 0.5
        m = cs >= START
        self.ev(self.c_owner[m], A["create_contest"], self.c_tgt[m], cs[m] - rng.integers(HOUR, 3 * DAY, m.sum()))
        # entries
        ke = np.maximum(4, rng.lognormal(np.log(18), 0.8, nc)).astype(int)
        e_c = np.repeat(np.arange(nc), ke)
        e_time = cs[e_c] + (rng.random(len(e_c)) ** 1.5 * 0.5 * dur[e_c]).astype(np.int64)
        owners = rng.choice(entrants, len(e_c)) if len(entrants) else rng.choice(N, len(e_c))
        # owners must exist: push entry time after creation
        e_time = np.maximum(e_time, self.created[owners] + HOUR)
        self.e_contest = list(e_c)
        self.e_owner = list(owners)
        self.e_time = list(e_time)
        self.e_w = list(rng.lognormal(0, 1.5, len(e_c)) * self.c_pop[e_c])
        # polls and options
        npoll = self.cnt(60, 8)
        self.poll_start = list((START + rng.uniform(-5, DAYS - 2, npoll) * DAY).astype(np.int64))
        self.poll_end = list(np.array(self.poll_start) + (rng.uniform(3, 20, npoll) * DAY).astype(np.int64))
        self.poll_owner = list(rng.choice(orgs, npoll))
        self.poll_tgt = list(self.new_targets("pl_", npoll))
        ko = rng.integers(3, 26, npoll)
        self.o_poll = list(np.repeat(np.arange(npoll), ko))
        self.o_w = list(rng.lognormal(0, 1.0, len(self.o_poll)) * np.repeat(rng.lognormal(0, .8, npoll), ko))
        # petitions
        npet = self.cnt(250, 20)
        self.p_start = list((START + rng.uniform(-20, DAYS - 1, npet) * DAY).astype(np.int64))
        self.p_tau = list(rng.uniform(10, 40, npet) * DAY)
        self.p_w = list(rng.lognormal(0, 1.7, npet))
        pown = np.where(rng.random(npet) < .6, rng.choice(orgs, npet), rng.choice(N, npet))
        self.p_owner = list(pown)

    def add_entry(self, contest, owner, t, w):
        self.e_contest.append(contest); self.e_owner.append(owner)
        self.e_time.append(int(t)); self.e_w.append(w)
        return len(self.e_contest) - 1

    def add_petition(self, owner, t, w, tau_days=20):
        self.p_start.append(int(t)); self.p_tau.append(tau_days * DAY)
        self.p_w.append(w); self.p_owner.append(owner)
        return len(self.p_start) - 1

    def add_poll(self, owner, t0, t1, k):
        self.poll_start.append(int(t0)); self.poll_end.append(int(t1))
        self.poll_owner.append(owner)
        self.poll_tgt.append(int(self.new_targets("pl_", 1)[0]))
        pid = len(self.poll_start) - 1
        first = len(self.o_poll)
        self.o_poll.extend([pid] * k)
        self.o_w.extend(list(self.rng.lognormal(0, 1.0, k) * 0.5))
        return np.arange(first, first + k)

    def contests_active(self, t, margin=2 * DAY, small=None):
        m = (self.c_start <= t) & (self.c_end >= t + margin)
        if small is not None:
            m &= self.c_small == small
        return np.flatnonzero(m)

    def entries_live(self, t):
        et = np.asarray(self.e_time); ec = np.asarray(self.e_contest)
        return np.flatnonzero((et < t - HOUR) & (self.c_end[ec] > t + HOUR))

    def finalize_targets(self):
        # ids for entries, options, petitions (group entries appended)
        self.e_contest = np.asarray(self.e_contest, dtype=np.int64)
        self.e_owner = np.asarray(self.e_owner, dtype=np.int64)
        self.e_time = np.asarray(self.e_time, dtype=np.int64)
        self.e_w = np.asarray(self.e_w, dtype=np.float64)
        self.e_tgt = self.new_targets("e_", len(self.e_contest))
        self.o_poll = np.asarray(self.o_poll, dtype=np.int64)
        self.o_w = np.asarray(self.o_w, dtype=np.float64)
        self.o_tgt = self.new_targets("po_", len(self.o_poll))
        self.poll_start = np.asarray(self.poll_start, dtype=np.int64)
        self.poll_end = np.asarray(self.poll_end, dtype=np.int64)
        self.poll_owner = np.asarray(self.poll_owner, dtype=np.int64)
        self.poll_tgt = np.asarray(self.poll_tgt, dtype=np.int64)
        self.p_start = np.asarray(self.p_start, dtype=np.int64)
        self.p_tau = np.asarray(self.p_tau, dtype=np.float64)
        self.p_w = np.asarray(self.p_w, dtype=np.float64)
        self.p_owner = np.asarray(self.p_owner, dtype=np.int64)
        self.p_tgt = self.new_targets("p_", len(self.p_start))
        # creation events
        m = (self.e_time >= START) & (self.e_time < END)
        self.ev(self.e_owner[m], A["submit_entry"], self.e_tgt[m], self.e_time[m])
        m = (self.p_start >= START) & (self.p_start < END)
        self.ev(self.p_owner[m], A["start_petition"], self.p_tgt[m], self.p_start[m])
        m = (self.poll_start >= START) & (self.poll_start < END)
        self.ev(self.poll_owner[m], A["create_poll"], self.poll_tgt[m],
                self.poll_start[m] - self.rng.integers(HOUR, DAY, m.sum()))

    # deferred group events which need final target ids: (acc, act, kind, local idx, ts)
    def gev(self, acc, act, fam, idx, ts):
        self.deferred.append((np.atleast_1d(np.asarray(acc, dtype=np.int64)), A[act], fam,
                              np.atleast_1d(np.asarray(idx, dtype=np.int64)),
                              np.atleast_1d(np.asarray(ts, dtype=np.int64))))

    def flush_deferred(self):
        for acc, act, fam, idx, ts in self.deferred:
            tg = {"e": self.e_tgt, "o": self.o_tgt, "p": self.p_tgt, "c": self.c_tgt}[fam][idx]
            self.ev(acc, act, tg, ts)

    # ------------------------------------------------------------------ groups
    def make_groups(self):
        self.deferred = []
        self.lone_kind = {}
        self.g_vote_farm()
        self.g_sockpuppets()
        self.g_stuffers()
        self.g_prize_ring()
        self.g_careful_ring()
        self.g_lone()
        self.g_school()
        self.g_office()
        self.g_viral()
        self.g_fans()
        self.g_households()

    def login(self, acc, ts):
        acc = np.atleast_1d(acc)
        self.ev(acc, A["login"], self.platform[acc], np.asarray(ts) - self.rng.integers(2 * MS, 90 * MS, len(acc)))

    def new_accounts(self, k, t_create):
        """Take k pool accounts and make them freshly created at t_create (array)."""
        idx = self.take(k)
        self.created[idx] = np.asarray(t_create, dtype=np.int64)[:len(idx)]
        self.weight[idx] *= 0.3
        return idx

    def g_vote_farm(self):
        rng = self.rng
        self.farm_pools = []
        for f in range(self.cnt(2)):
            size = int(rng.integers(40, 201))
            w = self.take(size)
            self.aged(w[: int(0.85 * len(w))], 450)
            cs = rng.choice(len(CC), int(rng.integers(1, 4)), replace=False)
            for i in w:
                self.set_country(i, int(rng.choice(cs)))
            self.weight[w] *= 0.6
            # proxy pool
            npx = int(rng.integers(20, 61))
            px = self.fresh("ipx", npx)
            self.farm_pools.append(px)
            for i in w:
                k = int(rng.integers(1, 5))
                self.sg(i, "ip_address", "ipx", rng.choice(px, k, replace=False))
            njobs = int(rng.integers(20, 61))
            customers = []
            for j in range(njobs):
                t0 = int(START + rng.uniform(1, DAYS - 1) * DAY)
                frac = rng.uniform(.10, .35)
                hired = w[rng.random(len(w)) < frac]
                if len(hired) == 0:
                    continue
                D = rng.uniform(2, 40) * MIN
                ts = t0 + (rng.random(len(hired)) * D + rng.normal(0, 20 * MS, len(hired))).astype(np.int64)
                if customers and rng.random() < 0.3:
                    fam, tix = customers[int(rng.integers(len(customers)))]
                elif rng.random() < 0.2:
                    live = np.flatnonzero((np.asarray(self.poll_start) < t0 - HOUR) & (np.asarray(self.poll_end) > t0 + HOUR))
                    if len(live) == 0:
                        continue
                    p = int(rng.choice(live))
                    opts = np.flatnonzero(np.asarray(self.o_poll) == p)
                    fam, tix = "o", int(rng.choice(opts))
                else:
                    live = self.entries_live(t0)
                    if len(live) == 0:
                        continue
                    fam, tix = "e", int(rng.choice(live))
                customers.append((fam, tix))
                if fam == "e":
                    view = rng.random(len(hired)) < .5
                    self.gev(hired[view], "view_entry", "e", tix, ts[view] - rng.integers(5 * MS, 60 * MS, view.sum()))
                    self.gev(hired, "vote", "e", tix, ts)
                else:
                    self.gev(hired, "poll_vote", "o", tix, ts)
                lg = rng.random(len(hired)) < .3
                self.login(hired[lg], ts[lg] - 60 * MS)
            self.add_group("vote_farm", w, True)

    def g_sockpuppets(self):
        rng = self.rng
        emu_models = [DEVICE_MODELS, DEVICE_MODELS + 1, DEVICE_MODELS + 2]
        for g in range(self.cnt(6)):
            size = int(rng.integers(8, 61))
            mem = self.take(size)
            op, pup = mem[0], mem[1:]
            self.aged([op], 400)
            self.atype[op] = AT["entrant"]; self.profile[op] = 3
            self.set_country(mem)
            # creation bursts
            nb = int(rng.integers(2, 5))
            burst = rng.integers(0, nb, len(pup))
            b_t = (START + rng.uniform(-120, 40, nb) * DAY).astype(np.int64)
            ct = np.empty(len(pup), dtype=np.int64)
            for b in range(nb):
                m = np.flatnonzero(burst == b)
                ct[m] = b_t[b] + np.cumsum(rng.uniform(1, 15, len(m)) * MIN).astype(np.int64)
            self.created[pup] = ct
            self.weight[pup] = rng.poisson(3, len(pup))
            self.custom_sig[pup] = True
            inw = ct >= START
            self.ev(pup[inw], A["verify_email"], 3, ct[inw] + rng.integers(20 * MS, 10 * MIN, inw.sum()))
            # identifiers
            ndev = int(rng.integers(1, 5))
            devs = self.fresh("dev", ndev)
            dmodel = rng.integers(0, 20, ndev)
            nsim = int(rng.integers(1, 4))
            sims = self.fresh("ph", nsim)
            home = self.home_ip[op]
            for i in pup:
                if rng.random() < .7:
                    self.sg(i, "device_id", "dev", rng.choice(devs))
                else:
                    e = self.fresh("dev", 1)
                    self.sg(i, "device_id", "dev", e)
                    self.sg(i, "device_model", "dm", rng.choice(emu_models))
                if rng.random() < .6:
                    self.sg(i, "phone_hash", "ph", rng.choice(sims))
                self.sg(i, "email_hash", "em", self.fresh("em", 1))
                self.sg(i, "email_domain", "dom", int(rng.choice([0, 0, 0, 1, 2])))
                if rng.random() < .5:
                    self.sg(i, "ip_address", "iph", home)
                self.sg(i, "ip_address", "ipc", self.cgnat_pick(1))
            self.sg(pup, "device_model", "dm", dmodel[0])
            self.sg(op, "device_id", "dev", devs[0])
            for i in pup[rng.random(len(pup)) < .3]:
                self.links.append((op, i, 1.0))
            # behaviour: entrant enters 6-20 contests, puppets vote
            k = int(rng.integers(6, 21))
            allc = np.flatnonzero(self.c_end > max(START + DAY, ct.max()) + 3 * DAY)
            cons = rng.choice(allc, min(k, len(allc)), replace=False) if len(allc) else []
            for c in cons:
                te = int(max(self.c_start[c], START, self.created[op] + DAY, ct.max() + HOUR) + rng.uniform(0, .3) * (self.c_end[c] - max(self.c_start[c], START)))
                te = min(te, int(self.c_end[c]) - 2 * DAY)
                eid = self.add_entry(int(c), int(op), te, rng.lognormal(-.5, .8))
                nsess = int(rng.integers(1, 4))
                for sidx in range(nsess):
                    t = te + int(rng.uniform(.1, 1.0) * (self.c_end[c] - te) * (sidx + 1) / (nsess + 1))
                    t = max(t, te + 10 * MIN)
                    voters = pup[rng.random(len(pup)) < rng.uniform(.6, .95)]
                    voters = rng.permutation(voters)
                    ts = t + np.cumsum(rng.uniform(20, 240, len(voters)) * MS).astype(np.int64)
                    self.login(voters, ts - 15 * MS)
                    self.gev(voters, "vote", "e", eid, ts)
                    dec = rng.random(len(voters)) < .08
                    if dec.any():
                        live = self.entries_live(t)
                        live = live[np.asarray(self.e_contest)[live] == c] if len(live) else live
                        if len(live):
                            self.gev(voters[dec], "vote", "e", rng.choice(live, dec.sum()), ts[dec] + 20 * MS)
            self.add_group("sockpuppet_cluster", mem, True)

    def g_stuffers(self):
        rng = self.rng
        self.dc_pool = self.fresh("ipd", max(50, int(400 * self.s)))
        for g in range(self.cnt(3)):
            size = int(rng.integers(30, 151))
            t0 = int(START + rng.uniform(2, DAYS - 2) * DAY)
            span = rng.uniform(1, 8) * HOUR
            ct = (t0 + np.sort(rng.random(size)) * span).astype(np.int64)
            mem = self.new_accounts(size, ct)
            ct = self.created[mem]
            self.weight[mem] = 0
            self.custom_sig[mem] = True
            self.set_country(mem)
            doms = 100 + self.fresh("disp", int(rng.integers(1, 4)))
            dcs = rng.choice(self.dc_pool, int(rng.integers(10, 41)), replace=False)
            for i in mem:
                self.sg(i, "email_hash", "em", self.fresh("em", 1))
                self.sg(i, "email_domain", "dom", rng.choice(doms))
                self.sg(i, "ip_address", "ipd", rng.choice(dcs, int(rng.integers(1, 3)), replace=False))
                if rng.random() < .8:
                    self.sg(i, "device_id", "dev", self.fresh("dev", 1))
            ver = rng.random(size) < .7
            self.ev(mem[ver], A["verify_email"], 3, ct[ver] + rng.integers(30 * MS, 4 * MIN, ver.sum()))
            # customer petition, started shortly before
            cust = self.add_petition(int(rng.choice(self.N)), t0 - int(rng.uniform(2, 48) * HOUR), .3, 15)
            others = np.flatnonzero((np.asarray(self.p_start) < t0 - DAY))
            extra = rng.choice(others, min(2, len(others)), replace=False) if len(others) else []
            sign_at = int(ct.max() + rng.uniform(5, 60) * MIN)
            ts = np.maximum(ct + rng.integers(1 * MIN, 10 * MIN, size), sign_at - (rng.random(size) * rng.uniform(10, 60) * MIN).astype(np.int64))
            self.gev(mem, "sign_petition", "p", cust, ts)
            for k, p in enumerate(extra):
                m = rng.random(size) < .5
                self.gev(mem[m], "sign_petition", "p", p, ts[m] + rng.integers(20 * MS, 3 * MIN, m.sum()))
            self.add_group("petition_stuffers", mem, True)

    def g_prize_ring(self):
        rng = self.rng
        for g in range(self.cnt(4)):
            size = int(rng.integers(5, 21))
            mem = self.take(size)
            self.aged(mem, 200, 30)
            self.set_country(mem)
            self.weight[mem] *= 0.4
            pays = self.fresh("pay", int(rng.integers(1, 3)))
            kinds = ["card_fp" if rng.random() < .5 else "payout_wallet" for _ in pays]
            addrs = self.fresh("adr", int(rng.integers(1, 4)))
            for i in mem:
                if rng.random() < .85:
                    j = int(rng.integers(len(pays)))
                    self.sg(i, kinds[j], "pay", pays[j])
                self.sg(i, "postal_address", "adr", rng.choice(addrs))
            t_begin = START + int(rng.uniform(0, 40) * DAY)
            ncont = int(rng.integers(6, 16))
            small = np.flatnonzero(self.c_small & (self.c_end > t_begin + 3 * DAY) & (self.c_start < END - 5 * DAY))
            if len(small) == 0:
                small = np.flatnonzero(self.c_end > t_begin + 3 * DAY)
            cons = rng.choice(small, min(ncont, len(small)), replace=False)
            for c in cons:
                subm = rng.choice(mem, int(rng.integers(1, min(4, size) + 1)), replace=False)
                for o in subm:
                    lo = max(int(self.c_start[c]), t_begin, START)
                    te = int(lo + rng.uniform(0, .4) * (self.c_end[c] - lo))
                    eid = self.add_entry(int(c), int(o), te, rng.lognormal(-1, .6))
                    others = mem[mem != o]
                    vv = others[rng.random(len(others)) < .8]
                    ts = te + (rng.lognormal(np.log(2 * HOUR), 1.0, len(vv))).astype(np.int64)
                    ts = np.minimum(ts, int(self.c_end[c]) - MIN)
                    self.gev(vv, "vote", "e", eid, ts)
                    # they win
                    if rng.random() < .6 and self.c_end[c] < END - DAY:
                        self.gev(o, "redeem_prize", "c", c, int(self.c_end[c]) + int(rng.uniform(1, 48) * HOUR))
            # draws/small prizes to the rest of the ring
            for i in mem:
                k = int(rng.integers(1, 6))
                ended = np.flatnonzero((self.c_end > t_begin) & (self.c_end < END - DAY) & self.c_small)
                if len(ended) == 0:
                    continue
                for c in rng.choice(ended, min(k, len(ended)), replace=False):
                    self.gev(i, "redeem_prize", "c", c, int(self.c_end[c]) + int(rng.uniform(1, 72) * HOUR))
            self.add_group("prize_abuse_ring", mem, True)

    def g_careful_ring(self):
        rng = self.rng
        for g in range(self.cnt(4)):
            size = int(rng.integers(6, 16))
            mem = self.take(size)
            self.aged(mem, 700, 365)
            self.profile[mem] = rng.choice([0, 2, 3], size)
            for o in mem:
                k = int(rng.integers(3, 9))
                allc = np.flatnonzero((self.c_end > START + 4 * DAY) & (self.c_end - np.maximum(self.c_start, START) > 4 * DAY))
                for c in rng.choice(allc, min(k, len(allc)), replace=False):
                    lo = max(int(self.c_start[c]), START)
                    te = int(lo + rng.uniform(0, .5) * (self.c_end[c] - lo))
                    eid = self.add_entry(int(c), int(o), te, rng.lognormal(-.3, 1.0))
                    others = mem[mem != o]
                    vv = others[rng.random(len(others)) < rng.uniform(.7, 1.0)]
                    ts = te + (rng.lognormal(np.log(14 * HOUR), 1.1, len(vv))).astype(np.int64)
                    ts = np.clip(ts, te + 30 * MIN, int(self.c_end[c]) - MIN)
                    self.gev(vv, "vote", "e", eid, ts)
                    vw = rng.random(len(vv)) < .5
                    self.gev(vv[vw], "view_entry", "e", eid, ts[vw] - rng.integers(5 * MS, 10 * MIN, vw.sum()))
            self.add_group("careful_vote_ring", mem, True)

    def g_lone(self):
        rng = self.rng
        n = int(round(rng.integers(20, 31) * self.s)) or 1
        lone = self.take(n)
        self.lone = lone
        for i in lone:
            style = int(rng.integers(3))
            self.lone_kind[int(i)] = style
            t = int(START + rng.uniform(2, DAYS - 2) * DAY)
            live = self.entries_live(t)
            if len(live) == 0:
                continue
            if style == 0:  # multi-voter rotating devices
                tgt = int(rng.choice(live))
                k = int(rng.integers(15, 81))
                ts = t + np.cumsum(rng.lognormal(np.log(3 * MIN), .8, k)).astype(np.int64)
                self.gev(np.repeat(i, k), "vote", "e", tgt, ts)
                self.sg(i, "device_id", "dev", self.fresh("dev", int(rng.integers(5, 16))))
            elif style == 1:  # comment spammer
                k = int(rng.integers(100, 401))
                tg = rng.choice(live, k)
                bursts = rng.integers(0, int(rng.integers(2, 8)), k)
                ts = t + bursts * int(rng.uniform(.5, 3) * DAY) + np.cumsum(rng.uniform(5, 60, k) * MS * 3).astype(np.int64) % (2 * HOUR)
                self.gev(np.repeat(i, k), "comment", "e", tg, ts)
            else:  # mass reporter against competitors
                k = int(rng.integers(30, 101))
                tg = rng.choice(live, k)
                ts = t + np.cumsum(rng.uniform(10, 120, k) * MS).astype(np.int64)
                self.gev(np.repeat(i, k), "report_entry", "e", tg, ts)

    def g_school(self):
        rng = self.rng
        for g in range(self.cnt(5)):
            size = int(rng.integers(20, 81))
            c = int(rng.choice(np.flatnonzero(self.c_end > START + 6 * DAY)))
            lo = max(int(self.c_start[c]), START)
            te = int(lo + rng.uniform(0, .4) * (self.c_end[c] - lo))
            day0 = (te // DAY + 1) * DAY
            code = int(rng.choice(len(CC), p=CW))
            nnew = int(round(size * rng.uniform(.2, .4)))
            old = self.take(size - nnew)
            self.set_country(old, code)
            tz = self.tz[old[0]]
            t_msg = int(day0 + (rng.uniform(18, 21) - tz) * HOUR)
            delay = np.where(rng.random(size) < .6, rng.lognormal(np.log(25 * MIN), .8, size),
                             rng.lognormal(np.log(3 * HOUR), .7, size)).astype(np.int64)
            vt = t_msg + delay
            new = self.new_accounts(nnew, vt[:nnew] - rng.integers(2 * MIN, 8 * MIN, nnew))
            mem = np.concatenate([old, new])
            self.country[new] = code; self.tz[new] = tz
            vt = np.concatenate([vt[nnew:], vt[:nnew]])[:len(mem)]
            teacher = mem[0]
            eid = self.add_entry(c, int(teacher), te, rng.lognormal(0, .8))
            self.ev(new, A["verify_email"], 3, self.created[new] + rng.integers(20 * MS, 2 * MIN, len(new)))
            self.gev(mem[1:], "vote", "e", eid, vt[1:])
            sh = rng.random(len(mem)) < .2
            self.gev(mem[sh], "share_entry", "e", eid, vt[sh] + rng.integers(10 * MS, 5 * MIN, sh.sum()))
            for r in range(int(rng.integers(1, 5))):
                d = day0 + (r + 1) * DAY
                if d > self.c_end[c] - HOUR or d > END - DAY:
                    break
                tr = int(d + (rng.uniform(7, 20) - tz) * HOUR)
                part = mem[1:][rng.random(len(mem) - 1) < rng.uniform(.3, .7)]
                ts = tr + rng.lognormal(np.log(40 * MIN), 1.0, len(part)).astype(np.int64)
                self.gev(part, "vote", "e", eid, ts)
            for i in new[rng.random(len(new)) < .4]:
                self.links.append((teacher, i, 1.0))
            # identifiers: school IPs, families
            sips = self.fresh("ips", int(rng.integers(1, 3)))
            for i in mem[rng.random(len(mem)) < .4]:
                self.sg(i, "ip_address", "ips", rng.choice(sips))
            perm = rng.permutation(mem)
            pos = 0
            while pos < len(perm) - 1:
                fs = int(rng.integers(1, 4))
                fam = perm[pos:pos + fs]; pos += fs
                if len(fam) >= 2:
                    self.home_ip[fam] = self.home_ip[fam[0]]
                    if rng.random() < .4:
                        self.sg(fam, "device_id", "dev", self.fresh("dev", 1))
            self.add_group("school_or_club_campaign", mem, False)

    def g_office(self):
        rng = self.rng
        for g in range(self.cnt(3)):
            size = int(rng.integers(15, 61))
            code = int(rng.choice(len(CC), p=CW))
            day = START + int(rng.integers(3, DAYS - 3)) * DAY
            tz0 = rng.choice(COUNTRIES[code][1])
            # weekday
            while ((day // DAY) + 3) % 7 >= 5:  # 1970-01-01 was a Thursday
                day += DAY
            t_mail = int(day + (rng.uniform(8.5, 10) - tz0) * HOUR)
            vt = t_mail + np.minimum(rng.lognormal(np.log(40 * MIN), .8, size), 3 * HOUR).astype(np.int64)
            nnew = int(round(size * rng.uniform(.1, .3)))
            old = self.take(size - nnew)
            new = self.new_accounts(nnew, vt[:nnew] - rng.integers(1 * MIN, 6 * MIN, nnew))
            mem = np.concatenate([new, old])
            self.country[mem] = code; self.tz[mem] = tz0
            self.ev(new, A["verify_email"], 3, self.created[new] + rng.integers(20 * MS, 2 * MIN, len(new)))
            opts = self.add_poll(int(rng.choice(self.orgs)), t_mail - int(rng.uniform(1, 5) * DAY),
                                 t_mail + int(rng.uniform(3, 10) * DAY), int(rng.integers(8, 21)))
            self.o_w[opts[0]] = 0.3
            part = rng.random(len(mem)) < .85
            part[0] = True
            self.gev(mem[part], "poll_vote", "o", opts[0], vt[:len(mem)][part])
            oips = self.fresh("ipo", int(rng.integers(2, 4)))
            for i in mem:
                if rng.random() < .9:
                    self.sg(i, "ip_address", "ipo", rng.choice(oips))
            for i in new[rng.random(len(new)) < .3]:
                self.links.append((old[0] if len(old) else mem[0], i, 1.0))
            self.add_group("office_campaign", mem, False)

    def g_viral(self):
        rng = self.rng
        for g in range(self.cnt(1)):
            size = int(rng.integers(1200, 2601))  # per petition; the count scales with N
            size = min(size, int(0.12 * self.N), int((len(self.pool) - self.pool_pos) * 0.5))
            t0 = int(START + rng.uniform(5, DAYS - 5) * DAY)
            delay = np.where(rng.random(size) < .9, np.minimum(rng.lognormal(np.log(12 * MIN), .9, size), 60 * MIN),
                             rng.uniform(1, 8, size) * HOUR).astype(np.int64)
            ts = t0 + delay
            nnew = int(size * .45)
            new = self.new_accounts(nnew, ts[:nnew] - rng.integers(1 * MIN, 6 * MIN, nnew))
            old = self.take(size - nnew)
            mem = np.concatenate([new, old])
            self.no_home[new[rng.random(len(new)) < .7]] = True
            self.ev(new, A["verify_email"], 3, self.created[new] + rng.integers(20 * MS, 2 * MIN, len(new)))
            pid = self.add_petition(int(rng.choice(self.orgs)), t0 - int(rng.uniform(6, 72) * HOUR), 4.0, 10)
            ts = ts[:len(mem)]
            self.gev(mem, "view_petition", "p", pid, ts - rng.integers(10 * MS, 2 * MIN, len(mem)))
            self.gev(mem, "sign_petition", "p", pid, ts)
            sh = rng.random(len(mem)) < .1
            self.gev(mem[sh], "share_petition", "p", pid, ts[sh] + rng.integers(5 * MS, 10 * MIN, sh.sum()))
            self.add_group("viral_petition", mem, False)

    def g_fans(self):
        rng = self.rng
        for g in range(self.cnt(2)):
            size = int(rng.integers(30, 201))
            mem = self.take(size)
            self.aged(mem, 500)
            creator, fans = mem[0], mem[1:]
            self.atype[creator] = AT["entrant"]; self.profile[creator] = 3
            k = int(rng.integers(8, 21))
            allc = np.flatnonzero((self.c_end > START + 4 * DAY) & (self.c_end - np.maximum(self.c_start, START) > 4 * DAY))
            for c in rng.choice(allc, min(k, len(allc)), replace=False):
                lo = max(int(self.c_start[c]), START)
                te = int(lo + rng.uniform(0, .4) * (self.c_end[c] - lo))
                eid = self.add_entry(int(c), int(creator), te, rng.lognormal(1, .6))
                post = te + int(rng.uniform(5, 90) * MIN)
                r = rng.random(len(fans))
                fast = fans[r < .25]
                slow = fans[(r >= .25) & (r < .75)]
                tf = post + rng.lognormal(np.log(10 * MIN), .9, len(fast)).astype(np.int64)
                tsl = post + (rng.uniform(1, 5, len(slow)) * DAY * rng.random(len(slow))).astype(np.int64) + HOUR
                vv = np.concatenate([fast, slow]); ts = np.concatenate([tf, tsl])
                ts = np.minimum(ts, int(self.c_end[c]) - MIN)
                self.gev(vv, "vote", "e", eid, ts)
                cm = rng.random(len(vv)) < .1
                self.gev(vv[cm], "comment", "e", eid, ts[cm] + rng.integers(10 * MS, 5 * MIN, cm.sum()))
            self.add_group("fan_community", mem, False)

    def g_households(self):
        rng = self.rng
        nh = self.cnt(650, 5)
        for h in range(nh):
            size = int(rng.choice([2, 2, 2, 3, 3, 4, 5, 6]))
            if self.pool_pos + size > len(self.pool) * 0.85:
                break
            mem = self.take(size)
            self.set_country(mem)
            self.home_ip[mem] = self.home_ip[mem[0]]
            if rng.random() < .45:
                sh = mem[: int(rng.integers(2, size + 1))]
                self.sg(sh, "device_id", "dev", self.fresh("dev", 1))
            if rng.random() < .25:
                self.sg(mem[: int(rng.integers(2, size + 1))], "card_fp", "pay", self.fresh("pay", 1))
            if rng.random() < .6:
                self.sg(mem, "postal_address", "adr", self.fresh("adr", 1))
            if rng.random() < .2:
                t = int(START + rng.uniform(2, DAYS - 6) * DAY)
                act = self.contests_active(t)
                if len(act):
                    c = int(rng.choice(act))
                    eid = self.add_entry(c, int(mem[0]), t, rng.lognormal(-.5, .8))
                    ts = t + rng.lognormal(np.log(3 * HOUR), 1, size - 1).astype(np.int64)
                    self.gev(mem[1:], "vote", "e", eid, np.minimum(ts, int(self.c_end[c]) - MIN))
            self.add_group("household", mem, False)

    # ------------------------------------------------------------------ organic
    def cgnat_pick(self, k):
        return self.rng.choice(self.cg_n, k, p=self.cg_p)

    def setup_pools(self):
        rng, N = self.rng, self.N
        self.cg_n = max(40, N // 120)
        p = 1.0 / np.arange(1, self.cg_n + 1) ** 1.1
        self.cg_p = p / p.sum()

    def organic(self):
        rng, N = self.rng, self.N
        span_a = np.maximum(self.created, START)
        span_b = np.full(N, END, dtype=np.int64)
        churn = rng.random(N) < .15
        span_b[churn] = span_a[churn] + (rng.random(churn.sum()) * (END - span_a[churn])).astype(np.int64)
        span_b = np.maximum(span_b, span_a + HOUR)
        frac = (span_b - span_a) / (END - START)
        n = rng.poisson(self.weight * frac)
        L = 1 + rng.gamma(2, 2.5, N)
        S = np.where(n > 0, np.maximum(1, np.round(n / L)), 0).astype(np.int64)
        sacc = np.repeat(np.arange(N), S)
        t = span_a[sacc] + (rng.random(len(sacc)) * (span_b - span_a)[sacc]).astype(np.int64)
        tzs = (self.tz[sacc] * HOUR).astype(np.int64)
        loc = t + tzs
        dl = loc // DAY
        hr = rng.choice(24, len(sacc), p=DIURNAL)
        t2 = dl * DAY + (hr * HOUR + rng.random(len(sacc)) * HOUR).astype(np.int64) - tzs
        ok = (t2 >= span_a[sacc]) & (t2 < span_b[sacc])
        sstart = np.where(ok, t2, t)
        soff = np.concatenate([[0], np.cumsum(S)[:-1]])
        eacc = np.repeat(np.arange(N), n)
        esess = soff[eacc] + (rng.random(len(eacc)) * S[eacc]).astype(np.int64)
        order = np.argsort(esess, kind="stable")
        eacc, esess = eacc[order], esess[order]
        gaps = rng.lognormal(np.log(25 * MS), 1.0, len(eacc)).astype(np.int64)
        cs = np.cumsum(gaps)
        first = np.r_[True, esess[1:] != esess[:-1]]
        base = np.maximum.accumulate(np.where(first, cs - gaps, 0))
        ets = sstart[esess] + (cs - base)
        # logins at 60% of sessions
        lg = rng.random(len(sacc)) < .6
        self.ev(sacc[lg], A["login"], self.platform[sacc[lg]], sstart[lg] - rng.integers(2 * MS, 30 * MS, lg.sum()))
        # verify_email for accounts created in window
        nw = np.flatnonzero((self.created >= START) & ~self.custom_sig)
        v = nw[rng.random(len(nw)) < .8]
        self.ev(v, A["verify_email"], 3, self.created[v] + rng.lognormal(np.log(4 * MIN), 1, len(v)).astype(np.int64))
        # actions
        u = rng.random(len(eacc))
        cum = PROFILE_CUM[self.profile[eacc]]
        ai = np.minimum((u[:, None] > cum).sum(1), len(ORG_ACTS) - 1)
        act_code = np.array([A[a] for a in ORG_ACTS], dtype=np.int16)[ai]
        fam = np.array([ORG_FAMILY[a] for a in ORG_ACTS])[ai]
        tgt = np.full(len(eacc), 4, dtype=np.int64)  # profile
        day = np.clip((ets - START) // DAY, 0, DAYS - 1)
        # entries
        ec = self.e_contest
        e_end = self.c_end[ec]
        for famid in (0, 1, 2):
            idx = np.flatnonzero(fam == famid)
            if len(idx) == 0:
                continue
            d_of = day[idx]
            order = np.argsort(d_of, kind="stable")
            idx = idx[order]; d_of = d_of[order]
            bounds = np.searchsorted(d_of, np.arange(DAYS + 1))
            for d in range(DAYS):
                sl = idx[bounds[d]:bounds[d + 1]]
                if len(sl) == 0:
                    continue
                t0 = START + d * DAY
                if famid == 0:
                    act = np.flatnonzero((self.e_time < t0) & (e_end > t0 + DAY))
                    if len(act) == 0:
                        act = np.flatnonzero(self.e_time < t0 + DAY)
                    w = self.e_w[act]; names = self.e_tgt[act]
                elif famid == 1:
                    act = np.flatnonzero(self.p_start < t0)
                    if len(act) == 0:
                        act = np.arange(len(self.p_start))
                    w = self.p_w[act] * np.exp(-(t0 - self.p_start[act]) / self.p_tau[act]); names = self.p_tgt[act]
                else:
                    po = self.o_poll
                    act = np.flatnonzero((self.poll_start[po] < t0) & (self.poll_end[po] > t0 + DAY))
                    if len(act) == 0:
                        act = np.arange(len(po))
                    w = self.o_w[act]; names = self.o_tgt[act]
                cw = np.cumsum(w); cw /= cw[-1]
                pick = np.minimum(np.searchsorted(cw, rng.random(len(sl))), len(cw) - 1)
                tgt[sl] = names[pick]
        self.ev(eacc, act_code, tgt, ets)
        # prizes: contest winners (top entries) and voter lucky draws
        ended = np.flatnonzero((self.c_end > START) & (self.c_end < END - DAY))
        for c in ended:
            es = np.flatnonzero(ec == c)
            if len(es) == 0:
                continue
            top = es[np.argsort(-self.e_w[es])[:3]]
            tr = self.c_end[c] + rng.integers(HOUR, 5 * DAY, len(top))
            self.ev(self.e_owner[top], A["redeem_prize"], self.c_tgt[c], tr)
            lucky = rng.choice(np.flatnonzero(self.profile == 0), int(rng.integers(0, 3)))
            self.ev(lucky, A["redeem_prize"], self.c_tgt[c], self.c_end[c] + rng.integers(HOUR, 5 * DAY, len(lucky)))

    # ------------------------------------------------------------------ signals
    def baseline_signals(self):
        rng, N = self.rng, self.N
        idx = np.flatnonzero(~self.custom_sig)
        n = len(idx)
        # email
        has_em = rng.random(n) < .97
        self.sg(idx[has_em], "email_hash", "em", self.fresh("em", int(has_em.sum())))
        dp = 1.0 / np.arange(1, EMAIL_DOMAINS + 1) ** 1.3; dp /= dp.sum()
        dom = rng.choice(EMAIL_DOMAINS, n, p=dp)
        disp = rng.random(n) < .003
        dom[disp] = 100 + rng.integers(0, 6, disp.sum())
        self.sg(idx, "email_domain", "dom", dom)
        # phone
        ph = rng.random(n) < .8
        self.sg(idx[ph], "phone_hash", "ph", self.fresh("ph", int(ph.sum())))
        plc = rng.random(n) < .004
        self.sg(idx[plc], "phone_hash", "ph_placeholder", 0)
        # devices
        nd = rng.choice([1, 2, 3], n, p=[.65, .28, .07])
        dacc = np.repeat(idx, nd)
        dv = self.fresh("dev", len(dacc))
        self.sg(dacc, "device_id", "dev", dv)
        mp = 1.0 / np.arange(1, DEVICE_MODELS + 1) ** 1.0; mp /= mp.sum()
        model = rng.choice(DEVICE_MODELS, len(dacc), p=mp)
        model[rng.random(len(dacc)) < .003] = 999  # "unknown"
        model[rng.random(len(dacc)) < .0015] = DEVICE_MODELS  # honest devs on emulators
        self.sg(dacc, "device_model", "dm", model)
        dflt = rng.random(n) < .01
        self.sg(idx[dflt], "device_id", "dev_default", 0)
        # home ip (households / schools already merged)
        hh = (rng.random(n) < .85) & ~self.no_home[idx]
        hv = self.home_ip[idx].copy()
        reuse = rng.random(n) < .03
        hv[reuse] = rng.choice(self.home_ip, reuse.sum())
        self.sg(idx[hh], "ip_address", "iph", hv[hh])
        # cgnat
        k = np.where(rng.random(N) < .7, rng.integers(1, 5, N), 0)
        k[self.no_home] = np.maximum(k[self.no_home], 1)
        k[self.custom_sig] = 0  # stuffers / puppets get their own IPs
        cacc = np.repeat(np.arange(N), k)
        self.sg(cacc, "ip_address", "ipc", self.cgnat_pick(len(cacc)))
        # campus / work
        nw = max(20, N // 60)
        wp = rng.pareto(1.2, nw) + 1; wp /= wp.sum()
        wa = idx[rng.random(n) < .25]
        self.sg(wa, "ip_address", "ipw", rng.choice(nw, len(wa), p=wp))
        # public wifi
        nf = max(50, N // 15)
        fa = idx[rng.random(n) < .15]
        self.sg(fa, "ip_address", "ipf", rng.integers(0, nf, len(fa)))
        # vpn / datacentre
        va = idx[rng.random(n) < .02]
        self.sg(va, "ip_address", "ipd", rng.choice(self.dc_pool, len(va)))
        # honest users on residential proxy pools (vpn apps / shared residential exits)
        allpx = np.concatenate(self.farm_pools) if self.farm_pools else np.zeros(0, dtype=np.int64)
        if len(allpx):
            pa = idx[rng.random(n) < .02]
            self.sg(pa, "ip_address", "ipx", rng.choice(allpx, len(pa)))
        # payment and address
        pay = idx[rng.random(n) < .18]
        self.sg(pay, "card_fp", "pay", self.fresh("pay", len(pay)))
        wal = idx[rng.random(n) < .05]
        self.sg(wal, "payout_wallet", "pay", self.fresh("pay", len(wal)))
        ad = idx[(rng.random(n) < .12) | (self.atype[idx] == AT["entrant"])]
        self.sg(ad, "postal_address", "adr", self.fresh("adr", len(ad)))

    # ------------------------------------------------------------------ labels
    def labels(self, truth_bad, kind_of):
        rng, N = self.rng, self.N
        lab = np.full(N, -1, dtype=np.int8)
        cover = {"vote_farm": (.5, .10), "sockpuppet_cluster": (.6, .35), "petition_stuffers": (.67, .25),
                 "prize_abuse_ring": (.5, .4), "careful_vote_ring": (.25, .15)}
        for kind, mem, bad in self.groups:
            if not bad:
                continue
            pg, pm = cover[kind]
            if rng.random() < pg:
                m = mem[rng.random(len(mem)) < pm * rng.uniform(.5, 1.5)]
                lab[m] = 1
        lone_l = self.lone[rng.random(len(self.lone)) < .3]
        lab[lone_l] = 1
        bad_idx = np.flatnonzero(truth_bad & (lab < 0))
        cleared = bad_idx[rng.random(len(bad_idx)) < .03]
        lab[cleared] = 0
        honest = np.flatnonzero(~truth_bad)
        good = honest[rng.random(len(honest)) < np.where(self.atype[honest] >= 2, .15, .025)]
        lab[good] = 0
        # wrongly actioned honest accounts; benign campaigns are over-represented
        p_wrong = np.where(kind_of[honest] != "", .012, .0008)
        p_wrong[kind_of[honest] == "household"] = .002
        wrong = honest[rng.random(len(honest)) < p_wrong]
        lab[wrong] = 1
        return lab

    # ------------------------------------------------------------------ build
    def build(self):
        t = time.time()
        self.make_accounts()
        self.setup_pools()
        self.make_catalogue()
        self.make_groups()
        self.finalize_targets()
        self.flush_deferred()
        self.organic()
        self.baseline_signals()
        self.t_build = time.time() - t


def write(g: Gen, out: Path, no_labels: bool):
    rng, N, seed = g.rng, g.N, g.seed
    out.mkdir(parents=True, exist_ok=True)
    for f in ("accounts.parquet", "signals.csv", "events.parquet", "labels.csv", "links.csv", "truth.parquet"):
        (out / f).unlink(missing_ok=True)
    ids = digest("acct", range(N), seed, 6)
    ids = ["a" + x for x in ids]
    assert len(set(ids)) == N, "account id collision"
    id_s = pl.Series("account_id", ids, dtype=pl.String)

    # truth
    gid = np.full(N, None, dtype=object)
    gk = np.full(N, "", dtype=object)
    bad = np.zeros(N, dtype=bool)
    per_kind: dict[str, int] = {}
    for kind, mem, b in g.groups:
        per_kind[kind] = per_kind.get(kind, 0) + 1
    width = {k: max(2, len(str(v - 1))) for k, v in per_kind.items()}
    seen_k: dict[str, int] = {}
    for kind, mem, b in g.groups:
        j = seen_k.get(kind, 0); seen_k[kind] = j + 1
        assert (gk[mem] == "").all(), f"overlapping groups in {kind}"
        gid[mem] = f"{kind}/{j:0{width[kind]}d}"
        gk[mem] = kind
        bad[mem] = b
    gk[g.lone] = "lone_actor"
    bad[g.lone] = True
    truth = pl.DataFrame({
        "account_id": id_s,
        "is_bad": pl.Series(bad, dtype=pl.Boolean),
        "group_id": pl.Series(list(gid), dtype=pl.String),
        "group_kind": pl.Series([x if x else None for x in gk], dtype=pl.String),
    })
    truth.write_parquet(out / "truth.parquet")

    # accounts
    acc = pl.DataFrame({
        "account_id": id_s,
        "created_at": pl.Series(g.created, dtype=pl.Int64).cast(pl.Datetime("ms")).cast(pl.Datetime("us")),
        "account_type": pl.Series([ATYPES[i] for i in g.atype], dtype=pl.String),
        "country": pl.Series([CC[i] for i in g.country], dtype=pl.String),
    })
    acc.write_parquet(out / "accounts.parquet")

    # events
    e_acc = np.concatenate(g.ev_acc); e_act = np.concatenate(g.ev_act)
    e_tgt = np.concatenate(g.ev_tgt); e_ts = np.concatenate(g.ev_ts)
    keep = (e_ts >= START) & (e_ts < END)
    keep &= e_ts >= g.created[e_acc]  # nothing before the account exists
    e_acc, e_act, e_tgt, e_ts = e_acc[keep], e_act[keep], e_tgt[keep], e_ts[keep]
    tnames = pl.Series("t", g.tgt_names, dtype=pl.String)
    anames = pl.Series("a", ACTIONS, dtype=pl.String)
    ev = pl.DataFrame({
        "ai": e_acc, "act": e_act.astype(np.int64), "ti": e_tgt, "ts": e_ts,
    })
    # organic duplicates of sign_petition / poll_vote by the same account: keep first
    ev = ev.sort("ts")
    once = pl.col("act").is_in([A["sign_petition"], A["poll_vote"], A["verify_email"]])
    ev = pl.concat([ev.filter(~once), ev.filter(once).unique(["ai", "act", "ti"], keep="first", maintain_order=True)]).sort(["ts", "ai"])
    events = pl.DataFrame({
        "account_id": id_s.gather(ev["ai"]),
        "action": anames.gather(ev["act"]),
        "target_id": tnames.gather(ev["ti"]),
        "ts": ev["ts"].cast(pl.Datetime("ms", "UTC")),
    })
    events.write_parquet(out / "events.parquet")

    # signals
    parts = []
    for a, kind, ns, vals, seen in g.sig:
        if len(a) == 0:
            continue
        parts.append(pl.DataFrame({"ai": a, "kind": [kind] * len(a), "ns": [ns] * len(a), "v": vals}))
    sg = pl.concat(parts)
    # opaque value = keyed digest of (namespace, int); placeholders share one value
    uv = sg.select("ns", "v").unique().sort(["ns", "v"])
    uv = uv.with_columns(pl.Series("value", digest("sig", [f"{a}|{b}" for a, b in zip(uv["ns"], uv["v"])], seed, 8)))
    sg = sg.join(uv, on=["ns", "v"], how="left").unique(["ai", "kind", "value"], keep="first", maintain_order=True)
    sg = sg.sort(["ai", "kind", "value"])
    n = sg.height
    cr = g.created[sg["ai"].to_numpy()]
    lo = np.maximum(cr, START - 365 * DAY)
    seen = lo + (rng.random(n) ** 2 * (END - lo)).astype(np.int64)
    j = rng.random(n)
    seen = np.where(j < .003, 0, seen)
    seen = np.where((j >= .003) & (j < .005), 4102358400000, seen)  # 2099-12-31
    seen = np.where((j >= .005) & (j < .006), cr - rng.integers(400, 4000, n) * DAY, seen)
    signals = pl.DataFrame({
        "account_id": id_s.gather(sg["ai"]),
        "kind": sg["kind"],
        "value": sg["value"],
        "seen_at": pl.Series(seen, dtype=pl.Int64).cast(pl.Datetime("ms")).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    signals.write_csv(out / "signals.csv")

    # links
    honest = np.flatnonzero(~bad)
    nref = int(N * .03)
    ra = rng.choice(honest, nref); rb = rng.choice(honest, nref)
    la = np.concatenate([ra, np.array([x[0] for x in g.links], dtype=np.int64)])
    lb = np.concatenate([rb, np.array([x[1] for x in g.links], dtype=np.int64)])
    m = la != lb
    la, lb = la[m], lb[m]
    links = pl.DataFrame({"account_a": id_s.gather(la), "account_b": id_s.gather(lb),
                          "kind": ["referral"] * len(la),
                          "weight": np.round(rng.uniform(.5, 1.0, len(la)), 3)}).unique(["account_a", "account_b"], keep="first", maintain_order=True)
    links.write_csv(out / "links.csv")

    # labels
    lab = g.labels(bad, gk)
    li = np.flatnonzero(lab >= 0)
    if not no_labels:
        labels = pl.DataFrame({"account_id": id_s.gather(li), "label": pl.Series(lab[li].astype(np.int64))})
        labels.write_csv(out / "labels.csv")
    return truth, lab


# ---------------------------------------------------------------------- checks
def validate(out: Path, no_labels: bool) -> list[str]:
    errs = []
    acc = pl.read_parquet(out / "accounts.parquet")
    if set(["account_id", "created_at"]) - set(acc.columns):
        errs.append("accounts missing columns")
    if acc["account_id"].dtype != pl.String or acc["account_id"].null_count() or acc["account_id"].n_unique() != acc.height:
        errs.append("accounts.account_id not unique non-null str")
    if not isinstance(acc["created_at"].dtype, pl.Datetime) or acc["created_at"].null_count():
        errs.append("accounts.created_at not non-null datetime")
    ids = acc.select("account_id")
    sig = pl.read_csv(out / "signals.csv", infer_schema_length=0)
    for c in ("account_id", "kind", "value", "seen_at"):
        if c not in sig.columns or sig[c].null_count():
            errs.append(f"signals.{c} missing/null")
    sig_ts = sig["seen_at"].str.to_datetime("%Y-%m-%dT%H:%M:%SZ", strict=False)
    if sig_ts.null_count():
        errs.append(f"signals.seen_at unparseable: {sig_ts.null_count()}")
    if sig.select("account_id", "kind", "value").is_duplicated().any():
        errs.append("signals duplicate (account, kind, value)")
    ev = pl.read_parquet(out / "events.parquet")
    for c in ("account_id", "action", "target_id", "ts"):
        if c not in ev.columns or ev[c].null_count():
            errs.append(f"events.{c} missing/null")
    if not isinstance(ev["ts"].dtype, pl.Datetime):
        errs.append("events.ts not datetime")
    tabs = [("signals", sig, "account_id"), ("events", ev, "account_id")]
    lk = pl.read_csv(out / "links.csv")
    tabs += [("links", lk, "account_a"), ("links", lk, "account_b")]
    if (lk["account_a"] == lk["account_b"]).any():
        errs.append("links self loops")
    if (out / "labels.csv").exists():
        if no_labels:
            errs.append("labels written with --no-labels")
        lb = pl.read_csv(out / "labels.csv")
        if not lb["label"].dtype.is_integer() or not lb["label"].is_in([0, 1]).all() or lb["account_id"].n_unique() != lb.height:
            errs.append("labels bad values / duplicates")
        tabs.append(("labels", lb, "account_id"))
    elif not no_labels:
        errs.append("labels missing")
    for name, df, col in tabs:
        miss = df.select(pl.col(col).alias("account_id")).join(ids, on="account_id", how="anti").height
        if miss:
            errs.append(f"{name}.{col}: {miss} ids not in accounts")
    tr = pl.read_parquet(out / "truth.parquet")
    if tr.columns != ["account_id", "is_bad", "group_id", "group_kind"]:
        errs.append("truth columns")
    if tr.schema["is_bad"] != pl.Boolean or tr.schema["account_id"] != pl.String:
        errs.append("truth types")
    if tr.join(ids, on="account_id", how="anti").height or tr.height != acc.height:
        errs.append("truth ids mismatch")
    # events before creation
    early = ev.join(acc.select("account_id", pl.col("created_at").dt.replace_time_zone("UTC")), on="account_id").filter(
        pl.col("ts") < pl.col("created_at").dt.cast_time_unit("ms")).height
    if early:
        errs.append(f"events before account creation: {early}")
    return errs


def covote_stats(out: Path, kinds=("vote_farm", "sockpuppet_cluster", "careful_vote_ring",
                                   "prize_abuse_ring", "school_or_club_campaign", "fan_community",
                                   "office_campaign")):
    tr = pl.read_parquet(out / "truth.parquet")
    ev = pl.scan_parquet(out / "events.parquet").filter(pl.col("action").is_in(["vote", "poll_vote"])).select(
        "account_id", "target_id", pl.col("ts").dt.epoch("ms").alias("t")).collect()
    res = {}
    for kind in kinds:
        gs = tr.filter(pl.col("group_kind") == kind)
        if gs.height == 0:
            continue
        vals_all, vals_pos = [], []
        for gid in gs["group_id"].unique().sort():
            mem = gs.filter(pl.col("group_id") == gid).select("account_id")
            v = ev.join(mem, on="account_id")
            j = v.join(v, on="target_id", suffix="_b").filter(
                (pl.col("account_id") < pl.col("account_id_b")) & ((pl.col("t") - pl.col("t_b")).abs() <= 90_000))
            pc = j.group_by("account_id", "account_id_b").agg(pl.col("target_id").n_unique().alias("n"))
            npairs = mem.height * (mem.height - 1) // 2
            pos = pc["n"].to_numpy()
            vals_pos.append(pos)
            vals_all.append(np.concatenate([pos, np.zeros(npairs - len(pos))]))
        a = np.concatenate(vals_all); p = np.concatenate(vals_pos)
        res[kind] = (float(np.median(a)) if len(a) else 0, float(np.median(p)) if len(p) else 0,
                     float(np.percentile(p, 90)) if len(p) else 0, int(p.max()) if len(p) else 0,
                     float(len(p) / max(1, len(a))))
    return res


def summary(out: Path, truth: pl.DataFrame, lab: np.ndarray, no_labels: bool):
    print(f"\n== summary: {out}")
    s = (truth.with_columns(pl.col("group_kind").fill_null("(honest organic)"))
         .group_by("group_kind").agg(pl.col("group_id").drop_nulls().n_unique().alias("groups"), pl.len().alias("accounts"),
                                     pl.col("is_bad").first().alias("is_bad"))
         .sort(["is_bad", "group_kind"], descending=[True, False]))
    with pl.Config(tbl_rows=40, tbl_hide_dataframe_shape=True, tbl_hide_column_data_types=True):
        print(s)
    ev = pl.scan_parquet(out / "events.parquet")
    ne = ev.select(pl.len()).collect().item()
    print(f"accounts {truth.height:,}  bad {int(truth['is_bad'].sum()):,}  events {ne:,} "
          f"({ne / truth.height:.1f}/account)  signals {pl.scan_csv(out / 'signals.csv').select(pl.len()).collect().item():,}"
          f"  links {pl.scan_csv(out / 'links.csv').select(pl.len()).collect().item():,}")
    bad = truth["is_bad"].to_numpy()
    if not no_labels:
        print(f"labels {int((lab >= 0).sum()):,} ({(lab >= 0).mean():.1%}): label1 on bad {int(((lab == 1) & bad).sum())}, "
              f"label1 on honest {int(((lab == 1) & ~bad).sum())}, label0 on bad {int(((lab == 0) & bad).sum())}, "
              f"label0 on honest {int(((lab == 0) & ~bad).sum())}")
    else:
        print("labels: not written (--no-labels)")
    print("actions:", dict(ev.group_by("action").len().sort("len", descending=True).collect().iter_rows()))
    print("co-votes within 90 s per member pair (distinct targets):")
    print(f"  {'kind':26s} {'median(all pairs)':>18s} {'median(pairs>=1)':>17s} {'p90(>=1)':>9s} {'max':>5s} {'share>=1':>9s}")
    for k, (ma, mp, p9, mx, sh) in covote_stats(out).items():
        print(f"  {k:26s} {ma:18.1f} {mp:17.1f} {p9:9.1f} {mx:5d} {sh:9.1%}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--no-check", action="store_true", help="skip validation and summary")
    a = ap.parse_args(argv)
    if a.accounts < 1000:
        ap.error("--accounts must be >= 1000")
    t0 = time.time()
    g = Gen(a.accounts, a.seed)
    g.build()
    out = Path(a.out_dir)
    truth, lab = write(g, out, a.no_labels)
    t1 = time.time()
    print(f"generated {a.accounts:,} accounts (seed {a.seed}) in {t1 - t0:.1f}s -> {out}")
    if not a.no_check:
        errs = validate(out, a.no_labels)
        print("contract check:", "OK" if not errs else "; ".join(errs))
        summary(out, truth, lab, a.no_labels)
        print(f"checks took {time.time() - t1:.1f}s")
        if errs:
            sys.exit(1)


if __name__ == "__main__":
    main()

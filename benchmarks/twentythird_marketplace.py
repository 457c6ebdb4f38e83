#!/usr/bin/env python3
"""Twenty-third synthetic marketplace: a professional social network with a jobs board.

Written from the data contract alone (DESIGN.md's input/output tables and the benchmarks
README's list of earlier generators); no detection code was read.

    python benchmarks/twentythird_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

The platform has profiles, connection requests, skill endorsements, messages and paid InMail,
posts with reactions / comments / shares, job posts and applications, company pages and a
premium subscription paid by card.  Its own action names: ``login``, ``profile.view``,
``profile.edit``, ``post.create``, ``post.react``, ``post.comment``, ``post.share``,
``connect.request``, ``connect.accept``, ``member.follow``, ``endorse`` (extra column ``skill``),
``msg.send``, ``msg.inmail``, ``job.post``, ``job.view``, ``job.apply``, ``company.view``,
``company.follow``, ``company.post``, ``premium.buy``, ``account.email_change``.  Targets are
member ids (``mbr-#########``), posts (``post-N``), jobs (``job-N``), company pages (``co-N``)
or app surfaces / plans (``app-web``, ``page-settings``, ``plan-sales`` ...).  Identifier
kinds: ``device_id``, ``ip``, ``phone``, ``email_hash``, ``email_domain``, ``card_fp``,
``ua_fp`` (a coarse device fingerprint shared by hundreds per value).  All values are opaque
16-hex-digit hashes.

Output (the data contract): ``accounts.parquet``, ``events.parquet``, ``signals.csv``,
``labels.csv`` (unless ``--no-labels``), ``links.parquet`` (accepted connections only) and
``truth.parquet`` (account_id, is_bad, group_id, group_kind for every account).  Timestamps
are naive UTC; CSV times are ISO (``2024-03-05T14:22:09``).  Events run 2024-01-01 ..
2024-07-01; accounts were created from 2009 on.  Deterministic for (accounts, seed).

Background: every account has a country (time zone, diurnal activity), a community of ~120
(who it connects with, messages and endorses), an employer, a popularity (who gets viewed
and followed), a job-seeking weight; ~22% are dormant.  Posts are reacted to in the hours
after publication with Zipf-like popularity, jobs are applied to in the days after posting,
so honest same-target bursts are everywhere.  Honest users also sit on the identifiers the
bad use: carrier NAT IPs shared by thousands, VPN exits (data-centre IPs) shared by dozens,
virtual (VoIP) phone numbers, recycled phone numbers, disposable e-mail domains, emulator
fingerprints (developers), and residential proxy exits, which *are* honest homes' IPs.

BAD groups (is_bad true; ~6% of accounts; flavour in the group_id):

* ``fake_recruiter_ring`` (4-25): new "recruiter" accounts created over a spree, a fake
  company page, fake jobs that honest job seekers apply to, then messages to every applicant
  within hours and connection spam.  ``blunt``: one or two shared devices, data-centre IPs;
  ``careful``: devices shared in pairs, residential proxies (honest homes' IPs); both on a
  small pool of VoIP numbers that honest expats also use.
* ``endorsement_farm`` (30-220 workers): aged/bought accounts with their own devices, home
  IPs and organic lives, sharing only a pool of residential-proxy IPs.  Each paid job on a
  client's profile (endorse / connect / react to a fresh post) uses 10-35% of the workers,
  spread over 3-25 minutes (``blunt``) or 40 minutes to 6 hours with jitter and decoy views
  (``careful``).  Clients are ordinary accounts.
* ``scraper_batch`` (20-150): fake profiles created in one burst (``burst``) or in mini
  bursts over two days (``drip``), emulator fingerprints, per-account device ids (resets),
  data-centre IPs (some VPN exits honest users share), disposable e-mail domains; hardly any
  actions except mass ``profile.view`` of the employees of 1-3 targeted companies plus
  ``company.view`` of those pages, in sessions of tens of views 20 s apart.
* ``endorsement_ring`` (4-12): established members that, for months, react to each other's
  posts within hours (``tight``) or days (``loose``) and endorse each other's skills in
  monthly rounds; no shared identifiers (a third of the tight ones share one VPN exit).
* ``ato_wave`` (25-150 victims): dormant profiles older than two years wake up within 1-2
  (``fast``, few attacker devices, data-centre IPs) or 3-7 days (``slow``, more devices,
  residential proxies): new device and IP, e-mail changed to one rare domain, profile edited,
  then spam messages to their contacts and a spam post.
* ``premium_carding`` (10-60): new accounts buying premium with 2-6 stolen cards, created
  within hours (``burst``) or over two weeks (``spread``), then InMail spam and views.
* lone bad actors (spammers, scrapers, fake recruiters): is_bad true, no group.

BENIGN look-alike groups (is_bad false, with group_id / group_kind), and why each is hard:

* ``company_staff`` (10-150): one employer's staff on 1-3 office IPs and a pool of hot-desk
  SSO-managed laptops with one managed-image fingerprint and a corporate e-mail domain;
  they endorse each other (half of it in a review week) and react to company announcements
  within the hour -- shared devices + IPs + mutual endorsement, like a ring or a farm.
* ``recruiting_agency`` (5-30): real recruiters on 2-4 shared office desktops and one office
  IP, premium billed together on one agency card, bursts of connection requests to job
  seekers, job posts and messages to applicants -- the fake-recruiter pattern, honestly.
* ``alumni_cohort`` (20-120): students who sign up within hours at a careers fair on the venue
  Wi-Fi with a university e-mail domain and connect to each other within minutes -- a
  creation burst with lockstep connections, like a scraper batch or a farm.
* ``conference`` (50-300): attendees on venue Wi-Fi connecting to each other in the coffee
  breaks and reacting to the organiser's posts -- bursty mutual connections.
* ``household`` (2-5): one home IP, often a shared tablet, sometimes one family card.
* ``coworking`` (15-80): members of different companies on the same IPs.
* ``corporate_card_team`` (5-40): a team whose premium is bought on one corporate card by an
  admin within minutes, renewed together -- one card across many accounts, like carding.
* ``influencer_fans`` (an influencer and 40-250 core fans): fans react within minutes of
  every post (push notifications) -- lockstep on a single author, over months.
* ``viral_crowd`` (hundreds to 3,500): thousands of reactions to one post within minutes.
* ``carrier_nat``: the ordinary users of a mobile carrier NAT IP shared by thousands.

Labels: enforcement found about half of the bad groups (50-100% of their members labelled,
~5% of those wrongly 0), half of the lone actors; ~5% of honest accounts carry a 0; one benign
group (the largest recruiting agency) has 30-60% of its members labelled 1 by mistake.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import polars as pl

DAY = 86_400
HOUR = 3_600
MIN = 60
T_START = 1_704_067_200  # 2024-01-01 UTC
T_END = 1_719_792_000  # 2024-07-01 UTC
T_FIRST = 1_230_768_000  # 2009-01-01
T_RECENT = 1_685_577_600  # 2023-06-01

ACTIONS = [
    "login", "profile.view", "profile.edit", "post.create", "post.react", "post.comment",
    "post.share", "connect.request", "connect.accept", "member.follow", "endorse", "msg.send",
    "msg.inmail", "job.post", "job.view", "job.apply", "company.view", "company.follow",
    "company.post", "premium.buy", "account.email_change",
]
A = {a: i for i, a in enumerate(ACTIONS)}
# target namespaces
NS_ACC, NS_POST, NS_JOB, NS_CO, NS_APP = 0, 1, 2, 3, 4
APP = ["app-web", "app-ios", "app-android", "page-settings", "page-profile",
       "plan-career", "plan-business", "plan-recruiter", "plan-sales"]
AP = {a: i for i, a in enumerate(APP)}
KINDS = ["device_id", "ip", "phone", "email_hash", "email_domain", "card_fp", "ua_fp"]
K = {k: i for i, k in enumerate(KINDS)}
SKILLS = [
    "python", "sql", "sales", "negotiation", "project management", "leadership", "marketing",
    "seo", "java", "javascript", "react", "aws", "kubernetes", "data analysis", "excel",
    "accounting", "recruiting", "talent acquisition", "customer service", "public speaking",
    "product management", "ux design", "figma", "machine learning", "statistics", "finance",
    "business development", "team building", "strategy", "copywriting", "social media",
    "operations", "supply chain", "logistics", "nursing", "teaching", "research", "c++",
    "go", "devops", "security", "legal", "hr", "payroll", "crm", "salesforce", "b2b",
    "consulting", "agile", "scrum",
]
COUNTRIES = ["US", "IN", "GB", "DE", "FR", "BR", "CA", "NL", "ES", "AU", "NG", "PH", "PK",
             "AE", "MX", "PL", "SG", "ZA", "IT", "SE"]
C_W = np.array([24, 14, 7, 5, 4, 6, 4, 2, 3, 3, 3, 3, 2, 2, 3, 2, 1.5, 2, 3, 1.5])
C_TZ = np.array([-6, 5.5, 0, 1, 1, -3, -5, 1, 1, 10, 1, 8, 5, 4, -6, 1, 8, 2, 1, 1])
TYPES = ["member", "recruiter", "student", "company_admin"]
T_MEMBER, T_RECRUITER, T_STUDENT, T_ADMIN = 0, 1, 2, 3

# local-hour activity profile (all day) and office hours
_H = np.array([1, .6, .4, .3, .3, .5, 1.2, 2.5, 4, 5, 5, 4.5, 4, 4.5, 4.5, 4.2, 4, 3.5, 3,
               3.2, 3.5, 3.2, 2.4, 1.6])
HOUR_PDF = _H / _H.sum()
_W = np.array([0, 0, 0, 0, 0, 0, 0, .3, 2, 5, 6, 5, 3, 5, 6, 5, 4, 2, .5, 0, 0, 0, 0, 0])
WORK_PDF = _W / _W.sum()

# organic action mix per account type
ORG = ["login", "profile.view", "profile.edit", "post.react", "post.comment", "post.share",
       "connect.request", "msg.send", "msg.inmail", "endorse", "member.follow", "job.view",
       "job.apply", "company.view", "company.follow"]
ORG_P = np.array([
    # login view  edit  react comm share conn  msg   inm   endo  foll  jview japp  cview cfoll
    [.22, .15, .01, .18, .04, .015, .06, .09, .003, .025, .01, .07, .025, .04, .015],  # member
    [.20, .20, .01, .08, .02, .01, .15, .16, .05, .02, .005, .03, .002, .05, .01],  # recruiter
    [.20, .12, .01, .15, .03, .01, .07, .07, .0, .02, .01, .15, .10, .05, .03],  # student
    [.25, .15, .01, .15, .03, .02, .05, .08, .01, .02, .005, .04, .005, .10, .02],  # admin
])
ORG_P = ORG_P / ORG_P.sum(1, keepdims=True)
ORG_CODE = np.array([A[a] for a in ORG])


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser (vectorised, wrapping)."""
    with np.errstate(over="ignore"):
        z = x.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def hex16(x: np.ndarray) -> np.ndarray:
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    nib = ((x.astype(np.uint64)[:, None] >> shifts) & np.uint64(15)).astype(np.intp)
    chars = np.ascontiguousarray(_HEX[nib])
    return chars.view("S16").ravel().astype(str)


def seg_cumsum(vals: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at every segment (segments given by their lengths)."""
    cs = np.cumsum(vals)
    starts = np.cumsum(counts) - counts
    before = np.concatenate([[0.0], cs])[starts]
    return cs - np.repeat(before, counts)


class Gen:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.seed = seed
        self.rng = np.random.default_rng([seed, 23])
        self.salt = np.uint64((seed * 0x9E3779B1 + 0x2323) & 0xFFFFFFFFFF)
        self.ctr = {k: 0 for k in KINDS}
        self.post_ctr = 0
        self.job_ctr = 0
        self.E: list[tuple] = []
        self.S: list[tuple] = []
        self.L: list[tuple] = []
        self.groups: list[dict] = []
        self.kind_seq: dict[str, int] = {}

    # ---------------------------------------------------------------- primitives
    def new(self, kind: str, k) -> np.ndarray:
        k = int(k)
        s = self.ctr[kind]
        self.ctr[kind] = s + k
        return np.arange(s, s + k, dtype=np.int64)

    def new_posts(self, k) -> np.ndarray:
        s = self.post_ctr
        self.post_ctr += int(k)
        return np.arange(s, s + int(k), dtype=np.int64)

    def new_jobs(self, k) -> np.ndarray:
        s = self.job_ctr
        self.job_ctr += int(k)
        return np.arange(s, s + int(k), dtype=np.int64)

    def new_company(self) -> int:
        c = self.co_ctr
        self.co_ctr += 1
        return c

    def ev(self, actor, action, ns, tint, ts, skill=None, acc_p=0.0, acc_med=0.0):
        actor = np.asarray(actor, dtype=np.int64).ravel()
        m = len(actor)
        if m == 0:
            return

        def arr(x, dt):
            x = np.asarray(x, dtype=dt)
            return np.full(m, x, dtype=dt) if x.ndim == 0 else x.ravel()

        act = A[action] if isinstance(action, str) else action
        self.E.append((
            actor, arr(act, np.int16), arr(ns, np.int8), arr(tint, np.int64),
            arr(np.asarray(ts).astype(np.int64) if np.ndim(ts) else int(ts), np.int64),
            arr(-1 if skill is None else skill, np.int16),
            arr(acc_p, np.float32), arr(acc_med, np.float32),
        ))

    def sig(self, actor, kind: str, value, seen):
        actor = np.asarray(actor, dtype=np.int64).ravel()
        m = len(actor)
        if m == 0:
            return
        value = np.asarray(value, dtype=np.int64)
        seen = np.asarray(seen).astype(np.int64)
        self.S.append((
            actor, np.full(m, K[kind], np.int8),
            np.full(m, value) if value.ndim == 0 else value.ravel(),
            np.full(m, seen) if seen.ndim == 0 else seen.ravel(),
        ))

    def link(self, a, b):
        a = np.asarray(a, np.int64).ravel()
        b = np.asarray(b, np.int64).ravel()
        if len(a):
            self.L.append((a, b))

    def hours(self, t, tz, pdf=HOUR_PDF, weekdays=False, lo=None, hi=None):
        """Move times onto the same local day's hour drawn from pdf; a time that would leave
        [lo, hi) keeps its original value."""
        t = np.asarray(t, dtype=np.int64)
        out = self._hours(t, tz, pdf, weekdays)
        if lo is not None or hi is not None:
            bad = np.zeros(t.shape, bool)
            if lo is not None:
                bad |= out < lo
            if hi is not None:
                bad |= out >= hi
            out = np.where(bad, t, out)
        return out

    def _hours(self, t, tz, pdf, weekdays):
        tz = np.broadcast_to(np.asarray(tz, dtype=np.float64), t.shape)
        local = t + (tz * HOUR).astype(np.int64)
        day0 = (local // DAY) * DAY
        if weekdays:
            dow = ((day0 // DAY) + 3) % 7  # 0 = Monday
            day0 = day0 - np.where(dow >= 5, dow - 4, 0) * DAY
        h = self.rng.choice(24, size=t.shape, p=pdf)
        sec = h * HOUR + self.rng.integers(0, HOUR, size=t.shape)
        return day0 + sec - (tz * HOUR).astype(np.int64)

    def span_times(self, who, k_per, lo=None, hi=T_END, pdf=HOUR_PDF):
        """k_per random diurnal times per account between lo (default its start) and hi."""
        who = np.asarray(who)
        k_per = np.asarray(k_per)
        if lo is None:
            lo = np.maximum(self.created[who], T_START)
        lo = np.broadcast_to(np.asarray(lo, dtype=np.int64), who.shape)
        hi = np.broadcast_to(np.asarray(hi, dtype=np.int64), who.shape)
        rep = np.repeat(np.arange(len(who)), k_per)
        a, b = lo[rep], np.maximum(hi[rep], lo[rep] + HOUR)
        t = a + (self.rng.random(len(rep)) * (b - a)).astype(np.int64)
        t = self.hours(t, self.tz[who[rep]], pdf, lo=a, hi=b)
        return who[rep], t

    # ---------------------------------------------------------------- groups
    def take(self, k, cond=None, weights=None) -> np.ndarray:
        ok = (self.group_of < 0) & ~self.lone
        if cond is not None:
            ok &= cond
        cand = np.flatnonzero(ok)
        k = int(min(k, len(cand)))
        if k <= 0:
            return cand[:0]
        if weights is None:
            return np.sort(self.rng.choice(cand, k, replace=False))
        w = weights[cand].astype(np.float64)
        return np.sort(self.rng.choice(cand, k, replace=False, p=w / w.sum()))

    def add_group(self, kind, flavour, bad, members):
        seq = self.kind_seq.get(kind, 0) + 1
        self.kind_seq[kind] = seq
        gid = f"{kind}-{flavour}-{seq:03d}" if flavour else f"{kind}-{seq:03d}"
        gi = len(self.groups)
        self.groups.append(dict(kind=kind, flavour=flavour, bad=bad, gid=gid,
                                members=np.asarray(members, np.int64)))
        self.group_of[members] = gi
        if bad:
            self.bad[members] = True
        return gi

    # ---------------------------------------------------------------- samplers
    def _index(self, labels, size):
        idx = np.flatnonzero(labels >= 0)
        order = idx[np.argsort(labels[idx], kind="stable")]
        counts = np.bincount(labels[idx], minlength=size)
        return order, np.cumsum(counts) - counts, counts

    def pick_in(self, index, labs):
        order, starts, counts = index
        r = (self.rng.random(len(labs)) * counts[labs]).astype(np.int64)
        return order[starts[labs] + r]

    def rebuild_samplers(self):
        live = (~self.fake).astype(np.float64)
        self.cum_pop = np.cumsum(self.pop * live)
        self.cum_seek = np.cumsum(self.seek * live * (self.activity > 0))
        self.cum_client = np.cumsum(np.sqrt(self.pop) * live * (self.activity > 0)
                                    * (self.group_of < 0))

    def _cum(self, cum, k):
        return np.minimum(np.searchsorted(cum, self.rng.random(int(k)) * cum[-1], side="right"),
                          self.n - 1)

    def sample_global(self, k):
        return self._cum(self.cum_pop, k)

    def sample_seekers(self, k):
        return self._cum(self.cum_seek, k)

    def contacts(self, who, p_comm=0.6, p_emp=0.25):
        """People an account knows: its community, its colleagues, or anyone popular."""
        who = np.asarray(who, np.int64)
        u = self.rng.random(len(who))
        out = self.sample_global(len(who))
        m = u < p_comm
        out[m] = self.pick_in(self.comm_index, self.community[who[m]])
        e = (u >= p_comm) & (u < p_comm + p_emp) & (self.employer[who] >= 0)
        out[e] = self.pick_in(self.emp_index, self.employer[who[e]])
        return out

    def proxy_ips(self, k):
        """Residential proxy exits: the home IPs of honest accounts."""
        honest = np.flatnonzero(~self.fake & (self.group_of < 0))
        return self.home_ip[self.rng.choice(honest, int(k), replace=False)]

    def skills_of(self, who, j=None):
        """Deterministic per-account skill set of 5 (pick j-th, random if None)."""
        who = np.asarray(who, np.int64)
        if j is None:
            j = self.rng.integers(0, 5, len(who))
        h = mix64(who.astype(np.uint64) * np.uint64(7919) + np.asarray(j).astype(np.uint64)
                  + self.salt)
        z = self.skill_rank[(h % np.uint64(len(self.skill_rank))).astype(np.int64)]
        return z.astype(np.int16)

    # ---------------------------------------------------------------- base population
    def base(self):
        n, rng = self.n, self.rng
        self.group_of = np.full(n, -1, np.int64)
        self.bad = np.zeros(n, bool)
        self.lone = np.zeros(n, bool)
        self.fake = np.zeros(n, bool)
        self.wake = np.full(n, np.iinfo(np.int64).max)  # when a dormant account comes back
        self.country = rng.choice(len(COUNTRIES), n, p=C_W / C_W.sum())
        old = rng.random(n) < 0.72
        t_old = T_FIRST + (T_RECENT - T_FIRST) * np.sqrt(rng.random(n))
        t_new = T_RECENT + (T_END - 5 * DAY - T_RECENT) * rng.random(n)
        self.created = np.where(old, t_old, t_new).astype(np.int64)
        self.atype = rng.choice(4, n, p=[.86, .03, .09, .02])
        self.pop = np.minimum(rng.pareto(1.4, n) + 1.0, 2000.0)
        sd = 0.85
        self.activity = np.where(rng.random(n) < 0.22, 0.0,
                                 rng.lognormal(np.log(44) - sd * sd / 2, sd, n))
        self.seek = np.where(rng.random(n) < 0.3, 3.0, 1.0) * np.where(self.atype == T_STUDENT, 3, 1)
        self.platform = rng.choice(3, n, p=[.45, .3, .25])
        self.n_co = max(60, n // 30)
        self.co_ctr = self.n_co
        cw = 1.0 / np.arange(1, self.n_co + 1) ** 1.05
        self.employer = np.where(rng.random(n) < 0.85,
                                 rng.choice(self.n_co, n, p=cw / cw.sum()), -1)
        order = np.lexsort((rng.random(n), self.country))
        self.community = np.empty(n, np.int64)
        self.community[order] = np.arange(n) // 120
        self.n_comm = int(self.community.max()) + 1
        self.comm_index = self._index(self.community, self.n_comm)
        self.emp_index = self._index(self.employer, self.n_co)
        self.home_ip = self.new("ip", n)
        self.domain_override = np.full(n, -1, np.int64)
        self.skill_rank = np.repeat(np.arange(len(SKILLS)),
                                    np.maximum(1, (60 / np.arange(1, len(SKILLS) + 1)).astype(int)))
        # shared pools
        self.VOIP = self.new("phone", max(300, n // 40))  # virtual numbers, rented and recycled
        self.DC_VPN = self.new("ip", max(20, n // 800))
        self.DC_HOST = self.new("ip", max(30, n // 500))
        self.NAT = self.new("ip", max(2, n // 7000))
        self.EMU = self.new("ua_fp", 6)
        self.POP_UA = self.new("ua_fp", 400)
        self.PUB_DOM = self.new("email_domain", 40)
        self.DISP_DOM = self.new("email_domain", 5)
        self.rebuild_samplers()

    @property
    def tz(self):
        return C_TZ[self.country]

    def zipf_pick(self, pool, k, a=1.1):
        w = 1.0 / np.arange(1, len(pool) + 1) ** a
        return pool[self.rng.choice(len(pool), int(k), p=w / w.sum())]

    # ================================================================ BAD groups
    def g_recruiter(self, k, flavour):
        rng = self.rng
        m = self.take(k)
        k = len(m)
        if k == 0:
            return
        spree0 = rng.uniform(T_START - 20 * DAY, T_END - 80 * DAY)
        self.created[m] = (spree0 + np.sort(rng.random(k)) * rng.uniform(3, 40) * DAY).astype(np.int64)
        self.atype[m] = T_RECRUITER
        self.fake[m] = True
        self.activity[m] = rng.uniform(0, 8, k)
        self.add_group("fake_recruiter_ring", flavour, True, m)
        c = self.created[m]
        a0 = np.maximum(c, T_START) + 600
        if flavour == "blunt":
            dev = self.new("device_id", rng.integers(1, 3))
            self.sig(m, "device_id", dev[rng.integers(0, len(dev), k)], c)
            ips = self.DC_HOST[rng.choice(len(self.DC_HOST), rng.integers(2, 5), replace=False)]
        else:
            dev = self.new("device_id", max(1, int(np.ceil(k / 2.5))))
            nd = rng.integers(1, 3, k)
            self.sig(np.repeat(m, nd), "device_id", dev[rng.integers(0, len(dev), nd.sum())],
                     np.repeat(c, nd) + rng.integers(0, 5 * DAY, nd.sum()))
            ips = self.proxy_ips(rng.integers(5, 16))
        self.sig(m, "ua_fp", self.zipf_pick(self.POP_UA, k), c)
        phones = rng.choice(self.VOIP, rng.integers(2, 6), replace=False)
        self.sig(m, "phone", phones[rng.integers(0, len(phones), k)], c + 120)
        ni = rng.integers(2, 5, k)
        self.sig(np.repeat(m, ni), "ip", ips[rng.integers(0, len(ips), ni.sum())],
                 np.repeat(a0, ni) + rng.integers(0, 10 * DAY, ni.sum()))
        self.domain_override[m] = self.PUB_DOM[rng.integers(0, 3, k)]
        # the fake company page
        co = self.new_company()
        w, t = self.span_times(m, rng.integers(2, 7, k), lo=a0)
        self.ev(w, "company.post", NS_CO, co, t)
        self.ev(m, "login", NS_APP, AP["app-web"], a0 - 300)
        w, t = self.span_times(m, rng.integers(5, 40, k), lo=a0)
        self.ev(w, "login", NS_APP, np.where(rng.random(len(w)) < .7, 0, 2), t)
        # fake jobs, honest applicants, messages to every applicant
        nj = rng.integers(2, 9, k)
        poster = np.repeat(m, nj)
        lo = np.repeat(a0, nj)
        jt = lo + (rng.random(len(poster)) * np.maximum(T_END - 4 * DAY - lo, HOUR)).astype(np.int64)
        jt = self.hours(jt, self.tz[poster], WORK_PDF, lo=lo, hi=T_END - DAY)
        jobs = self.new_jobs(len(poster))
        self.ev(poster, "job.post", NS_JOB, jobs, jt)
        na = np.clip(rng.lognormal(np.log(14), 0.8, len(jobs)).astype(int), 3, 80)
        ja = np.repeat(np.arange(len(jobs)), na)
        applicant = self.sample_seekers(len(ja))
        at = jt[ja] + rng.exponential(2 * DAY, len(ja)).astype(np.int64) + 300
        self.ev(applicant, "job.view", NS_JOB, jobs[ja], at - rng.integers(60, 1800, len(ja)))
        self.ev(applicant, "job.apply", NS_JOB, jobs[ja], at)
        sender = np.where(rng.random(len(ja)) < 0.7, poster[ja], m[rng.integers(0, k, len(ja))])
        mt = at + 600 + rng.exponential(3 * HOUR, len(ja)).astype(np.int64)
        self.ev(sender, "profile.view", NS_ACC, applicant, mt - rng.integers(30, 600, len(ja)))
        self.ev(sender, "msg.send", NS_ACC, applicant, mt)
        s = rng.random(len(ja)) < 0.5
        self.ev(sender[s], "msg.send", NS_ACC, applicant[s],
                mt[s] + rng.exponential(DAY, s.sum()).astype(np.int64))
        r = rng.random(len(ja)) < 0.35
        self.ev(applicant[r], "msg.send", NS_ACC, sender[r],
                mt[r] + rng.exponential(2 * HOUR, r.sum()).astype(np.int64))
        # connection spam to job seekers
        w, t = self.span_times(m, rng.integers(20, 121, k), lo=a0)
        self.ev(w, "connect.request", NS_ACC, self.sample_seekers(len(w)), t,
                acc_p=0.3, acc_med=12 * HOUR)

    def g_farm(self, k, flavour):
        rng = self.rng
        m = self.take(k, cond=self.activity > 0)
        k = len(m)
        if k == 0:
            return
        self.created[m] = (T_START - rng.uniform(60, 1000, k) * DAY).astype(np.int64)
        self.activity[m] = rng.lognormal(np.log(22), 0.7, k)
        self.add_group("endorsement_farm", flavour, True, m)
        pool = self.proxy_ips(rng.integers(15, 61))
        ni = rng.integers(2, 7, k)
        self.sig(np.repeat(m, ni), "ip", pool[rng.integers(0, len(pool), ni.sum())],
                 T_START + rng.integers(0, T_END - T_START - DAY, ni.sum()))
        J = int(np.clip(rng.integers(15, 61) * (1.0 if k > 60 else 0.6), 8, 70))
        clients = self._cum(self.cum_client, J)
        rep = rng.random(J) < 0.3
        clients[rep] = clients[rng.integers(0, J, rep.sum())]
        for j in range(J):
            cl = int(clients[j])
            t0 = int(rng.uniform(T_START + 3 * DAY, T_END - DAY))
            D = rng.uniform(3, 25) * MIN if flavour == "blunt" else rng.uniform(40, 360) * MIN
            kj = max(3, int(round(rng.uniform(0.10, 0.35) * k)))
            w = m[rng.choice(k, kj, replace=False)]
            off = rng.random(kj) * D
            if flavour != "blunt":
                off = np.abs(off + rng.normal(0, 0.1 * D, kj))
            t = (t0 + off).astype(np.int64)
            jt = rng.choice(4, p=[.35, .25, .2, .2])  # endorse, connect, react, mixed
            self.ev(w, "profile.view", NS_ACC, cl, t)
            if jt in (0, 3):
                ns = rng.integers(1, 3, kj)
                ww = np.repeat(w, ns)
                self.ev(ww, "endorse", NS_ACC, cl, np.repeat(t, ns) + rng.integers(10, 120, ns.sum()),
                        skill=self.skills_of(np.full(ns.sum(), cl), rng.integers(0, 3, ns.sum())))
            if jt in (1, 3):
                self.ev(w, "connect.request", NS_ACC, cl, t + rng.integers(5, 60, kj),
                        acc_p=0.92, acc_med=2 * HOUR)
            if jt in (2, 3):
                post = self.new_posts(1)[0]
                self.ev([cl], "post.create", NS_POST, post, [t0 - int(rng.uniform(600, 3 * HOUR))])
                self.ev(w, "post.react", NS_POST, post, t + rng.integers(5, 90, kj))
                c = rng.random(kj) < 0.2
                self.ev(w[c], "post.comment", NS_POST, post, t[c] + rng.integers(30, 300, c.sum()))
            if flavour != "blunt":  # decoy views around the job
                self.ev(w, "profile.view", NS_ACC, self.sample_global(kj),
                        t + rng.integers(-1800, 1800, kj))

    def g_scraper(self, k, flavour):
        rng = self.rng
        m = self.take(k)
        k = len(m)
        if k == 0:
            return
        tb = rng.uniform(T_START + 5 * DAY, T_END - 12 * DAY)
        if flavour == "burst":
            c = tb + np.sort(rng.random(k)) * rng.uniform(10, 45) * MIN
        else:
            nb = rng.integers(3, 7)
            bs = tb + np.sort(rng.random(nb)) * 2 * DAY
            c = bs[rng.integers(0, nb, k)] + rng.random(k) * rng.uniform(5, 30) * MIN
        self.created[m] = c.astype(np.int64)
        c = self.created[m]
        self.fake[m] = True
        self.activity[m] = rng.uniform(0, 2, k)
        self.add_group("scraper_batch", flavour, True, m)
        self.sig(m, "device_id", self.new("device_id", k), c)
        emu = rng.choice(self.EMU, 1 if flavour == "burst" else rng.integers(2, 4), replace=False)
        self.sig(m, "ua_fp", emu[rng.integers(0, len(emu), k)], c)
        npool = rng.integers(3, 13)
        ips = np.concatenate([rng.choice(self.DC_VPN, npool // 2, replace=False),
                              rng.choice(self.DC_HOST, npool - npool // 2, replace=False)])
        ni = rng.integers(1, 4, k)
        self.sig(np.repeat(m, ni), "ip", ips[rng.integers(0, len(ips), ni.sum())],
                 np.repeat(c, ni) + rng.integers(0, 2 * DAY, ni.sum()))
        if flavour != "burst":
            p = rng.random(k) < 0.4
            self.sig(m[p], "phone", rng.choice(self.VOIP, p.sum()), c[p] + 60)
        dom = rng.choice(self.DISP_DOM, rng.integers(1, 3), replace=False)
        self.domain_override[m] = dom[rng.integers(0, len(dom), k)]
        # targets: employees of 1-3 large companies
        big = np.argsort(-self.emp_index[2])[:30]
        tcos = rng.choice(big, rng.integers(1, 4), replace=False)
        order, starts, counts = self.emp_index
        emps = np.concatenate([order[starts[x]:starts[x] + counts[x]] for x in tcos])
        V = rng.integers(40, 251, k)
        viewer = np.repeat(m, V)
        gaps = rng.exponential(20, V.sum()) + 2
        big_gap = rng.random(V.sum()) < 1 / 40
        gaps[big_gap] += rng.exponential(3 * HOUR, big_gap.sum())
        start = c + rng.integers(5 * MIN, 6 * HOUR, k)
        t = np.repeat(start, V) + seg_cumsum(gaps, V).astype(np.int64)
        self.ev(viewer, "profile.view", NS_ACC, emps[rng.integers(0, len(emps), V.sum())], t)
        self.ev(m, "login", NS_APP, AP["app-android"], start - rng.integers(10, 120, k))
        self.ev(m, "profile.edit", NS_APP, AP["page-profile"], c + rng.integers(60, 600, k))
        nc = rng.integers(1, 6, k)
        w = np.repeat(m, nc)
        cend = np.repeat(start + (V * 25), nc)
        self.ev(w, "company.view", NS_CO, tcos[rng.integers(0, len(tcos), nc.sum())],
                np.repeat(start, nc) + (rng.random(nc.sum()) * (cend - np.repeat(start, nc))).astype(np.int64))
        f = rng.random(k) < 0.3
        self.ev(m[f], "company.follow", NS_CO, tcos[rng.integers(0, len(tcos), f.sum())],
                start[f] + rng.integers(0, HOUR, f.sum()))

    def g_ring(self, k, flavour):
        rng = self.rng
        m = self.take(k, cond=(self.created < T_START - 180 * DAY) & ~self.fake)
        k = len(m)
        if k < 3:
            return
        self.activity[m] = np.maximum(self.activity[m], rng.lognormal(np.log(30), 0.5, k))
        self.add_group("endorsement_ring", flavour, True, m)
        s0 = rng.uniform(T_START, T_START + 60 * DAY)
        s1 = T_END - rng.uniform(0, 20) * DAY
        npost = np.maximum(1, ((s1 - s0) / (rng.uniform(7, 21, k) * DAY)).astype(int))
        ai = np.repeat(np.arange(k), npost)
        pt = self.hours((s0 + rng.random(len(ai)) * (s1 - s0)).astype(np.int64), self.tz[m[ai]])
        posts = self.new_posts(len(ai))
        self.ev(m[ai], "post.create", NS_POST, posts, pt)
        P = len(posts)
        pi = np.repeat(np.arange(P), k)
        mi = np.tile(np.arange(k), P)
        p = 0.9 if flavour == "tight" else 0.65
        keep = (mi != ai[pi]) & (rng.random(len(pi)) < p)
        pi, mi = pi[keep], mi[keep]
        if flavour == "tight":
            d = rng.exponential(3 * HOUR, len(pi)) + 60
        else:
            d = np.minimum(rng.exponential(1.5 * DAY, len(pi)), 4 * DAY) + 300
        rt = pt[pi] + d.astype(np.int64)
        self.ev(m[mi], "post.react", NS_POST, posts[pi], rt)
        c = rng.random(len(pi)) < 0.3
        self.ev(m[mi[c]], "post.comment", NS_POST, posts[pi[c]], rt[c] + rng.integers(60, HOUR, c.sum()))
        # endorsements between every ordered pair, in monthly rounds (tight) or at random
        ii, jj = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
        ii, jj = ii[ii != jj], jj[ii != jj]
        ne = rng.integers(1, 4, len(ii))
        ei, ej = np.repeat(ii, ne), np.repeat(jj, ne)
        if flavour == "tight":
            rounds = s0 + np.arange(0, (s1 - s0) // (30 * DAY) + 1) * 30 * DAY
            et = rounds[rng.integers(0, len(rounds), len(ei))] + rng.exponential(6 * HOUR, len(ei))
        else:
            et = s0 + rng.random(len(ei)) * (s1 - s0)
        self.ev(m[ei], "endorse", NS_ACC, m[ej], et.astype(np.int64),
                skill=self.skills_of(m[ej]))
        self.link(m[ii[ii < jj]], m[jj[ii < jj]])
        if flavour == "tight" and rng.random() < 1 / 3:
            self.sig(m, "ip", rng.choice(self.DC_VPN), T_START + rng.integers(0, 90 * DAY, k))

    def g_ato(self, k, flavour):
        rng = self.rng
        cond = (self.created < T_START - 730 * DAY) & (self.activity == 0) & ~self.fake
        m = self.take(k, cond=cond)
        k = len(m)
        if k == 0:
            return
        self.add_group("ato_wave", flavour, True, m)
        tw = rng.uniform(T_START + 30 * DAY, T_END - 10 * DAY)
        L = rng.uniform(1, 2) if flavour == "fast" else rng.uniform(3, 7)
        t = (tw + rng.random(k) * L * DAY).astype(np.int64)
        self.wake[m] = t
        devs = self.new("device_id", rng.integers(2, 5) if flavour == "fast" else rng.integers(5, 11))
        self.sig(m, "device_id", devs[rng.integers(0, len(devs), k)], t)
        ua = self.POP_UA[rng.integers(50, 400, rng.integers(1, 3))]
        self.sig(m, "ua_fp", ua[rng.integers(0, len(ua), k)], t)
        if flavour == "fast":
            ips = rng.choice(self.DC_HOST, rng.integers(3, 7), replace=False)
        else:
            ips = self.proxy_ips(rng.integers(10, 31))
        self.sig(m, "ip", ips[rng.integers(0, len(ips), k)], t)
        self.sig(m, "email_hash", self.new("email_hash", k), t + 300)
        dom = self.new("email_domain", rng.integers(1, 3))
        self.sig(m, "email_domain", dom[rng.integers(0, len(dom), k)], t + 300)
        self.ev(m, "login", NS_APP, AP["app-web"], t)
        self.ev(m, "account.email_change", NS_APP, AP["page-settings"], t + rng.integers(60, 600, k))
        self.ev(m, "profile.edit", NS_APP, AP["page-profile"], t + rng.integers(300, 1200, k))
        nm = rng.integers(20, 121, k)
        s = np.repeat(m, nm)
        tgt = self.contacts(s, 0.6, 0.15)
        self.ev(s, "msg.send", NS_ACC, tgt,
                np.repeat(t, nm) + 900 + rng.exponential(2 * HOUR, nm.sum()).astype(np.int64))
        self.ev(m, "post.create", NS_POST, self.new_posts(k), t + 1800 + rng.integers(0, 600, k))
        nc = rng.integers(0, 41, k)
        s = np.repeat(m, nc)
        self.ev(s, "connect.request", NS_ACC, self.sample_global(len(s)),
                np.repeat(t, nc) + rng.integers(600, 12 * HOUR, nc.sum()), acc_p=0.2, acc_med=DAY)

    def g_carding(self, k, flavour):
        rng = self.rng
        m = self.take(k)
        k = len(m)
        if k == 0:
            return
        t0 = rng.uniform(T_START + 5 * DAY, T_END - 20 * DAY)
        spread = 6 * HOUR if flavour == "burst" else 14 * DAY
        self.created[m] = (t0 + np.sort(rng.random(k)) * spread).astype(np.int64)
        c = self.created[m]
        self.fake[m] = True
        self.activity[m] = rng.uniform(0, 4, k)
        self.add_group("premium_carding", flavour, True, m)
        cards = self.new("card_fp", rng.integers(2, 4) if flavour == "burst" else rng.integers(3, 7))
        buy = c + rng.integers(5 * MIN, 3 * HOUR, k)
        self.sig(m, "card_fp", cards[rng.integers(0, len(cards), k)], buy)
        two = rng.random(k) < 0.25
        self.sig(m[two], "card_fp", cards[rng.integers(0, len(cards), two.sum())], buy[two] - 60)
        dev = self.new("device_id", max(1, int(np.ceil(k / 6))))
        self.sig(m, "device_id", dev[rng.integers(0, len(dev), k)], c)
        self.sig(m, "ua_fp", self.zipf_pick(self.POP_UA, k), c)
        if flavour == "burst":
            ips = rng.choice(self.DC_HOST, rng.integers(2, 6), replace=False)
            self.domain_override[m] = rng.choice(self.DISP_DOM)
        else:
            ips = self.proxy_ips(rng.integers(8, 21))
            self.domain_override[m] = self.PUB_DOM[rng.integers(0, 4, k)]
        ni = rng.integers(1, 3, k)
        self.sig(np.repeat(m, ni), "ip", ips[rng.integers(0, len(ips), ni.sum())], np.repeat(c, ni))
        p = rng.random(k) < 0.5
        self.sig(m[p], "phone", rng.choice(self.VOIP, p.sum()), c[p] + 60)
        self.ev(m, "login", NS_APP, AP["app-web"], c + rng.integers(60, 600, k))
        plan = AP["plan-sales"] if rng.random() < .5 else AP["plan-business"]
        self.ev(m, "premium.buy", NS_APP, plan, buy)
        r = rng.random(k) < 0.3
        self.ev(m[r], "premium.buy", NS_APP, plan, buy[r] + 30 * DAY)
        ni = rng.integers(30, 201, k)
        s = np.repeat(m, ni)
        it = np.repeat(buy, ni) + (rng.random(ni.sum()) * rng.uniform(1, 10) * DAY).astype(np.int64)
        self.ev(s, "msg.inmail", NS_ACC, self.sample_seekers(len(s)), it)
        nv = rng.integers(20, 101, k)
        s = np.repeat(m, nv)
        self.ev(s, "profile.view", NS_ACC, self.sample_global(len(s)),
                np.repeat(buy, nv) + (rng.random(nv.sum()) * 5 * DAY).astype(np.int64))

    def g_lone(self, count):
        rng = self.rng
        m = self.take(count)
        if len(m) == 0:
            return
        self.lone[m] = True
        self.bad[m] = True
        self.fake[m] = True
        k = len(m)
        self.created[m] = (T_START + rng.random(k) * (T_END - 40 * DAY - T_START)).astype(np.int64)
        c = self.created[m]
        self.activity[m] = rng.uniform(0, 6, k)
        self.sig(m, "device_id", self.new("device_id", k), c)
        self.sig(m, "ua_fp", self.zipf_pick(self.POP_UA, k), c)
        dc = rng.random(k) < 0.5
        self.sig(m, "ip", np.where(dc, rng.choice(self.DC_HOST, k), self.home_ip[m]), c)
        kind = rng.choice(3, k, p=[.5, .25, .25])
        start = c + rng.integers(HOUR, 3 * DAY, k)
        sp = m[kind == 0]  # spammers
        nm = rng.integers(100, 401, len(sp))
        s = np.repeat(sp, nm)
        self.ev(s, "msg.send", NS_ACC, self.sample_global(len(s)),
                np.repeat(start[kind == 0], nm) + (rng.random(nm.sum()) * rng.uniform(1, 5) * DAY).astype(np.int64))
        sc = m[kind == 1]  # scrapers
        nv = rng.integers(100, 301, len(sc))
        s = np.repeat(sc, nv)
        t = np.repeat(start[kind == 1], nv) + seg_cumsum(rng.exponential(15, nv.sum()) + 2, nv).astype(np.int64)
        self.ev(s, "profile.view", NS_ACC, self.sample_global(len(s)), t)
        rc = m[kind == 2]  # fake recruiters
        self.atype[rc] = T_RECRUITER
        nj = rng.integers(2, 6, len(rc))
        poster = np.repeat(rc, nj)
        jt = np.repeat(start[kind == 2], nj) + rng.integers(0, 20 * DAY, nj.sum())
        jobs = self.new_jobs(len(poster))
        self.ev(poster, "job.post", NS_JOB, jobs, jt)
        na = rng.integers(3, 30, len(jobs))
        ja = np.repeat(np.arange(len(jobs)), na)
        ap = self.sample_seekers(len(ja))
        at = jt[ja] + rng.exponential(2 * DAY, len(ja)).astype(np.int64)
        self.ev(ap, "job.apply", NS_JOB, jobs[ja], at)
        self.ev(poster[ja], "msg.send", NS_ACC, ap, at + 600 + rng.exponential(3 * HOUR, len(ja)).astype(np.int64))

    # ================================================================ BENIGN groups
    def _company_with(self, minimum, active=False):
        free = (self.group_of < 0) & ~self.lone & ~self.fake & (self.employer >= 0)
        if active:
            free &= self.activity > 0
        cnt = np.bincount(self.employer[free], minlength=self.n_co)
        cnt[list(self.used_co)] = 0
        cands = np.flatnonzero(cnt >= minimum)
        if len(cands) == 0:
            return -1, 0
        w = np.sqrt(cnt[cands].astype(np.float64))
        co = int(self.rng.choice(cands, p=w / w.sum()))
        self.used_co.add(co)
        return co, int(cnt[co])

    def g_company(self, k):
        rng = self.rng
        co, avail = self._company_with(10, active=True)
        if co < 0:
            return
        m = self.take(min(k, avail), cond=(self.employer == co) & ~self.fake & (self.activity > 0))
        k = len(m)
        if k < 5:
            return
        self.add_group("company_staff", "", False, m)
        offices = self.new("ip", rng.integers(1, 4))
        ni = rng.integers(1, 3, k)
        self.sig(np.repeat(m, ni), "ip", offices[rng.integers(0, len(offices), ni.sum())],
                 T_START - rng.integers(0, 200 * DAY, ni.sum()))
        laptops = self.new("device_id", max(1, int(np.ceil(k / rng.uniform(2, 4)))))
        nl = np.where(rng.random(k) < 0.3, 2, 1)
        self.sig(np.repeat(m, nl), "device_id", laptops[rng.integers(0, len(laptops), nl.sum())],
                 T_START - rng.integers(0, 300 * DAY, nl.sum()))
        self.sig(m, "ua_fp", self.new("ua_fp", 1)[0], T_START - rng.integers(0, 300 * DAY, k))
        corp = self.new("email_domain", 1)[0]
        self.domain_override[m[rng.random(k) < 0.8]] = corp
        admins = m[:rng.integers(1, 4)]
        w, t = self.span_times(admins, rng.integers(8, 21, len(admins)), pdf=WORK_PDF)
        self.ev(w, "company.post", NS_CO, co, t)
        na = rng.integers(6, 16)
        au = admins[rng.integers(0, len(admins), na)]
        pt = self.hours(T_START + rng.integers(0, T_END - T_START - DAY, na), self.tz[au], WORK_PDF, True)
        posts = self.new_posts(na)
        self.ev(au, "post.create", NS_POST, posts, pt)
        pi = np.repeat(np.arange(na), k)
        mi = np.tile(np.arange(k), na)
        keep = rng.random(len(pi)) < rng.uniform(0.4, 0.8)
        pi, mi = pi[keep], mi[keep]
        self.ev(m[mi], "post.react", NS_POST, posts[pi],
                pt[pi] + 30 + rng.exponential(40 * MIN, len(pi)).astype(np.int64))
        ne = rng.integers(2, 9, k)
        ei = np.repeat(m, ne)
        ej = m[rng.integers(0, k, ne.sum())]
        review = T_START + rng.integers(20 * DAY, 150 * DAY)
        et = np.where(rng.random(len(ei)) < 0.5, review + rng.integers(0, 3 * DAY, len(ei)),
                      T_START + rng.integers(0, T_END - T_START, len(ei)))
        et = self.hours(et, self.tz[ei], WORK_PDF, True)
        self.ev(ei, "endorse", NS_ACC, ej, et, skill=self.skills_of(ej))
        nj = m[rng.random(k) < 0.1]
        nr = rng.integers(10, 31, len(nj))
        s = np.repeat(nj, nr)
        t = np.repeat(self.hours(T_START + rng.integers(0, 170 * DAY, len(nj)), self.tz[nj], WORK_PDF), nr)
        self.ev(s, "connect.request", NS_ACC, m[rng.integers(0, k, len(s))],
                t + rng.integers(0, 8 * HOUR, len(s)), acc_p=0.95, acc_med=4 * HOUR)
        npair = min(3 * k, k * (k - 1) // 2)
        self.link(m[rng.integers(0, k, npair)], m[rng.integers(0, k, npair)])

    def g_agency(self, k):
        rng = self.rng
        m = self.take(k, cond=~self.fake & (self.created < T_START - 30 * DAY))
        k = len(m)
        if k == 0:
            return
        self.atype[m] = T_RECRUITER
        self.activity[m] = np.maximum(self.activity[m], 30)
        self.add_group("recruiting_agency", "", False, m)
        co = self.new_company()
        self.employer[m] = -1  # agency page is outside the company catalogue
        desks = self.new("device_id", rng.integers(2, 5))
        nd = rng.integers(1, 4, k)
        self.sig(np.repeat(m, nd), "device_id", desks[rng.integers(0, len(desks), nd.sum())],
                 T_START - rng.integers(0, 200 * DAY, nd.sum()))
        office = self.new("ip", rng.integers(1, 3))
        self.sig(m, "ip", office[rng.integers(0, len(office), k)], T_START - rng.integers(0, 200 * DAY, k))
        self.domain_override[m] = self.new("email_domain", 1)[0]
        card = self.new("card_fp", 1)[0]
        bill0 = T_START + int(rng.integers(0, 30 * DAY))
        months = np.arange(bill0, T_END, 30 * DAY)
        s = np.repeat(m, len(months))
        bt = np.tile(months, k) + rng.integers(0, 600, len(s))
        self.ev(s, "premium.buy", NS_APP, AP["plan-recruiter"], bt)
        self.sig(m, "card_fp", card, bt[::len(months)])
        self.premium_done[m] = True
        # connection-request sessions of 10-40 within half an hour, office hours
        ns = rng.integers(5, 21, k)
        sess_who = np.repeat(m, ns)
        st = self.hours(T_START + rng.integers(0, T_END - T_START - DAY, len(sess_who)),
                        self.tz[sess_who], WORK_PDF, True)
        per = rng.integers(10, 41, len(sess_who))
        s = np.repeat(sess_who, per)
        self.ev(s, "connect.request", NS_ACC, self.sample_seekers(len(s)),
                np.repeat(st, per) + rng.integers(0, 30 * MIN, len(s)), acc_p=0.45, acc_med=DAY)
        w, t = self.span_times(m, rng.integers(20, 101, k), pdf=WORK_PDF)
        self.ev(w, "msg.inmail", NS_ACC, self.sample_seekers(len(w)), t)
        w, t = self.span_times(m, rng.integers(2, 8, k), pdf=WORK_PDF)
        self.ev(w, "company.post", NS_CO, co, t)
        nj = rng.integers(3, 13, k)
        poster = np.repeat(m, nj)
        jt = self.hours(T_START + rng.integers(0, T_END - T_START - 5 * DAY, len(poster)),
                        self.tz[poster], WORK_PDF, True)
        jobs = self.new_jobs(len(poster))
        self.ev(poster, "job.post", NS_JOB, jobs, jt)
        na = rng.integers(5, 41, len(jobs))
        ja = np.repeat(np.arange(len(jobs)), na)
        ap = self.sample_seekers(len(ja))
        at = jt[ja] + rng.exponential(3 * DAY, len(ja)).astype(np.int64)
        self.ev(ap, "job.view", NS_JOB, jobs[ja], at - rng.integers(60, 3600, len(ja)))
        self.ev(ap, "job.apply", NS_JOB, jobs[ja], at)
        r = rng.random(len(ja)) < 0.6
        mt = self.hours(at[r] + rng.exponential(DAY, r.sum()).astype(np.int64), self.tz[poster[ja][r]], WORK_PDF)
        self.ev(poster[ja][r], "msg.send", NS_ACC, ap[r], np.maximum(mt, at[r] + 60))

    def g_alumni(self, k):
        rng = self.rng
        m = self.take(k, cond=~self.fake)
        k = len(m)
        if k == 0:
            return
        cty = rng.choice(len(COUNTRIES), p=C_W / C_W.sum())
        tf = self.hours(np.array([int(rng.uniform(T_START + 10 * DAY, T_END - 30 * DAY))]),
                        C_TZ[cty], WORK_PDF, True)[0]
        self.created[m] = (tf + np.sort(rng.random(k)) * rng.uniform(1, 4) * HOUR).astype(np.int64)
        c = self.created[m]
        self.country[m] = cty
        self.atype[m] = T_STUDENT
        self.seek[m] = 6.0
        self.activity[m] = rng.lognormal(np.log(40), 0.6, k)
        self.add_group("alumni_cohort", "", False, m)
        venue = self.new("ip", rng.integers(1, 3))
        self.sig(m, "ip", venue[rng.integers(0, len(venue), k)], c)
        uni = self.new("email_domain", 1)[0]
        self.domain_override[m[rng.random(k) < 0.7]] = uni
        nr = rng.integers(3, 16, k)
        s = np.repeat(np.arange(k), nr)
        t = np.repeat(c, nr) + 60 + seg_cumsum(rng.exponential(3 * MIN, nr.sum()), nr).astype(np.int64)
        self.ev(m[s], "connect.request", NS_ACC, m[rng.integers(0, k, len(s))], t,
                acc_p=0.9, acc_med=20 * MIN)
        fair = rng.choice(self.n_co, rng.integers(5, 13), replace=False)
        nf = rng.integers(2, 7, k)
        s = np.repeat(m, nf)
        self.ev(s, "company.follow", NS_CO, fair[rng.integers(0, len(fair), len(s))],
                np.repeat(c, nf) + rng.integers(60, 3 * HOUR, len(s)))

    def g_conference(self, k):
        rng = self.rng
        tc = int(rng.uniform(T_START + 10 * DAY, T_END - 10 * DAY)) // DAY * DAY
        m = self.take(k, cond=~self.fake & (self.created < tc - 7 * DAY) & (self.activity > 0))
        k = len(m)
        if k < 5:
            return
        self.add_group("conference", "", False, m)
        vtz = C_TZ[rng.choice(len(COUNTRIES), p=C_W / C_W.sum())]
        days = int(rng.integers(2, 4))
        venue = self.new("ip", rng.integers(2, 5))
        on = m[rng.random(k) < 0.85]
        self.sig(on, "ip", venue[rng.integers(0, len(venue), len(on))],
                 tc + rng.integers(8 * HOUR, days * DAY, len(on)))
        breaks = (tc + np.arange(days)[:, None] * DAY
                  + (np.array([10.5, 12.5, 15.0, 17.5]) * HOUR)[None, :] - int(vtz * HOUR)).ravel()
        nr = rng.integers(2, 16, k)
        s = np.repeat(np.arange(k), nr)
        t = breaks[rng.integers(0, len(breaks), len(s))] + rng.integers(0, 20 * MIN, len(s))
        self.ev(m[s], "connect.request", NS_ACC, m[rng.integers(0, k, len(s))], t,
                acc_p=0.9, acc_med=40 * MIN)
        org = int(rng.integers(0, self.n_co))
        host = m[0]
        npst = rng.integers(5, 11)
        pt = breaks[rng.integers(0, len(breaks), npst)] - rng.integers(0, HOUR, npst)
        posts = self.new_posts(npst)
        self.ev(np.full(npst, host), "post.create", NS_POST, posts, pt)
        pi = np.repeat(np.arange(npst), k)
        mi = np.tile(np.arange(k), npst)
        keep = rng.random(len(pi)) < 0.3
        self.ev(m[mi[keep]], "post.react", NS_POST, posts[pi[keep]],
                pt[pi[keep]] + rng.exponential(15 * MIN, keep.sum()).astype(np.int64) + 20)
        f = m[rng.random(k) < 0.5]
        self.ev(f, "company.follow", NS_CO, org, tc + rng.integers(8 * HOUR, days * DAY, len(f)))

    def g_households(self, count):
        rng = self.rng
        sizes = rng.choice([2, 3, 4, 5], count, p=[.45, .3, .18, .07])
        m = self.take(sizes.sum(), cond=~self.fake)
        if len(m) < 2:
            return
        m = self.rng.permutation(m)
        sizes = sizes[np.cumsum(sizes) <= len(m)]
        m = m[:sizes.sum()]
        hh = np.repeat(np.arange(len(sizes)), sizes)
        first = np.cumsum(sizes) - sizes
        head = m[first][hh]
        for h in range(len(sizes)):
            self.add_group("household", "", False, m[first[h]:first[h] + sizes[h]])
        self.home_ip[m] = self.home_ip[head]
        self.country[m] = self.country[head]
        tog = (rng.random(len(sizes)) < 0.3)[hh] & (m != head)
        self.created[m[tog]] = np.minimum(self.created[head[tog]] + rng.integers(0, 7 * DAY, tog.sum()),
                                          T_END - 2 * DAY)
        tab = rng.random(len(sizes)) < 0.6
        tab_dev = self.new("device_id", len(sizes))
        sel = tab[hh]
        self.sig(m[sel], "device_id", tab_dev[hh[sel]],
                 np.maximum(self.created[m[sel]], T_START - rng.integers(0, 400 * DAY, sel.sum())))
        fam = rng.random(len(sizes)) < 0.15
        fam_card = self.new("card_fp", len(sizes))
        payer = fam[hh] & (rng.random(len(m)) < 0.6)
        payer |= fam[hh] & (m == head)
        who = m[payer]
        if len(who):
            self.sig(who, "card_fp", fam_card[hh[payer]], np.maximum(self.created[who], T_START))
            b0 = np.maximum(self.created[who], T_START) + rng.integers(0, 30 * DAY, len(who))
            nb = np.maximum(1, (T_END - b0) // (30 * DAY))
            s = np.repeat(who, nb)
            bt = np.repeat(b0, nb) + seg_cumsum(np.full(nb.sum(), 30.0 * DAY), nb).astype(np.int64) - 30 * DAY
            self.ev(s, "premium.buy", NS_APP, AP["plan-career"], bt)
            self.premium_done[who] = True
        o = m != head
        self.link(head[o], m[o])

    def g_coworking(self, k):
        rng = self.rng
        m = self.take(k, cond=~self.fake & (self.activity > 0))
        k = len(m)
        if k == 0:
            return
        self.add_group("coworking", "", False, m)
        ips = self.new("ip", rng.integers(1, 3))
        self.sig(m, "ip", ips[rng.integers(0, len(ips), k)], T_START + rng.integers(0, 120 * DAY, k))
        w, t = self.span_times(m, rng.integers(5, 30, k), pdf=WORK_PDF)
        self.ev(w, "login", NS_APP, AP["app-web"], t)
        npair = k // 2
        a, b = m[rng.integers(0, k, npair)], m[rng.integers(0, k, npair)]
        self.ev(a, "connect.request", NS_ACC, b, self.hours(T_START + rng.integers(0, 170 * DAY, npair),
                                                          self.tz[a], WORK_PDF), acc_p=0.8, acc_med=6 * HOUR)

    def g_cardteam(self, k):
        rng = self.rng
        co, avail = self._company_with(5)
        if co < 0:
            return
        m = self.take(min(k, avail), cond=(self.employer == co) & ~self.fake)
        k = len(m)
        self.add_group("corporate_card_team", "", False, m)
        card = self.new("card_fp", 1)[0]
        tp = int(self.hours(np.array([int(rng.uniform(T_START, T_END - 40 * DAY))]),
                            self.tz[m[0]], WORK_PDF, True)[0])
        months = np.arange(tp, T_END, 30 * DAY)
        s = np.repeat(m, len(months))
        bt = np.tile(months, k) + np.repeat(rng.integers(0, 2 * HOUR, k), len(months)) + rng.integers(0, 60, len(s))
        self.ev(s, "premium.buy", NS_APP, AP["plan-sales"], bt)
        self.sig(m, "card_fp", card, bt[::len(months)])
        self.premium_done[m] = True
        office = self.new("ip", 1)[0]
        o = m[rng.random(k) < 0.7]
        self.sig(o, "ip", office, T_START - rng.integers(0, 200 * DAY, len(o)))
        w, t = self.span_times(m, rng.integers(5, 31, k), lo=tp, pdf=WORK_PDF)
        self.ev(w, "msg.inmail", NS_ACC, self.sample_seekers(len(w)), t)

    def g_influencer(self, k):
        rng = self.rng
        inf = self.take(1, cond=~self.fake & (self.created < T_START) & (self.activity > 0), weights=self.pop)
        if len(inf) == 0:
            return
        fans = self.take(k - 1, cond=~self.fake & (self.activity > 0))
        m = np.concatenate([inf, fans])
        i = int(inf[0])
        self.pop[i] = 2000.0 * rng.uniform(1.5, 4)
        self.activity[i] = max(self.activity[i], 80)
        self.add_group("influencer_fans", "", False, m)
        npst = rng.integers(10, 41)
        pt = self.hours(T_START + rng.integers(DAY, T_END - T_START - DAY, npst), self.tz[i])
        posts = self.new_posts(npst)
        self.ev(np.full(npst, i), "post.create", NS_POST, posts, pt)
        f = len(fans)
        pi = np.repeat(np.arange(npst), f)
        fi = np.tile(np.arange(f), npst)
        keep = rng.random(len(pi)) < rng.uniform(0.6, 0.9)
        pi, fi = pi[keep], fi[keep]
        d = np.where(rng.random(len(pi)) < 0.8, rng.gamma(1.5, 3 * MIN, len(pi)),
                     rng.lognormal(np.log(3 * HOUR), 1, len(pi)))
        rt = pt[pi] + 10 + d.astype(np.int64)
        self.ev(fans[fi], "post.react", NS_POST, posts[pi], rt)
        c = rng.random(len(pi)) < 0.15
        self.ev(fans[fi[c]], "post.comment", NS_POST, posts[pi[c]], rt[c] + rng.integers(20, 900, c.sum()))
        self.ev(fans, "member.follow", NS_ACC, i, T_START + rng.integers(0, 60 * DAY, f))

    def g_viral(self, k):
        rng = self.rng
        tv = int(rng.uniform(T_START + 20 * DAY, T_END - 5 * DAY))
        au = self.take(1, cond=~self.fake & (self.created < tv) & (self.activity > 0))
        crowd = self.take(k - 1, cond=~self.fake & (self.created < tv - DAY) & (self.activity > 0))
        if len(au) == 0 or len(crowd) == 0:
            return
        m = np.concatenate([au, crowd])
        self.add_group("viral_crowd", "", False, m)
        post = self.new_posts(1)[0]
        self.ev(au, "post.create", NS_POST, post, [tv])
        c = len(crowd)
        d = np.where(rng.random(c) < 0.85, rng.gamma(2, 4 * MIN, c), rng.lognormal(np.log(3 * HOUR), 1, c))
        rt = tv + 15 + d.astype(np.int64)
        self.ev(crowd, "post.react", NS_POST, post, rt)
        x = rng.random(c)
        self.ev(crowd[x < .10], "post.comment", NS_POST, post, rt[x < .10] + rng.integers(20, 600, (x < .10).sum()))
        sh = (x >= .10) & (x < .14)
        self.ev(crowd[sh], "post.share", NS_POST, post, rt[sh] + rng.integers(5, 300, sh.sum()))
        fo = (x >= .14) & (x < .22)
        self.ev(crowd[fo], "member.follow", NS_ACC, au[0], rt[fo] + rng.integers(5, 300, fo.sum()))
        cr = (x >= .22) & (x < .25)
        self.ev(crowd[cr], "connect.request", NS_ACC, au[0], rt[cr] + rng.integers(5, 600, cr.sum()),
                acc_p=0.3, acc_med=2 * DAY)

    # ================================================================ organic background
    def catalogue_and_organic(self):
        rng, n = self.rng, self.n
        self.rebuild_samplers()
        live = ~self.fake & (self.activity > 0)
        # posts
        P = int(n * 1.1)
        w = np.where(live, self.activity * self.pop ** 0.3, 0.0)
        au = rng.choice(n, P, p=w / w.sum())
        lo = np.maximum(self.created[au], T_START)
        pt = lo + (rng.random(P) * (T_END - lo)).astype(np.int64)
        pt = self.hours(pt, self.tz[au], lo=lo, hi=T_END)
        posts = self.new_posts(P)
        self.ev(au, "post.create", NS_POST, posts, pt)
        pw = self.pop[au] ** 0.9 * rng.lognormal(0, 1.2, P)
        post_cum = np.cumsum(pw)
        # jobs
        Jn = max(200, n // 6)
        pw_j = np.where(live & ((self.atype == T_RECRUITER) | (self.atype == T_ADMIN)), 1.0, 0.0)
        pw_j += np.where(live, 0.02, 0.0)
        jp = rng.choice(n, Jn, p=pw_j / pw_j.sum())
        lo = np.maximum(self.created[jp], T_START)
        jt = lo + (rng.random(Jn) * (T_END - lo)).astype(np.int64)
        jt = self.hours(jt, self.tz[jp], WORK_PDF, True, lo=lo, hi=T_END)
        jobs = self.new_jobs(Jn)
        self.ev(jp, "job.post", NS_JOB, jobs, jt)
        job_cum = np.cumsum(rng.lognormal(0, 1.0, Jn))
        # organic actions
        span = (T_END - np.maximum(self.created, T_START)).clip(0) / (T_END - T_START)
        cnt = rng.poisson(self.activity * span)
        cnt = np.minimum(cnt, 3000)
        actor = np.repeat(np.arange(n), cnt)
        E = len(actor)
        u = rng.random(E)
        cum = np.cumsum(ORG_P, 1)
        oi = np.empty(E, np.int64)
        at = self.atype[actor]
        for ty in range(4):
            s = at == ty
            oi[s] = np.minimum(np.searchsorted(cum[ty], u[s], side="right"), len(ORG) - 1)
        code = ORG_CODE[oi]
        lo = np.maximum(self.created[actor], T_START)
        ts = lo + (rng.random(E) * (T_END - lo)).astype(np.int64)
        ts = self.hours(ts, self.tz[actor], lo=lo, hi=T_END)
        ns = np.full(E, NS_ACC, np.int8)
        tgt = np.zeros(E, np.int64)
        skill = np.full(E, -1, np.int16)
        accp = np.zeros(E, np.float32)
        accm = np.zeros(E, np.float32)

        def sel(name):
            return code == A[name]

        s = sel("login")
        ns[s] = NS_APP
        tgt[s] = np.where(rng.random(s.sum()) < 0.8, self.platform[actor[s]], rng.integers(0, 3, s.sum()))
        s = sel("profile.edit")
        ns[s] = NS_APP
        tgt[s] = AP["page-profile"]
        s = sel("profile.view")
        tgt[s] = self.contacts(actor[s], 0.45, 0.15)
        s = sel("connect.request")
        tgt[s] = self.contacts(actor[s], 0.55, 0.2)
        accp[s] = 0.6
        accm[s] = 8 * HOUR
        s = sel("msg.send")
        tgt[s] = self.contacts(actor[s], 0.6, 0.25)
        s = sel("msg.inmail")
        tgt[s] = self.sample_seekers(s.sum())
        s = sel("endorse")
        tgt[s] = self.contacts(actor[s], 0.5, 0.45)
        skill[s] = self.skills_of(tgt[s])
        s = sel("member.follow")
        tgt[s] = self.sample_global(s.sum())
        for name, mean in (("post.react", 8 * HOUR), ("post.comment", 10 * HOUR), ("post.share", 12 * HOUR)):
            s = sel(name)
            k = s.sum()
            p = np.minimum(np.searchsorted(post_cum, rng.random(k) * post_cum[-1], side="right"), P - 1)
            ns[s] = NS_POST
            tgt[s] = posts[p]
            d = np.where(rng.random(k) < 0.85, rng.exponential(mean, k), rng.exponential(6 * DAY, k))
            ts[s] = pt[p] + 30 + d.astype(np.int64)
        for name, mean in (("job.view", 2.5 * DAY), ("job.apply", 4 * DAY)):
            s = sel(name)
            k = s.sum()
            p = np.minimum(np.searchsorted(job_cum, rng.random(k) * job_cum[-1], side="right"), Jn - 1)
            ns[s] = NS_JOB
            tgt[s] = jobs[p]
            ts[s] = jt[p] + 60 + rng.exponential(mean, k).astype(np.int64)
        cw = 1.0 / np.arange(1, self.n_co + 1) ** 1.05
        cw /= cw.sum()
        for name in ("company.view", "company.follow"):
            s = sel(name)
            k = s.sum()
            ns[s] = NS_CO
            own = (rng.random(k) < 0.3) & (self.employer[actor[s]] >= 0)
            tgt[s] = np.where(own, self.employer[actor[s]], rng.choice(self.n_co, k, p=cw))
        self.E.append((actor, code.astype(np.int16), ns, tgt, ts, skill, accp, accm))
        # organic premium subscribers: own card, monthly renewals
        pm = np.flatnonzero(live & ~self.premium_done & (rng.random(n) < 0.04))
        card = self.new("card_fp", len(pm))
        lo = np.maximum(self.created[pm], T_START)
        b0 = lo + (rng.random(len(pm)) * np.clip(T_END - DAY - lo, 0, 60 * DAY)).astype(np.int64)
        self.sig(pm, "card_fp", card, b0)
        nb = np.maximum(1, (T_END - b0) // (30 * DAY))
        s = np.repeat(pm, nb)
        bt = np.repeat(b0, nb) + seg_cumsum(np.full(nb.sum(), 30.0 * DAY), nb).astype(np.int64) - 30 * DAY
        plan = np.where(self.atype[pm] == T_RECRUITER, AP["plan-recruiter"],
                        AP["plan-career"] + rng.integers(0, 2, len(pm)))
        self.ev(s, "premium.buy", NS_APP, np.repeat(plan, nb), bt)

    def default_signals(self):
        rng, n = self.rng, self.n
        allacc = np.arange(n)
        c = self.created
        self.sig(allacc, "email_hash", self.new("email_hash", n), c)
        dom = self.domain_override.copy()
        d = dom < 0
        dom[d] = self.zipf_pick(self.PUB_DOM, d.sum(), 1.3)
        disp = d & (rng.random(n) < 0.005)
        dom[disp] = rng.choice(self.DISP_DOM, disp.sum())
        self.sig(allacc, "email_domain", dom, c)
        real = np.flatnonzero(~self.fake)
        later = lambda who, span: c[who] + rng.integers(0, span, len(who))
        # phones: own, recycled (new owner of an old number), honest VoIP
        hp = real[rng.random(len(real)) < 0.65]
        phones = self.new("phone", len(hp))
        newer = (c[hp] > T_RECENT) & (rng.random(len(hp)) < 0.01)
        olds = hp[c[hp] < T_RECENT - 2 * 365 * DAY]
        if newer.sum() and len(olds):
            src = np.searchsorted(hp, olds[rng.integers(0, len(olds), newer.sum())])
            phones[newer] = phones[src]
        voip = rng.random(len(hp)) < 0.004
        phones[voip] = rng.choice(self.VOIP, voip.sum())
        self.sig(hp, "phone", phones, later(hp, 30 * DAY))
        # own devices with a coarse fingerprint each
        nd = rng.choice([1, 2, 3], len(real), p=[.5, .35, .15])
        dw = np.repeat(real, nd)
        dv = self.new("device_id", len(dw))
        seen = np.maximum(c[dw], T_START - rng.integers(0, 700 * DAY, len(dw)))
        self.sig(dw, "device_id", dv, seen)
        ua = self.zipf_pick(self.POP_UA, len(dw), 0.9)
        dev = rng.random(len(dw)) < 0.003  # developers on emulators
        ua[dev] = rng.choice(self.EMU, dev.sum())
        self.sig(dw, "ua_fp", ua, seen)
        # home IP
        self.sig(real, "ip", self.home_ip[real],
                 np.maximum(c[real], T_START - rng.integers(0, 400 * DAY, len(real))))
        # mobile carrier NAT, shared by thousands
        mob = real[rng.random(len(real)) < 0.4]
        nat = self.zipf_pick(self.NAT, len(mob), 0.6)
        self.sig(mob, "ip", nat, np.maximum(c[mob], T_START + rng.integers(0, 120 * DAY, len(mob))))
        self.nat_of = np.full(n, -1, np.int64)
        self.nat_of[mob] = nat
        # honest VPN users on data-centre exits
        vp = real[rng.random(len(real)) < 0.03]
        nv = rng.integers(1, 3, len(vp))
        vw = np.repeat(vp, nv)
        self.sig(vw, "ip", self.zipf_pick(self.DC_VPN, len(vw), 1.0),
                 np.maximum(c[vw], T_START + rng.integers(0, 170 * DAY, len(vw))))

    def nat_groups(self):
        for v in self.NAT:
            m = np.flatnonzero((self.nat_of == v) & (self.group_of < 0) & ~self.lone)
            if len(m) >= 50:
                self.add_group("carrier_nat", "", False, m)

    # ================================================================ driver
    def plan(self, budget, lo, hi):
        sizes = []
        rng = self.rng
        while sum(sizes) < budget:
            s = int(round(lo * (hi / lo) ** (rng.random() ** 1.3)))
            left = budget - sum(sizes)
            if s > left:
                if left >= lo or not sizes:
                    s = max(lo, left)
                else:
                    break
            sizes.append(s)
        return sizes

    def run(self):
        rng, n = self.rng, self.n
        self.base()
        self.used_co: set[int] = set()
        self.premium_done = np.zeros(n, bool)
        target = n * rng.uniform(0.058, 0.068)
        shares = dict(farm=.34, scraper=.17, ato=.15, recruiter=.12, ring=.10, carding=.09, lone=.03)
        flav = dict(recruiter=("blunt", "careful"), farm=("blunt", "careful"),
                    scraper=("burst", "drip"), ring=("tight", "loose"), ato=("fast", "slow"),
                    carding=("burst", "spread"))
        sizes = dict(recruiter=(4, 25), farm=(30, 220), scraper=(20, 150), ring=(4, 12),
                     ato=(25, 150), carding=(10, 60))
        fn = dict(recruiter=self.g_recruiter, farm=self.g_farm, scraper=self.g_scraper,
                  ring=self.g_ring, ato=self.g_ato, carding=self.g_carding)
        for kind in ("ato", "farm", "ring", "recruiter", "scraper", "carding"):
            lo, hi = sizes[kind]
            for i, s in enumerate(self.plan(shares[kind] * target, lo, hi)):
                fn[kind](s, flav[kind][(i + int(rng.integers(0, 2))) % 2])
        self.g_lone(max(3, int(round(shares["lone"] * target))))
        # benign look-alikes (sizes capped on very small populations)
        def size(lo, hi, frac):
            return int(min(rng.integers(lo, hi + 1), max(lo, frac * n)))

        for _ in range(max(2, n // 2000)):
            self.g_company(size(10, 150, 0.03))
        for _ in range(max(2, n // 5000)):
            self.g_cardteam(size(5, 40, 0.01))
        for _ in range(max(2, n // 4000)):
            self.g_agency(size(5, 30, 0.01))
        for _ in range(max(2, n // 3500)):
            self.g_alumni(size(20, 120, 0.03))
        for _ in range(max(1, n // 8000)):
            self.g_conference(size(50, 300, 0.05))
        self.g_households(max(5, n // 60))
        for _ in range(max(1, n // 5000)):
            self.g_coworking(size(15, 80, 0.02))
        for _ in range(max(2, n // 6000)):
            self.g_influencer(size(40, 250, 0.04))
        for _ in range(max(1, n // 15000)):
            self.g_viral(int(min(3500, max(250, 0.12 * n)) * rng.uniform(0.85, 1.0)))
        self.catalogue_and_organic()
        self.default_signals()
        self.nat_groups()

    # ---------------------------------------------------------------- output
    def finish_events(self):
        rng, n = self.rng, self.n
        cols = [np.concatenate([e[i] for e in self.E]) for i in range(8)]
        self.E = []
        actor, action, ns, tgt, ts, skill, accp, accm = cols
        keep = (ts >= T_START) & (ts < T_END) & (ts >= self.created[actor])
        keep &= ~((ns == NS_ACC) & (tgt == actor))
        actor, action, ns, tgt, ts, skill, accp, accm = (x[keep] for x in cols)
        # accepted connection requests
        req = np.flatnonzero((accp > 0) & (ns == NS_ACC))
        ok = req[rng.random(len(req)) < accp[req]]
        a_acc = tgt[ok]
        a_req = actor[ok]
        a_ts = ts[ok] + (accm[ok] * np.exp(rng.normal(0, 1.0, len(ok)))).astype(np.int64) + 30
        awake = np.where(self.activity > 0, 0, self.wake)  # dormant profiles accept nothing
        good = (a_ts < T_END) & (a_ts >= self.created[a_acc]) & (a_ts >= awake[a_acc])
        a_acc, a_req, a_ts = a_acc[good], a_req[good], a_ts[good]
        o = np.argsort(a_ts, kind="stable")
        a_acc, a_req, a_ts = a_acc[o], a_req[o], a_ts[o]
        key = np.minimum(a_acc, a_req) * n + np.maximum(a_acc, a_req)
        _, first = np.unique(key, return_index=True)
        first = np.sort(first)
        a_acc, a_req, a_ts = a_acc[first], a_req[first], a_ts[first]
        self.link(a_req, a_acc)
        m = len(a_acc)
        actor = np.concatenate([actor, a_acc])
        action = np.concatenate([action, np.full(m, A["connect.accept"], np.int16)])
        ns = np.concatenate([ns, np.full(m, NS_ACC, np.int8)])
        tgt = np.concatenate([tgt, a_req])
        ts = np.concatenate([ts, a_ts])
        skill = np.concatenate([skill, np.full(m, -1, np.int16)])
        order = np.lexsort((np.arange(len(ts)), ts))
        return (actor[order], action[order], ns[order], tgt[order], ts[order], skill[order])

    def write(self, out: str, labels: bool):
        os.makedirs(out, exist_ok=True)
        n = self.n
        rng = self.rng
        num = rng.choice(900_000_000, n, replace=False) + 100_000_000
        ids = pl.DataFrame({"n": num}).select(
            pl.format("mbr-{}", pl.col("n")).alias("account_id")).to_series()
        accounts = pl.DataFrame({
            "account_id": ids,
            "created_at": pl.from_epoch(pl.Series(self.created), time_unit="s"),
            "account_type": pl.Series(np.array(TYPES)[self.atype]),
            "country": pl.Series(np.array(COUNTRIES)[self.country]),
        })
        accounts.write_parquet(os.path.join(out, "accounts.parquet"))
        # events
        actor, action, ns, tgt, ts, skill = self.finish_events()
        acts = pl.Series(ACTIONS)
        apps = pl.Series(APP)
        skills = pl.Series(SKILLS)
        tacc = ids.gather(np.where(ns == NS_ACC, tgt, 0))
        tapp = apps.gather(np.where(ns == NS_APP, tgt, 0))
        df = pl.DataFrame({"ns": ns, "t": tgt, "tacc": tacc, "tapp": tapp})
        target = df.select(
            pl.when(pl.col("ns") == NS_ACC).then(pl.col("tacc"))
            .when(pl.col("ns") == NS_POST).then(pl.format("post-{}", pl.col("t")))
            .when(pl.col("ns") == NS_JOB).then(pl.format("job-{}", pl.col("t")))
            .when(pl.col("ns") == NS_CO).then(pl.format("co-{}", pl.col("t")))
            .otherwise(pl.col("tapp")).alias("target_id")).to_series()
        sk = skills.gather(np.where(skill >= 0, skill, 0))
        events = pl.DataFrame({
            "account_id": ids.gather(actor),
            "action": acts.gather(action.astype(np.int64)),
            "target_id": target,
            "ts": pl.from_epoch(pl.Series(ts), time_unit="s"),
            "skill": pl.DataFrame({"c": skill, "s": sk}).select(
                pl.when(pl.col("c") >= 0).then(pl.col("s")).alias("skill")).to_series(),
        })
        events.write_parquet(os.path.join(out, "events.parquet"))
        self.n_events = events.height
        self.action_counts = events.group_by("action").len().sort("len", descending=True)
        del events, df, target
        # signals: one row per (account, kind, value), first sighting
        s_actor = np.concatenate([s[0] for s in self.S])
        s_kind = np.concatenate([s[1] for s in self.S])
        s_val = np.concatenate([s[2] for s in self.S])
        s_seen = np.concatenate([s[3] for s in self.S])
        c0 = self.created[s_actor]
        s_seen = np.maximum(s_seen, c0)
        late = s_seen >= T_END
        s_seen[late] = c0[late] + (rng.random(late.sum()) * (T_END - c0[late])).astype(np.int64)
        h = mix64((s_val.astype(np.uint64) << np.uint64(3)) ^ s_kind.astype(np.uint64)
                  ^ (self.salt << np.uint64(20)))
        sig = pl.DataFrame({"a": s_actor, "k": s_kind, "v": s_val, "seen": s_seen, "h": hex16(h)})
        sig = (sig.sort(["a", "k", "seen", "v"])
               .unique(subset=["a", "k", "v"], keep="first", maintain_order=True))
        signals = pl.DataFrame({
            "account_id": ids.gather(sig["a"].to_numpy()),
            "kind": pl.Series(KINDS).gather(sig["k"].to_numpy().astype(np.int64)),
            "value": sig["h"],
            "seen_at": pl.from_epoch(sig["seen"], time_unit="s"),
        })
        signals.write_csv(os.path.join(out, "signals.csv"), datetime_format="%Y-%m-%dT%H:%M:%S")
        self.n_signals = signals.height
        self.signal_counts = signals.group_by("kind").len().sort("kind")
        # links: accepted connections (and pre-window ties inside rings / households / staff)
        la = np.concatenate([x[0] for x in self.L])
        lb = np.concatenate([x[1] for x in self.L])
        ok = la != lb
        la, lb = la[ok], lb[ok]
        sa = ids.gather(la)
        sb = ids.gather(lb)
        links = pl.DataFrame({"x": sa, "y": sb}).select(
            pl.min_horizontal("x", "y").alias("account_a"),
            pl.max_horizontal("x", "y").alias("account_b"),
        ).unique(maintain_order=True).with_columns(pl.lit("connection").alias("kind"))
        links.write_parquet(os.path.join(out, "links.parquet"))
        self.n_links = links.height
        # truth
        gid = np.array([g["gid"] for g in self.groups] + [None], dtype=object)
        gkind = np.array([g["kind"] for g in self.groups] + [None], dtype=object)
        gi = np.where(self.group_of >= 0, self.group_of, len(self.groups))
        truth = pl.DataFrame({
            "account_id": ids,
            "is_bad": self.bad,
            "group_id": pl.Series(gid[gi].tolist(), dtype=pl.Utf8),
            "group_kind": pl.Series(gkind[gi].tolist(), dtype=pl.Utf8),
        })
        truth.write_parquet(os.path.join(out, "truth.parquet"))
        # labels
        lab_path = os.path.join(out, "labels.csv")
        self.n_labels = 0
        if labels:
            lab = np.full(n, -1, np.int8)
            bad_groups = [g for g in self.groups if g["bad"]]
            found = rng.choice(len(bad_groups), (len(bad_groups) + 1) // 2, replace=False) if bad_groups else []
            for j in found:
                mem = bad_groups[j]["members"]
                sel = mem[rng.random(len(mem)) < rng.uniform(0.5, 1.0)]
                lab[sel] = np.where(rng.random(len(sel)) < 0.05, 0, 1)
            lone = np.flatnonzero(self.lone)
            lab[lone[rng.random(len(lone)) < 0.5]] = 1
            honest = np.flatnonzero(~self.bad)
            lab[honest[rng.random(len(honest)) < 0.05]] = 0
            ben = [g for g in self.groups if not g["bad"] and g["kind"] == "recruiting_agency"]
            if not ben:
                ben = [g for g in self.groups if not g["bad"] and g["kind"] == "company_staff"]
            if ben:
                g = max(ben, key=lambda x: len(x["members"]))  # the biggest agency
                mem = g["members"]
                lab[mem[rng.random(len(mem)) < rng.uniform(0.3, 0.6)]] = 1
                self.mislabelled = g["gid"]
            li = np.flatnonzero(lab >= 0)
            labels_df = pl.DataFrame({"account_id": ids.gather(li), "label": lab[li].astype(np.int64)})
            labels_df.write_csv(lab_path)
            self.n_labels = labels_df.height
            self.n_label1 = int((lab == 1).sum())
        elif os.path.exists(lab_path):
            os.remove(lab_path)
        self.ids = ids


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    a = ap.parse_args(argv)
    if a.accounts < 1000:
        ap.error("--accounts must be at least 1000")
    t0 = time.time()
    g = Gen(a.accounts, a.seed)
    g.run()
    g.write(a.out, labels=not a.no_labels)
    dt = time.time() - t0
    n = a.accounts
    print(f"twentythird marketplace (professional network + jobs board) -> {a.out}")
    print(f"accounts {n:,}  bad {int(g.bad.sum()):,} ({g.bad.mean():.1%})  events {g.n_events:,}  "
          f"signals {g.n_signals:,}  links {g.n_links:,}  labels {g.n_labels:,}"
          + (f" ({g.n_label1:,} bad)" if g.n_labels else ""))
    rows = {}
    for x in g.groups:
        r = rows.setdefault(x["kind"], [x["bad"], 0, 0, {}])
        r[1] += 1
        r[2] += len(x["members"])
        if x["flavour"]:
            r[3][x["flavour"]] = r[3].get(x["flavour"], 0) + 1
    print(f"{'group kind':<22}{'bad':>5}{'groups':>8}{'accounts':>10}  flavours")
    for kind, (bad, cnt, acc, fl) in sorted(rows.items(), key=lambda kv: (not kv[1][0], kv[0])):
        fls = ", ".join(f"{k} {v}" for k, v in sorted(fl.items()))
        print(f"{kind:<22}{'yes' if bad else 'no':>5}{cnt:>8}{acc:>10}  {fls}")
    print(f"{'lone bad actors':<22}{'yes':>5}{'-':>8}{int(g.lone.sum()):>10}")
    if getattr(g, "mislabelled", None):
        print(f"partly mislabelled benign group: {g.mislabelled}")
    print(f"generated in {dt:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

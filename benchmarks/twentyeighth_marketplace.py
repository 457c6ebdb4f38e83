#!/usr/bin/env python3
"""A twenty-eighth marketplace generator: a crowdfunding and donations platform.

Written from the data contract alone (no detection code read). Campaign pages are the
targets; accounts are backers/donors, organisers, charities and businesses.

    python twentyeighth_marketplace.py OUT_DIR --accounts N --seed S

Output (OUT_DIR):
  accounts.parquet  account_id ("u-" + 10 hex), created_at, account_type (personal /
                    nonprofit / business), country
  signals.csv       account_id, kind, value, seen_at (ISO "...Z"); kinds: device_hash,
                    ip_addr, card_fingerprint, payout_iban, email_sha, phone_hash
  events.parquet    account_id, action, target_id, ts, amount (donations, refunds,
                    payouts, bonuses; null otherwise), channel (ios / android / web)
  labels.csv        account_id, label (0/1), source -- partial and noisy
  links.parquet     account_a, account_b, kind (referred_by, team_page), weight
  truth.parquet     account_id, is_bad, group_id ("kind/NN" or null), group_kind

Actions: login, donate, refund_request, campaign_share, comment_post, follow_campaign,
payout_request, campaign_create, campaign_update, email_change, password_reset,
payment_declined, bonus_claim.  Targets: campaign ids ("cmp" + 7 digits), and for logins,
settings changes and bonuses: "app:ios", "app:android", "web", "settings:email",
"settings:password", "promo:WELCOME10", "promo:REFER5".

Planted BAD kinds (counts of groups at 20k accounts; counts scale with N/20000):
  fake_campaign_ring   x5, 6-45 accounts. 2-4 organisers made within days (or bought aged
                       accounts in the "careful" 40%) share 1-2 devices and 1-2 payout ibans;
                       3-7 fake campaigns launched every 1-4 weeks; sock-puppet donors
                       (blunt: created in 1-3 bursts of hours, 1 device per 4-8 donors, 1-3
                       prepaid cards; careful: aged, own devices and cards, a quarter seen on an
                       organiser's device) donate round sums to each campaign within hours
                       (blunt) or days (careful), share, comment; all on a 4-12 IP residential
                       proxy pool that 1-4 honest accounts per IP also use.
  card_testing_ring    x4, 25-150 accounts. 1-2 cash-out owners of a laundering campaign plus
                       fresh accounts created in 1-3 bursts shortly before the attack on
                       emulators (1 device per 4-12 accounts, sometimes the all-zero default
                       id), a 15-50 IP pool (mostly data-centre /24s, some residential IPs shared
                       with honest users); a batch of stolen cards, each card tested by 1-3
                       accounts; 3-15 tiny donations per account seconds apart, declines,
                       refund requests, larger donations to the laundering campaign, payouts.
  backer_ring          x7, 4-14 accounts. Aged campaign owners with full organic lives who
                       donate to / share / comment on each other's campaigns over weeks with
                       jittered timing (hours to 12 days); they share no identifier, except
                       one co-working IP for two members in 30% of rings.
  engagement_farm      x4, 40-150 workers. Own devices and cards, mostly aged accounts with
                       organic lives; 25-60 jobs on customers' campaigns, each job taking
                       10-35% of the workers over 5-60 minutes (follow+share, comments or $1-5
                       donations); they share only a 15-50 IP residential proxy pool whose IPs
                       1-6 honest accounts also use.
  referral_farm        x4, 15-80 accounts. 1-3 aged referrer heads plus accounts created in 1-3
                       bursts of minutes to hours on 2-6 emulator device ids (a fifth report the
                       app's all-zero default id), 1-3 data-centre IPs, phone numbers from a
                       rented SMS pool shared by all farms and ~0.2% of honest accounts;
                       referred_by links (star + chains); each claims the signup bonus and
                       donates it to the farm's campaign within minutes, then goes dormant.
  takeover_wave        x3, 10-50 victims + 1-2 attackers. Old honest accounts (full organic
                       history) get a new device (1-3 attacker devices), a new email and logins
                       from 3-10 attacker IPs within 6-48 hours, then donate $150-900 with their
                       own stored cards to the attackers' new campaign, which pays out.
  charity_impersonation x4, 3-10 organisers. Right after a news event each launches 1-2 relief
                       campaigns on shared payout ibans (1-2) and 1-3 shared devices, seeds each
                       other's campaigns and requests payouts every few days; organic donors fall
                       for them.
  lone_scammer         x25 single accounts (group_id null): a fake campaign with quick payouts,
                       or a lone card tester; residential proxy IPs shared with honest users.

Benign LOOK-ALIKES (is_bad false, group_kind set):
  family_medical       x20, 5-25. A relative's medical campaign: a core of 2-5 on one home IP
                       (half on one tablet), one family card used by 2-4 members, 40% of the
                       relatives created within two days of donating; all donate within hours.
  office_matching      x5, 20-120. A company account (business) plus staff: half onboarded on
                       one day from the office; 2-4 office IPs; on 2-3 matching days 40-80% of
                       staff donate to 1-3 chosen campaigns, half within 30 minutes of the
                       announcement; the company matches; team_page links.
  school_class         x8, 15-40. Teacher + parents: half sign up in a 2-hour parents' evening on
                       the school IP, parent pairs share home IP / device / card; the class
                       campaign gets its donations in a week with a sponsored-run spike;
                       team_page links.
  charity_volunteers   x4, 8-30. 2-3 staff (nonprofit) share the charity's payout iban; staff and
                       volunteers share 2-4 office laptops and the office IP; volunteers sign up
                       at induction days and work the charity's campaigns in sessions together.
  giving_circle        x6, 5-12. Friends with nothing shared who each month all donate to the
                       same chosen campaign within 3 days.
  viral_crowd          x1 (2 from 50k accounts), 5-9% of all accounts: thousands of donors to one
                       campaign within hours, a quarter of them created that day; carrier NAT.
  household            ~3.5% of organic accounts grouped by 2-5: home IP, 45% a shared tablet,
                       35% a shared card, 30% created within a week.
Infrastructure on organic accounts (group_kind "organic"): carrier NAT IPs of hundreds, public
Wi-Fi hotspots of tens to hundreds, a commercial VPN pool, recycled phone numbers, placeholder
values (all-zero device id on ~1.2%, the constant "9774d56d682e549c" Android id on ~1% of
Android users, "unknown" on web legacy, sha256("") email on legacy
accounts, ip "0.0.0.0"), honest referrals, popular organic campaigns with thousands of donors.

Labels: ~45% of bad groups have 10-50% of their members labelled 1; 35% of lone scammers; ~3%
of unlabelled bad accounts wrongly cleared (0); 2.5% of organic and 4% of benign-group accounts
labelled 0; ~0.2% of benign accounts wrongly labelled 1.
"""
import argparse
import hashlib
import os
import sys
import time
from itertools import chain

import numpy as np
import polars as pl

DAY, HOUR, MIN = 86400, 3600, 60
T_SIGNUP0 = 1514764800  # 2018-01-01
EV0 = 1701388800        # 2023-12-01
END = 1719792000        # 2024-07-01

COUNTRIES = np.array(["US", "GB", "CA", "AU", "DE", "FR", "IE", "NL", "ES", "IT", "BR", "MX",
                      "IN", "NG", "PH", "ZA"])
TZ = np.array([-5, 0, -5, 10, 1, 1, 0, 1, 1, 1, -3, -6, 5, 1, 8, 2])
CP = np.array([.34, .16, .07, .05, .06, .05, .03, .03, .03, .03, .03, .02, .04, .02, .02, .02])
CP = CP / CP.sum()
FARM_CC = [10, 12, 13, 14]  # BR IN NG PH
HW = np.array([.5, .3, .2, .15, .15, .3, .7, 1.4, 2, 2.2, 2.3, 2.4, 2.7, 2.4, 2.3, 2.3, 2.4, 2.8,
               3.2, 3.6, 3.6, 3.1, 2.2, 1.1])
HWP = HW / HW.sum()
ATYPES = ["personal", "nonprofit", "business"]
CHANNELS = ["ios", "android", "web"]
ACTIONS = ["login", "donate", "refund_request", "campaign_share", "comment_post",
           "follow_campaign", "payout_request", "campaign_create", "campaign_update",
           "email_change", "password_reset", "payment_declined", "bonus_claim"]
A = {a: i for i, a in enumerate(ACTIONS)}
SPECIAL = ["app:ios", "app:android", "web", "settings:email", "settings:password",
           "promo:WELCOME10", "promo:REFER5"]
SP = {s: -(i + 1) for i, s in enumerate(SPECIAL)}
KINDS = ["device_hash", "ip_addr", "card_fingerprint", "payout_iban", "email_sha", "phone_hash"]
K = {k: i for i, k in enumerate(KINDS)}
ZERO_DEV = "00000000-0000-0000-0000-000000000000"
ANDROID_BUG = "9774d56d682e549c"  # the well-known constant ANDROID_ID of a buggy OS build
EMPTY_SHA = hashlib.sha256(b"").hexdigest()
RES_A = np.array([24, 47, 50, 63, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81,
                  82, 83, 84, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 101, 108,
                  109, 151, 173, 174, 176, 177, 178, 184, 186, 187, 188, 189, 190, 191, 197, 201,
                  212, 213, 217])
DC_A = np.array([45, 104, 107, 138, 139, 142, 144, 146, 149, 152, 154, 155, 157, 159, 162, 164,
                 165, 167, 185, 192, 193, 194, 195, 198, 199, 205, 207, 209])
BAD_KINDS = ["fake_campaign_ring", "card_testing_ring", "backer_ring", "engagement_farm",
             "referral_farm", "takeover_wave", "charity_impersonation"]


class World:
    def __init__(self, n, seed):
        self.rng = np.random.default_rng(seed)
        self.N = n
        self.scale = n / 20000.0
        self.created = np.zeros(n, np.int64)
        self.country = np.zeros(n, np.int64)
        self.atype = np.zeros(n, np.int8)
        self.bad = np.zeros(n, bool)
        self.gid = np.full(n, -1, np.int64)
        self.lone = np.zeros(n, bool)
        self.mult = np.ones(n)
        self.chan = self.rng.choice(3, n, p=[.42, .33, .25])
        self.groups = []          # (group_id, kind, bad)
        self.kind_counter = {}
        self.next = 0
        self.c_owner, self.c_launch, self.c_w, self.c_tau, self.c_org = [], [], [], [], []
        self.E = ([], [], [], [], [])   # acc, act, tgt, ts, amt
        self.S = ([], [], [], [])       # acc, kind, values(list), seen
        self.L = ([], [], [])           # a, b, kind
        self.has_card = np.zeros(n, bool)

    # ------------------------------------------------------------------ values
    def hexv(self, n, nbytes):
        b = self.rng.bytes(n * nbytes).hex()
        w = 2 * nbytes
        return [b[i * w:(i + 1) * w] for i in range(n)]

    def devices(self, n, web_frac=0.0):
        h = self.hexv(n, 16)
        web = self.rng.random(n) < web_frac
        return [("wb:" + s[:24]) if w else f"{s[:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:]}"
                for s, w in zip(h, web)]

    def ip_res(self, n):
        r = self.rng
        a = r.choice(RES_A, n)
        b, c = r.integers(0, 256, (2, n))
        d = r.integers(1, 255, n)
        return [f"{w}.{x}.{y}.{z}" for w, x, y, z in zip(a, b, c, d)]

    def ip_dc(self, n, n_prefix=1):
        r = self.rng
        pre = [(int(r.choice(DC_A)), int(r.integers(0, 256)), int(r.integers(0, 256)))
               for _ in range(n_prefix)]
        p = r.integers(0, n_prefix, n)
        d = r.integers(2, 254, n)
        out = list(dict.fromkeys(f"{pre[i][0]}.{pre[i][1]}.{pre[i][2]}.{x}" for i, x in zip(p, d)))
        while len(out) < n:
            out.append(f"{pre[0][0]}.{pre[0][1]}.{pre[0][2]}.{int(r.integers(2, 254))}")
            out = list(dict.fromkeys(out))
        return out[:n]

    def cards(self, n):
        return ["fp_" + s for s in self.hexv(n, 12)]

    def ibans(self, n, cc):
        return [f"iban:{COUNTRIES[cc]}:{s}" for s in self.hexv(n, 9)]

    def emails(self, n):
        return self.hexv(n, 32)

    def phones(self, n):
        return self.hexv(n, 20)

    # ------------------------------------------------------------------ storage
    def new_group(self, kind, bad):
        k = self.kind_counter.get(kind, 0) + 1
        self.kind_counter[kind] = k
        self.groups.append((f"{kind}/{k:02d}", kind, bad))
        return len(self.groups) - 1

    def alloc(self, k, created, g=None, country=None, atype=0, mult=1.0):
        i0 = self.next
        idx = np.arange(i0, i0 + k)
        assert i0 + k <= self.N, "account budget exceeded"
        self.next += k
        self.created[idx] = np.clip(np.asarray(created, np.float64), T_SIGNUP0, END - HOUR).astype(np.int64)
        if country is None:
            self.country[idx] = self.rng.choice(len(COUNTRIES), k, p=CP)
        else:
            self.country[idx] = country
        self.atype[idx] = atype
        if g is not None:
            self.assign(idx, g)
        self.mult[idx] = mult
        return idx

    def assign(self, idx, g):
        self.gid[idx] = g
        if np.ndim(g) == 0:
            self.bad[idx] = self.groups[int(g)][2]
        else:
            self.bad[idx] = np.array([b for _, _, b in self.groups])[np.asarray(g)]

    def ev(self, acc, act, tgt, ts, amt=None):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        n = len(acc)
        if n == 0:
            return
        a = np.full(n, A[act], np.int8) if isinstance(act, str) else np.asarray(act, np.int8)
        if isinstance(tgt, str):
            t = np.full(n, SP[tgt], np.int64)
        else:
            t = np.broadcast_to(np.asarray(tgt, np.int64), (n,)).copy()
        ts = np.broadcast_to(np.asarray(ts, np.float64), (n,)).astype(np.int64)
        if amt is None:
            am = np.full(n, np.nan)
        else:
            am = np.round(np.broadcast_to(np.asarray(amt, np.float64), (n,)).copy(), 2)
        for lst, v in zip(self.E, (acc, a, t, ts, am)):
            lst.append(v)

    def sig(self, acc, kind, vals, seen):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        n = len(acc)
        if n == 0:
            return
        if isinstance(vals, str):
            vals = [vals] * n
        assert len(vals) == n
        seen = np.broadcast_to(np.asarray(seen, np.float64), (n,)).astype(np.int64)
        self.S[0].append(acc)
        self.S[1].append(np.full(n, K[kind], np.int8))
        self.S[2].append(list(vals))
        self.S[3].append(seen)

    def link(self, a, b, kind):
        a = np.atleast_1d(np.asarray(a, np.int64))
        b = np.broadcast_to(np.asarray(b, np.int64), a.shape).copy()
        self.L[0].append(a)
        self.L[1].append(b)
        self.L[2].append([kind] * len(a))

    def add_campaign(self, owner, launch, w, tau, organic=False):
        self.c_owner.append(int(owner))
        self.c_launch.append(int(max(launch, self.created[owner] + HOUR)))
        self.c_w.append(float(w))
        self.c_tau.append(float(tau))
        self.c_org.append(organic)
        return len(self.c_owner) - 1

    def owner_events(self, owner, c, n_upd, n_pay, pay_lo, pay_hi, pay_med):
        r = self.rng
        L = self.c_launch[c]
        self.ev(owner, "campaign_create", c, L)
        if n_upd:
            self.ev(np.full(n_upd, owner), "campaign_update", c,
                    L + r.uniform(HOUR, max(2 * HOUR, min(40 * DAY, END - L)), n_upd))
        if n_pay:
            t = L + r.uniform(pay_lo, pay_hi, n_pay)
            t = t[t < END]
            self.ev(np.full(len(t), owner), "payout_request", c, t,
                    r.lognormal(np.log(pay_med), 0.6, len(t)))

    def login_tgt(self, acc):
        return np.array([-1, -2, -3])[self.chan[np.asarray(acc)]]

    def tod(self, n, acc):
        h = self.rng.choice(24, n, p=HWP)
        return (h * HOUR + self.rng.integers(0, HOUR, n) - TZ[self.country[acc]] * HOUR) % DAY

    def pick(self, pool, n, lo, hi, acc_seen):
        """Give each account lo..hi distinct values of pool; returns (acc, vals)."""
        r = self.rng
        pool = list(pool)
        k = r.integers(lo, hi + 1, len(acc_seen))
        k = np.minimum(k, len(pool))
        accs, vals = [], []
        for a, kk in zip(acc_seen, k):
            ch = r.choice(len(pool), kk, replace=False)
            accs.extend([a] * kk)
            vals.extend(pool[j] for j in ch)
        return np.array(accs, np.int64), vals

    def share_honest(self, kind, pool, lo, hi):
        """Honest organic accounts that also use these values (proxy exits on real homes)."""
        r = self.rng
        for v in pool:
            k = int(r.integers(lo, hi + 1))
            if k == 0:
                continue
            acc = r.choice(self.n_org, k, replace=False)
            self.sig(acc, kind, v, self.created[acc] + r.uniform(0, 1, k) * (END - self.created[acc]))

    def ungrouped_organic(self):
        m = self.gid[:self.n_org] == -1
        return np.nonzero(m)[0]

    # ------------------------------------------------------------------ base identity
    def base_signals(self, idx, home_ip=True, nat_p=.35, wifi_p=.15, card_p=.75, phone_p=.55,
                     device=True, dev2_p=.3, vpn_p=.02, email=True, placeholders=True):
        r = self.rng
        idx = np.asarray(idx, np.int64)
        n = len(idx)
        if n == 0:
            return
        cr = self.created[idx]
        span = np.maximum(END - cr, HOUR).astype(np.float64)

        def later(m):
            return cr[m] + (span[m] * r.random(m.sum()) ** 2).astype(np.int64)

        if email:
            vals = self.emails(n)
            if placeholders:
                legacy = (cr < T_SIGNUP0 + 500 * DAY) & (r.random(n) < .05)
                vals = [EMPTY_SHA if l else v for v, l in zip(vals, legacy)]
            self.sig(idx, "email_sha", vals, cr + r.integers(0, 300, n))
            m = r.random(n) < .07
            self.sig(idx[m], "email_sha", self.emails(m.sum()), later(m))
        if device:
            web = self.chan[idx] == 2
            vals = self.devices(n)
            vals = [("wb:" + v.replace("-", "")[:24]) if w else v for v, w in zip(vals, web)]
            if placeholders:
                u = r.random(n)
                andr = self.chan[idx] == 1
                vals = [ZERO_DEV if (x < .012 and not w) else ("unknown" if (x < .02 and w) else
                        (ANDROID_BUG if (.012 <= x < .022 and a) else v))
                        for v, x, w, a in zip(vals, u, web, andr)]
            self.sig(idx, "device_hash", vals, cr + r.integers(0, 600, n))
            m = r.random(n) < dev2_p
            self.sig(idx[m], "device_hash", self.devices(m.sum(), .3), later(m))
            m = r.random(n) < dev2_p * .25
            self.sig(idx[m], "device_hash", self.devices(m.sum(), .3), later(m))
        if home_ip:
            self.sig(idx, "ip_addr", self.ip_res(n), cr + r.integers(0, 900, n))
            m = r.random(n) < .25
            self.sig(idx[m], "ip_addr", self.ip_res(m.sum()), later(m))
        m = r.random(n) < nat_p
        if m.any():
            j = r.choice(len(self.nat), m.sum(), p=self.nat_p)
            self.sig(idx[m], "ip_addr", [self.nat[x] for x in j], later(m))
        m = r.random(n) < wifi_p
        if m.any():
            j = r.choice(len(self.wifi), m.sum(), p=self.wifi_p)
            self.sig(idx[m], "ip_addr", [self.wifi[x] for x in j], later(m))
        m = r.random(n) < vpn_p
        if m.any():
            j = r.choice(len(self.vpn), m.sum())
            self.sig(idx[m], "ip_addr", [self.vpn[x] for x in j], later(m))
        if placeholders:
            m = r.random(n) < .002
            self.sig(idx[m], "ip_addr", "0.0.0.0", later(m))
        m = r.random(n) < card_p
        self.has_card[idx[m]] = True
        self.sig(idx[m], "card_fingerprint", self.cards(m.sum()), later(m))
        m = r.random(n) < card_p * .2
        self.sig(idx[m], "card_fingerprint", self.cards(m.sum()), later(m))
        m = r.random(n) < phone_p
        self.sig(idx[m], "phone_hash", self.phones(m.sum()), cr[m] + r.integers(0, 900, m.sum()))

    # ------------------------------------------------------------------ plan
    def sizes(self, lo, hi, n, log=False):
        r = self.rng
        f = min(1.0, self.scale * 2)
        hi2 = max(lo, int(round(hi * f)))
        if log:
            s = np.exp(r.uniform(np.log(lo), np.log(hi2 + 1), n)).astype(int)
        else:
            s = r.integers(lo, hi2 + 1, n)
        return [int(x) for x in np.clip(s, lo, hi2)]

    def cnt(self, b):
        return max(1, int(round(b * self.scale)))

    def build(self):
        r = self.rng
        N = self.N
        P = {
            "fake_campaign_ring": self.sizes(6, 45, self.cnt(5), True),
            "card_testing_ring": self.sizes(25, 150, self.cnt(4), True),
            "backer_ring": self.sizes(4, 14, self.cnt(7)),
            "engagement_farm": self.sizes(40, 150, self.cnt(4)),
            "referral_farm": self.sizes(15, 80, self.cnt(4), True),
            "takeover_wave": self.sizes(10, 50, self.cnt(3)),
            "charity_impersonation": self.sizes(3, 10, self.cnt(4)),
            "lone_scammer": self.cnt(25),
            "family_medical": self.sizes(5, 25, self.cnt(20)),
            "office_matching": self.sizes(20, 120, self.cnt(5), True),
            "school_class": self.sizes(15, 40, self.cnt(8)),
            "charity_volunteers": self.sizes(8, 30, self.cnt(4)),
            "giving_circle": self.sizes(5, 12, self.cnt(6)),
        }
        n_viral = 1 if N < 50000 else 2
        P["viral_crowd"] = [int(N * r.uniform(.05, .09) / n_viral) for _ in range(n_viral)]
        new_total = (sum(sum(v) for k, v in P.items() if k not in ("lone_scammer", "takeover_wave", "viral_crowd"))
                     + P["lone_scammer"] + 2 * len(P["takeover_wave"])
                     + sum(int(v * .25) + 1 for v in P["viral_crowd"]))
        if new_total > 0.45 * N:
            raise SystemExit(f"--accounts {N} is too small for the planted groups; use >= 5000")
        self.n_org = N - new_total
        self.plan = P

        # global shared infrastructure
        n_nat = max(8, N // 700)
        self.nat = self.ip_res(n_nat)
        p = r.pareto(1.0, n_nat) + 1
        self.nat_p = p / p.sum()
        n_wifi = max(20, N // 250)
        self.wifi = self.ip_res(n_wifi)
        p = r.pareto(1.2, n_wifi) + .3
        self.wifi_p = p / p.sum()
        self.vpn = self.ip_dc(max(10, N // 1500), 3)
        self.sms_pool = self.phones(max(25, N // 500))

        # organic accounts
        no = self.n_org
        u = r.random(no)
        cr = T_SIGNUP0 + (END - 2 * DAY - T_SIGNUP0) * u ** 0.7
        org = self.alloc(no, cr)
        self.atype[org[r.random(no) < .01]] = 2
        self.households()
        home = self.gid[:no] == -1
        self.base_signals(org[home])
        self.base_signals(org[~home], home_ip=False)
        # recycled phone numbers and honest SMS-pool users
        m = r.choice(no, max(2, no // 200), replace=False)
        ph = self.phones(len(m) // 2)
        self.sig(m[:len(ph)], "phone_hash", ph, self.created[m[:len(ph)]] + DAY)
        self.sig(m[len(ph):2 * len(ph)], "phone_hash", ph, self.created[m[len(ph):2 * len(ph)]] + DAY)
        m = r.choice(no, max(3, no // 500), replace=False)
        self.sig(m, "phone_hash", [self.sms_pool[j] for j in r.choice(len(self.sms_pool), len(m))],
                 self.created[m] + HOUR)
        # honest referrals
        m = r.choice(no, int(no * .04), replace=False)
        ref = r.choice(no, len(m))
        ok = (self.created[ref] < self.created[m]) & (ref != m)
        self.link(m[ok], ref[ok], "referred_by")

        self.organic_campaigns()
        for s in P["fake_campaign_ring"]:
            self.g_fake_ring(s)
        for s in P["card_testing_ring"]:
            self.g_card_testing(s)
        for s in P["backer_ring"]:
            self.g_backer_ring(s)
        for s in P["engagement_farm"]:
            self.g_farm(s)
        for s in P["referral_farm"]:
            self.g_referral(s)
        for s in P["charity_impersonation"]:
            self.g_impersonation(s)
        for _ in range(P["lone_scammer"]):
            self.g_lone()
        for s in P["family_medical"]:
            self.b_family(s)
        for s in P["office_matching"]:
            self.b_office(s)
        for s in P["school_class"]:
            self.b_school(s)
        for s in P["charity_volunteers"]:
            self.b_charity(s)
        for s in P["giving_circle"]:
            self.b_circle(s)
        for s in P["viral_crowd"]:
            self.b_viral(s)
        for s in P["takeover_wave"]:
            self.g_takeover(s)
        # top up: any unallocated budget becomes organic-like (should be none)
        if self.next < N:
            rest = self.alloc(N - self.next, T_SIGNUP0 + (END - T_SIGNUP0) * r.random(N - self.next))
            self.base_signals(rest)
        self.organic_events()

    # ------------------------------------------------------------------ organic
    def households(self):
        r = self.rng
        no = self.n_org
        nh = int(no * .035 / 1.0)
        sizes = r.choice([2, 3, 4, 5], nh, p=[.45, .3, .15, .1])
        tot = int(sizes.sum())
        mem = r.choice(no, tot, replace=False)
        hid = np.repeat(np.arange(nh), sizes)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        g0 = len(self.groups)
        for _ in range(nh):
            self.new_group("household", False)
        self.assign(mem, g0 + hid)
        # a third created within a week of the first member
        first = self.created[mem[starts]]
        close = r.random(nh) < .3
        cm = close[hid]
        self.created[mem[cm]] = np.minimum(first[hid][cm] + r.uniform(0, 7 * DAY, cm.sum()), END - DAY).astype(np.int64)
        self.country[mem] = self.country[mem[starts]][hid]
        hcr = np.array([self.created[mem[s:s + k]].min() for s, k in zip(starts, sizes)])
        ips = self.ip_res(nh)
        self.sig(mem, "ip_addr", [ips[h] for h in hid], np.maximum(self.created[mem], hcr[hid]) + r.integers(0, 3600, tot))
        tab = r.random(nh) < .45
        tv = self.devices(nh)
        m = tab[hid] & (r.random(tot) < .85)
        self.sig(mem[m], "device_hash", [tv[h] for h in hid[m]], self.created[mem[m]] + r.integers(DAY, 30 * DAY, m.sum()))
        fc = r.random(nh) < .35
        cv = self.cards(nh)
        m = fc[hid] & (r.random(tot) < .8)
        self.sig(mem[m], "card_fingerprint", [cv[h] for h in hid[m]], self.created[mem[m]] + r.integers(HOUR, 60 * DAY, m.sum()))
        self.has_card[mem[m]] = True

    def organic_campaigns(self):
        r = self.rng
        no = self.n_org
        nc = int(no * .065)
        owners = r.choice(no, nc)
        launch = r.uniform(EV0 - 45 * DAY, END - 2 * DAY, nc)
        w = np.minimum(r.pareto(1.15, nc) + .02, 150)
        tau = r.lognormal(np.log(3 * DAY), .8, nc)
        self.atype[owners[r.random(nc) < .08]] = 1
        for o, L, ww, t in zip(owners, launch, w, tau):
            self.add_campaign(o, L, ww, t, organic=True)
        self.n_org_camp = nc

    def organic_events(self):
        r = self.rng
        N = self.N
        c_launch = np.array(self.c_launch, np.int64)
        c_w = np.array(self.c_w)
        c_tau = np.array(self.c_tau)
        c_owner = np.array(self.c_owner)
        nc = len(c_launch)
        self.c_launch_arr = c_launch
        # organic campaigns' owner events (group campaigns did their own)
        org_c = np.nonzero(np.array(self.c_org))[0]
        n_upd = r.poisson(2, len(org_c))
        cu = np.repeat(org_c, n_upd)
        tu = c_launch[cu] + r.uniform(HOUR, 40 * DAY, len(cu))
        self.ev(c_owner[org_c], "campaign_create", org_c, c_launch[org_c])
        self.ev(c_owner[cu], "campaign_update", cu, tu)
        n_pay = 1 + r.poisson(1.3, len(org_c))
        cp = np.repeat(org_c, n_pay)
        tp = c_launch[cp] + r.uniform(4 * DAY, 60 * DAY, len(cp))
        amt = r.lognormal(np.log(150), 1.0, len(cp)) * np.sqrt(c_w[cp] + .2)
        self.ev(c_owner[cp], "payout_request", cp, tp, amt)

        acc = np.arange(N)
        base = r.lognormal(np.log(11), 1.0, N) * self.mult
        dormant = r.random(N) < .25
        base[dormant] *= .06
        n_ev = np.minimum(r.poisson(base), 500)
        rep = np.repeat(acc, n_ev)
        M = len(rep)
        acts = np.array([A["login"], A["donate"], A["follow_campaign"], A["campaign_share"], A["comment_post"]])
        act = acts[r.choice(5, M, p=[.36, .28, .15, .12, .09])]
        cw = np.cumsum(c_w)
        camp = np.searchsorted(cw, r.random(M) * cw[-1], side="right")
        camp = np.minimum(camp, nc - 1)
        ts = c_launch[camp] + r.exponential(1.0, M) * c_tau[camp]
        lo = np.maximum(self.created[rep], EV0).astype(np.float64)
        login = act == A["login"]
        ts = np.where(login, lo + (END - lo) * r.random(M), ts)
        redo = ts < lo
        ts[redo] = lo[redo] + (END - lo[redo]) * r.random(redo.sum()) ** 2
        # diurnal for logins and half the rest
        dm = login | (r.random(M) < .5)
        ts = ts.astype(np.int64)
        day = ts[dm] // DAY
        nt = day * DAY + self.tod(dm.sum(), rep[dm])
        ts[dm] = np.maximum(nt, ts[dm] - DAY // 2)
        ts = np.minimum(np.maximum(ts, self.created[rep] + 60), END - 1)
        tgt = np.where(login, self.login_tgt(rep), camp)
        amt = np.full(M, np.nan)
        dn = act == A["donate"]
        a = r.lognormal(np.log(28), .9, dn.sum())
        rnd = r.random(dn.sum()) < .55
        a[rnd] = np.maximum(5, np.round(a[rnd] / 5) * 5)
        amt[dn] = a
        self.ev(rep, act, tgt, ts, amt)
        # organic refunds and declines
        di = np.nonzero(dn)[0]
        m = di[r.random(len(di)) < .008]
        self.ev(rep[m], "refund_request", tgt[m], np.minimum(ts[m] + r.uniform(HOUR, 10 * DAY, len(m)), END - 1), amt[m])
        m = di[r.random(len(di)) < .02]
        self.ev(rep[m], "payment_declined", tgt[m], ts[m] - r.integers(20, 300, len(m)), amt[m])
        m = r.random(N) < .01
        self.ev(acc[m], "password_reset", "settings:password", np.maximum(self.created[m], EV0) + r.random(m.sum()) * (END - np.maximum(self.created[m], EV0)))

    # ------------------------------------------------------------------ helpers for groups
    def org_campaigns(self, n, lo_w=0.0, hi_w=1e9, launched_before=END):
        """Pick n organic campaigns by weight band."""
        r = self.rng
        ids = np.arange(self.n_org_camp)
        w = np.array(self.c_w[:self.n_org_camp])
        L = np.array(self.c_launch[:self.n_org_camp])
        m = (w >= lo_w) & (w <= hi_w) & (L < launched_before)
        cand = ids[m] if m.sum() >= n else ids[L < launched_before]
        return r.choice(cand, n, replace=len(cand) < n)

    def donation_round(self, n):
        return self.rng.choice([10, 20, 25, 50, 50, 100, 100, 150, 200], n)

    # ------------------------------------------------------------------ BAD
    def g_fake_ring(self, size):
        r = self.rng
        g = self.new_group("fake_campaign_ring", True)
        n_org = int(min(r.integers(2, 5), size - 3))
        n_don = size - n_org
        careful = r.random() < .4
        first = r.uniform(EV0 + 10 * DAY, END - 50 * DAY)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        if careful:
            cr_org = r.uniform(T_SIGNUP0 + 365 * DAY, EV0 - 60 * DAY, n_org)
            cr_don = r.uniform(T_SIGNUP0, EV0 - 30 * DAY, n_don)
        else:
            base = first - r.uniform(5, 40) * DAY
            cr_org = base + r.uniform(0, 3 * DAY, n_org)
            nb = int(r.integers(1, 4))
            bs = first - r.uniform(1, 20, nb) * DAY
            cr_don = bs[r.integers(0, nb, n_don)] + r.uniform(0, 4 * HOUR, n_don)
        org = self.alloc(n_org, cr_org, g, cc, 0, .3)
        don = self.alloc(n_don, cr_don, g, cc, 0, .5 if careful else .1)
        self.base_signals(org, home_ip=False, nat_p=.2, wifi_p=.05, card_p=.6, device=careful, phone_p=.7)
        self.base_signals(don, home_ip=careful, nat_p=.25, wifi_p=.08, card_p=.8 if careful else 0,
                          device=careful, phone_p=.3, dev2_p=.1)
        odev = self.devices(int(r.integers(1, 3)))
        self.sig(org, "device_hash", [odev[i % len(odev)] for i in range(n_org)], self.created[org] + 600)
        ib = self.ibans(1 if r.random() < .7 else 2, cc)
        self.sig(org, "payout_iban", [ib[i % len(ib)] for i in range(n_org)], first - r.uniform(0, 3 * DAY, n_org))
        pool = self.ip_res(int(r.integers(4, 13)))
        self.share_honest("ip_addr", pool, 1, 4)
        allm = np.concatenate([org, don])
        a, v = self.pick(pool, None, 1, 3, allm)
        self.sig(a, "ip_addr", v, self.created[a] + r.uniform(0, 5 * DAY, len(a)))
        if careful:
            m = r.random(n_don) < .25
            self.sig(don[m], "device_hash", [odev[0]] * int(m.sum()), first + r.uniform(0, 20 * DAY, m.sum()))
        else:
            dd = self.devices(max(1, n_don // int(r.integers(4, 9))))
            self.sig(don, "device_hash", [dd[j] for j in r.integers(0, len(dd), n_don)], self.created[don] + 60)
            cv = self.cards(int(r.integers(1, 4)))
            m = r.random(n_don) < .85
            self.sig(don[m], "card_fingerprint", [cv[j] for j in r.integers(0, len(cv), m.sum())], self.created[don[m]] + HOUR)
        n_c = int(r.integers(3, 8))
        L = first + np.concatenate([[0], np.cumsum(r.uniform(7, 28, n_c - 1))]) * DAY
        L = L[L < END - 2 * DAY]
        for j, l in enumerate(L):
            o = org[j % n_org]
            c = self.add_campaign(o, l, r.uniform(.3, 2.5), r.lognormal(np.log(3 * DAY), .5))
            self.owner_events(o, c, int(r.integers(1, 4)), int(r.integers(2, 5)), 2 * DAY, 25 * DAY, 600)
            l = self.c_launch[c]
            m = r.random(n_don) < r.uniform(.6, .9)
            d = don[m]
            if careful:
                t = l + r.uniform(HOUR, 5 * DAY, len(d))
                amt = r.lognormal(np.log(40), .7, len(d))
            else:
                t = l + r.exponential(6 * HOUR, len(d)) + 300
                amt = self.donation_round(len(d))
            self.ev(d, "login", self.login_tgt(d), t - r.uniform(30, 600, len(d)))
            self.ev(d, "donate", c, t, amt)
            s = r.random(len(d)) < .5
            self.ev(d[s], "campaign_share", c, t[s] + r.uniform(60, 2 * HOUR, s.sum()))
            s = r.random(len(d)) < .3
            self.ev(d[s], "comment_post", c, t[s] + r.uniform(30, HOUR, s.sum()))
            s = r.random(len(d)) < .4
            self.ev(d[s], "follow_campaign", c, t[s] - r.uniform(10, 900, s.sum()))
            self.ev(org, "campaign_share", c, l + r.uniform(0, 2 * DAY, n_org))

    def g_card_testing(self, size):
        r = self.rng
        g = self.new_group("card_testing_ring", True)
        n_cash = 1 if size < 60 else 2
        nt = size - n_cash
        att = r.uniform(EV0 + 5 * DAY, END - 10 * DAY)
        att_len = r.uniform(6 * HOUR, 3 * DAY)
        cc = int(r.choice([0, 1, 2]))
        cr_cash = att - r.uniform(20, 120, n_cash) * DAY
        nb = int(r.integers(1, 4))
        bs = att - r.uniform(.2, 3, nb) * DAY
        cr_t = bs[r.integers(0, nb, nt)] + r.uniform(0, r.uniform(1, 6) * HOUR, nt)
        cash = self.alloc(n_cash, cr_cash, g, int(r.choice(FARM_CC)), 0, .05)
        tst = self.alloc(nt, cr_t, g, cc, 0, 0.0)
        self.base_signals(cash, home_ip=True, nat_p=.3, wifi_p=.1, card_p=.5, phone_p=.6)
        self.base_signals(tst, home_ip=False, nat_p=0, wifi_p=0, card_p=0, phone_p=.1, device=False,
                          vpn_p=.1, placeholders=False)
        ib = self.ibans(n_cash, int(self.country[cash[0]]))
        self.sig(cash, "payout_iban", ib, self.created[cash] + DAY)
        nd = max(2, nt // int(r.integers(4, 13)))
        dv = self.devices(nd)
        if r.random() < .3:
            dv[0] = ZERO_DEV if r.random() < .5 else ANDROID_BUG
        self.sig(tst, "device_hash", [dv[j] for j in r.integers(0, nd, nt)], self.created[tst] + 30)
        npool = int(r.integers(15, 51))
        ndc = int(npool * r.uniform(.5, .8))
        pool = self.ip_dc(ndc, int(r.integers(1, 4))) + self.ip_res(npool - ndc)
        self.share_honest("ip_addr", pool[ndc:], 1, 4)
        a, v = self.pick(pool, None, 1, 3, tst)
        self.sig(a, "ip_addr", v, self.created[a] + r.uniform(0, HOUR, len(a)))
        ncard = int(nt * r.uniform(1.2, 2.5))
        cv = self.cards(ncard)
        a, v = self.pick(cv, None, 2, 6, tst)
        self.sig(a, "card_fingerprint", v, att + r.uniform(0, att_len, len(a)))
        lc = self.add_campaign(cash[0], att - r.uniform(2, 20) * DAY, .05, 2 * DAY)
        self.owner_events(cash[0], lc, int(r.integers(0, 3)), 0, 0, 0, 1)
        hon = self.org_campaigns(int(r.integers(2, 6)), lo_w=2.0)
        for i in tst:
            k = int(r.integers(3, 16))
            t0 = att + r.uniform(0, att_len)
            t = t0 + np.cumsum(r.exponential(40, k)) + 5
            tg = np.where(r.random(k) < .6, r.choice(hon, k), lc)
            amt = np.where(r.random(k) < .5, r.integers(1, 6, k).astype(float), np.round(r.uniform(1, 5, k), 2))
            self.ev(i, "login", self.login_tgt(i), t0)
            dec = r.random(k) < .35
            self.ev(np.full(dec.sum(), i), "payment_declined", tg[dec], t[dec], amt[dec])
            ok = ~dec
            self.ev(np.full(ok.sum(), i), "donate", tg[ok], t[ok], amt[ok])
            rf = ok & (tg != lc) & (r.random(k) < r.uniform(.3, .6))
            self.ev(np.full(rf.sum(), i), "refund_request", tg[rf], t[rf] + r.uniform(HOUR, 48 * HOUR, rf.sum()), amt[rf])
            if r.random() < .2:
                self.ev(i, "donate", lc, t[-1] + r.uniform(HOUR, 2 * DAY), float(r.uniform(40, 200)))
        for c in cash:
            n = int(r.integers(2, 5))
            self.ev(np.full(n, c), "payout_request", lc, att + att_len + r.uniform(HOUR, 6 * DAY, n),
                    r.uniform(200, 1500, n))

    def g_backer_ring(self, size):
        r = self.rng
        g = self.new_group("backer_ring", True)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        mem = self.alloc(size, r.uniform(T_SIGNUP0, EV0 - 60 * DAY, size), g, cc, 0, 1.0)
        self.base_signals(mem)
        if r.random() < .3:
            ip = self.ip_res(1)[0]
            two = r.choice(mem, 2, replace=False)
            self.sig(two, "ip_addr", ip, EV0 + r.uniform(0, 60 * DAY, 2))
        camps = []
        for o in mem:
            for _ in range(1 if r.random() < .7 else 2):
                c = self.add_campaign(o, r.uniform(EV0, END - 20 * DAY), r.uniform(.3, 2.0), r.lognormal(np.log(4 * DAY), .5))
                self.owner_events(o, c, int(r.integers(1, 5)), int(r.integers(1, 4)), 5 * DAY, 50 * DAY, 400)
                self.sig(o, "payout_iban", self.ibans(1, cc), self.c_launch[c] - DAY)
                camps.append((o, c))
        for o, c in camps:
            oth = mem[mem != o]
            d = oth[r.random(len(oth)) < r.uniform(.65, .9)]
            L = self.c_launch[c]
            t = L + r.lognormal(np.log(1.5 * DAY), 1.0, len(d))
            t = np.minimum(t, L + 12 * DAY)
            self.ev(d, "donate", c, t, r.lognormal(np.log(30), .6, len(d)))
            s = r.random(len(d)) < .6
            self.ev(d[s], "campaign_share", c, t[s] + r.uniform(0, 2 * DAY, s.sum()))
            s = r.random(len(d)) < .4
            self.ev(d[s], "comment_post", c, t[s] + r.uniform(0, DAY, s.sum()))
            s = r.random(len(d)) < .5
            self.ev(d[s], "follow_campaign", c, np.maximum(L + 60, t[s] - r.uniform(0, DAY, s.sum())))

    def g_farm(self, size):
        r = self.rng
        g = self.new_group("engagement_farm", True)
        cc = int(r.choice(FARM_CC))
        aged = r.random(size) < .6
        cr = np.where(aged, r.uniform(T_SIGNUP0, EV0 - 90 * DAY, size), 0.0)
        nb = int(r.integers(3, 7))
        bs = r.uniform(EV0 - 300 * DAY, EV0 - 10 * DAY, nb)
        cr[~aged] = bs[r.integers(0, nb, (~aged).sum())] + r.uniform(0, 3 * DAY, (~aged).sum())
        ccs = np.where(r.random(size) < .7, cc, r.choice(len(COUNTRIES), size, p=CP))
        w = self.alloc(size, cr, g, ccs, 0, .8)
        self.base_signals(w, home_ip=r.random() < .5, nat_p=.3, wifi_p=.05, card_p=.5, phone_p=.5)
        pool = self.ip_res(int(r.integers(15, 51)))
        self.share_honest("ip_addr", pool, 1, 6)
        a, v = self.pick(pool, None, 2, 5, w)
        self.sig(a, "ip_addr", v, np.maximum(self.created[a], EV0 - 30 * DAY) + r.uniform(0, 30 * DAY, len(a)))
        nj = int(r.integers(25, 61))
        cust = self.org_campaigns(nj, hi_w=3.0, launched_before=END - 3 * DAY)
        for c in cust:
            L = self.c_launch[c]
            st = max(L + r.uniform(0, 10 * DAY), EV0 + r.uniform(0, DAY))
            st = min(st, END - 2 * HOUR)
            k = max(2, int(round(size * r.uniform(.10, .35))))
            ws = r.choice(w, k, replace=False)
            spread = r.uniform(5 * MIN, 60 * MIN)
            t = st + r.uniform(0, spread, k)
            job = r.choice(3, p=[.5, .3, .2])
            if job == 0:
                self.ev(ws, "follow_campaign", c, t)
                s = r.random(k) < .8
                self.ev(ws[s], "campaign_share", c, t[s] + r.uniform(5, 180, s.sum()))
            elif job == 1:
                self.ev(ws, "comment_post", c, t)
                s = r.random(k) < .5
                self.ev(ws[s], "follow_campaign", c, t[s] - r.uniform(5, 120, s.sum()))
            else:
                self.ev(ws, "donate", c, t, r.integers(1, 6, k).astype(float))
                s = r.random(k) < .5
                self.ev(ws[s], "campaign_share", c, t[s] + r.uniform(5, 180, s.sum()))

    def g_referral(self, size):
        r = self.rng
        g = self.new_group("referral_farm", True)
        nh = int(min(r.integers(1, 4), size // 5))
        nm = size - nh - 1
        cc = int(r.choice(FARM_CC))
        nb = int(r.integers(1, 4))
        bs = np.sort(r.uniform(EV0 + 5 * DAY, END - 7 * DAY, nb))
        bw = r.uniform(10 * MIN, 3 * HOUR, nb)
        b = r.integers(0, nb, nm)
        cr_m = bs[b] + r.uniform(0, 1, nm) * bw[b]
        farmer = self.alloc(1, [bs[0] - r.uniform(10, 60) * DAY], g, cc, 0, .2)
        heads = self.alloc(nh, r.uniform(T_SIGNUP0, EV0 - 100 * DAY, nh), g, cc, 0, .4)
        mem = self.alloc(nm, cr_m, g, np.where(r.random(nm) < .6, cc, 0), 0, 0.0)
        self.base_signals(np.concatenate([farmer, heads]), card_p=.8, phone_p=.8)
        self.sig(farmer, "payout_iban", self.ibans(1, cc), self.created[farmer] + DAY)
        self.base_signals(mem, home_ip=False, nat_p=0, wifi_p=0, card_p=0, phone_p=0, device=False,
                          placeholders=False)
        dv = self.devices(int(r.integers(2, 7)))
        vals = [ZERO_DEV if r.random() < .2 else dv[j] for j in r.integers(0, len(dv), nm)]
        self.sig(mem, "device_hash", vals, self.created[mem] + 5)
        ips = self.ip_dc(int(r.integers(1, 4)))
        if r.random() < .4:
            ips.append(self.ip_res(1)[0])
        self.sig(mem, "ip_addr", [ips[j] for j in r.integers(0, len(ips), nm)], self.created[mem] + 5)
        self.sig(mem, "phone_hash", [self.sms_pool[j] for j in r.integers(0, len(self.sms_pool), nm)],
                 self.created[mem] + 40)
        # referral star + chains
        order = np.argsort(self.created[mem])
        ms = mem[order]
        for i, a in enumerate(ms):
            if i > 3 and r.random() < .3:
                ref = ms[r.integers(0, i)]
            else:
                ref = heads[r.integers(0, nh)] if nh else farmer[0]
            self.link(a, ref, "referred_by")
            self.ev(ref, "bonus_claim", "promo:REFER5", self.created[a] + r.uniform(HOUR, 2 * DAY), 5.0)
        c = self.add_campaign(farmer[0], bs[0] - r.uniform(1, 7) * DAY, .1, DAY)
        self.owner_events(farmer[0], c, 1, 0, 0, 0, 1)
        t = self.created[mem] + r.uniform(30, 600, nm)
        self.ev(mem, "bonus_claim", "promo:WELCOME10", t, 10.0)
        t2 = t + r.uniform(20, 900, nm)
        self.ev(mem, "donate", c, t2, 10.0)
        s = r.random(nm) < .3
        self.ev(mem[s], "campaign_share", c, t2[s] + r.uniform(5, 120, s.sum()))
        n = int(r.integers(2, 6))
        self.ev(np.full(n, farmer[0]), "payout_request", c, bs[-1] + r.uniform(HOUR, 5 * DAY, n), r.uniform(100, 600, n))

    def g_impersonation(self, size):
        r = self.rng
        g = self.new_group("charity_impersonation", True)
        news = r.uniform(EV0 + 10 * DAY, END - 20 * DAY)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        bought = r.random() < .4
        cr = r.uniform(T_SIGNUP0, EV0 - 100 * DAY, size) if bought else news - r.uniform(0, 3 * DAY, size) - DAY
        o = self.alloc(size, cr, g, cc, 0, .1)
        self.base_signals(o, home_ip=False, nat_p=.3, wifi_p=.1, card_p=.6, phone_p=.5, device=bought)
        dv = self.devices(int(r.integers(1, 4)))
        self.sig(o, "device_hash", [dv[j] for j in r.integers(0, len(dv), size)], np.maximum(self.created[o], news - 2 * DAY))
        ib = self.ibans(1 if r.random() < .6 else 2, cc)
        self.sig(o, "payout_iban", [ib[j] for j in r.integers(0, len(ib), size)], news + r.uniform(0, DAY, size))
        px = self.ip_res(1)
        self.share_honest("ip_addr", px, 2, 5)
        self.sig(o, "ip_addr", px[0], news + r.uniform(0, DAY, size))
        cs = []
        for a in o:
            for _ in range(1 if r.random() < .6 else 2):
                c = self.add_campaign(a, news + r.uniform(HOUR, DAY), r.uniform(2, 8), r.lognormal(np.log(2 * DAY), .4))
                self.owner_events(a, c, int(r.integers(2, 5)), int(r.integers(3, 8)), DAY, 20 * DAY, 900)
                cs.append(c)
        for c in cs:
            L = self.c_launch[c]
            d = o[r.random(size) < .7]
            self.ev(d, "donate", c, L + r.uniform(60, 30 * MIN, len(d)), self.donation_round(len(d)))
            self.ev(d, "campaign_share", c, L + r.uniform(60, 3 * HOUR, len(d)))

    def g_lone(self):
        r = self.rng
        g = None
        mode = r.random()
        cr = r.uniform(EV0 - 200 * DAY, END - 30 * DAY) if r.random() < .6 else r.uniform(T_SIGNUP0, EV0)
        a = self.alloc(1, [cr], None, None, 0, .3)
        self.bad[a] = True
        self.lone[a] = True
        self.base_signals(a, home_ip=False, card_p=1.0)
        px = self.ip_res(1)
        self.share_honest("ip_addr", px, 1, 5)
        self.sig(a, "ip_addr", px[0], self.created[a] + HOUR)
        i = int(a[0])
        if mode < .7:
            c = self.add_campaign(i, max(self.created[i] + DAY, EV0 + r.uniform(0, 100 * DAY)), r.uniform(.5, 4), 3 * DAY)
            self.owner_events(i, c, int(r.integers(0, 3)), int(r.integers(3, 7)), 12 * HOUR, 10 * DAY, 500)
            self.sig(a, "payout_iban", self.ibans(1, int(self.country[i])), self.c_launch[c])
        else:
            hon = self.org_campaigns(3, lo_w=2.0)
            t0 = max(self.created[i] + HOUR, EV0) + r.uniform(0, 30 * DAY)
            k = int(r.integers(5, 20))
            t = t0 + np.cumsum(r.exponential(60, k))
            self.ev(np.full(k, i), "donate", r.choice(hon, k), t, r.integers(1, 4, k).astype(float))
            self.ev(np.full(k // 2, i), "payment_declined", r.choice(hon, k // 2), t[:k // 2] + 3, 1.0)
            self.sig(np.full(k // 2, i), "card_fingerprint", self.cards(k // 2), t[:k // 2])

    def g_takeover(self, size):
        r = self.rng
        g = self.new_group("takeover_wave", True)
        wave = r.uniform(EV0 + 20 * DAY, END - 8 * DAY)
        wl = r.uniform(6 * HOUR, 48 * HOUR)
        cc = int(r.choice(FARM_CC))
        na = 1 if r.random() < .6 else 2
        att = self.alloc(na, wave - r.uniform(5, 30, na) * DAY, g, cc, 0, .1)
        self.base_signals(att, home_ip=False, card_p=.5, phone_p=.5)
        ib = self.ibans(1, cc)
        self.sig(att, "payout_iban", ib[0], self.created[att] + HOUR)
        cand = self.ungrouped_organic()
        cand = cand[(self.created[cand] < EV0 - 365 * DAY) & self.has_card[cand]]
        vic = r.choice(cand, min(size, len(cand)), replace=False)
        self.assign(vic, g)
        dv = self.devices(int(r.integers(1, 4)))
        self.sig(att, "device_hash", dv[0], self.created[att] + 60)
        ips = self.ip_dc(int(r.integers(2, 6)), 2) + self.ip_res(int(r.integers(1, 5)))
        cs = [self.add_campaign(att[j % na], wave - r.uniform(1, 10) * DAY, .05, DAY) for j in range(int(r.integers(1, 3)))]
        for c in cs:
            self.owner_events(self.c_owner[c], c, 1, 0, 0, 0, 1)
        nv = len(vic)
        t = wave + r.uniform(0, wl, nv)
        self.sig(vic, "device_hash", [dv[j] for j in r.integers(0, len(dv), nv)], t)
        self.sig(vic, "ip_addr", [ips[j] for j in r.integers(0, len(ips), nv)], t)
        self.sig(vic, "email_sha", self.emails(nv), t + r.uniform(60, 600, nv))
        self.ev(vic, "password_reset", "settings:password", t - r.uniform(30, 300, nv))
        self.ev(vic, "login", self.login_tgt(vic), t)
        self.ev(vic, "email_change", "settings:email", t + r.uniform(60, 600, nv))
        for k in range(3):
            m = r.random(nv) < (1.0 if k == 0 else .4)
            tc = t[m] + r.uniform(5 * MIN, 60 * MIN, m.sum()) + k * HOUR
            self.ev(vic[m], "donate", r.choice(cs, m.sum()), tc, r.uniform(150, 900, m.sum()))
        for c in cs:
            n = int(r.integers(2, 5))
            self.ev(np.full(n, self.c_owner[c]), "payout_request", c, wave + wl + r.uniform(HOUR, 4 * DAY, n), r.uniform(2000, 9000, n))

    # ------------------------------------------------------------------ BENIGN
    def b_family(self, size):
        r = self.rng
        g = self.new_group("family_medical", False)
        L = r.uniform(EV0, END - 10 * DAY)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        new = r.random(size) < .4
        new[0] = False
        cr = np.where(new, L + r.uniform(0, 2 * DAY, size) - r.uniform(0, 2 * DAY, size),
                      r.uniform(T_SIGNUP0, L - 30 * DAY, size))
        cr = np.minimum(cr, END - 2 * DAY)
        m = self.alloc(size, cr, g, np.where(r.random(size) < .85, cc, r.choice(len(COUNTRIES), size, p=CP)), 0, .6)
        core_n = int(min(size, r.integers(2, 6)))
        core = m[:core_n]
        self.base_signals(m[core_n:])
        self.base_signals(core, home_ip=False)
        hip = self.ip_res(1)[0]
        self.sig(core, "ip_addr", hip, self.created[core] + 600)
        if r.random() < .5:
            tb = self.devices(1)[0]
            s = core[r.random(core_n) < .8]
            self.sig(s, "device_hash", tb, self.created[s] + DAY)
        fc = self.cards(1)[0]
        s = r.choice(m, int(min(size, r.integers(2, 5))), replace=False)
        self.sig(s, "card_fingerprint", fc, np.maximum(self.created[s], L - 5 * DAY) + HOUR)
        o = m[0]
        self.sig(o, "payout_iban", self.ibans(1, cc), L - DAY)
        c = self.add_campaign(o, L, r.uniform(1, 5), r.lognormal(np.log(3 * DAY), .5))
        self.owner_events(o, c, int(r.integers(2, 7)), int(r.integers(1, 4)), 3 * DAY, 40 * DAY, 2500)
        L = self.c_launch[c]
        d = m[1:][r.random(size - 1) < .9]
        t = np.maximum(L + r.lognormal(np.log(10 * HOUR), 1.0, len(d)), self.created[d] + 120)
        self.ev(d, "donate", c, t, self.donation_round(len(d)) * r.choice([1, 1, 2], len(d)))
        s = r.random(len(d)) < .7
        self.ev(d[s], "campaign_share", c, t[s] + r.uniform(60, 20 * MIN, s.sum()))
        s = r.random(len(d)) < .5
        self.ev(d[s], "comment_post", c, t[s] + r.uniform(30, HOUR, s.sum()))
        s = r.random(len(d)) < .6
        self.ev(d[s], "follow_campaign", c, t[s] - r.uniform(1, 100, s.sum()))

    def b_office(self, size):
        r = self.rng
        g = self.new_group("office_matching", False)
        cc = int(r.choice([0, 1, 2, 4, 7]))
        onboard = r.uniform(T_SIGNUP0 + 300 * DAY, EV0 - 20 * DAY)
        nb = size - 1
        batch = r.random(nb) < .5
        cr = np.where(batch, onboard + r.uniform(0, 5 * HOUR, nb), r.uniform(T_SIGNUP0, END - 30 * DAY, nb))
        comp = self.alloc(1, [onboard - 2 * DAY], g, cc, 2, .2)
        st = self.alloc(nb, cr, g, cc, 0, .7)
        self.base_signals(comp, home_ip=False, card_p=1.0, phone_p=1.0)
        self.base_signals(st, nat_p=.4, wifi_p=.1)
        oip = self.ip_res(int(r.integers(2, 5)))
        a, v = self.pick(oip, None, 1, 2, np.concatenate([comp, st]))
        self.sig(a, "ip_addr", v, np.maximum(self.created[a], onboard) + r.uniform(0, HOUR, len(a)))
        self.link(st, comp[0], "team_page")
        days = np.sort(r.uniform(EV0, END - 2 * DAY, int(r.integers(2, 4))))
        for dday in days:
            day0 = dday - dday % DAY + (9 - TZ[cc]) * HOUR
            cs = self.org_campaigns(int(r.integers(1, 4)), lo_w=.5)
            p = st[r.random(nb) < r.uniform(.4, .8)]
            burst = r.random(len(p)) < .5
            t = np.where(burst, day0 + HOUR + r.exponential(10 * MIN, len(p)), day0 + r.uniform(0, 8 * HOUR, len(p)))
            t = np.maximum(t, self.created[p] + 60)
            cp = r.choice(cs, len(p))
            amt = r.choice([10, 20, 25, 50, 100], len(p)).astype(float)
            self.ev(p, "donate", cp, t, amt)
            s = r.random(len(p)) < .3
            self.ev(p[s], "campaign_share", cp[s], t[s] + r.uniform(30, 600, s.sum()))
            for c in cs:
                tot = amt[cp == c].sum()
                if tot > 0:
                    self.ev(comp, "donate", c, day0 + 9 * HOUR + r.uniform(0, HOUR), tot)

    def b_school(self, size):
        r = self.rng
        g = self.new_group("school_class", False)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        L = r.uniform(EV0 + 10 * DAY, END - 10 * DAY)
        eve = L - r.uniform(3, 20) * DAY
        ev_start = eve - eve % DAY + (18 - TZ[cc]) * HOUR
        at_eve = r.random(size) < .5
        cr = np.where(at_eve, ev_start + r.uniform(0, 2 * HOUR, size), r.uniform(T_SIGNUP0, eve - DAY, size))
        m = self.alloc(size, cr, g, cc, 0, .5)
        teacher = m[0]
        self.base_signals(m, nat_p=.4)
        sip = self.ip_res(int(r.integers(1, 3)))
        s = m[at_eve | (np.arange(size) == 0)]
        self.sig(s, "ip_addr", [sip[j] for j in r.integers(0, len(sip), len(s))], np.maximum(self.created[s], ev_start))
        # parent pairs share home ip / device / card
        perm = r.permutation(m[1:])
        for j in range(0, len(perm) - 1, 2):
            if r.random() < .6:
                pr = perm[j:j + 2]
                self.sig(pr, "ip_addr", self.ip_res(1)[0], self.created[pr] + DAY)
                if r.random() < .4:
                    self.sig(pr, "card_fingerprint", self.cards(1)[0], self.created[pr] + DAY)
                if r.random() < .3:
                    self.sig(pr, "device_hash", self.devices(1)[0], self.created[pr] + DAY)
        self.link(m[1:], teacher, "team_page")
        self.sig(teacher, "payout_iban", self.ibans(1, cc), L - DAY)
        c = self.add_campaign(teacher, L, r.uniform(.3, 1.5), 3 * DAY)
        self.owner_events(teacher, c, int(r.integers(1, 4)), 1, 7 * DAY, 20 * DAY, 900)
        L = self.c_launch[c]
        run = L + r.uniform(1, 6) * DAY
        run = run - run % DAY + (10 - TZ[cc]) * HOUR
        d = m[1:][r.random(size - 1) < .85]
        spike = r.random(len(d)) < .4
        t = np.where(spike, run + r.uniform(0, 3 * HOUR, len(d)), L + r.uniform(0, 7 * DAY, len(d)))
        t = np.maximum(t, self.created[d] + 60)
        self.ev(d, "donate", c, t, r.choice([5, 10, 10, 15, 20, 25], len(d)).astype(float))
        s = r.random(len(d)) < .6
        self.ev(d[s], "campaign_share", c, t[s] + r.uniform(30, 3 * HOUR, s.sum()))
        s = r.random(len(d)) < .3
        self.ev(d[s], "follow_campaign", c, t[s] - r.uniform(1, 60, s.sum()))

    def b_charity(self, size):
        r = self.rng
        g = self.new_group("charity_volunteers", False)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        ns = int(r.integers(2, 4))
        nv = size - ns
        staff = self.alloc(ns, r.uniform(T_SIGNUP0, EV0 - 200 * DAY, ns), g, cc, 1, .5)
        ind = r.uniform(T_SIGNUP0 + 300 * DAY, END - 60 * DAY, int(r.integers(2, 4)))
        vol = self.alloc(nv, ind[r.integers(0, len(ind), nv)] + r.uniform(0, 3 * HOUR, nv), g, cc, 0, .6)
        allm = np.concatenate([staff, vol])
        self.base_signals(allm)
        ib = self.ibans(1, cc)[0]
        self.sig(staff, "payout_iban", ib, self.created[staff] + DAY)
        lap = self.devices(int(r.integers(2, 5)), web_frac=.5)
        a, v = self.pick(lap, None, 1, 2, allm)
        self.sig(a, "device_hash", v, self.created[a] + r.uniform(HOUR, 5 * DAY, len(a)))
        oip = self.ip_res(int(r.integers(1, 3)))
        a, v = self.pick(oip, None, 1, 1, allm)
        self.sig(a, "ip_addr", v, self.created[a] + HOUR)
        self.link(vol, staff[0], "team_page")
        cs = []
        for j in range(int(r.integers(3, 9))):
            o = staff[j % ns]
            c = self.add_campaign(o, r.uniform(EV0 - 20 * DAY, END - 10 * DAY), r.uniform(.5, 3), 5 * DAY)
            self.owner_events(o, c, int(r.integers(2, 6)), int(r.integers(1, 4)), 5 * DAY, 60 * DAY, 1200)
            cs.append(c)
        cs = np.array(cs)
        for _ in range(int(r.integers(6, 16))):
            st = r.uniform(EV0, END - DAY)
            st = st - st % DAY + (10 - TZ[cc]) * HOUR
            k = int(min(nv, r.integers(3, 11)))
            p = np.concatenate([r.choice(vol, k, replace=False), staff[:1]])
            t = np.maximum(st + r.uniform(0, 2 * HOUR, len(p)), self.created[p] + 60)
            acts = r.choice([A["comment_post"], A["campaign_share"], A["campaign_share"], A["follow_campaign"]], len(p))
            self.ev(p, acts, r.choice(cs, len(p)), t)
        d = vol[r.random(nv) < .4]
        self.ev(d, "donate", r.choice(cs, len(d)), EV0 + r.uniform(0, END - EV0 - DAY, len(d)), self.donation_round(len(d)))

    def b_circle(self, size):
        r = self.rng
        g = self.new_group("giving_circle", False)
        cc = int(r.choice(len(COUNTRIES), p=CP))
        m = self.alloc(size, r.uniform(T_SIGNUP0, EV0 - 30 * DAY, size), g, cc, 0, 1.0)
        self.base_signals(m)
        for mo in range(6):
            meet = EV0 + mo * 30 * DAY + r.uniform(0, 25 * DAY)
            if meet > END - 4 * DAY:
                continue
            c = self.org_campaigns(1, lo_w=.3, launched_before=meet)[0]
            d = m[r.random(size) < .85]
            t = meet + r.uniform(HOUR, 3 * DAY, len(d))
            self.ev(d, "donate", c, t, r.choice([20, 25, 30, 50], len(d)).astype(float))
            s = r.random(len(d)) < .3
            self.ev(d[s], "comment_post", c, t[s] + r.uniform(60, HOUR, s.sum()))

    def b_viral(self, size):
        r = self.rng
        g = self.new_group("viral_crowd", False)
        L = r.uniform(EV0 + 15 * DAY, END - 5 * DAY)
        nn = int(size * .25)
        cand = self.ungrouped_organic()
        cand = cand[self.created[cand] < L - DAY]
        old = r.choice(cand, min(size - nn, len(cand)), replace=False)
        self.assign(old, g)
        o = old[0]
        tn = L + r.exponential(2 * HOUR, nn) + 300
        new = self.alloc(nn, tn - r.uniform(60, 1200, nn), g, None, 0, .2)
        self.base_signals(new, home_ip=False, nat_p=.6, wifi_p=.2, card_p=.9, phone_p=.5, dev2_p=.05)
        c = self.add_campaign(o, L, 0.5, 2 * DAY)
        self.owner_events(o, c, int(r.integers(3, 8)), 3, 3 * DAY, 25 * DAY, 20000)
        self.sig(o, "payout_iban", self.ibans(1, int(self.country[o])), L - DAY)
        d = np.concatenate([old[1:], new])
        fast = r.random(len(d)) < .8
        t = np.where(fast, L + r.exponential(2 * HOUR, len(d)) + 300, L + r.exponential(3 * DAY, len(d)))
        t[len(old) - 1:] = tn
        t = np.maximum(t, self.created[d] + 60)
        a = r.lognormal(np.log(15), .8, len(d))
        rnd = r.random(len(d)) < .6
        a[rnd] = np.maximum(5, np.round(a[rnd] / 5) * 5)
        self.ev(d, "donate", c, t, a)
        s = r.random(len(d)) < .4
        self.ev(d[s], "campaign_share", c, t[s] + r.uniform(10, 30 * MIN, s.sum()))
        s = r.random(len(d)) < .1
        self.ev(d[s], "comment_post", c, t[s] + r.uniform(10, 30 * MIN, s.sum()))
        s = r.random(len(d)) < .3
        self.ev(d[s], "follow_campaign", c, t[s] - r.uniform(1, 60, s.sum()))

    # ------------------------------------------------------------------ output
    def write(self, out):
        r = self.rng
        N = self.N
        os.makedirs(out, exist_ok=True)
        raw = np.unique(r.integers(1 << 36, 1 << 40, int(N * 1.1) + 10))
        raw = r.permutation(raw)[:N]
        assert len(raw) == N
        ids = pl.Series("account_id", [f"u-{x:010x}" for x in raw])
        nc = len(self.c_owner)
        cr_ = np.unique(r.integers(1000000, 9999999, nc * 2 + 10))
        cids = [f"cmp{x:07d}" for x in r.permutation(cr_)[:nc]]
        tlook = pl.Series("t", cids + SPECIAL)

        def ms(sec):
            return sec * 1000 + r.integers(0, 1000, len(sec))

        # accounts
        acc = pl.DataFrame({
            "account_id": ids,
            "created_at": pl.Series(ms(self.created)).cast(pl.Datetime("ms")),
            "account_type": pl.Series(ATYPES)[self.atype.astype(np.int64)],
            "country": pl.Series(COUNTRIES[self.country].tolist(), dtype=pl.String),
        }).sort("created_at")
        acc.write_parquet(os.path.join(out, "accounts.parquet"))

        # signals
        sa = np.concatenate(self.S[0])
        sk = np.concatenate(self.S[1]).astype(np.int64)
        sv = pl.Series("value", list(chain.from_iterable(self.S[2])), dtype=pl.String)
        ss = np.concatenate(self.S[3])
        ss = np.maximum(ss, self.created[sa])
        ss = np.minimum(ss, END - 1)
        sig = pl.DataFrame({"a": sa, "k": sk, "value": sv, "s": ms(ss)})
        sig = sig.group_by(["a", "k", "value"]).agg(pl.col("s").min()).sort(["s", "a", "k", "value"])
        # a few device rows with a 1970 sentinel first-seen time (client bug)
        n_s = sig.height
        sent = np.zeros(n_s, bool)
        kk = sig["k"].to_numpy()
        sent[(kk == K["device_hash"]) & (r.random(n_s) < .002)] = True
        sv_ms = sig["s"].to_numpy().copy()
        sv_ms[sent] = 0
        sig = pl.DataFrame({
            "account_id": ids.gather(sig["a"].to_numpy()),
            "kind": pl.Series(KINDS)[sig["k"].to_numpy()],
            "value": sig["value"],
            "seen_at": pl.Series(sv_ms).cast(pl.Datetime("ms")),
        })
        sig.with_columns(pl.col("seen_at").dt.strftime("%Y-%m-%dT%H:%M:%SZ")).write_csv(os.path.join(out, "signals.csv"))

        # events
        ea = np.concatenate(self.E[0])
        ek = np.concatenate(self.E[1]).astype(np.int64)
        et = np.concatenate(self.E[2])
        ets = np.concatenate(self.E[3])
        eam = np.concatenate(self.E[4])
        ets = np.clip(ets, self.created[ea] + 1, END - 1)
        # client clock noise on a few app events, a few double-submits
        n_e = len(ea)
        skew = r.random(n_e) < .004
        ets[skew] += r.integers(-3 * HOUR, 3 * HOUR, skew.sum())
        ets = np.maximum(ets, self.created[ea] + 1)
        dup = np.nonzero(r.random(n_e) < .002)[0]
        sel = np.concatenate([np.arange(n_e), dup])
        ea, ek, et, ets, eam = ea[sel], ek[sel], et[sel], ets[sel], eam[sel]
        tms = ets * 1000 + r.integers(0, 1000, len(ets))
        tms[len(ets) - len(dup):] = tms[dup] + r.integers(0, 1500, len(dup))
        tcode = np.where(et >= 0, et, nc + (-et - 1))
        evs = pl.DataFrame({
            "account_id": ids.gather(ea),
            "action": pl.Series(ACTIONS)[ek],
            "target_id": tlook.gather(tcode),
            "ts": pl.Series(tms).cast(pl.Datetime("ms")),
            "amount": pl.Series(eam).fill_nan(None),
            "channel": pl.Series(CHANNELS)[self.chan[ea]],
        }).sort(["ts", "account_id"])
        evs.write_parquet(os.path.join(out, "events.parquet"))

        # links
        la = np.concatenate(self.L[0])
        lb = np.concatenate(self.L[1])
        lk = list(chain.from_iterable(self.L[2]))
        lnk = pl.DataFrame({
            "account_a": ids.gather(la), "account_b": ids.gather(lb),
            "kind": pl.Series(lk, dtype=pl.String),
            "weight": pl.Series(np.where(np.array(lk) == "team_page", 0.5, 1.0)),
        }).filter(pl.col("account_a") != pl.col("account_b")).unique(maintain_order=True)
        lnk.write_parquet(os.path.join(out, "links.parquet"))

        # truth
        gids = [g[0] for g in self.groups]
        gk = [g[1] for g in self.groups]
        has = self.gid >= 0
        gi = np.where(has, self.gid, 0)
        gid_s = pl.Series([gids[j] if h else None for j, h in zip(gi, has)], dtype=pl.String)
        gk_s = pl.Series([gk[j] if h else ("lone_scammer" if l else "organic") for j, h, l in zip(gi, has, self.lone)],
                         dtype=pl.String)
        truth = pl.DataFrame({"account_id": ids, "is_bad": pl.Series(self.bad), "group_id": gid_s,
                              "group_kind": gk_s})
        truth.write_parquet(os.path.join(out, "truth.parquet"))

        # labels
        lab = np.full(N, -1, np.int64)
        src = np.full(N, 0, np.int64)
        for g, (_, kind, bad) in enumerate(self.groups):
            if not bad:
                continue
            mem = np.nonzero(self.gid == g)[0]
            if r.random() < .45:
                k = max(1, int(round(len(mem) * r.uniform(.1, .5))))
                lab[r.choice(mem, k, replace=False)] = 1
                src[mem] = 1
        lone = np.nonzero(self.lone)[0]
        lab[lone[r.random(len(lone)) < .35]] = 1
        badu = np.nonzero(self.bad & (lab == -1))[0]
        lab[badu[r.random(len(badu)) < .03]] = 0
        ben = (~self.bad) & (lab == -1)
        in_g = self.gid >= 0
        u = r.random(N)
        lab[ben & ~in_g & (u < .025)] = 0
        lab[ben & in_g & (u < .04)] = 0
        u = r.random(N)
        fp = (~self.bad) & (((u < .0025) & in_g) | ((u < .001) & ~in_g))
        lab[fp] = 1
        li = np.nonzero(lab >= 0)[0]
        sources = np.array(["trust_safety_review", "chargeback_dispute", "ring_investigation", "appeal"])
        s = np.where(lab[li] == 1, np.where(src[li] == 1, 2, r.choice([0, 1], len(li))), r.choice([0, 3], len(li), p=[.8, .2]))
        labels = pl.DataFrame({"account_id": ids.gather(li), "label": pl.Series(lab[li]),
                               "source": pl.Series(sources[s].tolist(), dtype=pl.String)}).sort("account_id")
        labels.write_csv(os.path.join(out, "labels.csv"))
        return {"accounts": acc.height, "signals": sig.height, "events": evs.height, "links": lnk.height,
                "labels": labels.height, "truth": truth.height}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    t0 = time.time()
    w = World(a.accounts, a.seed)
    w.build()
    counts = w.write(a.out_dir)
    print(" ".join(f"{k}={v}" for k, v in counts.items()), f"seconds={time.time() - t0:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()

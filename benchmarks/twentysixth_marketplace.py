#!/usr/bin/env python3
"""Twenty-sixth synthetic marketplace: a mobile app store (Google-Play-like).

Written from the data contract alone (DESIGN.md's input tables, the README's "Inputs (the data
contract)" section, and the docstring and main() of the twenty-fifth generator for the output
conventions); no detection code and no tests were read.

    python benchmarks/twentysixth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--quiet]

The platform is an Android app store: users browse the store front, search, install, open and
uninstall apps and games, buy in-app items (and sometimes refund them), rate apps (1-5 stars,
a rating can be changed later), write reviews and mark other people's reviews helpful, keep a
wishlist, send gift cards to other accounts, share purchases with a family group, join apps'
beta programmes and complete offerwall tasks (install an advertised app, open it, get a reward).
Developer accounts (in the same id space, ``account_type`` developer) publish apps and ship
updates.  Its own action names: ``login``, ``search``, ``app.install``, ``app.open``,
``app.uninstall``, ``iap.purchase``, ``iap.refund``, ``iap.decline``, ``rating.submit``,
``review.post``, ``review.helpful``, ``wishlist.add``, ``gift.send``, ``gift.redeem``,
``family.invite``, ``offerwall.complete``, ``beta.join``, ``dev.publish``, ``dev.update``.
Targets: apps ``app-N`` (N a random six-digit number), reviews ``rv-N`` (``review.helpful``),
accounts (``gift.send``, ``gift.redeem``: the sender, ``family.invite``), search terms
``q:<term>`` and store surfaces (``play-android``, ``play-web``).  Extra event columns:
``stars`` (1-5 on ``rating.submit``, null elsewhere), ``amount`` (USD on purchases, refunds,
declines, gifts and offerwall rewards) and ``ref_id`` (the new review's ``rv-N`` on
``review.post``, the offerwall click id ``owc-...`` on ``offerwall.complete``).  Identifier
kinds (signals): ``gaid`` (advertising id, a UUID, resettable; limit-ad-tracking phones send
the all-zero UUID), ``android_id`` (16 hex), ``device_model`` (``SM-A155F``, ``Redmi Note 13``
...: a coarse property, the popular ones shared by thousands), ``ip`` (dotted quads; carrier
NAT addresses shared by hundreds to thousands), ``asn`` (``AS`` + number, coarse),
``msisdn`` (hashed phone number; 2% recycled to a second subscriber), ``google_acct_email_sha``,
``pay_token`` (``tok_`` + 16 hex), ``billing_country``.  Account ids look like ``u_8f3a2c91``.

Output (the data contract): ``accounts.parquet`` (account_id, created_at, account_type
user/developer, country), ``events.parquet`` (account_id, action, target_id, ts, stars, amount,
ref_id), ``signals.csv`` (account_id, kind, value, seen_at; ~2% of seen_at empty, a dozen at the
1970 "unknown" sentinel), ``links.csv`` (``family_group`` organiser-member links, weight 1.0),
``labels.csv`` (unless ``--no-labels``) and ``truth.parquet`` (account_id, is_bad, group_id,
group_kind for every account; group_id null outside groups, group_kind null for plain organic
accounts).  Timestamps are naive UTC; events run 2025-01-06 .. 2025-04-06 (90 days) plus about
ten far-future (2099) device-clock ``app.open`` rows; accounts were created from 2012 on,
~12% inside the window; accounts made before June 2013 carry the legacy-migration stamp
2013-06-01 00:00:00.  Deterministic for (accounts, seed).  Counts below are for 20,000 accounts
and scale with the number of accounts.

Background: eight countries (time zones, diurnal rhythm), ~3,000 apps (45% games, in-app
items priced 0.99-99.99) from ~600 developer accounts, Zipf popularity; each user has a library
of installed apps (half installed before the window) that it opens, rates (~10%, stars by app
quality), reviews (a third of ratings) and sometimes uninstalls; ~20% of accounts nearly
dormant; heavy-tailed activity (~100 events per account on average).  Honest shared
identifiers: carrier NAT IPs (one or two per country used by 1,000+ accounts), 25 VPN exits on
4% of accounts (data-centre ASNs), popular device models, recycled msisdns, the zero gaid.

BAD groups (is_bad true; variant in the group_id):

* ``install_farm`` (6, 25-110 workers): device-emulator racks installing the farm's 3-6 client
  apps (~30 ``install_client``, is_bad, no group: developers who bought installs) job after job
  (15-35 jobs).  ``blunt``: accounts created in 2-4 bursts seconds apart, each a fresh gaid
  (reset every few jobs) and android_id but only 2-3 device models (rare ones), 8-24 data-centre
  IPs in one /24 and one hosting ASN, a third on 2-6 SMS-activation msisdns; 60-95% of the
  workers install within two hours of a job's start, open 1-4 times, 30% rate 5 stars, half
  uninstall after days.  ``careful``: accounts aged over months, residential-proxy IPs that
  honest homes also use, 3-6 popular models, 10-35% of workers per job, installs spread over
  6-24 hours by local time, and organic filler activity.
* ``incentivized_install_crew`` (4, 40-140): real people with their own phones and full organic
  lives, paid through one offerwall provider: they join 10-30% of its 15-30 campaigns (1-3 days
  each), install the advertised app, open it, ``offerwall.complete`` (unique click id), and
  uninstall within a day.  No shared identifiers.  (Honest users complete offerwalls now and
  then too.)
* ``rating_ring`` (12, a developer + 5-15 alts): after each of the developer's 1-3
  ``dev.update`` campaigns the alts install the developer's 1-3 apps and 5-star them and 1-star
  1-2 competitor apps within days; a few reviews, half the rings upvote each other's reviews.
  ``shared``: 30-70% of the alts on the developer's phone and home IP; ``separate``: own
  devices and IPs.  Alts are new (65%) or aged accounts with little else to do.
* ``review_bomb_attack`` (3, 20-80): hours after a target app's ``dev.update`` the accounts
  install it (60%), 1-star it, write reviews (75%) and mark each other's reviews helpful; 75%
  created in 1-3 bursts in the three days before, ~4 accounts per phone, VPN exits honest
  users share; the rest aged sock accounts.
* ``refund_abuse_ring`` (5, 6-20): buy expensive in-app items in 3-8 games in sessions (2-5
  members within 40 minutes, from the ring's 2-5 shared phones) and refund 65-85% of them within
  two days; 1-3 shared pay tokens, 1-3 shared msisdns, 1-3 home IPs.
* ``gift_card_laundering`` (4, 10-30 buyers + 2-4 collectors): new buyer accounts made in 1-3
  bursts on a batch of stolen pay tokens (1-3 per buyer, each token on a few buyers, billing
  country foreign to the account), unique residential-proxy IPs and 1-2 device models:
  declines, then ``gift.send`` to the collectors within three days of sign-up; the aged
  collectors (one home IP, shared phones) ``gift.redeem`` and spend it on in-app items.
* lone bad actors (is_bad, no group): ~15 ``lone_refund_abuser``, ~15 ``lone_review_spammer``
  (paid 5-star reviews on 40-150 apps in bursts), ~10 ``lone_card_tester`` (5-15 tokens, tens of
  ``iap.decline`` in an hour).

BENIGN look-alikes (is_bad false, group_id set):

* ``family_library`` (~450, 2-6): one family pay token on every member, family.invite events
  and ``family_group`` links, one home IP, 30% a shared tablet, the same family-library apps
  installed, 30% of members created within a week of the organiser.
* ``beta_testers`` (5, a developer + 20-200 testers): 8-15 builds (``dev.update``); 40-90% of
  the testers install, open and rate each build within hours.  One programme has a handful of
  testers mistakenly labelled 1 (reported for rating manipulation).
* ``school_class`` (4, 25-120) and ``enterprise_mdm`` (3, 40-300): managed accounts created in
  one batch minutes apart, one identical device model, one school / office IP, MDM pushes that
  install the same apps on every device within minutes (half the schools' tablets send the zero
  gaid); school classes open the class app together within minutes in lessons (local school
  hours, weekdays); company phones have their own SIMs and personal use.
* ``featured_app_crowd`` (2, 350-1,200): a newly published app featured on the store front;
  organic users install it within minutes to hours, a fifth rate it.
* ``phone_repair_shop`` (4, a shop + 20-70 customers) and ``refurbisher`` (2, 10-40): the
  shop's test phone and IP (a refurbisher's QA phones, warehouse IP and test SIM) log into
  unrelated customers' accounts on the day of the repair.
* plain ``organic`` accounts (group_id and group_kind null).

Labels: enforcement found 80% of the blunt and 40% of the careful farms (40-90% of their
members labelled), 35% of the crews, 60% of the rating rings, 85% of the review bombs, 70% of
the refund rings and 80% of the laundering rings, each with ~5% of those labels wrongly 0; 30%
of install clients and 40% of lone actors are labelled 1.  Support verified ~10% of honest
accounts (older ones more often) as 0; 0.3% of honest accounts carry a wrong 1, and one beta
programme has 6-10 testers labelled 1 by mistake.
"""
from __future__ import annotations

import argparse
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86400
HOUR = 3600
T0 = int(datetime(2025, 1, 6, tzinfo=timezone.utc).timestamp())
NDAYS = 90
T1 = T0 + NDAYS * DAY
STAMP = int(datetime(2013, 6, 1, tzinfo=timezone.utc).timestamp())
EPOCH_2012 = int(datetime(2012, 3, 6, tzinfo=timezone.utc).timestamp())

COUNTRIES = ["US", "IN", "BR", "ID", "DE", "GB", "MX", "JP"]
C_OFF = np.array([-5, 5.5, -3, 7, 1, 0, -6, 9]) * HOUR
C_W = np.array([.22, .22, .14, .12, .10, .08, .07, .05])
DIURNAL = np.array([2, 1.2, .8, .5, .4, .5, 1, 2, 3, 3.5, 3.8, 4, 4.5, 4.2, 4, 4, 4.3, 4.8, 5.5,
                    6.5, 7, 6.8, 5.5, 3.5])
DIURNAL = DIURNAL / DIURNAL.sum()
WORK = np.array([.2, .1, .1, .1, .1, .2, .5, 1.5, 4, 6, 6, 6, 4, 6, 6, 6, 5, 3, 1.5, 1, 1, .8, .5, .3])
WORK = WORK / WORK.sum()

ACTIONS = ["login", "search", "app.install", "app.open", "app.uninstall", "iap.purchase",
           "iap.refund", "iap.decline", "rating.submit", "review.post", "review.helpful",
           "wishlist.add", "gift.send", "gift.redeem", "family.invite", "offerwall.complete",
           "beta.join", "dev.publish", "dev.update"]
A = {a: i for i, a in enumerate(ACTIONS)}
# target kinds
TK_APP, TK_REV, TK_ACCT, TK_SURF, TK_PEND, TK_TERM = 0, 1, 2, 3, 4, 5
SURFACES = ["play-android", "play-web"]
TERMS = ["puzzle", "vpn", "photo editor", "racing", "rpg", "calculator", "weather", "music",
         "fitness", "bible", "keyboard", "launcher", "pdf", "scanner", "chess", "solitaire",
         "casino", "slots", "match 3", "idle", "shooter", "football", "cricket", "anime",
         "translator", "bank", "wallet", "crypto", "dating", "chat", "video player", "recipes",
         "maps", "taxi", "food delivery", "shopping", "news", "podcast", "meditation", "sleep",
         "kids", "learn english", "math", "notes", "calendar", "flashlight", "cleaner", "antivirus",
         "ringtones", "wallpaper", "tower defense", "strategy", "simulator", "farm", "tycoon",
         "horror", "word game", "trivia", "drawing", "stickers"]
PRICES = np.array([0.99, 1.99, 2.99, 4.99, 9.99, 19.99, 49.99, 99.99])
PRICE_W = np.array([.30, .22, .12, .17, .10, .05, .025, .015])
# signal kinds
KINDS = ["gaid", "android_id", "device_model", "ip", "asn", "msisdn", "google_acct_email_sha",
         "pay_token", "billing_country"]
K = {k: i for i, k in enumerate(KINDS)}
ZERO_GAID = -1


def _models():
    out = ["SM-A155F", "SM-A145F", "SM-A255F", "SM-A135F", "SM-A125F", "SM-A057F", "SM-A546B",
           "SM-A346B", "SM-A356B", "SM-A556B", "SM-A047F", "SM-A035F", "SM-A245F", "SM-A536B",
           "SM-A325F", "SM-A225F", "SM-A515F", "SM-A505F", "SM-A105F", "SM-A207F"]
    out += [f"SM-G99{n}B" for n in range(1, 7)] + [f"SM-S91{n}B" for n in range(1, 9)]
    out += [f"SM-M{n}5F" for n in (1, 2, 3, 13, 14, 15, 33, 34, 53)]
    out += [f"Redmi Note {n}" for n in range(8, 14)] + [f"Redmi Note {n} Pro" for n in range(8, 14)]
    out += [f"Redmi {n}{s}" for n in range(9, 14) for s in ("", "A", "C")]
    out += [f"Pixel {n}{s}" for n in range(4, 9) for s in ("", "a", " Pro")]
    out += [f"moto g{n}" for n in (13, 14, 23, 24, 32, 34, 42, 52, 54, 62, 72, 84)]
    out += [f"moto e{n}" for n in (13, 14, 20, 22, 32, 40)]
    out += [f"vivo Y{n}" for n in (11, 12, 15, 16, 17, 20, 21, 22, 27, 33, 35, 36)]
    out += [f"OPPO A{n}" for n in (15, 16, 17, 38, 53, 54, 57, 58, 74, 78, 79)]
    out += [f"CPH{n}" for n in range(2001, 2030, 2)]
    out += [f"Infinix X{n}" for n in (657, 6515, 6516, 669, 670, 6528, 6711, 6525)]
    out += [f"TECNO {m}" for m in ("KG5", "KG6", "BF6", "KI5", "KJ5", "CK7", "LH7", "BG6")]
    out += [f"realme RMX{n}" for n in range(3261, 3300, 3)]
    out += [f"M{n}" for n in range(2101, 2130, 2)]
    out += [f"HUAWEI {m}" for m in ("P30", "P30 lite", "P40 lite", "Y6p", "Y7a", "nova 5T", "Mate 20")]
    out += [f"Nokia {m}" for m in ("G10", "G20", "G21", "C21", "C32", "X10", "5.4", "2.4", "3.4")]
    out += [f"SM-T{n}" for n in (220, 225, 500, 505, 290, 295, 510, 515, 630, 736)]
    out += [f"Lenovo TB-{m}" for m in ("X306F", "X606F", "8505F", "J606F", "X505F")]
    out += [f"ZTE Blade A{n}" for n in (31, 51, 52, 71, 72, 7)]
    out += [f"SM-J{n}" for n in ("260G", "400F", "415F", "530F", "600G", "610F", "710F", "730F")]
    out += [f"LG-{m}" for m in ("K420", "K520", "M700", "Q710", "H870", "H930")]
    out += [f"ASUS_{m}" for m in ("X00TD", "I005D", "AI2201", "Z01QD", "X018D")]
    out += [f"SO-{n:02d}{c}" for n in range(41, 54, 2) for c in ("L", "M")]
    out += [f"ONEPLUS A{n}" for n in (5000, 5010, 6000, 6003, 6010, 6013)]
    out += [f"Nothing A0{n}" for n in (63, 65, 142)]
    return list(dict.fromkeys(out))


MODELS = _models()


def splitmix(x):
    with np.errstate(over="ignore"):
        return _splitmix(x)


def _splitmix(x):
    x = (np.asarray(x).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15))
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


class Gen:
    def __init__(self, n_accounts, seed):
        self.N = int(n_accounts)
        self.seed = int(seed)
        self.s = self.N / 20000
        self.rng = np.random.default_rng([26, self.seed, self.N])
        self.ev = []      # event chunks
        self.sg = []      # signal chunks
        self.lk = []      # links (a, b, kind)
        self.n_rev = 0
        self.n_click = 0
        self.next_vnum = {k: 10_000_000 for k in KINDS}

    # ------------------------------------------------------------------ helpers
    def cnt(self, base, lo=1):
        return max(lo, int(round(base * self.s)))

    def new_vals(self, kind, k):
        v = self.next_vnum[kind]
        self.next_vnum[kind] += k
        return np.arange(v, v + k, dtype=np.int64)

    def diurnal(self, t, acct=None, ctry=None, prof=DIURNAL):
        """Move timestamps t to a diurnal local hour of their day, for accounts' countries."""
        t = np.asarray(t, dtype=np.int64)
        if ctry is None:
            ctry = self.ctry[acct]
        off = C_OFF[ctry].astype(np.int64)
        day = (t + off) // DAY
        hr = self.rng.choice(24, size=t.shape, p=prof)
        return day * DAY + hr * HOUR + self.rng.integers(0, HOUR, size=t.shape) - off

    def add_ev(self, a, act, tk, tn, ts, stars=0, amt=np.nan, ref=-1):
        a = np.atleast_1d(np.asarray(a, dtype=np.int64))
        n = len(a)
        if n == 0:
            return
        def b(x, dt):
            return np.broadcast_to(np.asarray(x, dtype=dt), (n,)).copy()
        act = b(A[act] if isinstance(act, str) else act, np.int16)
        self.ev.append(dict(a=a, act=act, tk=b(tk, np.int8), tn=b(tn, np.int64),
                            ts=b(ts, np.int64), stars=b(stars, np.int8), amt=b(amt, np.float64),
                            ref=b(ref, np.int64)))

    def add_sig(self, a, kind, v, seen):
        a = np.atleast_1d(np.asarray(a, dtype=np.int64))
        n = len(a)
        if n == 0:
            return
        self.sg.append(dict(a=a, k=np.full(n, K[kind], np.int8),
                            v=np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy(),
                            seen=np.broadcast_to(np.asarray(seen, dtype=np.int64), (n,)).copy()))

    def seen_between(self, a, lo=None, hi=None):
        a = np.asarray(a)
        lo_ = np.maximum(self.created[a], T0 - 400 * DAY) if lo is None else lo
        hi_ = T1 if hi is None else hi
        lo_ = np.minimum(lo_, hi_ - 60)
        return (lo_ + self.rng.random(len(a)) * (hi_ - lo_)).astype(np.int64)

    def reviews(self, k):
        r = np.arange(self.n_rev, self.n_rev + k, dtype=np.int64)
        self.n_rev += k
        return r

    def take(self, k):
        out = self.pool[self.pp:self.pp + k]
        if len(out) < k:
            raise RuntimeError("account pool exhausted; use more --accounts")
        self.pp += k
        return out

    def assign(self, idx, gid, kind, bad):
        self.gid[idx] = gid
        self.gkind[idx] = kind
        self.bad[idx] = bad

    def app_in(self, lo, hi, game=None, free_owner=False, exclude=()):
        """A random app with popularity rank in [lo, hi)."""
        if self.n_apps < 3000:
            f = self.n_apps / 3000
            lo, hi = int(lo * f), max(int(hi * f), int(lo * f) + 5)
        hi = min(hi, self.n_apps)
        lo = min(lo, hi - 1)
        for _ in range(500):
            x = int(self.rng.integers(lo, hi))
            if game is not None and self.is_game[x] != game:
                continue
            if x in exclude:
                continue
            if free_owner and self.gkind[self.owner[x]] is not None:
                continue
            if free_owner and self.app_used[x]:
                continue
            self.app_used[x] = True
            return x
        raise RuntimeError("no app found")

    # ------------------------------------------------------------------ setup
    def setup(self):
        r, N = self.rng, self.N
        self.n_dev = max(20, int(round(0.03 * N)))
        self.n_apps = max(400, int(3000 * self.s ** 0.85))
        na = self.n_apps
        self.atype = np.zeros(N, np.int8)
        self.atype[:self.n_dev] = 1
        self.ctry = r.choice(len(COUNTRIES), N, p=C_W)
        # created_at
        u = r.random(N)
        new = u < 0.12
        old_uni = (u >= 0.12) & (u < 0.40)
        cr = np.empty(N, np.int64)
        cr[new] = T0 + (r.random(new.sum()) * (NDAYS - 1) * DAY).astype(np.int64)
        cr[old_uni] = EPOCH_2012 + (r.random(old_uni.sum()) * (T0 - 400 * DAY - EPOCH_2012)).astype(np.int64)
        rest = ~(new | old_uni)
        age = np.minimum(r.exponential(650, rest.sum()) + 1, (T0 - EPOCH_2012) / DAY - 1)
        cr[rest] = T0 - (age * DAY).astype(np.int64)
        cr[:self.n_dev] = np.minimum(cr[:self.n_dev], T0 - 30 * DAY)
        self.created = self.diurnal(cr, ctry=self.ctry)
        self.created = np.clip(self.created, EPOCH_2012, T1 - HOUR)
        # activity
        lvl = r.lognormal(0, 1.15, N)
        dormant = r.random(N) < 0.2
        lvl[dormant] = r.random(dormant.sum()) * 0.04
        self.act = lvl
        self.own_sig = np.zeros(N, bool)
        self.stampable = np.ones(N, bool)
        self.payer = r.random(N) < 0.40
        self.home_ip = np.where(r.random(N) < 0.85, splitmix(np.arange(N) + 77 * self.seed + 1)
                                .astype(np.int64) % (2 ** 31) + 2 ** 30, -1)
        self.aid = self.new_vals("android_id", N)       # primary phone
        mp = 1.0 / (np.arange(len(MODELS)) + 2.0) ** 1.15
        self.model_p = mp / mp.sum()
        self.model = r.choice(len(MODELS), N, p=self.model_p)
        self.gid = np.full(N, None, dtype=object)
        self.gkind = np.full(N, None, dtype=object)
        self.bad = np.zeros(N, bool)
        # apps
        self.is_game = r.random(na) < 0.45
        self.quality = r.normal(0, 0.6, na)
        self.pop = 1.0 / (np.arange(na) + 3.0) ** 1.05
        self.pop /= self.pop.sum()
        dw = 1.0 / (np.arange(self.n_dev) + 2.0) ** 0.9
        base = r.permutation(self.n_dev)[:na]
        extra = r.choice(self.n_dev, na - len(base), p=dw / dw.sum())
        self.owner = r.permutation(np.concatenate([base, extra]))
        self.pub = np.full(na, T0 - 400 * DAY, np.int64)
        late = (np.arange(na) > na * 0.3) & (r.random(na) < 0.08)
        self.pub[late] = T0 + (r.random(late.sum()) * 80 * DAY).astype(np.int64)
        self.app_used = np.zeros(na, bool)
        self.pool = r.permutation(np.arange(self.n_dev, N))
        self.pp = 0
        # shared infrastructure
        # carrier NAT pools: per country, sizes zipf (the biggest get thousands)
        self.nat_ip = []
        self.nat_p = []
        for c in range(len(COUNTRIES)):
            k = max(6, int(14 * self.s ** 0.5))
            ips = (splitmix(np.arange(k) + 1000 * c + 5_000_000 + self.seed) % (2 ** 28)).astype(np.int64) + 100 * 2 ** 24
            p = 1.0 / (np.arange(k) + 1.0) ** 1.3
            self.nat_ip.append(ips)
            self.nat_p.append(p / p.sum())
        self.vpn_ip = (splitmix(np.arange(25) + 9_000_000 + self.seed) % 2 ** 16).astype(np.int64) + 185 * 2 ** 24 + 2 ** 22
        self.dc_asn = np.array([24940, 16276, 14061, 20473, 63949, 9009, 60068, 212238])
        self.vpn_asn = self.dc_asn[np.arange(25) % len(self.dc_asn)]

    # ------------------------------------------------------------------ organic
    def organic(self):
        r, N = self.rng, self.N
        start = np.maximum(self.created, T0)
        span = np.maximum(T1 - start, HOUR)
        frac = span / (NDAYS * DAY)
        mean = 88 * self.act * frac
        n = r.poisson(mean)
        idx = np.arange(N)
        # library
        L = 2 + r.poisson(np.minimum(n / 12.0, 40))
        L[mean < 0.05] = r.integers(0, 3, (mean < 0.05).sum())
        L[self.act == 0] = 0
        la = np.repeat(idx, L)
        lapp = r.choice(self.n_apps, len(la), p=self.pop)
        key = np.unique(la * self.n_apps + lapp)
        la, lapp = key // self.n_apps, key % self.n_apps
        nl = len(la)
        pre = (r.random(nl) < 0.45) & (self.created[la] < T0)
        inst = start[la] + (r.random(nl) * span[la]).astype(np.int64)
        inst = self.diurnal(inst, la)
        inst = np.where(pre, T0 - 1, inst)
        pub = self.pub[lapp]
        inst = np.where(inst < pub, pub + (r.random(nl) * 3 * DAY).astype(np.int64), inst)
        ok = inst < T1
        la, lapp, inst, pre = la[ok], lapp[ok], inst[ok], pre[ok]
        nl = len(la)
        m = ~pre
        self.add_ev(la[m], "app.install", TK_APP, lapp[m], inst[m])
        # opens: pick a library slot of the account
        lstart = np.searchsorted(la, idx)
        lcount = np.bincount(la, minlength=N)
        n_open = np.where(lcount > 0, (0.55 * n).astype(np.int64), 0)
        oa = np.repeat(idx, n_open)
        slot = lstart[oa] + (r.random(len(oa)) * lcount[oa]).astype(np.int64)
        ib = np.maximum(inst[slot], T0)
        ots = ib + (r.random(len(oa)) * (T1 - ib)).astype(np.int64)
        ots = self.diurnal(ots, oa)
        ots = np.maximum(ots, ib + 60)
        self.add_ev(oa, "app.open", TK_APP, lapp[slot], ots)
        # uninstalls
        un = m & (r.random(nl) < 0.22)
        uts = inst[un] + (r.random(un.sum()) * (T1 - inst[un])).astype(np.int64)
        self.add_ev(la[un], "app.uninstall", TK_APP, lapp[un], uts)
        # ratings + reviews
        rt = r.random(nl) < 0.10
        rts = np.where(pre[rt], start[la[rt]] + (r.random(rt.sum()) * span[la[rt]]).astype(np.int64),
                       inst[rt] + (r.exponential(3, rt.sum()) * DAY).astype(np.int64))
        ra, rapp = la[rt], lapp[rt]
        rts = np.maximum(self.diurnal(rts, ra), np.maximum(inst[rt], T0) + 600)
        keep = rts < T1
        ra, rapp, rts = ra[keep], rapp[keep], rts[keep]
        stars = np.clip(np.round(4.0 + 0.9 * self.quality[rapp] + r.normal(0, 1.1, len(ra))), 1, 5)
        self.add_ev(ra, "rating.submit", TK_APP, rapp, rts, stars=stars)
        rv = r.random(len(ra)) < 0.35
        k = int(rv.sum())
        self.add_ev(ra[rv], "review.post", TK_APP, rapp[rv], rts[rv] + r.integers(20, 600, k),
                    ref=self.reviews(k))

        def simple(frac_, act, tk, tgt_fn, who=None, amt=np.nan):
            cnts = r.poisson(frac_ * n) if who is None else np.where(who, r.poisson(frac_ * n), 0)
            ea = np.repeat(idx, cnts)
            ts = start[ea] + (r.random(len(ea)) * span[ea]).astype(np.int64)
            ts = self.diurnal(ts, ea)
            self.add_ev(ea, act, tk, tgt_fn(len(ea)), ts,
                        amt=amt(len(ea)) if callable(amt) else amt)
            return ea, ts

        tp = 1.0 / (np.arange(len(TERMS)) + 1.0)
        tp /= tp.sum()
        simple(0.09, "search", TK_TERM, lambda k: r.choice(len(TERMS), k, p=tp))
        simple(0.05, "login", TK_SURF, lambda k: (r.random(k) < 0.15).astype(np.int64))
        simple(0.03, "review.helpful", TK_PEND, lambda k: np.zeros(k, np.int64))
        simple(0.02, "wishlist.add", TK_APP, lambda k: r.choice(self.n_apps, k, p=self.pop))
        # purchases on games in the library
        pc = np.where(self.payer & (lcount > 0), r.poisson(0.025 * n), 0)
        pa = np.repeat(idx, pc)
        slot = lstart[pa] + (r.random(len(pa)) * lcount[pa]).astype(np.int64)
        papp = lapp[slot]
        ib = np.maximum(inst[slot], T0)
        pts = self.diurnal(ib + (r.random(len(pa)) * (T1 - ib)).astype(np.int64), pa)
        pts = np.maximum(pts, ib + 120)
        amt = r.choice(PRICES, len(pa), p=PRICE_W)
        self.add_ev(pa, "iap.purchase", TK_APP, papp, pts, amt=amt)
        rf = r.random(len(pa)) < 0.025
        self.add_ev(pa[rf], "iap.refund", TK_APP, papp[rf], pts[rf] + r.integers(HOUR, 40 * HOUR, rf.sum()),
                    amt=amt[rf])
        dc = r.random(len(pa)) < 0.02
        self.add_ev(pa[dc], "iap.decline", TK_APP, papp[dc], pts[dc] - r.integers(10, 300, dc.sum()), amt=amt[dc])
        # offerwall users (honest)
        ow = (r.random(N) < 0.06) & (n > 3)
        oc = np.where(ow, r.integers(1, 7, N), 0)
        oa = np.repeat(idx, oc)
        oapp = r.integers(50, min(1500, self.n_apps), len(oa))
        ots = self.diurnal(start[oa] + (r.random(len(oa)) * span[oa]).astype(np.int64), oa)
        ots = np.maximum(ots, self.pub[oapp] + HOUR)
        self.add_offerwall(oa, oapp, ots, uninstall_p=0.5)
        # gifts to a random friend
        gs = r.random(N) < 0.01
        ga = np.repeat(idx, np.where(gs, r.integers(1, 3, N), 0))
        friends = np.flatnonzero(~self.bad & ~self.own_sig)
        gto = friends[r.integers(0, len(friends), len(ga))]
        gto = np.where(gto == ga, friends[0] if friends[0] != 0 else friends[1], gto)
        gts = self.diurnal(start[ga] + (r.random(len(ga)) * span[ga]).astype(np.int64), ga)
        gts = np.maximum(gts, self.created[gto] + HOUR)
        gam = r.choice([10.0, 15.0, 25.0, 50.0], len(ga))
        self.add_ev(ga, "gift.send", TK_ACCT, gto, gts, amt=gam)
        self.add_ev(gto, "gift.redeem", TK_ACCT, ga, gts + r.integers(600, 3 * DAY, len(ga)), amt=gam)
        # developers: updates and publishes
        rank = np.arange(self.n_apps)
        nu = r.poisson(np.clip(9.0 - 1.6 * np.log1p(rank), 0.3, 9))
        ua = np.repeat(rank, nu)
        uts = np.maximum(self.pub[ua], T0) + (r.random(len(ua)) * (T1 - np.maximum(self.pub[ua], T0))).astype(np.int64)
        uts = self.diurnal(uts, self.owner[ua], prof=WORK)
        self.add_ev(self.owner[ua], "dev.update", TK_APP, ua, uts)
        lp = self.pub >= T0
        self.add_ev(self.owner[lp], "dev.publish", TK_APP, np.flatnonzero(lp), self.pub[lp])

    def add_offerwall(self, a, app, ts, uninstall_p=0.9, fast=False):
        r = self.rng
        k = len(a)
        if k == 0:
            return
        self.add_ev(a, "app.install", TK_APP, app, ts)
        o1 = ts + r.integers(60, 1200, k)
        self.add_ev(a, "app.open", TK_APP, app, o1)
        second = r.random(k) < 0.6
        self.add_ev(a[second], "app.open", TK_APP, app[second], o1[second] + r.integers(600, 8 * HOUR, second.sum()))
        cts = o1 + r.integers(300, 6 * HOUR, k)
        clicks = np.arange(self.n_click, self.n_click + k)
        self.n_click += k
        self.add_ev(a, "offerwall.complete", TK_APP, app, cts, amt=np.round(r.uniform(0.05, 0.6, k), 2), ref=clicks)
        un = r.random(k) < uninstall_p
        lag = r.integers(2 * HOUR, 22 * HOUR, un.sum()) if fast else r.integers(HOUR, 20 * DAY, un.sum())
        self.add_ev(a[un], "app.uninstall", TK_APP, app[un], cts[un] + lag)

    def organic_signals(self):
        r, N = self.rng, self.N
        idx = np.flatnonzero(~self.own_sig)
        n = len(idx)
        sb = lambda a: self.seen_between(a)
        # devices
        two = r.random(n) < 0.18
        a2 = idx[two]
        self.add_sig(idx, "android_id", self.aid[idx], sb(idx))
        self.add_sig(idx, "device_model", self.model[idx], sb(idx))
        self.add_sig(a2, "android_id", self.new_vals("android_id", len(a2)), sb(a2))
        self.add_sig(a2, "device_model", r.choice(len(MODELS), len(a2), p=self.model_p), sb(a2))
        # gaid
        g = 1 + (r.random(n) < 0.25) + (r.random(n) < 0.07) + two
        ga = np.repeat(idx, g)
        gv = self.new_vals("gaid", len(ga))
        lat = np.repeat(r.random(n) < 0.07, g)
        gv[lat] = ZERO_GAID
        self.add_sig(ga, "gaid", gv, sb(ga))
        # ips
        h = idx[self.home_ip[idx] >= 0]
        self.add_sig(h, "ip", self.home_ip[h], sb(h))
        self.add_sig(h, "asn", 7000 + self.ctry[h] * 10 + self.home_ip[h] % 5, sb(h))
        car = idx[r.random(n) < 0.70]
        nat = np.empty(len(car), np.int64)
        for c in range(len(COUNTRIES)):
            m = self.ctry[car] == c
            nat[m] = r.choice(self.nat_ip[c], m.sum(), p=self.nat_p[c])
        self.add_sig(car, "ip", nat, sb(car))
        self.add_sig(car, "asn", 21000 + self.ctry[car] * 10 + nat % 3, sb(car))
        mi = np.repeat(idx, r.poisson(0.8, n))
        mip = r.integers(2 ** 30, 2 ** 31, len(mi))
        self.add_sig(mi, "ip", mip, sb(mi))
        vpn = idx[r.random(n) < 0.04]
        vi = r.integers(0, len(self.vpn_ip), len(vpn))
        self.add_sig(vpn, "ip", self.vpn_ip[vi], sb(vpn))
        self.add_sig(vpn, "asn", self.vpn_asn[vi], sb(vpn))
        # phone
        ph = idx[r.random(n) < 0.65]
        pv = self.new_vals("msisdn", len(ph))
        rec = r.random(len(ph)) < 0.02
        donor = r.integers(0, len(ph), rec.sum())
        pv[rec] = pv[donor]
        self.add_sig(ph, "msisdn", pv, sb(ph))
        self.add_sig(idx, "google_acct_email_sha", idx, sb(idx))
        # payment
        p = idx[self.payer[idx]]
        self.add_sig(p, "pay_token", p * 4, sb(p))
        p2 = p[r.random(len(p)) < 0.2]
        self.add_sig(p2, "pay_token", p2 * 4 + 1, sb(p2))
        bc = np.where(r.random(len(p)) < 0.03, r.integers(0, len(COUNTRIES), len(p)), self.ctry[p])
        self.add_sig(p, "billing_country", bc, sb(p))

    # ------------------------------------------------------------------ bad groups
    def new_accounts(self, k, created, country=None, act=0.0, own=True):
        a = self.take(k)
        self.created[a] = np.clip(created, EPOCH_2012, T1 - HOUR)
        if country is not None:
            self.ctry[a] = country
        self.act[a] = act
        self.own_sig[a] = own
        self.stampable[a] = False
        self.payer[a] = False
        return a

    def bursts(self, k, centers, width):
        r = self.rng
        b = r.integers(0, len(centers), k)
        return np.asarray(centers)[b] + np.sort(r.integers(0, width, k))

    def install_farms(self):
        r = self.rng
        nf = self.cnt(6)
        for f in range(nf):
            careful = f % 2 == 1
            var = "careful" if careful else "blunt"
            gid = f"install_farm-{f}-{var}"
            n = int(r.integers(25, 111))
            geo = int(r.choice(len(COUNTRIES), p=C_W))
            if careful:
                cr = T0 - r.integers(30, 240, n) * DAY + r.integers(0, DAY, n)
                cr = np.where(r.random(n) < 0.1, T0 + r.integers(0, 30 * DAY, n), cr)
                a = self.new_accounts(n, self.diurnal(cr, ctry=np.full(n, geo)), geo, act=r.uniform(0.15, 0.4))
            else:
                cen = T0 + r.integers(-45, 20, int(r.integers(2, 5))) * DAY + r.integers(0, DAY)
                cr = self.bursts(n, cen, 1800) + r.integers(0, 20, n)
                a = self.new_accounts(n, cr, geo, act=0.03)
            self.assign(a, gid, "install_farm", True)
            # clients
            nc = int(r.integers(3, 7))
            apps = []
            for _ in range(nc):
                x = self.app_in(400, 3000, free_owner=True)
                apps.append(x)
                o = self.owner[x]
                self.assign(o, None, "install_client", True)
            apps = np.array(apps)
            # signals
            if careful:
                g = r.integers(1, 3, n)
                models = r.choice(30, int(r.integers(3, 7)), replace=False)
                prox = self.home_ip[r.choice(self.pool[self.pp:], 3 * n)]
                prox = prox[prox >= 0]
            else:
                g = r.integers(2, 7, n)
                models = r.choice(np.arange(120, len(MODELS)), int(r.integers(2, 4)), replace=False)
                base24 = int(r.integers(0, 2 ** 16)) * 256 + 45 * 2 ** 24
                dcpool = base24 + r.choice(256, int(r.integers(8, 25)), replace=False)
                sms = self.new_vals("msisdn", int(r.integers(2, 7)))
            ga = np.repeat(a, g)
            self.add_sig(ga, "gaid", self.new_vals("gaid", len(ga)), self.seen_between(ga))
            self.add_sig(a, "android_id", self.new_vals("android_id", n), self.seen_between(a))
            self.add_sig(a, "device_model", models[r.integers(0, len(models), n)], self.seen_between(a))
            self.add_sig(a, "google_acct_email_sha", a, self.created[a] + 60)
            if careful:
                ia = np.repeat(a, r.integers(2, 5, n))
                self.add_sig(ia, "ip", prox[r.integers(0, len(prox), len(ia))], self.seen_between(ia))
                self.add_sig(a, "asn", 7000 + geo * 10 + r.integers(0, 5, n), self.seen_between(a))
                c = a[r.random(n) < 0.5]
                self.add_sig(c, "ip", r.choice(self.nat_ip[geo], len(c), p=self.nat_p[geo]), self.seen_between(c))
                ph = a[r.random(n) < 0.2]
                self.add_sig(ph, "msisdn", self.new_vals("msisdn", len(ph)), self.created[ph] + 30)
            else:
                ia = np.repeat(a, r.integers(2, 6, n))
                self.add_sig(ia, "ip", dcpool[r.integers(0, len(dcpool), len(ia))], self.seen_between(ia))
                self.add_sig(a, "asn", self.dc_asn[f % len(self.dc_asn)], self.seen_between(a))
                ph = a[r.random(n) < 0.33]
                self.add_sig(ph, "msisdn", sms[r.integers(0, len(sms), len(ph))], self.created[ph] + 30)
            # jobs
            nj = int(r.integers(15, 36))
            jt = np.sort(T0 + (r.random(nj) * (NDAYS - 2) * DAY).astype(np.int64))
            for t in jt:
                app = int(apps[r.integers(0, nc)])
                t = max(int(t), int(self.pub[app]) + HOUR)
                p = r.uniform(0.10, 0.35) if careful else r.uniform(0.6, 0.95)
                w = a[(r.random(n) < p) & (self.created[a] < t)]
                k = len(w)
                if k == 0:
                    continue
                if careful:
                    its = t + r.integers(0, int(r.integers(6, 25)) * HOUR, k)
                    its = np.maximum(self.diurnal(its, w), t)
                else:
                    its = t + r.integers(0, 2 * HOUR, k)
                self.add_ev(w, "login", TK_SURF, 0, its - r.integers(5, 300, k))
                self.add_ev(w, "app.install", TK_APP, app, its)
                no = r.integers(1, 5, k)
                oa = np.repeat(w, no)
                ots = np.repeat(its, no) + r.integers(60, (5 if careful else 2) * DAY, len(oa))
                self.add_ev(oa, "app.open", TK_APP, app, ots)
                rt = r.random(k) < (0.15 if careful else 0.3)
                self.add_ev(w[rt], "rating.submit", TK_APP, app, its[rt] + r.integers(HOUR, 30 * HOUR, rt.sum()),
                            stars=np.where(r.random(rt.sum()) < 0.9, 5, 4))
                rv = rt & (r.random(k) < 0.15)
                self.add_ev(w[rv], "review.post", TK_APP, app, its[rv] + r.integers(31 * HOUR, 40 * HOUR, rv.sum()),
                            ref=self.reviews(int(rv.sum())))
                un = r.random(k) < 0.5
                self.add_ev(w[un], "app.uninstall", TK_APP, app, its[un] + r.integers(2 * DAY, 7 * DAY, un.sum()))

    def incentivized_crews(self):
        r = self.rng
        for c in range(self.cnt(4)):
            gid = f"incentivized_install_crew-{c}"
            n = int(r.integers(40, 141))
            a = self.take(n)
            self.act[a] = np.maximum(self.act[a], r.uniform(0.5, 1.5, n))
            self.assign(a, gid, "incentivized_install_crew", True)
            pj = r.uniform(0.10, 0.30, n)
            nc = int(r.integers(15, 31))
            for _ in range(nc):
                app = self.app_in(100, 1500)
                t0 = max(T0 + int(r.random() * (NDAYS - 4) * DAY), int(self.pub[app]) + HOUR)
                dur = int(r.integers(1, 4)) * DAY
                w = a[(r.random(n) < pj) & (self.created[a] < t0)]
                ts = self.diurnal(t0 + r.integers(0, dur, len(w)), w)
                ts = np.clip(ts, t0, t0 + dur)
                self.add_offerwall(w, np.full(len(w), app), ts, uninstall_p=0.92, fast=True)

    def rating_rings(self):
        r = self.rng
        for g in range(self.cnt(12)):
            shared = g % 2 == 0
            gid = f"rating_ring-{g}-{'shared' if shared else 'separate'}"
            x = self.app_in(150, 1200, free_owner=True)
            dev = int(self.owner[x])
            own_apps = [y for y in np.flatnonzero(self.owner == dev) if self.pub[y] < T1 - 20 * DAY][:3]
            if x not in own_apps:
                own_apps = [x] + own_apps[:2]
            comp = [self.app_in(20, 300, exclude=set(own_apps)) for _ in range(int(r.integers(1, 3)))]
            nalt = int(r.integers(5, 16))
            ncamp = int(r.integers(1, 4))
            camps = np.sort(T0 + (r.random(ncamp) * (NDAYS - 10) * DAY).astype(np.int64))
            camps = np.maximum(camps, max(self.pub[y] for y in own_apps) + DAY)
            new = r.random(nalt) < 0.65
            cr = np.where(new, camps[0] - r.integers(DAY, 21 * DAY, nalt),
                          T0 - r.integers(365, 3 * 365, nalt) * DAY)
            ctry = np.where(r.random(nalt) < 0.8, self.ctry[dev], r.choice(len(COUNTRIES), nalt, p=C_W))
            alts = self.new_accounts(nalt, self.diurnal(cr, ctry=ctry), ctry, act=r.uniform(0.05, 0.3))
            self.assign(alts, gid, "rating_ring", True)
            self.assign(dev, gid, "rating_ring", True)
            # signals
            share = (r.random(nalt) < r.uniform(0.3, 0.7)) if shared else np.zeros(nalt, bool)
            if shared and not share.any():
                share[0] = True
            sa, oa = alts[share], alts[~share]
            self.add_sig(sa, "android_id", self.aid[dev], self.seen_between(sa))
            self.add_sig(sa, "device_model", self.model[dev], self.seen_between(sa))
            hip = self.home_ip[dev] if self.home_ip[dev] >= 0 else int(r.integers(2 ** 30, 2 ** 31))
            self.add_sig(sa, "ip", hip, self.seen_between(sa))
            self.add_sig(oa, "android_id", self.new_vals("android_id", len(oa)), self.seen_between(oa))
            self.add_sig(oa, "device_model", r.choice(len(MODELS), len(oa), p=self.model_p), self.seen_between(oa))
            self.add_sig(oa, "ip", r.integers(2 ** 30, 2 ** 31, len(oa)), self.seen_between(oa))
            ca = alts[r.random(nalt) < 0.6]
            cc = self.ctry[ca]
            self.add_sig(ca, "ip", np.array([r.choice(self.nat_ip[c], p=self.nat_p[c]) for c in cc], dtype=np.int64),
                         self.seen_between(ca))
            self.add_sig(alts, "gaid", self.new_vals("gaid", nalt), self.seen_between(alts))
            self.add_sig(alts, "google_acct_email_sha", alts, self.created[alts] + 60)
            ph = alts[r.random(nalt) < 0.4]
            self.add_sig(ph, "msisdn", self.new_vals("msisdn", len(ph)), self.created[ph] + 60)
            # campaigns
            my_reviews = []
            for c in camps:
                upd = own_apps[int(r.integers(0, len(own_apps)))]
                self.add_ev(dev, "dev.update", TK_APP, upd, int(c))
                part = alts[(r.random(nalt) < 0.85) & (self.created[alts] < c)]
                for ap in own_apps:
                    k = len(part)
                    its = self.diurnal(c + r.integers(HOUR, 3 * DAY, k), part)
                    its = np.maximum(its, c + 600)
                    self.add_ev(part, "app.install", TK_APP, ap, its)
                    self.add_ev(part, "app.open", TK_APP, ap, its + r.integers(60, 3 * HOUR, k))
                    rts = its + r.integers(2 * HOUR, 2 * DAY, k)
                    self.add_ev(part, "rating.submit", TK_APP, ap, rts, stars=5)
                    rv = r.random(k) < 0.2
                    ids = self.reviews(int(rv.sum()))
                    self.add_ev(part[rv], "review.post", TK_APP, ap, rts[rv] + r.integers(30, 900, rv.sum()), ref=ids)
                    my_reviews += list(zip(ids, rts[rv]))
                for cp in comp:
                    sub = part[r.random(len(part)) < 0.8]
                    k = len(sub)
                    its = self.diurnal(c + r.integers(HOUR, 4 * DAY, k), sub)
                    its = np.maximum(its, c + 600)
                    inst = r.random(k) < 0.5
                    self.add_ev(sub[inst], "app.install", TK_APP, cp, its[inst] - r.integers(600, 4 * HOUR, inst.sum()))
                    self.add_ev(sub, "rating.submit", TK_APP, cp, its, stars=1)
                    rv = r.random(k) < 0.15
                    ids = self.reviews(int(rv.sum()))
                    self.add_ev(sub[rv], "review.post", TK_APP, cp, its[rv] + r.integers(30, 900, rv.sum()), ref=ids)
                    my_reviews += list(zip(ids, its[rv]))
            if g % 4 < 2 and my_reviews:
                for rid, t in my_reviews:
                    h = alts[r.random(nalt) < 0.4]
                    self.add_ev(h, "review.helpful", TK_REV, rid, t + r.integers(HOUR, 2 * DAY, len(h)))

    def review_bombs(self):
        r = self.rng
        for g in range(self.cnt(3)):
            gid = f"review_bomb_attack-{g}"
            x = self.app_in(15, 400, free_owner=True)
            T = T0 + int(r.uniform(15, NDAYS - 5) * DAY)
            T = int(self.diurnal(np.array([T]), ctry=np.array([self.ctry[self.owner[x]]]), prof=WORK)[0])
            self.add_ev(self.owner[x], "dev.update", TK_APP, x, T)
            n = int(r.integers(20, 81))
            new = r.random(n) < 0.75
            cen = T - r.integers(12 * HOUR, 72 * HOUR, int(r.integers(1, 4)))
            cr = np.where(new, self.bursts(n, cen, int(r.integers(600, 2400))),
                          T0 - r.integers(180, 720, n) * DAY)
            geo = int(r.choice(len(COUNTRIES), p=C_W))
            ctry = np.where(r.random(n) < 0.7, geo, r.choice(len(COUNTRIES), n, p=C_W))
            a = self.new_accounts(n, cr, ctry, act=np.where(new, 0.0, 0.1))
            self.assign(a, gid, "review_bomb_attack", True)
            # signals: 2-6 accounts per phone for the new ones, own phones for the aged ones
            na_ = a[new]
            ndev = max(1, len(na_) // 4)
            dv = self.new_vals("android_id", ndev)
            dm = r.choice(len(MODELS), ndev, p=self.model_p)
            which = r.integers(0, ndev, len(na_))
            self.add_sig(na_, "android_id", dv[which], self.seen_between(na_))
            self.add_sig(na_, "device_model", dm[which], self.seen_between(na_))
            oa = a[~new]
            self.add_sig(oa, "android_id", self.new_vals("android_id", len(oa)), self.seen_between(oa))
            self.add_sig(oa, "device_model", r.choice(len(MODELS), len(oa), p=self.model_p), self.seen_between(oa))
            self.add_sig(a, "gaid", self.new_vals("gaid", n), self.seen_between(a))
            self.add_sig(a, "google_acct_email_sha", a, self.created[a] + 60)
            vi = r.choice(len(self.vpn_ip), int(r.integers(5, 16)), replace=False)
            va = np.repeat(a, r.integers(1, 3, n))
            vv = vi[r.integers(0, len(vi), len(va))]
            self.add_sig(va, "ip", self.vpn_ip[vv], T - r.integers(0, 3 * DAY, len(va)))
            self.add_sig(va, "asn", self.vpn_asn[vv], T - r.integers(0, 3 * DAY, len(va)))
            ca = oa
            self.add_sig(ca, "ip", r.choice(self.nat_ip[geo], len(ca), p=self.nat_p[geo]), self.seen_between(ca))
            # attack
            rts = T + np.minimum(r.exponential(3 * HOUR, n), 12 * HOUR).astype(np.int64) + 600
            self.add_ev(a, "login", TK_SURF, 0, rts - r.integers(300, 3600, n))
            ins = r.random(n) < 0.6
            self.add_ev(a[ins], "app.install", TK_APP, x, rts[ins] - r.integers(120, 1800, ins.sum()))
            self.add_ev(a, "rating.submit", TK_APP, x, rts, stars=np.where(r.random(n) < 0.93, 1, 2))
            rv = r.random(n) < 0.75
            ids = self.reviews(int(rv.sum()))
            rvts = rts[rv] + r.integers(30, 900, rv.sum())
            self.add_ev(a[rv], "review.post", TK_APP, x, rvts, ref=ids)
            if len(ids):
                for i, acc in enumerate(a):
                    kk = int(r.integers(1, 7))
                    pick = r.integers(0, len(ids), kk)
                    self.add_ev(np.full(kk, acc), "review.helpful", TK_REV, ids[pick],
                                np.maximum(rvts[pick], rts[i]) + r.integers(300, 10 * HOUR, kk))

    def refund_rings(self):
        r = self.rng
        for g in range(self.cnt(5)):
            gid = f"refund_abuse_ring-{g}"
            n = int(r.integers(6, 21))
            geo = int(r.choice(len(COUNTRIES), p=C_W))
            cr = T0 - int(r.integers(0, 60)) * DAY + r.integers(0, 56 * DAY, n)
            a = self.new_accounts(n, self.diurnal(cr, ctry=np.full(n, geo)), geo, act=0.3)
            self.assign(a, gid, "refund_abuse_ring", True)
            toks = self.new_vals("pay_token", int(r.integers(1, 4)))
            phones = self.new_vals("msisdn", int(r.integers(1, 4)))
            devs = self.new_vals("android_id", int(r.integers(2, 6)))
            dmod = r.choice(len(MODELS), len(devs), p=self.model_p)
            homes = r.integers(2 ** 30, 2 ** 31, int(r.integers(1, 4)))
            dev_of = r.integers(0, len(devs), n)
            sb = self.seen_between
            for kind, vals, per in (("pay_token", toks, (1, 3)), ("msisdn", phones, (1, 2)), ("ip", homes, (1, 3))):
                m = np.repeat(a, r.integers(per[0], per[1], n))
                self.add_sig(m, kind, vals[r.integers(0, len(vals), len(m))], sb(m))
            self.add_sig(a, "android_id", devs[dev_of], sb(a))
            self.add_sig(a, "device_model", dmod[dev_of], sb(a))
            x2 = a[r.random(n) < 0.3]
            self.add_sig(x2, "android_id", devs[r.integers(0, len(devs), len(x2))], sb(x2))
            self.add_sig(np.repeat(a, 2), "gaid", self.new_vals("gaid", 2 * n), sb(np.repeat(a, 2)))
            self.add_sig(a, "google_acct_email_sha", a, self.created[a] + 60)
            self.add_sig(a, "billing_country", geo, sb(a))
            c = a[r.random(n) < 0.6]
            self.add_sig(c, "ip", r.choice(self.nat_ip[geo], len(c), p=self.nat_p[geo]), sb(c))
            games = [self.app_in(5, 200, game=True) for _ in range(int(r.integers(3, 9)))]
            refund_p = r.uniform(0.65, 0.85)
            ns = int(r.integers(20, 50))
            for _ in range(ns):
                t = int(self.diurnal(np.array([T0 + int(r.random() * (NDAYS - 2) * DAY)]), ctry=np.array([geo]))[0])
                w = a[r.choice(n, min(n, int(r.integers(2, 6))), replace=False)]
                w = w[self.created[w] < t]
                k = len(w)
                if k == 0:
                    continue
                gm = games[int(r.integers(0, len(games)))]
                ts = t + r.integers(0, 40 * 60, k)
                self.add_ev(w, "app.open", TK_APP, gm, ts - r.integers(60, 900, k))
                np_ = r.integers(1, 4, k)
                pa = np.repeat(w, np_)
                pts = np.repeat(ts, np_) + r.integers(0, 1200, len(pa))
                amt = r.choice(PRICES[3:], len(pa), p=[.3, .3, .25, .1, .05])
                self.add_ev(pa, "iap.purchase", TK_APP, gm, pts, amt=amt)
                rf = r.random(len(pa)) < refund_p
                self.add_ev(pa[rf], "iap.refund", TK_APP, gm, pts[rf] + r.integers(HOUR, 46 * HOUR, rf.sum()), amt=amt[rf])

    def gift_laundering(self):
        r = self.rng
        for g in range(self.cnt(4)):
            gid = f"gift_card_laundering-{g}"
            geo = int(r.choice(len(COUNTRIES), p=C_W))
            nc = int(r.integers(2, 5))
            col = self.new_accounts(nc, T0 - r.integers(200, 800, nc) * DAY, geo, act=0.4)
            nb = int(r.integers(10, 31))
            cen = T0 + r.integers(5, NDAYS - 10, int(r.integers(1, 4))) * DAY + r.integers(0, DAY)
            buy = self.new_accounts(nb, self.bursts(nb, cen, 1500), geo, act=0.0)
            a = np.concatenate([col, buy])
            self.assign(a, gid, "gift_card_laundering", True)
            sb = self.seen_between
            # collectors: one home, shared phones, own card
            home = int(r.integers(2 ** 30, 2 ** 31))
            self.add_sig(col, "ip", home, sb(col))
            cd = self.new_vals("android_id", max(1, nc - 1))
            w = cd[r.integers(0, len(cd), nc)]
            self.add_sig(col, "android_id", w, sb(col))
            self.add_sig(col, "device_model", r.choice(len(MODELS), p=self.model_p), sb(col))
            self.add_sig(col, "gaid", self.new_vals("gaid", nc), sb(col))
            self.add_sig(col, "google_acct_email_sha", col, self.created[col] + 60)
            self.add_sig(col, "pay_token", self.new_vals("pay_token", nc), sb(col))
            self.add_sig(col, "msisdn", self.new_vals("msisdn", nc), sb(col))
            # buyers: stolen tokens, proxies
            nt = max(2, nb // 2)
            toks = self.new_vals("pay_token", nt)
            ba = np.repeat(buy, r.integers(1, 4, nb))
            self.add_sig(ba, "pay_token", toks[r.integers(0, nt, len(ba))], self.created[ba] + r.integers(60, 3600, len(ba)))
            foreign = (geo + r.integers(1, len(COUNTRIES), nb)) % len(COUNTRIES)
            self.add_sig(buy, "billing_country", foreign, self.created[buy] + 120)
            prox = self.home_ip[r.choice(self.pool[self.pp:], nb)]
            prox = np.where(prox < 0, r.integers(2 ** 30, 2 ** 31, nb), prox)
            self.add_sig(buy, "ip", prox, self.created[buy] + 30)
            mods = r.choice(len(MODELS), int(r.integers(1, 3)), replace=False)
            self.add_sig(buy, "device_model", mods[r.integers(0, len(mods), nb)], self.created[buy] + 30)
            self.add_sig(buy, "android_id", self.new_vals("android_id", nb), self.created[buy] + 30)
            self.add_sig(buy, "gaid", self.new_vals("gaid", nb), self.created[buy] + 30)
            self.add_sig(buy, "google_acct_email_sha", buy, self.created[buy])
            # behaviour
            self.add_ev(buy, "login", TK_SURF, 0, self.created[buy] + r.integers(60, 1800, nb))
            for i, b in enumerate(buy):
                t = self.created[b] + int(r.integers(HOUR, 3 * DAY))
                nd = int(r.poisson(1.5))
                self.add_ev(np.full(nd, b), "iap.decline", TK_APP, self.app_in(0, 100, game=True),
                            t - r.integers(60, 600, nd), amt=50.0)
                ng = int(r.integers(1, 6))
                to = col[r.integers(0, nc, ng)]
                gts = t + np.sort(r.integers(0, 4 * HOUR, ng))
                amt = r.choice([25.0, 50.0, 100.0], ng)
                self.add_ev(np.full(ng, b), "gift.send", TK_ACCT, to, gts, amt=amt)
                rts = gts + r.integers(300, 8 * HOUR, ng)
                self.add_ev(to, "gift.redeem", TK_ACCT, np.full(ng, b), rts, amt=amt)
                games = np.array([self.app_in(0, 300, game=True) for _ in range(2)])
                for j in range(ng):
                    k = int(r.integers(1, 5))
                    self.add_ev(np.full(k, to[j]), "iap.purchase", TK_APP, games[r.integers(0, 2, k)],
                                rts[j] + r.integers(600, 2 * DAY, k), amt=r.choice(PRICES[3:7], k))

    def lone(self):
        r = self.rng
        sb = self.seen_between
        for i in range(self.cnt(15)):
            a = int(self.take(1)[0])
            self.assign(a, None, "lone_refund_abuser", True)
            self.payer[a] = True
            n = int(r.integers(10, 41))
            gms = np.flatnonzero(self.is_game[:200])
            apps = gms[r.integers(0, len(gms), n)]
            ts = self.diurnal(np.maximum(self.created[a], T0) + (r.random(n) * (T1 - max(self.created[a], T0) - 3 * DAY)).astype(np.int64), np.full(n, a))
            amt = r.choice(PRICES[2:], n)
            self.add_ev(np.full(n, a), "iap.purchase", TK_APP, apps, ts, amt=amt)
            rf = r.random(n) < 0.8
            self.add_ev(np.full(rf.sum(), a), "iap.refund", TK_APP, apps[rf], ts[rf] + r.integers(HOUR, 47 * HOUR, rf.sum()), amt=amt[rf])
        for i in range(self.cnt(15)):
            a = int(self.take(1)[0])
            self.assign(a, None, "lone_review_spammer", True)
            n = int(r.integers(40, 151))
            apps = r.choice(np.arange(300, self.n_apps), n, replace=False)
            nb = max(1, n // 12)
            bst = T0 + (r.random(nb) * (NDAYS - 1) * DAY).astype(np.int64)
            ts = bst[r.integers(0, nb, n)] + r.integers(0, 3 * HOUR, n)
            ts = np.maximum(ts, np.maximum(self.pub[apps], self.created[a]) + HOUR)
            self.add_ev(np.full(n, a), "app.install", TK_APP, apps, ts - r.integers(120, 900, n))
            self.add_ev(np.full(n, a), "rating.submit", TK_APP, apps, ts, stars=5)
            rv = r.random(n) < 0.7
            self.add_ev(np.full(rv.sum(), a), "review.post", TK_APP, apps[rv], ts[rv] + r.integers(30, 300, rv.sum()),
                        ref=self.reviews(int(rv.sum())))
        for i in range(self.cnt(10)):
            a = int(self.take(1)[0])
            self.assign(a, None, "lone_card_tester", True)
            nt = int(r.integers(5, 16))
            toks = self.new_vals("pay_token", nt)
            t = max(T0, int(self.created[a])) + int(r.random() * 60 * DAY)
            self.add_sig(np.full(nt, a), "pay_token", toks, t + r.integers(0, HOUR, nt))
            nd = int(r.integers(15, 80))
            gm = self.app_in(0, 150, game=True)
            self.add_ev(np.full(nd, a), "iap.decline", TK_APP, gm, t + np.sort(r.integers(0, HOUR, nd)), amt=r.choice(PRICES[:4], nd))
            k = int(r.integers(1, 5))
            self.add_ev(np.full(k, a), "iap.purchase", TK_APP, gm, t + HOUR + r.integers(0, 2 * DAY, k), amt=r.choice(PRICES[5:], k))
            self.add_sig(a, "ip", self.vpn_ip[r.integers(0, len(self.vpn_ip))], t)

    # ------------------------------------------------------------------ benign groups
    def families(self):
        r = self.rng
        nf = self.cnt(450)
        sizes = r.choice([2, 3, 4, 5, 6], nf, p=[.35, .3, .2, .1, .05])
        for f in range(nf):
            m = self.take(int(sizes[f]))
            org, mem = int(m[0]), m[1:]
            gid = f"family_library-{f}"
            self.assign(m, gid, "family_library", False)
            self.payer[org] = True
            self.payer[mem] = False
            if self.home_ip[org] < 0:
                self.home_ip[org] = int(r.integers(2 ** 30, 2 ** 31))
            self.home_ip[mem] = self.home_ip[org]
            self.ctry[mem] = self.ctry[org]
            close = r.random(len(mem)) < 0.3
            self.created[mem[close]] = self.created[org] + r.integers(HOUR, 7 * DAY, close.sum())
            self.stampable[mem[close]] = False
            inv = np.maximum(self.created[mem], self.created[org]) + r.integers(HOUR, 30 * DAY, len(mem))
            inwin = (inv >= T0) & (inv < T1)
            self.add_ev(np.full(inwin.sum(), org), "family.invite", TK_ACCT, mem[inwin], inv[inwin])
            self.add_sig(mem, "pay_token", org * 4, np.clip(inv + r.integers(60, DAY, len(mem)), None, T1 - 60))
            self.lk.append((np.full(len(mem), org), mem))
            if r.random() < 0.3:
                tab = self.new_vals("android_id", 1)[0]
                tm = r.choice(len(MODELS) - 50, p=None)
                who = m[r.random(len(m)) < 0.7]
                self.add_sig(who, "android_id", tab, self.seen_between(who))
                self.add_sig(who, "device_model", tm, self.seen_between(who))
            apps = r.choice(self.n_apps, int(r.integers(3, 9)), p=self.pop)
            for x in apps:
                w = m[r.random(len(m)) < 0.7]
                ts = self.diurnal(np.maximum(np.maximum(self.created[w], T0), self.pub[x]) + r.integers(0, 80 * DAY, len(w)), w)
                ts = ts[ts < T1]
                self.add_ev(w[:len(ts)], "app.install", TK_APP, x, ts)
            if r.random() < 0.15:
                to = mem[r.integers(0, len(mem))]
                t = self.diurnal(np.array([T0 + int(r.random() * 85 * DAY)]), np.array([org]))
                self.add_ev(org, "gift.send", TK_ACCT, to, int(t[0]), amt=25.0)
                self.add_ev(to, "gift.redeem", TK_ACCT, org, int(t[0]) + int(r.integers(60, DAY)), amt=25.0)

    def beta(self):
        r = self.rng
        nb = self.cnt(5)
        self.beta_gids = []
        for g in range(nb):
            gid = f"beta_testers-{g}"
            self.beta_gids.append(gid)
            x = self.app_in(100, 800, free_owner=True)
            dev = int(self.owner[x])
            n = int(r.integers(20, 201))
            a = self.take(n)
            self.assign(a, gid, "beta_testers", False)
            self.assign(dev, gid, "beta_testers", False)
            nbld = int(r.integers(8, 16))
            bt = np.sort(T0 + (r.random(nbld) * (NDAYS - 1) * DAY).astype(np.int64))
            bt = self.diurnal(bt, np.full(nbld, dev), prof=WORK)
            bt = np.maximum(bt, self.pub[x] + HOUR)
            self.add_ev(np.full(nbld, dev), "dev.update", TK_APP, x, bt)
            j = r.random(n) < 0.3
            jt = np.maximum(self.created[a[j]], T0) + r.integers(0, 10 * DAY, j.sum())
            self.add_ev(a[j], "beta.join", TK_APP, x, jt)
            p = r.uniform(0.4, 0.9, n)
            for t in bt:
                w = a[(r.random(n) < p) & (self.created[a] < t)]
                k = len(w)
                its = t + np.minimum(r.exponential(1.5 * HOUR, k), 12 * HOUR).astype(np.int64) + 120
                self.add_ev(w, "app.install", TK_APP, x, its)
                no = r.integers(1, 4, k)
                oa = np.repeat(w, no)
                self.add_ev(oa, "app.open", TK_APP, x, np.repeat(its, no) + r.integers(60, 6 * HOUR, len(oa)))
                rt = r.random(k) < 0.25
                rts = its[rt] + r.integers(HOUR, 10 * HOUR, rt.sum())
                self.add_ev(w[rt], "rating.submit", TK_APP, x, rts, stars=r.choice([2, 3, 4, 5], rt.sum(), p=[.1, .25, .35, .3]))
                rv = r.random(rt.sum()) < 0.1
                self.add_ev(w[rt][rv], "review.post", TK_APP, x, rts[rv] + 200, ref=self.reviews(int(rv.sum())))

    def managed(self):
        r = self.rng
        specs = [("school_class", g, 25, 121) for g in range(self.cnt(4))] + \
                [("enterprise_mdm", g, 40, 301) for g in range(self.cnt(3))]
        for kind, g, lo, hi in specs:
            gid = f"{kind}-{g}"
            school = kind == "school_class"
            n = int(r.integers(lo, hi))
            geo = int(r.choice(len(COUNTRIES), p=C_W))
            if r.random() < 0.3:
                tc = T0 + int(r.integers(1, 30)) * DAY
            else:
                tc = T0 - int(r.integers(110, 200)) * DAY
            tc = int(self.diurnal(np.array([tc]), ctry=np.array([geo]), prof=WORK)[0])
            cr = tc + np.sort(r.integers(0, int(r.integers(30, 91)) * 60, n))
            a = self.new_accounts(n, cr, geo, act=0.04 if school else 0.3)
            self.assign(a, gid, kind, False)
            sb = self.seen_between
            if school:
                mdl = MODELS.index(["Lenovo TB-X306F", "SM-T220"][g % 2])
            else:
                mdl = MODELS.index(["SM-A546B", "Pixel 7a", "SM-A356B"][g % 3])
            self.add_sig(a, "device_model", mdl, sb(a))
            self.add_sig(a, "android_id", self.new_vals("android_id", n), sb(a))
            lat = school and r.random() < 0.5
            self.add_sig(a, "gaid", ZERO_GAID if lat else self.new_vals("gaid", n), sb(a))
            self.add_sig(a, "google_acct_email_sha", a, self.created[a])
            ips = r.integers(2 ** 30, 2 ** 31, 1 if school else int(r.integers(1, 4)))
            ia = np.repeat(a, 1 if school else 2)
            self.add_sig(ia, "ip", ips[r.integers(0, len(ips), len(ia))], sb(ia))
            self.add_sig(a, "asn", 31000 + g, sb(a))
            if not school:
                self.add_sig(a, "msisdn", self.new_vals("msisdn", n), self.created[a] + 60)
                c = a[r.random(n) < 0.9]
                self.add_sig(c, "ip", r.choice(self.nat_ip[geo], len(c), p=self.nat_p[geo]), sb(c))
            apps = [self.app_in(0, 600) for _ in range(int(r.integers(3, 11)))]
            # initial push at creation (if in window) + 2-4 pushes of new apps in the window
            pushes = []
            if tc >= T0:
                pushes.append((cr.max() + 600, apps[:max(2, len(apps) // 2)]))
            for _ in range(int(r.integers(2, 5))):
                t = int(self.diurnal(np.array([T0 + int(r.random() * 85 * DAY)]), ctry=np.array([geo]), prof=WORK)[0])
                pushes.append((max(t, cr.max() + 600), [apps[int(r.integers(0, len(apps)))]]))
            for t, aps in pushes:
                if t >= T1:
                    continue
                for x in aps:
                    ts = t + r.integers(0, 300, n) + (r.exponential(120, n)).astype(np.int64)
                    self.add_ev(a, "app.install", TK_APP, x, np.maximum(ts, self.pub[x] + 60))
            off = int(C_OFF[geo])
            days = np.arange(NDAYS)
            wd = days[((days + 0) % 7) < 5]      # 2025-01-06 is a Monday
            if school:
                ns = int(r.integers(20, 51))
                sd = r.choice(wd, ns)
                st = T0 + sd * DAY + r.integers(8, 15, ns) * HOUR - off + r.integers(0, 3600, ns)
                for t in st:
                    if t < cr.max():
                        continue
                    x = apps[int(r.integers(0, len(apps)))]
                    w = a[r.random(n) < r.uniform(0.7, 0.95)]
                    self.add_ev(w, "app.open", TK_APP, x, t + r.integers(0, 180, len(w)))
            else:
                k = n * 30
                oa = a[r.integers(0, n, k)]
                d = r.choice(wd, k)
                ts = T0 + d * DAY - off + (r.choice(24, k, p=WORK) * HOUR) + r.integers(0, HOUR, k)
                ok = ts > self.created[oa] + HOUR
                self.add_ev(oa[ok], "app.open", TK_APP, np.array(apps)[r.integers(0, len(apps), ok.sum())], ts[ok])

    def featured(self):
        r = self.rng
        for g in range(self.cnt(2)):
            gid = f"featured_app_crowd-{g}"
            x = self.app_in(300, 1500, free_owner=True)
            P = T0 + int(r.uniform(5, 60) * DAY)
            self.pub[x] = P
            T = P + int(r.uniform(1, 10) * DAY)
            n = max(30, int(r.integers(350, 1201) * min(1.0, self.s)))
            a = self.take(n)
            a = a[self.created[a] < T - HOUR]
            self.assign(a, gid, "featured_app_crowd", False)
            self.act[a] = np.maximum(self.act[a], 0.3)
            n = len(a)
            its = T + np.minimum(r.exponential(25 * 60, n), 6 * HOUR).astype(np.int64) + r.integers(0, 60, n)
            self.add_ev(a, "app.install", TK_APP, x, its)
            op = r.random(n) < 0.7
            self.add_ev(a[op], "app.open", TK_APP, x, its[op] + r.integers(30, HOUR, op.sum()))
            lo = np.repeat(a[op], r.integers(0, 6, op.sum()))
            self.add_ev(lo, "app.open", TK_APP, x, self.diurnal(T + r.integers(HOUR, 20 * DAY, len(lo)), lo))
            rt = r.random(n) < 0.2
            rts = its[rt] + r.integers(HOUR, 3 * DAY, rt.sum())
            self.add_ev(a[rt], "rating.submit", TK_APP, x, rts, stars=r.choice([2, 3, 4, 5], rt.sum(), p=[.08, .17, .35, .4]))
            rv = r.random(rt.sum()) < 0.3
            self.add_ev(a[rt][rv], "review.post", TK_APP, x, rts[rv] + 120, ref=self.reviews(int(rv.sum())))
        # publish events for featured apps are emitted by organic() via self.pub (called after)

    def repair(self):
        r = self.rng
        specs = [("phone_repair_shop", g, 20, 71) for g in range(self.cnt(4))] + \
                [("refurbisher", g, 10, 41) for g in range(self.cnt(2))]
        for kind, g, lo, hi in specs:
            gid = f"{kind}-{g}"
            n = int(r.integers(lo, hi))
            m = self.take(n + 1)
            shop, cust = int(m[0]), m[1:]
            self.assign(m, gid, kind, False)
            c0 = self.ctry[shop]
            self.ctry[cust] = np.where(r.random(n) < 0.9, c0, self.ctry[cust])
            ndv = 1 if kind == "phone_repair_shop" else int(r.integers(1, 4))
            devs = self.new_vals("android_id", ndv)
            dmod = r.choice(len(MODELS), ndv, p=self.model_p)
            ip = int(r.integers(2 ** 30, 2 ** 31))
            self.add_sig(np.full(ndv, shop), "android_id", devs, self.seen_between(np.full(ndv, shop)))
            self.add_sig(shop, "ip", ip, int(self.seen_between(np.array([shop]))[0]))
            day = T0 + r.integers(0, NDAYS - 1, n) * DAY
            rt = self.diurnal(day, cust, prof=WORK)
            rt = np.maximum(rt, self.created[cust] + DAY)
            ok = rt < T1
            cust, rt = cust[ok], rt[ok]
            n = len(cust)
            which = r.integers(0, ndv, n)
            self.add_sig(cust, "android_id", devs[which], rt)
            self.add_sig(cust, "device_model", dmod[which], rt)
            self.add_sig(cust, "ip", ip, rt + r.integers(0, 600, n))
            if kind == "refurbisher":
                sim = self.new_vals("msisdn", 1)[0]
                self.add_sig(cust, "msisdn", sim, rt)
            self.add_ev(cust, "login", TK_SURF, 0, rt)
            no = r.integers(1, 4, n)
            oa = np.repeat(cust, no)
            self.add_ev(oa, "app.open", TK_APP, r.choice(60, len(oa)), np.repeat(rt, no) + r.integers(60, 1800, len(oa)))

    # ------------------------------------------------------------------ run
    def run(self):
        self.setup()
        # order matters only for the account pool
        self.install_farms()
        self.incentivized_crews()
        self.rating_rings()
        self.review_bombs()
        self.refund_rings()
        self.gift_laundering()
        self.lone()
        self.families()
        self.beta()
        self.managed()
        self.featured()
        self.repair()
        # legacy migration stamp on old organic / real-person accounts
        st = self.stampable & (self.created < STAMP)
        self.created[st] = STAMP
        self.created = np.minimum(self.created, T1 - HOUR)
        self.organic()
        self.organic_signals()
        self.labels()

    def labels(self):
        r, N = self.rng, self.N
        lab = np.full(N, -1, np.int8)
        gids = {}
        for i in np.flatnonzero(self.bad):
            gids.setdefault(self.gid[i] or f"lone:{i}", []).append(i)
        found_p = {"install_farm": None, "incentivized_install_crew": 0.35, "rating_ring": 0.6,
                   "review_bomb_attack": 0.85, "refund_abuse_ring": 0.7, "gift_card_laundering": 0.8}
        for g, mem in gids.items():
            mem = np.array(mem)
            kind = self.gkind[mem[0]]
            if g.startswith("lone:"):
                p = 0.3 if kind == "install_client" else 0.4
                if r.random() < p:
                    lab[mem] = 1
                continue
            p = found_p.get(kind)
            if kind == "install_farm":
                p = 0.4 if g.endswith("careful") else 0.8
            if r.random() < p:
                sel = mem[r.random(len(mem)) < r.uniform(0.4, 0.9)]
                lab[sel] = np.where(r.random(len(sel)) < 0.05, 0, 1)
        honest = np.flatnonzero(~self.bad)
        age = (T1 - self.created[honest]) / (365 * DAY)
        pv = np.clip(0.03 + 0.025 * age, 0, 0.25)
        v = honest[r.random(len(honest)) < pv]
        lab[v] = 0
        w = honest[r.random(len(honest)) < 0.003]
        lab[w] = 1
        if self.beta_gids:
            g = self.beta_gids[int(r.integers(0, len(self.beta_gids)))]
            mem = np.flatnonzero(self.gid == g)
            mem = mem[self.atype[mem] == 0]
            lab[r.choice(mem, min(len(mem), int(r.integers(6, 11))), replace=False)] = 1
        self.lab = lab

    # ------------------------------------------------------------------ frames
    def frames(self):
        r, N = self.rng, self.N
        ids = np.array([f"u_{x:08x}" for x in r.choice(2 ** 32, N, replace=False)])
        acct_ids = pl.Series(ids)
        cstr = np.array(COUNTRIES)
        accounts = pl.DataFrame({
            "account_id": ids,
            "created_at": pl.from_epoch(pl.Series(self.created * 1000), time_unit="ms"),
            "account_type": np.where(self.atype == 1, "developer", "user"),
            "country": cstr[self.ctry],
        })
        perm_order = r.permutation(N)
        accounts = accounts[perm_order]
        # events
        ev = {k: np.concatenate([c[k] for c in self.ev]) for k in self.ev[0]}
        ts = np.maximum(ev["ts"], self.created[ev["a"]] + 30)
        keep = (ts >= T0) & (ts < T1)
        ev = {k: v[keep] for k, v in ev.items()}
        ev["ts"] = ts[keep]
        # resolve pending review.helpful: a review posted before, biased to recent ones
        rvm = (ev["act"] == A["review.post"])
        rv_ts = ev["ts"][rvm]
        rv_id = ev["ref"][rvm]
        o = np.argsort(rv_ts, kind="stable")
        rv_ts, rv_id = rv_ts[o], rv_id[o]
        pm = ev["tk"] == TK_PEND
        pos = np.searchsorted(rv_ts, ev["ts"][pm])
        ok = pos > 0
        back = np.floor(pos * r.random(len(pos)) ** 3).astype(np.int64)
        pick = np.clip(pos - 1 - back, 0, max(len(rv_id) - 1, 0))
        tn = ev["tn"].copy()
        tn[np.flatnonzero(pm)] = rv_id[pick] if len(rv_id) else 0
        tk = ev["tk"].copy()
        tk[pm] = TK_REV
        keep = np.ones(len(tk), bool)
        keep[np.flatnonzero(pm)[~ok]] = False
        ev = {k: v[keep] for k, v in ev.items()}
        tn, tk = tn[keep], tk[keep]
        # drop helpful votes on one's own review? keep simple: allowed by the store? no -> drop
        # public numbers
        app_num = r.choice(900_000, self.n_apps, replace=False) + 100_000
        rev_num = r.choice(90_000_000, max(self.n_rev, 1), replace=False) + 10_000_000
        lookup = pl.concat([
            pl.Series([f"app-{x}" for x in app_num]),
            pl.Series([f"rv-{x}" for x in rev_num]),
            acct_ids,
            pl.Series(SURFACES),
            pl.Series([f"q:{t}" for t in TERMS]),
        ])
        o_acct = self.n_apps + len(rev_num)
        offs = np.array([0, self.n_apps, o_acct, o_acct + N, 0, o_acct + N + len(SURFACES)])
        gi = offs[tk] + tn
        target = lookup.gather(pl.Series(gi))
        refm = ev["ref"] >= 0
        is_rv = refm & (ev["act"] == A["review.post"])
        is_ow = refm & (ev["act"] == A["offerwall.complete"])
        rvn = np.where(is_rv, rev_num[np.clip(ev["ref"], 0, len(rev_num) - 1)], -1)
        ck = splitmix(ev["ref"][is_ow] + 31 * self.seed + 12345)
        ow_rows = pl.DataFrame({"row": np.flatnonzero(is_ow).astype(np.int64),
                                "owc": [f"owc-{int(x):016x}" for x in ck]}, schema={"row": pl.Int64, "owc": pl.String})
        ref = (pl.DataFrame({"row": np.arange(len(tk), dtype=np.int64), "rvn": rvn})
               .join(ow_rows, on="row", how="left", maintain_order="left")
               .select(pl.when(pl.col("rvn") >= 0).then(pl.lit("rv-") + pl.col("rvn").cast(pl.String))
                       .otherwise(pl.col("owc")).alias("ref_id"))["ref_id"])
        # a handful of far-future device-clock rows
        nf = 10
        fi = r.choice(np.flatnonzero(ev["act"] == A["app.open"]), nf, replace=False)
        ts = ev["ts"].copy()
        ts[fi] = int(datetime(2099, 1, 1, tzinfo=timezone.utc).timestamp()) + r.integers(0, 300 * DAY, nf)
        events = pl.DataFrame({
            "account_id": acct_ids.gather(pl.Series(ev["a"])),
            "action": pl.Series(np.array(ACTIONS)[ev["act"]]),
            "target_id": target,
            "ts": pl.from_epoch(pl.Series(ts * 1000), time_unit="ms"),
            "stars": pl.Series(ev["stars"]).cast(pl.Int8),
            "amount": pl.Series(np.round(ev["amt"], 2)).fill_nan(None),
            "ref_id": ref,
        })
        events = events.with_columns(pl.when(pl.col("stars") > 0).then(pl.col("stars")).alias("stars"))
        events = events.sort("ts", "account_id", maintain_order=True)
        # signals
        sg = {k: np.concatenate([c[k] for c in self.sg]) for k in self.sg[0]}
        seen = np.clip(sg["seen"], self.created[sg["a"]], T1 - 1)
        vals = np.empty(len(sg["a"]), dtype=object)
        for kname, kc in K.items():
            m = sg["k"] == kc
            if not m.any():
                continue
            v = sg["v"][m]
            u, inv = np.unique(v, return_inverse=True)
            h = splitmix(u + kc * 1_000_003 + self.seed * 7919)
            if kname == "gaid":
                s = [("00000000-0000-0000-0000-000000000000" if x == ZERO_GAID else
                      "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}".format(int(y >> 32), int(y >> 16) & 0xffff, int(y) & 0xfff,
                                                                  0x8000 | (int(y >> 48) & 0x3fff), int(splitmix(y)) & 0xffffffffffff))
                     for x, y in zip(u, h)]
            elif kname == "android_id":
                s = [f"{int(y):016x}" for y in h]
            elif kname == "device_model":
                s = [MODELS[int(x)] for x in u]
            elif kname == "ip":
                s = [f"{(x >> 24) & 255}.{(x >> 16) & 255}.{(x >> 8) & 255}.{x & 255}" for x in u.tolist()]
            elif kname == "asn":
                s = [f"AS{x}" for x in u.tolist()]
            elif kname == "msisdn":
                s = [f"{int(y) & 0xffffffffffffffff:016x}"[:20] for y in h]
            elif kname == "google_acct_email_sha":
                s = [f"{int(y):016x}{int(splitmix(y)) & 0xffffffff:08x}" for y in h]
            elif kname == "pay_token":
                s = [f"tok_{int(y):016x}" for y in h]
            else:
                s = [COUNTRIES[int(x)] for x in u]
            vals[np.flatnonzero(m)] = np.array(s, dtype=object)[inv]
        seen_s = pl.from_epoch(pl.Series(seen * 1000), time_unit="ms")
        signals = pl.DataFrame({"account_id": acct_ids.gather(pl.Series(sg["a"])),
                                "kind": pl.Series(np.array(KINDS)[sg["k"]]),
                                "value": pl.Series(vals.tolist(), dtype=pl.String),
                                "seen_at": seen_s})
        signals = signals.unique(subset=["account_id", "kind", "value"], keep="first", maintain_order=True)
        ns = signals.height
        nullm = r.random(ns) < 0.02
        sent = np.zeros(ns, bool)
        devrows = np.flatnonzero((signals["kind"] == "android_id").to_numpy() & ~nullm)
        sent[r.choice(devrows, 12, replace=False)] = True
        signals = signals.with_columns(
            pl.when(pl.Series(nullm)).then(None)
            .when(pl.Series(sent)).then(pl.datetime(1970, 1, 1))
            .otherwise(pl.col("seen_at")).alias("seen_at"))
        signals = signals[r.permutation(ns)].sort("account_id", maintain_order=True)
        # links
        la = np.concatenate([x[0] for x in self.lk])
        lb = np.concatenate([x[1] for x in self.lk])
        links = pl.DataFrame({"account_a": acct_ids.gather(pl.Series(la)), "account_b": acct_ids.gather(pl.Series(lb)),
                              "kind": "family_group", "weight": 1.0})
        truth = pl.DataFrame({"account_id": ids, "is_bad": self.bad,
                              "group_id": pl.Series(self.gid.tolist(), dtype=pl.String),
                              "group_kind": pl.Series(self.gkind.tolist(), dtype=pl.String)})[perm_order]
        lm = self.lab >= 0
        labels = pl.DataFrame({"account_id": ids[lm], "label": self.lab[lm].astype(np.int64)})
        labels = labels.sort("account_id")
        return accounts, events, signals, links, truth, labels


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
    fmt = "%Y-%m-%dT%H:%M:%S"
    accounts.write_parquet(out / "accounts.parquet")
    events.write_parquet(out / "events.parquet")
    signals.write_csv(out / "signals.csv", datetime_format=fmt)
    links.write_csv(out / "links.csv")
    truth.write_parquet(out / "truth.parquet")
    if not args.no_labels:
        labels.write_csv(out / "labels.csv")
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

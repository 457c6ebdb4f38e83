#!/usr/bin/env python
"""Glimmer: a synthetic live-streaming and creator platform, as an independent test bed.

Glimmer is a live-streaming app. Viewers join live streams, tap hearts, chat, send paid gifts
(coins bought with cards), track creators, join creators' fan clubs and repost clips; new
accounts claim sign-up bonuses and redeem friends' invite codes; creators go live, receive
gifts and cash their earnings out to bank accounts. This generator writes six months of that
platform (observation window 2025-01-06 .. 2025-07-07 UTC; accounts may be up to three years
older) together with an answer key, so that a syndicate detector can be judged on data that
was designed from the domain, not from the detector.

Usage::

    python benchmarks/eleventh_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--report]

Deterministic for a given ``--accounts`` and ``--seed``; vectorised numpy/polars (20,000
accounts in a few seconds, 100,000 in well under a minute).

Tables (in OUT_DIR)
-------------------
``accounts.csv``
    ``account_id`` (digit strings such as ``"1482213"``, allocated in creation order with
    random gaps, so accounts created together get neighbouring ids), ``created_at`` (ISO-8601
    with a ``+00:00`` offset), ``account_type`` (``viewer``, ``creator``, ``business``),
    ``country`` (ISO-3166 alpha-2) and the extra ``signup_platform`` (ignored).
``signals.parquet``
    ``account_id``, ``kind``, ``value`` (opaque lower-case hex; the width depends on the
    kind), ``seen_at`` (UTC-aware; null for a few legacy imports; for ~4% of accounts a device
    was first seen in a guest session minutes to days *before* the account was created), and
    the extra ``source``. Kinds: ``device``, ``ip``, ``email``, ``phone``, ``payment`` (card
    fingerprint), ``payout`` (bank account of a creator), ``ua`` (client fingerprint; the top
    ones are shared by thousands), ``asn`` (network operator of each IP; carriers shared by
    thousands). One row per account-identifier pair.
``events.csv``
    ``ts`` (ISO-8601, millisecond precision, ``Z`` suffix), ``account_id``, ``action``,
    ``target_id``, and extras ``amount`` (coins for ``gift_send``; USD for ``coin_topup`` and
    ``cashout``; empty otherwise) and ``platform``. Actions:

    ========================  ======================================================
    ``go_live``               a creator starts a stream (target: stream id ``lv…``)
    ``stream_join``           a viewer enters a stream (target: stream id)
    ``heart_tap``             taps hearts in a stream (target: stream id)
    ``chat_msg``              posts in a stream's chat (target: stream id)
    ``gift_send``             sends a paid gift in a stream (target: stream id)
    ``track_creator``         follows a creator (target: the creator's account id)
    ``fanclub_join``          joins a creator's fan club (target: ``fc-<creator id>``)
    ``clip_repost``           reposts a clip (target: clip id ``c…``)
    ``coin_topup``            buys coins (target: the coin pack SKU)
    ``cashout``               a creator withdraws earnings (target: payout reference)
    ``bonus_claim``           claims a promotion (target: campaign id ``cmp-…``)
    ``invite_redeem``         redeems an invite code (target: the referrer's account id)
    ========================  ======================================================

    About 1% of rows come from a legacy web client that writes actions in upper case
    (``GIFT_SEND``); the contract compares actions case-insensitively.
``labels.parquet`` (skipped with ``--no-labels``)
    ``account_id``, ``label`` (1 confirmed bad, 0 confirmed good) and extras ``source`` and
    ``decided_at``: about 13% of accounts. Enforcement found some bad groups and not others
    (an undiscovered group has no label at all); reviewed good accounts lean old and
    KYC-checked; ~2% of good and ~4% of bad labels are wrong (wrong bans, appeals upheld), and
    some account-takeover victims carry a good label from before they were hijacked.
``truth.parquet`` (the answer key; never an input)
    ``account_id``, ``is_bad``, ``group_id`` (null for lone actors and unaffiliated accounts),
    ``group_kind`` and the extra ``role`` — every account exactly once.

Planted bad groups (``is_bad`` true; counts at 20,000 accounts, scaled with ``--accounts``)
------------------------------------------------------------------------------------------
``gift_laundering`` (6)
    2-4 colluding creators and 15-45 freshly created mule viewers, created in 2-4 waves.
    Mules top up coins with stolen cards (a pool of about one card per 2.5 mules, so a card is
    shared by a few mules, many by none), gift large amounts in the ring creators' late-night
    streams within days, and go dormant. Devices are emulator instances that are reset often
    (about 0.6 device ids per mule, 30% of mules on two), IPs come from a slice of a residential-proxy pool (each
    IP on 1-3 accounts; a quarter of the pool are real subscribers' home IPs, so some are
    also an honest household's), most carry one of three emulator fingerprints that honest
    PC gamers use too. The creators cash out weekly, some to one shared bank account.
``engagement_farm`` (4)
    60-220 workers (40% bought aged accounts, the rest registered in batches). 25-70 jobs for
    paying small creators: each job uses a random 10-35% of the workers, who join the
    customer's stream, tap hearts, chat, track the creator or repost a clip, jittered over
    2-20 minutes. Workers have their own phones (a quarter paired on one reset phone), share
    only residential-proxy IPs drawn 2-5 each from the farm's slice of the pool, and keep
    organic-looking activity on popular streams in between.
``matrix_operator`` (8)
    One operator, 20-60 accounts (a quarter to two fifths of them creators), run from 2-5
    phones, 2-5 SIM numbers for verification, 1-2 cards, the operator's home IP and the
    carrier NAT everybody else is on. The operator's creators stream 10-35 times each; for
    about half of those streams the operator walks through 25-60% of its accounts, one after
    another on each phone, to join, tap hearts, chat and gift; its accounts track its own
    creators and repost their clips.
``bonus_ring`` (6)
    25-80 accounts registered in 3-6 bursts (each within one to two hours, from 1-2 VPN exit
    IPs that honest privacy-minded users share too, with phone numbers rented from an
    SMS-activation pool that other rings and a few honest users also draw on). Each claims the
    welcome bonus, redeems the invite code of an earlier ring member (referral chain), gifts
    its bonus coins to the ring's collector creator, who cashes out, and goes dormant.
``chat_spam`` (4)
    10-40 bots registered within two days, on datacenter IPs of one hosting block and one
    headless-browser fingerprint, posting to hundreds of popular live streams each (their own
    pacing), plus coordinated raids where most of the net posts into one stream within
    seconds.
``account_takeover`` (4)
    1-2 attacker creators and 5-14 victims: old, honest, paying accounts with years of
    history, hijacked within one week from the attacker's 1-2 devices and proxy IPs (half of
    them have their e-mail changed). The hijacked accounts top up on their own saved cards and
    gift large sums into the attacker's streams; the attacker cashes out.
``lone_bad`` (40, group null)
    Lone carders (many cards, top-ups, gifts to random streams), lone chat spammers, lone
    view bots and lone promo abusers (bonus claims from several devices).

Benign look-alikes (``is_bad`` false, ``group_id`` set)
-------------------------------------------------------
``household``     2-6 accounts on one home IP (sometimes two, after an ISP change), often a
                  shared tablet and a family card; they co-watch the same streams and refer
                  each other.
``agency``        talent agencies (MCNs): 12-45 creator accounts and 2-5 staff accounts, an
                  office IP, 2-6 studio devices shared by many creators, one agency payout
                  account for most creators, accounts registered on signing days; staff
                  moderate in every creator's stream, creators appear in each other's streams.
``fan_club``      30-200 fans of one popular creator who gift in waves, seconds apart, during
                  the creator's 4-10 special streams, and join the creator's fan club.
``net_cafe``      80-250 accounts on a café's 1-2 IPs and 8-30 shared PCs, watch parties where
                  a third to half of the café joins one stream within minutes.
``campus``        250-600 students behind 3-6 campus egress IPs, a term-start sign-up burst
                  and campus event streams joined by a fifth to a half of the campus.
``carrier_nat``   mobile-only accounts whose only IPs are carrier NAT addresses shared by
                  thousands (group = their main NAT).

Unaffiliated honest accounts (``group_kind`` ``organic``, group null) include flatmates on one
home IP, honest VPN and emulator users, honest recycled phone numbers, promotion-day sign-up
cohorts, friends' referrals, whales, and viral moments: 150-1,500 viewers tapping, chatting
and gifting into one stream within seconds, and go-live notifications that bring hundreds of
viewers into a stream in its first minutes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import polars as pl

US = 1_000_000
SEC = US
MIN = 60 * US
HOUR = 3600 * US
DAY = 86400 * US
T0 = int(datetime(2025, 1, 6, tzinfo=timezone.utc).timestamp()) * US
WINDOW_DAYS = 182
T1 = T0 + WINDOW_DAYS * DAY
HISTORY_DAYS = 3 * 365

ACTIONS = np.array(["go_live", "stream_join", "heart_tap", "chat_msg", "gift_send", "track_creator",
                    "fanclub_join", "clip_repost", "coin_topup", "cashout", "bonus_claim", "invite_redeem"])
A = {name: i for i, name in enumerate(ACTIONS)}

# target namespaces, packed as (type << 40) | index
TT_STREAM, TT_ACCOUNT, TT_CLIP, TT_SKU, TT_PAYOUT, TT_CAMPAIGN, TT_CLUB = range(7)
SKUS = np.array(["coins_70", "coins_350", "coins_700", "coins_1400", "coins_3500", "coins_7000", "coins_17500"])
SKU_USD = np.array([0.99, 4.99, 9.99, 19.99, 49.99, 99.99, 249.99])
CAMPAIGNS = np.array(["cmp-welcome-2025", "cmp-springfest", "cmp-anniversary-5", "cmp-summer-kickoff",
                      "cmp-first-gift-x2", "cmp-streak-7d"])
CAMPAIGN_DAYS = np.array([38, 74, 121])          # promotion days (window days) for campaigns 1..3
GIFT_COINS = np.array([1, 5, 10, 30, 99, 199, 499, 999, 2999])
GIFT_P = np.array([0.30, 0.22, 0.17, 0.11, 0.09, 0.05, 0.03, 0.02, 0.01])

COUNTRIES = np.array(["US", "BR", "MX", "PH", "ID", "TR", "DE", "GB", "VN", "EG", "IN", "NG"])
TZ = np.array([-5, -3, -6, 8, 7, 3, 1, 0, 7, 2, 5.5, 1])
CW = np.array([0.16, 0.13, 0.09, 0.11, 0.12, 0.07, 0.05, 0.05, 0.07, 0.05, 0.06, 0.04])
CW = CW / CW.sum()
PLATFORMS = np.array(["ios", "android", "web"])

VIEWER, CREATOR, BUSINESS = 0, 1, 2
ATYPES = np.array(["viewer", "creator", "business"])

# ASN codes (the asn signal): residential ISPs, carriers, hosting, VPN, campus, business ISPs
ASN_HOME, N_ASN_HOME = 0, 24
ASN_CARRIER = 30
ASN_HOSTING, N_ASN_HOSTING = 60, 6
ASN_VPN = 70
ASN_CAMPUS = 80
ASN_OFFICE = 90

BAD_KINDS = ["gift_laundering", "engagement_farm", "matrix_operator", "bonus_ring", "chat_spam",
             "account_takeover"]
BENIGN_KINDS = ["household", "agency", "fan_club", "net_cafe", "campus", "carrier_nat"]


def to_hex(n: int, nbytes: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` random lower-case hex strings of ``2 * nbytes`` characters."""
    raw = rng.bytes(n * nbytes).hex().encode()
    return np.frombuffer(raw, dtype=f"S{2 * nbytes}").astype(f"U{2 * nbytes}")


class Glimmer:
    """Holds the random state and the growing tables of one generated platform."""

    def __init__(self, n_accounts: int, seed: int):
        self.N = int(n_accounts)
        self.s = self.N / 20_000
        self.rng = np.random.default_rng(seed)
        self.blocks: list[dict] = []
        self.n = 0
        self.groups: list[dict] = []
        self.ent = defaultdict(int)
        self.ip_asn: list[np.ndarray] = []
        self.sig: list[tuple] = []
        self.ev: list[tuple] = []

    # ---- helpers --------------------------------------------------------------------------
    def count(self, base: float, lo: int = 1) -> int:
        return max(lo, int(round(base * self.s)))

    def expo(self, scale, n):
        return (self.rng.exponential(scale, n)).astype(np.int64)

    def unif(self, lo, hi, n=None):
        lo, hi = np.asarray(lo), np.asarray(hi)
        if n is None:
            n = np.broadcast_shapes(lo.shape, hi.shape)
        return (lo + self.rng.random(n) * (hi - lo)).astype(np.int64)

    def country(self, n=None):
        return self.rng.choice(len(COUNTRIES), size=n, p=CW)

    def diurnal(self, t, ctry, peak=20.5, sd=2.5):
        """Move each time to the same local day, at a local hour drawn around ``peak``."""
        t = np.asarray(t, dtype=np.int64)
        off = (TZ[ctry] * HOUR).astype(np.int64)
        day = (t + off) // DAY * DAY
        hour = (self.rng.normal(peak, sd, t.shape) % 24.0) * HOUR
        return day + hour.astype(np.int64) - off

    def old_created(self, n):
        back = HISTORY_DAYS * self.rng.random(n) ** 1.6 * DAY
        return T0 - back.astype(np.int64) - HOUR

    def new_entities(self, kind, n):
        a = np.arange(self.ent[kind], self.ent[kind] + n, dtype=np.int64)
        self.ent[kind] += n
        return a

    def new_ips(self, n, asn):
        ids = self.new_entities("ip", n)
        self.ip_asn.append(np.broadcast_to(np.asarray(asn, dtype=np.int64), (n,)).copy())
        return ids

    def add(self, n, kind, group, bad, role, atype, created, country):
        idx = np.arange(self.n, self.n + n)
        self.n += n
        def col(v, dtype=object):
            if isinstance(v, np.ndarray):
                return v
            return np.full(n, v, dtype=dtype)
        self.blocks.append(dict(kind=col(kind), group=col(group), bad=col(bad, bool), role=col(role),
                                atype=col(atype, np.int64), created=col(created, np.int64),
                                country=col(country, np.int64)))
        return idx

    def signal(self, acct, kind, ent, seen=None, source="sdk"):
        acct = np.asarray(acct, dtype=np.int64)
        ent = np.broadcast_to(np.asarray(ent, dtype=np.int64), acct.shape)
        if seen is None:
            seen = self.created[acct] + self.expo(2 * HOUR, len(acct))
        seen = np.broadcast_to(np.asarray(seen, dtype=np.int64), acct.shape)
        self.sig.append((acct, kind, ent.copy(), seen.copy(), source))

    def emit(self, acct, action, target_type, target_idx, ts, amount=None):
        acct = np.asarray(acct, dtype=np.int64)
        n = len(acct)
        act = np.broadcast_to(np.asarray(action, dtype=np.int64), (n,))
        tgt = (np.int64(target_type) << 40) | np.broadcast_to(np.asarray(target_idx, dtype=np.int64), (n,))
        ts = np.broadcast_to(np.asarray(ts, dtype=np.int64), (n,))
        amt = np.full(n, np.nan) if amount is None else np.broadcast_to(np.asarray(amount, dtype=float), (n,))
        self.ev.append((acct, act.copy(), np.asarray(tgt, dtype=np.int64), ts.copy(), amt.copy()))

    def group(self, gid, kind, bad, members, **meta):
        g = dict(gid=gid, kind=kind, bad=bad, members=np.asarray(members, dtype=np.int64), **meta)
        self.groups.append(g)
        return g

    # ---- 1. population ----------------------------------------------------------------------
    def build_population(self):
        rng = self.rng
        N = self.N
        # bad groups ------------------------------------------------------------------------
        for g in range(self.count(6)):
            gid = f"launder-{g + 1:02d}"
            ctry = rng.choice([0, 7, 6, 1])
            waves = np.sort(T0 + self.unif(12 * DAY, 160 * DAY, rng.integers(2, 5)))
            nc, nm = int(rng.integers(2, 5)), int(rng.integers(15, 46))
            cc = waves[0] - self.unif(5 * DAY, 90 * DAY, nc)
            cre = self.add(nc, "gift_laundering", gid, True, "colluding_creator", CREATOR,
                           self.diurnal(cc, np.full(nc, ctry)), ctry)
            mw = rng.integers(0, len(waves), nm)
            mc = waves[mw] + self.unif(0, rng.uniform(1, 3) * DAY, nm)
            mules = self.add(nm, "gift_laundering", gid, True, "mule", VIEWER, mc, ctry)
            self.group(gid, "gift_laundering", True, np.r_[cre, mules], creators=cre, mules=mules, waves=waves)
        for g in range(self.count(4)):
            gid = f"farm-{g + 1:02d}"
            n = int(rng.integers(60, 221))
            ctry = self.country(n)
            aged = rng.random(n) < 0.4
            created = np.empty(n, np.int64)
            created[aged] = self.old_created(aged.sum())
            nb = max(1, (~aged).sum() // 20)
            batch_days = T0 + self.unif(0, 120 * DAY, nb)
            created[~aged] = batch_days[rng.integers(0, nb, (~aged).sum())] + self.expo(3 * HOUR, (~aged).sum())
            w = self.add(n, "engagement_farm", gid, True, "worker", VIEWER, created, ctry)
            self.group(gid, "engagement_farm", True, w)
        for g in range(self.count(8)):
            gid = f"matrix-{g + 1:02d}"
            n = int(rng.integers(20, 61))
            ctry = self.country()
            ncre = max(3, int(n * rng.uniform(0.25, 0.4)))
            days = T0 + self.unif(-60 * DAY, 100 * DAY, rng.integers(3, 9))
            created = days[rng.integers(0, len(days), n)] + self.expo(2 * HOUR, n)
            old = rng.random(n) < 0.2
            created[old] = self.old_created(old.sum())
            created = np.minimum(created, T1 - 20 * DAY)
            atype = np.where(np.arange(n) < ncre, CREATOR, VIEWER)
            role = np.where(atype == CREATOR, "operator_creator", "operator_viewer").astype(object)
            m = self.add(n, "matrix_operator", gid, True, role, atype, created, ctry)
            self.group(gid, "matrix_operator", True, m, creators=m[:ncre], viewers=m[ncre:])
        for g in range(self.count(6)):
            gid = f"bonus-{g + 1:02d}"
            n = int(rng.integers(25, 81))
            ctry = self.country()
            nb = int(rng.integers(3, 7))
            bursts = np.sort(T0 + self.unif(5 * DAY, 165 * DAY, nb))
            bursts = self.diurnal(bursts, np.full(nb, ctry), peak=23, sd=2)
            col_created = bursts[0] - self.unif(2 * DAY, 30 * DAY, 1)
            col = self.add(1, "bonus_ring", gid, True, "collector_creator", CREATOR, col_created, ctry)
            bi = np.sort(rng.integers(0, nb, n - 1))
            created = bursts[bi] + self.unif(0, rng.uniform(30, 120) * MIN, n - 1)
            m = self.add(n - 1, "bonus_ring", gid, True, "bonus_account", VIEWER, created, ctry)
            self.group(gid, "bonus_ring", True, np.r_[col, m], collector=col[0], accounts=m, burst_of=bi, bursts=bursts)
        for g in range(self.count(4)):
            gid = f"spam-{g + 1:02d}"
            n = int(rng.integers(10, 41))
            start = T0 + self.unif(0, 140 * DAY, 1)[0]
            created = start + self.unif(0, rng.uniform(4, 48) * HOUR, n)
            m = self.add(n, "chat_spam", gid, True, "spam_bot", VIEWER, created, self.country(n))
            self.group(gid, "chat_spam", True, m)
        for g in range(self.count(4)):
            gid = f"ato-{g + 1:02d}"
            na, nv = int(rng.integers(1, 3)), int(rng.integers(5, 15))
            t_h = T0 + self.unif(30 * DAY, 165 * DAY, 1)[0]
            ctry = self.country()
            att = self.add(na, "account_takeover", gid, True, "attacker_creator", CREATOR,
                           t_h - self.unif(10 * DAY, 60 * DAY, na), ctry)
            vc = T0 - self.unif(200 * DAY, HISTORY_DAYS * DAY, nv)
            vic = self.add(nv, "account_takeover", gid, True, "hijacked_victim", VIEWER, vc, self.country(nv))
            self.group(gid, "account_takeover", True, np.r_[att, vic], attackers=att, victims=vic, t_h=t_h)
        nl = self.count(40)
        lroles = rng.choice(np.array(["lone_carder", "lone_chat_spammer", "lone_view_bot", "lone_promo_abuser"], dtype=object),
                            nl, p=[0.35, 0.25, 0.2, 0.2])
        lc = T0 + self.unif(0, 170 * DAY, nl)
        self.lone = self.add(nl, "lone_bad", None, True, lroles, VIEWER, lc, self.country(nl))
        self.lone_roles = lroles

        # benign groups ---------------------------------------------------------------------
        nh = self.count(0.07 * 20000 / 3.2)
        hs = rng.choice([2, 3, 4, 5, 6], nh, p=[0.45, 0.25, 0.17, 0.08, 0.05])
        hc = self.country(nh)
        total = int(hs.sum())
        hh_of = np.repeat(np.arange(nh), hs)
        created = self.old_created(total)
        newer = rng.random(total) < 0.35
        created[newer] = T0 + self.unif(0, 175 * DAY, newer.sum())
        created = self.diurnal(created, hc[hh_of], peak=20, sd=3)
        gids = np.array([f"household-{i + 1:05d}" for i in range(nh)], dtype=object)
        hh = self.add(total, "household", gids[hh_of], False, "household_member", VIEWER, created, hc[hh_of])
        self.households = dict(members=hh, of=hh_of, sizes=hs, n=nh)   # vectorised, not in self.groups
        for g in range(self.count(5)):
            gid = f"agency-{g + 1:02d}"
            ctry = self.country()
            nc, ns = int(rng.integers(12, 46)), int(rng.integers(2, 6))
            sign_days = T0 + self.unif(-300 * DAY, 120 * DAY, rng.integers(3, 6))
            cc = sign_days[rng.integers(0, len(sign_days), nc)] + self.unif(9 * HOUR, 18 * HOUR, nc)
            cre = self.add(nc, "agency", gid, False, "agency_creator", CREATOR, np.minimum(cc, T1 - 20 * DAY), ctry)
            staff = self.add(ns, "agency", gid, False, "agency_staff", BUSINESS, self.old_created(ns), ctry)
            self.group(gid, "agency", False, np.r_[cre, staff], creators=cre, staff=staff,
                       slot=float(rng.uniform(12, 23)))
        for g in range(self.count(6)):
            gid = f"fanclub-{g + 1:02d}"
            n = int(rng.integers(30, 201))
            created = self.old_created(n)
            newer = rng.random(n) < 0.3
            created[newer] = T0 + self.unif(0, 150 * DAY, newer.sum())
            m = self.add(n, "fan_club", gid, False, "fan", VIEWER, created, self.country(n))
            self.group(gid, "fan_club", False, m)
        for g in range(self.count(3)):
            gid = f"cafe-{g + 1:02d}"
            n = int(rng.integers(80, 251))
            ctry = self.country()
            created = np.where(rng.random(n) < 0.5, self.old_created(n), T0 + self.unif(0, 170 * DAY, n))
            created = self.diurnal(created, np.full(n, ctry), peak=17, sd=3)
            m = self.add(n, "net_cafe", gid, False, "cafe_patron", VIEWER, created, ctry)
            self.group(gid, "net_cafe", False, m)
        for g in range(self.count(2)):
            gid = f"campus-{g + 1:02d}"
            n = int(rng.integers(250, 601))
            ctry = self.country()
            term = T0 + int(rng.uniform(20, 40)) * DAY
            created = self.old_created(n)
            fresh = rng.random(n) < 0.4
            created[fresh] = term + self.expo(3 * DAY, fresh.sum())
            created = self.diurnal(created, np.full(n, ctry), peak=19, sd=4)
            m = self.add(n, "campus", gid, False, "student", VIEWER, created, ctry)
            self.group(gid, "campus", False, m)

        # organic remainder -----------------------------------------------------------------
        n_org = N - self.n
        if n_org < 0.3 * N:
            raise SystemExit(f"--accounts {N} is too small for the planted groups; use at least 8000")
        ctry = self.country(n_org)
        created = self.old_created(n_org)
        new = rng.random(n_org) < 0.45
        created[new] = T0 + self.unif(0, (WINDOW_DAYS - 4) * DAY, new.sum())
        spike = new & (rng.random(n_org) < 0.15)
        self.spike_campaign = np.zeros(n_org, np.int64)
        camp = rng.integers(0, len(CAMPAIGN_DAYS), spike.sum())
        created[spike] = T0 + CAMPAIGN_DAYS[camp] * DAY + self.expo(10 * HOUR, spike.sum())
        self.spike_campaign[spike] = camp + 1
        created = self.diurnal(created, ctry, peak=21, sd=3.5)
        is_cre = rng.random(n_org) < 0.06
        atype = np.where(is_cre, CREATOR, VIEWER)
        created[is_cre] = np.minimum(created[is_cre], T1 - 10 * DAY)
        mobile_only = ~is_cre & (rng.random(n_org) < 0.15)
        role = np.where(is_cre, "creator", "viewer").astype(object)
        self.organic = self.add(n_org, "organic", None, False, role, atype, created, ctry)
        self.mobile_only = self.organic[mobile_only]

        # finalize --------------------------------------------------------------------------
        cat = lambda k: np.concatenate([b[k] for b in self.blocks])
        self.kind, self.gid, self.bad, self.role = cat("kind"), cat("group"), cat("bad"), cat("role")
        self.atype, self.created, self.ctry = cat("atype"), cat("created"), cat("country")
        self.created = np.minimum(self.created, T1 - 2 * DAY)

    # ---- 2. behaviour parameters -------------------------------------------------------------
    def behaviour_params(self):
        rng, N = self.rng, self.N
        self.act = np.exp(rng.normal(2.5, 1.1, N))            # expected organic events
        self.act = np.minimum(self.act, 900)
        self.payer = rng.random(N) < 0.10
        self.whale = self.payer & (rng.random(N) < 0.05)
        self.pfav = rng.uniform(0.55, 0.9, N)
        self.lo = np.maximum(self.created, T0)
        churn = rng.random(N) < 0.2
        self.hi = np.full(N, T1, np.int64)
        self.hi[churn] = np.minimum(T1, self.lo[churn] + self.expo(40 * DAY, churn.sum()) + DAY)
        self.platform = rng.choice(3, N, p=[0.38, 0.52, 0.10])
        # seen-before-created device sessions and legacy imports
        self.guest = rng.random(N) < 0.04
        for g in self.groups:
            m, k = g["members"], g["kind"]
            if k == "gift_laundering":
                mu = g["mules"]
                self.act[mu] = rng.uniform(3, 15, len(mu))
                self.hi[mu] = self.created[mu] + self.unif(2 * DAY, 12 * DAY, len(mu))
                self.payer[mu] = False
                self.platform[mu] = 1
                self.act[g["creators"]] = rng.uniform(2, 8, len(g["creators"]))
            elif k == "engagement_farm":
                self.act[m] = rng.uniform(5, 35, len(m))
                self.pfav[m] = 0.2
                self.payer[m] = False
                self.hi[m] = T1
                self.platform[m] = 1
            elif k == "matrix_operator":
                self.act[m] = rng.uniform(2, 10, len(m))
                self.payer[m] = False
                self.hi[m] = T1
            elif k == "bonus_ring":
                self.act[m] = rng.uniform(1, 6, len(m))
                self.hi[m] = self.created[m] + self.unif(1 * DAY, 6 * DAY, len(m))
                self.payer[m] = False
            elif k == "chat_spam":
                self.act[m] = 0
                self.hi[m] = np.minimum(T1, self.created[m] + self.unif(10 * DAY, 40 * DAY, len(m)))
                self.platform[m] = 2
            elif k == "account_takeover":
                v = g["victims"]
                self.act[v] = rng.uniform(30, 150, len(v))
                self.payer[v] = True
                self.hi[v] = T1
                self.act[g["attackers"]] = rng.uniform(1, 5, len(g["attackers"]))
            elif k == "agency":
                self.act[g["staff"]] = rng.uniform(5, 20, len(g["staff"]))
                self.platform[g["staff"]] = 2
            elif k == "net_cafe":
                self.platform[m] = 2
                self.act[m] *= 0.7
            elif k == "fan_club":
                self.act[m] = np.maximum(self.act[m], rng.uniform(10, 60, len(m)))
                self.payer[m] = rng.random(len(m)) < 0.55
                self.pfav[m] = rng.uniform(0.7, 0.95, len(m))
                self.hi[m] = T1
        self.act[self.lone] = 0
        self.payer[self.lone] = False

    # ---- 3. creators and streams ---------------------------------------------------------------
    def build_streams(self):
        rng = self.rng
        cre = np.flatnonzero(self.atype == CREATOR)
        C = len(cre)
        self.cre = cre
        self.cre_of = np.full(self.N, -1, np.int64)
        self.cre_of[cre] = np.arange(C)
        pop = 1.0 / (rng.permutation(C) + 1.0) ** 1.05
        nstream = 1 + rng.poisson(np.exp(rng.normal(2.4, 0.9, C)))
        pref = rng.normal(20.5, 2.0, C)
        dur_mean = np.exp(rng.normal(np.log(80), 0.4, C)) * MIN
        s_lo = np.maximum(self.created[cre], T0) + HOUR
        s_hi = np.full(C, T1 - 6 * HOUR, np.int64)
        self.bad_creator_slots = {}
        for g in self.groups:
            k = g["kind"]
            if k == "gift_laundering":
                c = self.cre_of[g["creators"]]
                pop[c] = 1.0 / rng.uniform(600, 3000, len(c))
                nstream[c] = rng.integers(60, 121, len(c))
                pref[c] = rng.uniform(0, 3, len(c)) + 24 - 1.0  # late night
                s_lo[c] = np.maximum(s_lo[c], g["waves"][0] - 3 * DAY)
            elif k == "matrix_operator":
                c = self.cre_of[g["creators"]]
                pop[c] = 1.0 / rng.uniform(300, 2000, len(c))
                nstream[c] = rng.integers(10, 36, len(c))
                pref[c] = rng.uniform(12, 23)
            elif k == "bonus_ring":
                c = self.cre_of[np.array([g["collector"]])]
                pop[c] = 1.0 / rng.uniform(1000, 4000)
                nstream[c] = rng.integers(6, 16)
                s_lo[c] = max(s_lo[c][0], g["bursts"][0] - DAY)
                s_hi[c] = min(T1 - 6 * HOUR, g["bursts"][-1] + 14 * DAY)
            elif k == "account_takeover":
                c = self.cre_of[g["attackers"]]
                pop[c] = 1.0 / rng.uniform(1000, 4000, len(c))
                nstream[c] = rng.integers(8, 20, len(c))
                s_lo[c] = np.maximum(s_lo[c], g["t_h"] - 8 * DAY)
                s_hi[c] = np.minimum(T1 - 6 * HOUR, g["t_h"] + 12 * DAY)
            elif k == "agency":
                c = self.cre_of[g["creators"]]
                pop[c] = 1.0 / rng.uniform(15, 250, len(c)) ** 1.05
                nstream[c] = rng.integers(40, 91, len(c))
                pref[c] = g["slot"] + rng.integers(0, 4, len(c)) * 1.5
                dur_mean[c] = 120 * MIN
        s_lo = np.minimum(s_lo, s_hi - DAY)
        self.pop = pop / pop.sum()
        self.cpref = pref
        sc = np.repeat(np.arange(C), nstream)
        ctry = self.ctry[cre[sc]]
        t = self.unif(s_lo[sc], s_hi[sc])
        off = (TZ[ctry] * HOUR).astype(np.int64)
        day = (t + off) // DAY * DAY
        hour = ((pref[sc] + rng.normal(0, 1.0, len(sc))) % 24.0) * HOUR
        start = day + hour.astype(np.int64) - off
        start = np.clip(start, s_lo[sc], s_hi[sc])
        dur = np.clip(np.exp(rng.normal(np.log(dur_mean[sc]), 0.5)), 10 * MIN, 8 * HOUR).astype(np.int64)
        order = np.lexsort((start, sc))
        self.s_cre, self.s_start, self.s_dur = sc[order], start[order], dur[order]
        self.S = len(sc)
        self.c_first = np.searchsorted(self.s_cre, np.arange(C))
        self.c_count = np.bincount(self.s_cre, minlength=C)
        self.s_key = (self.s_cre << 40) | ((self.s_start - (T0 - 4 * 365 * DAY)) // SEC)
        self.n_clips = 2 + rng.poisson(nstream / 3)
        self.clip_base = np.r_[0, np.cumsum(self.n_clips)[:-1]]
        # go_live events
        self.emit(cre[self.s_cre], A["go_live"], TT_STREAM, np.arange(self.S), self.s_start)

    def _skey(self, c, t):
        return (np.asarray(c, np.int64) << 40) | ((np.asarray(t, np.int64) - (T0 - 4 * 365 * DAY)) // SEC)

    def stream_at(self, c, t):
        """Latest stream of creator ``c`` that started at or before ``t`` (else its first)."""
        pos = np.searchsorted(self.s_key, self._skey(c, t), side="right") - 1
        return np.clip(pos, self.c_first[c], self.c_first[c] + self.c_count[c] - 1)

    def stream_after(self, c, t):
        """First stream of creator ``c`` starting at or after ``t`` (else its last)."""
        pos = np.searchsorted(self.s_key, self._skey(c, t), side="left")
        return np.clip(pos, self.c_first[c], self.c_first[c] + self.c_count[c] - 1)

    def in_stream(self, s, lo_frac=0.0, hi_frac=1.0, n=None):
        n = len(s) if n is None else n
        return self.s_start[s] + (self.s_dur[s] * self.rng.uniform(lo_frac, hi_frac, n)).astype(np.int64)

    def pick_creators(self, n):
        return self.rng.choice(len(self.cre), n, p=self.pop)

    def clip_of(self, c):
        return self.clip_base[c] + (self.rng.random(len(c)) * self.n_clips[c]).astype(np.int64)

    def gift_coins(self, n, whale=None):
        coins = self.rng.choice(GIFT_COINS, n, p=GIFT_P)
        if whale is not None:
            coins = np.where(whale, coins * self.rng.choice([1, 5, 10], n), coins)
        return coins

    # ---- 4. signals ----------------------------------------------------------------------------
    def build_signals(self):
        rng, N = self.rng, self.N
        allacc = np.arange(N)
        # pools shared across the platform
        n_nat = max(6, int(round(14 * self.s)))
        self.nat = self.new_ips(n_nat, ASN_CARRIER + rng.integers(0, 8, n_nat))
        nat_w = 1.0 / (np.arange(n_nat) + 1.0) ** 0.9
        self.nat_w = nat_w / nat_w.sum()
        n_ua = 120
        self.ua_common = self.new_entities("ua", n_ua)
        ua_w = 1.0 / (np.arange(n_ua) + 1.0) ** 1.1
        self.ua_w = ua_w / ua_w.sum()
        self.ua_emulator = self.new_entities("ua", 3)
        n_vpn = max(10, int(round(80 * self.s)))
        self.vpn = self.new_ips(n_vpn, ASN_VPN + rng.integers(0, 3, n_vpn))
        self.sms_pool = self.new_entities("phone", max(50, int(round(300 * self.s))))

        # home IPs: one per household, one per unaffiliated account (not mobile-only),
        # flatmates pair up on one
        home = np.full(N, -1, np.int64)
        hh = self.households
        h_ip = self.new_ips(hh["n"], ASN_HOME + rng.integers(0, N_ASN_HOME, hh["n"]))
        home[hh["members"]] = h_ip[hh["of"]]
        skip = np.zeros(N, bool)          # accounts whose identity is built by their group only
        mx = np.zeros(N, bool)            # matrix accounts: the operator's phones, SIMs and home
        for g in self.groups:
            if g["kind"] in ("gift_laundering", "chat_spam", "bonus_ring"):
                skip[g["members"]] = True
            if g["kind"] == "gift_laundering":
                skip[g["creators"]] = False
            if g["kind"] == "bonus_ring":
                skip[g["collector"]] = False
            if g["kind"] == "matrix_operator":
                mx[g["members"]] = True
        skip[self.lone] = True
        single = allacc[(home < 0) & ~skip & ~mx]
        single = np.setdiff1d(single, self.mobile_only)
        single = single[rng.random(len(single)) < 0.8]
        ips = self.new_ips(len(single), ASN_HOME + rng.integers(0, N_ASN_HOME, len(single)))
        org_single = np.isin(single, self.organic)
        flat = np.flatnonzero(org_single & (rng.random(len(single)) < 0.03))
        flat = flat[: len(flat) // 2 * 2]
        ips[flat[1::2]] = ips[flat[0::2]]
        home[single] = ips
        self.home = home
        # the residential-proxy pool: mostly fresh IPs, a quarter real subscribers' home IPs
        n_res = max(200, int(round(2500 * self.s)))
        fresh = self.new_ips(int(n_res * 0.75), ASN_HOME + rng.integers(0, N_ASN_HOME, int(n_res * 0.75)))
        homes = np.unique(home[home >= 0])
        self.res_pool = rng.permutation(np.r_[fresh, rng.choice(homes, n_res - len(fresh), replace=False)])

        # baseline identity for everybody -------------------------------------------------
        base = allacc[~skip]
        # devices: 1-3 own phones / PCs (matrix operators get theirs below)
        own = base[~mx[base]]
        ndev = 1 + (rng.random(len(own)) < 0.3) + (rng.random(len(own)) < 0.08)
        acc = np.repeat(own, ndev)
        seen = self.created[acc] + self.expo(HOUR, len(acc))
        later = np.r_[0, np.diff(acc)] == 0          # second/third device: later in life
        seen[later] = self.unif(self.created[acc[later]], np.maximum(self.created[acc[later]] + HOUR, T1))
        g_acc = self.guest[acc] & ~later
        seen[g_acc] = self.created[acc[g_acc]] - self.expo(8 * HOUR, g_acc.sum()) - MIN
        self.signal(acc, "device", self.new_entities("device", len(acc)), seen)
        # email: one each, 10% changed it once
        self.signal(base, "email", self.new_entities("email", len(base)), source="login")
        ch = base[rng.random(len(base)) < 0.1]
        self.signal(ch, "email", self.new_entities("email", len(ch)),
                    self.unif(self.created[ch], np.maximum(self.created[ch] + DAY, T1)), source="login")
        # phone: 75%, 1% of numbers recycled by the carrier to an unrelated later account
        ph = base[(rng.random(len(base)) < 0.75) & ~mx[base]]
        pe = self.new_entities("phone", len(ph))
        rec = rng.permutation(np.flatnonzero(rng.random(len(ph)) < 0.01))   # random, unrelated pairs
        rec = rec[: len(rec) // 2 * 2].reshape(-1, 2)
        rec = np.where((self.created[ph[rec[:, 0]]] > self.created[ph[rec[:, 1]]])[:, None], rec[:, ::-1], rec)
        pe[rec[:, 1]] = pe[rec[:, 0]]                                        # the later account inherits it
        seen_ph = self.created[ph] + self.expo(2 * HOUR, len(ph))
        self.signal(ph, "phone", pe, seen_ph, source="kyc")
        some = self.organic[rng.random(len(self.organic)) < 0.005]
        self.signal(some, "phone", rng.choice(self.sms_pool, len(some)), source="kyc")
        # IPs: home, carrier NAT (1-3), honest VPN users
        hb = base[home[base] >= 0]
        self.signal(hb, "ip", home[hb], source="login")
        moved = hb[rng.random(len(hb)) < 0.12]  # ISP change or move
        self.signal(moved, "ip", self.new_ips(len(moved), ASN_HOME + rng.integers(0, N_ASN_HOME, len(moved))),
                    self.unif(self.created[moved], np.maximum(self.created[moved] + DAY, T1)), source="login")
        mob = base[(home[base] < 0) | (rng.random(len(base)) < 0.7)]
        nn = 1 + (rng.random(len(mob)) < 0.35) + (rng.random(len(mob)) < 0.1)
        acc = np.repeat(mob, nn)
        self.signal(acc, "ip", rng.choice(self.nat, len(acc), p=self.nat_w),
                    self.unif(self.created[acc], np.maximum(self.created[acc] + HOUR, T1)), source="login")
        vpn_users = self.organic[rng.random(len(self.organic)) < 0.02]
        self.signal(vpn_users, "ip", rng.choice(self.vpn, len(vpn_users)),
                    self.unif(self.created[vpn_users], T1), source="login")
        # client fingerprints: common ones, 1% of honest users run an emulator
        self.signal(base, "ua", rng.choice(self.ua_common, len(base), p=self.ua_w), source="sdk")
        emu = self.organic[rng.random(len(self.organic)) < 0.01]
        self.signal(emu, "ua", rng.choice(self.ua_emulator, len(emu)), source="sdk")
        # cards for payers
        pay = base[self.payer[base]]
        ncard = 1 + (rng.random(len(pay)) < 0.25)
        acc = np.repeat(pay, ncard)
        self.signal(acc, "payment", self.new_entities("payment", len(acc)),
                    self.unif(self.created[acc], np.maximum(self.created[acc] + DAY, T1)), source="payment_gateway")
        # creators' bank accounts (agencies get theirs below)
        self.payout_of = np.full(self.N, -1, np.int64)
        ag = np.zeros(N, bool)
        for g in self.groups:
            if g["kind"] == "agency":
                ag[g["creators"]] = True
        cr = self.cre[~ag[self.cre]]
        self.payout_of[cr] = self.new_entities("payout", len(cr))
        self.signal(cr, "payout", self.payout_of[cr], source="kyc")

        # households: shared tablet, family card
        hm, hof, hsz = hh["members"], hh["of"], hh["sizes"]
        first = np.r_[0, np.cumsum(hsz)[:-1]]
        tab = rng.random(hh["n"]) < 0.45
        t_ent = self.new_entities("device", hh["n"])
        use = tab[hof] & (rng.random(len(hm)) < 0.8)
        self.signal(hm[use], "device", t_ent[hof[use]])
        fam = rng.random(hh["n"]) < 0.4
        f_ent = self.new_entities("payment", hh["n"])
        use = fam[hof] & (self.payer[hm] | (rng.random(len(hm)) < 0.3))
        self.payer[hm[use]] = True
        self.signal(hm[use], "payment", f_ent[hof[use]], source="payment_gateway")
        self.hh_first = hm[first]

        for g in self.groups:
            getattr(self, f"_signals_{g['kind']}")(g)

        # lone bad actors
        for i, r in zip(self.lone, self.lone_roles):
            i1 = np.array([i])
            nd = 1 if r != "lone_promo_abuser" else int(rng.integers(3, 7))
            self.signal(np.repeat(i1, nd), "device", self.new_entities("device", nd))
            self.signal(i1, "email", self.new_entities("email", 1), source="login")
            if r == "lone_carder":
                nc = int(rng.integers(4, 13))
                self.signal(np.repeat(i1, nc), "payment", self.new_entities("payment", nc),
                            self.unif(self.created[i], self.hi[i], nc), source="payment_gateway")
                self.signal(np.repeat(i1, 2), "ip", rng.choice(self.res_pool, 2, replace=False), source="login")
                self.signal(i1, "ua", rng.choice(self.ua_emulator, 1), source="sdk")
            elif r in ("lone_chat_spammer", "lone_view_bot"):
                self.signal(i1, "ip", self.new_ips(1, ASN_HOSTING + rng.integers(0, N_ASN_HOSTING)), source="login")
                self.signal(i1, "ua", rng.choice(self.ua_common, 1, p=self.ua_w), source="sdk")
            else:
                self.signal(np.repeat(i1, 2), "ip", rng.choice(self.vpn, 2, replace=False), source="login")
                self.signal(i1, "phone", rng.choice(self.sms_pool, 1), source="kyc")
                self.signal(i1, "ua", rng.choice(self.ua_common, 1, p=self.ua_w), source="sdk")

    def _signals_gift_laundering(self, g):
        rng = self.rng
        mu = g["mules"]
        n = len(mu)
        emus = self.new_entities("device", max(2, int(np.ceil(0.6 * n))))
        self.signal(mu, "device", rng.choice(emus, n))
        two = mu[rng.random(n) < 0.3]
        self.signal(two, "device", rng.choice(emus, len(two)), self.created[two] + self.expo(DAY, len(two)))
        ring_ua = rng.choice(self.ua_emulator)
        ua = np.where(rng.random(n) < 0.8, ring_ua, rng.choice(self.ua_common, n, p=self.ua_w))
        self.signal(mu, "ua", ua)
        cards = self.new_entities("payment", max(2, int(np.ceil(n / 2.5))))
        nc = 1 + (rng.random(n) < 0.35)
        acc = np.repeat(mu, nc)
        self.signal(acc, "payment", rng.choice(cards, len(acc)), self.created[acc] + self.expo(2 * HOUR, len(acc)),
                    source="payment_gateway")
        zone = self._proxy_zone(int(np.ceil(0.7 * n)))
        ni = rng.integers(1, 4, n)
        acc = np.repeat(mu, ni)
        self.signal(acc, "ip", rng.choice(zone, len(acc)), self.unif(self.created[acc], self.hi[acc]), source="login")
        self.signal(mu, "email", self.new_entities("email", n), source="login")
        vp = mu[rng.random(n) < 0.3]
        self.signal(vp, "phone", self.new_entities("phone", len(vp)), source="kyc")
        # creators: own identity already; some share one bank account, two may share a phone
        cr = g["creators"]
        shared_bank = self.new_entities("payout", 1)[0]
        sb = cr[rng.random(len(cr)) < 0.5]
        self.payout_of[sb] = shared_bank
        self.signal(sb, "payout", shared_bank, source="kyc")
        if rng.random() < 0.5:
            self.signal(cr[:2], "device", self.new_entities("device", 1)[0])

    def _proxy_zone(self, size):
        start = int(self.rng.integers(0, len(self.res_pool) - size))
        return self.res_pool[start:start + size]

    def _signals_engagement_farm(self, g):
        rng = self.rng
        w = g["members"]
        n = len(w)
        # own phones are already given in the baseline; a quarter share one reset phone in pairs
        pairs = rng.permutation(w)[: int(n * 0.25) // 2 * 2]
        pe = self.new_entities("device", len(pairs) // 2)
        self.signal(pairs, "device", np.repeat(pe, 2), self.unif(self.created[pairs], T1))
        zone = self._proxy_zone(max(4, n // 3))
        ni = rng.integers(2, 6, n)
        acc = np.repeat(w, ni)
        self.signal(acc, "ip", rng.choice(zone, len(acc)), self.unif(self.lo[acc], T1), source="login")

    def _signals_matrix_operator(self, g):
        rng = self.rng
        m = g["members"]
        n = len(m)
        phones = self.new_entities("device", int(rng.integers(2, 6)))
        main = rng.choice(phones, n)
        self.signal(m, "device", main, self.created[m] + self.expo(10 * MIN, n))
        sec = m[rng.random(n) < 0.2]
        self.signal(sec, "device", rng.choice(phones, len(sec)), self.unif(self.created[sec], T1))
        sims = self.new_entities("phone", int(rng.integers(2, 6)))
        hp = m[rng.random(n) < 0.7]
        self.signal(hp, "phone", rng.choice(sims, len(hp)), source="kyc")
        cards = self.new_entities("payment", int(rng.integers(1, 3)))
        cv = g["viewers"][rng.random(len(g["viewers"])) < 0.5]
        self.payer[cv] = True
        self.signal(cv, "payment", rng.choice(cards, len(cv)), self.unif(self.created[cv], T1), source="payment_gateway")
        # home IP instead of each account's own one
        op_home = self.new_ips(1, ASN_HOME + rng.integers(0, N_ASN_HOME))[0]
        hm = m[rng.random(n) < 0.8]
        self.signal(hm, "ip", op_home, self.unif(self.created[hm], T1), source="login")
        g["phones"] = phones

    def _signals_bonus_ring(self, g):
        rng = self.rng
        m = g["accounts"]
        n = len(m)
        dev = self.new_entities("device", n)
        shared = self.new_entities("device", max(1, n // 8))
        sh = rng.random(n) < 0.3
        dev[sh] = rng.choice(shared, sh.sum())
        self.signal(m, "device", dev, self.created[m] + self.expo(5 * MIN, n))
        nb = len(g["bursts"])
        burst_ips = rng.choice(self.vpn, (nb, 2))
        which = rng.integers(0, 2, n) * (rng.random(n) < 0.5)
        self.signal(m, "ip", burst_ips[g["burst_of"], which], self.created[m], source="login")
        ph = rng.random(n) < 0.9
        self.signal(m[ph], "phone", rng.choice(self.sms_pool, ph.sum()), source="kyc")
        self.signal(m, "email", self.new_entities("email", n), source="login")
        self.signal(m, "ua", rng.choice(self.ua_common, n, p=self.ua_w), source="sdk")
        mob = m[rng.random(n) < 0.5]
        self.signal(mob, "ip", rng.choice(self.nat, len(mob), p=self.nat_w), self.unif(self.created[mob], self.hi[mob]),
                    source="login")

    def _signals_chat_spam(self, g):
        rng = self.rng
        m = g["members"]
        n = len(m)
        block = self.new_ips(int(rng.integers(8, 21)), ASN_HOSTING + rng.integers(0, N_ASN_HOSTING))
        ni = rng.integers(1, 4, n)
        acc = np.repeat(m, ni)
        self.signal(acc, "ip", rng.choice(block, len(acc)), self.unif(self.created[acc], self.hi[acc]), source="login")
        hd = m[rng.random(n) < 0.5]
        self.signal(hd, "device", self.new_entities("device", len(hd)))
        self.signal(m, "ua", self.new_entities("ua", 1)[0], source="sdk")
        self.signal(m, "email", self.new_entities("email", n), source="login")

    def _signals_account_takeover(self, g):
        rng = self.rng
        v = g["victims"]
        n = len(v)
        t_hij = g["t_h"] + self.unif(0, 6 * DAY, n)
        g["t_hij"] = t_hij
        devs = self.new_entities("device", int(rng.integers(1, 3)))
        self.signal(v, "device", rng.choice(devs, n), t_hij)
        ips = rng.choice(self.res_pool, int(rng.integers(2, 5)), replace=False)
        ni = rng.integers(1, 3, n)
        acc = np.repeat(v, ni)
        self.signal(acc, "ip", rng.choice(ips, len(acc)), np.repeat(t_hij, ni) + self.expo(HOUR, len(acc)),
                    source="login")
        em = rng.random(n) < 0.5
        self.signal(v[em], "email", self.new_entities("email", em.sum()), t_hij[em] + self.expo(20 * MIN, em.sum()),
                    source="login")
        if rng.random() < 0.3:
            self.signal(g["attackers"][:1], "device", devs[0], t_hij.min() - DAY)

    def _signals_agency(self, g):
        rng = self.rng
        cr, st = g["creators"], g["staff"]
        office = self.new_ips(int(rng.integers(1, 3)), ASN_OFFICE + rng.integers(0, 5))
        allm = np.r_[cr, st]
        oc = allm[(rng.random(len(allm)) < 0.7) | np.isin(allm, st)]
        self.signal(oc, "ip", rng.choice(office, len(oc)), self.unif(self.created[oc], T1), source="login")
        studio = self.new_entities("device", int(rng.integers(2, 7)))
        sc = cr[rng.random(len(cr)) < 0.6]
        self.signal(sc, "device", rng.choice(studio, len(sc)), self.unif(self.created[sc], T1))
        sd = self.new_entities("device", int(rng.integers(1, 3)))
        self.signal(st, "device", rng.choice(sd, len(st)), self.unif(self.created[st], T1))
        bank = self.new_entities("payout", 1)[0]
        own = rng.random(len(cr)) < 0.2
        pe = np.where(own, self.new_entities("payout", len(cr)), bank)
        self.payout_of[cr] = pe
        self.signal(cr, "payout", pe, source="kyc")
        g["office"] = office

    def _signals_fan_club(self, g):
        pass

    def _signals_net_cafe(self, g):
        rng = self.rng
        m = g["members"]
        n = len(m)
        ips = self.new_ips(int(rng.integers(1, 3)), ASN_HOME + rng.integers(0, N_ASN_HOME))
        self.signal(m, "ip", rng.choice(ips, n), self.unif(self.created[m], T1), source="login")
        pcs = self.new_entities("device", int(rng.integers(8, 31)))
        k = rng.integers(1, 4, n)
        acc = np.repeat(m, k)
        self.signal(acc, "device", rng.choice(pcs, len(acc)), self.unif(self.created[acc], T1))
        self.signal(m, "ua", self.ua_common[int(rng.integers(0, 8))], source="sdk")

    def _signals_campus(self, g):
        rng = self.rng
        m = g["members"]
        n = len(m)
        ips = self.new_ips(int(rng.integers(3, 7)), ASN_CAMPUS + len(self.groups) % 9)
        k = rng.integers(1, 4, n)
        acc = np.repeat(m, k)
        self.signal(acc, "ip", rng.choice(ips, len(acc)), self.unif(self.created[acc], T1), source="login")

    # ---- 5. events ---------------------------------------------------------------------------
    def organic_events(self):
        rng = self.rng
        N = self.N
        F = 6
        C = len(self.cre)
        fav = rng.choice(C, (N, F), p=self.pop)
        for g in self.groups:
            if g["kind"] == "fan_club":
                star = self.cre_of[self.cre[np.argsort(-self.pop)[rng.integers(0, 40)]]]
                g["star"] = star
                fav[g["members"], :3] = star
            elif g["kind"] == "agency":
                fav[g["staff"]] = rng.choice(self.cre_of[g["creators"]], (len(g["staff"]), F))
        self.fav = fav
        n_sess = rng.poisson(self.act / 2.8)
        acc = np.repeat(np.arange(N), n_sess)
        n = len(acc)
        t = self.unif(self.lo[acc], self.hi[acc])
        use_fav = rng.random(n) < self.pfav[acc]
        c = np.where(use_fav, fav[acc, rng.integers(0, F, n)], self.pick_creators(n))
        s = self.stream_at(c, t)
        st, du = self.s_start[s], self.s_dur[s]
        early = rng.random(n) < 0.35
        join = np.where(early, st + self.expo(70 * SEC, n), st + (du * rng.random(n) * 0.9).astype(np.int64))
        ok = (join >= self.created[acc] + MIN) & (join < T1) & (self.cre[c] != acc)
        acc, s, c, join, st, du = acc[ok], s[ok], c[ok], join[ok], st[ok], du[ok]
        self.emit(acc, A["stream_join"], TT_STREAM, s, join)
        # follow-up actions inside the session
        k = rng.poisson(1.7, len(acc))
        i = np.repeat(np.arange(len(acc)), k)
        a2, s2, c2 = acc[i], s[i], c[i]
        t2 = np.minimum(join[i] + self.expo(9 * MIN, len(i)), st[i] + du[i])
        act = rng.choice(np.array([A["heart_tap"], A["chat_msg"], A["gift_send"], A["track_creator"],
                                   A["clip_repost"], A["fanclub_join"]]), len(i),
                         p=[0.40, 0.30, 0.12, 0.07, 0.08, 0.03])
        act = np.where((act == A["gift_send"]) & ~self.payer[a2], A["heart_tap"], act)
        for code in (A["heart_tap"], A["chat_msg"]):
            m = act == code
            self.emit(a2[m], code, TT_STREAM, s2[m], t2[m])
        m = act == A["gift_send"]
        self.emit(a2[m], A["gift_send"], TT_STREAM, s2[m], t2[m], self.gift_coins(m.sum(), self.whale[a2[m]]))
        m = act == A["track_creator"]
        self.emit(a2[m], A["track_creator"], TT_ACCOUNT, self.cre[c2[m]], t2[m])
        m = act == A["fanclub_join"]
        self.emit(a2[m], A["fanclub_join"], TT_CLUB, c2[m], t2[m])
        m = act == A["clip_repost"]
        self.emit(a2[m], A["clip_repost"], TT_CLIP, self.clip_of(c2[m]), t2[m] + self.expo(2 * HOUR, m.sum()))
        # top-ups of payers (not of accounts whose coins come from elsewhere)
        pay = np.flatnonzero(self.payer & (self.act > 0))
        nt = 1 + rng.poisson(self.act[pay] / 25)
        a = np.repeat(pay, nt)
        sku = np.minimum(rng.geometric(0.45, len(a)) - 1 + 2 * self.whale[a], len(SKUS) - 1)
        self.emit(a, A["coin_topup"], TT_SKU, sku, self.unif(self.lo[a], self.hi[a]), SKU_USD[sku])
        # sign-up bonus and promotion-day cohorts, friends' referrals
        newc = np.flatnonzero((self.created >= T0) & (self.act > 0) & self.is_honest)
        cl = newc[rng.random(len(newc)) < 0.55]
        self.emit(cl, A["bonus_claim"], TT_CAMPAIGN, 0, self.created[cl] + self.expo(3 * HOUR, len(cl)) + MIN)
        org_spike = self.organic[self.spike_campaign > 0]
        sp = org_spike[rng.random(len(org_spike)) < 0.85]
        self.emit(sp, A["bonus_claim"], TT_CAMPAIGN, self.spike_campaign[np.searchsorted(self.organic, sp)],
                  self.created[sp] + self.expo(40 * MIN, len(sp)) + MIN)
        ref = newc[rng.random(len(newc)) < 0.12]
        cand = rng.integers(0, N, len(ref))
        ok = (self.created[cand] < self.created[ref]) & self.is_honest[cand] & (cand != ref)
        self.emit(ref[ok], A["invite_redeem"], TT_ACCOUNT, cand[ok], self.created[ref[ok]] + self.expo(20 * MIN, ok.sum()) + MIN)
        # creators cash out
        hon = self.cre[self.is_honest[self.cre] & (self.pop[np.arange(len(self.cre))] > np.quantile(self.pop, 0.5))]
        nco = rng.integers(1, 8, len(hon))
        a = np.repeat(hon, nco)
        self.emit(a, A["cashout"], TT_PAYOUT, self.payout_of[a], self.unif(self.lo[a] + 7 * DAY, T1),
                  np.round(np.exp(rng.normal(4.5, 1.2, len(a))), 2))

    def viral_moments(self):
        rng = self.rng
        nv = self.count(30)
        top = np.argsort(-self.pop)[:60]
        c = rng.choice(top, nv)
        s = self.c_first[c] + (rng.random(nv) * self.c_count[c]).astype(np.int64)
        tv = self.in_stream(s, 0.1, 0.9)
        honest = np.flatnonzero(self.is_honest & (self.act > 0))
        w = self.act[honest] / self.act[honest].sum()
        for i in range(nv):
            k = int(rng.integers(150, 1501))
            who = np.unique(rng.choice(honest, k, p=w))
            who = who[(self.created[who] < tv[i]) & (self.cre[c[i]] != who)]
            n = len(who)
            t = tv[i] + self.expo(12 * SEC, n)
            a = rng.choice([A["heart_tap"], A["chat_msg"], A["gift_send"]], n, p=[0.5, 0.3, 0.2])
            a = np.where((a == A["gift_send"]) & ~self.payer[who], A["chat_msg"], a)
            amt = np.where(a == A["gift_send"], self.gift_coins(n), np.nan)
            self.emit(who, a, TT_STREAM, s[i], t, amt)

    def _group_events(self):
        for g in self.groups:
            fn = getattr(self, f"_events_{g['kind']}", None)
            if fn:
                fn(g)
        self._events_households()
        self._events_lone()

    def _events_gift_laundering(self, g):
        rng = self.rng
        mu, cr = g["mules"], self.cre_of[g["creators"]]
        n = len(mu)
        nt = rng.integers(1, 5, n)
        a = np.repeat(mu, nt)
        sku = rng.choice([4, 5, 6], len(a), p=[0.3, 0.5, 0.2])
        t_top = self.unif(self.created[a] + 10 * MIN, self.hi[a])
        self.emit(a, A["coin_topup"], TT_SKU, sku, t_top, SKU_USD[sku])
        ng = rng.integers(3, 26, n)
        a = np.repeat(mu, ng)
        c = rng.choice(cr, len(a))
        t = self.unif(self.created[a] + 20 * MIN, self.hi[a])
        s = self.stream_after(c, t)
        tg = self.in_stream(s, 0.05, 0.95)
        ok = tg > self.created[a]
        a, s, tg = a[ok], s[ok], tg[ok]
        self.emit(a, A["stream_join"], TT_STREAM, s, tg - self.expo(3 * MIN, len(a)) - SEC)
        self.emit(a, A["gift_send"], TT_STREAM, s, tg, rng.choice([999, 2999, 4999, 9999], len(a)))
        ch = rng.random(len(a)) < 0.3
        self.emit(a[ch], A["chat_msg"], TT_STREAM, s[ch], tg[ch] + self.expo(30 * SEC, ch.sum()))
        fo = rng.random(n) < 0.6
        self.emit(mu[fo], A["track_creator"], TT_ACCOUNT, rng.choice(g["creators"], fo.sum()),
                  self.created[mu[fo]] + self.expo(HOUR, fo.sum()) + MIN)
        # creators cash out weekly from the first wave
        cr_acc = g["creators"]
        for ci in cr_acc:
            k = int(rng.integers(8, 21))
            t = np.sort(self.unif(g["waves"][0] + 2 * DAY, T1, k))
            self.emit(np.full(k, ci), A["cashout"], TT_PAYOUT, self.payout_of[ci], t,
                      np.round(rng.uniform(300, 4000, k), 2))

    def _events_engagement_farm(self, g):
        rng = self.rng
        w = g["members"]
        n = len(w)
        J = int(rng.integers(25, 71))
        org_cre = self.cre_of[self.cre[self.is_honest[self.cre]]]
        customers = rng.choice(org_cre, J)
        s = self.c_first[customers] + (rng.random(J) * self.c_count[customers]).astype(np.int64)
        t_job = self.s_start[s] + self.unif(0, 20 * MIN, J)
        frac = rng.uniform(0.10, 0.35, J)
        width = rng.uniform(2, 20, J) * MIN
        jtype = rng.choice(3, J, p=[0.5, 0.3, 0.2])    # view, follow, clip
        job = np.repeat(np.arange(J), n)
        who = np.tile(w, J)
        keep = (rng.random(len(job)) < frac[job])
        job, who = job[keep], who[keep]
        t = t_job[job] + (rng.random(len(job)) * width[job]).astype(np.int64)
        ok = t > self.created[who] + HOUR
        job, who, t = job[ok], who[ok], t[ok]
        sj = s[job]
        self.emit(who, A["stream_join"], TT_STREAM, sj, t)
        k = rng.integers(1, 5, len(job))
        i = np.repeat(np.arange(len(job)), k)
        self.emit(who[i], A["heart_tap"], TT_STREAM, sj[i], t[i] + self.expo(2 * MIN, len(i)))
        ch = rng.random(len(job)) < 0.3
        self.emit(who[ch], A["chat_msg"], TT_STREAM, sj[ch], t[ch] + self.expo(90 * SEC, ch.sum()))
        fo = jtype[job] == 1
        self.emit(who[fo], A["track_creator"], TT_ACCOUNT, self.cre[customers[job[fo]]], t[fo] + self.expo(40 * SEC, fo.sum()))
        cl = jtype[job] == 2
        clip = self.clip_of(customers)
        self.emit(who[cl], A["clip_repost"], TT_CLIP, clip[job[cl]], t[cl] + self.expo(60 * SEC, cl.sum()))

    def _events_matrix_operator(self, g):
        rng = self.rng
        cr, vw = g["creators"], g["viewers"]
        allm = g["members"]
        cc = self.cre_of[cr]
        streams = np.concatenate([np.arange(self.c_first[c], self.c_first[c] + self.c_count[c]) for c in cc])
        pushed = streams[rng.random(len(streams)) < 0.45]
        P = len(g["phones"])
        rows_a, rows_s, rows_t = [], [], []
        pool = np.r_[vw, cr]
        for s in pushed:
            frac = rng.uniform(0.25, 0.6)
            who = pool[rng.random(len(pool)) < frac]
            who = who[(who != self.cre[self.s_cre[s]]) & (self.created[who] < self.s_start[s])]
            who = rng.permutation(who)
            gap = rng.uniform(25, 100) * SEC
            order = np.arange(len(who)) // P
            t = self.s_start[s] + rng.uniform(0, 15) * MIN + (order * gap + rng.random(len(who)) * gap).astype(np.int64)
            rows_a.append(who)
            rows_s.append(np.full(len(who), s))
            rows_t.append(t)
        a, s, t = np.concatenate(rows_a), np.concatenate(rows_s), np.concatenate(rows_t)
        self.emit(a, A["stream_join"], TT_STREAM, s, t)
        k = rng.integers(0, 4, len(a))
        i = np.repeat(np.arange(len(a)), k)
        act = rng.choice([A["heart_tap"], A["chat_msg"]], len(i), p=[0.6, 0.4])
        self.emit(a[i], act, TT_STREAM, s[i], t[i] + self.expo(40 * SEC, len(i)))
        gi = rng.random(len(a)) < 0.15
        gi &= self.payer[a]
        self.emit(a[gi], A["gift_send"], TT_STREAM, s[gi], t[gi] + self.expo(60 * SEC, gi.sum()),
                  rng.choice([10, 30, 99, 199], gi.sum()))
        # tracking its own creators, reposting their clips
        tr = np.repeat(allm, len(cr))
        tc = np.tile(cr, len(allm))
        ok = (tr != tc) & (rng.random(len(tr)) < 0.8)
        tr, tc = tr[ok], tc[ok]
        self.emit(tr, A["track_creator"], TT_ACCOUNT, tc,
                  np.maximum(self.created[tr], self.created[tc]) + self.expo(2 * DAY, len(tr)) + MIN)
        nc = rng.integers(2, 10, len(allm))
        ra = np.repeat(allm, nc)
        rc = rng.choice(cc, len(ra))
        self.emit(ra, A["clip_repost"], TT_CLIP, self.clip_of(rc), self.unif(self.lo[ra], T1))
        # top-ups of its card accounts
        py = allm[self.payer[allm]]
        nt = rng.integers(1, 5, len(py))
        a = np.repeat(py, nt)
        sku = rng.integers(1, 4, len(a))
        self.emit(a, A["coin_topup"], TT_SKU, sku, self.unif(self.lo[a], T1), SKU_USD[sku])
        for ci in cr:
            k = int(rng.integers(1, 6))
            self.emit(np.full(k, ci), A["cashout"], TT_PAYOUT, self.payout_of[ci], self.unif(self.lo[ci] + 10 * DAY, T1, k),
                      np.round(rng.uniform(20, 400, k), 2))

    def _events_bonus_ring(self, g):
        rng = self.rng
        m = g["accounts"]
        n = len(m)
        col = g["collector"]
        tc = self.created[m] + self.unif(1 * MIN, 15 * MIN, n)
        self.emit(m, A["bonus_claim"], TT_CAMPAIGN, 0, tc)
        two = rng.random(n) < 0.6
        self.emit(m[two], A["bonus_claim"], TT_CAMPAIGN, rng.choice([4, 5], two.sum()),
                  tc[two] + self.unif(30 * MIN, DAY, two.sum()))
        # referral chain: each account redeems the code of an earlier member (or the collector)
        order = np.argsort(self.created[m], kind="stable")
        ms = m[order]
        pos = np.arange(n)
        back = (rng.random(n) * pos).astype(np.int64)
        referrer = np.where(pos == 0, col, ms[back])
        referrer = np.where(rng.random(n) < 0.15, col, referrer)
        self.emit(ms, A["invite_redeem"], TT_ACCOUNT, referrer, self.created[ms] + self.unif(2 * MIN, 20 * MIN, n))
        ng = rng.integers(1, 4, n)
        a = np.repeat(m, ng)
        s = self.stream_after(np.full(len(a), self.cre_of[col]), self.created[a] + self.unif(HOUR, 3 * DAY, len(a)))
        t = self.in_stream(s, 0.05, 0.95)
        ok = t > self.created[a]
        a, s, t = a[ok], s[ok], t[ok]
        self.emit(a, A["stream_join"], TT_STREAM, s, t - self.expo(2 * MIN, len(a)) - SEC)
        self.emit(a, A["gift_send"], TT_STREAM, s, t, rng.choice([99, 199, 499], len(a)))
        k = int(rng.integers(2, 6))
        self.emit(np.full(k, col), A["cashout"], TT_PAYOUT, self.payout_of[col],
                  self.unif(g["bursts"][0] + 3 * DAY, min(T1, g["bursts"][-1] + 20 * DAY), k),
                  np.round(rng.uniform(50, 600, k), 2))

    def _live_streams(self, lo, hi, n, weight=1.0):
        """``n`` streams starting in [lo, hi), drawn by their creator's popularity ** weight."""
        cand = np.flatnonzero((self.s_start >= lo) & (self.s_start < hi))
        p = self.pop[self.s_cre[cand]] ** weight
        return self.rng.choice(cand, n, p=p / p.sum())

    def _events_chat_spam(self, g):
        rng = self.rng
        m = g["members"]
        n = len(m)
        nm = rng.integers(150, 601, n)
        a = np.repeat(m, nm)
        lo, hi = self.created[m].min(), self.hi[m].max()
        s = self._live_streams(lo, hi, len(a), 0.6)
        t = self.in_stream(s, 0.0, 1.0)
        ok = (t > self.created[a]) & (t < self.hi[a])
        a, s, t = a[ok], s[ok], t[ok]
        jn = rng.random(len(a)) < 0.5
        self.emit(a[jn], A["stream_join"], TT_STREAM, s[jn], t[jn] - self.expo(20 * SEC, jn.sum()) - SEC)
        self.emit(a, A["chat_msg"], TT_STREAM, s, t)
        # raids
        R = int(rng.integers(20, 61))
        rs = self._live_streams(lo + DAY, hi, R, 1.0)
        rt = self.in_stream(rs, 0.1, 0.9)
        r = np.repeat(np.arange(R), n)
        who = np.tile(m, R)
        keep = rng.random(len(r)) < rng.uniform(0.4, 0.9, R)[r]
        r, who = r[keep], who[keep]
        t = rt[r] + self.expo(5 * SEC, len(r))
        ok = (t > self.created[who]) & (t < self.hi[who])
        self.emit(who[ok], A["chat_msg"], TT_STREAM, rs[r[ok]], t[ok])

    def _events_account_takeover(self, g):
        rng = self.rng
        v, att = g["victims"], g["attackers"]
        th = g["t_hij"]
        n = len(v)
        nt = rng.integers(1, 4, n)
        a = np.repeat(v, nt)
        tt = np.repeat(th, nt) + self.unif(10 * MIN, 2 * DAY, len(a))
        sku = rng.choice([4, 5, 6], len(a))
        self.emit(a, A["coin_topup"], TT_SKU, sku, tt, SKU_USD[sku])
        ng = rng.integers(2, 9, n)
        a = np.repeat(v, ng)
        c = self.cre_of[rng.choice(att, len(a))]
        s = self.stream_after(c, np.repeat(th, ng) + self.unif(HOUR, 2 * DAY, len(a)))
        t = self.in_stream(s, 0.05, 0.95)
        self.emit(a, A["stream_join"], TT_STREAM, s, t - self.expo(2 * MIN, len(a)) - SEC)
        self.emit(a, A["gift_send"], TT_STREAM, s, t, rng.choice([2999, 4999, 9999], len(a)))
        for ai in att:
            k = int(rng.integers(2, 6))
            self.emit(np.full(k, ai), A["cashout"], TT_PAYOUT, self.payout_of[ai],
                      self.unif(th.min() + DAY, min(T1, th.max() + 15 * DAY), k), np.round(rng.uniform(500, 5000, k), 2))

    def _events_agency(self, g):
        rng = self.rng
        cr, st = g["creators"], g["staff"]
        cc = self.cre_of[cr]
        streams = np.concatenate([np.arange(self.c_first[c], self.c_first[c] + self.c_count[c]) for c in cc])
        # staff moderate: join most streams near the start and chat
        r = np.repeat(streams, len(st))
        who = np.tile(st, len(streams))
        keep = rng.random(len(r)) < 0.25
        r, who = r[keep], who[keep]
        t = self.s_start[r] + self.expo(90 * SEC, len(r))
        self.emit(who, A["stream_join"], TT_STREAM, r, t)
        k = rng.integers(0, 4, len(r))
        i = np.repeat(np.arange(len(r)), k)
        self.emit(who[i], A["chat_msg"], TT_STREAM, r[i], self.in_stream(r[i], 0.0, 1.0))
        # collabs: other creators of the agency drop in and gift
        co = streams[rng.random(len(streams)) < 0.2]
        for s in co:
            k = int(rng.integers(2, 7))
            who = rng.choice(cr, k, replace=False)
            who = who[(who != self.cre[self.s_cre[s]]) & (self.created[who] < self.s_start[s])]
            t = self.in_stream(np.full(len(who), s), 0.1, 0.6)
            self.emit(who, A["stream_join"], TT_STREAM, s, t)
            self.emit(who, A["gift_send"], TT_STREAM, s, t + self.expo(5 * MIN, len(who)), rng.choice([99, 199, 499], len(who)))
        tr = np.repeat(cr, 5)
        tc = rng.choice(cr, len(tr))
        ok = tr != tc
        self.emit(tr[ok], A["track_creator"], TT_ACCOUNT, tc[ok],
                  np.maximum(self.created[tr[ok]], self.created[tc[ok]]) + self.expo(5 * DAY, ok.sum()) + MIN)
        nco = rng.integers(2, 7, len(cr))
        a = np.repeat(cr, nco)
        self.emit(a, A["cashout"], TT_PAYOUT, self.payout_of[a], self.unif(self.lo[a] + 7 * DAY, T1),
                  np.round(np.exp(rng.normal(5.5, 0.8, len(a))), 2))

    def _events_fan_club(self, g):
        rng = self.rng
        m = g["members"]
        star = g["star"]
        E = int(rng.integers(4, 11))
        s = self.c_first[star] + rng.choice(self.c_count[star], min(E, self.c_count[star]), replace=False)
        E = len(s)
        tw = self.in_stream(s, 0.2, 0.85)
        r = np.repeat(np.arange(E), len(m))
        who = np.tile(m, E)
        keep = rng.random(len(r)) < rng.uniform(0.45, 0.85, E)[r]
        r, who = r[keep], who[keep]
        t = tw[r] + np.minimum(self.expo(6 * SEC, len(r)), 60 * SEC)
        ok = t > self.created[who]
        r, who, t = r[ok], who[ok], t[ok]
        pay = self.payer[who]
        self.emit(who[pay], A["gift_send"], TT_STREAM, s[r[pay]], t[pay], self.gift_coins(pay.sum()))
        self.emit(who[~pay], A["heart_tap"], TT_STREAM, s[r[~pay]], t[~pay])
        ch = rng.random(len(r)) < 0.5
        self.emit(who[ch], A["chat_msg"], TT_STREAM, s[r[ch]], t[ch] + self.expo(10 * SEC, ch.sum()))
        self.emit(m, A["fanclub_join"], TT_CLUB, star, self.unif(self.lo[m], T1))
        self.emit(m, A["track_creator"], TT_ACCOUNT, self.cre[star], self.unif(self.lo[m], T1))

    def _watch_party(self, g, n_events, frac, spread):
        rng = self.rng
        m = g["members"]
        E = int(rng.integers(*n_events))
        c = self.pick_creators(E)
        s = self.c_first[c] + (rng.random(E) * self.c_count[c]).astype(np.int64)
        t0 = self.s_start[s] + self.unif(0, 10 * MIN, E)
        r = np.repeat(np.arange(E), len(m))
        who = np.tile(m, E)
        keep = rng.random(len(r)) < rng.uniform(*frac, E)[r]
        r, who = r[keep], who[keep]
        t = t0[r] + (rng.random(len(r)) * spread).astype(np.int64)
        ok = t > self.created[who]
        r, who, t = r[ok], who[ok], t[ok]
        self.emit(who, A["stream_join"], TT_STREAM, s[r], t)
        k = rng.integers(0, 4, len(r))
        i = np.repeat(np.arange(len(r)), k)
        self.emit(who[i], rng.choice([A["heart_tap"], A["chat_msg"]], len(i)), TT_STREAM, s[r[i]],
                  t[i] + self.expo(4 * MIN, len(i)))

    def _events_net_cafe(self, g):
        self._watch_party(g, (3, 9), (0.3, 0.5), 3 * MIN)

    def _events_campus(self, g):
        self._watch_party(g, (2, 6), (0.2, 0.5), 2 * MIN)

    def _events_households(self):
        rng = self.rng
        hh = self.households
        nh = hh["n"]
        hm, hof, hsz = hh["members"], hh["of"], hh["sizes"]
        first = np.r_[0, np.cumsum(hsz)[:-1]]
        ns = rng.integers(0, 16, nh)
        h = np.repeat(np.arange(nh), ns)
        lead = hm[first[h]]
        c = self.fav[lead, rng.integers(0, self.fav.shape[1], len(h))]
        s = self.c_first[c] + (rng.random(len(h)) * self.c_count[c]).astype(np.int64)
        t0 = self.in_stream(s, 0.0, 0.7)
        # expand sessions to members
        reps = hsz[h]
        sess = np.repeat(np.arange(len(h)), reps)
        within = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
        who = hm[first[h[sess]] + within]
        keep = (rng.random(len(who)) < 0.7) & (self.created[who] < t0[sess])
        sess, who = sess[keep], who[keep]
        t = t0[sess] + self.expo(40 * SEC, len(sess))
        self.emit(who, A["stream_join"], TT_STREAM, s[sess], t)
        ht = rng.random(len(sess)) < 0.6
        self.emit(who[ht], A["heart_tap"], TT_STREAM, s[sess[ht]], t[ht] + self.expo(5 * MIN, ht.sum()))
        # younger members redeem an older member's invite
        newer = (self.created[hm] >= T0) & (self.created[hm] > self.created[hm[first[hof]]])
        nr = newer & (rng.random(len(hm)) < 0.5)
        self.emit(hm[nr], A["invite_redeem"], TT_ACCOUNT, hm[first[hof[nr]]], self.created[hm[nr]] + self.expo(30 * MIN, nr.sum()) + MIN)

    def _events_lone(self):
        rng = self.rng
        for i, r in zip(self.lone, self.lone_roles):
            lo, hi = self.created[i], min(T1, self.created[i] + int(rng.uniform(3, 30) * DAY))
            if r == "lone_carder":
                k = int(rng.integers(5, 25))
                sku = rng.choice([3, 4, 5, 6], k)
                self.emit(np.full(k, i), A["coin_topup"], TT_SKU, sku, self.unif(lo, hi, k), SKU_USD[sku])
                ng = int(rng.integers(10, 60))
                s = self._live_streams(lo, hi, ng, 0.3)
                self.emit(np.full(ng, i), A["gift_send"], TT_STREAM, s, self.in_stream(s), rng.choice([999, 2999, 4999], ng))
            elif r == "lone_chat_spammer":
                k = int(rng.integers(80, 300))
                s = self._live_streams(lo, hi, k, 0.7)
                self.emit(np.full(k, i), A["chat_msg"], TT_STREAM, s, self.in_stream(s))
            elif r == "lone_view_bot":
                k = int(rng.integers(100, 400))
                s = self._live_streams(lo, hi, k, 0.2)
                self.emit(np.full(k, i), A["stream_join"], TT_STREAM, s, self.in_stream(s, 0.0, 0.2))
            else:
                k = int(rng.integers(2, 5))
                self.emit(np.full(k, i), A["bonus_claim"], TT_CAMPAIGN, rng.choice(len(CAMPAIGNS), k),
                          self.unif(lo, hi, k))
                ref = rng.integers(0, self.N, 3)
                self.emit(np.full(3, i), A["invite_redeem"], TT_ACCOUNT, ref, self.unif(lo, hi, 3))

    # ---- 6. assemble ---------------------------------------------------------------------------
    def generate(self):
        self.build_population()
        self.is_honest = ~self.bad
        self.behaviour_params()
        self.build_streams()
        self.build_signals()
        self.organic_events()
        self.viral_moments()
        self._group_events()
        return self.tables()

    def tables(self):
        rng = self.rng
        N = self.N
        # account ids in creation order, random gaps
        order = np.argsort(self.created, kind="stable")
        ids = 1_000_000 + np.cumsum(rng.integers(1, 30, N))
        acct_id = np.empty(N, dtype=object)
        acct_id[order] = ids.astype(str)
        self.acct_id = acct_id
        n_acct = np.empty(N, np.int64)
        n_acct[order] = ids

        accounts = pl.DataFrame({
            "account_id": pl.Series(acct_id[order].astype(str), dtype=pl.String),
            "created_at": pl.Series(self.created[order], dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
            "account_type": ATYPES[self.atype[order]],
            "country": COUNTRIES[self.ctry[order]],
            "signup_platform": PLATFORMS[self.platform[order]],
        })

        # signals
        acc = np.concatenate([x[0] for x in self.sig])
        kinds = np.concatenate([np.full(len(x[0]), x[1], dtype=object) for x in self.sig])
        ent = np.concatenate([x[2] for x in self.sig])
        seen = np.concatenate([x[3] for x in self.sig])
        src = np.concatenate([np.full(len(x[0]), x[4], dtype=object) for x in self.sig])
        # asn: one row per account and network operator of its IPs
        ip_asn = np.concatenate(self.ip_asn)
        isip = kinds == "ip"
        a_acc, a_asn, a_seen = acc[isip], ip_asn[ent[isip]], seen[isip]
        acc = np.r_[acc, a_acc]
        kinds = np.r_[kinds, np.full(len(a_acc), "asn", dtype=object)]
        ent = np.r_[ent, a_asn]
        seen = np.r_[seen, a_seen]
        src = np.r_[src, np.full(len(a_acc), "enrichment", dtype=object)]
        seen = np.minimum(seen, T1 - MIN)
        # mobile-only accounts are grouped by their main (first) carrier NAT
        isnat = (kinds == "ip") & np.isin(ent, self.nat) & np.isin(acc, self.mobile_only)
        o = np.lexsort((seen[isnat], acc[isnat]))
        na, ne = acc[isnat][o], ent[isnat][o]
        ua_, first = np.unique(na, return_index=True)
        nat_group = np.full(N, None, dtype=object)
        nat_group[ua_] = np.array([f"nat-{int(np.searchsorted(self.nat, e)) + 1:02d}" for e in ne[first]], dtype=object)
        width = {"device": 16, "ip": 8, "email": 20, "phone": 12, "payment": 16, "payout": 10, "ua": 8, "asn": 4}
        value = np.empty(len(acc), dtype=object)
        payout_hex = None
        for k, nb in width.items():
            m = kinds == k
            if not m.any():
                continue
            uniq, inv = np.unique(ent[m], return_inverse=True)
            hexes = to_hex(int(uniq.max()) + 1, nb, rng)
            value[m] = hexes[ent[m]]
            if k == "payout":
                payout_hex = hexes
        sig = pl.DataFrame({
            "account_id": pl.Series(acct_id[acc].astype(str), dtype=pl.String),
            "kind": pl.Series(kinds.astype(str), dtype=pl.String),
            "value": pl.Series(value.astype(str), dtype=pl.String),
            "seen_at": pl.Series(seen, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
            "source": pl.Series(src.astype(str), dtype=pl.String),
            "_seen_sort": seen,
            "_n": n_acct[acc],
        })
        sig = (sig.sort("_n", "kind", "_seen_sort")
               .unique(subset=["account_id", "kind", "value"], keep="first", maintain_order=True)
               .drop("_seen_sort", "_n"))
        legacy = rng.random(sig.height) < 0.006
        sig = sig.with_columns(pl.when(pl.Series(legacy)).then(None).otherwise(pl.col("seen_at")).alias("seen_at"))

        # events
        e_acc = np.concatenate([x[0] for x in self.ev])
        e_act = np.concatenate([x[1] for x in self.ev])
        e_tgt = np.concatenate([x[2] for x in self.ev])
        e_ts = np.concatenate([x[3] for x in self.ev])
        e_amt = np.concatenate([x[4] for x in self.ev])
        ok = (e_ts >= self.created[e_acc]) & (e_ts >= T0) & (e_ts < T1)
        e_acc, e_act, e_tgt, e_ts, e_amt = e_acc[ok], e_act[ok], e_tgt[ok], e_ts[ok], e_amt[ok]
        ttype, tidx = e_tgt >> 40, e_tgt & ((1 << 40) - 1)
        names = {
            TT_STREAM: np.char.add("lv", to_hex(self.S, 5, rng)),
            TT_ACCOUNT: acct_id.astype(str),
            TT_CLIP: np.char.add("c", (rng.permutation(int(self.n_clips.sum())) + 10**8 + 12_345).astype(str)),
            TT_SKU: SKUS,
            TT_PAYOUT: np.char.add("po_", payout_hex),
            TT_CAMPAIGN: CAMPAIGNS,
            TT_CLUB: np.char.add("fc-", acct_id[self.cre].astype(str)),
        }
        target = np.empty(len(e_acc), dtype=object)
        for tt, arr in names.items():
            m = ttype == tt
            target[m] = arr[tidx[m]]
        plat = self.platform[e_acc].copy()
        plat = np.where(rng.random(len(plat)) < 0.08, 2, plat)
        act_names = ACTIONS[e_act].astype(object)
        legacy = (plat == 2) & (rng.random(len(plat)) < 0.04)
        act_names[legacy] = np.char.upper(ACTIONS[e_act[legacy]].astype(str))
        events = pl.DataFrame({
            "ts": pl.Series(e_ts, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
            "account_id": pl.Series(acct_id[e_acc].astype(str), dtype=pl.String),
            "action": pl.Series(act_names.astype(str), dtype=pl.String),
            "target_id": pl.Series(target.astype(str), dtype=pl.String),
            "amount": pl.Series(e_amt, dtype=pl.Float64).fill_nan(None),
            "platform": PLATFORMS[plat],
            "_code": e_act,
        })
        # a follow or a fan-club join happens once per account and target
        once = events.filter(pl.col("_code").is_in([A["track_creator"], A["fanclub_join"]])).sort("ts", "account_id", "target_id", maintain_order=True) \
            .unique(subset=["account_id", "_code", "target_id"], keep="first", maintain_order=True)
        events = pl.concat([events.filter(~pl.col("_code").is_in([A["track_creator"], A["fanclub_join"]])), once]) \
            .sort("ts", "account_id", "_code", "target_id", "amount", maintain_order=True).drop("_code")

        # truth
        truth = pl.DataFrame({
            "account_id": pl.Series(acct_id.astype(str), dtype=pl.String),
            "is_bad": pl.Series(self.bad, dtype=pl.Boolean),
            "group_id": pl.Series(self.gid.tolist(), dtype=pl.String),
            "group_kind": pl.Series(self.kind.astype(str), dtype=pl.String),
            "role": pl.Series(self.role.astype(str), dtype=pl.String),
        })
        nat = pl.Series("nat_gid", nat_group.tolist(), dtype=pl.String)
        truth = truth.with_columns(nat).with_columns(
            pl.coalesce("group_id", "nat_gid").alias("group_id"),
            pl.when(pl.col("nat_gid").is_not_null()).then(pl.lit("carrier_nat")).otherwise(pl.col("group_kind"))
            .alias("group_kind"),
            pl.when(pl.col("nat_gid").is_not_null()).then(pl.lit("mobile_only_viewer")).otherwise(pl.col("role"))
            .alias("role"),
        ).drop("nat_gid")
        truth = truth.sort(pl.col("account_id").cast(pl.Int64))

        labels = self.labels(truth)
        return dict(accounts=accounts, signals=sig, events=events, labels=labels, truth=truth)

    def labels(self, truth: pl.DataFrame) -> pl.DataFrame:
        rng = self.rng
        N = self.N
        lab = np.full(N, -1, np.int64)
        decided = np.full(N, 0, np.int64)
        for g in self.groups:
            if g["bad"]:
                if rng.random() < 0.6:
                    m = g["members"][rng.random(len(g["members"])) < 0.4]
                    lab[m] = 1
            elif g["kind"] == "agency":
                m = g["members"][rng.random(len(g["members"])) < 0.4]
                lab[m] = 0
        lab[self.lone[rng.random(len(self.lone)) < 0.3]] = 1
        for g in self.groups:
            if g["kind"] == "account_takeover":
                v = g["victims"][rng.random(len(g["victims"])) < 0.3]
                lab[v] = 0                        # vouched for before they were hijacked
        honest = np.flatnonzero(self.is_honest & (lab < 0))
        w = np.where(self.created[honest] < T0 - 365 * DAY, 2.0, 1.0) * np.where(self.atype[honest] == CREATOR, 2.5, 1.0)
        k = int(0.12 * N)
        pick = rng.choice(honest, min(k, len(honest)), replace=False, p=w / w.sum())
        lab[pick] = 0
        ids = np.flatnonzero(lab >= 0)
        y = lab[ids].copy()
        flip = np.where(y == 1, rng.random(len(y)) < 0.04, rng.random(len(y)) < 0.02)
        y[flip] = 1 - y[flip]
        decided = np.maximum(self.created[ids], T0) + self.unif(DAY, 60 * DAY, len(ids))
        decided = np.minimum(decided, T1 - HOUR)
        src = np.where(y == 1, rng.choice(np.array(["chargeback", "manual_review", "auto_rule"]), len(y)),
                       rng.choice(np.array(["kyc", "manual_review", "appeal"]), len(y)))
        return pl.DataFrame({
            "account_id": pl.Series(self.acct_id[ids].astype(str), dtype=pl.String),
            "label": pl.Series(y, dtype=pl.Int64),
            "source": src,
            "decided_at": pl.Series(decided, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
        }).sort(pl.col("account_id").cast(pl.Int64))


def write(tables: dict, out: Path, labels: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("labels.parquet", "labels.csv"):
        (out / stale).unlink(missing_ok=True)
    tables["accounts"].write_csv(out / "accounts.csv", datetime_format="%Y-%m-%dT%H:%M:%S%:z")
    tables["events"].write_csv(out / "events.csv", datetime_format="%Y-%m-%dT%H:%M:%S%.3fZ")
    tables["signals"].write_parquet(out / "signals.parquet")
    tables["truth"].write_parquet(out / "truth.parquet")
    if labels:
        tables["labels"].write_parquet(out / "labels.parquet")


def report(tables: dict) -> str:
    truth = tables["truth"]
    lines = ["group_kind           groups  accounts   bad"]
    per = truth.group_by("group_kind").agg(
        pl.col("group_id").drop_nulls().n_unique().alias("groups"), pl.len().alias("accounts"),
        pl.col("is_bad").sum().alias("bad")).sort("bad", "accounts", descending=True)
    for r in per.iter_rows(named=True):
        lines.append(f"{r['group_kind']:<20}{r['groups']:>7}{r['accounts']:>10,}{r['bad']:>6,}")
    lines.append(f"{'total':<20}{truth['group_id'].drop_nulls().n_unique():>7}{truth.height:>10,}{int(truth['is_bad'].sum()):>6,}")
    ev = tables["events"].with_columns(pl.col("action").str.to_lowercase()).group_by("action").agg(pl.len()).sort("len", descending=True)
    lines.append(f"\nevents {tables['events'].height:,}: " + ", ".join(f"{a} {n:,}" for a, n in ev.rows()))
    sg = tables["signals"].group_by("kind").agg(pl.len(), pl.col("value").n_unique().alias("values")).sort("len", descending=True)
    lines.append(f"signals {tables['signals'].height:,}: " + ", ".join(f"{k} {n:,} ({v:,} values)" for k, n, v in sg.rows()))
    lab = tables["labels"]
    lines.append(f"labels {lab.height:,} ({int(lab['label'].sum()):,} bad)")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Generate the Glimmer live-streaming test marketplace.")
    p.add_argument("out", type=Path)
    p.add_argument("--accounts", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-labels", action="store_true", help="do not write labels.parquet")
    p.add_argument("--report", action="store_true", help="print counts per group kind")
    a = p.parse_args(argv)
    t = time.perf_counter()
    tables = Glimmer(a.accounts, a.seed).generate()
    write(tables, a.out, labels=not a.no_labels)
    if a.report:
        print(report(tables))
        print(f"written to {a.out} in {time.perf_counter() - t:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

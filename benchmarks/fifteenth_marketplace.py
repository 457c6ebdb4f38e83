#!/usr/bin/env python
"""A fifteenth synthetic marketplace: an online multiplayer game with an item/currency market.

Written from the data contract (shared/DESIGN.md) and the game domain alone; nothing of
syndicate's detection code or tests was read while designing it.

    python benchmarks/fifteenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Deterministic for a given ``--accounts`` and ``--seed`` (one numpy ``default_rng``; the files are
byte-identical from run to run). Nine months of activity, 2024-04-01 .. 2024-12-31 UTC; the game
launched in 2017 and ~54 % of the accounts were created before the window. About 2 s for 20k
accounts (1.9M events) and 12-15 s for 100k (~9.5M events) on two cores; at least 3,000 accounts.

Data sheet
==========

Files written to OUT_DIR
------------------------
``accounts.parquet``
    ``account_id``   ``pl_`` + eight base-36 characters (random, says nothing about age),
    ``created_at``   timezone-aware UTC, milliseconds,
    ``account_type`` ``player``; ``creator`` for streamers and esports players; ``staff`` for the
                     studio's community team,
    ``country``      23 countries over eight game shards (na-east, na-west, sa-east, eu-west,
                     eu-central, asia-ne, asia-se, oce),
    extras (ignored by the contract): ``platform`` (pc / console / mobile), ``home_shard``.
``signals.parquet``
    ``account_id``, ``kind`` (device, ip, email, phone, payment), ``value`` (16 hex digits,
    opaque), ``seen_at`` (naive UTC, microseconds: the first time the pair was seen, about 0.2 %
    null), extra ``source`` (signup, login, payment, settings, history = before the window).
    One row per (account_id, kind, value). Device = client/hardware fingerprint (PC, console,
    phone, VM); payment = card fingerprint (only web-shop purchases expose one; console and
    app-store purchases don't).
``events.parquet``
    ``account_id``, ``action``, ``target_id``, ``ts`` (naive UTC, milliseconds), sorted by ``ts``;
    extras ``detail`` (str, nullable) and ``amount`` (int, nullable). Actions and targets:

    ==================== ================================== ====================================
    action               target_id                          detail / amount
    ==================== ================================== ====================================
    login                the shard, ``shard:eu-west``       --
    match_join           a match id ``M<10 digits>``        mode: ranked, casual, arena,
                         (ids grow with time, with gaps)    dungeon, raid, custom
    match_result         the same match id                  win, loss, abandon, clear, wipe
    chat_msg             a channel ``ch/world/<shard>``,    world, trade, guild, whisper
                         ``ch/trade/<shard>``,
                         ``ch/guild/<n>``, or an account
                         id (whisper)
    trade_offer          the other account id               items / gold; amount = gold offered
    trade_accept         the offering account id            --
    gift_item            the recipient account id           item class (cosmetic, holiday_box,
                                                            gem_pack, mount, gear, event_prize)
    mail_gold            the recipient account id           amount = gold
    market_list          a listing id ``L-<8 digits>``      item class; amount = asking price
    market_buy           the listing id bought              amount = price paid
    currency_buy         a sku (``gems_100`` ..             amount = price in cents
                         ``gems_14000``, ``battle_pass``,
                         ``starter_pack``)
    payment_declined     the sku                            amount = price in cents
    payment_chargeback   the sku (weeks after the buy)      amount = price in cents
    friend_add           the befriended account id          --
    report_player        the reported account id            cheating, toxicity, afk
    email_change         literal ``settings``               --
    password_reset       literal ``settings``               --
    ==================== ================================== ====================================

    About 0.08 % of rows are exact duplicates (client retries).
``labels.csv`` (unless ``--no-labels``)
    ``account_id``, ``label`` (1 confirmed bad, 0 confirmed good); 10 % of accounts.
``truth.parquet``
    ``account_id``, ``is_bad`` (bool), ``group_id`` (str like ``bot_fleet/03``; null for lone
    actors and unaffiliated players), ``group_kind`` (str; ``organic`` for unaffiliated players,
    ``lone_cheater`` / ``lone_scammer`` for lone bad actors), ``role`` (str). Every account once.

Honest population (group_kind ``organic`` and the benign groups below)
----------------------------------------------------------------------
Local-time daily rhythm (evening peak; some night owls; children play after school), more on
weekends; heavy-tailed activity (log-normal session rate, median one session in ~18 days, a tail
to several a day); churn (most new players leave within weeks, ~28 % of old accounts are
dormant). Sessions hold PvP matches (matchmaking groups queued players of a shard and mode into
lobbies within 3 minutes, so strangers share match ids), solo dungeon runs, chat, market
listings and purchases (buyers pick recent listings: many buy from bots), trades and gifts to a
few stable friends, friend_add, reports (weighted toward cheaters and very strong players),
web-shop or store purchases. Identifiers: one or two devices (upgrades mid-window), a home line
(re-assigned by the ISP for some; CGNAT pools shared by dozens in BR/MX/TR/south-east Asia),
phone sessions from Zipf-shaped carrier IP pools, commercial VPN exits (~5 %), a cloud-gaming
service (~1.5 % of PC players: datacenter IPs and six VM fingerprints shared by dozens of
    players, hundreds at 100k),
hotel Wi-Fi; email for all, a 2FA phone for a quarter (a few on SMS-activation numbers).

Planted bad groups (is_bad = true) -- counts at 20k accounts; counts scale with --accounts
-----------------------------------------------------------------------------------------
``bot_fleet`` (~4 groups, 30-150 bots + 1-3 collectors)
    Gold-farming bots on 2-6 VMs: cloned VM fingerprints (1-3 per VM) and the VM's datacenter
    addresses, while ~35 % of bots spoof a fresh fingerprint every 10-30 days and ~45 % route
    through a residential-proxy pool shared with other operators (12 % of its exits are infected
    home lines of honest players). Registered by script in 2-5 waves (20-120 s apart); ~20 % are
    bought aged accounts. One or two fixed UTC shifts of 5-9 h, per-bot offset and minutes of
    jitter, each bot on only 50-85 % of days and banned/replaced after weeks. Dungeon runs on a
    fleet-wide clock (a third in parties of bots entering the same instance within seconds),
    farmed materials listed on the market, gold mailed at the end of each shift to the
    collectors (sometimes bot-to-bot, sometimes straight to an RMT mule); some bots spam the world
    chat; a little casual matchmaking as cover. Collectors: the operator's PC and home line or a
    VPN; they forward gold to an RMT ring, or sell to their own buyers.
``rmt_ring`` (~4 groups, 3-12 mules)
    Real-money-trading sellers: mules registered in 2-5 waves as earlier ones get banned, each on
    its own (virtual) machine with the operator's 1-3 PCs on part of the logins, operator home
    line / VPN / residential proxies, SMS-activation phones. Gold comes in from fleet collectors,
    bots, studio collectors, chargeback cash-outs and takeover drops (mail, or trades for which
    the mule logs in). It goes out to buyers (role ``rmt_buyer``, group_kind
    ``organic``, is_bad false: ordinary players who paid off-platform; only the in-game leg is
    visible; 25-250 per ring) by trade, by mail, or by auction-house laundering: the buyer lists junk at a silly
    price and the mule buys it minutes later. Buyers are online on their own devices then.
``win_trading`` (~7 groups, 5-20 accounts)
    Boosting rings: 2-4 boosters (old, very active real players), feeder alts created on the
    boosters' machines (a third on a device of their own), and clients (real players' accounts;
    in half the rings the booster plays them from his own PC and line). Campaigns of 2-8 weeks,
    2-5 late nights a week: queue sniping into the same ranked match within 45 s (up to 2 minutes
    for a fifth), booster and client win, feeders lose or abandon; 2-5 random strangers in each
    of those matches. A few clients tip the booster with gifts.
``account_takeover`` (~4 waves, 6-40 victims + 2-5 drops)
    Over 1-4 weeks an operator logs into old accounts (dormant and paying ones preferred) from
    2-4 devices (antidetect: half the logins on a new fingerprint in 40 % of waves) and a dozen
    proxy/VPN addresses, resets passwords, swaps the e-mail on half (in a third of the waves to
    one or two shared attacker addresses), and within minutes trades, gifts and mails items and
    gold to drop accounts; some victims are visited twice. 55 % recover days later (password
    reset from their own machine) and play on; the rest are abandoned. Drops list the loot and
    pass gold to an RMT ring in some waves. Roles ``victim`` and ``drop``.
``chargeback_ring`` (~6 groups, 5-25 carders + 1-3 cash-outs)
    Fresh accounts registered minutes apart in 1-3 waves on 1-3 emulator fingerprints (30 % of
    them spoofed), each session from a different residential proxy, SMS-pool phones; each carder
    holds 1-3 cards from the wave's small stolen set (cards carried over between waves): a
    $0.99 test buy, declines, then big gem packs within minutes; within the hour gem packs are
    gifted to the ring's cash-out accounts (older, one PC), to an RMT mule or to strangers.
    75 % of the purchases come back as ``payment_chargeback`` 20-75 days later.
``farm_studio`` (~3 groups, 15-40 workers + 1-2 collectors) -- the hard case
    A human gold-farming workshop in PH/VN/ID/BR/TH that looks like an internet cafe: workers sit
    at 7-19 office PCs shared across two shifts (a device is on 2-3 accounts), the office line
    on about half the sessions and a bought proxy plan on the rest, human pacing (shift starts
    jittered by ~20 min, lunch break, a day off per week, absences), dungeon runs sometimes in
    small parties of co-workers, market listings, some ranked/casual play and trade chat. Workers
    are hired in batches and leave or are banned after a few months. Every few days a worker
    hands gold to a collector (on the manager's PC at the office or at home), which sells to its
    own buyers and/or an RMT ring.

Lone bad actors (is_bad = true, group_id null): ``lone_cheater`` (~0.25 % of players: high win
rate, reported a lot), ``lone_scammer`` (~0.08 %: trade offers and whispers to dozens of
strangers).

Benign look-alikes (is_bad = false, with a group_id)
----------------------------------------------------
``internet_cafe`` (~12, 25-220 regulars)   LAN centres in KR/PH/VN/ID/TH/BR/TR/PL...: 1-3 public
                           IPs (sometimes re-assigned), 15-60 PCs used by everybody, new PC
                           batches installed 1-3 times, so dozens of old accounts meet a new
                           device within a week; 40 % of the regulars play only there; walk-ins
                           (other players) share the cafe IP and PCs one to three times.
``campus`` (~4, 80-400)   school / university NAT (1-3 IPs) and lab PCs, weekday class hours,
                           term breaks; a fifth of the students sign up in the first weeks of
                           September on the campus network.
``guild`` (~22, 8-70)      raid nights 1-2 times a week at a fixed local hour: attending members
                           join the same raid instance within seconds, run after run, for hours,
                           each from their own devices; guild chat; in larger guilds a
                           ``guild_bank`` alt (on the officer's PC) receives donations from many
                           members and hands out loot.
``family`` (~300, 2-5)     one home line, usually one console/PC for all, the parent's card
                           paying for the children, the parent's phone on some children.
``streamer_community`` (~5, 40-300)   a streamer (creator) streams 2-5 evenings a week; every
                           half hour a custom lobby that viewers join in a burst seconds after
                           the streamer; donations (gifts) to the streamer, giveaways back;
                           a front-page stream makes ~15 % of the viewers sign up right after it.
``esports_team`` (~4, 6)   two teams scrimming each other most evenings (10 accounts in the same
                           custom match within 40 s, hundreds of times), bootcamps at one gaming
                           house IP on six shared PCs.
``friend_circle`` (~300, 3-10)   party nights in the same matches, gifts to each other in the
                           anniversary (July) and winterfest (December) events, mostly on the peak
                           days; plus everybody's "gift three friends" campaign: a quarter of the
                           active players send three gifts within a minute.
``game_staff`` (1, 3-8)    the community team (account_type staff): HQ IP and a few devices,
                           weekly and event giveaways, gifting prizes to dozens of players.
Infrastructure shared without any group: CGNAT and carrier pools, VPN exits, cloud gaming, and
the proxy exits that are also honest home lines. Honest roles worth knowing: ``rmt_buyer`` and
``reported_pro`` (very strong players reported as cheaters).

Labels
------
Enforcement found some bad groups and not others (chance by kind: chargeback 0.85, bot fleet 0.8,
takeover 0.6, RMT 0.5, win trading 0.3, farm studio 0.2; at least one found and one missed):
found groups have 50-95 % of their members labelled 1 (takeover victims: half locked and
labelled 1, a few restored and labelled 0), ~4 % of those reinstated on appeal (0); some missed
groups have a few members reviewed and cleared (0). Some lone actors are labelled 1. Honest
accounts (payers, old accounts and creators preferred) are labelled 0 to make 10 %. Noise: a
fifth of the reported pros, a buyer ban wave (4 % of RMT buyers), collateral bans at internet
cafes, ~0.8 % of the honest labels flipped -- about 3-5 % of the labels disagree with truth.

Quirks the contract allows: timezone-aware ``created_at`` beside naive event and signal times in
different units, null ``seen_at``, extra columns, duplicate event rows, identifier hubs far
above any sensible hub cap (cafe and campus IPs, cafe PCs, cloud gaming, carrier NAT).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

# ----------------------------------------------------------------------------------------------
# calendar (seconds since the Unix epoch, UTC)
# ----------------------------------------------------------------------------------------------
T0 = 1711929600            # 2024-04-01 00:00 UTC, start of the observed window
T1 = 1735689600            # 2025-01-01 00:00 UTC, end (exclusive)
LAUNCH = 1488326400        # 2017-03-01, the game went live
DAY, HOUR, MIN, WEEK = 86400, 3600, 60, 7 * 86400
SEASON = 1718668800        # 2024-06-18 new season launch (sign-up spike)
EV_ANNIV = (1720742400, 1721952000)   # 2024-07-12 .. 07-26 anniversary gifting event
EV_WINTER = (1734048000, T1)          # 2024-12-13 .. 12-31 winterfest gifting event
XMAS = 1734998400                     # 2024-12-24
TERMS = ((T0, 1717200000), (1725235200, 1734220800))   # school terms: ..05-31, 09-02..12-15
SEPT = 1725148800                     # 2024-09-01

ACTIONS = ["login", "match_join", "match_result", "trade_offer", "trade_accept", "gift_item",
           "mail_gold", "market_list", "market_buy", "currency_buy", "payment_declined",
           "payment_chargeback", "chat_msg", "friend_add", "report_player", "email_change",
           "password_reset"]
A = {a: i for i, a in enumerate(ACTIONS)}
TK_ACC, TK_MATCH, TK_LIST, TK_LIT = 0, 1, 2, 3
KINDS = ["device", "ip", "email", "phone", "payment"]
K = {k: i for i, k in enumerate(KINDS)}
SOURCES = ["signup", "login", "history", "payment", "settings"]
SRC = {s: i for i, s in enumerate(SOURCES)}
SHARDS = ["na-east", "na-west", "sa-east", "eu-west", "eu-central", "asia-ne", "asia-se", "oce"]
MODES = ["ranked", "casual", "arena", "dungeon", "raid", "custom"]
MODE_DUR = {0: (1500, 2400), 1: (700, 1500), 2: (300, 600), 3: (900, 1800), 4: (1500, 2700),
            5: (600, 1500)}
LOBBY = np.array([10, 8, 4, 1, 1, 1])
SKUS = [("gems_100", 99), ("gems_550", 499), ("gems_1200", 999), ("gems_2500", 1999),
        ("gems_6500", 4999), ("gems_14000", 9999), ("battle_pass", 999), ("starter_pack", 499)]
SKU_P = np.array([.15, .22, .2, .1, .05, .02, .18, .08])
PLATFORMS = ["pc", "console", "mobile"]

# country, weight, [(utc offset, shard, weight)], CGNAT share of home lines, cafe weight,
# campus weight
COUNTRIES = [
    ("US", 19, [(-5, 0, .47), (-6, 0, .29), (-7, 1, .07), (-8, 1, .17)], 0.0, 0, 3),
    ("CA", 3, [(-5, 0, .6), (-8, 1, .4)], 0.0, 0, 1),
    ("MX", 3, [(-6, 0, 1)], .3, 1, 0),
    ("BR", 8, [(-3, 2, 1)], .45, 3, 1),
    ("AR", 2, [(-3, 2, 1)], .3, 1, 0),
    ("CL", 1, [(-4, 2, 1)], .2, 0, 0),
    ("GB", 6, [(0, 3, 1)], 0, 0, 2),
    ("FR", 5, [(1, 3, 1)], 0, 0, 1),
    ("ES", 3, [(1, 3, 1)], 0, 0, 0),
    ("DE", 7, [(1, 4, 1)], 0, 0, 2),
    ("PL", 4, [(1, 4, 1)], .1, 2, 1),
    ("SE", 2, [(1, 4, 1)], 0, 0, 0),
    ("UA", 2, [(2, 4, 1)], .2, 1, 0),
    ("TR", 4, [(3, 4, 1)], .4, 3, 0),
    ("KR", 6, [(9, 5, 1)], 0, 5, 2),
    ("JP", 4, [(9, 5, 1)], 0, 0, 1),
    ("TW", 2, [(8, 5, 1)], .1, 2, 0),
    ("PH", 5, [(8, 6, 1)], .6, 4, 1),
    ("VN", 4, [(7, 6, 1)], .55, 4, 0),
    ("ID", 4, [(7, 6, 1)], .55, 3, 0),
    ("TH", 3, [(7, 6, 1)], .4, 3, 0),
    ("MY", 1, [(8, 6, 1)], .3, 1, 0),
    ("AU", 3, [(10, 7, 1)], 0, 0, 1),
]
LINE_C, LINE_TZ, LINE_SH, LINE_W = [], [], [], []
for _ci, (_c, _w, _tzs, *_rest) in enumerate(COUNTRIES):
    for _tz, _sh, _tw in _tzs:
        LINE_C.append(_ci); LINE_TZ.append(_tz); LINE_SH.append(_sh); LINE_W.append(_w * _tw)
LINE_C, LINE_TZ, LINE_SH = np.array(LINE_C), np.array(LINE_TZ, float), np.array(LINE_SH)
LINE_W = np.array(LINE_W, float) / sum(LINE_W)
C_CODE = [c[0] for c in COUNTRIES]
C_CGNAT = np.array([c[3] for c in COUNTRIES])
C_CAFE = np.array([c[4] for c in COUNTRIES], float)
C_CAMPUS = np.array([c[5] for c in COUNTRIES], float)


def _norm(x):
    x = np.asarray(x, float)
    return x / x.sum()


# local-hour profiles
H_ORG = _norm([2.2, 1.4, .9, .6, .4, .4, .6, .9, 1.3, 1.7, 2.1, 2.5, 2.9, 3.1, 3.3, 3.7, 4.3, 5.1,
               6.1, 7.1, 7.6, 7.3, 5.9, 3.9])
H_KID = _norm([.3, .1, .05, .05, .05, .1, .3, .6, .8, .8, 1, 1.3, 1.6, 2, 3, 4.5, 5.5, 6, 6.2, 6,
               5, 3.5, 1.6, .7])
H_CAFE = _norm([2.5, 2, 1.5, .8, .4, .2, .2, .3, .6, 1, 1.8, 2.6, 3.4, 4, 4.4, 4.8, 5, 5, 5.2, 5.5,
                5.6, 5.2, 4.4, 3.4])
H_CAMPUS = _norm([0, 0, 0, 0, 0, 0, 0, .3, 1.5, 3, 4, 4.5, 6, 5.5, 4, 4, 3, 1.5, .4, 0, 0, 0, 0,
                  0])
HP = [H_ORG, H_KID]


def _n(*xs):
    """Row count of a chunk: the common length of its array arguments (0 if any is empty)."""
    sizes = [np.size(x) for x in xs if np.ndim(x) > 0]
    if not sizes:
        return 1
    return 0 if min(sizes) == 0 else max(sizes)


def _b(x, n, dt):
    a = np.asarray(x)
    if a.ndim == 0 or a.size == 1:
        return np.full(n, a.reshape(()), dtype=dt)
    if a.size != n:
        raise ValueError(f"chunk column of length {a.size}, expected {n}")
    return a.astype(dt, copy=False)


def _cat(chunks, i, dt):
    if not chunks:
        return np.zeros(0, dt)
    return np.concatenate([c[i] for c in chunks]).astype(dt, copy=False)


class World:
    """Builds the whole marketplace in memory; `frames()` returns the output tables."""

    def __init__(self, n_accounts: int, seed: int):
        self.n = int(n_accounts)
        self.seed = int(seed)
        self.r = np.random.default_rng(seed)
        self.f = self.n / 20000.0
        self.evc = []        # events: acc, act, tk, tv, ts, amt, det, base
        self.sigc = []       # signals: acc, kind, val, ts, src
        self.sessc = []      # sessions: acc, st, du, dev, ip, mm, soc, pq, base
        self.slotc = []      # matchmaking slots: acc, ts, mode, shard, pq
        self.listc = []      # listings open to buyers: seller, ts, lid, price
        self.vc = np.zeros(len(KINDS), np.int64)
        self.lit_ix, self.lits = {}, []
        self.det_ix, self.dets = {}, []
        self.n_match = 0
        self.n_list = 0
        self.groups = []     # (name, kind, bad)
        self.role_ix, self.roles = {}, []

    # ------------------------------------------------------------------ small helpers
    def logu(self, lo, hi, size=None):
        return np.exp(self.r.uniform(np.log(lo), np.log(hi), size))

    def newv(self, kind, k):
        k = int(k)
        i = K[kind]
        out = np.arange(self.vc[i], self.vc[i] + k, dtype=np.int64)
        self.vc[i] += k
        return out

    def lit(self, s):
        if s not in self.lit_ix:
            self.lit_ix[s] = len(self.lits)
            self.lits.append(s)
        return self.lit_ix[s]

    def D(self, s):
        if s not in self.det_ix:
            self.det_ix[s] = len(self.dets)
            self.dets.append(s)
        return self.det_ix[s]

    def R(self, s):
        if s not in self.role_ix:
            self.role_ix[s] = len(self.roles)
            self.roles.append(s)
        return self.role_ix[s]

    def new_m(self, k):
        out = np.arange(self.n_match, self.n_match + int(k), dtype=np.int64)
        self.n_match += int(k)
        return out

    def new_l(self, k):
        out = np.arange(self.n_list, self.n_list + int(k), dtype=np.int64)
        self.n_list += int(k)
        return out

    def E(self, acc, act, tk, tv, ts, amt=-1, det=-1, base=False):
        n = _n(acc, tv, ts, amt, det)
        if n == 0:
            return
        self.evc.append((_b(acc, n, np.int32), _b(A[act], n, np.int8), _b(tk, n, np.int8),
                         _b(tv, n, np.int64), _b(ts, n, np.int64), _b(amt, n, np.int64),
                         _b(det, n, np.int16), _b(base, n, bool)))

    def S(self, acc, kind, val, ts, src="login"):
        n = _n(acc, val, ts)
        if n == 0:
            return
        self.sigc.append((_b(acc, n, np.int32), _b(K[kind], n, np.int8), _b(val, n, np.int64),
                          _b(ts, n, np.int64), _b(SRC[src], n, np.int8)))

    def SESS(self, acc, st, du, dev, ip, mm=0.0, soc=0.0, pq=-1, base=False):
        n = _n(acc, st, du, dev, ip, mm, soc)
        if n == 0:
            return
        self.sessc.append((_b(acc, n, np.int32), _b(st, n, np.int64), _b(du, n, np.int64),
                           _b(dev, n, np.int64), _b(ip, n, np.int64), _b(mm, n, np.float32),
                           _b(soc, n, np.float32), _b(pq, n, np.int32), _b(base, n, bool)))

    def SLOT(self, acc, ts, mode, shard=None, pq=-1):
        n = _n(acc, ts, mode)
        if n == 0:
            return
        acc = _b(acc, n, np.int32)
        sh = self.shard[acc] if shard is None else _b(shard, n, np.int16)
        self.slotc.append((acc, _b(ts, n, np.int64), _b(mode, n, np.int8), _b(sh, n, np.int16),
                           _b(pq, n, np.int32)))

    def LISTING(self, seller, ts, price, det, pool=True):
        n = _n(seller, ts, price)
        if n == 0:
            return np.zeros(0, np.int64)
        lid = self.new_l(n)
        self.E(seller, "market_list", TK_LIST, lid, ts, np.round(price).astype(np.int64), det)
        if pool:
            self.listc.append((_b(seller, n, np.int32), _b(ts, n, np.int64), lid,
                               _b(np.round(price), n, np.int64)))
        return lid

    def group(self, kind, bad, accs, roles):
        gi = len(self.groups)
        k = sum(1 for g in self.groups if g[1] == kind) + 1
        self.groups.append((f"{kind}/{k:02d}", kind, bad))
        accs = np.asarray(accs)
        self.gidx[accs] = gi
        self.role[accs] = _b(roles, accs.size, np.int16) if not isinstance(roles, str) \
            else self.R(roles)
        self.bad[accs] = bad
        return gi

    def take(self, cand, k, w=None):
        """Pick k free people among cand (bool mask over people or index array)."""
        idx = np.flatnonzero(cand) if cand.dtype == bool else np.asarray(cand)
        idx = idx[self.free[idx]]
        k = int(min(k, idx.size))
        if k <= 0:
            return np.zeros(0, np.int64)
        p = None
        if w is not None:
            p = np.asarray(w, float)[idx]
            p = p / p.sum()
        out = self.r.choice(idx, k, replace=False, p=p)
        self.free[out] = False
        return out

    def rand_in_shard(self, sh, people_only=False):
        """Random account of the given shard(s), created at any time."""
        pos, cnt = (self.psh_pos, self.psh_cnt) if people_only else (self.sh_pos, self.sh_cnt)
        arr = self.psh_sorted if people_only else self.sh_sorted
        sh = np.asarray(sh)
        u = self.r.random(sh.size)
        return arr[pos[sh] + np.minimum((u * cnt[sh]).astype(np.int64), cnt[sh] - 1)]

    def home(self, acc, t):
        acc = np.asarray(acc)
        dev = np.where(t >= self.dchg[acc], self.dev0b[acc], self.dev0[acc])
        ip = np.where(t >= self.ichg[acc], self.home2[acc], self.home1[acc])
        return dev, ip

    def proxies(self, k, pool=None):
        pool = self.proxy if pool is None else pool
        return pool[self.r.integers(0, pool.size, int(k))]

    def sess_times(self, acc, cnt, lo, hi, hour_p, dur_med, dur_sig, weekend=1.3, shift=None):
        r = self.r
        cnt = np.asarray(cnt).astype(np.int64)
        a = np.repeat(np.asarray(acc), cnt)
        if a.size == 0:
            z = np.zeros(0, np.int64)
            return z.astype(np.int32), z, z
        l, h = np.repeat(lo, cnt), np.repeat(hi, cnt)
        tz = self.tz[a]
        t = l + r.random(a.size) * (h - l)
        lday = np.floor((t + tz * HOUR) / DAY)
        hr = r.choice(24, a.size, p=hour_p)
        if shift is not None:
            hr = (hr + shift[a]) % 24
        st = (lday * DAY + hr * HOUR + r.integers(0, HOUR, a.size) - tz * HOUR).astype(np.int64)
        dow = (lday.astype(np.int64) + 3) % 7
        keep = (r.random(a.size) < np.where(dow >= 5, 1.0, 1.0 / weekend)) & (st >= l) & (st < h)
        du = np.minimum(r.lognormal(np.log(dur_med), dur_sig, a.size), 10 * HOUR).astype(np.int64)
        du = np.maximum(du, 120)
        return a[keep], st[keep], du[keep]

    def recurring(self, lo, hi, dows, hour_local, tz, jitter=0):
        d0 = int(np.floor((lo + tz * HOUR) / DAY))
        d1 = int(np.floor((hi + tz * HOUR) / DAY))
        days = np.arange(d0, d1 + 1)
        days = days[np.isin((days + 3) % 7, dows)]
        t = (days * DAY + hour_local * HOUR - tz * HOUR).astype(np.int64)
        if jitter:
            t = t + self.r.integers(0, jitter + 1, t.size)
        return t[(t >= lo) & (t < hi)]

    # ------------------------------------------------------------------ plan
    def plan(self):
        r, f = self.r, self.f

        def cnt(base):
            return max(1, int(round(base * f + r.uniform(-0.5, 0.5))))

        sp = {}
        sp["ring"] = [dict(mules=int(r.integers(3, 13))) for _ in range(cnt(4))]
        sp["fleet"] = [dict(bots=int(self.logu(30, 150)), colls=int(r.integers(1, 4)))
                       for _ in range(cnt(4))]
        sp["studio"] = [dict(workers=int(r.integers(15, 41)), colls=int(r.integers(1, 3)))
                        for _ in range(cnt(3))]
        sp["cb"] = [dict(carders=int(r.integers(5, 26)), cash=int(r.integers(1, 4)))
                    for _ in range(cnt(6))]
        sp["ato"] = [dict(victims=int(self.logu(6, 40)), drops=int(r.integers(2, 6)))
                     for _ in range(cnt(4))]
        wt = []
        for _ in range(cnt(7)):
            size = int(r.integers(5, 21))
            nb = int(min(size - 3, r.integers(2, 5)))
            nf = max(1, int(round((size - nb) * r.uniform(.3, .6))))
            wt.append(dict(size=size, boosters=nb, feeders=nf, clients=size - nb - nf))
        sp["wt"] = wt
        sp["guild"] = []
        for _ in range(cnt(22)):
            m = int(self.logu(8, 70))
            sp["guild"].append(dict(members=m, bank=int(m >= 25 and r.random() < .6)))
        sp["staff"] = [dict(size=int(r.integers(3, 9))) for _ in range(max(1, int(round(f ** .5))))]
        ops = (sum(s["mules"] for s in sp["ring"]) + sum(s["bots"] + s["colls"] for s in sp["fleet"])
               + sum(s["workers"] + s["colls"] for s in sp["studio"])
               + sum(s["carders"] + s["cash"] for s in sp["cb"])
               + sum(s["drops"] for s in sp["ato"]) + sum(s["feeders"] for s in sp["wt"])
               + sum(s["bank"] for s in sp["guild"]) + sum(s["size"] for s in sp["staff"]))
        if ops > 0.3 * self.n:
            raise SystemExit(f"--accounts {self.n} is too small for the planted groups")
        self.sp = sp
        self.P = self.n - ops
        self.next_op = self.P

    def ops(self, k):
        out = np.arange(self.next_op, self.next_op + int(k))
        self.next_op += int(k)
        return out

    # ------------------------------------------------------------------ people
    def people(self):
        r, n, P = self.r, self.n, self.P
        self.line = np.zeros(n, np.int16)
        self.line[:P] = r.choice(LINE_W.size, P, p=LINE_W)
        self.free = np.zeros(n, bool)
        self.free[:P] = True
        self.gidx = np.full(n, -1, np.int32)
        self.role = np.full(n, self.R("player"), np.int16)
        self.bad = np.zeros(n, bool)
        self.atype = np.zeros(n, np.int8)          # 0 player, 1 creator, 2 staff
        self._set_line_attrs(np.arange(P))
        plat_p = np.where(np.isin(self.shard[:P], [6, 2])[:, None], [.45, .1, .45], [.55, .25, .2])
        u = r.random(P)
        self.platform = np.zeros(n, np.int8)
        self.platform[:P] = (u > plat_p[:, 0]).astype(int) + (u > plat_p[:, 0] + plat_p[:, 1])
        # creation
        self.created = np.zeros(n, np.int64)
        old = r.random(P) < 0.55
        age = (T0 - LAUNCH) * r.beta(1.1, 2.0, P)
        m = r.random(P)
        new_t = np.where(m < .7, T0 + r.random(P) * (T1 - T0 - DAY),
                         np.where(m < .85, SEASON + r.exponential(10 * DAY, P),
                                  EV_WINTER[0] + r.exponential(6 * DAY, P)))
        new_t = np.minimum(new_t, T1 - HOUR)
        self.created[:P] = np.where(old, T0 - age - r.random(P) * DAY, new_t).astype(np.int64)
        # activity
        self.lam = np.zeros(n)
        self.lam[:P] = np.minimum(r.lognormal(np.log(0.055), 1.2, P), 4.0)
        dormant = old & (r.random(P) < .28)
        self.lam[:P][dormant] *= 0.04
        self.base_mult = np.zeros(n)
        self.base_mult[:P] = 1.0
        self.hp = np.zeros(n, np.int8)
        self.hshift = np.zeros(n, np.int64)
        self.hshift[:P] = r.choice([0, 0, 0, 0, 0, 0, 1, 2, 3, -1, -2], P)
        self.play = np.ones(n)
        self.play[:P] = r.lognormal(0, .4, P)
        self.chat = np.ones(n)
        self.chat[:P] = r.lognormal(-.4, 1.0, P)
        self.trader = np.ones(n)
        self.trader[:P] = r.lognormal(-.8, 1.1, P)
        self.winp = np.full(n, .5)
        self.repw = np.ones(n)
        # identifiers
        self.dev0 = np.full(n, -1, np.int64)
        self.dev0[:P] = self.newv("device", P)
        self.dchg = np.full(n, np.iinfo(np.int64).max)
        ch = r.random(P) < .15
        self.dchg[:P][ch] = (T0 + r.random(ch.sum()) * (T1 - T0)).astype(np.int64)
        self.dev0b = self.dev0.copy()
        self.dev0b[np.flatnonzero(ch)] = self.newv("device", ch.sum())
        self.dev1 = np.full(n, -1, np.int64)
        sec = (self.platform[:P] != 2) & (r.random(P) < .22)
        self.dev1[np.flatnonzero(sec)] = self.newv("device", sec.sum())
        # home lines: residential, a CGNAT share in some countries
        self.home1 = np.full(n, -1, np.int64)
        self.home1[:P] = self.newv("ip", P)
        cg = r.random(P) < C_CGNAT[self.country[:P]]
        self.cgnat = {}
        for ci in np.unique(self.country[:P][cg]):
            mem = np.flatnonzero(cg & (self.country[:P] == ci))
            pool = self.newv("ip", max(3, mem.size // 12))
            w = _norm(1.0 / np.arange(1, pool.size + 1) ** .8)
            self.home1[mem] = pool[r.choice(pool.size, mem.size, p=w)]
            self.cgnat[ci] = (pool, w)
        self.ichg = np.full(n, np.iinfo(np.int64).max)
        ch = r.random(P) < .3
        self.ichg[:P][ch] = (T0 + r.random(ch.sum()) * (T1 - T0)).astype(np.int64)
        self.home2 = self.home1.copy()
        self.home2[np.flatnonzero(ch)] = self.newv("ip", ch.sum())
        # mobile carriers: 3 per country, IP pools Zipf-shaped
        self.carrier = np.full(n, -1, np.int32)
        self.carrier[:P] = self.country[:P] * 3 + r.choice(3, P, p=[.5, .3, .2])
        self.car_pool = {}
        cs = int(12 + 18 * self.f ** .5)
        for c in range(len(COUNTRIES) * 3):
            self.car_pool[c] = self.newv("ip", cs)
        self.car_w = _norm(1.0 / np.arange(1, cs + 1) ** 1.1)
        self.vpn = self.newv("ip", int(40 + 30 * self.f ** .5))
        self.vpn_w = _norm(1.0 / np.arange(1, self.vpn.size + 1) ** .9)
        self.vpn_user = np.zeros(n, bool)
        self.vpn_user[:P] = r.random(P) < .05
        self.cloud_ip = self.newv("ip", int(30 + 20 * self.f ** .5))
        self.cloud_dev = self.newv("device", 6)
        self.cloud_user = np.zeros(n, bool)
        self.cloud_user[:P] = (self.platform[:P] == 0) & (r.random(P) < .015)
        # residential proxy pool used by many operators; some exits are infected home lines
        npx = int(1500 * self.f + 300)
        px = self.newv("ip", npx)
        inf = r.random(npx) < .12
        px[inf] = self.home1[r.integers(0, P, inf.sum())]
        self.proxy = px
        self.sms = self.newv("phone", int(150 + 150 * self.f ** .5))
        # phones (2FA), cards
        self.phone = np.full(n, -1, np.int64)
        self.phone_t = np.zeros(n, np.int64)
        ph = r.random(P) < .25
        self.phone[np.flatnonzero(ph)] = self.newv("phone", ph.sum())
        sm = np.flatnonzero(ph & (r.random(P) < .01))
        self.phone[sm] = self.sms[r.integers(0, self.sms.size, sm.size)]
        self.phone_t[:P] = self.created[:P] + (r.random(P) * (T1 - self.created[:P]) * .5).astype(
            np.int64)
        self.payer = np.zeros(n, bool)
        self.payer[:P] = r.random(P) < np.clip(.06 + .5 * self.lam[:P], 0, .5)
        self.pay_rate = np.zeros(n)
        self.pay_rate[:P] = r.lognormal(np.log(.5), 1.0, P)       # purchases per month
        self.card1 = np.full(n, -1, np.int64)
        web = self.payer & (self.platform == 0) | (self.payer & (r.random(n) < .25))
        self.card1[np.flatnonzero(web)] = self.newv("payment", web.sum())
        self.card2 = np.full(n, -1, np.int64)
        c2 = web & (r.random(n) < .15)
        self.card2[np.flatnonzero(c2)] = self.newv("payment", c2.sum())
        # sign-up context (overridden by groups)
        self.sign_dev = self.dev0.copy()
        self.sign_ip = self.home1.copy()
        oldm = np.zeros(n, bool)
        oldm[:P] = old
        od = np.flatnonzero(oldm & (r.random(n) < .6))
        self.sign_dev[od] = self.newv("device", od.size)
        oi = np.flatnonzero(oldm & (r.random(n) < .7))
        self.sign_ip[oi] = self.newv("ip", oi.size)
        # active window of the person's own play
        lo = np.maximum(self.created[:P], T0)
        keep = r.random(P) < np.where(old, .6, .35)
        life = (r.exponential(45 * DAY, P) + DAY)
        hi = np.where(keep, T1, np.minimum(T1, lo + life))
        self.lo = np.zeros(n, np.int64)
        self.hi = np.zeros(n, np.int64)
        self.lo[:P], self.hi[:P] = lo, hi.astype(np.int64)
        self.cutoff = np.full(n, np.iinfo(np.int64).max)
        self.F = np.zeros((n, 4), np.int64)        # friends (filled after the shard index)
        self.card_fam = np.full(n, -1, np.int64)

    def _set_line_attrs(self, idx):
        if not hasattr(self, "country"):
            n = self.n
            self.country = np.zeros(n, np.int16)
            self.tz = np.zeros(n)
            self.shard = np.zeros(n, np.int16)
        ln = self.line[idx]
        self.country[idx] = LINE_C[ln]
        self.tz[idx] = LINE_TZ[ln]
        self.shard[idx] = LINE_SH[ln]

    def set_ops(self, idx, line, created, platform=0):
        idx = np.asarray(idx)
        self.line[idx] = line
        self._set_line_attrs(idx)
        self.created[idx] = created
        self.platform[idx] = platform
        self.base_mult[idx] = 0
        self.lam[idx] = 0

    # ------------------------------------------------------------------ benign structures
    def families(self):
        r, P = self.r, self.P
        k = int(.045 * P / 2.9)
        sizes = r.choice([2, 3, 4, 5], k, p=[.45, .3, .18, .07])
        pool = np.flatnonzero(self.free[:P])
        pool = r.choice(pool, min(pool.size, sizes.sum() * 2), replace=False)
        pool = pool[np.lexsort((r.random(pool.size), self.line[pool]))]
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        ok = starts + sizes <= pool.size
        for s0, sz in zip(starts[ok], sizes[ok]):
            mem = pool[s0:s0 + sz]
            if np.unique(self.line[mem]).size > 1:
                continue
            par, kids = mem[0], mem[1:]
            self.free[mem] = False
            self.group("family", False, mem, [self.R("parent")] + [self.R("child")] * (sz - 1))
            self.created[par] = min(self.created[par], T0 - int(r.uniform(200, 2000)) * DAY)
            same_day = r.random() < .3
            kc = self.created[par] + (r.uniform(.3, 6, kids.size) * 365 * DAY).astype(np.int64)
            if same_day:
                kc[:] = kc[0] + r.integers(0, 3600, kids.size)
            self.created[kids] = np.minimum(kc, T1 - DAY)
            self.lo[kids] = np.maximum(self.created[kids], T0)
            self.hi[kids] = np.maximum(self.hi[kids], self.lo[kids] + DAY)
            self.hp[kids] = 1
            for arr in (self.home1, self.home2, self.ichg, self.sign_ip):
                arr[kids] = arr[par]
            self.sign_ip[kids] = np.where(self.created[kids] >= T0, self.home1[par],
                                          self.sign_ip[kids])
            if r.random() < .75:                    # one console / PC for the whole family
                self.dev0[kids] = self.dev0[par]
                self.dev0b[kids] = self.dev0b[par]
                self.dchg[kids] = self.dchg[par]
                self.platform[kids] = self.platform[par]
                self.sign_dev[kids] = np.where(self.created[kids] >= T0, self.dev0[par],
                                               self.sign_dev[kids])
            card = self.card1[par] if self.card1[par] >= 0 else self.newv("payment", 1)[0]
            self.card_fam[mem] = card
            self.payer[par] = self.payer[par] or r.random() < .5
            self.payer[kids] = r.random(kids.size) < .55
            self.card1[mem] = card
            self.card2[kids] = -1
            if self.phone[par] >= 0:
                sp = kids[r.random(kids.size) < .4]
                self.phone[sp] = self.phone[par]
                self.phone_t[sp] = np.maximum(self.created[sp], self.phone_t[par])
            self.F[mem, 0] = np.roll(mem, 1)
            self.F[mem, 1] = np.roll(mem, -1)

    def cafes(self):
        r, P = self.r, self.P
        k = max(1, int(round(12 * self.f)))
        cw = C_CAFE / C_CAFE.sum()
        self.cafe_specs = []
        for ci in r.choice(len(COUNTRIES), k, p=cw):
            cand = self.free[:P] & (self.country[:P] == ci)
            reg = self.take(cand, int(self.logu(25, 220)),
                            w=np.where(self.platform[:P] == 0, 1.0, .3))
            if reg.size < 10:
                self.free[reg] = True
                continue
            g = self.group("internet_cafe", False, reg, "regular")
            ips = self.newv("ip", r.integers(1, 4))
            ip_chg = int(T0 + r.uniform(.1, .9) * (T1 - T0)) if r.random() < .3 else T1 + 1
            ip_new = self.newv("ip", ips.size)
            p0 = int(self.logu(15, 60))
            pcs = [self.newv("device", p0)]
            ref_t = np.sort(T0 + r.uniform(.08, .95, r.integers(1, 4)) * (T1 - T0)).astype(
                np.int64)
            for _ in ref_t:
                cur = pcs[-1]
                pn = max(3, int(cur.size * r.uniform(.4, 1.0)))
                keep = r.choice(cur, max(0, cur.size - pn), replace=False)
                pcs.append(np.r_[keep, self.newv("device", pn + int(r.integers(-2, 5)))])
            only = r.random(reg.size) < .4
            ro = reg[only]
            self.base_mult[ro] = 0
            self.dev0[ro] = self.dev0b[ro] = self.dev1[ro] = -1
            self.home1[ro] = self.home2[ro] = -1
            # sign-up at the cafe for cafe-only players
            self.sign_ip[ro] = ips[0]
            self.sign_dev[ro] = np.where(self.created[ro] < T0, self.newv("device", ro.size),
                                         pcs[0][r.integers(0, pcs[0].size, ro.size)])
            # visits
            rate = self.logu(.02, .3, reg.size) * np.where(only, 1.8, 1.0)
            lo = np.maximum(self.created[reg], T0)
            hi = np.where(r.random(reg.size) < .75, T1,
                          lo + (r.exponential(100 * DAY, reg.size))).clip(max=T1)
            cnt = r.poisson(rate * (hi - lo) / DAY * 1.15)
            a, st, du = self.sess_times(reg, cnt, lo, hi, H_CAFE, 2 * HOUR, .6)
            self._cafe_sessions(a, st, du, ips, ip_chg, ip_new, pcs, ref_t, g)
            # history before the window for old regulars
            old = reg[self.created[reg] < T0]
            for _ in range(2):
                ht = self.created[old] + (r.random(old.size) * (T0 - self.created[old])).astype(
                    np.int64)
                self.S(old, "device", pcs[0][r.integers(0, pcs[0].size, old.size)], ht, "history")
                self.S(old, "ip", ips[r.integers(0, ips.size, old.size)], ht, "history")
            # walk-ins: other people of the country, one to three visits
            wc = np.flatnonzero((self.country[:P] == ci) & (self.gidx[:P] != g))
            wi = r.choice(wc, min(wc.size, int(reg.size * r.uniform(.5, 1.5))), replace=False)
            cnt = r.integers(1, 4, wi.size)
            a, st, du = self.sess_times(wi, cnt, self.lo[wi], np.maximum(self.hi[wi], self.lo[wi] + 1),
                                        H_CAFE, 90 * MIN, .6)
            self._cafe_sessions(a, st, du, ips, ip_chg, ip_new, pcs, ref_t, g)
            self.cafe_specs.append(dict(g=g, pcs=pcs, ref=ref_t, ips=ips))

    def _cafe_sessions(self, a, st, du, ips, ip_chg, ip_new, pcs, ref_t, g):
        r = self.r
        ep = np.searchsorted(ref_t, st, side="right")
        dev = np.zeros(a.size, np.int64)
        for e, pc in enumerate(pcs):
            m = ep == e
            dev[m] = pc[r.integers(0, pc.size, m.sum())]
        j = r.integers(0, ips.size, a.size)
        ip = np.where(st >= ip_chg, ip_new[j], ips[j])
        self.SESS(a, st, du, dev, ip, mm=1.0, soc=1.0, pq=g, base=True)

    def campuses(self):
        r, P = self.r, self.P
        k = max(1, int(round(4 * self.f)))
        cw = C_CAMPUS / C_CAMPUS.sum()
        for ci in r.choice(len(COUNTRIES), k, p=cw):
            cand = self.free[:P] & (self.country[:P] == ci)
            st_ = self.take(cand, int(self.logu(80, 400)),
                            w=np.where(self.created[:P] > LAUNCH + 4 * 365 * DAY, 3.0, 1.0))
            if st_.size < 20:
                self.free[st_] = True
                continue
            self.group("campus", False, st_, "student")
            nat = self.newv("ip", r.integers(1, 4))
            lab = self.newv("device", r.integers(10, 41))
            # semester-start sign-ups on the campus network
            new = st_[r.random(st_.size) < .22]
            self.created[new] = (SEPT + r.uniform(0, 20 * DAY, new.size)).astype(np.int64)
            self.lo[new] = self.created[new]
            self.hi[new] = np.maximum(self.hi[new], np.minimum(T1, self.created[new] + 60 * DAY))
            self.sign_ip[new] = nat[r.integers(0, nat.size, new.size)]
            self.sign_dev[new] = self.dev0[new]
            rate = self.logu(.03, .4, st_.size)
            for tlo, thi in TERMS:
                lo = np.maximum(self.created[st_], tlo)
                hi = np.full(st_.size, thi)
                cnt = r.poisson(rate * np.clip(hi - lo, 0, None) / DAY * 1.4)
                a, st, du = self.sess_times(st_, cnt, lo, hi, H_CAMPUS, 50 * MIN, .6, weekend=1.0)
                dow = (np.floor((st + self.tz[a] * HOUR) / DAY).astype(np.int64) + 3) % 7
                m = dow < 5
                a, st, du = a[m], st[m], du[m]
                u = r.random(a.size)
                own = np.where((self.dev1[a] >= 0) & (u < .35), self.dev1[a], self.home(a, st)[0])
                dev = np.where(u > .72, lab[r.integers(0, lab.size, a.size)], own)
                dev = np.where(dev < 0, lab[r.integers(0, lab.size, a.size)], dev)
                ip = nat[r.integers(0, nat.size, a.size)]
                self.SESS(a, st, du, dev, ip, mm=.8, soc=1.0, base=True)

    def guilds(self):
        r, P = self.r, self.P
        shard_w = np.bincount(self.shard[:P], minlength=len(SHARDS)).astype(float)
        for spec in self.sp["guild"]:
            sh = r.choice(len(SHARDS), p=shard_w / shard_w.sum())
            cand = self.free[:P] & (self.shard[:P] == sh) & (self.base_mult[:P] > 0)
            mem = self.take(cand, spec["members"], w=np.sqrt(self.lam[:P]) + 1e-4)
            if mem.size < 5:
                self.free[mem] = True
                continue
            off = mem[np.argmax(self.lam[mem])]
            mem_all, roles = list(mem), [self.R("member")] * mem.size
            roles[int(np.flatnonzero(mem == off)[0])] = self.R("officer")
            bank = None
            if spec["bank"]:
                bank = self.ops(1)
                self.line[bank] = self.line[off]
                self.set_ops(bank, self.line[off], T0 - int(r.uniform(30, 900)) * DAY)
                self.dev0[bank] = self.dev0b[bank] = self.sign_dev[bank] = self.dev0[off]
                self.home1[bank] = self.home2[bank] = self.sign_ip[bank] = self.home1[off]
                mem_all += list(bank)
                roles += [self.R("guild_bank")]
            mem_all = np.array(mem_all)
            g = self.group("guild", False, mem_all, np.array(roles))
            chan = self.lit(f"ch/guild/{g}")
            tz = self.tz[off]
            g0 = T0 if r.random() < .7 else int(T0 + r.uniform(0, .6) * (T1 - T0))
            g1 = T1 if r.random() < .8 else int(g0 + r.uniform(.3, 1) * (T1 - g0))
            dows = r.choice(7, r.integers(1, 3), replace=False)
            hour = float(r.choice([19, 19.5, 20, 20.5, 21]))
            raids = self.recurring(g0, g1, dows, hour, tz, jitter=600)
            if raids.size == 0:
                continue
            M = mem.size
            m0 = np.where(r.random(M) < .75, g0, g0 + r.uniform(0, 1, M) * (g1 - g0))
            m1 = np.where(r.random(M) < .75, g1, m0 + r.uniform(.2, 1, M) * (g1 - m0))
            m0 = np.maximum(m0, np.maximum(self.created[mem], T0))
            att_p = r.uniform(.25, .85, M)
            att_p[mem == off] = .97
            ri, mi = np.nonzero((r.random((raids.size, M)) < att_p) &
                                (raids[:, None] >= m0) & (raids[:, None] < m1))
            if ri.size == 0:
                continue
            rlen = r.uniform(1.5, 3, raids.size) * HOUR
            runl = r.uniform(30, 50) * MIN
            nrun = np.maximum(1, (rlen // runl).astype(np.int64))
            # split raids above 20 attendees into squads
            order = np.lexsort((r.random(ri.size), ri))
            ri, mi = ri[order], mi[order]
            first = np.r_[0, np.flatnonzero(np.diff(ri)) + 1]
            rank = np.arange(ri.size) - np.repeat(first, np.diff(np.r_[first, ri.size]))
            squad = rank // 20
            acc = mem[mi]
            # sessions
            st = raids[ri] - r.integers(0, 900, ri.size)
            du = (rlen[ri] + r.uniform(0, 3600, ri.size)).astype(np.int64)
            dev, ip = self.home(acc, st)
            self.SESS(acc, st, du, dev, ip, mm=.2, soc=.5, base=True)
            # raid runs
            k = nrun[ri]
            e = np.repeat(np.arange(ri.size), k)
            run = np.arange(e.size) - np.repeat(np.cumsum(k) - k, k)
            key = (ri[e] * 64 + run) * 8 + squad[e]
            uk, inv = np.unique(key, return_inverse=True)
            mid = self.new_m(uk.size)[inv]
            t = raids[ri[e]] + (run * runl).astype(np.int64)
            lag = np.where(acc[e] == off, 0, r.integers(2, 26, e.size))
            self.E(acc[e], "match_join", TK_MATCH, mid, t + lag, det=self.D("raid"))
            clear = r.random(uk.size) < .7
            self.E(acc[e], "match_result", TK_MATCH, mid, t + int(runl) - r.integers(60, 300, e.size),
                   det=np.where(clear[inv], self.D("clear"), self.D("wipe")))
            nc = r.poisson(1.5, ri.size)
            ce = np.repeat(np.arange(ri.size), nc)
            self.E(acc[ce], "chat_msg", TK_LIT, chan,
                   raids[ri[ce]] + (r.random(ce.size) * rlen[ri[ce]]).astype(np.int64),
                   det=self.D("guild"))
            self.F[mem, 1] = mem[r.integers(0, M, M)]
            self.F[mem, 2] = np.where(r.random(M) < .5, mem[r.integers(0, M, M)], self.F[mem, 2])
            if bank is not None:
                b = bank[0]
                # donations to the bank and loot handed out after raids
                nd = r.poisson(.08 * (m1 - m0).clip(0) / WEEK)
                da = np.repeat(mem, nd)
                dt = np.repeat(m0, nd) + r.random(da.size) * np.repeat(m1 - m0, nd)
                dev, ip = self.home(da, dt.astype(np.int64))
                self.SESS(da, dt.astype(np.int64) - 120, r.integers(900, 4000, da.size), dev, ip,
                          mm=.5, soc=.5, base=True)
                self.E(da, "mail_gold", TK_ACC, b, dt.astype(np.int64),
                       amt=r.lognormal(np.log(3000), 1, da.size).astype(np.int64))
                bn = np.flatnonzero(r.random(raids.size) < .5)
                bt = raids[bn] + rlen[bn].astype(np.int64) + r.integers(0, 1200, bn.size)
                self.SESS(np.full(bn.size, b), bt, r.integers(600, 2400, bn.size),
                          self.dev0[off], self.home1[off])
                for rr, t in zip(bn, bt):
                    who = mem[mi[ri == rr]]
                    if who.size == 0:
                        continue
                    to = r.choice(who, min(who.size, int(r.integers(2, 7))), replace=False)
                    self.E(np.full(to.size, b), "gift_item", TK_ACC, to, t + 60 + r.integers(0, 600, to.size),
                           det=self.D("gear"))

    def streamers(self):
        r, P = self.r, self.P
        self.stream_specs = []
        for _ in range(max(1, int(round(5 * self.f)))):
            heavy = self.free[:P] & (self.lam[:P] > np.quantile(self.lam[:P], .97)) & \
                (self.created[:P] < T0)
            s = self.take(heavy, 1)
            if s.size == 0:
                continue
            s = s[0]
            sh = self.shard[s]
            self.platform[s] = 0
            self.lam[s] = max(self.lam[s], 1.2)
            self.lo[s], self.hi[s] = T0, T1
            self.atype[s] = 1
            cand = self.free[:P] & (self.shard[:P] == sh) & (self.base_mult[:P] > 0)
            V = self.take(cand, int(self.logu(40, 300)), w=self.lam[:P] ** .3 + 1e-3)
            if V.size < 10:
                continue
            mods = V[:r.integers(2, 5)]
            roles = np.r_[self.R("streamer"), np.where(np.isin(V, mods), self.R("moderator"),
                                                       self.R("viewer"))]
            g = self.group("streamer_community", False, np.r_[s, V], roles)
            tz = self.tz[s]
            dows = r.choice(7, r.integers(2, 6), replace=False)
            hour = float(r.choice([17, 18, 19, 20, 21]))
            p0 = T0 if r.random() < .7 else int(T0 + r.uniform(0, .4) * (T1 - T0))
            streams = self.recurring(p0, T1, dows, hour, tz, jitter=900)
            if streams.size == 0:
                continue
            slen = (r.uniform(3, 5, streams.size) * HOUR).astype(np.int64)
            # a front-page stream brings new viewers who sign up right after it
            big = streams[r.integers(0, streams.size, r.integers(1, 3))]
            newv = V[r.random(V.size) < .15]
            self.created[newv] = (big[r.integers(0, big.size, newv.size)]
                                  + r.uniform(600, 2 * DAY, newv.size)).astype(np.int64)
            self.created[newv] = np.minimum(self.created[newv], T1 - HOUR)
            self.lo[newv] = self.created[newv]
            self.hi[newv] = np.maximum(self.hi[newv], np.minimum(T1, self.lo[newv] + 30 * DAY))
            self.sign_dev[newv] = self.dev0[newv]
            self.sign_ip[newv] = self.home1[newv]
            eng = r.lognormal(0, 1.2, V.size)
            self.stream_specs.append(dict(s=s, V=V, eng=eng, streams=streams, slen=slen))

    def stream_events(self):
        r = self.r
        for spec in self.stream_specs:
            s, V, eng, streams, slen = (spec[k] for k in ("s", "V", "eng", "streams", "slen"))
            st = streams - r.integers(0, 600, streams.size)
            dev, ip = self.home(np.full(streams.size, s), st)
            self.SESS(np.full(streams.size, s), st, slen + 600, dev, ip, mm=.4, soc=.5, base=True)
            nl = np.maximum(1, ((slen - 15 * MIN) // (30 * MIN)))
            li = np.repeat(np.arange(streams.size), nl)
            lj = np.arange(li.size) - np.repeat(np.cumsum(nl) - nl, nl)
            lt = streams[li] + 10 * MIN + lj * 30 * MIN + r.integers(0, 120, li.size)
            mid = self.new_m(li.size)
            self.E(np.full(li.size, s), "match_join", TK_MATCH, mid, lt, det=self.D("custom"))
            self.E(np.full(li.size, s), "match_result", TK_MATCH, mid, lt + r.integers(600, 1300, li.size),
                   det=np.where(r.random(li.size) < .6, self.D("win"), self.D("loss")))
            k = r.poisson(r.uniform(5, 18, li.size))
            e = np.repeat(np.arange(li.size), k)
            v = r.choice(V.size, e.size, p=eng / eng.sum())
            u, first = np.unique(e.astype(np.int64) * 100000 + v, return_index=True)
            e, v = e[first], v[first]
            acc = V[v]
            jt = lt[e] + np.minimum(r.exponential(25, e.size), 120).astype(np.int64) + 2
            ok = jt > self.created[acc]
            e, acc, jt = e[ok], acc[ok], jt[ok]
            self.E(acc, "match_join", TK_MATCH, mid[e], jt, det=self.D("custom"))
            self.E(acc, "match_result", TK_MATCH, mid[e], jt + r.integers(600, 1300, e.size),
                   det=np.where(r.random(e.size) < .5, self.D("win"), self.D("loss")))
            # one session per viewer and stream
            key = acc.astype(np.int64) * 100000 + li[e]
            order = np.argsort(key, kind="stable")
            key, acc_o, jt_o = key[order], acc[order], jt[order]
            b = np.r_[0, np.flatnonzero(np.diff(key)) + 1]
            t0 = np.minimum.reduceat(jt_o, b) if b.size else jt_o
            t1 = np.maximum.reduceat(jt_o, b) if b.size else jt_o
            va = acc_o[b]
            sst = t0 - r.integers(60, 600, b.size)
            dev, ip = self.home(va, sst)
            self.SESS(va, sst, t1 - sst + r.integers(1200, 5400, b.size), dev, ip, mm=.15, soc=.3,
                      base=True)
            # donations to the streamer, giveaways back
            ng = r.binomial(1, .25, e.size).astype(bool)
            self.E(acc[ng], "gift_item", TK_ACC, s, jt[ng] + r.integers(60, 1800, ng.sum()),
                   det=self.D("cosmetic"))
            gi = np.repeat(np.arange(streams.size), r.integers(1, 5, streams.size))
            pick = r.integers(0, e.size, gi.size) if e.size else np.zeros(0, np.int64)
            self.E(np.full(pick.size, s), "gift_item", TK_ACC, acc[pick],
                   streams[gi] + slen[gi] - r.integers(0, 900, gi.size), det=self.D("cosmetic"))
            fa = np.unique(acc)
            fa = fa[r.random(fa.size) < .4]
            if fa.size:
                # first participation of each viewer
                order = np.lexsort((jt, acc))
                a2, t2 = acc[order], jt[order]
                fb = np.r_[0, np.flatnonzero(np.diff(a2)) + 1]
                firsts = dict(zip(a2[fb].tolist(), t2[fb].tolist()))
                ft = np.array([firsts[x] for x in fa.tolist()], np.int64)
                self.E(fa, "friend_add", TK_ACC, s, ft + r.integers(30, 900, fa.size))

    def esports(self):
        r, P = self.r, self.P
        k = max(1, int(round(4 * self.f)))
        teams = []
        for _ in range(k):
            heavy = self.free[:P] & (self.lam[:P] > np.quantile(self.lam[:P], .9)) & \
                (self.created[:P] < T0) & (self.base_mult[:P] > 0)
            if teams and len(teams) % 2 == 1:
                heavy &= self.shard[:P] == self.shard[teams[-1][0]]
            t = self.take(heavy, 6)
            if t.size < 6:
                self.free[t] = True
                break
            self.line[t] = self.line[t[0]]
            self._set_line_attrs(t)
            self.platform[t] = 0
            self.lam[t] = np.maximum(self.lam[t], 1.0)
            self.lo[t], self.hi[t] = T0, T1
            self.atype[t] = 1
            self.group("esports_team", False, t, np.r_[[self.R("player")] * 5, self.R("coach")])
            self.winp[t[:5]] = .62
            self.F[t, 0] = np.roll(t, 1)
            teams.append(t)
        for i in range(0, len(teams), 2):
            pair = teams[i:i + 2]
            allp = np.concatenate([t[:5] for t in pair])
            coach = np.array([t[5] for t in pair])
            tz = self.tz[pair[0][0]]
            nights = self.recurring(T0, T1, r.choice(7, r.integers(4, 6), replace=False), 19, tz, 900)
            boot = []
            for t in pair:
                for _ in range(r.integers(1, 3)):
                    b0 = int(T0 + r.uniform(0, .92) * (T1 - T0))
                    boot.append((t, b0, b0 + int(r.integers(7, 15)) * DAY, self.newv("ip", 1)[0],
                                 self.newv("device", 6)))
            nm = r.integers(3, 6, nights.size)
            mi = np.repeat(np.arange(nights.size), nm)
            mj = np.arange(mi.size) - np.repeat(np.cumsum(nm) - nm, nm)
            mt = nights[mi] + mj * r.integers(35, 50) * MIN
            mid = self.new_m(mi.size)
            for who, lagmax in ((allp, 40), (coach, 60)):
                e_m = np.repeat(np.arange(mi.size), who.size)
                acc = np.tile(who, mi.size)
                if who is coach:
                    keep = r.random(acc.size) < .5
                    e_m, acc = e_m[keep], acc[keep]
                else:
                    keep = r.random(acc.size) < .93
                    e_m, acc = e_m[keep], acc[keep]
                jt = mt[e_m] + r.integers(3, lagmax, acc.size)
                self.E(acc, "match_join", TK_MATCH, mid[e_m], jt, det=self.D("custom"))
                if who is allp:
                    team_a = np.isin(acc, pair[0])
                    wa = r.random(mi.size) < .5
                    win = np.where(team_a, wa[e_m], ~wa[e_m])
                    self.E(acc, "match_result", TK_MATCH, mid[e_m], mt[e_m] + r.integers(1800, 2700, acc.size),
                           det=np.where(win, self.D("win"), self.D("loss")))
            # sessions on scrim nights
            acc = np.tile(np.r_[allp, coach], nights.size)
            st = np.repeat(nights, allp.size + coach.size) - r.integers(300, 1800, acc.size)
            du = np.repeat(nm, allp.size + coach.size) * 45 * MIN + r.integers(600, 3600, acc.size)
            dev, ip = self.home(acc, st)
            for (t, b0, b1, bip, bdev) in boot:
                m = np.isin(acc, t) & (st >= b0) & (st < b1)
                dev[m] = bdev[r.integers(0, bdev.size, m.sum())]
                ip[m] = bip
            self.SESS(acc, st, du, dev, ip, mm=.2, soc=.3, base=True)
            # bootcamp practice blocks
            for (t, b0, b1, bip, bdev) in boot:
                days = np.arange(b0 // DAY, b1 // DAY)
                for h0, h1 in ((11, 15), (16, 22)):
                    acc = np.tile(t, days.size)
                    st = (np.repeat(days, t.size) * DAY + (h0 - tz) * HOUR
                          + r.integers(0, 1800, acc.size)).astype(np.int64)
                    du = np.full(acc.size, (h1 - h0) * HOUR) - r.integers(0, 1800, acc.size)
                    keep = (r.random(acc.size) < .85) & (st >= T0) & (st < T1)
                    self.SESS(acc[keep], st[keep], du[keep], bdev[r.integers(0, 6, keep.sum())],
                              bip, mm=.8, soc=.5, base=True)

    def circles(self):
        r, P = self.r, self.P
        k = int(.08 * P / 5)
        sizes = np.clip(r.geometric(.22, k) + 2, 3, 10)
        pool = np.flatnonzero(self.free[:P] & (self.base_mult[:P] > 0))
        pool = r.choice(pool, min(pool.size, sizes.sum() * 2), replace=False)
        pool = pool[np.lexsort((r.random(pool.size), self.line[pool]))]
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        ok = starts + sizes <= pool.size
        self.circle_list = []
        for s0, sz in zip(starts[ok], sizes[ok]):
            mem = pool[s0:s0 + sz]
            if np.unique(self.line[mem]).size > 1:
                continue
            self.free[mem] = False
            self.group("friend_circle", False, mem, "friend")
            self.F[mem, 0] = np.roll(mem, 1)
            self.F[mem, 1] = np.roll(mem, -1)
            self.F[mem, 2] = mem[r.integers(0, sz, sz)]
            self.circle_list.append(mem)

    def circle_events(self):
        r = self.r
        for mem in self.circle_list:
            sz = mem.size
            tz = self.tz[mem[0]]
            # party nights
            nn = r.poisson(.25 * (T1 - T0) / WEEK)
            t = np.sort(r.uniform(T0, T1, nn))
            t = (np.floor((t + tz * HOUR) / DAY) * DAY + r.choice(24, nn, p=H_ORG) * HOUR
                 - tz * HOUR).astype(np.int64)
            act = (r.random((nn, sz)) < .65) & (t[:, None] >= self.lo[mem]) & \
                (t[:, None] < self.hi[mem])
            good = act.sum(1) >= 2
            t, act = t[good], act[good]
            ni, mi = np.nonzero(act)
            acc = mem[mi]
            nm = r.integers(2, 6, t.size)
            st = t[ni] - r.integers(0, 600, ni.size)
            dev, ip = self.home(acc, st)
            self.SESS(acc, st, nm[ni] * 25 * MIN + r.integers(0, 3600, ni.size), dev, ip, mm=.3,
                      soc=.8, base=True)
            e = np.repeat(np.arange(ni.size), nm[ni])
            run = np.arange(e.size) - np.repeat(np.cumsum(nm[ni]) - nm[ni], nm[ni])
            key = ni[e] * 16 + run
            uk, inv = np.unique(key, return_inverse=True)
            mid = self.new_m(uk.size)[inv]
            mode = np.where(r.random(uk.size) < .6, 1, 2)[inv]
            mt = t[ni[e]] + run * 22 * MIN
            jt = mt + r.integers(1, 12, e.size)
            self.E(acc[e], "match_join", TK_MATCH, mid, jt, det=np.array([self.D(m) for m in MODES])[mode])
            w = (r.random(uk.size) < .5)[inv]
            self.E(acc[e], "match_result", TK_MATCH, mid, jt + np.where(mode == 1, 1100, 450)
                   + r.integers(-200, 200, e.size), det=np.where(w, self.D("win"), self.D("loss")))
            # gifting events
            for (e0, e1), peak in ((EV_ANNIV, EV_ANNIV[0]), (EV_WINTER, XMAS)):
                on = (self.lo[mem] < e1) & (self.hi[mem] > e0) & (r.random(sz) < .8)
                send = mem[on]
                if send.size < 2:
                    continue
                day = np.where(r.random(send.size) < .4, peak + DAY * r.integers(0, 2, send.size),
                               e0 + r.integers(0, (e1 - e0) // DAY, send.size) * DAY)
                tm = (day + r.choice(24, send.size, p=H_ORG) * HOUR - tz * HOUR
                      + r.integers(0, HOUR, send.size)).astype(np.int64)
                tm = np.clip(tm, e0, T1 - 3 * HOUR)
                dev, ip = self.home(send, tm)
                self.SESS(send, tm - r.integers(60, 900, send.size), r.integers(2400, 7200, send.size),
                          dev, ip, mm=.6, soc=.6, base=True)
                ss = np.repeat(np.arange(send.size), sz)
                to = np.tile(mem, send.size)
                keep = (to != send[ss]) & (r.random(ss.size) < .6)
                ss, to = ss[keep], to[keep]
                self.E(send[ss], "gift_item", TK_ACC, to, tm[ss] + r.integers(5, 900, ss.size),
                       det=self.D("holiday_box"))

    def staff(self):
        r = self.r
        for spec in self.sp["staff"]:
            acc = self.ops(spec["size"])
            line = int(np.flatnonzero((LINE_C == 0) & (LINE_TZ == -8))[0])
            self.set_ops(acc, line, (T0 - r.uniform(200, 2500, acc.size) * DAY).astype(np.int64))
            self.atype[acc] = 2
            self.group("game_staff", False, acc, "staff")
            hq = self.newv("ip", r.integers(1, 3))
            devs = self.newv("device", r.integers(2, 5))
            self.sign_ip[acc] = hq[0]
            self.sign_dev[acc] = devs[r.integers(0, devs.size, acc.size)]
            a, st, du = self.sess_times(acc, r.poisson(.5 * 275, acc.size), np.full(acc.size, T0),
                                        np.full(acc.size, T1), H_CAMPUS, 2 * HOUR, .5, weekend=3)
            self.SESS(a, st, du, devs[r.integers(0, devs.size, a.size)], hq[r.integers(0, hq.size, a.size)],
                      mm=.3, soc=.3)
            # giveaways: weekly, bigger during events
            wk = self.recurring(T0, T1, [2], 10, -8, jitter=6 * HOUR)
            ev = np.r_[EV_ANNIV[0] + np.arange(3) * DAY, EV_WINTER[0] + np.arange(3) * DAY, XMAS]
            for t in np.r_[wk, ev]:
                giver = acc[r.integers(0, acc.size)]
                k = int(r.integers(20, 60)) if t in ev else int(r.integers(5, 25))
                to = r.integers(0, self.P, k)
                to = to[self.created[to] < t]
                tt = t + np.sort(r.integers(0, 1800, to.size))
                self.SESS(np.array([giver]), t - 300, 2400, devs[0], hq[0])
                self.E(np.full(to.size, giver), "gift_item", TK_ACC, to, tt, det=self.D("event_prize"))

    # ------------------------------------------------------------------ RMT sellers
    def seller(self, mules, g, shard, start, end, waves=1, op=None):
        """A selling operation: mules in waves, a buyer list, deliveries made at the end."""
        r = self.r
        mules = np.asarray(mules)
        K_ = max(1, min(waves, mules.size))
        ws = np.sort(np.r_[start, r.uniform(start, end - 20 * DAY, K_ - 1)]).astype(np.int64)
        wave_of = np.sort(np.r_[np.arange(K_), r.integers(0, K_, mules.size - K_)])
        cnt = np.bincount(wave_of, minlength=K_)
        pos = np.r_[0, np.cumsum(cnt)[:-1]]
        return dict(mules=mules, g=g, shard=shard, start=start, end=end, ws=ws, wave_of=wave_of,
                    wcnt=cnt, wpos=pos, need=[], op=op,
                    meth=r.dirichlet([3, 2, 1.5]))

    def mule_for(self, sl, t):
        t = np.asarray(t)
        w = np.clip(np.searchsorted(sl["ws"], t, side="right") - 1, 0, sl["ws"].size - 1)
        j = sl["wpos"][w] + (self.r.random(t.size) * sl["wcnt"][w]).astype(np.int64)
        return sl["mules"][j]

    def forward(self, src, t, sl, amt, trade_p=.35):
        """Gold from src accounts to a seller's mules (mail, or trade for which both are online)."""
        r = self.r
        src, t = np.asarray(src), np.asarray(t)
        if src.size == 0:
            return
        mu = self.mule_for(sl, t)
        tr = r.random(src.size) < trade_p
        self.E(src[~tr], "mail_gold", TK_ACC, mu[~tr], t[~tr], amt=amt[~tr])
        self.E(src[tr], "trade_offer", TK_ACC, mu[tr], t[tr], amt=amt[tr], det=self.D("gold"))
        self.E(mu[tr], "trade_accept", TK_ACC, src[tr], t[tr] + r.integers(8, 90, tr.sum()))
        sl["need"].append((mu[tr], t[tr]))
        # mules pick up their mail when they next log in
        sl["need"].append((mu[~tr], t[~tr] + r.integers(600, 6 * HOUR, (~tr).sum())))

    def seller_finish(self, sl, n_buyers):
        r = self.r
        P = self.P
        cand = (self.gidx[:P] < 0) & (self.shard[:P] == sl["shard"]) & (self.base_mult[:P] > 0) & \
            (self.created[:P] < sl["end"] - 10 * DAY)
        bidx = np.flatnonzero(cand)
        bidx = bidx[self.role[bidx] == self.R("player")]
        if bidx.size == 0:
            return
        buyers = r.choice(bidx, min(bidx.size, int(n_buyers)), replace=False,
                          p=_norm(self.lam[bidx] ** .5 + 1e-3))
        self.role[buyers] = self.R("rmt_buyer")
        self.rmt_buyers.append(buyers)
        k = r.poisson(1.3, buyers.size) + 1
        b = np.repeat(buyers, k)
        lo = np.maximum(self.created[b] + DAY, sl["start"])
        hi = np.full(b.size, sl["end"])
        ok = hi > lo + HOUR
        b, lo, hi = b[ok], lo[ok], hi[ok]
        tz = self.tz[b]
        t = lo + r.random(b.size) * (hi - lo)
        t = (np.floor((t + tz * HOUR) / DAY) * DAY + r.choice(24, b.size, p=H_ORG) * HOUR
             + r.integers(0, HOUR, b.size) - tz * HOUR).astype(np.int64)
        ok = (t > lo) & (t < hi)
        b, t = b[ok], t[ok]
        mu = self.mule_for(sl, t)
        amt = r.lognormal(np.log(2e5), .8, b.size).astype(np.int64)
        m = r.choice(3, b.size, p=sl["meth"])
        tr, ml, mk = m == 0, m == 1, m == 2
        self.E(mu[tr], "trade_offer", TK_ACC, b[tr], t[tr], amt=amt[tr], det=self.D("gold"))
        self.E(b[tr], "trade_accept", TK_ACC, mu[tr], t[tr] + r.integers(15, 120, tr.sum()))
        self.E(mu[ml], "mail_gold", TK_ACC, b[ml], t[ml], amt=amt[ml])
        # auction-house laundering: the buyer lists junk at a silly price and the mule buys it
        lt = t[mk] - r.integers(120, 900, mk.sum())
        lid = self.LISTING(b[mk], lt, amt[mk], self.D("junk"), pool=False)
        self.E(mu[mk], "market_buy", TK_LIST, lid, t[mk], amt=amt[mk])
        # the buyer is online around the delivery, on his own machine
        bst = t - r.integers(60, 1500, b.size)
        dev, ip = self.home(b, bst)
        self.SESS(b, bst, r.integers(1500, 6000, b.size), dev, ip, mm=.7, soc=.6, base=True)
        sl["need"].append((mu, t))

    def seller_sessions(self, sl, proxy_p=.3, vpn_p=.25):
        r = self.r
        if not sl["need"]:
            return
        mu = np.concatenate([x[0] for x in sl["need"]])
        t = np.concatenate([x[1] for x in sl["need"]])
        # one login covers needs within 40 minutes
        order = np.lexsort((t, mu))
        mu, t = mu[order], t[order]
        newb = np.r_[True, (mu[1:] != mu[:-1]) | (np.diff(t) > 40 * MIN)]
        b = np.flatnonzero(newb)
        ends = np.r_[b[1:], mu.size] - 1
        sa, st = mu[b], t[b] - r.integers(60, 600, b.size)
        du = t[ends] - st + r.integers(300, 1800, b.size)
        st = np.maximum(st, self.created[sa] + 60)
        u = r.random(sa.size)
        op = sl["op"]
        dev = np.where(r.random(sa.size) < op.get("dev_p", .8),
                       op["dev"][r.integers(0, op["dev"].size, sa.size)], self.dev0[sa])
        ip = np.where(u < proxy_p, self.proxies(sa.size),
                      np.where(u < proxy_p + vpn_p, self.vpn[r.integers(0, self.vpn.size, sa.size)],
                               op["ip"][r.integers(0, op["ip"].size, sa.size)]))
        cover = r.random(sa.size) < .35
        self.SESS(sa, st, du, dev, ip, mm=np.where(cover, .4, 0), soc=np.where(cover, .2, 0))

    def rings(self):
        r = self.r
        self.rings_ = []
        shard_w = _norm([5, 3, 3, 4, 4, 2, 4, 1])
        for spec in self.sp["ring"]:
            mules = self.ops(spec["mules"])
            sh = int(r.choice(len(SHARDS), p=shard_w))
            lines = np.flatnonzero(LINE_SH == sh)
            start = int(T0 - r.uniform(0, 60) * DAY) if r.random() < .5 else \
                int(T0 + r.uniform(0, 100) * DAY)
            end = int(min(T1, start + r.uniform(150, 400) * DAY))
            op = dict(dev=self.newv("device", r.integers(1, 4)), ip=self.newv("ip", r.integers(1, 3)),
                      dev_p=r.uniform(.25, .85))
            g = self.group("rmt_ring", True, mules, "mule")
            sl = self.seller(mules, g, sh, max(start, T0 - 30 * DAY), end,
                             waves=int(r.integers(2, 6)), op=op)
            cr = (sl["ws"][sl["wave_of"]] - r.uniform(.2, 6, mules.size) * DAY).astype(np.int64)
            self.set_ops(mules, r.choice(lines, mules.size), cr)
            # each mule has its own (often virtual) machine; the operator's PCs show up on some logins
            self.dev0[mules] = self.newv("device", mules.size)
            self.sign_dev[mules] = np.where(r.random(mules.size) < op["dev_p"],
                                            op["dev"][r.integers(0, op["dev"].size, mules.size)],
                                            self.dev0[mules])
            self.sign_ip[mules] = np.where(r.random(mules.size) < .5, self.proxies(mules.size),
                                           op["ip"][0])
            sm = mules[r.random(mules.size) < .4]
            self.phone[sm] = self.sms[r.integers(0, self.sms.size, sm.size)]
            self.phone_t[sm] = self.created[sm] + 300
            self.rings_.append(sl)

    def pick_ring(self, shard, p):
        if self.rings_ and self.r.random() < p:
            same = [s for s in self.rings_ if s["shard"] == shard]
            pool = same if same else self.rings_
            return pool[self.r.integers(0, len(pool))]
        return None

    # ------------------------------------------------------------------ bad groups
    def fleets(self):
        r = self.r
        for spec in self.sp["fleet"]:
            bots, colls = self.ops(spec["bots"]), self.ops(spec["colls"])
            B = bots.size
            shard = int(r.choice([0, 1, 3, 4, 6, 2]))
            ring = self.pick_ring(shard, .65)
            if ring is not None:
                shard = ring["shard"]
            lines = np.flatnonzero(LINE_SH == shard)
            fs = int(T0 + r.uniform(-60, 150) * DAY)
            fe = int(min(T1, fs + r.uniform(100, 300) * DAY))
            fs_w = max(fs, T0 - 20 * DAY)
            g = self.group("bot_fleet", True, np.r_[bots, colls],
                           np.r_[[self.R("bot")] * B, [self.R("collector")] * colls.size])
            V = int(r.integers(2, 7))
            vm = r.integers(0, V, B)
            dc = [self.newv("ip", r.integers(2, 6)) for _ in range(V)]
            fps = [self.newv("device", r.integers(1, 4)) for _ in range(V)]
            dcmat = np.zeros((V, 5), np.int64)
            for v in range(V):
                dcmat[v, :dc[v].size] = dc[v]
            spoof = r.random(B) < .35
            prox = r.random(B) < .45
            nw = int(r.integers(2, 6))
            wt = np.sort(np.r_[fs_w, r.uniform(fs_w, max(fs_w + DAY, fe - 25 * DAY), nw - 1)])
            wave = r.choice(nw, B, p=_norm(np.r_[2.5, np.ones(nw - 1)]))
            order = np.lexsort((r.random(B), wave))
            gaps = r.uniform(20, 120, B)
            cum = np.zeros(B)
            cum[order] = np.cumsum(gaps[order])
            act = wt[wave] + cum
            created = act.copy()
            aged = r.random(B) < .2
            created[aged] = T0 - r.uniform(200, 2200, aged.sum()) * DAY
            self.set_ops(bots, r.choice(lines, B), created.astype(np.int64))
            act = act + r.uniform(0, 2 * DAY, B) * aged
            life = r.exponential(70 * DAY, B) + 10 * DAY
            end = np.minimum(fe, act + life)
            # devices and IPs
            dev_fixed = np.array([fps[v][r.integers(0, fps[v].size)] for v in vm])
            ep_len = r.uniform(10, 30, B) * DAY
            nep = np.ceil((end - act) / ep_len).astype(np.int64) + 1
            sp_base = np.zeros(B, np.int64)
            sp_vals = self.newv("device", nep[spoof].sum())
            sp_base[spoof] = np.r_[0, np.cumsum(nep[spoof])[:-1]]
            self.sign_dev[bots] = np.where(spoof, -1, dev_fixed)
            self.sign_dev[bots[spoof]] = sp_vals[sp_base[spoof]]
            self.sign_ip[bots] = np.where(prox, self.proxies(B),
                                          np.array([dc[v][0] for v in vm]))
            # bought aged accounts were registered by their first owners
            self.sign_dev[bots[aged]] = self.newv("device", aged.sum())
            self.sign_ip[bots[aged]] = self.newv("ip", aged.sum())
            ph = bots[r.random(B) < .3]
            self.phone[ph] = self.sms[r.integers(0, self.sms.size, ph.size)]
            self.phone_t[ph] = self.created[ph] + 120
            # schedule: one or two scripted shifts a day at fixed UTC hours
            ns = int(r.integers(1, 3))
            h1 = r.uniform(0, 24)
            shifts = [(h1, r.uniform(5, 9))] + ([((h1 + 12) % 24, r.uniform(5, 9))] if ns == 2 else [])
            boff = r.uniform(0, 1800, B)
            pon = r.uniform(.5, .85, B)
            d0 = np.ceil(act / DAY).astype(np.int64)
            d1 = np.floor(end / DAY).astype(np.int64)
            nd = np.maximum(0, d1 - d0)
            bi = np.repeat(np.arange(B), nd)
            day = np.repeat(d0, nd) + np.arange(bi.size) - np.repeat(np.cumsum(nd) - nd, nd)
            runl = r.uniform(1200, 1800)
            q = r.uniform(.18, .35)
            for si, (h, L) in enumerate(shifts):
                on = r.random(bi.size) < pon[bi]
                b_, d_ = bi[on], day[on]
                s0 = d_ * DAY + int(h * HOUR)                    # fleet-wide shift start
                st = (s0 + boff[b_] + r.normal(0, 150, b_.size)).astype(np.int64)
                du = (L * HOUR + r.normal(0, 600, b_.size)).astype(np.int64)
                ok = (st >= act[b_]) & (st < end[b_])
                b_, d_, s0, st, du = b_[ok], d_[ok], s0[ok], st[ok], du[ok]
                acc = bots[b_]
                ep = ((st - act[b_]) // ep_len[b_]).astype(np.int64)
                dev = np.where(spoof[b_], sp_vals[np.minimum(sp_base[b_] + ep, sp_vals.size - 1)],
                               dev_fixed[b_])
                # the VM's first DC address, another address of the VM on some days
                dcn = np.array([x.size for x in dc])[vm[b_]]
                pick = np.where(r.random(b_.size) < .5, 0, r.integers(0, 100, b_.size) % dcn)
                ip = np.where(prox[b_], self.proxies(b_.size), dcmat[vm[b_], pick])
                self.SESS(acc, st, du, dev, ip)
                # dungeon runs on the fleet grid
                ng = int((L * HOUR - 1800) // runl)
                if ng <= 0:
                    continue
                take = r.random((b_.size, ng)) < q
                si_, gk = np.nonzero(take)
                gt = s0[si_] + 1800 + (gk * runl).astype(np.int64)
                ok = (gt > st[si_] + 60) & (gt < st[si_] + du[si_] - 300)
                si_, gk, gt = si_[ok], gk[ok], gt[ok]
                jt = gt + r.integers(0, 40, si_.size)
                party = r.random(si_.size) < .35
                key = d_[si_] * 1000 + si * 100 + gk
                mid = np.zeros(si_.size, np.int64)
                solo = ~party
                mid[solo] = self.new_m(solo.sum())
                pidx = np.flatnonzero(party)
                pidx = pidx[np.lexsort((r.random(pidx.size), key[pidx]))]
                pk = key[pidx]
                fst = np.r_[0, np.flatnonzero(np.diff(pk)) + 1]
                rank = np.arange(pidx.size) - np.repeat(fst, np.diff(np.r_[fst, pidx.size]))
                pkey = np.cumsum(np.r_[True, (np.diff(pk) != 0) | (np.diff(rank // 4) != 0)]) - 1 \
                    if pidx.size else np.zeros(0, np.int64)
                if pidx.size:
                    mid[pidx] = self.new_m(pkey.max() + 1)[pkey]
                self.E(acc[si_], "match_join", TK_MATCH, mid, jt, det=self.D("dungeon"))
                self.E(acc[si_], "match_result", TK_MATCH, mid, jt + int(runl) - r.integers(60, 200, si_.size),
                       det=np.where(r.random(si_.size) < .97, self.D("clear"), self.D("wipe")))
                # farmed items listed on the market
                nl = r.poisson(2.0, acc.size)
                li = np.repeat(np.arange(acc.size), nl)
                self.LISTING(acc[li], st[li] + (r.random(li.size) * du[li]).astype(np.int64),
                             r.lognormal(np.log(800), .7, li.size), self.D("material"))
                # funnel at the end of the shift
                fn = np.flatnonzero(r.random(acc.size) < .75)
                ft = st[fn] + du[fn] - r.integers(60, 300, fn.size)
                amt = r.lognormal(np.log(5e4), .5, fn.size).astype(np.int64)
                chain = r.random(fn.size) < .1
                to_ring = (ring is not None) & (r.random(fn.size) < .25) & ~chain
                to_coll = ~chain & ~to_ring
                self.E(acc[fn[to_coll]], "mail_gold", TK_ACC, colls[r.integers(0, colls.size, to_coll.sum())],
                       ft[to_coll], amt=amt[to_coll])
                self.E(acc[fn[chain]], "mail_gold", TK_ACC, bots[r.integers(0, B, chain.sum())],
                       ft[chain], amt=amt[chain])
                if ring is not None:
                    self.forward(acc[fn[to_ring]], ft[to_ring], ring, amt[to_ring], trade_p=0)
                # ads in world chat
                spam = r.random(B) < .2
                ns_ = r.poisson(1.5 * spam[b_])
                ci = np.repeat(np.arange(acc.size), ns_)
                self.E(acc[ci], "chat_msg", TK_LIT, self.lit(f"ch/world/{SHARDS[shard]}"),
                       st[ci] + (r.random(ci.size) * du[ci]).astype(np.int64), det=self.D("world"))
                # a little cover play
                cv = np.flatnonzero(r.random(acc.size) < .15)
                self.SLOT(acc[cv], st[cv] + (r.random(cv.size) * du[cv]).astype(np.int64), 1)
            # collectors: one operator PC, his line or a VPN
            cdev = self.newv("device", 1)[0]
            cip = self.newv("ip", r.integers(1, 3))
            ccr = (fs_w - r.uniform(1, 30, colls.size) * DAY).astype(np.int64)
            self.set_ops(colls, r.choice(lines, colls.size), ccr)
            self.dev0[colls] = self.sign_dev[colls] = cdev
            self.home1[colls] = self.sign_ip[colls] = cip[0]
            op = dict(dev=np.array([cdev]), ip=cip)
            if ring is not None:
                days = np.arange(fs_w // DAY, fe // DAY)
                ca = np.repeat(colls, days.size)
                ct = (np.tile(days, colls.size) * DAY + r.uniform(0, DAY, ca.size)).astype(np.int64)
                keep = (r.random(ca.size) < .8) & (ct > self.created[ca])
                ca, ct = ca[keep], ct[keep]
                nf = r.integers(1, 4, ca.size)
                fa = np.repeat(ca, nf)
                ft = np.repeat(ct, nf) + r.integers(60, 1800, fa.size)
                self.forward(fa, ft, ring, r.lognormal(np.log(4e5), .6, fa.size).astype(np.int64))
                own = self.seller(colls, g, shard, fs_w, fe, 1, op)
                own["need"].append((ca, ct))
                self.seller_sessions(own, proxy_p=0, vpn_p=.3)
            else:
                own = self.seller(colls, g, shard, fs_w, fe, 1, op)
                self.seller_finish(own, self.logu(20, 80))
                self.seller_sessions(own, proxy_p=0, vpn_p=.3)

    def studios(self):
        r = self.r
        cc = [C_CODE.index(c) for c in ("PH", "VN", "ID", "BR", "TH")]
        for spec in self.sp["studio"]:
            W, colls = self.ops(spec["workers"]), self.ops(spec["colls"])
            ci = int(r.choice(cc))
            line = int(np.flatnonzero(LINE_C == ci)[0])
            tz, shard = LINE_TZ[line], int(LINE_SH[line])
            ring = self.pick_ring(shard, .5)
            s0 = int(T0 - r.uniform(0, 90) * DAY)
            s1 = int(T1 if r.random() < .6 else T0 + r.uniform(.5, .95) * (T1 - T0))
            g = self.group("farm_studio", True, np.r_[W, colls],
                           np.r_[[self.R("worker")] * W.size, [self.R("collector")] * colls.size])
            n = W.size
            office = self.newv("ip", r.integers(1, 3))
            pcs = self.newv("device", max(3, int(np.ceil(n / 2.2))))
            plan_px = self.proxies(r.integers(30, 80))
            cneed = []
            shift = r.integers(0, 2, n)
            pc = (np.arange(n) % pcs.size)
            pc2 = np.where(r.random(n) < .3, r.integers(0, pcs.size, n), pc)
            hire = np.where(r.random(n) < .6, s0, r.uniform(s0, s1 - 30 * DAY, n)).astype(np.int64)
            created = hire - r.integers(0, 2 * DAY, n)
            self.set_ops(W, line, created)
            self.sign_ip[W] = office[0]
            self.sign_dev[W] = pcs[pc]
            wend = np.minimum(s1, hire + r.exponential(90 * DAY, n) + 14 * DAY).astype(np.int64)
            hire = np.maximum(hire, T0 - 5 * DAY)
            d0 = ((hire + tz * HOUR) // DAY).astype(np.int64) + 1
            d1 = ((wend + tz * HOUR) // DAY).astype(np.int64)
            nd = np.maximum(0, d1 - d0)
            wi = np.repeat(np.arange(n), nd)
            day = np.repeat(d0, nd) + np.arange(wi.size) - np.repeat(np.cumsum(nd) - nd, nd)
            on = ((day + 3) % 7 != 6) & (r.random(wi.size) < .88)
            wi, day = wi[on], day[on]
            sh0 = np.where(shift[wi] == 0, 8, 16)
            # two blocks a day with a break, human jitter
            for blk in range(2):
                b0 = day * DAY + (sh0 + 4 * blk - tz) * HOUR + r.normal(0, 20 * MIN, wi.size) + \
                    (blk * r.uniform(30, 60, wi.size) * MIN)
                b0 = b0.astype(np.int64)
                du = (4 * HOUR - r.uniform(0, 40, wi.size) * MIN).astype(np.int64)
                keep = (b0 >= T0) & (b0 < T1)
                acc, st, du_, w_ = W[wi[keep]], b0[keep], du[keep], wi[keep]
                dev = np.where(r.random(acc.size) < .85, pcs[pc[w_]], pcs[pc2[w_]])
                ip = np.where(r.random(acc.size) < .55, office[r.integers(0, office.size, acc.size)],
                              plan_px[r.integers(0, plan_px.size, acc.size)])
                self.SESS(acc, st, du_, dev, ip)
                # dungeon runs, human paced; parties with co-workers of the shift
                nr = r.poisson(du_ / (50 * MIN))
                e = np.repeat(np.arange(acc.size), nr)
                t = st[e] + (r.random(e.size) * (du_[e] - 1500)).astype(np.int64)
                party = r.random(e.size) < .25
                mid = np.zeros(e.size, np.int64)
                mid[~party] = self.new_m((~party).sum())
                pe = np.flatnonzero(party)
                slot = (t[pe] // (20 * MIN)) * 4 + shift[w_[e[pe]]] * 2 + blk
                o = np.lexsort((r.random(pe.size), slot))
                pe, slot = pe[o], slot[o]
                fst = np.r_[0, np.flatnonzero(np.diff(slot)) + 1] if pe.size else np.zeros(0, int)
                rank = np.arange(pe.size) - np.repeat(fst, np.diff(np.r_[fst, pe.size]))
                if pe.size:
                    pk = np.cumsum(np.r_[True, (np.diff(slot) != 0) | (np.diff(rank // 3) != 0)]) - 1
                    mid[pe] = self.new_m(pk.max() + 1)[pk]
                    # party members enter together
                    lead = np.full(pk.max() + 1, np.iinfo(np.int64).max)
                    np.minimum.at(lead, pk, t[pe])
                    t[pe] = lead[pk] + r.integers(3, 60, pe.size)
                self.E(acc[e], "match_join", TK_MATCH, mid, t, det=self.D("dungeon"))
                self.E(acc[e], "match_result", TK_MATCH, mid, t + r.integers(900, 1700, e.size),
                       det=np.where(r.random(e.size) < .9, self.D("clear"), self.D("wipe")))
                nl = r.poisson(2.0, acc.size)
                li = np.repeat(np.arange(acc.size), nl)
                self.LISTING(acc[li], st[li] + (r.random(li.size) * du_[li]).astype(np.int64),
                             r.lognormal(np.log(1200), .9, li.size), self.D("material"))
                cv = np.flatnonzero(r.random(acc.size) < .2)
                self.SLOT(acc[cv], st[cv] + (r.random(cv.size) * du_[cv]).astype(np.int64),
                          r.choice([0, 1], cv.size))
                nc = r.poisson(.6, acc.size)
                ci_ = np.repeat(np.arange(acc.size), nc)
                self.E(acc[ci_], "chat_msg", TK_LIT, self.lit(f"ch/trade/{SHARDS[shard]}"),
                       st[ci_] + (r.random(ci_.size) * du_[ci_]).astype(np.int64), det=self.D("trade"))
                # hand-over to the collectors every few days (end of the block)
                hv = np.flatnonzero(r.random(acc.size) < .18)
                ht = st[hv] + du_[hv] - r.integers(60, 900, hv.size)
                to = colls[r.integers(0, colls.size, hv.size)]
                amt = r.lognormal(np.log(1.5e5), .7, hv.size).astype(np.int64)
                tr = r.random(hv.size) < .3
                self.E(acc[hv[~tr]], "mail_gold", TK_ACC, to[~tr], ht[~tr], amt=amt[~tr])
                self.E(acc[hv[tr]], "trade_offer", TK_ACC, to[tr], ht[tr], amt=amt[tr], det=self.D("gold"))
                self.E(to[tr], "trade_accept", TK_ACC, acc[hv[tr]], ht[tr] + r.integers(10, 120, tr.sum()))
                cneed.append((to[tr], ht[tr]))
            # collectors: the manager's PC in the office or at home
            mdev = self.newv("device", 1)[0]
            mhome = self.newv("ip", 1)[0]
            self.set_ops(colls, line, (s0 - r.uniform(10, 200, colls.size) * DAY).astype(np.int64))
            self.dev0[colls] = self.sign_dev[colls] = mdev
            self.home1[colls] = self.sign_ip[colls] = mhome
            op = dict(dev=np.array([mdev, pcs[0]]), ip=np.r_[office, mhome])
            own = self.seller(colls, g, shard, max(s0, T0 - 20 * DAY), s1, 1, op)
            own["need"].extend(cneed)
            if ring is not None:
                days = np.arange(max(s0, T0) // DAY, s1 // DAY)
                ca = np.repeat(colls, days.size)
                ct = (np.tile(days, colls.size) * DAY + (r.uniform(18, 23, ca.size) - tz) * HOUR).astype(
                    np.int64)
                keep = r.random(ca.size) < .45
                self.forward(ca[keep], ct[keep], ring, r.lognormal(np.log(6e5), .6, keep.sum()).astype(
                    np.int64))
                own["need"].append((ca[keep], ct[keep]))
            self.seller_finish(own, self.logu(15, 60))
            self.seller_sessions(own, proxy_p=.2, vpn_p=.1)

    def chargebacks(self):
        r = self.r
        for spec in self.sp["cb"]:
            C, cash = self.ops(spec["carders"]), self.ops(spec["cash"])
            shard = int(r.choice([0, 1, 3, 4, 2, 6]))
            ring = self.pick_ring(shard, .3)
            if ring is not None:
                shard = ring["shard"]
            lines = np.flatnonzero(LINE_SH == shard)
            g = self.group("chargeback_ring", True, np.r_[C, cash],
                           np.r_[[self.R("carder")] * C.size, [self.R("cashout")] * cash.size])
            s0 = int(T0 + r.uniform(5, 200) * DAY)
            nw = int(min(C.size, r.integers(1, 4)))
            wts = s0 + np.r_[0, np.cumsum(r.uniform(14, 45, nw - 1))] * DAY
            wave = np.sort(np.r_[np.arange(nw), r.integers(0, nw, C.size - nw)])
            n = C.size
            created = np.zeros(n, np.int64)
            devs = np.zeros(n, np.int64)
            pool_cards = []
            for w in range(nw):
                m = np.flatnonzero(wave == w)
                created[m] = wts[w] + np.cumsum(r.uniform(60, 900, m.size))
                wc = self.newv("payment", max(2, int(np.ceil(m.size / r.uniform(1.3, 3)))))
                if pool_cards and r.random() < .5:       # some cards carried into the next wave
                    wc = np.r_[wc, pool_cards[-1][:2]]
                pool_cards.append(wc)
                ed = self.newv("device", r.integers(1, 4))
                devs[m] = np.where(r.random(m.size) < .7, ed[r.integers(0, ed.size, m.size)],
                                   self.newv("device", m.size))
            created = np.minimum(created, T1 - 3 * DAY)
            mycards = [r.choice(pool_cards[wave[i]], min(pool_cards[wave[i]].size, int(r.integers(1, 4))),
                                replace=False) for i in range(n)]
            self.set_ops(C, r.choice(lines, n), created)
            self.dev0[C] = self.sign_dev[C] = devs
            self.sign_ip[C] = self.proxies(n)
            ph = C[r.random(n) < .5]
            self.phone[ph] = self.sms[r.integers(0, self.sms.size, ph.size)]
            self.phone_t[ph] = self.created[ph] + 200
            cash_dev = self.newv("device", 1)[0]
            cash_ip = self.newv("ip", r.integers(1, 3))
            self.set_ops(cash, r.choice(lines, cash.size),
                         (s0 - r.uniform(30, 400, cash.size) * DAY).astype(np.int64))
            self.dev0[cash] = self.sign_dev[cash] = cash_dev
            self.home1[cash] = self.sign_ip[cash] = cash_ip[0]
            # carder sessions: a first one within hours of sign-up, a second the next day for some
            for sess in range(3):
                m = np.flatnonzero(r.random(n) < (1, .6, .25)[sess])
                acc = C[m]
                st = created[m] + (r.uniform(5, 360, m.size) * MIN if sess == 0 else
                                   r.uniform(.6, 3, m.size) * DAY * sess).astype(np.int64)
                st = np.minimum(st, T1 - HOUR)
                du = r.integers(20, 70, m.size) * MIN
                ip = self.proxies(m.size)
                self.SESS(acc, st, du, devs[m], ip)
                wc = [pool_cards[w] for w in wave[m]]
                t = st + r.integers(60, 300, m.size)
                # test purchase, declines, then big packs
                c1 = np.array([mycards[i][0] for i in m])
                if sess == 0:
                    self.E(acc, "currency_buy", TK_LIT, self.lit("gems_100"), t, amt=99)
                    self.S(acc, "payment", c1, t, "payment")
                    self.cb_buys.append((acc, t, np.full(m.size, 99), np.full(m.size, self.lit("gems_100"))))
                nb = r.integers(1, 6, m.size)
                e = np.repeat(np.arange(m.size), nb)
                bt = t[e] + r.integers(60, 1500, e.size)
                cc = np.array([mycards[m[i]][r.integers(0, mycards[m[i]].size)] for i in e], np.int64)
                sku = r.choice([3, 4, 5], e.size, p=[.3, .45, .25])
                dec = r.random(e.size) < .35
                self.E(acc[e[dec]], "payment_declined", TK_LIT,
                       np.array([self.lit(SKUS[s][0]) for s in sku[dec]], np.int64), bt[dec] - 20,
                       amt=np.array([SKUS[s][1] for s in sku[dec]]))
                self.S(acc[e[dec]], "payment", self.newv("payment", dec.sum()), bt[dec] - 20, "payment")
                ok = ~dec
                skl = np.array([self.lit(s[0]) for s in SKUS])
                skp = np.array([s[1] for s in SKUS])
                self.E(acc[e[ok]], "currency_buy", TK_LIT, skl[sku[ok]], bt[ok], amt=skp[sku[ok]])
                self.S(acc[e[ok]], "payment", cc[ok], bt[ok], "payment")
                self.cb_buys.append((acc[e[ok]], bt[ok], skp[sku[ok]], skl[sku[ok]]))
                # gems turned into tradable items and gifted away within the hour
                ng = r.integers(2, 7, m.size)
                ge = np.repeat(np.arange(m.size), ng)
                gt = t[ge] + r.integers(1500, 3000, ge.size)
                to = np.where(r.random(ge.size) < .75, cash[r.integers(0, cash.size, ge.size)],
                              self.rand_in_shard(np.full(ge.size, shard), True))
                if ring is not None:
                    rm = r.random(ge.size) < .3
                    to[rm] = self.mule_for(ring, gt[rm])
                self.E(acc[ge], "gift_item", TK_ACC, to, gt, det=self.D("gem_pack"))
                cv = np.flatnonzero(r.random(m.size) < .4)
                self.SLOT(acc[cv], st[cv] + r.integers(0, 1200, cv.size), 1)
            # cash-out accounts sell on to buyers or to a ring
            op = dict(dev=np.array([cash_dev]), ip=cash_ip)
            own = self.seller(cash, g, shard, s0, int(min(T1, wts[-1] + 60 * DAY)), 1, op)
            k = int(r.integers(10, 40))
            lt = (s0 + r.random(k) * (own["end"] - s0)).astype(np.int64)
            la = cash[r.integers(0, cash.size, k)]
            self.LISTING(la, lt, r.lognormal(np.log(2e4), .6, k), self.D("gem_pack"))
            own["need"].append((la, lt))
            if ring is not None and r.random() < .5:
                ft = (s0 + r.random(k) * (own["end"] - s0)).astype(np.int64)
                fa = cash[r.integers(0, cash.size, k)]
                self.forward(fa, ft, ring, r.lognormal(np.log(3e5), .5, k).astype(np.int64))
                own["need"].append((fa, ft))
            else:
                self.seller_finish(own, self.logu(10, 40))
            self.seller_sessions(own, proxy_p=.3, vpn_p=.2)

    def takeovers(self):
        r, P = self.r, self.P
        for spec in self.sp["ato"]:
            drops = self.ops(spec["drops"])
            w0 = int(T0 + r.uniform(10, 250) * DAY)
            wl = int(r.uniform(7, 28) * DAY)
            sh_pref = int(r.choice(len(SHARDS), p=_norm([5, 3, 3, 4, 4, 2, 3, 1])))
            cand = (self.free[:P] & (self.created[:P] < w0 - 365 * DAY) & (self.base_mult[:P] > 0) &
                    (self.role[:P] == self.R("player")))
            w = np.where(self.lam[:P] < .02, 3.0, 1.0) * np.where(self.shard[:P] == sh_pref, 4.0, 1.0) \
                * np.where(self.payer[:P], 2.0, 1.0)
            V = self.take(cand, spec["victims"], w=w)
            if V.size == 0:
                continue
            ring = self.pick_ring(sh_pref, .4)
            g = self.group("account_takeover", True, np.r_[V, drops],
                           np.r_[[self.R("victim")] * V.size, [self.R("drop")] * drops.size])
            odev = self.newv("device", r.integers(2, 5))
            oip = np.r_[self.proxies(r.integers(4, 12)), self.vpn[r.integers(0, self.vpn.size, 3)]]
            antidetect = r.random() < .4
            shared_mail = self.newv("email", r.integers(1, 3)) if r.random() < .35 else None
            lines = np.flatnonzero(LINE_SH == sh_pref)
            self.set_ops(drops, r.choice(lines, drops.size),
                         (w0 - r.uniform(0, 3, drops.size) * DAY).astype(np.int64))
            self.dev0[drops] = self.sign_dev[drops] = odev[r.integers(0, odev.size, drops.size)]
            self.sign_ip[drops] = oip[r.integers(0, oip.size, drops.size)]
            nv = V.size
            tv = w0 + (np.sort(r.random(nv)) * wl).astype(np.int64)
            # a second visit to some victims a few days later
            rep = r.random(nv) < .3
            vi = np.r_[np.arange(nv), np.flatnonzero(rep)]
            tt = np.r_[tv, tv[rep] + r.uniform(1, 6, rep.sum()) * DAY].astype(np.int64)
            acc = V[vi]
            dev = np.where(antidetect & (r.random(vi.size) < .5), self.newv("device", vi.size),
                           odev[r.integers(0, odev.size, vi.size)])
            ip = oip[r.integers(0, oip.size, vi.size)]
            self.SESS(acc, tt, r.integers(15, 50, vi.size) * MIN, dev, ip)
            first = np.arange(vi.size) < nv
            pr = first & (r.random(vi.size) < .6)
            self.E(acc[pr], "password_reset", TK_LIT, self.lit("settings"), tt[pr] - r.integers(60, 600, pr.sum()))
            em = first & (r.random(vi.size) < .5)
            self.E(acc[em], "email_change", TK_LIT, self.lit("settings"), tt[em] + r.integers(60, 240, em.sum()))
            ev = shared_mail[r.integers(0, shared_mail.size, em.sum())] if shared_mail is not None \
                else self.newv("email", em.sum())
            self.S(acc[em], "email", ev, tt[em] + 250, "settings")
            # stripping: items and gold to the drops within minutes
            ns = r.integers(2, 7, vi.size)
            e = np.repeat(np.arange(vi.size), ns)
            st = tt[e] + r.integers(180, 1500, e.size)
            to = drops[r.integers(0, drops.size, e.size)]
            kind = r.choice(3, e.size, p=[.4, .35, .25])
            amt = r.lognormal(np.log(8e4), 1, e.size).astype(np.int64)
            m = kind == 0
            self.E(acc[e[m]], "trade_offer", TK_ACC, to[m], st[m], amt=0, det=self.D("items"))
            self.E(to[m], "trade_accept", TK_ACC, acc[e[m]], st[m] + r.integers(10, 60, m.sum()))
            m = kind == 1
            self.E(acc[e[m]], "gift_item", TK_ACC, to[m], st[m], det=self.D("mount"))
            m = kind == 2
            self.E(acc[e[m]], "mail_gold", TK_ACC, to[m], st[m], amt=amt[m])
            # recovery for some, the rest are abandoned
            rec = r.random(nv) < .55
            rt = (tv + r.uniform(1, 10, nv) * DAY).astype(np.int64)
            rv = V[rec]
            rdev, rip = self.home(rv, rt[rec])
            self.SESS(rv, rt[rec], r.integers(10, 40, rv.size) * MIN, rdev, rip, mm=.3, soc=.3)
            self.E(rv, "password_reset", TK_LIT, self.lit("settings"), rt[rec] + 60)
            self.cutoff[V[~rec]] = tv[~rec]
            # drops: online with the operator, then sell on the market
            dneed = (to, st)
            dl = np.repeat(drops, r.integers(8, 30, drops.size))
            dlt = (w0 + r.random(dl.size) * (wl + 14 * DAY)).astype(np.int64)
            self.LISTING(dl, dlt, r.lognormal(np.log(3e4), .8, dl.size), self.D("gear"))
            op = dict(dev=odev, ip=oip)
            own = self.seller(drops, g, sh_pref, w0, min(T1, w0 + wl + 30 * DAY), 1, op)
            own["need"] += [dneed, (dl, dlt)]
            if ring is not None:
                k = int(r.integers(3, 12))
                fa = drops[r.integers(0, drops.size, k)]
                ft = (w0 + r.random(k) * (wl + 14 * DAY)).astype(np.int64)
                self.forward(fa, ft, ring, r.lognormal(np.log(2e5), .6, k).astype(np.int64))
                own["need"].append((fa, ft))
            self.seller_sessions(own, proxy_p=.6, vpn_p=.3)

    def wintrading(self):
        r, P = self.r, self.P
        for spec in self.sp["wt"]:
            sh = int(r.choice(len(SHARDS), p=_norm([5, 3, 3, 4, 4, 3, 3, 1])))
            heavy = self.free[:P] & (self.shard[:P] == sh) & (self.created[:P] < T0 - 180 * DAY) & \
                (self.lam[:P] > np.quantile(self.lam[:P], .8)) & (self.base_mult[:P] > 0)
            boost = self.take(heavy, spec["boosters"])
            if boost.size == 0:
                continue
            cl = self.take(self.free[:P] & (self.shard[:P] == sh) & (self.base_mult[:P] > 0) &
                           (self.created[:P] < T0 + 60 * DAY), spec["clients"])
            fe = self.ops(spec["feeders"])
            g = self.group("win_trading", True, np.r_[boost, cl, fe],
                           np.r_[[self.R("booster")] * boost.size, [self.R("client")] * cl.size,
                                 [self.R("feeder")] * fe.size])
            self.lo[boost], self.hi[boost] = T0, T1
            tz = self.tz[boost[0]]
            owner = boost[r.integers(0, boost.size, fe.size)]
            ncamp = int(r.integers(1, 4))
            camps = []
            for _ in range(ncamp):
                c0 = int(T0 + r.uniform(0, .85) * (T1 - T0))
                camps.append((c0, int(min(T1, c0 + r.uniform(14, 56) * DAY))))
            c_first = min(c[0] for c in camps)
            self.set_ops(fe, self.line[owner], (c_first - r.uniform(3, 60, fe.size) * DAY).astype(np.int64))
            own_dev = r.random(fe.size) < .3
            self.dev0[fe] = np.where(own_dev, self.newv("device", fe.size), self.dev0[owner])
            self.home1[fe] = self.home1[owner]
            self.dchg[fe] = self.ichg[fe] = np.iinfo(np.int64).max
            self.sign_dev[fe], self.sign_ip[fe] = self.dev0[fe], self.home1[fe]
            self.lam[fe] = .05
            self.base_mult[fe] = 1.0
            self.lo[fe], self.hi[fe] = np.maximum(self.created[fe], T0), T1
            self.F[fe, 0] = owner
            self.F[fe, 1:] = self.rand_in_shard(np.full(fe.size * 3, sh), True).reshape(-1, 3)
            sharing = r.random() < .5
            for c0, c1 in camps:
                nights = self.recurring(c0, c1, r.choice(7, r.integers(2, 6), replace=False),
                                        float(r.choice([22, 23, 24, 25, 26])), tz, jitter=2400)
                if nights.size == 0:
                    continue
                nm = r.integers(3, 9, nights.size)
                mi = np.repeat(np.arange(nights.size), nm)
                mt = nights[mi] + (np.arange(mi.size) - np.repeat(np.cumsum(nm) - nm, nm)) * \
                    r.integers(30, 41) * MIN
                M = mi.size
                mid = self.new_m(M)
                wide = r.random(M) < .2
                parts = []
                # winners: a booster (on the client's account or his own) and a client
                b_on = r.random((nights.size, boost.size)) < .85
                bi = np.array([r.choice(np.flatnonzero(b_on[x])) if b_on[x].any() else 0 for x in mi])
                parts.append((boost[bi], np.ones(M, bool), np.arange(M)))
                has_c = (r.random(M) < .7) & (cl.size > 0)
                if cl.size:
                    cidx = np.flatnonzero(has_c)
                    parts.append((cl[r.integers(0, cl.size, cidx.size)], np.ones(cidx.size, bool), cidx))
                nf = r.integers(1, min(3, fe.size) + 1, M)
                fi = np.repeat(np.arange(M), nf)
                parts.append((fe[r.integers(0, fe.size, fi.size)], np.zeros(fi.size, bool), fi))
                ns = r.integers(2, 6, M)
                si = np.repeat(np.arange(M), ns)
                strangers = self.rand_in_shard(np.full(si.size, sh), True)
                acc = np.concatenate([p[0] for p in parts] + [strangers])
                win = np.concatenate([p[1] for p in parts] + [r.random(si.size) < .5])
                me = np.concatenate([p[2] for p in parts] + [si])
                strange = np.r_[np.zeros(acc.size - si.size, bool), np.ones(si.size, bool)]
                u, first = np.unique(me.astype(np.int64) * self.n + acc, return_index=True)
                acc, win, me, strange = acc[first], win[first], me[first], strange[first]
                lag = np.where(wide[me], r.integers(0, 120, acc.size), r.integers(0, 45, acc.size))
                lag = np.where(strange, r.integers(0, 20, acc.size), lag)
                jt = mt[me] + lag
                ok = jt > self.created[acc]
                acc, win, me, strange, jt = acc[ok], win[ok], me[ok], strange[ok], jt[ok]
                self.E(acc, "match_join", TK_MATCH, mid[me], jt, det=self.D("ranked"))
                isfeed = np.isin(acc, fe)
                ab = isfeed & (r.random(acc.size) < .3)
                et = np.where(ab, jt + r.integers(120, 360, acc.size), mt[me] + r.integers(1500, 2300, acc.size))
                self.E(acc, "match_result", TK_MATCH, mid[me], et,
                       det=np.where(ab, self.D("abandon"), np.where(win, self.D("win"), self.D("loss"))))
                # ring members are online on those nights; strangers are just matched in
                ra = acc[~strange]
                rn = mi[me[~strange]]
                key = ra.astype(np.int64) * 100000 + rn
                uk, fi_ = np.unique(key, return_index=True)
                sa = ra[fi_]
                sst = nights[rn[fi_]] - r.integers(120, 900, fi_.size)
                du = nm[rn[fi_]] * 38 * MIN + r.integers(600, 2400, fi_.size)
                dev, ip = self.home(sa, sst)
                if sharing and cl.size:
                    isc = np.isin(sa, cl)
                    bo = boost[r.integers(0, boost.size, isc.sum())]
                    dev[isc], ip[isc] = self.home(bo, sst[isc])
                self.SESS(sa, sst, du, dev, ip, mm=0, soc=.2)
                # ranked slots for strangers happen in their own sessions; keep it simple
            tip = cl[r.random(cl.size) < .3]
            if tip.size:
                tt = (camps[0][0] + r.uniform(0, 20 * DAY, tip.size)).astype(np.int64)
                self.E(tip, "gift_item", TK_ACC, boost[r.integers(0, boost.size, tip.size)], tt,
                       det=self.D("cosmetic"))

    def lone(self):
        P = self.P
        base = self.free[:P] & (self.base_mult[:P] > 0) & (self.lam[:P] > .03)
        ch = self.take(base, int(.0025 * P))
        self.group_lone(ch, "lone_cheater", True)
        self.winp[ch] = .8
        self.repw[ch] = 150
        sc = self.take(base, int(.0008 * P))
        self.group_lone(sc, "lone_scammer", True)
        self.scammers = sc
        pros = self.take(base & (self.lam[:P] > np.quantile(self.lam[:P], .9)), int(.003 * P))
        self.role[pros] = self.R("reported_pro")
        self.winp[pros] = .65
        self.repw[pros] = 40

    def group_lone(self, acc, kind, bad):
        self.gkind_lone[acc] = kind
        self.role[acc] = self.R(kind.split("_")[1])
        self.bad[acc] = bad

    # ------------------------------------------------------------------ organic activity
    def base_sessions(self):
        r = self.r
        idx = np.flatnonzero(self.base_mult > 0)
        days = (self.hi[idx] - self.lo[idx]).clip(0) / DAY
        cnt = r.poisson(self.lam[idx] * self.base_mult[idx] * days * 1.15).clip(0, 1500)
        for hp in (0, 1):
            m = self.hp[idx] == hp
            a, st, du = self.sess_times(idx[m], cnt[m], self.lo[idx[m]], self.hi[idx[m]], HP[hp],
                                        40 * MIN, .8, shift=self.hshift)
            dev, ip = self.home(a, st)
            n = a.size
            u = r.random(n)
            phone = (self.platform[a] == 2) | ((self.dev1[a] >= 0) & (u < .3))
            dev = np.where(phone & (self.platform[a] != 2), self.dev1[a], dev)
            car = np.zeros(n, np.int64)
            ci = self.carrier[a]
            for c in np.unique(ci[ci >= 0]):
                mm_ = ci == c
                car[mm_] = self.car_pool[int(c)][r.choice(self.car_w.size, mm_.sum(), p=self.car_w)]
            ip = np.where(phone & (r.random(n) < .45) & (ci >= 0), car, ip)
            v = self.vpn_user[a] & (r.random(n) < .25)
            ip[v] = self.vpn[r.choice(self.vpn.size, v.sum(), p=self.vpn_w)]
            cl = self.cloud_user[a] & (r.random(n) < .3)
            ip[cl] = self.cloud_ip[r.integers(0, self.cloud_ip.size, cl.sum())]
            dev[cl] = self.cloud_dev[r.integers(0, self.cloud_dev.size, cl.sum())]
            tr = r.random(n) < .005
            ip[tr] = self.newv("ip", tr.sum())
            self.SESS(a, st, du, dev, ip, mm=1.0, soc=1.0, base=True)
        # the sign-up session of players who joined in the window
        nw = idx[self.created[idx] >= T0]
        st = self.created[nw] + r.integers(30, 1800, nw.size)
        self.SESS(nw, st, r.lognormal(np.log(30 * MIN), .6, nw.size).astype(np.int64) + 300,
                  self.sign_dev[nw], self.sign_ip[nw], mm=1.0, soc=.6, base=True)

    def assemble_sessions(self):
        c = self.sessc
        S = dict(a=_cat(c, 0, np.int32), st=_cat(c, 1, np.int64), du=_cat(c, 2, np.int64),
                 dev=_cat(c, 3, np.int64), ip=_cat(c, 4, np.int64), mm=_cat(c, 5, np.float32),
                 soc=_cat(c, 6, np.float32), pq=_cat(c, 7, np.int32), base=_cat(c, 8, bool))
        keep = ((S["st"] < self.cutoff[S["a"]]) | ~S["base"]) & (S["st"] >= self.created[S["a"]]) & \
            (S["st"] < T1) & (S["st"] >= T0)
        S = {k: v[keep] for k, v in S.items()}
        self.sess = S

    def organic(self):
        r = self.r
        S = self.sess
        a, st, du, mm, soc = S["a"], S["st"], S["du"], S["mm"], S["soc"]
        n = a.size
        # login + signals
        self.E(a, "login", TK_LIT, np.array([self.lit("shard:" + s) for s in SHARDS])[self.shard[a]], st)
        d = S["dev"] >= 0
        self.S(a[d], "device", S["dev"][d], st[d])
        d = S["ip"] >= 0
        self.S(a[d], "ip", S["ip"][d], st[d])
        # match slots
        k = r.poisson(du / (50 * MIN) * mm * self.play[a])
        e = np.repeat(np.arange(n), k)
        ts = st[e] + (r.random(e.size) * du[e] * .9).astype(np.int64)
        pl_ = self.platform[a[e]]
        pm = np.array([[.3, .3, .15, .25], [.25, .4, .2, .15], [.15, .35, .4, .1]])
        cum = np.cumsum(pm, 1)[pl_]
        mode = (r.random(e.size)[:, None] > cum).sum(1)
        dun = mode == 3
        de = e[dun]
        mid = self.new_m(dun.sum())
        self.E(a[de], "match_join", TK_MATCH, mid, ts[dun], det=self.D("dungeon"))
        self.E(a[de], "match_result", TK_MATCH, mid, ts[dun] + r.integers(900, 1800, de.size),
               det=np.where(r.random(de.size) < .85, self.D("clear"), self.D("wipe")))
        pv = ~dun
        pq = np.where(r.random(e.size) < .35, S["pq"][e], -1)
        self.SLOT(a[e[pv]], ts[pv], mode[pv], pq=pq[pv])
        # chat
        kc = r.poisson(.45 * soc * self.chat[a])
        e = np.repeat(np.arange(n), kc)
        ts = st[e] + (r.random(e.size) * du[e]).astype(np.int64)
        u = r.random(e.size)
        world = np.array([self.lit("ch/world/" + s) for s in SHARDS])
        trade = np.array([self.lit("ch/trade/" + s) for s in SHARDS])
        sh = self.shard[a[e]]
        w = u < .55
        self.E(a[e[w]], "chat_msg", TK_LIT, world[sh[w]], ts[w], det=self.D("world"))
        t_ = (u >= .55) & (u < .72)
        self.E(a[e[t_]], "chat_msg", TK_LIT, trade[sh[t_]], ts[t_], det=self.D("trade"))
        wh = u >= .72
        self.E(a[e[wh]], "chat_msg", TK_ACC, self.F[a[e[wh]], r.integers(0, 4, wh.sum())], ts[wh],
               det=self.D("whisper"))
        # market
        kl = r.poisson(.10 * soc * self.trader[a])
        e = np.repeat(np.arange(n), kl)
        self.LISTING(a[e], st[e] + (r.random(e.size) * du[e]).astype(np.int64),
                     r.lognormal(np.log(1500), 1.2, e.size),
                     r.choice([self.D("gear"), self.D("material"), self.D("cosmetic")], e.size))
        kb = r.poisson(.12 * soc * self.trader[a])
        e = np.repeat(np.arange(n), kb)
        self.buy_slots = (a[e], st[e] + (r.random(e.size) * du[e]).astype(np.int64))
        # trades
        kt = r.poisson(.05 * soc * self.trader[a])
        e = np.repeat(np.arange(n), kt)
        ts = st[e] + (r.random(e.size) * du[e]).astype(np.int64)
        fr = r.random(e.size) < .65
        to = np.where(fr, self.F[a[e], r.integers(0, 4, e.size)],
                      self.rand_in_shard(self.shard[a[e]]))
        self._trades(a[e], to, ts, r.random(e.size) < .75)
        # gifts (more during the gifting events)
        inev = ((st >= EV_ANNIV[0]) & (st < EV_ANNIV[1])) | (st >= EV_WINTER[0])
        kg = r.poisson(.015 * soc * np.where(inev, 6, 1))
        e = np.repeat(np.arange(n), kg)
        ts = st[e] + (r.random(e.size) * du[e]).astype(np.int64)
        self.E(a[e], "gift_item", TK_ACC, self.F[a[e], r.integers(0, 4, e.size)], ts,
               det=r.choice([self.D("cosmetic"), self.D("holiday_box")], e.size))
        # reports
        kr = r.poisson(.012 * mm)
        e = np.repeat(np.arange(n), kr)
        ts = st[e] + (r.random(e.size) * du[e]).astype(np.int64)
        self.E(a[e], "report_player", TK_ACC, self._reported(self.shard[a[e]]), ts,
               det=r.choice([self.D("cheating"), self.D("toxicity"), self.D("afk")], e.size))
        # per-account extras placed in the account's own (organic) sessions
        self._session_index()
        self._purchases()
        self._friend_adds()
        self._campaign()
        self._scammers()

    def _trades(self, src, to, ts, acc_p):
        r = self.r
        ok = to != src
        src, to, ts, acc_p = src[ok], to[ok], ts[ok], acc_p[ok]
        it = r.random(src.size) < .7
        amt = np.where(it, 0, r.lognormal(np.log(5000), 1, src.size)).astype(np.int64)
        self.E(src, "trade_offer", TK_ACC, to, ts, amt=amt,
               det=np.where(it, self.D("items"), self.D("gold")))
        self.E(to[acc_p], "trade_accept", TK_ACC, src[acc_p], ts[acc_p] + r.integers(10, 120, acc_p.sum()))

    def _reported(self, sh):
        r = self.r
        if not hasattr(self, "_repcache"):
            self._repcache = {}
            for s in range(len(SHARDS)):
                m = np.flatnonzero(self.shard[:self.P] == s)
                if m.size == 0:
                    m = np.arange(self.P)
                w = self.repw[m]
                self._repcache[s] = (m, np.cumsum(w) / w.sum())
        out = np.zeros(sh.size, np.int64)
        for s in np.unique(sh):
            mm_ = sh == s
            m, c = self._repcache[int(s)]
            out[mm_] = m[np.minimum(np.searchsorted(c, r.random(mm_.sum())), m.size - 1)]
        return out

    def _session_index(self):
        S = self.sess
        org = np.flatnonzero(S["soc"] > 0)
        org = org[np.argsort(S["a"][org], kind="stable")]
        cnt = np.bincount(S["a"][org], minlength=self.n)
        self.si_org = org
        self.si_cnt = cnt
        self.si_pos = np.r_[0, np.cumsum(cnt)[:-1]]

    def pick_session(self, acc):
        """A random organic session of each account: (valid mask, session index)."""
        c = self.si_cnt[acc]
        ok = c > 0
        j = self.si_pos[acc] + np.minimum((self.r.random(acc.size) * c).astype(np.int64),
                                          np.maximum(c - 1, 0))
        return ok, self.si_org[np.minimum(j, self.si_org.size - 1)]

    def _at(self, si):
        S = self.sess
        return S["st"][si] + (self.r.random(si.size) * S["du"][si]).astype(np.int64)

    def _purchases(self):
        r = self.r
        payers = np.flatnonzero(self.payer)
        months = (self.hi[payers] - self.lo[payers]).clip(0) / (30 * DAY)
        k = r.poisson(self.pay_rate[payers] * months)
        acc = np.repeat(payers, k)
        ok, si = self.pick_session(acc)
        acc, si = acc[ok], si[ok]
        t = self._at(si)
        sku = r.choice(len(SKUS), acc.size, p=SKU_P)
        skl = np.array([self.lit(s[0]) for s in SKUS])
        skp = np.array([s[1] for s in SKUS])
        dec = r.random(acc.size) < .03
        self.E(acc[dec], "payment_declined", TK_LIT, skl[sku[dec]], t[dec] - 30, amt=skp[sku[dec]])
        self.E(acc, "currency_buy", TK_LIT, skl[sku], t, amt=skp[sku])
        card = np.where((self.card2[acc] >= 0) & (r.random(acc.size) < .3), self.card2[acc],
                        self.card1[acc])
        c = card >= 0
        self.S(acc[c], "payment", card[c], t[c], "payment")
        # a few honest disputes (the kid used the parent's card; a forgotten subscription)
        cb = c & (r.random(acc.size) < .004) & (t < T1 - 30 * DAY)
        self.E(acc[cb], "payment_chargeback", TK_LIT, skl[sku[cb]],
               t[cb] + r.integers(15, 60, cb.sum()) * DAY, amt=skp[sku[cb]])
        for acc_, t_, amt, sk in self.cb_buys:
            m = r.random(acc_.size) < .75
            self.E(acc_[m], "payment_chargeback", TK_LIT, sk[m],
                   t_[m] + r.integers(20, 75, m.sum()) * DAY, amt=amt[m])

    def _friend_adds(self):
        r, P = self.r, self.P
        acc = np.arange(P)
        new = self.created[:P] >= T0
        k = np.where(new, r.integers(1, 5, P), r.poisson(.6, P))
        k = np.minimum(k, 4)
        a = np.repeat(acc, k)
        j = np.arange(a.size) - np.repeat(np.cumsum(k) - k, k)
        to = np.where(np.repeat(new, k), self.F[a, j], self.rand_in_shard(self.shard[a], True))
        ok, si = self.pick_session(a)
        a, to, si = a[ok], to[ok], si[ok]
        self.E(a, "friend_add", TK_ACC, to, self._at(si))

    def _campaign(self):
        """'Gift three friends' campaign: many players send three gifts within a minute."""
        r = self.r
        S = self.sess
        for e0, e1 in (EV_ANNIV, EV_WINTER):
            m = np.flatnonzero((S["st"] >= e0) & (S["st"] < e1) & (S["soc"] > 0) &
                               (S["a"] < self.P))
            o = m[np.lexsort((r.random(m.size), S["a"][m]))]
            first = np.r_[True, S["a"][o][1:] != S["a"][o][:-1]] if o.size else np.zeros(0, bool)
            si = o[first]
            si = si[r.random(si.size) < .25]
            acc = S["a"][si]
            t = self._at(si)
            rep = np.repeat(np.arange(acc.size), 3)
            j = np.tile(np.arange(3), acc.size)
            self.E(acc[rep], "gift_item", TK_ACC, self.F[acc[rep], j], t[rep] + j * r.integers(4, 30, rep.size),
                   det=self.D("holiday_box"))

    def _scammers(self):
        r = self.r
        sc = self.scammers
        for kind, lamb in (("trade", 50), ("whisper", 70)):
            k = r.poisson(lamb, sc.size)
            acc = np.repeat(sc, k)
            ok, si = self.pick_session(acc)
            acc, si = acc[ok], si[ok]
            t = self._at(si)
            to = self.rand_in_shard(self.shard[acc], True)
            if kind == "trade":
                self._trades(acc, to, t, r.random(acc.size) < .12)
            else:
                self.E(acc, "chat_msg", TK_ACC, to, t, det=self.D("whisper"))

    def matchmake(self):
        r = self.r
        c = self.slotc
        a, ts, mode, sh, pq = (_cat(c, i, dt) for i, dt in
                               enumerate((np.int32, np.int64, np.int8, np.int16, np.int32)))
        keep = (ts >= self.created[a]) & (ts < T1) & (ts < self.cutoff[a])
        a, ts, mode, sh, pq = a[keep], ts[keep], mode[keep], sh[keep], pq[keep]
        queue = np.where(pq >= 0, 1000 + pq.astype(np.int64), sh.astype(np.int64) * 8 + mode)
        b = ts // 180
        o = np.lexsort((ts, b, queue))
        a, ts, mode, queue, b, pq = a[o], ts[o], mode[o], queue[o], b[o], pq[o]
        newg = np.r_[True, (queue[1:] != queue[:-1]) | (b[1:] != b[:-1])]
        gs = np.flatnonzero(newg)
        glen = np.diff(np.r_[gs, a.size])
        pos = np.arange(a.size) - np.repeat(gs, glen)
        size = np.where(pq >= 0, 5, LOBBY[mode])
        lob = np.repeat(np.arange(gs.size), glen) * 100000 + pos // size
        newl = np.r_[True, lob[1:] != lob[:-1]]
        li = np.cumsum(newl) - 1
        lends = np.r_[np.flatnonzero(newl)[1:], a.size] - 1
        lstart = ts[lends] + r.integers(8, 40, lends.size)
        mid = self.new_m(lends.size)
        jt = lstart[li] + r.integers(0, 8, a.size)
        dets = np.array([self.D(m) for m in MODES])
        self.E(a, "match_join", TK_MATCH, mid[li], jt, det=dets[mode], base=True)
        lo_, hi_ = np.array([MODE_DUR[m][0] for m in range(6)]), np.array([MODE_DUR[m][1] for m in range(6)])
        dur = lo_[mode] + (r.random(a.size) * (hi_[mode] - lo_[mode])).astype(np.int64)
        win = r.random(a.size) < self.winp[a]
        res = np.where(r.random(a.size) < .02, self.D("abandon"),
                       np.where(win, self.D("win"), self.D("loss")))
        self.E(a, "match_result", TK_MATCH, mid[li], jt + dur, det=res, base=True)

    def market(self):
        r = self.r
        c = self.listc
        if not c:
            return
        sel, lts, lid, price = (np.concatenate([x[i] for x in c]) for i in range(4))
        ok = (lts >= self.created[sel]) & (lts >= T0) & (lts < T1) & (lts < self.cutoff[sel])
        sel, lts, lid, price = sel[ok], lts[ok], lid[ok], price[ok]
        o = np.argsort(lts, kind="stable")
        sel, lts, lid, price = sel[o], lts[o], lid[o], price[o]
        ba, bt = self.buy_slots
        lo = np.searchsorted(lts, bt - 3 * DAY)
        hi = np.searchsorted(lts, bt)
        ok = hi > lo
        ba, bt, lo, hi = ba[ok], bt[ok], lo[ok], hi[ok]
        pick = lo + (r.random(ba.size) * (hi - lo)).astype(np.int64)
        ok = sel[pick] != ba
        ba, bt, pick = ba[ok], bt[ok], pick[ok]
        o = np.argsort(bt, kind="stable")
        ba, bt, pick = ba[o], bt[o], pick[o]
        _, first = np.unique(pick, return_index=True)
        ba, bt, pick = ba[first], bt[first], pick[first]
        self.E(ba, "market_buy", TK_LIST, lid[pick], bt, amt=price[pick], base=True)

    # ------------------------------------------------------------------ run
    def build(self):
        self.plan()
        self.people()
        self.gkind_lone = np.full(self.n, None, dtype=object)
        self.rmt_buyers = []
        self.cb_buys = []
        self.coll_need = []
        self.families()
        self.cafes()
        self.campuses()
        self.streamers()
        self.esports()
        self.index_shards_partial()
        self.guilds()
        self.circles()
        self.lone()
        self.rings()
        self.staff()
        self.fleets()
        self.studios()
        self.chargebacks()
        self.takeovers()
        self.wintrading()
        # ops are all placed: final shard index
        assert self.next_op == self.n, (self.next_op, self.n)
        self.index_shards_full()
        for sl in self.rings_:
            self.seller_finish(sl, self.logu(25, 110) * (1 + sl["mules"].size / 8))
            self.seller_sessions(sl)
        self.stream_events()
        self.circle_events()
        self.base_sessions()
        self.assemble_sessions()
        self.organic()
        self.matchmake()
        self.market()

    def index_shards_partial(self):
        # people only so far; ops are indexed later
        self.sh_sorted = self.psh_sorted = None
        P = self.P
        order = np.argsort(self.shard[:P], kind="stable")
        cnt = np.bincount(self.shard[:P][order], minlength=len(SHARDS))
        self.psh_sorted = order
        self.psh_cnt = np.maximum(cnt, 1)
        self.psh_pos = np.r_[0, np.cumsum(cnt)[:-1]]
        self.sh_sorted, self.sh_cnt, self.sh_pos = self.psh_sorted, self.psh_cnt, self.psh_pos
        # friends: random people of the same shard unless a group set them
        unset = np.flatnonzero((self.F[:P] == 0).all(1))
        self.F[unset] = self.rand_in_shard(np.repeat(self.shard[unset], 4), True).reshape(-1, 4)
        z = np.nonzero(self.F[:P] == 0)
        self.F[z] = self.rand_in_shard(self.shard[z[0]], True)

    def index_shards_full(self):
        order = np.argsort(self.shard, kind="stable")
        cnt = np.bincount(self.shard[order], minlength=len(SHARDS))
        self.sh_sorted, self.sh_cnt = order, np.maximum(cnt, 1)
        self.sh_pos = np.r_[0, np.cumsum(cnt)[:-1]]
        ops = np.arange(self.P, self.n)
        unset = ops[(self.F[ops] == 0).all(1)]
        self.F[unset] = self.rand_in_shard(np.repeat(self.shard[unset], 4), True).reshape(-1, 4)

    # ------------------------------------------------------------------ output
    def frames(self, with_labels=True):
        r = self.r
        n = self.n
        # account ids: pl_ + 8 base-36 characters
        ids = r.choice(36 ** 8 - 36 ** 7, n, replace=False) + 36 ** 7
        alpha = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", np.uint8)
        ch = np.zeros((n, 8), np.uint8)
        x = ids.copy()
        for i in range(7, -1, -1):
            ch[:, i] = alpha[x % 36]
            x //= 36
        acc_id = pl.Series("account_id", np.char.add("pl_", ch.view("S8").ravel().astype("U8")))
        # events
        c = self.evc
        ev = {k: _cat(c, i, dt) for i, (k, dt) in enumerate(
            (("a", np.int32), ("act", np.int8), ("tk", np.int8), ("tv", np.int64), ("ts", np.int64),
             ("amt", np.int64), ("det", np.int16), ("base", bool)))}
        keep = (ev["ts"] >= self.created[ev["a"]]) & (ev["ts"] < T1) & (ev["ts"] >= T0) & \
            ((ev["ts"] < self.cutoff[ev["a"]]) | ~ev["base"])
        acct = ev["tk"] == TK_ACC
        tv_acc = np.where(acct, ev["tv"], 0)
        keep &= ~acct | ((self.created[tv_acc] <= ev["ts"]) & (tv_acc != ev["a"]))
        self.dropped_events = int((~keep).sum())
        ev = {k: v[keep] for k, v in ev.items()}
        m = ev["ts"].size
        # renumber matches and listings in time order, with gaps (other players' matches)
        for tk, base, gap in ((TK_MATCH, 7_310_000_000, 40), (TK_LIST, 52_000_000, 6)):
            sel = np.flatnonzero(ev["tk"] == tk)
            if sel.size == 0:
                continue
            u, inv = np.unique(ev["tv"][sel], return_inverse=True)
            first = np.full(u.size, np.iinfo(np.int64).max)
            np.minimum.at(first, inv, ev["ts"][sel])
            rank = np.empty(u.size, np.int64)
            rank[np.argsort(first, kind="stable")] = np.arange(u.size)
            num = base + np.cumsum(r.integers(1, gap, u.size))
            ev["tv"][sel] = num[rank][inv]
        ms = r.integers(0, 1000, m)
        # a few client retries: exact duplicate rows
        dup = np.flatnonzero(r.random(m) < .0008)
        order = np.r_[np.arange(m), dup]
        order = order[np.argsort(np.r_[ev["ts"], ev["ts"][dup]] * 1000 + np.r_[ms, ms[dup]], kind="stable")]
        lits = pl.Series(self.lits, dtype=pl.String)
        dets = pl.Series(self.dets, dtype=pl.String)
        tk, tv = ev["tk"][order], ev["tv"][order]
        e = pl.DataFrame({
            "a": ev["a"][order], "action": pl.Series(ACTIONS).gather(ev["act"][order].astype(np.int64)),
            "tk": tk, "tv": tv, "ts": ev["ts"][order] * 1000 + ms[order],
            "amt": ev["amt"][order], "det": ev["det"][order]})
        e = e.with_columns(
            acc_id.gather(e["a"]).alias("account_id"),
            pl.when(pl.col("tk") == TK_ACC).then(acc_id.gather(np.where(tk == TK_ACC, tv, 0)))
            .when(pl.col("tk") == TK_LIT).then(lits.gather(np.where(tk == TK_LIT, tv, 0)))
            .when(pl.col("tk") == TK_MATCH).then(pl.lit("M") + pl.col("tv").cast(pl.String))
            .otherwise(pl.lit("L-") + pl.col("tv").cast(pl.String)).alias("target_id"),
            pl.col("ts").cast(pl.Datetime("ms")),
            pl.when(pl.col("det") >= 0).then(dets.gather(np.maximum(ev["det"][order], 0)))
            .otherwise(None).alias("detail"),
            pl.when(pl.col("amt") >= 0).then(pl.col("amt")).otherwise(None).alias("amount"),
        ).select("account_id", "action", "target_id", "ts", "detail", "amount")
        # signals: sign-up, history, email, phone
        P = self.P
        crt = self.created
        allacc = np.arange(n)
        sd = self.sign_dev >= 0
        self.S(allacc[sd], "device", self.sign_dev[sd], crt[sd] + 5, "signup")
        si_ = self.sign_ip >= 0
        self.S(allacc[si_], "ip", self.sign_ip[si_], crt[si_], "signup")
        self.S(allacc, "email", self.newv("email", n), crt, "signup")
        ph = self.phone >= 0
        self.S(allacc[ph], "phone", self.phone[ph], np.maximum(self.phone_t[ph], crt[ph]), "settings")
        old = np.flatnonzero((crt[:P] < T0) & (self.dev0[:P] >= 0))
        ht = crt[old] + (r.random(old.size) * (T0 - crt[old])).astype(np.int64)
        self.S(old, "device", self.dev0[old], ht, "history")
        self.S(old, "ip", self.home1[old], ht + r.integers(0, 30 * DAY, old.size).clip(max=T0 - ht), "history")
        sc = self.sigc
        sg = pl.DataFrame({"a": _cat(sc, 0, np.int32), "k": _cat(sc, 1, np.int8),
                           "v": _cat(sc, 2, np.int64), "t": _cat(sc, 3, np.int64),
                           "src": _cat(sc, 4, np.int8)})
        sg = sg.filter(pl.col("t") < T1).sort("t").unique(["a", "k", "v"], keep="first", maintain_order=True)
        # opaque 16-hex values: a per-kind scramble of the integer id
        v = sg["v"].to_numpy().astype(np.uint64)
        k = sg["k"].to_numpy().astype(np.uint64)
        with np.errstate(over="ignore"):
            h = (v + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15) ^ (k * np.uint64(0xD1B54A32D192ED03)
                                                                     + np.uint64(self.seed))
            h ^= h >> np.uint64(29)
            h *= np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(32)
        hexd = np.frombuffer(b"0123456789abcdef", np.uint8)
        hc = np.zeros((h.size, 16), np.uint8)
        x = h.copy()
        for i in range(15, -1, -1):
            hc[:, i] = hexd[(x & np.uint64(15)).astype(np.int64)]
            x >>= np.uint64(4)
        hexs = pl.Series(hc.view("S16").ravel()).cast(pl.String)
        seen = sg["t"].to_numpy() * 1_000_000 + r.integers(0, 1_000_000, sg.height)
        nul = r.random(sg.height) < .002
        s = pl.DataFrame({
            "account_id": acc_id.gather(sg["a"]),
            "kind": pl.Series(KINDS).gather(sg["k"].cast(pl.Int64)),
            "value": hexs,
            "seen_at": pl.Series(seen).cast(pl.Datetime("us")),
            "source": pl.Series(SOURCES).gather(sg["src"].cast(pl.Int64)),
        }).with_columns(pl.when(pl.Series(nul)).then(None).otherwise(pl.col("seen_at")).alias("seen_at"))
        s = s.sort("account_id", "kind", "seen_at")
        # accounts
        acc = pl.DataFrame({
            "account_id": acc_id,
            "created_at": pl.Series(crt * 1000).cast(pl.Datetime("ms", "UTC")),
            "account_type": pl.Series(["player", "creator", "staff"]).gather(self.atype.astype(np.int64)),
            "country": pl.Series(C_CODE).gather(self.country.astype(np.int64)),
            "platform": pl.Series(PLATFORMS).gather(self.platform.astype(np.int64)),
            "home_shard": pl.Series(SHARDS).gather(self.shard.astype(np.int64)),
        }).sort("account_id")
        # truth
        gname = np.array([g[0] for g in self.groups] + [None], dtype=object)
        gkind = np.array([g[1] for g in self.groups] + ["organic"], dtype=object)
        gi = np.where(self.gidx >= 0, self.gidx, len(self.groups))
        kind = gkind[gi]
        lone = np.array([x is not None for x in self.gkind_lone])
        kind[lone] = self.gkind_lone[lone]
        truth = pl.DataFrame({
            "account_id": acc_id, "is_bad": self.bad,
            "group_id": pl.Series(gname[gi].tolist(), dtype=pl.String),
            "group_kind": pl.Series(kind.tolist(), dtype=pl.String),
            "role": pl.Series(self.roles, dtype=pl.String).gather(self.role.astype(np.int64)),
        }).sort("account_id")
        labels = self.labels(acc_id) if with_labels else None
        return acc, s, e, labels, truth

    def labels(self, acc_id):
        r, n = self.r, self.n
        lab = np.full(n, -1, np.int8)
        found_p = {"bot_fleet": .8, "chargeback_ring": .85, "account_takeover": .6, "rmt_ring": .5,
                   "win_trading": .3, "farm_studio": .2}
        bad_groups = [i for i, g in enumerate(self.groups) if g[2]]
        found = {i: r.random() < found_p[self.groups[i][1]] for i in bad_groups}
        if bad_groups and all(found.values()):
            found[bad_groups[int(r.integers(len(bad_groups)))]] = False
        if bad_groups and not any(found.values()):
            found[bad_groups[int(r.integers(len(bad_groups)))]] = True
        for gi, fnd in found.items():
            mem = np.flatnonzero(self.gidx == gi)
            if fnd:
                frac = r.uniform(.5, .95)
                m = mem[r.random(mem.size) < frac]
                vic = self.role[m] == self.R("victim")
                lab[m[~vic]] = 1
                vm = m[vic]
                lab[vm[r.random(vm.size) < .5]] = 1          # locked while compromised
                lab[vm[r.random(vm.size) < .1]] = 0          # restored and cleared
                rein = m[r.random(m.size) < .04]             # reinstated on appeal
                lab[rein] = 0
            elif r.random() < .3:
                lab[mem[r.random(mem.size) < .08]] = 0       # looked at and cleared
        lone = np.array([x is not None for x in self.gkind_lone])
        for kind, p in (("lone_cheater", .45), ("lone_scammer", .3)):
            m = np.flatnonzero(self.gkind_lone == kind) if lone.any() else np.zeros(0, int)
            lab[m[r.random(m.size) < p]] = 1
        # collateral and mistaken bans among honest accounts
        pros = np.flatnonzero(self.role == self.R("reported_pro"))
        lab[pros[r.random(pros.size) < .2]] = 1
        if self.rmt_buyers:
            b = np.concatenate(self.rmt_buyers)
            lab[b[r.random(b.size) < .04]] = 1                # a buyer ban wave
        cafe = np.flatnonzero(np.isin(self.gidx, [i for i, g in enumerate(self.groups)
                                                  if g[1] == "internet_cafe"]))
        lab[cafe[r.random(cafe.size) < .006]] = 1
        # honest accounts reviewed and cleared (verified payers and old accounts preferred)
        target = int(.10 * n)
        have = int((lab >= 0).sum())
        honest = np.flatnonzero(~self.bad & (lab < 0))
        w = 1.0 + 2.0 * self.payer[honest] + (self.created[honest] < T0) + .5 * (self.atype[honest] > 0)
        k = max(0, min(honest.size, target - have))
        pick = r.choice(honest, k, replace=False, p=w / w.sum())
        lab[pick] = 0
        flip = pick[r.random(pick.size) < .008]
        lab[flip] = 1
        m = np.flatnonzero(lab >= 0)
        return pl.DataFrame({"account_id": acc_id.gather(m), "label": lab[m].astype(np.int64)}).sort(
            "account_id")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    a = ap.parse_args(argv)
    if a.accounts < 3000:
        ap.error("--accounts must be at least 3000")
    t0 = time.time()
    w = World(a.accounts, a.seed)
    w.build()
    accounts, signals, events, labels, truth = w.frames(with_labels=not a.no_labels)
    out = Path(a.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    accounts.write_parquet(out / "accounts.parquet")
    signals.write_parquet(out / "signals.parquet")
    events.write_parquet(out / "events.parquet")
    truth.write_parquet(out / "truth.parquet")
    if labels is None:
        (out / "labels.csv").unlink(missing_ok=True)
    else:
        labels.write_csv(out / "labels.csv")
    print(f"wrote {out}: {accounts.height:,} accounts, {signals.height:,} signals, "
          f"{events.height:,} events in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()

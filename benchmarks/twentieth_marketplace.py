#!/usr/bin/env python3
"""A twentieth independent marketplace: a cryptocurrency exchange with an airdrop / launchpad programme.

Written from syndicate's data contract (DESIGN.md, "Data contract (inputs)") and the table of
generators in ``benchmarks/README.md`` alone; no detection code, test or other generator was read.

    python benchmarks/twentieth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--report]

The world
=========

"Kovex" is a mid-sized centralised exchange: spot trading, a P2P fiat desk, internal transfers
between users, a referral programme with deposit bonuses and a web3 programme of airdrops
(``ADR-...``) and launchpad subscriptions (``LPD-...``).  The export covers six months of
behaviour, 2024-09-01 .. 2025-03-01 (UTC); the identifier table keeps history back to the
exchange's launch in November 2018.  About 55% of accounts were opened before the window (a third
of those are dormant in it), the rest inside it, with honest sign-up bumps around the big
campaigns.

Honest users have a persona (the ``role`` of an unaffiliated account in ``truth.parquet``):
``hodler``, ``retail_trader``, ``active_trader``, ``airdrop_hunter`` (one account that claims
almost every campaign), ``api_trader``, ``p2p_merchant`` (an honest P2P hub that fills orders
for hundreds of strangers) and ``dormant``.  A few dozen honest influencers' referral codes are
redeemed by hundreds of new accounts (``referral`` links that form honest stars).  Activity is heavy-tailed (log-normal multiplier),
diurnal in the account's local time, and churns (a third of new accounts stop within days).
Each campaign has an honest rush: up to three quarters of the claimers of the big airdrop claim
within the first hour, thousands of accounts at 100k; new tokens list after the campaign, and
claimers and speculators dump / buy within minutes of the listing.

Infrastructure that honest accounts share (all ``organic`` in truth): carrier-NAT IPs per
country (hundreds of accounts per value), 40 VPN exits (Zipf), public Wi-Fi IPs, dynamic
residential IPs re-issued to neighbours, second-hand phones (a device on two strangers),
recycled phone numbers, a few honest users on the SMS-activation numbers the farms rent, the
hot wallets of other exchanges as ``deposit_source`` (thousands per value), the omnibus
deposit addresses of a custody / hardware-wallet service as ``withdrawal_address`` (hundreds),
and a buggy app release (2024-11-10 .. 12-01) that reported the all-zero device id
``00000000-0000-0000-0000-000000000000`` for ~1.5% of accounts.

Bad groups (``is_bad`` True; each with a ``difficulty`` of blunt / medium / careful)
--------------------------------------------------------------------------------------
At 20k accounts: 8 + 6 + 5 + 5 + 4 + 6 = 34 groups (counts scale with ``--accounts``).

* ``airdrop_sybil_farm`` (roles ``funder``, ``collector``, ``sybil``; 12-150 sybils): accounts
  opened in 2-5 waves, funded by internal transfers from the funder (blunt: fan-out, the same
  amount to every account within minutes; medium: a chain a→b→c; careful: a two-level tree over
  days, a third funded on-chain from fresh addresses), then they claim the same airdrops /
  launchpads (blunt: every account, one after another seconds apart; medium: 85% over hours;
  careful: a rotating 35-70% subset spread over 6-36 h), dump the listed token and consolidate
  (blunt: internal transfers to a collector that withdraws to one address; medium: 1-2
  addresses; careful: 3-6 addresses, days later).  Blunt farms share 2-5 devices, 1-3
  data-centre IPs and SMS-pool numbers; medium farms use one emulator id per account, a proxy
  pool of their own and some SMS numbers; careful farms use 1-3 emulator ids per account and
  residential-proxy IPs that honest homes also use, own phones, and no shared KYC.
* ``wash_trading_ring`` (``wash_trader``; 3-8): trade a thin pair back and forth (buy by one,
  sell by another, seconds (blunt) to minutes (careful) apart), P2P fills to each other,
  rebalancing transfers.  Blunt: one or two shared devices and an IP; careful: own identities
  and an honest-looking life.
* ``kyc_document_ring`` (``kyc_shell``; 8-40): bought / stolen identity documents reused
  (blunt: each document on ~3 accounts; medium: on ~1.6) or near-reused (careful: unique
  document hashes but the same ``kyc_name_dob`` on pairs - an edited document number),
  repeated ``selfie_hash`` values (a few faces), an operator device pool.  After a few weeks
  half the shells are sold (a new owner's device and life), the rest the operator uses for
  P2P fills with strangers and withdrawals to 1-3 addresses.
* ``p2p_mule_ring`` (``mule``, ``cashout``; 5-25 mules): mules receive P2P payments from
  5-30 victims each (honest accounts) and forward them by internal transfer to 1-2 cash-out
  accounts that withdraw to 1-3 addresses.  Blunt: a controller's device on every mule and a
  few rented bank accounts; careful: nothing shared, some mules withdraw directly.
* ``account_takeover`` (``hijacked``, blunt also ``drop``; 8-50): old dormant accounts reached
  over 1-20 days from the attacker's device / IP pool (careful: a fresh emulator per victim
  behind residential proxies), 2FA reset, password change, a new whitelisted address and a
  withdrawal to the attacker's 1-6 addresses (blunt: partly via an internal ``drop``).  A
  third of the owners come back later from their own device.
* ``referral_abuse_ring`` (``root``, ``referee``; 5-40): a referral star (blunt), chains
  (medium) or a deep tree (careful); each referee redeems its parent's code, deposits exactly
  the bonus threshold from a shared bank card, claims ``BNS-DEP100``, trades the minimum volume
  and sends the money back to the root (blunt) or to a few addresses (careful).

Benign look-alikes (``is_bad`` False, their own ``group_id`` and ``group_kind``)
--------------------------------------------------------------------------------
* ``market_maker`` (``master``, ``sub_account``): an institutional client with 8-60
  sub-accounts opened through the API within minutes, one corporate KYB document on all of
  them, an API-key pool, co-location and office IPs, trading 24/7 with simultaneous hedging
  ticks across sub-accounts, providing liquidity to every new listing in its first minutes,
  daily sweeps to the master; ``sub_account`` links.
* ``household`` (``member``; 2-5): a home IP, often a family tablet or a shared bank account,
  sometimes a family e-mail, referrals, transfers to each other (~3% of accounts' worth).
* ``otc_desk`` (``desk_main``, ``desk_trader``): a desk's traders on an office IP and shared
  terminals fill large P2P orders for 40-200 clients and sweep to two cold wallets.
* ``bot_platform`` (``subscriber``): third-party trading-bot services (2 at 20k, 4-5 at 100k,
  together ~4% of accounts, up to ~1,400 on one); their users log in through the service's 15-40
  server IPs with their own API keys, and its strategies trade every subscriber's account within
  20 seconds of a signal.
* ``copy_trading`` (``leader``, ``follower``; 60-400): a public influencer's calls on small
  tokens; auto-copiers trade within seconds, manual followers within minutes; many redeemed
  the influencer's code.
* ``university_club`` (``president``, ``member``): sign-ups at a club fair within hours on
  campus IPs, all with the president's code, weekly meetings that claim the same campaigns
  or buy the same token together, dues transferred to the president.
* ``payroll_employer`` (``employer``, ``employee``): staff onboarded in a day with the
  company's code, paid monthly by internal transfer within a minute or two (a fan-out).
* ``kiosk`` (``kiosk_operator``, ``walk_in``): a crypto kiosk signs strangers up on its own
  device and IP during opening hours over months and funds each by an internal transfer.

Outputs (OUT_DIR)
=================
* ``accounts.parquet``: ``account_id`` (``usr_`` + 12 base32 characters), ``created_at``
  (naive UTC), ``account_type`` (retail / institutional / sub_account / business),
  ``country`` (ISO-2, ~1% null), extra ``kyc_level``, ``vip_tier``, ``referral_code``.
* ``signals.csv``: ``account_id, kind, value, seen_at`` (first seen, ISO ``...Z``; ~1.2%
  empty) and an extra ``source`` column.  Kinds: device (iOS UUIDs / Android ids), ip,
  phone, email, kyc_document, kyc_name_dob, selfie_hash, bank_account, bank_card, api_key,
  withdrawal_address (``wdt_`` tokens), deposit_source (``0x`` addresses); all opaque.
* ``events.parquet``: ``account_id, action, target_id, ts`` (timezone-aware UTC, ms) and an
  extra ``amount_usd``.  Actions: user.register, kyc.submit, session.login (target: the client
  platform), wallet.deposit (target: the source address or the bank account / card token),
  wallet.withdraw and wallet.whitelist_add (an address token), spot.buy / spot.sell (a pair),
  p2p.fill (the counterparty's account id, on both sides), promo.airdrop_claim and
  launchpad.commit (a campaign), promo.referral_redeem (the referrer's ``referral_code``),
  promo.bonus_claim, api.key_create (a key token), wallet.transfer_out / wallet.transfer_in
  (the other account's id), security.reset_2fa, security.password_change.  A handful of
  register events are a second before ``created_at`` (client clock skew).
* ``links.parquet``: ``account_a, account_b, kind, weight`` - ``referral`` (referrer →
  referee) and ``sub_account`` (master → sub-account) from the exchange's own tables.
* ``labels.csv`` (unless ``--no-labels``): ``account_id, label`` plus ``source`` and
  ``decided_at`` (ISO with a ``+08:00`` offset - the review team sits in Singapore).  Each bad
  group is worked with probability 0.6 / 0.35 / 0.15 (blunt / medium / careful), and then
  15-60% of its members are labelled 1; ~4% of the 1s are honest accounts wrongly flagged; a few bad accounts
  were cleared on appeal (0); ~1.2% of organic accounts, whole whitelisted market makers and
  ~4% of other benign-group members are labelled 0.
* ``truth.parquet``: ``account_id, is_bad, group_id, group_kind, role`` and an extra
  ``difficulty`` (blunt / medium / careful for bad groups, null otherwise); ``group_kind`` is
  ``organic`` and ``group_id`` null for unaffiliated accounts.

Sizes: ~1.2M events and ~230k signal rows at 20k accounts, ~5.9M and ~1.2M at 100k (1.4 s and
6.5 s to generate on two cores).  Deterministic for a seed; ``--report`` prints counts per group kind, events per account and the
sharing of identifiers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
HOUR = 3_600
MIN = 60


def _ts(y, m, d, h=0):
    return int(dt.datetime(y, m, d, h, tzinfo=dt.timezone.utc).timestamp())


T_LAUNCH = _ts(2018, 11, 1)
T0 = _ts(2024, 9, 1)
T1 = _ts(2025, 3, 1)
WINDOW = T1 - T0
BUGGY_FROM, BUGGY_TO = _ts(2024, 11, 10), _ts(2024, 12, 1)

COUNTRIES = [
    ("US", -5, 9), ("BR", -3, 7), ("TR", 3, 8), ("NG", 1, 6), ("IN", 5.5, 8), ("VN", 7, 7),
    ("ID", 7, 6), ("PH", 8, 5), ("KR", 9, 5), ("JP", 9, 3), ("GB", 0, 5), ("DE", 1, 5),
    ("FR", 1, 3), ("AR", -3, 4), ("UA", 2, 4), ("ZA", 2, 3), ("AE", 4, 2), ("TH", 7, 3),
    ("PL", 1, 2), ("MX", -6, 3),
]
CC = np.array([c[0] for c in COUNTRIES])
TZ = np.array([int(c[1] * HOUR) for c in COUNTRIES], np.int64)
CW = np.array([c[2] for c in COUNTRIES], float)
CW /= CW.sum()

DIURNAL = np.array([3, 2, 1.4, 1, 0.9, 1.1, 1.8, 2.8, 3.8, 4.4, 4.8, 5, 5.1, 5.1, 5, 5, 5.3,
                    5.8, 6.4, 7, 7.4, 7.2, 6.2, 4.6], float)
DIURNAL_CDF = np.cumsum(DIURNAL) / DIURNAL.sum()

NS_NAMES = ["device", "ip", "phone", "email", "kyc_document", "kyc_name_dob", "selfie_hash",
            "bank_account", "bank_card", "api_key", "withdrawal_address", "deposit_source"]
DEV, IP, PHONE, EMAIL, KYCDOC, KYCNAME, SELFIE, BANK, CARD, APIKEY, WADDR, DADDR = range(12)
T_ACCOUNT, T_PAIR, T_CAMPAIGN, T_PLATFORM, T_REFCODE, T_LIT = 20, 21, 22, 23, 24, 25
PLATFORMS = ["web", "ios", "android", "api", "kiosk"]
PL_WEB, PL_IOS, PL_ANDROID, PL_API, PL_KIOSK = range(5)
LITERALS = ["L1", "L2", "totp", "password", "BNS-DEP100", "BNS-WELCOME20"]
L_L1, L_L2, L_TOTP, L_PWD, L_BONUS, L_WELCOME = range(6)

ACTIONS = ["user.register", "kyc.submit", "session.login", "wallet.deposit", "wallet.withdraw",
           "wallet.whitelist_add", "spot.buy", "spot.sell", "p2p.fill", "promo.airdrop_claim",
           "launchpad.commit", "promo.referral_redeem", "promo.bonus_claim", "api.key_create",
           "wallet.transfer_out", "wallet.transfer_in", "security.reset_2fa",
           "security.password_change"]
(A_REG, A_KYC, A_LOGIN, A_DEP, A_WD, A_WL, A_BUY, A_SELL, A_P2P, A_CLAIM, A_LPAD, A_REF,
 A_BONUS, A_APIKEY, A_TOUT, A_TIN, A_2FA, A_PWD) = range(18)

ACCOUNT_TYPES = ["retail", "institutional", "sub_account", "business"]

PERSONAS = ["dormant", "hodler", "retail_trader", "active_trader", "airdrop_hunter",
            "api_trader", "p2p_merchant"]
P_DORMANT, P_HODLER, P_RETAIL, P_ACTIVE, P_HUNTER, P_API, P_MERCHANT = range(7)
PERSONA_P = np.array([0, 0.33, 0.42, 0.08, 0.11, 0.02, 0.006])
PERSONA_P /= PERSONA_P.sum()
# per active day: login, trade, deposit, withdraw, p2p, transfer, api key, security
RATES = np.array([
    [0.002, 0.0, 0.0, 0.0003, 0.0, 0.0, 0.0, 0.0],
    [0.035, 0.02, 0.012, 0.006, 0.002, 0.001, 0.0, 0.0004],
    [0.15, 0.12, 0.025, 0.015, 0.006, 0.003, 0.0, 0.0006],
    [0.6, 1.2, 0.06, 0.04, 0.008, 0.004, 0.002, 0.001],
    [0.25, 0.06, 0.025, 0.025, 0.004, 0.004, 0.0, 0.0006],
    [0.3, 4.0, 0.04, 0.025, 0.0, 0.002, 0.01, 0.0005],
    [0.9, 0.2, 0.2, 0.2, 0.0, 0.01, 0.0, 0.001],
])
CLAIM_PROP = np.array([0, 0.25, 0.6, 0.7, 4.0, 0.2, 0.3])
AMT_MULT = np.array([1, 1.5, 1, 4, 0.5, 8, 6])

MAJORS = ["BTC", "ETH", "SOL", "BNB", "XRP", "DOGE", "ADA", "TON", "TRX", "AVAX", "LINK", "DOT",
          "POL", "LTC", "SHIB", "PEPE", "NEAR", "SUI", "APT", "ARB", "OP", "UNI", "ATOM", "FIL",
          "INJ", "WIF", "TIA", "SEI", "FET", "RNDR"]
FIATS = ["TRY", "BRL", "EUR", "NGN"]

B32 = np.frombuffer(b"0123456789abcdefghjkmnpqrstvwxyz", np.uint8)
B32U = np.frombuffer(b"0123456789ABCDEFGHJKMNPQRSTVWXYZ", np.uint8)
HEXA = np.frombuffer(b"0123456789abcdef", np.uint8)
U64 = np.uint64


# ----------------------------------------------------------------------------- helpers
def mix64(x):
    x = np.asarray(x).astype(np.uint64)
    x = x + U64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> U64(30))) * U64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> U64(27))) * U64(0x94D049BB133111EB)
    return x ^ (x >> U64(31))


def bijection(i, bits, salt):
    """A keyed bijection on [0, 2**bits): distinct inputs give distinct outputs."""
    m = U64((1 << bits) - 1)
    x = (np.asarray(i).astype(np.uint64) ^ U64(salt)) & m
    x = (x * U64(0x9E3779B97F4A7C15)) & m
    x ^= x >> U64(bits // 2 + 1)
    x = (x * U64(0xBF58476D1CE4E5B9)) & m
    x ^= x >> U64(bits // 3)
    x = (x * U64(0x94D049BB133111EB)) & m
    return x


def _digits(x, nchar, bits, alpha):
    x = np.asarray(x).astype(np.uint64)
    sh = np.arange(nchar - 1, -1, -1, dtype=np.uint64) * U64(bits)
    d = ((x[:, None] >> sh[None, :]) & U64((1 << bits) - 1)).astype(np.intp)
    chars = np.ascontiguousarray(alpha[d])
    return chars.view(f"S{nchar}").ravel().astype(f"U{nchar}")


def b32(x, nchar, upper=False):
    return _digits(x, nchar, 5, B32U if upper else B32)


def hexs(x, nchar=16):
    return _digits(x, nchar, 4, HEXA)


def loguni(rng, lo, hi, size=None):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), size))


def isize(rng, lo, hi):
    return int(round(loguni(rng, lo, hi)))


def _arr(x, n, dtype):
    a = np.asarray(x, dtype=dtype)
    if a.ndim == 0:
        return np.full(n, a, dtype=dtype)
    return a


def _ticker_pool():
    r = np.random.RandomState(20)
    cons = list("BCDFGHKLMNPRSTVXZQJW")
    vow = list("AEIOUY")
    seen, out = set(MAJORS) | {"USDT", "USDC"}, []
    while len(out) < 170:
        n = r.randint(3, 5)
        t = "".join(r.choice(cons) if i % 2 == 0 else r.choice(vow) for i in range(n))
        if r.rand() < 0.3:
            t = t + r.choice(list("XKZ"))
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


TICKERS = _ticker_pool()


# ----------------------------------------------------------------------------- the world
class World:
    def __init__(self, n_accounts: int, seed: int):
        self.N = n = int(n_accounts)
        if n < 2000:
            raise SystemExit("--accounts must be at least 2000")
        self.seed = seed
        self.rng = np.random.default_rng(np.random.SeedSequence([seed, 0x20C0]))
        rng = self.rng
        self.salt = int(rng.integers(1, 2**62))
        self.s = n / 20000.0
        self.created = np.zeros(n, np.int64)
        self.country = np.zeros(n, np.int64)
        self.tzoff = np.zeros(n, np.int64)
        self.atype = np.zeros(n, np.int8)
        self.kyc_level = np.zeros(n, np.int8)
        self.group = np.full(n, -1, np.int64)
        self.role = np.full(n, "", dtype=object)
        self.persona = np.full(n, -1, np.int64)
        self.act = np.full(n, np.nan)
        self.life = np.zeros(n, bool)
        self.person = np.zeros(n, bool)
        self.custom_reg = np.zeros(n, bool)
        self.start = np.zeros(n, np.int64)
        self.end = np.zeros(n, np.int64)
        self.plat = np.zeros(n, np.int64)
        self.bank_of = np.full(n, -1, np.int64)
        self.card_of = np.full(n, -1, np.int64)
        self.dev_of = np.full(n, -1, np.int64)
        self.wd_base = np.full(n, -1, np.int64)
        self.dep_base = np.full(n, -1, np.int64)
        self.groups: list[dict] = []
        self._sig: list[tuple] = []
        self._ev: list[tuple] = []
        self._links: list[tuple] = []
        self._later: list = []
        self._next = np.ones(len(NS_NAMES), np.int64)
        self._free = rng.permutation(n)
        self._ptr = 0
        self._setup_market()
        self._setup_pools()

    # ---- id spaces, rows
    def new(self, ns, k):
        k = int(k)
        a = np.arange(self._next[ns], self._next[ns] + k, dtype=np.int64)
        self._next[ns] += k
        return a

    def sig(self, acc, ns, vid, seen, src=0):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        n = len(acc)
        if n == 0:
            return
        self._sig.append((acc, _arr(ns, n, np.int8), _arr(vid, n, np.int64),
                          _arr(seen, n, np.int64), _arr(src, n, np.int8)))

    def ev(self, acc, act, tk, tv, ts, amt=np.nan):
        ts = np.atleast_1d(np.asarray(ts)).astype(np.int64)
        n = len(ts)
        if n == 0:
            return
        self._ev.append((_arr(acc, n, np.int64), _arr(act, n, np.int8), _arr(tk, n, np.int8),
                         _arr(tv, n, np.int64), ts, _arr(amt, n, np.float64)))

    def link(self, a, b, kind):
        a = np.atleast_1d(np.asarray(a, np.int64))
        if len(a) == 0:
            return
        self._links.append((a, _arr(b, len(a), np.int64), _arr(kind, len(a), np.int8)))

    def take(self, k):
        k = int(k)
        if self._ptr + k > len(self._free):
            raise SystemExit("too few accounts for the planned groups; raise --accounts")
        out = self._free[self._ptr:self._ptr + k].astype(np.int64)
        self._ptr += k
        return out

    def add_group(self, kind, bad, members, roles, tier=None):
        gi = len(self.groups)
        self.groups.append(dict(gid=f"g{self.seed % 1000:03d}-{gi:05d}", kind=kind, bad=bad,
                                tier=tier, members=members))
        self.group[members] = gi
        self.role[members] = roles
        return gi

    # ---- time helpers
    def times_tz(self, lo, hi, tz, n=None):
        rng = self.rng
        lo = np.asarray(lo, np.int64)
        hi = np.asarray(hi, np.int64)
        if n is None:
            n = max(lo.size, hi.size, np.asarray(tz).size)
        lo = np.broadcast_to(lo, (n,))
        hi = np.broadcast_to(hi, (n,))
        tz = np.broadcast_to(np.asarray(tz, np.int64), (n,))
        span = np.maximum(hi - lo, 1)
        t = lo + (rng.random(n) * span).astype(np.int64)
        day = (t + tz) // DAY
        h = np.searchsorted(DIURNAL_CDF, rng.random(n), side="right")
        t2 = day * DAY + h * HOUR + rng.integers(0, HOUR, n) - tz
        return np.where((t2 >= lo) & (t2 < hi), t2, t)

    def times(self, acc, lo, hi):
        acc = np.asarray(acc, np.int64)
        return self.times_tz(lo, hi, self.tzoff[acc], n=len(acc))

    # ---- market: pairs and campaigns
    def _setup_market(self):
        rng = self.rng
        names, w = [], []
        for r, m in enumerate(MAJORS):
            names.append(f"{m}-USDT")
            w.append(100.0 / (r + 1))
        for m in MAJORS[1:10]:
            names.append(f"{m}-BTC")
            w.append(1.5)
        for m in ["BTC", "ETH", "USDT"]:
            for f in FIATS:
                names.append(f"{m}-{f}")
                w.append(3.0)
        self.n_major = len(names)
        tick = list(rng.permutation(TICKERS))
        self.camp_tokens = tick[:16]
        self.thin_tokens = tick[16:56]
        smalls = tick[56:]
        self.small_pairs = np.arange(len(names), len(names) + len(smalls))
        for r, t in enumerate(smalls):
            names.append(f"{t}-USDT")
            w.append(4.0 / (r + 1) ** 0.9)
        self.thin_pairs = np.arange(len(names), len(names) + len(self.thin_tokens))
        for t in self.thin_tokens:
            names.append(f"{t}-USDT")
            w.append(0.02)
        w = np.array(w)
        self.pair_cdf = np.cumsum(w) / w.sum()
        self.camp_pair = np.arange(len(names), len(names) + 16)
        for t in self.camp_tokens:
            names.append(f"{t}-USDT")
        self.pair_names = names
        self.fiat_pairs = np.array([i for i, p in enumerate(names) if p.startswith("USDT-")])
        # campaigns: 11 airdrops, 5 launchpads, sorted by start
        nc = 16
        st = np.sort(rng.uniform(T0 + 6 * DAY, T1 - 14 * DAY, nc))
        st = (st // DAY) * DAY + rng.choice([8, 10, 12, 14], nc) * HOUR
        is_lp = np.zeros(nc, bool)
        is_lp[rng.choice(nc, 5, replace=False)] = True
        dur = np.where(is_lp, rng.uniform(2, 4, nc), rng.uniform(3, 10, nc)) * DAY
        pop = rng.uniform(0.012, 0.05, nc)
        air = np.nonzero(~is_lp)[0]
        mega = rng.choice(air)
        pop[mega] = 0.45
        others = rng.choice(np.setdiff1d(np.arange(nc), [mega]), 3, replace=False)
        pop[others] = 0.12
        self.c_start = st.astype(np.int64)
        self.c_dur = dur.astype(np.int64)
        self.c_lp = is_lp
        self.c_pop = pop
        self.c_mega = int(mega)
        self.c_list = self.c_start + self.c_dur + 2 * HOUR
        ids = []
        for j in range(nc):
            ym = dt.datetime.fromtimestamp(int(st[j]), dt.timezone.utc).strftime("%y%m")
            ids.append(f"{'LPD' if is_lp[j] else 'ADR'}-{ym}-{self.camp_tokens[j]}")
        self.camp_ids = ids

    def sample_pairs(self, n):
        return np.searchsorted(self.pair_cdf, self.rng.random(n), side="right")

    # ---- shared infrastructure
    def _setup_pools(self):
        rng = self.rng
        s = self.s
        self.sms_pool = self.new(PHONE, max(60, int(300 * s)))
        self.resi_pool = self.new(IP, int(2000 * s) + 200)
        self.vpn_pool = self.new(IP, 40)
        vw = 1.0 / np.arange(1, 41) ** 0.8
        self.vpn_cdf = np.cumsum(vw) / vw.sum()
        self.wifi_pool = self.new(IP, max(40, self.N // 50))
        ww = 1.0 / np.arange(1, len(self.wifi_pool) + 1) ** 0.7
        self.wifi_cdf = np.cumsum(ww) / ww.sum()
        nat_n = np.maximum(2, np.round(CW * self.N * 0.55 * 1.4 / 350)).astype(np.int64)
        self.nat_start = np.zeros(len(CW), np.int64)
        self.nat_n = nat_n
        for c in range(len(CW)):
            self.nat_start[c] = self.new(IP, nat_n[c])[0]
        self.hot_wallets = self.new(DADDR, 8)
        hw = 1.0 / np.arange(1, 9) ** 0.9
        self.hot_cdf = np.cumsum(hw) / hw.sum()
        self.custody = self.new(WADDR, 2)

    # ---- identities
    def default_created(self, idx):
        rng = self.rng
        n = len(idx)
        out = np.empty(n, np.int64)
        u = rng.random(n)
        old = u < 0.55
        k = int(old.sum())
        v = rng.random(k)
        a = T_LAUNCH + rng.random(k) * (T0 - T_LAUNCH)
        b = np.clip(rng.normal(_ts(2021, 5, 1), 150 * DAY, k), T_LAUNCH, T0 - 1)
        c = T0 - rng.exponential(200 * DAY, k)
        c = np.clip(c, T_LAUNCH, T0 - 1)
        out[old] = np.where(v < 0.3, a, np.where(v < 0.65, b, c)).astype(np.int64)
        nw = ~old
        k = int(nw.sum())
        sub = idx[nw]
        base = self.times(sub, T0, T1 - HOUR)
        bump = rng.random(k) < 0.25
        w = self.c_pop / self.c_pop.sum()
        cj = rng.choice(len(w), k, p=w)
        near = self.c_start[cj] + rng.normal(0, 1.2 * DAY, k).astype(np.int64)
        near = np.clip(near, T0, T1 - HOUR)
        out[nw] = np.where(bump, near, base)
        return out

    def person_identity(self, idx):
        """Devices, IPs, phone, e-mail, KYC and bank instruments of real people."""
        rng = self.rng
        n = len(idx)
        if n == 0:
            return
        c = self.created[idx]
        hi = np.where(self.end[idx] > self.start[idx], self.end[idx], np.where(c < T0, T0, c + DAY))
        hi = np.maximum(hi, c + 60)
        ctry = self.country[idx]

        def rep(k):
            return np.repeat(idx, k), np.repeat(c, k), np.repeat(hi, k)

        def between(lo, h):
            return lo + (rng.random(len(lo)) * np.maximum(h - lo, 1)).astype(np.int64)

        # devices
        nd = 1 + rng.poisson(0.45, n)
        a, cl, hl = rep(nd)
        first = np.r_[True, a[1:] != a[:-1]]
        dev = self.new(DEV, len(a))
        seen = np.where(first, cl + rng.integers(0, 600, len(a)), between(cl, hl))
        self.dev_of[idx] = dev[first]
        self.sig(a, DEV, dev, seen)
        sh = rng.random(n) < 0.007  # second-hand phones
        if sh.any():
            donor = rng.choice(idx, int(sh.sum()))
            self.sig(idx[sh], DEV, self.dev_of[donor], between(c[sh], hi[sh]))
        bug = (rng.random(n) < 0.025) & (c < BUGGY_TO)
        if bug.any():
            lo = np.maximum(c[bug], BUGGY_FROM)
            self.sig(idx[bug], DEV, 0, between(lo, np.full(len(lo), BUGGY_TO)))
        # IPs
        home = rng.random(n) < 0.85
        hv = self.new(IP, n)
        fromresi = rng.random(n) < 0.06
        hv = np.where(fromresi, rng.choice(self.resi_pool, n), hv)
        self.sig(idx[home], IP, hv[home], between(c[home], hi[home]))
        ne = rng.poisson(0.8, n)
        a, cl, hl = rep(ne)
        self.sig(a, IP, self.new(IP, len(a)), between(cl, hl))
        nb = home & (rng.random(n) < 0.03)  # the dynamic IP of a neighbour
        if nb.any():
            other = rng.choice(np.nonzero(home)[0], int(nb.sum()))
            self.sig(idx[nb], IP, hv[other], between(c[nb], hi[nb]))
        mob = rng.random(n) < 0.55
        nm = np.where(mob, 1 + (rng.random(n) < 0.4), 0)
        a, cl, hl = rep(nm)
        cc = np.repeat(ctry, nm)
        nat = self.nat_start[cc] + (rng.random(len(a)) * self.nat_n[cc]).astype(np.int64)
        self.sig(a, IP, nat, between(cl, hl))
        wf = rng.random(n) < 0.10
        self.sig(idx[wf], IP, self.wifi_pool[np.searchsorted(self.wifi_cdf, rng.random(int(wf.sum())))],
                 between(c[wf], hi[wf]))
        vp = np.where(rng.random(n) < 0.06, rng.integers(1, 4, n), 0)
        a, cl, hl = rep(vp)
        self.sig(a, IP, self.vpn_pool[np.searchsorted(self.vpn_cdf, rng.random(len(a)))], between(cl, hl))
        # phones and e-mails
        ph = self.new(PHONE, n)
        self.sig(idx, PHONE, ph, c)
        rec = rng.random(n) < 0.01
        if rec.any():
            donor = rng.integers(0, n, int(rec.sum()))
            self.sig(idx[rec], PHONE, ph[donor], between(c[rec], hi[rec]))
        sm = rng.random(n) < 0.003
        self.sig(idx[sm], PHONE, rng.choice(self.sms_pool, int(sm.sum())), c[sm])
        ne = 1 + (rng.random(n) < 0.04)
        a, cl, hl = rep(ne)
        self.sig(a, EMAIL, self.new(EMAIL, len(a)), np.where(np.r_[True, a[1:] != a[:-1]], cl, between(cl, hl)))
        # KYC
        k = self.kyc_level[idx] >= 1
        kt = c[k] + rng.integers(300, 3 * DAY, int(k.sum()))
        for ns in (KYCDOC, KYCNAME, SELFIE):
            self.sig(idx[k], ns, self.new(ns, int(k.sum())), kt)
        # bank instruments
        bk = rng.random(n) < 0.35
        self.bank_of[idx[bk]] = self.new(BANK, int(bk.sum()))
        self.sig(idx[bk], BANK, self.bank_of[idx[bk]], between(c[bk], hi[bk]))
        cd = rng.random(n) < 0.25
        self.card_of[idx[cd]] = self.new(CARD, int(cd.sum()))
        self.sig(idx[cd], CARD, self.card_of[idx[cd]], between(c[cd], hi[cd]))
        # own addresses (ids only) and some history before the window
        self.wd_base[idx] = self.new(WADDR, 3 * n)[::3]
        self.dep_base[idx] = self.new(DADDR, 2 * n)[::2]
        hist = (c < T0 - 30 * DAY) & (rng.random(n) < 0.4)
        self.sig(idx[hist], WADDR, self.wd_base[idx[hist]], between(c[hist], np.full(int(hist.sum()), T0)))
        self.sig(idx[hist], DADDR, self.dep_base[idx[hist]], between(c[hist], np.full(int(hist.sum()), T0)))

    def assign_windows(self, idx):
        rng = self.rng
        n = len(idx)
        c = self.created[idx]
        old = c < T0
        per = self.persona[idx].copy()
        free = per < 0
        p = rng.choice(len(PERSONAS), n, p=PERSONA_P)
        dorm = old & (rng.random(n) < 0.33)
        p = np.where(dorm, P_DORMANT, p)
        per[free] = p[free]
        self.persona[idx] = per
        a = self.act[idx]
        a = np.where(np.isnan(a), np.minimum(rng.lognormal(-0.4, 1.0, n), 30), a)
        self.act[idx] = a
        start = np.maximum(c, T0)
        r = rng.random(n)
        life = np.where(old, np.where(r < 0.85, 10 * WINDOW, rng.uniform(0, WINDOW, n)),
                        np.where(r < 0.35, rng.exponential(5 * DAY, n), rng.exponential(160 * DAY, n)))
        self.start[idx] = start
        self.end[idx] = np.where(per == P_DORMANT, start, np.minimum(start + life.astype(np.int64), T1))
        pl_ = rng.choice(3, n, p=[0.35, 0.25, 0.4])
        self.plat[idx] = np.where(per == P_API, PL_API, pl_)

    # ---- common event helpers
    def xfer(self, a, b, ts, amt):
        ts = np.atleast_1d(np.asarray(ts, np.int64))
        self.ev(a, A_TOUT, T_ACCOUNT, b, ts, amt)
        self.ev(b, A_TIN, T_ACCOUNT, a, ts + self.rng.integers(0, 3, len(ts)), amt)

    def p2p(self, a, b, ts, amt):
        ts = np.atleast_1d(np.asarray(ts, np.int64))
        self.ev(a, A_P2P, T_ACCOUNT, b, ts, amt)
        self.ev(b, A_P2P, T_ACCOUNT, a, ts + self.rng.integers(1, 90, len(ts)), amt)

    def withdraw(self, acc, addr, ts, amt, wl_lo=120, wl_hi=2 * DAY):
        ts = np.atleast_1d(np.asarray(ts, np.int64))
        n = len(ts)
        if n == 0:
            return
        acc = _arr(acc, n, np.int64)
        addr = _arr(addr, n, np.int64)
        self.ev(acc, A_WD, WADDR, addr, ts, amt)
        key = acc * (1 << 34) + addr
        o = np.lexsort((ts, key))
        ks = key[o]
        first = o[np.r_[True, ks[1:] != ks[:-1]]]
        wl = ts[first] - self.rng.uniform(wl_lo, wl_hi, len(first)).astype(np.int64)
        wl = np.minimum(np.maximum(wl, self.created[acc[first]] + 30), ts[first])
        self.ev(acc[first], A_WL, WADDR, addr[first], wl)

    def logins(self, acc, ts, plat):
        self.ev(acc, A_LOGIN, T_PLATFORM, plat, ts)

    def register(self, acc, plat=None):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        if plat is None:
            plat = self.plat[acc]
        skew = np.where(self.rng.random(len(acc)) < 0.004, -1, 0)
        self.ev(acc, A_REG, T_PLATFORM, plat, self.created[acc] + skew)

    def kyc_events(self, acc, ts):
        acc = np.atleast_1d(np.asarray(acc, np.int64))
        ts = _arr(ts, len(acc), np.int64)
        k1 = self.kyc_level[acc] >= 1
        self.ev(acc[k1], A_KYC, T_LIT, L_L1, ts[k1])
        k2 = self.kyc_level[acc] >= 2
        self.ev(acc[k2], A_KYC, T_LIT, L_L2, ts[k2] + self.rng.integers(600, 5 * DAY, int(k2.sum())))

    # =========================================================================== organic life
    def organic_life(self):
        rng = self.rng
        idx = np.nonzero(self.life)[0]
        per = self.persona[idx]
        act = self.act[idx]
        st = self.start[idx]
        en = self.end[idx]
        days = np.maximum(en - st, 0) / DAY
        cnt = rng.poisson(RATES[per] * (act * days)[:, None])

        def rep(j):
            k = cnt[:, j]
            a = np.repeat(idx, k)
            return a, self.times(a, np.repeat(st, k), np.repeat(en, k)), np.repeat(per, k)

        # sign-up and KYC of accounts opened in the window
        new = (self.created[idx] >= T0) & ~self.custom_reg[idx]
        nidx = idx[new]
        self.register(nidx)
        kt = self.created[nidx] + np.minimum(rng.lognormal(np.log(1200), 1.5, len(nidx)), 20 * DAY).astype(np.int64)
        self.kyc_events(nidx, kt)
        # logins
        a, t, p = rep(0)
        pl_ = np.where(rng.random(len(a)) < 0.8, self.plat[a], rng.integers(0, 3, len(a)))
        self.logins(a, t, pl_)
        # spot trades
        a, t, p = rep(1)
        n = len(a)
        side = np.where(rng.random(n) < 0.55, A_BUY, A_SELL)
        self.ev(a, side, T_PAIR, self.sample_pairs(n), t,
                np.round(rng.lognormal(3.8, 1.3, n) * AMT_MULT[p], 2))
        # deposits (plus a first deposit soon after sign-up)
        a, t, p = rep(2)
        fd = nidx[rng.random(len(nidx)) < 0.55]
        a = np.r_[a, fd]
        t = np.r_[t, self.created[fd] + np.minimum(rng.lognormal(np.log(3600), 1.2, len(fd)), 10 * DAY).astype(np.int64)]
        p = np.r_[p, self.persona[fd]]
        self.deposits(a, t, np.round(rng.lognormal(4.6, 1.2, len(a)) * AMT_MULT[p], 2))
        # withdrawals
        a, t, p = rep(3)
        n = len(a)
        choice = np.searchsorted([0.7, 0.9], rng.random(n), side="right")
        addr = self.wd_base[a] + choice
        cust = (mix64(a + self.salt) % U64(1000)).astype(np.int64) < 30
        use_c = cust & (rng.random(n) < 0.6)
        addr = np.where(use_c, self.custody[rng.integers(0, 2, n)], addr)
        self.withdraw(a, addr, t, np.round(rng.lognormal(4.8, 1.3, n) * AMT_MULT[p], 2))
        # P2P fills with merchants
        merch = idx[per == P_MERCHANT]
        a, t, p = rep(4)
        if len(merch) and len(a):
            mw = self.act[merch] / self.act[merch].sum()
            cp = merch[np.searchsorted(np.cumsum(mw), rng.random(len(a)) * 0.999999)]
            ok = (cp != a) & (self.created[cp] < t - 60)
            self.p2p(a[ok], cp[ok], t[ok], np.round(rng.lognormal(5.0, 0.9, int(ok.sum())), 2))
        # transfers to friends
        a, t, p = rep(5)
        fr = rng.choice(idx, len(a))
        ok = (fr != a) & (self.created[fr] < t - 60)
        self.xfer(a[ok], fr[ok], t[ok], np.round(rng.lognormal(3.5, 1.2, int(ok.sum())), 2))
        # API keys
        a, t, p = rep(6)
        fa = idx[(per == P_API)]
        a = np.r_[a, fa]
        t = np.r_[t, self.start[fa] + rng.integers(0, 3 * DAY, len(fa))]
        self.ev(a, A_APIKEY, APIKEY, self.new(APIKEY, len(a)), t)
        # security changes
        a, t, p = rep(7)
        self.ev(a, np.where(rng.random(len(a)) < 0.7, A_PWD, A_2FA), T_LIT,
                np.where(rng.random(len(a)) < 0.7, L_PWD, L_TOTP), t)
        # welcome bonus
        wb = nidx[rng.random(len(nidx)) < 0.08]
        self.ev(wb, A_BONUS, T_LIT, L_WELCOME, self.created[wb] + rng.integers(DAY, 10 * DAY, len(wb)))
        self.campaign_crowds(idx, per, act, st, en)

    def deposits(self, a, t, amt):
        rng = self.rng
        n = len(a)
        r = rng.random(n)
        own = self.dep_base[a] + (rng.random(n) < 0.25)
        hot = self.hot_wallets[np.searchsorted(self.hot_cdf, rng.random(n))]
        bank = self.bank_of[a]
        card = self.card_of[a]
        tk = np.full(n, DADDR, np.int64)
        tv = np.where(r < 0.5, own, hot)
        fiat = r >= 0.8
        use_b = fiat & (bank >= 0)
        use_c = fiat & (bank < 0) & (card >= 0)
        tk[use_b] = BANK
        tv[use_b] = bank[use_b]
        tk[use_c] = CARD
        tv[use_c] = card[use_c]
        tv = np.where(fiat & (bank < 0) & (card < 0), own, tv)
        self.ev(a, A_DEP, tk, tv, t, amt)

    def campaign_crowds(self, idx, per, act, st, en):
        """Honest campaign claims (with the first-hour rush), listing rushes and dumps."""
        rng = self.rng
        kyc = self.kyc_level[idx] >= 1
        for j in range(len(self.c_start)):
            cs, ce, L = self.c_start[j], self.c_start[j] + self.c_dur[j], self.c_list[j]
            el = (st < ce) & (en > cs) & (per != P_DORMANT)
            if self.c_lp[j]:
                el &= kyc
            p = np.minimum(0.95, self.c_pop[j] * CLAIM_PROP[per] * act ** 0.3)
            cl = el & (rng.random(len(idx)) < p)
            a = idx[cl]
            lo = np.maximum(st[cl], cs)
            hi = np.minimum(en[cl], ce)
            at_start = st[cl] <= cs
            rush_p = 0.75 if j == self.c_mega else 0.5
            rush = at_start & (rng.random(len(a)) < rush_p)
            t = np.where(rush, cs + rng.exponential(12 * MIN, len(a)).astype(np.int64),
                         self.times(a, lo, np.maximum(hi, lo + 60)))
            self.logins(a, t - rng.integers(10, 300, len(a)), self.plat[a])
            if self.c_lp[j]:
                self.ev(a, A_LPAD, T_CAMPAIGN, j, t, np.round(rng.lognormal(5, 1, len(a)), 2))
            else:
                self.ev(a, A_CLAIM, T_CAMPAIGN, j, t)
            sell = rng.random(len(a)) < 0.45
            fast = rng.random(len(a)) < 0.4
            ts = np.where(fast, L + rng.exponential(6 * MIN, len(a)).astype(np.int64),
                          L + rng.integers(0, 14 * DAY, len(a)))
            ok = sell & (ts < en[cl] + 30 * DAY)
            self.ev(a[ok], A_SELL, T_PAIR, self.camp_pair[j], ts[ok],
                    np.round(rng.lognormal(3.2, 1.0, int(ok.sum())), 2))
            # speculators buying the listing
            live = (st <= L) & (en > L) & (per != P_DORMANT)
            sp = idx[live & (rng.random(len(idx)) < 0.015)]
            tb = L + rng.exponential(8 * MIN, len(sp)).astype(np.int64)
            self.ev(sp, A_BUY, T_PAIR, self.camp_pair[j], tb, np.round(rng.lognormal(4, 1.1, len(sp)), 2))
            s2 = rng.random(len(sp)) < 0.5
            self.ev(sp[s2], A_SELL, T_PAIR, self.camp_pair[j],
                    tb[s2] + rng.integers(HOUR, 10 * DAY, int(s2.sum())),
                    np.round(rng.lognormal(4, 1.1, int(s2.sum())), 2))

    def organic_referrals(self):
        rng = self.rng
        org = np.nonzero((self.group < 0))[0]
        old = org[(self.created[org] < T0) & (self.persona[org] != P_DORMANT)]
        newc = org[self.created[org] >= T0]
        if len(old) == 0:
            return
        infl = rng.choice(old, max(5, int(40 * self.s)), replace=False)
        iw = 1.0 / np.arange(1, len(infl) + 1) ** 1.1
        icdf = np.cumsum(iw) / iw.sum()
        r = newc[rng.random(len(newc)) < 0.28]
        use_i = rng.random(len(r)) < 0.5
        ref = np.where(use_i, infl[np.minimum(np.searchsorted(icdf, rng.random(len(r))), len(infl) - 1)],
                       rng.choice(old, len(r)))
        self.ev(r, A_REF, T_REFCODE, ref, self.created[r] + rng.integers(10, 300, len(r)))
        self.link(ref, r, 0)

    # =========================================================================== bad groups
    def _country_tz(self):
        ci = int(self.rng.choice(len(CW), p=CW))
        return ci, int(TZ[ci])

    def g_sybil(self, tier):
        rng = self.rng
        lo, hi = {"blunt": (30, 150), "medium": (20, 100), "careful": (12, 70)}[tier]
        k = isize(rng, lo, hi)
        n_col = {"blunt": 1, "medium": int(rng.integers(0, 2)), "careful": 0}[tier]
        mem = self.take(1 + n_col + k)
        funder, cols, syb = mem[0], mem[1:1 + n_col], mem[1 + n_col:]
        roles = np.array(["funder"] + ["collector"] * n_col + ["sybil"] * k, dtype=object)
        self.add_group("airdrop_sybil_farm", True, mem, roles, tier)
        ci, tz = self._country_tz()
        if tier == "careful":
            self.country[syb] = rng.choice(len(CW), k, p=CW)
            self.country[np.r_[funder, cols]] = ci
        elif tier == "medium":
            self.country[mem] = np.where(rng.random(len(mem)) < 0.7, ci, rng.choice(len(CW), p=CW))
        else:
            self.country[mem] = ci
        self.tzoff[mem] = tz
        nc = len(self.c_start)
        pool = np.nonzero(~self.c_lp)[0] if tier == "blunt" else np.arange(nc)
        pool = pool[self.c_start[pool] > T0 + 12 * DAY]
        m = min(len(pool), int(rng.integers(4, 9 if tier == "blunt" else 11)))
        tg = np.sort(rng.choice(pool, m, replace=False))
        first = self.c_start[tg[0]]
        w = int(rng.integers(2, 6))
        wave_t = np.sort(np.r_[first - rng.uniform(3, 25) * DAY,
                               rng.uniform(first - 25 * DAY, max(first - 24 * DAY, self.c_start[tg[-1]] - 2 * DAY), w - 1)])
        wp = np.r_[2.0, np.ones(w - 1)]
        wave_of = np.sort(rng.choice(w, k, p=wp / wp.sum()))
        wave_of[0] = 0
        base = wave_t[wave_of].astype(np.int64)
        if tier == "blunt":
            cr = base + rng.integers(0, 40 * MIN, k)
        elif tier == "medium":
            cr = base + rng.integers(0, 8 * HOUR, k)
        else:
            cr = self.times_tz(base, base + 5 * DAY, tz, n=k)
        self.created[syb] = cr
        self.created[funder] = T0 - int(rng.uniform(60, 900) * DAY)
        self.created[cols] = (wave_t[0] - rng.uniform(0, 10, n_col) * DAY).astype(np.int64)
        self.kyc_level[syb] = 0 if tier == "blunt" else 1 + (rng.random(k) < 0.2)
        self.kyc_level[np.r_[funder, cols]] = 2
        self.custom_reg[mem] = True
        # identity
        self.sig(mem, EMAIL, self.new(EMAIL, len(mem)), self.created[mem])
        own_ph = np.r_[funder, cols]
        self.sig(own_ph, PHONE, self.new(PHONE, len(own_ph)), self.created[own_ph])
        opdev = self.new(DEV, 3)
        if tier == "blunt":
            sp = rng.choice(self.sms_pool, max(2, k // 4), replace=False)
            self.sig(syb, PHONE, rng.choice(sp, k), cr)
            pool_d = self.new(DEV, int(rng.integers(2, 6)))
            nd = 1 + (rng.random(k) < 0.4)
            a = np.repeat(syb, nd)
            self.sig(a, DEV, rng.choice(pool_d, len(a)), np.repeat(cr, nd))
            self.sig(np.r_[funder, cols], DEV, pool_d[0], self.created[np.r_[funder, cols]])
            ips = self.new(IP, int(rng.integers(1, 4)))
            ni = 1 + (rng.random(k) < 0.5)
            a = np.repeat(syb, ni)
            self.sig(a, IP, rng.choice(ips, len(a)), np.repeat(cr, ni))
            self.sig(funder, IP, ips[0], self.created[funder] + 200 * DAY)
        elif tier == "medium":
            sp = rng.choice(self.sms_pool, max(2, k // 2), replace=False)
            use = rng.random(k) < 0.6
            self.sig(syb, PHONE, np.where(use, rng.choice(sp, k), self.new(PHONE, k)), cr)
            self.sig(syb, DEV, self.new(DEV, k), cr)
            sh = rng.random(k) < 0.3
            self.sig(syb[sh], DEV, rng.choice(opdev, int(sh.sum())), cr[sh] + 3600)
            self.sig(np.r_[funder, cols], DEV, opdev[0], self.created[np.r_[funder, cols]])
            ips = self.new(IP, max(4, k // 4))
            ni = rng.integers(2, 5, k)
            a = np.repeat(syb, ni)
            self.sig(a, IP, rng.choice(ips, len(a)), np.repeat(cr, ni) + rng.integers(0, 30 * DAY, len(a)))
        else:
            self.sig(syb, PHONE, self.new(PHONE, k), cr)
            nd = rng.integers(1, 4, k)
            a = np.repeat(syb, nd)
            self.sig(a, DEV, self.new(DEV, len(a)), np.repeat(cr, nd) + rng.integers(0, 40 * DAY, len(a)))
            self.sig(np.r_[funder, cols], DEV, self.new(DEV, 1 + n_col), self.created[np.r_[funder, cols]])
            ni = rng.integers(3, 8, k)
            a = np.repeat(syb, ni)
            self.sig(a, IP, rng.choice(self.resi_pool, len(a)), np.repeat(cr, ni) + rng.integers(0, 60 * DAY, len(a)))
            self.sig(funder, IP, self.new(IP, 1), self.created[funder] + 30 * DAY)
        kk = syb[self.kyc_level[syb] >= 1]
        kt = self.created[kk] + rng.integers(300, DAY, len(kk))
        for ns in (KYCDOC, KYCNAME):
            self.sig(kk, ns, self.new(ns, len(kk)), kt)
        sf = self.new(SELFIE, len(kk))
        if tier == "medium":
            fake = self.new(SELFIE, 3)
            sf = np.where(rng.random(len(kk)) < 0.25, rng.choice(fake, len(kk)), sf)
        self.sig(kk, SELFIE, sf, kt)
        for ns in (KYCDOC, KYCNAME, SELFIE):
            self.sig(np.r_[funder, cols], ns, self.new(ns, 1 + n_col), self.created[np.r_[funder, cols]] + DAY)
        n_addr = {"blunt": 1, "medium": int(rng.integers(1, 3)), "careful": int(rng.integers(3, 7))}[tier]
        st = dict(tier=tier, funder=funder, cols=cols, syb=syb, tg=tg, wave_of=wave_of, wave_t=wave_t,
                  tz=tz, addrs=self.new(WADDR, n_addr), kt=dict(zip(kk.tolist(), kt.tolist())))
        self._later.append((self.b_sybil, st))

    def b_sybil(self, st):
        rng = self.rng
        tier, funder, cols, syb, tz = st["tier"], st["funder"], st["cols"], st["syb"], st["tz"]
        k = len(syb)
        cr = self.created[syb]
        plat = PL_ANDROID if tier == "blunt" else np.where(rng.random(k) < 0.5, PL_ANDROID, PL_WEB)
        self.register(syb, plat)
        self.register(np.r_[funder, cols], PL_WEB)
        kk = np.array(list(st["kt"].keys()), np.int64)
        if len(kk):
            self.kyc_events(kk, np.array(list(st["kt"].values()), np.int64))
        fsrc = self.new(DADDR, 1)[0]
        # funding
        amt0 = float(rng.choice([20, 25, 30, 50]))
        for wv in range(len(st["wave_t"])):
            mem = syb[st["wave_of"] == wv]
            if len(mem) == 0:
                continue
            mem = mem[np.argsort(self.created[mem], kind="stable")]
            t_end = self.created[mem].max()
            if tier == "blunt":
                t = t_end + int(rng.integers(5 * MIN, 30 * MIN)) + np.cumsum(rng.integers(3, 20, len(mem)))
                self.ev(funder, A_DEP, DADDR, fsrc, t[0] - int(rng.integers(HOUR, DAY)), amt0 * len(mem) * 1.1)
                self.xfer(np.full(len(mem), funder), mem, t, amt0)
            elif tier == "medium":
                t = np.maximum.accumulate(self.created[mem] + rng.integers(60, 900, len(mem)))
                t = t + np.cumsum(rng.integers(60, 900, len(mem)))
                snd = np.r_[funder, mem[:-1]]
                amt = np.round(amt0 * len(mem) * 1.05 - np.arange(len(mem)) * amt0, 2)
                self.ev(funder, A_DEP, DADDR, fsrc, t[0] - int(rng.integers(HOUR, DAY)), amt[0] * 1.1)
                self.xfer(snd, mem, t, amt)
            else:
                nh = min(len(mem), int(rng.integers(2, 5)))
                hubs = mem[:nh]
                rest = mem[nh:]
                th = self.created[hubs] + rng.integers(HOUR, 2 * DAY, nh)
                self.ev(funder, A_DEP, DADDR, fsrc, th.min() - int(rng.integers(HOUR, DAY)),
                        float(np.round(amt0 * len(mem) * 1.3, 2)))
                self.xfer(np.full(nh, funder), hubs, th, np.round(rng.uniform(0.8, 1.2, nh) * amt0 * len(mem) / nh, 2))
                onchain = rng.random(len(rest)) < 0.35
                r1 = rest[~onchain]
                if len(r1):
                    src = hubs[rng.integers(0, nh, len(r1))]
                    tt = np.maximum(self.created[r1], th.max()) + rng.integers(2 * HOUR, 3 * DAY, len(r1))
                    self.xfer(src, r1, tt, np.round(amt0 * rng.uniform(0.8, 1.3, len(r1)), 2))
                r2 = rest[onchain]
                if len(r2):
                    self.ev(r2, A_DEP, DADDR, self.new(DADDR, len(r2)),
                            self.created[r2] + rng.integers(HOUR, 3 * DAY, len(r2)),
                            np.round(amt0 * rng.uniform(0.8, 1.3, len(r2)), 2))
        # warm-up life
        nl = {"blunt": rng.integers(0, 3, k), "medium": rng.integers(2, 7, k), "careful": rng.integers(4, 16, k)}[tier]
        a = np.repeat(syb, nl)
        self.logins(a, self.times_tz(self.created[a], T1, tz, n=len(a)), np.repeat(plat, nl) if np.ndim(plat) else plat)
        if tier != "blunt":
            nt = rng.integers(0, 4, k) if tier == "medium" else rng.integers(2, 9, k)
            a = np.repeat(syb, nt)
            self.ev(a, np.where(rng.random(len(a)) < 0.5, A_BUY, A_SELL), T_PAIR,
                    np.searchsorted(self.pair_cdf[:self.n_major] / self.pair_cdf[self.n_major - 1], rng.random(len(a))),
                    self.times_tz(self.created[a], T1, tz, n=len(a)), np.round(rng.lognormal(2.5, 0.6, len(a)), 2))
        # claims, dumps, consolidation
        addrs = st["addrs"]
        my_addr = addrs[rng.integers(0, len(addrs), k)]
        my_addr2 = addrs[rng.integers(0, len(addrs), k)]
        pos = {int(a): i for i, a in enumerate(syb)}
        for j in st["tg"]:
            cs, ce, L = self.c_start[j], self.c_start[j] + self.c_dur[j], self.c_list[j]
            el = cr + 12 * HOUR < cs
            if self.c_lp[j]:
                el &= self.kyc_level[syb] >= 1
            if tier == "medium":
                el &= rng.random(k) < 0.85
            elif tier == "careful":
                el &= rng.random(k) < rng.uniform(0.35, 0.7)
            part = syb[el]
            n = len(part)
            if n == 0:
                continue
            part = rng.permutation(part)
            if tier == "blunt":
                t = cs + int(rng.integers(2 * MIN, 90 * MIN)) + np.cumsum(rng.integers(4, 40, n))
            elif tier == "medium":
                t = cs + int(rng.integers(0, 12 * HOUR)) + np.cumsum(rng.integers(30, 600, n))
            else:
                d0 = cs + int(rng.integers(0, 24 * HOUR))
                t = self.times_tz(d0, min(ce, d0 + int(rng.uniform(6, 36) * HOUR)), tz, n=n)
            pp = plat if np.ndim(plat) == 0 else plat[[pos[int(x)] for x in part]]
            self.logins(part, t - rng.integers(5, 90, n), pp)
            if self.c_lp[j]:
                self.ev(part, A_LPAD, T_CAMPAIGN, j, t, np.round(rng.uniform(50, 200, n), 2))
            else:
                self.ev(part, A_CLAIM, T_CAMPAIGN, j, t)
            sp = {"blunt": 1.0, "medium": 0.85, "careful": 0.6}[tier]
            sel = part[rng.random(n) < sp]
            ns = len(sel)
            if ns == 0:
                continue
            if tier == "blunt":
                ts = L + int(rng.integers(0, 5 * MIN)) + np.cumsum(rng.integers(2, 20, ns))
            elif tier == "medium":
                ts = L + rng.integers(0, 6 * HOUR, ns)
            else:
                ts = self.times_tz(L, L + 72 * HOUR, tz, n=ns)
            val = np.round(rng.lognormal(3.0, 0.5, ns), 2)
            self.ev(sel, A_SELL, T_PAIR, self.camp_pair[j], ts, val)
            ii = np.array([pos[int(x)] for x in sel])
            if tier == "blunt" or (tier == "medium" and len(cols) and rng.random() < 0.5):
                col = cols[0]
                tt = ts.max() + int(rng.integers(60, 1800)) + np.cumsum(rng.integers(5, 40, ns))
                self.xfer(sel, np.full(ns, col), tt, val)
                self.withdraw(col, addrs[0], tt.max() + int(rng.integers(600, 3600)),
                              float(val.sum()), 300, 3600)
            elif tier == "medium":
                self.withdraw(sel, my_addr[ii], ts + rng.integers(600, 8 * HOUR, ns), val, 60, 3600)
            else:
                go = rng.random(ns) < 0.5
                ad = np.where(rng.random(ns) < 0.2, my_addr2[ii], my_addr[ii])
                self.withdraw(sel[go], ad[go], ts[go] + rng.integers(HOUR, 5 * DAY, int(go.sum())), val[go],
                              HOUR, 3 * DAY)
        self.logins(funder, self.times_tz(max(T0, self.created[funder]), T1, tz, n=int(rng.integers(5, 30))), PL_WEB)
        self.withdraw(funder, self.new(WADDR, 1)[0], self.times_tz(T0, T1, tz, n=int(rng.integers(1, 4))),
                      np.round(rng.lognormal(7, 0.5), 2))

    def g_wash(self, tier):
        rng = self.rng
        k = int(rng.integers(3, 9 if tier != "careful" else 6))
        mem = self.take(k)
        self.add_group("wash_trading_ring", True, mem, np.array(["wash_trader"] * k, dtype=object), tier)
        ci, tz = self._country_tz()
        self.country[mem] = ci if tier != "careful" else rng.choice(len(CW), k, p=CW)
        self.tzoff[mem] = tz
        base = int(rng.uniform(T0 - 90 * DAY, T0 + 40 * DAY))
        if tier == "blunt":
            self.created[mem] = base + np.sort(rng.integers(0, 2 * HOUR, k))
        elif tier == "medium":
            self.created[mem] = base + rng.integers(0, 14 * DAY, k)
        else:
            self.created[mem] = np.where(rng.random(k) < 0.5, base - rng.integers(30 * DAY, 700 * DAY, k),
                                         base + rng.integers(0, 60 * DAY, k))
        self.kyc_level[mem] = 1 + (rng.random(k) < 0.5)
        c = self.created[mem]
        if tier == "careful":
            self.person[mem] = True
            self.life[mem] = True
            self.persona[mem] = P_RETAIL
            self.act[mem] = rng.uniform(0.3, 1.0, k)
            self.custom_reg[mem] = False
        else:
            self.custom_reg[mem] = True
            self.sig(mem, EMAIL, self.new(EMAIL, k), c)
            self.sig(mem, PHONE, self.new(PHONE, k), c)
            for ns in (KYCDOC, KYCNAME, SELFIE):
                self.sig(mem, ns, self.new(ns, k), c + 3600)
            if tier == "blunt":
                dv = self.new(DEV, int(rng.integers(1, 3)))
                self.sig(mem, DEV, rng.choice(dv, k), c)
                self.sig(mem, IP, self.new(IP, 1)[0], c)
            else:
                self.sig(mem, DEV, self.new(DEV, k), c)
                ips = self.new(IP, 2)
                self.sig(mem, IP, rng.choice(ips, k), c + DAY)
                self.sig(mem, IP, self.new(IP, k), c)
        pairs = rng.choice(self.thin_pairs, int(rng.integers(1, 3)), replace=False)
        self._later.append((self.b_wash, dict(tier=tier, mem=mem, tz=tz, pairs=pairs)))

    def b_wash(self, st):
        rng = self.rng
        tier, mem, tz, pairs = st["tier"], st["mem"], st["tz"], st["pairs"]
        k = len(mem)
        if tier != "careful":
            self.register(mem, PL_WEB)
            self.kyc_events(mem, self.created[mem] + rng.integers(600, DAY, k))
        t_lo = max(T0, int(self.created[mem].max()) + DAY)
        S = int(rng.integers(*{"blunt": (40, 91), "medium": (25, 61), "careful": (15, 41)}[tier]))
        if tier == "blunt":
            hour = int(rng.integers(0, 24))
            dpool = np.arange(t_lo // DAY + 1, T1 // DAY)
            days = np.sort(rng.choice(dpool, min(S, len(dpool)), replace=False))
            sess = days * DAY + hour * HOUR + rng.integers(0, 10 * MIN, len(days))
        else:
            sess = np.sort(self.times_tz(t_lo, T1 - DAY, tz, n=S) if tier == "medium"
                           else rng.integers(t_lo, T1 - DAY, S))
        lag_hi = {"blunt": 4, "medium": 60, "careful": 900}[tier]
        gap = {"blunt": (20, 120), "medium": (60, 600), "careful": (300, 3600)}[tier]
        rounds = {"blunt": (3, 13), "medium": (2, 9), "careful": (1, 6)}[tier]
        p2p_p = {"blunt": 0.3, "medium": 0.1, "careful": 0.02}[tier]
        A, B, TT, PR, AM = [], [], [], [], []
        for t0 in sess:
            r = int(rng.integers(*rounds))
            t = t0 + np.cumsum(rng.integers(*gap, r))
            for i in range(r):
                x, y = rng.choice(mem, 2, replace=False)
                A.append(x)
                B.append(y)
            TT.append(t)
            PR.append(rng.choice(pairs, r))
            AM.append(np.round(rng.lognormal(6, 0.6) * rng.uniform(0.97, 1.03, r), 2))
            if tier != "careful":
                self.logins(mem, t0 - rng.integers(10, 120, k), PL_WEB)
        A = np.array(A, np.int64)
        B = np.array(B, np.int64)
        TT = np.concatenate(TT)
        PR = np.concatenate(PR)
        AM = np.concatenate(AM)
        lag = rng.integers(0 if tier != "careful" else 30, lag_hi + 1, len(A))
        self.ev(A, A_BUY, T_PAIR, PR, TT, AM)
        self.ev(B, A_SELL, T_PAIR, PR, TT + lag, AM)
        pp = rng.random(len(A)) < p2p_p
        self.p2p(A[pp], B[pp], TT[pp] + rng.integers(60, 600, int(pp.sum())), AM[pp])
        if tier != "careful":
            nr = int(rng.integers(4, 20))
            x = rng.choice(mem, nr)
            y = rng.choice(mem, nr)
            ok = x != y
            self.xfer(x[ok], y[ok], rng.integers(t_lo, T1, int(ok.sum())), np.round(rng.lognormal(6, 0.5, int(ok.sum())), 2))
        self.ev(mem, A_DEP, DADDR, self.new(DADDR, k), t_lo - rng.integers(HOUR, DAY, k), np.round(rng.lognormal(7, 0.5, k), 2))
        self.withdraw(mem, self.new(WADDR, k), T1 - rng.integers(DAY, 20 * DAY, k), np.round(rng.lognormal(7, 0.5, k), 2))

    def g_kyc(self, tier):
        rng = self.rng
        k = isize(rng, 8, 40)
        mem = self.take(k)
        self.add_group("kyc_document_ring", True, mem, np.array(["kyc_shell"] * k, dtype=object), tier)
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        base = int(rng.uniform(T0 - 40 * DAY, T1 - 100 * DAY))
        span = {"blunt": 3 * DAY, "medium": 25 * DAY, "careful": 80 * DAY}[tier]
        cr = np.sort(self.times_tz(base, base + span, tz, n=k))
        self.created[mem] = cr
        self.kyc_level[mem] = 2
        self.custom_reg[mem] = True
        if tier == "blunt":
            nd = -(-k // 3)
        elif tier == "medium":
            nd = int(np.ceil(k / 1.6))
        else:
            nd = k
        doc_i = np.r_[np.arange(nd), rng.integers(0, nd, k - nd)]
        rng.shuffle(doc_i)
        docs = self.new(KYCDOC, nd)
        names = self.new(KYCNAME, nd)
        if tier == "medium":
            merge = rng.random(nd) < 0.3
            names = np.where(merge, np.roll(names, 1), names)
            name_of = names[doc_i]
        elif tier == "careful":
            nn = max(2, int(np.ceil(k / 2.2)))
            name_of = self.new(KYCNAME, nn)[rng.integers(0, nn, k)]
        else:
            name_of = names[doc_i]
        nf = {"blunt": int(rng.integers(1, 4)), "medium": int(rng.integers(3, 7)), "careful": max(2, k // 2)}[tier]
        faces = self.new(SELFIE, nf)
        kt = cr + rng.integers(120, 2 * HOUR, k)
        self.sig(mem, KYCDOC, docs[doc_i], kt)
        self.sig(mem, KYCNAME, name_of, kt)
        self.sig(mem, SELFIE, faces[rng.integers(0, nf, k)], kt)
        self.sig(mem, EMAIL, self.new(EMAIL, k), cr)
        if tier == "careful":
            self.sig(mem, PHONE, self.new(PHONE, k), cr)
            self.sig(mem, DEV, self.new(DEV, k), cr)
            od = self.new(DEV, 2)
            s = rng.random(k) < 0.3
            self.sig(mem[s], DEV, rng.choice(od, int(s.sum())), cr[s])
            self.sig(mem, IP, rng.choice(self.resi_pool, k), cr)
            self.sig(mem, IP, rng.choice(self.resi_pool, k), cr + HOUR)
            opdev = od
            opip = rng.choice(self.resi_pool, 3)
        else:
            sp = rng.choice(self.sms_pool, max(2, k // (3 if tier == "blunt" else 2)), replace=False)
            self.sig(mem, PHONE, rng.choice(sp, k), cr)
            opdev = self.new(DEV, int(rng.integers(1, 4) if tier == "blunt" else rng.integers(3, 7)))
            self.sig(mem, DEV, rng.choice(opdev, k), cr)
            opip = self.new(IP, int(rng.integers(1, 3) if tier == "blunt" else rng.integers(3, 7)))
            self.sig(mem, IP, rng.choice(opip, k), cr)
        self._later.append((self.b_kyc, dict(tier=tier, mem=mem, tz=tz, opdev=opdev, opip=opip, kt=kt)))

    def b_kyc(self, st):
        rng = self.rng
        mem, tz, kt = st["mem"], st["tz"], st["kt"]
        k = len(mem)
        self.register(mem, PL_ANDROID)
        self.ev(mem, A_KYC, T_LIT, L_L1, kt)
        self.ev(mem, A_KYC, T_LIT, L_L2, kt + rng.integers(60, 30 * MIN, k))
        self.logins(mem, kt + rng.integers(HOUR, 3 * DAY, k), PL_ANDROID)
        sold = rng.random(k) < 0.5
        tsale = self.created[mem] + rng.integers(14 * DAY, 60 * DAY, k)
        s = mem[sold]
        ts = tsale[sold]
        n = len(s)
        self.sig(s, DEV, self.new(DEV, n), ts)
        self.sig(s, IP, self.new(IP, n), ts)
        nl = rng.integers(3, 25, n)
        a = np.repeat(s, nl)
        self.logins(a, np.repeat(ts, nl) + rng.integers(0, 60 * DAY, len(a)), PL_IOS)
        self.ev(s, A_DEP, DADDR, self.new(DADDR, n), ts + rng.integers(HOUR, 5 * DAY, n), np.round(rng.lognormal(5.5, 1, n), 2))
        nt = rng.integers(0, 15, n)
        a = np.repeat(s, nt)
        self.ev(a, np.where(rng.random(len(a)) < 0.5, A_BUY, A_SELL), T_PAIR, self.sample_pairs(len(a)),
                np.repeat(ts, nt) + rng.integers(DAY, 60 * DAY, len(a)), np.round(rng.lognormal(4, 1, len(a)), 2))
        self.withdraw(s, self.new(WADDR, n), ts + rng.integers(5 * DAY, 60 * DAY, n), np.round(rng.lognormal(5.5, 1, n), 2))
        kp = mem[~sold]
        tk = tsale[~sold]
        n = len(kp)
        victims = self.active_pool
        addrs = self.new(WADDR, int(rng.integers(1, 4)))
        nv = rng.integers(3, 16, n)
        a = np.repeat(kp, nv)
        t = np.repeat(tk, nv) + rng.integers(0, 40 * DAY, len(a))
        v = rng.choice(victims, len(a))
        ok = self.created[v] < t - HOUR
        a, t, v = a[ok], t[ok], v[ok]
        amt = np.round(rng.lognormal(5.3, 0.8, len(a)), 2)
        self.logins(a, t - rng.integers(30, 600, len(a)), PL_ANDROID)
        self.p2p(a, v, t, amt)
        self.withdraw(a, rng.choice(addrs, len(a)), t + rng.integers(HOUR, 2 * DAY, len(a)), amt, 600, DAY)

    def g_mule(self, tier):
        rng = self.rng
        m = isize(rng, 5, 25)
        c = int(rng.integers(1, 3))
        mem = self.take(m + c)
        mules, cash = mem[:m], mem[m:]
        self.add_group("p2p_mule_ring", True, mem, np.array(["mule"] * m + ["cashout"] * c, dtype=object), tier)
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        old = rng.random(m) < 0.6
        self.created[mules] = np.where(old, T0 - rng.integers(60 * DAY, 1500 * DAY, m),
                                       T0 + rng.integers(0, 40 * DAY, m))
        a0 = int(rng.uniform(T0 + 10 * DAY, T1 - 60 * DAY))
        a1 = a0 + int(rng.uniform(20, 55) * DAY)
        self.created[cash] = a0 - rng.integers(DAY, 20 * DAY, c)
        self.kyc_level[mules] = 1 + (rng.random(m) < 0.4)
        self.kyc_level[cash] = 2
        self.person[mules] = True
        self.life[mules] = True
        self.persona[mules] = np.where(rng.random(m) < 0.5, P_HODLER, P_RETAIL)
        self.act[mules] = rng.uniform(0.2, 0.8, m)
        self.custom_reg[cash] = True
        self.sig(cash, EMAIL, self.new(EMAIL, c), self.created[cash])
        self.sig(cash, PHONE, self.new(PHONE, c), self.created[cash])
        for ns in (KYCDOC, KYCNAME, SELFIE):
            self.sig(cash, ns, self.new(ns, c), self.created[cash] + HOUR)
        ctl_dev = self.new(DEV, int(rng.integers(1, 3)))
        ctl_ip = self.new(IP, int(rng.integers(1, 3)))
        if tier == "careful":
            self.sig(cash, DEV, self.new(DEV, c), self.created[cash])
            self.sig(cash, IP, rng.choice(self.resi_pool, c), self.created[cash])
        else:
            self.sig(cash, DEV, rng.choice(ctl_dev, c), self.created[cash])
            self.sig(cash, IP, rng.choice(ctl_ip, c), self.created[cash])
            share = np.ones(m, bool) if tier == "blunt" else rng.random(m) < 0.3
            ms = mules[share]
            t_ctl = np.maximum(a0, self.created[ms]) + rng.integers(0, 3 * DAY, len(ms))
            self.sig(ms, DEV, rng.choice(ctl_dev, len(ms)), t_ctl)
            self.sig(ms, IP, rng.choice(ctl_ip, len(ms)), t_ctl)
        if tier == "blunt":
            rb = self.new(BANK, int(rng.integers(2, 5)))
            self.sig(mules, BANK, rng.choice(rb, m), a0 - rng.integers(0, 5 * DAY, m))
        elif tier == "medium":
            rb = self.new(BANK, 1)
            s = rng.random(m) < 0.3
            self.sig(mules[s], BANK, rb[0], a0 - rng.integers(0, 5 * DAY, int(s.sum())))
        addrs = self.new(WADDR, int(rng.integers(1, 4)))
        self._later.append((self.b_mule, dict(tier=tier, mules=mules, cash=cash, tz=tz, a0=a0, a1=a1,
                                              addrs=addrs, ctl_dev=ctl_dev)))

    def b_mule(self, st):
        rng = self.rng
        tier, mules, cash, tz, a0, a1, addrs = (st[x] for x in ("tier", "mules", "cash", "tz", "a0", "a1", "addrs"))
        m = len(mules)
        self.register(cash, PL_ANDROID)
        self.kyc_events(cash, self.created[cash] + rng.integers(600, DAY, len(cash)))
        nv = rng.integers(5, 31, m)
        mu = np.repeat(mules, nv)
        v = rng.choice(self.active_pool, len(mu))
        t = self.times(v, np.full(len(mu), a0), np.full(len(mu), a1))
        ok = (self.created[v] < t - HOUR) & (self.created[mu] < t - HOUR)
        mu, v, t = mu[ok], v[ok], t[ok]
        amt = np.round(rng.lognormal(5.8, 0.7, len(mu)), 2)
        self.p2p(v, mu, t, amt)
        lag = {"blunt": (2 * MIN, 20 * MIN), "medium": (30 * MIN, 6 * HOUR), "careful": (2 * HOUR, 2 * DAY)}[st["tier"]]
        tf = t + rng.integers(*lag, len(mu))
        direct = (rng.random(len(mu)) < 0.4) if tier == "careful" else np.zeros(len(mu), bool)
        to = cash[rng.integers(0, len(cash), len(mu))]
        if tier != "careful":
            self.logins(mu, tf - rng.integers(30, 300, len(mu)), PL_WEB)
        x = ~direct
        self.xfer(mu[x], to[x], tf[x], np.round(amt[x] * 0.97, 2))
        self.withdraw(mu[direct], rng.choice(addrs, int(direct.sum())), tf[direct], np.round(amt[direct] * 0.97, 2), 600, DAY)
        tw = tf[x] + rng.integers(10 * MIN, 3 * HOUR, int(x.sum()))
        self.withdraw(to[x], rng.choice(addrs, int(x.sum())), tw, np.round(amt[x] * 0.95, 2), 600, DAY)
        nl = rng.integers(5, 20, len(cash))
        a = np.repeat(cash, nl)
        self.logins(a, self.times_tz(a0, a1, st["tz"], n=len(a)), PL_ANDROID)

    def g_ato(self, tier):
        rng = self.rng
        v = isize(rng, 8, 50)
        nd = 1 if tier == "blunt" else 0
        mem = self.take(v + nd)
        vic, drop = mem[:v], mem[v:]
        self.add_group("account_takeover", True, mem, np.array(["hijacked"] * v + ["drop"] * nd, dtype=object), tier)
        self.created[vic] = T0 - rng.integers(300 * DAY, 1800 * DAY, v)
        self.kyc_level[vic] = 1 + (rng.random(v) < 0.5)
        self.person[vic] = True
        self.persona[vic] = P_DORMANT
        self.life[vic] = False
        ci, tz = self._country_tz()
        ta = int(rng.uniform(T0 + 15 * DAY, T1 - 25 * DAY))
        D = {"blunt": rng.uniform(1, 3), "medium": rng.uniform(3, 8), "careful": rng.uniform(7, 20)}[tier] * DAY
        if nd:
            self.country[drop] = ci
            self.tzoff[drop] = tz
            self.created[drop] = ta - rng.integers(DAY, 10 * DAY, nd)
            self.custom_reg[drop] = True
            self.sig(drop, EMAIL, self.new(EMAIL, nd), self.created[drop])
            self.sig(drop, PHONE, rng.choice(self.sms_pool, nd), self.created[drop])
        n_dev = {"blunt": int(rng.integers(2, 4)), "medium": int(rng.integers(4, 9)), "careful": 0}[tier]
        n_ip = {"blunt": int(rng.integers(2, 6)), "medium": int(rng.integers(6, 16)), "careful": 0}[tier]
        atk_dev = self.new(DEV, max(n_dev, 1))
        atk_ip = self.new(IP, max(n_ip, 1))
        if nd:
            self.sig(drop, DEV, atk_dev[0], self.created[drop])
            self.sig(drop, IP, atk_ip[0], self.created[drop])
        n_addr = {"blunt": 1, "medium": int(rng.integers(2, 4)), "careful": int(rng.integers(3, 7))}[tier]
        self._later.append((self.b_ato, dict(tier=tier, vic=vic, drop=drop, tz=tz, ta=ta, D=int(D),
                                             atk_dev=atk_dev, atk_ip=atk_ip, addrs=self.new(WADDR, n_addr))))

    def b_ato(self, st):
        rng = self.rng
        tier, vic, drop, tz, ta, D = (st[x] for x in ("tier", "vic", "drop", "tz", "ta", "D"))
        v = len(vic)
        if len(drop):
            self.register(drop, PL_WEB)
        tc = np.sort(self.times_tz(ta, ta + D, tz, n=v))
        vic = rng.permutation(vic)
        if tier == "careful":
            dv = self.new(DEV, v)
            ips = rng.choice(self.resi_pool, (v, 2))
            self.sig(vic, DEV, dv, tc)
            self.sig(vic, IP, ips[:, 0], tc)
            self.sig(vic, IP, ips[:, 1], tc + HOUR)
        else:
            self.sig(vic, DEV, rng.choice(st["atk_dev"], v), tc)
            ni = 1 + (rng.random(v) < 0.5)
            a = np.repeat(vic, ni)
            self.sig(a, IP, rng.choice(st["atk_ip"], len(a)), np.repeat(tc, ni))
        self.logins(vic, tc, PL_WEB)
        d2 = {"blunt": (MIN, 10 * MIN), "medium": (10 * MIN, 3 * HOUR), "careful": (HOUR, 2 * DAY)}[tier]
        t2 = tc + rng.integers(*d2, v)
        if tier == "careful":
            self.logins(vic, t2 - 30, PL_WEB)
        self.ev(vic, A_2FA, T_LIT, L_TOTP, t2)
        self.ev(vic, A_PWD, T_LIT, L_PWD, t2 + rng.integers(30, 600, v))
        bal = np.round(rng.lognormal(6.5, 1.2, v), 2)
        dw = {"blunt": (MIN, 10 * MIN), "medium": (HOUR, 24 * HOUR), "careful": (24 * HOUR, 72 * HOUR)}[tier]
        tw = t2 + rng.integers(*dw, v)
        if tier == "careful":
            sl = rng.random(v) < 0.6
            self.ev(vic[sl], A_SELL, T_PAIR, rng.integers(0, 5, int(sl.sum())), tw[sl] - rng.integers(60, 3600, int(sl.sum())), bal[sl])
        addrs = st["addrs"]
        if len(drop):
            via = rng.random(v) < 0.5
            self.xfer(vic[via], np.full(int(via.sum()), drop[0]), tw[via], bal[via])
            if via.any():
                self.withdraw(drop[0], addrs[0], tw[via] + rng.integers(5 * MIN, HOUR, int(via.sum())), bal[via], 300, 1800)
            nv = ~via
            self.withdraw(vic[nv], addrs[0], tw[nv], bal[nv], 60, 600)
        else:
            wl = (MIN, 10 * MIN) if tier == "medium" else (24 * HOUR, 48 * HOUR)
            self.withdraw(vic, rng.choice(addrs, v), tw, bal, *wl)
        rec = rng.random(v) < 0.33
        tr = tw[rec] + rng.integers(DAY, 10 * DAY, int(rec.sum()))
        self.logins(vic[rec], tr, self.plat[vic[rec]])
        self.ev(vic[rec], A_PWD, T_LIT, L_PWD, tr + rng.integers(60, 3600, int(rec.sum())))

    def g_referral(self, tier):
        rng = self.rng
        k = isize(rng, 5, 40)
        mem = self.take(k)
        root, refs = mem[0], mem[1:]
        self.add_group("referral_abuse_ring", True, mem, np.array(["root"] + ["referee"] * (k - 1), dtype=object), tier)
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        self.created[root] = T0 - int(rng.uniform(30, 400) * DAY)
        base = int(rng.uniform(T0 + 5 * DAY, T1 - 70 * DAY))
        n = k - 1
        if tier == "blunt":
            cr = base + np.cumsum(rng.integers(60, 600, n))
            parent = np.zeros(n, np.int64)  # index into mem; 0 = root
        elif tier == "medium":
            cr = base + np.sort(rng.integers(0, 21 * DAY, n))
            parent = np.maximum(0, np.arange(1, n + 1) - rng.integers(1, 4, n))
        else:
            cr = np.sort(self.times_tz(base, base + int(rng.uniform(30, 80) * DAY), tz, n=n))
            parent = np.array([int(rng.integers(max(0, i - 6), i + 1)) for i in range(n)], np.int64)
        self.created[refs] = cr
        self.kyc_level[mem] = 1
        self.custom_reg[mem] = True
        c = self.created[mem]
        self.sig(mem, EMAIL, self.new(EMAIL, k), c)
        ncard = {"blunt": int(rng.integers(1, 3)), "medium": int(rng.integers(2, 5)), "careful": max(2, k // 4)}[tier]
        cards = self.new(CARD, ncard)
        card_of = cards[rng.integers(0, ncard, k)]
        self.sig(mem, CARD, card_of, c + 600)
        for ns in (KYCDOC, KYCNAME):
            self.sig(mem, ns, self.new(ns, k), c + 1200)
        if tier == "blunt":
            self.sig(mem, SELFIE, self.new(SELFIE, 2)[rng.integers(0, 2, k)], c + 1200)
            dv = self.new(DEV, int(rng.integers(1, 3)))
            self.sig(mem, DEV, rng.choice(dv, k), c)
            self.sig(mem, IP, self.new(IP, 1)[0], c)
            self.sig(mem, PHONE, rng.choice(self.sms_pool, k), c)
        elif tier == "medium":
            self.sig(mem, SELFIE, self.new(SELFIE, k), c + 1200)
            dv = self.new(DEV, int(rng.integers(2, 5)))
            self.sig(mem, DEV, rng.choice(dv, k), c)
            self.sig(mem, IP, rng.choice(self.new(IP, 3), k), c)
            self.sig(mem, PHONE, np.where(rng.random(k) < 0.5, rng.choice(self.sms_pool, k), self.new(PHONE, k)), c)
        else:
            self.sig(mem, SELFIE, self.new(SELFIE, k), c + 1200)
            self.sig(mem, DEV, self.new(DEV, k), c)
            self.sig(mem, IP, rng.choice(self.resi_pool, k), c)
            self.sig(mem, PHONE, self.new(PHONE, k), c)
        n_addr = {"blunt": 1, "medium": int(rng.integers(1, 3)), "careful": int(rng.integers(2, 5))}[tier]
        self._later.append((self.b_referral, dict(tier=tier, mem=mem, parent=parent, card_of=card_of, tz=tz,
                                                  addrs=self.new(WADDR, n_addr))))

    def b_referral(self, st):
        rng = self.rng
        tier, mem, parent, card_of = st["tier"], st["mem"], st["parent"], st["card_of"]
        root, refs = mem[0], mem[1:]
        n = len(refs)
        self.register(mem, PL_ANDROID if tier == "blunt" else PL_WEB)
        c = self.created[refs]
        par = mem[parent]
        t = c + rng.integers(5, 60, n)
        self.ev(refs, A_REF, T_REFCODE, par, t)
        self.link(par, refs, 0)
        tk = t + rng.integers(3 * MIN, 30 * MIN, n)
        self.ev(refs, A_KYC, T_LIT, L_L1, tk)
        td = tk + rng.integers(10 * MIN, 2 * HOUR, n)
        self.ev(refs, A_DEP, CARD, card_of[1:], td, 100.0)
        tb = td + rng.integers(MIN, 30 * MIN, n)
        self.ev(refs, A_BONUS, T_LIT, L_BONUS, tb)
        tt = tb + rng.integers(MIN, 20 * MIN, n)
        self.ev(refs, A_BUY, T_PAIR, 0, tt, 100.0)
        self.ev(refs, A_SELL, T_PAIR, 0, tt + rng.integers(MIN, HOUR, n), 99.8)
        self.logins(refs, tt - rng.integers(10, 100, n), PL_WEB)
        addrs = st["addrs"]
        if tier == "blunt":
            tx = tt + rng.integers(HOUR, 2 * DAY, n)
            self.xfer(refs, np.full(n, root), tx, 119.5)
            self.withdraw(root, addrs[0], np.sort(tx)[::max(1, n // 3)] + HOUR, 119.5 * 3, HOUR, DAY)
        else:
            lo, hi = (DAY, 5 * DAY) if tier == "medium" else (7 * DAY, 25 * DAY)
            tx = tt + rng.integers(lo, hi, n)
            self.logins(refs, tx - rng.integers(30, 600, n), PL_WEB)
            self.withdraw(refs, rng.choice(addrs, n), tx, 119.5, HOUR, DAY)
        self.ev(root, A_DEP, CARD, card_of[0], max(T0, int(self.created[root])) + DAY, 500.0)
        self.logins(root, self.times_tz(max(T0, int(self.created[root])), T1, st["tz"], n=20), PL_WEB)

    # =========================================================================== benign groups
    def g_market_maker(self):
        rng = self.rng
        k = isize(rng, 8, 60)
        mem = self.take(1 + k)
        master, subs = mem[0], mem[1:]
        self.add_group("market_maker", False, mem, np.array(["master"] + ["sub_account"] * k, dtype=object))
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        self.atype[master] = 1
        self.atype[subs] = 2
        self.created[master] = T0 - int(rng.uniform(200, 1500) * DAY)
        nb = int(rng.integers(1, 4))
        bt = rng.uniform(self.created[master] + 30 * DAY, T1 - 40 * DAY, nb).astype(np.int64)
        bo = rng.integers(0, nb, k)
        bo[0] = 0
        order = np.argsort(bo, kind="stable")
        cr = np.empty(k, np.int64)
        for b in range(nb):
            sel = order[bo[order] == b]
            cr[sel] = bt[b] + np.cumsum(rng.integers(1, 15, len(sel)))
        self.created[subs] = cr
        self.kyc_level[mem] = 2
        self.custom_reg[mem] = True
        c = self.created[mem]
        corp = self.new(KYCDOC, 1)[0]
        director = self.new(KYCNAME, 1)[0]
        self.sig(mem, KYCDOC, corp, c + 60)
        self.sig(mem, KYCNAME, director, c + 60)
        self.sig(master, SELFIE, self.new(SELFIE, 1)[0], c[0] + 60)
        banks = self.new(BANK, int(rng.integers(1, 3)))
        self.sig(np.full(len(banks), master), BANK, banks, c[0] + DAY)
        sb = subs[rng.random(k) < 0.3]
        self.sig(sb, BANK, banks[0], self.created[sb] + HOUR)
        keys = self.new(APIKEY, int(rng.integers(2, 9)))
        nk = rng.integers(1, 4, k)
        a = np.repeat(subs, nk)
        self.sig(a, APIKEY, rng.choice(keys, len(a)), np.repeat(cr, nk))
        self.sig(np.full(len(keys), master), APIKEY, keys, c[0] + rng.integers(DAY, 100 * DAY, len(keys)))
        office = self.new(IP, int(rng.integers(1, 3)))
        colo = self.new(IP, int(rng.integers(2, 5)))
        self.sig(np.full(len(office), master), IP, office, c[0])
        for ipv in colo:
            self.sig(subs, IP, ipv, cr + 5)
        so = subs[rng.random(k) < 0.4]
        self.sig(so, IP, rng.choice(office, len(so)), self.created[so] + DAY)
        ops = self.new(DEV, int(rng.integers(2, 6)))
        self.sig(np.full(2, master), DEV, ops[:2], c[0])
        self.sig(subs, DEV, rng.choice(ops, k), cr + HOUR)
        self.sig(mem, EMAIL, self.new(EMAIL, 1 + k), c)
        self.sig(master, PHONE, self.new(PHONE, 1)[0], c[0])
        self.link(np.full(k, master), subs, 1)
        pairs = np.r_[rng.choice(np.arange(self.n_major), int(rng.integers(2, 6)), replace=False),
                      rng.choice(self.small_pairs, int(rng.integers(1, 5)), replace=False),
                      rng.choice(self.thin_pairs, int(rng.integers(0, 4)), replace=False)]
        self._later.append((self.b_market_maker, dict(master=master, subs=subs, pairs=pairs, keys=keys, banks=banks)))

    def b_market_maker(self, st):
        rng = self.rng
        master, subs, pairs = st["master"], st["subs"], st["pairs"]
        k = len(subs)
        cr = self.created[subs]
        s0 = np.maximum(cr, T0)
        npair = rng.integers(1, min(4, len(pairs)) + 1, k)
        quotes = [rng.choice(pairs, q, replace=False) for q in npair]
        rate = rng.uniform(3, 14, k)
        cnt = rng.poisson(rate * np.maximum(T1 - s0, 0) / DAY)
        a = np.repeat(subs, cnt)
        t = np.repeat(s0, cnt) + (rng.random(len(a)) * np.repeat(T1 - s0, cnt)).astype(np.int64)
        qi = np.concatenate([q[rng.integers(0, len(q), c)] for q, c in zip(quotes, cnt)]) if len(a) else np.zeros(0, np.int64)
        self.ev(a, np.where(rng.random(len(a)) < 0.5, A_BUY, A_SELL), T_PAIR, qi, t, np.round(rng.lognormal(7, 1, len(a)), 2))
        # hedging ticks across sub-accounts
        nt = rng.poisson(3 * WINDOW / DAY)
        tt = rng.integers(T0, T1, nt)
        tp = rng.choice(pairs, nt)
        A, TT, PP = [], [], []
        for p in np.unique(tp):
            who = subs[np.array([p in q for q in quotes])]
            if len(who) == 0:
                continue
            ts_ = tt[tp == p]
            aa = np.repeat(who[None, :], len(ts_), 0).ravel()
            t2 = np.repeat(ts_, len(who))
            ok = self.created[aa] < t2
            A.append(aa[ok])
            TT.append(t2[ok] + rng.integers(0, 3, int(ok.sum())))
            PP.append(np.full(int(ok.sum()), p))
        if A:
            A, TT, PP = np.concatenate(A), np.concatenate(TT), np.concatenate(PP)
            self.ev(A, np.where(rng.random(len(A)) < 0.5, A_BUY, A_SELL), T_PAIR, PP, TT, np.round(rng.lognormal(8, 0.8, len(A)), 2))
        # daily sweeps and API logins
        days = np.arange(T0 // DAY, T1 // DAY) * DAY
        aa = np.repeat(subs[None, :], len(days), 0).ravel()
        dd = np.repeat(days, k)
        ok = (self.created[aa] < dd) & (rng.random(len(aa)) < 0.5)
        self.xfer(aa[ok], np.full(int(ok.sum()), master), dd[ok] + rng.integers(0, 60, int(ok.sum())),
                  np.round(rng.lognormal(8, 1, int(ok.sum())), 2))
        ok = (self.created[aa] < dd) & (rng.random(len(aa)) < 0.7)
        self.logins(aa[ok], dd[ok] + rng.integers(0, DAY, int(ok.sum())), PL_API)
        # liquidity on every new listing
        for j in range(len(self.c_start)):
            if rng.random() < 0.6:
                L = self.c_list[j]
                who = subs[cr < L]
                nn = rng.integers(2, 8, len(who))
                a = np.repeat(who, nn)
                self.ev(a, np.where(rng.random(len(a)) < 0.5, A_BUY, A_SELL), T_PAIR, self.camp_pair[j],
                        L + rng.integers(0, 10 * MIN, len(a)), np.round(rng.lognormal(7, 0.7, len(a)), 2))
        self.register(subs, PL_API)
        weeks = np.arange(T0, T1, 7 * DAY)
        self.ev(master, A_DEP, BANK, st["banks"][0], weeks + int(rng.integers(HOUR, DAY)), np.round(rng.lognormal(11, 0.5, len(weeks)), 2))
        cold = self.new(WADDR, 2)
        self.withdraw(master, cold[rng.integers(0, 2, len(weeks))], weeks + 3 * DAY, np.round(rng.lognormal(11, 0.5, len(weeks)), 2))
        for key in st["keys"]:
            self.ev(master, A_APIKEY, APIKEY, key, rng.integers(T0, T1))
        self.logins(master, rng.integers(T0, T1, 60), PL_WEB)

    def g_households(self):
        rng = self.rng
        H = max(5, int(round(0.030 * self.N)))
        sizes = rng.choice([2, 3, 4, 5], H, p=[0.55, 0.25, 0.13, 0.07])
        mem = self.take(int(sizes.sum()))
        hh = np.repeat(np.arange(H), sizes)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        first = np.zeros(len(mem), bool)
        first[starts] = True
        g0 = len(self.groups)
        for h in range(H):
            m = mem[starts[h]:starts[h] + sizes[h]]
            self.add_group("household", False, m, np.array(["member"] * len(m), dtype=object))
        fm = mem[starts][hh]
        ci = rng.choice(len(CW), H, p=CW)
        self.country[mem] = ci[hh]
        self.tzoff[mem] = TZ[ci[hh]]
        self.created[mem] = self.default_created(mem)
        close = ~first & (rng.random(len(mem)) < 0.4)
        self.created[mem[close]] = np.minimum(self.created[fm[close]] + rng.integers(0, 7 * DAY, int(close.sum())), T1 - HOUR)
        self.kyc_level[mem] = rng.choice(3, len(mem), p=[0.25, 0.5, 0.25])
        self.person[mem] = True
        self.life[mem] = True
        c = self.created[mem]
        hip = self.new(IP, H)
        self.sig(mem, IP, hip[hh], c + rng.integers(0, 30 * DAY, len(mem)))
        tab = rng.random(H) < 0.4
        tv = self.new(DEV, H)
        use = tab[hh] & (first | (rng.random(len(mem)) < 0.7))
        self.sig(mem[use], DEV, tv[hh[use]], c[use] + rng.integers(0, 60 * DAY, int(use.sum())))
        bk = rng.random(H) < 0.35
        bv = self.new(BANK, H)
        second = np.zeros(len(mem), bool)
        second[starts[sizes >= 2] + 1] = True
        use = bk[hh] & (first | second)
        self.sig(mem[use], BANK, bv[hh[use]], c[use] + DAY)
        fe = rng.random(H) < 0.10
        ev_ = self.new(EMAIL, H)
        use = fe[hh] & (first | second)
        self.sig(mem[use], EMAIL, ev_[hh[use]], c[use])
        self._later.append((self.b_households, dict(mem=mem, hh=hh, first=first, fm=fm, H=H, g0=g0)))

    def b_households(self, st):
        rng = self.rng
        mem, hh, first, fm, H = st["mem"], st["hh"], st["first"], st["fm"], st["H"]
        c = self.created[mem]
        ref = ~first & (c > self.created[fm]) & (c >= T0) & (rng.random(len(mem)) < 0.5)
        self.ev(mem[ref], A_REF, T_REFCODE, fm[ref], c[ref] + rng.integers(10, 600, int(ref.sum())))
        self.link(fm[ref], mem[ref], 0)
        tr = rng.random(H) < 0.35
        nt = np.where(tr, rng.poisson(3, H), 0)
        hsel = np.repeat(np.arange(H), nt)
        # sender/receiver: random members of the household
        sizes = np.bincount(hh, minlength=H)
        starts = np.r_[0, np.cumsum(sizes)[:-1]]
        i1 = starts[hsel] + (rng.random(len(hsel)) * sizes[hsel]).astype(np.int64)
        i2 = starts[hsel] + (rng.random(len(hsel)) * sizes[hsel]).astype(np.int64)
        ok = i1 != i2
        a, b = mem[i1[ok]], mem[i2[ok]]
        lo = np.maximum(np.maximum(self.created[a], self.created[b]), T0)
        t = self.times(a, lo, np.full(len(a), T1))
        self.xfer(a, b, t, np.round(rng.lognormal(4, 1, len(a)), 2))

    def g_otc(self):
        rng = self.rng
        k = int(rng.integers(3, 10))
        mem = self.take(1 + k)
        main, tr = mem[0], mem[1:]
        self.add_group("otc_desk", False, mem, np.array(["desk_main"] + ["desk_trader"] * k, dtype=object))
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        self.atype[mem] = 1
        self.created[main] = T0 - int(rng.uniform(300, 1200) * DAY)
        self.created[tr] = self.created[main] + rng.integers(DAY, 600 * DAY, k)
        self.created[tr] = np.minimum(self.created[tr], T0 + 60 * DAY)
        self.kyc_level[mem] = 2
        self.custom_reg[mem] = True
        c = self.created[mem]
        corp = self.new(KYCDOC, 1)[0]
        self.sig(mem, KYCDOC, corp, c + HOUR)
        self.sig(tr, KYCDOC, self.new(KYCDOC, k), c[1:] + HOUR)
        self.sig(mem, KYCNAME, self.new(KYCNAME, 1 + k), c + HOUR)
        self.sig(mem, SELFIE, self.new(SELFIE, 1 + k), c + HOUR)
        office = self.new(IP, int(rng.integers(1, 3)))
        self.sig(mem, IP, rng.choice(office, 1 + k), c)
        self.sig(mem, IP, self.new(IP, 1 + k), c + 30 * DAY)
        term = self.new(DEV, int(rng.integers(1, 3)))
        self.sig(mem, DEV, rng.choice(term, 1 + k), c)
        self.sig(mem, DEV, self.new(DEV, 1 + k), c)
        banks = self.new(BANK, int(rng.integers(1, 3)))
        self.sig(mem, BANK, rng.choice(banks, 1 + k), c + DAY)
        self.sig(mem, EMAIL, self.new(EMAIL, 1 + k), c)
        self.sig(mem, PHONE, self.new(PHONE, 1 + k), c)
        self._later.append((self.b_otc, dict(main=main, tr=tr, tz=tz, banks=banks)))

    def b_otc(self, st):
        rng = self.rng
        main, tr, tz = st["main"], st["tr"], st["tz"]
        ncl = isize(rng, 40, 200)
        clients = rng.choice(self.active_pool, ncl, replace=False)
        nt = rng.integers(1, 7, ncl)
        cl = np.repeat(clients, nt)
        lo = np.maximum(self.start[cl], T0)
        hi = np.maximum(self.end[cl], lo + DAY)
        day = self.times_tz(lo, hi, tz, n=len(cl)) // DAY * DAY
        t = day + (9 * HOUR - tz) + rng.integers(0, 9 * HOUR, len(cl))
        who = rng.choice(tr, len(cl))
        amt = np.round(rng.lognormal(8.5, 0.8, len(cl)), 2)
        self.p2p(cl, who, t, amt)
        self.logins(who, t - rng.integers(60, 1800, len(cl)), PL_WEB)
        days = np.arange(T0 // DAY, T1 // DAY) * DAY + 17 * HOUR - tz
        aa = np.repeat(tr[None, :], len(days), 0).ravel()
        dd = np.repeat(days, len(tr))
        ok = (rng.random(len(aa)) < 0.3) & (self.created[aa] < dd)
        self.xfer(aa[ok], np.full(int(ok.sum()), main), dd[ok] + rng.integers(0, 1800, int(ok.sum())),
                  np.round(rng.lognormal(9, 0.7, int(ok.sum())), 2))
        cold = self.new(WADDR, 2)
        wk = np.arange(T0, T1, 3 * DAY)
        self.withdraw(main, cold[rng.integers(0, 2, len(wk))], wk + 18 * HOUR, np.round(rng.lognormal(10, 0.5, len(wk)), 2))
        src = self.new(DADDR, 2)
        self.ev(main, A_DEP, DADDR, src[rng.integers(0, 2, len(wk))], wk + 8 * HOUR, np.round(rng.lognormal(10, 0.5, len(wk)), 2))
        self.ev(main, A_DEP, BANK, st["banks"][0], wk + 9 * HOUR, np.round(rng.lognormal(10, 0.5, len(wk)), 2))

    def g_bot_platform(self, frac):
        rng = self.rng
        u = max(20, int(round(frac * self.N)))
        mem = self.take(u)
        self.add_group("bot_platform", False, mem, np.array(["subscriber"] * u, dtype=object))
        self.created[mem] = self.default_created(mem)
        ci = rng.choice(len(CW), u, p=CW)
        self.country[mem] = ci
        self.tzoff[mem] = TZ[ci]
        self.kyc_level[mem] = rng.choice(3, u, p=[0.1, 0.6, 0.3])
        self.person[mem] = True
        self.life[mem] = True
        self.persona[mem] = rng.choice([P_RETAIL, P_ACTIVE, P_HODLER], u, p=[0.5, 0.3, 0.2])
        servers = self.new(IP, int(rng.integers(15, 41)))
        self._later.append((self.b_bot, dict(mem=mem, servers=servers)))

    def b_bot(self, st):
        rng = self.rng
        mem, servers = st["mem"], st["servers"]
        u = len(mem)
        lo = np.maximum(self.start[mem], T0) + rng.integers(0, 30 * DAY, u)
        hi = np.maximum(self.end[mem], lo + 20 * DAY)
        hi = np.minimum(hi, T1)
        lo = np.minimum(lo, hi - DAY)
        self.ev(mem, A_APIKEY, APIKEY, self.new(APIKEY, u), np.maximum(lo - rng.integers(60, 3600, u), self.created[mem] + 60))
        ns = rng.integers(2, 9, u)
        a = np.repeat(mem, ns)
        self.sig(a, IP, rng.choice(servers, len(a)), np.repeat(lo, ns) + rng.integers(0, DAY, len(a)))
        days = np.maximum(hi - lo, 0) / DAY
        nl = rng.poisson(0.5 * days)
        a = np.repeat(mem, nl)
        self.logins(a, np.repeat(lo, nl) + (rng.random(len(a)) * np.repeat(hi - lo, nl)).astype(np.int64), PL_API)
        nstrat = int(rng.integers(4, 11))
        period = rng.choice([HOUR, 4 * HOUR, 8 * HOUR, DAY], nstrat)
        phase = rng.choice([0, 5, 15, 30], nstrat) * MIN
        spair = np.searchsorted(self.pair_cdf[:30] / self.pair_cdf[29], rng.random(nstrat))
        sub1 = rng.integers(0, nstrat, u)
        sub2 = np.where(rng.random(u) < 0.4, rng.integers(0, nstrat, u), -1)
        for s in range(nstrat):
            who = (sub1 == s) | (sub2 == s)
            if not who.any():
                continue
            slots = np.arange(T0 + phase[s], T1, period[s])
            fire = slots[rng.random(len(slots)) < 0.08 * (period[s] / (4 * HOUR)) ** 0.3]
            side = np.where(rng.random(len(fire)) < 0.5, A_BUY, A_SELL)
            w = np.nonzero(who)[0]
            M = (fire[None, :] >= lo[w, None]) & (fire[None, :] < hi[w, None]) & (rng.random((len(w), len(fire))) < 0.8)
            ii, jj = np.nonzero(M)
            self.ev(mem[w[ii]], side[jj], T_PAIR, spair[s], fire[jj] + rng.integers(0, 21, len(ii)),
                    np.round(rng.lognormal(4.2, 0.9, len(ii)), 2))

    def g_copy(self):
        rng = self.rng
        f = isize(rng, 60, 400)
        mem = self.take(1 + f)
        leader, fol = mem[0], mem[1:]
        self.add_group("copy_trading", False, mem, np.array(["leader"] + ["follower"] * f, dtype=object))
        self.created[leader] = T0 - int(rng.uniform(200, 1500) * DAY)
        recent = rng.random(f) < 0.6
        cf = self.default_created(fol)
        cf = np.where(recent, T0 + rng.integers(0, WINDOW - 20 * DAY, f), cf)
        ci = rng.choice(len(CW), 1 + f, p=CW)
        self.country[mem] = ci
        self.tzoff[mem] = TZ[ci]
        self.created[fol] = cf
        self.created[fol[recent]] = self.times(fol[recent], self.created[fol[recent]], self.created[fol[recent]] + DAY)
        self.kyc_level[mem] = rng.choice(3, 1 + f, p=[0.15, 0.6, 0.25])
        self.kyc_level[leader] = 2
        self.person[mem] = True
        self.life[mem] = True
        self.persona[leader] = P_ACTIVE
        self.act[leader] = 3.0
        self.persona[fol] = rng.choice([P_RETAIL, P_HUNTER, P_ACTIVE, P_HODLER], f, p=[0.5, 0.2, 0.15, 0.15])
        self._later.append((self.b_copy, dict(leader=leader, fol=fol)))

    def b_copy(self, st):
        rng = self.rng
        leader, fol = st["leader"], st["fol"]
        f = len(fol)
        c = self.created[fol]
        ref = (c >= T0) & (rng.random(f) < 0.6)
        self.ev(fol[ref], A_REF, T_REFCODE, leader, c[ref] + rng.integers(10, 600, int(ref.sum())))
        self.link(np.full(int(ref.sum()), leader), fol[ref], 0)
        auto = rng.random(f) < 0.3
        nc = int(rng.integers(10, 31))
        calls = np.sort(self.times(np.full(nc, leader), np.full(nc, T0), np.full(nc, T1 - 4 * DAY)))
        cp = rng.choice(self.small_pairs[:60], nc)
        st_, en_ = self.start[fol], self.end[fol]
        for t, p in zip(calls, cp):
            hold = int(rng.integers(2 * HOUR, 72 * HOUR))
            self.ev(leader, A_BUY, T_PAIR, p, t, float(np.round(rng.lognormal(8, 0.5), 2)))
            self.ev(leader, A_SELL, T_PAIR, p, t + hold, float(np.round(rng.lognormal(8, 0.5), 2)))
            live = (st_ <= t) & (en_ > t)
            ao = fol[auto & live & (rng.random(f) < 0.9)]
            ta = t + rng.integers(1, 9, len(ao))
            am = np.round(rng.lognormal(4, 0.8, len(ao)), 2)
            self.ev(ao, A_BUY, T_PAIR, p, ta, am)
            self.ev(ao, A_SELL, T_PAIR, p, ta + hold + rng.integers(0, 9, len(ao)), am)
            pm = rng.uniform(0.15, 0.45)
            mo = fol[~auto & live & (rng.random(f) < pm)]
            tm = t + np.clip(rng.lognormal(np.log(240), 1.0, len(mo)), 20, 2 * HOUR).astype(np.int64)
            am = np.round(rng.lognormal(4, 1, len(mo)), 2)
            self.ev(mo, A_BUY, T_PAIR, p, tm, am)
            s = rng.random(len(mo)) < 0.6
            self.ev(mo[s], A_SELL, T_PAIR, p, tm[s] + hold + rng.lognormal(np.log(3600), 1.5, int(s.sum())).astype(np.int64), am[s])

    def g_uni(self):
        rng = self.rng
        k = isize(rng, 12, 45)
        mem = self.take(k)
        pres, mb = mem[0], mem[1:]
        self.add_group("university_club", False, mem, np.array(["president"] + ["member"] * (k - 1), dtype=object))
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        self.created[pres] = T0 - int(rng.uniform(100, 700) * DAY)
        fairs = [_ts(2024, 9, int(rng.integers(9, 20))), _ts(2025, 1, int(rng.integers(20, 30)))]
        n = k - 1
        at_fair = rng.random(n) < 0.65
        which = rng.integers(0, 2, n)
        ft = np.array(fairs)[which] + 12 * HOUR - tz + rng.integers(0, 4 * HOUR, n)
        other = self.default_created(mb)
        self.created[mb] = np.where(at_fair, ft, other)
        self.kyc_level[mem] = rng.choice(3, k, p=[0.3, 0.55, 0.15])
        self.person[mem] = True
        self.life[mem] = True
        self.persona[mb] = rng.choice([P_RETAIL, P_HUNTER, P_HODLER], n, p=[0.4, 0.35, 0.25])
        campus = self.new(IP, int(rng.integers(3, 9)))
        ni = rng.integers(1, 4, k)
        a = np.repeat(mem, ni)
        self.sig(a, IP, rng.choice(campus, len(a)), np.maximum(self.created[a], T0) + rng.integers(0, 60 * DAY, len(a)))
        # other students of the same campus, not in the club
        cand = self._free[self._ptr:]
        ns = min(len(cand), max(5, int(rng.integers(10, 60))))
        self._campus_students.append((rng.choice(cand, ns, replace=False).astype(np.int64), campus))
        self._later.append((self.b_uni, dict(pres=pres, mb=mb, tz=tz, fair=at_fair, campus=campus)))

    def b_uni(self, st):
        rng = self.rng
        pres, mb, tz = st["pres"], st["mb"], st["tz"]
        n = len(mb)
        c = self.created[mb]
        ref = st["fair"] & (c >= T0)
        self.ev(mb[ref], A_REF, T_REFCODE, pres, c[ref] + rng.integers(60, 600, int(ref.sum())))
        self.link(np.full(int(ref.sum()), pres), mb[ref], 0)
        wd = int(rng.integers(0, 5))
        first = _ts(2024, 9, 16) + ((wd - dt.datetime.fromtimestamp(_ts(2024, 9, 16), dt.timezone.utc).weekday()) % 7) * DAY
        meets = np.arange(first, T1, 7 * DAY) + 18 * HOUR - tz
        meets = meets[~((meets > _ts(2024, 12, 20)) & (meets < _ts(2025, 1, 15)))]
        mem = np.r_[pres, mb]
        for m in meets:
            att = mem[(self.created[mem] < m) & (rng.random(len(mem)) < rng.uniform(0.3, 0.7))]
            if len(att) == 0:
                continue
            t = m + rng.integers(10 * MIN, 80 * MIN, len(att))
            self.logins(att, t - rng.integers(30, 300, len(att)), self.plat[att])
            live = np.nonzero((self.c_start <= m) & (self.c_start + self.c_dur > m))[0]
            if len(live):
                j = int(rng.choice(live))
                if self.c_lp[j]:
                    att = att[self.kyc_level[att] >= 1]
                    t = t[:len(att)]
                    self.ev(att, A_LPAD, T_CAMPAIGN, j, t, np.round(rng.lognormal(3.5, 0.6, len(att)), 2))
                else:
                    self.ev(att, A_CLAIM, T_CAMPAIGN, j, t)
            else:
                p = int(rng.choice(np.r_[np.arange(10), self.small_pairs[:30]]))
                self.ev(att, A_BUY, T_PAIR, p, t, np.round(rng.lognormal(2.8, 0.6, len(att)), 2))
        months = np.arange(T0, T1, 30 * DAY)
        for mth in months:
            pay = mb[(self.created[mb] < mth) & (rng.random(n) < 0.5)]
            self.xfer(pay, np.full(len(pay), pres), self.times(pay, np.full(len(pay), mth), np.full(len(pay), mth + 10 * DAY)), 5.0)

    def g_payroll(self):
        rng = self.rng
        e = isize(rng, 10, 60)
        mem = self.take(1 + e)
        emp, staff = mem[0], mem[1:]
        self.add_group("payroll_employer", False, mem, np.array(["employer"] + ["employee"] * e, dtype=object))
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        self.atype[emp] = 3
        self.created[emp] = T0 - int(rng.uniform(60, 900) * DAY)
        od = int(rng.uniform(T0 - 60 * DAY, T0 + 60 * DAY)) // DAY * DAY
        onb = rng.random(e) < 0.7
        self.created[staff] = np.where(onb, od + 9 * HOUR - tz + rng.integers(0, 8 * HOUR, e), self.default_created(staff))
        self.created[staff] = np.minimum(self.created[staff], T1 - DAY)
        self.kyc_level[emp] = 2
        self.kyc_level[staff] = rng.choice([1, 2], e, p=[0.7, 0.3])
        self.person[staff] = True
        self.life[staff] = True
        self.persona[staff] = rng.choice([P_HODLER, P_RETAIL], e, p=[0.6, 0.4])
        self.custom_reg[emp] = True
        c0 = self.created[emp]
        for ns in (KYCDOC, KYCNAME, SELFIE, EMAIL, PHONE):
            self.sig(emp, ns, self.new(ns, 1)[0], c0 + HOUR)
        bank = self.new(BANK, 1)[0]
        self.sig(emp, BANK, bank, c0 + DAY)
        self.sig(np.full(2, emp), DEV, self.new(DEV, 2), c0)
        office = self.new(IP, 1)[0]
        self.sig(emp, IP, office, c0)
        so = staff[rng.random(e) < 0.5]
        self.sig(so, IP, office, np.maximum(self.created[so], od) + rng.integers(0, 30 * DAY, len(so)))
        self._later.append((self.b_payroll, dict(emp=emp, staff=staff, onb=onb, tz=tz, bank=bank)))

    def b_payroll(self, st):
        rng = self.rng
        emp, staff, tz = st["emp"], st["staff"], st["tz"]
        e = len(staff)
        self.register(emp, PL_WEB)
        c = self.created[staff]
        ref = st["onb"] & (c >= T0) & (rng.random(e) < 0.8)
        self.ev(staff[ref], A_REF, T_REFCODE, emp, c[ref] + rng.integers(60, 900, int(ref.sum())))
        self.link(np.full(int(ref.sum()), emp), staff[ref], 0)
        sal = np.round(rng.lognormal(7, 0.4, e), 0)
        for y, mth in [(2024, 9), (2024, 10), (2024, 11), (2024, 12), (2025, 1), (2025, 2)]:
            pd = _ts(y, mth, 25) + 10 * HOUR - tz
            paid = staff[c < pd - DAY]
            if len(paid) == 0:
                continue
            self.ev(emp, A_DEP, BANK, st["bank"], pd - DAY, float(sal.sum()))
            self.logins(emp, pd - 120, PL_WEB)
            t = pd + np.cumsum(rng.integers(1, 6, len(paid)))
            amt = np.round(sal[np.isin(staff, paid)] * rng.uniform(0.98, 1.02, len(paid)), 0)
            self.xfer(np.full(len(paid), emp), paid, t, amt)
            w = rng.random(len(paid)) < 0.4
            tw = t[w] + rng.integers(HOUR, 3 * DAY, int(w.sum()))
            self.withdraw(paid[w], self.wd_base[paid[w]], tw, np.round(amt[w] * 0.8, 2))
            s = rng.random(len(paid)) < 0.3
            fp = self.fiat_pairs if len(self.fiat_pairs) else np.array([0])
            self.ev(paid[s], A_SELL, T_PAIR, rng.choice(fp, int(s.sum())), t[s] + rng.integers(HOUR, 2 * DAY, int(s.sum())),
                    np.round(amt[s] * 0.3, 2))

    def g_kiosk(self):
        rng = self.rng
        w = isize(rng, 25, 120)
        mem = self.take(1 + w)
        op, wi = mem[0], mem[1:]
        self.add_group("kiosk", False, mem, np.array(["kiosk_operator"] + ["walk_in"] * w, dtype=object))
        ci, tz = self._country_tz()
        self.country[mem] = ci
        self.tzoff[mem] = tz
        self.atype[op] = 3
        self.created[op] = T0 - int(rng.uniform(200, 800) * DAY)
        opened = T0 - int(rng.uniform(0, 150) * DAY)
        day = rng.integers(opened // DAY, T1 // DAY - 1, w) * DAY
        self.created[wi] = day + 10 * HOUR - tz + rng.integers(0, 10 * HOUR, w)
        self.kyc_level[wi] = 1
        self.kyc_level[op] = 2
        self.person[wi] = True
        self.life[wi] = True
        self.persona[wi] = rng.choice([P_HODLER, P_RETAIL, P_DORMANT], w, p=[0.6, 0.25, 0.15])
        self.act[wi] = rng.uniform(0.2, 1.0, w)
        self.custom_reg[mem] = True
        kd = self.new(DEV, int(rng.integers(1, 3)))
        kip = self.new(IP, 1)[0]
        self.sig(wi, DEV, rng.choice(kd, w), self.created[wi])
        self.sig(wi, IP, kip, self.created[wi])
        self.sig(op, IP, kip, self.created[op])
        self.sig(op, DEV, kd[0], self.created[op])
        for ns in (KYCDOC, KYCNAME, SELFIE, EMAIL, PHONE, BANK):
            self.sig(op, ns, self.new(ns, 1)[0], self.created[op] + HOUR)
        self._later.append((self.b_kiosk, dict(op=op, wi=wi, tz=tz)))

    def b_kiosk(self, st):
        rng = self.rng
        op, wi = st["op"], st["wi"]
        w = len(wi)
        self.register(wi, PL_KIOSK)
        c = self.created[wi]
        self.ev(wi, A_KYC, T_LIT, L_L1, c + rng.integers(2 * MIN, 8 * MIN, w))
        amt = np.round(rng.lognormal(4.5, 0.8, w), 2)
        self.xfer(np.full(w, op), wi, c + rng.integers(3 * MIN, 15 * MIN, w), amt)
        src = self.new(DADDR, 1)[0]
        days = np.arange(T0, T1, 2 * DAY)
        self.ev(op, A_DEP, DADDR, src, days + 8 * HOUR, np.round(rng.lognormal(8, 0.5, len(days)), 2))
        self.logins(op, days + 9 * HOUR, PL_WEB)

    # =========================================================================== build
    def build(self):
        rng = self.rng
        s = self.s
        self._campus_students = []
        allidx = np.arange(self.N)
        ci = rng.choice(len(CW), self.N, p=CW)
        self.country[:] = ci
        self.tzoff[:] = TZ[ci]
        self.created[:] = self.default_created(allidx)
        self.kyc_level[:] = rng.choice(3, self.N, p=[0.2, 0.55, 0.25])

        def cnt(base):
            return max(1, int(round(base * s)))

        # bad groups, tiers rotated so each kind has every difficulty
        bad = [("airdrop_sybil_farm", self.g_sybil, cnt(8)), ("wash_trading_ring", self.g_wash, cnt(6)),
               ("kyc_document_ring", self.g_kyc, cnt(5)), ("p2p_mule_ring", self.g_mule, cnt(5)),
               ("account_takeover", self.g_ato, cnt(4)), ("referral_abuse_ring", self.g_referral, cnt(6))]
        for _, fn, c in bad:
            tiers = np.resize(np.array(["blunt", "medium", "careful"]), c)
            for t in rng.permutation(tiers):
                fn(str(t))
        for _ in range(cnt(3)):
            self.g_market_maker()
        self.g_households()
        for _ in range(cnt(2)):
            self.g_otc()
        nb = max(2, int(round(2 * s ** 0.5)))
        for f in rng.dirichlet(np.ones(nb) * 3) * 0.04:
            self.g_bot_platform(f)
        for _ in range(cnt(3)):
            self.g_copy()
        for _ in range(cnt(4)):
            self.g_uni()
        for _ in range(cnt(3)):
            self.g_payroll()
        for _ in range(cnt(4)):
            self.g_kiosk()
        org = self._free[self._ptr:].astype(np.int64)
        self.person[org] = True
        self.life[org] = True
        self.role[org] = ""
        # personas, activity windows, identities
        lives = np.nonzero(self.life | self.person)[0]
        self.assign_windows(lives)
        self.role[org] = np.array(PERSONAS, dtype=object)[self.persona[org]]
        pers = np.nonzero(self.person)[0]
        self.person_identity(pers)
        for studs, campus in self._campus_students:
            self.sig(studs, IP, rng.choice(campus, len(studs)), np.maximum(self.created[studs], T0) + rng.integers(0, 90 * DAY, len(studs)))
        ap = org[(self.persona[org] != P_DORMANT) & (self.end[org] > self.start[org] + 7 * DAY)]
        self.active_pool = ap if len(ap) else org
        self.organic_life()
        for fn, st in self._later:
            fn(st)
        self.organic_referrals()

    # =========================================================================== labels
    def labels(self):
        rng = self.rng
        acc, lab, src = [], [], []
        pos = []
        for g in self.groups:
            m = g["members"]
            if g["bad"]:
                p = {"blunt": 0.6, "medium": 0.35, "careful": 0.15}[g["tier"]]
                if rng.random() < p:
                    k = max(1, int(round(len(m) * rng.uniform(0.15, 0.6))))
                    sel = rng.choice(m, k, replace=False)
                    pos.append(sel)
            else:
                if g["kind"] == "market_maker" and rng.random() < 0.5:
                    acc.append(m)
                    lab.append(np.zeros(len(m), np.int64))
                    src.append(np.full(len(m), "institutional_whitelist", dtype=object))
                else:
                    sel = m[rng.random(len(m)) < 0.04]
                    acc.append(sel)
                    lab.append(np.zeros(len(sel), np.int64))
                    src.append(np.full(len(sel), "support_verified", dtype=object))
        pos = np.concatenate(pos) if pos else np.zeros(0, np.int64)
        appeal = rng.random(len(pos)) < 0.03
        org = np.nonzero(self.group < 0)[0]
        nfp = int(round(0.04 * len(pos)))
        fp = rng.choice(self.active_pool, nfp, replace=False) if nfp else np.zeros(0, np.int64)
        acc.append(pos)
        lab.append(np.where(appeal, 0, 1))
        src.append(np.where(appeal, "appeal", np.where(rng.random(len(pos)) < 0.5, "aml_case", "kyc_review")).astype(object))
        acc.append(fp)
        lab.append(np.ones(len(fp), np.int64))
        src.append(np.full(len(fp), "aml_case", dtype=object))
        g0 = org[rng.random(len(org)) < 0.012]
        acc.append(g0)
        lab.append(np.zeros(len(g0), np.int64))
        src.append(np.full(len(g0), "support_verified", dtype=object))
        acc = np.concatenate(acc).astype(np.int64)
        lab = np.concatenate(lab).astype(np.int64)
        src = np.concatenate(src)
        _, first = np.unique(acc, return_index=True)
        first = np.sort(first)
        acc, lab, src = acc[first], lab[first], src[first]
        dec = T1 - rng.integers(0, 150 * DAY, len(acc))
        return acc, lab, src, dec


# ============================================================================= rendering
def render_ns(world, ns, ids):
    """Opaque strings for identifier ids of one namespace."""
    salt = (world.salt * (ns + 3)) & ((1 << 63) - 1)
    ids = np.asarray(ids, np.int64)
    h1 = mix64(ids.astype(np.uint64) ^ U64(salt))
    h2 = mix64(h1 ^ U64(0x5DEECE66D))
    h3 = mix64(h2 ^ U64(0xB5297A4D))
    s1, s2, s3 = pl.Series(hexs(h1)), pl.Series(hexs(h2)), pl.Series(hexs(h3))
    if ns == DEV:
        ios = (h3 & U64(1)).astype(bool)
        uuid = (s1.str.slice(0, 8) + "-" + s1.str.slice(8, 4) + "-" + s1.str.slice(12, 4) + "-"
                + s2.str.slice(0, 4) + "-" + s2.str.slice(4, 12)).str.to_uppercase()
        out = pl.select(pl.when(pl.Series(ios)).then(uuid).otherwise(s3)).to_series()
        out = pl.select(pl.when(pl.Series(ids == 0)).then(pl.lit("00000000-0000-0000-0000-000000000000"))
                        .otherwise(out)).to_series()
        return out
    if ns == IP:
        return s1
    if ns == PHONE:
        return s1 + s2.str.slice(0, 4)
    if ns == EMAIL:
        return s1 + s2.str.slice(0, 8)
    if ns in (KYCDOC, KYCNAME):
        return s1 + s2
    if ns == SELFIE:
        return "ph:" + s1
    if ns == BANK:
        return "iban#" + s1 + s2.str.slice(0, 8)
    if ns == CARD:
        return "card_" + s1.str.slice(0, 12) + s2.str.slice(0, 8)
    if ns == APIKEY:
        return "ak_" + s1 + s2.str.slice(0, 4)
    if ns == WADDR:
        return "wdt_" + s1 + s2.str.slice(0, 8)
    if ns == DADDR:
        return "0x" + s1 + s2 + s3.str.slice(0, 8)
    raise ValueError(ns)


def render_keys(world, kind, val, acc_ids, ref_codes):
    """Strings for (target-kind, value) pairs, rendered once per distinct pair."""
    kind = np.asarray(kind, np.int64)
    val = np.asarray(val, np.int64)
    key = (kind << 44) | val
    uk, inv = np.unique(key, return_inverse=True)
    uk_kind = uk >> 44
    uk_val = uk & ((1 << 44) - 1)
    parts, order = [], []
    for kd in np.unique(uk_kind):
        sel = np.nonzero(uk_kind == kd)[0]
        v = uk_val[sel]
        if kd < 20:
            s = render_ns(world, int(kd), v)
        elif kd == T_ACCOUNT:
            s = acc_ids.gather(pl.Series(v))
        elif kd == T_PAIR:
            s = pl.Series(world.pair_names).gather(pl.Series(v))
        elif kd == T_CAMPAIGN:
            s = pl.Series(world.camp_ids).gather(pl.Series(v))
        elif kd == T_PLATFORM:
            s = pl.Series(PLATFORMS).gather(pl.Series(v))
        elif kd == T_REFCODE:
            s = ref_codes.gather(pl.Series(v))
        else:
            s = pl.Series(LITERALS).gather(pl.Series(v))
        parts.append(s.alias("s"))
        order.append(sel)
    order = np.concatenate(order)
    allv = pl.concat(parts)
    back = np.empty(len(order), np.int64)
    back[order] = np.arange(len(order))
    return allv.gather(pl.Series(back[inv]))


def write(world: World, out: Path, labels: bool):
    rng = world.rng
    N = world.N
    out.mkdir(parents=True, exist_ok=True)
    idx = np.arange(N)
    acc_ids = pl.Series("account_id", np.char.add("usr_", b32(bijection(idx, 60, world.salt & ((1 << 60) - 1)), 12)))
    ref_codes = pl.Series("referral_code", np.char.add("RF", b32(bijection(idx, 40, (world.salt >> 3) & ((1 << 40) - 1)), 8, upper=True)))
    assert acc_ids.n_unique() == N and ref_codes.n_unique() == N

    # ---- accounts
    country = pl.Series(CC[world.country]).set(pl.Series(rng.random(N) < 0.01), None)
    vip = np.where(world.act > 6, 3, np.where(world.act > 3, 2, np.where(world.act > 1.5, 1, 0)))
    vip = np.where(np.isnan(world.act), 0, vip)
    vip = np.where(world.atype == 1, 4, vip)
    acc = pl.DataFrame({
        "account_id": acc_ids,
        "created_at": pl.from_epoch(pl.Series(world.created * 1_000_000), "us"),
        "account_type": pl.Series(ACCOUNT_TYPES).gather(pl.Series(world.atype.astype(np.int64))),
        "country": country,
        "kyc_level": world.kyc_level.astype(np.int64),
        "vip_tier": pl.Series(np.char.add("VIP", vip.astype(np.int64).astype(str))),
        "referral_code": ref_codes,
        "_i": idx,
    }).sort(["created_at", "_i"])
    acc.drop("_i").write_parquet(out / "accounts.parquet")

    # ---- events
    E = [np.concatenate(x) for x in zip(*world._ev)]
    ev = pl.DataFrame({"a": E[0], "act": E[1].astype(np.int64), "tk": E[2].astype(np.int64), "tv": E[3],
                       "ts": E[4], "amt": E[5]})
    ev = ev.filter((pl.col("ts") >= T0) & (pl.col("ts") < T1))
    # the export only holds what happened once an account existed (bar a second of clock skew)
    ev = ev.filter(pl.Series(ev["ts"].to_numpy() >= world.created[ev["a"].to_numpy()] - 2))
    ev = ev.with_columns(ms=pl.Series(rng.integers(0, 1000, ev.height)))
    ev = ev.sort(["ts", "ms", "a", "act", "tk", "tv"])
    tgt = render_keys(world, ev["tk"].to_numpy(), ev["tv"].to_numpy(), acc_ids, ref_codes)
    events = pl.DataFrame({
        "account_id": acc_ids.gather(ev["a"]),
        "action": pl.Series(ACTIONS).gather(ev["act"]),
        "target_id": tgt,
        "ts": pl.from_epoch(ev["ts"] * 1000 + ev["ms"], "ms").dt.replace_time_zone("UTC"),
        "amount_usd": ev["amt"].fill_nan(None),
    })
    events.write_parquet(out / "events.parquet")

    # ---- signals (plus addresses and API keys seen in the whole event history)
    S = [np.concatenate(x) for x in zip(*world._sig)]
    sg = pl.DataFrame({"a": S[0], "ns": S[1].astype(np.int64), "v": S[2], "seen": S[3], "src": S[4].astype(np.int64)})
    d = pl.DataFrame({"a": E[0], "act": E[1].astype(np.int64), "tk": E[2].astype(np.int64), "v": E[3], "seen": E[4]})
    d = d.filter((pl.col("seen") < T1) & pl.col("tk").is_in([WADDR, DADDR, APIKEY])
                 & pl.col("act").is_in([A_WD, A_WL, A_DEP, A_APIKEY]))
    d = d.select("a", pl.col("tk").alias("ns"), "v", "seen", pl.lit(1, pl.Int64).alias("src"))
    sg = pl.concat([sg, d])
    sg = sg.with_columns(seen=pl.Series(np.clip(np.maximum(sg["seen"].to_numpy(), world.created[sg["a"].to_numpy()]),
                                                T_LAUNCH, T1 - 1)))
    sg = sg.group_by(["a", "ns", "v"]).agg(pl.col("seen").min(), pl.col("src").min())
    sg = sg.sort(["a", "ns", "seen", "v"])
    vals = render_keys(world, sg["ns"].to_numpy(), sg["v"].to_numpy(), acc_ids, ref_codes)
    blank = rng.random(sg.height) < 0.012
    seen = pl.from_epoch(sg["seen"], "s").dt.strftime("%Y-%m-%dT%H:%M:%SZ").set(pl.Series(blank), None)
    signals = pl.DataFrame({
        "account_id": acc_ids.gather(sg["a"]),
        "kind": pl.Series(NS_NAMES).gather(sg["ns"]),
        "value": vals,
        "seen_at": seen,
        "source": pl.Series(["profile", "ledger"]).gather(sg["src"]),
    })
    signals.write_csv(out / "signals.csv")

    # ---- links
    if world._links:
        L = [np.concatenate(x) for x in zip(*world._links)]
        lk = pl.DataFrame({"a": L[0], "b": L[1], "k": L[2].astype(np.int64)}).unique().sort(["a", "b", "k"])
        links = pl.DataFrame({
            "account_a": acc_ids.gather(lk["a"]),
            "account_b": acc_ids.gather(lk["b"]),
            "kind": pl.Series(["referral", "sub_account"]).gather(lk["k"]),
            "weight": pl.Series(np.where(lk["k"].to_numpy() == 1, 1.0, 0.5)),
        })
        links.write_parquet(out / "links.parquet")
    else:
        links = None

    # ---- labels
    la, ll, ls, ld = world.labels()
    lab = pl.DataFrame({
        "account_id": acc_ids.gather(pl.Series(la)),
        "label": ll,
        "source": ls.astype(str),
        "decided_at": pl.from_epoch(pl.Series(ld + 8 * HOUR), "s").dt.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
    }).sort("account_id")
    if labels:
        lab.write_csv(out / "labels.csv")

    # ---- truth
    gid = np.array([g["gid"] for g in world.groups] + [None], dtype=object)
    gkind = np.array([g["kind"] for g in world.groups] + ["organic"], dtype=object)
    gbad = np.array([g["bad"] for g in world.groups] + [False])
    gtier = np.array([g["tier"] for g in world.groups] + [None], dtype=object)
    gi = world.group
    truth = pl.DataFrame({
        "account_id": acc_ids,
        "is_bad": gbad[gi],
        "group_id": pl.Series(gid[gi].tolist(), dtype=pl.String),
        "group_kind": pl.Series(gkind[gi].tolist(), dtype=pl.String),
        "role": pl.Series(world.role.astype(str).tolist(), dtype=pl.String),
        "difficulty": pl.Series(gtier[gi].tolist(), dtype=pl.String),
    }).sort("account_id")
    truth.write_parquet(out / "truth.parquet")
    return dict(accounts=acc, events=events, signals=signals, links=links, labels=lab, truth=truth)


def report(t):
    truth, events, signals, labels, links = t["truth"], t["events"], t["signals"], t["labels"], t["links"]
    print(f"accounts {truth.height:,}  bad {int(truth['is_bad'].sum()):,} "
          f"({truth['is_bad'].mean():.1%})  events {events.height:,}  signals {signals.height:,}  "
          f"links {0 if links is None else links.height:,}  labels {labels.height:,}")
    print("\ngroups per kind:")
    g = (truth.filter(pl.col("group_id").is_not_null())
         .group_by(["group_kind", "group_id"]).agg(pl.len().alias("n"), pl.col("is_bad").first(),
                                                   pl.col("difficulty").first())
         .group_by("group_kind").agg(pl.col("is_bad").first(), pl.len().alias("groups"),
                                     pl.col("n").sum().alias("accounts"), pl.col("n").min().alias("min"),
                                     pl.col("n").median().alias("median"), pl.col("n").max().alias("max"),
                                     (pl.col("difficulty") == "blunt").sum().alias("blunt"),
                                     (pl.col("difficulty") == "medium").sum().alias("medium"),
                                     (pl.col("difficulty") == "careful").sum().alias("careful"))
         .sort(["is_bad", "accounts"], descending=True))
    with pl.Config(tbl_rows=60, tbl_cols=20, tbl_width_chars=200):
        print(g)
        print("\nroles:")
        print(truth.group_by(["group_kind", "role"]).len().sort(["group_kind", "role"]))
        per = events.group_by("account_id").len()
        q = per["len"].quantile
        print(f"\nevents per account: accounts with events {per.height:,} / {truth.height:,}; "
              f"mean {per['len'].mean():.1f} p50 {q(0.5):.0f} p90 {q(0.9):.0f} p99 {q(0.99):.0f} max {per['len'].max()}")
        ek = (events.join(truth.select("account_id", "group_kind"), on="account_id")
              .group_by("group_kind").agg(pl.len().alias("events"), pl.col("account_id").n_unique().alias("active"))
              .join(truth.group_by("group_kind").len(), on="group_kind")
              .with_columns((pl.col("events") / pl.col("len")).round(1).alias("per_account")).sort("events", descending=True))
        print(ek)
        print("\nactions:")
        print(events.group_by("action").agg(pl.len(), pl.col("target_id").n_unique().alias("targets")).sort("len", descending=True))
        print("\nidentifier sharing (accounts per value):")
        sh = (signals.group_by(["kind", "value"]).agg(pl.col("account_id").n_unique().alias("n"))
              .group_by("kind").agg(pl.len().alias("values"), (pl.col("n") >= 2).sum().alias("shared>=2"),
                                    (pl.col("n") >= 10).sum().alias(">=10"), (pl.col("n") >= 100).sum().alias(">=100"),
                                    pl.col("n").max().alias("max"), pl.col("n").quantile(0.999).alias("p99.9"))
              .sort("kind"))
        print(sh)
        print(f"signals with empty seen_at: {signals['seen_at'].null_count():,}")
        print("\nlabels:")
        lj = labels.join(truth, on="account_id", how="left")
        print(lj.group_by(["label", "is_bad"]).len().sort(["label", "is_bad"]))
        lg = lj.filter((pl.col("label") == 1) & pl.col("is_bad"))["group_id"].n_unique()
        nb = truth.filter(pl.col("is_bad"))["group_id"].n_unique()
        print(f"bad groups with a member labelled 1: {lg} / {nb}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--report", action="store_true")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    w = World(a.accounts, a.seed)
    w.build()
    t1 = time.perf_counter()
    tables = write(w, a.out, not a.no_labels)
    t2 = time.perf_counter()
    print(f"wrote {a.out} ({a.accounts:,} accounts, seed {a.seed}): build {t1 - t0:.1f}s, write {t2 - t1:.1f}s",
          file=sys.stderr)
    if a.report:
        report(tables)


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""A nineteenth marketplace generator: a buy-now-pay-later (BNPL) consumer-lending app.

    python benchmarks/nineteenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Written from DESIGN.md's data contract alone, by a helper who read no detection code, no tests
and no other generator. It writes

    accounts.parquet  account_id ("BN-" + 7 digits, a scrambled bijection of the row number),
                      created_at, account_type (consumer | merchant), country (US CA GB AU)
    events.parquet    account_id, action, target_id, ts, amount (extra column: money, else null)
    signals.csv       account_id, kind, value, seen_at (ISO-8601 "...Z"; ~0.1% empty: legacy
                      identifiers migrated without a first-seen time)
    labels.csv        account_id, label (0/1), source, labelled_at  (not with --no-labels)
    truth.parquet     account_id, is_bad, group_id, group_kind, role

The world. Accounts open between 2022-07 and 2024-09 (three times as many per day at the end as
at the start), in nine time zones; the export is taken on 2024-10-01 00:00 UTC and nothing
happens after it. ~2% of accounts are merchants; purchases target a merchant's account id
(Zipf popularity, 15% of merchants sell resellable goods: electronics, gift cards, travel).
Every purchase is pay-in-4: a quarter at checkout, then three instalments 14, 28 and 42 days
later, paid by the servicer's autopay batch (05:00-09:00 UTC on the due day), by hand, by
payroll deduction (employer programme, biweekly Fridays 09:00 local), or by a counselling
agency (weekly batches); a missed instalment writes `payment_missed` (and usually a late
`repay`). Actions: signup (target: channel app:ios / app:android / web / kiosk:S.. /
employer:E..), apply_credit and limit_increase (target: a product), login (platform), purchase,
repay, payment_missed (target: merchant), refund_issued (merchant -> buyer account id),
refund_received (buyer -> merchant), cash_advance and payout_request (target: a bank token
"BK-.."), redeem_referral (an account's code "RF.." or an influencer's vanity code),
password_reset, change_address ("AD-.." token), change_phone ("PH-.."), dispute,
merchant_login. Signal kinds: device, phone, email, email_domain, ip, address, payment (cards
and bank accounts alike) and employer (an employer-programme code); values are opaque 16-hex
digests. Honest accounts: lognormal purchase and login rates (~20 events per account on
average, heavy tail), a diurnal and weekly rhythm in local time, churn, a favourite merchant,
2.5% returns, 12% of them missing 5-30% of their instalments, 12% redeeming an earlier
customer's referral code; 1-3 devices, a home IP, mobile carrier IPs from four CGNAT pools
(each IP shared by a few dozen strangers), public Wi-Fi, second cards, moves; 1.2% report the
all-zero device id of a buggy SDK (one device value on ~240 accounts at 20k); 0.4% got a
recycled phone number that belonged to someone else (now and then to a fraudster).

BAD groups (is_bad=True; group_id "<kind>-NNN-<blunt|medium|careful>"; each kind's groups take
the three difficulty levels in turn; sizes 3-80):

  synthetic_identity  (role synthetic_id) made-up people built from a pool of addresses (one per
      4-7 accounts), phones each reused by 2-4 accounts, emails on one or two cheap private
      domains (medium/blunt; careful: public webmail). Opened over 1 week (blunt, in bursts) to
      4 months (careful), then aged 4-10 months with small purchases repaid on time by autopay and
      credit-limit increases (blunt: all on the same afternoon). Then the bust-out: 2-6 large
      purchases each at the ring's few resellable merchants within 2 (blunt) to 18 (careful) days,
      1-2 cash advances to a bank pool, and every instalment after it missed. Blunt: 2-3 devices
      and 2 IPs for the whole ring, 1-2 shared bank accounts; medium: device and IP pools of a
      few per account; careful: own device, a residential-proxy exit that is some honest
      customer's home line, own bank account; only the address pool, the reused phones, two
      cash-out accounts and an operator laptop seen on a quarter of them during the bust bind it.
  bustout_crew  (crew, colluding_merchant) first-party fraud recruited on a forum: real people
      with their own devices, phones, addresses and histories (15-55% opened just before the
      campaign). Within 3 / 8 / 24 days they all buy at the same 2-6 resellable merchants -- 60%
      of crews include a colluding merchant account of their own (two shares of the purchases) --
      and cash out to a pool of 1 / 2 / 4 bank accounts; blunt and medium recruits redeem the
      recruiter's referral code; blunt crews' merchant takes its payout on the pool account.
  application_farm  (farm_account) loan stacking from an emulator farm: 20-80 accounts opened in
      bursts (10-25 within 20 minutes; careful: 2-5 within hours, over 6 weeks) on the operator's
      clock, 2-4 credit products applied for within minutes, maxed out at resellable merchants
      within days, cash advances to 1-4 bank accounts, no instalment ever paid. Blunt: 2-4 device
      fingerprints, 4 datacenter IPs, SMS-activation numbers each on ~8 accounts, a disposable
      email domain, 3 drop addresses, shared cards; careful: a fresh device id and an own number
      per account, residential-proxy exits shared with honest home lines, own addresses; only
      the cash-out pool, the timing and the merchants bind it, 40% show a little organic use.
  merchant_collusion  (colluding_merchant, straw_buyer) a new merchant account and 4-28 straw
      buyers: 2-6 near-limit purchases each at the shop, 80% refunded within hours to 2-8 cards
      that were not used to pay (refund cards are shared across straws), then the plans default.
      Blunt: straws opened around the shop's opening, on the shop tablet and its Wi-Fi, two
      addresses, the shop's phone and payout account borrowed from a straw; careful: half are old
      bought accounts with histories, own everything, purchases over two months; a few honest
      customers buy at the shop too.
  money_mule  (mule) 3-22 people recruited by a job ad: refunds from 1-2 colluding merchants
      and 1-2 small merchants they never bought from, each paid out within hours to a bank pool
      (blunt 1 account, careful one per three mules); blunt mules redeem the handler's code and
      are logged into from the handler's device.
  account_takeover  (victim) old accounts (opened 6+ months earlier, honest histories): password
      reset, login from the attackers' devices (blunt 1-2 for the wave, careful one per three
      victims) and IPs (datacenter, or residential exits), shipping address moved to 2-8 drop
      addresses, phone changed to the attackers' (blunt/medium), 1-4 resellable purchases within
      two days, never repaid; 60% of owners file a dispute later. Waves last 1.5 / 6 / 24 days.
  referral_abuse  (ringleader, referee) 8-60 sign-ups redeeming the ringleader's code (medium and
      careful: a chain of codes), one tiny purchase each, then dormant; the ringleader cashes out
      the bonuses. Blunt: 1-3 factory-reset phones, 3-5 SMS numbers, 3 proxy exits, a disposable
      domain; careful: own device and number, one residential exit each.

BENIGN look-alikes (is_bad=False; group_id "<kind>-NNN"):

  household (2-6) one address and home IP, often one card, sometimes a joint bank account and a
      family tablet, a third opened within days of each other on the first member's code.
  roommates (2-5) strangers at one address and one home line, nothing else shared.
  family_phone (4-10) a younger relative opens the accounts of parents and grandparents over a
      holiday (Thanksgiving, Christmas, July 4th, Mother's Day) on one or two phones and their own
      handset and home IP: a burst of sign-ups sharing phone + device, as a farm would.
  student_housing (20-120) one dormitory street address, a dozen campus Wi-Fi IPs, all opened in
      the days after term starts, the same two or three campus merchants, referrals among them.
  employer_benefit (30-250) an employer's benefit programme: one employer code, the office's
      IPs, everyone onboarded in one work week -- a third in HR enrolment sessions on two HR
      laptops, twenty people within the hour -- and repayments by payroll deduction: 80% of the
      staff repay in the same twenty minutes every other Friday.
  store_kiosk (80-350) a retail store's sign-up tablet: strangers, one device and one Wi-Fi IP,
      sign-ups through store hours for months, each followed within minutes by a purchase at the
      store; afterwards their own phones.
  debt_counselling (12-60) an agency that takes over delinquent clients: on enrolment a staff
      member logs in from one of 2-4 office PCs and the office IP, 40% get the office phone, and
      from then on every instalment is paid from the office in a weekly batch, client after client
      150 s apart. Missed payments beforehand, shared devices, batch timing: a bust-out crew's
      outline. 45% of reviewed clients were charged off and labelled 1 (credit loss filed as
      fraud).
  influencer_referral (~5% of accounts per 20k, one group per 20k) a creator's vanity code: a
      thousand sign-ups, half within two days of the video, 60% buying at the promoted merchant.
  flash_sale_crowd (~9% of accounts per 20k) honest customers buying at one merchant within
      minutes of a sale's start (and repaying in the same autopay batches); truth gives the group
      only to participants who are in no other group.
  carrier_nat (2 per 20k, 600 each) and campus_network (1 per 20k, 500) strangers behind one
      carrier gateway (1-3 IPs) or a campus pool (10-25 IPs); otherwise ordinary.

Labels, as a risk team would have them: one label per account, ~6% of accounts. For each bad
group a review happens with probability 0.95 / 0.85 / 0.65 (blunt / medium / careful) and then
60-95% / 50-90% / 35-80% of its members are labelled 1 (~60% of all bad accounts); 2-8% of
the rest are wrongly cleared (0). Benign groups are reviewed at 3-8% (counselling clients 35%)
and mostly labelled 0, 4% labelled 1 (45% of counselling clients); 1.8% of lone accounts are
reviewed, 15% of those labelled 1 (first-party credit losses recorded as fraud). Sources:
chargeoff_fraud, ato_confirmed, fraud_review, promo_abuse, manual_review, kyc_review.

At 20,000 accounts, seed 1: 39 bad groups, 1,170 bad accounts (5.9%) -- synthetic_identity 8
groups / 319 accounts, application_farm 5 / 296, account_takeover 5 / 226, bustout_crew 6 / 116,
referral_abuse 5 / 111, money_mule 5 / 53, merchant_collusion 5 / 49 -- and 69 benign groups:
household 33 / 93, roommates 10 / 35, family_phone 6 / 37, student_housing 3 / 170,
employer_benefit 3 / 463, store_kiosk 2 / 251, debt_counselling 2 / 46, influencer_referral 1 /
1,001, flash_sale_crowd 1 / 1,352, carrier_nat 2 / 1,200, campus_network 1 / 500; 413k events
(20.6 per account), 209k signals, 1,095 labels. Group counts scale with --accounts (at least one
of each kind); sizes stay. Lone accounts are group_kind "organic" with a null group_id (merchants:
role "merchant"). Deterministic: one numpy Generator; the same --accounts and --seed give
byte-identical files. 20k accounts take ~1 s, 100k ~4 s (2 cores). Fewer than 2,000 accounts is
refused (the planted groups need room).
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import polars as pl

# --------------------------------------------------------------------------- time
DAY, HOUR, MIN = 86_400, 3_600, 60


def utc(y: int, m: int, d: int) -> int:
    return int(datetime(y, m, d, tzinfo=timezone.utc).timestamp())


T_START = utc(2022, 7, 1)      # the oldest consumer accounts
T_END = utc(2024, 10, 1)       # export time: nothing happens at or after it
TERM_STARTS = [utc(2022, 8, 22), utc(2023, 1, 9), utc(2023, 8, 21), utc(2024, 1, 8), utc(2024, 8, 19)]
FAMILY_DAYS = [utc(2022, 11, 24), utc(2022, 12, 25), utc(2023, 11, 23), utc(2023, 12, 25),
               utc(2024, 7, 4), utc(2024, 5, 12)]

# local-hour profiles (index 0 = 00:00 local) and weekday weights (Mon..Sun)
_DIURNAL = np.array([.5, .3, .2, .15, .15, .25, .6, 1., 1.3, 1.5, 1.6, 1.7,
                     1.9, 1.8, 1.7, 1.7, 1.8, 2., 2.3, 2.5, 2.6, 2.3, 1.7, 1.])
_STORE = np.array([0] * 10 + [1., 1.2, 1.5, 1.5, 1.4, 1.4, 1.6, 1.8, 1.6, 1.2] + [0] * 4, float)
_OFFICE = np.array([0] * 8 + [.6, 1.5, 1.6, 1.4, .8, 1.3, 1.5, 1.4, 1.0, .4] + [0] * 6, float)
_OPERATOR = np.roll(_DIURNAL, 3)       # farm / crew operators keep their own clock
CDF = {k: np.cumsum(v) / v.sum() for k, v in
       dict(diurnal=_DIURNAL, store=_STORE, office=_OFFICE, operator=_OPERATOR).items()}
WEEK = np.array([.9, .9, .95, 1., 1.1, 1.25, 1.15])
WORKWEEK = np.array([1., 1., 1., 1., 1., .02, .02])

# country, UTC offset (hours), weight
TZS = [("US", -5, .30), ("US", -6, .20), ("US", -7, .07), ("US", -8, .15), ("CA", -5, .05),
       ("CA", -8, .03), ("GB", 0, .10), ("AU", 10, .07), ("AU", 8, .03)]
TZ_P = np.array([t[2] for t in TZS]) / sum(t[2] for t in TZS)

SIG_KINDS = ["device", "phone", "email", "email_domain", "ip", "address", "payment", "employer"]
SK = {k: i for i, k in enumerate(SIG_KINDS)}
ACTIONS = ["signup", "apply_credit", "limit_increase", "login", "purchase", "repay",
           "payment_missed", "refund_issued", "refund_received", "cash_advance",
           "redeem_referral", "password_reset", "change_address", "change_phone", "dispute",
           "merchant_login", "payout_request"]
AK = {a: i for i, a in enumerate(ACTIONS)}
TT_ACC, TT_LIT, TT_REF, TT_BANK, TT_ADDR, TT_PHONE = range(6)
PRODUCTS = ["PAYIN4", "LINE-STARTER", "LINE-PLUS", "LINE-MAX"]
LVL = ["blunt", "medium", "careful"]
N_PUBLIC_DOMAINS = 30
VANITY = ["MAYASAVES", "GLOWWITHJO", "DEALDADDY", "KAYLEEFINDS", "THRIFTQUEEN", "TECHTOMMY",
          "STYLEBYNIA", "COUPONKAT", "FRUGALFRED", "LUXEONLESS"]

U64 = np.uint64


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (uint64 wrap-around is intended)."""
    z = x.astype(U64) + U64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> U64(30))) * U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> U64(27))) * U64(0x94D049BB133111EB)
    return z ^ (z >> U64(31))


def hexes(keys: np.ndarray, salt: int, nchar: int = 16) -> np.ndarray:
    """Opaque lower-case hex digests of integer keys (nchar <= 16)."""
    h = mix64(keys.astype(U64) ^ U64(salt))
    raw = np.frombuffer(h.astype(">u8").tobytes().hex().encode("ascii"), dtype="S1")
    raw = np.ascontiguousarray(raw.reshape(-1, 16)[:, :nchar])
    return raw.view(f"S{nchar}").ravel().astype(f"U{nchar}")


class Gen:
    # ------------------------------------------------------------------ set-up
    def __init__(self, n: int, seed: int):
        self.N, self.seed = n, seed
        self.rng = rng = np.random.default_rng(seed)
        self.salt = int(mix64(np.array([seed * 7919 + 11], U64))[0])
        self.E: list[tuple] = []          # event chunks
        self.S: list[tuple] = []          # signal chunks
        self.lits: dict[str, int] = {}
        self.next_id = {k: 1000 for k in SIG_KINDS}
        self.groups: list[dict] = []
        self.kind_count: dict[str, int] = {}
        self.roles = ["customer", "merchant"]

        M = self.M = max(40, int(round(n * 0.02)))
        self.cursor = M
        self.cap = int(n * 0.72)           # fresh group members come from [M, cap)
        # accounts
        self.is_merchant = np.zeros(n, bool)
        self.is_merchant[:M] = True
        x = rng.random(n)                   # growth: density rises threefold over the window
        a, b = 1.0, 2.0
        u = (-a + np.sqrt(a * a + 2 * b * x * (a + b / 2))) / b
        span = T_END - 2 * DAY - T_START
        self.tzi = rng.choice(len(TZS), n, p=TZ_P)
        self.tz = np.array([t[1] for t in TZS])[self.tzi] * HOUR
        self.created = self.times(T_START + (u * span).astype(np.int64) - 12 * HOUR,
                                  T_START + (u * span).astype(np.int64) + 12 * HOUR, self.tz)
        self.created = np.clip(self.created, T_START, T_END - DAY)
        self.created[:M] = rng.integers(utc(2021, 3, 1), T_START - 20 * DAY, M)
        self.platform = rng.choice(3, n, p=[.45, .4, .15])
        # behaviour parameters (groups override)
        self.rate = np.exp(rng.normal(np.log(0.24), 0.9, n))        # purchases / 30 days
        self.login_rate = np.exp(rng.normal(np.log(0.4), 0.8, n))   # logins / 30 days
        churn = self.created + (rng.exponential(320, n) * DAY).astype(np.int64)
        self.stop_active = np.where(rng.random(n) < 0.35, T_END, np.minimum(churn, T_END))
        self.pay_stop = np.full(n, T_END + 400 * DAY, np.int64)
        self.miss_p = np.where(rng.random(n) < 0.12, rng.uniform(0.05, 0.3, n), 0.005)
        self.repay_mode = np.where(rng.random(n) < 0.55, 0, 1)      # 0 autopay, 1 manual, 2 payroll
        self.pay_phase = np.zeros(n, np.int64)
        self.agency_start = np.full(n, T_END * 2, np.int64)
        self.agency_phase = np.zeros(n, np.int64)
        self.agency_slot = np.zeros(n, np.int64)
        pop = 1.0 / (np.arange(M) + 3.0) ** 1.1
        self.mpop = pop[rng.permutation(M)]
        self.mpop /= self.mpop.sum()
        self.resell = rng.random(M) < 0.15
        self.fav = rng.choice(M, n, p=self.mpop)
        self.organic_on = ~self.is_merchant.copy()
        self.apply_default = ~self.is_merchant.copy()
        self.ref_ok = ~self.is_merchant.copy()
        plat_ch = np.array([self.lit("app:ios"), self.lit("app:android"), self.lit("web")])
        self.channel = plat_ch[self.platform]
        # identities: one of each per account, overridden by groups
        self.dev1 = self.new("device", n)
        self.dev1[(rng.random(n) < 0.012) & ~self.is_merchant] = 0    # SDK bug: all-zero device id
        self.phone1 = self.new("phone", n)
        self.email1 = self.new("email", n)
        pub = 1.0 / (np.arange(N_PUBLIC_DOMAINS) + 1.0) ** 1.3
        self.edom = rng.choice(N_PUBLIC_DOMAINS, n, p=pub / pub.sum()).astype(np.int64)
        rare = rng.random(n) < 0.08
        small_doms = self.new("email_domain", max(20, n // 40))
        self.edom[rare] = small_doms[rng.integers(0, small_doms.size, rare.sum())]
        self.edom[:M] = self.new("email_domain", M)                  # merchants' own domains
        self.home_ip = self.new("ip", n)
        self.addr1 = self.new("address", n)
        self.card1 = np.where(self.is_merchant, -1, self.new("payment", n))
        self.bank1 = np.where((rng.random(n) < 0.65) | self.is_merchant, self.new("payment", n), -1)
        self.ext = {k: np.ones(n, bool) for k in ("dev", "phone", "ip", "addr", "pay")}
        # carrier and wifi pools used by the default identity
        self.carrier_pools = [self.new("ip", max(20, n // 60)) for _ in range(4)]
        self.wifi_pool = self.new("ip", max(20, n // 80))
        # truth
        self.gidx = np.full(n, -1, np.int64)
        self.role = np.where(self.is_merchant, 1, 0).astype(np.int16)
        self.bad = np.zeros(n, bool)

    # ------------------------------------------------------------------ helpers
    def lit(self, s: str) -> int:
        if s not in self.lits:
            self.lits[s] = len(self.lits)
        return self.lits[s]

    def new(self, kind: str, k: int) -> np.ndarray:
        a = self.next_id[kind]
        self.next_id[kind] = a + k
        return np.arange(a, a + k, dtype=np.int64)

    def alloc(self, k: int) -> np.ndarray:
        k = int(max(1, min(k, self.cap - self.cursor)))
        if self.cursor + k > self.cap:
            raise RuntimeError("population too small for the planted groups")
        m = np.arange(self.cursor, self.cursor + k)
        self.cursor += k
        return m

    def size(self, lo: int, hi: int, med: float) -> int:
        hi = max(lo, min(hi, int(self.N * 0.02)))
        v = int(round(np.exp(self.rng.normal(np.log(med), 0.55))))
        return int(np.clip(v, lo, hi))

    def role_id(self, r: str) -> int:
        if r not in self.roles:
            self.roles.append(r)
        return self.roles.index(r)

    def reg(self, kind: str, bad: bool, lvl: int | None, members, role, only_lone=False):
        k = self.kind_count.get(kind, 0) + 1
        self.kind_count[kind] = k
        gid = f"{kind}-{k:03d}" + (f"-{LVL[lvl]}" if lvl is not None else "")
        members = np.asarray(members, np.int64)
        roles = np.broadcast_to(np.asarray(role, object), members.shape)
        if only_lone:
            keep = self.gidx[members] < 0
            members, roles = members[keep], roles[keep]
        self.gidx[members] = len(self.groups)
        for r in np.unique(roles.astype(str)):
            self.role[members[roles == r]] = self.role_id(r)
        self.bad[members] = bad
        self.groups.append(dict(gid=gid, kind=kind, bad=bad, lvl=lvl, members=members))
        return gid

    def set_tz(self, m, ci=None):
        ci = int(self.rng.choice(6, p=TZ_P[:6] / TZ_P[:6].sum())) if ci is None else ci
        self.tzi[m] = ci
        self.tz[m] = TZS[ci][1] * HOUR
        return self.tz[m]

    def times(self, start, stop, tz, prof="diurnal", week=WEEK):
        """Times in [start, stop) (arrays or scalars) that follow a local-hour profile and a
        weekday profile where the span allows (spans under a day are uniform)."""
        rng = self.rng
        start, stop, tz = np.broadcast_arrays(np.asarray(start, np.int64), np.asarray(stop, np.int64),
                                              np.asarray(tz, np.int64))
        start, tz = start.ravel().copy(), tz.ravel()
        stop = np.maximum(stop.ravel(), start + 1)
        n, span = start.size, stop - start
        u = start + (rng.random(n) * span).astype(np.int64)
        if week is not None:
            for _ in range(2):
                dow = ((u + tz) // DAY + 3) % 7
                rej = rng.random(n) * week.max() > week[dow]
                u[rej] = start[rej] + (rng.random(rej.sum()) * span[rej]).astype(np.int64)
        hour = np.searchsorted(CDF[prof], rng.random(n), side="right")
        t = ((u + tz) // DAY) * DAY + hour * HOUR + rng.integers(0, HOUR, n) - tz
        return np.where((t >= start) & (t < stop), t, u)

    def ev(self, acc, act, tt, tv, ts, amt=None):
        acc, tv, ts = np.broadcast_arrays(np.asarray(acc, np.int64), np.asarray(tv, np.int64),
                                          np.asarray(ts, np.int64))
        acc, tv, ts = acc.ravel(), tv.ravel(), ts.ravel()
        amt = np.full(acc.size, np.nan) if amt is None else \
            np.broadcast_to(np.asarray(amt, float), acc.shape).ravel()
        k = ts < T_END
        self.E.append((acc[k], np.full(k.sum(), AK[act], np.int8), np.full(k.sum(), tt, np.int8),
                       tv[k], ts[k], amt[k]))

    def sig(self, acc, kind, val, seen):
        acc, val, seen = np.broadcast_arrays(np.asarray(acc, np.int64), np.asarray(val, np.int64),
                                             np.asarray(seen, np.int64))
        seen = np.minimum(seen.ravel(), T_END - 1)
        self.S.append((acc.ravel(), np.full(acc.size, SK[kind], np.int8), val.ravel(), seen))

    def pick_merchants(self, k: int, resell: bool | None = None, small=False) -> np.ndarray:
        ok = np.ones(self.M, bool) if resell is None else (self.resell == resell)
        p = np.where(ok, self.mpop if not small else 1.0 / self.mpop, 0.0)
        k = min(k, int(ok.sum()))
        return self.rng.choice(self.M, k, replace=False, p=p / p.sum())

    def proxy_ips(self, k: int) -> np.ndarray:
        """Residential proxy exits: home lines of honest accounts (SDK proxies / infected routers)."""
        return self.home_ip[self.rng.integers(int(self.N * 0.75), self.N, k)]

    def pool(self, kind: str, k: int, n: int) -> np.ndarray:
        """n draws from a fresh pool of k identifiers of `kind`."""
        p = self.new(kind, max(1, k))
        return p[self.rng.integers(0, p.size, n)]

    def buy(self, acc, ts, merch, amt):
        """A pay-in-4 purchase: the first quarter at checkout, three instalments every 14 days,
        paid by autopay batch, by hand, by payroll deduction or by a counselling agency."""
        rng = self.rng
        acc, ts, merch, amt = np.broadcast_arrays(np.asarray(acc, np.int64), np.asarray(ts, np.int64),
                                                  np.asarray(merch, np.int64), np.asarray(amt, float))
        acc, ts, merch, amt = acc.ravel(), ts.ravel(), merch.ravel(), amt.ravel()
        self.ev(acc, "purchase", TT_ACC, merch, ts, np.round(amt, 2))
        n3 = acc.size * 3
        a3, m3, p3 = np.repeat(acc, 3), np.repeat(merch, 3), np.repeat(np.round(amt / 4, 2), 3)
        due = np.repeat(ts, 3) + np.tile(np.array([14, 28, 42]) * DAY, acc.size)
        ag = due >= self.agency_start[a3]
        mode = np.where(ag, 3, self.repay_mode[a3])
        t = due - rng.integers(0, 2 * DAY, n3)
        auto = (due // DAY) * DAY + 5 * HOUR + rng.integers(0, 4 * HOUR, n3)
        t = np.where(mode == 0, auto, t)
        ph = self.pay_phase[a3]
        payroll = ph + -(-(due - ph) // (14 * DAY)) * 14 * DAY + rng.integers(0, 20 * MIN, n3)
        t = np.where(mode == 2, payroll, t)
        ph = self.agency_phase[a3]
        agency = ph + -(-(due - 2 * DAY - ph) // (7 * DAY)) * 7 * DAY + self.agency_slot[a3] * 150 \
            + rng.integers(0, 90, n3)
        t = np.where(mode == 3, agency, t)
        stop = self.pay_stop[a3]
        missed = (rng.random(n3) < np.where(ag, 0.02, self.miss_p[a3])) | (due > stop)
        late = missed & (due <= stop) & (rng.random(n3) < 0.8)
        tl = due + rng.integers(3, 25, n3) * DAY + rng.integers(0, DAY, n3)
        ok = ~missed
        self.ev(a3[ok], "repay", TT_ACC, m3[ok], t[ok], p3[ok])
        self.ev(a3[missed], "payment_missed", TT_ACC, m3[missed], due[missed] + DAY + 10 * HOUR, p3[missed])
        self.ev(a3[late], "repay", TT_ACC, m3[late], tl[late], p3[late])
        agl = ok & (mode == 3)
        self.ev(a3[agl], "login", TT_LIT, self.lit("web"), t[agl] - rng.integers(20, 90, agl.sum()))

    # ================================================================== bad kinds
    def k_synthetic(self, lvl: int):
        """Synthetic identities: a pool of addresses and phones mixed and matched, aged quietly,
        then a bust-out within days."""
        rng = self.rng
        s = self.size(6, 75, 30)
        m = self.alloc(s)
        s = m.size
        tb = int(rng.integers(T_END - 170 * DAY, T_END - 25 * DAY))
        aging = int(rng.integers(120, 300)) * DAY
        spread = [8, 50, 130][lvl] * DAY
        c0 = tb - aging - spread
        tz = self.set_tz(m)
        if lvl == 0:
            nb = int(rng.integers(2, 5))
            centers = c0 + rng.integers(0, spread, nb)
            self.created[m] = centers[rng.integers(0, nb, s)] + rng.integers(0, 4 * HOUR, s)
        else:
            self.created[m] = self.times(c0, c0 + spread, tz)
        cr = self.created[m]
        self.addr1[m] = self.pool("address", max(1, s // [7, 5, 4][lvl]), s)
        r = int(rng.integers(2, 5))
        ph = self.new("phone", -(-s // r))
        self.phone1[m] = ph[rng.permutation(s) % ph.size]
        if lvl < 2:
            pick = rng.random(s) < (1.0 if lvl == 0 else 0.7)
            self.edom[m[pick]] = self.pool("email_domain", 1 + lvl, int(pick.sum()))
        w = [2, 6, 18][lvl] * DAY
        if lvl == 0:
            devs = self.new("device", int(rng.integers(2, 4)))
            self.dev1[m] = devs[rng.integers(0, devs.size, s)]
            self.sig(m, "device", devs[rng.integers(0, devs.size, s)], cr + rng.integers(DAY, aging, s))
            ips = self.new("ip", 2)
            self.home_ip[m] = ips[0]
            self.sig(m, "ip", ips[1], cr + rng.integers(HOUR, aging, s))
            banks = self.pool("payment", int(rng.integers(1, 3)), s)
            self.bank1[m] = banks
            cash = np.unique(banks)
        elif lvl == 1:
            self.dev1[m] = self.pool("device", max(2, s // 4), s)
            ips = self.new("ip", 10)
            self.home_ip[m] = ips[rng.integers(0, 10, s)]
            self.sig(np.repeat(m, 2), "ip", ips[rng.integers(0, 10, 2 * s)],
                     np.repeat(cr, 2) + rng.integers(DAY, aging, 2 * s))
            self.bank1[m] = self.pool("payment", max(1, s // 3), s)
            cash = self.new("payment", 2)
        else:
            ops = self.new("device", 2)
            tp = m[rng.random(s) < 0.25]
            self.sig(tp, "device", ops[rng.integers(0, 2, tp.size)], tb + rng.integers(0, w, tp.size))
            self.home_ip[m] = self.proxy_ips(s)
            self.bank1[m] = self.new("payment", s)
            cash = self.new("payment", 2)
        self.ext["dev"][m] = self.ext["ip"][m] = lvl == 2
        self.ext["pay"][m] = self.ext["addr"][m] = self.ext["phone"][m] = False
        self.repay_mode[m], self.miss_p[m] = 0, 0.0
        self.rate[m] = rng.uniform(0.5, 1.1, s)
        self.stop_active[m] = tb
        self.pay_stop[m] = tb
        # credit-limit increases while ageing: together (blunt) or each on its own day
        for j in range(int(rng.integers(2, 4))):
            at = tb - aging + (j + 1) * aging // 4
            ts = at + rng.integers(0, 3 * HOUR, s) if lvl == 0 else at + rng.integers(-20 * DAY, 20 * DAY, s)
            self.ev(m, "limit_increase", TT_LIT, self.lit(PRODUCTS[min(j + 1, 3)]), np.maximum(ts, cr + DAY))
        # bust-out
        merch = self.pick_merchants([2, 4, 7][lvl], resell=True)
        k = rng.integers(2, 7, s)
        a = np.repeat(m, k)
        ts = self.times(tb, tb + w, self.tz[a], week=None)
        self.buy(a, ts, merch[rng.integers(0, merch.size, a.size)], rng.uniform(250, 1500, a.size))
        self.ev(a, "login", TT_LIT, self.lit("web"), ts - rng.integers(60, 900, a.size))
        c = np.repeat(m, rng.integers(1, 3, s))
        tc = self.times(tb, tb + w + DAY, self.tz[c], week=None)
        bk = cash[rng.integers(0, cash.size, c.size)]
        self.ev(c, "cash_advance", TT_BANK, bk, tc, rng.uniform(200, 900, c.size).round(2))
        self.sig(c, "payment", bk, tc - 120)
        self.ref_ok[m] = rng.random(s) < 0.5
        self.reg("synthetic_identity", True, lvl, m, "synthetic_id")

    def k_bustout(self, lvl: int):
        """First-party bust-out crew recruited on a forum: real people, own identities; the same
        few merchants within days and one cash-out bank pool."""
        rng = self.rng
        s = self.size(5, 45, 22)
        m = self.alloc(s)
        s = m.size
        tc = int(rng.integers(T_END - 220 * DAY, T_END - 20 * DAY))
        w = [3, 8, 24][lvl] * DAY
        fresh = rng.random(s) < [0.55, 0.3, 0.15][lvl]
        self.created[m] = np.where(fresh, tc - rng.integers(2 * DAY, 21 * DAY, s),
                                   rng.integers(T_START, tc - 60 * DAY, s))
        self.set_tz(m[rng.random(s) < 0.6])
        members = [m]
        merch = self.pick_merchants([2, 3, 5][lvl] + int(rng.integers(0, 2)), resell=True)
        if rng.random() < 0.6:                          # a colluding merchant in the crew
            cm = self.alloc(1)
            self.is_merchant[cm] = True
            self.organic_on[cm] = self.apply_default[cm] = self.ref_ok[cm] = False
            self.created[cm] = tc - rng.integers(30, 120) * DAY
            self.card1[cm] = -1
            self.edom[cm] = self.new("email_domain", 1)
            merch = np.concatenate([merch, cm, cm])
            nl = int(rng.integers(15, 60))
            self.ev(np.repeat(cm, nl), "merchant_login", TT_LIT, self.lit("portal"),
                    self.times(np.full(nl, self.created[cm][0]), T_END, self.tz[cm][0]))
            members.append(cm)
        k = rng.integers(2, 6, s)
        a = np.repeat(m, k)
        ts = self.times(tc, tc + w, self.tz[a], week=None)
        self.buy(a, ts, merch[rng.integers(0, merch.size, a.size)], rng.uniform(200, 1400, a.size))
        cash = self.new("payment", [1, 2, 4][lvl])
        use = rng.random(s) < [1.0, 0.85, 0.6][lvl]
        c = np.repeat(m[use], rng.integers(1, 3, use.sum()))
        tcs = self.times(tc, tc + w + 2 * DAY, self.tz[c], week=None)
        bk = cash[rng.integers(0, cash.size, c.size)]
        self.ev(c, "cash_advance", TT_BANK, bk, tcs, rng.uniform(150, 800, c.size).round(2))
        self.sig(c, "payment", bk, tcs - 300)
        if len(members) > 1 and lvl == 0:
            self.bank1[members[1]] = cash[0]            # the merchant's payout account is the pool
        if lvl < 2:                                      # recruiter's referral code
            rec = m[np.argmin(self.created[m])]
            r = m[fresh & (rng.random(s) < [0.7, 0.35][lvl]) & (m != rec)]
            self.ev(r, "redeem_referral", TT_REF, rec, self.created[r] + rng.integers(60, 900, r.size))
            self.ref_ok[r] = False
        self.pay_stop[m] = tc
        self.stop_active[m] = np.where(self.created[m] < tc, tc + w, self.stop_active[m])
        self.rate[m[fresh]] = 0.2
        gid = self.reg("bustout_crew", True, lvl, np.concatenate(members),
                       ["crew"] * s + ["colluding_merchant"] * (len(members) - 1))
        return gid

    def k_farm(self, lvl: int):
        """Application / loan-stacking farm: emulators, proxies, SMS numbers, created in bursts,
        several credit products per identity, maxed out within days."""
        rng = self.rng
        s = self.size(20, 80, 55)
        m = self.alloc(s)
        s = m.size
        t0 = int(rng.integers(T_START + 120 * DAY, T_END - 40 * DAY))
        bsize = [(10, 26), (5, 13), (2, 6)][lvl]
        bw = [20 * MIN, 2 * HOUR, 6 * HOUR][lvl]
        spread = [5, 18, 40][lvl] * DAY
        bid, nb = [], 0
        while sum(len(b) for b in bid) < s:
            bid.append([nb] * int(rng.integers(*bsize)))
            nb += 1
        bid = np.concatenate(bid)[:s]
        centers = self.times(np.full(nb, t0), t0 + spread, np.full(nb, 7 * HOUR), prof="operator")
        self.created[m] = np.minimum(centers[bid] + rng.integers(0, bw, s), T_END - 3 * DAY)
        self.set_tz(m, 0)
        cr = self.created[m]
        self.dev1[m] = self.pool("device", int(rng.integers(2, 5)), s) if lvl == 0 else \
            self.pool("device", int(rng.integers(6, 11)), s) if lvl == 1 else self.new("device", s)
        self.home_ip[m] = self.pool("ip", [4, 12][lvl], s) if lvl < 2 else self.proxy_ips(s)
        self.phone1[m] = self.pool("phone", max(2, s // [8, 3][lvl]), s) if lvl < 2 else self.new("phone", s)
        if lvl < 2:
            self.edom[m] = self.pool("email_domain", 1, s)
            self.addr1[m] = self.pool("address", [3, 7][lvl], s)
            self.card1[m] = self.pool("payment", max(2, s // [5, 2][lvl]), s)
        self.bank1[m] = -1
        for k in self.ext:
            self.ext[k][m] = False
        self.organic_on[m] = False
        self.apply_default[m] = False
        self.ref_ok[m] = False
        self.channel[m] = self.lit("web") if lvl == 0 else self.lit("app:android")
        # stacking: 2-4 products within minutes
        k = rng.integers(2, 5, s)
        a = np.repeat(m, k)
        prod = np.array([self.lit(p) for p in PRODUCTS])
        self.ev(a, "apply_credit", TT_LIT, prod[rng.integers(0, 4, a.size)],
                np.repeat(cr, k) + rng.integers(60, 15 * MIN, a.size))
        merch = self.pick_merchants([3, 4, 6][lvl], resell=True)
        k = rng.integers(2, 5, s)
        a = np.repeat(m, k)
        ts = np.repeat(cr, k) + rng.integers(2 * HOUR, [2, 4, 6][lvl] * DAY, a.size)
        self.pay_stop[m] = cr + DAY
        self.buy(a, ts, merch[rng.integers(0, merch.size, a.size)], rng.uniform(150, 900, a.size))
        cash = self.new("payment", [1, 2, 4][lvl])
        bk = cash[rng.integers(0, cash.size, s)]
        tcs = cr + rng.integers(6 * HOUR, 3 * DAY, s)
        self.ev(m, "cash_advance", TT_BANK, bk, tcs, rng.uniform(200, 700, s).round(2))
        self.sig(m, "payment", bk, tcs - 60)
        nl = rng.integers(3, 9, s)
        a = np.repeat(m, nl)
        self.ev(a, "login", TT_LIT, self.channel[a], np.repeat(cr, nl) + rng.integers(MIN, 10 * DAY, a.size))
        if lvl == 2:    # a sliver of organic-looking use
            self.organic_on[m] = rng.random(s) < 0.4
            self.rate[m], self.stop_active[m] = 0.3, np.minimum(cr + 40 * DAY, T_END)
        self.reg("application_farm", True, lvl, m, "farm_account")

    def k_collusion(self, lvl: int):
        """A colluding merchant and its straw buyers: fake purchases refunded to other cards."""
        rng = self.rng
        s = self.size(4, 28, 14)
        mm = self.alloc(1)
        m = self.alloc(s)
        s = m.size
        self.is_merchant[mm] = True
        self.organic_on[mm] = self.apply_default[mm] = self.ref_ok[mm] = False
        self.card1[mm] = -1
        self.edom[mm] = self.new("email_domain", 1)
        tm = int(rng.integers(T_START + 120 * DAY, T_END - 130 * DAY))
        self.created[mm] = tm
        top = tm + int(rng.integers(10, 40)) * DAY
        w = [5, 21, 60][lvl] * DAY
        tz = self.set_tz(np.concatenate([mm, m]))[1:]
        if lvl == 0:
            self.created[m] = tm + rng.integers(-3 * DAY, 6 * DAY, s) // HOUR * HOUR + rng.integers(0, 40 * MIN, s)
        elif lvl == 1:
            self.created[m] = self.times(tm - 40 * DAY, top - 2 * DAY, tz)
        else:
            old = rng.random(s) < 0.5
            self.created[m] = np.where(old, rng.integers(T_START, tm - 90 * DAY, s),
                                       self.times(tm - 90 * DAY, top - 3 * DAY, tz))
        if lvl == 0:
            devs = self.new("device", int(rng.integers(1, 4)))
            self.dev1[m] = devs[rng.integers(0, devs.size, s)]
            self.dev1[mm] = devs[0]                       # the shop tablet
            self.home_ip[m] = self.home_ip[mm]
            self.addr1[m] = self.pool("address", 2, s)
            self.phone1[mm] = self.phone1[m[0]]
            self.bank1[mm] = self.bank1[m[0]] if self.bank1[m[0]] >= 0 else self.bank1[mm]
        elif lvl == 1:
            self.dev1[m] = self.pool("device", max(2, s // 3), s)
            ips = self.new("ip", 3)
            self.sig(m, "ip", ips[rng.integers(0, 3, s)], top + rng.integers(0, w, s))
        k = rng.integers(2, 7, s)
        a = np.repeat(m, k)
        ts = self.times(top, top + w, self.tz[a], week=None)
        amt = rng.uniform(300, 1200, a.size)
        self.buy(a, ts, mm[0], amt)
        ref = rng.random(a.size) < 0.8
        tr = ts[ref] + rng.integers(2 * HOUR, 3 * DAY, ref.sum())
        self.ev(mm[0], "refund_issued", TT_ACC, a[ref], tr, amt[ref].round(2))
        self.ev(a[ref], "refund_received", TT_ACC, mm[0], tr + rng.integers(1, 30, ref.sum()), amt[ref].round(2))
        cards = self.new("payment", int(rng.integers(2, 5)) + lvl * 2)
        cd = cards[rng.integers(0, cards.size, ref.sum())]
        self.sig(a[ref], "payment", cd, tr)
        self.pay_stop[m] = top
        self.stop_active[m] = np.minimum(self.stop_active[m], top + w)
        self.rate[m] = [0.15, 0.3, 0.45][lvl] if lvl < 2 else self.rate[m]
        nl = int(rng.integers(30, 90))
        self.ev(np.repeat(mm, nl), "merchant_login", TT_LIT, self.lit("portal"),
                self.times(np.full(nl, tm), T_END, self.tz[mm][0]))
        # a few honest buyers give the shop cover
        cov = rng.integers(int(self.N * 0.75), self.N, int(rng.integers(5, 30)))
        tcv = self.times(np.maximum(self.created[cov], tm), np.maximum(self.created[cov], tm) + 120 * DAY,
                         self.tz[cov])
        self.buy(cov, tcv, mm[0], rng.uniform(20, 200, cov.size))
        self.collusive_merchants.append(int(mm[0]))
        self.reg("merchant_collusion", True, lvl, np.concatenate([mm, m]),
                 ["colluding_merchant"] + ["straw_buyer"] * s)

    def k_mule(self, lvl: int):
        """Money mules: refunds from a few merchants they never bought from, paid out to a shared
        bank pool within hours."""
        rng = self.rng
        s = self.size(3, 22, 10)
        m = self.alloc(s)
        s = m.size
        src = list(self.rng.permutation(self.collusive_merchants))[:int(rng.integers(1, 3))]
        src = np.array(src + list(self.pick_merchants(int(rng.integers(1, 3)), small=True)), np.int64)
        lo = max(T_START + 150 * DAY, int(self.created[src].max()) + 20 * DAY)
        tm = int(rng.integers(lo, max(lo + DAY, T_END - 25 * DAY)))
        w = [4, 14, 45][lvl] * DAY
        tz = self.set_tz(m)
        self.created[m] = self.times(tm - [16, 90, 220][lvl] * DAY, tm - 5 * DAY, tz)
        k = rng.integers(2, 9, s)
        a = np.repeat(m, k)
        tr = self.times(tm, tm + w, self.tz[a], week=None)
        amt = rng.uniform(100, 900, a.size).round(2)
        sm = src[rng.integers(0, src.size, a.size)]
        self.ev(sm, "refund_issued", TT_ACC, a, tr, amt)
        self.ev(a, "refund_received", TT_ACC, sm, tr + rng.integers(1, 60, a.size), amt)
        banks = self.new("payment", [1, 3, max(2, s // 3)][lvl])
        bk = banks[rng.integers(0, banks.size, a.size)]
        tp = tr + rng.integers(HOUR, 10 * HOUR, a.size)
        self.ev(a, "payout_request", TT_BANK, bk, tp, amt)
        self.sig(a, "payment", bk, tp - 60)
        if lvl < 2:
            h = m[0]
            r = m[1:][rng.random(s - 1) < [0.75, 0.35][lvl]]
            self.ev(r, "redeem_referral", TT_REF, h, self.created[r] + rng.integers(60, 600, r.size))
            self.ref_ok[r] = False
        if lvl == 0:
            hd = self.new("device", 1)
            self.sig(m, "device", hd, tm + rng.integers(0, w, s))
            self.ev(m, "login", TT_LIT, self.lit("web"), tm + rng.integers(0, w, s))
        self.reg("money_mule", True, lvl, m, "mule")

    def k_takeover(self, lvl: int):
        """A takeover wave: old accounts reset, logged into from the attackers' devices, shipping
        address moved to drops, resellable goods bought within hours."""
        rng = self.rng
        s = self.size(8, 80, 40)
        m = self.alloc(s)
        s = m.size
        tw = int(rng.integers(T_START + 300 * DAY, T_END - 10 * DAY))
        w = int([1.5, 6, 24][lvl] * DAY)
        self.created[m] = rng.integers(T_START, tw - 180 * DAY, s)
        self.stop_active[m] = np.minimum(self.stop_active[m], tw)
        self.stop_active[m] = np.maximum(self.stop_active[m], self.created[m] + 60 * DAY)
        self.pay_stop[m] = tw
        ta = tw + (rng.random(s) * w).astype(np.int64)
        ndev = [int(rng.integers(1, 3)), max(2, s // 6), max(3, s // 3)][lvl]
        dv = self.pool("device", ndev, s)
        self.sig(m, "device", dv, ta + 60)
        ips = self.pool("ip", [2, 6][lvl], s) if lvl < 2 else self.proxy_ips(s)
        self.sig(m, "ip", ips, ta)
        drops = self.new("address", [2, 4, 8][lvl])
        dr = drops[rng.integers(0, drops.size, s)]
        self.ev(m, "password_reset", TT_LIT, self.lit("auth:email"), ta)
        self.ev(m, "login", TT_LIT, self.lit("web"), ta + rng.integers(60, 600, s))
        tch = ta + rng.integers(5 * MIN, HOUR, s)
        self.ev(m, "change_address", TT_ADDR, dr, tch)
        self.sig(m, "address", dr, tch)
        if lvl < 2:
            cp = m[rng.random(s) < [0.8, 0.5][lvl]]
            phs = self.new("phone", [1, 2][lvl])
            pv = phs[rng.integers(0, phs.size, cp.size)]
            tp = ta[np.searchsorted(m, cp)] + rng.integers(2 * MIN, 30 * MIN, cp.size)
            self.ev(cp, "change_phone", TT_PHONE, pv, tp)
            self.sig(cp, "phone", pv, tp)
        merch = self.pick_merchants([2, 4, 7][lvl], resell=True)
        k = rng.integers(1, 5, s)
        a = np.repeat(m, k)
        tb = np.repeat(tch, k) + rng.integers(10 * MIN, 2 * DAY, a.size)
        mb = merch[rng.integers(0, merch.size, a.size)]
        self.buy(a, tb, mb, rng.uniform(300, 1500, a.size))
        first = np.r_[0, np.cumsum(k)[:-1]]
        d = rng.random(s) < 0.6
        self.ev(m[d], "dispute", TT_ACC, mb[first][d], tb[first][d] + rng.integers(2, 20, d.sum()) * DAY)
        self.reg("account_takeover", True, lvl, m, "victim")

    def k_referral(self, lvl: int):
        """Referral-bonus farm: a ringleader's code (or a chain of codes), one tiny purchase each,
        then dormant; bonuses cashed out by the ringleader."""
        rng = self.rng
        s = self.size(8, 60, 28)
        m = self.alloc(s)
        s = m.size
        lead, ref = m[0], m[1:]
        tr = int(rng.integers(T_START + 90 * DAY, T_END - 30 * DAY))
        w = [2, 10, 35][lvl] * DAY
        tz = self.set_tz(m)
        self.created[lead] = tr - int(rng.integers(60, 300)) * DAY
        if lvl == 0:
            nb = int(rng.integers(2, 5))
            c = tr + rng.integers(0, w, nb)
            self.created[ref] = c[rng.integers(0, nb, ref.size)] + rng.integers(0, 90 * MIN, ref.size)
        else:
            self.created[ref] = self.times(tr, tr + w, tz[1:])
        order = ref[np.argsort(self.created[ref], kind="stable")]
        if lvl == 0:
            code_of = np.full(order.size, lead)
        else:
            j = (rng.random(order.size) * np.arange(order.size) * (0.3 if lvl == 1 else 1.0)).astype(int)
            code_of = np.where(rng.random(order.size) < [0, .5, .15][lvl], lead, order[j])
            code_of[0] = lead
        self.ev(order, "redeem_referral", TT_REF, code_of, self.created[order] + rng.integers(60, 400, order.size))
        self.ref_ok[m] = False
        r = ref.size
        self.dev1[ref] = self.pool("device", int(rng.integers(1, 4)), r) if lvl == 0 else \
            self.pool("device", max(2, r // 4), r) if lvl == 1 else self.dev1[ref]
        self.phone1[ref] = self.pool("phone", [int(rng.integers(3, 6)), max(2, r // 3)][lvl], r) if lvl < 2 \
            else self.new("phone", r)
        self.home_ip[ref] = self.proxy_ips(r) if lvl == 2 else \
            self.proxy_ips([3, 8][lvl])[rng.integers(0, [3, 8][lvl], r)]
        if lvl == 0:
            self.edom[ref] = self.pool("email_domain", 1, r)
        for k in self.ext:
            self.ext[k][ref] = lvl == 2 and k == "ip"
        self.organic_on[ref] = False
        small = self.pick_merchants(3, resell=False)
        tb = self.created[ref] + rng.integers(20 * MIN, DAY, r)
        self.repay_mode[ref] = 0
        self.miss_p[ref] = 0.0
        self.buy(ref, tb, small[rng.integers(0, 3, r)], rng.uniform(8, 40, r))
        bank = self.bank1[lead] if self.bank1[lead] >= 0 else self.new("payment", 1)[0]
        self.bank1[lead] = bank
        nc = int(rng.integers(2, 6))
        self.ev(np.full(nc, lead), "cash_advance", TT_BANK, bank,
                np.sort(tr + w + rng.integers(0, 30 * DAY, nc)), rng.uniform(100, 600, nc).round(2))
        self.reg("referral_abuse", True, lvl, m, ["ringleader"] + ["referee"] * r)

    # ================================================================== benign kinds
    def k_household(self):
        rng = self.rng
        s = int(rng.choice([2, 3, 4, 5, 6], p=[.45, .3, .15, .07, .03]))
        m = self.alloc(s)
        self.set_tz(m)
        if rng.random() < 0.35:
            self.created[m[1:]] = np.minimum(self.created[m[0]] + rng.integers(HOUR, 10 * DAY, m.size - 1), T_END - DAY)
            r = m[1:][rng.random(m.size - 1) < 0.5]
            self.ev(r, "redeem_referral", TT_REF, m[0], self.created[r] + rng.integers(60, 600, r.size))
            self.ref_ok[r] = False
        self.addr1[m] = self.addr1[m[0]]
        self.home_ip[m] = self.home_ip[m[0]]
        if rng.random() < 0.6:
            self.card1[m[:int(rng.integers(2, min(3, m.size) + 1))]] = self.card1[m[0]]
        if rng.random() < 0.3:
            self.bank1[m[:2]] = self.new("payment", 1)
        if rng.random() < 0.25:
            self.sig(m, "device", self.new("device", 1), self.created[m] + rng.integers(0, 30 * DAY, m.size))
        if rng.random() < 0.5:
            self.sig(m, "ip", self.new("ip", 1), np.maximum(self.created[m], T_END - 200 * DAY)
                     + rng.integers(0, 100 * DAY, m.size))        # the new home line after an ISP switch
        self.fav[m] = self.fav[m[0]]
        self.reg("household", False, None, m, ["member"] * m.size)

    def k_roommates(self):
        rng = self.rng
        m = self.alloc(int(rng.integers(2, 6)))
        self.set_tz(m)
        self.addr1[m] = self.addr1[m[0]]
        self.home_ip[m] = self.home_ip[m[0]]
        self.reg("roommates", False, None, m, ["member"] * m.size)

    def k_family_phone(self):
        """An extended family whose accounts a younger relative set up on one phone."""
        rng = self.rng
        m = self.alloc(int(rng.integers(4, 11)))
        s = m.size
        self.set_tz(m)
        day = FAMILY_DAYS[int(rng.integers(0, len(FAMILY_DAYS)))] + 10 * HOUR - int(self.tz[m[0]])
        together = rng.random(s) < 0.7
        together[0] = True
        self.created[m[together]] = day + rng.integers(0, 30 * HOUR, together.sum())
        phones = self.new("phone", int(rng.integers(1, 3)))
        self.phone1[m] = phones[rng.integers(0, phones.size, s)]
        helper_dev = self.dev1[m[0]]
        self.sig(m, "device", helper_dev, self.created[m] + rng.integers(0, 600, s))
        self.dev1[m[rng.random(s) < 0.5]] = helper_dev
        self.sig(m[together], "ip", self.home_ip[m[0]], self.created[m[together]])
        self.addr1[m] = self.pool("address", int(rng.integers(2, 4)), s)
        self.reg("family_phone", False, None, m, ["relative"] * s)

    def k_student(self):
        rng = self.rng
        s = self.size(20, 120, 55)
        m = self.alloc(s)
        s = m.size
        term = TERM_STARTS[int(rng.integers(0, len(TERM_STARTS)))]
        tz = self.set_tz(m)
        self.created[m] = self.times(term - 3 * DAY, term + 3 * DAY, tz) + \
            (rng.gamma(1.3, 3.0, s) * DAY).astype(np.int64)
        self.created[m] = np.minimum(self.created[m], T_END - 2 * DAY)
        self.addr1[m] = self.new("address", 1)
        ips = self.new("ip", int(rng.integers(6, 16)))
        self.home_ip[m] = ips[rng.integers(0, ips.size, s)]
        self.sig(np.repeat(m, 2), "ip", ips[rng.integers(0, ips.size, 2 * s)],
                 np.repeat(self.created[m], 2) + rng.integers(0, 90 * DAY, 2 * s))
        campus = self.pick_merchants(int(rng.integers(2, 4)), resell=False)
        self.fav[m] = campus[rng.integers(0, campus.size, s)]
        k = rng.integers(1, 3, s)
        a = np.repeat(m, k)
        self.buy(a, np.repeat(self.created[m], k) + rng.integers(HOUR, 14 * DAY, a.size),
                 campus[rng.integers(0, campus.size, a.size)], rng.uniform(30, 400, a.size))
        r = m[1:][rng.random(s - 1) < 0.25]
        self.ev(r, "redeem_referral", TT_REF, m[rng.integers(0, 1 + (r - m[0]) // 2)],
                self.created[r] + rng.integers(60, 900, r.size))
        self.ref_ok[r] = False
        self.reg("student_housing", False, None, m, ["resident"] * s)

    def k_employer(self):
        rng = self.rng
        s = self.size(30, 250, 110)
        m = self.alloc(s)
        s = m.size
        tz = self.set_tz(m)
        te = int(rng.integers(T_START + 60 * DAY, T_END - 60 * DAY)) // (7 * DAY) * (7 * DAY) + 4 * DAY  # a Monday
        sess = rng.random(s) < 0.35
        ns = max(1, int(sess.sum()) // 20)
        starts = self.times(np.full(ns, te), te + 5 * DAY, tz[:ns], prof="office", week=WORKWEEK)
        self.created[m] = self.times(te, te + 5 * DAY, tz, prof="office", week=WORKWEEK)
        sm = m[sess]
        self.created[sm] = starts[rng.integers(0, ns, sm.size)] + rng.integers(0, 50 * MIN, sm.size)
        hr_dev = self.new("device", 2)
        self.sig(sm, "device", hr_dev[rng.integers(0, 2, sm.size)], self.created[sm])
        code = self.new("employer", 1)
        self.sig(m, "employer", code, self.created[m])
        office = self.new("ip", int(rng.integers(2, 5)))
        self.sig(m, "ip", office[rng.integers(0, office.size, s)], self.created[m])
        self.channel[m] = self.lit(f"employer:E{int(code[0]):05d}")
        pr = rng.random(s) < 0.8
        self.repay_mode[m[pr]] = 2
        self.pay_phase[m] = te + 11 * DAY + 9 * HOUR - tz     # a Friday, 09:00 local
        self.reg("employer_benefit", False, None, m, ["employee"] * s)

    def k_kiosk(self):
        """A retail store's sign-up tablet: strangers, one device, one store Wi-Fi."""
        rng = self.rng
        s = self.size(80, 350, 180)
        m = self.alloc(s)
        s = m.size
        tz = self.set_tz(m)
        store = self.pick_merchants(1, resell=None)[0]
        tk = int(rng.integers(T_START + 30 * DAY, T_END - 100 * DAY))
        te = min(T_END - DAY, tk + int(rng.integers(60, 240)) * DAY)
        self.created[m] = self.times(tk, te, tz, prof="store")
        kiosk = self.new("device", 1)
        wifi = self.new("ip", 1)
        self.sig(m, "device", kiosk, self.created[m])
        self.sig(m, "ip", wifi, self.created[m])
        self.channel[m] = self.lit(f"kiosk:S{int(store):04d}")
        self.buy(m, self.created[m] + rng.integers(5 * MIN, 40 * MIN, s), store, rng.uniform(80, 900, s))
        self.fav[m[rng.random(s) < 0.5]] = store
        self.reg("store_kiosk", False, None, m, ["customer"] * s)

    def k_counselling(self):
        """A debt-counselling agency repaying for its clients from its office, in weekly batches."""
        rng = self.rng
        s = self.size(12, 60, 30)
        m = self.alloc(s)
        s = m.size
        tz = self.set_tz(m)
        ta = int(rng.integers(T_START + 200 * DAY, T_END - 150 * DAY))
        self.created[m] = rng.integers(T_START, ta - 30 * DAY, s)
        enrol = self.times(np.full(s, ta), T_END - 20 * DAY, tz, prof="office", week=WORKWEEK)
        self.agency_start[m] = enrol
        self.agency_phase[m] = (ta // (7 * DAY)) * 7 * DAY + 5 * DAY + 10 * HOUR - tz    # Tuesdays 10:00
        self.agency_slot[m] = rng.permutation(s)
        self.miss_p[m] = rng.uniform(0.15, 0.4, s)
        self.stop_active[m] = np.minimum(np.maximum(self.stop_active[m], enrol), enrol + 60 * DAY)
        self.rate[m] *= 1.6
        office = self.new("device", int(rng.integers(2, 5)))
        self.sig(m, "device", office[rng.integers(0, office.size, s)], enrol)
        oip = self.new("ip", int(rng.integers(1, 3)))
        self.sig(m, "ip", oip[rng.integers(0, oip.size, s)], enrol)
        oph = self.new("phone", 1)
        c = rng.random(s) < 0.4
        self.sig(m[c], "phone", oph, enrol[c] + DAY)
        self.ev(m, "login", TT_LIT, self.lit("web"), enrol)
        self.reg("debt_counselling", False, None, m, ["client"] * s)

    def k_influencer(self, size: int):
        rng = self.rng
        inf = self.alloc(1)
        m = self.alloc(size)
        s = m.size
        tv = int(rng.integers(T_START + 120 * DAY, T_END - 40 * DAY))
        self.created[inf] = rng.integers(T_START, tv - 60 * DAY)
        fast = rng.random(s) < 0.5
        dt = np.where(fast, rng.exponential(12 * HOUR, s), rng.exponential(7 * DAY, s)).astype(np.int64)
        self.created[m] = np.minimum(tv + dt, T_END - DAY)
        code = self.lit(VANITY[(self.kind_count.get("influencer_referral", 0) + self.seed) % len(VANITY)]
                        + str(int(rng.integers(10, 99))))
        self.ev(m, "redeem_referral", TT_LIT, code, self.created[m] + rng.integers(60, 600, s))
        self.ref_ok[m] = False
        promo = self.pick_merchants(1)[0]
        b = m[rng.random(s) < 0.6]
        self.buy(b, self.created[b] + rng.integers(10 * MIN, 3 * DAY, b.size), promo, rng.uniform(20, 300, b.size))
        self.reg("influencer_referral", False, None, np.concatenate([inf, m]), ["influencer"] + ["follower"] * s)

    # crowds over accounts that already exist ---------------------------------
    def lone(self) -> np.ndarray:
        return np.nonzero((self.gidx < 0) & ~self.is_merchant)[0]

    def k_ip_crowd(self, kind: str, size: int, npool: tuple[int, int], per: tuple[int, int]):
        rng = self.rng
        cand = self.lone()
        m = np.sort(rng.choice(cand, min(size, cand.size // 3), replace=False))
        ips = self.new("ip", int(rng.integers(*npool)))
        k = rng.integers(per[0], per[1] + 1, m.size)
        a = np.repeat(m, k)
        self.sig(a, "ip", ips[rng.integers(0, ips.size, a.size)],
                 self.times(self.created[a], np.maximum(self.stop_active[a], self.created[a] + DAY), self.tz[a]))
        self.reg(kind, False, None, m, ["member"] * m.size)

    def k_flash(self, size: int):
        rng = self.rng
        ts0 = int(rng.integers(T_START + 200 * DAY, T_END - 50 * DAY)) // HOUR * HOUR
        merch = self.pick_merchants(1)[0]
        cand = np.nonzero(~self.is_merchant & (self.created < ts0 - DAY) & (self.stop_active > ts0 - 20 * DAY)
                          & (self.pay_stop > ts0 + 60 * DAY) & ~self.bad)[0]
        m = np.sort(rng.choice(cand, min(size, cand.size // 2), replace=False))
        ts = ts0 + np.minimum(rng.exponential(5 * MIN, m.size), 40 * MIN).astype(np.int64)
        plat = np.array([self.lit("ios"), self.lit("android"), self.lit("web")])
        self.ev(m, "login", TT_LIT, plat[self.platform[m]], ts - rng.integers(30, 600, m.size))
        self.buy(m, ts, merch, rng.uniform(40, 350, m.size))
        self.reg("flash_sale_crowd", False, None, m, ["buyer"] * m.size, only_lone=True)

    # ================================================================== organic life
    def finalize(self):
        rng = self.rng
        cons = np.nonzero(~self.is_merchant)[0]
        self.created = np.clip(self.created, utc(2021, 1, 1), T_END - HOUR)
        self.stop_active = np.maximum(np.minimum(self.stop_active, T_END), self.created + HOUR)
        cr = self.created[cons]
        # sign-up, first application, later limit increases
        self.ev(cons, "signup", TT_LIT, self.channel[cons], cr)
        ap = cons[self.apply_default[cons]]
        prod = np.array([self.lit(p) for p in PRODUCTS[:3]])
        self.ev(ap, "apply_credit", TT_LIT, prod[rng.choice(3, ap.size, p=[.5, .35, .15])],
                self.created[ap] + rng.integers(2 * MIN, 40 * MIN, ap.size))
        li = ap[rng.random(ap.size) < 0.25]
        self.ev(li, "limit_increase", TT_LIT, self.lit("LINE-PLUS"),
                self.times(self.created[li] + 30 * DAY, self.stop_active[li] + 30 * DAY, self.tz[li]))
        # organic referrals: a code of some earlier account
        order = cons[np.argsort(self.created[cons], kind="stable")]
        pos = np.nonzero(self.ref_ok[order] & (rng.random(order.size) < 0.12))[0]
        pos = pos[pos > 0]
        referrer = order[(rng.random(pos.size) * pos).astype(np.int64)]
        rr = order[pos]
        self.ev(rr, "redeem_referral", TT_REF, referrer, self.created[rr] + rng.integers(60, 900, rr.size))
        # purchases (pay in 4) and logins over each account's active life
        oc = cons[self.organic_on[cons]]
        st, sp = self.created[oc], self.stop_active[oc]
        days = np.maximum(sp - st, 0) / DAY
        k = np.minimum(rng.poisson(self.rate[oc] * days / 30), 300)
        a = np.repeat(oc, k)
        ts = self.times(np.repeat(st, k) + 10 * MIN, np.repeat(sp, k), self.tz[a])
        fav = rng.random(a.size) < 0.3
        merch = np.where(fav, self.fav[a], rng.choice(self.M, a.size, p=self.mpop))
        amt = np.minimum(np.exp(rng.normal(4.1, 0.8, a.size)), 2500)
        self.buy(a, ts, merch, amt)
        # ordinary refunds (returns) on 2.5% of purchases at regular merchants
        rf = (rng.random(a.size) < 0.025) & (merch < self.M)
        tr = ts[rf] + rng.integers(DAY, 20 * DAY, rf.sum())
        self.ev(merch[rf], "refund_issued", TT_ACC, a[rf], tr, amt[rf].round(2))
        self.ev(a[rf], "refund_received", TT_ACC, merch[rf], tr + rng.integers(1, 120, rf.sum()), amt[rf].round(2))
        k = np.minimum(rng.poisson(self.login_rate[oc] * days / 30), 400)
        a = np.repeat(oc, k)
        plat = np.array([self.lit("ios"), self.lit("android"), self.lit("web")])
        self.ev(a, "login", TT_LIT, plat[self.platform[a]],
                self.times(np.repeat(st, k), np.repeat(sp, k) + 10 * DAY, self.tz[a]))
        # merchants use their portal
        mer = np.nonzero(self.is_merchant[: self.M])[0]
        k = rng.poisson(np.clip(self.mpop[mer] * 400, 0.5, 12) * (T_END - self.created[mer]) / (30 * DAY))
        a = np.repeat(mer, k)
        self.ev(a, "merchant_login", TT_LIT, self.lit("portal"), self.times(self.created[a], T_END, self.tz[a]))
        self.default_signals()

    def default_signals(self):
        rng, n = self.rng, self.N
        cr = self.created
        end = np.minimum(np.maximum(self.stop_active + 30 * DAY, cr + DAY), T_END - 1)
        everyone = np.arange(n)
        for kind, arr, lag in [("device", self.dev1, 600), ("phone", self.phone1, 300),
                               ("email", self.email1, 300), ("email_domain", self.edom, 300),
                               ("ip", self.home_ip, 900), ("address", self.addr1, 1200),
                               ("payment", self.card1, 3 * DAY), ("payment", self.bank1, 20 * DAY)]:
            ok = arr >= 0
            self.sig(everyone[ok], kind, arr[ok], cr[ok] + rng.integers(0, lag, ok.sum()))

        def later(mask, kind, values):
            a = everyone[mask]
            self.sig(a, kind, values, self.times(cr[a] + HOUR, end[a], self.tz[a], week=None))

        e = self.ext
        m = e["dev"] & (rng.random(n) < 0.35)
        later(m, "device", self.new("device", int(m.sum())))
        m = e["dev"] & (rng.random(n) < 0.08)
        later(m, "device", self.new("device", int(m.sum())))
        m = e["phone"] & (rng.random(n) < 0.07)
        later(m, "phone", self.new("phone", int(m.sum())))
        m = e["phone"] & (rng.random(n) < 0.004) & ~self.is_merchant    # recycled numbers
        later(m, "phone", self.phone1[rng.integers(0, n, m.sum())])
        m = rng.random(n) < 0.05
        later(m, "email", self.new("email", int(m.sum())))
        # mobile carrier IPs (CGNAT pools, each IP shared by dozens), public Wi-Fi, a new home line
        mob = e["ip"] & (rng.random(n) < 0.55) & ~self.is_merchant
        car = rng.integers(0, 4, n)
        k = np.where(mob, rng.integers(1, 4, n), 0)
        a = np.repeat(everyone, k)
        vals = np.concatenate(self.carrier_pools)
        off = np.cumsum([0] + [p.size for p in self.carrier_pools])
        sz = np.diff(off)
        v = vals[off[car[a]] + (rng.random(a.size) * sz[car[a]]).astype(np.int64)]
        self.sig(a, "ip", v, self.times(cr[a] + HOUR, end[a], self.tz[a], week=None))
        m = e["ip"] & (rng.random(n) < 0.2)
        later(m, "ip", self.wifi_pool[rng.integers(0, self.wifi_pool.size, m.sum())])
        m = e["ip"] & (rng.random(n) < 0.25)
        later(m, "ip", self.new("ip", int(m.sum())))
        m = e["addr"] & (rng.random(n) < 0.09) & ~self.is_merchant
        later(m, "address", self.new("address", int(m.sum())))
        m = e["pay"] & (rng.random(n) < 0.35) & ~self.is_merchant
        later(m, "payment", self.new("payment", int(m.sum())))

    # ================================================================== build
    def build(self):
        rng, n = self.rng, self.N
        f = n / 20000
        self.collusive_merchants: list[int] = []

        def count(per20k: float) -> int:
            return max(1, int(round(per20k * f)))

        plan = [(self.k_collusion, 5), (self.k_synthetic, 8), (self.k_bustout, 6), (self.k_farm, 5),
                (self.k_mule, 5), (self.k_takeover, 5), (self.k_referral, 5)]
        for fn, c in plan:
            c = count(c)
            for lvl in rng.permutation(np.resize([0, 1, 2], c)):
                fn(int(lvl))
        for fn, c in [(self.k_household, n / 600), (self.k_roommates, n / 2000), (self.k_family_phone, n / 3500),
                      (self.k_student, n / 7000), (self.k_employer, n / 7000), (self.k_kiosk, n / 10000),
                      (self.k_counselling, n / 10000)]:
            for _ in range(max(1, int(round(c)))):
                fn()
        ni = count(1)
        for _ in range(ni):
            self.k_influencer(int(n * 0.05 / ni))
        self.lone_start = self.cursor
        for _ in range(count(1.6)):
            self.k_ip_crowd("carrier_nat", int(n * 0.06 / count(1.6)), (1, 4), (1, 3))
        for _ in range(count(1)):
            self.k_ip_crowd("campus_network", int(n * 0.025 / count(1)), (10, 26), (2, 4))
        self.finalize()
        for _ in range(count(1)):
            self.k_flash(int(n * 0.09 / count(1)))

    # ================================================================== output
    def ids(self) -> np.ndarray:
        num = (np.arange(self.N, dtype=np.int64) * 7_368_787 + 1_234_567 + self.seed * 104_729) % 10_000_000
        return np.char.add("BN-", np.char.zfill(num.astype("U7"), 7))

    def tables(self, with_labels: bool):
        rng = self.rng
        acc_ids = self.ids()
        ids_s = pl.Series("account_id", acc_ids)
        us = lambda x: pl.Series(np.asarray(x, np.int64) * 1_000_000).cast(pl.Datetime("us"))  # noqa: E731
        accounts = pl.DataFrame({
            "account_id": ids_s, "created_at": us(self.created),
            "account_type": np.where(self.is_merchant, "merchant", "consumer"),
            "country": np.array([t[0] for t in TZS])[self.tzi]}).sort("account_id")
        # events
        cols = [np.concatenate([c[i] for c in self.E]) for i in range(6)]
        acc, act, tt, tv, ts, amt = cols
        key = tt.astype(np.int64) << 40 | tv
        uk, inv = np.unique(key, return_inverse=True)
        utt, utv = uk >> 40, uk & ((1 << 40) - 1)
        tgt = np.empty(uk.size, dtype=object)
        lit_arr = np.array(list(self.lits.keys()), dtype=object)
        for t, fn in [(TT_ACC, lambda v: acc_ids[v]), (TT_LIT, lambda v: lit_arr[v]),
                      (TT_REF, lambda v: np.char.add("RF", np.char.upper(hexes(v, self.salt ^ 1, 8)))),
                      (TT_BANK, lambda v: np.char.add("BK-", hexes(v, self.salt ^ 2, 12))),
                      (TT_ADDR, lambda v: np.char.add("AD-", hexes(v, self.salt ^ 3, 12))),
                      (TT_PHONE, lambda v: np.char.add("PH-", hexes(v, self.salt ^ 4, 12)))]:
            mk = utt == t
            if mk.any():
                tgt[mk] = fn(utv[mk])
        events = pl.DataFrame({
            "account_id": ids_s.gather(acc), "action": pl.Series(ACTIONS).gather(act.astype(np.int64)),
            "target_id": pl.Series(tgt.astype(str)).gather(inv.ravel()), "ts": us(ts),
            "amount": pl.Series(amt).fill_nan(None)})
        events = events.sort(["ts", "account_id", "action", "target_id"])
        # signals: one row per account-identifier pair, first seen
        cols = [np.concatenate([c[i] for c in self.S]) for i in range(4)]
        sa, sk, sv, ss = cols
        sig = pl.DataFrame({"a": sa, "k": sk, "v": sv, "s": ss}).group_by(["a", "k", "v"]).agg(pl.col("s").min())
        sig = sig.sort(["a", "k", "v"])
        key = sig["k"].to_numpy().astype(np.int64) << 44 | sig["v"].to_numpy()
        uk, inv = np.unique(key, return_inverse=True)
        vals = hexes(uk, self.salt, 16)
        kinds = np.array(SIG_KINDS)
        seen = us(sig["s"].to_numpy())
        legacy = (self.created[sig["a"].to_numpy()] < utc(2022, 9, 1)) & (rng.random(sig.height) < 0.02)
        signals = pl.DataFrame({
            "account_id": ids_s.gather(sig["a"].to_numpy()),
            "kind": pl.Series(kinds[sig["k"].to_numpy()]),
            "value": pl.Series(vals).gather(inv.ravel()),
            "seen_at": seen}).with_columns(
                pl.when(pl.Series(legacy)).then(None).otherwise(pl.col("seen_at")).alias("seen_at"))
        signals = signals.sort(["account_id", "kind", "value"])
        truth = self.truth(acc_ids)
        labels = self.labels(acc_ids) if with_labels else None
        return accounts, events, signals, labels, truth

    def truth(self, acc_ids):
        gid = np.array([g["gid"] for g in self.groups] + [None], dtype=object)
        gk = np.array([g["kind"] for g in self.groups] + ["organic"], dtype=object)
        gi = np.where(self.gidx >= 0, self.gidx, len(self.groups))
        return pl.DataFrame({
            "account_id": acc_ids, "is_bad": self.bad,
            "group_id": pl.Series(gid[gi].tolist(), dtype=pl.String),
            "group_kind": pl.Series(gk[gi].tolist(), dtype=pl.String),
            "role": pl.Series(np.array(self.roles)[self.role].tolist(), dtype=pl.String)}).sort("account_id")

    def labels(self, acc_ids):
        """Partial, noisy labels: charge-offs and investigations, one label per account."""
        rng, n = self.rng, self.N
        lab = np.full(n, -1, np.int8)
        src = np.full(n, "", dtype=object)
        when = np.full(n, T_END - DAY, np.int64)
        for g in self.groups:
            m = g["members"]
            if m.size == 0:
                continue
            if g["bad"]:
                lvl = g["lvl"]
                if rng.random() < [0.95, 0.85, 0.65][lvl]:
                    frac = rng.uniform(*[(0.6, 0.95), (0.5, 0.9), (0.35, 0.8)][lvl])
                    hit = m[rng.random(m.size) < frac]
                    lab[hit] = 1
                    src[hit] = {"account_takeover": "ato_confirmed", "merchant_collusion": "fraud_review",
                                "money_mule": "fraud_review", "referral_abuse": "promo_abuse"}.get(
                                    g["kind"], "chargeoff_fraud")
                rest = m[(lab[m] < 0) & (rng.random(m.size) < [0.02, 0.04, 0.08][lvl])]
                lab[rest], src[rest] = 0, "manual_review"          # cleared by mistake
            else:
                p = {"debt_counselling": 0.35, "store_kiosk": 0.06, "employer_benefit": 0.05,
                     "family_phone": 0.08, "student_housing": 0.04, "household": 0.03,
                     "roommates": 0.03}.get(g["kind"], 0.015)
                rev = m[rng.random(m.size) < p]
                bad_p = 0.45 if g["kind"] == "debt_counselling" else 0.04
                one = rng.random(rev.size) < bad_p                 # credit losses filed as fraud
                lab[rev] = np.where(one, 1, 0)
                src[rev] = np.where(one, "chargeoff_fraud", "manual_review")
        lone = np.nonzero((self.gidx < 0))[0]
        r = lone[rng.random(lone.size) < 0.018]
        one = rng.random(r.size) < 0.15
        lab[r] = np.where(one, 1, 0)
        src[r] = np.where(one, "chargeoff_fraud", np.where(rng.random(r.size) < 0.5, "manual_review", "kyc_review"))
        idx = np.nonzero(lab >= 0)[0]
        when[idx] = np.minimum(T_END - HOUR, np.maximum(self.created[idx] + 30 * DAY, self.pay_stop[idx] + 45 * DAY))
        when[idx] = np.minimum(when[idx] + rng.integers(0, 30 * DAY, idx.size), T_END - HOUR)
        return pl.DataFrame({
            "account_id": acc_ids[idx], "label": lab[idx].astype(np.int64),
            "source": src[idx].astype(str),
            "labelled_at": pl.Series(when[idx] * 1_000_000).cast(pl.Datetime("us"))}).sort("account_id")


def write(out: Path, accounts, events, signals, labels, truth):
    out.mkdir(parents=True, exist_ok=True)
    for name in ("accounts", "events", "signals", "labels", "truth"):
        for ext in (".csv", ".parquet"):
            p = out / (name + ext)
            if p.exists():
                p.unlink()
    accounts.write_parquet(out / "accounts.parquet")
    events.write_parquet(out / "events.parquet")
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    signals.with_columns(pl.col("seen_at").dt.strftime(fmt)).write_csv(out / "signals.csv")
    if labels is not None:
        labels.with_columns(pl.col("labelled_at").dt.strftime(fmt)).write_csv(out / "labels.csv")
    truth.write_parquet(out / "truth.parquet")


def summary(truth: pl.DataFrame) -> pl.DataFrame:
    return (truth.filter(pl.col("group_id").is_not_null())
            .group_by("group_kind").agg(pl.col("is_bad").first().alias("bad"),
                                        pl.col("group_id").n_unique().alias("groups"),
                                        pl.len().alias("accounts"),
                                        pl.col("group_id").value_counts().struct.field("count").min().alias("min"),
                                        pl.col("group_id").value_counts().struct.field("count").max().alias("max"))
            .sort(["bad", "group_kind"], descending=[True, False]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Buy-now-pay-later marketplace with planted syndicates.")
    ap.add_argument("out", type=Path)
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.accounts < 2000:
        print(f"error: --accounts must be at least 2000 (got {a.accounts}): the planted groups need room",
              file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    g = Gen(a.accounts, a.seed)
    g.build()
    tabs = g.tables(not a.no_labels)
    write(a.out, *tabs)
    accounts, events, signals, labels, truth = tabs
    if not a.quiet:
        nb = int(truth["is_bad"].sum())
        print(f"{accounts.height} accounts ({nb} bad, {nb / accounts.height:.1%}), {events.height} events "
              f"({events.height / accounts.height:.1f}/account), {signals.height} signals, "
              f"{0 if labels is None else labels.height} labels -> {a.out} in {time.perf_counter() - t0:.1f}s")
        with pl.Config(tbl_rows=40):
            print(summary(truth))
    return 0


if __name__ == "__main__":
    sys.exit(main())

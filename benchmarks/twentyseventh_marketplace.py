#!/usr/bin/env python3
"""Twenty-seventh synthetic marketplace: a microblogging network (Twitter/X-like).

Written from the data contract alone (DESIGN.md's input tables, the README's "Inputs (the data
contract)" section, and the docstring and main() of the twenty-sixth generator for the
command-line and output conventions); no detection code and no tests were read.

    python twentyseventh_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels] [--quiet]

The platform is a public microblogging network.  Its export looks like the public bot-detection
data sets (Cresci-2017, TwiBot-20: a user table with profile counters, a timeline of actions)
plus what the platform itself logs (login surfaces, the posting client, a login-IP history kept
for part of the accounts, verified phone and e-mail digests).  Account ids are numeric strings:
sequential for accounts made before 2016, time-ordered snowflakes after (so a batch made in one
minute has neighbouring ids).  Its own action names: ``login`` (target: the surface ``web``,
``ios``, ``android`` or ``api``), ``post`` (target: the new post ``p-N``), ``reply``, ``quote``,
``repost``, ``like`` (target: an existing post ``p-N``), ``follow``, ``unfollow``, ``mention``
(target: an account id), ``hashtag`` (target: ``#tag``, one row per tag used in a post, at the
post's second).  Post numbers grow with time; posts made before the window exist as targets
only.  Extra event columns: ``client`` (the posting app: ``Web App``, ``iPhone``, ``Android``,
``iPad``, ``Deck``, the schedulers ``Hootsuite``, ``Buffer``, ``SproutSocial``, ``IFTTT``,
``dlvr.it``, ``Zapier`` used by thousands, and small custom apps used by one to a few hundred
accounts; ~1.5% null, and an old Android build that reports ``"Android "`` with a trailing
space) and ``content_hash`` (the platform's near-duplicate text fingerprint on post, reply and
quote rows, null elsewhere; copies of one template share it).

Identifier kinds (signals): ``ip`` (login IPs, kept only for ~35% of ordinary accounts; home
addresses, carrier-NAT and campus addresses shared by tens to hundreds, ~30 VPN exits, IPv6
homes, ~4% of IPv4 rows written as ``::ffff:a.b.c.d``, a few ``0.0.0.0``), ``phone`` (sha256
hex of the verified number, ~45% of accounts; ~1% recycled numbers on two strangers; a few
digests of the empty string), ``email`` (sha1 hex, ~70%), ``email_domain`` (``gmail.com`` ...:
a coarse property; a few disposable domains), ``device`` (an app-instance id, only ~10% of
accounts) and ``client`` (one row per account and client it used, first use as ``seen_at``).

Output (the data contract, all parquet): ``accounts`` (account_id, created_at, account_type
personal/business/automated, country (ISO-2, null for ~35%: no location given), screen_name,
lang, verified, default_profile_image, followers_count, friends_count, statuses_count),
``events`` (account_id, action, target_id, ts, client, content_hash), ``signals`` (account_id,
kind, value, seen_at; ~2% of seen_at null, a dozen at the 1970 sentinel), ``links`` (account_a,
account_b, kind ``dm_thread`` with weight 1-exp(-messages/40), ``affiliate`` for an
organisation's affiliated accounts with weight 1.0), ``labels`` (unless ``--no-labels``) and
``truth`` (account_id, is_bad, group_id, group_kind for every account; group_id null outside
groups, group_kind null for plain organic accounts; the variant is part of the group_id).
Timestamps are naive UTC; events run 2024-03-04 .. 2024-06-02 (90 days), plus quirks: ~0.001%
of like rows at the 1970-01-01 epoch sentinel (a legacy import), a few far-future (2037) device
clock logins, ~0.15% of like rows repeated exactly (export retries), ~0.3% of likes logged as
``Like`` by one mobile logger.  ~0.15% of old accounts have created_at at the 1970 sentinel.
Deterministic for (accounts, seed).  Counts are for 20,000 accounts: group counts scale with the
number of accounts, group sizes with its square root below 20,000 (not above).  At 20,000
accounts (seed 1): ~1.9M events, ~78k signal rows, ~8.6k links, ~2k labels, ~11% of accounts
bad in 18 groups plus 20 lone spammers; ~4 s and ~0.8 GB.  100,000 accounts: ~10M events,
~21 s, ~3.3 GB peak.

Background: 13 countries (time zones from UTC-8 to UTC+9, diurnal rhythm, personal chronotype);
~200 topic communities (people mostly engage with, follow and tag in their own community);
heavy-tailed activity (lognormal, ~18% nearly dormant, celebrities and media post far more),
five user archetypes (lurker, casual, poster, conversationalist, amplifier), activity in
sessions; engagement targets picked by post popularity (author followers x lognormal virality)
among recent posts; daily trending hashtags make natural organic bursts; new accounts follow
from the same onboarding suggestion list; unfollows after follows; DM threads.

BAD groups (is_bad true):

* ``repost_botnet`` ``blunt`` (3 groups, 40-250 bots + 1-2 operator accounts): created in 2-5
  batches seconds apart, one custom client per botnet, 3-12 data-centre IPs of one /24 on 80%,
  virtual phone numbers shared by 5-15 bots on 30%, default avatars; 20-60 jobs each boosting an
  operator's or one of 2-8 customers' new posts: 60-95% of the bots repost within seconds to
  minutes in script order (half also like); little else (a few logins, spammy template posts,
  likes of popular posts, onboarding follows).
  ``careful`` (3 groups, 60-300): aged/bought accounts (2011-2023), mainstream clients, organic
  filler at 30-70% of a normal user's activity; 30-90 jobs for 5-20 customers, each using only
  10-35% of the bots, delays of minutes to hours (lognormal, median ~25 min), reposts, likes,
  a few quotes and template replies; 30% of bots log in from a residential-proxy pool whose
  addresses are also honest home IPs.
* ``astroturf_campaign`` (4, 25-120): 60% paid humans with organic lives, 40% sockpuppets made
  in a few clusters of days weeks before the first campaign (office IPs on 60%, SIM-farm phones
  3-5 per number on 40%); 3-8 campaign windows of 2-6 hours at the group country's daytime:
  50-90% of members post 1-4 times with the campaign hashtags (near-identical template texts,
  a quarter scheduled via Buffer on five-minute marks), reply to and mention 3-10 target
  accounts' posts, repost the coordinator's seed post.
* ``fake_follower_seller`` (3, 60-300): accounts made in 3-8 batches (tens of seconds to
  minutes apart) over the last five months; each follows the onboarding suggestions and little
  else; 15-60 orders for customers (many customers per batch): 30-100% of the existing accounts
  follow the customer, drip-fed over 2-48 hours; 8% later unfollow; data-centre IPs on half,
  disposable e-mail domains.
* ``follow_train`` (5, 15-80): real accounts that follow each other (joiners follow every
  member within hours, most follow back), unfollow and refollow, post train posts with ring
  tags (``#FollowTrain`` ... also used organically) mentioning members, and like (30-70%) and
  repost (10-25%) each other's posts within minutes to hours; DM group threads.
* ``lone_spammer`` (20, no group): reply spam on popular recent posts in bursts (a few texts),
  trending hashtags, follow-churn (hundreds of follows, most undone within days).

BENIGN look-alikes (is_bad false, group_id set):

* ``fandom_party`` (3, 150-600 fans + the idol's account): aged fans with long organic
  histories, most in the fandom's community; 4-10 streaming/hashtag parties at an agreed UTC
  hour: 40-85% of the fans post 1-6 times with the fandom's tags within minutes (40% copy one of
  the fan-base's templates), repost (60%) and like (75%) the idol's post.  One fandom has 3-8
  fans mass-reported and wrongly labelled 1.
* ``breaking_news_crowd`` (round(2 x (N/20000)^0.3) crowds: 1 at 2k, 2 at 20k, 3 at 100k; each
  2.5-5% of all accounts, chosen among those awake and active at the time): 1-3 outlets post 2-5
  updates on a breaking story; members repost (85%) the first update within minutes, like,
  quote, reply, and repost later updates (35% each).
* ``newsroom_team`` (5, 3-12): an outlet's or brand's accounts (business, mostly verified), one
  office IP for all, a team CMS custom client (half) or a scheduler; 40-120 stories posted by a
  lead and 1-4 sibling accounts within minutes (same text), reposted by the team; affiliate
  links.
* ``declared_automation`` (~12 single bots + 1 operator with 2-4 regional bots): account_type
  automated; weather (hourly), clock, air quality (3-hourly), earthquake (per quake, regional
  bots post the same quake within seconds), news feeds (via IFTTT/dlvr.it); one server IP each.
* ``shared_household`` (~280, 2-5): families/friends behind one home IP (75% logged), 30% one
  phone number on several accounts, 15% a shared device, mutual follows, likes of each other's
  posts, DM threads; a quarter made their accounts within a week of each other.
* ``boost_customer`` (is_bad false, no group): ordinary accounts who bought reposts or
  followers (the targets of the botnets and follower sellers).
* plain organic accounts (group_id and group_kind null).

Labels (sparse, noisy): enforcement found 80% of the blunt botnets, 35% of the careful ones,
50% of the astroturf campaigns, 70% of the follower sellers and 35% of the follow trains
(20-90% of a found group's members labelled, ~5% of those wrongly 0); 45% of lone spammers
labelled 1.  Verification and appeals gave ~6% of honest accounts a 0 (verified, business and
declared automation accounts far more often); 0.2% of honest accounts carry a wrong 1, plus the
mass-reported fans.
"""
from __future__ import annotations

import argparse
import calendar
import math
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86400
HOUR = 3600
T0 = calendar.timegm((2024, 3, 4, 0, 0, 0))
T1 = T0 + 90 * DAY
SNOW_EPOCH = 1288834974  # seconds; snowflake ids from late 2010
SNOW_SWITCH = calendar.timegm((2016, 1, 1, 0, 0, 0))

ACTIONS = ["login", "post", "reply", "quote", "repost", "like", "follow", "unfollow", "hashtag",
           "mention", "Like"]
A_LOGIN, A_POST, A_REPLY, A_QUOTE, A_REPOST, A_LIKE, A_FOLLOW, A_UNFOLLOW, A_HASHTAG, A_MENTION, \
    A_LIKE_V = range(11)
TK_POST, TK_ACC, TK_TAG, TK_SURF = range(4)
SURFACES = ["web", "ios", "android", "api"]

CLIENTS0 = ["Web App", "iPhone", "Android", "iPad", "Deck", "Hootsuite", "Buffer", "SproutSocial",
            "IFTTT", "dlvr.it", "Zapier", "Android "]
C_WEB, C_IPH, C_AND, C_IPAD, C_DECK, C_HOOT, C_BUF, C_SPROUT, C_IFTTT, C_DLVR, C_ZAP, C_ANDSP = \
    range(12)
SURF_OF0 = [0, 1, 2, 1, 0, 3, 3, 3, 3, 3, 3, 2]

# code, weight, tz offsets, tz weights, lang, iPhone share
COUNTRIES = [
    ("US", .30, [-5, -6, -7, -8], [.5, .3, .05, .15], "en", .50),
    ("BR", .08, [-3], [1], "pt", .15),
    ("GB", .08, [0], [1], "en", .45),
    ("DE", .04, [1], [1], "de", .35),
    ("FR", .03, [1], [1], "fr", .35),
    ("NG", .04, [1], [1], "en", .12),
    ("IN", .10, [5.5], [1], "en", .08),
    ("ID", .06, [7], [1], "id", .10),
    ("JP", .12, [9], [1], "ja", .60),
    ("MX", .05, [-6], [1], "es", .20),
    ("ES", .03, [1], [1], "es", .30),
    ("PH", .03, [8], [1], "en", .15),
    ("TR", .04, [3], [1], "tr", .20),
]
NC = len(COUNTRIES)
CW = np.array([c[1] for c in COUNTRIES])
CW = CW / CW.sum()
DIURNAL = np.array([2.0, 1.2, .8, .5, .4, .6, 1.5, 3, 4, 4.5, 4.8, 5, 5.5, 5.2, 5, 5, 5.2, 5.8,
                    6.5, 7.2, 7.5, 7, 5.5, 3.5])
DIURNAL = DIURNAL / DIURNAL.sum()

# archetypes: probabilities over like, repost, post, reply, quote, follow
ARCH_ACTS = np.array([A_LIKE, A_REPOST, A_POST, A_REPLY, A_QUOTE, A_FOLLOW], dtype=np.int8)
ARCH_P = np.array([
    [.66, .10, .04, .05, .01, .14],   # lurker
    [.48, .15, .14, .12, .02, .09],   # casual
    [.26, .11, .38, .17, .04, .04],   # poster
    [.30, .06, .13, .44, .03, .04],   # conversationalist
    [.34, .48, .06, .05, .04, .03],   # amplifier
])
ARCH_CDF = np.cumsum(ARCH_P / ARCH_P.sum(1, keepdims=True), axis=1)
ARCH_W = np.array([.30, .35, .12, .13, .10])

SYL = ["ka", "ri", "mo", "ta", "len", "sa", "vi", "no", "lu", "ber", "tan", "mi", "ro", "zel",
       "qui", "dar", "en", "fa", "go", "hu", "jo", "ke", "la", "ma", "ne", "pe", "ra", "si", "to",
       "ve", "yo", "za", "bel", "cor", "dun", "fer", "gil", "har", "ist", "jun", "kor", "lim",
       "mar", "nor", "ol", "pas", "ren", "sol", "tur", "ul", "vak", "wen", "xi", "yan", "zu"]
COMMON_TAGS = ["#news", "#music", "#football", "#crypto", "#AI", "#love", "#art", "#gaming",
               "#kpop", "#anime", "#tech", "#politics", "#photography", "#NFT", "#movies",
               "#fitness", "#travel", "#food", "#bitcoin", "#nba", "#f1", "#cricket", "#weather",
               "#earthquake", "#science", "#books", "#fashion", "#giveaway", "#jobs", "#climate"]
RING_TAGS = ["#FollowTrain", "#TeamFollowBack", "#F4F", "#IFB", "#MutualsOnly", "#FollowFriday"]
DISPOSABLE = ["tempmail.dev", "yopmail.com", "guerrillamail.com", "mailnesia.com",
              "10minutemail.net", "dropmail.me"]
MAIL = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me",
        "gmx.de", "yahoo.co.jp", "uol.com.br", "mail.ru"]
MAIL_W = np.array([.52, .10, .09, .06, .08, .03, .02, .04, .03, .01])
MAIL_W = MAIL_W / MAIL_W.sum()
DC_FIRST = [5, 23, 31, 37, 45, 62, 91, 103, 138, 146, 159, 167, 178, 185, 188, 193, 194, 195,
            212, 217]


def ip_str(x):
    x = int(x)
    return f"{(x >> 24) & 255}.{(x >> 16) & 255}.{(x >> 8) & 255}.{x & 255}"


class Gen:
    def __init__(self, n, seed):
        self.N = n
        self.rng = np.random.default_rng([seed, n, 27])
        self.sc = n / 20000.0
        self.f = min(1.0, math.sqrt(self.sc))
        self.ev = []
        self.pend = []     # engagement to resolve: acc, act, ts, cl, ch, lag, comm
        self.pfol = []     # follows to resolve: acc, ts, cl, comm, unfollow prob
        self.P_a, self.P_t, self.P_v = [], [], []
        self.P_n = 0
        self.clients = list(CLIENTS0)
        self.surf_of = list(SURF_OF0)
        self.tags, self.tag_id = [], {}
        self.gnames, self.gkind_of = [], []
        self.sig = []      # (acc array, kind str, values list, seen array or None)
        self.links = []    # (a, b, kind, weight)
        self.info = {}

    # ------------------------------------------------------------------ helpers
    def word(self, k):
        r = self.rng
        return "".join(SYL[i] for i in r.integers(0, len(SYL), k))

    def add_client(self, name, surf=3):
        if name in self.clients:
            name = name + "-" + str(len(self.clients))
        self.clients.append(name)
        self.surf_of.append(surf)
        return len(self.clients) - 1

    def custom_client_name(self):
        r = self.rng
        suf = ["-bot", "_poster", "App", " Pro", "-v2", " 3.1", "Hub", "_rt", " Engine", "ly",
               "-sched", " Tools"]
        return self.word(int(r.integers(2, 4))).capitalize() + suf[int(r.integers(0, len(suf)))]

    def tag(self, name):
        if name not in self.tag_id:
            self.tag_id[name] = len(self.tags)
            self.tags.append(name)
        return self.tag_id[name]

    def emit(self, acc, act, tk, tn, ts, cl, ch=0):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        n = len(acc)
        if n == 0:
            return

        def b(x, dt):
            x = np.asarray(x, dtype=dt)
            return np.broadcast_to(x, (n,)).copy() if x.ndim == 0 or len(x) != n else x
        self.ev.append((acc.astype(np.int32), b(act, np.int8), b(tk, np.int8), b(tn, np.int64),
                        b(ts, np.int64), b(cl, np.int16), b(ch, np.int64)))

    def add_posts(self, author, ts, cl, ch=None, vir=None):
        author = np.atleast_1d(np.asarray(author, dtype=np.int64))
        n = len(author)
        ts = np.broadcast_to(np.asarray(ts, dtype=np.int64), (n,)).copy()
        if vir is None:
            vir = np.minimum(self.rng.lognormal(0, 1.0, n), 20)
            hit = self.rng.random(n) < 0.0005      # the odd ordinary post goes viral
            vir[hit] *= self.rng.uniform(5, 30, int(hit.sum()))
        vir = np.broadcast_to(np.asarray(vir, dtype=float), (n,)).copy()
        if ch is None:
            ch = self.rng.integers(1, 2 ** 62, n)
        idx = np.arange(self.P_n, self.P_n + n, dtype=np.int64)
        self.P_n += n
        self.P_a.append(author)
        self.P_t.append(ts)
        self.P_v.append(vir)
        self.emit(author, A_POST, TK_POST, idx, ts, cl, ch)
        return idx

    def hashtags(self, acc, ts, cl, tagidx):
        self.emit(acc, A_HASHTAG, TK_TAG, tagidx, ts, cl)

    def pending(self, acc, act, ts, cl, lag, comm=-1, ch=0):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        n = len(acc)
        if n == 0:
            return

        def b(x, dt):
            return np.broadcast_to(np.asarray(x, dtype=dt), (n,)).copy()
        self.pend.append((acc, b(act, np.int8), b(ts, np.int64), b(cl, np.int16), b(ch, np.int64),
                          b(lag, np.int64), b(comm, np.int64)))

    def pending_follow(self, acc, ts, cl, comm=-1, unf=0.06):
        acc = np.atleast_1d(np.asarray(acc, dtype=np.int64))
        n = len(acc)
        if n == 0:
            return

        def b(x, dt):
            return np.broadcast_to(np.asarray(x, dtype=dt), (n,)).copy()
        self.pfol.append((acc, b(ts, np.int64), b(cl, np.int16), b(comm, np.int64), b(unf, float)))

    def new_group(self, idx, kind, bad, name=True, variant=None):
        idx = np.asarray(idx, dtype=np.int64)
        if name:
            k = sum(1 for g in self.gkind_of if g == kind) + 1
            width = 4 if kind == "shared_household" else 2
            gname = f"{kind}_{variant + '_' if variant else ''}{k:0{width}d}"
            self.gnames.append(gname)
            self.gkind_of.append(kind)
            self.gidx[idx] = len(self.gnames) - 1
        self.gkind[idx] = KINDS.index(kind)
        self.bad[idx] = bad
        self.free[idx] = False
        return idx

    def take(self, k, mask=None, p=None):
        r = self.rng
        cand = self.free if mask is None else (self.free & mask)
        cand = np.flatnonzero(cand)
        k = int(min(k, len(cand)))
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        if p is None:
            sel = r.choice(cand, k, replace=False)
        else:
            w = p[cand].astype(float)
            sel = r.choice(cand, k, replace=False, p=w / w.sum())
        self.free[sel] = False
        return np.sort(sel)

    def size(self, lo, hi, floor=5):
        lo2 = max(floor, int(round(lo * self.f)))
        hi2 = max(lo2 + 1, int(round(hi * self.f)))
        return int(self.rng.integers(lo2, hi2 + 1))

    def count(self, base, minimum=1):
        return max(minimum, int(round(base * self.sc)))

    def local_time(self, day_utc_start, local_hour, tz):
        """UTC timestamp of a local hour on the local day containing day_utc_start."""
        d = np.floor((day_utc_start + tz * HOUR) / DAY)
        return (d * DAY + local_hour * HOUR - tz * HOUR).astype(np.int64)

    # ------------------------------------------------------------------ accounts
    def base_accounts(self):
        r, N = self.rng, self.N
        self.ctry = r.choice(NC, N, p=CW).astype(np.int8)
        self.tz = np.zeros(N)
        for c, (_, _, tzs, tzw, _, _) in enumerate(COUNTRIES):
            m = np.flatnonzero(self.ctry == c)
            tw = np.array(tzw) / np.sum(tzw)
            self.tz[m] = np.array(tzs)[r.choice(len(tzs), len(m), p=tw)]
        self.chrono = r.normal(0, 1.2, N)
        # creation time
        years = np.arange(2008, 2025)
        yw = np.array([1, 2, 4, 5, 6, 6, 6, 6, 6, 7, 7, 7, 8, 9, 9, 10, 2.0])
        y = years[r.choice(len(years), N, p=yw / yw.sum())]
        ys = np.array([calendar.timegm((int(v), 1, 1, 0, 0, 0)) for v in range(2008, 2026)])
        lo = ys[y - 2008]
        hi = np.minimum(ys[y - 2008 + 1], T0 - DAY)
        created = lo + r.random(N) * (hi - lo)
        inwin = r.random(N) < 0.08
        created[inwin] = T0 + r.random(inwin.sum()) * (T1 - 3 * DAY - T0)
        self.created = created.astype(np.int64)
        # communities
        K = max(12, N // 100)
        self.K = K
        self.comm_ctry = r.choice(NC, K, p=CW)
        for c in range(NC):        # every country has at least one community
            if not (self.comm_ctry == c).any():
                self.comm_ctry[int(r.integers(0, K))] = c
        comm = r.integers(0, K, N)
        home = r.random(N) < 0.8
        for c in range(NC):
            cs = np.flatnonzero(self.comm_ctry == c)
            m = np.flatnonzero(home & (self.ctry == c))
            if len(cs) and len(m):
                comm[m] = cs[r.integers(0, len(cs), len(m))]
        self.comm = comm.astype(np.int64)
        # popularity and profile
        fol = r.lognormal(np.log(120), 1.7, N)
        celeb = r.random(N) < 0.003
        fol[celeb] *= r.uniform(100, 3000, celeb.sum())
        self.followers = np.minimum(fol, 9e7).astype(np.int64)
        self.friends = r.lognormal(np.log(180), 1.1, N).astype(np.int64)
        self.verified = (self.followers > 50000) & (r.random(N) < 0.7) | (r.random(N) < 0.005)
        self.defimg = r.random(N) < np.where(self.created > T0 - 365 * DAY, 0.18, 0.05)
        self.atype = np.zeros(N, dtype=np.int8)
        biz = (r.random(N) < 0.02) | ((self.followers > 100000) & (r.random(N) < 0.4))
        self.atype[biz] = 1
        # activity
        act = r.lognormal(np.log(42), 1.25, N)
        dormant = r.random(N) < 0.18
        act[dormant] = r.uniform(0.5, 6, dormant.sum())
        act[self.followers > 30000] *= r.uniform(1.5, 4, (self.followers > 30000).sum())
        self.act = np.minimum(act, 4000)
        self.mult = np.ones(N)
        self.arch = r.choice(len(ARCH_W), N, p=ARCH_W).astype(np.int8)
        self.arch[(self.followers > 30000) & (r.random(N) < 0.7)] = 2
        # clients
        iph = np.array([c[5] for c in COUNTRIES])[self.ctry]
        u = r.random(N)
        cl1 = np.where(u < 0.25, C_WEB, np.where(u < 0.25 + 0.75 * iph, C_IPH, C_AND))
        deck = r.random(N) < 0.025
        cl1[deck] = C_DECK
        cl2 = np.where(cl1 == C_WEB, np.where(r.random(N) < iph, C_IPH, C_AND), C_WEB)
        tab = (cl1 == C_IPH) & (r.random(N) < 0.06)
        cl2[tab] = C_IPAD
        old_and = (cl1 == C_AND) & (r.random(N) < 0.02)
        cl1[old_and] = C_ANDSP
        self.cl1 = cl1.astype(np.int16)
        self.cl2 = cl2.astype(np.int16)
        self.p_cl1 = np.where(r.random(N) < 0.4, r.uniform(0.55, 0.8, N), 1.0)
        pc = np.full(N, -1, dtype=np.int64)
        sched = (r.random(N) < np.where(self.atype == 1, 0.5, 0.02))
        pc[sched] = r.choice([C_HOOT, C_BUF, C_SPROUT, C_IFTTT, C_DLVR, C_ZAP], sched.sum(),
                             p=[.3, .3, .15, .1, .1, .05])
        custom = np.flatnonzero((r.random(N) < 0.004) & ~sched)
        for i in custom:   # hobbyists' own scripts
            pc[i] = self.add_client(self.custom_client_name())
        self.post_cl = pc
        # default identifiers
        self.sig_ip = r.random(N) < 0.35
        self.sig_phone = r.random(N) < 0.45
        self.sig_email = r.random(N) < 0.70
        self.sig_device = r.random(N) < 0.10
        self.home_ip = np.zeros(N, dtype=np.int64)     # set for households / proxies
        self.mail_bad = np.zeros(N, dtype=bool)        # disposable domains
        # truth
        self.gidx = np.full(N, -1, dtype=np.int64)
        self.gkind = np.full(N, -1, dtype=np.int64)
        self.bad = np.zeros(N, dtype=bool)
        self.free = np.ones(N, dtype=bool)
        self.screen_kind = np.zeros(N, dtype=np.int8)  # 1 = default handle (name + 8 digits)
        self.churn_end = np.full(N, T1 - 1, dtype=np.int64)
        ch = r.random(N) < 0.07
        st = np.maximum(self.created, T0)
        self.churn_end[ch] = (st[ch] + r.uniform(0.1, 0.9, ch.sum()) * (T1 - st[ch])).astype(np.int64)
        # tags
        for t in COMMON_TAGS:
            self.tag(t)
        nglob = 4000
        names = set(self.tags)
        while len(self.tags) < nglob:
            w = self.word(int(r.integers(2, 5)))
            if r.random() < 0.3:
                w = w.capitalize() + self.word(int(r.integers(1, 3))).capitalize()
            if r.random() < 0.1:
                w += str(int(r.integers(1, 30)))
            nm = "#" + w
            if nm not in names:
                names.add(nm)
                self.tag(nm)
        # ring tags sit at modest ranks in the global vocabulary
        ring_pos = r.choice(np.arange(100, 400), len(RING_TAGS), replace=False)
        for t, p in zip(RING_TAGS, ring_pos):
            self.tags[p] = t
        self.tag_id = {t: i for i, t in enumerate(self.tags)}
        self.nglob = nglob
        zipf = 1.0 / np.arange(1, nglob + 1) ** 1.05
        self.tag_cdf = np.cumsum(zipf / zipf.sum())
        self.comm_tags = np.empty((K, 5), dtype=np.int64)
        for k in range(K):
            for j in range(5):
                nm = "#" + self.word(int(r.integers(2, 4))) + ("" if j else "")
                self.comm_tags[k, j] = self.tag(nm if nm not in self.tag_id else nm + str(k))
        days = 90
        self.trend = r.integers(30, nglob, (days, 3))

    def pick_tags(self, ts, comm):
        r = self.rng
        n = len(ts)
        u = r.random(n)
        out = np.searchsorted(self.tag_cdf, r.random(n)).astype(np.int64)
        out = np.minimum(out, self.nglob - 1)
        cm = u < 0.40
        out[cm] = self.comm_tags[comm[cm], r.integers(0, 5, cm.sum())]
        tr = u > 0.80
        d = np.clip((ts[tr] - T0) // DAY, 0, 89)
        out[tr] = self.trend[d, r.integers(0, 3, tr.sum())]
        return out

    # ------------------------------------------------------------------ organic timeline
    def timeline(self, accs, cnt, start, end, sess_len=3.0, gap=75.0):
        r = self.rng
        A = len(accs)
        L = 1 + r.poisson(sess_len - 1, A)
        ns = np.clip(np.rint(cnt / L), 1, cnt).astype(np.int64)
        S = int(ns.sum())
        s_own = np.repeat(np.arange(A), ns)
        tz = self.tz[accs][s_own]
        span = (end - start).astype(float)
        t = start[s_own] + r.random(S) * span[s_own]
        hour = r.choice(24, S, p=DIURNAL) + r.random(S) + self.chrono[accs][s_own]
        ts = self.local_time(t, hour, tz)
        ts = np.clip(ts, start[s_own], end[s_own])
        order = np.lexsort((ts, s_own))
        ts = ts[order]
        E = int(cnt.sum())
        e_own = np.repeat(np.arange(A), cnt)
        cstart = np.cumsum(cnt) - cnt
        sstart = np.cumsum(ns) - ns
        j = np.arange(E) - cstart[e_own]
        sess = sstart[e_own] + (j * ns[e_own]) // cnt[e_own]
        g = r.exponential(gap, E)
        first = np.ones(E, dtype=bool)
        first[1:] = sess[1:] != sess[:-1]
        g[first] = 0
        cs = np.cumsum(g)
        fi = np.flatnonzero(first)
        off = cs - cs[fi][sess]
        e_ts = np.minimum(ts[sess] + off.astype(np.int64), T1 - 1)
        return accs[e_own], e_ts, accs[s_own], ts

    def organic(self):
        r, N = self.rng, self.N
        start = np.maximum(self.created, T0) + 60
        end = np.maximum(self.churn_end, start + 60)
        frac = (end - start) / (T1 - T0)
        cnt = r.poisson(self.act * self.mult * frac)
        accs = np.flatnonzero(cnt > 0)
        e_acc, e_ts, s_acc, s_ts = self.timeline(accs, cnt[accs], start[accs], end[accs])
        E = len(e_acc)
        u = r.random(E)
        a = np.empty(E, dtype=np.int8)
        arch_e = self.arch[e_acc]
        for k in range(len(ARCH_W)):
            m = arch_e == k
            a[m] = ARCH_ACTS[np.minimum(np.searchsorted(ARCH_CDF[k], u[m], side="right"), 5)]
        cl = np.where(r.random(E) < self.p_cl1[e_acc], self.cl1[e_acc], self.cl2[e_acc]).astype(np.int16)
        posts = a == A_POST
        pc = self.post_cl[e_acc]
        usepc = posts & (pc >= 0) & (r.random(E) < 0.85)
        cl[usepc] = pc[usepc]
        # logins at some session starts
        lg = r.random(len(s_acc)) < 0.25
        la = s_acc[lg]
        lcl = self.cl1[la]
        self.emit(la, A_LOGIN, TK_SURF, np.array(self.surf_of)[lcl], s_ts[lg] - r.integers(1, 30, lg.sum()), lcl)
        # posts
        pa, pt, pcl = e_acc[posts], e_ts[posts], cl[posts]
        self.add_posts(pa, pt, pcl)
        ht = np.flatnonzero(r.random(len(pa)) < 0.28)
        t1 = self.pick_tags(pt[ht], self.comm[pa[ht]])
        self.hashtags(pa[ht], pt[ht], pcl[ht], t1)
        two = r.random(len(ht)) < 0.3
        h2 = ht[two]
        t2 = self.pick_tags(pt[h2], self.comm[pa[h2]])
        d2 = t2 != t1[two]
        self.hashtags(pa[h2[d2]], pt[h2[d2]], pcl[h2[d2]], t2[d2])
        mn = r.random(len(pa)) < 0.12
        self.pending_follow_like_mentions(pa[mn], pt[mn], pcl[mn])
        # engagement
        eng = (a == A_LIKE) | (a == A_REPOST) | (a == A_REPLY) | (a == A_QUOTE)
        ea, et, ecl, eact = e_acc[eng], e_ts[eng], cl[eng], a[eng]
        n = len(ea)
        lag = np.array([6 * HOUR, 2 * DAY, 10 * DAY, 60 * DAY])[r.choice(4, n, p=[.45, .35, .15, .05])]
        comm = np.where(r.random(n) < 0.4, self.comm[ea], -1)
        ch = np.where((eact == A_REPLY) | (eact == A_QUOTE), r.integers(1, 2 ** 62, n), 0)
        self.pending(ea, eact, et, ecl, lag, comm, ch)
        # follows
        fo = a == A_FOLLOW
        fa = e_acc[fo]
        self.pending_follow(fa, e_ts[fo], cl[fo], np.where(r.random(len(fa)) < 0.5, self.comm[fa], -1), 0.06)
        # onboarding: new accounts follow suggestions
        new = np.flatnonzero((self.created >= T0) & (self.mult > 0) & ~self.bad)
        self.onboard(new, self.cl1[new])
        self.info["organic_events"] = E

    def pending_follow_like_mentions(self, acc, ts, cl):
        """Mentions of accounts: targets resolved like follows (popular / community)."""
        self._mentions = getattr(self, "_mentions", [])
        self._mentions.append((acc, ts, cl))

    def onboard(self, accs, cl, lo=3, hi=12):
        r = self.rng
        accs = np.asarray(accs)
        inw = self.created[accs] >= T0
        accs = accs[inw]
        if np.ndim(cl):
            cl = np.asarray(cl)[inw]
        if len(accs) == 0:
            return
        k = r.integers(lo, hi + 1, len(accs))
        a = np.repeat(accs, k)
        c = np.repeat(np.asarray(cl), k) if np.ndim(cl) else np.full(len(a), cl)
        t = np.repeat(np.maximum(self.created[accs], T0), k) + r.integers(60, 1800, len(a))
        sugg = self.suggested[r.integers(0, len(self.suggested), len(a))]
        keep = t < T1
        self.emit(a[keep], A_FOLLOW, TK_ACC, sugg[keep], t[keep], c[keep])

    # ------------------------------------------------------------------ groups: setup
    def setup(self):
        r, N = self.rng, self.N
        order = np.argsort(-self.followers, kind="stable")
        self.suggested = order[:40].copy()
        self.popular = order[:max(60, N // 150)].copy()
        self.free[self.suggested] = False   # celebrities stay plain organic
        aged = self.created < T0 - 365 * DAY
        self.G = []
        # newsroom / brand teams
        for _ in range(self.count(5)):
            m = self.take(int(r.integers(3, 13)), aged)
            self.new_group(m, "newsroom_team", False)
            c = int(r.integers(0, NC))
            self.ctry[m] = c
            self.tz[m] = COUNTRIES[c][2][0]
            self.atype[m] = 1
            self.verified[m] = r.random(len(m)) < 0.6
            self.followers[m] = r.lognormal(np.log(20000), 1.5, len(m)).astype(np.int64)
            self.mult[m] = 0.3
            self.arch[m] = 2
            self.defimg[m] = False
            self.sig_ip[m] = False
            if r.random() < 0.5:
                tc = self.add_client(self.word(2).capitalize() + r.choice(["-cms", " Publisher", "Desk"]))
            else:
                tc = int(r.choice([C_SPROUT, C_HOOT]))
            self.post_cl[m] = tc
            self.G.append(dict(kind="newsroom_team", m=m, client=tc))
        # declared automation
        nsingle = self.count(12, 2)
        kinds = ["weather", "clock", "air", "quake", "feed"]
        for i in range(nsingle + 1):
            multi = i == nsingle
            k = int(r.integers(2, 5)) if multi else 1
            m = self.take(k, aged)
            self.new_group(m, "declared_automation", False)
            typ = "quake" if multi else kinds[int(r.integers(0, len(kinds)))]
            self.atype[m] = 2
            self.mult[m] = 0
            self.followers[m] = r.lognormal(np.log(3000), 1.5, len(m)).astype(np.int64)
            self.defimg[m] = False
            self.sig_ip[m] = False
            self.sig_phone[m] = False
            self.sig_device[m] = False
            if typ == "feed":
                tc = int(r.choice([C_IFTTT, C_DLVR]))
            else:
                tc = self.add_client(self.word(2).capitalize() + {"weather": "Weather", "clock": "Clock",
                                                                  "air": "AirBot", "quake": "QuakeAlert"}[typ])
            self.G.append(dict(kind="declared_automation", m=m, typ=typ, client=tc,
                               server=int(r.integers(0, 2 ** 32))))
        # BAD: repost botnets
        for variant, base, lo, hi in (("blunt", 3, 40, 250), ("careful", 3, 60, 300)):
            for _ in range(self.count(base)):
                S = self.size(lo, hi)
                if variant == "blunt":
                    nop = int(r.integers(1, 3))
                    m = self.take(S + nop)
                    ops, bots = m[:nop], m[nop:]
                    self.new_group(m, "repost_botnet", True, variant=variant)
                    self.created[ops] = r.uniform(calendar.timegm((2019, 1, 1, 0, 0, 0)), T0 - 200 * DAY, nop).astype(np.int64)
                    self.followers[ops] = r.uniform(2000, 50000, nop).astype(np.int64)
                    self.mult[ops] = 0.5
                    self.arch[ops] = 2
                    nb = int(r.integers(2, 6))
                    bt = np.sort(T0 + r.uniform(-70, 40, nb) * DAY).astype(np.int64)
                    which = np.sort(r.integers(0, nb, len(bots)))
                    cr = np.empty(len(bots), dtype=np.int64)
                    for b in range(nb):
                        w = np.flatnonzero(which == b)
                        cr[w] = bt[b] + np.cumsum(r.uniform(4, 90, len(w))).astype(np.int64)
                    self.created[bots] = cr
                    self.mult[bots] = 0
                    self.followers[bots] = r.integers(0, 80, len(bots))
                    self.friends[bots] = r.integers(30, 900, len(bots))
                    self.defimg[bots] = r.random(len(bots)) < 0.8
                    self.screen_kind[bots] = r.random(len(bots)) < 0.85
                    self.verified[m] = False
                    self.atype[m] = 0
                    for a in (self.sig_ip, self.sig_phone, self.sig_device):
                        a[bots] = False
                    self.sig_email[bots] = r.random(len(bots)) < 0.6
                    self.mail_bad[bots] = r.random(len(bots)) < 0.5
                    tc = self.add_client(self.custom_client_name())
                    self.post_cl[ops] = tc
                    g = dict(kind="repost_botnet", variant=variant, m=m, ops=ops, bots=bots, client=tc)
                else:
                    m = self.take(S)
                    bots = m
                    self.new_group(m, "repost_botnet", True, variant=variant)
                    self.created[bots] = r.uniform(calendar.timegm((2011, 1, 1, 0, 0, 0)),
                                                   calendar.timegm((2023, 6, 1, 0, 0, 0)), S).astype(np.int64)
                    self.followers[bots] = r.lognormal(np.log(300), 1.0, S).astype(np.int64)
                    self.mult[bots] = r.uniform(0.3, 0.7, S)
                    self.arch[bots] = r.choice([1, 4], S, p=[.6, .4])
                    self.defimg[bots] = r.random(S) < 0.1
                    self.verified[bots] = r.random(S) < 0.01
                    self.atype[bots] = 0
                    self.sig_ip[bots] = False
                    self.sig_phone[bots] = r.random(S) < 0.35
                    self.sig_device[bots] = r.random(S) < 0.05
                    self.churn_end[bots] = T1 - 1
                    g = dict(kind="repost_botnet", variant=variant, m=m, ops=m[:0], bots=bots, client=-1)
                self.G.append(g)
        # astroturf
        for _ in range(self.count(4)):
            S = self.size(25, 120)
            m = self.take(S)
            self.new_group(m, "astroturf_campaign", True)
            c = int(r.choice(NC, p=CW))
            loc = r.random(S) < 0.85
            self.ctry[m[loc]] = c
            self.tz[m[loc]] = COUNTRIES[c][2][0]
            socks = m[r.random(S) < 0.4]
            humans = np.setdiff1d(m, socks)
            first = T0 + int(r.uniform(10, 40) * DAY)
            ncl = int(r.integers(2, 5))
            cdays = first - r.uniform(5, 70, ncl) * DAY
            self.created[socks] = (cdays[r.integers(0, ncl, len(socks))] + r.uniform(0, DAY, len(socks))).astype(np.int64)
            self.created[humans] = np.minimum(self.created[humans], T0 - 200 * DAY)
            self.mult[humans] = r.uniform(0.6, 1.0, len(humans))
            self.mult[socks] = r.uniform(0.15, 0.35, len(socks))
            self.defimg[socks] = r.random(len(socks)) < 0.4
            self.followers[socks] = r.integers(5, 300, len(socks))
            self.verified[m] = False
            self.atype[m] = 0
            self.sig_ip[socks] = False
            self.sig_phone[socks] = False
            self.sig_device[socks] = False
            self.churn_end[m] = T1 - 1
            coords = humans[:max(1, min(2, len(humans)))] if len(humans) else m[:1]
            self.followers[coords] = r.uniform(3000, 40000, len(coords)).astype(np.int64)
            self.G.append(dict(kind="astroturf_campaign", m=m, socks=socks, humans=humans, ctry=c,
                               coords=coords, first=first))
        # fake follower sellers
        for _ in range(self.count(3)):
            S = self.size(60, 300)
            m = self.take(S)
            self.new_group(m, "fake_follower_seller", True)
            nb = int(r.integers(3, 9))
            bt = np.sort(T0 + r.uniform(-150, 70, nb) * DAY)
            which = np.sort(r.integers(0, nb, S))
            cr = np.empty(S, dtype=np.int64)
            for b in range(nb):
                w = np.flatnonzero(which == b)
                cr[w] = bt[b] + np.cumsum(r.uniform(20, 240, len(w))).astype(np.int64)
            self.created[m] = cr
            self.mult[m] = 0
            self.followers[m] = r.integers(0, 15, S)
            self.friends[m] = r.integers(200, 3000, S)
            self.defimg[m] = r.random(S) < 0.9
            self.screen_kind[m] = r.random(S) < 0.7
            self.verified[m] = False
            self.atype[m] = 0
            for a in (self.sig_ip, self.sig_phone, self.sig_device):
                a[m] = False
            self.sig_email[m] = r.random(S) < 0.5
            self.mail_bad[m] = r.random(S) < 0.6
            tc = self.add_client(self.custom_client_name(), 2) if r.random() < 0.5 else C_AND
            self.G.append(dict(kind="fake_follower_seller", m=m, client=tc))
        # follow trains
        for _ in range(self.count(5)):
            S = self.size(15, 80, floor=8)
            m = self.take(S, aged)
            self.new_group(m, "follow_train", True)
            self.mult[m] = r.uniform(0.7, 1.3, S)
            self.act[m] = np.maximum(self.act[m], r.uniform(30, 120, S))
            self.arch[m] = r.choice([1, 2], S)
            self.followers[m] = r.uniform(500, 5000, S).astype(np.int64)
            self.churn_end[m] = T1 - 1
            self.G.append(dict(kind="follow_train", m=m, tag=self.tag_id[RING_TAGS[int(r.integers(0, len(RING_TAGS)))]]))
        # lone spammers
        for _ in range(self.count(20, 2)):
            m = self.take(1)
            self.new_group(m, "lone_spammer", True, name=False)
            new = r.random() < 0.5
            self.created[m] = (T0 + r.uniform(0, 60) * DAY) if new else r.uniform(
                calendar.timegm((2019, 1, 1, 0, 0, 0)), T0 - 100 * DAY)
            self.mult[m] = 0
            self.sig_ip[m] = False
            self.sig_phone[m] = False
            self.defimg[m] = r.random() < 0.6
            self.followers[m] = r.integers(0, 400)
            tc = self.add_client(self.custom_client_name()) if r.random() < 0.4 else C_WEB
            self.G.append(dict(kind="lone_spammer", m=m, client=tc))
        # BENIGN: fandoms
        for i in range(self.count(3)):
            S = self.size(150, 600)
            idol = self.take(1, aged)
            m = self.take(S, aged)
            allm = np.concatenate([idol, m])
            self.new_group(allm, "fandom_party", False)
            self.followers[idol] = np.exp(r.uniform(np.log(3e5), np.log(5e6), 1)).astype(np.int64)
            self.verified[idol] = True
            self.mult[m] *= r.uniform(1.0, 1.5, S)
            fc = int(r.integers(0, self.K))
            self.comm[m[r.random(S) < 0.7]] = fc
            self.comm[idol] = fc
            self.churn_end[allm] = T1 - 1
            self.G.append(dict(kind="fandom_party", m=m, idol=idol, comm=fc))
        # breaking news crowds (members chosen by who was awake and active at the time)
        for _ in range(max(1, int(round(2 * self.sc ** 0.3)))):
            T = int(T0 + r.uniform(5, 85) * DAY)
            lh = ((T + self.tz * HOUR) / HOUR + 24 - self.chrono) % 24
            awake = DIURNAL[lh.astype(int) % 24]
            w = awake * np.sqrt(self.act * self.mult + 1)
            size = int(N * r.uniform(0.025, 0.05))
            m = self.take(size, (self.created < T - DAY) & (self.mult > 0.5), w)
            self.new_group(m, "breaking_news_crowd", False)
            self.G.append(dict(kind="breaking_news_crowd", m=m, T=T))
        # households
        nh = max(2, int(round(0.014 * N)))
        for _ in range(nh):
            k = int(r.choice([2, 3, 4, 5], p=[.45, .3, .15, .1]))
            m = self.take(k, self.mult > 0.5)
            if len(m) < 2:
                continue
            self.new_group(m, "shared_household", False)
            self.ctry[m] = self.ctry[m[0]]
            self.tz[m] = self.tz[m[0]]
            if r.random() < 0.25:
                self.created[m] = np.minimum(self.created[m[0]] + r.integers(0, 7 * DAY, len(m)), T1 - 2 * DAY)
            self.sig_ip[m] = False
            phone = int(r.integers(2, len(m) + 1)) if r.random() < 0.3 else 0
            self.sig_phone[m[:phone]] = False
            self.G.append(dict(kind="shared_household", m=m, ip=int(r.integers(2 ** 24 * 11, 2 ** 24 * 223)),
                               logged=r.random() < 0.75, phone=phone, device=r.random() < 0.15))
        # customers
        cust_mask = (self.followers > 200) & (self.followers < 60000) & (self.created < T0 - 90 * DAY)
        self.customers = self.take(max(6, int(round(60 * self.sc))), cust_mask)
        self.new_group(self.customers, "boost_customer", False, name=False)
        self.mult[self.customers] = np.maximum(self.mult[self.customers], 1.0)

    # ------------------------------------------------------------------ groups: behaviour
    def act_groups(self):
        for g in self.G:
            getattr(self, "g_" + g["kind"])(g)

    def g_newsroom_team(self, g):
        r = self.rng
        m, tc = g["m"], g["client"]
        tz = self.tz[m[0]]
        nst = int(r.integers(40, 121))
        day = T0 + r.integers(0, 90, nst) * DAY
        wd = ((day // DAY) + 3) % 7 < 5      # 1970-01-01 was a Thursday
        hour = np.where(wd, r.uniform(7, 20, nst), r.uniform(9, 18, nst))
        ts = self.local_time(day + 12 * HOUR, hour, tz)
        ts = np.clip(ts, T0, T1 - 2 * HOUR)
        lead = m[0]
        ch = r.integers(1, 2 ** 62, nst)
        pidx = self.add_posts(np.full(nst, lead), ts, tc, ch, r.lognormal(1, 1, nst))
        tg = r.random(nst) < 0.5
        self.hashtags(np.full(tg.sum(), lead), ts[tg], tc, self.pick_tags(ts[tg], self.comm[np.full(tg.sum(), lead)]))
        for s in range(nst):
            k = int(r.integers(1, min(5, len(m))))
            sib = r.choice(m[1:], k, replace=False)
            st = ts[s] + r.uniform(0, 12 * 60, k).astype(np.int64) // 60 * 60
            sch = np.where(r.random(k) < 0.6, ch[s], r.integers(1, 2 ** 62, k))
            self.add_posts(sib, st, tc, sch)
            rp = m[1:][r.random(len(m) - 1) < r.uniform(0.3, 0.8)]
            self.emit(rp, A_REPOST, TK_POST, pidx[s], ts[s] + r.lognormal(np.log(180), 1.0, len(rp)).astype(np.int64),
                      self.cl1[rp])
        # affiliate links + staff dm
        for b in m[1:]:
            self.links.append((m[0], b, "affiliate", 1.0))
        for i in range(len(m)):
            for j in range(i + 1, len(m)):
                if r.random() < 0.5:
                    self.links.append((m[i], m[j], "dm_thread", 1 - math.exp(-r.integers(1, 200) / 40)))

    def g_declared_automation(self, g):
        r = self.rng
        m, typ, tc = g["m"], g["typ"], g["client"]
        for b in m:
            start = max(T0, int(self.created[b]) + DAY)
            if typ in ("weather", "clock", "air"):
                step = {"weather": HOUR, "clock": HOUR, "air": 3 * HOUR}[typ]
                ts = np.arange((start // step + 1) * step, T1, step)
                if typ == "weather":
                    lh = ((ts + self.tz[b] * HOUR) // HOUR) % 24
                    ts = ts[(lh >= 5) & (lh <= 23)]
                jit = r.integers(0, 4, len(ts)) if typ == "clock" else r.integers(2, 45, len(ts))
                ts = ts + jit
                ts = ts[r.random(len(ts)) > 0.01]      # missed runs
                tagn = {"weather": "#weather", "clock": "#" + self.word(2), "air": "#" + self.word(2) + "AQI"}[typ]
                tg = self.tag(tagn) if tagn in self.tag_id else self.tag(tagn)
            elif typ == "quake":
                continue
            else:   # feed
                n = int(r.integers(15, 45)) * 90
                ts = np.sort(r.integers(start, T1, n))
                tg = self.tag("#news")
            pidx = self.add_posts(np.full(len(ts), b), ts, tc, None, r.lognormal(-0.5, 0.8, len(ts)))
            w = r.random(len(ts)) < (0.9 if typ != "feed" else 0.3)
            self.hashtags(np.full(w.sum(), b), ts[w], tc, tg)
            self.emit(b, A_LOGIN, TK_SURF, 3, T0 + int(r.integers(0, 3 * DAY)), tc)
        if typ == "quake":
            nq = int(90 * r.uniform(3, 8))
            qt = np.sort(r.integers(T0, T1, nq))
            region = r.integers(0, len(m), nq)
            for k, b in enumerate(m):
                t = qt[region == k] + r.integers(40, 180, (region == k).sum())
                # big quakes are felt in neighbouring regions too: several bots post within seconds
                big = np.flatnonzero((region != k) & (r.random(nq) < 0.08))
                t = np.sort(np.concatenate([t, qt[big] + r.integers(40, 180, len(big))]))
                self.add_posts(np.full(len(t), b), t, tc, None, r.lognormal(0, 1, len(t)))
                self.hashtags(np.full(len(t), b), t, tc, self.tag("#earthquake"))
                self.emit(b, A_LOGIN, TK_SURF, 3, T0 + int(r.integers(0, 3 * DAY)), tc)

    def g_repost_botnet(self, g):
        r = self.rng
        bots, ops, variant = g["bots"], g["ops"], g["variant"]
        blunt = variant == "blunt"
        ncust = int(r.integers(2, 9)) if blunt else int(r.integers(5, 21))
        cust = r.choice(self.customers, min(ncust, len(self.customers)), replace=False)
        g["customers"] = cust
        J = int(r.integers(20, 61)) if blunt else int(r.integers(30, 91))
        first = max(T0, int(np.min(self.created[bots])) + DAY)
        jt = np.sort(r.integers(first, T1 - 6 * HOUR, J))
        tc = g["client"]
        spam_tpl = r.integers(1, 2 ** 62, 4)
        for j in range(J):
            t = int(jt[j])
            if len(ops) and (r.random() < (0.4 if blunt else 0.2)):
                author = int(r.choice(ops))
                acl = int(self.post_cl[author]) if self.post_cl[author] >= 0 else int(self.cl1[author])
            else:
                author = int(r.choice(cust))
                acl = int(self.cl1[author])
            pid = self.add_posts(np.array([author]), t, acl)[0]
            if r.random() < 0.4:
                self.hashtags(np.array([author]), t, acl, self.pick_tags(np.array([t]), self.comm[[author]]))
            alive = bots[self.created[bots] < t - HOUR]
            if len(alive) == 0:
                continue
            if blunt:
                fr = r.uniform(0.6, 0.95)
                part = r.permutation(alive)[: max(1, int(fr * len(alive)))]
                step = r.uniform(1.5, 6)
                d = r.lognormal(np.log(30), 0.6) + np.arange(len(part)) * step + r.exponential(2, len(part))
                rt = t + d.astype(np.int64)
                likeonly = r.random() < 0.3
                if not likeonly:
                    self.emit(part, A_REPOST, TK_POST, pid, rt, tc)
                lk = part[r.random(len(part)) < (1.0 if likeonly else 0.5)]
                self.emit(lk, A_LIKE, TK_POST, pid, t + (d[np.isin(part, lk)] + r.uniform(1, 8, len(lk))).astype(np.int64), tc)
            else:
                fr = r.uniform(0.10, 0.35)
                part = r.choice(alive, max(1, int(fr * len(alive))), replace=False)
                d = np.clip(r.lognormal(np.log(25 * 60), 1.1, len(part)), 20, 14 * HOUR)
                rt = t + d.astype(np.int64)
                cl = np.where(r.random(len(part)) < self.p_cl1[part], self.cl1[part], self.cl2[part])
                u = r.random(len(part))
                rp = u < 0.7
                self.emit(part[rp], A_REPOST, TK_POST, pid, rt[rp], cl[rp])
                lk = r.random(len(part)) < 0.9
                self.emit(part[lk], A_LIKE, TK_POST, pid, np.maximum(rt[lk] + r.integers(-600, 600, lk.sum()), t + 5), cl[lk])
                q = u > 0.95
                self.emit(part[q], A_QUOTE, TK_POST, pid, rt[q] + 30, cl[q], r.integers(1, 2 ** 62, q.sum()))
                rep = (u > 0.9) & (u <= 0.95)
                self.emit(part[rep], A_REPLY, TK_POST, pid, rt[rep] + 45, cl[rep], spam_tpl[r.integers(0, 4, rep.sum())])
        if blunt:
            # filler: logins, spam template posts, likes of popular posts, onboarding follows
            nb = len(bots)
            st = np.maximum(self.created[bots], T0) + 120
            nl = r.integers(2, 9, nb)
            la = np.repeat(bots, nl)
            lt = np.repeat(st, nl) + (r.random(len(la)) * (T1 - np.repeat(st, nl))).astype(np.int64)
            lcl = np.where(r.random(len(la)) < 0.8, tc, C_WEB)
            self.emit(la, A_LOGIN, TK_SURF, np.array(self.surf_of)[lcl], lt, lcl)
            npst = r.integers(0, 5, nb)
            pa = np.repeat(bots, npst)
            pt = np.repeat(st, npst) + (r.random(len(pa)) * (T1 - np.repeat(st, npst))).astype(np.int64)
            self.add_posts(pa, pt, tc, spam_tpl[r.integers(0, 4, len(pa))], 0.2)
            self.hashtags(pa, pt, tc, self.pick_tags(pt, self.comm[pa]))
            nk = r.integers(5, 26, nb)
            ka = np.repeat(bots, nk)
            kt = np.repeat(st, nk) + (r.random(len(ka)) * (T1 - np.repeat(st, nk))).astype(np.int64)
            self.pending(ka, A_LIKE, kt, tc, 6 * HOUR, -1)
            self.onboard(bots, tc, 5, 20)
            # follow the operator and customers
            tgts = np.concatenate([ops, cust])
            fa = np.repeat(bots, len(tgts))
            ft = np.repeat(st, len(tgts)) + r.integers(600, 5 * DAY, len(fa))
            keep = (r.random(len(fa)) < 0.8) & (ft < T1)
            self.emit(fa[keep], A_FOLLOW, TK_ACC, np.tile(tgts, len(bots))[keep], ft[keep], tc)
        else:
            # some bots follow customers (spread over the window)
            fa = np.repeat(bots, len(cust))
            keep = r.random(len(fa)) < 0.3
            ft = r.integers(T0, T1, keep.sum())
            fcl = self.cl1[fa[keep]]
            self.emit(fa[keep], A_FOLLOW, TK_ACC, np.tile(cust, len(bots))[keep], ft, fcl)

    def g_astroturf_campaign(self, g):
        r = self.rng
        m, socks, coords, c = g["m"], g["socks"], g["coords"], g["ctry"]
        tz = COUNTRIES[c][2][0]
        ntag = int(r.integers(1, 4))
        tags = [self.tag("#" + self.word(int(r.integers(2, 4))).capitalize() + r.choice(["Now", "Out", "2024", "Must", "Truth", "Matters", ""]) + str(len(self.tags) % 97)) for _ in range(ntag)]
        if r.random() < 0.4:
            tags.append(self.tag_id["#politics"])
        tags = np.array(tags)
        nt = int(r.integers(3, 11))
        tmask = np.zeros(self.N, dtype=bool)
        tmask[self.popular] = True
        tmask[m] = False
        targets = r.choice(np.flatnonzero(tmask), nt, replace=False)
        tpl = r.integers(1, 2 ** 62, int(r.integers(3, 9)))
        rtpl = r.integers(1, 2 ** 62, int(r.integers(2, 6)))
        sched = m[r.random(len(m)) < 0.25]
        C = int(r.integers(3, 9))
        days = np.sort(r.choice(np.arange((g["first"] - T0) // DAY, 89), min(C, 89 - (g["first"] - T0) // DAY), replace=False))
        for d in days:
            ws = int(self.local_time(np.array([T0 + d * DAY + 12 * HOUR]), np.array([r.uniform(9, 19)]), tz)[0])
            dur = int(r.uniform(2, 6) * HOUR)
            co = int(r.choice(coords))
            seed = self.add_posts(np.array([co]), ws, self.cl1[co], tpl[:1], 2.0)[0]
            self.hashtags(np.full(len(tags), co), ws, self.cl1[co], tags)
            # target accounts' posts, shortly before
            tt = r.choice(targets, int(r.integers(1, min(4, nt) + 1)), replace=False)
            tts = ws - r.integers(600, 3 * HOUR, len(tt))
            tposts = self.add_posts(tt, tts, self.cl1[tt])
            part = m[r.random(len(m)) < r.uniform(0.5, 0.9)]
            part = part[self.created[part] < ws]
            k = 1 + np.minimum(r.poisson(1.2, len(part)), 3)
            pa = np.repeat(part, k)
            pt = ws + (r.beta(1.2, 3, len(pa)) * dur).astype(np.int64)
            pcl = np.where(r.random(len(pa)) < self.p_cl1[pa], self.cl1[pa], self.cl2[pa]).astype(np.int64)
            sc = np.isin(pa, sched)
            pcl[sc] = C_BUF
            pt[sc] = pt[sc] // 300 * 300
            ch = np.where(r.random(len(pa)) < 0.7, tpl[r.integers(0, len(tpl), len(pa))], r.integers(1, 2 ** 62, len(pa)))
            self.add_posts(pa, pt, pcl, ch)
            nt1 = r.integers(1, len(tags) + 1, len(pa))
            rot = r.integers(0, len(tags), len(pa))
            for j in range(len(tags)):
                w = nt1 > j
                self.hashtags(pa[w], pt[w], pcl[w], tags[(j + rot[w]) % len(tags)])
            mn = r.random(len(pa)) < 0.5
            self.emit(pa[mn], A_MENTION, TK_ACC, r.choice(tt, mn.sum()), pt[mn], pcl[mn])
            nr = r.integers(0, 4, len(part))
            ra = np.repeat(part, nr)
            rt = ws + (r.random(len(ra)) * dur).astype(np.int64)
            rt = np.maximum(rt, tts.max() + 60)
            rcl = self.cl1[ra]
            rch = np.where(r.random(len(ra)) < 0.6, rtpl[r.integers(0, len(rtpl), len(ra))], r.integers(1, 2 ** 62, len(ra)))
            self.emit(ra, A_REPLY, TK_POST, r.choice(tposts, len(ra)), rt, rcl, rch)
            rp = part[r.random(len(part)) < 0.7]
            self.emit(rp, A_REPOST, TK_POST, seed, ws + r.lognormal(np.log(600), 1.0, len(rp)).astype(np.int64), self.cl1[rp])
            lk = part[r.random(len(part)) < 0.6]
            self.emit(lk, A_LIKE, TK_POST, seed, ws + r.lognormal(np.log(500), 1.0, len(lk)).astype(np.int64), self.cl1[lk])
        # organic adoption of the campaign tag by a few honest users
        nad = int(r.integers(5, 40))
        at = T0 + d * DAY + r.integers(0, 5 * DAY, nad)
        ad = r.choice(np.flatnonzero((self.gkind < 0) & (self.created < at.min()) & (self.mult > 0)), nad, replace=False)
        at = np.minimum(at, T1 - 1)
        self.add_posts(ad, at, self.cl1[ad])
        self.hashtags(ad, at, self.cl1[ad], tags[r.integers(0, len(tags), nad)])
        # coordinators DM the members
        for co in coords:
            for b in m:
                if b != co and r.random() < 0.6:
                    self.links.append((co, b, "dm_thread", 1 - math.exp(-r.integers(1, 30) / 40)))

    def g_fake_follower_seller(self, g):
        r = self.rng
        m, tc = g["m"], g["client"]
        S = len(m)
        st = np.maximum(self.created[m], T0) + 60
        # onboarding follows right after creation (those made inside the window)
        inw = m[self.created[m] >= T0]
        self.onboard(inw, tc, 5, 12)
        nl = r.integers(1, 5, S)
        la = np.repeat(m, nl)
        lt = np.repeat(st, nl) + (r.random(len(la)) * (T1 - np.repeat(st, nl))).astype(np.int64)
        self.emit(la, A_LOGIN, TK_SURF, self.surf_of[tc], lt, tc)
        pp = m[r.random(S) < 0.3]
        pt = np.maximum(self.created[pp], T0) + r.integers(600, 20 * DAY, len(pp))
        ok = pt < T1
        self.add_posts(pp[ok], pt[ok], tc, None, 0.1)
        kl = r.integers(0, 6, S)
        ka = np.repeat(m, kl)
        kt = np.repeat(st, kl) + (r.random(len(ka)) * (T1 - np.repeat(st, kl))).astype(np.int64)
        self.pending(ka, A_LIKE, kt, tc, 2 * DAY, -1)
        # orders
        nord = int(r.integers(15, 61))
        cust = self.customers
        ot = np.sort(r.integers(T0, T1 - 2 * DAY, nord))
        for o in range(nord):
            c = int(r.choice(cust))
            alive = m[self.created[m] < ot[o] - HOUR]
            if len(alive) == 0:
                continue
            k = max(1, int(r.uniform(0.3, 1.0) * len(alive)))
            part = r.choice(alive, k, replace=False)
            drip = r.uniform(2, 48) * HOUR
            ft = ot[o] + np.sort((r.random(k) * drip).astype(np.int64))
            self.emit(part, A_FOLLOW, TK_ACC, c, ft, tc)
            un = r.random(k) < 0.08
            ut = ft[un] + r.integers(3 * DAY, 20 * DAY, un.sum())
            ok = ut < T1
            self.emit(part[un][ok], A_UNFOLLOW, TK_ACC, c, ut[ok], tc)

    def g_follow_train(self, g):
        r = self.rng
        m = g["m"]
        S = len(m)
        founders = r.random(S) < 0.5
        join = np.where(founders, T0 - 30 * DAY, r.integers(T0, T1 - 10 * DAY, S))
        order = np.argsort(join, kind="stable")
        for pos, i in enumerate(order):
            if founders[i]:
                continue
            a = m[i]
            cur = m[order[:pos]]
            if len(cur) == 0:
                continue
            ft = join[i] + r.integers(0, 6 * HOUR, len(cur))
            cl = self.cl1[a]
            self.emit(np.full(len(cur), a), A_FOLLOW, TK_ACC, cur, ft, cl)
            fb = r.random(len(cur)) < 0.9
            bt = join[i] + r.lognormal(np.log(3 * HOUR), 1.0, fb.sum()).astype(np.int64)
            ok = bt < T1
            self.emit(cur[fb][ok], A_FOLLOW, TK_ACC, a, bt[ok], self.cl1[cur[fb][ok]])
        # unfollow / refollow cycles
        nu = r.integers(1, 4, S)
        ua = np.repeat(m, nu)
        ub = r.choice(m, len(ua))
        ok = ua != ub
        ua, ub = ua[ok], ub[ok]
        ut = r.integers(T0, T1 - 12 * DAY, len(ua))
        self.emit(ua, A_UNFOLLOW, TK_ACC, ub, ut, self.cl1[ua])
        self.emit(ua, A_FOLLOW, TK_ACC, ub, ut + r.integers(DAY, 10 * DAY, len(ua)), self.cl1[ua])
        # train posts
        t = T0 + int(r.integers(0, 3 * DAY))
        while t < T1 - DAY:
            cond = int(r.choice(m))
            cl = self.cl1[cond]
            pid = self.add_posts(np.array([cond]), t, cl)[0]
            self.hashtags(np.array([cond]), t, cl, g["tag"])
            men = r.choice(m, min(S, int(r.integers(8, 21))), replace=False)
            men = men[men != cond]
            self.emit(np.full(len(men), cond), A_MENTION, TK_ACC, men, t, cl)
            rp = m[(r.random(S) < 0.5) & (m != cond)]
            self.emit(rp, A_REPOST, TK_POST, pid, t + r.lognormal(np.log(2 * HOUR), 1.0, len(rp)).astype(np.int64), self.cl1[rp])
            t += int(r.uniform(3, 10) * DAY)
        g["like_p"] = r.uniform(0.3, 0.7)
        g["rp_p"] = r.uniform(0.10, 0.25)

    def g_lone_spammer(self, g):
        r = self.rng
        a = int(g["m"][0])
        tc = g["client"]
        st = max(T0, int(self.created[a]) + 600)
        nbur = int(r.integers(3, 11))
        bd = np.sort(r.integers(st, T1 - HOUR, nbur))
        n = int(r.integers(200, 2001))
        which = r.integers(0, nbur, n)
        t = np.minimum(bd[which] + r.exponential(2 * HOUR, n).astype(np.int64), T1 - 1)
        texts = r.integers(1, 2 ** 62, int(r.integers(2, 5)))
        self.pending(np.full(n, a), A_REPLY, t, tc, 6 * HOUR, -1, texts[r.integers(0, len(texts), n)])
        hp = r.random(n) < 0.4
        self.hashtags(np.full(hp.sum(), a), t[hp], tc, self.trend[np.clip((t[hp] - T0) // DAY, 0, 89), r.integers(0, 3, hp.sum())])
        nf = int(r.integers(200, 1501))
        ft = np.sort(r.integers(st, T1 - HOUR, nf))
        tg = r.integers(0, self.N, nf)
        keep = (tg != a) & (self.created[tg] < ft)
        tg, ft = tg[keep], ft[keep]
        self.emit(np.full(len(tg), a), A_FOLLOW, TK_ACC, tg, ft, tc)
        un = r.random(len(tg)) < 0.7
        ut = ft[un] + r.integers(DAY, 4 * DAY, un.sum())
        ok = ut < T1
        self.emit(np.full(ok.sum(), a), A_UNFOLLOW, TK_ACC, tg[un][ok], ut[ok], tc)
        nl = int(r.integers(5, 30))
        self.emit(np.full(nl, a), A_LOGIN, TK_SURF, self.surf_of[tc], np.sort(r.integers(st, T1, nl)), tc)

    def g_fandom_party(self, g):
        r = self.rng
        m, idol, fc = g["m"], g["idol"], g["comm"]
        idol = int(idol[0])
        base = self.word(int(r.integers(2, 4))).upper()
        perm_tag = self.tag("#" + base)
        hour = float(r.choice([11, 12, 0, 1, 14, 3]))
        P = int(r.integers(4, 11))
        days = np.sort(r.choice(90, P, replace=False))
        tpl = r.integers(1, 2 ** 62, int(r.integers(20, 41)))
        icl = self.cl1[idol]
        for d in days:
            T = T0 + int(d) * DAY + int(hour * HOUR)
            ev_tag = self.tag("#" + base + r.choice(["Day", "Comeback", "OutNow", "Live", "Stream", "Anniversary"]) + str(int(d)))
            pid = self.add_posts(np.array([idol]), T, icl, None, 3.0)[0]
            self.hashtags(np.array([idol, idol]), T, icl, np.array([perm_tag, ev_tag]))
            part = m[r.random(len(m)) < r.uniform(0.4, 0.85)]
            k = 1 + np.minimum(r.poisson(1.5, len(part)), 5)
            start = r.lognormal(np.log(4 * 60), 0.9, len(part)) - 180
            pa = np.repeat(part, k)
            rank = np.arange(len(pa)) - np.repeat(np.cumsum(k) - k, k)
            pt = T + (np.repeat(start, k) + rank * r.exponential(8 * 60, len(pa))).astype(np.int64)
            pcl = np.where(r.random(len(pa)) < self.p_cl1[pa], self.cl1[pa], self.cl2[pa])
            ch = np.where(r.random(len(pa)) < 0.4, tpl[r.integers(0, len(tpl), len(pa))], r.integers(1, 2 ** 62, len(pa)))
            self.add_posts(pa, pt, pcl, ch)
            first = r.random(len(pa)) < 0.5
            self.hashtags(pa, pt, pcl, np.where(first, perm_tag, ev_tag))
            both = r.random(len(pa)) < 0.5
            self.hashtags(pa[both], pt[both], pcl[both], np.where(first[both], ev_tag, perm_tag))
            rp = part[r.random(len(part)) < 0.6]
            self.emit(rp, A_REPOST, TK_POST, pid, T + r.lognormal(np.log(360), 1.2, len(rp)).astype(np.int64), self.cl1[rp])
            lk = part[r.random(len(part)) < 0.75]
            self.emit(lk, A_LIKE, TK_POST, pid, T + r.lognormal(np.log(300), 1.2, len(lk)).astype(np.int64), self.cl1[lk])
            q = part[r.random(len(part)) < 0.10]
            self.emit(q, A_QUOTE, TK_POST, pid, T + r.lognormal(np.log(900), 1.0, len(q)).astype(np.int64), self.cl1[q],
                      r.integers(1, 2 ** 62, len(q)))
        # fan friendships: DM threads
        nd = len(m) // 2
        a = r.choice(m, nd)
        b = r.choice(m, nd)
        for x, y in zip(a, b):
            if x != y:
                self.links.append((x, y, "dm_thread", 1 - math.exp(-r.integers(1, 120) / 40)))

    def g_breaking_news_crowd(self, g):
        r = self.rng
        m, T = g["m"], g["T"]
        outlets = r.choice(self.popular, int(r.integers(1, 4)), replace=False)
        nu = int(r.integers(2, 6))
        ut = np.sort(T + np.concatenate([[0], r.uniform(600, 30 * HOUR, nu - 1)])).astype(np.int64)
        ua = outlets[r.integers(0, len(outlets), nu)]
        ua[0] = outlets[0]
        ucl = np.where(self.post_cl[ua] >= 0, self.post_cl[ua], self.cl1[ua])
        pids = self.add_posts(ua, ut, ucl, None, 3.0)
        etag = self.tag("#" + self.word(2).capitalize() + r.choice(["Earthquake", "Fire", "Election", "Crash", "Verdict", "Flood"]))
        self.hashtags(ua, ut, ucl, etag)
        n = len(m)
        cl = np.where(r.random(n) < self.p_cl1[m], self.cl1[m], self.cl2[m])
        rp = r.random(n) < 0.85
        self.emit(m[rp], A_REPOST, TK_POST, pids[0], T + r.lognormal(np.log(420), 1.0, rp.sum()).astype(np.int64), cl[rp])
        lk = r.random(n) < 0.55
        self.emit(m[lk], A_LIKE, TK_POST, pids[0], T + r.lognormal(np.log(300), 1.1, lk.sum()).astype(np.int64), cl[lk])
        q = r.random(n) < 0.12
        self.emit(m[q], A_QUOTE, TK_POST, pids[0], T + r.lognormal(np.log(900), 1.0, q.sum()).astype(np.int64), cl[q],
                  r.integers(1, 2 ** 62, q.sum()))
        rr = r.random(n) < 0.10
        self.emit(m[rr], A_REPLY, TK_POST, pids[0], T + r.lognormal(np.log(800), 1.0, rr.sum()).astype(np.int64), cl[rr],
                  r.integers(1, 2 ** 62, rr.sum()))
        for k in range(1, nu):
            w = r.random(n) < 0.35
            self.emit(m[w], A_REPOST, TK_POST, pids[k], ut[k] + r.lognormal(np.log(600), 1.1, w.sum()).astype(np.int64), cl[w])
            w = r.random(n) < 0.30
            self.emit(m[w], A_LIKE, TK_POST, pids[k], ut[k] + r.lognormal(np.log(500), 1.1, w.sum()).astype(np.int64), cl[w])
        own = m[r.random(n) < 0.2]
        ot = T + r.lognormal(np.log(2 * HOUR), 1.0, len(own)).astype(np.int64)
        oc = self.cl1[own]
        self.add_posts(own, ot, oc)
        self.hashtags(own, ot, oc, etag)

    def g_shared_household(self, g):
        r = self.rng
        m = g["m"]
        for i in range(len(m)):
            for j in range(i + 1, len(m)):
                self.links.append((m[i], m[j], "dm_thread", 1 - math.exp(-r.integers(5, 400) / 40)))
                lo = max(T0, int(self.created[m].max()) + HOUR)
                if r.random() < 0.2 and lo < T1 - DAY:
                    t = r.integers(lo, T1 - DAY)
                    self.emit(np.array([m[i], m[j]]), A_FOLLOW, TK_ACC, np.array([m[j], m[i]]),
                              np.array([t, t + r.integers(60, DAY)]), self.cl1[[m[i], m[j]]])

    def household_likes(self):
        """After posts exist: household members like each other's posts now and then."""
        r = self.rng
        hh = [g for g in self.G if g["kind"] == "shared_household"]
        if not hh:
            return
        P_a = np.concatenate(self.P_a)
        P_t = np.concatenate(self.P_t)
        gi = self.gidx[P_a]
        isk = self.gkind[P_a] == KINDS.index("shared_household")
        pidx = np.flatnonzero(isk)
        order = np.argsort(gi[pidx], kind="stable")
        pidx = pidx[order]
        gsorted = gi[pidx]
        for g in hh:
            m = g["m"]
            gid = self.gidx[m[0]]
            lo, hi = np.searchsorted(gsorted, [gid, gid + 1])
            ps = pidx[lo:hi]
            if len(ps) == 0:
                continue
            for b in m:
                sel = ps[(P_a[ps] != b) & (r.random(len(ps)) < 0.15) & (P_t[ps] > self.created[b])]
                t = P_t[sel] + r.lognormal(np.log(2 * HOUR), 1.5, len(sel)).astype(np.int64)
                ok = t < T1
                self.emit(np.full(ok.sum(), b), A_LIKE, TK_POST, sel[ok], t[ok], self.cl1[b])

    def ring_likes(self):
        r = self.rng
        P_a = np.concatenate(self.P_a)
        P_t = np.concatenate(self.P_t)
        for g in self.G:
            if g["kind"] != "follow_train":
                continue
            m = g["m"]
            ps = np.flatnonzero(np.isin(P_a, m) & (P_t >= T0))
            if len(ps) == 0:
                continue
            for act, p, med in ((A_LIKE, g["like_p"], 40 * 60), (A_REPOST, g["rp_p"], 90 * 60)):
                k = r.binomial(len(m), p, len(ps))
                pa = np.repeat(ps, k)
                who = m[r.integers(0, len(m), len(pa))]
                t = np.repeat(P_t[ps], k) + r.lognormal(np.log(med), 1.2, len(pa)).astype(np.int64)
                ok = (who != P_a[pa]) & (t < T1)
                self.emit(who[ok], act, TK_POST, pa[ok], t[ok], self.cl1[who[ok]])
            for i in range(len(m)):
                for j in range(i + 1, len(m)):
                    if r.random() < 0.3:
                        self.links.append((m[i], m[j], "dm_thread", 1 - math.exp(-r.integers(1, 40) / 40)))

    # ------------------------------------------------------------------ resolution
    def finalize_posts(self):
        r = self.rng
        P_a = np.concatenate(self.P_a)
        nwin = len(P_a)
        # posts made before the window: targets only (no post event)
        ns = int(0.5 * nwin)
        elig = np.flatnonzero((self.created < T0 - 60 * DAY) & (self.mult > 0.2))
        w = self.act[elig] * (1 + (self.arch[elig] == 2) * 2)
        sa = elig[r.choice(len(elig), ns, p=w / w.sum())]
        st = r.integers(T0 - 60 * DAY, T0 - 60, ns)
        self.P_a.append(sa)
        self.P_t.append(st)
        self.P_v.append(np.minimum(r.lognormal(0, 1.0, ns), 20))
        self.P_n += ns
        self.P_a = [np.concatenate(self.P_a)]
        self.P_t = [np.concatenate(self.P_t)]
        self.P_v = [np.concatenate(self.P_v)]
        Pa, Pt, Pv = self.P_a[0], self.P_t[0], self.P_v[0]
        w = (np.minimum(self.followers[Pa], 1e6) + 20.0) ** 0.35 * Pv
        o = np.argsort(Pt, kind="stable")
        self.G_t, self.G_o = Pt[o], o
        self.G_cw = np.concatenate([[0.0], np.cumsum(w[o])])
        self.KB = T0 - 400 * DAY
        key = self.comm[Pa] * (2 ** 33) + (Pt - self.KB)
        o = np.argsort(key, kind="stable")
        self.C_key, self.C_o = key[o], o
        self.C_cw = np.concatenate([[0.0], np.cumsum(w[o])])
        # post numbers grow with time, with gaps
        num = np.empty(len(Pt), dtype=np.int64)
        num[self.G_o] = 1_000_000 + np.cumsum(r.integers(1, 40, len(Pt)))
        self.P_num = num

    def _wpick(self, cw, lo, hi):
        u = cw[lo] + self.rng.random(len(lo)) * (cw[hi] - cw[lo])
        pos = np.searchsorted(cw, u, side="right") - 1
        return np.clip(pos, lo, hi - 1)

    def pick_posts(self, t, lag, comm):
        n = len(t)
        out = np.full(n, -1, dtype=np.int64)
        ci = np.flatnonzero(comm >= 0)
        if len(ci):
            kc = comm[ci] * (2 ** 33) - self.KB
            lo = np.searchsorted(self.C_key, kc + t[ci] - lag[ci])
            hi = np.searchsorted(self.C_key, kc + t[ci] - 20)
            seg = np.searchsorted(self.C_key, comm[ci] * (2 ** 33))
            lo = np.where(hi <= lo, np.maximum(seg, hi - 30), lo)
            ok = hi > lo
            out[ci[ok]] = self.C_o[self._wpick(self.C_cw, lo[ok], hi[ok])]
        gi = np.flatnonzero(out < 0)
        lo = np.searchsorted(self.G_t, t[gi] - lag[gi])
        hi = np.maximum(np.searchsorted(self.G_t, t[gi] - 20), 1)
        lo = np.where(hi <= lo, np.maximum(0, hi - 30), lo)
        out[gi] = self.G_o[self._wpick(self.G_cw, lo, hi)]
        return out

    def resolve(self):
        r = self.rng
        if self.pend:
            cols = [np.concatenate([p[i] for p in self.pend]) for i in range(7)]
            acc, act, ts, cl, ch, lag, comm = cols
            tn = self.pick_posts(ts, lag, comm)
            self.emit(acc, act, TK_POST, tn, ts, cl, ch)
            self.pend = []
        # follows and mentions: popularity-weighted, half within community
        w = (np.minimum(self.followers, 1e6) + 5.0) ** 0.5
        self.F_cw = np.concatenate([[0.0], np.cumsum(w)])
        co = np.argsort(self.comm, kind="stable")
        self.Fc_o = co
        self.Fc_cw = np.concatenate([[0.0], np.cumsum(w[co])])
        self.Fc_key = self.comm[co]
        if self.pfol:
            acc, ts, cl, comm, unf = [np.concatenate([p[i] for p in self.pfol]) for i in range(5)]
            tgt = self.pick_accounts(comm)
            ok = (tgt != acc) & (self.created[tgt] < ts)
            acc, ts, cl, tgt, unf = acc[ok], ts[ok], cl[ok], tgt[ok], unf[ok]
            self.emit(acc, A_FOLLOW, TK_ACC, tgt, ts, cl)
            u = r.random(len(acc)) < unf
            ut = ts[u] + r.exponential(10 * DAY, u.sum()).astype(np.int64)
            k = ut < T1
            self.emit(acc[u][k], A_UNFOLLOW, TK_ACC, tgt[u][k], ut[k], cl[u][k])
        if getattr(self, "_mentions", None):
            acc, ts, cl = [np.concatenate([p[i] for p in self._mentions]) for i in range(3)]
            comm = np.where(r.random(len(acc)) < 0.6, self.comm[acc], -1)
            tgt = self.pick_accounts(comm)
            ok = (tgt != acc) & (self.created[tgt] < ts)
            self.emit(acc[ok], A_MENTION, TK_ACC, tgt[ok], ts[ok], cl[ok])

    def pick_accounts(self, comm):
        n = len(comm)
        out = np.empty(n, dtype=np.int64)
        ci = np.flatnonzero(comm >= 0)
        lo = np.searchsorted(self.Fc_key, comm[ci], side="left")
        hi = np.searchsorted(self.Fc_key, comm[ci], side="right")
        out[ci] = self.Fc_o[self._wpick(self.Fc_cw, lo, np.maximum(hi, lo + 1))]
        gi = np.flatnonzero(comm < 0)
        out[gi] = self._wpick(self.F_cw, np.zeros(len(gi), dtype=np.int64), np.full(len(gi), self.N))
        return out

    # ------------------------------------------------------------------ identifiers
    def signals(self):
        r, N = self.rng, self.N
        out = []   # (acc, kind, values, seen)

        def hexs(n, nbytes):
            x = r.integers(0, 2 ** 63, (n, (nbytes + 7) // 8), dtype=np.int64)
            return ["".join(f"{v:016x}" for v in row)[: nbytes * 2] for row in x]

        def seen_rand(acc, lo=None):
            a = np.maximum(self.created[acc], T0 - 30 * DAY) if lo is None else lo
            return a + (r.random(len(acc)) * (T1 - a)).astype(np.int64)

        # --- IPs
        nat_n = max(5, N // 1500)
        nat = r.integers(2 ** 24 * 11, 2 ** 24 * 223, nat_n)
        nat_c = r.choice(NC, nat_n, p=CW)
        campus = r.integers(2 ** 24 * 11, 2 ** 24 * 223, max(3, N // 700))
        vpn = r.integers(2 ** 24 * 11, 2 ** 24 * 223, max(10, int(round(30 * self.sc ** 0.5))))
        ipacc, ipval, ipseen = [], [], []
        acc = np.flatnonzero(self.sig_ip)
        k = 1 + r.binomial(2, 0.3, len(acc))
        a = np.repeat(acc, k)
        u = r.random(len(a))
        v = r.integers(2 ** 24 * 11, 2 ** 24 * 223, len(a))   # home
        m = (u >= 0.55) & (u < 0.85)
        cidx = np.empty(m.sum(), dtype=np.int64)
        for c in range(NC):
            sel = np.flatnonzero(self.ctry[a[m]] == c)
            cand = np.flatnonzero(nat_c == c)
            if len(cand) == 0:
                cand = np.arange(nat_n)
            cidx[sel] = cand[r.integers(0, len(cand), len(sel))]
        v[m] = nat[cidx]
        m = (u >= 0.85) & (u < 0.92)
        v[m] = campus[r.integers(0, len(campus), m.sum())]
        m = (u >= 0.92) & (u < 0.97)
        v[m] = vpn[r.integers(0, len(vpn), m.sum())]
        v6 = u >= 0.97
        vals = []
        for x, six in zip(v, v6):
            if six:
                vals.append("2a02:%x:%x:%x::%x" % tuple(int(q) for q in r.integers(1, 65535, 4)))
            else:
                vals.append(ip_str(x))
        ipacc.append(a)
        ipval += vals
        ipseen.append(seen_rand(a))
        # groups' IPs
        for g in self.G:
            kind = g["kind"]
            if kind == "repost_botnet":
                bots = g["bots"]
                if g["variant"] == "blunt":
                    base = (int(r.choice(DC_FIRST)) << 24) | (int(r.integers(0, 256)) << 16) | (int(r.integers(0, 256)) << 8)
                    pool = base + r.choice(np.arange(2, 254), int(r.integers(3, 13)), replace=False)
                    lg = bots[r.random(len(bots)) < 0.8]
                    kk = r.integers(1, 4, len(lg))
                    aa = np.repeat(lg, kk)
                    ipacc.append(aa)
                    ipval += [ip_str(x) for x in pool[r.integers(0, len(pool), len(aa))]]
                    ipseen.append(seen_rand(aa, np.maximum(self.created[aa], T0)))
                    if len(g["ops"]):
                        ipacc.append(g["ops"])
                        ipval += [ip_str(pool[0])] * len(g["ops"])
                        ipseen.append(seen_rand(g["ops"]))
                else:
                    pool = r.integers(2 ** 24 * 11, 2 ** 24 * 223, max(8, len(bots) // 3))
                    lg = bots[r.random(len(bots)) < 0.3]
                    kk = r.integers(1, 3, len(lg))
                    aa = np.repeat(lg, kk)
                    ipacc.append(aa)
                    ipval += [ip_str(x) for x in pool[r.integers(0, len(pool), len(aa))]]
                    ipseen.append(seen_rand(aa))
                    # the proxies are infected homes: their owners log in from them too
                    hon = r.choice(np.flatnonzero((self.gkind < 0) & self.sig_ip), min(len(pool), max(1, len(bots) // 4)), replace=False)
                    ipacc.append(hon)
                    ipval += [ip_str(x) for x in pool[: len(hon)]]
                    ipseen.append(seen_rand(hon))
            elif kind == "astroturf_campaign":
                socks = g["socks"]
                pool = r.integers(2 ** 24 * 11, 2 ** 24 * 223, int(r.integers(2, 5)))
                lg = socks[r.random(len(socks)) < 0.6]
                ipacc.append(lg)
                ipval += [ip_str(x) for x in pool[r.integers(0, len(pool), len(lg))]]
                ipseen.append(seen_rand(lg))
            elif kind == "fake_follower_seller":
                m_ = g["m"]
                base = (int(r.choice(DC_FIRST)) << 24) | (int(r.integers(0, 256)) << 16)
                pool = base + r.integers(0, 65536, int(r.integers(5, 21)))
                lg = m_[r.random(len(m_)) < 0.5]
                ipacc.append(lg)
                ipval += [ip_str(x) for x in pool[r.integers(0, len(pool), len(lg))]]
                ipseen.append(seen_rand(lg, np.maximum(self.created[lg], T0)))
            elif kind == "lone_spammer":
                if r.random() < 0.5:
                    a1 = g["m"]
                    ipacc.append(a1)
                    ipval += [ip_str(int(r.choice(vpn)) if r.random() < 0.5 else int(r.integers(2 ** 24 * 11, 2 ** 24 * 223)))]
                    ipseen.append(seen_rand(a1))
            elif kind == "newsroom_team":
                m_ = g["m"]
                office = r.integers(2 ** 24 * 11, 2 ** 24 * 223, int(r.integers(1, 3)))
                kk = r.integers(1, 3, len(m_))
                aa = np.repeat(m_, kk)
                ipacc.append(aa)
                ipval += [ip_str(x) for x in office[r.integers(0, len(office), len(aa))]]
                ipseen.append(seen_rand(aa))
            elif kind == "declared_automation":
                m_ = g["m"]
                ipacc.append(m_)
                ipval += [ip_str(g["server"])] * len(m_)
                ipseen.append(seen_rand(m_))
            elif kind == "shared_household":
                if g["logged"]:
                    m_ = g["m"]
                    ipacc.append(m_)
                    ipval += [ip_str(g["ip"])] * len(m_)
                    ipseen.append(seen_rand(m_))
        ipacc = np.concatenate(ipacc)
        ipseen = np.concatenate(ipseen)
        # quirks: ::ffff: mapped form, 0.0.0.0 placeholders
        for i in np.flatnonzero(r.random(len(ipval)) < 0.04):
            if ":" not in ipval[i]:
                ipval[i] = "::ffff:" + ipval[i]
        for i in np.flatnonzero(r.random(len(ipval)) < 0.004):
            ipval[i] = "0.0.0.0"
        out.append((ipacc, "ip", ipval, ipseen))
        # --- phones
        acc = np.flatnonzero(self.sig_phone)
        vals = hexs(len(acc), 32)
        rec = np.flatnonzero(r.random(len(acc)) < 0.01)
        for i in rec:   # recycled numbers: a stranger has the same digest
            vals[i] = vals[int(r.integers(0, len(acc)))]
        empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        for i in np.flatnonzero(r.random(len(acc)) < 0.003):
            vals[i] = empty
        pacc, pval = [acc], vals
        for g in self.G:
            kind = g["kind"]
            if kind == "repost_botnet" and g["variant"] == "blunt":
                bots = g["bots"]
                lg = bots[r.random(len(bots)) < 0.3]
                pool = hexs(max(1, len(lg) // int(r.integers(5, 16))), 32)
                pacc.append(lg)
                pval += [pool[i] for i in r.integers(0, len(pool), len(lg))]
            elif kind == "astroturf_campaign":
                socks = g["socks"]
                lg = socks[r.random(len(socks)) < 0.4]
                pool = hexs(max(1, len(lg) // 4), 32)
                pacc.append(lg)
                pval += [pool[i] for i in r.integers(0, len(pool), len(lg))]
            elif kind == "fake_follower_seller":
                m_ = g["m"]
                lg = m_[r.random(len(m_)) < 0.15]
                pool = hexs(max(1, len(m_) // 10), 32)
                pacc.append(lg)
                pval += [pool[i] for i in r.integers(0, len(pool), len(lg))]
            elif kind == "shared_household" and g["phone"]:
                m_ = g["m"]
                k = g["phone"]
                pacc.append(m_[:k])
                pval += hexs(1, 32) * k
        pacc = np.concatenate(pacc)
        out.append((pacc, "phone", pval, self.created[pacc] + r.integers(0, 30 * DAY, len(pacc))))
        # --- email and domain
        acc = np.flatnonzero(self.sig_email)
        out.append((acc, "email", hexs(len(acc), 20), self.created[acc]))
        dom = np.array(MAIL)[r.choice(len(MAIL), len(acc), p=MAIL_W)].tolist()
        own = np.flatnonzero(r.random(len(acc)) < 0.05)
        for i in own:
            dom[i] = self.word(int(r.integers(2, 4))) + r.choice([".com", ".net", ".org", ".io", ".co.uk", ".de"])
        for i in np.flatnonzero(self.mail_bad[acc] | (r.random(len(acc)) < 0.015)):
            dom[i] = DISPOSABLE[int(r.integers(0, len(DISPOSABLE)))]
        out.append((acc, "email_domain", dom, self.created[acc]))
        # --- devices
        acc = np.flatnonzero(self.sig_device)
        dv = [s.upper() for s in hexs(len(acc), 16)]
        dacc = [acc]
        for g in self.G:
            if g["kind"] == "shared_household" and g["device"]:
                m_ = g["m"]
                dacc.append(m_)
                dv += [hexs(1, 16)[0].upper()] * len(m_)
        dacc = np.concatenate(dacc)
        dv = [f"{s[:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:32]}" for s in dv]
        out.append((dacc, "device", dv, seen_rand(dacc)))
        return out

    # ------------------------------------------------------------------ run
    def run(self):
        self.base_accounts()
        self.setup()
        self.organic()
        self.act_groups()
        self.ring_likes()
        self.household_likes()
        self.finalize_posts()
        self.resolve()
        self.organic_links()

    def organic_links(self):
        r = self.rng
        n = int(0.4 * self.N)
        a = r.integers(0, self.N, n)
        co = self.Fc_o
        same = r.random(n) < 0.7
        b = r.integers(0, self.N, n)
        # partner in the same community
        lo = np.searchsorted(self.Fc_key, self.comm[a[same]], side="left")
        hi = np.searchsorted(self.Fc_key, self.comm[a[same]], side="right")
        b[same] = co[lo + (r.random(same.sum()) * (hi - lo)).astype(np.int64)]
        ok = (a != b) & (self.mult[a] > 0) & (self.mult[b] > 0) & ~self.bad[a] & ~self.bad[b]
        msgs = r.lognormal(1.5, 1.3, ok.sum())
        self.org_links = (a[ok], b[ok], 1 - np.exp(-msgs / 40))

    def frames(self):
        r, N = self.rng, self.N
        # ---- account ids: sequential before 2016, snowflakes after
        cr = self.created.astype(np.int64)
        legacy_t0 = calendar.timegm((2006, 3, 21, 0, 0, 0))
        frac = np.clip((cr - legacy_t0) / (SNOW_SWITCH - legacy_t0), 0, 1)
        ids = np.where(cr < SNOW_SWITCH, (12 + 4.7e9 * frac ** 1.6).astype(np.int64),
                       ((cr - SNOW_EPOCH) * 1000 + r.integers(0, 1000, N)) * (2 ** 22) + r.integers(0, 2 ** 22, N))
        o = np.argsort(ids, kind="stable")
        s = ids[o]
        s = np.maximum.accumulate(s - np.arange(N)) + np.arange(N)
        ids[o] = s
        ids_s = pl.Series("account_id", ids).cast(pl.Utf8)
        # ---- accounts
        created_out = cr.copy()
        sent = (cr < calendar.timegm((2012, 1, 1, 0, 0, 0))) & (r.random(N) < 0.0015) & (self.gkind < 0)
        created_out[sent] = 0
        screen = []
        for i in range(N):
            if self.screen_kind[i]:
                screen.append(self.word(int(r.integers(1, 3))).capitalize() + str(int(r.integers(10 ** 7, 10 ** 8))))
            else:
                w = self.word(int(r.integers(2, 4)))
                if r.random() < 0.4:
                    w += ("_" if r.random() < 0.4 else "") + str(int(r.integers(1, 2000)))
                screen.append(w)
        seen = {}
        for i, sname in enumerate(screen):
            key = sname.lower()
            if key in seen:
                screen[i] = sname + str(i % 997)
            seen[screen[i].lower()] = 1
        ctry = np.array([c[0] for c in COUNTRIES])[self.ctry].astype(object)
        ctry[r.random(N) < 0.35] = None
        lang = np.array([c[4] for c in COUNTRIES])[self.ctry].astype(object)
        badl = np.flatnonzero(self.screen_kind == 1)
        lang[badl] = np.array(["en", "en", "es", "ar", "ru"])[r.integers(0, 5, len(badl))]
        lang[r.random(N) < 0.02] = "und"
        # ---- events
        cols = [np.concatenate([e[i] for e in self.ev]) for i in range(7)]
        self.ev = []
        acc, act, tk, tn, ts, cl, ch = cols
        # the mobile logger's "Like", repeated like rows, epoch sentinel, far-future logins
        lk = np.flatnonzero(act == A_LIKE)
        act[lk[r.random(len(lk)) < 0.003]] = A_LIKE_V
        dup = lk[r.random(len(lk)) < 0.0015]
        ep = lk[r.random(len(lk)) < 0.00001]
        lg = np.flatnonzero(act == A_LOGIN)
        ff = lg[r.choice(len(lg), max(2, int(round(8 * self.sc))), replace=False)]
        ts = np.minimum(ts, T1 - 1)
        early = ts < cr[acc] + 1
        if early.any():   # safety net: nothing before its account's creation
            ts[early] = cr[acc[early]] + r.integers(60, 3600, int(early.sum()))
        ts[ep] = 0
        ts[ff] = calendar.timegm((2037, 1, 1, 0, 0, 0)) + r.integers(0, 300 * DAY, len(ff))
        nullc = r.random(len(cl)) < 0.015
        cl[nullc] = -1
        if len(dup):
            acc, act, tk, tn, ts, cl, ch = [np.concatenate([c, c[dup]]) for c in (acc, act, tk, tn, ts, cl, ch)]
        o = np.lexsort((act, acc, ts))
        acc, act, tk, tn, ts, cl, ch = [c[o] for c in (acc, act, tk, tn, ts, cl, ch)]
        del o
        E = len(acc)
        pieces, perm = [], []
        post_num = pl.Series(self.P_num).cast(pl.Utf8)
        tags = pl.Series(self.tags)
        surf = pl.Series(SURFACES)
        for k in range(4):
            idx = np.flatnonzero(tk == k)
            perm.append(idx)
            sub = tn[idx]
            if k == TK_POST:
                pieces.append(pl.DataFrame({"x": post_num.gather(sub)})
                              .select(pl.concat_str([pl.lit("p-"), pl.col("x")])).to_series())
            elif k == TK_ACC:
                pieces.append(ids_s.gather(sub))
            elif k == TK_TAG:
                pieces.append(tags.gather(sub))
            else:
                pieces.append(surf.gather(sub))
        perm = np.concatenate(perm)
        inv = np.empty(E, dtype=np.int64)
        inv[perm] = np.arange(E)
        del perm
        target = pl.concat([p.rename("target_id") for p in pieces]).gather(inv)
        del pieces, inv
        cnames = pl.Series(self.clients + [None], dtype=pl.Utf8)
        cl = np.where(cl < 0, len(self.clients), cl)
        events = pl.DataFrame({
            "account_id": ids_s.gather(acc),
            "action": pl.Series(ACTIONS).gather(act),
            "target_id": target,
            "ts": pl.Series(ts * 1_000_000).cast(pl.Datetime("us")),
            "client": cnames.gather(cl),
            "content_hash": pl.Series(ch, dtype=pl.Int64),
        }).with_columns(pl.when(pl.col("content_hash") > 0).then(pl.col("content_hash")).alias("content_hash"))
        # profile counters (snapshot at export)
        npost = np.bincount(acc[act == A_POST], minlength=N)
        nfol = np.bincount(acc[act == A_FOLLOW], minlength=N)
        del acc, act, tk, tn, ts, cl, ch, target
        age = np.maximum(T1 - cr, DAY) / (90 * DAY)
        statuses = (npost * np.maximum(age, 1) ** 0.7 * r.lognormal(0, 0.3, N)).astype(np.int64)
        accounts = pl.DataFrame({
            "account_id": ids_s,
            "created_at": pl.Series(created_out * 1_000_000).cast(pl.Datetime("us")),
            "account_type": pl.Series(np.array(["personal", "business", "automated"])[self.atype]),
            "country": pl.Series(ctry.tolist(), dtype=pl.Utf8),
            "screen_name": pl.Series(screen),
            "lang": pl.Series(lang.tolist(), dtype=pl.Utf8),
            "verified": pl.Series(self.verified),
            "default_profile_image": pl.Series(self.defimg),
            "followers_count": pl.Series(self.followers),
            "friends_count": pl.Series(self.friends + nfol),
            "statuses_count": pl.Series(statuses),
        }).sort("account_id")
        # ---- signals
        rows = []
        for acc_, kind, vals, seen_ in self.signals():
            sa = np.asarray(seen_, dtype=np.int64)
            sa = np.maximum(sa, np.maximum(cr[acc_], calendar.timegm((2008, 1, 1, 0, 0, 0))))
            rows.append(pl.DataFrame({"account_id": ids_s.gather(acc_), "kind": [kind] * len(acc_),
                                      "value": pl.Series(vals, dtype=pl.Utf8),
                                      "seen_at": pl.Series(sa * 1_000_000).cast(pl.Datetime("us"))}))
        clsig = (events.filter(pl.col("client").is_not_null() & (pl.col("ts") > pl.datetime(1990, 1, 1)))
                 .group_by("account_id", "client").agg(pl.col("ts").min().alias("seen_at"))
                 .select("account_id", pl.lit("client").alias("kind"), pl.col("client").alias("value"), "seen_at"))
        signals = pl.concat(rows + [clsig]).sort("account_id", "kind", "value", "seen_at")
        n = signals.height
        nul = r.random(n) < 0.02
        eps = np.zeros(n, dtype=bool)
        eps[r.choice(n, min(n, 12), replace=False)] = True
        signals = signals.with_columns(
            pl.when(pl.Series(eps)).then(pl.lit(0).cast(pl.Datetime("us")))
            .when(pl.Series(nul)).then(None).otherwise(pl.col("seen_at")).alias("seen_at"))
        signals = signals.unique(maintain_order=True)
        # ---- links
        la = [x[0] for x in self.links] + self.org_links[0].tolist()
        lb = [x[1] for x in self.links] + self.org_links[1].tolist()
        lk_ = [x[2] for x in self.links] + ["dm_thread"] * len(self.org_links[0])
        lw = [float(x[3]) for x in self.links] + self.org_links[2].tolist()
        la, lb = np.array(la, dtype=np.int64), np.array(lb, dtype=np.int64)
        sa, sb = ids_s.gather(la), ids_s.gather(lb)
        links = (pl.DataFrame({"a": sa, "b": sb, "kind": lk_, "weight": lw})
                 .filter(pl.col("a") != pl.col("b"))
                 .with_columns(pl.min_horizontal("a", "b").alias("account_a"), pl.max_horizontal("a", "b").alias("account_b"))
                 .group_by("account_a", "account_b", "kind").agg(pl.col("weight").max())
                 .with_columns(pl.col("weight").round(4))
                 .sort("account_a", "account_b", "kind"))
        # ---- truth
        gname = np.array(self.gnames + [None], dtype=object)
        gk = np.array(KINDS + [None], dtype=object)
        truth = pl.DataFrame({
            "account_id": ids_s,
            "is_bad": pl.Series(self.bad),
            "group_id": pl.Series(gname[self.gidx].tolist(), dtype=pl.Utf8),
            "group_kind": pl.Series(gk[self.gkind].tolist(), dtype=pl.Utf8),
        }).sort("account_id")
        labels = self.labels(ids_s)
        return accounts, events, signals, links, truth, labels

    def labels(self, ids_s):
        r, N = self.rng, self.N
        lab = np.full(N, -1, dtype=np.int64)
        plan = {("repost_botnet", "blunt"): (0.8, 0.5, 0.9), ("repost_botnet", "careful"): (0.35, 0.2, 0.5),
                ("astroturf_campaign", None): (0.5, 0.3, 0.7), ("fake_follower_seller", None): (0.7, 0.4, 0.9),
                ("follow_train", None): (0.35, 0.2, 0.5)}
        for g in self.G:
            key = (g["kind"], g.get("variant"))
            if key not in plan:
                continue
            pf, lo, hi = plan[key]
            if r.random() < pf:
                m = g["m"]
                sel = m[r.random(len(m)) < r.uniform(lo, hi)]
                lab[sel] = np.where(r.random(len(sel)) < 0.05, 0, 1)
        sp = np.flatnonzero(self.gkind == KINDS.index("lone_spammer"))
        lab[sp[r.random(len(sp)) < 0.45]] = 1
        honest = np.flatnonzero(~self.bad & (lab < 0))
        p = np.full(len(honest), 0.05)
        p[self.verified[honest]] = 0.5
        p[self.atype[honest] == 1] = 0.3
        p[self.atype[honest] == 2] = 0.9
        p[self.created[honest] < calendar.timegm((2014, 1, 1, 0, 0, 0))] += 0.04
        lab[honest[r.random(len(honest)) < p]] = 0
        wrong = honest[r.random(len(honest)) < 0.002]
        lab[wrong] = 1
        fan = [g for g in self.G if g["kind"] == "fandom_party"]
        if fan:
            g = fan[int(r.integers(0, len(fan)))]
            lab[r.choice(g["m"], min(len(g["m"]), int(r.integers(3, 9))), replace=False)] = 1
        idx = np.flatnonzero(lab >= 0)
        return pl.DataFrame({"account_id": ids_s.gather(idx), "label": pl.Series(lab[idx], dtype=pl.Int64)}).sort("account_id")


KINDS = ["repost_botnet", "astroturf_campaign", "fake_follower_seller", "follow_train", "lone_spammer",
         "fandom_party", "breaking_news_crowd", "newsroom_team", "declared_automation", "shared_household",
         "boost_customer"]


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
    accounts.write_parquet(out / "accounts.parquet")
    events.write_parquet(out / "events.parquet")
    signals.write_parquet(out / "signals.parquet")
    links.write_parquet(out / "links.parquet")
    truth.write_parquet(out / "truth.parquet")
    if not args.no_labels:
        labels.write_parquet(out / "labels.parquet")
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

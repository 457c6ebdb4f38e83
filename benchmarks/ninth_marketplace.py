#!/usr/bin/env python
"""ninth_marketplace -- review-spam data in the mould of YelpChi/NYC/Zip and the Amazon user graph.

An independent generator (written without reading syndicate's source): it tries to look like the
public review-spam benchmarks fraud tools are scored on, not like a toy where the spammers shine.

    python benchmarks/ninth_marketplace.py OUT_DIR --accounts 20000 --seed 1 \
        [--flavour yelp|amazon] [--no-labels] [--label-share 1.0] [--report]

Tables written in OUT_DIR (see shared/DESIGN.md "Data contract (inputs)")
------------------------------------------------------------------------
accounts.parquet  account_id str, created_at datetime
    Review dumps carry no account-creation time, so a data scientist has to pick a stand-in:
    * yelp:   the first day of the reviewer's "Yelping since" month (Mukherjee's YelpChi crawl
              keeps a month-resolution join date per reviewer; YelpNYC/YelpZip keep none). Many
              reviewers, honest or not, join in the month of their first review; honest regulars
              and elites joined long before the reviews in the data (the data only hold reviews
              of the crawled businesses), purchased/aged spam accounts too.
    * amazon: the day of the user's first review in the data (Amazon gives no join date).
events.parquet    account_id, action="review", target_id (business / product), ts (datetime at
                  day granularity, midnight UTC, as in the dumps), rating int 1-5.
                  amazon only: helpful_votes, total_votes (ints, the "x/y found this helpful").
                  NB those two columns are what the Amazon labels are computed from.
labels.parquet    account_id, label int (1 bad, 0 good) -- the noisy view, see below.
truth.parquet     account_id, is_bad bool, group_id str (null for lone actors and all benign),
                  group_kind str -- exact generator truth, for evaluation only, not in the contract.
No signals table: review dumps have no devices/IPs/payment instruments.

Published statistics this aims at (sources, from memory of the papers -- see "unsure" below)
--------------------------------------------------------------------------------------------
Rayana & Akoglu, KDD 2015 ("Collective opinion spam detection", SpEagle), Table 1:
    YelpChi  67,395 reviews, 38,063 users, 201 hotels+restaurants, 13.2% reviews filtered,
             20.3% users labelled spammer               -> 1.77 reviews/user, 0.005 products/user
    YelpNYC 359,052 reviews, 160,225 users, 923 restaurants, 10.3% filtered, 17.8% spammers
    YelpZip 608,598 reviews, 260,277 users, 5,044 restaurants, 13.2% filtered, 23.9% spammers
             -> 2.34 reviews/user, 0.019 products/user
    Labels = Yelp's filter (filtered = spam); a user's label comes from her filtered reviews.
    SpEagle (the best unsupervised method there) reaches only AP ~0.3-0.4 / AUROC ~0.7-0.8 at the
    user level on YelpChi; single behavioural features are weak (AUROC ~0.6-0.75).
Mukherjee et al., ICWSM 2013 ("What Yelp fake review filter might be doing?") and KDD 2013:
    filtered reviewers are short-lived, post more reviews per day (MNR), give more extreme and
    more positive ratings, deviate more from the product mean; but distributions overlap a lot,
    and the filter leans heavily on reviewer activity (few reviews -> more likely filtered).
Mukherjee, Liu & Glance, WWW 2012 ("Spotting fake reviewer groups"): organised groups review
    the same few products within a short time window; groups are a minority of spam.
Rating shape on Yelp: J-shaped, roughly 5* ~35-40%, 4* ~28-32%, 3* ~13%, 2* ~9%, 1* ~10%.
Amazon (Dou et al., CIKM 2020, CARE-GNN, after Zhang et al. SIGIR 2020): Musical Instruments
    reviews; users with >80% helpful votes are benign, <20% fraud, the rest dropped:
    11,944 labelled users, 9.5% fraud. Amazon ratings skew higher (5* ~55-60%). Helpfulness is
    known to punish dissent from the consensus (Danescu-Niculescu-Mizil et al., WWW 2009), so
    these labels correlate with rating deviation more than the truth does.

What is planted (yelp flavour, --accounts 20000; exact counts print with --report)
-----------------------------------------------------------------------------------
Businesses: 0.0194 per reviewer (~390), Zipf(0.85) popularity in random order, half established
before the data start, half opening during it; ~12 per neighbourhood. Review volume grows ~30x
over Oct 2004 - Jan 2015 (Yelp's growth). One review per (reviewer, business).
Benign (82% of reviewers)                                   ~ accounts at 20k
    casual      one review, J-shaped (extreme) ratings             ~9,260
    angry       one review, 1-2 stars, mostly new accounts           ~810
    opening     one review in the first weeks of a new business     ~890
    festival    one-time reviewers of 2-4 places of one neighbourhood
                within 0-3 days (a street festival), some 2 the same day   ~160
    occasional  2-6 reviews over about a year                       ~4,060
    regular     4-20 reviews (~6.5 after one-per-business), mostly one
                neighbourhood, over years                            ~970
    elite       15-400 reviews over years (~41 after dedupe), plus "Elite events": 5-15
                elites reviewing one new business within a week      ~240
Bad (18% of reviewers; organised groups are ~18% of bad accounts, ~1/4 of spam reviews)
    (spam targets are drawn with flattened popularity, w^0.4, tilted toward weaker businesses,
    exp(-1.5 (quality - mean)): those are the ones that buy reviews)
    lone_singleton   one promoting (80%: 5*/4* 85/15) or demoting (1*/2*) review; half on a
                     business in its first months; mostly new accounts          ~2,380
    lone_freelancer  2-8 reviews for unrelated businesses within days-weeks    ~400
    promo_campaign   groups of 3-15 accounts, 1-3 campaigns each, co-reviewing 1-3 client
                     businesses within 1-30 days, 4-5*, some cover reviews    ~470 (~70 groups)
    attack_campaign  groups of 3-10 giving 1-2* to a popular competitor within days, half also
                     boosting a client in the same neighbourhood              ~180 (~35 groups)
    camouflaged      aged accounts with an honest-looking history and 1-3 spam reviews   ~180
Yelp filter (the labels): P(filtered) per review from a logistic model of truth, spam kind,
reviewer activity (reviews in data), new account, burst on the business, rating deviation (the
filter is itself a behavioural classifier), plus a per-reviewer random effect (it is
reviewer-centric). Measured at 20k: ~13% of reviews filtered, precision ~0.68 and recall ~0.69
against true spam, ~11% of honest singletons filtered. User label = 1 if at least half of her
reviews are filtered (~20% of users), so labels are ~0.63 precise / ~0.70 complete vs truth.
Amazon flavour: the same machinery with Amazon shapes: 0.12 products per reviewer, Zipf(1.0),
5* ~56%, categories instead of neighbourhoods, "deal bursts" (a deal brings one-time buyers of a
few products of one category within days), launch buzz, enthusiasts, top reviewers with
Vine-like bursts on new products, review rings (promo), competitor attacks; 11% bad reviewers
(20k: lone 1,320, freelancers 286, rings 330 in ~50 groups, attackers 110 in ~19 groups,
camouflaged 154). Helpful votes are Poisson-gamma (more on popular products, older reviews, top
reviewers); the helpful share falls with rating dissent and is lower for spam; rings up-vote
each other. Labels only for users with >= 4 votes and a helpful share < 20% (1) or > 80% (0):
~14% of users get one, ~9.4% of those are 1 (CARE-GNN: 9.5%); --label-share samples among these.
created_at = first review day, so it carries no signal in this flavour.

Deliberately weak signals: rating extremity and deviation overlap heavily (one-time honest
reviewers are extreme too, spam 5* on a good business barely deviates), honest bursts (openings,
festivals, elite events) look like campaigns, most spammers and most honest users are singletons.

Unsure about (my memory of the papers; check before quoting)
------------------------------------------------------------
* the exact user-labelling rule in Rayana & Akoglu (any filtered review vs. a majority); here
  majority (USER_SPAM_SHARE below), which with mostly-singleton users makes little difference;
* whether YelpChi's reviewer table really carries "Yelping since" (I believe yelpJoinDate is there);
* the minimum number of votes for an Amazon user to be labelled (AMAZON_MIN_VOTES here is a guess);
* the filter's real precision/recall against true spam is unknown -- chosen ~2/3 / ~2/3.
"""
from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

USER_SPAM_SHARE = 0.5     # yelp: label 1 if >= this share of the user's reviews is filtered
AMAZON_MIN_VOTES = 4      # amazon: votes a user needs to be labelled (a guess)
AMAZON_BAD_BELOW = 0.2
AMAZON_GOOD_ABOVE = 0.8

BENIGN = ["casual", "angry", "opening", "festival", "occasional", "regular", "elite"]
BAD = ["lone_singleton", "lone_freelancer", "promo_campaign", "attack_campaign", "camouflaged"]
KINDS = BENIGN + BAD
K = {k: i for i, k in enumerate(KINDS)}
AMAZON_NAMES = {"opening": "launch_buzz", "festival": "deal_burst", "regular": "enthusiast",
                "elite": "top_reviewer", "promo_campaign": "review_ring"}

CFG = {
    "yelp": dict(
        start="2004-10-01", end="2015-01-10", growth=30.0,
        products_per_reviewer=0.0194, zipf=0.85, established=0.5, nb_size=12,
        q_mu=3.85, q_sd=0.45, cuts=(2.15, 2.7, 3.3, 4.2), spam_q_pull=1.5,
        bad_share=0.18,
        benign_mix=dict(casual=0.57, angry=0.05, opening=0.055, festival=0.01, occasional=0.25,
                        regular=0.06, elite=0.015),
        bad_mix=dict(lone_singleton=0.66, lone_freelancer=0.11, promo_campaign=0.13,
                     attack_campaign=0.05, camouflaged=0.05),
        festival_size=40, elite_mean=45,
    ),
    "amazon": dict(
        start="2004-01-01", end="2014-07-20", growth=60.0,
        products_per_reviewer=0.12, zipf=1.0, established=0.35, nb_size=40,
        q_mu=4.1, q_sd=0.45, cuts=(1.9, 2.5, 3.1, 3.85), spam_q_pull=1.5,
        bad_share=0.11,
        benign_mix=dict(casual=0.62, angry=0.05, opening=0.05, festival=0.015, occasional=0.21,
                        regular=0.045, elite=0.01),
        bad_mix=dict(lone_singleton=0.60, lone_freelancer=0.13, promo_campaign=0.15,
                     attack_campaign=0.05, camouflaged=0.07),
        festival_size=60, elite_mean=40,
    ),
}


# ----------------------------------------------------------------------------------- helpers
def alloc(total: int, shares: dict) -> dict:
    keys = list(shares)
    p = np.array([shares[k] for k in keys], float)
    raw = p / p.sum() * total
    base = np.floor(raw).astype(int)
    base[np.argsort(-(raw - base))[: total - base.sum()]] += 1
    return dict(zip(keys, base.tolist()))


def growth_days(rng, a, b, ratio, T):
    """Days in [a, b] with density growing exponentially (ratio over the whole period T)."""
    a = np.asarray(a, float)
    b = np.maximum(np.asarray(b, float), a)
    r = math.log(ratio) / T
    u = rng.random(np.broadcast(a, b).shape)
    return a + np.log1p(u * np.expm1(r * (b - a))) / r


class Sampler:
    """Pick a product from a group (neighbourhood / all), popularity-weighted, among those open at t."""

    BIG = 1e6

    def __init__(self, group, open_day, weight):
        self.order = np.lexsort((open_day, group))
        self.open = open_day[self.order]
        self.key = group[self.order] * self.BIG + self.open
        self.cw = np.concatenate([[0.0], np.cumsum(weight[self.order])])

    def __call__(self, rng, group, t):
        group = np.broadcast_to(np.asarray(group, float), np.shape(t))
        left = np.searchsorted(self.key, group * self.BIG - self.BIG / 2, "left")
        right = np.searchsorted(self.key, group * self.BIG + t, "right")
        right = np.maximum(right, left + 1)          # nothing open yet: the group's first product
        x = self.cw[left] + rng.random(len(t)) * (self.cw[right] - self.cw[left])
        idx = np.clip(np.searchsorted(self.cw, x, "right") - 1, left, right - 1)
        o = self.open[idx]
        # forced onto a business not open yet: review it some weeks after it opens
        return self.order[idx], np.where(t >= o, t, o + rng.exponential(45, len(t)))


def to_stars(x, cuts):
    return (1 + np.searchsorted(np.asarray(cuts), x)).astype(np.int64)


def spam_stars(rng, n, promote):
    """Promotion 5*/4* (85/15), demotion 1*/2* (80/20)."""
    u = rng.random(n)
    return np.where(promote, np.where(u < 0.85, 5, 4), np.where(u < 0.8, 1, 2)).astype(np.int64)


def group_sizes(rng, total, lo, mean_extra):
    """Split `total` members into groups of lo + Poisson(mean_extra) (last one topped up)."""
    if total <= 0:
        return np.zeros(0, int)
    s = lo + rng.poisson(mean_extra, size=total // lo + 2)
    s = s[: np.searchsorted(np.cumsum(s), total) + 1]
    s[-1] -= s.sum() - total
    if len(s) > 1 and s[-1] < lo:
        s[-2] += s[-1]
        s = s[:-1]
    return s


def auroc(score, y):
    y = np.asarray(y, bool)
    n1, n0 = y.sum(), (~y).sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = pl.Series(score).rank("average").to_numpy()
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def avg_prec(score, y):
    y = np.asarray(y, bool)
    o = np.argsort(-np.asarray(score, float), kind="stable")
    hits = np.cumsum(y[o])
    return float((hits[y[o]] / (np.flatnonzero(y[o]) + 1)).mean()) if y.any() else float("nan")


# -------------------------------------------------------------------------------- generator
def generate(n_acc: int, seed: int, flavour: str):
    cfg = CFG[flavour]
    rng = np.random.default_rng(seed)
    start = np.datetime64(cfg["start"], "D")
    T = float((np.datetime64(cfg["end"], "D") - start).astype(int))
    G = cfg["growth"]

    # ---- products
    P = max(30, int(round(n_acc * cfg["products_per_reviewer"])))
    est = rng.random(P) < cfg["established"]
    p_open = np.where(est, -rng.integers(30, 3000, P), rng.uniform(0, T - 150, P)).astype(float)
    p_w = (rng.permutation(P) + 1.0) ** -cfg["zipf"]
    p_q = np.clip(rng.normal(cfg["q_mu"], cfg["q_sd"], P), 1.8, 4.9)
    n_nb = max(2, P // cfg["nb_size"])
    nb_p = rng.dirichlet(np.full(n_nb, 2.0))
    _, p_nb = np.unique(rng.choice(n_nb, P, p=nb_p), return_inverse=True)
    n_nb = p_nb.max() + 1
    zeros_p = np.zeros(P)
    S_all = Sampler(zeros_p, p_open, p_w)
    # businesses that buy reviews: less popular and weaker than average
    spam_w = p_w ** 0.4 * np.exp(-cfg["spam_q_pull"] * (p_q - cfg["q_mu"]))
    S_flat = Sampler(zeros_p, p_open, spam_w)
    S_elite = Sampler(zeros_p, p_open, p_w ** 0.6)
    S_nb = Sampler(p_nb.astype(float), p_open, p_w)
    new_p = np.flatnonzero(~est)
    new_w = p_w[new_p] / p_w[new_p].sum()
    new_wf = spam_w[new_p] / spam_w[new_p].sum()
    nb_products = [np.flatnonzero(p_nb == i) for i in range(n_nb)]  # loops over neighbourhoods only

    # ---- accounts by kind (blocks; ids are shuffled at the end)
    n_bad = int(round(n_acc * cfg["bad_share"]))
    cnt = alloc(n_acc - n_bad, cfg["benign_mix"]) | alloc(n_bad, cfg["bad_mix"])
    kind = np.repeat(np.arange(len(KINDS)), [cnt[k] for k in KINDS])
    first = {k: int(np.searchsorted(kind, K[k])) for k in KINDS}
    ids = {k: np.arange(first[k], first[k] + cnt[k]) for k in KINDS}
    bias = rng.normal(0, 0.35, n_acc)                 # reviewer leniency
    group_id = np.full(n_acc, -1)

    R = dict(u=[], p=[], t=[], r=[], spam=[], src=[])  # src: kind code of the review's origin

    def add(u, p, t, stars, spam, src):
        n = len(u)
        R["u"].append(np.asarray(u)); R["p"].append(np.asarray(p))
        t = np.maximum(np.asarray(t, float), 0)
        t = np.where(t > T, T - (t - T) % 365, t)     # past the crawl: fold back, don't pile up
        R["t"].append(t)
        R["r"].append(np.asarray(stars, np.int64))
        R["spam"].append(np.full(n, spam) if np.isscalar(spam) else np.asarray(spam, bool))
        R["src"].append(np.full(n, src))

    def honest(u, p, sd, shift=0.0):
        x = p_q[p] + bias[u] + shift + sd * rng.standard_normal(len(u))
        return to_stars(x, cfg["cuts"])

    def window(u_ids, n_per, median_len, sigma, t0=None):
        """Expand users to reviews spread uniformly over a personal active window."""
        uu = np.repeat(u_ids, n_per)
        L = np.exp(rng.normal(math.log(median_len), sigma, len(u_ids)))
        s = growth_days(rng, 0, np.maximum(T - 0.3 * L, 1), G, T) if t0 is None else t0
        L = np.minimum(L, np.maximum(T - s, 1))
        t = np.repeat(s, n_per) + rng.random(len(uu)) * np.repeat(L, n_per)
        return uu, np.minimum(t, T)

    # benign singletons
    u = ids["casual"]
    p, t = S_all(rng, 0, growth_days(rng, np.zeros(len(u)), T, G, T))
    add(u, p, t, honest(u, p, 1.25), False, K["casual"])
    u = ids["angry"]
    p, t = S_all(rng, 0, growth_days(rng, np.zeros(len(u)), T, G, T))
    add(u, p, t, np.where(rng.random(len(u)) < 0.8, 1, 2), False, K["angry"])
    u = ids["opening"]
    p = new_p[rng.choice(len(new_p), len(u), p=new_w)]
    t = p_open[p] + rng.exponential(25, len(u))
    add(u, p, t, honest(u, p, 1.15, 0.15), False, K["opening"])

    # festivals: one-time reviewers of 2-4 places of a neighbourhood within 0-3 days
    u = ids["festival"]
    if len(u):
        n_ev = max(1, int(round(len(u) / cfg["festival_size"])))
        ev_prod = np.zeros((n_ev, 4), int)
        ev_day = growth_days(rng, np.full(n_ev, 0.3 * T), T - 5, G, T)
        for e in range(n_ev):                          # loop over events (a handful), not reviews
            cand = nb_products[rng.choice(n_nb, p=np.bincount(p_nb, minlength=n_nb) / P)]
            cand = cand[p_open[cand] <= ev_day[e]]
            if len(cand) == 0:
                cand = np.array([rng.integers(P)])
            ev_prod[e] = rng.choice(cand, 4, replace=len(cand) < 4)
        ev = rng.integers(0, n_ev, len(u))
        npl = rng.integers(2, 5, n_ev)                 # places in the event
        two = rng.random(len(u)) < 0.2                 # some review 2 places the same day
        uu = np.concatenate([u, u[two]])
        ee = np.concatenate([ev, ev[two]])
        slot = rng.integers(0, 4, len(uu)) % npl[ee]
        slot[len(u):] = (slot[: len(u)][two] + 1) % npl[ev[two]]
        p = ev_prod[ee, slot]
        dd = rng.integers(0, 4, len(u))
        t = ev_day[ee] + np.concatenate([dd, dd[two]])
        add(uu, p, t, honest(uu, p, 1.2, 0.1), False, K["festival"])

    # occasional, regular, elite
    u = ids["occasional"]
    n = 2 + np.minimum(rng.geometric(0.55, len(u)) - 1, 4)
    uu, t = window(u, n, 300, 1.0)
    p, t = S_all(rng, 0, t)
    add(uu, p, t, honest(uu, p, 1.15), False, K["occasional"])

    u = ids["regular"]
    n = np.minimum(4 + rng.poisson(5, len(u)), 20)
    home = rng.choice(n_nb, len(u), p=np.bincount(p_nb, weights=p_w, minlength=n_nb) / p_w.sum())
    uu, t = window(u, n, 900, 0.7)
    local = rng.random(len(uu)) < 0.75
    p = np.empty(len(uu), int)
    p[local], t[local] = S_nb(rng, np.repeat(home, n)[local], t[local])
    p[~local], t[~local] = S_all(rng, 0, t[~local])
    add(uu, p, t, honest(uu, p, 1.0), False, K["regular"])

    u = ids["elite"]
    if len(u):
        n = np.minimum(15 + np.exp(rng.normal(math.log(cfg["elite_mean"] - 15) - 0.3, 0.8,
                                              len(u))).astype(int), 400)
        uu, t = window(u, n, 1500, 0.5)
        p, t = S_elite(rng, 0, t)
        add(uu, p, t, honest(uu, p, 0.9), False, K["elite"])
        # elite events: 5-15 elites review one new business within a week of an event
        n_ev = max(1, len(u) // 6)
        size = np.minimum(rng.integers(5, 16, n_ev), len(u))
        ev_p = new_p[rng.choice(len(new_p), n_ev, p=new_w)]
        ev_t = p_open[ev_p] + rng.uniform(0, 45, n_ev)
        ee = np.repeat(np.arange(n_ev), size)
        member = u[rng.integers(0, len(u), len(ee))]   # duplicates dropped by the dedupe later
        p = ev_p[ee]
        add(member, p, ev_t[ee] + rng.integers(0, 7, len(ee)), honest(member, p, 0.8, 0.4),
            False, K["elite"])

    # ---- bad: lone singletons
    u = ids["lone_singleton"]
    early = rng.random(len(u)) < 0.5
    p = np.empty(len(u), int)
    t = np.empty(len(u))
    p[early] = new_p[rng.choice(len(new_p), early.sum(), p=new_wf)]
    t[early] = p_open[p[early]] + rng.exponential(90, early.sum())
    p[~early], t[~early] = S_flat(rng, 0, growth_days(rng, np.zeros((~early).sum()), T, G, T))
    add(u, p, t, spam_stars(rng, len(u), rng.random(len(u)) < 0.8), True, K["lone_singleton"])

    # lone freelancers: 2-8 unrelated businesses within days-weeks
    u = ids["lone_freelancer"]
    n = np.minimum(2 + rng.poisson(2.5, len(u)), 8)
    uu = np.repeat(u, n)
    s = growth_days(rng, np.zeros(len(u)), T - 30, G, T)
    L = np.exp(rng.normal(math.log(12), 1.0, len(u)))
    t = np.repeat(s, n) + np.floor(rng.random(len(uu)) ** 2 * np.repeat(L, n))
    p, t = S_flat(rng, 0, t)
    promote = np.repeat(rng.random(len(u)) < 0.85, n)
    add(uu, p, t, spam_stars(rng, len(uu), promote), True, K["lone_freelancer"])

    # organised groups
    n_groups = 0

    def campaigns(members, lo, extra, camp_extra, attack):
        nonlocal n_groups
        sizes = group_sizes(rng, len(members), lo, extra)
        ng = len(sizes)
        if ng == 0:
            return
        g_of = np.repeat(np.arange(ng), sizes)
        group_id[members] = n_groups + g_of
        g_first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        n_groups += ng
        nc = 1 + rng.poisson(camp_extra, ng)                      # campaigns per group
        c_g = np.repeat(np.arange(ng), nc)
        C = len(c_g)
        if attack:      # a popular, well-rated competitor, attacked at a random time
            wgt = p_w * (p_q > np.median(p_q))
            tgt = rng.choice(P, C, p=wgt / wgt.sum())
            c_t = np.maximum(growth_days(rng, np.zeros(C), T - 20, G, T), p_open[tgt])
            ntg = np.ones(C, int)
            c_tg = tgt
        else:           # 1-3 client businesses; 60% new ones early in their life
            ntg = 1 + rng.binomial(2, 0.35, C)
            newc = rng.random(C) < 0.6
            anchor = np.empty(C, int)
            c_t = np.empty(C)
            anchor[newc] = new_p[rng.choice(len(new_p), newc.sum(), p=new_wf)]
            c_t[newc] = p_open[anchor[newc]] + rng.exponential(60, newc.sum())
            anchor[~newc], c_t[~newc] = S_flat(rng, 0,
                                               growth_days(rng, np.zeros((~newc).sum()), T - 20, G, T))
            extra_t = S_flat(rng, 0, np.repeat(c_t, ntg - 1))[0]   # further clients open by then
            c_tg = np.empty(ntg.sum(), int)
            firsts = np.concatenate([[0], np.cumsum(ntg)[:-1]])
            mask = np.ones(ntg.sum(), bool)
            mask[firsts] = False
            c_tg[firsts] = anchor
            c_tg[mask] = extra_t
        c_win = np.minimum(rng.geometric(0.22, C), 30)             # days the campaign lasts
        # rows: (campaign target) x (group member)
        tg_c = np.repeat(np.arange(C), ntg)
        tg_g = c_g[tg_c]
        rep = sizes[tg_g]
        row_tg = np.repeat(np.arange(len(tg_c)), rep)
        pos = np.arange(rep.sum()) - np.repeat(np.cumsum(rep) - rep, rep)
        mem = members[g_first[tg_g[row_tg]] + pos]
        keep = rng.random(len(mem)) < (0.85 if attack else 0.75)
        # every member at least once: keep the first target row of each member
        first_row = np.zeros(len(mem), bool)
        _, fi = np.unique(mem, return_index=True)
        first_row[fi] = True
        keep |= first_row
        mem, row_tg = mem[keep], row_tg[keep]
        cc = tg_c[row_tg]
        t = c_t[cc] + rng.integers(0, 1 << 30, len(mem)) % c_win[cc]
        p = c_tg[row_tg]
        stars = spam_stars(rng, len(mem), np.full(len(mem), not attack))
        src = K["attack_campaign"] if attack else K["promo_campaign"]
        add(mem, p, t, stars, True, src)
        if attack:      # half the attacks also boost a client in the competitor's neighbourhood
            boost = rng.random(C) < 0.5
            client = np.array([rng.choice(nb_products[p_nb[x]]) for x in c_tg])  # per campaign
            ok = boost & (client != c_tg)
            sel = ok[cc] & (rng.random(len(mem)) < 0.6)
            add(mem[sel], client[cc[sel]], t[sel] + rng.integers(0, 3, sel.sum()),
                spam_stars(rng, sel.sum(), np.ones(sel.sum(), bool)), True, src)
        # cover reviews around the campaign: honest-looking ratings of popular places
        m_t = np.zeros(n_acc)
        m_t[mem] = t
        ncov = rng.poisson(0.6 if not attack else 0.4, len(members))
        cu = np.repeat(members, ncov)
        ct = m_t[cu] + rng.normal(0, 120, len(cu))
        cp, ct = S_all(rng, 0, np.clip(ct, 0, T))
        add(cu, cp, ct, honest(cu, cp, 1.15), False, src)

    campaigns(ids["promo_campaign"], 3, 4.0, 0.7, attack=False)
    n_promo_groups = n_groups
    campaigns(ids["attack_campaign"], 3, 2.5, 0.3, attack=True)
    n_attack_groups = n_groups - n_promo_groups

    # camouflaged aged accounts: honest history plus 1-3 spam reviews
    u = ids["camouflaged"]
    n = np.minimum(3 + rng.poisson(6, len(u)), 25)
    uu, t = window(u, n, 1000, 0.6)
    p, t = S_all(rng, 0, t)
    add(uu, p, t, honest(uu, p, 1.05), False, K["camouflaged"])
    ns = 1 + rng.binomial(2, 0.3, len(u))
    su = np.repeat(u, ns)
    lo = np.zeros(n_acc)
    hi = np.zeros(n_acc)
    tmin = pl.DataFrame({"u": uu, "t": t}).group_by("u").agg(pl.col("t").min().alias("a"),
                                                             pl.col("t").max().alias("b"))
    lo[tmin["u"].to_numpy()] = tmin["a"].to_numpy()
    hi[tmin["u"].to_numpy()] = tmin["b"].to_numpy()
    st = lo[su] + rng.random(len(su)) * (hi[su] - lo[su] + 30)
    sp, st = S_flat(rng, 0, np.minimum(st, T))
    add(su, sp, st, spam_stars(rng, len(su), rng.random(len(su)) < 0.85), True, K["camouflaged"])

    # ---- assemble, one review per (reviewer, business), spam kept on a collision
    rev = pl.DataFrame({k: np.concatenate(v) for k, v in R.items()})
    rev = rev.with_columns(pl.col("t").floor().cast(pl.Int64).clip(0, int(T)))
    rev = (rev.sort(["spam", "t"], descending=[True, False])
              .unique(["u", "p"], keep="first", maintain_order=True)
              .sort(["t", "u"]))
    u = rev["u"].to_numpy()
    p = rev["p"].to_numpy()
    t = rev["t"].to_numpy()
    stars = rev["r"].to_numpy()
    spam = rev["spam"].to_numpy()
    src = rev["src"].to_numpy()
    n_u = np.bincount(u, minlength=n_acc)
    assert (n_u > 0).all()
    first_t = np.full(n_acc, np.inf)
    np.minimum.at(first_t, u, t)
    first_t = first_t.astype(np.int64)

    # burst: reviews of the same business within +-2 days (incl. itself)
    key = p * 100000 + t
    sk = np.sort(key)
    burst = np.searchsorted(sk, key + 2, "right") - np.searchsorted(sk, key - 2, "left")

    # ---- join dates (yelp) / created_at
    is_bad = kind >= K["lone_singleton"]
    if flavour == "yelp":
        p_new = np.array([0.5, 0.7, 0.6, 0.7, 0.25, 0.15, 0.03,
                          0.75, 0.5, 0.7, 0.7, 0.0])[kind]
        gap_med = np.array([500, 500, 500, 500, 500, 600, 700, 200, 300, 400, 400, 900])[kind]
        if n_groups:       # campaigns: new accounts or aged ones, decided per group
            g_new = rng.random(n_groups) < 0.7
            in_g = group_id >= 0
            p_new[in_g] = g_new[group_id[in_g]].astype(float)
        new_acct = rng.random(n_acc) < p_new
        gap = np.where(new_acct, rng.integers(0, 25, n_acc),
                       np.exp(rng.normal(np.log(gap_med), 0.9)).astype(np.int64))
        join = np.maximum(first_t - gap, 0)
        join_d = start + join.astype("timedelta64[D]")
        created = join_d.astype("datetime64[M]").astype("datetime64[D]")
        created = np.maximum(created, start.astype("datetime64[M]").astype("datetime64[D]"))
    else:
        created = start + first_t.astype("timedelta64[D]")
    created_day = (created - start).astype(np.int64)

    # ---- labels
    helpful = total = None
    if flavour == "yelp":
        nn = n_u[u]
        base_h = np.select([nn == 1, nn <= 3, nn <= 9], [-2.9, -3.5, -4.2], -5.5)
        new_rev = (t - created_day[u]) < 45
        spam_base = np.array([0.0] * len(BENIGN) + [0.55, 0.8, 1.1, 0.8, -1.6])[src]
        lg = np.where(spam, spam_base - 0.25 * (nn > 3), base_h + 0.5 * (new_rev & (nn == 1)))
        # the filter is itself a behavioural classifier: extreme, off-consensus ratings count
        lg = lg + 0.45 * np.abs(stars - p_q[p]) - 0.35
        lg = lg + 0.35 * (burst >= 4) + rng.normal(0, 0.8, n_acc)[u]
        filtered = rng.random(len(u)) < 1 / (1 + np.exp(-lg))
        share = np.bincount(u, weights=filtered, minlength=n_acc) / n_u
        label = (share >= USER_SPAM_SHARE).astype(np.int64)
        eligible = np.ones(n_acc, bool)
    else:
        # votes: Poisson-gamma, more on popular products and older reviews, more for top reviewers
        age = np.clip((T - t) / 365.0, 0.05, 3.0)
        mu = 0.9 * (p_w[p] / p_w.mean()) ** 0.35 * age ** 0.6
        mu = mu * np.where(kind[u] == K["elite"], 3.0, 1.0) * np.where(n_u[u] == 1, 0.7, 1.0)
        total = rng.poisson(mu * rng.gamma(0.6, 1 / 0.6, len(u)))
        pmean_true = p_q[p]
        dissent = np.abs(stars - pmean_true)
        hb = np.where(spam, np.array([0.0] * len(BENIGN) + [-1.2, -1.3, -0.6, -1.4, -0.2])[src],
                      np.where(kind[u] == K["elite"], 2.3, 1.7))
        hb = hb - 0.35 * dissent + rng.normal(0, 1.1, n_acc)[u]
        helpful = rng.binomial(total, 1 / (1 + np.exp(-hb)))
        ring = spam & (src == K["promo_campaign"]) & (rng.random(len(u)) < 0.35)
        extra = rng.poisson(3, len(u)) * ring        # rings up-vote each other
        helpful = helpful + extra
        total = total + extra
        H = np.bincount(u, weights=helpful, minlength=n_acc)
        V = np.bincount(u, weights=total, minlength=n_acc)
        ratio = np.where(V > 0, H / np.maximum(V, 1), 0.5)
        eligible = (V >= AMAZON_MIN_VOTES) & ((ratio < AMAZON_BAD_BELOW) | (ratio > AMAZON_GOOD_ABOVE))
        label = (ratio < AMAZON_BAD_BELOW).astype(np.int64)
        filtered = None

    return dict(flavour=flavour, start=start, n_acc=n_acc, P=P, kind=kind, is_bad=is_bad,
                group_id=group_id, n_promo_groups=n_promo_groups, n_attack_groups=n_attack_groups,
                u=u, p=p, t=t, stars=stars, spam=spam, src=src, n_u=n_u, burst=burst,
                created=created, created_day=created_day, first_t=first_t, helpful=helpful,
                total=total, filtered=filtered, label=label, eligible=eligible, rng=rng)


# ------------------------------------------------------------------------------------ output
def write(g, out: Path, labels: bool, label_share: float):
    rng = g["rng"]
    n = g["n_acc"]
    out.mkdir(parents=True, exist_ok=True)
    acc_ids = pl.Series(rng.permutation(n)).cast(pl.Utf8).str.zfill(7)
    acc_ids = ("r" + acc_ids).to_numpy()            # "r0001234": order says nothing about kind
    prod_ids = ("b" + pl.Series(rng.permutation(g["P"])).cast(pl.Utf8).str.zfill(5)).to_numpy()
    start_us = g["start"].astype("datetime64[us]")

    pl.DataFrame({"account_id": acc_ids,
                  "created_at": g["created"].astype("datetime64[us]")}
                 ).sort("account_id").write_parquet(out / "accounts.parquet")
    ev = {"account_id": acc_ids[g["u"]], "action": np.full(len(g["u"]), "review"),
          "target_id": prod_ids[g["p"]],
          "ts": start_us + g["t"].astype("timedelta64[D]").astype("timedelta64[us]"),
          "rating": g["stars"]}
    if g["helpful"] is not None:
        ev["helpful_votes"] = g["helpful"].astype(np.int64)
        ev["total_votes"] = g["total"].astype(np.int64)
    pl.DataFrame(ev).write_parquet(out / "events.parquet")

    names = [AMAZON_NAMES.get(k, k) if g["flavour"] == "amazon" else k for k in KINDS]
    gid = g["group_id"]
    gk = np.where(gid < g["n_promo_groups"], "promo", "attack")
    gid_str = np.where(gid >= 0, np.char.add(np.char.add(gk, "-"),
                                             np.char.zfill(gid.astype(str), 4)), None)
    pl.DataFrame({"account_id": acc_ids, "is_bad": g["is_bad"],
                  "group_id": pl.Series(gid_str.tolist(), dtype=pl.Utf8),
                  "group_kind": np.array(names)[g["kind"]]}
                 ).sort("account_id").write_parquet(out / "truth.parquet")

    lab = out / "labels.parquet"
    if labels:
        idx = np.flatnonzero(g["eligible"])
        if label_share < 1.0:
            idx = np.sort(rng.choice(idx, int(round(label_share * len(idx))), replace=False))
        pl.DataFrame({"account_id": acc_ids[idx], "label": g["label"][idx]}
                     ).sort("account_id").write_parquet(lab)
    elif lab.exists():
        lab.unlink()


def report(g):
    u, p, t, stars, spam = g["u"], g["p"], g["t"], g["stars"], g["spam"]
    n, P = g["n_acc"], g["P"]
    bad = g["is_bad"]
    lab, el = g["label"], g["eligible"]
    n_u = g["n_u"]
    pc = np.bincount(p, minlength=P)
    print(f"flavour={g['flavour']} accounts={n} reviews={len(u)} ({len(u)/n:.2f}/reviewer) "
          f"products={P} reviewed={int((pc > 0).sum())}")
    print(f"reviews/product: median={np.median(pc):.0f} p90={np.percentile(pc, 90):.0f} "
          f"max={pc.max()} top-5%-products share={np.sort(pc)[::-1][:max(1, P // 20)].sum()/len(u):.2f}")
    print("kinds:", {k: int(c) for k, c in zip(KINDS, np.bincount(g["kind"], minlength=len(KINDS)))},
          f"promo groups={g['n_promo_groups']} attack groups={g['n_attack_groups']}")
    sp_grp = spam & np.isin(g["src"], [K["promo_campaign"], K["attack_campaign"]])
    print(f"truth: bad accounts={bad.mean():.3f} spam reviews={spam.mean():.3f} "
          f"(from groups {sp_grp.sum()/max(spam.sum(),1):.2f}); "
          f"singletons benign={(n_u[~bad] == 1).mean():.2f} bad={(n_u[bad] == 1).mean():.2f}")
    if g["filtered"] is not None:
        f = g["filtered"]
        print(f"filter: filtered reviews={f.mean():.3f} precision={spam[f].mean():.2f} "
              f"recall={f[spam].mean():.2f}; honest singletons filtered="
              f"{f[(~spam) & (n_u[u] == 1)].mean():.3f}")
    L = lab[el].astype(bool)
    print(f"labels: labelled={el.sum()} ({el.mean():.2f}) positive={L.mean():.3f} "
          f"singletons label0={(n_u[el][~L] == 1).mean():.2f} label1={(n_u[el][L] == 1).mean():.2f} "
          f"precision vs truth={bad[el][L].mean():.2f} recall={L[bad[el]].mean():.2f}")
    for name, ss in [("benign", ~spam), ("spam", spam)]:
        h = np.bincount(stars[ss], minlength=6)[1:] / ss.sum()
        print(f"stars {name}: " + " ".join(f"{i+1}*={x:.2f}" for i, x in enumerate(h)))

    pm = np.bincount(p, weights=stars, minlength=P) / np.maximum(pc, 1)
    dev = np.abs(stars - pm[p])
    feats = {
        "mean|r-pmean|": np.bincount(u, weights=dev, minlength=n) / n_u,
        "max|r-pmean|": pl.DataFrame({"u": u, "d": dev}).group_by("u").agg(pl.col("d").max())
                          .sort("u")["d"].to_numpy(),
        "extreme share(1/5*)": np.bincount(u, weights=(stars == 1) | (stars == 5), minlength=n) / n_u,
        "max reviews/day": pl.DataFrame({"u": u, "t": t}).group_by(["u", "t"]).len()
                             .group_by("u").agg(pl.col("len").max()).sort("u")["len"].to_numpy(),
        "singleton": (n_u == 1).astype(float),
        "-days join->1st review": -(g["first_t"] - g["created_day"]).astype(float),
        "max burst(+-2d)": pl.DataFrame({"u": u, "b": g["burst"]}).group_by("u")
                             .agg(pl.col("b").max()).sort("u")["b"].to_numpy().astype(float),
    }
    print(f"{'feature':26s} {'AUROC lab':>9s} {'AP lab':>7s} {'AUROC tru':>9s} {'AP tru':>7s}"
          f"   (AP base: lab {L.mean():.3f}, truth {bad.mean():.3f})")
    for k, s in feats.items():
        print(f"{k:26s} {auroc(s[el], L):9.3f} {avg_prec(s[el], L):7.3f} "
              f"{auroc(s, bad):9.3f} {avg_prec(s, bad):7.3f}")
    if g["filtered"] is not None:
        print(f"review level |r-pmean|: AUROC vs filtered={auroc(dev, g['filtered']):.3f} "
              f"vs truth spam={auroc(dev, spam):.3f}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flavour", choices=sorted(CFG), default="yelp")
    ap.add_argument("--no-labels", action="store_true")
    ap.add_argument("--label-share", type=float, default=1.0)
    ap.add_argument("--report", action="store_true", help="print calibration statistics")
    a = ap.parse_args(argv)
    if a.accounts < 200:
        ap.error("--accounts must be >= 200")
    if not 0.0 < a.label_share <= 1.0:
        ap.error("--label-share must be in (0, 1]")
    t0 = time.time()
    g = generate(a.accounts, a.seed, a.flavour)
    write(g, Path(a.out), not a.no_labels, a.label_share)
    print(f"wrote {a.out}: {a.accounts} accounts, {len(g['u'])} reviews, {g['P']} products "
          f"({a.flavour}, seed {a.seed}) in {time.time() - t0:.1f}s", file=sys.stderr)
    if a.report:
        report(g)


if __name__ == "__main__":
    main()

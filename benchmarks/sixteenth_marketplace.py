#!/usr/bin/env python
"""Tunefield: a synthetic music & podcast streaming platform with planted syndicates.

An independent test bed for syndicate, written only from the input data contract in
DESIGN.md and knowledge of the streaming domain (not from the detector's code).

    python benchmarks/sixteenth_marketplace.py OUT_DIR --accounts 20000 --seed 1 [--no-labels]

Writes OUT_DIR/{accounts,signals,events,links}.parquet (the input tables), labels.csv
(a partial, analyst-labelled sample; skipped with --no-labels) and truth.parquet
(account_id, is_bad, group_id, group_kind, role for every account).

Bad groups: stream farms, playlist-stuffing rings, fake-follower services, stolen-card
premium rings, podcast review spam, sockpuppet artists; plus lone bots (no group).
Benign look-alikes: family and duo plans, households, campus and office NATs, fandom
streaming parties, superstar release-day crowds, label teams, viral tracks, radio
auto-play, carrier NAT / VPN exits, recycled home IPs and phone numbers.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

DAY = 86_400
HOUR = 3_600
MIN = 60


def _ts(s: str) -> int:
    return int(np.datetime64(s, "s").astype(np.int64))


LAUNCH = _ts("2016-03-01T00:00:00")
WSTART = _ts("2024-01-01T00:00:00")  # first day of the event log
WEND = _ts("2024-07-01T00:00:00")  # end of the event log (exclusive)

# --------------------------------------------------------------------------- vocab
ACTIONS = [
    "play", "skip", "save_track", "follow_artist", "unfollow_artist", "follow_playlist",
    "playlist_create", "playlist_add", "play_episode", "follow_podcast", "rate", "comment",
    "share", "upgrade_premium", "plan_join", "payment_chargeback",
]
ACT = {a: i for i, a in enumerate(ACTIONS)}
ONCE_ACTIONS = ["save_track", "follow_artist", "follow_playlist", "follow_podcast", "rate",
                "playlist_create", "plan_join"]

# target namespaces (code = ns << 40 | index)
NS_TRACK, NS_ARTIST, NS_PLAYLIST, NS_PODCAST, NS_EPISODE, NS_PLAN, NS_SUB = 1, 2, 3, 4, 5, 6, 7
NS_PREFIX = {NS_TRACK: "trk_", NS_ARTIST: "art_", NS_PLAYLIST: "pl_", NS_PODCAST: "pod_",
             NS_EPISODE: "ep_", NS_SUB: "sub_"}
PLANS = ["plan_individual", "plan_duo", "plan_family", "plan_student"]
P_IND, P_DUO, P_FAM, P_STU = 0, 1, 2, 3

SIG_KINDS = ["device", "ip", "payment", "phone", "email_domain", "address"]

COUNTRIES = np.array(["US", "GB", "DE", "FR", "SE", "NL", "ES", "IT", "PL", "BR", "MX", "AR",
                      "CA", "AU", "JP", "KR", "IN", "ID", "PH", "VN", "TR", "NG", "EG", "BD",
                      "PK", "NO", "CH", "ZA"])
C_W = np.array([18, 6, 6, 4, 2, 2, 4, 3, 3, 8, 5, 2, 3, 2, 3, 2, 6, 4, 3, 2, 3, 2, 1, 1, 1, 1,
                1, 1], float)
C_W /= C_W.sum()
C_TZ = np.array([-5, 0, 1, 1, 1, 1, 1, 1, 1, -3, -6, -3, -5, 10, 9, 9, 5, 7, 8, 7, 3, 1, 2, 6,
                 5, 1, 1, 2])
CIDX = {c: i for i, c in enumerate(COUNTRIES)}
HIGH_PAYOUT = np.array([CIDX[c] for c in ["US", "GB", "DE", "SE", "NO", "CH", "CA", "AU", "NL"]])
CHEAP = np.array([CIDX[c] for c in ["IN", "ID", "PH", "VN", "NG", "EG", "BD", "PK", "BR"]])

DIURNAL = np.array([2.0, 1.3, 0.8, 0.5, 0.4, 0.5, 1.0, 2.2, 3.2, 3.0, 2.8, 2.9, 3.2, 3.1, 3.0,
                    3.2, 3.6, 4.2, 4.6, 4.9, 5.0, 4.6, 3.8, 2.8])
DIURNAL /= DIURNAL.sum()
OFFICE_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0.5, 2, 3, 3, 3, 2.5, 3, 3, 3, 2.5, 1.5, 0.5, 0,
                         0, 0, 0, 0], float)
OFFICE_HOURS /= OFFICE_HOURS.sum()

# email domains (ids; values are hashed on output)
MAIL_MAIN_W = np.array([0.40, 0.10, 0.07, 0.08, 0.07, 0.05, 0.03, 0.02])  # gmail, hotmail, ...
N_MAIL_REGIONAL = 40
DOM_DISPOSABLE = 1000  # 40 throw-away domains
DOM_UNI = 2000
DOM_CORP = 3000
DOM_LABEL = 4000

KINDS = ["organic", "lone_bot", "stream_farm", "playlist_ring", "follower_service", "card_ring",
         "review_spam", "sockpuppet_artist", "family_plan", "duo_plan", "household",
         "campus_nat", "office_nat", "fandom", "release_crowd", "label_team"]
KIND = {k: i for i, k in enumerate(KINDS)}
BAD_KINDS = {"lone_bot", "stream_farm", "playlist_ring", "follower_service", "card_ring",
             "review_spam", "sockpuppet_artist"}
ATYPES = ["listener", "artist", "podcaster", "label"]
GENRES = 18  # genre 0 = K-pop-like, genre 1 = pop


class Tunefield:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        self.salt = rng.integers(1, 2**47, size=16)
        # ----- accounts (defaults = organic listener)
        age = rng.beta(2.3, 1.0, n)
        self.created = (LAUNCH + age * (WEND - 3 * DAY - LAUNCH)).astype(np.int64)
        self.country = rng.choice(len(COUNTRIES), n, p=C_W).astype(np.int64)
        self.atype = np.zeros(n, np.int8)
        self.genre = self._genre_pick(n)
        lvl = rng.lognormal(-0.35, 1.05, n)
        heavy = rng.random(n) < 0.02
        lvl[heavy] *= rng.uniform(4, 12, heavy.sum())
        self.level = np.minimum(lvl, 60.0)
        self.gid = np.full(n, -1, np.int64)
        self.kind = np.zeros(n, np.int16)
        self.roles = ["listener"]
        self.role = np.zeros(n, np.int16)
        self.role[heavy] = self._role("heavy_listener")
        self.bad = np.zeros(n, bool)
        self.premium = rng.random(n) < 0.36
        self.group_names: list[str] = []
        self.group_kind: list[str] = []
        self.group_members: list[np.ndarray] = []
        self.kind_counter: dict[str, int] = {}
        self.pool = rng.permutation(n)
        self.ptr = 0
        self.counters = {k: 0 for k in SIG_KINDS}
        self.home_ip = self.new_ids("ip", n)
        self.sig: list[tuple] = []
        self.ev: list[tuple] = []
        self.lk: list[tuple] = []
        self.n_playlists = 0
        self.n_subs = 0
        self._catalog()
        self._net_pools()

    # ------------------------------------------------------------------ helpers
    def _genre_pick(self, k):
        if not hasattr(self, "genre_w"):
            w = self.rng.dirichlet(np.full(GENRES, 1.5))
            w[1] += 0.15  # pop
            w[0] = max(w[0], 0.04)
            self.genre_w = w / w.sum()
        return self.rng.choice(GENRES, k, p=self.genre_w).astype(np.int64)

    def _role(self, name: str) -> int:
        if name not in self.roles:
            self.roles.append(name)
        return self.roles.index(name)

    def take(self, k: int) -> np.ndarray:
        k = int(min(k, self.n - self.ptr))
        out = self.pool[self.ptr:self.ptr + k]
        self.ptr += k
        return out

    def new_group(self, kind: str, members: np.ndarray, role, bad: bool) -> int:
        c = self.kind_counter.get(kind, 0) + 1
        self.kind_counter[kind] = c
        g = len(self.group_names)
        self.group_names.append(f"{kind}_{c:04d}")
        self.group_kind.append(kind)
        self.group_members.append(members)
        self.gid[members] = g
        self.kind[members] = KIND[kind]
        self.role[members] = self._role(role) if isinstance(role, str) else role
        self.bad[members] = bad
        return g

    def new_ids(self, kind: str, k: int) -> np.ndarray:
        c = self.counters[kind]
        self.counters[kind] = c + int(k)
        return np.arange(c, c + int(k), dtype=np.int64)

    def new_playlists(self, k: int) -> np.ndarray:
        c = self.n_playlists
        self.n_playlists += int(k)
        return np.arange(c, c + int(k), dtype=np.int64)

    def new_subs(self, k: int) -> np.ndarray:
        c = self.n_subs
        self.n_subs += int(k)
        return np.arange(c, c + int(k), dtype=np.int64)

    def S(self, acc, kind, val, seen):
        acc = np.asarray(acc, np.int64)
        if len(acc) == 0:
            return
        self.sig.append((acc, np.full(len(acc), SIG_KINDS.index(kind), np.int8),
                         np.broadcast_to(np.asarray(val, np.int64), acc.shape).copy(),
                         np.broadcast_to(np.asarray(seen, np.int64), acc.shape).copy()))

    def E(self, acc, act, ns, idx, ts, rating=None):
        acc = np.asarray(acc, np.int64)
        if len(acc) == 0:
            return
        code = (np.int64(ns) << np.int64(40)) | np.broadcast_to(np.asarray(idx, np.int64),
                                                                   acc.shape)
        a = np.broadcast_to(np.asarray(act, np.int8), acc.shape)
        r = (np.zeros(len(acc), np.int8) if rating is None
             else np.broadcast_to(np.asarray(rating, np.int8), acc.shape))
        self.ev.append((acc, a.copy(), code.astype(np.int64), np.asarray(ts, np.int64).copy()
                        if np.ndim(ts) else np.full(len(acc), ts, np.int64), r.copy()))

    def L(self, a, b, kind, w=1.0):
        a = np.asarray(a, np.int64)
        b = np.asarray(b, np.int64)
        keep = a != b
        if keep.sum() == 0:
            return
        self.lk.append((a[keep], b[keep], kind,
                        np.broadcast_to(np.asarray(w, float), a.shape)[keep].copy()))

    def diurnal(self, t, tz, prof=DIURNAL):
        t = np.asarray(t, np.int64)
        day = t // DAY
        h = self.rng.choice(24, size=len(t), p=prof)
        return day * DAY + ((h - tz) % 24) * HOUR + self.rng.integers(0, HOUR, len(t))

    def tz(self, accs):
        return C_TZ[self.country[accs]]

    def batch_created(self, k, lo, hi, n_batches, gap_mean=90.0):
        """Creation times of accounts registered by a script in n_batches sessions."""
        rng = self.rng
        starts = rng.uniform(lo, hi, n_batches).astype(np.int64)
        b = rng.integers(0, n_batches, k)
        order = np.argsort(b, kind="stable")
        out = np.empty(k, np.int64)
        bs = b[order]
        gaps = rng.exponential(gap_mean, k)
        first = np.searchsorted(bs, bs, side="left")
        cs = np.cumsum(gaps)
        within = cs - cs[first]
        out[order] = starts[bs] + within.astype(np.int64)
        return out

    def sessions(self, n_sess, t0, t1, per_sess, gap_lo, gap_hi, tz=None, prof=DIURNAL):
        """Sessions of consecutive plays. Returns (local account, ts, session id)."""
        rng = self.rng
        n_sess = np.asarray(n_sess, np.int64)
        m = len(n_sess)
        s_loc = np.repeat(np.arange(m), n_sess)
        S = len(s_loc)
        if S == 0:
            e = np.zeros(0, np.int64)
            return e, e, e
        span = np.maximum(t1 - t0, 1)
        start = t0[s_loc] + (rng.random(S) * span[s_loc]).astype(np.int64)
        if tz is not None:
            start = np.clip(self.diurnal(start, tz[s_loc], prof), t0[s_loc], t1[s_loc])
        per = np.broadcast_to(np.asarray(per_sess, float), (m,))[s_loc]
        k = 1 + rng.poisson(np.maximum(per - 1, 0))
        p_s = np.repeat(np.arange(S), k)
        first = np.repeat(np.cumsum(k) - k, k)
        gap = rng.uniform(gap_lo, gap_hi, len(p_s))
        cg = np.cumsum(gap)
        off = cg - cg[first] + rng.uniform(0, 3, len(p_s))
        ts = start[p_s] + off.astype(np.int64)
        return s_loc[p_s], ts, p_s

    # ------------------------------------------------------------------ catalog
    def _catalog(self):
        rng = self.rng
        n_art = max(500, self.n // 12)
        self.n_base_art = n_art
        art_w = (np.arange(n_art) + 1.0) ** -1.05
        self.art_w = art_w / art_w.sum()
        self.art_genre = self._genre_pick(n_art)
        self.art_genre[0] = 1  # the superstar is pop
        k = 1 + np.minimum(80, rng.lognormal(1.5, 1.0, n_art)).astype(np.int64)
        k[:20] = np.maximum(k[:20], 15)
        self.track_artist = np.repeat(np.arange(n_art), k)
        T = len(self.track_artist)
        self.n_base_tracks = T
        first = np.repeat(np.cumsum(k) - k, k)
        within = (np.arange(T) - first + 1.0) ** -0.8
        tw = self.art_w[self.track_artist] * within * rng.lognormal(0, 0.6, T)
        self.track_w = tw / tw.sum()
        self.track_genre = self.art_genre[self.track_artist]
        self.genre_tracks = []
        self.genre_cdf = []
        for g in range(GENRES):
            ids = np.flatnonzero(self.track_genre == g)
            if len(ids) == 0:
                ids = np.array([0])
            c = np.cumsum(self.track_w[ids])
            self.genre_tracks.append(ids)
            self.genre_cdf.append(c / c[-1])
        self.global_cdf = np.cumsum(self.track_w)
        self.global_cdf /= self.global_cdf[-1]
        top = np.argsort(-self.track_w, kind="stable")
        self.top_tracks = top[:300]
        tw_top = self.track_w[self.top_tracks]
        self.top_cdf = np.cumsum(tw_top) / tw_top.sum()
        # radio auto-play: after a popular seed track, the same "next" track is queued
        self.autoplay_next = np.full(T, -1, np.int64)
        seeds = top[:150]
        self.autoplay_next[seeds] = top[rng.integers(0, 600, len(seeds))]
        self.autoplay_next[self.autoplay_next == np.arange(T)] = -1
        # tail artists: clients of farms, customers of follower services
        self.tail_artists = np.arange(n_art // 3, n_art)
        # playlists: editorial (platform) ones first
        n_ed = 150 + self.n // 400
        self.editorial = self.new_playlists(n_ed)
        ew = (np.arange(n_ed) + 1.0) ** -1.1
        self.editorial_cdf = np.cumsum(ew) / ew.sum()
        # podcasts and episodes
        n_pod = max(80, self.n // 150)
        self.n_pod = n_pod
        pw = (np.arange(n_pod) + 1.0) ** -1.0
        self.pod_cdf = np.cumsum(pw) / pw.sum()
        n_ep = 5 + np.minimum(120, rng.lognormal(2.8, 0.8, n_pod)).astype(np.int64)
        self.pod_ep0 = np.cumsum(n_ep) - n_ep
        self.pod_nep = n_ep
        self.n_artists = n_art

    def add_artist(self, n_tracks: int):
        a = self.n_artists
        self.n_artists += 1
        return a, self.add_tracks(a, n_tracks)

    def add_tracks(self, artist: int, k: int) -> np.ndarray:
        t0 = len(self.track_artist)
        self.track_artist = np.concatenate([self.track_artist, np.full(k, artist, np.int64)])
        return np.arange(t0, t0 + k, dtype=np.int64)

    def tracks_of(self, artist: int) -> np.ndarray:
        return np.flatnonzero(self.track_artist == artist)

    def sample_genre(self, g):
        g = np.asarray(g, np.int64)
        out = np.empty(len(g), np.int64)
        u = self.rng.random(len(g))
        for gg in np.unique(g):
            m = g == gg
            ids, c = self.genre_tracks[gg], self.genre_cdf[gg]
            out[m] = ids[np.minimum(np.searchsorted(c, u[m]), len(ids) - 1)]
        return out

    def sample_global(self, k):
        return np.minimum(np.searchsorted(self.global_cdf, self.rng.random(k)),
                          self.n_base_tracks - 1)

    def sample_top(self, k):
        return self.top_tracks[np.minimum(np.searchsorted(self.top_cdf, self.rng.random(k)),
                                          len(self.top_tracks) - 1)]

    def sample_editorial(self, k):
        return self.editorial[np.minimum(np.searchsorted(self.editorial_cdf,
                                                         self.rng.random(k)),
                                         len(self.editorial) - 1)]

    def sample_episode(self, k, pods=None):
        rng = self.rng
        if pods is None:
            pods = np.minimum(np.searchsorted(self.pod_cdf, rng.random(k)), self.n_pod - 1)
        # recent episodes are listened to more
        j = np.minimum((rng.beta(1.0, 3.0, k) * self.pod_nep[pods]).astype(np.int64),
                       self.pod_nep[pods] - 1)
        return pods, self.pod_ep0[pods] + (self.pod_nep[pods] - 1 - j)

    # ------------------------------------------------------------------ networks
    def _net_pools(self):
        rng = self.rng
        n = self.n
        # mobile carrier NAT: many strangers share each IP
        self.cgnat = self.new_ids("ip", max(60, n // 14))
        # commercial VPN exits (used by privacy-minded users and by some operators)
        self.vpn = self.new_ids("ip", 60 + n // 2000)
        # datacenter / cloud IPs (lone bots, follower services, some scrapers)
        self.dc = self.new_ids("ip", 150 + n // 300)
        # residential proxy providers: part of their exits are real home IPs
        self.proxy_providers = []
        for _ in range(3):
            size = max(1500, n // 6)
            own = self.new_ids("ip", size)
            k_home = size // 5
            homes = self.home_ip[rng.integers(0, n, k_home)]
            self.proxy_providers.append(np.concatenate([own, homes]))

    # ------------------------------------------------------------------ behaviour
    def listen(self, accs, level, t0, t1, *, top_only=False, diurnal=True, extras=True,
               spm=0.2, per_sess=(2.0, 8.0), fav_p=0.22, podcasts=True):
        """Organic-looking listening over [t0, t1] for the accounts accs."""
        rng = self.rng
        accs = np.asarray(accs, np.int64)
        m = len(accs)
        if m == 0:
            return
        t0 = np.maximum(np.asarray(t0, np.int64), WSTART)
        t1 = np.minimum(np.asarray(t1, np.int64), WEND - 60)
        span = np.clip(t1 - t0, 0, None)
        level = np.broadcast_to(np.asarray(level, float), (m,))
        n_sess = rng.poisson(level * spm * span / (30 * DAY))
        n_sess[span < HOUR] = 0
        ps = rng.uniform(per_sess[0], per_sess[1], m)
        tzs = self.tz(accs) if diurnal else None
        loc, ts, _ = self.sessions(n_sess, t0, t1, ps, 150, 260, tzs)
        P = len(loc)
        if P == 0:
            return
        if top_only:
            trk = self.sample_top(P)
        else:
            g = self.genre[accs]
            trk = np.empty(P, np.int64)
            u = rng.random(P)
            mf = u < fav_p
            if mf.any():
                favmat = self.sample_genre(np.repeat(g, 10)).reshape(m, 10)
                trk[mf] = favmat[loc[mf], rng.integers(0, 10, mf.sum())]
            mg = (u >= fav_p) & (u < 0.8)
            trk[mg] = self.sample_genre(g[loc[mg]])
            mo = u >= 0.8
            trk[mo] = self.sample_global(mo.sum())
        skip = rng.random(P) < 0.12
        act = np.where(skip, ACT["skip"], ACT["play"]).astype(np.int8)
        self.E(accs[loc], act, NS_TRACK, trk, ts)
        nxt = self.autoplay_next[trk]
        ma = (nxt >= 0) & ~skip & (rng.random(P) < 0.3)
        self.E(accs[loc[ma]], ACT["play"], NS_TRACK, nxt[ma],
               ts[ma] + rng.integers(170, 260, ma.sum()))
        if not extras:
            return
        u = rng.random(P)
        ms = (u < 0.05) & ~skip
        self.E(accs[loc[ms]], ACT["save_track"], NS_TRACK, trk[ms],
               ts[ms] + rng.integers(5, 200, ms.sum()))
        mfo = (u >= 0.05) & (u < 0.085) & ~skip
        self.E(accs[loc[mfo]], ACT["follow_artist"], NS_ARTIST, self.track_artist[trk[mfo]],
               ts[mfo] + rng.integers(5, 300, mfo.sum()))
        msh = (u >= 0.085) & (u < 0.09)
        self.E(accs[loc[msh]], ACT["share"], NS_TRACK, trk[msh], ts[msh] + 30)
        # playlist makers add tracks to their own playlists
        maker = rng.random(m) < 0.22
        madd = maker[loc] & (rng.random(P) < 0.08) & ~skip
        if madd.any():
            al = loc[madd]
            self.E(accs[al], ACT["playlist_add"], NS_TRACK, trk[madd],
                   ts[madd] + rng.integers(10, 600, madd.sum()))
            ul, fi = np.unique(al, return_index=True)
            own = self.new_playlists(len(ul))
            self.E(accs[ul], ACT["playlist_create"], NS_PLAYLIST, own,
                   ts[madd][fi] - rng.integers(60, 3 * DAY, len(ul)))
        # playlist follows (editorial mostly)
        nf = rng.poisson(level * 0.15 * span / (30 * DAY))
        fl = np.repeat(np.arange(m), nf)
        if len(fl):
            self.E(accs[fl], ACT["follow_playlist"], NS_PLAYLIST, self.sample_editorial(len(fl)),
                   t0[fl] + (rng.random(len(fl)) * span[fl]).astype(np.int64))
        if not podcasts:
            return
        pod_fan = rng.random(m) < 0.33
        ne = rng.poisson(level * 1.0 * span / (30 * DAY)) * pod_fan
        el = np.repeat(np.arange(m), ne)
        E = len(el)
        if E:
            ets = self.diurnal(t0[el] + (rng.random(E) * span[el]).astype(np.int64),
                               self.tz(accs[el]))
            ets = np.clip(ets, t0[el], t1[el])
            pods, eps = self.sample_episode(E)
            self.E(accs[el], ACT["play_episode"], NS_EPISODE, eps, ets)
            u = rng.random(E)
            mf = u < 0.10
            self.E(accs[el[mf]], ACT["follow_podcast"], NS_PODCAST, pods[mf], ets[mf] + 900)
            mr = (u >= 0.10) & (u < 0.125)
            stars = rng.choice([1, 2, 3, 4, 5], mr.sum(), p=[0.06, 0.04, 0.08, 0.2, 0.62])
            self.E(accs[el[mr]], ACT["rate"], NS_PODCAST, pods[mr],
                   ets[mr] + rng.integers(600, 5 * HOUR, mr.sum()), stars)
            mc = (u >= 0.125) & (u < 0.133)
            self.E(accs[el[mc]], ACT["comment"], NS_EPISODE, eps[mc],
                   ets[mc] + rng.integers(600, 2 * HOUR, mc.sum()))

    def base_signals(self, accs, *, home=True, pay=None, mobile_p=0.55, vpn_p=0.03,
                     phone_p=0.7, email_dom=None):
        """Everyday identifiers of ordinary users (own phone, home IP, carrier NAT, card)."""
        rng = self.rng
        accs = np.asarray(accs, np.int64)
        m = len(accs)
        if m == 0:
            return
        cr = self.created[accs]
        later = lambda k, c: (c + rng.random(k) * np.maximum(WEND - c, DAY)).astype(np.int64)
        nd = 1 + np.minimum(rng.poisson(0.5, m), 3)
        dl = np.repeat(np.arange(m), nd)
        first = np.r_[True, dl[1:] != dl[:-1]]
        seen = np.where(first, cr[dl], later(len(dl), cr[dl]))
        self.S(accs[dl], "device", self.new_ids("device", len(dl)), seen)
        if home:
            self.S(accs, "ip", self.home_ip[accs], later(m, cr))
            # dynamic ISPs recycle home addresses: a stranger's old IP
            rec = rng.random(m) < 0.03
            self.S(accs[rec], "ip", self.home_ip[rng.integers(0, self.n, rec.sum())],
                   later(rec.sum(), cr[rec]))
        mob = rng.random(m) < mobile_p
        nm = (1 + rng.poisson(0.7, m)) * mob
        ml = np.repeat(np.arange(m), nm)
        self.S(accs[ml], "ip", self.cgnat[rng.integers(0, len(self.cgnat), len(ml))],
               later(len(ml), cr[ml]))
        vp = rng.random(m) < vpn_p
        self.S(accs[vp], "ip", self.vpn[rng.integers(0, len(self.vpn), vp.sum())],
               later(vp.sum(), cr[vp]))
        ph = rng.random(m) < phone_p
        pv = self.new_ids("phone", ph.sum())
        recyc = rng.random(ph.sum()) < 0.01  # carriers recycle numbers
        if recyc.any() and self.counters["phone"] > 10:
            pv[recyc] = rng.integers(0, max(1, pv.min()), recyc.sum())
        self.S(accs[ph], "phone", pv, cr[ph])
        if email_dom is None:
            email_dom = self.mail_domains(m)
        self.S(accs, "email_domain", email_dom, cr)
        if pay is None:
            pay = self.premium[accs]
        pl_ = np.flatnonzero(pay)
        if len(pl_):
            two = rng.random(len(pl_)) < 0.06
            cards = np.concatenate([pl_, pl_[two]])
            self.S(accs[cards], "payment", self.new_ids("payment", len(cards)),
                   later(len(cards), cr[cards]))

    def mail_domains(self, k):
        rng = self.rng
        w = np.r_[MAIL_MAIN_W, np.full(N_MAIL_REGIONAL, (1 - MAIL_MAIN_W.sum()) / N_MAIL_REGIONAL)]
        return rng.choice(len(w), k, p=w / w.sum()).astype(np.int64)

    def upgrade(self, accs, t, plan=P_IND):
        accs = np.asarray(accs, np.int64)
        t = np.broadcast_to(np.asarray(t, np.int64), accs.shape)
        self.E(accs, ACT["upgrade_premium"], NS_PLAN, plan, t)

    # ================================================================== BAD GROUPS
    def stream_farm(self, s):
        rng = self.rng
        idx = self.take(s)
        s = len(idx)
        g = self.new_group("stream_farm", idx, "farm_bot", True)
        home_c = rng.choice(HIGH_PAYOUT)
        self.country[idx] = np.where(rng.random(s) < 0.85, home_c,
                                     rng.choice(len(COUNTRIES), s, p=C_W))
        cr = self.batch_created(s, WSTART - 150 * DAY, WEND - 45 * DAY, int(rng.integers(2, 7)),
                                gap_mean=rng.uniform(30, 400))
        aged = rng.random(s) < rng.choice([0.0, 0.0, 0.1, 0.3])  # bought aged accounts
        cr[aged] = (LAUNCH + rng.random(aged.sum()) * (WSTART - LAUNCH)).astype(np.int64)
        self.created[idx] = cr
        self.role[idx[aged]] = self._role("aged_bot")
        # emulator / device-farm ids: pool with resets
        pool = self.new_ids("device", max(2, int(s / rng.uniform(2, 7))))
        nd = 1 + rng.poisson(rng.uniform(0.5, 2.0), s)
        dl = np.repeat(np.arange(s), nd)
        dv = np.where(rng.random(len(dl)) < rng.uniform(0.5, 0.85),
                      pool[rng.integers(0, len(pool), len(dl))],
                      self.new_ids("device", len(dl)))
        self.S(idx[dl], "device", dv, cr[dl] + rng.integers(0, 60 * DAY, len(dl)))
        # rotating residential proxies
        prov = self.proxy_providers[int(rng.integers(0, 3))]
        ppool = rng.choice(prov, min(len(prov), int(s * rng.uniform(1.0, 4.0)) + 5),
                           replace=False)
        ni = 2 + rng.poisson(rng.uniform(2, 7), s)
        il = np.repeat(np.arange(s), ni)
        self.S(idx[il], "ip", ppool[rng.integers(0, len(ppool), len(il))],
               cr[il] + rng.integers(0, 90 * DAY, len(il)))
        # SMS-verification numbers reused a few times
        php = rng.uniform(0.2, 0.9)
        ph = rng.random(s) < php
        nums = self.new_ids("phone", max(1, int(ph.sum() / rng.uniform(1.5, 4))))
        self.S(idx[ph], "phone", nums[rng.integers(0, len(nums), ph.sum())], cr[ph])
        doms = DOM_DISPOSABLE + rng.choice(40, int(rng.integers(1, 4)), replace=False)
        dm = np.where(rng.random(s) < rng.uniform(0.3, 0.9), rng.choice(doms, s),
                      self.mail_domains(s))
        self.S(idx, "email_domain", dm, cr)
        # premium farms pay more per stream: a few prepaid cards
        self.premium[idx] = False
        if rng.random() < 0.45:
            cards = self.new_ids("payment", max(1, s // int(rng.integers(4, 15))))
            pm = rng.random(s) < 0.85
            tu = cr[pm] + rng.integers(HOUR, 3 * DAY, pm.sum())
            self.S(idx[pm], "payment", cards[rng.integers(0, len(cards), pm.sum())], tu)
            self.upgrade(idx[pm], tu)
            self.premium[idx[pm]] = True
        if rng.random() < 0.3:  # referral-bonus chains
            o = np.argsort(cr, kind="stable")
            ref = rng.random(s - 1) < 0.5
            j = np.arange(1, s)[ref]
            self.L(idx[o[(rng.random(len(j)) * j).astype(np.int64)]], idx[o[j]], "referral")
        # jobs
        mimic = rng.random() < 0.5  # mimic a human day or stream around the clock
        spacing = (31, 48) if rng.random() < 0.5 else (150, 240)  # just past the royalty bar
        cover_mix = rng.uniform(0.15, 0.6)
        for _ in range(int(rng.integers(2, 9))):
            art = int(rng.choice(self.tail_artists))
            tr = self.tracks_of(art)
            if rng.random() < 0.35:  # a fresh release uploaded for the scheme
                tr = self.add_tracks(art, int(rng.integers(1, 4)))
            tg = rng.choice(tr, min(len(tr), int(rng.integers(1, 7))), replace=False)
            js = int(rng.uniform(WSTART, WEND - 4 * DAY))
            dur = int(rng.uniform(2, 21) * DAY)
            je = min(js + dur, WEND - HOUR)
            part = idx[(rng.random(s) < rng.uniform(0.3, 0.8)) & (cr < js)]
            if len(part) == 0:
                continue
            m = len(part)
            days = max(1.0, (je - js) / DAY)
            nse = rng.poisson(days * rng.uniform(0.4, 1.5), m)
            loc, ts, _ = self.sessions(nse, np.full(m, js), np.full(m, je),
                                       rng.uniform(4, 14), spacing[0], spacing[1],
                                       self.tz(part) if mimic else None)
            P = len(loc)
            cov = rng.random(P) < cover_mix
            trk = np.where(cov, self.sample_top(P), tg[rng.integers(0, len(tg), P)])
            self.E(part[loc], ACT["play"], NS_TRACK, trk, ts + rng.integers(-90, 90, P))
            sv = rng.random(m) < 0.25
            t_ = js + (rng.random(sv.sum()) * (je - js)).astype(np.int64)
            for t in tg:
                self.E(part[sv], ACT["save_track"], NS_TRACK, t, t_ + rng.integers(0, HOUR))
            fo = rng.random(m) < 0.35
            self.E(part[fo], ACT["follow_artist"], NS_ARTIST, art,
                   js + (rng.random(fo.sum()) * (je - js)).astype(np.int64))
            pa = rng.random(m) < 0.15
            self.E(part[pa], ACT["playlist_add"], NS_TRACK, tg[0],
                   js + (rng.random(pa.sum()) * (je - js)).astype(np.int64))
        # cover: organic-looking plays of popular tracks
        self.listen(idx, rng.uniform(0.3, 1.5, s), cr, np.full(s, WEND), top_only=True,
                    diurnal=mimic, extras=rng.random() < 0.5, spm=rng.uniform(0.4, 1.2),
                    podcasts=False)
        return g

    def playlist_ring(self, s):
        rng = self.rng
        idx = self.take(s)
        s = len(idx)
        g = self.new_group("playlist_ring", idx, "ring_member", True)
        nc = 1 if s < 25 else int(rng.integers(1, 3))
        cur = idx[:nc]
        mem = idx[nc:]
        self.role[cur] = self._role("curator")
        r0 = rng.uniform(WSTART - 200 * DAY, WSTART + 60 * DAY)
        cr = (r0 + rng.random(s) * rng.uniform(20, 90) * DAY).astype(np.int64)
        aged = rng.random(s) < 0.5
        cr[aged] = (LAUNCH + rng.random(aged.sum()) * (r0 - LAUNCH)).astype(np.int64)
        cr[:nc] = (LAUNCH + rng.random(nc) * (r0 - LAUNCH)).astype(np.int64)
        self.created[idx] = cr
        c0 = rng.choice(len(COUNTRIES), p=C_W)
        self.country[idx] = np.where(rng.random(s) < 0.6, c0, rng.choice(len(COUNTRIES), s,
                                                                          p=C_W))
        # devices: real phones of a click farm, some shared
        pool = self.new_ids("device", max(1, s // 5))
        dv = np.where(rng.random(s) < 0.25, pool[rng.integers(0, len(pool), s)],
                      self.new_ids("device", s))
        self.S(idx, "device", dv, cr)
        vpn = np.concatenate([rng.choice(self.vpn, int(rng.integers(1, 4))),
                              rng.choice(self.dc, int(rng.integers(1, 4)))])
        ni = (1 + rng.poisson(0.8, s)) * (rng.random(s) < 0.85)
        il = np.repeat(np.arange(s), ni)
        self.S(idx[il], "ip", vpn[rng.integers(0, len(vpn), len(il))],
               cr[il] + rng.integers(0, 60 * DAY, len(il)))
        mob = rng.random(s) < 0.5
        self.S(idx[mob], "ip", self.cgnat[rng.integers(0, len(self.cgnat), mob.sum())],
               cr[mob] + DAY)
        self.S(idx, "email_domain", self.mail_domains(s), cr)
        ph = rng.random(s) < 0.5
        self.S(idx[ph], "phone", self.new_ids("phone", ph.sum()), cr[ph])
        # curator playlists and paid placements
        k = int(rng.integers(2, 7))
        pls = self.new_playlists(k)
        owner = cur[rng.integers(0, nc, k)]
        pc = (r0 + rng.random(k) * 10 * DAY).astype(np.int64)
        self.E(owner, ACT["playlist_create"], NS_PLAYLIST, pls, pc)
        for j in range(k):
            fm = rng.random(len(mem)) < 0.85
            self.E(mem[fm], ACT["follow_playlist"], NS_PLAYLIST, pls[j],
                   np.maximum(pc[j], cr[nc:][fm]) + rng.integers(HOUR, 6 * DAY, fm.sum()))
        nclient = int(rng.integers(10, 41))
        carts = rng.choice(self.tail_artists, nclient)
        ctr = np.array([rng.choice(self.tracks_of(a)) for a in carts])
        tp = np.sort(rng.uniform(max(r0, WSTART), WEND - 5 * DAY, nclient)).astype(np.int64)
        self.E(owner[rng.integers(0, k, nclient)], ACT["playlist_add"], NS_TRACK, ctr, tp)
        for j in range(nclient):
            pm = mem[(rng.random(len(mem)) < rng.uniform(0.4, 0.85)) & (cr[nc:] < tp[j])]
            q = len(pm)
            if q == 0:
                continue
            td = tp[j] + rng.integers(HOUR, int(rng.uniform(1, 4) * DAY), q)
            self.E(pm, ACT["save_track"], NS_TRACK, ctr[j], td)
            ad = rng.random(q) < 0.7
            self.E(pm[ad], ACT["playlist_add"], NS_TRACK, ctr[j], td[ad] + rng.integers(5, 600,
                                                                                       ad.sum()))
            npl = 1 + rng.poisson(2.5, q)
            pl_ = np.repeat(np.arange(q), npl)
            self.E(pm[pl_], ACT["play"], NS_TRACK, ctr[j],
                   td[pl_] + rng.integers(0, 10 * DAY, len(pl_)))
        # members follow each other
        a = rng.integers(0, s, s * 2)
        b = rng.integers(0, s, s * 2)
        self.L(idx[a], idx[b], "user_follow")
        self.listen(idx, rng.uniform(0.2, 1.0, s), cr, np.full(s, WEND), spm=0.5)
        return g

    def follower_service(self, s):
        rng = self.rng
        idx = self.take(s)
        s = len(idx)
        g = self.new_group("follower_service", idx, "fake_follower", True)
        cr = self.batch_created(s, WSTART - 120 * DAY, WEND - 60 * DAY, int(rng.integers(1, 5)),
                                gap_mean=rng.uniform(8, 60))
        self.created[idx] = cr
        c0 = rng.choice(CHEAP)
        self.country[idx] = np.where(rng.random(s) < 0.7, c0, rng.choice(CHEAP, s))
        pool = self.new_ids("device", int(rng.integers(2, 11)))
        dv = np.where(rng.random(s) < 0.7, pool[rng.integers(0, len(pool), s)],
                      self.new_ids("device", s))
        self.S(idx, "device", dv, cr)
        dcp = rng.choice(self.dc, int(rng.integers(5, 31)), replace=False)
        ni = 1 + rng.poisson(1.0, s)
        il = np.repeat(np.arange(s), ni)
        self.S(idx[il], "ip", dcp[rng.integers(0, len(dcp), len(il))],
               cr[il] + rng.integers(0, 30 * DAY, len(il)))
        doms = DOM_DISPOSABLE + rng.choice(40, int(rng.integers(2, 6)), replace=False)
        dm = np.where(rng.random(s) < 0.8, rng.choice(doms, s), self.mail_domains(s))
        self.S(idx, "email_domain", dm, cr)
        self.premium[idx] = False
        lo = int(np.quantile(cr, 0.3))
        for _ in range(int(rng.integers(8, 41))):
            t = int(rng.uniform(max(lo, WSTART), WEND - 2 * DAY))
            elig = idx[(cr < t) & (rng.random(s) < rng.uniform(0.15, 0.9))]
            q = len(elig)
            if q == 0:
                continue
            if rng.random() < 0.3:  # drip feed
                ts = t + (rng.random(q) * rng.uniform(2, 7) * DAY).astype(np.int64)
            else:
                ts = t + rng.exponential(rng.uniform(0.5, 6) * HOUR, q).astype(np.int64)
            u = rng.random()
            if u < 0.7:
                a = int(rng.choice(self.tail_artists))
                self.E(elig, ACT["follow_artist"], NS_ARTIST, a, ts)
                un = rng.random(q) < 0.05
                self.E(elig[un], ACT["unfollow_artist"], NS_ARTIST, a,
                       ts[un] + rng.integers(DAY, 40 * DAY, un.sum()))
            elif u < 0.88:
                self.E(elig, ACT["follow_playlist"], NS_PLAYLIST, self.new_playlists(1)[0], ts)
            else:
                p = int(rng.integers(self.n_pod // 3, self.n_pod))
                self.E(elig, ACT["follow_podcast"], NS_PODCAST, p, ts)
        self.listen(idx, 0.15, cr, cr + 20 * DAY, top_only=True, extras=False, spm=1.0,
                    podcasts=False)
        return g

    def card_ring(self, s):
        rng = self.rng
        idx = self.take(s)
        s = len(idx)
        g = self.new_group("card_ring", idx, "resold_premium", True)
        cr = self.batch_created(s, WSTART - 30 * DAY, WEND - 30 * DAY, int(rng.integers(1, 4)),
                                gap_mean=rng.uniform(60, 600))
        self.created[idx] = cr
        devs = self.new_ids("device", int(rng.integers(1, 4)))
        self.S(idx, "device", devs[rng.integers(0, len(devs), s)], cr)
        prov = self.proxy_providers[int(rng.integers(0, 3))]
        ips = rng.choice(prov, int(rng.integers(1, 4)))
        self.S(idx, "ip", ips[rng.integers(0, len(ips), s)], cr)
        cards = self.new_ids("payment", int(rng.integers(2, 6)))
        ci = np.arange(s) % len(cards)
        rng.shuffle(ci)
        tu = cr + rng.integers(2 * MIN, 3 * HOUR, s)
        self.S(idx, "payment", cards[ci], tu)
        plan = P_FAM if rng.random() < 0.15 else P_IND
        self.upgrade(idx, tu, plan)
        self.premium[idx] = True
        dm = np.where(rng.random(s) < 0.6, DOM_DISPOSABLE + rng.integers(0, 40, s),
                      self.mail_domains(s))
        self.S(idx, "email_domain", dm, cr)
        # the real cardholders are ordinary premium users somewhere on the platform
        victims = self.pool[self.ptr + rng.integers(0, max(1, self.n - self.ptr), len(cards))]
        vm = rng.random(len(cards)) < 0.35
        self.S(victims[vm], "payment", cards[vm], cr.min() - rng.integers(30, 900, vm.sum()) * DAY)
        cb = rng.random(s) < rng.uniform(0.2, 0.6)
        self.E(idx[cb], ACT["payment_chargeback"], NS_PLAN, plan,
               tu[cb] + rng.integers(20 * DAY, 60 * DAY, cb.sum()))
        # resold: the buyers use them from their own phones and homes
        sale = tu + rng.integers(DAY, 10 * DAY, s)
        self.S(idx, "device", self.new_ids("device", s), sale)
        self.S(idx, "ip", self.new_ids("ip", s), sale)
        mob = rng.random(s) < 0.5
        self.S(idx[mob], "ip", self.cgnat[rng.integers(0, len(self.cgnat), mob.sum())], sale[mob])
        self.country[idx] = rng.choice(len(COUNTRIES), s, p=C_W)
        end = np.where(cb, tu + 45 * DAY, WEND)
        self.listen(idx, self.level[idx], sale, end)
        return g

    def review_spam(self, s):
        rng = self.rng
        idx = self.take(s)
        s = len(idx)
        g = self.new_group("review_spam", idx, "review_spammer", True)
        cr = self.batch_created(s, WSTART - 90 * DAY, WEND - 40 * DAY, int(rng.integers(1, 3)),
                                gap_mean=rng.uniform(60, 900))
        aged = rng.random(s) < rng.uniform(0.2, 0.7)
        cr[aged] = (LAUNCH + rng.random(aged.sum()) * (WSTART - LAUNCH)).astype(np.int64)
        self.created[idx] = cr
        pool = self.new_ids("device", int(rng.integers(2, 6)))
        dv = np.where(rng.random(s) < 0.5, pool[rng.integers(0, len(pool), s)],
                      self.new_ids("device", s))
        self.S(idx, "device", dv, cr)
        ipp = np.concatenate([rng.choice(self.vpn, 2), rng.choice(self.dc, 2),
                              self.new_ids("ip", 2)])
        ni = 1 + rng.poisson(1.0, s)
        il = np.repeat(np.arange(s), ni)
        self.S(idx[il], "ip", ipp[rng.integers(0, len(ipp), len(il))],
               cr[il] + rng.integers(0, 60 * DAY, len(il)))
        dm = np.where(rng.random(s) < 0.5, DOM_DISPOSABLE + rng.integers(0, 40, s),
                      self.mail_domains(s))
        self.S(idx, "email_domain", dm, cr)
        clients = rng.integers(self.n_pod // 2, self.n_pod, int(rng.integers(1, 4)))
        rival = int(rng.integers(0, self.n_pod // 2)) if rng.random() < 0.4 else -1
        for _ in range(int(rng.integers(1, 4))):
            t = int(rng.uniform(max(WSTART, np.median(cr)), WEND - 4 * DAY))
            pm = idx[(rng.random(s) < rng.uniform(0.6, 0.95)) & (cr < t)]
            q = len(pm)
            if q == 0:
                continue
            win = rng.uniform(1, 3) * DAY
            for p in clients:
                tr = t + (rng.random(q) * win).astype(np.int64)
                lis = rng.random(q) < 0.6
                _, ep = self.sample_episode(lis.sum(), np.full(lis.sum(), p))
                self.E(pm[lis], ACT["play_episode"], NS_EPISODE, ep,
                       tr[lis] - rng.integers(5 * MIN, 3 * HOUR, lis.sum()))
                self.E(pm, ACT["rate"], NS_PODCAST, p, tr, 5)
                co = rng.random(q) < 0.5
                latest = self.pod_ep0[p] + self.pod_nep[p] - 1
                self.E(pm[co], ACT["comment"], NS_EPISODE, latest, tr[co] + rng.integers(30, 900,
                                                                                        co.sum()))
                fo = rng.random(q) < 0.8
                self.E(pm[fo], ACT["follow_podcast"], NS_PODCAST, p, tr[fo] + 20)
            if rival >= 0:
                rv = rng.random(q) < 0.7
                self.E(pm[rv], ACT["rate"], NS_PODCAST, rival,
                       t + (rng.random(rv.sum()) * win).astype(np.int64), 1)
        self.listen(idx, rng.uniform(0.1, 0.8, s), cr, np.full(s, WEND), spm=0.5)
        return g

    def sockpuppet_artist(self, k_alts):
        rng = self.rng
        idx = self.take(1 + k_alts)
        s = len(idx)
        main, alts = idx[0], idx[1:]
        g = self.new_group("sockpuppet_artist", idx, "alt", True)
        self.role[main] = self._role("artist_main")
        self.atype[main] = 1
        art, tr = self.add_artist(int(rng.integers(3, 16)))
        self.artist_account[art] = main
        c = self.country[main]
        self.country[alts] = np.where(rng.random(len(alts)) < 0.8, c, self.country[alts])
        cm = int(LAUNCH + rng.random() * (WSTART - 60 * DAY - LAUNCH))
        self.created[main] = cm
        ca = (rng.uniform(max(cm, WSTART - 200 * DAY), WEND - 20 * DAY, len(alts))).astype(
            np.int64)
        ca = self.diurnal(ca, np.full(len(alts), C_TZ[c]))
        self.created[alts] = ca
        cr = self.created[idx]
        op_dev = self.new_ids("device", int(rng.integers(1, 3)))
        self.S(np.full(len(op_dev), main), "device", op_dev, cm)
        od = rng.random(len(alts)) < 0.7
        self.S(alts[od], "device", op_dev[rng.integers(0, len(op_dev), od.sum())], ca[od])
        own = (rng.random(len(alts)) < 0.6) | ~od
        self.S(alts[own], "device", self.new_ids("device", own.sum()), ca[own])
        home = self.home_ip[main]
        self.S([main], "ip", home, cm)
        oh = rng.random(len(alts)) < 0.75
        self.S(alts[oh], "ip", home, ca[oh] + rng.integers(0, 30 * DAY, oh.sum()))
        if rng.random() < 0.4:
            v = rng.choice(self.vpn)
            vu = rng.random(s) < 0.6
            self.S(idx[vu], "ip", v, cr[vu] + rng.integers(0, 60 * DAY, vu.sum()))
        mob = rng.random(s) < 0.5
        self.S(idx[mob], "ip", self.cgnat[rng.integers(0, len(self.cgnat), mob.sum())], cr[mob])
        phones = self.new_ids("phone", 2)
        self.S([main], "phone", phones[0], cm)
        ap = rng.random(len(alts)) < 0.5
        self.S(alts[ap], "phone", phones[1], ca[ap])
        card = self.new_ids("payment", 1)[0]
        self.S([main], "payment", card, cm + DAY)
        self.premium[main] = True
        self.premium[alts] = False
        pa = rng.random(len(alts)) < 0.3
        self.S(alts[pa], "payment", card, ca[pa] + HOUR)
        self.upgrade(alts[pa], ca[pa] + HOUR)
        self.premium[alts[pa]] = True
        self.S(idx, "email_domain", np.where(rng.random(s) < 0.7, 0, self.mail_domains(s)), cr)
        # alts boost the artist: daily sessions of its tracks
        m = len(alts)
        t0 = np.maximum(ca, WSTART)
        nse = rng.poisson(np.maximum(WEND - t0, 0) / DAY * rng.uniform(0.04, 0.2), m)
        loc, ts, _ = self.sessions(nse, t0, np.full(m, WEND - HOUR), rng.uniform(2, 9), 160, 240,
                                   self.tz(alts))
        self.E(alts[loc], ACT["play"], NS_TRACK, tr[rng.integers(0, len(tr), len(loc))], ts)
        self.E(alts, ACT["follow_artist"], NS_ARTIST, art, t0 + rng.integers(HOUR, 5 * DAY, m))
        for t in tr:
            sv = rng.random(m) < 0.8
            self.E(alts[sv], ACT["save_track"], NS_TRACK, t,
                   t0[sv] + rng.integers(HOUR, 20 * DAY, sv.sum()))
            ad = rng.random(m) < 0.4
            self.E(alts[ad], ACT["playlist_add"], NS_TRACK, t,
                   t0[ad] + rng.integers(HOUR, 20 * DAY, ad.sum()))
        sh = rng.random(m) < 0.5
        self.E(alts[sh], ACT["share"], NS_TRACK, tr[0], t0[sh] + rng.integers(HOUR, 30 * DAY,
                                                                           sh.sum()))
        self.listen(idx, np.r_[self.level[main], rng.uniform(0.1, 0.6, m)], cr, np.full(s, WEND))
        return g

    def lone_bots(self, k):
        rng = self.rng
        idx = self.take(k)
        k = len(idx)
        self.kind[idx] = KIND["lone_bot"]
        self.bad[idx] = True
        self.premium[idx] = rng.random(k) < 0.2
        fol = rng.random(k) < 0.3
        self.role[idx] = self._role("lone_streamer")
        self.role[idx[fol]] = self._role("lone_follow_bot")
        cr = (WSTART - 200 * DAY + rng.random(k) * (230 * DAY)).astype(np.int64)
        self.created[idx] = cr
        self.S(idx, "device", self.new_ids("device", k), cr)
        ip = np.where(rng.random(k) < 0.6, self.dc[rng.integers(0, len(self.dc), k)],
                      self.new_ids("ip", k))
        self.S(idx, "ip", ip, cr)
        self.S(idx, "email_domain", self.mail_domains(k), cr)
        pm = np.flatnonzero(self.premium[idx])
        self.S(idx[pm], "payment", self.new_ids("payment", len(pm)), cr[pm])
        for i in range(k):
            a = idx[i]
            t0 = max(int(cr[i]), WSTART)
            if t0 >= WEND - DAY:
                continue
            if fol[i]:
                n = int(rng.integers(80, 500))
                t = t0 + (rng.random(n) * rng.uniform(1, 10) * DAY).astype(np.int64)
                self.E(np.full(n, a), ACT["follow_artist"], NS_ARTIST,
                       rng.integers(0, self.n_base_art, n), t)
            else:
                art = int(rng.choice(self.tail_artists))
                tr = self.tracks_of(art)[:4]
                n = int(rng.integers(80, 600))
                t = t0 + (rng.random(n) * (WEND - t0)).astype(np.int64)
                self.E(np.full(n, a), ACT["play"], NS_TRACK, tr[rng.integers(0, len(tr), n)], t)

    # ================================================================== BENIGN GROUPS
    def plans(self, n_accounts, duo_share=0.3):
        """Family (3-6) and duo (2) plans: one card, one address, one home, shared speakers."""
        rng = self.rng
        sizes = []
        tot = 0
        while tot < n_accounts:
            z = 2 if rng.random() < duo_share else int(rng.choice([3, 4, 5, 6],
                                                                  p=[0.4, 0.35, 0.17, 0.08]))
            sizes.append(z)
            tot += z
        sizes = np.array(sizes)
        idx = self.take(sizes.sum())
        F = len(sizes)
        fam = np.repeat(np.arange(F), sizes)[:len(idx)]
        first = np.r_[0, np.cumsum(sizes)[:-1]]
        mgr = idx[first]
        is_mgr = np.zeros(len(idx), bool)
        is_mgr[first] = True
        for f in range(F):
            kind = "duo_plan" if sizes[f] == 2 else "family_plan"
            self.new_group(kind, idx[first[f]:first[f] + sizes[f]], "plan_member", False)
        self.role[mgr] = self._role("plan_manager")
        self.country[idx] = self.country[mgr][fam]
        self.home_ip[idx] = self.home_ip[mgr][fam]
        same_g = rng.random(len(idx)) < 0.5
        self.genre[idx] = np.where(same_g, self.genre[mgr][fam], self.genre[idx])
        # created: manager old; members later, kids' accounts sometimes all at once
        cm = self.created[mgr]
        self.created[mgr] = np.minimum(cm, WEND - 90 * DAY)
        cm = self.created[mgr]
        bulk = rng.random(F) < 0.3
        bt = cm + (rng.random(F) * (WEND - 30 * DAY - cm)).astype(np.int64)
        memb = ~is_mgr
        cmem = np.where(bulk[fam], bt[fam] + rng.integers(60, HOUR, len(idx)),
                        cm[fam] + (rng.random(len(idx)) * (WEND - 20 * DAY - cm[fam])).astype(
                            np.int64))
        self.created[idx[memb]] = cmem[memb]
        cr = self.created[idx]
        # subscription
        tup = np.maximum(cr[first] + rng.integers(DAY, 400 * DAY, F), cr.reshape(-1)[first])
        tjoin_min = tup[fam]
        card = self.new_ids("payment", F)
        self.S(mgr, "payment", card, tup)
        pc = memb & (rng.random(len(idx)) < 0.75)
        self.S(idx[pc], "payment", card[fam[pc]], np.maximum(tjoin_min[pc], cr[pc]))
        plan = np.where(sizes == 2, P_DUO, P_FAM)
        self.E(mgr, ACT["upgrade_premium"], NS_PLAN, plan, tup)
        subs = self.new_subs(F)
        tj = np.maximum(tjoin_min, cr) + rng.integers(MIN, 30 * DAY, len(idx))
        self.E(idx[memb], ACT["plan_join"], NS_SUB, subs[fam[memb]], tj[memb])
        self.premium[idx] = False  # no individual cards
        addr = self.new_ids("address", F)
        self.S(idx, "address", addr[fam], np.maximum(tj, cr))
        # shared devices: smart speaker, car, TV
        for p_, p_use in ((0.5, 0.8), (0.25, 0.7), (0.35, 0.75)):
            has = rng.random(F) < p_
            dv = self.new_ids("device", F)
            use = has[fam] & (rng.random(len(idx)) < p_use)
            self.S(idx[use], "device", dv[fam[use]],
                   cr[use] + rng.integers(0, 200 * DAY, use.sum()))
        sd = rng.random(F) < 0.6
        dom = np.where(sd[fam], self.mail_domains(F)[fam], self.mail_domains(len(idx)))
        self.base_signals(idx, pay=np.zeros(len(idx), bool), email_dom=dom)
        self.L(mgr[fam[memb]], idx[memb], "family_plan")
        a = rng.random(len(idx)) < 0.3
        self.L(idx[a], mgr[fam[a]], "user_follow")
        return idx

    def households(self, n_accounts):
        rng = self.rng
        sizes = rng.choice([2, 3, 4], size=max(1, n_accounts // 2), p=[0.6, 0.3, 0.1])
        sizes = sizes[np.cumsum(sizes) <= n_accounts]
        idx = self.take(sizes.sum())
        F = len(sizes)
        hh = np.repeat(np.arange(F), sizes)
        first = np.r_[0, np.cumsum(sizes)[:-1]]
        head = idx[first]
        for f in range(F):
            self.new_group("household", idx[first[f]:first[f] + sizes[f]], "housemate", False)
        self.country[idx] = self.country[head][hh]
        self.home_ip[idx] = self.home_ip[head][hh]
        cr = self.created[idx]
        dv = self.new_ids("device", F)
        use = rng.random(len(idx)) < 0.8
        self.S(idx[use], "device", dv[hh[use]], cr[use] + rng.integers(0, 100 * DAY, use.sum()))
        # a parent paying two individual subscriptions with one card
        sc = rng.random(F) < 0.25
        card = self.new_ids("payment", F)
        pm = sc[hh] & self.premium[idx]
        self.S(idx[pm], "payment", card[hh[pm]], cr[pm] + DAY)
        self.base_signals(idx, pay=self.premium[idx] & ~pm)
        return idx

    def campus(self, size, office=False):
        rng = self.rng
        idx = self.take(size)
        s = len(idx)
        kind = "office_nat" if office else "campus_nat"
        g = self.new_group(kind, idx, "employee" if office else "student", False)
        c0 = rng.choice(len(COUNTRIES), p=C_W)
        self.country[idx] = np.where(rng.random(s) < 0.85, c0, self.country[idx])
        if not office:
            yr = rng.integers(2019, 2024, s)
            wave = rng.random(s) < 0.6
            sep = np.array([_ts(f"{y}-08-20T00:00:00") for y in range(2019, 2024)])
            cw = sep[yr - 2019] + rng.integers(0, 35 * DAY, s)
            self.created[idx] = np.where(wave, cw, self.created[idx])
            self.level[idx] *= 1.3
        cr = self.created[idx]
        nat = self.new_ids("ip", int(rng.integers(2, 9)) if not office else int(rng.integers(1, 5)))
        ni = 1 + rng.poisson(0.8, s)
        il = np.repeat(np.arange(s), ni)
        self.S(idx[il], "ip", nat[rng.integers(0, len(nat), len(il))],
               np.maximum(cr[il], WSTART) + rng.integers(0, 150 * DAY, len(il)))
        dom = (DOM_CORP if office else DOM_UNI) + g
        em = np.where(rng.random(s) < 0.6, dom, self.mail_domains(s))
        pay = self.premium[idx]
        home = rng.random(s) < (0.9 if office else 0.5)
        self.base_signals(idx[home], pay=pay[home], email_dom=em[home])
        self.base_signals(idx[~home], home=False, pay=pay[~home], email_dom=em[~home])
        if not office:
            st = self.premium[idx] & (rng.random(s) < 0.7)
            t = np.maximum(cr[st], WSTART - 100 * DAY) + rng.integers(DAY, 60 * DAY, st.sum())
            self.upgrade(idx[st], t, P_STU)
            self.student_upgraded = np.concatenate([getattr(self, "student_upgraded",
                                                            np.zeros(0, np.int64)), idx[st]])
            a = rng.integers(0, s, s)
            b = rng.integers(0, s, s)
            self.L(idx[a], idx[b], "user_follow")
        else:
            # plays during office hours from the office
            m = s
            nse = rng.poisson(self.level[idx] * 6, m)
            loc, ts, _ = self.sessions(nse, np.full(m, WSTART), np.full(m, WEND - HOUR),
                                       rng.uniform(4, 10, m), 150, 260, self.tz(idx),
                                       OFFICE_HOURS)
            self.E(idx[loc], ACT["play"], NS_TRACK, self.sample_genre(self.genre[idx][loc]), ts)
        return g

    def fandom(self, size):
        rng = self.rng
        idx = self.take(size)
        s = len(idx)
        g = self.new_group("fandom", idx, "fan", False)
        nadm = max(2, s // 200)
        admins = idx[:nadm]
        self.role[admins] = self._role("fan_admin")
        self.created[idx] = (LAUNCH + rng.beta(1.5, 1.2, s) * (WSTART - 20 * DAY - LAUNCH)).astype(
            np.int64)
        self.country[idx] = rng.choice(len(COUNTRIES), s,
                                       p=np.where(np.isin(np.arange(len(COUNTRIES)),
                                                          [CIDX["KR"], CIDX["US"], CIDX["ID"],
                                                           CIDX["PH"], CIDX["BR"], CIDX["MX"],
                                                           CIDX["JP"]]), 3.0, 1.0) * C_W /
                                       (np.where(np.isin(np.arange(len(COUNTRIES)),
                                                         [CIDX["KR"], CIDX["US"], CIDX["ID"],
                                                          CIDX["PH"], CIDX["BR"], CIDX["MX"],
                                                          CIDX["JP"]]), 3.0, 1.0) * C_W).sum())
        self.genre[idx] = np.where(rng.random(s) < 0.7, 0, self.genre[idx])
        self.level[idx] = np.maximum(self.level[idx], 0.5) * 1.5
        cr = self.created[idx]
        self.base_signals(idx)
        # idol artist (mid-popularity K-pop act)
        kp = np.flatnonzero(self.art_genre[: self.n_base_art] == 0)
        idol = int(kp[min(len(kp) - 1, int(rng.integers(0, 10)))]) if len(kp) else 5
        fan_pls = self.new_playlists(int(rng.integers(2, 4)))  # "streaming guide" playlists
        self.E(admins[: len(fan_pls)], ACT["playlist_create"], NS_PLAYLIST,
               fan_pls[: min(len(fan_pls), nadm)], WSTART - rng.integers(10, 100, min(len(fan_pls),
                                                                                       nadm)) * DAY)
        self.E(idx, ACT["follow_artist"], NS_ARTIST, idol, np.maximum(cr, WSTART - 300 * DAY) +
               rng.integers(0, 30 * DAY, s))
        n_rel = int(rng.integers(2, 4))
        days = np.sort(rng.choice(np.arange(10, (WEND - WSTART) // DAY - 10), n_rel, replace=False))
        for d in days:
            rel = WSTART + int(d) * DAY + 9 * HOUR  # 18:00 KST
            album = self.add_tracks(idol, int(rng.integers(3, 7)))
            title = album[0]
            guide = np.array([title, album[1], title, album[2 % len(album)], title,
                              album[-1]])
            part = idx[rng.random(s) < rng.uniform(0.6, 0.85)]
            m = len(part)
            quick = rng.random(m) < 0.6
            st = rel + np.where(quick, rng.exponential(4 * MIN, m),
                                rng.exponential(3 * HOUR, m)).astype(np.int64)
            loops = 3 + rng.geometric(1 / 8, m)
            pl_ = np.repeat(np.arange(m), loops)
            first = np.repeat(np.cumsum(loops) - loops, loops)
            pos = np.arange(len(pl_)) - first
            off = pos * rng.uniform(185, 215) + rng.uniform(0, 25, len(pl_))
            self.E(part[pl_], ACT["play"], NS_TRACK, guide[(pos + rng.integers(0, 2)) % len(guide)],
                   st[pl_] + off.astype(np.int64))
            # keep streaming in the following week
            nse = rng.poisson(rng.uniform(0.5, 3), m)
            loc, ts, _ = self.sessions(nse, np.full(m, rel + DAY), np.full(m, rel + 8 * DAY),
                                       rng.uniform(3, 8, m), 185, 215, self.tz(part))
            self.E(part[loc], ACT["play"], NS_TRACK,
                   album[rng.integers(0, len(album), len(loc))], ts)
            sv = rng.random(m) < 0.8
            self.E(part[sv], ACT["save_track"], NS_TRACK, title, st[sv] + rng.integers(60, HOUR,
                                                                                   sv.sum()))
            ad = rng.random(m) < 0.4
            for t in album[:3]:
                self.E(part[ad], ACT["playlist_add"], NS_TRACK, t,
                       st[ad] + rng.integers(60, 2 * HOUR, ad.sum()))
            fp = rng.random(m) < 0.5
            self.E(part[fp], ACT["follow_playlist"], NS_PLAYLIST,
                   fan_pls[rng.integers(0, len(fan_pls), fp.sum())],
                   st[fp] - rng.integers(0, 2 * DAY, fp.sum()))
            sh = rng.random(m) < 0.3
            self.E(part[sh], ACT["share"], NS_TRACK, title, st[sh] + rng.integers(60, 6 * HOUR,
                                                                               sh.sum()))
        a = rng.integers(0, s, s * 3)
        b = rng.integers(0, s, s * 3)
        self.L(idx[a], idx[b], "user_follow")
        return g

    def label_team(self, n_art, n_staff):
        rng = self.rng
        idx = self.take(n_art + n_staff)
        arts, staff = idx[:n_art], idx[n_art:]
        g = self.new_group("label_team", idx, "label_artist", False)
        self.role[staff] = self._role("label_staff")
        self.atype[arts] = 1
        self.atype[staff] = 3
        c0 = rng.choice(len(COUNTRIES), p=C_W)
        self.country[idx] = c0
        artist_ids = []
        for a in arts:
            ai, _ = self.add_artist(int(rng.integers(4, 25)))
            self.artist_account[ai] = a
            artist_ids.append(ai)
        artist_ids = np.array(artist_ids)
        cr = self.created[idx]
        office = self.new_ids("ip", int(rng.integers(1, 3)))
        self.S(idx, "ip", office[rng.integers(0, len(office), len(idx))],
               np.maximum(cr, WSTART - 100 * DAY))
        laptops = self.new_ids("device", int(rng.integers(1, 3)))
        self.S(staff, "device", laptops[rng.integers(0, len(laptops), len(staff))], cr[n_art:])
        mgd = rng.random(n_art) < 0.6  # managers log into artists' accounts
        self.S(arts[mgd], "device", laptops[rng.integers(0, len(laptops), mgd.sum())],
               cr[:n_art][mgd] + DAY)
        corp = self.new_ids("payment", 1)[0]
        cp = rng.random(len(idx)) < 0.5
        self.S(idx[cp], "payment", corp, cr[cp] + DAY)
        self.premium[idx[cp]] = False
        em = np.where(rng.random(len(idx)) < 0.7, DOM_LABEL + g, self.mail_domains(len(idx)))
        self.base_signals(idx, email_dom=em)
        # staff follow and playlist their artists; releases celebrated by the whole team
        for j, ai in enumerate(artist_ids):
            self.E(staff, ACT["follow_artist"], NS_ARTIST, ai, np.maximum(cr[n_art:], WSTART) +
                   rng.integers(0, 20 * DAY, len(staff)))
            oth = arts[rng.random(n_art) < 0.6]
            self.E(oth, ACT["follow_artist"], NS_ARTIST, ai, WSTART + rng.integers(0, 60 * DAY,
                                                                                 len(oth)))
            if rng.random() < 0.6:
                rel = int(WSTART + rng.integers(5, 170) * DAY + 4 * HOUR)
                new = self.add_tracks(int(ai), int(rng.integers(1, 5)))
                team = idx[rng.random(len(idx)) < 0.8]
                for t in new:
                    self.E(team, ACT["play"], NS_TRACK, t, rel + rng.integers(0, 3 * HOUR,
                                                                              len(team)))
                self.E(staff, ACT["playlist_add"], NS_TRACK, new[0],
                       rel + rng.integers(0, HOUR, len(staff)))
                self.E(team, ACT["share"], NS_TRACK, new[0], rel + rng.integers(0, 6 * HOUR,
                                                                               len(team)))
                self.release_tracks.append((new, rel))
        return g

    # ================================================================== crowd effects
    def superstar_release(self, benign):
        rng = self.rng
        album = self.add_tracks(0, 12)
        rel = WSTART + int(rng.integers(90, 130)) * DAY + 4 * HOUR  # midnight US East
        el = benign[self.created[benign] < rel]
        crowd = el[rng.random(len(el)) < rng.uniform(0.15, 0.25)]
        m = len(crowd)
        st = rel + np.where(rng.random(m) < 0.25, rng.exponential(20 * MIN, m),
                            rng.exponential(16 * HOUR, m)).astype(np.int64)
        n = 3 + rng.poisson(8, m)
        pl_ = np.repeat(np.arange(m), n)
        first = np.repeat(np.cumsum(n) - n, n)
        pos = np.arange(len(pl_)) - first
        self.E(crowd[pl_], ACT["play"], NS_TRACK, album[pos % 12],
               st[pl_] + (pos * rng.uniform(160, 260, len(pl_))).astype(np.int64))
        sv = rng.random(m) < 0.3
        self.E(crowd[sv], ACT["save_track"], NS_TRACK, album[rng.integers(0, 12, sv.sum())],
               st[sv] + HOUR)
        fo = rng.random(m) < 0.1
        self.E(crowd[fo], ACT["follow_artist"], NS_ARTIST, 0, st[fo] + 600)
        org = crowd[self.kind[crowd] == KIND["organic"]]
        if len(org):
            self.new_group("release_crowd", org, "release_listener", False)

    def viral_track(self, benign):
        rng = self.rng
        mid = np.flatnonzero(self.track_artist[: self.n_base_tracks] >= self.n_base_art // 10)
        vt = int(rng.choice(mid))
        d0 = int(rng.integers(20, 120))
        el = benign[self.created[benign] < WSTART + d0 * DAY]
        fans = el[rng.random(len(el)) < rng.uniform(0.08, 0.15)]
        m = len(fans)
        n = 1 + rng.poisson(2.5, m)
        pl_ = np.repeat(np.arange(m), n)
        t = WSTART + d0 * DAY + (rng.beta(2.5, 3.5, len(pl_)) * 40 * DAY).astype(np.int64)
        t = self.diurnal(t, self.tz(fans[pl_]))
        self.E(fans[pl_], ACT["play"], NS_TRACK, vt, t)
        sh = rng.random(m) < 0.1
        self.E(fans[sh], ACT["share"], NS_TRACK, vt, WSTART + d0 * DAY +
               rng.integers(0, 30 * DAY, sh.sum()))

    # ================================================================== build
    def build(self):
        rng = self.rng
        n = self.n
        self.artist_account: dict[int, int] = {}
        self.release_tracks: list = []
        # ---------------- bad groups
        bad_frac = rng.uniform(0.04, 0.07)
        budget = n * bad_frac
        shares = {"stream_farm": 0.37, "follower_service": 0.24, "playlist_ring": 0.12,
                  "card_ring": 0.09, "review_spam": 0.09, "sockpuppet_artist": 0.09}

        def size_of(kind):
            if kind == "stream_farm":
                return int(np.clip(rng.lognormal(np.log(70), 0.7), 15, 600))
            if kind == "follower_service":
                return int(np.clip(rng.lognormal(np.log(90), 0.6), 25, 800))
            if kind == "playlist_ring":
                return int(np.clip(rng.lognormal(np.log(28), 0.5), 10, 120))
            if kind == "card_ring":
                return int(rng.integers(5, 26))
            if kind == "review_spam":
                return int(np.clip(rng.lognormal(np.log(18), 0.5), 6, 70))
            return int(rng.integers(3, 11))  # alts of a sockpuppet artist

        plan = []
        for kind, sh in shares.items():
            b = budget * sh
            used = 0
            while used < b or used == 0:
                z = size_of(kind)
                plan.append((kind, z))
                used += z + (1 if kind == "sockpuppet_artist" else 0)
        order = rng.permutation(len(plan))
        for i in order:
            kind, z = plan[i]
            getattr(self, kind)(z)
        self.lone_bots(int(n * rng.uniform(0.002, 0.004)))
        bad_end = self.ptr
        # ---------------- benign look-alikes
        for _ in range(int(rng.integers(1, 3))):
            self.fandom(int(n * rng.uniform(0.015, 0.035)))
        for _ in range(int(rng.integers(2, 5))):
            self.campus(max(80, int(n * rng.uniform(0.006, 0.015))))
        for _ in range(int(rng.integers(2, 5))):
            self.campus(max(30, int(n * rng.uniform(0.002, 0.006))), office=True)
        for _ in range(max(2, n // 4000)):
            self.label_team(int(rng.integers(3, 11)), int(rng.integers(1, 4)))
        fam_idx = self.plans(int(n * rng.uniform(0.09, 0.13)))
        self.households(int(n * rng.uniform(0.03, 0.05)))
        # ---------------- the rest are ordinary users
        rest = self.pool[self.ptr:]
        self.ptr = n
        art_acc = rest[rng.random(len(rest)) < 0.02]
        self.atype[art_acc] = 1
        self.role[art_acc] = self._role("artist")
        free_art = rng.permutation(np.arange(self.n_base_art // 20, self.n_base_art))
        for a, ai in zip(art_acc, free_art):
            self.artist_account[int(ai)] = int(a)
        pod_acc = rest[rng.random(len(rest)) < 0.005]
        self.atype[pod_acc] = 2
        self.role[pod_acc] = self._role("podcaster")
        self.base_signals(rest)
        # referrals between friends
        rf = rest[rng.random(len(rest)) < 0.05]
        self.L(rest[rng.integers(0, len(rest), len(rf))], rf, "referral")
        # random social follows
        k = n // 3
        self.L(rest[rng.integers(0, len(rest), k)], rest[rng.integers(0, len(rest), k)],
               "user_follow")
        # organic premium upgrades in the window
        benign = np.flatnonzero(~self.bad)
        pr = rest[self.premium[rest]]
        tu = self.created[pr] + (rng.random(len(pr)) * (WEND - self.created[pr])).astype(np.int64)
        self.upgrade(pr, tu)
        # everyday listening of every benign account
        self.listen(benign, self.level[benign], self.created[benign],
                    np.where(rng.random(len(benign)) < 0.12,
                             WSTART + rng.integers(10, 180, len(benign)) * DAY, WEND))
        # artists play their own tracks and follow peers (legit)
        for ai, a in self.artist_account.items():
            if self.bad[a]:
                continue
            tr = self.tracks_of(ai)[:5]
            if len(tr) == 0:
                continue
            nn = int(rng.integers(0, 6))
            self.E(np.full(nn, a), ACT["play"], NS_TRACK, tr[rng.integers(0, len(tr), nn)],
                   WSTART + rng.integers(0, WEND - WSTART, nn))
        self.superstar_release(benign)
        self.viral_track(benign)
        # lone organic heavy-repeat listeners (benign noise that looks bot-like)
        loop = rest[rng.random(len(rest)) < 0.002]
        for a in loop:
            t = self.sample_global(1)[0]
            nn = int(rng.integers(40, 200))
            self.E(np.full(nn, a), ACT["play"], NS_TRACK, t,
                   self.diurnal(WSTART + rng.integers(0, WEND - WSTART, nn),
                                np.full(nn, self.tz(a))))
        self.role[loop] = self._role("repeat_listener")

    # ================================================================== output
    def _hex(self, ints, salt):
        v = (np.asarray(ints, np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt)) & \
            np.uint64((1 << 48) - 1)
        return [f"{x:012x}" for x in v.tolist()]

    def frames(self):
        rng = self.rng
        n = self.n
        ids_int = rng.choice(2**40 - 2**36, n, replace=False) + 2**36
        acc_ids = pl.Series("account_id", ["u" + s for s in self._hex(ids_int, self.salt[0])])
        atype = np.array(ATYPES, dtype=object)[self.atype]
        atype[rng.random(n) < 0.02] = None
        country = COUNTRIES.astype(object)[self.country]
        country[rng.random(n) < 0.04] = None
        accounts = pl.DataFrame({
            "account_id": acc_ids,
            "created_at": pl.Series(self.created * 1_000_000).cast(pl.Datetime("us")),
            "account_type": pl.Series(atype.tolist(), dtype=pl.String),
            "country": pl.Series(country.tolist(), dtype=pl.String),
        })
        # ---------------- signals
        sa = np.concatenate([x[0] for x in self.sig])
        sk = np.concatenate([x[1] for x in self.sig])
        sv = np.concatenate([x[2] for x in self.sig])
        ss = np.concatenate([x[3] for x in self.sig])
        ss = np.maximum(ss, self.created[sa])
        ss = np.minimum(ss, WEND - 1)
        sdf = (pl.DataFrame({"a": sa, "k": sk, "v": sv, "s": ss})
               .group_by(["a", "k", "v"]).agg(pl.col("s").min())
               .sort(["a", "k", "v"]))
        kk = sdf["k"].to_numpy()
        vv = sdf["v"].to_numpy()
        vals = np.empty(len(sdf), dtype=object)
        for ki, kname in enumerate(SIG_KINDS):
            m = kk == ki
            if not m.any():
                continue
            u, inv = np.unique(vv[m], return_inverse=True)
            vals[m] = np.array(self._hex(u, self.salt[1 + ki]), dtype=object)[inv]
        seen = sdf["s"].to_numpy() * 1_000_000
        signals = pl.DataFrame({
            "account_id": acc_ids.gather(sdf["a"].to_numpy()),
            "kind": pl.Series(np.array(SIG_KINDS, dtype=object)[kk].tolist(), dtype=pl.String),
            "value": pl.Series(vals.tolist(), dtype=pl.String),
            "seen_at": pl.Series(seen).cast(pl.Datetime("us")),
        }).with_columns(
            pl.when(pl.Series(rng.random(len(sdf)) < 0.05)).then(None)
            .otherwise(pl.col("seen_at")).alias("seen_at"))
        # ---------------- events
        ea = np.concatenate([x[0] for x in self.ev])
        eact = np.concatenate([x[1] for x in self.ev])
        ec = np.concatenate([x[2] for x in self.ev])
        et = np.concatenate([x[3] for x in self.ev])
        er = np.concatenate([x[4] for x in self.ev])
        keep = (et >= WSTART) & (et < WEND) & (et >= self.created[ea])
        edf = pl.DataFrame({"a": ea[keep], "c": eact[keep], "t": ec[keep], "ts": et[keep],
                            "r": er[keep]})
        once = [ACT[a] for a in ONCE_ACTIONS]
        e1 = (edf.filter(pl.col("c").is_in(once))
              .group_by(["a", "c", "t"]).agg(pl.col("ts").min(), pl.col("r").first()))
        e2 = edf.filter(~pl.col("c").is_in(once))
        edf = pl.concat([e2, e1.select(e2.columns)]).sort(["ts", "a", "c", "t"])
        codes = edf["t"].to_numpy()
        u, inv = np.unique(codes, return_inverse=True)
        ns = (u >> 40).astype(np.int64)
        ix = u & ((1 << 40) - 1)
        names = np.empty(len(u), dtype=object)
        for nsv, pre in NS_PREFIX.items():
            m = ns == nsv
            if m.any():
                names[m] = [pre + h for h in self._hex(ix[m], self.salt[8 + nsv])]
        m = ns == NS_PLAN
        names[m] = np.array(PLANS, dtype=object)[ix[m]]
        rr = edf["r"].to_numpy()
        events = pl.DataFrame({
            "account_id": acc_ids.gather(edf["a"].to_numpy()),
            "action": pl.Series(np.array(ACTIONS, dtype=object)[edf["c"].to_numpy()].tolist(),
                                dtype=pl.String),
            "target_id": pl.Series(names[inv].tolist(), dtype=pl.String),
            "ts": pl.Series(edf["ts"].to_numpy() * 1_000_000).cast(pl.Datetime("us")),
            "rating": pl.Series(np.where(rr > 0, rr, 0).astype(np.int8)).cast(pl.Int8),
        }).with_columns(pl.when(pl.col("rating") > 0).then(pl.col("rating")).otherwise(None)
                        .alias("rating"))
        # ---------------- links
        la = np.concatenate([x[0] for x in self.lk])
        lb = np.concatenate([x[1] for x in self.lk])
        lkind = np.concatenate([np.full(len(x[0]), x[2], dtype=object) for x in self.lk])
        lw = np.concatenate([x[3] for x in self.lk])
        ldf = (pl.DataFrame({"a": la, "b": lb, "k": pl.Series(lkind.tolist(), dtype=pl.String),
                             "w": lw})
               .unique(subset=["a", "b", "k"], keep="first", maintain_order=True))
        links = pl.DataFrame({
            "account_a": acc_ids.gather(ldf["a"].to_numpy()),
            "account_b": acc_ids.gather(ldf["b"].to_numpy()),
            "kind": ldf["k"],
            "weight": ldf["w"].cast(pl.Float64),
        })
        # ---------------- truth
        gid = self.gid
        gnames = np.array(self.group_names + [None], dtype=object)
        gk = np.array(KINDS, dtype=object)[self.kind]
        truth = pl.DataFrame({
            "account_id": acc_ids,
            "is_bad": pl.Series(self.bad),
            "group_id": pl.Series(gnames[np.where(gid >= 0, gid, len(self.group_names))].tolist(),
                                  dtype=pl.String),
            "group_kind": pl.Series(gk.tolist(), dtype=pl.String),
            "role": pl.Series(np.array(self.roles, dtype=object)[self.role].tolist(),
                              dtype=pl.String),
        })
        # ---------------- labels: enforced cases + known-good sample
        lab = np.full(n, -1, np.int8)
        for g, kind in enumerate(self.group_kind):
            mem = self.group_members[g]
            if kind in BAD_KINDS:
                if rng.random() < 0.5:
                    lm = mem[rng.random(len(mem)) < rng.uniform(0.3, 0.9)]
                    lab[lm] = 1
                    if kind == "card_ring":  # buyers who appealed and were reinstated
                        lab[lm[rng.random(len(lm)) < 0.15]] = 0
        lone = np.flatnonzero(self.kind == KIND["lone_bot"])
        lab[lone[rng.random(len(lone)) < 0.35]] = 1
        org = np.flatnonzero(self.kind == KIND["organic"])
        lab[org[rng.random(len(org)) < 0.05]] = 0
        grp = np.flatnonzero(~self.bad & (self.kind != KIND["organic"]))
        lab[grp[rng.random(len(grp)) < 0.08]] = 0
        fan = np.flatnonzero(self.kind == KIND["fandom"])
        lab[fan[rng.random(len(fan)) < 0.003]] = 1  # mistaken enforcement
        li = np.flatnonzero(lab >= 0)
        labels = pl.DataFrame({"account_id": acc_ids.gather(li),
                               "label": pl.Series(lab[li].astype(np.int64))})
        # shuffle account rows (exports come in no particular order)
        accounts = accounts.sort("created_at")
        return accounts, signals, events, links, labels, truth


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("--accounts", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-labels", action="store_true")
    args = ap.parse_args(argv)
    if args.accounts < 2000:
        ap.error("--accounts must be at least 2000")
    t0 = time.perf_counter()
    tf = Tunefield(args.accounts, args.seed)
    tf.build()
    accounts, signals, events, links, labels, truth = tf.frames()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    accounts.write_parquet(out / "accounts.parquet")
    signals.write_parquet(out / "signals.parquet")
    events.write_parquet(out / "events.parquet")
    links.write_parquet(out / "links.parquet")
    truth.write_parquet(out / "truth.parquet")
    if not args.no_labels:
        labels.write_csv(out / "labels.csv")
    elif (out / "labels.csv").exists():
        (out / "labels.csv").unlink()
    dt = time.perf_counter() - t0
    print(f"Tunefield seed={args.seed}: {accounts.height} accounts, {signals.height} signals, "
          f"{events.height} events, {links.height} links"
          + ("" if args.no_labels else f", {labels.height} labels") + f" -> {out} ({dt:.1f}s)")
    summ = (truth.group_by("group_kind")
            .agg(pl.len().alias("accounts"), pl.col("group_id").n_unique().alias("groups"),
                 pl.col("is_bad").first().alias("bad"))
            .sort(["bad", "accounts"], descending=True))
    for r in summ.iter_rows(named=True):
        gcount = r["groups"] if r["group_kind"] not in ("organic", "lone_bot") else "-"
        print(f"  {r['group_kind']:<18} bad={str(r['bad']):<5} groups={gcount!s:>5} "
              f"accounts={r['accounts']}")
    print(f"  bad accounts: {int(truth['is_bad'].sum())} "
          f"({100 * truth['is_bad'].mean():.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

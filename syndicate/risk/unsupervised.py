"""An unsupervised cluster score for data without labels: a transparent scorecard.

Each indicator maps a feature to [0, 1] with a bound that has a plain meaning (for example
"four or more accounts per device"); the score is a logistic of their weighted sum. The
weights encode what trust-and-safety teams know about syndicates, not any dataset's values:
one operator reuses a few devices and cards across many accounts, creates them in bursts,
and uses them together; benign groups (families, offices, agencies) grew over years.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.features.takeover import strength_of
from syndicate.risk.archetypes import AUDIENCE_MIN_TARGETS

# Intermediate measures that several indicators share, in the order they are defined: each is
# computed once as a column of its own before the indicators (scorecard), which read it by name.
# Written out in full, the indicators' expressions repeat them dozens of times (170,000
# characters of expression): polars then spent 0.33-0.40 s per scorecard on any table, ten
# rows or ten thousand, twice a run (the score, the report's contributions).
_STAGES: dict[str, pl.Expr] = {}


def _staged(name: str, expr: pl.Expr) -> pl.Expr:
    """``expr``, computed once as the column ``name`` (:data:`_STAGES`); returns that column."""
    _STAGES[name] = expr
    return pl.col(name)


# How much of the members' engagement with the targets they hit as a group came in the group's
# bursts (features/delivery.py): a farm's job is delivered in minutes and over, so nearly all
# of it (>= 0.9: full weight); an audience (fans, a campus, a stream's viewers) keeps arriving
# for hours after the notification, so half or less (<= 0.5: no weight). Co-action evidence
# counts in proportion. Missing (no group bursts, or tables without the column): full weight.
# The share is judged on the targets hit in group bursts: on one or two of them it says little
# (a ring whose members once met in the same minutes on one product is no audience), on as
# many as it takes to be called an audience (AUDIENCE_MIN_TARGETS, five) it says all.
_JUDGED = (pl.col("coaction_targets").cast(pl.Float64).fill_null(0.0) / AUDIENCE_MIN_TARGETS).clip(0, 1)
_DELIVERED = _staged("_delivered", 1 - (1 - ((pl.col("group_burst_share").fill_null(1.0).fill_nan(1.0) - 0.5) / 0.4)
                                          .clip(0, 1)) * _JUDGED)
_GROUP_COACTION = ((pl.col("coaction_targets").cast(pl.Float64) - 3) / 12).clip(0, 1)
# How much link evidence binds a cluster: the summed weight of its internal links (two
# accounts on one home IP: ~0.35; six on one device: ~5; a farm: dozens). Null where a table
# has no link figures.
EVIDENCE_MASS = pl.col("n_edges").cast(pl.Float64) * pl.col("mean_edge_weight").cast(pl.Float64).fill_nan(0)
# Co-action by accounts that share infrastructure or meet again and again. A farm runs its
# workers through shared proxies, SIM pools or devices, or puts most of them on every job
# (its linked pairs then share many bursts); a creator's fans act from their own phones and
# homes, and a pair of them meets in the same minute on a couple of posts. So co-action
# counts fully when the members' identifier links weigh at least a quarter of a strong link
# per member (e.g. a proxy IP behind a handful of workers; an audience's is ~0), or when
# their linked pairs met in six bursts or more (three or fewer: nothing), or when most
# members have no identifiers at all (a review dataset, where identity cannot tell).
# Meeting again and again with nothing shared backs a crew that was put together lately, not
# people who have known each other for years: friends who play every evening in one party,
# a guild's raid nights, a team's scrims, a streamer's regulars meet in dozens of bursts per
# pair, each from their own devices and homes. So that term counts as far as the group did
# not grow slowly (_SLOW_GROWTH, the "slow_growth" indicator's measure: full weight while the
# middle 80% of the members were created within six months, none from two years). An online
# game's friend circles, guilds, teams and streamers' regulars (accounts made over 3-6
# years) held 16 of its top 28 places without labels on repetition alone; our generator's
# dense farms, which share nothing either, were made within weeks (core spans of 13-25
# days). A farm of bought aged accounts that shares no proxy, device or SIM pool is left to
# the other signs.
# The cluster's size as a float (counts are unsigned).
_SIZE = pl.col("size").cast(pl.Float64)
_IDENTITY_MASS = _staged("_identity_mass", (EVIDENCE_MASS
                                            * (1 - pl.col("evidence_lockstep") - pl.col("evidence_rare_coaction")
                                               - pl.col("evidence_given") - pl.col("evidence_rating_burst")).clip(0, 1)
                                            / _SIZE))
# How slowly the group grew: the span over which the middle 80% of its members were created,
# none up to six months, full from two years. Unknown: not slow.
_SLOW_GROWTH = _staged("_slow_growth", ((pl.col("created_core_span_days") - 180) / 540).clip(0, 1)
                       .fill_null(0.0).fill_nan(0.0))
# Taken over: members whose new device, card or phone arrived together with the same one on
# other old accounts within a week, or a month when they had shared nothing before
# (features/takeover.py), weighed by how far the strongest wave is beyond a household's
# (wave_strength: none at four, full at eight; for accounts that shared nothing before it none
# at two, full at six). Full weight from half of the members: the victims of a takeover sit in
# clusters with their own households, whose members the operator never touched. Tables without
# the figures: none.
_TAKEN_OVER = _staged("_taken_over", (pl.col("takeover_wave_share") * 2).clip(0, 1) * pl.col("takeover_wave_strength"))


def _bursts_per_pair(none: float, full: float) -> pl.Expr:
    """How often the linked pairs met in bursts (``mean_shared_bursts``): 0 up to ``none``
    bursts per pair, 1 from ``full``; null stays null."""
    return ((pl.col("mean_shared_bursts").fill_nan(0) - none) / (full - none)).clip(0, 1)


# Linked pairs that met in many bursts: three or fewer, none (a farm that rotates its workers
# over its jobs puts a pair together on about two), full from six.
_AGAIN = _bursts_per_pair(3, 6)
# A settled community: grown over years (_SLOW_GROWTH), every member on a device of its own,
# and the same people meeting again and again (_DOZENS: linked pairs in six bursts or fewer,
# none; full from a dozen) — a guild's raid nights, a team's scrims, a club. People who meet
# share IPs as well (a LAN party, a café, each other's homes): such IPs are no pool an operator
# runs a crew through, so they back its co-action only as far as the group is not settled
# (identity backing below, _POOL_BACKED, "coaction_on_shared_ips"). An online game's guilds and
# teams (39-115 accounts made over 4-5 years, 97-100% on their own devices, pairs meeting in
# 20-460 bursts, the busiest IP behind a third of them) held four of its top 28 places without
# labels on their shared IPs. Farms of aged or hijacked accounts on their own phones behind
# proxies rotate their workers over the jobs: about two bursts per pair on four marketplaces,
# up to five and a half (a water army of 45 made over three years) on a fifth, which a bar at
# three would clear. Over the top 300 clusters of 24 no-label runs, 12 bad clusters are old, on
# their own devices and meet in more than three bursts per pair: 8 of them in fewer than six,
# 2 in more than a dozen. Victims of a takeover: not settled. Own devices must be seen: where
# no member was seen on a device or phone (data without them, or a kind read as a property)
# own_device_share is 1 for want of anything to judge, and nothing says settled.
_DOZENS = _bursts_per_pair(6, 12)
_SEEN_ON_DEVICES = (pl.col("device_values").fill_null(0) + pl.col("phone_values").fill_null(0)) > 0
_SETTLED = _staged("_settled", (_SLOW_GROWTH * pl.col("own_device_share").fill_null(0.0).fill_nan(0.0)
                                * _DOZENS.fill_null(0.0)
                                * _SEEN_ON_DEVICES.cast(pl.Float64) * (1 - _TAKEN_OVER.fill_null(0.0).fill_nan(0.0))))
# A missing figure backs nothing; tables with none of them (made before they existed):
# nothing to judge by, full weight.
_BACKING = (
    ((_IDENTITY_MASS - 0.05) / 0.2).clip(0, 1) * (1 - _SETTLED),
    # Victims of a takeover are old by construction: their age clears nothing.
    _AGAIN * (1 - _SLOW_GROWTH * (1 - _TAKEN_OVER.fill_null(0.0).fill_nan(0.0))),
    ((pl.col("no_signal_share") - 0.5) * 2).clip(0, 1),
)
_BACKED = _staged("_backed", (pl.when(pl.all_horizontal(term.is_null() for term in _BACKING)).then(1.0)
                              .otherwise(pl.max_horizontal(term.fill_null(0.0) for term in _BACKING))))
# The same identifier links, from a pool rather than a place. A place puts nearly all of its
# members behind one value: a campus, dorm or office behind its NAT IP, a building behind its
# address, a household behind its card or tablet. A crew that works through a pool of proxies,
# SIMs or devices spreads over many values, each shared by a part of it (farms on two
# independently built marketplaces: the busiest proxy IP behind 17-38% of the crew; campuses
# and dorms: 82-100% on one IP). So the backing counts fully while no value of any kind covers
# half of the members, and none from four fifths. Tables without the figures: none.
_ONE_PLACE = (pl.max_horizontal(*(pl.col(f"max_accounts_per_{k}")
                                  for k in ("ip", "address", "device", "payment", "phone", "email")))
              / _SIZE)
_POOL_BACKED = _staged("_pool_backed", (((_IDENTITY_MASS - 0.05) / 0.2).clip(0, 1) * (1 - _SETTLED)
                                        * (1 - ((_ONE_PLACE - 0.5) / 0.3).clip(0, 1))).fill_null(0.0).fill_nan(0.0))
# Rare targets a linked pair met on, on average: 1 (each pair met once, as students of one
# campus or neighbours meet on the one local event: no weight) to 3 or more (they met again and
# again, as a ring's members do on product after product: full weight). Tables made before
# the figure existed: full weight.
_REPEATED_RARE = ((pl.col("mean_rare_targets").fill_null(3.0).fill_nan(3.0) - 1) / 2).clip(0, 1)

# A home is no pool: a family of up to eight behind one street address (four fifths of them or
# more), with at least as many devices as members (each their own, beside the shared speaker or
# tablet) and no phone shared, shares the plan's card because it is one household. Families
# that set up a plan together (a streaming marketplace's family plans: 5-7 accounts made within
# a week on one card) were scored as a batch on a card pool without labels, a fifth of its top
# K. An operator's pool shares devices or phones (accounts per value above one). An address,
# not an IP: a ring of a few on one proxy IP, each on an emulator of its own, is no family
# (with a home IP as well, the twelfth marketplace gained one place more, and rings working
# through residential proxies would lose their pool). Tables without the figures: no home.
_HOME_SIZE = 8
_ONE_HOME = pl.col("max_accounts_per_address").fill_null(0) >= 0.8 * _SIZE
_HOUSEHOLD = _staged("_household", (_ONE_HOME & (_SIZE <= _HOME_SIZE) & (pl.col("device_values") >= _SIZE)
                                    & (pl.col("accounts_per_phone") <= 1.1)).fill_null(False).cast(pl.Float64))
# Few devices / cards / phones for many accounts: an operator's pool. Accounts per distinct
# value, not the largest sharing: an agency's creators share a staff phone but each also has
# their own, so the ratio stays near 1, while a ring of 20 on 3 devices is near 7. Not a home's.
_DEVICE_REUSE = _staged("_device_reuse",
                        ((pl.max_horizontal("accounts_per_device", "accounts_per_payment", "accounts_per_phone") - 1)
                         / 3).clip(0, 1) * (1 - _HOUSEHOLD))
# Bound by lockstep, and by rare co-action: full weight from half of the link evidence (or of
# the member links, for lockstep).
_LOCKSTEP_BOUND = _staged("_lockstep_bound",
                          (pl.max_horizontal("evidence_lockstep", "lockstep_edge_share") * 2).clip(0, 1))
_RARE_BOUND = _staged("_rare_bound", (pl.col("evidence_rare_coaction") * 2).clip(0, 1))
_LOCKSTEP = _staged("_lockstep", _LOCKSTEP_BOUND * _DELIVERED * _BACKED)
# Judged by delivery, unless the members also share a pool (_POOL_BACKED): meeting again and
# again on rare targets through a pool of proxies is a crew at any pace, and farms that spread
# each job over hours (as an audience's reactions spread) were scored as audiences without it
# (two farms of 40-45 on the eighth marketplace at 0.29-0.44, a referral farm of 59 on the
# seventh at 0.18). An audience reacts from its members' own homes and phones, and a campus
# from behind one NAT IP: neither is a pool.
_RARE_COACTION = _staged("_rare_coaction", _RARE_BOUND * _REPEATED_RARE * pl.max_horizontal(_DELIVERED, _POOL_BACKED))
# Meeting again and again on rare targets shows a group, not yet what it is for. A ring shows
# its purpose in what it does there: it rates the targets at the ends of the scale, or leans on
# actions ordinary accounts seldom use (a review ring's reviews and bookings, a scam ring's
# disputes; features/action_mix.py). Doing things together is no purpose by itself: deal
# hunters, a book club, friends on a trip who book, view and rate the same places keep meeting
# on rare targets and spend much of their activity on shared targets, as rings do (the share
# of the members' actions on targets several members act on: 0.23-0.47 for a tenth
# marketplace's group trips, 0.09-0.42 for its rings), but act as any user does. Without either
# sign rare co-action weighs two fifths (0.4) of its full weight: deal-hunter groups of 10-14 on
# the eighth marketplace stood at 0.67-0.81 and group trips of 5-20 on the tenth at 0.70-0.90,
# taking two and a dozen top places without labels, while the review rings, fake hosts and
# worker farms there lean on unusual actions by 0.8-2.1 bits. Tables without either figure:
# nothing to judge by, full weight.
# The two signs, as the indicators "unusual_actions" and "extreme_ratings" read them (below).
_UNUSUAL_ACTIONS = ((pl.col("action_mix") - 0.25) / 0.75).clip(0, 1)
# Ratings at the ends of the scale show a purpose when the members give them together: judged
# by the targets two or more members rated (features/clusters.py CO_RATED), full weight from
# three (a ring rates client after client), none without one. A circle of friends each rate a
# place of their trip on their own: the tenth marketplace's group trips, 0-1 such targets,
# stood at 0.68-0.86 without labels on their members' fives alone, five of its top 29; the
# review rings of seven marketplaces rate 2-83 targets together (a bar of two kept three of
# the trips in the top 29). Tables made before the figure existed: full weight.
_TOGETHER = (pl.col("co_rated_targets").fill_null(3.0).fill_nan(3.0) / 3).clip(0, 1)
_EXTREME_RATINGS = pl.col("rated_member_share") * (pl.col("extreme_rating_lift") / 0.5).clip(0, 1) * _TOGETHER
_RING_PURPOSE = _staged("_ring_purpose",
                        pl.when(pl.col("action_mix").is_null() & pl.col("extreme_rating_lift").is_null())
                        .then(1.0)
                        .otherwise(pl.max_horizontal(term.fill_null(0.0).fill_nan(0.0)
                                                     for term in (_UNUSUAL_ACTIONS, _EXTREME_RATINGS))))
_GROUP_ACTION = _staged("_group_action", _GROUP_COACTION * _DELIVERED * _BACKED)
# What an operator made a batch of accounts for: to run them from a pool of devices or cards,
# or to act with them on the same targets (any pace) — the purpose shows. A family or flatmates
# who sign up together on the shared tablet each keep their own phone and their own interests:
# a tenth of a group's actions on targets several members touch is what any circle of friends
# shares (no weight), two fifths or more is a shared agenda (full weight). A batch that has not
# acted yet (sleeper accounts, or a table without events) shows no agenda either way, and a
# table without the figures has nothing to judge by: full weight for both.
_HAS_ACTED = pl.col("active_share").fill_null(0.0) > 0
_SHARED_AGENDA = _staged("_shared_agenda", ((pl.col("co_target_share") - 0.1) / 0.3).clip(0, 1))
_AGENDA = _staged("_agenda", pl.when(_HAS_ACTED).then(_SHARED_AGENDA).otherwise(1.0).fill_null(1.0).fill_nan(1.0))
_ACTS = _staged("_acts", pl.max_horizontal(_AGENDA, _LOCKSTEP, _RARE_COACTION, _GROUP_ACTION).fill_null(1.0))
# A pool put to a shared agenda: few devices, cards or phones for many accounts (_DEVICE_REUSE)
# whose members spend much of their activity on the same targets (_AGENDA). A family on one
# tablet keeps its own interests (a tenth of its actions on shared targets: no agenda); one
# person's sockpuppets vote and reply in the same threads (a forum marketplace's: 0.25-0.4 of
# their actions, 10-18 accounts on 1-4 devices, made over three years). Here an agenda must
# show: accounts that have not acted (or a table without the figures) keep their slow growth.
_OPERATED = _staged("_operated", (_DEVICE_REUSE * pl.when(_HAS_ACTED).then(_SHARED_AGENDA).otherwise(0.0))
                    .fill_null(0.0).fill_nan(0.0))
_PURPOSE = pl.max_horizontal(_DEVICE_REUSE, _ACTS)
# A batch with no such purpose is still unusual, but weighs under a third (0.3) of one with it:
# on every marketplace we tried, the burst-created clusters without one were households.
_BATCH_WEIGHT = _staged("_batch_weight", 0.3 + 0.7 * _PURPOSE)
# Acting together now, as a crew: lockstep or group bursts, delivered in minutes and backed by
# shared infrastructure or meetings again and again (as above), or meeting again and again on
# rare targets over days and never as a group in the same minutes (a ring's reviews; an
# audience also gathers in minutes on its creator's posts), or rating a target down together
# against its other raters (link/rating_bursts.py). Old accounts do this as readily
# as new ones: a hijacked account and a bought aged one are old by construction.
# Bound by rating targets down together against their other raters (link/rating_bursts.py):
# full weight from half of the link evidence.
_RATING_BURST = (pl.col("evidence_rating_burst") * 2).clip(0, 1)
_ACTED = _staged("_acted", pl.max_horizontal(_LOCKSTEP, _GROUP_ACTION,
                                             _RARE_COACTION * (pl.col("coaction_targets").fill_null(0) == 0),
                                             _RATING_BURST).fill_null(0.0))

# Most of the cluster created within one week, and at least a handful of accounts: a batch.
# (Two family members joining the same week is not.)
_BATCH = _staged("_batch",
                 (pl.col("created_within_7d_share") * ((pl.col("created_within_7d") - 2) / 3).clip(0, 1)).clip(0, 1))
# The other way round: a pool of devices or cards serves an operator's purpose, a batch of
# accounts made together or acting together. Accounts that share a tablet or a card but were
# made over months and keep their own interests are what a family looks like: their sharing
# weighs under half (0.4) of a pool put to use.
# A pool that reached old accounts in a takeover wave serves an operator as well.
_POOL_WEIGHT = _staged("_pool_weight", 0.4 + 0.6 * pl.max_horizontal(_ACTS, _BATCH.fill_null(0.0), _TAKEN_OVER))

# Members who act as differently from one another as the platform's accounts do
# (features/clusters.py TARGET_SPREAD: the spread of the distinct targets of the members who
# acted, four or more, against the platform's): people who share an office, a company card, a
# kiosk or a home, each at their own pace. None up to three tenths of the platform's spread,
# full weight from seven tenths. On the top clusters of 20 no-label runs (twenty marketplaces
# built five ways) the benign ones sat at a median of 0.70 (a tenth under 0.32, a tenth over
# 1.13), the planted groups at 0.47 (0.20-0.90 from the tenth to the ninetieth percentile): a
# weak sign alone. So it is scaled down by any co-action evidence (_COACTS: lockstep, group
# bursts, rare co-action or rating bursts, however delivered; none at all: full weight), by a
# pool put to a shared agenda (_OPERATED) and by a takeover (_TAKEN_OVER). A farm that rotates
# its workers over its jobs and mixes in organic activity makes their numbers of targets vary
# (0.47-0.72 on three marketplaces), and swipe bots banned or made at different times vary as
# much as people (a dating marketplace's farms, 1.5-2.2): their co-action and their pools say
# what they are. Takeover victims' activity is still their owners'.
_COACTS = _staged("_coacts", pl.max_horizontal(_LOCKSTEP_BOUND, _GROUP_COACTION, _RARE_BOUND, _RATING_BURST))
_VARIED = _staged("_varied", (((pl.col("members_target_spread") - 0.3) / 0.4).clip(0, 1).fill_null(0.0).fill_nan(0.0)
                              * (1 - pl.max_horizontal(_COACTS, _OPERATED, _TAKEN_OVER).fill_null(0.0).fill_nan(0.0))))

# name: (expression in [0, 1], weight)
INDICATORS: dict[str, tuple[pl.Expr, float]] = {
    "device_reuse": (_DEVICE_REUSE * _POOL_WEIGHT, 2.5),
    # One value on ten accounts is unusual even when each account has others too — weighed,
    # like a pool, by what it serves: an agency's or a shop's staff phone on dozens of
    # creators who were made over months and keep their own interests is equipment.
    "shared_identity": (
        ((pl.max_horizontal("max_accounts_per_device", "max_accounts_per_payment",
                            "max_accounts_per_phone") - 2) / 8).clip(0, 1) * _POOL_WEIGHT, 1.0),
    # A batch (_BATCH) and young accounts, both weighed by what the batch was for (_BATCH_WEIGHT).
    "creation_burst": (_BATCH * _BATCH_WEIGHT, 2.5),
    "young_accounts": (pl.col("young_180d_share").clip(0, 1) * _BATCH_WEIGHT, 1.0),
    # Lockstep co-action: members acting on the same targets within seconds. The share of
    # member links that carry it, not its share of the link weight: a farm whose workers also
    # share proxy IPs has more evidence, and must not look less coordinated for it.
    "lockstep": (_LOCKSTEP, 2.5),
    # Converging on the same targets, at any pace (a ring's products, a farm's clients).
    "co_targeting": ((pl.col("co_target_share") * 2).clip(0, 1), 1.5),
    # Rare co-action: members who kept meeting on targets few others touched, within days (a
    # group that passed the test of link/rare_coaction.py; chance meetings never form one),
    # weighted by how often its linked pairs met (_REPEATED_RARE; group-spam detection asks the
    # same: a group that reviewed several products together). Pairs meeting on three or more
    # rare targets within days are strong evidence, stronger than a creation burst. Judged by
    # delivery like co-action: a creator's audience meets on its small posts again and again
    # too, but keeps arriving for hours after the group's bursts (a ring has no such bursts:
    # full weight).
    "rare_coaction": (_RARE_COACTION * (0.4 + 0.6 * _RING_PURPOSE), 3.5),
    # ... the more so when the members' ratings sit at the ends of the scale, as review rings'
    # do (features/clusters.py RATING_LIFT; group-spam research reads it as the ring's purpose).
    # Full weight when every member rates and stands at least halfway from the platform's
    # typical rater to all-extreme (rings on six marketplaces: 0.56-1.0; benign groups about
    # 0). It corroborates rare co-action and is no reason alone (a fan club rates its creator
    # five stars too, so it is judged by delivery the same way), and a ring whose ratings
    # look ordinary loses nothing by it: a camouflaged ring gives fours and fives.
    "extreme_ratings": (_RARE_BOUND * _DELIVERED * _EXTREME_RATINGS, 1.0),
    # Rating one target at the low end of the scale, three or more together within a week,
    # against what its other raters gave it (link/rating_bursts.py): a ring's attack on a
    # competitor. Its purpose shows in the act, so it weighs as rare co-action with
    # its purpose shown (_RATING_BURST).
    "rating_burst": (_RATING_BURST, 3.5),
    # Acting as a group: targets hit by three or more members in one burst. A few happen to any
    # large group of users; a farm's jobs give dozens.
    "group_coaction": (_GROUP_ACTION, 2.5),
    # Co-action by accounts that also share network infrastructure: a crew working through
    # one proxy pool or one office. An audience reacts from its members' own homes and phones.
    "coaction_on_shared_ips": (_GROUP_COACTION * _DELIVERED * (1 - _SETTLED)
                               * ((pl.col("evidence_ip") + pl.col("evidence_address")) * 4).clip(0, 1), 1.0),
    # Old accounts that took one operator's new device, card or phone in one sweep: logins
    # stolen or bought, worked from a few devices. A little stronger than lockstep: a household
    # or an agency rarely gets one new identifier on five or more of its long-standing accounts
    # in a week, and at eight never in the marketplaces we measured (features/takeover.py).
    "takeover_wave": (_TAKEN_OVER, 3.0),
    # What the members spend their activity on (features/action_mix.py): leaning together,
    # beyond chance, on actions ordinary accounts of their type seldom use — a refund ring's
    # refund requests, a takeover crew's password changes and gift cards, a review ring's
    # reviews. Tastes that differ at random cancel out in a group's mean; an agenda does not.
    # None up to a quarter of a bit of surplus (what a household's or an office's shared
    # habits give), full weight from one bit (a third of the members' activity on an action a
    # tenth of an ordinary account's goes to). Measured on eight
    # independently built marketplaces: AUROC 0.90-0.98 against planted syndicates; a fan
    # club leaning on its creator's likes and comments also shows it (about one bit), which
    # is why it is one indicator among others and not a reason alone.
    "unusual_actions": (_UNUSUAL_ACTIONS, 2.5),
    # Members without a device or phone of their own (features/identity.py own_device_share:
    # of the members seen on any, the share seen on one no other account holds): an operator
    # runs its accounts from its pool, while an organisation's staff, a family or a cohort keep
    # their own phones beside what they share. Measured on the top 2K clusters of 18 no-label
    # runs (18 marketplaces built four ways): AUROC 0.50-0.96 for bad against benign, never
    # inverted. Offline, this scorecard with the term at weights 1, 2, 3, 4: +2, +6, +5, +1
    # top-K places (from 3 a weight costs the nineteenth's and seventeenth's places); 2.
    "no_own_device": ((1 - pl.col("own_device_share")), 2.0),
    # Size helps only a little: agencies and offices are large too.
    "size": (((_SIZE.log(2) - 1) / 5).clip(0, 1), 0.5),
    # Members who act about as unequally as the platform's accounts, bound by what they share
    # (_VARIED): independent people, not an operator's accounts run alike. Measured offline on
    # the top clusters of the 21 no-label runs (twenty marketplaces and the ninth's Amazon
    # flavour, 20k accounts) with weights 1, 1.5, 2: net +5, +7, +7 top-K places (the
    # nineteenth's employers' benefit programmes +3 to +4; the eighth -1 to -2); 1.5.
    "varied_members": (_VARIED, -1.5),
    # Long-lived, slowly grown groups are what benign sharing looks like: judged on the span
    # over which the middle 80% of the members were created (a household's or agency's
    # members join over years; a ring that met one old account still grew in weeks).
    # Slow growth clears a cluster of being a batch, not of what its members do together: it
    # counts only as far as they do not act together (_ACTED), were not taken over (the
    # victims of a takeover are old by construction) and do not run a pool of devices, cards
    # or phones for a shared agenda (_OPERATED): one person's sockpuppets, made one by one over
    # years on the same few devices, upvoting and replying in the same threads.
    "slow_growth": (_SLOW_GROWTH
                    * (1 - pl.max_horizontal(_ACTED, _TAKEN_OVER, _OPERATED)), -2.0),
    # Links only through places, IPs and street addresses (link/rare_coaction.py
    # PLACE_FAMILIES): shared infrastructure rather than shared control (a household on its
    # home IP and address, a campus or a dorm behind one NAT and one building, an office) —
    # unless the members also act as a group, which a place alone never makes them do. IPs
    # count from half of the evidence (NATs and proxies join strangers); IPs and addresses
    # together from four fifths (an address is a household's own: a family's tablet or card
    # beside its home is a fifth of the evidence, and a pool of three devices for six accounts
    # at one address stays an operator's). IPs alone kept the seventh marketplace's dorms,
    # bound 0.95 by their NAT IP and building address (0.2-0.3 of it the IP), at 0.58-0.70 and
    # 4 of its top 32 without labels (seed 1); with both, at 0.20-0.41 (one at rank 27).
    "places_only": (pl.max_horizontal(((pl.col("evidence_ip") - 0.5) * 2).clip(0, 1),
                                      ((pl.col("evidence_ip") + pl.col("evidence_address") - 0.8) / 0.2).clip(0, 1))
                    * (1 - _GROUP_COACTION * _DELIVERED), -1.5),
}
BIAS = -3.0


def scorecard(features: pl.DataFrame) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Score each cluster; returns (scores, indicator names, per-indicator contributions)."""
    names = list(INDICATORS)
    # Columns that cluster tables made without bursts, without identifiers or by earlier
    # versions lack: no evidence of that kind (0), or nothing to judge by (null).
    if "takeover_wave_strength" not in features.columns and "takeover_wave_max" in features.columns:
        # Tables made before strangers' waves were read: a wave's strength by its size alone.
        features = features.with_columns(strength_of(features.columns, "takeover_wave_strength", "takeover_wave_max")
                                         .alias("takeover_wave_strength"))
    if "created_core_span_days" not in features.columns and "created_span_days" in features.columns:
        features = features.with_columns(pl.col("created_span_days").alias("created_core_span_days"))
    defaults = {"coaction_targets": 0.0, "evidence_rare_coaction": 0.0, "evidence_address": 0.0,
                "evidence_given": 0.0, "evidence_rating_burst": 0.0, "takeover_wave_share": 0.0,
                "takeover_wave_max": 0.0, "takeover_wave_strength": 0.0,
                "mean_shared_bursts": None, "no_signal_share": None, "n_edges": None, "mean_edge_weight": None,
                "mean_rare_targets": None, "active_share": None, "lockstep_edge_share": None,
                "group_burst_share": None, "rated_member_share": None, "extreme_rating_lift": None,
                "co_rated_targets": None, "max_accounts_per_ip": None, "max_accounts_per_address": None,
                "max_accounts_per_email": None, "action_mix": None, "device_values": None, "phone_values": None,
                "own_device_share": None, "members_target_spread": None}
    features = features.with_columns(pl.lit(value, dtype=pl.Float64).alias(name)
                                     for name, value in defaults.items() if name not in features.columns)
    # Float first: count features are unsigned, and "max_accounts_per_device - 2" on a UInt32
    # of 0 or 1 would wrap around to 4 billion instead of going negative.
    features = features.with_columns(
        [pl.col(c).cast(pl.Float64) for c, d in features.schema.items() if d.is_numeric()])
    for name, expr in _STAGES.items():  # in order: later measures read earlier ones
        features = features.with_columns(expr.alias(name))
    terms = features.select(
        [(expr.fill_null(0).fill_nan(0) * weight).alias(name) for name, (expr, weight) in INDICATORS.items()]
    ).to_numpy()
    return logistic_of_terms(terms, BIAS), names, terms


def logit(p: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), ``p`` clipped away from 0 and 1: a score back on the scorecards' scale."""
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def logistic_of_terms(terms: np.ndarray, bias: float) -> np.ndarray:
    """A scorecard's score of each row of ``terms`` (indicator contributions on the logit
    scale): the logistic of ``bias`` plus the row's sum, added column by column so that each
    row's sum is taken in the same order whatever the number of rows (numpy's row sums take
    other paths for other shapes, and a cluster's or an account's score must not depend on
    which others are scored with it). Both scorecards (this one, ``account_scorecard``)."""
    logit = np.full(terms.shape[0], bias)
    for column in terms.T:
        logit += column
    return 1.0 / (1.0 + np.exp(-logit))

"""Archetypes: what kind of group a cluster looks like, from the evidence that binds it.

Risky clusters (score >= 0.5) are named by what binds them: old accounts that took one new
device, card or phone in one sweep -> ``account_takeover``; identity (one operator's devices
and cards) -> ``matrix_accounts``; behaviour (lockstep on others' targets) ->
``engagement_farm``; both -> ``mixed``. Low-risk clusters are named by the benign pattern they
match: a few accounts created far apart -> ``household``; many long-lived accounts sharing
staff phones or devices -> ``agency``; links mostly through IPs and addresses ->
``shared_infrastructure`` (a risky cluster bound by places alone is named so too: the name says
what binds it, the score how risky it is); acting together on many targets, but with reactions that keep
coming long after the first minutes (fans, a stream's viewers) -> ``audience``;
anything else -> ``low_risk``.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from syndicate.features.takeover import strength_of, wave_strength
from syndicate.risk.reasons import TAKEN_OVER, creation_span_known, kind_label, place_kinds, plural, pct, string_lists

ARCHETYPES = ("matrix_accounts", "engagement_farm", "review_ring", "coordinated_ring", "mixed", "account_takeover",
              "household", "agency", "shared_infrastructure", "audience", "low_risk")

# A quarter of the members or more taken in one takeover wave (features/takeover.py) names the
# cluster: the victims keep their households, so a ring is rarely more than half of its cluster.
_TAKEOVER_SHARE = 0.25

# A ring bound by rare co-action is a review ring when at least this share of its members gave
# ratings: reviewing is a review ring's job (on nine rated marketplaces 404 of the 429 bad
# clusters so named had half or more of their members rating; the 25 others, farms and bots
# that rated nothing or a few, were no review rings), a club's or a group-buying circle's
# members rate now and then or not at all.
_RATED_RING = 0.5

# An audience: at least this many targets hit by several members in one burst (what makes it
# look like a crew at all; the scorecard judges delivery fully from as many) ...
AUDIENCE_MIN_TARGETS = 5
# ... while fewer than this share of the members who acted on those targets came in the
# burst: a job is delivered in minutes and over (nearly all of it), an audience's reactions
# spread over the hours after a notification.
_AUDIENCE_MAX_BURST_SHARE = 0.8

_IDENTITY = ("evidence_device", "evidence_payment", "evidence_phone", "evidence_email",
             "evidence_address", "evidence_other", "evidence_given")


# Every column `archetype_reason` reads.
_REASON_COLUMNS = ("archetype", "size", "found_by", "evidence_device", "evidence_payment", "evidence_phone",
                   "evidence_email", "evidence_rare_coaction", "evidence_rating_burst", "evidence_lockstep", "evidence_other", "evidence_given", "mean_rare_targets", "n_edges", "lockstep_edge_share", "mean_shared_bursts", "co_target_share",
                   "members_rapid_gap_share", "evidence_ip", "evidence_address", "created_span_days", "created_within_7d", "young_180d_share",
                   "coaction_targets", "slow_coaction_targets", "group_burst_share", "takeover_wave_share",
                   *(f"{p}{k}{q}" for k in ("device", "payment", "phone", "address", "ip", "email")
                     for p, q in (("max_accounts_per_", ""), ("accounts_per_", ""), ("", "_values"))))


def archetype_expr(risky_at: float = 0.5, *, lockstep_seen: bool = True) -> pl.Expr:
    """The archetype of each cluster row. ``lockstep_seen`` False: the events' clock is coarser
    than the lockstep window (dates only, as public review data are), so "lockstep" links are
    the same day's co-action and do not tell a farm's workers, who meet in the same minutes,
    from a ring's members, who meet in the same days: the rings stay rings."""
    identity = pl.sum_horizontal([pl.col(c) for c in _IDENTITY])
    # One operator's pool is devices, cards, phones, e-mails (and kinds we cannot name, and the
    # links table's "same person" links), not a building: a dorm of 57 students on two address
    # values is shared infrastructure (the seventh marketplace's dorms were called matrix
    # accounts, "57 accounts on 2 addresses").
    pool = identity - pl.col("evidence_address")
    by_behaviour = pl.col("found_by").fill_null("").str.contains("coaction|hdbscan")
    # Found by the slow co-action pass (cluster.reconcile.add_slow_groups), its group bursts
    # counted on that pass's buckets (pipeline.features, null for other clusters): bound by
    # acting together within the hour, whatever identifiers its members also share; its 120-s
    # links say little of it.
    slow = pl.col("slow_coaction_targets").fill_null(0) >= AUDIENCE_MIN_TARGETS
    behaviour = pl.col("evidence_lockstep") + pl.col("co_target_share") * 0.25
    risky = pl.col("risk_score") >= risky_at
    infrastructure = pl.col("evidence_ip") + pl.col("evidence_address")
    ring = pl.col("evidence_rare_coaction") + pl.col("evidence_rating_burst")
    # A ring's members review: half of them or more gave ratings, or it rated targets down together.
    reviews = ((pl.col("rated_member_share").fill_null(0.0) >= _RATED_RING)
               | (pl.col("evidence_rating_burst").fill_null(0.0) >= 0.05))
    # Not in the same minutes: fewer than a fifth of the links lockstep (where the clock shows it).
    apart = (pl.col("lockstep_edge_share").fill_null(0.0) < 0.2) if lockstep_seen else pl.lit(True)
    taken_over = pl.col("takeover_wave_share").fill_null(0.0) >= _TAKEOVER_SHARE
    # Taken in a wave beyond any household's: of strangers (stronger than the wave's size alone
    # makes it, features/takeover.py) or of eight or more. A household shared its home before
    # any new tablet, and no family's tablet reaches eight: they are none.
    by_size = wave_strength(pl.col("takeover_wave_max"))
    strangers = taken_over & ((pl.col("takeover_wave_strength").fill_null(0.0) > by_size) | (by_size >= 1.0))
    return (
        pl.when(risky & taken_over).then(pl.lit("account_takeover"))
        .when(risky & ((behaviour >= 0.25) | slow) & (pool >= 0.25)).then(pl.lit("mixed"))
        .when(risky & ((pl.col("evidence_lockstep") >= 0.5) | slow)).then(pl.lit("engagement_farm"))
        # Bound by meeting on rare targets within days, not seconds: a review ring. A farm's
        # workers meet on rare targets too, but also in the same minutes (a fifth or more of
        # their links are lockstep): they stay a farm below.
        # Only a ring whose members rate is a review ring: a circle that met on group-buy deals,
        # a club's events or an airdrop's tasks gave no ratings (or the data has none), and is
        # named by what binds it, a ring acting together, not by reviews it never wrote.
        # The two together count, neither alone half of the evidence (a ring that met on rare
        # products and rated them down together: 49.6% each, named an engagement farm before).
        .when(risky & (ring >= 0.5) & apart)
        .then(pl.when(reviews).then(pl.lit("review_ring")).otherwise(pl.lit("coordinated_ring")))
        # Bound by rating one target down against its other raters in one burst: a ring's
        # attack campaign (link/rating_bursts.py), at any pace.
        .when(risky & (pl.col("evidence_rating_burst") >= 0.5)).then(pl.lit("review_ring"))
        .when(risky & (pool >= 0.25)).then(pl.lit("matrix_accounts"))
        # Risky, gathered by co-action or behaviour clustering, or bound by rare co-action with
        # a fifth or more of its links lockstep (workers who also meet in the same minutes): a
        # farm. (A trace of lockstep is no farm: a dorm of 67 students whose linked pairs met in
        # two bursts, 0.1% of its link evidence, was called one, "0% of member links are lockstep".)
        .when(risky & (by_behaviour | (pl.col("evidence_lockstep") >= 0.1) | (ring >= 0.5)))
        .then(pl.lit("engagement_farm"))
        # Risky but bound only by IPs / addresses: name the evidence, not a farm.
        .when(risky & (infrastructure > 0)).then(pl.lit("shared_infrastructure"))
        .when(risky).then(pl.lit("engagement_farm"))
        # Not risky, but found by acting together within the hour: named by that (an audience's
        # reading of its 120-s bursts would contradict how it was found).
        .when(slow).then(pl.lit("low_risk"))
        .when(infrastructure >= 0.5).then(pl.lit("shared_infrastructure"))
        .when((pl.col("coaction_targets") >= AUDIENCE_MIN_TARGETS)
              & (pl.col("group_burst_share") < _AUDIENCE_MAX_BURST_SHARE)).then(pl.lit("audience"))
        # A household shares a home's identifiers: a few accounts met only on rare targets or in
        # bursts are not one, whatever their creation dates (they stay low_risk, named by that).
        .when((pl.col("size") <= 6) & (pl.col("created_within_7d") <= 2) & ~strangers
              & (identity + pl.col("evidence_ip") >= 0.5)).then(pl.lit("household"))
        # Staff identifiers: a few values shared by many members who mostly hold their own
        # (accounts per value near 1); several accounts on every card or phone is a pool.
        .when((pl.col("size") > 6) & (pl.col("young_180d_share").fill_null(0.0) < 0.5) & (identity >= 0.5) & ~taken_over
              & (pl.max_horizontal(*(pl.col(f"accounts_per_{k}").fill_null(0) for k in ("device", "payment", "phone")))
                 < _POOL_RATIO)).then(pl.lit("agency"))
        .otherwise(pl.lit("low_risk"))
        .alias("archetype")
    )


def _bound_kind(row: dict, *, pool_only: bool = False) -> str | None:
    """The identifier kind that binds the cluster most: personal identifiers (device, card,
    phone) first, by the share of the link evidence they carry (then accounts per value: tables
    without the shares); addresses, IPs and e-mails only when none of those is
    shared; None when no kind the features count is shared by two members (the signals use
    kind names that stand for none of them, "loyalty_id", or the links come from the links
    table; "device_fp" or "msisdn" count as device and phone, features/identity.py).
    ``pool_only``: devices, cards, phones and e-mails only (what an operator's pool is made of;
    an address or an IP is a place)."""
    def shared(kinds: tuple[str, ...]) -> list[str]:
        return [k for k in kinds if float(row.get(f"max_accounts_per_{k}") or 0) >= 2]

    pool = shared(("device", "payment", "phone")) or shared(("email",) if pool_only else ("address", "ip", "email"))
    if not pool:
        return None
    # By evidence first: a net café's 103 patrons on 16-account PCs, each also on a phone of
    # their own (1.0 accounts per phone, 0.7 per device), were "2 of 103 accounts share one
    # phone" by accounts per value, while the PCs carried 58% of the link evidence.
    return max(pool, key=lambda k: (float(row.get(f"evidence_{k}") or 0), float(row.get(f"accounts_per_{k}") or 0),
                                    float(row.get(f"max_accounts_per_{k}") or 0)))


def _unnamed_binding(row: dict) -> str:
    """What binds a cluster whose shared identifiers are of no kind the features count."""
    other, given = float(row.get("evidence_other") or 0), float(row.get("evidence_given") or 0)
    if other >= given and other > 0:
        return f"{pct(other)} of link evidence is identifiers of other kinds shared between members"
    if given > 0:
        return f"{pct(given)} of link evidence is links from the links table"
    return "identifiers shared between members"


# Accounts per value below which the members mostly hold their own identifiers and only a few
# values are shared (a staff phone, an office laptop): "47 accounts on 42 phones" would read as
# a pool, so the sentence names the largest sharing instead.
_POOL_RATIO = 1.5


def _identity_summary(row: dict, *, pool_only: bool = False) -> str:
    kind = _bound_kind(row, pool_only=pool_only)
    # Kinds the features do not count (evidence_other) or the links table binding more than the
    # kind named: "4 of 170 accounts share one device" named 7% of the evidence beside 34%.
    unnamed = max(float(row.get("evidence_other") or 0), float(row.get("evidence_given") or 0))
    if kind is None or unnamed > float(row.get(f"evidence_{kind}") or 0):
        return _unnamed_binding(row)
    label = kind_label(kind)
    values = int(row.get(f"{kind}_values") or 0)
    ratio = float(row.get(f"accounts_per_{kind}") or 0)
    if ratio < _POOL_RATIO and int(row.get(f"max_accounts_per_{kind}") or 0) >= 2:
        top = int(row[f"max_accounts_per_{kind}"])
        return f"{top} of {int(row['size'])} accounts share one {label}"
    holders = round(ratio * values)
    return f"{holders} accounts on {values} {plural(label, values)}"


def archetype_reason(row: dict) -> str:
    """One sentence with the evidence for the cluster's archetype."""
    archetype = row["archetype"]
    # Unknown when every member's creation time is a stamp (syndicate.asof): said so.
    known = creation_span_known(row)
    span = float(row.get("created_span_days") or 0)
    # mean_shared_bursts is over the co-acting pairs only (features/clusters.py): "0% of member
    # links are lockstep co-action (2 shared bursts per linked pair)" read as a contradiction.
    lockstep = (f"{pct(row.get('lockstep_edge_share'))} of member links are lockstep co-action "
                f"({float(row.get('mean_shared_bursts') or 0):.0f} shared bursts per co-acting pair)")
    # Under this share of lockstep links the sentence names the behaviour evidence there is
    # instead: "engagement farm: 1% of member links are lockstep" reads as evidence against.
    few_lockstep = float(row.get("lockstep_edge_share") or 0) < 0.05
    co_targets = (f"{pct(row.get('co_target_share'))} of members' actions on targets many members act on")
    slow = _slow_together(row)
    if archetype == "engagement_farm" and slow:
        return f"engagement farm: found by acting together as a group at a slower pace; {slow}"
    if archetype == "engagement_farm":
        # The group test's count, where it passed (cluster/coaction.py): what a farm's jobs leave
        # when few of its pairs co-act twice ("19% of member links are lockstep" said nothing of
        # the 42 targets a farm's workers hit together).
        n_group = int(row.get("coaction_targets") or 0)
        together = (f"; several members hit {n_group} targets together in bursts"
                    if n_group >= AUDIENCE_MIN_TARGETS else "")
        if few_lockstep and float(row.get("evidence_lockstep") or 0) >= 0.1:
            return f"engagement farm: {pct(row.get('evidence_lockstep'))} of link evidence is lockstep co-action{together}"
        if few_lockstep:
            how = {"hdbscan": "behaviour clustering (HDBSCAN)", "coaction": "acting together as a group",
                   "slow_coaction": "acting together as a group at a slower pace"}
            found = (row.get("found_by") or "hdbscan").split("+")
            words = " and ".join(how[f] for f in found if f in how) or "behaviour"
            # Say what the members have in common; a near-zero share would read as evidence against.
            if together:
                return f"engagement farm: found by {words}{together}"
            if float(row.get("co_target_share") or 0) >= 0.05:
                return f"engagement farm: found by {words}; {co_targets}"
            if float(row.get("members_rapid_gap_share") or 0) >= 0.05:
                return (f"engagement farm: found by {words}; {pct(row.get('members_rapid_gap_share'))} of "
                        "members' actions follow their previous one within a minute")
            return f"engagement farm: found by {words}"
        return f"engagement farm: {lockstep}{together}"
    rating_led = float(row.get("evidence_rating_burst") or 0) > float(row.get("evidence_rare_coaction") or 0)
    if archetype == "review_ring" and (float(row.get("evidence_rating_burst") or 0) >= 0.5 or rating_led):
        return (f"review ring: {int(row['size'])} accounts bound by rating targets at the low end of the scale "
                f"together within days, against what their other raters gave them ({int(row.get('n_edges') or 0)} "
                f"linked pairs; {pct(row.get('evidence_rating_burst'))} of link evidence)")
    if archetype in ("review_ring", "coordinated_ring"):
        name = archetype.replace("_", " ")
        rating = float(row.get("evidence_rating_burst") or 0)
        also = (f", and {pct(rating)} from rating targets down together against their other raters"
                if rating >= 0.05 else "")
        return (f"{name}: {int(row['size'])} accounts kept acting on the same rare targets within the "
                f"same days ({int(row.get('n_edges') or 0)} linked pairs{_rare_per_pair(row)}; "
                f"{pct(row.get('evidence_rare_coaction'))} of link evidence{also})")
    if archetype == "account_takeover":
        share = float(row.get("takeover_wave_share") or 0)
        created = f"created over {span:.0f} days" if known else "of unknown creation times"
        return (f"account takeover: {round(share * int(row['size']))} of {int(row['size'])} accounts, {created}, "
                f"{TAKEN_OVER} ({_identity_summary(row, pool_only=True)})")
    if archetype == "mixed":
        # Named by the behaviour term that carried its test (archetype_expr: lockstep evidence
        # plus a quarter of the co-target share).
        lockstep_led = float(row.get("evidence_lockstep") or 0) >= 0.25 * float(row.get("co_target_share") or 0)
        behaviour = (slow or (co_targets if not lockstep_led else lockstep if not few_lockstep
                              else f"{pct(row.get('evidence_lockstep'))} of link evidence is lockstep co-action"))
        return f"mixed: {behaviour}, and {_identity_summary(row, pool_only=True)}"
    if archetype == "matrix_accounts":
        return f"matrix accounts: {_identity_summary(row, pool_only=True)}"
    if archetype == "shared_infrastructure":
        share, what = place_kinds(row)  # only the kinds there are
        return f"shared infrastructure: {pct(share)} of link evidence is shared {what}"
    if archetype == "audience":
        n = int(row.get("coaction_targets") or 0)
        return (f"audience: {int(row['size'])} accounts acted together on {n} {plural('target', n)}, but only "
                f"{pct(row.get('group_burst_share'))} of the members who acted on them came in the same few "
                "minutes; the rest kept coming later, as an audience does")
    if archetype == "household":
        kind = _bound_kind(row)
        if kind is None:
            binding = f"; {_unnamed_binding(row)}"
        else:
            label = kind_label(kind)
            binding = f", sharing {'an' if label[0] in 'aeiouAEIOU' else 'a'} {label}"
        created = (f"created {span:.0f} days apart" if known else
                   "of unknown creation times" if row.get("created_span_days") is None else
                   "whose creation times are unknown but one")
        return f"household: {int(row['size'])} accounts {created}{binding}"
    if archetype == "agency":
        # Long-lived when few are young (the rule lets up to half be under 180 days old).
        young = float(row.get("young_180d_share") or 0)
        created = (f"{'long-lived ' if young < 0.25 else ''}accounts (created over {span:.0f} days)" if known
                   else "accounts")
        return (f"agency: {int(row['size'])} {created} sharing "
                f"a few staff identifiers ({_identity_summary(row)})")
    # Low risk: name what binds it, then say it is not enough.
    if slow:
        return f"low risk: {slow}, but too little else points to a farm"
    if float(row.get("evidence_rare_coaction") or 0) >= 0.5:
        return (f"low risk: {pct(row.get('evidence_rare_coaction'))} of link evidence is meeting on the same "
                f"rare targets within days{_rare_per_pair(row)}, but too little else points to a ring")
    if float(row.get("evidence_rating_burst") or 0) >= 0.5:
        return (f"low risk: {pct(row.get('evidence_rating_burst'))} of link evidence is rating targets down together "
                "within days against their other raters, but too little else points to a ring")
    if float(row.get("evidence_lockstep") or 0) >= 0.5:
        return f"low risk: {lockstep}, but too little else points to a farm"
    if any(float(row.get(f"max_accounts_per_{k}") or 0) >= 2 for k in ("device", "payment", "phone")):
        # Shared personal identifiers are a sign, just not enough of one: say it, do not deny it.
        return f"low risk: {_identity_summary(row)}, but too little else points to one operator"
    return "low risk: no strong sign of one operator or of coordinated behaviour"


def _slow_together(row: dict) -> str:
    """"several members hit 23 targets together within the same hour" for a cluster the slow
    co-action pass found (:func:`archetype_expr`), else empty."""
    n = int(row.get("slow_coaction_targets") or 0)
    if n < AUDIENCE_MIN_TARGETS:
        return ""
    return f"several members hit {n} targets together within the same {window_words(row.get('slow_window_seconds'))}"


def window_words(seconds: Any) -> str:
    """"hour", "30 minutes", "2 hours", "90 seconds": a window's width in words."""
    seconds = int(seconds or 3600)
    for unit, name in ((3600, "hour"), (60, "minute")):
        if seconds % unit == 0:
            n = seconds // unit
            return name if n == 1 else f"{n} {name}s"
    return f"{seconds} seconds"


def _rare_per_pair(row: dict) -> str:
    """", met on 2.3 rare targets per pair": how often the linked members met (empty for tables
    without the figure)."""
    met = row.get("mean_rare_targets")
    return f", met on {float(met):.1f} rare targets per pair" if met else ""


# What a sentence can be about; two sentences with the same leading figure about one of these
# say the same thing ("27 accounts on 1 payment instrument", "27.0 accounts per payment
# instrument on average").
_SUBJECTS = ("device", "payment instrument", "phone", "e-mail", "address", "IP", "rare target",
             "lockstep", "links table", "other raters", "accounts created", "many members act on")
# Subjects whose sentences say the same only when they lead with the same figure.
_FIRST_ONLY = ("accounts created",)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _figures(text: str) -> set[float]:
    return {float(n.replace(",", "")) for n in _NUMBER.findall(text)}


def restates(reason: str, headline: str) -> bool:
    """Whether ``reason``, about one of ``headline``'s subjects, leads with one of its figures
    or repeats them all.

    >>> restates("27.0 accounts per payment instrument on average", "matrix accounts: 27 accounts on 1 payment instrument")
    True
    >>> restates("10.0 accounts per device on average (2 devices for 20 accounts)", "matrix accounts: 20 accounts on 2 devices")
    True
    >>> restates("27 of 27 accounts created within 7 days", "matrix accounts: 27 accounts on 1 payment instrument")
    False
    """
    shared = [subject for subject in _SUBJECTS if subject in reason and subject in headline]
    if not shared:
        return False
    first = _NUMBER.search(reason)
    if first is not None and float(first.group().replace(",", "")) in _figures(headline):
        return True
    if all(subject in _FIRST_ONLY for subject in shared):
        return False  # "4 of 5 accounts created within 7 days" is no "5 accounts created 7 days apart"
    said = _figures(headline.split(":", 1)[-1])
    return bool(said) and said <= _figures(reason)


def assign_archetypes(clusters: pl.DataFrame, *, risky_at: float = 0.5, n_reasons: int | None = None,
                      lockstep_seen: bool = True, slow_window_s: int = 3600) -> pl.DataFrame:
    """Add an ``archetype`` column (needs features and ``risk_score``) and put the evidence
    for it first in ``reasons`` when that column exists. ``n_reasons``: how many of the given
    reasons to keep below it once those it already says are left out (all by default; a caller
    that computed a few spare reasons keeps the count it asked for). ``lockstep_seen``: as in
    :func:`archetype_expr`. ``slow_window_s``: the slow co-action pass's window
    (``[lockstep] slow_window_seconds``), as its clusters' sentences say it."""
    missing = [] if "found_by" in clusters.columns else [pl.lit("graph").alias("found_by")]
    clusters = clusters.with_columns(pl.lit(0.0).alias(c) for c in ("evidence_rare_coaction", "evidence_rating_burst")
                                     if c not in clusters.columns)
    if "coaction_targets" not in clusters.columns:
        clusters = clusters.with_columns(pl.lit(0, dtype=pl.UInt32).alias("coaction_targets"))
    if "slow_coaction_targets" not in clusters.columns:  # tables made before the slow pass
        clusters = clusters.with_columns(pl.lit(None, dtype=pl.UInt32).alias("slow_coaction_targets"))
    if "takeover_wave_share" not in clusters.columns:
        clusters = clusters.with_columns(pl.lit(0.0).alias("takeover_wave_share"))
    if "takeover_wave_max" not in clusters.columns:
        clusters = clusters.with_columns(pl.lit(0.0).alias("takeover_wave_max"))
    # Tables made before strangers' waves were read: a wave's strength by its size alone.
    clusters = clusters.with_columns(strength_of(clusters.columns, "takeover_wave_strength", "takeover_wave_max")
                                     .alias("takeover_wave_strength"))
    if "rated_member_share" not in clusters.columns:  # no ratings read: none given
        clusters = clusters.with_columns(pl.lit(None, dtype=pl.Float64).alias("rated_member_share"))
    if "group_burst_share" not in clusters.columns:
        clusters = clusters.with_columns(pl.lit(None, dtype=pl.Float64).alias("group_burst_share"))
    clusters = clusters.with_columns(pl.lit(0.0).alias(f"accounts_per_{k}") for k in ("device", "payment", "phone")
                                     if f"accounts_per_{k}" not in clusters.columns)
    out = clusters.with_columns(*missing).with_columns(archetype_expr(risky_at, lockstep_seen=lockstep_seen))
    if missing:
        out = out.drop("found_by")
    if "reasons" in out.columns:
        # Only the columns the sentences read: rows of every feature cost ~10x more to build.
        used = [c for c in _REASON_COLUMNS if c in out.columns]
        rows = out.select(used).with_columns(pl.lit(slow_window_s).alias("slow_window_seconds"))
        evidence = [archetype_reason(row) for row in rows.iter_rows(named=True)]
        # The archetype's sentence first; a reason it already says ("90% of member links are
        # lockstep co-action", or the same figure of the same thing in other words) is not
        # repeated below it.
        # A reason another one says whole ("... on 11 targets" beside "... on 11 targets, and
        # 92% of link evidence is shared IPs") goes too.
        reasons = [[sentence, *[r for r in rest if r not in sentence and not restates(r, sentence)
                                and not any(r != other and r in other for other in rest)][:n_reasons]]
                   for sentence, rest in zip(evidence, (r or [] for r in out["reasons"].to_list()))]
        out = out.with_columns(string_lists(reasons, "reasons"))  # not pl.Series: ~25 µs a list
    return out

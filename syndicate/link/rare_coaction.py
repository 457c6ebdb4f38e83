"""Rare co-action: groups that act on the same rare targets within the same days.

A review ring (a handful to a few dozen accounts, each writing a few reviews) puts several of
its members on each of its products within a few days — not seconds, so no lockstep bucket
holds them, and two members share only one to three products, so no pair stands out. What
gives the ring away is rarity: a product reviewed by five accounts in two days, four of them
the ring's, is a small *cell* (one target, one action, one day-scale window) where the ring
keeps meeting.

1. **Cells.** Events are cut into cells of (target, action, window of ``window_days``) in two
   phases half a window apart (an action's values are one action: "review_5" and "review_4"
   are "review", :func:`action_families`), so that two events less than half a window apart always share
   one. A cell counts when it holds 2 to ``max_cell_accounts`` accounts and is a *burst* of
   its target-action: at least ``min_burst`` times the accounts one window would hold if all
   the target-action's accounts of the data were spread evenly over the data's span (a ring's
   product gets its reviews in a campaign of days; an ordinary target collects its likes and
   reviews over its whole life, and its cells are no evidence). Each pair of a counted cell of
   ``n`` accounts gets ``1 / (n - 1)`` (an account's unit of evidence spread over its cell
   mates); a pair's weight sums its distinct (target, action) cells.
2. **Gather.** Seeded Leiden (constant Potts model) over that weighted graph, each account
   keeping its strongest links, at an absolute density ``resolution`` (the same bar at every
   scale: a bar relative to the graph's mean density falls as the graph grows and lets rings
   melt into their surroundings); members with fewer than two co-occurrences inside their
   community are peeled off (a 2-core).
3. **Test.** Leiden groups accounts that met once; a ring meets again and again. Two numbers
   per community C of s members: its co-occurrences K (pairs x shared target-actions), of
   which s - 1 connect it, leaving the *excess* ``K - s + 1`` (at least ``min_excess``: enough
   evidence to judge); and its *repeated meetings*, the cycle rank of the bipartite graph of
   members and the target-actions two or more of them met on (zero for one shared product,
   however many met there, or a chain of them; each further meeting of accounts already
   joined adds one). The repeated meetings must be at least one and ``min_lift`` times the
   co-occurrences the members' activity predicts: ``E = S2 / M**2 * sum_{a<b in C} d_a d_b``
   with ``d`` an account's cell memberships (two an event: one per phase, over all its
   events), ``M`` all memberships and ``S2 = sum n (n - 1)``
   over counted cells (two random memberships landing in one counted cell). Heavy users and
   a creator's fans meet often because of their activity; light accounts meeting on rare
   products again and again do not. A community that fails but has the excess to pass is
   first gathered again with each member weighted by its activity, so that a member stays
   only with those it meets far more than chance predicts (:func:`_regather`: the heavy
   viewers of a ring's products leave it), and its parts take the test; a part that still
   fails is trimmed of the members whose activity predicts its meetings best, and must then
   clear a bar that doubles per member gone (:func:`_trim`). With ``strong_links`` (identifier and
   lockstep links), a member bound to someone outside its group leaves it, and the members no
   strong link binds must pass the test by themselves (:func:`_unbound`). Groups that pass and
   keep meeting each other far beyond what their activity predicts are one ring that Leiden
   cut into teams, and are joined (:func:`_join_fragments`). Members far less bound to a
   group than the rest, by both their co-occurrences and their lift over chance, leave it
   (:func:`_hangers_on`: the organic accounts a tight ring met on one or two products). A
   place alone (an IP, an address) binds no one here (:func:`binding_links`), and the groups'
   place ties to outsiders leave the link stage's edges (:func:`outside_place_ties`).

Input is the events as integer codes (``syndicate.encoding``, made once per run): counting
is numpy sorts of packed int64 keys and one hash count, no string. Only target-actions that
can burst reach the sort (:func:`_burst_candidates`: a third to a half of the events at 1M
accounts), the burst rule keeps about one pair row in eight (3.2M become 0.4M at 100k
accounts / 2.1M events), and Leiden sees each account's strongest links, at most
``_LEIDEN_LINKS`` in all and, past ``_LEIDEN_LINKS_FLOOR``, ``_LEIDEN_LINKS_PER_ACCOUNT``
per linked account on average. Cost: ~0.6 s at 100k accounts, ~1.2 s at 200k (one core) with
three Leiden iterations; with ten (``_LEIDEN_ITERATIONS``), 1.4-2.2 s at 100k on a slower hour
of the same machine (3 iterations: 1.8 s then). The pipeline runs it on data of at most
``[lockstep] rare_max_events`` events.

Output: the groups (account codes) and the links between members of a group who met in a
counted cell, with the number of target-actions they met on.

The pipeline (``pipeline.rare_links_of``) runs it twice: with windows of days, and with one
window over the data's whole span (``[lockstep] rare_whole_span``) for the accounts the first
left out — rings that spread their reviews over weeks. The whole-span pass's group test counts
who met on which target (``n_actions``): without time, an order and a rating of one shop are
one tie to it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Callable

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from syndicate.cluster.community import leiden_cpm
from syndicate.features.identity import is_attribute, kind_family
from syndicate.sorted_runs import bit_width, marked, new_run, pairs_within_runs, run_starts

# Links each account keeps for Leiden (its strongest): enough to hold a ring of dozens
# together; Leiden's cost is in edges (heavy users bring thousands of chance links).
_KEEP_PER_ACCOUNT = 10
_MAX_PEEL_ROUNDS = 50
# Links Leiden sees at most. Its cost grows with links (igraph, one core, GIL held: ~5 s a
# million on chance meetings at a million accounts) while a ring needs only its own links: on
# a marketplace whose posts get their attention in their first days, every short-lived post
# is a small burst cell and a million accounts give 13M pairs, 4.9M kept links and 40 s of
# Leiden. Past the budget, the links that met on the most target-actions stay (a ring meets
# again and again; chance meetings are mostly once), then the strongest.
_LEIDEN_LINKS = 600_000
# ... and, past _LEIDEN_LINKS_FLOOR links, at most this many per account with a link on
# average, in both passes (the whole-span pass's pairs all met twice or more, so there the
# strongest stay). A ring holds together on a few links a member (a 2-core needs two); an
# auction site's bidders meet everyone who bid on the same listings in the same days, and an
# account's ten strongest links made 7 a node, 570,000 links of chance meetings among 80,000
# accounts at 100k (6.3 s of Leiden, a quarter of the run). At three per account that graph
# keeps 241,000 links (2.6 s).
_LEIDEN_LINKS_PER_ACCOUNT = 3
# The per-account budget is for cost, and ordinary graphs sit near it (our generator's: 2.6
# links a node at 100k, 2.9-3.1 at 4k): without this floor it cut them too, and the e2e runs of
# two marketplaces lost a group each (the twenty-third's scraper batches 2 -> 1 of 4). Under it
# Leiden's ten iterations take about a second; graphs that small are left whole.
_LEIDEN_LINKS_FLOOR = 150_000
# Leiden iterations (igraph runs exactly this many; "until nothing changes" never returned on
# some small graphs). A ring whose members each reviewed one or two of its products is a chain
# of small cells, and Leiden stopped early cut it where the account numbering led it: with
# three iterations, one ring of 30 kept 14 or 19 members together depending only on the order
# of the account codes; 10 and 20 give the same groups at 20k accounts. Each costs ~0.1 s at
# 100k accounts.
_LEIDEN_ITERATIONS = 10
# Rounds of the trim (:func:`_trim`), one member of each trimmed community a round.
_MAX_TRIM_ROUNDS = 50
# A number at the end (or start) of an action's name is a value of one action, not another
# action: "review_5" and "review_4", "rate:1", "rating-1.5", "5star". A ring's reviews of one
# product get ratings of 4 and 5 stars; counted apart they are two cells, and a ring whose
# members wrote one review each fell apart into pieces that never met. (Names that differ only
# by a number merge too: "ipv4" and "ipv6" are "ipv".) \A and \z, not ^ and $: Java's $ also
# matches before a final line break, and the Spark engine folds with these same patterns.
ACTION_VALUE_SUFFIX = r"(?:[\s_:\-.]*\d+)+\z"
ACTION_VALUE_PREFIX = r"\A\d+[\s_:\-.]*"
_US_PER_S = 1_000_000
# A community that passes the group test only once its heaviest members are trimmed
# (:func:`_trim`) must reach this many times the lift bar per member gone: the trimmed group
# was chosen after looking. Without it, ordinary users trimmed until their lift just crossed
# the bar passed by the dozen on a marketplace of households and fans (lifts of 50-200 after
# removing 1-15 members); a ring of six light accounts that Leiden padded with seven heavy
# ones shows 12,000 times the meetings its activity predicts once they go (bar: 50 * 2^7).
_TRIM_PENALTY = 2.0
# Two passing groups join (:func:`_join_fragments`) on at least this many co-occurrences
# across: one to three meetings are what two groups' members show on a product both reviewed
# (two different rings of the review site met across 1-3 times at 60-440x chance); the parts
# of one ring met 4 to 37 times (review site seeds 1 and 2, our generator, fourth to sixth
# marketplaces) ...
_MIN_JOIN_MEETINGS = 4
# ... at this many times the group test's lift bar (``min_lift``): every pair of passing
# groups is tested, so the pair that clears it was chosen among many (as the trim's bar rises
# for a group chosen after looking). At the bar itself, rings of the seventh marketplace joined
# groups of regulars of the shops they target (53-87x chance) and its account AP fell 0.038;
# at twice it, those stay apart and the parts of rings join (100-1,700x).
_JOIN_LIFT = 2.0


def event_codes(acc: np.ndarray, tgt: np.ndarray, act: np.ndarray, actions: list[str],
                t_us: np.ndarray, *, fold_values: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(account, target_action, seconds)`` int64 columns from encoded events
    (``syndicate.encoding.EncodedEvents``: ``acc``, ``tgt``, ``act``, its ``actions`` and
    ``t``). Actions compare trimmed and case-insensitively ("Review_5 " is "review_5"); with
    ``fold_values``, a number at either end of the name is a value of the action
    (:func:`action_families`: "review_5" and "review_4" are "review")."""
    names = action_families(pl.Series(actions, dtype=pl.String), fold_values=fold_values).to_numpy()
    _, same = np.unique(names, return_inverse=True)
    n_names = action_count(actions, fold_values=fold_values)
    target_action = tgt.astype(np.int64)
    target_action *= n_names
    target_action += same[act]
    return acc.astype(np.int64), target_action, t_us // _US_PER_S


def action_count(actions: list[str], *, fold_values: bool = True) -> int:
    """The ``n_actions`` of :func:`event_codes`' target-action codes (``target * n_actions +
    action``): the number of distinct :func:`action_families` of ``actions`` (at least 1)."""
    return max(action_families(pl.Series(actions, dtype=pl.String), fold_values=fold_values).n_unique(), 1)


def action_families(actions: pl.Series, *, fold_values: bool = True) -> pl.Series:
    """The action each name stands for in a cell: trimmed, lower-case and, with
    ``fold_values``, without a number at its end or start ("Review_5" -> "review", "rate:1" ->
    "rate", "5star" -> "star"). A name that is only a number stays as it is."""
    names = actions.str.strip_chars().str.to_lowercase()
    if not fold_values:
        return names
    folded = names.str.replace(ACTION_VALUE_SUFFIX, "").str.replace(ACTION_VALUE_PREFIX, "")
    return folded.zip_with(folded.str.len_chars() > 0, names)


def rare_coaction(account: np.ndarray, target_action: np.ndarray, seconds: np.ndarray, *,
                  n_accounts: int, window_days: float = 2.0, max_cell_accounts: int = 20,
                  min_burst: float = 3.0, resolution: float = 0.01, min_excess: int = 8,
                  min_lift: float = 50.0, regather_lift: float = 1000.0, seed: int = 0,
                  strong_links: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = None,
                  totals: EventTotals | None = None, min_pair_targets: int = 1,
                  n_actions: int = 1, reference_accounts: int = 20_000,
                  min_hanger_share: float = 0.2) -> tuple[pl.DataFrame, pl.DataFrame, dict]:
    """Groups that keep meeting on rare targets within days (see the module docstring).

    Parameters
    ----------
    account : int64 account codes (0 .. n_accounts - 1), one per event.
    target_action : int64 code of each event's (target, action) (:func:`event_codes`).
    seconds : int64 event times in seconds.
    n_accounts : number of account codes.
    regather_lift : communities that fail the test with the excess to pass are gathered again
        with each member weighted by its activity, at this many times the link weight the
        members' activity predicts (:func:`_regather`; 0: not at all).
    strong_links : optional function of a mask of account codes (the members of groups that
        passed the test) giving the strong links ``(a, b)`` (codes) that touch them, from
        identifiers and lockstep, without ties by places alone (:func:`binding_links`): see
        :func:`_unbound`.
    totals : what the detector reads of all the events when it is given only those on
        target-actions that can burst (:func:`burst_share`): see :class:`EventTotals`.
    n_actions : with the target-action codes of :func:`event_codes` (``target * n_actions +
        action``, :func:`action_count`), the group test counts who met on which *target*: the
        pipeline's whole-span pass gives it (see ``pipeline.rare_links_of``); 1 (the default)
        counts by target-action.
    min_pair_targets : pairs that met on fewer distinct target-actions are left out of the
        gathering (the pipeline's whole-span pass uses 2: over weeks, pairs that met once are
        most pairs and cost most of the time, and a ring's members meet again).
    reference_accounts : with more active accounts than this, the chance model's expected
        meetings are those of a population of this size (:func:`chance_factor`; the default is
        the config's ``[lockstep] rare_reference_accounts``); 0: the whole population's.
    min_hanger_share : a member whose co-occurrences inside its group and whose lift over
        chance are both under this share of the group's leaves it (:func:`_hangers_on`; 0: none
        leave).

    Returns
    -------
    (DataFrame, DataFrame, dict)
        The groups: ``account, group, excess`` (codes; ``group`` numbered from 0 in order of
        the smallest member code); the pairs of one group who met in a counted cell:
        ``account_a < account_b`` (codes, sorted) and ``rare_coaction_targets`` (the distinct
        target-actions they met on); and what was counted.
    """
    empty = pl.DataFrame(schema={"account": pl.Int64, "group": pl.Int64, "excess": pl.Int64})
    no_links = pl.DataFrame(schema={"account_a": pl.Int64, "account_b": pl.Int64, "rare_coaction_targets": pl.UInt32})
    empty = (empty, no_links)
    info = {"events": 0, "cells": 0, "pairs": 0, "links": 0, "communities": 0, "groups": 0, "accounts": 0,
            "hangers_on": 0}
    if len(account) == 0:
        return *empty, info
    account, seconds = np.asarray(account, dtype=np.int64), np.asarray(seconds, dtype=np.int64)
    if totals is None:
        totals = EventTotals(np.bincount(account, minlength=n_accounts), int(seconds.min()), int(seconds.max()))
    # Each event is one cell membership in each phase: the members' activity over all their
    # events (not only those on targets that can burst) predicts their chance meetings.
    factor = chance_factor(int(np.count_nonzero(totals.per_account)), reference_accounts)
    info["chance_factor"] = round(factor, 3)
    activity = 2.0 * totals.per_account.astype(np.float64)
    n_memberships = 2 * int(totals.per_account.sum())
    width = max(int(window_days * 86_400), 1)
    share = burst_share(width, totals.first, totals.last, min_burst)
    account, target_action, seconds = _burst_candidates(
        account, np.asarray(target_action, dtype=np.int64), seconds, max_events=max_cell_accounts / share)
    info["events"] = len(account)
    if len(account) == 0:
        return *empty, info
    counts = _pair_counts(account, target_action, seconds, n_accounts=n_accounts, width=width,
                          max_cell_accounts=max_cell_accounts, share=share, origin=totals.first,
                          n_actions=n_actions)
    del account, target_action, seconds
    if counts is None:
        return *empty, info
    x, y, w, k, s1, s2, info["cells"], (met_target, met_account) = counts
    del counts  # the filter below copies the pairs: the unfiltered arrays go with it
    info["pairs"] = len(x)
    if min_pair_targets > 1:  # pairs that met once are most pairs, and no ring's evidence alone
        again = k >= min_pair_targets
        x, y, w, k = x[again], y[again], w[again], k[again]
    label, info["links"] = _gather(x, y, w, k, n_accounts, resolution=resolution, seed=seed)
    info["communities"] = int(np.unique(label[label >= 0]).size)
    # Only pairs inside a community count from here on (all of them again when the groups
    # that passed are joined: :func:`_join_fragments`).
    every_pair = (x, y, k)
    inside = (label[x] >= 0) & (label[x] == label[y])
    x, y, w, k = x[inside], y[inside], w[inside], k[inside]
    label = _peel(x, y, k, label)
    n_comm = int(label.max()) + 1 if (label >= 0).any() else 0
    if n_comm == 0:
        return *empty, info
    test = dict(x=x, y=y, k=k, activity=activity, scale=factor * s2 / float(n_memberships) ** 2, met_target=met_target,
                met_account=met_account, n_comm=n_comm, min_excess=min_excess, min_lift=min_lift)
    if regather_lift > 0:
        # Expected link weight of two accounts: s1 / M**2 * d_a * d_b (a pair in a counted cell
        # of n weighs 1 / (n - 1), and lands there with probability n (n - 1) d_a d_b / M**2).
        label, n_comm = _regather(label, w, test, resolution=factor * regather_lift * s1 / float(n_memberships) ** 2,
                                  seed=seed)
        if n_comm == 0:
            return *empty, info
        test["n_comm"] = n_comm
    label, trimmed = _trim(label, test)
    test["min_lift"] = trimmed_bar(min_lift, trimmed)  # per community: what trimming cost it
    passing, _ = _group_test(label, **test)
    label = np.where((label >= 0) & passing[np.maximum(label, 0)], label, -1)
    # Parts of one ring are joined before identifiers and lockstep are read, so that a strong
    # link between two of its parts is no tie to an outsider.
    joined, n_comm = _join_fragments(label, *every_pair, activity=activity, scale=test["scale"],
                                     min_lift=min_lift)
    if strong_links is not None and (label >= 0).any():
        label = _unbound(label, strong_links(label >= 0), test, together=joined)
    label = np.where(label >= 0, joined, -1)
    x, y, k = every_pair
    if min_hanger_share > 0:
        grouped = int((label >= 0).sum())
        label = _hangers_on(label, x, y, k, activity, min_hanger_share)
        info["hangers_on"] = grouped - int((label >= 0).sum())
    excess = _excess(label, x, y, k, np.bincount(label[label >= 0], minlength=n_comm))
    accounts = np.flatnonzero(label >= 0)
    if len(accounts) == 0:
        return *empty, info
    # Group numbers in order of each group's smallest member (deterministic, seed-independent).
    comm = label[accounts]
    _, first_seen = np.unique(comm, return_index=True)
    order = np.argsort(accounts[first_seen], kind="stable")
    renumber = np.empty(n_comm, dtype=np.int64)
    renumber[np.unique(comm)[order]] = np.arange(len(order))
    info["groups"], info["accounts"] = len(order), len(accounts)
    linked = (label[x] >= 0) & (label[x] == label[y])
    links = pl.DataFrame({"account_a": x[linked], "account_b": y[linked],
                          "rare_coaction_targets": k[linked].astype(np.uint32)})
    return pl.DataFrame({"account": accounts, "group": renumber[comm],
                         "excess": excess[comm].astype(np.int64)}), links, info


def chance_factor(n_active: int, reference_accounts: int) -> float:
    """How many times the chance model's expected meetings are raised for a population of
    ``n_active`` accounts with events: ``n_active / reference_accounts`` above the reference,
    1 at or below it, and 1 with no reference (``reference_accounts`` 0).

    The chance model spreads each account's cell memberships over the cells of the whole data,
    so the meetings it expects of two accounts fall as one over the population. Real accounts
    meet within communities (a city, a language, a creator's fans, a neighbourhood's shops)
    whose size does not grow with the platform: their meetings stay, what chance predicts of
    them falls, and their lift grows with the population until whole crowds of them pass the
    test (the third marketplace at 100k accounts: 16,318 accounts in 854 groups, the largest
    828 accounts of 18 planted groups and organic users; at 20k, 312 accounts in 27). Holding
    the expected meetings at those of the reference population keeps the bars (``min_lift``,
    ``regather_lift``) where they were measured; a ring's lift does not need the help: its
    meetings are as many at any size."""
    if reference_accounts <= 0 or n_active <= reference_accounts:
        return 1.0
    return n_active / reference_accounts


def _join_fragments(label: np.ndarray, x: np.ndarray, y: np.ndarray, k: np.ndarray, *, activity: np.ndarray,
                    scale: float, min_lift: float) -> tuple[np.ndarray, int]:
    """Groups that passed, joined where their members keep meeting each other: one ring that
    Leiden cut into parts. Two groups join when the co-occurrences between their members (pairs
    across x shared target-actions, ``K``) are at least :data:`_MIN_JOIN_MEETINGS` and
    :data:`_JOIN_LIFT` x ``min_lift`` times what the two groups' activity predicts,
    ``scale * D_a * D_b`` (``D`` a group's summed cell memberships: the group test's chance
    model, across instead of within); joins are transitive. Returns the labels (int64, -1:
    none), numbered by the join's connected components, and how many numbers there are (labels
    that no account holds any more count too: the caller renumbers).

    A ring that works in teams, each on its own products and now and then on another team's,
    is gathered as several communities (the teams are denser than the ring), and each passes
    alone: on the review site (``generate --scenario reviews``) 7 of its 80 rings were found
    only as parts of under half the ring each. Pairs of groups that met across often but as
    their activity predicts (two benign groups of the review site, 7 meetings at 9x) stay apart."""
    member = label >= 0
    if not member.any():
        return label, 0
    label = label.astype(np.int64, copy=False)
    n = int(label.max()) + 1
    la, lb = label[x], label[y]
    cross = (la >= 0) & (lb >= 0) & (la != lb)
    if cross.any():
        lo, hi = np.minimum(la[cross], lb[cross]), np.maximum(la[cross], lb[cross])
        pair, inverse = np.unique(lo * n + hi, return_inverse=True)
        meetings = np.bincount(inverse, weights=k[cross])
        group_d = np.bincount(label[member], weights=activity[member], minlength=n)
        a, b = pair // n, pair % n
        joined = ((meetings >= _MIN_JOIN_MEETINGS)
                  & (meetings >= _JOIN_LIFT * min_lift * scale * group_d[a] * group_d[b]))
        a, b = a[joined], b[joined]
    else:
        a = b = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    n_comm, part = connected_components(graph, directed=False)
    return np.where(member, part.astype(np.int64)[np.maximum(label, 0)], -1), int(n_comm)


def _excess(label: np.ndarray, x: np.ndarray, y: np.ndarray, k: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Each group's excess: its co-occurrences (pairs inside x shared target-actions) beyond
    the s - 1 that connect its s members (``size``, by group number)."""
    inside = (label[x] >= 0) & (label[x] == label[y])
    co = np.bincount(label[x[inside]], weights=k[inside], minlength=len(size))
    return co - size + 1


def _group_test(label: np.ndarray, *, x: np.ndarray, y: np.ndarray, k: np.ndarray, activity: np.ndarray,
                scale: float, met_target: np.ndarray, met_account: np.ndarray, n_comm: int, min_excess: int,
                min_lift: float) -> tuple[np.ndarray, np.ndarray]:
    """Which communities of ``label`` (-1: none) pass the group test, and their excess: at
    least 3 members, ``min_excess`` co-occurrences beyond the s - 1 that connect them, and
    repeated meetings (:func:`_repeated_meetings`) at least once and ``min_lift`` times the
    co-occurrences the members' activity predicts (``scale * sum d_a d_b``)."""
    member = label >= 0
    lab = label[member]
    group_size = np.bincount(lab, minlength=n_comm)
    d = activity[member]
    sum_d = np.bincount(lab, weights=d, minlength=n_comm)
    sum_d2 = np.bincount(lab, weights=d * d, minlength=n_comm)
    expected = scale * (sum_d ** 2 - sum_d2) / 2
    excess = _excess(label, x, y, k, group_size)
    repeats = _repeated_meetings(met_target, met_account, label, n_comm, group_size)
    passing = ((group_size >= 3) & (excess >= min_excess) & (repeats >= 1)
               & (repeats >= min_lift * np.maximum(expected, 1e-300)))
    return passing, excess


def _unbound(label: np.ndarray, strong: tuple[np.ndarray, np.ndarray], test: dict,
             together: np.ndarray) -> np.ndarray:
    """The groups without what identifiers and lockstep bind already. A member strongly linked
    to someone outside its group belongs there (a ring member's family on its shared tablet or
    card); the members no strong link binds must pass the group test by themselves (accounts
    that met an operator's matrix accounts on their items are not a ring); members whose strong
    links stay inside the group (a device of the ring's own) stay with a group that passes.
    The pipeline gives only :func:`binding_links`: a shared IP or address binds no one.

    ``together``: each account's group once parts are joined (:func:`_join_fragments`); a strong
    link between two parts of one ring is then inside it, and a part counts its members with
    the others' towards the three a group needs. Returns the parts' labels."""
    a, b = strong
    across = together[a] != together[b]
    label = label.copy()
    label[a[across]] = -1
    label[b[across]] = -1
    loose = np.where(marked(len(label), a, b), -1, label)
    passing, _ = _group_test(loose, **test)
    label = np.where((label >= 0) & passing[np.maximum(label, 0)], label, -1)
    return np.where(_three_or_more(np.where(label >= 0, together, -1)) >= 0, label, -1)


# Identity families that name a place rather than a person's instrument. An IP or an address
# is shared by households, carrier NATs, offices, buildings and the residential proxies that
# review rings rent (each member on a different real household's home IP): a tie by places
# alone says where an account connects from, not who runs it, so it neither pulls a member
# out of its co-action group nor joins the group's cluster to the places' other users.
PLACE_FAMILIES = frozenset({"ip", "address"})


def place_only(edges: pl.DataFrame, properties: Collection[str] = ()) -> np.ndarray:
    """Rows of a combined edge table (:func:`~syndicate.link.combine.combine_edges`) whose only
    evidence is of place kinds (:data:`PLACE_FAMILIES`, read from the evidence columns' names
    as the cluster features read kinds) and of shared properties (``ip_asn``, ``isp``,
    ``email_domain``: attributes never bind a pair on their own, config.py
    ``attribute_strength``): some of that, and nothing else (a row whose evidence is all
    zero, such as a weak co-action count, is not one). ``properties``: kinds read as shared
    properties whatever their names (``IdentityConfig.property_kinds``)."""
    evidence = [c for c, d in edges.schema.items() if d.is_float() and c != "weight"]
    soft = [c for c in evidence if kind_family(c, properties) in PLACE_FAMILIES or is_attribute(c, properties)]
    other = [c for c in evidence if c not in soft]
    if not soft:
        return np.zeros(edges.height, dtype=bool)
    only = pl.max_horizontal(*soft).fill_null(0) > 0
    if other:
        only = only & (pl.max_horizontal(*other).fill_null(0) <= 0)
    return edges.select(only).to_series().to_numpy()


def binding_links(edges: pl.DataFrame, min_edge_weight: float, properties: Collection[str] = (), *,
                  places: bool = False) -> pl.DataFrame:
    """The combined links that bind a member of a co-action group to someone (:func:`_unbound`):
    strong ones (``weight`` at least the clustering bar, ``[cluster] min_edge_weight``) with
    evidence beyond places and properties — or, with ``places``, every strong one (what holds
    a rating burst's rater back, ``link/rating_bursts.py``). Both engines' ``strong_links``
    read them."""
    strong = edges.filter(pl.col("weight") >= min_edge_weight)
    return strong if places else strong.filter(pl.Series(~place_only(strong, properties)))


def outside_place_ties(edges: pl.DataFrame, a: np.ndarray, b: np.ndarray, group: np.ndarray,
                       properties: Collection[str] = ()) -> np.ndarray:
    """Which rows of a combined edge table (ends ``a``, ``b`` as account codes) are ties by
    places alone (:func:`place_only`) between a member of a rare co-action group and an
    account outside that group (``group``: each account code's group, -1 for none: the groups
    of the accounts the detector links, the pipeline's ``rare_groups``). The link stage leaves
    them out of its edges — the clustering graph, the accounts' graph features and the edges
    table — so that a ring on residential-proxy IPs is not merged with the households whose
    IPs it rents (nor a ring member's family with the ring, nor two rings on one household's
    IP), and the households take no risk from their tenant: a tie by places is no evidence
    that a ring member and a stranger on its IP have one operator. A device, card, phone,
    e-mail, lockstep or given link still is, and stays; a group keeps its own places (a ring's
    own IP), and everyone else theirs. ``properties``: as in :func:`place_only`."""
    cut = np.zeros(edges.height, dtype=bool)
    if edges.height == 0 or not (group >= 0).any():
        return cut
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    ga, gb = group[a], group[b]
    rows = np.flatnonzero((ga != gb) & ((ga >= 0) | (gb >= 0)))
    cut[rows[place_only(edges[rows], properties)]] = True
    return cut


def _cell_keys(account: np.ndarray, key: np.ndarray, sec: np.ndarray, *, n_accounts: int,
               width: int, origin: int) -> tuple[np.ndarray, int, int]:
    """Sorted distinct ``(target_action, phase, bucket, account)`` packed int64 keys of both
    phases (windows counted from ``origin``, the data's first second), and the bit widths of
    the bucket and account fields. Built in place: one array of two keys an event and one
    temporary column."""
    first = origin
    half = max(width // 2, 1)
    bucket_bits = bit_width((int(sec.max()) - first + half) // width + 1)
    account_bits = bit_width(max(n_accounts - 1, 1))
    if bit_width(int(key.max())) + 1 + bucket_bits + account_bits > 63:
        raise ValueError("rare co-action keys need more than 63 bits: split the events table by time")
    n = len(key)
    packed = np.empty(2 * n, dtype=np.int64)
    for phase in (0, 1):
        part = packed[phase * n:(phase + 1) * n]
        np.left_shift(key, 1, out=part)
        part |= phase
        part <<= bucket_bits
        bucket = sec - first
        bucket += phase * half
        bucket //= width
        part |= bucket
        del bucket
        part <<= account_bits
        part |= account
    packed.sort()
    return packed[new_run(packed)], bucket_bits, account_bits


@dataclass(frozen=True)
class EventTotals:
    """What the detector reads of all the events (those it is given may be only the ones on
    target-actions that can burst, as the Spark engine sends the driver): each account code's
    events (the activity that predicts chance meetings) and the first and last second (the
    window grid and the span a burst is judged against)."""

    per_account: np.ndarray
    first: int
    last: int


def burst_share(width: int, first: int, last: int, min_burst: float) -> float:
    """The share of its target-action's accounts a cell must hold to be a burst: ``min_burst``
    windows' worth of them spread evenly over the data's span, at most half (on data of a few
    windows only, a cell holding half of its target-action's accounts is always a burst). A
    target-action with more than ``max_cell_accounts / share`` accounts (or events, never
    fewer) can have no counted cell."""
    return min(min_burst * width / max(last - first, width), 0.5)


def _burst_candidates(account: np.ndarray, key: np.ndarray, sec: np.ndarray, *,
                      max_events: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The events that can fall in a counted cell: those of target-actions with 2 to
    ``max_events`` events (:func:`burst_share`).

    The accounts are counted per window after the sort (:func:`_pair_counts`); here, before any
    sort, a target-action is popular by its events (never fewer than its accounts, so this
    also drops the few that fewer accounts acted on many times over: repeated plays or views,
    not reviews). The popular targets, where most events are, go first: a third to a half of
    the events stay at a million accounts on two generators."""
    # Events of each event's target-action: a hash count (polars, ~0.7 s for 20M events; a
    # sort with numpy's unique took 7 s).
    per_event = pl.DataFrame({"k": key}).select(pl.len().over("k")).to_series().to_numpy()
    keep = (per_event >= 2) & (per_event <= max_events)
    del per_event
    return account[keep], key[keep], sec[keep]


def _pair_counts(account: np.ndarray, key: np.ndarray, sec: np.ndarray, *, n_accounts: int, width: int,
                 max_cell_accounts: int, share: float, origin: int, n_actions: int = 1) -> tuple | None:
    """Pairs ``x < y`` (sorted) of accounts sharing a counted cell, their weight ``w`` (sum
    over distinct target-actions of ``1 / (n - 1)``, n the smallest cell they shared there)
    and count ``k`` of distinct target-actions; ``S2``, the number of counted cells, and who
    met on which target-action (distinct; on which target, ``target_action // n_actions``, with
    ``n_actions`` above 1). Sorts of packed int64 keys.
    ``share``: see :func:`burst_share`; ``origin``: the first second of the data."""
    packed, bucket_bits, account_bits = _cell_keys(account, key, sec, n_accounts=n_accounts, width=width,
                                                   origin=origin)
    account_mask = (1 << account_bits) - 1
    starts = run_starts(packed >> account_bits)
    sizes = np.diff(np.r_[starts, len(packed)])
    # Burst: the cell against its target-action's accounts over the data (phase 0 windows
    # cover every event once), spread evenly over the span. On data of a few windows only,
    # a cell holding half of its target-action's accounts is always a burst.
    target_phase = packed >> (bucket_bits + account_bits)
    tp_starts = run_starts(target_phase)
    tp_sizes = np.diff(np.r_[tp_starts, len(packed)])
    cell_tp = target_phase[starts]
    del target_phase
    tp_keys = packed[tp_starts] >> (bucket_bits + account_bits)
    base = tp_sizes[np.searchsorted(tp_keys, (cell_tp >> 1) << 1)]
    del tp_starts, tp_sizes, cell_tp, tp_keys
    counted = (sizes >= 2) & (sizes <= max_cell_accounts) & (sizes >= share * base)
    del base
    s2 = float((sizes[counted].astype(np.float64) * (sizes[counted] - 1)).sum())
    s1 = float(sizes[counted].sum())
    n_counted = int(counted.sum())
    rows = np.repeat(counted, sizes)
    size = np.repeat(sizes[counted], sizes[counted])
    packed = packed[rows]
    del rows
    if len(packed) == 0:
        return None
    # Target-actions of the counted cells, ranked densely (cells are sorted by them): the pair
    # rows below hold them exactly.
    cell_target = packed >> (1 + bucket_bits + account_bits)
    target_rank = np.cumsum(new_run(cell_target)) - 1
    # ... and their targets (``n_actions``: a target's actions are consecutive codes, so they
    # are in order too), where the group test counts who met.
    cell_target //= n_actions
    met_rank = np.cumsum(new_run(cell_target)) - 1
    del cell_target
    src, dst = pairs_within_runs(packed >> account_bits)  # rows sorted by (cell, account)
    # One value per pair row: (pair, target-action, cell size).
    size_bits = bit_width(max_cell_accounts)
    target_bits = bit_width(int(target_rank[-1]))
    if 2 * account_bits > 63:
        raise ValueError("rare co-action pairs need more than 63 bits: too many accounts")
    member = packed & account_mask
    del packed
    # Who met on which target-action (or target, ``n_actions``; distinct): the group test
    # counts meetings, not pairs.
    incidence = (met_rank << account_bits) | member
    incidence.sort()
    incidence = incidence[new_run(incidence)]
    pair = (member[src] << account_bits) | member[dst]
    rest = (target_rank[src] << size_bits) | size[src]
    del src, dst, member, size, target_rank, met_rank
    pair, cell_size = _smallest_cells(pair, rest, rest_bits=target_bits + size_bits, size_bits=size_bits,
                                      pack=2 * account_bits + target_bits + size_bits <= 63)
    weight = 1.0 / (cell_size - 1)
    pair_starts = run_starts(pair)
    k = np.diff(np.r_[pair_starts, len(pair)])
    w = np.add.reduceat(weight, pair_starts)
    pair = pair[pair_starts]
    return (pair >> account_bits, pair & account_mask, w, k, s1, s2, n_counted,
            (incidence >> account_bits, incidence & account_mask))


def _smallest_cells(pair: np.ndarray, rest: np.ndarray, *, rest_bits: int, size_bits: int,
                    pack: bool) -> tuple[np.ndarray, np.ndarray]:
    """One row per (pair, target-action) — both phases and other days may hold a pair on the
    same target-action — with its smallest cell: ``pair`` and the cell size, sorted by pair
    then target-action. ``rest`` is ``target_action << size_bits | size``. ``pack``: the two
    fit in one int64 key (one plain sort); otherwise (a million accounts and as many targets)
    two keys are sorted, with the same result."""
    size_mask = (1 << size_bits) - 1
    if pack:
        key = pair << rest_bits
        key |= rest
        key.sort()
        first = new_run(key >> size_bits)
        key = key[first]
        return key >> rest_bits, key & size_mask
    # polars' multi-threaded sort on two keys: 1.5 s for 13M rows where np.lexsort took 7 s.
    ordered = pl.DataFrame({"pair": pair, "rest": rest}).sort("pair", "rest")
    pair, rest = ordered["pair"].to_numpy(), ordered["rest"].to_numpy()
    del ordered
    first = new_run(pair)
    first[1:] |= (rest[1:] >> size_bits) != (rest[:-1] >> size_bits)
    return pair[first], rest[first] & size_mask


def _repeated_meetings(met_target: np.ndarray, met_account: np.ndarray, label: np.ndarray, n_comm: int,
                       group_size: np.ndarray) -> np.ndarray:
    """Cycle rank of each community's bipartite graph of members and the target-actions two
    or more of them met on: ``L - C - s + 1`` with ``L`` the (member, target-action)
    incidences, ``C`` the target-actions and ``s`` the members. Zero for one shared target or a
    chain of them (any tree); each further meeting of accounts already joined adds one."""
    lab = label[met_account].astype(np.int64)
    some = lab >= 0
    key = (lab[some] << 40) | met_target[some]  # sorted by target within a community
    key.sort()
    starts = run_starts(key)
    m = np.diff(np.r_[starts, len(key)])
    met = m >= 2
    comm = key[starts[met]] >> 40
    incidences = np.bincount(comm, weights=m[met], minlength=n_comm)
    targets = np.bincount(comm, minlength=n_comm)
    return incidences - targets - group_size + 1


def _gather(x: np.ndarray, y: np.ndarray, w: np.ndarray, k: np.ndarray, n: int, *, resolution: float,
            seed: int) -> tuple[np.ndarray, int]:
    """Leiden (CPM) community of every account code (-1 without any pair), and the number of
    links Leiden saw: each account's strongest, at most ``_LEIDEN_LINKS`` in all and, past
    ``_LEIDEN_LINKS_FLOOR``, ``_LEIDEN_LINKS_PER_ACCOUNT`` per linked account on average (those
    that met on the most target-actions first, then the strongest: the cut is over all links,
    so an account whose links all met once may keep none)."""
    from syndicate.cluster.coaction import _strongest_links

    nodes = np.flatnonzero(np.bincount(np.r_[x, y], minlength=n))
    local = np.full(n, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    lx, ly = local[x], local[y]
    keep = np.flatnonzero(_strongest_links(lx, ly, w, len(nodes), _KEEP_PER_ACCOUNT))
    budget = min(_LEIDEN_LINKS, max(_LEIDEN_LINKS_FLOOR, int(_LEIDEN_LINKS_PER_ACCOUNT * len(nodes))))
    if len(keep) > budget:
        # Stable sort on (-k, -w): ties keep pair order, so the choice is deterministic.
        first = np.lexsort((-w[keep], -k[keep]))[:budget]
        keep = np.sort(keep[first])
    labels = leiden_cpm(lx[keep], ly[keep], w[keep], np.ones(len(nodes)), resolution=resolution, seed=seed,
                        n_iterations=_LEIDEN_ITERATIONS)
    size = np.bincount(labels)
    label = np.full(n, -1, dtype=np.int64)
    label[nodes] = np.where(size[labels] >= 3, labels, -1)
    return label, len(keep)


def _regather(label: np.ndarray, w: np.ndarray, test: dict, *, resolution: float,
              seed: int) -> tuple[np.ndarray, int]:
    """Communities that fail the group test but have the excess to pass, gathered again by
    Leiden (CPM) over their inner links with each member weighted by its activity ``d`` (cell
    memberships): a member stays with others where its links to them weigh more than
    ``resolution * d * (their activity)``, about ``regather_lift`` times what chance predicts
    (CPM weighs a member's links to a part as a whole). The first gathering holds a ring of
    thirty light accounts together with a bar per pair, and with it the heavy users who viewed
    the ring's products in the same days (seven to seventeen of them around rings of 11 to 19
    on the third marketplace, ``benchmarks/third_marketplace.py``); weighted by activity, a
    heavy viewer's few meetings are what its activity predicts and it stays out, while a light
    ring member's one or two meetings are far beyond it. A community is replaced by its parts
    only when one of them passes the test; otherwise it stays as it was and goes to the trim
    (:func:`_trim`), which may still find a ring in it. A part is chosen by its links against
    chance, not by the test's own count of repeated meetings.

    Returns the labels (communities renumbered from 0 in order of the old numbers; parts of
    fewer than 3 members and the members no longer in a 2-core dropped) and the number of
    communities."""
    x, y, k, n_comm = test["x"], test["y"], test["k"], test["n_comm"]
    passing, excess = _group_test(label, **test)
    lab = np.maximum(label, 0)
    again = (label >= 0) & ~passing[lab] & (excess[lab] >= test["min_excess"])
    if not again.any():
        return label, n_comm
    inner = again[x] & (label[x] == label[y])
    nodes = np.flatnonzero(again)
    local = np.full(len(label), -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    # Links only inside a community: a part never crosses the community it came from.
    parts = leiden_cpm(local[x[inner]], local[y[inner]], w[inner], test["activity"][nodes],
                       resolution=resolution, seed=seed, n_iterations=_LEIDEN_ITERATIONS)
    split = label.copy()
    split[nodes] = n_comm + parts
    split = _peel(x, y, k, _three_or_more(split))
    split, n_split = _dense(split)
    # Communities none of whose parts pass stay whole (numbered after the parts).
    part_passes, _ = _group_test(split, **(test | {"n_comm": n_split}))
    kept = np.zeros(n_comm, dtype=bool)
    in_part = again & (split >= 0)
    kept[label[in_part][part_passes[split[in_part]]]] = True
    whole = again & ~kept[lab]
    split[whole] = n_split + label[whole]
    return _dense(split)


def _dense(label: np.ndarray) -> tuple[np.ndarray, int]:
    """Community numbers made 0 .. n - 1 in the order of the old ones (-1 stays -1), and n."""
    used, dense = np.unique(label[label >= 0], return_inverse=True)
    out = np.full(len(label), -1, dtype=np.int64)
    out[label >= 0] = dense
    return out, len(used)


def trimmed_bar(min_lift: float, trimmed: np.ndarray) -> np.ndarray:
    """The lift bar of each community after trimming: ``min_lift`` times ``_TRIM_PENALTY`` per
    member gone."""
    return min_lift * _TRIM_PENALTY ** np.asarray(trimmed, dtype=np.float64)


def _trim(label: np.ndarray, test: dict) -> tuple[np.ndarray, np.ndarray]:
    """Communities that fail the group test but have the excess to pass lose, round after
    round, the member whose meetings inside its activity explains best (the lowest ratio of its
    co-occurrences inside to those its activity predicts there), then the 2-core peel runs
    again, until they pass or no longer have the excess to. Each member gone (trimmed, or
    peeled with it) multiplies the lift bar by ``_TRIM_PENALTY``.

    Leiden's bar is low (a ring of 30 must hold together), so a heavy user who met a ring's
    members once or twice on a product joins its community; seven such accounts around a ring
    of six light ones made the group's lift fall under the bar, and the ring went unreported.

    Returns the labels and the members gone from each community."""
    first_size = np.bincount(label[label >= 0], minlength=test["n_comm"])
    # Only the communities that fail with the excess to pass change (the others are 2-cores
    # already, and a member gone changes only its own community): the rounds read their pairs
    # and meetings alone, not every community's fifty times over.
    passing, excess = _group_test(label, **test)
    open_ = _trimmable(passing, excess, first_size, test["min_excess"])
    inside = (label >= 0) & open_[np.maximum(label, 0)]
    if not inside.any():
        return label, np.zeros(test["n_comm"], dtype=np.int64)
    x, y = test["x"], test["y"]
    pairs = inside[x] & (label[x] == label[y])
    met = inside[test["met_account"]]
    test = test | {"x": x[pairs], "y": y[pairs], "k": test["k"][pairs], "met_target": test["met_target"][met],
                   "met_account": test["met_account"][met]}
    trimmed_label = _trim_rounds(np.where(inside, label, -1), test, first_size)
    label = np.where(inside, trimmed_label, label)
    return label, first_size - np.bincount(label[label >= 0], minlength=test["n_comm"])


def _trimmable(passing: np.ndarray, excess: np.ndarray, size: np.ndarray, min_excess: int) -> np.ndarray:
    """Which communities the trim takes a member from: those that fail the group test with
    the excess to pass and more than three members. Judged by the excess, not the repeated
    meetings: a member met by nobody left inside lowers them, and trimming it raises them
    again."""
    return ~passing & (excess >= min_excess) & (size > 3)


def _trim_rounds(label: np.ndarray, test: dict, first_size: np.ndarray) -> np.ndarray:
    """The rounds of :func:`_trim` on the communities it may trim (``label``: the others -1;
    ``test``: their pairs and meetings).

    A community the trim takes no member from in a round is settled: nothing of it changes
    again (it was a 2-core before the rounds, and only removals from a community change its
    test), so the later rounds test only the communities still being trimmed, on their own pairs
    and meetings (a few long trims among hundreds of communities: at 100k accounts the rounds
    took 2.3 s of the eleventh marketplace's detector when every round tested all)."""
    x, y, k, activity, scale = test["x"], test["y"], test["k"], test["activity"], test["scale"]
    met_target, met_account = test["met_target"], test["met_account"]
    trimmed = np.zeros(test["n_comm"], dtype=np.int64)
    out = label.copy()
    for _ in range(_MAX_TRIM_ROUNDS):
        passing, excess = _group_test(label, **(test | {"x": x, "y": y, "k": k, "met_target": met_target,
                                                         "met_account": met_account,
                                                         "min_lift": trimmed_bar(test["min_lift"], trimmed)}))
        member = label >= 0
        lab = np.maximum(label, 0)
        size = np.bincount(label[member], minlength=test["n_comm"])
        trimming = _trimmable(passing, excess, size, test["min_excess"])
        chosen = member & trimming[lab]
        if not chosen.any():
            break
        # The settled communities leave the rounds (their members keep their labels in out).
        label = np.where(chosen, label, -1)
        pairs = (label[x] >= 0) & (label[y] >= 0)
        x, y, k = x[pairs], y[pairs], k[pairs]
        met = label[met_account] >= 0
        met_target, met_account = met_target[met], met_account[met]
        co = _inside_cooccurrences(x, y, k, label)
        total = np.bincount(label[chosen], weights=activity[chosen], minlength=test["n_comm"])
        codes = np.flatnonzero(chosen)
        predicted = scale * activity[codes] * (total[label[codes]] - activity[codes])
        ratio = co[codes] / np.maximum(predicted, 1e-300)
        # The lowest ratio of each trimmed community (ties: the smaller code), one a round.
        order = np.lexsort((codes, ratio, label[codes]))
        first = order[new_run(label[codes][order])]
        label[codes[first]] = -1  # label is this round's own array (np.where above)
        label = _peel(x, y, k, label)
        out[chosen & (label < 0)] = -1
        # Trimmed: the members gone, the peel's with the chosen one's (read for the communities
        # still in the rounds only).
        trimmed = first_size - np.bincount(label[label >= 0], minlength=test["n_comm"])
    return out


def _hangers_on(label: np.ndarray, x: np.ndarray, y: np.ndarray, k: np.ndarray, activity: np.ndarray,
                share: float) -> np.ndarray:
    """Groups without their hangers-on. A ring whose members met each other on dozens of
    products takes in organic accounts that reviewed or endorsed one or two of them in the same
    days: the group test is passed by the ring, not by them. A member leaves when both its
    co-occurrences inside the group (K, pairs x shared target-actions) are under ``share`` of
    the group's evidence-weighted mean (sum K^2 / sum K: what the members holding the group's
    evidence have) and its lift over chance (K over ``d * (D - d)``, its activity times the
    others') is under ``share`` of the group's (sum K over sum of those). Either alone would
    cut ring members: a heavy account that met the ring on all its products meets it less far
    beyond chance than the ring's light accounts; a farm's part-timer, sent on a tenth of the
    jobs, has few co-occurrences but meets the farm far beyond chance. In a group someone left,
    members left with fewer than two co-occurrences inside (those who met only the hangers-on)
    leave too (:func:`_peel`), and groups left with fewer than three members are dropped, as
    everywhere here. What stays is not tested again: each member gone held a small share of the
    evidence by construction."""
    member = np.flatnonzero(label >= 0)
    if len(member) == 0:
        return label
    n_groups = int(label.max()) + 1
    group, d = label[member], activity[member]
    co = _inside_cooccurrences(x, y, k, label)[member]
    chance = d * (np.bincount(group, weights=d, minlength=n_groups)[group] - d)
    evidence = np.bincount(group, weights=co, minlength=n_groups)
    typical = np.bincount(group, weights=co * co, minlength=n_groups) / np.maximum(evidence, 1e-9)
    lift = evidence / np.maximum(np.bincount(group, weights=chance, minlength=n_groups), 1e-9)
    leave = (co < share * typical[group]) & (co < share * lift[group] * chance)
    if not leave.any():
        return label
    left = np.zeros(n_groups, dtype=bool)
    left[group[leave]] = True
    label = label.copy()
    label[member[leave]] = -1
    # Only the groups someone left: elsewhere the members stay as the group test passed them.
    label = np.where((label >= 0) & left[np.maximum(label, 0)], _peel(x, y, k, label), label)
    return _three_or_more(label)


def _three_or_more(label: np.ndarray) -> np.ndarray:
    """``label`` without its groups of fewer than three members (-1 there): two accounts that
    met again are a pair, not a ring."""
    size = np.bincount(label[label >= 0], minlength=max(int(label.max()) + 1, 1))
    return np.where((label >= 0) & (size[np.maximum(label, 0)] >= 3), label, -1)


def _peel(x: np.ndarray, y: np.ndarray, k: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Remove, round after round, members with fewer than two co-occurrences inside their
    community (a 2-core): an account that met the group once is not shown to belong to it."""
    label = label.copy()
    for _ in range(_MAX_PEEL_ROUNDS):
        weak = (label >= 0) & (_inside_cooccurrences(x, y, k, label) < 2)
        if not weak.any():
            break
        label[weak] = -1
    return label


def _inside_cooccurrences(x: np.ndarray, y: np.ndarray, k: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Each account's co-occurrences (pairs x shared target-actions) with members of its own
    community (0 outside any: label -1)."""
    inside = (label[x] >= 0) & (label[x] == label[y])
    n = len(label)
    return (np.bincount(x[inside], weights=k[inside], minlength=n)
            + np.bincount(y[inside], weights=k[inside], minlength=n))

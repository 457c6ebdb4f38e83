"""What a cluster's members spend their activity on, against ordinary accounts of their kind.

A syndicate is made for a purpose, and the purpose shows in what its members do: a refund
ring files refund requests, a review ring reviews, a takeover crew changes passwords and buys
gift cards, a farm likes and follows. One account's mix of actions says little (people differ),
but a group whose members all lean the same unusual way does: tastes that differ at random
cancel out in the group's mean, a shared agenda does not.

Per account, the share of its events of each action; per account type (``account_type`` of
the accounts table, one type without it), the mean share over the other accounts of that type
that have events (the cluster's own members left out), and its variance; a type with few other
accounts leans on the whole platform's (credibility ``others / (others + 30)``). A cluster's mix
is its members' mean share (a member without events adds zeros: half a cluster asleep is half
the evidence), its expectation the mean of its members' types' means. Then

    action_mix = sum_a w_a * max(0, mix_a - expected_a)  -  sum_a w_a * sd_a * phi(0)

in bits: ``w_a = log2(1 / expected_a)``, so leaning on an action one account in a thousand
uses weighs more than leaning on the platform's staple (a fan club's extra likes); ``sd_a``
is the standard deviation of the mean share of that many members drawn at random
(sqrt(sum of their types' variances) / members), and ``phi(0) = 0.399`` the expected positive
part of a standard normal: the second sum is the excess a random group of the cluster's size
and types shows by chance (small groups lean by chance more). Around 0 or below: an ordinary
mix; 1: a bit of surplus — the members spend, beyond chance, about a third of their activity
on an action a tenth of an ordinary account's activity goes to (0.3 x log2(10) = 1).

Measured on eight marketplaces built independently of each other (ours, the alternative and
the third to eighth), clusters of three or more: AUROC against planted syndicates 0.90-0.98,
and 0.86-0.99 among each run's top 100 clusters.

Every sum is taken in fixed point (``features.exact``): the same figures whatever order polars
or Spark adds the rows in. Engines hand over three small tables
(:func:`account_shares_summary`): per (type, action) the accounts of the type with events and
the sum and sum of squares of their shares; per (cluster, type, action) the sum of the
members' shares; per (cluster, type) the members with events. :func:`action_mix` finishes on
the driver.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.features.accounts import ACTION_SURPRISAL, ACTION_SURPRISAL_TOP, account_action_matrix, action_totals
from syndicate.features.exact import SCALE, fixed_sum
from syndicate.link.codes import AccountIndex

NAME = "action_mix"
# The action most of the surplus is on, the members' mean share of it and what their types'
# accounts spend on it (words for the reasons, not model inputs: DESCRIPTIVE).
TOP = "action_mix_top"
DESCRIPTIVE = (f"{TOP}_share", f"{TOP}_expected")
# Other active accounts of a type it takes for the type's own mix to weigh as much as the
# platform's (credibility others / (others + 30)): a few dozen accounts are a type's habits, a
# handful are anyone's (thirty, the usual rule of thumb for a sample mean to settle).
TYPE_CREDIBILITY = 30.0
# The expected positive part of a standard normal (1 / sqrt(2 pi)).
_PHI0 = 0.3989422804014327
# A vocabulary larger than this (event names that carry parameters, "view_item_123") keeps its
# 63 most used actions by name and counts the rest as one: the mix compares every cluster with
# every action, and real vocabularies of what people do on a platform are a few dozen words.
MAX_ACTIONS = 64
OTHER_ACTIONS = "(other actions)"
# Accounts x actions up to this many cells, and no more than a few per event, are counted by
# one bincount (features.accounts.account_action_matrix); beyond, by a group-by.
_DENSE_CELLS = 1 << 25

# One account's mix against what accounts of its type do (SURPRISAL, bits): the Kullback-Leibler
# divergence of its own shares from its type's expectation (expected_shares), its shares first
# smoothed towards that expectation by ACCOUNT_PRIOR events (an account with five events shows
# at most half of its own mix; with fifty, nine tenths). A group's mean mix (NAME) says more
# than one account's, but a lone refund abuser's disputes or a spammer's messages stand out on
# their own. Measured on nine marketplaces built independently of each other: AUROC of the
# planted lone bad accounts against every honest one 0.87-1.0 where they exist (four).
SURPRISAL = ACTION_SURPRISAL
# The action an account's divergence is most on (a word for its reason, not a model input).
SURPRISAL_TOP = ACTION_SURPRISAL_TOP
ACCOUNT_PRIOR = 5.0

BASELINE_SCHEMA = {"account_type": pl.String, "action": pl.String, "accounts": pl.Int64,
                   "share_sum": pl.Float64, "share_sq_sum": pl.Float64}
SUMS_SCHEMA = {"cluster_id": pl.String, "account_type": pl.String, "action": pl.String, "share_sum": pl.Float64}
ACTIVE_SCHEMA = {"cluster_id": pl.String, "account_type": pl.String, "active": pl.Int64}


def empty_summary() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The three tables of :func:`account_shares_summary` without rows."""
    return (pl.DataFrame(schema=BASELINE_SCHEMA), pl.DataFrame(schema=SUMS_SCHEMA),
            pl.DataFrame(schema=ACTIVE_SCHEMA))


def account_types(accounts: pl.DataFrame) -> pl.Series:
    """Each account's type as the action mix reads it (row-aligned with ``accounts``): the
    ``account_type`` column as a string, "" when missing or null (one type)."""
    if "account_type" not in accounts.columns:
        return pl.Series("account_type", [""] * accounts.height, dtype=pl.String)
    return accounts["account_type"].cast(pl.String).fill_null("").rename("account_type")


def kept_actions(names: list[str], totals: np.ndarray) -> list[str] | None:
    """The actions the mix keeps by name when there are more than ``MAX_ACTIONS``: the
    ``MAX_ACTIONS - 1`` with the most events (ties by name); the rest count as one,
    ``OTHER_ACTIONS``. None: every action is kept."""
    if len(names) <= MAX_ACTIONS:
        return None
    order = sorted(range(len(names)), key=lambda i: (-int(totals[i]), names[i]))
    return sorted(names[i] for i in order[:MAX_ACTIONS - 1])


def account_action_counts(acc: np.ndarray, act: np.ndarray, n_accounts: int,
                          actions: list[str]) -> tuple[pl.DataFrame, list[str]]:
    """``_acc, _act, n``: events per (account code, action code), the pairs that occur, and
    the action names of the codes (``actions`` capped by :func:`kept_actions`)."""
    kept = kept_actions(actions, action_totals(act, len(actions)))
    compact = np.arange(len(actions), dtype=np.int64)
    if kept is not None:
        position = {name: i for i, name in enumerate(kept)}
        compact = np.array([position.get(name, len(kept)) for name in actions], dtype=np.int64)
        actions = [*kept, OTHER_ACTIONS]
    n_actions = len(actions)
    if n_accounts * n_actions <= min(_DENSE_CELLS, 4 * len(acc)):
        counts = account_action_matrix(acc, act, compact, n_accounts, n_actions).ravel()
        cells = np.flatnonzero(counts)
        frame = pl.DataFrame({"_acc": (cells // n_actions).astype(np.int32),
                              "_act": (cells % n_actions).astype(np.int32), "n": counts[cells]})
    else:  # a sparse table needs no dense array
        frame = (pl.DataFrame({"_acc": acc.astype(np.int32), "_act": compact[act].astype(np.int32)})
                 .group_by("_acc", "_act").len("n").sort("_acc", "_act"))
    return frame, actions


def _shares(counts: pl.DataFrame, actions: list[str], types: pl.Series) -> tuple:
    """From ``counts`` (:func:`account_action_counts`) and the accounts' ``types`` in code
    order: the shares (``_acc, _act, _type, share, n, _total``), the types (``_type, accounts,
    account_type``), the action names (``_act, action``), the baseline (``BASELINE_SCHEMA``),
    each code's type code and its events (0: none)."""
    acc = counts["_acc"].to_numpy()
    n = counts["n"].to_numpy().astype(np.float64)
    total = np.bincount(acc, weights=n, minlength=len(types))
    type_names = types.unique().sort()
    type_of = types.cast(pl.Enum(type_names)).to_physical().to_numpy()
    shares = pl.DataFrame({"_acc": acc, "_act": counts["_act"], "_type": type_of[acc].astype(np.int32),
                           "share": n / total[acc], "n": n, "_total": total[acc]})
    active = total > 0
    typed = pl.DataFrame({"_type": np.arange(len(type_names), dtype=np.int32),
                          "accounts": np.bincount(type_of[active], minlength=len(type_names)),
                          "account_type": type_names})
    names = pl.DataFrame({"_act": np.arange(len(actions), dtype=counts["_act"].to_numpy().dtype),
                          "action": pl.Series(actions, dtype=pl.String)})
    baseline = (shares.group_by("_type", "_act")
                .agg(fixed_sum(pl.col("share")).alias("share_sum"), fixed_sum(pl.col("share") ** 2).alias("share_sq_sum"))
                .join(typed, on="_type").join(names, on="_act")
                .select(*BASELINE_SCHEMA).cast(BASELINE_SCHEMA))
    return shares, typed, names, baseline, type_of, total


def expected_shares(baseline: pl.DataFrame) -> pl.DataFrame:
    """``account_type, action, expected``: the share of its activity an account of the type is
    expected to give the action — its type's mean share (its own accounts included: one
    account is a small part of its type's thousands, and a type of few leans on the platform),
    leaning on the platform's by credibility (``accounts / (accounts + TYPE_CREDIBILITY)``).
    Rows only for the actions the type's accounts took (those of ``baseline``): an action the
    type never used keeps the platform's part of its expectation, which no row carries, so a
    type's rows sum to less than one (:func:`account_surprisal` counts the rest as the actions
    an account did not take). ``baseline`` is :data:`BASELINE_SCHEMA`'s."""
    n_all = float(baseline.select("account_type", "accounts").unique()["accounts"].sum())
    platform = baseline.group_by("action").agg(fixed_sum(pl.col("share_sum")).alias("_g"))
    trust = pl.col("accounts") / (pl.col("accounts") + TYPE_CREDIBILITY)
    return (baseline.select("account_type", "action", "accounts", "share_sum")
            .join(platform, on="action")
            .select("account_type", "action",
                    (trust * pl.col("share_sum") / pl.col("accounts") + (1 - trust) * pl.col("_g") / n_all)
                    .alias("expected")))


def account_surprisal(counts: pl.DataFrame, actions: list[str], types: pl.Series) -> tuple[np.ndarray, pl.Series]:
    """:data:`SURPRISAL` of every account code (NaN without events), and the action it is most
    on (:data:`SURPRISAL_TOP`: the largest term, ties by name; null without events), from
    ``counts`` (:func:`account_action_counts`: sorted by account) and the accounts' ``types``
    in code order (:func:`account_types` of the accounts sorted by id). Per (account, action)
    row in numpy, summed per account in the fixed point of ``features.exact`` (as Spark sums
    them)."""
    out = np.full(len(types), np.nan)
    if counts.height == 0:
        return out, pl.Series(SURPRISAL_TOP, [None] * len(types), dtype=pl.String)
    shares, typed, names, baseline, _, totals = _shares(counts, actions, types)
    expected = (expected_shares(baseline).join(typed.select("_type", "account_type"), on="account_type")
                .join(names, on="action"))
    table = np.zeros((typed.height, len(actions)))
    table[expected["_type"].to_numpy(), expected["_act"].to_numpy()] = expected["expected"].to_numpy()
    acc, act = shares["_acc"].to_numpy(), shares["_act"].to_numpy()
    n, total = shares["n"].to_numpy(), shares["_total"].to_numpy()
    p = table[shares["_type"].to_numpy(), act]
    q = (n + ACCOUNT_PRIOR * p) / (total + ACCOUNT_PRIOR)  # the smoothed share
    term = np.rint(q * np.log2(q / p) * SCALE)  # fixed point: integers below 2^53, exact in any order

    def fixed(values: np.ndarray) -> np.ndarray:
        return np.bincount(acc, weights=values, minlength=len(types)) / SCALE

    active = totals > 0
    rest = np.log2(ACCOUNT_PRIOR / (totals[active] + ACCOUNT_PRIOR))  # each action not taken, at once
    out[active] = fixed(term)[active] + (1 - fixed(np.rint(q * SCALE))[active]) * rest
    # Each account's largest term, ties by the action's name: one integer key per row (the term
    # in fixed point, then the name's rank reversed; below 2^53), its maximum per account's run
    # of rows (the counts come sorted by account).
    width = len(actions)
    order_of_names = np.argsort(np.array(actions, dtype=object), kind="stable")
    name_rank = np.empty(width, dtype=np.int64)
    name_rank[order_of_names] = np.arange(width)
    key = term.astype(np.int64) * width + (width - 1 - name_rank[act])
    starts = np.flatnonzero(np.concatenate([[True], acc[1:] != acc[:-1]]))
    best = np.maximum.reduceat(key, starts)
    top = np.full(len(types), -1, dtype=np.int64)
    top[acc[starts]] = order_of_names[width - 1 - np.mod(best, width)]
    named = pl.Series(SURPRISAL_TOP, actions, dtype=pl.String).gather(np.maximum(top, 0))
    return out, named.set(pl.Series(top < 0), None)


def account_shares_summary(counts: pl.DataFrame, actions: list[str], accounts: pl.DataFrame, index: AccountIndex,
                           members: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The three tables :func:`action_mix` reads, from ``counts`` (:func:`account_action_counts`
    over the account codes of ``index``, the accounts sorted by id; ``actions`` names the
    action codes) and ``members`` (``account_id, cluster_id``): per (type, action) the accounts of the type with events and the
    sum and sum of squares of their shares; per (cluster, type, action) the sum of the members'
    shares; per (cluster, type) the members with events. Grouped on integer codes; names join
    the small results."""
    if counts.height == 0:
        return empty_summary()
    types = account_types(accounts.sort("account_id"))  # in code order
    member_codes = members.select(pl.Series("_acc", index.codes(members["account_id"]), dtype=pl.Int32), "cluster_id")
    shares, typed, names, baseline, type_of, total = _shares(counts, actions, types)
    active = total > 0
    of_members = member_codes.select(pl.col("_acc").cast(shares.schema["_acc"]), pl.col("cluster_id").cast(pl.String))
    type_names_frame = typed.select("_type", "account_type")
    sums = (shares.join(of_members, on="_acc")
            .group_by("cluster_id", "_type", "_act").agg(fixed_sum(pl.col("share")).alias("share_sum"))
            .join(type_names_frame, on="_type").join(names, on="_act")
            .select(*SUMS_SCHEMA).cast(SUMS_SCHEMA))
    codes = of_members["_acc"].to_numpy()
    active_members = (pl.DataFrame({"cluster_id": of_members["cluster_id"], "_type": type_of[codes].astype(np.int32)})
                      .filter(pl.Series(active[codes]))
                      .group_by("cluster_id", "_type").len("active")
                      .join(type_names_frame, on="_type")
                      .select(*ACTIVE_SCHEMA).cast(ACTIVE_SCHEMA))
    return baseline, sums, active_members


def action_mix(members: pl.DataFrame, accounts: pl.DataFrame, baseline: pl.DataFrame,
               sums: pl.DataFrame, active_members: pl.DataFrame) -> pl.DataFrame:
    """``cluster_id, action_mix`` of every cluster of ``members`` (see the module docstring),
    and the action most of the surplus is on (``action_mix_top``, the members' mean share of
    it, ``_share``, and their types' other accounts', ``_expected``); null without events.
    The three tables are :func:`account_shares_summary`'s."""
    clusters = members.select("cluster_id").unique()
    if baseline.height == 0:
        return clusters.with_columns(pl.lit(None, dtype=pl.Float64).alias(NAME), pl.lit(None, dtype=pl.String).alias(TOP),
                                     *(pl.lit(None, dtype=pl.Float64).alias(c) for c in DESCRIPTIVE))
    dtype = members.schema["cluster_id"]
    per_type = baseline.with_columns(
        (pl.col("share_sq_sum") / pl.col("accounts") - (pl.col("share_sum") / pl.col("accounts")) ** 2)
        .clip(0, None).alias("var"))
    typed = (members.join(accounts.select("account_id", account_types(accounts)), on="account_id", how="left")
             .with_columns(pl.col("account_type").fill_null(""), pl.col("cluster_id").cast(pl.String)))
    size = typed.group_by("cluster_id").len("size")
    # What the other accounts of a type spend on an action: the cluster's own members left
    # out, so that a ring that is most of its type does not set its own "ordinary" (a refund
    # ring of 12 scored 3.0 bits as customers and -0.1 as the only "business" accounts). A type
    # with few other active accounts leans on every other account of the platform instead, by
    # credibility: others / (others + TYPE_CREDIBILITY).
    n_all = float(baseline.select("account_type", "accounts").unique()["accounts"].sum())
    platform = (baseline.group_by("action")
                .agg(fixed_sum(pl.col("share_sum")).alias("_g"), fixed_sum(pl.col("share_sq_sum")).alias("_g2")))
    own_all = (sums.group_by("cluster_id", "action").agg(fixed_sum(pl.col("share_sum")).alias("_own_all"))
               .join(active_members.group_by("cluster_id").agg(pl.col("active").sum().alias("_active_all")),
                     on="cluster_id", how="left"))
    own = pl.col("own").fill_null(0.0)
    others = pl.col("accounts") - pl.col("active").fill_null(0)
    others_all = n_all - pl.col("_active_all").fill_null(0)
    type_mean = pl.when(others > 0).then((pl.col("share_sum") - own) / others).otherwise(0.0).clip(0, 1)
    platform_mean = (pl.when(others_all > 0).then((pl.col("_g") - pl.col("_own_all").fill_null(0.0)) / others_all)
                     .otherwise(pl.col("_g") / n_all)).clip(0, 1)
    platform_var = (pl.col("_g2") / n_all - (pl.col("_g") / n_all) ** 2).clip(0, None)
    trust = others / (others + TYPE_CREDIBILITY)
    mean = trust * type_mean + (1 - trust) * platform_mean
    var = trust * pl.col("var") + (1 - trust) * platform_var
    # Per (cluster, action): the members' expected share and variance, summed over their types.
    expected = (typed.group_by("cluster_id", "account_type").len("k")
                .join(per_type, on="account_type")
                .join(platform, on="action", how="left")
                .join(sums.select("cluster_id", "account_type", "action", pl.col("share_sum").alias("own")),
                      on=["cluster_id", "account_type", "action"], how="left")
                .join(active_members, on=["cluster_id", "account_type"], how="left")
                .join(own_all, on=["cluster_id", "action"], how="left")
                .group_by("cluster_id", "action")
                .agg(fixed_sum(pl.col("k") * mean).alias("_e"), fixed_sum(pl.col("k") * var).alias("_v"),
                     fixed_sum(own).alias("share_sum")))
    cells = (expected.join(size, on="cluster_id")
             .with_columns((pl.col("_e") / pl.col("size")).alias("_e"), pl.col("_v").sqrt() / pl.col("size"),
                           (pl.col("share_sum") / pl.col("size")).alias("_m")))
    # Actions no member's type ever uses have an expectation of 0 and cannot be weighed; a
    # member who uses one leans away from its type anyway on the actions it does not use.
    weight = -pl.col("_e").clip(1e-9, 1.0).log(2)
    surplus = (pl.col("_m") - pl.col("_e")).clip(0, None) * weight
    out = (cells.filter(pl.col("_e") > 0)
           .group_by("cluster_id")
           .agg(fixed_sum(surplus).alias("_excess"), fixed_sum(pl.col("_v") * _PHI0 * weight).alias("_chance"),
                # The action the surplus is most on (ties by name), for the reasons.
                pl.struct("action", "_m", "_e").sort_by(surplus, pl.col("action"), descending=[True, False])
                .first().alias("_top"))
           .select(pl.col("cluster_id").cast(dtype), (pl.col("_excess") - pl.col("_chance")).alias(NAME),
                   pl.col("_top").struct.field("action").alias(TOP),
                   pl.col("_top").struct.field("_m").alias(f"{TOP}_share"),
                   pl.col("_top").struct.field("_e").alias(f"{TOP}_expected")))
    active = sums.select(pl.col("cluster_id").cast(dtype)).unique()
    return (clusters.join(out.join(active, on="cluster_id", how="semi"), on="cluster_id", how="left")
            .with_columns(pl.col(NAME).cast(pl.Float64), pl.col(TOP).cast(pl.String),
                          pl.col(f"{TOP}_share").cast(pl.Float64), pl.col(f"{TOP}_expected").cast(pl.Float64)))


def action_mix_from_events(members: pl.DataFrame, accounts: pl.DataFrame, events: pl.DataFrame | None) -> pl.DataFrame:
    """:func:`action_mix` straight from an events table on the driver (no engine's codes)."""
    if events is None or events.height == 0 or members.height == 0:
        return action_mix(members, accounts, *empty_summary())
    index = AccountIndex.of(accounts["account_id"])
    actions = sorted(events["action"].unique().to_list())  # codes in name order, as encoding.py
    act = events["action"].cast(pl.Enum(actions)).to_physical().to_numpy()
    counts, actions = account_action_counts(index.codes(events["account_id"]), act, len(index), actions)
    return action_mix(members, accounts, *account_shares_summary(counts, actions, accounts, index, members))

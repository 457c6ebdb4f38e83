"""Attribution signals: the account an account names once, read from the events as an identifier.

Some actions name another account of the dataset as their target, and most accounts do them
towards one account only: a sign-up through an invite code or a referral link names its
referrer, whatever the dataset calls the action (``invite_redeem``, ``referral_signup``,
``referral_redeem``). Referral farms and bonus rings are chains and trees of such
attributions (each new account redeems a code of an earlier one), while their phones come from
SMS-activation pools and their IPs from proxies that strangers share too: measured on three
independently built marketplaces, the referral components held one farm each (the eleventh's
six bonus rings of 36-72 exactly), where the rings' shared identifiers tied them to each other.

Each such attribution becomes a signal row of kind ``referred_by``: the account and the account
it names share the value (the named account's id), so the identity stage links them as it links
accounts sharing any identifier, its strength falling with the number of accounts on the value
(an influencer whose code hundreds used is a hub and links nobody; ``IdentityConfig``).

An action is read as an attribution when at least ``min_single_share`` of the accounts doing it
towards accounts do it towards one account only. Following, messaging, tipping, paying and
subscribing name many accounts each (measured on eight marketplaces: 12-73% of their actors
name one account; invites and referrals 98-100%): they are relations, not attributions, and
their graphs percolate through the platform (up to 90% of the accounts in one component).
Nothing depends on the actions' names.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import polars as pl

from syndicate.config import IdentityConfig
from syndicate.encoding import TARGET_HASH_SEED, EncodedEvents
from syndicate.link.codes import AccountIndex
from syndicate.link.identity import IdentityLinks, identity_links

# The signal kind of attributions: a name no identity family claims (features/identity.py
# kind_family), so it takes IdentityConfig.default_strength and counts as "other" evidence.
ATTRIBUTION_KIND = "referred_by"

_SCHEMA = {"account_id": pl.String, "kind": pl.String, "value": pl.String}
# Most of an attribution's actors do it when they sign up (attribution_signals).
SIGNUP_SHARE = 0.5


def attribution_kind(kinds: Collection[str]) -> str:
    """The attributions' signal kind: ``referred_by``, or the first of ``referred_by_events``,
    ``referred_by_events2``, ... that none of the dataset's signal ``kinds`` is named (each
    kind has an edge column of its name: two sources may not share one).

    >>> attribution_kind(["device"]), attribution_kind(["referred_by", "referred_by_events"])
    ('referred_by', 'referred_by_events2')
    """
    taken = set(kinds)
    names = (ATTRIBUTION_KIND, f"{ATTRIBUTION_KIND}_events",
             *(f"{ATTRIBUTION_KIND}_events{i}" for i in range(2, len(taken) + 3)))
    return next(name for name in names if name not in taken)


def weigh_attributions(rows: pl.DataFrame, config: IdentityConfig, index: AccountIndex, hubs: pl.DataFrame
                       ) -> tuple[IdentityLinks | None, pl.DataFrame]:
    """The identity stage's links of the attribution ``rows`` (None without rows) and ``hubs``
    with their hubs added, sorted as the identity stage sorts them (the manifest lists the
    largest first)."""
    if rows.height == 0:
        return None, hubs
    links = identity_links(rows, config=config, index=index)
    hubs = (pl.concat([hubs, links.hubs])
            .sort(["n_accounts", "kind", "value"], descending=[True, False, False]))
    return links, hubs


def with_attributions(signals: pl.DataFrame | None, rows: pl.DataFrame | None) -> pl.DataFrame | None:
    """``signals`` with the attribution ``rows`` after them (columns the rows lack are null),
    for the stages that count shared values: the cluster features and the cases."""
    if rows is None or rows.is_empty():
        return signals
    return rows if signals is None else pl.concat([signals, rows], how="diagonal_relaxed")


def member_attributions(events: pl.DataFrame, member_ids: pl.Series, *, actions: Collection[str],
                        kind: str) -> pl.DataFrame:
    """The attribution rows (``account_id, kind, value``) of ``member_ids`` among ``events``
    whose action is one of ``actions`` (those the run read as attributions: its manifest's
    ``link.attribution``), for an investigator's case: what :func:`attribution_signals` gave
    these accounts.

    >>> from datetime import datetime
    >>> ev = pl.DataFrame({"account_id": ["b", "c", "x"], "action": ["invite"] * 3, "target_id": ["a", "b", "y"],
    ...                    "ts": [datetime(2025, 1, 1)] * 3})
    >>> member_attributions(ev, pl.Series(["a", "b", "c"]), actions=["invite"], kind="referred_by").rows()
    [('a', 'referred_by', 'a'), ('b', 'referred_by', 'a'), ('b', 'referred_by', 'b'), ('c', 'referred_by', 'b')]
    """
    ids = member_ids.cast(pl.String).implode()
    named = events.filter(pl.col("action").is_in(list(actions)) & (pl.col("account_id") != pl.col("target_id"))
                          & (pl.col("account_id").is_in(ids) | pl.col("target_id").is_in(ids)))
    rows = pl.concat([named.select("account_id", value="target_id"),
                      named.select(account_id="target_id", value="target_id")])
    return (rows.filter(pl.col("account_id").is_in(ids)).unique().sort("account_id", "value")
            .select("account_id", pl.lit(kind).alias("kind"), "value"))


def attribution_signals(encoded: EncodedEvents, index: AccountIndex, *, min_single_share: float,
                        created_us: np.ndarray, signup_days: float = 1.0,
                        kind: str = ATTRIBUTION_KIND, target_account: np.ndarray | None = None
                        ) -> tuple[pl.DataFrame, dict]:
    """Signal rows (``account_id, kind, value``; ``kind`` as given) of the attributions in
    ``encoded`` (the events' integer codes, accounts coded by ``index``), and what was read (the
    actions kept, with their actors, the share naming one account and the share doing it at
    sign-up, for the manifest).

    An action is read when at least ``min_single_share`` of its actors name one account only,
    and at least half of them first do it within ``signup_days`` of their account's creation
    (``created_us``: each account code's ``created_at`` in µs, NaN where unknown): one is
    invited or referred once, when one signs up; a report, an unmatch or a block of another
    account is also done to one account by most who ever do it, at any time (a dating app's
    reports: a quarter of the reporters within a day of sign-up; invites and referrals of three
    marketplaces: 99-100%). Targets are matched to account ids by the encoding's 64-bit target
    hashes (odds of a false match ~ n_targets * n_accounts / 2^64); ``target_account``:
    :func:`target_accounts`, when the caller has it.

    >>> from syndicate.encoding import encode_events
    >>> from datetime import datetime
    >>> ev = pl.DataFrame({"account_id": ["b", "c", "d", "a", "a"], "action": ["invite"] * 3 + ["like"] * 2,
    ...                    "target_id": ["a", "b", "b", "c", "d"], "ts": [datetime(2025, 1, 1)] * 5})
    >>> index = AccountIndex.of(pl.Series(["a", "b", "c", "d"]))
    >>> created = np.full(4, datetime(2025, 1, 1).timestamp() * 1e6)
    >>> rows, info = attribution_signals(encode_events(ev, index.ids), index, min_single_share=0.9,
    ...                                  created_us=created)
    >>> rows.sort("account_id", "value").rows()
    [('a', 'referred_by', 'a'), ('b', 'referred_by', 'a'), ('b', 'referred_by', 'b'), ('c', 'referred_by', 'b'), ('d', 'referred_by', 'b')]
    >>> info["actions"], info["kind"]
    ({'invite': {'accounts': 3, 'single_share': 1.0, 'signup_share': 1.0}}, 'referred_by')
    """
    info: dict = {"actions": {}, "kind": kind}
    if target_account is None:
        target_account = target_accounts(encoded, index)
    if not (target_account >= 0).any() or encoded.t is None:
        return pl.DataFrame(schema=_SCHEMA), info
    named = target_account[encoded.tgt]
    row = (named >= 0) & (named != encoded.acc)
    pairs = (pl.DataFrame({"act": encoded.act[row].astype(np.int32), "acc": encoded.acc[row].astype(np.int64),
                           "named": named[row].astype(np.int64), "t": encoded.t[row]})
             .group_by("act", "acc", "named").agg(pl.col("t").min()))
    del named, row
    per_actor = pairs.group_by("act", "acc").agg(pl.len().alias("n"), pl.col("t").min())
    delay_s = (per_actor["t"].cast(pl.Float64) - pl.Series(created_us[per_actor["acc"].to_numpy()])) / 1e6
    per_actor = per_actor.with_columns((delay_s <= signup_days * 86_400).fill_null(False).alias("signup"))
    actions = (per_actor.group_by("act")
               .agg(pl.len().alias("accounts"), (pl.col("n") == 1).mean().alias("single_share"),
                    pl.col("signup").mean().alias("signup_share"))
               .sort("act"))
    kept = actions.filter((pl.col("single_share") >= min_single_share) & (pl.col("signup_share") >= SIGNUP_SHARE))
    for act, accounts, share, signup in kept.iter_rows():
        info["actions"][encoded.actions[act]] = {"accounts": accounts, "single_share": round(share, 3),
                                                 "signup_share": round(signup, 3)}
    if kept.is_empty():
        return pl.DataFrame(schema=_SCHEMA), info
    pairs = pairs.filter(pl.col("act").is_in(kept["act"].implode()))
    codes = (pl.concat([pairs.select("acc", "named"), pairs.select(pl.col("named").alias("acc"), "named")])
             .unique().sort("acc", "named"))
    rows = pl.DataFrame({"account_id": index.gather(codes["acc"]), "kind": kind,
                         "value": index.gather(codes["named"])})
    info["rows"] = rows.height
    return rows, info


def created_micros(accounts: pl.DataFrame, index: AccountIndex) -> np.ndarray:
    """Each account code's ``created_at`` in µs since the epoch (float; NaN where null)."""
    out = np.full(len(index), np.nan)
    created = accounts["created_at"].dt.epoch("us").cast(pl.Float64).fill_null(np.nan).to_numpy()
    out[index.codes(accounts["account_id"])] = created
    return out


def target_accounts(encoded: EncodedEvents, index: AccountIndex) -> np.ndarray:
    """The account code each target code of ``encoded`` stands for (-1 where the target is no
    account id): the attributions' targets, and the targets the review-ring detector leaves to
    them (``LockstepConfig.rare_account_targets``)."""
    account_hash = index.ids.hash(seed=TARGET_HASH_SEED).to_numpy()
    order = np.argsort(encoded.target_hash, kind="stable")
    sorted_hash = encoded.target_hash[order]
    at = np.minimum(np.searchsorted(sorted_hash, account_hash), len(sorted_hash) - 1)
    hit = sorted_hash[at] == account_hash if len(sorted_hash) else np.zeros(len(account_hash), dtype=bool)
    # int32 codes: the callers gather them per event row (21M rows: 84 MB, not 168).
    out = np.full(encoded.n_targets, -1, dtype=np.int32)
    out[order[at[hit]]] = np.flatnonzero(hit)
    return out

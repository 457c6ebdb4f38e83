"""Rare co-action: groups that act on the same rare targets within the same days.

A review ring (a handful to a few dozen accounts, each writing a few reviews) puts several of
its members on each of its products within a few days — not seconds, so no lockstep bucket
holds them, and two members share only one to three products, so no pair stands out. What
gives the ring away is rarity: a product reviewed by five accounts in two days, four of them
the ring's, is a small *cell* (one target, one action, one day-scale window) where the ring
keeps meeting.

1. **Cells.** Events are cut into cells of (target, action, window of ``window_days``) in two
   phases half a window apart, so that two events less than half a window apart always share
   one. A cell of ``n`` accounts (2 ≤ n ≤ ``max_cell_accounts``) gives each pair of them
   ``1 / (n - 1)`` (an account's unit of evidence spread over its cell mates: a product few
   accounts touched in those days says much, a popular one nothing); a pair's weight sums its
   distinct (target, action) cells.
2. **Gather.** Seeded Leiden (constant Potts model, as the co-action stage) over that weighted
   graph, each account keeping its strongest links, at ``density_ratio`` times the graph's
   mean density; members with fewer than two co-occurrences inside their community are
   peeled off (a 2-core).
3. **Test.** Leiden groups accounts that met once; a ring meets again and again. A community
   C of size s has K co-occurrences (pairs x shared cells) inside it, of which s - 1 are
   enough to connect it (what selection by the data alone gives). The rest, the *excess*
   ``K - s + 1``, must be at least ``min_excess`` and ``min_lift`` times what the members'
   activity predicts: ``E = S2 / M**2 * sum_{a<b in C} d_a d_b`` with ``d`` an account's
   cell memberships, ``M`` all memberships and ``S2 = sum n (n - 1)`` over small cells (two
   random memberships landing in one small cell). Heavy users meet often by chance and are
   judged by it; light accounts meeting on rare products again and again are not chance.

Counting is numpy sorts of packed int64 keys (cells, then pair rows), no group-by; Leiden
sees only each account's strongest links. Cost at 100k accounts / 2.1M events on a busy
2-core machine: about 3.6 s of CPU, two thirds of it building and running Leiden over
~520k kept links (the polars group-by version took 7–28 s).

Only generic columns are read (``account_id, action, target_id, ts``). Output: the groups
(account codes) and links between members of a group who shared a cell.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.cluster.community import leiden_cpm
from syndicate.sorted_runs import bit_width, new_run, pairs_within_runs, run_starts

# Links each account keeps for Leiden (its strongest): enough to hold a ring of dozens
# together; Leiden's cost is in edges (heavy users bring thousands of chance links).
_KEEP_PER_ACCOUNT = 10
_KEY_SEED = 0x5EED_2A2E
_MAX_PEEL_ROUNDS = 50



def rare_coaction(account: np.ndarray, target: pl.Series, action: pl.Series, ts: pl.Series, *,
                  n_accounts: int, window_days: float = 2.0, max_cell_accounts: int = 20,
                  density_ratio: float = 10.0, min_excess: int = 8, min_lift: float = 200.0,
                  seed: int = 0) -> tuple[pl.DataFrame, dict]:
    """Groups that keep meeting on rare targets within days (see the module docstring).

    Parameters
    ----------
    account : int64 array of account codes (0 .. n_accounts - 1), one per event.
    target, action, ts : the events' ``target_id``, ``action`` and ``ts`` columns.
    n_accounts : number of account codes.

    Returns
    -------
    (DataFrame, dict)
        ``account, group, excess`` (codes; ``group`` numbered from 0 in order of the smallest
        member code) and what was counted.
    """
    empty = pl.DataFrame(schema={"account": pl.Int64, "group": pl.Int64, "excess": pl.Int64})
    info = {"cells": 0, "pairs": 0, "communities": 0, "groups": 0, "accounts": 0}
    if len(account) == 0:
        return empty, info
    counts = _pair_counts(np.asarray(account, dtype=np.int64), _key_codes(target, action),
                          ts.dt.epoch("s").to_numpy(), n_accounts=n_accounts,
                          width=max(int(window_days * 86_400), 1), max_cell_accounts=max_cell_accounts)
    if counts is None:
        return empty, info
    x, y, w, k, activity, n_memberships, s2, info["cells"] = counts
    info["pairs"] = len(x)
    label = _gather(x, y, w, n_accounts, density_ratio=density_ratio, seed=seed)
    info["communities"] = int(np.unique(label[label >= 0]).size)
    # Only pairs inside a community count from here on.
    inside = (label[x] >= 0) & (label[x] == label[y])
    x, y, k = x[inside], y[inside], k[inside]
    label = _peel(x, y, k, label)
    inside = (label[x] >= 0) & (label[x] == label[y])
    n_comm = int(label.max()) + 1 if (label >= 0).any() else 0
    if n_comm == 0:
        return empty, info
    lab = label[label >= 0]
    group_size = np.bincount(lab, minlength=n_comm)
    co = np.bincount(label[x[inside]], weights=k[inside], minlength=n_comm)
    d = activity[label >= 0]
    sum_d = np.bincount(lab, weights=d, minlength=n_comm)
    sum_d2 = np.bincount(lab, weights=d * d, minlength=n_comm)
    expected = s2 / float(n_memberships) ** 2 * (sum_d ** 2 - sum_d2) / 2
    excess = co - group_size + 1
    passing = (group_size >= 3) & (excess >= min_excess) & (excess >= min_lift * np.maximum(expected, 1e-300))
    accounts = np.flatnonzero(label >= 0)
    accounts = accounts[passing[label[accounts]]]
    if len(accounts) == 0:
        return empty, info
    # Group numbers in order of each group's smallest member (deterministic, seed-independent).
    comm = label[accounts]
    _, first_seen = np.unique(comm, return_index=True)
    order = np.argsort(accounts[first_seen], kind="stable")
    renumber = np.empty(n_comm, dtype=np.int64)
    renumber[np.unique(comm)[order]] = np.arange(len(order))
    info["groups"], info["accounts"] = len(order), len(accounts)
    return pl.DataFrame({"account": accounts, "group": renumber[comm],
                         "excess": excess[comm].astype(np.int64)}), info


def _key_codes(target: pl.Series, action: pl.Series) -> np.ndarray:
    """Exact integer code of every event's (target, action), actions compared trimmed and
    case-insensitively: the rank of a seeded 64-bit hash of both among the distinct hashes
    (polars' hash table; no sort of every row). Two pairs sharing a 64-bit hash would count as
    one target (odds about n² / 2⁶⁵)."""
    action = action.cast(pl.String)
    # Actions are few: normalise the distinct names, then find each event's by binary search.
    names = action.unique()
    name_hash = names.hash(_KEY_SEED + 1).to_numpy()
    order = np.argsort(name_hash)
    normalised = names.str.strip_chars().str.to_lowercase().hash(_KEY_SEED + 2).to_numpy()[order]
    event_action = normalised[np.searchsorted(name_hash[order], action.hash(_KEY_SEED + 1).to_numpy())]
    hashes = target.cast(pl.String).hash(_KEY_SEED) ^ pl.Series(event_action)
    distinct = hashes.unique().sort()
    lookup = pl.DataFrame({"h": distinct, "code": np.arange(len(distinct), dtype=np.int64)})
    return pl.DataFrame({"h": hashes}).join(lookup, on="h", how="left", maintain_order="left")["code"].to_numpy()


def _pair_counts(account: np.ndarray, key: np.ndarray, sec: np.ndarray, *, n_accounts: int, width: int,
                 max_cell_accounts: int) -> tuple | None:
    """Pairs ``x < y`` (sorted) of accounts sharing a small cell, their weight ``w`` (sum over
    distinct target-actions of ``1 / (n - 1)``, n the smallest cell they shared there) and
    count ``k`` of distinct target-actions; each account's cell memberships, all memberships,
    ``S2`` and the number of small cells. Sorts of packed int64 keys, no group-by."""
    first = int(sec.min())
    bucket_bits = bit_width((int(sec.max()) - first) // max(width // 2, 1) + 2)
    account_bits = bit_width(max(n_accounts - 1, 1))
    if bit_width(int(key.max())) + 1 + bucket_bits + account_bits > 63:
        raise ValueError("rare co-action keys need more than 63 bits: split the events table by time")
    n = len(key)
    packed = np.empty(2 * n, dtype=np.int64)
    head = key << (1 + bucket_bits + account_bits)
    for phase in (0, 1):
        bucket = (sec - first + phase * (width // 2)) // width
        packed[phase * n:(phase + 1) * n] = head | (phase << (bucket_bits + account_bits)) | (bucket << account_bits) | account
    del head, bucket
    packed.sort()
    packed = packed[new_run(packed)]
    account_mask = (1 << account_bits) - 1
    activity = np.bincount(packed & account_mask, minlength=n_accounts).astype(np.float64)
    n_memberships = len(packed)
    starts = run_starts(packed >> account_bits)
    sizes = np.diff(np.r_[starts, len(packed)])
    small_cell = (sizes >= 2) & (sizes <= max_cell_accounts)
    s2 = float((sizes[small_cell].astype(np.float64) * (sizes[small_cell] - 1)).sum())
    size = np.repeat(sizes, sizes)
    small = (size >= 2) & (size <= max_cell_accounts)
    packed, size = packed[small], size[small]
    if len(packed) == 0:
        return None
    src, dst = pairs_within_runs(packed >> account_bits)  # rows sorted by (cell, account)
    # One value per pair row: (pair, target-action, cell size). The target-action keeps the
    # bits left over: beyond them two target-actions of one pair may count as one (a pair of
    # codes congruent modulo 2**key_room: never for keys < 2**key_room, odds 2**-key_room
    # otherwise), which can only lower a pair's count.
    size_bits = bit_width(max_cell_accounts)
    key_room = 63 - 2 * account_bits - size_bits
    if key_room < 8:
        raise ValueError("rare co-action pairs need more than 63 bits: too many accounts")
    member = packed & account_mask
    row = (member[src] << account_bits) | member[dst]
    row = (row << key_room) | ((packed[src] >> (1 + bucket_bits + account_bits)) & ((1 << key_room) - 1))
    row = (row << size_bits) | size[src]
    del src, dst, member, packed, size
    row.sort()
    # Both phases and other days may hold the same pair on the same target-action: one each,
    # its smallest cell (first in the sort).
    row = row[new_run(row >> size_bits)]
    weight = 1.0 / ((row & ((1 << size_bits) - 1)) - 1)
    pair = row >> (key_room + size_bits)
    del row
    pair_starts = run_starts(pair)
    k = np.diff(np.r_[pair_starts, len(pair)])
    w = np.add.reduceat(weight, pair_starts)
    pair = pair[pair_starts]
    return (pair >> account_bits, pair & account_mask, w, k, activity, n_memberships, s2,
            int(small_cell.sum()))


def group_links(groups: pl.DataFrame, account: np.ndarray, target: pl.Series, action: pl.Series,
                ts: pl.Series, *, window_days: float, strength: float) -> pl.DataFrame:
    """``account_a < account_b`` (codes), ``rare_coaction`` (``strength``) and
    ``rare_coaction_targets``: pairs of one group who met in a cell (same target and action
    within ``window_days``)."""
    code_group = dict(zip(groups["account"].to_list(), groups["group"].to_list()))
    in_group = np.isin(account, groups["account"].to_numpy())
    ev = pl.DataFrame({"a": account[in_group], "t": target.filter(pl.Series(in_group)),
                       "act": action.filter(pl.Series(in_group)),
                       "s": ts.filter(pl.Series(in_group)).dt.epoch("s")})
    ev = ev.with_columns(g=pl.col("a").replace_strict(code_group, return_dtype=pl.Int64))
    width = max(int(window_days * 86_400), 1)
    cells = pl.concat([ev.select("a", "t", "act", "g", b=(pl.col("s") + p * (width // 2)) // width, ph=pl.lit(p))
                       for p in (0, 1)]).unique()
    pairs = (cells.join(cells, on=["t", "act", "g", "b", "ph"], suffix="_b").filter(pl.col("a") < pl.col("a_b"))
             .select("a", "a_b", "t", "act").unique()
             .group_by("a", "a_b").agg(pl.len().cast(pl.UInt32).alias("rare_coaction_targets"))
             .sort("a", "a_b"))
    return pairs.select(pl.col("a").cast(pl.UInt32).alias("account_a"), pl.col("a_b").cast(pl.UInt32).alias("account_b"),
                        pl.lit(strength, dtype=pl.Float32).alias("rare_coaction"), "rare_coaction_targets")


def _gather(x: np.ndarray, y: np.ndarray, w: np.ndarray, n: int, *, density_ratio: float, seed: int) -> np.ndarray:
    """Leiden (CPM) community of every account code (-1 without any pair)."""
    from syndicate.cluster.coaction import _strongest_links

    nodes = np.flatnonzero(np.bincount(np.r_[x, y], minlength=n))
    local = np.full(n, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    lx, ly = local[x], local[y]
    n_active = len(nodes)
    bar = density_ratio * float(w.sum()) / max(n_active * (n_active - 1) / 2, 1.0)
    keep = _strongest_links(lx, ly, w, n_active, _KEEP_PER_ACCOUNT)
    labels = leiden_cpm(lx[keep], ly[keep], w[keep], np.ones(n_active), resolution=bar, seed=seed)
    size = np.bincount(labels)
    label = np.full(n, -1, dtype=np.int64)
    label[nodes] = np.where(size[labels] >= 3, labels, -1)
    return label


def _peel(x: np.ndarray, y: np.ndarray, k: np.ndarray, label: np.ndarray) -> np.ndarray:
    """Remove, round after round, members with fewer than two co-occurrences inside their
    community (a 2-core): an account that met the group once is not shown to belong to it."""
    label = label.copy()
    n = len(label)
    for _ in range(_MAX_PEEL_ROUNDS):
        inside = (label[x] >= 0) & (label[x] == label[y])
        degree = (np.bincount(x[inside], weights=k[inside], minlength=n)
                  + np.bincount(y[inside], weights=k[inside], minlength=n))
        weak = (label >= 0) & (degree < 2)
        if not weak.any():
            break
        label[weak] = -1
    return label

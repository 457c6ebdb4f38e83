"""Co-action groups: coordination that no single pair reveals.

A farm that rotates its workers (each job uses a tenth to a third of them) and jitters their
timing leaves every pair of workers only two or three shared jobs — too few to bind any pair —
while the farm as a whole hits dozens of targets with many of its members in the same few
minutes. This stage finds such groups in two steps:

1. **Gather.** Weak links are kept, not cut: every edge of the link stage (weak co-action
   pairs, proxy IPs shared by a few dozen accounts, ...) among accounts that co-act with
   anyone forms a weighted graph (strong components contracted to weighted nodes), and seeded
   Leiden with the constant Potts model (igraph) gathers densely linked groups; crews of one
   farm that Leiden separates are merged back when their bursts keep mixing them.
2. **Test at group level.** A burst (one target, one time bucket) is a *group burst* of a
   community C when at least ``coaction_min_members`` of C's members are in it AND that is at
   least ``coaction_min_lift`` times what C's share of all burst memberships predicts
   (``burst size * memberships(C) / memberships(all)``). Fans of a creator or heavy users on
   viral content are over-represented a little; a farm's job is over-represented hundreds of
   times. A community is a co-action group when its group bursts cover at least
   ``coaction_min_targets`` distinct targets (one viral moment is not a syndicate); members
   that joined none of its group bursts are trimmed away.

   Weak links gather more than one crew: proxy IPs that households, a giveaway's entrants or
   a hijacked botnet also use tie them to a farm. So before the test a community is cut into
   the parts its group bursts bind (members who were in one group burst together are joined,
   the rest not): crews that never act in one burst become communities of their own, each
   tested alone (the merge above still joins the fragments Leiden cut out of one crew: their
   jobs keep mixing them).

This is the CopyCatch / dense-block idea (many accounts x many targets x one time window)
made cheap: Leiden proposes the blocks, the burst table checks them, both linear in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from syndicate.cluster.community import leiden_cpm
from syndicate.config import ClusterConfig
from syndicate.link.lockstep import _GOLDEN
from syndicate.sorted_runs import marked, new_run, pairs_within_runs, run_starts

# Links kept per account for Leiden (its strongest): enough to hold any group together.
_KEEP_PER_ACCOUNT = 20
# A burst where more communities than this are over-represented is a crowd, not a crew's job:
# it merges nothing.
_MAX_MIX = 30
# Two communities merge when they co-act on at least this share of the smaller one's targets.
_MERGE_OVERLAP = 0.5
# A sparse crew a quarter or more of whose members are in weak-link groups is one of those
# groups found again: it adds nobody. (Letting it add its other members to that group took
# twelve top-K places net on the 20k sweep: fans and households grew into co-viewers.)
_SPARSE_MAX_GROUPED = 0.25
EMPTY = {"account_id": pl.String, "group": pl.String, "group_targets": pl.UInt32}


def coaction_groups(edges: pl.DataFrame, bursts: pl.DataFrame, account_ids: pl.Series, *,
                    config: ClusterConfig, seed: int = 0, totals: dict[str, int] | None = None) -> pl.DataFrame:
    """Groups of accounts that co-act as a group (see the module docstring).

    Parameters
    ----------
    edges : DataFrame
        ``account_a, account_b, weight, lockstep_bursts`` (the link stage's combined edges,
        weak ones included).
    bursts : DataFrame
        ``burst, target, account`` (Int64 codes) from :func:`syndicate.link.lockstep.lockstep_links`.
    account_ids : Series
        Id of each account code in ``bursts``.
    config : ClusterConfig
    seed : int
        Leiden's seed.
    totals : dict, optional
        ``memberships`` and ``accounts`` of ALL bursts when ``bursts`` holds only the rows of
        some accounts (an engine that keeps the full table elsewhere, e.g. Spark); ``bursts``
        then carries each row's burst ``size``. Default: counted from ``bursts``.

    Returns
    -------
    DataFrame
        ``account_id, group, group_targets`` — ``group`` named ``"c<n>"`` in order of each
        group's smallest account id; ``group_targets`` the group's distinct targets hit in
        group bursts.
    """
    if bursts is None or bursts.height == 0:
        return pl.DataFrame(schema=EMPTY)
    n_codes = len(account_ids)
    # The share's denominator: all burst memberships (``bursts`` may hold only some rows).
    n_memberships = totals["memberships"] if totals else bursts.height
    members, targets = _weak_link_groups(edges, bursts, n_codes, account_ids, config=config, seed=seed,
                                         totals=totals, n_memberships=n_memberships)
    # Sparse crews need every small burst's rows: an engine that keeps only some accounts'
    # rows here (Spark) does not look for them.
    if config.coaction_sparse and totals is None:
        members, targets = _with_sparse_crews(_BurstLayout.of(bursts), members, targets, n_codes, config=config,
                                              seed=seed, n_memberships=n_memberships)
    if members.height == 0:
        return pl.DataFrame(schema=EMPTY)
    out = (
        members.with_columns(account_id=account_ids.gather(members["account"]))
        .join(targets, on="community")
        .select("account_id", "community", "group_targets")
    )
    sizes = out.group_by("community").agg(pl.len().alias("n"), pl.col("account_id").min().alias("first"))
    sizes = sizes.filter(pl.col("n") >= config.min_cluster_size).sort("first")
    names = sizes.with_columns((pl.lit("c") + pl.int_range(pl.len()).cast(pl.String)).alias("group"))
    return (out.join(names.select("community", "group"), on="community")
            .select("account_id", "group", pl.col("group_targets").cast(pl.UInt32))
            .sort("account_id"))


_NO_GROUPS = (pl.DataFrame(schema={"account": pl.Int64, "community": pl.Int64}),
              pl.DataFrame(schema={"community": pl.Int64, "group_targets": pl.UInt32}))


def _weak_link_groups(edges: pl.DataFrame, bursts: pl.DataFrame, n_codes: int, account_ids: pl.Series, *,
                      config: ClusterConfig, seed: int, totals: dict[str, int] | None,
                      n_memberships: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Step 1 and 2 of the module docstring over the link stage's weak links: members
    (``account, community``) and each passing community's ``group_targets``."""
    if edges.height == 0 or "lockstep_bursts" not in edges.columns:
        return _NO_GROUPS
    a, b, known = _edge_codes(edges, account_ids)
    n_bursting = (totals["accounts"] if totals else
                  int(np.count_nonzero(np.bincount(bursts["account"].to_numpy(), minlength=n_codes))))
    co = edges["lockstep_bursts"].to_numpy() > 0
    weight = edges["weight"].to_numpy()
    weak = weight > 0
    if known is not None:
        co &= known
        weak &= known
    is_active = marked(n_codes, a[co], b[co])
    del co
    # In place over the whole table: no per-edge copies of the codes (13M edges at 1M accounts).
    weak &= is_active[a]
    weak &= is_active[b]
    if not weak.any():
        return _NO_GROUPS
    label = _labels(is_active, a[weak], b[weak], weight[weak], n_bursting=n_bursting, config=config, seed=seed)
    # The group tests read the labelled rows only (half of them at 1M accounts), and merging
    # keeps who is labelled: keep those rows once, with the share's denominator of all rows.
    # (Made after Leiden: the full layout, 8M rows at 1M accounts, is not held through it.)
    layout = _BurstLayout.of(bursts).labelled(label)
    label = _split_by_bursts(layout, label, config=config, n_memberships=n_memberships)
    label = _merge_fragments(layout, label, config=config, n_memberships=n_memberships)
    members, targets = _group_bursts(layout, label, config=config, n_memberships=n_memberships)
    return (members, targets) if members.height else _NO_GROUPS


def _target_half(target: np.ndarray) -> np.ndarray:
    """0 or 1 per target code: a multiplicative hash's top bit (deterministic, unrelated to the
    targets' order)."""
    return ((target.astype(np.uint64) * _GOLDEN) >> np.uint64(63)).astype(np.int8)


def _with_sparse_crews(layout: "_BurstLayout", members: pl.DataFrame, targets: pl.DataFrame, n_codes: int, *,
                       config: ClusterConfig, seed: int, n_memberships: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add the sparse crews (``coaction_sparse``) to the weak-link groups.

    For each half of the targets: every pair of accounts met in a burst of at most
    ``coaction_sparse_max_burst`` accounts on that half is a candidate link, weighted by the
    number of such bursts; Leiden (CPM, as :func:`_gather`) gathers them; a community is a crew
    when its group bursts (as in step 2) cover ``coaction_sparse_min_held_out`` distinct targets
    of the OTHER half and ``coaction_min_targets`` over both, and its members are those in one
    of its group bursts. Leiden picks groups that met on the half it saw, so only the held-out
    half tests them without that bias. A crew found on both halves is one crew (joined by its
    shared members). A crew a quarter or more of whose members a weak-link group holds is
    that group found again and adds nobody; the others are new groups of their members in no
    group. The held-out test counts group bursts in small bursts only (three members of a big
    burst met on a popular moment); a joined crew's ``group_targets`` and its trimming count all
    its group bursts, as the weak-link groups'. Spark keeps only some accounts' burst rows on
    the driver and does not look for crews."""
    half = _target_half(layout.target)
    small = (layout.size >= 2) & (layout.size <= config.coaction_sparse_max_burst)
    parts = []
    for side in (0, 1):
        label = _gathered_on(layout, small & (half == side), n_codes, config=config, seed=seed)
        if label is None:
            continue
        labelled = layout.labelled(label)
        groups = _community_bursts(labelled, label, n_memberships)
        if groups is None:
            continue
        rows = _group_burst_rows(groups, config)
        # Only small bursts test a crew: three members of a big one meet on a popular moment.
        burst = rows["burst"].to_numpy()
        rows = rows.filter(pl.Series(small[burst])).with_columns(held_out=pl.Series(half[burst[small[burst]]] != side))
        passing = (rows.group_by("community")
                   .agg(pl.col("target").filter("held_out").n_unique().alias("held"),
                        pl.col("target").n_unique().alias("all"))
                   .filter((pl.col("held") >= config.coaction_sparse_min_held_out)
                           & (pl.col("all") >= config.coaction_min_targets)))
        member_rows, _ = _rows_in(labelled, label, rows.join(passing, on="community", how="semi"))
        account = np.unique(labelled.account[member_rows])
        parts.append(pl.DataFrame({"account": account, "crew": label[account] + side * n_codes}))
    if not parts:
        return members, targets
    crews = _joined_crews(pl.concat(parts), n_codes)
    crew_members, crew_targets = _group_bursts(layout.labelled(crews), crews, config=config,
                                               n_memberships=n_memberships)
    if crew_members.height == 0:
        return members, targets
    grouped = marked(n_codes, members["account"].to_numpy()) if members.height else np.zeros(n_codes, dtype=bool)
    crew_members = crew_members.with_columns(grouped=pl.Series(grouped[crew_members["account"].to_numpy()]))
    offset = int(members["community"].max()) + 1 if members.height else 0
    new = (crew_members.filter(pl.col("grouped").mean().over("community") < _SPARSE_MAX_GROUPED)
           .filter(~pl.col("grouped"))
           .filter(pl.len().over("community") >= config.coaction_min_members)
           .select(pl.col("account").cast(pl.Int64), (pl.col("community") + offset).cast(pl.Int64)))
    if new.height == 0:
        return members, targets
    new_targets = crew_targets.select((pl.col("community") + offset).cast(pl.Int64),
                                      pl.col("group_targets").cast(pl.UInt32)).join(new, on="community", how="semi")
    return (pl.concat([members.cast({"account": pl.Int64, "community": pl.Int64}), new]),
            pl.concat([targets.cast({"community": pl.Int64, "group_targets": pl.UInt32}), new_targets]))


def _joined_crews(parts: pl.DataFrame, n_codes: int) -> np.ndarray:
    """Label per account code (-1 outside any crew) from the crews of both halves (``account,
    crew``): two crews that share at least half of the smaller one's members are one (a crew
    found on both halves); a member shared by crews that stay apart (a worker who is also a
    creator's fan) stays in the first of them."""
    crew_ids = parts["crew"].unique().sort()
    parts = parts.with_columns(pl.col("crew").replace_strict(crew_ids, pl.int_range(len(crew_ids), eager=True),
                                                             return_dtype=pl.Int64))
    size = parts.group_by("crew").agg(pl.len().alias("n"))
    shared = (parts.join(parts, on="account", suffix="_b").filter(pl.col("crew") < pl.col("crew_b"))
              .group_by("crew", "crew_b").agg(pl.len().alias("shared"))
              .join(size, on="crew").join(size, left_on="crew_b", right_on="crew", suffix="_b")
              .filter(pl.col("shared") >= _MERGE_OVERLAP * pl.min_horizontal("n", "n_b")))
    n = len(crew_ids)
    graph = sp.coo_matrix((np.ones(shared.height), (shared["crew"].to_numpy(), shared["crew_b"].to_numpy())),
                          shape=(n, n))
    _, joined = connected_components(graph, directed=False)
    first = (parts.with_columns(pl.Series("joined", joined[parts["crew"].to_numpy()]))
             .group_by("account").agg(pl.col("joined").min()))
    label = np.full(n_codes, -1, dtype=np.int64)
    label[first["account"].to_numpy()] = first["joined"].to_numpy()
    return label


def _gathered_on(layout: "_BurstLayout", bursts: np.ndarray, n_codes: int, *, config: ClusterConfig,
                 seed: int) -> np.ndarray | None:
    """Community of each account code (-1 outside any of ``coaction_min_members``) from Leiden
    over the pairs met in the ``bursts`` (a mask over the bursts), or None without pairs."""
    rows = np.flatnonzero(bursts[layout.burst_index])
    i, j = pairs_within_runs(layout.burst_index[rows])
    if len(i) == 0:
        return None
    a, b = layout.account[rows[i]], layout.account[rows[j]]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = np.sort(lo * n_codes + hi)
    start = run_starts(key)
    count = np.diff(np.append(start, len(key))).astype(np.float64)
    x, y = np.divmod(key[start], n_codes)
    is_active = marked(n_codes, x, y)
    # Weights in (0, 1], as _gather ranks an account's strongest links on that scale (the CPM
    # bar is relative to the mean weight: the same partition as of the counts).
    count /= count.max()
    return _labels(is_active, x, y, count, n_bursting=int(is_active.sum()), config=config, seed=seed)


def _labels(is_active: np.ndarray, a: np.ndarray, b: np.ndarray, w: np.ndarray, *, n_bursting: int,
            config: ClusterConfig, seed: int) -> np.ndarray:
    """Community label per account code (-1 outside any community of at least
    ``coaction_min_members``): :func:`_gather` over the links ``a``-``b`` (account codes) among
    the ``is_active`` accounts."""
    active = np.flatnonzero(is_active)  # codes follow the ids' order: sorted by id
    local = np.cumsum(is_active) - 1
    community = _gather(local[a], local[b], w, len(active), n_bursting=n_bursting, config=config, seed=seed)
    label = np.full(len(is_active), -1, dtype=np.int64)
    label[active] = community
    return label


def _edge_codes(edges: pl.DataFrame, account_ids: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Codes (positions in ``account_ids``) of both ends of every edge, and a mask of the edges
    whose two ends both have one (None: all have). Edges keyed by codes already (the
    pipeline's) pass through as they are (no int64 copies of 13M codes at 1M accounts)."""
    if edges.schema["account_a"].is_integer():
        return edges["account_a"].to_numpy(), edges["account_b"].to_numpy(), None
    ids = pl.DataFrame({"id": account_ids, "code": np.arange(len(account_ids), dtype=np.int64)})
    coded = (edges.select("account_a", "account_b")
             .join(ids.rename({"id": "account_a", "code": "a"}), on="account_a", how="left", maintain_order="left")
             .join(ids.rename({"id": "account_b", "code": "b"}), on="account_b", how="left", maintain_order="left"))
    known = (coded["a"].is_not_null() & coded["b"].is_not_null()).to_numpy()
    return coded["a"].fill_null(0).to_numpy(), coded["b"].fill_null(0).to_numpy(), known


def _gather(x: np.ndarray, y: np.ndarray, w: np.ndarray, n_active: int, *, n_bursting: int,
            config: ClusterConfig, seed: int) -> np.ndarray:
    """Community of each of the ``n_active`` co-acting accounts (-1 outside a community of at
    least ``coaction_min_members``), from Leiden (CPM) over their weak graph (``x < y`` local
    codes in id order, sorted), each account keeping its ``_KEEP_PER_ACCOUNT`` strongest links.

    The constant Potts model keeps groups whose mean internal link weight is
    ``coaction_density_ratio`` times the mean over all pairs of the ``n_bursting`` accounts
    that act in bursts with anyone: a bar relative to the data (modularity would split a farm
    that dominates a small graph and merge small farms in a large one — its resolution limit).
    """
    bar = config.coaction_density_ratio * float(pl.Series(w).sum()) / max(n_bursting * (n_bursting - 1) / 2, 1.0)
    # Each account keeps its strongest links only: a dense farm of 300 brings 45,000 edges,
    # of which a few per member already hold it together, and Leiden's cost is in edges.
    keep = _strongest_links(x, y, w, n_active, _KEEP_PER_ACCOUNT)
    labels = leiden_cpm(x[keep], y[keep], w[keep], np.ones(n_active), resolution=bar, seed=seed)
    size = np.bincount(labels)
    return np.where(size[labels] >= config.coaction_min_members, labels, -1)


def _strongest_links(x: np.ndarray, y: np.ndarray, w: np.ndarray, n: int, k: int) -> np.ndarray:
    """Mask of the edges (x < y, sorted by (x, y)) that are among the ``k`` strongest of x or
    of y (ties to the smaller neighbour): each account keeps its strongest links."""
    m = len(x)
    node_bits, weight_bits, edge_bits = max(int(n - 1).bit_length(), 1), 20, max(int(m - 1).bit_length(), 1)
    if 2 * node_bits + weight_bits > 63:
        order = np.lexsort((np.r_[y, x], -np.r_[w, w], np.r_[x, y]))
        return _keep_ranked(order, np.r_[x, y][order], m, n, k)
    # One packed int64 key per edge end (node, descending quantised weight, tie-breaker): a
    # single sort instead of a three-key lexsort.
    rank_w = np.clip(w, 0, 1)  # in place from here: no full-size temporaries
    np.subtract(1.0, rank_w, out=rank_w)
    rank_w *= (1 << weight_bits) - 1
    rank_w = rank_w.astype(np.int64)
    x64, y64 = np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64)
    key = np.empty(2 * m, dtype=np.int64)
    if node_bits + weight_bits + edge_bits <= 63 and _strictly_ordered(x64, y64, node_bits):
        # Edges in strict (x, y) order with x < y: a node's ends in neighbour order are its
        # ends in edge order (its edges to smaller nodes come first, in the order of those),
        # so the edge index breaks ties and the sorted keys name the kept edges. Sorting the
        # keys themselves (numpy's vectorised sort: 0.15 s for 10M keys) replaces an arg_sort,
        # gathers and the look-up of the edges of the kept ends (1-2 s).
        edge = np.arange(m, dtype=np.int64)
        for ends, node in ((key[:m], x64), (key[m:], y64)):
            np.left_shift(node, weight_bits, out=ends)
            ends |= rank_w
            ends <<= edge_bits
            ends |= edge
        del x64, y64, rank_w, edge
        key.sort()
        node = key >> (weight_bits + edge_bits)
        first = np.searchsorted(node, np.arange(n))
        rank = np.arange(2 * m)
        rank -= first[node]
        del node
        kept = key[rank < k]
        del key, rank
        keep = np.zeros(m, dtype=bool)
        keep[kept & ((1 << edge_bits) - 1)] = True
        return keep
    # Otherwise the neighbour breaks ties and each end's edge is its position modulo m: keys
    # are distinct (one per edge end), so any sort gives this order; polars' runs on both
    # cores (1.9 s for 25M keys, numpy's argsort 3.9 s).
    key[:m] = (((x64 << weight_bits) | rank_w) << node_bits) | y64
    key[m:] = (((y64 << weight_bits) | rank_w) << node_bits) | x64
    del x64, y64, rank_w
    order = pl.Series(key).arg_sort().to_numpy()
    return _keep_ranked(order, key[order] >> (weight_bits + node_bits), m, n, k)


def _strictly_ordered(x: np.ndarray, y: np.ndarray, node_bits: int) -> bool:
    """Whether every edge has x < y and the edges are sorted by (x, y) without repeats."""
    if not (x < y).all():
        return False
    pair = (x << node_bits) | y
    return bool((pair[1:] > pair[:-1]).all())


def _keep_ranked(order: np.ndarray, node_sorted: np.ndarray, m: int, n: int, k: int) -> np.ndarray:
    """Mask of the edges of the ends ranked below ``k`` among their node's ends: ``order``
    indexes both ends (``< m`` the x end, else the y end of edge ``- m``) in rank order per
    node, ``node_sorted`` is the node of each."""
    start = np.searchsorted(node_sorted, np.arange(n))
    rank = np.arange(2 * m) - start[node_sorted]
    del node_sorted
    keep = np.zeros(m, dtype=bool)
    kept = order[rank < k]
    keep[np.where(kept >= m, kept - m, kept)] = True
    return keep


@dataclass(frozen=True)
class _BurstLayout:
    """The burst memberships as arrays, with what the group tests read of them whatever the
    labels: each row's burst index, and each burst's target and size."""

    account: np.ndarray
    burst_index: np.ndarray
    target: np.ndarray  # per burst
    size: np.ndarray  # per burst

    @classmethod
    def of(cls, bursts: pl.DataFrame) -> "_BurstLayout":
        """Burst sizes come from a ``size`` column when given (``bursts`` then holds only some
        accounts' rows), else from the rows."""
        burst = bursts["burst"].to_numpy()
        new = new_run(burst)
        starts = np.flatnonzero(new)
        burst_index = np.cumsum(new)
        burst_index -= 1
        size = bursts["size"].to_numpy()[starts] if "size" in bursts.columns else np.diff(np.r_[starts, len(burst)])
        return cls(account=bursts["account"].to_numpy(), burst_index=burst_index,
                   target=bursts["target"].to_numpy()[starts], size=size)

    def labelled(self, label: np.ndarray) -> "_BurstLayout":
        """The layout of the rows of accounts with a label (``>= 0``); bursts kept whole."""
        inside = np.flatnonzero(label[self.account] >= 0)
        return _BurstLayout(account=self.account[inside], burst_index=self.burst_index[inside],
                            target=self.target, size=self.size)


def _community_bursts(layout: _BurstLayout, label: np.ndarray, n_memberships: int | None = None) -> pl.DataFrame | None:
    """Labelled memberships counted per (burst, community), with what the community's share
    of all memberships predicts: ``burst`` (index of the burst), ``community``, ``target``,
    ``m`` (its members in the burst), ``expected`` (burst size x share), sorted by burst then
    community. Memberships arrive sorted by burst: a packed-key sort counts them (numpy; the
    same group-by in polars over 4M labelled rows at 1M accounts took several times longer).
    The share's denominator is ``n_memberships`` when given (the layout then holds only some
    accounts' rows), else the number of rows."""
    community = label[layout.account]
    inside = np.flatnonzero(community >= 0)
    if len(inside) == 0:
        return None
    community = community[inside]
    n_communities = int(label.max()) + 1
    share = np.bincount(community, minlength=n_communities) / (n_memberships or len(layout.account))
    key = layout.burst_index[inside]
    key *= n_communities
    key += community
    key.sort()
    group_start = run_starts(key)
    group_key = key[group_start]
    group_burst, group_community = np.divmod(group_key, n_communities)
    return pl.DataFrame({
        "burst": group_burst, "community": group_community,
        "target": layout.target[group_burst],
        "m": np.diff(group_start, append=len(key)),
        "expected": layout.size[group_burst] * share[group_community],
    })


def _group_burst_rows(groups: pl.DataFrame, config: ClusterConfig) -> pl.DataFrame:
    """The (burst, community) rows of :func:`_community_bursts` that are group bursts: at
    least ``coaction_min_members`` of the community, ``coaction_min_lift`` times its share."""
    return groups.filter((pl.col("m") >= config.coaction_min_members)
                         & (pl.col("m") >= config.coaction_min_lift * pl.col("expected")))


def _rows_in(layout: _BurstLayout, label: np.ndarray, groups: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``layout`` (memberships) of a labelled account in one of the (``burst``,
    ``community``) pairs of ``groups``, and the packed (burst, community) key of each, in row
    order (rows come sorted by burst)."""
    burst = groups["burst"].to_numpy()
    in_group = np.zeros(len(layout.size), dtype=bool)
    in_group[burst] = True  # a mask over the bursts first: most rows are in none
    rows = np.flatnonzero(in_group[layout.burst_index])
    community = label[layout.account[rows]]
    rows, community = rows[community >= 0], community[community >= 0]
    n_communities = int(label.max()) + 1
    row_key = layout.burst_index[rows] * n_communities + community
    group_key = np.sort(burst * n_communities + groups["community"].to_numpy())
    if len(group_key) == 0:
        return rows[:0], row_key[:0]
    place = np.minimum(np.searchsorted(group_key, row_key), len(group_key) - 1)
    inside = group_key[place] == row_key
    return rows[inside], row_key[inside]


def _split_by_bursts(layout: _BurstLayout, label: np.ndarray, *, config: ClusterConfig,
                     n_memberships: int | None = None) -> np.ndarray:
    """Cut each community into the parts its group bursts bind: two members are joined when
    they were in one group burst of their community (connected components over those bursts).
    Members in no group burst of their community stay with its largest part (the group test
    trims them after the merge if the merged community's bursts do not hold them either; a
    small community's bursts rarely reach ``coaction_min_members`` of it), as does all of a
    community with no group burst. Parts are numbered afresh."""
    groups = _community_bursts(layout, label, n_memberships)
    if groups is None:
        return label
    rows, key = _rows_in(layout, label, _group_burst_rows(groups, config))
    account = layout.account[rows]
    # Rows come sorted by burst and the key orders communities within a burst: a stable sort
    # puts each group burst's members in one run; each joins the first of its run.
    order = np.argsort(key, kind="stable")
    key, account = key[order], account[order]
    run = np.flatnonzero(new_run(key))
    head = account[np.repeat(run, np.diff(np.append(run, len(key))))]
    n = len(label)
    graph = sp.coo_matrix((np.ones(len(account)), (account, head)), shape=(n, n))
    _, part = connected_components(graph, directed=False)
    in_burst = marked(n, account)
    labelled = np.flatnonzero(label >= 0)
    # Each community's largest part (the smallest part number among equals); a community
    # without a group burst is a part of its own.
    member = np.flatnonzero(in_burst)
    sizes = (pl.DataFrame({"community": label[member], "part": part[member]})
             .group_by("community", "part").len()
             .sort("community", "len", "part", descending=[False, True, False])
             .unique("community", keep="first", maintain_order=True))
    largest = np.full(int(label.max()) + 1, -1, dtype=np.int64)
    largest[sizes["community"].to_numpy()] = sizes["part"].to_numpy()
    without = largest < 0
    largest[without] = n + np.flatnonzero(without)
    joined = np.where(in_burst[labelled], part[labelled], largest[label[labelled]])
    out = np.full(n, -1, dtype=np.int64)
    out[labelled] = np.unique(joined, return_inverse=True)[1]
    return out


def _merge_fragments(layout: _BurstLayout, label: np.ndarray, *, config: ClusterConfig,
                     n_memberships: int | None = None) -> np.ndarray:
    """Join communities that act as one: Leiden may cut a rotating farm into crews, but its
    jobs keep mixing them. Two communities merge when, on at least ``coaction_min_targets``
    distinct targets and at least half of the smaller one's, a burst holds members of both,
    each over-represented by ``coaction_min_lift`` and together at least
    ``coaction_min_members``."""
    groups = _community_bursts(layout, label, n_memberships)
    if groups is None:
        return label
    present = groups.filter(pl.col("m") >= config.coaction_min_lift * pl.col("expected"))
    # Bursts crowded with over-represented communities are viral moments: skip them (and the
    # quadratic pairing they would cost).
    per_burst = np.bincount(present["burst"].to_numpy())
    crowd = (per_burst >= 2) & (per_burst <= _MAX_MIX)
    present = present.filter(pl.Series(crowd[present["burst"].to_numpy()]))
    reach = present.select("community", "target").unique().group_by("community").agg(pl.len().alias("t"))
    # Pairs of rows of one burst (rows sorted by burst, then community: c < c_b).
    src, dst = pairs_within_runs(present["burst"].to_numpy())
    m = present["m"].to_numpy()
    community = present["community"].to_numpy()
    together = m[src] + m[dst] >= config.coaction_min_members
    src, dst = src[together], dst[together]
    pairs = (pl.DataFrame({"community": community[src], "community_b": community[dst],
                           "target": present["target"].to_numpy()[src]})
             .unique().group_by("community", "community_b").agg(pl.len().alias("n"))
             .join(reach, on="community").join(reach, left_on="community_b", right_on="community", suffix="_b")
             # Crews of one farm share most of their jobs; two farms (or a farm and fans) that
             # sometimes boost the same target share a few: merging is not transitive chaining.
             .filter((pl.col("n") >= config.coaction_min_targets)
                     & (pl.col("n") >= _MERGE_OVERLAP * pl.min_horizontal("t", "t_b"))))
    if pairs.height == 0:
        return label
    n = int(label.max()) + 1
    graph = sp.coo_matrix((np.ones(pairs.height), (pairs["community"].to_numpy(), pairs["community_b"].to_numpy())),
                          shape=(n, n))
    _, merged = connected_components(graph, directed=False)
    return np.where(label >= 0, merged[np.maximum(label, 0)], -1)


def _group_bursts(layout: _BurstLayout, label: np.ndarray, *, config: ClusterConfig,
                  n_memberships: int | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Members that joined a group burst of their community (``account, community``), and each
    passing community's distinct group-burst targets (``community, group_targets``)."""
    groups = _community_bursts(layout, label, n_memberships)
    if groups is None:
        return pl.DataFrame(), pl.DataFrame()
    per_burst = _group_burst_rows(groups, config)
    targets = (per_burst.group_by("community").agg(pl.col("target").n_unique().alias("group_targets"))
               .filter(pl.col("group_targets") >= config.coaction_min_targets))
    passing = per_burst.join(targets, on="community", how="semi")
    rows, _ = _rows_in(layout, label, passing)
    # Distinct members in code order by a mask over the codes (no sort).
    member = np.flatnonzero(marked(len(label), layout.account[rows]))
    members = pl.DataFrame({"account": member, "community": label[member]})
    return members, targets


def group_coaction_targets(members: pl.DataFrame, bursts: pl.DataFrame | None, account_ids: pl.Series | None,
                           *, min_members: int = 3, min_lift: float = 0.0,
                           totals: dict[str, int] | None = None) -> pl.DataFrame:
    """``cluster_id, coaction_targets``: distinct targets of a cluster's group bursts — the
    group-level co-action of any cluster, whichever stage found it (0 for clusters without
    any). A burst is a group burst of a cluster as in the co-action stage: at least
    ``min_members`` of its members are in it, and at least ``min_lift`` times what the
    cluster's share of all burst memberships predicts (``totals["memberships"]`` when
    ``bursts`` holds only some accounts' rows and a ``size`` column, as on Spark). Without the
    lift a large group counts its members' chance meetings on popular targets: a campus of 236
    students, each watching popular streams on their own, had 51 targets with three of them in
    one burst and 12 with five times their share; a farm of 166 kept 68 of its 79. The default
    ``min_lift`` (0) sets no such bar. ``bursts`` rows of one burst may come in any order (the
    link stage's come sorted by burst; others are sorted here)."""
    out = members.select("cluster_id").unique().sort("cluster_id")
    if bursts is None or bursts.height == 0 or account_ids is None:
        return out.with_columns(pl.lit(0, dtype=pl.UInt32).alias("coaction_targets"))
    # Integer cluster codes, looked up by burst account code: no string join or group-by of
    # the burst rows (millions at 1M accounts).
    cluster_ids = out["cluster_id"]
    code = pl.DataFrame({"account_id": account_ids, "account": np.arange(len(account_ids), dtype=np.int64)})
    labelled = members.join(code, on="account_id").select(
        "account", pl.col("cluster_id").replace_strict(cluster_ids, pl.int_range(len(cluster_ids)),
                                                        return_dtype=pl.Int64).alias("_c"))
    cluster_of = np.full(len(account_ids), -1, dtype=np.int64)
    cluster_of[labelled["account"].to_numpy()] = labelled["_c"].to_numpy()
    if not (np.diff(bursts["burst"].to_numpy()) >= 0).all():
        bursts = bursts.sort("burst", maintain_order=True)  # a burst's rows in one run
    groups = _community_bursts(_BurstLayout.of(bursts), cluster_of,
                               totals["memberships"] if totals else bursts.height)
    if groups is None:
        return out.with_columns(pl.lit(0, dtype=pl.UInt32).alias("coaction_targets"))
    groups = groups.filter((pl.col("m") >= min_members) & (pl.col("m") >= min_lift * pl.col("expected")))
    counts = groups.group_by("community").agg(pl.col("target").n_unique().cast(pl.UInt32).alias("coaction_targets"))
    counts = counts.select(cluster_ids.gather(counts["community"]), "coaction_targets")
    return out.join(counts, on="cluster_id", how="left").with_columns(pl.col("coaction_targets").fill_null(0))


def slow_coaction_groups(edges: pl.DataFrame, pairs: pl.DataFrame, bursts: pl.DataFrame, account_ids: pl.Series, *,
                         config: ClusterConfig, seed: int = 0,
                         totals: dict[str, int] | None = None) -> pl.DataFrame:
    """:func:`coaction_groups` over the slow lockstep pass (``[lockstep] slow_window_seconds``):
    ``pairs`` (``account_a, account_b`` codes, ``lockstep``, ``lockstep_bursts``) and ``bursts``
    are that pass's, ``edges`` the link stage's combined edges keyed by the same codes
    (``weight``). Every edge among the slow pass's co-acting accounts keeps its weight and a
    slow pair weighs its own evidence where that is more (the weak links gather the groups as
    at the short window; the 120-s co-action already in ``edges`` is no co-action here: the
    test reads the slow bursts). Same columns as :func:`coaction_groups`."""
    if pairs.height == 0 or bursts.height == 0:
        return pl.DataFrame(schema=EMPTY)
    active = marked(len(account_ids), pairs["account_a"].to_numpy(), pairs["account_b"].to_numpy())
    a, b = edges["account_a"].to_numpy(), edges["account_b"].to_numpy()
    among = active[a]
    among &= active[b]
    del a, b
    code = pl.UInt32
    weak = (edges.select(pl.col("account_a").cast(code), pl.col("account_b").cast(code), pl.col("weight").cast(pl.Float64))
            .filter(pl.Series(among)).with_columns(pl.lit(0, dtype=pl.UInt32).alias("lockstep_bursts")))
    slow = pairs.select(pl.col("account_a").cast(code), pl.col("account_b").cast(code),
                        pl.col("lockstep").cast(pl.Float64).alias("weight"), pl.col("lockstep_bursts").cast(pl.UInt32))
    joined = (pl.concat([weak, slow]).group_by("account_a", "account_b")
              .agg(pl.col("weight").max(), pl.col("lockstep_bursts").max())
              .sort("account_a", "account_b"))
    return coaction_groups(joined, bursts, account_ids, config=config, seed=seed, totals=totals)


__all__ = ["coaction_groups", "group_coaction_targets", "slow_coaction_groups"]

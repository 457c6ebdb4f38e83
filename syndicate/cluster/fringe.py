"""Peel the hangers-on off graph groups: members hanging on them by a single link.

A component of strong links holds everything reachable through them, and one link is enough:
an IP a proxy once shared with a household, a friend tie from a ``links`` table, an account
that shares one address with one member. An operator's twenty accounts on three phones and two
cards then come out as a cluster of forty, the other twenty hanging on by one link each, in
chains (a household on the proxy's IP, its neighbour on the household's IP), and the cluster
is no longer the operator's. Leiden does not cut them off (components of at most
``split_above`` accounts are not split; a part of a few accounts bridged by one link carries
more than ``split_max_bridge`` of its own weight across).

Here a group's members that have fewer than two links inside it, counting every link of the
graph (weak ones too: a farm worker with one strong proxy IP link and a few weak co-action
links to the farm stays), leave it, round after round, as in a k-core with k = 2 (numpy
bincounts over the links inside groups: 0.6 s at a million accounts, 3.7M such links) — unless
a chain of personal identifiers (device, card, phone, e-mail, in any of their names:
``features/identity.py`` ``kind_family``) binds them to what stays: an operator's accounts
chained device -> card -> phone are one operator however thin the chain, while a proxy IP, an
address or a friend tie is what strangers share. The members that leave and are linked to each
other by strong links form groups of their own (a household of two hanging on an operator by
one IP is its own cluster of two, as it would have been without that IP). A group with no
2-core (a pair, a chain, a star: no cycle of links) stays as it was: there is no core to peel
towards.

A clump with a cycle of its own hanging on a group by one link is no hanger-on (every member
has two links inside): a review ring of five met one farm worker on a rare product once, an
operator's accounts are one friend tie away from a campus. :func:`cut_bridges` cuts those: a
strong link that is all that joins two parts of a group (a bridge of its strong links,
igraph on a sparse certificate), each part holding a cycle of strong links of its own, and that carries no personal
identifier, separates the two. A bridge to a tail (a chain, a star: no cycle on its side) stays
(the peel has dealt with those); so do two clumps joined by two links, or by one card. Leiden
(``community.py``) only cuts components above ``split_above`` accounts, and a modularity cut
of a 38-account component did not fall on its one friend tie.

Measured (``syndicate run --seed 1``, 20k accounts): on a fourth, independently built
marketplace (operators on residential proxies, a ``links`` table of friend ties and invites)
matrix operators found 6/10 -> 7/10 and 5/10 -> 10/10 over two seeds (9/10 and 10/10 with the
split's ``split_min_bridge_links``, 10/10 on both with the bridge cut); on our generator and two
other marketplaces no planted group was lost (13 runs).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order, connected_components, minimum_spanning_tree

from syndicate.cluster.community import link_graph
from syndicate.cluster.components import encode_edges, node_codes
from syndicate.features.identity import PERSONAL_FAMILIES, kind_family
from syndicate.link.attribution import ATTRIBUTION_KIND
from syndicate.sorted_runs import marked, new_run

# Links a member needs inside its group to stay (the k of the k-core): one link is how
# unrelated accounts get chained in; two independent ones are not a chance.
MIN_INSIDE_LINKS = 2
# Identifiers of one person (or one operator): a chain of them binds however thin it is.
# The pipeline also protects groups bound by them from co-action absorption
# (``pipeline._personal_groups``, on the exact names).
PERSONAL = PERSONAL_FAMILIES


def peel_hangers(groups: pl.DataFrame, edges: pl.DataFrame, *, min_edge_weight: float,
                 ids: pl.Series | None = None, properties: Collection[str] = ()) -> pl.DataFrame:
    """``groups`` (``account_id, group`` str) with each group cut to its 2-core over all of
    ``edges`` inside it (see the module docstring); the members peeled off that strong links
    (``weight >= min_edge_weight``) join become groups ``"<group>~<n>"``, the others a group of
    one each (left for the caller's size filter). Rows stay in their order.

    ``edges`` are keyed by account ids, or by integer codes with ``ids`` (sorted) the id of
    each code (``syndicate.link.codes``).
    """
    if groups.height == 0 or edges.height == 0:
        return groups
    n, codes, label, a, b, at = inside_links(groups, edges, ids)
    number = label[codes]
    strong = edges["weight"].to_numpy()[at] >= min_edge_weight
    alive = _two_core(a, b, n)
    cored = np.unique(label[alive & (label > 0)])  # the groups that have a 2-core
    has_core = np.zeros(int(number.max()) + 1, dtype=bool)
    has_core[cored] = True
    # A group without a 2-core (a pair, a chain, a star: no cycle) has nothing to peel towards.
    peeled = (label > 0) & ~alive & has_core[label]
    if not peeled.any():
        return groups
    # Members chained to the core by personal identifiers stay: components of the personal
    # links that touch a peeled member, each core member standing for its group's core (node
    # n + group number), and a peeled member in one with a core stays.
    touch = np.flatnonzero(strong & (peeled[a] | peeled[b]))  # a few rows: read their evidence
    touch = touch[_personal_evidence(edges, at[touch], properties)]
    core_node = np.where(peeled, np.arange(n), n + label)
    ends_a, ends_b = core_node[a[touch]], core_node[b[touch]]
    size = n + int(number.max()) + 1
    _, chained = connected_components(
        coo_matrix((np.ones(len(ends_a), dtype=np.int8), (ends_a, ends_b)), shape=(size, size)).tocsr(),
        directed=False)
    with_core = np.zeros(size, dtype=bool)
    with_core[chained[n + cored]] = True
    peeled &= ~with_core[chained[:n]]
    if not peeled.any():
        return groups
    # The peeled members' own groups: components of the strong links between two of them.
    join = strong & peeled[a] & peeled[b]
    part = link_components(a[join], b[join], n)
    row_peeled, row_part = peeled[codes], part[codes]
    return groups.with_columns(
        pl.when(pl.Series(row_peeled))
        .then(pl.col("group") + "~" + pl.Series(row_part).cast(pl.String))
        .otherwise(pl.col("group")).alias("group"))


def inside_links(groups: pl.DataFrame, edges: pl.DataFrame, ids: pl.Series | None):
    """The links inside groups as node codes: ``(n, codes, label, a, b, at)`` — the number of
    nodes, each group row's node code, each node's group number (1..; 0: in no group), the two
    ends of each link with both ends in one group, and that link's row in ``edges``."""
    if edges.schema["account_a"].is_integer():
        if ids is None:
            raise ValueError("edges keyed by account codes need the ids of the codes ('ids')")
        nodes = ids
        # The codes as they are (UInt32 at any scale we run): no 13M-row int64 copies.
        a, b = edges["account_a"].to_numpy(), edges["account_b"].to_numpy()
    else:
        nodes = node_codes(edges.select("account_a", "account_b"))
        a, b = encode_edges(edges, nodes)
    n = len(nodes)
    number = groups["group"].rank("dense").cast(pl.Int32).to_numpy()  # 1..: 0 is "no group"
    codes = nodes.search_sorted(groups["account_id"]).to_numpy()
    if len(codes):
        found = nodes.gather(np.minimum(codes, n - 1)) == groups["account_id"]
        if not found.all():
            missing = groups["account_id"].filter(~found)
            raise ValueError(f"{len(missing):,} group members are no end of any edge, e.g. {missing.head(5).to_list()}")
    label = np.zeros(n, dtype=np.int32)
    label[codes] = number
    same = label[a]
    same = (same == label[b]) & (same > 0)
    at = np.flatnonzero(same)
    del same
    return n, codes, label, a[at], b[at], at


def cut_bridges(groups: pl.DataFrame, edges: pl.DataFrame, *, min_edge_weight: float,
                ids: pl.Series | None = None, properties: Collection[str] = ()) -> pl.DataFrame:
    """``groups`` (``account_id, group`` str) with every group cut at its lone bridges: a
    strong link (``weight >= min_edge_weight``) that is the only strong link between two parts
    of the group, each holding a cycle of strong links of its own, and that carries no personal
    identifier (see the module docstring). Two clumps joined by a path of single accounts are
    cut at every link of the path (each is such a bridge): the accounts on it are left alone.

    The members of a group so cut go to groups ``"<group>^<n>"``, ``n`` the number of their
    part; a member with no strong link inside the group (kept by weak ones through the peel)
    joins the part it has the most link weight to, or stands alone (a group of one, left for the
    caller's size filter). Other groups keep their name. Rows stay in their order. ``edges`` and
    ``ids`` as in :func:`peel_hangers`; a pair given twice or both ways counts once."""
    if groups.height == 0 or edges.height == 0:
        return groups
    n, codes, label, a_in, b_in, at_in = inside_links(groups, edges, ids)
    weight_in = edges["weight"].to_numpy()[at_in]
    strong = np.flatnonzero(weight_in >= min_edge_weight)
    if len(strong) == 0:
        return groups
    strong = strong[_distinct_pairs(a_in[strong], b_in[strong], n)]
    a, b, at = a_in[strong], b_in[strong], at_in[strong]
    used = marked(n, a, b)
    local = np.cumsum(used) - 1
    n_used = int(local[-1]) + 1
    la, lb = local[a], local[b]
    bridge = _bridges(la, lb, n_used)
    if len(bridge) == 0:
        return groups
    # Two-edge-connected pieces: the strong links without the bridges. A piece of one account
    # holds no cycle; any larger one does (links are distinct pairs: two accounts make no
    # piece of their own).
    piece = link_components(la, lb, n_used, drop=bridge)
    cyclic = np.bincount(piece) >= 3
    cut = bridge[_both_sides_cyclic(piece[la[bridge]], piece[lb[bridge]], cyclic)]
    cut = cut[~_personal_evidence(edges, at[cut], properties)]
    if len(cut) == 0:
        return groups
    node_part = np.full(n, -1, dtype=np.int64)
    node_part[used] = link_components(la, lb, n_used, drop=cut)
    split = np.zeros(int(label.max()) + 1, dtype=bool)
    split[label[a[cut]]] = True
    loose = split[label] & (label > 0) & ~used
    if loose.any():
        node_part[loose] = _loose_parts(loose, node_part, a_in, b_in, weight_in, fresh=n_used)
    row_split = split[label[codes]]
    return groups.with_columns(
        pl.when(pl.Series(row_split))
        .then(pl.col("group") + "^" + pl.Series(node_part[codes]).cast(pl.String))
        .otherwise(pl.col("group")).alias("group"))


def _distinct_pairs(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Positions of the links ``(a, b)`` to keep: the first of each unordered pair, no self
    link. The pipeline's links are distinct pairs ``a < b`` in order, checked in one pass."""
    if len(a) == 0 or ((a < b).all() and (np.diff(a.astype(np.int64) * n + b) > 0).all()):
        return np.arange(len(a))
    lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    first = np.unique(lo * n + hi, return_index=True)[1]
    first = np.sort(first)
    return first[lo[first] != hi[first]]


def _loose_parts(loose: np.ndarray, node_part: np.ndarray, a: np.ndarray, b: np.ndarray,
                 weight: np.ndarray, *, fresh: int) -> np.ndarray:
    """Part of each ``loose`` node (mask; in order of the nodes): the part it has the most link
    weight to over the links ``(a, b)`` (the smaller part number among equals), or a part of its
    own (``fresh`` + its node code) when it has no link to a part."""
    towards_a = loose[b] & (node_part[a] >= 0)
    towards_b = loose[a] & (node_part[b] >= 0)
    tally = (pl.DataFrame({"node": np.r_[b[towards_a], a[towards_b]],
                           "part": np.r_[node_part[a[towards_a]], node_part[b[towards_b]]],
                           "weight": np.r_[weight[towards_a], weight[towards_b]]})
             .group_by("node", "part").agg(pl.col("weight").sum())
             .sort("node", "weight", "part", descending=[False, True, False])
             .unique("node", keep="first", maintain_order=True))
    nodes = np.flatnonzero(loose)
    part = fresh + nodes.astype(np.int64)
    at = np.searchsorted(nodes, tally["node"].to_numpy())
    part[at] = tally["part"].to_numpy()
    return part


def _bridges(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Positions of the bridges among the links ``(a, b)`` (nodes ``0..n-1``, distinct pairs).

    igraph finds them on a sparse certificate of the graph (Nagamochi and Ibaraki): a spanning
    forest F1 and a spanning forest F2 of what F1 leaves keep every cut that one or two links
    cross, so the bridges of F1 + F2 are the graph's. Both forests are scipy's minimum spanning
    trees with each link weighted by its position (so each names its links). At a million
    accounts: 3.5M strong links inside groups, 0.2M in the certificate, 0.3 s; igraph over all
    of them took 2.8 s, 2.5 s of it copying them in."""
    def forest(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        weights = np.arange(1, len(x) + 1, dtype=np.float64)  # > 0: a zero is no link to scipy
        tree = minimum_spanning_tree(coo_matrix((weights, (x, y)), shape=(n, n)).tocsr())
        return tree.data.astype(np.int64) - 1

    first = forest(a, b)
    rest = np.ones(len(a), dtype=bool)
    rest[first] = False
    rest = np.flatnonzero(rest)
    certificate = np.sort(np.r_[first, rest[forest(a[rest], b[rest])]])
    graph = link_graph(n, a[certificate], b[certificate])
    return certificate[np.asarray(graph.bridges(), dtype=np.int64)]


def link_components(a: np.ndarray, b: np.ndarray, n: int, *, drop: np.ndarray | None = None) -> np.ndarray:
    """Connected component of each of ``n`` nodes over the links ``(a, b)``, but those at
    positions ``drop``."""
    if drop is not None and len(drop):
        keep = np.ones(len(a), dtype=bool)
        keep[drop] = False
        a, b = a[keep], b[keep]
    adjacency = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    return connected_components(adjacency.tocsr(), directed=False)[1]


def _both_sides_cyclic(x: np.ndarray, y: np.ndarray, cyclic: np.ndarray) -> np.ndarray:
    """For each bridge ``(x[i], y[i])`` of a forest over pieces ``0..len(cyclic)-1``, whether
    both sides of it hold a piece with a cycle.

    One breadth-first pass roots every tree (a virtual root above each); depths come from
    pointer jumping (log of the depth rounds), and the cyclic pieces below each piece are
    summed level by level from the deepest (one slice of the pieces sorted by depth a level). A bridge's lower side is its child's subtree, its upper side the rest of the tree."""
    n = len(cyclic)
    nodes = np.unique(np.r_[x, y])
    trees = link_components(x, y, n)
    first = nodes[np.unique(trees[nodes], return_index=True)[1]]  # one piece per tree
    root = n
    rows, cols = np.r_[x, np.full(len(first), root)], np.r_[y, first]
    rooted = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n + 1, n + 1)).tocsr()
    order, parent = breadth_first_order(rooted, root, directed=False, return_predecessors=True)
    parent[root] = root
    up, depth = parent.copy(), (np.arange(n + 1) != root).astype(np.int64)
    depth[parent < 0] = 0
    up[parent < 0] = root  # pieces on no bridge: not in the forest
    while (up[order] != root).any():
        depth += np.where(up != root, depth[up], 0)
        up = up[up]
    below = np.r_[cyclic, False].astype(np.int64)
    # The pieces in the forest from the deepest level up, one slice per level.
    inner = order[depth[order] > 0]
    inner = inner[np.argsort(-depth[inner], kind="stable")]
    bounds = np.r_[np.flatnonzero(new_run(depth[inner])), len(inner)]
    for start, stop in zip(bounds[:-1], bounds[1:]):
        level = inner[start:stop]
        np.add.at(below, parent[level], below[level])
    child = np.where(parent[x] == y, x, y)
    total = below[first][np.searchsorted(trees[first], trees[child])]
    return (below[child] > 0) & (total - below[child] > 0)


def _personal_evidence(edges: pl.DataFrame, rows: np.ndarray, properties: Collection[str] = ()) -> np.ndarray:
    """Which of the ``rows`` of ``edges`` carry evidence of a personal identifier: a float
    column named for a device, payment instrument, phone or e-mail (``kind_family``), not one
    of the kinds read as shared properties (``properties``)."""
    columns = [c for c, dtype in edges.schema.items()
               if dtype.is_float() and c != "weight" and kind_family(c, properties) in PERSONAL]
    return _any_evidence(edges, rows, columns)


def _any_evidence(edges: pl.DataFrame, rows: np.ndarray, columns: list[str]) -> np.ndarray:
    """Which of the ``rows`` of ``edges`` carry evidence (above 0) in any of ``columns``; only
    those rows are read."""
    if not columns or len(rows) == 0:
        return np.zeros(len(rows), dtype=bool)
    picked = edges.select(columns)[pl.Series(rows)]
    return picked.select(pl.max_horizontal(columns).fill_null(0.0) > 0).to_series().to_numpy()


def _two_core(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Mask over ``0..n-1``: the nodes of the 2-core of the graph of edges ``(a, b)`` (nodes
    with no edge are not in it). Round after round the nodes with fewer than two links left go
    and their links with them; one bincount over the remaining links a round, and the rounds
    are as many as the longest chain hanging on a core (a few). igraph's ``coreness`` gives the
    same nodes but took 1.8 s at a million accounts (3.7M links inside groups), 1.65 s of it
    copying the edges in; this takes 0.15 s."""
    degree = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    alive = degree > 0
    while True:
        drop = alive & (degree < MIN_INSIDE_LINKS)
        if not drop.any():
            return alive
        alive &= ~drop
        gone_a, gone_b = drop[a], drop[b]
        # A link that loses one end takes one link from the other end.
        degree -= np.bincount(b[gone_a], minlength=n) + np.bincount(a[gone_b], minlength=n)
        kept = np.flatnonzero(~(gone_a | gone_b))
        a, b = a[kept], b[kept]


# Evidence of acting together (link/lockstep.py, link/rare_coaction.py, link/rating_bursts.py):
# with links by a personal identifier (PERSONAL), what makes a group's core for
# :func:`shed_appendages`.
BEHAVIOUR_EVIDENCE = ("lockstep", "rare_coaction", "rating_burst")
# Members with such a link inside a group that make it a core: three (two pairs that met or
# share a phone apart count; a pair alone is no core to hang on).
MIN_CORE = 3


def _parts_and_anchors(outer: np.ndarray, a: np.ndarray, b: np.ndarray, reading: np.ndarray, keeping: np.ndarray,
                       n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The parts of the ``outer`` members, joined by the ``reading`` links among them
    (``(a, b)``), each node's part; per part, the core members its ``reading`` links reach
    (each counted once) and whether one of those links is a ``keeping`` one."""
    both = outer[a] & outer[b] & reading
    part = link_components(a[both], b[both], n)
    cross = np.flatnonzero((outer[a] != outer[b]) & reading)
    inner_end = np.where(outer[a[cross]], a[cross], b[cross])
    core_end = np.where(outer[a[cross]], b[cross], a[cross])
    keys = np.unique(part[inner_end].astype(np.int64) * n + core_end)
    anchors = np.bincount(keys // n, minlength=n)
    personal = np.zeros(n, dtype=bool)
    personal[part[inner_end[keeping[cross]]]] = True
    return part, anchors, personal


def _largest_clump(label: np.ndarray, a: np.ndarray, b: np.ndarray, binding: np.ndarray, n: int) -> np.ndarray:
    """Mask over ``0..n-1``: in each group (``label``), the members of its largest clump bound
    by the ``binding`` links (``(a, b)`` where set: co-action or a personal identifier). A
    ring's pool of phones, devices and cards binds its core as co-action does (a promo ring of
    sixty on a few phones and cards had its members' neighbours, tied to one member each by a
    shared home area, as two fifths of its cluster: an independently built ride-hailing
    marketplace, benchmarks/RESULTS.md, thirtieth sitting). Only the largest: a household
    hanging on the ring shares its own card or tablet, and that makes it no core. Ties: the
    clump with the smallest member."""
    pool = np.zeros(n, dtype=bool)
    if not binding.any():
        return pool
    clump = link_components(a[binding], b[binding], n)
    size = np.bincount(clump, minlength=n)
    bound = np.flatnonzero((size[clump] >= 2) & (label > 0))
    if len(bound) == 0:
        return pool
    # Per group, the clump with the most members (then the smallest clump number: its first
    # member in code order, so the choice does not depend on the order of the rows).
    order = np.lexsort((clump[bound], -size[clump[bound]], label[bound]))
    first = np.unique(label[bound][order], return_index=True)[1]
    chosen = np.full(int(label.max()) + 1, -1, dtype=np.int64)
    chosen[label[bound][order][first]] = clump[bound][order][first]
    pool[bound] = clump[bound] == chosen[label[bound]]
    return pool


def shed_appendages(groups: pl.DataFrame, edges: pl.DataFrame, *, min_edge_weight: float,
                    ids: pl.Series | None = None, properties: Collection[str] = ()) -> pl.DataFrame:
    """``groups`` (``account_id, group`` str) without the members that hang on a group's
    core through one of its members alone.

    A group's *core* is its members with a link inside it that carries co-action evidence
    (:data:`BEHAVIOUR_EVIDENCE`, any strength: a rotating farm's weak links count), and the
    members of its largest clump bound by such links or by personal identifiers (a device,
    card, phone or e-mail: an operator's pool; :func:`_largest_clump`), when there are at
    least :data:`MIN_CORE`. The other members fall into parts (connected by
    the strong links between two of them, of ``min_edge_weight`` or more, or by a personal
    identifier); a part whose every strong link into the core lands on one and the same core
    member, and none of its links into the core carries a personal identifier (device, card,
    phone, e-mail: what an operator's spare accounts share with the farm) or an attribution (a
    sign-up through a member's referral, ``link/attribution.py``: a referral ring's chain; its
    members' other ties to the ring are often weak proxy IPs), is that member's
    household, office or neighbours on a shared wifi or home area — not the ring's — and leaves
    the group as a group ``"<group>%<n>"`` of its own (a part smaller than the run's
    ``min_cluster_size`` leaves the clusters: the caller's size filter). The peel
    (:func:`peel_hangers`) keeps such a part (each member has two links inside: the family's
    own and the one to its ring member), and the bridge cut
    (:func:`cut_bridges`) cuts at a link, not at a member; here the member is the hinge.
    A part strongly linked to two or more core members stays: the ring reaches it more than
    once. A part with no strong link into the core is judged on links of any strength, as one
    part with the outer members they join it to (and leaves as a group of its own when that
    part hangs on one core member). Weak links otherwise neither join parts nor anchor them: a
    carrier NAT's or a campus's IP, shared by dozens, ties the neighbours of one ring member to
    those of another by chance (an
    independently built ride-hailing marketplace: the neighbours of an emulator farm's members,
    one home area each, were half its cluster while weak IP links made them one part;
    benchmarks/RESULTS.md, thirty-second sitting).
    ``edges``, ``ids`` and ``properties`` as in :func:`peel_hangers`; members that are no end
    of any edge (a behaviour cluster's, keyed by ids) stay where they are. Rows stay in their
    order."""
    columns = [c for c in BEHAVIOUR_EVIDENCE if c in edges.columns]
    if groups.height == 0 or edges.height == 0:
        return groups
    if not edges.schema["account_a"].is_integer():
        ends = pl.concat([edges["account_a"], edges["account_b"]]).unique()
        linked = groups["account_id"].is_in(ends.implode())
        if not linked.all():
            shed = shed_appendages(groups.filter(linked), edges, min_edge_weight=min_edge_weight,
                                   properties=properties)["group"]
            return groups.with_columns(groups["group"].scatter(np.flatnonzero(linked.to_numpy()), shed))
    n, codes, label, a, b, at = inside_links(groups, edges, ids)
    # Only the links inside groups are read (at a million accounts 3.7M of 13M rows).
    acting = _any_evidence(edges, at, columns)
    personal_link = _personal_evidence(edges, at, properties)
    binding = acting | personal_link
    core = marked(n, a[acting], b[acting]) | _largest_clump(label, a, b, binding, n)
    cored = np.bincount(label[core], minlength=int(label.max()) + 1) >= MIN_CORE
    cored[0] = False
    outer = (label > 0) & ~core & cored[label]
    if not outer.any():
        return groups
    strong = personal_link | (edges["weight"].to_numpy()[at] >= min_edge_weight)
    # What keeps a part however it hangs on: a personal identifier, or an attribution (it
    # signed up through a member's referral: the ring's chain, not a place).
    keeping = personal_link | _any_evidence(edges, at, [c for c in edges.columns if c.startswith(ATTRIBUTION_KIND)])
    part, anchors, personal = _parts_and_anchors(outer, a, b, strong, keeping, n)
    # A part with no strong link into the core hangs on it by weak links alone: it is judged
    # on its links of any strength, as one part with the outer members they join it to.
    loose = outer & (anchors[part] == 0)
    if loose.any():
        part_any, anchors_any, personal_any = _parts_and_anchors(outer, a, b, np.ones(len(a), dtype=bool),
                                                                 keeping, n)
        part = np.where(loose, part_any + n, part)  # numbered apart from the strong parts
        anchors = np.concatenate([anchors, anchors_any])
        personal = np.concatenate([personal, personal_any])
    shed = outer & (anchors[part] == 1) & ~personal[part]
    if not shed.any():
        return groups
    return groups.with_columns(
        pl.when(pl.Series(shed[codes]))
        .then(pl.col("group") + "%" + pl.Series(part[codes]).cast(pl.String))
        .otherwise(pl.col("group")).alias("group"))

"""A picture of one cluster: accounts as nodes, links as edges coloured by their evidence kind.

Large clusters are drawn from a deterministic sample (the best-connected accounts plus a seeded
sample of the rest), and the title says so, so that a cluster of thousands of accounts still
gives a readable picture in about a second. Dense pictures (a farm where everyone is linked
to everyone) draw their backbone: each account's strongest links and a maximum spanning
forest, so that structure shows instead of a solid ball; the title says how many links are
drawn.
"""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl
from scipy import sparse
from scipy.sparse import csgraph

from syndicate.features.exact import fixed_sum
from syndicate.features.identity import kind_family
from syndicate.report.embed import plain_text

KEY = ("account_a", "account_b")

# Okabe–Ito (colour-blind-safe) for the common kinds; the same kind has the same colour in
# every picture and every case. IP links (weak evidence) are grey and dashed, so that they
# recede and cannot be mistaken for payment (blue) links.
KIND_COLOURS: dict[str, str] = {
    "device": "#D55E00",     # vermilion
    "payment": "#0072B2",    # blue
    "phone": "#CC79A7",      # reddish purple
    "email": "#E69F00",      # orange
    "address": "#009E73",    # bluish green
    "ip": "#8C8C8C",         # mid grey, dashed
    "lockstep": "#000000",   # black
    "given": "#882255",      # wine
    "other": "#CFCFCF",      # light grey: no positive evidence column
}
KIND_STYLES: dict[str, object] = {"ip": (0, (4, 2)), "other": (0, (1, 1.5))}
# Kinds outside the list (the kind set is open) get one of these, chosen by a hash of the
# name so that a kind keeps its colour from one picture to the next.
_EXTRA_COLOURS = ("#F0E442", "#999933", "#44AA99", "#332288", "#AA4499", "#117733", "#88CCEE")

# Labels differ by shape as well as colour (red squares, blue diamonds, grey dots): readable
# without colour vision and in greyscale print.
LABEL_COLOURS = {1: "#C8102E", 0: "#0072B2", None: "#D0D7DD"}
LABEL_MARKERS = {1: "s", 0: "D", None: "o"}
LABEL_NAMES = {1: "confirmed bad", 0: "confirmed good", None: "unlabelled"}
# Above this many links per drawn account the picture shows its backbone (see module doc).
DENSE_LINKS_PER_NODE = 3.0
BACKBONE_PER_NODE = 2
DENSE_MIN_LINKS = 120  # a small complete graph (15 accounts: 105 links) still reads drawn in full


def kind_look(kind: str) -> str:
    """The kind whose colour and line style a link kind takes: its own when listed, else the
    identity kind its name stands for (``kind_family``: "ipv4" is drawn as "ip", grey and
    dashed; "card_hash" blue as "payment"), else its own name."""
    if kind in KIND_COLOURS:
        return kind
    return kind_family(kind) or kind


def kind_style(kind: str) -> object:
    """The matplotlib line style of a link kind (IPs dashed, "other" dotted, else solid)."""
    return KIND_STYLES.get(kind_look(kind), "solid")


def kind_colour(kind: str) -> str:
    """The fixed colour of a link kind."""
    kind = kind_look(kind)
    if kind in KIND_COLOURS:
        return KIND_COLOURS[kind]
    index = int(hashlib.blake2b(kind.encode(), digest_size=2).hexdigest(), 16)
    return _EXTRA_COLOURS[index % len(_EXTRA_COLOURS)]


def evidence_columns(edges: pl.DataFrame) -> list[str]:
    """Float columns that hold per-kind evidence (not the pair, not the total weight)."""
    return [c for c, d in edges.schema.items() if c not in (*KEY, "weight") and d.is_float()]


def dominant_kind(edges: pl.DataFrame) -> pl.Series:
    """Per edge, the evidence kind with the largest value ("other" when none is positive)."""
    kinds = evidence_columns(edges)
    if not kinds or edges.height == 0:
        return pl.Series("kind", ["other"] * edges.height, dtype=pl.String)
    values = edges.select(pl.col(k).cast(pl.Float64).fill_null(0.0) for k in kinds).to_numpy()
    best = values.argmax(axis=1)
    names = np.array(kinds, dtype=object)[best]
    names[values.max(axis=1) <= 0] = "other"
    return pl.Series("kind", names.tolist(), dtype=pl.String)


def sample_nodes(members: pl.DataFrame, edges: pl.DataFrame, *, max_nodes: int, seed: int) -> list[str]:
    """At most ``max_nodes`` account ids: half the highest weighted-degree accounts, the rest a
    seeded sample of the others. Deterministic for a given input and seed."""
    ids = members["account_id"].cast(pl.String)
    if ids.len() <= max_nodes:
        return sorted(ids.to_list())
    ends = pl.concat([
        edges.select(pl.col("account_a").alias("account_id"), "weight"),
        edges.select(pl.col("account_b").alias("account_id"), "weight"),
    ])
    degree = (
        pl.DataFrame({"account_id": ids})
        .join(ends.group_by("account_id").agg(fixed_sum(pl.col("weight")).alias("strength")),
              on="account_id", how="left")
        .with_columns(pl.col("strength").fill_null(0.0))
        .sort(["strength", "account_id"], descending=[True, False])
    )
    n_top = max_nodes // 2
    top = degree["account_id"].head(n_top).to_list()
    rest = sorted(degree["account_id"].slice(n_top).to_list())
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(rest), size=max_nodes - n_top, replace=False)
    return sorted(top + [rest[i] for i in sorted(picked)])


def backbone(edges: pl.DataFrame, *, per_node: int = BACKBONE_PER_NODE) -> pl.DataFrame:
    """The links that carry a dense cluster's structure: every account's ``per_node`` strongest
    links plus a maximum spanning forest (so nothing that was connected falls apart).

    ``edges`` has ``account_a``, ``account_b``, ``weight``; the rows kept are returned in their
    original order.
    """
    indexed = edges.with_row_index("_edge")
    ends = pl.concat([indexed.select("_edge", pl.col("account_a").alias("node"), pl.col("account_b").alias("other"), "weight"),
                      indexed.select("_edge", pl.col("account_b").alias("node"), pl.col("account_a").alias("other"), "weight")])
    strongest = (ends.sort(["node", "weight", "other"], descending=[False, True, False])
                 .group_by("node", maintain_order=True).head(per_node)["_edge"])
    # Maximum spanning forest: a minimum one on (max + 1 - weight), all positive, so that no
    # link of weight 0 is mistaken for a missing one.
    nodes = pl.concat([edges["account_a"], edges["account_b"]]).unique().sort()
    code = pl.DataFrame({"account": nodes, "i": pl.int_range(nodes.len(), eager=True, dtype=pl.Int64)})
    ia = indexed.select("account_a").join(code, left_on="account_a", right_on="account", how="left",
                                          maintain_order="left")["i"].to_numpy()
    ib = indexed.select("account_b").join(code, left_on="account_b", right_on="account", how="left",
                                          maintain_order="left")["i"].to_numpy()
    weight = indexed["weight"].cast(pl.Float64).fill_null(0.0).to_numpy()
    cost = sparse.coo_array((weight.max(initial=0.0) + 1.0 - weight, (ia, ib)), shape=(nodes.len(),) * 2).tocsr()
    forest = csgraph.minimum_spanning_tree(cost).tocoo()
    pairs = pl.DataFrame({"account_a": nodes.gather(forest.row), "account_b": nodes.gather(forest.col)})
    pairs = pairs.select(pl.min_horizontal(pairs.columns).alias("account_a"), pl.max_horizontal(pairs.columns).alias("account_b"))
    spanning = indexed.join(pairs, on=["account_a", "account_b"], how="semi")["_edge"] if pairs.height else []
    keep = pl.concat([strongest, pl.Series("_edge", spanning, dtype=strongest.dtype)]).unique()
    return indexed.filter(pl.col("_edge").is_in(keep.implode())).drop("_edge")


def spring_positions(n: int, a: np.ndarray, b: np.ndarray, weight: np.ndarray, *, seed: int,
                     iterations: int = 50) -> np.ndarray:
    """Fruchterman–Reingold positions of ``n`` nodes (edges ``a``-``b`` with ``weight``), scaled
    to [-1, 1]; deterministic for a given seed.

    The force model of networkx's ``spring_layout`` (same optimal distance ``k``, cooling and
    stop rule) on a dense matrix, without building a Graph: a card's ≤ 150 nodes take a few
    milliseconds.
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    if n <= 1:
        return np.zeros((n, 2))
    adjacency = np.zeros((n, n))
    np.add.at(adjacency, (a, b), weight)
    adjacency = adjacency + adjacency.T
    k = 1.5 / np.sqrt(n)
    temperature = 0.1 * max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]))
    cooling = temperature / (iterations + 1)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for _ in range(iterations):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        distance = np.maximum(np.sqrt(dx * dx + dy * dy), 0.01)
        force = k * k / (distance * distance) - adjacency * distance / k
        shift_x, shift_y = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        length = np.sqrt(shift_x * shift_x + shift_y * shift_y)
        scale = temperature / np.where(length < 0.01, 0.1, length)
        shift_x *= scale
        shift_y *= scale
        x += shift_x
        y += shift_y
        temperature -= cooling
        if np.sqrt((shift_x * shift_x).sum() + (shift_y * shift_y).sum()) / n < 1e-4:
            break
    pos = np.column_stack([x, y])
    pos -= pos.mean(axis=0)
    extent = np.abs(pos).max()
    return pos / extent if extent > 0 else pos


def cluster_layout(members: pl.DataFrame, edges: pl.DataFrame, *, max_nodes: int = 150, seed: int = 0) -> dict:
    """What a picture of one cluster shows, and where: the shared part of every drawing.

    Returns a dict: ``nodes`` (drawn account ids, sorted), ``xy`` (their positions in [-1, 1]),
    ``info`` (``account_id``, ``label``, ``role`` of the drawn accounts, in ``nodes`` order),
    ``edges`` (drawn links: ``account_a``, ``account_b``, ``weight``, ``kind``, and ``ia``/``ib``,
    row numbers into ``nodes``), ``present`` (kind, number of drawn links, most first),
    ``n_members``, ``n_links``, ``n_links_sampled`` and ``dense``.
    """
    if max_nodes < 2:
        raise ValueError(f"The 'max_nodes' parameter must be an int >= 2. Got {max_nodes!r} instead.")
    nodes = sample_nodes(members, edges, max_nodes=max_nodes, seed=seed)
    node_set = pl.Series("account_id", nodes, dtype=pl.String)
    shown = edges.filter(pl.col("account_a").is_in(node_set.implode()) & pl.col("account_b").is_in(node_set.implode()))
    kinds = dominant_kind(shown)
    shown = shown.select(*KEY, pl.col("weight").cast(pl.Float64)).with_columns(kinds)
    n_links_sampled = shown.height
    dense = shown.height > max(DENSE_LINKS_PER_NODE * len(nodes), DENSE_MIN_LINKS)
    # A dense picture is laid out and drawn on its backbone: on every link it is a solid ball.
    if dense:
        shown = backbone(shown)
    index = pl.DataFrame({"account_id": node_set, "i": pl.int_range(len(nodes), eager=True, dtype=pl.Int64)})
    shown = (shown.join(index.rename({"account_id": "account_a", "i": "ia"}), on="account_a", how="left")
             .join(index.rename({"account_id": "account_b", "i": "ib"}), on="account_b", how="left"))
    # Spring layout scales as n^2 per iteration; fewer iterations on larger samples keep it fast.
    iterations = 50 if len(nodes) <= 200 else 30
    xy = spring_positions(len(nodes), shown["ia"].to_numpy(), shown["ib"].to_numpy(), shown["weight"].to_numpy(),
                          seed=seed, iterations=iterations)
    columns = [pl.col("account_id").cast(pl.String)]
    columns += [pl.col("label").cast(pl.Int64, strict=False)] if "label" in members.columns else []
    columns += [pl.col("role").cast(pl.String)] if "role" in members.columns else []
    info = (index.select("account_id")
            .join(members.select(columns).unique("account_id", keep="first"), on="account_id", how="left",
                  maintain_order="left"))
    if "label" not in info.columns:
        info = info.with_columns(pl.lit(None, dtype=pl.Int64).alias("label"))
    if "role" not in info.columns:
        info = info.with_columns(pl.lit(None, dtype=pl.String).alias("role"))
    present = shown.group_by("kind").agg(pl.len().alias("n")).sort(["n", "kind"], descending=[True, False])
    return {"nodes": nodes, "xy": xy, "info": info.select("account_id", "label", "role"), "edges": shown,
            "present": present, "n_members": members.height, "n_links": edges.height,
            "n_links_sampled": n_links_sampled, "dense": dense}


def title_lines(layout: dict, *, title: str | None, max_nodes: int, seed: int) -> list[str]:
    """The title of a cluster picture: ``title``, then what is drawn of the cluster."""
    n_nodes, n_members = len(layout["nodes"]), layout["n_members"]
    lines = [title] if title else []
    if n_nodes < n_members:
        lines.append(f"showing {n_nodes:,} of {n_members:,} accounts "
                     f"({max_nodes // 2} best-connected + seeded sample, seed {seed}); "
                     f"{layout['n_links_sampled']:,} of {layout['n_links']:,} links")
    else:
        lines.append(f"{n_members:,} accounts, {layout['n_links']:,} links")
    if layout["dense"]:
        lines.append(f"dense: drawn are each account's {BACKBONE_PER_NODE} strongest links and a spanning "
                     f"tree ({layout['edges'].height:,} of {layout['n_links_sampled']:,})")
    return lines


@plain_text
def draw_cluster_graph(members: pl.DataFrame, edges: pl.DataFrame, *, ax=None, max_nodes: int = 150,
                       seed: int = 0, title: str | None = None):
    """Draw one cluster; edge colour = dominant evidence kind, node colour = label.

    Parameters
    ----------
    members : DataFrame with ``account_id`` and optionally ``label`` (1 bad, 0 good, null)
        and ``role`` (``central`` accounts are drawn larger).
    edges : the run's edge table restricted to the cluster (``account_a``, ``account_b``,
        ``weight``, one Float evidence column per kind).
    ax : matplotlib Axes to draw into; a new figure when None.
    max_nodes : clusters with more members are drawn from a deterministic sample of this size.
    seed : seed of the sample and of the spring layout.
    title : first title line; the sampling note is added below it.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> m = pl.DataFrame({"account_id": ["a", "b", "c"]})
    >>> e = pl.DataFrame({"account_a": ["a", "b"], "account_b": ["b", "c"],
    ...                   "weight": [0.9, 0.5], "device": [0.9, 0.0], "ip": [0.0, 0.5]})
    >>> fig = draw_cluster_graph(m, e, title="cluster c1")
    """
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    from syndicate.report.embed import pyplot

    layout = cluster_layout(members, edges, max_nodes=max_nodes, seed=seed)
    nodes, shown, info, xy = layout["nodes"], layout["edges"], layout["info"], layout["xy"]
    present = layout["present"]
    if ax is None:
        fig, ax = pyplot().subplots(figsize=(9, 7.5))
    else:
        fig = ax.figure
    ax.set_axis_off()

    # Edges: one LineCollection per kind, the most common first so rarer kinds stay visible.
    width_scale = 2.5 if len(nodes) <= 60 else 1.2
    # Translucent edges blend into each other in dense pictures; opaque ones keep the kind
    # colours distinguishable where there are few.
    alpha = 0.9 if shown.height <= 300 else 0.55
    for kind in present["kind"].to_list():
        part = shown.filter(pl.col("kind") == kind)
        segments = np.stack([xy[part["ia"].to_numpy()], xy[part["ib"].to_numpy()]], axis=1)
        widths = 0.4 + width_scale * part["weight"].to_numpy()
        ax.add_collection(LineCollection(segments, colors=kind_colour(kind), linewidths=widths,
                                         linestyles=kind_style(kind), alpha=alpha, zorder=1))

    labels = [None if lab is None else int(lab) for lab in info["label"].to_list()]
    roles = info["role"].to_list()
    base = 60 if len(nodes) <= 60 else 28
    sizes = base * node_scale(info["role"]) ** 2
    # Unlabelled first, confirmed bad last: labelled accounts stay on top.
    for value in (None, 0, 1):
        chosen = np.array([lab == value for lab in labels], dtype=bool)
        if chosen.any():
            ax.scatter(xy[chosen, 0], xy[chosen, 1], s=sizes[chosen], c=LABEL_COLOURS[value],
                       marker=LABEL_MARKERS[value], edgecolors="#1d2329", linewidths=0.6, zorder=2 + (value is not None))
    if len(nodes) <= 30:
        for account, (x, y) in zip(info["account_id"].to_list(), xy):
            ax.annotate(str(account), (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7,
                        color="#333333", zorder=3)
    ax.autoscale_view()
    ax.margins(0.05)

    handles = [Line2D([0], [0], color=kind_colour(k), lw=2.5, linestyle=kind_style(k),
                      label=f"{k} ({n:,})") for k, n in present.iter_rows()]
    counts = {v: labels.count(v) for v in (1, 0, None) if v in labels}
    handles += [Line2D([0], [0], marker=LABEL_MARKERS[v], color="w", markerfacecolor=LABEL_COLOURS[v],
                       markeredgecolor="#1d2329", markersize=8, label=f"{LABEL_NAMES[v]} ({n:,})")
                for v, n in counts.items()]
    if "central" in roles:
        handles.append(Line2D([0], [0], marker="o", color="w", markerfacecolor="#B8C2CA",
                              markeredgecolor="#1d2329", markersize=12, label="central account"))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9,
                  title="links by strongest evidence", title_fontsize=9, frameon=False)
    ax.set_title("\n".join(title_lines(layout, title=title, max_nodes=max_nodes, seed=seed)), fontsize=10, loc="left")
    return fig


def node_scale(roles: pl.Series) -> np.ndarray:
    """Marker size factor (linear) per account: central accounts larger, bridges a little."""
    return np.sqrt(roles.replace_strict({"central": 2.2, "bridge": 1.4}, default=1.0, return_dtype=pl.Float64)
                   .to_numpy())


__all__ = ["draw_cluster_graph", "cluster_layout", "title_lines", "spring_positions", "node_scale", "kind_colour",
           "dominant_kind", "kind_look", "kind_style", "evidence_columns", "sample_nodes", "backbone", "LABEL_MARKERS", "LABEL_NAMES", "KIND_COLOURS", "KIND_STYLES", "LABEL_COLOURS"]

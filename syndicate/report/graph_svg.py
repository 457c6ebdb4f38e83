"""A cluster's link graph as inline SVG: what `draw_cluster_graph` draws, without matplotlib.

Same sample, backbone and layout (`syndicate.report.cluster_graph.cluster_layout`), same
colours and shapes: links coloured (and IP links dashed) by their strongest evidence kind,
accounts as grey dots, red squares (confirmed bad) or blue diamonds (confirmed good), central
accounts larger. Each account carries its id as a hover tip; with ``mask_ids`` (the run
report) ids are masked as everywhere else in the report. Written in one vectorised pass per
kind and per label, a card's picture costs a few milliseconds.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.masking import mask_key, mask_value
from syndicate.report import svg
from syndicate.report.cluster_graph import (
    KIND_STYLES,
    LABEL_COLOURS,
    LABEL_NAMES,
    cluster_layout,
    kind_colour,
    kind_look,
    node_scale,
    title_lines,
)

# SVG dash patterns for the matplotlib styles of `KIND_STYLES` (ip dashed, "other" dotted).
DASHES = {"ip": "4 2", "other": "1 1.5"}
SHAPES = {1: "square", 0: "diamond", None: "circle"}
LEGEND_SWATCH = {"ip": "dash", "other": "dots"}
PLOT_WIDTH, LEGEND_WIDTH, PAD = 400, 190, 14
LABELLED_NODES = 30  # up to this many accounts, each is named next to its dot


def _names(ids: list[str], mask_ids: bool) -> tuple[list[str], list[str]]:
    """(hover tip, short visible label) per account id."""
    if not mask_ids:
        return ids, ids
    key = mask_key()
    full = [mask_value("account", i, key=key) for i in ids]
    # The visible label drops the "account:" kind and half the digest: enough to tell the
    # dots apart and to find the member in the table (which shows the full mask).
    return full, [f[len("account:"):][:-8] for f in full]


def cluster_graph_svg(members: pl.DataFrame, edges: pl.DataFrame, *, max_nodes: int = 150, seed: int = 0,
                      title: str | None = None, alt: str | None = None, mask_ids: bool = False) -> svg.Svg:
    """One cluster's link graph as an `Svg` (see `syndicate.report.cluster_graph.draw_cluster_graph`
    for ``members``, ``edges``, ``max_nodes``, ``seed`` and ``title``).

    ``alt`` is the accessible name (default: the title lines); ``mask_ids`` masks account ids
    in the hover tips and labels (`syndicate.masking.mask_value`).

    Each account is a ``<circle>`` or ``<path>`` of class ``node`` with a ``<title>``; the links
    of one kind are ``<line>`` elements in a ``<g class="links" data-kind=…>`` with the kind's
    colour.
    """
    layout = cluster_layout(members, edges, max_nodes=max_nodes, seed=seed)
    lines = title_lines(layout, title=title, max_nodes=max_nodes, seed=seed)
    info, xy, shown, present = layout["info"], layout["xy"], layout["edges"], layout["present"]
    n = len(layout["nodes"])
    header = 16 * len(lines) + 8
    # A larger square for more accounts, so that dots do not merge.
    side = PLOT_WIDTH if n <= 60 else PLOT_WIDTH + 60
    px = PAD + (xy[:, 0] + 1) / 2 * (side - 2 * PAD) if n else np.zeros(0)
    py = header + PAD + (1 - (xy[:, 1] + 1) / 2) * (side - 2 * PAD) if n else np.zeros(0)

    parts = [svg.text(6, 14 + 16 * i, line, size=12 if i == 0 and title else 10.5,
                      weight="bold" if i == 0 and title else None) for i, line in enumerate(lines)]
    width_scale = 2.5 if n <= 60 else 1.2
    opacity = 0.9 if shown.height <= 300 else 0.55
    for kind in present["kind"].to_list():  # the most common kind first: rarer kinds stay on top
        part = shown.filter(pl.col("kind") == kind)
        ia, ib = part["ia"].to_numpy(), part["ib"].to_numpy()
        look = kind_look(kind)
        dash = f' stroke-dasharray="{DASHES[look]}"' if look in DASHES else ""
        parts.append(f'<g class="links" data-kind="{svg.esc(kind)}" stroke="{kind_colour(kind)}" '
                     f'stroke-opacity="{opacity}" stroke-linecap="round"{dash}>'
                     + svg.elements('<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{w}"/>',
                                    x1=px[ia], y1=py[ia], x2=px[ib], y2=py[ib],
                                    w=np.round(0.4 + width_scale * part["weight"].to_numpy(), 2))
                     + "</g>")

    ids = info["account_id"].to_list()
    tips, short = _names(ids, mask_ids)
    labels = info["label"]
    radius = (4.2 if n <= 60 else 2.9) * node_scale(info["role"])
    for value in (None, 0, 1):  # unlabelled first, confirmed bad last: labelled accounts on top
        chosen = (labels.is_null() if value is None else labels == value).fill_null(False).to_numpy()
        if not chosen.any():
            continue
        tip = pl.Series([t for t, c in zip(tips, chosen) if c], dtype=pl.String)
        name = f"{LABEL_NAMES[value]}: " if value is not None else ""
        node = ('<circle class="node" data-label="{lab}" cx="{x}" cy="{y}" r="{r}"><title>{name}{tip}</title></circle>'
                if SHAPES[value] == "circle" else
                f'<path class="node" data-label="{{lab}}" d="{svg.marker_path(SHAPES[value])}" '
                'transform="translate({x},{y}) scale({r})" stroke-width="{sw}"><title>{name}{tip}</title></path>')
        k = int(chosen.sum())
        columns = dict(lab=pl.Series(["unlabelled" if value is None else str(value)] * k), x=px[chosen],
                       y=py[chosen], r=np.round(radius[chosen] * (1.15 if value is not None else 1.0), 2),
                       name=pl.Series([name] * k, dtype=pl.String), tip=tip)
        if SHAPES[value] != "circle":
            columns["sw"] = pl.Series(np.round(0.6 / columns["r"], 3)).cast(pl.String)
        parts.append(f'<g fill="{LABEL_COLOURS[value]}" stroke="{svg.INK}" stroke-width="0.6">'
                     + svg.elements(node, **columns) + "</g>")
    if 0 < n <= LABELLED_NODES:
        parts.append(f'<g font-size="8" fill="#333333">'
                     + svg.elements('<text x="{x}" y="{y}">{t}</text>', x=px + 4, y=py - 4,
                                    t=pl.Series(short, dtype=pl.String)) + "</g>")

    legend = [(LEGEND_SWATCH.get(kind_look(k), "line"), f"{k} ({c:,})", kind_colour(k)) for k, c in present.iter_rows()]
    counts = {1: int((labels == 1).sum()), 0: int((labels == 0).sum()), None: labels.null_count()}
    legend += [(SHAPES[v], f"{LABEL_NAMES[v]} ({counts[v]:,})", LABEL_COLOURS[v]) for v in (1, 0, None) if counts[v]]
    if "central" in info["role"].to_list():
        legend.append(("circle", "central account (larger)", "#B8C2CA"))
    left = side + 8
    parts.append(svg.legend(legend, x=left, y=header + 12, title="links by strongest evidence"))
    width = max([left + LEGEND_WIDTH] + [svg.text_width(line, 11) + 12 for line in lines])
    height = header + max(side, 30 + 15 * len(legend))
    kinds = ", ".join(f"{k} {c:,}" for k, c in present.iter_rows()) or "none"
    return svg.document(width, height, "".join(parts), title=alt or " — ".join(lines),
                        desc=f"{n:,} accounts drawn; links drawn by strongest evidence: {kinds}.")


__all__ = ["cluster_graph_svg", "DASHES"]

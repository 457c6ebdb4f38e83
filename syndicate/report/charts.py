"""Charts for the run report: each a pure function of frames that returns an SVG picture.

Every chart is drawn for a reader who is not a data scientist: plain axis names, the
high-risk line drawn in, counts written on the bars where they matter. Link kinds have the
same colours as in the cluster pictures (`syndicate.report.cluster_graph.kind_colour`).
Charts are `syndicate.report.svg.Svg` text: inlined in the report, shown by notebooks, drawn
in milliseconds (a cluster table of a million-account run holds thousands of rows).
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl

from syndicate.report import svg
from syndicate.report.cluster_graph import kind_colour

HIGH = "#D55E00"     # high risk (vermilion; Okabe–Ito, colour-blind-safe against the blue)
LOW = "#7FA7C9"      # below the threshold
GREY = "#8A969F"
# Okabe–Ito colours (Paul Tol's #882255 and #332288 beside them), and a marker per archetype so
# that no pair relies on colour alone:
# risky archetypes are triangles/diamonds/hexagons, benign ones circles/squares.
ARCHETYPE_COLOURS = {
    "matrix_accounts": "#D55E00", "engagement_farm": "#CC79A7", "review_ring": "#F0E442",
    "coordinated_ring": "#332288", "mixed": "#E69F00",
    "account_takeover": "#882255", "household": "#009E73", "agency": "#0072B2", "shared_infrastructure": "#56B4E9",
    "audience": "#000000", "low_risk": "#B0B7BD",
}
ARCHETYPE_MARKERS = {
    "matrix_accounts": "triangle", "engagement_farm": "triangle-down", "review_ring": "diamond",
    "coordinated_ring": "hexagon", "mixed": "diamond",
    "account_takeover": "triangle", "household": "circle",
    "agency": "square", "shared_infrastructure": "plus", "audience": "square", "low_risk": "circle",
}
EVIDENCE_ORDER = ("device", "payment", "phone", "email", "address", "ip", "other", "lockstep", "rare_coaction", "rating_burst", "given")
# Plot area of a chart: margins for the axis labels and titles (px).
LEFT, TOP, BOTTOM = 62, 34, 44


def risk_distribution(clusters: pl.DataFrame, *, high_risk_threshold: float = 0.7) -> svg.Svg:
    """How many clusters have each risk score, the high-risk band in vermilion (log scale)."""
    title = "Risk score distribution"
    width, height = 520, 340
    if clusters.height == 0:
        return svg.empty(width, height, title, "no clusters in this run")
    bins = np.linspace(0, 1, 21)
    scores = clusters["risk_score"].to_numpy()
    counts, _ = np.histogram(scores, bins=bins)
    high = bins[:-1] >= high_risk_threshold - 1e-9
    n_high = int((scores >= high_risk_threshold).sum())
    right, bottom = width - 16, height - BOTTOM
    # Log scale: a handful of high-risk clusters next to hundreds of households stays visible.
    top_value = max(2.0, counts.max() * 3.0)
    y = svg.scale(0.7, top_value, bottom, TOP, log=True)
    x = svg.scale(0, 1, LEFT, right)
    powers = 10.0 ** np.arange(0, int(np.floor(np.log10(top_value))) + 1)
    shown = counts > 0
    parts = [svg.text(8, 18, title, size=13, weight="bold"),
             svg.y_axis(powers, y, left=LEFT, right=right, labels=svg.thousands(powers),
                        title="number of clusters (log scale)", top=TOP, bottom=bottom),
             svg.elements('<rect class="bar" data-count="{n}" x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}">'
                          '<title>{n} clusters with risk score {lo}–{hi}</title></rect>',
                          n=counts[shown], x=x(bins[:-1][shown]) + 0.5, y=y(counts[shown]),
                          w=np.full(shown.sum(), x(0.05) - x(0) - 1), h=bottom - y(counts[shown]),
                          c=pl.Series(np.where(high, HIGH, LOW)[shown]),
                          lo=pl.Series([f"{b:.2f}" for b in bins[:-1][shown]]),
                          hi=pl.Series([f"{b:.2f}" for b in bins[1:][shown]])),
             svg.elements(f'<text x="{{x}}" y="{{y}}" text-anchor="middle" font-size="9.5" fill="{HIGH}">{{n}}</text>',
                          x=x(bins[:-1][shown & high] + 0.025), y=y(counts[shown & high]) - 3,
                          n=pl.Series([f"{n:,}" for n in counts[shown & high]])),
             svg.axis_line(x(high_risk_threshold)[()], TOP, x(high_risk_threshold)[()], bottom, colour=HIGH, dash="5 3"),
             svg.text(x(high_risk_threshold)[()] - 4, TOP + 10, f"high risk (≥ {high_risk_threshold:.2f}):",
                      size=10, anchor="end", colour=HIGH),
             svg.text(x(high_risk_threshold)[()] - 4, TOP + 23, f"{n_high:,} clusters", size=10, anchor="end", colour=HIGH),
             svg.x_axis(np.linspace(0, 1, 6), x, y=bottom, labels=[f"{t:.1f}" for t in np.linspace(0, 1, 6)],
                        title="risk score (0 = looks benign, 1 = looks like a syndicate)", left=LEFT, right=right)]
    return svg.document(width, height, "".join(parts), title=title,
                        desc=f"{clusters.height:,} clusters; {n_high:,} at risk score {high_risk_threshold:.2f} or more.")


def size_vs_risk(clusters: pl.DataFrame, *, high_risk_threshold: float = 0.7, label_top: int = 8) -> svg.Svg:
    """Each cluster as a dot: size across, risk up, coloured and shaped by archetype; top ranks numbered."""
    title = "Cluster size vs risk (numbers = rank)"
    width, height, plot_right = 560, 360, 400
    if clusters.height == 0:
        return svg.empty(width, height, title, "no clusters in this run")
    biggest = int(clusters["size"].max())
    bottom = height - BOTTOM
    x = svg.scale(1.6, max(biggest * 1.5, 3), LEFT, plot_right, log=True)
    y = svg.scale(-0.02, 1.05, bottom, TOP)
    ticks = [t for t in (2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000,
                         100_000, 200_000, 500_000) if t <= biggest * 1.5] or [2]
    parts = [svg.text(8, 18, title, size=13, weight="bold"),
             svg.y_axis(np.linspace(0, 1, 6), y, left=LEFT, right=plot_right,
                        labels=[f"{t:.1f}" for t in np.linspace(0, 1, 6)], title="risk score", top=TOP, bottom=bottom),
             svg.x_axis(ticks, x, y=bottom, labels=svg.thousands(ticks), title="cluster size (accounts, log scale)",
                        left=LEFT, right=plot_right),
             svg.axis_line(LEFT, y(high_risk_threshold)[()], plot_right, y(high_risk_threshold)[()], colour=HIGH, dash="5 3")]
    # Clusters drawn on the same spot (to a tenth of a pixel) are one mark: a million-account
    # run has tens of thousands of small clusters on a few hundred distinct spots.
    points = (clusters.select("archetype", x=pl.Series(x(clusters["size"].to_numpy())).round(1),
                              y=pl.Series(y(clusters["risk_score"].to_numpy())).round(1))
              .unique(maintain_order=True))
    legend, defs = [], []
    for archetype in sorted(clusters["archetype"].unique().to_list()):
        part = points.filter(pl.col("archetype") == archetype)
        colour, shape = ARCHETYPE_COLOURS.get(archetype, GREY), ARCHETYPE_MARKERS.get(archetype, "circle")
        mark = f"size-risk-{shape}"
        if mark not in defs:
            defs.append(mark)
        parts.append(f'<g fill="{colour}" fill-opacity="0.85" stroke="white" data-archetype="{svg.esc(archetype)}">'
                     + svg.elements(f'<use href="#{mark}" x="{{x}}" y="{{y}}"/>', x=part["x"], y=part["y"]) + "</g>")
        legend.append((shape, archetype.replace("_", " "), colour))
    parts.insert(0, "<defs>" + "".join(svg.marker(m.removeprefix("size-risk-"), 0, 0, 3.6, "inherit", stroke="inherit")
                                       .replace("<circle ", f'<circle id="{m}" ', 1).replace("<path ", f'<path id="{m}" ', 1)
                                       for m in defs) + "</defs>")
    parts.append(svg.legend(legend, x=plot_right + 14, y=TOP + 8, size=10))
    top = clusters.sort("rank").head(label_top)
    parts.append(_label_points(x(top["size"].to_numpy()), y(top["risk_score"].to_numpy()),
                               [f"#{r}" for r in top["rank"].to_list()]))
    n_high = int((clusters["risk_score"] >= high_risk_threshold).sum())
    return svg.document(width, height, "".join(parts), title="cluster size vs risk",
                        desc=f"{clusters.height:,} clusters from {int(clusters['size'].min()):,} to {biggest:,} "
                             f"accounts; {n_high:,} above the high-risk line at {high_risk_threshold:.2f}.")


# Offsets (px) tried in turn for a label, nearest first; far ones get a leader line.
_OFFSETS = [(5, -4), (5, 11), (-17, -4), (-17, 11), (0, -13), (0, 21)] + [
    (round(r * np.cos(a)), round(r * np.sin(a))) for r in (22, 34, 46) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]


def _label_points(xs: np.ndarray, ys: np.ndarray, texts: list[str], size: float = 9.5) -> str:
    """Write each text next to its point where it overlaps no other label (greedy, in order;
    a handful of labels, so a plain loop)."""
    placed, out = [], []
    for xi, yi, label in zip(xs, ys, texts):
        w, h = svg.text_width(label, size) + 2, size + 2
        for dx, dy in _OFFSETS + [_OFFSETS[0]]:
            box = (xi + dx, yi + dy - h + 2, xi + dx + w, yi + dy + 2)
            if not any(box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in placed):
                break
        placed.append(box)
        if abs(dx) > 17 or abs(dy) > 21:
            out.append(svg.axis_line(xi, yi, xi + dx + w / 2, yi + dy - h / 2, colour=GREY, width=0.5))
        out.append(svg.text(xi + dx, yi + dy, label, size=size))
    return "".join(out)


def _evidence_columns(clusters: pl.DataFrame) -> list[str]:
    present = [c.removeprefix("evidence_") for c in clusters.columns if c.startswith("evidence_")]
    order = [k for k in EVIDENCE_ORDER if k in present] + sorted(set(present) - set(EVIDENCE_ORDER))
    return [f"evidence_{k}" for k in order]


def evidence_mix(clusters: pl.DataFrame, *, top: int = 10) -> svg.Svg:
    """What links the members of the top clusters (and all clusters), by link kind.

    Uses the ``evidence_<kind>`` share columns of the cluster features; the "all clusters" bar
    weights each cluster by its number of links.
    """
    title = "Evidence mix by link kind"
    columns = _evidence_columns(clusters)
    if clusters.height == 0 or not columns:
        return svg.empty(560, 200, title, "no link evidence in this run")
    head = clusters.sort("rank").head(top)
    weight = pl.col("n_edges").cast(pl.Float64) if "n_edges" in clusters.columns else pl.lit(1.0)
    overall = clusters.select([(pl.col(c).fill_null(0) * weight).sum() / weight.sum() for c in columns])
    labels = [svg.shorten(f"#{r} {c}", 24) for r, c in head.select("rank", "cluster_id").iter_rows()] + ["all clusters"]
    shares = np.vstack([head.select(columns).fill_null(0).to_numpy(), overall.to_numpy()]).astype(float)
    row, left, plot = 20, 10 + max(svg.text_width(t, 10) for t in labels), 300
    bottom = TOP + row * len(labels) + 4
    width, height = left + plot + 120, bottom + BOTTOM
    x = svg.scale(0, 1, left, left + plot)
    ys = TOP + row * np.arange(len(labels)) + 3
    parts = [svg.text(8, 18, title, size=13, weight="bold"),
             svg.elements('<text x="{x}" y="{y}" text-anchor="end" font-size="10" dominant-baseline="middle">{t}</text>',
                          x=np.full(len(labels), left - 6), y=ys + 7, t=pl.Series(labels))]
    parts[-1] = parts[-1].replace(f">{svg.esc('all clusters')}</text>", ' font-weight="bold">all clusters</text>')
    legend, start = [], np.zeros(len(labels))
    for j, column in enumerate(columns):
        kind = column.removeprefix("evidence_")
        if shares[:, j].sum() <= 0:
            continue
        share = shares[:, j]
        parts.append(f'<g class="kind" data-kind="{svg.esc(kind)}" fill="{kind_colour(kind)}" stroke="white" stroke-width="0.5">'
                     + svg.elements('<rect x="{x}" y="{y}" width="{w}" height="14"><title>{t}: {p} {k}</title></rect>',
                                    x=x(start), y=ys, w=x(share) - x(0), t=pl.Series(labels),
                                    p=pl.Series(svg.percent(share)), k=pl.Series([kind] * len(labels)))
                     + "</g>")
        legend.append(("box", kind, kind_colour(kind)))
        start += share
    ticks = np.linspace(0, 1, 5)
    parts += [svg.x_axis(ticks, x, y=bottom, labels=svg.percent(ticks), title="share of the link evidence inside the cluster",
                         left=left, right=left + plot),
              svg.legend(legend, x=left + plot + 14, y=TOP + 8, title="link kind", size=10)]
    return svg.document(width, height, "".join(parts), title="evidence mix by link kind",
                        desc="Share of each link kind in the top clusters and in all clusters.")


def _period(creation: pl.DataFrame) -> tuple[str, str]:
    span = creation["day"].max() - creation["day"].min()
    if span > timedelta(days=540):
        return "1mo", "month"
    if span > timedelta(days=90):
        return "1w", "week"
    return "1d", "day"


def creation_over_time(creation: pl.DataFrame) -> svg.Svg:
    """Accounts created per period (bars) and the share of them now inside clusters (lines).

    ``creation`` has ``day`` (date), ``accounts``, ``in_clusters``, ``in_high_risk`` — see
    `syndicate.report.html.creation_by_day`.
    """
    from syndicate.asof import PLAUSIBLE_FROM, PLAUSIBLE_UNTIL

    title = "Account creation over time, and the share inside syndicates"
    width, height = 940, 340
    # Runs clip creation dates into the plausible range; a folder written before that may hold
    # year-1 or year-9999 dates: they are counted in the title, not drawn.
    shown = creation.filter(pl.col("day").is_between(PLAUSIBLE_FROM.date(), PLAUSIBLE_UNTIL.date(), closed="left"))
    left_out = int(creation.filter(~pl.col("day").is_in(shown["day"].implode()))["accounts"].sum())
    title += f" ({left_out:,} accounts with dates out of range not shown)" if left_out else ""
    if shown.height == 0:
        return svg.empty(width, height, title, "no account creation dates" + (" in the plausible range" if left_out else ""))
    every, unit = _period(shown)
    binned = (shown.with_columns(pl.col("day").dt.truncate(every).alias("period"))
              .group_by("period").agg(pl.col("accounts", "in_clusters", "in_high_risk").sum()).sort("period"))
    days = binned["period"].cast(pl.Int64).to_numpy().astype(float)  # days since 1970
    step = {"month": 30.4, "week": 7.0, "day": 1.0}[unit]
    right, bottom = width - 70, height - BOTTOM
    x = svg.scale(days.min() - step, days.max() + step * 1.2, LEFT, right)
    accounts = binned["accounts"].to_numpy().astype(float)
    y = svg.scale(0, max(1.0, accounts.max() * 1.1), bottom, TOP + 30)
    with np.errstate(divide="ignore", invalid="ignore"):
        in_clusters = np.where(accounts > 0, binned["in_clusters"].to_numpy() / accounts, np.nan)
        in_high = np.where(accounts > 0, binned["in_high_risk"].to_numpy() / accounts, np.nan)
    share_top = max(0.05, float(np.nanmax(in_clusters)) * 1.15 if np.isfinite(in_clusters).any() else 1)
    y2 = svg.scale(0, share_top, bottom, TOP + 30)
    counts_ticks = svg.nice_ticks(0, accounts.max() * 1.1, 5)
    share_ticks = svg.nice_ticks(0, share_top, 5)
    bar = max(0.8, (x(step * 0.8) - x(0))[()])
    periods = binned["period"].to_list()
    date_ticks = np.unique(np.linspace(0, len(periods) - 1, min(8, len(periods))).round().astype(int))
    parts = [svg.text(8, 18, title, size=13, weight="bold"),
             svg.y_axis(counts_ticks, y, left=LEFT, right=right, labels=svg.thousands(counts_ticks),
                        title=f"accounts created per {unit}", top=TOP + 30, bottom=bottom),
             svg.elements('<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#C9D3DA"><title>{d}: {n} accounts</title></rect>',
                          x=x(days) - bar / 2, y=y(accounts), w=np.full(len(days), bar), h=bottom - y(accounts),
                          d=binned["period"].cast(pl.String), n=pl.Series(svg.thousands(accounts))),
             _polyline(x(days), y2(in_clusters), "#0072B2", 1.4, "5 3", "share now in any cluster"),
             _polyline(x(days), y2(in_high), HIGH, 1.8, None, "share now in a high-risk cluster"),
             svg.elements(f'<text x="{right + 6}" y="{{y}}" font-size="10" fill="#5b6770" dominant-baseline="middle">{{t}}</text>',
                          y=y2(share_ticks), t=pl.Series(svg.percent(share_ticks))),
             f'<text transform="translate({width - 12},{(TOP + 30 + bottom) / 2:.1f}) rotate(90)" text-anchor="middle" '
             f'font-size="10.5">share inside syndicates</text>',
             svg.x_axis(days[date_ticks], x, y=bottom, labels=[str(periods[i]) for i in date_ticks], left=LEFT, right=right),
             svg.legend([("box", f"accounts created per {unit}", "#C9D3DA"), ("dash", "share now in any cluster", "#0072B2"),
                         ("line", "share now in a high-risk cluster", HIGH)], x=LEFT + 8, y=TOP + 2, size=10)]
    return svg.document(width, height, "".join(parts), title="account creation over time",
                        desc=f"Accounts created per {unit} from {periods[0]} to {periods[-1]}, and the share of them "
                             "now in any cluster and in a high-risk cluster.")


def _polyline(xs: np.ndarray, ys: np.ndarray, colour: str, width: float, dash: str | None, label: str) -> str:
    """A line through the finite points (a gap where a value is missing)."""
    finite = np.isfinite(ys)
    if not finite.any():
        return ""
    runs = np.split(np.arange(len(ys)), np.flatnonzero(np.diff(finite.astype(int))) + 1)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    paths = [" ".join(np.char.add(np.char.add(np.round(xs[r], 1).astype(str), ","), np.round(ys[r], 1).astype(str)))
             for r in runs if finite[r[0]]]
    return "".join(f'<polyline fill="none" stroke="{colour}" stroke-width="{width}"{dashed} points="{p}">'
                   f"<title>{svg.esc(label)}</title></polyline>" for p in paths)


def run_trends(history: pl.DataFrame) -> svg.Svg:
    """Figures of each run in the history, oldest to newest: four small line charts.

    ``history`` has ``run_name`` and the metric columns of `syndicate.history` (``clusters``,
    ``accounts_in_high_risk``, ``new_accounts``, ``accounts_joined``).
    """
    panels = [("clusters", "clusters found"), ("accounts_in_high_risk", "accounts in high-risk clusters"),
              ("new_accounts", "new accounts registered"), ("accounts_joined", "accounts joining clusters")]
    names = history["run_name"].cast(pl.String).to_list()
    panel_width, height, gap = 260, 230, 14
    parts = [svg.text(8, 18, "Trends across runs (red dot = this run)", size=13, weight="bold")]
    shown = sorted({0, len(names) - 1, (len(names) - 1) // 2}) if names else []
    for p, (column, title) in enumerate(panels):
        left = p * (panel_width + gap) + 48
        right, top, bottom = left + panel_width - 56, 52, height - 36
        values = (history[column].cast(pl.Float64).to_numpy()
                  if column in history.columns else np.full(len(names), np.nan))
        peak = np.nanmax(values) if np.isfinite(values).any() else 0
        y = svg.scale(0, max(1.0, peak * 1.15), bottom, top)
        x = svg.scale(0, max(len(names) - 1, 1), left + 6, right - 6)
        ticks = svg.nice_ticks(0, max(1.0, peak * 1.15), 4)
        ticks = ticks[ticks == np.round(ticks)]
        xs = x(np.arange(len(names)))
        parts += [svg.text(left - 40, top - 12, title, size=10.5),
                  svg.y_axis(ticks, y, left=left, right=right, labels=svg.thousands(ticks), top=top, bottom=bottom),
                  _polyline(xs, y(values), "#0b3954", 1.6, None, title),
                  svg.markers("circle", xs[np.isfinite(values)], y(values[np.isfinite(values)]),
                              np.full(int(np.isfinite(values).sum()), 2.4), "#0b3954", stroke="none"),
                  svg.elements('<text x="{x}" y="{y}" text-anchor="middle" font-size="8.5" fill="#5b6770">{t}</text>',
                               x=xs[shown], y=np.full(len(shown), bottom + 13),
                               t=pl.Series([svg.shorten(names[i], 16) for i in shown], dtype=pl.String))]
        if len(names) and np.isfinite(values[-1]):
            parts.append(svg.marker("circle", xs[-1], y(values[-1])[()], 4, HIGH, stroke="none"))
    return svg.document(4 * (panel_width + gap), height, "".join(parts), title="trends across runs",
                        desc=f"{len(names)} runs from {names[0] if names else '–'} to {names[-1] if names else '–'}.")


__all__ = ["risk_distribution", "size_vs_risk", "evidence_mix", "creation_over_time", "run_trends"]

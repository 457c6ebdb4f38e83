"""Charts for the run report: each a pure function of frames that returns a matplotlib Figure.

Every chart is drawn for a reader who is not a data scientist: plain axis names, the
high-risk line drawn in, counts written on the bars where they matter. Link kinds have the
same colours as in the cluster pictures (`syndicate.report.cluster_graph.kind_colour`).
"""

from __future__ import annotations

from datetime import timedelta

import syndicate.report.embed  # noqa: F401  (sets the Agg backend before pyplot)

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullFormatter, PercentFormatter

from syndicate.report.cluster_graph import kind_colour
from syndicate.report.embed import plain_text

HIGH = "#D55E00"     # high risk (vermilion; Okabe–Ito, colour-blind-safe against the blue)
LOW = "#7FA7C9"      # below the threshold
GREY = "#8A969F"
# Okabe–Ito colours, and a marker per archetype so that no pair relies on colour alone:
# risky archetypes are triangles/diamonds, benign ones circles/squares.
ARCHETYPE_COLOURS = {
    "matrix_accounts": "#D55E00", "engagement_farm": "#CC79A7", "mixed": "#E69F00",
    "household": "#009E73", "agency": "#0072B2", "shared_infrastructure": "#56B4E9",
    "low_risk": "#B0B7BD",
}
ARCHETYPE_MARKERS = {
    "matrix_accounts": "^", "engagement_farm": "v", "mixed": "D", "household": "o", "agency": "s",
    "shared_infrastructure": "P", "low_risk": "o",
}
EVIDENCE_ORDER = ("device", "payment", "phone", "email", "address", "ip", "other", "lockstep", "given")


def _tidy(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e9ec", linewidth=0.8)
    ax.set_axisbelow(True)


def _empty(fig: Figure, ax, text: str) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", color=GREY, fontsize=11, transform=ax.transAxes)
    return fig


@plain_text
def risk_distribution(clusters: pl.DataFrame, *, high_risk_threshold: float = 0.7) -> Figure:
    """How many clusters have each risk score, the high-risk band in red."""
    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    if clusters.height == 0:
        return _empty(fig, ax, "no clusters in this run")
    bins = np.linspace(0, 1, 21)
    scores = clusters["risk_score"].to_numpy()
    counts, _ = np.histogram(scores, bins=bins)
    high = bins[:-1] >= high_risk_threshold - 1e-9
    colours = [HIGH if h else LOW for h in high]
    # Log scale: a handful of high-risk clusters next to hundreds of households stays visible.
    ax.bar(bins[:-1], counts, width=0.05, align="edge", color=colours, edgecolor="white")
    ax.set_yscale("log")
    ax.set_ylim(0.7, max(2.0, counts.max() * 3.0))
    for left, n, h in zip(bins[:-1], counts, high):
        if h and n:
            ax.text(left + 0.025, n * 1.1, f"{n:,}", ha="center", va="bottom", fontsize=8.5, color=HIGH)
    ax.axvline(high_risk_threshold, color=HIGH, linestyle="--", linewidth=1)
    n_high = int((scores >= high_risk_threshold).sum())
    ax.text(high_risk_threshold - 0.01, ax.get_ylim()[1] * 0.6,
            f"high risk (≥ {high_risk_threshold:.2f}):\n{n_high:,} clusters", color=HIGH, fontsize=9,
            ha="right", va="top")
    ax.set_xlim(0, 1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else ""))
    ax.set_xlabel("risk score (0 = looks benign, 1 = looks like a syndicate)")
    ax.set_ylabel("number of clusters (log scale)")
    ax.set_title("Risk score distribution", loc="left", fontsize=11)
    _tidy(ax)
    return fig


@plain_text
def size_vs_risk(clusters: pl.DataFrame, *, high_risk_threshold: float = 0.7, label_top: int = 8) -> Figure:
    """Each cluster as a dot: size across, risk up, coloured by archetype; top ranks numbered."""
    fig, ax = plt.subplots(figsize=(5.4, 3.7))
    if clusters.height == 0:
        return _empty(fig, ax, "no clusters in this run")
    for archetype in sorted(clusters["archetype"].unique().to_list()):
        part = clusters.filter(pl.col("archetype") == archetype)
        ax.scatter(part["size"].to_numpy(), part["risk_score"].to_numpy(), s=26, alpha=0.85,
                   color=ARCHETYPE_COLOURS.get(archetype, GREY), label=archetype.replace("_", " "),
                   marker=ARCHETYPE_MARKERS.get(archetype, "o"), edgecolors="white", linewidths=0.4)
    ax.axhline(high_risk_threshold, color=HIGH, linestyle="--", linewidth=1)
    ax.set_xscale("log")
    biggest = int(clusters["size"].max())
    ticks = [t for t in (2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000)
             if t <= biggest * 1.5] or [2]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlim(1.6, max(biggest * 1.5, 3))
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("cluster size (accounts, log scale)")
    ax.set_ylabel("risk score")
    ax.set_title("Cluster size vs risk (numbers = rank)", loc="left", fontsize=11)
    ax.legend(fontsize=8.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _tidy(ax)
    top = clusters.sort("rank").head(label_top)
    _label_points(ax, top["size"].to_numpy(), top["risk_score"].to_numpy(),
                  [f"#{r}" for r in top["rank"].to_list()])
    return fig


# Offsets (points) tried in turn for a label, nearest first; far ones get a leader line.
_OFFSETS = [(5, 3), (5, -11), (-17, 3), (-17, -11), (0, 12), (0, -20)] + [
    (round(r * np.cos(a)), round(r * np.sin(a))) for r in (22, 34, 46) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]


def _label_points(ax, x: np.ndarray, y: np.ndarray, texts: list[str], fontsize: float = 8.5) -> None:
    """Write each text next to its point where it overlaps no other label (greedy, in order)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    placed = []
    for xi, yi, text in zip(x, y, texts):
        for dx, dy in _OFFSETS:
            far = abs(dx) > 17 or abs(dy) > 20
            note = ax.annotate(text, (xi, yi), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                               color="#1d2329", arrowprops=dict(arrowstyle="-", lw=0.5, color=GREY) if far else None)
            box = note.get_window_extent(renderer).expanded(1.08, 1.15)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            note.remove()
        else:
            note = ax.annotate(text, (xi, yi), xytext=_OFFSETS[0], textcoords="offset points",
                               fontsize=fontsize, color="#1d2329")
            placed.append(note.get_window_extent(renderer))


def _evidence_columns(clusters: pl.DataFrame) -> list[str]:
    present = [c.removeprefix("evidence_") for c in clusters.columns if c.startswith("evidence_")]
    order = [k for k in EVIDENCE_ORDER if k in present] + sorted(set(present) - set(EVIDENCE_ORDER))
    return [f"evidence_{k}" for k in order]


@plain_text
def evidence_mix(clusters: pl.DataFrame, *, top: int = 10) -> Figure:
    """What links the members of the top clusters (and all clusters), by link kind.

    Uses the ``evidence_<kind>`` share columns of the cluster features; the "all clusters" bar
    weights each cluster by its number of links.
    """
    columns = _evidence_columns(clusters)
    fig, ax = plt.subplots(figsize=(5.6, 0.36 * (min(top, clusters.height) + 2) + 1.2))
    if clusters.height == 0 or not columns:
        return _empty(fig, ax, "no link evidence in this run")
    head = clusters.sort("rank").head(top)
    weight = pl.col("n_edges").cast(pl.Float64) if "n_edges" in clusters.columns else pl.lit(1.0)
    overall = clusters.select([(pl.col(c).fill_null(0) * weight).sum() / weight.sum() for c in columns])
    labels = [f"#{r} {c}" for r, c in head.select("rank", "cluster_id").iter_rows()] + ["all clusters"]
    shares = np.vstack([head.select(columns).fill_null(0).to_numpy(), overall.to_numpy()])
    y = np.arange(len(labels))[::-1]
    left = np.zeros(len(labels))
    for j, column in enumerate(columns):
        kind = column.removeprefix("evidence_")
        if shares[:, j].sum() <= 0:
            continue
        ax.barh(y, shares[:, j], left=left, color=kind_colour(kind), label=kind, height=0.7,
                edgecolor="white", linewidth=0.5)
        left += shares[:, j]
    ax.set_yticks(y, labels, fontsize=9)
    ax.get_yticklabels()[-1].set_fontweight("bold")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of the link evidence inside the cluster")
    ax.set_title("Evidence mix by link kind", loc="left", fontsize=11)
    ax.legend(fontsize=9, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0), title="link kind",
              title_fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _period(creation: pl.DataFrame) -> tuple[str, str]:
    span = creation["day"].max() - creation["day"].min()
    if span > timedelta(days=540):
        return "1mo", "month"
    if span > timedelta(days=90):
        return "1w", "week"
    return "1d", "day"


@plain_text
def creation_over_time(creation: pl.DataFrame) -> Figure:
    """Accounts created per period (bars) and the share of them now inside clusters (lines).

    ``creation`` has ``day`` (date), ``accounts``, ``in_clusters``, ``in_high_risk`` — see
    `syndicate.report.html.creation_by_day`.
    """
    from syndicate.asof import PLAUSIBLE_FROM, PLAUSIBLE_UNTIL

    fig, ax = plt.subplots(figsize=(9.5, 3.6))
    # Runs clip creation dates into the plausible range; a folder written before that may hold
    # year-1 or year-9999 dates, which matplotlib's date axis cannot draw.
    shown = creation.filter(pl.col("day").is_between(PLAUSIBLE_FROM.date(), PLAUSIBLE_UNTIL.date(), closed="left"))
    left_out = int(creation.filter(~pl.col("day").is_in(shown["day"].implode()))["accounts"].sum())
    creation = shown
    if creation.height == 0:
        return _empty(fig, ax, "no account creation dates" + (" in the plausible range" if left_out else ""))
    every, unit = _period(creation)
    binned = (
        creation.with_columns(pl.col("day").dt.truncate(every).alias("period"))
        .group_by("period").agg(pl.col("accounts", "in_clusters", "in_high_risk").sum())
        .sort("period")
    )
    x = binned["period"].to_list()
    widths = {"month": 25, "week": 6, "day": 0.8}[unit]
    ax.bar(x, binned["accounts"].to_numpy(), width=widths, color="#C9D3DA", label=f"accounts created per {unit}")
    ax.set_ylabel(f"accounts created per {unit}")
    _tidy(ax)
    share = ax.twinx()
    accounts = binned["accounts"].to_numpy().astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        in_clusters = np.where(accounts > 0, binned["in_clusters"].to_numpy() / accounts, np.nan)
        in_high = np.where(accounts > 0, binned["in_high_risk"].to_numpy() / accounts, np.nan)
    share.plot(x, in_clusters, color="#0072B2", linewidth=1.4, linestyle="--", label="share now in any cluster")
    share.plot(x, in_high, color=HIGH, linewidth=1.8, label="share now in a high-risk cluster")
    share.yaxis.set_major_formatter(PercentFormatter(1.0))
    share.set_ylim(0, max(0.05, float(np.nanmax(in_clusters)) * 1.15 if np.isfinite(in_clusters).any() else 1))
    share.set_ylabel("share inside syndicates")
    share.spines[["top"]].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper left")
    ax.set_title("Account creation over time, and the share inside syndicates"
                 + (f" ({left_out:,} accounts with dates out of range not shown)" if left_out else ""),
                 loc="left", fontsize=11)
    fig.autofmt_xdate()
    return fig


@plain_text
def run_trends(history: pl.DataFrame) -> Figure:
    """Figures of each run in the history, oldest to newest: four small line charts.

    ``history`` has ``run_name`` and the metric columns of `syndicate.history` (``clusters``,
    ``accounts_in_high_risk``, ``new_accounts``, ``accounts_joined``).
    """
    panels = [("clusters", "clusters found"), ("accounts_in_high_risk", "accounts in high-risk clusters"),
              ("new_accounts", "new accounts registered"), ("accounts_joined", "accounts joining clusters")]
    fig, axes = plt.subplots(1, len(panels), figsize=(11, 2.7), sharex=True)
    names = history["run_name"].to_list()
    x = np.arange(len(names))
    for ax, (column, title) in zip(axes, panels):
        values = (history[column].cast(pl.Float64).to_numpy()
                  if column in history.columns else np.full(len(names), np.nan))
        ax.plot(x, values, marker="o", color="#0b3954", linewidth=1.6, markersize=4)
        if len(x) and np.isfinite(values[-1]):
            ax.plot(x[-1], values[-1], marker="o", color=HIGH, markersize=7)
        ax.set_title(title, fontsize=9, loc="left")
        top = np.nanmax(values) if np.isfinite(values).any() else 0
        ax.set_ylim(0, max(1.0, top * 1.15))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        _tidy(ax)
    # At most three labels per panel, always the first and this run: dates stay readable.
    shown = sorted({0, len(names) - 1, (len(names) - 1) // 2}) if names else []
    for ax in axes:
        ax.set_xticks([x[i] for i in shown], [names[i] for i in shown], fontsize=7)
    fig.suptitle("Trends across runs (red dot = this run)", x=0.01, ha="left", fontsize=11)
    fig.tight_layout()
    return fig


__all__ = ["risk_distribution", "size_vs_risk", "evidence_mix", "creation_over_time", "run_trends"]

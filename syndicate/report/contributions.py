"""Why a cluster scores as it does, as a picture: a waterfall of its largest feature contributions.

Like Splink's match-weight waterfall: the score starts from the average cluster, each feature
moves it up (towards a syndicate) or down, and the bars end at the cluster's model score.
Contributions are in log-odds (SHAP values of the risk model, or the scorecard's indicator
points for an unsupervised run), so they add up exactly; a second axis reads them as a
probability.
"""

from __future__ import annotations

import textwrap
from typing import Any

import syndicate.report.embed  # noqa: F401  (sets the Agg backend before pyplot)

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
from matplotlib.figure import Figure

from syndicate.report.embed import plain_text
from syndicate.risk.feature_words import feature_words, format_value

UP = "#D55E00"      # towards a syndicate (vermilion)
DOWN = "#0072B2"    # away from it (blue): the Okabe–Ito pair, safe for colour-blind readers
ENDS = "#5B6770"


EVIDENCE_STEP = "evidence_weighting"


def cluster_contributions(clusters: pl.DataFrame, *, model: Any = None,
                          risk: dict[str, Any] | None = None) -> dict[str, dict[str, Any]] | None:
    """Per cluster id: ``base`` (log-odds of the average cluster), ``terms`` (feature, value,
    contribution), ``evidence`` (the log-odds step of the evidence weighting, see
    `syndicate.risk.score.evidence_weighted`), ``end`` (the resulting model score) and
    ``source``; ``None`` when the run's scores cannot be re-explained (scored by a saved model
    the run does not hold).

    ``clusters`` are rows of ``clusters.parquet`` (every feature column is there); ``risk`` the
    run's ``[risk]`` settings (defaults when not given).
    """
    if clusters.height == 0:
        return {}
    try:
        return _contributions(clusters, model, risk)
    except (pl.exceptions.ColumnNotFoundError, ValueError):
        return None  # features missing (an older run folder, or a model for other features)


def _contributions(clusters: pl.DataFrame, model: Any, risk: dict[str, Any] | None) -> dict[str, dict[str, Any]] | None:
    from syndicate.config import Config
    from syndicate.risk.score import evidence_weighted

    unsupervised = "score_source" in clusters.columns and (clusters["score_source"] == "unsupervised").all()
    if unsupervised:
        from syndicate.risk.unsupervised import BIAS, scorecard

        _, names, terms = scorecard(clusters)
        base = np.full(clusters.height, BIAS)
        values = [[None] * len(names)] * clusters.height
        source = "scorecard points"
    elif model is not None:
        names = list(model.feature_names_)
        raw = model.contributions(clusters, exact=True)
        terms, base = raw[:, :-1], raw[:, -1]
        values = clusters.select(names).rows()
        source = "risk model"
    else:
        return None
    raw = _expit(base + np.asarray(terms).sum(axis=1))
    settings = Config.from_dict({"risk": risk or {}}).risk
    weighted = evidence_weighted(raw, clusters, settings)  # thinly linked clusters pulled to the prior
    step = _logit(weighted) - _logit(raw)
    out = {}
    for i, cluster_id in enumerate(clusters["cluster_id"].to_list()):
        out[cluster_id] = {"base": float(base[i]), "source": source, "evidence": float(step[i]),
                           "end": float(weighted[i]),
                           "terms": [(n, v, float(c)) for n, v, c in zip(names, values[i], terms[i])]}
    return out


def _expit(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def _logit(p):
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@plain_text
def waterfall(explanation: dict[str, Any], *, top: int = 6, title: str | None = None) -> Figure:
    """The waterfall of one cluster's contributions (see `cluster_contributions`)."""
    terms = sorted(explanation["terms"], key=lambda t: -abs(t[2]))
    shown, rest = terms[:top], terms[top:]
    rows = [(f"start: the average cluster ({_expit(explanation['base']):.0%})", None, explanation["base"])]
    for name, value, c in shown:
        label = feature_words(name) if value is None else f"{feature_words(name)}: {format_value(name, value)}"
        rows.append((label, "term", c))
    if rest:
        rows.append((f"{len(rest)} other features", "term", float(sum(t[2] for t in rest))))
    evidence = explanation.get("evidence", 0.0)
    if abs(evidence) >= 0.005:
        rows.append(("weighting by the amount of link evidence", "term", evidence))
    end = explanation["base"] + sum(t[2] for t in terms) + evidence
    rows.append((f"end: model score {_expit(end):.0%}", None, end))

    fig, ax = plt.subplots(figsize=(6.2, 0.36 * len(rows) + 1.25))
    y = np.arange(len(rows))[::-1]
    running = explanation["base"]
    for yi, (label, kind, value) in zip(y, rows):
        if kind is None:  # start and end: a bar from 0 (50%) to the value
            ax.barh(yi, value, color=ENDS, height=0.6)
            continue
        ax.barh(yi, value, left=running, color=UP if value > 0 else DOWN, height=0.6)
        ax.text(running + value, yi, f" {value:+.2f} " if value > 0 else f" {value:+.2f} ", va="center",
                ha="left" if value > 0 else "right", fontsize=9, color="#1d2329")
        running += value
    ax.set_yticks(y, [textwrap.shorten(r[0], 64, placeholder="…") for r in rows], fontsize=10)
    ax.axvline(0, color="#8A969F", linewidth=0.8)
    lo = min(0.0, explanation["base"], end, *np.cumsum([explanation["base"]] + [r[2] for r in rows[1:-1]]))
    hi = max(0.0, explanation["base"], end, *np.cumsum([explanation["base"]] + [r[2] for r in rows[1:-1]]))
    pad = 0.18 * (hi - lo or 1)
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_xlabel(f"log-odds of being a syndicate ({explanation['source']})", fontsize=10)
    top_axis = ax.secondary_xaxis("top", functions=(_expit, _logit))
    top_axis.set_xticks([p for p in (0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99) if lo - pad <= _logit(p) <= hi + pad])
    top_axis.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    top_axis.tick_params(labelsize=9)
    ax.tick_params(axis="x", labelsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title, loc="left", fontsize=11)
    fig.tight_layout()
    return fig


__all__ = ["cluster_contributions", "waterfall"]

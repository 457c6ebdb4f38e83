"""Why a cluster scores as it does, as a picture: a waterfall of its largest feature contributions.

Like Splink's match-weight waterfall: the score starts from the average cluster, each feature
moves it up (towards a syndicate) or down, and the bars end at the cluster's model score.
Contributions are in log-odds (SHAP values of the risk model, or the scorecard's indicator
points for an unsupervised run), so they add up exactly; a second axis reads them as a
probability.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from syndicate.report import svg
from syndicate.risk.feature_words import feature_words, format_value
from syndicate.risk.unsupervised import logit

UP = "#D55E00"      # towards a syndicate (vermilion)
DOWN = "#0072B2"    # away from it (blue): the Okabe–Ito pair, safe for colour-blind readers
ENDS = "#5B6770"


EVIDENCE_STEP = "evidence_weighting"


def cluster_contributions(clusters: pl.DataFrame, *, model: Any = None, risk: dict[str, Any] | None = None,
                          population: pl.DataFrame | None = None) -> dict[str, dict[str, Any]] | None:
    """Per cluster id: ``base`` (log-odds of the average cluster), ``terms`` (feature, value,
    contribution), ``blend`` (the log-odds step of mixing a model's score with the scorecard,
    see `syndicate.risk.score.model_weights`; 0 for the scorecard), ``evidence`` (the log-odds
    step of the evidence weighting, see
    `syndicate.risk.score.evidence_weighted`), ``end`` (the resulting model score) and
    ``source``; ``None`` when the run's scores cannot be re-explained (scored by a saved model
    the run does not hold).

    ``clusters`` are rows of ``clusters.parquet`` (every feature column is there); ``risk`` the
    run's ``[risk]`` settings (defaults when not given); ``population`` all the run's clusters,
    whose labels set how much the model weighs (default: ``clusters``).
    """
    if clusters.height == 0:
        return {}
    try:
        return _contributions(clusters, model, risk, clusters if population is None else population)
    except (pl.exceptions.ColumnNotFoundError, ValueError):
        return None  # features missing (an older run folder, or a model for other features)


def _contributions(clusters: pl.DataFrame, model: Any, risk: dict[str, Any] | None,
                   population: pl.DataFrame) -> dict[str, dict[str, Any]] | None:
    from syndicate.config import Config
    from syndicate.risk.score import cluster_targets, evidence_weighted, model_weights
    from syndicate.risk.unsupervised import scorecard

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
    mixed = raw
    if not unsupervised:
        # The model's score mixed with the scorecard where few labelled clusters are bound
        # like this one (risk/score.py model_weights).
        labelled, target, _ = cluster_targets(population, settings)
        weights = pl.DataFrame({"cluster_id": population["cluster_id"],
                                "w": model_weights(population, labelled, target, settings)})
        w = clusters.select("cluster_id").join(weights, on="cluster_id", how="left")["w"].fill_null(1.0).to_numpy()
        if (w < 1).any():
            mixed = w * raw + (1 - w) * scorecard(clusters)[0]
    weighted = evidence_weighted(mixed, clusters, settings)  # thinly linked clusters pulled to the prior
    blend = logit(mixed) - logit(raw)
    step = logit(weighted) - logit(mixed)
    out = {}
    for i, cluster_id in enumerate(clusters["cluster_id"].to_list()):
        out[cluster_id] = {"base": float(base[i]), "source": source, "blend": float(blend[i]),
                           "evidence": float(step[i]), "end": float(weighted[i]),
                           "terms": [(n, v, float(c)) for n, v, c in zip(names, values[i], terms[i])]}
    return out


def _expit(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def waterfall_rows(explanation: dict[str, Any], *, top: int = 6) -> tuple[list[tuple[str, str | None, float]], float]:
    """The bars of a waterfall: (label, ``"term"`` or ``None`` for start/end, log-odds value),
    and the end value. The ``top`` largest terms by size are shown, the rest summed in one bar."""
    terms = sorted(explanation["terms"], key=lambda t: -abs(t[2]))
    shown, rest = terms[:top], terms[top:]
    rows = [(f"start: the average cluster ({_expit(explanation['base']):.0%})", None, explanation["base"])]
    for name, value, c in shown:
        label = feature_words(name) if value is None else f"{feature_words(name)}: {format_value(name, value)}"
        rows.append((label, "term", c))
    if rest:
        rows.append((f"{len(rest)} other features", "term", float(sum(t[2] for t in rest))))
    blend = explanation.get("blend", 0.0)
    if abs(blend) >= 0.005:
        rows.append(("mixed with the scorecard (few labelled clusters bound like this one)", "term", blend))
    evidence = explanation.get("evidence", 0.0)
    if abs(evidence) >= 0.005:
        rows.append(("weighting by the amount of link evidence", "term", evidence))
    end = explanation["base"] + sum(t[2] for t in terms) + blend + evidence
    rows.append((f"end: model score {_expit(end):.0%}", None, end))
    return rows, end


ROW, LABEL_CHARS, PLOT = 22, 62, 250


def waterfall(explanation: dict[str, Any], *, top: int = 6, title: str | None = None,
              alt: str | None = None) -> svg.Svg:
    """The waterfall of one cluster's contributions (see `cluster_contributions`) as an `Svg`.

    One row per bar (class ``bar``, with a ``data-value`` in log-odds): the start (the average
    cluster), the ``top`` largest feature terms, the rest summed, the evidence weighting and
    the end (the model score). Log-odds along the bottom axis, probability along the top.
    """
    rows, end = waterfall_rows(explanation, top=top)
    running = np.cumsum([explanation["base"]] + [r[2] for r in rows[1:-1]])
    starts = np.concatenate([[0.0], running[:-1], [0.0]])
    values = np.array([r[2] for r in rows], dtype=float)
    lefts = np.where([r[1] is None for r in rows], 0.0, starts)
    ends = np.where([r[1] is None for r in rows], values, starts + values)
    lo = min(0.0, explanation["base"], end, running.min())
    hi = max(0.0, explanation["base"], end, running.max())
    pad = 0.18 * (hi - lo or 1)
    lo, hi = lo - pad, hi + pad
    labels = [svg.shorten(r[0], LABEL_CHARS) for r in rows]
    label_width = max(svg.text_width(t, 10.5) for t in labels) + 10
    head = 24 if title else 0
    x0, top_axis = label_width, head + 30
    to_px = svg.scale(lo, hi, x0, x0 + PLOT)
    ys = top_axis + 6 + ROW * np.arange(len(rows))
    bottom = ys[-1] + ROW
    colours = [ENDS if r[1] is None else (UP if r[2] > 0 else DOWN) for r in rows]
    a, b = to_px(np.minimum(lefts, ends)), to_px(np.maximum(lefts, ends))
    parts = [svg.text(4, 16, title, size=12.5, weight="bold") if title else "",
             svg.elements('<rect class="bar" data-value="{v}" x="{x}" y="{y}" width="{w}" height="13" fill="{c}">'
                          '<title>{t}: {s}</title></rect>',
                          v=pl.Series(np.round(values, 4)).cast(pl.String), x=a, y=ys + 2,
                          w=np.maximum(b - a, 0.8), c=pl.Series(colours), t=pl.Series(labels),
                          s=pl.Series([f"{v:+.2f}" for v in values])),
             svg.elements('<text x="{x}" y="{y}" text-anchor="end" font-size="10.5" dominant-baseline="middle">{t}</text>',
                          x=np.full(len(rows), x0 - 8), y=ys + 8.5, t=pl.Series(labels))]
    term = np.array([r[1] == "term" for r in rows])
    up = values > 0
    parts.append(svg.elements('<text x="{x}" y="{y}" text-anchor="{a}" font-size="9.5" dominant-baseline="middle">{t}</text>',
                              x=np.where(up, to_px(ends) + 3, to_px(ends) - 3)[term], y=(ys + 8.5)[term],
                              a=pl.Series(np.where(up, "start", "end")[term]),
                              t=pl.Series([f"{v:+.2f}" for v in values[term]])))
    parts.append(svg.axis_line(to_px(0.0)[()], top_axis, to_px(0.0)[()], bottom, colour="#8A969F", width=0.8))
    ticks = svg.nice_ticks(lo, hi, 5)
    parts.append(svg.x_axis(ticks, to_px, y=bottom, labels=[f"{t:g}" for t in ticks], left=x0, right=x0 + PLOT,
                            title=f"log-odds of being a syndicate ({explanation['source']})"))
    probabilities = np.array([p for p in (0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99) if lo <= logit(p) <= hi])
    xs = to_px(logit(probabilities))
    parts.append(svg.axis_line(x0, top_axis, x0 + PLOT, top_axis)
                 + svg.elements(f'<line x1="{{x}}" x2="{{x}}" y1="{top_axis - 4}" y2="{top_axis}" stroke="#8A969F"/>'
                                f'<text x="{{x}}" y="{top_axis - 7}" text-anchor="middle" font-size="9.5" '
                                'fill="#5b6770">{p}</text>', x=xs, p=pl.Series(svg.percent(probabilities)))
                 + svg.text(x0 + PLOT, head + 10, "probability", size=9.5, anchor="end", colour="#5b6770"))
    described = "; ".join(f"{r[0]} {r[2]:+.2f}" for r in rows[1:-1])
    return svg.document(x0 + PLOT + 40, bottom + 40, "".join(parts),
                        title=alt or title or "contributions to the score",
                        desc=f"From {rows[0][0]} to {rows[-1][0]}: {described}.")


__all__ = ["cluster_contributions", "waterfall", "waterfall_rows"]

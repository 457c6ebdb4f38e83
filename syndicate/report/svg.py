"""Small SVG pictures written as text: the report's figures without a plotting library.

An SVG is a few kilobytes of text inlined in the HTML: it draws in microseconds, scales to any
screen and prints sharp, and its labels are real text (searchable, read by screen readers).
Every text is escaped; a figure is an `Svg` (a ``str`` that notebooks display) carrying a
``<title>`` and ``<desc>`` for assistive technology.

Many shapes at once are written by `elements`, one vectorised polars pass over columns, so no
Python loop runs per node, edge or bar.
"""

from __future__ import annotations

import html
import math
import string
from typing import Any, Iterable

import numpy as np
import polars as pl

FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
INK = "#1d2329"
MUTED = "#5b6770"
GRID = "#e5e9ec"
AXIS = "#8A969F"
CHAR_WIDTH = 0.56  # average glyph width in em of a sans-serif font: enough to lay out labels


SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class Svg(str):
    """An SVG element (text) for inlining in HTML, which Jupyter also shows as a picture.

    Inline SVG in HTML needs no namespace, so the report holds no URL at all; `standalone`
    adds it for a ``.svg`` file or a notebook."""

    def standalone(self) -> str:
        return self.replace("<svg ", f'<svg xmlns="{SVG_NAMESPACE}" ', 1)

    def _repr_svg_(self) -> str:
        return self.standalone()


def esc(value: Any) -> str:
    """Text safe inside an SVG/HTML element or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def text_width(text: str, size: float) -> float:
    """Approximate drawn width of ``text`` at font ``size`` (px)."""
    return len(text) * size * CHAR_WIDTH


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def num(value: float) -> str:
    """A coordinate as short text (one decimal)."""
    return f"{value:.1f}".removesuffix(".0")


def document(width: float, height: float, body: str, *, title: str, desc: str = "") -> Svg:
    """A complete ``<svg>`` of ``width`` x ``height`` px; ``title`` (and ``desc``) are what a
    screen reader says and what a browser shows on hover."""
    # The accessible name is given twice: aria-label for screen readers, <title> for the hover
    # tip (no ids, so the same figure gives the same text and ids never clash in a page).
    return Svg(f'<svg viewBox="0 0 {num(width)} {num(height)}" '
               f'width="{num(width)}" height="{num(height)}" role="img" aria-label="{esc(title)}" '
               f'font-family="{esc(FONT)}" font-size="11" fill="{INK}">'
               f"<title>{esc(title)}</title>" + (f"<desc>{esc(desc)}</desc>" if desc else "")
               + body + "</svg>")


def text(x: float, y: float, value: Any, *, size: float = 11, anchor: str = "start", colour: str = INK,
         weight: str | None = None, baseline: str | None = None) -> str:
    """One escaped text element."""
    extra = (f' font-weight="{weight}"' if weight else "") + (f' dominant-baseline="{baseline}"' if baseline else "")
    return (f'<text x="{num(x)}" y="{num(y)}" font-size="{size:g}" text-anchor="{anchor}" fill="{colour}"{extra}>'
            f"{esc(value)}</text>")


def elements(template: str, **columns: Any) -> str:
    """One element per row: ``template`` with ``{name}`` fields filled from equal-length columns.

    Floats are written with one decimal (a tenth of a pixel); text columns are escaped.
    Vectorised (one polars ``concat_str``), so thousands of shapes cost about as much as one.

    Examples
    --------
    >>> elements('<circle cx="{x}" cy="{y}" r="3"/>', x=[1.0, 2.25], y=[3, 4])
    '<circle cx="1.0" cy="3" r="3"/><circle cx="2.2" cy="4" r="3"/>'
    """
    frame = pl.DataFrame([v.alias(k) if isinstance(v, pl.Series) else pl.Series(k, np.asarray(v))
                          for k, v in columns.items()])
    if frame.height == 0:
        return ""
    parts: list[pl.Expr] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(pl.lit(literal))
        if field is None:
            continue
        col, dtype = pl.col(field), frame.schema[field]
        if dtype.is_float():
            col = col.round(1)
        elif dtype == pl.String:
            col = (col.str.replace_all("&", "&amp;", literal=True).str.replace_all("<", "&lt;", literal=True)
                   .str.replace_all(">", "&gt;", literal=True).str.replace_all('"', "&quot;", literal=True)
                   .str.replace_all("'", "&#x27;", literal=True))
        parts.append(col.cast(pl.String))
    return frame.select(pl.concat_str(parts).str.join("")).item()


def scale(lo: float, hi: float, start: float, end: float, *, log: bool = False):
    """A function mapping data in [lo, hi] to pixels in [start, end] (log10 when ``log``)."""
    if log:
        lo, hi = math.log10(lo), math.log10(hi)
    span = (hi - lo) or 1.0

    def to_px(values):
        v = np.asarray(values, dtype=float)
        if log:
            v = np.log10(np.maximum(v, 1e-300))
        return start + (v - lo) / span * (end - start)
    return to_px


def nice_ticks(lo: float, hi: float, n: int = 5) -> np.ndarray:
    """About ``n`` round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten)."""
    if not np.isfinite(lo) or not np.isfinite(hi) or hi <= lo:
        return np.array([lo]) if np.isfinite(lo) else np.array([0.0])
    raw = (hi - lo) / max(n, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return np.arange(first, hi + step * 1e-6, step)


def axis_line(x1: float, y1: float, x2: float, y2: float, *, colour: str = AXIS, width: float = 1,
              dash: str | None = None) -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" stroke="{colour}" '
            f'stroke-width="{width:g}"{extra}/>')


def y_axis(ticks: Iterable[float], to_px, *, left: float, right: float, labels: Iterable[str],
           title: str = "", top: float = 0, bottom: float = 0) -> str:
    """Horizontal grid lines with tick labels on the left, and an optional rotated title."""
    ticks = np.asarray(list(ticks), dtype=float)
    ys = to_px(ticks)
    out = [elements(f'<line x1="{num(left)}" x2="{num(right)}" y1="{{y}}" y2="{{y}}" stroke="{GRID}"/>', y=ys),
           elements(f'<text x="{num(left - 4)}" y="{{y}}" text-anchor="end" dominant-baseline="middle" '
                    f'font-size="10" fill="{MUTED}">{{t}}</text>', y=ys, t=pl.Series(list(labels), dtype=pl.String)),
           axis_line(left, top, left, bottom) if bottom > top else ""]
    if title:
        middle = (top + bottom) / 2
        out.append(f'<text transform="translate({num(left - 44)},{num(middle)}) rotate(-90)" text-anchor="middle" '
                   f'font-size="10.5" fill="{INK}">{esc(title)}</text>')
    return "".join(out)


def x_axis(ticks: Iterable[float], to_px, *, y: float, labels: Iterable[str], title: str = "",
           left: float = 0, right: float = 0) -> str:
    """A baseline with tick marks and labels below it, and an optional title under them."""
    ticks = np.asarray(list(ticks), dtype=float)
    xs = to_px(ticks)
    out = [axis_line(left, y, right, y) if right > left else "",
           elements(f'<line x1="{{x}}" x2="{{x}}" y1="{num(y)}" y2="{num(y + 4)}" stroke="{AXIS}"/>', x=xs),
           elements(f'<text x="{{x}}" y="{num(y + 15)}" text-anchor="middle" font-size="10" fill="{MUTED}">{{t}}</text>',
                    x=xs, t=pl.Series(list(labels), dtype=pl.String))]
    if title:
        out.append(text((left + right) / 2, y + 31, title, size=10.5, anchor="middle"))
    return "".join(out)


def legend(items: list[tuple[str, str, str]], *, x: float, y: float, title: str = "", size: float = 10) -> str:
    """A column of legend rows at (x, y): ``(swatch, label, colour)`` where swatch is ``line``,
    ``dash``, ``dot``, ``box`` or a marker name of `marker`."""
    out, row = [], 0
    if title:
        out.append(text(x, y, title, size=size, weight="bold"))
        row = 1
    for swatch, label, colour in items:
        cy = y + row * (size + 5) - size * 0.35
        if swatch in ("line", "dash", "dots"):
            dash = {"line": None, "dash": "5 3", "dots": "1.5 2"}[swatch]
            out.append(axis_line(x, cy, x + 18, cy, colour=colour, width=2.5, dash=dash))
        elif swatch == "box":
            out.append(f'<rect x="{num(x + 3)}" y="{num(cy - 5)}" width="12" height="10" fill="{colour}"/>')
        else:
            out.append(marker(swatch, x + 9, cy, 4.5, colour))
        out.append(text(x + 24, y + row * (size + 5), label, size=size))
        row += 1
    return "".join(out)


MARKERS = ("circle", "square", "diamond", "triangle", "triangle-down", "plus", "hexagon")


def marker_path(shape: str) -> str:
    """Path of a marker of radius 1 centred at the origin (scaled with a transform)."""
    return {"square": "M-0.85,-0.85H0.85V0.85H-0.85Z", "diamond": "M0,-1.2L1.1,0L0,1.2L-1.1,0Z",
            "triangle": "M0,-1.15L1.1,0.8H-1.1Z", "triangle-down": "M0,1.15L1.1,-0.8H-1.1Z",
            "plus": "M-0.35,-1H0.35V-0.35H1V0.35H0.35V1H-0.35V0.35H-1V-0.35H-0.35Z",
            "hexagon": "M1.05,0L0.52,0.91H-0.52L-1.05,0L-0.52,-0.91H0.52Z"}[shape]


def marker(shape: str, x: float, y: float, r: float, colour: str, *, stroke: str = INK) -> str:
    """One marker (``circle`` or a `marker_path` shape)."""
    if shape == "circle":
        return (f'<circle cx="{num(x)}" cy="{num(y)}" r="{r:.1f}" fill="{colour}" stroke="{stroke}" '
                f'stroke-width="0.6"/>')
    return (f'<path d="{marker_path(shape)}" transform="translate({num(x)},{num(y)}) scale({r:.2f})" '
            f'fill="{colour}" stroke="{stroke}" stroke-width="{0.6 / r:.3f}"/>')


def markers(shape: str, xs, ys, rs, colour: str, *, stroke: str = INK, css_class: str = "") -> str:
    """Many markers of one shape and colour in one vectorised pass (``rs``: radius per marker)."""
    cls = f' class="{css_class}"' if css_class else ""
    if shape == "circle":
        return elements(f'<circle{cls} cx="{{x}}" cy="{{y}}" r="{{r}}" fill="{colour}" stroke="{stroke}" '
                        f'stroke-width="0.6"/>', x=xs, y=ys, r=rs)
    # A shared path scaled per marker: the stroke width is divided by the scale.
    rs = np.asarray(rs, dtype=float)
    return elements(f'<path{cls} d="{marker_path(shape)}" transform="translate({{x}},{{y}}) scale({{r}})" '
                    f'fill="{colour}" stroke="{stroke}" stroke-width="{{w}}"/>',
                    x=xs, y=ys, r=np.round(rs, 2), w=pl.Series(np.round(0.6 / rs, 3)).cast(pl.String))


def empty(width: float, height: float, title: str, message: str) -> Svg:
    """A chart with nothing to draw: its title and why."""
    return document(width, height, text(8, 18, title, size=13, weight="bold")
                    + text(width / 2, height / 2, message, size=12, anchor="middle", colour=AXIS),
                    title=f"{title}: {message}")


def percent(values) -> list[str]:
    return [f"{v:.0%}" for v in np.asarray(values, dtype=float)]


def thousands(values) -> list[str]:
    return [f"{v:,.0f}" for v in np.asarray(values, dtype=float)]


__all__ = ["Svg", "esc", "document", "text", "elements", "scale", "nice_ticks", "x_axis", "y_axis", "legend",
           "marker", "markers", "empty", "shorten", "text_width", "num", "percent", "thousands", "MARKERS"]

"""Shared pieces for self-contained HTML: figures inline (SVG) or embedded (PNG), tables, escaping.

Every HTML file syndicate writes (run report, case bundle) holds its pictures: SVG inline, or
matplotlib figures as base64 PNG data URIs, so it opens in any browser with no network and no
side files. matplotlib is imported only when a PNG is drawn (`pyplot`): the report's own
figures are SVG and do not need it.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import sys
from typing import Iterable

import polars as pl


# User strings (account ids, kinds, actions, run and strategy names) are drawn as they are:
# "$\\frac{a}{$" is a legal id, and matplotlib would parse it as mathtext (or hand it to LaTeX)
# and fail. Each Text stores these settings when it is created, so drawing functions create
# their texts under this context (`plain_text`), and saving does too.
PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}


def pyplot():
    """matplotlib.pyplot on the Agg backend (no display on servers and CI), imported on first use."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # must precede the first pyplot import
    import matplotlib.pyplot as plt

    return plt


def plain_text(draw):
    """Decorator: every text the drawing function creates is plain text, never mathtext/TeX."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(PLAIN_TEXT):
            return draw(*args, **kwargs)
    return wrapper


def figure_to_data_uri(fig, *, dpi: int = 110) -> str:
    """PNG data URI of a matplotlib figure (the figure is closed)."""
    import matplotlib

    buffer = io.BytesIO()
    # Fixed metadata: the same figure gives the same bytes (no creation date, no version).
    with matplotlib.rc_context(PLAIN_TEXT):
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    pyplot().close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def img_tag(fig, alt: str, *, dpi: int = 110) -> str:
    return f'<img src="{figure_to_data_uri(fig, dpi=dpi)}" alt="{html.escape(alt)}">'


def figure_html(figure, alt: str, caption: str = "", *, css: str = "", dpi: int = 110) -> str:
    """A ``<figure>`` holding an SVG inline (a `syndicate.report.svg.Svg` or any text starting
    with ``<svg``) or a matplotlib figure as a PNG, with an escaped caption. ``alt`` is the
    PNG's alt text (an SVG carries its own ``<title>``)."""
    picture = str(figure) if isinstance(figure, str) else img_tag(figure, alt, dpi=dpi)
    cls = f' class="{css}"' if css else ""
    caption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure{cls}>{picture}{caption}</figure>"


def escape(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, (list, tuple)):
        return "<br>".join(escape(v) for v in value)
    return escape(value)


def html_table(frame: pl.DataFrame, *, columns: Iterable[str] | None = None, max_rows: int = 500,
               css_class: str = "data") -> str:
    """An HTML table of (at most ``max_rows`` rows of) a frame; cells are escaped."""
    columns = list(columns or frame.columns)
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row[c])}</td>" for c in columns) + "</tr>"
        for row in frame.head(max_rows).select(columns).iter_rows(named=True)
    )
    more = (f'<p class="note">{frame.height - max_rows:,} more rows not shown.</p>'
            if frame.height > max_rows else "")
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'


BASE_CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1200px; color: #1d2329; line-height: 1.45; padding: 0 1em; }
h1, h2, h3 { color: #0b3954; } h2 { border-bottom: 2px solid #e0e6ea; padding-bottom: .2em; }
table.data { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: .5em 0 1em; }
table.data th, table.data td { border: 1px solid #d5dde2; padding: 4px 8px; text-align: left;
                               vertical-align: top; }
table.data th { background: #f1f5f8; }
.note { color: #5b6770; font-size: 0.9em; }
.headline { display: flex; gap: 1em; flex-wrap: wrap; }
.headline div { background: #f1f5f8; border-radius: 6px; padding: .6em 1em; min-width: 10em; }
.headline b { display: block; font-size: 1.6em; color: #0b3954; }
.alert { background: #fde8e4; border-left: 4px solid #c8102e; padding: .5em 1em; margin: .3em 0; }
.info { background: #eef5fb; border-left: 4px solid #0072B2; padding: .5em 1em; margin: .3em 0; }
details > summary { cursor: pointer; color: #0b3954; font-weight: 600; margin: .4em 0; }
.scroll { max-height: 36em; overflow: auto; border: 1px solid #d5dde2; margin: .5em 0 1em; }
.scroll table.data { margin: 0; } .scroll thead th { position: sticky; top: 0; z-index: 1; }
img, svg { max-width: 100%; height: auto; }
"""


def page(title: str, body: str) -> str:
    """A complete self-contained HTML document."""
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{BASE_CSS}</style></head>"
            f"<body>{body}</body></html>\n")

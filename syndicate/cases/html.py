"""The case page: one self-contained HTML file an investigator opens, prints or forwards."""

from __future__ import annotations

import polars as pl
from matplotlib.ticker import MaxNLocator

from syndicate.alerts import ARCHETYPE_WORDS
from syndicate.cases.case import Case
from syndicate.report.embed import escape, html_table, img_tag, page, plain_text, pyplot
from syndicate.report.graph_svg import cluster_graph_svg

CASE_CSS = """
.provenance td:first-child { width: 14em; color: #5b6770; }
.reasons li { margin: .2em 0; }
code { font-size: .9em; background: #f1f5f8; padding: 0 .25em; border-radius: 3px; }
.files li { margin: .1em 0; }
"""

ROLE_WORDS = {
    "central": "the most strongly linked tenth of the members",
    "bridge": "joins parts of the cluster that would otherwise fall apart",
    "core": "linked to several members",
    "peripheral": "one link, or among the weakest quarter",
    "unlinked": "no direct link inside the cluster (grouped by behaviour)",
}


def _display(frame: pl.DataFrame) -> pl.DataFrame:
    """Times to the second for reading (the CSV files keep full precision)."""
    return frame.with_columns(
        pl.col(c).dt.strftime("%Y-%m-%d %H:%M:%S") for c, d in frame.schema.items() if d == pl.Datetime)


# (truncate, unit, bar width in days) by the span the timeline covers: bars stay visible on
# the axis (1-day bars on a 12-month axis are hairlines).
PERIODS = ((62, "1d", "day", 0.85), (730, "1w", "week", 6.0), (None, "1mo", "month", 26.0))


def timeline_period(*columns: pl.Series) -> tuple[str, str, float]:
    """The bin (polars truncate string), its name and the bar width in days for a span of times."""
    values = [c.drop_nulls() for c in columns if c is not None and c.drop_nulls().len()]
    if not values:
        return PERIODS[0][1:]
    span = (max(v.max() for v in values) - min(v.min() for v in values)).total_seconds() / 86_400
    for limit, every, unit, width in PERIODS:
        if limit is None or span <= limit:
            return every, unit, width
    return PERIODS[-1][1:]


@plain_text
def timeline_figure(members: pl.DataFrame, events: pl.DataFrame | None):
    """Account creation (top) and member activity by action (bottom), per day, week or month
    depending on the span covered."""
    has_events = events is not None and events.height > 0
    fig, axes = pyplot().subplots(2 if has_events else 1, 1, figsize=(10, 5.2 if has_events else 2.8),
                             sharex=True, squeeze=False)
    # A stamped creation time (one date on a migration's old accounts, asof.py) is no sign-up:
    # it is left out of the chart, whose label says how many.
    stamped = members["creation_stamped"].fill_null(False) if "creation_stamped" in members.columns else None
    known = members if stamped is None else members.filter(~stamped)
    every, unit, width = timeline_period(known["created_at"], events["ts"] if has_events else None)
    created = known.select(pl.col("created_at").dt.truncate(every)).drop_nulls()
    ax = axes[0, 0]
    if created.height:
        per_day = created.group_by("created_at").agg(pl.len()).sort("created_at")
        ax.bar(per_day["created_at"].to_list(), per_day["len"].to_list(), width=width, align="edge",
               color="#0b3954")
    n_stamped = 0 if stamped is None else int(stamped.sum())
    ax.set_ylabel(f"accounts created\nper {unit}" + (f"\n({n_stamped} stamped: not shown)" if n_stamped else ""))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Account creation and member activity per {unit} (UTC)", fontsize=10, loc="left")
    if has_events:
        ax = axes[1, 0]
        daily = (events.with_columns(pl.col("ts").dt.truncate(every).alias("day"))
                 .group_by("day", "action").agg(pl.len()).sort("day"))
        top_actions = (daily.group_by("action").agg(pl.col("len").sum())
                       .sort(["len", "action"], descending=[True, False])["action"].head(6).to_list())
        palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999999"]
        days = daily.select("day").unique().sort("day")
        bottom = [0] * days.height
        groups = top_actions + (["other"] if daily["action"].n_unique() > len(top_actions) else [])
        for colour, action in zip(palette, groups):
            chosen = (pl.col("action").is_in(top_actions).not_() if action == "other"
                      else pl.col("action") == action)
            counts = (days.join(daily.filter(chosen).group_by("day").agg(pl.col("len").sum()), on="day", how="left")
                      ["len"].fill_null(0).to_list())
            ax.bar(days["day"].to_list(), counts, bottom=bottom, width=width, align="edge", color=colour,
                   label=action)
            bottom = [b + c for b, c in zip(bottom, counts)]
        ax.set_ylabel(f"member events\nper {unit}")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, frameon=False, ncol=len(groups), loc="lower left", bbox_to_anchor=(0, 1.0))
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _provenance(case: Case) -> str:
    run, model = case.summary["run"], case.summary.get("model")
    rows = [
        ("run id", run["run_id"]), ("run folder", run["run_dir"]),
        ("config hash (sha256)", run["config_hash"]), ("seed", run["seed"]),
        ("syndicate version of the run", run["syndicate_version"]),
        ("data as of", run["reference_time"]), ("input data", run["input_data_dir"]),
        ("score source", case.summary.get("score_source")),
    ]
    if model:
        rows.append(("model", f"{model.get('origin')}; xgboost {model.get('xgboost_version', '?')}; "
                              f"trained on {model.get('n_train', '?')} clusters"))
        if model.get("model_sha256"):
            rows.append(("model sha256", model["model_sha256"]))
    else:
        rows.append(("model", "no supervised model (unsupervised score)"))
    rows.append(("identifier values", case.summary["identifier_values"]))
    body = "".join(f"<tr><td>{escape(k)}</td><td><code>{escape(v)}</code></td></tr>" for k, v in rows)
    return f'<table class="data provenance"><tbody>{body}</tbody></table>'


def case_page(case: Case, *, max_nodes: int = 150, seed: int = 0) -> str:
    """The complete HTML of a case."""
    s = case.summary
    cid = escape(case.cluster_id)
    parts = [f"<h1>Case: cluster {cid}</h1>"]
    if s["identifier_values"] == "revealed":
        parts.append('<p class="alert"><b>Raw identifier values are shown</b> (exported with '
                     '<code>--reveal</code>). Handle this file under your data-protection rules.</p>')
    else:
        parts.append('<p class="note">Identifier values are masked: kind, first characters and a stable '
                     'hash, so equal values read as equal (<code>device:3fa…#9c01d2e4a1b2c3d4</code>).</p>')
    risk = "–" if s["risk_score"] is None else f"{s['risk_score']:.2f}"
    parts.append(
        '<div class="headline">'
        f"<div><b>{s['size']:,}</b>accounts</div>"
        f"<div><b>{risk}</b>risk score</div>"
        f"<div><b>{s['rank']} / {s['n_clusters_in_run']:,}</b>rank in run</div>"
        f"<div><b>{escape(ARCHETYPE_WORDS.get(s['archetype'], s['archetype']))}</b>looks like</div>"
        f"<div><b>{s['n_known_bad']} / {s['n_known_good']}</b>confirmed bad / good</div>"
        "</div>")
    parts.append("<h2>Why it ranks here</h2><ul class=\"reasons\">"
                 + "".join(f"<li>{escape(r)}</li>" for r in s["reasons"]) + "</ul>")
    parts.append(f'<p class="note">Found by: {escape(s.get("found_by"))}. '
                 f'Links inside the cluster: {s["counts"]["links"]:,}.</p>')
    for note in case.notes:  # facts about the export (inputs moved or changed), not alerts
        parts.append(f'<p class="info">{escape(note)}</p>')

    # Members first, then what binds them: what an investigator acts on.
    parts.append(f"<h2>Members ({case.members.height:,})</h2>")
    roles = ", ".join(f"{n} {escape(r)}" for r, n in s["roles"].items())
    parts.append(f"<p>Roles: {roles}.</p><ul class=\"note\">"
                 + "".join(f"<li><b>{r}</b>: {w}</li>" for r, w in ROLE_WORDS.items() if r in s["roles"])
                 + "</ul>")
    if "own_score" in case.members.columns and case.members["own_score"].drop_nulls().len():
        own = case.members["own_score"].drop_nulls()
        parts.append(f'<p class="note">Each member\'s own account score (<i>own_score</i>, before the '
                     f"cluster's risk is counted): median {own.median():.2f}, from {own.min():.2f} to "
                     f"{own.max():.2f}; {int((own >= 0.5).sum()):,} of {own.len():,} at 0.5 or more. "
                     "<i>risk_score</i> is the member's risk in the run: its own score and what it "
                     "inherits from the cluster (the cluster's risk for a member linked at least a "
                     "quarter as strongly as the typical member, less in proportion for one linked "
                     "more weakly) combined as independent evidence, so at least either; "
                     "<i>score_source</i> says which part was the larger (supervised, unsupervised or "
                     "cluster).</p>")
    parts.append('<div class="scroll">' + html_table(_display(case.members.drop("label")), max_rows=300) + "</div>")

    parts.append("<h2>What binds them</h2>")
    if case.evidence is None:
        parts.append('<p class="info">The input data of the run is not available, so the identifier '
                     'values and bursts behind the links cannot be shown. The link weights per kind are in '
                     '<code>edges.csv</code>.</p>')
    else:
        units = case.evidence.units
        parts.append(f"<p>{units.height:,} shared identifier values and bursts link two or more members "
                     "(largest first; <i>n_accounts_all</i> counts every account in the data with the value).</p>")
        if not case.evidence.n_aggregated:
            units = units.drop("listed_per_member")
        parts.append('<div class="scroll">' + html_table(_display(units), max_rows=40) + "</div>")
        rows = case.evidence.rows
        if rows.height:
            parts.append(f"<details><summary>Who links whom: {rows.height:,} pairs (click to open)</summary>"
                         + '<div class="scroll">' + html_table(_display(rows), max_rows=150) + "</div>"
                         + '<p class="note">Every row is in <code>evidence.csv</code>. A row links two members '
                         'through one shared identifier value, or one burst (a target both acted on within '
                         f'{escape(s["run"]["lockstep_window_seconds"])} s{_slower_bursts(s["run"], set(units["kind"]))}); first/last '
                         'seen are the times the pair was seen with the value, or acted in the burst.</p></details>')
        else:
            parts.append('<p class="note">No shared identifier value or burst found in the input data.</p>')

    # Graph
    members_for_graph = case.members.select("account_id", "label", "role")
    graph = cluster_graph_svg(members_for_graph, case.edges, max_nodes=max_nodes, seed=seed,
                              title=f"cluster {case.cluster_id}", alt=f"graph of cluster {case.cluster_id}")
    parts.append("<h2>Cluster graph</h2>" + graph)
    parts.append('<p class="note">Edge colour and style: the strongest kind of evidence on the link '
                 '(IP links grey and dashed); width: link weight. Nodes: red squares confirmed bad, blue '
                 'diamonds confirmed good, grey dots unlabelled; large nodes: central accounts. '
                 'Hover over an account for its id. The full graph is in <code>graph.graphml</code> (Gephi, yEd, Neo4j).</p>')

    # Timeline
    if "created_at" in case.members.columns:
        parts.append("<h2>Timeline</h2>" + img_tag(timeline_figure(case.members, case.events),
                                                    "account creation and activity over time"))

    parts.append("<h2>Provenance</h2>" + _provenance(case))
    files = ["summary.json — this summary, machine-readable",
             "members.csv — every member", "edges.csv — the run's links inside the cluster",
             "graph.graphml — the cluster graph with node and edge attributes"]
    if case.evidence is not None:
        files += ["evidence.csv — who links whom, by identifier value or burst",
                  "identifiers.csv — every shared value or burst"]
    if case.events is not None:
        files.append("events.csv — the members' events")
    parts.append("<h2>Files in this case</h2><ul class=\"files\">"
                 + "".join(f"<li>{escape(f)}</li>" for f in files) + "</ul>")
    return page(f"Case {case.cluster_id}", f"<style>{CASE_CSS}</style>" + "".join(parts))



def _slower_bursts(run: dict, kinds: set[str]) -> str:
    """What the wider windows' bursts are, for a case whose evidence (``kinds``) has them: the
    slow co-action pass's (kind ``slow_coaction``) and the days of the review-ring and
    rating-burst units (kinds ``rare_coaction``, ``rating_burst``)."""
    slow = run.get("slow_window_seconds")
    said = f"; for kind slow_coaction within {escape(slow)} s" if slow and "slow_coaction" in kinds else ""
    days = [k for k in ("rare_coaction", "rating_burst") if k in kinds]
    if days:
        said += f"; for kind{'s' if len(days) > 1 else ''} {' and '.join(days)} within days"
    return said

__all__ = ["case_page", "timeline_figure"]

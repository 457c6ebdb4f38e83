"""The run report: one self-contained HTML file a governance reader opens in any browser.

`render_report` turns a run's frames, manifest, alerts and history into HTML (pure);
`build_report` reads a run folder and writes ``report.html`` into it (``syndicate report``).

Reading order is the order of urgency: alerts, where to start, headline figures, every
high-risk cluster in a sortable table (`syndicate.report.cluster_section`), a card per
high-risk cluster with its link graph and score waterfall, then the whole picture (charts),
what changed since the previous run, trends, capped hubs, and the run's parameters last.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.asof import known_creation
from syndicate.alerts import ALERTS_FILE, ARCHETYPE_WORDS
from syndicate.encoding import repeats_looked_at
from syndicate.report import charts
from syndicate.report.cluster_section import CSS as CLUSTER_CSS
from syndicate.report.cluster_section import LINEAGE_WORDS, cluster_cards, cluster_table
from syndicate.report.contributions import cluster_contributions
from syndicate.report.embed import escape, figure_html, html_table, page
from syndicate.runs import RunFolderError, read_run_folder

REPORT_FILE = "report.html"
CREATION_FILE = "creation.parquet"
DISSOLVED_FILE = "dissolved.parquet"

EXTRA_CSS = """
.lede { font-size: 1.05em; } .lede li { margin: .25em 0; }
.ok { background: #eef5fb; border-left: 4px solid #0072B2; padding: .5em 1em; margin: .3em 0; }
.headline small { display: block; color: #5b6770; font-size: .85em; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1em; }
.grid figure, .charts figure { margin: 0; } figcaption { color: #5b6770; font-size: .85em; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 1.2em; }
.charts figure.wide { grid-column: 1 / -1; }
.glossary { background: #f7f9fa; border: 1px solid #e0e6ea; border-radius: 6px; padding: .4em 1em;
            font-size: .9em; } .glossary dt { font-weight: bold; } .glossary dd { margin: 0 0 .4em 1em; }
table.params td:first-child { white-space: nowrap; }
"""


def creation_by_day(accounts: pl.DataFrame, members: pl.DataFrame, clusters: pl.DataFrame, *,
                    high_risk_threshold: float) -> pl.DataFrame:
    """Accounts created per day and how many of them are in a cluster / a high-risk cluster.

    Aggregate counts only (no identifiers): written to the run folder so that the report can
    be rebuilt without the input data.
    """
    high = clusters.filter(pl.col("risk_score") >= high_risk_threshold).select("cluster_id")
    in_high = members.join(high, on="cluster_id", how="semi").select("account_id")
    # Creation stamps (asof.py: one date on a migration's old accounts) are no sign-ups: they
    # would show as one day of thousands; the report's alert names them instead.
    return (
        accounts.select("account_id", known_creation(accounts["created_at"]).dt.date().alias("day"))
        .drop_nulls("day")
        .with_columns(pl.col("account_id").is_in(members["account_id"].implode()).alias("in_clusters"),
                      pl.col("account_id").is_in(in_high["account_id"].implode()).alias("in_high_risk"))
        .group_by("day").agg(pl.len().alias("accounts"), pl.col("in_clusters").sum(),
                             pl.col("in_high_risk").sum())
        .cast({"accounts": pl.Int64, "in_clusters": pl.Int64, "in_high_risk": pl.Int64})
        .sort("day")
    )


# --- small formatting helpers ----------------------------------------------------------------

def _num(value: Any) -> str:
    return "–" if value is None else f"{value:,}"


def _delta(current: Any, previous: Any) -> str:
    if current is None or previous is None:
        return ""
    change = current - previous
    return "no change" if change == 0 else f"{change:+,} since previous run"


def _when(iso: str | None) -> str:
    """An ISO timestamp as people read it (timestamps are UTC)."""
    if not iso:
        return "?"
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M UTC")


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def _archetype(name: str | None) -> str:
    return ARCHETYPE_WORDS.get(name or "", name or "")


def _flatten(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [kv for k, v in value.items() for kv in _flatten(f"{prefix}.{k}" if prefix else k, v)]
    return [(prefix, json.dumps(value) if isinstance(value, (list, tuple)) else str(value))]


def _figure(fig, alt: str, caption: str, css: str = "") -> str:
    return figure_html(fig, alt, caption, css=css)


# --- sections --------------------------------------------------------------------------------

def _no_alert_text(manifest: dict[str, Any], history: pl.DataFrame | None) -> str:
    """Why no alert fired: alerts compare a run with a baseline, which may not exist yet."""
    rules = (manifest.get("config") or {}).get("alerts") or {}
    needed = int(rules.get("min_baseline_runs", 3))
    previous = (manifest.get("lineage") or {}).get("previous_run")
    earlier = max(0, history.height - 1) if history is not None else (1 if previous else 0)
    # The repeated-rows check ran when there were events and it looked at them (rows None may
    # also be an estimate far under the bar).
    checked = (manifest.get("repeated_events")
               and repeats_looked_at(float(rules.get("input_max_repeated_share", 0.1)),
                                     int(manifest.get("events_clock_seconds") or 1)))
    counted = (" The check of the input that needs no baseline (repeated event rows) found nothing."
               if checked else "")
    if not previous:
        return ("<b>No cluster alert can fire yet: this run has no baseline.</b> Alerts compare a run with "
                "earlier ones — new and growing high-risk clusters with the previous run, registration and "
                f"cluster-join spikes with at least {needed} earlier runs. This run has none, so the "
                "high-risk clusters below are not alerts: review them in rank order. Scheduled runs "
                "(<code>--runs-root</code>) get alerts from the next run on." + counted)
    # The spike rules read the last baseline_runs of the earlier runs (alerts.evaluate_alerts).
    used = min(earlier, int(rules.get("baseline_runs", 7)))
    spikes = (f"registration and cluster-join spikes against the median of the {used} runs before it"
              if earlier >= needed else
              f"the spike rules wait for {needed} earlier runs (there {'is' if earlier == 1 else 'are'} {earlier})")
    return (f"No alert fired. New and growing high-risk clusters were compared with run "
            f"<b>{escape(previous)}</b>; {spikes}.")


def _alerts_section(alerts: list[dict[str, Any]] | None, manifest: dict[str, Any] | None = None,
                    history: pl.DataFrame | None = None) -> str:
    if alerts is None:
        return ""
    if not alerts:
        return f'<h2>Alerts</h2><div class="ok">{_no_alert_text(manifest or {}, history)}</div>'
    items = "".join(f'<div class="alert"><b>{escape(a["rule"].replace("_", " "))}</b> — '
                    f'{escape(a["message"])}</div>' for a in alerts)
    return f"<h2>Alerts ({len(alerts)})</h2>{items}"


def _where_to_start(clusters: pl.DataFrame, manifest: dict[str, Any], threshold: float,
                    dissolved: pl.DataFrame | None) -> str:
    high = clusters.filter(pl.col("risk_score") >= threshold).sort("rank")
    points = []
    if high.height:
        points.append(
            f"<b>{_plural(high.height, 'cluster')} score as high risk</b> (risk score "
            f"{threshold:.2f} or more) and hold {_plural(int(high['size'].sum()), 'account')}. "
            f"Review them in rank order: all are in the table below, each with a card further down.")
        first = high.row(0, named=True)
        why = first["reasons"][0] if first["reasons"] else "its overall pattern"
        points.append(
            f"Start with <b>{escape(first['cluster_id'])}</b>: {first['size']:,} accounts that look "
            f"like <b>{escape(_archetype(first['archetype']))}</b> (risk score "
            f"{first['risk_score']:.2f}); main reason: {escape(why)}.")
    else:
        points.append(f"No cluster scores as high risk (risk score {threshold:.2f} or more) in this run.")
    if "lineage" in clusters.columns and (manifest.get("lineage") or {}).get("previous_run"):
        new_high = high.filter(pl.col("lineage") == "new").height
        grown_high = high.filter(pl.col("lineage").is_in(["grown", "merged"])).height
        if new_high or grown_high:
            points.append(f"Since the previous run, {_plural(new_high, 'high-risk cluster')} "
                          f"{'is' if new_high == 1 else 'are'} new and {grown_high:,} grew: "
                          f"these are the likeliest to be active right now.")
        if dissolved is not None and dissolved.height:
            risky = (int((dissolved["previous_risk_score"] >= threshold).sum())
                     if "previous_risk_score" in dissolved.columns else 0)
            including = f" ({risky:,} of them high risk)" if risky else ""
            points.append(f"{_plural(dissolved.height, 'cluster')} from the previous run "
                          f"dissolved{including}, listed under “Changes since the previous run”: "
                          f"banned, gone quiet, or changed {'its' if dissolved.height == 1 else 'their'} identifiers.")
    hubs = (manifest.get("hubs") or {}).get("count", 0)
    if hubs:
        points.append(f"{_plural(hubs, 'shared identifier')} (for example carrier IP addresses) "
                      f"{'was' if hubs == 1 else 'were'} too common to count as evidence and set "
                      f"aside (see “Capped hubs”).")
    return "<h2>Where to start</h2><ul class=\"lede\">" + "".join(f"<li>{p}</li>" for p in points) + "</ul>"


def _headline(manifest: dict[str, Any], clusters: pl.DataFrame) -> str:
    summary = manifest.get("summary") or {}
    lineage = manifest.get("lineage") or {}
    before = lineage.get("previous_summary") or {}
    counts = lineage.get("counts") or {}
    tiles = [
        ("accounts scanned", summary.get("accounts_scanned", (manifest.get("input_rows") or {}).get("accounts")),
         "accounts_scanned"),
        ("clusters found", summary.get("clusters", clusters.height), "clusters"),
        ("high-risk clusters", summary.get("high_risk_clusters"), "high_risk_clusters"),
        ("accounts in high-risk clusters", summary.get("accounts_in_high_risk"), "accounts_in_high_risk"),
    ]
    html_tiles = [f"<div><b>{_num(value)}</b>{escape(label)}<small>{escape(_delta(value, before.get(key)))}</small></div>"
                  for label, value, key in tiles]
    if lineage.get("previous_run"):
        change = (f"{counts.get('new', 0):,} new · {counts.get('grown', 0) + counts.get('merged', 0):,} grown · "
                  f"{lineage.get('dissolved', 0):,} dissolved")
        html_tiles.append(f"<div><b>{escape(change)}</b>clusters since previous run"
                          f"<small>{escape(lineage['previous_run'])}</small></div>")
    else:
        html_tiles.append("<div><b>first run</b>no previous run to compare with<small></small></div>")
    return '<h2>Headline figures</h2><div class="headline">' + "".join(html_tiles) + "</div>"


def _charts(tables: dict[str, pl.DataFrame], threshold: float) -> str:
    clusters = tables["clusters"]
    parts = [
        _figure(charts.risk_distribution(clusters, high_risk_threshold=threshold), "risk score distribution",
                "Most clusters should sit on the left (benign: households, offices). The vermilion bars, "
                "counted above each, are the ones to review. Log scale: each step up is ten times more clusters."),
        _figure(charts.size_vs_risk(clusters, high_risk_threshold=threshold), "cluster size vs risk",
                "Large clusters above the dashed line are the biggest operations; numbers are ranks. "
                "Colour and shape both give what a cluster looks like."),
        _figure(charts.evidence_mix(clusters), "evidence mix by link kind",
                "What ties each cluster together. Devices and payment instruments are strong evidence; IP addresses alone are weak."),
    ]
    creation = tables.get("creation")
    if creation is not None:
        parts.append(_figure(charts.creation_over_time(creation), "account creation over time",
                             "Bars: accounts created. Lines: the share of those accounts now inside clusters. "
                             "A spike in the solid vermilion line marks a registration wave by a syndicate.", css="wide"))
    return "<h2>The whole picture</h2><div class=\"charts\">" + "".join(parts) + "</div>"


def _changes(clusters: pl.DataFrame, manifest: dict[str, Any], dissolved: pl.DataFrame | None) -> str:
    lineage = manifest.get("lineage") or {}
    if not lineage.get("previous_run") or "lineage" not in clusters.columns:
        return ("<h2>Changes since the previous run</h2><p>This is the first run (or no previous run "
                "was given): every cluster is new, and ids are set from today on.</p>")
    counts = (clusters.group_by("lineage").agg(pl.len().alias("clusters"), pl.col("size").sum().alias("accounts"))
              .with_columns(pl.col("lineage").replace_strict(
                  {k: i for i, k in enumerate(LINEAGE_WORDS)}, default=99).alias("o"))
              .sort("o").drop("o"))
    meaning = {
        "new": "not seen in the previous run", "persisting": "same id, same number of members",
        "grown": "same id, more members", "shrunk": "same id, fewer members",
        "merged": "two or more previous clusters joined into one",
        "split": "a previous cluster broke into several; the largest piece keeps the id",
    }
    counts = counts.with_columns(pl.col("lineage").replace_strict(meaning, default="").alias("meaning"),
                                 pl.col("lineage").replace_strict(LINEAGE_WORDS, default=None)
                                 .fill_null(pl.col("lineage")).alias("status"))
    parts = [f"<h2>Changes since the previous run</h2><p>Compared with run "
             f"<b>{escape(lineage['previous_run'])}</b>. A cluster keeps the id of the previous "
             f"cluster it shares the most members with.</p>",
             html_table(counts, columns=["status", "clusters", "accounts", "meaning"])]
    if dissolved is not None and dissolved.height:
        names = {"cluster_id": "cluster", "previous_size": "accounts before",
                 "previous_risk_score": "risk score before", "previous_archetype": "looked like",
                 "still_clustered": "members now in another cluster"}
        shown = (dissolved.sort([c for c in ("previous_risk_score", "previous_size") if c in dissolved.columns],
                                descending=True, nulls_last=True)
                 .select([c for c in names if c in dissolved.columns]))
        if "previous_archetype" in shown.columns:
            shown = shown.with_columns(pl.col("previous_archetype").map_elements(_archetype, return_dtype=pl.String))
        parts.append(f"<h3>Dissolved clusters ({dissolved.height:,})</h3><p class=\"note\">Clusters of the "
                     f"previous run that no cluster of this run continues: banned, gone quiet, or "
                     f"changed identifiers.</p>"
                     + html_table(shown.rename({c: names[c] for c in shown.columns}), max_rows=30))
    else:
        parts.append("<p>No cluster dissolved.</p>")
    return "".join(parts)


def _trends(history: pl.DataFrame | None) -> str:
    if history is None or history.height < 2:
        return ""
    columns = [c for c in ("run_name", "accounts_scanned", "clusters", "high_risk_clusters",
                           "accounts_in_high_risk", "new_accounts", "accounts_joined", "alerts")
               if c in history.columns]
    return ("<h2>Trends across runs</h2>" + figure_html(charts.run_trends(history), "trends across runs")
            + html_table(history.reverse(), columns=columns, max_rows=14))


def _timestamps(manifest: dict[str, Any]) -> str:
    """Which reference time the run used, timestamps it set aside as out of range, and
    creation times read as stamps."""
    from syndicate.asof import describe_creation_stamps, describe_out_of_range

    report = manifest.get("timestamps") or {}
    lines = describe_out_of_range(report)
    stamps = describe_creation_stamps(report)
    out = ""
    if lines or report.get("strays"):
        source = ("given with --as-of" if report.get("source") == "as_of"
                  else "the latest timestamp of the data, a few stray far-future ones set aside")
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        out += (f'<div class="alert"><b>Timestamps out of range.</b> The run measures ages from '
                f"{escape(_when(report.get('reference_time')))} ({escape(source)}); timestamps before "
                f"{escape(str(report.get('plausible_from', ''))[:10])} or after it are out of range. "
                f"Check the source system's clocks and \"unknown date\" defaults.<ul>{items}</ul></div>")
    if stamps:
        items = "".join(f"<li>{escape(line)}</li>" for line in stamps)
        out += (f'<div class="alert"><b>Creation stamps.</b> Many accounts share one exact creation time: '
                f"a migration or import date, or a default where the source kept none. Read as sign-ups "
                f"they would look like one batch.<ul>{items}</ul></div>")
    return out


def _hubs(manifest: dict[str, Any]) -> str:
    hubs = manifest.get("hubs") or {}
    cap = ((manifest.get("config") or {}).get("identity") or {}).get("hub_cap")
    intro = (f"<h2>Capped hubs</h2><p>Identifiers shared by more than {cap} accounts (carrier NAT "
             f"IP addresses, office Wi-Fi, shared kiosks) say nothing about common control, so they "
             f"make no links. They are listed here so that an analyst can check none of them is a "
             f"real operator's pool. Values are masked.</p>")
    intro += _placeholders(manifest.get("placeholder_signals") or {})
    if not hubs.get("count"):
        return intro + "<p>No identifier reached the cap in this run.</p>"
    listed = pl.DataFrame(hubs.get("listed") or [])
    by_kind = ", ".join(f"{k}: {v:,}" for k, v in (hubs.get("by_kind") or {}).items())
    note = f"<p>{hubs['count']:,} hubs ({escape(by_kind)}).</p>"
    return intro + note + (html_table(listed.sort("n_accounts", descending=True), max_rows=25)
                           if listed.height else "")


def _placeholders(entry: dict[str, Any]) -> str:
    """Signals left out for holding a placeholder (syndicate/placeholders.py), by kind."""
    if not entry:
        return ""
    by_kind = ", ".join(f"{k}: {v:,}" for k, v in (entry.get("by_kind") or {}).items())
    return (f"<p>{entry['rows']:,} signal rows of {entry['accounts']:,} accounts held a placeholder "
            f"instead of an identifier (an all-zero id, \"unknown\", 0.0.0.0, …; {escape(by_kind)}) and were left "
            f"out of every stage: a value that stands for no identifier binds no one.</p>")


def account_score_basis(manifest: dict[str, Any]) -> str:
    """What scored the run's accounts, in words (risk/accounts.py): a given or trained account
    model, or the scorecard and the pseudo-label model (risk/pseudo_labels.py) or why not."""
    accounts = manifest.get("accounts") or {}
    metrics = accounts.get("metrics") or {}
    if accounts.get("model"):
        return "the account model the run was given"
    if "oof_auc" in metrics:
        trained = (f"an account model trained on {metrics['n_labelled_accounts']:,} labelled accounts "
                   f"(out-of-fold AUROC {metrics['oof_auc']:.2f})")
        view = metrics.get("label_free_view") or {}
        if "weight" in view:
            return (f"{trained}; cluster members moved {view['weight']:.2f} of the way to the score a run without "
                    f"labels gives them (its model trained out of fold on the {view['pseudo_positive_accounts']:,} "
                    f"members of the clusters it scores high-risk; out-of-fold AUROC "
                    f"{view['out_of_fold_auroc']:.2f})")
        if view.get("skipped_because"):
            return f"{trained}; no label-free view: {view['skipped_because']}"
        return trained
    pseudo = metrics.get("pseudo_labels")
    if pseudo:
        return (f"the scorecard, moved {pseudo['weight']:.2f} of the way to a model trained out of fold on the "
                f"{pseudo['pseudo_positive_accounts']:,} members of high-risk clusters "
                f"({pseudo['pseudo_positive_components']:,} components; out-of-fold AUROC "
                f"{pseudo['out_of_fold_auroc']:.2f})")
    why = metrics.get("pseudo_labels_skipped_because")
    return "the scorecard" + (f" alone: {why}" if why else "")


def cluster_score_move(manifest: dict[str, Any]) -> str | None:
    """How the pseudo-label model moved the clusters' scores (risk/pseudo_labels.py,
    ``with_member_behaviour``; with labels, the label-free view's model), in words; None when it
    did not run or the manifest predates it."""
    metrics = (manifest.get("accounts") or {}).get("metrics") or {}
    for key, model in (("pseudo_labels", "the pseudo-label model"),
                       ("label_free_view", "the model a run without labels trains (a labelled cluster only its "
                                           "model's part of the way)")):
        moved = metrics.get(key) or {}
        if "cluster_weight" in moved:
            unread = moved.get("clusters_read_by_label_free_risk")
            stand_in = (f" ({unread:,} whose members' behaviour is left out — all taken over in a wave, or "
                        "without events — towards their label-free risk instead)" if unread else "")
            return (f"moved {moved['cluster_weight']:.2f} of the way to their members' mean score from {model}"
                    f"{stand_in}: {moved['clusters_raised']:,} raised and {moved['clusters_lowered']:,} lowered "
                    "by 0.05 or more")
    return None


def _parameters(manifest: dict[str, Any]) -> str:
    timings = manifest.get("timings_seconds") or {}
    total = sum(timings.values())
    timing_rows = pl.DataFrame({"stage": list(timings) + ["total"],
                                "seconds": [round(v, 2) for v in timings.values()] + [round(total, 2)]},
                               schema={"stage": pl.String, "seconds": pl.Float64})
    inputs = pl.DataFrame({"table": list((manifest.get("input_rows") or {}).keys()),
                           "rows": [f"{v:,}" for v in (manifest.get("input_rows") or {}).values()]},
                          schema={"table": pl.String, "rows": pl.String})
    about = [("syndicate version", manifest.get("syndicate_version")), ("python", manifest.get("python")),
             ("seed", manifest.get("seed")), ("data up to", _when(manifest.get("reference_time"))),
             ("input folder", (manifest.get("inputs") or {}).get("data_dir")),
             ("risk score source", (manifest.get("risk") or {}).get("score_source")),
             ("account scores", account_score_basis(manifest))]
    if (moved := cluster_score_move(manifest)) is not None:
        about.append(("cluster scores", moved))
    about_frame = pl.DataFrame({"item": [a for a, _ in about], "value": [str(b) for _, b in about]})
    config = pl.DataFrame(_flatten("", manifest.get("config") or {}), schema=["parameter", "value"], orient="row")
    return ("<h2>Run parameters and timings</h2><div class=\"charts\"><div><h3>Run</h3>"
            + html_table(about_frame) + "<h3>Input rows</h3>" + html_table(inputs)
            + "<h3>Timings (seconds)</h3>" + html_table(timing_rows)
            + "</div><div><h3>Configuration</h3>"
            + html_table(config, css_class="data params", max_rows=200) + "</div></div>")


def _cards(tables: dict[str, pl.DataFrame], carded: pl.DataFrame, manifest: dict[str, Any], threshold: float,
           model: Any, case_links: dict[str, str] | None) -> str:
    if carded.height == 0:
        return ""
    high = int((tables["clusters"]["risk_score"] >= threshold).sum())
    which = (f"the {carded.height:,} highest-ranked of the {high:,} high-risk clusters" if high > carded.height
             else "each high-risk cluster" if high else "the top clusters (none is high risk)")
    rest = (f" The other {high - carded.height:,} are in the table; export their case bundles to look "
            f"closer." if high > carded.height else "")
    explanations = cluster_contributions(carded, model=model, risk=(manifest.get("config") or {}).get("risk"),
                                         population=tables["clusters"])
    missing = ("" if explanations is not None else
               " (No score waterfall: the run folder cannot re-explain its scores, for example when a saved "
               "model it does not hold scored them.)")
    return (f"<h2>The clusters one by one</h2><p class=\"note\">A card for {which}: its reasons, a picture "
            f"of its links and a waterfall of what drives its score.{rest}{missing}</p>"
            + cluster_cards(tables, carded, seed=int(manifest.get("seed") or 0), explanations=explanations,
                            case_links=case_links))


GLOSSARY = """
<div class="glossary"><dl>
<dt>Cluster</dt><dd>A group of accounts linked by shared identifiers (devices, payment
instruments, phones, IP addresses) or by acting together — a candidate syndicate.</dd>
<dt>Risk score</dt><dd>From 0 to 1: how much a cluster looks like a syndicate (one operator
running many accounts, or a farm boosting the same targets), learned from past enforcement where
there are labels. It ranks clusters for review; it is not proof.</dd>
<dt>Looks like</dt><dd><i>matrix accounts</i>: one operator's many accounts;
<i>engagement farm</i>: accounts acting in lockstep on others' content; <i>account
takeover</i>: old accounts that took one operator's new device, card, phone or other identifier within a week (a month when they had shared nothing before); <i>household</i>,
<i>agency</i>, <i>shared infrastructure</i>: benign patterns that also share identifiers.</dd>
<dt>Status</dt><dd>How a cluster relates to the previous run: new, unchanged, grown, shrunk,
merged or split. Ids are kept from run to run, so a cluster id can be followed over time.</dd>
</dl></div>
"""


def render_report(tables: dict[str, pl.DataFrame], manifest: dict[str, Any], *,
                  history: pl.DataFrame | None = None, alerts: list[dict[str, Any]] | None = None,
                  pictures: int = 20, model: Any = None, case_links: dict[str, str] | None = None,
                  decisions: pl.DataFrame | None = None) -> str:
    """The run report as one self-contained HTML document.

    Parameters
    ----------
    tables : dict of frames
        ``members``, ``clusters``, ``edges`` of the run; optionally ``dissolved`` (previous
        clusters that dissolved), ``creation`` (`creation_by_day`) and ``labels`` (the input
        labels, to mark confirmed accounts in the cluster pictures).
    manifest : dict
        The run's manifest (``summary`` and ``lineage`` sections are used when present).
    history : polars.DataFrame, optional
        Figures of the runs so far, oldest first, this run included (``syndicate.history``
        columns); a trend section is drawn from two runs on.
    alerts : list of dict, optional
        Fired alerts (``rule``, ``message``); ``None`` leaves the alerts section out.
    pictures : int
        Cards (graph and score waterfall) for at most this many high-risk clusters, in rank
        order (the top three when none is high risk).
    model : RiskModel, optional
        The model that scored the run, for the waterfalls (scorecard runs need none).
    case_links : dict, optional
        Cluster id -> relative link to its exported ``case.html``.
    decisions : polars.DataFrame, optional
        The investigators' decisions (``syndicate.history.read_decisions``): the latest on each
        cluster is shown beside it.
    """
    clusters = tables["clusters"]
    threshold = ((manifest.get("config") or {}).get("risk") or {}).get("high_risk_threshold", 0.7)
    run_name = manifest.get("run_name") or "run"
    dissolved = tables.get("dissolved")
    lineage = manifest.get("lineage") or {}
    compared = (f" · compared with run {escape(lineage['previous_run'])}"
                if lineage.get("previous_run") else " · first run")
    ranked = clusters.sort("rank")
    high = ranked.filter(pl.col("risk_score") >= threshold)
    carded = (high if high.height else ranked.head(3)).head(pictures)
    body = [
        f"<h1>Syndicate report · {escape(run_name)}</h1>",
        f"<p class=\"note\">Data up to {escape(_when(manifest.get('reference_time')))}{compared} · "
        f"syndicate {escape(manifest.get('syndicate_version', ''))}</p>",
        _alerts_section(alerts, manifest, history),
        _timestamps(manifest),
        _where_to_start(clusters, manifest, threshold, dissolved),
        _headline(manifest, clusters),
        cluster_table(clusters, threshold, carded=set(carded["cluster_id"].to_list()), case_links=case_links,
                      compared=bool(lineage.get("previous_run")), decisions=decision_words(decisions)),
        GLOSSARY,
        _cards(tables, carded, manifest, threshold, model, case_links),
        _charts(tables, threshold),
        _changes(clusters, manifest, dissolved),
        _trends(history),
        _hubs(manifest),
        _parameters(manifest),
    ]
    return page(f"Syndicate report {run_name}", f"<style>{EXTRA_CSS}{CLUSTER_CSS}</style>" + "".join(body))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def input_labels(manifest: dict[str, Any]) -> pl.DataFrame | None:
    """The run's input labels (``account_id``, ``label``), when its data folder is still there."""
    from syndicate.io import read_table_file

    data_dir = (manifest.get("inputs") or {}).get("data_dir")
    for suffix in (".parquet", ".csv"):
        path = Path(data_dir) / f"labels{suffix}" if data_dir else None
        if path is not None and path.is_file():
            try:
                return read_table_file(path).select(pl.col("account_id").cast(pl.String),
                                                    pl.col("label").cast(pl.Int64, strict=False))
            except (pl.exceptions.PolarsError, OSError):
                return None  # changed or unreadable since the run: pictures go without labels
    return None


def case_links(run_dir: str | Path, cases_dir: str | Path, run_id: str | None = None) -> dict[str, str]:
    """Cluster id -> link from ``run_dir/report.html`` to its ``case.html`` under ``cases_dir``
    (a folder written by ``syndicate export``; relative, so the two folders can move together).

    ``run_id`` (``syndicate.cases.case.run_info``): the run the report is of. Cases exported
    from another run (a later day's, a re-run's) are refused with a :class:`RunFolderError`:
    a cluster id carries over between runs, so its link would open another run's members."""
    links, foreign = {}, {}
    run_dir, cases_dir = Path(run_dir).resolve(), Path(cases_dir).resolve()
    for summary in sorted(cases_dir.glob("*/summary.json")):
        if not (summary.parent / "case.html").is_file():
            continue
        try:
            document = json.loads(summary.read_text())
        except (json.JSONDecodeError, OSError):
            continue
        cluster_id = document.get("cluster_id") if isinstance(document, dict) else None
        exported = (document.get("run") or {}) if isinstance(document, dict) else {}
        if run_id is not None and isinstance(exported, dict) and exported.get("run_id") not in (None, run_id):
            foreign.setdefault(str(exported.get("run_dir") or "another run"), []).append(summary.parent.name)
            continue
        if cluster_id:
            links[str(cluster_id)] = Path(os.path.relpath(summary.parent / "case.html", run_dir)).as_posix()
    if foreign:
        n = sum(len(cases) for cases in foreign.values())
        origin = ", ".join(sorted(foreign))
        raise RunFolderError(f"{n:,} case bundle{'s' if n > 1 else ''} in {cases_dir} {'were' if n > 1 else 'was'} "
                             f"exported from another run ({origin}), not from {run_dir}: a cluster keeps its id "
                             "from run to run, so the report would link another run's members; the report was "
                             f"not rebuilt. Export this run's cases (syndicate export {run_dir} --out NEW_FOLDER).")
    return links


def decision_words(decisions: pl.DataFrame | None) -> dict[str, str]:
    """Cluster id -> its latest decision in words ("confirmed by alice on 2026-12-02"), and the
    id it was decided on when that cluster has since been merged into this one
    (``decided_on``: :func:`syndicate.history.follow_merges`)."""
    if decisions is None or decisions.height == 0:
        return {}
    if "decided_on" not in decisions.columns:
        decisions = decisions.with_columns(pl.col("cluster_id").alias("decided_on"))
    # The latest decision on each id a cluster was decided on: its own first, then those of the
    # clusters it absorbed (an absorbed piece's later "dismissed" does not hide the cluster's
    # own "confirmed").
    latest = (decisions.sort("decided_at", "cluster_id").group_by("cluster_id", "decided_on", maintain_order=True).last()
              .with_columns((pl.col("decided_on") != pl.col("cluster_id")).alias("_absorbed"))
              .sort("cluster_id", "_absorbed", "decided_on"))
    words: dict[str, list[str]] = {}
    for row in latest.iter_rows(named=True):
        text = f"{row['decision']} by {row['investigator']} on {row['decided_at']:%Y-%m-%d}"
        if row["_absorbed"]:
            text += f" (as {row['decided_on']}, since merged into this cluster)"
        words.setdefault(row["cluster_id"], []).append(text)
    return {cluster_id: "; ".join(texts) for cluster_id, texts in words.items()}


def build_report(run_dir: str | Path, *, history: pl.DataFrame | None = None,
                 cases_dir: str | Path | None = None) -> Path:
    """Rebuild ``report.html`` of a finished run folder from what the folder holds.

    The history is read from ``history.duckdb`` next to the run folder when there is one
    (runs named up to this run's name). Labels for the cluster pictures come from the run's
    input data folder when it is still there; the score waterfalls need the run's ``model/``
    (or a scorecard run). With ``cases_dir`` (written by ``syndicate export``), the clusters
    that have a case link to it.
    """
    from syndicate.history import HistoryBusyError, follow_merges, history_path, read_decisions, read_runs
    from syndicate.risk.model import RiskModel

    run_dir = Path(run_dir)
    if cases_dir is not None and not (Path(cases_dir).is_dir() and any(Path(cases_dir).glob("*/summary.json"))):
        what = "holds no case bundles" if Path(cases_dir).is_dir() else "is no folder"
        raise RunFolderError(f"cases folder {cases_dir} {what} (`syndicate export --out` writes one folder per "
                             "case, with case.html and summary.json); the report was not rebuilt.")
    tables, manifest = read_run_folder(run_dir)
    for name, file in (("dissolved", DISSOLVED_FILE), ("creation", CREATION_FILE)):
        if (run_dir / file).is_file():
            tables[name] = pl.read_parquet(run_dir / file)
    labels = input_labels(manifest)
    if labels is not None:
        tables["labels"] = labels
    alerts = None
    if (run_dir / ALERTS_FILE).is_file():
        alerts = json.loads((run_dir / ALERTS_FILE).read_text()).get("alerts", [])
    if history is None:
        db = history_path(run_dir.resolve().parent)
        name = manifest.get("run_name") or run_dir.name
        try:
            runs = read_runs(db)
        except HistoryBusyError:  # a writer holds the history: the report goes without trends
            runs = pl.DataFrame()
        history = runs.filter(pl.col("run_name") <= name) if runs.height else None
    try:
        decisions = follow_merges(read_decisions(run_dir.resolve().parent), run_dir.resolve().parent,
                                  manifest.get("run_name") or run_dir.name, tables["clusters"])
    except HistoryBusyError:
        decisions = None
    model = RiskModel.load(run_dir / "model") if (run_dir / "model" / "model.json").is_file() else None
    links = None
    if cases_dir is not None:
        from syndicate.cases.case import run_info

        links = case_links(run_dir, cases_dir, run_id=run_info(run_dir, manifest).run_id)
    html = render_report(tables, manifest, history=history, alerts=alerts, model=model, case_links=links,
                         decisions=decisions)
    path = run_dir / REPORT_FILE
    _write_atomic(path, html)
    return path


__all__ = ["render_report", "build_report", "creation_by_day", "case_links", "input_labels", "REPORT_FILE",
           "CREATION_FILE", "DISSOLVED_FILE"]

"""The clusters in the run report: a table of every high-risk cluster that the reader can sort
and filter, and one card per high-risk cluster (reasons, link graph, contribution waterfall,
and its members' own account scores).

The table works without a network: a few lines of inline script sort it (click a column
header) and filter it (a text box, a "high risk only" switch). Without script the whole table
still shows. Rows link to the cluster's card and, when cases were exported, to its case page.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from syndicate.alerts import ARCHETYPE_WORDS
from syndicate.masking import mask_value
from syndicate.report.contributions import waterfall
from syndicate.report.embed import escape
from syndicate.report.graph_svg import cluster_graph_svg

LINEAGE_WORDS = {
    "new": "new", "persisting": "unchanged", "grown": "grown", "shrunk": "shrunk",
    "merged": "merged", "split": "split",
}
MAX_TABLE_ROWS = 1000
# Members listed on a card: the riskiest few tell whether the cluster is carried by a handful
# of accounts or shared by all; the full list is in accounts.parquet and the case bundle.
MEMBERS_ON_CARD = 8

CSS = """
.table-tools { display: flex; gap: 1.2em; align-items: center; flex-wrap: wrap; margin: .4em 0; }
.table-tools input[type=search] { padding: .3em .5em; min-width: 18em; }
.scroll { max-height: 42em; overflow: auto; border: 1px solid #d5dde2; }
.scroll table.data { margin: 0; } .scroll thead th { position: sticky; top: 0; z-index: 1; }
table.sortable th { cursor: pointer; white-space: nowrap; }
table.sortable th[aria-sort=ascending]::after { content: " ▲"; }
table.sortable th[aria-sort=descending]::after { content: " ▼"; }
tr.high td:first-child { border-left: 4px solid #D55E00; }
.card { border: 1px solid #d5dde2; border-radius: 8px; padding: .2em 1em 1em; margin: 1.2em 0; }
.card h3 { margin-bottom: .2em; } .card .pair { display: grid; gap: 1em;
  grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); align-items: start; }
.card figure { margin: 0; }
"""

# Sort on click (numbers by data-v), filter by text and by the high-risk switch.
SCRIPT = """
(function () {
  var table = document.getElementById("clusters");
  if (!table) return;
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("cluster-filter"), high = document.getElementById("high-only");
  var count = document.getElementById("rows-shown");
  function apply() {
    var q = text.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (r) {
      var show = (!high.checked || r.dataset.high === "1") && r.textContent.toLowerCase().indexOf(q) >= 0;
      r.hidden = !show; if (show) n++;
    });
    count.textContent = n;
  }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, i) {
    th.title = "sort by " + th.textContent;
    th.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[i].dataset.v, y = b.cells[i].dataset.v, d;
        if (x !== undefined && y !== undefined) d = parseFloat(x) - parseFloat(y);
        else d = a.cells[i].textContent.localeCompare(b.cells[i].textContent);
        return up ? d : -d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  text.addEventListener("input", apply);
  high.addEventListener("change", apply);
  apply();
})();
"""


def anchor(cluster_id: str) -> str:
    return "cluster-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in cluster_id)


def _status(row: dict[str, Any]) -> str:
    status = LINEAGE_WORDS.get(row.get("lineage") or "", row.get("lineage") or "")
    if row.get("lineage") == "split" and row.get("previous_id") not in (None, row["cluster_id"]):
        status += f" from {row['previous_id']}"
    if row.get("lineage") == "merged":
        others = [p for p in row.get("previous_ids") or [] if p != row["cluster_id"]]
        status += f" with {', '.join(others)}" if others else ""
    return status


def _size(row: dict[str, Any]) -> str:
    size = f"{row['size']:,}"
    if row.get("lineage") not in (None, "new") and row.get("previous_size") is not None:
        change = int(row["size"]) - int(row["previous_size"])
        size += f" ({change:+,})" if change else ""
    return size


def cluster_table(clusters: pl.DataFrame, threshold: float, *, carded: set[str] = frozenset(),
                  case_links: dict[str, str] | None = None, compared: bool = True,
                  decisions: dict[str, str] | None = None) -> str:
    """The clusters, most urgent first, sortable and filterable, showing the high-risk ones
    first (a switch shows the rest): every high-risk cluster, then others up to
    `MAX_TABLE_ROWS` rows. ``decisions``: cluster id -> the latest investigator's decision in
    words (a column when any is given)."""
    if clusters.height == 0:
        return "<h2>Clusters</h2><p>No clusters were found in this run.</p>"
    case_links = case_links or {}
    ranked = clusters.sort("rank")
    n_high = int((ranked["risk_score"] >= threshold).sum())
    shown = ranked.head(max(MAX_TABLE_ROWS, n_high))
    # The status column says something only when there was a previous run to compare with.
    lineage = compared and "lineage" in shown.columns
    decisions = decisions or {}
    decided = any(cid in decisions for cid in shown["cluster_id"].to_list())
    heads = ["rank", "cluster", *(["status"] if lineage else []), "accounts", "risk score", "looks like",
             "why it ranks here", *(["decided"] if decided else []), "case page"]
    rows = []
    for row in shown.iter_rows(named=True):
        cid = row["cluster_id"]
        name = (f'<a href="#{anchor(cid)}">{escape(cid)}</a>' if cid in carded else escape(cid))
        case = (f'<a class="case" href="{escape(case_links[cid])}">case.html</a>' if cid in case_links else "–")
        reasons = "<br>".join(escape(r) for r in (row["reasons"] or ["no single feature stands out"]))
        high = row["risk_score"] >= threshold
        cells = [f'<td data-v="{row["rank"]}">{row["rank"]}</td>', f"<td>{name}</td>",
                 *([f"<td>{escape(_status(row))}</td>"] if lineage else []),
                 f'<td data-v="{row["size"]}">{escape(_size(row))}</td>',
                 f'<td data-v="{row["risk_score"]:.6f}">{row["risk_score"]:.2f}</td>',
                 f"<td>{escape(ARCHETYPE_WORDS.get(row['archetype'], row['archetype']))}</td>",
                 f"<td>{reasons}</td>",
                 *([f"<td>{escape(decisions.get(cid, '–'))}</td>"] if decided else []), f"<td>{case}</td>"]
        rows.append(f'<tr class="{"high" if high else ""}" data-high="{int(high)}">{"".join(cells)}</tr>')
    more = (f'<p class="note">{ranked.height - shown.height:,} lower-ranked clusters are not listed; '
            f"every cluster is in <code>clusters.parquet</code>.</p>" if ranked.height > shown.height else "")
    title = f"The {n_high:,} high-risk clusters" if n_high else "Clusters (none is high risk)"
    tools = (f'<div class="table-tools"><label>Filter: <input type="search" id="cluster-filter" '
             f'placeholder="cluster id, archetype, reason…"></label>'
             f'<label><input type="checkbox" id="high-only"{" checked" if n_high else ""}> high risk only '
             f"(risk score ≥ {threshold:.2f})</label><span class=\"note\"><span id=\"rows-shown\">"
             f"{shown.height:,}</span> of {shown.height:,} rows shown · click a column header to sort</span></div>")
    return (f"<h2>{title}</h2><p class=\"note\">Ranked by risk score; every high-risk cluster is listed. "
            "Accounts: members now (change since the previous run). Case page: the investigator's "
            "bundle, where one was exported (<code>syndicate export</code>, then <code>syndicate report "
            "RUN_DIR --cases CASES_DIR</code>).</p>" + tools
            + f'<div class="scroll"><table class="data sortable" id="clusters"><thead><tr>'
            + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead><tbody>" + "".join(rows)
            + f"</tbody></table></div>{more}<script>{SCRIPT}</script>")


# Accounts drawn per card: enough to show a cluster's shape, few enough for 20 cards to stay light.
NODES_ON_CARD = 80


def carded_links(members: pl.DataFrame, edges: pl.DataFrame, chosen: pl.DataFrame,
                 labels: pl.DataFrame | None = None) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """Members (with ``label`` when ``labels`` are given) and the links inside each cluster of
    ``chosen``, by cluster id: one pass over the run's edges for all cards (a filter per card
    would read every edge of a million-account run once per card)."""
    mine = members.join(chosen.select("cluster_id"), on="cluster_id", how="semi").select("account_id", "cluster_id")
    if labels is not None:
        mine = mine.join(labels.select("account_id", pl.col("label").cast(pl.Int64)).unique("account_id", keep="first"),
                         on="account_id", how="left")
    ids = mine["account_id"].implode()
    # Two filters, not one with "&": the second reads only the few links the first kept.
    links = (edges.filter(pl.col("account_a").is_in(ids)).filter(pl.col("account_b").is_in(ids))
             .join(mine.select(pl.col("account_id").alias("account_a"), "cluster_id"), on="account_a")
             .join(mine.select(pl.col("account_id").alias("account_b"), pl.col("cluster_id").alias("_b")), on="account_b")
             .filter(pl.col("cluster_id") == pl.col("_b")).drop("_b"))
    by_members = {key[0]: frame.drop("cluster_id") for key, frame in mine.partition_by("cluster_id", as_dict=True).items()}
    by_links = {key[0]: frame.drop("cluster_id") for key, frame in links.partition_by("cluster_id", as_dict=True).items()}
    empty = links.clear().drop("cluster_id")
    return by_members, {cid: by_links.get(cid, empty) for cid in by_members}


def _graph_figure(cluster_id: str, members: pl.DataFrame, edges: pl.DataFrame, seed: int):
    """The card's link graph (SVG, account ids masked)."""
    return cluster_graph_svg(members, edges, max_nodes=NODES_ON_CARD, seed=seed,
                             title="links inside the cluster", alt=f"links inside cluster {cluster_id}", mask_ids=True)


def member_scores(members: pl.DataFrame, cluster_id: str, *, n: int = MEMBERS_ON_CARD) -> str:
    """The members' own account scores on a card: their spread and the ``n`` riskiest.

    ``members`` are rows of the run's ``accounts`` table for one cluster. The own score is
    ``model_score`` (before the cluster's risk is folded in: ``risk_score`` combines it with
    what the member inherits from the cluster, so it would say little about the member). Account
    ids are masked.
    """
    if members.height == 0:
        return ""
    own = members["model_score"]
    spread = (f"Members' own account scores (before their cluster's risk is counted): median {own.median():.2f}, "
              f"from {own.min():.2f} to {own.max():.2f}; "
              f"{int((own >= 0.5).sum()):,} of {members.height:,} at 0.5 or more on their own.")
    top = members.sort(["model_score", "account_id"], descending=[True, False]).head(n)
    rows = "".join(
        f"<tr><td><code>{escape(mask_value('account', r['account_id']))}</code></td>"
        f"<td>{r['model_score']:.2f}</td><td>{r['risk_score']:.2f}</td><td>{escape(r['score_source'])}</td>"
        f"<td>{escape((r['reasons'] or ['–'])[0])}</td></tr>"
        for r in top.iter_rows(named=True))
    return (f'<div class="members"><p class="note">{escape(spread)}</p><table class="data"><thead><tr>'
            "<th>member (masked)</th><th>own score</th><th>risk score</th><th>source</th><th>top reason</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></div>")


def cluster_cards(tables: dict[str, pl.DataFrame], chosen: pl.DataFrame, *, seed: int,
                  explanations: dict[str, dict[str, Any]] | None, case_links: dict[str, str] | None = None) -> str:
    """One card per cluster of ``chosen``: headline, reasons, graph, contribution waterfall and,
    when the run scored accounts, its members' own scores (`member_scores`)."""
    if chosen.height == 0:
        return ""
    case_links = case_links or {}
    card_members, card_links = carded_links(tables["members"], tables["edges"], chosen, tables.get("labels"))
    by_cluster: dict[str, pl.DataFrame] = {}
    accounts = tables.get("accounts")
    if accounts is not None:
        # One pass over the accounts for all cards, not one filter per card.
        mine = accounts.select("account_id", "cluster_id", "risk_score", "model_score", "score_source", "reasons") \
            .join(chosen.select("cluster_id"), on="cluster_id", how="semi")
        by_cluster = {key[0]: frame for key, frame in mine.partition_by("cluster_id", as_dict=True).items()}
    cards = []
    for row in chosen.sort("rank").iter_rows(named=True):
        cid = row["cluster_id"]
        looks = ARCHETYPE_WORDS.get(row["archetype"], row["archetype"])
        case = f' · <a href="{escape(case_links[cid])}">case page</a>' if cid in case_links else ""
        graph = _graph_figure(cid, card_members.get(cid, tables["members"].clear().select("account_id")),
                              card_links.get(cid, tables["edges"].clear()), seed)
        graph_caption = ("Dots are accounts (red squares: confirmed bad; blue diamonds: confirmed good), "
                         "lines the links between them, coloured by the strongest evidence. Hover over "
                         "an account for its masked id.")
        parts = [f'<section class="card" id="{anchor(cid)}"><h3>#{row["rank"]} {escape(cid)} — '
                 f"{escape(looks)}</h3><p class=\"note\">risk score {row['risk_score']:.2f} · "
                 f"{row['size']:,} accounts{case}</p><ul>"
                 + "".join(f"<li>{escape(r)}</li>" for r in row["reasons"] or []) + "</ul><div class=\"pair\">",
                 f"<figure>{graph}<figcaption>{escape(graph_caption)}</figcaption></figure>"]
        explanation = (explanations or {}).get(cid)
        if explanation is not None:
            labelled = ""
            if abs(explanation["end"] - (row.get("model_score") or 0)) >= 0.02:
                labelled += (f" Here that model gives {explanation['end']:.2f}, the cluster's own "
                             f"(out-of-fold) model score is {row['model_score']:.2f}.")
            # Its members' behaviour moved its risk too (risk/pseudo_labels.py) where it has their
            # score, or its label-free risk where their behaviour was left out.
            mover = ("members' behaviour" if row.get("member_pseudo_label_score") is not None
                     else "label-free risk (its members' behaviour left out)"
                     if row.get("label_free_stand_in") is not None else None)
            if (row.get("n_known_bad") or 0) + (row.get("n_known_good") or 0):
                also = f" and its {mover}" if mover else ""
                labelled = (f" Its own labels ({row.get('n_known_bad') or 0} confirmed bad, "
                            f"{row.get('n_known_good') or 0} good){also} then move the model score "
                            f"{row['model_score']:.2f} to the risk score {row['risk_score']:.2f}.")
            elif mover and abs(row["risk_score"] - (row.get("model_score") or 0)) >= 0.005:
                labelled += (f" Its {mover} then moves the model score {row['model_score']:.2f} to the "
                             f"risk score {row['risk_score']:.2f}.")
            caption = ("Each bar is one feature pushing the score towards a syndicate (vermilion) or "
                       "away (blue), from the average cluster to this cluster's model score; the last bar "
                       "weights the score by how much link evidence binds the cluster. The bars "
                       "come from the model fitted on all labelled clusters; a labelled cluster's own "
                       "score is out of fold and can differ a little." + labelled)
            picture = waterfall(explanation, title="why it scores as it does", alt=f"contributions to the score of {cid}")
            parts.append(f"<figure>{picture}"
                         f"<figcaption>{escape(caption)}</figcaption></figure>")
        parts.append("</div>")
        if cid in by_cluster:
            parts.append(member_scores(by_cluster[cid], cid))
        parts.append("</section>")
        cards.append("".join(parts))
    return "".join(cards)


__all__ = ["cluster_table", "cluster_cards", "carded_links", "member_scores", "anchor", "NODES_ON_CARD", "CSS", "SCRIPT", "LINEAGE_WORDS", "MAX_TABLE_ROWS"]

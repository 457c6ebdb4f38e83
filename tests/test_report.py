"""The run report: self-contained HTML that parses, inline SVG figures that are well formed and
say what they show, charts on edge cases."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from syndicate.pipeline import run_to_folder
from syndicate.report import charts
from syndicate.report.cluster_graph import kind_colour
from syndicate.report.svg import Svg
from syndicate.report.html import REPORT_FILE, build_report, creation_by_day, render_report
from syndicate.runs import read_run_folder

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"
VOID = {"img", "meta", "br", "hr", "input", "link", "col", "area", "base", "wbr", "source"}


class Page(HTMLParser):
    """Collects images and inline SVG figures and checks that every opened tag is closed in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.svgs, self.errors, self.text = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag not in VOID:
            if tag == "svg":
                self.svgs.append(dict(attrs))
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def figures(html: str) -> list[ET.Element]:
    """Every inline SVG of a page, parsed as XML (so each is well formed on its own)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg .*?</svg>", html, re.S)]


def svg_title(svg: ET.Element) -> str:
    return svg.find("title").text


def svg_text(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter("text")]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "run"
    run_to_folder(TINY, out, quiet=True)
    return out


def test_report_is_written_with_the_run_and_parses(run_dir):
    html = (run_dir / REPORT_FILE).read_text()
    page = parse(html)

    assert html.startswith("<!DOCTYPE html>")
    assert page.errors == [] and page.stack == []
    text = " ".join(page.text)
    for heading in ("Headline figures", "The 1 high-risk clusters", "The clusters one by one", "Where to start",
                    "The whole picture", "Capped hubs", "Run parameters and timings", "No cluster alert can fire yet"):
        assert heading in text
    assert "own account scores (before their cluster" in text  # the cards show members' own scores


def test_every_figure_is_inline_svg_with_a_title(run_dir):
    html = (run_dir / REPORT_FILE).read_text()
    page = parse(html)
    svgs = figures(html)

    # risk, size-vs-risk, evidence, creation + graph and waterfall of the one high-risk cluster
    assert page.images == [] and len(page.svgs) == len(svgs) == 6
    assert [svg_title(s) for s in svgs].count(f"contributions to the score of {first_cluster(run_dir)}") == 1
    for attrs, svg in zip(page.svgs, svgs):
        assert attrs["role"] == "img" and attrs["aria-label"] == svg_title(svg) != ""
        assert float(attrs["width"]) > 100 and float(attrs["height"]) > 100
        assert svg.find("desc") is not None  # what the figure shows, in words
    # every figure is inside a <figure> with a caption
    assert html.count("<figure") == 6 and html.count("<figcaption>") == 6


def first_cluster(run_dir: Path) -> str:
    return read_run_folder(run_dir)[0]["clusters"].sort("rank")["cluster_id"][0]


def test_report_needs_no_network(run_dir):
    html = (run_dir / REPORT_FILE).read_text()

    assert "http://" not in html and "https://" not in html
    # The table's script is inline and loads nothing.
    assert "<script src" not in html and "fetch(" not in html and "XMLHttpRequest" not in html
    assert html.count("<script>") == 1


def test_report_rebuilds_from_the_run_folder(run_dir):
    before = (run_dir / REPORT_FILE).read_text()
    (run_dir / REPORT_FILE).unlink()

    path = build_report(run_dir)

    assert path == run_dir / REPORT_FILE
    # Same content; only the parameters part differs (the rebuilt one knows the report timing).
    def content(html):
        return " ".join(parse(html).text).split("Run parameters and timings")[0]
    assert content(path.read_text()) == content(before)
    assert len(parse(path.read_text()).svgs) == len(parse(before).svgs)


def test_alerts_are_at_the_top_of_the_report(run_dir):
    tables, manifest = read_run_folder(run_dir)
    alerts = [{"rule": "registration_spike", "message": "900 new accounts <registered>"}]

    html = render_report(tables, manifest, alerts=alerts)

    assert html.index("Alerts (1)") < html.index("Where to start") < html.index("Headline figures")
    assert "900 new accounts &lt;registered&gt;" in html  # escaped


def test_hub_values_stay_masked(run_dir):
    tables, manifest = read_run_folder(run_dir)
    manifest["hubs"] = {"count": 1, "by_kind": {"ip": 1},
                        "listed": [{"kind": "ip", "value": "ip:10.…#ab12cd34", "n_accounts": 900}]}

    html = render_report(tables, manifest)

    assert "ip:10.…#ab12cd34" in html and "900" in html


def test_placeholders_left_out_are_counted_beside_the_hubs(run_dir):
    tables, manifest = read_run_folder(run_dir)
    assert "held a placeholder" not in render_report(tables, manifest)  # none in the fixture
    manifest["placeholder_signals"] = {"rows": 1188, "accounts": 1150, "by_kind": {"hw_id": 40, "msisdn": 1148}}

    html = render_report(tables, manifest)

    assert "1,188 signal rows of 1,150 accounts held a placeholder" in html and "msisdn: 1,148" in html


def test_trends_appear_from_two_runs(run_dir):
    tables, manifest = read_run_folder(run_dir)
    history = pl.DataFrame({"run_name": ["2026-05-01", "2026-05-02"], "clusters": [3, 2],
                            "accounts_in_high_risk": [4, 4], "new_accounts": [1, 9],
                            "accounts_joined": [None, 2]})

    html = render_report(tables, manifest, history=history)

    assert "Trends across runs" in " ".join(parse(html).text)
    svgs = figures(html)
    assert len(svgs) == 6  # 3 charts (no creation table given) + graph, waterfall + trends
    trends = next(s for s in svgs if svg_title(s) == "trends across runs")
    assert {"clusters found", "accounts in high-risk clusters", "2026-05-02"} <= set(svg_text(trends))
    assert len(trends.findall("polyline")) >= 3  # a line per panel with two values (accounts_joined has one)


def test_creation_by_day_counts_accounts_in_clusters():
    accounts = pl.DataFrame({"account_id": ["a", "b", "c"],
                             "created_at": pl.Series(["2026-01-01 10:00", "2026-01-01 11:00", "2026-01-03 00:00"]
                                                     ).str.to_datetime()})
    members = pl.DataFrame({"account_id": ["a", "c"], "cluster_id": ["C1", "C2"]})
    clusters = pl.DataFrame({"cluster_id": ["C1", "C2"], "risk_score": [0.9, 0.1]})

    result = creation_by_day(accounts, members, clusters, high_risk_threshold=0.7)

    assert result.rows() == [(date(2026, 1, 1), 2, 1, 1), (date(2026, 1, 3), 1, 1, 0)]


EMPTY_CLUSTERS = pl.DataFrame(schema={"cluster_id": pl.String, "size": pl.UInt32, "risk_score": pl.Float64,
                                      "rank": pl.Int64, "archetype": pl.String, "n_edges": pl.UInt32,
                                      "evidence_device": pl.Float64})


@pytest.mark.parametrize("draw", [
    lambda: charts.risk_distribution(EMPTY_CLUSTERS),
    lambda: charts.size_vs_risk(EMPTY_CLUSTERS),
    lambda: charts.evidence_mix(EMPTY_CLUSTERS),
    lambda: charts.creation_over_time(pl.DataFrame(schema={"day": pl.Date, "accounts": pl.Int64,
                                                           "in_clusters": pl.Int64, "in_high_risk": pl.Int64})),
    lambda: charts.run_trends(pl.DataFrame({"run_name": ["r1"], "clusters": [0]})),
])
def test_charts_draw_on_empty_input(draw):
    figure = draw()
    assert isinstance(figure, Svg) and svg_title(ET.fromstring(figure))
    assert figure._repr_svg_().startswith('<svg xmlns="http://www.w3.org/2000/svg"')  # notebooks show it


def test_risk_distribution_counts_the_high_risk_bars():
    clusters = pl.DataFrame({"risk_score": [0.05, 0.06, 0.5, 0.72, 0.93, 0.94, 0.95]})

    svg = ET.fromstring(charts.risk_distribution(clusters, high_risk_threshold=0.7))

    bars = {float(b.get("x")): int(b.get("data-count")) for b in svg.iter("rect")}
    assert sum(bars.values()) == 7 and sorted(bars.values()) == [1, 1, 2, 3]
    assert "4 clusters" in svg_text(svg)  # at or above the threshold, written by the line
    high = [t for t in svg.iter("text") if t.get("fill") == charts.HIGH and t.text.isdigit()]
    assert sorted(t.text for t in high) == ["1", "3"]  # counts above the high-risk bars


def test_evidence_mix_shares_fill_each_bar(run_dir):
    clusters = read_run_folder(run_dir)[0]["clusters"]

    svg = ET.fromstring(charts.evidence_mix(clusters))

    groups = [g for g in svg.iter("g") if g.get("class") == "kind"]
    assert groups and all(g.get("fill") == kind_colour(g.get("data-kind")) for g in groups)
    # per row, the segments add up to the whole axis (300 px) when the row has any evidence
    rows: dict[str, float] = {}
    for g in groups:
        for rect in g.iter("rect"):
            label = rect.find("title").text.split(":")[0]
            rows[label] = rows.get(label, 0.0) + float(rect.get("width"))
    assert rows["all clusters"] == pytest.approx(300, abs=1)


def test_alerts_file_is_json_with_the_rules(run_dir):
    document = json.loads((run_dir / "alerts.json").read_text())

    assert document["count"] == 0 and document["alerts"] == []
    assert document["rules"]["growth_pct"] == 50.0


def test_report_command_rebuilds_and_says_where(run_dir, capsys):
    from syndicate.cli import main

    (run_dir / REPORT_FILE).unlink()

    assert main(["report", str(run_dir)]) == 0
    assert (run_dir / REPORT_FILE).is_file()
    assert str(run_dir / REPORT_FILE) in capsys.readouterr().out


def test_report_command_on_a_missing_run_is_a_user_error(tmp_path, capsys):
    from syndicate.cli import USER_ERROR_EXIT, main

    assert main(["report", str(tmp_path / "nope")]) == USER_ERROR_EXIT
    assert "does not exist" in capsys.readouterr().err


# --- the clusters: every high-risk one, sortable, linked; pictures; the first run's alerts ---

def _many_high_risk(n: int) -> dict[str, pl.DataFrame]:
    clusters = pl.DataFrame({
        "cluster_id": [f"C{i:03d}" for i in range(n + 5)], "size": [3] * (n + 5),
        "risk_score": [0.99 - 0.01 * i for i in range(n)] + [0.1] * 5, "rank": list(range(1, n + 6)),
        "archetype": ["matrix_accounts"] * n + ["household"] * 5, "reasons": [["3 accounts share one device"]] * (n + 5),
        "model_score": [0.9] * (n + 5), "score_source": ["unsupervised"] * (n + 5),
    })
    members = pl.DataFrame({"account_id": [f"a{i}" for i in range(3 * (n + 5))],
                            "cluster_id": [f"C{i // 3:03d}" for i in range(3 * (n + 5))]})
    edges = pl.DataFrame(schema={"account_a": pl.String, "account_b": pl.String, "weight": pl.Float64})
    return {"clusters": clusters, "members": members, "edges": edges}


def test_every_high_risk_cluster_is_in_the_table_with_its_case_link():
    tables = _many_high_risk(14)
    links = {"C012": "../cases/C012/case.html"}

    html = render_report(tables, {"config": {"risk": {"high_risk_threshold": 0.7}}}, pictures=0, case_links=links)

    table = html.split('id="clusters"')[1].split("</table>")[0]
    assert all(f"C{i:03d}" in table for i in range(14))
    assert table.count('data-high="1"') == 14 and table.count('data-high="0"') == 5
    assert '<a class="case" href="../cases/C012/case.html">' in table
    assert "The 14 high-risk clusters" in html


def test_cards_cover_the_high_risk_clusters_up_to_the_limit():
    tables = _many_high_risk(4)
    html = render_report(tables, {"config": {"risk": {"high_risk_threshold": 0.7}}}, pictures=3)

    graphs = [svg_title(s) for s in figures(html) if svg_title(s).startswith("links inside cluster")]
    assert [g[-4:] for g in graphs] == ["C000", "C001", "C002"]
    assert "The other 1 are in the table" in " ".join(parse(html).text)


def test_cluster_pictures_mark_labelled_members_and_mask_them(run_dir):
    from syndicate.masking import mask_value
    from syndicate.report.cluster_section import _graph_figure, carded_links

    tables, _ = read_run_folder(run_dir)
    row = tables["clusters"].sort("rank").row(0, named=True)
    ids = tables["members"].filter(pl.col("cluster_id") == row["cluster_id"])["account_id"].sort()
    labels = pl.DataFrame({"account_id": ids[:2], "label": [1, 0]})
    members, links = carded_links(tables["members"], tables["edges"], tables["clusters"].head(1), labels)

    figure = _graph_figure(row["cluster_id"], members[row["cluster_id"]], links[row["cluster_id"]], seed=0)
    svg = ET.fromstring(figure)

    nodes = [n for n in svg.iter() if n.get("class") == "node"]
    assert len(nodes) == ids.len()  # one shape per account
    assert sorted(n.get("data-label") for n in nodes) == sorted(["1", "0"] + ["unlabelled"] * (ids.len() - 2))
    assert {"confirmed bad (1)", "confirmed good (1)"} <= set(svg_text(svg))
    # ids are masked in hover tips and labels; the raw ids appear nowhere
    tips = {n.find("title").text.split(": ")[-1] for n in nodes}
    assert tips == {mask_value("account", i) for i in ids}
    assert not any(f">{i}<" in figure or f"{i}</" in figure for i in ids)
    # the cluster's links, one line each when they are few, coloured by kind
    lines = [(g.get("data-kind"), g.get("stroke"), len(g.findall("line"))) for g in svg.iter("g") if g.get("class") == "links"]
    assert sum(n for _, _, n in lines) == links[row["cluster_id"]].height
    assert all(stroke == kind_colour(kind) for kind, stroke, _ in lines)


def test_waterfall_adds_up_to_the_model_score(run_dir):
    from syndicate.report.contributions import cluster_contributions, waterfall

    tables, _ = read_run_folder(run_dir)
    clusters = tables["clusters"]
    explained = cluster_contributions(clusters)  # an unsupervised (scorecard) run needs no model

    for row in clusters.iter_rows(named=True):
        assert explained[row["cluster_id"]]["end"] == pytest.approx(row["model_score"], abs=1e-5)
    explanation = explained[row["cluster_id"]]
    svg = ET.fromstring(waterfall(explanation, title="why <it> scores"))
    bars = [b for b in svg.iter("rect") if b.get("class") == "bar"]
    labels = [b.find("title").text.rsplit(":", 1)[0] for b in bars]
    assert labels[0].startswith("start: the average cluster") and labels[-1].startswith("end: model score")
    assert not any("_" in label for label in labels)  # feature names in words
    values = [float(b.get("data-value")) for b in bars]
    assert values[0] + sum(values[1:-1]) == pytest.approx(values[-1], abs=1e-3)
    assert "why <it> scores" in svg_text(svg)  # escaped in the file, read back as text


def test_first_run_says_alerts_need_a_baseline(run_dir):
    tables, manifest = read_run_folder(run_dir)
    html = render_report(tables, manifest, alerts=[])
    assert "No cluster alert can fire yet: this run has no baseline" in html

    manifest["lineage"] = {"previous_run": "2026-05-01"}
    history = pl.DataFrame({"run_name": ["2026-05-01", "2026-05-02"]})
    html = render_report(tables, manifest, alerts=[], history=history)
    assert "No alert fired" in html and "spike rules wait for 3 earlier runs (there is 1)" in html
    # Nine earlier runs: the spike rules read the last baseline_runs (7) of them, and say so.
    history = pl.DataFrame({"run_name": [f"2026-05-{d:02d}" for d in range(1, 11)]})
    html = render_report(tables, manifest, alerts=[], history=history)
    assert "spikes against the median of the 7 runs before it" in html


def test_report_links_exported_cases(run_dir, tmp_path):
    from syndicate.cases import export_cases
    from syndicate.cli import main

    cases = tmp_path / "cases"
    cluster_id = read_run_folder(run_dir)[0]["clusters"]["cluster_id"][0]
    export_cases(run_dir, top=1, out_dir=cases)

    assert main(["report", str(run_dir), "--cases", str(cases)]) == 0
    html = (run_dir / REPORT_FILE).read_text()
    href = html.split('<a class="case" href="')[1].split('"')[0]
    assert (run_dir / href).resolve() == (cases / cluster_id / "case.html").resolve()


def test_cards_show_the_members_own_scores_with_masked_ids():
    from syndicate.masking import mask_value

    tables = _many_high_risk(2)
    ids = tables["members"]["account_id"]
    tables["accounts"] = pl.DataFrame({
        "account_id": [*ids, "lone"], "cluster_id": [*tables["members"]["cluster_id"], None],
        "risk_score": [0.99] * ids.len() + [0.3], "model_score": [0.9, 0.2, 0.6] + [0.1] * (ids.len() - 3) + [0.3],
        "score_source": ["supervised", "cluster", "supervised"] + ["cluster"] * (ids.len() - 3) + ["supervised"],
        "reasons": [["many actions in bursts <b>"]] + [[]] * ids.len(),
    })

    html = render_report(tables, {"config": {"risk": {"high_risk_threshold": 0.7}}}, pictures=1)

    card = html.split('id="cluster-C000"')[1].split("</section>")[0].split('class="members"')[1]
    assert "median 0.60, from 0.20 to 0.90; 2 of 3 at 0.5 or more" in card
    # riskiest member first, masked; the raw id never appears; reasons escaped
    assert card.index(mask_value("account", "a0")) < card.index(mask_value("account", "a2")) \
        < card.index(mask_value("account", "a1"))
    assert ">a0<" not in card and "bursts &lt;b&gt;" in card
    assert mask_value("account", "lone") not in html


def test_every_archetype_has_a_colour_a_marker_and_words():
    from syndicate.alerts import ARCHETYPE_WORDS
    from syndicate.report.charts import ARCHETYPE_COLOURS, ARCHETYPE_MARKERS
    from syndicate.risk.archetypes import ARCHETYPES

    for archetype in ARCHETYPES:
        assert archetype in ARCHETYPE_COLOURS and archetype in ARCHETYPE_MARKERS, archetype
        assert archetype in ARCHETYPE_WORDS, archetype


def test_the_parameters_say_what_scored_the_accounts():
    from syndicate.report.html import account_score_basis

    pseudo = {"accounts": {"metrics": {"unsupervised_because": "x", "pseudo_labels": {
        "weight": 0.4484, "pseudo_positive_accounts": 973, "pseudo_positive_components": 25,
        "out_of_fold_auroc": 0.8968}}}}
    assert account_score_basis(pseudo) == (
        "the scorecard, moved 0.45 of the way to a model trained out of fold on the 973 members of high-risk "
        "clusters (25 components; out-of-fold AUROC 0.90)")
    skipped = {"accounts": {"metrics": {"pseudo_labels_skipped_because": "2 account(s) in 1 component(s) ..."}}}
    assert account_score_basis(skipped) == "the scorecard alone: 2 account(s) in 1 component(s) ..."
    trained = {"accounts": {"metrics": {"oof_auc": 0.97, "n_labelled_accounts": 1234}}}
    assert account_score_basis(trained) == "an account model trained on 1,234 labelled accounts (out-of-fold AUROC 0.97)"
    assert account_score_basis({"accounts": {"model": {"kind": "account"}, "metrics": {}}}).startswith("the account model")
    assert account_score_basis({}) == "the scorecard"
    view = {"accounts": {"metrics": {"oof_auc": 0.97, "n_labelled_accounts": 1234, "label_free_view": {
        "weight": 0.3671, "pseudo_positive_accounts": 628, "out_of_fold_auroc": 0.8671}}}}
    assert account_score_basis(view) == (
        "an account model trained on 1,234 labelled accounts (out-of-fold AUROC 0.97); cluster members moved 0.37 "
        "of the way to the score a run without labels gives them (its model trained out of fold on the 628 members "
        "of the clusters it scores high-risk; out-of-fold AUROC 0.87)")
    view["accounts"]["metrics"]["label_free_view"] = {"skipped_because": "almost every account is in a high-risk cluster"}
    assert account_score_basis(view).endswith("(out-of-fold AUROC 0.97); no label-free view: almost every account "
                                              "is in a high-risk cluster")


def test_the_parameters_say_how_the_members_moved_the_clusters():
    from syndicate.report.html import cluster_score_move

    pseudo = {"accounts": {"metrics": {"pseudo_labels": {"weight": 0.4484, "cluster_weight": 0.4021,
                                                         "clusters_raised": 186, "clusters_lowered": 1067}}}}
    assert cluster_score_move(pseudo) == ("moved 0.40 of the way to their members' mean score from the pseudo-label "
                                          "model: 186 raised and 1,067 lowered by 0.05 or more")
    # A manifest written before clusters moved, or labels with no label-free view: nothing to say.
    assert cluster_score_move({"accounts": {"metrics": {"oof_auc": 0.97}}}) is None
    assert cluster_score_move({"accounts": {"metrics": {"pseudo_labels": {"weight": 0.4}}}}) is None
    # With labels, the label-free view's model moved them.
    view = {"accounts": {"metrics": {"oof_auc": 0.97, "label_free_view": {
        "weight": 0.3671, "cluster_weight": 0.2696, "clusters_raised": 65, "clusters_lowered": 5}}}}
    assert cluster_score_move(view) == ("moved 0.27 of the way to their members' mean score from the model a run "
                                        "without labels trains (a labelled cluster only its model's part of the "
                                        "way): 65 raised and 5 lowered by 0.05 or more")


def test_the_report_names_the_account_score_basis(run_dir):
    text = " ".join(parse((run_dir / REPORT_FILE).read_text()).text)
    assert "account scores" in text


def test_a_cases_folder_that_is_not_there_is_an_error(run_dir, tmp_path, capsys):
    # A typo in --cases would rebuild the report without its case links and say nothing.
    from syndicate.cli import main

    before = (run_dir / REPORT_FILE).read_bytes()
    for cases, what in ((tmp_path / "nosuch", "is no folder"), (tmp_path, "holds no case bundles")):
        assert main(["report", str(run_dir), "--cases", str(cases)]) == 2
        assert f"cases folder {cases} {what}" in capsys.readouterr().err
    assert (run_dir / REPORT_FILE).read_bytes() == before


def test_cases_exported_from_another_run_are_not_linked(run_dir, tmp_path, capsys):
    # A cluster keeps its id from run to run: a later day's case of it would open that day's
    # members from this day's report. Refused, the report untouched; this run's own cases link.
    from syndicate.cases import export_cases
    from syndicate.cli import main

    other = tmp_path / "other"
    run_to_folder(TINY, other, quiet=True)  # the same data run again: another run
    cases = tmp_path / "cases"
    export_cases(other, top=1, out_dir=cases)
    before = (run_dir / REPORT_FILE).read_bytes()
    assert main(["report", str(run_dir), "--cases", str(cases)]) == 2
    err = capsys.readouterr().err
    assert f"1 case bundle in {cases.resolve()} was exported from another run ({other.resolve()})" in err
    assert "the report was not rebuilt" in err and f"syndicate export {run_dir.resolve()} --out" in err
    assert (run_dir / REPORT_FILE).read_bytes() == before
    assert main(["report", str(other), "--cases", str(cases)]) == 0
    assert 'class="case" href="' in (other / REPORT_FILE).read_text()

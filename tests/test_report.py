"""The run report: self-contained HTML that parses, images that decode, charts on edge cases."""

import base64
import io
import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from matplotlib.figure import Figure
from PIL import Image

from syndicate.pipeline import run_to_folder
from syndicate.report import charts
from syndicate.report.html import REPORT_FILE, build_report, creation_by_day, render_report
from syndicate.runs import read_run_folder

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"
VOID = {"img", "meta", "br", "hr", "input", "link", "col", "area", "base", "wbr", "source"}


class Page(HTMLParser):
    """Collects image sources and checks that every opened tag is closed in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.errors, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        elif tag not in VOID:
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
                    "The whole picture", "Capped hubs", "Run parameters and timings", "No alert can fire yet"):
        assert heading in text
    assert "own account scores (before their cluster" in text  # the cards show members' own scores


def test_every_image_is_embedded_and_decodes(run_dir):
    page = parse((run_dir / REPORT_FILE).read_text())

    # risk, size-vs-risk, evidence, creation + graph and waterfall of the one high-risk cluster
    assert len(page.images) == 6
    assert sum("contributions to the score" in i["alt"] for i in page.images) == 1
    for image in page.images:
        assert image["src"].startswith("data:image/png;base64,"), image["src"][:40]
        assert image["alt"]
        decoded = Image.open(io.BytesIO(base64.b64decode(image["src"].split(",", 1)[1])))
        decoded.load()
        assert decoded.size[0] > 100 and decoded.size[1] > 100


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
    assert len(parse(path.read_text()).images) == len(parse(before).images)


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


def test_trends_appear_from_two_runs(run_dir):
    tables, manifest = read_run_folder(run_dir)
    history = pl.DataFrame({"run_name": ["2026-05-01", "2026-05-02"], "clusters": [3, 2],
                            "accounts_in_high_risk": [4, 4], "new_accounts": [1, 9],
                            "accounts_joined": [None, 2]})

    page = parse(render_report(tables, manifest, history=history))

    assert "Trends across runs" in " ".join(page.text)
    assert len(page.images) == 6  # 3 charts (no creation table given) + graph, waterfall + trends
    assert all(Image.open(io.BytesIO(base64.b64decode(i["src"].split(",", 1)[1]))).size[0] > 0
               for i in page.images)


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
    assert isinstance(draw(), Figure)


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
    page = parse(render_report(tables, {"config": {"risk": {"high_risk_threshold": 0.7}}}, pictures=3))

    graphs = [i for i in page.images if i["alt"].startswith("links inside cluster")]
    assert [g["alt"][-4:] for g in graphs] == ["C000", "C001", "C002"]
    assert "The other 1 are in the table" in " ".join(page.text)


def test_cluster_pictures_mark_labelled_members(run_dir):
    from syndicate.report.cluster_section import _graph_figure

    tables, _ = read_run_folder(run_dir)
    row = tables["clusters"].row(0, named=True)
    ids = tables["members"].filter(pl.col("cluster_id") == row["cluster_id"])["account_id"]
    labels = pl.DataFrame({"account_id": ids[:2], "label": [1, 0]})

    fig = _graph_figure(row, tables["members"], tables["edges"], labels, seed=0)

    legend = {t.get_text() for t in fig.axes[0].get_legend().get_texts()}
    assert {"confirmed bad (1)", "confirmed good (1)"} <= legend


def test_waterfall_adds_up_to_the_model_score(run_dir):
    from syndicate.report.contributions import cluster_contributions, waterfall

    tables, _ = read_run_folder(run_dir)
    clusters = tables["clusters"]
    explained = cluster_contributions(clusters)  # an unsupervised (scorecard) run needs no model

    for row in clusters.iter_rows(named=True):
        assert explained[row["cluster_id"]]["end"] == pytest.approx(row["model_score"], abs=1e-5)
    fig = waterfall(explained[row["cluster_id"]])
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0].startswith("start: the average cluster") and labels[-1].startswith("end: model score")
    assert not any("_" in label for label in labels)  # feature names in words


def test_first_run_says_alerts_need_a_baseline(run_dir):
    tables, manifest = read_run_folder(run_dir)
    html = render_report(tables, manifest, alerts=[])
    assert "No alert can fire yet: this run has no baseline" in html

    manifest["lineage"] = {"previous_run": "2026-05-01"}
    history = pl.DataFrame({"run_name": ["2026-05-01", "2026-05-02"]})
    html = render_report(tables, manifest, alerts=[], history=history)
    assert "No alert fired" in html and "spike rules wait for 3 earlier runs (there is 1)" in html


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

    card = html.split('id="cluster-C000"')[1].split("</section>")[0]
    assert "median 0.60, from 0.20 to 0.90; 2 of 3 at 0.5 or more" in card
    # riskiest member first, masked; the raw id never appears; reasons escaped
    assert card.index(mask_value("account", "a0")) < card.index(mask_value("account", "a2")) \
        < card.index(mask_value("account", "a1"))
    assert ">a0<" not in card and "bursts &lt;b&gt;" in card
    assert mask_value("account", "lone") not in html

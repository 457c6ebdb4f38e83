"""The report and a case page as a person meets them: opened in headless Chromium.

Checks that each page loads with no console error, that every image decodes and every inline
SVG figure lays out with a size and an accessible name, that every
high-risk cluster is listed (and visible), that the table sorts, and that the links to case
pages resolve. Needs Debian's ``chromium`` (installed by ``.ci/run``); skipped, with the
reason, where it is not installed.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import polars as pl
import pytest

from syndicate.cases import export_cases
from syndicate.io import write_tables
from syndicate.pipeline import run_to_folder
from syndicate.report.html import REPORT_FILE, build_report
from syndicate.synthetic import generate_marketplace

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run does)")

# Runs first in <head>: records errors and console errors, then after load writes what it
# found into the page, which --dump-dom prints.
PROBE = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message || e.type)); }, true);
var __error = console.error; console.error = function () { window.__errors.push([].join.call(arguments, " ")); __error.apply(console, arguments); };
window.addEventListener("load", function () { setTimeout(function () {
  var out = {errors: window.__errors, images: [], svgs: [], high: [], sorted: null, links: []};
  [].forEach.call(document.images, function (img) { out.images.push({alt: img.alt, ok: img.complete && img.naturalWidth > 0}); });
  [].forEach.call(document.querySelectorAll("svg"), function (svg) {
    var box = svg.getBoundingClientRect(), drawn = svg.getBBox();
    out.svgs.push({name: svg.getAttribute("aria-label"), ok: box.width > 100 && box.height > 100 && drawn.width > 50,
                   nodes: svg.querySelectorAll(".node").length});
  });
  var table = document.getElementById("clusters");
  if (table) {
    [].forEach.call(table.tBodies[0].rows, function (r) { if (!r.hidden && r.dataset.high === "1") out.high.push(r.cells[1].textContent.trim()); });
    var heads = table.tHead.rows[0].cells, col = -1;
    [].forEach.call(heads, function (h, i) { if (h.textContent.indexOf("accounts") === 0) col = i; });
    heads[col].click();
    out.sorted = [].map.call(table.tBodies[0].rows, function (r) { return parseFloat(r.cells[col].dataset.v); });
  }
  [].forEach.call(document.querySelectorAll("a.case"), function (a) { out.links.push(a.getAttribute("href")); });
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 0); });
</script>"""


def open_in_chromium(page: Path) -> dict:
    """Load ``page`` (a copy with the probe, beside it so relative links hold) and return the probe."""
    probed = page.with_name(f".probe-{page.name}")
    html = page.read_text(encoding="utf-8")
    probed.write_text(html.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    try:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0", "--dump-dom",
             probed.resolve().as_uri()],
            capture_output=True, text=True, timeout=180)
    finally:
        probed.unlink()
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the page did not finish loading in Chromium:\n{done.stderr[-2000:]}"
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&"))
    result["console"] = [line for line in done.stderr.splitlines()
                         if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)]
    return result


@pytest.fixture(scope="module")
def run_with_cases(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    data = write_tables(generate_marketplace(4_000, seed=1), root / "data")
    run_dir = root / "run"
    run_to_folder(data, run_dir, quiet=True)
    export_cases(run_dir, top=2, out_dir=root / "cases")
    build_report(run_dir, cases_dir=root / "cases")
    return run_dir, root / "cases"


def test_report_in_chromium(run_with_cases):
    run_dir, cases = run_with_cases
    clusters = pl.read_parquet(run_dir / "clusters.parquet")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    threshold = manifest["config"]["risk"]["high_risk_threshold"]
    high = clusters.filter(pl.col("risk_score") >= threshold)["cluster_id"].to_list()
    assert len(high) >= 3  # the check below means something

    seen = open_in_chromium(run_dir / REPORT_FILE)

    assert seen["errors"] == [] and seen["console"] == []
    assert seen["images"] == []  # every figure is inline SVG
    assert len(seen["svgs"]) >= 6 and all(svg["ok"] and svg["name"] for svg in seen["svgs"]), seen["svgs"]
    assert sum(svg["name"].startswith("links inside cluster") and svg["nodes"] > 1 for svg in seen["svgs"]) >= 3
    assert sorted(seen["high"]) == sorted(high)  # every high-risk cluster, visible
    assert seen["sorted"] == sorted(seen["sorted"])  # a click on "accounts" sorts by size
    assert len(seen["links"]) == 2
    for href in seen["links"]:
        assert (run_dir / href).resolve().is_file(), href


def test_case_page_in_chromium(run_with_cases):
    _, cases = run_with_cases
    page = sorted(cases.glob("*/case.html"))[0]

    seen = open_in_chromium(page)

    assert seen["errors"] == [] and seen["console"] == []
    assert len(seen["images"]) == 1 and seen["images"][0]["ok"], seen["images"]  # the timeline
    assert len(seen["svgs"]) == 1 and seen["svgs"][0]["ok"] and seen["svgs"][0]["nodes"] > 1, seen["svgs"]

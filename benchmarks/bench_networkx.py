"""syndicate against a straightforward networkx pipeline, interleaved, on the same data (issue 12).

The networkx pipeline below is the baseline of the benchmark, **not part of syndicate**: polars
self-joins for identity pairs (accounts sharing a signal value used by at most ``HUB_CAP``
accounts) and lockstep pairs (same target within 90 s, at least 5 distinct shared targets),
``nx.Graph``, ``connected_components``, Louvain on components above 300 accounts, and a small
XGBoost on cluster features trained on clusters with labelled members.

The driver generates each marketplace once (``python -m syndicate generate``; ``--alt`` adds
``benchmarks/alt_marketplace.py``), then runs the two tools in turn in fresh child processes,
alternating which goes first, and prints for each: wall time, CPU time (user + sys of the child
and its descendants, from ``os.wait4``) and the true peak memory of the child's process tree
(resident sets summed over the tree, polled every 50 ms: ``proc_memory.py`` — syndicate
resets the kernel's peak mark per stage, so neither VmHWM nor ``/usr/bin/time`` sees its peak),
and the ratio networkx / syndicate::

    python benchmarks/bench_networkx.py --accounts 100000 200000 --repeat 3
    python benchmarks/bench_networkx.py --accounts 20000 --repeat 1 --alt --quality

A child whose tree passes ``--max-rss-gb`` is killed and reported as out of memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
from proc_memory import tree_memory_mb

HERE = Path(__file__).resolve().parent
HUB_CAP = 200  # a value shared by more accounts (carrier NAT, hotspot) links nobody
WINDOW_S = 90
MIN_SHARED_TARGETS = 5
BUCKET_CAP = 300  # a (target, 90 s) bucket with more actions is a viral moment: skipped
LOUVAIN_ABOVE = 300


# --- the networkx pipeline (the baseline) --------------------------------------------------

def identity_pairs(signals: pl.LazyFrame) -> pl.LazyFrame:
    """Account pairs sharing signal values; weight = sum over shared values of 1/log2(sharers)."""
    sig = signals.select("account_id", "kind", "value").unique()
    sharers = sig.group_by("kind", "value").agg(pl.len().alias("n")).filter(pl.col("n").is_between(2, HUB_CAP))
    sig = sig.join(sharers, on=["kind", "value"])
    return (sig.join(sig.select("account_id", "kind", "value"), on=["kind", "value"])
            .filter(pl.col("account_id") < pl.col("account_id_right"))
            .group_by(pl.col("account_id").alias("a"), pl.col("account_id_right").alias("b"))
            .agg((1 / pl.col("n").log(2)).sum().clip(upper_bound=1.0).alias("identity")))


def lockstep_pairs(events: pl.LazyFrame) -> pl.LazyFrame:
    """Account pairs acting on >= 5 distinct shared targets within 90 s of each other."""
    ev = events.select("account_id", "target_id", (pl.col("ts").dt.epoch("s")).alias("t")) \
        .with_columns((pl.col("t") // WINDOW_S).alias("bucket"))
    ev = ev.filter(pl.len().over("target_id", "bucket") <= BUCKET_CAP)
    right = ev.rename({"account_id": "other", "t": "t_other"})
    same = ev.join(right, on=["target_id", "bucket"]).filter(pl.col("account_id") < pl.col("other"))
    nxt = ev.with_columns(pl.col("bucket") + 1).join(right, on=["target_id", "bucket"]) \
        .filter(pl.col("account_id") != pl.col("other"))
    pairs = pl.concat([same.select("account_id", "other", "target_id", "t", "t_other"),
                       nxt.select("account_id", "other", "target_id", "t", "t_other")])
    return (pairs.filter((pl.col("t") - pl.col("t_other")).abs() <= WINDOW_S)
            .group_by(pl.min_horizontal("account_id", "other").alias("a"),
                      pl.max_horizontal("account_id", "other").alias("b"))
            .agg(pl.col("target_id").n_unique().alias("shared"))
            .filter(pl.col("shared") >= MIN_SHARED_TARGETS)
            .with_columns((pl.col("shared") / 20).clip(upper_bound=1.0).alias("lockstep")))


def graph_clusters(edges: pl.DataFrame, seed: int) -> pl.DataFrame:
    """``nx.Graph`` of the edges; components, Louvain on the large ones. Returns members."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_weighted_edges_from(zip(edges["a"].to_list(), edges["b"].to_list(), edges["weight"].to_list()))
    accounts, cluster = [], []
    for component in nx.connected_components(graph):
        parts = [component]
        if len(component) > LOUVAIN_ABOVE:
            parts = nx.community.louvain_communities(graph.subgraph(component), weight="weight", seed=seed)
        for part in parts:
            if len(part) >= 2:
                label = min(part)  # deterministic id
                accounts.extend(part)
                cluster.extend([label] * len(part))
    return pl.DataFrame({"account_id": accounts, "cluster_id": cluster}, schema={"account_id": pl.String,
                                                                                "cluster_id": pl.String})


def cluster_features(members: pl.DataFrame, edges: pl.DataFrame, data: Path) -> pl.DataFrame:
    """Size, density, evidence mix, identifiers per member, creation spread, activity."""
    m = members.lazy()
    accounts = pl.scan_parquet(data / "accounts.parquet").select("account_id", "created_at")
    signals = pl.scan_parquet(data / "signals.parquet").select("account_id", "kind", "value")
    base = (m.join(accounts, on="account_id").group_by("cluster_id").agg(
        pl.len().alias("size"),
        ((pl.col("created_at").max() - pl.col("created_at").min()).dt.total_seconds() / 86400).alias("created_span_d"),
        (pl.col("created_at").dt.epoch("s").std() / 86400).fill_null(0).alias("created_std_d")))
    per_kind = (m.join(signals, on="account_id").group_by("cluster_id", "kind")
                .agg(pl.col("value").n_unique().alias("distinct")).collect()
                .pivot(on="kind", index="cluster_id", values="distinct").lazy())
    inside = (edges.lazy().join(m.rename({"account_id": "a", "cluster_id": "ca"}), on="a")
              .join(m.rename({"account_id": "b", "cluster_id": "cb"}), on="b")
              .filter(pl.col("ca") == pl.col("cb"))
              .group_by(pl.col("ca").alias("cluster_id")).agg(
                  pl.len().alias("edges"), (pl.col("identity") > 0).mean().alias("identity_share"),
                  (pl.col("lockstep") > 0).mean().alias("lockstep_share"),
                  pl.col("weight").mean().alias("mean_weight")))
    events = pl.scan_parquet(data / "events.parquet").select("account_id", "target_id")
    activity = (m.join(events, on="account_id").group_by("cluster_id")
                .agg(pl.len().alias("events"), pl.col("target_id").n_unique().alias("targets")))
    out = (base.join(per_kind, on="cluster_id", how="left").join(inside, on="cluster_id", how="left")
           .join(activity, on="cluster_id", how="left").collect().fill_null(0))
    kinds = [c for c in out.columns if c not in base.collect_schema().names() and c not in
             ("edges", "identity_share", "lockstep_share", "mean_weight", "events", "targets")]
    return out.with_columns(
        *[(pl.col(k) / pl.col("size")).alias(f"{k}_per_member") for k in kinds],
        (pl.col("edges") / (pl.col("size") * (pl.col("size") - 1) / 2)).alias("density"),
        (pl.col("events") / pl.col("size")).alias("events_per_member"),
        (pl.col("targets") / pl.col("events").clip(lower_bound=1)).alias("target_spread"),
    ).drop(kinds).sort("cluster_id")


def score(features: pl.DataFrame, members: pl.DataFrame, data: Path, seed: int) -> pl.DataFrame:
    """XGBoost on clusters with labelled members (bad if any member is labelled 1)."""
    import xgboost as xgb

    x_cols = [c for c in features.columns if c != "cluster_id"]
    label_path = data / "labels.parquet"
    y = None
    if label_path.is_file():
        labels = pl.read_parquet(label_path).select("account_id", pl.col("label").cast(pl.Int8))
        y = (members.join(labels, on="account_id").group_by("cluster_id").agg(pl.col("label").max().alias("y")))
    feats = features.join(y, on="cluster_id", how="left") if y is not None else features.with_columns(
        pl.lit(None, pl.Int8).alias("y"))
    train = feats.filter(pl.col("y").is_not_null())
    if train.height >= 10 and 0 < train["y"].sum() < train.height:
        # One thread on small tables, as syndicate does: OpenMP threads on a few thousand rows
        # cost more than they save, and on a busy machine 2 threads took 13 s instead of 0.2 s.
        threads = 1 if train.height < 100_000 else 2
        model = xgb.XGBClassifier(n_estimators=100, max_depth=4, learning_rate=0.1, random_state=seed,
                                  n_jobs=threads)
        model.fit(train.select(x_cols).to_numpy(), train["y"].to_numpy())
        risk = model.predict_proba(feats.select(x_cols).to_numpy())[:, 1]
    else:  # too few labels to learn from: denser, tighter clusters first
        risk = (feats["density"].fill_null(0).to_numpy() + feats["mean_weight"].fill_null(0).to_numpy()) / 2
    return (feats.select("cluster_id", "size").with_columns(pl.Series("risk_score", risk.astype(float)))
            .sort(["risk_score", "size", "cluster_id"], descending=[True, True, False])
            .with_row_index("rank", offset=1))


def networkx_pipeline(data: Path, out: Path, seed: int) -> dict[str, float]:
    """Run the baseline on ``data``; write ``members``/``clusters`` parquet into ``out``."""
    timings, start = {}, time.perf_counter()

    def tick(name: str) -> None:
        nonlocal start
        now = time.perf_counter()
        timings[name] = round(now - start, 2)
        start = now

    frames = []
    if (data / "signals.parquet").is_file():
        frames.append(identity_pairs(pl.scan_parquet(data / "signals.parquet")).collect())
    tick("identity")
    if (data / "events.parquet").is_file():
        frames.append(lockstep_pairs(pl.scan_parquet(data / "events.parquet")).collect().select("a", "b", "lockstep"))
    tick("lockstep")
    edges = pl.concat(frames, how="diagonal").group_by("a", "b").agg(
        pl.col("identity").max(), pl.col("lockstep").max()).fill_null(0.0) \
        .with_columns(pl.max_horizontal("identity", "lockstep").alias("weight")).sort("a", "b")
    tick("combine")
    members = graph_clusters(edges, seed)
    tick("graph")
    features = cluster_features(members, edges, data)
    tick("features")
    clusters = score(features, members, data, seed)
    tick("xgboost")
    out.mkdir(parents=True, exist_ok=True)
    members.write_parquet(out / "members.parquet")
    clusters.write_parquet(out / "clusters.parquet")
    tick("write")
    return {"edges": edges.height, "clusters": clusters.height, "stages_s": timings}


# --- measuring a child process tree ---------------------------------------------------------

def measure(cmd: list[str], *, max_rss_gb: float, log: Path) -> dict:
    """Run ``cmd``; wall, CPU (user+sys of the child and the descendants it waited for) and the
    tree's peak memory polled every 50 ms. Kills the tree above ``max_rss_gb``."""
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        peak_kb, killed = 0, False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            peak_kb = max(peak_kb, tree_memory_mb(proc.pid) * 1024)
            if peak_kb > max_rss_gb * 2 ** 20 and not killed:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": peak_kb / 1024,
            "ok": proc.returncode == 0 and not killed, "oom": killed, "rc": proc.returncode}


# --- the driver -------------------------------------------------------------------------------

def _data(workdir: Path, kind: str, n: int, seed: int) -> Path:
    data = workdir / f"{kind}-{n}-s{seed}"
    if not (data / "truth.parquet").is_file():
        shutil.rmtree(data, ignore_errors=True)
        cmd = ([sys.executable, "-m", "syndicate", "generate", str(data)] if kind == "own" else
               [sys.executable, str(HERE / "alt_marketplace.py"), str(data)])
        subprocess.run(cmd + ["--accounts", str(n), "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return data


def _quality(members: pl.DataFrame, clusters: pl.DataFrame, truth: pl.DataFrame) -> str:
    from syndicate.evaluate import evaluate

    m = evaluate(members, clusters, truth, strategies=()).metrics
    kinds = ", ".join(f"{k} {v['found']}/{v['planted']}" for k, v in m["groups"]["by_kind"].items())
    return (f"top {m['top_k']['k']} precision {m['top_k']['precision']:.2f}; found {kinds}; "
            f"account AP by cluster risk {m['accounts']['average_precision'] or 0:.2f}")


def _fmt(r: dict) -> str:
    if r["oom"]:
        return "out of memory"
    return f"{r['wall_s']:7.1f} s wall {r['cpu_s']:7.1f} s CPU {r['peak_mb'] / 1024:6.2f} GB" if r["ok"] \
        else f"failed (exit {r['rc']})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--alt", action="store_true", help="also on the alt marketplace")
    parser.add_argument("--workdir", type=Path, default=Path("bench-output/networkx"))
    parser.add_argument("--max-rss-gb", type=float, default=15.0)
    parser.add_argument("--quality", action="store_true", help="also print each tool's quality (truth)")
    parser.add_argument("--networkx-child", nargs=2, metavar=("DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.networkx_child:
        print(json.dumps(networkx_pipeline(Path(args.networkx_child[0]), Path(args.networkx_child[1]), args.seed)))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    for n in args.accounts:
        for kind in ("own", "alt") if args.alt else ("own",):
            data = _data(args.workdir, kind, n, args.seed)
            tools = {
                "networkx": lambda out: [sys.executable, __file__, "--seed", str(args.seed),
                                         "--networkx-child", str(data), str(out)],
                "syndicate": lambda out: [sys.executable, "-m", "syndicate", "run", str(data), "--out", str(out),
                                          "--seed", str(args.seed), "--quiet"],
            }
            results: dict[str, list[dict]] = {t: [] for t in tools}
            print(f"\n== {kind} marketplace, {n:,} accounts ({data}) ==", flush=True)
            for rep in range(args.repeat):
                for tool in (("networkx", "syndicate") if rep % 2 == 0 else ("syndicate", "networkx")):
                    out = args.workdir / f"out-{tool}-{kind}-{n}"
                    if tool == "networkx":
                        shutil.rmtree(out, ignore_errors=True)
                    r = measure(tools[tool](out), max_rss_gb=args.max_rss_gb, log=args.workdir / f"{tool}.log")
                    results[tool].append(r)
                    print(f"  run {rep + 1} {tool:<10} {_fmt(r)}", flush=True)
            med = {}
            for tool, rs in results.items():
                ok = [r for r in rs if r["ok"]]
                med[tool] = ({k: statistics.median(r[k] for r in ok) for k in ("wall_s", "cpu_s", "peak_mb")}
                             if ok else None)
                line = f"{tool:<10} median of {len(ok)}: " + (
                    f"{med[tool]['wall_s']:.1f} s wall, {med[tool]['cpu_s']:.1f} s CPU, "
                    f"{med[tool]['peak_mb'] / 1024:.2f} GB peak" if ok else "no successful run")
                print(line)
            if med["networkx"] and med["syndicate"]:
                nx_, syn = med["networkx"], med["syndicate"]
                print(f"networkx / syndicate: wall {nx_['wall_s'] / syn['wall_s']:.2f}x, CPU "
                      f"{nx_['cpu_s'] / syn['cpu_s']:.2f}x, peak memory {nx_['peak_mb'] / syn['peak_mb']:.2f}x")
            syn_out = args.workdir / f"out-syndicate-{kind}-{n}"
            manifest = syn_out / "manifest.json"
            if manifest.is_file():
                stages = json.loads(manifest.read_text()).get("timings_seconds", {})
                print("syndicate stages (last run, wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
            log = (args.workdir / "networkx.log").read_text().strip().splitlines()
            if log and log[-1].startswith("{"):
                stages = json.loads(log[-1])["stages_s"]
                print("networkx stages (last run, wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
            if args.quality:
                truth = pl.read_parquet(data / "truth.parquet")
                for tool in tools:
                    out = args.workdir / f"out-{tool}-{kind}-{n}"
                    if (out / "members.parquet").is_file():
                        print(f"{tool:<10} quality: " + _quality(pl.read_parquet(out / "members.parquet"),
                                                                 pl.read_parquet(out / "clusters.parquet"), truth))
    return 0


if __name__ == "__main__":
    sys.exit(main())

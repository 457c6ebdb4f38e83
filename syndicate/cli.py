"""Command line: syndicate run | report | generate | demo | train | evaluate | export | score-new |
decide | root-cause.

Each command is a small function that parses arguments and calls the library. User mistakes
(bad input data, bad config, missing run folder) print a clear message and exit with code 2,
without a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

from syndicate import __version__

USER_ERROR_EXIT = 2
ALERT_EXIT = 3  # `run --fail-on-alert` when an alert fired: a scheduler pages someone
LOCKED_EXIT = 75  # EX_TEMPFAIL: another run holds the runs root's lock; try again later
BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE: the reader of the output closed it (`| head`), as a shell reports it

# name -> (help, add_arguments, handler); commands register themselves below.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, help: str):
    def register(pair):
        add, handle = pair
        COMMANDS[name] = (help, add, handle)
        return pair
    return register


def _check_seed(seed: int | None, option: str = "--seed") -> list[str]:
    from syndicate.config import MAX_SEED

    if seed is None or 0 <= seed <= MAX_SEED:
        return []
    return [f"{option} must be an int in [0, {MAX_SEED}]. Got {seed} instead."]


def _check_folder(path: str | Path, what: str) -> list[str]:
    """A problem when a folder cannot be made (or used) at ``path``; checked before any work."""
    from syndicate.runs import unwritable_reason

    path = Path(path)
    if path.exists():
        return [] if path.is_dir() else [f"{what} {path} is a file; give a folder."]
    reason = unwritable_reason(path)
    return [f"cannot create {what} {path}: {reason}."] if reason else []


def _load_config(path: str | None, seed: int | None):
    """The config file (if any) with the --seed override; every problem of both in one error,
    before any work is done."""
    from syndicate.config import Config, ConfigError

    problems = _check_seed(seed)
    config = Config()
    if path:
        try:
            config = Config.from_toml(path)
        except ConfigError as exc:
            problems.insert(0, str(exc))
    if problems:
        raise ConfigError("\n".join(problems))
    return config.replace(seed=seed) if seed is not None else config


# --- run -----------------------------------------------------------------------------------

def _add_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("data_dir", help="folder with accounts, signals, events, labels, links tables")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="run folder to write (replaced atomically)")
    where.add_argument("--runs-root", help="folder of scheduled runs: writes ROOT/NAME, compares with the "
                       "latest earlier run there and records the run in ROOT/history.duckdb")
    p.add_argument("--name", help="run name under --runs-root (default: today's UTC date, YYYY-MM-DD); "
                   "names must sort in time order; re-running a name replaces that run")
    p.add_argument("--previous", help="previous run folder to keep cluster ids from and compare with "
                   "(default with --runs-root: the latest run named before this one)")
    p.add_argument("--fail-on-alert", action="store_true",
                   help=f"exit with code {ALERT_EXIT} when an alert fired (rules: [alerts] in the config); "
                   "the run folder is written either way")
    p.add_argument("--config", help="TOML config file")
    p.add_argument("--model", help="saved model folder (model.json + metadata.json) to score with")
    p.add_argument("--seed", type=int, help="override the config seed")
    p.add_argument("--as-of", metavar="TIME",
                   help="the run's reference time, ISO-8601 (e.g. 2026-05-01 or 2026-05-01T06:00:00Z): ages "
                   "are measured from it and later timestamps are left out (default: the data's latest "
                   "timestamp, a few stray far-future ones set aside)")
    p.add_argument("--engine", choices=("polars", "spark"),
                   help="engine of the heavy linear stages (default: [engine] name in the config, else "
                   "polars); spark needs pip install 'syndicate[spark]' and Java")
    p.add_argument("--spark-master", metavar="URL",
                   help="Spark master for --engine spark, e.g. local[2] or spark://host:7077 (default: "
                   "the launcher's, else local[*])")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _with_engine(config, engine: str | None, spark_master: str | None):
    """The config with the --engine / --spark-master overrides."""
    import dataclasses

    changes = {k: v for k, v in (("name", engine), ("spark_master", spark_master)) if v is not None}
    if spark_master is not None and (engine or config.engine.name) != "spark":
        raise UserError("--spark-master needs --engine spark (or name = \"spark\" in [engine] of the config).")
    return config.replace(engine=dataclasses.replace(config.engine, **changes)) if changes else config


def _import_igraph_without_plotting() -> None:
    """Import igraph without its matplotlib drawing modules, in the command's own process.

    igraph's drawing package imports ``matplotlib.pyplot`` when matplotlib is installed: 0.6 s
    of every run's start (a tenth of the start-up imports), though the command never draws
    with igraph (report graphs are syndicate's own SVG; case pages import matplotlib
    themselves, and get it). While igraph is imported, ``import matplotlib`` fails, so igraph
    keeps its stand-ins for plotting; matplotlib imports normally afterwards. Not done when
    either is loaded already, nor outside the command (a notebook keeps igraph's plotting)."""
    if "igraph" in sys.modules or "matplotlib" in sys.modules:
        return
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  (an import of it raises ImportError)
    try:
        import igraph  # noqa: F401
    except ImportError:
        pass  # the pipeline's own import reports it
    finally:
        del sys.modules["matplotlib"]


def _loading_engine(config, data_dir: str, out: Path, as_of, model_dir: str | None = None, *,
                    option: str = "--out"):
    """The run's engine, already reading and validating ``data_dir`` on a background thread
    when it can (the polars engine: ``start_loading``) while the pipeline's libraries are
    imported; None when the engine reads elsewhere (Spark). A bad config or output folder is
    refused here, as ``run_to_folder`` would (``option`` names the folder in the message), but
    before the pipeline's libraries are imported: at once, not two seconds later."""
    from syndicate.config import check_config
    from syndicate.engines import get_engine
    from syndicate.runs import check_out_dir

    check_config(config)
    check_out_dir(out, data_dir=data_dir, inputs=(model_dir,), option=option)
    if config.engine.name != "polars":
        return None
    engine = get_engine(config)
    engine.start_loading(data_dir, as_of=as_of, placeholder_values=config.identity.placeholder_values)
    return engine


def _run(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    if args.name is not None and args.runs_root is None:
        raise UserError("--name needs --runs-root (with --out, the folder name is the run name).")
    if args.runs_root is not None:
        name = args.name or datetime.now(timezone.utc).date().isoformat()
        if not name or name.startswith(".") or "/" in name or "\\" in name:
            raise UserError(f"--name must be a plain folder name not starting with '.'. Got {name!r} instead.")
        out = Path(args.runs_root) / name
    else:
        out = Path(args.out)
    from syndicate.asof import parse_as_of
    from syndicate.runs import out_option

    as_of = parse_as_of(args.as_of) if args.as_of is not None else None
    config = _with_engine(_load_config(args.config, args.seed), args.engine, args.spark_master)
    engine = _loading_engine(config, args.data_dir, out, as_of, args.model, option=out_option(args.runs_root))
    _import_igraph_without_plotting()
    from syndicate.pipeline import run_to_folder, top_clusters_text

    result = run_to_folder(args.data_dir, out, config=config, model_dir=args.model, quiet=args.quiet,
                           previous=args.previous, runs_root=args.runs_root, as_of=as_of, engine=engine)
    for line in result.warnings:
        print(f"warning: {line}", file=sys.stderr)
    if not args.quiet:
        print(top_clusters_text(result.clusters))
        print(f"\nwrote {out}: {result.clusters.height} clusters, {result.members.height} accounts, "
              f"report {out / 'report.html'}")
    for alert in result.alerts:
        print(f"ALERT {alert.rule}: {alert.message}", file=sys.stderr)
    return ALERT_EXIT if args.fail_on_alert and result.alerts else 0


command("run", "run the pipeline on a data folder and write a run folder")((_add_run, _run))


# --- report --------------------------------------------------------------------------------

def _add_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", help="a run folder written by `syndicate run`")
    p.add_argument("--cases", metavar="CASES_DIR",
                   help="folder written by `syndicate export`: the report links each exported "
                   "cluster to its case.html")


def _report(args: argparse.Namespace) -> int:
    from syndicate.report.html import build_report

    print(f"wrote {build_report(args.run_dir, cases_dir=args.cases)}")
    return 0


command("report", "rebuild the self-contained HTML report (report.html) of a run folder")((_add_report, _report))


# --- generate ------------------------------------------------------------------------------

def _add_generate(p: argparse.ArgumentParser) -> None:
    p.add_argument("out_dir", help="folder to write the marketplace tables (and truth.parquet, the answer key)")
    p.add_argument("--accounts", type=int, default=20_000, help="number of accounts (at least 100)")
    p.add_argument("--seed", type=int, default=0, help="seed of the generator: same seed, same marketplace")
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="file format of the tables")
    p.add_argument(
        "--scenario", choices=SCENARIOS, default="marketplace",
        help="marketplace; alt-actions: the same marketplace with other action names "
             "(heart, subscribe, stars_5, ...); reviews: an events-only review site (accounts, "
             "events with actions review_1..review_5, truth)",
    )


SCENARIOS = ("marketplace", "alt-actions", "reviews")


def _generate(args: argparse.Namespace) -> int:
    from syndicate.io import check_generated_out, write_generated
    from syndicate.synthetic import GeneratorConfig, generate_marketplace, generate_review_site

    problems = _check_seed(args.seed)
    if args.accounts < 100:
        problems.insert(0, f"--accounts must be at least 100. Got {args.accounts} instead.")
    if problems:
        raise UserError("\n".join(problems))
    check_generated_out(args.out_dir, option="the output folder")  # a folder of someone's own tables: refused
    if args.scenario == "reviews":
        tables = generate_review_site(args.accounts, seed=args.seed)
    else:
        vocabulary = "alt" if args.scenario == "alt-actions" else "default"
        config = GeneratorConfig(action_vocabulary=vocabulary)
        tables = generate_marketplace(args.accounts, seed=args.seed, config=config)
    write_generated(tables, args.out_dir, fmt=args.format,
                    about={"scenario": args.scenario, "accounts": args.accounts, "seed": args.seed})
    counts = ", ".join(f"{k} {v.height:,}" for k, v in tables.items())
    print(f"wrote {args.out_dir}: {counts}")
    return 0


command("generate", "write a generated marketplace with planted syndicates")((_add_generate, _generate))


# --- demo ----------------------------------------------------------------------------------

def _add_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("--accounts", type=int, default=20_000, help="accounts in the generated marketplace")
    # Seed 1 is the marketplace of the "seed 1" column of the README's quality table.
    p.add_argument("--seed", type=int, default=1, help="seed of the generator and of the run")
    p.add_argument("--workdir", default="demo-output",
                   help="folder for the data (WORKDIR/data), the run with its report (WORKDIR/run) "
                   "and the case bundles (WORKDIR/cases)")
    p.add_argument("--top", type=int, default=10, help="clusters to print")
    p.add_argument("--cases", type=int, default=5, help="top clusters to export as case bundles (0: none)")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


# The files of one case bundle (syndicate/cases/bundle.py), each beside its zip.
CASE_FILES = frozenset({"case.html", "summary.json", "members.csv", "edges.csv", "events.csv", "evidence.csv",
                        "identifiers.csv", "graph.graphml"})


def _not_case_export(folder: Path) -> str:
    """What in ``folder`` is not a case bundle `syndicate export` wrote ("" when nothing is)."""
    from syndicate.runs import foreign_entries

    if not folder.is_dir():
        return "nothing: it is a file"
    bundles = {c.name: CASE_FILES for c in folder.iterdir() if c.is_dir() and (c / "summary.json").is_file()}
    zips = dict.fromkeys(f"{name}.zip" for name in bundles)
    foreign = foreign_entries(folder, {**bundles, **zips})
    return ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")


def _demo(args: argparse.Namespace) -> int:
    import shutil
    import textwrap

    from syndicate.cases import export_cases
    from syndicate.evaluate import evaluate_run, write_evaluation
    from syndicate.io import check_generated_out, write_generated
    from syndicate.pipeline import run_to_folder, top_clusters_text
    from syndicate.runs import check_out_dir
    from syndicate.progress import Progress
    from syndicate.report.html import build_report
    from syndicate.synthetic import generate_marketplace

    problems = _check_seed(args.seed) + _check_folder(args.workdir, "--workdir")
    if args.accounts < 100:
        problems.insert(0, f"--accounts must be at least 100. Got {args.accounts} instead.")
    if args.top < 1:
        problems.append(f"--top must be at least 1. Got {args.top} instead.")
    if problems:
        raise UserError("\n".join(problems))
    work = Path(args.workdir)
    data_dir, run_dir, cases_dir = work / "data", work / "run", work / "cases"
    if cases_dir.exists() and (in_the_way := _not_case_export(cases_dir)):
        raise UserError(f"{cases_dir} exists and is not a previous demo's case bundles (it holds {in_the_way}); "
                        "give another --workdir.")
    # Every target before anything is written: a previous demo's folders, or new ones.
    check_generated_out(data_dir, option="--workdir's data folder", who="syndicate demo")
    check_out_dir(run_dir, data_dir=data_dir, option="--workdir's run folder")
    progress = Progress(quiet=args.quiet)
    with progress.stage(f"generate {args.accounts:,} accounts"):
        tables = generate_marketplace(args.accounts, seed=args.seed)
        write_generated(tables, data_dir, fmt="parquet", who="syndicate demo",
                        about={"scenario": "default", "accounts": args.accounts, "seed": args.seed})
    config = _load_config(None, args.seed)
    result = run_to_folder(data_dir, run_dir, config=config, quiet=args.quiet)
    with progress.stage("evaluate against the generator's truth"):
        evaluation = evaluate_run(run_dir, data_dir / "truth.parquet")
        write_evaluation(evaluation, run_dir / "evaluation")
    if args.cases > 0 and result.clusters.height:
        shutil.rmtree(cases_dir, ignore_errors=True)  # a previous demo's bundles (checked above)
        export_cases(run_dir, top=args.cases, out_dir=cases_dir, quiet=args.quiet)
        with progress.stage("report with links to the cases"):
            build_report(run_dir, cases_dir=cases_dir)
    print(top_clusters_text(result.clusters, args.top))
    m = evaluation.metrics
    found = ", ".join(f"{kind} {v['found']}/{v['planted']}" for kind, v in (m.get("groups") or {}).get("by_kind", {}).items())
    print("\n" + textwrap.fill(f"against the generator's answer key: planted groups found {found or '–'}; "
                               f"top {m['top_k']['k']} clusters {m['top_k']['bad']} bad", 100,
                               subsequent_indent="  "))
    for line in result.warnings:
        print(textwrap.fill(f"warning: {line}", 100, subsequent_indent="  "))
    exe = Path(sys.argv[0])
    how = str(exe) if exe.name == "syndicate" else "python -m syndicate"
    print(f"""
where everything is:
  report      {run_dir / 'report.html'}   <- open this in a browser
  run folder  {run_dir}   (clusters.parquet, members.parquet, edges.parquet, manifest.json)
  cases       {cases_dir if args.cases > 0 else '(none exported)'}   (one case.html per top cluster)
  evaluation  {run_dir / 'evaluation'}   (evaluation.json, pr_curve.png, false_positives.csv)
  data        {data_dir}   (the generated tables; truth.parquet is the answer key)
the command:  {how} --help""")
    return 0


command("demo", "generate a marketplace, run the pipeline, export the top cases, print where the report is")(
    (_add_demo, _demo))


# --- train ---------------------------------------------------------------------------------

def _add_train(p: argparse.ArgumentParser) -> None:
    p.add_argument("data_dirs", nargs="+", metavar="DATA_DIR", help="data folders with labels")
    p.add_argument("--out", required=True, help="model folder to write (model.json + metadata.json, and "
                   "account_model.json + account_metadata.json when the labelled accounts suffice)")
    p.add_argument("--config", help="TOML config file (link, cluster and risk settings)")
    p.add_argument("--seed", type=int, help="override the config seed")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _train(args: argparse.Namespace) -> int:
    from syndicate.risk.train import train_to_folder

    config = _load_config(args.config, args.seed)
    result = train_to_folder(args.data_dirs, args.out, config=config, quiet=args.quiet)
    m = result.metrics
    print(f"cross-validated on {m['n_labelled_clusters']} labelled clusters ({m['n_positive_clusters']} bad, "
          f"{m['n_groups']} groups, {m['n_folds']} folds): AUC {m['oof_auc']:.3f}, "
          f"average precision {m['oof_average_precision']:.3f}")
    print("top features: " + ", ".join(result.importance["feature"].head(5).to_list()))
    a = result.account_metrics
    if result.account_model is not None:
        print(f"account model: cross-validated on {a['n_labelled_accounts']} labelled accounts "
              f"({a['n_positive_accounts']} bad, {a['n_groups']} groups): AUC {a['oof_auc']:.3f}, "
              f"average precision {a['oof_average_precision']:.3f}")
    else:
        print(f"account model not trained: {a.get('not_trained_because')}")
    print(f"wrote {args.out}")
    return 0


command("train", "train the cluster and account risk models on the labels of one or more data folders")((_add_train, _train))


# --- evaluate ------------------------------------------------------------------------------

def _add_evaluate(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", help="run folder written by `syndicate run`")
    p.add_argument("--truth", required=True, help="truth table (.parquet/.csv): account_id, is_bad[, group_id]")
    p.add_argument("--out", help="folder for evaluation.json, pr_curve.png and false_positives.csv "
                   "(accounts a strategy actions that the truth says are benign); default RUN_DIR/evaluation")
    p.add_argument("--strategies", help="TOML file of [[strategy]] tables (default: review/restrict/ban)")
    p.add_argument("--threshold", type=float, help="risk at which a cluster is flagged (default: the run's)")
    p.add_argument("--top-k", type=int, help="K for top-K precision (default: number of planted bad groups)")


def _evaluate(args: argparse.Namespace) -> int:
    import dataclasses

    from syndicate.evaluate import check_cut, check_evaluation_out, evaluate_run, write_evaluation
    from syndicate.strategies import DEFAULT_STRATEGIES, read_strategies

    try:
        check_cut(args.threshold, args.top_k, names=("--threshold", "--top-k"))
    except ValueError as exc:
        raise UserError(str(exc)) from None
    out = check_evaluation_out(args.out or Path(args.run_dir) / "evaluation", run_dir=args.run_dir,
                               option="--out" if args.out else "the evaluation folder")
    strategies = read_strategies(args.strategies) if args.strategies else DEFAULT_STRATEGIES
    evaluation = evaluate_run(args.run_dir, args.truth, threshold=args.threshold, top_k=args.top_k,
                              strategies=strategies)
    out = write_evaluation(evaluation, out, run_dir=args.run_dir)  # checked again: it may have changed meanwhile
    for line in evaluation.warnings:
        print(f"warning: {line}", file=sys.stderr)
    print(dataclasses.replace(evaluation, warnings=[]).summary())  # the warnings went to stderr
    print(f"\nwrote {out}")
    return 0


command("evaluate", "metrics of a run against a truth table, and what each strategy would action")(
    (_add_evaluate, _evaluate))


# --- export --------------------------------------------------------------------------------

def _add_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", help="run folder written by `syndicate run`")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--cluster", action="append", metavar="ID", help="cluster id to export (repeatable)")
    which.add_argument("--top", type=int, metavar="N", help="export the N highest-ranked clusters")
    p.add_argument("--out", required=True, help="new or empty folder for the case folders and zips")
    p.add_argument("--reveal", action="store_true",
                   help="write raw identifier values (masked by default); recorded in every case")
    p.add_argument("--quiet", action="store_true", help="no progress lines")


def _export(args: argparse.Namespace) -> int:
    from syndicate.cases import export_cases

    folders = export_cases(args.run_dir, cluster_ids=args.cluster, top=args.top, out_dir=args.out,
                           reveal=args.reveal, quiet=args.quiet)
    if not args.quiet:
        for folder in folders:
            print(f"{folder}/case.html  ({folder.name}.zip)")
        print(f"link them from the run report: syndicate report {args.run_dir} --cases {args.out}")
    return 0


command("export", "write investigator case bundles (HTML, CSV, GraphML, zip) for clusters of a run")(
    (_add_export, _export))


# --- score-new -----------------------------------------------------------------------------

def _add_score_new(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", help="run folder written by `syndicate run` (its input data must still be readable)")
    p.add_argument("new_data", help="data folder with the new accounts (the same tables as `run` reads); "
                                    "accounts the run already held are left out")
    p.add_argument("--out", required=True, help="folder to write assignments.parquet into (replaced atomically)")
    p.add_argument("--reveal", action="store_true",
                   help="write raw identifier values in the evidence (masked by default)")
    p.add_argument("--quiet", action="store_true", help="no summary lines")


def _score_new(args: argparse.Namespace) -> int:
    from syndicate.screening import check_screening_out, score_new, write_screening

    check_screening_out(args.out, args.run_dir, args.new_data)  # before any work; again when writing
    screening = score_new(args.run_dir, args.new_data, reveal=args.reveal)
    out = write_screening(screening, args.out, new_data_dir=args.new_data, reveal=args.reveal)
    for line in screening.warnings:
        print(f"warning: {line}", file=sys.stderr)
    if not args.quiet:
        frame = screening.assignments
        print(f"{frame.height:,} new accounts screened against {args.run_dir} "
              f"({screening.known:,} of the new data's accounts were already in the run, left out)")
        print(f"  tied to a cluster: {frame['cluster_id'].is_not_null().sum():,}; in a group of new accounts: "
              f"{frame['new_group'].is_not_null().sum():,}; risk >= 0.5: {(frame['risk_score'] >= 0.5).sum():,}")
        print(f"  {out}/assignments.parquet")
    return 0


command("score-new", "screen new accounts against a run's clusters: tie, evidence and risk score for each")(
    (_add_score_new, _score_new))


# --- decide --------------------------------------------------------------------------------

def _add_decide(p: argparse.ArgumentParser) -> None:
    from syndicate.history import DECISIONS

    p.add_argument("runs_root", help="folder of scheduled runs (`run --runs-root`): the decision goes to its history")
    p.add_argument("cluster_id", help="a cluster of a recorded run (ids carry over between runs)")
    p.add_argument("--decision", required=True, choices=DECISIONS, help="what the investigation concluded")
    p.add_argument("--by", required=True, help="the investigator's name or handle")
    p.add_argument("--note", help="a free-text note (a ticket number, what was done)")
    p.add_argument("--run", help="the run the decision is about (default: the latest that holds the cluster)")


def _decide(args: argparse.Namespace) -> int:
    from syndicate.history import record_decision

    row = record_decision(args.runs_root, args.cluster_id, args.decision, investigator=args.by, note=args.note,
                          run_name=args.run)
    print(f"{row['cluster_id']} ({row['run_name']}): {row['decision']} by {row['investigator']} at "
          f"{row['decided_at']:%Y-%m-%d %H:%M} UTC")
    return 0


command("decide", "record an investigator's decision on a cluster in a runs root's history")((_add_decide, _decide))


# --- root-cause ----------------------------------------------------------------------------

def _add_root_cause(p: argparse.ArgumentParser) -> None:
    p.add_argument("run_dir", help="run folder written by `syndicate run`; root_cause.parquet is written into it")
    p.add_argument("--previous", help="the run to compare with (default: the run's own previous run, "
                                      "recorded when it ran with --previous or --runs-root)")
    p.add_argument("--top", type=int, default=3, help="contributions printed per metric and decomposition")
    p.add_argument("--quiet", action="store_true", help="print nothing")


def _root_cause(args: argparse.Namespace) -> int:
    import polars as pl

    from syndicate.health import ROOT_CAUSE_FILE, explain_change

    found = explain_change(args.run_dir, previous=args.previous)
    if not args.quiet:
        print(f"{args.run_dir} against {found.previous}: {Path(args.run_dir) / ROOT_CAUSE_FILE}")
        for (metric, decomposition), part in found.causes.group_by("metric", "decomposition", maintain_order=True):
            top = part.sort(pl.col("contribution").abs(), "item", descending=[True, False]).head(args.top)
            items = ", ".join(f"{r['item']} {r['contribution']:+,.4g}" for r in top.iter_rows(named=True))
            print(f"  {metric} ({found.change.get(metric, float('nan')):+,.4g}) by {decomposition}: {items}")
        if found.one_sided_kinds:
            print(f"  left out (only one of the two runs has them): {', '.join(found.one_sided_kinds)}")
    return 0


command("root-cause", "what changed a run's figures since the previous run, by segment and by cluster")(
    (_add_root_cause, _root_cause))


# --- entry point ---------------------------------------------------------------------------

class UserError(ValueError):
    """A mistake in how the command was called."""


# The errors that are the user's to fix (bad input, a bad folder or setting): said in a line and
# exit 2, no traceback. By module, so that only those already imported are looked up: an error
# of a module never imported cannot have been raised, and a bad --out refused before the
# pipeline's libraries load (a second and a half) is not made to wait for them here.
_USER_ERRORS = (
    ("syndicate.config", "ConfigError"), ("syndicate.contract", "ContractError"),
    ("syndicate.risk.model", "ModelFileError"), ("syndicate.runs", "RunFolderError"), ("builtins", "FileExistsError"),
    ("syndicate.risk.train", "TrainingError"), ("syndicate.evaluate", "TruthError"),
    ("syndicate.strategies", "StrategyError"), ("syndicate.cases", "CaseExportError"), ("syndicate.asof", "AsOfError"),
    ("syndicate.engines.spark.session", "EngineUnavailableError"), ("syndicate.screening", "ScreeningError"),
    ("syndicate.history", "DecisionError"), ("syndicate.health", "RootCauseError"),
)


def _user_errors() -> tuple[type[BaseException], ...]:
    """``UserError`` and the classes of :data:`_USER_ERRORS` whose modules are imported."""
    return (UserError, *(getattr(sys.modules[module], name) for module, name in _USER_ERRORS if module in sys.modules))


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the epilog's line breaks and adds "(default: X)" to options that have one."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if (default is not None and default is not False and default is not argparse.SUPPRESS
                and "%(default)" not in text and action.option_strings):
            text += " (default: %(default)s)"
        return text


DESCRIPTION = ("Find bad-actor syndicates (matrix accounts, engagement farms) in a marketplace's\n"
               "accounts, identifiers and events.")
EPILOG = f"""\
first steps:
  syndicate demo                               generate, run, export; says where the report is
  syndicate run DATA_DIR --out RUN_DIR         then open RUN_DIR/report.html
  syndicate export RUN_DIR --top 5 --out CASES investigator case bundles
  syndicate COMMAND --help                     the options of one command

exit codes:
  0  done
  {USER_ERROR_EXIT}  bad input, config or arguments: every problem listed, nothing written
  {ALERT_EXIT}  run --fail-on-alert: the run was written and an alert fired (read alerts.json)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syndicate", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=_HelpFormatter)
    parser.add_argument("--version", action="version", version=f"syndicate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add, handle) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text, formatter_class=_HelpFormatter)
        add(p)
        p.set_defaults(handler=handle)
    return parser


def _say(message: str) -> None:
    """``message`` on stderr, unless it is closed, full or its reader has gone (the exit code
    still says what happened)."""
    if sys.stderr is None:  # started with stderr closed (2>&-): print would write to stdout
        return
    try:
        print(message, file=sys.stderr, flush=True)
    except OSError:
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
        except (OSError, ValueError):
            pass


def _pipe_closed(stream) -> bool:
    """Whether ``stream`` is a pipe whose reader has gone (poll reports an error on it)."""
    import select

    try:
        poller = select.poll()
        poller.register(stream.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


def main(argv: list[str] | None = None) -> int:
    from syndicate.memory import one_arena

    one_arena()  # before polars is imported: its threads would fix glibc's arena count first
    args = build_parser().parse_args(argv)
    from syndicate.history import RunsRootLockedError

    try:
        return int(args.handler(args) or 0)
    except RunsRootLockedError as exc:
        _say(f"syndicate {args.command}: {exc}")
        return LOCKED_EXIT
    except _user_errors() as exc:
        name = type(exc).__name__
        _say(f"syndicate {args.command}: error ({name}):\n{exc}\nnothing was written.")
        return USER_ERROR_EXIT
    except BrokenPipeError as exc:
        # The reader of the output went away (`| head`; progress lines stop quietly, so this is
        # the output printed after the work): say nothing more to the closed pipe and exit as a
        # process killed by SIGPIPE does. Another broken pipe (a socket) is an error as below.
        closed = [stream for stream in (sys.stdout, sys.stderr) if _pipe_closed(stream)]
        if not closed:
            _say(f"syndicate {args.command}: error (BrokenPipeError): {exc.strerror or exc}")
            return USER_ERROR_EXIT
        for stream in closed:
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        return BROKEN_PIPE_EXIT
    except OSError as exc:
        # The file system refused (permissions, a full disk, a path that vanished): say what and
        # where, without a traceback. Run folders and case bundles are written atomically, so no
        # half-written output is left in place.
        where = f": {exc.filename}" if exc.filename else ""
        _say(f"syndicate {args.command}: error ({type(exc).__name__}): {exc.strerror or exc}{where}")
        return USER_ERROR_EXIT
    except Exception as exc:
        from syndicate.engines.spark.session import spark_memory_advice

        advice = spark_memory_advice(exc)  # Spark out of memory: say how to give it more
        if advice is None:
            raise
        _say(f"syndicate {args.command}: error:\n{advice}\nnothing was written.")
        return USER_ERROR_EXIT


if __name__ == "__main__":
    sys.exit(main())

"""New accounts screened against a run's syndicates (``syndicate score-new RUN NEW_DATA``).

Between two runs, accounts keep signing up. An operator's next account lands on the devices,
cards and phones its cluster already uses, so each new account is tied to the run's clusters
by the identifier values it shares with their members, weighed as the run's link stage
weighs them (:func:`syndicate.link.identity.identity_links` over the run's signals and the new
ones together, with the run's own identity settings: a value's strength falls with how many
accounts share it, and hub values tie no one). Counts are taken over both sets together, so a
value's sharers and the IPs an ordinary account holds (which scale a pair of heavy IP
rotators' evidence) include the new accounts: a new account on a farm's device weighs as it
would had the run seen it.

For each new account (an account of ``NEW_DATA`` that the run did not hold):

* ``cluster_id``: the cluster it is tied to, when the tie is at least the run's strong-link bar
  (``cluster.min_edge_weight``): a link the run would have clustered it by. Null otherwise.
* ``risk_score``: what the tie passes on — the cluster's risk score in full for a tie at the
  bar or above (a member inherits it), times the tie's strength below it (an IP shared with a
  farm's members, 0.1-0.15, passes on a tenth: an office or a carrier NAT does that too) — and
  the account's own score combined with it as independent evidence (noisy-or, as a run combines
  a member's; :func:`syndicate.risk.accounts.combined_risk`). The own score comes from the
  pipeline run over the new data alone, scored by the run's saved models when it has them:
  new accounts that form a group of their own (an operator's fresh batch on fresh devices) are
  found and scored there. Where an account is tied to several clusters, the one that passes on
  the most risk is taken.
* ``evidence``: in words, the values that tie it (masked, unless ``reveal``) and how many of
  the cluster's members hold each, or why there is none (a value held by more accounts than
  the hub cap ties no one); the account's own score; and its group among the new accounts.

What it does not read: the new accounts' events (co-action with a cluster needs the run's
lockstep over both, a run on the combined data) and links tables. A new account tied only to
other new accounts forms no cluster here; the next run finds such a group.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

import syndicate
from syndicate.config import Config, EngineConfig
from syndicate.link.combine import noisy_or
from syndicate.link.codes import AccountIndex, with_ids
from syndicate.link.identity import identity_links
from syndicate.masking import mask_column
from syndicate.risk.accounts import combined_risk

ASSIGNMENTS = "assignments"
COMMAND = "score-new"  # in the output's manifest: what may be replaced by the next score-new
HEAD_COLUMNS = ("account_id", "cluster_id", "evidence", "risk_score")
# Values listed in an account's evidence sentence: the strongest first.
EVIDENCE_VALUES = 3


class ScreeningError(Exception):
    """The run cannot screen new accounts: its input data can no longer be read."""


@dataclass(frozen=True)
class Screening:
    """Result of :func:`score_new`: ``assignments`` (one row per new account, columns
    ``HEAD_COLUMNS`` then ``tie_strength``, ``n_members_tied``, ``tied_cluster_id`` (the cluster
    of the tie, also below the bar), its ``rank`` and ``archetype``, then ``own_risk`` and the
    group the pipeline over the new data alone puts the account in: ``new_group``,
    ``new_group_size``, ``new_group_risk``, ``new_group_archetype``) and
    ``known`` (how many accounts of the new data the run already held; they get no row);
    ``warnings``: what the person running it should know (input files changed after the run, a
    model the run was given that is gone, the new batch's out-of-range times and placeholder
    identifiers, and what the run over the new batch alone says of its own scores and groups);
    ``clock_seconds``: the clock the new events were read with (at least the run's: a day's
    batch of data recorded to the day cannot show it)."""

    assignments: pl.DataFrame
    known: int
    run_dir: str
    new_data: str
    warnings: list[str] = field(default_factory=list)
    clock_seconds: int = 1


def score_new(run_dir: str | Path, new_data: Any, *, reveal: bool = False) -> Screening:
    """Screen the accounts of ``new_data`` (a data folder, a mapping of tables or a Dataset)
    against the clusters of the run folder ``run_dir``; see the module docstring.

    Raises :class:`ScreeningError` when the run's input data can no longer be read (the members'
    identifiers come from there), and ``ContractError`` for new data that break the contract. A
    run without clusters screens too: no account is tied, each keeps its own score.
    """
    from syndicate.api import load_dataset as load_any
    from syndicate.asof import describe_out_of_range
    from syndicate.placeholders import describe_placeholders
    from syndicate.runs import read_run_folder

    folder = getattr(run_dir, "run_dir", run_dir)  # a RunResult read from or written to a folder
    if not isinstance(folder, (str, Path)):
        got = ("a RunResult held only in memory (run with out_dir= to screen against it)"
               if hasattr(run_dir, "run_dir") else type(run_dir).__name__)
        raise TypeError(f"run_dir must be a run folder, or a RunResult of one (syndicate.load_run). Got {got} instead.")
    run_dir = Path(folder)
    tables, manifest = read_run_folder(run_dir, only=("members", "clusters"))
    # The run's settings, on the polars engine (the new accounts are few; `train` and
    # `score-new` run in process whatever engine the run used).
    config = Config.from_dict(manifest.get("config") or {})
    new = load_any(new_data, placeholder_values=config.identity.placeholder_values)
    run_ids, run_signals, note = _run_inputs(run_dir, manifest)
    warnings = [note] if note else []  # the input files changed after the run
    # The new batch's times out of range and placeholders left out. Not its creation stamps: a
    # day's sign-ups exported with dates alone share one date, which the batch alone would read
    # as a stamp (too few days to show otherwise, as with the clock below).
    warnings += describe_out_of_range(new.timestamps) + describe_placeholders(new.placeholders)
    # ... and the run's clock: a day's batch of data recorded to the day spans too few days to
    # show it and would read as seconds (same-day events as bursts within seconds).
    clock = max(config.lockstep.clock_seconds, int(manifest.get("events_clock_seconds") or 0))
    config = config.replace(engine=EngineConfig(),
                            lockstep=dataclasses.replace(config.lockstep, clock_seconds=clock))
    fresh = new.accounts.select("account_id").join(run_ids, on="account_id", how="anti").sort("account_id")
    known = new.accounts.height - fresh.height
    members = tables["members"].select(pl.col("account_id").cast(pl.String), pl.col("cluster_id").cast(pl.String))
    clusters = tables["clusters"].select("cluster_id", "risk_score", "rank", "archetype")

    bar = config.cluster.min_edge_weight
    ties, values = _ties(run_signals, new.signals, fresh, members, config, reveal)
    best = _best_ties(ties, members, clusters, bar)
    own, clock, said = _own_scores(new, fresh, _run_models(run_dir, manifest, warnings), config)
    # What the run over the new batch says (a detector left out, a clock too coarse for
    # lockstep): of the batch's own scores and groups only, read with the run's settings.
    warnings += [f"the run over the new batch alone (own_risk, new_group; the run's settings and clock): {w}"
                 for w in said]
    frame = (fresh.join(best, on="account_id", how="left")
             .join(values, on=["account_id", "cluster_id"], how="left")
             .join(own, on="account_id", how="left"))
    with_signals = (new.signals["account_id"].unique() if new.signals is not None
                    else pl.Series("account_id", [], dtype=pl.String))
    frame = frame.with_columns(pl.col("account_id").is_in(with_signals.implode()).alias("_signals"))
    assigned = pl.col("tie_strength").fill_null(0.0) >= bar
    group = (pl.when(pl.col("new_group").is_not_null())
             .then(pl.format("; among the new accounts, in a group of {} ({}, risk {})", pl.col("new_group_size"),
                             pl.col("new_group_archetype"), pl.col("new_group_risk").round(2)))
             .otherwise(pl.lit("")))
    evidence = pl.concat_str(
        pl.when(pl.col("tie_strength").is_null() & ~pl.col("_signals"))
        .then(pl.lit("no identifiers in the new data"))
        .when(pl.col("tie_strength").is_null())
        .then(pl.lit("no identifier shared with a cluster's members"))
        .otherwise(pl.format("{} tie ({}) to cluster {} (rank {}, {}, risk {}): {}",
                             pl.when(assigned).then(pl.lit("strong")).otherwise(pl.lit("weak")),
                             pl.col("tie_strength").round(2), pl.col("_cluster"), pl.col("rank"),
                             pl.col("archetype"), pl.col("_cluster_risk").round(2), pl.col("_values"))),
        # The account's own score is the other half of risk_score: said, so that a high risk
        # beside a low-risk group or no tie is explained.
        pl.when(pl.col("own_risk").is_not_null())
        .then(pl.format("; its own score {}", pl.col("own_risk").round(2))).otherwise(pl.lit("")),
        group)
    frame = frame.with_columns(
        pl.when(assigned).then(pl.col("_cluster")).otherwise(None).alias("cluster_id"),
        evidence.alias("evidence"),
        pl.Series("risk_score", combined_risk(frame["risk_score"].fill_null(0.0).to_numpy(),
                                              frame["own_risk"].fill_null(0.0).to_numpy())),
        pl.col("tie_strength").fill_null(0.0),
        pl.col("n_members_tied").fill_null(0).cast(pl.UInt32),
    )
    out = frame.select(*HEAD_COLUMNS, "tie_strength", "n_members_tied",
                       pl.col("_cluster").alias("tied_cluster_id"), "rank", "archetype",
                       "own_risk", "new_group", "new_group_size", "new_group_risk",
                       "new_group_archetype").sort("account_id")
    return Screening(assignments=out, known=known, run_dir=str(run_dir),
                     new_data=str(new_data) if isinstance(new_data, (str, Path)) else "<in memory>",
                     warnings=warnings, clock_seconds=clock)


def _run_inputs(run_dir: Path, manifest: dict) -> tuple[pl.DataFrame, pl.DataFrame | None, str | None]:
    """``(account ids the run held, the run's signals or None, a note when its input files changed
    after it)``. The ids come from the run's own ``accounts.parquet`` (its input files may have been
    replaced by today's since); of the inputs only the accounts and signals are read again (at a
    million accounts the events are most of the input: 3.6 GB read and checked for nothing), and
    nothing of a run on data without identifiers (review data: events only), which has nothing to
    tie new accounts by. ``ScreeningError`` when what is needed can no longer be read."""
    from syndicate.cases import load_run_inputs
    from syndicate.io import TABLE_FORMATS

    recorded = (manifest.get("inputs") or {}).get("data_dir")
    data_dir = Path(recorded) if recorded else None
    held = run_dir / "accounts.parquet"
    recorded_files = (manifest.get("inputs") or {}).get("files") or {}
    had_signals = any(Path(name).stem == "signals" for name in recorded_files)
    on_disk = data_dir is not None and data_dir.is_dir()
    signals_there = on_disk and any((data_dir / f"signals{suffix}").is_file() for suffix in TABLE_FORMATS)
    has_signals = not on_disk or had_signals or signals_there
    if had_signals and on_disk and not signals_there:
        raise ScreeningError(f"{run_dir}: the run read {data_dir}/signals, which is gone: score-new needs the "
                             "run's signals to tie new accounts to its clusters' members. Nothing was written.")
    if not has_signals and held.is_file():
        return pl.read_parquet(held, columns=["account_id"]).cast(pl.String), None, None
    # (A run from before accounts.parquet on events only: its accounts come from the inputs.)
    dataset, note = load_run_inputs(manifest, names=("accounts", "signals") if has_signals else ("accounts", "events"))
    if dataset is None:
        raise ScreeningError(f"{run_dir}: the run's input data ({recorded or 'not recorded'}) can no longer be "
                             "read: score-new needs the run's signals to tie new accounts to its clusters' "
                             "members (and, for a run folder without accounts.parquet, the accounts it held). "
                             "Nothing was written.")
    run_ids = pl.read_parquet(held, columns=["account_id"]) if held.is_file() else dataset.accounts.select("account_id")
    return run_ids.cast(pl.String), dataset.signals, note


def check_screening_out(out_dir: str | Path, run_dir: str | Path, new_data_dir: str | Path | None) -> Path:
    """The resolved ``out_dir``, or ``OutputPathError``: a missing path, an empty folder or a
    folder a previous ``score-new`` wrote — never a run folder (this run's or another's: a run
    folder is syndicate's, so :func:`syndicate.runs.check_out_dir` alone would let it go), nor
    the new data or a folder that holds either."""
    from syndicate.runs import MANIFEST, OutputPathError, check_out_dir, json_file_with

    target = Path(out_dir).expanduser().resolve()
    run = Path(run_dir).expanduser().resolve()
    if target == run or target in run.parents:
        raise OutputPathError(f"--out {out_dir}: is the run folder screened or contains it. score-new only "
                              "replaces its own previous output; choose a new or empty folder. Nothing was touched.")

    return check_out_dir(out_dir, data_dir=new_data_dir, written=json_file_with("command", MANIFEST, equal_to=COMMAND),
                         entries=lambda folder: dict.fromkeys((f"{ASSIGNMENTS}.parquet", MANIFEST)),
                         kind="is a folder that `score-new` did not write (a run folder, or someone else's)",
                         rule="score-new only replaces its own previous output; choose a new or empty folder",
                         writer="score-new")


def write_screening(screening: Screening, out_dir: str | Path, *, new_data_dir: str | Path | None = None,
                    reveal: bool = False) -> Path:
    """Write ``OUT/assignments.parquet`` and ``OUT/manifest.json`` atomically (as a run folder
    is written: complete or not at all). ``out_dir`` may be new, empty or a folder syndicate
    wrote before; never the run folder screened, nor the new data's folder or one holding it."""
    from syndicate.runs import file_fingerprints, write_run_folder

    target = check_screening_out(out_dir, screening.run_dir, new_data_dir)
    run_dir = Path(screening.run_dir).expanduser().resolve()
    frame = screening.assignments
    manifest = {
        "syndicate_version": syndicate.__version__,
        "command": COMMAND,
        "run_dir": str(run_dir),
        "new_data": {"data_dir": str(Path(new_data_dir).resolve()) if new_data_dir is not None else None,
                     "files": file_fingerprints(new_data_dir) if new_data_dir is not None else None},
        "identifier_values": "revealed" if reveal else "masked",
        "warnings": screening.warnings,
        "events_clock_seconds": screening.clock_seconds,
        "counts": {
            "new_accounts": frame.height,
            "accounts_already_in_the_run": screening.known,
            "assigned_to_a_cluster": int(frame["cluster_id"].is_not_null().sum()),
            "tied_below_the_bar": int((frame["cluster_id"].is_null() & frame["tied_cluster_id"].is_not_null()).sum()),
            "in_a_group_of_new_accounts": int(frame["new_group"].is_not_null().sum()),
        },
    }
    return write_run_folder(target, {ASSIGNMENTS: frame}, manifest,
                            check=lambda out: check_screening_out(out, screening.run_dir, new_data_dir))


def _ties(run_signals: pl.DataFrame | None, new_signals: pl.DataFrame | None, fresh: pl.DataFrame,
          members: pl.DataFrame, config: Config, reveal: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``ties``: per (new account, member) the link weight the run's identity stage gives the
    pair; ``values``: per (new account, cluster) the sentence naming the values that tie them."""
    ties_schema = {"account_id": pl.String, "member_id": pl.String, "weight": pl.Float64}
    values_schema = {"account_id": pl.String, "cluster_id": pl.String, "_values": pl.String}
    if new_signals is None or fresh.height == 0 or members.height == 0:
        return pl.DataFrame(schema=ties_schema), pl.DataFrame(schema=values_schema)
    columns = ["account_id", "kind", "value"]
    signals = pl.concat([frame.select(columns) for frame in (run_signals, new_signals) if frame is not None])
    signals = signals.unique(maintain_order=True)
    index = AccountIndex.of(pl.concat([signals["account_id"], members["account_id"], fresh["account_id"]]))
    links = identity_links(signals, config=config.identity, index=index)
    # Only the pairs of a new account and a member, picked on the integer codes before any id
    # or weight is made (at a million accounts the identity graph has ~10M pairs).
    fresh_codes = pl.Series(index.codes(fresh["account_id"]), dtype=pl.UInt32).implode()
    member_codes = pl.Series(index.codes(members["account_id"]), dtype=pl.UInt32).implode()
    a, b = pl.col("account_a"), pl.col("account_b")
    pairs = links.pairs.filter((a.is_in(fresh_codes) & b.is_in(member_codes))
                               | (b.is_in(fresh_codes) & a.is_in(member_codes)))
    edges = with_ids(pairs, index)
    edges = edges.with_columns(noisy_or(edges, [c for c in pairs.columns if c not in ("account_a", "account_b")]))
    fresh_ids = fresh["account_id"].implode()
    # Both directions: a new account may sort before or after the member.
    ties = pl.concat([
        edges.filter(pl.col(first).is_in(fresh_ids))
        .select(pl.col(first).alias("account_id"), pl.col(second).alias("member_id"), "weight")
        for first, second in (("account_a", "account_b"), ("account_b", "account_a"))
    ]).filter(pl.col("weight") > 0)

    # The values behind the ties, for the sentence: each shared (kind, value) with how many of
    # the cluster's members hold it, strongest (fewest holders overall) first.
    # Hub values first out: they tie no one, and a carrier IP's members times its new accounts
    # would be millions of rows.
    holders = (signals.group_by("kind", "value").agg(pl.len().alias("_holders"))
               .filter(pl.col("_holders") <= links.config.hub_cap))
    held = signals.join(members, on="account_id").join(holders, on=["kind", "value"]).select(
        "kind", "value", "cluster_id", "_holders")
    shared = (new_signals.select(columns).join(fresh, on="account_id")
              .join(held, on=["kind", "value"])
              .group_by("account_id", "cluster_id", "kind", "value")
              .agg(pl.len().alias("_members"), pl.col("_holders").first())
              .sort("account_id", "cluster_id", "_holders", "kind", "value"))
    shown = shared.group_by("account_id", "cluster_id", maintain_order=True).head(EVIDENCE_VALUES)
    shown = (shown.with_columns(pl.format("{}:{}", "kind", "value").alias("_shown")) if reveal
             else mask_column(shown, value="value", kind="kind").rename({"value": "_shown"}))
    values = (shown.with_columns(pl.format("{} held by {} of its members", "_shown", "_members").alias("_part"))
              .group_by("account_id", "cluster_id", maintain_order=True)
              .agg(pl.col("_part").str.join("; ").alias("_values")))
    return ties, values


def _run_models(run_dir: Path, manifest: dict, warnings: list[str]) -> tuple[Any, Any]:
    """(cluster model, account model) that scored the run: its own ``model/`` (trained in it),
    else the folder it was given with ``--model`` (recorded in its manifest), else none."""
    from syndicate.risk.model import load_models

    given = manifest.get("model_dir")
    for folder in (run_dir / "model", Path(given) if given else None):
        if folder is not None and folder.is_dir() and any(folder.glob("*.json")):
            return load_models(folder)
    if given:
        warnings.append(f"the model the run was given ({given}) is gone: the new accounts are scored as a run "
                        "without one would score them")
    return None, None


def _own_scores(new: Any, fresh: pl.DataFrame, models: tuple[Any, Any], config: Config
                ) -> tuple[pl.DataFrame, int, list[str]]:
    """``account_id, own_risk, new_group, new_group_size, new_group_risk, new_group_archetype``
    of the new accounts from the pipeline run over the new data alone, scored by the run's
    models (``models``: :func:`_run_models`) when it has them, else as a run would score them;
    the clock that run read the new events with; and that run's warnings (a detector it left
    out, a clock too coarse for lockstep, a value repeated across accounts)."""
    from syndicate.pipeline import run as run_frames
    from syndicate.progress import Progress

    cluster_model, account_model = models
    result = run_frames(new, config=config, model=cluster_model, account_model=account_model,
                        progress=Progress(quiet=True))
    clock = int(result.manifest.get("events_clock_seconds") or 1)
    groups = (result.members.select(pl.col("account_id").cast(pl.String), pl.col("cluster_id").alias("new_group"))
              .join(result.clusters.select(pl.col("cluster_id").alias("new_group"),
                                           pl.col("size").cast(pl.UInt32).alias("new_group_size"),
                                           pl.col("risk_score").alias("new_group_risk"),
                                           pl.col("archetype").alias("new_group_archetype")), on="new_group"))
    own = result.accounts.select(pl.col("account_id").cast(pl.String), pl.col("risk_score").alias("own_risk"))
    return (fresh.join(own, on="account_id", how="left").join(groups, on="account_id", how="left"),
            # A model trained on a finer clock than the run's was the run's own warning (its
            # remedy, another --model, is the run's to take): not repeated here.
            clock, [w for w in result.warnings if w != result.model_warning])


def _best_ties(ties: pl.DataFrame, members: pl.DataFrame, clusters: pl.DataFrame, bar: float) -> pl.DataFrame:
    """Per new account, the cluster that passes on the most risk: ``account_id, cluster_id,
    _cluster, tie_strength, n_members_tied, risk_score, _cluster_risk, rank, archetype``
    (ties between clusters go to the stronger tie, then the smaller cluster id)."""
    return (
        ties.join(members.rename({"account_id": "member_id"}), on="member_id")
        .join(clusters, on="cluster_id")
        .group_by("account_id", "cluster_id")
        .agg(pl.col("weight").max().alias("tie_strength"), pl.len().cast(pl.UInt32).alias("n_members_tied"),
             pl.col("risk_score").first().alias("_cluster_risk"), pl.col("rank").first(), pl.col("archetype").first())
        .with_columns((pl.col("_cluster_risk") * pl.when(pl.col("tie_strength") >= bar).then(1.0)
                       .otherwise(pl.col("tie_strength"))).alias("risk_score"))
        .sort(["account_id", "risk_score", "tie_strength", "cluster_id"], descending=[False, True, True, False])
        .group_by("account_id", maintain_order=True).first()
        .with_columns(pl.col("cluster_id").alias("_cluster"))
    )


__all__ = ["ASSIGNMENTS", "HEAD_COLUMNS", "Screening", "ScreeningError", "check_screening_out", "score_new",
           "write_screening"]

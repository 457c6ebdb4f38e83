"""A run's health figures by segment, and the root causes of their change between two runs.

**Health** (``health.parquet`` in every run folder, and the ``health`` table of a runs root's
``history.duckdb``): ``metric, segment_kind, segment, value``, the whole population as
segment_kind ``all`` (segment ``all``). Segments: the archetype of the account's cluster
(``no cluster`` outside one), its age band at the run's reference time, and the input's
``account_type`` and ``country`` when the accounts table has them. Metrics:

==================================  =========================================================
``accounts``                        accounts scanned
``accounts_in_clusters``            accounts in any cluster
``accounts_in_high_risk_clusters``  accounts in a cluster at or above ``high_risk_threshold``
``high_risk_accounts``              accounts whose own risk score is at or above it
``high_risk_cluster_share``         accounts_in_high_risk_clusters / accounts
``mean_risk_score``                 the accounts' mean risk score
==================================  =========================================================

**Root causes** (``syndicate root-cause RUN_DIR``, ``root_cause.parquet``): for each metric and
each way of cutting the population (``decomposition``: a segment kind, or ``cluster`` for the
accounts in high-risk clusters), the part of the metric's change from the previous run that
each ``item`` accounts for; the contributions of one (metric, decomposition) add up to the
metric's change. For counts an item's contribution is its own change. For a share or a mean
(a weighted mean of the segments' own values) it is the exact midpoint split of
``Δ(Σ wᵢ rᵢ)`` into ``Δwᵢ · r̄ᵢ + w̄ᵢ · Δrᵢ`` (the segment grew or shrank in the population, and
its own rate moved), with ``previous`` and ``current`` the segment's own value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

HEALTH_FILE = "health.parquet"
ROOT_CAUSE_FILE = "root_cause.parquet"
HEALTH_SCHEMA = {"metric": pl.String, "segment_kind": pl.String, "segment": pl.String, "value": pl.Float64}
HEALTH_COLUMNS = tuple(HEALTH_SCHEMA)
ROOT_CAUSE_SCHEMA = {"metric": pl.String, "decomposition": pl.String, "item": pl.String, "previous": pl.Float64,
                     "current": pl.Float64, "contribution": pl.Float64}
ROOT_CAUSE_COLUMNS = tuple(ROOT_CAUSE_SCHEMA)
COUNTS = ("accounts", "accounts_in_clusters", "accounts_in_high_risk_clusters", "high_risk_accounts")
# Weighted means of the segments' own values: (metric, numerator count or column, weight count).
RATES = {"high_risk_cluster_share": "accounts_in_high_risk_clusters", "mean_risk_score": "_risk_sum"}
# Account age at the run's reference time: new sign-ups, this month's, this half-year's, older.
AGE_BANDS = ((7, "under 7 days"), (30, "7-30 days"), (180, "30-180 days"), (730, "180 days-2 years"))
OLDEST_BAND = "over 2 years"
NO_CLUSTER = "no cluster"
UNKNOWN = "unknown"
SEGMENT_COLUMNS = ("archetype", "age_band", "account_type", "country")


def _age_band(days: pl.Expr) -> pl.Expr:
    band = pl.when(days.is_null()).then(pl.lit(UNKNOWN))
    for limit, name in AGE_BANDS:
        band = band.when(days < limit).then(pl.lit(name))
    return band.otherwise(pl.lit(OLDEST_BAND))


def account_segments(accounts: pl.DataFrame, clusters: pl.DataFrame, *, input_accounts: pl.DataFrame | None,
                     now: datetime | None, high_risk_threshold: float) -> pl.DataFrame:
    """One row per scored account: its segments and the flags the metrics count.

    ``accounts``: the run's ``accounts.parquet`` (``account_id, cluster_id, risk_score`` and,
    for the age, ``age_days``); ``input_accounts``: the input accounts table (``created_at``,
    and ``account_type`` / ``country`` when it has them), or None.
    """
    cluster = clusters.select("cluster_id", pl.col("archetype").alias("_archetype"),
                              pl.col("risk_score").alias("_cluster_risk"))
    frame = accounts.select("account_id", "cluster_id", "risk_score",
                            *(["age_days"] if "age_days" in accounts.columns else []))
    frame = frame.join(cluster, on="cluster_id", how="left")
    extra = []
    if input_accounts is not None:
        extra = [c for c in ("account_type", "country") if c in input_accounts.columns]
        columns = [pl.col("account_id").cast(pl.String), *(pl.col(c).cast(pl.String) for c in extra)]
        if now is not None and "created_at" in input_accounts.columns:
            columns.append(((pl.lit(now) - pl.col("created_at")).dt.total_seconds() / 86_400).alias("_age"))
        frame = frame.join(input_accounts.select(columns), on="account_id", how="left")
    age = pl.col("_age") if "_age" in frame.columns else (pl.col("age_days") if "age_days" in frame.columns else None)
    return frame.select(
        "account_id",
        pl.when(pl.col("cluster_id").is_null()).then(pl.lit(NO_CLUSTER))
        .otherwise(pl.col("_archetype").fill_null(UNKNOWN)).alias("archetype"),
        (_age_band(age) if age is not None else pl.lit(UNKNOWN)).alias("age_band"),
        *(pl.col(c).fill_null(UNKNOWN).alias(c) for c in extra),
        pl.col("cluster_id").is_not_null().alias("_in_cluster"),
        (pl.col("_cluster_risk").fill_null(0.0) >= high_risk_threshold).alias("_in_high_risk"),
        (pl.col("risk_score").fill_null(0.0) >= high_risk_threshold).alias("_high_risk"),
        pl.col("risk_score").fill_null(0.0).alias("_risk"),
    )


def _segment_counts(segments: pl.DataFrame) -> pl.DataFrame:
    """``segment_kind, segment`` and the counts (plus ``_risk_sum``) of every segment."""
    kinds = [c for c in SEGMENT_COLUMNS if c in segments.columns]
    figures = [pl.len().cast(pl.Float64).alias("accounts"),
               pl.col("_in_cluster").sum().cast(pl.Float64).alias("accounts_in_clusters"),
               pl.col("_in_high_risk").sum().cast(pl.Float64).alias("accounts_in_high_risk_clusters"),
               pl.col("_high_risk").sum().cast(pl.Float64).alias("high_risk_accounts"),
               pl.col("_risk").sum().alias("_risk_sum")]
    parts = [segments.select(pl.lit("all").alias("segment_kind"), pl.lit("all").alias("segment"), *figures)]
    parts += [segments.group_by(kind).agg(*figures).select(pl.lit(kind).alias("segment_kind"),
                                                           pl.col(kind).alias("segment"), pl.exclude(kind))
              for kind in kinds]
    return pl.concat(parts)


def health_table(segments: pl.DataFrame) -> pl.DataFrame:
    """``metric, segment_kind, segment, value`` from :func:`account_segments`, sorted."""
    counts = _segment_counts(segments)
    rates = [(pl.col(numerator) / pl.col("accounts")).alias(metric) for metric, numerator in RATES.items()]
    wide = counts.with_columns(rates).drop("_risk_sum")
    return (wide.unpivot(index=["segment_kind", "segment"], variable_name="metric", value_name="value")
            .select(*HEALTH_COLUMNS).sort("metric", "segment_kind", "segment"))


def root_causes(previous: pl.DataFrame, current: pl.DataFrame, *, previous_clusters: pl.DataFrame | None = None,
                current_clusters: pl.DataFrame | None = None, high_risk_threshold: float = 0.7,
                previous_threshold: float | None = None) -> pl.DataFrame:
    """``root_cause.parquet`` from two runs' health tables (see the module docstring); with
    both runs' clusters (``cluster_id, size, risk_score``) also the ``cluster`` decomposition of
    the accounts in high-risk clusters (cluster ids carry over between runs by membership),
    each run's clusters judged by its own threshold (``previous_threshold``: the previous run's,
    default the same), as its health figures were."""
    wide = {name: _wide(table) for name, table in (("previous", previous), ("current", current))}
    kinds = sorted(set(wide["previous"]["segment_kind"]) & set(wide["current"]["segment_kind"]) - {"all"})
    totals = {run: float(wide[run].filter(pl.col("segment_kind") == "all")["accounts"].sum())
              for run in ("previous", "current")}
    parts = []
    for kind in kinds:
        of_kind = [wide[run].filter(pl.col("segment_kind") == kind).drop("segment_kind")
                   for run in ("previous", "current")]
        both = (of_kind[0].join(of_kind[1], on="segment", how="full", coalesce=True, suffix="_current")
                .fill_null(0.0).sort("segment"))
        for metric in COUNTS:
            parts.append(both.select(pl.lit(metric).alias("metric"), pl.lit(kind).alias("decomposition"),
                                     pl.col("segment").alias("item"), pl.col(metric).alias("previous"),
                                     pl.col(f"{metric}_current").alias("current"),
                                     (pl.col(f"{metric}_current") - pl.col(metric)).alias("contribution")))
        for metric, numerator in RATES.items():
            w0 = pl.col("accounts") / totals["previous"] if totals["previous"] else pl.lit(0.0)
            w1 = pl.col("accounts_current") / totals["current"] if totals["current"] else pl.lit(0.0)
            r0 = pl.when(pl.col("accounts") > 0).then(pl.col(numerator) / pl.col("accounts")).otherwise(0.0)
            r1 = (pl.when(pl.col("accounts_current") > 0)
                  .then(pl.col(f"{numerator}_current") / pl.col("accounts_current")).otherwise(0.0))
            parts.append(both.select(pl.lit(metric).alias("metric"), pl.lit(kind).alias("decomposition"),
                                     pl.col("segment").alias("item"), r0.alias("previous"), r1.alias("current"),
                                     ((w1 - w0) * (r0 + r1) / 2 + (w0 + w1) / 2 * (r1 - r0)).alias("contribution")))
    if previous_clusters is not None and current_clusters is not None:
        thresholds = (high_risk_threshold if previous_threshold is None else previous_threshold, high_risk_threshold)
        high = [clusters.filter(pl.col("risk_score") >= threshold).select("cluster_id", pl.col("size").cast(pl.Float64))
                for clusters, threshold in zip((previous_clusters, current_clusters), thresholds)]
        both = high[0].join(high[1], on="cluster_id", how="full", coalesce=True, suffix="_current").fill_null(0.0)
        parts.append(both.sort("cluster_id").select(
            pl.lit("accounts_in_high_risk_clusters").alias("metric"), pl.lit("cluster").alias("decomposition"),
            pl.col("cluster_id").alias("item"), pl.col("size").alias("previous"), pl.col("size_current").alias("current"),
            (pl.col("size_current") - pl.col("size")).alias("contribution")))
    if not parts:
        return pl.DataFrame(schema=ROOT_CAUSE_SCHEMA)
    return pl.concat([p.cast(ROOT_CAUSE_SCHEMA) for p in parts]).sort("metric", "decomposition", "item")


def _wide(health: pl.DataFrame) -> pl.DataFrame:
    """Counts per (segment_kind, segment) from a health table, with ``_risk_sum`` rebuilt
    from the mean (mean_risk_score x accounts)."""
    counts = health.filter(pl.col("metric").is_in([*COUNTS, "mean_risk_score"]))
    wide = counts.pivot(on="metric", index=["segment_kind", "segment"], values="value", sort_columns=True)
    for metric in COUNTS:
        if metric not in wide.columns:
            wide = wide.with_columns(pl.lit(0.0).alias(metric))
    return wide.with_columns((pl.col("mean_risk_score").fill_null(0.0) * pl.col("accounts")).alias("_risk_sum")
                             if "mean_risk_score" in wide.columns else pl.lit(0.0).alias("_risk_sum"))


def run_health(run_dir: str | Path) -> pl.DataFrame:
    """A run folder's health table: its ``health.parquet``, or (runs written before it existed)
    figures from the folder's own tables (no account_type or country segments)."""
    from syndicate.runs import read_run_folder

    path = Path(run_dir) / HEALTH_FILE
    if path.is_file():
        return pl.read_parquet(path)
    tables, manifest = read_run_folder(run_dir, only=("members", "clusters", "accounts"))
    if "accounts" not in tables:
        raise FileNotFoundError(f"{run_dir}: no {HEALTH_FILE} and no accounts.parquet to make it from")
    return health_table(account_segments(tables["accounts"], tables["clusters"], input_accounts=None, now=None,
                                         high_risk_threshold=_threshold(manifest)))


def _threshold(manifest: dict) -> float:
    return float((manifest.get("config") or {}).get("risk", {}).get("high_risk_threshold", 0.7))


class RootCauseError(ValueError):
    """No previous run to compare with, or one whose figures cannot be read."""


@dataclass(frozen=True)
class Change:
    """What :func:`explain_change` found: the ``root_cause.parquet`` table, the previous run's
    folder, each metric's change (``current - previous`` of the whole population) and the segment
    kinds only one of the two runs has (left out of the decompositions)."""

    causes: pl.DataFrame
    previous: Path
    change: dict[str, float]
    one_sided_kinds: list[str]


def _previous_of(run_dir: Path, manifest: dict) -> str | None:
    """The previous run the manifest names. A scheduled run's previous run was its neighbour
    under the runs root: when the root has moved, been copied or restored elsewhere since
    (the run's folder is no longer in the recorded root, or the recorded previous run is gone),
    it is looked for beside the run, by name, as ``run`` finds it. Otherwise, and for runs
    given ``--previous``, the recorded path."""
    from syndicate.history import is_run_folder

    lineage = manifest.get("lineage") or {}
    recorded = lineage.get("previous_dir")
    if not recorded:
        return None
    here = run_dir.resolve().parent
    beside = here / Path(recorded).name
    if "runs_root" in lineage:  # recorded since the fiftieth sitting (null: no runs root)
        root = lineage["runs_root"]
        # A scheduled run's previous run found in its root (not one given with --previous),
        # and that root is no longer where the run is.
        moved = root is not None and Path(recorded).parent == Path(root) and Path(root) != here
    else:  # older runs: the previous run gone from where it was
        moved = not Path(recorded).exists()
    if moved and beside != run_dir.resolve() and is_run_folder(beside):
        return str(beside)
    return recorded


def explain_change(run_dir: str | Path, *, previous: str | Path | None = None) -> Change:
    """:func:`root_causes` of the run folder ``run_dir`` against ``previous`` (default: the run
    its manifest names as its previous one), written atomically into
    ``run_dir/root_cause.parquet``."""
    import os

    from syndicate.runs import read_run_folder

    run_dir = Path(run_dir)
    tables, manifest = read_run_folder(run_dir, only=("members", "clusters"))
    if previous is None:
        previous = _previous_of(run_dir, manifest)
        if not previous:
            raise RootCauseError(f"{run_dir} names no previous run (it ran without --previous or --runs-root): "
                                 "give one with --previous RUN_DIR. Nothing was written.")
    previous = Path(previous)
    if previous.resolve() == run_dir.resolve():
        raise RootCauseError(f"--previous {previous} is the run itself. Nothing was written.")
    try:
        previous_tables, previous_manifest = read_run_folder(previous, only=("members", "clusters"))
        figures = [run_health(previous), run_health(run_dir)]
    except FileNotFoundError as exc:
        raise RootCauseError(f"{exc}; nothing was written.") from None
    frame = root_causes(*figures, previous_clusters=previous_tables["clusters"], current_clusters=tables["clusters"],
                        high_risk_threshold=_threshold(manifest), previous_threshold=_threshold(previous_manifest))
    tmp = run_dir / f".{ROOT_CAUSE_FILE}.tmp-{os.getpid()}"
    try:
        frame.write_parquet(tmp)
        os.replace(tmp, run_dir / ROOT_CAUSE_FILE)
    finally:
        tmp.unlink(missing_ok=True)
    whole = [f.filter(pl.col("segment_kind") == "all").select("metric", "value") for f in figures]
    both = whole[0].join(whole[1], on="metric", suffix="_current")
    change = {m: float(c - p) for m, p, c in both.sort("metric").iter_rows()}
    kinds = [set(f["segment_kind"].unique().to_list()) for f in figures]
    return Change(causes=frame, previous=previous, change=change, one_sided_kinds=sorted(kinds[0] ^ kinds[1]))


__all__ = ["HEALTH_FILE", "HEALTH_COLUMNS", "HEALTH_SCHEMA", "ROOT_CAUSE_FILE", "ROOT_CAUSE_COLUMNS", "ROOT_CAUSE_SCHEMA",
           "Change", "RootCauseError",
           "account_segments", "explain_change", "health_table", "root_causes", "run_health"]

"""One investigator case: a cluster of a run with its members, links, evidence and provenance.

:func:`build_case` is pure: run tables, manifest and (optionally) the input dataset in, a
:class:`Case` out. Writing it to disk is :mod:`syndicate.cases.bundle`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.pipeline import HEAD_COLUMNS

import syndicate
from syndicate.cases.evidence import Evidence, cluster_evidence
from syndicate.cases.members import ROLES, member_table
from syndicate.contract import Dataset
from syndicate.link.attribution import ATTRIBUTION_KIND, member_attributions, with_attributions

CASE_FORMAT = 1
# Columns of clusters.parquet that form the case headline; the rest are features.
# The clusters table's leading columns (the rest are features), as the pipeline writes them.
HEAD = HEAD_COLUMNS


@dataclass
class RunInfo:
    """What a case needs to know about the run it comes from."""

    run_dir: str
    run_id: str
    manifest: dict[str, Any]
    model: dict[str, Any] | None = None

    @property
    def config_hash(self) -> str:
        return config_hash(self.manifest.get("config", {}))


@dataclass
class Case:
    cluster_id: str
    summary: dict[str, Any]
    members: pl.DataFrame
    edges: pl.DataFrame
    evidence: Evidence | None
    events: pl.DataFrame | None
    notes: list[str] = field(default_factory=list)


def config_hash(config: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a run config (sorted keys, no spaces)."""
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def run_info(run_dir: str | Path, manifest: dict[str, Any]) -> RunInfo:
    """Run id (the manifest's, else a digest of manifest.json) and model provenance."""
    run_dir = Path(run_dir).resolve()
    run_id = manifest.get("run_id") or hashlib.sha256((run_dir / "manifest.json").read_bytes()).hexdigest()[:16]
    model: dict[str, Any] | None = None
    risk = manifest.get("risk") or {}
    saved = run_dir / "model"
    if (saved / "model.json").is_file():
        meta = json.loads((saved / "metadata.json").read_text()) if (saved / "metadata.json").is_file() else {}
        model = {"origin": "trained in this run", "path": "model/model.json",
                 "model_sha256": hashlib.sha256((saved / "model.json").read_bytes()).hexdigest()}
        model |= {k: meta[k] for k in ("syndicate_version", "xgboost_version", "n_train", "n_positive", "params")
                  if k in meta}
    elif risk.get("model"):
        meta = risk["model"]
        model = {"origin": "loaded saved model"}
        model |= {k: meta[k] for k in ("syndicate_version", "xgboost_version", "n_train", "n_positive", "params")
                  if k in meta}
    if model is not None:
        model["score_source"] = risk.get("score_source")
        model["cv_metrics"] = risk.get("metrics")
    return RunInfo(run_dir=str(run_dir), run_id=str(run_id), manifest=manifest, model=model)


def _plain(value: Any) -> Any:
    """JSON-safe Python value (NaN -> None, datetimes -> ISO text)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _with_attributions(dataset: Dataset, member_ids: pl.Series, manifest: dict) -> pl.DataFrame | None:
    """The dataset's signals with the members' attributions the run read from the events (an
    invite or referral naming another account, as ``referred_by`` values: ``link/attribution.py``;
    the actions from the manifest's ``link.attribution``), so that a cluster a referral chain
    binds shows what binds it."""
    read = (manifest.get("link") or {}).get("attribution") or {}
    if not read.get("actions") or dataset.events is None:
        return dataset.signals
    return with_attributions(dataset.signals, member_attributions(
        dataset.events, member_ids, actions=list(read["actions"]), kind=read.get("kind", ATTRIBUTION_KIND)))


def build_case(cluster_id: str, *, tables: dict[str, pl.DataFrame], run: RunInfo,
               dataset: Dataset | None, reveal: bool = False, max_evidence_rows: int = 20_000,
               inputs_note: str | None = None) -> Case:
    """Everything an investigator gets about one cluster.

    Parameters
    ----------
    cluster_id : a cluster of the run.
    tables : the run's members, clusters, edges and (when it has one) accounts (see
        :func:`syndicate.runs.read_run_folder`).
    run : :func:`run_info` of the run folder.
    dataset : the run's input tables, or None when they are no longer available (the case then
        has the run's own tables only, and says so).
    reveal : write raw identifier values instead of masked ones.
    max_evidence_rows : evidence pairs above this are aggregated to the identifiers that bind them.
    inputs_note : a note about the inputs (missing, changed since the run) to carry in the case.
    """
    cluster = tables["clusters"].filter(pl.col("cluster_id") == cluster_id)
    if cluster.height != 1:
        raise KeyError(cluster_id)
    member_ids = (tables["members"].filter(pl.col("cluster_id") == cluster_id)["account_id"]
                  .cast(pl.String).sort())
    ids = member_ids.implode()
    edges = tables["edges"].filter(pl.col("account_a").is_in(ids) & pl.col("account_b").is_in(ids))
    manifest = run.manifest
    config = manifest.get("config", {})
    lockstep = config.get("lockstep", {})
    notes = [inputs_note] if inputs_note else []

    now = datetime.fromisoformat(manifest["reference_time"]) if manifest.get("reference_time") else None
    evidence, events = None, None
    if dataset is not None:
        evidence = cluster_evidence(
            member_ids, signals=_with_attributions(dataset, member_ids, manifest), events=dataset.events,
            links=dataset.links,
            window_seconds=int(lockstep.get("window_seconds", 90)), actions=lockstep.get("actions"),
            exclude_actions=lockstep.get("exclude_actions"), lockstep=bool(lockstep.get("enabled", True)),
            reveal=reveal, max_rows=max_evidence_rows,
            rare_window_seconds=_window(edges, "rare_coaction", lockstep, "rare_window_days", 2.0),
            rating_burst_window_seconds=_window(edges, "rating_burst", lockstep, "rating_burst_window_days", 7.0),
            slow_window_seconds=_slow_window(cluster, lockstep),
            slow_min_members=int(config.get("cluster", {}).get("coaction_min_members", 3)),
            hub_cap=config.get("identity", {}).get("hub_cap"),
            rare_max_accounts=lockstep.get("rare_max_cell_accounts", 20),
            rare_fold_values=bool(lockstep.get("rare_fold_values", True)),
        )
        if dataset.events is not None:
            events = dataset.events.filter(pl.col("account_id").is_in(ids)).sort(["ts", "account_id"])
        if evidence.n_aggregated:
            notes.append(
                f"Listing every member pair of every shared value and burst would take "
                f"{evidence.n_pairs_total:,} rows, so the {evidence.n_aggregated:,} largest are listed once per "
                f"member instead (account_b empty; n_accounts = members sharing it); "
                f"{evidence.n_pairs_listed:,} pairs are listed.")
    members = member_table(
        member_ids, edges,
        accounts=dataset.accounts if dataset is not None else None,
        events=dataset.events if dataset is not None else None,
        labels=dataset.labels if dataset is not None else None, now=now,
        scores=tables.get("accounts"),  # runs written before account scoring have none
    )

    row = cluster.row(0, named=True)
    features = {k: _plain(v) for k, v in row.items() if k not in HEAD}
    role_counts = dict(members.group_by("role").agg(pl.len()).rows())
    binding = []
    if evidence is not None:
        binding = [{k: _plain(v) for k, v in r.items()} for r in evidence.units.head(25).iter_rows(named=True)]
    summary = {
        "case_format": CASE_FORMAT,
        "cluster_id": cluster_id,
        "size": row["size"],
        "risk_score": _plain(row["risk_score"]),
        "rank": row["rank"],
        "n_clusters_in_run": tables["clusters"].height,
        "archetype": row["archetype"],
        "reasons": list(row["reasons"] or []),
        "found_by": row.get("found_by"),
        "model_score": _plain(row.get("model_score")),
        # Its members' mean out-of-fold pseudo-label score, which moved its risk
        # (risk/pseudo_labels.py; with labels, the label-free view's); None where nothing moved it.
        "member_pseudo_label_score": _plain(row.get("member_pseudo_label_score")),
        "score_source": row.get("score_source"),
        "n_known_bad": int((members["label"] == 1).sum()),
        "n_known_good": int((members["label"] == 0).sum()),
        "roles": {r: role_counts[r] for r in ROLES if r in role_counts},
        "counts": {"members": members.height, "links": edges.height,
                   "evidence_rows": evidence.rows.height if evidence is not None else None,
                   "events": events.height if events is not None else None},
        "binding_identifiers": binding,
        "identifier_values": "revealed" if reveal else "masked",
        "evidence_available": dataset is not None,
        "run": {
            "run_id": run.run_id,
            "run_dir": run.run_dir,
            "config_hash": run.config_hash,
            "seed": manifest.get("seed"),
            "syndicate_version": manifest.get("syndicate_version"),
            "reference_time": manifest.get("reference_time"),
            "input_data_dir": (manifest.get("inputs") or {}).get("data_dir"),
            "lockstep_window_seconds": lockstep.get("window_seconds"),
            "slow_window_seconds": _slow_window(cluster, lockstep),
        },
        "model": run.model,
        "exported_with": syndicate.__version__,
        "features": features,
        "notes": notes,
    }
    return Case(cluster_id=cluster_id, summary=summary, members=members, edges=edges,
                evidence=evidence, events=events, notes=notes)


def _slow_window(cluster: pl.DataFrame, lockstep: dict) -> int | None:
    """The run's slow co-action window for a cluster the slow pass found (the bursts of that
    window bound it), else None."""
    found_by = cluster["found_by"][0] if "found_by" in cluster.columns else None
    return (int(lockstep.get("slow_window_seconds") or 0) or None) if "slow_coaction" in (found_by or "") else None


def _window(edges: pl.DataFrame, column: str, lockstep: dict, days_key: str, default_days: float) -> int | None:
    """The window in seconds (the run's ``[lockstep] days_key``) of a link source that works in
    days — the review-ring detector (``rare_coaction``), the rating bursts (``rating_burst``)
    — when its evidence ``column`` links the cluster; None when it does not."""
    if column not in edges.columns or not (edges[column].fill_null(0) > 0).any():
        return None
    return int(float(lockstep.get(days_key, default_days)) * 86_400)


__all__ = ["build_case", "run_info", "config_hash", "Case", "RunInfo"]

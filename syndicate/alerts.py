"""Alerts: rules evaluated after each run, so that a scheduler can page someone.

Six rules, configured in the ``[alerts]`` section of the config (`syndicate.config.AlertConfig`):

* ``new_high_risk_cluster`` — a cluster seen for the first time scores at or above a threshold;
* ``cluster_grew`` — a risky cluster that kept its id grew by more than a percentage;
* ``registration_spike`` — new-account registrations far above the recent runs' median;
* ``syndicate_join_spike`` — accounts joining clusters far above the recent runs' median;
* ``input_shrank`` — an input table of evidence (accounts, signals, events, links; not labels)
  that the previous run read is missing, or holds far fewer rows:
  an export cut short or a file that did not arrive, which the run would otherwise read as a
  quiet day (its clusters dissolve, and the ids and decisions on them with them);
* ``input_repeated`` — on any run, the first too: more than a share of the event rows repeat
  another row (same account, action, target and time): an export appended twice.

Everything here is a pure function of frames and numbers: `run_metrics` measures a run,
`evaluate_alerts` compares it with the previous runs' metrics (from `syndicate.history` or the
previous run's manifest).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from syndicate.asof import known_creation
from syndicate.config import AlertConfig
from syndicate.contract import EVIDENCE_TABLES

ALERT_RULES = ("new_high_risk_cluster", "cluster_grew", "registration_spike", "syndicate_join_spike",
               "input_shrank", "input_repeated")
ALERTS_FILE = "alerts.json"
# The input tables clusters rest on (input_shrank): the accounts and the contract's sources of
# links between them; without them a day reads as a quiet one. Not labels.
WATCHED_TABLES = ("accounts", *EVIDENCE_TABLES)

ARCHETYPE_WORDS = {
    "matrix_accounts": "matrix accounts",
    "engagement_farm": "engagement farm",
    "review_ring": "review ring",
    "coordinated_ring": "coordinated ring",
    "mixed": "matrix accounts + engagement farm",
    "account_takeover": "account takeover",
    "household": "household",
    "agency": "agency",
    "shared_infrastructure": "shared infrastructure",
    "audience": "audience",
    "low_risk": "low risk",
}


@dataclass(frozen=True)
class Alert:
    """One fired rule, with the numbers that made it fire and a sentence for people."""

    rule: str
    message: str
    cluster_id: str | None = None
    value: float | None = None
    threshold: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_metrics(members: pl.DataFrame, clusters: pl.DataFrame, accounts: pl.DataFrame, *,
                now: datetime, high_risk_threshold: float, registration_window_days: int = 1,
                previous_members: pl.DataFrame | None = None,
                dissolved: pl.DataFrame | None = None) -> dict[str, Any]:
    """The numbers a run is compared on, from one run's frames.

    ``accounts_joined`` and the lineage counts are ``None`` without a previous run.
    """
    high = clusters.filter(pl.col("risk_score") >= high_risk_threshold)
    since = now - timedelta(days=registration_window_days)
    metrics: dict[str, Any] = {
        "accounts_scanned": accounts.height,
        "clusters": clusters.height,
        "accounts_in_clusters": members.height,
        "high_risk_clusters": high.height,
        "accounts_in_high_risk": int(high["size"].sum()) if high.height else 0,
        # Creation stamps (asof.py) are no sign-ups: a migration dated today is not news.
        "new_accounts": int((known_creation(accounts["created_at"]) > since).sum()),
        "accounts_joined": None,
        "new_clusters": None,
        "dissolved_clusters": None,
    }
    if previous_members is not None:
        metrics["accounts_joined"] = members.join(previous_members, on="account_id", how="anti").height
        if "lineage" in clusters.columns:
            metrics["new_clusters"] = int((clusters["lineage"] == "new").sum())
        metrics["dissolved_clusters"] = dissolved.height if dissolved is not None else 0
    return metrics


def _plain_archetype(name: str | None) -> str:
    return ARCHETYPE_WORDS.get(name or "", name or "unknown")


def _cluster_alerts(clusters: pl.DataFrame, rules: AlertConfig) -> list[Alert]:
    alerts = []
    new = clusters.filter((pl.col("lineage") == "new")
                          & (pl.col("risk_score") >= rules.new_cluster_min_risk)
                          & (pl.col("size") >= rules.new_cluster_min_size))
    for row in new.sort(["risk_score", "cluster_id"], descending=[True, False]).iter_rows(named=True):
        alerts.append(Alert(
            "new_high_risk_cluster",
            f"New cluster {row['cluster_id']} ({row['size']} accounts, "
            f"{_plain_archetype(row['archetype'])}) has risk score {row['risk_score']:.2f} "
            f"(alert at {rules.new_cluster_min_risk:.2f} or more).",
            cluster_id=row["cluster_id"], value=round(float(row["risk_score"]), 4),
            threshold=rules.new_cluster_min_risk))
    growth = (
        clusters.filter(pl.col("lineage").is_in(["grown", "merged"])
                        & pl.col("previous_size").is_not_null()
                        & (pl.col("previous_id") == pl.col("cluster_id")))
        .with_columns((pl.col("size").cast(pl.Int64) - pl.col("previous_size").cast(pl.Int64)).alias("gain"))
        .with_columns((100 * pl.col("gain") / pl.col("previous_size")).alias("growth_pct"))
        .filter((pl.col("growth_pct") > rules.growth_pct)
                & (pl.col("gain") >= rules.growth_min_accounts)
                & (pl.col("risk_score") >= rules.growth_min_risk))
    )
    for row in growth.sort(["growth_pct", "cluster_id"], descending=[True, False]).iter_rows(named=True):
        how = " (absorbed other clusters)" if row["lineage"] == "merged" else ""
        alerts.append(Alert(
            "cluster_grew",
            f"Cluster {row['cluster_id']} ({_plain_archetype(row['archetype'])}, risk score "
            f"{row['risk_score']:.2f}) grew from {row['previous_size']} to {row['size']} accounts "
            f"(+{row['growth_pct']:.0f}%, alert above +{rules.growth_pct:.0f}%){how}.",
            cluster_id=row["cluster_id"], value=round(float(row["growth_pct"]), 2),
            threshold=rules.growth_pct))
    return alerts


def _spike(rule: str, what: str, value: int | None, history: list[int], rules: AlertConfig) -> Alert | None:
    if value is None or len(history) < rules.min_baseline_runs:
        return None
    baseline = float(pl.Series(history, dtype=pl.Float64).median())
    limit = max(rules.spike_ratio * baseline, baseline + rules.spike_min_increase)
    if value <= limit:
        return None
    return Alert(
        rule,
        f"{value:,} {what}, against a median of {baseline:,.0f} over the previous "
        f"{len(history)} run{'s' if len(history) != 1 else ''} (alert above {limit:,.0f}: "
        f"{rules.spike_ratio:g} times the median and at least {rules.spike_min_increase} more).",
        value=float(value), threshold=round(limit, 2))


def input_alerts(rows: dict[str, int], previous_rows: dict[str, int] | None, rules: AlertConfig, *,
                 previous_repeated: int | None = None) -> list[Alert]:
    """``input_shrank`` alerts: each input table of :data:`WATCHED_TABLES` that the previous run read (``previous_rows``,
    its manifest's ``input_rows``) and that this run (``rows``) lacks or holds fewer than
    ``input_min_share`` of the rows of. Tables that appear, or grow, are no alert. The previous
    run's events are counted without the rows it found repeated (``previous_repeated``: the day
    after an export appended twice is no export cut short)."""
    if not previous_rows or rules.input_min_share <= 0:
        return []
    alerts = []
    for table, read in sorted(previous_rows.items()):
        if table not in WATCHED_TABLES:  # labels come and go with enforcement: no cluster rests on them
            continue
        before = read - previous_repeated if table == "events" and read and previous_repeated else read
        now = int(rows.get(table) or 0)
        if not before or now >= rules.input_min_share * before:
            continue
        what = "is missing" if table not in rows else f"holds {now:,} row{'s' if now != 1 else ''}"
        unrepeated = f" ({before:,} without the rows it found repeated)" if before != read else ""
        alerts.append(Alert(
            "input_shrank",
            f"Input table {table} {what}, where the previous run read {read:,}{unrepeated} "
            f"(alert under {rules.input_min_share:.0%} of them): an export cut short or a file that did "
            "not arrive is read as a quiet day, and its clusters dissolve. Check the data, then run "
            "this day again.",
            value=float(now), threshold=round(rules.input_min_share * before, 2)))
    return alerts


def repeated_alert(repeated: int | None, events: int | None, rules: AlertConfig) -> Alert | None:
    """``input_repeated``: ``repeated`` of the ``events`` rows the run read repeat another row
    exactly (the manifest's ``repeated_events``; None when not counted), more than
    ``input_max_repeated_share`` of them."""
    if not repeated or not events or rules.input_max_repeated_share <= 0:
        return None
    if repeated <= rules.input_max_repeated_share * events:
        return None
    return Alert(
        "input_repeated",
        f"{repeated:,} of the {events:,} event rows ({repeated / events:.1%}) repeat another row "
        f"(same account, action, target and time; alert above {rules.input_max_repeated_share:.1%}): an "
        "export appended twice, or a day loaded on top of itself, doubles the activity the run counts. "
        "De-duplicate the events, then run this day again.",
        value=float(repeated), threshold=round(rules.input_max_repeated_share * events, 2))


def evaluate_alerts(clusters: pl.DataFrame, metrics: dict[str, Any], *, rules: AlertConfig,
                    baseline: pl.DataFrame | None = None, has_previous: bool = False,
                    input_rows: dict[str, int] | None = None,
                    previous_input_rows: dict[str, int] | None = None,
                    repeated_events: dict[str, int | None] | None = None,
                    previous_repeated_events: dict[str, int | None] | None = None) -> list[Alert]:
    """Fired alerts for one run, most urgent first.

    Parameters
    ----------
    clusters : polars.DataFrame
        The run's clusters with ``lineage``, ``previous_id`` and ``previous_size``.
    metrics : dict
        `run_metrics` of this run.
    rules : AlertConfig
    baseline : polars.DataFrame, optional
        Earlier runs' metrics, oldest first (columns ``new_accounts``, ``accounts_joined``).
    has_previous : bool
        Whether this run was compared with a previous run; without one every cluster is
        ``new`` and cluster rules stay silent.
    input_rows, previous_input_rows : dict, optional
        Rows per input table of this run and of the previous one (`input_alerts`).
    repeated_events : dict, optional
        ``rows`` (event rows repeating another row; None: not counted) of ``events``
        (`repeated_alert`), of this run and of the previous one.
    """
    if not rules.enabled:
        return []
    # The input first: when it is short, every other alert may be its echo.
    alerts = (input_alerts(input_rows or {}, previous_input_rows, rules,
                           previous_repeated=(previous_repeated_events or {}).get("rows"))
              if has_previous else [])
    repeated = repeated_alert((repeated_events or {}).get("rows"), (repeated_events or {}).get("events"), rules)
    alerts += [repeated] if repeated is not None else []
    if has_previous and "lineage" in clusters.columns:
        alerts += _cluster_alerts(clusters, rules)
    baseline = baseline if baseline is not None else pl.DataFrame()
    for rule, column, what in (
        ("registration_spike", "new_accounts",
         f"new accounts registered in the last {rules.registration_window_days} "
         f"day{'s' if rules.registration_window_days != 1 else ''}"),
        ("syndicate_join_spike", "accounts_joined", "accounts joined clusters since the previous run"),
    ):
        history = ([v for v in baseline[column].to_list() if v is not None][-rules.baseline_runs:]
                   if column in baseline.columns else [])
        alert = _spike(rule, what, metrics.get(column), history, rules)
        if alert is not None:
            alerts.append(alert)
    return alerts


def alerts_document(alerts: list[Alert], *, run_name: str, rules: AlertConfig) -> dict[str, Any]:
    """What ``alerts.json`` holds: the run, the fired alerts and the rules they were fired by."""
    return {"run": run_name, "count": len(alerts), "alerts": [a.to_dict() for a in alerts],
            "rules": asdict(rules)}


__all__ = ["Alert", "run_metrics", "evaluate_alerts", "input_alerts", "repeated_alert", "alerts_document", "ALERT_RULES", "ALERTS_FILE"]

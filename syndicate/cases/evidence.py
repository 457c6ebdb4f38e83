"""Who links whom inside one cluster, read back from the input tables.

The run's edge table says *how strongly* two accounts are linked and by which kinds of
evidence; an investigator also needs *which* identifier value or which burst of activity links
them. This module rebuilds that from the input data, for the members of one cluster:

- identity: member pairs that share an identifier value (kind, value, first and last seen);
- lockstep: member pairs that acted on the same target in the same time window (the window of
  the run's config), with the burst times;
- slow co-action (clusters the slow co-action pass found): the same at the run's
  ``slow_window_seconds``, the targets a farm that spreads its jobs over an hour hit together;
- rare co-action (when the cluster's links hold it): member pairs that acted on the same
  target within days (the detector's window), the products a review ring met on;
- given: member pairs listed in the optional ``links`` table.

Each shared value or burst is a *binding unit*. A unit shared by m members makes m(m-1)/2 pair
rows, so in large clusters the biggest units are written as one row per member instead
(``account_b`` empty, ``n_accounts`` = how many members share it) until the table fits
``max_rows``; the result says how many units were aggregated.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from syndicate.config import LockstepConfig
from syndicate.link.lockstep import considered_actions
from syndicate.masking import mask_value

EVIDENCE_SCHEMA = {
    "account_a": pl.String,
    "account_b": pl.String,
    "kind": pl.String,
    "value": pl.String,
    "first_seen": pl.Datetime("us"),
    "last_seen": pl.Datetime("us"),
    "n_accounts": pl.UInt32,
}
# One row per binding unit (identifier value or lockstep burst) for the case summary.
UNIT_SCHEMA = {
    "kind": pl.String,
    "value": pl.String,
    "n_members": pl.UInt32,
    "n_accounts_all": pl.UInt32,
    "first_seen": pl.Datetime("us"),
    "last_seen": pl.Datetime("us"),
    "listed_per_member": pl.Boolean,
}
_MEMBER_ROWS = ["unit", "account_id", "first_seen", "last_seen"]


@dataclass(frozen=True)
class Evidence:
    """Result of :func:`cluster_evidence`.

    rows: ``EVIDENCE_SCHEMA``, pair rows and (for aggregated units) member rows.
    units: ``UNIT_SCHEMA``, every binding unit with at least two members, largest first.
    n_aggregated: units written as member rows rather than pairs.
    n_pairs_listed, n_pairs_total: pair rows written / that all units would make.
    """

    rows: pl.DataFrame
    units: pl.DataFrame
    n_aggregated: int
    n_pairs_listed: int
    n_pairs_total: int


def _empty_members() -> pl.DataFrame:
    return pl.DataFrame(schema={"unit": pl.UInt32, "account_id": pl.String,
                                "first_seen": pl.Datetime("us"), "last_seen": pl.Datetime("us")})


def identity_units(signals: pl.DataFrame, member_ids: pl.Series, *, reveal: bool = False,
                   hub_cap: int | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Identifier values shared by two or more members.

    Returns (units: kind, value, n_members, n_accounts_all, first_seen, last_seen;
    unit_members: unit index, account_id, first_seen, last_seen). ``value`` is masked unless
    ``reveal``; ``n_accounts_all`` counts every account in the data with that value. With
    ``hub_cap``, values held by more accounts than that are left out: the link stage links no
    one on them (a carrier NAT, the all-zero advertising id of 3,500 phones).
    """
    seen = "seen_at" if "seen_at" in signals.columns else None
    seen_expr = pl.col(seen).cast(pl.Datetime("us")) if seen else pl.lit(None, dtype=pl.Datetime("us"))
    member_sig = (
        signals.filter(pl.col("account_id").is_in(member_ids.implode()))
        .select("account_id", "kind", "value", seen_expr.alias("seen"))
        .group_by("kind", "value", "account_id")
        .agg(pl.col("seen").min().alias("first_seen"), pl.col("seen").max().alias("last_seen"))
    )
    shared = (
        member_sig.group_by("kind", "value")
        .agg(pl.len().cast(pl.UInt32).alias("n_members"), pl.col("first_seen").min(),
             pl.col("last_seen").max())
        .filter(pl.col("n_members") >= 2)
    )
    totals = (
        signals.join(shared.select("kind", "value"), on=["kind", "value"], how="semi")
        .group_by("kind", "value").agg(pl.col("account_id").n_unique().cast(pl.UInt32).alias("n_accounts_all"))
    )
    units = shared.join(totals, on=["kind", "value"], how="left")
    if hub_cap is not None:
        units = units.filter(pl.col("n_accounts_all") <= hub_cap)
    units = (
        units
        .sort(["n_members", "kind", "value"], descending=[True, False, False])
        .with_row_index("unit")
    )
    unit_members = (
        member_sig.join(units.select("unit", "kind", "value"), on=["kind", "value"])
        .select(_MEMBER_ROWS)
    )
    shown = [v if reveal else mask_value(k, v) for k, v in units.select("kind", "value").iter_rows()]
    units = units.with_columns(pl.Series("value", shown, dtype=pl.String))
    return units.select("unit", *[c for c in UNIT_SCHEMA if c != "listed_per_member"]), unit_members


def counted_events(events: pl.DataFrame, actions: list[str] | None,
                   exclude_actions: list[str] | None) -> pl.DataFrame:
    """The rows of ``events`` whose action the link stage counts (``[lockstep] actions`` /
    ``exclude_actions``, :func:`syndicate.link.lockstep.considered_actions`); all without either."""
    if not actions and not exclude_actions:
        return events
    counted = LockstepConfig(actions=tuple(actions or ()), exclude_actions=tuple(exclude_actions or ()))
    return events.filter(pl.Series(considered_actions(events["action"], counted)))


def lockstep_units(events: pl.DataFrame, member_ids: pl.Series, *, window_seconds: int, kind: str = "lockstep",
                   max_accounts: int | None = None, fold_values: bool = True,
                   crowded_by_members: int | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Bursts: a target acted on by two or more members in quick succession.

    A burst on a target runs while consecutive member actions on it are at most
    ``window_seconds`` apart. Any two actions within the window of each other therefore fall in
    one burst (every gap between them is shorter), so each co-action the link stage counted
    (same target, within the window) shows in the case. ``value`` is the target id (targets
    are content, not identifiers, and are not masked). With ``kind="rare_coaction"`` and a
    window of days, the same rows show the rare targets a review ring met on; ``max_accounts``
    (the detector's ``rare_max_cell_accounts``) then leaves out bursts on targets busier than
    the detector reads: in every action family the members took there (``fold_values`` as the
    detector folds names), more than that many accounts acting on the target per window of the
    burst's span (a store front or a login surface members all pass through is no meeting;
    shoppers carting a ring's product do not crowd its reviews). ``crowded_by_members``: only
    bursts of at least that many members who are at least half of the accounts acting on the
    target in its span (the slow co-action pass's group bursts: within an hour, members of any
    large cluster meet on popular targets among hundreds of others). ``events``: the rows to
    read, the members' and the crowd's (:func:`cluster_evidence` gives the actions the link
    stage counted, :func:`counted_events`, or the low ratings).
    """
    frame = events.filter(pl.col("account_id").is_in(member_ids.implode()))
    frame = (
        frame.with_columns(pl.col("ts").cast(pl.Datetime("us")))
        .sort("target_id", "ts", "account_id")
        .with_columns(
            (pl.col("ts").diff().over("target_id").dt.total_seconds() > window_seconds)
            .fill_null(True).cum_sum().over("target_id").alias("bucket")
        )
    )
    per_member = (
        frame.group_by("target_id", "bucket", "account_id")
        .agg(pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen"))
    )
    units = (
        per_member.group_by("target_id", "bucket")
        .agg(pl.len().cast(pl.UInt32).alias("n_members"), pl.col("first_seen").min(),
             pl.col("last_seen").max())
        .filter(pl.col("n_members") >= max(2, crowded_by_members or 2))
    )
    # Every event (members' or not) on the target during a burst, with the burst (and its action
    # where the events have one: the low ratings of a rating burst do not).
    in_span = (
        events.select("target_id", "account_id", *(["action"] if "action" in events.columns else []),
                      pl.col("ts").cast(pl.Datetime("us")))
        .join(units.select("target_id", "bucket", "first_seen", "last_seen"), on="target_id")
        .filter(pl.col("ts").is_between(pl.col("first_seen"), pl.col("last_seen")))
    )
    all_counts = (in_span.group_by("target_id", "bucket")
                  .agg(pl.col("account_id").n_unique().cast(pl.UInt32).alias("n_accounts_all")))
    units = units.join(all_counts, on=["target_id", "bucket"], how="left")
    if crowded_by_members is not None:
        units = units.filter(pl.col("n_members") * 2 >= pl.col("n_accounts_all"))
    if max_accounts is not None:
        units = _within_cell_cap(units, frame, in_span, window_seconds=window_seconds, max_accounts=max_accounts,
                                 fold_values=fold_values)
    units = (
        units
        .sort(["n_members", "target_id", "bucket"], descending=[True, False, False])
        .with_row_index("unit")
        .with_columns(pl.lit(kind).alias("kind"), pl.col("target_id").cast(pl.String).alias("value"))
    )
    unit_members = (
        per_member.join(units.select("unit", "target_id", "bucket"), on=["target_id", "bucket"])
        .select(_MEMBER_ROWS)
    )
    return units.select("unit", *[c for c in UNIT_SCHEMA if c != "listed_per_member"]), unit_members


def _within_cell_cap(units: pl.DataFrame, frame: pl.DataFrame, in_span: pl.DataFrame, *, window_seconds: int,
                     max_accounts: int, fold_values: bool) -> pl.DataFrame:
    """The ``units`` (bursts of the members' rows ``frame``; ``in_span``: every event on a
    unit's target within its span, with the unit's ``bucket``) on which some action the members
    took there was taken by at most ``max_accounts`` accounts per window of the burst's span: the
    detector's cells are (target, action family, window) (``rare_coaction.event_codes``), so
    accounts that only viewed or carted a ring's product do not crowd its review cell."""
    from syndicate.link.rare_coaction import action_families

    names = in_span["action"].unique()
    family = pl.DataFrame({"action": names, "family": action_families(names.cast(pl.String), fold_values=fold_values)})
    # A family counts where two members or more took it in the burst: the detector's meeting is in one cell.
    member_families = (frame.join(family, on="action").group_by("target_id", "bucket", "family")
                       .agg(pl.col("account_id").n_unique().alias("m")).filter(pl.col("m") >= 2)
                       .select("target_id", "bucket", "family"))
    span = (pl.col("last_seen") - pl.col("first_seen")).dt.total_seconds()
    least = (
        in_span.join(family, on="action")
        .join(member_families, on=["target_id", "bucket", "family"], how="semi")
        .group_by("target_id", "bucket", "family", "first_seen", "last_seen")
        .agg(pl.col("account_id").n_unique().alias("n"))
        .with_columns((pl.col("n") * window_seconds / pl.max_horizontal(span, pl.lit(window_seconds))).alias("per_window"))
        .group_by("target_id", "bucket").agg(pl.col("per_window").min())
    )
    return (units.join(least, on=["target_id", "bucket"], how="left")
            .filter(pl.col("per_window") <= max_accounts).drop("per_window"))


def _pairs(unit_members: pl.DataFrame) -> pl.DataFrame:
    """Every member pair of each unit (account_a < account_b), with the pair's time span."""
    left = unit_members.rename({"account_id": "account_a", "first_seen": "f_a", "last_seen": "l_a"})
    right = unit_members.rename({"account_id": "account_b", "first_seen": "f_b", "last_seen": "l_b"})
    return (
        left.join(right, on="unit")
        .filter(pl.col("account_a") < pl.col("account_b"))
        .select("unit", "account_a", "account_b",
                pl.min_horizontal("f_a", "f_b").alias("first_seen"),
                pl.max_horizontal("l_a", "l_b").alias("last_seen"))
    )


def low_ratings(events: pl.DataFrame) -> pl.DataFrame | None:
    """The events rated at the low end of the data's scale (``link/rating_bursts.py``), or
    None when the events carry no ratings."""
    from syndicate.link.rating_bursts import LOW_END, rated_events

    rated = rated_events(events)
    if rated is None:
        return None
    return rated.filter(pl.col("q") <= LOW_END).drop("q").collect()


def cluster_evidence(member_ids: pl.Series, *, signals: pl.DataFrame | None = None,
                     events: pl.DataFrame | None = None, links: pl.DataFrame | None = None,
                     window_seconds: int = 90, actions: list[str] | None = None,
                     exclude_actions: list[str] | None = None, lockstep: bool = True, reveal: bool = False,
                     max_rows: int = 20_000,
                     rare_window_seconds: int | None = None, hub_cap: int | None = None,
                     rating_burst_window_seconds: int | None = None, slow_window_seconds: int | None = None,
                     slow_min_members: int = 3,
                     rare_max_accounts: int | None = None, rare_fold_values: bool = True) -> Evidence:
    """Who links whom among ``member_ids``; see the module docstring. ``actions`` /
    ``exclude_actions``: the link stage's ``[lockstep] actions`` and ``exclude_actions``, for the
    lockstep, slow co-action and review-ring units (rating bursts read the low ratings of every
    action, as their detector does). ``rare_window_seconds``:
    also the targets members acted on within that many seconds of each other (days: the rare
    co-action of a review ring), as units of kind ``rare_coaction``, on targets no busier than
    ``rare_max_accounts`` accounts per window in some action the members took there
    (:func:`lockstep_units`; ``rare_fold_values``: the detector's ``rare_fold_values``).
    ``rating_burst_window_seconds``: also the targets members rated at the low end of the
    scale within that many seconds of each other (``link/rating_bursts.py``), as units of kind
    ``rating_burst``. ``slow_window_seconds``: also the targets members acted on within that
    many seconds of each other (the slow co-action pass's window), as units of kind
    ``slow_coaction``, bursts of ``slow_min_members`` or more members (the group test's
    ``coaction_min_members``) who are at least half of those acting there. ``hub_cap``: identifier values held by more accounts are left out
    (:func:`identity_units`).

    Examples
    --------
    >>> sig = pl.DataFrame({"account_id": ["a", "b", "c"], "kind": ["device"] * 3,
    ...                     "value": ["d1", "d1", "d2"]})
    >>> ev = cluster_evidence(pl.Series(["a", "b", "c"]), signals=sig, reveal=True)
    >>> ev.rows.select("account_a", "account_b", "value").rows()
    [('a', 'b', 'd1')]
    """
    member_ids = member_ids.cast(pl.String)
    parts: list[tuple[pl.DataFrame, pl.DataFrame]] = []
    if signals is not None and signals.height:
        parts.append(identity_units(signals, member_ids, reveal=reveal, hub_cap=hub_cap))
    # The actions the link stage counted, once for the three kinds of units that read them.
    counted = (counted_events(events, actions, exclude_actions)
               if events is not None and (lockstep or slow_window_seconds or rare_window_seconds) else None)
    if lockstep and counted is not None and counted.height:
        parts.append(lockstep_units(counted, member_ids, window_seconds=window_seconds))
    if slow_window_seconds and counted is not None and counted.height:
        parts.append(lockstep_units(counted, member_ids, window_seconds=slow_window_seconds,
                                    kind="slow_coaction", crowded_by_members=slow_min_members))
    if rare_window_seconds and counted is not None and counted.height:
        parts.append(lockstep_units(counted, member_ids, window_seconds=rare_window_seconds,
                                    kind="rare_coaction", max_accounts=rare_max_accounts,
                                    fold_values=rare_fold_values))
    if rating_burst_window_seconds and events is not None and events.height:
        low = low_ratings(events)
        if low is not None:
            parts.append(lockstep_units(low, member_ids, window_seconds=rating_burst_window_seconds,
                                        kind="rating_burst"))

    # Renumber units across sources so that one index identifies a unit.
    all_units, all_members, offset = [], [], 0
    for units, unit_members in parts:
        all_units.append(units.with_columns(pl.col("unit").cast(pl.UInt32) + offset))
        all_members.append(unit_members.with_columns(pl.col("unit").cast(pl.UInt32) + offset))
        offset += units.height
    units = (pl.concat(all_units) if all_units
             else pl.DataFrame(schema={"unit": pl.UInt32, **{k: v for k, v in UNIT_SCHEMA.items() if k != "listed_per_member"}}))
    unit_members = pl.concat(all_members) if all_members else _empty_members()

    # Aggregate the largest units first until pair rows + member rows fit in max_rows.
    units = units.with_columns(
        (pl.col("n_members").cast(pl.Int64) * (pl.col("n_members").cast(pl.Int64) - 1) // 2).alias("n_pairs")
    ).sort(["n_pairs", "unit"], descending=[True, False])
    pairs = units["n_pairs"].to_list()
    sizes = units["n_members"].cast(pl.Int64).to_list()
    n_pairs_total = sum(pairs)
    remaining, member_rows, n_aggregated = n_pairs_total, 0, 0
    while n_aggregated < len(pairs) and remaining + member_rows > max_rows:
        remaining -= pairs[n_aggregated]
        member_rows += sizes[n_aggregated]
        n_aggregated += 1
    units = units.with_columns((pl.int_range(pl.len()) < n_aggregated).alias("listed_per_member"))

    keep = units.filter(~pl.col("listed_per_member")).select("unit")
    pair_rows = _pairs(unit_members.join(keep, on="unit", how="semi"))
    grouped = (
        unit_members.join(units.filter(pl.col("listed_per_member")).select("unit"), on="unit", how="semi")
        .rename({"account_id": "account_a"})
        .with_columns(pl.lit(None, dtype=pl.String).alias("account_b"))
    )
    described = units.select("unit", "kind", "value", pl.col("n_members").alias("n_accounts"))
    rows = [
        frame.join(described, on="unit").select(list(EVIDENCE_SCHEMA))
        for frame in (pair_rows, grouped)
    ]
    if links is not None and links.height:
        rows.append(_given_rows(links, member_ids))
    rows_frame = (
        pl.concat([r.cast(EVIDENCE_SCHEMA) for r in rows])
        .sort(["kind", "value", "account_a", "account_b"], nulls_last=True)
    )
    return Evidence(
        rows=rows_frame,
        units=units.sort(["n_members", "kind", "value"], descending=[True, False, False])
        .select(list(UNIT_SCHEMA)),
        n_aggregated=n_aggregated,
        n_pairs_listed=pair_rows.height,
        n_pairs_total=n_pairs_total,
    )


def _given_rows(links: pl.DataFrame, member_ids: pl.Series) -> pl.DataFrame:
    ids = member_ids.implode()
    a, b = pl.col("account_a").cast(pl.String), pl.col("account_b").cast(pl.String)
    return (
        links.filter(pl.col("account_a").is_in(ids) & pl.col("account_b").is_in(ids))
        .select(pl.min_horizontal(a, b).alias("account_a"), pl.max_horizontal(a, b).alias("account_b"),
                pl.lit("given").alias("kind"), pl.col("kind").cast(pl.String).alias("value"),
                pl.lit(None, dtype=pl.Datetime("us")).alias("first_seen"),
                pl.lit(None, dtype=pl.Datetime("us")).alias("last_seen"),
                pl.lit(2, dtype=pl.UInt32).alias("n_accounts"))
        .unique(maintain_order=True)
    )


__all__ = ["cluster_evidence", "counted_events", "identity_units", "lockstep_units", "Evidence", "EVIDENCE_SCHEMA",
           "UNIT_SCHEMA"]

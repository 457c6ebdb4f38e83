"""The members of one cluster: who they are and what part they play in the cluster's graph."""

from __future__ import annotations

import math
from datetime import datetime

import networkx as nx
import polars as pl

from syndicate.asof import known_creation
from syndicate.features.exact import fixed_sum

# Roles, in the order they are assigned (an account gets the first that applies).
ROLES = ("central", "bridge", "core", "peripheral", "unlinked")
# Share of linked members that are "central" (the most strongly linked ones; at least one).
CENTRAL_SHARE = 0.1
# Bridges (articulation points) are looked for only up to this many edges: the search is linear,
# but a Python graph of millions of edges takes seconds to build.
MAX_EDGES_FOR_BRIDGES = 200_000

OUTCOMES = {1: "confirmed bad", 0: "confirmed good"}


def member_roles(member_ids: pl.Series, edges: pl.DataFrame) -> pl.DataFrame:
    """Degree, weighted degree and role of every member in the cluster's own edges.

    Roles: ``central`` — the most strongly linked tenth (weighted degree; at least one account);
    ``bridge`` — an account whose removal splits the cluster (articulation point);
    ``peripheral`` — one link only, or in the weakest quarter; ``unlinked`` — no link inside the
    cluster (found by behaviour alone); ``core`` — everyone else.

    Returns account_id, degree, weighted_degree, role (sorted by account_id).
    """
    ids = pl.DataFrame({"account_id": member_ids.cast(pl.String)})
    ends = pl.concat([
        edges.select(pl.col("account_a").alias("account_id"), "weight"),
        edges.select(pl.col("account_b").alias("account_id"), "weight"),
    ])
    degree = (
        ids.join(ends.group_by("account_id").agg(pl.len().cast(pl.UInt32).alias("degree"),
                                                  fixed_sum(pl.col("weight")).alias("weighted_degree")),
                 on="account_id", how="left")
        .with_columns(pl.col("degree").fill_null(0), pl.col("weighted_degree").fill_null(0.0).round(6))
    )
    linked = degree.filter(pl.col("degree") > 0).sort(["weighted_degree", "account_id"], descending=[True, False])
    n_central = max(1, math.ceil(CENTRAL_SHARE * linked.height)) if linked.height else 0
    central = set(linked["account_id"].head(n_central).to_list())
    weak_cut = linked["weighted_degree"].quantile(0.25, "lower") if linked.height >= 4 else -1.0

    bridges: set[str] = set()
    if 0 < edges.height <= MAX_EDGES_FOR_BRIDGES:
        graph = nx.Graph()
        graph.add_edges_from(edges.select("account_a", "account_b").iter_rows())
        bridges = set(nx.articulation_points(graph))

    def role(account: str, deg: int, wdeg: float) -> str:
        if deg == 0:
            return "unlinked"
        if account in central:
            return "central"
        if account in bridges:
            return "bridge"
        if deg <= 1 or wdeg <= weak_cut:
            return "peripheral"
        return "core"

    roles = [role(*row) for row in degree.select("account_id", "degree", "weighted_degree").iter_rows()]
    return degree.with_columns(pl.Series("role", roles, dtype=pl.String)).sort("account_id")


def member_table(member_ids: pl.Series, edges: pl.DataFrame, *, accounts: pl.DataFrame | None,
                 events: pl.DataFrame | None, labels: pl.DataFrame | None,
                 now: datetime | None, scores: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per member: account facts from the input (when available), label, the member's
    own account scores (``scores``: the run's ``accounts`` table, when it has one), role, activity.

    ``risk_score`` is the account's risk in the run (its own score and what it inherits from
    its cluster combined: ``syndicate.risk.accounts.combined_risk``), ``own_score`` its score
    before the cluster's risk is counted, ``score_source`` the larger of the two parts.
    """
    table = member_roles(member_ids, edges)
    if scores is not None:
        table = table.join(scores.select("account_id", "risk_score", pl.col("model_score").alias("own_score"),
                                         "score_source"), on="account_id", how="left")
    if accounts is not None:
        extra = [c for c in ("account_type", "country") if c in accounts.columns]
        # Stamps are found over every account (a member list of ten cannot show one): a stamped
        # creation time is shown as the data has it, flagged, and gives no age (asof.py).
        created = pl.col("created_at").cast(pl.Datetime("us"))
        facts = accounts.select("account_id", *extra, created, known_creation(accounts["created_at"])
                                .cast(pl.Datetime("us")).alias("_known"))
        facts = facts.with_columns((pl.col("created_at").is_not_null() & pl.col("_known").is_null())
                                   .alias("creation_stamped"))
        table = table.join(facts, on="account_id", how="left")
        if now is not None:
            table = table.with_columns(
                ((pl.lit(now).cast(pl.Datetime("us")) - pl.col("_known")).dt.total_seconds() / 86400)
                .round(1).alias("age_days"))
        table = table.drop("_known")
    if labels is not None:
        table = table.join(labels.select("account_id", pl.col("label").cast(pl.Int8)), on="account_id", how="left")
    else:
        table = table.with_columns(pl.lit(None, dtype=pl.Int8).alias("label"))
    table = table.with_columns(
        pl.col("label").replace_strict(OUTCOMES, default="unlabelled", return_dtype=pl.String).alias("outcome"))
    if events is not None:
        activity = (
            events.filter(pl.col("account_id").is_in(member_ids.cast(pl.String).implode()))
            .group_by("account_id")
            .agg(pl.len().cast(pl.UInt32).alias("n_events"), pl.col("ts").min().alias("first_event"),
                 pl.col("ts").max().alias("last_event"))
        )
        table = table.join(activity, on="account_id", how="left").with_columns(pl.col("n_events").fill_null(0))
    order = ["account_id", "account_type", "country", "created_at", "creation_stamped", "age_days", "label", "outcome",
             "risk_score", "own_score", "score_source", "role",
             "degree", "weighted_degree", "n_events", "first_event", "last_event"]
    role_rank = pl.col("role").replace_strict({r: i for i, r in enumerate(ROLES)}, return_dtype=pl.UInt8)
    return (
        table.sort([role_rank, "weighted_degree", "account_id"], descending=[False, True, False])
        .select([c for c in order if c in table.columns])
    )


__all__ = ["member_roles", "member_table", "ROLES"]

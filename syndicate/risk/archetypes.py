"""Archetypes: what kind of group a cluster looks like, from the evidence that binds it.

Risky clusters (score >= 0.5) are named by what binds them: identity (one operator's devices
and cards) -> ``matrix_accounts``; behaviour (lockstep on others' targets) ->
``engagement_farm``; both -> ``mixed``. Low-risk clusters are named by the benign pattern they
match: a few accounts created far apart -> ``household``; many long-lived accounts sharing
staff phones or devices -> ``agency``; links through IPs only -> ``shared_infrastructure``;
anything else -> ``low_risk``.
"""

from __future__ import annotations

import polars as pl

ARCHETYPES = ("matrix_accounts", "engagement_farm", "mixed", "household", "agency",
              "shared_infrastructure", "low_risk")

_IDENTITY = ("evidence_device", "evidence_payment", "evidence_phone", "evidence_email",
             "evidence_address", "evidence_other", "evidence_given")


def archetype_expr(risky_at: float = 0.5) -> pl.Expr:
    identity = pl.sum_horizontal([pl.col(c) for c in _IDENTITY])
    behaviour = pl.col("evidence_lockstep") + pl.col("co_target_share") * 0.25
    risky = pl.col("risk_score") >= risky_at
    return (
        pl.when(risky & (behaviour >= 0.25) & (identity >= 0.25)).then(pl.lit("mixed"))
        .when(risky & (pl.col("evidence_lockstep") >= 0.5)).then(pl.lit("engagement_farm"))
        .when(risky).then(pl.lit("matrix_accounts"))
        .when(pl.col("evidence_ip") >= 0.5).then(pl.lit("shared_infrastructure"))
        .when((pl.col("size") <= 6) & (pl.col("created_within_7d") <= 2)).then(pl.lit("household"))
        .when((pl.col("size") > 6) & (pl.col("young_180d_share") < 0.5) & (identity >= 0.5)).then(pl.lit("agency"))
        .otherwise(pl.lit("low_risk"))
        .alias("archetype")
    )


def assign_archetypes(clusters: pl.DataFrame, *, risky_at: float = 0.5) -> pl.DataFrame:
    """Add an ``archetype`` column (needs features and ``risk_score``)."""
    return clusters.with_columns(archetype_expr(risky_at))

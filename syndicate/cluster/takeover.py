"""Takeover rings carved out of the clusters their victims sit in.

The victims of an account takeover keep their own identifiers, so the operator's device or
card joins them to their households: one cluster of victims and families, in which a ring of
43 was under half (the seventh marketplace). Accounts joined by a takeover wave
(:func:`syndicate.features.takeover.finish_waves`, ``takeover_group``) become a group of their
own — whether a graph group held them or not: the wave is the evidence that binds them, and a
value on many accounts can link them under the strong-link bar — and what remains of each group
they left is cut into its connected parts over strong links (the families, each on its own).
Groups no wave touches are left as they are. A takeover group keeps the cross-validation unit
of its first member's component (units are made before the carve, as before the peel).
"""

from __future__ import annotations

import polars as pl

from syndicate.cluster.components import strong_components

PREFIX = "t:"


def carve_takeover(groups: pl.DataFrame, takeover: pl.DataFrame | None, edges: pl.DataFrame, *,
                   min_edge_weight: float) -> pl.DataFrame:
    """``groups`` (``account_id, group``, ids as strings) with takeover groups carved out.

    ``takeover``: ``account_id, takeover_group`` (null outside a takeover group); ``edges``
    keyed by account ids. The carved group is named ``"t:<group>"``, the remaining parts
    ``"<group>:<part>"``; groups may end smaller than a cluster's minimum size (the caller
    drops them).
    """
    if takeover is None or takeover.height == 0 or "takeover_group" not in takeover.columns:
        return groups
    taken = takeover.filter(pl.col("takeover_group").is_not_null()).select(
        pl.col("account_id").cast(pl.String), (PREFIX + pl.col("takeover_group")).alias("group"))
    if taken.height == 0:
        return groups
    touched = groups.join(taken.select("account_id"), on="account_id", how="semi").select("group").unique()
    rest = (groups.join(touched, on="group", how="semi")
            .join(taken.select("account_id"), on="account_id", how="anti"))
    strong = (edges.select("account_a", "account_b", "weight").filter(pl.col("weight") >= min_edge_weight)
              .join(rest.rename({"account_id": "account_a", "group": "_ga"}), on="account_a")
              .join(rest.rename({"account_id": "account_b", "group": "_gb"}), on="account_b")
              .filter(pl.col("_ga") == pl.col("_gb")))
    parts = (strong_components(strong.select("account_a", "account_b", "weight"), min_edge_weight=min_edge_weight)
             .join(rest, on="account_id")
             .select("account_id", (pl.col("group") + ":" + pl.col("component").cast(pl.String)).alias("group")))
    kept = groups.join(touched, on="group", how="anti").join(taken.select("account_id"), on="account_id", how="anti")
    return pl.concat([kept, parts, taken], how="vertical_relaxed").sort("account_id")


__all__ = ["carve_takeover"]

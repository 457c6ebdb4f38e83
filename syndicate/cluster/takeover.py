"""Takeover rings carved out of the clusters their victims sit in.

The victims of an account takeover keep their own identifiers, so the operator's device or
card joins them to their households: one cluster of victims and families, in which a ring of
43 was under half (the seventh marketplace). Accounts joined by a takeover wave
(:func:`syndicate.features.takeover.finish_waves`, ``takeover_group``) become a group of their
own — whether a graph group held them or not: the wave is the evidence that binds them, and a
value on many accounts can link them under the strong-link bar — and what remains of each group
they left is cut into its connected parts over strong links (the families, each on its own).
Groups no wave touches are left as they are. The cross-validation units a takeover group
spans become one (:func:`merge_units`): the victims and the families they were linked to stay
on one side of every fold.
"""

from __future__ import annotations

import polars as pl

from syndicate.cluster.components import pair_components, strong_components

PREFIX = "t:"


def _grouped(takeover: pl.DataFrame | None) -> pl.DataFrame:
    """``account_id, takeover_group`` of the accounts in a takeover group (none: no rows)."""
    if takeover is None or "takeover_group" not in takeover.columns:
        return pl.DataFrame(schema={"account_id": pl.String, "takeover_group": pl.String})
    return takeover.filter(pl.col("takeover_group").is_not_null()).select("account_id", "takeover_group")


def taken_accounts(takeover: pl.DataFrame | None) -> pl.Series:
    """``account_id`` of the accounts in a takeover group: :func:`carve_takeover` puts each in
    its group's cluster, reached by a strong edge or not."""
    return _grouped(takeover)["account_id"]


def carve_takeover(groups: pl.DataFrame, takeover: pl.DataFrame | None, edges: pl.DataFrame, *,
                   min_edge_weight: float) -> pl.DataFrame:
    """``groups`` (``account_id, group``, ids as strings) with takeover groups carved out.

    ``takeover``: ``account_id, takeover_group`` (null outside a takeover group); ``edges``
    keyed by account ids. The carved group is named ``"t:<group>"``, the remaining parts
    ``"<group>:<part>"``; groups may end smaller than a cluster's minimum size (the caller
    drops them).
    """
    taken = _grouped(takeover)
    if taken.height == 0:
        return groups
    taken = taken.select(pl.col("account_id").cast(pl.String), (PREFIX + pl.col("takeover_group")).alias("group"))
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


def merge_units(units: pl.DataFrame, takeover: pl.DataFrame | None) -> pl.DataFrame:
    """``units`` (``account_id, component``: the cross-validation units, :func:`syndicate.pipeline.fold_units`)
    with the units that one takeover group's members came from joined into the smallest of them."""
    return join_units(units, _grouped(takeover), "takeover_group")


def join_units(units: pl.DataFrame, together: pl.DataFrame, key: str) -> pl.DataFrame:
    """``units`` with the units of the accounts of each ``key`` value of ``together``
    (``account_id, <key>``) joined into the smallest of them (also across values that share a
    unit)."""
    pairs = together.join(units, on="account_id").select(key, "component").unique()
    if pairs.height == 0:
        return units
    components, labels = pair_components(pairs["component"], pairs[key])
    joined = (pl.DataFrame({"component": components, "_set": labels})
              .with_columns(pl.col("component").min().over("_set").alias("_merged")))
    return (units.join(joined.select("component", "_merged"), on="component", how="left", maintain_order="left")
            .with_columns(pl.coalesce("_merged", "component").alias("component")).drop("_merged"))


__all__ = ["carve_takeover", "join_units", "merge_units", "taken_accounts"]

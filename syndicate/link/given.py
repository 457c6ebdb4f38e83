"""Given links: account pairs computed elsewhere (a graph database, another team's model)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from syndicate.features.exact import fixed_sum

if TYPE_CHECKING:
    from syndicate.config import IdentityConfig


def social_kinds(links: pl.DataFrame, n_accounts: int, *, max_share: float, min_size: int = 0) -> list[str]:
    """Kinds of ``links`` whose links alone join more than ``max_share`` of the ``n_accounts``
    accounts, and more than ``min_size``, into one connected component (sorted): a social graph,
    not evidence of one operator.

    >>> ring = pl.DataFrame({"account_a": ["a", "b", "c", "x"], "account_b": ["b", "c", "d", "y"],
    ...                      "kind": ["friend", "friend", "friend", "same_person"]})
    >>> social_kinds(ring, 10, max_share=0.3)
    ['friend']
    >>> social_kinds(ring, 10, max_share=0.3, min_size=4)
    []
    """
    bar = max(max_share * n_accounts, min_size)
    out = []
    for kind, part in links.select("kind", "account_a", "account_b").partition_by("kind", as_dict=True).items():
        if part.height < bar:  # fewer links than it takes to join that many
            continue
        ids = pl.concat([part["account_a"], part["account_b"]])
        codes = ids.cast(pl.Categorical).to_physical().to_numpy().astype(np.int64)
        n = int(codes.max()) + 1
        graph = sp.coo_matrix((np.ones(part.height), (codes[:part.height], codes[part.height:])), shape=(n, n))
        _, label = connected_components(graph, directed=False)
        if np.bincount(label).max() > bar:
            out.append(kind[0])
    return sorted(out)


def weigh_social(links: pl.DataFrame, n_accounts: int, config: IdentityConfig) -> tuple[pl.DataFrame, list[str]]:
    """``links`` with the weights of its social kinds (:func:`social_kinds` beyond
    ``social_link_share`` of the ``n_accounts`` and ``hub_cap``) times ``attribute_strength``,
    and those kinds: the same for every engine."""
    social = social_kinds(links, n_accounts, max_share=config.social_link_share, min_size=config.hub_cap)
    if not social:
        return links, social
    weight = pl.col("weight") if "weight" in links.columns else pl.lit(1.0)
    return links.with_columns(pl.when(pl.col("kind").is_in(social)).then(weight * config.attribute_strength)
                              .otherwise(weight).alias("weight")), social


def given_links(links: pl.DataFrame) -> pl.DataFrame:
    """Canonical edges from the optional ``links`` table.

    Pairs are ordered so that ``account_a < account_b``; repeated pairs (several kinds, or the
    same pair both ways) combine as a noisy-OR of their weights into one ``given`` column.
    """
    weight = pl.col("weight") if "weight" in links.columns else pl.lit(1.0)
    return (
        links.select(
            pl.min_horizontal("account_a", "account_b").alias("account_a"),
            pl.max_horizontal("account_a", "account_b").alias("account_b"),
            weight.cast(pl.Float64).clip(0.0, 0.99).alias("w"),
        )
        .group_by("account_a", "account_b")
        .agg((1.0 - fixed_sum(pl.col("w").neg().log1p()).exp()).cast(pl.Float32).alias("given"))
        .sort("account_a", "account_b")
    )

"""Given links: account pairs computed elsewhere (a graph database, another team's model).

A link's weight falls with the number of partners its busier end has in the link's kind, as an
identifier's strength falls with the number of accounts on its value (``IdentityConfig``
``kind_strength``: base / log2(n)): divided by log2(1 + d), d the distinct partners of the end
with the most. An influencer whose code fifty new accounts redeemed is one account on fifty
links, as one value on fifty accounts; its referees are related through it alone (a star has no
cycle), and at full weight each star of a marketplace's referrals was a cluster. A pair keeps
its weight (d = 1), a chain 0.63 of it, and a clique of n — a group that another system matched
as one person — 1 / log2(n): 0.5 at four, 0.25 at sixteen (still over ``min_edge_weight``;
from 33, or a star of 32 around one master account, it binds only with other evidence, unless
its kind is one of ``IdentityConfig.given_exact_kinds``).
Measured on an independently built crypto exchange whose influencers' referral stars (10-67
referees each) filled 4-38 of its top K (benchmarks/RESULTS.md, thirty-second sitting)."""

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


def weigh_given(links: pl.DataFrame, n_accounts: int, config: IdentityConfig) -> tuple[pl.DataFrame, list[str]]:
    """``links`` with a ``weight`` for every link — its own (1.0 without the column) over
    :func:`hub_divisor` (none for ``given_exact_kinds``), times ``attribute_strength`` for its
    social kinds (:func:`social_kinds` beyond ``social_link_share`` of the ``n_accounts`` and
    ``hub_cap``) — and those kinds: the same for every engine."""
    social = social_kinds(links, n_accounts, max_share=config.social_link_share, min_size=config.hub_cap)
    divisor = pl.when(pl.col("kind").is_in(list(config.given_exact_kinds))).then(1.0).otherwise(hub_divisor(links))
    weight = (pl.col("weight") if "weight" in links.columns else pl.lit(1.0)) / divisor
    if social:
        weight = pl.when(pl.col("kind").is_in(social)).then(weight * config.attribute_strength).otherwise(weight)
    return links.with_columns(weight.cast(pl.Float64).alias("weight")), social


def hub_divisor(links: pl.DataFrame) -> pl.Series:
    """Per row of ``links``: log2(1 + d), d the distinct partners, in the row's kind, of the end
    of the link that has the most (1 for a pair on its own; see the module docstring).

    >>> star = pl.DataFrame({"account_a": ["hub"] * 3 + ["x"], "account_b": ["a", "b", "c", "y"],
    ...                      "kind": ["referral"] * 3 + ["same_person"]})
    >>> hub_divisor(star).to_list()
    [2.0, 2.0, 2.0, 1.0]
    """
    kind = pl.col("kind").fill_null("")
    pairs = links.select(kind, pl.min_horizontal("account_a", "account_b").alias("a"),
                         pl.max_horizontal("account_a", "account_b").alias("b")).unique()
    degree = (pl.concat([pairs.select("kind", pl.col(end).alias("end")) for end in ("a", "b")])
              .group_by("kind", "end").agg(pl.len().alias("d")))
    ends = links.select(kind, "account_a", "account_b")
    for side in ("account_a", "account_b"):  # one degree row per (kind, end): the rows stay as they are
        ends = ends.join(degree.rename({"end": side, "d": f"_d_{side}"}), on=["kind", side], how="left",
                         maintain_order="left")
    return (ends.select((pl.max_horizontal("_d_account_a", "_d_account_b").fill_null(1).cast(pl.Float64) + 1).log(2))
            .to_series())


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

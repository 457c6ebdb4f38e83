"""Operators inside crowds: the parts of a co-action crowd that stand apart by shared identifiers.

A ticket drop's regulars join every queue within seconds of one another, and so do the scalper
bots among them: co-action binds the bots and the honest resellers into one group (the tenth
marketplace: 724 accounts, three scalper nets of ~45 among professional resellers, corporate
travellers and families, 95% of its links lockstep). An operator's accounts share infrastructure;
a crowd acts together, each member on its own. So, in a component of strong links larger than
the split bar (before Leiden cuts it) whose strong links mostly carry no shared identifier at the
strong-link bar, each part bound
by shared identifiers alone (devices, cards, phones, e-mails, IPs, addresses — their noisy-OR at
the bar; shared properties do not count) becomes a group of its own, where it stands apart from
the crowd: its strong links to the group's other members are less than half as dense as the
links among those members (the scalper nets: 1.5-3% against 49%). A farm whose workers share
proxies in small sets is as densely bound to the rest of the farm as the farm is to itself (the
seventh marketplace's referral farm: 60% against 55%) and stays whole. What the crowd keeps is
judged as a crowd, cut into its connected parts over the strong links left (a net that was the
only bridge between two crowds leaves two). Carved before the split, the parts then go through
Leiden and the fringe like any component: a part that chained two nets and a company's
travellers over shared IPs comes apart there.

Measured (twentieth sitting, `run --seed 1`): scalper nets found 1/4 -> 4/4 on the tenth's seed 1
(3/4 on seed 2), its unlabelled run 0.655 / 0.607 -> 0.690 / 0.720 (top-29 precision / account
AP); carved after the split instead, 3/4 and 0.655 / 0.688. The other 28 folders keep their
top-K precision, AP within -0.006 and +0.005 (23 of them identical).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import polars as pl

from syndicate.cluster.fringe import inside_links, link_components
from syndicate.features.identity import is_attribute
from syndicate.link.combine import noisy_or

# Evidence columns of the combined edges that are behaviour or given links, not shared identifiers.
_NOT_IDENTIFIERS = frozenset({"weight", "lockstep", "rare_coaction", "rating_burst", "given"})


def identifier_columns(edges: pl.DataFrame, properties: Collection[str] = ()) -> list[str]:
    """The evidence columns of ``edges`` that are shared identifiers' (signal kinds, not
    behaviour, given links or shared properties)."""
    return [c for c, dtype in edges.schema.items()
            if dtype.is_float() and c not in _NOT_IDENTIFIERS and not is_attribute(c, properties)]


def identity_evidence(edges: pl.DataFrame, properties: Collection[str] = ()) -> np.ndarray:
    """Each edge's evidence from shared identifiers alone: the noisy-OR of its signal kinds'
    columns (not behaviour, given links or shared properties: ``email_domain``, the kinds in
    ``properties``), as the link stage combines evidence into a weight."""
    columns = identifier_columns(edges, properties)
    return noisy_or(edges.select(pl.col(columns).fill_null(0.0)), columns).to_numpy()


def carve_operators(groups: pl.DataFrame, edges: pl.DataFrame, *, min_edge_weight: float, above: int,
                    min_size: int, ids: pl.Series | None = None, properties: Collection[str] = ()) -> pl.DataFrame:
    """``groups`` (``account_id, group``, ids as strings) with the operators carved out of the
    crowds (see the module docstring): in each group of more than ``above`` members whose strong
    internal links (``weight >= min_edge_weight``) mostly carry identifier evidence under the
    bar, each part of at least ``min_size`` members bound by identifier evidence at the bar that
    stands apart from the rest becomes the group ``"<group>/<part>"``, and what the group keeps
    is cut into its connected parts over the strong links left (``"<group>/-<part>"``). Rows
    stay in their order.

    ``edges`` are keyed by account ids, or by integer codes with ``ids`` (sorted) the id of
    each code (``syndicate.link.codes``), as for :func:`~syndicate.cluster.fringe.peel_hangers`.
    Numpy over the links inside groups; only the strong links inside the large groups have
    their evidence columns read.
    """
    if groups.height == 0 or edges.height == 0 or not identifier_columns(edges, properties):
        return groups
    sizes = groups["group"].value_counts(name="_n")
    if not (sizes["_n"] > above).any():
        return groups
    n, codes, label, a, b, at = inside_links(groups, edges, ids)
    number = label[codes]
    members = np.bincount(number, minlength=int(number.max()) + 1)
    strong = (edges["weight"].to_numpy()[at] >= min_edge_weight) & (members[label[a]] > above)
    a, b, at = a[strong], b[strong], at[strong]
    bound = identity_evidence(edges[pl.Series(at)], properties) >= min_edge_weight
    # Crowds: large groups whose strong links mostly carry no identifier at the bar.
    group = label[a]
    crowd = np.bincount(group, weights=~bound, minlength=len(members)) > 0.5 * np.bincount(group, minlength=len(members))
    bound &= crowd[group]
    if not bound.any():
        return groups
    part = link_components(a[bound], b[bound], n)
    # Parts: components of the bound links with at least min_size members (a node outside any
    # bound link is its own component of one).
    part_size = np.bincount(part, minlength=n)
    in_part = (part_size[part] >= min_size) & (label > 0) & crowd[label]
    # Each part's strong links to the rest of its group, and the rest's among itself.
    pa = np.where(in_part[a], part[a], -1)
    pb = np.where(in_part[b], part[b], -1)
    rest_links = np.bincount(group[(pa < 0) & (pb < 0)], minlength=len(members))
    across = np.bincount(np.concatenate([pa[(pa >= 0) & (pb < 0)], pb[(pb >= 0) & (pa < 0)]]), minlength=n)
    rest = members - np.bincount(label[in_part], minlength=len(members))
    part_label = np.zeros(n, dtype=np.int64)
    part_label[part[in_part]] = label[in_part]
    r = rest[part_label].astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        apart = (r >= 2) & (across / (part_size * r) < rest_links[part_label] / (r * (r - 1)))
    carved = in_part & apart[part]
    if not carved[codes].any():
        return groups
    # What a group keeps is cut into its connected parts over the strong links left: a net
    # that was the only bridge between two crowds leaves two groups, not one in two pieces.
    touched = np.zeros(len(members), dtype=bool)
    touched[label[carved]] = True
    kept = (label > 0) & touched[label] & ~carved
    join = kept[a] & kept[b]
    piece = link_components(a[join], b[join], n)
    suffix = np.where(carved, "/" + part.astype(str), np.where(kept, "/-" + piece.astype(str), ""))
    return groups.with_columns(pl.col("group") + pl.Series(suffix[codes]))


__all__ = ["carve_operators", "identifier_columns", "identity_evidence"]

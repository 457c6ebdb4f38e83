"""Cluster ids: derived from membership so that the same syndicate keeps its id."""

from __future__ import annotations

import hashlib

import polars as pl


def content_cluster_ids(groups: pl.DataFrame) -> pl.DataFrame:
    """Give each group an id from a hash of its smallest member account id.

    Input ``account_id, group``; output ``account_id, cluster_id`` sorted by account. The id
    does not depend on group numbering or row order, and survives members joining or leaving
    as long as the smallest member stays (run-to-run matching by overlap refines this).
    """
    anchors = groups.group_by("group").agg(pl.col("account_id").min().alias("anchor"))
    ids = {
        row[0]: "C" + hashlib.blake2b(row[1].encode(), digest_size=6).hexdigest()
        for row in anchors.iter_rows()
    }
    mapping = pl.DataFrame({"group": list(ids), "cluster_id": list(ids.values())},
                           schema={"group": groups.schema["group"], "cluster_id": pl.String})
    return groups.join(mapping, on="group").select("account_id", "cluster_id").sort("account_id")

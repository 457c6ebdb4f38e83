"""Connected components on Spark: min-label propagation with pointer jumping.

Each node starts with the smallest id among itself and its neighbours; every round, a node
takes the smallest label among its neighbours' labels (propagation) and then the label of
its label (pointer jumping, which halves long chains instead of walking them one hop per
round). Labels only decrease and are node ids of the same component, so at the fixed point
every node carries its component's smallest account id — which is also how
:func:`syndicate.cluster.components.strong_components` numbers components. Each round is
checkpointed so the plan stays one round deep however many rounds run: to the checkpoint
directory when the session has one (``sparkContext.setCheckpointDir``, reliable when an
executor is lost), else ``localCheckpoint`` (executor storage, faster).
This is the iterated-SQL connected components of Splink, without GraphFrames.
"""

from __future__ import annotations

from typing import Any

import polars as pl

# Rounds before giving up: pointer jumping converges in O(log(diameter)) rounds in practice;
# 64 covers any component a strong-edge graph of people can have.
MAX_ROUNDS = 64


def component_labels(edges: Any, *, min_edge_weight: float) -> tuple[Any, int]:
    """``account_id, label`` (the smallest account id of its component) of every account with
    a strong edge, and the number of rounds it took."""
    from pyspark.sql import functions as F

    reliable = edges.sparkSession.sparkContext.getCheckpointDir() is not None

    def checkpoint(frame: Any) -> Any:
        return frame.checkpoint() if reliable else frame.localCheckpoint()

    strong = edges.filter(F.col("weight") >= min_edge_weight).select("account_a", "account_b")
    neighbours = (strong.select(F.col("account_a").alias("node"), F.col("account_b").alias("nbr"))
                  .unionByName(strong.select(F.col("account_b").alias("node"), F.col("account_a").alias("nbr"))))
    neighbours = checkpoint(neighbours)
    labels = checkpoint(neighbours.groupBy("node").agg(F.least(F.min("nbr"), F.first("node")).alias("label")))
    rounds = 0
    for rounds in range(1, MAX_ROUNDS + 1):
        seen = (neighbours.join(labels.select(F.col("node").alias("nbr"), F.col("label").alias("nbr_label")),
                                on="nbr")
                .groupBy("node").agg(F.min("nbr_label").alias("nbr_label")))
        step = labels.join(seen, on="node").select("node", F.least("label", "nbr_label").alias("label"))
        jump = step.select(F.col("node").alias("label"), F.col("label").alias("label_of_label"))
        new = checkpoint(step.join(jump, on="label", how="left")
                         .select("node", F.least("label", F.coalesce("label_of_label", "label")).alias("label")))
        changed = (new.join(labels.select("node", F.col("label").alias("old")), on="node")
                   .filter(F.col("label") != F.col("old")).limit(1).count())
        labels = new
        if not changed:
            break
    else:
        raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
    return labels.select(F.col("node").alias("account_id"), "label"), rounds


def collect_components(labels: Any) -> pl.DataFrame:
    """``account_id, component`` on the driver: components numbered in order of their smallest
    account id, rows sorted by account id (as ``strong_components``)."""
    frame = pl.from_arrow(labels.toArrow())
    if frame.height == 0:
        return pl.DataFrame(schema={"account_id": pl.String, "component": pl.Int64})
    return (frame.select(pl.col("account_id").cast(pl.String),
                         (pl.col("label").cast(pl.String).rank("dense") - 1).cast(pl.Int64).alias("component"))
            .sort("account_id"))

"""The Spark engine: the heavy linear stages on Apache Spark, polars frames out.

What runs on Spark: reading the evidence tables (any URI Spark reads), identity and lockstep
links, given links, the combined edge table, connected components of the strong-edge graph.
What comes back to the driver: the combined edges (the graph the per-cluster stages and
``edges.parquet`` need), the hubs, the component of each account with a strong edge, and the
burst memberships of accounts that have an edge (the co-action stage tests groups of those),
with the totals over all bursts. Nothing that comes back grows with the number of events.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.engines.spark.combine import collect_edges, combine_edge_frames, given_edges
from syndicate.engines.spark.components import collect_components, component_labels
from syndicate.engines.spark.identity import collect_hubs, identity_edges
from syndicate.engines.spark.lockstep import lockstep_edges
from syndicate.engines.spark.load import load_spark_dataset
from syndicate.engines.spark.read import from_polars
from syndicate.engines.spark.session import require_java, require_pyspark, spark_session


class SparkEngine:
    """Runs the link, component and behaviour stages on a Spark session.

    Parameters
    ----------
    master : str
        Spark master (``local[2]``, ``spark://host:7077``, ``yarn``); empty: the launcher's.
    conf : mapping of str to str
        Extra Spark settings (``[engine.conf]``).
    session : SparkSession, optional
        An existing session to use (notebooks, Databricks, tests).
    """

    name = "spark"

    def __init__(self, master: str = "", conf: Mapping[str, str] | None = None, *, session: Any = None):
        require_pyspark()
        from pyspark.sql import SparkSession

        if session is None and SparkSession.getActiveSession() is None:
            require_java()  # before any work: no Java, no session to start
        self.master, self.conf = master, dict(conf or {})
        self._session = session
        self.timings: dict[str, float] = {}
        # The objects themselves, compared with ``is``: an id() could be reused by a new object.
        self._source: tuple[Any, dict[str, Any]] | None = None
        self._edges: tuple[Any, Any] | None = None

    @property
    def spark(self) -> Any:
        if self._session is None:
            self._session, seconds = spark_session(self.master, self.conf)
            self.timings["spark_startup"] = round(seconds, 3)
        return self._session

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - started, 3)

    def load(self, data_dir: str | Path, *, as_of: Any = None):
        """Validate ``data_dir``; ``signals`` and ``events`` stay on Spark (see
        :mod:`syndicate.engines.spark.load`), the driver's dataset holds the small tables."""
        spark = self.spark
        started = time.perf_counter()
        dataset, tables = load_spark_dataset(spark, data_dir, as_of=as_of)
        tables |= from_polars(spark, dataset)  # the (validated) links table, when given
        self._source = (dataset, tables)
        self._timed("spark_read_validate", started)
        return dataset

    def _tables(self, dataset) -> dict[str, Any]:
        if self._source is not None and self._source[0] is dataset:
            return self._source[1]
        tables = from_polars(self.spark, dataset)
        self._source = (dataset, tables)
        return tables

    def link(self, dataset, config):
        """The link stage on Spark (see :func:`syndicate.pipeline.link`)."""
        from syndicate.pipeline import Links

        tables = self._tables(dataset)
        started = time.perf_counter()
        parts, info, hubs = [], {}, collect_hubs(None)
        memberships = lockstep_info = None
        if "signals" in tables:
            kinds = sorted(r[0] for r in tables["signals"].select("kind").distinct().collect())
            edges, hub_frame = identity_edges(tables["signals"], config=config.identity, kinds=kinds)
            edges = edges.cache()
            parts.append(edges)
            hubs = collect_hubs(hub_frame)
            info["identity_pairs"] = edges.count()
            self._timed("spark_identity", started)
        if config.lockstep.enabled and "events" in tables:
            started = time.perf_counter()
            edges, memberships, lockstep_info = lockstep_edges(tables["events"], config=config.lockstep,
                                                               seed=config.seed)
            parts.append(edges)
            info["lockstep"] = lockstep_info
            self._timed("spark_lockstep", started)
        if "links" in tables:
            parts.append(given_edges(tables["links"]))
        started = time.perf_counter()
        combined = combine_edge_frames(*parts)
        if combined is not None:
            combined = combined.cache()
        edges = collect_edges(combined)
        info["edges"] = edges.height
        self._edges = (edges, combined)
        self._timed("spark_combine", started)
        bursts = burst_ids = totals = None
        if memberships is not None:
            started = time.perf_counter()
            bursts, burst_ids, totals = self._edge_account_bursts(memberships, combined)
            lockstep_info["pairs_kept"] = int(edges["lockstep_bursts"].gt(0).sum()) if "lockstep_bursts" in edges.columns else 0
            lockstep_info["pairs_strong"] = (int(edges["lockstep_bursts"].ge(config.lockstep.min_shared_targets).sum())
                                             if "lockstep_bursts" in edges.columns else 0)
            lockstep_info |= {"bursts": totals["bursts"], "burst_memberships": totals["memberships"]}
            self._timed("spark_bursts", started)
        index = dataset.account_index
        codes = pl.DataFrame({"account_a": pl.Series(index.codes(edges["account_a"]), dtype=pl.UInt32),
                              "account_b": pl.Series(index.codes(edges["account_b"]), dtype=pl.UInt32)})
        if bursts is not None:
            bursts = bursts.with_columns(
                account=pl.Series(index.codes(burst_ids.gather(bursts["account"])), dtype=pl.Int64))
            bursts, burst_ids = bursts.sort("burst", "account"), index.ids
        return Links(edges=edges, hubs=hubs, info=info, bursts=bursts, burst_account_ids=burst_ids,
                     burst_totals=totals, codes=codes, index=index, codes_of=edges)

    def _edge_account_bursts(self, memberships: Any, combined: Any) -> tuple[pl.DataFrame, pl.Series, dict]:
        """Burst rows (``burst, target, account, size``) of accounts with an edge, their ids,
        and the totals over all bursts (``memberships``, ``accounts``, ``bursts``)."""
        from pyspark.sql import functions as F

        row = memberships.agg(F.count(F.lit(1)).alias("m"), F.countDistinct("account_id").alias("a"),
                              F.countDistinct("target_id", "bucket").alias("b")).first()
        totals = {"memberships": int(row["m"]), "accounts": int(row["a"]), "bursts": int(row["b"])}
        if combined is None:
            rows = memberships.limit(0)
        else:
            accounts = (combined.select(F.col("account_a").alias("account_id"))
                        .unionByName(combined.select(F.col("account_b").alias("account_id"))).distinct())
            rows = memberships.join(accounts, on="account_id", how="left_semi")
        frame = pl.from_arrow(rows.select("target_id", "bucket", "account_id", "size").toArrow())
        if frame.height == 0:
            empty = pl.DataFrame(schema={"burst": pl.Int64, "target": pl.Int64, "account": pl.Int64, "size": pl.Int64})
            return empty, pl.Series("account_id", [], dtype=pl.String), totals
        frame = frame.with_columns(pl.col("account_id").cast(pl.String), pl.col("target_id").cast(pl.String))
        ids = frame["account_id"].unique().sort()
        bursts = (frame.select(
            pl.struct("target_id", "bucket").rank("dense").cast(pl.Int64).alias("burst") - 1,
            (pl.col("target_id").rank("dense").cast(pl.Int64) - 1).alias("target"),
            pl.Series("account", ids.search_sorted(frame["account_id"]), dtype=pl.Int64),
            pl.col("size").cast(pl.Int64))
            .sort("burst", "account"))
        return bursts, ids.rename("account_id"), totals

    def components(self, links, *, min_edge_weight: float) -> pl.DataFrame:
        """``account_id, component`` computed on Spark (``strong_components``)."""
        started = time.perf_counter()
        edges = links.edges
        if self._edges is not None and self._edges[0] is edges:
            spark_edges = self._edges[1]
        elif edges.height:
            spark_edges = self.spark.createDataFrame(edges.select("account_a", "account_b", "weight").to_arrow())
        else:
            spark_edges = None
        if spark_edges is None:
            return pl.DataFrame(schema={"account_id": pl.String, "component": pl.Int64})
        labels, rounds = component_labels(spark_edges, min_edge_weight=min_edge_weight)
        out = collect_components(labels)
        self.timings["component_rounds"] = rounds
        self._timed("spark_components", started)
        return out

    def local_dataset(self, dataset, links, account_features, config):
        """The dataset the per-cluster stages see: signals and events of the accounts they can
        reach — ends of strong edges and of co-action links (every graph and co-action cluster
        is made of them) and HDBSCAN's pool — collected from Spark. Bounded by those accounts,
        not by the events."""
        from pyspark.sql import functions as F

        from syndicate.cluster.density import select_accounts
        from syndicate.pipeline import _coacting

        if self._source is None or self._source[0] is not dataset or not dataset.held_counts:
            return dataset  # frames built in Python: already on the driver
        started = time.perf_counter()
        tables = self._source[1]
        # Only accounts that can end up in a cluster: ends of strong edges (graph groups), of
        # co-action links (co-action groups) and HDBSCAN's pool. An account whose only links are
        # weak identity ones (a shared carrier IP) is scored from its Spark aggregates alone.
        edges = links.edges
        cfg = config.cluster
        reach = pl.col("weight") >= cfg.min_edge_weight
        if "lockstep_bursts" in edges.columns:
            reach = reach | (pl.col("lockstep_bursts") > 0)
        edges = edges.filter(reach)
        needed = pl.concat([edges["account_a"], edges["account_b"]])
        if cfg.hdbscan_enabled and account_features is not None and account_features.height:
            pool = select_accounts(account_features, config=cfg, candidates=_coacting(edges))
            needed = pl.concat([needed, pool["account_id"]])
        ids = self.spark.createDataFrame(pl.DataFrame({"account_id": needed.unique()}).to_arrow())
        local = {}
        for name, columns in (("events", ["account_id", "action", "target_id", "ts", "rating"]),
                              ("signals", ["account_id", "kind", "value"])):
            if name not in tables:
                continue
            frame = tables[name].join(F.broadcast(ids), on="account_id", how="left_semi")
            frame = pl.from_arrow(frame.select([c for c in columns if c in frame.columns]).toArrow())
            if "ts" in frame.columns:
                ts = frame["ts"]
                if getattr(ts.dtype, "time_zone", None):
                    ts = ts.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
                frame = frame.with_columns(ts.cast(pl.Datetime("us")).alias("ts"))
            local[name] = frame
        self._timed("spark_collect_local", started)
        self.timings["local_accounts"] = int(needed.n_unique())
        self.timings["local_events"] = local["events"].height if "events" in local else 0
        return dataclasses.replace(dataset, **local)

    def behaviour(self, dataset, config):
        """Per-account behaviour features: aggregates on Spark, formulas on the driver."""
        from syndicate.engines.spark.behaviour import behaviour_aggregates, finish_features
        from syndicate.pipeline import dataset_now

        tables = self._tables(dataset)
        if "events" not in tables:
            return None
        started = time.perf_counter()
        aggregates, kept, extra = behaviour_aggregates(
            tables["events"], n_accounts=dataset.accounts.height,
            burst_window_s=config.lockstep.window_seconds, rated=True)
        collected = pl.from_arrow(aggregates.toArrow())
        self._timed("spark_behaviour", started)
        started = time.perf_counter()
        out = finish_features(collected, kept, dataset.accounts, now=dataset_now(dataset), rated=True,
                              unit=extra["unit"])
        self._timed("driver_behaviour", started)
        return out

    def describe(self) -> dict[str, Any]:
        spark = self._session
        return {"name": self.name,
                "master": spark.sparkContext.master if spark is not None else self.master,
                "spark_version": spark.version if spark is not None else None,
                "seconds": dict(self.timings)}

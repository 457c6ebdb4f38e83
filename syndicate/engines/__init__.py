"""Engines: who executes the heavy, linear-in-data stages.

The pipeline describes the computation once; an engine executes its heavy linear stages —
reading and validating the input, the link stage (identity, lockstep, given, combined edges),
connected components of the strong-edge graph and per-account behaviour aggregates. Every
engine returns the same polars frames, so everything after them (Leiden splits, the fringe peel
and bridge cut, co-action groups, HDBSCAN, features, ranking, reports) runs unchanged on the
driver. An engine that keeps the edge table elsewhere hands the driver only the edges the
per-cluster stages read, and computes the per-account graph features and writes
``edges.parquet`` where the table is; one that keeps the events and signals elsewhere hands
over HDBSCAN's pool's targets, the members' signals and per-cluster event counts:

* ``polars`` (:mod:`syndicate.engines.polars_engine`) — in-process polars/numpy, the default;
* ``spark`` (:mod:`syndicate.engines.spark`) — Apache Spark DataFrames, for data that
  outgrows one machine (``pip install 'syndicate[spark]'``).

An engine is any object with the methods of :class:`Engine`; ``get_engine(config)`` builds
the one ``config.engine.name`` names.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

if TYPE_CHECKING:
    from syndicate.config import Config
    from syndicate.contract import Dataset
    from syndicate.pipeline import Links


class Engine(Protocol):
    """What the pipeline asks of an engine (frames in, polars frames out)."""

    name: str
    # The clock the events were recorded with, in seconds (``timing.clock_resolution_s``, set
    # by each behaviour stage; 1 without events): 86,400 for dates alone.
    clock_s: int

    def load(self, data_dir: str | Path, *, as_of: Any = None, placeholder_values: tuple[str, ...] = ()) -> "Dataset":
        """Read and validate a data folder; the dataset the local stages see (``placeholder_values``:
        ``[identity] placeholder_values``, left out of the signals as the contract's own)."""

    def link(self, dataset: "Dataset", config: "Config") -> "Links":
        """The link stage: canonical edges, hubs, lockstep bursts (``pipeline.Links``); the
        edges may stay keyed by account codes (``Links.index``) until :meth:`local_links`."""

    def components(self, links: "Links", *, min_edge_weight: float) -> pl.DataFrame:
        """``account_id, component`` of the strong-edge graph of ``links.edges``
        (``strong_components``)."""

    def behaviour(self, dataset: "Dataset", config: "Config") -> pl.DataFrame | None:
        """Per-account behaviour features (``pipeline.behaviour``); sets ``clock_s``."""

    def local_links(self, links: "Links", account_features: pl.DataFrame | None, config: "Config") -> "Links":
        """The links the per-cluster stages run on: every edge among the accounts that can end
        up in a cluster (``pipeline.reachable_accounts``), keyed by account ids — ``links``
        itself (with ids) when its edges are the whole table."""

    def local_dataset(self, dataset: "Dataset", links: "Links", account_features: pl.DataFrame | None,
                      config: "Config") -> "Dataset":
        """The dataset the cluster stage runs on (the driver's frames): of the events, at
        least the ``account_id, target_id`` of HDBSCAN's pool (``pipeline.hdbscan_pool``);
        the reference time pinned."""

    def member_signals(self, dataset: "Dataset", members: pl.DataFrame) -> pl.DataFrame | None:
        """Signals holding at least every row of ``members``' accounts (the cluster identity
        features)."""

    def member_events(self, dataset: "Dataset", members: pl.DataFrame) -> pl.DataFrame | None:
        """Events holding at least every row of ``members``' accounts (``account_id, action,
        target_id, ts``: the group co-action delivery of ``features.delivery``)."""

    def cluster_event_counts(self, dataset: "Dataset", members: pl.DataFrame) -> pl.DataFrame | None:
        """``cluster_id`` + ``BEHAVIOUR_COUNTS`` (``features.clusters.behaviour_counts``)
        taken where the events are, or None when ``dataset.events`` holds them all (the
        features stage then counts them)."""

    def cluster_co_rated(self, dataset: "Dataset", members: pl.DataFrame) -> pl.DataFrame | None:
        """``cluster_id, co_rated_targets`` (``features.clusters.co_rating_features``) taken
        where the events are, or None when ``dataset.events`` holds them all (the features
        stage then counts them)."""

    def action_mix_summary(self, dataset: "Dataset", members: pl.DataFrame) -> tuple[pl.DataFrame, ...] | None:
        """The three tables of ``features.action_mix.account_shares_summary`` (the per-(type,
        action) baseline, the members' shares per (cluster, type, action), the members with
        events per (cluster, type)) taken where the events are, or None when
        ``dataset.events`` holds them all on the driver."""

    def limitations(self, config: "Config") -> list[str]:
        """Sentences for the person running: what this engine leaves out of a run with
        ``config`` (the run's warnings and manifest carry them)."""

    def graph_features(self, links: "Links", members: pl.DataFrame,
                       cluster_risk: pl.DataFrame) -> pl.DataFrame | None:
        """Every account's graph features (``syndicate.features.graph``) over the whole edge
        table, or None when ``links.edges`` is the whole table (the accounts stage then
        computes them from it)."""

    def edges_writer(self, links: "Links") -> Callable[[Path], None] | None:
        """A function writing the whole ``edges.parquet`` to a path, or None when
        ``links.edges`` is the whole table (the run folder writes it)."""

    def describe(self) -> dict[str, Any]:
        """What ran where, for the manifest (engine name, version, stage seconds)."""


def get_engine(config: "Config | None" = None, **options: Any) -> Engine:
    """The engine ``config.engine.name`` names (default polars).

    ``options`` go to the engine's constructor (``session=`` an existing SparkSession).
    A missing pyspark or Java raises
    :class:`syndicate.engines.spark.session.EngineUnavailableError`.
    """
    from syndicate.config import Config

    config = config or Config()
    name = config.engine.name
    if name == "polars":
        from syndicate.engines.polars_engine import PolarsEngine

        return PolarsEngine()
    if name == "spark":
        from syndicate.engines.spark.engine import SparkEngine

        return SparkEngine(master=config.engine.spark_master, conf=config.engine.conf, **options)
    raise ValueError(f"unknown engine {name!r}; expected 'polars' or 'spark'")


__all__ = ["Engine", "get_engine"]

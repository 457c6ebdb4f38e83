"""The Spark engine: the heavy linear stages on Apache Spark, polars frames out.

What runs on Spark: reading the evidence tables (any URI Spark reads), identity and lockstep
links, given links, the combined edge table, connected components of the strong-edge graph,
the per-account sums over all edges (graph features) and the writing of ``edges.parquet``.
What comes back to the driver (:mod:`syndicate.engines.spark.graph`): the edges among
accounts that can end up in a cluster (ends of strong or co-action edges, HDBSCAN's pool), the
hubs, the component of each account with a strong edge, the burst memberships of those
accounts (the co-action stage tests groups of them) with the totals over all bursts, and
accounts-sized tables (behaviour aggregates, graph sums). Weak edges between accounts that
cannot be clustered never leave Spark. Of the events and signals
(:mod:`syndicate.engines.spark.members`): the distinct targets of HDBSCAN's pool (at most
``hdbscan_max_accounts`` accounts), the members' signals and per-cluster event counts.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from syndicate.asof import first_event
from syndicate.engines.spark.attribution import attribution_rows
from syndicate.engines.spark.combine import collect_edges, combine_edge_frames, given_edges
from syndicate.engines.spark.components import collect_components, component_labels
from syndicate.engines.spark.graph import edges_among, graph_features, reach_accounts, write_edges
from syndicate.engines.spark.identity import collect_hubs, identity_edges
from syndicate.engines.spark.lockstep import lockstep_edges
from syndicate.engines.spark.load import load_spark_dataset
from syndicate.engines.spark.rare import account_targets
from syndicate.engines.spark.read import from_polars, spark_frame
from syndicate.engines.spark.session import require_java, require_pyspark, spark_session
from syndicate.engines.spark.takeover import spark_takeover_waves
from syndicate.link.attribution import attribution_kind, weigh_attributions
from syndicate.link.given import weigh_given
from syndicate.link.rare_coaction import outside_place_ties


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
        self.clock_s = 1  # the clock the events were recorded with (set by the behaviour stage)
        # Event rows repeating another row exactly, of the rows read (set by the behaviour stage).
        self.repeated_events: dict[str, int | None] | None = None
        # The objects themselves, compared with ``is``: an id() could be reused by a new object.
        self._source: tuple[Any, dict[str, Any]] | None = None
        # (collected edges, the whole Spark edge table, the Spark accounts they are among)
        self._edges: tuple[Any, Any, Any] | None = None

    @property
    def spark(self) -> Any:
        if self._session is None:
            self._session, seconds = spark_session(self.master, self.conf)
            self.timings["spark_startup"] = round(seconds, 3)
        return self._session

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - started, 3)

    def load(self, data_dir: str | Path, *, as_of: Any = None, placeholder_values: tuple[str, ...] = ()):
        """Validate ``data_dir``; ``signals`` and ``events`` stay on Spark (see
        :mod:`syndicate.engines.spark.load`), the driver's dataset holds the small tables."""
        spark = self.spark
        started = time.perf_counter()
        dataset, tables = load_spark_dataset(spark, data_dir, as_of=as_of, placeholder_values=placeholder_values)
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
        from syndicate.pipeline import Links, attributions_read, slow_pass_skipped, with_kinds_read

        tables = self._tables(dataset)
        started = time.perf_counter()
        parts, info, hubs, takeover, kinds = [], {}, collect_hubs(None), None, []
        rare_group = None
        memberships = lockstep_info = None
        # The account ids as targets, made once for whoever reads them (attributions, the
        # review-ring detector).
        on_accounts = functools.cache(lambda: account_targets(self.spark, dataset.account_index))

        if "signals" in tables:
            kinds = sorted(r[0] for r in tables["signals"].select("kind").distinct().collect())
            edges, hub_frame, identity, (hub_shares, small_shares), churn = identity_edges(
                tables["signals"], config=config.identity, kinds=kinds)
            config = with_kinds_read(config, identity, hub_shares, info, small_shares)
            if churn:
                info["churn"] = churn
            edges = edges.cache()
            parts.append(edges)
            hubs = collect_hubs(hub_frame)
            info["identity_pairs"] = edges.count()
            self._timed("spark_identity", started)
            started = time.perf_counter()
            # Waves that began long before the earliest event are not read (features/takeover.py);
            # the load counted it with the out-of-range timestamps.
            takeover = spark_takeover_waves(self.spark, tables["signals"], dataset.accounts, hubs, kinds,
                                            config.identity.property_kinds,
                                            first_event=first_event(dataset.timestamps))
            info["takeover_wave_accounts"] = takeover.height
            self._timed("spark_takeover", started)
        if config.lockstep.enabled and "events" in tables:
            started = time.perf_counter()
            edges, memberships, lockstep_info = lockstep_edges(tables["events"], config=config.lockstep,
                                                               seed=config.seed)
            # Cached: the review-ring detector and the rating bursts read the links touching their
            # accounts before combine.
            parts.append(edges.cache() if config.lockstep.rare_enabled or config.lockstep.rating_bursts else edges)
            info["lockstep"] = lockstep_info
            self._timed("spark_lockstep", started)
        attributed = None
        if "events" in tables and attributions_read(config):
            started = time.perf_counter()
            attributed, info["attribution"] = attribution_rows(
                self.spark, tables["events"], dataset.accounts, on_accounts(),
                min_single_share=config.identity.attribution_min_single_share,
                signup_days=config.identity.attribution_signup_days, kind=attribution_kind(kinds))
            weighed, hubs = weigh_attributions(attributed, config.identity, dataset.account_index, hubs)
            if weighed is None:
                attributed = None
            else:
                parts.append(spark_frame(self.spark, weighed.edges))
            self._timed("spark_attribution", started)
        if dataset.links is not None and dataset.links.height:
            # The links table is the driver's (validated, small): weighed there (hubs, social kinds).
            weighted, info["given_social_kinds"] = weigh_given(dataset.links, dataset.accounts.height,
                                                               config.identity)
            parts.append(given_edges(spark_frame(self.spark, weighted.select("account_a", "account_b", "weight"))))
        if config.lockstep.enabled and "events" in tables and config.lockstep.rare_enabled:
            info["rare_coaction"], rare_group = self._rare(dataset, tables["events"], parts, config,
                                                           on_accounts)
        if config.lockstep.enabled and "events" in tables and config.lockstep.rating_bursts:
            from syndicate.engines.spark.rare import rating_burst_edges

            started = time.perf_counter()
            against, info["rating_bursts"] = rating_burst_edges(self.spark, tables["events"], list(parts),
                                                                dataset.account_index, config)
            if against is not None:
                parts.append(against)
            self._timed("spark_rating_bursts", started)
        started = time.perf_counter()
        reach = None
        combined = combine_edge_frames(*parts)
        total = 0
        if combined is not None and rare_group is not None:
            combined = self._without_place_ties(combined, dataset.account_index, rare_group, info,
                                               config.identity.property_kinds)
        if combined is not None:
            combined = combined.cache()
            total = combined.count()
            # Only the edges among accounts that can end up in a cluster come to the driver.
            reach = reach_accounts(combined, min_edge_weight=config.cluster.min_edge_weight).cache()
        slow = None
        n_events = dataset.row_counts().get("events", 0)
        if "events" in tables and self._slow_pass_runs(tables["events"], config, n_events):
            slow_started = time.perf_counter()
            slow, info["slow_lockstep"] = self._slow_groups(tables["events"], combined, dataset.account_index, config)
            self._timed("spark_slow_coaction", slow_started)
            if slow.groups.height:
                # The slow groups' members can end up in a cluster (cluster.reconcile.add_slow_groups)
                # though no strong or co-action edge reaches them: their edges and 120-s burst rows
                # come to the driver as on polars (pipeline.reachable_accounts), or their clusters'
                # edge features and group co-action (its lift reads their share of the memberships)
                # differ from the polars engine's.
                extra = spark_frame(self.spark, slow.groups.select("account_id").unique())
                reach = (extra if reach is None else reach.unionByName(extra).distinct()).cache()
        elif "events" in tables and (skipped := slow_pass_skipped(config, n_events)):
            info["slow_lockstep"] = skipped
        edges = collect_edges(edges_among(combined, reach) if combined is not None else None)
        info["edges"] = total
        self.timings["edges_total"], self.timings["edges_collected"] = total, edges.height
        self._edges = (edges, combined, reach)
        self._timed("spark_combine", started)
        bursts = burst_ids = totals = None
        if memberships is not None:
            started = time.perf_counter()
            bursts, burst_ids, totals = self._reach_bursts(memberships, reach)
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
                     burst_totals=totals, codes=codes, index=index, codes_of=edges, takeover=takeover,
                     property_kinds=config.identity.property_kinds, rare_groups=rare_group,
                     attribution=attributed, slow=slow)

    def _slow_pass_runs(self, events: Any, config, n_events: int) -> bool:
        """``pipeline.slow_pass_runs`` with the events' clock read on Spark (only when the
        pass could run: the clock is the behaviour stage's to read otherwise)."""
        from syndicate.engines.spark.behaviour import events_clock_s
        from syndicate.pipeline import slow_pass_runs

        return (slow_pass_runs(config, 0, n_events)
                and slow_pass_runs(config, events_clock_s(events, at_least=config.lockstep.clock_seconds), n_events))

    def _slow_groups(self, events: Any, combined: Any, index, config) -> tuple[Any, dict]:
        """The slow lockstep pass on Spark and its co-action groups on the driver
        (``pipeline._slow_groups``): the pass's pairs, the combined edges among their ends and
        those accounts' rows of the slow bursts come back, the rest stays."""
        from pyspark.sql import functions as F

        from syndicate.cluster.coaction import slow_coaction_groups
        from syndicate.pipeline import SlowGroups, slow_lockstep

        pairs, memberships, info = lockstep_edges(events, config=slow_lockstep(config), seed=config.seed)
        pairs = pairs.cache()
        active = (pairs.select(F.col("account_a").alias("account_id"))
                  .unionByName(pairs.select(F.col("account_b").alias("account_id"))).distinct().cache())

        def coded(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.with_columns(
                account_a=pl.Series(index.codes(frame["account_a"].cast(pl.String)), dtype=pl.UInt32),
                account_b=pl.Series(index.codes(frame["account_b"].cast(pl.String)), dtype=pl.UInt32))

        slow_pairs = coded(pl.from_arrow(pairs.toArrow()))
        among = (coded(pl.from_arrow(edges_among(combined.select("account_a", "account_b", "weight"), active).toArrow()))
                 if combined is not None else
                 pl.DataFrame(schema={"account_a": pl.UInt32, "account_b": pl.UInt32, "weight": pl.Float64}))
        bursts, burst_ids, totals = self._reach_bursts(memberships, active)
        bursts = bursts.with_columns(
            account=pl.Series(index.codes(burst_ids.gather(bursts["account"])), dtype=pl.Int64))
        info |= {"pairs_kept": slow_pairs.height, "bursts": totals["bursts"], "burst_memberships": totals["memberships"]}
        for frame in (pairs, active, memberships):
            frame.unpersist()
        groups = slow_coaction_groups(among, slow_pairs, bursts, index.ids, config=config.cluster, seed=config.seed,
                                      totals=totals)
        info |= {"groups": groups["group"].n_unique(), "group_accounts": groups.height}
        return SlowGroups.of(groups, bursts, index, totals=totals), info

    def _without_place_ties(self, combined: Any, index, group, info: dict, properties: tuple[str, ...]) -> Any:
        """``combined`` without the rare co-action groups' ties by places alone to accounts
        outside them (:func:`syndicate.link.rare_coaction.outside_place_ties`, as the polars
        pipeline; ``group``: each account code's group): the edges touching the groups'
        members (thousands of ids: a filter by a list) are judged on the driver, and those to
        cut leave by an anti-join."""
        from pyspark.sql import functions as F

        ids = index.ids.filter(pl.Series(group >= 0)).to_list()
        touching = collect_edges(combined.filter(F.col("account_a").isin(ids) | F.col("account_b").isin(ids)))
        cut = outside_place_ties(touching, index.codes(touching["account_a"]), index.codes(touching["account_b"]),
                                 group, properties)
        if not cut.any():
            return combined
        pairs = touching.filter(pl.Series(cut)).select("account_a", "account_b")
        info["place_ties_cut"] = pairs.height
        return combined.join(F.broadcast(spark_frame(self.spark, pairs)), on=["account_a", "account_b"],
                             how="left_anti")

    def _rare(self, dataset, events: Any, parts: list[Any], config,
              on_accounts: Callable[[], Any]) -> tuple[dict, Any]:
        """The review-ring detector (:mod:`syndicate.engines.spark.rare`) within the events
        gate of the polars engine; its links join ``parts``. What it counted, for the manifest,
        and each account code's group (None when it found none or did not run).
        ``on_accounts``: the account ids as targets (made once per link stage)."""
        from syndicate.engines.spark.rare import rare_edges
        from syndicate.pipeline import rare_detector_runs, rare_detector_skipped

        n_events = dataset.row_counts().get("events", 0)
        if not rare_detector_runs(config, n_events):
            return rare_detector_skipped(config, n_events), None
        started = time.perf_counter()
        targets = None if config.lockstep.rare_account_targets else on_accounts()
        edges, info, group = rare_edges(self.spark, events, list(parts), dataset.account_index, config, targets)
        if edges is not None:
            parts.append(edges)
        self._timed("spark_rare_coaction", started)
        return info, group

    def _reach_bursts(self, memberships: Any, reach: Any) -> tuple[pl.DataFrame, pl.Series, dict]:
        """Burst rows (``burst, target, account, size``) of the accounts in ``reach`` (those
        that can end up in a cluster: co-action groups and the clusters' co-action targets
        read no others), their ids, and the totals over all bursts (``memberships``,
        ``accounts``, ``bursts``)."""
        from pyspark.sql import functions as F

        row = memberships.agg(F.count(F.lit(1)).alias("m"), F.countDistinct("account_id").alias("a"),
                              F.countDistinct("target_id", "bucket").alias("b")).first()
        totals = {"memberships": int(row["m"]), "accounts": int(row["a"]), "bursts": int(row["b"])}
        rows = memberships.limit(0) if reach is None else memberships.join(reach, on="account_id", how="left_semi")
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
        if self._edges is not None and self._edges[0] is edges and self._edges[1] is not None:
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

    def local_links(self, links, account_features, config):
        """The links the per-cluster stages see. ``link`` collected the edges among ends of
        strong and co-action edges; when HDBSCAN's pool (only without lockstep links: otherwise
        it is drawn from co-acting accounts) or a takeover group reaches past them, the edges
        among every reachable account (``pipeline.reachable_accounts``), so that their clusters
        have their internal edges."""
        from syndicate.pipeline import reachable_accounts

        if not self._holds(links) or links.index is None:
            return links
        reach = reachable_accounts(links, account_features, config)  # no features: no pool
        if not (reach & ~reachable_accounts(links, None, config, takeover=False)).any():
            return links
        started = time.perf_counter()
        ids = links.index.ids.filter(pl.Series(reach))
        links = self._collect_among(links, self.spark.createDataFrame(pl.DataFrame({"account_id": ids}).to_arrow()))
        self._timed("spark_combine", started)
        return links

    def local_dataset(self, dataset, links, account_features, config):
        """The dataset the cluster stage sees: no signals, and of the events only the distinct
        ``account_id, target_id`` pairs of HDBSCAN's pool (``pipeline.hdbscan_pool``, at most
        ``hdbscan_max_accounts`` accounts), which its target embedding reads. The features
        stage gets the members' signals and the per-cluster event counts through
        :meth:`member_signals` and :meth:`cluster_event_counts`
        (:mod:`syndicate.engines.spark.members`): no event row of any other account comes
        to the driver."""
        from syndicate.engines.spark.members import pool_pairs
        from syndicate.pipeline import dataset_now, hdbscan_pool, reachable_accounts

        if self._source is None or self._source[0] is not dataset or not dataset.held_counts:
            return dataset  # frames built in Python: already on the driver
        started = time.perf_counter()
        tables = self._source[1]
        events = None
        if "events" in tables:
            pool = hdbscan_pool(links, account_features, config)
            if pool is None or pool.len() == 0:
                events = pl.DataFrame(schema={"account_id": pl.String, "target_id": pl.String})
            else:
                events = pool_pairs(self.spark, tables["events"], pool)
            self.timings["pool_accounts"] = 0 if pool is None else pool.len()
        self._timed("spark_collect_local", started)
        # the accounts whose edges the driver holds (``local_links``)
        self.timings["local_accounts"] = int(reachable_accounts(links, account_features, config).sum())
        self.timings["local_events"] = 0 if events is None else events.height
        local = dataclasses.replace(dataset, reference_time=dataset_now(dataset), events=events, signals=None)
        self._source = (local, tables)
        return local

    def member_signals(self, dataset, members: pl.DataFrame) -> pl.DataFrame | None:
        """The signals of ``members`` (what the cluster identity features read), collected
        from Spark: a few rows a member."""
        return self._member_rows(dataset, "signals", members, ["account_id", "kind", "value"],
                                 counter="local_signals", count_values=True)

    def member_events(self, dataset, members: pl.DataFrame) -> pl.DataFrame | None:
        """The events of ``members`` (the members of clusters with group co-action: their
        delivery, ``features.delivery``, reads raw rows), collected from Spark."""
        return self._member_rows(dataset, "events", members, ["account_id", "action", "target_id", "ts"],
                                 counter="member_events")

    def _member_rows(self, dataset, name: str, members: pl.DataFrame, columns: list[str], *,
                     counter: str, count_values: bool = False) -> pl.DataFrame | None:
        """``columns`` of the rows of table ``name`` (``signals``, ``events``) that belong to
        ``members``, collected from Spark (timestamps as the polars loader gives them), their
        count added to ``timings[counter]``; the dataset's own table when it was built in
        Python, None when the input has no such table."""
        from syndicate.engines.spark.members import member_rows

        tables = self._held_tables(dataset)
        if tables is None:
            return getattr(dataset, name)
        if name not in tables:
            return None
        started = time.perf_counter()
        out = member_rows(self.spark, tables[name], members["account_id"], columns, count_values=count_values)
        if "ts" in out.columns:
            ts = out["ts"]
            if getattr(ts.dtype, "time_zone", None):
                ts = ts.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            out = out.with_columns(ts.cast(pl.Datetime("us")).alias("ts"))
        self.timings[counter] = self.timings.get(counter, 0) + out.height
        self._timed(f"spark_member_{name}", started)
        return out

    def cluster_event_counts(self, dataset, members: pl.DataFrame) -> pl.DataFrame | None:
        """Per-cluster event counts taken on Spark (one row per cluster), finished on the
        driver by ``features.clusters.behaviour_ratios``; None when the events are on the
        driver."""
        from syndicate.engines.spark.members import cluster_event_counts

        return self._on_events(dataset, "spark_cluster_events",
                               lambda events: cluster_event_counts(self.spark, events, members))

    def cluster_co_rated(self, dataset, members: pl.DataFrame) -> pl.DataFrame | None:
        """The targets two or more members of each cluster rated, counted on Spark
        (``features.clusters.co_rating_features``); None when the events are on the driver."""
        from syndicate.engines.spark.members import cluster_co_rated

        return self._on_events(dataset, "spark_co_rated", lambda events: cluster_co_rated(self.spark, events, members))

    def action_mix_summary(self, dataset, members: pl.DataFrame) -> tuple[pl.DataFrame, ...] | None:
        """The members' action shares summed on Spark (``features.action_mix``); None when
        the events are on the driver."""
        from syndicate.engines.spark.members import action_share_summary

        return self._on_events(dataset, "spark_action_mix",
                               lambda events: action_share_summary(self.spark, events, dataset.accounts, members))

    def _on_events(self, dataset, timer: str, compute: Callable[[Any], Any]) -> Any:
        """``compute(events)`` on the Spark events table holding ``dataset``'s, timed as
        ``timer``; None when the events are on the driver."""
        tables = self._held_tables(dataset)
        if tables is None or "events" not in tables:
            return None
        started = time.perf_counter()
        out = compute(tables["events"])
        self._timed(timer, started)
        return out

    def _held_tables(self, dataset) -> dict[str, Any] | None:
        """The Spark tables holding ``dataset``'s signals and events (None: its frames are
        the driver's own)."""
        if self._source is None or self._source[0] is not dataset or not dataset.held_counts:
            return None
        return self._source[1]

    def _holds(self, links) -> bool:
        """Whether ``links.edges`` are the edges this engine collected from its Spark table."""
        return self._edges is not None and self._edges[0] is links.edges and self._edges[1] is not None

    def _collect_among(self, links, accounts: Any):
        """``links`` with the edges among ``accounts`` (a Spark ``account_id`` frame)."""
        from pyspark.sql import functions as F

        combined = self._edges[1]
        accounts = F.broadcast(accounts)
        edges = collect_edges(edges_among(combined, accounts))
        index = links.index
        codes = pl.DataFrame({side: pl.Series(index.codes(edges[side]), dtype=pl.UInt32)
                              for side in ("account_a", "account_b")})
        self._edges = (edges, combined, accounts)
        self.timings["edges_collected"] = edges.height
        return dataclasses.replace(links, edges=edges, codes=codes, codes_of=edges)

    def graph_features(self, links, members, cluster_risk):
        """Graph features of every account over the whole edge table: sums on Spark, one row
        per linked account to the driver (:func:`syndicate.engines.spark.graph.graph_features`)."""
        if not self._holds(links) or links.index is None:
            return None  # links.edges is the whole table
        started = time.perf_counter()
        out = graph_features(self._edges[1], links.index, members, cluster_risk)
        self._timed("spark_graph_features", started)
        return out

    def edges_writer(self, links):
        """Writes ``edges.parquet`` from the Spark edge table (see
        :func:`syndicate.engines.spark.graph.write_edges`)."""
        if not self._holds(links):
            return None
        combined, empty = self._edges[1], self._edges[0].clear()

        def write(path: Path) -> None:
            started = time.perf_counter()
            write_edges(combined, path, empty=empty)
            self._timed("spark_write_edges", started)

        return write

    def behaviour(self, dataset, config):
        """Per-account behaviour features: aggregates on Spark, formulas on the driver."""
        from syndicate.engines.spark.behaviour import behaviour_aggregates, finish_features
        from syndicate.engines.spark.members import account_surprisal
        from syndicate.pipeline import dataset_now

        self.clock_s = 1  # until this dataset's events say otherwise
        self.repeated_events = None
        tables = self._tables(dataset)
        if "events" not in tables:
            return None
        started = time.perf_counter()
        aggregates, kept, extra = behaviour_aggregates(
            tables["events"], n_accounts=dataset.accounts.height,
            burst_window_s=config.lockstep.window_seconds, rated=True,
            repeated_share=config.alerts.input_max_repeated_share, min_clock_s=config.lockstep.clock_seconds)
        self.repeated_events = extra["repeated"]
        collected = pl.from_arrow(aggregates.toArrow())
        self.clock_s = max(extra["clock_s"], config.lockstep.clock_seconds)
        surprisal = account_surprisal(self.spark, tables["events"], dataset.accounts)
        self._timed("spark_behaviour", started)
        started = time.perf_counter()
        out = finish_features(collected, kept, dataset.accounts, now=dataset_now(dataset), rated=True,
                              unit=extra["unit"], clock_s=self.clock_s,
                              burst_window_s=config.lockstep.window_seconds, surprisal=surprisal)
        self._timed("driver_behaviour", started)
        return out

    def limitations(self, config) -> list[str]:
        """What this engine leaves out of a run with ``config``, for the person running it: the
        opt-in sparse crews (``cluster.coaction_sparse``: the driver holds only some accounts'
        burst rows); nothing else (the review-ring detector runs as in the polars engine)."""
        if config.cluster.coaction_enabled and config.cluster.coaction_sparse:
            return ["cluster.coaction_sparse is on but the Spark engine does not look for sparse crews "
                    "(the driver holds only the burst rows of accounts that can end up in a cluster): "
                    "run the polars engine for them."]
        return []

    def describe(self) -> dict[str, Any]:
        spark = self._session
        return {"name": self.name,
                "master": spark.sparkContext.master if spark is not None else self.master,
                "spark_version": spark.version if spark is not None else None,
                "seconds": dict(self.timings)}

"""The polars engine: the in-process stages exactly as the pipeline defines them."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from syndicate.contract import RUN_OWNED, replace_owned_tables

# Set (in the dataset's __dict__) once its events are those of reachable accounts only.
_TRIMMED = "_events_of_reachable_accounts"


class _Loading(NamedTuple):
    """A load begun by :meth:`PolarsEngine.start_loading`: its arguments, its result to come
    and ``(perf_counter, process_time)`` when it began."""

    arguments: tuple[str, Any]
    future: Future
    started: tuple[float, float]


class PolarsEngine:
    """In-process polars/numpy: one machine, no start-up cost (the default engine).

    The events become integer codes once (``syndicate.encoding``): the link stage makes them,
    the behaviour stage reads them and lets them go (hashing 20M target and account ids
    again would cost seconds).
    """

    name = "polars"

    def __init__(self) -> None:
        self._encoded: tuple[Any, Any] | None = None  # (dataset, its EncodedEvents)
        # (accounts, events per (account code, action code), action names): the behaviour
        # stage counts them from the codes, the features stage sums the members' shares.
        self._action_counts: tuple[Any, pl.DataFrame, list[str]] | None = None
        self.clock_s = 1  # the clock the events were recorded with (set by the behaviour stage)
        # Event rows repeating another row exactly, of the rows read (set by the behaviour stage).
        self.repeated_events: dict[str, int | None] | None = None
        self._loading: _Loading | None = None

    def _encoding(self, dataset):
        from syndicate.features.accounts import events_encoding

        if dataset.events is None or dataset.events.height == 0:
            return None
        if self._encoded is None or self._encoded[0] is not dataset:
            self._encoded = (dataset, events_encoding(dataset.events, dataset.account_index.ids))
        return self._encoded[1]

    def load(self, data_dir: str | Path, *, as_of: Any = None, placeholder_values: tuple[str, ...] = ()):
        """The validated dataset (``io.load_dataset``): the one :meth:`start_loading` began for
        the same arguments, when it did."""
        from syndicate.io import load_dataset

        arguments = (str(data_dir), as_of, tuple(placeholder_values))
        if self._loading is not None and self._loading.arguments == arguments:
            future = self._loading.future
            self._loading = None
            return future.result()  # a bad input's ContractError is raised here, as without it
        return load_dataset(data_dir, as_of=as_of, placeholder_values=placeholder_values)

    def start_loading(self, data_dir: str | Path, *, as_of: Any = None,
                      placeholder_values: tuple[str, ...] = ()) -> None:
        """Begin :meth:`load` on a background thread; ``load`` with the same arguments waits for it.

        The command line starts it before importing the pipeline's libraries (xgboost,
        scikit-learn, igraph: 2-3 s of Python, holding the GIL), which reading and validating
        overlaps: polars' readers and checks run in Rust without the GIL. At 1M accounts that
        is 4 s of validation next to 2.5 s of imports. A daemon thread: an exit before ``load``
        (a locked runs root) does not wait for it.

        ``malloc``'s recycling is set up before the thread starts (``memory.hold_freed_memory``,
        which the stages would otherwise do at the first): glibc fixes its number of arenas as
        threads first allocate. The ``syndicate`` command has set one arena already, before
        polars was imported (``memory.one_arena`` in ``cli.main``); for other callers polars'
        own threads came first, and this still keeps the threads started from here on sharing
        fewer arenas (at 1M accounts the lockstep sweep faulted 0.51M fresh pages instead of
        1.09M; with one arena from the start, ~4,000).
        """
        from syndicate.io import load_dataset
        from syndicate.memory import hold_freed_memory

        hold_freed_memory()

        future: Future = Future()
        started = (time.perf_counter(), time.process_time())

        def work() -> None:
            try:
                future.set_result(load_dataset(data_dir, as_of=as_of, placeholder_values=placeholder_values))
            except BaseException as exc:  # handed to the caller of load()
                future.set_exception(exc)

        self._loading = _Loading((str(data_dir), as_of, tuple(placeholder_values)), future, started)
        threading.Thread(target=work, name="syndicate-load", daemon=True).start()

    def loading_started(self) -> tuple[float, float] | None:
        """``(perf_counter, process_time)`` when :meth:`start_loading` began, or None: the
        validate stage's timing counts from there."""
        return self._loading.started if self._loading is not None else None

    def components(self, links, *, min_edge_weight: float) -> pl.DataFrame:
        from syndicate.cluster.components import strong_components

        if links.edge_codes() is not None:  # on the account codes: no string is hashed or sorted
            return strong_components(links.coded_edges(), min_edge_weight=min_edge_weight, ids=links.index.ids)
        return strong_components(links.edges, min_edge_weight=min_edge_weight)

    def link(self, dataset, config):
        from syndicate.pipeline import link

        # Edges keyed by codes until local_links: the link stage's end (the events' trimming)
        # and the behaviour stage's peak do without their id columns.
        links = link(dataset, config, encoded=lambda: self._encoding(dataset), ids=False)
        if dataset.__dict__.get(RUN_OWNED) and "lockstep_bursts" in links.edges.columns:
            # With co-action links, HDBSCAN's pool is among their ends: what the later stages
            # read is known now. The behaviour stage reads the codes, not the events: keep the
            # rows of reachable accounts now, before its working set comes on top.
            self._keep_reachable_events(dataset, links, None, config)
        return links

    def local_dataset(self, dataset, links, account_features, config):
        """The dataset with only the events of accounts that can end up in a cluster
        (``pipeline.reachable_accounts``): the per-cluster stages read no others.

        When the run owns the dataset (``RUN_OWNED``: ``pipeline.run_to_folder``), the events
        are taken out column by column, so the full table (the run's largest: 1 GB at 20M
        events) and the kept rows are never held whole at once; this happens at the end of
        the link stage when the co-action links already tell who is reachable. Otherwise the
        caller's dataset is left as it is and a trimmed copy returned.
        """
        import dataclasses

        if dataset.__dict__.get(_TRIMMED):
            return dataset
        if not dataset.__dict__.get(RUN_OWNED):
            index = dataset.account_index
            dataset = dataclasses.replace(dataset)
            dataset.__dict__["account_index"] = index  # the same codes: not made again
        self._keep_reachable_events(dataset, links, account_features, config)
        return dataset

    @staticmethod
    def _keep_reachable_events(dataset, links, account_features, config) -> None:
        """Keep in ``dataset`` (changed in place: the run's own or a copy) only the events of
        reachable accounts; ``held_counts`` keeps the input's row count for the manifest and
        the reference time is pinned (it would otherwise follow the latest kept event)."""
        from syndicate.pipeline import dataset_now, reachable_accounts

        dataset.__dict__[_TRIMMED] = True
        events = dataset.events
        if events is None or events.height == 0 or links.index is None:
            return
        reach = reachable_accounts(links, account_features, config)
        # A hash set of the reachable ids: a bool per event and no per-event codes (21M events:
        # 170 MB of int64 codes and their lookup's temporaries avoided).
        keep = events["account_id"].is_in(links.index.ids.filter(pl.Series(reach)).implode())
        if keep.all():
            return
        input_rows, now, columns = dataset.row_counts(), dataset_now(dataset), {}
        del events
        for name in dataset.events.columns:
            columns[name] = dataset.events[name].filter(keep)
            object.__setattr__(dataset, "events", dataset.events.drop(name))
        replace_owned_tables(dataset, input_rows=input_rows, now=now, events=pl.DataFrame(columns))

    def local_links(self, links, account_features, config):
        from syndicate.pipeline import with_edge_ids

        return with_edge_ids(links)  # the whole table already; keyed by ids from here on

    def member_signals(self, dataset, members):
        from syndicate.features.identity import whole_signals

        return whole_signals(dataset.signals)  # on the driver: the features join the members' rows

    def member_events(self, dataset, members):
        return dataset.events  # on the driver: the features match the members' rows

    def cluster_event_counts(self, dataset, members):
        return None  # the events are on the driver: the features stage counts them

    def cluster_co_rated(self, dataset, members):
        return None  # the events are on the driver: the features stage counts them

    def action_mix_summary(self, dataset, members):
        from syndicate.features.action_mix import account_shares_summary

        # Keyed by the accounts table: the per-cluster stages get a copy of the dataset without
        # the events of accounts no cluster can reach (local_dataset), but the baseline is every
        # account's, counted by the behaviour stage from the whole table.
        if self._action_counts is None or self._action_counts[0] is not dataset.accounts:
            return None  # no behaviour stage ran on these accounts: the features stage counts
        _, counts, actions = self._action_counts
        return account_shares_summary(counts, actions, dataset.accounts, dataset.account_index, members)

    def graph_features(self, links, members, cluster_risk):
        return None  # links.edges is the whole graph: the accounts stage computes them from it

    def edges_writer(self, links):
        return None  # links.edges is the whole table: the run folder writes it

    def behaviour(self, dataset, config):
        from syndicate.encoding import repeated_rows
        from syndicate.features.action_mix import account_action_counts
        from syndicate.features.timing import events_clock_s
        from syndicate.pipeline import behaviour

        self.repeated_events = None
        try:
            encoded = self._encoding(dataset)  # None without events
            # The codes of every event read, also when the link stage left none of the events
            # (no account reachable: dataset.events is empty now, the codes are not).
            whole = self._encoded[1] if self._encoded is not None and self._encoded[0] is dataset else encoded
            self.clock_s = (events_clock_s(whole.t, at_least=config.lockstep.clock_seconds)
                            if whole is not None else 1)
            features = behaviour(dataset, config, encoded=encoded, clock_s=self.clock_s)
            self.repeated_events = None if whole is None else {
                "rows": repeated_rows(whole, at_least=config.alerts.input_max_repeated_share, clock_s=self.clock_s),
                "events": whole.size}
            # After the features, not on top of their peak.
            self._action_counts = None if encoded is None else (
                dataset.accounts, *account_action_counts(encoded.acc, encoded.act, encoded.n_accounts, encoded.actions))
            return features
        finally:
            self._encoded = None  # nothing after this stage reads the codes

    def limitations(self, config) -> list[str]:
        return []  # every stage runs as the pipeline defines it

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

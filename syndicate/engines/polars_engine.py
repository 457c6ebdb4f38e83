"""The polars engine: the in-process stages exactly as the pipeline defines them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl


class PolarsEngine:
    """In-process polars/numpy: one machine, no start-up cost (the default engine).

    The events become integer codes once (``syndicate.encoding``): the link stage makes them,
    the behaviour stage reads them and lets them go (hashing 20M target and account ids
    again would cost seconds).
    """

    name = "polars"

    def __init__(self) -> None:
        self._encoded: tuple[Any, Any] | None = None  # (dataset, its EncodedEvents)

    def _encoding(self, dataset):
        from syndicate.features.accounts import events_encoding

        if dataset.events is None or dataset.events.height == 0:
            return None
        if self._encoded is None or self._encoded[0] is not dataset:
            self._encoded = (dataset, events_encoding(dataset.events, dataset.account_index.ids))
        return self._encoded[1]

    def load(self, data_dir: str | Path, *, as_of: Any = None):
        from syndicate.io import load_dataset

        return load_dataset(data_dir, as_of=as_of)

    def link(self, dataset, config):
        from syndicate.pipeline import link

        return link(dataset, config, encoded=(lambda: self._encoding(dataset)) if config.lockstep.enabled else None)

    def components(self, links, *, min_edge_weight: float) -> pl.DataFrame:
        from syndicate.cluster.components import strong_components

        if links.edge_codes() is not None:  # on the account codes: no string is hashed or sorted
            return strong_components(links.coded_edges(), min_edge_weight=min_edge_weight, ids=links.index.ids)
        return strong_components(links.edges, min_edge_weight=min_edge_weight)

    def local_dataset(self, dataset, links, account_features, config):
        """The dataset with only the events of accounts that can end up in a cluster
        (``pipeline.reachable_accounts``): the per-cluster stages read no others, and the
        full events table (the run's largest: 1 GB at 20M events) can go once its caller
        lets go of it (``pipeline.run_to_folder`` does)."""
        import dataclasses


        from syndicate.pipeline import dataset_now, reachable_accounts

        if dataset.events is None or dataset.events.height == 0 or links.index is None:
            return dataset
        reach = reachable_accounts(links, account_features, config)
        if reach.all():
            return dataset
        keep = reach[links.index.codes(dataset.events["account_id"])]
        events = dataset.events.filter(pl.Series(keep)) if not keep.all() else dataset.events
        local = dataclasses.replace(dataset, events=events, reference_time=dataset_now(dataset),
                                    held_counts={**dataset.held_counts, "events": dataset.events.height})
        # The account codes are the same: no need to make them again.
        local.__dict__["account_index"] = dataset.account_index
        return local

    def behaviour(self, dataset, config):
        from syndicate.pipeline import behaviour

        try:
            return behaviour(dataset, config, encoded=self._encoding(dataset))
        finally:
            self._encoded = None  # nothing after this stage reads the codes

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

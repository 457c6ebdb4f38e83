"""The polars engine: the in-process stages exactly as the pipeline defines them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl


class PolarsEngine:
    """In-process polars/numpy: one machine, no start-up cost (the default engine)."""

    name = "polars"

    def load(self, data_dir: str | Path, *, as_of: Any = None):
        from syndicate.io import load_dataset

        return load_dataset(data_dir, as_of=as_of)

    def link(self, dataset, config):
        from syndicate.pipeline import link

        return link(dataset, config)

    def components(self, links, *, min_edge_weight: float) -> pl.DataFrame:
        from syndicate.cluster.components import strong_components

        if links.edge_codes() is not None:  # on the account codes: no string is hashed or sorted
            return strong_components(links.coded_edges(), min_edge_weight=min_edge_weight, ids=links.index.ids)
        return strong_components(links.edges, min_edge_weight=min_edge_weight)

    def local_dataset(self, dataset, links, account_features, config):
        return dataset  # everything is local already

    def behaviour(self, dataset, config):
        from syndicate.pipeline import behaviour

        return behaviour(dataset, config)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name}

"""The polars engine: events encoded once, and the per-cluster stages given only the events of
accounts that can end up in a cluster (same answers as with every event)."""

import polars as pl
from polars.testing import assert_frame_equal

from syndicate import pipeline
from syndicate.config import Config
from syndicate.engines.polars_engine import PolarsEngine
from syndicate.contract import validate
from syndicate.synthetic import generate_marketplace


class _Untrimmed(PolarsEngine):
    """The polars engine handing the per-cluster stages every event."""

    def local_dataset(self, dataset, links, account_features, config):
        return dataset


def _dataset():
    tables = generate_marketplace(3000, seed=4)
    return validate({k: v for k, v in tables.items() if k != "truth"})


def test_local_dataset_keeps_the_events_of_reachable_accounts_only(tmp_path):
    dataset, config, engine = _dataset(), Config(), PolarsEngine()
    links = engine.link(dataset, config)
    behaviour = engine.behaviour(dataset, config)
    local = engine.local_dataset(dataset, links, behaviour, config)

    reach = pipeline.reachable_accounts(links, behaviour, config)
    assert 0 < reach.sum() < len(reach)
    kept = set(links.index.ids.filter(pl.Series(reach)).to_list())
    assert set(local.events["account_id"].unique().to_list()) <= kept
    assert local.events.height < dataset.events.height
    # Every event of a reachable account is there, in the input's order.
    expected = dataset.events.filter(pl.col("account_id").is_in(list(kept)))
    assert_frame_equal(local.events, expected)
    # The manifest still counts every input row; the caller's dataset is untouched.
    assert local.row_counts()["events"] == dataset.events.height
    assert local.reference_time == pipeline.dataset_now(dataset)
    assert dataset.events.height == _dataset().events.height


def test_runs_on_the_trimmed_events_give_the_same_clusters_and_accounts(tmp_path):
    """A cluster's members are reachable accounts: the events of the others change nothing."""
    dataset, config = _dataset(), Config()

    trimmed = pipeline.run(dataset, config=config, engine=PolarsEngine())
    whole = pipeline.run(dataset, config=config, engine=_Untrimmed())
    assert trimmed.clusters.height > 0
    for name in ("members", "clusters", "accounts"):
        assert_frame_equal(getattr(trimmed, name), getattr(whole, name))
    assert trimmed.manifest["input_rows"] == whole.manifest["input_rows"]


def test_a_run_that_owns_its_dataset_frees_the_events_in_place_with_the_same_answers():
    """run_to_folder hands the stages the only reference (``_run(owned=True)``): the events of
    unreachable accounts leave that dataset during the link stage, the rest of the events and
    the signals after the features stage; the answers and the manifest's counts do not move."""
    config = Config()
    owned = _dataset()
    n_events = owned.events.height
    mine = pipeline._run([owned], owned=True, config=config, model=None, progress=None,
                         previous_members=None, account_model=None, engine=PolarsEngine())
    # Taken apart in place: trimmed in the link stage, let go after the features stage.
    assert owned.events is None and owned.signals is None
    assert mine.manifest["input_rows"]["events"] == n_events
    theirs = pipeline.run(_dataset(), config=config, engine=PolarsEngine())
    for name in ("members", "clusters", "accounts", "edges"):
        assert_frame_equal(getattr(mine, name), getattr(theirs, name))
    assert mine.manifest["input_rows"] == theirs.manifest["input_rows"]
    assert mine.manifest["reference_time"] == theirs.manifest["reference_time"]


def test_a_load_started_in_the_background_is_the_load_and_keeps_its_errors(tmp_path):
    """``syndicate run`` starts reading and validating while it imports the pipeline
    (``start_loading``): ``load`` then hands over that dataset, a bad input's ContractError
    is raised by ``load`` as without it, and other arguments load afresh."""
    import pytest

    from syndicate.contract import ContractError
    from syndicate.io import load_dataset

    engine = PolarsEngine()
    engine.start_loading("fixtures/tiny")
    started = engine.loading_started()
    assert started is not None
    loaded = engine.load("fixtures/tiny")
    assert engine.loading_started() is None  # handed over once
    expected = load_dataset("fixtures/tiny")
    for name in ("accounts", "signals", "events", "labels"):
        assert_frame_equal(getattr(loaded, name), getattr(expected, name))

    engine.start_loading(tmp_path / "missing")
    with pytest.raises(ContractError, match="does not exist"):
        engine.load(tmp_path / "missing")

    engine.start_loading("fixtures/tiny")
    other = engine.load("fixtures/tiny", as_of="2026-01-01T00:00:00")  # not the load it started
    assert other.reference_time is not None


def test_edges_stay_keyed_by_codes_until_local_links_and_then_are_the_pipelines():
    """The engine's link stage leaves the id columns out (0.4 GB at 1M accounts through the
    behaviour stage's peak); ``local_links`` adds them: the same table as ``pipeline.link``."""
    dataset, config, engine = _dataset(), Config(), PolarsEngine()
    links = engine.link(dataset, config)
    assert links.edges.schema["account_a"] == pl.UInt32 and links.edges.schema["account_b"] == pl.UInt32
    assert links.edge_codes() is not None  # the stages that read codes still find them
    local = engine.local_links(links, engine.behaviour(dataset, config), config)
    expected = pipeline.link(dataset, config)
    assert local.edges.height > 0
    assert_frame_equal(local.edges, expected.edges)
    assert_frame_equal(local.edge_codes(), expected.edge_codes())
    assert pipeline.with_edge_ids(local) is local  # ids already: nothing to do


def test_takeover_members_no_strong_edge_reaches_keep_their_events(tmp_path):
    """A takeover group's accounts join its cluster reached by a strong edge or not
    (cluster.takeover.carve_takeover): their events are kept for the features. On the
    twenty-fifth marketplace (4,000 accounts, seed 2) a wave's cluster has such members; with
    their events left out, its features and 209 account scores differed from a run on every event."""
    import dataclasses

    from conftest import generate_data
    from syndicate.cluster.takeover import taken_accounts
    from syndicate.io import load_dataset

    dataset = load_dataset(generate_data("twentyfifth_marketplace.py", tmp_path / "data", accounts=4000, seed=2))
    config, engine = Config(), PolarsEngine()
    links = engine.link(dataset, config)
    strong_only = pipeline.reachable_accounts(dataclasses.replace(links, takeover=None), None, config)
    taken = links.index.codes(taken_accounts(links.takeover))
    assert len(taken) and not strong_only[taken].all()  # some are reached by no strong edge
    assert pipeline.reachable_accounts(links, None, config)[taken].all()

    trimmed = pipeline.run(dataset, config=config, engine=PolarsEngine())
    whole = pipeline.run(dataset, config=config, engine=_Untrimmed())
    for name in ("members", "clusters", "accounts"):
        assert_frame_equal(getattr(trimmed, name), getattr(whole, name))

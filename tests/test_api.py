"""The analyst API: the stages chain to what `syndicate run` computes, and each helper works."""

import dataclasses
import subprocess
import sys

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import syndicate
from syndicate.config import Config
from syndicate.pipeline import run as pipeline_run
from syndicate.risk.train import TrainingError


@pytest.fixture(scope="module")
def tables():
    return syndicate.generate_marketplace(3_000, seed=5)


@pytest.fixture(scope="module")
def run_dir(tables, tmp_path_factory):
    work = tmp_path_factory.mktemp("api")
    syndicate.write_tables(tables, work / "data")
    syndicate.run(work / "data", out_dir=work / "run")
    return work / "run"


def test_import_is_light():
    code = "import sys, syndicate; print(sorted(m for m in ('polars', 'xgboost', 'matplotlib') if m in sys.modules))"

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "[]"


def test_public_names_are_documented():
    import syndicate.api

    for name in syndicate.api.__all__:
        function = getattr(syndicate, name)
        assert function.__doc__, name
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        syndicate.nope  # noqa: B018


def test_stages_chain_to_the_pipeline_result(tables):
    dataset = syndicate.load_dataset(tables)

    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    features = syndicate.cluster_features(dataset, members, links)
    result = syndicate.score_clusters(features)

    expected = pipeline_run(dataset)
    assert_frame_equal(members.select("account_id", "cluster_id").sort("account_id"),
                       expected.members.sort("account_id"))
    # The pipeline adds lineage columns (ids carried over from a previous run) after ranking.
    assert_frame_equal(result, expected.clusters.select(result.columns))


def test_without_labels_the_stages_chain_to_the_run_with_the_moved_clusters():
    """Without labels the accounts stage moves the clusters' scores towards their members'
    behaviour (risk/pseudo_labels.py): ``with_clusters`` gives the run's clusters and accounts.
    (4,000 accounts: the 3,000 of ``tables`` hold too few high-risk components to learn from.)"""
    tables = syndicate.generate_marketplace(4_000, seed=5)
    dataset = syndicate.load_dataset({k: v for k, v in tables.items() if k not in ("labels", "truth")})
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    before = syndicate.score_clusters(syndicate.cluster_features(dataset, members, links), dataset=dataset)
    accounts, clusters = syndicate.score_accounts(dataset, links, members, before, with_clusters=True)

    expected = pipeline_run(dataset)
    assert "cluster_weight" in expected.manifest["accounts"]["metrics"]["pseudo_labels"]
    moved = expected.clusters["member_pseudo_label_score"].is_not_null()
    assert moved.all() and not before["member_pseudo_label_score"].is_not_null().any()
    # Reasons included: written for the moved risk, as the run writes them.
    assert_frame_equal(clusters, expected.clusters.select(clusters.columns))
    # A table whose features do not give its scores again (edited) is named by pipeline.renamed.
    from syndicate.pipeline import renamed
    from syndicate.pipeline import score_accounts as accounts_stage

    edited = before.with_columns((pl.col("risk_score") * 0.999).round(6))
    _, fallback = syndicate.score_accounts(dataset, links, members, edited, with_clusters=True)
    meta = syndicate.api._cluster_meta(members, links, Config())
    moved = accounts_stage(dataset, links, members.select("account_id", "cluster_id"), edited, meta, Config()).clusters
    assert_frame_equal(fallback, renamed(edited, moved, Config()))
    assert_frame_equal(accounts, expected.accounts)
    # A table that carries the move already is not moved twice: members inherit its risks, and
    # the accounts come out as the run's (its pseudo-labels read the risk before the move).
    again = syndicate.score_accounts(dataset, links, members, expected.clusters)
    assert_frame_equal(again, expected.accounts)
    quoted = (again.explode("reasons").filter(pl.col("reasons").str.starts_with("member of cluster"))
              .join(expected.clusters.select("cluster_id", pl.col("risk_score").alias("in_table")), on="cluster_id"))
    assert quoted.height > 50
    risk = quoted["reasons"].str.extract(r"\(risk ([0-9.]+),", 1).cast(pl.Float64)
    assert ((risk - quoted["in_table"]).abs() <= 0.005 + 1e-9).all()


def test_with_labels_a_runs_clusters_give_back_the_runs_accounts():
    """With labels the run's clusters move by the label-free view (risk/accounts.py); handed
    back to the accounts stage they are not moved again and give the run's accounts."""
    tables = syndicate.generate_marketplace(4_000, seed=2)
    dataset = syndicate.load_dataset({k: v for k, v in tables.items() if k != "truth"})
    expected = pipeline_run(dataset)
    assert "cluster_weight" in expected.manifest["accounts"]["metrics"]["label_free_view"]
    assert expected.clusters["member_pseudo_label_score"].is_not_null().any()
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    accounts, clusters = syndicate.score_accounts(dataset, links, members, expected.clusters, with_clusters=True)
    assert_frame_equal(accounts, expected.accounts)
    assert_frame_equal(clusters, expected.clusters)


def test_with_labels_clusters_moved_only_by_their_label_free_risk_are_not_moved_again(tmp_path):
    """A screen of new sign-ups: the clustered accounts have not acted yet, so with labels every
    cluster moves by its label-free risk (none by its members' mean); handed back, the clusters
    are not moved a second time. The accounts are the run's too: `find_clusters` hands on the
    cluster stage's cross-validation units, with the takeover groups and rings it joined (rebuilt
    from the link graph they were not, and 892 of 4,000 model scores differed by up to 0.03)."""
    from conftest import generate_data

    full = syndicate.load_dataset(generate_data("twentyfifth_marketplace.py", tmp_path / "data", accounts=4000, seed=1))
    clustered = pipeline_run(full).members["account_id"]
    dataset = dataclasses.replace(full, events=full.events.filter(~pl.col("account_id").is_in(clustered.implode())))
    expected = pipeline_run(dataset)
    view = expected.manifest["accounts"]["metrics"]["label_free_view"]
    assert view["clusters_read_by_label_free_risk"] > 0
    assert expected.clusters["member_pseudo_label_score"].is_null().all()
    assert expected.clusters["label_free_stand_in"].is_not_null().any()
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    accounts, clusters = syndicate.score_accounts(dataset, links, members, expected.clusters, with_clusters=True)
    assert_frame_equal(clusters, expected.clusters)
    assert_frame_equal(accounts, expected.accounts.select(accounts.columns))


def test_load_dataset_from_folder_and_tables(tables, run_dir):
    from_tables = syndicate.load_dataset(tables)
    from_folder = syndicate.load_dataset(run_dir.parent / "data")

    assert from_folder.row_counts() == from_tables.row_counts()
    assert syndicate.load_dataset(from_tables) is from_tables


def test_load_run_and_explain_cluster(run_dir):
    result = syndicate.load_run(run_dir)
    top = result.clusters["cluster_id"][0]

    explanation = syndicate.explain_cluster(result, top)

    assert explanation.columns == ["feature", "value", "contribution", "reason"]
    magnitudes = explanation["contribution"].abs().to_list()
    assert magnitudes == sorted(magnitudes, reverse=True)
    assert explanation["reason"].drop_nulls().len() > 0
    with pytest.raises(KeyError, match="no cluster 'C-missing'"):
        syndicate.explain_cluster(result, "C-missing")
    with pytest.raises(TypeError, match="not a rank or row number. Got int 3"):
        syndicate.explain_cluster(result, 3)


def test_explain_with_a_trained_model(run_dir):
    result = syndicate.load_run(run_dir)
    features = result.clusters.with_columns(
        # Enough labels of both classes for the example: the top 10 clusters bad, the rest good.
        pl.when(pl.col("rank") <= 10).then(2).otherwise(0).alias("n_known_bad"),
        pl.when(pl.col("rank") > 10).then(1).otherwise(0).alias("n_known_good"),
    ).drop("component", strict=False)
    trained = syndicate.fit_risk_model(features.drop("risk_score", "model_score", "rank"))

    explanation = syndicate.explain_cluster(result, result.clusters["cluster_id"][0], model=trained.model)

    assert explanation.height == len(trained.model.feature_names_)
    assert explanation["contribution"].is_finite().all()
    assert explanation.filter(pl.col("feature") == "size")["value"].to_list() == [result.clusters["size"][0]]


def test_pictures_investigation_and_case_export(run_dir, tables, tmp_path):
    from matplotlib.figure import Figure

    result = syndicate.load_run(run_dir)
    top = result.clusters["cluster_id"][0]

    graph = syndicate.draw_cluster(result, top, labels=tables["labels"])
    case = syndicate.investigate(run_dir, top)
    timeline = syndicate.draw_timeline(case)
    folders = syndicate.export_case(run_dir, top, out_dir=tmp_path / "cases")

    assert isinstance(graph, Figure) and isinstance(timeline, Figure)
    assert case.members.height == result.clusters["size"][0]
    assert case.evidence is not None and case.evidence.units.height > 0
    assert (folders[0] / "case.html").is_file()
    assert syndicate.cluster_members(run_dir, top).height == case.members.height


def test_evaluate_run_from_memory_and_folder_agree(run_dir, tables):
    result = syndicate.load_run(run_dir)

    from_memory = syndicate.evaluate_run(result, tables["truth"])
    from_folder = syndicate.evaluate_run(run_dir, tables["truth"])

    assert from_memory.metrics == from_folder.metrics
    strategies = syndicate.evaluate_strategies(result, [syndicate.Strategy("t", "review", 0.5)],
                                               truth=tables["truth"])
    assert strategies["precision"][0] == pytest.approx(from_memory.metrics["strategies"][0]["precision"])


def test_run_to_a_folder_needs_a_data_folder(tables, tmp_path):
    with pytest.raises(TypeError, match="'data' must be a data folder"):
        syndicate.run(tables, out_dir=tmp_path / "run")


def test_train_risk_model_on_folders(run_dir):
    # One small folder holds a few dozen labelled clusters: fewer than a bar of 500.
    config = Config()
    config = dataclasses.replace(config, risk=dataclasses.replace(config.risk, min_labelled_clusters=500))
    with pytest.raises(TrainingError, match="training needs at least 500 labelled clusters"):
        syndicate.train_risk_model([run_dir.parent / "data"], config=config)
    # One folder, as a str or a Path (a str was read one character at a time: "/" first).
    for one in (str(run_dir.parent / "data"), run_dir.parent / "data"):
        with pytest.raises(TrainingError, match="training needs at least 500 labelled clusters"):
            syndicate.train_risk_model(one, config=config)


def test_run_with_a_given_model_explains_with_it(run_dir, tmp_path):
    data_dir = run_dir.parent / "data"
    dataset = syndicate.load_dataset(data_dir)
    links = syndicate.build_links(dataset)
    features = syndicate.cluster_features(dataset, syndicate.find_clusters(links, dataset), links)
    ranked = syndicate.load_run(run_dir).clusters.select("cluster_id", "rank")
    # Stand-in labels with both classes: the run's top 10 clusters bad, the rest good.
    features = features.join(ranked, on="cluster_id").with_columns(
        ((pl.col("rank") <= 10).cast(pl.Int64) * 2).alias("n_known_bad"),
        (pl.col("rank") > 10).cast(pl.Int64).alias("n_known_good"),
    ).drop("rank")
    model = syndicate.fit_risk_model(features).model

    result = syndicate.run(data_dir, model=model, out_dir=tmp_path / "run")
    top = result.clusters["cluster_id"][0]

    assert set(result.clusters["score_source"]) == {"model"}
    assert syndicate.explain_cluster(result, top)["feature"].to_list()[0] in model.feature_names_
    with pytest.raises(ValueError, match="pass it as model="):
        syndicate.explain_cluster(tmp_path / "run", top)
    assert syndicate.explain_cluster(tmp_path / "run", top, model=model).height == len(model.feature_names_)


def test_cluster_units_handed_on_by_find_clusters_are_kept_and_gaps_are_units_of_their_own(tables):
    """`find_clusters`' ``component`` is the run's; a cluster added by hand (no unit) is one unit,
    not one per member; a ``component`` that is no integer is rebuilt from the links."""
    from syndicate.api import _cluster_meta
    from syndicate.pipeline import cluster_meta, fold_units_of

    dataset = syndicate.load_dataset(tables)
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    config = Config()
    meta = _cluster_meta(members, links, config)
    assert meta.columns == ["cluster_id", "component", "found_by"] and meta["component"].null_count() == 0
    assert_frame_equal(meta, members.group_by("cluster_id").agg(pl.col("component").first(), pl.col("found_by").first())
                       .sort("cluster_id"))
    added = pl.DataFrame({"account_id": ["x1", "x2", "x3"], "cluster_id": ["Cadded", "Cadded", "Cadded"]})
    with_added = _cluster_meta(pl.concat([members, added], how="diagonal"), links, config)
    gap = with_added.filter(pl.col("cluster_id") == "Cadded")["component"]
    assert gap.len() == 1 and gap[0] < min(meta["component"].min(), 0)
    assert_frame_equal(with_added.filter(pl.col("cluster_id") != "Cadded"), meta)
    as_text = _cluster_meta(members.with_columns(pl.col("component").cast(pl.String)), links, config)
    assert_frame_equal(as_text, cluster_meta(members.drop("component"), fold_units_of(links.edges, config, links=links)))


def test_tables_of_other_kinds_are_read_or_named(tables):
    # A LazyFrame (pl.scan_parquet) or a pyarrow Table gave a TypeError/AttributeError from polars.
    from syndicate.contract import ContractError

    given = {"accounts": tables["accounts"].lazy(), "signals": tables["signals"].to_arrow(),
             "events": tables["events"], "labels": tables["labels"]}
    assert syndicate.load_dataset(given).row_counts() == syndicate.load_dataset(tables).row_counts()
    with pytest.raises(ContractError, match="signals: is not a table .*got dict"):
        syndicate.load_dataset({"accounts": tables["accounts"], "signals": {"account_id": ["a"]}})
    with pytest.warns(UserWarning, match="table 'evnts' is no table of the data contract .*did you mean 'events'"):
        syndicate.load_dataset({"accounts": tables["accounts"], "signals": tables["signals"],
                                "evnts": tables["events"], "truth": tables["truth"]})


def test_every_stage_checks_its_config_first(tables):
    # Only run() checked: a seed of "3" reached sklearn, numpy or xgboost, a section given as a
    # dict passed the check and failed mid-pipeline.
    from syndicate.config import ConfigError

    dataset = syndicate.load_dataset(tables)
    links = syndicate.build_links(dataset)
    bad = [Config(seed="3"), Config(seed=-1), Config().replace(cluster={"min_edge_weight": 0.3})]
    for config in bad:
        for stage in (lambda: syndicate.build_links(dataset, config=config),
                      lambda: syndicate.find_clusters(links, dataset, config=config),
                      lambda: syndicate.train_risk_model([tables], config=config),
                      lambda: syndicate.run(dataset, config=config)):
            with pytest.raises(ConfigError, match="seed|'cluster' must be a ClusterConfig"):
                stage()
    with pytest.raises(ConfigError, match="config must be a syndicate Config"):
        syndicate.run(dataset, config={"seed": 3})


def test_summaries_of_datasets_and_links_show_no_identifier_values(tables):
    dataset = syndicate.load_dataset(tables)
    links = syndicate.build_links(dataset)
    shown = repr(dataset) + repr(links)
    assert "Dataset(rows: accounts=3,000" in shown and "Links(edges=" in shown
    values = set(tables["signals"]["value"].unique().to_list())
    assert not any(value in shown for value in values if len(value) > 4)


def test_api_errors_name_the_api_parameter(tables, run_dir, tmp_path):
    from syndicate.runs import OutputPathError

    with pytest.raises(OutputPathError, match="^out_dir .*is the data folder"):
        syndicate.run(run_dir.parent / "data", out_dir=run_dir.parent / "data")


def test_stage_results_of_another_dataset_are_named(tables):
    # Links of the whole marketplace with half its accounts: an IndexError in features/graph.py.
    dataset = syndicate.load_dataset(tables)
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    clusters = syndicate.score_clusters(syndicate.cluster_features(dataset, members, links))
    half = tables["accounts"]["account_id"].head(1_500).implode()
    smaller = syndicate.load_dataset({name: frame.filter(pl.col("account_id").is_in(half))
                                      for name, frame in tables.items() if name in ("accounts", "signals", "events")})
    with pytest.raises(ValueError, match="links were built from another dataset: 3,000 accounts there, "
                       "1,500 in this one \\(1,500 only there, such as '"):
        syndicate.score_accounts(smaller, links, members, clusters)
    with pytest.raises(ValueError, match="members must be find_clusters' table"):
        syndicate.cluster_features(dataset, members.select("account_id"), links)


def test_arguments_in_the_wrong_place_are_named(tables, run_dir):
    # Each of these ended in a polars ColumnNotFoundError or an AttributeError deep in a stage.
    dataset = syndicate.load_dataset(tables)
    links = syndicate.build_links(dataset)
    members = syndicate.find_clusters(links, dataset)
    features = syndicate.cluster_features(dataset, members, links)
    result = syndicate.load_run(run_dir)
    with pytest.raises(ValueError, match="features must be the table cluster_features\\(\\) returns"):
        syndicate.score_clusters(members)
    with pytest.raises(ValueError, match="clusters must be the table score_clusters\\(\\) returns"):
        syndicate.score_accounts(dataset, links, members, features)
    with pytest.raises(TypeError, match="find_clusters takes the link stage's result first"):
        syndicate.find_clusters(dataset)
    with pytest.raises(TypeError, match="run must be a RunResult .* Got DataFrame"):
        syndicate.explain_cluster(result.clusters, result.clusters["cluster_id"][0])
    with pytest.raises(TypeError, match="strategy must be a Strategy .*'ban'"):
        syndicate.strategy_hits(result, "ban")
    with pytest.raises(TypeError, match="a RunResult held only in memory"):
        syndicate.score_new(dataclasses.replace(result, run_dir=None), tables)
    few = tables["accounts"]["account_id"].head(50).implode()
    assert syndicate.score_new(result, {k: tables[k].filter(pl.col("account_id").is_in(few))
                                        for k in ("accounts", "signals")}) is not None

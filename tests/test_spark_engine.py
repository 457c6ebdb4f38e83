"""The Spark engine gives the polars engine's answers (local[2], small generated marketplaces).

One Spark session for the whole test session (start-up is ~10 s); shuffle partitions are few
and the UI is off so that the file stays within a couple of minutes. Skipped only when no Java
runtime is installed (pyspark itself comes with the dev extra).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.engines.spark.session import DEFAULT_CONF, java_available

pytestmark = [pytest.mark.skipif(not java_available(), reason="the Spark engine needs a Java runtime "
                                 "(java on the PATH or JAVA_HOME); none is installed"),
              pytest.mark.slow,
              # one worker runs them all: one JVM, one session (make test uses --dist loadscope:
              # a module on one worker; the group is for --dist loadgroup under pytest 8)
              pytest.mark.xdist_group("spark")]

from syndicate.cli import main  # noqa: E402
from syndicate.cluster.components import strong_components  # noqa: E402
from syndicate.config import Config, ConfigError  # noqa: E402
from syndicate.io import load_dataset  # noqa: E402
from syndicate.pipeline import link, run_to_folder  # noqa: E402
from conftest import run_cli  # noqa: E402

SPARK_CONF = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2", "spark.ui.enabled": "false",
              # The tests compare answers on 1,500 accounts, where Spark's per-job overhead is the
              # time: adaptive execution runs each shuffle stage as a job of its own (130 jobs for
              # one link stage against 48 without) and whole-stage code generation compiles every
              # new query. Both off: a cold link stage 43 -> 33 s. The end-to-end run below has
              # them as a user's session does (DEFAULT_CONF: adaptive on; ``user_defaults``).
              "spark.sql.adaptive.enabled": "false", "spark.sql.codegen.wholeStage": "false"}
# What a user's session runs with, for the end-to-end comparison (both settings are runtime ones).
USER_SETTINGS = {"spark.sql.adaptive.enabled": DEFAULT_CONF["spark.sql.adaptive.enabled"],
                 "spark.sql.codegen.wholeStage": "true"}
TABLES = ("members", "clusters", "edges", "accounts")


@pytest.fixture(scope="session")
def spark():
    from syndicate.engines.spark.session import spark_session

    session, _ = spark_session("local[2]", SPARK_CONF)
    yield session
    session.stop()


@pytest.fixture
def user_defaults(spark):
    """The engine's conf with a user's settings (``USER_SETTINGS``) for one test; the fast ones after."""
    yield {**SPARK_CONF, **USER_SETTINGS}
    for key in USER_SETTINGS:
        spark.conf.set(key, SPARK_CONF[key])


@pytest.fixture(scope="session")
def engine(spark):
    from syndicate.engines.spark.engine import SparkEngine

    return SparkEngine(session=spark)


@pytest.fixture(scope="session")
def market(tmp_path_factory):
    out = tmp_path_factory.mktemp("spark-market") / "data"
    run_cli("generate", out, "--accounts", 1500, "--seed", 1)
    return out


def _links(edges: pl.DataFrame):
    from syndicate.pipeline import Links

    return Links(edges=edges, hubs=pl.DataFrame())


def _reachable(edges: pl.DataFrame, config: Config, slow=None) -> pl.DataFrame:
    """The edges among ends of strong or co-action edges and members of the slow co-action
    groups (``slow``: the polars link stage's ``Links.slow``): what the Spark driver collects."""
    reach = edges.filter((pl.col("weight") >= config.cluster.min_edge_weight) | (pl.col("lockstep_bursts") > 0))
    parts = [reach["account_a"], reach["account_b"]]
    if slow is not None:
        parts.append(slow.groups["account_id"].cast(edges.schema["account_a"]))
    ends = pl.concat(parts).unique().implode()
    return edges.filter(pl.col("account_a").is_in(ends) & pl.col("account_b").is_in(ends))


def _assert_same_edges(spark_edges: pl.DataFrame, polars_edges: pl.DataFrame) -> None:
    assert spark_edges.schema == polars_edges.schema
    assert_frame_equal(spark_edges.select("account_a", "account_b"), polars_edges.select("account_a", "account_b"))
    assert_frame_equal(spark_edges, polars_edges, check_exact=False, abs_tol=1e-6)


def test_spark_mix_is_the_numpy_splitmix(spark):
    from pyspark.sql import functions as F

    from syndicate.engines.spark.lockstep import _signed, spark_mix
    from syndicate.link.lockstep import _mix

    values = np.array([0, 1, 2**31, 2**63 - 1, 2**63, 2**64 - 1, 0x243F6A88, 12345678901234567], dtype=np.uint64)
    frame = spark.createDataFrame([(_signed(v),) for v in values], "x long")
    result = np.array([r[0] for r in frame.select(spark_mix(F.col("x"))).collect()], dtype=np.int64)

    assert (result.view(np.uint64) == _mix(values)).all()


def test_components_of_a_long_chain_and_a_star(engine):
    # a chain of 40 (many rounds without pointer jumping), a star, and a weak edge that must not join
    chain = [(f"c{i:02d}", f"c{i + 1:02d}", 0.9) for i in range(39)]
    star = [("s0", f"s{i}", 0.5) for i in range(1, 6)]
    edges = pl.DataFrame(chain + star + [("c00", "s0", 0.05)], schema=["account_a", "account_b", "weight"],
                         orient="row").sort("account_a", "account_b")

    result = engine.components(_links(edges), min_edge_weight=0.2)
    expected = strong_components(edges, min_edge_weight=0.2)

    assert_frame_equal(result, expected)
    assert result["component"].n_unique() == 2


def test_review_ring_links_match_polars(engine, market):
    """The review-ring detector runs on the driver over the events Spark selects (those of
    target-actions that can burst), with the totals of all: the polars engine's groups."""
    config = Config()
    dataset = load_dataset(market)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["rare_coaction"] == expected.info["rare_coaction"]
    assert expected.info["rare_coaction"]["groups"] > 0
    assert 0 < expected.info["rare_coaction"]["events"] < dataset.events.height
    rare = [e.filter(pl.col("rare_coaction") > 0).select("account_a", "account_b", "rare_coaction_targets")
            for e in (result.edges, expected.edges)]
    assert rare[0].height > 0 and rare[0].equals(rare[1])
    assert engine.limitations(config) == []
    sparse = dataclasses.replace(config, cluster=dataclasses.replace(config.cluster, coaction_sparse=True))
    assert "does not look for sparse crews" in engine.limitations(sparse)[0]


def test_links_match_polars_with_capped_buckets(engine, market, tmp_path):
    """A tiny bucket cap caps most bursts: the same accounts are kept (the same hash)."""
    config = Config()
    config = config.replace(lockstep=dataclasses.replace(config.lockstep, bucket_cap=3))
    dataset = load_dataset(market)

    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["lockstep"]["buckets_capped"] == expected.info["lockstep"]["buckets_capped"] > 0
    assert result.info["edges"] == expected.edges.height
    # the driver holds the edges among accounts that can be clustered; the rest stays on Spark
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))
    assert 0 < result.edges.height < expected.edges.height
    # ... and the whole table, written from Spark, is the polars engine's
    engine.edges_writer(result)(tmp_path / "edges.parquet")
    _assert_same_edges(pl.read_parquet(tmp_path / "edges.parquet"),
                       expected.edges.with_columns(pl.col("weight").round(6)))
    assert_frame_equal(result.hubs, expected.hubs)
    # HDBSCAN's pool may reach past those accounts (without lockstep links): the edges among
    # any accounts can be collected
    some = pl.concat([expected.edges["account_a"], expected.edges["account_b"]]).unique().sort()[::7]
    wider = engine._collect_among(result, engine.spark.createDataFrame(pl.DataFrame({"account_id": some}).to_arrow()))
    among = expected.edges.filter(pl.col("account_a").is_in(some.implode()) & pl.col("account_b").is_in(some.implode()))
    _assert_same_edges(wider.edges, among)
    assert wider.edge_codes() is wider.codes and wider.codes.height == among.height


def test_run_folders_match_end_to_end(spark, market, tmp_path, user_defaults):
    """`syndicate run --engine spark` writes the polars run's edges, members, clusters, accounts
    (with the settings a user's session gets)."""
    base = Config(seed=1)
    polars_run = run_to_folder(market, tmp_path / "polars", config=base, quiet=True)
    spark_config = base.replace(engine=dataclasses.replace(base.engine, name="spark", conf=user_defaults))
    spark_run = run_to_folder(market, tmp_path / "spark", config=spark_config, quiet=True)

    # the driver collected the edges among accounts that can be clustered, not the weak rest
    _assert_same_edges(spark_run.edges, _reachable(polars_run.edges, base, link(load_dataset(market), base).slow))
    seconds = spark_run.manifest["engine"]["seconds"]
    assert seconds["edges_collected"] == spark_run.edges.height < seconds["edges_total"] == polars_run.edges.height
    # edges.parquet, written from Spark, has the polars engine's rows, types and order
    assert_frame_equal(pl.read_parquet(tmp_path / "spark" / "edges.parquet"),
                       pl.read_parquet(tmp_path / "polars" / "edges.parquet"), check_exact=False, abs_tol=1e-6)
    for name in TABLES:
        assert_frame_equal(pl.read_parquet(tmp_path / "spark" / f"{name}.parquet"),
                           pl.read_parquet(tmp_path / "polars" / f"{name}.parquet"),
                           check_exact=False, abs_tol=1e-6)
    assert spark_run.manifest["input_rows"] == polars_run.manifest["input_rows"]
    assert spark_run.manifest["timestamps"] == polars_run.manifest["timestamps"]
    assert spark_run.manifest["engine"]["name"] == "spark"
    assert {"spark_lockstep", "spark_components", "spark_behaviour"} <= set(seconds)
    assert {key: spark.conf.get(key) for key in USER_SETTINGS} == USER_SETTINGS
    # of the events the driver got the distinct targets of HDBSCAN's pool; of the signals,
    # the members' rows
    assert 0 < seconds["local_events"] < polars_run.manifest["input_rows"]["events"]
    held = load_dataset(market).signals.filter(pl.col("account_id").is_in(spark_run.members["account_id"].implode()))
    assert seconds["local_signals"] == held.select("account_id", "kind", "value").unique().height
    # group co-action delivery reads raw rows: those of members only
    of_members = load_dataset(market).events.filter(pl.col("account_id").is_in(spark_run.members["account_id"].implode()))
    assert seconds.get("member_events", 0) <= of_members.height
    # components on Spark equal scipy's on the same edges
    from syndicate.engines.spark.engine import SparkEngine

    engine = SparkEngine(session=spark)
    assert_frame_equal(engine.components(_links(polars_run.edges), min_edge_weight=base.cluster.min_edge_weight),
                       strong_components(polars_run.edges, min_edge_weight=base.cluster.min_edge_weight))


def test_events_and_signals_stay_on_spark(spark, market, monkeypatch):
    """After the behaviour stage the driver gets, of the events, only the distinct targets of
    HDBSCAN's pool, and of the signals only the members' rows; the per-cluster event counts
    taken on Spark are the polars engine's."""
    from syndicate.engines.spark.engine import SparkEngine
    from syndicate.features.clusters import behaviour_counts
    from syndicate.pipeline import cluster, hdbscan_pool

    config = Config(seed=1)
    engine = SparkEngine(session=spark)
    dataset = engine.load(market)
    links = engine.link(dataset, config)
    account_features = engine.behaviour(dataset, config)
    links = engine.local_links(links, account_features, config)
    local = engine.local_dataset(dataset, links, account_features, config)
    data = load_dataset(market)

    pool = hdbscan_pool(links, account_features, config).implode()
    of_pool = data.events.filter(pl.col("account_id").is_in(pool))
    pairs = of_pool.select(pl.col("account_id").cast(pl.String), pl.col("target_id").cast(pl.String)).unique()
    assert local.signals is None
    assert_frame_equal(local.events, pairs.sort("account_id", "target_id"))
    assert engine.timings["local_events"] == pairs.height < of_pool.height < data.events.height
    assert local.row_counts() == data.row_counts() and local.reference_time == data.reference_time

    members, _ = cluster(links.edges, config, dataset=local, account_features=account_features, links=links,
                         components=engine.components(links, min_edge_weight=config.cluster.min_edge_weight))
    ids = members["account_id"].implode()
    signals = engine.member_signals(local, members)
    # With each device or phone value's holder count across the whole table
    # (features.identity.VALUE_ACCOUNTS; null for the other kinds).
    from syndicate.features.identity import VALUE_ACCOUNTS, kind_family
    whole = data.signals.select("account_id", "kind", "value").unique()
    devices = [k for k in whole["kind"].unique().to_list() if kind_family(k) in ("device", "phone")]
    counts = whole.filter(pl.col("kind").is_in(devices)).group_by("kind", "value").agg(pl.len().alias(VALUE_ACCOUNTS))
    expected = whole.filter(pl.col("account_id").is_in(ids)).join(counts, on=["kind", "value"], how="left")
    assert_frame_equal(signals.sort(signals.columns), expected.sort(signals.columns).select(signals.columns),
                       check_dtypes=False)
    assert engine.timings["local_signals"] == signals.height < data.signals.height
    counts = engine.cluster_event_counts(local, members)
    assert_frame_equal(counts, behaviour_counts(members, data.events, accounts=data.accounts).sort("cluster_id"),
                       check_dtypes=False)
    assert 0 < counts.height <= members["cluster_id"].n_unique()
    # the members' action shares summed on Spark give the driver's action mix
    from syndicate.features.action_mix import action_mix, action_mix_from_events

    assert data.accounts["account_type"].n_unique() > 1  # the typed baseline is exercised
    mix = action_mix(members, data.accounts, *engine.action_mix_summary(local, members)).sort("cluster_id")
    expected = action_mix_from_events(members, data.accounts, data.events).sort("cluster_id")
    assert_frame_equal(mix, expected)  # sums in fixed point: the same figures, to the bit
    assert mix["action_mix"].drop_nulls().len() > 0
    # each account's own mix against its type's, summed on Spark: the polars engine's
    from syndicate.engines.spark.members import account_surprisal
    from syndicate.features.accounts import account_behaviour_features
    from syndicate.pipeline import dataset_now

    own = account_behaviour_features(data.events, data.accounts, now=dataset_now(data), extended=True)
    spark_own = account_surprisal(spark, engine._held_tables(local)["events"], data.accounts)
    joined = own.select("account_id", "action_surprisal", "action_surprisal_top").join(
        spark_own, on="account_id", suffix="_spark")
    assert joined.height == own.height == spark_own.height
    assert np.abs(joined["action_surprisal"] - joined["action_surprisal_spark"]).max() < 1e-9
    assert (joined["action_surprisal_top"] == joined["action_surprisal_top_spark"]).all()
    # ... and so with the vocabulary capped (features.action_mix.kept_actions) on both sides
    from syndicate.features import action_mix as mix_module

    monkeypatch.setattr(mix_module, "MAX_ACTIONS", 4)
    capped = action_mix(members, data.accounts, *engine.action_mix_summary(local, members)).sort("cluster_id")
    assert_frame_equal(capped, action_mix_from_events(members, data.accounts, data.events).sort("cluster_id"))
    assert not capped.equals(mix)


def test_without_lockstep_the_pool_brings_its_edges(market, tmp_path):
    """Without lockstep links HDBSCAN's pool is drawn from every active account, past the ends
    of strong edges: the driver collects the edges among it too, and the runs still agree."""
    base = Config(seed=1)
    base = base.replace(lockstep=dataclasses.replace(base.lockstep, enabled=False))
    polars_run = run_to_folder(market, tmp_path / "polars", config=base, quiet=True)
    spark_config = base.replace(engine=dataclasses.replace(base.engine, name="spark", conf=SPARK_CONF))
    spark_run = run_to_folder(market, tmp_path / "spark", config=spark_config, quiet=True)

    strong = polars_run.edges.filter(pl.col("weight") >= base.cluster.min_edge_weight)
    seconds = spark_run.manifest["engine"]["seconds"]
    assert seconds["local_accounts"] > pl.concat([strong["account_a"], strong["account_b"]]).n_unique()
    assert seconds["edges_collected"] < seconds["edges_total"]
    for name in TABLES:
        assert_frame_equal(pl.read_parquet(tmp_path / "spark" / f"{name}.parquet"),
                           pl.read_parquet(tmp_path / "polars" / f"{name}.parquet"),
                           check_exact=False, abs_tol=1e-6)


def test_engine_config_is_validated():
    with pytest.raises(ConfigError, match=r"'engine.name' parameter must be 'polars' or 'spark'. Got 'dask'"):
        Config.from_dict({"engine": {"name": "dask"}})
    with pytest.raises(ConfigError, match=r"'engine.conf' parameter must be a table of Spark setting"):
        Config.from_dict({"engine": {"conf": {"spark.executor.memory": ["4g"]}}})
    config = Config.from_dict({"engine": {"name": "spark", "conf": {"spark.sql.shuffle.partitions": 4}}})
    assert dict(config.engine.conf) == {"spark.sql.shuffle.partitions": "4"}
    assert Config.from_dict(config.to_dict()) == config


def test_missing_java_is_a_clear_error(monkeypatch, market, tmp_path, capsys):
    from pyspark.sql import SparkSession

    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    # as in a fresh process: no session to reuse (this test process has one)
    monkeypatch.setattr(SparkSession, "getActiveSession", classmethod(lambda cls: None))

    code = main(["run", str(market), "--out", str(tmp_path / "run"), "--engine", "spark"])

    err = capsys.readouterr().err
    assert code == 2
    assert "needs a Java runtime" in err and "--engine polars" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()


def test_missing_pyspark_is_a_clear_error(monkeypatch, market, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError

    code = main(["run", str(market), "--out", str(tmp_path / "run"), "--engine", "spark",
                 "--spark-master", "local[2]"])

    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'syndicate[spark]'" in err and "Traceback" not in err


def test_a_local_jvm_syndicate_starts_gets_half_the_machine(spark):
    """The session fixture's JVM was started by ``spark_session`` in local mode: Spark's 1 GB
    default failed the tenth marketplace at 100k accounts."""
    import os

    from syndicate.engines.spark.session import local_driver_memory, machine_memory_bytes

    expected = local_driver_memory("local[2]", SPARK_CONF, os.environ, machine_memory_bytes())
    assert spark.sparkContext.getConf().get("spark.driver.memory", None) == expected
    if expected is not None:
        heap = spark.sparkContext._jvm.java.lang.Runtime.getRuntime().maxMemory()
        assert heap > 0.8 * int(expected[:-1]) * 2**30, heap


def test_spark_running_out_of_memory_says_how_to_give_it_more(monkeypatch, market, tmp_path, capsys):
    """A Spark memory failure (here raised in place of a run: a real one takes a million
    accounts and half an hour) is a message with the remedy, not a Java traceback; any other
    Spark error still propagates."""
    import syndicate.pipeline
    from syndicate.engines.spark.session import spark_memory_advice

    Py4JJavaError = type("Py4JJavaError", (Exception,), {"__module__": "py4j.protocol"})
    oom = Py4JJavaError("An error occurred while calling o2187.collectToPython.\n: org.apache.spark."
                        "SparkException: Job aborted ... Caused by: org.apache.spark.memory.SparkOutOfMemory"
                        "Error: [AGGREGATE_OUT_OF_MEMORY] No enough memory for aggregation SQLSTATE: 82001")

    def fail(*args, **kwargs):
        raise oom

    monkeypatch.setattr(syndicate.pipeline, "run_to_folder", fail)
    code = main(["run", str(market), "--out", str(tmp_path / "run"), "--engine", "spark"])

    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "Spark ran out of memory (AGGREGATE_OUT_OF_MEMORY)" in err and "--driver-memory" in err
    assert "collectToPython" not in err  # the Java message itself is not repeated
    assert spark_memory_advice(Py4JJavaError("Table or view not found")) is None
    assert spark_memory_advice(MemoryError("not Spark")) is None


def test_spark_master_needs_the_spark_engine(market, tmp_path, capsys):
    code = main(["run", str(market), "--out", str(tmp_path / "run"), "--spark-master", "local[2]"])

    assert code == 2
    assert "--spark-master needs --engine spark" in capsys.readouterr().err


def test_problems_past_the_sample_are_counted_on_spark(spark, market, tmp_path, monkeypatch):
    """Rows the driver never sees are checked on Spark: missing values and unknown ids are
    reported with counts and examples, together, and nothing is written."""
    from syndicate.contract import ContractError
    from syndicate.engines.spark import load as spark_load
    from syndicate.engines.spark.engine import SparkEngine

    data = tmp_path / "data"
    data.mkdir()
    for name in ("accounts", "signals", "labels"):
        (data / f"{name}.parquet").write_bytes((market / f"{name}.parquet").read_bytes())
    events = pl.read_parquet(market / "events.parquet")
    spoilt = events.with_row_index("i").with_columns(
        pl.when(pl.col("i") == events.height - 1).then(None).otherwise(pl.col("target_id")).alias("target_id"),
        pl.when(pl.col("i") >= events.height - 3).then(pl.lit("ghost")).otherwise(pl.col("account_id")).alias("account_id"),
    ).drop("i")
    spoilt.write_parquet(data / "events.parquet")
    monkeypatch.setattr(spark_load, "SAMPLE_ROWS", 10)

    with pytest.raises(ContractError, match=r"(?s)events.target_id: 1 value is null or empty.*"
                                            r"events.account_id: 1 id not found in accounts, on 3 rows.*'ghost'"):
        SparkEngine(session=spark).load(data)


def test_a_social_links_kind_is_weighed_as_on_polars(engine, market, tmp_path):
    """A friend graph through most accounts is read as social on both engines (its links at
    attribute strength); a few "same person" links keep their weight; a referral star's links
    weigh as its hub's 30 partners say (1 / log2(31)) on both."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(market, data)
    ids = pl.read_parquet(data / "accounts.parquet")["account_id"].sort()
    chain = ids.head(1200)
    star = ids.slice(1401, 30)
    links = pl.DataFrame({"account_a": [*chain[:-1], ids[1300], ids[1302], *[ids[1400]] * 30],
                          "account_b": [*chain[1:], ids[1301], ids[1303], *star],
                          "kind": ["friend"] * (len(chain) - 1) + ["same_person"] * 2 + ["referral"] * 30})
    links.write_parquet(data / "links.parquet")
    config = Config()
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["given_social_kinds"] == expected.info["given_social_kinds"] == ["friend"]
    given = [e.filter(pl.col("given") > 0).select("account_a", "account_b", pl.col("given").round(5)).sort(
        "account_a", "account_b") for e in (result.edges, _reachable(expected.edges, config, expected.slow))]
    assert given[0].equals(given[1])
    strong = expected.edges.filter(pl.col("given") > 0.5)
    assert strong.height == 2  # the same-person links; the friends (0.15 / log2(3)) bind nobody alone
    referrals = given[1].filter(pl.col("account_a").is_in(star.implode()) | pl.col("account_b").is_in(star.implode()))
    assert referrals["given"].to_list() == pytest.approx([1 / np.log2(31)] * 30, abs=1e-5)


def _with_signals(market, tmp_path, kind: str, rows: pl.DataFrame):
    """A copy of ``market`` whose signals also hold ``rows`` (account_id, value) of ``kind``, each
    first seen when its account's first signal was."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(market, data)
    signals = pl.read_parquet(data / "signals.parquet")
    extra = rows.unique().with_columns(kind=pl.lit(kind)).join(
        signals.group_by("account_id").agg(pl.col("seen_at").min()), on="account_id", how="left")
    pl.concat([signals, extra.select(signals.columns)], how="vertical_relaxed").write_parquet(data / "signals.parquet")
    return data


def test_a_coarse_fingerprint_is_read_as_a_property_as_on_polars(engine, market, tmp_path):
    """A "ua_fp" kind most of whose rows sit on values beyond the hub cap: both engines read it
    as a shared property (the same share in the manifest) and give the same edges."""
    ids = pl.read_parquet(market / "accounts.parquet")["account_id"].sort()
    # 1,200 accounts on four browser builds (300 each, beyond the hub cap of 200), 300 on
    # thirty rarer ones (ten each).
    values = [f"fp{i % 4}" for i in range(1200)] + [f"rare{i % 30}" for i in range(300)]
    data = _with_signals(market, tmp_path, "ua_fp", pl.DataFrame({"account_id": ids.head(1500), "value": values}))
    config = Config()
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["kinds_read_as_properties"] == expected.info["kinds_read_as_properties"] == {"ua_fp": 0.8}
    assert result.property_kinds == expected.property_kinds == ("ua_fp",)
    assert expected.edges["ua_fp"].max() < config.cluster.min_edge_weight
    assert result.info["edges"] == expected.edges.height
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))


def test_a_fingerprint_on_no_persons_values_is_read_as_a_property_as_on_polars(engine, market, tmp_path):
    """A "ua_fp" kind under the hub cap whose every value 30 accounts share (none on three or
    fewer, where a person's devices sit): both engines read it as a property by that share,
    say so in the manifest's figures, and the run warns; the market's own devices stay devices."""
    from syndicate.pipeline import properties_warning

    ids = pl.read_parquet(market / "accounts.parquet")["account_id"].sort()
    data = _with_signals(market, tmp_path, "ua_fp",
                         pl.DataFrame({"account_id": ids.head(1500), "value": [f"fp{i % 50}" for i in range(1500)]}))
    config = Config()
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["kinds_read_as_properties"] == expected.info["kinds_read_as_properties"] == {"ua_fp": 0.0}
    assert result.info["small_value_shares"] == expected.info["small_value_shares"] == {"ua_fp": 0.0}
    assert result.property_kinds == expected.property_kinds == ("ua_fp",)
    assert expected.edges["ua_fp"].max() == pytest.approx(0.15 / np.log2(30), rel=1e-5)  # a device's: 0.9 / ...
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))
    warning = properties_warning(expected.info)
    assert "'ua_fp'" in warning and "property_small_share = 0" in warning
    off = link(dataset, config.replace(identity=dataclasses.replace(config.identity, property_small_share=0.0)))
    assert off.property_kinds == () and "small_value_shares" not in off.info and properties_warning(off.info) is None


def test_accounts_rotating_through_a_proxy_pool_are_scaled_as_on_polars(engine, market, tmp_path):
    """Sixty accounts drawing 30 exits each from a pool of 300 (link/identity.py churn_scale):
    both engines keep the same share of their IP evidence and report the same churn."""
    ids = pl.read_parquet(market / "accounts.parquet")["account_id"].sort().head(60)
    rng = np.random.default_rng(5)
    data = _with_signals(market, tmp_path, "ip", pl.DataFrame({
        "account_id": np.repeat(ids.to_numpy(), 30), "value": [f"exit{v}" for v in rng.integers(0, 300, 60 * 30)]}))
    config = Config()
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["churn"] == expected.info["churn"]
    assert expected.info["churn"]["ip"]["accounts_above"] >= 55
    assert result.info["edges"] == expected.edges.height
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))


def test_spark_reads_placeholders_as_polars_does(spark):
    """The one regular expression means the same to Java as to Rust, value by value: Unicode
    white space and case folding (which Rust reads and Java does not unless told) and a final
    line separator (Java's $) included, and a long run of spaces is read in linear time."""
    from pyspark.sql import functions as F
    from test_placeholders import PLACEHOLDERS, VALUES

    from syndicate.placeholders import is_placeholder, spark_is_placeholder

    odd = ["\u00a0unknown", "1111\u00a01111", "\u3000unknown", "un\u212anown", "\u017f\u017f\u017f\u017f",
           "0000\u2028", "null\u0085", " " * 1600 + "x", "0" * 5000]
    values = pl.DataFrame({"value": PLACEHOLDERS + VALUES + odd})
    frame = spark.createDataFrame(values.to_arrow()).withColumn("flag", spark_is_placeholder(F.col("value")))
    got = dict((r["value"], r["flag"]) for r in frame.collect())
    expected = dict(zip(values["value"], values.select(is_placeholder(pl.col("value"))).to_series()))
    assert got == expected and sum(expected.values()) == len(PLACEHOLDERS) + 1  # + the 5,000 zeros


def test_placeholder_identifiers_are_left_out_as_on_polars(spark, market, tmp_path):
    """Twelve accounts sending the all-zero advertising id, three an "unknown" device and four a
    platform's own default that the config names (``[identity] placeholder_values``): the Spark
    engine leaves the rows out over the whole table (past the contract's sample), counts them
    as the polars engine does and gives the same edges (none between the twelve)."""
    import shutil

    from syndicate.engines.spark.engine import SparkEngine

    data = tmp_path / "data"
    shutil.copytree(market, data)
    ids = pl.read_parquet(data / "accounts.parquet")["account_id"].sort()
    signals = pl.read_parquet(data / "signals.parquet")
    # the placeholders' sightings the latest of all: neither engine reads "now" from them
    late = pl.read_parquet(data / "events.parquet")["ts"].max() + timedelta(days=40)
    odd = pl.DataFrame({"account_id": ids.tail(19), "kind": ["ad_id"] * 12 + ["device"] * 7,
                        "value": ["00000000-0000-0000-0000-000000000000"] * 12 + [" Unknown"] * 3
                        + ["Device-Not-Granted "] * 4,
                        "seen_at": [late] * 19})
    pl.concat([signals, odd.select(signals.columns)], how="vertical_relaxed").write_parquet(data / "signals.parquet")
    config = Config.from_dict({"identity": {"placeholder_values": ["device-not-granted"]}})
    values = config.identity.placeholder_values
    expected_dataset = load_dataset(data, placeholder_values=values)
    expected = link(expected_dataset, config)
    engine = SparkEngine(session=spark)
    dataset = engine.load(data, placeholder_values=values)
    result = engine.link(dataset, config)

    own = load_dataset(market)  # the generator's own: GeneratorConfig.placeholder_share
    on_device = own.placeholders.get("by_kind", {}).get("device", 0)
    assert dataset.placeholders == expected_dataset.placeholders == {
        "rows": 19 + on_device, "accounts": 19 + on_device, "by_kind": {"ad_id": 12, "device": 7 + on_device}}
    assert dataset.reference_time == expected_dataset.reference_time == own.reference_time
    assert dataset.timestamps == expected_dataset.timestamps
    assert dataset.row_counts()["signals"] == expected_dataset.row_counts()["signals"] == own.row_counts()["signals"]
    assert "ad_id" not in expected.edges.columns
    assert result.info["edges"] == expected.edges.height
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))


def test_a_rings_place_ties_to_households_leave_the_edges_as_on_polars(engine, tmp_path):
    """A ring on households' IPs (residential proxies): both engines cut the same place ties
    (each member's to its household) and keep the same edges."""
    from test_link_rare_coaction import ring_on_household_ips

    data = tmp_path / "data"
    data.mkdir()
    for name, frame in ring_on_household_ips().items():
        frame.write_parquet(data / f"{name}.parquet")
    config = Config()
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["place_ties_cut"] == expected.info["place_ties_cut"] == 20
    assert result.info["edges"] == expected.edges.height
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))
    ring = expected.edges.filter(pl.col("rare_coaction") > 0)
    assert ring.height > 0
    members = set(ring["account_a"]) | set(ring["account_b"])
    households = expected.edges.filter(pl.col("account_a").str.starts_with("h") | pl.col("account_b").str.starts_with("h"))
    assert not households.filter(pl.col("account_a").is_in(members) | pl.col("account_b").is_in(members)).height


@pytest.mark.parametrize("account_targets", [False, True], ids=["default", "rare_account_targets"])
def test_attributions_and_events_on_accounts_are_read_as_on_polars(engine, tmp_path, account_targets):
    """A referral chain becomes "referred_by" links on both engines; a family paying each
    other is read by the review-ring detector on neither, or on both when the config says."""
    from test_link_attribution import family_paying_each_other

    data = tmp_path / "data"
    data.mkdir()
    for name, frame in family_paying_each_other().items():
        frame.write_parquet(data / f"{name}.parquet")
    config = Config().replace(lockstep=dataclasses.replace(Config().lockstep, rare_account_targets=account_targets))
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["attribution"] == expected.info["attribution"]
    assert list(result.info["attribution"]["actions"]) == ["invite_redeem"]
    assert result.attribution.sort("account_id", "value").equals(expected.attribution.sort("account_id", "value"))
    _assert_same_edges(result.edges, _reachable(expected.edges, config, expected.slow))
    assert ("rare_coaction" in expected.edges.columns) == account_targets


def test_takeover_waves_match_polars(spark):
    """The wave rules in Spark SQL give the polars engine's accounts and sizes, ties and window
    edges included (whole-second times, many on the same second)."""

    from syndicate.contract import validate
    from syndicate.engines.spark.read import normalised_tables, spark_frame
    from syndicate.engines.spark.takeover import spark_takeover_waves
    from syndicate.features.takeover import takeover_waves

    rng = np.random.default_rng(7)
    n = 400
    t0 = datetime(2024, 1, 1)
    accounts = pl.DataFrame({"account_id": [f"u{i:04d}" for i in range(n)],
                             "created_at": [t0 - timedelta(days=int(d)) for d in rng.integers(0, 900, n)]})
    rows = n * 3
    signals = pl.DataFrame({
        # the first 300 accounts (the planted groups below carry nothing else)
        "account_id": [f"u{i:04d}" for i in rng.integers(0, 300, rows)],
        "kind": rng.choice(["device_fp", "card", "ip", "address", "loyalty_id"], rows).tolist(),
        "value": [f"v{i}" for i in rng.integers(0, 60, rows)],
        # whole days and hours so that window edges and ties happen
        "seen_at": [t0 + timedelta(days=int(d), hours=int(h)) for d, h in
                    zip(rng.integers(31, 71, rows), rng.choice([0, 12], rows))],
    }).unique(subset=["account_id", "kind", "value"], keep="first", maintain_order=True)
    # Each kind's log begins a month before: one early sighting of a value of its own (and
    # the loyalty ids' log on day 20, so some of their sightings fall in its first month).
    kinds = ["device_fp", "card", "ip", "address", "loyalty_id"]
    signals = pl.concat([signals, pl.DataFrame({
        "account_id": ["u0000"] * 5, "kind": kinds, "value": [f"early-{k}" for k in kinds],
        "seen_at": [t0] * 4 + [t0 + timedelta(days=20)]})])
    # A ring moved to one IP, each victim on a new device of its own within days: a place wave
    # read only when confirmed by those devices (features/takeover.py confirmed_places).
    ring = [f"u{i:04d}" for i in range(300, 308)]
    moved = [t0 + timedelta(days=100 + i % 4) for i in range(8)]
    # Beside it, eight who moved to one IP with no new device (not read) and four who did with
    # new devices (a family's move: under a place's smallest wave).
    office = [f"u{i:04d}" for i in range(310, 318)]
    family = [f"u{i:04d}" for i in range(320, 324)]
    signals = pl.concat([signals, pl.DataFrame({
        "account_id": ring * 2 + office + family * 2,
        "kind": ["ip"] * 8 + ["device_fp"] * 8 + ["address"] * 8 + ["ip"] * 4 + ["device_fp"] * 4,
        "value": ["ring-ip"] * 8 + [f"emu-{i}" for i in range(8)] + ["office"] * 8 + ["home"] * 4
        + [f"tablet-{i}" for i in range(4)],
        "seen_at": moved + moved + moved + moved[:4] + moved[:4]})])
    # A household on one address since it signed up takes a new tablet (tied before: a
    # household's wave, no strength at four); three strangers, each with a phone of its own from
    # long before, take one new device (a strangers' wave: some strength at three).
    home = [f"u{i:04d}" for i in range(400, 404)]
    strangers = [f"u{i:04d}" for i in range(404, 407)]
    accounts = pl.concat([accounts, pl.DataFrame({"account_id": home + strangers,
                                                  "created_at": [t0 - timedelta(days=300)] * 7})])
    extra = pl.DataFrame({
        "account_id": home * 2 + strangers * 2,
        "kind": ["address"] * 4 + ["device_fp"] * 4 + ["card"] * 3 + ["device_fp"] * 3,
        "value": ["home-addr"] * 4 + ["home-tablet"] * 4 + [f"own-card-{i}" for i in range(3)] + ["op-device"] * 3,
        "seen_at": [t0 + timedelta(days=1)] * 4 + [t0 + timedelta(days=130 + i) for i in range(4)]
        + [t0 + timedelta(days=2)] * 3 + [t0 + timedelta(days=140 + i) for i in range(3)]})
    hubs = pl.DataFrame({"kind": ["card"], "value": ["v1"], "n_accounts": [99]},
                        schema_overrides={"n_accounts": pl.UInt32})
    # Later sightings of every pair, and pairs first "seen" in 1970: both engines keep the
    # earliest sighting, then set an implausible one to null (the polars contract's reading
    # and syndicate.asof; the Spark reading's normalisation).
    stray = signals.sample(40, seed=3).with_columns(pl.lit(datetime(1970, 1, 1)).alias("seen_at"))
    signals = pl.concat([signals, extra])
    doubled = pl.concat([signals, signals.with_columns(pl.col("seen_at") + timedelta(days=3)), stray])
    checked = validate({"accounts": accounts, "signals": doubled}, as_of=datetime(2030, 1, 1))
    assert checked.signals["seen_at"].null_count() == 40
    expected = takeover_waves(checked.accounts, checked.signals, hubs)
    assert expected.height > 20  # the data has waves to compare
    old = [a for a, c in zip(accounts["account_id"], accounts["created_at"]) if a in ring and c <= moved[0] - timedelta(days=30)]
    assert expected.filter(pl.col("account_id").is_in(old))["takeover_wave"].min() >= len(old) >= 5
    assert expected.filter(pl.col("account_id").is_in(office + family))["takeover_wave"].max() in (None, 3, 4)
    strength = dict(zip(expected["account_id"], expected["takeover_strength"]))
    assert [strength.get(a) for a in home] == [0.0] * 4
    assert [strength.get(a) for a in strangers] == [0.25] * 3
    read = normalised_tables({"signals": spark_frame(spark, doubled)}, reference_time=datetime(2030, 1, 1))
    got = spark_takeover_waves(spark, read["signals"], accounts, hubs, signals["kind"].unique().to_list())
    assert_frame_equal(got, expected)
    # Events from day 120 on: waves that began over a month before (the random ones of days
    # 31-71) are not read on either engine; the ring's (day 100) and later ones are.
    first = t0 + timedelta(days=120)
    later = takeover_waves(checked.accounts, checked.signals, hubs, first_event=first)
    assert 0 < later.height < expected.height and set(old) <= set(later["account_id"])
    got = spark_takeover_waves(spark, read["signals"], accounts, hubs, signals["kind"].unique().to_list(),
                               first_event=first)
    assert_frame_equal(got, later)


def test_dates_only_events_give_the_polars_features(spark, market, tmp_path):
    """Events recorded to the day (as public review datasets are): the Spark behaviour stage
    finds the same clock and gives the polars engine's features, bursts and rapid gaps 0."""
    from syndicate.engines.spark.engine import SparkEngine
    from syndicate.pipeline import behaviour

    data = tmp_path / "dates"
    data.mkdir()
    for table in market.iterdir():
        if table.name == "events.parquet":
            pl.read_parquet(table).with_columns(pl.col("ts").dt.truncate("1d")).write_parquet(data / table.name)
        elif table.suffix == ".parquet":
            pl.read_parquet(table).write_parquet(data / table.name)
    config = Config(seed=1)
    expected = behaviour(load_dataset(data), config)
    assert expected["burst_share"].max() == 0 and expected["rapid_gap_share"].max() == 0
    engine = SparkEngine(session=spark)
    got = engine.behaviour(engine.load(data), config)
    assert engine.clock_s == 86_400
    assert_frame_equal(got, expected, check_exact=False, abs_tol=1e-9)


@pytest.mark.parametrize("odd", ["infinite", "list", "stars"])
def test_an_odd_rating_column_gives_the_polars_features(spark, market, tmp_path, odd):
    """A rating column with an infinite value (no rating), of lists (no ratings at all, an
    extra column) or named ``stars`` (Yelp's name): the Spark behaviour stage reads it as
    polars does, and none crashes."""
    from syndicate.engines.spark.engine import SparkEngine
    from syndicate.pipeline import behaviour

    data = tmp_path / odd
    data.mkdir()
    for table in market.iterdir():
        if table.suffix != ".parquet":
            continue
        frame = pl.read_parquet(table)
        if table.name == "events.parquet":
            rating = pl.Series("rating", [1.0 + i % 5 for i in range(frame.height)])
            frame = frame.with_columns(rating)
            if odd == "infinite":
                frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(float("inf"))
                                           .otherwise(pl.col("rating")).alias("rating"))
            elif odd == "list":
                frame = frame.with_columns(pl.concat_list("rating").alias("rating"))
            else:
                frame = frame.rename({"rating": "stars"})
        frame.write_parquet(data / table.name)
    config = Config(seed=1)
    expected = behaviour(load_dataset(data), config)
    if odd == "stars":  # read as the rating column (not the actions' review_1..5): as if named so
        named = tmp_path / "named"
        named.mkdir()
        for table in data.iterdir():
            frame = pl.read_parquet(table)
            (frame.rename({"stars": "rating"}) if table.name == "events.parquet" else frame).write_parquet(
                named / table.name)
        assert_frame_equal(expected, behaviour(load_dataset(named), config))
        unread = behaviour(load_dataset(market), config)  # the actions' ratings only
        assert not expected["extreme_rating_share"].equals(unread["extreme_rating_share"])
    if odd == "list":  # read as if there were no rating column (the action names' ratings, if any)
        plain = tmp_path / "plain"
        plain.mkdir()
        for table in data.iterdir():
            frame = pl.read_parquet(table)
            (frame.drop("rating") if table.name == "events.parquet" else frame).write_parquet(plain / table.name)
        assert_frame_equal(expected, behaviour(load_dataset(plain), config))
    engine = SparkEngine(session=spark)
    got = engine.behaviour(engine.load(data), config)
    assert_frame_equal(got, expected, check_exact=False, abs_tol=1e-9)


def test_rating_bursts_match_polars(engine, tmp_path):
    """An attack on a well-rated business: both engines link the same raters, and leave out
    the two a shared device ties to an outsider already (read from Spark's link frames)."""
    from test_link_rating_bursts import T0, _events

    events = _events(attackers=6)
    accounts = events.select("account_id").unique().sort("account_id").with_columns(pl.lit(T0).alias("created_at"))
    signals = pl.DataFrame({"account_id": ["a000", "o000", "a001", "o001"], "kind": ["device"] * 4,
                            "value": ["d1", "d1", "d2", "d2"]})
    data = tmp_path / "data"
    data.mkdir()
    for name, frame in (("accounts", accounts), ("events", events), ("signals", signals)):
        frame.write_parquet(data / f"{name}.parquet")
    config = Config()
    dataset = load_dataset(data)
    result = engine.link(dataset, config)
    expected = link(dataset, config)

    assert result.info["rating_bursts"] == expected.info["rating_bursts"]
    assert expected.info["rating_bursts"]["accounts_tied_elsewhere"] == 2
    bursts = [e.filter(pl.col("rating_burst") > 0).select("account_a", "account_b", "rating_burst",
                                                           "rating_burst_targets").sort("account_a", "account_b")
              for e in (result.edges, expected.edges)]
    assert bursts[1].height == 6 and bursts[0].equals(bursts[1])


@pytest.mark.parametrize("named", [False, True], ids=["rating column", "ratings in action names"])
def test_rating_cells_match_polars_on_review_data(spark, tmp_path, named):
    """The cells' figures are Spark aggregates: the same integers as polars on a small ninth
    marketplace (reviews dated to the day), whether the ratings are a column or action names."""
    import subprocess
    import sys

    from conftest import BENCHMARKS
    from syndicate.engines.spark.rare import _rating_cells
    from syndicate.engines.spark.read import spark_frame
    from syndicate.link.rating_bursts import cell_figures, counted_cells, rated_events, settings_of

    data = tmp_path / "ninth"
    subprocess.run([sys.executable, str(BENCHMARKS / "ninth_marketplace.py"), str(data), "--accounts", "3000",
                    "--seed", "2"], check=True, capture_output=True, timeout=300)
    events = pl.read_parquet(data / "events.parquet")
    if named:
        events = events.with_columns(pl.format("stars_{}", pl.col("rating")).alias("action")).drop("rating")
    settings = settings_of(Config())
    expected = cell_figures(rated_events(events), settings)
    got = _rating_cells(spark, spark_frame(spark, events), settings)
    key = ["target", "phase", "cell"]
    assert expected[0].height > 0 and counted_cells(expected[0], settings).height > 0
    assert_frame_equal(got[0].sort(key), expected[0].sort(key))
    assert_frame_equal(got[1].sort(*key, "account_id"), expected[1].sort(*key, "account_id"))
    # The targets two or more members rated, counted on Spark: the polars count. Clusters of
    # the cells' low raters (members who rated together) and of twenty accounts each by id.
    from syndicate.engines.spark.members import cluster_co_rated
    from syndicate.features.clusters import CO_RATED, co_rating_features

    raters = expected[1].select("account_id", pl.format("cell{}", pl.col("target")).alias("cluster_id"))
    raters = raters.unique("account_id", keep="first", maintain_order=True)
    spread = (events.select("account_id").unique().sort("account_id")
              .filter(~pl.col("account_id").is_in(raters["account_id"].implode()))
              .with_columns(pl.format("block{}", pl.int_range(pl.len()) // 20).alias("cluster_id")))
    members = pl.concat([raters, spread])
    counted = co_rating_features(members, rated_events(events)).sort("cluster_id")
    assert counted[CO_RATED].max() > 0 and counted.height == members["cluster_id"].n_unique()
    assert_frame_equal(cluster_co_rated(spark, spark_frame(spark, events), members).sort("cluster_id"), counted)


def test_repeated_event_rows_are_counted_as_on_polars(spark):
    """An export appended twice: the Spark behaviour stage counts the repeated rows as the
    polars engine does (estimate, then the exact count near the bar; None far under it)."""
    from syndicate.encoding import encode_events, repeated_rows as polars_repeated
    from syndicate.engines.spark.behaviour import repeated_rows

    t0 = datetime(2026, 1, 1)
    n = 3_000
    events = pl.DataFrame({"account_id": [f"a{i % 40:02d}" for i in range(n)],
                           "action": ["like", "view", "share"] * (n // 3),
                           "target_id": [f"t{i % 101}" for i in range(n)],
                           "ts": pl.datetime_range(t0, t0 + pl.duration(seconds=n - 1), "1s", eager=True)})
    ids = pl.Series("account_id", [f"a{i:02d}" for i in range(40)])
    counted = []
    for frame, share in ((pl.concat([events, events.head(900)]), 0.1), (events, 0.1),
                         (pl.concat([events, events.head(15)]), 0.1), (pl.concat([events, events.head(300)]), 0.1)):
        rows = frame.select("account_id", "action", "target_id", pl.col("ts").dt.epoch("us").alias("t")).rows()
        on_spark = spark.createDataFrame(rows, "account_id string, action string, target_id string, t long")
        expected = polars_repeated(encode_events(frame, ids), at_least=share)
        assert repeated_rows(on_spark, frame.height, at_least=share) == expected
        counted.append(expected)
    assert counted == [900, None, None, 300]


def test_slow_coaction_clusters_match_polars(spark, tmp_path):
    """The slow co-action pass on Spark (its pairs, the edges among their ends and those
    accounts' slow bursts come to the driver) gives the polars run's groups and clusters."""
    from conftest import slow_farm_tables

    tables, farm = slow_farm_tables(n_organic=500)
    folder = tmp_path / "data"
    folder.mkdir()
    for name, frame in tables.items():
        frame.write_parquet(folder / f"{name}.parquet")
    config = Config(seed=1)
    polars_run = run_to_folder(folder, tmp_path / "polars", config=config, quiet=True)
    spark_config = config.replace(engine=dataclasses.replace(config.engine, name="spark", conf=SPARK_CONF))
    spark_run = run_to_folder(folder, tmp_path / "spark", config=spark_config, quiet=True)
    slow = polars_run.members.join(polars_run.clusters.filter(pl.col("found_by") == "slow_coaction"), on="cluster_id")
    assert len(set(slow["account_id"]) & farm) >= 0.9 * len(farm)
    counted = ("groups", "group_accounts", "bursts", "burst_memberships")
    assert ({k: spark_run.manifest["link"]["slow_lockstep"][k] for k in counted}
            == {k: polars_run.manifest["link"]["slow_lockstep"][k] for k in counted})
    assert "spark_slow_coaction" in spark_run.manifest["engine"]["seconds"]
    for name in ("members", "clusters"):
        assert_frame_equal(pl.read_parquet(tmp_path / "spark" / f"{name}.parquet"),
                           pl.read_parquet(tmp_path / "polars" / f"{name}.parquet"), check_exact=False, abs_tol=1e-6)

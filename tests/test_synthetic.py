"""The synthetic marketplace: contract, determinism, and the planted structures' fingerprints."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from polars.testing import assert_frame_equal
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from syndicate.placeholders import is_placeholder
from syndicate.synthetic import GeneratorConfig, ReviewSiteConfig, generate_marketplace, generate_review_site

REFERENCE = datetime(2026, 10, 1)
TS = pl.Datetime("us")
SCHEMAS = {
    "accounts": {"account_id": pl.String, "created_at": TS, "account_type": pl.String, "country": pl.String},
    "signals": {"account_id": pl.String, "kind": pl.String, "value": pl.String, "seen_at": TS},
    "events": {"account_id": pl.String, "action": pl.String, "target_id": pl.String, "ts": TS},
    "labels": {"account_id": pl.String, "label": pl.Int8},
    "truth": {"account_id": pl.String, "group_id": pl.String, "group_kind": pl.String, "is_bad": pl.Boolean},
}
BAD_KINDS = {"matrix_ring", "evasive_ring", "engagement_farm", "sparse_farm", "review_ring"}
BENIGN_KINDS = {"household", "agency", "viral_audience", "office_nat", "organic"}


@pytest.fixture(scope="module")
def market() -> dict[str, pl.DataFrame]:
    return generate_marketplace(20_000, seed=3)


def members_of(market, kind: str) -> pl.DataFrame:
    return market["truth"].filter(pl.col("group_kind") == kind).select("account_id", "group_id")


def test_returns_the_five_tables_in_contract_dtypes(market):
    assert set(market) == set(SCHEMAS)
    for name, schema in SCHEMAS.items():
        assert dict(market[name].schema) == schema, name


def test_same_seed_gives_equal_frames():
    first = generate_marketplace(4_000, seed=11)
    second = generate_marketplace(4_000, seed=11)
    for name in SCHEMAS:
        assert_frame_equal(first[name], second[name])


def test_different_seed_gives_different_frames():
    first = generate_marketplace(4_000, seed=11)
    second = generate_marketplace(4_000, seed=12)
    assert not first["accounts"].equals(second["accounts"])
    assert not first["events"].equals(second["events"])


def test_account_ids_are_unique(market):
    assert market["accounts"]["account_id"].is_unique().all()


@pytest.mark.parametrize("table", ["signals", "events", "labels", "truth"])
def test_every_account_id_is_in_accounts(market, table):
    unknown = market[table].join(market["accounts"], on="account_id", how="anti")
    assert unknown.height == 0


def test_truth_has_one_row_per_account_and_every_group_kind(market):
    truth = market["truth"]
    assert truth.height == market["accounts"].height
    assert truth["account_id"].is_unique().all()
    assert set(truth["group_kind"].unique()) == BAD_KINDS | BENIGN_KINDS
    assert truth["is_bad"].to_list() == truth["group_kind"].is_in(list(BAD_KINDS)).to_list()
    assert truth["group_id"].is_null().to_list() == (truth["group_kind"] == "organic").to_list()


def test_values_are_in_the_documented_sets(market):
    assert set(market["signals"]["kind"].unique()) == {"device", "payment", "ip", "phone", "email", "address"}
    actions = {"like", "follow", "comment", "order", "post", "upvote", "add_to_cart"}
    actions |= {f"review_{stars}" for stars in range(1, 6)}
    assert set(market["events"]["action"].unique()) == actions
    assert set(market["accounts"]["account_type"].unique()) <= {"personal", "creator", "business", "seller"}
    assert set(market["labels"]["label"].unique()) == {0, 1}
    assert market["accounts"]["country"].str.contains(r"^[A-Z]{2}$").all()


def test_no_repeated_signal_rows(market):
    signals = market["signals"]
    assert signals.unique(["account_id", "kind", "value"]).height == signals.height


def test_times_respect_creation_and_the_event_window(market):
    created = market["accounts"].select("account_id", "created_at")
    assert market["accounts"]["created_at"].max() < REFERENCE
    events = market["events"].join(created, on="account_id")
    assert (events["ts"] >= events["created_at"]).all()
    assert events["ts"].min() >= REFERENCE - timedelta(days=30)
    assert events["ts"].max() < REFERENCE
    signals = market["signals"].join(created, on="account_id")
    assert (signals["seen_at"] >= signals["created_at"]).all()
    assert signals["seen_at"].max() <= REFERENCE


def test_bad_group_count_scales_to_the_documented_range(market):
    bad = market["truth"].filter("is_bad")
    assert 25 <= bad["group_id"].n_unique() <= 45
    sizes = bad.group_by("group_kind", "group_id").len()
    ranges = {"matrix_ring": (8, 80), "evasive_ring": (8, 40), "engagement_farm": (50, 400),
              "sparse_farm": (30, 300), "review_ring": (6, 40)}
    for kind, (low, high) in ranges.items():
        kind_sizes = sizes.filter(pl.col("group_kind") == kind)["len"]
        assert kind_sizes.len() >= 1
        assert low <= kind_sizes.min() and kind_sizes.max() <= high


def device_holders(market, kind: str) -> pl.DataFrame:
    """Device values of a group kind's members, with how many accounts (anyone) hold each; the
    placeholders some phones send beside their device (GeneratorConfig.placeholder_share) are
    no device."""
    devices = market["signals"].filter((pl.col("kind") == "device") & ~is_placeholder(pl.col("value")))
    holders = devices.group_by("value").agg(pl.len().alias("holders"))
    return devices.join(members_of(market, kind), on="account_id").join(holders, on="value")


def test_some_phones_send_a_placeholder_beside_their_device(market):
    """GeneratorConfig.placeholder_share of the accounts with signals, from a generator of their
    own: without them every row is the same."""
    signals = market["signals"]
    odd = signals.filter(is_placeholder(pl.col("value")))
    assert odd.height > 0 and set(odd["kind"]) == {"device"} and odd["account_id"].n_unique() == odd.height
    assert set(odd["value"]) <= {"00000000-0000-0000-0000-000000000000", "unknown"}
    # every such account has a real device too, and the rest of the table is what it was
    real = signals.filter(~is_placeholder(pl.col("value")) & (pl.col("kind") == "device"))
    assert odd["account_id"].is_in(real["account_id"].implode()).mean() > 0.8
    n = market["accounts"].height
    plain = generate_marketplace(n, seed=3, config=GeneratorConfig(placeholder_share=0.0))  # as the fixture
    assert_frame_equal(signals.filter(~is_placeholder(pl.col("value"))), plain["signals"])
    assert_frame_equal(market["events"], plain["events"])


def test_matrix_rings_share_small_device_pools(market):
    per_ring = device_holders(market, "matrix_ring").group_by("group_id").agg(
        (pl.len() / pl.col("value").n_unique()).alias("accounts_per_device")
    )
    assert (per_ring["accounts_per_device"] > 2).all()


def test_farm_and_evasive_members_have_devices_of_their_own(market):
    for kind in ["engagement_farm", "evasive_ring", "sparse_farm", "review_ring"]:
        held = device_holders(market, kind)
        assert held.height > 0
        assert (held["holders"] == 1).all(), kind


def test_evasive_rings_are_connected_only_through_small_shared_values(market):
    members = members_of(market, "evasive_ring")
    shared = (
        market["signals"].join(members, on="account_id")
        .filter(pl.col("value").count().over("kind", "value") >= 2)
    )
    assert set(shared["kind"].unique()) <= {"payment", "phone"}
    assert shared.group_by("value").len()["len"].max() <= 5
    for (group_id,), ring in members.group_by("group_id"):
        index = {a: i for i, a in enumerate(ring["account_id"])}
        links = shared.filter(pl.col("group_id") == group_id).group_by("value").agg("account_id")
        rows, cols = [], []
        for accounts in links["account_id"]:
            rows += [index[accounts[0]]] * (len(accounts) - 1)
            cols += [index[a] for a in accounts[1:]]
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(index), len(index)))
        n_components, _ = connected_components(graph, directed=False)
        assert n_components == 1, group_id


def bursts_within(events: pl.DataFrame, seconds: int, min_accounts: int) -> pl.DataFrame:
    """Per group and target: targets where ``min_accounts`` members acted within ``seconds``."""
    return (
        events.sort("ts")
        .group_by("group_id", "target_id")
        .agg(pl.col("ts"), pl.col("account_id").n_unique().alias("accounts"))
        .with_columns(
            pl.col("ts").list.eval(
                (pl.element() - pl.element().shift(min_accounts - 1)).dt.total_seconds().min()
            ).list.first().alias("tightest")
        )
        .filter(pl.col("tightest") <= seconds)
    )


def test_farm_members_co_act_within_90_seconds_on_many_targets(market):
    events = market["events"].join(members_of(market, "engagement_farm"), on="account_id")
    per_farm = bursts_within(events, 90, 10).group_by("group_id").agg(pl.len().alias("targets"))
    assert per_farm.height == events["group_id"].n_unique()
    assert (per_farm["targets"] >= 15).all()


def job_runs(market, kind: str, gap: timedelta = timedelta(minutes=6)) -> pl.DataFrame:
    """Jobs read back from the data: a group's actions of one name on one target, in runs
    with no gap above ``gap``, that three or more members took part in."""
    members = members_of(market, kind)
    sizes = members.group_by("group_id").agg(pl.len().alias("size"))
    keys = ["group_id", "target_id", "action"]
    return (
        market["events"].join(members, on="account_id").sort([*keys, "ts"])
        .with_columns(
            ((pl.col("ts").diff() > gap) | pl.struct(keys).ne(pl.struct(keys).shift())).fill_null(True)
            .cum_sum().alias("run")
        )
        .group_by("group_id", "run")
        .agg(pl.col("account_id").n_unique().alias("workers"),
             (pl.col("ts").max() - pl.col("ts").min()).alias("duration"))
        .filter(pl.col("workers") >= 3)
        .join(sizes, on="group_id")
        .with_columns((pl.col("workers") / pl.col("size")).alias("share"))
    )


def test_sparse_farms_rotate_a_tenth_to_a_third_of_their_workers_per_job(market):
    jobs = job_runs(market, "sparse_farm")
    per_farm = jobs.group_by("group_id").agg(pl.len().alias("jobs"), pl.col("share").median())
    assert per_farm.height == members_of(market, "sparse_farm")["group_id"].n_unique() >= 4
    assert (per_farm["jobs"] >= 15).all()
    # Each job takes 10–35% of its farm (rounding moves small farms a little).
    assert jobs["share"].quantile(0.05) >= 0.08 and jobs["share"].quantile(0.95) <= 0.37
    assert 0.15 <= jobs["share"].median() <= 0.28
    # A job is spread over minutes, not seconds (a few runs are chance meetings on popular targets).
    assert jobs["duration"].median() >= timedelta(seconds=60)
    assert jobs["duration"].quantile(0.98) <= timedelta(minutes=6)


def test_sparse_farm_pairs_meet_on_few_targets(market):
    events = (market["events"].join(members_of(market, "sparse_farm"), on="account_id")
              .select("group_id", "account_id", "target_id", "ts"))
    pairs = (
        events.join(events, on=["group_id", "target_id"], suffix="_b")
        .filter((pl.col("account_id") < pl.col("account_id_b"))
                & ((pl.col("ts") - pl.col("ts_b")).abs() <= timedelta(seconds=90)))
        .group_by("account_id", "account_id_b").agg(pl.col("target_id").n_unique().alias("targets"))
    )
    # Co-acting pairs meet on about two targets; few reach the five a pairwise rule wants ...
    assert pairs["targets"].median() <= 3
    assert (pairs["targets"] >= 5).mean() <= 0.15
    # ... while each farm has dozens of targets that three or more workers hit within minutes.
    by_farm = job_runs(market, "sparse_farm").group_by("group_id").len()
    assert (by_farm["len"] >= 15).all()


def test_sparse_farm_workers_share_only_proxy_ips_with_ordinary_users(market):
    truth = market["truth"]
    signals = market["signals"].join(truth.select("account_id", "group_kind"), on="account_id")
    holders = signals.group_by("value").agg(
        pl.col("account_id").n_unique().alias("holders"),
        (pl.col("group_kind") == "sparse_farm").sum().alias("workers"),
    )
    shared = (signals.filter(pl.col("group_kind") == "sparse_farm").join(holders, on="value")
              .filter(pl.col("holders") >= 2))
    assert shared.height > 0
    assert set(shared["kind"].unique()) == {"ip"}
    per_ip = shared.unique("value")
    assert per_ip["workers"].median() >= 3  # several workers per proxy ...
    assert (per_ip["holders"] > per_ip["workers"]).mean() >= 0.9  # ... and ordinary users too
    assert per_ip["holders"].max() <= 60


def test_sparse_farm_workers_also_live_ordinary_lives(market):
    workers = members_of(market, "sparse_farm")
    events = market["events"].join(workers, on="account_id")
    on_jobs = job_runs(market, "sparse_farm")["workers"].sum()
    assert events.height > 1.5 * on_jobs


def test_review_rings_write_few_extreme_reviews_on_the_same_products_in_the_same_days(market):
    members = members_of(market, "review_ring")
    reviews = (market["events"].join(members, on="account_id")
               .filter(pl.col("action").str.starts_with("review_")))
    # What the ring was paid for: products that three or more members reviewed.
    ring_products = (reviews.group_by("group_id", "target_id")
                     .agg(pl.col("account_id").n_unique().alias("reviewers"), pl.col("ts"), pl.col("action"))
                     .filter(pl.col("reviewers") >= 3))
    assert ring_products["group_id"].n_unique() == members["group_id"].n_unique()
    per_ring = ring_products.explode("ts", "action").group_by("group_id").agg(
        (pl.col("ts").max() - pl.col("ts").min()).alias("span"),
        pl.col("action").is_in(["review_1", "review_5"]).mean().alias("extreme"),
    )
    assert per_ring["span"].max() <= timedelta(days=5)
    assert per_ring["extreme"].min() >= 0.75
    assert reviews.group_by("account_id").len()["len"].max() <= 6
    assert reviews["account_id"].n_unique() >= 0.95 * members.height


def test_bad_kinds_get_labels_like_the_others(market):
    labelled = market["labels"].filter(pl.col("label") == 1).join(market["truth"], on="account_id")
    for kind in ["sparse_farm", "review_ring"]:
        members = members_of(market, kind).height
        share = labelled.filter(pl.col("group_kind") == kind).height / members
        assert 0.0 < share < 0.8, kind


def test_alt_vocabulary_renames_every_action_and_nothing_else():
    default = generate_marketplace(3_000, seed=4)
    alt = generate_marketplace(3_000, seed=4, config=GeneratorConfig(action_vocabulary="alt"))
    names = {"heart", "subscribe", "reply", "purchase", "upload", "boost", "wishlist"}
    names |= {f"stars_{stars}" for stars in range(1, 6)}
    assert set(alt["events"]["action"].unique()) == names
    pairs = default["events"].select("action").with_columns(alt["events"]["action"].alias("alt")).unique()
    assert pairs.height == pairs["action"].n_unique() == pairs["alt"].n_unique()
    assert_frame_equal(default["events"].drop("action"), alt["events"].drop("action"))
    for name in ["accounts", "signals", "labels", "truth"]:
        assert_frame_equal(default[name], alt[name])


def most_in_window(ts: pl.Series, window: timedelta) -> int:
    """The largest number of timestamps inside one window of the given length."""
    values = np.sort(ts.to_numpy())
    window_end = np.searchsorted(values, values + np.timedelta64(window), side="right")
    return int((window_end - np.arange(len(values))).max())


def test_a_viral_audience_hits_one_target_within_minutes(market):
    audience = members_of(market, "viral_audience")
    events = market["events"].join(audience, on="account_id")
    top_target = (
        events.group_by("group_id", "target_id").agg(pl.col("account_id").n_unique().alias("accounts"))
        .sort("accounts", "target_id", descending=True).group_by("group_id").first()
    )
    sizes = audience.group_by("group_id").len()
    assert sizes.height >= 1
    for group_id, size in sizes.iter_rows():
        target = top_target.filter(pl.col("group_id") == group_id)["target_id"][0]
        ts = events.filter((pl.col("group_id") == group_id) & (pl.col("target_id") == target))["ts"]
        assert most_in_window(ts, timedelta(minutes=15)) >= 0.8 * size, group_id


def test_agency_handsets_are_shared_by_many_creators(market):
    per_value = device_holders(market, "agency").filter(pl.col("holders") >= 2)
    assert per_value["holders"].max() >= 10
    assert per_value["holders"].max() <= 40


def test_households_share_an_identifier(market):
    members = members_of(market, "household")
    signals = market["signals"].join(members, on="account_id")
    shared = signals.filter(pl.col("account_id").n_unique().over("value") >= 2)
    assert shared["group_id"].n_unique() == members["group_id"].n_unique()


def test_nat_ips_link_many_strangers(market):
    ips = market["signals"].filter(pl.col("kind") == "ip").join(market["truth"], on="account_id")
    per_value = ips.group_by("value").agg(pl.len().alias("holders"), pl.col("is_bad").any().alias("bad"))
    assert per_value.filter(pl.col("holders") >= 300).height >= 1
    # Proxy pools of large matrix rings reach 80 accounts; NATs are bigger and all benign.
    assert per_value.filter((pl.col("holders") > 80) & pl.col("bad")).height == 0


def test_ids_carry_no_group_hint(market):
    truth = market["truth"].with_row_index("row")
    bad = truth.filter("is_bad")
    # Members of one group are scattered over the accounts table, not in runs.
    neighbours = truth["group_id"].head(-1) == truth["group_id"].tail(-1)
    assert (neighbours & truth["is_bad"].head(-1)).sum() <= 0.05 * bad.height
    for (group_id,), group in bad.group_by("group_id"):
        assert group["row"].max() - group["row"].min() > 5 * group.height, group_id
        # Beyond the leading "a", member ids share no prefix.
        assert group["account_id"].str.slice(1, 2).n_unique() > 1, group_id
    device_values = device_holders(market, "matrix_ring")["value"].unique()
    assert device_values.str.slice(0, 2).n_unique() > 1
    assert market["events"]["target_id"].str.len_chars().n_unique() == 1


def test_labels_are_few_biased_and_leave_groups_unlabelled(market):
    labels = market["labels"].join(market["truth"], on="account_id")
    n_accounts = market["accounts"].height
    assert 0.03 <= labels.height / n_accounts <= 0.08
    assert labels["account_id"].is_unique().all()
    bad_share_among_labels = labels["is_bad"].mean()
    assert bad_share_among_labels > 2 * market["truth"]["is_bad"].mean()
    wrong = labels.filter((pl.col("label") == 1) != pl.col("is_bad")).height / labels.height
    assert 0.005 <= wrong <= 0.05
    groups = market["truth"].filter("is_bad").join(market["labels"], on="account_id", how="left")
    labelled = groups.group_by("group_id").agg(pl.col("label").is_not_null().any())["label"]
    assert (~labelled).mean() >= 0.2


def test_creation_bursts_and_spreads(market):
    spans = (
        market["accounts"].join(market["truth"], on="account_id")
        .filter(pl.col("group_id").is_not_null())
        .group_by("group_kind", "group_id")
        .agg((pl.col("created_at").max() - pl.col("created_at").min()).alias("span"))
        .group_by("group_kind")
        .agg(pl.col("span").min().alias("shortest"), pl.col("span").max().alias("longest"))
    )
    span = {kind: (low, high) for kind, low, high in spans.iter_rows()}
    assert span["matrix_ring"][1] <= timedelta(days=4)
    assert span["evasive_ring"][0] >= timedelta(days=7)
    assert span["engagement_farm"][0] >= timedelta(days=7)
    assert span["sparse_farm"][0] >= timedelta(days=7)
    assert span["agency"][0] >= timedelta(days=30)


def test_reference_time_moves_every_timestamp():
    reference = datetime(2025, 3, 1)
    tables = generate_marketplace(2_000, seed=5, config=GeneratorConfig(reference_time=reference))
    assert tables["accounts"]["created_at"].max() < reference
    assert tables["events"]["ts"].min() >= reference - timedelta(days=30)
    assert tables["events"]["ts"].max() < reference


def test_account_types_of_structures(market):
    types = market["accounts"].join(market["truth"], on="account_id")
    agency = types.filter(pl.col("group_kind") == "agency")
    assert (agency["account_type"] == "creator").mean() > 0.6
    rings = types.filter(pl.col("group_kind") == "matrix_ring")
    assert rings["account_type"].is_in(["personal", "seller"]).mean() > 0.8


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_accounts=st.integers(1, 600), seed=st.integers(0, 2**32 - 1))
def test_any_size_gives_a_consistent_marketplace(n_accounts, seed):
    tables = generate_marketplace(n_accounts, seed=seed)
    ids = tables["accounts"]["account_id"]
    assert ids.len() == n_accounts and ids.is_unique().all()
    assert tables["truth"]["account_id"].to_list() == ids.to_list()
    for name in ["signals", "events", "labels"]:
        assert tables[name]["account_id"].is_in(ids.implode()).all(), name
    assert tables["signals"].unique(["account_id", "kind", "value"]).height == tables["signals"].height


def test_config_changes_the_marketplace():
    quiet = generate_marketplace(3_000, seed=1, config=GeneratorConfig(events_per_account=2.0))
    busy = generate_marketplace(3_000, seed=1)
    assert quiet["events"].height < busy["events"].height / 3


def test_config_round_trips_through_a_dict():
    config = GeneratorConfig(matrix_rings_per_10k=8.0, household_size=(2, 4))
    assert GeneratorConfig.from_dict(config.to_dict()) == config


def test_bad_config_names_the_key():
    with pytest.raises(ValueError, match="'household_size' must be a pair of ints"):
        GeneratorConfig(household_size=(5, 2))
    with pytest.raises(ValueError, match="'label_share' must be in \\[0, 1\\]"):
        GeneratorConfig(label_share=1.5)
    with pytest.raises(ValueError, match="'action_vocabulary' must be one of 'default', 'alt'. Got 'x'"):
        GeneratorConfig(action_vocabulary="x")
    with pytest.raises(ValueError, match="Unknown GeneratorConfig key\\(s\\) \\['farms'\\]"):
        GeneratorConfig.from_dict({"farms": 3})


def test_bad_account_count_is_rejected():
    with pytest.raises(ValueError, match="'n_accounts' parameter must be an int >= 1. Got 0"):
        generate_marketplace(0)


# --- the review-site scenario ----------------------------------------------------------------

REVIEW_SCHEMAS = {
    "accounts": {"account_id": pl.String, "created_at": TS},
    "events": SCHEMAS["events"],
    "truth": SCHEMAS["truth"],
}
STARS = [f"review_{stars}" for stars in range(1, 6)]


@pytest.fixture(scope="module")
def site() -> dict[str, pl.DataFrame]:
    return generate_review_site(20_000, seed=3)


def test_review_site_is_events_only_in_contract_dtypes(site):
    assert {name: dict(site[name].schema) for name in site} == REVIEW_SCHEMAS
    assert site["accounts"]["account_id"].is_unique().all()
    assert site["truth"]["account_id"].to_list() == site["accounts"]["account_id"].to_list()
    assert set(site["events"]["action"].unique()) == set(STARS)
    # Every account reviewed something, after it was created.
    events = site["events"].join(site["accounts"], on="account_id")
    assert events["account_id"].n_unique() == site["accounts"].height
    assert (events["ts"] >= events["created_at"]).all()
    assert events["ts"].max() < REFERENCE


def test_review_site_is_deterministic_by_seed():
    first, second = generate_review_site(3_000, seed=8), generate_review_site(3_000, seed=8)
    for name in REVIEW_SCHEMAS:
        assert_frame_equal(first[name], second[name])
    assert not first["events"].equals(generate_review_site(3_000, seed=9)["events"])


def test_review_site_kinds_and_spam_share(site):
    truth = site["truth"]
    kinds = truth.group_by("group_kind").agg(pl.len(), pl.col("is_bad").all().alias("bad"),
                                              pl.col("group_id").n_unique().alias("groups"))
    kind = {row["group_kind"]: row for row in kinds.iter_rows(named=True)}
    assert set(kind) == {"organic", "honest_burst", "spam_ring", "lone_spammer"}
    assert kind["spam_ring"]["bad"] and kind["lone_spammer"]["bad"]
    assert not truth.filter(pl.col("group_kind").is_in(["organic", "honest_burst"]))["is_bad"].any()
    assert 0.05 <= truth["is_bad"].mean() <= 0.25
    assert kind["spam_ring"]["groups"] >= 30 and kind["honest_burst"]["groups"] >= 5
    # Lone spammers belong to no group.
    assert truth.filter(pl.col("group_kind") == "lone_spammer")["group_id"].null_count() == kind["lone_spammer"]["len"]


def reviews_per_account(site) -> pl.DataFrame:
    return site["events"].group_by("account_id").len().join(site["truth"], on="account_id")


def test_review_site_has_many_one_review_accounts_and_popular_products(site):
    honest = reviews_per_account(site).filter(pl.col("group_kind") == "organic")
    assert (honest["len"] == 1).mean() >= 0.5
    assert honest["len"].max() >= 50
    per_product = site["events"].group_by("target_id").len()["len"].sort(descending=True)
    top_share = per_product.head(per_product.len() // 100).sum() / per_product.sum()
    assert top_share >= 0.2  # the top 1% of products collect a fifth of the reviews


def test_spam_rings_review_the_same_products_in_the_same_days_with_extreme_ratings(site):
    members = site["truth"].filter(pl.col("group_kind") == "spam_ring").select("account_id", "group_id")
    reviews = site["events"].join(members, on="account_id")
    # Most of a ring's reviews fall in one five-day campaign (the rest is camouflage) ...
    in_campaign = [most_in_window(ring["ts"], timedelta(days=5)) / ring.height
                   for _, ring in reviews.group_by("group_id")]
    assert np.quantile(in_campaign, 0.1) >= 0.6
    # ... on products that several members review, with extreme ratings.
    shared = (reviews.group_by("group_id", "target_id")
              .agg(pl.col("account_id").n_unique().alias("reviewers"), pl.col("action"))
              .filter(pl.col("reviewers") >= 3))
    assert shared["group_id"].n_unique() >= 0.8 * members["group_id"].n_unique()
    assert shared.explode("action")["action"].is_in(["review_1", "review_5"]).mean() >= 0.8
    assert reviews_per_account(site).filter(pl.col("group_kind") == "spam_ring")["len"].max() <= 6


def test_lone_spammers_write_few_extreme_reviews_soon_after_sign_up(site):
    lone = site["truth"].filter(pl.col("group_kind") == "lone_spammer").select("account_id")
    events = site["events"].join(lone, on="account_id").join(site["accounts"], on="account_id")
    per_account = events.group_by("account_id").agg(
        pl.len(), (pl.col("ts").min() - pl.col("created_at").first()).alias("delay"))
    assert per_account["len"].max() <= 3
    assert per_account["delay"].max() <= timedelta(days=3)
    assert events["action"].is_in(["review_1", "review_5"]).mean() >= 0.85


def test_honest_bursts_hit_one_popular_product_within_days(site):
    members = site["truth"].filter(pl.col("group_kind") == "honest_burst").select("account_id", "group_id")
    events = site["events"].join(members, on="account_id")
    popularity = site["events"].group_by("target_id").len().with_columns(
        pl.col("len").rank(descending=True).alias("rank"))
    top = (events.group_by("group_id", "target_id").agg(pl.col("account_id").n_unique().alias("n"), pl.col("ts"))
           .sort("n", "target_id", descending=True).group_by("group_id").first()
           .join(members.group_by("group_id").len().rename({"len": "size"}), on="group_id")
           .join(popularity, on="target_id"))
    assert (top["n"] == top["size"]).all()  # every burst reviewer reviewed the burst's product
    assert (top["rank"] <= popularity.height * 0.05).all()
    for ts, size in zip(top["ts"], top["size"]):  # within three days
        assert most_in_window(ts, timedelta(days=3)) >= size


def test_review_site_labels_only_when_asked():
    site = generate_review_site(2_000, seed=2, config=ReviewSiteConfig(label_share=0.3))
    labels = site["labels"].join(site["truth"], on="account_id")
    assert labels.height == 600
    assert (labels["label"] == labels["is_bad"].cast(pl.Int8)).all()
    assert "labels" not in generate_review_site(2_000, seed=2)


def test_review_site_config_is_checked():
    with pytest.raises(ValueError, match="'reviews_per_account_exponent' must be > 1. Got 1.0"):
        ReviewSiteConfig(reviews_per_account_exponent=1.0)
    with pytest.raises(ValueError, match="'spam_ring_size' must be a pair of ints"):
        ReviewSiteConfig(spam_ring_size=(1, 3))
    with pytest.raises(ValueError, match="'n_accounts' parameter must be an int >= 1. Got 0"):
        generate_review_site(0)
    config = ReviewSiteConfig(spam_rings_per_10k=5.0)
    assert ReviewSiteConfig.from_dict(config.to_dict()) == config


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n_accounts=st.integers(1, 400), seed=st.integers(0, 2**32 - 1))
def test_any_size_gives_a_consistent_review_site(n_accounts, seed):
    site = generate_review_site(n_accounts, seed=seed)
    ids = site["accounts"]["account_id"]
    assert ids.len() == n_accounts and ids.is_unique().all()
    assert site["events"]["account_id"].is_in(ids.implode()).all()
    assert site["events"]["account_id"].n_unique() == n_accounts


@pytest.mark.parametrize("scenario, actions", [
    ("alt-actions", {"heart", "stars_5", "wishlist"}),
    ("reviews", set(STARS)),
])
def test_cli_generate_scenarios(tmp_path, scenario, actions):
    import subprocess
    import sys

    out = tmp_path / scenario
    done = subprocess.run([sys.executable, "-m", "syndicate", "generate", str(out), "--accounts", "1000",
                           "--seed", "1", "--scenario", scenario], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert actions <= set(pl.read_parquet(out / "events.parquet")["action"].unique())
    assert (out / "truth.parquet").exists()
    assert (out / "signals.parquet").exists() == (scenario != "reviews")


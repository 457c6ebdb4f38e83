from datetime import datetime, timedelta

import polars as pl
import pytest

from syndicate.features.clusters import cluster_features, model_feature_names, LABEL_FEATURES

NOW = datetime(2026, 1, 31)


def _dataset():
    accounts = pl.DataFrame({
        "account_id": ["r1", "r2", "r3", "r4", "h1", "h2"],
        "created_at": [NOW - timedelta(days=10, hours=h) for h in (0, 1, 2, 3)]
                      + [NOW - timedelta(days=900), NOW - timedelta(days=100)],
        "country": ["DE", "DE", "DE", "FR", "US", "US"],
    }).with_columns(pl.col("created_at").cast(pl.Datetime("us")))
    signals = pl.DataFrame({
        "account_id": ["r1", "r2", "r3", "r4", "r1", "r2", "h1", "h2", "h1"],
        "kind": ["device"] * 4 + ["payment"] * 2 + ["ip", "ip", "device"],
        "value": ["d1", "d1", "d1", "d2", "c1", "c1", "home", "home", "dh"],
    })
    members = pl.DataFrame({"account_id": ["r1", "r2", "r3", "r4", "h1", "h2"],
                            "cluster_id": ["R", "R", "R", "R", "H", "H"]})
    edges = pl.DataFrame({
        "account_a": ["r1", "r1", "r2", "h1"], "account_b": ["r2", "r3", "r3", "h2"],
        "weight": [0.9, 0.6, 0.6, 0.35],
        "device": pl.Series([0.6, 0.6, 0.6, 0.0], dtype=pl.Float32),
        "ip": pl.Series([0.0, 0.0, 0.0, 0.35], dtype=pl.Float32),
        "payment": pl.Series([0.9, 0.0, 0.0, 0.0], dtype=pl.Float32),
    })
    labels = pl.DataFrame({"account_id": ["r1", "h2"], "label": [1, 0]})
    return accounts, signals, members, edges, labels


def test_known_answers_for_a_ring_and_a_household():
    accounts, signals, members, edges, labels = _dataset()
    f = cluster_features(members, edges, accounts=accounts, signals=signals, labels=labels, now=NOW)
    ring = f.filter(pl.col("cluster_id") == "R").row(0, named=True)
    home = f.filter(pl.col("cluster_id") == "H").row(0, named=True)
    assert ring["size"] == 4 and ring["n_edges"] == 3
    assert ring["density"] == pytest.approx(3 / 6)
    assert ring["max_accounts_per_device"] == 3 and ring["device_values"] == 2
    assert ring["accounts_per_device"] == pytest.approx(4 / 2)
    assert ring["created_within_1d"] == 4 and ring["created_within_7d_share"] == 1.0
    assert ring["young_30d_share"] == 1.0 and ring["top_country_share"] == 0.75
    assert ring["n_known_bad"] == 1 and ring["known_bad_share"] == 0.25
    assert ring["evidence_ip"] == 0.0 and ring["evidence_device"] == pytest.approx(1.8 / 2.7)
    assert home["created_within_7d"] == 1 and home["created_span_days"] == pytest.approx(800)
    assert home["evidence_ip"] == pytest.approx(1.0) and home["n_known_good"] == 1


def test_link_kinds_in_a_datasets_own_words_count_as_the_kind_they_name():
    # "device_fp", "ipv4" and "card_hash" evidence is device, IP and payment evidence, as for
    # the identity features; a kind with no identity name stays "other".
    accounts, signals, members, edges, labels = _dataset()
    own = edges.rename({"device": "device_fp", "ip": "ipv4", "payment": "card_hash"})
    f = cluster_features(members, own, accounts=accounts, signals=signals, labels=labels, now=NOW)
    ring = f.filter(pl.col("cluster_id") == "R").row(0, named=True)
    home = f.filter(pl.col("cluster_id") == "H").row(0, named=True)
    assert ring["evidence_device"] == pytest.approx(1.8 / 2.7) and ring["evidence_other"] == 0.0
    assert home["evidence_ip"] == pytest.approx(1.0) and home["evidence_other"] == 0.0
    loyalty = edges.rename({"device": "loyalty_id"})
    ring = cluster_features(members, loyalty, accounts=accounts, now=NOW).filter(pl.col("cluster_id") == "R")
    assert ring["evidence_other"][0] == pytest.approx(1.8 / 2.7) and ring["evidence_device"][0] == 0.0


def test_a_kind_read_as_a_property_is_no_identity_kind():
    # A kind the run reads as a shared property (IdentityConfig.property_kinds) counts as "other"
    # evidence and no device, whether its name is a device's or the identity kind's own.
    accounts, signals, members, edges, labels = _dataset()
    for kind in ("device", "ua_fp"):
        renamed = edges.rename({"device": kind}) if kind != "device" else edges
        f = cluster_features(members, renamed, accounts=accounts, signals=signals.with_columns(
            pl.col("kind").replace({"device": kind})), now=NOW, properties=(kind,))
        ring = f.filter(pl.col("cluster_id") == "R").row(0, named=True)
        assert ring["evidence_device"] == 0.0 and ring["evidence_other"] == pytest.approx(1.8 / 2.7)
        assert ring["device_values"] == 0 and ring["max_accounts_per_device"] == 0


def test_labels_are_not_model_features():
    accounts, signals, members, edges, labels = _dataset()
    f = cluster_features(members, edges, accounts=accounts, signals=signals, labels=labels, now=NOW)
    names = model_feature_names(f)
    assert not set(LABEL_FEATURES) & set(names)
    assert "size" in names and "cluster_id" not in names
    # A run's clusters table (fit_risk_model takes one) also holds what was made of labels: the
    # scores and the look-alikes' evidence. None of it is a feature.
    run_table = f.with_columns(pl.lit(0.9).alias("risk_score"), pl.lit(0.8).alias("model_score"),
                               pl.lit(1).alias("rank"), pl.lit(3).alias("previous_size"),
                               pl.lit(1.2).alias("lookalike_good"), pl.lit(0.0).alias("lookalike_bad"))
    assert model_feature_names(run_table) == names


def test_features_without_signals_or_events():
    accounts, _, members, edges, _ = _dataset()
    f = cluster_features(members, edges, accounts=accounts, now=NOW)
    assert f.height == 2 and f["no_signal_share"].to_list() == [1.0, 1.0]
    nulls = f.select(model_feature_names(f)).null_count().row(0, named=True)
    # account_type is an optional column: its feature is missing (XGBoost handles missing), not 0.
    assert {c for c, n in nulls.items() if n} == {"top_account_type_share"}


def test_rare_targets_per_pair_averages_only_the_rare_co_action_links():
    accounts, signals, members, edges, labels = _dataset()
    edges = edges.with_columns(pl.Series("rare_coaction", [0.4, 0.4, 0.0, 0.0], dtype=pl.Float32),
                               pl.Series("rare_coaction_targets", [3, 1, 0, 0], dtype=pl.UInt32))
    f = cluster_features(members, edges, accounts=accounts, signals=signals, labels=labels, now=NOW)
    ring = f.filter(pl.col("cluster_id") == "R").row(0, named=True)
    home = f.filter(pl.col("cluster_id") == "H").row(0, named=True)
    assert ring["mean_rare_targets"] == pytest.approx(2.0)  # (3 + 1) / 2: the pair without any is left out
    assert home["mean_rare_targets"] == 0.0


def test_the_core_creation_span_leaves_out_one_outlier_from_five_members_on():
    from syndicate.features.clusters import creation_features

    t0 = datetime(2026, 1, 1)
    created = ([t0 - timedelta(days=540)] + [t0 + timedelta(days=i) for i in range(5)]  # a ring and one old account
               + [t0 - timedelta(days=900), t0, t0 - timedelta(days=400)])  # a household of three
    accounts = pl.DataFrame({"account_id": [f"a{i}" for i in range(9)], "created_at": created})
    members = pl.DataFrame({"account_id": [f"a{i}" for i in range(9)], "cluster_id": ["ring"] * 6 + ["house"] * 3})
    out = creation_features(members, accounts, now=t0 + timedelta(days=30)).sort("cluster_id")
    span = dict(zip(out["cluster_id"], out["created_span_days"]))
    core = dict(zip(out["cluster_id"], out["created_core_span_days"]))
    assert span["ring"] == pytest.approx(544) and core["ring"] == pytest.approx(3)  # days 0..3 of the ring
    assert span["house"] == core["house"] == pytest.approx(900)  # under five members: the full span


def test_members_ratings_stand_from_the_platforms_towards_all_extreme():
    # Platform: six raters, a mean extreme share of (1 + 1 + 1 + 0 + 0.5 + 0.5) / 6 = 2/3.
    # Ring R: every rating at an end (lift 1); campus C rates like no one else at the ends
    # (share 0.25: lift (0.25 - 2/3) / (1/3) = -1.25); household H: one of two members rated
    # (0.5: lift -0.5); quiet Q: no member rated (nothing to judge by).
    from syndicate.features.clusters import member_behaviour_features

    members = pl.DataFrame({"account_id": ["r1", "r2", "c1", "c2", "h1", "h2", "q1"],
                            "cluster_id": ["R", "R", "C", "C", "H", "H", "Q"]})
    accounts = pl.DataFrame({"account_id": ["r1", "r2", "c1", "c2", "h1", "x", "q1"],
                             "extreme_rating_share": [1.0, 1.0, 0.0, 0.5, 0.5, 1.0, None]})
    out = {r["cluster_id"]: r for r in member_behaviour_features(members, accounts).iter_rows(named=True)}
    assert out["R"]["extreme_rating_lift"] == pytest.approx(1.0)
    assert out["C"]["extreme_rating_lift"] == pytest.approx(-1.25)
    assert out["H"]["extreme_rating_lift"] == pytest.approx(-0.5)
    assert (out["R"]["rated_member_share"], out["H"]["rated_member_share"]) == (1.0, 0.5)
    assert out["Q"]["extreme_rating_lift"] is None and out["Q"]["rated_member_share"] == 0.0
    # A dataset without ratings: nothing known. One whose every rating is at an end (thumbs up
    # or down): no lift to measure, but who rated is known (a ring of raters is a review ring).
    flat = accounts.with_columns(pl.Series("extreme_rating_share", [None] * 7, dtype=pl.Float64))
    out = member_behaviour_features(members, flat)
    assert out["extreme_rating_lift"].null_count() == out["rated_member_share"].null_count() == out.height
    ends = accounts.with_columns(pl.Series("extreme_rating_share", [1.0] * 6 + [None], dtype=pl.Float64))
    out = {r["cluster_id"]: r for r in member_behaviour_features(members, ends).iter_rows(named=True)}
    assert all(r["extreme_rating_lift"] is None for r in out.values())
    assert (out["R"]["rated_member_share"], out["H"]["rated_member_share"], out["Q"]["rated_member_share"]) == (
        1.0, 0.5, 0.0)


def test_targets_two_or_more_members_rated_are_counted_per_cluster():
    # Ring R: r1 and r2 both rated t1 and t2 (t1 twice by r1), r3 alone t3: two targets rated
    # together. Trip T: each friend rated a place of their own, one of them twice: none. Quiet
    # Q: no rating. Raters outside the clusters (x) count for nothing.
    from syndicate.features.clusters import CO_RATED, co_rating_features

    members = pl.DataFrame({"account_id": ["r1", "r2", "r3", "f1", "f2", "q1"],
                            "cluster_id": ["R", "R", "R", "T", "T", "Q"]})
    rated = pl.DataFrame({"account_id": ["r1", "r1", "r2", "r1", "r2", "r3", "f1", "f1", "f2", "x"],
                          "target_id": ["t1", "t1", "t1", "t2", "t2", "t3", "p1", "p1", "p2", "p2"]})
    out = dict(co_rating_features(members, rated).select("cluster_id", CO_RATED).iter_rows())
    assert out == {"R": 2.0, "T": 0.0, "Q": 0.0}
    # Row order changes nothing; without ratings there is nothing to count (null).
    again = dict(co_rating_features(members, rated.reverse()).select("cluster_id", CO_RATED).iter_rows())
    assert again == out
    assert co_rating_features(members, None)[CO_RATED].null_count() == 3


def test_targets_rated_together_keep_the_clusters_id_type_whoever_counted_them():
    # An engine that counts where the events are hands back string ids; the clusters' own ids
    # (integers here) are what the table is joined on.
    from syndicate.features.clusters import CO_RATED, co_rated_table

    clusters = pl.DataFrame({"cluster_id": [1, 2]})
    out = co_rated_table(clusters, pl.DataFrame({"cluster_id": ["1"], CO_RATED: [3]})).sort("cluster_id")
    assert out.schema["cluster_id"] == pl.Int64 and out[CO_RATED].to_list() == [3.0, 0.0]


def test_own_devices_are_counted_against_every_account_of_the_data():
    """own_device_share: of the members seen on a device or phone, the share seen on one no
    other account holds. The ring's three share d1 and r4 alone holds d2; the household's h1
    holds its own dh (h2 was seen on no device: not counted). An outsider on d2 leaves the ring
    none of its own; the members' rows with each value's holder count (what the Spark engine
    hands over) give the same."""
    from syndicate.features.identity import OWN_DEVICE, VALUE_ACCOUNTS, identity_features

    accounts, signals, members, edges, labels = _dataset()
    f = cluster_features(members, edges, accounts=accounts, signals=signals, labels=labels, now=NOW)
    assert dict(zip(f["cluster_id"], f[OWN_DEVICE])) == {"H": 1.0, "R": 0.25}
    outsider = pl.concat([signals, pl.DataFrame({"account_id": ["x9"], "kind": ["device"], "value": ["d2"]})])
    got = identity_features(members, outsider, None).sort("cluster_id")
    assert got[OWN_DEVICE].to_list() == [1.0, 0.0]
    counted = (outsider.join(outsider.group_by("kind", "value").agg(pl.len().cast(pl.Int64).alias(VALUE_ACCOUNTS)),
                             on=["kind", "value"])
               .join(members.select("account_id"), on="account_id", how="semi"))
    assert identity_features(members, counted, None).sort("cluster_id")[OWN_DEVICE].to_list() == [1.0, 0.0]
    # No member on a device or phone: nothing to judge by (1).
    ips = signals.filter(pl.col("kind") == "ip")
    assert identity_features(members, ips, None)[OWN_DEVICE].to_list() == [1.0, 1.0]


def test_own_devices_leave_out_hubs_and_properties_and_read_the_kinds_by_family():
    """A member whose only device is a hub value (an all-zero advertising id) is not counted;
    a handset id and an msisdn are a device and a phone; a device model (a property) is no
    device. A column of the input's own by the engines' holder-count name is not read."""
    from syndicate.features.identity import OWN_DEVICE, VALUE_ACCOUNTS, identity_features, whole_signals

    members = pl.DataFrame({"account_id": ["a1", "a2", "b1", "b2", "b3"], "cluster_id": ["A", "A", "B", "B", "B"]})
    signals = pl.DataFrame({
        "account_id": ["a1", "a2", "x1", "b1", "x2", "b2", "b3"],
        "kind": ["handset_id", "adid", "adid", "msisdn", "msisdn", "device_model", "device"],
        "value": ["h-a1", "0000", "0000", "+1555", "+1555", "pixel-7", "d-b3"],
    })
    hubs = pl.DataFrame({"kind": ["adid"], "value": ["0000"], "n_accounts": [999]})
    got = identity_features(members, signals, hubs).sort("cluster_id")
    # A: a1 on its own handset, a2 only on the hub (not counted): 1.0. B: b1's number is an
    # outsider's too, b2 only on a property (not counted), b3 on its own device: 0.5.
    assert got[OWN_DEVICE].to_list() == [1.0, 0.5]
    # Counted as hubs, the zero id would leave a2 with none of its own.
    assert identity_features(members, signals, None).sort("cluster_id")[OWN_DEVICE].to_list() == [0.5, 0.5]
    own_column = signals.with_columns(pl.lit(1).alias(VALUE_ACCOUNTS))
    got = identity_features(members, whole_signals(own_column), hubs).sort("cluster_id")
    assert got[OWN_DEVICE].to_list() == [1.0, 0.5]


def test_a_cluster_without_devices_of_its_own_reads_as_evidence():
    """The model's own_device_share reads as evidence for a syndicate when low (feature_words
    RISKIER_WHEN), in words; a table made before the figure has no sentence."""
    from syndicate.risk.reasons import explain_feature

    text, fits = explain_feature("own_device_share", {"own_device_share": 0.0}, 0.4, 1.0)
    assert fits and text.startswith("100% of the members seen on a device or phone have none of their own")
    assert explain_feature("own_device_share", {"own_device_share": 1.0}, 0.4, 0.5)[1] is False
    assert explain_feature("own_device_share", {"own_device_share": None}, 0.4, 1.0)[0] is None


def test_the_spread_of_members_distinct_targets_is_read_against_the_platforms():
    """members_target_spread: the spread of log(1 + distinct targets) over a cluster's members
    who acted, over the same spread over every account that acted. Members acting on equal
    numbers of targets read exactly 0; members as unequal as the platform about 1 or more;
    sleeper members (no events) are left out, and so is a cluster with fewer than four members
    who acted (null); a count that is not finite is no figure."""
    import math

    from syndicate.features.clusters import TARGET_SPREAD, member_behaviour_features

    targets = {"a1": 5, "a2": 5, "a3": 5, "a4": 5, "b1": 1, "b2": 40, "b3": 300, "b4": 12,
               "c1": 7, "c2": 9, "x1": 2, "x2": 60, "s1": 3}
    features = pl.DataFrame({"account_id": list(targets), "n_events": [2.0 * t for t in targets.values()],
                             "distinct_target_ratio": [0.5] * len(targets)})
    features = features.with_columns(pl.when(pl.col("account_id") == "s1").then(float("inf"))
                                     .otherwise(pl.col("n_events")).alias("n_events"))
    members = pl.DataFrame({"account_id": ["a1", "a2", "a3", "a4", "z1", "z2", "b1", "b2", "b3", "b4",
                                           "c1", "c2", "s1", "z3"],
                            "cluster_id": ["A"] * 6 + ["B"] * 4 + ["C"] * 4})
    got = member_behaviour_features(members, features)
    spread = dict(zip(got["cluster_id"], got[TARGET_SPREAD]))

    def sd(xs):
        mean = sum(xs) / len(xs)
        return math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))

    platform = sd([math.log1p(t) for k, t in targets.items() if k != "s1"])
    # A: four alike who acted, two sleepers (z1, z2: no events) left out.
    assert spread["A"] == 0.0
    assert spread["B"] == pytest.approx(sd([math.log1p(t) for t in (1, 40, 300, 12)]) / platform, rel=1e-6)
    assert spread["B"] > 1.0
    # C: two who acted, one with an infinite count, one sleeper: too few to tell.
    assert spread["C"] is None


def test_the_spread_of_members_does_not_move_with_the_rows_order():
    """The figure is summed in fixed point: thousands of rows in another order (polars'
    parallel group-by) give the same bytes."""
    import numpy as np

    from syndicate.features.clusters import TARGET_SPREAD, member_behaviour_features

    rng = np.random.default_rng(7)
    n = 60_000
    ids = [f"a{i}" for i in range(n)]
    features = pl.DataFrame({"account_id": ids, "n_events": rng.lognormal(2.0, 1.2, n).round() + 1,
                             "distinct_target_ratio": rng.uniform(0.05, 1.0, n)})
    members = pl.DataFrame({"account_id": ids[:40_000], "cluster_id": [f"C{i % 5000}" for i in range(40_000)]})
    got = member_behaviour_features(members, features).sort("cluster_id")[TARGET_SPREAD]
    order = rng.permutation(n)
    shuffled = member_behaviour_features(members.sample(fraction=1.0, shuffle=True, seed=3),
                                         features[order]).sort("cluster_id")[TARGET_SPREAD]
    assert got.null_count() == 0 and got.to_list() == shuffled.to_list()


def test_members_acting_alike_read_as_evidence_in_words():
    """A low members_target_spread reads as evidence for a syndicate (feature_words
    RISKIER_WHEN), in words; a table made before the figure has no sentence."""
    from syndicate.risk.reasons import explain_feature

    text, fits = explain_feature("members_target_spread", {"members_target_spread": 0.1}, 0.4, 1.0)
    assert fits and text.startswith("members' numbers of distinct targets vary 10% as much as the platform's"), text
    assert explain_feature("members_target_spread", {"members_target_spread": None}, 0.4, 1.0)[0] is None

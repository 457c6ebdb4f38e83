import dataclasses

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st
from polars.testing import assert_frame_equal

from syndicate.config import IdentityConfig
from syndicate.link.identity import identity_links, value_strength


def signals(rows):
    return pl.DataFrame(rows, schema=["account_id", "kind", "value"], orient="row")


def test_pairs_of_a_shared_device_with_known_strength():
    sig = signals([("a", "device", "d1"), ("b", "device", "d1"), ("c", "device", "d1"), ("d", "device", "d2")])
    result = identity_links(sig).edges
    expected = pl.DataFrame(
        {"account_a": ["a", "a", "b"], "account_b": ["b", "c", "c"],
         "device": np.full(3, 0.9 / np.log2(3), dtype=np.float32)}
    )
    assert_frame_equal(result, expected, check_exact=False, rel_tol=1e-6)


def test_values_of_several_kinds_combine_as_noisy_or_per_kind():
    sig = signals([("a", "device", "d1"), ("b", "device", "d1"), ("a", "device", "d2"), ("b", "device", "d2"),
                   ("a", "ip", "i1"), ("b", "ip", "i1")])
    edges = identity_links(sig).edges
    assert edges.height == 1
    assert edges["device"][0] == pytest.approx(1 - (1 - 0.9) ** 2, rel=1e-6)
    assert edges["ip"][0] == pytest.approx(0.35, rel=1e-6)


def test_values_over_the_hub_cap_make_no_pairs_and_are_reported():
    rows = [(f"u{i:03d}", "ip", "nat") for i in range(50)] + [("u001", "device", "x"), ("u002", "device", "x")]
    links = identity_links(signals(rows), config=IdentityConfig(hub_cap=10))
    assert links.edges.select("account_a", "account_b").rows() == [("u001", "u002")]
    assert links.hubs.rows() == [("ip", "nat", 50)]


def test_strength_falls_with_the_number_of_accounts_sharing():
    s = value_strength(np.array([0.9, 0.9, 0.9]), np.array([2, 8, 200]))
    assert s[0] > s[1] > s[2]
    assert s[0] == pytest.approx(0.9)


def test_duplicate_signal_rows_count_once():
    sig = signals([("a", "device", "d1"), ("a", "device", "d1"), ("b", "device", "d1")])
    assert identity_links(sig).edges["device"][0] == pytest.approx(0.9)


def test_no_shared_values_gives_an_empty_typed_table():
    edges = identity_links(signals([("a", "device", "d1"), ("b", "device", "d2")])).edges
    assert edges.height == 0 and edges.schema["account_a"] == pl.String


rows_strategy = st.lists(
    st.tuples(st.sampled_from([f"acc{i}" for i in range(12)]), st.sampled_from(["device", "ip", "payment"]),
              st.sampled_from(["v1", "v2", "v3", "v4"])),
    min_size=1, max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy, seed=st.integers(0, 1000))
def test_edges_canonical_duplicate_free_and_row_order_invariant(rows, seed):
    sig = signals(rows)
    edges = identity_links(sig).edges
    assert (edges["account_a"] < edges["account_b"]).all()
    assert edges.select("account_a", "account_b").is_unique().all()
    shuffled = sig.sample(fraction=1.0, shuffle=True, seed=seed)
    assert_frame_equal(identity_links(shuffled).edges, edges)


def test_a_value_shared_by_a_million_accounts_is_a_hub_not_a_trillion_pairs():
    n = 1_000_000
    ids = pl.Series("account_id", np.arange(n)).cast(pl.String)
    sig = pl.DataFrame({"account_id": ids, "kind": "ip", "value": "carrier-nat"})
    sig = pl.concat([sig, signals([("1", "device", "d"), ("2", "device", "d")])])
    links = identity_links(sig)
    assert links.hubs.rows() == [("ip", "carrier-nat", n)]
    assert links.edges.select("account_a", "account_b").rows() == [("1", "2")]


def test_a_personal_kind_keeps_its_floor_only_up_to_floor_up_to_sharers():
    # Forty accounts on one phone are an operator's rack; one fingerprint on 120 strangers is a
    # factory image, and with the floor it bound them all into one cluster.
    config = IdentityConfig(floor_up_to=50)
    rows = [(f"u{i:03d}", "device", "rack") for i in range(40)] + [(f"v{i:03d}", "device", "image") for i in range(120)]
    edges = identity_links(signals(rows), config=config).edges
    rack = edges.filter(pl.col("account_a").str.starts_with("u"))["device"]
    image = edges.filter(pl.col("account_a").str.starts_with("v"))["device"]
    assert rack.min() == pytest.approx(config.kind_floor["device"], rel=1e-6)
    assert image.max() == pytest.approx(0.9 / np.log2(120), rel=1e-6)
    assert image.max() < 0.2  # under the cluster stage's min_edge_weight
    unlimited = value_strength(np.array([0.9]), np.array([120]), 0.25)
    assert unlimited[0] == pytest.approx(0.25)


def test_kinds_named_like_an_edge_column_get_their_own_evidence_column():
    # The review-ring detector's columns too: a kind "rare_coaction" clashed with its evidence
    # column in combine_edges (or read as meeting on rare targets when the detector did not run).
    for kind in ("weight", "lockstep", "given", "rare_coaction", "rare_coaction_targets"):
        sig = signals([("a", kind, "v1"), ("b", kind, "v1")])
        assert identity_links(sig).edges.columns == ["account_a", "account_b", f"{kind}_signal"]


@pytest.mark.parametrize("kind, strength", [
    # A kind's name in the dataset's own words takes the strength of the kind it stands for ...
    ("ipv4", 0.35), ("ipv4_24", 0.35), ("client_ip", 0.35), ("device_fp", 0.9), ("msisdn", 0.8),
    ("card_bin_last4", 0.9), ("ship_addr", 0.5), ("email_norm", 0.7),
    # ... a shared property is weak, an unknown name moderate.
    ("email_domain", 0.15), ("card_bin", 0.15), ("device_model", 0.15), ("wifi_bssid", 0.5)])
def test_a_kind_named_in_the_datasets_words_links_as_the_kind_it_stands_for(kind, strength):
    from syndicate.link.identity import kind_strength

    assert kind_strength(kind, IdentityConfig()) == strength
    edges = identity_links(signals([("a", kind, "v"), ("b", kind, "v")])).edges
    assert edges[kind][0] == pytest.approx(strength, rel=1e-6)


def test_no_floor_is_inherited_and_a_shared_property_never_binds_alone():
    # A pool of rented SMS numbers on 40 strangers (an unfamiliar name, read as a phone) falls as
    # 0.8 / log2(n), under the cluster stage's min_edge_weight (0.2); the listed "phone" keeps its
    # floor. An e-mail domain on two accounts stays under the bar too.
    rows = ([(f"u{i:02d}", "sms_pool", "n1") for i in range(40)] + [(f"v{i:02d}", "phone", "n1") for i in range(40)]
            + [("w1", "email_domain", "small.example"), ("w2", "email_domain", "small.example")])
    edges = identity_links(signals(rows)).edges
    pool = edges.filter(pl.col("account_a").str.starts_with("u"))["sms_pool"]
    assert pool.max() == pytest.approx(0.8 / np.log2(40), rel=1e-6) and pool.max() < 0.2
    assert edges.filter(pl.col("account_a").str.starts_with("v"))["phone"].min() == pytest.approx(0.25, rel=1e-6)
    assert edges.filter(pl.col("account_a") == "w1")["email_domain"][0] < 0.2


def _coarse_fingerprint(cap: int) -> list[tuple[str, str, str]]:
    """A "ua_fp" kind most of whose rows sit on values beyond the hub cap (a browser build and
    screen size thousands share), a few on values under it, beside one shared device."""
    rows = [(f"h{i:03d}", "ua_fp", ("chrome-1080p", "safari-iphone", "firefox-1440p")[i % 3])
            for i in range(3 * (cap + 1))]
    rows += [(f"s{i:02d}", "ua_fp", f"rare-{i % 3}") for i in range(9)]
    return rows + [("s00", "device_fp", "d1"), ("s01", "device_fp", "d1")]


def test_a_personal_kind_mostly_on_hubs_is_read_as_a_property():
    from syndicate.features.identity import hub_bound_kinds, is_attribute, kind_family
    from syndicate.link.identity import kind_strength

    config = IdentityConfig(hub_cap=20)
    links = identity_links(signals(_coarse_fingerprint(20)), config=config)
    # Only kinds named for a personal identifier are read: 63 of ua_fp's 72 rows on its hubs.
    assert links.hub_shares == {"device_fp": 0.0, "ua_fp": pytest.approx(63 / 72)}
    assert links.config.property_kinds == ("ua_fp",)
    assert hub_bound_kinds(links.hub_shares, 0.9) == []
    found = links.config.property_kinds
    assert is_attribute("ua_fp", found) and kind_family("ua_fp", found) is None
    assert kind_family("ua_fp") == "device" and kind_family("device_fp", found) == "device"
    # Read as a property, its values link at the attribute strength: never a pair on their own.
    assert kind_strength("ua_fp", config) == 0.9 and kind_strength("ua_fp", links.config) == 0.15
    assert links.edges["ua_fp"].max() < 0.2 and links.edges["device_fp"].max() == pytest.approx(0.9)
    # A lower bar than the share reads nothing; a kind listed in the config is read at any share.
    off = identity_links(signals(_coarse_fingerprint(20)), config=dataclasses.replace(config, property_hub_share=0.9))
    assert off.config.property_kinds == () and off.edges["ua_fp"].max() >= 0.2
    listed = identity_links(signals(_coarse_fingerprint(20)),
                            config=dataclasses.replace(config, property_kinds=("device_fp",), property_hub_share=0.9))
    assert listed.config.property_kinds == ("device_fp",) and listed.edges["device_fp"].max() == pytest.approx(0.15)
    assert "device_fp" not in listed.hub_shares


def test_a_personal_kind_almost_never_on_a_few_accounts_values_is_read_as_a_property():
    # A coarse fingerprint under the hub cap: 2,000 accounts on 60 browser builds (33 or 34 each),
    # none beyond the cap, so its hub share is 0; beside it, a device kind as a marketplace has
    # it: most accounts on a device of their own, a household's on one, an operator's pool of 12.
    from syndicate.link.identity import MIN_JUDGED_ROWS, small_bound_kinds, small_share

    rows = [(f"a{i:04d}", "ua_fp", f"build-{i % 60}") for i in range(2000)]
    rows += [(f"a{i:04d}", "device_id", f"d{i}") for i in range(1900)]
    rows += [(f"a{i:04d}", "device_id", f"home-{i // 4}") for i in range(1900, 1988)]
    rows += [(f"a{i:04d}", "device_id", "pool-1") for i in range(1988, 2000)]
    config = IdentityConfig()
    links = identity_links(signals(rows), config=config)
    assert links.hub_shares == {"device_id": 0.0, "ua_fp": 0.0}
    assert links.small_shares == {"device_id": pytest.approx(1900 / 2000), "ua_fp": 0.0}  # homes of four: not small
    assert links.config.property_kinds == ("ua_fp",)
    # Read as a property: the attribute strength, 0.15 / log2(33) (as a device: 0.9 / log2(33)).
    assert links.edges["ua_fp"].max() == pytest.approx(0.15 / np.log2(33), rel=1e-5)
    assert links.edges["device_id"].max() == pytest.approx(0.9 / 2)  # homes of four
    # 0 reads no kind by this share; under MIN_JUDGED_ROWS rows a kind is not judged at all.
    off = identity_links(signals(rows), config=dataclasses.replace(config, property_small_share=0.0))
    assert off.config.property_kinds == () and off.edges["ua_fp"].max() == pytest.approx(0.9 / np.log2(33), rel=1e-5)
    few = identity_links(signals([r for r in rows if r[1] == "ua_fp"][: MIN_JUDGED_ROWS - 1]), config=config)
    assert few.small_shares == {"ua_fp": None} and few.config.property_kinds == ()
    assert small_share(5, MIN_JUDGED_ROWS - 1) is None and small_share(10, 1000) == 0.01
    shares = {"device_fp": 0.01, "hw_id": 0.02, "android_id": None, "device": 0.5, "phone": 0.0, "email": 1.0}
    assert small_bound_kinds(shares, 0.02) == ["device_fp"]  # no phone kind shows persons


def test_without_persons_in_the_family_no_kind_is_read_by_its_small_values():
    # The data's own persons are the yardstick. An extract of an operator's pools only (every
    # device on 40 accounts, two devices each, a card on 150) has none: its devices stay devices.
    # A fingerprint with no device id beside it (only e-mails, which are another family) neither.
    pools = [(f"f{i:04d}", "device", f"DA{i // 40}") for i in range(2000)]
    pools += [(f"f{i:04d}", "device", f"DB{(i + 20) // 40}") for i in range(2000)]
    pools += [(f"f{i:04d}", "payment", f"CARD{i // 150}") for i in range(2000)]
    links = identity_links(signals(pools), config=IdentityConfig())
    assert links.small_shares == {"device": 0.0, "payment": 0.0} and links.config.property_kinds == ()
    alone = [(f"a{i:04d}", "ua_fp", f"build-{i % 60}") for i in range(2000)]
    alone += [(f"a{i:04d}", "email", f"a{i}@example.org") for i in range(2000)]
    links = identity_links(signals(alone), config=IdentityConfig())
    assert links.small_shares == {"email": 1.0, "ua_fp": 0.0} and links.config.property_kinds == ()


def test_a_sentinel_device_makes_no_property_of_the_devices_beside_it_by_their_small_values():
    # 2,000 emulated accounts on one device image (a sentinel: the hub share leaves it out) and
    # 20 pairs on devices of their own: 2,040 rows, 40 of them on small values. Without the
    # sentinel 40 rows are too few to judge; the pairs keep their device evidence.
    rows = [(f"e{i:04d}", "device", "emu-image-7") for i in range(2000)]
    rows += [(f"p{i:02d}", "device", f"d{i // 2}") for i in range(40)]
    links = identity_links(signals(rows), config=IdentityConfig())
    assert links.hub_shares == {"device": 0.0} and links.small_shares == {"device": None}
    assert links.config.property_kinds == () and links.edges["device"].min() == pytest.approx(0.9)


def test_a_kind_read_by_its_values_is_named_as_the_config_names_kinds():
    # "UA_FP" in the data: read as a property under the config's own spelling, and weighed so.
    rows = [(f"a{i:04d}", "UA_FP", f"build-{i % 60}") for i in range(2000)]
    rows += [(f"a{i:04d}", "Device_ID", f"d{i}") for i in range(2000)]
    links = identity_links(signals(rows), config=IdentityConfig())
    assert links.config.property_kinds == ("ua_fp",)
    assert links.edges["UA_FP"].max() == pytest.approx(0.15 / np.log2(33), rel=1e-5)


def test_one_giant_value_is_a_sentinel_not_a_property():
    # A small extract: 300 emulated accounts on one device (a hub), 60 in pairs on their own
    # devices. The giant value makes no pairs, and the pairs keep their device evidence.
    rows = [(f"e{i:03d}", "device", "00000000") for i in range(300)]
    rows += [(f"p{i:02d}", "device", f"d{i // 2}") for i in range(60)]
    links = identity_links(signals(rows), config=IdentityConfig())
    assert links.hub_shares == {"device": 0.0} and links.config.property_kinds == ()
    assert links.hubs["n_accounts"].to_list() == [300]
    assert links.edges.height == 30 and links.edges["device"].min() == pytest.approx(0.9)
    # Two large classes of equal size are a property's: 600 of the 660 rows.
    rows += [(f"f{i:03d}", "device", "00000001") for i in range(300)]
    links = identity_links(signals(rows), config=IdentityConfig())
    assert links.hub_shares == {"device": pytest.approx(600 / 660)} and links.config.property_kinds == ("device",)


def test_a_kind_read_as_a_property_keeps_no_floor():
    # A kind literally named "device" (floor 0.25 above the 0.2 bar) on two hubs, and one pair
    # on a small value: read as a property, the pair gets the attribute strength, not the floor.
    rows = [(f"h{i:03d}", "device", f"model-{i % 2}") for i in range(420)] + [("p1", "device", "d2"),
                                                                            ("p2", "device", "d2")]
    links = identity_links(signals(rows), config=IdentityConfig())
    assert links.config.property_kinds == ("device",)
    assert links.edges["device"].to_list() == [pytest.approx(0.15)]


def test_kinds_of_places_and_properties_are_not_read_for_hubs():
    # A carrier NAT on most rows of an IP kind is ordinary; an e-mail domain is a property already.
    rows = [(f"a{i:02d}", kind, "shared") for i in range(30) for kind in ("ip", "email_domain", "postal")]
    links = identity_links(signals(rows), config=IdentityConfig(hub_cap=10))
    assert links.hub_shares == {} and links.config == IdentityConfig(hub_cap=10)


def _rotators(n_ips, shared, *, ordinary_accounts=0):
    """Accounts "a" and "b" each on ``n_ips`` IPs of their own, ``shared`` of them in common,
    beside ``ordinary_accounts`` pairs of accounts on one home IP each."""
    rows = [(acc, "ip", f"{acc}{i}") for acc in "ab" for i in range(n_ips - shared)]
    rows += [(acc, "ip", f"s{i}") for acc in "ab" for i in range(shared)]
    rows += [(f"h{i}{side}", "ip", f"home{i}") for i in range(ordinary_accounts) for side in "xy"]
    return signals(rows)


def test_two_accounts_rotating_through_many_ips_keep_a_share_of_what_they_share():
    links = identity_links(_rotators(40, 3, ordinary_accounts=20))
    pair = links.edges.filter(pl.col("account_a") == "a")
    unscaled = 1 - (1 - 0.35) ** 3
    assert pair["ip"][0] == pytest.approx(unscaled * 8 / 40, rel=1e-5)  # ordinary 8 (churn_ordinary)
    homes = links.edges.filter(pl.col("account_a") != "a")
    assert homes.height == 20 and (homes["ip"] == np.float32(0.35)).all()  # one IP each: whole
    assert links.churn == {"ip": {"ordinary_values": 8.0, "accounts_above": 2}}


def test_when_every_account_holds_many_ips_none_is_scaled():
    # A dataset that logs every session's address: 40 IPs is ordinary there (its 90th percentile).
    rows = [(f"u{j}", "ip", f"u{j}-{i}") for j in range(10) for i in range(40)]
    rows += [("u0", "ip", "s"), ("u1", "ip", "s")]
    links = identity_links(signals(rows))
    assert links.edges["ip"][0] == pytest.approx(0.35, rel=1e-6)
    assert links.churn["ip"]["ordinary_values"] == pytest.approx(41.0)  # u0 and u1 hold 41


def test_only_churn_kinds_are_scaled():
    rows = [(acc, kind, f"{acc}{kind}{i}") for acc in "ab" for kind in ("device", "ip_address") for i in range(39)]
    rows += [(acc, kind, f"s{kind}") for acc in "ab" for kind in ("device", "ip_address")]
    rows += [(f"h{i}", "ip_address", f"home{i}") for i in range(20)]  # ordinary accounts: one IP each
    config = IdentityConfig(churn_ordinary=4)
    edges = identity_links(signals(rows), config=config).edges
    assert edges["device"][0] == pytest.approx(0.9, rel=1e-6)  # a device is no rotating address
    assert edges["ip_address"][0] == pytest.approx(0.35 * 4 / 40, rel=1e-5)  # an IP by its name
    off = identity_links(signals(rows), config=dataclasses.replace(config, churn_families=())).edges
    assert off["ip_address"][0] == pytest.approx(0.35, rel=1e-6)


def test_a_pair_loses_ip_evidence_only_when_both_accounts_rotate():
    """A home user whose line is also a proxy exit (an infected home line) shares it with a
    rotator: only one of the two holds many IPs, and the pair keeps its evidence whole."""
    rows = [("rot", "ip", f"exit{i}") for i in range(100)] + [("home", "ip", "exit0")]
    rows += [(f"h{i}{side}", "ip", f"home{i}") for i in range(20) for side in "xy"]
    edges = identity_links(signals(rows)).edges
    assert edges.filter(pl.col("account_a") == "home")["ip"][0] == pytest.approx(0.35, rel=1e-6)

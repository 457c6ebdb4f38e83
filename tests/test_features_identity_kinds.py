"""Identifier kinds named in a dataset's own words count as the identity kinds they stand for."""

import polars as pl
import pytest

from syndicate.features.identity import IDENTITY_KINDS, identity_features, kind_family


@pytest.mark.parametrize("name, family", [
    ("device", "device"), ("device_fp", "device"), ("Device-ID", "device"), ("idfa", "device"),
    ("ipv4", "ip"), ("IPv6", "ip"), ("ip_address", "ip"), ("client_ip", "ip"),
    ("card_hash", "payment"), ("payment_instrument", "payment"), ("iban", "payment"),
    ("msisdn", "phone"), ("PhoneNumber", "phone"), ("email_hash", "email"), ("email_address", "email"),
    ("shipping_address", "address"), ("loyalty_id", None), ("user_agent", None), ("cookie", None),
    # A card's BIN and last four digits are the usual card fingerprint, not the BIN alone.
    ("card_bin_last4", "payment"), ("ipv4_24", "ip"),
    # A seventh marketplace's kinds: the advertising id is a device's, a geohash a place, a
    # courier's payout account a payment instrument.
    ("adid", "device"), ("advertising_id", "device"), ("geohash7", "address"), ("geo_hash", "address"),
    ("payout_account", "payment"), ("wifi_bssid", None),
    # A ride-hailing marketplace's handset; an app install and its push token; a payment token;
    # a SIM (twenty-ninth sitting).
    ("handset_id", "device"), ("install_id", "device"), ("push_token", "device"), ("serial_number", "device"),
    ("pay_token", "payment"), ("imsi", "phone"), ("sim_iccid", "phone"),
    ("hw_model", None), ("pay_method", None), ("machine_type", None), ("handset_model", None),
    # ... but only the compound names: an install's source, a push opt-in, a payment's amount or
    # a SIM's operator are properties of an account, not its device, card or phone.
    # A crypto exchange's withdrawal address is a payout destination, not a place (thirty-second
    # sitting); a withdrawal's amount is nothing of the kind.
    ("withdrawal_address", "payment"), ("withdraw_addr", "payment"), ("withdrawal_address_hash", "payment"),
    ("btc_withdrawal_address", "payment"), ("withdrawal_amount", None), ("withdrawal_ip", "ip"),
    ("withdrawal_address_country", None),
    ("install_source", None), ("install_ts", None), ("push_enabled", None), ("pay_amount", None),
    ("pay_status", None), ("sim_operator", None), ("sim_slot", None), ("serial_port", None),
])
def test_kind_names_map_to_identity_kinds(name, family):
    assert kind_family(name) == family
    assert family is None or family in IDENTITY_KINDS


def test_a_ring_on_device_fp_values_has_accounts_per_device():
    members = pl.DataFrame({"account_id": [f"a{i}" for i in range(6)], "cluster_id": ["C1"] * 6})
    rows = [(f"a{i}", "device_fp", f"fp{i % 2}") for i in range(6)] + [(f"a{i}", "ipv4", "1.2.3.4") for i in range(3)]
    own = pl.DataFrame(rows, schema=["account_id", "kind", "value"], orient="row")
    known = own.with_columns(pl.col("kind").replace({"device_fp": "device", "ipv4": "ip"}))
    got, want = identity_features(members, own, None), identity_features(members, known, None)
    assert got.row(0, named=True)["accounts_per_device"] == 3.0
    assert got.row(0, named=True)["max_accounts_per_ip"] == 3
    assert got.select(sorted(got.columns)).equals(want.select(sorted(want.columns)))


@pytest.mark.parametrize("name", ["device_type", "device_os", "ip_country", "ip_asn", "card_bin",
                                  "email_domain", "payment_method", "phone_country", "sms_sender"])
def test_properties_many_accounts_share_are_not_identifiers(name):
    # One device_type "iPhone" across a ring of twenty is no shared device.
    assert kind_family(name) is None


def test_mac_addresses_are_devices_and_zip_codes_addresses():
    assert kind_family("mac_address") == "device"
    assert kind_family("zipcode") == kind_family("zip_code") == "address"


def test_a_value_beyond_the_hub_cap_is_left_out_of_the_sharing_figures():
    # The all-zero advertising id of every phone that limits ad tracking (3,500 accounts) is
    # no device of one operator: the dorm sharing it is not "30 of 67 accounts on one device".
    members = pl.DataFrame({"account_id": [f"a{i}" for i in range(6)], "cluster_id": ["C1"] * 6})
    rows = [(f"a{i}", "adid", "00000000") for i in range(5)] + [(f"a{i}", "adid", f"own{i}") for i in range(6)]
    signals = pl.DataFrame(rows, schema=["account_id", "kind", "value"], orient="row")
    hubs = pl.DataFrame({"kind": ["adid"], "value": ["00000000"]})
    row = identity_features(members, signals, hubs).row(0, named=True)
    assert (row["max_accounts_per_device"], row["device_values"], row["accounts_per_device"]) == (1, 6, 1.0)
    assert row["hub_share"] == pytest.approx(5 / 6)
    assert identity_features(members, signals, None).row(0, named=True)["max_accounts_per_device"] == 5

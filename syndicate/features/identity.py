"""Cluster identity features: per identifier kind, how the members share their values.

Per kind of :data:`IDENTITY_KINDS`: distinct values among the members (``<kind>_values``),
members holding one per value (``accounts_per_<kind>``) and most members on one value
(``max_accounts_per_<kind>``), hub values left out; over every kind: signals per member, the
share of members without any, and the share holding a hub value (one shared beyond the
identity hub cap). ``own_device_share``: of the members seen on any device or phone (not a
hub), the share seen on one that no other account of the data holds — an operator runs its
accounts from its pool, while an organisation's staff, a family or a cohort keep a phone of
their own beside what they share (1 when no member was seen on any: nothing to judge by).

The members' signal rows are matched on a 64-bit hash of the account id (a streaming join
against the members alone) and counted on integers — the cluster's rank packed with a kind
code, the member's row, a 64-bit hash of (kind, value) as the identity link stage keys values
(:mod:`syndicate.link.identity`) — not on strings: on an independently generated marketplace
of 1M accounts (5.4M signal rows, 1.6M of them the members') 1.45 s of CPU, against 2.4 s for
string joins and group-bys. Two values of one cluster sharing a hash would count as one (odds
~ n² / 2⁶⁵, as in the link stage). Every figure is a count or a ratio of counts, so it does
not depend on row order.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

import numpy as np
import polars as pl

from syndicate.features.member_events import HASH_SEED, ids_hash_apart

# Identifier kinds that get their own feature columns. Other kinds still link accounts and
# count in the evidence share of the kind their name stands for (KIND_TOKENS below), or in
# "other"; a fixed list keeps the model's feature set stable across datasets.
IDENTITY_KINDS = ("device", "payment", "phone", "ip", "email", "address")

# Tokens that name one instrument even beside an attribute word: "card_bin_last4" (a card's
# BIN and last four digits, the usual card fingerprint) is a card, not the BIN a bank's
# customers share.
INSTRUMENT_TOKENS = frozenset({"last4", "lastfour", "last4digits"})

# Kind names datasets use for the identity kinds, as name tokens (the name split at anything
# not a letter or digit, lower-cased): "ip_address" and "ipv4" are IPs, "device_fp" and
# "idfa" devices, "card_hash" a payment instrument, "msisdn" a phone. Only the cluster
# features read them this way (a ring of twenty on three "device_fp" values has 6.7 accounts
# per device); the link stage keeps each kind's own name, and an unfamiliar name gets its
# family's strength but never a personal kind's floor (link/identity.py kind_strength: a
# pool of rented SMS numbers read as "phone" would bind unrelated farms). Checked in this
# order: "email_address" is an e-mail, "ip_address" an IP.
KIND_TOKENS: tuple[tuple[str, frozenset[str]], ...] = (
    ("ip", frozenset({"ip", "ipv4", "ipv6", "ipaddr", "ipaddress"})),
    ("email", frozenset({"email", "mail", "emailhash", "emailaddress"})),
    ("phone", frozenset({"phone", "msisdn", "mobile", "tel", "telephone", "phonenumber", "sms", "imsi",
                         "iccid", "simserial", "simid"})),
    ("payment", frozenset({"payment", "card", "cardhash", "pan", "iban", "wallet", "bank", "instrument",
                           "payout", "paytoken", *INSTRUMENT_TOKENS})),
    # (A handset, a machine's id, an app install and its push token are one device: a ride-hailing
    # marketplace's "handset_id" was read as no device, and its driver farms' 4-10 accounts per
    # handset counted for nothing a pool is judged by.)
    ("device", frozenset({"device", "deviceid", "fingerprint", "imei", "idfa", "idfv", "gaid", "udid",
                          "hwid", "androidid", "fp", "mac", "macaddress", "adid", "aaid", "ifa",
                          "advertisingid", "adsid", "handset", "handsetid", "hardwareid", "machineid",
                          "serialnumber", "installid", "installationid", "pushtoken"})),
    # A place: a delivery address or the location it geocodes to ("geohash7", "lat_lng").
    ("address", frozenset({"address", "addr", "postal", "postcode", "postalcode", "zip", "zipcode",
                           "geohash", "geo", "location", "latlng", "latlon", "gps"})),
)
# A withdrawal address is where an exchange's customer takes money out: a payout destination
# like a bank account, not a place (a crypto exchange's "withdrawal_address" read as a place
# made its wash-trading and mule rings "bound by places only"). Both words are needed: a
# withdrawal's amount or status is no instrument, a "withdrawal_ip" is an IP.
PAYOUT_ADDRESS_TOKENS = (frozenset({"withdrawal", "withdraw"}), frozenset({"address", "addr"}))
# A property many accounts share, not an identifier: "device_type", "ip_country", "card_bin",
# "email_domain", "payment_method" (one "iPhone" across a ring is no shared device).
ATTRIBUTE_TOKENS = frozenset({"type", "os", "model", "brand", "make", "vendor", "country", "region", "city",
                              "asn", "isp", "org", "domain", "bin", "method", "version", "name", "sender",
                              "carrier", "language", "locale", "timezone", "class", "category", "kind"})


def name_tokens(kind: str) -> set[str]:
    """Name tokens, each also without a number at its end ("geohash7" is a geohash of
    precision 7)."""
    name = kind.strip().lower()
    tokens = {t for t in re.split(r"[^0-9a-z]+", name) if t} | {re.sub(r"[^0-9a-z]+", "", name)}
    return tokens | {stem for t in tokens if (stem := re.sub(r"\d+$", "", t))}


def is_attribute(kind: str, properties: Collection[str] = ()) -> bool:
    """Whether a signal kind reads as a property many accounts share, not an identifier: its
    name (``"email_domain"``, ``"card_bin"`` → True; ``"card_bin_last4"``, ``"device_fp"`` →
    False), or it is one of ``properties``, the kinds the run reads as properties whatever
    their names (``IdentityConfig.property_kinds``, :func:`hub_bound_kinds`)."""
    name = kind.strip().lower()
    if name in properties:
        return True
    tokens = name_tokens(kind)
    return name not in IDENTITY_KINDS and bool(tokens & ATTRIBUTE_TOKENS) and not tokens & INSTRUMENT_TOKENS


def kind_family(kind: str, properties: Collection[str] = ()) -> str | None:
    """The identity kind (one of :data:`IDENTITY_KINDS`) a signal kind's name stands for, or
    None: ``"device_fp"`` → ``"device"``, ``"IPv4"`` → ``"ip"``, ``"loyalty_id"`` → None; None
    too for a kind read as a property (:func:`is_attribute`)."""
    name = kind.strip().lower()
    if is_attribute(name, properties):
        return None
    if name in IDENTITY_KINDS:
        return name
    tokens = name_tokens(name)
    if all(tokens & words for words in PAYOUT_ADDRESS_TOKENS):
        return "payment"
    for family, words in KIND_TOKENS:
        if tokens & words:
            return family
    return None


# Families whose values are one person's: a device, a payment instrument, a phone, an e-mail
# (an IP or an address is a place many share).
PERSONAL_FAMILIES = ("device", "payment", "phone", "email")


def hub_bound_kinds(hub_shares: Mapping[str, float], min_share: float) -> list[str]:
    """The kinds of ``hub_shares`` (kind → share of its rows on hub values, for kinds named for
    a personal identifier: ``link.identity.IdentityLinks.hub_shares``) that hold at least ``min_share``
    of their rows on hubs: properties, whatever their names (``IdentityConfig.property_hub_share``)."""
    return sorted(k for k, share in hub_shares.items() if share >= min_share)


# Seed of the (kind, value) hash (any fixed value).
_VALUE_SEED = 0x5EED_1D

def identity_features(members: pl.DataFrame, signals: pl.DataFrame | None, hubs: pl.DataFrame | None, *,
                      accounts: pl.DataFrame | None = None, properties: Collection[str] = ()) -> pl.DataFrame:
    """``cluster_id`` + the identity features (see the module docstring) of every cluster.

    ``accounts`` (every account of ``signals``): when their ids have distinct 64-bit hashes,
    the members' signal rows are matched on the hashes instead of the ids. ``properties``:
    kinds read as shared properties (:func:`is_attribute`), counted with no identity kind.
    """
    clusters = members.select("cluster_id").unique()
    zero = [pl.lit(0.0).alias(f"accounts_per_{k}") for k in IDENTITY_KINDS]
    zero += [pl.lit(0).alias(f"{k}_values") for k in IDENTITY_KINDS]
    zero += [pl.lit(0).alias(f"max_accounts_per_{k}") for k in IDENTITY_KINDS]
    if signals is None or signals.height == 0:
        return clusters.with_columns(*zero, pl.lit(0.0).alias("signals_per_account"),
                                     pl.lit(1.0).alias("no_signal_share"), pl.lit(0.0).alias("hub_share"),
                                     pl.lit(1.0).alias(OWN_DEVICE))
    cluster_ids = clusters["cluster_id"].sort()
    held = _held(members, signals, accounts, properties).lazy()
    hub_keys = hubs.select(_value_key()).to_series() if hubs is not None and hubs.height else None
    # A value beyond the hub cap (a carrier NAT, the all-zero advertising id of every phone that
    # limits ad tracking) is no operator's: it stays out of the sharing figures, and hub_share
    # counts its holders. Counted as a device, the seventh marketplace's all-zero ad id (3,500
    # accounts) put "30 of 67 accounts share one device" on every dorm.
    personal = held if hub_keys is None else held.filter(~pl.col("_v").is_in(hub_keys.implode()))
    # One integer per (cluster, kind): _ck = 8 * cluster + kind code + 1 (kind codes -1..5).
    per_kind = (personal.group_by("_ck", "_v").agg(pl.len().alias("n"))
                .group_by("_ck").agg(pl.len().alias("values"), pl.col("n").max().alias("max_n"))
                .join(personal.group_by("_ck").agg(pl.col("_a").n_unique().alias("holders")), on="_ck")
                .select((pl.col("_ck") // 8).cast(pl.Int32).alias("_c"), (pl.col("_ck") % 8 - 1).alias("_k"),
                        "values", "max_n", "holders")
                .collect(engine="streaming"))
    wide = pl.DataFrame({"_c": np.arange(len(cluster_ids), dtype=np.int32)})
    for code, kind in enumerate(IDENTITY_KINDS):
        k = per_kind.filter(pl.col("_k") == code).select(
            "_c",
            pl.col("values").alias(f"{kind}_values"),
            (pl.col("holders") / pl.col("values")).alias(f"accounts_per_{kind}"),
            pl.col("max_n").alias(f"max_accounts_per_{kind}"),
        )
        wide = wide.join(k, on="_c", how="left")
    cluster = (pl.col("_ck") // 8).cast(pl.Int32).alias("_c")
    per_account = (held.group_by(cluster).agg(pl.len().alias("n_signals"), pl.col("_a").n_unique().alias("with_signals"))
                   .collect(engine="streaming"))
    hub_members = pl.DataFrame(schema={"_c": pl.Int32, "hub_members": pl.UInt32})
    if hub_keys is not None:
        hub_members = (held.filter(pl.col("_v").is_in(hub_keys.implode()))
                       .group_by(cluster).agg(pl.col("_a").n_unique().alias("hub_members")).collect(engine="streaming"))
    sizes = members.group_by("cluster_id").agg(pl.len().alias("_size"))
    wide = (wide.join(per_account, on="_c", how="left").join(hub_members, on="_c", how="left")
            .join(_own_devices(personal, signals, properties), on="_c", how="left"))
    return (
        wide.select(cluster_ids.gather(wide["_c"]).alias("cluster_id"), pl.exclude("_c"))
        .join(sizes, on="cluster_id")
        .with_columns(
            (pl.col("n_signals").fill_null(0) / pl.col("_size")).alias("signals_per_account"),
            (1 - pl.col("with_signals").fill_null(0) / pl.col("_size")).alias("no_signal_share"),
            (pl.col("hub_members").fill_null(0) / pl.col("_size")).alias("hub_share"),
            pl.col(OWN_DEVICE).fill_null(1.0),
        )
        .drop("n_signals", "with_signals", "hub_members", "_size")
        .fill_null(0)
    )


# The column an engine that holds the signals elsewhere adds to the members' rows: how many
# accounts of the whole table hold the row's (kind, value) (engines.spark.members.member_rows).
VALUE_ACCOUNTS = "_value_accounts"
OWN_DEVICE = "own_device_share"


def whole_signals(signals: pl.DataFrame | None) -> pl.DataFrame | None:
    """The whole signals table as the identity features read it: without a column of the
    input's own by :data:`VALUE_ACCOUNTS`' name (extra columns are kept by the contract, and it
    would stand in for the holder counts)."""
    return signals.drop(VALUE_ACCOUNTS) if signals is not None and VALUE_ACCOUNTS in signals.columns else signals


def _own_devices(personal: pl.LazyFrame, signals: pl.DataFrame, properties: Collection[str]) -> pl.DataFrame:
    """``_c, own_device_share`` of the clusters with a member seen on a device or phone
    (``personal``: :func:`_held`'s rows without hub values): the share of those members seen on
    one no other account of ``signals`` holds. ``signals`` is the whole table, or the members'
    rows with :data:`VALUE_ACCOUNTS`."""
    kinds = [k for k in signals["kind"].drop_nulls().unique().to_list()
             if kind_family(k, properties) in ("device", "phone")]
    if not kinds:
        return pl.DataFrame(schema={"_c": pl.Int32, OWN_DEVICE: pl.Float64})
    # Signal rows are one per account and value (the contract's reading keeps the earliest).
    rows = signals.lazy().filter(pl.col("kind").is_in(kinds))
    holders = (rows.select(_value_key(), pl.col(VALUE_ACCOUNTS).alias("_holders")).unique("_v")
               if VALUE_ACCOUNTS in signals.columns
               else rows.select(_value_key()).group_by("_v").agg(pl.len().alias("_holders")))
    codes = [IDENTITY_KINDS.index(f) + 1 for f in ("device", "phone")]
    return (personal.filter((pl.col("_ck") % 8).is_in(codes))
            .join(holders, on="_v")
            .group_by((pl.col("_ck") // 8).cast(pl.Int32).alias("_c"), "_a")
            .agg((pl.col("_holders") == 1).any().alias("_own"))
            .group_by("_c").agg(pl.col("_own").mean().alias(OWN_DEVICE))
            .collect(engine="streaming"))


def _held(members: pl.DataFrame, signals: pl.DataFrame, accounts: pl.DataFrame | None,
          properties: Collection[str] = ()) -> pl.DataFrame:
    """The members' signal rows as ``_ck`` (8 x the rank of the cluster id among the
    members' + the kind's position in :data:`IDENTITY_KINDS` + 1, 0 for other kinds),
    ``_a`` (the member's row) and ``_v`` (hash of kind and value)."""
    account = pl.col("account_id").hash(HASH_SEED) if ids_hash_apart(accounts) else pl.col("account_id")
    coded = members.select(account.alias("_key"), pl.int_range(pl.len(), dtype=pl.Int64).alias("_a"),
                           pl.col("cluster_id").rank("dense").cast(pl.Int64).alias("_c") - 1)
    kinds = signals["kind"].drop_nulls().unique().to_list()
    codes = {k: IDENTITY_KINDS.index(f) + 1 for k in kinds if (f := kind_family(k, properties)) is not None}
    kind_code = pl.col("kind").replace_strict(list(codes), list(codes.values()), default=0, return_dtype=pl.Int64)
    return (signals.lazy().select(account.alias("_key"), "kind", "value").join(coded.lazy(), on="_key")
            .select((pl.col("_c") * 8 + kind_code).alias("_ck"), "_a", _value_key())
            .collect(engine="streaming"))


def _value_key() -> pl.Expr:
    """``_v``: the 64-bit hash of a row's (kind, value)."""
    return pl.struct("kind", "value").hash(_VALUE_SEED).alias("_v")


__all__ = ["IDENTITY_KINDS", "OWN_DEVICE", "PERSONAL_FAMILIES", "VALUE_ACCOUNTS", "hub_bound_kinds",
           "identity_features", "is_attribute", "kind_family", "whole_signals"]

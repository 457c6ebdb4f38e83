"""Identifier values that stand for no identifier (syndicate/placeholders.py): told from real
values, left out when the input is validated, counted in the manifest, and no cluster binds
the strangers who send one."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import polars as pl
import pytest

from syndicate.cli import main
from syndicate.contract import validate
from syndicate.placeholders import describe_placeholders, is_placeholder

T0 = datetime(2026, 1, 1)
ZERO_AD_ID = "00000000-0000-0000-0000-000000000000"

PLACEHOLDERS = [ZERO_AD_ID, " Unknown ", "NULL", "n/a", "N/A", "none", "undefined", "0", "-1", "--", "::",
                "0000", "00000000", "ffffffff-ffff", "FFFF:FFFF", "xxxxxxxx", "****", "1111 1111 1111 1111",
                "0.0.0.0", "127.0.0.1", "::1", "02:00:00:00:00:00", "9774D56D682E549C", "(null)", "<NA>", "#N/A", "\\N",
                "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                "da39a3ee5e6b4b0d3255bfef95601890afd80709", "d41d8cd98f00b204e9800998ecf8427e",
                "+0000000000", "(000) 000-0000", "0.0", "0x0", "localhost", "<nil>", "[none]", "255.255.255.255",
                "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1", "...", "."]
VALUES = ["d1", "d", "7", "00", "007", "000", "abab", "a1b2c3d4", "9c01d2e4a1b2c3d4", "10.0.0.1", "192.168.1.1",
          "2001:db8::1", "+15551234567", "0000000000000001", "ffffffffffffff01", "unknown-device-17", "nan1",
          "3fa85f64-5717-4562-b3fc-2c963f66afa6", "gmail.com", "\\n1", "na1", "d41d8cd98f00b204e9800998ecf8427f",
          # dots separate no run: addresses and versions
          "1.1.1.1", "8.8.8.8", "11.11.11.11", "11.1.1", "+1 (555) 000-1234"]


@pytest.mark.parametrize("value", PLACEHOLDERS)
def test_placeholders_are_read_as_no_identifier(value):
    assert pl.select(is_placeholder(pl.lit(value))).item() is True


@pytest.mark.parametrize("value", VALUES)
def test_identifiers_and_short_runs_stay_values(value):
    assert pl.select(is_placeholder(pl.lit(value))).item() is False


def test_a_null_value_is_no_placeholder_the_contract_reports_it():
    assert pl.select(is_placeholder(pl.lit(None, dtype=pl.String))).item() is False


def _tables(n_strangers: int = 10, zero: str = ZERO_AD_ID) -> dict[str, pl.DataFrame]:
    """Ten rings of four on one device each; ``n_strangers`` accounts on devices of their own
    that all send ``zero`` as their advertising id (ten on one real id bind: 0.9 / log2(10)
    is above min_edge_weight); the rings like thirty targets in step."""
    ring = [f"r{i:03d}" for i in range(40)]
    strangers = [f"s{i:03d}" for i in range(n_strangers)]
    ids = ring + strangers
    accounts = pl.DataFrame({"account_id": ids, "created_at": [T0 - timedelta(days=20 + 3 * i) for i in range(len(ids))]})
    signals = pl.DataFrame({
        "account_id": ids + strangers,
        "kind": ["device"] * len(ids) + ["ad_id"] * n_strangers,
        "value": [f"d{i // 4}" for i in range(40)] + [f"own{i}" for i in range(n_strangers)] + [zero] * n_strangers,
    })
    rows = [(ring[i], "like", f"t{j}", T0 + timedelta(hours=j, seconds=i)) for j in range(30) for i in range(12)]
    rows += [(a, "follow", f"u{k}", T0 + timedelta(days=k % 9, hours=k)) for k, a in enumerate(ids)]
    events = pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")
    return {"accounts": accounts, "signals": signals, "events": events}


def test_validation_leaves_placeholder_signals_out_and_counts_them():
    tables = _tables()
    tables["signals"] = pl.concat([tables["signals"], pl.DataFrame(
        {"account_id": ["r000", "r001", "r002"], "kind": ["phone", "phone", "device"],
         "value": ["00000000", "00000000", " unknown "]})])
    dataset = validate(tables)
    assert dataset.signals.height == 40 + 10  # the devices and the strangers' own; no ad id, phone
    assert not dataset.signals.select(is_placeholder(pl.col("value"))).to_series().any()
    assert dataset.placeholders == {"rows": 13, "accounts": 13, "by_kind": {"ad_id": 10, "device": 1, "phone": 2}}
    assert dataset.row_counts()["signals"] == 50
    [line] = describe_placeholders(dataset.placeholders)
    assert "13 rows of 13 accounts" in line and "ad_id 10, device 1, phone 2" in line
    assert describe_placeholders(validate(_tables(zero="ad-real-value")).placeholders) == []


def test_kinds_named_for_properties_or_last_four_digits_keep_every_value():
    """A country "NA", a name "Nan" and a card's last four digits "1111" are values; the same
    texts as device ids are placeholders."""
    tables = _tables(n_strangers=0)
    extra = pl.DataFrame({"account_id": ["r000", "r001", "r002", "r003", "r004", "r005"],
                          "kind": ["country", "Holder_Name", "card_last4", "device", "device", "ip"],
                          "value": ["NA", "Nan", "1111", "NA", "1111", "1.1.1.1"]})
    dataset = validate({**tables, "signals": pl.concat([tables["signals"], extra])})
    assert dataset.placeholders == {"rows": 2, "accounts": 2, "by_kind": {"device": 2}}
    kept = dataset.signals.filter(pl.col("account_id").is_in(["r000", "r001", "r002", "r005"]))
    assert sorted(kept.filter(pl.col("kind") != "device")["value"].to_list()) == ["1.1.1.1", "1111", "NA", "Nan"]


def test_placeholder_sightings_do_not_move_the_reference_time():
    """Rows left out are left out before the run reads "now" from the data."""
    tables = _tables()
    latest = tables["events"]["ts"].max()
    signals = tables["signals"].with_columns(
        pl.when(pl.col("kind") == "ad_id").then(pl.lit(latest + timedelta(days=40)))
        .otherwise(pl.lit(latest - timedelta(days=1))).alias("seen_at"))
    dataset = validate({**tables, "signals": signals})
    assert dataset.reference_time == latest
    assert dataset.timestamps.get("out_of_range", {}) == {}


def test_signals_of_placeholders_only_are_given_but_empty():
    tables = _tables()
    tables["signals"] = tables["signals"].filter(pl.col("kind") == "ad_id")
    dataset = validate(tables)
    assert dataset.signals is None and "signals" in dataset.empty_tables
    assert dataset.placeholders["rows"] == 10 and dataset.row_counts()["signals"] == 0


def _run(tmp_path, capsys, tables, name):
    data = tmp_path / f"{name}-data"
    data.mkdir()
    for table, frame in tables.items():
        frame.write_parquet(data / f"{table}.parquet")
    out = tmp_path / name
    code = main(["run", str(data), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 0, err
    members = pl.read_parquet(out / "members.parquet")
    return members, json.loads((out / "manifest.json").read_text()), err


def test_strangers_sending_the_all_zero_advertising_id_are_no_cluster(tmp_path, capsys):
    members, manifest, err = _run(tmp_path, capsys, _tables(), "zero")
    strangers = members.filter(pl.col("account_id").str.starts_with("s"))
    assert strangers.height == 0
    assert manifest["placeholder_signals"] == {"rows": 10, "accounts": 10, "by_kind": {"ad_id": 10}}
    assert manifest["input_rows"]["signals"] == 50
    assert "placeholder" in err and "ad_id 10" in err
    # the rings are found as before
    rings = members.filter(pl.col("account_id").str.starts_with("r"))
    assert rings.height == 40

    # The same ten accounts on one real shared value are a cluster: the test can fail.
    members, manifest, _ = _run(tmp_path, capsys, _tables(zero="5f1e0a9d2c"), "shared")
    strangers = members.filter(pl.col("account_id").str.starts_with("s"))
    assert strangers.height == 10 and strangers["cluster_id"].n_unique() == 1
    assert manifest["placeholder_signals"] == {}


PLATFORM_DEFAULT = "AD-ID-NOT-GRANTED"  # no listed form: a value until the config names it


def test_a_platforms_own_default_is_left_out_once_the_config_names_it():
    """`[identity] placeholder_values`: a value the platform writes where an identifier is
    missing, compared in any case and with white space around it, is left out and counted like
    the listed ones; without the setting it stays a value."""
    tables = _tables(zero=PLATFORM_DEFAULT)
    assert validate(tables).placeholders == {}
    dataset = validate(tables, placeholder_values=(" ad-id-not-granted ",))
    assert dataset.placeholders == {"rows": 10, "accounts": 10, "by_kind": {"ad_id": 10}}
    assert PLATFORM_DEFAULT not in dataset.signals["value"].to_list()
    # a kind named for a property keeps the value (as it keeps "NA")
    country = pl.DataFrame({"account_id": ["r000"], "kind": ["country"], "value": [PLATFORM_DEFAULT]})
    kept = validate({**tables, "signals": pl.concat([tables["signals"], country])},
                    placeholder_values=(PLATFORM_DEFAULT,))
    assert kept.signals.filter(pl.col("kind") == "country")["value"].to_list() == [PLATFORM_DEFAULT]


@pytest.mark.parametrize("value", ["GERÄT-UNBEKANNT", "n/a (see docs)", "id.*?[0-9]+$", "\\N/A", "İD-YOK"])
def test_configured_values_match_as_written_and_no_other_text(value):
    """Values with regular-expression characters or non-ASCII letters match themselves (with
    white space around, and ASCII letters in any case) and not what their characters would
    match as an expression."""
    values = pl.Series([value, f"  {value} ", value.swapcase() if value.isascii() else value, "id42", "idx9", "N/A2"])
    found = pl.select(is_placeholder(pl.lit(values), extra=[value])).to_series().to_list()
    assert found == [True, True, True, False, False, False]


def test_a_string_for_the_values_is_refused():
    from syndicate.api import load_dataset

    with pytest.raises(TypeError, match="a list of values, not one string"):
        validate(_tables(), placeholder_values="AD-ID-NOT-GRANTED")
    with pytest.raises(TypeError, match="a list of values, not one string"):
        load_dataset(_tables(), placeholder_values="AD-ID-NOT-GRANTED")


def test_the_api_leaves_the_values_out_of_a_dataset_validated_before():
    """A Dataset made before the config was known (`load_dataset(tables)`, then a stage with the
    config) loses the configured values' rows at the stage, counted with the listed ones."""
    from syndicate.api import build_links, load_dataset
    from syndicate.config import Config

    config = Config.from_dict({"identity": {"placeholder_values": [PLATFORM_DEFAULT]}})
    tables = _tables(zero=PLATFORM_DEFAULT)
    tables["signals"] = pl.concat([tables["signals"], pl.DataFrame(
        {"account_id": ["r000"], "kind": ["phone"], "value": ["00000000"]})])
    dataset = load_dataset(tables)
    assert dataset.placeholders == {"rows": 1, "accounts": 1, "by_kind": {"phone": 1}}
    strangers = pl.col("account_a").str.starts_with("s") & pl.col("account_b").str.starts_with("s")
    assert build_links(dataset).edges.filter(strangers).height == 45  # ten on one value: one "operator"
    assert build_links(dataset, config=config).edges.filter(strangers).height == 0
    # every stage of the API given the config: a whole run in memory
    from syndicate.api import run

    result = run(tables, config=config)
    assert result.manifest["placeholder_signals"]["by_kind"] == {"ad_id": 10, "phone": 1}
    assert not result.members["account_id"].str.starts_with("s").any()
    cleaned = load_dataset(dataset, placeholder_values=config.identity.placeholder_values)
    assert cleaned.placeholders == {"rows": 11, "accounts": 11, "by_kind": {"ad_id": 10, "phone": 1}}
    assert dataset.signals.height == cleaned.signals.height + 10  # the given Dataset is left as it was


def test_the_configured_default_binds_no_one_in_the_run_nor_in_its_cases(tmp_path, capsys):
    from syndicate.cases import load_run_inputs

    config = tmp_path / "syndicate.toml"
    config.write_text('[identity]\nplaceholder_values = ["ad-id-not-granted"]\n')
    tables = _tables(zero=PLATFORM_DEFAULT)
    members, _, _ = _run(tmp_path, capsys, tables, "plain")
    assert members.filter(pl.col("account_id").str.starts_with("s")).height == 10  # one "operator"

    data = tmp_path / "named-data"
    data.mkdir()
    for table, frame in tables.items():
        frame.write_parquet(data / f"{table}.parquet")
    out = tmp_path / "named"
    assert main(["run", str(data), "--out", str(out), "--config", str(config), "--quiet"]) == 0
    assert "placeholder" in capsys.readouterr().err
    members = pl.read_parquet(out / "members.parquet")
    assert members.filter(pl.col("account_id").str.starts_with("s")).height == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["placeholder_signals"] == {"rows": 10, "accounts": 10, "by_kind": {"ad_id": 10}}
    # a case of the run reads the same signals (its identity evidence has no such value)
    dataset, note = load_run_inputs(manifest, names=("accounts", "signals"))
    assert note is None and PLATFORM_DEFAULT not in dataset.signals["value"].to_list()


class _Handed(Exception):
    """Raised by a stand-in stage once it has seen what it was handed."""


@pytest.mark.parametrize("stage", ["cluster_features", "score_accounts", "train_risk_model", "train command"])
def test_every_stage_given_the_config_hands_on_data_without_the_values(stage, monkeypatch, tmp_path):
    """The API's later stages and `syndicate train` read `[identity] placeholder_values` as
    `build_links` and `run` do: what reaches the stage's work has no configured value left."""
    import syndicate.pipeline
    import syndicate.risk.train
    from syndicate import api

    config_file = tmp_path / "syndicate.toml"
    config_file.write_text('[identity]\nplaceholder_values = ["ad-id-not-granted"]\n')
    config = api.Config.from_toml(config_file)
    tables = _tables(zero=PLATFORM_DEFAULT)
    dataset = api.load_dataset(tables)  # validated before the config was known: the value is in it
    assert PLATFORM_DEFAULT in dataset.signals["value"].to_list()
    handed = []

    def stand_in(data, *args, **kwargs):
        handed.extend(data.values() if isinstance(data, dict) else [data])
        raise _Handed

    if stage in ("cluster_features", "score_accounts"):
        links = api.build_links(dataset)
        members = api.find_clusters(links, dataset)
        monkeypatch.setattr(syndicate.pipeline, "features" if stage == "cluster_features" else stage, stand_in)
        with pytest.raises(_Handed):
            if stage == "cluster_features":
                api.cluster_features(dataset, members, links, config=config)
            else:
                clusters = pl.DataFrame({"cluster_id": members["cluster_id"].unique(), "risk_score": 0.5,
                                         "model_score": 0.5})
                api.score_accounts(dataset, links, members, clusters, config=config)
    else:
        monkeypatch.setattr(syndicate.risk.train, "train_risk_model", stand_in)
        with pytest.raises(_Handed):
            if stage == "train_risk_model":
                api.train_risk_model({"jan": dataset, "feb": tables}, config=config)
            else:
                data = tmp_path / "data"
                data.mkdir()
                for table, frame in tables.items():
                    frame.write_parquet(data / f"{table}.parquet")
                main(["train", str(data), "--out", str(tmp_path / "model"), "--config", str(config_file), "--quiet"])
        assert not (tmp_path / "model").exists()
    assert len(handed) == (2 if stage == "train_risk_model" else 1)
    for seen in handed:
        assert PLATFORM_DEFAULT not in seen.signals["value"].to_list()
        assert seen.placeholders["by_kind"] == {"ad_id": 10}

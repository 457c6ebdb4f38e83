import pytest

from syndicate.config import Config, ConfigError


def test_config_round_trips_through_toml(tmp_path):
    config = Config(seed=5)
    path = tmp_path / "c.toml"
    path.write_text(config.to_toml())
    assert Config.from_toml(path) == config


def test_partial_toml_overrides_only_what_it_names(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('seed = 3\n[identity]\nhub_cap = 50\nkind_strength = { device = 0.8, wifi = 0.2 }\n')
    config = Config.from_toml(path)
    assert config.seed == 3 and config.identity.hub_cap == 50
    assert config.identity.kind_strength["device"] == 0.8 and config.identity.kind_strength["wifi"] == 0.2
    assert config.identity.kind_strength["payment"] == 0.9
    assert config.cluster == Config().cluster


@pytest.mark.parametrize(
    "text, message",
    [
        ("[identity]\nhub_kap = 5\n", r"unknown config key\(s\) identity.hub_kap; allowed keys in identity: hub_cap"),
        ("[identity]\nhub_cap = 1\n", r"'identity.hub_cap' parameter must be an int >= 2. Got 1 instead"),
        ("[cluster]\nmin_edge_weight = 'high'\n", r"'cluster.min_edge_weight' parameter must be float. Got 'high'"),
        ("[lockstep]\nenabled = 1\n", r"'lockstep.enabled' parameter must be true or false"),
        ("identity = 3\n", r"'identity' must be a table"),
        ("[identity]\nkind_strength = { device = 2 }\n", r"kind = strength in \[0, 1\)"),
        ("seed = ", r"is not valid TOML"),
        ("[identity]\nproperty_hub_share = 0\n", r"'identity.property_hub_share' parameter must be a float in \(0, 1\]"),
        ("[identity]\nproperty_small_share = 1\n",
         r"'identity.property_small_share' parameter must be a float in \[0, 1\)"),
        ("[identity]\nproperty_kinds = 'ua_fp'\n", r"'identity.property_kinds' parameter must be a list of strings"),
        ("[identity]\nchurn_families = ['ips']\n", r"'identity.churn_families' parameter must be a list of device, "),
        ("[identity]\nchurn_quantile = 1.5\n", r"'identity.churn_quantile' parameter must be a number in \[0, 1\]"),
        ("[identity]\nchurn_ordinary = 0\n", r"'identity.churn_ordinary' parameter must be an int >= 1"),
        ("[cluster]\ncoaction_sparse_max_burst = 1\n",
         r"'cluster.coaction_sparse_max_burst' parameter must be an int >= 2"),
        ("[cluster]\ncoaction_sparse = 'yes'\n", r"'cluster.coaction_sparse' parameter must be true or false"),
        ("[lockstep]\nclock_seconds = -60\n", r"'lockstep.clock_seconds' parameter must be an int in \[0, 2678400\]"),
        ("[lockstep]\nclock_seconds = 1.5\n", r"'lockstep.clock_seconds' parameter must be int"),
        ("[identity]\nplaceholder_values = 'n/a'\n", r"'identity.placeholder_values' parameter must be a list of strings"),
        ("[identity]\nplaceholder_values = ['x', '  ']\n",
         r"'identity.placeholder_values' parameter must be at most 1,000 non-empty values of at most 128 characters"),
        ("[identity]\nplaceholder_values = [" + ", ".join(f"'v{i}'" for i in range(1001)) + "]\n",
         r"'identity.placeholder_values' parameter must be at most 1,000 non-empty values"),
        ("[identity]\nplaceholder_values = [" + ", ".join(f"'{i:03d}{'x' * 125}'" for i in range(170)) + "]\n",
         r"at most 128 characters, 20,000 in all. Got"),
    ],
)
def test_bad_config_values_name_the_key_and_what_is_allowed(tmp_path, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        Config.from_toml(path)


def test_placeholder_values_are_values_kept_as_written(tmp_path):
    """Kinds are names (lower-cased); a platform's placeholder values are data, kept as written
    but for the white space around them (a non-ASCII capital would not match lower-cased)."""
    path = tmp_path / "c.toml"
    path.write_text('[identity]\nplaceholder_values = [" GERÄT-UNBEKANNT ", "AD-ID-NOT-GRANTED"]\n')
    assert Config.from_toml(path).identity.placeholder_values == ("GERÄT-UNBEKANNT", "AD-ID-NOT-GRANTED")


def test_property_kinds_are_read_as_the_contract_writes_kinds(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[identity]\nproperty_kinds = [" UA_FP", "ua_fp", "Pickup_Point"]\nproperty_hub_share = 1\n')
    identity = Config.from_toml(path).identity
    assert identity.property_kinds == ("ua_fp", "pickup_point") and identity.property_hub_share == 1.0


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        Config.from_toml(tmp_path / "nope.toml")

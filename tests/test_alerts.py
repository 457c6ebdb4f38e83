"""Alert rules: what fires, what stays silent, and how the rules are configured."""

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest

from syndicate.alerts import alerts_document, evaluate_alerts, run_metrics
from syndicate.config import AlertConfig, Config, ConfigError

RULES = AlertConfig(min_baseline_runs=2)


def clusters(*rows: tuple) -> pl.DataFrame:
    """rows of (cluster_id, size, risk_score, lineage, previous_id, previous_size)."""
    frame = pl.DataFrame(rows, orient="row", schema={
        "cluster_id": pl.String, "size": pl.UInt32, "risk_score": pl.Float64, "lineage": pl.String,
        "previous_id": pl.String, "previous_size": pl.UInt32})
    return frame.with_columns(pl.lit("matrix_accounts").alias("archetype"))


QUIET = {"new_accounts": 10, "accounts_joined": 5}


def fired(frame, metrics=QUIET, baseline=None, rules=RULES, has_previous=True):
    return [(a.rule, a.cluster_id) for a in evaluate_alerts(
        frame, metrics, rules=rules, baseline=baseline, has_previous=has_previous)]


def test_new_cluster_above_the_threshold_fires():
    frame = clusters(("Cnew", 12, 0.91, "new", None, None),
                     ("Clow", 12, 0.40, "new", None, None),
                     ("Ctiny", 2, 0.99, "new", None, None),
                     ("Cold", 12, 0.95, "persisting", "Cold", 12))

    assert fired(frame) == [("new_high_risk_cluster", "Cnew")]


def test_first_run_raises_no_cluster_alerts():
    frame = clusters(("Cnew", 12, 0.91, "new", None, None))

    assert fired(frame, has_previous=False) == []


def test_growth_needs_the_percentage_the_accounts_and_the_risk():
    frame = clusters(("Cbig", 30, 0.9, "grown", "Cbig", 10),      # +200%, +20 accounts: fires
                     ("Csmall", 3, 0.9, "grown", "Csmall", 2),    # +50% but one account
                     ("Cslow", 12, 0.9, "grown", "Cslow", 10),    # +20%
                     ("Cbenign", 30, 0.1, "grown", "Cbenign", 10),  # not risky
                     ("Cmerge", 40, 0.8, "merged", "Cmerge", 20))  # absorbed others: +100%

    assert fired(frame) == [("cluster_grew", "Cbig"), ("cluster_grew", "Cmerge")]


def test_spikes_compare_with_the_median_of_recent_runs():
    baseline = pl.DataFrame({"new_accounts": [10, 12, 11], "accounts_joined": [5, None, 6]})
    empty = clusters()

    assert fired(empty, {"new_accounts": 60, "accounts_joined": 6}, baseline) == [("registration_spike", None)]
    assert fired(empty, {"new_accounts": 12, "accounts_joined": 80}, baseline) == [("syndicate_join_spike", None)]
    # Twice the median but fewer than spike_min_increase (20) more accounts: a wobble.
    assert fired(empty, {"new_accounts": 28, "accounts_joined": 6}, baseline) == []


def test_spikes_wait_for_enough_history():
    baseline = pl.DataFrame({"new_accounts": [10], "accounts_joined": [None]})

    assert fired(clusters(), {"new_accounts": 500, "accounts_joined": 500}, baseline) == []


def test_disabled_rules_fire_nothing():
    frame = clusters(("Cnew", 12, 0.91, "new", None, None))

    assert fired(frame, rules=AlertConfig(enabled=False)) == []


def test_messages_are_plain_sentences_with_the_numbers():
    frame = clusters(("Cbig", 30, 0.9, "grown", "Cbig", 10))

    (alert,) = evaluate_alerts(frame, QUIET, rules=RULES, has_previous=True)

    assert alert.message == ("Cluster Cbig (matrix accounts, risk score 0.90) grew from 10 to 30 "
                             "accounts (+200%, alert above +50%).")
    document = alerts_document([alert], run_name="2026-05-01", rules=RULES)
    assert document["count"] == 1 and document["alerts"][0]["cluster_id"] == "Cbig"
    assert document["rules"]["growth_pct"] == 50.0


def test_run_metrics_counts_high_risk_new_and_joined_accounts():
    accounts = pl.DataFrame({"account_id": ["a", "b", "c", "d"],
                             "created_at": [datetime(2026, 1, 1), datetime(2026, 4, 30, 12),
                                            datetime(2026, 4, 30, 20), datetime(2026, 3, 1)]})
    members = pl.DataFrame({"account_id": ["a", "b", "c"], "cluster_id": ["C1", "C1", "C2"]})
    frame = pl.DataFrame({"cluster_id": ["C1", "C2"], "size": [2, 1], "risk_score": [0.9, 0.2],
                          "lineage": ["grown", "new"]})
    before = pl.DataFrame({"account_id": ["a"], "cluster_id": ["C1"]})

    metrics = run_metrics(members, frame, accounts, now=datetime(2026, 5, 1), high_risk_threshold=0.7,
                          previous_members=before)

    assert metrics == {"accounts_scanned": 4, "clusters": 2, "accounts_in_clusters": 3,
                       "high_risk_clusters": 1, "accounts_in_high_risk": 2, "new_accounts": 2,
                       "accounts_joined": 2, "new_clusters": 1, "dissolved_clusters": 0}


def test_alert_config_round_trips_and_names_bad_keys():
    config = Config(alerts=AlertConfig(growth_pct=25.0, min_baseline_runs=5))

    assert Config.from_dict(config.to_dict()) == config
    with pytest.raises(ConfigError, match=r"'alerts\.growth_pct' parameter must be a float > 0\. Got -1"):
        Config.from_dict({"alerts": {"growth_pct": -1}})
    with pytest.raises(ConfigError, match=r"unknown config key\(s\) alerts\.growth; allowed keys in alerts"):
        Config.from_dict({"alerts": {"growth": 10}})
    with pytest.raises(ConfigError, match=r"'alerts\.enabled' parameter must be true or false"):
        Config.from_dict({"alerts": {"enabled": "yes"}})


def test_the_daily_pipeline_config_loads():
    path = Path(__file__).resolve().parent.parent / "pipelines" / "daily.toml"

    config = Config.from_toml(path)

    assert config.alerts == AlertConfig()  # written out with the defaults, to be edited


def test_an_input_table_missing_or_far_shorter_than_the_previous_runs_fires_first():
    # A file that did not arrive, or an export cut short, reads as a quiet day: clusters
    # dissolve and the ids and decisions on them go with them. Tables that grow, wobble or
    # appear are no alert; a table present only now is none either.
    previous = {"accounts": 4000, "events": 326_260, "signals": 38_174, "labels": 500}
    today = {"accounts": 4010, "signals": 15_000, "labels": 260, "links": 204}
    got = evaluate_alerts(clusters(("Cnew", 12, 0.91, "new", None, None)), QUIET, rules=RULES,
                          has_previous=True, input_rows=today, previous_input_rows=previous)
    assert [(a.rule, a.cluster_id) for a in got] == [("input_shrank", None), ("input_shrank", None),
                                                      ("new_high_risk_cluster", "Cnew")]
    events, signals = got[0], got[1]
    assert events.message.startswith("Input table events is missing, where the previous run read 326,260")
    assert events.value == 0 and events.threshold == 163_130
    assert "signals holds 15,000 rows" in signals.message and "under 50% of them" in signals.message
    # labels fell to 52%: a wobble above the bar; labels are no evidence clusters rest on, and a
    # missing labels table is no alert either; at 0 the rule is off; without a previous run, silent.
    assert not [a for a in got if "labels" in a.message]
    assert evaluate_alerts(clusters(), QUIET, rules=RULES, has_previous=True, input_rows={"accounts": 4000},
                           previous_input_rows={"accounts": 4000, "labels": 500}) == []
    off = AlertConfig(min_baseline_runs=2, input_min_share=0.0)
    assert evaluate_alerts(clusters(), QUIET, rules=off, has_previous=True, input_rows=today,
                           previous_input_rows=previous) == []
    assert evaluate_alerts(clusters(), QUIET, rules=RULES, has_previous=False, input_rows=today,
                           previous_input_rows=previous) == []
    with pytest.raises(ConfigError, match="input_min_share"):
        Config.from_dict({"alerts": {"input_min_share": 1.5}})


def test_events_repeating_other_rows_exactly_fire_on_every_run_above_the_share():
    # An export appended twice doubles every account's activity: said on the first run too
    # (no previous run needed), first among the alerts; a few repeats (a double tap, a retried
    # request) and a count not made (None: the estimate was far under the bar) are no alert.
    doubled = {"rows": 326_260, "events": 652_520}
    got = evaluate_alerts(clusters(("Cnew", 12, 0.91, "new", None, None)), QUIET, rules=RULES,
                          has_previous=False, repeated_events=doubled)
    assert [a.rule for a in got] == ["input_repeated"]
    assert got[0].message.startswith("326,260 of the 652,520 event rows (50.0%) repeat another row (same account")
    assert got[0].value == 326_260 and got[0].threshold == 65_252
    for quiet in ({"rows": 6_000, "events": 652_520}, {"rows": None, "events": 652_520}, None,
                  {"rows": 0, "events": 0}):
        assert evaluate_alerts(clusters(), QUIET, rules=RULES, repeated_events=quiet) == []
    off = AlertConfig(min_baseline_runs=2, input_max_repeated_share=0.0)
    assert evaluate_alerts(clusters(), QUIET, rules=off, repeated_events=doubled) == []
    with pytest.raises(ConfigError, match="input_max_repeated_share"):
        Config.from_dict({"alerts": {"input_max_repeated_share": 1.0}})
    # The day after: the events are compared with the previous run's less its repeated rows, so a
    # whole day after a doubled one is no export cut short; a day cut short still is.
    previous = {"accounts": 4000, "events": 652_520}
    after = dict(has_previous=True, previous_input_rows=previous, previous_repeated_events=doubled)
    assert evaluate_alerts(clusters(), QUIET, rules=RULES, input_rows={"accounts": 4000, "events": 320_000},
                           **after) == []
    shrank = evaluate_alerts(clusters(), QUIET, rules=RULES, input_rows={"accounts": 4000, "events": 150_000}, **after)
    assert [a.rule for a in shrank] == ["input_shrank"]
    assert "the previous run read 652,520 (326,260 without the rows it found repeated)" in shrank[0].message


def test_repeated_rows_are_counted_exactly_only_near_the_bar():
    from syndicate.encoding import encode_events, repeated_rows

    t0 = datetime(2026, 1, 1)
    n = 2_000
    events = pl.DataFrame({"account_id": [f"a{i % 50:02d}" for i in range(n)],
                           "action": ["like", "view"] * (n // 2),
                           "target_id": [f"t{i % 97}" for i in range(n)],
                           "ts": pl.datetime_range(t0, t0 + pl.duration(seconds=n - 1), "1s", eager=True)})
    ids = pl.Series("account_id", sorted({f"a{i:02d}" for i in range(50)}))

    def counted(frame, share=0.1):
        return repeated_rows(encode_events(frame, ids), at_least=share)

    assert counted(events) is None  # no row repeats
    assert counted(pl.concat([events, events])) == n
    # the same account, action and target a second later, or another action at the same time, is no repeat
    later = events.with_columns(pl.col("ts") + pl.duration(seconds=n))
    other = events.with_columns(pl.lit("share").alias("action"))
    assert counted(pl.concat([events, later, other])) is None
    # 1% repeated: far under the bar by the estimate, not counted; 9% is counted (and is under the bar)
    assert counted(pl.concat([events, events.head(20)])) is None
    assert counted(pl.concat([events, events.head(180)])) == 180
    assert counted(pl.concat([events, events]), share=0.0) is None  # off
    # Events recorded to the hour or coarser repeat rows by themselves: not counted; to the minute, counted.
    assert repeated_rows(encode_events(pl.concat([events, events]), ids), at_least=0.1, clock_s=86_400) is None
    assert repeated_rows(encode_events(pl.concat([events, events]), ids), at_least=0.1, clock_s=3_600) is None
    assert repeated_rows(encode_events(pl.concat([events, events]), ids), at_least=0.1, clock_s=60) == n
    assert repeated_rows(encode_events(pl.concat([events, events]), ids), at_least=0.1, clock_s=1) == n

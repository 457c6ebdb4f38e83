"""Enforcement strategies: selection, TOML loading with validation, and their evaluation."""

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.strategies import (
    DEFAULT_STRATEGIES,
    Strategy,
    StrategyError,
    apply_strategies,
    evaluate_strategies,
    read_strategies,
    strategy_hits,
    threshold_strategies,
)

# Three clusters: a ring (c1, 3 bad), a household (c2, benign, one member labelled good),
# and a mixed pair (c3: one bad, one benign). Account x is bad and in no cluster.
CLUSTERS = pl.DataFrame({
    "cluster_id": ["c1", "c2", "c3"],
    "size": [3, 2, 2],
    "risk_score": [0.95, 0.6, 0.75],
    "rank": [1, 3, 2],
    "archetype": ["matrix_accounts", "household", "engagement_farm"],
    "n_known_bad": [1, 0, 0],
    "n_known_good": [0, 1, 1],
})
MEMBERS = pl.DataFrame({
    "account_id": ["a1", "a2", "a3", "h1", "h2", "p1", "p2"],
    "cluster_id": ["c1", "c1", "c1", "c2", "c2", "c3", "c3"],
})
TRUTH = pl.DataFrame({
    "account_id": ["a1", "a2", "a3", "h1", "h2", "p1", "p2", "x"],
    "is_bad": [True, True, True, False, False, True, False, True],
})
LABELS = pl.DataFrame({"account_id": ["a1", "h1", "p2"], "label": [1, 0, 0]})


def test_selection_by_risk_size_and_archetype():
    strategy = Strategy("s", "ban", min_risk=0.7, min_size=3, archetypes=("matrix_accounts", "mixed"))

    result = CLUSTERS.filter(strategy.selects())["cluster_id"].to_list()

    assert result == ["c1"]
    assert CLUSTERS.filter(Strategy("t", "review", 0.7).selects())["cluster_id"].to_list() == ["c1", "c3"]


def test_evaluate_strategies_known_answers():
    strategies = [Strategy("review", "review", 0.5), Strategy("ban", "ban", 0.9)]

    result = evaluate_strategies(MEMBERS, CLUSTERS, strategies, truth=TRUTH)

    expected = pl.DataFrame({
        "strategy": ["review", "ban"], "level": ["clusters", "clusters"], "action": ["review", "ban"],
        "min_risk": [0.5, 0.9],
        "min_size": [None, None], "archetypes": [None, None],
        "clusters": [3, 1], "accounts": [7, 3], "known_good_hit": [2, 0], "known_bad_hit": [1, 1],
        # 5 of the 8 truth accounts are bad; review hits 4 of them (x is in no cluster).
        "bad_accounts": [4, 3], "benign_hit": [3, 0], "precision": [4 / 7, 1.0], "recall": [4 / 5, 3 / 5],
    }, schema_overrides={"min_size": pl.Int64, "archetypes": pl.String, "clusters": pl.Int64,
                         "accounts": pl.Int64, "known_good_hit": pl.Int64, "known_bad_hit": pl.Int64,
                         "bad_accounts": pl.Int64, "benign_hit": pl.Int64})
    assert_frame_equal(result, expected)


def test_evaluate_strategies_without_truth_reports_counts_only():
    result = evaluate_strategies(MEMBERS, CLUSTERS, DEFAULT_STRATEGIES)

    assert result.columns[-2:] == ["known_good_hit", "known_bad_hit"]
    assert result["clusters"].to_list() == [3, 2, 1]


def test_strategy_with_nothing_selected_has_no_precision():
    result = evaluate_strategies(MEMBERS, CLUSTERS, [Strategy("none", "ban", 1.0)], truth=TRUTH)

    assert result["accounts"][0] == 0 and result["precision"][0] is None and result["recall"][0] == 0.0


def test_strategy_hits_lists_false_positives():
    hits = strategy_hits(Strategy("r", "review", 0.5), MEMBERS, CLUSTERS, labels=LABELS, truth=TRUTH)

    false_positives = hits.filter((pl.col("label") == 0).fill_null(False) | ~pl.col("is_bad"))
    assert sorted(false_positives["account_id"].to_list()) == ["h1", "h2", "p2"]
    assert hits.height == 7


def test_apply_strategies_takes_the_most_severe_action():
    result = apply_strategies(CLUSTERS, DEFAULT_STRATEGIES)

    expected = pl.DataFrame({"cluster_id": ["c1", "c2", "c3"], "action": ["ban", "review", "restrict"],
                             "strategy": ["ban", "review", "restrict"]})
    assert_frame_equal(result, expected)


def test_read_strategies_from_toml(tmp_path):
    path = tmp_path / "strategies.toml"
    path.write_text(
        '[[strategy]]\nname = "soft"\naction = "review"\nmin_risk = 0.4\n\n'
        '[[strategy]]\nname = "hard"\naction = "ban"\nmin_risk = 1\nmin_size = 5\n'
        'archetypes = ["matrix_accounts"]\n'
    )

    result = read_strategies(path)

    assert result == [Strategy("soft", "review", 0.4),
                      Strategy("hard", "ban", 1.0, min_size=5, archetypes=("matrix_accounts",))]


def test_read_strategies_reports_every_problem(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[strategy]]\nname = "a"\naction = "nuke"\nmin_risk = 1.5\n\n'
        '[[strategy]]\nname = "a"\naction = "ban"\nmin_risk = 0.9\nmin_size = 1\ncolour = "red"\n'
        'archetypes = ["robots"]\n\n'
        '[[strategy]]\naction = "ban"\n'
    )

    with pytest.raises(StrategyError) as info:
        read_strategies(path)

    message = str(info.value)
    assert "'action' must be one of review, restrict, ban. Got 'nuke' instead." in message
    assert "'min_risk' must be a number in [0, 1]. Got 1.5 instead." in message
    assert "'min_size' must be an int >= 2. Got 1 instead." in message
    assert "unknown key(s) colour" in message
    assert "Got 'robots' instead" in message
    assert "the name is used twice" in message
    assert "missing key(s) name, min_risk" in message


@pytest.mark.parametrize("text, match", [
    ("", "no strategies"),
    ("strategy = 3", "must be an array of tables"),
    ("[other]\nx = 1", "unknown top-level key"),
    ("[[strategy]\n", "not valid TOML"),
])
def test_read_strategies_rejects_malformed_files(tmp_path, text, match):
    path = tmp_path / "s.toml"
    path.write_text(text)

    with pytest.raises(StrategyError, match=match):
        read_strategies(path)


def test_missing_file_and_bad_constructor_arguments(tmp_path):
    with pytest.raises(StrategyError, match="does not exist"):
        read_strategies(tmp_path / "nope.toml")
    with pytest.raises(StrategyError, match="'min_risk' must be a number in"):
        Strategy("x", "ban", min_risk=-0.1)


def test_threshold_strategies_sweep():
    result = threshold_strategies([0.5, 0.9], min_size=3)

    assert [s.name for s in result] == ["risk>=0.50", "risk>=0.90"]
    assert all(s.action == "review" and s.min_size == 3 for s in result)


# Every account's own score: x is bad and in no cluster; h1 is benign but scored high.
ACCOUNTS = pl.DataFrame({
    "account_id": ["a1", "a2", "a3", "h1", "h2", "p1", "p2", "x"],
    "cluster_id": ["c1", "c1", "c1", "c2", "c2", "c3", "c3", None],
    "risk_score": [0.95, 0.9, 0.5, 0.85, 0.1, 0.8, 0.2, 0.9],
    "label": [1, None, None, 0, None, None, 0, None],
    "burst_share": [0.9, 0.8, 0.1, 0.0, 0.0, 0.7, 0.0, None],
})


def test_account_level_strategy_known_answers():
    strategies = [Strategy("acc", "review", 0.8, level="accounts"),
                  Strategy("acc-burst", "restrict", 0.8, level="accounts", min_features={"burst_share": 0.5})]

    result = evaluate_strategies(MEMBERS, CLUSTERS, strategies, truth=TRUTH, accounts=ACCOUNTS)

    # acc: a1 a2 h1 p1 x (4 bad of 5; 4 of the 5 bad accounts); acc-burst: a1 a2 p1 (x has no value).
    assert result["accounts"].to_list() == [5, 3]
    assert result["clusters"].to_list() == [3, 2]
    assert result["bad_accounts"].to_list() == [4, 3]
    assert result["precision"].to_list() == [4 / 5, 1.0]
    assert result["recall"].to_list() == [4 / 5, 3 / 5]
    assert result["known_good_hit"].to_list() == [1, 0] and result["known_bad_hit"].to_list() == [1, 1]
    hits = strategy_hits(strategies[0], MEMBERS, CLUSTERS, labels=LABELS, truth=TRUTH, accounts=ACCOUNTS)
    assert hits.filter(~pl.col("is_bad"))["account_id"].to_list() == ["h1"]
    assert hits.filter(pl.col("cluster_id").is_null())["account_id"].to_list() == ["x"]
    # apply_strategies maps clusters only; account-level strategies leave it unchanged.
    assert_frame_equal(apply_strategies(CLUSTERS, [*DEFAULT_STRATEGIES, *strategies]),
                       apply_strategies(CLUSTERS, DEFAULT_STRATEGIES))


def test_account_level_strategy_errors():
    with pytest.raises(StrategyError, match="level = \"accounts\" cannot use them"):
        Strategy("s", "ban", 0.9, min_size=3, level="accounts")
    with pytest.raises(StrategyError, match="'level' must be one of clusters, accounts. Got 'users'"):
        Strategy("s", "ban", 0.9, level="users")
    with pytest.raises(StrategyError, match="has no accounts table"):
        evaluate_strategies(MEMBERS, CLUSTERS, [Strategy("s", "ban", 0.9, level="accounts")])
    with pytest.raises(StrategyError, match="min_features names column.s. nope that the accounts table lacks"):
        evaluate_strategies(MEMBERS, CLUSTERS, [Strategy("s", "ban", 0.9, level="accounts",
                                                         min_features={"nope": 1})], accounts=ACCOUNTS)


def test_account_level_strategy_from_toml_round_trips(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[[strategy]]\nname = "lone"\nlevel = "accounts"\naction = "review"\nmin_risk = 0.8\n'
                    'min_features = { burst_share = 0.5 }\n\n'
                    '[[strategy]]\nname = "old"\naction = "ban"\nmin_risk = 0.9\n')

    lone, old = read_strategies(path)

    assert lone == Strategy("lone", "review", 0.8, level="accounts", min_features={"burst_share": 0.5})
    assert old.level == "clusters" and old.to_dict() == {"name": "old", "action": "ban", "min_risk": 0.9}
    assert lone.to_dict()["min_features"] == {"burst_share": 0.5}
    assert lone.describe() == "lone: review accounts with risk >= 0.80 and burst_share >= 0.5"

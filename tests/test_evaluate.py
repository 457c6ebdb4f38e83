"""Metrics against truth: known answers on a tiny run, truth checking, files, and the command."""

import json

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.cli import main
from syndicate.evaluate import (
    TruthError,
    account_scores,
    cluster_truth,
    evaluate,
    group_recovery,
    normalise_truth,
    read_truth,
    write_evaluation,
)
from syndicate.strategies import Strategy

# Ring g1 (4 accounts) is found as c1 plus a stray benign member; ring g2 (4 accounts) is split
# into two pairs c2/c3 (best Jaccard 0.5: found, but only c2 is flagged); c4 is a benign pair
# with a high score (a false positive). o1 and o2 are organic and unclustered.
MEMBERS = pl.DataFrame({
    "account_id": ["r1", "r2", "r3", "r4", "b1", "s1", "s2", "s3", "s4", "h1", "h2"],
    "cluster_id": ["c1"] * 5 + ["c2", "c2", "c3", "c3", "c4", "c4"],
})
CLUSTERS = pl.DataFrame({
    "cluster_id": ["c1", "c2", "c3", "c4"],
    "size": [5, 2, 2, 2],
    "risk_score": [0.9, 0.8, 0.3, 0.75],
    "rank": [1, 2, 4, 3],
    "archetype": ["matrix_accounts", "matrix_accounts", "low_risk", "household"],
    "n_known_bad": [1, 0, 0, 0],
    "n_known_good": [0, 0, 0, 1],
})
TRUTH = pl.DataFrame({
    "account_id": ["r1", "r2", "r3", "r4", "b1", "s1", "s2", "s3", "s4", "h1", "h2", "o1", "o2"],
    "group_id": ["g1"] * 4 + [None] + ["g2"] * 4 + ["hh1", "hh1", None, None],
    "group_kind": ["matrix_ring"] * 4 + ["organic"] + ["evasive_ring"] * 4 + ["household"] * 2 + ["organic"] * 2,
    "is_bad": [True] * 4 + [False] + [True] * 4 + [False] * 4,
})


def test_account_scores_take_the_cluster_risk_or_zero():
    result = account_scores(MEMBERS, CLUSTERS, TRUTH).sort("account_id")

    assert result.filter(pl.col("account_id") == "o1")["risk_score"].to_list() == [0.0]
    assert result.filter(pl.col("account_id") == "s3")["risk_score"].to_list() == [0.3]
    assert result.height == TRUTH.height


def test_run_accounts_the_truth_leaves_out_count_as_not_bad_in_the_account_view():
    # b1, a benign member of the risky c1, missing from the truth: still a false positive there.
    truth = TRUTH.filter(pl.col("account_id") != "b1")
    result = account_scores(MEMBERS, CLUSTERS, normalise_truth(truth), pl.Series(["o1", "x9"]))
    assert result.filter(pl.col("account_id") == "b1").select("is_bad", "risk_score").rows() == [(False, 0.9)]
    assert result.filter(pl.col("account_id") == "x9").select("is_bad", "risk_score").rows() == [(False, 0.0)]
    assert result.height == truth.height + 2
    full = evaluate(MEMBERS, CLUSTERS, TRUTH, threshold=0.7, strategies=())
    left_out = evaluate(MEMBERS, CLUSTERS, truth, threshold=0.7, strategies=())
    assert left_out.metrics["accounts"] == full.metrics["accounts"]
    assert left_out.warnings == ["the truth table covers 10 of the run's 11 clustered accounts; the other 1 count "
                                 "as not bad in every figure"]


def test_a_group_is_one_group_whatever_kinds_its_members_carry_and_a_tie_goes_to_the_riskier_cluster():
    truth = TRUTH.with_columns(pl.when(pl.col("account_id").is_in(["s3", "s4"])).then(None)
                               .otherwise(pl.col("group_kind")).alias("group_kind"))
    riskier_c3 = CLUSTERS.with_columns(pl.when(pl.col("cluster_id") == "c3").then(0.85)
                                       .otherwise(pl.col("risk_score")).alias("risk_score"))
    result = group_recovery(MEMBERS, riskier_c3, normalise_truth(truth), threshold=0.7)
    assert result.select("group_id", "group_kind", "group_size", "cluster_id", "jaccard").sort("group_id").rows() == [
        ("g1", "matrix_ring", 4, "c1", 0.8), ("g2", "evasive_ring", 4, "c3", 0.5)]


def test_top_k_precision_is_out_of_k_when_the_run_has_fewer_clusters():
    few = evaluate(MEMBERS.filter(pl.col("cluster_id") == "c1"), CLUSTERS.filter(pl.col("cluster_id") == "c1"),
                   TRUTH, threshold=0.7, top_k=2, strategies=())
    assert few.metrics["top_k"] == {"k": 2, "bad": 1, "precision": 0.5, "kinds": {"matrix_ring": 1}}
    none = evaluate(MEMBERS.clear(), CLUSTERS.clear(), TRUTH, threshold=0.7, strategies=())
    assert none.metrics["top_k"]["precision"] == 0.0 and none.metrics["groups"]["found"] == 0


def test_a_run_without_an_accounts_table_is_checked_against_the_truth_by_its_members():
    # Its cluster members the truth leaves out are said (a truth of known-bad accounts the
    # clustering missed may hold none of them: measured, not refused).
    other = TRUTH.with_columns(pl.col("account_id").str.to_uppercase())
    result = evaluate(MEMBERS, CLUSTERS, other, threshold=0.7, strategies=())
    assert result.warnings == ["the truth table covers 0 of the run's 11 clustered accounts; the other 11 count "
                               "as not bad in every figure"]
    assert result.metrics["groups"]["found"] == 0
    # A benign member the truth leaves out still counts among the benign accounts flagged.
    left_out = evaluate(MEMBERS, CLUSTERS, TRUTH.filter(pl.col("account_id") != "b1"), threshold=0.7, strategies=())
    assert left_out.metrics["benign_flagged_by_kind"] == evaluate(
        MEMBERS, CLUSTERS, TRUTH.with_columns(pl.when(pl.col("account_id") == "b1").then(None)
                                              .otherwise(pl.col("group_kind")).alias("group_kind")),
        threshold=0.7, strategies=()).metrics["benign_flagged_by_kind"]


def test_cluster_is_bad_when_most_members_are():
    result = cluster_truth(MEMBERS, CLUSTERS, normalise_truth(TRUTH))

    assert dict(result.select("cluster_id", "is_bad").rows()) == {"c1": True, "c2": True, "c3": True, "c4": False}
    assert dict(result.select("cluster_id", "bad_members").rows()) == {"c1": 4, "c2": 2, "c3": 2, "c4": 0}


def test_group_recovery_best_jaccard():
    result = group_recovery(MEMBERS, CLUSTERS, normalise_truth(TRUTH), threshold=0.7)

    expected = pl.DataFrame({
        "group_id": ["g2", "g1"], "group_kind": ["evasive_ring", "matrix_ring"], "group_size": [4, 4],
        # g1: 4 shared / (4 + 5 - 4); g2: c2 and c3 tie at 2 / 4, the riskier (first ranked) wins.
        "cluster_id": ["c2", "c1"], "jaccard": [0.5, 0.8], "risk_score": [0.8, 0.9],
        "found": [True, True], "flagged": [True, True],
    }, schema_overrides={"group_size": pl.UInt32})
    assert_frame_equal(result, expected)


def test_evaluate_known_answers():
    result = evaluate(MEMBERS, CLUSTERS, TRUTH, threshold=0.7,
                      strategies=[Strategy("review", "review", 0.7)])
    m = result.metrics

    # flagged accounts: c1 (5), c2 (2), c4 (2) -> 9, of which 6 bad; 8 bad in all.
    assert m["accounts"] | {"average_precision": None} == {
        "n": 13, "bad": 8, "flagged": 9, "true_positives": 6, "precision": 6 / 9, "recall": 6 / 8,
        "average_precision": None}
    # clusters: c1, c2, c3 bad; flagged c1, c2, c4.
    assert (m["clusters"]["precision"], m["clusters"]["recall"]) == (2 / 3, 2 / 3)
    assert m["groups"]["by_kind"]["evasive_ring"]["found"] == 1
    assert m["groups"]["recall"] == 1.0
    # K = 2 planted groups; the top two clusters (c1, c2) are both bad.
    assert m["top_k"] == {"k": 2, "bad": 2, "precision": 1.0,
                          "kinds": {"evasive_ring": 1, "matrix_ring": 1}}
    assert m["benign_flagged_by_kind"]["household"] == {"accounts": 2, "flagged": 2}
    assert m["strategies"][0]["benign_hit"] == 3 and m["strategies"][0]["known_good_hit"] == 1
    assert sorted(result.false_positives["account_id"].to_list()) == ["b1", "h1", "h2"]
    assert 0 < m["accounts"]["average_precision"] <= 1


def test_false_positives_are_judged_against_the_truth_not_the_labels():
    # r1 is labelled good but the truth says bad (label noise): not a false positive.
    labels = pl.DataFrame({"account_id": ["r1", "h1"], "label": [0, 0]})
    result = evaluate(MEMBERS, CLUSTERS, TRUTH, threshold=0.7, labels=labels,
                      strategies=[Strategy("review", "review", 0.7)])

    listed = dict(zip(result.false_positives["account_id"], result.false_positives["label"]))
    assert listed == {"b1": None, "h1": 0, "h2": None}
    assert not result.false_positives["is_bad"].any()


def test_top_k_can_be_given():
    result = evaluate(MEMBERS, CLUSTERS, TRUTH, threshold=0.7, top_k=3)

    top = result.metrics["top_k"]
    assert (top["k"], top["bad"], top["precision"]) == (3, 2, 2 / 3)
    assert sum(top["kinds"].values()) == 3


def test_truth_without_groups_skips_group_recall():
    truth = TRUTH.select("account_id", pl.col("is_bad").cast(pl.Int64))

    result = evaluate(MEMBERS, CLUSTERS, truth, threshold=0.7)

    assert "groups" not in result.metrics and result.groups is None
    assert result.metrics["top_k"]["k"] == 3  # the number of bad clusters


@pytest.mark.parametrize("truth, match", [
    (pl.DataFrame({"account_id": ["a"]}), "missing column\\(s\\) is_bad"),
    (pl.DataFrame({"account_id": ["a", "b"], "is_bad": ["yes", "maybe"]}), "1 value\\(s\\) are not true/false"),
    # each wrong value named once, however many rows hold it
    (pl.DataFrame({"account_id": list("abcd"), "is_bad": ["good", "good", "bad", "good"]}),
     "4 value\\(s\\) are not true/false or 1/0 \\(examples: 'good', 'bad'\\)$"),
    (pl.DataFrame({"account_id": ["a", "a"], "is_bad": [1, 0]}), "1 id\\(s\\) appear more than once"),
])
def test_bad_truth_is_a_clear_error(truth, match):
    with pytest.raises(TruthError, match=match):
        normalise_truth(truth)


def test_read_truth_csv_and_missing_file(tmp_path):
    path = tmp_path / "truth.csv"
    path.write_text("account_id,is_bad,group_id\na,1,g\nb,false,\n")

    result = read_truth(path)

    assert result["is_bad"].to_list() == [True, False]
    with pytest.raises(TruthError, match="does not exist"):
        read_truth(tmp_path / "nope.parquet")


def test_accounts_and_groups_without_a_kind_are_counted_and_written(tmp_path):
    # Generators and real truth tables leave the kind of plain accounts (and of some groups)
    # null: the figures name them, and evaluation.json (whose keys cannot be null) is written.
    truth = TRUTH.with_columns(pl.when(pl.col("group_id").is_null() | (pl.col("group_id") == "g2"))
                               .then(None).otherwise(pl.col("group_kind")).alias("group_kind"))
    result = evaluate(MEMBERS, CLUSTERS, truth, threshold=0.7)

    assert result.metrics["benign_flagged_by_kind"]["(no group)"] == {"accounts": 3, "flagged": 1}
    assert result.metrics["groups"]["by_kind"]["bad"]["planted"] == 1
    write_evaluation(result, tmp_path / "ev")
    saved = json.loads((tmp_path / "ev" / "evaluation.json").read_text())
    assert saved["benign_flagged_by_kind"]["(no group)"]["accounts"] == 3


def test_write_evaluation_files(tmp_path):
    result = evaluate(MEMBERS, CLUSTERS, TRUTH, threshold=0.7)

    write_evaluation(result, tmp_path / "ev")

    assert {p.name for p in (tmp_path / "ev").iterdir()} == {"evaluation.json", "pr_curve.png", "false_positives.csv"}
    saved = json.loads((tmp_path / "ev" / "evaluation.json").read_text())
    assert saved["accounts"]["precision"] == pytest.approx(6 / 9)
    assert (tmp_path / "ev" / "pr_curve.png").read_bytes()[:4] == b"\x89PNG"


@pytest.fixture(scope="module")
def generated_run(tmp_path_factory):
    from syndicate.io import write_tables
    from syndicate.synthetic import generate_marketplace

    work = tmp_path_factory.mktemp("evaluate")
    write_tables(generate_marketplace(5_000, seed=3), work / "data")
    assert main(["run", str(work / "data"), "--out", str(work / "run"), "--quiet"]) == 0
    return work


@pytest.mark.slow
def test_evaluate_command_end_to_end(generated_run, capsys):
    work = generated_run
    (work / "s.toml").write_text('[[strategy]]\nname = "wide"\naction = "review"\nmin_risk = 0.3\n\n'
                                 '[[strategy]]\nname = "lone"\nlevel = "accounts"\naction = "review"\n'
                                 'min_risk = 0.5\nmin_features = { burst_share = 0.1 }\n')

    code = main(["evaluate", str(work / "run"), "--truth", str(work / "data" / "truth.parquet"),
                 "--out", str(work / "ev"), "--strategies", str(work / "s.toml")])

    assert code == 0
    out = capsys.readouterr().out
    assert "accounts" in out and "wide" in out and "matrix_ring" in out
    metrics = json.loads((work / "ev" / "evaluation.json").read_text())
    assert metrics["groups"]["by_kind"]["matrix_ring"]["recall"] >= 0.5
    assert metrics["accounts"]["average_precision"] > 0.2
    assert [s["strategy"] for s in metrics["strategies"]] == ["wide", "lone"]
    lone = metrics["strategies"][1]
    assert lone["level"] == "accounts" and lone["accounts"] > 0 and 0 < lone["precision"] <= 1
    assert (work / "ev" / "pr_curve.png").is_file()


@pytest.mark.slow
def test_evaluate_command_user_errors(generated_run, capsys):
    work = generated_run
    (work / "bad.csv").write_text("account_id\na\n")
    (work / "bad.toml").write_text('[[strategy]]\nname = "x"\naction = "zap"\nmin_risk = 0.3\n')

    assert main(["evaluate", str(work / "run"), "--truth", str(work / "bad.csv")]) == 2
    assert "missing column(s) is_bad" in capsys.readouterr().err
    assert main(["evaluate", str(work / "run"), "--truth", str(work / "data" / "truth.parquet"),
                 "--strategies", str(work / "bad.toml")]) == 2
    assert "'action' must be one of" in capsys.readouterr().err
    assert main(["evaluate", str(work / "nope"), "--truth", str(work / "data" / "truth.parquet")]) == 2
    assert not (work / "nope").exists()


@pytest.mark.slow
def test_a_truth_table_covering_part_of_the_run_is_warned_about(generated_run, capsys):
    # Accounts missing from the truth count as not bad: a truth of ten accounts made every figure
    # look like a failure without a word.
    work = generated_run
    truth = pl.read_parquet(work / "data" / "truth.parquet")
    partial = pl.concat([truth.head(10), pl.DataFrame({"account_id": ["stranger"], "is_bad": [True]})],
                        how="diagonal_relaxed")
    partial.write_parquet(work / "partial.parquet")
    assert main(["evaluate", str(work / "run"), "--truth", str(work / "partial.parquet"), "--out", str(work / "ev2")]) == 0
    err = capsys.readouterr().err
    assert f"covers 10 of the run's {truth.height:,} accounts" in err
    assert "1 account of the truth table is not in the run" in err
    metrics = json.loads((work / "ev2" / "evaluation.json").read_text())
    assert metrics["truth_coverage"] == {"run_accounts": truth.height, "in_truth": 10, "truth_accounts_not_in_run": 1}
    assert main(["evaluate", str(work / "run"), "--truth", str(work / "data" / "truth.parquet"), "--out", str(work / "ev3")]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.slow
def test_the_api_says_what_the_truth_leaves_out_and_refuses_a_truth_of_another_dataset(generated_run, capsys):
    # From a notebook the coverage warnings were dropped, and a truth whose ids matched no account
    # (upper-cased, prefixed) gave figures for a run without a bad account, without a word.
    import syndicate

    work = generated_run
    truth = pl.read_parquet(work / "data" / "truth.parquet")
    with pytest.warns(UserWarning, match=f"covers 10 of the run's {truth.height:,} accounts"):
        evaluation = syndicate.evaluate_run(work / "run", truth.head(10))
    assert evaluation.summary().startswith("warning: the truth table covers 10")
    for ids in (pl.col("account_id").str.to_uppercase(), "x" + pl.col("account_id")):
        with pytest.raises(TruthError, match="matches none of the run's"):
            syndicate.evaluate_run(work / "run", truth.with_columns(ids.alias("account_id")))
    truth.with_columns(pl.col("account_id").str.to_uppercase()).write_csv(work / "upper.csv")
    assert main(["evaluate", str(work / "run"), "--truth", str(work / "upper.csv"), "--out", str(work / "ev4")]) == 2
    assert "matches none of the run's" in capsys.readouterr().err and not (work / "ev4").exists()
    for bad in ({"threshold": 70}, {"threshold": -1}, {"threshold": "0.7"}, {"top_k": -3}, {"top_k": 2.5}):
        with pytest.raises(ValueError, match="threshold must be|top_k must be"):
            syndicate.evaluate_run(work / "run", truth, **bad)
    # numpy's numbers are numbers (a K summed from an array is an np.int64)
    k = truth["is_bad"].to_numpy()[:3].sum() + np.int64(1)
    assert syndicate.evaluate_run(work / "run", truth, threshold=np.float32(0.5), top_k=k).metrics["top_k"]["k"] == k
    with pytest.raises(TruthError, match="the truth table is empty"):
        syndicate.evaluate_run(work / "run", truth.clear())

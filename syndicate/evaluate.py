"""How good is a run? Metrics against a truth table (``account_id, is_bad``, optional
``group_id`` and ``group_kind``), such as the answer key of the marketplace generator.

Four views, because each answers a different question an analyst has to defend:

* **accounts** — every truth account takes its cluster's ``risk_score`` (0 outside any
  cluster): average precision, and precision/recall of the accounts in flagged clusters.
* **clusters** — a cluster is bad when most of its members are bad: average precision and
  precision/recall of the flagged clusters.
* **groups** — a planted group is *found* when one cluster matches it with Jaccard >= 0.5,
  and *found and flagged* when that cluster is also flagged; reported per ``group_kind``.
* **top K** — how many of the K riskiest clusters are bad (K = number of planted bad groups).
* **scored accounts** — with the run's ``accounts`` table, every account's own ``risk_score``
  (and ``model_score``, before the cluster's risk is combined in): AUROC and average precision over all
  accounts and over the unlabelled ones (the honest view when labels come from the truth).

A cluster is *flagged* when its ``risk_score`` is at least ``threshold`` (the run's
``risk.high_risk_threshold`` by default). Strategies (see :mod:`syndicate.strategies`) add the
clusters and accounts each enforcement rule would action and the good accounts it would hit.

Examples
--------
>>> result = evaluate(members, clusters, truth)  # doctest: +SKIP
>>> print(result.summary())  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import json
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import polars as pl

from syndicate.config import RiskConfig
from syndicate.strategies import DEFAULT_STRATEGIES, Strategy, evaluate_strategies, strategy_hits

MATCH_JACCARD = 0.5
EVALUATION_FILE = "evaluation.json"
PR_CURVE_FILE = "pr_curve.png"
FALSE_POSITIVES_FILE = "false_positives.csv"
NO_GROUP = "(no group)"  # the kind of benign accounts whose kind the truth leaves null


class TruthError(ValueError):
    """A truth table is missing, unreadable or malformed; the message lists every problem."""


# --- truth ---------------------------------------------------------------------------------

_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def normalise_truth(truth: pl.DataFrame, *, source: str = "truth") -> pl.DataFrame:
    """Check a truth table and normalise it to ``account_id`` str, ``is_bad`` bool and, when
    given, ``group_id`` / ``group_kind`` str. Every problem is reported at once."""
    from syndicate.contract import Unconvertible, _as_frame

    problems = []
    try:
        frame = _as_frame(truth)
    except Unconvertible as exc:
        raise TruthError("\n".join(map(str, exc.problems(source)))) from None
    if frame is None:
        raise TruthError(f"{source}: is not a table (expected a polars DataFrame or LazyFrame, a pandas "
                         f"DataFrame or a pyarrow Table; got {type(truth).__name__})")
    truth = frame
    missing = [c for c in ("account_id", "is_bad") if c not in truth.columns]
    if missing:
        raise TruthError(f"{source}: missing column(s) {', '.join(missing)}; expected account_id, is_bad "
                         f"and optionally group_id, group_kind. Got columns {', '.join(truth.columns)}.")
    out = truth.with_columns(pl.col("account_id").cast(pl.String))
    for column in ("group_id", "group_kind"):
        if column in out.columns:
            out = out.with_columns(pl.col(column).cast(pl.String))
    raw = out["is_bad"]
    if raw.dtype == pl.Boolean:
        is_bad = raw
    else:
        text = raw.cast(pl.String).str.strip_chars().str.to_lowercase()
        is_bad = text.replace_strict({**{t: True for t in _TRUE}, **{t: False for t in _FALSE}},
                                     default=None, return_dtype=pl.Boolean).alias("is_bad")
        bad = out.filter((is_bad.is_null()) & raw.is_not_null())
        if bad.height:
            examples = bad["is_bad"].cast(pl.String).unique(maintain_order=True).head(5).to_list()
            problems.append(f"{source}.is_bad: {bad.height} value(s) are not true/false or 1/0 "
                            f"(examples: {', '.join(map(repr, examples))})")
    nulls = int(is_bad.is_null().sum())
    if nulls and not problems:
        problems.append(f"{source}.is_bad: {nulls} value(s) are missing")
    if out["account_id"].null_count():
        problems.append(f"{source}.account_id: {out['account_id'].null_count()} value(s) are missing")
    dupes = out.filter(pl.col("account_id").is_duplicated())["account_id"].unique(maintain_order=True)
    if dupes.len():
        problems.append(f"{source}.account_id: {dupes.len()} id(s) appear more than once "
                        f"(examples: {', '.join(map(repr, dupes.head(5).to_list()))})")
    if problems:
        raise TruthError("\n".join(problems))
    return out.with_columns(is_bad.alias("is_bad"))


def read_truth(path: str | Path) -> pl.DataFrame:
    """Read and check a truth table from a ``.parquet`` or ``.csv`` file (see `normalise_truth`)."""
    path = Path(path)
    if not path.is_file():
        raise TruthError(f"truth file {path} does not exist")
    try:
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
        elif path.suffix == ".csv":
            frame = pl.read_csv(path, infer_schema=False)
        else:
            raise TruthError(f"truth file must end in .parquet or .csv. Got {path.name!r} instead.")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise TruthError(f"truth file {path} is unreadable: {exc}") from None
    return normalise_truth(frame, source=path.name)


# --- the four views ------------------------------------------------------------------------

def account_scores(members: pl.DataFrame, clusters: pl.DataFrame, truth: pl.DataFrame,
                   run_accounts: pl.Series | None = None) -> pl.DataFrame:
    """Every truth account, and every account of the run the truth leaves out (not bad: the
    cluster members, and ``run_accounts``, the run's accounts table's ids, when given), with
    its cluster and that cluster's risk (0 outside any cluster).

    Returns ``account_id, is_bad, cluster_id, risk_score``.
    """
    scored = members.select("account_id", "cluster_id").join(
        clusters.select("cluster_id", "risk_score"), on="cluster_id")
    ids = [members.select("account_id")]
    if run_accounts is not None:
        ids.append(run_accounts.cast(pl.String).rename("account_id").to_frame())
    left_out = pl.concat(ids).unique().join(truth.select("account_id"), on="account_id", how="anti").sort("account_id")
    return (
        pl.concat([truth.select("account_id", "is_bad"), left_out.with_columns(pl.lit(False).alias("is_bad"))])
        .join(scored, on="account_id", how="left")
        .with_columns(pl.col("risk_score").fill_null(0.0))
    )


def cluster_truth(members: pl.DataFrame, clusters: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Clusters with their count of bad members and ``is_bad`` (more than half bad).

    Returns ``cluster_id, size, risk_score, rank, bad_members, is_bad`` sorted by rank, and
    ``main_kind`` (the most common ``group_kind`` of its members) when truth has group kinds.
    """
    bad = (
        members.join(truth.filter(pl.col("is_bad")).select("account_id"), on="account_id", how="semi")
        .group_by("cluster_id").agg(pl.len().alias("bad_members"))
    )
    head = [c for c in ("cluster_id", "size", "risk_score", "rank", "archetype") if c in clusters.columns]
    out = clusters.select(head)
    if "group_kind" in truth.columns:
        kinds = (members.join(truth.select("account_id", "group_kind"), on="account_id")
                 .group_by("cluster_id").agg(pl.col("group_kind").drop_nulls().mode().sort().first().alias("main_kind")))
        out = out.join(kinds, on="cluster_id", how="left")
    return (
        out.join(bad, on="cluster_id", how="left")
        .with_columns(pl.col("bad_members").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("bad_members") * 2 > pl.col("size")).alias("is_bad"))
        .sort(["risk_score", "size", "cluster_id"], descending=[True, True, False])
    )


def group_recovery(members: pl.DataFrame, clusters: pl.DataFrame, truth: pl.DataFrame, *,
                   threshold: float) -> pl.DataFrame:
    """Each planted bad group with its best-matching cluster.

    Returns ``group_id, group_kind, group_size, cluster_id, jaccard, risk_score, found``
    (best Jaccard >= 0.5) and ``flagged`` (found, and that cluster's risk >= ``threshold``).
    """
    # A planted group without a kind is still a group: "bad", as in a truth without kinds.
    # A group's kind is its members' most common one (the first by name on a tie): members
    # whose kind is missing or differs stay in the group, not in a second group of their own.
    kind = pl.col("group_kind") if "group_kind" in truth.columns else pl.lit(None, dtype=pl.String).alias("group_kind")
    planted = truth.filter(pl.col("is_bad") & pl.col("group_id").is_not_null()).select(
        "account_id", "group_id", kind)
    sizes = planted.group_by("group_id").agg(
        pl.col("group_kind").drop_nulls().mode().sort().first().fill_null("bad"), pl.len().alias("group_size"))
    overlap = (
        planted.join(members.select("account_id", "cluster_id"), on="account_id")
        .group_by("group_id", "cluster_id").agg(pl.len().alias("shared"))
        .join(clusters.select("cluster_id", "size", "risk_score"), on="cluster_id")
        .join(sizes, on="group_id")
        .with_columns((pl.col("shared") / (pl.col("group_size") + pl.col("size") - pl.col("shared"))).alias("jaccard"))
        # On a tie the cluster the ranking shows first (riskier, then larger, then by id).
        .sort(["group_id", "jaccard", "risk_score", "size", "cluster_id"], descending=[False, True, True, True, False],
              nulls_last=True)
        .group_by("group_id", maintain_order=True).first()
        .select("group_id", "cluster_id", "jaccard", "risk_score")
    )
    return (
        sizes.join(overlap, on="group_id", how="left")
        .with_columns(pl.col("jaccard").fill_null(0.0))
        .with_columns((pl.col("jaccard") >= MATCH_JACCARD).alias("found"))
        .with_columns((pl.col("found") & (pl.col("risk_score").fill_null(0.0) >= threshold)).alias("flagged"))
        .sort("group_kind", "group_id")
    )


def _ratio(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def _average_precision(y: np.ndarray, score: np.ndarray) -> float | None:
    from sklearn.metrics import average_precision_score

    if y.sum() == 0 or y.sum() == len(y):
        return None
    return float(average_precision_score(y, score))


def _ranking_metrics(y: np.ndarray, score: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    both = 0 < y.sum() < len(y)
    return {"n": int(len(y)), "bad": int(y.sum()),
            "auroc": float(roc_auc_score(y, score)) if both else None,
            "average_precision": _average_precision(y, score)}


def scored_account_metrics(accounts: pl.DataFrame, truth: pl.DataFrame, threshold: float) -> dict[str, Any]:
    """AUROC / AP / precision / recall of the run's per-account scores against ``truth``."""
    frame = accounts.join(truth.select("account_id", "is_bad"), on="account_id", how="left").with_columns(
        pl.col("is_bad").fill_null(False))
    y = frame["is_bad"].to_numpy()
    out: dict[str, Any] = {**_binary_metrics(y, frame["risk_score"].to_numpy(), threshold),
                           **_ranking_metrics(y, frame["risk_score"].to_numpy())}
    if "model_score" in frame.columns:
        out["model_score"] = _ranking_metrics(y, frame["model_score"].to_numpy())
    if "label" in frame.columns and frame["label"].is_not_null().any():
        rest = frame.filter(pl.col("label").is_null())
        out["unlabelled"] = _ranking_metrics(rest["is_bad"].to_numpy(), rest["risk_score"].to_numpy())
    if "score_source" in frame.columns:
        out["score_source"] = dict(sorted(frame.group_by("score_source").agg(pl.len()).rows()))
    return out


def _binary_metrics(y: np.ndarray, score: np.ndarray, threshold: float) -> dict[str, Any]:
    flagged = score >= threshold
    tp = int((flagged & y).sum())
    return {"n": int(len(y)), "bad": int(y.sum()), "flagged": int(flagged.sum()), "true_positives": tp,
            "precision": _ratio(tp, flagged.sum()), "recall": _ratio(tp, y.sum()),
            "average_precision": _average_precision(y, score)}


@dataclass
class Evaluation:
    """Result of :func:`evaluate`: metrics (JSON-ready) and the frames behind them."""

    metrics: dict[str, Any]
    accounts: pl.DataFrame
    clusters: pl.DataFrame
    groups: pl.DataFrame | None
    strategies: pl.DataFrame
    false_positives: pl.DataFrame = field(default_factory=pl.DataFrame)
    # The run folder evaluated (evaluate_run), where write_evaluation may write its evaluation.
    run_dir: Path | None = None
    # What the truth table leaves out of the run, or holds besides it (coverage_warnings).
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The headline numbers as plain text for a terminal."""
        m = self.metrics
        lines = [f"warning: {line}" for line in self.warnings] + [f"flagged = risk_score >= {m['threshold']:.2f}"]
        scored = m.get("scored_accounts")
        if scored:
            unl = scored.get("unlabelled")
            lines.append(f"scored accounts (accounts.parquet) AUROC={_fmt(scored['auroc'])} "
                         f"AP={_fmt(scored['average_precision'])}"
                         + (f"  unlabelled only: AUROC={_fmt(unl['auroc'])} AP={_fmt(unl['average_precision'])}"
                            if unl else ""))
        for level in ("accounts", "clusters"):
            v = m[level]
            lines.append(f"{level:<9} n={v['n']:,} bad={v['bad']:,} flagged={v['flagged']:,}  "
                         f"precision={_fmt(v['precision'])} recall={_fmt(v['recall'])} "
                         f"AP={_fmt(v['average_precision'])}")
        g = m.get("groups")
        if g:
            lines.append(f"groups    planted={g['planted']} found={g['found']} flagged={g['flagged']}  "
                         f"recall={_fmt(g['recall'])} recall_flagged={_fmt(g['recall_flagged'])}")
            for kind, v in g["by_kind"].items():
                lines.append(f"  {kind:<18} {v['found']}/{v['planted']} found, {v['flagged']} flagged")
        t = m["top_k"]
        lines.append(f"top {t['k']} clusters: {t['bad']} bad, precision={_fmt(t['precision'])}")
        if self.strategies.height:
            lines.append("")
            lines.append(_strategy_table(self.strategies))
        return "\n".join(lines)

    def plot_pr_curve(self, ax=None):
        """Precision–recall curves (accounts and clusters) with the strategies marked."""
        return plot_pr_curve(self, ax=ax)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _strategy_table(frame: pl.DataFrame) -> str:
    lines = [f"{'strategy':<14}{'action':<10}{'clusters':>9}{'accounts':>10}{'precision':>10}"
             f"{'recall':>8}{'good hit':>9}{'benign hit':>11}"]
    for r in frame.iter_rows(named=True):
        lines.append(f"{r['strategy'][:13]:<14}{r['action']:<10}{r['clusters']:>9,}{r['accounts']:>10,}"
                     f"{_fmt(r.get('precision')):>10}{_fmt(r.get('recall')):>8}"
                     f"{r['known_good_hit'] if r['known_good_hit'] is not None else 'n/a':>9}"
                     f"{r.get('benign_hit', 'n/a'):>11}")
    return "\n".join(lines)


def evaluate(
    members: pl.DataFrame,
    clusters: pl.DataFrame,
    truth: pl.DataFrame,
    *,
    threshold: float | None = None,
    top_k: int | None = None,
    strategies: Sequence[Strategy] = DEFAULT_STRATEGIES,
    labels: pl.DataFrame | None = None,
    accounts: pl.DataFrame | None = None,
) -> Evaluation:
    """Score a run (``members``, ``clusters``, and ``accounts`` when given) against ``truth``.

    Parameters
    ----------
    members, clusters : polars.DataFrame
        The run's ``members`` and ``clusters`` tables.
    truth : polars.DataFrame
        ``account_id, is_bad`` and optionally ``group_id, group_kind`` (checked with
        `normalise_truth`). Accounts missing from it count as not bad.
    threshold : float, optional
        Clusters with ``risk_score >= threshold`` are flagged; default
        ``RiskConfig.high_risk_threshold``.
    top_k : int, optional
        K for top-K precision; default the number of planted bad groups (or bad clusters
        when ``truth`` has no ``group_id``).
    strategies : sequence of Strategy
        Enforcement strategies to report on.
    labels : polars.DataFrame, optional
        The run's input labels, to list the known-good accounts each strategy hits.
    accounts : polars.DataFrame, optional
        The run's ``accounts`` table: adds ``scored_accounts`` (every account's own score).

    Returns
    -------
    Evaluation
    """
    truth = normalise_truth(truth)
    check_cut(threshold, top_k)
    if truth.height == 0:
        raise TruthError("the truth table is empty: no account to measure the run against")
    threshold = RiskConfig().high_risk_threshold if threshold is None else float(threshold)
    scored = accounts
    run_ids = scored["account_id"] if scored is not None else None
    accounts = account_scores(members, clusters, truth, run_ids)
    per_cluster = cluster_truth(members, clusters, truth)
    metrics: dict[str, Any] = {
        "threshold": threshold,
        "accounts": _binary_metrics(accounts["is_bad"].to_numpy(), accounts["risk_score"].to_numpy(), threshold),
        "clusters": _binary_metrics(per_cluster["is_bad"].to_numpy(), per_cluster["risk_score"].to_numpy(), threshold),
    }
    if scored is not None:
        metrics["scored_accounts"] = scored_account_metrics(scored, truth, threshold)
    # Accounts missing from the truth count as not bad: say how many there are (of the run's
    # accounts table, or of its cluster members in a run written before it had one).
    ids = (scored if scored is not None else members).select(pl.col("account_id").cast(pl.String)).unique()
    covered = ids.join(truth.select("account_id"), on="account_id", how="semi").height
    if covered == 0 and ids.height and scored is not None:  # (a truth may hold no clustered account)
        # Every figure would be about a run with no bad account: another dataset's truth, or
        # ids written differently (case, a prefix, zero padding).
        raise TruthError(
            f"the truth table matches none of the run's {ids.height:,} accounts (truth ids such as "
            f"{_examples(truth['account_id'])}; the run's such as {_examples(ids['account_id'])}): "
            "another dataset's truth, or its account ids written differently")
    if ids.height:
        metrics["truth_coverage"] = {"run_accounts": ids.height, "in_truth": covered}
        if scored is not None:
            metrics["truth_coverage"]["truth_accounts_not_in_run"] = truth.join(ids, on="account_id", how="anti").height
        else:  # most accounts are in no cluster: the truth's others are no sign of another dataset
            metrics["truth_coverage"]["of"] = "cluster members"
    if "model_score" in clusters.columns:
        # risk_score folds in each cluster's own labels; when labels come from the same truth
        # this flatters it. model_score (out of fold, before labels) is the honest view.
        by_model = account_scores(members, clusters.drop("risk_score").rename({"model_score": "risk_score"}), truth,
                                  run_ids)
        metrics["accounts_model_score"] = _binary_metrics(
            by_model["is_bad"].to_numpy(), by_model["risk_score"].to_numpy(), threshold)
    groups = None
    if "group_id" in truth.columns:
        groups = group_recovery(members, clusters, truth, threshold=threshold)
        by_kind = groups.group_by("group_kind").agg(
            pl.len().alias("planted"), pl.col("found").sum(), pl.col("flagged").sum(),
            pl.col("group_size").sum().alias("accounts")).sort("group_kind")
        metrics["groups"] = {
            "match_jaccard": MATCH_JACCARD,
            "planted": groups.height, "found": int(groups["found"].sum()), "flagged": int(groups["flagged"].sum()),
            "recall": _ratio(groups["found"].sum(), groups.height),
            "recall_flagged": _ratio(groups["flagged"].sum(), groups.height),
            "by_kind": {r["group_kind"]: {"planted": r["planted"], "found": int(r["found"]),
                                          "flagged": int(r["flagged"]), "accounts": r["accounts"],
                                          "recall": _ratio(r["found"], r["planted"]),
                                          "recall_flagged": _ratio(r["flagged"], r["planted"])}
                        for r in by_kind.iter_rows(named=True)},
        }
        # Benign accounts may carry no kind (a null; mostly those in no planted group): they
        # count as NO_GROUP, a key evaluation.json can hold (JSON keys cannot be null).
        # Run accounts the truth leaves out are benign accounts of no kind, as in every figure.
        benign = accounts.filter(~pl.col("is_bad")).join(
            truth.select("account_id", "group_kind"), on="account_id", how="left"
        ).with_columns(pl.col("group_kind").fill_null(NO_GROUP)) if "group_kind" in truth.columns else None
        if benign is not None:
            metrics["benign_flagged_by_kind"] = {
                r["group_kind"]: {"accounts": r["accounts"], "flagged": r["flagged"]}
                for r in benign.group_by("group_kind").agg(
                    pl.len().alias("accounts"), (pl.col("risk_score") >= threshold).sum().alias("flagged"))
                .sort("group_kind").iter_rows(named=True)
            }
    k = top_k if top_k is not None else (groups.height if groups is not None else int(per_cluster["is_bad"].sum()))
    top = per_cluster.head(k)
    # Out of K: a run with fewer clusters than K has the missing places empty, not bad.
    metrics["top_k"] = {"k": int(k), "bad": int(top["is_bad"].sum()),
                        "precision": _ratio(top["is_bad"].sum(), k)}
    if "main_kind" in top.columns:
        metrics["top_k"]["kinds"] = dict(sorted(top.group_by("main_kind").agg(pl.len()).drop_nulls().rows()))
    strat = evaluate_strategies(members, clusters, strategies, truth=truth, accounts=scored)
    metrics["strategies"] = strat.to_dicts()
    # A false positive is judged against the truth: a label-0 account the truth says is bad
    # is label noise, not a false positive (the label column still shows it).
    false_positives = pl.concat([
        strategy_hits(s, members, clusters, labels=labels, truth=truth, accounts=scored)
        .filter(~pl.col("is_bad").fill_null(False))
        .select(pl.lit(s.name).alias("strategy"), pl.lit(s.action).alias("action"),
                "cluster_id", "account_id", "risk_score", "archetype", "label", "is_bad")
        for s in strategies
    ]) if strategies else pl.DataFrame()
    return Evaluation(metrics=metrics, accounts=accounts, clusters=per_cluster, groups=groups,
                      strategies=strat, false_positives=false_positives, warnings=coverage_warnings(metrics))


def check_cut(threshold: Any, top_k: Any, *, names: tuple[str, str] = ("threshold", "top_k")) -> None:
    """``ValueError`` naming each cut-off that is out of range or no number (numpy's count: a
    ``top_k`` summed from an array is an ``np.int64``); ``names``: the CLI's flags."""
    problems = []
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, numbers.Real)
                                  or not 0 <= threshold <= 1):
        problems.append(f"{names[0]} must be in [0, 1]. Got {threshold!r} instead.")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, numbers.Integral) or top_k < 1):
        problems.append(f"{names[1]} must be at least 1. Got {top_k!r} instead.")
    if problems:
        raise ValueError(" ".join(problems))


def _examples(ids: pl.Series, n: int = 3) -> str:
    return ", ".join(repr(v) for v in ids.head(n).to_list())


def coverage_warnings(metrics: dict[str, Any]) -> list[str]:
    """What the truth table leaves out or holds besides the run (``metrics["truth_coverage"]``),
    in words: accounts missing from the truth count as not bad in every figure."""
    coverage = metrics.get("truth_coverage")
    if not coverage:
        return []
    out = []
    of = "clustered accounts" if coverage.get("of") == "cluster members" else "accounts"
    if coverage["in_truth"] < coverage["run_accounts"]:
        missing = coverage["run_accounts"] - coverage["in_truth"]
        out.append(f"the truth table covers {coverage['in_truth']:,} of the run's {coverage['run_accounts']:,} "
                   f"{of}; the other {missing:,} count as not bad in every figure")
    if stray := coverage.get("truth_accounts_not_in_run"):
        out.append(f"{stray:,} {'account' if stray == 1 else 'accounts'} of the truth table "
                   f"{'is' if stray == 1 else 'are'} not in the run (another dataset's truth?)")
    return out


# --- the picture and the files ---------------------------------------------------------------

def _plain_text(draw):
    """Strategy names are the user's: drawn as plain text, never mathtext or TeX (as
    syndicate.report.embed.plain_text, without importing the report's Agg backend)."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            return draw(*args, **kwargs)
    return wrapper


@_plain_text
def plot_pr_curve(evaluation: Evaluation, ax=None):
    """Precision–recall of accounts and clusters; each strategy as a point on the account curve.

    Draws on ``ax`` when given; otherwise returns a new matplotlib Figure (no pyplot state).
    """
    from matplotlib.figure import Figure
    from sklearn.metrics import precision_recall_curve

    fig = None
    if ax is None:
        fig = Figure(figsize=(6.4, 4.8), dpi=100)
        ax = fig.add_subplot()
    curves = 0
    for name, frame in (("accounts", evaluation.accounts), ("clusters", evaluation.clusters)):
        y = frame["is_bad"].to_numpy()
        if 0 < y.sum() < len(y):
            curves += 1
            precision, recall, _ = precision_recall_curve(y, frame["risk_score"].to_numpy())
            ap = evaluation.metrics[name]["average_precision"]
            ax.step(recall, precision, where="post", label=f"{name} (AP {ap:.2f})")
    strat = evaluation.strategies
    if "recall" in strat.columns:
        for r in strat.iter_rows(named=True):
            if r["precision"] is not None and r["recall"] is not None:  # no bad account: no recall
                ax.scatter([r["recall"]], [r["precision"]], zorder=3, s=30)
                ax.annotate(r["strategy"], (r["recall"], r["precision"]), textcoords="offset points",
                            xytext=(4, -10), fontsize=8)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.05)
    ax.set_title("precision–recall (points: strategies, on accounts)")
    ax.grid(alpha=0.3)
    if curves:
        ax.legend(loc="lower left")
    else:  # said on the chart, not left blank (and no legend without a curve to name)
        ax.text(0.5, 0.5, "no curve: the truth marks no account (or every account) as bad",
                ha="center", va="center", transform=ax.transAxes, fontsize=9)
    return fig if fig is not None else ax.figure


def check_evaluation_out(out_dir: str | Path, *, run_dir: str | Path | None = None, option: str = "out_dir") -> Path:
    """``out_dir`` resolved, or ``OutputPathError`` before any work: a new or empty folder, a
    previous evaluation's (nothing else in it), or the ``evaluation`` sub-folder of the run
    evaluated (``run_dir``; without it, nothing inside a run folder: an evaluation of a run
    held only in memory belongs to no folder) (:func:`syndicate.runs.check_own_folder`);
    never someone else's files."""
    from syndicate.runs import EVALUATION_FILES, check_own_folder, json_file_with

    target = Path(out_dir).expanduser().resolve()
    run = Path(run_dir).expanduser().resolve() if run_dir is not None else None
    return check_own_folder(out_dir, command="evaluate", files=EVALUATION_FILES,
                            written=json_file_with("top_k", EVALUATION_FILE), option=option,
                            run_entry=target.name if run is not None and target == run / "evaluation" else None)


def write_evaluation(evaluation: Evaluation, out_dir: str | Path, *, run_dir: str | Path | None = None) -> Path:
    """Write ``evaluation.json``, ``pr_curve.png`` and ``false_positives.csv`` into ``out_dir``
    (checked first: :func:`check_evaluation_out`; ``run_dir``, the run evaluated, by default
    the folder :func:`evaluate_run` recorded, or that of the ``RunResult`` it was given: only that
    run's ``evaluation`` folder is written inside a run folder, and none for a run held only
    in memory)."""
    out = check_evaluation_out(out_dir, run_dir=run_dir if run_dir is not None else evaluation.run_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / EVALUATION_FILE).write_text(json.dumps(evaluation.metrics, indent=2, sort_keys=True, default=str))
    plot_pr_curve(evaluation).savefig(out / PR_CURVE_FILE, bbox_inches="tight")
    if evaluation.false_positives.width:
        from syndicate.spreadsheets import write_safe_csv

        write_safe_csv(evaluation.false_positives, out / FALSE_POSITIVES_FILE)
    else:  # a previous evaluation's list is not this one's
        (out / FALSE_POSITIVES_FILE).unlink(missing_ok=True)
    return out


def evaluate_run(run_dir: str | Path, truth: str | Path | pl.DataFrame, *, threshold: float | None = None,
                 top_k: int | None = None, strategies: Sequence[Strategy] = DEFAULT_STRATEGIES) -> Evaluation:
    """`evaluate` a run folder; the threshold defaults to the run's ``risk.high_risk_threshold``,
    and the run's input labels (when its data folder is still there) list known-good hits."""
    from syndicate.io import read_table_file
    from syndicate.runs import read_run_folder

    tables, manifest = read_run_folder(run_dir)
    truth = read_truth(truth) if isinstance(truth, (str, Path)) else normalise_truth(truth)
    if threshold is None:
        threshold = manifest.get("config", {}).get("risk", {}).get("high_risk_threshold")
    labels = None
    data_dir = manifest.get("inputs", {}).get("data_dir")
    if data_dir:
        for suffix in (".parquet", ".csv"):
            path = Path(data_dir) / f"labels{suffix}"
            if path.is_file():
                labels = read_table_file(path).select(
                    pl.col("account_id").cast(pl.String), pl.col("label").cast(pl.Int64, strict=False))
                break
    evaluation = evaluate(tables["members"], tables["clusters"], truth, threshold=threshold, top_k=top_k,
                          strategies=strategies, labels=labels, accounts=tables.get("accounts"))
    evaluation.run_dir = Path(run_dir).expanduser().resolve()
    return evaluation


__all__ = ["Evaluation", "TruthError", "account_scores", "scored_account_metrics", "cluster_truth", "evaluate", "evaluate_run",
           "group_recovery", "normalise_truth", "plot_pr_curve", "read_truth", "write_evaluation"]

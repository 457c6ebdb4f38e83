"""Enforcement strategies: thresholds on the risk score that map clusters or accounts to an action.

A strategy says "every cluster with ``risk_score >= min_risk`` (and, optionally, at least
``min_size`` members and one of ``archetypes``) gets ``action``". With ``level = "accounts"``
it acts on single accounts of the run's ``accounts`` table instead (each account's own
``risk_score``, in a cluster or not); ``min_features`` adds minimums on any numeric column of
the table it acts on (account features such as ``burst_share``, or cluster features).
Analysts defend a strategy
with its precision and recall and with the known-good accounts it would hit, so
:func:`evaluate_strategies` reports exactly those, one row per strategy.

Strategies are written in TOML, one ``[[strategy]]`` table each::

    [[strategy]]
    name = "ban-rings"
    action = "ban"
    min_risk = 0.9
    min_size = 5
    archetypes = ["matrix_accounts", "mixed"]

    [[strategy]]
    name = "review-lone-accounts"
    level = "accounts"          # default "clusters"; files without it read as before
    action = "review"
    min_risk = 0.8
    min_features = { burst_share = 0.5 }

Examples
--------
>>> review = Strategy("review", "review", min_risk=0.5)
>>> review.describe()
'review: review clusters with risk >= 0.50'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import polars as pl

from syndicate.config import read_toml
from syndicate.risk.archetypes import ARCHETYPES

# From mildest to most severe: a cluster hit by several strategies gets the most severe action.
ACTIONS = ("review", "restrict", "ban")
LEVELS = ("clusters", "accounts")


class StrategyError(ValueError):
    """A strategy (or a strategies file) is malformed; the message lists every problem."""


@dataclass(frozen=True)
class Strategy:
    """A rule that actions every cluster (or account) it selects.

    Parameters
    ----------
    name : str
        A unique, human-readable name.
    action : {"review", "restrict", "ban"}
        What happens to the accounts of the selected clusters.
    min_risk : float
        Clusters with ``risk_score >= min_risk`` are selected (in [0, 1]).
    min_size : int, optional
        Only clusters with at least this many members.
    archetypes : tuple of str, optional
        Only clusters of one of these archetypes (see ``syndicate.risk.archetypes``).
    level : {"clusters", "accounts"}
        What the strategy acts on: clusters (their members get the action) or single
        accounts of the run's ``accounts`` table (``min_size`` and ``archetypes`` are then
        not allowed).
    min_features : mapping of str to float, optional
        Only rows whose column ``name >= value`` for every item (numeric columns of the
        clusters or accounts table); stored as sorted ``(name, value)`` pairs.
    """

    name: str
    action: str
    min_risk: float
    min_size: int | None = None
    archetypes: tuple[str, ...] | None = None
    level: str = "clusters"
    min_features: Any = None

    def __post_init__(self) -> None:
        problems = _problems(self.name, self.action, self.min_risk, self.min_size, self.archetypes,
                             self.level, self.min_features)
        if problems:
            raise StrategyError(f"strategy {self.name!r}: " + "; ".join(problems))
        if self.archetypes is not None:
            object.__setattr__(self, "archetypes", tuple(self.archetypes))
        if self.min_features is not None:
            items = self.min_features.items() if isinstance(self.min_features, Mapping) else self.min_features
            object.__setattr__(self, "min_features", tuple(sorted((str(k), float(v)) for k, v in items)))

    def selects(self) -> pl.Expr:
        """A boolean expression over a clusters (or, with ``level="accounts"``, an accounts)
        frame: which rows this strategy actions. A missing feature value never selects."""
        expr = pl.col("risk_score") >= self.min_risk
        if self.min_size is not None:
            expr = expr & (pl.col("size") >= self.min_size)
        if self.archetypes is not None:
            expr = expr & pl.col("archetype").is_in(list(self.archetypes))
        for column, minimum in self.min_features or ():
            expr = expr & (pl.col(column) >= minimum).fill_null(False)
        return expr

    def check_columns(self, frame: pl.DataFrame) -> None:
        """Raise StrategyError when ``frame`` lacks a column of ``min_features``."""
        missing = [c for c, _ in self.min_features or () if c not in frame.columns]
        if missing:
            numeric = [c for c, d in frame.schema.items() if d.is_numeric()]
            raise StrategyError(
                f"strategy {self.name!r}: min_features names column(s) {', '.join(missing)} that the "
                f"{self.level} table lacks; numeric columns include {', '.join(numeric[:12])}")

    def describe(self) -> str:
        what = "accounts" if self.level == "accounts" else "clusters"
        text = f"{self.name}: {self.action} {what} with risk >= {self.min_risk:.2f}"
        if self.min_size is not None:
            text += f" and size >= {self.min_size}"
        if self.archetypes is not None:
            text += f" of archetype {', '.join(self.archetypes)}"
        for column, minimum in self.min_features or ():
            text += f" and {column} >= {minimum:g}"
        return text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "action": self.action, "min_risk": self.min_risk}
        if self.level != "clusters":
            out["level"] = self.level
        if self.min_size is not None:
            out["min_size"] = self.min_size
        if self.archetypes is not None:
            out["archetypes"] = list(self.archetypes)
        if self.min_features is not None:
            out["min_features"] = dict(self.min_features)
        return out


_KEYS = ("name", "action", "min_risk", "min_size", "archetypes", "level", "min_features")


def _problems(name: Any, action: Any, min_risk: Any, min_size: Any, archetypes: Any,
              level: Any = "clusters", min_features: Any = None) -> list[str]:
    problems = []
    if level not in LEVELS:
        problems.append(f"'level' must be one of {', '.join(LEVELS)}. Got {level!r} instead.")
    elif level == "accounts" and (min_size is not None or archetypes is not None):
        problems.append("'min_size' and 'archetypes' describe clusters; a strategy with level = "
                        "\"accounts\" cannot use them")
    if min_features is not None:
        items = list(min_features.items()) if isinstance(min_features, Mapping) else min_features
        if (not isinstance(items, (list, tuple)) or not items
                or not all(isinstance(i, (list, tuple)) and len(i) == 2 for i in items)):
            problems.append(f"'min_features' must be a non-empty table of column = minimum. Got {min_features!r} instead.")
        else:
            bad = [(k, v) for k, v in items if not isinstance(k, str) or isinstance(v, bool)
                   or not isinstance(v, (int, float))]
            if bad:
                problems.append(f"'min_features' must map column names to numbers. Got {bad!r} instead.")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"'name' must be a non-empty string. Got {name!r} instead.")
    if action not in ACTIONS:
        problems.append(f"'action' must be one of {', '.join(ACTIONS)}. Got {action!r} instead.")
    if isinstance(min_risk, bool) or not isinstance(min_risk, (int, float)) or not 0 <= min_risk <= 1:
        problems.append(f"'min_risk' must be a number in [0, 1]. Got {min_risk!r} instead.")
    if min_size is not None and (isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 2):
        problems.append(f"'min_size' must be an int >= 2. Got {min_size!r} instead.")
    if archetypes is not None:
        if isinstance(archetypes, str) or not isinstance(archetypes, (list, tuple)) or not archetypes:
            problems.append(f"'archetypes' must be a non-empty list of archetype names. Got {archetypes!r} instead.")
        else:
            unknown = [a for a in archetypes if a not in ARCHETYPES]
            if unknown:
                problems.append(f"'archetypes' must be among {', '.join(ARCHETYPES)}. "
                                f"Got {', '.join(map(repr, unknown))} instead.")
    return problems


# Review is cheap and catches what the model is unsure of; a ban needs a score that is rarely
# wrong on labelled history and a group large enough to be more than a household.
DEFAULT_STRATEGIES = (
    Strategy("review", "review", min_risk=0.5),
    Strategy("restrict", "restrict", min_risk=0.7),
    Strategy("ban", "ban", min_risk=0.9, min_size=3),
)


def strategies_from_dicts(items: Iterable[Mapping[str, Any]], *, source: str = "strategies") -> list[Strategy]:
    """Build strategies from plain dicts, reporting every problem in every entry at once."""
    problems, strategies, seen = [], [], set()
    for i, item in enumerate(items, start=1):
        where = f"{source}: strategy #{i}"
        if not isinstance(item, Mapping):
            problems.append(f"{where} must be a table. Got {item!r} instead.")
            continue
        if "name" in item:
            where += f" ({item['name']!r})"
        unknown = sorted(set(item) - set(_KEYS))
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(unknown)}; allowed keys: {', '.join(_KEYS)}")
        missing = [k for k in ("name", "action", "min_risk") if k not in item]
        if missing:
            problems.append(f"{where}: missing key(s) {', '.join(missing)}")
            continue
        values = {k: item.get(k) for k in _KEYS} | {"level": item.get("level", "clusters")}
        found = _problems(*values.values())
        problems.extend(f"{where}: {p}" for p in found)
        if item["name"] in seen:
            problems.append(f"{where}: the name is used twice; strategy names must be unique")
        seen.add(item["name"])
        if not found and not unknown:
            values["min_risk"] = float(values["min_risk"])
            strategies.append(Strategy(**values))
    if not problems and not strategies:
        problems.append(f"{source}: no strategies; expected one [[strategy]] table per strategy")
    if problems:
        raise StrategyError("\n".join(problems))
    return strategies


def read_strategies(path: str | Path) -> list[Strategy]:
    """Read strategies from a TOML file of ``[[strategy]]`` tables (see the module docstring).

    Raises
    ------
    StrategyError
        If the file is missing or not TOML, or any strategy is malformed (all problems listed).
    """
    path = Path(path)
    data = read_toml(path, what="strategies file", error=StrategyError)
    extra = sorted(set(data) - {"strategy"})
    if extra:
        raise StrategyError(f"{path}: unknown top-level key(s) {', '.join(extra)}; "
                            "expected only [[strategy]] tables")
    items = data.get("strategy", [])
    if not isinstance(items, list):
        raise StrategyError(f"{path}: 'strategy' must be an array of tables ([[strategy]]). Got {items!r} instead.")
    return strategies_from_dicts(items, source=str(path))


def apply_strategies(clusters: pl.DataFrame, strategies: Sequence[Strategy] = DEFAULT_STRATEGIES) -> pl.DataFrame:
    """The action each cluster gets: the most severe action of the cluster-level strategies
    that select it (account-level strategies act on accounts: see `strategy_hits`).

    Returns ``cluster_id, action, strategy`` for the clusters that get an action.
    """
    strategies = [s for s in strategies if s.level == "clusters"]
    for s in strategies:
        s.check_columns(clusters)
    hits = [
        clusters.filter(s.selects()).select(
            "cluster_id", pl.lit(s.action).alias("action"), pl.lit(s.name).alias("strategy"),
            pl.lit(ACTIONS.index(s.action)).alias("_severity"))
        for s in strategies
    ]
    if not hits:
        return pl.DataFrame(schema={"cluster_id": pl.String, "action": pl.String, "strategy": pl.String})
    return (
        pl.concat(hits)
        .sort(["cluster_id", "_severity"], descending=[False, True], maintain_order=True)
        .group_by("cluster_id", maintain_order=True).first()
        .drop("_severity")
    )


def strategy_hits(
    strategy: Strategy,
    members: pl.DataFrame,
    clusters: pl.DataFrame,
    *,
    labels: pl.DataFrame | None = None,
    truth: pl.DataFrame | None = None,
    accounts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every account a strategy actions, with what is known about it.

    Returns ``cluster_id, account_id, risk_score, label`` (the input label, null when
    unlabelled) and, with ``truth``, ``is_bad``. The false positives are ``is_bad == False``
    when there is a truth (a label-0 account the truth says is bad is label noise), else
    ``label == 0``. An account-level strategy needs ``accounts`` (the run's accounts table);
    its ``risk_score`` is the account's own and ``cluster_id`` is null outside clusters.
    """
    if strategy.level == "accounts":
        table = _accounts_table(strategy, accounts)
        hits = (table.filter(strategy.selects()).select("account_id", "cluster_id", "risk_score")
                .join(clusters.select("cluster_id", "size", "archetype"), on="cluster_id", how="left")
                .select("cluster_id", "account_id", "risk_score", "size", "archetype"))
    else:
        strategy.check_columns(clusters)
        selected = clusters.filter(strategy.selects()).select("cluster_id", "risk_score", "size", "archetype")
        hits = members.select("account_id", "cluster_id").join(selected, on="cluster_id")
    if labels is not None:
        hits = hits.join(labels.select("account_id", pl.col("label").cast(pl.Int64)), on="account_id", how="left")
    else:
        hits = hits.with_columns(pl.lit(None, dtype=pl.Int64).alias("label"))
    if truth is not None:
        hits = hits.join(truth.select("account_id", "is_bad"), on="account_id", how="left")
    return hits.sort(["risk_score", "cluster_id", "account_id"], descending=[True, False, False],
                     nulls_last=True)


def _accounts_table(strategy: Strategy, accounts: pl.DataFrame | None) -> pl.DataFrame:
    if accounts is None:
        raise StrategyError(f"strategy {strategy.name!r} acts on accounts (level = \"accounts\") but the run "
                            "has no accounts table (accounts.parquet; runs before account scoring lack it)")
    strategy.check_columns(accounts)
    return accounts


def evaluate_strategies(
    members: pl.DataFrame,
    clusters: pl.DataFrame,
    strategies: Sequence[Strategy] = DEFAULT_STRATEGIES,
    *,
    truth: pl.DataFrame | None = None,
    accounts: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """What each strategy would do, and how good it would be. One row per strategy.

    Columns: ``strategy, action, min_risk, min_size, archetypes, clusters, accounts,
    known_good_hit`` (members labelled good in the run's input, from the clusters'
    ``n_known_good``), ``known_bad_hit``; with ``truth`` (``account_id, is_bad``) also
    ``bad_accounts``, ``benign_hit`` (false positives), ``precision`` and ``recall``
    (account-level: actioned bad accounts over actioned accounts and over all bad accounts).
    Strategies with ``level="accounts"`` act on ``accounts`` (the run's accounts table):
    ``clusters`` counts the distinct clusters of the accounts they hit and the known hits
    come from its ``label`` column.

    Examples
    --------
    >>> evaluate_strategies(members, clusters, truth=truth)  # doctest: +SKIP
    """
    if truth is not None:
        truth = truth.select("account_id", pl.col("is_bad").cast(pl.Boolean))
        total_bad = int(truth["is_bad"].sum())
        bad_ids = truth.filter(pl.col("is_bad")).select("account_id")
    rows = []
    for s in strategies:
        row: dict[str, Any] = {
            "strategy": s.name, "level": s.level, "action": s.action, "min_risk": s.min_risk,
            "min_size": s.min_size, "archetypes": ", ".join(s.archetypes) if s.archetypes else None}
        if s.level == "accounts":
            hit = _accounts_table(s, accounts).filter(s.selects())
            labelled = "label" in hit.columns
            row |= {"clusters": hit["cluster_id"].drop_nulls().n_unique(), "accounts": hit.height,
                    "known_good_hit": int((hit["label"] == 0).sum()) if labelled else None,
                    "known_bad_hit": int((hit["label"] == 1).sum()) if labelled else None}
        else:
            s.check_columns(clusters)
            selected = clusters.filter(s.selects())
            row |= {
                "clusters": selected.height, "accounts": int(selected["size"].sum()),
                "known_good_hit": int(selected["n_known_good"].sum()) if "n_known_good" in selected.columns else None,
                "known_bad_hit": int(selected["n_known_bad"].sum()) if "n_known_bad" in selected.columns else None,
            }
            hit = members.join(selected.select("cluster_id"), on="cluster_id", how="semi")
        if truth is not None:
            bad = hit.join(bad_ids, on="account_id", how="semi").height
            row |= {
                "bad_accounts": bad,
                "benign_hit": hit.height - bad,
                "precision": bad / hit.height if hit.height else None,
                "recall": bad / total_bad if total_bad else None,
            }
        rows.append(row)
    schema = {"strategy": pl.String, "level": pl.String, "action": pl.String, "min_risk": pl.Float64, "min_size": pl.Int64,
              "archetypes": pl.String, "clusters": pl.Int64, "accounts": pl.Int64,
              "known_good_hit": pl.Int64, "known_bad_hit": pl.Int64}
    if truth is not None:
        schema |= {"bad_accounts": pl.Int64, "benign_hit": pl.Int64, "precision": pl.Float64, "recall": pl.Float64}
    return pl.DataFrame(rows, schema=schema)


def threshold_strategies(thresholds: Iterable[float], *, action: str = "review",
                         min_size: int | None = None) -> list[Strategy]:
    """One strategy per threshold (named ``risk>=0.50`` …), for a precision–recall sweep."""
    return [Strategy(f"risk>={t:.2f}", action, min_risk=float(t), min_size=min_size) for t in thresholds]


__all__ = ["ACTIONS", "DEFAULT_STRATEGIES", "LEVELS", "Strategy", "StrategyError", "apply_strategies",
           "evaluate_strategies", "read_strategies", "strategies_from_dicts", "strategy_hits",
           "threshold_strategies"]

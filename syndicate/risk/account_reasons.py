"""Reasons in words for an account's score, written with the account's own numbers."""

from __future__ import annotations

from typing import Callable

import numpy as np
import polars as pl

from syndicate.features.takeover import TAKEOVER_WAVE_ACCOUNTS, row_strength
from syndicate.risk.reasons import ABSENT, pct

Row = dict[str, object]


# Scorecard indicators and the feature each reads: no sentence where that feature is unknown.
SOURCE = {"instant_start": "first_event_delay_days", "batch_created": "creation_burst"}


def _f(row: Row, name: str) -> float:
    value = row.get(name)
    return float(value) if isinstance(value, (int, float)) and value == value else 0.0


def _actions(n: float) -> str:
    return f"{n:.0f} action{'' if round(n) == 1 else 's'}"


TEMPLATES: dict[str, Callable[[Row], str | None]] = {
    "n_events": lambda r: f"{_actions(_f(r, 'n_events'))} in the data",
    "n_active_days": lambda r: f"active on {_f(r, 'n_active_days'):.0f} day(s)",
    "events_per_active_day": lambda r: f"{_f(r, 'events_per_active_day'):.1f} actions per active day",
    "peak_events_per_day": lambda r: f"up to {_actions(_f(r, 'peak_events_per_day'))} in one day",
    "daily_peak": lambda r: f"up to {_actions(_f(r, 'peak_events_per_day'))} in one day",
    "active_span_days": lambda r: f"all activity within {_f(r, 'active_span_days'):.1f} days",
    "gap_cv": lambda r: f"timing regularity: gap variation {_f(r, 'gap_cv'):.2f} (0 = clockwork)",
    "clockwork": lambda r: f"timing regularity: gap variation {_f(r, 'gap_cv'):.2f} (0 = clockwork)",
    "burstiness": lambda r: f"burstiness {_f(r, 'burstiness'):.2f} (-1 clockwork, 0 random, 1 bursts)",
    "gap_entropy": lambda r: f"gaps between actions spread over {pct(_f(r, 'gap_entropy'))} of time scales",
    "median_gap_s": lambda r: f"median {_f(r, 'median_gap_s'):.0f} s between actions",
    "rapid_gap_share": lambda r: f"{pct(_f(r, 'rapid_gap_share'))} of its actions follow the previous within a minute",
    "rapid": lambda r: f"{pct(_f(r, 'rapid_gap_share'))} of its actions follow the previous within a minute",
    "hour_entropy": lambda r: f"activity spread over the day: {_f(r, 'hour_entropy'):.2f} (1 = all hours evenly)",
    "peak_hour_share": lambda r: f"{pct(_f(r, 'peak_hour_share'))} of its actions in one hour of the day",
    "first_event_delay_days": lambda r: f"first action {_f(r, 'first_event_delay_days'):.1f} days after creation",
    "instant_start": lambda r: f"first action {_f(r, 'first_event_delay_days'):.1f} days after creation",
    "top_target_share": lambda r: f"{pct(_f(r, 'top_target_share'))} of its actions on a single target",
    "distinct_target_ratio": lambda r: f"{pct(_f(r, 'distinct_target_ratio'))} of its actions on a new target",
    "mean_log_target_popularity": lambda r: (
        f"its targets are touched by {np.expm1(_f(r, 'mean_log_target_popularity')):.0f} accounts on average"),
    "rare_target_share": lambda r: f"{pct(_f(r, 'rare_target_share'))} of its actions on targets few others touch",
    "unpopular_targets": lambda r: (
        f"its targets are touched by {np.expm1(_f(r, 'mean_log_target_popularity')):.0f} accounts on average"),
    "rare_targets": lambda r: f"{pct(_f(r, 'rare_target_share'))} of its actions on targets few others touch",
    "burst_share": lambda r: (f"{pct(_f(r, 'burst_share'))} of its actions come within seconds of another "
                              "account's on the same target"),
    "coordinated": lambda r: (f"{pct(_f(r, 'burst_share'))} of its actions come within seconds of another "
                              "account's on the same target"),
    "age_days": lambda r: f"account {_f(r, 'age_days'):.0f} days old",
    "creation_burst": lambda r: f"created within 12 hours of {_f(r, 'creation_burst'):.0f} other accounts",
    "batch_created": lambda r: f"created within 12 hours of {_f(r, 'creation_burst'):.0f} other accounts",
    # Only a wave beyond a household's is a reason (a family's new tablet on three accounts is
    # none; three strangers on one new device are one: features/takeover.py).
    "takeover_wave": lambda r: _takeover(r),
    "action_entropy": lambda r: f"action mix variety {_f(r, 'action_entropy'):.2f} (0 = one kind of action)",
    "action_surprisal": lambda r: _surprisal(r),
    "unusual_actions": lambda r: _surprisal(r),
    "action_other": lambda r: f"{pct(_f(r, 'action_other'))} of its actions are less common kinds",
    "extreme_rating_share": lambda r: f"{pct(_f(r, 'extreme_rating_share'))} of its ratings at either end of the scale",
    "extreme_ratings": lambda r: f"{pct(_f(r, 'extreme_rating_share'))} of its ratings at either end of the scale",
    "mean_rating": lambda r: f"mean rating at {pct(_f(r, 'mean_rating'))} of the scale",
    "rating_deviation": lambda r: (f"its ratings differ from other raters' by {pct(_f(r, 'rating_deviation'))} "
                                   "of the scale on average"),
    "weighted_degree": lambda r: (f"linked to {_f(r, 'n_neighbours'):.0f} account(s), total link strength "
                                  f"{_f(r, 'weighted_degree'):.2f}"),
    "linked": lambda r: (f"linked to {_f(r, 'n_neighbours'):.0f} account(s), total link strength "
                         f"{_f(r, 'weighted_degree'):.2f}"),
    "n_neighbours": lambda r: f"linked to {_f(r, 'n_neighbours'):.0f} account(s)",
    "max_link_weight": lambda r: f"strongest link {_f(r, 'max_link_weight'):.2f}",
    "lockstep_neighbours": lambda r: f"acted in lockstep with {_f(r, 'lockstep_neighbours'):.0f} account(s)",
    "neighbour_risk_mean": lambda r: f"its linked accounts' clusters average risk {_f(r, 'neighbour_risk_mean'):.2f}",
    "neighbour_risk_max": lambda r: f"linked to an account in a cluster of risk {_f(r, 'neighbour_risk_max'):.2f}",
    "risky_neighbours": lambda r: f"linked to an account in a cluster of risk {_f(r, 'neighbour_risk_max'):.2f}",
    "cluster_size": lambda r: f"in a cluster of {_f(r, 'cluster_size'):.0f} accounts",
    "cluster_risk": lambda r: f"its cluster scores {_f(r, 'cluster_risk'):.2f} before labels",
}


def _takeover(row: Row) -> str | None:
    """The account's strongest takeover wave in words (its size and strength come from the same
    wave: features/takeover.finish_waves); None when it is no stronger than a household's
    (``takeover_strength`` 0; rows without it: a wave under TAKEOVER_WAVE_ACCOUNTS)."""
    size = _f(row, "takeover_wave")
    if row_strength(row, "takeover_strength", "takeover_wave") <= 0:
        return None
    # A wave under a household's size has strength only when its accounts were strangers.
    strangers = " most of which had shared no identifier before" if size < TAKEOVER_WAVE_ACCOUNTS else ""
    return (f"a new device, card, phone or other identifier of this old account reached {size:.0f} old "
            f"accounts{strangers} within a week, or a month for accounts that had shared nothing before "
            f"(a takeover wave)")


def _surprisal(row: Row) -> str:
    top = row.get("action_surprisal_top")
    most = f", most on '{top}'" if top else ""
    return f"its mix of actions is {_f(row, 'action_surprisal'):.1f} bits from what accounts of its type do{most}"


# Scorecard indicators and the feature column whose value each sentence gives.
_VALUE_OF = {"coordinated": "burst_share", "rapid": "rapid_gap_share", "extreme_ratings": "extreme_rating_share",
             "batch_created": "creation_burst", "rare_targets": "rare_target_share",
             "risky_neighbours": "neighbour_risk_max"}


def _source_of(feature: str) -> str:
    return _VALUE_OF.get(feature, feature)


# Counts and risks among _MORE_IS_RISKIER: zero only when none; the rest are shares, nothing
# to say for a high risk when they round to 0%.
_COUNTS = frozenset({"lockstep_neighbours", "creation_burst", "batch_created", "neighbour_risk_mean",
                     "neighbour_risk_max", "risky_neighbours", "cluster_risk"})


def _says_nothing_for_risk(feature: str, row: Row) -> bool:
    """A figure of which more is riskier, at none (a share: under half a percent)."""
    if feature not in _MORE_IS_RISKIER:
        return False
    value = _f(row, _source_of(feature))
    return value == 0 if feature in _COUNTS else value < 0.005


def describe_account(feature: str, row: Row) -> str | None:
    """The sentence for one feature (or scorecard indicator) of one account."""
    template = TEMPLATES.get(feature)
    if template is None and feature.startswith("action_"):
        name = feature.removeprefix("action_").replace("_", " ")
        return _no_zero_percent(f"{pct(_f(row, feature))} of its actions are '{name}'", _f(row, feature))
    if template is None:
        return None
    if row.get(SOURCE.get(feature, feature), ABSENT) is None:  # unknown (e.g. a creation time that is a stamp)
        return None
    try:
        text = template(row)
    except (KeyError, TypeError, ValueError):
        return None
    return _no_zero_percent(text, _f(row, _source_of(feature)))


def _no_zero_percent(text: str | None, value: float) -> str | None:
    """``text`` without a leading "0% of its": none is "none of its" ("0% of its actions are
    'session start'" read as a figure missing), a share that rounds to none "under 1% of its"
    ("0% of its actions on targets few others touch")."""
    if text and text.startswith("0% of its "):
        return ("none of its " if value == 0 else "under 1% of its ") + text.removeprefix("0% of its ")
    return text


# Features of which more is riskier: at 0 they say nothing for a high risk ("0% of its actions
# come within seconds of another account's" was given as a reason for accounts at 0.99: the
# model's trees read it beside other features, but as a sentence it argues the other way).
_MORE_IS_RISKIER = frozenset({"burst_share", "coordinated", "rapid_gap_share", "rapid", "extreme_rating_share",
                              "extreme_ratings", "lockstep_neighbours", "creation_burst", "batch_created",
                              "rare_target_share", "rare_targets", "peak_hour_share", "neighbour_risk_mean",
                              "neighbour_risk_max", "risky_neighbours", "cluster_risk"})
# Sentences that say the same figure of the same thing: the later one is left out when the
# earlier one (its figure's column, how it opens) is there and the figures agree as shown.
_NEIGHBOURS_MEAN = ("neighbour_risk_mean", "its linked accounts' clusters average risk")
_SAME_FIGURE = {"cluster_risk": ("cluster_risk_score", "member of cluster"),
                "neighbour_risk_max": _NEIGHBOURS_MEAN, "risky_neighbours": _NEIGHBOURS_MEAN}


def _says_again(feature: str, row: Row, given: list[str]) -> bool:
    """Whether ``feature``'s sentence would repeat a figure already among ``given``: the
    cluster's risk after "member of cluster … (risk 0.99, …)", the riskiest neighbour's cluster
    after the neighbours' average when both are the same."""
    if feature not in _SAME_FIGURE:
        return False
    other, opening = _SAME_FIGURE[feature]
    return (any(r.startswith(opening) for r in given)
            and f"{_f(row, _source_of(feature)):.2f}" == f"{_f(row, other):.2f}")  # the same figure as shown


# The cluster is a reason when its part raised the account's risk by this much or more (five
# points: an account at 0.45 of its own in a cluster at 0.44 ranks at 0.69, for both).
CLUSTER_REASON_MIN = 0.05


# The pseudo-label model (risk.pseudo_labels) is a reason when it puts the account on the
# high-risk clusters' side of its line (0.5: its classes are balanced by weight) and raised the
# account's own score by CLUSTER_REASON_MIN or more.
PSEUDO_LABEL_REASON_MIN = 0.5


def account_reasons(table: pl.DataFrame, names: list[str], contributions: np.ndarray, scores: np.ndarray,
                    *, n: int = 3) -> list[list[str]]:
    """Top ``n`` reasons per account (rows of ``table``), in the direction of its score
    (``scores``: the account's risk).

    Label evidence and the cluster (when its part is the larger or raised the risk by at least
    :data:`CLUSTER_REASON_MIN`: the risk combines the account's own score and what it inherits,
    ``risk.accounts.combined_risk``) come first, then the pseudo-label model's verdict when it raised
    the account's own score (``pseudo_label_score`` and ``pseudo_label_part`` columns,
    :mod:`syndicate.risk.pseudo_labels`; with labels, ``pseudo_label_free_view`` says the model
    learnt from the clusters as scored without labels: ``risk.accounts.with_label_free_view``);
    then the features that
    pushed a high risk up, or pulled a low one down.
    """
    out = []
    for i, row in enumerate(table.to_dicts()):
        reasons: list[str] = []
        high = scores[i] >= 0.5
        # A label the score goes against is said as outweighed: "confirmed good before" leading
        # the reasons of an account at 0.99 read as one of them.
        if row.get("label") == 1:
            reasons.append("confirmed bad before" if high else "confirmed bad before, outweighed by the evidence below")
        elif row.get("label") == 0:
            reasons.append("confirmed good before, outweighed by the evidence below" if high else "confirmed good before")
        added = _f(row, "risk_score") - _f(row, "model_score") if "model_score" in row else 0.0
        if row.get("score_source") == "cluster" or added >= CLUSTER_REASON_MIN:
            own = _f(row, "cluster_risk_score")
            inherited = _f(row, "inherited_risk") if "inherited_risk" in row else own
            text = f"member of cluster {row['cluster_id']} (risk {own:.2f}, {_f(row, 'cluster_size'):.0f} accounts)"
            if inherited < own - 0.005:
                text += f", more weakly linked than most of its members: inherits {inherited:.2f}"
            reasons.append(text)
        sign = 1.0 if scores[i] >= 0.5 else -1.0
        look = row.get("pseudo_label_score")
        if (look is not None and sign > 0 and len(reasons) < n and look >= PSEUDO_LABEL_REASON_MIN
                and _f(row, "pseudo_label_part") >= CLUSTER_REASON_MIN):
            which = ("the clusters this run scores high-risk without labels" if row.get("pseudo_label_free_view")
                     else "this run's high-risk clusters")
            reasons.append(f"behaves like the members of {which} ({look:.2f} from a model trained on them out of "
                           "fold)")
        for j in np.argsort(-sign * contributions[i], kind="stable"):
            if len(reasons) >= n or sign * contributions[i, j] <= 0:
                break
            if sign > 0 and _says_nothing_for_risk(names[j], row):
                continue
            if _says_again(names[j], row, reasons):
                continue
            text = describe_account(names[j], row)
            if text and text not in reasons:
                reasons.append(text)
        out.append(reasons)
    return out


__all__ = ["TEMPLATES", "account_reasons", "describe_account"]

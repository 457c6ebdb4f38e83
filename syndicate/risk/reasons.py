"""Reasons in words: each cluster's top contributing features, written with its own numbers."""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import polars as pl

from syndicate.features.takeover import MIN_WAVE, TAKEOVER_WAVE_ACCOUNTS, row_strength
from syndicate.risk.feature_words import RISKIER_WHEN, compared, feature_words, format_value, points_to_risk

Row = dict[str, object]


ABSENT = object()  # a column the row does not have (as opposed to a null value)


# Scorecard indicators and the feature each reads: no sentence where that feature is unknown.
SOURCE = {"young_accounts": "young_180d_share", "slow_growth": "created_core_span_days"}


def _n(value: object) -> int:
    return int(round(float(value or 0)))


def pct(value: object) -> str:
    """A share as a whole percentage: 0.456 -> '46%'."""
    return f"{100 * float(value or 0):.0f}%"


# Identifier kinds in words (other kinds read as their own name).
KIND_LABELS = {"device": "device", "payment": "payment instrument", "phone": "phone",
               "ip": "IP address", "email": "e-mail", "address": "address"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def plural(label: str, count: int) -> str:
    """``label`` for one, its plural otherwise ('address' -> 'addresses')."""
    return label if count == 1 else label + ("es" if label.endswith("s") else "s")


def _sharing(kind: str) -> Callable[[Row], str | None]:
    label = kind_label(kind)

    def text(row: Row) -> str | None:
        top = _n(row.get(f"max_accounts_per_{kind}"))
        if top < 2:
            return f"no {label} is shared between members"
        values = _n(row.get(f"{kind}_values"))
        return (f"{top} accounts share one {label} "
                f"({values} distinct {plural(label, values)} across {_n(row['size'])} accounts)")
    return text


def _action_mix(row: Row) -> str | None:
    """What the members lean on (features/action_mix.py), in shares of their activity."""
    top, share, expected = (row.get(f"action_mix_top{s}") for s in ("", "_share", "_expected"))
    if top is None or share is None or expected is None:
        return None
    if float(row.get("action_mix") or 0.0) <= 0:
        # No surplus beyond chance: nothing to say either way (a model may still weigh the
        # figure; an "ordinary" sentence would read as a reason for its risk).
        return None

    def share_words(value: float) -> str:  # "0%" would say ordinary accounts never do it
        value = float(value)
        if 0 < value < 0.0005:
            return "under 0.1%"
        return f"{100 * value:.1f}%" if 0 < value < 0.0095 else pct(value)

    return (f"members spend {share_words(share)} of their activity on '{top}', where ordinary accounts of their "
            f"type spend {share_words(expected)}")


def _own_device(row: Row) -> str | None:
    """How many of the members seen on a device or phone have one of their own (None for a
    table made before the figure was)."""
    share = row.get("own_device_share")
    if share is None or share != share:
        return None
    return (f"{pct(1 - float(share))} of the members seen on a device or phone have none "
            "of their own (every one they use is another account's too)")


def _target_spread(row: Row) -> str | None:
    """How unequally the members act against the platform's accounts (None without the figure)."""
    spread = row.get("members_target_spread")
    if spread is None or spread != spread:
        return None
    if 0.95 <= float(spread) < 1.05:
        return "members' numbers of distinct targets vary about as much as the platform's accounts' do"
    if float(spread) >= 1.05:  # a ratio above one: "vary 224% as much" read as a share
        return f"members' numbers of distinct targets vary {float(spread):.1f} times as much as the platform's accounts' do"
    return f"members' numbers of distinct targets vary {pct(spread)} as much as the platform's accounts' do"


# feature (or scorecard indicator) -> sentence built from the cluster's row
TEMPLATES: dict[str, Callable[[Row], str | None]] = {
    "size": lambda r: f"{_n(r['size'])} linked accounts",
    "n_edges": lambda r: f"{_n(r['n_edges'])} links between members",
    "density": lambda r: f"{pct(r['density'])} of member pairs are directly linked",
    "mean_edge_weight": lambda r: f"average link strength {float(r['mean_edge_weight']):.2f}",
    "created_within_1d": lambda r: (f"{_n(r['created_within_1d'])} of {_n(r['size'])} accounts created within one day"
                                    if _n(r['created_within_1d']) > 1 else "no two accounts created on the same day"),
    "created_within_7d": lambda r: (f"{_n(r['created_within_7d'])} of {_n(r['size'])} accounts created within 7 days"
                                    if _n(r['created_within_7d']) > 1 else "no two accounts created in the same week"),
    "created_within_7d_share": lambda r: f"{pct(r['created_within_7d_share'])} of accounts created within 7 days",
    "creation_burst": lambda r: f"{_n(r['created_within_7d'])} of {_n(r['size'])} accounts created within 7 days",
    "created_span_days": lambda r: _span(r),
    "created_core_span_days": lambda r: _span(r, "created_core_span_days", "the middle 80% of accounts"),
    "slow_growth": lambda r: _span(r, "created_core_span_days", "the middle 80% of accounts"),
    "median_age_days": lambda r: f"median account age {_n(r['median_age_days'])} days",
    "young_30d_share": lambda r: f"{pct(r['young_30d_share'])} of accounts are under 30 days old",
    "young_180d_share": lambda r: f"{pct(r['young_180d_share'])} of accounts are under 180 days old",
    "young_accounts": lambda r: f"{pct(r['young_180d_share'])} of accounts are under 180 days old",
    "top_country_share": lambda r: f"{pct(r['top_country_share'])} of accounts in one country",
    "top_account_type_share": lambda r: f"{pct(r['top_account_type_share'])} of accounts of one type ({r.get('main_account_type')})",
    "signals_per_account": lambda r: f"{float(r['signals_per_account']):.1f} identifiers per account",
    "no_signal_share": lambda r: f"{pct(r['no_signal_share'])} of accounts have no identifiers",
    "own_device_share": lambda r: _own_device(r),
    "no_own_device": lambda r: _own_device(r),
    "members_target_spread": lambda r: _target_spread(r),
    "varied_members": lambda r: _target_spread(r),
    "hub_share": lambda r: f"{pct(r['hub_share'])} of accounts use a hub identifier (e.g. a carrier IP)",
    "events_per_account": lambda r: f"{float(r['events_per_account']):.1f} actions per account",
    "active_share": lambda r: f"{pct(r['active_share'])} of accounts active",
    "targets_per_account": lambda r: f"{float(r['targets_per_account']):.1f} distinct targets per account",
    "top_target_share": lambda r: f"{pct(r['top_target_share'])} of actions on a single target",
    "co_target_share": lambda r: _co_targeting(r),
    "co_targeting": lambda r: _co_targeting(r),
    "coaction_targets": lambda r: _group_coaction(r),
    "group_coaction": lambda r: _group_coaction(r),
    "shared_identity": lambda r: _max_sharing(r),
    "lockstep": lambda r: _lockstep(r),
    "coaction_on_shared_ips": lambda r: (f"{_group_coaction(r)}, and {pct(r['evidence_ip'])} of link "
                                         "evidence is shared IPs"),
    "group_burst_share": lambda r: _delivery(r),
    "extreme_ratings": lambda r: _ratings(r),
    "extreme_rating_lift": lambda r: _ratings(r),
    "rated_member_share": lambda r: _ratings(r),
    "co_rated_targets": lambda r: _ratings(r),
    "rating_burst": lambda r: (f"{pct(r['evidence_rating_burst'])} of link evidence is rating targets at the "
                               "low end of the scale together within days, against what their other raters "
                               "gave them"),
    "rare_coaction": lambda r: (f"{pct(r['evidence_rare_coaction'])} of link evidence is acting on the same "
                                "rare targets within the same days"
                                + (f" (linked members met on {float(r['mean_rare_targets']):.1f} of them on average)"
                                   if r.get("mean_rare_targets") else "")),
    "mean_rare_targets": lambda r: (f"linked members met on {float(r['mean_rare_targets']):.1f} rare targets "
                                    "within days on average" if r.get("mean_rare_targets")
                                    else "no linked members met on the same rare targets within days"),
    "lockstep_edge_share": lambda r: f"{pct(r['lockstep_edge_share'])} of member links are lockstep co-action",
    "mean_shared_bursts": lambda r: f"linked members acted together within seconds on {float(r['mean_shared_bursts']):.0f} targets on average",
    "members_burst_share": lambda r: f"{pct(r['members_burst_share'])} of members' actions come within seconds of another account's on the same target",
    "members_gap_cv": lambda r: f"members act at steady intervals: gap variation {float(r['members_gap_cv']):.2f}, where 0 is clockwork",
    "members_peak_hour_share": lambda r: f"{pct(r['members_peak_hour_share'])} of members' actions fall in their busiest hour of the day",
    "members_first_event_delay_days": lambda r: f"members' first action comes a median {_days(r['members_first_event_delay_days'])} after sign-up",
    "members_rapid_gap_share": lambda r: f"{pct(r['members_rapid_gap_share'])} of members' actions follow the previous within a minute",
    "members_hour_entropy": lambda r: f"activity spread over the day: {float(r['members_hour_entropy']):.2f} (1 = all hours evenly)",
    "members_rare_target_share": lambda r: f"{pct(r['members_rare_target_share'])} of members' actions on targets few others touch",
    "device_reuse": lambda r: _reuse(r),
    "takeover_wave": lambda r: _taken_over(r),
    "takeover_wave_share": lambda r: _taken_over(r),
    "takeover_wave_max": lambda r: _taken_over(r),
    "takeover_wave_strength": lambda r: _taken_over(r),
    "unusual_actions": lambda r: _action_mix(r),
    "action_mix": lambda r: _action_mix(r),
    "lookalike_labels": lambda r: _lookalikes(r),
    "places_only": lambda r: _places_only(r),
}


def place_kinds(row: dict, *, addresses: str = "addresses") -> tuple[float, str]:
    """The link evidence of shared places (IPs and addresses) and the words for the kinds there
    are: a proxy pool's "IPs and addresses" would invent addresses (both when neither figure is
    there)."""
    ip, address = float(row.get("evidence_ip") or 0), float(row.get("evidence_address") or 0)
    return ip + address, " and ".join(w for w, v in (("IPs", ip), (addresses, address)) if v > 0) or f"IPs and {addresses}"


def _places_only(row: dict) -> str:
    """"92% of link evidence is shared places only (IPs)"."""
    share, kinds = place_kinds(row, addresses="street addresses")
    return f"{pct(share)} of link evidence is shared places only ({kinds})"


for _kind in KIND_LABELS:
    TEMPLATES[f"max_accounts_per_{_kind}"] = _sharing(_kind)
    TEMPLATES[f"accounts_per_{_kind}"] = _sharing(_kind)
    TEMPLATES[f"{_kind}_values"] = _sharing(_kind)
for _group in ("device", "payment", "phone", "ip", "email", "address", "other", "lockstep", "given"):
    TEMPLATES[f"evidence_{_group}"] = (
        lambda r, g=_group: f"{pct(r[f'evidence_{g}'])} of link evidence is "
        + {"lockstep": "acting in lockstep", "given": "externally supplied links",
           "other": "other shared identifiers", "ip": "shared IPs",
           "payment": "shared payment instruments", "email": "shared e-mails",
           "address": "shared addresses"}.get(g, f"shared {g}s")
    )


# What the members of a takeover did, in the reasons and the archetype's sentence alike.
TAKEN_OVER = (f"took a new device, card, phone or other identifier that reached {TAKEOVER_WAVE_ACCOUNTS} or more "
              f"old accounts within a week, or {MIN_WAVE} or more most of which had shared no identifier before "
              f"(within a month from {TAKEOVER_WAVE_ACCOUNTS})")


def _taken_over(row: Row) -> str | None:
    """The takeover sentence; None (no reason) for a cluster none of whose members was taken
    in a wave of some strength (TAKEOVER_WAVE_ACCOUNTS or more, MIN_WAVE or more strangers): a
    family's new tablet is no evidence. Tables without ``takeover_wave_strength`` (made before
    strangers' waves were read): by the largest wave's size."""
    share, largest = float(row.get("takeover_wave_share") or 0), _n(row.get("takeover_wave_max"))
    if share <= 0 or row_strength(row, "takeover_wave_strength", "takeover_wave_max") <= 0:
        return None
    return f"{round(share * _n(row['size']))} of {_n(row['size'])} accounts {TAKEN_OVER} (the largest wave {largest} accounts)"


def _lookalikes(row: Row) -> str | None:
    """The labels of the clusters the scorecard cannot tell this one from (risk/score.py
    lookalike_labels): the good side, then the bad, each where it carries any weight."""
    good, bad = float(row.get("lookalike_good") or 0.0), float(row.get("lookalike_bad") or 0.0)
    sides = [f"{words} (as much label evidence as {amount:.1f} clusters labelled throughout)"
             for words, amount in (("found good", good), ("confirmed bad", bad)) if amount >= 0.05]
    return f"clusters scored alike for the same signs were {' and '.join(sides)} before" if sides else None


def _days(value: object) -> str:
    days = float(value or 0)
    return f"{days:.1f} days" if days < 10 else f"{days:,.0f} days"


def _group_coaction(row: dict) -> str:
    n = int(row.get("coaction_targets") or 0)
    if n == 0:
        return "members never acted on a target three or more at a time"
    return f"three or more members acted together within minutes on {n} {plural('target', n)}"


def _lockstep(row: Row) -> str:
    edges, evidence = float(row.get("lockstep_edge_share") or 0), float(row.get("evidence_lockstep") or 0)
    if edges >= evidence:
        return f"{pct(edges)} of member links are lockstep co-action"
    return f"{pct(evidence)} of link evidence is acting in lockstep"


def _delivery(row: Row) -> str:
    share = row.get("group_burst_share")
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "members never acted on a target three or more at a time"
    return (f"{pct(share)} of the members who acted on the targets they hit together did so in the "
            "same few minutes")


def _ratings(row: Row) -> str:
    lift, rated = row.get("extreme_rating_lift"), row.get("rated_member_share")
    if lift is None or (isinstance(lift, float) and math.isnan(lift)):
        return "no ratings from members"
    if float(lift) <= 0:
        return (f"no more ratings at the ends of the scale than the platform's raters give "
                f"({pct(rated)} of members rate)")
    together = row.get("co_rated_targets")
    rated_together = ("" if together is None or (isinstance(together, float) and math.isnan(together))
                      else f"; {_n(together)} {'target' if _n(together) == 1 else 'targets'} rated by two or more of them")
    return (f"{pct(rated)} of members gave ratings, at the ends of the scale {pct(lift)} of the way from "
            f"the platform's typical rater to all-extreme{rated_together}")


def _max_sharing(row: Row) -> str | None:
    kind = max(("device", "payment", "phone"), key=lambda k: float(row.get(f"max_accounts_per_{k}") or 0))
    return _sharing(kind)(row)


def creation_span_known(row: Row) -> bool:
    """Whether two or more members' creation times are known, so that their span says
    something: a span of 0 with at most one member created within any 7 days is one member's
    (the others' creation times are stamps, syndicate.asof.known_creation), read as "all
    accounts created within one day" before."""
    if row.get("created_span_days") is None:
        return False
    within = row.get("created_within_7d")
    return not (float(row["created_span_days"]) == 0 and within is not None and float(within) <= 1)


def _span(row: Row, column: str = "created_span_days", who: str = "accounts") -> str | None:
    value = row.get(column)
    if value is None:  # tables made before the column existed
        value, who = row.get("created_span_days"), "accounts"
    if value is None or not creation_span_known(row):  # stamps: syndicate.asof.known_creation
        return None
    days = float(value)
    size = row.get("size")
    if who != "accounts" and size is not None and _n(size) < 5:
        # Below five members the "middle 80%" is every member whose creation time is known
        # (features/clusters.py): "accounts created over 12 days", which a household's "3
        # accounts created 12 days apart" already says (archetypes.restates).
        who = "accounts"
    if days < 1:
        return f"{'all accounts' if who == 'accounts' else who} created within one day"
    return f"{who} created over {_n(days)} day{'' if _n(days) == 1 else 's'}"


def _co_targeting(row: Row) -> str:
    share = float(row.get("co_target_share") or 0)
    if share < 0.005:
        return "members do not act on the same targets"
    return f"{pct(share)} of members' actions are on targets that many members act on"


def _reuse(row: Row) -> str | None:
    kind = max(("device", "payment", "phone"), key=lambda k: float(row.get(f"accounts_per_{k}") or 0))
    label, values = kind_label(kind), _n(row.get(f"{kind}_values"))
    ratio = float(row.get(f"accounts_per_{kind}") or 0)
    # The ratio is over the members that hold such a value, not over the whole cluster: "6.0
    # accounts per payment instrument (1 payment instrument for 12 accounts)" contradicted itself.
    holders, size = round(ratio * values), _n(row["size"])
    held = f"held by {holders} of the {size} accounts" if holders < size else f"for {size} accounts"
    return f"{ratio:.1f} accounts per {label} on average ({values} {plural(label, values)} {held})"


def describe(feature: str, row: Row) -> str | None:
    """The sentence for one feature of one cluster, or None when there is no template."""
    template = TEMPLATES.get(feature)
    if template is None:
        value = row.get(feature)
        return f"{feature_words(feature)}: {format_value(feature, value)}" if isinstance(value, (int, float)) else None
    if row.get(SOURCE.get(feature, feature), ABSENT) is None:  # unknown (e.g. every member's creation a stamp)
        return None
    try:
        return template(row)
    except (KeyError, TypeError, ValueError):
        return None


# "Low" features whose sentence needs the typical value to read as evidence ("5.1 identifiers
# per account" means little until one knows the typical cluster has 8).
_NEEDS_TYPICAL = ({f for f, side in RISKIER_WHEN.items() if side == "low"}
                  - {"created_span_days", "created_core_span_days", "median_age_days"})


def explain_feature(feature: str, row: Row, contribution: float, typical: object = None) -> tuple[str | None, bool]:
    """A sentence for one feature's contribution to one cluster's score, and whether it fits.

    The sentence *fits* when it reads as evidence in the direction of the contribution (for a
    syndicate when the feature raised the score, against when it lowered it). When the value
    sits on the other side of the typical cluster (``typical``: the run's median), the feature
    is stated as a plain comparison ("... (typical cluster: ...)") and does not fit.
    """
    text = describe(feature, row)
    if text and text.startswith("0% of "):
        text = "none of the " + text.removeprefix("0% of the ").removeprefix("0% of ")
    towards_risk = contribution > 0
    value = row.get(feature)
    side = points_to_risk(feature, value, typical)
    if side is None:
        numeric = isinstance(value, (int, float)) and isinstance(typical, (int, float))
        # No known direction, or none of a thing whose amount is the evidence, at the typical
        # cluster's none ("met on 0.0 rare targets" said of an agency): a comparison only.
        if numeric and (feature not in RISKIER_WHEN
                        or (towards_risk and value == 0 and RISKIER_WHEN[feature] == "high")):
            return compared(feature, value, typical), False
        return text, bool(text) and not (towards_risk and text.startswith("no "))
    if side != towards_risk:
        return compared(feature, value, typical), False
    if text and feature in _NEEDS_TYPICAL:
        text += f" (typical cluster: {format_value(feature, typical)})"
    return text, bool(text) and not (towards_risk and text.startswith("no "))


def label_reason(row: Row) -> str | None:
    bad, good = _n(row.get("n_known_bad")), _n(row.get("n_known_good"))
    parts = []
    if bad:
        parts.append(f"{bad} member{'s' if bad > 1 else ''} confirmed bad before")
    if good:
        parts.append(f"{good} member{'s' if good > 1 else ''} confirmed good before")
    return "; ".join(parts) or None


def typical_values(features: pl.DataFrame, names: list[str]) -> dict[str, float]:
    """The median of each numeric feature over the clusters: the "typical cluster"."""
    return {n: features[n].median() for n in names if n in features.columns and features[n].dtype.is_numeric()}


def top_reasons(
    features: pl.DataFrame, names: list[str], contributions: np.ndarray, scores: np.ndarray, *, n: int = 3
) -> list[list[str]]:
    """Top ``n`` reasons per cluster, in the direction of its score.

    A high score is explained by the features that pushed it up, a low one by those that
    pulled it down; label evidence, when present, comes first. The list form of
    :func:`top_reasons_series`.
    """
    return top_reasons_series(features, names, contributions, scores, n=n).to_list()


def top_reasons_series(
    features: pl.DataFrame, names: list[str], contributions: np.ndarray, scores: np.ndarray, *, n: int = 3
) -> pl.Series:
    """:func:`top_reasons` as a ``List(String)`` Series named ``reasons``, row-aligned.

    The sentences are :func:`explain_feature`'s, chosen in the same order, but the work is
    done a candidate rank at a time for every cluster at once: one row-wise argsort orders
    each cluster's features, and the direction test (which side of the typical cluster a
    value sits on) is a numpy comparison per feature. Only the sentences that can become
    reasons are written, each from its cluster's values (no dict per cluster).
    """
    m = features.height
    # Typical (median) value of each feature: a value reads as evidence only on the syndicate
    # side of it (see `explain_feature`).
    typical = typical_values(features, names)
    towards = np.asarray(scores) >= 0.5
    sign = np.where(towards, 1.0, -1.0)
    signed = sign[:, None] * contributions if len(names) else np.zeros((m, 0))
    order = np.argsort(-signed, axis=1, kind="stable")
    n_candidates = (signed > 0).sum(axis=1)  # the positive ones come first in `order`
    rows = _Rows(features)
    reasons: list[list[str]] = [[] for _ in range(m)]
    labels = _label_reasons(features)
    for i in np.flatnonzero(labels.is_not_null().to_numpy()).tolist():
        reasons[i].append(labels[i])
    counts = np.array([len(r) for r in reasons], dtype=np.int64)
    # Per feature: whether a cluster's value sits on the wrong side of the typical cluster for
    # its score (a plain comparison: never a reason), or needs its sentence to tell.
    wrong_side = np.column_stack([_wrong_side(features, f, typical.get(f), towards) for f in names]) \
        if names else np.zeros((m, 0), dtype=bool)
    for rank in range(len(names)):
        live = np.flatnonzero((counts < n) & (n_candidates > rank))
        if not len(live):
            break
        feature_of = order[live, rank]
        live = live[~wrong_side[live, feature_of]]
        feature_of = order[live, rank]
        for j in np.unique(feature_of).tolist():  # at most one batch per feature
            name, typ = names[j], typical.get(names[j])
            for i in live[feature_of == j].tolist():
                text, fits = explain_feature(name, rows.at(i), float(contributions[i, j]), typ)
                if fits and text and text not in reasons[i]:
                    reasons[i].append(text)
                    counts[i] += 1
    return string_lists(reasons, "reasons")


def string_lists(lists: list[list[str]], name: str) -> pl.Series:
    """A ``List(String)`` Series of Python lists of strings, built from one flat array and
    the offsets (polars converts a list of lists one sub-list at a time: ~25 µs each)."""
    import pyarrow as pa

    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in lists], out=offsets[1:])
    flat = pa.array([text for texts in lists for text in texts], type=pa.large_string())
    series = pl.from_arrow(pa.LargeListArray.from_arrays(pa.array(offsets), flat))
    return series.cast(pl.List(pl.String)).rename(name)


class _Rows:
    """Row ``i`` of a frame as the mapping the sentence templates read, built from column
    lists fetched once per column on first use (no dict per row of every column)."""

    def __init__(self, frame: pl.DataFrame):
        self._frame, self._columns = frame, {}

    def column(self, name: str) -> list | None:
        if name not in self._columns:
            self._columns[name] = self._frame[name].to_list() if name in self._frame.columns else None
        return self._columns[name]

    def at(self, i: int) -> "_Row":
        return _Row(self, i)


class _Row:
    __slots__ = ("_rows", "_i")

    def __init__(self, rows: _Rows, i: int):
        self._rows, self._i = rows, i

    def __getitem__(self, key: str) -> object:
        column = self._rows.column(key)
        if column is None:
            raise KeyError(key)
        return column[self._i]

    def get(self, key: str, default: object = None) -> object:
        column = self._rows.column(key)
        return default if column is None else column[self._i]


def _label_reasons(features: pl.DataFrame) -> pl.Series:
    """:func:`label_reason` of every cluster (null where it has none)."""
    def count(name: str) -> pl.Expr:
        if name not in features.columns:
            return pl.lit(0, dtype=pl.Int64)
        # _n: round half to even of the float, None counting as 0
        return pl.col(name).cast(pl.Float64).fill_null(0.0).round(0, mode="half_to_even").cast(pl.Int64)

    def part(n: pl.Expr, what: str) -> pl.Expr:
        return pl.when(n > 0).then(pl.format("{} member{} confirmed " + what + " before", n,
                                             pl.when(n > 1).then(pl.lit("s")).otherwise(pl.lit(""))))

    bad, good = count("n_known_bad"), count("n_known_good")
    return features.select(pl.concat_str([part(bad, "bad"), part(good, "good")], separator="; ",
                                          ignore_nulls=True).replace("", None).alias("label")).to_series()


def _wrong_side(features: pl.DataFrame, feature: str, typical: object, towards: np.ndarray) -> np.ndarray:
    """Clusters whose ``feature`` value sits on the non-syndicate side of ``typical`` for the
    direction of their score, or that read as a plain comparison: :func:`explain_feature`
    calls neither a reason (vectorised `points_to_risk`; other cells are left to the sentence)."""
    m = features.height
    if feature not in features.columns or not isinstance(typical, (int, float)) or math.isnan(typical):
        return np.zeros(m, dtype=bool)
    column = features[feature]
    if not (column.dtype.is_integer() or column.dtype.is_float() or column.dtype == pl.Boolean):
        return np.zeros(m, dtype=bool)
    value = column.cast(pl.Float64).to_numpy()  # null -> NaN
    present = column.is_not_null().to_numpy()
    side = RISKIER_WHEN.get(feature)
    if side is None:
        # No known direction: a number beside a typical number is a comparison only.
        return present
    known = present & ~np.isnan(value) & (value != typical)
    return known & (((value > typical) == (side == "high")) != towards)

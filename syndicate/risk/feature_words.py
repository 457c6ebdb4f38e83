"""Cluster features in plain words, which way each one points, and how to print its value.

Used wherever a person reads a feature: the reasons of a cluster, the contribution (waterfall)
chart of the report, ``explain_cluster``. A raw name such as ``members_first_event_delay_days``
never reaches a reader.

``RISKIER_WHEN`` says which side of the typical cluster a feature's value must be on to read
as evidence *for* a syndicate (``"high"``: more is more suspicious; ``"low"``: less is). A
model may still push a score up with a value on the other side (trees learn interactions);
such a feature is then shown as a plain comparison with the typical cluster, never with a
sentence that reads as evidence against the cluster.
"""

from __future__ import annotations

import math

IDENTITY_WORDS = {"device": "device", "payment": "payment instrument", "phone": "phone",
                  "ip": "IP address", "email": "e-mail", "address": "address"}
EVIDENCE_WORDS = {"device": "shared devices", "payment": "shared payment instruments",
                  "phone": "shared phones", "ip": "shared IP addresses", "email": "shared e-mails",
                  "address": "shared addresses", "other": "other shared identifiers",
                  "lockstep": "acting in lockstep",
                  "rare_coaction": "acting on the same rare targets within days",
                  "rating_burst": "rating targets down together within days, against their other raters",
                  "given": "externally supplied links"}

FEATURE_WORDS: dict[str, str] = {
    "size": "accounts in the cluster",
    "n_edges": "links between members",
    "density": "member pairs directly linked",
    "mean_edge_weight": "average link strength",
    "lockstep_edge_share": "member links that are lockstep co-action",
    "mean_shared_bursts": "shared bursts per linked pair",
    "mean_rare_targets": "rare targets a linked pair met on",
    "signals_per_account": "identifiers per account",
    "no_signal_share": "accounts with no identifier",
    "own_device_share": "members with a device or phone of their own",
    "no_own_device": "members with no device or phone of their own",
    "hub_share": "accounts using a hub identifier (e.g. a carrier IP)",
    "created_within_1d": "accounts created within one day",
    "created_within_7d": "accounts created within 7 days",
    "created_within_7d_share": "accounts created within 7 days (share)",
    "created_span_days": "days from the first to the last account created",
    "created_core_span_days": "days over which the middle 80% of the accounts were created",
    "median_age_days": "median account age (days)",
    "young_30d_share": "accounts under 30 days old",
    "young_180d_share": "accounts under 180 days old",
    "top_country_share": "accounts in the most common country",
    "top_account_type_share": "accounts of the most common type",
    "events_per_account": "actions per account",
    "active_share": "accounts that acted",
    "targets_per_account": "distinct targets per account",
    "top_target_share": "actions on the single most-hit target",
    "co_target_share": "actions on targets many members act on",
    "coaction_targets": "targets hit by three or more members together",
    "group_burst_share": "members on the group's targets who came in its burst",
    "members_gap_cv": "timing variation of members' actions (0 = clockwork)",
    "members_rapid_gap_share": "actions within a minute of the member's previous one",
    "members_burst_share": "actions within seconds of another account's on one target",
    "members_hour_entropy": "spread of activity over the day (1 = every hour alike)",
    "members_peak_hour_share": "members' actions in their busiest hour of the day",
    "members_rare_target_share": "members' actions on targets few others touch",
    "members_first_event_delay_days": "days from sign-up to first action (median)",
    "rated_member_share": "members who gave ratings",
    "extreme_rating_lift": "ratings at the ends of the scale beyond the platform's (1 = all)",
    "co_rated_targets": "targets rated by two or more members",
    "members_target_spread": "how unequally members act (distinct targets; 1 = as the platform's accounts)",
    # scorecard indicators (unsupervised score)
    "creation_burst": "accounts created in one burst",
    "slow_growth": "cluster grew slowly over months",
    "young_accounts": "young accounts",
    "lockstep": "acting in lockstep",
    "co_targeting": "acting on the same targets",
    "group_coaction": "acting together as a group",
    "coaction_on_shared_ips": "acting as a group and sharing IP addresses",
    "shared_identity": "one identifier shared by many accounts",
    "device_reuse": "accounts per device, card or phone",
    "takeover_wave": "old accounts taking one new identifier (device, card, phone…) within a week "
                     "(a month for strangers)",
    "takeover_wave_share": "members taking a new identifier (device, card, phone…) with other old accounts "
                           "within a week (a month for strangers)",
    "takeover_wave_max": "most old accounts taking one new identifier (device, card, phone…) within a week "
                         "(a month for strangers)",
    "takeover_wave_strength": "how far members' takeover waves are beyond a family's new tablet",
    "takeover_strength": "how far this account's takeover wave is beyond a family's new tablet",
    "places_only": "linked only by shared places (IP and street addresses)",
    "extreme_ratings": "meeting on rare targets with ratings at the ends of the scale",
    "unusual_actions": "members leaning together on actions ordinary accounts seldom use",
    "varied_members": "members acting as unequally as the platform's accounts (independent people)",
    "action_mix": "members' surplus on actions ordinary accounts of their type seldom use (bits)",
}
for _kind, _word in IDENTITY_WORDS.items():
    FEATURE_WORDS[f"{_kind}_values"] = f"distinct {_word}s among members".replace("addresss", "addresses")
    FEATURE_WORDS[f"accounts_per_{_kind}"] = f"accounts per {_word}"
    FEATURE_WORDS[f"max_accounts_per_{_kind}"] = f"most accounts on one {_word}"
for _group, _word in EVIDENCE_WORDS.items():
    FEATURE_WORDS[f"evidence_{_group}"] = f"link evidence from {_word}"

# Which side of the typical cluster reads as evidence for a syndicate (see the module doc).
RISKIER_WHEN: dict[str, str] = {
    **{f: "high" for f in (
        "size", "n_edges", "density", "mean_edge_weight", "lockstep_edge_share", "mean_shared_bursts",
        "mean_rare_targets", "created_within_1d", "created_within_7d", "created_within_7d_share", "young_30d_share",
        "young_180d_share", "top_country_share", "top_account_type_share", "top_target_share",
        "co_target_share", "coaction_targets", "group_burst_share", "members_rapid_gap_share", "members_burst_share", "members_peak_hour_share",
        "evidence_device", "evidence_payment", "evidence_phone", "evidence_email", "evidence_lockstep",
        "evidence_rare_coaction", "evidence_rating_burst", "extreme_rating_lift", "takeover_wave_share", "action_mix",
        "takeover_wave_max", "takeover_wave_strength", "co_rated_targets")},
    **{f"{m}_{k}": "high" for m in ("accounts_per", "max_accounts_per") for k in ("device", "payment", "phone", "email")},
    **{f: "low" for f in (
        "created_span_days", "created_core_span_days", "median_age_days", "members_gap_cv", "members_hour_entropy",
        "members_first_event_delay_days", "signals_per_account", "members_rare_target_share",
        "evidence_ip", "evidence_address", "own_device_share", "members_target_spread")},
}

_COUNTS = ("size", "n_edges", "created_within_1d", "created_within_7d", "takeover_wave_max", "co_rated_targets")


def feature_words(feature: str) -> str:
    """A feature's name in words (the raw name with spaces when it has none)."""
    return FEATURE_WORDS.get(feature, feature.replace("_", " "))


def format_value(feature: str, value: object) -> str:
    """A feature value as people read it: shares as percentages, counts as integers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)
    if feature.endswith("_share") or feature.startswith("evidence_") or feature in ("density", "members_target_spread"):
        return f"{100 * value:.0f}%"
    if feature in _COUNTS or feature.endswith("_values") or feature.startswith("max_accounts_per_"):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}"


def points_to_risk(feature: str, value: object, typical: object) -> bool | None:
    """Whether ``value`` sits on the syndicate side of the typical cluster's value.

    ``None`` when the feature has no known direction, a value is missing, or it equals the
    typical value.
    """
    side = RISKIER_WHEN.get(feature)
    if side is None or not isinstance(value, (int, float)) or not isinstance(typical, (int, float)):
        return None
    if math.isnan(value) or math.isnan(typical) or value == typical:
        return None
    return (value > typical) == (side == "high")


def compared(feature: str, value: object, typical: object) -> str:
    """The neutral form: "<feature in words>: <value> (typical cluster: <value>)"."""
    text = f"{feature_words(feature)}: {format_value(feature, value)}"
    if isinstance(typical, (int, float)):
        text += f" (typical cluster: {format_value(feature, typical)})"
    return text


__all__ = ["FEATURE_WORDS", "RISKIER_WHEN", "feature_words", "format_value", "points_to_risk", "compared"]

"""Labels from past enforcement: few, biased, incomplete and sometimes wrong.

- Enforcement found some syndicates: in each found group a part of the members is labelled
  1; a set share of the groups (at least ``unlabelled_group_share``) has no labelled member.
- Investigations also cleared accounts: a sample of benign accounts is labelled 0, with
  accounts in shared-identifier structures (households, agencies, NATs) likelier to have
  been looked at.
- About ``wrong_label_share`` of the labels are wrong: mostly benign accounts in households,
  agencies or office NATs labelled 1 (collateral damage), sometimes a syndicate member
  labelled 0 (a successful appeal).
"""

from __future__ import annotations

import math

import numpy as np

from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.sampling import AGENCY, HOUSEHOLD, OFFICE_NAT, VIRAL

NO_LABEL = -1

# Relative chance that a benign account was investigated and cleared, by group kind code.
_CLEARED_WEIGHT = {HOUSEHOLD: 3.0, AGENCY: 3.0, OFFICE_NAT: 1.5, VIRAL: 1.2}
_FALSE_POSITIVE_SHARE = 0.75


def _sample(rng: np.random.Generator, candidates: np.ndarray, count: int, weight=None) -> np.ndarray:
    """``count`` distinct candidates, with probability rising with ``weight`` (Efraimidis–Spirakis)."""
    count = min(count, len(candidates))
    if count <= 0:
        return candidates[:0]
    keys = np.log(rng.random(len(candidates)))
    if weight is not None:
        keys = keys / weight
    return candidates[np.argpartition(-keys, count - 1)[:count]]


def draw_labels(
    rng: np.random.Generator,
    group_kind: np.ndarray,
    bad_group: np.ndarray,
    n_bad_groups: int,
    config: GeneratorConfig,
) -> np.ndarray:
    """A label per account: 1 (confirmed bad), 0 (confirmed good) or ``NO_LABEL``.

    ``group_kind`` holds group kind codes, ``bad_group`` a global syndicate number (or -1).
    """
    n_accounts = len(group_kind)
    labels = np.full(n_accounts, NO_LABEL, dtype=np.int8)
    is_bad = bad_group >= 0

    found = np.ones(n_bad_groups, dtype=bool)
    n_hidden = math.ceil(config.unlabelled_group_share * n_bad_groups)
    found[rng.permutation(n_bad_groups)[:n_hidden]] = False
    labelled_share = rng.uniform(0.1, 0.6, n_bad_groups)
    bad_accounts = np.flatnonzero(is_bad)
    group = bad_group[bad_accounts]
    hit = found[group] & (rng.random(len(bad_accounts)) < labelled_share[group])
    labels[bad_accounts[hit]] = 1
    # Every found group has at least one labelled member: the one that got it found.
    shuffled = rng.permutation(len(bad_accounts))
    order = shuffled[np.argsort(group[shuffled], kind="stable")]
    first_of_group = order[np.r_[True, group[order][1:] != group[order][:-1]]] if len(order) else order
    first_of_group = first_of_group[found[group[first_of_group]]]
    labels[bad_accounts[first_of_group]] = 1

    n_positive = int((labels == 1).sum())
    n_negative = max(round(config.label_share * n_accounts) - n_positive, 0)
    benign = np.flatnonzero(~is_bad)
    weight = np.ones(len(benign))
    for kind, w in _CLEARED_WEIGHT.items():
        weight[group_kind[benign] == kind] = w
    labels[_sample(rng, benign, n_negative, weight)] = 0

    n_wrong = round(config.wrong_label_share * int((labels != NO_LABEL).sum()))
    n_false_positive = round(_FALSE_POSITIVE_SHARE * n_wrong)
    shares_things = np.isin(group_kind[benign], [HOUSEHOLD, AGENCY, OFFICE_NAT])
    suspects = benign[shares_things] if shares_things.any() else benign
    labels[_sample(rng, suspects, n_false_positive)] = 1
    appealed = bad_accounts[found[group] & (labels[bad_accounts] == NO_LABEL)]
    labels[_sample(rng, appealed, n_wrong - n_false_positive)] = 0
    return labels

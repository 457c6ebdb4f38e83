"""Quality on a fourteenth marketplace written from the data contract alone
(``benchmarks/fourteenth_marketplace.py``, twenty-sixth sitting): a dating app whose swipes,
matches, messages and reports name the other account as their target, with nine-digit ids
read as integers from its CSV accounts and labels, a ``photo`` hash kind, evening peaks and
duplicate event rows. Romance-scam call centres, swipe-bot farms on one SMS-activation pool,
premium fraud on stolen cards, catfish operators and takeover waves sit among couples,
friend groups, speed-dating events, matchmaking agencies, boosted profiles' crowds, campuses
and carrier NAT. The figures are what the toolkit reached on it (benchmarks/RESULTS.md,
"twenty-sixth sitting")."""

from __future__ import annotations

import json

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fourteenth_run(tmp_path_factory):
    return generate_and_run("fourteenth_marketplace.py", tmp_path_factory.mktemp("fourteenth"))


def test_reports_of_one_profile_are_no_referral_and_the_rings_are_found(fourteenth_run):
    """Each reporter reports one profile, months after signing up: no attribution (read as
    one, the reporters were linked to the scam profile: top-K 0.93 -> 0.70 with `run --seed
    1`). Scam rings and bot farms on one SMS pool come apart at the 30% bridge (0.23 at 3%)."""
    data, run = fourteenth_run
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["link"]["attribution"]["actions"] == {}
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert by_kind["romance_scam_ring"]["recall"] >= 0.8, by_kind
    assert by_kind["swipe_bot_farm"]["recall"] >= 0.65, by_kind
    assert by_kind["catfish_operator"]["recall"] >= 0.8, by_kind
    assert by_kind["premium_fraud"]["recall"] >= 0.8, by_kind
    # 0.900 and 0.994 at the default seed (0.933 with `run --seed 1`).
    assert ev.metrics["top_k"]["precision"] >= 0.85, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]

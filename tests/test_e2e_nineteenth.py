"""Quality on a nineteenth marketplace written from the data contract alone
(``benchmarks/nineteenth_marketplace.py``, thirty-first sitting): a buy-now-pay-later / consumer
lending app. Synthetic-identity rings (partly overlapping addresses, phones and e-mail domains,
aged for months, then a bust-out), first-party bust-out crews at the same few merchants,
application farms on emulators and proxies, colluding merchants with straw buyers, money mules,
takeover waves over one and a half to 24 days and referral-abuse rings sit among households,
roommates, a relative's phone opening a family's accounts, student housing, an employer's
benefit program (one code, office IPs, HR laptops, payroll repayments in one batch), store kiosks
signing up hundreds of strangers, a debt-counselling office repaying for its clients, an
influencer's code, a flash sale, carrier NAT and campus networks.

Measured when it arrived, before anything was changed for it (`run --seed 1`): top K 1.000,
account AP 0.956 (seed 2: 0.974 / 0.957; without labels 0.795 / 0.948); with the takeover sweep
of strangers over a month (written before the marketplace was run) 1.000 / 0.958 (0.974 / 0.957;
without labels 0.846 / 0.950). What it does not do there yet (README, "Where it falls short"):
without labels the employer-benefit groups and family phones take top-K places."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nineteenth_run(tmp_path_factory):
    return generate_and_run("nineteenth_marketplace.py", tmp_path_factory.mktemp("nineteenth"))


def test_the_rings_farms_and_mules_are_found_and_the_top_ranks_are_bad(nineteenth_run):
    """Every synthetic-identity ring (8/8), application farm, colluding merchant and mule ring
    (5/5 each) found, most takeover waves, bust-out crews and referral rings; top K 1.000 and
    account AP 0.958 at `--seed 1`."""
    data, run = nineteenth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    for kind in ("synthetic_identity", "application_farm", "merchant_collusion"):
        assert by_kind[kind]["recall"] == 1.0, (kind, by_kind)
    for kind in ("account_takeover", "bustout_crew", "referral_abuse", "money_mule"):
        assert by_kind[kind]["recall"] >= 0.6, (kind, by_kind)
    assert ev.metrics["top_k"]["precision"] >= 0.92, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.93, ev.metrics["scored_accounts"]

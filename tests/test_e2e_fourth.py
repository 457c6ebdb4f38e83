"""Quality on a fourth marketplace written from the data contract alone
(``benchmarks/fourth_marketplace.py``): its own identifier kinds and action names, operators on
residential proxies whose IPs households also use, a ``links`` table of friend ties and
invites, net cafés on shared PCs, a viral moment and giveaways of hundreds."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fourth_run(tmp_path_factory):
    return generate_and_run("fourth_marketplace.py", tmp_path_factory.mktemp("fourth"))


def test_operators_chained_to_strangers_by_one_link_are_found_and_the_top_holds(fourth_run):
    ev = evaluate_planted(*fourth_run)
    by_kind = ev.metrics["groups"]["by_kind"]
    # 9 of 10 at the default seed; 6 of 10 before the cluster stage shed members hanging by one
    # link (cluster/fringe.py) and stopped joining parts over a single link
    # (split_min_bridge_links): operators of ~20 accounts came out as clusters of 40 with
    # households, a net café or a farm. Floors a little under today's figures.
    assert by_kind["matrix"]["recall"] >= 0.8, by_kind
    assert by_kind["farm"]["recall"] >= 0.85, by_kind  # 8/8
    assert by_kind["ring"]["recall"] >= 0.8, by_kind  # 9/10
    # 0.87 at the default seed (a campus, a fan community and two shops in the top 30), 0.93 with
    # --seed 1; 0.87 and 0.90 before.
    assert ev.metrics["top_k"]["precision"] >= 0.8, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.95, ev.metrics["scored_accounts"]  # 0.98

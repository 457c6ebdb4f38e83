"""Quality on a seventeenth marketplace written from the data contract alone
(``benchmarks/seventeenth_marketplace.py``, twenty-ninth sitting): a ride-hailing and courier
platform. Driver-rider collusion rings, emulator driver farms, promo rings on SMS-pool numbers,
referral chains, takeover waves and couriers renting out verified accounts sit among airport and
station queues, stadium exits, corporate accounts on one company card, legitimate fleets sharing
a payout account and a garage, families, campuses and carrier NATs. Its devices are
``handset_id``s (read as devices since that sitting).

What it does not do there yet (README, "Where it falls short"): the top K is 0.74-0.80. Fleets
and corporate programmes look like operators without labels, riders meeting at the same pickup
cells within days pass as rings, and the promo rings are found but scored low (their clusters
hold older accounts too, and slow growth clears them)."""

from __future__ import annotations

import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seventeenth_run(tmp_path_factory):
    return generate_and_run("seventeenth_marketplace.py", tmp_path_factory.mktemp("seventeenth"))


def test_the_rings_are_found_and_the_handsets_are_devices(seventeenth_run):
    """Every takeover wave, promo ring and courier-rental ring found (3/3, 8/8, 6/6 at `--seed 1`),
    most collusion rings, emulator farms and referral chains; the emulator farms read as devices
    shared (4-10 accounts per handset); account AP 0.84, top K 0.795 (0.744 when the handsets
    were no device)."""
    data, run = seventeenth_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    for kind in ("ato_wave", "promo_ring", "courier_rental"):
        assert by_kind[kind]["recall"] >= 0.85, (kind, by_kind)
    for kind in ("collusion_ring", "emulator_farm", "referral_chain"):
        assert by_kind[kind]["recall"] >= 0.55, (kind, by_kind)
    assert ev.metrics["top_k"]["precision"] >= 0.7, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.75, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.95, ev.metrics["scored_accounts"]


def test_a_handset_is_read_as_a_device(seventeenth_run):
    """The emulator farms' clusters count their handsets as devices: several accounts per
    device (none at all while ``handset_id`` matched no identity kind)."""
    import polars as pl

    data, run = seventeenth_run
    truth = pl.read_parquet(data / "truth.parquet")
    members = pl.read_parquet(run / "members.parquet").join(truth, on="account_id")
    farms = (members.filter(pl.col("group_kind") == "emulator_farm").group_by("cluster_id").len()
             .filter(pl.col("len") >= 3)["cluster_id"])
    clusters = pl.read_parquet(run / "clusters.parquet").filter(pl.col("cluster_id").is_in(farms.implode()))
    assert clusters.height, "no emulator farm is in a cluster"
    assert clusters["max_accounts_per_device"].max() >= 3, clusters.select("cluster_id", "max_accounts_per_device")
    assert clusters["evidence_device"].max() > 0.2, clusters.select("cluster_id", "evidence_device")

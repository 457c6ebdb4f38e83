"""Quality on a twenty-third marketplace written from the data contract alone
(``benchmarks/twentythird_marketplace.py``, thirty-eighth sitting, by a helper who read no code):
a professional social network with a jobs board and its own action names (``connect.request``,
``endorse``, ``msg.inmail``, ``job.apply``, ...). Fake-recruiter rings on shared devices or
paired devices behind residential proxies, all on a small pool of VoIP numbers honest expats
also use; endorsement farms rotating 10-35% of their workers per job over minutes to hours;
scraper batches on emulators viewing one company's staff; endorsement rings of 4-12 that react
to and endorse each other for months and share nothing; takeover waves of dormant profiles;
premium carding. Benign look-alikes: alumni cohorts signing up at a careers fair and connecting
within minutes, conference crowds, company staff on office IPs and managed laptops, recruiting
agencies, corporate cards paying for teams, coworking spaces, influencers' fans, a viral post,
carrier NATs of thousands.

Measured when it arrived (`run --seed 1`, 20k accounts): top K 0.778 (K = 54) / account AP
0.967; seed 2 0.700 / 0.986; without labels 0.685 / 0.792. The top ranks are bad; K is missed
because rings that share the VoIP pool come out merged (two to three rings in one cluster:
fake-recruiter rings 8 of 16 matched at a Jaccard of 0.5, though every member is clustered),
endorsement farms in pieces, and, without labels, alumni cohorts (a batch made in a day that
leans on connection requests within minutes) and a team on a corporate card rolled out to old
accounts (read as a takeover wave) take top places. At the run's default seed (0), which this
test uses: top K 0.722, account AUROC 0.995, AP 0.968 (0.778 / 0.962 by the thirty-ninth
sitting); 0.981 / AP 0.971 since the fortieth sitting reads its coarse browser fingerprint ("ua_fp", no value on three accounts or fewer) as a
property: read as a device it merged the rings that share the VoIP pool with carders and
carrier-NAT users."""

from __future__ import annotations

import pytest

from conftest import assert_benign_hardly_flagged, evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def twentythird_run(tmp_path_factory):
    return generate_and_run("twentythird_marketplace.py", tmp_path_factory.mktemp("twentythird"))


def test_accounts_rank_well_and_rings_waves_and_scrapers_are_found(twentythird_run):
    data, run = twentythird_run
    ev = evaluate_planted(data, run)
    by_kind = ev.metrics["groups"]["by_kind"]
    assert ev.metrics["top_k"]["precision"] >= 0.9, ev.metrics["top_k"]
    assert ev.metrics["scored_accounts"]["auroc"] >= 0.98, ev.metrics["scored_accounts"]
    assert ev.metrics["scored_accounts"]["average_precision"] >= 0.94, ev.metrics["scored_accounts"]
    assert by_kind["ato_wave"]["recall"] == 1.0, by_kind
    assert by_kind["endorsement_ring"]["recall"] >= 0.7, by_kind
    # Two of the four scraper batches: the two that drip in over weeks were held together by
    # their emulator's browser build, on values of 50-59 accounts most of them batch members.
    # Since the fortieth sitting "ua_fp" is read as the coarse property it is (no value on three
    # accounts or fewer; link/identity.py small_share), which ended the chains of fake-recruiter
    # rings, carders and carrier-NAT users it made (fake-recruiter rings found 7 -> 15 of 16,
    # premium carding 1 -> 4 of 4, top K 0.78 -> 0.98 at this seed) and left those two in pieces.
    assert by_kind["scraper_batch"]["recall"] >= 0.5, by_kind
    assert by_kind["fake_recruiter_ring"]["recall"] >= 0.8, by_kind
    # No benign kind has more than a tenth of its accounts flagged (carrier NATs of thousands,
    # a viral crowd, alumni cohorts) — but the corporate card team: 24 of its 64 accounts share a
    # cluster of 78 with 19 workers of a careful endorsement farm, some labelled bad, and the
    # supervised model puts that cluster on either side of the 0.7 flag from run to run (0.57
    # and 0.71 at this seed before and after the thirty-ninth sitting; at run seed 1, 0.71
    # and 0.58). A cluster that mixes a team with a farm is a known gap (README).
    assert_benign_hardly_flagged(ev, 0.1, corporate_card_team=0.4)


def test_the_coarse_fingerprint_is_read_as_a_property_by_its_small_values(twentythird_run):
    """``ua_fp`` holds 48% of its rows on hub values (under ``property_hub_share``), but none on
    a value of three accounts or fewer, where a person's devices sit: the run reads it as a
    property, gives both shares in the manifest, and says so."""
    import json

    _, run = twentythird_run
    link = json.loads((run / "manifest.json").read_text())["link"]
    assert list(link["kinds_read_as_properties"]) == ["ua_fp"] and link["kinds_read_as_properties"]["ua_fp"] < 0.5
    assert link["small_value_shares"] == {"ua_fp": 0.0}

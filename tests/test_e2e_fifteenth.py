"""Quality on a fifteenth marketplace written from the data contract alone
(``benchmarks/fifteenth_marketplace.py``, twenty-seventh sitting): an online game with a shop,
player trading, an auction house and matchmaking. Gold-farming bot fleets on cloned VMs and a
residential-proxy pool shared with other operators and with infected honest home lines, RMT
mule rings, win-trading rings queue-sniping ranked matches, takeover waves, chargeback rings
and human farm studios sit among internet cafes, guilds raiding together, streamers' viewers
joining their matches, esports teams, families, campuses and friends gifting each other.

The proxy pool: its bots, mules and studio workers hold 27-55 IPs each and meet on some exits
by chance; such pairs keep part of their IP evidence (link/identity.py churn_scale). Without that
the fleets, farm studios, mule rings and takeover victims came out as one cluster of 462 (ten
planted groups) and the top K was 0.46 at the tests' seed (run seed 0); 0.82 with it when it
was built (thirty-sixth sitting).

What the toolkit does *not* do there yet (README, "What it does not do yet"; RESULTS.md,
"twenty-seventh sitting"): guilds, streamer communities and friend circles join the same
matches within seconds for hours and are scored as engagement farms (a match is co-presence by
design); the bot fleets come out in pieces, one per VM, and pieces of several groups that pay
each other share clusters. The account scores hold up: every account is scored, and
the bots, mules and chargeback accounts rank high on their own. These tests keep that."""

from __future__ import annotations

import json

import polars as pl
import pytest

from conftest import evaluate_planted, generate_and_run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fifteenth_run(tmp_path_factory):
    return generate_and_run("fifteenth_marketplace.py", tmp_path_factory.mktemp("fifteenth"))


def test_every_account_is_scored_and_the_bad_ones_rank_high(fifteenth_run):
    """Account AP 0.79 and AUROC 0.94 at the default seed (742 bad accounts of 20,000)."""
    data, run = fifteenth_run
    ev = evaluate_planted(data, run)
    scored = ev.metrics["scored_accounts"]
    assert scored["n"] == 20_000
    assert scored["average_precision"] >= 0.7, scored
    assert scored["auroc"] >= 0.9, scored


def test_the_largest_fleet_cluster_is_mostly_bad_and_flagged(fifteenth_run):
    """The cluster holding most of the bot fleets' accounts is mostly bad and scored risky."""
    data, run = fifteenth_run
    truth = pl.read_parquet(data / "truth.parquet")
    members = pl.read_parquet(run / "members.parquet").join(truth, on="account_id")
    clusters = pl.read_parquet(run / "clusters.parquet")
    fleets = members.filter(pl.col("group_kind") == "bot_fleet").group_by("cluster_id").len().sort(
        "len", "cluster_id", descending=[True, False])
    assert fleets.height, "no bot-fleet account is in a cluster"
    biggest = fleets["cluster_id"][0]
    inside = members.filter(pl.col("cluster_id") == biggest)
    assert inside["is_bad"].mean() >= 0.6, inside.group_by("group_kind").len()
    assert clusters.filter(pl.col("cluster_id") == biggest)["risk_score"][0] >= 0.5


def test_clusters_of_kinds_no_label_covers_keep_their_place_with_labels(fifteenth_run):
    """The win-trading rings carry no label at this seed; a model trained on the labelled groups
    ranked friend circles and guilds that look the same above them. With the label-free view
    (risk/accounts.py with_label_free_view), clusters also move towards their members' score
    from the model a run without labels trains: top K 0.821 -> 1.000 at the tests' seed (run
    seed 0), 0.857 -> 1.000 at run seed 1 (benchmarks/RESULTS.md, "Forty-fourth sitting")."""
    data, run = fifteenth_run
    ev = evaluate_planted(data, run)
    assert ev.metrics["top_k"]["precision"] >= 0.92, ev.metrics["top_k"]
    manifest = json.loads((run / "manifest.json").read_text())
    view = manifest["accounts"]["metrics"]["label_free_view"]
    assert view["clusters_raised"] > 0 and view["clusters_lowered"] > 0, view
    clusters = pl.read_parquet(run / "clusters.parquet")
    said = clusters.filter(pl.col("reasons").list.eval(pl.element().str.starts_with(
        "its members behave unlike those of the other clusters this run scores high-risk without labels")).list.any())
    assert said.height > 0


def test_the_proxy_pool_no_longer_binds_the_operators_into_one_cluster(fifteenth_run):
    """Top K 0.86 and 12 of the 28 planted groups found (Jaccard >= 0.5) at the tests' seed; 0.46
    and 7 when every exit shared counted whole. The bot fleets come out in pieces (one per VM).
    17 were found before the thirty-ninth sitting: the organic accounts that hung on to
    win-trading rings' rare co-action groups leave them since, and keep their own IP ties,
    which on this marketplace's shared residential lines chain four groups (two win-trading
    rings, an RMT ring, a takeover wave) into one cluster of 236 at this seed (at run seed 1
    that cluster forms either way)."""
    data, run = fifteenth_run
    ev = evaluate_planted(data, run)
    assert ev.metrics["top_k"]["precision"] >= 0.75, ev.metrics["top_k"]
    assert ev.metrics["groups"]["recall"] >= 0.4, ev.metrics["groups"]
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["link"]["churn"]["ip"]["accounts_above"] > 500

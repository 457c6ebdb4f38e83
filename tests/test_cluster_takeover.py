"""Takeover rings carved out of their victims' household clusters (cluster/takeover.py)."""

from __future__ import annotations

import polars as pl

from syndicate.cluster.takeover import carve_takeover


def _edges(pairs: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(pairs, schema=["account_a", "account_b", "weight"], orient="row")


def test_the_ring_leaves_and_the_families_part():
    # victims v1..v3 on the operator's device; each lives with a family member f1..f3
    groups = pl.DataFrame({"account_id": ["f1", "f2", "f3", "v1", "v2", "v3", "x1", "x2"],
                           "group": ["7"] * 6 + ["8", "8"]})
    edges = _edges([("v1", "v2", 0.9), ("v2", "v3", 0.9), ("f1", "v1", 0.8), ("f2", "v2", 0.8),
                    ("f3", "v3", 0.8), ("f1", "f2", 0.1), ("x1", "x2", 0.9)])
    takeover = pl.DataFrame({"account_id": ["v1", "v2", "v3", "x1"], "takeover_group": ["v1", "v1", "v1", None]})
    got = carve_takeover(groups, takeover, edges, min_edge_weight=0.2)
    by = dict(zip(got["account_id"], got["group"]))
    assert by["v1"] == by["v2"] == by["v3"] == "t:v1"
    # the families lose the links that joined them (through the victims): each is alone now,
    # left out of every group (a weak link is no cluster)
    assert not {"f1", "f2", "f3"} & set(by)
    # a group no takeover touches keeps its name and members; an account in a small wave only
    # (no takeover group) stays where it was
    assert by["x1"] == by["x2"] == "8"


def test_what_remains_keeps_its_strong_parts():
    groups = pl.DataFrame({"account_id": ["a", "b", "c", "d", "v1", "v2"], "group": ["1"] * 6})
    edges = _edges([("a", "b", 0.9), ("c", "d", 0.9), ("b", "v1", 0.9), ("c", "v2", 0.9), ("v1", "v2", 0.9)])
    takeover = pl.DataFrame({"account_id": ["v1", "v2"], "takeover_group": ["v1", "v1"]})
    got = carve_takeover(groups, takeover, edges, min_edge_weight=0.2)
    by = dict(zip(got["account_id"], got["group"]))
    assert by["a"] == by["b"] != by["c"] == by["d"]
    assert by["a"].startswith("1:") and by["v1"] == "t:v1"


def test_nothing_to_carve():
    groups = pl.DataFrame({"account_id": ["a", "b"], "group": ["1", "1"]})
    edges = _edges([("a", "b", 0.9)])
    assert carve_takeover(groups, None, edges, min_edge_weight=0.2).equals(groups)
    none = pl.DataFrame({"account_id": ["a"], "takeover_group": [None]}, schema_overrides={"takeover_group": pl.String})
    assert carve_takeover(groups, none, edges, min_edge_weight=0.2).equals(groups)


def test_the_units_a_takeover_group_spans_become_one():
    from syndicate.cluster.takeover import merge_units

    units = pl.DataFrame({"account_id": ["f1", "v1", "f2", "v2", "f3", "v3", "x"], "component": [4, 4, 7, 7, 9, 9, 2]})
    takeover = pl.DataFrame({"account_id": ["v1", "v2", "v3"], "takeover_group": ["v1", "v1", "v3"]})
    got = merge_units(units, takeover)
    assert got["account_id"].to_list() == units["account_id"].to_list()
    assert got["component"].to_list() == [4, 4, 4, 4, 9, 9, 2]
    assert merge_units(units, None).equals(units)


def test_a_run_carves_a_takeover_ring_out_of_its_victims_households():
    """Ten old accounts, each living with a partner on a shared home device and card, take one
    operator's phone within three days, two years after they were made: the run makes the ten
    one cluster, named for the takeover and ranked first; the partners are in no cluster with
    them."""
    from datetime import datetime, timedelta

    from syndicate.config import Config
    from syndicate.contract import validate
    from syndicate.pipeline import run

    t0 = datetime(2022, 1, 1)
    victims = [f"v{i:02d}" for i in range(10)]
    partners = [f"p{i:02d}" for i in range(10)]
    others = [f"o{i:03d}" for i in range(200)]
    ids = victims + partners + others
    accounts = pl.DataFrame({"account_id": ids,
                             "created_at": [t0 + timedelta(days=37 * (i % 20)) for i in range(len(ids))]})
    rows = []
    for i, (v, p) in enumerate(zip(victims, partners)):
        made = t0 + timedelta(days=37 * (i % 20))
        rows += [(v, "device", f"home{i}", made), (p, "device", f"home{i}", made),
                 (v, "card", f"card{i}", made), (p, "card", f"card{i}", made),
                 (v, "phone", f"ph-{v}", made), (p, "phone", f"ph-{p}", made),
                 (v, "device_fp", "operator-phone", datetime(2024, 3, 1) + timedelta(hours=7 * i))]
    # The others' sightings run on to 2024: the operator's are not the data's stray last few.
    rows += [(o, "phone", f"ph-{o}", t0 + timedelta(days=4 * k)) for k, o in enumerate(others)]
    # ... and their own device fingerprints since 2022: the kind's log began long before the sweep.
    rows += [(o, "device_fp", f"fp-{o}", t0 + timedelta(days=4 * k)) for k, o in enumerate(others)]
    signals = pl.DataFrame(rows, schema=["account_id", "kind", "value", "seen_at"], orient="row")
    dataset = validate({"accounts": accounts, "signals": signals})
    result = run(dataset, config=Config())
    members = result.members
    ring = members.filter(pl.col("account_id").is_in(victims))
    assert ring["cluster_id"].n_unique() == 1 and ring.height == 10
    cluster = result.clusters.filter(pl.col("cluster_id") == ring["cluster_id"][0]).row(0, named=True)
    assert cluster["size"] == 10 and cluster["archetype"] == "account_takeover" and cluster["rank"] == 1
    assert cluster["takeover_wave_share"] == 1.0 and cluster["takeover_wave_max"] == 10
    assert not members.filter(pl.col("account_id").is_in(partners))["cluster_id"].is_in(
        ring["cluster_id"].implode()).any()
    scored = result.accounts.filter(pl.col("account_id").is_in(victims))
    assert (scored["takeover_wave"] == 10).all()

import time

import numpy as np
import polars as pl
import pytest

from matplotlib.collections import PathCollection
import networkx as nx

from syndicate.report.cluster_graph import (
    KIND_COLOURS,
    KIND_STYLES,
    LABEL_COLOURS,
    backbone,
    dominant_kind,
    draw_cluster_graph,
    kind_colour,
    kind_style,
    sample_nodes,
    _EXTRA_COLOURS,
)
from syndicate.report.embed import figure_to_data_uri


def _edges(pairs, **evidence):
    frame = pl.DataFrame({"account_a": [a for a, _ in pairs], "account_b": [b for _, b in pairs]})
    weight = np.zeros(len(pairs))
    for kind, values in evidence.items():
        frame = frame.with_columns(pl.Series(kind, values, dtype=pl.Float32))
        weight = 1 - (1 - weight) * (1 - np.asarray(values))
    return frame.with_columns(pl.Series("weight", weight)).select(
        "account_a", "account_b", "weight", *evidence)


def _big_cluster(n=3000, n_edges=40_000, seed=0):
    rng = np.random.default_rng(seed)
    ids = np.array([f"a{i:05d}" for i in range(n)])
    a, b = rng.integers(0, n, n_edges), rng.integers(0, n, n_edges)
    keep = a != b
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    pairs = pl.DataFrame({"account_a": ids[lo], "account_b": ids[hi]}).unique().sort(["account_a", "account_b"])
    k = pairs.height
    edges = _edges(list(pairs.iter_rows()), device=rng.random(k) * (rng.random(k) < 0.4),
                   ip=rng.random(k) * 0.3)
    edges = edges.with_columns(pl.lit(2, dtype=pl.UInt32).alias("lockstep_bursts"))
    return pl.DataFrame({"account_id": ids}), edges


def test_dominant_kind_is_the_largest_evidence_and_ignores_counts():
    edges = _edges([("a", "b"), ("b", "c"), ("c", "d")],
                   device=[0.9, 0.0, 0.0], ip=[0.2, 0.4, 0.0])
    edges = edges.with_columns(pl.lit(40, dtype=pl.UInt32).alias("lockstep_bursts"))
    assert dominant_kind(edges).to_list() == ["device", "ip", "other"]


def test_kind_colours_are_fixed_and_distinct():
    assert kind_colour("device") == KIND_COLOURS["device"]
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)
    assert kind_colour("loyalty_card") == kind_colour("loyalty_card")


def test_kinds_in_a_datasets_own_words_are_drawn_as_the_kind_they_name():
    from syndicate.report.graph_svg import DASHES, cluster_graph_svg

    # "ipv4" is an IP: grey and dashed (weak evidence), not a solid colour picked by its name.
    assert kind_colour("ipv4") == KIND_COLOURS["ip"] and kind_colour("card_hash") == KIND_COLOURS["payment"]
    assert kind_style("ipv4") == KIND_STYLES["ip"] and kind_style("device_fp") == "solid"
    assert kind_style("loyalty_id") == "solid" and kind_colour("loyalty_id") not in KIND_COLOURS.values()
    assert not set(_EXTRA_COLOURS) & set(KIND_COLOURS.values())  # an unknown kind never looks like a known one
    members = pl.DataFrame({"account_id": ["a", "b", "c"]})
    edges = _edges([("a", "b"), ("b", "c")], ipv4=[0.3, 0.0], device_fp=[0.0, 0.9])
    links = {g.get("data-kind"): g for g in _svg(cluster_graph_svg(members, edges)).iter("g")
             if g.get("class") == "links"}
    assert links["ipv4"].get("stroke-dasharray") == DASHES["ip"] and links["ipv4"].get("stroke") == KIND_COLOURS["ip"]
    assert links["device_fp"].get("stroke-dasharray") is None and links["device_fp"].get("stroke") == KIND_COLOURS["device"]


def test_small_cluster_draws_every_node():
    members = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "label": [1, None, 0, None],
                            "role": ["central", "peripheral", "peripheral", "bridge"]})
    edges = _edges([("a", "b"), ("a", "c"), ("c", "d")], device=[0.9, 0.0, 0.0],
                   payment=[0.0, 0.8, 0.0], ip=[0.0, 0.0, 0.3])
    fig = draw_cluster_graph(members, edges, title="cluster c1")
    ax = fig.axes[0]
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(c.get_offsets().shape[0] for c in nodes) == 4
    assert "4 accounts, 3 links" in ax.get_title(loc="left")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"device (1)", "payment (1)", "ip (1)", "confirmed bad (1)", "confirmed good (1)",
            "unlabelled (2)"} <= set(legend)
    # Labels are told apart by colour and by shape (readable without colour vision).
    assert len({LABEL_COLOURS[v] for v in (1, 0, None)}) == 3
    assert len({c.get_paths()[0].vertices.round(3).tobytes() for c in nodes}) == 3


def test_ip_links_do_not_look_like_payment_links():
    assert KIND_COLOURS["ip"] != KIND_COLOURS["payment"] and KIND_STYLES["ip"] != "solid"


def test_backbone_keeps_each_accounts_strongest_links_and_connectivity():
    ids = [f"a{i}" for i in range(12)]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]  # a clique: 66 links
    weights = [0.3 + 0.01 * ((i * 7) % 50) for i in range(len(pairs))]
    edges = _edges(pairs, device=weights)
    kept = backbone(edges, per_node=2)

    assert kept.height < edges.height / 3
    graph = nx.Graph(list(kept.select("account_a", "account_b").iter_rows()))
    assert nx.is_connected(graph) and set(graph.nodes) == set(ids)
    for node in ids:
        mine = edges.filter((pl.col("account_a") == node) | (pl.col("account_b") == node))
        best = mine.sort("weight", descending=True).row(0, named=True)
        assert kept.filter((pl.col("account_a") == best["account_a"]) & (pl.col("account_b") == best["account_b"])).height


def test_dense_cluster_draws_its_backbone_and_says_so():
    ids = [f"a{i:02d}" for i in range(30)]
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    fig = draw_cluster_graph(pl.DataFrame({"account_id": ids}), _edges(pairs, lockstep=[0.6] * len(pairs)))
    assert "strongest links" in fig.axes[0].get_title(loc="left")
    assert figure_to_data_uri(fig).startswith("data:image/png;base64,")


def test_sample_is_deterministic_keeps_hubs_and_respects_the_cap():
    members, edges = _big_cluster(n=1000, n_edges=5000)
    first = sample_nodes(members, edges, max_nodes=100, seed=3)
    assert first == sample_nodes(members.sample(fraction=1.0, shuffle=True, seed=1), edges,
                                 max_nodes=100, seed=3)
    assert len(first) == len(set(first)) == 100
    strength = (pl.concat([edges.select(pl.col("account_a").alias("id"), "weight"),
                           edges.select(pl.col("account_b").alias("id"), "weight")])
                .group_by("id").agg(pl.col("weight").sum()).sort(["weight", "id"], descending=[True, False]))
    assert set(strength["id"].head(50)) <= set(first)


def test_large_cluster_is_sampled_fast_and_says_so():
    members, edges = _big_cluster()
    start = time.perf_counter()
    fig = draw_cluster_graph(members, edges, max_nodes=150, seed=0, title="cluster big")
    figure_to_data_uri(fig)
    assert time.perf_counter() - start < 5.0
    title = fig.axes[0].get_title(loc="left")
    assert "showing 150 of 3,000 accounts" in title


def test_max_nodes_is_validated():
    members = pl.DataFrame({"account_id": ["a", "b"]})
    with pytest.raises(ValueError, match="'max_nodes' parameter must be an int >= 2"):
        draw_cluster_graph(members, _edges([("a", "b")], device=[0.9]), max_nodes=1)


# --- the same picture as inline SVG (report cards and case pages) ------------------------------

def _svg(figure):
    import xml.etree.ElementTree as ET

    return ET.fromstring(figure)


def test_svg_draws_one_shape_per_account_and_links_coloured_by_kind():
    from syndicate.report.graph_svg import DASHES, cluster_graph_svg

    members = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "label": [1, None, 0, None],
                            "role": ["central", "peripheral", "peripheral", "bridge"]})
    edges = _edges([("a", "b"), ("a", "c"), ("c", "d")], device=[0.9, 0.0, 0.0],
                   payment=[0.0, 0.8, 0.0], ip=[0.0, 0.0, 0.3])

    figure = cluster_graph_svg(members, edges, title="cluster c1")
    svg = _svg(figure)

    nodes = {n.find("title").text.split(": ")[-1]: n for n in svg.iter() if n.get("class") == "node"}
    assert set(nodes) == {"a", "b", "c", "d"}
    # labels differ by shape as well as colour: a square path, a diamond path, circles
    assert nodes["a"].tag == "path" and nodes["c"].tag == "path" and nodes["b"].tag == nodes["d"].tag == "circle"
    assert nodes["a"].get("d") != nodes["c"].get("d")
    links = {g.get("data-kind"): g for g in svg.iter("g") if g.get("class") == "links"}
    assert set(links) == {"device", "payment", "ip"}
    assert all(g.get("stroke") == KIND_COLOURS[k] and len(g.findall("line")) == 1 for k, g in links.items())
    assert links["ip"].get("stroke-dasharray") == DASHES["ip"] and links["device"].get("stroke-dasharray") is None
    texts = ["".join(t.itertext()) for t in svg.iter("text")]
    assert "4 accounts, 3 links" in texts
    assert {"device (1)", "payment (1)", "ip (1)", "confirmed bad (1)", "confirmed good (1)", "unlabelled (2)"} <= set(texts)
    assert figure == cluster_graph_svg(members, edges, title="cluster c1")  # deterministic


def test_svg_masks_ids_and_escapes_hostile_ones():
    from syndicate.masking import mask_value
    from syndicate.report.graph_svg import cluster_graph_svg

    ids = ['<script>alert("x")</script>', "b&c", "plain"]
    members = pl.DataFrame({"account_id": ids})
    edges = _edges([(ids[0], ids[1]), (ids[1], ids[2])], device=[0.9, 0.5])

    raw = cluster_graph_svg(members, edges, title="<b>cluster</b>")
    masked = cluster_graph_svg(members, edges, mask_ids=True)

    assert "<script>" not in raw and "<b>" not in raw
    tips = {n.find("title").text for n in _svg(raw).iter() if n.get("class") == "node"}
    assert tips == set(ids)  # escaped in the file, exact when read
    assert not any(i in masked or i.replace("&", "&amp;") in masked for i in ("plain", "b&c"))
    assert {n.find("title").text for n in _svg(masked).iter() if n.get("class") == "node"} == \
        {mask_value("account", i) for i in ids}


def test_svg_of_a_large_dense_cluster_is_sampled_fast_and_says_so():
    from syndicate.report.graph_svg import cluster_graph_svg

    members, edges = _big_cluster()
    start = time.perf_counter()
    svg = _svg(cluster_graph_svg(members, edges, max_nodes=150, seed=0, title="cluster big"))
    assert time.perf_counter() - start < 1.0
    texts = ["".join(t.itertext()) for t in svg.iter("text")]
    assert any(t.startswith("showing 150 of 3,000 accounts") for t in texts)
    assert sum(1 for n in svg.iter() if n.get("class") == "node") == 150


def test_spring_positions_are_seeded_and_in_the_unit_square():
    from syndicate.report.cluster_graph import spring_positions

    a, b, w = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([1.0, 0.5, 0.2])
    first = spring_positions(4, a, b, w, seed=3)
    assert np.array_equal(first, spring_positions(4, a, b, w, seed=3))
    assert np.abs(first).max() == pytest.approx(1.0) and not np.array_equal(first, spring_positions(4, a, b, w, seed=4))
    # linked accounts end closer than unlinked ones
    distance = np.linalg.norm(first[:, None] - first[None, :], axis=-1)
    assert distance[0, 1] < distance[0, 3]

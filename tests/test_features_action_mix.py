"""The members' action mix against ordinary accounts of their type (features/action_mix.py)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from syndicate.features import action_mix as mix_module
from syndicate.features.action_mix import action_mix_from_events

ACTIONS = ["like", "follow", "comment", "order", "review", "refund"]
# What an ordinary customer's events are made of (refunds are rare).
ORDINARY = [0.40, 0.20, 0.15, 0.17, 0.06, 0.02]


def _market(n: int = 2000, seed: int = 0, ring: int = 12, couriers: int = 200) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Customers with ordinary mixes (each drawn around ``ORDINARY``), couriers who mostly
    "deliver", and a ring of ``ring`` customers who spend most of their activity on refunds."""
    rng = np.random.default_rng(seed)
    ids = [f"a{i:05d}" for i in range(n)]
    types = ["courier" if i < couriers else "customer" for i in range(n)]
    rows_acc, rows_act = [], []
    for i in range(n):
        k = int(rng.integers(5, 40))
        if types[i] == "courier":
            p = np.array([0.02, 0.0, 0.0, 0.03, 0.0, 0.0, 0.95])
        elif couriers <= i < couriers + ring:
            p = np.array([0.1, 0.05, 0.0, 0.25, 0.0, 0.6, 0.0])
        else:
            p = np.append(rng.dirichlet(np.array(ORDINARY) * 20), 0.0)
        rows_acc += [ids[i]] * k
        rows_act += list(rng.choice(ACTIONS + ["deliver"], size=k, p=p / p.sum()))
    accounts = pl.DataFrame({"account_id": ids, "account_type": types})
    events = pl.DataFrame({"account_id": rows_acc, "action": rows_act})
    return accounts, events


def _mix(members: dict[str, list[str]], accounts, events) -> dict[str, float | None]:
    frame = pl.DataFrame([{"cluster_id": c, "account_id": a} for c, ids in members.items() for a in ids])
    out = action_mix_from_events(frame, accounts, events)
    return dict(zip(out["cluster_id"], out["action_mix"]))


def test_a_ring_leaning_on_a_rare_action_stands_out_and_random_groups_do_not():
    accounts, events = _market()
    ids = accounts["account_id"].to_list()
    rng = np.random.default_rng(1)
    customers = ids[212:]
    groups = {"ring": ids[200:212]}
    for size in (3, 5, 12, 40):
        for g in range(25):
            groups[f"random{size}_{g}"] = list(rng.choice(customers, size, replace=False))
    mix = _mix(groups, accounts, events)
    assert mix["ring"] > 1.25, mix["ring"]  # full weight in the scorecard
    for size in (3, 5, 12, 40):
        values = np.array([mix[f"random{size}_{g}"] for g in range(25)])
        # Chance is taken out: random groups of any size sit around 0, small ones included (a
        # group of three still leans by chance now and then: the scorecard's bar is a quarter).
        assert abs(values.mean()) < 0.1 and np.quantile(values, 0.9) < 0.25 and values.max() < 0.5, (size, values)


def test_couriers_are_judged_against_couriers():
    accounts, events = _market()
    couriers = accounts["account_id"].to_list()[:12]
    typed = _mix({"c": couriers}, accounts, events)["c"]
    untyped = _mix({"c": couriers}, accounts.drop("account_type"), events)["c"]
    assert typed < 0.25 < 1.0 < untyped, (typed, untyped)
    # Null types are one more type ("").
    nulls = accounts.with_columns(pl.lit(None, dtype=pl.String).alias("account_type"))
    assert _mix({"c": couriers}, nulls, events)["c"] == pytest.approx(untyped)


def test_a_ring_that_is_most_of_its_type_does_not_set_its_own_ordinary():
    # Its own members are left out of its type's baseline, and a type with few other accounts
    # leans on the platform's: the ring registered as the only "business" accounts still leans.
    accounts, events = _market()
    ring = accounts["account_id"][200:212].to_list()
    alone = accounts.with_columns(pl.when(pl.col("account_id").is_in(ring)).then(pl.lit("business"))
                                  .otherwise(pl.col("account_type")).alias("account_type"))
    assert _mix({"r": ring}, alone, events)["r"] > 1.25
    # ... and twelve ordinary accounts of that type next to it do not make the ring ordinary.
    ordinary = accounts["account_id"][300:312].to_list()
    shared = alone.with_columns(pl.when(pl.col("account_id").is_in(ordinary)).then(pl.lit("business"))
                                .otherwise(pl.col("account_type")).alias("account_type"))
    assert _mix({"r": ring}, shared, events)["r"] > 1.25


def test_the_reason_names_the_action_and_both_shares():
    from syndicate.risk.reasons import TEMPLATES

    accounts, events = _market()
    frame = pl.DataFrame({"cluster_id": "ring", "account_id": accounts["account_id"][200:212]})
    row = action_mix_from_events(frame, accounts, events).row(0, named=True)
    assert row["action_mix_top"] == "refund"
    said = TEMPLATES["unusual_actions"](row)
    assert said.startswith("members spend ") and "on 'refund', where ordinary accounts of their type spend" in said, said
    assert f"spend {100 * row['action_mix_top_share']:.0f}% of" in said, said
    # Refunds are 2% of an ordinary customer's activity; under 1% would read "0.4%", not "0%".
    assert said.endswith(f"spend {100 * row['action_mix_top_expected']:.0f}%"), said
    from syndicate.risk.reasons import _action_mix

    assert _action_mix(row | {"action_mix_top_expected": 0.004}).endswith("spend 0.4%")
    assert _action_mix(row | {"action_mix_top_expected": 0.0001}).endswith("spend under 0.1%")
    assert _action_mix(row | {"action_mix": -0.02}) is None  # no surplus: no sentence either way


def test_clusters_without_events_get_null_and_empty_tables_too():
    accounts, events = _market(n=300, couriers=10)
    silent = pl.DataFrame({"account_id": ["zz1", "zz2"], "account_type": ["customer", "customer"]})
    accounts = pl.concat([accounts, silent])
    frame = pl.DataFrame({"cluster_id": ["a", "a", "b", "b"], "account_id": ["zz1", "zz2", "a00020", "a00021"]})
    out = dict(action_mix_from_events(frame, accounts, events).select("cluster_id", "action_mix").iter_rows())
    assert out["a"] is None and out["b"] is not None
    out = action_mix_from_events(frame, accounts, events.head(0))
    assert out["action_mix"].null_count() == 2 and out["action_mix_top"].dtype == pl.String


def test_counting_by_group_by_gives_the_dense_count(monkeypatch):
    accounts, events = _market(n=400, couriers=20)
    frame = pl.DataFrame({"cluster_id": ["r"] * 12 + ["x"] * 5,
                          "account_id": accounts["account_id"][20:32].to_list() + accounts["account_id"][100:105].to_list()})
    dense = action_mix_from_events(frame, accounts, events).sort("cluster_id")
    monkeypatch.setattr(mix_module, "_DENSE_CELLS", 0)
    assert_frame_equal(action_mix_from_events(frame, accounts, events).sort("cluster_id"), dense)


def test_the_polars_engine_counts_from_its_codes_as_the_driver_does(tmp_path):
    from conftest import copy_tiny

    from syndicate.config import Config
    from syndicate.engines.polars_engine import PolarsEngine
    from syndicate.features.action_mix import action_mix

    data = copy_tiny(tmp_path / "tiny")
    engine = PolarsEngine()
    dataset = engine.load(data)
    assert engine.action_mix_summary(dataset, pl.DataFrame({"account_id": [], "cluster_id": []},
                                                           schema={"account_id": pl.String, "cluster_id": pl.String})) is None
    engine.behaviour(dataset, Config())
    ids = dataset.accounts["account_id"].sort()
    members = pl.DataFrame({"account_id": ids, "cluster_id": [f"C{i % 3}" for i in range(len(ids))]})
    got = action_mix(members, dataset.accounts, *engine.action_mix_summary(dataset, members)).sort("cluster_id")
    assert_frame_equal(got, action_mix_from_events(members, dataset.accounts, dataset.events).sort("cluster_id"),
                       check_exact=False, abs_tol=1e-12)


def test_the_scorecard_weighs_the_surplus_from_a_quarter_bit_to_one_bit():
    from syndicate.risk.unsupervised import scorecard

    base = {"cluster_id": "C1", "size": 12, "accounts_per_device": 1.0, "accounts_per_payment": 1.0,
            "accounts_per_phone": 1.0, "max_accounts_per_device": 1, "max_accounts_per_payment": 1,
            "max_accounts_per_phone": 1, "created_within_7d_share": 0.0, "created_within_7d": 0,
            "young_180d_share": 0.0, "evidence_lockstep": 0.0, "lockstep_edge_share": 0.0,
            "co_target_share": 0.0, "created_span_days": 900.0, "evidence_ip": 0.0}
    frame = pl.DataFrame([base | {"action_mix": v} for v in (0.1, 0.75, 2.0)] + [base | {"action_mix": None}])
    _, names, terms = scorecard(frame)
    got = terms[:, names.index("unusual_actions")]
    assert got == pytest.approx([0.0, 2.5 * 0.5 / 0.75, 2.5, 0.0])
    # Tables made before the feature: no weight.
    _, names, terms = scorecard(pl.DataFrame([base]))
    assert terms[0, names.index("unusual_actions")] == 0.0


def test_a_vocabulary_of_parametrised_names_is_capped_to_the_most_used_actions():
    # "view_item_123": thousands of names would compare every cluster with every one of them.
    accounts, events = _market(n=600, couriers=20)
    rng = np.random.default_rng(3)
    events = events.with_columns(
        pl.when(pl.col("action") == "like").then(pl.format("view_item_{}", pl.Series(rng.integers(0, 400, events.height))))
        .otherwise(pl.col("action")).alias("action"))
    assert events["action"].n_unique() > 300
    coded = events["action"].cast(pl.Enum(sorted(events["action"].unique().to_list()))).to_physical().to_numpy()
    _, names = mix_module.account_action_counts(np.zeros(len(coded), dtype=np.int32), coded, 1,
                                                sorted(events["action"].unique().to_list()))
    assert len(names) == mix_module.MAX_ACTIONS and names[-1] == mix_module.OTHER_ACTIONS
    assert {"order", "refund", "deliver"} <= set(names)  # the common ones keep their names
    frame = pl.DataFrame({"cluster_id": "ring", "account_id": accounts["account_id"][20:32]})
    row = action_mix_from_events(frame, accounts, events).row(0, named=True)
    assert row["action_mix"] > 1.25 and row["action_mix_top"] == "refund"


def test_the_baseline_is_every_accounts_even_on_the_trimmed_copy_the_cluster_stages_get():
    # The per-cluster stages get a copy of the dataset without the events of accounts no
    # cluster can reach (Engine.local_dataset); ordinary accounts are those, so a baseline
    # counted from the copy would be the linked accounts' own.
    import syndicate
    from syndicate.config import Config
    from syndicate.engines.polars_engine import PolarsEngine
    from syndicate.features.action_mix import action_mix

    config = Config(seed=1)
    dataset = syndicate.load_dataset(syndicate.generate_marketplace(3_000, seed=5))
    engine = PolarsEngine()
    links = engine.link(dataset, config)
    account_features = engine.behaviour(dataset, config)
    local = engine.local_dataset(dataset, links, account_features, config)
    assert local is not dataset and local.events.height < dataset.events.height
    ids = local.events["account_id"].unique().sort().head(300)  # accounts a cluster can hold
    members = pl.DataFrame({"account_id": ids, "cluster_id": [f"C{i % 20}" for i in range(len(ids))]})
    got = action_mix(members, local.accounts, *engine.action_mix_summary(local, members)).sort("cluster_id")
    assert_frame_equal(got, action_mix_from_events(members, dataset.accounts, dataset.events).sort("cluster_id"))
    trimmed = action_mix_from_events(members, local.accounts, local.events).sort("cluster_id")
    assert not got["action_mix"].equals(trimmed["action_mix"])


def _surprisal(accounts: pl.DataFrame, events: pl.DataFrame) -> dict[str, float]:
    from syndicate.features.action_mix import account_action_counts, account_surprisal, account_types
    from syndicate.link.codes import AccountIndex

    accounts = accounts.sort("account_id")
    index = AccountIndex.of(accounts["account_id"])
    names = events["action"].unique().sort()
    codes = events["action"].cast(pl.Enum(names)).to_physical().to_numpy()
    counts, actions = account_action_counts(index.codes(events["account_id"]), codes, accounts.height,
                                            names.to_list())
    values, top = account_surprisal(counts, actions, account_types(accounts))
    assert top.null_count() == int(np.isnan(values).sum())  # no events: neither
    return dict(zip(accounts["account_id"], values))


def _top(accounts: pl.DataFrame, events: pl.DataFrame) -> dict[str, str | None]:
    from syndicate.features.action_mix import account_action_counts, account_surprisal, account_types
    from syndicate.link.codes import AccountIndex

    accounts = accounts.sort("account_id")
    names = events["action"].unique().sort()
    codes = events["action"].cast(pl.Enum(names)).to_physical().to_numpy()
    counts, actions = account_action_counts(AccountIndex.of(accounts["account_id"]).codes(events["account_id"]),
                                            codes, accounts.height, names.to_list())
    return dict(zip(accounts["account_id"], account_surprisal(counts, actions, account_types(accounts))[1]))


def test_one_accounts_mix_is_judged_against_its_types_in_bits():
    # The ring's members spend 60% of their activity on refunds (2% of an ordinary customer's):
    # each stands out alone, by 1-3 bits (the fewer its events, the less); ordinary customers, whose tastes
    # differ, sit under a quarter of a bit (the scorecard's bar) at the median and nine in ten
    # under half a bit; couriers, who mostly deliver, are ordinary among couriers and would be
    # about two bits out on a platform that did not tell them from customers.
    accounts, events = _market()
    x = _surprisal(accounts, events)
    ids = accounts["account_id"].to_list()
    ring = np.array([x[a] for a in ids[200:212]])
    customers = np.array([x[a] for a in ids[212:]])
    couriers = np.array([x[a] for a in ids[:200]])
    assert ring.min() > 0.75 and np.median(ring) > 1.5, ring
    assert np.quantile(customers, 0.9) < 0.5 and np.median(customers) < 0.25, np.quantile(customers, [0.5, 0.9])
    assert np.median(couriers) < 0.25
    untyped = _surprisal(accounts.drop("account_type"), events)
    assert np.median([untyped[a] for a in ids[:200]]) > 1.5


def test_a_few_events_say_little_and_no_events_say_nothing():
    # Two accounts that only ever refunded: one event against forty. The prior of five events
    # of the type's mix keeps the first close to its type; the second is as far as it gets.
    accounts, events = _market()
    extra = pl.DataFrame({"account_id": ["z1"] + ["z2"] * 40, "action": ["refund"] * 41})
    quiet = pl.DataFrame({"account_id": ["z1", "z2", "z3"], "account_type": ["customer"] * 3})
    x = _surprisal(pl.concat([accounts, quiet]), pl.concat([events, extra]))
    assert 0 < x["z1"] < 1.0 < 4.0 < x["z2"]
    assert np.isnan(x["z3"])
    # The same figures whatever the order of the events.
    again = _surprisal(pl.concat([accounts, quiet]), pl.concat([events, extra]).reverse())
    assert all(a == b or (np.isnan(a) and np.isnan(b)) for a, b in zip(x.values(), again.values()))


def test_the_account_scorecard_weighs_the_surprisal_from_a_quarter_bit_to_one_bit():
    from syndicate.risk.account_scorecard import account_scorecard

    table = pl.DataFrame({"n_events": [20.0] * 4, "action_surprisal": [0.1, 0.25, 0.625, 3.0]})
    p, names, terms = account_scorecard(table)
    assert terms[:, names.index("unusual_actions")].tolist() == pytest.approx([0.0, 0.0, 1.0, 2.0])
    assert p[0] == p[1] < p[2] < p[3]
    # Tables without the figure (no events, or made before it existed): nothing.
    assert account_scorecard(pl.DataFrame({"n_events": [20.0]}))[2][0, names.index("unusual_actions")] == 0.0


def test_the_surprisal_is_the_divergence_of_the_smoothed_shares_from_the_types_expectation():
    # One type of three accounts over two actions: a (3 likes), b (1 like, 1 follow), c (2
    # follows). The type's mean shares are (0.5, 0.5); with 3 accounts and a credibility of 30
    # the platform's mean (the same here) fills the rest, so the expectation is (0.5, 0.5).
    # a's smoothed shares: ((3 + 5 * 0.5) / 8, (0 + 5 * 0.5) / 8); its divergence, in bits,
    # over both actions (the one it never took included).
    accounts = pl.DataFrame({"account_id": ["a", "b", "c"]})
    events = pl.DataFrame({"account_id": ["a", "a", "a", "b", "b", "c", "c"],
                           "action": ["like", "like", "like", "like", "follow", "follow", "follow"]})
    x = _surprisal(accounts, events)

    def divergence(counts: list[int]) -> float:
        q = (np.array(counts) + 5 * 0.5) / (sum(counts) + 5)
        return float((q * np.log2(q / 0.5)).sum())

    assert x["a"] == pytest.approx(divergence([3, 0]), abs=1e-8)
    assert x["b"] == pytest.approx(0.0, abs=1e-8)
    assert x["c"] == pytest.approx(divergence([0, 2]), abs=1e-8)
    # A type that never used an action keeps the platform's part of it: two types, the second
    # of one account that only follows; the first type's accounts are judged with the follow
    # share the platform gives it, weighed by 1 - 3 / 33 of the credibility.
    typed = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "account_type": ["x", "x", "x", "y"]})
    events = pl.DataFrame({"account_id": ["a", "a", "b", "c", "d", "d"],
                           "action": ["like", "like", "like", "like", "follow", "follow"]})
    x = _surprisal(typed, events)
    trust = 3 / 33
    platform = np.array([3 / 4, 1 / 4])  # mean over the four accounts' shares: like, follow
    expected = trust * np.array([1.0, 0.0]) + (1 - trust) * platform
    q = (np.array([2, 0]) + 5 * expected) / (2 + 5)
    assert x["a"] == pytest.approx(float((q * np.log2(q / expected)).sum()), abs=1e-8)


def test_the_surprisal_names_the_action_it_is_most_on():
    # The ring's members lean on refunds; ties go by the action's name (two accounts with one
    # like and one follow each, in a platform of likes and follows alike, lean on neither more).
    accounts, events = _market()
    top = _top(accounts, events)
    ids = accounts["account_id"].to_list()
    assert all(top[a] == "refund" for a in ids[200:212])
    pair = pl.DataFrame({"account_id": ["a", "a", "b", "b"], "action": ["like", "follow", "follow", "like"]})
    assert _top(pl.DataFrame({"account_id": ["a", "b", "c"]}), pair) == {"a": "follow", "b": "follow", "c": None}


def test_the_accounts_reason_names_the_action_it_leans_on():
    from syndicate.risk.account_reasons import describe_account

    row = {"action_surprisal": 2.34, "action_surprisal_top": "dispute_open"}
    assert describe_account("unusual_actions", row) == (
        "its mix of actions is 2.3 bits from what accounts of its type do, most on 'dispute_open'")
    assert describe_account("action_surprisal", row | {"action_surprisal_top": None}).endswith("its type do")

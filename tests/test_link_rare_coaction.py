"""Rare co-action groups (link/rare_coaction.py): rings that meet on rare targets within days."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl
import pytest

from syndicate.config import Config, ConfigError
from syndicate.encoding import encode_events
from syndicate.link.rare_coaction import (_group_test, _hangers_on, _join_fragments, _repeated_meetings,
                                          _trim, action_families, binding_links, event_codes, outside_place_ties,
                                          chance_factor, place_only, rare_coaction, trimmed_bar)

T0 = datetime(2026, 3, 1)


def _site(seed: int = 0, *, n_organic: int = 600, ring: int = 10, products: int = 4) -> pl.DataFrame:
    """Organic accounts acting on Zipf-popular targets at random times over 30 days, and one
    ring: each member reviews three of the ring's four rare products, each product's reviews within
    a day (hours apart, never seconds)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_organic):
        for _ in range(int(rng.integers(1, 30))):
            target = int(min(rng.zipf(1.6), 3000))
            rows.append((f"o{i:04d}", rng.choice(["like", "review_5", "order"]), f"t{target}",
                         T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))))
    start = [T0 + timedelta(days=int(d)) for d in rng.integers(3, 25, products)]
    for m in range(ring):
        for p in ((m % products), ((m + 1) % products), ((m + 2) % products)):
            rows.append((f"r{m:02d}", "review_5", f"ring-product-{p}",
                         start[p] + timedelta(seconds=int(rng.integers(0, 20 * 3600)))))
        rows.append((f"r{m:02d}", "like", f"t{int(min(rng.zipf(1.6), 3000))}",
                     T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))))
    return pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")


def _codes(events: pl.DataFrame) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], pl.Series]:
    ids = events["account_id"].unique().sort()
    enc = encode_events(events, ids)
    return event_codes(enc.acc, enc.tgt, enc.act, enc.actions, enc.t), ids


def _groups(events: pl.DataFrame, **kw: object) -> tuple[pl.DataFrame, pl.Series]:
    (account, target_action, seconds), ids = _codes(events)
    groups, _, _ = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1, **kw)
    return groups.with_columns(account_id=ids.gather(groups["account"])), ids


def test_a_ring_meeting_on_rare_products_within_days_is_one_group_and_organic_users_are_not():
    groups, _ = _groups(_site())
    assert groups["group"].n_unique() == 1, groups
    members = set(groups["account_id"])
    assert {f"r{m:02d}" for m in range(10)} == members


def test_a_number_at_either_end_of_an_action_is_its_value():
    names = pl.Series(["Review_5 ", "review_4", "rate:1", "5star", "stars5", "5", "like", "add_to_cart", "top10list"])
    assert action_families(names).to_list() == ["review", "review", "rate", "star", "stars", "5", "like",
                                                "add_to_cart", "top10list"]
    assert action_families(names, fold_values=False).to_list()[:2] == ["review_5", "review_4"]


def _rated_ring(seed: int = 0) -> pl.DataFrame:
    """The site's organic accounts and a ring of 12 whose members each rate two of its four
    products 4 or 5 stars (``review_4`` / ``review_5``) within a day of the product's start."""
    rng = np.random.default_rng(seed)
    organic = _site(seed, ring=0)
    start = [T0 + timedelta(days=int(d)) for d in rng.integers(3, 25, 4)]
    rows = [(f"r{m:02d}", f"review_{int(rng.choice([4, 5]))}", f"ring-product-{p}",
             start[p] + timedelta(seconds=int(rng.integers(0, 20 * 3600))))
            for m in range(12) for p in (m % 4, (m + 1) % 4)]
    ring = pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")
    return pl.concat([organic, ring])


def test_ratings_of_one_product_are_one_cell_so_a_ring_rating_4_or_5_stars_is_one_group():
    events = _rated_ring()
    ids = events["account_id"].unique().sort()
    enc = encode_events(events, ids)
    ring_rows = np.isin(enc.acc, np.flatnonzero(ids.str.starts_with("r").to_numpy()))  # their rows only
    # Each ring product is one target-action, whichever star its reviews gave; counted apart,
    # review_4 and review_5 make eight of the four products.
    _, together, _ = event_codes(enc.acc, enc.tgt, enc.act, enc.actions, enc.t)
    _, apart, _ = event_codes(enc.acc, enc.tgt, enc.act, enc.actions, enc.t, fold_values=False)
    assert (len(np.unique(together[ring_rows])), len(np.unique(apart[ring_rows]))) == (4, 8)
    groups, _ = _groups(events)
    assert groups["group"].n_unique() == 1, groups
    assert set(groups["account_id"]) == {f"r{m:02d}" for m in range(12)}


def test_no_group_without_a_ring():
    groups, _ = _groups(_site(ring=0))
    assert groups.height == 0


def test_a_ring_spread_over_weeks_is_not_found_with_a_window_of_hours():
    # Every product's reviews come within 20 hours: a window of one hour splits them.
    groups, _ = _groups(_site(), window_days=1 / 24)
    assert groups.height == 0


def test_result_does_not_depend_on_row_order():
    events = _site(seed=3)
    first, _ = _groups(events)
    shuffled = events.sample(fraction=1.0, shuffle=True, seed=7)
    second, _ = _groups(shuffled)
    assert first.sort("account_id").equals(second.sort("account_id"))


def test_links_join_the_members_who_met_on_a_product():
    (account, target_action, seconds), ids = _codes(_site())
    groups, links, _ = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1)
    assert links.height > 0
    assert (links["account_a"] < links["account_b"]).all()
    members = set(groups["account"].to_list())
    assert set(links["account_a"].to_list()) | set(links["account_b"].to_list()) <= members
    assert links.select(pl.struct("account_a", "account_b").is_unique().all()).item()
    assert (links["rare_coaction_targets"] >= 1).all()


def test_a_member_bound_to_an_outsider_leaves_and_one_bound_inside_stays():
    (account, target_action, seconds), ids = _codes(_site())
    code = {a: i for i, a in enumerate(ids.to_list())}
    r0, r1, r2, outsider = code["r00"], code["r01"], code["r02"], code["o0000"]

    def strong(member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # r00 shares a tablet with an organic account; r01 and r02 share a device.
        return np.array([r0, r1]), np.array([outsider, r2])

    groups, _, _ = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1, strong_links=strong)
    members = set(groups["account"].to_list())
    assert r0 not in members and {r1, r2} <= members


def test_accounts_that_met_only_an_operators_bound_accounts_are_not_a_ring():
    # Every ring member bound inside the group (one operator's matrix accounts): the loose
    # part (none) cannot pass alone, so no rare group is added on top of the identity cluster.
    (account, target_action, seconds), ids = _codes(_site())
    ring = np.array([i for i, a in enumerate(ids.to_list()) if a.startswith("r")])

    def strong(member: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return ring[:-1], ring[1:]

    groups, links, _ = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1, strong_links=strong)
    assert groups.height == 0 and links.height == 0


def test_one_shared_product_is_no_repeated_meeting_and_a_second_one_is():
    # Accounts 0-4 all met on target 7; then 0 and 1 met again on target 8 (one cycle), and
    # 2 met 3 on target 9 (another).
    label = np.zeros(5, dtype=np.int64)
    one = _repeated_meetings(np.full(5, 7), np.arange(5), label, 1, np.array([5]))
    assert one.tolist() == [0]
    target = np.array([7, 7, 7, 7, 7, 8, 8, 9, 9])
    member = np.array([0, 1, 2, 3, 4, 0, 1, 2, 3])
    assert _repeated_meetings(target, member, label, 1, np.array([5])).tolist() == [2]


def _padded_ring(heavy_activity: float) -> tuple[np.ndarray, dict]:
    """A community of a ring of six light accounts (0-5: all met on target 100, 0 and 1 again
    on 101) and four heavy accounts (6-9) that each met 0 and 1 once, on a target of its own."""
    from itertools import combinations

    pairs = {(a, b): 1 for a, b in combinations(range(6), 2)}
    pairs[(0, 1)] = 2
    for h in range(6, 10):
        pairs[(0, h)] = pairs[(1, h)] = 1
    x, y = (np.array(c, dtype=np.int64) for c in zip(*pairs))
    k = np.array(list(pairs.values()), dtype=np.int64)
    met = [(100, m) for m in range(6)] + [(101, 0), (101, 1)]
    met += [(200 + h, m) for h in range(6, 10) for m in (0, 1, h)]
    met_target, met_account = (np.array(c, dtype=np.int64) for c in zip(*met))
    activity = np.r_[np.full(6, 8.0), np.full(4, heavy_activity)]
    test = dict(x=x, y=y, k=k, activity=activity, scale=1e-6, met_target=met_target, met_account=met_account,
                n_comm=1, min_excess=8, min_lift=50.0)
    return np.zeros(10, dtype=np.int64), test


def _after_trim(label: np.ndarray, test: dict) -> tuple[np.ndarray, np.ndarray, bool]:
    """What rare_coaction does with a community: trim, then the test at the trimmed bar."""
    trimmed_label, gone = _trim(label, test)
    passing, _ = _group_test(trimmed_label, **(test | {"min_lift": trimmed_bar(test["min_lift"], gone)}))
    return trimmed_label, gone, bool(passing[0])


def test_parts_of_one_ring_that_keep_meeting_across_are_joined_and_chance_meetings_are_not():
    # Groups 0 and 1: two teams of one ring (accounts 0-4, 5-9) whose members met across on
    # six target-actions; group 2 (10-14) met group 1 on three; group 3 (15-19): heavy accounts
    # whose many meetings with group 0 their activity predicts.
    # Five groups of five. Light accounts (activity 4: D = 20 a group) meet by chance
    # 1e-4 * 20 * 20 = 0.04 times across two groups, so the bar (2 x 50 x chance) is 4 meetings.
    # Groups 0 and 1 met across 6 times (150x chance): one ring. Group 2 is lighter (D = 10) and
    # met group 1 3 times (150x chance: over the lift bar, under the count). Group 3 met group
    # 0 7 times, but its accounts are heavy (D = 2000): 1.75x chance. Group 4 is light: below,
    # it meets group 2 four times.
    label = np.repeat(np.arange(5), 5)
    pairs = [(0, 5), (1, 6), (2, 7), (3, 8), (4, 9), (0, 9),  # groups 0-1: 6
             (5, 10), (6, 11), (7, 12),  # groups 1-2: 3
             (15, 0), (16, 1), (17, 2), (18, 3), (19, 4), (15, 2), (16, 3)]  # groups 3-0: 7
    x, y = (np.array(side) for side in zip(*pairs))
    k = np.ones(len(x))
    activity = np.r_[np.full(10, 4.0), np.full(5, 2.0), np.full(5, 400.0), np.full(5, 4.0)]
    scale = 1e-4
    joined, n = _join_fragments(label, x, y, k, activity=activity, scale=scale, min_lift=50.0)
    groups = [set(np.flatnonzero(joined == g)) for g in np.unique(joined[joined >= 0])]
    assert set(range(10)) in groups  # one ring
    assert set(range(10, 15)) in groups  # three meetings are not enough at any lift
    assert set(range(15, 20)) in groups  # what the heavy accounts' activity predicts
    assert set(range(20, 25)) in groups and len(groups) == 4 and n >= 4
    # Group 4 meets group 2 four times: at a scale of 3e-4 that is 67x chance (4 / (3e-4 * 20 *
    # 10)), between the group test's lift bar (50) and twice it, so no join; at 6e-5, 333x.
    x4, y4 = np.r_[x, 20, 21, 22, 23], np.r_[y, 10, 11, 12, 13]
    for s, together in ((3e-4, False), (6e-5, True)):
        joined, _ = _join_fragments(label, x4, y4, np.ones(len(x4)), activity=activity, scale=s, min_lift=50.0)
        assert bool(joined[20] == joined[10]) is together, s
    # Joins are transitive (group 2 joins the ring through five meetings with group 0, 250x),
    # and accounts in no group stay out.
    label = np.r_[label, -1]
    x2, y2 = np.r_[x, 10, 11, 12, 13, 14], np.r_[y, 0, 1, 2, 3, 4]
    joined, _ = _join_fragments(label, x2, y2, np.ones(len(x2)), activity=np.r_[activity, 4.0], scale=scale,
                                min_lift=50.0)
    assert len(set(joined[:15])) == 1 and joined[25] == -1 and len(set(joined[15:20]) - set(joined[:15])) == 1


def test_a_ring_leiden_cuts_in_two_teams_that_meet_across_is_one_group():
    # Ten accounts in two teams of five, each team on its own three rare products, and every
    # member also on one of two products of the whole ring (members of both teams).
    rng = np.random.default_rng(3)
    rows = []
    for i in range(400):
        for _ in range(int(rng.integers(1, 25))):
            rows.append((f"o{i:04d}", "review", f"t{int(min(rng.zipf(1.6), 3000))}",
                         T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))))
    for team in range(2):
        for m in range(5):
            who = f"r{team}{m}"
            for p in range(3):
                rows.append((who, "review", f"team{team}-product-{p}", T0 + timedelta(days=3 + 4 * p + 10 * team,
                                                                                      hours=int(rng.integers(0, 20)))))
            rows.append((who, "review", f"ring-product-{m % 2}", T0 + timedelta(days=27 + m % 2,
                                                                               hours=int(rng.integers(0, 20)))))
    events = pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")
    (acc, ta, sec), ids = _codes(events)
    groups, links, _ = rare_coaction(acc, ta, sec, n_accounts=len(ids), resolution=0.5)
    ring = {ids[int(a)] for a in groups["account"]}
    assert {f"r{t}{m}" for t in range(2) for m in range(5)} <= ring
    assert groups["group"].n_unique() == 1
    # The teams' meetings across are links of the one group (they join its cluster).
    named = links.with_columns(pl.col("account_a").map_elements(lambda v: ids[v], return_dtype=pl.String),
                               pl.col("account_b").map_elements(lambda v: ids[v], return_dtype=pl.String))
    assert named.filter(pl.col("account_a").str.slice(0, 2) != pl.col("account_b").str.slice(0, 2)).height > 0
    # A strong link (a shared device) between members of the two teams is inside the ring: both
    # stay (with the teams judged apart, each was "bound to an outsider" and left).
    code = {name: i for i, name in enumerate(ids)}
    a, b = np.array([code["r00"]]), np.array([code["r10"]])
    bound, _, _ = rare_coaction(acc, ta, sec, n_accounts=len(ids), resolution=0.5, strong_links=lambda member: (a, b))
    assert {ids[int(v)] for v in bound["account"]} == ring and bound["group"].n_unique() == 1


def test_heavy_accounts_gathered_around_a_ring_are_trimmed_and_the_ring_passes():
    label, test = _padded_ring(heavy_activity=400.0)
    assert not _group_test(label, **test)[0][0]  # the heavy ones explain the meetings: no lift
    trimmed_label, gone, passes = _after_trim(label, test)
    assert np.flatnonzero(trimmed_label >= 0).tolist() == list(range(6)) and gone.tolist() == [4]
    # Four members gone: the ring must show 2^4 times the bar, and it does (~5,200 against 800).
    assert passes


def test_trimming_one_community_leaves_the_others_as_they_were():
    # The padded ring (community 0, trimmable) beside a ring that passes (1: six light accounts
    # that met on three targets) and a trio without the excess to be judged (2). The trim works
    # on the communities it may change only: community 0 must come out as it does alone, and
    # the other two untouched, with nothing counted as trimmed from them.
    from itertools import combinations

    label0, test0 = _padded_ring(heavy_activity=400.0)
    alone, gone_alone = _trim(label0, test0)
    ring, trio = range(10, 16), range(16, 19)
    x = np.r_[test0["x"], [a for a, _ in combinations(ring, 2)], [16, 16, 17]]
    y = np.r_[test0["y"], [b for _, b in combinations(ring, 2)], [17, 18, 18]]
    k = np.r_[test0["k"], np.full(15, 3), np.ones(3, dtype=np.int64)]
    met = [(300 + t, m) for t in range(3) for m in ring] + [(400, m) for m in trio]
    met_target = np.r_[test0["met_target"], [t for t, _ in met]]
    met_account = np.r_[test0["met_account"], [m for _, m in met]]
    test = test0 | dict(x=x, y=y, k=k, activity=np.r_[test0["activity"], np.full(9, 8.0)],
                        met_target=met_target, met_account=met_account, n_comm=3)
    label = np.r_[label0, np.ones(6, dtype=np.int64), np.full(3, 2)]
    passing, excess = _group_test(label, **test)
    assert passing.tolist() == [False, True, False] and excess[0] >= 8 and excess[2] < 8
    trimmed_label, gone = _trim(label, test)
    assert trimmed_label[:10].tolist() == alone.tolist() and gone[0] == gone_alone[0] == 4
    assert trimmed_label[10:].tolist() == label[10:].tolist() and gone[1:].tolist() == [0, 0]


def test_what_trimming_leaves_must_clear_a_bar_that_doubles_per_member_gone(monkeypatch):
    # Busier ring members: trimmed of the heavy accounts, the six show ~330 times the meetings
    # their activity predicts, over the plain bar (50) but under 50 * 2^4. With the penalty
    # nothing is kept; without it (a factor of 1) the group passes.
    import syndicate.link.rare_coaction as rare

    label, test = _padded_ring(heavy_activity=400.0)
    test["activity"] = np.r_[np.full(6, 32.0), np.full(4, 400.0)]
    _, _, passes = _after_trim(label, test)
    assert not passes
    monkeypatch.setattr(rare, "_TRIM_PENALTY", 1.0)
    trimmed_label, gone, passes = _after_trim(label, test)
    # ... once three heavy accounts are gone (the plain bar is met with one still inside).
    assert passes and gone.tolist() == [3] and set(range(6)) < set(np.flatnonzero(trimmed_label >= 0))


def _viewed_ring(seed: int = 0, *, ring: int = 12, viewers: int = 10, products: int = 4) -> pl.DataFrame:
    """The site's organic accounts, a ring of ``ring`` whose members each view and then review
    three of its four products within a day of the product's start, and ``viewers`` heavy
    accounts (300 views each over the month) that also view three of those products in the
    same days, as ordinary shoppers of a new product do."""
    rng = np.random.default_rng(seed + 100)
    base = _site(seed, ring=0)
    start = [T0 + timedelta(days=int(d)) for d in rng.integers(3, 25, products)]
    rows = []
    for m in range(ring):
        for p in (m % products, (m + 1) % products, (m + 2) % products):
            at = start[p] + timedelta(seconds=int(rng.integers(0, 20 * 3600)))
            rows += [(f"r{m:02d}", "view", f"ring-product-{p}", at - timedelta(minutes=30)),
                     (f"r{m:02d}", "review_5", f"ring-product-{p}", at)]
    for v in range(viewers):
        rows += [(f"v{v:02d}", "view", f"t{int(min(rng.zipf(1.3), 5000))}",
                  T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))) for _ in range(300)]
        rows += [(f"v{v:02d}", "view", f"ring-product-{p}", start[p] + timedelta(seconds=int(rng.integers(0, 20 * 3600))))
                 for p in rng.choice(products, 3, replace=False)]
    return pl.concat([base, pl.DataFrame(rows, schema=base.columns, orient="row")])


@pytest.mark.parametrize("seed", [0, 1])
def test_heavy_viewers_of_a_rings_products_are_gathered_out_and_the_ring_is_found(seed):
    events = _viewed_ring(seed)
    # One gathering only: the viewers join the ring's community, and what trimming them leaves
    # must clear a bar doubled per member gone: nothing is found.
    alone, _ = _groups(events, regather_lift=0.0)
    assert alone.height == 0
    # Gathered again with each member weighted by its activity, the viewers' few meetings are
    # what 300 views predict; the ring's are not.
    groups, _ = _groups(events)
    assert groups["group"].n_unique() == 1
    assert set(groups["account_id"]) == {f"r{m:02d}" for m in range(12)}


def test_regathering_keeps_a_passing_community_and_a_community_none_of_whose_parts_pass():
    from syndicate.link.rare_coaction import _regather

    # All ten light: the community passes and is not gathered again.
    label, test = _padded_ring(heavy_activity=8.0)
    assert _group_test(label, **test)[0][0]
    w = test["k"].astype(np.float64)
    same, n = _regather(label, w, test, resolution=1e6, seed=0)
    assert n == 1 and same.tolist() == label.tolist()
    # Four heavy members: it fails. At a bar no link clears, every part is one account and none
    # passes, so the community stays whole for the trim (which finds the ring in it).
    label, test = _padded_ring(heavy_activity=400.0)
    assert not _group_test(label, **test)[0][0]
    whole, n = _regather(label, w, test, resolution=1e6, seed=0)
    assert n == 1 and whole.tolist() == label.tolist()
    # At a bar the ring's links clear and the heavy members' do not, the ring is a part of its own.
    parts, n = _regather(label, w, test, resolution=1e-3, seed=0)
    assert n == 1 and np.flatnonzero(parts >= 0).tolist() == list(range(6))
    assert _group_test(parts, **(test | {"n_comm": n}))[0][0]


def test_heavy_viewers_without_a_ring_are_no_group():
    groups, _ = _groups(_viewed_ring(ring=0, viewers=12))
    assert groups.height == 0


def test_a_one_off_crowd_on_one_product_is_not_a_group():
    # Eight accounts on one rare product within a day and never again: a clique, no ring.
    rng = np.random.default_rng(5)
    crowd = pl.DataFrame({"account_id": [f"c{i}" for i in range(8)], "action": "review_5",
                          "target_id": "one-product",
                          "ts": [T0 + timedelta(hours=int(h)) for h in rng.integers(0, 20, 8)]})
    groups, _ = _groups(pl.concat([_site(ring=0), crowd]))
    assert groups.height == 0


def test_empty_events_give_no_group():
    empty = np.zeros(0, np.int64)
    groups, links, info = rare_coaction(empty, empty, empty, n_accounts=0)
    assert groups.height == 0 and links.height == 0 and info["groups"] == 0


def test_bad_settings_are_named():
    with pytest.raises(ConfigError, match="lockstep.rare_min_lift"):
        Config.from_dict({"lockstep": {"rare_min_lift": 0.5}})
    with pytest.raises(ConfigError, match="lockstep.rare_regather_lift"):
        Config.from_dict({"lockstep": {"rare_regather_lift": 0.5}})
    assert Config.from_dict({"lockstep": {"rare_regather_lift": 0}}).lockstep.rare_regather_lift == 0
    with pytest.raises(ConfigError, match="lockstep.rare_resolution"):
        Config.from_dict({"lockstep": {"rare_resolution": 2.0}})
    assert Config().lockstep.rare_enabled and Config().lockstep.rare_max_events == 12_000_000
    with pytest.raises(ConfigError, match="lockstep.rare_reference_accounts"):
        Config.from_dict({"lockstep": {"rare_reference_accounts": -1}})
    with pytest.raises(ConfigError, match="lockstep.rare_min_hanger_share"):
        Config.from_dict({"lockstep": {"rare_min_hanger_share": 1.0}})
    assert Config.from_dict({"lockstep": {"rare_min_hanger_share": 0}}).lockstep.rare_min_hanger_share == 0


def _towns(n_towns: int, seed: int = 0, *, size: int = 40, shops: int = 30) -> pl.DataFrame:
    """Towns of ``size`` accounts, each writing 2 to 7 reviews on its own town's ``shops`` at
    random times over 30 days: people who meet because they live in one place, as many times
    as a town's size allows however many towns the platform has."""
    rng = np.random.default_rng(seed)
    rows = [(f"t{t:03d}a{i:02d}", "review", f"town{t}-shop{int(rng.integers(0, shops))}",
             T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400))))
            for t in range(n_towns) for i in range(size) for _ in range(int(rng.integers(2, 8)))]
    return pl.DataFrame(rows, schema=["account_id", "action", "target_id", "ts"], orient="row")


def test_the_chance_model_is_held_at_the_reference_population():
    assert chance_factor(500, 1000) == chance_factor(1000, 1000) == chance_factor(10**6, 0) == 1.0
    assert chance_factor(4000, 1000) == 4.0
    # The function's default is the config's, as its other settings are.
    import inspect
    default = inspect.signature(rare_coaction).parameters["reference_accounts"].default
    assert default == Config().lockstep.rare_reference_accounts == 20_000


def test_held_at_a_reference_population_crowds_of_towns_do_not_pass_at_scale_and_the_ring_does():
    # The chance model spreads meetings over the whole population: with a hundred towns it
    # expects a twentieth of what it expects with five, and towns pass by the hundreds.
    events = pl.concat([_site(), _towns(100)])
    (account, target_action, seconds), ids = _codes(events)
    found = {}
    for reference in (0, 1000):
        groups, _, info = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1,
                                        reference_accounts=reference)
        members = ids.gather(groups["account"])
        found[reference] = (members.str.starts_with("t").sum(), members.str.starts_with("r").sum(),
                            info["chance_factor"])
    assert found[0][0] > 1000 and found[0][2] == 1.0, found
    assert found[1000][0] < found[0][0] / 5 and found[1000][2] == pytest.approx(len(ids) / 1000, abs=1e-3), found
    assert found[0][1] == found[1000][1] == 10, found
    # At or under the reference the model is the whole population's: the same groups.
    same = [rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1,
                          reference_accounts=reference)[0] for reference in (0, len(ids))]
    assert same[0].equals(same[1])


def test_pair_counts_count_each_target_once_across_phases_and_days():
    from syndicate.link.rare_coaction import _pair_counts, burst_share
    # a and b on target 0 an hour apart (both phases hold them), again on target 0 ten days
    # later, and on target 1 with c: (a, b) met on 2 targets; (a, c), (b, c) on 1, in a cell of 3.
    hour, day = 3600, 86_400
    account = np.array([0, 1, 0, 1, 0, 1, 2])
    key = np.array([0, 0, 0, 0, 1, 1, 1])
    sec = np.array([0, hour, 10 * day, 10 * day + hour, 20 * day, 20 * day, 20 * day + hour])
    share = burst_share(2 * day, 0, int(sec.max()), 1.0)
    x, y, w, k, *_ = _pair_counts(account, key, sec, n_accounts=3, width=2 * day, max_cell_accounts=20,
                                  share=share, origin=0)
    assert list(zip(x.tolist(), y.tolist(), k.tolist())) == [(0, 1, 2), (0, 2, 1), (1, 2, 1)]
    np.testing.assert_allclose(w, [1.0 + 0.5, 0.5, 0.5])


def test_with_n_actions_the_meetings_are_counted_by_target():
    # Three accounts ordered (action 0) and rated (action 1) at shops 0 and 1, all on one day:
    # by target-action they met on four cells (repeated meetings 12 - 4 - 3 + 1 = 6); by target,
    # on two (6 - 2 - 3 + 1 = 2): an order and a rating of one shop are one tie to it. The pairs
    # and their counts are the same either way.
    from syndicate.link.rare_coaction import _pair_counts

    account = np.repeat([0, 1, 2], 4)
    key = np.tile([0, 1, 2, 3], 3)  # shop * 2 + action
    sec = np.tile([0, 600, 1200, 1800], 3)
    label = np.zeros(3, dtype=np.int64)
    counted = {}
    for n_actions in (1, 2):
        *pairs, (met_target, met_account) = _pair_counts(account, key, sec, n_accounts=3, width=86_400,
                                                         max_cell_accounts=20, share=0.5, origin=0,
                                                         n_actions=n_actions)
        counted[n_actions] = (pairs[:4], _repeated_meetings(met_target, met_account, label, 1, np.array([3])))
    assert counted[1][1].tolist() == [6] and counted[2][1].tolist() == [2]
    for a, b in zip(counted[1][0], counted[2][0]):
        np.testing.assert_array_equal(a, b)


def test_smallest_cells_are_the_same_with_one_packed_key_and_with_two_keys():
    # At a million accounts and targets the pair and the target-action do not fit one int64
    # key together: the two-key path must give what the packed one gives.
    from syndicate.link.rare_coaction import _smallest_cells

    rng = np.random.default_rng(3)
    n = 5_000
    pair = (rng.integers(0, 40, n) << 20) | rng.integers(0, 40, n)
    rest = (rng.integers(0, 30, n) << 5) | rng.integers(2, 21, n)
    packed = _smallest_cells(pair.copy(), rest.copy(), rest_bits=10, size_bits=5, pack=True)
    two_keys = _smallest_cells(pair.copy(), rest.copy(), rest_bits=10, size_bits=5, pack=False)
    for got, want in zip(two_keys, packed):
        np.testing.assert_array_equal(got, want)
    # One row per distinct (pair, target-action), each with its smallest cell.
    frame = pl.DataFrame({"pair": pair, "target": rest >> 5, "size": rest & 31})
    expected = frame.group_by("pair", "target").agg(pl.col("size").min()).sort("pair", "target")
    np.testing.assert_array_equal(packed[0], expected["pair"].to_numpy())
    np.testing.assert_array_equal(packed[1], expected["size"].to_numpy())


def test_only_targets_that_can_burst_go_on_to_the_sort():
    # share = 3 windows of 2 days over 60 days = 0.1: a cell of at most 20 accounts holds a
    # tenth of its target's accounts only if the target has at most 200.
    from syndicate.link.rare_coaction import _burst_candidates, burst_share

    day = 86_400
    key = np.r_[np.zeros(300, np.int64), np.ones(50, np.int64), [2], [3, 3]]
    sec = np.r_[np.linspace(0, 60 * day, 300).astype(np.int64), np.zeros(50, np.int64), [0], [day, day]]
    account = np.arange(len(key), dtype=np.int64)
    share = burst_share(2 * day, 0, 60 * day, 3.0)
    assert share == pytest.approx(0.1) and burst_share(2 * day, 0, day, 3.0) == 0.5
    acc, kept, secs = _burst_candidates(account, key * 10**9, sec, max_events=20 / share)
    # 300 events: popular; one event: alone. Rows stay aligned.
    assert sorted(set((kept // 10**9).tolist())) == [1, 3] and len(acc) == len(secs) == 52
    assert (kept == key[acc] * 10**9).all()


def test_given_the_totals_of_all_events_the_candidates_alone_give_the_same_groups():
    # What the Spark engine sends the driver: only the events of target-actions that can burst.
    from syndicate.link.rare_coaction import EventTotals, burst_share

    (account, target_action, seconds), ids = _codes(_site())
    whole = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1)
    first, last = int(seconds.min()), int(seconds.max())
    events = np.bincount(target_action)[target_action]
    keep = (events >= 2) & (events <= 20 / burst_share(2 * 86_400, first, last, 3.0))
    assert 0 < keep.sum() < len(keep)
    totals = EventTotals(np.bincount(account, minlength=len(ids)), first, last)
    part = rare_coaction(account[keep], target_action[keep], seconds[keep], n_accounts=len(ids), seed=1,
                         totals=totals)
    assert whole[0].equals(part[0]) and whole[1].equals(part[1]) and whole[0].height == 10


def test_past_its_link_budget_leiden_keeps_the_links_that_met_most_and_still_finds_the_ring(monkeypatch):
    import syndicate.link.rare_coaction as rare

    (account, target_action, seconds), ids = _codes(_site())
    _, _, full = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1)
    monkeypatch.setattr(rare, "_LEIDEN_LINKS", 60)
    assert full["links"] > 60
    runs = [rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1) for _ in range(2)]
    (groups, _, info), (again, _, _) = runs
    assert info["links"] == 60 and groups.equals(again)
    assert set(ids.gather(groups["account"])) == {f"r{m:02d}" for m in range(10)}


def test_leiden_sees_at_most_its_links_per_account_on_average_and_still_finds_the_ring(monkeypatch):
    import syndicate.link.rare_coaction as rare

    (account, target_action, seconds), ids = _codes(_site())
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_PER_ACCOUNT", 100)
    _, _, full = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1)
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_PER_ACCOUNT", 1)  # the site has ~1.3 a linked account
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_FLOOR", 0)
    groups, _, info = rare_coaction(account, target_action, seconds, n_accounts=len(ids), seed=1)
    linked = len(np.unique(account))  # an upper bound of the accounts with a pair
    assert info["links"] < full["links"] and info["links"] <= linked
    assert set(ids.gather(groups["account"])) == {f"r{m:02d}" for m in range(10)}


def test_past_its_budget_per_account_leiden_sees_the_links_that_met_most(monkeypatch):
    import syndicate.link.rare_coaction as rare

    # Two triangles met three and two times, and three links between them met once: at one link
    # per account Leiden sees six links, the triangles'.
    x = np.array([0, 0, 0, 1, 1, 2, 2, 3, 3, 4])
    y = np.array([1, 2, 3, 2, 4, 5, 6, 4, 5, 5])
    k = np.array([3, 3, 1, 3, 1, 1, 1, 2, 2, 2])
    w = np.array([0.5, 0.5, 0.9, 0.5, 0.9, 0.9, 0.9, 0.4, 0.4, 0.4])
    seen = []
    monkeypatch.setattr(rare, "leiden_cpm", lambda a, b, *args, **kw: seen.append(set(zip(a, b))) or np.zeros(7, int))
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_PER_ACCOUNT", 1)
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_FLOOR", 0)
    _, n_links = rare._gather(x, y, w, k, 7, resolution=0.01, seed=0)
    # 7 linked accounts (node 6 by its one link), budget 7: the six links that met twice or more, then
    # the strongest of those that met once (ties in pair order: 0-3).
    assert n_links == 7
    assert seen[0] == {(0, 1), (0, 2), (1, 2), (3, 4), (3, 5), (4, 5), (0, 3)}
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_PER_ACCOUNT", 100)
    assert rare._gather(x, y, w, k, 7, resolution=0.01, seed=0)[1] == 10
    # Under the floor the graph stays whole whatever the per-account budget.
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_PER_ACCOUNT", 1)
    monkeypatch.setattr(rare, "_LEIDEN_LINKS_FLOOR", 10)
    assert rare._gather(x, y, w, k, 7, resolution=0.01, seed=0)[1] == 10


def test_above_its_event_budget_the_detector_is_left_out_and_the_run_says_so(tmp_path):
    import syndicate

    tables = syndicate.generate_marketplace(1_500, seed=3)
    config = Config.from_dict({"lockstep": {"rare_max_events": 1_000}})
    result = syndicate.run(tables, config=config)
    n_events = tables["events"].height
    assert result.manifest["link"]["rare_coaction"] == {"skipped": result.warnings[0]}
    assert f"{n_events:,} events are more than [lockstep] rare_max_events = 1,000" in result.warnings[0]
    assert "rare_coaction" not in result.edges.columns
    unlimited = syndicate.run(tables, config=Config.from_dict({"lockstep": {"rare_max_events": 0}}))
    assert "skipped" not in unlimited.manifest["link"]["rare_coaction"] and not unlimited.warnings
    with pytest.raises(ConfigError, match="lockstep.rare_max_events"):
        Config.from_dict({"lockstep": {"rare_max_events": -1}})


def _slow_ring(seed: int = 0, *, ring: int = 10, products: int = 4) -> pl.DataFrame:
    """The organic site and a ring whose members each review three of its four products at
    any time over five weeks: two of them rarely review one product within the same two days."""
    rng = np.random.default_rng(seed + 200)
    rows = []
    for m in range(ring):
        for p in (m % products, (m + 1) % products, (m + 2) % products):
            rows.append((f"r{m:02d}", "review_5", f"ring-product-{p}",
                         T0 + timedelta(seconds=int(rng.integers(0, 35 * 86_400)))))
    base = _site(seed, ring=0)
    return pl.concat([base, pl.DataFrame(rows, schema=base.columns, orient="row")])


@pytest.mark.parametrize("seed", [0, 1])
def test_a_ring_spread_over_weeks_is_found_by_the_whole_span_pass(seed):
    from syndicate.config import Config
    from syndicate.pipeline import rare_links_of

    (account, target_action, seconds), ids = _codes(_slow_ring(seed))
    ring = {f"r{m:02d}" for m in range(10)}

    def linked(config):
        links, _ = rare_links_of(account, target_action, seconds, n_accounts=len(ids), config=config,
                                 strong_links=None)
        if links is None:
            return set()
        return set(ids.gather(links["account_a"])) | set(ids.gather(links["account_b"]))

    windows_only = Config.from_dict({"lockstep": {"rare_whole_span": False}})
    assert not linked(windows_only) & ring  # meetings within two days are too few
    assert linked(Config()) == ring  # every member, and no organic account


_EVIDENCE = ["ip_address", "geohash7", "device_fp", "lockstep", "rare_coaction", "ip_asn"]


def _edges(rows: list[tuple]) -> pl.DataFrame:
    """A combined edge table (codes) with place kinds (ip_address, geohash7), a device, the
    co-action sources and a shared property (ip_asn): rows of (a, b, ip, geohash, device,
    lockstep, rare[, asn])."""
    rows = [tuple(r) + (0,) * (2 + len(_EVIDENCE) - len(r)) for r in rows]
    frame = pl.DataFrame(rows, schema=["account_a", "account_b", *_EVIDENCE], orient="row")
    return frame.with_columns(pl.col("account_a", "account_b").cast(pl.UInt32), pl.col(*_EVIDENCE).cast(pl.Float32),
                              pl.lit(0.5).alias("weight"))


def test_a_tie_by_ips_and_addresses_alone_binds_no_one():
    edges = _edges([(0, 1, 0.5, 0.3, 0, 0, 0),     # home IP and street: places only
                    (0, 2, 0.5, 0, 0.8, 0, 0),     # IP and a shared device
                    (0, 3, 0, 0, 0, 0.6, 0),       # lockstep
                    (0, 4, 0, 0, 0, 0, 0.5),       # rare co-action
                    (0, 5, 0.5, 0, 0, 0, 0, 0.15),   # IP and the same small ISP: a property, no binding
                    (0, 6, 0, 0, 0, 0, 0)])          # no evidence at all (a bare count): not a place tie
    assert place_only(edges).tolist() == [True, False, False, False, True, False]
    assert binding_links(edges, 0.2)["account_b"].to_list() == [2, 3, 4, 6]
    assert binding_links(edges.filter(pl.col("account_b") == 1), 0.2).height == 0
    assert binding_links(edges, 0.6).height == 0  # weak links bind no one (weight 0.5 here)
    # A table without place or property columns has no place ties.
    assert not place_only(edges.select("account_a", "account_b", "weight", "lockstep")).any()
    # A device kind the run reads as a shared property (IdentityConfig.property_kinds) binds no
    # one either: the IP-and-device row is a tie by places and properties.
    assert place_only(edges, ("device_fp",)).tolist() == [True, True, False, False, True, False]
    assert binding_links(edges, 0.2, ("device_fp",))["account_b"].to_list() == [3, 4, 6]
    # What holds a rating burst's rater back: every strong link, places too.
    assert binding_links(edges, 0.2, places=True)["account_b"].to_list() == [1, 2, 3, 4, 5, 6]
    assert binding_links(edges, 0.6, places=True).height == 0


def test_a_groups_place_ties_to_outsiders_leave_the_edges_and_its_own_stay():
    # Group A = {0, 1, 2}, group B = {10, 11, 12} (rare co-action links); 5, 6, 7 outsiders.
    rows = [(0, 1, 0, 0, 0, 0, 0.5), (1, 2, 0, 0, 0, 0, 0.5), (10, 11, 0, 0, 0, 0, 0.5), (11, 12, 0, 0, 0, 0, 0.5),
            (0, 2, 0.5, 0, 0, 0, 0),    # the group's own IP: stays
            (0, 5, 0.5, 0, 0, 0, 0),    # a household's IP (residential proxy): cut
            (7, 1, 0, 0.4, 0, 0, 0),    # a neighbour's street (the outsider first): cut
            (0, 6, 0.5, 0, 0.8, 0, 0),  # IP and a shared device: stays
            (2, 10, 0.5, 0, 0, 0, 0),   # two groups on one household's IP: cut
            (5, 6, 0.5, 0, 0, 0, 0)]    # outsiders among themselves: stay
    edges = _edges(rows)
    a, b = edges["account_a"].to_numpy(), edges["account_b"].to_numpy()
    group = np.full(13, -1)
    group[[0, 1, 2]], group[[10, 11, 12]] = 0, 1
    cut = outside_place_ties(edges, a, b, group)
    got = {(x, y) for x, y, c in zip(edges["account_a"], edges["account_b"], cut) if c}
    assert got == {(0, 5), (7, 1), (2, 10)}
    # The groups are the detector's, not the pieces its links make: a ring whose links fall
    # in two pieces keeps its own IP.
    group[[10, 11, 12]] = 0
    cut = outside_place_ties(edges, a, b, group)
    assert {(x, y) for x, y, c in zip(edges["account_a"], edges["account_b"], cut) if c} == {(0, 5), (7, 1)}
    # Without co-action groups nothing is cut.
    assert not outside_place_ties(edges, a, b, np.full(13, -1)).any()
    assert not outside_place_ties(edges.clear(), a[:0], b[:0], group).any()


def ring_on_household_ips() -> dict[str, pl.DataFrame]:
    """The tables of :func:`_site` (a ring of ten among 600 organic accounts) where each ring
    member is on a different real household's home IP (a residential proxy): households of two
    sharing their home IP and address. Three accounts on an IP: 0.35 / log2(3) = 0.22, a strong
    link."""
    events = _site(3)
    ring = sorted(a for a in events["account_id"].unique().to_list() if a.startswith("r"))
    rows = []
    for i, member in enumerate(ring):
        for account in (f"h{i:02d}-{j}" for j in range(2)):
            rows += [(account, "ip_address", f"home-{i}"), (account, "address_hash", f"addr-{i}")]
        rows.append((member, "ip_address", f"home-{i}"))
    signals = pl.DataFrame(rows, schema=["account_id", "kind", "value"], orient="row")
    ids = sorted(set(events["account_id"]) | set(signals["account_id"]))
    accounts = pl.DataFrame({"account_id": ids, "created_at": [T0 - timedelta(days=400)] * len(ids)})
    return {"accounts": accounts, "events": events, "signals": signals}


def test_a_ring_on_households_ip_addresses_is_its_own_cluster_and_the_households_keep_theirs():
    """The ring is found whole, and no household is in its cluster; the households are
    clusters of their own (home IP and address)."""
    from syndicate import pipeline
    from syndicate.contract import validate

    tables = ring_on_household_ips()
    ring = sorted(a for a in tables["events"]["account_id"].unique().to_list() if a.startswith("r"))
    result = pipeline.run(validate(tables), config=Config())
    members = result.members
    ring_clusters = members.filter(pl.col("account_id").is_in(ring))["cluster_id"].unique()
    assert ring_clusters.len() == 1
    cluster = members.filter(pl.col("cluster_id") == ring_clusters[0])["account_id"].to_list()
    assert sorted(cluster) == ring
    families = members.filter(pl.col("account_id").str.starts_with("h"))
    assert families.height == 2 * len(ring)
    assert families.group_by("cluster_id").len()["len"].to_list() == [2] * len(ring)
    assert result.manifest["link"]["place_ties_cut"] == 2 * len(ring)  # each member to its household


def _hanger_group() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One group of 12: a ring of six (0-5) whose pairs met on 40 products each, a heavy ring
    member (6: 3,000 events against the ring's 80, the same meetings), a farm part-timer (7:
    10 events, met every ring member on three products), and four organic accounts (8-11,
    400 and 30 events) that met two ring members, or each other, on two products."""
    pairs = [(a, b, 40) for a in range(7) for b in range(a + 1, 7)]
    pairs += [(a, 7, 3) for a in range(7)]
    pairs += [(8, 0, 2), (8, 1, 2), (9, 2, 2), (9, 3, 2), (10, 8, 2), (10, 9, 2), (11, 10, 2), (11, 4, 2)]
    x, y, k = (np.array(c, dtype=np.int64) for c in zip(*pairs))
    activity = np.array([80.0] * 6 + [3000.0, 10.0] + [400.0] * 4 + [30.0])
    label = np.array([0] * 12 + [-1])
    return label, x, y, k, activity


def test_hangers_on_leave_and_heavy_members_and_part_timers_stay():
    label, x, y, k, activity = _hanger_group()
    out = _hangers_on(label, x, y, k, activity, 0.2)
    assert np.flatnonzero(out >= 0).tolist() == list(range(8))
    # At 0.4 the heavy member's lift (0.36 of the group's) and the part-timer's co-occurrences
    # (0.09 of the typical member's) are under the bar: each fails one test only, and stays.
    assert np.flatnonzero(_hangers_on(label, x, y, k, activity, 0.4) >= 0).tolist() == list(range(8))
    assert _hangers_on(label, x, y, k, activity, 0.0).tolist() == label.tolist()


def test_a_review_ring_whose_pairs_meet_on_one_to_three_products_loses_only_its_hanger_on():
    # Ten members whose pairs met on one to three products, and an organic account with 300
    # events that met two of them on one product each.
    rng = np.random.default_rng(3)
    pairs = [(a, b, int(rng.integers(1, 4))) for a in range(10) for b in range(a + 1, 10) if rng.random() < 0.5]
    pairs += [(10, 0, 1), (10, 1, 1)]
    x, y, k = (np.array(c, dtype=np.int64) for c in zip(*pairs))
    activity = np.append(rng.integers(2, 40, 10), 300).astype(np.float64)
    label = np.zeros(11, dtype=np.int64)
    assert np.flatnonzero(_hangers_on(label, x, y, k, activity, 0.2) >= 0).tolist() == list(range(10))


def test_a_member_who_met_only_the_hangers_on_leaves_with_them_and_row_order_does_not_matter():
    label, x, y, k, activity = _hanger_group()
    # Account 12 met organic account 11 only, on three products: once 11 has left, it has
    # nothing inside the group.
    label = np.append(label[:-1], [0, -1])
    x, y, k = np.append(x, 12), np.append(y, 11), np.append(k, 3)
    activity = np.append(activity[:-1], [20.0, 30.0])
    out = _hangers_on(label, x, y, k, activity, 0.2)
    assert np.flatnonzero(out >= 0).tolist() == list(range(8))
    order = np.random.default_rng(0).permutation(len(x))
    assert _hangers_on(label, x[order], y[order], k[order], activity, 0.2).tolist() == out.tolist()


def _tight_ring(seed: int, *, ring: int = 8, products: int = 20, hangers: int = 4) -> pl.DataFrame:
    """The site's organic accounts, a ring of ``ring`` that reviews every one of its
    ``products`` within a day of the product's start, and ``hangers`` ordinary accounts (40
    likes each over the month) that each also reviewed two of those products in those days."""
    rng = np.random.default_rng(seed + 7)
    base = _site(seed, ring=0)
    start = [T0 + timedelta(days=int(d)) for d in rng.integers(2, 28, products)]
    within_a_day = lambda: timedelta(seconds=int(rng.integers(0, 20 * 3600)))  # noqa: E731
    rows = [(f"r{m:02d}", "review_5", f"ring-product-{p}", start[p] + within_a_day())
            for m in range(ring) for p in range(products)]
    for h in range(hangers):
        rows += [(f"h{h:02d}", "review_5", f"ring-product-{p}", start[p] + within_a_day())
                 for p in rng.choice(products, 2, replace=False)]
        rows += [(f"h{h:02d}", "like", f"t{int(min(rng.zipf(1.6), 3000))}",
                  T0 + timedelta(seconds=int(rng.integers(0, 30 * 86_400)))) for _ in range(40)]
    return pl.concat([base, pl.DataFrame(rows, schema=base.columns, orient="row")])


@pytest.mark.parametrize("seed", [0, 1])
def test_the_detector_sends_a_tight_rings_hangers_on_away_unless_told_not_to(seed):
    events = _tight_ring(seed)
    ring = {f"r{m:02d}" for m in range(8)}
    kept, _ = _groups(events, min_hanger_share=0.0)
    assert ring < set(kept["account_id"]) and any(a.startswith("h") for a in kept["account_id"])
    groups, _ = _groups(events)
    assert set(groups["account_id"]) == ring


def test_a_group_its_hangers_on_leave_with_fewer_than_three_members_is_dropped():
    # Two ring members who met on 50 products and three organic accounts that met them once
    # each: the pair is no group of three.
    x, y, k = np.array([0, 2, 3, 4]), np.array([1, 0, 1, 0]), np.array([50, 1, 1, 1])
    out = _hangers_on(np.zeros(5, dtype=np.int64), x, y, k, np.array([20.0, 20.0, 300.0, 300.0, 300.0]), 0.2)
    assert (out == -1).all()

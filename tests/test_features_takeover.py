"""Takeover waves (features/takeover.py): one new identifier on many old accounts within a month."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
import pytest

from syndicate.features.takeover import (BEFORE_EVENTS_DAYS, LATE_DAYS, PRIOR_GAP_DAYS, SWEEP_DAYS,
                                         TAKEOVER_WAVE_ACCOUNTS, WAVE_DAYS, stranger_waves, takeover_cluster_features,
                                         takeover_waves, wave_strength, with_takeover_wave)

T0 = datetime(2024, 1, 1)


def _accounts(n: int, *, age_days: int = 400) -> pl.DataFrame:
    return pl.DataFrame({"account_id": [f"a{i:02d}" for i in range(n)],
                         "created_at": [T0 - timedelta(days=age_days - i) for i in range(n)]})


def _rows(accounts: list[str], kind: str, value: str, seen: list[datetime]) -> pl.DataFrame:
    return pl.DataFrame({"account_id": accounts, "kind": [kind] * len(accounts), "value": [value] * len(accounts),
                         "seen_at": seen})


_KINDS = ("phone", "device", "device_fp", "card", "ip")


def _own(accounts: pl.DataFrame) -> pl.DataFrame:
    """Each account's own identifier of every kind the tests use, seen when it was made: each
    kind's log reaches back to the sign-ups."""
    n = accounts.height
    return pl.concat([pl.DataFrame({"account_id": accounts["account_id"], "kind": [kind] * n,
                                    "value": [f"own-{kind}-{i}" for i in range(n)], "seen_at": accounts["created_at"]})
                      for kind in _KINDS])


def test_one_new_device_on_eight_old_accounts_in_a_week_is_a_wave():
    accounts = _accounts(10)
    ids = accounts["account_id"].to_list()
    signals = pl.concat([
        _rows(ids[:8], "device_fp", "op-phone", [T0 + timedelta(hours=12 * i) for i in range(8)]),
        _own(accounts),
    ])
    waves = takeover_waves(accounts, signals)
    assert waves["account_id"].to_list() == ids[:8]
    assert waves["takeover_wave"].to_list() == [8] * 8
    assert waves["takeover_group"].to_list() == [ids[0]] * 8


def test_one_operators_values_over_the_same_victims_make_one_group():
    accounts = _accounts(20)
    ids = accounts["account_id"].to_list()
    week = [T0 + timedelta(days=i % 5) for i in range(6)]
    signals = pl.concat([
        _rows(ids[:6], "device_fp", "op-phone", week),
        _rows(ids[3:9], "card", "op-card", week),   # the card reaches three more: one group of nine
        _rows(ids[12:18], "device_fp", "other-op", week),
        _own(accounts),
    ])
    waves = takeover_waves(accounts, signals)
    groups = dict(zip(waves["account_id"], waves["takeover_group"]))
    assert {a: groups[a] for a in ids[:9]} == {a: ids[0] for a in ids[:9]}
    assert {a: groups[a] for a in ids[12:18]} == {a: ids[12] for a in ids[12:18]}


def test_what_is_not_a_wave():
    accounts = _accounts(30)
    ids = accounts["account_id"].to_list()
    signals = pl.concat([
        # a household's new tablet: three accounts (a wave, but a household's size)
        _rows(ids[:3], "device", "tablet", [T0, T0 + timedelta(days=1), T0 + timedelta(days=2)]),
        # an identifier the accounts had from the start: not late
        _rows(ids[3:9], "card", "shared-card", accounts["created_at"][3:9].to_list()),
        # one new value reaching accounts over months: no month holds half of them
        _rows(ids[9:19], "device", "shop-till", [T0 + timedelta(days=20 * i) for i in range(10)]),
        # an IP: a place, which changes for everyone on a network at once
        _rows(ids[19:27], "ip", "10.0.0.1", [T0] * 8),
        # an attribute, not an identifier
        _rows(ids[19:27], "device_model", "pixel", [T0] * 8),
        _own(accounts),
    ])
    waves = takeover_waves(accounts, signals)
    assert waves.select("account_id", "takeover_wave").to_dict(as_series=False) == {
        "account_id": ids[:3], "takeover_wave": [3, 3, 3]}
    assert waves["takeover_group"].is_null().all()  # a household's size: no takeover group


def test_a_place_wave_counts_when_its_accounts_got_new_devices_in_the_same_days():
    """A takeover ring that moves its victims to the operator's IP and a drop address, each on
    a device of its own: the place waves are read because (nearly) every victim got a new
    device within a week of arriving; an office that moves (new IP and address, a corporate
    card the same week) and friends at one hotel (new IP, their own phones) are not."""
    accounts = _accounts(40)
    ids = accounts["account_id"].to_list()
    days = [T0 + timedelta(days=i % 4, hours=i) for i in range(8)]
    signals = pl.concat([
        # the ring: eight victims, an operator IP and a drop address, a new device each
        _rows(ids[:8], "ip", "op-ip", days),
        _rows(ids[:8], "address", "drop", days),
        *[_rows([a], "device_fp", f"emu-{i}", [d + timedelta(days=1)]) for i, (a, d) in enumerate(zip(ids[:8], days))],
        # the office: eight staff, a new IP and address, a corporate card for four of them
        _rows(ids[10:18], "ip", "office-ip", days),
        _rows(ids[10:18], "address", "office", days),
        _rows(ids[10:14], "card", "corporate", days[:4]),
        # the trip: eight friends at a hotel; two of them bought new phones that month
        _rows(ids[20:28], "ip", "hotel", days),
        _rows(ids[20:22], "device_fp", "new-phone", [T0 + timedelta(days=20)] * 2),
        # a device three weeks after the move does not confirm it
        _rows(ids[30:38], "address", "late-move", days),
        *[_rows([a], "device_fp", f"later-{i}", [T0 + timedelta(days=21)]) for i, a in enumerate(ids[30:38])],
        _own(accounts),
    ])
    waves = takeover_waves(accounts, signals)
    groups = waves.filter(pl.col("takeover_group").is_not_null())
    assert groups["account_id"].to_list() == ids[:8]
    assert groups["takeover_group"].unique().to_list() == [ids[0]]
    # the office's card is a (household-sized) wave of its own, as before; its places are not
    office = waves.filter(pl.col("account_id").is_in(ids[10:18]))
    assert office.select("account_id", "takeover_wave").to_dict(as_series=False) == {
        "account_id": ids[10:14], "takeover_wave": [4] * 4}
    assert set(waves["account_id"]) == set(ids[:8]) | set(ids[10:14])
    # without a device kind in the data, no place is read
    no_devices = signals.filter(pl.col("kind") != "device_fp")
    assert set(takeover_waves(accounts, no_devices)["account_id"]) == set(ids[10:14])


def test_a_place_wave_allows_a_victim_whose_new_device_was_missed():
    accounts = _accounts(10)
    ids = accounts["account_id"].to_list()
    days = [T0 + timedelta(days=i % 3) for i in range(8)]
    devices = [_rows([a], "device_fp", f"emu-{i}", [d]) for i, (a, d) in enumerate(zip(ids[:8], days))]
    # six of eight victims with a new device: 0.75, read; five of eight: not
    six = takeover_waves(accounts, pl.concat([_rows(ids[:8], "ip", "op-ip", days), *devices[:6], _own(accounts)]))
    assert six.filter(pl.col("takeover_wave") == 8)["account_id"].to_list() == ids[:8]
    five = takeover_waves(accounts, pl.concat([_rows(ids[:8], "ip", "op-ip", days), *devices[:5], _own(accounts)]))
    assert five.height == 0
    # four accounts moving to one place with new devices: a family's move, not recorded
    four = takeover_waves(accounts, pl.concat([_rows(ids[:4], "ip", "new-home", days[:4]), *devices[:4], _own(accounts)]))
    assert four.height == 0


def test_a_wave_must_hold_half_of_the_values_accounts_and_fit_in_a_month():
    accounts = _accounts(20)
    ids = accounts["account_id"].to_list()
    # six arrive in one week, fourteen over the following years: a busy shared value, not a sweep
    seen = [T0 + timedelta(days=i) for i in range(6)] + [T0 + timedelta(days=40 + 40 * i) for i in range(14)]
    own = _own(accounts)
    assert takeover_waves(accounts, pl.concat([_rows(ids, "device", "kiosk", seen), own])).height == 0
    # the same six alone: a wave, and spread over five weeks too (they were strangers); over two
    # months the best month holds three of them and no week two: none
    six = pl.concat([_rows(ids[:6], "device", "kiosk", seen[:6]), own])
    assert takeover_waves(accounts, six)["takeover_wave"].to_list() == [6] * 6
    weeks = [T0 + timedelta(days=6 * i) for i in range(6)]
    got = takeover_waves(accounts, pl.concat([_rows(ids[:6], "device", "kiosk", weeks), own]))
    assert got["takeover_wave"].to_list() == [6] * 6
    spread = [T0 + timedelta(days=12 * i) for i in range(6)]
    assert takeover_waves(accounts, pl.concat([_rows(ids[:6], "device", "kiosk", spread), own])).height == 0
    # ten over two months: the earliest month with the most arrivals (its edges in), the first six
    ten = [T0 + timedelta(days=6 * i) for i in range(10)]
    got = takeover_waves(accounts, pl.concat([_rows(ids[:10], "device", "kiosk", ten), own]))
    assert got["account_id"].to_list() == ids[:6] and got["takeover_wave"].to_list() == [6] * 6


def test_lateness_is_measured_from_each_accounts_creation():
    accounts = _accounts(6, age_days=LATE_DAYS + 10)
    ids = accounts["account_id"].to_list()
    # accounts made a day apart, one device seen on all at once: 33 days after the first was
    # made, 28 after the last; only the four it reached 30 days or more after creation count
    created = accounts["created_at"].to_list()
    seen = [created[0] + timedelta(days=LATE_DAYS + 3)] * 6
    got = takeover_waves(accounts, pl.concat([_rows(ids, "device", "op", seen), _own(accounts)]))
    late = [a for a, c in zip(ids, created) if (seen[0] - c).days >= LATE_DAYS]
    assert len(late) == 4
    assert got["account_id"].to_list() == late


def test_hubs_and_missing_seen_at_read_nothing():
    accounts = _accounts(8)
    ids = accounts["account_id"].to_list()
    signals = pl.concat([_rows(ids, "device", "00000000", [T0] * 8), _own(accounts)])
    hubs = pl.DataFrame({"kind": ["device"], "value": ["00000000"], "n_accounts": [8]},
                        schema_overrides={"n_accounts": pl.UInt32})
    assert takeover_waves(accounts, signals)["account_id"].to_list() == ids
    assert takeover_waves(accounts, signals, hubs).height == 0
    assert takeover_waves(accounts, signals.drop("seen_at")).height == 0
    assert takeover_waves(accounts, None).height == 0
    # A kind read as a shared property (a coarse fingerprint) is not read either.
    assert takeover_waves(accounts, signals, properties=("device",)).height == 0


def test_the_logs_first_month_is_not_read():
    """A signals table that begins with a log (kept 90 days, say) sees every old account's
    identifiers "arrive" in its first days (an agency's staff phone on all its customers at
    once): those are not read; a sweep a month later is."""
    accounts = _accounts(20)
    ids = accounts["account_id"].to_list()
    start = T0 - timedelta(days=60)
    signals = pl.concat([
        _rows(ids[:10], "device", "agency-phone", [start + timedelta(days=i % 3) for i in range(10)]),
        _rows(ids[10:18], "device", "operator", [start + timedelta(days=LATE_DAYS + 5 + i % 3) for i in range(8)]),
    ])
    assert takeover_waves(accounts, signals)["account_id"].to_list() == ids[10:18]


def test_cluster_and_account_columns():
    waves = pl.DataFrame({"account_id": ["a", "b", "c"], "takeover_wave": [9, 9, 3]},
                         schema_overrides={"takeover_wave": pl.UInt32})
    members = pl.DataFrame({"account_id": ["a", "b", "c", "d", "e"], "cluster_id": ["X", "X", "Y", "Y", "Z"]})
    got = takeover_cluster_features(members, waves).sort("cluster_id")
    assert got["takeover_wave_share"].to_list() == [1.0, 0.0, 0.0]
    assert got["takeover_wave_max"].to_list() == [9, 3, 0]
    table = with_takeover_wave(pl.DataFrame({"account_id": ["a", "c", "z"]}), waves)
    assert table["takeover_wave"].to_list() == [9.0, 3.0, 0.0]
    assert pl.select(wave_strength(pl.Series([0, 4, 6, 8, 20]))).to_series().to_list() == [0.0, 0.0, 0.5, 1.0, 1.0]


@pytest.mark.parametrize(("days", "n"), [(WAVE_DAYS, 3), (SWEEP_DAYS, TAKEOVER_WAVE_ACCOUNTS)])
def test_window_edges_are_inclusive(days, n):
    """A week's wave of three strangers, and a month's of five (a month counts for strangers
    from TAKEOVER_WAVE_ACCOUNTS): the window's last second is in it, the next one is not."""
    accounts = _accounts(n + 1)
    ids = accounts["account_id"].to_list()
    seen = ([T0 + timedelta(hours=i) for i in range(n - 1)]
            + [T0 + timedelta(days=days), T0 + timedelta(days=days, seconds=1)])
    got = takeover_waves(accounts, pl.concat([_rows(ids, "device", "op", seen), _own(accounts)]))
    assert got["account_id"].to_list() == ids[:n]


def test_a_months_wave_takes_its_accounts_and_leaves_the_weeks_others_theirs():
    """One device on seven strangers in its first week and six more a month later: the month
    holding most of them (days 5-35, eight) takes its accounts; the first five keep the week's
    wave of seven."""
    accounts = _accounts(14)
    ids = accounts["account_id"].to_list()
    days = [0, 1, 2, 3, 4, 5, 6, 31, 32, 33, 34, 35, 35]
    got = takeover_waves(accounts, pl.concat([_rows(ids[:13], "device", "op", [T0 + timedelta(days=d) for d in days]),
                                              _own(accounts)]))
    assert got["account_id"].to_list() == ids[:13]
    assert got["takeover_wave"].to_list() == [7] * 5 + [8] * 8
    assert got["takeover_group"].to_list() == [ids[0]] * 13  # one value: one group


def test_three_strangers_in_a_month_are_no_wave():
    """A month's wave counts for strangers from TAKEOVER_WAVE_ACCOUNTS: three or four strangers
    meeting on one value over a month (a recycled number) are chance; within a week, a wave."""
    accounts = _accounts(8)
    ids = accounts["account_id"].to_list()
    spread = [T0 + timedelta(days=10 * i) for i in range(3)]
    recycled = pl.concat([_rows(ids[:3], "phone", "recycled", spread), _own(accounts)])
    assert takeover_waves(accounts, recycled).height == 0
    week = [T0 + timedelta(days=2 * i) for i in range(3)]
    got = takeover_waves(accounts, pl.concat([_rows(ids[:3], "phone", "op-phone", week), _own(accounts)]))
    assert got["takeover_wave"].to_list() == [3] * 3


def test_the_account_scorecard_reads_the_wave():
    from syndicate.risk.account_scorecard import account_scorecard

    table = pl.DataFrame({"n_events": [20.0, 20.0, 20.0], "takeover_wave": [0.0, 4.0, 12.0]})
    p, names, terms = account_scorecard(table)
    wave = names.index("takeover_wave")
    assert list(terms[:, wave]) == [0.0, 0.0, 2.5]
    assert p[0] == p[1] and p[2] > p[0] + 0.4


def test_a_reason_names_a_wave_only_beyond_a_households():
    import numpy as np

    from syndicate.risk.account_reasons import account_reasons
    from syndicate.risk.reasons import explain_feature

    none = {"size": 6, "takeover_wave_share": 0.0, "takeover_wave_max": 4}
    assert explain_feature("takeover_wave_max", none, 0.3, 0.0)[0] is None
    assert explain_feature("takeover_wave_share", none | {"takeover_wave_max": 0}, -0.3, 0.0)[0] is None
    text, fits = explain_feature("takeover_wave_share", {"size": 12, "takeover_wave_share": 0.75,
                                                         "takeover_wave_max": 11}, 0.3, 0.0)
    assert fits and text.startswith("9 of 12 accounts took") and "largest wave 11 accounts" in text
    table = pl.DataFrame({"account_id": ["a", "b"], "takeover_wave": [4.0, 9.0], "n_events": [5.0, 5.0]})
    got = account_reasons(table, ["takeover_wave", "n_events"], np.array([[0.2, 0.0], [0.5, 0.0]]),
                          np.array([0.3, 0.8]))
    assert got[0] == [] and "reached 9 old accounts within a week" in got[1][0]


def test_an_accounts_scorecard_score_does_not_depend_on_the_accounts_scored_with_it():
    # The same accounts scored in tables of different lengths (and the same medians): the same
    # scores to the bit (each row's sum is taken in one order whatever the table's shape;
    # risk/unsupervised.py logistic_of_terms).
    import numpy as np

    from syndicate.risk.account_scorecard import account_scorecard

    rng = np.random.default_rng(3)
    table = pl.DataFrame({"n_events": rng.integers(1, 200, 1000).astype(float),
                          "burst_share": rng.random(1000), "rare_target_share": rng.random(1000),
                          "gap_cv": rng.random(1000) * 2, "takeover_wave": rng.integers(0, 12, 1000).astype(float),
                          "action_surprisal": rng.random(1000) * 3})
    # Medians are the platform's (volumes are judged against them): every row twice keeps them
    # and doubles the rows; a thousand and three rows (three more of the median's own) too.
    once = account_scorecard(table)[0]
    assert (account_scorecard(pl.concat([table, table]))[0][:1000] == once).all()
    assert (account_scorecard(table.head(3))[0] == account_scorecard(table.head(3).vstack(table.head(3)))[0][:3]).all()


def test_a_wave_of_strangers_weighs_from_three_accounts_a_households_from_five():
    """Four old accounts that shared nothing take one new device in a week: an operator's, of
    some strength (0.5) though under the takeover group's five. Four members of a household
    that shared its home IP and card since they signed up take one new tablet: nothing."""
    accounts = _accounts(12)
    ids = accounts["account_id"].to_list()
    week = [T0 + timedelta(days=i) for i in range(4)]
    home = accounts["created_at"].to_list()[6:10]  # each member on the home IP and card from sign-up
    signals = pl.concat([
        _rows(ids[:4], "device_fp", "op-phone", week),
        _rows(ids[6:10], "device_fp", "family-tablet", week),
        _rows(ids[6:10], "ip", "home-ip", home),
        _rows(ids[6:10], "card", "family-card", home),
        _own(accounts),
    ])
    got = takeover_waves(accounts, signals).sort("account_id")
    strength = dict(zip(got["account_id"], got["takeover_strength"]))
    assert [strength[a] for a in ids[:4]] == [0.5] * 4
    assert [strength[a] for a in ids[6:10]] == [0.0] * 4
    assert got["takeover_group"].null_count() == got.height  # under TAKEOVER_WAVE_ACCOUNTS: no group
    assert got["takeover_wave"].to_list() == [4] * 8


def test_ties_within_a_week_before_the_wave_are_the_operators_not_a_households():
    """The operator's card reached the victims three days before its device: no tie from before
    (PRIOR_GAP_DAYS), they stay strangers; a tie seen earlier makes them a household's, and so
    does one of unknown date (it may be older)."""
    start = 1_000_000_000
    waves = pl.DataFrame({"account_id": ["a", "b", "c"], "v": [1, 1, 1], "wave": [3, 3, 3],
                          "t": [start + i * 86400 for i in range(3)]})
    # Each victim's own phone from long before: what they held is known, and tied them to no one.
    own = pl.DataFrame({"account_id": ["a", "b", "c"], "v": [10, 11, 12], "t": [start - 400 * 86400] * 3})
    card = pl.DataFrame({"account_id": ["a", "b", "c"], "v": [2, 2, 2], "t": [start - 3 * 86400] * 3})
    assert stranger_waves(waves, pl.concat([own, card]))["strangers"].to_list() == [True] * 3
    old = card.with_columns(pl.lit(start - (PRIOR_GAP_DAYS + 1) * 86400, dtype=pl.Int64).alias("t"))
    assert stranger_waves(waves, pl.concat([own, old]))["strangers"].to_list() == [False] * 3
    undated = card.with_columns(pl.lit(None, dtype=pl.Int64).alias("t"))
    assert stranger_waves(waves, pl.concat([own, undated]))["strangers"].to_list() == [False] * 3
    # One pair of the three tied (two of three accounts): most were tied, no strangers' wave.
    pair = old.filter(pl.col("account_id") != "c")
    assert stranger_waves(waves, pl.concat([own, pair]))["strangers"].to_list() == [False] * 3
    # The wave's own value seen before does not tie them (it is the wave).
    itself = old.with_columns(pl.lit(1, dtype=pl.Int64).alias("v"))
    assert stranger_waves(waves, pl.concat([own, itself]))["strangers"].to_list() == [True] * 3
    # Nothing known from before (no dated sighting, or one account only): no strangers' wave.
    assert stranger_waves(waves, card)["strangers"].to_list() == [False] * 3
    assert stranger_waves(waves, own.head(1))["strangers"].to_list() == [False] * 3


def test_the_operators_own_earlier_wave_ties_no_one():
    """The operator's card made a wave of its own on the victims three weeks before its device
    did: it is the operator's, not a home they shared; a family tablet's wave a year before is."""
    start = 1_000_000_000
    day = 86400
    device = pl.DataFrame({"account_id": ["a", "b", "c"], "v": [1, 1, 1], "wave": [3, 3, 3],
                           "t": [start + i * day for i in range(3)]})
    card = pl.DataFrame({"account_id": ["a", "b", "c"], "v": [2, 2, 2], "wave": [3, 3, 3],
                         "t": [start - 21 * day + i * day for i in range(3)]})
    own = pl.DataFrame({"account_id": ["a", "b", "c"], "v": [10, 11, 12], "t": [start - 400 * day] * 3})
    held = pl.concat([own, card.select("account_id", "v", "t")])
    got = stranger_waves(pl.concat([device, card]), held).filter(pl.col("v") == 1)
    assert got["strangers"].to_list() == [True] * 3
    tablet = card.with_columns(pl.col("t") - 365 * day)
    held = pl.concat([own, tablet.select("account_id", "v", "t")])
    got = stranger_waves(pl.concat([device, tablet]), held).filter(pl.col("v") == 1)
    assert got["strangers"].to_list() == [False] * 3


def test_wave_strength_of_strangers():
    sizes = pl.Series([2, 3, 4, 5, 6, 8])
    assert pl.select(wave_strength(sizes, pl.lit(True))).to_series().to_list() == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    assert pl.select(wave_strength(sizes, pl.lit(False))).to_series().to_list() == [0.0, 0.0, 0.0, 0.25, 0.5, 1.0]


def test_a_strangers_wave_counts_in_the_cluster_and_its_reasons():
    from syndicate.risk.account_reasons import _takeover
    from syndicate.risk.reasons import explain_feature

    waves = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "takeover_wave": [4, 4, 4, 4],
                          "takeover_strength": [0.5, 0.5, 0.0, 0.0]},
                         schema_overrides={"takeover_wave": pl.UInt32})
    members = pl.DataFrame({"account_id": ["a", "b", "c", "d"], "cluster_id": ["X", "X", "Y", "Y"]})
    got = takeover_cluster_features(members, waves).sort("cluster_id")
    assert got["takeover_wave_share"].to_list() == [1.0, 0.0]
    assert got["takeover_wave_strength"].to_list() == [0.5, 0.0]
    row = {"size": 2, "takeover_wave_share": 1.0, "takeover_wave_max": 4, "takeover_wave_strength": 0.5}
    text, fits = explain_feature("takeover_wave_strength", row, 0.3, 0.0)
    assert fits and "shared no identifier before" in text and "largest wave 4 accounts" in text
    assert explain_feature("takeover_wave_max", row | {"takeover_wave_strength": 0.0,
                                                       "takeover_wave_share": 0.0}, 0.3, 0.0)[0] is None
    assert "4 old accounts most of which had shared no identifier before" in _takeover({"takeover_wave": 4.0,
                                                                          "takeover_strength": 0.5})
    assert _takeover({"takeover_wave": 4.0, "takeover_strength": 0.0}) is None


def test_a_wave_of_strangers_is_no_household_even_when_it_scores_low():
    """Five old accounts on one device: a household when the wave is the size's alone (they
    shared a home before), not when they were strangers (its strength beyond the size's)."""
    from syndicate.risk.archetypes import assign_archetypes

    row = {"cluster_id": "C", "size": 5, "risk_score": 0.3, "evidence_device": 0.8, "evidence_payment": 0.0,
           "evidence_phone": 0.0, "evidence_email": 0.0, "evidence_address": 0.0, "evidence_other": 0.0,
           "evidence_given": 0.0, "evidence_ip": 0.2, "evidence_lockstep": 0.0, "co_target_share": 0.0,
           "created_within_7d": 1, "young_180d_share": 0.0, "takeover_wave_share": 1.0, "takeover_wave_max": 5,
           "lockstep_edge_share": 0.0}
    family = assign_archetypes(pl.DataFrame([row | {"takeover_wave_strength": 0.25}]))
    strangers = assign_archetypes(pl.DataFrame([row | {"takeover_wave_strength": 0.75}]))
    assert family["archetype"].to_list() == ["household"]
    assert strangers["archetype"].to_list() == ["low_risk"]


def test_an_accounts_wave_is_its_strongest_one_size_and_strength_together():
    """An account in a household's wave of four (no strength) and a strangers' wave of three:
    its wave is the strangers' one, three accounts (the reason names that wave, not the four)."""
    from syndicate.features.takeover import finish_waves

    rows = pl.DataFrame({"account_id": ["a"] * 2 + ["b", "c", "d", "e", "f"],
                         "v": [1, 2, 1, 1, 1, 2, 2], "wave": [4, 3, 4, 4, 4, 3, 3],
                         "strangers": [False, True, False, False, False, True, True]})
    got = finish_waves(rows).sort("account_id")
    a = got.row(0, named=True)
    assert (a["takeover_wave"], a["takeover_strength"]) == (3, 0.25)
    assert got.filter(pl.col("account_id") == "b")["takeover_strength"].to_list() == [0.0]


def test_a_wave_of_eight_is_no_household_whatever_the_ties():
    from syndicate.risk.archetypes import assign_archetypes

    row = {"cluster_id": "C", "size": 6, "risk_score": 0.3, "evidence_device": 0.8, "evidence_payment": 0.0,
           "evidence_phone": 0.0, "evidence_email": 0.0, "evidence_address": 0.0, "evidence_other": 0.0,
           "evidence_given": 0.0, "evidence_ip": 0.2, "evidence_lockstep": 0.0, "co_target_share": 0.0,
           "created_within_7d": 1, "young_180d_share": 0.0, "takeover_wave_share": 0.5, "takeover_wave_max": 9,
           "takeover_wave_strength": 1.0, "lockstep_edge_share": 0.0}
    assert assign_archetypes(pl.DataFrame([row]))["archetype"].to_list() == ["low_risk"]


def test_a_wave_spread_over_weeks_counts_only_for_strangers():
    """One new device reaching six old accounts every four days (three weeks in all): an
    operator working through strangers' logins is a wave of six; a family of six that shared a
    home line and a card from the start, each taking the new tablet in turn, is none (no week
    holds three of them, and a month counts only for strangers)."""
    accounts = _accounts(14)
    ids = accounts["account_id"].to_list()
    turns = [T0 + timedelta(days=4 * i) for i in range(6)]
    years = accounts["created_at"][6:12].to_list()  # the home line and card since sign-up
    strangers = pl.concat([_rows(ids[:6], "device", "op-phone", turns), _own(accounts)])
    got = takeover_waves(accounts, strangers)
    assert got["account_id"].to_list() == ids[:6]
    assert got["takeover_wave"].to_list() == [6] * 6 and got["takeover_strength"].to_list() == [1.0] * 6
    assert got["takeover_group"].to_list() == [ids[0]] * 6

    def family(tablet: list[datetime]) -> pl.DataFrame:
        return pl.concat([_rows(ids[6:12], "device", "tablet", tablet), _rows(ids[6:12], "ip", "home", years),
                          _rows(ids[6:12], "card", "family-card", years), _own(accounts)])

    assert takeover_waves(accounts, family(turns)).height == 0
    # The same tablet reaching the family within a week is a household's wave (weighed by size).
    got = takeover_waves(accounts, family([T0 + timedelta(days=i) for i in range(6)]))
    assert got["takeover_wave"].to_list() == [6] * 6 and got["takeover_strength"].to_list() == [0.5] * 6


def test_a_wave_long_before_the_first_event_is_not_read():
    """A company's card rolled out to its staff's old accounts half a year before the activity
    the data holds is an arrangement, not a takeover in progress: read from a month
    (BEFORE_EVENTS_DAYS) before the first event on; without events, always."""
    accounts = _accounts(10)
    ids = accounts["account_id"].to_list()
    signals = pl.concat([
        _rows(ids[:8], "card", "corporate-card", [T0 + timedelta(hours=12 * i) for i in range(8)]),
        _own(accounts),
    ])
    assert takeover_waves(accounts, signals)["account_id"].to_list() == ids[:8]
    assert takeover_waves(accounts, signals, first_event=T0 + timedelta(days=180)).height == 0
    # A month before the first event still counts: an operator warms the accounts it took first.
    read = takeover_waves(accounts, signals, first_event=T0 + timedelta(days=BEFORE_EVENTS_DAYS))
    assert read["account_id"].to_list() == ids[:8]
    assert takeover_waves(accounts, signals, first_event=T0 - timedelta(days=30))["takeover_wave"].to_list() == [8] * 8


def test_the_operators_own_card_ties_no_one_though_its_wave_came_too_early_to_be_read():
    """The bound comes after the strangers are judged. An operator put its card on four victims
    25 days before its device reached them (its own earlier wave: it ties no one); the events
    begin 20 days after the device's wave, so the card's wave is not read but the device's is,
    as a wave of strangers (0.5 at four; a household's four would weigh nothing)."""
    accounts = _accounts(4, age_days=900)
    ids = accounts["account_id"].to_list()
    signals = pl.concat([
        _rows(ids, "card", "op-card", [T0 - timedelta(days=25, hours=-i) for i in range(4)]),
        _rows(ids, "device_fp", "op-phone", [T0 + timedelta(hours=12 * i) for i in range(4)]),
        _own(accounts),
    ])
    assert takeover_waves(accounts, signals)["takeover_strength"].to_list() == [0.5] * 4
    waves = takeover_waves(accounts, signals, first_event=T0 + timedelta(days=20))
    assert waves["account_id"].to_list() == ids
    assert waves["takeover_strength"].to_list() == [0.5] * 4

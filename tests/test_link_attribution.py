"""Attribution signals (link/attribution.py): the account an account names once (an invite, a
referral) read from the events as a shared identifier; and the review-ring detector leaving
events on accounts to them ([lockstep] rare_account_targets)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import polars as pl

from syndicate.config import Config
from syndicate.contract import validate
from syndicate.encoding import encode_events
from syndicate.link.attribution import attribution_signals, target_accounts
from syndicate.link.codes import AccountIndex
from syndicate.pipeline import cluster, link

T0 = datetime(2026, 3, 1)


def _accounts(ids: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"account_id": ids, "created_at": [T0 - timedelta(hours=1)] * len(ids)})


def _events(rows: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame([(a, act, t, T0 + timedelta(minutes=m)) for a, act, t, m in rows],
                        schema=["account_id", "action", "target_id", "ts"], orient="row")


def _signals(events: pl.DataFrame, ids: list[str], share: float = 0.9, *, created: datetime = T0
             ) -> tuple[pl.DataFrame, dict]:
    """Attributions of ``events``, every account created at ``created``."""
    index = AccountIndex.of(pl.Series(ids))
    return attribution_signals(encode_events(events, index.ids), index, min_single_share=share,
                               created_us=np.full(len(ids), created.timestamp() * 1e6))


def test_an_invite_chain_shares_values_and_follows_of_many_accounts_are_not_read():
    ids = [f"u{i}" for i in range(12)]
    # u1..u5 each redeem the invite of the one before; everyone follows three accounts.
    rows = [(f"u{i}", "invite_redeem", f"u{i - 1}", i) for i in range(1, 6)]
    rows += [(a, "follow", f"u{(k + j) % 12}", 100 + j) for k, a in enumerate(ids) for j in (1, 2, 3)]
    rows += [(a, "like", "post-1", 200) for a in ids]  # targets that are no account
    rows, info = _signals(_events(rows), ids)
    assert set(info["actions"]) == {"invite_redeem"}
    assert info["actions"]["invite_redeem"] == {"accounts": 5, "single_share": 1.0, "signup_share": 1.0}
    # Each account shares its referrer's value; the referrer holds its own.
    by_value = rows.group_by("value").agg(pl.col("account_id").sort()).sort("value")
    assert by_value.rows() == [(f"u{i}", [f"u{i}", f"u{i + 1}"]) for i in range(5)]
    assert set(rows["kind"]) == {"referred_by"}


def test_an_action_naming_several_accounts_per_actor_is_a_relation_not_an_attribution():
    ids = [f"u{i}" for i in range(10)]
    rows = [(f"u{i}", "send", f"u{(i + j) % 10}", j) for i in range(10) for j in (1, 2)]
    rows, info = _signals(_events(rows), ids)
    assert rows.is_empty() and info["actions"] == {}
    # Above 1 nothing is read at all; a share the action reaches reads it.
    assert _signals(_events([("u1", "invite", "u0", 1)]), ids, share=1.01)[0].is_empty()
    assert _signals(_events([("u1", "invite", "u0", 1)]), ids, share=1.0)[0].height == 2


def test_an_action_done_to_one_account_long_after_sign_up_is_no_attribution():
    # Reports: each reporter reports one profile, months after signing up (a dating app's
    # reporters of a scam profile). Invites: at sign-up.
    ids = [f"u{i}" for i in range(12)]
    reports = [(f"u{i}", "report", "u0", 60 * 24 * 90 + i) for i in range(1, 12)]
    invites = [(f"u{i}", "invite", f"u{i - 1}", 30 + i) for i in range(1, 6)]
    rows, info = _signals(_events(reports + invites), ids, created=T0)
    assert list(info["actions"]) == ["invite"]
    assert set(rows["value"]) == {f"u{i}" for i in range(5)}
    # The same reports within a day of sign-up would read as attributions.
    early = [(a, act, t, m % (60 * 20)) for a, act, t, m in reports]
    assert "report" in _signals(_events(early), ids, created=T0)[1]["actions"]


def test_targets_are_matched_to_account_ids_exactly():
    ids = ["7", "8", "9"]
    index = AccountIndex.of(pl.Series(ids))
    events = _events([("7", "x", "8", 1), ("8", "x", "08", 2), ("9", "x", "sku-9", 3), ("9", "x", "9", 4)])
    enc = encode_events(events, index.ids)
    named = target_accounts(enc, index)
    # Per target code: "8" and "9" are accounts 1 and 2; "08" and "sku-9" are no account ids.
    assert sorted(named.tolist()) == [-1, -1, 1, 2]


def _ring_among_strangers() -> dict[str, pl.DataFrame]:
    """Eight bonus accounts in a referral chain (each redeems the code of the one before),
    sharing nothing else, among forty strangers who follow each other; one proxy IP each."""
    ring = [f"b{i}" for i in range(8)]
    others = [f"o{i:02d}" for i in range(40)]
    rows = [(ring[i], "invite_redeem", ring[i - 1], 10 * i) for i in range(1, 8)]
    rows += [(o, "follow", others[(k + j) % 40], 500 + j) for k, o in enumerate(others) for j in (1, 5, 9)]
    signals = pl.DataFrame({"account_id": ring + others, "kind": "ip",
                            "value": [f"ip{i}" for i in range(len(ring) + len(others))]})
    return {"accounts": _accounts(ring + others), "events": _events(rows), "signals": signals}


def test_a_referral_chain_sharing_no_identifier_is_one_cluster():
    dataset = validate(_ring_among_strangers())
    links = link(dataset, Config())
    assert "referred_by" in links.edges.columns
    assert links.info["attribution"]["actions"] == {"invite_redeem": {"accounts": 7, "single_share": 1.0, "signup_share": 1.0}}
    members = cluster(links.edges, Config(), dataset=dataset)[0]
    ring = members.filter(pl.col("account_id").str.starts_with("b"))
    assert ring["cluster_id"].n_unique() == 1 and ring.height == 8
    assert members.filter(pl.col("cluster_id") == ring["cluster_id"][0]).height == 8
    # Off: no cluster.
    off = Config().replace(identity=Config().identity.__class__(attribution_min_single_share=1.5))
    assert "referred_by" not in link(dataset, off).edges.columns


def test_a_signal_kind_named_like_the_attributions_keeps_its_own_column():
    tables = _ring_among_strangers()
    tables["signals"] = pl.concat([tables["signals"], pl.DataFrame(
        {"account_id": ["o01", "o02"], "kind": ["referred_by", "referred_by"], "value": ["x", "x"]})])
    edges = link(validate(tables), Config()).edges
    assert {"referred_by", "referred_by_events"} <= set(edges.columns)


def family_paying_each_other() -> dict[str, pl.DataFrame]:
    """Five family members split bills: on each of twelve evenings over six weeks one of them
    pays and the others send their share within half an hour; four hundred strangers buy
    Zipf-popular products; and a referral chain of eight (as :func:`_ring_among_strangers`)."""
    family = [f"f{i}" for i in range(5)]
    crowd = [f"c{i:03d}" for i in range(400)]
    rng = np.random.default_rng(3)
    rows = [(a, "send", family[k % 5], 60 * 24 * 3 * k + int(rng.integers(0, 30)))
            for k in range(12) for a in family if a != family[k % 5]]
    rows += [(c, "buy", f"sku{int(min(rng.zipf(1.5), 800))}", int(rng.integers(0, 60 * 24 * 40)))
             for c in crowd for _ in range(10)]
    ring = _ring_among_strangers()
    return {"accounts": pl.concat([_accounts(family + crowd), ring["accounts"]]),
            "events": pl.concat([_events(rows), ring["events"]]), "signals": ring["signals"]}


def test_a_family_paying_each_other_is_no_review_ring_unless_account_targets_are_read():
    # Each payee is a target only the family touches, met in bursts: the review-ring
    # detector's signature when accounts count as targets.
    dataset = validate(family_paying_each_other())
    family = {f"f{i}" for i in range(5)}
    on = Config().replace(lockstep=Config().lockstep.__class__(rare_account_targets=True))
    read = link(dataset, on).edges
    linked = read.filter((pl.col("rare_coaction") > 0) & pl.col("account_a").is_in(list(family)))
    assert set(linked["account_a"]) | set(linked["account_b"]) == family
    default = link(dataset, Config()).edges
    assert "rare_coaction" not in default.columns or default.filter(pl.col("rare_coaction") > 0).is_empty()


def test_a_runs_case_and_features_show_the_referral_chain(tmp_path):
    """`run` then `export-case`: the chain's cluster counts its shared referrer among its
    identifiers and the case lists the `referred_by` values that bind it (masked)."""
    from syndicate.cases import export_cases
    from syndicate.pipeline import run_to_folder

    data = tmp_path / "data"
    data.mkdir()
    for name, frame in _ring_among_strangers().items():
        frame.write_parquet(data / f"{name}.parquet")
    run = tmp_path / "run"
    run_to_folder(data, run, quiet=True)
    members = pl.read_parquet(run / "members.parquet")
    ring = members.filter(pl.col("account_id") == "b3")["cluster_id"].item()
    clusters = pl.read_parquet(run / "clusters.parquet").filter(pl.col("cluster_id") == ring)
    assert clusters["size"].item() == 8
    assert clusters["evidence_other"].item() > 0.5  # what binds it: an identifier of no named family
    (folder,) = export_cases(run, cluster_ids=[ring], out_dir=tmp_path / "cases")
    evidence = pl.read_csv(folder / "evidence.csv")
    kinds = set(evidence["kind"])
    assert "referred_by" in kinds, evidence
    shown = evidence.filter(pl.col("kind") == "referred_by")["value"].to_list()
    assert shown and not any(v in {f"b{i}" for i in range(8)} for v in shown)  # masked

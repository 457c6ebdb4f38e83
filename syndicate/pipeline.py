"""The pipeline: validate → link → cluster → features → rank → accounts → write.

``run(dataset)`` is pure (frames in, a :class:`RunResult` out); ``run_to_folder`` adds the
reading of a data folder and the atomic writing of a run folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import platform
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import polars as pl

import syndicate
from syndicate.asof import first_event
from syndicate.cluster.community import split_large_components
from syndicate.cluster.components import strong_components
from syndicate.cluster.fringe import PERSONAL, cut_bridges, peel_hangers, shed_appendages
from syndicate.cluster.operators import carve_operators
from syndicate.cluster.density import start_behaviour_clusters
from syndicate.cluster.coaction import coaction_groups, group_coaction_targets, slow_coaction_groups
from syndicate.cluster.reconcile import absorb_coaction, add_slow_groups, reconcile
from syndicate.cluster.lineage import assign_cluster_ids, content_cluster_ids
from syndicate.cluster.rings import joined_found_by, rejoin_rings
from syndicate.cluster.takeover import carve_takeover, join_units, merge_units, taken_accounts
from syndicate.config import Config, IdentityConfig, check_config
from syndicate.contract import RUN_OWNED, Dataset, replace_owned_tables
from syndicate.cpu import numpy_cpu_paths
from syndicate.features.account_table import account_feature_table
from syndicate.encoding import EncodedEvents
from syndicate.features.accounts import account_behaviour_features, events_encoding
from syndicate.features.clusters import (SLOW_COACTION, behaviour_counts, cluster_features, co_rating_features,
                                         member_behaviour_features, reference_time)
from syndicate.features.action_mix import action_mix, action_mix_from_events
from syndicate.features.delivery import group_burst_share
from syndicate.features.identity import hub_bound_kinds, whole_signals
from syndicate.features.member_events import member_events
from syndicate.features.takeover import takeover_cluster_features, takeover_waves, with_takeover_wave
from syndicate.features.timing import clock_unit, events_clock_s
from syndicate.link.attribution import (attribution_kind, attribution_signals, created_micros, target_accounts,
                                       weigh_attributions, with_attributions)
from syndicate.link.codes import AccountIndex, with_ids
from syndicate.link.combine import combine_edges
from syndicate.link.given import given_links, weigh_given
from syndicate.link.identity import SMALL_VALUE_ACCOUNTS, identity_links, small_bound_kinds
from syndicate.link.lockstep import considered_actions, lockstep_links
from syndicate.link.rating_bursts import rated_events, rating_burst_links
from syndicate.link.rare_coaction import action_count, binding_links, event_codes, outside_place_ties, rare_coaction
from syndicate.masking import mask_column
from syndicate.memory import release_freed_memory
from syndicate.progress import Progress
from syndicate.risk.accounts import AccountScores
from syndicate.risk.accounts import score_accounts as score_account_table
from syndicate.risk.archetypes import assign_archetypes, window_words
from syndicate.risk.model import ACCOUNT_PREFIX, CLOCK_KEY, RiskModel, load_models
from syndicate.risk.pseudo_labels import MEMBER_SCORE, STAND_IN, member_behaviour_reason, stand_in_reason
from syndicate.risk.reasons import top_reasons_series
from syndicate.risk.score import Scores, label_free_risk, score_clusters
from syndicate.sorted_runs import marked, run_starts

# One worker thread for a stage's independent side job (see `cluster`).
_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="syndicate")

HEAD_COLUMNS = ["cluster_id", "size", "risk_score", "rank", "archetype", "reasons", "found_by",
                "model_score", "score_source"]


@dataclass
class Links:
    """Output of the link stage: the canonical edge table and what was capped.

    ``edges`` is the whole edge table under the polars engine; an engine that keeps the table
    elsewhere (Spark) holds here only the edges the per-cluster stages read — see
    :meth:`syndicate.engines.Engine.local_links` — and ``info["edges"]`` counts them all."""

    edges: pl.DataFrame
    hubs: pl.DataFrame
    info: dict[str, Any] = field(default_factory=dict)
    # Lockstep bursts (burst, target, account codes) and the id of each code: the co-action
    # group stage tests candidate groups on them.
    bursts: pl.DataFrame | None = None
    burst_account_ids: pl.Series | None = None
    # The account codes of the edge table (UInt32 account_a, account_b, row by row) and the
    # table they were made for: stages that join or count on accounts use them instead of the
    # ids (through `edge_codes`, which re-codes an edge table that was replaced since).
    codes: pl.DataFrame | None = None
    index: AccountIndex | None = None
    codes_of: pl.DataFrame | None = field(default=None, repr=False)
    # Set when ``bursts`` holds only the rows of some accounts (the Spark engine collects those
    # of accounts with an edge): ``memberships`` and ``accounts`` of all bursts.
    burst_totals: dict[str, int] | None = None
    # Accounts whose new identifiers arrived in a takeover wave (features/takeover.py):
    # ``account_id, takeover_wave, takeover_strength, takeover_group``; None when the stage did
    # not read them.
    takeover: pl.DataFrame | None = None
    # Each account code's review-ring detector group (-1: none; ``rare_groups``), or None when
    # the detector did not run or found none: the cluster stage keeps its groups whole.
    rare_groups: np.ndarray | None = field(default=None, repr=False)
    # Signal rows the link stage read from the events (link/attribution.py: an account and
    # the account it names once, sharing a "referred_by" value), or None: the cluster features
    # count them with the signals'.
    attribution: pl.DataFrame | None = None
    # Signal kinds read as shared properties whatever their names: the config's
    # (``identity.property_kinds``) and those the link stage found on hubs (``read_kinds``).
    property_kinds: tuple[str, ...] = ()
    # The slow co-action pass's groups (``SlowGroups``), or None when it did not run.
    slow: "SlowGroups | None" = None

    def edge_codes(self) -> pl.DataFrame | None:
        """``account_a, account_b`` codes row by row with ``edges`` (None without an index).

        Codes are tied to the very table they were made for: after ``edges`` is filtered,
        sorted or replaced (``dataclasses.replace``), they are made again from the ids.
        """
        if self.index is None:
            return None
        if self.codes is not None and self.codes_of is self.edges:
            return self.codes
        try:
            return pl.DataFrame({side: pl.Series(side, self.index.codes(self.edges[side]), dtype=pl.UInt32)
                                 for side in ("account_a", "account_b")})
        except ValueError:  # ids outside the index: the stages fall back to the ids
            return None

    def coded_edges(self) -> pl.DataFrame:
        """The edge table keyed by account codes (the ids when there are no codes)."""
        codes = self.edge_codes()
        return self.edges if codes is None else self.edges.with_columns(codes)

    def __repr__(self) -> str:
        # A summary: the default repr printed the hub list's identifier values unmasked.
        kinds = [c for c in self.edges.columns if c not in ("account_a", "account_b", "weight")
                 and self.edges.schema[c].is_float()]
        return (f"Links(edges={self.info.get('edges', self.edges.height):,}, evidence kinds {', '.join(kinds)}; "
                f"hubs={self.hubs.height:,} identifier values shared too widely to link anyone; "
                "see .edges, .hubs, .info)")


@dataclass
class SlowGroups:
    """The co-action groups of the slow lockstep pass (``[lockstep] slow_window_seconds``), made
    at the link stage's end so that their members' events stay with the per-cluster stages
    (``reachable_accounts``); the cluster stage makes clusters of their members that no other
    stage put in one."""

    # ``account_id, group, group_targets`` (coaction.coaction_groups).
    groups: pl.DataFrame
    # The slow bursts' rows of the groups' members only (``burst, target, account`` codes of the
    # dataset's index, ``size``: the burst's accounts), for the features' group co-action count.
    bursts: pl.DataFrame
    # ``memberships``, ``accounts`` and ``bursts`` of all the slow bursts.
    totals: dict[str, int]

    @classmethod
    def of(cls, groups: pl.DataFrame, bursts: pl.DataFrame, index: AccountIndex,
           totals: dict[str, int] | None = None) -> "SlowGroups":
        """From the pass's groups and burst rows (all of them, or with ``size`` and ``totals``
        when an engine collected only some)."""
        member = np.zeros(len(index.ids), dtype=bool)
        member[index.codes(groups["account_id"])] = True
        account = bursts["account"].to_numpy()
        keep = member[account]
        if totals is None:
            # Each kept row's burst size, gathered for the kept rows only: no copy of every
            # burst row with a size column (tens of millions of rows at an hour's window).
            burst = bursts["burst"].to_numpy()
            starts = run_starts(burst)
            sizes = np.diff(np.r_[starts, len(burst)])
            run = np.searchsorted(starts, np.flatnonzero(keep), side="right") - 1
            totals = {"memberships": len(burst), "bursts": len(sizes),
                      "accounts": int(np.count_nonzero(np.bincount(account, minlength=len(index.ids))))}
            kept = bursts.filter(pl.Series(keep)).with_columns(size=pl.Series(sizes[run], dtype=pl.Int64))
        else:
            kept = bursts.filter(pl.Series(keep))
        return cls(groups=groups.select("account_id", "group", "group_targets"), bursts=kept, totals=totals)


@dataclass
class RunResult:
    members: pl.DataFrame
    clusters: pl.DataFrame
    edges: pl.DataFrame
    hubs: pl.DataFrame
    manifest: dict[str, Any]
    model: RiskModel | None = None
    # previous run's clusters that no cluster continues; alerts fired (see syndicate.alerts)
    dissolved: pl.DataFrame | None = None
    alerts: list[Any] = field(default_factory=list)
    # every input account once, scored (None only for runs written before accounts.parquet)
    accounts: pl.DataFrame | None = None
    account_model: RiskModel | None = None
    # things the person running it should know (timestamps out of range, history deferred)
    warnings: list[str] = field(default_factory=list)
    # the one of ``warnings`` that is about a given model (``--model``) trained on a finer clock
    # (:func:`model_clock_warning`), or None: its remedy is the run's, so ``score-new`` leaves it out
    model_warning: str | None = None
    # Writes the whole edges.parquet to the path it is given, when ``edges`` holds only part of
    # the edge table (the Spark engine writes it from the cluster); None: ``edges`` is all of it.
    write_edges: Any = field(default=None, repr=False)
    # The run folder it was written to or read from (None in memory only): an evaluation of it
    # may be written into that folder's evaluation/ only.
    run_dir: Path | None = None

    def tables(self) -> dict[str, pl.DataFrame]:
        tables = {"members": self.members, "clusters": self.clusters, "edges": self.edges}
        if self.accounts is not None:
            tables["accounts"] = self.accounts
        return tables

    def _headline(self) -> dict[str, Any]:
        threshold = ((self.manifest.get("config") or {}).get("risk") or {}).get("high_risk_threshold", 0.7)
        high = self.clusters.filter(pl.col("risk_score") >= threshold) if self.clusters.height else self.clusters
        return {"clusters": self.clusters.height, "accounts in clusters": self.members.height,
                "high-risk clusters": high.height, "threshold": threshold,
                "links": (self.manifest.get("link") or {}).get("edges", self.edges.height),
                "alerts": len(self.alerts),
                "score source": (self.manifest.get("risk") or {}).get("score_source", "?"),
                "run": self.manifest.get("run_name")}

    def __repr__(self) -> str:
        # A short summary: the frames themselves print thousands of characters.
        h = self._headline()
        run = f"run={h['run']!r}, " if h["run"] else ""
        return (f"RunResult({run}clusters={h['clusters']:,}, high_risk={h['high-risk clusters']:,} "
                f"(risk >= {h['threshold']:.2f}), accounts_in_clusters={h['accounts in clusters']:,}, "
                f"links={h['links']:,}, alerts={h['alerts']}, score_source={h['score source']!r}; "
                f"see .clusters, .members, .edges, .manifest)")

    def _repr_html_(self) -> str:
        """Jupyter: the headline figures and the top clusters with their reasons."""
        from syndicate.report.embed import escape

        h = self._headline()
        facts = "".join(f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>"
                        for k, v in h.items() if k != "threshold" and v is not None)
        rows = "".join(
            f"<tr><td>{r['rank']}</td><td><code>{escape(r['cluster_id'])}</code></td><td>{r['size']:,}</td>"
            f"<td>{r['risk_score']:.2f}</td><td>{escape(r['archetype'])}</td>"
            f"<td>{'<br>'.join(escape(x) for x in (r['reasons'] or [])[:3])}</td></tr>"
            for r in self.clusters.sort("rank").head(5).iter_rows(named=True)) if self.clusters.height else ""
        top = ("<table><thead><tr><th>rank</th><th>cluster</th><th>size</th><th>risk</th><th>archetype</th>"
               f"<th>reasons</th></tr></thead><tbody>{rows}</tbody></table>") if rows else ""
        return (f"<div><b>RunResult</b> · high risk = risk score ≥ {h['threshold']:.2f}"
                f"<table>{facts}</table>{top}<small>.clusters, .members, .edges, .manifest</small></div>")


def link(dataset: Dataset, config: Config, *,
         encoded: EncodedEvents | Callable[[], EncodedEvents] | None = None, ids: bool = True) -> Links:
    """All account–account evidence in one canonical edge table (without the rare co-action
    groups' ties by places alone to accounts outside them: ``rare_coaction.outside_place_ties``).

    Every source works on the dataset's integer account codes (``Dataset.account_index``);
    the combined table gets its ids once, at the end. ``encoded`` is the events as integer
    codes (:func:`events_encoding`), or a function that makes them, when the caller keeps
    them for the behaviour stage too; a function is called after the identity links, so that
    the codes and the identity stage's working set are never held at once. With ``ids=False``
    the edges stay keyed by the UInt32 codes until :func:`with_edge_ids` (the polars engine
    gives them their ids after the behaviour stage: at 1M accounts the two id columns of 13M
    edges are 0.4 GB that the link stage's end and the behaviour stage's peak do without).
    """
    index = dataset.account_index
    tables, info, bursts, takeover, attributed, on_accounts = [], {}, None, None, None, None
    hubs = pl.DataFrame(schema={"kind": pl.String, "value": pl.String, "n_accounts": pl.UInt32})
    if dataset.signals is not None and dataset.signals.height:
        identity = identity_links(dataset.signals, config=config.identity, index=index)
        # Kinds the identity stage read as properties (a coarse fingerprint named "ua_fp")
        # are read so by every stage after it.
        config = with_kinds_read(config, identity.config, identity.hub_shares, info, identity.small_shares)
        tables.append(identity.pairs)
        hubs = identity.hubs
        takeover = takeover_waves(dataset.accounts, dataset.signals, hubs, properties=config.identity.property_kinds,
                                  first_event=first_event(dataset.timestamps))
        info["takeover_wave_accounts"] = takeover.height
        info["identity_pairs"] = identity.pairs.height
        info["shared_values"] = identity.n_shared_values
        if identity.churn:
            info["churn"] = identity.churn
        release_freed_memory()  # each source's temporaries go before the next (syndicate/memory.py)
    has_events = dataset.events is not None and dataset.events.height
    with_events = config.lockstep.enabled and has_events
    if has_events and (with_events or attributions_read(config)):
        encoded = encoded() if callable(encoded) else encoded
        if encoded is None and (attributions_read(config) or rare_detector_runs(config, dataset.events.height)
                                or (with_events and slow_pass_runs(config, 0, dataset.events.height))):
            encoded = events_encoding(dataset.events, index.ids)  # made once for every events source
    if with_events:
        lockstep = lockstep_links(dataset.events, config=config.lockstep, seed=config.seed, index=index,
                                  encoded=encoded)
        tables.append(lockstep.pairs)
        info["lockstep"] = lockstep.info
        bursts = lockstep.bursts
        release_freed_memory()
    if has_events and attributions_read(config):
        kinds = [] if dataset.signals is None else dataset.signals["kind"].unique().to_list()
        on_accounts = target_accounts(encoded, index)
        attributed, info["attribution"] = attribution_signals(
            encoded, index, min_single_share=config.identity.attribution_min_single_share,
            created_us=created_micros(dataset.accounts, index), signup_days=config.identity.attribution_signup_days,
            kind=attribution_kind(kinds), target_account=on_accounts)
        weighed, hubs = weigh_attributions(attributed, config.identity, index, hubs)
        if weighed is None:
            attributed = None
        else:
            tables.append(weighed.pairs)
    if dataset.links is not None and dataset.links.height:
        links_table, info["given_social_kinds"] = weigh_given(dataset.links, dataset.accounts.height, config.identity)
        given = given_links(links_table)
        tables.append(given.with_columns(account_a=pl.Series(index.codes(given["account_a"]), dtype=pl.UInt32),
                                         account_b=pl.Series(index.codes(given["account_b"]), dtype=pl.UInt32)))
    rare_group = None
    if with_events and rare_detector_runs(config, dataset.events.height):
        rare, info["rare_coaction"] = _rare_links(encoded, index, tables, config, on_accounts)
        if rare is not None:
            rare_group = rare_groups(rare, len(index.ids))
            tables.append(rare.drop("rare_group"))
    elif with_events and config.lockstep.rare_enabled:
        info["rare_coaction"] = rare_detector_skipped(config, dataset.events.height)
    if with_events and config.lockstep.rating_bursts:
        # After the review-ring detector, which reads the other sources' links as binding.
        against, info["rating_bursts"] = rating_burst_links(
            dataset.events, index, config,
            ties=lambda codes: ties_of(codes, len(index.ids),
                                       lambda member: _binding_touching(tables, member, config, places=True)))
        if against is not None:
            tables.append(against)
    pairs, any_source = combine_edges(*tables), bool(tables)
    # The per-source tables (at 1M accounts 0.4 GB) go before the ids are gathered.
    tables.clear()
    identity = lockstep = None
    release_freed_memory()
    # A rare co-action group's ties by places alone to accounts outside it leave the edges
    # (rare_coaction.outside_place_ties: a ring on households' residential-proxy IPs); after
    # the per-source tables are gone, so that the filtered copy does not stack on them.
    if rare_group is not None:
        cut = outside_place_ties(pairs, pairs["account_a"].to_numpy(), pairs["account_b"].to_numpy(), rare_group,
                                 config.identity.property_kinds)
        if cut.any():
            pairs = pairs.filter(pl.Series(~cut))
            info["place_ties_cut"] = int(cut.sum())
            release_freed_memory()
    slow = None
    # The events' clock is read only where a branch needs it: when the pass could run (a pass
    # on, wider than the short window), or when their number stopped it. ``encoded`` is None
    # there only without attributions or the review-ring detector (then the times are read).
    n_events = dataset.events.height if has_events else 0

    def clock_s() -> int:
        # One pass over the times; where the number of events stopped the pass (past
        # slow_max_events, 12M by default) a few tenths of a second, and on the API's path
        # without the codes a copy of ``ts`` (8 bytes an event) while it lasts.
        t = encoded.t if encoded is not None else dataset.events["ts"].dt.epoch("us").to_numpy()
        return events_clock_s(t, at_least=config.lockstep.clock_seconds)

    if with_events and slow_pass_runs(config, 0, n_events) and slow_pass_runs(config, clock_s(), n_events):
        # After the per-source tables are gone: the slow pass's pairs and bursts are the link
        # stage's largest after the edges, and only its groups' burst rows are kept.
        slow, info["slow_lockstep"] = _slow_groups(dataset, encoded, index, pairs, config)
    elif (with_events and (skipped := slow_pass_skipped(config, n_events))
          and slow_pass_runs(config, clock_s())):
        # Recorded to the hour or the day, the events' clock, not their number, keeps the pass
        # out (raising slow_max_events would not run it): then no record says otherwise.
        info["slow_lockstep"] = skipped
    edges = with_ids(pairs, index) if any_source and ids else pairs
    info["edges"] = edges.height
    return Links(edges=edges, hubs=hubs, info=info, bursts=bursts,
                 burst_account_ids=index.ids if bursts is not None else None,
                 codes=pairs.select("account_a", "account_b") if any_source else None, index=index,
                 codes_of=edges, takeover=takeover, property_kinds=config.identity.property_kinds,
                 rare_groups=rare_group, attribution=attributed, slow=slow)


def slow_pass_runs(config: Config, clock_s: int, n_events: int = 0) -> bool:
    """Whether the link stage makes the slow co-action groups (``[lockstep]
    slow_window_seconds``): on, wider than the short window, the events' clock (``clock_s``)
    finer than it (recorded to the hour or the day, both windows see the same buckets and the
    slow pass would find the short one's groups again), and ``n_events`` within
    ``slow_max_events`` (see :func:`slow_pass_skipped`)."""
    lockstep = config.lockstep
    return (config.cluster.coaction_enabled and lockstep.enabled
            and lockstep.slow_window_seconds > lockstep.window_seconds and clock_s < lockstep.slow_window_seconds
            and (lockstep.slow_max_events == 0 or n_events <= lockstep.slow_max_events))


def slow_pass_skipped(config: Config, n_events: int) -> dict | None:
    """The manifest's record of a slow co-action pass left out for the events' number, with the
    warning, or None when the number did not stop it."""
    cap = config.lockstep.slow_max_events
    if not cap or n_events <= cap or not slow_pass_runs(config, 0):
        return None
    words = window_words(config.lockstep.slow_window_seconds)
    span = {"hour": "an hour", "minute": "a minute"}.get(words, words)
    return {"skipped": (f"the slow co-action pass did not run: {n_events:,} events are more than [lockstep] "
                        f"slow_max_events = {cap:,}; farms that spread each job over {span} are not found. "
                        "Raise it (0: no limit) or run on a slice of the events.")}


def stale_slow_skip(info: dict, config: Config, clock_s: int) -> bool:
    """Whether the link stage's ``info`` records a slow pass skipped for the number of events
    (:func:`slow_pass_skipped`) that the events' clock (``clock_s``) keeps out anyway: a record
    that says raising slow_max_events would run a pass no number runs."""
    return "skipped" in info.get("slow_lockstep", {}) and not slow_pass_runs(config, clock_s)


def slow_lockstep(config: Config) -> Any:
    """The lockstep settings of the slow pass: its window and bucket cap."""
    lockstep = config.lockstep
    return dataclasses.replace(lockstep, window_seconds=lockstep.slow_window_seconds,
                               bucket_cap=lockstep.slow_bucket_cap)


def _slow_groups(dataset: Dataset, encoded: EncodedEvents, index: AccountIndex, pairs: pl.DataFrame,
                 config: Config) -> tuple["SlowGroups", dict[str, Any]]:
    """The slow lockstep pass and its co-action groups (:class:`SlowGroups`) over the
    combined edges ``pairs`` (keyed by codes), and what the pass counted."""
    slow = lockstep_links(dataset.events, config=slow_lockstep(config), seed=config.seed, index=index, encoded=encoded)
    groups = slow_coaction_groups(pairs, slow.pairs, slow.bursts, index.ids, config=config.cluster, seed=config.seed)
    result = SlowGroups.of(groups, slow.bursts, index)
    info = slow.info | {"bursts": result.totals["bursts"], "burst_memberships": result.totals["memberships"],
                        "groups": groups["group"].n_unique(), "group_accounts": groups.height}
    del slow
    release_freed_memory()
    return result, info


def with_kinds_read(config: Config, identity: IdentityConfig, hub_shares: dict[str, float],
                    info: dict[str, Any], small_shares: dict[str, float | None] | None = None) -> Config:
    """``config`` with the identity settings the identity stage weighed with (``identity``: the
    kinds it read as properties added, ``link.identity.read_kinds``); each kind it added and
    its share of rows on hub values (``hub_shares``) go into ``info["kinds_read_as_properties"]``
    (the manifest's link section), and the kinds it read by their small values alone (under
    ``property_small_share`` of their rows on values of at most three accounts, the hub share
    under ``property_hub_share``: ``small_shares``) with that share into
    ``info["small_value_shares"]``, which :func:`properties_warning` reads. Both engines' link
    stages call it."""
    def by_name(shares: Mapping[str, Any]) -> dict[str, Any]:  # as read_kinds names the kinds
        return {k.strip().lower(): v for k, v in shares.items()}

    hubs, small = by_name(hub_shares), by_name(small_shares or {})
    added = [k for k in identity.property_kinds if k not in config.identity.property_kinds]
    if added:
        info["kinds_read_as_properties"] = {k: round(hubs[k], 3) for k in added}
        by_small = (set(small_bound_kinds(small, identity.property_small_share))
                    - set(hub_bound_kinds(hubs, identity.property_hub_share)))
        if by_small & set(added):
            info["small_value_shares"] = {k: round(small[k], 4) for k in added if k in by_small}
    return config.replace(identity=identity)


def properties_warning(info: dict[str, Any]) -> str | None:
    """What the run says when it read a kind named for a personal identifier as a shared
    property because almost none of its rows sit on values of a few accounts
    (``IdentityConfig.property_small_share``; ``info["small_value_shares"]``, made by
    :func:`with_kinds_read`): right for a coarse fingerprint on a marketplace's data, wrong for
    an extract that holds only an operator's pools. None otherwise."""
    small = info.get("small_value_shares", {})
    if not small:
        return None
    shares = "; ".join(f"'{k}' has {share:.1%} of its rows there" for k, share in sorted(small.items()))
    one = len(small) == 1
    return (f"signals kind{'' if one else 's'} {', '.join(repr(k) for k in sorted(small))} read as "
            f"{'a shared property, not an identifier' if one else 'shared properties, not identifiers'}: a person's "
            f"devices, cards, phones and e-mails sit on values that {SMALL_VALUE_ACCOUNTS} accounts or fewer hold, "
            f"and {shares}. If these data hold only suspicious accounts (an operator's pools), set [identity] "
            f"property_small_share = 0 to read {'it' if one else 'them'} as named.")


def numbered_kinds_warning(edges: pl.DataFrame, identity: IdentityConfig) -> str | None:
    """What the run says when signal kinds linked accounts under names that are numbers (a
    kind written as a code, 1 for device, 2 for card) that the config does not weigh itself
    (``kind_strength``, ``property_kinds``): a kind is weighed by its name, and a number names
    nothing. None otherwise."""
    from syndicate.cluster.operators import identifier_columns

    configured = set(identity.kind_strength) | set(identity.property_kinds)
    numbered = sorted((c for c in identifier_columns(edges) if c.strip().isdigit() and c not in configured),
                      key=lambda c: (len(c), c))
    if not numbered:
        return None
    return (f"signals kinds {', '.join(repr(k) for k in numbered)} are numbers: a kind is weighed by its name (device, "
            "payment, phone, email, ip, address, or a name holding one such as device_id or msisdn), so these link "
            f"at the default strength ({identity.default_strength:g}) and count for nothing a pool of devices or cards "
            "is judged by; write the kinds' names instead of their codes (or weigh them in [identity] kind_strength)")


def with_edge_ids(links: Links) -> Links:
    """``links`` with its edges keyed by account ids, when :func:`link` left them keyed by
    codes (``ids=False``); the codes stay beside them (``Links.edge_codes``)."""
    if links.index is None or links.codes is None or not links.edges.schema["account_a"].is_integer():
        return links
    edges = with_ids(links.edges, links.index)
    return dataclasses.replace(links, edges=edges, codes_of=edges)


def attributions_read(config: Config) -> bool:
    """Whether the link stage reads attributions from the events (``link/attribution.py``;
    ``[identity] attribution_min_single_share`` above 1: off)."""
    return config.identity.attribution_min_single_share <= 1


def rare_detector_runs(config: Config, n_events: int) -> bool:
    """Whether the review-ring detector runs on ``n_events`` events: when it is on and they
    are within ``[lockstep] rare_max_events`` (0: any number)."""
    cfg = config.lockstep
    return cfg.rare_enabled and (cfg.rare_max_events == 0 or n_events <= cfg.rare_max_events)


def rare_detector_skipped(config: Config, n_events: int) -> dict:
    """The manifest's record of a detector left out for the events' number, with the warning."""
    return {"skipped": (f"the review-ring detector (rare co-action) did not run: {n_events:,} events are more "
                        f"than [lockstep] rare_max_events = {config.lockstep.rare_max_events:,}; review rings bound "
                        "by nothing else are not found. Raise it (0: no limit) or run on a slice of the events.")}


def _rare_links(encoded: EncodedEvents, index: AccountIndex, tables: list[pl.DataFrame],
                config: Config, on_accounts: np.ndarray | None = None) -> tuple[pl.DataFrame | None, dict]:
    """Links inside rare co-action groups (``link/rare_coaction.py``), without the members that
    identifiers or lockstep bind to others already (a ring member on its family's tablet stays
    there; a shared IP or address binds no one, ``binding_links``). Reads the events' integer
    codes (``encoded``), made once for the co-action sources; ``on_accounts``: the account each
    target code is (``link.attribution.target_accounts``), when the caller has it."""
    cfg = config.lockstep
    considered = considered_actions(pl.Series(encoded.actions, dtype=pl.String), cfg)[encoded.act]
    if not cfg.rare_account_targets:
        on_accounts = target_accounts(encoded, index) if on_accounts is None else on_accounts
        if (on_accounts >= 0).any():  # a bool per target, gathered per event (21M events: 21 MB)
            considered = considered & (on_accounts < 0)[encoded.tgt]
    every = bool(considered.all())
    columns = [c if every else c[considered] for c in (encoded.acc, encoded.tgt, encoded.act, encoded.t)]
    account, target_action, seconds = event_codes(columns[0], columns[1], columns[2], encoded.actions, columns[3],
                                                   fold_values=cfg.rare_fold_values)
    del columns, considered
    return rare_links_of(account, target_action, seconds, n_accounts=len(index.ids), config=config,
                         strong_links=lambda member: _binding_touching(tables, member, config),
                         n_actions=action_count(encoded.actions, fold_values=cfg.rare_fold_values))


def _binding_touching(tables: list[pl.DataFrame], member: np.ndarray, config: Config, *,
                      places: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Ends (account codes) of the links of ``tables`` (edge tables on codes) that bind
    (``rare_coaction.binding_links``, ``places`` as there) and touch an account of the mask
    ``member``: only those rows of each table are combined."""
    if not tables:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    touching = [t.filter(pl.Series(member[t["account_a"].to_numpy()] | member[t["account_b"].to_numpy()]))
                for t in tables]
    strong = binding_links(combine_edges(*touching), config.cluster.min_edge_weight, config.identity.property_kinds,
                           places=places)
    return strong["account_a"].to_numpy().astype(np.int64), strong["account_b"].to_numpy().astype(np.int64)


def ties_of(codes: np.ndarray, n_accounts: int,
            binding: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Ends of the links ``binding(member mask)`` gives for the account ``codes``: both
    engines' rating-burst stage asks this (``link/rating_bursts.py`` ``unbound_members``)."""
    member = np.zeros(n_accounts, dtype=bool)
    member[codes] = True
    return binding(member)


def rare_links_of(account: np.ndarray, target_action: np.ndarray, seconds: np.ndarray, *, n_accounts: int,
                  config: Config, strong_links, totals=None, n_actions: int = 1) -> tuple[pl.DataFrame | None, dict]:
    """The review-ring detector (:func:`~syndicate.link.rare_coaction.rare_coaction`) with the
    run's settings, on event codes (``target_action = target * n_actions + action``,
    :func:`~syndicate.link.rare_coaction.event_codes`), for both engines: the links inside its
    groups (``account_a, account_b`` codes as UInt32, ``rare_coaction`` evidence,
    ``rare_coaction_targets``) or None, and what it counted."""
    cfg = config.lockstep

    def detect(window_days: float, min_pair_targets: int = 1,
               by_target: bool = False) -> tuple[pl.DataFrame, pl.DataFrame, dict]:
        return rare_coaction(account, target_action, seconds, n_accounts=n_accounts, window_days=window_days,
                             max_cell_accounts=cfg.rare_max_cell_accounts, min_burst=cfg.rare_min_burst,
                             resolution=cfg.rare_resolution, min_excess=cfg.rare_min_excess,
                             min_lift=cfg.rare_min_lift, regather_lift=cfg.rare_regather_lift,
                             seed=config.seed, strong_links=strong_links, totals=totals,
                             min_pair_targets=min_pair_targets, n_actions=n_actions if by_target else 1,
                             reference_accounts=cfg.rare_reference_accounts,
                             min_hanger_share=cfg.rare_min_hanger_share)

    groups, links, info = detect(cfg.rare_window_days)
    found = [with_group(links, groups, 0)] if groups.height else []
    if cfg.rare_whole_span and len(seconds):
        # A second pass with one window over the data's whole span (twice it: both phases of
        # the window grid then hold every event), with its own chance model: rings that spread
        # their reviews over weeks, whose products' reviewers over the whole data are mostly
        # the ring. Its group test counts who met on which target, not target-action: without
        # time, accounts that ordered from a shop and rated it have one tie to that shop, not
        # two meetings — counted twice, neighbours who were regulars of the same two local
        # shops passed as groups that meet again and again (seventh marketplace, seed 1: some
        # of the 8 neighbour groups in its top 32 without labels). In the windows each action
        # is a coincidence in time of its own, as the chance model counts them (a ring's like
        # and review of a product in its campaign days: counted once, rings were lost on four
        # marketplaces).
        first, last = (totals.first, totals.last) if totals is not None else (int(seconds.min()), int(seconds.max()))
        whole, whole_links, info["whole_span"] = detect(2.0 * max(last - first, 1) / 86_400, min_pair_targets=2,
                                                        by_target=True)
        if whole.height:
            # Accounts the windows already grouped keep those groups: the whole span adds only
            # groups of accounts they left out (a ring met within days is not padded with
            # everyone who reviewed its products some other week).
            grouped = groups["account"].to_numpy()
            offset = int(groups["group"].max()) + 1 if groups.height else 0
            found.append(with_group(whole_links, whole, offset).filter(
                ~pl.col("account_a").is_in(grouped) & ~pl.col("account_b").is_in(grouped)))
    if not found:
        return None, info
    # A pair is in one pass's groups only (the whole span's leave out the windows' accounts).
    links = (pl.concat(found).group_by("account_a", "account_b")
             .agg(pl.col("rare_coaction_targets").max(), pl.col("rare_group").first())
             .sort("account_a", "account_b"))
    return links.select(pl.col("account_a").cast(pl.UInt32), pl.col("account_b").cast(pl.UInt32),
                        pl.lit(cfg.rare_link_strength, dtype=pl.Float32).alias("rare_coaction"),
                        "rare_coaction_targets", "rare_group"), info


def with_group(links: pl.DataFrame, groups: pl.DataFrame, offset: int) -> pl.DataFrame:
    """Rare co-action links with the detector's group of their pair (``rare_group``, numbered
    from ``offset``): a group's links need not connect it, and two groups may touch."""
    return links.join(groups.select(pl.col("account").alias("account_a"), (pl.col("group") + offset)
                                    .alias("rare_group")), on="account_a", how="left")


def _shed_appendages(merged: pl.DataFrame, edges: pl.DataFrame, ids: pl.Series | None, *, min_size: int,
                     min_edge_weight: float, properties: Collection[str]) -> pl.DataFrame:
    """``merged`` (``account_id, group, found_by``) without the parts that hang on a group's
    core through one member (``cluster/fringe.py`` :func:`shed_appendages`; ``edges``, ``ids``
    and ``min_edge_weight`` as there): a part of ``min_size`` or more is a group of its own
    (found as the group it left), a smaller one leaves."""
    shed = shed_appendages(merged.select("account_id", pl.col("group").cast(pl.String)), edges, ids=ids,
                           min_edge_weight=min_edge_weight, properties=properties)["group"]
    if (shed == merged["group"].cast(pl.String)).all():
        return merged
    return merged.with_columns(shed.alias("group")).filter(pl.len().over("group") >= min_size)


def rare_groups(links: pl.DataFrame, n_accounts: int) -> np.ndarray:
    """Each account code's rare co-action group (``rare_group`` of its links; -1: none). An
    account the detector grouped but left without a link (its partners were bound elsewhere,
    ``rare_coaction._unbound``) counts as outside: nothing joins it to the group."""
    group = np.full(n_accounts, -1, dtype=np.int64)
    for side in ("account_a", "account_b"):
        group[links[side].to_numpy()] = links["rare_group"].to_numpy()
    return group


def dataset_now(dataset: Dataset) -> datetime:
    """The run's reference time: pinned by validation (`syndicate.asof`), else the data's latest."""
    if dataset.reference_time is not None:
        return dataset.reference_time
    return reference_time(dataset.accounts, (dataset.events, "ts"), (dataset.signals, "seen_at"))


def behaviour(dataset: Dataset, config: Config | None = None, *,
              encoded: EncodedEvents | None = None, clock_s: int | None = None) -> pl.DataFrame | None:
    """Per-account behaviour features (events), or None without events; ``encoded`` as in
    :func:`link`, ``clock_s`` as in :func:`~syndicate.features.accounts.account_behaviour_features`."""
    if dataset.events is None or dataset.events.height == 0:
        return None
    config = config or Config()
    now = dataset_now(dataset)
    # Extended: the account-scoring columns too, in the same pass over the events.
    return account_behaviour_features(dataset.events, dataset.accounts, now=now,
                                      burst_window_s=config.lockstep.window_seconds, extended=True,
                                      encoded=encoded, clock_s=clock_s,
                                      min_clock_s=config.lockstep.clock_seconds)


def cluster(edges: pl.DataFrame, config: Config, *, dataset: Dataset | None = None,
            account_features: pl.DataFrame | None = None, links: Links | None = None,
            components: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Candidate syndicates. Returns (members: account_id, cluster_id;
    meta: cluster_id, component, found_by).

    Graph clusters (components of strong edges, large ones split by Leiden, each shedding the
    members that hang on it by one link and cut where one link is all that joins two clumps:
    ``cluster/fringe.py``) come first; with
    a ``dataset`` that has events, HDBSCAN over per-account behaviour adds groups that share no
    strong edge and confirms graph clusters it agrees with (``found_by``). With ``links`` that
    carry lockstep bursts, co-action groups (``cluster/coaction.py``) gather weak links first
    and absorb the graph groups that are fragments of them. ``components`` (from an engine's
    ``components``) saves computing :func:`strong_components` of ``edges`` here.
    """
    cfg = config.cluster
    density_job = None
    # The input's event count, not the frame's: an engine may hand over only the rows HDBSCAN
    # reads (``Engine.local_dataset``).
    wants_density = bool(cfg.hdbscan_enabled and dataset is not None and dataset.events is not None
                         and dataset.row_counts().get("events", 0))
    if wants_density and account_features is None:
        account_features = behaviour(dataset, config)
    # No behaviour features when every event went with its unreachable account (a run whose
    # accounts share nothing): nothing for HDBSCAN either.
    if wants_density and account_features is not None and account_features.height:
        # HDBSCAN reads nothing the graph and co-action groups make: its pool and matrix are
        # made now, and its fit runs meanwhile on the other core (in a child process for a
        # large pool: cluster/hdbscan_fit.py). Same result as in turn.
        density_job = start_behaviour_clusters(account_features, config=cfg, seed=config.seed,
                                               events=dataset.events, candidates=_coacting(edges, links),
                                               executor=_BACKGROUND)
    # The edges keyed by account codes when the link stage made them (the ids otherwise), for
    # the components and the fringe's cuts.
    coded = links is not None and links.edge_codes() is not None
    keyed, key_ids = (links.coded_edges(), links.index.ids) if coded else (edges, None)
    if components is None:
        components = strong_components(keyed, min_edge_weight=cfg.min_edge_weight, ids=key_ids)
    properties = links.property_kinds if links is not None else config.identity.property_kinds
    components = operators_apart(components, edges, config, links=links)
    groups = split_components(components, edges, config)
    units = fold_units(groups)
    if cfg.peel_hangers:
        groups = peel_hangers(groups, keyed, min_edge_weight=cfg.min_edge_weight, ids=key_ids, properties=properties)
    if cfg.cut_bridges:
        groups = cut_bridges(groups, keyed, min_edge_weight=cfg.min_edge_weight, ids=key_ids, properties=properties)
    if links is not None and links.takeover is not None:
        groups = carve_takeover(groups.with_columns(pl.col("group").cast(pl.String)), links.takeover, edges,
                                min_edge_weight=cfg.min_edge_weight)
        units = merge_units(units, links.takeover)
    sizes = groups.group_by("group").agg(pl.len().alias("n"))
    groups = groups.join(sizes.filter(pl.col("n") >= cfg.min_cluster_size), on="group", how="semi")
    groups = groups.with_columns(pl.col("group").cast(pl.String))
    coaction = None
    if cfg.coaction_enabled and links is not None and links.bursts is not None and links.bursts.height:
        coaction = coaction_groups(links.coded_edges(), links.bursts, links.burst_account_ids,
                                   config=cfg, seed=config.seed, totals=links.burst_totals)
    found = absorb_coaction(groups, coaction if coaction is not None else pl.DataFrame(
        schema={"account_id": pl.String, "group": pl.String}), min_size=cfg.min_cluster_size,
        protected=_personal_groups(groups, edges, min_edge_weight=cfg.min_edge_weight, properties=properties))
    if cfg.coaction_enabled and links is not None and links.slow is not None:
        found = add_slow_groups(found, _slow_passing(found, links, cfg), min_size=cfg.min_cluster_size)
    if links is not None and links.rare_groups is not None and links.index is not None:
        # The review-ring detector's groups that the cuts left in pieces are put back together
        # (cluster/rings.py), after the co-action groups took what was theirs.
        rejoined, joined = rejoin_rings(found.select("account_id", "group"), links.rare_groups,
                                        links.index.codes(found["account_id"]))
        found = joined_found_by(found.with_columns(rejoined["group"]), joined)
        units = join_units(units, joined, "ring")
    groups = found.select("account_id", "group")
    density = density_job.result() if density_job is not None else None
    if density is not None and density.height:
        merged = reconcile(groups, density, min_size=cfg.min_cluster_size)
        # Keep how graph groups were found (graph / coaction) and add HDBSCAN's confirmation.
        merged = (merged.join(found.select("account_id", pl.col("found_by").alias("before")),
                              on="account_id", how="left")
                  .with_columns(pl.when(pl.col("before").is_null()).then(pl.col("found_by"))
                                .when(pl.col("found_by").str.ends_with("+hdbscan"))
                                .then(pl.col("before") + "+hdbscan")
                                .otherwise(pl.col("before")).alias("found_by"))
                  .drop("before"))
    else:
        merged = found
    if cfg.shed_appendages:
        merged = _shed_appendages(merged, keyed, key_ids, min_size=cfg.min_cluster_size,
                                  min_edge_weight=cfg.min_edge_weight, properties=properties)
    members = content_cluster_ids(merged.select("account_id", "group"))
    meta = cluster_meta(members.join(merged.select("account_id", "found_by"), on="account_id"), units)
    return members, meta


def _slow_passing(found: pl.DataFrame, links: Links, cfg: Any) -> pl.DataFrame:
    """The slow co-action groups (``account_id, group``) without the accounts ``found`` holds,
    those of them whose remaining members still pass the group test on the slow bursts (group
    bursts on ``coaction_min_targets`` targets): what is left of a group after the fans or a
    household it gathered went to their own clusters may be two strangers who met once."""
    rest = links.slow.groups.select("account_id", "group").join(found.select("account_id"), on="account_id",
                                                                   how="anti")
    if rest.height == 0:
        return rest
    counts = _slow_group_targets(rest.rename({"group": "cluster_id"}), links, cfg)
    passing = counts.filter(pl.col("coaction_targets") >= cfg.coaction_min_targets)["cluster_id"]
    return rest.filter(pl.col("group").is_in(passing.implode()))


def _slow_group_targets(members: pl.DataFrame, links: Links, cfg: Any) -> pl.DataFrame:
    """``cluster_id, coaction_targets`` of ``members`` (``account_id, cluster_id``) on the slow
    pass's bursts, at the group test's bars (its groups' remnants in the cluster stage, the
    clusters it found in the features stage)."""
    return group_coaction_targets(members, links.slow.bursts, links.index.ids, min_members=cfg.coaction_min_members,
                                  min_lift=cfg.coaction_min_lift, totals=links.slow.totals)


def split_components(components: pl.DataFrame, edges: pl.DataFrame, config: Config) -> pl.DataFrame:
    """:func:`split_large_components` with the run's settings: ``account_id, group``."""
    cfg = config.cluster
    return split_large_components(
        components, edges, split_above=cfg.split_above, min_edge_weight=cfg.min_edge_weight,
        resolution=cfg.resolution, seed=config.seed, max_bridge=cfg.split_max_bridge,
        min_bridge_links=cfg.split_min_bridge_links, resplit_above=cfg.resplit_above)


def fold_units_of(edges: pl.DataFrame, config: Config, *, links: Links | None = None) -> pl.DataFrame:
    """:func:`fold_units` of a link graph, as the cluster stage cuts it, with ``links`` (the link
    stage's result) the units of each takeover group joined as there (for notebook calls that
    score clusters made earlier; the units the cluster stage joins for the review rings it puts
    back together depend on its groups and are not rebuilt)."""
    components = strong_components(edges, min_edge_weight=config.cluster.min_edge_weight)
    units = fold_units(split_components(operators_apart(components, edges, config, links=links), edges, config))
    if links is not None and links.takeover is not None:
        units = merge_units(units, links.takeover)
    return units


def operators_apart(components: pl.DataFrame, edges: pl.DataFrame, config: Config, *,
                    links: Links | None = None) -> pl.DataFrame:
    """``components`` (``account_id, component``) with the operators carved out of the crowds
    (:func:`syndicate.cluster.operators.carve_operators`, ``[cluster] carve_operators``) as
    components of their own, renumbered; as given when nothing is carved. ``links`` (when the
    caller has them) give the coded edges and the kinds the link stage read as properties."""
    cfg = config.cluster
    if not cfg.carve_operators:
        return components
    coded = links is not None and links.edge_codes() is not None
    carved = carve_operators(components.select("account_id", pl.col("component").cast(pl.String).alias("group")),
                             links.coded_edges() if coded else edges, min_edge_weight=cfg.min_edge_weight,
                             above=cfg.split_above, min_size=cfg.min_cluster_size,
                             ids=links.index.ids if coded else None,
                             properties=links.property_kinds if links is not None else config.identity.property_kinds)
    if not carved["group"].str.contains("/", literal=True).any():
        return components
    return carved.select("account_id", pl.col("group").rank("dense").cast(pl.Int64).alias("component"))


def fold_units(groups: pl.DataFrame) -> pl.DataFrame:
    """``account_id, component``: the unit that cross-validation folds keep whole, one integer
    per part of :func:`split_large_components` (a component, or a barely bridged part of a
    large one).

    Pieces of one syndicate must not straddle train and test, so a component stays whole; but
    the parts of a split component are bridged by under ``split_max_bridge`` of their own link
    weight (five farms bound only by a pool of rented SMS numbers), as separate as the
    clusters of two components. Kept whole, every labelled farm of such a component would be
    scored by a model that never saw a farm like it. (With ``split_max_bridge = 0`` every
    Leiden cut stays, and so do these groups: halves of one ring may then straddle folds.)
    """
    return groups.select("account_id", (pl.col("group").rank("dense").cast(pl.Int64) - 1).alias("component"))


def _personal_groups(groups: pl.DataFrame, edges: pl.DataFrame, *, min_edge_weight: float,
                     properties: Collection[str] = ()) -> pl.Series:
    """Graph groups bound (by a strong internal edge) through personal identifiers (not the
    kinds read as shared ``properties``)."""
    kinds = [k for k in PERSONAL if k in edges.columns and k not in properties]
    if not kinds or groups.height == 0:
        return pl.Series("group", [], dtype=pl.String)
    personal = edges.filter((pl.col("weight") >= min_edge_weight) & (pl.max_horizontal(kinds) > 0))
    return (personal.select("account_a", "account_b")
            .join(groups.rename({"account_id": "account_a"}), on="account_a")
            .join(groups.rename({"account_id": "account_b", "group": "group_b"}), on="account_b")
            .filter(pl.col("group") == pl.col("group_b"))["group"].unique())


def _coacting(edges: pl.DataFrame, links: Links | None = None) -> pl.Series | None:
    """Accounts with co-action links (weak ones included): HDBSCAN's pool. Behaviour alike
    among accounts that never act on a target together is a mode of ordinary use (new users
    who only like), not an operator; among co-acting accounts it separates the crews."""
    if "lockstep_bursts" not in edges.columns:
        return None
    codes = links.edge_codes() if links is not None and links.edges is edges else None
    if codes is not None:  # on the account codes: no strings concatenated, hashed or sorted
        co = (edges["lockstep_bursts"] > 0).fill_null(False).to_numpy()
        # A mask over the codes, not a sort of the ends (9M at 1M accounts).
        ends = marked(len(links.index), codes["account_a"].to_numpy()[co], codes["account_b"].to_numpy()[co])
        return links.index.gather(np.flatnonzero(ends)).rename("account_a")
    co = edges.filter(pl.col("lockstep_bursts") > 0)
    return pl.concat([co["account_a"], co["account_b"]]).unique().sort()


def reachable_accounts(links: Links, account_features: pl.DataFrame | None, config: Config, *,
                       takeover: bool = True) -> np.ndarray:
    """Mask over the account codes (``links.index``) of the accounts that can end up in a
    cluster: ends of strong edges (graph groups), of co-action links (co-action groups),
    HDBSCAN's pool and (``takeover``) the accounts of takeover groups. The later stages read the
    events of these accounts only (a cluster's members are among them), so an engine hands
    those stages just their rows (``Engine.local_dataset``)."""
    cfg = config.cluster
    index = links.index
    edges = links.coded_edges()
    # On the key and test columns only: a filter of the whole edge table would copy its
    # evidence columns too (13M edges: 0.3 GB for a moment).
    reach = (edges["weight"] >= cfg.min_edge_weight).to_numpy()
    if "lockstep_bursts" in edges.columns:
        reach |= (edges["lockstep_bursts"] > 0).to_numpy()
    mask = np.zeros(len(index.ids), dtype=bool)
    for side in ("account_a", "account_b"):
        column = edges[side].filter(pl.Series(reach))
        mask[column.to_numpy() if column.dtype.is_integer() else index.codes(column)] = True
    pool = hdbscan_pool(links, account_features, config)
    if pool is not None:
        mask[index.codes(pool)] = True
    if links.slow is not None:  # the slow co-action groups' members (cluster.reconcile.add_slow_groups)
        mask[index.codes(links.slow.groups["account_id"])] = True
    # A takeover group's accounts join its cluster whether or not a strong edge reaches them
    # (cluster.takeover.carve_takeover): their events are read like any member's.
    taken = taken_accounts(links.takeover if takeover else None)
    if taken.len():
        mask[index.codes(taken)] = True
    return mask


def hdbscan_pool(links: Links, account_features: pl.DataFrame | None, config: Config) -> pl.Series | None:
    """``account_id`` of the accounts HDBSCAN runs on (``select_accounts``, at most
    ``hdbscan_max_accounts``), or None when it does not run: the only accounts whose events
    the cluster stage reads (the target embedding)."""
    from syndicate.cluster.density import select_accounts

    cfg = config.cluster
    if not cfg.hdbscan_enabled or account_features is None or account_features.height == 0:
        return None
    return select_accounts(account_features, config=cfg, candidates=_coacting(links.edges, links))["account_id"]


def cluster_meta(members: pl.DataFrame, components: pl.DataFrame | None = None) -> pl.DataFrame:
    """``cluster_id, component, found_by`` per cluster.

    ``members`` may carry ``found_by`` (else "graph"); ``components`` is
    :func:`strong_components` or :func:`fold_units`, or None where ``members`` carry each row's
    ``component`` themselves (``syndicate.api.find_clusters``' output). The component groups
    cross-validation folds; a cluster without one (found by behaviour alone) becomes a group of
    its own, numbered below every other.
    """
    found_by = pl.col("found_by").first() if "found_by" in members.columns else pl.lit("graph")
    rows = members if components is None else members.join(components, on="account_id", how="left")
    meta = (rows.group_by("cluster_id").agg(pl.col("component").min().cast(pl.Int64), found_by.alias("found_by"))
            .sort("cluster_id"))
    low = min(meta["component"].min() or 0, 0)
    return meta.with_columns(pl.col("component").fill_null(low - 1 - pl.int_range(pl.len())))


def features(dataset: Dataset, links: Links, members: pl.DataFrame, config: Config, *,
             account_features: pl.DataFrame | None = None, engine: Any = None,
             meta: pl.DataFrame | None = None) -> pl.DataFrame:
    """The features stage: one row per cluster, sorted by ``cluster_id``.

    The single place that decides which feature families a cluster gets, so that ``run``,
    ``train`` and the Python API always compute the same columns. ``account_features``
    (from :func:`behaviour`) are computed here when not given. ``engine`` (where the
    dataset's signals and events are: ``Engine.member_signals``, ``Engine.cluster_event_counts``)
    hands over the members' signals and the per-cluster event counts; without one they are
    read from ``dataset``. ``meta`` (the cluster stage's ``cluster_id, found_by``) tells the
    clusters the slow co-action pass found: their ``slow_coaction_targets`` (the group co-action
    of that pass's wider buckets; null for the others and without ``meta``) say what bound
    them, and no model reads it (``features.clusters.SLOW_COACTION``).
    """
    now = dataset_now(dataset)
    if account_features is None:
        account_features = behaviour(dataset, config)
    signals, counts = whole_signals(dataset.signals), None
    if engine is not None:
        signals, counts = engine.member_signals(dataset, members), engine.cluster_event_counts(dataset, members)
    signals = with_attributions(signals, links.attribution)
    cfg = config.cluster
    coaction = group_coaction_targets(members, links.bursts, links.burst_account_ids,
                                      min_members=cfg.coaction_min_members, min_lift=cfg.coaction_min_lift,
                                      totals=links.burst_totals)
    # What bound the clusters the slow pass found: the group bursts of its buckets (words for
    # their names, not a feature: co-action within the hour is what fans and colleagues do
    # too, and as a score it put a benefit scheme's 108 employees in a top K).
    slow = slow_clusters(meta, links)
    slow_targets = (_slow_group_targets(members.filter(pl.col("cluster_id").is_in(slow.implode())), links, cfg)
                    if slow.len() else pl.DataFrame(schema={"cluster_id": pl.String, "coaction_targets": pl.UInt32}))
    coaction = coaction.join(slow_targets.rename({"coaction_targets": SLOW_COACTION}), on="cluster_id", how="left")
    # How the group co-action was delivered, for the clusters that have any (a small share):
    # it reads those members' raw events (an engine that keeps the events elsewhere hands
    # over just their rows: ``Engine.member_events``).
    only = coaction.filter(pl.col("coaction_targets") > 0)["cluster_id"]
    events = dataset.events if engine is None else engine.member_events(
        dataset, members.filter(pl.col("cluster_id").is_in(only.implode())))
    considered = None if events is None else considered_actions(events["action"], config.lockstep)
    if counts is None and events is not None and events.height and members.height:
        # The members' events are selected once, for the behaviour counts and the delivery.
        events = member_events(members, events, accounts=dataset.accounts, considered=considered)
        counts = behaviour_counts(members, events)
    delivery = group_burst_share(
        members, events, window_seconds=config.lockstep.window_seconds,
        min_members=cfg.coaction_min_members, accounts=dataset.accounts,
        considered=considered, only=only)
    del events, considered
    co_rated = None if engine is None else engine.cluster_co_rated(dataset, members)
    if co_rated is None:
        co_rated = co_rating_features(members, None if dataset.events is None else rated_events(dataset.events))
    summary = None if engine is None else engine.action_mix_summary(dataset, members)
    mix = (action_mix_from_events(members, dataset.accounts, dataset.events) if summary is None
           else action_mix(members, dataset.accounts, *summary))
    return cluster_features(
        members, links.edges, accounts=dataset.accounts, signals=signals,
        events=dataset.events if counts is None else None, labels=dataset.labels, hubs=links.hubs, now=now,
        index=links.index, edge_codes=links.edge_codes(), event_counts=counts,
        properties=links.property_kinds,
        extra=[member_behaviour_features(members, account_features), coaction, delivery,
               takeover_cluster_features(members, links.takeover), mix, co_rated],
    )


def slow_clusters(meta: pl.DataFrame | None, links: Links) -> pl.Series:
    """``cluster_id`` of the clusters the slow co-action pass found (``found_by`` names it),
    sorted; empty without ``meta`` or the pass."""
    if meta is None or links.slow is None or "found_by" not in meta.columns:
        return pl.Series("cluster_id", [], dtype=pl.String)
    return meta.filter(pl.col("found_by").str.contains("slow_coaction"))["cluster_id"].sort()


def rank(features: pl.DataFrame, meta: pl.DataFrame, config: Config, *,
         model: RiskModel | None = None, clock_s: int = 1) -> tuple[pl.DataFrame, Scores]:
    """Score, explain, name and rank clusters (:func:`score` then :func:`name_and_rank`)."""
    scored, scores = score(features, meta, config, model=model)
    return name_and_rank(scored, scores, config, clock_s=clock_s), scores


def score(features: pl.DataFrame, meta: pl.DataFrame, config: Config, *,
          model: RiskModel | None = None) -> tuple[pl.DataFrame, Scores]:
    """The clusters' features with their scores (rows aligned with ``Scores.contributions``)."""
    features = features.join(meta, on="cluster_id", how="left").sort("cluster_id")
    scores = score_clusters(
        features.drop("component", "found_by"), config=config.risk, seed=config.seed, model=model,
        groups=features["component"].to_numpy(),
    )
    return features.join(scores.frame, on="cluster_id", how="left", maintain_order="left"), scores


def name_and_rank(scored: pl.DataFrame, scores: Scores, config: Config, *,
                  members_scored: pl.DataFrame | None = None, clock_s: int = 1) -> pl.DataFrame:
    """Reasons, archetype and rank of :func:`score`'s clusters. ``members_scored``
    (``cluster_id, member_pseudo_label_score, model_score, risk_score, label_free_stand_in``;
    a frame without the last reads as if no label-free risk stood in; from the accounts stage
    without labels, or with labels by the label-free view:
    :func:`syndicate.risk.pseudo_labels.with_member_behaviour`) replaces their risk first, and
    says so in the reasons of those it moved. ``clock_s``: the clock the events were recorded
    with (the engine's ``clock_s``): coarser than the lockstep window, lockstep does not tell a
    farm from a ring (:func:`shows_lockstep`)."""
    # The column is there either way (null: not computed), so that every run's table has one schema.
    clusters, moved = scored.with_columns(pl.lit(None, dtype=pl.Float64).alias(MEMBER_SCORE),
                                          pl.lit(None, dtype=pl.Float64).alias(STAND_IN)), None
    if members_scored is not None:
        clusters, moved = with_members_scored(scored, members_scored)
    # Two spare reasons: those the archetype's sentence already says are left out below it, and
    # the next ones take their places.
    reasons = top_reasons_series(clusters, scores.names, scores.contributions,
                                 clusters["risk_score"].to_numpy(), n=config.risk.n_reasons + 2)
    return _named(clusters, reasons, moved, config, lockstep_seen=shows_lockstep(clock_s, config))


def shows_lockstep(clock_s: int, config: Config) -> bool:
    """Whether events recorded with a clock of ``clock_s`` seconds show lockstep: a clock no
    coarser than the lockstep window (``features.accounts.unseen_shares``)."""
    from syndicate.features.accounts import unseen_shares

    return "burst_share" not in unseen_shares(clock_s, config.lockstep.window_seconds)


def renamed(clusters: pl.DataFrame, members_scored: pl.DataFrame | None, config: Config, *,
            clock_s: int = 1) -> pl.DataFrame:
    """A clusters table (:func:`rank`'s) with the accounts stage's moved scores
    (``AccountScores.clusters``; as is without them), named and ranked again: the archetype and
    its sentence (the first reason) follow the moved risk, the other reasons stay (without the
    two spares :func:`name_and_rank` had, a cluster may show one reason fewer than a run's)."""
    if members_scored is None:
        return clusters
    kept = clusters.drop("archetype", "rank").with_columns(pl.col("reasons").list.slice(1))
    kept, moved = with_members_scored(kept, members_scored)
    return _named(kept, kept["reasons"], moved, config, lockstep_seen=shows_lockstep(clock_s, config))


def _named(clusters: pl.DataFrame, reasons: pl.Series, moved: list[str | None] | None,
           config: Config, *, lockstep_seen: bool = True) -> pl.DataFrame:
    """``clusters`` with ``reasons`` (the sentence of ``moved`` first where there is one), the
    archetype's sentence before them, sorted and ranked."""
    if moved is not None:
        reasons = pl.Series("reasons", [[m, *r] if m else r for m, r in zip(moved, reasons.to_list())],
                            dtype=pl.List(pl.String))
    clusters = assign_archetypes(clusters.with_columns(reasons), n_reasons=config.risk.n_reasons,
                                 lockstep_seen=lockstep_seen, slow_window_s=config.lockstep.slow_window_seconds)
    clusters = (
        clusters.sort(["risk_score", "size", "cluster_id"], descending=[True, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1).alias("rank"))
        .drop("component", strict=False)
    )
    rest = [c for c in clusters.columns if c not in HEAD_COLUMNS]
    return clusters.select(*HEAD_COLUMNS, *rest)


def with_members_scored(scored: pl.DataFrame, members_scored: pl.DataFrame) -> tuple[pl.DataFrame, list[str | None]]:
    """``scored`` with the risk of ``members_scored`` and its ``member_pseudo_label_score``
    column, and for each row the sentence that says how its members' behaviour moved its risk
    (None where :func:`syndicate.risk.pseudo_labels.member_behaviour_reason` says nothing).
    ``model_score`` stays: the move leaves it as it was."""
    new = scored.select("cluster_id").join(members_scored, on="cluster_id", how="left", maintain_order="left")
    out = scored.with_columns(
        pl.Series(MEMBER_SCORE, new[MEMBER_SCORE]),
        (pl.Series(STAND_IN, new[STAND_IN]) if STAND_IN in new.columns
         else pl.lit(None, dtype=pl.Float64).alias(STAND_IN)),
        pl.Series("risk_score", new["risk_score"]).fill_null(scored["risk_score"]),
    )
    # A run with labels moved them by its label-free view (risk.accounts.with_label_free_view).
    label_free = "n_labelled" in scored.columns and bool((scored["n_labelled"].fill_null(0) > 0).any())
    moved = [member_behaviour_reason(look, after - before, label_free=label_free) if look is not None
             else stand_in_reason(stand, after - before) if stand is not None else None
             for look, stand, before, after in zip(out[MEMBER_SCORE].to_list(), out[STAND_IN].to_list(),
                                                   scored["risk_score"].to_list(), out["risk_score"].to_list())]
    return out, moved


def score_accounts(dataset: Dataset, links: Links, members: pl.DataFrame, clusters: pl.DataFrame,
                   meta: pl.DataFrame, config: Config, *, account_features: pl.DataFrame | None = None,
                   model: RiskModel | None = None, graph: pl.DataFrame | None = None) -> AccountScores:
    """The accounts stage: every input account once, with its risk, rank, source and reasons.

    Features and fold groups are :func:`account_table`'s. Without labels, or with labels that
    train the account model (the label-free view, risk.accounts.with_label_free_view), the
    clusters' risk moves towards their members' behaviour (``AccountScores.clusters``;
    :func:`renamed` gives the clusters table with them), unless a given model scored the
    clusters (every ``score_source`` "model": label knowledge) or ``clusters`` carry the move
    already.
    """
    table, key = account_table(dataset, links, members, clusters, meta, config, account_features=account_features,
                               graph=graph)
    return _score_table(table, key, clusters, dataset, config, model)


def _score_table(table: pl.DataFrame, key: np.ndarray, clusters: pl.DataFrame, dataset: Dataset, config: Config,
                 model: RiskModel | None) -> AccountScores:
    # Moved by their members' mean, or where no member was read by their label-free risk.
    moved = any(c in clusters.columns and clusters[c].is_not_null().any() for c in (MEMBER_SCORE, STAND_IN))
    # Scored by a given model: every cluster "model" (a model trained in the run scores its
    # labelled clusters "model_oof"). An empty table's columns may be of type Null: cast first.
    given = "score_source" in clusters.columns and bool(clusters.select(
        (pl.col("score_source").cast(pl.String) == "model").any()
        & (pl.col("score_source").cast(pl.String) != "model_oof").all()).item())
    # With labels, a second view of cluster members: what a run without labels gives them
    # (risk.accounts.with_label_free_view), from the clusters' risk as such a run scores it.
    labelled = dataset.labels is not None and dataset.labels.height > 0
    free, why_not = None, None
    if labelled and model is None:
        try:
            free = clusters.select("cluster_id", pl.Series("risk_score", label_free_risk(clusters, config.risk),
                                                           dtype=pl.Float64))
        except pl.exceptions.ColumnNotFoundError as error:  # a clusters table without its features
            why_not = f"the clusters table lacks a feature column the cluster scorecard reads ({error})"
    # A table a run without labels moved (the notebook API, given a run's clusters back): its
    # pseudo-labels read the risk before the move, its model score then (risk.pseudo_labels).
    before = (clusters.select("cluster_id", pl.col("model_score").alias("risk_score"))
              if moved and not labelled else None)
    scores = score_account_table(table, cluster_risk=clusters.select("cluster_id", "risk_score", "model_score"),
                                 labels=dataset.labels, groups=key, config=config.risk, seed=config.seed,
                                 model=model, move_clusters=not (moved or given), label_free_risk=free,
                                 pseudo_label_risk=before)
    if why_not and scores.model is not None:
        scores.metrics["label_free_view"] = {"skipped_because": why_not}
    return scores


def account_table(dataset: Dataset, links: Links, members: pl.DataFrame, clusters: pl.DataFrame,
                  meta: pl.DataFrame, config: Config, *, account_features: pl.DataFrame | None = None,
                  graph: pl.DataFrame | None = None) -> tuple[pl.DataFrame, np.ndarray]:
    """Account features of every input account and the cross-validation group of each row.

    Features are the account's behaviour (``account_features`` from :func:`behaviour`), its
    place in the link graph (all edges, weak ones too) and its cluster; ``meta`` (``cluster_id,
    component``) groups the cross-validation folds: members of one cluster or component
    share a fold, other accounts are each their own group. ``run`` and ``train`` both build
    the account model's rows here. ``graph`` (an engine's ``graph_features``) replaces the
    graph features computed from ``links.edges``.
    """
    now = dataset_now(dataset)
    if account_features is None:
        account_features = behaviour(dataset, config)
    table = account_feature_table(dataset.accounts, account_features, links.edges, members,
                                  account_cluster_risk(clusters), now=now, index=links.index,
                                  edge_codes=links.edge_codes(), graph=graph)
    table = with_takeover_wave(table, links.takeover)
    # Integers, not formatted strings: members of a component share one, every other
    # account gets its own (numbers above any component's).
    key = (
        table.select("cluster_id")
        .join(meta.select("cluster_id", "component"), on="cluster_id", how="left", maintain_order="left")
        .select(pl.col("component").rank("dense").cast(pl.Int64).fill_null(pl.len() + pl.int_range(pl.len())))
        .to_series().to_numpy()
    )
    return table, key


def account_cluster_risk(clusters: pl.DataFrame) -> pl.DataFrame:
    """``cluster_id, size, risk``: the label-free cluster risk account features read
    (:mod:`syndicate.features.graph`)."""
    return clusters.select("cluster_id", "size", pl.col("model_score").alias("risk"))


def run(dataset: Dataset, *, config: Config | None = None, model: RiskModel | None = None,
        progress: Progress | None = None, previous_members: pl.DataFrame | None = None,
        account_model: RiskModel | None = None, engine: Any = None) -> RunResult:
    """Run every stage on a validated dataset.

    ``previous_members`` (``account_id, cluster_id`` of the previous run) carries cluster ids
    over by shared members and fills the ``lineage`` columns (`assign_cluster_ids`).
    ``model`` and ``account_model`` are saved models that score clusters and accounts
    instead of models trained in the run. ``engine`` (:mod:`syndicate.engines`; default: the
    one ``config.engine`` names) runs the link, component and behaviour stages.
    """
    return _run([dataset], owned=False, config=config, model=model, progress=progress,
                previous_members=previous_members, account_model=account_model, engine=engine)


def _run(held: list[Dataset], *, owned: bool, config: Config | None, model: RiskModel | None,
         progress: Progress | None, previous_members: pl.DataFrame | None, account_model: RiskModel | None,
         engine: Any) -> RunResult:
    """:func:`run` on the dataset in ``held``, which it takes out. ``owned``: no one else holds
    it (``run_to_folder``), so the engine may take its tables apart; the full events table is
    then freed while the stages after ``behaviour`` get their own rows (``Engine.local_dataset``)."""
    from syndicate.engines import get_engine

    dataset = held.pop()
    if owned:
        dataset.__dict__[RUN_OWNED] = True
    config = config or Config()
    check_config(config)
    progress = progress or Progress(quiet=True)
    engine = engine or get_engine(config)
    with progress.stage("link"):
        links = engine.link(dataset, config)
    with progress.stage("behaviour"):
        account_features = engine.behaviour(dataset, config)
        clock_s = getattr(engine, "clock_s", 1)
        repeated = getattr(engine, "repeated_events", None)
        if stale_slow_skip(links.info, config, clock_s):
            # As `link` does on polars (the Spark engine reads the clock here, in the behaviour
            # stage, not for a pass the number of events stopped).
            del links.info["slow_lockstep"]
        links = engine.local_links(links, account_features, config)
        dataset = engine.local_dataset(dataset, links, account_features, config)
    with progress.stage("cluster"):
        components = engine.components(links, min_edge_weight=config.cluster.min_edge_weight)
        members, meta = cluster(links.edges, config, dataset=dataset, account_features=account_features,
                                links=links, components=components)
        lineage = assign_cluster_ids(members.rename({"cluster_id": "group"}), previous_members)
        members, meta = lineage.members, lineage.relabel(meta)
    with progress.stage("features"):
        cluster_table = features(dataset, links, members, config, account_features=account_features,
                                 engine=engine, meta=meta)
        # Nothing after this stage reads the burst memberships (tens of millions of rows at
        # scale): let them go before the accounts stage's peak.
        links = dataclasses.replace(links, bursts=None)
        if owned:
            _release_event_tables(dataset)
    with progress.stage("rank"):
        scored, scores = score(cluster_table, meta, config, model=model)
    with progress.stage("accounts"):
        graph = engine.graph_features(links, members, account_cluster_risk(scored))
        table, key = account_table(dataset, links, members, scored, meta, config,
                                   account_features=account_features, graph=graph)
        # The table holds what the scoring reads: the behaviour frame (1M accounts: 0.4 GB) and
        # the burst memberships go before the model's matrices and explanations are made.
        account_features = graph = None
        accounts = _score_table(table, key, scored, dataset, config, account_model)
        del table
    with progress.stage("rank"):
        # Named after the accounts stage: the clusters' members' behaviour moves their risk there
        # (risk.pseudo_labels.with_member_behaviour; with labels, by the label-free view).
        clusters = name_and_rank(scored, scores, config, members_scored=accounts.clusters, clock_s=clock_s)
        clusters = _with_lineage(clusters, lineage.clusters)

    hub_list = mask_column(links.hubs.head(config.identity.max_hubs_listed))
    manifest = {
        "syndicate_version": syndicate.__version__,
        "python": platform.python_version(),
        "numpy_cpu": numpy_cpu_paths(),  # AVX-512 left out on AMD Zen 4 (syndicate/cpu.py)
        "seed": config.seed,
        "config": config.to_dict(),
        "input_rows": dataset.row_counts(),
        "reference_time": dataset_now(dataset).isoformat(),
        "timestamps": dataset.timestamps,
        "placeholder_signals": dataset.placeholders,
        "events_clock_seconds": clock_s,
        # Event rows repeating another row (same account, action, target and time) and the events
        # read; rows None where not counted (see encoding.repeated_rows).
        "repeated_events": repeated,
        "link": links.info,
        "hubs": {
            "count": links.hubs.height,
            "by_kind": dict(sorted(links.hubs.group_by("kind").agg(pl.len()).rows())),
            "listed": hub_list.to_dicts(),
        },
        "clusters": {"count": clusters.height, "accounts": members.height,
                     "high_risk": int((clusters["risk_score"] >= config.risk.high_risk_threshold).sum())},
        "risk": {"score_source": scores.frame["score_source"][0] if scores.frame.height else None,
                 "metrics": scores.metrics,
                 "model": dict(model.metadata_) if model is not None else None},
        "accounts": {"count": accounts.frame.height,
                     "score_source": dict(sorted(accounts.frame.group_by("score_source").agg(pl.len()).rows())),
                     "high_risk": int((accounts.frame["risk_score"] >= config.risk.high_risk_threshold).sum()),
                     "metrics": accounts.metrics,
                     "model": dict(account_model.metadata_) if account_model is not None else None},
        "timings_seconds": dict(progress.timings),
        "cpu_seconds": dict(progress.cpu_seconds),
        "peak_memory_mb": dict(progress.peak_mb),
        "engine": engine.describe(),
    }
    if manifest["input_rows"].get("events"):  # the clock the run's own models learnt from
        for own in (scores.model, accounts.model):
            if own is not None:
                own.metadata_[CLOCK_KEY] = clock_s
    edges = links.edges.with_columns(pl.col("weight").round(6))
    model_warning = model_clock_warning((model, account_model), clock_s, config)
    return RunResult(members=members, clusters=clusters, edges=edges, hubs=links.hubs,
                     manifest=manifest, model=scores.model, dissolved=lineage.dissolved,
                     accounts=accounts.frame, account_model=accounts.model,
                     write_edges=engine.edges_writer(links),
                     warnings=[w for w in [links.info.get("rare_coaction", {}).get("skipped"),
                                           links.info.get("slow_lockstep", {}).get("skipped"),
                                           properties_warning(links.info), numbered_kinds_warning(links.edges, config.identity),
                                           clock_warning(clock_s, config),
                                           model_warning, repeated_warning(repeated, config)] if w],
                     model_warning=model_warning)


# The account shares a coarse clock hides (``features.accounts.unseen_shares``), in words.
_UNSEEN_WORDS = {"burst_share": "co-action bursts", "rapid_gap_share": "rapid gaps"}


def clock_warning(clock_s: int, config: Config) -> str | None:
    """What a coarse clock of the events means for the run's features and words, or None."""
    from syndicate.features.accounts import unseen_shares

    unseen = [_UNSEEN_WORDS[name] for name in unseen_shares(clock_s, config.lockstep.window_seconds)]
    if not unseen:
        return None
    unit = clock_unit(clock_s)
    return (f"events are recorded to the {unit}: timing within it cannot be seen, so accounts' "
            f"{' and '.join(unseen)} count 0, and co-action 'lockstep' or 'within seconds/minutes' "
            f"in the reasons means within the same {unit}")


def model_clock_warning(models: Sequence[RiskModel | None], clock_s: int, config: Config) -> str | None:
    """What the run says when a given model (``--model``) was trained on events recorded with a
    finer clock than this run's, so that co-action within seconds or rapid gaps it learnt from
    count 0 here (``features.accounts.unseen_shares``), or None. Models saved before they
    recorded their clock (``risk.model.CLOCK_KEY``) say nothing."""
    from syndicate.features.accounts import unseen_shares

    # A clock as a model writes it: a whole number of seconds (a hand-edited NaN or 0 says nothing).
    trained = [int(c) for m in models if m is not None
               and isinstance(c := m.metadata_.get(CLOCK_KEY), (int, float)) and not isinstance(c, bool)
               and math.isfinite(c) and c >= 1]
    if not trained:
        return None
    finest, window = min(trained), config.lockstep.window_seconds
    lost = [_UNSEEN_WORDS[name] for name in unseen_shares(clock_s, window)
            if name not in unseen_shares(finest, window)]
    if not lost:
        return None
    return (f"the model was trained on events recorded to the {clock_unit(finest)}, and these are recorded to "
            f"the {clock_unit(clock_s)}: the accounts' {' and '.join(lost)} it learnt from count 0 here, so it "
            "may score syndicates lower than on data like its own; train a model on data recorded like this "
            "(or run without --model: a run with labels trains its own)")


def repeated_warning(repeated: dict[str, int | None] | None, config: Config) -> str | None:
    """What the run says when more than ``[alerts] input_max_repeated_share`` of the event rows
    repeat another row (the engine's ``repeated_events``), or None."""
    from syndicate.alerts import repeated_alert

    if not repeated or repeated_alert(repeated["rows"], repeated["events"], config.alerts) is None:
        return None
    rows, events = repeated["rows"], repeated["events"]
    return (f"events: {rows:,} of the {events:,} rows ({rows / events:.1%}) repeat another row (same account, "
            "action, target and time), and each counts as activity: if the export was appended twice, "
            "de-duplicate it and run again.")


def _release_event_tables(dataset: Dataset) -> None:
    """Let the events and signals of a dataset the run owns go: nothing after the features
    stage reads them (at 1M accounts 0.5-1 GB). Their row counts stay in ``held_counts``
    for the manifest, and the reference time is pinned first (it may follow the events)."""
    replace_owned_tables(dataset, input_rows=dataset.row_counts(), now=dataset_now(dataset),
                         events=None, signals=None)


def _with_lineage(clusters: pl.DataFrame, lineage: pl.DataFrame) -> pl.DataFrame:
    """Lineage columns (new/persisting/..., previous id and size) right after the head columns."""
    added = [c for c in lineage.columns if c != "cluster_id"]
    head = [c for c in HEAD_COLUMNS if c in clusters.columns]
    joined = clusters.join(lineage, on="cluster_id", how="left").sort("rank")
    return joined.select(*head, *added, pl.exclude(*head, *added))


def run_to_folder(data_dir: str | Path, out_dir: str | Path, *, config: Config | None = None,
                  model_dir: str | Path | None = None, quiet: bool = False,
                  previous: str | Path | None = None, runs_root: str | Path | None = None,
                  as_of: datetime | str | None = None, engine: Any = None, option: str = "--out") -> RunResult:
    """``syndicate run``: read and validate ``data_dir``, run, write ``out_dir`` atomically.

    ``as_of`` is the run's reference time (default: the data's latest, strays aside; see
    :mod:`syndicate.asof`). ``engine``: the engine to run on (default: the one ``config``
    names), e.g. one that has started loading ``data_dir`` already (``start_loading``).

    The folder also gets ``report.html``, ``alerts.json``, ``dissolved.parquet`` and
    ``creation.parquet``. With ``previous`` (a run folder) cluster ids carry over from it and
    alerts compare with it. With ``runs_root``, the previous run is found there when not given
    (the latest run named before ``out_dir``'s name), spikes compare with the history in
    ``runs_root/history.duckdb``, and the run is recorded there once its folder is in place.

    Under ``runs_root`` the run holds ``runs_root/.lock`` (another run there raises
    ``RunsRootLockedError``). A history held open by a reader past ``LOCK_WAIT_SECONDS`` does
    not fail the run: the record is deferred to the next run and ``result.warnings`` says so.
    """
    from syndicate import history
    from syndicate.runs import check_out_dir, out_option

    config = config or Config()
    check_config(config)  # before any work: a bad value must not fail after the whole pipeline ran
    # before any work: never replace what we did not write
    option = out_option(runs_root, option)
    check_out_dir(out_dir, data_dir=data_dir, inputs=(model_dir,), option=option)
    if runs_root is None:
        return _run_to_folder(data_dir, out_dir, config=config, model_dir=model_dir, quiet=quiet,
                              previous=previous, runs_root=None, as_of=as_of, engine=engine, option=option)
    created = not Path(runs_root).exists()
    with history.runs_root_lock(runs_root):  # one run at a time per runs root (single history writer)
        try:
            return _run_to_folder(data_dir, out_dir, config=config, model_dir=model_dir, quiet=quiet,
                                  previous=previous, runs_root=runs_root, as_of=as_of, engine=engine,
                                  option=option)
        except BaseException:
            # A first run that failed (bad input: "nothing was written") leaves no root behind
            # holding only its lock file: removed while the lock is still held, so no other run
            # holds it yet; a run that arrives meanwhile keeps its own (the folder stays).
            if created and {p.name for p in Path(runs_root).iterdir()} <= {history.LOCK_FILE}:
                with contextlib.suppress(OSError):
                    (Path(runs_root) / history.LOCK_FILE).unlink()
                    Path(runs_root).rmdir()
            raise


def _run_to_folder(data_dir, out_dir, *, config: Config, model_dir, quiet: bool, previous, runs_root,
                   as_of, engine: Any = None, option: str = "--out") -> RunResult:
    from syndicate import history
    from syndicate.asof import describe_creation_stamps, describe_out_of_range
    from syndicate.engines import get_engine
    from syndicate.io import unread_files_warning
    from syndicate.placeholders import describe_placeholders
    from syndicate.runs import check_out_dir, file_fingerprints, read_run_folder, write_run_folder

    progress = Progress(quiet=quiet)
    run_name = Path(out_dir).name
    warnings: list[str] = []
    engine = engine or get_engine(config)  # a missing pyspark or Java stops here, before any work
    warnings += engine.limitations(config)
    if runs_root is not None:
        history.check_history(runs_root)  # a history file that is no database: said before the work
    started = getattr(engine, "loading_started", lambda: None)()
    with progress.stage("validate", since=started):
        # first: bad input must write nothing, not even history
        dataset = engine.load(data_dir, as_of=as_of, placeholder_values=config.identity.placeholder_values)
    warnings += (describe_out_of_range(dataset.timestamps) + describe_creation_stamps(dataset.timestamps)
                 + describe_placeholders(dataset.placeholders) + [w for w in [unread_files_warning(data_dir)] if w])
    history_ok = runs_root is not None
    if runs_root is not None:
        try:
            history.sync_history(runs_root)  # runs whose recording failed or predate the history
        except history.HistoryBusyError as exc:
            history_ok = False
            warnings.append(f"run history not updated: {exc}; this run is recorded by the next one "
                            "(or by syndicate.history.sync_history).")
        if previous is None:
            previous = history.find_previous_run(runs_root, run_name)
    prev_tables, prev_manifest = (read_run_folder(previous, only=("members", "clusters")) if previous is not None
                                  else (None, None))
    model, account_model = load_models(model_dir) if model_dir is not None else (None, None)
    # The stages get the only reference to the dataset; what is read after them is kept apart.
    held, dataset = [dataset], dataclasses.replace(dataset, signals=None, events=None)
    result = _run(held, owned=True, config=config, model=model, progress=progress,
                  previous_members=prev_tables["members"] if prev_tables else None, account_model=account_model,
                  engine=engine)
    warnings += result.warnings  # the stages' own (a detector left out); later ones join this list
    result.warnings = warnings
    result.manifest["run_name"] = run_name
    result.manifest["inputs"] = {"data_dir": str(Path(data_dir).resolve()),
                                 "files": file_fingerprints(data_dir)}
    # The models given with --model (not saved in the run folder, which keeps only models trained
    # in it): `score-new` scores new accounts with the same ones.
    result.manifest["model_dir"] = str(Path(model_dir).resolve()) if model_dir is not None else None
    decisions = None
    if runs_root is not None:
        baseline = None
        if history_ok:
            try:
                baseline = history.read_runs(history.history_path(runs_root), before=run_name)
            except history.HistoryBusyError:
                history_ok = False
        if baseline is None:  # the history is busy: the run folders hold the same figures
            baseline = history.baseline_from_folders(runs_root, before=run_name)
        if history_ok:  # the investigators' decisions on clusters, shown beside them in the report
            try:
                decisions = history.read_decisions(runs_root)
            except history.HistoryBusyError:
                decisions = None
    else:
        baseline = history.baseline_from_manifest(prev_manifest) if prev_manifest else None
    _compare_with_previous(result, dataset, config, previous, prev_tables, prev_manifest, baseline,
                           runs_root=runs_root)
    if decisions is not None:  # a decision on a cluster since absorbed follows it (lineage is known now)
        decisions = history.follow_merges(decisions, runs_root, run_name, result.clusters)

    def extra(tmp: Path) -> None:
        if result.model is not None:
            result.model.save(tmp / "model", extra_metadata={
                "trained_on": result.manifest["inputs"]["files"],
                "cv_metrics": result.manifest["risk"]["metrics"]})
        if result.account_model is not None:
            result.account_model.save(tmp / "model", prefix=ACCOUNT_PREFIX, extra_metadata={
                "trained_on": result.manifest["inputs"]["files"],
                "cv_metrics": result.manifest["accounts"]["metrics"]})
        _write_report_files(tmp, result, dataset, config, baseline, model=result.model or model,
                            decisions=decisions)

    tables = result.tables()
    if result.write_edges is not None:
        # The engine writes the whole table (result.edges holds only the collected part).
        del tables["edges"]
        report_extra = extra

        def extra(tmp: Path) -> None:
            result.write_edges(tmp / "edges.parquet")
            result.manifest["engine"] = engine.describe()  # with the seconds it took
            report_extra(tmp)

    with progress.stage("write"):
        result.manifest["timings_seconds"] = dict(progress.timings)
        result.manifest["cpu_seconds"] = dict(progress.cpu_seconds)
        result.manifest["peak_memory_mb"] = dict(progress.peak_mb)
        write_run_folder(out_dir, tables, result.manifest, extra=extra,
                         check=lambda out: check_out_dir(out, data_dir=data_dir, inputs=(model_dir,),
                                                         option=option))
    if runs_root is not None:
        # The run folder is in place and is the source of truth; a busy history only delays its
        # record (the next run's sync_history adds it), never the run's result or exit code.
        try:
            history.record_run(history.history_path(runs_root), out_dir, run_name=run_name)
        except history.HistoryBusyError as exc:
            if not any(w.startswith("run history not updated") for w in warnings):
                warnings.append(f"run history not updated: {exc}; this run is recorded by the next one "
                                "(or by syndicate.history.sync_history).")
    result.run_dir = Path(out_dir).expanduser().resolve()
    return result


def _compare_with_previous(result: RunResult, dataset: Dataset, config: Config, previous, prev_tables,
                           prev_manifest, baseline: pl.DataFrame | None, runs_root=None) -> None:
    """Run figures, lineage summary and alerts into ``result`` (and its manifest)."""
    from datetime import datetime

    from syndicate.alerts import evaluate_alerts, run_metrics
    from syndicate.history import METRIC_COLUMNS, run_summary

    # The same columns on every run (a first run's table is empty), so that the days' files stack.
    previous_clusters = (prev_tables["clusters"] if prev_tables is not None
                         else pl.DataFrame(schema={"cluster_id": pl.String, "risk_score": pl.Float64,
                                                   "archetype": pl.String}))
    result.dissolved = result.dissolved.join(
        previous_clusters.select("cluster_id", pl.col("risk_score").alias("previous_risk_score"),
                                 pl.col("archetype").alias("previous_archetype")),
        on="cluster_id", how="left").sort("cluster_id")
    result.manifest["summary"] = run_metrics(
        result.members, result.clusters, dataset.accounts,
        now=datetime.fromisoformat(result.manifest["reference_time"]),
        high_risk_threshold=config.risk.high_risk_threshold,
        registration_window_days=config.alerts.registration_window_days,
        previous_members=prev_tables["members"] if prev_tables else None, dissolved=result.dissolved)
    previous_summary = None
    if prev_tables is not None:
        row = run_summary(prev_tables, prev_manifest)
        previous_summary = {k: row[k] for k in METRIC_COLUMNS}
    result.manifest["lineage"] = {
        "previous_run": (prev_manifest.get("run_name") or Path(previous).name) if previous else None,
        "previous_dir": str(Path(previous).resolve()) if previous else None,
        # Where the runs root was (root-cause finds the previous run beside a moved or copied run).
        "runs_root": str(Path(runs_root).resolve()) if runs_root is not None else None,
        "counts": dict(sorted(result.clusters.group_by("lineage").agg(pl.len()).rows())),
        "dissolved": result.dissolved.height if previous else 0,
        "previous_summary": previous_summary,
    }
    result.alerts = evaluate_alerts(result.clusters, result.manifest["summary"], rules=config.alerts,
                                    baseline=baseline, has_previous=previous is not None,
                                    input_rows=result.manifest.get("input_rows"),
                                    previous_input_rows=(prev_manifest or {}).get("input_rows"),
                                    repeated_events=result.manifest.get("repeated_events"),
                                    previous_repeated_events=(prev_manifest or {}).get("repeated_events"))
    result.manifest["alerts"] = {"count": len(result.alerts),
                                 "rules": sorted({a.rule for a in result.alerts})}


def _write_report_files(tmp: Path, result: RunResult, dataset: Dataset, config: Config,
                        baseline: pl.DataFrame | None, *, model: RiskModel | None = None,
                        decisions: pl.DataFrame | None = None) -> None:
    """alerts.json, dissolved and creation tables, and report.html, into the temporary folder."""
    import json
    import time

    from syndicate.alerts import ALERTS_FILE, alerts_document
    from syndicate.history import run_summary
    from syndicate.report.html import (CREATION_FILE, DISSOLVED_FILE, REPORT_FILE, creation_by_day,
                                       render_report)

    started = time.perf_counter()
    creation = creation_by_day(dataset.accounts, result.members, result.clusters,
                               high_risk_threshold=config.risk.high_risk_threshold)
    creation.write_parquet(tmp / CREATION_FILE)
    result.dissolved.write_parquet(tmp / DISSOLVED_FILE)
    if result.accounts is not None:
        from datetime import datetime

        from syndicate.health import HEALTH_FILE, account_segments, health_table

        reference = result.manifest.get("reference_time")
        segments = account_segments(result.accounts, result.clusters, input_accounts=dataset.accounts,
                                    now=datetime.fromisoformat(reference) if reference else None,
                                    high_risk_threshold=config.risk.high_risk_threshold)
        health_table(segments).write_parquet(tmp / HEALTH_FILE)
    document = alerts_document(result.alerts, run_name=result.manifest["run_name"], rules=config.alerts)
    (tmp / ALERTS_FILE).write_text(json.dumps(document, indent=2, default=str))
    current = pl.DataFrame([run_summary(result.tables(), result.manifest)])
    trend = (pl.concat([baseline, current], how="diagonal_relaxed")
             if baseline is not None and baseline.height else current)
    report_tables = {**result.tables(), "dissolved": result.dissolved, "creation": creation}
    if dataset.labels is not None:
        report_tables["labels"] = dataset.labels
    html = render_report(report_tables, result.manifest, history=trend, alerts=document["alerts"], model=model,
                         decisions=decisions)
    (tmp / REPORT_FILE).write_text(html, encoding="utf-8")
    result.manifest["timings_seconds"]["report"] = round(time.perf_counter() - started, 3)


def top_clusters_text(clusters: pl.DataFrame, n: int = 10, *, width: int = 100) -> str:
    """A plain-text table of the top clusters for terminals, no line longer than ``width``.

    One line per cluster (rank, id, size, risk, what it looks like), its reasons below it,
    wrapped.
    """
    import textwrap

    from syndicate.alerts import ARCHETYPE_WORDS

    lines = [f"{'rank':>4}  {'cluster':<14} {'size':>6}  {'risk':>5}  looks like / why"]
    indent = " " * 8
    for row in clusters.sort("rank").head(n).iter_rows(named=True):
        looks = ARCHETYPE_WORDS.get(row["archetype"], row["archetype"])
        line = f"{row['rank']:>4}  {row['cluster_id']:<14} {row['size']:>6,}  {row['risk_score']:>5.2f}  {looks}"
        lines.append(line if len(line) <= width else line[:width - 1] + "…")
        for reason in (row["reasons"] or [])[:3]:
            lines.extend(textwrap.wrap(reason, width, initial_indent=indent + "- ",
                                       subsequent_indent=indent + "  ", break_on_hyphens=False))
    return "\n".join(lines)


__all__ = ["run", "run_to_folder", "link", "cluster", "rank", "score", "name_and_rank", "renamed", "score_accounts",
           "account_table", "RunResult", "Links"]

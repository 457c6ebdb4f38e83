"""Takeover waves: one new device, card or phone arriving on many old accounts in one sweep.

An account is made with its owner's phone and card; a new one later is ordinary (a new phone,
a card added for a first purchase). What is not ordinary is the *same* new identifier turning
up on many long-lived accounts within days: an operator working through stolen or bought
logins from a few devices, and cashing out to one card. Nothing else about the accounts
changes — they keep their age, their history and their owners' households — so the shared
identifier alone looks like an agency's staff phone, and the accounts' slow growth clears
them; the timing of the identifier's arrival is what tells them apart.

Per identifier value (``signals`` with ``seen_at``; personal kinds — devices, payment
instruments, phones, e-mails and kinds of no named family — and places, IPs and addresses,
under the condition below; not attributes or hubs):

* its *late* arrivals: accounts on which it was first seen at least :data:`LATE_DAYS` after the
  account was created;
* its *wave*: the most late arrivals within any :data:`WAVE_DAYS` days — within any
  :data:`SWEEP_DAYS` days when the accounts it reached were strangers (below) and
  :data:`TAKEOVER_WAVE_ACCOUNTS` or more: an operator works through its victims over weeks, a
  family's new tablet reaching its members one by one is no sweep —, counted only when it holds
  at least half of the value's accounts (a parcel locker or a shop's till gets new users every
  week; a takeover device gets most of its accounts in one sweep) and at least
  :data:`MIN_WAVE` of them (:data:`TAKEOVER_WAVE_ACCOUNTS` for a place).

A place changes for every user of a network at once (an office's new line, a move, friends at
one hotel), so its wave is read only when it is *confirmed*: at least
:data:`PLACE_CONFIRM_SHARE` of its accounts also got a new device (their own or shared) within
:data:`WAVE_DAYS` of arriving on it, before or after. An operator logs into every victim from its own devices;
people who move or travel together keep their phones. Without a device kind, places are not
read. This reads a ring that moves its victims to the operator's IPs and drop addresses while
giving each a device of its own (one of the seventh marketplace's two other rings; the other
spreads three or four victims per IP over three weeks: no place holds five).

A value first seen within :data:`LATE_DAYS` of the earliest sighting of its kind is not read:
it may have been on the account before that kind's log began (a signals table kept from a
login log of 90 days sees every old account's identifiers "arrive" in its first days, an
agency's staff phone on all its customers at once).

*Strangers.* A family's new tablet reaches people who shared a home IP, an address or a card
long before it; an operator's device reaches victims who never met. A wave most of whose
accounts shared no identifier with another of them (none seen on two of them more than
:data:`PRIOR_GAP_DAYS` before the wave's first arrival, or undated; not properties, hubs or the
operator's own other waves of the month before) is a wave of strangers (:func:`stranger_waves`),
read from :data:`MIN_WAVE` accounts; when fewer than two of its accounts held anything dated
from before, nothing is known and it weighs as a household's. Measured on eight independently
built marketplaces (20k accounts, two seeds), per wave: the takeover waves' accounts 0-0.25
tied before (0-0.04 on average per marketplace; the seventh's large rings, whose victims the
operator moved to its IPs and addresses, 0.28-0.77: waves of 16-27, full strength by size),
households' 0-1.0 (0.94-1.0 on average; one of 236 at 0); travel agencies' waves of customers
(7-30) are strangers too, and as large as a takeover's either way.

``takeover_strength`` of an account is the strength of its strongest wave (:func:`wave_strength`:
a household's none at four accounts, full at eight; strangers' none at two, full at six), and
``takeover_wave`` that wave's size (the largest of equally strong ones; 0 when none). The
cluster features are ``takeover_wave_share``, the share of members in a wave of some strength,
``takeover_wave_max``, the largest of the members' waves, and ``takeover_wave_strength``, the
strongest. Only waves of :data:`TAKEOVER_WAVE_ACCOUNTS` or more join their accounts into a
takeover group (the cluster stage): carving three or four strangers out of the cluster their
ring sits in split rings whose operator spread its victims over weeks (the tenth marketplace).

Measured on five independently built marketplaces that carry ``seen_at`` (20k accounts each,
two seeds): the takeover rings whose operator reused a device, card or phone put their victims
in waves of 6-27, and bought aged accounts in waves of up to 37; rings that spread a few
victims over many devices (waves of 3-4) were not read until place waves were (twenty-first
sitting: confirmed place waves held only takeover victims on the seventh and eighth, and on the
tenth its takeover crews and travel agencies whose staff devices already made waves);
the fourth's and fifth's botnets, which came through IPs alone, are not. In benign groups the
largest waves were a family's new tablet or shared phone: 3-5 accounts.

Values beyond the hub cap (``hub_cap``, 200 accounts) are no one's and are not read: a device
that reached more victims than that is a hub, and its accounts are found, if at all, by what
else binds them.

Cost: one sort of the late rows by (value, time) and a ``searchsorted`` per window (a week, a
month); for the strangers, one join of the wave accounts' own signal rows (those accounts only)
per window.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import numpy as np
import polars as pl

from syndicate.cluster.components import pair_components
from syndicate.features.identity import is_attribute, kind_family

# An identifier first seen a month or more after the account was made came later: a new phone,
# a card added for a purchase — or an operator's device (a sign-up's own identifiers are seen
# within its first days).
LATE_DAYS = 30
# A sweep of strangers: the late arrivals of one value within a month, read when the accounts
# it reached had shared nothing before and are TAKEOVER_WAVE_ACCOUNTS or more (finish_with_held;
# any other wave must fit in a week).
# Operators work through stolen or bought logins over days to weeks: the fifteenth marketplace's
# rings reached their victims over 7-28 days from two to five devices each, so few weeks held
# half of a device's victims (a week read 30 and 46 of its 99 and 113 ring members at 20k, seeds
# 1 and 2; a month 72 and 80). A family's new tablet reaching its members one by one over a month
# is no sweep: read for everyone, a month put households of five to eight beside the tenth's
# takeover crews in their takeover groups (crews found 4/4 -> 2/4; strangers only: 3/4). And a
# month's wave counts from TAKEOVER_WAVE_ACCOUNTS (finish_with_held), not from three: three
# strangers meet on one value far more often by chance in a month than in a week (it cost the
# tenth one rotating worker farm whose devices reached 3-4 workers each).
# Measured on 54 folders at 20k (18 marketplaces) and 16 at 100k: net +2 and +24 top-K places
# (at 100k the eighteenth +11, fifteenth +8, seventh +4, tenth +2; thirteenth -3). The cost: a
# company that rolls one corporate card and a travel desk's device out to its staff's old
# accounts over a month is a wave of strangers too (the tenth's corporate travel took five more
# top places without labels; with labels none).
SWEEP_DAYS = 30
# Waves are read from a month (LATE_DAYS) before the first event of the data on. A takeover is
# an incident: the operator uses the accounts it took within days or weeks (an account is often
# "warmed" a few weeks first), and what it does with them is what the events show. An
# identifier that reached many old accounts long before any activity the data holds is an
# arrangement they have lived with since: a company's corporate card and travel desk rolled out
# to its staff, a new office. Where the signals' history reaches further back than the events,
# two independently built marketplaces hold such rollouts: the tenth's corporate travel (waves
# 180-190 days before its first event) took 10 of its top 29 places without labels as takeover
# waves, the seventeenth's corporate accounts one (235 days before). The takeover crews of ten
# marketplaces with dated signals came within their events' window, but for five of the tenth's
# farms and bots whose bought accounts took the operator's devices 190-360 days before it
# (ranked by their other evidence as before). Without events, every wave is read.
BEFORE_EVENTS_DAYS = LATE_DAYS
# A sweep: the late arrivals of one value within a week — every wave but a month's of strangers
# (above). Also: a place's wave is confirmed by new devices within a week of it, and ties of the
# week before a wave count as the operator's (below).
WAVE_DAYS = 7
# The smallest wave recorded (two accounts getting one new tablet is any couple).
MIN_WAVE = 3
# A wave this large is beyond most households' (a family of four that buys a tablet puts it on
# four accounts; the largest benign waves we measured were five) and joins its accounts into a
# takeover group; the scorecards weigh it by its size (wave_strength: a quarter at five, whole
# at eight), so a family of five carved out alone still scores low.
TAKEOVER_WAVE_ACCOUNTS = 5
# Strangers: a wave most of whose accounts shared no identifier with another of them before it
# (none seen on two of them more than a week before its first arrival: the operator's card may
# come a few days before its device). A family's new tablet reaches people who shared a home
# IP, an address or a card for years; an operator's device reaches victims who never met.
# Measured on eight independently built marketplaces that carry ``seen_at`` (20k accounts, two
# seeds), per wave: takeover waves 0-0.25 of their accounts tied before (the seventh's large
# rings, moved to the operator's IPs, 0.28-0.77), households 0.67-1.0 but one of 236 (at 0).
# Half tells the small waves apart with room on both sides.
STRANGER_TIED_SHARE = 0.5
PRIOR_GAP_DAYS = WAVE_DAYS
# A wave of strangers is read from three accounts (MIN_WAVE) and weighs fully from six
# (wave_strength): three strangers on one new device within a week is already beyond chance,
# while a wave of a household's members is read from five (TAKEOVER_WAVE_ACCOUNTS).
# A wave must hold at least this share of the value's accounts: most of them got it in the
# same sweep (a place or a shop's till gains new users every week, whatever its size).
_WAVE_SHARE = 0.5
# Kind families that are places: they change for everyone on them at once (an office's new
# line, a move, friends at one hotel), which no operator causes. Their waves are read only when
# confirmed (confirmed_places).
_PLACES = frozenset({"ip", "address"})
# A place's wave is a takeover's when at least this share of its accounts also got a new
# device within WAVE_DAYS of arriving on it: an operator logs into every victim from its own
# devices (and often moves it to its own IPs and drop addresses), while people who move,
# travel or change networks together keep their phones. A new card or phone does not confirm:
# an office that moves gets a corporate card the same week. Measured on four independently
# built marketplaces (the fourth, seventh, eighth, tenth; two seeds): takeover rings' place
# waves 1.0 (every victim), an office's move 0, households 0-0.2, group trips 0-0.4 (median
# 0). Three quarters leaves room for a victim whose new device the log missed.
PLACE_CONFIRM_SHARE = 0.75

# A value's wave rows as :func:`_waves` (and the Spark engine) hand them on.
WAVE_ROWS_SCHEMA = {"account_id": pl.String, "v": pl.UInt64, "wave": pl.Int64, "t": pl.Int64, "place": pl.Boolean}
WAVE_SCHEMA = {"account_id": pl.String, "takeover_wave": pl.UInt32, "takeover_strength": pl.Float64,
               "takeover_group": pl.String}


def value_key() -> pl.Expr:
    """``v``: a 64-bit hash of a row's (kind, value) (any fixed seed)."""
    return pl.struct("kind", "value").hash(0x7A4E).alias("v")


def wave_kinds(kinds: list[str], properties: Collection[str] = ()) -> list[str]:
    """The signal kinds whose late arrivals are read: personal identifiers and kinds of no named
    family, not places (IPs, addresses) or properties (``device_model``, ``email_domain``, the
    kinds in ``properties``: ``IdentityConfig.property_kinds``)."""
    return sorted(k for k in kinds if kind_family(k, properties) not in _PLACES and not is_attribute(k, properties))


def place_kinds(kinds: list[str], properties: Collection[str] = ()) -> list[str]:
    """The place kinds (IPs, addresses; not properties) whose waves are read when most of their
    accounts got new devices in the same days (:func:`confirmed_places`)."""
    return sorted(k for k in kinds if kind_family(k, properties) in _PLACES and not is_attribute(k, properties))


def device_kinds(kinds: list[str], properties: Collection[str] = ()) -> list[str]:
    """The device kinds among ``kinds`` (not properties): the new devices that confirm a place's
    wave (:func:`confirmed_places`)."""
    return sorted(k for k in kinds if kind_family(k, properties) == "device" and not is_attribute(k, properties))


def takeover_waves(accounts: pl.DataFrame, signals: pl.DataFrame | None,
                   hubs: pl.DataFrame | None = None, *, properties: Collection[str] = (),
                   first_event: datetime | None = None) -> pl.DataFrame:
    """``account_id, takeover_wave, takeover_strength, takeover_group`` of every account in a
    wave (see the module docstring, :func:`stranger_waves` and :func:`finish_waves`), sorted by
    ``account_id``; empty when ``signals`` has no ``seen_at``. ``properties``: kinds read as
    shared properties, not read. ``first_event``: the earliest event of the data (waves that
    began over :data:`BEFORE_EVENTS_DAYS` before it are not read; None: all are)."""
    if signals is None or signals.height == 0 or "seen_at" not in signals.columns:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    kinds = signals["kind"].drop_nulls().unique().to_list()
    personal, places = wave_kinds(kinds, properties), place_kinds(kinds, properties)
    seen = pl.col("seen_at").cast(pl.Datetime("us")).dt.epoch("s").alias("t")
    # Each kind's log begins at its earliest sighting (one small table, read by both passes).
    began = (signals.lazy().filter(pl.col("kind").is_in(personal + places)).select("kind", seen)
             .group_by("kind").agg(pl.col("t").min().alias("t0")).collect())

    def sightings(kinds: list[str]) -> pl.LazyFrame:
        rows = (signals.lazy().filter(pl.col("kind").is_in(kinds)).select("account_id", "kind", "value", seen)
                .join(began.lazy(), on="kind"))
        if hubs is not None and hubs.height:
            rows = rows.join(hubs.lazy().select("kind", "value"), on=["kind", "value"], how="anti")
        return rows

    created = accounts.lazy().select("account_id", pl.col("created_at").cast(pl.Datetime("us")).dt.epoch("s").alias("c"))
    late = _late(sightings(personal + places), created, places)
    # Each value's wave in a week and in a month (the month's counts only for strangers:
    # finish_with_held).
    week, month = _waves(late, WAVE_DAYS), _waves(late, SWEEP_DAYS)
    # The new devices of the accounts in a place's wave (their own ones too): only those
    # accounts' device rows meet the creation times.
    place = wave_accounts(week, month, places=True)
    arrivals = (sightings(device_kinds(personal, properties)).join(place.lazy(), on="account_id", how="semi")
                .join(created, on="account_id").filter(_is_late()).select("account_id", "t").collect()
                if place.height else None)
    week, month = with_confirmed_places(week, arrivals), with_confirmed_places(month, arrivals)
    if week.height + month.height == 0:
        return finish_waves(week)
    # What the waves' accounts held (the kinds read, places too; not properties or hubs): only
    # those accounts' rows.
    held = (sightings(personal + places).join(wave_accounts(week, month).lazy(), on="account_id", how="semi")
            .select("account_id", "kind", "value", "t").collect())
    return finish_with_held(week, held, month=month, read_from=wave_read_from(first_event))


def _smallest_wave() -> pl.Expr:
    """The smallest wave recorded for a row's value (column ``place``): :data:`MIN_WAVE`, and for
    a place :data:`TAKEOVER_WAVE_ACCOUNTS` — a smaller place wave is any family's move and would
    weigh nothing (``wave_strength``), while reading them would triple the rows (1M accounts)."""
    return pl.when(pl.col("place")).then(pl.lit(TAKEOVER_WAVE_ACCOUNTS)).otherwise(pl.lit(MIN_WAVE))


def _is_late() -> pl.Expr:
    """A sighting at least LATE_DAYS after its account was made and after its kind's log began
    (columns ``t``, ``c``, ``t0``: epoch seconds)."""
    return (pl.col("t").is_not_null() & (pl.col("t") - pl.col("c") >= LATE_DAYS * 86400)
            & (pl.col("t") - pl.col("t0") >= LATE_DAYS * 86400))


def _late(rows: pl.LazyFrame, created: pl.LazyFrame, places: list[str]) -> pl.DataFrame:
    """The late arrivals (``account_id, v, t, holders, place``: of a kind in ``places``) of the
    values that have enough of them to make a wave, sorted by (value, time)."""
    # Values on fewer accounts than a wave go first: most identifiers are one account's own,
    # and only the rest meet the accounts' creation times (a join on the ids).
    rows = (rows.select("account_id", value_key(), "t", "t0", pl.col("kind").is_in(places).alias("place"))
            .with_columns(pl.len().over("v").alias("holders"))
            .filter(pl.col("holders") >= _smallest_wave()))
    return (rows.join(created, on="account_id")
            .filter(_is_late())
            # Only values with enough late arrivals to make a wave of half their holders.
            .filter(pl.len().over("v") >= pl.max_horizontal(_smallest_wave(), pl.col("holders") * _WAVE_SHARE))
            .select("account_id", "v", "t", "holders", "place")
            .sort("v", "t", "account_id")
            .collect())


def _waves(late: pl.DataFrame, days: int) -> pl.DataFrame:
    """``account_id, v, wave, t, place``: the accounts in each value's wave (its earliest window
    of ``days`` holding the most late arrivals, when that is at least :func:`_smallest_wave` —
    MIN_WAVE, TAKEOVER_WAVE_ACCOUNTS for a place — and half its holders), from :func:`_late`'s
    rows."""
    if late.height == 0:
        return pl.DataFrame(schema=WAVE_ROWS_SCHEMA)
    # Late arrivals of a value within ``days`` from each row on: rows are sorted by (value,
    # time), so one key of value rank and time makes it a searchsorted.
    t = late["t"].to_numpy().astype(np.int64)
    t = t - t.min()
    value = late["v"].rank("dense").to_numpy().astype(np.int64)
    key = value * (int(t.max()) + days * 86400 + 1) + t
    position = np.arange(late.height, dtype=np.int64)
    ahead = np.searchsorted(key, key + days * 86400, side="right") - position
    return (late.with_columns(pl.Series("_ahead", ahead), pl.Series("_pos", position))
            .with_columns(pl.col("_ahead").max().over("v").alias("_wave"))
            # The value's wave: its earliest window holding the most late arrivals.
            .with_columns(pl.col("_pos").filter(pl.col("_ahead") == pl.col("_wave")).min().over("v").alias("_start"))
            .filter((pl.col("_pos") >= pl.col("_start")) & (pl.col("_pos") < pl.col("_start") + pl.col("_wave"))
                    & (pl.col("_wave") >= _smallest_wave()) & (pl.col("_wave") >= pl.col("holders") * _WAVE_SHARE))
            .select("account_id", "v", pl.col("_wave").cast(pl.Int64).alias("wave"), "t", "place"))


def confirmed_places(waves: pl.DataFrame, arrivals: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``waves`` (``account_id, v, wave, t``: accounts arriving on a place in its
    wave) whose place is *confirmed*: at least :data:`PLACE_CONFIRM_SHARE` of its wave's accounts
    got a new device (``arrivals``: ``account_id, t`` of their late device sightings, any value)
    within :data:`WAVE_DAYS` of arriving on it, before or after (an operator may log in first
    and move the account to its IP and drop address later, or the other way round)."""
    if waves.height == 0 or arrivals.height == 0:
        return waves.clear()
    met = (waves.select("account_id", "v", "t")
           .join(arrivals.select("account_id", pl.col("t").alias("_tp")), on="account_id", how="left")
           .group_by("v", "account_id")
           .agg(((pl.col("_tp") - pl.col("t")).abs() <= WAVE_DAYS * 86400).fill_null(False).any().alias("_new"))
           .group_by("v").agg(pl.col("_new").mean().alias("_share")))
    ok = met.filter(pl.col("_share") >= PLACE_CONFIRM_SHARE).select("v")
    return waves.join(ok, on="v", how="semi", maintain_order="left")


def wave_accounts(*waves: pl.DataFrame, places: bool = False) -> pl.DataFrame:
    """``account_id`` of the accounts in any of ``waves`` (rows with ``place`` when ``places``:
    those in a place's wave), each once."""
    return pl.concat([w.filter(pl.col("place")) if places else w for w in waves]).select("account_id").unique()


def with_confirmed_places(waves: pl.DataFrame, arrivals: pl.DataFrame | None) -> pl.DataFrame:
    """``account_id, v, wave, t`` of the wave rows (with ``place``) of values that are no place
    and of the places :func:`confirmed_places` confirms by ``arrivals`` (None: no place rows)."""
    place = waves.filter(pl.col("place"))
    place = place.clear() if arrivals is None else confirmed_places(place, arrivals)
    return pl.concat([waves.filter(~pl.col("place")), place]).select("account_id", "v", "wave", "t")


def stranger_waves(waves: pl.DataFrame, held: pl.DataFrame) -> pl.DataFrame:
    """``waves`` (``account_id, v, wave, t``: one row per account and value in a wave) with
    ``strangers``: whether the value's wave accounts were strangers before it.

    ``held``: ``account_id, v, t`` (epoch seconds, null when undated) of the wave accounts'
    sightings (the caller leaves out properties and hubs). A sighting is from before the wave
    when seen more than :data:`PRIOR_GAP_DAYS` before the wave's first arrival, or undated (it
    may be). Values that made a wave of their own from :data:`LATE_DAYS` before this one on are
    the operator's (its card may come weeks before its device): they tie no one. Strangers: two
    or more of the wave's accounts held something from before it, and fewer than
    :data:`STRANGER_TIED_SHARE` of those shared a value with another of the wave's accounts;
    with fewer known accounts nothing is known (no strangers: a household's weight)."""
    start = waves.group_by("v").agg(pl.col("t").min().alias("_start"))
    recent = start.select(pl.col("v").alias("_u"), pl.col("_start").alias("_ustart"))
    before = (waves.select("account_id", "v").unique().join(start, on="v")
              .join(held.select("account_id", pl.col("v").alias("_u"), pl.col("t").alias("_t")), on="account_id")
              .filter((pl.col("_u") != pl.col("v"))
                      & (pl.col("_t").is_null() | (pl.col("_t") < pl.col("_start") - PRIOR_GAP_DAYS * 86400)))
              .join(recent, on="_u", how="left")
              .filter(pl.col("_ustart").is_null() | (pl.col("_ustart") < pl.col("_start") - LATE_DAYS * 86400)))
    known = before.group_by("v").agg(pl.col("account_id").n_unique().alias("_known"))
    tied = (before.filter(pl.col("account_id").n_unique().over("v", "_u") >= 2)
            .group_by("v").agg(pl.col("account_id").n_unique().alias("_tied")))
    share = (start.join(known, on="v", how="left").join(tied, on="v", how="left")
             .select("v", ((pl.col("_known").fill_null(0) >= 2)
                           & (pl.col("_tied").fill_null(0) / pl.col("_known") < STRANGER_TIED_SHARE))
                     .fill_null(False).alias("strangers")))
    return waves.join(share, on="v", how="left", maintain_order="left")


def finish_with_held(waves: pl.DataFrame, held: pl.DataFrame, *, month: pl.DataFrame | None = None,
                     read_from: int | None = None) -> pl.DataFrame:
    """:func:`finish_waves` of the wave rows (``account_id, v, wave, t``: each value's wave in
    :data:`WAVE_DAYS`) judged by what their accounts held (``held``: ``account_id, kind, value,
    t`` of the sightings read, epoch seconds; :func:`stranger_waves`). ``month``: the values'
    waves in :data:`SWEEP_DAYS`, which take the place of their week's for their accounts when
    those were strangers and :data:`TAKEOVER_WAVE_ACCOUNTS` or more: an operator works through
    its victims over weeks, while a family's new tablet reaching its five members within a month
    is no sweep. ``read_from`` (epoch seconds, :func:`wave_read_from`): waves that began earlier are
    not read. Both engines finish here."""
    held = held.select(pl.col("account_id").cast(pl.String), value_key(), pl.col("t").cast(pl.Int64))
    waves = stranger_waves(waves, held)
    if month is not None and month.height:
        # From TAKEOVER_WAVE_ACCOUNTS only: three strangers meeting on one value is some 18 times
        # likelier by chance within a month than within a week (a recycled number, a common
        # fingerprint), and the sweeps it is for reach dozens.
        month = stranger_waves(month, held).filter(pl.col("strangers") & (pl.col("wave") >= TAKEOVER_WAVE_ACCOUNTS))
        # The month's accounts take its wave; those of the value's week wave outside the month
        # keep theirs (each account's strongest counts: finish_waves).
        waves = pl.concat([waves.join(month.select("v", "account_id"), on=["v", "account_id"], how="anti"), month])
    if read_from is not None:  # after the strangers: an operator's older card still ties no one
        waves = waves.filter(pl.col("t").min().over("v") >= read_from)
    return finish_waves(waves)


def wave_read_from(first_event: datetime | None) -> int | None:
    """The earliest start of a wave that is read (epoch seconds): :data:`BEFORE_EVENTS_DAYS`
    before the first event of the data; None without events (every wave is read)."""
    if first_event is None:
        return None
    epoch = datetime(1970, 1, 1, tzinfo=first_event.tzinfo)
    return int((first_event - epoch).total_seconds()) - BEFORE_EVENTS_DAYS * 86400


def finish_waves(rows: pl.DataFrame) -> pl.DataFrame:
    """``account_id, takeover_wave, takeover_strength, takeover_group`` from the wave rows
    (``account_id``, ``v`` the value's key, ``wave`` its size, optionally ``strangers``:
    :func:`stranger_waves`; one row per account and value in a wave).

    ``takeover_strength``: the strength of the account's strongest wave (:func:`wave_strength`),
    ``takeover_wave`` that wave's size (the largest of equally strong ones: for most accounts
    their largest). ``takeover_group``: accounts joined by waves of
    :data:`TAKEOVER_WAVE_ACCOUNTS` or more (one operator's device and card over the same
    victims are one group), named by the smallest account id in it; null for smaller waves."""
    if rows.height == 0:
        return pl.DataFrame(schema=WAVE_SCHEMA)
    if "strangers" not in rows.columns:
        rows = rows.with_columns(pl.lit(False).alias("strangers"))
    rows = rows.with_columns(wave_strength(pl.col("wave"), pl.col("strangers").fill_null(False)).alias("_s"))
    # The account's strongest wave, the largest of equally strong ones: its size and strength.
    out = rows.group_by("account_id").agg(
        pl.col("wave").sort_by(["_s", "wave"], descending=[True, True]).first().cast(pl.UInt32).alias("takeover_wave"),
        pl.col("_s").max().alias("takeover_strength"))
    taken = rows.filter(pl.col("wave") >= TAKEOVER_WAVE_ACCOUNTS)
    if taken.height:
        accounts, labels = pair_components(taken["account_id"], taken["v"])
        # Accounts are sorted: a component's first account is its smallest id.
        first = pl.DataFrame({"account_id": accounts, "_c": labels}).with_columns(
            pl.col("account_id").first().over("_c").alias("takeover_group"))
        out = out.join(first.select("account_id", "takeover_group"), on="account_id", how="left")
    else:
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("takeover_group"))
    return out.sort("account_id")


def wave_strength(size: pl.Expr, strangers: pl.Expr | None = None) -> pl.Expr:
    """How far a wave of ``size`` accounts is beyond a household's: none at four (a family's
    new tablet), full at eight (twice that), in between in proportion. A wave of ``strangers``
    (:func:`stranger_waves`; a boolean expression) is no family's: none at two, full at six."""
    size = size.cast(pl.Float64).fill_null(0.0)
    floor = 4.0 if strangers is None else pl.when(strangers).then(2.0).otherwise(4.0)
    return ((size - floor) / 4).clip(0, 1)


def strength_of(columns: Collection[str], strength: str, size: str) -> pl.Expr:
    """The column ``strength`` when a table has it, else :func:`wave_strength` of its ``size``
    column: tables made by hand or before strangers' waves were read weigh a wave by its size
    alone (a wave then has some strength from TAKEOVER_WAVE_ACCOUNTS on, as before)."""
    return pl.col(strength) if strength in columns else wave_strength(pl.col(size))


def row_strength(row: dict, strength: str, size: str) -> float:
    """:func:`strength_of` for one row (a dict, as the reasons read them)."""
    value = row.get(strength)
    if value is not None:
        return float(value)
    return float(pl.select(wave_strength(pl.lit(float(row.get(size) or 0)))).item())


def _with_strength(waves: pl.DataFrame) -> pl.DataFrame:
    """``waves`` with ``takeover_strength`` (:func:`strength_of`)."""
    return waves.with_columns(strength_of(waves.columns, "takeover_strength", "takeover_wave").alias("takeover_strength"))


def takeover_cluster_features(members: pl.DataFrame, waves: pl.DataFrame | None) -> pl.DataFrame:
    """``cluster_id, takeover_wave_share, takeover_wave_max, takeover_wave_strength``: the share
    of members in a wave of some strength (:data:`TAKEOVER_WAVE_ACCOUNTS` accounts or more, or
    :data:`MIN_WAVE` strangers), the largest wave a member is in, and the strongest
    (:func:`wave_strength`; 0 without waves)."""
    clusters = members.select("cluster_id").unique()
    if waves is None or waves.height == 0:
        return clusters.with_columns(pl.lit(0.0).alias("takeover_wave_share"),
                                     pl.lit(0, dtype=pl.UInt32).alias("takeover_wave_max"),
                                     pl.lit(0.0).alias("takeover_wave_strength"))
    return (members.select("account_id", "cluster_id").join(_with_strength(waves), on="account_id", how="left")
            .group_by("cluster_id").agg(
                (pl.col("takeover_strength").fill_null(0) > 0).mean().alias("takeover_wave_share"),
                pl.col("takeover_wave").max().fill_null(0).cast(pl.UInt32).alias("takeover_wave_max"),
                pl.col("takeover_strength").max().fill_null(0.0).alias("takeover_wave_strength")))


def with_takeover_wave(table: pl.DataFrame, waves: pl.DataFrame | None) -> pl.DataFrame:
    """``table`` (one row per account) with ``takeover_wave`` and ``takeover_strength`` (Float64,
    0 outside waves)."""
    if waves is None or waves.height == 0:
        return table.with_columns(pl.lit(0.0).alias("takeover_wave"), pl.lit(0.0).alias("takeover_strength"))
    return (table.join(_with_strength(waves).select("account_id", pl.col("takeover_wave").cast(pl.Float64),
                                                    "takeover_strength"),
                       on="account_id", how="left", maintain_order="left")
            .with_columns(pl.col("takeover_wave").fill_null(0.0), pl.col("takeover_strength").fill_null(0.0)))


__all__ = ["BEFORE_EVENTS_DAYS", "LATE_DAYS", "MIN_WAVE", "WAVE_ROWS_SCHEMA", "PLACE_CONFIRM_SHARE", "PRIOR_GAP_DAYS",
           "STRANGER_TIED_SHARE", "SWEEP_DAYS", "TAKEOVER_WAVE_ACCOUNTS", "WAVE_DAYS", "confirmed_places",
           "device_kinds", "finish_waves", "finish_with_held", "place_kinds", "row_strength", "strength_of",
           "stranger_waves", "takeover_cluster_features", "takeover_waves", "value_key", "wave_accounts",
           "wave_kinds", "wave_read_from", "wave_strength", "with_confirmed_places", "with_takeover_wave"]

"""Settings for every stage: frozen dataclasses that round-trip to dict and TOML.

Defaults are chosen for real marketplace traffic, not for the bundled generator; each one
says why it is what it is. Unknown keys and out-of-range values are rejected where the
config is loaded, with a message that names the key and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import tomli_w


class ConfigError(ValueError):
    """A configuration key is unknown or its value is out of range."""


def _frozen_map(values: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(sorted(values.items())))


@dataclass(frozen=True)
class IdentityConfig:
    """Links from shared identifiers (signals table)."""

    # A value shared by more accounts than this makes no pairs and is reported as a hub:
    # carrier NAT IPs, shared office Wi-Fi and public kiosks reach hundreds to thousands
    # of accounts and say nothing about common control, while one operator's device pool
    # rarely serves more than a few dozen accounts. 200 also bounds the pair count per value
    # (200*199/2 = 19,900), which keeps the stage linear in practice.
    hub_cap: int = 200
    # Values a platform writes where an identifier is missing, left out beside those every run
    # leaves out (syndicate/placeholders.py: all-zero ids, "unknown", 0.0.0.0, digests of the
    # empty string, ...): its own default device id, a masked number that is none of those
    # forms. Below hub_cap accounts such a value binds strangers into one "operator", and its
    # first sighting on many old accounts reads as a takeover wave. Dropped from the signals of
    # identifier kinds when the input is read (both engines), counted in the manifest
    # (placeholder_signals). Values, not names: kept as written, white space around them
    # trimmed; ASCII letters match in any case, others only as written. At most
    # MAX_PLACEHOLDER_VALUES of them, of 128 characters each and MAX_PLACEHOLDER_CHARACTERS in
    # all: a platform has a handful, and they join one regular expression with the listed ones,
    # which polars refuses past its 10 MB compiled size (1,000 values of 130 letters; each
    # letter matches in two cases).
    placeholder_values: tuple[str, ...] = ()
    # Evidence that two accounts sharing ONE value of a kind, and only two, are run by the same
    # person. A device or a payment card is close to personal; phones and e-mails are personal
    # but recycled and shared in families; a postal address is shared by households; an IP is
    # shared by NAT, VPNs and Wi-Fi. The strength falls as 1 / log2(n) with the number n of
    # accounts that share the value (inverse-frequency weighting, as in Adamic–Adar).
    kind_strength: Mapping[str, float] = field(
        default_factory=lambda: _frozen_map(
            {"device": 0.9, "payment": 0.9, "phone": 0.8, "email": 0.7,
             "address": 0.5, "ip": 0.35}
        )
    )
    # Kinds not listed above (the set is open) take the strength of the kind their name stands
    # for (features/identity.py kind_family: an "ipv4_24" block or a "client_ip" is an IP,
    # 0.35; a "device_fp" a device, 0.9), and a name that stands for none this: moderate
    # evidence. Personal kinds' floors stay with the listed names (a pool of rented SMS numbers
    # read as "phone" would bind unrelated farms).
    default_strength: float = 0.5
    # Kinds whose name reads as a property many accounts share, not an identifier
    # ("email_domain", "card_bin", "device_model", "ip_country"): a small company's domain on
    # four employees or a rare phone model on three strangers is weaker than a shared IP, so it
    # never binds a pair on its own (0.15 < min_edge_weight) and only adds to other evidence.
    attribute_strength: float = 0.15
    # Kinds read as such properties whatever their names say: a dataset's coarse fingerprint
    # ("ua_fp": a browser build and screen size that hundreds share), a shop's pickup locker.
    property_kinds: tuple[str, ...] = ()
    # ... and the run adds each kind named for a personal identifier (a device, payment
    # instrument, phone or e-mail) that holds at least this share of its rows on hub values
    # (shared by more than hub_cap accounts; listed in the manifest, link.kinds_read_as_properties):
    # one operator's pool is never most of a kind's values. One value holding most of the hub
    # rows is a sentinel ("00000000", "unknown") and not counted (link/identity.py hub_share).
    # Measured on ten marketplaces: personal kinds hold 0-11% of their rows on hubs (the most:
    # an advertising id whose all-zero value every phone that limits ad tracking sends); a
    # browser fingerprint named "ua_fp" 62% on 19 values, with 496 accounts per value at the
    # median — read as a device, it chained a quarter of a marketplace into one component.
    # 1.0 reads only kinds wholly on hubs.
    property_hub_share: float = 0.5
    # ... and each such kind with under this share of its rows on values that at most three
    # accounts hold (link/identity.py SMALL_VALUE_ACCOUNTS), judged on kinds of a thousand rows
    # or more (MIN_JUDGED_ROWS): a person's device, card, phone or e-mail is theirs alone or a
    # household's, so on a marketplace's data most of a personal kind's rows sit on such values
    # (measured on 22 marketplaces built six ways: 42-100% for every device, card, phone and
    # e-mail kind), while a coarse fingerprint sorts every account into large classes (a
    # "ua_fp" of 416 values on 20,000 accounts, 33 per value at the median and none on three or
    # fewer: 0%). That fingerprint held 48% of its rows on hubs, under property_hub_share, and
    # read as a device it chained fake-recruiter rings, carders and carrier-NAT users into mixed
    # clusters. The yardstick is the data's own persons: a kind is read so only beside another
    # kind of its family with half its rows or more on such values (the fingerprint beside a
    # device id at 96%), so a data set that holds only an operator's pools (an extract of
    # suspicious accounts, every device on ten or more) reads nothing this way. The run warns
    # when a kind is read so, and 0 reads no kind by this share.
    property_small_share: float = 0.02
    # Given links (the optional links table) of a kind that joins more than this share of all
    # accounts into one connected component are a social graph (friends, messages, follows),
    # not evidence of one operator: a social network percolates, "same person" matches from
    # another system do not. Measured: invites, referrals and phone-book matches of two
    # independent marketplaces join at most 3.5% of the accounts; friend and message links of a
    # third 24-95%, and at full weight they bound 88% of its accounts into one cluster. The
    # component must also hold more than hub_cap accounts (more than any operator's group, as
    # for an identifier value): on small data a few linked rings are a large share. Such kinds
    # link at attribute_strength times their weight: they add to other evidence only.
    # Every given link is also divided by log2(1 + d), d the partners of its busier end in its
    # kind, as an identifier's value falls with the accounts on it (link/given.py): an
    # influencer whose code fifty redeemed is no group's centre.
    social_link_share: float = 0.10
    # Kinds of the links table whose weights are taken as they are, without that divisor:
    # another system's "same person" matches, when it links every account of an entity to one
    # master account (a star of 32 or more would no longer bind on its links alone).
    given_exact_kinds: tuple[str, ...] = ()
    # Events whose target is an account of the dataset are read as attributions (link/
    # attribution.py: a sign-up through an invite or referral names its referrer) when at least
    # this share of the accounts doing the action towards accounts name one account only; the
    # account and the one it names then share a "referred_by" value. Invites and referrals of
    # three independently built marketplaces: 98-100% of their actors name one account;
    # follows, messages, tips, payments and subscriptions of eight: 12-73%. Above 1: off.
    attribution_min_single_share: float = 0.9
    # ... and at least half of them first do it within this many days of their account's
    # creation: one is invited or referred once, at sign-up. Reports, unmatches and blocks are
    # also done to one account by most who ever do them, at any time (an independent dating
    # app: its reports 93% towards one account, a quarter of them within a day of sign-up;
    # invites and referrals of three marketplaces: 99-100% within a day). Read as attributions,
    # a dating app's reporters were linked to the scam profile they reported (top-K 0.93 -> 0.70).
    attribution_signup_days: float = 1.0
    # Personal identifiers keep at least this strength however many accounts (up to
    # floor_up_to, below) share them: forty accounts on one phone or one card is the signature of an operator
    # (phone farms, emulators, shared cards), not noise; how many accounts share it is a
    # cluster feature the ranking judges. Platforms mostly allow one account per e-mail, so a
    # shared one means aliases or a shared inbox. An address shared by a dozen accounts is a
    # drop / reshipping address or a building: worth a candidate cluster, which the ranking
    # then judges (old, slowly grown groups rank low). All floors are above min_edge_weight,
    # so such a value binds a cluster on its own. IPs have no floor: their sharing (NAT, Wi-Fi,
    # VPN) is ordinary.
    kind_floor: Mapping[str, float] = field(
        default_factory=lambda: _frozen_map(
            {"device": 0.25, "payment": 0.25, "phone": 0.25, "email": 0.25, "address": 0.22})
    )
    # The floors hold for values shared by up to this many accounts; beyond, a value's
    # strength falls as base / log2(n) again (0.9 / log2(51) = 0.16, under min_edge_weight).
    # An operator's phone rack or card pool serves tens of accounts; one value on a hundred or
    # more unrelated accounts is a fingerprint collision (one factory image, one default
    # browser profile), a test card or a carrier's number, and with the floor it bound a
    # ring of thirty to a hundred strangers in one cluster (an independent marketplace at
    # 20k accounts, where five such fingerprints each sat on ~120 accounts, under the hub cap).
    floor_up_to: int = 50
    # Accounts that rotate through many values of a kind whose sharing is ordinary (IPs:
    # residential-proxy and VPN exits, mobile carriers' pools) share some of them with other
    # such accounts by chance: two bots drawing their exits from one proxy pool share two or
    # three of their 30-60 while never run by one operator. The evidence of such a kind on a
    # pair is multiplied by min(1, ordinary / min(n_a, n_b)), n the values of the kind each
    # account holds: only a pair of accounts that both hold more than ordinary loses any, and
    # what binds it is then what else it shares (devices, cards, co-action). Ordinary is the
    # larger of churn_ordinary and the churn_quantile of values per account over the accounts
    # holding the kind (a dataset that logs every session keeps its ordinary accounts whole;
    # where more than a tenth of them rotate, few pairs are scaled: the manifest's link.churn
    # says how many accounts are above). Measured on 22 marketplaces at 20k accounts: ordinary
    # accounts hold 3-8 IPs at the 90th percentile (at most 20); an online game's bot fleets,
    # mule rings and farm studios drew 27-55 each from one proxy pool shared by every operator,
    # which bound ten planted groups into one cluster of 462 (top K 0.46 -> 0.82).
    churn_families: tuple[str, ...] = ("ip",)
    churn_ordinary: int = 8
    churn_quantile: float = 0.9
    # How many hubs to list in the manifest (all are counted).
    max_hubs_listed: int = 200


@dataclass(frozen=True)
class LockstepConfig:
    """Links from accounts acting on the same target within a short window (events table)."""

    enabled: bool = True
    # Time is cut into buckets of this width (aligned to the epoch); two accounts acting on one
    # target in one bucket co-act. Farm jobs are dispatched and executed within a few minutes
    # (engagement-fraud papers and platform write-ups report 60–120 s for bots; human-run farms
    # that jitter spread a job over minutes), so 120 s catches most of a job in one or two
    # buckets while two strangers on a quiet target rarely meet by chance in one.
    window_seconds: int = 120
    # A second, slower window (0: off) for farms that spread each job over minutes to hours
    # (fake-follower sellers drip-feeding follows, careful botnets whose bots repost over an
    # hour): their members rarely meet within 120 s. The co-action group test runs again on
    # buckets this wide, and what it finds becomes a cluster only of accounts that no other
    # stage put in one (found_by ``slow_coaction``). An hour everywhere was measured to cost
    # more than it finds (the fifty-first sitting: 38 groups fewer over 80 runs, alumni
    # cohorts and fans meet within the hour too); as an addition for the accounts left over
    # it found 28 groups more over 83 runs at 20k, top K summed -0.04 (the twenty-third
    # without labels alone -0.13: its alumni cohorts, made in one week and connecting within
    # the hour, score as farms; benchmarks/RESULTS.md, fifty-second sitting). An hour: a job
    # spread over 10-50 minutes falls in one or two buckets, while a day would gather everyone
    # who reads the news.
    # Runs only when the events' clock is finer than it (on data recorded to the hour or
    # the day both windows see the same buckets).
    slow_window_seconds: int = 3600
    # ... keeping at most this many accounts per (target, hour) burst (bucket_cap's sampling):
    # pairs grow with the square of a burst, and an hour's bursts on popular targets are
    # crowds (at 1M accounts a cap of 300 made 463M candidate pairs and took 17 s, 50 made 85M
    # in 7.8 s). A job spread over an hour puts a few to a few dozen workers in each.
    slow_bucket_cap: int = 50
    # ... on data of at most this many events (0: any number), as the review-ring detector:
    # at 1M accounts / 21M events the pass added 36 s (31 s of it in the link stage) and 2.4 GB
    # to a 57-s run (cap 300).
    slow_max_events: int = 12_000_000
    # A pair co-acting on this many DISTINCT targets is strong evidence on its own; one viral
    # moment or a popular live stream links thousands of strangers once, a farm shares dozens
    # of jobs. Below it the evidence ramps down linearly (shared / min_shared_targets).
    min_shared_targets: int = 5
    # Pairs co-acting on fewer distinct targets than this are dropped. A rotating farm puts
    # each worker on 10–35% of the jobs, so two workers share a median of only two or three;
    # one shared target is what any two users of a popular item have, two repeated
    # coincidences are rare between strangers. The group stage adds these weak links up.
    min_weak_shared_targets: int = 2
    # At most this many accounts per (target, bucket) burst make pairs; the rest are sampled
    # out deterministically and counted in the manifest. A burst of thousands on one target is
    # a viral moment, not a farm job, and all-pairs would be quadratic.
    bucket_cap: int = 300
    # Shared bursts at which a pair's evidence reaches 63% of its normalised strength
    # (evidence = strength * (1 - exp(-shared / saturation_bursts))). Chance co-actions of
    # organic users on popular content come a handful at a time (5 give 46% of the strength);
    # farm workers are dispatched dozens of jobs a week (20 give 92%, 40 give 99%).
    saturation_bursts: float = 8.0
    # Every action of the dataset counts (its own vocabulary: "upvote", "review_5", ...); list
    # actions here to count only those, or exclude some that are not engagement on someone
    # else's content (orders, logins, posts of one's own). Compared case-insensitively.
    actions: tuple[str, ...] = ()
    exclude_actions: tuple[str, ...] = ()
    # The clock the events were recorded with, in seconds, at least (0: as the events show it).
    # A run reads it from the times (features/timing.py: 60, 3,600 or 86,400 s when nearly every
    # event sits on such a tick over three or more of them), and a clock coarser than the window
    # hides lockstep: two reviews on one date are no burst within seconds. A batch of one day's
    # data recorded to the day cannot show its clock and reads as seconds; `score-new` sets the
    # screened run's clock here, and so may a daily job on such data.
    clock_seconds: int = 0
    # Rare co-action (link/rare_coaction.py): groups meeting on rare targets within days (review
    # rings: a few reviews each, the same products in the same days, never the same seconds).
    rare_enabled: bool = True
    # ... on data of at most this many events (rows of the events table; 0: any number). Its
    # cost grows faster than the rest of the run: the pairs met in small cells grow with the
    # events, and Leiden over them holds one core. At 100k accounts / 2.1M events it takes
    # ~1 s; on the tenth marketplace at 100k accounts / 5.8M events ~6 s (a 13 s run takes
    # 19 s) and at 170k / 11.2M ~13 s (the link stage 5.9 -> 19.2 s); at 1M accounts / 21M events 15 s and +1 GB
    # on our generator and 45 s on a marketplace whose posts get their attention in their
    # first days (13M pairs), more than a run of that size may take. It is what finds farms
    # that rotate their workers and rings bound by nothing else (the tenth at 100k: 20 of 20
    # rotating farms and 30 of 30 review rings with it, 0 and 11 without), so it runs up to
    # the size of a busy 100-200k-account platform's data; above, the run warns that review
    # rings bound by nothing else are not found. Public review-spam sets (0.1-5M) fit.
    rare_max_events: int = 12_000_000
    # A cell is one target and one action within this window (two phases half a window apart):
    # review campaigns run over one to a few days; a week would mix in a product's organic life.
    rare_window_days: float = 2.0
    # ... and a second pass with one cell per target-action over the data's whole span (its own
    # chance model): a ring that spreads a few reviews per member over weeks rarely puts two of
    # them in one window, but a product whose reviewers over the whole data are a handful,
    # mostly the same light accounts product after product, gives it away just the same
    # (fifth marketplace: rings 4/8 -> 8/8 on seed 1, 1/8 -> 6/8 on seed 2). Only pairs that
    # met on two or more products take part (+0.8 s at 100k accounts; with every pair, +4.5 s),
    # and only accounts the windows left out (a ring met within days is not padded with
    # everyone who reviewed its products some other week). Off: windows only.
    rare_whole_span: bool = True
    # A number at the end or start of an action's name is a value of one action ("review_5",
    # "review_4", "rate:1", "5star" are reviews and ratings): one cell for all its values. A
    # ring rates its products 4 or 5 stars; as two actions its members who wrote one review
    # each never meet. Off: every distinct name is its own action.
    rare_fold_values: bool = True
    # Events whose target is an account of the dataset (a payment, a tip, a follow, a message
    # to another account) are relations between two accounts: two members of a family or a
    # circle of friends who both pay a third, over weeks, meet on a target only they touch,
    # which is what the detector reads as a ring's. It reads products, posts, listings and
    # streams only; invites and referrals are read by the attribution signals (IdentityConfig).
    # Measured on eighteen folders of the marketplaces whose events name accounts: top-K places
    # +18 / -2 (households out of the payments marketplace's top 26: 0.69 -> 1.00); on a dating
    # app's, written after: +13 (its scam rings message the same victims, which read as
    # products put every crowd that swiped on a boosted profile beside them).
    rare_account_targets: bool = False
    # Cells with more accounts than this give no links: a product that many accounts reviewed
    # within two days is popular, not a ring's (each pair in a cell of n gets 1 / (n - 1)).
    rare_max_cell_accounts: int = 20
    # A cell counts only as a burst of its target-action: at least this many times the accounts
    # one window would hold if all the target-action's accounts in the data were spread evenly
    # over its span. A ring's product gets its reviews in a campaign of days; an ordinary
    # product or post collects them over its life (3x: well above the day-to-day swing of a
    # steady target, below a campaign that brings most of a product's reviews at once).
    rare_min_burst: float = 3.0
    # Leiden (CPM) bar: a group holds together when its inner link weight is at least this
    # much per pair of members (a pair meeting once in a cell of n weighs 1 / (n - 1)): a ring
    # of 40 needs ~8 (about 40 co-reviews in cells of 6), a ring of 8 about 0.3. Absolute, so
    # that rings are cut the same way at 20k accounts and at 1M.
    rare_resolution: float = 0.01
    # Group test: co-occurrences beyond the s - 1 that connect a group of s must be at least
    # this many (enough evidence to judge a group at all) ...
    rare_min_excess: int = 8
    # ... and its repeated meetings (members already joined meeting again on another target:
    # none for one shared product, however popular) at least once and this many times the
    # co-occurrences the members' activity predicts. Light accounts of a ring meet again 100
    # to 10,000 times more often than that; organic accounts, a campus or an office, and the
    # fans of one creator (heavy users, so their activity predicts much) 15 to 80 times; 50
    # keeps every ring measured on two generators and drops most of the others.
    rare_min_lift: float = 50.0
    # A community that fails the test with the excess to pass is gathered again with each
    # member weighted by its activity: a member stays only where its links to the others weigh
    # this many times what chance predicts for accounts as active as they are. Chance meetings
    # of light accounts are so rare that one or two meetings in small cells clear it (a ring
    # member writing a few reviews); an account with hundreds of events, whose meetings with a
    # ring on its products in the same days are what its activity predicts, needs tens. 500 and
    # 1000 gave the same rings on three marketplaces (0: no second gathering).
    rare_regather_lift: float = 1000.0
    # With more accounts with events than this, the chance model expects the meetings of a
    # population of this size (link/rare_coaction.py chance_factor; 0: of the whole
    # population). Its expected meetings fall as one over the population, but real accounts
    # meet within communities of a size the platform's growth does not change (a city, a
    # creator's fans), so at five times the accounts the communities' lift is five times what
    # it was and crowds of them pass (third marketplace at 100k: 16,318 accounts in rare groups
    # against 2,343 with this). The two bars above were measured on data of 20,000 accounts.
    rare_reference_accounts: int = 20_000
    # Evidence of a link between two members of a tested group who met on a rare target: the
    # group test is the evidence, so each such pair binds like a device shared by a few.
    rare_link_strength: float = 0.5
    # A member of a group whose co-occurrences with it AND whose lift over chance are both
    # under this share of the group's leaves it (link/rare_coaction.py _hangers_on): a ring
    # whose members met each other on dozens of products takes in organic accounts that met it
    # on one or two, and a cluster of 8 ring members and 9 such passers-by reads as benign.
    # Measured on the groups of twelve marketplaces (seed 1): a fifth takes out 614 benign
    # members and 20 of rings or farms, and 21 groups become mostly bad, none the other way (a
    # tenth: 377 and 5, 14 groups; at a fifth the lift test alone: 691 and 44, the co-occurrence
    # test alone: 1158 and 68).
    rare_min_hanger_share: float = 0.2
    # Ratings against the crowd (link/rating_bursts.py): a burst of low ratings on a target its
    # other raters rate well (an attack on a competitor, review bombing). A campaign lands
    # within days, so a week is one cell (two phases half a week apart); an attack runs 3 to 30
    # accounts a week on the marketplaces we measured (three: the smallest group a couple is
    # not; more than 30 in a week is a public reaction); the target needs at least 3 other
    # ratings (rows, outside the cell) to go against; and the burst must be unlikely (one in a
    # thousand) from the others' own share of low ratings. Each pair in a counted cell binds like a rare
    # co-action group's pair. Off: no such links.
    rating_bursts: bool = True
    rating_burst_window_days: float = 7.0
    rating_burst_min_accounts: int = 3
    rating_burst_max_accounts: int = 30
    rating_burst_min_others: int = 3
    rating_burst_max_p: float = 0.001
    rating_burst_strength: float = 0.5


@dataclass(frozen=True)
class ClusterConfig:
    """Candidate syndicates from the link graph (and behaviour, see HDBSCAN)."""

    # Edges at or above this weight form clusters. With the identity strengths above this
    # means: one device or card shared by at most ~20 accounts (a card on 20 accounts is
    # already abnormal), one phone by ~16, an e-mail by ~11, an IP by at most 3 (a home), or
    # several weaker identifiers together. Busy IPs never reach it on their own.
    min_edge_weight: float = 0.2
    # Connected components larger than this are cut by Leiden community detection (modularity)
    # where they are barely bridged (split_max_bridge). Public takedowns describe farms and
    # matrix operations of tens to several hundred accounts; a component of a few hundred can
    # be one of them or several bridged by a rented SMS number, a proxy IP or a few accounts.
    # Below 100 the cuts would mostly separate one operator's phones from each other.
    split_above: int = 100
    # A Leiden community of more than this many accounts is cut again on its own (0: never).
    # Modularity cannot see groups much smaller than the square root of its graph's weight
    # (its resolution limit): on a freelance marketplace rings of 7-50 bridged by one rented
    # SMS pool came out as one community of 419 (32 planted groups), on an online game bot
    # fleets, farm studios and mule rings on one proxy pool as one of 600. Cut again, the parts
    # count only where they are barely bridged (split_max_bridge, judged inside the community). Not at
    # split_above: a community of 117-170 holding one farm of bots on a few dozen phones is cut
    # into its phones by Leiden on its own (a dating marketplace's swipe farms: ten pieces each).
    resplit_above: int = 300
    # In a component larger than split_above whose strong links are mostly co-action without a
    # shared identifier, each part bound by shared identifiers that is less than half as densely
    # linked to the rest as the rest is among itself becomes a component of its own, before
    # Leiden and the fringe
    # (cluster/operators.py): scalper bots in the crowd of honest resellers that joins every
    # ticket drop's queue within seconds. An operator's accounts share infrastructure; a crowd
    # acts together, each member on its own.
    carve_operators: bool = True
    # A cut between two parts stays only if the link weight between them is under this share
    # of the smaller part's own link weight: a part tied to another by less than about a third
    # of what ties it together is a group of its own. Farms joined by a rented SMS number or
    # a proxy IP carry 0.1-0.3% across, a farm and an office or agency it touched 2-5%; promo
    # farms that draw their numbers from one SMS-activation pool (which honest users also
    # draw on) 20-28%: at 3% six such farms, carding rings and 200 honest users stayed one
    # cluster of 1,177 on an independently built payments marketplace. One operator's devices bridged by its cards and phones carry 7% to over 100%
    # of a device group's weight, but few operators run more than split_above accounts.
    # Measured on thirteen marketplaces at 20k and 100k accounts (benchmarks/RESULTS.md, 26th
    # sitting), 3% -> 30%: planted groups found +42 and none lost, no operator's group among
    # them; 6% and 10% left most of the pooled farms joined.
    split_max_bridge: float = 0.3
    # Two parts are joined again only over at least this many links (account pairs), whatever
    # their weight; a part with no inner link (an account Leiden left alone) still joins over
    # one. A single link (one friend tie in a links table, one IP a proxy shared with a
    # stranger) joined an operator's 8 accounts to a net café of 117 and another's 9 to a farm
    # of 226 (14-30% of the operator's own weight); an operator's phones bridged by its cards
    # cross on as many links as account pairs share the cards.
    split_min_bridge_links: int = 2
    # Leiden modularity resolution: 1.0 is the standard modularity; lower keeps larger groups.
    resolution: float = 1.0
    # Members bound to their group by a single link (one IP a proxy shared with a household,
    # one friend tie) leave it; what they link among themselves is a group of its own
    # (cluster/fringe.py). A component chains in whatever one link reaches.
    peel_hangers: bool = True
    # A group is cut at a lone bridge: one strong link, carrying no device, card, phone or
    # e-mail, that is all that joins two parts each holding a cycle of their own (a review
    # ring of five hanging on a farm by one rare co-action, an operator's accounts on a
    # campus by one friend tie). Two clumps bound by one link are two groups (cluster/fringe.py).
    cut_bridges: bool = True
    # A part of a group that hangs on its core (members bound by co-action or by a device, card,
    # phone or e-mail) through one member alone, by no device, card, phone or e-mail, is that
    # member's household, office or neighbours on a shared wifi or address, not the ring's: it
    # is a group of its own (cluster/fringe.py shed_appendages). A ring member's family joined
    # the ring's cluster through their home IP. Parts and their anchors are read on strong links
    # (min_edge_weight) and personal identifiers: a carrier IP shared by dozens joins nothing.
    shed_appendages: bool = True
    # Smaller groups are not reported (a pair is the smallest possible syndicate).
    min_cluster_size: int = 2
    # Co-action groups (cluster/coaction.py): Leiden over weak links, tested at group level.
    coaction_enabled: bool = True
    # Leiden (CPM) gathers groups whose mean internal link weight is this many times the weak
    # graph's mean over all account pairs: a bar relative to the data, so it means the same on
    # a 20k and a 1M marketplace. A rotating farm's link density is hundreds to thousands of
    # times the background; 10x leaves out loose neighbourhoods of ordinary users, and the
    # group test below judges what is gathered.
    coaction_density_ratio: float = 10.0
    # A burst counts for a group when at least this many of its members are in it: two is a
    # pair (the link stage's job), three acting on one target in one bucket is a crowd.
    coaction_min_members: int = 3
    # ... and at least this many times what the group's share of all burst memberships
    # predicts. Organic communities (fans, heavy users on viral content) are over-represented
    # 1–3x in bursts; a farm job hundreds of times. The same bar makes a group burst for every
    # cluster's group co-action feature (coaction_targets), whichever stage found it.
    coaction_min_lift: float = 5.0
    # A group needs group bursts on this many distinct targets, like a pair's
    # min_shared_targets: one viral moment links nobody, a farm runs dozens of jobs.
    coaction_min_targets: int = 5
    # Sparse crews (cluster/coaction.py), OFF by default: a careful farm gives each job to a
    # tenth of its workers over many minutes, so a pair of workers shares one job or none and
    # no weak link forms. Pairs met in one small burst are gathered on half of the targets and
    # a group is kept only when its group bursts recur on the other half: chance meetings
    # gathered on one half do not recur (groups of strangers gathered so met again on 0-2
    # held-out targets), a crew's jobs do, and so do real audiences. Measured (37th sitting):
    # on the 20k sweep (69 runs) top K -1 place net and the twenty-second's careful farm 28 of
    # 60 in one cluster, which its labels' model still scores 0.04; at 1M accounts (our
    # generator) the co-action stage 6 -> 35 s, +0.6 GB, and 73,000 honest accounts in 470
    # recurring audiences against 2,700 more farm workers. Turn it on for data of up to a few
    # hundred thousand accounts where careful farms are suspected (polars engine; the Spark
    # engine keeps only some accounts' burst rows on the driver and does not look for crews).
    coaction_sparse: bool = False
    # Bursts of at most this many accounts make candidate pairs: a farm's job puts a few
    # workers in each two-minute bucket, a bigger burst is a popular moment whose pairs are
    # chance (and a burst of ten makes 45 pairs: the candidates stay linear in the bursts).
    coaction_sparse_max_burst: int = 10
    # A sparse crew needs group bursts on this many distinct targets of the half it was not
    # gathered on (and coaction_min_targets over both).
    coaction_sparse_min_held_out: int = 3
    # Behaviour clustering with HDBSCAN over per-account features (cluster/density.py).
    hdbscan_enabled: bool = True
    # Smallest behaviour group: below ten accounts, "acting alike" happens by chance among
    # tens of thousands of users; small operated pools are the identity graph's job.
    hdbscan_min_cluster_size: int = 10
    # Neighbours that define local density. Smaller than min_cluster_size so that a tight
    # group of 10–20 is not swallowed as noise; 5 also makes HDBSCAN several times cheaper.
    hdbscan_min_samples: int = 5
    # HDBSCAN runs only on accounts that co-act with others (weak co-action links included)
    # and are active enough to have a behaviour profile (ten events give gaps, an hour profile
    # and a target mix), at most this many of them, most co-ordinated-looking first: it grows
    # faster than linearly (about 3 s at 15k rows in the 21 dimensions it uses, one core;
    # benchmarks/bench_hdbscan.py), so it stays a small share of the run at every size.
    hdbscan_max_accounts: int = 15_000
    hdbscan_min_events: int = 10
    # Dimensions of the account x target embedding (truncated SVD) added to the behaviour
    # features: enough to give each large co-targeting group its own direction, few enough
    # that HDBSCAN's tree search still prunes (its cost climbs steeply past ~20 dimensions).
    hdbscan_target_dims: int = 8
    # A behaviour group with more than max(floor, share x accounts clustered) members is a
    # mode of ordinary behaviour ("new users who only like"), not one operator: the largest
    # farms run a few hundred accounts per job, so groups up to 500 are always kept, and a
    # group holding one in twenty of the clustered accounts is mainstream whatever its size.
    hdbscan_max_group_share: float = 0.05
    hdbscan_max_group_floor: int = 500


@dataclass(frozen=True)
class RiskConfig:
    """The cluster risk model."""

    # Supervised training needs enough labelled clusters of both classes; below this the
    # unsupervised score is used (a model fitted on a handful of clusters overfits).
    min_labelled_clusters: int = 20
    min_per_class: int = 5
    n_folds: int = 5
    n_estimators: int = 200
    max_depth: int = 4
    learning_rate: float = 0.05
    # A trained cluster model is mixed with the scorecard as if the scorecard were this many
    # labelled clusters of the rarer class, counted among the clusters bound by the same
    # family of evidence (devices and cards, places, given links, lockstep, rare co-action:
    # risk/score.py model_weights): with 5 confirmed-bad clusters the model weighs 1/3, with
    # 30 3/4, with 100 nine tenths; with none bound that way, nothing. Labelled clusters cover
    # the patterns enforcement has already met; the scorecard keeps a new pattern (a fresh ring
    # on one card, review rings when only farms were labelled) from scoring as nothing.
    scorecard_pseudo_clusters: float = 10.0
    # Wherever the scorecard has a part in a score, labelled clusters it cannot tell from a
    # cluster speak for it (risk/score.py lookalike_labels): its labelled look-alikes — the
    # labelled clusters nearest by the scorecard's points, each weighing
    # exp(-(d / lookalike_logit)^2) times how fully and unanimously it is labelled — update the
    # scorecard's part as pseudo-counts, its own verdict counting as lookalike_strength such
    # clusters; like a cluster's own labels, in the risk score, not the model score. Within one
    # logit of points of each other, the scorecard scores two clusters alike for the same
    # reasons: which of them labels confirmed is the only evidence that tells them apart. 0: off.
    lookalike_strength: float = 1.0
    lookalike_logit: float = 1.0
    # Scores are shrunk toward evidence_prior by how little link evidence binds a cluster
    # (risk/score.py evidence_weighted): credibility = mass / (mass + evidence_half), mass the
    # summed weight of its internal links. With 1.0, a pair on one home IP (mass ~0.35) keeps
    # a quarter of its score above the prior, a pair on one device (~0.9) half, six accounts
    # on one device (~5) 85%, a farm (dozens) all of it. The prior is the chance that a
    # candidate cluster is a syndicate with no evidence: most candidates are households.
    evidence_half: float = 1.0
    evidence_prior: float = 0.05
    # Labels update the model score as pseudo-counts: the model's score counts as this many
    # labelled members; a cluster's n labels count as sqrt(n) (one sweep labelled them
    # together: risk/score.py label_posterior). One wrong label on a household of 3 then moves
    # a 0.05 score to (0.05*4 + 0.9) / 5 = 0.22, far from the top; nine bad labels in a ring
    # count as three and lift a 0.5 score to (0.5*4 + 2.7) / 7 = 0.67.
    label_prior_strength: float = 4.0
    # A confirmed label is right with this probability (enforcement has false positives).
    label_reliability: float = 0.9
    n_reasons: int = 3
    # Exact TreeSHAP for the riskiest clusters (what people read); a fast approximation for
    # the rest (exact for 35k clusters costs ~50 s, approximate ~1 s).
    exact_reasons_top: int = 500
    # Clusters whose score is at or above this are "high risk" in reports and counts; without
    # labels, the accounts that inherit this much from their cluster are the pseudo-labels the
    # account stage learns from (risk/pseudo_labels.py).
    high_risk_threshold: float = 0.7
    # The account model is trained (out of fold) when at least this many accounts carry
    # labels, ``min_per_class`` of each class; below it the account scorecard scores them.
    # Accounts are plentiful: fewer than 50 labels make a model noisier than the scorecard.
    min_labelled_accounts: int = 50
    # Reasons in words for the riskiest accounts (written one row at a time, ~20k rows/s);
    # further down the ranking nobody reads them, and 1M accounts would cost a minute.
    account_reasons_top: int = 10_000
    # The account model trains on every labelled account (tens of thousands on a large
    # platform, 40x the cluster model's rows) six times (folds and final): fewer, larger
    # boosting steps and 64 histogram bins per feature make each fit ~5x cheaper than the
    # cluster model's settings at the same out-of-fold precision (measured on 20k and 1M
    # generated accounts).
    account_n_estimators: int = 100
    account_learning_rate: float = 0.1
    account_max_bin: int = 64


@dataclass(frozen=True)
class AlertConfig:
    """Alert rules evaluated after each run against the previous run and recent history.

    A rule that compares with earlier runs stays silent until there is something to compare
    with: the first run raises no "new cluster" alerts, and spikes need ``min_baseline_runs``.
    """

    enabled: bool = True
    # A cluster seen for the first time with a score at or above this is worth a look today.
    new_cluster_min_risk: float = 0.7
    new_cluster_min_size: int = 3
    # A cluster that kept its id and grew by more than this percentage, by at least
    # ``growth_min_accounts`` (2 -> 3 accounts is +50% and means nothing), while its score is
    # at least ``growth_min_risk`` (a household gaining a member is not news).
    growth_pct: float = 50.0
    growth_min_accounts: int = 5
    growth_min_risk: float = 0.5
    # Two spike rules: new-account registrations (accounts created within
    # ``registration_window_days`` before the data's latest timestamp; 1 for a daily job) and
    # accounts joining syndicates (members today that were in no cluster in the previous run).
    # Each compares today's count with the median of the last ``baseline_runs`` runs and
    # alerts when it is more than ``spike_ratio`` times that median and at least
    # ``spike_min_increase`` accounts above it; a marketplace's daily sign-ups wobble by tens
    # of percent, a farm's registration wave doubles them.
    registration_window_days: int = 1
    spike_ratio: float = 2.0
    spike_min_increase: int = 20
    baseline_runs: int = 7
    min_baseline_runs: int = 3
    # An input table the previous run read that is missing today, or holds fewer than this
    # share of its rows (input_shrank): a marketplace's tables grow or wobble from day to day by
    # a few percent (accounts and signals accumulate, a day's events vary by tens of percent at
    # most), while an export cut short or a file that did not arrive loses most of a table. Read
    # as a quiet day, it dissolves clusters and the ids and decisions on them. 0: off.
    input_min_share: float = 0.5
    # Event rows that repeat another row (same account, action, target and time) on more than
    # this share of the events (input_repeated; the run also warns): an export appended twice,
    # or a day loaded again on top of itself, doubles the activity every feature counts.
    # Platforms log a double tap or a retried request now and then: at most 0.6% of the rows on
    # twenty-six independently generated marketplaces, 0 on most; a doubled export holds 50%.
    # Not counted on events recorded to the hour or coarser (encoding.REPEATS_MAX_CLOCK_S).
    # 0: off.
    input_max_repeated_share: float = 0.1


ENGINES = ("polars", "spark")


@dataclass(frozen=True)
class EngineConfig:
    """Which engine runs the heavy linear stages (:mod:`syndicate.engines`).

    ``polars`` (in-process) carries a million accounts on one machine; ``spark`` runs reading,
    links, components and per-account aggregates on Apache Spark. ``spark_master`` empty means
    whatever Spark is given by its launcher (``spark-submit --master``, Databricks, EMR) or
    ``local[*]`` when run as a plain process. ``conf`` is passed to the Spark session as is.
    """

    name: str = "polars"
    spark_master: str = ""
    conf: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Config:
    """All settings of a run. ``Config.from_toml(path)`` / ``config.to_toml(path)``."""

    seed: int = 0
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    lockstep: LockstepConfig = field(default_factory=LockstepConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    risk: RiskConfig = field(default_factory=RiskConfig)
    alerts: AlertConfig = field(default_factory=AlertConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Config":
        problems: list[str] = []
        config = _from_plain(cls, data, prefix="", problems=problems)
        if not problems:
            problems += _between_settings(config)
        if problems:
            raise ConfigError("\n".join(problems))
        return config

    @classmethod
    def from_toml(cls, path: str | Path) -> "Config":
        return cls.from_dict(read_toml(path, what="config file", error=ConfigError))

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_dict())

    def replace(self, **changes: Any) -> "Config":
        return dataclasses.replace(self, **changes)


def read_toml(path: str | Path, *, what: str, error: type[Exception]) -> dict[str, Any]:
    """Parse a TOML file; a missing, unreadable or malformed file raises ``error`` naming ``what``
    and the path (a folder, a file that is not UTF-8 text, a syntax error with its line)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise error(f"{what} {path} is a folder; expected a TOML file") from None
    except OSError as exc:
        raise error(f"{what} {path} cannot be read ({exc.strerror or type(exc).__name__})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise error(f"{what} {path} is not UTF-8 text (byte 0x{raw[exc.start]:02x} on line {line}); "
                    "TOML files must be UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{what} {path} is not valid TOML: {exc}") from None


def _to_plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {k: _to_plain(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return list(obj)
    return obj


# numpy seeds are unsigned 32-bit (np.random.RandomState, the hdbscan and xgboost seeds).
MAX_SEED = 2**32 - 1
# Longer than this, acting "together" on a target means nothing (30 days), and window * 1e6 µs
# must stay far inside int64 in the timing arithmetic.
MAX_WINDOW_SECONDS = 30 * 86_400

# Lists of data values rather than names: not lower-cased.
_VALUE_LISTS = {"identity.placeholder_values"}
MAX_PLACEHOLDER_VALUES = 1_000
MAX_PLACEHOLDER_CHARACTERS = 20_000
_CHECKS: dict[str, tuple[Any, str]] = {
    "seed": (lambda v: 0 <= v <= MAX_SEED, f"an int in [0, {MAX_SEED}]"),
    "identity.placeholder_values": (
        lambda v: (len(v) <= MAX_PLACEHOLDER_VALUES and all(0 < len(x) <= 128 for x in v)
                   and sum(map(len, v)) <= MAX_PLACEHOLDER_CHARACTERS),
        f"at most {MAX_PLACEHOLDER_VALUES:,} non-empty values of at most 128 characters, "
        f"{MAX_PLACEHOLDER_CHARACTERS:,} in all"),
    "identity.hub_cap": (lambda v: v >= 2, "an int >= 2"),
    "identity.attribution_min_single_share": (lambda v: v > 0, "a float > 0 (above 1: off)"),
    "identity.attribution_signup_days": (lambda v: v >= 0, "a float >= 0"),
    "identity.floor_up_to": (lambda v: v >= 2, "an int >= 2"),
    "identity.churn_ordinary": (lambda v: v >= 1, "an int >= 1"),
    "identity.churn_quantile": (lambda v: 0 <= v <= 1, "a number in [0, 1]"),
    # (features/identity.py IDENTITY_KINDS; config imports nothing of syndicate's)
    "identity.churn_families": (lambda v: set(v) <= {"device", "payment", "phone", "ip", "email", "address"},
                                "a list of device, payment, phone, ip, email, address"),
    "identity.default_strength": (lambda v: 0 < v < 1, "a float in (0, 1)"),
    "identity.attribute_strength": (lambda v: 0 < v < 1, "a float in (0, 1)"),
    "identity.property_hub_share": (lambda v: 0 < v <= 1, "a float in (0, 1] (1: only kinds wholly on hubs)"),
    "identity.property_small_share": (lambda v: 0 <= v < 1, "a float in [0, 1) (0: no kind read by it)"),
    "identity.social_link_share": (lambda v: 0 < v <= 1, "a float in (0, 1] (1: no kind is read as social)"),
    "identity.max_hubs_listed": (lambda v: v >= 0, "an int >= 0"),
    "lockstep.window_seconds": (lambda v: 1 <= v <= MAX_WINDOW_SECONDS,
                                f"an int in [1, {MAX_WINDOW_SECONDS}] (30 days)"),
    "lockstep.slow_window_seconds": (lambda v: 0 <= v <= MAX_WINDOW_SECONDS,
                                     f"an int in [0, {MAX_WINDOW_SECONDS}] (0: off)"),
    "lockstep.slow_bucket_cap": (lambda v: v >= 2, "an int >= 2"),
    "lockstep.slow_max_events": (lambda v: v >= 0, "an int >= 0 (0: any number of events)"),
    "lockstep.min_shared_targets": (lambda v: v >= 2, "an int >= 2"),
    "lockstep.bucket_cap": (lambda v: v >= 2, "an int >= 2"),
    "lockstep.min_weak_shared_targets": (lambda v: v >= 1, "an int >= 1"),
    "lockstep.saturation_bursts": (lambda v: v > 0, "a float > 0"),
    "lockstep.clock_seconds": (lambda v: 0 <= v <= 31 * 86_400, "an int in [0, 2678400] (0: as the events show)"),
    "lockstep.rare_max_events": (lambda v: v >= 0, "an int >= 0 (0: any number of events)"),
    "lockstep.rare_window_days": (lambda v: 0 < v <= 30, "a float in (0, 30]"),
    "lockstep.rare_max_cell_accounts": (lambda v: v >= 2, "an int >= 2"),
    "lockstep.rare_min_burst": (lambda v: v >= 1, "a float >= 1"),
    "lockstep.rare_resolution": (lambda v: 0 < v < 1, "a float in (0, 1)"),
    "lockstep.rare_min_excess": (lambda v: v >= 1, "an int >= 1"),
    "lockstep.rare_min_lift": (lambda v: v >= 1, "a float >= 1"),
    "lockstep.rare_regather_lift": (lambda v: v == 0 or v >= 1, "0 (off) or a float >= 1"),
    "lockstep.rare_reference_accounts": (lambda v: v >= 0, "an int >= 0 (0: the whole population)"),
    "lockstep.rare_link_strength": (lambda v: 0 < v < 1, "a float in (0, 1)"),
    "lockstep.rare_min_hanger_share": (lambda v: 0 <= v < 1, "a float in [0, 1) (0: off)"),
    "lockstep.rating_burst_window_days": (lambda v: 0 < v <= 60, "a float in (0, 60]"),
    "lockstep.rating_burst_min_accounts": (lambda v: v >= 2, "an int >= 2"),
    "lockstep.rating_burst_max_accounts": (lambda v: v >= 2, "an int >= 2"),
    "lockstep.rating_burst_min_others": (lambda v: v >= 1, "an int >= 1"),
    "lockstep.rating_burst_max_p": (lambda v: 0 < v < 1, "a float in (0, 1)"),
    "lockstep.rating_burst_strength": (lambda v: 0 < v < 1, "a float in (0, 1)"),
    "cluster.min_edge_weight": (lambda v: 0 < v <= 1, "a float in (0, 1]"),
    "cluster.split_above": (lambda v: v >= 2, "an int >= 2"),
    "cluster.resplit_above": (lambda v: v == 0 or v >= 2, "0 (off) or an int >= 2"),
    "cluster.split_max_bridge": (lambda v: 0 <= v <= 1, "a float in [0, 1] (0: keep every cut)"),
    "cluster.split_min_bridge_links": (lambda v: v >= 1, "an int >= 1"),
    "cluster.resolution": (lambda v: v > 0, "a float > 0"),
    "cluster.min_cluster_size": (lambda v: v >= 2, "an int >= 2"),
    "cluster.coaction_density_ratio": (lambda v: v > 0, "a float > 0"),
    "cluster.coaction_min_members": (lambda v: v >= 2, "an int >= 2"),
    "cluster.coaction_min_lift": (lambda v: v >= 1, "a float >= 1"),
    "cluster.coaction_min_targets": (lambda v: v >= 1, "an int >= 1"),
    "cluster.coaction_sparse_max_burst": (lambda v: v >= 2, "an int >= 2"),
    "cluster.coaction_sparse_min_held_out": (lambda v: v >= 1, "an int >= 1"),
    "cluster.hdbscan_min_cluster_size": (lambda v: v >= 2, "an int >= 2"),
    "cluster.hdbscan_max_accounts": (lambda v: v >= 0, "an int >= 0"),
    "cluster.hdbscan_min_events": (lambda v: v >= 1, "an int >= 1"),
    "cluster.hdbscan_min_samples": (lambda v: v >= 1, "an int >= 1"),
    "cluster.hdbscan_target_dims": (lambda v: 0 <= v <= 64, "an int in [0, 64]"),
    "cluster.hdbscan_max_group_share": (lambda v: 0 < v <= 1, "a float in (0, 1]"),
    "cluster.hdbscan_max_group_floor": (lambda v: v >= 2, "an int >= 2"),
    "risk.min_labelled_clusters": (lambda v: v >= 2, "an int >= 2"),
    "risk.min_per_class": (lambda v: v >= 1, "an int >= 1"),
    "risk.n_folds": (lambda v: v >= 2, "an int >= 2"),
    "risk.n_estimators": (lambda v: v >= 1, "an int >= 1"),
    "risk.max_depth": (lambda v: v >= 1, "an int >= 1"),
    "risk.learning_rate": (lambda v: 0 < v <= 1, "a float in (0, 1]"),
    "risk.label_prior_strength": (lambda v: v > 0, "a float > 0"),
    "risk.label_reliability": (lambda v: 0.5 < v <= 1, "a float in (0.5, 1]"),
    "risk.scorecard_pseudo_clusters": (lambda v: v >= 0, "a float >= 0"),
    "risk.lookalike_strength": (lambda v: v >= 0, "a float >= 0"),
    "risk.lookalike_logit": (lambda v: v > 0, "a float > 0"),
    "risk.evidence_half": (lambda v: v >= 0, "a float >= 0"),
    "risk.evidence_prior": (lambda v: 0 <= v <= 1, "a float in [0, 1]"),
    "risk.n_reasons": (lambda v: v >= 1, "an int >= 1"),
    "risk.exact_reasons_top": (lambda v: v >= 0, "an int >= 0"),
    "risk.high_risk_threshold": (lambda v: 0 <= v <= 1, "a float in [0, 1]"),
    "risk.min_labelled_accounts": (lambda v: v >= 2, "an int >= 2"),
    "risk.account_reasons_top": (lambda v: v >= 0, "an int >= 0"),
    "risk.account_n_estimators": (lambda v: v >= 1, "an int >= 1"),
    "risk.account_learning_rate": (lambda v: 0 < v <= 1, "a float in (0, 1]"),
    "risk.account_max_bin": (lambda v: 2 <= v <= 1024, "an int in [2, 1024]"),
    "alerts.new_cluster_min_risk": (lambda v: 0 <= v <= 1, "a float in [0, 1]"),
    "alerts.new_cluster_min_size": (lambda v: v >= 2, "an int >= 2"),
    "alerts.growth_pct": (lambda v: v > 0, "a float > 0"),
    "alerts.growth_min_accounts": (lambda v: v >= 1, "an int >= 1"),
    "alerts.growth_min_risk": (lambda v: 0 <= v <= 1, "a float in [0, 1]"),
    "alerts.registration_window_days": (lambda v: 1 <= v <= 3660, "an int in [1, 3660]"),
    "alerts.spike_ratio": (lambda v: v > 1, "a float > 1"),
    "alerts.spike_min_increase": (lambda v: v >= 0, "an int >= 0"),
    "alerts.baseline_runs": (lambda v: 1 <= v <= 10_000, "an int in [1, 10000]"),
    "alerts.min_baseline_runs": (lambda v: v >= 1, "an int >= 1"),
    "alerts.input_min_share": (lambda v: 0 <= v < 1, "a float in [0, 1)"),
    "alerts.input_max_repeated_share": (lambda v: 0 <= v < 1, "a float in [0, 1)"),
    "engine.name": (lambda v: v in ENGINES, " or ".join(repr(e) for e in ENGINES)),
}


def _between_settings(config: "Config") -> list[str]:
    """Problems of settings that are each in range but do not fit together."""
    lockstep, problems = config.lockstep, []
    if lockstep.rating_burst_min_accounts > lockstep.rating_burst_max_accounts:
        problems.append(f"The 'lockstep.rating_burst_min_accounts' parameter ({lockstep.rating_burst_min_accounts}) "
                        f"must be at most 'lockstep.rating_burst_max_accounts' ({lockstep.rating_burst_max_accounts}).")
    if 0 < lockstep.slow_window_seconds <= lockstep.window_seconds:
        problems.append(f"The 'lockstep.slow_window_seconds' parameter ({lockstep.slow_window_seconds}) must be 0 (off) "
                        f"or wider than 'lockstep.window_seconds' ({lockstep.window_seconds}).")
    return problems


def check_config(config: "Config") -> None:
    """Check every value of a config (built in Python or loaded); one :class:`ConfigError`
    lists every problem found. ``Config.from_dict`` and the pipeline call it."""
    if not isinstance(config, Config):
        raise ConfigError(f"config must be a syndicate Config (Config.from_dict builds one from a dict). "
                          f"Got {type(config).__name__} instead.")
    defaults = Config()
    problems: list[str] = [
        f"'{f.name}' must be {_a(type(default).__name__)} (Config.from_dict builds one from a dict; "
        f"config.replace({f.name}=dataclasses.replace(config.{f.name}, ...)) changes one setting). "
        f"Got {type(section).__name__} instead."
        for f in dataclasses.fields(Config)
        if dataclasses.is_dataclass(default := getattr(defaults, f.name))
        and not isinstance(section := getattr(config, f.name), type(default))]
    if problems:
        raise ConfigError("\n".join(problems))
    _from_plain(Config, config.to_dict(), prefix="", problems=problems)
    if not problems:
        problems += _between_settings(config)
    if problems:
        raise ConfigError("\n".join(problems))


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _from_plain(cls: type, data: Mapping[str, Any], prefix: str, problems: list[str]) -> Any:
    """``cls`` built from ``data``; each problem is appended to ``problems`` (the default is
    kept in its place), so that one error can list them all."""
    if not isinstance(data, Mapping):
        problems.append(f"'{prefix.rstrip('.')}' must be a table. Got {data!r} instead.")
        return cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        problems.append(
            f"unknown config key(s) {', '.join(prefix + k for k in unknown)}; "
            f"allowed keys{' in ' + prefix.rstrip('.') if prefix else ''}: {', '.join(fields)}"
        )
    defaults = cls()
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in fields:
            continue
        key = prefix + name
        default = getattr(defaults, name)
        if dataclasses.is_dataclass(default):
            values[name] = _from_plain(type(default), value, key + ".", problems)
            continue
        try:
            values[name] = _coerce(key, value, default)
        except ConfigError as exc:
            problems.append(str(exc))
    return cls(**values)


def _finite(value: float) -> bool:
    return math.isfinite(value)


def _coerce(key: str, value: Any, default: Any) -> Any:
    expected = type(default)
    if key == "engine.conf":
        # Spark settings: any key, values as Spark reads them (strings; numbers and booleans
        # are written the way Spark spells them).
        if not isinstance(value, Mapping) or not all(
                isinstance(v, (str, int, float, bool)) for v in value.values()):
            raise ConfigError(f"The '{key}' parameter must be a table of Spark setting = value. "
                              f"Got {value!r} instead.")
        return MappingProxyType({str(k): (str(v).lower() if isinstance(v, bool) else str(v))
                                 for k, v in sorted(value.items())})
    if isinstance(default, Mapping):
        if not isinstance(value, Mapping) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1 for v in value.values()
        ):
            raise ConfigError(
                f"The '{key}' parameter must be a table of kind = strength in [0, 1). "
                f"Got {value!r} instead."
            )
        merged = dict(default)
        merged.update({str(k).strip().lower(): float(v) for k, v in value.items()})
        return _frozen_map(merged)
    if isinstance(default, tuple):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"The '{key}' parameter must be a list of strings. Got {value!r} instead.")
        # Names are compared as the contract normalises them (stripped, lower-case); values (a
        # platform's placeholders) are kept as written, only stripped.
        value = tuple(dict.fromkeys(v.strip() if key in _VALUE_LISTS else v.strip().lower() for v in value))
    elif expected is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"The '{key}' parameter must be true or false. Got {value!r} instead.")
        return value
    else:
        value = _scalar(key, value, expected)
    check = _CHECKS.get(key)
    if check is not None and not check[0](value):
        raise ConfigError(f"The '{key}' parameter must be {check[1]}. Got {value!r} instead.")
    return value


def _scalar(key: str, value: Any, expected: type) -> Any:
    """``value`` as a scalar of the ``expected`` type (an int given for a float is read as one)."""
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or isinstance(value, bool):
        raise ConfigError(
            f"The '{key}' parameter must be {expected.__name__}. Got {value!r} instead."
        )
    if expected is float and not _finite(value):
        raise ConfigError(f"The '{key}' parameter must be a finite number. Got {value!r} instead.")
    return value

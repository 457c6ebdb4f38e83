"""A synthetic short-video marketplace with planted syndicates and benign look-alikes.

``generate_marketplace(n_accounts, seed=..., config=...)`` returns the data-contract tables
(``accounts``, ``signals``, ``events``, ``labels``) plus ``truth``, the answer key. It is
pure (no file I/O), deterministic for a seed, and fast: a million accounts in seconds.

Planted syndicates (``is_bad``) and why they are hard to find:

- ``matrix_ring`` — 8–80 accounts created in a burst (hours to a few days) sharing a few
  devices (3–15 accounts per device), 1–4 payment cards and a pool of proxy IPs; they
  like/follow/review the ring's own seller targets in bursts. Shared devices are strong
  evidence, but households and creator agencies share devices too.
- ``evasive_ring`` — 8–40 accounts, each with its own device and IP, created over weeks;
  only a chain of cards and phones, each shared by 2–5 members, connects them. No single
  identifier ties more than five accounts: the ring shows only as a whole component, and
  their coordinated actions are spread over hours.
- ``engagement_farm`` — 50–400 accounts with unique devices and almost nothing shared (a
  few behind a common proxy IP). Only behaviour gives them away: 30–150 jobs, each a client
  target that 30–80% of the farm hits within 10–90 seconds, hidden among organic noise.
- ``sparse_farm`` — 30–300 workers that no pair of them gives away: each job (20–60 per
  farm) takes a rotating crew of 10–35% of the workers, spread over 1–6 minutes, between
  ordinary activity; a pair of workers meets on one or two targets. They share only
  residential proxy IPs (3–8 workers each), which ordinary users share too.
- ``review_ring`` — 6–40 accounts writing one to four reviews each on the same few products
  in the same few days, with extreme ratings (``review_5``, or ``review_1`` for a rival).

Benign confounders (``is_bad`` False):

- ``household`` — 2–5 accounts created years apart sharing a tablet, the home IP, an
  address or a card: small, tight identity clusters, like a small matrix ring.
- ``agency`` — 15–60 creator accounts on 2–4 staff handsets (device and phone shared by
  10–40 creators) behind an office IP: more accounts per device than many matrix rings,
  but created over months or years, with organic behaviour.
- ``office_nat`` — accounts whose only notable link is a NAT IP: office NATs (50–180
  accounts), carrier NATs (300–5,000) and, on large marketplaces, a few gateways shared by
  tens of thousands; identifier hubs that link strangers.
- ``viral_audience`` — thousands of unrelated accounts acting on one video within minutes:
  lockstep, but on a single target.
- ``organic`` — everyone else: long-tailed activity on Zipf-popular targets (popular
  targets put strangers within seconds of each other), 5–10% without any signal.

Actions are named like, follow, comment, order, review_1 .. review_5 (the star rating),
post, upvote and add_to_cart; ``GeneratorConfig(action_vocabulary="alt")`` gives the same
marketplace under names that share nothing with those (heart, subscribe, stars_5, …).

Labels are few (about 5% of accounts), biased toward syndicates, absent for about 30% of
the planted syndicates, and about 2% wrong.

``generate_review_site`` builds an events-only review site instead (reviewers, products,
star ratings; spam rings, lone spammers, honest bursts): see :mod:`~syndicate.synthetic.reviews`.

Examples
--------
>>> from syndicate.synthetic import generate_marketplace
>>> tables = generate_marketplace(3_000, seed=7)
>>> tables["accounts"].columns
['account_id', 'created_at', 'account_type', 'country']
"""

from syndicate.synthetic.config import GeneratorConfig, ReviewSiteConfig
from syndicate.synthetic.marketplace import generate_marketplace
from syndicate.synthetic.reviews import generate_review_site

__all__ = ["GeneratorConfig", "ReviewSiteConfig", "generate_marketplace", "generate_review_site"]

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

Labels are few (about 5% of accounts), biased toward syndicates, absent for about 30% of
the planted syndicates, and about 2% wrong.

Examples
--------
>>> from syndicate.synthetic import generate_marketplace
>>> tables = generate_marketplace(3_000, seed=7)
>>> tables["accounts"].columns
['account_id', 'created_at', 'account_type', 'country']
"""

from syndicate.synthetic.config import GeneratorConfig
from syndicate.synthetic.marketplace import generate_marketplace

__all__ = ["GeneratorConfig", "generate_marketplace"]

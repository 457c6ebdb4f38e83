"""Turn the integer-coded marketplace into the five frames, with random ids and row order.

Ids are made here and only here: account ids, identifier values and target ids are keyed
scrambles of internal indices (distinct, random-looking), and the accounts table is in a
random order, so neither an id nor a row position says which group an account is in.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.synthetic.sampling import (
    ACCOUNT_TYPES,
    ACTIONS,
    BAD_KINDS,
    COUNTRIES,
    GROUP_KINDS,
    SIGNAL_KINDS,
    EventBlock,
    SignalBlock,
    hex_strings,
    scrambled_ids,
)

ACCOUNT_ID_HEX = 11  # "a" + 11 hex = 12 characters: short enough to be stored inline by polars
VALUE_HEX = 16
TARGET_ID_HEX = 11


def _datetimes(values: np.ndarray) -> pl.Series:
    return pl.Series(values, dtype=pl.Int64).cast(pl.Datetime("us"))


def _names(names: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    return pl.Series(names).gather(codes)


def build_tables(
    rng: np.random.Generator,
    *,
    created: np.ndarray,
    account_type: np.ndarray,
    country: np.ndarray,
    group_kind: np.ndarray,
    group_number: np.ndarray,
    label: np.ndarray,
    signal_blocks: list[SignalBlock],
    event_blocks: list[EventBlock],
    n_entities: int,
    n_targets: int,
    action_names: tuple[str, ...] = ACTIONS,
) -> dict[str, pl.DataFrame]:
    """The frames ``accounts``, ``signals``, ``events``, ``labels`` and ``truth``.

    Per-account arrays are indexed by internal account index; blocks refer to accounts,
    identifier entities (``< n_entities``) and targets (``< n_targets``) by index.
    """
    n = len(created)
    account_at_row = rng.permutation(n)
    row_of = np.empty(n, dtype=np.int64)
    row_of[account_at_row] = np.arange(n)
    account_ids = hex_strings(scrambled_ids(rng, n, 4 * ACCOUNT_ID_HEX), ACCOUNT_ID_HEX, prefix="a")
    values = hex_strings(scrambled_ids(rng, n_entities, 4 * VALUE_HEX), VALUE_HEX)
    target_ids = hex_strings(scrambled_ids(rng, n_targets, 4 * TARGET_ID_HEX), TARGET_ID_HEX, prefix="t")

    accounts = pl.DataFrame({
        "account_id": account_ids.gather(account_at_row),
        "created_at": _datetimes(created[account_at_row]),
        "account_type": _names(ACCOUNT_TYPES, account_type[account_at_row]),
        "country": _names(COUNTRIES, country[account_at_row]),
    })
    tables = {
        "accounts": accounts,
        "signals": _signals(signal_blocks, row_of, account_ids, values),
        "events": events_frame(event_blocks, account_ids, target_ids, action_names),
    }

    ordered_label = label[account_at_row]
    labelled = np.flatnonzero(ordered_label >= 0)
    tables["labels"] = pl.DataFrame({
        "account_id": accounts["account_id"].gather(labelled),
        "label": pl.Series(ordered_label[labelled], dtype=pl.Int8),
    })

    tables["truth"] = truth_frame(
        accounts["account_id"], group_kind[account_at_row], group_number[account_at_row]
    )
    return tables


def truth_frame(account_ids: pl.Series, group_kind: np.ndarray, group_number: np.ndarray) -> pl.DataFrame:
    """The answer key: ``account_id, group_id, group_kind, is_bad``, one row per account.

    ``group_id`` is ``KIND-NNNNNN``, and null for accounts in no group (``group_number < 0``).
    """
    number = pl.Series(group_number).cast(pl.String).str.zfill(6)
    kind_name = _names(GROUP_KINDS, group_kind)
    return pl.DataFrame({
        "account_id": account_ids,
        "group_id": (kind_name + "-" + number).set(pl.Series(group_number < 0), None),
        "group_kind": kind_name,
        "is_bad": np.isin(group_kind, BAD_KINDS),
    })


def _signals(
    blocks: list[SignalBlock], row_of: np.ndarray, account_ids: pl.Series, values: pl.Series
) -> pl.DataFrame:
    """Signals ordered by account row, then kind, then generation order."""
    account = np.concatenate([b.account for b in blocks])
    kind = np.concatenate([b.kind for b in blocks])
    # Unique keys, so any sort gives one order. Planters never repeat an (account, value) pair.
    n_rows = len(account)
    key = (row_of[account] * len(SIGNAL_KINDS) + kind) * n_rows + np.arange(n_rows)
    order = pl.Series(key).arg_sort().to_numpy()
    account, kind = account[order], kind[order]
    return pl.DataFrame({
        "account_id": account_ids.gather(account),
        "kind": _names(SIGNAL_KINDS, kind),
        "value": values.gather(np.concatenate([b.entity for b in blocks])[order]),
        "seen_at": _datetimes(np.concatenate([b.seen for b in blocks])[order]),
    })


def events_frame(
    blocks: list[EventBlock],
    account_ids: pl.Series,
    target_ids: pl.Series,
    action_names: tuple[str, ...] = ACTIONS,
) -> pl.DataFrame:
    """Events in time order (ties broken by account, target, action: a total order)."""
    rows = pl.DataFrame({
        "ts": np.concatenate([b.ts for b in blocks]).astype(np.int64),
        "account": np.concatenate([b.account for b in blocks]).astype(np.int32),
        "action": np.concatenate([b.action for b in blocks]).astype(np.int8),
        "target": np.concatenate([b.target for b in blocks]).astype(np.int32),
    }).sort(["ts", "account", "target", "action"])
    return pl.DataFrame({
        "account_id": account_ids.gather(rows["account"]),
        "action": _names(action_names, rows["action"]),
        "target_id": target_ids.gather(rows["target"]),
        "ts": rows["ts"].cast(pl.Datetime("us")),
    })

"""Combine per-source edge tables into one canonical edge table with a total weight."""

from __future__ import annotations

import numpy as np
import polars as pl

from syndicate.sorted_runs import new_run

KEY = ["account_a", "account_b"]
# Rows per slice of the weight computation (see `noisy_or`).
_WEIGHT_ROWS = 1 << 20


def combine_edges(*edge_tables: pl.DataFrame | None) -> pl.DataFrame:
    """Outer-join edge tables on (account_a, account_b) and add ``weight``.

    Every input has ``account_a < account_b``. Float columns are evidence in [0, 1], named by
    link kind; integer columns are counts kept alongside (e.g. ``lockstep_bursts``). Evidence
    of different kinds is treated as independent and combines as a noisy-OR:
    ``weight = 1 - prod(1 - evidence)``. Output: ``account_a, account_b, weight``, the evidence
    columns in name order, then the count columns; sorted by the pair; missing values are 0.

    Examples
    --------
    >>> a = pl.DataFrame({"account_a": ["x"], "account_b": ["y"], "device": [0.5]})
    >>> b = pl.DataFrame({"account_a": ["x"], "account_b": ["y"], "ip": [0.5]})
    >>> combine_edges(a, b)["weight"].to_list()
    [0.75]
    """
    tables = [t for t in edge_tables if t is not None]
    if not tables:
        return pl.DataFrame(schema={"account_a": pl.String, "account_b": pl.String, "weight": pl.Float64})
    seen: dict[str, int] = {}
    for table in tables:
        for column in table.columns:
            seen[column] = seen.get(column, 0) + 1
    clash = sorted(c for c, n in seen.items() if n > 1 and c not in KEY)
    if clash:
        raise ValueError(f"edge tables share evidence column(s) {clash}: each link source needs its own")
    evidence = sorted({c for t in tables for c, d in t.schema.items() if c not in KEY and d.is_float()})
    counts = sorted({c for t in tables for c, d in t.schema.items() if c not in KEY and d.is_integer()})
    on_codes = all(t.schema[c].is_integer() for t in tables for c in KEY)
    if not on_codes and any(t.schema[c].is_integer() for t in tables for c in KEY):
        raise ValueError("edge tables mix account codes (integers) and account ids: key them all "
                         "one way (syndicate.link.codes.with_ids turns codes into ids)")
    if on_codes:
        combined = _union_on_codes(tables)  # sorted by the pair already, no missing values
    else:
        combined = tables[0]
        for table in tables[1:]:
            combined = combined.join(table, on=KEY, how="full", coalesce=True)
    combined = combined.with_columns(
        *[pl.col(c).fill_null(0.0).cast(pl.Float32) for c in evidence
          if combined.schema[c] != pl.Float32 or combined[c].null_count()],
        *[pl.col(c).fill_null(0) for c in counts if combined[c].null_count()],
    )
    combined = combined.with_columns(noisy_or(combined, evidence).alias("weight"))
    combined = combined.select(*KEY, "weight", *evidence, *counts)
    return combined if on_codes else combined.sort(KEY)


def noisy_or(frame: pl.DataFrame, evidence: list[str]) -> pl.Series:
    """``1 - prod(1 - evidence)`` over the evidence columns, summed in log space.

    Worked through ``_WEIGHT_ROWS`` rows at a time: the expression holds one Float64
    temporary per kind of evidence (at 13M edges and 7 kinds, 750 MB at once); a slice's
    temporaries are a few MB. Each row's arithmetic is the same, so are the bits.
    """
    if not evidence:
        return pl.Series("weight", np.zeros(frame.height), dtype=pl.Float64)
    log_miss = pl.sum_horizontal([pl.col(c).cast(pl.Float64).clip(0.0, 0.999999).neg().log1p() for c in evidence])
    weight = (1.0 - log_miss.exp()).alias("weight")
    parts = [frame.slice(start, _WEIGHT_ROWS).select(weight).to_series()
             for start in range(0, frame.height, _WEIGHT_ROWS)]
    return pl.concat(parts, rechunk=True) if parts else pl.Series("weight", [], dtype=pl.Float64)


def _union_on_codes(tables: list[pl.DataFrame]) -> pl.DataFrame:
    """Outer join of edge tables keyed by integer account codes (each key unique per table),
    sorted by the pair: a merge of packed 64-bit keys instead of a hash join and a sort.

    At 1M accounts (9.1M identity and 4.4M lockstep pairs) this takes ~1.5 s of CPU where the
    polars join on the two key columns and the sort took 7.3 s.
    """
    keys = [_packed(t) for t in tables]
    union = np.sort(np.concatenate(keys))
    union = union[new_run(union)]
    columns: dict[str, pl.Series] = {
        "account_a": pl.Series("account_a", (union >> np.uint64(32)).astype(np.uint32)),
        "account_b": pl.Series("account_b", (union & np.uint64(0xFFFFFFFF)).astype(np.uint32)),
    }
    for table, key in zip(tables, keys):
        place = np.searchsorted(union, key)
        for name, dtype in table.schema.items():
            if name in KEY:
                continue
            values = table[name].to_numpy()
            # A pair missing from this table has none of its evidence: 0, as the caller fills.
            full = np.zeros(len(union), dtype=values.dtype)
            full[place] = values
            columns[name] = pl.Series(name, full, dtype=dtype)
    return pl.DataFrame(columns)


def _packed(table: pl.DataFrame) -> np.ndarray:
    """``account_a << 32 | account_b`` (uint64), built in place: one array of the table's rows."""
    key = table["account_a"].to_numpy().astype(np.uint64)
    key <<= np.uint64(32)
    key |= table["account_b"].to_numpy()
    return key

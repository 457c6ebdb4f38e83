"""Order-independent float aggregation, for byte-identical outputs.

polars aggregates large groups in parallel and combines per-thread partial sums in an order
that can change between runs; floating-point addition is not associative, so a float
``sum``/``mean`` can differ in its last bit from one run to the next (seen on 1 account in
20,000). Integer addition is exact and associative, so these helpers sum in fixed point:
scale, round to int64, sum, scale back. With the default scale of 2**30 the resolution is
about 1e-9 and a group's sum must stay below about 8.6e9 in absolute value: ample for shares,
log-counts, evidence weights and day counts.
"""

from __future__ import annotations

import polars as pl

SCALE = float(2**30)


def fixed_sum(expr: pl.Expr, *, scale: float = SCALE) -> pl.Expr:
    """Sum of ``expr`` (nulls and NaNs ignored) computed exactly in fixed point."""
    return (expr * scale).round().fill_nan(None).cast(pl.Int64).sum() / scale


def fixed_mean(expr: pl.Expr, *, scale: float = SCALE) -> pl.Expr:
    """Mean of the non-null, non-NaN values of ``expr``, computed with :func:`fixed_sum`."""
    return fixed_sum(expr, scale=scale) / expr.fill_nan(None).count()

"""Masking of identifier values in anything a person reads.

A masked value keeps its kind, a short prefix and a stable hash, so equal values still read as
equal (``device:3fa…#9c01d2e4``).

The data contract expects identifier values hashed upstream (opaque strings). If raw values
arrive instead (phone numbers, IPv4 addresses), an unkeyed 32-bit hash of a small space can be
brute-forced: set ``SYNDICATE_MASK_KEY`` to a deployment secret and the hash becomes a keyed
BLAKE2b MAC, which cannot be reversed without the key (masks then differ between deployments
with different keys, by design).
"""

from __future__ import annotations

import hashlib
import os

import polars as pl

PREFIX_CHARS = 3


def mask_value(kind: str | None, value: str | None) -> str | None:
    """``kind:pre…#hash8`` for one identifier value (None stays None)."""
    if value is None:
        return None
    key = os.environ.get("SYNDICATE_MASK_KEY", "").encode()[:64]
    digest = hashlib.blake2b(value.encode(), digest_size=4, key=key).hexdigest()
    head = f"{kind}:" if kind else ""
    return f"{head}{value[:PREFIX_CHARS]}…#{digest}"


def mask_column(frame: pl.DataFrame, value: str = "value", kind: str | None = "kind") -> pl.DataFrame:
    """Replace ``frame[value]`` by its masked form (uses ``frame[kind]`` when given)."""
    kinds = frame[kind].to_list() if kind and kind in frame.columns else [None] * frame.height
    masked = [mask_value(k, v) for k, v in zip(kinds, frame[value].to_list())]
    return frame.with_columns(pl.Series(value, masked, dtype=pl.String))

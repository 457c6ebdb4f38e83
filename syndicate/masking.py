"""Masking of identifier values in anything a person reads.

A masked value keeps its kind, at most a short prefix and a keyed digest, so equal values
still read as equal (``device:3fa…#9c01d2e4a1b2c3d4``) while no mask can be reversed by trying
candidate values: the digest is a BLAKE2b MAC under a secret key, not a plain hash. (An
unkeyed 4-byte hash of a phone number or an IPv4 address falls to brute force in seconds.)

The key is, in order:

1. ``SYNDICATE_MASK_KEY`` (any text): set the same value on every machine whose masks must
   match, e.g. from the deployment's secret store;
2. the key file ``$XDG_CONFIG_HOME/syndicate/mask.key`` (``~/.config/syndicate/mask.key``),
   created once with 32 random bytes and owner-only permissions (0600) when it is missing;
3. if that file cannot be created (a read-only home), a random key for this process only:
   masks then match within a run but not across runs, and a warning says so.

Only a short prefix is shown, and only of longer values: a quarter of the characters, at most
three (nothing of a value of three characters or fewer).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import secrets
import warnings
from pathlib import Path

import polars as pl

PREFIX_CHARS = 3
DIGEST_BYTES = 8  # 64 bits: distinct values of even a billion-row table read as distinct
KEY_ENV = "SYNDICATE_MASK_KEY"


def key_file() -> Path:
    """Where the machine's masking key lives (created on first use)."""
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "syndicate" / "mask.key"


@functools.lru_cache(maxsize=8)
def _file_key(path: Path) -> bytes:
    """The key in ``path``, created atomically (complete or absent) with mode 0600 if missing."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)  # fails if another process created the key first: use theirs
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
    return bytes.fromhex(path.read_text().strip())


@functools.lru_cache(maxsize=1)
def _process_key() -> bytes:
    return secrets.token_bytes(32)


def mask_key() -> bytes:
    """The key of the keyed digest (see the module docstring for where it comes from)."""
    configured = os.environ.get(KEY_ENV, "")
    if configured:
        raw = configured.encode()
        return raw if len(raw) <= 64 else hashlib.blake2b(raw).digest()  # BLAKE2b keys: <= 64 bytes
    path = key_file()
    try:
        return _file_key(path)
    except (OSError, ValueError) as exc:
        if path not in _WARNED:  # once a process: every masked value asks again
            _WARNED.add(path)
            warnings.warn(f"cannot read or create the masking key {path} ({exc}); masks in this run use a "
                          f"one-off key and will not match other runs. Set {KEY_ENV} to share one.",
                          RuntimeWarning, stacklevel=3)
        return _process_key()


_WARNED: set[Path] = set()


def mask_value(kind: str | None, value: str | None, *, key: bytes | None = None) -> str | None:
    """``kind:pre…#digest`` for one identifier value (None stays None).

    Examples
    --------
    >>> mask_value("phone", "+84901234567", key=b"k")
    'phone:+84…#789d1df75329898a'
    >>> mask_value("ip", "1.2", key=b"k")
    'ip:…#394c7b45fd55fcb3'
    """
    if value is None:
        return None
    head = f"{kind}:" if kind else ""
    if not value.strip():  # nothing to hide, and a digest would make it look like a real value
        return f"{head}(empty)" if not value else \
            f"{head}(blank: {len(value)} character{'' if len(value) == 1 else 's'})"
    key = mask_key() if key is None else key
    digest = hashlib.blake2b(value.encode(), digest_size=DIGEST_BYTES, key=key).hexdigest()
    return f"{head}{value[:min(PREFIX_CHARS, len(value) // 4)]}…#{digest}"


_MASK = re.compile(r"(?:[^:\s]+:)?[^\s]{0,%d}…#[0-9a-f]{%d}" % (PREFIX_CHARS, 2 * DIGEST_BYTES))


def is_mask(text: object) -> bool:
    """Whether ``text`` is already a mask (:func:`mask_value`): not masked a second time."""
    return isinstance(text, str) and (_MASK.fullmatch(text) is not None
                                      or text.endswith("(empty)") or "(blank: " in text)


def mask_column(frame: pl.DataFrame, value: str = "value", kind: str | None = "kind") -> pl.DataFrame:
    """Replace ``frame[value]`` by its masked form (uses ``frame[kind]`` when given)."""
    key = mask_key()
    kinds = frame[kind].to_list() if kind and kind in frame.columns else [None] * frame.height
    masked = [mask_value(k, v, key=key) for k, v in zip(kinds, frame[value].to_list())]
    return frame.with_columns(pl.Series(value, masked, dtype=pl.String))

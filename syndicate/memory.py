"""How the process asks the kernel for memory: fresh pages are the dearest thing a run buys.

A run at 1M accounts allocates and frees gigabytes of numpy temporaries stage after stage.
Measured on a 2-core cloud VM (the kind a scheduled job runs on), first-touching memory the
kernel has to find is what costs, not the arithmetic on it:

- numpy asks for transparent huge pages on every array over 4 MB (``madvise``). Where huge
  pages must be compacted on demand (a VM whose free memory goes back to the host), one fresh
  GB took 3-7 s of system time with them, 0.4-0.5 s without. The link stage at 1M spent 16.5 s
  of system time beside 19.5 s of user time. ``NUMPY_MADVISE_HUGEPAGE=0`` (set in
  ``syndicate/__init__.py`` unless the user set it) turns them off.
- glibc's ``malloc`` hands each array over 32 MB its own ``mmap`` and gives it back on
  ``free``: the next partition of a sweep faults the same gigabyte in again, page by page.
  :func:`hold_freed_memory` makes ``malloc`` keep freed memory for reuse instead, and
  :func:`release_freed_memory` gives it back at the end of each stage (``progress.stage``), so
  a stage's temporaries are recycled within the stage and never outlive it.

Everything here is best effort: on another C library or platform nothing changes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from functools import lru_cache

# mallopt parameters (glibc's malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_M_ARENA_MAX = -8
# Freed memory at the top of the heap is kept up to this much (2 GB, mallopt's int limit)
# until the stage ends: enough for any stage's temporaries at 1M accounts.
_TRIM_THRESHOLD = 2**31 - 1


@lru_cache(maxsize=1)
def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 — both must exist (glibc)
    except (OSError, AttributeError):
        return None
    return libc


@lru_cache(maxsize=1)
def hold_freed_memory() -> bool:
    """Let glibc's ``malloc`` serve large blocks from its heap and keep freed ones for reuse
    (no ``mmap`` per array, no trimming) until :func:`release_freed_memory`, and turn numpy's
    huge-page requests off when numpy was imported before ``syndicate`` could say so through
    the environment (a notebook). Once per process; False where ``malloc`` is not glibc's."""
    _no_huge_pages()
    libc = _glibc()
    if libc is None:
        return False
    return one_arena() and all(libc.mallopt(param, value) for param, value in (
        (_M_MMAP_MAX, 0), (_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)))


def one_arena() -> bool:
    """Let every thread allocate from glibc's main arena, so that a worker thread's large
    blocks come from the same recycled heap (a thread's own arena is at most 64 MB and maps
    each large block afresh). glibc fixes its number of arenas as threads first allocate:
    this only holds for threads that allocate after it, and importing polars starts threads
    of its own (jemalloc's background thread), so the ``syndicate`` command calls it first
    thing. Set after them, half of the workers still got another arena: at 1M accounts the
    lockstep sweep faulted 0.51M fresh pages instead of 4,000. False where ``malloc`` is not
    glibc's."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(_M_ARENA_MAX, 1))


def release_freed_memory() -> None:
    """Give the memory ``malloc`` holds free back to the kernel (``malloc_trim``): called at
    the end of every stage, so the next stage's peak does not sit on this one's leftovers."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def _no_huge_pages() -> None:
    if os.environ.get("NUMPY_MADVISE_HUGEPAGE") != "0":
        return  # the user asked for them
    try:
        from numpy._core.multiarray import _get_madvise_hugepage, _set_madvise_hugepage
    except ImportError:  # another numpy layout: leave it as it is
        return
    if _get_madvise_hugepage():
        _set_madvise_hugepage(False)

"""The allocator policy (syndicate/memory.py): huge pages off, freed blocks recycled per stage."""

import subprocess
import sys

import numpy as np
import pytest

from syndicate import memory
from syndicate.progress import Progress

from conftest import TINY


def _run(code: str, **env: str) -> str:
    import os

    environ = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"} | env
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=environ).stdout.strip()


def test_importing_syndicate_first_turns_numpy_huge_pages_off():
    code = ("import syndicate, numpy\n"
            "from numpy._core.multiarray import _get_madvise_hugepage\n"
            "print(_get_madvise_hugepage())")
    assert _run(code) == "False"


def test_a_users_own_setting_is_kept():
    code = ("import syndicate, numpy\n"
            "from syndicate.progress import Progress\n"
            "with Progress(quiet=True).stage('x'): pass\n"
            "from numpy._core.multiarray import _get_madvise_hugepage\n"
            "print(_get_madvise_hugepage())")
    assert _run(code, NUMPY_MADVISE_HUGEPAGE="1") == "True"


def test_numpy_imported_first_is_switched_at_the_first_stage():
    code = ("import numpy\n"
            "from numpy._core.multiarray import _get_madvise_hugepage\n"
            "before = _get_madvise_hugepage()\n"
            "from syndicate.progress import Progress\n"
            "with Progress(quiet=True).stage('x'): pass\n"
            "print(before, _get_madvise_hugepage())")
    assert _run(code) == "True False"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc")
def test_freed_blocks_are_recycled_within_a_stage_and_returned_after_it():
    def rss_mb() -> float:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

    with Progress(quiet=True).stage("x"):
        assert memory.hold_freed_memory()
        block = np.ones(40_000_000)  # 320 MB, served from the heap (no mmap of its own)
        del block
        held = rss_mb()
        again = np.ones(40_000_000)  # the freed block again: the process does not grow
        assert rss_mb() < held + 100
        del again
    assert rss_mb() < held - 200  # released at the end of the stage



def test_the_background_load_sets_up_recycling_before_its_thread_starts():
    """glibc fixes its number of arenas when a second thread first allocates: the command
    line's load thread starts before any stage, so ``start_loading`` must set the recycling
    up first, or the stages' worker threads get arenas of their own and fault every large
    temporary in afresh (at 1M accounts, the lockstep sweep's page faults went from 0.51M to
    1.09M)."""
    code = f"""
import threading
from syndicate import memory
from syndicate.engines.polars_engine import PolarsEngine
seen = []
start = threading.Thread.start
def recording_start(self):
    seen.append(memory.hold_freed_memory.cache_info().currsize)
    start(self)
threading.Thread.start = recording_start
engine = PolarsEngine()
engine.start_loading({str(TINY)!r})
engine.load({str(TINY)!r})
print(seen[0])
"""
    assert _run(code) == "1"


def test_the_command_keeps_one_arena_before_polars_starts_its_threads():
    """Importing polars starts threads (jemalloc's background thread) that fix glibc's arena
    count when they first allocate: the command sets one arena before anything imports it."""
    code = """
import sys
import syndicate.memory as memory
seen = []
original = memory.one_arena
def recording():
    seen.append("polars" in sys.modules)
    return original()
memory.one_arena = recording
from syndicate.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(seen)
"""
    assert _run(code).splitlines()[-1] == "[False]"


@pytest.mark.skipif(memory._glibc() is None, reason="glibc's malloc only")
def test_with_one_arena_set_first_worker_threads_reuse_their_large_blocks():
    """Two worker threads allocating, sorting and freeing 72 MB arrays round after round:
    with one arena set before polars' threads and the recycling on, the rounds after the first
    fault in (almost) no fresh pages; set after polars' threads, each round faulted half of
    its arrays afresh (105k of the first round's 158k pages)."""
    code = """
import resource
from concurrent.futures import ThreadPoolExecutor
from syndicate import memory
memory.one_arena()
import numpy as np
import polars as pl
pl.DataFrame({"a": [1, 2]}).sum()  # polars' threads start
memory.hold_freed_memory()
def work(i):
    a = np.arange(9_000_000 + 1000 * i); b = a * 3; c = np.sort(b[::-1]); return int(c[0])
faults = []
with ThreadPoolExecutor(2) as pool:
    for round_ in range(5):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        list(pool.map(work, range(4 * round_, 4 * round_ + 4)))
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(faults[0], sum(faults[1:]))
"""
    first, later = map(int, _run(code).split())
    assert later < first / 2, (first, later)

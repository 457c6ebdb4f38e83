"""Stage timings, peak memory and progress lines on stderr (``quiet`` turns the lines off)."""

from __future__ import annotations

import resource
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from syndicate.memory import hold_freed_memory, release_freed_memory

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux); False where unsupported."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MB (since the last reset, on Linux)."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Progress:
    """Records wall time and peak memory per stage and, unless quiet, prints a line per stage."""

    def __init__(self, *, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}  # process CPU (user + system, all threads)
        self.peak_mb: dict[str, float] = {}

    def say(self, message: str) -> None:
        if not self.quiet:
            try:
                print(f"[syndicate] {message}", file=self.stream, flush=True)
            except BrokenPipeError:  # `2>&1 | head`: the reader went away; the work goes on, unsaid
                self.quiet = True

    @contextmanager
    def stage(self, name: str, *, since: tuple[float, float] | None = None) -> Iterator[None]:
        """Time the block as stage ``name``; ``since`` (``perf_counter, process_time``) dates
        its start back to work begun before it (a load started in the background): its CPU
        then includes what the process did meanwhile, and its peak mark is not reset."""
        self.say(f"{name} …")
        hold_freed_memory()
        if since is None:
            _reset_peak()
        start, cpu = since if since is not None else (time.perf_counter(), time.process_time())
        yield
        release_freed_memory()  # the stage's recycled temporaries: not carried into the next one
        elapsed = time.perf_counter() - start
        self.timings[name] = round(self.timings.get(name, 0.0) + elapsed, 3)
        self.cpu_seconds[name] = round(self.cpu_seconds.get(name, 0.0) + time.process_time() - cpu, 3)
        self.peak_mb[name] = round(max(self.peak_mb.get(name, 0.0), peak_rss_mb()), 1)
        self.say(f"{name} done in {elapsed:.1f} s, {self.cpu_seconds[name]:.1f} s CPU "
                 f"(peak {self.peak_mb[name]:,.0f} MB)")

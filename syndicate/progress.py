"""Stage timings and progress lines on stderr (``quiet`` turns the lines off)."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator


class Progress:
    """Records wall time per stage and, unless quiet, prints one line per stage."""

    def __init__(self, *, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"[syndicate] {message}", file=self.stream, flush=True)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.say(f"{name} …")
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.timings[name] = round(self.timings.get(name, 0.0) + elapsed, 3)
        self.say(f"{name} done in {elapsed:.1f} s")

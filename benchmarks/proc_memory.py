"""Memory of a process tree, read from Linux's /proc: what the benchmarks poll.

A run's true peak is polled from outside, every 50 ms: the package resets the kernel's peak mark
at every stage (for its per-stage figures), so ``/usr/bin/time`` and VmHWM would show only the
last stage's. Each process counts its proportional set size (``Pss`` of
``/proc/PID/smaps_rollup``: pages shared between processes split among them), not its RSS:
summing RSS counts a child between fork and exec twice — the run starts its HDBSCAN fit as a
child process, and a poll that caught that instant of a 3.7 GB parent read 6.5 GB once in five
runs at 1M accounts, while every stage's own peak stayed under 3.9 GB. Where the kernel has no
rollup (before 4.14), ``VmRSS``.
"""

from __future__ import annotations

import os


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc/PID/task/TID/children (a process that exits
    meanwhile is skipped)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return out


def memory_kb(pid: int) -> int:
    """Proportional set size of ``pid`` in kB (VmRSS without a rollup; 0 once it is gone)."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            with open(path) as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1])
        except FileNotFoundError:
            continue  # no rollup in this kernel: try the status line
        except OSError:
            return 0  # exited, or not ours to read
    return 0


def tree_memory_mb(pid: int) -> float:
    """Memory of ``pid`` and its descendants (MB)."""
    return sum(memory_kb(p) for p in tree(pid)) / 1024

"""Memory of a process tree, read from Linux's /proc: what the benchmarks poll.

A run's true peak is polled from outside, every 50 ms: the package resets the kernel's peak mark
at every stage (for its per-stage figures), so ``/usr/bin/time`` and VmHWM would show only the
last stage's. Each process counts its resident set (``VmRSS``), except a child that still has
its parent's address space: the run starts its HDBSCAN fit as a child process, and between the
fork (CPython uses vfork: the very same pages) and the exec the child's RSS is its parent's.
A poll that caught that instant of a 3.7 GB parent read 6.5 GB once in five runs at 1M
accounts, while every stage's own peak stayed under 3.9 GB. Such a child is told by its memory
layout (code, stack and heap start in ``/proc/PID/stat``) being its parent's: after exec the
kernel lays a new program out at new random addresses. Shared libraries still count once per
process, as with any RSS sum.
"""

from __future__ import annotations

import os


def tree(pid: int) -> list[tuple[int, int | None]]:
    """``(pid, parent)`` of ``pid`` (parent None) and its descendants, from
    /proc/PID/task/TID/children; processes and threads that exit meanwhile are skipped."""
    out, todo = [], [(pid, None)]
    while todo:
        p, parent = todo.pop()
        out.append((p, parent))
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo.extend((int(c), p) for c in handle.read().split())
            except OSError:
                continue
    return out


def rss_kb(pid: int) -> int:
    """Resident set of ``pid`` in kB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def layout(pid: int) -> tuple[str, str, str] | None:
    """Where ``pid``'s code, stack and heap start (``startcode``, ``startstack``, ``start_brk``
    of /proc/PID/stat), or None when unreadable (gone, or not ours: the kernel shows zeros)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # fields[0] is the stat file's third field (state): field n is fields[n - 3].
    found = (fields[23], fields[25], fields[44]) if len(fields) > 44 else None
    return None if found is None or found == ("0", "0", "0") else found


def tree_memory_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants (MB), a child that has not yet exec'd
    counted once with its parent."""
    total, layouts = 0, {}
    for p, parent in tree(pid):
        layouts[p] = layout(p)
        if parent is not None and layouts[p] is not None and layouts[p] == layouts.get(parent):
            continue
        total += rss_kb(p)
    return total / 1024

"""syndicate: find bad-actor syndicates on a marketplace."""

import os

__version__ = "0.3.0"

# polars allocates through jemalloc, which by default keeps freed pages for 10 s before giving
# them back. A run frees and allocates gigabytes stage after stage (numpy, through the C
# allocator, cannot reuse those pages), so the retained pages add up to the true peak: at 1M
# accounts 5.3 GB with the default against 4.0 GB with pages returned within a quarter of a
# second by a background thread (measured; returning them at once cost ~10% more CPU, 1 s kept
# 4.4 GB). Only takes effect when polars has not been imported yet (the `syndicate` command,
# or `import syndicate` first); a setting of one's own is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:250,muzzy_decay_ms:0")
# numpy asks for transparent huge pages on every large array; where the kernel must compact
# memory to find them (a cloud VM), a fresh GB cost 3-7 s of system time against 0.4 s with
# plain pages, a quarter of a 1M-account run (see syndicate/memory.py). Same condition as above.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")
# numpy's AVX-512 integer sorts run as slow microcode on AMD Zen 4 (5x slower than its AVX2
# ones; a 1M-account run 61-68 s against 51 s): numpy is told to leave AVX-512 out on such a
# CPU only, unless the user set numpy's CPU features (syndicate/cpu.py). Same condition as above.
from syndicate.cpu import avoid_slow_avx512_sort  # noqa: E402  (standard library only)

avoid_slow_avx512_sort()

# The analyst API (syndicate.api) and a few classes, imported on first use so that
# `import syndicate` stays light (no polars, xgboost or matplotlib until needed).
_LAZY = {
    **{name: "syndicate.api" for name in (
        "generate_marketplace", "write_tables", "load_dataset", "build_links", "find_clusters",
        "cluster_features", "fit_risk_model", "train_risk_model", "score_clusters", "score_accounts", "run",
        "load_run",
        "explain_cluster", "cluster_members", "draw_cluster", "investigate", "draw_timeline",
        "export_case", "read_truth", "evaluate_run", "evaluate_strategies", "strategy_hits")},
    "Config": "syndicate.config",
    "RiskModel": "syndicate.risk.model",
    "Strategy": "syndicate.strategies",
    "DEFAULT_STRATEGIES": "syndicate.strategies",
    "read_strategies": "syndicate.strategies",
    "score_new": "syndicate.screening",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'syndicate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])

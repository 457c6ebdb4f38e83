"""HDBSCAN's fit, in this process or in a child process that holds its own GIL.

The ``hdbscan`` package's fit (Boruvka over a KD-tree, then the cluster tree) is Cython that
holds the GIL from start to end: 2.7-2.8 s for its 15,000-account pool at 1M accounts. The
cluster stage runs it beside the co-action groups (numpy and igraph, which need the GIL
between their calls), so on a thread the two took turns: the stage took 8.7-9.8 s with
HDBSCAN and 4.7 s without. A child process runs the fit on the other core for real. It costs
a Python start and the import of hdbscan (scikit-learn: ~1.5 s of CPU), begun before the
matrix is built, so pools under ``CHILD_MIN_ROWS`` rows are fitted here (on a thread).

The child gets the matrix on its stdin and answers with the labels on its stdout, both as
``.npy`` (read with ``allow_pickle=False``): nothing but numbers crosses. The same library on
the same numbers: the labels are the same wherever the fit runs (tests check it).

The child runs :func:`_main` with ``MIN_CLUSTER_SIZE MIN_SAMPLES METHOD`` (also
``python -m syndicate.cluster.hdbscan_fit MIN_CLUSTER_SIZE MIN_SAMPLES METHOD``).
"""

from __future__ import annotations

import io
import subprocess
import sys
import types
from functools import lru_cache
from pathlib import Path

import numpy as np

# Pools from this size are fitted in a child. The child costs ~1.5 s of CPU (Python, numpy and
# hdbscan's scikit-learn imports) and pays when the fit is long and the co-action groups have
# much to do meanwhile. Measured here (cluster stage, wall): 100k accounts, pool of 10,171 rows
# (fit 1.0 s), 1.65-2.07 s in this process against 2.52-2.71 s in a child; 200k, 15,000 rows,
# 3.9-4.3 s against 4.1-4.3 s; 1M, 15,000 rows (fit 2.8-4.3 s beside 4-6 s of co-action
# groups), 8.7-11.3 s against 5.9-8.4 s.
CHILD_MIN_ROWS = 12_000


class _StableArgsortNumpy(types.ModuleType):
    """numpy, but ``argsort`` keeps ties in their order (``kind="stable"``)."""

    def __getattr__(self, name: str):
        return getattr(np, name)

    @staticmethod
    def argsort(a, axis=-1, kind=None, order=None):
        return np.argsort(a, axis=axis, kind="stable", order=order)


@lru_cache(maxsize=1)
def _stable_edge_order() -> None:
    """Make hdbscan order its spanning tree's edges the same way on every CPU.

    hdbscan sorts the minimum spanning tree's edges by weight with numpy's default argsort,
    which is unstable, and mutual-reachability weights tie often (they are core distances).
    numpy's AVX-512 and AVX2 sorts break those ties differently, so the single-linkage tree,
    and with it some labels, followed the CPU (and ``NPY_DISABLE_CPU_FEATURES``, see
    ``syndicate/cpu.py``): at 1M accounts the 15,000-account pool's labels differed. Its module
    is given a numpy whose argsort is stable: ties keep the tree's own order, on any CPU.
    """
    import hdbscan.hdbscan_ as module

    if isinstance(getattr(module, "np", None), types.ModuleType) and module.np is np:
        module.np = _StableArgsortNumpy("numpy")


def hdbscan_labels(x: np.ndarray, *, min_cluster_size: int, min_samples: int, method: str) -> np.ndarray:
    """HDBSCAN's labels of the rows of ``x`` (-1: noise), fitted in this process; the same on
    every CPU (:func:`_stable_edge_order`)."""
    import hdbscan

    _stable_edge_order()
    return hdbscan.HDBSCAN(
        min_cluster_size=min_cluster_size, min_samples=min_samples, cluster_selection_method=method,
        core_dist_n_jobs=1,
    ).fit_predict(x).astype(np.int64)


class ChildFit:
    """A child process started now (its imports overlap the caller's work) that fits the
    matrix :meth:`labels` sends it."""

    def __init__(self, *, min_cluster_size: int, min_samples: int, method: str) -> None:
        # The child finds this package where this process did, also when a notebook put it on
        # sys.path by hand (the environment does not carry that): its folder goes at the END of
        # the child's path, so it shadows nothing the child would otherwise import.
        root = str(Path(__file__).resolve().parents[2])
        code = ("import sys; sys.path.append(sys.argv.pop(1)); "
                "from syndicate.cluster.hdbscan_fit import _main; sys.exit(_main(sys.argv[1:]))")
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, root, str(min_cluster_size), str(min_samples), method],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def labels(self, x: np.ndarray) -> np.ndarray:
        """The labels of ``x``'s rows (waits for the child; the GIL is free meanwhile)."""
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(x, dtype=np.float64), allow_pickle=False)
        out, err = self.process.communicate(buffer.getvalue())
        if self.process.returncode != 0:
            raise RuntimeError(f"the HDBSCAN child process exited with {self.process.returncode}: "
                               f"{err.decode(errors='replace').strip()[-2000:]}")
        labels = np.load(io.BytesIO(out), allow_pickle=False)
        if labels.shape != (len(x),):
            raise RuntimeError(f"the HDBSCAN child process returned {labels.shape} labels for {len(x)} rows")
        return labels

    def close(self) -> None:
        """End the child when its labels are not wanted (an error before :meth:`labels`)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def _main(argv: list[str]) -> int:
    min_cluster_size, min_samples, method = int(argv[0]), int(argv[1]), argv[2]
    _stable_edge_order()  # imports hdbscan (~1.5 s) while the parent makes the matrix, not after
    x = np.load(io.BytesIO(sys.stdin.buffer.read()), allow_pickle=False)
    labels = hdbscan_labels(x, min_cluster_size=min_cluster_size, min_samples=min_samples, method=method)
    buffer = io.BytesIO()
    np.save(buffer, labels, allow_pickle=False)
    sys.stdout.buffer.write(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

"""HDBSCAN's fit in a child process gives the labels of the fit in this process."""

import os

import numpy as np
import polars as pl
import pytest

from syndicate.cluster import density
from syndicate.cluster.hdbscan_fit import ChildFit, hdbscan_labels
from syndicate.config import ClusterConfig

PARAMS = {"min_cluster_size": 10, "min_samples": 5, "method": "eom"}


def blobs(n_per: int = 300, dims: int = 6, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 10, size=(4, dims))
    return np.vstack([c + rng.normal(0, 0.5, size=(n_per, dims)) for c in centres] +
                     [rng.uniform(-20, 20, size=(200, dims))])


def blob_features() -> pl.DataFrame:
    """Behaviour features of 400 accounts in four groups and 200 scattered ones."""
    x = blobs(n_per=80, dims=3, seed=1)
    return pl.DataFrame({"account_id": [f"a{i:04d}" for i in range(len(x))],
                         "gap_cv": x[:, 0], "median_gap_s": np.exp(x[:, 1] / 4), "hour_entropy": x[:, 2],
                         "n_events": np.full(len(x), 50)})


def test_the_child_returns_the_labels_of_the_fit_here():
    x = blobs()
    here = hdbscan_labels(x, **PARAMS)
    assert len(set(here[here >= 0])) == 4  # the four blobs, the uniform rows mostly noise
    assert np.array_equal(ChildFit(**PARAMS).labels(x), here)


def test_a_failing_child_says_why():
    child = ChildFit(min_cluster_size=10, min_samples=5, method="no-such-method")
    with pytest.raises(RuntimeError, match="HDBSCAN child process exited"):
        child.labels(blobs(n_per=20))


def test_an_unused_child_is_ended():
    child = ChildFit(**PARAMS)
    child.close()
    assert child.process.poll() is not None


def test_behaviour_clusters_are_the_same_with_the_fit_in_a_child(monkeypatch):
    """The pool goes to a child from CHILD_MIN_ROWS rows: lowered here, the groups stay."""
    features = blob_features()
    config = ClusterConfig(hdbscan_max_group_floor=1000)
    monkeypatch.setattr(density, "CHILD_MIN_ROWS", 10**9)
    here = density.behaviour_clusters(features, config=config)
    started = []
    monkeypatch.setattr(density, "CHILD_MIN_ROWS", 10)
    monkeypatch.setattr(density, "ChildFit", lambda **kw: started.append(kw) or ChildFit(**kw))
    in_child = density.behaviour_clusters(features, config=config)
    assert started and here.height > 0
    assert in_child.equals(here)


def test_labels_do_not_follow_numpys_simd_path():
    """hdbscan's spanning-tree edges tie often; numpy's AVX-512 and AVX2 argsorts broke the
    ties differently (seed 0's and 2's labels differed on an AVX-512 CPU before the stable
    order). Two fresh processes, numpy's AVX-512 paths on and off, the same labels."""
    import os
    import subprocess
    import sys

    code = ("import sys, hashlib; sys.path.insert(0, 'tests')\n"
            "from test_cluster_hdbscan_fit import blobs, PARAMS\n"
            "from syndicate.cluster.hdbscan_fit import hdbscan_labels\n"
            "print([hashlib.sha1(hdbscan_labels(blobs(seed=s), **PARAMS).tobytes()).hexdigest() for s in range(3)])")
    outs = []
    for disabled in ("", "X86_V4 AVX512_ICL AVX512_SPR AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL"):
        env = {**os.environ, "NPY_DISABLE_CPU_FEATURES": disabled}
        outs.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True, cwd=os.path.dirname(os.path.dirname(__file__))).stdout)
    assert outs[0] == outs[1]


def test_the_child_imports_the_package_the_parent_imported(tmp_path):
    """A notebook that put a copy of syndicate on sys.path by hand (no PYTHONPATH): the child
    must run that copy's code, not another one it would find by itself (here the installed
    one). The copy's child entry point is made to exit with 3, which only it does."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import syndicate

    copy = tmp_path / "copy"
    shutil.copytree(Path(syndicate.__file__).parent, copy / "syndicate",
                    ignore=shutil.ignore_patterns("__pycache__"))
    fit = copy / "syndicate" / "cluster" / "hdbscan_fit.py"
    fit.write_text(fit.read_text().replace("def _main(argv: list[str]) -> int:\n",
                                           "def _main(argv: list[str]) -> int:\n    return 3\n", 1))
    code = ("import sys; sys.path.insert(0, sys.argv[1])\n"
            "import numpy as np, syndicate\n"
            "assert syndicate.__file__.startswith(sys.argv[1]), syndicate.__file__\n"
            "from syndicate.cluster.hdbscan_fit import ChildFit\n"
            "try:\n"
            "    ChildFit(min_cluster_size=10, min_samples=5, method='eom').labels(np.zeros((30, 2)))\n"
            "except RuntimeError as error:\n"
            "    print(error)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code, str(copy)], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert "exited with 3" in out.stdout, (out.stdout, out.stderr)


def test_a_failed_child_leaves_the_fit_to_this_process_with_a_warning(monkeypatch):
    features = blob_features()
    config = ClusterConfig(hdbscan_max_group_floor=1000)
    here = density.behaviour_clusters(features, config=config)

    def broken(self, x):
        raise RuntimeError("the HDBSCAN child process exited with 1: out of memory")

    monkeypatch.setattr(density, "CHILD_MIN_ROWS", 10)
    monkeypatch.setattr(ChildFit, "labels", broken)
    with pytest.warns(RuntimeWarning, match="out of memory; HDBSCAN was fitted in the run's own process"):
        again = density.behaviour_clusters(features, config=config)
    assert again.equals(here)

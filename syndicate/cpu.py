"""numpy's AVX-512 sorts on AMD Zen 4: five times slower than its AVX2 ones; turned off there.

numpy sorts integers with Intel's x86-simd-sort. Its AVX-512 kernels partition with
"compress-store" instructions, which Zen 4 (AMD family 25 with AVX-512: EPYC Genoa, Ryzen
7000, the AMD instances of the big clouds) runs as slow microcode. Measured on a 2-core Zen 4
VM with numpy 2.2 and 2.4, 21M random int64: ``np.sort`` 1.50-1.57 s with AVX-512, 0.26-0.29 s
without; ``np.argsort`` 4.3 s against 2.3 s. syndicate's stages sort packed integer keys
everywhere (lockstep, identity, the behaviour features): a 1M-account run took 61-68 s with
them and 51 s without (the lockstep step 12-13.6 s against 6.3 s).

On such a CPU, :func:`avoid_slow_avx512_sort` tells numpy (``NPY_DISABLE_CPU_FEATURES``, read
once when numpy is imported) to leave its AVX-512 code paths out. Only sorts and a few float
functions change path; ``exp`` and ``log`` become slower (0.03 -> 0.15 s per 21M values, a few
calls per run) and may differ from their AVX-512 results in the last bit, so the features that
took numpy's ``log`` take the C library's (``features/timing.py``) and hdbscan's tie order is
made stable (``cluster/hdbscan_fit.py``): run outputs are the same bytes either way. Other CPUs, Intel's
AVX-512 included (fast compress-store), are left as they are. A setting of the user's own
(``NPY_DISABLE_CPU_FEATURES`` or ``NPY_ENABLE_CPU_FEATURES``, even empty) is kept: set
``NPY_DISABLE_CPU_FEATURES=`` to keep numpy's AVX-512 paths on Zen 4.
"""

from __future__ import annotations

import os

# AMD's family number for Zen 3 and Zen 4; of the two only Zen 4 has AVX-512.
_ZEN4_FAMILY = 25
# numpy's names of its AVX-512 dispatch targets. numpy 2.4 groups them as X86_V4 (+ ICL, SPR);
# earlier releases name each. A name a build does not dispatch on gives an ImportWarning
# (hidden by default), so the list is chosen by the installed numpy's version.
_AVX512_NUMPY_2_4 = "X86_V4 AVX512_ICL AVX512_SPR"
_AVX512_BEFORE_2_4 = "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"


def first_cpu(path: str = "/proc/cpuinfo") -> dict[str, str]:
    """The first processor's fields in ``path`` (Linux); empty where there is no such file."""
    fields: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    if fields:
                        break
                    continue
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        return {}
    return fields


def slow_avx512_sort(cpu: dict[str, str]) -> bool:
    """Whether ``cpu`` (:func:`first_cpu`) is a Zen 4: AMD, family 25, with AVX-512."""
    return (cpu.get("vendor_id") == "AuthenticAMD" and cpu.get("cpu family", "").strip() == str(_ZEN4_FAMILY)
            and "avx512f" in cpu.get("flags", "").split())


def numpy_avx512_names(numpy_version: str | None = None) -> str:
    """numpy's names of its AVX-512 targets for ``numpy_version`` (default: the installed
    numpy's; the newest names if it cannot be read)."""
    if numpy_version is None:
        numpy_version = _installed_numpy()
    try:
        major, minor = (int(part) for part in (numpy_version or "").split(".")[:2])
    except ValueError:
        return _AVX512_NUMPY_2_4
    return _AVX512_NUMPY_2_4 if (major, minor) >= (2, 4) else _AVX512_BEFORE_2_4


def _installed_numpy() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("numpy")
    except PackageNotFoundError:
        return None


def avoid_slow_avx512_sort(environ=os.environ, cpu: dict[str, str] | None = None,
                           numpy_version: str | None = None) -> str | None:
    """Set ``NPY_DISABLE_CPU_FEATURES`` to numpy's AVX-512 targets on a Zen 4 CPU, unless the
    user configured numpy's CPU features already. Returns what it set, or None.

    Takes effect in a process that imports numpy afterwards (the ``syndicate`` command,
    ``import syndicate`` first in a notebook) and in every child process."""
    if "NPY_DISABLE_CPU_FEATURES" in environ or "NPY_ENABLE_CPU_FEATURES" in environ:
        return None
    if not slow_avx512_sort(first_cpu() if cpu is None else cpu):
        return None
    names = numpy_avx512_names(numpy_version)
    environ["NPY_DISABLE_CPU_FEATURES"] = names
    return names


def numpy_cpu_paths() -> dict[str, object]:
    """For the run manifest: numpy's AVX-512 state and the setting that chose it."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # numpy < 2
        try:
            from numpy.core._multiarray_umath import __cpu_features__ as features
        except ImportError:
            features = {}
    return {"avx512": bool(features.get("X86_V4", features.get("AVX512_SKX", False))),
            "NPY_DISABLE_CPU_FEATURES": os.environ.get("NPY_DISABLE_CPU_FEATURES")}


__all__ = ["avoid_slow_avx512_sort", "first_cpu", "numpy_avx512_names", "numpy_cpu_paths", "slow_avx512_sort"]

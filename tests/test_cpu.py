"""numpy's AVX-512 sorts left out on AMD Zen 4 only, and never over the user's own setting."""

import os
import subprocess
import sys

from syndicate.cpu import avoid_slow_avx512_sort, first_cpu, numpy_avx512_names, numpy_cpu_paths, slow_avx512_sort

ZEN4 = {"vendor_id": "AuthenticAMD", "cpu family": "25", "model": "17", "flags": "fpu sse2 avx2 avx512f avx512dq"}
ZEN3 = {"vendor_id": "AuthenticAMD", "cpu family": "25", "model": "1", "flags": "fpu sse2 avx2"}
ZEN5 = {"vendor_id": "AuthenticAMD", "cpu family": "26", "model": "2", "flags": "fpu avx2 avx512f"}
INTEL = {"vendor_id": "GenuineIntel", "cpu family": "6", "model": "106", "flags": "fpu avx2 avx512f"}


def test_only_zen4_is_recognised():
    assert slow_avx512_sort(ZEN4)
    assert not slow_avx512_sort(ZEN3)  # no AVX-512: numpy never takes that path
    assert not slow_avx512_sort(ZEN5)  # not measured: left alone
    assert not slow_avx512_sort(INTEL)  # fast compress-store
    assert not slow_avx512_sort({})  # no /proc/cpuinfo (macOS, Windows)


def test_first_cpu_reads_the_first_processor_block(tmp_path):
    path = tmp_path / "cpuinfo"
    path.write_text("processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nflags\t\t: avx2 avx512f\n\n"
                    "processor\t: 1\nvendor_id\t: GenuineIntel\n")
    assert first_cpu(str(path)) == {"processor": "0", "vendor_id": "AuthenticAMD", "cpu family": "25",
                                    "flags": "avx2 avx512f"}
    assert slow_avx512_sort(first_cpu(str(path)))
    assert first_cpu(str(tmp_path / "missing")) == {}


def test_names_follow_the_numpy_release():
    assert numpy_avx512_names("2.4.6") == "X86_V4 AVX512_ICL AVX512_SPR"
    assert numpy_avx512_names("3.0.0") == "X86_V4 AVX512_ICL AVX512_SPR"
    assert "AVX512_SKX" in numpy_avx512_names("2.2.6").split()
    assert "AVX512_SKX" in numpy_avx512_names("1.26.4").split()
    assert numpy_avx512_names("") == "X86_V4 AVX512_ICL AVX512_SPR"  # unreadable: the newest names
    import numpy

    assert numpy_avx512_names() == numpy_avx512_names(numpy.__version__)  # the installed numpy's


def test_set_on_zen4_only_and_never_over_the_users_setting():
    env = {}
    assert avoid_slow_avx512_sort(env, cpu=ZEN4, numpy_version="2.4.6") == "X86_V4 AVX512_ICL AVX512_SPR"
    assert env == {"NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}
    for cpu in (ZEN3, ZEN5, INTEL, {}):
        env = {}
        assert avoid_slow_avx512_sort(env, cpu=cpu, numpy_version="2.4.6") is None and env == {}
    for own in ({"NPY_DISABLE_CPU_FEATURES": ""}, {"NPY_ENABLE_CPU_FEATURES": "AVX2"}):
        env = dict(own)
        assert avoid_slow_avx512_sort(env, cpu=ZEN4, numpy_version="2.4.6") is None and env == own


def test_the_process_that_imports_syndicate_first_gets_the_setting_before_numpy():
    """In a fresh process, `import syndicate` decides before numpy is imported: on this machine's
    CPU numpy's AVX-512 state is what the rule says, and numpy imports without a warning."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NPY_")}
    code = ("import warnings; warnings.simplefilter('error')\n"
            "import syndicate, numpy, json\n"
            "from syndicate.cpu import numpy_cpu_paths\n"
            "print(json.dumps(numpy_cpu_paths()))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    import json

    paths = json.loads(out.stdout)
    if slow_avx512_sort(first_cpu()):
        assert paths["avx512"] is False and paths["NPY_DISABLE_CPU_FEATURES"]
    else:
        assert paths["NPY_DISABLE_CPU_FEATURES"] is None
    assert set(numpy_cpu_paths()) == {"avx512", "NPY_DISABLE_CPU_FEATURES"}

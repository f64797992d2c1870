"""Threads for large inputs (shrink.set_num_threads): off by default, capped by
OpenMP's own limits, and bit-identical to one thread."""

import os
import subprocess
import sys

import numpy as np
import pytest

import shrink
from shrink import ufuncs as U

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402
from spec_cases import subprocess_env  # noqa: E402

LOOPS = U._REAL_LOOPS
BIG = (1 << 16) + 4099  # above the threshold, and not a multiple of any chunk size

pytestmark = pytest.mark.skipif(not LOOPS.openmp_available(), reason="built without OpenMP")


def cpus():
    """How many threads OpenMP allows a process by default, found without
    shrink: the CPUs it may run on (libgomp's default for omp_get_max_threads)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def run_python(code, omp_num_threads=None):
    """code's stdout, in a fresh interpreter with OMP_NUM_THREADS as given
    (unset when None) and the shrink these tests imported."""
    env = subprocess_env()
    env.pop("OMP_NUM_THREADS", None)
    if omp_num_threads is not None:
        env["OMP_NUM_THREADS"] = omp_num_threads
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True).stdout


def test_one_thread_by_default():
    assert shrink.get_num_threads() == 1
    assert LOOPS.threads_for_size(10**7) == 1


def test_small_inputs_stay_on_one_thread():
    # in a fresh interpreter: OpenMP reads OMP_NUM_THREADS once, when it loads,
    # and a dask.distributed LocalCluster sets os.environ["OMP_NUM_THREADS"] = "1"
    # in the process that starts it
    code = ("import shrink; L = shrink.ufuncs._REAL_LOOPS; shrink.set_num_threads(2); "
            "print(*(L.threads_for_size(n) for n in (1000, (1 << 16) - 1, 1 << 16, 10**6)))")
    assert run_python(code).split() == ["1", "1", str(min(2, cpus())), str(min(2, cpus()))]


def calls(dtype, layout):
    rng = np.random.default_rng(5)
    size = BIG * (2 if layout == "strided" else 1)
    x = (rng.standard_normal(size) * 2).astype(dtype)
    x[::97] = np.nan
    x[::101] = 0.5
    g = rng.standard_normal(size).astype(dtype)
    lam = np.abs(rng.standard_normal(size)).astype(dtype)
    if layout == "strided":
        x, g, lam = x[::2], g[::2], lam[::2]
    return {
        "hardshrink": (x, 0.5), "softshrink": (x, 0.5), "tanhshrink": (x,),
        "hardshrink_grad": (x, lam), "softshrink_grad": (x, 0.5), "tanhshrink_grad": (x,),
        "hardshrink_backward": (g, x, 0.5), "softshrink_backward": (g, x, lam),
        "tanhshrink_backward": (g, x),
    }


@pytest.mark.parametrize("layout", ["contiguous", "strided"])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_threaded_results_are_bit_identical(dtype, layout):
    for name, args in calls(dtype, layout).items():
        ufunc = getattr(U, name)
        one = ufunc(*args)
        previous = shrink.set_num_threads(2)
        try:
            two = ufunc(*args)
        finally:
            shrink.set_num_threads(previous)
        assert np.array_equal(one.view(f"u{one.itemsize}"), two.view(f"u{two.itemsize}")), name


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2"])
def test_bad_thread_counts_are_refused(bad):
    with pytest.raises(ValueError, match="set_num_threads"):
        shrink.set_num_threads(bad)


@pytest.mark.parametrize("omp_num_threads", [None, "1", "2", "3"])
def test_omp_num_threads_caps_the_setting(omp_num_threads):
    code = ("import shrink; shrink.set_num_threads(8); "
            "print(shrink.ufuncs._REAL_LOOPS.threads_for_size(10**7))")
    expected = cpus() if omp_num_threads is None else int(omp_num_threads)
    assert int(run_python(code, omp_num_threads)) == min(8, expected)


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads in Linux /proc")
@pytest.mark.parametrize("threads", [1, 2])
def test_the_threads_really_start(threads):
    """OpenMP keeps its worker threads after a parallel loop: the process has
    (threads used - 1) more OS threads after one large call, counted in /proc."""
    code = ("import os, numpy as np, shrink; x = np.ones(10**6); "
            "before = len(os.listdir('/proc/self/task')); "
            f"shrink.set_num_threads({threads}); shrink.softshrink(x, 0.5, out=x); "
            "print(len(os.listdir('/proc/self/task')) - before)")
    assert int(run_python(code)) == min(threads, cpus()) - 1


def test_threadpoolctl_limits_are_honoured():
    require("threadpoolctl")
    code = ("import shrink, threadpoolctl; L = shrink.ufuncs._REAL_LOOPS; "
            "shrink.set_num_threads(2); print(L.threads_for_size(10**7)); "
            "limits = threadpoolctl.threadpool_limits(limits=1, user_api='openmp'); "
            "print(L.threads_for_size(10**7)); limits.restore_original_limits(); "
            "print(L.threads_for_size(10**7))")
    assert run_python(code).split() == [str(min(2, cpus())), "1", str(min(2, cpus()))]

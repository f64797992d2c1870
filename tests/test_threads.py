"""Threads for large inputs (shrink.set_num_threads): off by default, capped by
OpenMP's own limits, and bit-identical to one thread."""

import os
import subprocess
import sys

import numpy as np
import pytest

import shrink
from shrink import ufuncs as U

LOOPS = U._REAL_LOOPS
BIG = (1 << 16) + 4099  # above the threshold, and not a multiple of any chunk size

pytestmark = pytest.mark.skipif(not LOOPS.openmp_available(), reason="built without OpenMP")


def openmp_limit():
    """What OpenMP allows this thread now: OMP_NUM_THREADS, and whatever another
    library in the process (threadpoolctl, torch.set_num_threads) has set."""
    previous = shrink.set_num_threads(1 << 20)
    try:
        return LOOPS.threads_for_size(10**7)
    finally:
        shrink.set_num_threads(previous)


@pytest.fixture
def two_threads():
    previous = shrink.set_num_threads(2)
    yield
    shrink.set_num_threads(previous)


def test_one_thread_by_default():
    assert shrink.get_num_threads() == 1
    assert LOOPS.threads_for_size(10**7) == 1


def test_small_inputs_stay_on_one_thread(two_threads):
    assert LOOPS.threads_for_size(1000) == 1
    assert LOOPS.threads_for_size(10**6) == min(2, openmp_limit())


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


def test_omp_num_threads_caps_the_setting():
    code = ("import shrink; shrink.set_num_threads(8); "
            "print(shrink.ufuncs._REAL_LOOPS.threads_for_size(10**7))")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "1"


def test_threadpoolctl_limits_are_honoured(two_threads):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    assert LOOPS.threads_for_size(10**7) == min(2, openmp_limit())
    with threadpoolctl.threadpool_limits(limits=1, user_api="openmp"):
        assert LOOPS.threads_for_size(10**7) == 1

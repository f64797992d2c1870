"""Large contiguous float32/float64 outputs are written with streaming stores
(src/stream.h), a stack block at a time: the results must be the same bits as
the ordinary path's, whatever the block, vector and alignment tails.

Each array repeats a period of special and ordinary values; the period's own
results (a short array: the ordinary path) are checked against the independent
references of spec_cases, and the large call must repeat them element for
element: scalar and array thresholds, one and two threads, in place, and an
output that starts off a 64-byte line (the loops store a head first).
"""

import os
import sys

import numpy as np
import pytest

import shrink
from shrink import ufuncs as U
from shrink._table import FAMILIES

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import args_for, assert_matches_reference, param_values, quiet_fp, ufunc, value_pool  # noqa: E402

STREAM_MIN = U._REAL_LOOPS.stream_min_bytes()
STREAMED = [name for f in FAMILIES if not f.compute_bound
            for name in (f.name, f"{f.name}_grad", f"{f.name}_backward")]

pytestmark = pytest.mark.skipif(STREAM_MIN == 0, reason="no streaming stores in this build (not x86-64)")


def period(dtype):
    """Special values and ordinary ones, an odd length: the period meets the
    block and vector boundaries at every phase."""
    pool = value_pool(dtype, 0.5)
    return np.concatenate([pool, np.linspace(-3.0, 3.0, 1031 - pool.size).astype(dtype)])


def periodic(p, n, offset):
    """n elements repeating p, starting `offset` elements into a fresh buffer
    (so that the view's data is not 64-byte aligned for offset > 0)."""
    buf = np.resize(p, n + offset)
    buf[offset:] = np.resize(p, n)
    return buf[offset:]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", STREAMED)
def test_streamed_outputs_repeat_the_checked_period(name, dtype, threads):
    p = period(dtype)
    g_p = p[::-1].copy()
    with quiet_fp():
        small = ufunc(name)(*args_for(name, p, 0.5, g=g_p))
    assert_matches_reference(small, name, p, 0.5, g=g_p)
    # enough that each of two threads' chunks streams, and a tail that is no
    # multiple of the block or a vector
    itemsize = np.dtype(dtype).itemsize
    n = 2 * STREAM_MIN // itemsize + 4099
    reps = -(-n // p.size)
    want = np.tile(small, reps)[:n]
    x = periodic(p, n, 3)
    g = periodic(g_p, n, 3)
    params = param_values(name)
    previous = shrink.set_num_threads(threads)
    try:
        with quiet_fp():
            cases = {
                "scalar thresholds": (args_for(name, x, g=g), np.empty(n + 3, dtype)[3:]),
                "array thresholds": (args_for(name, x, g=g, params=[np.full(n, v, dtype) for v in params]),
                                     np.empty(n, dtype)),
            }
            for case, (args, out) in cases.items():
                got = ufunc(name)(*args, out=out)
                assert got is out
                assert np.array_equal(got.view(f"u{itemsize}"), want.view(f"u{itemsize}")), f"{name}, {case}"
            # in place on x (the block is read before it is streamed back)
            inplace = x.copy()
            ufunc(name)(*args_for(name, inplace, g=g), out=inplace)
            assert np.array_equal(inplace.view(f"u{itemsize}"), want.view(f"u{itemsize}")), f"{name} in place"
    finally:
        shrink.set_num_threads(previous)

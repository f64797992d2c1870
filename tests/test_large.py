"""Arrays past 2**31 elements: 64-bit indexing throughout the loops.

Opt-in, as it needs 4 GiB and a minute or two: ``SHRINK_SLOW=1 python -m pytest
tests/test_large.py``. Each function runs in place on N = 2**31 + 17 float16
elements (x, grad_output and out one buffer), on one thread and split across
two; the buffer repeats a period of special values, so every element can be
checked: the result must repeat the result on one period, and that period is
checked against the independent references (exact selects, mpmath).
"""

import os
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mp_oracle as O  # noqa: E402
from spec_cases import (  # noqa: E402
    FUNCS, NAMES, args_for, assert_matches_reference, assert_same_bits, quiet_fp, ref_exact, ufunc, value_pool,
)

N = 2**31 + 17
GIB = 2**30

pytestmark = pytest.mark.skipif(os.environ.get("SHRINK_SLOW") != "1",
                                reason="slow and 4 GiB: set SHRINK_SLOW=1 to run")


def available_memory():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def period():
    """Special values and ordinary ones; an odd length, so the period straddles
    2**31 and every chunk boundary at a different phase."""
    pool = value_pool(np.float16, 0.5)
    more = np.linspace(-6.0, 6.0, 1031 - pool.size).astype(np.float16)
    return np.concatenate([pool, more])


def fill_periodically(buf, p):
    """buf[i] = p[i % len(p)], by doubling copies (no N-sized temporaries)."""
    buf[:p.size] = p
    filled = p.size
    while filled < buf.size:
        step = min(filled, buf.size - filled)
        buf[filled:filled + step] = buf[:step]
        filled += step


def check_periodic(out, small):
    """out[i] == small[i % len(small)] bit for bit, a few hundred MiB at a time."""
    P = small.size
    bits = out.view(np.uint16)
    want = small.view(np.uint16)
    block = (256 << 20) // 2 // P * P
    for start in range(0, bits.size, block):
        part = bits[start:start + block]
        full = part.size // P * P
        assert np.array_equal(part[:full].reshape(-1, P), np.broadcast_to(want, (full // P, P))), \
            f"mismatch in [{start}, {start + full})"
        tail = part[full:]
        assert np.array_equal(tail, want[:tail.size]), f"mismatch in the tail at {start + full}"


def reference_on_one_period(name, p):
    if FUNCS[name].exact:
        return ref_exact(name, p, 0.5, p, np.float16)
    with quiet_fp():
        got = ufunc(name)(*args_for(name, p, g=p))
    if FUNCS[name].has_lambd:
        assert_matches_reference(got, name, p, 0.5, p, np.float16)
        return got
    # the period itself against mpmath, within the SPEC §5 bound
    if name == "tanhshrink_backward":
        T = O.tanhshrink_grad_refs(p)
        gm = O.mpf_list(p)
        exact = [a * t for a, t in zip(gm, T)]
        fin = np.isfinite(p)
        err = O.ulp_errors(got, exact, np.float16)
        assert np.all((err <= O.backward_allowed(gm, T, exact, np.float16))[fin])
    else:
        refs = (O.tanhshrink_refs if name == "tanhshrink" else O.tanhshrink_grad_refs)(p)
        assert O.ulp_errors(got, refs, np.float16).max() <= O.tanh_bound(np.float16)
    return got


@pytest.fixture(scope="module")
def buffer():
    if available_memory() < 6 * GIB:
        pytest.skip("needs 6 GiB of free memory")
    return np.empty(N, np.float16)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", NAMES)
def test_past_2_to_the_31(buffer, name, threads):
    p = period()
    small = reference_on_one_period(name, p)
    fill_periodically(buffer, p)
    # the values an int32 index would have wrapped onto
    i = np.array([0, 2**31 - 1, 2**31, 2**31 + 1, N - 1])
    x_at = buffer[i].copy()
    previous = shrink.set_num_threads(threads)
    try:
        with quiet_fp():
            r = ufunc(name)(*args_for(name, buffer, 0.5, buffer), out=buffer)
    finally:
        shrink.set_num_threads(previous)
    assert r is buffer
    expected_at = reference_on_one_period(name, x_at)
    assert_same_bits(buffer[i], expected_at, f"{name} near 2**31 and at the end")
    check_periodic(buffer, small)

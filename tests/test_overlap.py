"""Partially overlapping input and output views.

NumPy promises that a ufunc whose output overlaps an input gives what it would
give on copies of the inputs (it copies or buffers as needed, since 1.13). Our
loops receive whatever NumPy hands them, including the threaded path, so every
overlap pattern is checked against the same call on copies, bit for bit, and
the memory outside the output view must be untouched.
"""

import os
import sys

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import FUNCS, NAMES, args_for, assert_same_bits, pyfunc, quiet_fp, ufunc  # noqa: E402

THREAD_SIZE = (1 << 16) + 4099  # above the threshold of the threaded path


def _buffer(n, dt, seed):
    rng = np.random.default_rng(seed)
    b = (rng.standard_normal(n) * 2).astype(dt)
    b[::13] = np.nan
    b[5::17] = 0.5
    b[7::19] = -0.5
    b[9::23] = -0.0
    return b


# Each pattern: (out, operand) views of one buffer of length 2n + 2.
PATTERNS = {
    "out-ahead-by-one": lambda b, n: (b[1:n + 1], b[:n]),
    "out-behind-by-one": lambda b, n: (b[:n], b[1:n + 1]),
    "out-half-overlap": lambda b, n: (b[n // 2:n // 2 + n], b[:n]),
    "out-reversed": lambda b, n: (b[:n][::-1], b[:n]),
    "out-stride-2-over-stride-1": lambda b, n: (b[:2 * n:2], b[1:n + 1]),
    "out-interleaved": lambda b, n: (b[1:2 * n + 1:2], b[:2 * n:2]),
}


def _operands(name, b, n, pattern, which):
    """The operands of name (ufunc order) and out, with `which` overlapping out
    (an array operand, or "lambd": the first threshold parameter)."""
    out, overlapped = PATTERNS[pattern](b, n)
    other = np.linspace(-1.5, 2.5, n).astype(b.dtype)
    if which == "lambd":
        # the threshold read from the memory being written: it must be valid
        # there (<= 1, below firm's lambd_high = lambd + 1)
        np.abs(overlapped, out=overlapped)
        overlapped[np.isnan(overlapped)] = 0.25
        np.minimum(overlapped, 1.0, out=overlapped)
        g, x, lam = other, other, overlapped
    else:
        g, x = (overlapped, other) if which == "grad_output" else (other, overlapped)
        lam = np.abs(other) * 0.5
    return args_for(name, x, lam, g), out


def _cases():
    for name in NAMES:
        whiches = ["x"] + (["grad_output"] if FUNCS[name].kind == "backward" else [])
        whiches += ["lambd"] if FUNCS[name].has_lambd else []
        for which in whiches:
            yield name, which


@pytest.mark.parametrize("layer", ["function", "ufunc"])
@pytest.mark.parametrize("name,which", list(_cases()))
@pytest.mark.parametrize("pattern", list(PATTERNS))
@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64, np.longdouble],
                         ids=["float16", "float32", "float64", "longdouble"])
@pytest.mark.parametrize("n", [37, 10_000])
def test_overlap_equals_computing_on_copies(layer, name, which, pattern, dt, n):
    _check(layer, name, which, pattern, dt, n)


@pytest.mark.parametrize("name,which", [(n, w) for n, w in _cases()
                                        if w == "x" or FUNCS[n].kind == "forward"])
@pytest.mark.parametrize("pattern", ["out-ahead-by-one", "out-behind-by-one", "out-reversed"])
def test_overlap_on_the_threaded_path(name, which, pattern):
    """x overlapping out for every function, each operand for the forwards."""
    previous = shrink.set_num_threads(2)
    try:
        _check("ufunc", name, which, pattern, np.float32, THREAD_SIZE)
    finally:
        shrink.set_num_threads(previous)


def _check(layer, name, which, pattern, dt, n):
    b = _buffer(2 * n + 2, dt, seed=n)
    args, out = _operands(name, b, n, pattern, which)
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    f = pyfunc(name) if layer == "function" else ufunc(name)
    with quiet_fp():
        expected = ufunc(name)(*copies)
        before = b.copy()
        r = f(*args, out=out)
    assert r is out
    assert_same_bits(out, expected, f"{name} {pattern} ({which} overlaps out)")
    # nothing outside the output view changed
    mask = np.ones(b.shape, bool)
    mask[_positions(b, out)] = False
    assert_same_bits(b[mask], before[mask], "memory outside out=")


def _positions(base, view):
    """Indices into base (1-D, contiguous) of the elements of view."""
    start = (view.__array_interface__["data"][0] - base.__array_interface__["data"][0])
    return start // base.itemsize + np.arange(view.size) * (view.strides[0] // base.itemsize)


@pytest.mark.parametrize("layer", ["function", "ufunc"])
@pytest.mark.parametrize("name", NAMES)
def test_transposed_in_place(layer, name):
    """out= the transpose of x: every element but the diagonal is read from where
    another is written."""
    a = _buffer(64 * 64, np.float64, seed=3).reshape(64, 64)
    g = np.linspace(-1.0, 2.0, 64 * 64).reshape(64, 64)
    args = args_for(name, a, 0.5, g)
    with quiet_fp():
        expected = ufunc(name)(*[np.array(v, copy=True) for v in args]).T.copy()
        f = pyfunc(name) if layer == "function" else ufunc(name)
        f(*args, out=a.T)
    assert_same_bits(a, expected, name)

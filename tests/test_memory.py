"""Extra memory (SPEC §6): with out= a call allocates no array, also with an
array lambd and with a lambd too large to be finite in every float dtype (which
takes the slow check); without out= it allocates the result array only.

tracemalloc sees NumPy's data buffers as well as Python objects, so the peak of
traced memory during one call is deterministic. A call may allocate what
np.add(x, lambd, out=out) allocates on the same operands (nothing for
contiguous ones; NumPy's iterator takes a buffer of 8192 elements for a
lambd row broadcast over 2-D x) plus under 4 KiB of Python objects (keyword
dicts, NumPy scalars): far below the N-byte boolean mask or N-element copy
that a temporary array of these N = 10^5 elements would take.
"""

import os
import sys
import tracemalloc

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import FUNCS, NAMES, args_for, param_values, pyfunc  # noqa: E402

import shrink._table  # noqa: E402
from shrink._table import EXAMPLES  # noqa: E402

N = 10**5
OBJECTS = 4096  # bytes: Python objects of one call; a temporary array is >= N bytes
DTYPES = [np.float16, np.float32, np.float64]


def extra_bytes(call):
    """Peak traced memory during call() above what was allocated before it."""
    call()  # first call: caches and interned objects are not the call's cost
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
        del result
        return peak - before
    finally:
        if started:
            tracemalloc.stop()


def _lambds(dtype):
    """lambd kinds: Python float, NumPy scalar, array of x's dtype, a row that
    broadcasts, and values above 65504 (the float16 maximum: the slow check)."""
    kinds = {"float": 0.5, "numpy scalar": dtype(0.5),
             "array": np.full(N, 0.5, dtype), "row": np.full((1, 1000), 0.5, dtype)}
    if dtype != np.float16:
        kinds["array above 65504"] = np.linspace(0, 7e4, N).astype(dtype)
        kinds["scalar above 65504"] = dtype(7e4)
    return kinds


def _operands(name, dtype, lambd):
    x = np.linspace(-3, 3, N).astype(dtype)
    g = np.linspace(-1, 1, N).astype(dtype)
    if np.ndim(lambd) == 2:
        x, g = x.reshape(100, 1000), g.reshape(100, 1000)
    return args_for(name, x, lambd, g), x


def _numpy_extra(x, lambd, out=None, name=None):
    """What NumPy's own two-operand ufunc allocates on the same operands; with
    several thresholds, NumPy's iterator may buffer each one beyond the first
    where it buffers the first (a row broadcast over 2-D x): np.add's cost with
    out= once more for every threshold beyond the first. Array thresholds are
    buffered on every NumPy (firm's lambd_low and lambd_high); NumPy 2.0 also
    casts a Python-float threshold through the buffer (shrink's bias beside a
    row lambd). Each such buffer holds 8192 elements whatever N is."""
    other = 0.5 if lambd is None or np.ndim(lambd) == 0 else lambd
    params = len(param_values(name, lambd)) if name and lambd is not None else 0
    scratch = np.empty_like(x)
    again = max(params - 1, 0) * extra_bytes(lambda: np.add(x, other, out=scratch))
    if out is None:
        return extra_bytes(lambda: np.add(x, other)) + again
    return extra_bytes(lambda: np.add(x, other, out=out)) + again


def test_the_reference_sees_a_temporary():
    x = np.ones(N)
    assert extra_bytes(lambda: np.add(x, 0.5, out=np.empty_like(x))) >= x.nbytes
    assert extra_bytes(lambda: np.add(x, 0.5)) >= x.nbytes


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", NAMES)
def test_no_temporary_with_out(name, dtype):
    kinds = _lambds(dtype) if FUNCS[name].has_lambd else {"none": None}
    for kind, lambd in kinds.items():
        args, x = _operands(name, dtype, lambd)
        out = np.empty_like(x)
        numpy = _numpy_extra(x, lambd, out, name)
        extra = extra_bytes(lambda: pyfunc(name)(*args, out=out))
        assert extra < numpy + OBJECTS, \
            f"{name}({kind} lambd, out=): {extra} bytes allocated, np.add {numpy}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", NAMES)
def test_only_the_result_without_out(name, dtype):
    kinds = _lambds(dtype) if FUNCS[name].has_lambd else {"none": None}
    for kind, lambd in kinds.items():
        args, x = _operands(name, dtype, lambd)
        numpy = _numpy_extra(x, lambd, name=name)
        extra = extra_bytes(lambda: pyfunc(name)(*args))
        assert x.nbytes <= extra < numpy + OBJECTS, \
            f"{name}({kind} lambd): {extra} bytes allocated, np.add {numpy}"


# Every entry of the table (SPEC section 7's families too), each threshold
# parameter an array of x's dtype and shape, scaled to its parameter's example
# (firm's lambd_low stays below lambd_high): the layer checks every element
# of every parameter, and firm also their order.
TABLE = {u.name: u for u in shrink._table.UFUNCS}


def _table_args(name, dtype):
    u = TABLE[name]
    x = np.linspace(-3, 3, N).astype(dtype)
    g = np.linspace(-1, 1, N).astype(dtype)
    base = np.linspace(0.25, 0.75, N)
    thresholds = tuple((base * (EXAMPLES[p.name] / 0.5)).astype(dtype) for p in u.params)
    return (g, x) if u.kind == "backward" else (x,), thresholds


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", [n for n, u in TABLE.items() if u.params])
def test_array_thresholds_of_every_function(name, dtype):
    arrays, thresholds = _table_args(name, dtype)
    x = arrays[-1]
    out = np.empty_like(x)
    numpy = _numpy_extra(x, thresholds[0], out)
    extra = extra_bytes(lambda: getattr(shrink, name)(*arrays, *thresholds, out=out))
    assert extra < numpy + OBJECTS, f"{name}(array thresholds, out=): {extra} bytes allocated"
    numpy = _numpy_extra(x, thresholds[0])
    extra = extra_bytes(lambda: getattr(shrink, name)(*arrays, *thresholds))
    assert x.nbytes <= extra < numpy + OBJECTS, f"{name}(array thresholds): {extra} bytes"


# bytes of scratch per operand that the direct path copies through in a
# mixed-layout run (shrink/_direct.pyx: TILE_COLUMN_BYTES x TILE_LEN)
TILE_SCRATCH = 32 * 256


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mixed_layouts_take_a_fixed_scratch(dtype):
    """Transposed operands beside C ones, out= given: the direct path copies each
    operand laid out against the run through one 8 KiB tile of scratch, whatever
    N is (here 10^5 elements: an array copy would take 4-8 times the bound)."""
    shape = (250, 400)
    c = np.linspace(-3, 3, N).astype(dtype).reshape(shape)
    f = np.asfortranarray(c)
    out = np.empty(shape, dtype)
    # x transposed beside a C out=: x copied in
    extra = extra_bytes(lambda: shrink.tanhshrink(f, out=out))
    assert TILE_SCRATCH <= extra < TILE_SCRATCH + OBJECTS, f"tanhshrink: {extra} bytes"
    # grad_output and out= in C, x and both thresholds transposed: the run goes
    # along the transposed ones, grad_output copied in and out copied out
    low, high = f * 0 + 0.5, f * 0 + 1.5
    extra = extra_bytes(lambda: shrink.firm_backward(c, f, low, high, out=out))
    # the threshold checks reduce the transposed thresholds (min, max) before the
    # loop runs; NumPy 2.0's reductions of a non-C-contiguous array take an
    # 8192-element iterator buffer (later NumPy none): the peak is the larger
    numpy = extra_bytes(lambda: (low.min(), high.max()))
    bound = max(2 * TILE_SCRATCH, numpy) + OBJECTS
    assert 2 * TILE_SCRATCH <= extra < bound, f"firm_backward: {extra} bytes"

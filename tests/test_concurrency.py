"""The loops release the GIL, and calls from many Python threads at once give
exactly the single-thread results.

The loops are `noexcept nogil` C functions registered as legacy ufunc loops on
non-object dtypes, so NumPy calls them without the GIL (for more than 500
elements). Proof without timing: with the switch interval raised far beyond the
length of a call, a Python thread that wants the GIL can only run during the call
if the call has let go of it.
"""

import gc
import os
import sys
import threading
import time

import numpy as np
import pytest

import shrink

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mp_oracle import same_bits  # noqa: E402  (bits; x87 padding bytes ignored)
from spec_cases import NAMES, args_for, pyfunc, quiet_fp, ufunc, value_pool  # noqa: E402

N_LONG = 4_000_000


class Counter(threading.Thread):
    """Counts as fast as it can, giving the GIL up between counts (sched_yield
    runs without it) so that the main thread can take it back after a call."""

    def __init__(self):
        super().__init__(daemon=True)
        self.count = 0
        self.stop = False
        self.running = threading.Event()

    def run(self):
        self.running.set()
        while not self.stop:
            self.count += 1
            os.sched_yield()


@pytest.fixture
def counter():
    previous = sys.getswitchinterval()
    c = Counter()
    c.start()
    c.running.wait()
    # No forced hand-over of the GIL during a call: the counter advances only
    # while a call runs without it.
    sys.setswitchinterval(1000.0)
    # A GIL request timed under the old interval may still be pending: let the
    # counter run once more, so that both threads wait under the new one.
    seen = c.count
    while c.count < seen + 3:
        time.sleep(0.001)
    # A finalizer run by the collector can block (closing a file, taking a
    # lock) and so hand the GIL over in the middle of any call.
    gc.collect()
    gc.disable()
    try:
        yield c
    finally:
        gc.enable()
        c.stop = True
        sys.setswitchinterval(previous)
        c.join()


def _long_operands(name, dt):
    x = np.linspace(-4.0, 4.0, N_LONG).astype(dt)
    return args_for(name, x, 0.5, x[::-1])


# The proof needs a GIL: on a free-threaded CPython (3.13t, 3.14t) every thread
# runs at once whether or not a call would release it.
GIL_ENABLED = getattr(sys, "_is_gil_enabled", lambda: True)()
needs_the_gil = pytest.mark.skipif(
    not GIL_ENABLED, reason="free-threaded CPython: no GIL to release, the proof does not apply")


@pytest.mark.skipif(not hasattr(os, "sched_yield"), reason="needs os.sched_yield")
@needs_the_gil
@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
def test_loops_release_the_gil(counter, layer, dt):
    """Every function in turn under one counter (starting one costs ~0.5 s)."""
    held = []
    out = np.empty(N_LONG, dt)
    for name in NAMES:
        args = _long_operands(name, dt)
        f = ufunc(name) if layer == "ufunc" else pyfunc(name)
        # The counter needs a core while the call runs: on a busy machine it may
        # miss a few calls (a hard/soft call lasts a few ms). Held, the GIL stops
        # it in all.
        for _ in range(50):
            before = counter.count
            f(*args, out=out)
            if counter.count > before:
                break
        else:
            held.append(name)
    assert not held, f"no other Python thread ran during the calls of {held}: the GIL was held"


@pytest.mark.skipif(not hasattr(os, "sched_yield"), reason="needs os.sched_yield")
@needs_the_gil
def test_the_proof_can_fail(counter):
    """The same check around a long C call that keeps the GIL (the builtin sum over
    a range, about as long as the calls above) sees no progress at all."""
    before = counter.count
    total = sum(range(20_000_000))
    assert counter.count == before
    assert total == 20_000_000 * 19_999_999 // 2


# --------------------------------------------------------------------------
# Eight threads, shared inputs, separate outputs


THREADS = 8


def _shared_inputs(dt, layout):
    rng = np.random.default_rng(11)
    pool = value_pool(dt)
    n = 70_000  # above the size where shrink's own threads may start
    x = np.where(rng.random(n) < 0.3, rng.choice(pool, n), rng.standard_normal(n) * 3).astype(dt)
    g = (rng.standard_normal(n) * 2).astype(dt)
    lam = np.abs(rng.standard_normal(n)).astype(dt)
    if layout == "far-strided":  # through the stack blocks of the compute-bound loops
        x, g, lam = (_spread(a, 20) for a in (x, g, lam))
    return x, g, lam


def _spread(a, step):
    base = np.zeros(a.size * step, a.dtype)
    base[::step] = a
    return base[::step]


# longdouble (x87 tanh is slow) on one inner thread only: the threaded chunking
# does not depend on the dtype, which the other three dtypes cover
EIGHT_THREAD_CASES = [
    pytest.param(dt, layout, inner, id=f"{'one' if inner == 1 else 'two'}-inner-{layout}-{name}")
    for inner in (1, 2) for layout in ("contiguous", "far-strided")
    for dt, name in ((np.float16, "float16"), (np.float32, "float32"), (np.float64, "float64"),
                     (np.longdouble, "longdouble"))
    if not (dt is np.longdouble and inner > 1)]


@pytest.mark.parametrize("dt,layout,inner_threads", EIGHT_THREAD_CASES)
def test_eight_threads_give_the_single_thread_bits(dt, layout, inner_threads):
    x, g, lam = _shared_inputs(dt, layout)
    calls = []
    for name in NAMES:
        for layer in ("ufunc", "function"):
            f = ufunc(name) if layer == "ufunc" else pyfunc(name)
            lambd = lam if name.startswith("soft") else 0.5
            calls.append((f, args_for(name, x, lambd, g)))
    with quiet_fp():
        expected = [f(*a) for f, a in calls]
    snapshot = [a.tobytes() for a in (x, g, lam)]
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS
    errors = []

    def work(t):
        try:
            outs = [np.empty_like(e) for e in expected]
            barrier.wait()
            with quiet_fp():
                for _ in range(2):
                    for (f, a), out in zip(calls, outs):
                        f(*a, out=out)
            results[t] = outs
        except BaseException as e:  # reported below, in the main thread
            errors.append(e)

    previous = shrink.set_num_threads(inner_threads)
    try:
        threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        shrink.set_num_threads(previous)
    assert not errors, errors
    for t in range(THREADS):
        for (f, _), out, e in zip(calls, results[t], expected):
            assert same_bits(out, e), f"thread {t}: {f.__name__} differs"
    assert [a.tobytes() for a in (x, g, lam)] == snapshot, "a shared input was written"

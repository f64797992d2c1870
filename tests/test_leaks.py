"""Nothing leaks: 200k calls through every function, the
failing ones included, keep the resident set flat and every operand's reference
count where it was.

Reference counts are exact and catch a leaked reference to an operand at once;
the RSS check catches what they cannot see (a leaked result array, a buffer or a
message string per call): a leak of one 100-byte object per call would add
20 MB over 200k calls, against the 6 MB allowed for allocator noise.
"""

import gc
import os
import sys

import numpy as np
import pytest

import shrink
from shrink import ufuncs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import FUNCS, NAMES, args_for  # noqa: E402

CALLS = 200_000
ALLOWED_GROWTH = 6 << 20  # bytes


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _workload():
    """(call, expected exception or None) pairs: successes and failures, both layers."""
    x = np.array([-2.0, -0.5, 0.25, 0.5, 3.0, np.nan])
    x32 = x.astype(np.float32)
    g = np.linspace(-1.0, 2.0, 6)
    lam = np.full(6, 0.5)
    lam_bad = np.array([0.5, 0.5, np.nan, 0.5, 0.5, 0.5])
    out = np.empty(6)
    out_ro = np.empty(6)
    out_ro.flags.writeable = False
    lam_float = 0.75  # a float object of its own, so its count can be watched
    ragged = [1.0, [2.0, 3.0]]
    obj = np.array([1.0, 2.0], dtype=object)
    work = []
    for name in NAMES:
        f, u = getattr(shrink, name), getattr(ufuncs, name)
        lam_ok = FUNCS[name].has_lambd
        work += [
            (lambda f=f, a=args_for(name, x, lam_float, g): f(*a), None),
            (lambda f=f, a=args_for(name, x32, 0.5, g.astype(np.float32)): f(*a), None),
            (lambda f=f, a=args_for(name, x, lam if lam_ok else 0.5, g): f(*a, out=out), None),
            (lambda u=u, a=args_for(name, x, lam_float, g): u(*a), None),
            (lambda f=f, a=args_for(name, 1.5, 0.5, 2.0): f(*a), None),  # scalars
            (lambda f=f, a=args_for(name, obj, 0.5, np.ones(2)): f(*a), TypeError),
            (lambda f=f, a=args_for(name, ragged, 0.5, np.ones(2)): f(*a), ValueError),
            (lambda f=f, a=args_for(name, x, 0.5, g): f(*a, out=out_ro), ValueError),
            (lambda u=u, a=args_for(name, obj, 0.5, np.ones(2)): u(*a), TypeError),
        ]
        if lam_ok:
            work += [
                (lambda f=f, a=args_for(name, x, -lam_float, g): f(*a), ValueError),
                (lambda f=f, a=args_for(name, x, lam_bad, g): f(*a, out=out), ValueError),
                (lambda f=f, a=args_for(name, x, "0.5", g): f(*a), TypeError),
                (lambda f=f, a=args_for(name, x32, 1e39, x32): f(*a), ValueError),
                (lambda f=f, a=args_for(name, x, [0.5, [1.0]], g): f(*a), ValueError),
                (lambda u=u, a=args_for(name, x, lam_bad, g): u(*a), None),
            ]
    watched = {"x": x, "x32": x32, "g": g, "lam": lam, "lam_bad": lam_bad, "out": out,
               "out_ro": out_ro, "lam_float": lam_float, "obj": obj, "ragged": ragged}
    return work, watched


def _run(work, rounds):
    for _ in range(rounds):
        for call, error in work:
            if error is None:
                call()
            else:
                try:
                    call()
                except error:
                    pass
                else:
                    raise AssertionError("expected an error")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_200k_calls_leak_nothing():
    # Under AddressSanitizer or valgrind (tools/memcheck.sh) freed memory is held
    # in quarantine, so the resident set grows without a leak: counts only there.
    rss_matters = os.environ.get("SHRINK_MEMCHECK") != "1"
    work, watched = _workload()
    rounds = CALLS // len(work) + 1
    with np.errstate(all="ignore"):
        _run(work, rounds // 10)  # warm up: caches, interned strings, arenas
        gc.collect()
        counts = {k: sys.getrefcount(v) for k, v in watched.items()}
        ufunc_counts = {n: sys.getrefcount(getattr(ufuncs, n)) for n in NAMES}
        before = rss_bytes()
        _run(work, rounds)
        gc.collect()
        after = rss_bytes()
    assert rounds * len(work) >= CALLS
    assert {k: sys.getrefcount(v) for k, v in watched.items()} == counts
    assert {n: sys.getrefcount(getattr(ufuncs, n)) for n in NAMES} == ufunc_counts
    assert after - before <= ALLOWED_GROWTH or not rss_matters, \
        f"RSS grew by {(after - before) / 2**20:.1f} MiB over {rounds * len(work)} calls"


def test_refcounts_on_every_error_path():
    """Each failing call once more, counts checked after each: says which path leaks."""
    work, watched = _workload()
    for call, error in work:
        if error is None:
            continue
        counts = {k: sys.getrefcount(v) for k, v in watched.items()}
        for _ in range(100):
            try:
                call()
            except error:
                pass
        assert {k: sys.getrefcount(v) for k, v in watched.items()} == counts, call

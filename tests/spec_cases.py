"""Shared tables and independent oracles for the behaviour tests (SPEC §1-§4).

Nothing here calls shrink's loops to produce an expected value: the oracles are
NumPy comparisons/selects (exact), IEEE subtraction in the result dtype
(correctly rounded, independently re-checked with ``fractions`` in
test_exactness.py), and the special-value table of SPEC §4.
"""

import contextlib
import os
import warnings
from typing import NamedTuple

import numpy as np

import shrink


class Func(NamedTuple):
    name: str
    family: str  # 'hard', 'soft', 'tanh'
    kind: str  # 'forward', 'grad', 'backward'

    @property
    def has_lambd(self):
        return self.family != "tanh"

    @property
    def nin(self):
        return (self.kind == "backward") + 1 + self.has_lambd

    @property
    def complex_ok(self):
        return self.kind == "forward"

    @property
    def cls(self):
        return {"hard": "Hardshrink", "soft": "Softshrink", "tanh": "Tanhshrink"}[self.family]

    @property
    def method(self):
        return {"forward": "forward", "grad": "grad", "backward": "backward"}[self.kind]


FUNCS = {}
for _fam in ("hard", "soft", "tanh"):
    for _kind, _suffix in (("forward", ""), ("grad", "_grad"), ("backward", "_backward")):
        _n = f"{_fam}shrink{_suffix}"
        FUNCS[_n] = Func(_n, _fam, _kind)

NAMES = [
    "hardshrink", "softshrink", "tanhshrink",
    "hardshrink_grad", "softshrink_grad", "tanhshrink_grad",
    "hardshrink_backward", "softshrink_backward", "tanhshrink_backward",
]
assert sorted(NAMES) == sorted(FUNCS)
LAMBD_NAMES = [n for n in NAMES if FUNCS[n].has_lambd]
NOLAMBD_NAMES = [n for n in NAMES if not FUNCS[n].has_lambd]
HARDSOFT_NAMES = LAMBD_NAMES
TANH_NAMES = NOLAMBD_NAMES
FORWARD_NAMES = [n for n in NAMES if FUNCS[n].kind == "forward"]
NONFORWARD_NAMES = [n for n in NAMES if FUNCS[n].kind != "forward"]
BACKWARD_NAMES = [n for n in NAMES if FUNCS[n].kind == "backward"]
GRAD_NAMES = [n for n in NAMES if FUNCS[n].kind == "grad"]
ONE_INPUT_NAMES = [n for n in NAMES if FUNCS[n].nin == 1]  # tanhshrink, tanhshrink_grad

REAL_DTYPES = [np.float16, np.float32, np.float64, np.longdouble]
COMPLEX_DTYPES = [np.complex64, np.complex128, np.clongdouble]
REAL_IDS = ["float16", "float32", "float64", "longdouble"]


def dtype_id(dt):
    return np.dtype(dt).name if np.dtype(dt) != np.dtype(np.longdouble) else "longdouble"


def ufunc(name):
    return getattr(shrink.ufuncs, name)


def pyfunc(name):
    return getattr(shrink, name)


def layer_method(name, lambd=0.5):
    """The layer-object method computing `name`, called with (x) or (g, x)."""
    f = FUNCS[name]
    cls = getattr(shrink, f.cls)
    obj = cls(lambd) if f.has_lambd else cls()
    return getattr(obj, f.method)


def args_for(name, x, lambd=0.5, g=None):
    """Positional operands in ufunc order: (g,) x (, lambd)."""
    f = FUNCS[name]
    a = []
    if f.kind == "backward":
        a.append(1.0 if g is None else g)
    a.append(x)
    if f.has_lambd:
        a.append(lambd)
    return a


def call(layer, name, x, lambd=0.5, g=None, **kw):
    """Call `name` through 'ufunc', 'function' or 'class'."""
    if layer == "ufunc":
        return ufunc(name)(*args_for(name, x, lambd, g), **kw)
    if layer == "function":
        return pyfunc(name)(*args_for(name, x, lambd, g), **kw)
    if layer == "class":
        assert not kw
        m = layer_method(name, lambd)
        return m(*args_for(name, x, g=g)[: FUNCS[name].nin - FUNCS[name].has_lambd])
    raise AssertionError(layer)


@contextlib.contextmanager
def strict_fp():
    """Every FP flag raises and every warning is an error."""
    with np.errstate(invalid="raise", divide="raise", over="raise"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield


@contextlib.contextmanager
def quiet_fp():
    with np.errstate(all="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield


# ----------------------------------------------------------------------------
# Oracles (hard/soft family: exact)


def ref_hardsoft(name, x, lambd=0.5, g=None, dtype=None):
    """Independent oracle for the six hard/soft functions (raw-ufunc semantics).

    All operands are cast to `dtype` (the loop dtype) first, as the ufunc does.
    Band test and selects are exact NumPy comparisons; softshrink's x - λ / x + λ
    is one IEEE operation in `dtype` (float16: NumPy rounds the exact float32
    difference, an innocuous double rounding since 24 >= 2*11 + 2).
    """
    f = FUNCS[name]
    assert f.has_lambd
    if dtype is None:
        dtype = np.result_type(*args_for(name, x, lambd, g))
    dt = np.dtype(dtype)
    with quiet_fp():
        xs = np.asarray(x).astype(dt)
        ls = np.asarray(lambd).astype(dt)
        gs = np.asarray(1.0 if (g is None or f.kind != "backward") else g).astype(dt)
        xs, ls, gs = np.broadcast_arrays(xs, ls, gs)
        bad = np.isnan(xs) | np.isnan(ls) | (ls < 0) | np.isposinf(ls)  # domain: [0, inf)
        band = (xs >= -ls) & (xs <= ls)
        zero = np.zeros(xs.shape, dt)  # +0.0
        if f.kind == "forward":
            if f.family == "hard":
                out = np.where(band, zero, xs)
            else:
                out = np.where(xs > ls, xs - ls, np.where(xs < -ls, xs + ls, zero))
        elif f.kind == "grad":
            out = np.where(band, zero, np.ones(xs.shape, dt))
        else:
            out = np.where(band, zero, gs + zero)  # SPEC §4: every zero is +0.0, even g = -0.0
        out = np.where(bad, np.array(np.nan, dt), out).astype(dt)
    return out[()] if out.ndim == 0 else out


def same_bits(a, b):
    """Elementwise: equal bits up to NaN payload (works for longdouble padding)."""
    a = np.asarray(a)
    b = np.asarray(b)
    with quiet_fp():
        return ((a == b) & (np.signbit(a) == np.signbit(b))) | (np.isnan(a) & np.isnan(b))


def assert_same_bits(actual, expected, msg="", check_dtype=True):
    actual_a = np.asarray(actual)
    expected_a = np.asarray(expected)
    if check_dtype:
        assert actual_a.dtype == expected_a.dtype, f"{msg}: dtype {actual_a.dtype} != {expected_a.dtype}"
    assert actual_a.shape == expected_a.shape, f"{msg}: shape {actual_a.shape} != {expected_a.shape}"
    ok = same_bits(actual_a, expected_a)
    if not np.all(ok):
        idx = np.argwhere(~ok)[:8]
        lines = [
            f"  at {tuple(int(i) for i in ix)}: got {actual_a[tuple(ix)]!r}, expected {expected_a[tuple(ix)]!r}"
            for ix in idx
        ]
        raise AssertionError(
            f"{msg}: {int((~ok).sum())} of {ok.size} elements differ (bits, signed zero, NaN)\n"
            + "\n".join(lines)
        )


def value_pool(dtype, lambd=0.5):
    """Interesting real values for `dtype`: NaN, infs, signed zeros, band edges,
    extremes, subnormals and ordinary values (no duplicates of meaning)."""
    dt = np.dtype(dtype)
    fi = np.finfo(dt)
    lam = dt.type(lambd)
    inf = dt.type(np.inf)
    with quiet_fp():  # nextafter(max, inf) overflows to inf: fine
        return _value_pool(dt, fi, lam, inf)


def _value_pool(dt, fi, lam, inf):
    vals = [
        np.nan, np.inf, -np.inf, 0.0, -0.0,
        lam, -lam, np.nextafter(lam, inf), -np.nextafter(lam, inf),
        np.nextafter(lam, -inf), -np.nextafter(lam, -inf),
        fi.max, -fi.max, fi.smallest_subnormal, -fi.smallest_subnormal,
        fi.smallest_normal, -fi.smallest_normal,
        1.0, -1.0, 2.0, -2.0, 0.3, -0.3, 0.75, -0.75, 3.5, -3.5, 10.0, -10.0,
        1e-3, -1e-3, 20.0, -20.0, 100.0, -100.0, 0.125, -0.6, 5.0,
    ]
    return np.array([dt.type(v) for v in vals], dtype=dt)


def g_pool(dtype):
    dt = np.dtype(dtype)
    fi = np.finfo(dt)
    vals = [1.0, -1.0, 0.5, -2.5, 0.0, 3.0, np.inf, -np.inf, np.nan, fi.max, -7.25]
    return np.array([dt.type(v) for v in vals], dtype=dt)


def subprocess_env(*paths, **variables):
    """os.environ for a Python subprocess that imports the shrink these tests
    imported (the checkout's build, or the installed wheel when the tests run
    from outside the checkout), with paths before it on PYTHONPATH."""
    home = os.path.dirname(os.path.dirname(os.path.abspath(shrink.__file__)))
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join([*map(str, paths), home, *inherited]),
                **variables)

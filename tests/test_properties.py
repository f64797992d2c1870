"""Property tests: every function, through both layers, against an
independent reference over generated dtypes, shapes, broadcasting, memory layouts
and values (NaN, inf, ±0, subnormals, ±lambd and their neighbours).

References: the families with thresholds, ``spec_cases.assert_matches_reference``
(exact NumPy selects, or the SPEC §7 formulas in Fractions) and, for float64
softshrink, exact rational arithmetic (``fractions``); the
tanhshrink family, mpmath within the ULP bounds of SPEC §5; complex hardshrink,
``np.abs`` and a select.

Runs are reproducible: ``derandomize=True`` draws the same examples every run
(no example database, no seed to pin). ``SHRINK_HYPOTHESIS_EXAMPLES=2000 python -m
pytest tests/test_properties.py`` runs more examples per property (default 25).
"""

import os
import sys
from fractions import Fraction

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402

hypothesis = require("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

import mp_oracle as O  # noqa: E402
from spec_cases import (  # noqa: E402
    FUNCS, LAMBD_NAMES, NOLAMBD_NAMES, args_for, assert_matches_reference, assert_same_bits,
    pyfunc, quiet_fp, ufunc,
)

EXAMPLES = int(os.environ.get("SHRINK_HYPOTHESIS_EXAMPLES", "25"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # CI sees the same examples on every run
    database=None,
    deadline=None,  # a shared 2-core machine: no per-example time limit
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

REAL = [np.float16, np.float32, np.float64, np.longdouble]
LAYERS = ["function", "ufunc"]


# --------------------------------------------------------------------------
# strategies


def special_values(dt, lam):
    """The values where shrinkage functions go wrong, for dtype dt and threshold lam."""
    fi = np.finfo(dt)
    inf = dt(np.inf)
    with quiet_fp():
        lam = dt(lam)
        vals = [np.nan, np.inf, -np.inf, 0.0, -0.0, fi.smallest_subnormal,
                -fi.smallest_subnormal, fi.smallest_normal, -fi.max, fi.max,
                lam, -lam, np.nextafter(lam, inf), np.nextafter(lam, -inf),
                -np.nextafter(lam, inf), -np.nextafter(lam, -inf)]
        return [dt(v) for v in vals]


def values(dt, lam):
    finite = st.floats(allow_nan=False, allow_infinity=False,
                       width=16 if dt is np.float16 else 32 if dt is np.float32 else 64)
    if dt in (np.float16, np.float32):
        finite = finite.filter(lambda v: np.isfinite(dt(v)))
    # around the band edges too, where the selection flips
    top = float(np.finfo(dt).max)
    near = st.floats(-4.0, 4.0).map(lambda v: float(np.clip(v * max(float(lam), 1e-3), -top, top)))
    return st.one_of(st.sampled_from(special_values(dt, lam)), finite, near).map(dt)


def thresholds(dt):
    fi = np.finfo(dt)
    top = 65504.0 if dt is np.float16 else min(float(fi.max), 1e300)
    return st.one_of(
        st.sampled_from([0.0, -0.0, 0.5, 1.0, float(fi.smallest_subnormal),
                         float(fi.smallest_normal), 1e-3, 3.0, top]),
        st.floats(0.0, min(top, 1e4)),
    )


LAYOUTS = ["contiguous", "reversed", "step-2", "transposed", "fortran", "unaligned",
           "byteswapped"]


def laid_out(a, layout):
    """The same values as a, in another memory layout."""
    if layout == "contiguous" or a.ndim == 0:
        return np.ascontiguousarray(a)
    if layout == "reversed":
        return np.ascontiguousarray(a[(slice(None, None, -1),) * a.ndim])[
            (slice(None, None, -1),) * a.ndim]
    if layout == "step-2":
        big = np.empty(tuple(2 * n for n in a.shape), a.dtype)
        view = big[(slice(None, None, 2),) * a.ndim]
        view[...] = a
        return view
    if layout == "transposed":
        return np.ascontiguousarray(a.T).T
    if layout == "fortran":
        return np.asfortranarray(a)
    if layout == "unaligned":
        raw = np.empty(a.nbytes + 1, np.uint8)
        view = raw[1:].view(a.dtype).reshape(a.shape)
        view[...] = a
        return view
    if layout == "byteswapped":
        return a.astype(a.dtype.newbyteorder())
    raise AssertionError(layout)


@st.composite
def threshold_case(draw, name, layer):
    dt = draw(st.sampled_from(REAL))
    lam = draw(thresholds(dt))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3,
                                                    max_side=5))
    xs, gs, ls = shapes.input_shapes
    x = draw(hnp.arrays(dt, xs, elements=values(dt, lam)))
    g = draw(hnp.arrays(dt, gs, elements=values(dt, lam)))
    kind = draw(st.sampled_from(["python-float", "numpy-scalar", "array"]))
    if kind == "array":
        el = thresholds(dt).map(dt)
        if layer == "ufunc":  # no check: out of the domain gives NaN
            el = st.one_of(el, st.sampled_from([-1.0, np.nan, -np.inf, np.inf]).map(dt))
        lambd = draw(hnp.arrays(dt, ls, elements=el))
        lambd = laid_out(lambd, draw(st.sampled_from(LAYOUTS)))
    elif kind == "numpy-scalar":
        lambd = dt(lam)
    else:
        lambd = float(dt(lam)) if dt is not np.longdouble else lam
    x = laid_out(x, draw(st.sampled_from(LAYOUTS)))
    g = laid_out(g, draw(st.sampled_from(LAYOUTS)))
    with_out = draw(st.booleans())
    return dt, x, g, lambd, with_out


# --------------------------------------------------------------------------
# the families with thresholds


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", LAMBD_NAMES)
@PROPERTY
@given(data=st.data())
def test_matches_reference(name, layer, data):
    dt, x, g, lambd, with_out = data.draw(threshold_case(name, layer))
    args = args_for(name, x, lambd, g)
    f = pyfunc(name) if layer == "function" else ufunc(name)
    with quiet_fp():
        if with_out:
            out = np.full(np.broadcast_shapes(*(np.shape(a) for a in args)), 7, dt)
            got = f(*args, out=out)
            assert got is out
        else:
            got = f(*args)
    assert_matches_reference(got, name, x, lambd, g, dt, msg=f"{name} {np.dtype(dt).name}")
    if name == "softshrink" and dt is np.float64:
        _check_softshrink_exactly(x, lambd, got)


def _check_softshrink_exactly(x, lambd, got):
    """x - lambd and x + lambd correctly rounded: Fraction arithmetic is exact and
    float(Fraction) rounds correctly to float64."""
    xs, ls, ys = np.broadcast_arrays(x, np.asarray(lambd, np.float64), got)
    for xv, lv, yv in zip(xs.ravel(), ls.ravel(), ys.ravel()):
        if not (np.isfinite(xv) and np.isfinite(lv)) or lv < 0 or abs(xv) <= lv:
            continue
        exact = Fraction(float(xv)) - Fraction(float(lv)) * (1 if xv > 0 else -1)
        try:
            wanted = float(exact)
        except OverflowError:
            wanted = float("inf") if exact > 0 else float("-inf")
        assert float(yv) == wanted and (wanted != 0 or not np.signbit(yv)), (xv, lv, yv)


@pytest.mark.parametrize("name", LAMBD_NAMES)
@PROPERTY
@given(data=st.data())
def test_integer_x_promotes_like_a_binary_ufunc(name, data):
    """int x: the result dtype is NumPy's for a two-operand ufunc (np.arctan2), values
    as the reference computes them in that dtype."""
    idt = data.draw(st.sampled_from([np.int8, np.uint8, np.int16, np.int32, np.int64, np.bool_]))
    x = data.draw(hnp.arrays(idt, hnp.array_shapes(min_dims=0, max_dims=2, max_side=6)))
    lambd = data.draw(st.sampled_from([0.5, 1, 2.0, np.float32(1.5), np.float16(0.5)]))
    g = x  # of x's dtype: promotion is then x's with lambd alone
    expected_dt = np.arctan2(x, lambd).dtype
    got = pyfunc(name)(*args_for(name, x, lambd, g))
    assert np.asarray(got).dtype == expected_dt
    assert_matches_reference(got, name, x, lambd, g, expected_dt, msg=name)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", ["hardshrink", "softshrink"])
@PROPERTY
@given(data=st.data())
def test_complex_forward(name, layer, data):
    dt = data.draw(st.sampled_from([np.complex64, np.complex128]))
    real = np.finfo(dt).dtype.type
    lam = data.draw(st.floats(0.0, 4.0))
    parts = data.draw(hnp.arrays(real, (2,) + data.draw(hnp.array_shapes(max_dims=2, max_side=5)),
                                 elements=values(real, lam)))
    z = np.empty(parts.shape[1:], dt)
    z.real, z.imag = parts  # not parts[0] + 1j * parts[1]: inf * 1j would bring NaN in
    z = laid_out(z, data.draw(st.sampled_from(LAYOUTS)))
    f = pyfunc(name) if layer == "function" else ufunc(name)
    with quiet_fp():
        got = f(z, lam)
        a = np.abs(z)  # SPEC §4: |z| as np.abs computes it
        outside = a > real(lam)
    assert got.dtype == dt
    assert np.all(got[~outside & ~np.isnan(a)] == 0)
    if name == "hardshrink":
        kept = z[outside].astype(dt)  # native byte order, to compare bits
        assert_same_bits(got[outside].view(real), kept.view(real), "hardshrink keeps z")
        return
    for zv, gv in zip(z[outside], got[outside]):
        if not np.isfinite(zv):
            continue
        ref = O.softshrink_complex_mp(O.to_mpc(zv), lam)
        err = abs(O.to_mpc(gv) - ref)
        assert err <= 4 * np.finfo(real).eps * abs(O.to_mpc(zv)), (zv, gv)


# --------------------------------------------------------------------------
# tanhshrink family, against mpmath


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("name", NOLAMBD_NAMES)
@PROPERTY
@given(data=st.data())
def test_tanh_family_within_its_ulp_bound(name, layer, data):
    dt = data.draw(st.sampled_from(REAL))
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=4))
    xs, gs = shapes.input_shapes
    tiny = st.floats(-1e-3, 1e-3).map(dt)  # where x - tanh(x) cancels
    el = st.one_of(values(dt, 1.0), tiny)
    x = laid_out(data.draw(hnp.arrays(dt, xs, elements=el)), data.draw(st.sampled_from(LAYOUTS)))
    g = laid_out(data.draw(hnp.arrays(dt, gs, elements=values(dt, 1.0))),
                 data.draw(st.sampled_from(LAYOUTS)))
    f = pyfunc(name) if layer == "function" else ufunc(name)
    with quiet_fp():
        got = f(*args_for(name, x, g=g))
    assert got.dtype == dt
    bound = O.tanh_bound(dt)
    if name == "tanhshrink_backward":
        gb, xb = np.broadcast_arrays(g, x)
        T = O.tanhshrink_grad_refs(xb)
        gm = O.mpf_list(gb)
        exact = [a * t for a, t in zip(gm, T)]
        finite = np.isfinite(gb).ravel() & np.isfinite(xb).ravel()
        err = O.ulp_errors(got, exact, dt)
        allowed = O.backward_allowed(gm, T, exact, dt)
        assert np.all((err <= allowed)[finite]), (xb.ravel()[finite], gb.ravel()[finite], got)
        assert np.all(np.isnan(got.ravel()[np.isnan(xb).ravel()]))
        return
    refs = (O.tanhshrink_refs if name == "tanhshrink" else O.tanhshrink_grad_refs)(x)
    err = O.ulp_errors(got, refs, dt)
    assert err.max(initial=0) <= bound, (x, got)
    # a zero only where the exact value is below the smallest subnormal
    ss = O.fmt(dt).smallest_subnormal
    for i in np.flatnonzero(np.asarray(got).ravel() == 0):
        assert abs(refs[i]) < ss, (np.asarray(x).ravel()[i], refs[i])
    if name == "tanhshrink":  # odd function: the sign of zero is kept
        zero = np.asarray(x) == 0
        assert np.array_equal(np.signbit(got[zero]), np.signbit(np.asarray(x)[zero]))

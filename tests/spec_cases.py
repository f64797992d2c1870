"""Shared tables and independent oracles for the behaviour tests (SPEC §1-§4, §7).

The function list comes from shrink._table (every entry, its family, kind and
threshold parameters); a new family joins every matrix built from FUNCS / NAMES.
Nothing here calls shrink's loops to produce an expected value: the oracles are
NumPy comparisons/selects (exact), IEEE subtraction in the result dtype
(correctly rounded, independently re-checked with ``fractions`` in
test_exactness.py), exact Fraction values of the SPEC §7 formulas
(FRACTION_REFS: a family that is not one rounded operation adds its pair
there), and the special-value table of SPEC §4.
"""

import contextlib
from fractions import Fraction
import os
import warnings
from typing import NamedTuple

import numpy as np

import shrink
from shrink._table import FAMILIES, FAMILY, KINDS, UFUNCS
from shrink._table import NAMES as TABLE_NAMES


class Func(NamedTuple):
    """One entry of shrink._table.UFUNCS, seen from the tests."""
    name: str
    family: str  # the forward function's name: 'hardshrink', ..., 'garrote', 'firm', 'shrink'
    kind: str  # 'forward', 'grad', 'backward'
    params: tuple  # shrink._table.Param of each threshold parameter, in call order

    @property
    def has_lambd(self):
        """Takes threshold parameters (every family but tanhshrink's)."""
        return bool(self.params)

    @property
    def param_names(self):
        return tuple(p.name for p in self.params)

    @property
    def nin(self):
        return (self.kind == "backward") + 1 + len(self.params)

    @property
    def complex_ok(self):
        return self.kind == "forward"

    @property
    def exact(self):
        """SPEC §5/§7: every result is the correctly rounded exact value (0 ULP)."""
        return self.family in EXACT_FAMILIES

    @property
    def cls(self):
        return FAMILY[self.family].layer

    @property
    def method(self):
        return self.kind


FUNCS = {u.name: Func(u.name, u.family, u.kind, u.params) for u in UFUNCS}
NAMES = list(TABLE_NAMES)
LAMBD_NAMES = [n for n in NAMES if FUNCS[n].has_lambd]
NOLAMBD_NAMES = [n for n in NAMES if not FUNCS[n].has_lambd]
FORWARD_NAMES = [n for n in NAMES if FUNCS[n].kind == "forward"]
NONFORWARD_NAMES = [n for n in NAMES if FUNCS[n].kind != "forward"]
BACKWARD_NAMES = [n for n in NAMES if FUNCS[n].kind == "backward"]
GRAD_NAMES = [n for n in NAMES if FUNCS[n].kind == "grad"]
ONE_INPUT_NAMES = [n for n in NAMES if FUNCS[n].nin == 1]  # tanhshrink, tanhshrink_grad
# (name, threshold parameter) for every parameter of every function
NAME_PARAMS = [(n, p.name) for n in NAMES for p in FUNCS[n].params]
LAYER_CLASSES = {f.layer: f.name for f in FAMILIES}

REAL_DTYPES = [np.float16, np.float32, np.float64, np.longdouble]
COMPLEX_DTYPES = [np.complex64, np.complex128, np.clongdouble]
REAL_IDS = ["float16", "float32", "float64", "longdouble"]


def dtype_id(dt):
    return np.dtype(dt).name if np.dtype(dt) != np.dtype(np.longdouble) else "longdouble"


def ufunc(name):
    return getattr(shrink.ufuncs, name)


def pyfunc(name):
    return getattr(shrink, name)


def param_values(name, lambd=0.5):
    """The threshold operands of `name` for a band edge `lambd`.

    The first parameter is the band edge itself (lambd, lambd_low). For a float
    `lambd` (Python or NumPy float, float array) a later threshold keeps its
    table example's distance above it (lambd_high = lambd + 1.0, of lambd's
    type, so out-of-domain values stay out of the domain) and a signed
    parameter is its table example (bias = 0.25, a weak Python float). Any
    other `lambd` (ints, lists, bools, bad values) is every parameter's value,
    so that the operands promote exactly as `lambd` alone would."""
    is_float = isinstance(lambd, (float, np.floating)) or (
        isinstance(lambd, np.ndarray) and lambd.dtype.kind == "f")
    values = []
    first = None
    for p in FUNCS[name].params:
        if not is_float:
            values.append(lambd)
        elif p.signed:
            values.append(p.example)
        elif first is None:
            first = p
            values.append(lambd)
        else:
            values.append(lambd + (p.example - first.example))
    return tuple(values)


def is_signed(name, param):
    """A parameter that takes any finite real (bias), not only >= 0."""
    return FUNCS[name].params[FUNCS[name].param_names.index(param)].signed


def requirement(name, param):
    """What SPEC §2 / §7 messages say `param` must be."""
    return "finite" if is_signed(name, param) else "finite and >= 0"


def bad_only_if_unsigned(value):
    """Finite, and < 0 somewhere: bad for a threshold, no bad value for a
    signed parameter (bias)."""
    try:
        v = np.asarray(value, np.float64)
    except OverflowError:
        return False  # an int beyond every float: not finite
    except (TypeError, ValueError):
        return False  # no real number at all
    return bool(np.any(np.isfinite(v) & (v < 0)) and not np.any(~np.isfinite(v)))


def bad_cases(name_params, cases):
    """(name, param) x cases, without the cases only a threshold refuses (a
    negative finite value) for a signed parameter (bias)."""
    return [(n, q, c) for n, q in name_params for c in cases
            if not (is_signed(n, q) and bad_only_if_unsigned(c))]


def with_param(name, param, value, lambd=0.5):
    """param_values(name, lambd) with `param` replaced by `value`."""
    names = FUNCS[name].param_names
    vals = list(param_values(name, lambd))
    vals[names.index(param)] = value
    return tuple(vals)


def layers(lambd=0.5):
    """One layer object of every family, its thresholds param_values(lambd)."""
    return [getattr(shrink, f.layer)(*param_values(f.name, lambd)) for f in FAMILIES]


def layer_method(name, lambd=0.5):
    """The layer-object method computing `name`, called with (x) or (g, x)."""
    f = FUNCS[name]
    cls = getattr(shrink, f.cls)
    return getattr(cls(*param_values(name, lambd)), f.method)


def args_for(name, x, lambd=0.5, g=None, params=None):
    """Positional operands in ufunc order: (g,) x, then the threshold parameters
    (`params`, or param_values(name, lambd))."""
    f = FUNCS[name]
    a = []
    if f.kind == "backward":
        a.append(1.0 if g is None else g)
    a.append(x)
    a.extend(param_values(name, lambd) if params is None else params)
    return a


def arrays_of(name, args):
    """(x, g) back from args_for's operands (g None for one-array functions)."""
    if FUNCS[name].kind == "backward":
        return args[1], args[0]
    return args[0], None


def call(layer, name, x, lambd=0.5, g=None, **kw):
    """Call `name` through 'ufunc', 'function' or 'class'."""
    if layer == "ufunc":
        return ufunc(name)(*args_for(name, x, lambd, g), **kw)
    if layer == "function":
        return pyfunc(name)(*args_for(name, x, lambd, g), **kw)
    if layer == "class":
        assert not kw
        m = layer_method(name, lambd)
        return m(*args_for(name, x, g=g)[: FUNCS[name].nin - len(FUNCS[name].params)])
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
# Oracles for every family with threshold parameters (raw-ufunc semantics:
# out of the parameters' domain the result is NaN, SPEC §2, §7)

# SPEC §7: garrote, firm and their gradients within these ULPs of the exact value.
ULP_BOUND = {np.dtype(np.float16): 1, np.dtype(np.float32): 1, np.dtype(np.float64): 2,
             np.dtype(np.longdouble): 8}


def exact(v):
    """The exact rational value of a finite NumPy or Python float."""
    return Fraction(*v.as_integer_ratio())


def ulp(q, dt):
    """The spacing of dtype dt at the exact value q (subnormal range included)."""
    fi = np.finfo(dt)
    p = fi.nmant + 1
    if q == 0:
        return Fraction(2) ** (fi.minexp - p + 1)
    q = abs(q)
    e = q.numerator.bit_length() - q.denominator.bit_length()
    if Fraction(2) ** e > q:
        e -= 1
    return Fraction(2) ** (max(e, fi.minexp) - p + 1)


def ulp_error(got, want, dt):
    if want is None:
        return 0.0
    return float(abs(exact(got) - want) / ulp(want, dt))


# Exact definitions of the SPEC §7 table on Fractions, for the families that are
# not one correctly rounded operation: (forward, gradient), finite x, thresholds
# in the domain.


def garrote_exact(x, lam):
    return Fraction(0) if abs(x) <= lam else x - lam * lam / x


def garrote_grad_exact(x, lam):
    return Fraction(0) if abs(x) <= lam else 1 + lam * lam / (x * x)


def firm_exact(x, lo, hi):
    a = abs(x)
    if a <= lo:
        return Fraction(0)
    if a <= hi:
        return (1 if x > 0 else -1) * hi * (a - lo) / (hi - lo)
    return x


def firm_grad_exact(x, lo, hi):
    a = abs(x)
    return Fraction(0) if a <= lo else (hi / (hi - lo) if a <= hi else Fraction(1))


FRACTION_REFS = {"garrote": (garrote_exact, garrote_grad_exact),
                 "firm": (firm_exact, firm_grad_exact)}


# The families whose every result is one correctly rounded operation (SPEC §5,
# §7): their forward as band selects and one IEEE operation in the loop dtype
# (float16: NumPy rounds the exact float32 difference, an innocuous double
# rounding since 24 >= 2*11 + 2), on x and the parameters cast to it; outside
# the band their gradient is 1 and their backward g.
def _shrink_forward(xs, lam, bias, zero):
    return np.where(xs > lam, xs - bias, np.where(xs < -lam, xs + bias, zero))


EXACT_REFS = {
    "hardshrink": lambda xs, ps, zero: np.where((xs >= -ps[0]) & (xs <= ps[0]), zero, xs),
    "softshrink": lambda xs, ps, zero: _shrink_forward(xs, ps[0], ps[0], zero),
    "shrink": lambda xs, ps, zero: _shrink_forward(xs, ps[0], ps[1], zero),
}
EXACT_FAMILIES = tuple(EXACT_REFS)
# A family of the table without a reference here fails at collection, not silently.
assert {f.name for f in FAMILIES if f.params} == set(EXACT_REFS) | set(FRACTION_REFS)
EXACT_NAMES = [n for n in NAMES if FUNCS[n].exact]


def _operands(name, x, lambd, g, dtype, params):
    """Every operand cast to the loop dtype (as the ufunc does) and broadcast."""
    f = FUNCS[name]
    ops = args_for(name, x, lambd, g, params)
    if dtype is None:
        dtype = np.result_type(*ops)
    dt = np.dtype(dtype)
    ps = param_values(name, lambd) if params is None else tuple(params)
    with quiet_fp():
        arrays = [np.asarray(x).astype(dt), np.asarray(1.0 if (g is None or f.kind != "backward") else g).astype(dt)]
        arrays += [np.asarray(p).astype(dt) for p in ps]
        arrays = np.broadcast_arrays(*arrays)
    return dt, arrays[0], arrays[1], arrays[2:]


def _out_of_domain(name, ps):
    """Where the raw ufunc's parameters are outside what the Python layer
    accepts (NaN there): NaN or inf anywhere, a negative threshold, a
    decreasing ordered pair (firm: lambd_low > lambd_high)."""
    f = FUNCS[name]
    bad = np.zeros(ps[0].shape, bool)
    for p, v in zip(f.params, ps):
        bad |= ~np.isfinite(v)
        if not p.signed:
            bad |= v < 0
    ordered = FAMILY[f.family].ordered
    for lo, hi in zip(ordered, ordered[1:]):
        bad |= ps[f.param_names.index(lo)] > ps[f.param_names.index(hi)]
    return bad


def ref_exact(name, x, lambd=0.5, g=None, dtype=None, params=None):
    """The exact result of `name` (an EXACT_FAMILIES function), bit for bit.

    The band test and selects are exact NumPy comparisons; softshrink's and
    shrink's x -/+ λ (bias) is one IEEE operation in the loop dtype. `params`
    gives the threshold operands, else param_values(name, lambd)."""
    f = FUNCS[name]
    assert f.exact, f"{name}: not exact; use assert_matches_reference"
    dt, xs, gs, ps = _operands(name, x, lambd, g, dtype, params)
    with quiet_fp():
        lam = ps[0]
        bad = np.isnan(xs) | _out_of_domain(name, ps)
        band = (xs >= -lam) & (xs <= lam)
        zero = np.zeros(xs.shape, dt)  # +0.0
        if f.kind == "forward":
            out = EXACT_REFS[f.family](xs, ps, zero)
        elif f.kind == "grad":
            out = np.where(band, zero, np.ones(xs.shape, dt))
        else:
            out = np.where(band, zero, gs + zero)  # SPEC §4: every zero is +0.0, even g = -0.0
        out = np.where(bad, np.array(np.nan, dt), out).astype(dt)
    return out[()] if out.ndim == 0 else out


def _fraction_expected(name, dt, x, g, ps):
    """One element of a FRACTION_REFS function: (bits it must have, or None;
    exact value; allowed error) after SPEC §4's special values. Remembered by
    the operands' bytes: the pools recur across the test files, and Fraction
    arithmetic on longdouble extremes is slow."""
    key = (name, dt.char, x.tobytes(), g.tobytes(), tuple(p.tobytes() for p in ps))
    if key not in _FRACTION_CACHE:
        _FRACTION_CACHE[key] = _fraction_expected_now(name, dt, x, g, ps)
    return _FRACTION_CACHE[key]


_FRACTION_CACHE = {}


def _fraction_expected_now(name, dt, x, g, ps):
    f = FUNCS[name]
    forward, grad = FRACTION_REFS[f.family]
    nan, zero = dt.type(np.nan), dt.type(0)
    if np.isnan(x):
        return nan, None, None
    if np.isinf(x):  # forward ±inf, gradient 1, backward g (SPEC §4)
        return {"forward": x, "grad": dt.type(1), "backward": g + zero}[f.kind], None, None
    qx, qp = exact(x), [exact(p) for p in ps]
    G = grad(qx, *qp)
    if f.kind != "forward" and G == 0:
        return zero, None, None  # every zero a grad or backward makes is +0.0
    if f.kind == "backward" and not np.isfinite(g):
        return (nan if np.isnan(g) else g), None, None  # G > 0 outside the band
    bound = ULP_BOUND[dt]
    if f.kind == "forward":
        q = forward(qx, *qp)
        tol = bound * ulp(q, dt)
    elif f.kind == "grad":
        q = G
        tol = bound * ulp(q, dt)
    else:  # SPEC §7: within 1 ULP of g*G plus abs(g) times the gradient's bound
        q = exact(g) * G
        tol = ulp(q, dt) + abs(exact(g)) * bound * ulp(G, dt)
    if q == 0:
        return zero, None, None
    fi = np.finfo(dt)
    if abs(q) >= exact(fi.max) + ulp(exact(fi.max), dt) / 2:  # the exact value overflows
        return dt.type(np.inf) * (1 if q > 0 else -1), None, None
    return None, q, tol


def assert_matches_reference(actual, name, x, lambd=0.5, g=None, dtype=None, msg="",
                             params=None):
    """`actual` is what the contract defines for `name` at these operands:
    bit for bit for EXACT_FAMILIES and at every special value, band and
    overflow; within the SPEC §7 bound of the exact Fraction value elsewhere."""
    f = FUNCS[name]
    if f.exact:
        assert_same_bits(actual, ref_exact(name, x, lambd, g, dtype, params), msg or name)
        return
    dt, xs, gs, ps = _operands(name, x, lambd, g, dtype, params)
    actual = np.asarray(actual)
    assert actual.dtype == dt, f"{msg or name}: dtype {actual.dtype} != {dt}"
    assert actual.shape == xs.shape, f"{msg or name}: shape {actual.shape} != {xs.shape}"
    bad = _out_of_domain(name, ps)
    failures = []
    for idx in np.ndindex(xs.shape):
        got = actual[idx]
        if bad[idx]:
            bits, q, tol = dt.type(np.nan), None, None
        else:
            bits, q, tol = _fraction_expected(name, dt, xs[idx], gs[idx], [p[idx] for p in ps])
        if bits is not None:
            ok = bool(same_bits(got, bits))
        else:
            ok = bool(np.isfinite(got)) and abs(exact(got) - q) <= tol
        if not ok:
            shown = bits if bits is not None else f"{float(q)!r} within {float(tol / ulp(q, dt)):.3g} ULP"
            failures.append(f"  at {idx}: x={xs[idx]!r} g={gs[idx]!r} params={[p[idx] for p in ps]}: "
                            f"got {got!r}, expected {shown}")
    assert not failures, f"{msg or name}: {len(failures)} of {xs.size} elements wrong\n" + "\n".join(failures[:8])


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

"""ml_dtypes.bfloat16 (SPEC §7): every real loop of every ufunc, over all 65536 values.

Oracles, none of them shrink's code:
- hard/soft/shrink families and their gradients and backwards are exact: the
  reference is NumPy's float64 arithmetic on the bfloat16 operands (x - lambd,
  g * 1, selects), rounded to bfloat16 by ml_dtypes' own cast. Rounding twice
  (float64, then bfloat16) equals rounding once for one + or * of two bfloat16
  numbers (53 >= 2 * 8 + 2 bits).
- garrote and firm against fractions.Fraction (exact rationals), tanhshrink and
  its gradient against mpmath (tests/mp_oracle.py), within the 1 ULP of SPEC §5/§7.
Every call also runs raising on 'invalid', 'divide' and 'over' (SPEC §4), except
for signalling NaNs and where the exact result itself overflows (SPEC §7: may warn
as np.subtract / np.multiply do).
"""

import math
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mp_oracle  # noqa: E402
from optional import require  # noqa: E402
from spec_cases import EXACT_NAMES  # noqa: E402

import shrink  # noqa: E402
from shrink._table import DECLARED, EXAMPLES, NAMES  # noqa: E402

ml_dtypes = require("ml_dtypes")

BF16 = np.dtype(ml_dtypes.bfloat16)
ALL = np.arange(65536, dtype=np.uint16).view(BF16)  # every bfloat16, NaNs included
FINITE = ALL[(ALL.view(np.uint16) & 0x7F80) != 0x7F80]
U = shrink.ufuncs
# thresholds: zero, a value with a long bfloat16 expansion, and a large one
LAMBDS = (0.0, 0.1, 0.5, 3.0, 1e30)


def bf16(values):
    """float64 values rounded to bfloat16 by ml_dtypes."""
    return np.asarray(values, dtype=np.float64).astype(BF16)


def bits(a):
    return np.asarray(a).view(np.uint16)


def assert_same_bits(got, expected):
    """Bit for bit, except that any NaN matches any NaN."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == BF16 and expected.dtype == BF16
    nan_got = np.isnan(f64(got))
    nan_exp = np.isnan(f64(expected))
    np.testing.assert_array_equal(nan_got, nan_exp)
    diff = np.flatnonzero((bits(got) != bits(expected)) & ~nan_got)
    assert diff.size == 0, (f"{diff.size} differ, first at {ALL.size and diff[0]}: "
                            f"got {got.ravel()[diff[:5]]} expected {expected.ravel()[diff[:5]]}")


def signalling(a):
    """Signalling NaNs: exponent all ones, quiet bit (0x40) clear, payload not 0."""
    b = bits(a)
    return ((b & 0x7F80) == 0x7F80) & ((b & 0x7F) != 0) & ((b & 0x40) == 0)


def f64(a):
    """bfloat16 to float64 (exact; a signalling NaN becomes a quiet one)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(a).astype(np.float64)


def raw(name, *operands, over="raise"):
    """The raw ufunc with every operand bfloat16 (a float becomes one). It runs
    twice: on everything, and raising on invalid/divide/over (SPEC §4) on the elements where
    no operand is a signalling NaN (which may raise 'invalid', SPEC §4): no other
    FP flag, and the same bits either way."""
    args = [np.asarray(a) if np.asarray(a).dtype == BF16 else bf16(a) for a in operands]
    ufunc = getattr(U, name)
    with np.errstate(invalid="ignore", over="ignore"):
        result = ufunc(*args)
    assert result.dtype == BF16
    quiet = np.ones(result.shape, bool)
    for a in args:
        if a.ndim:
            quiet &= ~signalling(a)
    with np.errstate(invalid="raise", divide="raise", over=over):  # SPEC §4's three
        again = ufunc(*(a[quiet] if a.ndim else a for a in args))
    np.testing.assert_array_equal(bits(again), bits(result[quiet]))
    return result


def test_every_ufunc_has_its_bfloat16_loop():
    for name in NAMES:
        u = DECLARED[name]
        operands = [np.ones(3, BF16)] * u.nin
        with np.errstate(all="raise"):
            assert getattr(U, name)(*operands).dtype == BF16, name


# --- the exact families -----------------------------------------------------------

def exact_reference(name, x, lam, bias, g):
    """float64 formulas of SPEC §1/§4/§7 on bfloat16 operands (every zero +0.0)."""
    x, g = f64(x), f64(g)
    nan = np.isnan(x)
    if name.startswith("shrink"):
        left = np.where(x > lam, x - bias, np.where(x < -lam, x + bias, 0.0))
        outside = np.abs(x) > lam
    elif name.startswith("softshrink"):
        left = np.where(x > lam, x - lam, np.where(x < -lam, x + lam, 0.0))
        outside = np.abs(x) > lam
    else:
        left = np.where(np.abs(x) > lam, x, 0.0)
        outside = np.abs(x) > lam
    if name.endswith("_grad"):
        out = np.where(outside, 1.0, 0.0)
    elif name.endswith("_backward"):
        with np.errstate(invalid="ignore"):
            out = np.where(outside, g * 1.0, 0.0)
    else:
        out = left
    out = np.where(nan, np.nan, out)
    out = np.where(out == 0, 0.0, out)  # +0.0
    return bf16(out)


EXACT = EXACT_NAMES  # the families of one correctly rounded operation


@pytest.mark.parametrize("name", EXACT)
@pytest.mark.parametrize("lam", LAMBDS)
def test_exact_families_every_value(name, lam):
    u = DECLARED[name]
    lam = float(bf16(lam).astype(np.float64))  # the threshold as bfloat16 holds it
    bias = float(bf16(0.25 if lam < 1e29 else 1e29).astype(np.float64))
    rng = np.random.default_rng(14)
    x = ALL
    g = ALL[rng.permutation(ALL.size)]  # every value as g too, paired at random
    operands = {"x": x, "grad_output": g, "lambd": lam, "bias": bias}
    expected = exact_reference(name, x, lam, bias, g)
    got = raw(name, *(operands[o] for o in u.operands),
              over="ignore" if name == "shrink" else "raise")
    assert_same_bits(got, expected)


@pytest.mark.parametrize("name", EXACT)
def test_per_element_thresholds(name):
    """Thresholds as arrays (the loop's other path) give the same bits."""
    u = DECLARED[name]
    rng = np.random.default_rng(7)
    x = ALL
    g = ALL[rng.permutation(ALL.size)]
    lam = np.abs(f64(FINITE[rng.integers(0, FINITE.size, ALL.size)]))
    lam = bf16(np.minimum(lam, 1e30)).astype(np.float64)
    bias = bf16(rng.uniform(-2, 2, ALL.size)).astype(np.float64)
    expected = exact_reference(name, x, lam, bias, g)
    operands = {"x": x, "grad_output": g, "lambd": lam, "bias": bias}
    got = raw(name, *(operands[o] for o in u.operands),
              over="ignore" if name == "shrink" else "raise")
    assert_same_bits(got, expected)


# --- garrote, firm, tanhshrink: within 1 ULP ----------------------------------------

def ulp_bf16(v):
    """The bfloat16 ULP of the exact value v (float64): 2**(floor(log2|v|) - 7),
    the smallest subnormal 2**-133 below the normal range."""
    v = np.abs(np.asarray(v, dtype=np.float64))
    _, e = np.frexp(v)
    return np.where(v < 2.0 ** -126, 2.0 ** -133, np.ldexp(1.0, e - 8))


def assert_within_ulps(got, exact, bound, context=""):
    """got (bfloat16) within bound ULPs of exact (float64, NaN/inf compared as is)."""
    g = f64(got)
    special = ~np.isfinite(exact)
    np.testing.assert_array_equal(g[special], exact[special], err_msg=context)
    finite = ~special
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(g[finite] - exact[finite]) / ulp_bf16(exact[finite])
    worst = int(np.argmax(err)) if err.size else 0
    assert not err.size or err[worst] <= bound, (
        f"{context}: {err[worst]:.3f} ULP at x-index {np.flatnonzero(finite)[worst]}: "
        f"got {g[finite][worst]!r}, exact {exact[finite][worst]!r}")


def fractions_of(a):
    return [Fraction(float(v)) for v in np.asarray(a, dtype=np.float64)]


def rational_reference(name, x, params):
    """garrote/firm and their gradients exactly (Fraction), as float64 (NaN, inf kept)."""
    xf = f64(x)
    out = np.empty(xf.size)
    ps = [Fraction(float(p)) for p in params]
    for i, v in enumerate(xf):
        if math.isnan(v):
            out[i] = math.nan
            continue
        if math.isinf(v):
            out[i] = 1.0 if name.endswith("_grad") else v
            continue
        f = Fraction(v)
        if name.startswith("garrote"):
            (lam,) = ps
            if abs(f) <= lam:
                r = Fraction(0)
            elif name.endswith("_grad"):
                r = 1 + lam * lam / (f * f)
            else:
                r = f - lam * lam / f
        else:
            low, high = ps
            if abs(f) <= low:
                r = Fraction(0)
            elif abs(f) <= high:
                slope = high / (high - low)
                r = slope if name.endswith("_grad") else (
                    (1 if f > 0 else -1) * slope * (abs(f) - low))
            else:
                r = Fraction(1) if name.endswith("_grad") else f
        out[i] = float(r)
    return out


RATIONAL_CASES = [("garrote", (0.5,)), ("garrote", (0.1,)), ("garrote", (1e-30,)),
                  ("firm", (0.5, 1.5)), ("firm", (0.1, 0.3)), ("firm", (0.0, 2.0))]


@pytest.mark.parametrize("kind", ["", "_grad"])
@pytest.mark.parametrize("family, params", RATIONAL_CASES)
def test_garrote_firm_every_value(family, params, kind):
    name = family + kind
    params = tuple(float(bf16(p).astype(np.float64)) for p in params)
    got = raw(name, ALL, *params)
    exact = rational_reference(name, ALL, params)
    assert_within_ulps(got, exact, 1.0, f"{name}{params}")
    # every zero +0.0 (the band, and -0.0 in)
    zero = f64(got) == 0
    assert (bits(got)[zero] == 0).all()


@pytest.mark.parametrize("family, params", RATIONAL_CASES[::2])
def test_garrote_firm_backward(family, params):
    """Within 1 ULP of g * G plus |g| times the gradient's bound (SPEC §7)."""
    name = family + "_backward"
    params = tuple(float(bf16(p).astype(np.float64)) for p in params)
    rng = np.random.default_rng(3)
    g = bf16(rng.uniform(-4, 4, ALL.size))
    got = f64(raw(name, g, ALL, *params))
    grad = rational_reference(family + "_grad", ALL, params)
    gf = g.astype(np.float64)
    exact = gf * grad
    finite = np.isfinite(exact)
    allowed = ulp_bf16(exact[finite]) + np.abs(gf[finite]) * ulp_bf16(grad[finite])
    assert (np.abs(got[finite] - exact[finite]) <= allowed).all()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(exact))
    assert (bits(got.astype(BF16))[got == 0] == 0).all()


@pytest.fixture(scope="module")
def tanh_refs():
    """mpmath's x - tanh(x) and tanh(x)**2 for every finite bfloat16 >= +0.0
    (both are odd / even: the negative half follows)."""
    positive = ALL[:0x7F81]  # +0.0 .. +inf and the first NaN excluded
    xs = positive.astype(np.float64)
    forward = np.array([float(mp_oracle.tanhshrink_mp(mp_oracle.to_mpf(v))) for v in xs])
    grad = np.array([float(mp_oracle.tanhshrink_grad_mp(mp_oracle.to_mpf(v))) for v in xs])
    return xs, forward, grad


def test_tanhshrink_every_value(tanh_refs):
    xs, forward, grad = tanh_refs
    positive = xs.astype(BF16)
    got = raw("tanhshrink", positive)
    got_neg = raw("tanhshrink", -positive)
    got_grad = raw("tanhshrink_grad", positive)
    got_grad_neg = raw("tanhshrink_grad", -positive)
    assert_within_ulps(got, forward, 1.0, "tanhshrink")
    assert_within_ulps(got_neg, -forward, 1.0, "tanhshrink, x < 0")
    assert_within_ulps(got_grad, grad, 1.0, "tanhshrink_grad")
    assert_within_ulps(got_grad_neg, grad, 1.0, "tanhshrink_grad, x < 0")
    # odd: tanhshrink(-0.0) is -0.0; the gradient's zero is +0.0
    assert bits(raw("tanhshrink", np.array([-0.0])))[0] == 0x8000
    assert bits(raw("tanhshrink_grad", np.array([-0.0])))[0] == 0
    nan = ALL[np.isnan(ALL.astype(np.float32))]
    for name in ("tanhshrink", "tanhshrink_grad"):
        assert np.isnan(f64(raw(name, nan))).all()


def test_tanhshrink_backward_every_value(tanh_refs):
    xs, _, grad = tanh_refs
    rng = np.random.default_rng(5)
    g = bf16(rng.uniform(-4, 4, xs.size))
    got = f64(raw("tanhshrink_backward", g, xs.astype(BF16)))
    gf = g.astype(np.float64)
    exact = gf * grad
    allowed = ulp_bf16(exact) + np.abs(gf) * ulp_bf16(grad)
    assert (np.abs(got - exact) <= allowed).all()
    assert (bits(got.astype(BF16))[got == 0] == 0).all()


# --- positions, special values ------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_same_bits_at_every_position(name):
    """Contiguous, reversed, strided, unaligned, one at a time, thresholds as arrays:
    same bits (any NaN for a NaN)."""
    u = DECLARED[name]
    rng = np.random.default_rng(11)
    x = ALL[rng.permutation(ALL.size)]
    arrays = [x if a == "x" else ALL for a in u.arrays]
    params = [bf16(EXAMPLES[p.name]) for p in u.params]
    with np.errstate(all="ignore"):  # the overflow some exact results have
        whole = getattr(U, name)(*arrays, *params)
        reversed_ = getattr(U, name)(*(a[::-1] for a in arrays), *params)[::-1]
        wide = [np.repeat(a, 3)[::3] for a in arrays]  # step 3 elements
        strided = getattr(U, name)(*wide, *params)
        buffer = np.empty(2 * ALL.size + 1, np.uint8)  # one byte off alignment
        unaligned = buffer[1:].view(BF16)
        getattr(U, name)(*arrays, *params, out=unaligned)
        one = [getattr(U, name)(*(a[i:i + 1] for a in arrays), *params)[0]
               for i in range(0, ALL.size, 257)]
        as_arrays = getattr(U, name)(*arrays, *(np.full(ALL.size, p) for p in params))
    for other in (reversed_, strided, unaligned, as_arrays):
        assert_same_bits(other, whole)  # which NaN payload propagates is not specified
    assert_same_bits(np.array(one, BF16), whole[::257])


# --- the public functions -------------------------------------------------------------

def test_python_numbers_are_rounded_to_bfloat16_first():
    """NEP 50: a Python float is weak; the result is bfloat16 and the threshold is
    rounded to bfloat16 before comparing (0.1 is 0.10009765625 in bfloat16)."""
    x = np.array([0.1, 0.2, -3.0], BF16)
    for name in ("hardshrink", "softshrink", "garrote", "shrink"):
        assert getattr(shrink, name)(x, 0.1).dtype == BF16
    assert float(shrink.softshrink(ml_dtypes.bfloat16(0.1), 0.1)) == 0.0
    assert shrink.softshrink(ml_dtypes.bfloat16(0.1), 0.1).dtype == BF16
    got = shrink.softshrink(x, 0.1)
    lam = float(bf16(0.1).astype(np.float64))
    assert_same_bits(got, bf16(np.where(np.abs(x.astype(float)) > lam,
                                        x.astype(float) - np.sign(x.astype(float)) * lam, 0)))
    assert shrink.firm(x, 0, 1).dtype == BF16  # ints too
    assert shrink.shrink_backward(x, x, 0.5, -0.25).dtype == BF16
    assert shrink.hardshrink(x, ml_dtypes.bfloat16(0.5)).dtype == BF16
    assert shrink.hardshrink(x, np.full(3, 0.5, BF16)).dtype == BF16
    # a float32 operand promotes as NumPy promotes bfloat16 with float32
    assert shrink.hardshrink(x, np.float32(0.5)).dtype == np.float32
    assert shrink.softshrink_backward(x.astype(np.float32), x, 0.5).dtype == np.float32
    assert shrink.tanhshrink(x).dtype == BF16
    assert shrink.Softshrink(0.1)(x).dtype == BF16


@pytest.mark.parametrize("lam, message", [
    (1e39, "softshrink: lambd must be finite in the result dtype bfloat16, got 1e+39"),
    # finite in float32, infinite once rounded to bfloat16
    (3.4e38, "softshrink: lambd must be finite in the result dtype bfloat16, got 3.4e+38"),
    (-0.5, "softshrink: lambd must be finite and >= 0, got -0.5"),
    (float("nan"), "softshrink: lambd must be finite and >= 0, got nan"),
])
def test_bad_thresholds(lam, message):
    x = np.array([1.0, 2.0], BF16)
    out = np.full(2, 7.0, BF16)
    with pytest.raises(ValueError) as info:
        shrink.softshrink(x, lam, out=out)
    assert str(info.value) == message
    assert (out.astype(np.float32) == 7).all()


def test_bad_bfloat16_arrays():
    x = np.array([1.0, 2.0], BF16)
    with pytest.raises(ValueError, match=r"^softshrink: lambd must be finite and >= 0, "
                                         r"got nan at index \(1,\)$"):
        with np.errstate(all="raise"):  # the check itself raises no FP flag
            shrink.softshrink(x, np.array([0.5, np.nan], BF16))
    with pytest.raises(ValueError, match=r"^shrink: bias must be finite, got inf$"):
        shrink.shrink(x, 0.5, ml_dtypes.bfloat16(np.inf))
    with pytest.raises(ValueError, match=r"^firm: lambd_low must be <= lambd_high"):
        shrink.firm(x, ml_dtypes.bfloat16(2), ml_dtypes.bfloat16(1))
    with pytest.raises(ValueError, match="shrink.Shrink|Shrink|bias"):
        shrink.Shrink(0.5, ml_dtypes.bfloat16(np.nan))
    # a bfloat16 x is a real array, never reported as void
    with pytest.raises(TypeError, match="lambd must be a real number"):
        shrink.softshrink(x, "0.5")


def test_without_ml_dtypes_nothing_changes():
    """With ml_dtypes hidden, import works and registers only the NumPy loops."""
    code = (
        "import sys, importlib.abc\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'ml_dtypes':\n"
        "            raise ImportError('hidden')\n"
        "sys.meta_path.insert(0, Hide())\n"
        "import numpy as np, shrink\n"
        "assert shrink._ufuncs.BFLOAT16_DTYPE is None\n"
        "assert 'ml_dtypes' not in sys.modules\n"
        "print(shrink.softshrink(np.array([2.0], np.float32), 0.5).dtype)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(Path(__file__).parents[1]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "float32"

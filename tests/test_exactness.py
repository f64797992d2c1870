"""SPEC §3/§4 (and the 'exact' row of §5's table as far as §4 states it):
hardshrink returns x's bits, softshrink is the correctly rounded x ∓ λ, grads are
exactly 0/1, backwards exactly g or +0.0; complex forward functions.

Oracles: fractions.Fraction (exact), float64 arithmetic on float16 operands
(exact), mpmath for complex.
"""

from fractions import Fraction

import numpy as np
import pytest

import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402
from spec_cases import (
    EXACT_NAMES, FUNCS, REAL_DTYPES, REAL_IDS, args_for, assert_same_bits, pyfunc, quiet_fp,
    strict_fp, ufunc,
)

UINT = {2: np.uint16, 4: np.uint32, 8: np.uint64}
LAYERS = ["ufunc", "function"]


def _f(layer, name):
    return ufunc(name) if layer == "ufunc" else pyfunc(name)


def _frac(v):
    v = np.asarray(v)[()]
    if isinstance(v, np.longdouble):
        return Fraction(*v.as_integer_ratio())
    return Fraction(float(v))


def _random_finite(dt, n, rng):
    """Random finite values spread over the whole exponent range (plus a cluster
    of ordinary magnitudes)."""
    dt = np.dtype(dt)
    if dt.itemsize in UINT and dt != np.dtype(np.longdouble):
        u = UINT[dt.itemsize]
        bits = rng.integers(0, np.iinfo(u).max, size=3 * n, dtype=u, endpoint=True)
        v = bits.view(dt)
        v = v[np.isfinite(v)][: n // 2]
    else:  # longdouble: random 64-bit significands, exponents in a wide range
        m = rng.integers(2**62, 2**63, size=n // 2, dtype=np.uint64)
        hi = (m >> np.uint64(32)).astype(np.longdouble)
        lo = (m & np.uint64(0xFFFFFFFF)).astype(np.longdouble)
        sig = (hi * np.longdouble(2**32) + lo) / np.longdouble(2**63)  # in [0.5, 1)
        e = rng.integers(-1000, 1000, size=n // 2)
        v = np.ldexp(sig, e) * rng.choice(np.array([-1, 1], np.longdouble), size=n // 2)
    ordinary = (rng.standard_normal(n - v.size) * 3).astype(dt)
    return np.concatenate([v.astype(dt), ordinary])


def _lambdas(dt, x, rng):
    """λ per element: mostly near |x| (cancellation, different exponents), some random."""
    n = x.size
    ax = np.abs(x)
    with quiet_fp():
        near = ax * (1 - rng.choice(np.array([0.0, 2.0**-5, 0.25, 0.5, 0.75, 0.999], dt), size=n)).astype(dt)
        k = rng.integers(-3, 4, size=n)
        walk = ax.copy()
        for step in range(3):  # a few ulps either side of |x|
            walk = np.where(k > step, np.nextafter(walk, dt(np.inf)), walk)
            walk = np.where(k < -step, np.nextafter(walk, dt(0)), walk)
        rnd = np.abs(_random_finite(dt, n, rng))[:n]
        tiny = (ax * rng.choice(np.array([2.0**-8, 2.0**-20, 2.0**-60], dt), size=n)).astype(dt)
    choice = rng.integers(0, 4, size=n)
    lam = np.select([choice == 0, choice == 1, choice == 2], [near, walk, rnd], tiny).astype(dt)
    lam = np.where(np.isfinite(lam) & (lam >= 0), lam, dt(0.5)).astype(dt)
    return lam


def _is_even(r):
    """Last significand bit of r is 0."""
    a = np.array([r])
    if a.dtype == np.dtype(np.longdouble):
        return int(a.view(np.uint8)[0]) & 1 == 0  # x87: explicit 64-bit significand first
    return int(a.view(UINT[a.dtype.itemsize])[0]) & 1 == 0


def _check_correctly_rounded(r, exact, dt):
    """r (dtype dt) is the round-to-nearest-even value of the Fraction `exact`."""
    R = _frac(r)
    lo = np.nextafter(dt(r), dt(-np.inf))
    hi = np.nextafter(dt(r), dt(np.inf))
    e = abs(exact - R)
    e_lo = abs(exact - _frac(lo)) if np.isfinite(lo) else None
    e_hi = abs(exact - _frac(hi)) if np.isfinite(hi) else None
    for en in (e_lo, e_hi):
        if en is None:
            continue
        if e > en:
            return False
        if e == en and not _is_even(dt(r)):
            return False
    return True


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_softshrink_correctly_rounded(layer, dt):
    rng = np.random.default_rng(11)
    x = _random_finite(dt, 3000, rng)
    lam = _lambdas(dt, x, rng)
    with strict_fp():
        r = _f(layer, "softshrink")(x, lam)
    assert r.dtype == dt
    bad = []
    for xi, li, ri in zip(x, lam, r):
        X, L = _frac(xi), _frac(li)
        if X > L:
            exact = X - L
        elif X < -L:
            exact = X + L
        else:
            if not (ri == 0 and not np.signbit(ri)):
                bad.append((xi, li, ri, "band"))
            continue
        if not _check_correctly_rounded(ri, exact, dt):
            bad.append((xi, li, ri, "rounding"))
    assert not bad, f"{len(bad)} of {x.size} wrong, e.g. {bad[:4]}"


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_hardshrink_returns_x_bits(layer, dt):
    rng = np.random.default_rng(12)
    x = _random_finite(dt, 4000, rng)
    x = np.concatenate([x, np.array([np.inf, -np.inf, 0.0, -0.0], dt)])
    lam = np.concatenate([_lambdas(dt, x[:-4], rng), np.array([1.0, 0.0, 0.0, 0.0], dt)])
    with strict_fp():
        r = _f(layer, "hardshrink")(x, lam)
    outside = np.array([abs(_frac(xi)) > _frac(li) if np.isfinite(xi) else True
                        for xi, li in zip(x, lam)])
    expected = np.where(outside, x, np.zeros_like(x))
    if dt is np.longdouble:
        assert_same_bits(r, expected)
    else:
        u = UINT[np.dtype(dt).itemsize]
        assert np.array_equal(r.view(u), expected.view(u))


@pytest.mark.parametrize("lam", [0.0, 0.1, 0.5, 1.5, 1000.0, 6e-8, 65504.0, 2.0**-14])
@pytest.mark.parametrize("layer", LAYERS)
def test_float16_exhaustive_against_float64(layer, lam):
    """float64 arithmetic on float16 operands is exact, so one cast is the oracle."""
    x = np.arange(65536, dtype=np.uint16).view(np.float16)
    l16 = np.float16(lam)
    x64, l64 = x.astype(np.float64), np.float64(l16)
    with quiet_fp():
        soft = np.where(x64 > l64, x64 - l64, np.where(x64 < -l64, x64 + l64, 0.0)).astype(np.float16)
        hard = np.where(np.abs(x64) > l64, x64, 0.0).astype(np.float16)
    nan = np.isnan(x)
    soft[nan] = np.nan
    hard[nan] = np.nan
    with quiet_fp():  # includes signalling NaNs, which may raise 'invalid' (§4)
        rs = _f(layer, "softshrink")(x, l16)
        rh = _f(layer, "hardshrink")(x, l16)
    quiet = ~nan | ((x.view(np.uint16) & 0x0200) != 0)
    with strict_fp():  # quiet NaNs and everything else: no flag
        _f(layer, "softshrink")(x[quiet], l16)
        _f(layer, "hardshrink")(x[quiet], l16)
    for got, exp, nm in ((rs, soft, "softshrink"), (rh, hard, "hardshrink")):
        assert got.dtype == np.float16
        assert np.all(np.isnan(got[nan])), nm
        ok = got[~nan].view(np.uint16) == exp[~nan].view(np.uint16)
        assert np.all(ok), f"{nm} lam={lam}: {np.sum(~ok)} wrong, e.g. x={x[~nan][~ok][:5]} got {got[~nan][~ok][:5]}"


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name", [n for n in EXACT_NAMES if FUNCS[n].kind != "forward"])
def test_grads_and_backwards_exact(name, dt):
    rng = np.random.default_rng(13)
    x = _random_finite(dt, 2000, rng)
    lam = _lambdas(dt, x, rng)
    g = _random_finite(dt, x.size, rng)[rng.permutation(x.size)]
    g = np.where(g == 0, dt(1), g).astype(dt)  # a -0.0 g outside the band is not pinned by §4
    with strict_fp():
        r = ufunc(name)(*args_for(name, x, lam, g))
    outside = np.array([abs(_frac(xi)) > _frac(li) for xi, li in zip(x, lam)])
    one = g if name.endswith("_backward") else np.ones_like(x)
    expected = np.where(outside, one, np.zeros_like(x))
    assert_same_bits(r, expected, name)


# --------------------------------------------------------------------------
# complex forward functions

mpmath = require("mpmath")

CDT = [pytest.param(np.complex64, id="complex64"), pytest.param(np.complex128, id="complex128")]


def _rand_complex(cdt, n, rng, lo=-3.0, hi=3.0):
    rdt = np.finfo(cdt).dtype
    mag = 10.0 ** rng.uniform(lo, hi, size=n)
    ang = rng.uniform(0, 2 * np.pi, size=n)
    z = (mag * np.cos(ang)).astype(rdt) + 1j * (mag * np.sin(ang)).astype(rdt)
    return z.astype(cdt)


def _mpc(z):
    return mpmath.mpc(mpmath.mpf(float(z.real)), mpmath.mpf(float(z.imag)))


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt", CDT + [pytest.param(np.clongdouble, id="clongdouble")])
def test_complex_hardshrink(layer, cdt):
    rng = np.random.default_rng(21)
    z = _rand_complex(cdt, 2000, rng, -2, 2)
    z[:4] = [0, 0.5, 0.5j, -0.3 - 0.4j]  # |z| == λ exactly for the last three
    lam = 0.5
    r = _f(layer, "hardshrink")(z, lam)
    assert r.dtype == cdt
    keep = np.abs(z) > np.finfo(cdt).dtype.type(lam)
    assert np.array_equal(r[keep], z[keep])  # z itself, unchanged
    assert np.all(r[~keep] == 0)
    assert not keep[[0, 1, 2]].any()


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt", CDT)
@pytest.mark.parametrize("lam", [0.0, 0.5, 1.0, 3e-3, 50.0])
def test_complex_softshrink_accuracy(layer, cdt, lam):
    rng = np.random.default_rng(22)
    rdt = np.finfo(cdt).dtype
    eps = float(np.finfo(cdt).eps)
    z = _rand_complex(cdt, 1500, rng, -3, 3)
    z[:3] = [0, 0j, lam]
    with quiet_fp():
        r = _f(layer, "softshrink")(z, lam)
    assert r.dtype == cdt
    L = mpmath.mpf(float(rdt.type(lam)))
    a = np.abs(z)  # the band decision uses np.abs
    bad = []
    for zi, ri, ai in zip(z, r, a):
        if not ai > rdt.type(lam):
            if ri != 0:
                bad.append((zi, ri, "band"))
            continue
        with mpmath.workdps(40):
            Z = _mpc(zi)
            A = abs(Z)
            ref = Z * (A - L) / A
            err = abs(mpmath.mpc(float(ri.real), float(ri.imag)) - ref)
        if err > 4 * eps * A:
            bad.append((zi, ri, float(err / (eps * A))))
    assert not bad, f"{len(bad)} bad, e.g. {bad[:4]}"


@pytest.mark.parametrize("layer", LAYERS)
def test_complex_softshrink_clongdouble(layer):
    # no bound in §5 for clongdouble; it must at least be as good as complex128
    rng = np.random.default_rng(23)
    z = _rand_complex(np.complex128, 300, rng, -2, 2).astype(np.clongdouble)
    with quiet_fp():
        r = _f(layer, "softshrink")(z, 0.5)
    assert r.dtype == np.clongdouble
    z64 = z.astype(np.complex128)
    a = np.abs(z64)
    ref = np.where(a > 0.5, z64 * (a - 0.5) / np.where(a > 0, a, 1), 0)
    assert np.all(np.abs(r.astype(np.complex128) - ref) <= 8 * np.finfo(np.float64).eps * a)


@pytest.mark.parametrize("cdt", CDT)
def test_complex_softshrink_zero_and_band(cdt):
    z = np.array([0, -0.0 + 0j, 0.1 + 0.1j, 0.3j, -0.2 - 0.1j], cdt)
    with quiet_fp():
        r = ufunc("softshrink")(z, 0.5)
        r0 = ufunc("softshrink")(z, 0.0)
    assert np.all(r == 0)
    assert r0[0] == 0 and r0[1] == 0
    assert not np.any(np.isnan(r0))


def _tanhshrink_ref(zi):
    Z = _mpc(zi)
    return Z - mpmath.tanh(Z)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt", CDT)
def test_complex_tanhshrink_no_worse_than_composite(layer, cdt):
    rng = np.random.default_rng(24)
    eps = float(np.finfo(cdt).eps)
    z = _rand_complex(cdt, 800, rng, -1, 1.2)
    # keep away from the poles of tanh (Im z = pi/2 + k pi), where both blow up
    z = z[np.abs(np.cos(z.imag.astype(np.float64))) > 0.05]
    with quiet_fp():
        r = _f(layer, "tanhshrink")(z)
    with quiet_fp():
        comp = z - np.tanh(z)
    assert r.dtype == cdt
    bad = []
    with mpmath.workdps(40):
      for zi, ri, ci in zip(z, r, comp):
        ref = _tanhshrink_ref(zi)
        scale = abs(_mpc(zi)) + abs(mpmath.tanh(_mpc(zi)))
        e_ours = abs(mpmath.mpc(float(ri.real), float(ri.imag)) - ref)
        e_comp = abs(mpmath.mpc(float(ci.real), float(ci.imag)) - ref)
        if e_ours > max(2 * e_comp, 4 * eps * scale):
            bad.append((zi, float(e_ours / (eps * scale)), float(e_comp / (eps * scale))))
    assert not bad, f"{len(bad)} worse than the composite, e.g. {bad[:4]}"


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt,lo,hi,bound", [
    pytest.param(np.complex64, -9, -2, 1e-5, id="complex64"),
    pytest.param(np.complex128, -60, -2, 1e-13, id="complex128"),
])
def test_complex_tanhshrink_near_zero(layer, cdt, lo, hi, bound):
    """Right near 0, where z - tanh(z) cancels: relative (norm-wise) error small."""
    rng = np.random.default_rng(25)
    z = _rand_complex(cdt, 400, rng, lo, hi)
    with quiet_fp():
        r = _f(layer, "tanhshrink")(z)
    with quiet_fp():
        comp = z - np.tanh(z)
    rel_ours, rel_comp = [], []
    with mpmath.workdps(300):  # z - tanh(z) cancels ~2*log10(1/|z|) digits
      for zi, ri, ci in zip(z, r, comp):
        ref = _tanhshrink_ref(zi)
        rel_ours.append(float(abs(mpmath.mpc(float(ri.real), float(ri.imag)) - ref) / abs(ref)))
        rel_comp.append(float(abs(mpmath.mpc(float(ci.real), float(ci.imag)) - ref) / abs(ref)))
    # the bound is meaningful: the naive composite fails it
    assert max(rel_comp) > bound
    worst = int(np.argmax(rel_ours))
    assert max(rel_ours) < bound, f"worst relative error {rel_ours[worst]:.3g} at z={z[worst]!r}"


@pytest.mark.parametrize("cdt", CDT + [pytest.param(np.clongdouble, id="clongdouble")])
def test_complex_tanhshrink_special(cdt):
    z = np.array([0, 20 + 0j, -20 + 0j, 1e-30 + 0j], cdt)
    with quiet_fp():
        r = ufunc("tanhshrink")(z)
    assert r[0] == 0
    # real axis agrees with the real function
    rdt = np.finfo(cdt).dtype
    rr = ufunc("tanhshrink")(z.real.astype(rdt))
    assert np.allclose(r.real, rr, rtol=4 * np.finfo(rdt).eps, atol=0)
    assert np.all(r.imag == 0)


ALL_CDT = CDT + [pytest.param(np.clongdouble, id="clongdouble")]


@pytest.mark.parametrize("cdt", ALL_CDT)
@pytest.mark.parametrize("name", ["hardshrink", "softshrink"])
@pytest.mark.parametrize("lam", [-1.0, float("nan"), -float("inf")], ids=repr)
def test_complex_raw_bad_lambd_gives_nan(name, cdt, lam):
    """§2: a negative or NaN λ makes every λ-taking ufunc return NaN (complex loops too)."""
    z = np.array([0, 1 + 1j, 0.1j, -3 - 4j, 1e30j], cdt)
    with quiet_fp():
        r = ufunc(name)(z, lam)
    assert r.dtype == cdt
    assert np.all(np.isnan(r)), r


@pytest.mark.parametrize("cdt", ALL_CDT)
@pytest.mark.parametrize("name", ["hardshrink", "softshrink"])
def test_complex_python_layer_checks_lambd(name, cdt):
    z = np.array([1 + 1j, 0.1j], cdt)
    out = np.full(2, 7 + 7j, cdt)
    with pytest.raises(ValueError, match=rf"^{name}: lambd must be finite and >= 0, got -1"):
        pyfunc(name)(z, -1.0, out=out)
    with pytest.raises(TypeError, match=name):
        pyfunc(name)(z, 0.5j, out=out)
    assert np.all(out == 7 + 7j)


@pytest.mark.parametrize("layer", LAYERS)
@pytest.mark.parametrize("cdt", ALL_CDT)
def test_complex_per_element_lambd(layer, cdt):
    rng = np.random.default_rng(26)
    z = _rand_complex(cdt, 64, rng, -1, 1).reshape(8, 8)
    lam = np.abs(z[:, :1]).astype(np.finfo(cdt).dtype)  # column 0 is exactly on the band edge
    r = _f(layer, "hardshrink")(z, lam)
    keep = np.abs(z) > lam
    assert not keep[:, 0].any()
    assert np.array_equal(r[keep], z[keep]) and np.all(r[~keep] == 0)
    r = _f(layer, "softshrink")(z, lam)
    assert np.all(r[:, 0] == 0)
    assert np.all(r[~keep] == 0)


@pytest.mark.parametrize("cdt", ALL_CDT)
def test_complex_hardshrink_abs_overflow(cdt):
    """|z| as np.abs: a huge z whose modulus overflows to inf is kept, unchanged."""
    big = np.finfo(cdt).max
    z = np.array([complex(big, big), complex(-big, 0), complex(0, big)], cdt)
    with quiet_fp():
        r = ufunc("hardshrink")(z, 0.5)
    assert np.array_equal(r, z)

"""SPEC §7: garrote, firm and shrink (the ONNX operator), their gradients and
backwards, in both layers, with layer objects.

Expected values come from exact rational arithmetic (fractions.Fraction on the
operands as the loop sees them: the SPEC §7 formulas in spec_cases.py, which
the shared matrices use too), IEEE operations NumPy performs itself
(x - bias), and the peers: PyWavelets, ONNX's reference evaluator and
onnxruntime. The worst error found is printed (pytest -s shows it).
"""

import copy
import os
import pickle
import sys
from fractions import Fraction

import numpy as np
import pytest

import shrink
from shrink import ufuncs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optional import require  # noqa: E402
from spec_cases import (  # noqa: E402
    REAL_DTYPES as REAL, REAL_IDS, ULP_BOUND as _ULP_BOUND, exact, firm_exact, firm_grad_exact,
    garrote_exact, garrote_grad_exact, strict_fp as strict, ulp_error,
)

# SPEC §7: garrote, firm and their gradients within 1 ULP (float16, float32),
# 2 ULP (float64), 8 ULP (longdouble) of the exact value.
ULP_BOUND = {dt: _ULP_BOUND[np.dtype(dt)] for dt in REAL}
FAMILIES = {"garrote": ("lambd",), "firm": ("lambd_low", "lambd_high"), "shrink": ("lambd", "bias")}
NAMES = [f + s for f in FAMILIES for s in ("", "_grad", "_backward")]


def _edge_points(dt, lam):
    """x dense just outside the band edge (where x - lambd**2/x cancels),
    then spread over the range up to huge values."""
    dt = np.dtype(dt).type
    fi = np.finfo(dt)
    lam = dt(lam)
    pts = [lam]
    v = lam
    with np.errstate(over="ignore"):
        for _ in range(40):
            v = np.nextafter(v, dt(np.inf))
            pts.append(v)
        for k in range(1, fi.nmant + 1, max(1, fi.nmant // 12)):
            pts.append(dt(lam * (1 + dt(2.0) ** -k)))
        for s in np.geomspace(1.0001, 1e4, 60):
            pts.append(dt(lam * dt(s)))
        pts += [fi.max, dt(fi.max / 3), np.nextafter(fi.max, dt(0)), dt(1.0), dt(3.0)]
    pts = [p for p in pts if np.isfinite(p) and p > 0]
    return np.array(pts + [-p for p in pts], dtype=dt)


def _thresholds(dt):
    fi = np.finfo(dt)
    dt = np.dtype(dt).type
    return [dt(0.5), dt(1e-3), dt(3.0), fi.smallest_subnormal * dt(7), fi.smallest_normal,
            dt(fi.max / 4), dt(0.0)]


@pytest.mark.parametrize("dt", REAL, ids=REAL_IDS)
@pytest.mark.parametrize("name", ["garrote", "garrote_grad"])
def test_garrote_accuracy(name, dt):
    oracle = garrote_exact if name == "garrote" else garrote_grad_exact
    worst = 0.0
    for lam in _thresholds(dt):
        x = _edge_points(dt, lam)
        with strict():
            got = getattr(ufuncs, name)(x, lam)
            assert got.dtype == np.dtype(dt)
            np.testing.assert_array_equal(getattr(shrink, name)(x, lam), got)
        for xi, gi in zip(x, got):
            want = oracle(exact(xi), exact(lam))
            err = ulp_error(gi, want, dt)
            assert err <= ULP_BOUND[dt], f"{name}({xi!r}, {lam!r}) = {gi!r}: {err:.3g} ULP"
            worst = max(worst, err)
    print(f"\n{name} {np.dtype(dt).name}: worst {worst:.3f} ULP")


@pytest.mark.parametrize("dt", REAL, ids=REAL_IDS)
@pytest.mark.parametrize("name", ["firm", "firm_grad"])
def test_firm_accuracy(name, dt):
    oracle = firm_exact if name == "firm" else firm_grad_exact
    dtt = np.dtype(dt).type
    fi = np.finfo(dt)
    pairs = [(dtt(0.5), dtt(1.5)), (dtt(0.25), dtt(0.75)), (dtt(1.0), np.nextafter(dtt(1.0), dtt(2))),
             (dtt(0.0), dtt(2.0)), (fi.smallest_subnormal * dtt(3), fi.smallest_subnormal * dtt(9)),
             (dtt(fi.max / 8), dtt(fi.max / 2)), (dtt(0.1), fi.max)]
    worst = 0.0
    for lo, hi in pairs:
        with np.errstate(over="ignore", invalid="ignore"):
            middle = np.linspace(lo, hi, 101, dtype=dt)
        middle = middle[np.isfinite(middle)]
        x = np.concatenate([_edge_points(dt, lo), _edge_points(dt, hi), middle, -middle])
        with strict():
            got = getattr(ufuncs, name)(x, lo, hi)
            np.testing.assert_array_equal(getattr(shrink, name)(x, lo, hi), got)
        for xi, gi in zip(x, got):
            if not np.isfinite(xi):
                continue
            want = oracle(exact(xi), exact(lo), exact(hi))
            err = ulp_error(gi, want, dt)
            assert err <= ULP_BOUND[dt], f"{name}({xi!r}, {lo!r}, {hi!r}) = {gi!r}: {err:.3g} ULP"
            worst = max(worst, err)
    print(f"\n{name} {np.dtype(dt).name}: worst {worst:.3f} ULP")


def test_firm_float32_correctly_rounded_where_the_band_width_is_not_a_float32():
    """float32 firm's slope lambd_high / (lambd_high - lambd_low) comes from
    the exact difference: where lambd_high - lambd_low is not a float32 value,
    a difference rounded to float32 first is off by up to 2**-24, which puts a
    middle-zone result just below a power of two nearly 1 ULP off (0.99999982
    ULP before this test). With the exact difference the double value is
    within about 2**-52 of the slope before its one rounding, and the result
    within the float32 method's bound (src/firm_f32.h): correctly rounded but
    for results within 2**-21 ULP of a tie, which these points avoid."""
    f32 = np.float32
    pairs = [(np.nextafter(f32(1), f32(0)), f32(16777218.0)),  # 2**24 + 2 - (1 - 2**-24)
             (f32(0.1), f32(3e38)), (f32(1.5), f32(16777218.0)),
             (f32(3e-45), f32(1e-30)), (f32(1e-30), f32(7.0))]
    for lo, hi in pairs:
        # results just below 2**24, where a relative error is worth the most ULPs
        below = f32(16777216) - np.arange(1, 600, dtype=f32)
        x = np.concatenate([np.linspace(lo, hi, 1001, dtype=f32)[1:], below[(below > lo) & (below <= hi)]])
        with strict():
            got, grad = ufuncs.firm(x, lo, hi), ufuncs.firm_grad(x[:1], lo, hi)
        slope = exact(hi) / (exact(hi) - exact(lo))
        for xi, gi in zip(x, got):
            want = firm_exact(exact(xi), exact(lo), exact(hi))
            assert ulp_error(gi, want, np.float32) <= FIRM_F32_BOUND_NORMAL, (xi, lo, hi, gi)
        assert ulp_error(grad[0], slope, np.float32) <= 0.5 + 2.0 ** -20, (lo, hi, grad[0])


@pytest.mark.parametrize("dt", REAL, ids=REAL_IDS)
def test_shrink_is_one_correctly_rounded_operation(dt):
    """x - bias / x + bias outside the band, rounded once (NumPy's own
    subtraction in dt is the reference); +0.0 inside the closed band."""
    dtt = np.dtype(dt).type
    fi = np.finfo(dt)
    x = np.concatenate([_edge_points(dt, 0.5), _edge_points(dt, 1e-3)])
    for lam, bias in [(0.5, 0.25), (0.5, -0.75), (0.5, 0.5), (1e-3, 3.0), (0.5, 0.0),
                      (0.5, fi.smallest_subnormal), (0.5, -fi.max / 4)]:
        lam, bias = dtt(lam), dtt(bias)
        # x - bias may overflow only where the exact result does (bias = -max/4)
        with np.errstate(invalid="raise", divide="raise",
                         over="ignore" if abs(bias) > 4 else "raise"):
            got = ufuncs.shrink(x, lam, bias)
        with np.errstate(over="ignore"):
            want = np.where(x > lam, x - bias, np.where(x < -lam, x + bias, dtt(0)))
        np.testing.assert_array_equal(got, want)
        assert not np.signbit(got[(x >= -lam) & (x <= lam)]).any()


@pytest.mark.parametrize("dt", REAL, ids=REAL_IDS)
def test_same_bits_as_hardshrink_and_softshrink(dt):
    """firm(x, l, l) and shrink(x, l, 0) are hardshrink(x, l); shrink(x, l, l)
    is softshrink(x, l): bit for bit, NaN, inf and signed zeros included."""
    dtt = np.dtype(dt).type
    x = np.concatenate([_edge_points(dt, 0.5), np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dt)])
    for lam in (dtt(0.5), dtt(0.0), dtt(3.0)):
        hard = ufuncs.hardshrink(x, lam)
        for got in (ufuncs.firm(x, lam, lam), ufuncs.shrink(x, lam, dtt(0)),
                    shrink.firm(x, lam, lam), shrink.shrink(x, lam, 0.0)):
            assert got.tobytes() == hard.tobytes() or (
                np.array_equal(got, hard, equal_nan=True)
                and np.array_equal(np.signbit(got), np.signbit(hard)))
        soft = ufuncs.softshrink(x, lam)
        got = ufuncs.shrink(x, lam, lam)
        assert np.array_equal(got, soft, equal_nan=True)
        assert np.array_equal(np.signbit(got), np.signbit(soft))
        for kind in ("_grad", "_backward"):
            g = np.linspace(-3, 3, x.size).astype(dt)
            args = (g, x) if kind == "_backward" else (x,)
            ref = getattr(ufuncs, "hardshrink" + kind)(*args, lam)
            for got in (getattr(ufuncs, "firm" + kind)(*args, lam, lam),
                        getattr(ufuncs, "shrink" + kind)(*args, lam, dtt(0.25))):
                assert np.array_equal(got, ref, equal_nan=True)
                assert np.array_equal(np.signbit(got), np.signbit(ref))


def _params(name, dt=np.float64):
    family = name.split("_")[0]
    return {"garrote": (0.5,), "firm": (0.5, 1.5), "shrink": (0.5, 0.25)}[family]


@pytest.mark.parametrize("dt", REAL, ids=REAL_IDS)
@pytest.mark.parametrize("name", NAMES)
def test_special_values(name, dt):
    """NaN -> NaN, inf -> inf (forward) / 1 (grad), the closed band and -0.0 ->
    +0.0, every zero a grad or backward makes is +0.0 (even for g = inf, NaN
    or -0.0), no FP flag (SPEC §4, §7)."""
    dtt = np.dtype(dt).type
    params = [dtt(p) for p in _params(name)]
    low = params[0]
    x = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, low, -low, 0.25, -0.25], dt)
    backward = name.endswith("_backward")
    gs = [dtt(v) for v in (1.0, -0.0, np.inf, np.nan, -2.0)] if backward else [None]
    for g in gs:
        args = (np.full_like(x, g), x) if backward else (x,)
        with strict():
            for got in (getattr(ufuncs, name)(*args, *params), getattr(shrink, name)(*args, *params)):
                assert np.isnan(got[0])
                band = got[3:]
                assert (band == 0).all() and not np.signbit(band).any(), (name, g, band)
                if name in FAMILIES:
                    assert got[1] == np.inf and got[2] == -np.inf
                elif name.endswith("_grad"):
                    assert got[1] == 1 and got[2] == 1
                elif g is not None and np.isfinite(g):
                    assert got[1] == g + 0 and got[2] == g + 0


@pytest.mark.parametrize("name", NAMES)
def test_same_bits_in_every_position(name):
    """The same input gives the same bits anywhere in an array: contiguous,
    strided, the SIMD body or the tail, an array or a broadcast threshold."""
    rng = np.random.default_rng(7)
    for dt in (np.float32, np.float64):
        x = (rng.standard_normal(1003) * 1.5).astype(dt)
        x[::17] = np.nan
        g = rng.standard_normal(1003).astype(dt)
        args = (g, x) if name.endswith("_backward") else (x,)
        params = _params(name)
        with strict():
            whole = getattr(ufuncs, name)(*args, *params)
            one = np.array([getattr(ufuncs, name)(*(a[i:i + 1] for a in args), *params)[0]
                            for i in range(x.size)], dt)
            strided = getattr(ufuncs, name)(*(np.repeat(a, 2)[::2] for a in args), *params)
            arrays = getattr(ufuncs, name)(*args, *(np.full(x.size, p, dt) for p in params))
        for other in (one, strided, arrays):
            assert np.array_equal(whole, other, equal_nan=True)
            assert np.array_equal(np.signbit(whole), np.signbit(other))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_raw_ufunc_out_of_domain_is_nan(name, dtype):
    # float32 and float16 run their own kernels (src/garrote_f32.h, firm_f32.h);
    # huge, infinite and NaN x included (lanes that skip the arithmetic), and
    # enough elements for the vector loops' bodies, not only their tails
    big = np.finfo(dtype).max
    x = np.tile(np.array([-2.0, -0.5, 0.0, 0.25, 3.0, -big, np.inf, np.nan], dtype), 5)
    args = (np.ones_like(x), x) if name.endswith("_backward") else (x,)
    family = name.split("_")[0]
    bad = {"garrote": [(-0.5,), (np.nan,), (np.inf,)],
           "firm": [(1.5, 0.5), (-0.1, 1.0), (0.1, np.nan), (np.nan, 1.0), (0.1, np.inf)],
           "shrink": [(-0.5, 0.0), (np.nan, 0.0), (0.5, np.nan), (0.5, np.inf), (0.5, -np.inf)]}
    for params in bad[family]:
        with strict():
            got = getattr(ufuncs, name)(*args, *params)
        assert got.dtype == dtype
        assert np.isnan(got).all(), (name, params, got)


@pytest.mark.parametrize("name", NAMES)
def test_types(name):
    u = getattr(ufuncs, name)
    nin = u.nin
    real = [t * nin + "->" + t for t in "efdg"]
    cx = [c + r * (nin - 1) + "->" + c for c, r in zip("FDG", "fdg")]
    assert u.types == (real + cx if name in FAMILIES else real)


@pytest.mark.parametrize("name", NAMES)
def test_bad_parameters_name_function_parameter_and_value(name):
    x = np.array([-2.0, 0.25, 3.0])
    args = (np.ones_like(x), x) if name.endswith("_backward") else (x,)
    f = getattr(shrink, name)
    good = dict(zip(FAMILIES[name.split("_")[0]], _params(name)))
    for param in good:
        signed = param == "bias"
        cases = [(np.nan, ValueError, "nan"), (np.inf, ValueError, "inf"),
                 (True, TypeError, "True"), (1j, TypeError, "1j"), ("0.5", TypeError, "'0.5'"),
                 (None, TypeError, "None"), ([0.1, np.nan, 0.2], ValueError, "nan at index (1,)")]
        if not signed:
            cases.append((-0.5, ValueError, "-0.5"))
        for value, error, shown in cases:
            out = np.full_like(x, 7.0)
            with pytest.raises(error) as e:
                f(*args, **{**good, param: value}, out=out)
            assert str(e.value).startswith(f"{name}: {param} must be"), str(e.value)
            assert shown in str(e.value)
            assert (out == 7.0).all(), "written to out= although a check failed"
    with pytest.raises(ValueError, match="must be finite in the result dtype float32"):
        f(*(a.astype(np.float32) for a in args), **{**good, list(good)[-1]: 1e39})
    if "bias" in good:
        got = f(*args, lambd=0.5, bias=-0.5)  # any finite real
        assert np.isfinite(got).all()


@pytest.mark.parametrize("name", ["firm", "firm_grad", "firm_backward"])
def test_firm_order_names_both(name):
    x = np.array([-2.0, 0.25, 3.0])
    args = (np.ones_like(x), x) if name.endswith("_backward") else (x,)
    out = np.full_like(x, 7.0)
    with pytest.raises(ValueError) as e:
        getattr(shrink, name)(*args, 1.5, 0.5, out=out)
    assert str(e.value) == f"{name}: lambd_low must be <= lambd_high, got lambd_low=1.5 > lambd_high=0.5"
    with pytest.raises(ValueError, match=r"lambd_low=0.9 > lambd_high=0.8 at index \(2,\)"):
        getattr(shrink, name)(*args, [0.1, 0.2, 0.9], 0.8, out=out)
    assert (out == 7.0).all()
    with pytest.raises(TypeError):
        getattr(shrink, name)(*args)  # both thresholds are required
    with pytest.raises(TypeError):
        getattr(shrink, name)(*args, 0.5)


@pytest.mark.parametrize("dt", [np.complex64, np.complex128], ids=["complex64", "complex128"])
@pytest.mark.parametrize("name", list(FAMILIES))
def test_complex(name, dt):
    """SPEC §7 complex formulas, within 4 eps * (abs(z) + abs(bias)), against
    Fractions of the same formulas (|z| from np.abs, as the loops use it)."""
    rng = np.random.default_rng(3)
    z = (rng.standard_normal(400) + 1j * rng.standard_normal(400)).astype(dt) * 2
    z[:4] = [0, 0.5, 0.5j, 1e-3]
    real = np.finfo(dt).dtype.type
    params = [real(p) for p in _params(name)]
    with strict():
        got = getattr(ufuncs, name)(z, *params)
        np.testing.assert_array_equal(getattr(shrink, name)(z, *params), got)
    eps = Fraction(np.finfo(dt).eps.item())
    for zi, gi in zip(z, got):
        a = exact(np.abs(zi))
        ps = [exact(p) for p in params]
        if name == "garrote":
            scale = 0 if a <= ps[0] else 1 - ps[0] ** 2 / a ** 2
        elif name == "firm":
            lo, hi = ps
            scale = 0 if a <= lo else (hi * (a - lo) / (hi - lo) / a if a <= hi else 1)
        else:
            scale = 0 if a <= ps[0] else (a - ps[1]) / a
        for part_got, part in ((gi.real, zi.real), (gi.imag, zi.imag)):
            err = abs(exact(part_got) - exact(part) * scale)
            bias = abs(ps[1]) if name == "shrink" else 0
            assert err <= 4 * eps * (a + bias), (name, zi, gi)


# ---------------------------------------------------------------------------
# Layer objects


def test_layers():
    for layer, call in [(shrink.Garrote(0.25), lambda x: shrink.garrote(x, 0.25)),
                        (shrink.Firm(0.25, 0.75), lambda x: shrink.firm(x, 0.25, 0.75)),
                        (shrink.Shrink(0.5, -0.25), lambda x: shrink.shrink(x, 0.5, -0.25))]:
        x = np.linspace(-2, 2, 17)
        np.testing.assert_array_equal(layer(x), call(x))
        assert eval(repr(layer), vars(shrink)) == layer
        assert pickle.loads(pickle.dumps(layer)) == layer
        assert copy.deepcopy(layer) == layer and hash(copy.copy(layer)) == hash(layer)
    assert repr(shrink.Garrote()) == "Garrote(0.5)"
    assert repr(shrink.Shrink()) == "Shrink(lambd=0.5, bias=0.0)"
    assert repr(shrink.Firm(0.25, 0.75)) == "Firm(lambd_low=0.25, lambd_high=0.75)"
    assert shrink.Shrink(0.5, 0.25) != shrink.Shrink(0.5, 0.0)
    assert shrink.Firm(lambd_high=2, lambd_low=1).lambd_low == 1
    with pytest.raises(AttributeError):
        shrink.Shrink().bias = 1.0
    with pytest.raises(TypeError):
        shrink.Firm()  # no defaults
    with pytest.raises(ValueError, match="^Firm: lambd_low must be <= lambd_high, got "
                                         "lambd_low=1.0 > lambd_high=0.5$"):
        shrink.Firm(1.0, 0.5)
    with pytest.raises(ValueError, match="^Shrink: bias must be finite, got nan$"):
        shrink.Shrink(0.5, float("nan"))
    with pytest.raises(ValueError, match="^Garrote: lambd must be finite and >= 0, got -1$"):
        shrink.Garrote(-1)
    with pytest.raises(TypeError, match=r"^Shrink: bias must be a real number, got an array"):
        shrink.Shrink(0.5, [0.1])


# ---------------------------------------------------------------------------
# Peers: PyWavelets, ONNX's reference evaluator, onnxruntime


def test_parity_pywt_garrote():
    pywt = require("pywt")
    rng = np.random.default_rng(11)
    x = rng.standard_normal(10000) * 2
    for lam in (0.5, 1.0):
        ours = shrink.garrote(x, lam)
        with np.errstate(all="ignore"):
            theirs = pywt.threshold(x, lam, "garrote")
        # pywt computes x * (1 - lambd**2 / x**2): the same value up to its
        # rounding, which grows near the band edge where it cancels
        away = np.abs(x) > 2 * lam
        np.testing.assert_allclose(ours[away], theirs[away], rtol=4e-16, atol=0)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
        assert (ours[np.abs(x) <= lam] == 0).all() and (theirs[np.abs(x) <= lam] == 0).all()


def test_parity_pywt_firm():
    pywt = require("pywt")
    rng = np.random.default_rng(12)
    x = rng.standard_normal(10000) * 2
    for lo, hi in ((0.5, 1.5), (0.25, 0.75)):
        ours = shrink.firm(x, lo, hi)
        with np.errstate(all="ignore"):
            theirs = pywt.threshold_firm(x, lo, hi)
        # pywt computes x * hi * (1 - lo / abs(x)) / (hi - lo): the same value up
        # to its rounding, which grows near lo where 1 - lo/abs(x) cancels; in
        # the band it gives -0.0 for negative x (ours: +0.0)
        away = np.abs(x) > 2 * lo
        np.testing.assert_allclose(ours[away], theirs[away], rtol=1e-15, atol=0)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
        band = np.abs(x) <= lo
        assert (ours[band] == 0).all() and not np.signbit(ours[band]).any()
        assert np.signbit(theirs[band & (x < 0)]).all()


def _onnx_shrink_model(lambd, bias, elem_type):
    onnx = require("onnx")
    from onnx import TensorProto, helper

    node = helper.make_node("Shrink", ["x"], ["y"], lambd=lambd, bias=bias)
    dtype = {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE}[elem_type]
    graph = helper.make_graph([node], "shrink", [helper.make_tensor_value_info("x", dtype, [None])],
                              [helper.make_tensor_value_info("y", dtype, [None])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def _peer_inputs(dt):
    rng = np.random.default_rng(13)
    x = (rng.standard_normal(5000) * 2).astype(dt)
    return np.concatenate([x, np.array([0.5, -0.5, 0.0, -0.0, 1.5, -1.5, np.inf, -np.inf], dt)])


@pytest.mark.parametrize("lambd,bias", [(0.5, 0.25), (0.5, 0.0), (0.5, 0.5), (1.5, -0.75)])
def test_parity_onnx_reference(lambd, bias):
    require("onnx")
    from onnx.reference import ReferenceEvaluator

    for dt in (np.float32, np.float64):
        x = _peer_inputs(dt)
        theirs = ReferenceEvaluator(_onnx_shrink_model(lambd, bias, dt)).run(None, {"x": x})[0]
        ours = shrink.shrink(x, lambd, bias)
        assert ours.dtype == theirs.dtype == dt
        # values bit for bit; ONNX's reference gives 0 of the sign it selects
        assert np.array_equal(ours, theirs) and not np.signbit(ours[ours == 0]).any()


@pytest.mark.parametrize("lambd,bias", [(0.5, 0.25), (0.5, 0.0), (0.5, 0.5), (1.5, -0.75)])
def test_parity_onnxruntime(lambd, bias):
    ort = require("onnxruntime")
    model = _onnx_shrink_model(lambd, bias, np.float32)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = _peer_inputs(np.float32)
    theirs = session.run(None, {"x": x})[0]
    ours = shrink.shrink(x, lambd, bias)
    assert np.array_equal(ours, theirs)


@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
def test_pywt_hard_is_hardshrink_one_step_below(dt):
    """README "Coming from PyWavelets": pywt's open band is hardshrink with
    the threshold one step below v in x's dtype (a float64 nextafter would
    round back to v in float32), bit for bit up to the sign of zero."""
    pywt = require("pywt")
    v = 0.1
    x = np.concatenate([_edge_points(dt, dt(v)), np.linspace(-1, 1, 2001, dtype=dt)])
    theirs = pywt.threshold(x, v, "hard")
    ours = shrink.hardshrink(x, np.nextafter(np.asarray(v, x.dtype), 0))
    assert np.array_equal(ours, theirs)
    assert (theirs[np.abs(x) == dt(v)] != 0).all()  # pywt keeps abs(x) == v
    if dt is np.float32:  # a float64 nextafter, as a Python float, rounds back to v
        assert not np.array_equal(shrink.hardshrink(x, float(np.nextafter(v, 0))), theirs)


# ---------------------------------------------------------------------------
# The machinery every function shares, on the §7 functions: keywords, pickle,
# containers (dask), scipy.sparse with every threshold an array.


def _operands(name, x, g):
    return (g, x) if name.endswith("_backward") else (x,)


@pytest.mark.parametrize("name", NAMES)
def test_keywords_and_pickle(name):
    x = np.linspace(-3, 3, 13)
    g = np.linspace(1, 2, 13)
    params = _params(name)
    want = getattr(ufuncs, name)(*_operands(name, x, g), *params)
    out = np.empty_like(x)
    got = getattr(shrink, name)(*_operands(name, x, g), *params, out=out)
    assert got is out and np.array_equal(out, want)
    mask = x > 0
    out = np.full_like(x, 7.0)
    getattr(shrink, name)(*_operands(name, x, g), *params, out=out, where=mask)
    assert np.array_equal(out[mask], want[mask]) and (out[~mask] == 7.0).all()
    got = getattr(shrink, name)(*_operands(name, x, g), *params, dtype=np.float32)
    assert got.dtype == np.float32
    for obj in (getattr(shrink, name), getattr(ufuncs, name)):
        assert pickle.loads(pickle.dumps(obj)) is obj


@pytest.mark.parametrize("name", NAMES)
def test_dask_receives_the_call(name):
    da = require("dask.array")
    x = np.linspace(-3, 3, 12)
    g = np.linspace(1, 2, 12)
    params = _params(name)
    lazy = getattr(shrink, name)(*(da.from_array(a, chunks=5) for a in _operands(name, x, g)),
                                 *params)
    assert isinstance(lazy, da.Array)
    np.testing.assert_array_equal(lazy.compute(),
                                  getattr(ufuncs, name)(*_operands(name, x, g), *params))


@pytest.mark.parametrize("name", NAMES)
def test_scipy_sparse_with_array_thresholds(name):
    sparse = require("scipy.sparse")
    dense = np.array([[0.0, -2.0, 0.0, 0.7], [1.2, 0.0, 0.0, -0.3]])
    x = sparse.csr_array(dense)
    g = sparse.csr_array(np.where(dense != 0, 2.0, 0.0))
    params = [np.full((1, 4), p) * [1.0, 1.1, 1.2, 1.3] for p in _params(name)]
    got = getattr(shrink, name)(*_operands(name, x, g), *params)
    assert sparse.issparse(got) and got.format == "csr"
    want = getattr(ufuncs, name)(*_operands(name, dense, np.where(dense != 0, 2.0, 0.0)),
                                 *(np.broadcast_to(p, dense.shape) for p in params))
    np.testing.assert_array_equal(got.toarray(), want)


# ---------------------------------------------------------------------------
# float32 garrote kernels computed in float32 with FMA (src/garrote_f32.h): a
# dense sweep over the method's weak points, against float64 references. For
# float32 operands (x - lambd)(1 + lambd/x) and 1 + (lambd/x)**2 in float64 are
# within 2**-51 relative of the exact value, i.e. 2**-27 float32 ULP, so with
# the slack REF_SLACK the test holds the method's bounds (tighter than SPEC's
# 1 ULP) and tells them from a result that breaks them: garrote within 5/6 ULP
# (0.5 for the rounding, below 1/3 before it), 2/3 ULP where the result is
# subnormal; the slope within 1 - 3 * 2**-27 ULP (0.5 for the rounding, below
# 0.5 before it); the backward within SPEC's 1 ULP of g*G plus abs(g) times the
# slope's bound. The proofs are in the header.
GARROTE_F32_BOUND = {"normal": 5 / 6, "subnormal": 2 / 3, "grad": 1 - 3 * 2.0 ** -27}
REF_SLACK = 2.0 ** -26


def _f32_weak_points(rng, n):
    f32 = np.float32
    lam = (2.0 ** rng.uniform(-20, 20, n)).astype(f32)
    k = rng.integers(1, 200, n).astype(f32)
    eps = f32(2.0 ** -23)
    xs = [
        lam * (1 + k * eps),                               # x just above lambd (u near 1)
        lam * (2 + (k - 100) * eps),                       # |x| near 2 lambd (u near 0.5)
        lam * f32(1.0) / (f32(0.5) + rng.random(n).astype(f32) * f32(0.5)),  # u in (0.5, 1)
        lam * (2.0 ** rng.uniform(0, 40, n)).astype(f32),  # u down to and past the 2**-30 cut
    ]
    lams = [lam] * 4
    # random exponents over the whole range, lambd at random ratios below x
    x = rng.integers(1, 0x7F7FFFFF, n, dtype=np.uint32).view(f32)
    with np.errstate(under="ignore"):
        r = (2.0 ** -rng.uniform(0, 36, n)).astype(f32)
        xs.append(x)
        lams.append(np.minimum(x, (x.astype(np.float64) * r).astype(f32)))
    # huge x near FLT_MAX with huge and small lambd; subnormal x and lambd
    big = rng.integers(0x7F000000, 0x7F7FFFFF, n, dtype=np.uint32).view(f32)
    xs.append(big)
    lams.append((big.astype(np.float64) * rng.random(n)).astype(f32))
    sub = rng.integers(1, 1 << 24, n, dtype=np.uint32)
    xs.append(sub.view(f32))
    lams.append((sub // rng.integers(1, 1000, n, dtype=np.uint32)).view(f32))
    # the floats next to lambd (u just below 1: the slope's weak point) and on
    # both sides of 2 lambd, where the magnitude's formula changes
    lam = (2.0 ** rng.uniform(-20, 20, n)).astype(f32)
    step = rng.integers(1, 65, n)
    xs.append((lam.view(np.uint32) + step.astype(np.uint32)).view(f32))
    lams.append(lam)
    two = (lam * f32(2)).view(np.uint32).astype(np.int64)
    xs.append((two + rng.integers(-64, 65, n)).astype(np.uint32).view(f32))
    lams.append(lam)
    x = np.concatenate(xs)
    lam = np.concatenate(lams)
    sign = np.where(rng.random(x.size) < 0.5, f32(-1), f32(1))
    return (x * sign).astype(f32), lam.astype(f32)


def _f32_ulp(ref):
    """float32 ULP at each float64 reference value (subnormal range included)."""
    _, e = np.frexp(np.abs(ref))
    return np.ldexp(1.0, np.maximum(e - 24, -149))


def test_garrote_float32_weak_points():
    rng = np.random.default_rng(20261201)
    x, lam = _f32_weak_points(rng, 40_000)
    g = rng.choice(np.array([1.0, -3.0, 1e30, 1e-30, 0.7], np.float32), x.size)
    X, L, G = x.astype(np.float64), lam.astype(np.float64), g.astype(np.float64)
    out = np.abs(X) > L
    q = L / np.abs(X)
    want = {"garrote": np.where(out, np.sign(X) * (np.abs(X) - L) * (1 + q), 0.0),
            "garrote_grad": np.where(out, 1 + q * q, 0.0)}
    want["garrote_backward"] = G * want["garrote_grad"]
    normal = np.abs(want["garrote"]) >= np.finfo(np.float32).tiny
    for name in ("garrote", "garrote_grad", "garrote_backward"):
        args = (g, x, lam) if name.endswith("backward") else (x, lam)
        with np.errstate(invalid="raise", divide="raise", over="raise"):
            y = getattr(ufuncs, name)(*args)
        with np.errstate(all="raise"):  # and no underflow where nothing underflows
            sel = normal & (np.abs(want["garrote_backward"]) >= np.finfo(np.float32).tiny)
            getattr(ufuncs, name)(*(a[sel] for a in args))
        assert y.dtype == np.float32
        err = np.abs(y.astype(np.float64) - want[name]) / _f32_ulp(want[name])
        if name == "garrote_backward":
            # SPEC §7: 1 ULP of g*G plus abs(g) times the gradient's bound
            bound = 1 + (np.abs(G) * GARROTE_F32_BOUND["grad"] * _f32_ulp(want["garrote_grad"])
                         / _f32_ulp(want[name]))
        elif name == "garrote_grad":
            bound = np.full(x.size, GARROTE_F32_BOUND["grad"])
        else:
            bound = np.where(normal, GARROTE_F32_BOUND["normal"], GARROTE_F32_BOUND["subnormal"])
        bound = bound + REF_SLACK
        worst = int(np.argmax(err - bound))
        assert err[worst] <= bound[worst], (
            f"{name}({x[worst]!r}, {lam[worst]!r}) = {y[worst]!r}: {err[worst]:.6f} ULP")
        print(f"\n{name} float32 weak points: worst {err[normal].max():.6f} ULP (normal "
              f"garrote results), {err[~normal].max():.6f} (subnormal) over {x.size} points")


# ---------------------------------------------------------------------------
# float32 firm computed in float32 with FMA (src/firm_f32.h): the slope split in
# two floats, Fast2Sum of |x| - lambd_low, two FMAs, and a scale of 2**100 for
# lambd_high < 2**8. A sweep over the method's weak points against long double
# references (hi * (a - lo) / (hi - lo) with a 64-bit significand: within
# 2**-60 relative, 2**-36 float32 ULP), with the bound proved in the header:
# 0.5 + 2**-21 ULP for normal results (tighter than SPEC's 1 ULP: it tells a
# correctly rounded result from one that lost a correction term), 0.75 + 2**-22
# for subnormal ones (rounded twice where lambd_high < 2**8: scaled, then to the
# subnormal).
FIRM_F32_BOUND_NORMAL = 0.5 + 2.0 ** -21
FIRM_F32_BOUND_SUBNORMAL = 0.75 + 2.0 ** -22


def _f32_grid(lo, hi, frac):
    """The float32 at the fraction frac of the float32 values from lo to hi
    (non-negative), in (lo, hi]."""
    ilo = np.asarray(lo, np.float32).view(np.uint32).astype(np.int64)
    ihi = np.asarray(hi, np.float32).view(np.uint32).astype(np.int64)
    return np.maximum(ilo + 1, ilo + np.ceil((ihi - ilo) * frac)).astype(np.uint32).view(np.float32)


def _firm_f32_weak_points(rng, n):
    """(x, lambd_low, lambd_high) float32 triples with x in the middle zone."""
    f32, u32 = np.float32, np.uint32
    grid = _f32_grid
    def expo(a, b, size=n):
        return (2.0 ** rng.uniform(a, b, size)).astype(f32)

    k = rng.integers(1, 300, n)
    los, his, fracs = [], [], []
    lo = expo(-30, 30)
    # slope up to 2**23: a middle zone a few ULP wide
    los.append(lo), his.append(grid(lo, lo * f32(2), k / 2.0**23)), fracs.append(rng.random(n))
    # slopes near 1..8, d just above lambd_low, results just below lambd_high
    hi = (lo * rng.uniform(1.01, 8, n)).astype(f32)
    for frac in (rng.random(n), k / 2.0**30, 1 - k / 2.0**30):
        los.append(lo), his.append(hi), fracs.append(frac)
    # lambd_low tiny against lambd_high (slope within 2**-24 of 1, or exactly 1)
    hi = expo(-20, 20)
    los.append((hi * expo(-60, 0)).astype(f32)), his.append(hi), fracs.append(rng.random(n))
    los.append(np.zeros(n, f32)), his.append(hi), fracs.append(rng.random(n))
    # subnormal and tiny thresholds (subnormal results, rounded twice); d tiny
    tiny = rng.integers(1, 1 << 25, (2, n), dtype=u32).view(f32)
    los.append(tiny.min(axis=0)), his.append(tiny.max(axis=0) * f32(2)), fracs.append(rng.random(n))
    lo = expo(-64, -40)
    hi = (lo * rng.uniform(1.5, 4, n)).astype(f32)
    d = expo(-56, -44)
    los.append(lo), his.append(hi)
    fracs.append((d.astype(np.float64) / (hi.astype(np.float64) - lo)).clip(0, 1))
    # lambd_high on both sides of 2**8 (the scale switch), from a few ULP below
    # to a few above, with any slope and d down to one ULP of lambd_low
    hi = (f32(256) * (1 + rng.integers(-40, 40, n) * f32(2.0 ** -24))).astype(f32)
    lo = (hi * expo(-56, 0)).astype(f32)
    for frac in (rng.random(n), k / 2.0**40):
        los.append(lo), his.append(hi), fracs.append(frac)
    # slope just above 1 (lambd_low / lambd_high from 2**-56 to 2**-40: the
    # low part of the slope from 0 to 2**-40, around the smallest nonzero
    # 2**-52, where the double hc - lc starts to differ from hc), either scale
    hi = expo(-30, 60)
    lo = (hi * expo(-56, -40)).astype(f32)
    # d = j ULPs of lambd_low, j up to 2**22 (d * low part then has many bits)
    j = rng.integers(1, 1 << 22, n) / (hi.view(u32).astype(np.int64) - lo.view(u32))
    for frac in (rng.random(n), k / 2.0**60, j):
        los.append(lo), his.append(hi), fracs.append(frac)
    # lambd_high near FLT_MAX, with slopes above 1 and exactly 1
    hi = rng.integers(0x7F7FFF00, 0x7F800000, n, dtype=u32).view(f32)
    for lo in ((hi * rng.uniform(2.0**-23, 0.9, n)).astype(f32), (hi * expo(-60, -24)).astype(f32)):
        for frac in (rng.random(n), 1 - k / 2.0**26, np.ones(n)):
            los.append(lo), his.append(hi), fracs.append(frac)
    # random exponents over the whole range
    bits = np.sort(rng.integers(1, 0x7F800000, (2, n), dtype=u32), axis=0)
    los.append(bits[0].view(f32)), his.append(bits[1].view(f32)), fracs.append(rng.random(n))
    lo, hi = np.concatenate(los), np.concatenate(his)
    keep = lo < hi
    lo, hi = lo[keep], hi[keep]
    x = grid(lo, hi, np.concatenate(fracs)[keep])
    # |x| near 2 lambd_low, where |x| - lambd_low stops being exact (Sterbenz
    # below, Fast2Sum's error term above), slopes near 2 and above
    lo2 = expo(-40, 40)
    hi2 = (lo2 * rng.uniform(2.0, 6, n)).astype(f32)
    x2 = (lo2 * f32(2)).view(u32).astype(np.int64) + rng.integers(-300, 300, n)
    x2 = np.minimum(x2, hi2.view(u32)).astype(u32).view(f32)
    x, lo, hi = np.concatenate([x, x2]), np.concatenate([lo, lo2]), np.concatenate([hi, hi2])
    sign = np.where(rng.random(x.size) < 0.5, np.float32(-1), np.float32(1))
    return x * sign, lo, hi


def test_firm_float32_empty_middle_zone_is_hardshrink():
    """lambd_low == lambd_high: hardshrink's bits, at thresholds where the
    float32 method changes (the 2**8 scale switch, subnormal, FLT_MAX), with
    no FP flag at all."""
    f32 = np.float32
    fi = np.finfo(f32)
    for lam in (f32(0), fi.smallest_subnormal, fi.tiny, np.nextafter(f32(256), f32(0)), f32(256),
                f32(2.0 ** 100), fi.max):
        with np.errstate(over="ignore"):  # FLT_MAX's next is inf
            near = np.nextafter(np.repeat(lam, 3), np.array([0, np.inf, np.inf], f32))
            x = np.concatenate([[lam, 0, fi.max, np.inf, np.nan, fi.smallest_subnormal], near,
                                np.nextafter(near, f32(np.inf))]).astype(f32)
        x = np.concatenate([x, -x])
        with np.errstate(all="raise"):
            got = ufuncs.firm(x, lam, lam)
        assert got.tobytes() == ufuncs.hardshrink(x, lam).tobytes(), lam


def test_firm_float32_weak_points():
    rng = np.random.default_rng(20261201)
    x, lo, hi = _firm_f32_weak_points(rng, 3000)
    X, L, H = (v.astype(np.longdouble) for v in (x, lo, hi))
    want = np.sign(X) * (H * (np.abs(X) - L) / (H - L))
    with np.errstate(invalid="raise", divide="raise", over="raise"):
        y = ufuncs.firm(x, lo, hi)
    assert y.dtype == np.float32
    normal = np.abs(want) >= np.finfo(np.float32).tiny
    with np.errstate(all="raise"):  # and no underflow where the result is normal
        ufuncs.firm(x[normal], lo[normal], hi[normal])
    err = np.abs(y.astype(np.longdouble) - want) / _f32_ulp(want)
    bound = np.where(normal, FIRM_F32_BOUND_NORMAL, FIRM_F32_BOUND_SUBNORMAL)
    worst = int(np.argmax(err - bound))
    assert err[worst] <= bound[worst], (
        f"firm({x[worst]!r}, {lo[worst]!r}, {hi[worst]!r}) = {y[worst]!r}: {err[worst]:.6f} ULP")
    print(f"\nfirm float32 weak points: worst {err[normal].max():.6f} ULP (normal results), "
          f"{err.max():.6f} (all) over {x.size} points")
    # broadcast thresholds (the vectorized loops: SIMD body and tail) give the
    # same bits as thresholds read per element; band and beyond lanes included
    for i in rng.choice(x.size, 60, replace=False):
        xs = np.concatenate([x[i:i + 1], _f32_grid(lo[i], hi[i], rng.random(45)),
                             lo[i:i + 1], hi[i:i + 1], np.nextafter(hi[i:i + 1], np.float32(np.inf))])
        xs = np.where(rng.random(xs.size) < 0.5, xs, -xs)
        with np.errstate(invalid="raise", divide="raise", over="raise"):
            got = ufuncs.firm(xs, lo[i], hi[i])
            each = ufuncs.firm(xs, np.full_like(xs, lo[i]), np.full_like(xs, hi[i]))
        np.testing.assert_array_equal(got, each)
        np.testing.assert_array_equal(got[-3:], [0, xs[-2], xs[-1]])
        assert not np.signbit(got[-3])
        # band and beyond lanes compute and discard: no flag at all, underflow included
        f32 = np.float32
        out = np.array([0, lo[i], np.finfo(f32).smallest_subnormal, np.nextafter(hi[i], f32(np.inf)),
                        np.finfo(f32).max, np.inf, np.nan], f32)
        out = np.tile(out[(np.abs(out) <= lo[i]) | ~(np.abs(out) <= hi[i])], 5)
        out = np.where(np.arange(out.size) % 2 == 0, out, -out)
        with np.errstate(all="raise"):
            got = ufuncs.firm(out, lo[i], hi[i])
        np.testing.assert_array_equal(got, np.where(np.abs(out) <= lo[i], f32(0), out))

"""SPEC §2: λ (`lambd`), checked by the Python layer; unchecked in the raw ufuncs.

SPEC §7 applies the same rules to every threshold parameter (lambd_low,
lambd_high, bias: any finite real): the checks run for each parameter of each
function in shrink._table, the others valid."""

import inspect
import re

import numpy as np
import pytest

import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import (
    FAMILIES, FUNCS, KINDS, LAMBD_NAMES, NAME_PARAMS, NOLAMBD_NAMES, REAL_DTYPES, REAL_IDS, args_for,
    assert_same_bits, bad_only_if_unsigned, is_signed, param_values, requirement, with_param,
    g_pool, pyfunc, quiet_fp, assert_matches_reference, strict_fp, ufunc, value_pool,
)

X4 = [-3.0, -0.5, 0.25, 2.0]


def _x(dt, vals=X4):
    return np.array(vals, dtype=dt)


def _g(n, dt=np.float64):
    return np.linspace(-2.0, 3.0, n).astype(dt)


# --------------------------------------------------------------------------
# Signatures and defaults (§1)


# SPEC §1, §7: lambd defaults to 0.5 and bias to 0.0; firm's thresholds have none
SPEC_DEFAULTS = {"lambd": 0.5, "bias": 0.0, "lambd_low": inspect.Parameter.empty,
                 "lambd_high": inspect.Parameter.empty}


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_signature_default_lambd(name):
    sig = inspect.signature(pyfunc(name))
    params = list(sig.parameters.values())
    first = ["grad_output", "x"] if FUNCS[name].kind == "backward" else ["x"]
    names = FUNCS[name].param_names
    assert [p.name for p in params[: len(first) + len(names)]] == first + list(names)
    for param in names:
        assert sig.parameters[param].default == SPEC_DEFAULTS[param], param
    for kw, default in [("out", None), ("where", True), ("casting", "same_kind"),
                        ("order", "K"), ("dtype", None), ("subok", True)]:
        p = sig.parameters[kw]
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, kw
        assert p.default == default, kw


@pytest.mark.parametrize("name", [n for n in LAMBD_NAMES if all(
    SPEC_DEFAULTS[p] is not inspect.Parameter.empty for p in FUNCS[n].param_names)])
@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
def test_default_lambd_is_half(name, dt):
    x = value_pool(dt, 0.5)
    a = args_for(name, x, g=np.ones_like(x))[:FUNCS[name].nin - len(FUNCS[name].params)]
    got = pyfunc(name)(*a)
    defaults = [SPEC_DEFAULTS[p] for p in FUNCS[name].param_names]
    assert_matches_reference(got, name, x, g=np.ones_like(x), dtype=dt, msg=name, params=defaults)


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_lambd_by_keyword(name):
    x = _x(np.float64)
    kw = {"x": x, **dict(zip(FUNCS[name].param_names, param_values(name, 1.0)))}
    if FUNCS[name].kind == "backward":
        kw["grad_output"] = np.full(4, 2.0)
    got = pyfunc(name)(**kw)
    assert_matches_reference(got, name, x, 1.0, kw.get("grad_output"), np.float64, msg=name)


# --------------------------------------------------------------------------
# Accepted λ


ACCEPTED = [
    pytest.param(0, id="int0"),
    pytest.param(1, id="int1"),
    pytest.param(0.5, id="float"),
    pytest.param(0.0, id="zero"),
    pytest.param(-0.0, id="minus_zero"),
    pytest.param(np.float16(0.5), id="np.float16"),
    pytest.param(np.float32(0.25), id="np.float32"),
    pytest.param(np.float64(0.5), id="np.float64"),
    pytest.param(np.longdouble(0.5), id="np.longdouble"),
    pytest.param(np.int8(1), id="np.int8"),
    pytest.param(np.uint8(2), id="np.uint8"),
    pytest.param(np.int64(1), id="np.int64"),
    pytest.param(np.array(0.5), id="0d-array"),
    pytest.param(np.array(0.25, np.float32), id="0d-float32-array"),
    pytest.param(np.array([0.1, 0.5, 1.0, 2.0]), id="per-element"),
    pytest.param([0.1, 0.5, 1.0, 3.0], id="list"),
    pytest.param(np.array([[0.5], [3.0]]), id="broadcast-2d"),
    pytest.param(np.array([1, 2, 0, 3]), id="int-array"),
    pytest.param(np.array([0.5, 1.0, 2.0, 3.0], np.float32)[::-1], id="reversed-f32"),
]


@pytest.mark.parametrize("name", LAMBD_NAMES)
@pytest.mark.parametrize("lam", ACCEPTED)
@pytest.mark.parametrize("dt", [np.float32, np.float64], ids=["float32", "float64"])
def test_accepted_lambd(name, lam, dt):
    x = _x(dt)
    g = _g(4, dt)
    got = pyfunc(name)(*args_for(name, x, lam, g))
    # same operand through the raw ufunc: same dtype (NEP 50) and same bits
    raw = ufunc(name)(*args_for(name, x, lam, g))
    assert_same_bits(got, raw, name)
    # and the value the contract defines
    expected_dt = np.arctan2(x, lam).dtype
    assert np.asarray(got).dtype == expected_dt
    assert_matches_reference(got, name, x, lam, g, expected_dt, msg=name)


@pytest.mark.parametrize("name", LAMBD_NAMES)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_minus_zero_lambd_is_zero(name, dt):
    x = value_pool(dt, 0.0)
    g = np.full(x.shape, -1.5, dt)
    a = pyfunc(name)(*args_for(name, x, -0.0, g))
    b = pyfunc(name)(*args_for(name, x, 0.0, g))
    assert_same_bits(a, b, name)
    assert_matches_reference(a, name, x, 0.0, g, dt, msg=name)


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_largest_finite_lambd_accepted(name):
    for dt in REAL_DTYPES:
        m = np.finfo(dt).max
        x = value_pool(dt)
        got = pyfunc(name)(*args_for(name, x, m, np.ones_like(x)))
        assert_matches_reference(got, name, x, m, np.ones_like(x), dt, msg=f"{name} {dt}")
    # float16's max as a Python float
    x = value_pool(np.float16)
    got = pyfunc(name)(*args_for(name, x, 65504.0, np.ones_like(x)))
    assert np.asarray(got).dtype == np.float16


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_large_lambd_fine_when_result_dtype_is_wider(name):
    # 1e39 is finite in float64: float64 x, or a strong float64 λ with float32 x.
    x64 = _x(np.float64)
    got = pyfunc(name)(*args_for(name, x64, 1e39, np.ones(4)))
    assert_matches_reference(got, name, x64, 1e39, np.ones(4), np.float64, msg=name)
    x32 = _x(np.float32)
    got = pyfunc(name)(*args_for(name, x32, np.float64(1e39), np.ones(4, np.float32)))
    assert np.asarray(got).dtype == np.float64


# --------------------------------------------------------------------------
# Rejected λ: TypeError


BAD_TYPES = [
    pytest.param(True, id="True"),
    pytest.param(False, id="False"),
    pytest.param(np.bool_(True), id="np.bool_"),
    pytest.param(0.5 + 0j, id="complex"),
    pytest.param(1j, id="imag"),
    pytest.param(np.complex128(0.5), id="np.complex128"),
    pytest.param(np.complex64(0.5), id="np.complex64"),
    pytest.param("0.5", id="str"),
    pytest.param(None, id="None"),
    pytest.param(np.array(0.5, dtype=object), id="0d-object-array"),
    pytest.param(np.array([0.5, 1.0, 1.0, 1.0], dtype=object), id="object-array"),
    pytest.param([0.5, None, 1.0, 1.0], id="list-with-None"),
    pytest.param(np.array([True, False, True, True]), id="bool-array"),
    pytest.param(np.array(True), id="0d-bool-array"),
    pytest.param(np.array([0.5 + 0j, 1, 1, 1]), id="complex-array"),
    pytest.param(np.array(["0.5", "1", "1", "1"]), id="str-array"),
    pytest.param(np.array(0.5, np.clongdouble), id="0d-clongdouble"),
]


def _check_type_message(excinfo, name, param="lambd"):
    msg = str(excinfo.value)
    assert re.search(rf"\b{name}\b", msg), msg
    assert re.search(rf"\b{param}\b", msg), msg


@pytest.mark.parametrize("name,param", NAME_PARAMS)
@pytest.mark.parametrize("bad", BAD_TYPES)
def test_rejected_lambd_type(name, param, bad):
    x = _x(np.float64)
    out = np.full(4, 7.0)
    with pytest.raises(TypeError) as excinfo:
        pyfunc(name)(*args_for(name, x, g=np.ones(4), params=with_param(name, param, bad)), out=out)
    _check_type_message(excinfo, name, param)
    assert np.all(out == 7.0), "out= was written although the check failed"


# --------------------------------------------------------------------------
# Rejected λ: ValueError, message format


def _msg(name, shown, param="lambd"):
    return "^" + re.escape(f"{name}: {param} must be {requirement(name, param)}, got ") + shown


BAD_VALUES = [
    pytest.param(-0.5, re.escape("-0.5") + "$", id="-0.5"),
    pytest.param(-1, r"-1$", id="int-1"),
    pytest.param(float("nan"), "nan$", id="nan"),
    pytest.param(float("inf"), "inf$", id="inf"),
    pytest.param(float("-inf"), "-inf$", id="-inf"),
    pytest.param(-5e-324, re.escape("-5e-324") + "$", id="-subnormal"),
    pytest.param(-1e300, re.escape("-1e+300") + "$", id="-1e300"),
    pytest.param(np.float64(-0.5), r"(np\.float64\()?-0\.5\)?$", id="np.float64"),
    pytest.param(np.float32(-0.5), r"(np\.float32\()?-0\.5\)?$", id="np.float32"),
    pytest.param(np.float32("nan"), r"(np\.float32\()?nan\)?$", id="np.float32-nan"),
    pytest.param(np.int64(-3), r"(np\.int64\()?-3(\.0)?\)?$", id="np.int64"),
    pytest.param(np.array(-0.5), r"-0\.5", id="0d-array"),
    pytest.param(np.array([[0.5, 1.0], [2.0, np.nan]]), re.escape("nan at index (1, 1)") + "$",
                 id="2d-array-nan"),
    pytest.param(np.array([[0.5, 1.0], [-2.0, 1.0]]), re.escape("-2.0 at index (1, 0)") + "$",
                 id="2d-array-neg"),
    pytest.param(np.array([[0.5, np.inf], [1.0, 1.0]]), re.escape("inf at index (0, 1)") + "$",
                 id="2d-array-inf"),
    pytest.param(np.array([0.5, 1.0, -1.0, 2.0]), r"-1(\.0)? at index \(?2,?\)?$", id="1d-array"),
    pytest.param([0.5, float("nan"), 1.0, 1.0], r"nan at index \(?1,?\)?$", id="list"),
]


def _bad_for(cases):
    """(name, param, *case): a signed parameter (bias) takes any finite real, so
    its cases leave the negative finite values out."""
    return [pytest.param(n, q, *c.values, id=f"{n}-{q}-{c.id}") for n, q in NAME_PARAMS
            for c in cases if not (is_signed(n, q) and bad_only_if_unsigned(c.values[0]))]


@pytest.mark.parametrize("name,param,bad,shown", _bad_for(BAD_VALUES))
def test_rejected_lambd_value(name, param, bad, shown):
    x = np.ones((2, 2)) if np.ndim(bad) == 2 else _x(np.float64)
    g = np.ones(x.shape)
    out = np.full(x.shape, 7.0)
    with pytest.raises(ValueError, match=_msg(name, shown, param)):
        pyfunc(name)(*args_for(name, x, g=g, params=with_param(name, param, bad)), out=out)
    assert np.all(out == 7.0), "out= was written although the check failed"


@pytest.mark.parametrize("name", [n for n in LAMBD_NAMES if "lambd" in FUNCS[n].param_names])
def test_rejected_lambd_exact_example(name):
    # the two literal examples of SPEC §2
    with pytest.raises(ValueError) as e:
        pyfunc(name)(*args_for(name, np.ones(3), g=np.ones(3), params=with_param(name, "lambd", -0.5)))
    assert str(e.value) == f"{name}: lambd must be finite and >= 0, got -0.5"
    lam = np.ones((2, 2))
    lam[1, 1] = np.nan
    with pytest.raises(ValueError) as e:
        pyfunc(name)(*args_for(name, np.ones((2, 2)), g=np.ones((2, 2)),
                                params=with_param(name, "lambd", lam)))
    assert str(e.value) == f"{name}: lambd must be finite and >= 0, got nan at index (1, 1)"


NOT_FINITE_IN_RESULT = [
    pytest.param(np.float32, 1e39, {}, id="float32-1e39"),
    pytest.param(np.float32, 10**39, {}, id="float32-int-10**39"),
    pytest.param(np.float32, float(np.finfo(np.float64).max), {}, id="float32-f64max"),
    pytest.param(np.float16, 70000.0, {}, id="float16-70000"),
    pytest.param(np.float16, 70000, {}, id="float16-int-70000"),
    pytest.param(np.float16, 65520.0, {}, id="float16-65520-rounds-to-inf"),
    pytest.param(np.float16, np.array([1.0, 7e4, 1.0, 1.0], np.float64), {"dtype": np.float16},
                 id="float64-array-dtype=float16"),
    pytest.param(np.float64, 70000.0, {"dtype": np.float16}, id="dtype=float16"),
    pytest.param(np.complex64, 1e39, {}, id="complex64-1e39"),
    # int8 / uint8 x compute in float16 (as np.arctan2(x, 100000) does): not finite there
    pytest.param(np.int8, 100000, {}, id="int8-int-100000"),
    pytest.param(np.uint8, 70000, {}, id="uint8-int-70000"),
    pytest.param(np.int8, 70000.0, {"dtype": np.float16}, id="int8-dtype=float16"),
]


@pytest.mark.parametrize("name,param,dt,bad,kw", [
    pytest.param(n, q, *p.values, id=f"{n}-{q}-{p.id}") for n, q in NAME_PARAMS
    for p in NOT_FINITE_IN_RESULT
    if FUNCS[n].kind == "forward" or not np.issubdtype(p.values[0], np.complexfloating)])
def test_lambd_not_finite_in_result_dtype(name, param, dt, bad, kw):
    x = np.array([3, 0, 1, 2], dt) if np.issubdtype(dt, np.integer) else _x(dt)
    g = np.ones(4, dt)
    if np.issubdtype(dt, np.integer) and not kw:
        # the premise: NumPy itself computes in float16 here
        assert np.arctan2(x, 1).dtype == np.float16
    with pytest.raises(ValueError) as excinfo:
        with strict_fp():  # a ValueError, not an overflow warning/FloatingPointError from a cast
            # the other parameters of bad's kind (ints with an int), so that
            # they do not change the result dtype
            others = 0 if isinstance(bad, int) else 0.0
            pyfunc(name)(*args_for(name, x, g=g, params=with_param(name, param, bad, others)), **kw)
    msg = str(excinfo.value)
    assert msg.startswith(f"{name}: {param} must be"), msg


@pytest.mark.parametrize("name,param,bad", _bad_for([
    pytest.param(v, id=repr(v)) for v in (-0.5, float("nan"), float("inf"), np.array([0.5, -1.0, 1.0, 1.0]),
                                          np.array([0.5, np.nan, 1.0, 1.0]), "x", None, True, 1j)]))
def test_nothing_written_with_where(name, param, bad):
    x = _x(np.float32)
    out = np.full(4, 7.0, np.float32)
    where = np.array([True, False, True, True])
    with pytest.raises((ValueError, TypeError)):
        pyfunc(name)(*args_for(name, x, g=np.ones(4, np.float32), params=with_param(name, param, bad)),
                     out=out, where=where)
    assert np.all(out == 7.0)


@pytest.mark.parametrize("name,param", NAME_PARAMS)
def test_rejected_value_in_place(name, param):
    # out=x with a bad parameter leaves x alone
    x = _x(np.float64)
    keep = x.copy()
    with pytest.raises(ValueError):
        pyfunc(name)(*args_for(name, x, g=np.ones(4), params=with_param(name, param, np.nan)), out=x)
    assert_same_bits(x, keep)


# --------------------------------------------------------------------------
# NEP 50 promotion


@pytest.mark.parametrize("name", LAMBD_NAMES)
@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("dt", [np.float16, np.float32], ids=["float16", "float32"])
def test_python_float_lambd_keeps_narrow_dtype(name, layer, dt):
    f = ufunc(name) if layer == "ufunc" else pyfunc(name)
    x = np.array([dt(0.1), dt(-0.1), dt(0.3), dt(-2.0)], dtype=dt)
    g = np.full(4, 3.0, dt)
    got = f(*args_for(name, x, 0.1, g))
    assert got.dtype == dt
    # λ rounded to dt before comparing: |x| == dt(0.1) is in the band
    assert_matches_reference(got, name, x, dt(0.1), g, dt, msg=name)
    assert np.all(got[:2] == 0) and not np.any(np.signbit(got[:2]))


@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("name", ["softshrink", "hardshrink"])
def test_float32_scalar_with_python_float(layer, name):
    f = ufunc(name) if layer == "ufunc" else pyfunc(name)
    r = f(np.float32(0.1), 0.1)
    assert type(r) is np.float32
    assert r == 0 and not np.signbit(r)
    r = f(np.float32(-0.1), 0.1)
    assert type(r) is np.float32
    assert r == 0 and not np.signbit(r)


LAMBD_KINDS = [
    pytest.param(0.5, id="pyfloat"),
    pytest.param(1, id="pyint"),
    pytest.param(np.float16(0.5), id="f16"),
    pytest.param(np.float32(0.5), id="f32"),
    pytest.param(np.float64(0.5), id="f64"),
    pytest.param(np.int8(1), id="i8"),
    pytest.param(np.int64(1), id="i64"),
    pytest.param(np.array(0.5), id="0d-f64"),
    pytest.param(np.array(0.5, np.float32), id="0d-f32"),
    pytest.param(np.array([0.5] * 5, np.float16), id="arr-f16"),
    pytest.param([0.5] * 5, id="list"),
]
X_DTYPES = [np.float16, np.float32, np.float64, np.longdouble, np.int8, np.uint8, np.int16,
            np.int32, np.int64, np.uint64, np.bool_]


# one function of each family with thresholds, the kinds taken in turn
PROMOTION_NAMES = [f.ufunc(KINDS[i % len(KINDS)]).name
                   for i, f in enumerate(f for f in FAMILIES if f.params)]


@pytest.mark.parametrize("name", PROMOTION_NAMES)
@pytest.mark.parametrize("layer", ["ufunc", "function"])
@pytest.mark.parametrize("lam", LAMBD_KINDS)
@pytest.mark.parametrize("xdt", X_DTYPES, ids=lambda d: np.dtype(d).name)
def test_promotion_like_a_binary_ufunc(name, layer, lam, xdt):
    """λ takes part in promotion as np.arctan2's second operand would (NEP 50)."""
    f = ufunc(name) if layer == "ufunc" else pyfunc(name)
    x = np.array([0, 1, 2, 0, 1]).astype(xdt)
    with quiet_fp():
        expected_dt = np.arctan2(x, lam).dtype
    got = f(*args_for(name, x, lam, x))  # g of x's dtype too
    assert got.dtype == expected_dt
    assert_matches_reference(got, name, x, lam, x, expected_dt, msg=name)


# --------------------------------------------------------------------------
# Raw ufuncs: no Python-side checks; negative / NaN λ gives NaN


def _bad_lams(dt):
    fi = np.finfo(dt)
    return {"-0.5": -0.5, "-1": -1.0, "nan": np.nan, "-inf": -np.inf,
            "-subnormal": -fi.smallest_subnormal, "-max": -fi.max}


@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
@pytest.mark.parametrize("name,param,value,badkey", _bad_for([
    pytest.param(v, k, id=k) for k, v in _bad_lams(np.float64).items()]))
def test_raw_ufunc_bad_lambd_gives_nan(name, param, value, badkey, dt):
    bad = dt(_bad_lams(dt)[badkey])
    x = value_pool(dt)
    g = np.resize(g_pool(dt), x.shape)
    with quiet_fp():
        got = ufunc(name)(*args_for(name, x, g=g, params=with_param(name, param, bad, dt(0.5))))
    assert got.dtype == dt
    assert np.all(np.isnan(got)), f"{name}(x, {badkey}) not NaN at x={x[~np.isnan(got)]}"


@pytest.mark.parametrize("name,param", NAME_PARAMS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_raw_ufunc_per_element_bad_lambd(name, param, dt):
    x = np.array([1.0, 0.0, -2.0, 0.25, 3.0, -0.0, 0.5, np.inf] * 5, dtype=dt)
    default = param_values(name, dt(0.5))[FUNCS[name].param_names.index(param)]
    lam = np.full(x.shape, default, dt)
    lam[[3, 9, 17, 38]] = [-1.0, np.nan, -0.25, -np.inf]
    g = np.full(x.shape, -1.5, dt)
    params = with_param(name, param, lam, dt(0.5))
    with quiet_fp():
        got = ufunc(name)(*args_for(name, x, g=g, params=params))
    assert_matches_reference(got, name, x, g=g, dtype=dt, msg=name, params=params)
    assert np.all(np.isnan(got[[9, 38] if is_signed(name, param) else [3, 9, 17, 38]]))


@pytest.mark.parametrize("name,param", NAME_PARAMS)
@pytest.mark.parametrize("dt", REAL_DTYPES, ids=REAL_IDS)
def test_raw_ufunc_bad_lambd_no_python_error_no_warning(name, param, dt):
    """The raw ufunc never raises for a parameter; §4: no call warns on real inputs."""
    x = np.array([1.0, 0.0, -2.0, 0.25, 3.0, -0.0, 0.5, np.inf, -np.inf], dtype=dt)
    g = np.full(x.shape, 2.0, dt)
    with strict_fp():
        for bad in (np.nan, -np.inf) if is_signed(name, param) else (-0.5, np.nan, -np.inf):
            got = ufunc(name)(*args_for(name, x, g=g, params=with_param(name, param, dt(bad), dt(0.5))))
            assert np.all(np.isnan(got))


@pytest.mark.parametrize("name", LAMBD_NAMES)
def test_raw_ufunc_has_no_default(name):
    with pytest.raises(TypeError):
        ufunc(name)(*args_for(name, np.ones(3), g=np.ones(3))[:-1])


@pytest.mark.parametrize("name", NOLAMBD_NAMES)
def test_tanh_family_takes_no_lambd(name):
    sig = inspect.signature(pyfunc(name))
    first = ["grad_output", "x"] if FUNCS[name].kind == "backward" else ["x"]
    positional = [p.name for p in sig.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert positional == first
    assert "lambd" not in sig.parameters
    with pytest.raises(TypeError):
        pyfunc(name)(*([np.ones(3)] * (len(first) + 1)))

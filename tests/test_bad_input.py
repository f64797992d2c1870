"""The bad-input matrix: every bad threshold parameter (lambd, lambd_low,
lambd_high, bias), x, grad_output, out= and where=, through every public
function of shrink._table and the raw ufuncs.

For each case: the exact exception class; for the public functions a message that
names the function, the parameter and the value (SPEC §2, §3); NumPy's own error
for out= / where= problems (SPEC §2: those need not name the function); and every
array involved (x, grad_output, an array lambd, out=) byte-for-byte unchanged.

test_lambd.py pins the accepted lambd, the message format and promotion; this file
crosses the rejected values with the dtypes of x and the ways of calling. An out=
that partially overlaps an input is no error: test_overlap.py checks its result.
"""

import os
import re
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spec_cases import (  # noqa: E402
    FAMILY, FUNCS, NAME_PARAMS, NAMES, args_for, is_signed, param_values, pyfunc, quiet_fp, ufunc, with_param,
)

X = [-3.0, -0.5, 0.25, 2.0]
BAD_OBJECT = object()


def snapshot(*arrays):
    """The bytes of every ndarray among arrays (others are immutable or not ours)."""
    return [(a, a.tobytes()) for a in arrays if isinstance(a, np.ndarray)]


def assert_unchanged(snap):
    for array, before in snap:
        assert array.tobytes() == before, "an operand was written although the call failed"


def raises_exactly(cls, call):
    """Run call; its exception must be cls itself (not a subclass). Returns it."""
    with pytest.raises(Exception) as excinfo:
        call()
    assert type(excinfo.value) is cls, f"{type(excinfo.value).__name__}: {excinfo.value}"
    return excinfo.value


# --------------------------------------------------------------------------
# lambd, public functions: (value, class, how the message must show the value)

BAD_LAMBD = [
    pytest.param(-0.5, ValueError, "finite and >= 0, got -0.5", id="negative"),
    pytest.param(-1, ValueError, "finite and >= 0, got -1", id="negative-int"),
    pytest.param(-5e-324, ValueError, "finite and >= 0, got -5e-324", id="negative-subnormal"),
    pytest.param(float("nan"), ValueError, "finite and >= 0, got nan", id="nan"),
    pytest.param(float("inf"), ValueError, "finite and >= 0, got inf", id="inf"),
    pytest.param(float("-inf"), ValueError, "finite and >= 0, got -inf", id="-inf"),
    pytest.param(np.float32(-2.0), ValueError, "finite and >= 0, got -2.0", id="np.float32-neg"),
    pytest.param(np.longdouble("nan"), ValueError, "finite and >= 0, got nan", id="longdouble-nan"),
    pytest.param(10**400, ValueError, f"finite and >= 0, got {10**400}", id="int-beyond-float"),
    pytest.param(True, TypeError, "real numbers, got True", id="bool"),
    pytest.param(np.False_, TypeError, "real numbers, got np.False_", id="np.bool"),
    pytest.param(0.5 + 1j, TypeError, "real numbers, got (0.5+1j)", id="complex"),
    pytest.param(np.complex64(0.5), TypeError, "real numbers, got np.complex64(0.5+0j)",
                 id="np.complex64"),
    pytest.param("0.5", TypeError, "real numbers, got '0.5'", id="str"),
    pytest.param(b"0.5", TypeError, "real numbers, got b'0.5'", id="bytes"),
    pytest.param(None, TypeError, "real numbers, got None", id="None"),
    pytest.param(BAD_OBJECT, TypeError, f"real numbers, got {BAD_OBJECT!r}", id="object"),
    pytest.param(np.timedelta64(1, "s"), TypeError, "real numbers, got np.timedelta64(1,'s')",
                 id="timedelta"),
    pytest.param(np.array([0.5, 1.0, 1.0, 1.0], dtype=object), TypeError,
                 "real numbers, got an array of dtype object", id="object-array"),
    pytest.param(np.array([True, False, True, False]), TypeError,
                 "real numbers, got an array of dtype bool", id="bool-array"),
    pytest.param(np.array([0.5, 0.5, 0.5, 0.5 + 1j]), TypeError,
                 "real numbers, got an array of dtype complex128", id="complex-array"),
    pytest.param(np.array(["a", "b", "c", "d"]), TypeError,
                 "real numbers, got an array of dtype <U1", id="str-array"),
    pytest.param(np.array([0.5, 0.5, -1.0, 0.5]), ValueError,
                 "finite and >= 0, got -1.0 at index (2,)", id="array-one-negative"),
    pytest.param(np.array([0.5, 0.5, 0.5, np.nan], np.float32), ValueError,
                 "finite and >= 0, got nan at index (3,)", id="array-one-nan"),
    pytest.param(np.array([0.5, -np.inf, 0.5, 0.5]), ValueError,
                 "finite and >= 0, got -inf at index (1,)", id="array-one-inf"),
    pytest.param(np.array([0.5, 9, 0.5, 9, 0.5, 9, -0.5, 9])[::2], ValueError,
                 "finite and >= 0, got -0.5 at index (3,)", id="array-view-negative"),
    pytest.param([0.5, 0.5, [1.0, 2.0], 0.5], ValueError,
                 "real numbers, got a sequence NumPy cannot make an array of: "
                 "[0.5, 0.5, [1.0, 2.0], 0.5]", id="ragged-list"),
]

X_DTYPES = [np.float16, np.float32, np.float64, np.longdouble, np.complex128, np.int32]
MODES = ["plain", "out", "out-where", "in-place", "dtype"]


def _param_cases(cases):
    """(name, param, *case) for every threshold parameter: a signed one (bias)
    takes any finite real, so a negative value is no bad case there and its
    message asks for "finite" only."""
    for name, param in NAME_PARAMS:
        for case in cases:
            value, cls, shown = case.values[:3]
            if is_signed(name, param):
                if cls is ValueError and "finite and >= 0" in shown and not any(
                        w in shown for w in ("nan", "inf")) and "10000" not in shown:
                    continue
                shown = shown.replace("finite and >= 0", "finite")
            yield pytest.param(name, param, value, cls, shown, *case.values[3:],
                               id=f"{name}-{param}-{case.id}")


def _call(name, x, lam, g, mode, param="lambd"):
    """Call name in one of MODES, `lam` as the parameter `param` (the others
    valid); returns the call and every array it touches."""
    f = pyfunc(name)
    args = args_for(name, x, g=g, params=with_param(name, param, lam))
    result_dtype = np.result_type(x, 0.5) if x.dtype.kind in "iu" else x.dtype
    out = np.full(x.shape, 7, result_dtype)
    if mode == "plain":
        return (lambda: f(*args)), [out]
    if mode == "out":
        return (lambda: f(*args, out=out)), [out]
    if mode == "out-where":
        where = np.array([True, False, True, True])
        return (lambda: f(*args, out=out, where=where)), [out, where]
    if mode == "in-place":
        return (lambda: f(*args, out=x)), [out]
    if mode == "dtype":
        return (lambda: f(*args, dtype=np.float64 if x.dtype.kind != "c" else None)), [out]
    raise AssertionError(mode)


@pytest.mark.parametrize("name,param,lam,cls,shown", list(_param_cases(BAD_LAMBD)))
def test_bad_lambd_matrix(name, param, lam, cls, shown):
    for dt in X_DTYPES:
        if np.dtype(dt).kind == "c" and FUNCS[name].kind != "forward":
            continue
        for mode in MODES:
            if mode == "in-place" and np.dtype(dt).kind == "i":
                continue  # an int x cannot hold the float result anyway
            x = np.array(X if np.dtype(dt).kind != "i" else [-3, 0, 1, 2], dt)
            g = np.linspace(-1.0, 2.0, 4).astype(dt if np.dtype(dt).kind != "c" else np.float64)
            call, extra = _call(name, x, lam, g, mode, param)
            snap = snapshot(x, g, lam, *extra)
            with quiet_fp():
                error = raises_exactly(cls, call)
            assert str(error) == f"{name}: {param} must be {_expected_head(shown)}{shown}", \
                f"{np.dtype(dt).name} {mode}: {error}"
            assert_unchanged(snap)


def _expected_head(shown):
    if shown.startswith("finite"):
        return ""
    return "a real number or an array of "


# lambd finite in float64 but not in the dtype of the result: only x's dtype (or
# dtype=) makes it bad, so it is crossed with the dtypes that reject it.
OUT_OF_RANGE = [
    pytest.param(np.float32, 1e39, {}, "1e+39", "float32", id="float32-1e39"),
    pytest.param(np.float32, 2**128, {}, repr(float(2**128)), "float32", id="float32-int-2**128"),
    pytest.param(np.float16, 70000.0, {}, "70000.0", "float16", id="float16-70000"),
    pytest.param(np.float16, 65520.0, {}, "65520.0", "float16", id="float16-rounds-to-inf"),
    pytest.param(np.int8, 70000, {}, "70000.0", "float16", id="int8-computes-in-float16"),
    pytest.param(np.float64, 70000.0, {"dtype": np.float16}, "70000.0", "float16",
                 id="dtype=float16"),
    pytest.param(np.float32, [0.5, 0.5, 1e39, 0.5], {"dtype": np.float32}, "1e+39 at index (2,)",
                 "float32", id="array-dtype=float32"),
    pytest.param(np.complex64, 1e39, {}, "1e+39", "float32", id="complex64-1e39"),
]


# complex x only for the forward functions: grads and backwards are real only
OUT_OF_RANGE_CASES = [pytest.param(*case.values, name, param, id=f"{case.id}-{name}-{param}")
                      for case in OUT_OF_RANGE for name, param in NAME_PARAMS
                      if np.dtype(case.values[0]).kind != "c" or FUNCS[name].kind == "forward"]


@pytest.mark.parametrize("dt,lam,kw,shown,real,name,param", OUT_OF_RANGE_CASES)
def test_lambd_out_of_the_dtype_range(name, param, dt, lam, kw, shown, real):
    x = np.array([3, 0, 1, 2], dt)
    g = np.ones(4, dt if np.dtype(dt).kind != "c" else np.float32)
    out = np.full(4, 7, kw.get("dtype", np.result_type(x, np.float16)))
    params = with_param(name, param, lam)
    if np.dtype(dt).kind == "i":  # the other parameters ints too, or a Python float makes float64
        params = tuple(p if p is lam else int(p) for p in params)
    snap = snapshot(x, g, out)
    with quiet_fp():
        error = raises_exactly(ValueError, lambda: pyfunc(name)(
            *args_for(name, x, g=g, params=params), out=out, **kw))
    message = f"{name}: {param} must be finite in the result dtype {real}, got {shown}"
    if param in FAMILY[FUNCS[name].family].ordered[:-1]:
        # too large for the dtype is also larger than the parameter after it:
        # either check may speak first, each names the parameter and the value
        shown_order = re.escape(shown.split(" at ")[0]).replace(r"\.0", r"(\.0)?")
        assert str(error) == message or re.fullmatch(
            rf"{name}: {param} must be <= \w+, got {param}={shown_order} > .*", str(error)), str(error)
    else:
        assert str(error) == message
    assert_unchanged(snap)


# --------------------------------------------------------------------------
# x and grad_output, public functions and raw ufuncs

BAD_OPERANDS = [
    # (make, class, how the public message shows it)
    pytest.param(lambda: np.array([1.0, 2.0, 3.0, 4.0], dtype=object), TypeError,
                 "an array of dtype object", id="object"),
    pytest.param(lambda: np.array(["1", "2", "3", "4"]), TypeError, "an array of dtype <U1",
                 id="str"),
    pytest.param(lambda: np.array([b"1", b"2", b"3", b"4"]), TypeError,
                 "an array of dtype |S1", id="bytes"),
    pytest.param(lambda: np.arange(4).astype("datetime64[D]"), TypeError,
                 "an array of dtype datetime64[D]", id="datetime"),
    pytest.param(lambda: np.arange(4).astype("timedelta64[s]"), TypeError,
                 "an array of dtype timedelta64[s]", id="timedelta"),
    pytest.param(lambda: np.zeros(4, "V8"), TypeError, "an array of dtype |V8", id="void"),
    pytest.param(lambda: np.zeros(4, [("a", "f8")]), TypeError,
                 "an array of dtype [('a', '<f8')]", id="structured"),
    pytest.param(lambda: None, TypeError, "None", id="None"),
    pytest.param(lambda: "1.0", TypeError, "'1.0'", id="python-str"),
    pytest.param(lambda: [1.0, [2.0, 3.0], 4.0, 5.0], ValueError,
                 "a sequence NumPy cannot make an array of: [1.0, [2.0, 3.0], 4.0, 5.0]",
                 id="ragged"),
    pytest.param(lambda: [[1.0, 2.0], [3.0]], ValueError,
                 "a sequence NumPy cannot make an array of: [[1.0, 2.0], [3.0]]",
                 id="ragged-2d"),
]


def _operands_with(name, bad, where_bad):
    """Positional operands of name with `bad` as x or as grad_output."""
    good = np.array(X)
    if where_bad == "grad_output":  # spelled out: args_for reads g=None as "no g"
        return [bad, good, *param_values(name)]
    return args_for(name, bad, 0.5, good)


def _where_bad(names):
    return [(n, w) for n in names for w in ("x", "grad_output")
            if w == "x" or FUNCS[n].kind == "backward"]


@pytest.mark.parametrize("name,operand", _where_bad(NAMES))
@pytest.mark.parametrize("make,cls,shown", BAD_OPERANDS)
@pytest.mark.parametrize("mode", ["plain", "out"])
def test_bad_operand_public(name, operand, make, cls, shown, mode):
    bad = make()
    args = _operands_with(name, bad, operand)
    out = np.full(4, 7.0)
    kw = {"out": out} if mode == "out" else {}
    snap = snapshot(*args, out)
    error = raises_exactly(cls, lambda: pyfunc(name)(*args, **kw))
    wanted = "real or complex numbers" if FUNCS[name].kind == "forward" else "real numbers"
    assert str(error) == f"{name}: {operand} must be an array of {wanted}, got {shown}"
    assert_unchanged(snap)


@pytest.mark.parametrize("name,operand", _where_bad([n for n in NAMES
                                                     if FUNCS[n].kind != "forward"]))
@pytest.mark.parametrize("value", [np.array([1j, 2, 3, 4]), np.complex64(1j), 2j],
                         ids=["array", "np.complex64", "python-complex"])
def test_complex_operand_of_a_gradient(name, operand, value):
    args = _operands_with(name, value, operand)
    out = np.full(4, 7.0)
    snap = snapshot(*args, out)
    error = raises_exactly(TypeError, lambda: pyfunc(name)(*args, out=out))
    shown = "an array of dtype complex128" if np.ndim(value) else repr(value)
    assert str(error) == f"{name}: {operand} must be an array of real numbers, got {shown}"
    assert_unchanged(snap)


# np.nextafter has exactly our real loops (e, f, d, g) and no object loop: what it
# raises is what NumPy raises for a ufunc like ours.
REFERENCE_UFUNC = np.nextafter


def _numpy_class(problem):
    """The class NumPy raises for the same operand problem on one of its own ufuncs."""
    with pytest.raises(Exception) as excinfo:
        REFERENCE_UFUNC(problem, np.array(X))
    return type(excinfo.value)


@pytest.mark.parametrize("name,operand", _where_bad(NAMES))
@pytest.mark.parametrize("make,cls,shown", BAD_OPERANDS)
def test_bad_operand_raw_ufunc(name, operand, make, cls, shown):
    """No Python layer: NumPy's own error class, naming the ufunc where NumPy names it."""
    bad = make()
    args = _operands_with(name, bad, operand)
    out = np.full(4, 7.0)
    snap = snapshot(*args, out)
    error = raises_exactly(_numpy_class(make()), lambda: ufunc(name)(*args, out=out))
    assert isinstance(error, cls)
    if cls is TypeError:
        assert f"ufunc '{name}'" in str(error), str(error)
    assert_unchanged(snap)


# --------------------------------------------------------------------------
# lambd through the raw ufuncs: no check; out of the domain is NaN (SPEC §2)


@pytest.mark.parametrize("name,param", NAME_PARAMS)
@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64, np.longdouble],
                         ids=["float16", "float32", "float64", "longdouble"])
@pytest.mark.parametrize("lam", [-0.5, -1, float("nan"), float("inf"), float("-inf"), 1e39,
                                 "per-element"])
def test_raw_ufunc_lambd_out_of_domain_is_nan(name, param, dt, lam):
    x = np.array(X + [0.0, -0.0, np.inf, np.nan], dt)
    g = np.full(x.shape, 2.0, dt)
    signed = is_signed(name, param)
    # out of the domain: NaN, inf, negative unless signed (bias), and for an
    # ordered pair a value below the one before it (1e39 as lambd_low > lambd_high)
    ordered_low = param in FAMILY[FUNCS[name].family].ordered[:-1]
    if lam == "per-element":
        lam = np.full(x.shape, 0.5)
        lam[[1, 6]] = [np.nan, -2.0]
        nan_at = np.isnan(lam) | ((lam < 0) & (not signed))
    else:
        # 1e39 is finite in float64 and longdouble: a valid value there, no NaN
        with quiet_fp():
            finite = bool(np.isfinite(dt(lam)))
        valid = finite and (signed or lam >= 0) and not (ordered_low and lam > 1.5)
        nan_at = np.full(x.shape, not valid)
    with quiet_fp():
        got = ufunc(name)(*args_for(name, x, g=g, params=with_param(name, param, lam)))
    assert np.all(np.isnan(got[nan_at])), got
    assert not np.any(np.isnan(got[~nan_at & ~np.isnan(x)])), got


@pytest.mark.parametrize("name,param", NAME_PARAMS)
@pytest.mark.parametrize("lam", [0.5 + 1j, "0.5", None, BAD_OBJECT,
                                 np.array([0.5] * 4, dtype=object)],
                         ids=["complex", "str", "None", "object", "object-array"])
def test_raw_ufunc_lambd_without_a_loop(name, param, lam):
    """A lambd with no real loop is NumPy's TypeError, naming the ufunc."""
    x = np.array(X)
    out = np.full(4, 7.0)
    snap = snapshot(x, out)
    with pytest.raises(TypeError, match=f"ufunc '{name}'"):
        ufunc(name)(*args_for(name, x, g=np.ones(4), params=with_param(name, param, lam)), out=out)
    assert_unchanged(snap)


@pytest.mark.parametrize("name,param", NAME_PARAMS)
def test_raw_ufunc_bool_lambd_is_a_number(name, param):
    """NumPy promotes a bool operand to a number (as np.arctan2(x, True) does); the
    Python layer refuses it, the raw ufunc reads it as 0 or 1."""
    x = np.array(X + [1.0, -1.0])
    g = np.full(6, 2.0)
    for lam, number in ((True, 1.0), (np.False_, 0.0)):
        got = ufunc(name)(*args_for(name, x, g=g, params=with_param(name, param, lam)))
        expected = ufunc(name)(*args_for(name, x, g=g, params=with_param(name, param, number)))
        assert got.tobytes() == expected.tobytes()


# --------------------------------------------------------------------------
# out= and where=: NumPy's own errors, in both layers


def _numpy_error(problem):
    """What NumPy raises for the same out=/where= problem on its own ufunc."""
    x = np.array(X)
    with pytest.raises(Exception) as excinfo:
        REFERENCE_UFUNC(x, 0.5, **problem())
    return excinfo.value


OUT_PROBLEMS = {
    "out-wrong-shape": lambda: {"out": np.full(3, 7.0)},
    "out-wrong-ndim": lambda: {"out": np.full((4, 1), 7.0)},
    "out-read-only": lambda: {"out": _read_only(np.full(4, 7.0))},
    "out-casting-no": lambda: {"out": np.full(4, 7.0, np.float32), "casting": "no"},
    "out-int-same-kind": lambda: {"out": np.full(4, 7, np.int64)},
    "out-tuple-of-two": lambda: {"out": (np.full(4, 7.0), np.full(4, 7.0))},
    "where-wrong-shape": lambda: {"out": np.full(4, 7.0), "where": np.ones(3, bool)},
    "where-2d-wrong": lambda: {"out": np.full(4, 7.0), "where": np.ones((2, 3), bool)},
}


def _read_only(a):
    a.flags.writeable = False
    return a


@pytest.mark.parametrize("layer", ["function", "ufunc"])
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("problem", list(OUT_PROBLEMS))
def test_out_and_where_problems(layer, name, problem):
    make = OUT_PROBLEMS[problem]
    kw = make()
    x = np.array(X)
    g = np.linspace(-1.0, 2.0, 4)
    outs = kw["out"] if isinstance(kw["out"], tuple) else (kw["out"],)
    snap = snapshot(x, g, *outs)
    f = pyfunc(name) if layer == "function" else ufunc(name)
    reference = _numpy_error(make)
    with pytest.raises(Exception) as excinfo:
        f(*args_for(name, x, 0.5, g), **kw)
    error = excinfo.value
    assert type(error) is type(reference), f"{type(error)} != {type(reference)}: {error}"
    # NumPy's message, with our ufunc and operand count in place of its own
    assert _shape_of_message(error, name) == _shape_of_message(reference, REFERENCE_UFUNC.__name__), \
        f"{error!s} / {reference!s}"
    assert_unchanged(snap)


def _shape_of_message(error, name):
    text = str(error).replace(f"'{name}'", "'<ufunc>'")
    return re.sub(r"(\([^()]*\)\s*)+", "(...) ", text)  # operand shapes differ with the arity
